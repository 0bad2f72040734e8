//! `ipyun bench …`: benchmarks that print their figure and a baseline measured in the same run.

mod rights_get;
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
    }
}
