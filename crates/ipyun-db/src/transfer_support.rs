//! Reads for exports (feature R4): rights and parties in id order, by keyset pagination, so an
//! export of a million rows costs one indexed range scan per batch instead of an OFFSET scan.

use crate::parties::{PARTY_COLUMNS, PartyRow};
use crate::rights::{HolderRow, RIGHT_FILTER_WHERE, RightFilter, RightFilterBinds, RightRow};
use crate::{Db, DbError, on_pool};
use ipyun_domain::party::Party;
use ipyun_domain::right::{Holder, Right};
use std::collections::HashMap;

impl Db {
    /// Up to `limit` rights matching `filter` whose id is above `after_id`, in id order, with their
    /// holders: for exports (pass the last id of one batch to get the next).
    pub async fn rights_after(
        &self,
        filter: &RightFilter,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Right>, DbError> {
        let RightFilterBinds {
            kind,
            status,
            text_like,
            number_prefix,
        } = filter.binds();
        let sql = format!(
            "SELECT id, kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
             nice_class, ipc_main, renewals, expiry_date, updated_at FROM rights r{RIGHT_FILTER_WHERE} \
             AND r.id > $7 ORDER BY r.id LIMIT $8"
        );
        let rows: Vec<RightRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(kind).bind(status).bind(&text_like).bind(&number_prefix)
            .bind(filter.holder_party_id).bind(filter.park_id).bind(after_id).bind(limit)
            .fetch_all(pool).await)?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        let holder_rows: Vec<HolderRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT right_id, name, uscc, party_id, share_bp FROM right_holders \
             WHERE right_id >= $1 AND right_id <= $2 ORDER BY right_id, position",
        )
        .bind(first.id).bind(last.id)
        .fetch_all(pool).await)?;
        let mut holders: HashMap<i64, Vec<Holder>> = HashMap::with_capacity(rows.len());
        for row in holder_rows {
            let right_id = row.right_id;
            holders
                .entry(right_id)
                .or_default()
                .push(row.into_holder()?);
        }
        rows.into_iter()
            .map(|row| {
                let right_holders = holders.remove(&row.id).unwrap_or_default();
                row.into_right(right_holders)
            })
            .collect()
    }

    /// Up to `limit` parties whose id is above `after_id`, in id order: for exports.
    pub async fn parties_after(&self, after_id: i64, limit: i64) -> Result<Vec<Party>, DbError> {
        let sql = format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id > $1 ORDER BY id LIMIT $2");
        let rows: Vec<PartyRow> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after_id).bind(limit)
            .fetch_all(pool).await)?;
        rows.into_iter().map(PartyRow::into_party).collect()
    }
}
