//! Implementation of pledged patents (L6, action plan 004 一(二)): each year the enterprise
//! holding a pledged patent declares whether it is used in production; the rate (implemented
//! over declared) and the coverage (declared over pledged) are aggregated by lender, park and
//! province for the year, over the patents under a pledge in force at some time in it.

use super::LoanScope;
use super::stats::{NplGrouping, group_key};
use crate::rights::normalise_right_number;
use crate::{App, AppError};
use chrono::{Datelike, NaiveDate};
use ipyun_db::loans::{ImplementationRow, ImplementationWrite};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::right::RightKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The longest note, in characters.
const MAX_NOTE_CHARS: usize = 500;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImplementationInput {
    pub right_number: String,
    pub year: i32,
    /// Used in production (实施) that year.
    pub implemented: bool,
    /// The product or line it is used in, or why not.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImplementationDeclared {
    pub right_number: String,
    pub year: i32,
    pub implemented: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImplementationQuery {
    /// Default: last year.
    pub year: Option<i32>,
    pub by: Option<NplGrouping>,
}

/// One group's patents and rates.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImplementationRateRow {
    pub key: String,
    pub name: String,
    /// Patents under a pledge in force during the year.
    pub pledged: u64,
    pub declared: u64,
    pub implemented: u64,
    /// Implemented over declared, in basis points (absent with nothing declared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_bp: Option<u64>,
    /// Declared over pledged, in basis points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage_bp: Option<u64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImplementationReport {
    pub year: i32,
    pub by: NplGrouping,
    pub rows: Vec<ImplementationRateRow>,
    pub total: ImplementationRateRow,
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> AppError {
    AppError::validation(FieldErrors(vec![FieldError::new(field, code, message)]))
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    NaiveDate::from_ymd_opt(year, 1, 1).zip(NaiveDate::from_ymd_opt(year, 12, 31))
}

fn bp(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| (part * 10_000 + whole / 2) / whole)
}

#[derive(Default)]
struct Tally {
    name: String,
    pledged: BTreeSet<i64>,
    declared: BTreeSet<i64>,
    implemented: BTreeSet<i64>,
}

impl Tally {
    fn add(&mut self, row: &ImplementationRow) {
        self.pledged.insert(row.right_id);
        if let Some(implemented) = row.implemented {
            self.declared.insert(row.right_id);
            if implemented {
                self.implemented.insert(row.right_id);
            }
        }
    }

    fn row(&self, key: String) -> ImplementationRateRow {
        let (pledged, declared, implemented) = (
            self.pledged.len() as u64,
            self.declared.len() as u64,
            self.implemented.len() as u64,
        );
        ImplementationRateRow {
            key,
            name: self.name.clone(),
            pledged,
            declared,
            implemented,
            rate_bp: bp(implemented, declared),
            coverage_bp: bp(declared, pledged),
        }
    }
}

fn group_of(by: NplGrouping, row: &ImplementationRow) -> (String, String) {
    group_key(
        by,
        (row.lender_id, &row.lender_name),
        (row.park_id, row.park_name.as_deref()),
        row.region.as_deref(),
    )
}

fn covers(scope: &LoanScope, row: &ImplementationRow) -> bool {
    match scope {
        LoanScope::All => true,
        LoanScope::Lender(party) => row.lender_id == *party,
        LoanScope::Park(party) => row.park_id == Some(*party),
        LoanScope::Province(prefix) => row
            .region
            .as_deref()
            .is_some_and(|region| region.starts_with(prefix.as_str())),
        LoanScope::Borrower(_) => false,
    }
}

impl App {
    /// The enterprise holding a patent declares its implementation for a year it was pledged
    /// in (the current year or before); a new declaration for the year replaces the last.
    pub async fn declare_implementation(
        &self,
        principal: &Principal,
        input: &ImplementationInput,
    ) -> Result<ImplementationDeclared, AppError> {
        let (Role::Enterprise, Some(party)) = (principal.role, principal.party_id) else {
            return Err(AppError::forbidden(
                "the enterprise holding the patent declares its implementation",
            ));
        };
        let this_year = self.clock.today().year();
        let mut errors = FieldErrors::default();
        if !(2000..=this_year).contains(&input.year) {
            errors.push(FieldError::new(
                "year",
                "out_of_range",
                format!("a year from 2000 to {this_year}"),
            ));
        }
        if input
            .note
            .as_deref()
            .is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS)
        {
            errors.push(FieldError::new(
                "note",
                "too_long",
                format!("a note has at most {MAX_NOTE_CHARS} characters"),
            ));
        }
        errors.into_result().map_err(AppError::validation)?;
        let number = normalise_right_number(&input.right_number);
        let not_found = || {
            invalid(
                "right_number",
                "not_found",
                format!("no patent {number} of yours"),
            )
        };
        let right = self.db.get_right(&number).await?.ok_or_else(not_found)?;
        if !right.is_held_by(party) {
            return Err(not_found());
        }
        if !matches!(
            right.kind,
            RightKind::Invention | RightKind::UtilityModel | RightKind::Design
        ) {
            return Err(invalid(
                "right_number",
                "not_a_patent",
                "implementation is declared for patents",
            ));
        }
        let (from, to) = year_bounds(input.year)
            .ok_or_else(|| invalid("year", "out_of_range", "no such year"))?;
        if !self.db.pledged_during(right.id, from, to).await? {
            return Err(invalid(
                "right_number",
                "not_pledged",
                format!("{number} was not pledged in {}", input.year),
            ));
        }
        let note = input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|note| !note.is_empty());
        self.db
            .declare_implementation(
                &ImplementationWrite {
                    right_id: right.id,
                    year: input.year,
                    implemented: input.implemented,
                    party_id: party,
                    note,
                    actor: &principal.username,
                },
                self.clock.now(),
            )
            .await?;
        Ok(ImplementationDeclared {
            right_number: right.number,
            year: input.year,
            implemented: input.implemented,
        })
    }

    /// The implementation rate of pledged patents the principal may see, grouped.
    pub async fn implementation_report(
        &self,
        principal: &Principal,
        query: &ImplementationQuery,
    ) -> Result<ImplementationReport, AppError> {
        let scope = LoanScope::of(principal)
            .filter(|scope| !matches!(scope, LoanScope::Borrower(_)))
            .ok_or_else(|| AppError::forbidden("your role sees no loan statistics"))?;
        let year = query.year.unwrap_or(self.clock.today().year() - 1);
        let (from, to) = year_bounds(year)
            .filter(|_| (2000..=9999).contains(&year))
            .ok_or_else(|| invalid("year", "out_of_range", "a year from 2000"))?;
        let by = query.by.unwrap_or_default();
        let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
        let mut total = Tally {
            name: "total".into(),
            ..Tally::default()
        };
        for row in self.db.implementation_rows(year, from, to).await? {
            if !covers(&scope, &row) {
                continue;
            }
            let (key, name) = group_of(by, &row);
            let group = groups.entry(key).or_default();
            group.name = name;
            group.add(&row);
            total.add(&row);
        }
        Ok(ImplementationReport {
            year,
            by,
            rows: groups
                .iter()
                .map(|(key, tally)| tally.row(key.clone()))
                .collect(),
            total: total.row("total".into()),
        })
    }
}
