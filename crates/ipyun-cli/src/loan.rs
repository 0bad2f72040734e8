//! `ipyun loan …` — loans (issue 7):
//! - `schedule`: a repayment schedule, no database needed, printed as the CSV
//!   `period,due_date,payment,principal,interest,balance` (amounts in yuan, two decimals).
//!   Invalid input: `error: --OPTION: message` per problem on stderr, exit 2.
//! - `day`: the daily job (days overdue, reclassification, alerts) for a date, default today.

use crate::context::{self, SystemClock};
use ipyun_domain::clock::Clock;
use ipyun_domain::field::{FieldError, FieldErrors};
use ipyun_domain::loan::{DayCount, RepaymentMethod, ScheduleInput, parse_yuan, schedule, to_csv};
use ipyun_domain::valuation::Decimal;
use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

#[derive(clap::Subcommand)]
pub enum LoanCommand {
    /// Print a repayment schedule as CSV: period,due_date,payment,principal,interest,balance.
    Schedule(ScheduleArgs),
    /// Run the daily job: each active loan's days overdue and class; prints what changed.
    Day {
        /// The day to run for, YYYY-MM-DD (default today, China's date).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(clap::Args)]
pub struct ScheduleArgs {
    /// The principal in yuan, e.g. 1000000 or 6544.44.
    #[arg(long, allow_hyphen_values = true)]
    principal: String,
    /// The nominal annual rate in percent, e.g. 4.9 (at most four decimals, at most 36).
    #[arg(long, allow_hyphen_values = true)]
    annual_rate_pct: String,
    /// The term in months, 1–360.
    #[arg(long, allow_hyphen_values = true)]
    months: String,
    /// equal-instalment (等额本息), equal-principal (等额本金), interest-only or bullet.
    #[arg(long)]
    method: String,
    /// The disbursement date, YYYY-MM-DD (default today); the first instalment falls due a month later.
    #[arg(long)]
    start: Option<String>,
    /// monthly (annual ÷ 12, the default), actual-360 or actual-365.
    #[arg(long, default_value = "monthly")]
    day_count: String,
}

/// The options' names as typed, for the domain's field names.
fn option_of(field: &str) -> &str {
    match field {
        "principal_fen" => "--principal",
        "annual_rate_pct" => "--annual-rate-pct",
        "months" => "--months",
        "method" => "--method",
        "start_date" => "--start",
        "day_count" => "--day-count",
        other => other,
    }
}

fn refuse(errors: &FieldErrors) -> ExitCode {
    for error in &errors.0 {
        eprintln!("error: {}: {}", option_of(&error.field), error.message);
    }
    ExitCode::from(2)
}

fn date(field: &str, text: &str) -> Result<chrono::NaiveDate, FieldError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            "format",
            format!("a date is YYYY-MM-DD, got {text:?}"),
        )
    })
}

/// `ipyun loan schedule …`: no database, no runtime.
pub fn schedule_command(args: &ScheduleArgs) -> ExitCode {
    let mut errors = FieldErrors::default();
    let principal_fen = parse_yuan("principal_fen", &args.principal)
        .map_err(|error| errors.push(error))
        .ok();
    let annual_rate_pct = Decimal::from_str(args.annual_rate_pct.trim())
        .map_err(|_| {
            errors.push(FieldError::new(
                "annual_rate_pct",
                "not_a_number",
                format!("{:?} is not a rate in percent", args.annual_rate_pct),
            ))
        })
        .ok();
    let months = args
        .months
        .trim()
        .parse::<u32>()
        .map_err(|_| {
            errors.push(FieldError::new(
                "months",
                "not_a_number",
                format!("{:?} is not a whole number of months", args.months),
            ))
        })
        .ok();
    let method = errors.parse("method", RepaymentMethod::parse(&args.method));
    let day_count = errors.parse("day_count", DayCount::parse(&args.day_count));
    let start_date = match &args.start {
        Some(text) => date("start_date", text)
            .map_err(|error| errors.push(error))
            .ok(),
        None => Some(SystemClock.today()),
    };
    let (
        Some(principal_fen),
        Some(annual_rate_pct),
        Some(months),
        Some(method),
        Some(day_count),
        Some(start_date),
    ) = (
        principal_fen,
        annual_rate_pct,
        months,
        method,
        day_count,
        start_date,
    )
    else {
        return refuse(&errors);
    };
    let input = ScheduleInput {
        principal_fen,
        annual_rate_pct,
        months,
        method,
        start_date,
        day_count,
    };
    match schedule(&input) {
        Ok(rows) => {
            print!("{}", to_csv(&rows));
            ExitCode::SUCCESS
        }
        Err(errors) => refuse(&errors),
    }
}

/// `ipyun loan day [--date]`: runs the daily job as the system.
pub async fn day_command(data_dir: &Path, date_text: Option<&str>) -> anyhow::Result<ExitCode> {
    let date = match date_text.map(|text| date("date", text)).transpose() {
        Ok(date) => date,
        Err(error) => {
            eprintln!("error: --date: {}", error.message);
            return Ok(ExitCode::from(2));
        }
    };
    let app = context::open_app(data_dir).await?;
    let report = app
        .run_loan_day(&ipyun_app::auth::system_principal(), date)
        .await
        .map_err(crate::admin::describe)?;
    println!(
        "loan day {}: {} loans, {} overdue, {} reclassified ({} downgraded, {} upgraded, {} overrides lapsed), {} alerts; \
         collateral: {} raised, {} cleared; {} notices",
        report.date,
        report.loans,
        report.overdue,
        report.reclassified,
        report.downgraded,
        report.upgraded,
        report.overrides_lapsed,
        report.alerts,
        report.collateral_alerts_raised,
        report.collateral_alerts_cleared,
        report.notices
    );
    app.db().close().await;
    Ok(ExitCode::SUCCESS)
}
