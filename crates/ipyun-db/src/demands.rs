//! Financing demands and their pipeline (issue 6, F2). A stage change applies only from the
//! version it was read at ([`DbError::Stale`] otherwise), with its dated row and audit entry.

use crate::rights::corrupt;
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::market::{DemandTerms, Stage};

/// A stored demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandRecord {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub enterprise_region: Option<String>,
    pub enterprise_park_id: Option<i64>,
    pub stage: Stage,
    pub terms: DemandTerms,
    pub lender_id: Option<i64>,
    pub registration_no: Option<String>,
    pub loan_id: Option<i64>,
    pub published_on: NaiveDate,
    pub funded_on: Option<NaiveDate>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DemandRow {
    id: i64,
    enterprise_id: i64,
    enterprise_name: String,
    enterprise_region: Option<String>,
    enterprise_park_id: Option<i64>,
    stage: String,
    terms: String,
    lender_id: Option<i64>,
    registration_no: Option<String>,
    loan_id: Option<i64>,
    published_on: NaiveDate,
    funded_on: Option<NaiveDate>,
    version: i64,
    updated_at: DateTime<Utc>,
}

impl DemandRow {
    fn into_record(self) -> Result<DemandRecord, DbError> {
        Ok(DemandRecord {
            stage: Stage::parse(&self.stage).map_err(|error| corrupt("demands.stage", error))?,
            terms: serde_json::from_str(&self.terms)
                .map_err(|error| corrupt("demands.terms", error))?,
            id: self.id,
            enterprise_id: self.enterprise_id,
            enterprise_name: self.enterprise_name,
            enterprise_region: self.enterprise_region,
            enterprise_park_id: self.enterprise_park_id,
            lender_id: self.lender_id,
            registration_no: self.registration_no,
            loan_id: self.loan_id,
            published_on: self.published_on,
            funded_on: self.funded_on,
            version: self.version,
            updated_at: self.updated_at,
        })
    }
}

const DEMAND_SELECT: &str = "SELECT d.id, d.enterprise_id, e.name AS enterprise_name, e.region AS enterprise_region, \
    e.park_id AS enterprise_park_id, d.stage, d.terms, d.lender_id, d.registration_no, d.loan_id, d.published_on, \
    d.funded_on, d.version, d.updated_at FROM demands d JOIN parties e ON e.id = d.enterprise_id";

/// Which demands to list (the caller's visibility, as explicit filters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandFilter {
    pub enterprise_id: Option<i64>,
    /// Demands this lender may see: shared with nobody in particular, or with it.
    pub visible_to_lender: Option<i64>,
    pub park_id: Option<i64>,
    /// Enterprises whose region code starts with this.
    pub region_prefix: Option<String>,
    pub stage: Option<Stage>,
}

/// A dated stage of a demand.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DemandStageRecord {
    pub seq: i64,
    pub stage: String,
    pub on_date: NaiveDate,
    pub note: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A move along the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageWrite<'a> {
    pub demand_id: i64,
    pub version: i64,
    pub from: Stage,
    pub to: Stage,
    pub on_date: NaiveDate,
    pub lender_id: Option<i64>,
    pub registration_no: Option<&'a str>,
    pub loan_id: Option<i64>,
    pub note: Option<&'a str>,
    pub actor: &'a str,
}

