//! `ipyun bench search`: the patent-search benchmark of issue 8, each figure beside a baseline
//! measured in the same run.
//!
//! 1. Generates N patents (JSON Lines, and a CSV for DuckDB), imports them with the app into a
//!    fresh data directory (SQLite and the search index): import and index time, index and
//!    database size, the bench process's peak memory.
//! 2. Starts `ipyun serve` on that directory (rate limit off): time to its first search answer,
//!    its resident memory after the query runs.
//! 3. C keep-alive HTTP clients issue R two-word queries, then R quoted strings: p50/p95/p99 and
//!    throughput; every answer must be 200, every quoted string must find its patent.
//! 4. A landscape over a query matching about a fifth of the corpus (median of 5).
//! 5. Baselines: SQLite FTS5 over the same jieba-segmented text (build time, the same queries on
//!    1 and C threads) and DuckDB (Python) computing the same aggregations over the same records.

mod client;
mod corpus;
mod fts;
mod landscape;
mod load;
mod report;
mod server;

use crate::context::SystemClock;
use anyhow::{Context, bail};
use ipyun_app::App;
use ipyun_app::auth::{AuthSettings, system_principal};
use ipyun_app::transfer::Subject;
use ipyun_domain::clock::Clock;
use report::Report;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The scale: targets are stated for it.
pub const TARGET_COUNT: u64 = 1_000_000;

#[derive(Debug, Clone)]
pub struct Options {
    pub count: u64,
    pub seed: u64,
    pub clients: usize,
    pub requests: usize,
    /// Keep the corpus, the data directory and the baselines' files here.
    pub keep: Option<PathBuf>,
    /// Measure the served figures again on a kept run's data directory (no import, no baselines).
    pub reuse: bool,
    /// Serve the router inside this process instead of starting `ipyun serve` (tests).
    pub in_process: bool,
}

/// Total bytes of the files under `path`.
fn size_of(path: &Path) -> u64 {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !metadata.is_dir() {
        return metadata.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| size_of(&entry.path()))
                .sum()
        })
        .unwrap_or(0)
}

fn work_dir(
    keep: Option<&Path>,
    reuse: bool,
) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    match keep {
        Some(dir) if reuse => {
            if !dir.join("data").exists() {
                bail!("{} holds no kept bench run to reuse", dir.display());
            }
            Ok((dir.to_path_buf(), None))
        }
        Some(dir) => {
            if dir.join("data").exists() {
                bail!(
                    "{} already holds a bench run; name an empty directory",
                    dir.display()
                );
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Ok((dir.to_path_buf(), None))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("ipyun-bench-search-")
                .tempdir()?;
            Ok((temp.path().to_path_buf(), Some(temp)))
        }
    }
}

fn blocking_error(error: tokio::task::JoinError) -> anyhow::Error {
    anyhow::anyhow!("a bench task failed: {error}")
}

pub async fn run(options: Options) -> anyhow::Result<()> {
    let report = measure(&options).await?;
    report.print();
    report.failures()
}

/// Imports the parts and lets the index catch up; the bench process's peak memory after.
async fn import(data: &Path, parts: &[PathBuf], count: u64) -> anyhow::Result<(Duration, u64)> {
    let db = ipyun_db::Db::open_sqlite_dir(data).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::cheap_for_tests())
        .with_search_dir(&crate::context::search_dir(data))
        .map_err(crate::admin::describe)?;
    let started = Instant::now();
    let mut inserted = 0;
    for part in parts {
        let done = app
            .import_file(&system_principal(), Subject::Patents, part, &|_| {})
            .await
            .map_err(crate::admin::describe)?;
        if done.rejected > 0 {
            let first = done.rejections.first().map(|rejection| {
                format!(
                    "row {} {}: {}",
                    rejection.row, rejection.field, rejection.message
                )
            });
            bail!(
                "{} generated patents rejected; first: {first:?}",
                done.rejected
            );
        }
        inserted += done.inserted;
    }
    app.sync_search_index(&|_| {})
        .await
        .map_err(crate::admin::describe)?;
    let elapsed = started.elapsed();
    let indexed = app.indexed_patents().unwrap_or(0);
    if inserted != count || indexed != count {
        bail!("imported {inserted} and indexed {indexed} of {count} patents");
    }
    app.db().close().await;
    drop(app);
    Ok((elapsed, server::proc_status_kb(None, "VmHWM").unwrap_or(0)))
}

