//! The record of import runs: who may read it.

use crate::{App, AppError, Principal};
pub use ipyun_db::imports::ImportRecord;

const MAX_LISTED_RUNS: i64 = 100;

impl App {
    /// The latest import runs, newest first (those who may import).
    pub async fn list_imports(&self, principal: &Principal) -> Result<Vec<ImportRecord>, AppError> {
        if !principal.may_import() {
            return Err(AppError::forbidden(
                "only IP offices and administrators see import runs",
            ));
        }
        Ok(self.db.list_imports(MAX_LISTED_RUNS).await?)
    }

    pub async fn get_import(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<ImportRecord, AppError> {
        if !principal.may_import() {
            return Err(AppError::forbidden(
                "only IP offices and administrators see import runs",
            ));
        }
        self.db
            .get_import(id)
            .await?
            .ok_or_else(|| AppError::not_found("import.not_found", format!("no import run {id}")))
    }
}
