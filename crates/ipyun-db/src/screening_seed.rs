//! A screening population loaded in bulk (`ipyun bench screening`, and a platform moving in
//! enterprises with their rights, valuations, loan history and credit data from another system):
//! multi-row inserts in one transaction, one audit entry for the batch.

use crate::screening_facts::placeholders;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

/// An enterprise to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedEnterprise {
    pub name: String,
    pub uscc: String,
    pub region: String,
    pub size_class: &'static str,
    pub specialised_sme_year: Option<i32>,
    pub little_giant_year: Option<i32>,
}

/// A right held whole by the enterprise at `holder` (an index into the enterprises), with its
/// valuation when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedRight {
    pub holder: usize,
    pub number: String,
    pub kind: &'static str,
    pub legal_status: &'static str,
    pub filing_date: NaiveDate,
    pub value_fen: Option<i64>,
}

/// A loan of the enterprise at `borrower`: one instalment, unpaid and due on `overdue_since`
/// when set (paid otherwise); classed loss on `loss_on` when set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedLoan {
    pub borrower: usize,
    pub lender_id: i64,
    pub contract_no: String,
    pub amount_fen: i64,
    pub start_date: NaiveDate,
    pub maturity: NaiveDate,
    pub overdue_since: Option<NaiveDate>,
    pub loss_on: Option<NaiveDate>,
}

/// A tax-credit grade (`grade`: A, B, M, C or D) of the enterprise at `enterprise`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedGrade {
    pub enterprise: usize,
    pub grade: &'static str,
    pub as_of: NaiveDate,
}

/// An integrity flag of the enterprise at `enterprise`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedFlag {
    pub enterprise: usize,
    pub kind: &'static str,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The whole population.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreeningSeed {
    pub enterprises: Vec<SeedEnterprise>,
    pub rights: Vec<SeedRight>,
    pub loans: Vec<SeedLoan>,
    pub grades: Vec<SeedGrade>,
    pub flags: Vec<SeedFlag>,
}

/// Rows per statement: at most ~16,000 values a statement.
fn chunk(columns: usize) -> usize {
    16_000 / columns
}

fn at(ids: &[i64], index: usize) -> Result<i64, DbError> {
    ids.get(index)
        .copied()
        .ok_or_else(|| DbError::Corrupt(format!("seed row refers to missing row {index}")))
}

