//! A deterministic, realistic Chinese demo data set: IP offices, parks, banks and their branches,
//! insurers, guarantors, appraisers, agencies, 300 enterprises, more than 3,000 rights and the
//! accounts to explore them.
//!
//! The same seed always yields the same data: the generator uses its own SplitMix64 rather than
//! a library, and iterates only ordered collections. Identifiers are built through the domain's
//! constructors (`Uscc::from_body`, `ApplicationNo::from_body`, the `parse` functions) and regions
//! and industries come from the shipped GB/T 2260 and GB/T 4754 tables, so every party validates
//! with `PartyDraft::validate` and every right with `RightDraft::validate` as of
//! [`reference_date`].

mod enterprises;
mod geo;
mod institutions;
mod life;
mod orgs;
mod people;
mod places;
mod pledges;
mod rights;
mod rng;
mod sectors;
mod titles;
mod users;
mod valuation;
mod words;

pub use valuation::{DemoAppraiser, DemoIndicators, DemoPrice, DemoValuationData};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_valuation;

use chrono::NaiveDate;
use ipyun_domain::account::Role;
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::RightDraft;
use std::collections::{BTreeSet, HashSet};

/// The day the data set describes: statuses, fee dates and renewals are consistent as of this
/// day, and no date lies after it.
pub fn reference_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or(NaiveDate::MIN)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDataset {
    /// The national office (国家知识产权局) first, then the provincial offices of the provinces used.
    pub offices: Vec<PartyDraft>,
    pub parks: Vec<PartyDraft>,
    /// Bank head offices.
    pub lenders: Vec<PartyDraft>,
    /// `(index into lenders, branch)`; the branch's `parent_id` is left for the loader to fill.
    pub lender_branches: Vec<(usize, PartyDraft)>,
    /// Insurers, guarantors, appraisers and service agencies.
    pub others: Vec<PartyDraft>,
    pub enterprises: Vec<DemoEnterprise>,
    pub rights: Vec<RightDraft>,
    pub users: Vec<DemoUser>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEnterprise {
    pub draft: PartyDraft,
    /// Index into `parks`; the loader sets `park_id`.
    pub park: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: DemoOrganisation,
}

/// The organisation a demo user acts for, as an index into the matching list of [`DemoDataset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOrganisation {
    None,
    Office(usize),
    Park(usize),
    Lender(usize),
    Other(usize),
    Enterprise(usize),
}

/// The valuation side of the demo for its validated `rights`: indicators, realised prices,
/// qualifications for `appraisers` firms and caps for `lenders` banks. The same `seed` and rights
/// always give the same data.
pub fn valuation_dataset(
    seed: u64,
    rights: &[ipyun_domain::right::NewRight],
    appraisers: usize,
    lenders: usize,
) -> DemoValuationData {
    let mut root = rng::Rng::new(seed).fork(9);
    let mut data = valuation::generate(&mut root.fork(1), rights, reference_date());
    data.appraisers = valuation::appraisers(&mut root.fork(2), appraisers);
    data.lender_caps = valuation::lender_caps(&mut root.fork(3), lenders);
    data
}

/// Builds the demo data set; the same `seed` always gives the same data.
pub fn dataset(seed: u64) -> DemoDataset {
    let mut root = rng::Rng::new(seed);
    let geo = geo::Geo::load();
    let industries = people::IndustryTable::load();
    let mut usccs: HashSet<String> = HashSet::new();
    let parks = orgs::parks(&mut root.fork(1), &geo, &mut usccs);
    let lenders = orgs::lenders(&mut root.fork(2), &geo, &mut usccs);
    let lender_branches = orgs::branches(&mut root.fork(3), &geo, &mut usccs);
    let others = orgs::others(&mut root.fork(4), &geo, &mut usccs);
    let (enterprises, profiles) =
        enterprises::generate(&mut root.fork(5), &geo, &industries, &mut usccs);
    let provinces: BTreeSet<String> = parks
        .iter()
        .chain(enterprises.iter().map(|enterprise| &enterprise.draft))
        .filter_map(|draft| draft.region.as_deref().and_then(|code| code.get(..2)))
        .map(str::to_string)
        .collect();
    let offices = orgs::offices(&mut root.fork(6), &geo, &mut usccs, &provinces);
    let rights = rights::generate(&mut root.fork(7), &profiles, reference_date());
    let users = users::generate(&mut root.fork(8), &offices, &parks, &enterprises);
    DemoDataset {
        offices,
        parks,
        lenders,
        lender_branches,
        others,
        enterprises,
        rights,
        users,
    }
}