async fn measure(options: &Options) -> anyhow::Result<Report> {
    if options.count < 100 || options.requests == 0 || options.clients == 0 {
        bail!("--count must be at least 100, --requests and --clients at least 1");
    }
    let (work, _temp) = work_dir(options.keep.as_deref(), options.reuse)?;
    let mut report = Report::new(options);
    let count = options.count;
    eprintln!("bench search: {count} patents in {}", work.display());

    let corpus_dir = work.join("corpus");
    let seed = options.seed;
    let data = work.join("data");
    let corpus = if options.reuse {
        eprintln!(
            "reusing the run kept in {}: drawing its queries again …",
            work.display()
        );
        tokio::task::spawn_blocking(move || corpus::scan(&corpus_dir, count, seed))
            .await
            .map_err(blocking_error)??
    } else {
        eprintln!("generating {count} patents …");
        let generating = Instant::now();
        let corpus = tokio::task::spawn_blocking(move || corpus::write(&corpus_dir, count, seed))
            .await
            .map_err(blocking_error)??;
        report.generated(generating.elapsed(), &corpus);

        eprintln!("importing and indexing …");
        let (imported, import_hwm) = import(&data, &corpus.parts, count).await?;
        let index_bytes = size_of(&crate::context::search_dir(&data));
        let db_bytes = size_of(&data) - index_bytes;
        report.imported(imported, index_bytes, db_bytes, import_hwm);
        corpus
    };

    let jieba = Arc::new(jieba_rs::Jieba::new());
    let mut rng = load::Rng::new(options.seed);
    let two_word = load::two_word_queries(&corpus.samples, options.requests, &mut rng, &jieba);
    let quoted = load::quoted_queries(&corpus.samples, options.requests, &mut rng, &jieba);
    let warm_words = load::two_word_queries(&corpus.samples, 100, &mut rng, &jieba);
    let warm_quoted = load::quoted_queries(&corpus.samples, 100, &mut rng, &jieba);
    if two_word.is_empty() || quoted.is_empty() {
        bail!("no query could be drawn from the sampled titles and abstracts");
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(options.clients)
        .tcp_nodelay(true)
        .build()?;
    eprintln!("starting the server …");
    let server = server::start(&data, options.in_process, true, &http, &two_word[0].api).await?;
    report.started(&server);

    let urls = |probes: &[load::Probe]| load::search_urls(&server.base, probes);
    eprintln!(
        "warming up, then {} two-word queries and {} quoted strings over HTTP …",
        two_word.len(),
        quoted.len()
    );
    load::http_run(urls(&warm_words), options.clients).await?;
    load::http_run(urls(&warm_quoted), options.clients).await?;
    let words_run = load::http_run(urls(&two_word), options.clients).await?;
    let quoted_run = load::http_run(urls(&quoted), options.clients).await?;

    let (condition, expected) = corpus.landscape.clone();
    eprintln!("landscape of {} ({expected} patents) …", condition.query());
    let landscape_run = landscape::over_http(&http, &server.base, &condition.query()).await?;
    let rss = server::proc_status_kb(server.pid(), "VmRSS").unwrap_or(0);
    let hwm = server::proc_status_kb(server.pid(), "VmHWM").unwrap_or(0);
    report.served(&words_run, &quoted_run, rss, hwm, server.in_process());
    report.landscape(&condition, expected, &landscape_run);
    drop(server);

    // The queries again on a server that keeps no answers: what the result cache saves.
    eprintln!("the same queries again, on a server without its result cache …");
    let uncached = server::start(&data, options.in_process, false, &http, &two_word[0].api).await?;
    let urls = |probes: &[load::Probe]| load::search_urls(&uncached.base, probes);
    load::http_run(urls(&warm_words), options.clients).await?;
    load::http_run(urls(&warm_quoted), options.clients).await?;
    let uncached_words = load::http_run(urls(&two_word), options.clients).await?;
    let uncached_run = load::http_run(urls(&quoted), options.clients).await?;
    let distinct = quoted
        .iter()
        .map(|probe| probe.api.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len();
    report.uncached(&uncached_words, &uncached_run, distinct);
    drop(uncached);
    if options.reuse {
        println!(
            "reused: {} (no import, no baselines measured)",
            work.display()
        );
        return Ok(report);
    }

    eprintln!("baseline: SQLite FTS5 over the jieba-segmented text …");
    let parts = corpus.parts.clone();
    let fts_path = work.join("fts5.db");
    let fts_jieba = jieba.clone();
    let built = tokio::task::spawn_blocking(move || fts::build(&parts, &fts_path, fts_jieba))
        .await
        .map_err(blocking_error)??;
    match built {
        Ok(built) => {
            let clients = options.clients;
            let path = built.path.clone();
            let runs = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                // Warm-up, as for HTTP: the same number of other queries, not counted.
                fts::run(&path, &warm_words, clients)?;
                fts::run(&path, &warm_quoted, clients)?;
                Ok([
                    fts::run(&path, &two_word, 1)?,
                    fts::run(&path, &two_word, clients)?,
                    fts::run(&path, &quoted, 1)?,
                    fts::run(&path, &quoted, clients)?,
                ])
            })
            .await
            .map_err(blocking_error)??;
            report.fts(&built, &runs);
        }
        Err(reason) => report.fts_unavailable(&reason),
    }
    if options.keep.is_none() {
        for part in &corpus.parts {
            let _ = std::fs::remove_file(part);
        }
    }

    eprintln!("baseline: DuckDB over the same records …");
    let cutoff = SystemClock
        .today()
        .checked_sub_months(chrono::Months::new(24))
        .unwrap_or_default();
    let csv = corpus.csv.clone();
    let script_dir = work.clone();
    let duck = tokio::task::spawn_blocking(move || {
        landscape::duckdb(&script_dir, &csv, &condition, cutoff)
    })
    .await
    .map_err(blocking_error)??;
    report.duckdb(duck);
    if options.keep.is_some() {
        println!("kept: {}", work.display());
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
