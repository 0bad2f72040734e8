//! `/api/v1/pledge-sla`: the decision-time report (P3's service level).

use super::ApiQuery;
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use ipyun_app::pledge::PledgeSlaReport;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlaQuery {
    /// First day of receipt (China's date); default: 29 days before `to`.
    pub from: Option<NaiveDate>,
    /// Last day of receipt (China's date); default: today. At most 366 days after `from`.
    pub to: Option<NaiveDate>,
}

/// Decision times of the applications received in a range, per office and per lender: received,
/// decided, on-time share, median and 95th-percentile minutes to decision (awaiting-cure time
/// excluded), still-open overdue. Offices, examiners and administrators; a lender sees its own row.
#[utoipa::path(get, path = "/api/v1/pledge-sla", tag = "pledges", params(SlaQuery),
    responses((status = 200, body = PledgeSlaReport), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn get_pledge_sla(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<SlaQuery>,
) -> Result<Json<PledgeSlaReport>, ApiError> {
    Ok(Json(
        state
            .app
            .pledge_sla(&actor.principal, query.from, query.to)
            .await?,
    ))
}
