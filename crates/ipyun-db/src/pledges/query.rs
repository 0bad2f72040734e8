//! Registered pledges: the public record (the gazette's content) and each right's history.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::pledge::{PledgeStatus, PledgeType};
use ipyun_domain::right::RightKind;
use std::collections::HashMap;

/// Which pledges to list; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct PledgeFilter {
    pub registration_no: Option<String>,
    /// Pledges binding (or having bound) this right.
    pub right_number: Option<String>,
    /// Pledges where this party is pledgor or pledgee.
    pub party_id: Option<i64>,
    /// Words of the pledgor's or the pledgee's name.
    pub pledgor_name: Option<String>,
    pub pledgee_name: Option<String>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub status: Option<PledgeStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PledgeRightRecord {
    pub number: String,
    pub kind: RightKind,
    pub right_id: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeRecord {
    pub id: i64,
    pub registration_no: String,
    pub application_id: i64,
    pub status: PledgeStatus,
    pub pledge_type: PledgeType,
    pub pledgor_id: i64,
    pub pledgor_name: String,
    pub pledgee_id: i64,
    pub pledgee_name: String,
    pub secured_amount_fen: Option<i64>,
    pub performance_end: Option<NaiveDate>,
    pub verification_code: String,
    pub registered_on: NaiveDate,
    pub registered_at: DateTime<Utc>,
    pub cancelled_on: Option<NaiveDate>,
    pub cancellation_reason: Option<String>,
    pub appraised_value_fen: Option<i64>,
    pub rights: Vec<PledgeRightRecord>,
}

#[derive(sqlx::FromRow)]
struct PledgeRow {
    id: i64,
    registration_no: String,
    application_id: i64,
    status: String,
    pledge_type: String,
    pledgor_id: i64,
    pledgor_name: String,
    pledgee_id: i64,
    pledgee_name: String,
    secured_amount_fen: Option<i64>,
    performance_end: Option<NaiveDate>,
    verification_code: String,
    registered_on: NaiveDate,
    registered_at: DateTime<Utc>,
    cancelled_on: Option<NaiveDate>,
    cancellation_reason: Option<String>,
    appraised_value_fen: Option<i64>,
}

const PLEDGE_SELECT: &str = "SELECT p.id, p.registration_no, p.application_id, p.status, p.pledge_type, \
     p.pledgor_id, a.name AS pledgor_name, p.pledgee_id, b.name AS pledgee_name, p.secured_amount_fen, \
     p.performance_end, p.verification_code, p.registered_on, p.registered_at, p.cancelled_on, p.cancellation_reason, p.appraised_value_fen \
     FROM pledges p JOIN parties a ON a.id = p.pledgor_id JOIN parties b ON b.id = p.pledgee_id";

const PLEDGE_WHERE: &str = " WHERE ($1 IS NULL OR p.registration_no = $1) \
     AND ($2 IS NULL OR EXISTS (SELECT 1 FROM pledge_rights pr WHERE pr.pledge_id = p.id AND pr.right_number = $2)) \
     AND ($3 IS NULL OR p.pledgor_id = $3 OR p.pledgee_id = $3) \
     AND ($4 IS NULL OR a.name LIKE $4) AND ($5 IS NULL OR b.name LIKE $5) \
     AND ($6 IS NULL OR p.registered_on >= $6) AND ($7 IS NULL OR p.registered_on <= $7) \
     AND ($8 IS NULL OR p.status = $8)";

fn like(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| format!("%{}%", text.replace(['%', '_', '\\'], "")))
}

impl Db {
    pub async fn list_pledges(
        &self,
        filter: &PledgeFilter,
        page: PageRequest,
    ) -> Result<Page<PledgeRecord>, DbError> {
        let pledgor_like = like(&filter.pledgor_name);
        let pledgee_like = like(&filter.pledgee_name);
        let status = filter.status.map(PledgeStatus::as_str);
        let list_sql = format!(
            "{PLEDGE_SELECT}{PLEDGE_WHERE} ORDER BY p.registered_at DESC, p.id DESC LIMIT $9 OFFSET $10"
        );
        let count_sql = format!(
            "SELECT COUNT(*) FROM pledges p JOIN parties a ON a.id = p.pledgor_id JOIN parties b ON b.id = p.pledgee_id{PLEDGE_WHERE}"
        );
        let (rows, total): (Vec<PledgeRow>, i64) = on_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(&filter.registration_no).bind(&filter.right_number).bind(filter.party_id)
                .bind(&pledgor_like).bind(&pledgee_like).bind(filter.registered_from).bind(filter.registered_to)
                .bind(status).bind(page.limit()).bind(page.offset())
                .fetch_all(pool).await?;
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&filter.registration_no).bind(&filter.right_number).bind(filter.party_id)
                .bind(&pledgor_like).bind(&pledgee_like).bind(filter.registered_from).bind(filter.registered_to)
                .bind(status)
                .fetch_one(pool).await?;
            Ok::<_, DbError>((rows, total))
        })?;
        let items = self.with_rights(rows).await?;
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    pub async fn get_pledge(&self, registration_no: &str) -> Result<Option<PledgeRecord>, DbError> {
        let filter = PledgeFilter {
            registration_no: Some(registration_no.to_string()),
            ..PledgeFilter::default()
        };
        Ok(self
            .list_pledges(&filter, PageRequest::new(Some(1), Some(1)))
            .await?
            .items
            .into_iter()
            .next())
    }

    async fn with_rights(&self, rows: Vec<PledgeRow>) -> Result<Vec<PledgeRecord>, DbError> {
        let mut rights: HashMap<i64, Vec<PledgeRightRecord>> = HashMap::new();
        for row in &rows {
            let found: Vec<(String, String, Option<i64>, bool)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT right_number, right_kind, right_id, active FROM pledge_rights WHERE pledge_id = $1 ORDER BY position",
            )
            .bind(row.id)
            .fetch_all(pool)
            .await)?;
            let mut list = Vec::with_capacity(found.len());
            for (number, kind, right_id, active) in found {
                let kind = RightKind::parse(&kind)
                    .map_err(|error| crate::rights::corrupt("pledge_rights.right_kind", error))?;
                list.push(PledgeRightRecord {
                    number,
                    kind,
                    right_id,
                    active,
                });
            }
            rights.insert(row.id, list);
        }
        rows.into_iter()
            .map(|row| {
                Ok(PledgeRecord {
                    status: PledgeStatus::parse(&row.status)
                        .map_err(|error| crate::rights::corrupt("pledges.status", error))?,
                    pledge_type: super::pledge_type_parse(&row.pledge_type)?,
                    rights: rights.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    registration_no: row.registration_no,
                    application_id: row.application_id,
                    pledgor_id: row.pledgor_id,
                    pledgor_name: row.pledgor_name,
                    pledgee_id: row.pledgee_id,
                    pledgee_name: row.pledgee_name,
                    secured_amount_fen: row.secured_amount_fen,
                    performance_end: row.performance_end,
                    verification_code: row.verification_code,
                    registered_on: row.registered_on,
                    registered_at: row.registered_at,
                    cancelled_on: row.cancelled_on,
                    cancellation_reason: row.cancellation_reason,
                    appraised_value_fen: row.appraised_value_fen,
                })
            })
            .collect()
    }
}
