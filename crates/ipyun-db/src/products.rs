//! The product catalogue (issue 6, F1): products with their terms in force and every version.
//! Each change is one transaction with an audit entry; an edit or a withdrawal applies only from
//! the version it was read at ([`DbError::Stale`] otherwise).

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{ProductKind, ProductStatus, ProductTerms};

/// A stored product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRecord {
    pub id: i64,
    pub publisher_id: i64,
    pub publisher_name: String,
    pub status: ProductStatus,
    pub version: i64,
    pub terms: ProductTerms,
    pub withdrawn_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: i64,
    publisher_id: i64,
    publisher_name: String,
    status: String,
    version: i64,
    terms: String,
    withdrawn_reason: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ProductRow {
    fn into_record(self) -> Result<ProductRecord, DbError> {
        Ok(ProductRecord {
            status: ProductStatus::parse(&self.status)
                .map_err(|error| corrupt("products.status", error))?,
            terms: serde_json::from_str(&self.terms)
                .map_err(|error| corrupt("products.terms", error))?,
            id: self.id,
            publisher_id: self.publisher_id,
            publisher_name: self.publisher_name,
            version: self.version,
            withdrawn_reason: self.withdrawn_reason,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const PRODUCT_SELECT: &str = "SELECT p.id, p.publisher_id, pp.name AS publisher_name, p.status, p.version, \
    p.terms, p.withdrawn_reason, p.created_at, p.updated_at FROM products p JOIN parties pp ON pp.id = p.publisher_id";

/// Which products to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    pub kind: Option<ProductKind>,
    pub publisher_id: Option<i64>,
    /// Only active products valid on this date.
    pub offered_on: Option<NaiveDate>,
    /// Only products whose amount range contains this amount.
    pub amount_fen: Option<i64>,
}

/// A version of a product's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductVersionRecord {
    pub version: i64,
    pub terms: ProductTerms,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

fn terms_json(terms: &ProductTerms) -> Result<String, DbError> {
    serde_json::to_string(terms).map_err(|error| corrupt("product terms", error))
}

impl Db {
    /// Publishes a product at version 1.
    pub async fn insert_product(
        &self,
        publisher_id: i64,
        terms: &ProductTerms,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let json = terms_json(terms)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO products (publisher_id, kind, status, version, name, amount_min_fen, amount_max_fen, \
                 valid_from, valid_until, terms, created_by, created_at, updated_at) \
                 VALUES ($1, $2, 'active', 1, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(publisher_id)
            .bind(terms.kind.as_str())
            .bind(&terms.name)
            .bind(terms.amount_min_fen)
            .bind(terms.amount_max_fen)
            .bind(terms.valid_from)
            .bind(terms.valid_until)
            .bind(&json)
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO product_versions (product_id, version, terms, changed_by, changed_at) VALUES ($1, 1, $2, $3, $4)",
            )
            .bind(id)
            .bind(&json)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "product.publish", "product", &id.to_string(),
                None::<&str>, Some(&json), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Replaces an active product's terms with a new version, from version `version`.
    pub async fn update_product(
        &self,
        id: i64,
        version: i64,
        terms: &ProductTerms,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let json = terms_json(terms)?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE products SET version = version + 1, kind = $3, name = $4, amount_min_fen = $5, amount_max_fen = $6, \
                 valid_from = $7, valid_until = $8, terms = $9, updated_at = $10 \
                 WHERE id = $1 AND version = $2 AND status = 'active'",
            )
            .bind(id)
            .bind(version)
            .bind(terms.kind.as_str())
            .bind(&terms.name)
            .bind(terms.amount_min_fen)
            .bind(terms.amount_max_fen)
            .bind(terms.valid_from)
            .bind(terms.valid_until)
            .bind(&json)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("product {id} changed or was withdrawn meanwhile")));
            }
            sqlx::query(
                "INSERT INTO product_versions (product_id, version, terms, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(version + 1)
            .bind(&json)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let before = serde_json::json!({"version": version}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "product.revise", "product", &id.to_string(),
                Some(&before), Some(&json), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Withdraws an active product with a reason.
    pub async fn withdraw_product(
        &self,
        id: i64,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"status": "withdrawn", "reason": reason}).to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE products SET status = 'withdrawn', withdrawn_reason = $2, updated_at = $3 \
                 WHERE id = $1 AND status = 'active'",
            )
            .bind(id)
            .bind(reason)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("product {id} is already withdrawn")));
            }
            crate::audit::append_in!(&mut *transaction, actor, "product.withdraw", "product", &id.to_string(),
                Some(r#"{"status":"active"}"#), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    pub async fn get_product(&self, id: i64) -> Result<Option<ProductRecord>, DbError> {
        let sql = format!("{PRODUCT_SELECT} WHERE p.id = $1");
        let row: Option<ProductRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(ProductRow::into_record).transpose()
    }

    /// Products matching the filter, newest first, with the total.
    pub async fn list_products(
        &self,
        filter: &ProductFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ProductRecord>, i64), DbError> {
        const WHERE: &str = " WHERE ($1 IS NULL OR p.kind = $1) AND ($2 IS NULL OR p.publisher_id = $2) \
            AND ($3 IS NULL OR (p.status = 'active' AND p.valid_from <= $3 AND (p.valid_until IS NULL OR p.valid_until >= $3))) \
            AND ($4 IS NULL OR (p.amount_min_fen <= $4 AND p.amount_max_fen >= $4))";
        let sql = format!("{PRODUCT_SELECT}{WHERE} ORDER BY p.id DESC LIMIT $5 OFFSET $6");
        let count_sql = format!("SELECT COUNT(*) FROM products p{WHERE}");
        let kind = filter.kind.map(|kind| kind.as_str());
        let rows: Vec<ProductRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(kind)
            .bind(filter.publisher_id)
            .bind(filter.offered_on)
            .bind(filter.amount_fen)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await)?;
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
            .bind(kind)
            .bind(filter.publisher_id)
            .bind(filter.offered_on)
            .bind(filter.amount_fen)
            .fetch_one(pool)
            .await)?;
        let records = rows
            .into_iter()
            .map(ProductRow::into_record)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((records, total))
    }

    /// Every version of a product, oldest first.
    pub async fn product_versions(&self, id: i64) -> Result<Vec<ProductVersionRecord>, DbError> {
        let rows: Vec<(i64, String, String, DateTime<Utc>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT version, terms, changed_by, changed_at FROM product_versions WHERE product_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(version, terms, changed_by, changed_at)| {
                Ok(ProductVersionRecord {
                    version,
                    terms: serde_json::from_str(&terms)
                        .map_err(|error| corrupt("product_versions.terms", error))?,
                    changed_by,
                    changed_at,
                })
            })
            .collect()
    }
}
