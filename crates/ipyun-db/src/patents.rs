//! Patent records (issue 8, S4): what the register does not hold of a patent, numbered by change
//! so that search indexes can catch up; and the reads that feed an index.

use crate::rights::{UpsertCounts, placeholders};
use crate::{Db, DbError, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// A patent record as stored; lists are kept as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatentRecordRow {
    pub number: String,
    pub abstract_text: String,
    /// The first claim first.
    pub claims: Vec<String>,
    pub applicants: Vec<String>,
    pub inventors: Vec<String>,
    pub region_code: Option<String>,
    /// The main symbol first.
    pub ipc: Vec<String>,
    pub publication_date: Option<NaiveDate>,
    pub cited_by: i64,
    pub family_size: i64,
}

impl PatentRecordRow {
    /// A stable fingerprint of the record (FNV-1a, 64 bits, hex).
    pub fn content_hash(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for byte in bytes.iter().chain(&[0xff]) {
                hash ^= u64::from(*byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        feed(self.number.as_bytes());
        feed(self.abstract_text.as_bytes());
        for list in [&self.claims, &self.applicants, &self.inventors, &self.ipc] {
            feed(&list.len().to_le_bytes());
            for item in list {
                feed(item.as_bytes());
            }
        }
        feed(self.region_code.as_deref().unwrap_or("").as_bytes());
        feed(
            self.publication_date
                .map(|date| date.to_string())
                .unwrap_or_default()
                .as_bytes(),
        );
        feed(&self.cited_by.to_le_bytes());
        feed(&self.family_size.to_le_bytes());
        format!("{hash:016x}")
    }
}

/// A patent as an index takes it: the register's row joined with its record (when it has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatentForIndex {
    pub right_id: i64,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub filing_date: NaiveDate,
    pub grant_date: Option<NaiveDate>,
    pub legal_status: String,
    pub ipc_main: Option<String>,
    /// The holders' names, in order (the applicants when there is no record).
    pub holders: Vec<String>,
    pub record: Option<PatentRecordRow>,
    /// The record's change number; 0 without a record.
    pub change_seq: i64,
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    right_id: i64,
    kind: String,
    number: String,
    title: String,
    filing_date: NaiveDate,
    grant_date: Option<NaiveDate>,
    legal_status: String,
    ipc_main: Option<String>,
    abstract_text: Option<String>,
    claims: Option<String>,
    applicants: Option<String>,
    inventors: Option<String>,
    region_code: Option<String>,
    ipc: Option<String>,
    publication_date: Option<NaiveDate>,
    cited_by: Option<i64>,
    family_size: Option<i64>,
    change_seq: Option<i64>,
}

fn list(json: Option<&str>) -> Vec<String> {
    json.and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or_default()
}

fn json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

impl IndexRow {
    fn into_patent(self, holders: Vec<String>) -> PatentForIndex {
        let record = self.abstract_text.map(|abstract_text| PatentRecordRow {
            number: self.number.clone(),
            abstract_text,
            claims: list(self.claims.as_deref()),
            applicants: list(self.applicants.as_deref()),
            inventors: list(self.inventors.as_deref()),
            region_code: self.region_code,
            ipc: list(self.ipc.as_deref()),
            publication_date: self.publication_date,
            cited_by: self.cited_by.unwrap_or(0),
            family_size: self.family_size.unwrap_or(0),
        });
        PatentForIndex {
            right_id: self.right_id,
            kind: self.kind,
            number: self.number,
            title: self.title,
            filing_date: self.filing_date,
            grant_date: self.grant_date,
            legal_status: self.legal_status,
            ipc_main: self.ipc_main,
            holders,
            record,
            change_seq: self.change_seq.unwrap_or(0),
        }
    }
}

/// What an index reads of a patent: the register's row and its record, if any.
macro_rules! index_select {
    () => {
        "SELECT r.id AS right_id, r.kind, r.number, r.title, r.filing_date, r.grant_date, \
         r.legal_status, r.ipc_main, p.abstract AS abstract_text, p.claims, p.applicants, p.inventors, \
         p.region_code, p.ipc, p.publication_date, CAST(p.cited_by AS BIGINT) AS cited_by, \
         CAST(p.family_size AS BIGINT) AS family_size, p.change_seq "
    };
}

const PATENTS_AFTER_ID_SQL: &str = concat!(
    index_select!(),
    "FROM rights r LEFT JOIN patent_records p ON p.right_id = r.id \
     WHERE r.id > $1 AND r.kind IN ('invention', 'utility_model', 'design') ORDER BY r.id LIMIT $2"
);

const PATENTS_CHANGED_AFTER_SQL: &str = concat!(
    index_select!(),
    "FROM patent_records p JOIN rights r ON r.id = p.right_id \
     WHERE p.change_seq > $1 ORDER BY p.change_seq LIMIT $2"
);

/// Rows per read batch at most.
const MAX_BATCH: i64 = 20_000;
/// Right ids per holders query.
const HOLDER_CHUNK: usize = 500;

impl Db {
    /// Inserts or replaces the records of patents already in the register (numbers not in it
    /// are not written, and are returned in `missing`). Records that changed take new change
    /// numbers. One transaction.
    pub async fn upsert_patent_records(
        &self,
        records: &[PatentRecordRow],
        now: DateTime<Utc>,
    ) -> Result<(UpsertCounts, Vec<String>), DbError> {
        let hashes: Vec<String> = records.iter().map(PatentRecordRow::content_hash).collect();
        self.upsert_patent_records_hashed(records, &hashes, now)
            .await
    }

