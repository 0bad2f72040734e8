//! Implementation declarations of pledged patents (L6) and the rows their rate is computed from.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

/// One patent under a pledge in force during a year, with its declaration for that year.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImplementationRow {
    pub right_id: i64,
    pub lender_id: i64,
    pub lender_name: String,
    pub park_id: Option<i64>,
    pub park_name: Option<String>,
    pub region: Option<String>,
    /// `None`: not declared.
    pub implemented: Option<bool>,
}

/// A declaration to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplementationWrite<'a> {
    pub right_id: i64,
    pub year: i32,
    pub implemented: bool,
    pub party_id: i64,
    pub note: Option<&'a str>,
    pub actor: &'a str,
}

impl Db {
    /// Records (or replaces) a declaration, audited with what it replaced.
    pub async fn declare_implementation(
        &self,
        write: &ImplementationWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"year": write.year, "implemented": write.implemented,
            "party_id": write.party_id, "note": write.note})
        .to_string();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let before: Option<bool> = sqlx::query_scalar(
                "SELECT implemented FROM patent_implementations WHERE right_id = $1 AND year = $2",
            )
            .bind(write.right_id)
            .bind(i64::from(write.year))
            .fetch_optional(&mut *transaction)
            .await?;
            sqlx::query(
                "INSERT INTO patent_implementations (right_id, year, implemented, party_id, note, declared_by, declared_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (right_id, year) DO UPDATE SET \
                 implemented = excluded.implemented, party_id = excluded.party_id, note = excluded.note, \
                 declared_by = excluded.declared_by, declared_at = excluded.declared_at",
            )
            .bind(write.right_id)
            .bind(i64::from(write.year))
            .bind(write.implemented)
            .bind(write.party_id)
            .bind(write.note)
            .bind(write.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let before = before.map(|implemented| serde_json::json!({"implemented": implemented}).to_string());
            crate::audit::append_in!(&mut *transaction, write.actor, "patent.implementation", "right",
                &write.right_id.to_string(), before.as_deref(), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    /// Whether right `right_id` was under a pledge in force at some time in `from..=to`.
    pub async fn pledged_during(
        &self,
        right_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<bool, DbError> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT p.id FROM pledge_rights pr JOIN pledges p ON p.id = pr.pledge_id WHERE pr.right_id = $1 \
             AND p.registered_on <= $3 AND (p.cancelled_on IS NULL OR p.cancelled_on >= $2) LIMIT 1",
        )
        .bind(right_id)
        .bind(from)
        .bind(to)
        .fetch_optional(pool)
        .await)?;
        Ok(found.is_some())
    }

    /// Every patent under a pledge in force at some time in `from..=to` (once per pledgee),
    /// with its pledgee, the pledgor's park and region, and its declaration for `year`.
    pub async fn implementation_rows(
        &self,
        year: i32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ImplementationRow>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT DISTINCT pr.right_id, p.pledgee_id AS lender_id, lp.name AS lender_name, pp.park_id, \
             pk.name AS park_name, pp.region, pi.implemented \
             FROM pledges p JOIN pledge_rights pr ON pr.pledge_id = p.id \
             JOIN rights r ON r.id = pr.right_id AND r.kind IN ('invention', 'utility_model', 'design') \
             JOIN parties lp ON lp.id = p.pledgee_id JOIN parties pp ON pp.id = p.pledgor_id \
             LEFT JOIN parties pk ON pk.id = pp.park_id \
             LEFT JOIN patent_implementations pi ON pi.right_id = pr.right_id AND pi.year = $1 \
             WHERE p.registered_on <= $3 AND (p.cancelled_on IS NULL OR p.cancelled_on >= $2) \
             ORDER BY pr.right_id",
        )
        .bind(i64::from(year))
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await)?)
    }
}
