//! `ipyun reindex` (rebuild the search index from the database) and
//! `ipyun demo patents --count N [--seed S] [--out FILE]` (synthetic patents: written as JSON
//! Lines, or imported into the database and indexed when no file is named).

use crate::context;
use anyhow::Context;
use ipyun_app::auth::system_principal;
use ipyun_app::transfer::{ImportProgress, ImportReport, Subject};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct DemoPatentsArgs {
    /// How many patents.
    #[arg(long, default_value_t = 10_000)]
    pub count: usize,
    /// The generator's seed: the same seed, the same patents.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write JSON Lines here (`-` for standard output) instead of importing them.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn bar(length: u64, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Rebuilds the index from every patent of the register.
pub async fn reindex(data_dir: &Path) -> anyhow::Result<()> {
    let app = context::open_app(data_dir).await?;
    let progress = bar(0, "{spinner} {pos} patents indexed ({per_sec})");
    let report = app
        .rebuild_search_index(&system_principal(), &|step| {
            progress.set_position(step.indexed)
        })
        .await
        .map_err(crate::admin::describe)?;
    progress.finish_and_clear();
    println!(
        "search index rebuilt: {} patents indexed in {:.1} s (up to change {})",
        report.indexed,
        report.millis as f64 / 1000.0,
        report.change
    );
    Ok(())
}

/// Writes the generated patents to `out`, or imports them.
pub async fn demo_patents(data_dir: &Path, args: DemoPatentsArgs) -> anyhow::Result<()> {
    let docs = ipyun_search::generator::generate(args.count, args.seed);
    if let Some(out) = &args.out {
        let written = if out.as_os_str() == "-" {
            let stdout = std::io::stdout();
            ipyun_search::generator::write_jsonl(docs, std::io::BufWriter::new(stdout.lock()))?
        } else {
            let file = std::fs::File::create(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let progress = bar(
                args.count as u64,
                "{spinner} [{bar:40}] {pos}/{len} patents",
            );
            let counted = docs.inspect(|_| progress.inc(1));
            let written = ipyun_search::generator::write_jsonl(
                counted,
                std::io::BufWriter::with_capacity(1 << 20, file),
            )?;
            progress.finish_and_clear();
            written
        };
        if out.as_os_str() != "-" {
            println!("{written} patents written to {}", out.display());
        } else {
            std::io::stdout().flush()?;
        }
        return Ok(());
    }
    let app = context::open_app(data_dir).await?;
    let progress = bar(
        args.count as u64,
        "{spinner} [{bar:40}] {pos}/{len} patents imported",
    );
    let report = import_generated(&app, args.count, args.seed, &|step| {
        progress.set_position(step.rows_done)
    })
    .await?;
    progress.finish_and_clear();
    println!(
        "import #{}: {} patents — {} inserted, {} updated, {} unchanged; the index caught up",
        report.import_id, report.total_rows, report.inserted, report.updated, report.unchanged
    );
    Ok(())
}

/// Imports `count` generated patents as any patent file is imported (through a JSON Lines file):
/// into the register's records, then the index.
pub async fn import_generated(
    app: &ipyun_app::App,
    count: usize,
    seed: u64,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> anyhow::Result<ImportReport> {
    let directory = tempfile::tempdir().context("cannot create a temporary directory")?;
    let file = directory.path().join("patents.jsonl");
    ipyun_search::generator::write_jsonl(
        ipyun_search::generator::generate(count, seed),
        std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&file)
                .with_context(|| format!("cannot create {}", file.display()))?,
        ),
    )?;
    app.import_file(&system_principal(), Subject::Patents, &file, progress)
        .await
        .map_err(crate::admin::describe)
}
