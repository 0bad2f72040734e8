//! `ipyun calendar …` — China's official working-day calendar (State Council notices, 调休
//! included): `list --from DATE --to DATE` prints `YYYY-MM-DD working|rest` per day, and
//! `add-working-days DATE N` prints the Nth working day after DATE (before it when N < 0),
//! followed by ` provisional` when a year crossed has no announced calendar.

use anyhow::{Context, bail};
use chrono::NaiveDate;
use ipyun_domain::calendar::WorkCalendar;
use std::io::Write;

/// The most days `calendar list` prints (about ten years).
pub const MAX_LIST_DAYS: i64 = 3_700;

#[derive(clap::Subcommand)]
pub enum CalendarCommand {
    /// Print each day from --from to --to (both included) as `YYYY-MM-DD working` or `… rest`.
    List {
        /// First day, YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD (at most 3,700 days in all).
        #[arg(long, value_parser = parse_date)]
        to: NaiveDate,
    },
    /// Print the Nth working day after DATE (N = 1: the next one; N < 0: before; N = 0: DATE).
    AddWorkingDays {
        /// YYYY-MM-DD
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
        /// Working days to add, -10000 to 10000.
        #[arg(allow_hyphen_values = true)]
        n: i32,
    },
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("expected a date YYYY-MM-DD, got {text:?}: {e}"))
}

pub fn run(command: CalendarCommand) -> anyhow::Result<()> {
    let calendar = WorkCalendar::official();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match command {
        CalendarCommand::List { from, to } => {
            if to < from {
                bail!("--to {to} is before --from {from}");
            }
            let days = (to - from).num_days() + 1;
            if days > MAX_LIST_DAYS {
                bail!("{days} days asked for: at most {MAX_LIST_DAYS} at once");
            }
            for day in from.iter_days().take_while(|day| *day <= to) {
                writeln!(out, "{day} {}", calendar.kind(day))?;
            }
        }
        CalendarCommand::AddWorkingDays { date, n } => {
            let result = calendar
                .add_working_days(date, n)
                .with_context(|| format!("adding {n} working days to {date}"))?;
            let flag = if result.provisional {
                " provisional"
            } else {
                ""
            };
            writeln!(out, "{}{flag}", result.date)?;
        }
    }
    out.flush()?;
    Ok(())
}
