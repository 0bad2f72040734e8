//! `ipyun bench valuation`: the automated valuation of N patents (a province's stock is about a
//! million) on a fresh SQLite database — read every patent with its indicators and first holder,
//! score it, write `automated_valuations` — beside the time to merely read the same records in
//! the same run. The target: ≤ 30 s for 1,000,000 patents on 2 cores.
//!
//! The data is synthetic and deterministic (a hash of the row index): kinds, filing years
//! 2005–2025, legal statuses, 40 IPC subclasses, 2,000 holders of varied industry and size (one
//! patent in ten held by an unregistered holder), indicators for nine patents in ten.

use crate::context::SystemClock;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, system_principal};
use ipyun_db::Db;
use ipyun_db::indicators::PatentIndicatorsRecord;
use ipyun_domain::avm::{
    AvmModel, FieldKey, FieldStats, IndicatorCounts, PatentIndicators, Purpose,
};
use ipyun_domain::id::{ApplicationNo, IpcSymbol, Uscc};
use ipyun_domain::party::PartyDraft;
use ipyun_domain::right::{Holder, LegalStatus, NewRight, RightKind, RightNumber};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TARGET_SECONDS_PER_MILLION: f64 = 30.0;
const HOLDERS: u64 = 2_000;
const SEED_BATCH: u64 = 10_000;
const READ_BATCH: i64 = 10_000;
/// Serials are 7 digits per (year, kind): at most this many rows.
const MAX_ROWS: u64 = 9_999_999;

const INDUSTRIES: &[&str] = &[
    "C39", "C38", "C40", "C27", "C26", "C34", "C35", "C36", "C13", "I65",
];
const SIZES: &[&str] = &["micro", "small", "small", "medium", "medium", "large"];
const IPC: &[&str] = &[
    "H01L 21/56",
    "H01L 23/00",
    "H01M 10/05",
    "H01M 50/40",
    "H02J 7/00",
    "H04L 9/32",
    "H04W 72/04",
    "H05K 7/20",
    "G06F 3/01",
    "G06F 16/00",
    "G06N 3/08",
    "G06T 7/00",
    "G06V 10/82",
    "G01N 21/00",
    "G01R 31/00",
    "G02B 6/00",
    "G05B 19/418",
    "G16H 10/60",
    "A61K 36/00",
    "A61B 5/00",
    "A61P 35/00",
    "A01B 1/00",
    "A23L 33/00",
    "B23K 26/00",
    "B25J 9/16",
    "B29C 45/00",
    "B60L 53/00",
    "B62D 65/00",
    "B65G 47/00",
    "C07D 401/00",
    "C08L 23/00",
    "C09D 5/00",
    "C12N 15/00",
    "D01F 6/00",
    "D06P 1/00",
    "E04B 1/00",
    "F03D 1/06",
    "F16H 57/00",
    "F24S 10/00",
    "H02S 40/00",
];

/// A well-mixed 64-bit hash of `value` (splitmix64): the synthetic data's only randomness.
pub(super) fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn pick<'a>(list: &[&'a str], value: u64) -> &'a str {
    list[usize::try_from(value % list.len() as u64).unwrap_or(0)]
}

fn holder_uscc(holder: u64) -> anyhow::Result<Uscc> {
    Uscc::from_body(&format!("91320500MA{holder:07}")).map_err(|error| anyhow::anyhow!("{error}"))
}

/// The patent of row `index`.
fn patent(index: u64, usccs: &[Uscc]) -> anyhow::Result<NewRight> {
    let hash = mix(index);
    let (kind, digit) = match hash % 10 {
        0..=5 => (RightKind::Invention, 1),
        6..=8 => (RightKind::UtilityModel, 2),
        _ => (RightKind::Design, 3),
    };
    let year = 2005 + i32::try_from(hash / 10 % 21).unwrap_or(0);
    let filing_date = NaiveDate::from_ymd_opt(
        year,
        1 + u32::try_from(hash / 300 % 12).unwrap_or(0),
        1 + u32::try_from(hash / 4_000 % 28).unwrap_or(0),
    )
    .context("a generated date")?;
    let grant_date = filing_date.checked_add_days(chrono::Days::new(300 + hash / 9_000 % 900));
    let legal_status = match hash / 100_000 % 40 {
        0..=31 => LegalStatus::InForce,
        32 => LegalStatus::LateFeePeriod,
        33 => LegalStatus::InvalidationPending,
        34 => LegalStatus::Preserved,
        35 => LegalStatus::NotYetGranted,
        36 | 37 => LegalStatus::LapsedUnpaidFee,
        _ => LegalStatus::Expired,
    };
    let number = ApplicationNo::from_body(&format!("{year}{digit}{index:07}"))
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let holder = hash / 7 % HOLDERS;
    let registered = !(hash / 11).is_multiple_of(10);
    Ok(NewRight {
        kind,
        number: RightNumber::parse(kind, number.as_str())
            .map_err(|error| anyhow::anyhow!("{error}"))?,
        title: format!("一种基准估值方法及装置{index}"),
        filing_date,
        grant_date: (legal_status != LegalStatus::NotYetGranted)
            .then_some(grant_date)
            .flatten(),
        legal_status,
        annual_fee_paid_until: None,
        nice_class: None,
        ipc_main: if kind == RightKind::Design {
            None
        } else {
            Some(
                IpcSymbol::parse(pick(IPC, hash / 13))
                    .map_err(|error| anyhow::anyhow!("{error}"))?,
            )
        },
        renewals: 0,
        holders: vec![Holder {
            name: format!("基准估值企业{holder}有限公司"),
            uscc: registered.then(|| usccs[usize::try_from(holder).unwrap_or(0)].clone()),
            party_id: None,
            share_bp: 10_000,
        }],
    })
}

