//! A loan book loaded in bulk (`ipyun bench loans`, and a bank's book moved in from its own
//! system): each loan with the registered pledge of one right securing it, its single
//! disbursement and its schedule, the instalments paid so far marked paid. Multi-row inserts
//! in one transaction with one audit entry for the batch.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::loan::{DayCount, RepaymentMethod, RiskClass};

/// One instalment of a book loan: due date, principal, interest, balance after, paid in full.
pub type BookInstalment = (NaiveDate, i64, i64, i64, bool);

/// One loan of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookLoan {
    pub lender_id: i64,
    pub borrower_id: i64,
    pub contract_no: String,
    pub amount_fen: i64,
    pub annual_rate_ppm: i64,
    pub method: RepaymentMethod,
    pub start_date: NaiveDate,
    pub months: u32,
    pub maturity: NaiveDate,
    pub principal_outstanding_fen: i64,
    /// The pledge: its registration number and the right it binds.
    pub registration_no: String,
    pub right_id: i64,
    pub right_number: String,
    pub right_kind: &'static str,
    pub instalments: Vec<BookInstalment>,
}

/// Rows per multi-row insert (SQLite allows 32,766 variables a statement).
const CHUNK: usize = 2_000;

fn placeholders(rows: usize, columns: usize) -> String {
    let mut text = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            text.push(',');
        }
        text.push('(');
        for column in 0..columns {
            if column > 0 {
                text.push(',');
            }
            text.push('$');
            text.push_str(&(row * columns + column + 1).to_string());
        }
        text.push(')');
    }
    text
}

