//! Recording a loan with its pledges, disbursements, schedule and opening class; reading loans.

use super::records::{
    ClassChangeRow, INSTALMENT_COLUMNS, LOAN_SELECT, LOAN_WHERE, LoanPledgeRow, LoanRow,
    bind_loan_filter,
};
use super::repay::NewInstalment;
use super::{
    ClassChangeRecord, DisbursementRecord, InstalmentRecord, LoanFilter, LoanPledgeRecord,
    LoanRecord, LoanStatus, RepaymentRecord,
};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{DayCount, RepaymentMethod, RiskClass};
use ipyun_domain::page::{Page, PageRequest};

/// One drawdown of a new loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisbursement {
    pub date: NaiveDate,
    pub principal_fen: i64,
    pub months: u32,
}

/// A validated loan contract, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLoan<'a> {
    pub lender_id: i64,
    pub borrower_id: i64,
    pub contract_no: &'a str,
    pub product_id: Option<i64>,
    pub amount_fen: i64,
    pub annual_rate_ppm: i64,
    pub method: RepaymentMethod,
    pub day_count: DayCount,
    pub start_date: NaiveDate,
    pub months: u32,
    pub maturity: NaiveDate,
    pub pledge_ids: &'a [i64],
    pub disbursements: &'a [NewDisbursement],
    /// Every instalment of every disbursement.
    pub instalments: &'a [NewInstalment],
    /// The opening floor's rule, as the domain names it.
    pub floor_rule: &'a str,
    pub actor: &'a str,
}

impl Db {
    /// Stores a loan, its pledges, disbursements and schedule, and its opening class (normal),
    /// with its audit entry, in one transaction. A contract number the lender used before fails
    /// with [`DbError::Constraint`] naming `loans_lender_contract`.
    pub async fn insert_loan(
        &self,
        loan: &NewLoan<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let principal_fen: i64 = loan
            .disbursements
            .iter()
            .map(|item| item.principal_fen)
            .sum();
        let after = serde_json::json!({"contract_no": loan.contract_no, "lender_id": loan.lender_id,
            "borrower_id": loan.borrower_id, "amount_fen": loan.amount_fen, "annual_rate_ppm": loan.annual_rate_ppm,
            "method": loan.method.as_str(), "day_count": loan.day_count.as_str(), "start_date": loan.start_date,
            "months": loan.months, "pledge_ids": loan.pledge_ids, "disbursed_fen": principal_fen}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO loans (lender_id, borrower_id, contract_no, product_id, amount_fen, annual_rate_ppm, method, \
                 day_count, start_date, months, maturity, status, principal_outstanding_fen, days_overdue, risk_class, \
                 classified_on, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $9, $15, $16, $16) RETURNING id",
            )
            .bind(loan.lender_id)
            .bind(loan.borrower_id)
            .bind(loan.contract_no)
            .bind(loan.product_id)
            .bind(loan.amount_fen)
            .bind(loan.annual_rate_ppm)
            .bind(loan.method.as_str())
            .bind(loan.day_count.as_str())
            .bind(loan.start_date)
            .bind(i64::from(loan.months))
            .bind(loan.maturity)
            .bind(LoanStatus::Active.as_str())
            .bind(principal_fen)
            .bind(RiskClass::Normal.as_str())
            .bind(loan.actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            for pledge_id in loan.pledge_ids {
                sqlx::query("INSERT INTO loan_pledges (loan_id, pledge_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(pledge_id)
                    .execute(&mut *transaction)
                    .await?;
            }
            for (seq, disbursement) in loan.disbursements.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO loan_disbursements (loan_id, seq, disbursed_on, principal_fen, months) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                .bind(disbursement.date)
                .bind(disbursement.principal_fen)
                .bind(i64::from(disbursement.months))
                .execute(&mut *transaction)
                .await?;
            }
            for row in loan.instalments {
                super::repay::insert_instalment_in!(&mut *transaction, id, row)?;
            }
            sqlx::query(
                "INSERT INTO loan_class_changes (loan_id, on_date, from_class, to_class, floor_class, floor_rule, \
                 days_overdue, source, reason, actor, at) VALUES ($1, $2, NULL, $3, $3, $4, 0, 'opened', NULL, $5, $6)",
            )
            .bind(id)
            .bind(loan.start_date)
            .bind(RiskClass::Normal.as_str())
            .bind(loan.floor_rule)
            .bind(loan.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, loan.actor, "loan.create", "loan", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_loan(&self, id: i64) -> Result<Option<LoanRecord>, DbError> {
        let sql = format!("{LOAN_SELECT} WHERE l.id = $1");
        let row: Option<LoanRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(LoanRow::into_record).transpose()
    }

    /// Loans matching `filter`, newest first.
    pub async fn list_loans(
        &self,
        filter: &LoanFilter,
        page: PageRequest,
    ) -> Result<Page<LoanRecord>, DbError> {
        let region_like = filter.region_like();
        let list_sql = format!("{LOAN_SELECT}{LOAN_WHERE} ORDER BY l.id DESC LIMIT $7 OFFSET $8");
        let count_sql = format!(
            "SELECT COUNT(*) FROM loans l JOIN parties b ON b.id = l.borrower_id{LOAN_WHERE}"
        );
        let (rows, total): (Vec<LoanRow>, i64) = on_pool!(self, pool => {
            let rows = bind_loan_filter!(sqlx::query_as(sqlx::AssertSqlSafe(list_sql)), filter, &region_like)
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(pool)
                .await?;
            let total = bind_loan_filter!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), filter, &region_like)
                .fetch_one(pool)
                .await?;
            Ok::<_, DbError>((rows, total))
        })?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(LoanRow::into_record)
                .collect::<Result<_, _>>()?,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    /// The registered pledges with these registration numbers (those that exist).
    pub async fn pledges_by_registration(
        &self,
        numbers: &[String],
    ) -> Result<Vec<LoanPledgeRecord>, DbError> {
        let mut found = Vec::with_capacity(numbers.len());
        for number in numbers {
            let row: Option<LoanPledgeRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id AS pledge_id, registration_no, status, pledgor_id, pledgee_id FROM pledges WHERE registration_no = $1",
            )
            .bind(number)
            .fetch_optional(pool)
            .await)?;
            if let Some(row) = row {
                found.push(row.into_record()?);
            }
        }
        Ok(found)
    }