/// The indicators of row `index` (none for one patent in ten).
fn indicators(index: u64, number: &str) -> Option<PatentIndicatorsRecord> {
    let hash = mix(index ^ 0x5eed);
    if hash.is_multiple_of(10) {
        return None;
    }
    let small = |shift: u32, modulo: u64| u32::try_from((hash >> shift) % modulo).unwrap_or(0);
    Some(PatentIndicatorsRecord {
        right_number: number.to_string(),
        counts: IndicatorCounts {
            claims: 1 + small(4, 20),
            independent_claims: 1 + small(9, 3),
            family_size: 1 + small(12, 8) * small(15, 2),
            family_countries: 1 + small(17, 5) * small(20, 2),
            forward_citations: small(22, 12) * small(26, 3),
            backward_citations: small(30, 25),
            inventors: 1 + small(35, 8),
            licences: small(39, 4) * small(42, 2),
            transfers: small(44, 3) * small(47, 2),
            litigations: u32::from(small(49, 50) == 0),
            invalidation_requests: u32::from(small(55, 40) == 0),
        },
        implemented: match small(58, 3) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        },
        holder_revenue_fen: (small(61, 2) == 0).then(|| 10_000_000 * i64::from(1 + small(5, 500))),
    })
}

pub(super) async fn seed(app: &App, rows: u64) -> anyhow::Result<()> {
    let operator = system_principal();
    let mut usccs = Vec::with_capacity(HOLDERS as usize);
    for holder in 0..HOLDERS {
        let uscc = holder_uscc(holder)?;
        let draft = PartyDraft {
            kind: Some("enterprise".into()),
            name: Some(format!("基准估值企业{holder}有限公司")),
            uscc: Some(uscc.as_str().to_string()),
            region: Some("320505".into()),
            industry: Some(pick(INDUSTRIES, mix(holder)).into()),
            size_class: Some(pick(SIZES, mix(holder) >> 8).into()),
            specialised_sme_year: mix(holder).is_multiple_of(5).then_some(2022),
            little_giant_year: mix(holder).is_multiple_of(20).then_some(2023),
            ..PartyDraft::default()
        };
        app.create_party(&operator, &draft)
            .await
            .map_err(crate::admin::describe)?;
        usccs.push(uscc);
    }
    let usccs = Arc::new(usccs);
    let progress = indicatif::ProgressBar::new(rows);
    let mut start = 0;
    while start < rows {
        let end = (start + SEED_BATCH).min(rows);
        let shared = Arc::clone(&usccs);
        let (rights, records) = tokio::task::spawn_blocking(move || {
            let mut rights = Vec::with_capacity(usize::try_from(end - start).unwrap_or(0));
            let mut records = Vec::with_capacity(rights.capacity());
            for index in start..end {
                let right = patent(index, &shared)?;
                records.extend(indicators(index, right.number.as_str()));
                rights.push(right);
            }
            Ok::<_, anyhow::Error>((rights, records))
        })
        .await??;
        let now = app.clock().now();
        app.db().upsert_rights(&rights, "bench", now).await?;
        app.db().upsert_patent_indicators(&records, now).await?;
        progress.set_position(end);
        start = end;
    }
    progress.finish_and_clear();
    Ok(())
}

