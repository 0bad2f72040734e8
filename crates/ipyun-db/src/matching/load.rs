//! A market written in bulk (`ipyun bench market`): enterprises first (so that the rights
//! upserted next link to them by USCC), then valuations, products with their first version and
//! demands with their shares and first stage. Multi-row inserts in one transaction per call,
//! with one audit entry for the batch.

use crate::valuations::NewValuation;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{DemandTerms, ProductTerms};

/// An enterprise to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchEnterprise {
    pub name: String,
    pub uscc: String,
    pub region: String,
    pub park_id: Option<i64>,
    pub specialised_sme_year: Option<i32>,
    pub little_giant_year: Option<i32>,
}

/// A product to load (active, version 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchProduct {
    pub publisher_id: i64,
    pub terms: ProductTerms,
}

/// A demand to load (published on `published_on`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchDemand {
    pub enterprise_id: i64,
    pub terms: DemandTerms,
    pub published_on: NaiveDate,
}

/// Rows per multi-row insert (SQLite allows 32,766 variables a statement); fewer for
/// products, whose terms are long.
const ROWS: usize = 1_000;
const PRODUCT_ROWS: usize = 200;

fn placeholders(rows: usize, columns: usize) -> String {
    let mut text = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        text.push_str(if row == 0 { "(" } else { ",(" });
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

fn json<T: serde::Serialize>(value: &T, what: &str) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|error| crate::rights::corrupt(what, error))
}

impl Db {
    /// Loads enterprises in one transaction; answers their ids in order.
    pub async fn insert_bench_enterprises(
        &self,
        enterprises: &[BenchEnterprise],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, DbError> {
        let after = serde_json::json!({"enterprises": enterprises.len()}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let mut ids = Vec::with_capacity(enterprises.len());
            for chunk in enterprises.chunks(ROWS) {
                let sql = format!(
                    "INSERT INTO parties (kind, name, uscc, region, size_class, park_id, specialised_sme_year, \
                     little_giant_year, created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(chunk.len(), 10)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for enterprise in chunk {
                    query = query
                        .bind("enterprise")
                        .bind(&enterprise.name)
                        .bind(&enterprise.uscc)
                        .bind(&enterprise.region)
                        .bind("small")
                        .bind(enterprise.park_id)
                        .bind(enterprise.specialised_sme_year)
                        .bind(enterprise.little_giant_year)
                        .bind(now)
                        .bind(now);
                }
                ids.extend(query.fetch_all(&mut *transaction).await?);
            }
            crate::audit::append_in!(&mut *transaction, actor, "party.load", "party", "bulk",
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(ids)
        })
    }

    /// Loads valuations, products and demands in one transaction.
    pub async fn load_market(
        &self,
        valuations: &[NewValuation<'_>],
        products: &[BenchProduct],
        demands: &[BenchDemand],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"valuations": valuations.len(), "products": products.len(),
            "demands": demands.len()})
        .to_string();
        let product_terms = products
            .iter()
            .map(|product| json(&product.terms, "product terms"))
            .collect::<Result<Vec<_>, _>>()?;
        let demand_terms = demands
            .iter()
            .map(|demand| json(&demand.terms, "demand terms"))
            .collect::<Result<Vec<_>, _>>()?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for chunk in valuations.chunks(ROWS) {
                let sql = format!(
                    "INSERT INTO valuations (subject, right_number, party_id, method, purpose, inputs, result, value_fen, \
                     appraiser_id, made_by, made_at) VALUES {}",
                    placeholders(chunk.len(), 11)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for valuation in chunk {
                    query = query
                        .bind(if valuation.right_number.is_some() { "right" } else { "calculation" })
                        .bind(valuation.right_number)
                        .bind(valuation.party_id)
                        .bind(valuation.method)
                        .bind(valuation.purpose)
                        .bind(valuation.inputs_json)
                        .bind(valuation.record_json)
                        .bind(valuation.value_fen)
                        .bind(valuation.appraiser_id)
                        .bind(valuation.made_by)
                        .bind(now);
                }
                query.execute(&mut *transaction).await?;
            }
            for (chunk, terms) in products
                .chunks(PRODUCT_ROWS)
                .zip(product_terms.chunks(PRODUCT_ROWS))
            {
                let sql = format!(
                    "INSERT INTO products (publisher_id, kind, status, version, name, amount_min_fen, amount_max_fen, \
                     valid_from, valid_until, terms, created_by, created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(chunk.len(), 13)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for (product, json) in chunk.iter().zip(terms) {
                    query = query
                        .bind(product.publisher_id)
                        .bind(product.terms.kind.as_str())
                        .bind("active")
                        .bind(1_i64)
                        .bind(&product.terms.name)
                        .bind(product.terms.amount_min_fen)
                        .bind(product.terms.amount_max_fen)
                        .bind(product.terms.valid_from)
                        .bind(product.terms.valid_until)
                        .bind(json)
                        .bind(actor)
                        .bind(now)
                        .bind(now);
                }
                let ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO product_versions (product_id, version, terms, changed_by, changed_at) VALUES {}",
                    placeholders(chunk.len(), 5)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (id, json) in ids.iter().zip(terms) {
                    query = query.bind(*id).bind(1_i64).bind(json).bind(actor).bind(now);
                }
                query.execute(&mut *transaction).await?;
            }
            for (chunk, terms) in demands.chunks(ROWS).zip(demand_terms.chunks(ROWS)) {
                let sql = format!(
                    "INSERT INTO demands (enterprise_id, stage, amount_fen, months, urgency, terms, published_on, \
                     created_by, created_at, updated_at) VALUES {} RETURNING id",
                    placeholders(chunk.len(), 10)
                );
                let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
                for (demand, json) in chunk.iter().zip(terms) {
                    query = query
                        .bind(demand.enterprise_id)
                        .bind("published")
                        .bind(demand.terms.amount_fen)
                        .bind(i64::from(demand.terms.months))
                        .bind(demand.terms.urgency.as_str())
                        .bind(json)
                        .bind(demand.published_on)
                        .bind(actor)
                        .bind(now)
                        .bind(now);
                }
                let ids = query.fetch_all(&mut *transaction).await?;
                let sql = format!(
                    "INSERT INTO demand_stages (demand_id, seq, stage, on_date, note, actor, at) VALUES {}",
                    placeholders(chunk.len(), 7)
                );
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (id, demand) in ids.iter().zip(chunk) {
                    query = query
                        .bind(*id)
                        .bind(1_i64)
                        .bind("published")
                        .bind(demand.published_on)
                        .bind(None::<&str>)
                        .bind(actor)
                        .bind(now);
                }
                query.execute(&mut *transaction).await?;
                let shares: Vec<(i64, i64)> = ids
                    .iter()
                    .zip(chunk)
                    .flat_map(|(id, demand)| demand.terms.shared_with.iter().map(move |lender| (*id, *lender)))
                    .collect();
                for shares in shares.chunks(ROWS) {
                    let sql = format!(
                        "INSERT INTO demand_shares (demand_id, lender_id) VALUES {}",
                        placeholders(shares.len(), 2)
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for (demand, lender) in shares {
                        query = query.bind(*demand).bind(*lender);
                    }
                    query.execute(&mut *transaction).await?;
                }
            }
            crate::audit::append_in!(&mut *transaction, actor, "market.load", "market", "bulk",
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }
}