    /// [`Db::upsert_patent_records`] with each record's [`PatentRecordRow::content_hash`] given
    /// by the caller, in the same order (an import computes them on its parsing thread).
    pub async fn upsert_patent_records_hashed(
        &self,
        records: &[PatentRecordRow],
        hashes: &[String],
        now: DateTime<Utc>,
    ) -> Result<(UpsertCounts, Vec<String>), DbError> {
        if hashes.len() != records.len() {
            return Err(DbError::Corrupt(format!(
                "{} hashes for {} patent records",
                hashes.len(),
                records.len()
            )));
        }
        let mut counts = UpsertCounts::default();
        let mut missing = Vec::new();
        if records.is_empty() {
            return Ok((counts, missing));
        }
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let mut known: HashMap<String, (i64, Option<String>)> = HashMap::with_capacity(records.len());
            for record in records {
                let found: Option<(i64, Option<String>)> = sqlx::query_as(
                    "SELECT r.id, p.content_hash FROM rights r LEFT JOIN patent_records p ON p.right_id = r.id \
                     WHERE r.number = $1",
                )
                .bind(&record.number)
                .fetch_optional(&mut *transaction)
                .await?;
                if let Some(found) = found {
                    known.insert(record.number.clone(), found);
                }
            }
            let to_write: Vec<(usize, i64, bool)> = records
                .iter()
                .enumerate()
                .filter_map(|(index, record)| match known.get(&record.number) {
                    None => {
                        missing.push(record.number.clone());
                        None
                    }
                    Some((_, Some(hash))) if *hash == hashes[index] => {
                        counts.unchanged += 1;
                        None
                    }
                    Some((id, stored)) => Some((index, *id, stored.is_some())),
                })
                .collect();
            if !to_write.is_empty() {
                let last: i64 = sqlx::query_scalar(
                    "UPDATE patent_changes SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq",
                )
                .bind(i64::try_from(to_write.len()).unwrap_or(i64::MAX))
                .fetch_one(&mut *transaction)
                .await?;
                let first = last - i64::try_from(to_write.len()).unwrap_or(0) + 1;
                for (offset, (index, right_id, existed)) in to_write.iter().enumerate() {
                    let record = &records[*index];
                    sqlx::query(
                        "INSERT INTO patent_records (right_id, abstract, claims, applicants, inventors, region_code, ipc, \
                         publication_date, cited_by, family_size, content_hash, change_seq, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                         ON CONFLICT (right_id) DO UPDATE SET abstract = excluded.abstract, claims = excluded.claims, \
                         applicants = excluded.applicants, inventors = excluded.inventors, region_code = excluded.region_code, \
                         ipc = excluded.ipc, publication_date = excluded.publication_date, cited_by = excluded.cited_by, \
                         family_size = excluded.family_size, content_hash = excluded.content_hash, \
                         change_seq = excluded.change_seq, updated_at = excluded.updated_at",
                    )
                    .bind(*right_id)
                    .bind(&record.abstract_text)
                    .bind(json(&record.claims))
                    .bind(json(&record.applicants))
                    .bind(json(&record.inventors))
                    .bind(record.region_code.as_deref())
                    .bind(json(&record.ipc))
                    .bind(record.publication_date)
                    .bind(i32::try_from(record.cited_by).unwrap_or(i32::MAX))
                    .bind(i32::try_from(record.family_size).unwrap_or(i32::MAX))
                    .bind(&hashes[*index])
                    .bind(first + i64::try_from(offset).unwrap_or(0))
                    .bind(now)
                    .execute(&mut *transaction)
                    .await?;
                    if *existed {
                        counts.updated += 1;
                    } else {
                        counts.inserted += 1;
                    }
                }
            }
            transaction.commit().await?;
            Ok::<(), DbError>(())
        })?;
        Ok((counts, missing))
    }

    /// For each of `numbers` in the register: its right's content hash and its record's (if
    /// any). An import compares them with the file's to say what it will insert, update or leave.
    pub async fn patent_hashes(
        &self,
        numbers: &[&str],
    ) -> Result<HashMap<String, (String, Option<String>)>, DbError> {
        let mut found = HashMap::with_capacity(numbers.len());
        for chunk in numbers.chunks(HOLDER_CHUNK) {
            let sql = format!(
                "SELECT r.number, r.content_hash, p.content_hash FROM rights r \
                 LEFT JOIN patent_records p ON p.right_id = r.id WHERE r.number IN ({})",
                placeholders(1, chunk.len())
            );
            let rows: Vec<(String, String, Option<String>)> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for number in chunk {
                    query = query.bind(*number);
                }
                query.fetch_all(pool).await
            })?;
            for (number, right_hash, record_hash) in rows {
                found.insert(number, (right_hash, record_hash));
            }
        }
        Ok(found)
    }

    /// The last change number handed out to a patent record.
    pub async fn last_patent_change(&self) -> Result<i64, DbError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT last_seq FROM patent_changes WHERE id = 1")
            .fetch_one(pool).await)?,
        )
    }

    /// Up to `limit` patents of the register with an id above `after_id`, in id order: a whole
    /// index is rebuilt from these batches.
    pub async fn patents_for_index_after(
        &self,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<PatentForIndex>, DbError> {
        let rows: Vec<IndexRow> = on_pool!(self, pool => sqlx::query_as(PATENTS_AFTER_ID_SQL)
            .bind(after_id).bind(limit.clamp(1, MAX_BATCH)).fetch_all(pool).await)?;
        self.with_holders(rows).await
    }

    /// Up to `limit` patent records changed after change number `after_seq`, in change order:
    /// an index catches up from these.
    pub async fn patents_changed_after(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<PatentForIndex>, DbError> {
        let rows: Vec<IndexRow> = on_pool!(self, pool => sqlx::query_as(PATENTS_CHANGED_AFTER_SQL)
            .bind(after_seq).bind(limit.clamp(1, MAX_BATCH)).fetch_all(pool).await)?;
        self.with_holders(rows).await
    }

    async fn with_holders(&self, rows: Vec<IndexRow>) -> Result<Vec<PatentForIndex>, DbError> {
        let ids: Vec<i64> = rows.iter().map(|row| row.right_id).collect();
        let mut holders: HashMap<i64, Vec<String>> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(HOLDER_CHUNK) {
            let sql = format!(
                "SELECT right_id, name FROM right_holders WHERE right_id IN ({}) ORDER BY right_id, position",
                placeholders(1, chunk.len())
            );
            let found: Vec<(i64, String)> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(*id);
                }
                query.fetch_all(pool).await
            })?;
            for (right_id, name) in found {
                holders.entry(right_id).or_default().push(name);
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let names = holders.remove(&row.right_id).unwrap_or_default();
                row.into_patent(names)
            })
            .collect())
    }
}
