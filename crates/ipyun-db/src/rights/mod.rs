//! The registry of rights: reads.

mod upsert;

pub(crate) use write::bind_new_right;
mod write;

pub use upsert::{UpsertCounts, content_hash};

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use ipyun_domain::page::{Page, PageRequest};
use ipyun_domain::right::{Holder, LegalStatus, Right, RightKind, StatusEvent};
use std::collections::HashMap;

/// Which rights to list. Every field narrows the result; `None` means no restriction.
#[derive(Debug, Clone, Default)]
pub struct RightFilter {
    pub kind: Option<RightKind>,
    pub legal_status: Option<LegalStatus>,
    /// A number prefix, or words of the title or a holder's name.
    pub text: Option<String>,
    pub holder_party_id: Option<i64>,
    /// Rights held by enterprises of this park.
    pub park_id: Option<i64>,
}

/// The `WHERE` clause of a rights filter over `rights r`, with parameters `$1`…`$6` in the order
/// of [`RightFilter::binds`] followed by `holder_party_id` and `park_id`.
pub(crate) const RIGHT_FILTER_WHERE: &str = " WHERE ($1 IS NULL OR r.kind = $1) AND ($2 IS NULL OR r.legal_status = $2) \
    AND ($3 IS NULL OR r.number LIKE $4 ESCAPE '\\' OR r.title LIKE $3 ESCAPE '\\' \
         OR EXISTS (SELECT 1 FROM right_holders h WHERE h.right_id = r.id AND h.name LIKE $3 ESCAPE '\\')) \
    AND ($5 IS NULL OR EXISTS (SELECT 1 FROM right_holders h WHERE h.right_id = r.id AND h.party_id = $5)) \
    AND ($6 IS NULL OR EXISTS (SELECT 1 FROM right_holders h JOIN parties p ON p.id = h.party_id \
         WHERE h.right_id = r.id AND p.park_id = $6))";

/// The text values a [`RightFilter`] binds to [`RIGHT_FILTER_WHERE`].
pub(crate) struct RightFilterBinds {
    pub kind: Option<&'static str>,
    pub status: Option<&'static str>,
    pub text_like: Option<String>,
    pub number_prefix: Option<String>,
}