impl Db {
    /// Publishes a demand (stage `published`) with its shares.
    pub async fn insert_demand(
        &self,
        enterprise_id: i64,
        terms: &DemandTerms,
        on_date: NaiveDate,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let json = serde_json::to_string(terms).map_err(|error| corrupt("demand terms", error))?;
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO demands (enterprise_id, stage, amount_fen, months, urgency, terms, published_on, \
                 created_by, created_at, updated_at) VALUES ($1, 'published', $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            )
            .bind(enterprise_id)
            .bind(terms.amount_fen)
            .bind(i64::from(terms.months))
            .bind(terms.urgency.as_str())
            .bind(&json)
            .bind(on_date)
            .bind(actor)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            for lender in &terms.shared_with {
                sqlx::query("INSERT INTO demand_shares (demand_id, lender_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*lender)
                    .execute(&mut *transaction)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO demand_stages (demand_id, seq, stage, on_date, note, actor, at) \
                 VALUES ($1, 1, 'published', $2, NULL, $3, $4)",
            )
            .bind(id)
            .bind(on_date)
            .bind(actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, actor, "demand.publish", "demand", &id.to_string(),
                None::<&str>, Some(&json), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn get_demand(&self, id: i64) -> Result<Option<DemandRecord>, DbError> {
        let sql = format!("{DEMAND_SELECT} WHERE d.id = $1");
        let row: Option<DemandRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
        row.map(DemandRow::into_record).transpose()
    }

    /// Whether lender `lender_id` may see demand `id` (shared with nobody, or with it).
    pub async fn demand_visible_to_lender(&self, id: i64, lender_id: i64) -> Result<bool, DbError> {
        let visible: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT d.id FROM demands d WHERE d.id = $1 AND (NOT EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id) \
             OR EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id AND s.lender_id = $2))",
        )
        .bind(id)
        .bind(lender_id)
        .fetch_optional(pool)
        .await)?;
        Ok(visible.is_some())
    }

    /// Demands matching the filter, newest first (at most 1,000).
    pub async fn list_demands(&self, filter: &DemandFilter) -> Result<Vec<DemandRecord>, DbError> {
        let sql = format!(
            "{DEMAND_SELECT} WHERE ($1 IS NULL OR d.enterprise_id = $1) \
             AND ($2 IS NULL OR NOT EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id) \
               OR EXISTS (SELECT 1 FROM demand_shares s WHERE s.demand_id = d.id AND s.lender_id = $2)) \
             AND ($3 IS NULL OR e.park_id = $3) AND ($4 IS NULL OR e.region LIKE $4) AND ($5 IS NULL OR d.stage = $5) \
             ORDER BY d.id DESC LIMIT 1000"
        );
        let like = filter
            .region_prefix
            .as_ref()
            .map(|prefix| format!("{prefix}%"));
        let rows: Vec<DemandRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(filter.enterprise_id)
            .bind(filter.visible_to_lender)
            .bind(filter.park_id)
            .bind(like.as_deref())
            .bind(filter.stage.map(|stage| stage.as_str()))
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(DemandRow::into_record).collect()
    }

    pub async fn demand_stages(&self, id: i64) -> Result<Vec<DemandStageRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT seq, stage, on_date, note, actor, at FROM demand_stages WHERE demand_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?)
    }

    /// Moves a demand to its next stage, from the version it was read at.
    pub async fn move_demand(
        &self,
        write: &StageWrite<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let after = serde_json::json!({"stage": write.to.as_str(), "lender_id": write.lender_id,
            "registration_no": write.registration_no, "loan_id": write.loan_id, "note": write.note})
        .to_string();
        let before = serde_json::json!({"stage": write.from.as_str()}).to_string();
        let funded_on = write.to.is_funded().then_some(write.on_date);
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let changed = sqlx::query(
                "UPDATE demands SET stage = $3, lender_id = COALESCE($4, lender_id), \
                 registration_no = COALESCE($5, registration_no), loan_id = COALESCE($6, loan_id), \
                 funded_on = COALESCE(funded_on, $7), version = version + 1, updated_at = $8 \
                 WHERE id = $1 AND version = $2",
            )
            .bind(write.demand_id)
            .bind(write.version)
            .bind(write.to.as_str())
            .bind(write.lender_id)
            .bind(write.registration_no)
            .bind(write.loan_id)
            .bind(funded_on)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            if changed.rows_affected() != 1 {
                return Err(DbError::Stale(format!("demand {} changed meanwhile", write.demand_id)));
            }
            sqlx::query(
                "INSERT INTO demand_stages (demand_id, seq, stage, on_date, note, actor, at) VALUES ($1, \
                 (SELECT COALESCE(MAX(seq), 0) + 1 FROM demand_stages WHERE demand_id = $1), $2, $3, $4, $5, $6)",
            )
            .bind(write.demand_id)
            .bind(write.to.as_str())
            .bind(write.on_date)
            .bind(write.note)
            .bind(write.actor)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            crate::audit::append_in!(&mut *transaction, write.actor, "demand.stage", "demand",
                &write.demand_id.to_string(), Some(&before), Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }
}
