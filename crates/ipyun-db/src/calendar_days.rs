//! Working-day exceptions loaded after the build (`ipyun calendar load`): the State Council's
//! notice for a year the embedded calendar does not cover yet, or a correction. The loaded days
//! are read back on top of the embedded calendar (a loaded day replaces an embedded one).

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ipyun_domain::calendar::{DayKind, Exception};
use std::collections::{BTreeMap, HashMap};

/// What a load did to one year's days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CalendarYearCounts {
    pub year: i32,
    /// Days not stored before.
    pub added: u32,
    /// Days stored before with another kind or name.
    pub changed: u32,
    /// Days stored before exactly so.
    pub unchanged: u32,
    /// Of the year's days in the file, how many are rest days and how many working days.
    pub rest: u32,
    pub working: u32,
}

fn parse_kind(text: &str) -> Result<DayKind, DbError> {
    match text {
        "rest" => Ok(DayKind::Rest),
        "working" => Ok(DayKind::Working),
        other => Err(crate::rights::corrupt(
            "calendar_days.kind",
            format!("unknown kind {other:?}"),
        )),
    }
}

impl Db {
    /// Stores `days` (insert or update by date) in one transaction with one audit entry naming
    /// `source` and the counts per year; answers the counts, by year.
    pub async fn load_calendar_days(
        &self,
        days: &[Exception],
        source: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<CalendarYearCounts>, DbError> {
        let (Some(first), Some(last)) = (
            days.iter().map(|day| day.date).min(),
            days.iter().map(|day| day.date).max(),
        ) else {
            return Ok(Vec::new());
        };
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let stored: Vec<(NaiveDate, String, String)> = sqlx::query_as(
                "SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day <= $2",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&mut *transaction)
            .await?;
            let stored: HashMap<NaiveDate, (String, String)> = stored
                .into_iter()
                .map(|(day, kind, name)| (day, (kind, name)))
                .collect();
            let mut years: BTreeMap<i32, CalendarYearCounts> = BTreeMap::new();
            for day in days {
                let counts = years.entry(day.date.year()).or_insert_with(|| CalendarYearCounts {
                    year: day.date.year(),
                    ..CalendarYearCounts::default()
                });
                match day.kind {
                    DayKind::Rest => counts.rest += 1,
                    DayKind::Working => counts.working += 1,
                }
                match stored.get(&day.date) {
                    Some((kind, name)) if kind == day.kind.as_str() && *name == day.name => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.changed += 1,
                    None => counts.added += 1,
                }
                sqlx::query(
                    "INSERT INTO calendar_days (day, kind, name, loaded_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
                     loaded_at = excluded.loaded_at",
                )
                .bind(day.date)
                .bind(day.kind.as_str())
                .bind(&day.name)
                .bind(now)
                .execute(&mut *transaction)
                .await?;
            }
            let years: Vec<CalendarYearCounts> = years.into_values().collect();
            let entity_id = years
                .iter()
                .map(|counts| counts.year.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let after = serde_json::json!({"source": source, "days": days.len(), "years": years}).to_string();
            crate::audit::append_in!(&mut *transaction, actor, "calendar.load", "calendar",
                entity_id.as_str(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(years)
        })
    }

    /// Every loaded day, in date order.
    pub async fn list_calendar_days(&self) -> Result<Vec<Exception>, DbError> {
        let rows: Vec<(NaiveDate, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT day, kind, name FROM calendar_days ORDER BY day",
        )
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(date, kind, name)| {
                Ok(Exception {
                    date,
                    kind: parse_kind(&kind)?,
                    name,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use chrono::TimeZone;

    fn exception(date: &str, kind: DayKind, name: &str) -> Exception {
        Exception {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            kind,
            name: name.into(),
        }
    }

    /// Load, reload with a change, list — on SQLite, and on PostgreSQL when `IPYUN_TEST_PG_URL` is set.
    #[tokio::test]
    async fn loading_upserts_by_date_with_one_audit_entry_per_load() {
        let dir = tempfile::tempdir().unwrap();
        let mut databases = vec![Db::open_sqlite_dir(dir.path()).await.unwrap()];
        if let Some(url) = std::env::var("IPYUN_TEST_PG_URL")
            .ok()
            .filter(|url| !url.is_empty())
        {
            let schema = format!("cal_{:016x}", rand::random::<u64>());
            databases.push(Db::open_postgres_schema(&url, &schema).await.unwrap());
        }
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        for db in databases {
            let first = [
                exception("2027-01-01", DayKind::Rest, "元旦"),
                exception("2027-02-20", DayKind::Working, "调休上班"),
                exception("2028-01-03", DayKind::Rest, "元旦（补假）"),
            ];
            let years = db
                .load_calendar_days(&first, "a.csv", "system", now)
                .await
                .unwrap();
            assert_eq!(years.len(), 2);
            assert_eq!(
                (
                    years[0].year,
                    years[0].added,
                    years[0].rest,
                    years[0].working
                ),
                (2027, 2, 1, 1)
            );
            assert_eq!((years[1].year, years[1].added), (2028, 1));
            let second = [
                exception("2027-01-01", DayKind::Rest, "元旦节"),
                exception("2027-02-20", DayKind::Working, "调休上班"),
                exception("2027-10-01", DayKind::Rest, "国庆节"),
            ];
            let years = db
                .load_calendar_days(&second, "b.csv", "system", now)
                .await
                .unwrap();
            assert_eq!(
                (years[0].added, years[0].changed, years[0].unchanged),
                (1, 1, 1)
            );
            let listed = db.list_calendar_days().await.unwrap();
            let names: Vec<(String, &str)> = listed
                .iter()
                .map(|day| (day.date.to_string(), day.name.as_str()))
                .collect();
            assert_eq!(
                names,
                [
                    ("2027-01-01".to_string(), "元旦节"),
                    ("2027-02-20".to_string(), "调休上班"),
                    ("2027-10-01".to_string(), "国庆节"),
                    ("2028-01-03".to_string(), "元旦（补假）"),
                ]
            );
            assert_eq!(listed[1].kind, DayKind::Working);
            let audit = db.list_audit("calendar", "2027", 10).await.unwrap();
            assert_eq!(audit.len(), 1, "{audit:?}");
            assert_eq!(audit[0].action, "calendar.load");
            let report = db.verify_audit_chain().await.unwrap();
            assert_eq!((report.entries, report.broken), (2, None));
        }
    }
}
