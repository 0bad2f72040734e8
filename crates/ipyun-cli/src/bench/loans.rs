//! `ipyun bench loans`: the loans' daily job — accrue days overdue, reclassify, collateral
//! surveillance and alerts — over N loans of M monthly instalments each (100,000 × 20 =
//! 2,000,000 instalments) on a fresh SQLite database, beside one SQL pass that reads the same
//! rows in the same run. The target: ≤ 10 s on 2 cores.
//!
//! The book is synthetic and deterministic: patents from the valuation benchmark's generator
//! (one in five not in force: late fee, invalidation request, court preservation, lapsed,
//! expired…), each pledged for one loan of 1–10 million yuan at 3.45–6 % by equal instalments,
//! started 1–M months before the date, spread over ten lenders; one loan in twelve stopped
//! paying at some instalment (so days overdue range over the whole book's age).

use super::valuation::{mix, seed};
use crate::context::SystemClock;
use anyhow::{Context, bail};
use chrono::{Months, NaiveDate};
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, system_principal};
use ipyun_db::Db;
use ipyun_db::loans::BookLoan;
use ipyun_domain::loan::{RepaymentMethod, ScheduleInput, schedule};
use ipyun_domain::party::PartyDraft;
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const TARGET_SECONDS: f64 = 10.0;
const LENDERS: usize = 10;
const BOOK_BATCH: usize = 5_000;

pub async fn run(loans: u64, months: u32, work_dir: Option<&Path>) -> anyhow::Result<()> {
    if loans == 0 || loans > 2_000_000 {
        bail!("--loans must be between 1 and 2,000,000");
    }
    if !(2..=360).contains(&months) {
        bail!("--months must be between 2 and 360");
    }
    let dir = match work_dir {
        Some(parent) => {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            tempfile::Builder::new()
                .prefix("bench-loans-")
                .tempdir_in(parent)?
        }
        None => tempfile::Builder::new()
            .prefix("ipyun-bench-loans-")
            .tempdir()?,
    };
    let db = Db::open_sqlite_dir(dir.path()).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests());
    let date = NaiveDate::from_ymd_opt(2026, 11, 23).context("a date")?;

    eprintln!(
        "seeding {loans} patents and loans of {months} instalments in {} …",
        dir.path().display()
    );
    let seeding = Instant::now();
    // One patent in ten has an unregistered holder: seed enough for every loan to have one.
    seed(&app, loans + loans / 5 + 100).await?;
    let lenders = lenders(&app).await?;
    let instalments = load_book(&app, loans, months, date, &lenders).await?;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let reading = Instant::now();
    let (read, rights) = app.db().loan_day_single_pass(date).await?;
    let read_elapsed = reading.elapsed();
    if u64::try_from(read).unwrap_or(0) != instalments {
        bail!("the single pass read {read} instalments of {instalments}");
    }

    let admin = system_principal();
    let first = Instant::now();
    let day_one = app
        .run_loan_day(&admin, Some(date))
        .await
        .map_err(crate::admin::describe)?;
    let first_elapsed = first.elapsed();
    let next = Instant::now();
    let day_two = app
        .run_loan_day(&admin, date.succ_opt())
        .await
        .map_err(crate::admin::describe)?;
    let next_elapsed = next.elapsed();
    if u64::try_from(day_one.loans).unwrap_or(0) != loans {
        bail!("the daily job saw {} loans of {loans}", day_one.loans);
    }

    let verdict = |seconds: f64| {
        if seconds <= TARGET_SECONDS {
            "PASS"
        } else {
            "FAIL"
        }
    };
    println!();
    println!(
        "loans' daily job over {loans} loans, {instalments} instalments, {rights} pledged rights; SQLite, WAL, in {}",
        dir.path().display()
    );
    println!(
        "{} cores available",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "{:<52} {:>8.2} s",
        "baseline: one SQL pass over the same rows",
        read_elapsed.as_secs_f64()
    );
    for (label, report, elapsed) in [
        ("daily job, first run", &day_one, first_elapsed),
        ("daily job, next day", &day_two, next_elapsed),
    ] {
        println!(
            "{:<52} {:>8.2} s  {:>5.1}× baseline  {}",
            label,
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() / read_elapsed.as_secs_f64().max(1e-9),
            verdict(elapsed.as_secs_f64())
        );
        println!(
            "    {} overdue, {} reclassified ({} down, {} up), {} loan alerts, {} collateral alerts raised, {} cleared, {} notices",
            report.overdue,
            report.reclassified,
            report.downgraded,
            report.upgraded,
            report.alerts,
            report.collateral_alerts_raised,
            report.collateral_alerts_cleared,
            report.notices
        );
    }
    println!("target ≤ {TARGET_SECONDS:.0} s for the daily job");
    Ok(())
}

