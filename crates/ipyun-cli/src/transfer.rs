//! `ipyun import rights|parties FILE` and `ipyun export rights|parties FILE`: the operator acts as
//! the platform; a progress bar shows on a terminal; rejected rows are listed with row, column, rule.

use crate::context;
use ipyun_app::auth::system_principal;
use ipyun_app::transfer::{FileFormat, Subject};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct ImportArgs {
    /// rights, parties, patents, royalty-rates or ipc-industry
    subject: String,
    /// A .csv (UTF-8) or .xlsx file with a header row; patents also as .jsonl (JSON Lines).
    file: PathBuf,
    /// How many rejected rows to print (all are counted; the first 1,000 are kept with the run).
    #[arg(long, default_value_t = 50)]
    show_rejections: usize,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// rights or parties
    subject: String,
    /// The file to write: .csv or .xlsx.
    file: PathBuf,
}

fn progress_bar(length: u64, template: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

pub async fn import(data_dir: &Path, args: ImportArgs) -> anyhow::Result<()> {
    let subject = Subject::parse(&args.subject).map_err(crate::admin::describe)?;
    let app = context::open_app(data_dir).await?;
    let size = std::fs::metadata(&args.file)
        .map(|metadata| metadata.len())
        .unwrap_or(0);
    let bar = progress_bar(
        size,
        "{spinner} {bytes}/{total_bytes} [{bar:40}] {msg} ({eta})",
    );
    let report = app
        .import_file(&system_principal(), subject, &args.file, &|progress| {
            bar.set_position(progress.bytes_done);
            bar.set_message(format!("{} rows", progress.rows_done));
        })
        .await
        .map_err(crate::admin::describe)?;
    bar.finish_and_clear();
    println!(
        "import #{}: {} rows — {} inserted, {} updated, {} unchanged, {} rejected",
        report.import_id,
        report.total_rows,
        report.inserted,
        report.updated,
        report.unchanged,
        report.rejected
    );
    for rejection in report.rejections.iter().take(args.show_rejections) {
        println!(
            "  row {} · {} · {}: {}",
            rejection.row, rejection.field, rejection.code, rejection.message
        );
    }
    if report.rejections.len() > args.show_rejections {
        println!(
            "  … {} more findings (--show-rejections N)",
            report.rejections.len() - args.show_rejections
        );
    }
    Ok(())
}

pub async fn export(data_dir: &Path, args: ExportArgs) -> anyhow::Result<()> {
    let subject = Subject::parse(&args.subject).map_err(crate::admin::describe)?;
    let format = FileFormat::from_path(&args.file).map_err(crate::admin::describe)?;
    let app = context::open_app(data_dir).await?;
    let bar = progress_bar(0, "{spinner} {pos}/{len} rows [{bar:40}] ({eta})");
    let report = |progress: ipyun_app::transfer::ExportProgress| {
        bar.set_length(progress.rows_total);
        bar.set_position(progress.rows_done);
    };
    let operator = system_principal();
    let rows = match subject {
        Subject::Rights => {
            app.export_rights(&operator, format, &args.file, &report)
                .await
        }
        Subject::Parties => {
            app.export_parties(&operator, format, &args.file, &report)
                .await
        }
        Subject::RoyaltyRates => {
            anyhow::bail!(
                "the royalty-rate table is not exported; read it at /api/v1/royalty-rates"
            )
        }
        Subject::IpcIndustry => {
            anyhow::bail!(
                "the IPC-to-industry concordance is not exported; read it at /api/v1/ipc-industry"
            )
        }
        Subject::Patents => {
            anyhow::bail!("patents are exported as rights: ipyun export rights FILE")
        }
    }
    .map_err(crate::admin::describe)?;
    bar.finish_and_clear();
    println!(
        "exported {rows} {} to {}",
        subject.as_str(),
        args.file.display()
    );
    Ok(())
}