impl Db {
    /// Loads `seed` in one transaction. Answers the enterprises' ids, in order.
    pub async fn insert_screening_seed(
        &self,
        seed: &ScreeningSeed,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, DbError> {
        let after =
            serde_json::json!({"enterprises": seed.enterprises.len(), "rights": seed.rights.len(),
            "loans": seed.loans.len(), "grades": seed.grades.len(), "flags": seed.flags.len()})
            .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let mut parties = Vec::with_capacity(seed.enterprises.len());
            for rows in seed.enterprises.chunks(chunk(9)) {
                let sql = format!(
                    "INSERT INTO parties (kind, name, uscc, region, size_class, specialised_sme_year, little_giant_year, \
                     created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(rows.len(), 9)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for row in rows {
                    query = query
                        .bind("enterprise")
                        .bind(&row.name)
                        .bind(&row.uscc)
                        .bind(&row.region)
                        .bind(row.size_class)
                        .bind(row.specialised_sme_year)
                        .bind(row.little_giant_year)
                        .bind(now)
                        .bind(now);
                }
                parties.extend(query.fetch_all(&mut *transaction).await?);
            }
            for rows in seed.rights.chunks(chunk(9)) {
                let sql = format!(
                    "INSERT INTO rights (kind, number, title, filing_date, grant_date, legal_status, content_hash, \
                     created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(rows.len(), 9)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for row in rows {
                    query = query
                        .bind(row.kind)
                        .bind(&row.number)
                        .bind(format!("基准专利{}", row.number))
                        .bind(row.filing_date)
                        .bind(row.filing_date)
                        .bind(row.legal_status)
                        .bind(&row.number)
                        .bind(now)
                        .bind(now);
                }
                let ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO right_holders (right_id, position, name, uscc, party_id, share_bp) VALUES {}",
                    placeholders(rows.len(), 6)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (row, id) in rows.iter().zip(&ids) {
                    let holder = seed.enterprises.get(row.holder);
                    query = query
                        .bind(*id)
                        .bind(0_i64)
                        .bind(holder.map(|holder| holder.name.as_str()).unwrap_or_default())
                        .bind(holder.map(|holder| holder.uscc.as_str()))
                        .bind(at(&parties, row.holder)?)
                        .bind(10_000_i64);
                }
                query.execute(&mut *transaction).await?;
                let valued: Vec<&SeedRight> = rows.iter().filter(|row| row.value_fen.is_some()).collect();
                if !valued.is_empty() {
                    let sql = format!(
                        "INSERT INTO valuations (subject, right_number, party_id, method, purpose, inputs, result, value_fen, \
                         made_by, made_at) VALUES {}",
                        placeholders(valued.len(), 10)
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for row in valued {
                        query = query
                            .bind("right")
                            .bind(&row.number)
                            .bind(None::<i64>)
                            .bind("income")
                            .bind("pledge")
                            .bind("{}")
                            .bind("{}")
                            .bind(row.value_fen.unwrap_or_default())
                            .bind(actor)
                            .bind(now);
                    }
                    query.execute(&mut *transaction).await?;
                }
            }
            for rows in seed.loans.chunks(chunk(17)) {
                let sql = format!(
                    "INSERT INTO loans (lender_id, borrower_id, contract_no, amount_fen, annual_rate_ppm, method, day_count, \
                     start_date, months, maturity, status, principal_outstanding_fen, risk_class, classified_on, created_by, \
                     created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(rows.len(), 17)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for row in rows {
                    let class = if row.loss_on.is_some() { "loss" } else { "normal" };
                    query = query
                        .bind(row.lender_id)
                        .bind(at(&parties, row.borrower)?)
                        .bind(&row.contract_no)
                        .bind(row.amount_fen)
                        .bind(40_000_i64)
                        .bind("bullet")
                        .bind("monthly")
                        .bind(row.start_date)
                        .bind(12_i64)
                        .bind(row.maturity)
                        .bind("active")
                        .bind(row.amount_fen)
                        .bind(class)
                        .bind(row.start_date)
                        .bind(actor)
                        .bind(now)
                        .bind(now);
                }
                let ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO loan_instalments (loan_id, disbursement, period, due_date, principal_due_fen, interest_due_fen, \
                     balance_fen, principal_paid_fen, settled) VALUES {}",
                    placeholders(rows.len(), 9)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (row, id) in rows.iter().zip(&ids) {
                    let paid = row.overdue_since.is_none();
                    query = query
                        .bind(*id)
                        .bind(1_i64)
                        .bind(1_i64)
                        .bind(row.overdue_since.unwrap_or(row.maturity))
                        .bind(row.amount_fen)
                        .bind(0_i64)
                        .bind(0_i64)
                        .bind(if paid { row.amount_fen } else { 0 })
                        .bind(paid);
                }
                query.execute(&mut *transaction).await?;
                let lost: Vec<(&SeedLoan, i64)> = rows
                    .iter()
                    .zip(ids)
                    .filter(|(row, _)| row.loss_on.is_some())
                    .collect();
                if !lost.is_empty() {
                    let sql = format!(
                        "INSERT INTO loan_class_changes (loan_id, on_date, from_class, to_class, floor_class, floor_rule, \
                         days_overdue, source, actor, at) VALUES {}",
                        placeholders(lost.len(), 10)
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (row, id) in lost {
                        query = query
                            .bind(id)
                            .bind(row.loss_on.unwrap_or(row.start_date))
                            .bind("doubtful")
                            .bind("loss")
                            .bind("loss")
                            .bind("overdue_over360_days")
                            .bind(361_i64)
                            .bind("import")
                            .bind(actor)
                            .bind(now);
                    }
                    query.execute(&mut *transaction).await?;
                }
            }
            for rows in seed.grades.chunks(chunk(6)) {
                let sql = format!(
                    "INSERT INTO credit_grades (enterprise_id, source, grade, as_of, recorded_by, recorded_at) VALUES {}",
                    placeholders(rows.len(), 6)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in rows {
                    query = query
                        .bind(at(&parties, row.enterprise)?)
                        .bind("tax")
                        .bind(row.grade)
                        .bind(row.as_of)
                        .bind(actor)
                        .bind(now);
                }
                query.execute(&mut *transaction).await?;
            }
            for rows in seed.flags.chunks(chunk(7)) {
                let sql = format!(
                    "INSERT INTO integrity_flags (enterprise_id, kind, source, since, until, recorded_by, recorded_at) VALUES {}",
                    placeholders(rows.len(), 7)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in rows {
                    query = query
                        .bind(at(&parties, row.enterprise)?)
                        .bind(row.kind)
                        .bind("import")
                        .bind(row.since)
                        .bind(row.until)
                        .bind(actor)
                        .bind(now);
                }
                query.execute(&mut *transaction).await?;
            }
            crate::audit::append_in!(&mut *transaction, actor, "screening.seed", "party", "bulk",
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(parties)
        })
    }
}
