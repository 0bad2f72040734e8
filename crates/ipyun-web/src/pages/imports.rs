//! `/imports`: the latest import runs, and uploading a CSV or XLSX file of rights or parties
//! (IP offices and administrators). The upload is a multipart form; its CSRF token travels in the
//! query string because the body is read only after the token is checked.

use super::error::{PageError, error_key};
use super::extract::{PageQuery, SignedIn};
use super::frame::PageFrame;
use super::views::local_time;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use ipyun_app::transfer::{ImportReport, Rejection, Subject};
use ipyun_app::{AppError, ImportRecord, Principal};
use serde::{Deserialize, Serialize};

/// Largest upload the page accepts (the command line takes larger files).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Runs listed on the page.
const LISTED_RUNS: usize = 50;
/// Rejections shown on a page; the counts stay exact.
pub(super) const SHOWN_REJECTIONS: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports/{id}", get(super::import_run::get_import))
        .route(
            "/imports",
            get(list_imports)
                .merge(post(create_import).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))),
        )
}

/// One import run as the pages show it.
#[derive(Clone, Serialize)]
pub(super) struct RunRow {
    id: i64,
    href: String,
    subject: String,
    file_name: String,
    status: String,
    total_rows: i64,
    inserted: i64,
    updated: i64,
    unchanged: i64,
    rejected: i64,
    created_by: String,
    created_at: String,
    finished_at: Option<String>,
}

impl From<ImportRecord> for RunRow {
    fn from(record: ImportRecord) -> Self {
        RunRow {
            id: record.id,
            href: format!("/imports/{}", record.id),
            subject: record.subject,
            file_name: record.file_name,
            status: record.status,
            total_rows: record.total_rows,
            inserted: record.inserted,
            updated: record.updated,
            unchanged: record.unchanged,
            rejected: record.rejected,
            created_by: record.created_by,
            created_at: local_time(record.created_at),
            finished_at: record.finished_at.map(local_time),
        }
    }
}

#[derive(Serialize)]
struct ReportView {
    subject: &'static str,
    file_name: String,
    total_rows: u64,
    inserted: u64,
    updated: u64,
    unchanged: u64,
    rejected: u64,
    rejections: Vec<Rejection>,
    findings_not_shown: usize,
}

impl ReportView {
    fn new(subject: Subject, file_name: String, mut report: ImportReport) -> Self {
        let findings_not_shown = report.rejections.len().saturating_sub(SHOWN_REJECTIONS);
        report.rejections.truncate(SHOWN_REJECTIONS);
        ReportView {
            subject: subject.as_str(),
            file_name,
            total_rows: report.total_rows,
            inserted: report.inserted,
            updated: report.updated,
            unchanged: report.unchanged,
            rejected: report.rejected,
            rejections: report.rejections,
            findings_not_shown,
        }
    }
}

#[derive(Serialize)]
struct ImportsView {
    may_import: bool,
    runs: Vec<RunRow>,
    report: Option<ReportView>,
    error_key: Option<String>,
    max_upload_mib: usize,
}

/// The latest runs, for those who may import (the others see none).
async fn recent_runs(state: &AppState, principal: &Principal) -> Result<Vec<RunRow>, AppError> {
    if !principal.may_import() {
        return Ok(Vec::new());
    }
    let records = state.app.list_imports(principal).await?;
    Ok(records
        .into_iter()
        .take(LISTED_RUNS)
        .map(RunRow::from)
        .collect())
}

/// Renders the page: the runs, and the outcome of an upload if there was one.
async fn imports_page(
    state: &AppState,
    frame: &PageFrame,
    principal: &Principal,
    status: StatusCode,
    report: Option<ReportView>,
    error_key: Option<String>,
) -> Result<Response, PageError> {
    let runs = recent_runs(state, principal)
        .await
        .map_err(|error| frame.fail(error))?;
    let view = ImportsView {
        may_import: principal.may_import(),
        runs,
        report,
        error_key,
        max_upload_mib: MAX_UPLOAD_BYTES / (1024 * 1024),
    };
    frame.render_with_status(status, "imports.html", &view)
}

