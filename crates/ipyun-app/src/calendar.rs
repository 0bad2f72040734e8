//! The working-day calendar in force: the embedded State Council calendar (2004–2026) plus the
//! days loaded since (`ipyun calendar load`), which replace embedded days of the same date.
//!
//! Several processes may share one PostgreSQL database, so a process keeps the calendar it read
//! for at most [`CALENDAR_CACHE_TTL`]: a load made by another process shows within that time; one
//! made through this `App` shows at once.

use crate::{App, AppError, ErrorKind};
use ipyun_db::calendar_days::CalendarYearCounts;
use ipyun_domain::account::{Principal, Role};
use ipyun_domain::calendar::{WorkCalendar, parse_csv};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a process uses the calendar it read before reading it again.
pub const CALENDAR_CACHE_TTL: Duration = Duration::from_secs(60);

/// The calendar last read, and when.
#[derive(Debug, Default)]
pub(crate) struct CalendarCache {
    slot: Mutex<Option<(Instant, Arc<WorkCalendar>)>>,
}

impl CalendarCache {
    fn fresh(&self) -> Option<Arc<WorkCalendar>> {
        let slot = self.slot.lock().ok()?;
        slot.as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < CALENDAR_CACHE_TTL)
            .map(|(_, calendar)| calendar.clone())
    }

    fn store(&self, calendar: Arc<WorkCalendar>) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((Instant::now(), calendar));
        }
    }

    fn forget(&self) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = None;
        }
    }
}

/// What `load_calendar` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarLoad {
    /// Days in the file.
    pub days: usize,
    /// Per year of the file, in order.
    pub years: Vec<CalendarYearCounts>,
    /// Years of the file the embedded calendar covers too (the loaded days take precedence).
    pub embedded_years: Vec<i32>,
}

impl App {
    /// The calendar in force: embedded plus loaded days, read at most [`CALENDAR_CACHE_TTL`] ago.
    pub async fn work_calendar(&self) -> Result<Arc<WorkCalendar>, AppError> {
        if let Some(calendar) = self.calendar_cache.fresh() {
            return Ok(calendar);
        }
        let loaded = self.db.list_calendar_days().await?;
        let official = WorkCalendar::official();
        let calendar = Arc::new(if loaded.is_empty() {
            official.clone()
        } else {
            WorkCalendar::with_exceptions(official.exceptions().cloned().chain(loaded))
        });
        self.calendar_cache.store(calendar.clone());
        Ok(calendar)
    }

    /// Loads a calendar CSV (`date,kind,name`, as the embedded one) into the database: platform
    /// administrators and the national office only. `source` names the file in the audit entry.
    pub async fn load_calendar(
        &self,
        principal: &Principal,
        csv_text: &str,
        source: &str,
    ) -> Result<CalendarLoad, AppError> {
        if !matches!(principal.role, Role::PlatformAdmin | Role::NationalOffice) {
            return Err(AppError::forbidden(
                "only the platform's administrators and the national office load the calendar",
            ));
        }
        let days = parse_csv(csv_text).map_err(|error| {
            AppError::new(
                ErrorKind::BadRequest,
                "calendar.bad_file",
                format!("{source}: {error}"),
            )
        })?;
        if days.is_empty() {
            return Err(AppError::new(
                ErrorKind::BadRequest,
                "calendar.empty_file",
                format!("{source}: no days after the header"),
            ));
        }
        let years = self
            .db
            .load_calendar_days(&days, source, &principal.username, self.clock.now())
            .await;
        // Whatever happened, read the calendar again next time.
        self.calendar_cache.forget();
        let years = years?;
        let official = WorkCalendar::official();
        let embedded_years = years
            .iter()
            .map(|counts| counts.year)
            .filter(|year| official.covers(*year))
            .collect();
        Ok(CalendarLoad {
            days: days.len(),
            years,
            embedded_years,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::auth::{AuthSettings, system_principal};
    use chrono::{NaiveDate, TimeZone};
    use ipyun_domain::account::Lang;
    use ipyun_domain::calendar::DayKind;
    use ipyun_domain::clock::FixedClock;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[tokio::test]
    async fn a_loaded_year_is_in_force_at_once_and_only_admins_load() {
        let dir = tempfile::tempdir().unwrap();
        let db = ipyun_db::Db::open_sqlite_dir(dir.path()).await.unwrap();
        let clock = FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap());
        let app = App::new(db, Arc::new(clock), AuthSettings::cheap_for_tests());

        let before = app.work_calendar().await.unwrap();
        assert!(!before.covers(2027));
        assert_eq!(before.kind(day("2027-02-08")), DayKind::Working);

        let csv = "date,kind,name\n2027-02-08,rest,春节\n2027-02-20,working,调休上班\n";
        let lender = Principal {
            user_id: 7,
            username: "banker".into(),
            display_name: "banker".into(),
            role: Role::Lender,
            party_id: Some(1),
            region: None,
            lang: Lang::ZhCn,
        };
        let refused = app.load_calendar(&lender, csv, "2027.csv").await;
        assert_eq!(refused.unwrap_err().kind, ErrorKind::Forbidden);
        let bad = app
            .load_calendar(
                &system_principal(),
                "date,kind,name\n2027-02-13,rest,x\n",
                "bad.csv",
            )
            .await;
        assert_eq!(bad.unwrap_err().code, "calendar.bad_file");

        let loaded = app
            .load_calendar(&system_principal(), csv, "2027.csv")
            .await
            .unwrap();
        assert_eq!(loaded.days, 2);
        assert_eq!(loaded.years.len(), 1);
        assert_eq!((loaded.years[0].year, loaded.years[0].added), (2027, 2));
        assert!(loaded.embedded_years.is_empty());

        let after = app.work_calendar().await.unwrap();
        assert!(after.covers(2027) && after.covers(2026));
        assert_eq!(after.kind(day("2027-02-08")), DayKind::Rest);
        assert_eq!(after.kind(day("2027-02-20")), DayKind::Working);
        assert!(Arc::ptr_eq(&after, &app.work_calendar().await.unwrap()));
    }
}
