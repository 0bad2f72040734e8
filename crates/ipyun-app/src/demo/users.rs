//! Demo accounts: one or two per organisation, each with a Chinese display name.

use super::geo;
use super::institutions::{LENDERS, OTHERS};
use super::people::person_name;
use super::rng::Rng;
use super::{DemoEnterprise, DemoOrganisation, DemoUser};
use ipyun_domain::account::Role;
use ipyun_domain::party::{PartyDraft, PartyKind};

/// Enterprises that get an account (`ent-001` …).
pub(crate) const ENTERPRISE_ACCOUNTS: usize = 20;

fn user(
    username: String,
    display_name: String,
    role: Role,
    organisation: DemoOrganisation,
) -> DemoUser {
    DemoUser {
        username,
        display_name,
        role,
        organisation,
    }
}

fn name_of(draft: &PartyDraft) -> &str {
    draft.name.as_deref().unwrap_or("")
}

pub(crate) fn generate(
    rng: &mut Rng,
    offices: &[PartyDraft],
    parks: &[PartyDraft],
    enterprises: &[DemoEnterprise],
) -> Vec<DemoUser> {
    let mut users = vec![user(
        "admin".to_string(),
        "平台管理员".to_string(),
        Role::PlatformAdmin,
        DemoOrganisation::None,
    )];
    if let Some(national) = offices.first() {
        users.push(user(
            "cnipa".to_string(),
            format!("{}（{}）", person_name(rng), name_of(national)),
            Role::NationalOffice,
            DemoOrganisation::Office(0),
        ));
    }
    for (index, office) in offices.iter().enumerate().skip(1) {
        let Some(province) = office.region.as_deref().and_then(geo::province) else {
            continue;
        };
        users.push(user(
            format!("{}-office", province.tag),
            format!("{}（{}）", person_name(rng), name_of(office)),
            Role::ProvincialOffice,
            DemoOrganisation::Office(index),
        ));
    }
    if !offices.is_empty() {
        users.push(user(
            "examiner1".to_string(),
            format!("{}（审查员）", person_name(rng)),
            Role::Examiner,
            DemoOrganisation::Office(0),
        ));
    }
    for (index, park) in parks.iter().enumerate() {
        users.push(user(
            format!("park-{}", index + 1),
            format!("{}（{}管委会）", person_name(rng), name_of(park)),
            Role::Park,
            DemoOrganisation::Park(index),
        ));
    }
    for (index, bank) in LENDERS.iter().enumerate() {
        for suffix in ["", "2"] {
            users.push(user(
                format!("{}-loan{suffix}", bank.tag),
                format!("{}（{}）", person_name(rng), bank.short),
                Role::Lender,
                DemoOrganisation::Lender(index),
            ));
        }
    }
    for (index, other) in OTHERS.iter().enumerate() {
        let role = match other.kind {
            PartyKind::Appraiser => Role::Appraiser,
            PartyKind::ServiceAgency => Role::Agency,
            _ => Role::Insurer,
        };
        users.push(user(
            other.tag.to_string(),
            format!("{}（{}）", person_name(rng), other.short),
            role,
            DemoOrganisation::Other(index),
        ));
    }
    for (index, enterprise) in enterprises.iter().take(ENTERPRISE_ACCOUNTS).enumerate() {
        let contact = enterprise
            .draft
            .contact_name
            .clone()
            .unwrap_or_else(|| person_name(rng));
        users.push(user(
            format!("ent-{:03}", index + 1),
            format!("{contact}（{}）", name_of(&enterprise.draft)),
            Role::Enterprise,
            DemoOrganisation::Enterprise(index),
        ));
    }
    users
}