/// `GET /imports`.
pub async fn list_imports(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
) -> Result<Response, PageError> {
    imports_page(&state, &frame, &actor.principal, StatusCode::OK, None, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UploadQuery {
    csrf_token: Option<String>,
}

/// What the form sent.
struct Upload {
    subject: Subject,
    file_name: String,
    bytes: Vec<u8>,
}

fn upload_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "import.too_large",
            "the file is too large for an upload",
        )
    } else {
        ApiError::bad_request("import.bad_upload", "the upload could not be read")
    }
}

async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> Result<Upload, ApiError> {
    let mut multipart = multipart
        .map_err(|_| ApiError::bad_request("import.bad_upload", "send the form as multipart"))?;
    let (mut subject, mut file) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name() {
            Some("subject") => subject = Some(field.text().await.map_err(upload_error)?),
            Some("file") => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                file = Some((
                    file_name,
                    Vec::from(field.bytes().await.map_err(upload_error)?),
                ));
            }
            _ => {}
        }
    }
    let subject = Subject::parse(subject.as_deref().unwrap_or_default())?;
    let Some((file_name, bytes)) = file.filter(|(name, _)| !name.trim().is_empty()) else {
        return Err(ApiError::bad_request(
            "import.no_file",
            "choose a file to import",
        ));
    };
    Ok(Upload {
        subject,
        file_name,
        bytes,
    })
}

/// `POST /imports?csrf_token=…`: imports the uploaded file and shows its report. A fault of the
/// file shows the page again with the reason; roles that may not import get `403`.
pub async fn create_import(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PageQuery(query): PageQuery<UploadQuery>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    actor
        .check_csrf(query.csrf_token.as_deref())
        .map_err(|error| frame.fail(error))?;
    if !principal.may_import() {
        return Err(PageError::with_status(
            frame,
            StatusCode::FORBIDDEN,
            "import.forbidden",
        ));
    }
    match run_upload(&state, principal, multipart).await {
        Ok(report) => {
            imports_page(
                &state,
                &frame,
                principal,
                StatusCode::OK,
                Some(report),
                None,
            )
            .await
        }
        Err(error) if error.status.is_client_error() => {
            let key = Some(error_key(&error.code)).filter(|key| frame.has_text(key));
            let key = key.unwrap_or_else(|| "error-import-failed".to_string());
            imports_page(&state, &frame, principal, error.status, None, Some(key)).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

/// Reads the form and imports its file.
async fn run_upload(
    state: &AppState,
    principal: &Principal,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<ReportView, ApiError> {
    let upload = read_upload(multipart).await?;
    let report = state
        .app
        .import_bytes(
            principal,
            upload.subject,
            &upload.file_name,
            upload.bytes,
            &|_| {},
        )
        .await?;
    Ok(ReportView::new(upload.subject, upload.file_name, report))
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;

    pub fn run() -> RunRow {
        RunRow {
            id: 3,
            href: "/imports/3".into(),
            subject: "rights".into(),
            file_name: "rights-2024.xlsx".into(),
            status: "finished".into(),
            total_rows: 1200,
            inserted: 1100,
            updated: 50,
            unchanged: 40,
            rejected: 10,
            created_by: "admin".into(),
            created_at: "2024-05-01 10:00".into(),
            finished_at: None,
        }
    }

    pub fn views(may_import: bool) -> Vec<(&'static str, minijinja::Value)> {
        let run = run();
        let report = ImportReport {
            import_id: 3,
            total_rows: 1200,
            inserted: 1100,
            updated: 50,
            unchanged: 40,
            rejected: 10,
            rejections: vec![Rejection {
                row: 3,
                field: "number".into(),
                code: "check_digit".into(),
                message: "the check digit should be 7".into(),
            }],
        };
        let page = |report: Option<ReportView>, error_key: Option<String>| ImportsView {
            may_import,
            runs: vec![run.clone()],
            report,
            error_key,
            max_upload_mib: 256,
        };
        vec![
            (
                "imports.html",
                minijinja::Value::from_serialize(page(None, None)),
            ),
            (
                "imports.html",
                minijinja::Value::from_serialize(page(
                    Some(ReportView::new(Subject::Rights, "r.csv".into(), report)),
                    None,
                )),
            ),
            (
                "imports.html",
                minijinja::Value::from_serialize(page(None, Some("error-import-no_file".into()))),
            ),
        ]
    }
}