/// Ten lenders, each with a loan officer who receives the alerts.
async fn lenders(app: &App) -> anyhow::Result<Vec<i64>> {
    let operator = system_principal();
    let mut ids = Vec::with_capacity(LENDERS);
    for index in 0..LENDERS {
        let party = app
            .create_party(
                &operator,
                &PartyDraft {
                    kind: Some("lender".into()),
                    name: Some(format!("基准银行{index}分行")),
                    region: Some("320500".into()),
                    ..PartyDraft::default()
                },
            )
            .await
            .map_err(crate::admin::describe)?;
        app.create_user(
            &operator,
            &ipyun_app::auth::UserDraft {
                username: format!("bench-officer-{index}"),
                display_name: format!("基准客户经理{index}"),
                password: "bench-officer-password".into(),
                role: "lender".into(),
                party_id: Some(party.id),
            },
        )
        .await
        .map_err(crate::admin::describe)?;
        ids.push(party.id);
    }
    Ok(ids)
}

/// Loads the book; answers the instalments written.
async fn load_book(
    app: &App,
    loans: u64,
    months: u32,
    date: NaiveDate,
    lenders: &[i64],
) -> anyhow::Result<u64> {
    let progress = indicatif::ProgressBar::new(loans);
    let (mut after_id, mut written, mut instalments) = (0_i64, 0_u64, 0_u64);
    while written < loans {
        let want = usize::try_from((loans - written).min(BOOK_BATCH as u64)).unwrap_or(0);
        let rights = app
            .db()
            .rights_held_by_parties(after_id, i64::try_from(want).unwrap_or(0))
            .await?;
        let Some(last) = rights.last() else {
            bail!("only {written} patents with a registered holder for {loans} loans");
        };
        after_id = last.0;
        let mut book = Vec::with_capacity(rights.len());
        for (id, number, kind, party) in rights {
            let index = written + book.len() as u64;
            book.push(loan(
                index,
                months,
                date,
                lenders,
                (id, number, kind, party),
            )?);
        }
        instalments += book
            .iter()
            .map(|loan| loan.instalments.len() as u64)
            .sum::<u64>();
        let first_application = 1_000_000_000 + i64::try_from(written).unwrap_or(0);
        app.db()
            .insert_loan_book(&book, first_application, "bench", app.clock().now())
            .await?;
        written += book.len() as u64;
        progress.set_position(written);
    }
    progress.finish_and_clear();
    Ok(instalments)
}

fn loan(
    index: u64,
    months: u32,
    date: NaiveDate,
    lenders: &[i64],
    (right_id, right_number, right_kind, pledgor): (i64, String, String, i64),
) -> anyhow::Result<BookLoan> {
    let hash = mix(index ^ 0x10a2);
    let amount_fen = 100_000_000 * i64::try_from(1 + hash % 10).unwrap_or(1);
    let rate = Decimal::new(345 + i64::try_from(hash / 10 % 256).unwrap_or(0), 2);
    let age = 1 + u32::try_from(hash / 3_000 % u64::from(months)).unwrap_or(0);
    let start_date = date
        .checked_sub_months(Months::new(age))
        .context("a start date")?;
    let rows = schedule(&ScheduleInput {
        principal_fen: amount_fen,
        annual_rate_pct: rate,
        months,
        method: RepaymentMethod::EqualInstalment,
        start_date,
        day_count: Default::default(),
    })
    .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
    // One loan in twelve stopped paying at some instalment already due.
    let stopped_at = (hash / 700_000)
        .is_multiple_of(12)
        .then(|| 1 + hash / 9_000_000 % u64::from(age));
    let mut outstanding = amount_fen;
    let instalments = rows
        .iter()
        .map(|row| {
            // Paid on its due date, the date's own included.
            let due = row.due_date <= date;
            let paid = due && stopped_at.is_none_or(|stop| u64::from(row.period) < stop);
            if paid {
                outstanding -= row.principal_fen;
            }
            (
                row.due_date,
                row.principal_fen,
                row.interest_fen,
                row.balance_fen,
                paid,
            )
        })
        .collect();
    let maturity = rows.last().map_or(start_date, |row| row.due_date);
    let right_kind = match right_kind.as_str() {
        "invention" => "invention",
        "utility_model" => "utility_model",
        _ => "design",
    };
    Ok(BookLoan {
        lender_id: lenders[usize::try_from(hash / 17 % lenders.len() as u64).unwrap_or(0)],
        borrower_id: pledgor,
        contract_no: format!("JK-BENCH-{index:08}"),
        amount_fen,
        annual_rate_ppm: i64::try_from(rate.mantissa()).unwrap_or(0) * 100,
        method: RepaymentMethod::EqualInstalment,
        start_date,
        months,
        maturity,
        principal_outstanding_fen: outstanding,
        registration_no: format!("BENCH{index:010}"),
        right_id,
        right_number,
        right_kind,
        instalments,
    })
}
