//! Patent search and navigation (issue 8): public like the register, rate-limited per client.
//! `GET /api/v1/patents/search?q=…&limit=…&offset=…` answers `{"total","hits":[…],"facets":{…}}`
//! (`total` exact); `GET /api/v1/patents/landscape?q=…` the landscape report as JSON, and
//! `/api/v1/patents/landscape.xlsx?q=…` as a workbook.

use crate::auth::MaybeActor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ipyun_app::patents::PatentQuery;
use serde::Deserialize;

/// Longest query string accepted, in bytes (a 1,000-character Chinese query is about 9 KB
/// URL-encoded); longer is a 400 naming the bound.
const MAX_QUERY_STRING: usize = 16 * 1024;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query: words (ranked by BM25), "quoted strings" (exact), field filters
    /// `applicant:` `inventor:` `ipc:` `region:` `kind:` `status:` `filed:2019..2021`,
    /// AND / OR / NOT, parentheses. At most 1,000 characters.
    pub q: Option<String>,
    /// 1 to 100 (default 20).
    pub limit: Option<usize>,
    /// At most 10,000.
    pub offset: Option<usize>,
    /// `relevance` (default) or `date` (filing date, newest first).
    pub sort: Option<String>,
    /// Count facets (default true).
    pub facets: Option<bool>,
}

fn params<T: serde::de::DeserializeOwned>(raw: Option<String>) -> Result<T, ApiError> {
    super::parse_query_string(raw.as_deref().unwrap_or_default(), MAX_QUERY_STRING)
}

/// Full-text search of the patents: ranked hits with highlighted snippets, an exact total and
/// facets by kind, legal status, filing year, province and IPC section, class and subclass.
#[utoipa::path(get, path = "/api/v1/patents/search", tag = "patents", security(()), params(SearchParams),
    responses((status = 200, description = "`{total, hits: [{application_no, title, title_html, score, highlight, kind, legal_status, filing_date, applicants, ipc_main, …}], facets}`", body = Object),
        (status = 400, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn search_patents(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params: SearchParams = params(raw)?;
    let query = PatentQuery {
        q: params.q.unwrap_or_default(),
        limit: params.limit,
        offset: params.offset,
        sort: params.sort,
        facets: params.facets.unwrap_or(true),
    };
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let results = state.app.search_patents(principal, &query).await?;
    Ok(Json(results).into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LandscapeParams {
    /// The query, as for search.
    pub q: Option<String>,
}

/// The landscape (patent navigation) report of a query: filings per year and IPC subclass, top
/// applicants with their growth, new entrants, provinces, legal-status mix, co-applicant pairs,
/// the share of grants.
#[utoipa::path(get, path = "/api/v1/patents/landscape", tag = "patents", security(()), params(LandscapeParams),
    responses((status = 200, description = "The landscape report", body = Object),
        (status = 400, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn patent_landscape(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params: LandscapeParams = params(raw)?;
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let report = state
        .app
        .patent_landscape(principal, params.q.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(report).into_response())
}

/// The landscape report as an XLSX workbook.
#[utoipa::path(get, path = "/api/v1/patents/landscape.xlsx", tag = "patents", security(()), params(LandscapeParams),
    responses((status = 200, description = "An XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn patent_landscape_xlsx(
    State(state): State<AppState>,
    MaybeActor(actor, _): MaybeActor,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params: LandscapeParams = params(raw)?;
    let principal = actor.as_ref().map(|actor| &actor.principal);
    let bytes = state
        .app
        .patent_landscape_xlsx(principal, params.q.as_deref().unwrap_or(""))
        .await?;
    let mut response = bytes.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"landscape.xlsx\""),
    );
    Ok(response)
}