impl RightFilter {
    pub(crate) fn binds(&self) -> RightFilterBinds {
        RightFilterBinds {
            kind: self.kind.map(RightKind::as_str),
            status: self.legal_status.map(LegalStatus::as_str),
            text_like: self
                .text
                .as_ref()
                .map(|text| format!("%{}%", escape_like(text.trim()))),
            number_prefix: self
                .text
                .as_ref()
                .map(|text| format!("{}%", escape_like(&text.trim().to_uppercase()))),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RightRow {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) number: String,
    pub(crate) title: String,
    pub(crate) filing_date: NaiveDate,
    pub(crate) grant_date: Option<NaiveDate>,
    pub(crate) legal_status: String,
    pub(crate) annual_fee_paid_until: Option<NaiveDate>,
    pub(crate) nice_class: Option<i32>,
    pub(crate) ipc_main: Option<String>,
    pub(crate) renewals: i32,
    pub(crate) expiry_date: Option<NaiveDate>,
    pub(crate) updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct HolderRow {
    pub(crate) right_id: i64,
    pub(crate) name: String,
    pub(crate) uscc: Option<String>,
    pub(crate) party_id: Option<i64>,
    pub(crate) share_bp: i32,
}

#[derive(sqlx::FromRow)]
struct StatusEventRow {
    status: String,
    effective_date: NaiveDate,
    note: String,
    recorded_at: DateTime<Utc>,
    recorded_by: Option<String>,
}

pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> DbError {
    DbError::Corrupt(format!("{what}: {error}"))
}

impl RightRow {
    pub(crate) fn into_right(self, holders: Vec<Holder>) -> Result<Right, DbError> {
        Ok(Right {
            id: self.id,
            kind: RightKind::parse(&self.kind).map_err(|error| corrupt("rights.kind", error))?,
            number: self.number,
            title: self.title,
            filing_date: self.filing_date,
            grant_date: self.grant_date,
            legal_status: LegalStatus::parse(&self.legal_status)
                .map_err(|error| corrupt("rights.legal_status", error))?,
            annual_fee_paid_until: self.annual_fee_paid_until,
            nice_class: self.nice_class.and_then(|class| u8::try_from(class).ok()),
            ipc_main: self.ipc_main,
            renewals: u8::try_from(self.renewals).unwrap_or(u8::MAX),
            expiry_date: self.expiry_date,
            holders,
            updated_at: self.updated_at,
        })
    }
}

impl HolderRow {
    pub(crate) fn into_holder(self) -> Result<Holder, DbError> {
        let uscc = match self.uscc {
            Some(text) => Some(
                ipyun_domain::id::Uscc::parse(&text)
                    .map_err(|error| corrupt("right_holders.uscc", error))?,
            ),
            None => None,
        };
        Ok(Holder {
            name: self.name,
            uscc,
            party_id: self.party_id,
            share_bp: u32::try_from(self.share_bp).unwrap_or(0),
        })
    }
}

const RIGHT_COLUMNS: &str = "id, kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
     nice_class, ipc_main, renewals, expiry_date, updated_at";

/// `$start, $start+1, …` for `count` values.
pub(crate) fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|index| format!("${index}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// One right with its holders, in one round trip (the hottest read of the registry).
    pub async fn get_right(&self, number: &str) -> Result<Option<Right>, DbError> {
        if let Some(fast_reads) = &self.fast_reads {
            let Some((right_row, holder_rows)) = fast_reads.right_with_holders(number)? else {
                return Ok(None);
            };
            let holders = holder_rows
                .into_iter()
                .map(HolderRow::into_holder)
                .collect::<Result<Vec<_>, _>>()?;
            return right_row.into_right(holders).map(Some);
        }
        #[derive(sqlx::FromRow)]
        struct Joined {
            #[sqlx(flatten)]
            right: RightRow,
            holder_name: Option<String>,
            holder_uscc: Option<String>,
            holder_party_id: Option<i64>,
            holder_share_bp: Option<i32>,
        }
        let rows: Vec<Joined> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.id, r.kind, r.number, r.title, r.filing_date, r.grant_date, r.legal_status, \
             r.annual_fee_paid_until, r.nice_class, r.ipc_main, r.renewals, r.expiry_date, r.updated_at, \
             h.name AS holder_name, h.uscc AS holder_uscc, h.party_id AS holder_party_id, h.share_bp AS holder_share_bp \
             FROM rights r LEFT JOIN right_holders h ON h.right_id = r.id WHERE r.number = $1 ORDER BY h.position",
        )
        .bind(number)
        .fetch_all(pool)
        .await)?;
        let mut holders = Vec::with_capacity(rows.len());
        let mut right_row = None;
        for row in rows {
            if let (Some(name), Some(share_bp)) = (row.holder_name, row.holder_share_bp) {
                let holder = HolderRow {
                    right_id: row.right.id,
                    name,
                    uscc: row.holder_uscc,
                    party_id: row.holder_party_id,
                    share_bp,
                };
                holders.push(holder.into_holder()?);
            }
            right_row.get_or_insert(row.right);
        }
        right_row.map(|row| row.into_right(holders)).transpose()
    }

    pub async fn list_rights(
        &self,
        filter: &RightFilter,
        page: PageRequest,
    ) -> Result<Page<Right>, DbError> {
        let RightFilterBinds {
            kind,
            status,
            text_like,
            number_prefix,
        } = filter.binds();
        const WHERE: &str = RIGHT_FILTER_WHERE;
        let count_sql = format!("SELECT COUNT(*) FROM rights r{WHERE}");
        let list_sql = format!(
            "SELECT {RIGHT_COLUMNS} FROM rights r{WHERE} ORDER BY r.id DESC LIMIT $7 OFFSET $8"
        );
        let (total, rows): (i64, Vec<RightRow>) = on_pool!(self, pool => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(kind).bind(status).bind(&text_like).bind(&number_prefix)
                .bind(filter.holder_party_id).bind(filter.park_id)
                .fetch_one(pool).await?;
            let rows: Vec<RightRow> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(kind).bind(status).bind(&text_like).bind(&number_prefix)
                .bind(filter.holder_party_id).bind(filter.park_id)
                .bind(page.limit()).bind(page.offset())
                .fetch_all(pool).await?;
            Ok::<_, DbError>((total, rows))
        })?;
        let mut holders_by_right = self
            .holders_of(&rows.iter().map(|row| row.id).collect::<Vec<_>>())
            .await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let holders = holders_by_right.remove(&row.id).unwrap_or_default();
                row.into_right(holders)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn holders_of(&self, right_ids: &[i64]) -> Result<HashMap<i64, Vec<Holder>>, DbError> {
        let mut result: HashMap<i64, Vec<Holder>> = HashMap::new();
        if right_ids.is_empty() {
            return Ok(result);
        }
        let sql = format!(
            "SELECT right_id, name, uscc, party_id, share_bp FROM right_holders WHERE right_id IN ({}) \
             ORDER BY right_id, position",
            placeholders(1, right_ids.len())
        );
        let rows: Vec<HolderRow> = on_pool!(self, pool => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in right_ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        for row in rows {
            let right_id = row.right_id;
            result.entry(right_id).or_default().push(row.into_holder()?);
        }
        Ok(result)
    }

    /// A right's legal-status history, oldest first. A right imported without events shows the
    /// status it was recorded with as its first entry.
    pub async fn right_status_history(&self, right_id: i64) -> Result<Vec<StatusEvent>, DbError> {
        let rows: Vec<StatusEventRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT status, effective_date, note, recorded_at, recorded_by FROM right_status_events \
             WHERE right_id = $1 ORDER BY effective_date, id",
        )
        .bind(right_id)
        .fetch_all(pool)
        .await)?;
        let rows = if rows.is_empty() {
            on_pool!(self, pool => sqlx::query_as(
                "SELECT legal_status AS status, COALESCE(grant_date, filing_date) AS effective_date, \
                 'imported' AS note, created_at AS recorded_at, NULL AS recorded_by FROM rights WHERE id = $1",
            )
            .bind(right_id)
            .fetch_all(pool)
            .await)?
        } else {
            rows
        };
        rows.into_iter()
            .map(|row| {
                Ok(StatusEvent {
                    status: LegalStatus::parse(&row.status)
                        .map_err(|error| corrupt("right_status_events.status", error))?,
                    effective_date: row.effective_date,
                    note: row.note,
                    recorded_at: row.recorded_at,
                    recorded_by: row.recorded_by,
                })
            })
            .collect()
    }

    pub async fn count_rights(&self) -> Result<i64, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM rights").fetch_one(pool).await)?,
        )
    }
}

/// Escapes `%`, `_` and `\` so user text matches literally in LIKE.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}
