//! Attachments of an application (contracts, consents, commitment letters), kept with their hash.

use crate::{Db, DbError, on_pool};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttachmentRecord {
    pub id: i64,
    pub application_id: i64,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub created_at: DateTime<Utc>,
}

pub struct NewAttachment<'a> {
    pub application_id: i64,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: &'a str,
}

impl Db {
    pub async fn insert_attachment(
        &self,
        attachment: &NewAttachment<'_>,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let size = i64::try_from(attachment.content.len()).unwrap_or(i64::MAX);
        on_pool!(self, pool => {
            let mut transaction = pool.begin_with(crate::connect::BeginWrite::begin_write_statement(pool)).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO pledge_attachments (application_id, file_name, media_type, sha256, size_bytes, content, \
                 uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(attachment.application_id)
            .bind(attachment.file_name)
            .bind(attachment.media_type)
            .bind(attachment.sha256)
            .bind(size)
            .bind(attachment.content)
            .bind(attachment.uploaded_by)
            .bind(now)
            .fetch_one(&mut *transaction)
            .await?;
            let after = serde_json::json!({"application_id": attachment.application_id, "file_name": attachment.file_name,
                "sha256": attachment.sha256, "size_bytes": size}).to_string();
            crate::audit::append_in!(&mut *transaction, attachment.uploaded_by, "pledge_attachment.create",
                "pledge_attachment", id.to_string(), None::<&str>, Some(&after), now)?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    pub async fn list_attachments(
        &self,
        application_id: i64,
    ) -> Result<Vec<AttachmentRecord>, DbError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, application_id, file_name, media_type, sha256, size_bytes, uploaded_by, created_at \
             FROM pledge_attachments WHERE application_id = $1 ORDER BY id",
        )
        .bind(application_id)
        .fetch_all(pool)
        .await)?)
    }

    /// One attachment with its content.
    pub async fn get_attachment(
        &self,
        application_id: i64,
        id: i64,
    ) -> Result<Option<(AttachmentRecord, Vec<u8>)>, DbError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            record: AttachmentRecord,
            content: Vec<u8>,
        }
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, application_id, file_name, media_type, sha256, size_bytes, uploaded_by, created_at, content \
             FROM pledge_attachments WHERE application_id = $1 AND id = $2",
        )
        .bind(application_id)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|row| (row.record, row.content)))
    }
}
