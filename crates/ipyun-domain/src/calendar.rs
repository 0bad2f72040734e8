//! China's official working-day calendar (工作日): Monday to Friday work and weekends rest, except
//! for the days the State Council's yearly notices on public holidays declare otherwise — public
//! holidays and bridged days off falling on a weekday (`rest`), and the adjusted working weekends
//! of 调休 (`working`).
//!
//! The announced exceptions for 2004–2026 are embedded from `data/cn-calendar.csv`
//! ([`WorkCalendar::official`]); exceptions loaded later (for instance a new year's notice) make a
//! calendar with [`WorkCalendar::with_exceptions`]. A year with no exception in the data counts as
//! not announced: weekends alone are used there, and results that cross it are `provisional`.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The most working days [`WorkCalendar::add_working_days`] counts either way.
pub const MAX_WORKING_DAYS: i32 = 10_000;

/// The CSV header [`parse_csv`] expects.
pub const CSV_HEADER: &str = "date,kind,name";

static CSV: &str = include_str!("../data/cn-calendar.csv");

/// The embedded calendar; a test checks that the embedded CSV parses without error.
static OFFICIAL: LazyLock<WorkCalendar> =
    LazyLock::new(|| WorkCalendar::with_exceptions(parse_csv(CSV).unwrap_or_default()));

/// Whether a day is worked or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    Rest,
    Working,
}

impl DayKind {
    /// `rest` or `working`, as in the CSV and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Rest => "rest",
            DayKind::Working => "working",
        }
    }
}

impl std::fmt::Display for DayKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One announced exception to the weekend rule: a weekday off (`Rest`) or a weekend day worked
/// (`Working`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday's name or the reason, as announced; may be empty.
    pub name: String,
}

/// The result of [`WorkCalendar::add_working_days`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingDay {
    pub date: NaiveDate,
    /// True when a year between the start and the result (both included) has no announced
    /// calendar, so weekends alone were used for it.
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A CSV row (or the header) is malformed; `line` counts from 1, the header being line 1.
    #[error("line {line}: {message}")]
    Parse { line: usize, message: String },
    #[error("{0} working days is too many: at most {MAX_WORKING_DAYS} either way")]
    TooManyDays(i32),
    #[error("the result is outside the supported range of dates")]
    OutOfRange,
}

/// Parses `date,kind,name` rows (header required; CRLF and blank lines accepted). `date` is
/// `YYYY-MM-DD`; `kind` is `rest`, which must fall on Monday–Friday, or `working`, which must fall
/// on a Saturday or Sunday; `name` is the rest of the line (no quoting). A date may appear once.
pub fn parse_csv(text: &str) -> Result<Vec<Exception>, CalendarError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    let error = |line: usize, message: String| CalendarError::Parse { line, message };
    match lines.next() {
        Some((_, header)) if header.trim_start_matches('\u{feff}').trim() == CSV_HEADER => {}
        Some((line, header)) => {
            return Err(error(
                line,
                format!("expected header {CSV_HEADER:?}, found {header:?}"),
            ));
        }
        None => return Err(error(1, format!("empty: expected header {CSV_HEADER:?}"))),
    }
    let mut seen = BTreeMap::new();
    let mut exceptions = Vec::new();
    for (line, row) in lines {
        if row.trim().is_empty() {
            continue;
        }
        let mut fields = row.splitn(3, ',');
        let (Some(date), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(error(
                line,
                format!("expected 3 fields date,kind,name, found {row:?}"),
            ));
        };
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|e| error(line, format!("bad date {:?}: {e}", date.trim())))?;
        let kind = match kind.trim() {
            "rest" => DayKind::Rest,
            "working" => DayKind::Working,
            other => {
                return Err(error(
                    line,
                    format!("bad kind {other:?}: expected \"rest\" or \"working\""),
                ));
            }
        };
        match (kind, is_weekend(date)) {
            (DayKind::Rest, true) => {
                return Err(error(
                    line,
                    format!("{date} is a weekend day: already rest"),
                ));
            }
            (DayKind::Working, false) => {
                return Err(error(line, format!("{date} is a weekday: already working")));
            }
            _ => {}
        }
        if let Some(first) = seen.insert(date, line) {
            return Err(error(line, format!("{date} already given on line {first}")));
        }
        exceptions.push(Exception {
            date,
            kind,
            name: name.trim().to_owned(),
        });
    }
    Ok(exceptions)
}

/// China's working-day calendar: the weekend rule plus announced exceptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, Exception>,
    years: BTreeSet<i32>,
}

