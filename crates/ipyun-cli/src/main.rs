//! `ipyun`: the one binary. Serve the platform, validate identifiers, import and export,
//! manage accounts, load demo data and run benchmarks.

mod admin;
mod audit;
mod backtest;
mod bench;
mod bench_import;
mod bench_search;
mod calendar;
mod context;
mod loan;
mod notice;
mod patents;
mod serve;
mod transfer;
mod validate;
mod value;

/// mimalloc instead of the system allocator: a search allocates and frees its counters, hit
/// strings and JSON on every request, which glibc's allocator made about 8% of a search's CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ipyun",
    version,
    about = "知识产权运营平台 — IP operations platform"
)]
struct Cli {
    /// Data directory: the SQLite file and the search index. `DATABASE_URL` selects PostgreSQL instead.
    #[arg(
        long,
        global = true,
        env = "IPYUN_DATA",
        default_value = "./ipyun-data"
    )]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API.
    Serve(serve::ServeArgs),
    /// Check identifiers: prints `VALUE<TAB>ok<TAB>NORMAL_FORM` or `VALUE<TAB>error<TAB>MESSAGE` per value.
    Validate(validate::ValidateArgs),
    /// Import rights, parties, patents or reference tables from a CSV, XLSX or (patents) JSONL file.
    Import(transfer::ImportArgs),
    /// Export rights or parties to a CSV or XLSX file.
    Export(transfer::ExportArgs),
    /// Accounts: users and API tokens.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// China's official working-day calendar.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// The audit log: check its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Pledge-registration notices: verify one offline.
    #[command(subcommand)]
    Notice(notice::NoticeCommand),
    /// Fill an empty database with the deterministic demo dataset; `demo patents --count N`
    /// generates synthetic patents.
    Demo {
        #[command(subcommand)]
        what: Option<DemoCommand>,
    },
    /// Rebuild the patent search index from the database.
    Reindex,
    /// Benchmarks: each prints its figures and a baseline measured in the same run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Valuation calculators: relief from royalty, excess earnings, market comparables, cost.
    #[command(subcommand)]
    Value(value::ValueCommand),
    /// Loans: a repayment schedule as CSV, or the daily job.
    #[command(subcommand)]
    Loan(loan::LoanCommand),
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Synthetic patents for demos and benchmarks: written as JSON Lines with --out, else imported.
    Patents(patents::DemoPatentsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    context::init_logging();
    if let Command::Validate(args) = &cli.command {
        return validate::run(args);
    }
    if let Command::Notice(command) = cli.command {
        return notice::run(command).unwrap_or_else(|error| {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        });
    }
    if let Command::Loan(loan::LoanCommand::Schedule(args)) = &cli.command {
        return loan::schedule_command(args);
    }
    if matches!(&cli.command, Command::Value(command) if !matches!(command, value::ValueCommand::Backtest { .. }))
        && let Command::Value(command) = cli.command
    {
        return value::run(command);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async move {
        let done = match cli.command {
            Command::Serve(args) => serve::run(&cli.data, args).await,
            Command::Import(args) => transfer::import(&cli.data, args).await,
            Command::Export(args) => transfer::export(&cli.data, args).await,
            Command::Admin(command) => admin::run(&cli.data, command).await,
            Command::Calendar(command) => calendar::run(&cli.data, command).await,
            Command::Audit(command) => return audit::run(&cli.data, command).await,
            Command::Demo { what: None } => {
                let app = context::open_app(&cli.data).await?;
                context::load_demo(&app).await
            }
            Command::Demo {
                what: Some(DemoCommand::Patents(args)),
            } => patents::demo_patents(&cli.data, args).await,
            Command::Reindex => patents::reindex(&cli.data).await,
            Command::Bench(command) => bench::run(command).await,
            Command::Value(value::ValueCommand::Backtest { file, format }) => {
                return backtest::run(&cli.data, &file, format).await;
            }
            Command::Loan(loan::LoanCommand::Day { date }) => {
                return loan::day_command(&cli.data, date.as_deref()).await;
            }
            Command::Validate(_) | Command::Notice(_) | Command::Value(_) | Command::Loan(_) => {
                Ok(())
            }
        };
        done.map(|()| ExitCode::SUCCESS)
    });
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
