//! Appraisers' profiles (qualification, fields) and lenders' loan-to-value caps (feature V4).

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct AppraiserRecord {
    pub party_id: i64,
    pub name: String,
    pub region: Option<String>,
    pub qualification_no: String,
    pub qualified_since: Option<NaiveDate>,
    /// JSON list of fields (IPC sections or industry codes).
    pub fields: String,
    /// Valuation reports recorded under this appraiser.
    pub reports: i64,
}

impl Db {
    pub async fn upsert_appraiser_profile(
        &self,
        party_id: i64,
        qualification_no: &str,
        qualified_since: Option<NaiveDate>,
        fields_json: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            sqlx::query(
                "INSERT INTO appraiser_profiles (party_id, qualification_no, qualified_since, fields, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (party_id) DO UPDATE SET qualification_no = excluded.qualification_no, \
                 qualified_since = excluded.qualified_since, fields = excluded.fields, updated_at = excluded.updated_at",
            )
            .bind(party_id)
            .bind(qualification_no)
            .bind(qualified_since)
            .bind(fields_json)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let after = serde_json::json!({"qualification_no": qualification_no, "qualified_since": qualified_since,
                "fields": fields_json}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "appraiser.profile", "party", party_id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    pub async fn list_appraisers(&self) -> Result<Vec<AppraiserRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT a.party_id, p.name, p.region, a.qualification_no, a.qualified_since, a.fields, \
             (SELECT COUNT(*) FROM valuations v WHERE v.appraiser_id = a.party_id) AS reports \
             FROM appraiser_profiles a JOIN parties p ON p.id = a.party_id ORDER BY p.name",
        )
        .fetch_all(pool)
        .await)?)
    }

    pub async fn set_lender_cap(
        &self,
        party_id: i64,
        max_ltv_bp: i32,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            sqlx::query(
                "INSERT INTO lender_policies (party_id, max_ltv_bp, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (party_id) DO UPDATE SET max_ltv_bp = excluded.max_ltv_bp, updated_at = excluded.updated_at",
            )
            .bind(party_id)
            .bind(max_ltv_bp)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let after = serde_json::json!({"max_ltv_bp": max_ltv_bp}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "lender.ltv_cap", "party", party_id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(())
        })
    }

    pub async fn lender_cap(&self, party_id: i64) -> Result<Option<i32>, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT max_ltv_bp FROM lender_policies WHERE party_id = $1")
            .bind(party_id)
            .fetch_optional(pool)
            .await)?,
        )
    }
}
