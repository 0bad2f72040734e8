//! Accounts and access (features A1, A2): roles, the acting principal, and what each may see and do.
//! These are pure rules; `ipyun-app` applies them before touching data.

use crate::party::{Party, PartyKind, string_enum};
use serde::{Deserialize, Serialize};

string_enum!(Role, "role" {
    Enterprise => "enterprise",
    Lender => "lender",
    Insurer => "insurer",
    Appraiser => "appraiser",
    Agency => "agency",
    Park => "park",
    Examiner => "examiner",
    ProvincialOffice => "provincial_office",
    NationalOffice => "national_office",
    PlatformAdmin => "platform_admin",
});

string_enum!(
    /// The UI language: Chinese first.
    Lang, "language" {
    ZhCn => "zh-CN",
    En => "en",
});

impl Lang {
    /// Picks a language from a tag such as `en-GB` or `zh`; Chinese when unknown.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

impl Role {
    /// The kind of organisation a user of this role belongs to (`None`: the platform itself).
    pub fn organisation_kinds(self) -> &'static [PartyKind] {
        match self {
            Role::Enterprise => &[PartyKind::Enterprise],
            Role::Lender => &[PartyKind::Lender],
            Role::Insurer => &[PartyKind::Insurer, PartyKind::Guarantor],
            Role::Appraiser => &[PartyKind::Appraiser],
            Role::Agency => &[PartyKind::ServiceAgency],
            Role::Park => &[PartyKind::Park],
            Role::Examiner | Role::ProvincialOffice | Role::NationalOffice => {
                &[PartyKind::IpOffice]
            }
            Role::PlatformAdmin => &[],
        }
    }

    pub fn needs_organisation(self) -> bool {
        self != Role::PlatformAdmin
    }
}

/// Who is acting: every use case takes one and checks it first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The organisation (a party) the user acts for.
    pub party_id: Option<i64>,
    /// The organisation's region code, for offices scoped to a province.
    pub region: Option<String>,
    pub lang: Lang,
}

/// Which rights a principal may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RightScope {
    All,
    /// Rights held (wholly or partly) by this party.
    HeldBy(i64),
    /// Rights held by enterprises of this park.
    InPark(i64),
    Nothing,
}

impl Principal {
    pub fn right_scope(&self) -> RightScope {
        match (self.role, self.party_id) {
            (Role::Enterprise, Some(party_id)) => RightScope::HeldBy(party_id),
            (Role::Park, Some(park_id)) => RightScope::InPark(park_id),
            (Role::Enterprise | Role::Park, None) => RightScope::Nothing,
            _ => RightScope::All,
        }
    }

    /// Registry maintenance: creating rights and recording legal-status events.
    pub fn may_maintain_registry(&self) -> bool {
        matches!(
            self.role,
            Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice | Role::Examiner
        )
    }

    /// An enterprise may record its own rights (it must be among the holders).
    pub fn may_record_own_rights(&self) -> bool {
        self.role == Role::Enterprise && self.party_id.is_some()
    }

    pub fn may_maintain_parties(&self) -> bool {
        matches!(
            self.role,
            Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice
        )
    }

    pub fn may_import(&self) -> bool {
        matches!(
            self.role,
            Role::PlatformAdmin | Role::NationalOffice | Role::ProvincialOffice
        )
    }

    pub fn may_manage_accounts(&self) -> bool {
        self.role == Role::PlatformAdmin
    }

    fn province_prefix(&self) -> Option<&str> {
        self.region.as_deref().and_then(|code| code.get(..2))
    }

    /// Whether this principal may see `party`'s private fields (contacts, address).
    pub fn may_see_private(&self, party: &Party) -> bool {
        if self.party_id == Some(party.id) {
            return true;
        }
        match self.role {
            Role::PlatformAdmin | Role::NationalOffice => true,
            Role::ProvincialOffice => {
                self.province_prefix().is_some()
                    && party.region.as_deref().and_then(|code| code.get(..2))
                        == self.province_prefix()
            }
            Role::Park => {
                party.kind == PartyKind::Enterprise
                    && party.park_id.is_some()
                    && party.park_id == self.party_id
            }
            _ => false,
        }
    }

    /// Whether this principal may edit `party` (its own organisation's contact data, or as maintainer).
    pub fn may_edit_party(&self, party: &Party) -> bool {
        self.may_maintain_parties() && self.may_see_private(party)
            || self.party_id == Some(party.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, party_id: Option<i64>, region: Option<&str>) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            party_id,
            region: region.map(str::to_string),
            lang: Lang::ZhCn,
        }
    }

    fn enterprise(id: i64, region: &str, park_id: Option<i64>) -> Party {
        Party {
            id,
            kind: PartyKind::Enterprise,
            name: "e".into(),
            uscc: None,
            region: Some(region.into()),
            industry: None,
            size_class: None,
            park_id,
            parent_id: None,
            specialised_sme_year: None,
            little_giant_year: None,
            park_kind: None,
            office_level: None,
            credit_rating: None,
            contact_name: Some("c".into()),
            contact_phone: None,
            address: None,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn private_fields_by_role() {
        let party = enterprise(7, "320102", Some(3));
        let check = |viewer: Principal, expect: bool| {
            assert_eq!(viewer.may_see_private(&party), expect, "{viewer:?}")
        };
        check(principal(Role::Enterprise, Some(7), None), true);
        check(principal(Role::Enterprise, Some(8), None), false);
        check(principal(Role::Lender, Some(9), None), false);
        check(principal(Role::Park, Some(3), None), true);
        check(principal(Role::Park, Some(4), None), false);
        check(
            principal(Role::ProvincialOffice, Some(10), Some("320000")),
            true,
        );
        check(
            principal(Role::ProvincialOffice, Some(11), Some("330000")),
            false,
        );
        check(principal(Role::NationalOffice, Some(12), None), true);
        check(principal(Role::PlatformAdmin, None, None), true);
    }

    #[test]
    fn right_scope_by_role() {
        assert_eq!(
            principal(Role::Enterprise, Some(7), None).right_scope(),
            RightScope::HeldBy(7)
        );
        assert_eq!(
            principal(Role::Park, Some(3), None).right_scope(),
            RightScope::InPark(3)
        );
        assert_eq!(
            principal(Role::Enterprise, None, None).right_scope(),
            RightScope::Nothing
        );
        assert_eq!(
            principal(Role::Lender, Some(1), None).right_scope(),
            RightScope::All
        );
    }
}
