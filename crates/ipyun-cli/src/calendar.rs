//! `ipyun calendar …` — China's official working-day calendar (State Council notices, 调休
//! included): `list --from DATE --to DATE` prints `YYYY-MM-DD working|rest` per day, and
//! `add-working-days DATE N` prints the Nth working day after DATE (before it when N < 0),
//! followed by ` provisional` when a year crossed has no announced calendar. `load FILE` stores a
//! newly announced year (or a correction) in the database; `list` and `add-working-days` then use
//! it whenever the data directory holds a database (or `DATABASE_URL` names one).

use crate::context;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use ipyun_app::auth::system_principal;
use ipyun_domain::calendar::WorkCalendar;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The SQLite file in a data directory (as `ipyun_db` names it).
const SQLITE_FILE_NAME: &str = "ipyun.db";

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
    /// Load a calendar CSV (`date,kind,name`, as the embedded one) into the database: a year's
    /// notice once announced, or a correction. Days of the same date are replaced.
    Load {
        /// A UTF-8 CSV file with the header `date,kind,name`.
        file: PathBuf,
    },
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("expected a date YYYY-MM-DD, got {text:?}: {e}"))
}

/// The calendar in force: with the loaded days when there is a database to read them from, the
/// embedded one alone otherwise (no database is created just to read a calendar).
async fn calendar_in_force(data_dir: &Path) -> anyhow::Result<Arc<WorkCalendar>> {
    let has_database = std::env::var("DATABASE_URL").is_ok_and(|url| !url.trim().is_empty())
        || data_dir.join(SQLITE_FILE_NAME).is_file();
    if !has_database {
        return Ok(Arc::new(WorkCalendar::official().clone()));
    }
    let app = context::open_app(data_dir).await?;
    app.work_calendar().await.map_err(crate::admin::describe)
}

pub async fn run(data_dir: &Path, command: CalendarCommand) -> anyhow::Result<()> {
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
            let calendar = calendar_in_force(data_dir).await?;
            for day in from.iter_days().take_while(|day| *day <= to) {
                writeln!(out, "{day} {}", calendar.kind(day))?;
            }
        }
        CalendarCommand::AddWorkingDays { date, n } => {
            let calendar = calendar_in_force(data_dir).await?;
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
        CalendarCommand::Load { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let app = context::open_app(data_dir).await?;
            let source = file.file_name().map_or_else(
                || file.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            );
            let loaded = app
                .load_calendar(&system_principal(), &text, &source)
                .await
                .map_err(crate::admin::describe)?;
            writeln!(out, "calendar {source}: {} days", loaded.days)?;
            for year in &loaded.years {
                writeln!(
                    out,
                    "{}: {} added, {} changed, {} unchanged ({} rest, {} working days){}",
                    year.year,
                    year.added,
                    year.changed,
                    year.unchanged,
                    year.rest,
                    year.working,
                    if loaded.embedded_years.contains(&year.year) {
                        " — replaces the embedded calendar's days of the same dates"
                    } else {
                        ""
                    }
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