impl Db {
    /// Loads `loans` in one transaction: pledges (registered on the loan's start date, numbered
    /// from `first_application_id` for their registration's application), pledge rights, loans
    /// (normal class), their pledges, disbursements and instalments. Answers the loans' ids.
    pub async fn insert_loan_book(
        &self,
        loans: &[BookLoan],
        first_application_id: i64,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, DbError> {
        let after = serde_json::json!({"loans": loans.len()}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let mut ids = Vec::with_capacity(loans.len());
            for (chunk_no, chunk) in loans.chunks(CHUNK / 4).enumerate() {
                let base = i64::try_from(chunk_no * (CHUNK / 4)).unwrap_or(i64::MAX);
                let sql = format!(
                    "INSERT INTO pledges (registration_no, application_id, status, pledge_type, pledgor_id, pledgee_id, \
                     secured_amount_fen, performance_end, verification_code, registered_on, registered_at, updated_at) VALUES {} \
                     RETURNING id",
                    placeholders(chunk.len(), 12)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for (offset, loan) in chunk.iter().enumerate() {
                    query = query
                        .bind(&loan.registration_no)
                        .bind(first_application_id + base + i64::try_from(offset).unwrap_or(0))
                        .bind("active")
                        .bind("patent")
                        .bind(loan.borrower_id)
                        .bind(loan.lender_id)
                        .bind(loan.amount_fen)
                        .bind(loan.maturity)
                        .bind(format!("BOOK{:08}", base + i64::try_from(offset).unwrap_or(0)))
                        .bind(loan.start_date)
                        .bind(now)
                        .bind(now);
                }
                let pledge_ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO pledge_rights (pledge_id, position, right_number, right_kind, right_id, active) VALUES {}",
                    placeholders(chunk.len(), 6)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (loan, pledge_id) in chunk.iter().zip(&pledge_ids) {
                    query = query
                        .bind(*pledge_id)
                        .bind(0_i64)
                        .bind(&loan.right_number)
                        .bind(loan.right_kind)
                        .bind(loan.right_id)
                        .bind(true);
                }
                query.execute(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO loans (lender_id, borrower_id, contract_no, amount_fen, annual_rate_ppm, method, day_count, \
                     start_date, months, maturity, status, principal_outstanding_fen, risk_class, classified_on, created_by, \
                     created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(chunk.len(), 17)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for loan in chunk {
                    query = query
                        .bind(loan.lender_id)
                        .bind(loan.borrower_id)
                        .bind(&loan.contract_no)
                        .bind(loan.amount_fen)
                        .bind(loan.annual_rate_ppm)
                        .bind(loan.method.as_str())
                        .bind(DayCount::Monthly.as_str())
                        .bind(loan.start_date)
                        .bind(i64::from(loan.months))
                        .bind(loan.maturity)
                        .bind("active")
                        .bind(loan.principal_outstanding_fen)
                        .bind(RiskClass::Normal.as_str())
                        .bind(loan.start_date)
                        .bind(actor)
                        .bind(now)
                        .bind(now);
                }
                let loan_ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO loan_pledges (loan_id, pledge_id) VALUES {}",
                    placeholders(chunk.len(), 2)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (loan_id, pledge_id) in loan_ids.iter().zip(&pledge_ids) {
                    query = query.bind(*loan_id).bind(*pledge_id);
                }
                query.execute(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO loan_disbursements (loan_id, seq, disbursed_on, principal_fen, months) VALUES {}",
                    placeholders(chunk.len(), 5)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (loan, loan_id) in chunk.iter().zip(&loan_ids) {
                    query = query
                        .bind(*loan_id)
                        .bind(1_i64)
                        .bind(loan.start_date)
                        .bind(loan.amount_fen)
                        .bind(i64::from(loan.months));
                }
                query.execute(&mut *transaction).await?;
                let rows: Vec<(i64, i64, &BookInstalment)> = chunk
                    .iter()
                    .zip(&loan_ids)
                    .flat_map(|(loan, loan_id)| {
                        loan.instalments
                            .iter()
                            .enumerate()
                            .map(move |(period, row)| (*loan_id, i64::try_from(period + 1).unwrap_or(0), row))
                    })
                    .collect();
                for rows in rows.chunks(CHUNK / 10) {
                    let sql = format!(
                        "INSERT INTO loan_instalments (loan_id, disbursement, period, due_date, principal_due_fen, \
                         interest_due_fen, fees_due_fen, balance_fen, principal_paid_fen, interest_paid_fen, settled) VALUES {}",
                        placeholders(rows.len(), 11)
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (loan_id, period, (due, principal, interest, balance, paid)) in rows {
                        query = query
                            .bind(*loan_id)
                            .bind(1_i64)
                            .bind(*period)
                            .bind(*due)
                            .bind(*principal)
                            .bind(*interest)
                            .bind(0_i64)
                            .bind(*balance)
                            .bind(if *paid { *principal } else { 0 })
                            .bind(if *paid { *interest } else { 0 })
                            .bind(*paid);
                    }
                    query.execute(&mut *transaction).await?;
                }
                ids.extend(loan_ids);
            }
            crate::audit::append_in!(&mut *transaction, actor, "loan_book.load", "loan_book", "bulk",
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(ids)
        })
    }

    /// Rights after `after_id` whose first holder is a registered party: (id, number, kind,
    /// party), by id — the candidates of a loan book's pledges.
    pub async fn rights_held_by_parties(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, i64)>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT r.id, r.number, r.kind, h.party_id FROM rights r JOIN right_holders h ON h.right_id = r.id \
             AND h.position = 0 WHERE r.id > $1 AND h.party_id IS NOT NULL ORDER BY r.id LIMIT $2",
        )
        .bind(after_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }

    /// The baseline of the daily job: one SQL pass reading every instalment of the active
    /// loans and every right pledged for them. Answers (instalments, rights) read.
    pub async fn loan_day_single_pass(&self, date: NaiveDate) -> Result<(i64, i64), DbError> {
        let (instalments, _owed, _overdue): (i64, i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(i.principal_due_fen - i.principal_paid_fen), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN NOT i.settled AND i.due_date < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM loans l JOIN loan_instalments i ON i.loan_id = l.id WHERE l.status = 'active'",
        )
        .bind(date)
        .fetch_one(pool)
        .await)?;
        let rights: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM loans l JOIN loan_pledges lp ON lp.loan_id = l.id \
             JOIN pledges p ON p.id = lp.pledge_id AND p.status = 'active' \
             JOIN pledge_rights pr ON pr.pledge_id = p.id AND pr.active JOIN rights r ON r.id = pr.right_id \
             WHERE l.status = 'active' AND (r.legal_status <> '' OR r.expiry_date IS NULL \
             OR EXISTS (SELECT 1 FROM right_holders h WHERE h.right_id = r.id AND h.party_id = p.pledgor_id))",
        )
        .fetch_one(pool)
        .await)?;
        Ok((instalments, rights))
    }
}
