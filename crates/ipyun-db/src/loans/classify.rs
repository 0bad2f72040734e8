//! The five-category classification: the daily job's reads and writes, lenders' overrides, and
//! the rows the NPL ratio is computed from.

use super::records::{LOAN_WHERE, bind_loan_filter, risk_class};
use super::{LoanFilter, corrupt};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::RiskClass;

/// What the daily job reads of an active loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanDayRow {
    pub loan_id: i64,
    pub lender_id: i64,
    pub contract_no: String,
    pub risk_class: RiskClass,
    pub override_class: Option<RiskClass>,
    pub restructured_until: Option<NaiveDate>,
    pub days_overdue: i64,
    /// The due date of the oldest instalment unsettled before the job's date.
    pub oldest_unsettled: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct LoanDaySqlRow {
    loan_id: i64,
    lender_id: i64,
    contract_no: String,
    risk_class: String,
    override_class: Option<String>,
    restructured_until: Option<NaiveDate>,
    days_overdue: i64,
    oldest_unsettled: Option<NaiveDate>,
}

/// One loan's new state after the daily job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassUpdate {
    pub loan_id: i64,
    pub days_overdue: i64,
    /// The class it was read in (the update applies only if it is still in it).
    pub from_class: RiskClass,
    pub to_class: RiskClass,
    pub floor_class: RiskClass,
    pub floor_rule: String,
    /// The lender's override is below the new floor: it lapses.
    pub drop_override: bool,
}

/// The daily job's counts, kept per date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanDayRun {
    pub date: NaiveDate,
    pub loans: i64,
    pub overdue: i64,
    pub reclassified: i64,
    pub alerts: i64,
}

/// A lender's override (or its removal) with the floor it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideWrite<'a> {
    pub loan_id: i64,
    pub on_date: NaiveDate,
    pub from_class: RiskClass,
    pub to_class: RiskClass,
    pub override_class: Option<RiskClass>,
    pub reason: Option<&'a str>,
    pub restructured_until: Option<NaiveDate>,
    pub floor_class: RiskClass,
    pub floor_rule: &'a str,
    pub days_overdue: i64,
    pub actor: &'a str,
}

/// One loan as the NPL ratio counts it at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NplRow {
    pub loan_id: i64,
    pub lender_id: i64,
    pub lender_name: String,
    pub park_id: Option<i64>,
    pub park_name: Option<String>,
    pub region: Option<String>,
    /// Its class at the date (the last one given on or before it).
    pub risk_class: RiskClass,
    /// Principal disbursed on or before the date, less principal repaid by then.
    pub balance_fen: i64,
}

#[derive(sqlx::FromRow)]
struct NplSqlRow {
    loan_id: i64,
    lender_id: i64,
    lender_name: String,
    park_id: Option<i64>,
    park_name: Option<String>,
    region: Option<String>,
    risk_class: Option<String>,
    disbursed_fen: i64,
    repaid_fen: i64,
}