    /// The pledges securing a loan.
    pub async fn loan_pledges(&self, loan_id: i64) -> Result<Vec<LoanPledgeRecord>, DbError> {
        let rows: Vec<LoanPledgeRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT p.id AS pledge_id, p.registration_no, p.status, p.pledgor_id, p.pledgee_id \
             FROM loan_pledges lp JOIN pledges p ON p.id = lp.pledge_id WHERE lp.loan_id = $1 ORDER BY p.id",
        )
        .bind(loan_id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter().map(LoanPledgeRow::into_record).collect()
    }

    /// How many loans other than `loan_id` that are still active a pledge secures.
    pub async fn other_active_loans_on_pledge(
        &self,
        pledge_id: i64,
        loan_id: i64,
    ) -> Result<i64, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM loan_pledges lp JOIN loans l ON l.id = lp.loan_id \
             WHERE lp.pledge_id = $1 AND lp.loan_id <> $2 AND l.status = 'active'",
        )
        .bind(pledge_id)
        .bind(loan_id)
        .fetch_one(pool)
        .await)?)
    }

    pub async fn loan_disbursements(
        &self,
        loan_id: i64,
    ) -> Result<Vec<DisbursementRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, disbursed_on, principal_fen, months FROM loan_disbursements WHERE loan_id = $1 ORDER BY seq",
        )
        .bind(loan_id)
        .fetch_all(pool)
        .await)?)
    }

    /// The schedule in force, oldest first (due date, disbursement, period).
    pub async fn loan_instalments(&self, loan_id: i64) -> Result<Vec<InstalmentRecord>, DbError> {
        let sql = format!(
            "SELECT {INSTALMENT_COLUMNS} FROM loan_instalments WHERE loan_id = $1 ORDER BY due_date, disbursement, period"
        );
        Ok(
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(loan_id)
            .fetch_all(pool)
            .await)?,
        )
    }

    pub async fn loan_repayments(&self, loan_id: i64) -> Result<Vec<RepaymentRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, kind, received_on, amount_fen, fees_fen, interest_fen, principal_fen, unapplied_fen, detail, \
             recorded_by, recorded_at FROM loan_repayments WHERE loan_id = $1 ORDER BY received_on, id",
        )
        .bind(loan_id)
        .fetch_all(pool)
        .await)?)
    }

    /// Every class the loan was put in, oldest first.
    pub async fn loan_class_history(
        &self,
        loan_id: i64,
    ) -> Result<Vec<ClassChangeRecord>, DbError> {
        let rows: Vec<ClassChangeRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, on_date, from_class, to_class, floor_class, floor_rule, days_overdue, source, reason, actor, at \
             FROM loan_class_changes WHERE loan_id = $1 ORDER BY on_date, id",
        )
        .bind(loan_id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter().map(ClassChangeRow::into_record).collect()
    }
}