/// Reads every patent as the revaluation does, and nothing more: the baseline.
async fn read_all(db: &Db) -> anyhow::Result<u64> {
    let (mut rows, mut after_id) = (0u64, 0i64);
    loop {
        let batch = db.patents_for_valuation_after(after_id, READ_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after_id = last.right_id;
        rows += batch.len() as u64;
    }
    Ok(rows)
}

/// Scores `rows` in-memory patents (the generator's, without the database) for every purpose:
/// the model's own cost.
fn score_only(rows: u64) -> anyhow::Result<(Duration, u64)> {
    let valued_on = NaiveDate::from_ymd_opt(2026, 1, 1).context("a date")?;
    let model = AvmModel::new(valued_on, FieldStats::new(valued_on));
    let usccs = vec![holder_uscc(0)?; usize::try_from(HOLDERS).unwrap_or(0)];
    let sample: Vec<PatentIndicators> = (0..rows.min(100_000))
        .map(|index| {
            let right = patent(index, &usccs)?;
            let record = indicators(index, right.number.as_str());
            Ok(PatentIndicators {
                kind: right.kind,
                legal_status: right.legal_status,
                filing_date: right.filing_date,
                grant_date: right.grant_date,
                expiry_date: right.expiry_date(),
                field: right
                    .ipc_main
                    .as_ref()
                    .and_then(|ipc| FieldKey::from_ipc(ipc.as_str())),
                royalty_bp: Some(300 + u32::try_from(index % 500).unwrap_or(0)),
                counts: record.as_ref().map(|record| record.counts),
                implemented: record.as_ref().and_then(|record| record.implemented),
                holder_revenue_fen: record.as_ref().and_then(|record| record.holder_revenue_fen),
                holder: None,
                pledges: 0,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let started = Instant::now();
    let mut checksum = 0u64;
    let mut scored = 0u64;
    while scored < rows {
        for patent in &sample {
            for purpose in Purpose::ALL {
                let score = model.score(patent, purpose);
                checksum = checksum.wrapping_add(u64::try_from(score.mid_fen).unwrap_or(0));
            }
            scored += 1;
            if scored == rows {
                break;
            }
        }
    }
    std::hint::black_box(checksum);
    Ok((started.elapsed(), scored * 3))
}

fn rate(rows: u64, elapsed: Duration) -> String {
    let per_second = rows as f64 / elapsed.as_secs_f64().max(1e-9);
    format!("{:>12.0} rows/s", per_second)
}

pub async fn run(rows: u64, work_dir: Option<&Path>) -> anyhow::Result<()> {
    if rows == 0 || rows > MAX_ROWS {
        bail!("--rows must be between 1 and {MAX_ROWS}");
    }
    let dir = match work_dir {
        Some(parent) => {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
            tempfile::Builder::new()
                .prefix("bench-valuation-")
                .tempdir_in(parent)?
        }
        None => tempfile::Builder::new()
            .prefix("ipyun-bench-valuation-")
            .tempdir()?,
    };
    let db = Db::open_sqlite_dir(dir.path()).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests());
    eprintln!(
        "seeding {rows} patents with indicators in {} …",
        dir.path().display()
    );
    let seeding = Instant::now();
    seed(&app, rows).await?;
    eprintln!("seeded in {:.1} s", seeding.elapsed().as_secs_f64());

    let reading = Instant::now();
    let read = read_all(app.db()).await?;
    let read_elapsed = reading.elapsed();
    if read != rows {
        bail!("read {read} patents of {rows}");
    }

    let progress = indicatif::ProgressBar::new(rows);
    let valuing = Instant::now();
    let outcome = app
        .revalue_all(&system_principal(), Purpose::Pledge, &|step| {
            progress.set_position(step.valued)
        })
        .await
        .map_err(crate::admin::describe)?;
    let value_elapsed = valuing.elapsed();
    progress.finish_and_clear();
    let stored = app.db().count_automated_valuations(Purpose::Pledge).await?;
    if outcome.patents != rows || u64::try_from(stored).unwrap_or(0) != rows {
        bail!(
            "valued {} and stored {stored} of {rows} patents",
            outcome.patents
        );
    }

    let (score_elapsed, scores) = score_only(rows)?;

    let target = TARGET_SECONDS_PER_MILLION * rows as f64 / 1_000_000.0;
    let verdict = if value_elapsed.as_secs_f64() <= target {
        "PASS"
    } else {
        "FAIL"
    };
    println!();
    println!(
        "automated valuation of {rows} patents (model {}), SQLite, WAL, synchronous=FULL, in {}",
        outcome.model_version,
        dir.path().display()
    );
    println!(
        "{} cores available; reader, scorer and writer run as a pipeline",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "{:<44} {:>9.2} s {}",
        "read only (patents + indicators + holder)",
        read_elapsed.as_secs_f64(),
        rate(rows, read_elapsed)
    );
    println!(
        "{:<44} {:>9.2} s {}",
        "read + score + write (pledge)",
        value_elapsed.as_secs_f64(),
        rate(rows, value_elapsed)
    );
    println!(
        "{:<44} {:>9.2} s",
        "  of which field statistics and royalty table",
        outcome.preparation_ms as f64 / 1_000.0
    );
    println!(
        "{:<44} {:>9.2}×",
        "valuation ÷ read only",
        value_elapsed.as_secs_f64() / read_elapsed.as_secs_f64().max(1e-9)
    );
    println!(
        "{:<44} {:>9.2} s {:>9.0} ns per score (one core, allocation-free)",
        format!("score only, in memory ({scores} scores)"),
        score_elapsed.as_secs_f64(),
        score_elapsed.as_nanos() as f64 / scores.max(1) as f64
    );
    println!("target ≤ {target:.1} s ({TARGET_SECONDS_PER_MILLION:.0} s per million): {verdict}");
    Ok(())
}
