//! Loans as stored, and the rows that belong to them.

use super::corrupt;
use crate::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{DayCount, RepaymentMethod, RiskClass};
use ipyun_domain::pledge::PledgeStatus;
use serde::{Deserialize, Serialize};

/// Where a loan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanStatus {
    /// Something is still owed.
    Active,
    /// Every instalment is settled: the pledges may be cancelled.
    Repaid,
    /// Closed by the disposal of its pledges: what the proceeds did not cover is written off.
    Disposed,
}

impl LoanStatus {
    pub const ALL: &'static [LoanStatus] =
        &[LoanStatus::Active, LoanStatus::Repaid, LoanStatus::Disposed];

    pub fn as_str(self) -> &'static str {
        match self {
            LoanStatus::Active => "active",
            LoanStatus::Repaid => "repaid",
            LoanStatus::Disposed => "disposed",
        }
    }

    pub fn parse(text: &str) -> Option<LoanStatus> {
        LoanStatus::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == text)
    }
}

/// Which loans to list or count; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub lender_id: Option<i64>,
    pub borrower_id: Option<i64>,
    /// Loans to enterprises of this park.
    pub park_id: Option<i64>,
    /// Loans to borrowers whose region code starts with this (`32`: Jiangsu).
    pub region_prefix: Option<String>,
    pub status: Option<LoanStatus>,
    pub risk_class: Option<RiskClass>,
}

impl LoanFilter {
    /// The `LIKE` pattern of the region prefix (digits only).
    pub(crate) fn region_like(&self) -> Option<String> {
        self.region_prefix.as_deref().map(|prefix| {
            let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
            format!("{digits}%")
        })
    }
}

/// The `WHERE` of a loan filter over `loans l` and the borrower `b`, binding `$1`–`$6`.
pub(crate) const LOAN_WHERE: &str = " WHERE ($1 IS NULL OR l.lender_id = $1) \
     AND ($2 IS NULL OR l.borrower_id = $2) AND ($3 IS NULL OR b.park_id = $3) \
     AND ($4 IS NULL OR b.region LIKE $4) AND ($5 IS NULL OR l.status = $5) \
     AND ($6 IS NULL OR l.risk_class = $6)";

/// Binds a [`LoanFilter`] as `$1`–`$6` of [`LOAN_WHERE`].
macro_rules! bind_loan_filter {
    ($query:expr, $filter:expr, $region_like:expr) => {
        $query
            .bind($filter.lender_id)
            .bind($filter.borrower_id)
            .bind($filter.park_id)
            .bind($region_like)
            .bind($filter.status.map(|status| status.as_str()))
            .bind($filter.risk_class.map(|class| class.as_str()))
    };
}
pub(crate) use bind_loan_filter;

/// A loan as stored, with its parties' names and the borrower's region and park.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRecord {
    pub id: i64,
    pub lender_id: i64,
    pub lender_name: String,
    pub borrower_id: i64,
    pub borrower_name: String,
    pub borrower_region: Option<String>,
    pub borrower_park_id: Option<i64>,
    pub contract_no: String,
    pub product_id: Option<i64>,
    pub amount_fen: i64,
    pub annual_rate_ppm: i64,
    pub method: RepaymentMethod,
    pub day_count: DayCount,
    pub start_date: NaiveDate,
    pub months: u32,
    pub maturity: NaiveDate,
    pub status: LoanStatus,
    pub principal_outstanding_fen: i64,
    pub days_overdue: i64,
    pub risk_class: RiskClass,
    pub override_class: Option<RiskClass>,
    pub override_reason: Option<String>,
    pub restructured_until: Option<NaiveDate>,
    pub classified_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const LOAN_SELECT: &str = "SELECT l.id, l.lender_id, lp.name AS lender_name, l.borrower_id, \
     b.name AS borrower_name, b.region AS borrower_region, b.park_id AS borrower_park_id, l.contract_no, \
     l.product_id, l.amount_fen, l.annual_rate_ppm, l.method, l.day_count, l.start_date, l.months, \
     l.maturity, l.status, l.principal_outstanding_fen, l.days_overdue, l.risk_class, l.override_class, \
     l.override_reason, l.restructured_until, l.classified_on, l.created_by, l.created_at, l.updated_at \
     FROM loans l JOIN parties lp ON lp.id = l.lender_id JOIN parties b ON b.id = l.borrower_id";

