//! Fast point reads of the pledge path on SQLite (see `fast_read.rs`): the parties, the
//! application, and the examination's facts, each one indexed lookup run in place.

use crate::DbError;
use crate::fast_read::{FastReads, date, sqlite_error};
use crate::parties::PartyRow;
use crate::pledges::ApplicationRow;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};

fn instant(text: String, column: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(&text)
        .map(|instant| instant.with_timezone(&Utc))
        .map_err(|error| crate::rights::corrupt(column, error))
}

fn optional_instant(text: Option<String>, column: &str) -> Result<Option<DateTime<Utc>>, DbError> {
    text.map(|text| instant(text, column)).transpose()
}

/// A row's columns as raw SQLite values, converted after the statement is done.
fn texts(row: &Row<'_>, count: usize) -> rusqlite::Result<Vec<rusqlite::types::Value>> {
    (0..count)
        .map(|index| row.get::<_, rusqlite::types::Value>(index))
        .collect()
}

fn text(value: &rusqlite::types::Value) -> Option<String> {
    match value {
        rusqlite::types::Value::Text(text) => Some(text.clone()),
        _ => None,
    }
}

fn integer(value: &rusqlite::types::Value) -> Option<i64> {
    match value {
        rusqlite::types::Value::Integer(number) => Some(*number),
        _ => None,
    }
}

impl FastReads {
    pub(crate) fn party_row(&self, id: i64) -> Result<Option<PartyRow>, DbError> {
        self.with_reader(|connection| {
            let values = connection
                .prepare_cached(
                    "SELECT id, kind, name, uscc, region, industry, size_class, park_id, parent_id, specialised_sme_year, \
                     little_giant_year, park_kind, office_level, credit_rating, contact_name, contact_phone, address, \
                     updated_at FROM parties WHERE id = ?1",
                )
                .and_then(|mut statement| statement.query_row([id], |row| texts(row, 18)).optional())
                .map_err(sqlite_error)?;
            let Some(v) = values else { return Ok(None) };
            let year = |value: &rusqlite::types::Value| integer(value).and_then(|year| i32::try_from(year).ok());
            Ok(Some(PartyRow {
                id: integer(&v[0]).unwrap_or_default(),
                kind: text(&v[1]).unwrap_or_default(),
                name: text(&v[2]).unwrap_or_default(),
                uscc: text(&v[3]),
                region: text(&v[4]),
                industry: text(&v[5]),
                size_class: text(&v[6]),
                park_id: integer(&v[7]),
                parent_id: integer(&v[8]),
                specialised_sme_year: year(&v[9]),
                little_giant_year: year(&v[10]),
                park_kind: text(&v[11]),
                office_level: text(&v[12]),
                credit_rating: text(&v[13]),
                contact_name: text(&v[14]),
                contact_phone: text(&v[15]),
                address: text(&v[16]),
                updated_at: instant(text(&v[17]).unwrap_or_default(), "parties.updated_at")?,
            }))
        })
    }

    pub(crate) fn application_row(&self, id: i64) -> Result<Option<ApplicationRow>, DbError> {
        self.with_reader(|connection| {
            let values = connection
                .prepare_cached(
                    "SELECT id, act, status, pledge_type, pledgor_id, pledgee_id, drafted_by_party, created_by, confirmed_by, \
                     target_pledge_id, green_channel, body, findings, received_at, due_date, due_provisional, decided_at, \
                     decided_by, registration_no, verification_code, created_at, updated_at \
                     FROM pledge_applications WHERE id = ?1",
                )
                .and_then(|mut statement| statement.query_row([id], |row| texts(row, 22)).optional())
                .map_err(sqlite_error)?;
            let Some(v) = values else { return Ok(None) };
            Ok(Some(ApplicationRow {
                id: integer(&v[0]).unwrap_or_default(),
                act: text(&v[1]).unwrap_or_default(),
                status: text(&v[2]).unwrap_or_default(),
                pledge_type: text(&v[3]).unwrap_or_default(),
                pledgor_id: integer(&v[4]).unwrap_or_default(),
                pledgee_id: integer(&v[5]).unwrap_or_default(),
                drafted_by_party: integer(&v[6]).unwrap_or_default(),
                created_by: text(&v[7]).unwrap_or_default(),
                confirmed_by: text(&v[8]),
                target_pledge_id: integer(&v[9]),
                green_channel: integer(&v[10]).is_some_and(|flag| flag != 0),
                body: text(&v[11]).unwrap_or_default(),
                findings: text(&v[12]).unwrap_or_default(),
                received_at: optional_instant(text(&v[13]), "pledge_applications.received_at")?,
                due_date: date(text(&v[14]), "pledge_applications.due_date")?,
                due_provisional: integer(&v[15]).is_some_and(|flag| flag != 0),
                decided_at: optional_instant(text(&v[16]), "pledge_applications.decided_at")?,
                decided_by: text(&v[17]),
                registration_no: text(&v[18]),
                verification_code: text(&v[19]),
                created_at: instant(text(&v[20]).unwrap_or_default(), "pledge_applications.created_at")?,
                updated_at: instant(text(&v[21]).unwrap_or_default(), "pledge_applications.updated_at")?,
            }))
        })
    }

    pub(crate) fn active_pledge_over(&self, number: &str) -> Result<Option<String>, DbError> {
        self.with_reader(|connection| {
            connection
                .prepare_cached(
                    "SELECT p.registration_no FROM pledge_rights pr JOIN pledges p ON p.id = pr.pledge_id \
                     WHERE pr.right_number = ?1 AND pr.active",
                )
                .and_then(|mut statement| statement.query_row([number], |row| row.get(0)).optional())
                .map_err(sqlite_error)
        })
    }

    pub(crate) fn same_day_twin(
        &self,
        right_id: i64,
        twin_kind: &str,
        filing_date: NaiveDate,
        title: &str,
    ) -> Result<Option<String>, DbError> {
        self.with_reader(|connection| {
            connection
                .prepare_cached(
                    "SELECT r2.number FROM right_holders h1 \
                     JOIN right_holders h2 ON h2.party_id = h1.party_id \
                     JOIN rights r2 ON r2.id = h2.right_id \
                     WHERE h1.right_id = ?1 AND h1.party_id IS NOT NULL AND r2.id <> ?1 \
                       AND r2.kind = ?2 AND r2.filing_date = ?3 AND r2.title = ?4 \
                     ORDER BY r2.number LIMIT 1",
                )
                .and_then(|mut statement| {
                    statement
                        .query_row(
                            params![
                                right_id,
                                twin_kind,
                                filing_date.format("%F").to_string(),
                                title
                            ],
                            |row| row.get(0),
                        )
                        .optional()
                })
                .map_err(sqlite_error)
        })
    }
}
