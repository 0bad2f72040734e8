//! What the API shows of loans.

use super::LoanStatus;
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_db::loans::{
    ClassChangeRecord, DisbursementRecord, InstalmentRecord, LoanPledgeRecord, LoanRecord,
    RepaymentRecord,
};
use ipyun_domain::loan::{DayCount, Due, Floor, RepaymentMethod, RiskClass};
use ipyun_domain::pledge::PledgeStatus;
use ipyun_domain::valuation::Decimal;
use serde::Serialize;

/// A loan: its contract, where it stands and its class. Amounts in fen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanView {
    pub id: i64,
    pub contract_no: String,
    pub lender_id: i64,
    pub lender: String,
    pub borrower_id: i64,
    pub borrower: String,
    /// The financial product, for the funds' eligibility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    pub amount_fen: i64,
    /// The nominal annual rate in percent, exact (`4.9`).
    pub annual_rate_pct: String,
    pub method: RepaymentMethod,
    pub day_count: DayCount,
    pub start_date: NaiveDate,
    pub months: u32,
    pub maturity: NaiveDate,
    pub status: LoanStatus,
    pub principal_outstanding_fen: i64,
    /// Days overdue at the last classification (the oldest unsettled instalment's).
    pub days_overdue: i64,
    pub risk_class: RiskClass,
    /// The lender's own class, at or worse than the floor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_class: Option<RiskClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// The end of a restructured loan's observation period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restructured_until: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classified_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A rate in parts per million a year as an exact percentage (49,000 → `4.9`).
pub(crate) fn rate_pct(ppm: i64) -> Decimal {
    Decimal::new(ppm, 4).normalize()
}

