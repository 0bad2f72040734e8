//! Exchange with credit-loan platforms (issue 6, F5): the product and demand feeds (rows changed
//! since an instant, oldest change first), and demands imported from a platform — each keyed by
//! the platform's name and its own id, stored once (a second import of the key is a duplicate
//! and changes nothing), with its stage row and audit entry in one transaction.

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::exchange::{DemandFeedRow, ProductFeedRow};
use ipyun_domain::market::{DemandTerms, ProductKind, ProductTerms, Stage};
use ipyun_domain::right::RightKind;
use std::collections::HashMap;

/// The most rows one feed request returns.
pub const MAX_FEED_ROWS: i64 = 5_000;

/// Which products the feed lists: active and offered on `offered_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFeedFilter {
    pub offered_on: NaiveDate,
    /// Only products changed at or after this instant.
    pub since: Option<DateTime<Utc>>,
    pub kind: Option<ProductKind>,
    pub limit: i64,
}

/// Which demands the feed lists: open (not funded, closed or dropped) and shared with every
/// lender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandFeedFilter {
    pub since: Option<DateTime<Utc>>,
    /// Enterprises whose region code starts with this.
    pub region_prefix: Option<String>,
    pub limit: i64,
}

/// What an import did with one demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedDemand {
    Created(i64),
    /// The platform's id was imported before, as this demand: nothing changed.
    Duplicate(i64),
}

/// An imported demand's key and provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemandImport<'a> {
    pub enterprise_id: i64,
    pub source: &'a str,
    pub external_id: &'a str,
    pub on_date: NaiveDate,
    pub actor: &'a str,
}

