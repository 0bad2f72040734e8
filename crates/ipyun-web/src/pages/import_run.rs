//! `/imports/{id}`: one import run, with the findings its report keeps (IP offices and
//! administrators).

use super::error::PageError;
use super::extract::{PagePath, SignedIn};
use super::imports::{RunRow, SHOWN_REJECTIONS};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

/// One finding of a stored report: `{"row":3,"field":"number","code":"check_digit","message":"…"}`;
/// row 0 is a finding about the whole file.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Finding {
    row: u64,
    field: String,
    code: String,
    message: String,
}

#[derive(Serialize)]
struct RunView {
    run: RunRow,
    rejections: Vec<Finding>,
    findings_not_shown: usize,
}

impl RunView {
    fn new(run: RunRow, report_json: &str) -> Self {
        let mut rejections: Vec<Finding> = serde_json::from_str(report_json).unwrap_or_default();
        let findings_not_shown = rejections.len().saturating_sub(SHOWN_REJECTIONS);
        rejections.truncate(SHOWN_REJECTIONS);
        RunView {
            run,
            rejections,
            findings_not_shown,
        }
    }
}

/// `GET /imports/{id}`.
pub async fn get_import(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Err(PageError::with_status(
            frame,
            StatusCode::NOT_FOUND,
            "import.not_found",
        ));
    };
    let record = state
        .app
        .get_import(&actor.principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let report_json = record.report.clone();
    frame.render(
        "import.html",
        &RunView::new(RunRow::from(record), &report_json),
    )
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let report = r#"[{"row":3,"field":"number","code":"check_digit","message":"bad"},{"row":0,"field":"file","code":"import.no_header","message":"no header"}]"#;
        vec![
            (
                "import.html",
                minijinja::Value::from_serialize(RunView::new(
                    super::super::imports::samples::run(),
                    report,
                )),
            ),
            (
                "import.html",
                minijinja::Value::from_serialize(RunView::new(
                    super::super::imports::samples::run(),
                    "not json",
                )),
            ),
        ]
    }
}
