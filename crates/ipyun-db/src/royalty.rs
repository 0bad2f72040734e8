//! The royalty-rate table (feature V2) and the IPC-to-industry concordance.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::royalty::RoyaltyRange;

/// What an upsert did to each row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoyaltyCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(sqlx::FromRow)]
struct RoyaltyRow {
    industry: String,
    low_bp: i32,
    mid_bp: i32,
    high_bp: i32,
    samples: i32,
    source: String,
    published_on: NaiveDate,
}

impl RoyaltyRow {
    fn into_range(self) -> RoyaltyRange {
        let bp = |value: i32| u32::try_from(value).unwrap_or(0);
        RoyaltyRange {
            industry: self.industry,
            low_bp: bp(self.low_bp),
            mid_bp: bp(self.mid_bp),
            high_bp: bp(self.high_bp),
            samples: bp(self.samples),
            source: self.source,
            published_on: self.published_on,
        }
    }
}

fn bp(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

impl Db {
    /// Inserts or replaces each range by industry, in one transaction with one audit entry.
    pub async fn upsert_royalty_rates(
        &self,
        ranges: &[RoyaltyRange],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<RoyaltyCounts, DbError> {
        let existing: Vec<RoyaltyRange> = self.list_royalty_rates().await?;
        let mut counts = RoyaltyCounts::default();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for range in ranges {
                match existing.iter().find(|old| old.industry == range.industry) {
                    Some(old) if old == range => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                sqlx::query(
                    "INSERT INTO royalty_rates (industry, low_bp, mid_bp, high_bp, samples, source, published_on, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (industry) DO UPDATE SET low_bp = excluded.low_bp, \
                     mid_bp = excluded.mid_bp, high_bp = excluded.high_bp, samples = excluded.samples, source = excluded.source, \
                     published_on = excluded.published_on, updated_at = excluded.updated_at",
                )
                .bind(&range.industry)
                .bind(bp(range.low_bp))
                .bind(bp(range.mid_bp))
                .bind(bp(range.high_bp))
                .bind(bp(range.samples))
                .bind(&range.source)
                .bind(range.published_on)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            }
            if counts.inserted + counts.updated > 0 {
                let after = serde_json::json!({"inserted": counts.inserted, "updated": counts.updated,
                    "industries": ranges.iter().map(|range| range.industry.as_str()).collect::<Vec<_>>()}).to_string();
                crate::audit::append_in!(&mut *transaction, actor, "royalty_rates.load", "royalty_rates", "table",
                    None::<&str>, Some(&after), now)?;
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(counts)
    }

    pub async fn list_royalty_rates(&self) -> Result<Vec<RoyaltyRange>, DbError> {
        let rows: Vec<RoyaltyRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT industry, low_bp, mid_bp, high_bp, samples, source, published_on FROM royalty_rates ORDER BY industry",
        )
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(RoyaltyRow::into_range).collect())
    }

    /// Inserts or replaces IPC-prefix → industry pairs, in one transaction with one audit entry
    /// when anything changed.
    pub async fn upsert_ipc_industry(
        &self,
        pairs: &[(String, String)],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<RoyaltyCounts, DbError> {
        let existing: std::collections::HashMap<String, String> =
            self.list_ipc_industry().await?.into_iter().collect();
        let mut counts = RoyaltyCounts::default();
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            for (prefix, industry) in pairs {
                match existing.get(prefix) {
                    Some(old) if old == industry => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.inserted += 1,
                }
                sqlx::query(
                    "INSERT INTO ipc_industry (ipc_prefix, industry) VALUES ($1, $2) \
                     ON CONFLICT (ipc_prefix) DO UPDATE SET industry = excluded.industry",
                )
                .bind(prefix)
                .bind(industry)
                .execute(&mut *transaction)
                .await?;
            }
            if counts.inserted + counts.updated > 0 {
                let after = serde_json::json!({"inserted": counts.inserted, "updated": counts.updated}).to_string();
                crate::audit::append_in!(&mut *transaction, actor, "ipc_industry.load", "ipc_industry", "table",
                    None::<&str>, Some(&after), now)?;
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(counts)
    }

    pub async fn list_ipc_industry(&self) -> Result<Vec<(String, String)>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT ipc_prefix, industry FROM ipc_industry ORDER BY ipc_prefix",
        )
        .fetch_all(pool)
        .await)?)
    }
}