type ProductFeedTuple = (i64, i64, i64, String, String, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct DemandFeedSqlRow {
    id: i64,
    enterprise_id: i64,
    enterprise_name: String,
    enterprise_uscc: Option<String>,
    region: Option<String>,
    stage: String,
    terms: String,
    published_on: NaiveDate,
    source: Option<String>,
    external_id: Option<String>,
    updated_at: DateTime<Utc>,
}

impl Db {
    /// The product feed, oldest change first.
    pub async fn feed_products(
        &self,
        filter: &ProductFeedFilter,
    ) -> Result<Vec<ProductFeedRow>, DbError> {
        let rows: Vec<ProductFeedTuple> = on_pool!(self, pool => sqlx::query_as(
            "SELECT p.id, p.version, p.publisher_id, pp.name, p.terms, p.updated_at FROM products p \
             JOIN parties pp ON pp.id = p.publisher_id \
             WHERE p.status = 'active' AND p.valid_from <= $1 AND (p.valid_until IS NULL OR p.valid_until >= $1) \
             AND ($2 IS NULL OR p.kind = $2) AND ($3 IS NULL OR p.updated_at >= $3) \
             ORDER BY p.updated_at, p.id LIMIT $4",
        )
        .bind(filter.offered_on)
        .bind(filter.kind.map(|kind| kind.as_str()))
        .bind(filter.since)
        .bind(filter.limit.clamp(1, MAX_FEED_ROWS))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(
                |(id, version, publisher_id, publisher_name, terms, updated_at)| {
                    let terms: ProductTerms = serde_json::from_str(&terms)
                        .map_err(|error| corrupt("products.terms", error))?;
                    Ok(ProductFeedRow::new(
                        (id, version, publisher_id),
                        publisher_name,
                        terms,
                        updated_at,
                    ))
                },
            )
            .collect()
    }

    /// The demand feed, oldest change first, with the kinds of the rights each offers.
    pub async fn feed_demands(
        &self,
        filter: &DemandFeedFilter,
    ) -> Result<Vec<DemandFeedRow>, DbError> {
        let like = filter
            .region_prefix
            .as_ref()
            .map(|prefix| format!("{prefix}%"));
        let rows: Vec<DemandFeedSqlRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT d.id, d.enterprise_id, e.name AS enterprise_name, e.uscc AS enterprise_uscc, e.region, \
             d.stage, d.terms, d.published_on, d.source, d.external_id, d.updated_at \
             FROM demands d JOIN parties e ON e.id = d.enterprise_id \
             WHERE d.stage NOT IN ('disbursed', 'closed', 'dropped') \
             AND NOT EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id) \
             AND ($1 IS NULL OR d.updated_at >= $1) AND ($2 IS NULL OR e.region LIKE $2) \
             ORDER BY d.updated_at, d.id LIMIT $3",
        )
        .bind(filter.since)
        .bind(like.as_deref())
        .bind(filter.limit.clamp(1, MAX_FEED_ROWS))
        .fetch_all(pool)
        .await)?;
        let mut parsed = Vec::with_capacity(rows.len());
        let mut numbers = Vec::new();
        for row in rows {
            let terms: DemandTerms = serde_json::from_str(&row.terms)
                .map_err(|error| corrupt("demands.terms", error))?;
            let stage =
                Stage::parse(&row.stage).map_err(|error| corrupt("demands.stage", error))?;
            numbers.extend(terms.rights.iter().cloned());
            parsed.push((row, terms, stage));
        }
        let kinds = self.right_kinds(&numbers).await?;
        Ok(parsed
            .into_iter()
            .map(|(row, terms, stage)| {
                let mut right_kinds: Vec<RightKind> = terms
                    .rights
                    .iter()
                    .filter_map(|number| kinds.get(number).copied())
                    .collect();
                right_kinds.sort_by_key(|kind| kind.as_str());
                right_kinds.dedup();
                DemandFeedRow {
                    id: row.id,
                    enterprise_id: row.enterprise_id,
                    enterprise_name: row.enterprise_name,
                    enterprise_uscc: row.enterprise_uscc,
                    region: row.region,
                    amount_fen: terms.amount_fen,
                    amount_yuan: ipyun_domain::loan::format_fen(terms.amount_fen),
                    months: terms.months,
                    purpose: terms.purpose,
                    right_kinds,
                    urgency: terms.urgency,
                    stage,
                    published_on: row.published_on,
                    source: row.source,
                    external_id: row.external_id,
                    updated_at: row.updated_at,
                }
            })
            .collect())
    }

    /// The kind of each right in the register among `numbers` (unknown numbers left out).
    pub async fn right_kinds(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, RightKind>, DbError> {
        let mut kinds = HashMap::new();
        let mut unique: Vec<&String> = numbers.iter().collect();
        unique.sort();
        unique.dedup();
        for chunk in unique.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT number, kind FROM rights WHERE number IN ({})",
                placeholders.join(", ")
            );
            let rows: Vec<(String, String)> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for number in chunk {
                    query = query.bind(number.as_str());
                }
                query.fetch_all(pool).await
            })?;
            for (number, kind) in rows {
                let kind =
                    RightKind::parse(&kind).map_err(|error| corrupt("rights.kind", error))?;
                kinds.insert(number, kind);
            }
        }
        Ok(kinds)
    }

    /// The demand imported under a platform's key, if any.
    pub async fn imported_demand_id(
        &self,
        source: &str,
        external_id: &str,
    ) -> Result<Option<i64>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT id FROM demands WHERE source = $1 AND external_id = $2",
        )
        .bind(source)
        .bind(external_id)
        .fetch_optional(pool)
        .await)?)
    }

    /// The platform and its id a demand was imported under, if it was imported.
    pub async fn demand_import_key(&self, id: i64) -> Result<Option<(String, String)>, DbError> {
        let key: Option<(Option<String>, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT source, external_id FROM demands WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(key.and_then(|(source, external_id)| source.zip(external_id)))
    }

    /// Stores a platform's demand (stage `published`, shared with every lender) unless its key
    /// was imported before.
    pub async fn import_demand(
        &self,
        import: &DemandImport<'_>,
        terms: &DemandTerms,
        now: DateTime<Utc>,
    ) -> Result<ImportedDemand, DbError> {
        let json = serde_json::to_string(terms).map_err(|error| corrupt("demand terms", error))?;
        let after = serde_json::json!({"source": import.source, "external_id": import.external_id,
            "terms": terms})
        .to_string();
        let outcome = on_pool!(self, pool => async {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let existing: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM demands WHERE source = $1 AND external_id = $2",
            )
            .bind(import.source)
            .bind(import.external_id)
            .fetch_optional(&mut *transaction)
            .await?;
            if let Some(id) = existing {
                return Ok(ImportedDemand::Duplicate(id));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO demands (enterprise_id, stage, amount_fen, months, urgency, terms, published_on, \
                 created_by, created_at, updated_at, source, external_id) \
                 VALUES ($1, 'published', $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id",
            )
            .bind(import.enterprise_id)
            .bind(terms.amount_fen)
            .bind(i64::from(terms.months))
            .bind(terms.urgency.as_str())
            .bind(&json)
            .bind(import.on_date)
            .bind(import.actor)
            .bind(now)
            .bind(import.source)
            .bind(import.external_id)
            .fetch_one(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO demand_stages (demand_id, seq, stage, on_date, note, actor, at) \
                 VALUES ($1, 1, 'published', $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(import.on_date)
            .bind(format!("{} {}", import.source, import.external_id))
            .bind(import.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, import.actor, "demand.import", "demand", &id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok::<_, DbError>(ImportedDemand::Created(id))
        }
        .await);
        match outcome {
            // Another import stored the key meanwhile (PostgreSQL's unique index refused ours).
            Err(DbError::Constraint(message)) => {
                match self
                    .imported_demand_id(import.source, import.external_id)
                    .await?
                {
                    Some(id) => Ok(ImportedDemand::Duplicate(id)),
                    None => Err(DbError::Constraint(message)),
                }
            }
            other => other,
        }
    }
}
