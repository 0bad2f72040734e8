//! Writes of the automated valuation's data: indicators (by right number), valuations, and
//! realised prices. On SQLite the bulk writes run on the group-commit writer, one prepared
//! statement per row; on PostgreSQL as multi-row statements of [`ROWS_PER_STATEMENT`] rows.

use super::{AutomatedValuationRecord, NewRealisedPrice, PatentIndicatorsRecord, RealisedPriceRow};
use crate::sqlite_writer::write_error;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, SecondsFormat, Utc};

/// Rows per multi-row statement on PostgreSQL (at most 15 parameters each, under its 65,535).
const ROWS_PER_STATEMENT: usize = 2_000;

/// The upsert of one indicators row by right number, for the SQLite writer (`?N`: bound by index).
const INDICATORS_UPSERT_ONE_SQL: &str = "INSERT INTO patent_indicators (right_id, claims, independent_claims, \
     family_size, family_countries, forward_citations, backward_citations, inventors, licences, transfers, \
     litigations, invalidation_requests, implemented, holder_revenue_fen, updated_at) \
     SELECT r.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 FROM rights r WHERE r.number = ?1 \
     ON CONFLICT (right_id) DO UPDATE SET claims = excluded.claims, independent_claims = excluded.independent_claims, \
     family_size = excluded.family_size, family_countries = excluded.family_countries, \
     forward_citations = excluded.forward_citations, backward_citations = excluded.backward_citations, \
     inventors = excluded.inventors, licences = excluded.licences, transfers = excluded.transfers, \
     litigations = excluded.litigations, invalidation_requests = excluded.invalidation_requests, \
     implemented = excluded.implemented, holder_revenue_fen = excluded.holder_revenue_fen, \
     updated_at = excluded.updated_at";

const VALUATION_UPSERT_TAIL: &str = " ON CONFLICT (right_id, purpose) DO UPDATE SET low_fen = excluded.low_fen, \
     mid_fen = excluded.mid_fen, high_fen = excluded.high_fen, confidence_bp = excluded.confidence_bp, \
     model_version = excluded.model_version, computed_at = excluded.computed_at";

const VALUATION_INSERT_HEAD: &str = "INSERT INTO automated_valuations (right_id, purpose, low_fen, mid_fen, \
     high_fen, confidence_bp, model_version, computed_at) VALUES ";

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// The last record of each right number, in input order (a statement may not upsert one row twice).
fn last_per_number(records: &[PatentIndicatorsRecord]) -> Vec<&PatentIndicatorsRecord> {
    let mut seen = std::collections::HashSet::with_capacity(records.len());
    let mut kept: Vec<&PatentIndicatorsRecord> = records
        .iter()
        .rev()
        .filter(|record| seen.insert(record.right_number.as_str()))
        .collect();
    kept.reverse();
    kept
}

