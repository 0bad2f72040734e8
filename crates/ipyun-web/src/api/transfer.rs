//! `/api/v1/imports` and `/api/v1/exports`: bulk transfer of rights and parties (feature R4).

use super::{ApiPath, ApiQuery, Created};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ipyun_app::transfer::{FileFormat, ImportReport, Subject};
use serde::{Deserialize, Serialize};

/// Uploads are bounded: 256 MiB a file.
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// `rights` or `parties`
    pub subject: String,
    /// The file's name; its extension (`.csv` or `.xlsx`) tells the format.
    pub file_name: String,
}

/// Import a CSV or XLSX file sent as the request body; answers with the row-by-row report.
#[utoipa::path(post, path = "/api/v1/imports", tag = "transfer", params(ImportParams),
    request_body(content = String, content_type = "application/octet-stream"),
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 413, body = ErrorEnvelope)))]
pub async fn create_import(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Created<ImportReport>, ApiError> {
    let subject = Subject::parse(&params.subject)?;
    let bytes = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            "payload_too_large",
            format!("an upload is at most {MAX_UPLOAD_BYTES} bytes"),
        )
    })?;
    let report = state
        .app
        .import_bytes(
            &actor.principal,
            subject,
            &params.file_name,
            bytes.to_vec(),
            &|_| {},
        )
        .await?;
    Ok(Created(report))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportRun {
    pub id: i64,
    pub subject: String,
    pub file_name: String,
    pub status: String,
    pub total_rows: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    /// The stored rejections (at most 1,000), as JSON.
    pub report: serde_json::Value,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<ipyun_app::ImportRecord> for ImportRun {
    fn from(record: ipyun_app::ImportRecord) -> Self {
        Self {
            id: record.id,
            subject: record.subject,
            file_name: record.file_name,
            status: record.status,
            total_rows: record.total_rows,
            inserted: record.inserted,
            updated: record.updated,
            unchanged: record.unchanged,
            rejected: record.rejected,
            report: serde_json::from_str(&record.report).unwrap_or(serde_json::Value::Null),
            created_by: record.created_by,
            created_at: record.created_at,
            finished_at: record.finished_at,
        }
    }
}

/// The latest import runs.
#[utoipa::path(get, path = "/api/v1/imports", tag = "transfer",
    responses((status = 200, body = [ImportRun]), (status = 403, body = ErrorEnvelope)))]
pub async fn list_imports(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<ImportRun>>, ApiError> {
    let runs = state.app.list_imports(&actor.principal).await?;
    Ok(Json(runs.into_iter().map(ImportRun::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "transfer", params(("id" = i64, Path)),
    responses((status = 200, body = ImportRun), (status = 404, body = ErrorEnvelope)))]
pub async fn get_import(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ImportRun>, ApiError> {
    Ok(Json(ImportRun::from(
        state.app.get_import(&actor.principal, id).await?,
    )))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportParams {
    /// `csv` (default) or `xlsx`
    pub format: Option<String>,
}

/// Export the rights or parties the caller may see, in the import layout.
#[utoipa::path(get, path = "/api/v1/exports/{subject}", tag = "transfer", params(("subject" = String, Path), ExportParams),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorEnvelope)))]
pub async fn export(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(subject): ApiPath<String>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let subject = Subject::parse(&subject)?;
    let format = FileFormat::from_file_name(&format!(
        "export.{}",
        params.format.as_deref().unwrap_or("csv")
    ))?;
    let temporary = tempfile::NamedTempFile::new().map_err(|error| {
        ApiError::from(ipyun_app::AppError::new(
            ipyun_app::ErrorKind::Internal,
            "internal",
            error.to_string(),
        ))
    })?;
    match subject {
        Subject::Rights => {
            state
                .app
                .export_rights(&actor.principal, format, temporary.path(), &|_| {})
                .await?
        }
        Subject::Parties => {
            state
                .app
                .export_parties(&actor.principal, format, temporary.path(), &|_| {})
                .await?
        }
        Subject::RoyaltyRates => {
            return Err(ApiError::bad_request(
                "export.unsupported_subject",
                "the royalty-rate table is read at /api/v1/royalty-rates",
            ));
        }
        Subject::IpcIndustry => {
            return Err(ApiError::bad_request(
                "export.unsupported_subject",
                "the IPC-to-industry concordance is read at /api/v1/ipc-industry",
            ));
        }
        Subject::Patents => {
            return Err(ApiError::bad_request(
                "export.unsupported_subject",
                "patents are read through /api/v1/patents/search and /api/v1/rights",
            ));
        }
    };
    // The open file outlives its name: the temporary path is removed when `temporary` drops.
    let file = tokio::fs::File::open(temporary.path())
        .await
        .map_err(|error| {
            ApiError::from(ipyun_app::AppError::new(
                ipyun_app::ErrorKind::Internal,
                "internal",
                error.to_string(),
            ))
        })?;
    drop(temporary);
    let content_type = match format {
        FileFormat::Csv => "text/csv; charset=utf-8",
        FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileFormat::Jsonl => "application/x-ndjson",
    };
    let disposition = format!(
        "attachment; filename=\"{}.{}\"",
        subject.as_str(),
        format.extension()
    );
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
