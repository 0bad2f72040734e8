//! `ipyun bench market`: matchmaking (issue 6, F3) — every open demand against every active
//! product, each demand's best ten kept (and, the other way, each product's best ten demands) —
//! on a fresh SQLite database seeded in bulk (`market_seed.rs`), beside the time to read the
//! same records (products, open demands with their enterprises' facts, the offered rights'
//! kinds and latest valuations) from the database. The target: 10,000 demands against 1,000
//! products in ≤ 5 s on 2 cores.

use super::market_seed::seed;
use crate::context::SystemClock;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use ipyun_app::App;
use ipyun_app::auth::AuthSettings;
use ipyun_db::Db;
use ipyun_domain::market::{Need, ProductTerms, Seeker, top_products, top_seekers};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TARGET_SECONDS: f64 = 5.0;
const TOP: usize = 10;

fn seconds(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64()
}

pub async fn run(products: u64, demands: u64, work_dir: Option<&Path>) -> anyhow::Result<()> {
    if !(1..=100_000).contains(&products) {
        bail!("--products must be between 1 and 100,000");
    }
    if !(1..=2_000_000).contains(&demands) {
        bail!("--demands must be between 1 and 2,000,000");
    }
    let dir = match work_dir {
        Some(parent) => {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            tempfile::Builder::new()
                .prefix("bench-market-")
                .tempdir_in(parent)?
        }
        None => tempfile::Builder::new()
            .prefix("ipyun-bench-market-")
            .tempdir()?,
    };
    let db = Db::open_sqlite_dir(dir.path()).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests());
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).context("a date")?;

    eprintln!(
        "seeding {products} products and {demands} demands in {} …",
        dir.path().display()
    );
    let seeding = Instant::now();
    let seeded = seed(&app, products, demands, today).await?;
    eprintln!("seeded in {:.1} s", seeds_elapsed(seeding));

    // The baseline: reading what matching reads, and nothing more.
    let reading = Instant::now();
    let catalogue = app.db().market_products().await?;
    let open = app.db().open_demands(None).await?;
    let read_elapsed = reading.elapsed();
    if catalogue.len() as u64 != products || open.len() as u64 != demands {
        bail!(
            "read {} products and {} demands of {products} and {demands}",
            catalogue.len(),
            open.len()
        );
    }
    let valued = open
        .iter()
        .filter(|demand| demand.applicant.collateral_value_fen.is_some())
        .count();

    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let (forward, forward_elapsed, backward, backward_elapsed) =
        tokio::task::spawn_blocking(move || {
            let matching = Instant::now();
            let offers: Vec<(i64, ProductTerms)> = catalogue
                .into_iter()
                .map(|product| (product.id, product.terms))
                .collect();
            let seekers: Vec<Seeker> = open
                .into_iter()
                .map(|demand| Seeker {
                    id: demand.id,
                    need: Need::of(&demand.terms),
                    applicant: demand.applicant,
                })
                .collect();
            let forward = top_products(&offers, &seekers, TOP, today, threads);
            let forward_elapsed = matching.elapsed();
            let other_way = Instant::now();
            let backward = top_seekers(&offers, &seekers, TOP, today, threads);
            (forward, forward_elapsed, backward, other_way.elapsed())
        })
        .await?;
    let matched = forward.top.iter().filter(|top| !top.is_empty()).count();
    let full = forward.top.iter().filter(|top| top.len() == TOP).count();
    let courted = backward.top.iter().filter(|top| !top.is_empty()).count();

    let verdict = |elapsed: Duration| {
        if seconds(elapsed) <= TARGET_SECONDS {
            "PASS"
        } else {
            "FAIL"
        }
    };
    let ratio = |elapsed: Duration| seconds(elapsed) / seconds(read_elapsed).max(1e-9);
    println!();
    println!(
        "matchmaking: {demands} open demands × {products} active products; {} enterprises, {} rights, {} valuations ({valued} demands with a valued collateral); SQLite, WAL, in {}",
        seeded.enterprises,
        seeded.rights,
        seeded.valuations,
        dir.path().display()
    );
    println!("{threads} cores available, {threads} matching threads");
    println!(
        "{:<56} {:>8.3} s",
        "baseline: read the products and open demands with facts",
        seconds(read_elapsed)
    );
    println!(
        "{:<56} {:>8.3} s  {:>6.1}× baseline  {}",
        format!("match: each demand's top {TOP} products"),
        seconds(forward_elapsed),
        ratio(forward_elapsed),
        verdict(forward_elapsed)
    );
    println!(
        "    {} pairs evaluated, {} eligible; {matched} demands matched ({full} with a full top {TOP})",
        forward.pairs, forward.eligible_pairs
    );
    println!(
        "{:<56} {:>8.3} s  {:>6.1}× baseline  {}",
        format!("match: each product's top {TOP} demands"),
        seconds(backward_elapsed),
        ratio(backward_elapsed),
        verdict(backward_elapsed)
    );
    println!(
        "    {} pairs evaluated, {} eligible; {courted} products with a demand",
        backward.pairs, backward.eligible_pairs
    );
    let total = read_elapsed + forward_elapsed;
    println!(
        "{:<56} {:>8.3} s  {:>6.1}× baseline  {}",
        "read + match (demands' top products)",
        seconds(total),
        ratio(total),
        verdict(total)
    );
    println!("target ≤ {TARGET_SECONDS:.0} s for matching 10,000 demands against 1,000 products");
    Ok(())
}

fn seeds_elapsed(start: Instant) -> f64 {
    seconds(start.elapsed())
}
