//! `/appraisers` (signed-in users): the appraiser registry — each qualified appraiser with its
//! region, qualification certificate, the year it qualified, its fields of competence and the
//! valuation reports recorded under it.

use super::error::PageError;
use super::extract::SignedIn;
use super::views::region_name;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use ipyun_app::appraisers::AppraiserRecord;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
struct AppraiserRow {
    href: String,
    name: String,
    region: Option<String>,
    region_name: String,
    qualification_no: String,
    qualified_since: Option<NaiveDate>,
    /// IPC sections or GB/T 4754 industry codes.
    fields: Vec<String>,
    reports: i64,
}

impl From<AppraiserRecord> for AppraiserRow {
    fn from(record: AppraiserRecord) -> Self {
        AppraiserRow {
            href: format!("/parties/{}", record.party_id),
            region_name: record
                .region
                .as_deref()
                .map(region_name)
                .unwrap_or_default(),
            region: record.region,
            name: record.name,
            qualification_no: record.qualification_no,
            qualified_since: record.qualified_since,
            fields: serde_json::from_str(&record.fields).unwrap_or_default(),
            reports: record.reports,
        }
    }
}

#[derive(Serialize)]
struct AppraisersView {
    rows: Vec<AppraiserRow>,
}

/// `GET /appraisers`: the registry.
pub async fn list_appraisers(
    State(state): State<AppState>,
    SignedIn { frame, .. }: SignedIn,
) -> Result<Response, PageError> {
    let records = state
        .app
        .list_appraisers()
        .await
        .map_err(|error| frame.fail(error))?;
    let view = AppraisersView {
        rows: records.into_iter().map(AppraiserRow::from).collect(),
    };
    frame.render("appraisers.html", &view)
}

#[cfg(test)]
pub(super) mod samples {
    use super::*;

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let record = AppraiserRecord {
            party_id: 31,
            name: "中联资产评估有限公司 <script>".into(),
            region: Some("110105".into()),
            qualification_no: "11020001".into(),
            qualified_since: NaiveDate::from_ymd_opt(2015, 6, 1),
            fields: "[\"H\",\"C39\"]".into(),
            reports: 3,
        };
        let bare = AppraiserRecord {
            region: None,
            qualified_since: None,
            fields: "not json".into(),
            reports: 0,
            ..record.clone()
        };
        let full = AppraisersView {
            rows: vec![record.into(), bare.into()],
        };
        let empty = AppraisersView { rows: Vec::new() };
        [full, empty]
            .into_iter()
            .map(|view| ("appraisers.html", minijinja::Value::from_serialize(view)))
            .collect()
    }
}
