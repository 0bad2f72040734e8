//! `ipyun audit verify`: walks the audit log's hash chain and says whether it holds.

use crate::context;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Check every entry of the hash chain: prints `audit chain intact: N entries` and exits 0,
    /// or `audit chain broken at entry SEQ (id ID): REASON` and exits 1.
    Verify,
}

pub async fn run(data_dir: &Path, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify => {
            let db = context::open_db(data_dir).await?;
            let report = db.verify_audit_chain().await?;
            db.close().await;
            let outside = match report.unchained {
                0 => String::new(),
                1 => " (1 older entry, written before the chain began, is outside it)".to_string(),
                n => {
                    format!(" ({n} older entries, written before the chain began, are outside it)")
                }
            };
            match report.broken {
                None => {
                    let noun = if report.entries == 1 {
                        "entry"
                    } else {
                        "entries"
                    };
                    println!("audit chain intact: {} {noun}{outside}", report.entries);
                    Ok(ExitCode::SUCCESS)
                }
                Some(link) => {
                    let at = match link.id {
                        Some(id) => format!("entry {} (id {id})", link.seq),
                        None => format!("entry {} (the chain's head)", link.seq),
                    };
                    println!(
                        "audit chain broken at {at}: {}; {} entries before it hold",
                        link.reason, report.entries
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
