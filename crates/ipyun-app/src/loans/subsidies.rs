//! Subsidy programmes (贴息 / 费用补贴, L4): an office creates one for its region with its rules,
//! appropriates its annual budget into it through the ledger, and reads its report: the budget
//! appropriated, paid, committed and left, the applications by status, and the days from
//! application to payout. Applications and payouts: `subsidy_applications.rs`.

use super::funds::{AccountBalance, AppropriationInput, JournalView, journal_view};
use super::ledger::{ledger_error, posting_error};
use super::{conflict, internal, province};
use crate::{App, AppError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ipyun_db::loans::{NewProgramme, ProgrammeRecord};
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::id::RegionCode;
use ipyun_domain::loan::{
    Account, AppropriationError, BudgetPosition, PayoutTimes, SubsidyKind, SubsidyRules,
    SubsidyStatus, subsidy_account, subsidy_appropriation, subsidy_budget_account,
};
use ipyun_domain::party::PartyKind;
use ipyun_domain::valuation::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The longest programme name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// A programme as an office creates it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubsidyProgrammeInput {
    pub name: String,
    /// The cost covered: `interest`, `valuation_fee`, `insurance_fee` or `guarantee_fee`.
    pub kind: SubsidyKind,
    /// A GB/T 2260 code: enterprises in it or any region within it are covered.
    pub region: String,
    /// The share of the cost covered, 1–10,000 basis points.
    pub rate_bp: i64,
    /// The most paid on one application, in fen.
    pub cap_per_application_fen: i64,
    /// The most appropriated into the programme in one calendar year, in fen.
    pub annual_budget_fen: i64,
    /// The first and last day applications are taken.
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// The office keeping the programme: an administrator names it; an office keeps its own.
    pub office_id: Option<i64>,
}

/// A programme's budget, in fen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubsidyBudgetView {
    pub annual_budget_fen: i64,
    /// Appropriated in all, and in this calendar year.
    pub appropriated_fen: i64,
    pub appropriated_this_year_fen: i64,
    /// Paid to enterprises.
    pub paid_fen: i64,
    /// Approved and not yet paid.
    pub committed_fen: i64,
    /// The money in the programme: appropriated less paid. Never below zero.
    pub balance_fen: i64,
    /// What new approvals may still use: the balance less what is committed.
    pub left_fen: i64,
}

/// How many applications stand in each status.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SubsidyCounts {
    pub submitted: i64,
    pub approved: i64,
    pub payout_drafted: i64,
    pub paid: i64,
    pub refused: i64,
    pub total: i64,
}

/// Days from application to payout over the paid applications.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayoutTimesView {
    pub paid: u64,
    /// Half up to a tenth of a day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "4.5")]
    pub average_days: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_days: Option<i64>,
}

/// A programme: its rules and its report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubsidyProgrammeView {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub kind: SubsidyKind,
    pub region: String,
    pub rate_bp: i64,
    pub cap_per_application_fen: i64,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub budget: SubsidyBudgetView,
    pub applications: SubsidyCounts,
    pub days_to_payout: PayoutTimesView,
    /// The accounts this programme's entries touched, with their balances now (its office, the
    /// national office and administrators only).
    pub accounts: Vec<AccountBalance>,
    /// The sum of every balance of the whole ledger: always zero.
    pub ledger_total_fen: i64,
    /// Appropriations and payouts (its office, the national office and administrators only).
    pub journal: Vec<JournalView>,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn programme_not_found(id: i64) -> AppError {
    AppError::not_found(
        "subsidy.programme_not_found",
        format!("no subsidy programme {id}"),
    )
}

/// The domain's rules of a stored programme.
pub(crate) fn subsidy_rules(programme: &ProgrammeRecord) -> Result<SubsidyRules, AppError> {
    Ok(SubsidyRules {
        programme_id: programme.id,
        kind: programme.kind,
        region: RegionCode::parse(&programme.region).map_err(|error| internal(error.message))?,
        rate_bp: programme.rate_bp,
        cap_per_application_fen: programme.cap_per_application_fen,
        annual_budget_fen: programme.annual_budget_fen,
        opens_on: programme.opens_on,
        closes_on: programme.closes_on,
    })
}

/// Whether the principal is a user of the office keeping the programme.
pub(crate) fn keeps_programme(principal: &Principal, programme: &ProgrammeRecord) -> bool {
    matches!(
        principal.role,
        Role::ProvincialOffice | Role::NationalOffice
    ) && principal.party_id == Some(programme.office_id)
}

