//! The import use case: authorisation, bounds, and the record of each run in `imports`.

use super::{
    FileFormat, ImportProgress, ImportReport, Input, MAX_IMPORT_BYTES, Rejection, Subject, Tally,
};
use crate::{App, AppError, ErrorKind, Principal};
use ipyun_db::imports::ImportTotals;
use std::path::Path;

fn authorise(principal: &Principal) -> Result<(), AppError> {
    if principal.may_import() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only IP offices and administrators import files",
        ))
    }
}

fn check_size(bytes: u64) -> Result<(), AppError> {
    if bytes > MAX_IMPORT_BYTES {
        return Err(AppError::new(
            ErrorKind::BadRequest,
            "import.too_large",
            format!(
                "a file holds at most {} bytes (2 GiB); this one has {bytes}",
                MAX_IMPORT_BYTES
            ),
        ));
    }
    Ok(())
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl App {
    /// Imports a `.csv` (UTF-8, a BOM allowed) or `.xlsx` file (its first sheet) of rights or parties.
    pub async fn import_file(
        &self,
        principal: &Principal,
        subject: Subject,
        path: &Path,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport, AppError> {
        authorise(principal)?;
        let format = FileFormat::from_path(path)?;
        let metadata = tokio::fs::metadata(path).await.map_err(|error| {
            AppError::new(
                ErrorKind::BadRequest,
                "import.unreadable",
                format!("cannot read {}: {error}", path.display()),
            )
        })?;
        check_size(metadata.len())?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let input = Input::File(path.to_path_buf());
        self.run_import(
            principal,
            subject,
            &file_name,
            format,
            input,
            metadata.len(),
            progress,
        )
        .await
    }

    /// Imports an uploaded file; `file_name` tells its format.
    pub async fn import_bytes(
        &self,
        principal: &Principal,
        subject: Subject,
        file_name: &str,
        bytes: Vec<u8>,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport, AppError> {
        authorise(principal)?;
        let format = FileFormat::from_file_name(file_name)?;
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        check_size(size)?;
        let file_name: String = file_name.trim().chars().take(255).collect();
        self.run_import(
            principal,
            subject,
            &file_name,
            format,
            Input::Bytes(bytes),
            size,
            progress,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn run_import(
        &self,
        principal: &Principal,
        subject: Subject,
        file_name: &str,
        format: FileFormat,
        input: Input,
        bytes_total: u64,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportReport, AppError> {
        let actor = principal.username.as_str();
        let import_id = self
            .db
            .start_import(subject.as_str(), file_name, actor, self.clock.now())
            .await?;
        tracing::info!(
            import_id,
            subject = subject.as_str(),
            file_name,
            bytes_total,
            "import started"
        );
        let (tally, outcome) = match subject {
            Subject::Rights => {
                self.import_rights(actor, input, format, bytes_total, progress)
                    .await
            }
            Subject::Parties => {
                self.import_parties(principal, input, format, bytes_total, progress)
                    .await
            }
            Subject::RoyaltyRates => {
                self.import_royalty_rates(actor, input, format, bytes_total)
                    .await
            }
            Subject::IpcIndustry => {
                self.import_ipc_industry(actor, input, format, bytes_total)
                    .await
            }
            Subject::Patents => {
                self.import_patents(actor, input, format, bytes_total, progress)
                    .await
            }
        };
        let totals = ImportTotals {
            total_rows: count(tally.total_rows),
            inserted: count(tally.inserted),
            updated: count(tally.updated),
            unchanged: count(tally.unchanged),
            rejected: count(tally.rejected),
        };
        let Tally { rejections, .. } = tally;
        match outcome {
            Ok(()) => {
                let report_json =
                    serde_json::to_string(&rejections).unwrap_or_else(|_| "[]".into());
                self.db
                    .finish_import(
                        import_id,
                        "finished",
                        totals,
                        &report_json,
                        actor,
                        self.clock.now(),
                    )
                    .await?;
                tracing::info!(import_id, ?totals, "import finished");
                Ok(ImportReport {
                    import_id,
                    total_rows: tally.total_rows,
                    inserted: tally.inserted,
                    updated: tally.updated,
                    unchanged: tally.unchanged,
                    rejected: tally.rejected,
                    rejections,
                })
            }
            Err(error) => {
                let mut stored = rejections;
                stored.truncate(super::MAX_REPORTED_REJECTIONS - 1);
                stored.push(Rejection::new(0, "file", error.code, error.message.clone()));
                let report_json = serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into());
                if let Err(finish_error) = self
                    .db
                    .finish_import(
                        import_id,
                        "failed",
                        totals,
                        &report_json,
                        actor,
                        self.clock.now(),
                    )
                    .await
                {
                    tracing::error!(import_id, error = %finish_error, "cannot record the failed import");
                }
                tracing::warn!(import_id, code = error.code, message = %error.message, "import failed");
                Err(error)
            }
        }
    }
}
