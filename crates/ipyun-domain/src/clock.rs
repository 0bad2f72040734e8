//! Time is injected: nothing outside `ipyun-cli` reads the system clock directly.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;

    /// Today in China (UTC+8): the date that working days and deadlines count from.
    fn today(&self) -> chrono::NaiveDate {
        china_date(self.now())
    }
}

/// The calendar date in China (UTC+8, no daylight saving) at `instant`.
pub fn china_date(instant: DateTime<Utc>) -> chrono::NaiveDate {
    (instant + chrono::Duration::hours(8)).date_naive()
}

/// The wall-clock time in China (UTC+8) at `instant`: what auction deadlines are written in.
pub fn china_time(instant: DateTime<Utc>) -> chrono::NaiveDateTime {
    (instant + chrono::Duration::hours(8)).naive_utc()
}

/// A clock that stands still until told to move: for tests and reproducible demo data.
#[derive(Debug)]
pub struct FixedClock {
    instant: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    pub fn new(instant: DateTime<Utc>) -> Self {
        Self {
            instant: Mutex::new(instant),
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut guard) = self.instant.lock() {
            *guard += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        match self.instant.lock() {
            Ok(guard) => *guard,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}
