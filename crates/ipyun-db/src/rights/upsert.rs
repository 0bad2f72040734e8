//! The registry of rights: idempotent batch upsert, for imports. A batch is one transaction;
//! a right whose content is unchanged is not touched, so the same file twice changes nothing.

use super::placeholders;
use super::write::MATERIALISE_INITIAL_EVENT_SQL;
use crate::{Backend, Db, DbError, on_pool};
use chrono::{DateTime, Utc};
use ipyun_domain::right::NewRight;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl std::ops::AddAssign for UpsertCounts {
    fn add_assign(&mut self, other: Self) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A stable fingerprint of everything an import can set on a right (FNV-1a, 64 bits, hex).
pub fn content_hash(right: &NewRight) -> String {
    struct Fnv(u64);
    impl Fnv {
        fn bytes(&mut self, bytes: &[u8]) {
            for byte in bytes {
                self.0 ^= u64::from(*byte);
                self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
            }
            // A separator, so that ("ab", "c") and ("a", "bc") differ.
            self.0 ^= 0xff;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        fn date(&mut self, date: Option<chrono::NaiveDate>) {
            let days = date.map_or(i32::MIN, |date| chrono::Datelike::num_days_from_ce(&date));
            self.bytes(&days.to_le_bytes());
        }
    }
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    hash.bytes(right.kind.as_str().as_bytes());
    hash.bytes(right.number.as_str().as_bytes());
    hash.bytes(right.title.as_bytes());
    hash.date(Some(right.filing_date));
    hash.date(right.grant_date);
    hash.bytes(right.legal_status.as_str().as_bytes());
    hash.date(right.annual_fee_paid_until);
    hash.bytes(&[
        right.nice_class.as_ref().map_or(0, |class| class.number()),
        right.renewals,
    ]);
    hash.bytes(
        right
            .ipc_main
            .as_ref()
            .map_or("", |symbol| symbol.as_str())
            .as_bytes(),
    );
    for holder in &right.holders {
        hash.bytes(holder.name.as_bytes());
        hash.bytes(
            holder
                .uscc
                .as_ref()
                .map_or("", |uscc| uscc.as_str())
                .as_bytes(),
        );
        hash.bytes(&holder.share_bp.to_le_bytes());
    }
    format!("{:016x}", hash.0)
}

/// Parameters per inserted right: `now` is bound twice (created_at, updated_at), so that every
/// parameter is used once and in order (see [`for_backend`]).
const RIGHT_INSERT_COLUMNS: usize = 14;
const MAX_ROWS_PER_STATEMENT: usize = 2_000;

fn values_tuples(rows: usize, columns: usize, template: impl Fn(usize) -> String) -> String {
    (0..rows)
        .map(|row| template(row * columns + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

fn right_values_sql(rows: usize) -> String {
    let tuples = values_tuples(rows, RIGHT_INSERT_COLUMNS, |first| {
        format!("({})", placeholders(first, RIGHT_INSERT_COLUMNS))
    });
    format!(
        "INSERT INTO rights (kind, number, title, filing_date, grant_date, legal_status, annual_fee_paid_until, \
         nice_class, ipc_main, renewals, expiry_date, content_hash, created_at, updated_at) VALUES {tuples} \
         ON CONFLICT (number) DO NOTHING RETURNING id, number"
    )
}

fn existing_sql(rows: usize) -> String {
    format!(
        "SELECT number, id, content_hash, legal_status FROM rights WHERE number IN ({})",
        placeholders(1, rows)
    )
}

fn party_ids_sql(rows: usize) -> String {
    format!(
        "SELECT uscc, id FROM parties WHERE uscc IN ({})",
        placeholders(1, rows)
    )
}

fn holder_values_sql(rows: usize) -> String {
    let tuples = values_tuples(rows, 6, |first| format!("({})", placeholders(first, 6)));
    format!(
        "INSERT INTO right_holders (right_id, position, name, uscc, party_id, share_bp) VALUES {tuples}"
    )
}

fn event_values_sql(rows: usize) -> String {
    let tuples = values_tuples(rows, 6, |first| format!("({})", placeholders(first, 6)));
    format!(
        "INSERT INTO right_status_events (right_id, status, effective_date, note, recorded_at, recorded_by) VALUES {tuples}"
    )
}

/// SQLite binds a `$N` parameter by looking its name up in a list, so binding a statement costs
/// time quadratic in its number of parameters: with the thousands of a multi-row insert, that
/// dominated an import (≈ 280 s of 295 s for a million rights). Anonymous `?` parameters bind in
/// order at no cost. Every statement built here uses each parameter once, in order, so SQLite
/// gets them with `?`.
fn for_backend(db: &Db, sql: String) -> String {
    match db.backend() {
        Backend::Postgres => sql,
        Backend::Sqlite => {
            let mut anonymous = String::with_capacity(sql.len());
            let mut characters = sql.chars().peekable();
            while let Some(character) = characters.next() {
                if character == '$' && characters.peek().is_some_and(char::is_ascii_digit) {
                    while characters.next_if(char::is_ascii_digit).is_some() {}
                    anonymous.push('?');
                } else {
                    anonymous.push(character);
                }
            }
            anonymous
        }
    }
}

/// The text of a statement of `rows` rows for `db`'s backend. Full-size statements (tens of
/// thousands of characters) are built once per process and reused.
fn statement(db: &Db, shape: &'static str, rows: usize, build: fn(usize) -> String) -> String {
    type Cache = Mutex<HashMap<(bool, &'static str), String>>;
    static FULL_SIZE: OnceLock<Cache> = OnceLock::new();
    if rows != MAX_ROWS_PER_STATEMENT {
        return for_backend(db, build(rows));
    }
    let key = (db.backend() == Backend::Sqlite, shape);
    let cache = FULL_SIZE.get_or_init(Cache::default);
    if let Ok(cache) = cache.lock()
        && let Some(text) = cache.get(&key)
    {
        return text.clone();
    }
    let text = for_backend(db, build(rows));
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, text.clone());
    }
    text
}

impl Db {
    /// Inserts new rights, updates changed ones and leaves identical ones alone, all in one
    /// transaction. Numbers must be distinct within `rights`.
    pub async fn upsert_rights(
        &self,
        rights: &[NewRight],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<UpsertCounts, DbError> {
        let hashes: Vec<String> = rights.iter().map(content_hash).collect();
        self.upsert_rights_hashed(rights, &hashes, actor, now).await
    }

    /// [`Db::upsert_rights`] with each right's [`content_hash`] given by the caller, in the same
    /// order (an import computes them on its parsing thread, off the writer's path).
    pub async fn upsert_rights_hashed(
        &self,
        rights: &[NewRight],
        hashes: &[String],
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<UpsertCounts, DbError> {
        let mut counts = UpsertCounts::default();
        if hashes.len() != rights.len() {
            return Err(DbError::Corrupt(format!(
                "{} hashes for {} rights",
                hashes.len(),
                rights.len()
            )));
        }
        if rights.is_empty() {
            return Ok(counts);
        }
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            // Every right is offered for insertion; the unique number turns away those already
            // recorded, which are then compared (one index probe per new right, not two).
            let all: Vec<usize> = (0..rights.len()).collect();
            let mut ids_by_number: HashMap<String, i64> = HashMap::with_capacity(rights.len());
            for chunk in all.chunks(MAX_ROWS_PER_STATEMENT) {
                let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(statement(self, "rights", chunk.len(), right_values_sql)));
                for &index in chunk {
                    let right = &rights[index];
                    query = crate::rights::bind_new_right!(query, right, &hashes[index], now);
                }
                for (id, number) in query.fetch_all(&mut *transaction).await? {
                    ids_by_number.insert(number, id);
                }
            }
            let mut existing: HashMap<String, (i64, String, String)> = HashMap::with_capacity(rights.len());
            let turned_away: Vec<&NewRight> =
                rights.iter().filter(|right| !ids_by_number.contains_key(right.number.as_str())).collect();
            for chunk in turned_away.chunks(MAX_ROWS_PER_STATEMENT) {
                let sql = statement(self, "existing", chunk.len(), existing_sql);
                let mut query = sqlx::query_as::<_, (String, i64, String, String)>(sqlx::AssertSqlSafe(sql));
                for right in chunk {
                    query = query.bind(right.number.as_str());
                }
                for (number, id, hash, status) in query.fetch_all(&mut *transaction).await? {
                    existing.insert(number, (id, hash, status));
                }
            }
            let mut fresh: Vec<usize> = Vec::new();
            let mut changed: Vec<(usize, i64, String)> = Vec::new();
            for (index, right) in rights.iter().enumerate() {
                if ids_by_number.contains_key(right.number.as_str()) {
                    fresh.push(index);
                    continue;
                }
                match existing.get(right.number.as_str()) {
                    None => return Err(DbError::Corrupt(format!("right {} neither inserted nor found", right.number.as_str()))),
                    Some((_, hash, _)) if *hash == hashes[index] => counts.unchanged += 1,
                    Some((id, _, status)) => changed.push((index, *id, status.clone())),
                }
            }
            counts.inserted = u64::try_from(fresh.len()).unwrap_or(0);
            let mut holder_rows: Vec<(i64, usize, usize)> = Vec::new();
            let mut event_rows: Vec<(i64, usize)> = Vec::new();
            // A right imported new has no stored status event: its first status is implied by the
            // row itself (see `MATERIALISE_INITIAL_EVENT_SQL`), which saves a third of an import's writes.
            for &index in &fresh {
                let id = ids_by_number.get(rights[index].number.as_str()).copied().ok_or(DbError::NotFound)?;
                for position in 0..rights[index].holders.len() {
                    holder_rows.push((id, index, position));
                }
            }
            // Changed rights: update in place, replace holders, record a status event when the status moved.
            for (index, id, before_status) in &changed {
                let right = &rights[*index];
                if before_status.as_str() != right.legal_status.as_str() {
                    sqlx::query(MATERIALISE_INITIAL_EVENT_SQL).bind(*id).execute(&mut *transaction).await?;
                }
                sqlx::query(
                    "UPDATE rights SET kind = $1, title = $2, filing_date = $3, grant_date = $4, legal_status = $5, \
                     annual_fee_paid_until = $6, nice_class = $7, ipc_main = $8, renewals = $9, expiry_date = $10, \
                     content_hash = $11, updated_at = $12 WHERE id = $13",
                )
                .bind(right.kind.as_str())
                .bind(&right.title)
                .bind(right.filing_date)
                .bind(right.grant_date)
                .bind(right.legal_status.as_str())
                .bind(right.annual_fee_paid_until)
                .bind(right.nice_class.as_ref().map(|class| i32::from(class.number())))
                .bind(right.ipc_main.as_ref().map(|symbol| symbol.as_str()))
                .bind(i32::from(right.renewals))
                .bind(right.expiry_date())
                .bind(&hashes[*index])
                .bind(now)
                .bind(*id)
                .execute(&mut *transaction)
                .await?;
                sqlx::query("DELETE FROM right_holders WHERE right_id = $1").bind(*id).execute(&mut *transaction).await?;
                for position in 0..right.holders.len() {
                    holder_rows.push((*id, *index, position));
                }
                if before_status.as_str() != right.legal_status.as_str() {
                    event_rows.push((*id, *index));
                }
            }
            counts.updated = u64::try_from(changed.len()).unwrap_or(0);
            // The parties the holders name, by USCC: one lookup per distinct USCC, not one per row.
            let mut usccs: Vec<&str> = holder_rows
                .iter()
                .filter_map(|&(_, index, position)| rights[index].holders[position].uscc.as_ref().map(|uscc| uscc.as_str()))
                .collect();
            usccs.sort_unstable();
            usccs.dedup();
            let mut party_ids: HashMap<String, i64> = HashMap::new();
            for chunk in usccs.chunks(MAX_ROWS_PER_STATEMENT) {
                let sql = statement(self, "parties", chunk.len(), party_ids_sql);
                let mut query = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql));
                for uscc in chunk {
                    query = query.bind(*uscc);
                }
                party_ids.extend(query.fetch_all(&mut *transaction).await?);
            }
            for chunk in holder_rows.chunks(MAX_ROWS_PER_STATEMENT) {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(statement(self, "holders", chunk.len(), holder_values_sql)));
                for &(id, index, position) in chunk {
                    let holder = &rights[index].holders[position];
                    query = query
                        .bind(id)
                        .bind(i32::try_from(position).unwrap_or(i32::MAX))
                        .bind(&holder.name)
                        .bind(holder.uscc.as_ref().map(|uscc| uscc.as_str()))
                        .bind(holder.uscc.as_ref().and_then(|uscc| party_ids.get(uscc.as_str())).copied())
                        .bind(i32::try_from(holder.share_bp).unwrap_or(0));
                }
                query.execute(&mut *transaction).await?;
            }
            for chunk in event_rows.chunks(MAX_ROWS_PER_STATEMENT) {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(statement(self, "events", chunk.len(), event_values_sql)));
                for &(id, index) in chunk {
                    let right = &rights[index];
                    query = query
                        .bind(id)
                        .bind(right.legal_status.as_str())
                        .bind(right.grant_date.unwrap_or(right.filing_date))
                        .bind("imported")
                        .bind(now)
                        .bind(actor);
                }
                query.execute(&mut *transaction).await?;
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok(counts)
    }
}