impl WorkCalendar {
    /// The State Council calendar 2004–2026, embedded at build time and parsed once.
    pub fn official() -> &'static WorkCalendar {
        &OFFICIAL
    }

    /// A calendar of the given exceptions (a later one for the same date replaces an earlier one).
    /// The years covered are those with at least one exception. To extend the official calendar,
    /// chain `official().exceptions().cloned()` with the new ones.
    pub fn with_exceptions(exceptions: impl IntoIterator<Item = Exception>) -> WorkCalendar {
        let exceptions: BTreeMap<NaiveDate, Exception> =
            exceptions.into_iter().map(|e| (e.date, e)).collect();
        let years = exceptions.keys().map(Datelike::year).collect();
        WorkCalendar { exceptions, years }
    }

    /// The exceptions, in date order.
    pub fn exceptions(&self) -> impl Iterator<Item = &Exception> {
        self.exceptions.values()
    }

    /// The announced exception for `date`, if any.
    pub fn exception(&self, date: NaiveDate) -> Option<&Exception> {
        self.exceptions.get(&date)
    }

    /// Whether `year`'s calendar was announced (has any exception in the data).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years covered, in order.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn kind(&self, date: NaiveDate) -> DayKind {
        match self.exceptions.get(&date) {
            Some(exception) => exception.kind,
            None if is_weekend(date) => DayKind::Rest,
            None => DayKind::Working,
        }
    }

    /// Weekends rest unless declared working; weekdays work unless declared rest.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.kind(date) == DayKind::Working
    }

    /// The `n`th working day after `date` (n > 0) or before it (n < 0); `date` itself is never
    /// counted, so n = 1 is the next working day after `date`, n = -1 the last one before it.
    /// n = 0 returns `date` unchanged, working day or not. |n| is at most [`MAX_WORKING_DAYS`].
    /// `provisional` is set when any year from `date`'s to the result's has no announced calendar.
    pub fn add_working_days(&self, date: NaiveDate, n: i32) -> Result<WorkingDay, CalendarError> {
        if n.unsigned_abs() > MAX_WORKING_DAYS.unsigned_abs() {
            return Err(CalendarError::TooManyDays(n));
        }
        let mut day = date;
        let mut left = n.unsigned_abs();
        while left > 0 {
            day = if n > 0 {
                day.succ_opt()
            } else {
                day.pred_opt()
            }
            .ok_or(CalendarError::OutOfRange)?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        let (low, high) = if day < date { (day, date) } else { (date, day) };
        let provisional = (low.year()..=high.year()).any(|year| !self.covers(year));
        Ok(WorkingDay {
            date: day,
            provisional,
        })
    }

    /// The number of working days in (`from`, `to`] when `to` ≥ `from`, and minus the number in
    /// [`to`, `from`) when `to` < `from`: the days counted are those stepped onto going from `from`
    /// to `to`, so for n ≠ 0, `working_days_between(d, add_working_days(d, n).date) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            let flag = |day| i64::from(self.is_working_day(day));
            return -(self.count_after(to, from) - flag(from) + flag(to));
        }
        self.count_after(from, to)
    }

    /// Working days in (`from`, `to`], `from` ≤ `to`, without walking the days.
    fn count_after(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        // Day index 0 is 0001-01-01, a Monday (proleptic Gregorian).
        let index = |d: NaiveDate| i64::from(d.num_days_from_ce()) - 1;
        // Weekdays among the `m` days from index 0 (a signed prefix count).
        let weekdays_before = |m: i64| m.div_euclid(7) * 5 + m.rem_euclid(7).min(5);
        let weekdays = weekdays_before(index(to) + 1) - weekdays_before(index(from) + 1);
        let adjust: i64 = self
            .exceptions
            .range(from..=to)
            .filter(|(date, _)| **date != from)
            .map(|(date, e)| match (e.kind, is_weekend(*date)) {
                (DayKind::Rest, false) => -1,
                (DayKind::Working, true) => 1,
                _ => 0,
            })
            .sum();
        weekdays + adjust
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn range(from: &str, to: &str) -> impl Iterator<Item = NaiveDate> {
        d(from).iter_days().take_while(move |day| *day <= d(to))
    }

    const WORKING: &[&str] = &[
        "2005-12-31", // Sat, for 2006-01-03 (2006 notice; chinese_calendar says rest)
        "2008-05-04",
        "2015-09-06",
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ];

    const REST: &[(&str, &str)] = &[
        ("2006-05-01", "2006-05-07"), // golden week before 2008
        ("2008-04-04", "2008-04-06"), // Qingming, new in 2008
        ("2008-05-01", "2008-05-03"), // May Day shortened to 3 days in 2008
        ("2008-06-07", "2008-06-09"), // Dragon Boat, new in 2008
        ("2008-09-13", "2008-09-15"), // Mid-Autumn, new in 2008
        ("2015-09-03", "2015-09-05"), // victory anniversary
        ("2020-01-24", "2020-02-02"), // Spring Festival, extended
        ("2024-02-10", "2024-02-17"),
        ("2024-10-01", "2024-10-07"),
        ("2025-01-28", "2025-02-04"),
        ("2025-05-01", "2025-05-05"),
        ("2025-10-01", "2025-10-08"),
        ("2026-01-01", "2026-01-03"),
        ("2026-02-15", "2026-02-23"),
        ("2026-04-04", "2026-04-06"),
        ("2026-05-01", "2026-05-05"),
        ("2026-06-19", "2026-06-21"),
        ("2026-09-25", "2026-09-27"),
        ("2026-10-01", "2026-10-07"),
    ];

    #[test]
    fn embedded_data_parses_and_covers_2004_to_2026() {
        let parsed = parse_csv(CSV).unwrap();
        assert!(parsed.len() > 500);
        let calendar = WorkCalendar::official();
        assert_eq!(calendar.exceptions().count(), parsed.len());
        assert_eq!(
            calendar.covered_years().collect::<Vec<_>>(),
            (2004..=2026).collect::<Vec<_>>()
        );
        assert!(!calendar.covers(2003));
        assert!(!calendar.covers(2027));
    }

    #[test]
    fn announced_days() {
        let calendar = WorkCalendar::official();
        for day in WORKING {
            assert!(calendar.is_working_day(d(day)), "{day} should be working");
        }
        for (from, to) in REST {
            for day in range(from, to) {
                assert!(!calendar.is_working_day(day), "{day} should be rest");
            }
        }
        // Ordinary days around them.
        assert!(calendar.is_working_day(d("2024-02-19")));
        assert!(calendar.is_working_day(d("2024-02-09"))); // Fri: 2024 gave no day off on 除夕
        assert!(!calendar.is_working_day(d("2024-02-24")));
        assert!(calendar.is_working_day(d("2008-05-05")));
    }

    #[test]
    fn weekend_rule_outside_the_data() {
        let calendar = WorkCalendar::official();
        assert!(!calendar.is_working_day(d("2027-01-02")));
        assert!(calendar.is_working_day(d("2027-01-01"))); // not announced: a plain Friday
        let next = calendar.add_working_days(d("2027-01-01"), 1).unwrap();
        assert_eq!(
            next,
            WorkingDay {
                date: d("2027-01-04"),
                provisional: true
            }
        );
        let from_rest = calendar.add_working_days(d("2027-01-02"), 0).unwrap();
        assert_eq!(
            from_rest,
            WorkingDay {
                date: d("2027-01-02"),
                provisional: true
            }
        );
        let empty = WorkCalendar::default();
        assert!(!empty.is_working_day(d("2024-02-04")));
        assert!(empty.is_working_day(d("2024-02-12")));
    }

    #[test]
    fn counting_across_spring_festival_2024() {
        let calendar = WorkCalendar::official();
        let add = |date: &str, n| calendar.add_working_days(d(date), n).unwrap();
        // 除夕 2024-02-09 (Fri) was a working day: the notice only encouraged a day off.
        assert_eq!(add("2024-02-08", 1).date, d("2024-02-09"));
        let after_eve = WorkingDay {
            date: d("2024-02-18"),
            provisional: false,
        };
        assert_eq!(add("2024-02-09", 1), after_eve);
        assert_eq!(add("2024-02-08", 2), after_eve);
        assert_eq!(add("2024-02-08", 3).date, d("2024-02-19"));
        assert_eq!(add("2024-02-03", 1).date, d("2024-02-04"));
        assert_eq!(add("2024-02-08", 0).date, d("2024-02-08"));
        assert_eq!(add("2024-02-12", 0).date, d("2024-02-12"));
        // Backwards.
        assert_eq!(add("2024-02-18", -1).date, d("2024-02-09"));
        assert_eq!(add("2024-02-18", -2).date, d("2024-02-08"));
        assert_eq!(add("2024-02-19", -1).date, d("2024-02-18"));
        assert_eq!(add("2024-02-14", -1).date, d("2024-02-09"));
        assert_eq!(add("2024-10-08", -1).date, d("2024-09-30"));
        // Crossing into an unannounced year.
        assert!(add("2026-12-31", 1).provisional);
        assert!(!add("2026-12-30", 1).provisional);
        assert!(add("2004-01-05", -3).provisional);
    }

    #[test]
    fn round_trips() {
        let calendar = WorkCalendar::official();
        for start in range("2023-12-20", "2025-02-20").step_by(3) {
            for n in [-400, -61, -7, -1, 1, 2, 5, 30, 250] {
                let end = calendar.add_working_days(start, n).unwrap().date;
                assert_eq!(
                    calendar.working_days_between(start, end),
                    i64::from(n),
                    "{start} {n}"
                );
                assert!(calendar.is_working_day(end));
            }
        }
        // Matches a day-by-day count, including an unannounced stretch.
        let (from, to) = (d("2003-06-01"), d("2027-06-30"));
        let slow = from.iter_days().skip(1).take_while(|day| *day <= to);
        let slow = slow.filter(|day| calendar.is_working_day(*day)).count();
        assert_eq!(calendar.working_days_between(from, to), slow as i64);
        let back = from.iter_days().take_while(|day| *day < to);
        let back = back.filter(|day| calendar.is_working_day(*day)).count();
        assert_eq!(calendar.working_days_between(to, from), -(back as i64));
        assert_eq!(calendar.working_days_between(from, from), 0);
        assert_eq!(
            calendar.working_days_between(d("2024-02-09"), d("2024-02-18")),
            1
        );
        assert_eq!(
            calendar.working_days_between(d("2024-02-09"), d("2024-02-17")),
            0
        );
    }

    #[test]
    fn bounds() {
        let calendar = WorkCalendar::official();
        assert!(calendar.add_working_days(d("2024-01-01"), 10_000).is_ok());
        assert!(calendar.add_working_days(d("2024-01-01"), -10_000).is_ok());
        assert_eq!(
            calendar.add_working_days(d("2024-01-01"), 10_001),
            Err(CalendarError::TooManyDays(10_001))
        );
        assert_eq!(
            calendar.add_working_days(d("2024-01-01"), i32::MIN),
            Err(CalendarError::TooManyDays(i32::MIN))
        );
        assert_eq!(
            calendar.add_working_days(NaiveDate::MAX, 1),
            Err(CalendarError::OutOfRange)
        );
    }

    #[test]
    fn parse_errors_carry_line_numbers() {
        let line = |text: &str| match parse_csv(text) {
            Err(CalendarError::Parse { line, .. }) => line,
            other => panic!("expected a parse error, got {other:?}"),
        };
        assert_eq!(line(""), 1);
        assert_eq!(line("date,kind\n"), 1);
        assert_eq!(
            line("date,kind,name\n2024-02-04,working,x\n2024-13-01,rest,x\n"),
            3
        );
        assert_eq!(line("date,kind,name\r\n\r\n2024-02-05,holiday,x\r\n"), 3);
        assert_eq!(line("date,kind,name\n2024-02-05\n"), 2);
        assert_eq!(line("date,kind,name\n2024-02-04,rest,Sunday\n"), 2);
        assert_eq!(line("date,kind,name\n2024-02-05,working,Monday\n"), 2);
        assert_eq!(
            line("date,kind,name\n2024-02-05,rest,a\n2024-02-06,rest,b\n2024-02-05,rest,c\n"),
            4
        );
        let message = parse_csv("date,kind,name\nnope,rest,x")
            .unwrap_err()
            .to_string();
        assert!(message.starts_with("line 2: bad date"), "{message}");
    }

    #[test]
    fn parse_and_extend() {
        let text = "\u{feff}date,kind,name\r\n2027-02-08,rest,春节, extended\r\n2027-02-06,working,调休上班\r\n";
        let parsed = parse_csv(text).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].name, "春节, extended");
        let official = WorkCalendar::official();
        let extended = WorkCalendar::with_exceptions(official.exceptions().cloned().chain(parsed));
        assert!(extended.covers(2027) && extended.covers(2024));
        assert!(!extended.is_working_day(d("2027-02-08")));
        assert!(extended.is_working_day(d("2027-02-06")));
        assert_eq!(
            extended.exception(d("2027-02-06")).unwrap().kind,
            DayKind::Working
        );
        assert!(
            !extended
                .add_working_days(d("2027-02-05"), 1)
                .unwrap()
                .provisional
        );
    }
}
