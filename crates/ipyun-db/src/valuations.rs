//! Valuation records (feature V1): what was valued, how, for what, by whom, with every input.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

pub struct NewValuation<'a> {
    pub right_number: Option<&'a str>,
    /// The organisation of the user who made it.
    pub party_id: Option<i64>,
    pub method: &'a str,
    pub purpose: &'a str,
    pub inputs_json: &'a str,
    /// The whole record (result, working, assumptions) as JSON.
    pub record_json: &'a str,
    pub value_fen: i64,
    pub appraiser_id: Option<i64>,
    pub made_by: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ValuationRow {
    pub id: i64,
    pub right_number: Option<String>,
    pub party_id: Option<i64>,
    pub method: String,
    pub purpose: String,
    pub result: String,
    pub value_fen: i64,
    pub appraiser_id: Option<i64>,
    pub made_by: String,
    pub made_at: DateTime<Utc>,
}

impl Db {
    pub async fn insert_valuation(
        &self,
        valuation: &NewValuation<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO valuations (subject, right_number, party_id, method, purpose, inputs, result, value_fen, \
                 appraiser_id, made_by, made_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
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
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            let after = serde_json::json!({"right_number": valuation.right_number, "method": valuation.method,
                "purpose": valuation.purpose, "value_fen": valuation.value_fen, "appraiser_id": valuation.appraiser_id}).to_string();
            crate::audit::append_in!(&mut *transaction, valuation.made_by, "valuation.create", "valuation", id.to_string(),
                None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// The valuations of a right, newest first (at most `limit`).
    pub async fn list_valuations(
        &self,
        right_number: &str,
        limit: i64,
    ) -> Result<Vec<ValuationRow>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, right_number, party_id, method, purpose, result, value_fen, appraiser_id, made_by, made_at \
             FROM valuations WHERE right_number = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(right_number)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
    }
}
