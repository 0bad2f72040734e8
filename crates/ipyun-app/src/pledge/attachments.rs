//! Attachments (P1): PDF files an application carries (contracts, consents, the commitment letter),
//! bounded in size and number, stored with their SHA-256.

use super::{conflict, may_see, not_found};
use crate::{App, AppError, ErrorKind};
use chrono::{DateTime, Utc};
use ipyun_db::pledges::{AttachmentRecord, NewAttachment};
use ipyun_domain::account::{Principal, Role};
use serde::Serialize;
use sha2::Digest;

pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ATTACHMENTS: usize = 20;
const MAX_FILE_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub media_type: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<AttachmentRecord> for AttachmentView {
    fn from(record: AttachmentRecord) -> Self {
        AttachmentView {
            id: record.id,
            file_name: record.file_name,
            media_type: record.media_type,
            sha256: record.sha256,
            size_bytes: record.size_bytes,
            uploaded_by: record.uploaded_by,
            created_at: record.created_at,
        }
    }
}

fn bad(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(ErrorKind::BadRequest, code, message)
}

impl App {
    /// The file names attached to an application, read only when the examination needs them
    /// (an application that states a valuation must carry its report).
    pub(crate) async fn attachment_names(
        &self,
        application_id: Option<i64>,
        application: &ipyun_domain::pledge::PledgeApplication,
    ) -> Result<Vec<String>, AppError> {
        match (application_id, &application.valuation) {
            (Some(id), Some(_)) => Ok(self
                .db
                .list_attachments(id)
                .await?
                .into_iter()
                .map(|found| found.file_name)
                .collect()),
            _ => Ok(Vec::new()),
        }
    }

    /// A party attaches a PDF to an application not yet decided.
    pub async fn add_attachment(
        &self,
        principal: &Principal,
        application_id: i64,
        file_name: &str,
        content: &[u8],
    ) -> Result<AttachmentView, AppError> {
        let record = self
            .db
            .get_pledge_application(application_id)
            .await?
            .ok_or_else(|| not_found(application_id))?;
        if !may_see(principal, &record)
            || !matches!(principal.role, Role::Lender | Role::Enterprise)
        {
            return Err(not_found(application_id));
        }
        if record.status.is_final() {
            return Err(conflict(
                "attachment.application_decided",
                "the application is decided: nothing more can be attached",
            ));
        }
        let name = file_name.trim();
        let name_ok = !name.is_empty()
            && name.chars().count() <= MAX_FILE_NAME_CHARS
            && !name.contains(['/', '\\', '\0'])
            && name.to_ascii_lowercase().ends_with(".pdf");
        if !name_ok {
            return Err(bad(
                "attachment.bad_file_name",
                "a file name ending in .pdf, at most 200 characters, without slashes",
            ));
        }
        if content.is_empty() || content.len() > MAX_ATTACHMENT_BYTES {
            return Err(bad(
                "attachment.size",
                format!("a PDF of 1 byte to {MAX_ATTACHMENT_BYTES} bytes"),
            ));
        }
        if !content.starts_with(b"%PDF-") {
            return Err(bad(
                "attachment.not_pdf",
                "the file is not a PDF (it does not start with %PDF-)",
            ));
        }
        if self.db.list_attachments(application_id).await?.len() >= MAX_ATTACHMENTS {
            return Err(conflict(
                "attachment.too_many",
                format!("at most {MAX_ATTACHMENTS} attachments per application"),
            ));
        }
        let sha256 = hex::encode(sha2::Sha256::digest(content));
        let id = self
            .db
            .insert_attachment(
                &NewAttachment {
                    application_id,
                    file_name: name,
                    media_type: "application/pdf",
                    sha256: &sha256,
                    content,
                    uploaded_by: &principal.username,
                },
                self.clock.now(),
            )
            .await?;
        let (stored, _) = self
            .db
            .get_attachment(application_id, id)
            .await?
            .ok_or_else(|| AppError::not_found("attachment.not_found", "attachment vanished"))?;
        Ok(stored.into())
    }

    pub async fn list_attachments(
        &self,
        principal: &Principal,
        application_id: i64,
    ) -> Result<Vec<AttachmentView>, AppError> {
        let record = self
            .db
            .get_pledge_application(application_id)
            .await?
            .ok_or_else(|| not_found(application_id))?;
        if !may_see(principal, &record) {
            return Err(not_found(application_id));
        }
        Ok(self
            .db
            .list_attachments(application_id)
            .await?
            .into_iter()
            .map(AttachmentView::from)
            .collect())
    }

    pub async fn get_attachment(
        &self,
        principal: &Principal,
        application_id: i64,
        id: i64,
    ) -> Result<(AttachmentView, Vec<u8>), AppError> {
        let record = self
            .db
            .get_pledge_application(application_id)
            .await?
            .ok_or_else(|| not_found(application_id))?;
        if !may_see(principal, &record) {
            return Err(not_found(application_id));
        }
        let (stored, content) = self
            .db
            .get_attachment(application_id, id)
            .await?
            .ok_or_else(|| {
                AppError::not_found("attachment.not_found", format!("no attachment {id}"))
            })?;
        Ok((stored.into(), content))
    }
}