fn values_list(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let first = row * columns + 1;
            let list: Vec<String> = (first..first + columns)
                .map(|index| format!("${index}"))
                .collect();
            format!("({})", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const INDICATORS_COLUMNS: usize = 15;

fn indicators_values_sql(rows: usize) -> String {
    format!(
        "INSERT INTO patent_indicators (right_id, claims, independent_claims, family_size, family_countries, \
         forward_citations, backward_citations, inventors, licences, transfers, litigations, invalidation_requests, \
         implemented, holder_revenue_fen, updated_at) \
         SELECT r.id, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, v.column9, \
         v.column10, v.column11, v.column12, v.column13, v.column14, v.column15 \
         FROM (VALUES {}) AS v JOIN rights r ON r.number = v.column1 WHERE true \
         ON CONFLICT (right_id) DO UPDATE SET claims = excluded.claims, independent_claims = excluded.independent_claims, \
         family_size = excluded.family_size, family_countries = excluded.family_countries, \
         forward_citations = excluded.forward_citations, backward_citations = excluded.backward_citations, \
         inventors = excluded.inventors, licences = excluded.licences, transfers = excluded.transfers, \
         litigations = excluded.litigations, invalidation_requests = excluded.invalidation_requests, \
         implemented = excluded.implemented, holder_revenue_fen = excluded.holder_revenue_fen, \
         updated_at = excluded.updated_at",
        values_list(rows, INDICATORS_COLUMNS)
    )
}

/// The thirteen values after the number, in column order.
fn indicator_values(record: &PatentIndicatorsRecord) -> ([i32; 11], Option<bool>, Option<i64>) {
    let counts = record.counts;
    (
        [
            counts.claims,
            counts.independent_claims,
            counts.family_size,
            counts.family_countries,
            counts.forward_citations,
            counts.backward_citations,
            counts.inventors,
            counts.licences,
            counts.transfers,
            counts.litigations,
            counts.invalidation_requests,
        ]
        .map(to_i32),
        record.implemented,
        record.holder_revenue_fen,
    )
}

const REALISED_PRICE_INSERT_SQL: &str = "INSERT INTO realised_prices (right_number, kind, amount_fen, on_date, source, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (right_number, kind, amount_fen, on_date) DO NOTHING";

impl Db {
    /// Inserts or replaces the indicators of the patents named; numbers not in the register are
    /// skipped. A number given twice keeps its last record. Returns the rows written.
    pub async fn upsert_patent_indicators(
        &self,
        records: &[PatentIndicatorsRecord],
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        let kept = last_per_number(records);
        if kept.is_empty() {
            return Ok(0);
        }
        if let Some(writer) = &self.writer {
            let owned: Vec<PatentIndicatorsRecord> = kept.into_iter().cloned().collect();
            let updated_at = instant(now);
            return writer
                .write(move |connection| {
                    let mut statement = connection
                        .prepare_cached(INDICATORS_UPSERT_ONE_SQL)
                        .map_err(write_error)?;
                    let mut written = 0u64;
                    for record in &owned {
                        let (counts, implemented, revenue) = indicator_values(record);
                        let [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11] = counts;
                        written += statement
                            .execute(rusqlite::params![
                                record.right_number,
                                c1,
                                c2,
                                c3,
                                c4,
                                c5,
                                c6,
                                c7,
                                c8,
                                c9,
                                c10,
                                c11,
                                implemented,
                                revenue,
                                updated_at
                            ])
                            .map_err(write_error)? as u64;
                    }
                    Ok(written)
                })
                .await;
        }
        let mut written = 0u64;
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            for chunk in kept.chunks(ROWS_PER_STATEMENT) {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(indicators_values_sql(chunk.len())));
                for record in chunk {
                    let (counts, implemented, revenue) = indicator_values(record);
                    query = query.bind(record.right_number.as_str());
                    for value in counts {
                        query = query.bind(value);
                    }
                    query = query.bind(implemented).bind(revenue).bind(now);
                }
                written += query.execute(&mut *transaction).await?.rows_affected();
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(written)
    }

    /// Stores automated valuations, replacing a right's earlier one for the same purpose. Each
    /// (right, purpose) at most once per call. Returns the rows written.
    pub async fn upsert_automated_valuations(
        &self,
        records: Vec<AutomatedValuationRecord>,
        model_version: &str,
        computed_at: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        if records.is_empty() {
            return Ok(0);
        }
        if let Some(writer) = &self.writer {
            let model_version = model_version.to_string();
            let computed_at = instant(computed_at);
            let sql = format!(
                "{VALUATION_INSERT_HEAD}(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8){VALUATION_UPSERT_TAIL}"
            );
            return writer
                .write(move |connection| {
                    let mut statement = connection.prepare_cached(&sql).map_err(write_error)?;
                    for record in &records {
                        statement
                            .execute(rusqlite::params![
                                record.right_id,
                                record.purpose.as_str(),
                                record.low_fen,
                                record.mid_fen,
                                record.high_fen,
                                record.confidence_bp,
                                model_version,
                                computed_at
                            ])
                            .map_err(write_error)?;
                    }
                    Ok(records.len() as u64)
                })
                .await;
        }
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await?;
            for chunk in records.chunks(ROWS_PER_STATEMENT) {
                let sql = format!("{VALUATION_INSERT_HEAD}{}{VALUATION_UPSERT_TAIL}", values_list(chunk.len(), 8));
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for record in chunk {
                    query = query
                        .bind(record.right_id)
                        .bind(record.purpose.as_str())
                        .bind(record.low_fen)
                        .bind(record.mid_fen)
                        .bind(record.high_fen)
                        .bind(to_i32(record.confidence_bp))
                        .bind(model_version)
                        .bind(computed_at);
                }
                query.execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(records.len() as u64)
    }

    /// Records realised prices, skipping any already recorded with the same number, kind, amount
    /// and date (so a file imported twice records each price once; a unique index guarantees it). Returns the rows inserted.
    pub async fn insert_realised_prices(
        &self,
        prices: &[NewRealisedPrice],
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        if prices.is_empty() {
            return Ok(0);
        }
        let mut inserted = 0u64;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for price in prices {
                inserted += sqlx::query(REALISED_PRICE_INSERT_SQL)
                    .bind(price.right_number.as_str())
                    .bind(price.kind.as_str())
                    .bind(price.amount_fen)
                    .bind(price.on_date)
                    .bind(price.source.as_str())
                    .bind(now)
                    .execute(&mut *transaction)
                    .await?
                    .rows_affected();
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(inserted)
    }

    /// Up to `limit` realised prices whose id is above `after_id`, in id order.
    pub async fn realised_prices_after(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<RealisedPriceRow>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, right_number, kind, amount_fen, on_date, source FROM realised_prices \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after_id).bind(limit.clamp(1, super::MAX_BATCH))
        .fetch_all(pool).await)?)
    }

    pub async fn count_realised_prices(&self) -> Result<i64, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM realised_prices")
            .fetch_one(pool).await)?,
        )
    }
}