impl From<&LoanRecord> for LoanView {
    fn from(loan: &LoanRecord) -> Self {
        LoanView {
            id: loan.id,
            contract_no: loan.contract_no.clone(),
            lender_id: loan.lender_id,
            lender: loan.lender_name.clone(),
            borrower_id: loan.borrower_id,
            borrower: loan.borrower_name.clone(),
            product_id: loan.product_id,
            amount_fen: loan.amount_fen,
            annual_rate_pct: rate_pct(loan.annual_rate_ppm).to_string(),
            method: loan.method,
            day_count: loan.day_count,
            start_date: loan.start_date,
            months: loan.months,
            maturity: loan.maturity,
            status: loan.status,
            principal_outstanding_fen: loan.principal_outstanding_fen,
            days_overdue: loan.days_overdue,
            risk_class: loan.risk_class,
            override_class: loan.override_class,
            override_reason: loan.override_reason.clone(),
            restructured_until: loan.restructured_until,
            classified_on: loan.classified_on,
            created_by: loan.created_by.clone(),
            created_at: loan.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanPledgeView {
    pub registration_no: String,
    pub status: PledgeStatus,
}

impl From<&LoanPledgeRecord> for LoanPledgeView {
    fn from(pledge: &LoanPledgeRecord) -> Self {
        LoanPledgeView {
            registration_no: pledge.registration_no.clone(),
            status: pledge.status,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DisbursementView {
    /// 0 for the first.
    pub index: i64,
    pub date: NaiveDate,
    pub principal_fen: i64,
    pub months: i64,
}

impl From<&DisbursementRecord> for DisbursementView {
    fn from(record: &DisbursementRecord) -> Self {
        DisbursementView {
            index: record.seq,
            date: record.disbursed_on,
            principal_fen: record.principal_fen,
            months: record.months,
        }
    }
}

/// One instalment of the schedule in force: what falls due, what was paid, what is owed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstalmentView {
    pub disbursement: i64,
    pub period: i64,
    pub due_date: NaiveDate,
    /// Principal + interest due.
    pub payment_fen: i64,
    pub principal_fen: i64,
    pub interest_fen: i64,
    /// Penalty interest and charges added.
    pub fees_fen: i64,
    /// The principal left once it is paid.
    pub balance_fen: i64,
    pub principal_paid_fen: i64,
    pub interest_paid_fen: i64,
    pub fees_paid_fen: i64,
    pub outstanding_fen: i64,
    pub settled: bool,
    /// Days overdue on `as_of` of the loan's detail.
    pub days_overdue: i64,
}

/// The instalment as the domain's amount still owed.
pub(crate) fn due_of(record: &InstalmentRecord) -> Due {
    Due {
        disbursement: usize::try_from(record.disbursement).unwrap_or_default(),
        period: u32::try_from(record.period).unwrap_or_default(),
        due_date: record.due_date,
        fees_fen: record.fees_due_fen - record.fees_paid_fen,
        interest_fen: record.interest_due_fen - record.interest_paid_fen,
        principal_fen: record.principal_due_fen - record.principal_paid_fen,
    }
}

pub(crate) fn instalment_view(record: &InstalmentRecord, as_of: NaiveDate) -> InstalmentView {
    InstalmentView {
        disbursement: record.disbursement,
        period: record.period,
        due_date: record.due_date,
        payment_fen: record.principal_due_fen + record.interest_due_fen,
        principal_fen: record.principal_due_fen,
        interest_fen: record.interest_due_fen,
        fees_fen: record.fees_due_fen,
        balance_fen: record.balance_fen,
        principal_paid_fen: record.principal_paid_fen,
        interest_paid_fen: record.interest_paid_fen,
        fees_paid_fen: record.fees_paid_fen,
        outstanding_fen: record.outstanding_fen(),
        settled: record.settled,
        days_overdue: due_of(record).days_overdue(as_of),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepaymentView {
    pub id: i64,
    /// `repayment` or `prepayment`.
    pub kind: String,
    pub received_on: NaiveDate,
    pub amount_fen: i64,
    pub fees_fen: i64,
    pub interest_fen: i64,
    pub principal_fen: i64,
    /// Received beyond what was due: not applied.
    pub unapplied_fen: i64,
    /// What it paid of each instalment.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub recorded_by: String,
}

impl From<&RepaymentRecord> for RepaymentView {
    fn from(record: &RepaymentRecord) -> Self {
        RepaymentView {
            id: record.id,
            kind: record.kind.clone(),
            received_on: record.received_on,
            amount_fen: record.amount_fen,
            fees_fen: record.fees_fen,
            interest_fen: record.interest_fen,
            principal_fen: record.principal_fen,
            unapplied_fen: record.unapplied_fen,
            detail: serde_json::from_str(&record.detail).unwrap_or(serde_json::Value::Null),
            recorded_by: record.recorded_by.clone(),
        }
    }
}

/// One class a loan was put in, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClassChangeView {
    pub on_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_class: Option<RiskClass>,
    pub to_class: RiskClass,
    pub floor_class: RiskClass,
    pub floor_rule: String,
    pub days_overdue: i64,
    /// `opened`, `daily_job` or `override`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub actor: String,
}

impl From<&ClassChangeRecord> for ClassChangeView {
    fn from(record: &ClassChangeRecord) -> Self {
        ClassChangeView {
            on_date: record.on_date,
            from_class: record.from_class,
            to_class: record.to_class,
            floor_class: record.floor_class,
            floor_rule: record.floor_rule.clone(),
            days_overdue: record.days_overdue,
            source: record.source.clone(),
            reason: record.reason.clone(),
            actor: record.actor.clone(),
        }
    }
}

/// A loan with its pledges, disbursements, schedule in force, repayments and class history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LoanDetail {
    pub loan: LoanView,
    pub pledges: Vec<LoanPledgeView>,
    pub disbursements: Vec<DisbursementView>,
    /// The date the instalments' days overdue and the floor are reckoned at: today, or the last
    /// classification's date when later.
    pub as_of: NaiveDate,
    /// The lowest class the rules allow on `as_of`.
    pub floor: Floor,
    pub instalments: Vec<InstalmentView>,
    pub repayments: Vec<RepaymentView>,
    pub classification_history: Vec<ClassChangeView>,
}
