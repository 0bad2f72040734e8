//! What the daily job reads of pledged rights (collateral surveillance) and the alerts it keeps:
//! one open row per loan, right and risk; the notices go to the lender's users.

use super::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::NaiveDate;
use ipyun_domain::loan::{CollateralFacts, CollateralRisk};
use ipyun_domain::right::{LegalStatus, RightKind};

/// A right under an active pledge of a running loan, as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollateralRow {
    pub loan_id: i64,
    pub lender_id: i64,
    pub contract_no: String,
    pub maturity: NaiveDate,
    pub pledge_id: i64,
    pub registration_no: String,
    pub right_id: i64,
    pub right_number: String,
    pub facts: CollateralFacts,
}

#[derive(sqlx::FromRow)]
struct CollateralSqlRow {
    loan_id: i64,
    lender_id: i64,
    contract_no: String,
    maturity: NaiveDate,
    pledge_id: i64,
    registration_no: String,
    right_id: i64,
    right_number: String,
    kind: String,
    legal_status: String,
    annual_fee_paid_until: Option<NaiveDate>,
    expiry_date: Option<NaiveDate>,
    held_by_pledgor: bool,
}

/// An open alert: which loan, right and risk.
pub type AlertKey = (i64, i64, CollateralRisk);

/// An alert to raise, with the notice its lender's users get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub loan_id: i64,
    pub lender_id: i64,
    pub pledge_id: i64,
    pub right_id: i64,
    pub risk: CollateralRisk,
    pub notice: String,
}

/// A notice for every user of a lender, about one loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenderNotice {
    pub lender_id: i64,
    pub loan_id: i64,
    /// `loan.overdue`, `loan.downgraded`.
    pub kind: &'static str,
    pub body: String,
}

/// The daily job's alerts: raised, cleared, and the notices of loans newly overdue or downgraded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayAlerts {
    pub raised: Vec<NewAlert>,
    pub cleared: Vec<AlertKey>,
    pub notices: Vec<LenderNotice>,
}

impl Db {
    /// Every right under an active pledge of an active loan, with the facts surveillance needs.
    pub async fn collateral_for_day(&self) -> Result<Vec<CollateralRow>, DbError> {
        let rows: Vec<CollateralSqlRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT l.id AS loan_id, l.lender_id, l.contract_no, l.maturity, p.id AS pledge_id, p.registration_no, \
             r.id AS right_id, r.number AS right_number, r.kind, r.legal_status, r.annual_fee_paid_until, r.expiry_date, \
             EXISTS (SELECT 1 FROM right_holders h WHERE h.right_id = r.id AND (h.party_id = p.pledgor_id \
               OR (h.party_id IS NULL AND h.uscc IS NOT NULL AND h.uscc = pp.uscc))) AS held_by_pledgor \
             FROM loans l JOIN loan_pledges lp ON lp.loan_id = l.id \
             JOIN pledges p ON p.id = lp.pledge_id AND p.status = 'active' \
             JOIN parties pp ON pp.id = p.pledgor_id \
             JOIN pledge_rights pr ON pr.pledge_id = p.id AND pr.active \
             JOIN rights r ON r.id = pr.right_id \
             WHERE l.status = 'active' ORDER BY l.id, r.id",
        )
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(CollateralRow {
                    facts: CollateralFacts {
                        kind: RightKind::parse(&row.kind)
                            .map_err(|error| corrupt("rights.kind", error))?,
                        legal_status: LegalStatus::parse(&row.legal_status)
                            .map_err(|error| corrupt("rights.legal_status", error))?,
                        annual_fee_paid_until: row.annual_fee_paid_until,
                        expiry_date: row.expiry_date,
                        held_by_pledgor: row.held_by_pledgor,
                    },
                    loan_id: row.loan_id,
                    lender_id: row.lender_id,
                    contract_no: row.contract_no,
                    maturity: row.maturity,
                    pledge_id: row.pledge_id,
                    registration_no: row.registration_no,
                    right_id: row.right_id,
                    right_number: row.right_number,
                })
            })
            .collect()
    }

    /// The alerts raised and not cleared.
    pub async fn open_collateral_alerts(&self) -> Result<Vec<AlertKey>, DbError> {
        let rows: Vec<(i64, i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT loan_id, right_id, risk FROM collateral_alerts WHERE cleared_on IS NULL",
        )
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(loan_id, right_id, risk)| {
                let risk = CollateralRisk::parse(&risk)
                    .map_err(|error| corrupt("collateral_alerts.risk", error))?;
                Ok((loan_id, right_id, risk))
            })
            .collect()
    }
}

/// Writes the day's alerts in the caller's transaction: raised rows and their notices to each
/// user of the lender, cleared rows, loan notices. Answers how many notices were written.
macro_rules! apply_alerts_in {
    ($executor:expr, $alerts:expr, $date:expr, $now:expr) => {
        async {
            let alerts: &$crate::loans::DayAlerts = $alerts;
            let mut notices: u64 = 0;
            for alert in &alerts.raised {
                sqlx::query(
                    "INSERT INTO collateral_alerts (loan_id, lender_id, pledge_id, right_id, risk, raised_on) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(alert.loan_id)
                .bind(alert.lender_id)
                .bind(alert.pledge_id)
                .bind(alert.right_id)
                .bind(alert.risk.as_str())
                .bind($date)
                .execute($executor)
                .await?;
                notices += sqlx::query(
                    "INSERT INTO user_notices (user_id, kind, subject_id, body, created_at) \
                     SELECT id, 'collateral.alert', $1, $2, $3 FROM users WHERE party_id = $4 AND NOT disabled",
                )
                .bind(alert.loan_id)
                .bind(&alert.notice)
                .bind($now)
                .bind(alert.lender_id)
                .execute($executor)
                .await?
                .rows_affected();
            }
            for (loan_id, right_id, risk) in &alerts.cleared {
                sqlx::query(
                    "UPDATE collateral_alerts SET cleared_on = $4 WHERE loan_id = $1 AND right_id = $2 \
                     AND risk = $3 AND cleared_on IS NULL",
                )
                .bind(*loan_id)
                .bind(*right_id)
                .bind(risk.as_str())
                .bind($date)
                .execute($executor)
                .await?;
            }
            for notice in &alerts.notices {
                notices += sqlx::query(
                    "INSERT INTO user_notices (user_id, kind, subject_id, body, created_at) \
                     SELECT id, $1, $2, $3, $4 FROM users WHERE party_id = $5 AND NOT disabled",
                )
                .bind(notice.kind)
                .bind(notice.loan_id)
                .bind(&notice.body)
                .bind($now)
                .bind(notice.lender_id)
                .execute($executor)
                .await?
                .rows_affected();
            }
            Ok::<u64, sqlx::Error>(notices)
        }
        .await
    };
}
pub(crate) use apply_alerts_in;