/// Whether the principal sees the programme's journal and accounts: its office, the national
/// office and administrators.
fn sees_the_books(principal: &Principal, programme: &ProgrammeRecord) -> bool {
    matches!(principal.role, Role::PlatformAdmin | Role::NationalOffice)
        || keeps_programme(principal, programme)
}

/// Whether the principal may see the programme: the offices above and over it, and any
/// enterprise (a programme is public policy; applying needs it).
pub(crate) fn may_see_programme(principal: &Principal, programme: &ProgrammeRecord) -> bool {
    match principal.role {
        Role::PlatformAdmin | Role::NationalOffice => true,
        Role::ProvincialOffice => {
            keeps_programme(principal, programme)
                || province(principal)
                    .is_some_and(|prefix| programme.region.starts_with(prefix.as_str()))
        }
        Role::Enterprise => principal.party_id.is_some(),
        _ => false,
    }
}

/// The first day of `date`'s year and of the next.
pub(crate) fn year_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date);
    let end = NaiveDate::from_ymd_opt(date.year() + 1, 1, 1).unwrap_or(date);
    (start, end)
}

impl App {
    /// An office creates a programme for its province or a region within it; the national office
    /// for any; an administrator for the office it names.
    pub async fn create_subsidy_programme(
        &self,
        principal: &Principal,
        input: &SubsidyProgrammeInput,
    ) -> Result<SubsidyProgrammeView, AppError> {
        let office_id = match (principal.role, principal.party_id) {
            (Role::ProvincialOffice | Role::NationalOffice, Some(own)) => {
                if input.office_id.is_some_and(|office| office != own) {
                    return Err(AppError::forbidden(
                        "an office creates programmes it keeps itself",
                    ));
                }
                own
            }
            (Role::PlatformAdmin, _) => input.office_id.ok_or_else(|| {
                AppError::validation(FieldErrors(vec![FieldError::required("office_id")]))
            })?,
            _ => {
                return Err(AppError::forbidden(
                    "only IP offices create subsidy programmes",
                ));
            }
        };
        let mut errors = FieldErrors::default();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                "length",
                format!("a programme's name has 1 to {MAX_NAME_CHARS} characters"),
            ));
        }
        let office = self.db.get_party(office_id).await?;
        if !office.is_some_and(|party| party.kind == PartyKind::IpOffice) {
            errors.push(FieldError::new(
                "office_id",
                "not_an_office",
                "the programme's keeper is an IP office",
            ));
        }
        let region = match RegionCode::parse(&input.region) {
            Ok(region) => Some(region),
            Err(error) => {
                errors.push(FieldError::new("region", error.code, error.message));
                None
            }
        };
        if let Some(region) = region.clone() {
            let rules = SubsidyRules {
                programme_id: 0,
                kind: input.kind,
                region,
                rate_bp: input.rate_bp,
                cap_per_application_fen: input.cap_per_application_fen,
                annual_budget_fen: input.annual_budget_fen,
                opens_on: input.opens_on,
                closes_on: input.closes_on,
            };
            if let Err(found) = rules.validate() {
                errors.0.extend(found.0);
            }
        }
        errors.into_result().map_err(AppError::validation)?;
        let region = region.ok_or_else(|| internal("a valid programme without a region"))?;
        if principal.role == Role::ProvincialOffice {
            let inside = province(principal)
                .is_some_and(|prefix| region.as_str().starts_with(prefix.as_str()));
            if !inside {
                return Err(AppError::forbidden(
                    "a provincial office creates programmes for its own province",
                ));
            }
        }
        let programme = NewProgramme {
            name,
            office_id,
            kind: input.kind,
            region: region.as_str(),
            rate_bp: input.rate_bp,
            cap_per_application_fen: input.cap_per_application_fen,
            annual_budget_fen: input.annual_budget_fen,
            opens_on: input.opens_on,
            closes_on: input.closes_on,
            actor: &principal.username,
        };
        let id = self
            .db
            .insert_subsidy_programme(&programme, self.clock.now())
            .await?;
        self.subsidy_programme_view(principal, id).await
    }

    /// A programme the principal may see, or "not found".
    pub(crate) async fn visible_programme(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<ProgrammeRecord, AppError> {
        let programme = self
            .db
            .get_subsidy_programme(id)
            .await?
            .filter(|programme| may_see_programme(principal, programme))
            .ok_or_else(|| programme_not_found(id))?;
        Ok(programme)
    }

    /// A programme with its report.
    pub async fn get_subsidy_programme(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<SubsidyProgrammeView, AppError> {
        self.visible_programme(principal, id).await?;
        self.subsidy_programme_view(principal, id).await
    }

    /// The programme's office (or an administrator) moves budget into it: a receipt from the
    /// programme's budget line, no approval, within the annual budget.
    pub async fn appropriate_to_subsidy_programme(
        &self,
        principal: &Principal,
        id: i64,
        input: &AppropriationInput,
    ) -> Result<SubsidyProgrammeView, AppError> {
        let programme = self.visible_programme(principal, id).await?;
        if !(keeps_programme(principal, &programme) || principal.role == Role::PlatformAdmin) {
            return Err(AppError::forbidden(
                "only the programme's office appropriates to it",
            ));
        }
        let rules = subsidy_rules(&programme)?;
        let today = self.clock.today();
        let (start, end) = year_of(today);
        let totals = self.db.subsidy_totals(id, start, end).await?;
        let entry = subsidy_appropriation(
            &rules,
            totals.appropriated_in_year_fen,
            input.amount_fen,
            today,
        )
        .map_err(|error| match error {
            AppropriationError::Invalid(errors) => AppError::validation(errors),
            AppropriationError::AboveAnnualBudget { .. } => {
                conflict("subsidy.above_annual_budget", error.to_string())
            }
            AppropriationError::Ledger(error) => ledger_error(&error),
        })?;
        self.check_entries(std::slice::from_ref(&entry)).await?;
        self.db
            .appropriate_subsidy(
                id,
                input.amount_fen,
                &entry,
                &principal.username,
                self.clock.now(),
            )
            .await
            .map_err(posting_error)?;
        self.subsidy_programme_view(principal, id).await
    }

    /// The budget position of a programme now, and what was appropriated this year.
    pub(crate) async fn subsidy_position(
        &self,
        id: i64,
    ) -> Result<(BudgetPosition, i64), AppError> {
        let (start, end) = year_of(self.clock.today());
        let totals = self.db.subsidy_totals(id, start, end).await?;
        Ok((
            BudgetPosition {
                appropriated_fen: totals.appropriated_fen,
                paid_fen: totals.paid_fen,
                committed_fen: totals.committed_fen,
            },
            totals.appropriated_in_year_fen,
        ))
    }

    pub(crate) async fn subsidy_programme_view(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<SubsidyProgrammeView, AppError> {
        let programme = self
            .db
            .get_subsidy_programme(id)
            .await?
            .ok_or_else(|| programme_not_found(id))?;
        let (position, appropriated_this_year_fen) = self.subsidy_position(id).await?;
        let mut applications = SubsidyCounts::default();
        for (status, count) in self.db.subsidy_status_counts(id).await? {
            let slot = match status {
                SubsidyStatus::Submitted => &mut applications.submitted,
                SubsidyStatus::Approved => &mut applications.approved,
                SubsidyStatus::PayoutDrafted => &mut applications.payout_drafted,
                SubsidyStatus::Paid => &mut applications.paid,
                SubsidyStatus::Refused => &mut applications.refused,
            };
            *slot += count;
            applications.total += count;
        }
        let times = PayoutTimes::of(self.db.subsidy_payout_dates(id).await?);
        let (accounts, journal) = if sees_the_books(principal, &programme) {
            let journal = self.db.subsidy_journal(id).await?;
            let mut accounts: BTreeSet<Account> = [subsidy_budget_account(id), subsidy_account(id)]
                .into_iter()
                .collect();
            accounts.extend(
                journal
                    .iter()
                    .flat_map(|entry| entry.lines.iter().map(|line| line.account)),
            );
            let accounts: Vec<Account> = accounts.into_iter().collect();
            let balances = self.db.ledger_balances(&accounts).await?;
            (
                balances
                    .into_iter()
                    .map(|(account, balance_fen)| AccountBalance {
                        account,
                        balance_fen,
                    })
                    .collect(),
                journal.into_iter().map(journal_view).collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(SubsidyProgrammeView {
            id: programme.id,
            name: programme.name,
            office_id: programme.office_id,
            kind: programme.kind,
            region: programme.region,
            rate_bp: programme.rate_bp,
            cap_per_application_fen: programme.cap_per_application_fen,
            opens_on: programme.opens_on,
            closes_on: programme.closes_on,
            budget: SubsidyBudgetView {
                annual_budget_fen: programme.annual_budget_fen,
                appropriated_fen: position.appropriated_fen,
                appropriated_this_year_fen,
                paid_fen: position.paid_fen,
                committed_fen: position.committed_fen,
                balance_fen: position.balance_fen(),
                left_fen: position.left_fen(),
            },
            applications,
            days_to_payout: PayoutTimesView {
                paid: times.paid,
                average_days: times.average_days(),
                max_days: times.max_days,
            },
            accounts,
            ledger_total_fen: self.db.ledger_total_fen().await?,
            journal,
            created_at: programme.created_at,
        })
    }
}