impl Db {
    /// Every active loan, with the oldest instalment unsettled before `date`.
    pub async fn loans_for_day(&self, date: NaiveDate) -> Result<Vec<LoanDayRow>, DbError> {
        let rows: Vec<LoanDaySqlRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT l.id AS loan_id, l.lender_id, l.contract_no, l.risk_class, l.override_class, l.restructured_until, l.days_overdue, \
             (SELECT MIN(i.due_date) FROM loan_instalments i WHERE i.loan_id = l.id AND NOT i.settled AND i.due_date < $1) \
             AS oldest_unsettled FROM loans l WHERE l.status = 'active' ORDER BY l.id",
        )
        .bind(date)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(LoanDayRow {
                    risk_class: risk_class("loans.risk_class", &row.risk_class)?,
                    override_class: row
                        .override_class
                        .as_deref()
                        .map(|text| risk_class("loans.override_class", text))
                        .transpose()?,
                    loan_id: row.loan_id,
                    lender_id: row.lender_id,
                    contract_no: row.contract_no,
                    restructured_until: row.restructured_until,
                    days_overdue: row.days_overdue,
                    oldest_unsettled: row.oldest_unsettled,
                })
            })
            .collect()
    }

    /// Writes the daily job's changes in one transaction: each loan's days overdue and class, a
    /// history row and an audit entry per change of class, the collateral alerts raised and
    /// cleared with their notices, and the run's counts. Answers the notices written.
    pub async fn apply_loan_day(
        &self,
        updates: &[ClassUpdate],
        alerts: &super::DayAlerts,
        run: &LoanDayRun,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        let run_after =
            serde_json::json!({"date": run.date, "loans": run.loans, "overdue": run.overdue,
            "reclassified": run.reclassified, "alerts": run.alerts})
            .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for update in updates {
                let changed = sqlx::query(
                    "UPDATE loans SET days_overdue = $2, risk_class = $3, \
                     override_class = CASE WHEN $4 THEN NULL ELSE override_class END, \
                     override_reason = CASE WHEN $4 THEN NULL ELSE override_reason END, \
                     classified_on = $5, updated_at = $6 WHERE id = $1 AND risk_class = $7 AND status = 'active'",
                )
                .bind(update.loan_id)
                .bind(update.days_overdue)
                .bind(update.to_class.as_str())
                .bind(update.drop_override)
                .bind(run.date)
                .bind(now)
                .bind(update.from_class.as_str())
                .execute(&mut *transaction)
                .await?;
                // A loan repaid or overridden meanwhile is left as it is: the next run sees it.
                if changed.rows_affected() != 1 || update.to_class == update.from_class {
                    continue;
                }
                let reason = update.drop_override.then_some("the override lapsed: below the new floor");
                sqlx::query(
                    "INSERT INTO loan_class_changes (loan_id, on_date, from_class, to_class, floor_class, floor_rule, \
                     days_overdue, source, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'daily_job', $8, $9, $10)",
                )
                .bind(update.loan_id)
                .bind(run.date)
                .bind(update.from_class.as_str())
                .bind(update.to_class.as_str())
                .bind(update.floor_class.as_str())
                .bind(&update.floor_rule)
                .bind(update.days_overdue)
                .bind(reason)
                .bind(actor)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
                let before = serde_json::json!({"risk_class": update.from_class.as_str()}).to_string();
                let after = serde_json::json!({"risk_class": update.to_class.as_str(), "date": run.date,
                    "days_overdue": update.days_overdue, "floor_rule": update.floor_rule,
                    "override_dropped": update.drop_override}).to_string();
                crate::audit::append_in!(&mut *transaction, actor, "loan.reclassify", "loan",
                    &update.loan_id.to_string(), Some(&before), Some(&after), now)?;
            }
            sqlx::query(
                "INSERT INTO loan_day_runs (run_date, loans, overdue, reclassified, alerts, actor, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_date) DO UPDATE SET loans = excluded.loans, \
                 overdue = excluded.overdue, reclassified = excluded.reclassified, alerts = excluded.alerts, \
                 actor = excluded.actor, at = excluded.at",
            )
            .bind(run.date)
            .bind(run.loans)
            .bind(run.overdue)
            .bind(run.reclassified)
            .bind(run.alerts)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let notices = super::surveillance::apply_alerts_in!(&mut *transaction, alerts, run.date, now)?;
            crate::audit::append_in!(&mut *transaction, actor, "loan_day.run", "loan_day", &run.date.to_string(),
                None::<&str>, Some(&run_after), now)?;
            transaction.commit().await?;
            Ok(notices)
        })
    }

    /// Records a lender's override (or its removal, or a restructuring) with its history row and
    /// audit entry; only from the class the loan was read in ([`DbError::Stale`] otherwise).
    pub async fn set_loan_override(
        &self,
        write: &OverrideWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let before = serde_json::json!({"risk_class": write.from_class.as_str()}).to_string();
        let after = serde_json::json!({"risk_class": write.to_class.as_str(),
            "override_class": write.override_class.map(RiskClass::as_str), "reason": write.reason,
            "restructured_until": write.restructured_until, "floor_class": write.floor_class.as_str(),
            "floor_rule": write.floor_rule}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE loans SET risk_class = $2, override_class = $3, override_reason = $4, restructured_until = $5, \
                 classified_on = $6, updated_at = $7 WHERE id = $1 AND risk_class = $8",
            )
            .bind(write.loan_id)
            .bind(write.to_class.as_str())
            .bind(write.override_class.map(RiskClass::as_str))
            .bind(write.reason)
            .bind(write.restructured_until)
            .bind(write.on_date)
            .bind(now)
            .bind(write.from_class.as_str())
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("loan {} was reclassified meanwhile", write.loan_id)));
            }
            sqlx::query(
                "INSERT INTO loan_class_changes (loan_id, on_date, from_class, to_class, floor_class, floor_rule, \
                 days_overdue, source, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'override', $8, $9, $10)",
            )
            .bind(write.loan_id)
            .bind(write.on_date)
            .bind(write.from_class.as_str())
            .bind(write.to_class.as_str())
            .bind(write.floor_class.as_str())
            .bind(write.floor_rule)
            .bind(write.days_overdue)
            .bind(write.reason)
            .bind(write.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "loan.classify", "loan",
                &write.loan_id.to_string(), Some(&before), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// The loans matching `filter` that had started by `as_of`, each with its class and principal
    /// balance at that date.
    pub async fn npl_rows(
        &self,
        filter: &LoanFilter,
        as_of: NaiveDate,
    ) -> Result<Vec<NplRow>, DbError> {
        let region_like = filter.region_like();
        let sql = format!(
            "SELECT l.id AS loan_id, l.lender_id, lp.name AS lender_name, b.park_id, pk.name AS park_name, b.region, \
             (SELECT h.to_class FROM loan_class_changes h WHERE h.loan_id = l.id AND h.on_date <= $7 \
              ORDER BY h.on_date DESC, h.id DESC LIMIT 1) AS risk_class, \
             CAST((SELECT COALESCE(SUM(d.principal_fen), 0) FROM loan_disbursements d \
              WHERE d.loan_id = l.id AND d.disbursed_on <= $7) AS BIGINT) AS disbursed_fen, \
             CAST((SELECT COALESCE(SUM(r.principal_fen), 0) FROM loan_repayments r \
              WHERE r.loan_id = l.id AND r.received_on <= $7) AS BIGINT) AS repaid_fen \
             FROM loans l JOIN parties lp ON lp.id = l.lender_id JOIN parties b ON b.id = l.borrower_id \
             LEFT JOIN parties pk ON pk.id = b.park_id{LOAN_WHERE} AND l.start_date <= $7 ORDER BY l.id"
        );
        let rows: Vec<NplSqlRow> = on_pool!(self, pool => bind_loan_filter!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), filter, &region_like)
            .bind(as_of)
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|row| {
                let class = match row.risk_class.as_deref() {
                    Some(text) => risk_class("loan_class_changes.to_class", text)?,
                    None => {
                        return Err(corrupt(
                            "loan_class_changes",
                            format!("loan {} has no class", row.loan_id),
                        ));
                    }
                };
                Ok(NplRow {
                    loan_id: row.loan_id,
                    lender_id: row.lender_id,
                    lender_name: row.lender_name,
                    park_id: row.park_id,
                    park_name: row.park_name,
                    region: row.region,
                    risk_class: class,
                    balance_fen: (row.disbursed_fen - row.repaid_fen).max(0),
                })
            })
            .collect()
    }
}