#[derive(sqlx::FromRow)]
pub(crate) struct LoanRow {
    id: i64,
    lender_id: i64,
    lender_name: String,
    borrower_id: i64,
    borrower_name: String,
    borrower_region: Option<String>,
    borrower_park_id: Option<i64>,
    contract_no: String,
    product_id: Option<i64>,
    amount_fen: i64,
    annual_rate_ppm: i64,
    method: String,
    day_count: String,
    start_date: NaiveDate,
    months: i64,
    maturity: NaiveDate,
    status: String,
    principal_outstanding_fen: i64,
    days_overdue: i64,
    risk_class: String,
    override_class: Option<String>,
    override_reason: Option<String>,
    restructured_until: Option<NaiveDate>,
    classified_on: Option<NaiveDate>,
    created_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

pub(crate) fn risk_class(what: &str, text: &str) -> Result<RiskClass, DbError> {
    RiskClass::parse(text).map_err(|error| corrupt(what, error))
}

impl LoanRow {
    pub(crate) fn into_record(self) -> Result<LoanRecord, DbError> {
        Ok(LoanRecord {
            method: RepaymentMethod::parse(&self.method)
                .map_err(|error| corrupt("loans.method", error))?,
            day_count: DayCount::parse(&self.day_count)
                .map_err(|error| corrupt("loans.day_count", error))?,
            status: LoanStatus::parse(&self.status)
                .ok_or_else(|| corrupt("loans.status", &self.status))?,
            risk_class: risk_class("loans.risk_class", &self.risk_class)?,
            override_class: self
                .override_class
                .as_deref()
                .map(|text| risk_class("loans.override_class", text))
                .transpose()?,
            months: super::non_negative("loans.months", self.months)?,
            id: self.id,
            lender_id: self.lender_id,
            lender_name: self.lender_name,
            borrower_id: self.borrower_id,
            borrower_name: self.borrower_name,
            borrower_region: self.borrower_region,
            borrower_park_id: self.borrower_park_id,
            contract_no: self.contract_no,
            product_id: self.product_id,
            amount_fen: self.amount_fen,
            annual_rate_ppm: self.annual_rate_ppm,
            start_date: self.start_date,
            maturity: self.maturity,
            principal_outstanding_fen: self.principal_outstanding_fen,
            days_overdue: self.days_overdue,
            override_reason: self.override_reason,
            restructured_until: self.restructured_until,
            classified_on: self.classified_on,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A registered pledge as a loan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanPledgeRecord {
    pub pledge_id: i64,
    pub registration_no: String,
    pub status: PledgeStatus,
    pub pledgor_id: i64,
    pub pledgee_id: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct LoanPledgeRow {
    pub(crate) pledge_id: i64,
    pub(crate) registration_no: String,
    pub(crate) status: String,
    pub(crate) pledgor_id: i64,
    pub(crate) pledgee_id: i64,
}

impl LoanPledgeRow {
    pub(crate) fn into_record(self) -> Result<LoanPledgeRecord, DbError> {
        Ok(LoanPledgeRecord {
            status: PledgeStatus::parse(&self.status)
                .map_err(|error| corrupt("pledges.status", error))?,
            pledge_id: self.pledge_id,
            registration_no: self.registration_no,
            pledgor_id: self.pledgor_id,
            pledgee_id: self.pledgee_id,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DisbursementRecord {
    pub seq: i64,
    pub disbursed_on: NaiveDate,
    pub principal_fen: i64,
    pub months: i64,
}

/// One instalment of the schedule in force and what was paid of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InstalmentRecord {
    pub disbursement: i64,
    pub period: i64,
    pub due_date: NaiveDate,
    pub principal_due_fen: i64,
    pub interest_due_fen: i64,
    pub fees_due_fen: i64,
    /// The principal left once this instalment is paid.
    pub balance_fen: i64,
    pub principal_paid_fen: i64,
    pub interest_paid_fen: i64,
    pub fees_paid_fen: i64,
    pub settled: bool,
}

pub(crate) const INSTALMENT_COLUMNS: &str = "disbursement, period, due_date, principal_due_fen, \
     interest_due_fen, fees_due_fen, balance_fen, principal_paid_fen, interest_paid_fen, fees_paid_fen, settled";

impl InstalmentRecord {
    /// Fees + interest + principal still owed.
    pub fn outstanding_fen(&self) -> i64 {
        (self.fees_due_fen - self.fees_paid_fen)
            + (self.interest_due_fen - self.interest_paid_fen)
            + (self.principal_due_fen - self.principal_paid_fen)
    }

    /// Whether anything of it was paid.
    pub fn is_touched(&self) -> bool {
        self.principal_paid_fen + self.interest_paid_fen + self.fees_paid_fen > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RepaymentRecord {
    pub id: i64,
    /// `repayment` or `prepayment`.
    pub kind: String,
    pub received_on: NaiveDate,
    pub amount_fen: i64,
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
    pub unapplied_fen: i64,
    /// The lines applied, as JSON.
    pub detail: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One entry of a loan's classification history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassChangeRecord {
    pub id: i64,
    pub on_date: NaiveDate,
    pub from_class: Option<RiskClass>,
    pub to_class: RiskClass,
    pub floor_class: RiskClass,
    /// The floor's rule, as the domain names it (`overdue_over90_days` …).
    pub floor_rule: String,
    pub days_overdue: i64,
    /// `opened`, `daily_job` or `override`.
    pub source: String,
    pub reason: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClassChangeRow {
    id: i64,
    on_date: NaiveDate,
    from_class: Option<String>,
    to_class: String,
    floor_class: String,
    floor_rule: String,
    days_overdue: i64,
    source: String,
    reason: Option<String>,
    actor: String,
    at: DateTime<Utc>,
}

impl ClassChangeRow {
    pub(crate) fn into_record(self) -> Result<ClassChangeRecord, DbError> {
        Ok(ClassChangeRecord {
            from_class: self
                .from_class
                .as_deref()
                .map(|text| risk_class("loan_class_changes.from_class", text))
                .transpose()?,
            to_class: risk_class("loan_class_changes.to_class", &self.to_class)?,
            floor_class: risk_class("loan_class_changes.floor_class", &self.floor_class)?,
            id: self.id,
            on_date: self.on_date,
            floor_rule: self.floor_rule,
            days_overdue: self.days_overdue,
            source: self.source,
            reason: self.reason,
            actor: self.actor,
            at: self.at,
        })
    }
}
