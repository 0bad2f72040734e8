//! `ipyun bench …`: benchmarks that print their figure and a baseline measured in the same run.

mod loans;
mod market;
mod market_seed;
mod registration;
mod rights_get;
mod screening;
mod valuation;
mod wrk;

use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum BenchCommand {
    /// Import N rights from CSV into SQLite, beside the sqlite3 shell's `.import` of the same file.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Where the CSV and the databases go.
        #[arg(long, default_value = ".bench/import")]
        work_dir: PathBuf,
    },
    /// `GET /api/v1/rights/{application_no}` over N rights with wrk, beside a trivial axum handler.
    RightsGet {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Seconds of load per measurement.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        #[arg(long, default_value_t = 32)]
        connections: u32,
        /// Where the database goes (reused when it already holds the rows).
        #[arg(long, default_value = ".bench/rights-get")]
        work_dir: PathBuf,
    },
    /// Pledge registrations over HTTP (apply + confirm) on a fresh SQLite database, beside the
    /// disk's fsync rate measured in the same directory.
    Registration {
        /// Registrations (distinct patents); 42,000 is the national volume of 2023.
        #[arg(long, default_value_t = 42_000)]
        count: u64,
        /// Concurrent keep-alive clients.
        #[arg(long, default_value_t = 16)]
        concurrency: u32,
        /// Where the fresh database goes (a new directory inside, removed afterwards); the
        /// system's temporary directory by default.
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Automated valuation of N patents (read, score, write) on a fresh SQLite database, beside
    /// the time to only read them; target ≤ 30 s for 1,000,000.
    Valuation {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Where the fresh database goes (a new directory inside, removed afterwards); the
        /// system's temporary directory by default.
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Matchmaking: every open demand against every active product (each side's top ten) on a
    /// fresh SQLite database seeded in bulk, beside the time to read the same records; target
    /// ≤ 5 s for 10,000 demands against 1,000 products.
    Market {
        #[arg(long, default_value_t = 1_000)]
        products: u64,
        #[arg(long, default_value_t = 10_000)]
        demands: u64,
        /// Where the fresh database goes (a new directory inside, removed afterwards); the
        /// system's temporary directory by default.
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Credit white-list screening of N enterprises (rights, valuations, loans, grades, flags
    /// seeded in bulk on a fresh SQLite database), beside the time to read the same records;
    /// target ≤ 5 s for the screening of 100,000.
    Screening {
        #[arg(long, default_value_t = 100_000)]
        enterprises: u64,
        /// Where the fresh database goes (a new directory inside, removed afterwards); the
        /// system's temporary directory by default.
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// The loans' daily job (accrue, reclassify, collateral alerts) over N loans of M monthly
    /// instalments on a fresh SQLite database, beside one SQL pass reading the same rows;
    /// target ≤ 10 s for 100,000 loans with 2,000,000 instalments.
    Loans {
        #[arg(long, default_value_t = 100_000)]
        loans: u64,
        /// Instalments (months) a loan.
        #[arg(long, default_value_t = 20)]
        months: u32,
        /// Where the fresh database goes (a new directory inside, removed afterwards); the
        /// system's temporary directory by default.
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Patent search over N generated patents: import and index, first answer after start,
    /// two-word and quoted queries over HTTP with C clients, a landscape, the server's memory;
    /// beside SQLite FTS5 over the same jieba-segmented text and DuckDB (Python) over the same
    /// records.
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        count: u64,
        /// The generator's seed (also draws the queries).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Concurrent keep-alive HTTP clients (and FTS5 query threads).
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Queries of each kind (two words, quoted strings).
        #[arg(long, default_value_t = 4_000)]
        requests: usize,
        /// Keep the corpus, the data directory and the baselines' files in this directory
        /// (otherwise a temporary one, removed afterwards).
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Measure the server again on the data directory a `--keep` run left there: no
        /// corpus written, no import, no baselines (for tuning; the full run reports them).
        #[arg(long, requires = "keep")]
        reuse: bool,
    },
}

pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Import { rows, work_dir } => crate::bench_import::run(rows, &work_dir).await,
        BenchCommand::RightsGet {
            rows,
            seconds,
            connections,
            work_dir,
        } => rights_get::run(rows, seconds, connections, &work_dir).await,
        BenchCommand::Registration {
            count,
            concurrency,
            work_dir,
        } => registration::run(count, concurrency, work_dir.as_deref()).await,
        BenchCommand::Valuation { rows, work_dir } => {
            valuation::run(rows, work_dir.as_deref()).await
        }
        BenchCommand::Loans {
            loans: count,
            months,
            work_dir,
        } => loans::run(count, months, work_dir.as_deref()).await,
        BenchCommand::Market {
            products,
            demands,
            work_dir,
        } => market::run(products, demands, work_dir.as_deref()).await,
        BenchCommand::Screening {
            enterprises,
            work_dir,
        } => screening::run(enterprises, work_dir.as_deref()).await,
        BenchCommand::Search {
            count,
            seed,
            clients,
            requests,
            keep,
            reuse,
        } => {
            crate::bench_search::run(crate::bench_search::Options {
                count,
                seed,
                clients,
                requests,
                keep,
                reuse,
                in_process: false,
            })
            .await
        }
    }
}
