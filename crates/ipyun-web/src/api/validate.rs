//! `/api/v1/validate/{kind}`: check an identifier and get its normal form.

use super::{ApiJson, ApiPath};
use crate::auth::Actor;
use crate::error::{ApiError, ErrorEnvelope};
use axum::Json;

use ipyun_domain::id::{IDENTIFIER_KINDS, validate_identifier};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    pub value: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ValidateAnswer {
    pub valid: bool,
    pub normal_form: Option<String>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
}

/// Validate an identifier: uscc, application-no, trademark-no, region, industry, ipc, nice.
#[utoipa::path(post, path = "/api/v1/validate/{kind}", tag = "identifiers", params(("kind" = String, Path)),
    request_body = ValidateRequest, responses((status = 200, body = ValidateAnswer), (status = 404, body = ErrorEnvelope)))]
pub async fn validate(
    _actor: Actor,
    ApiPath(kind): ApiPath<String>,
    ApiJson(request): ApiJson<ValidateRequest>,
) -> Result<Json<ValidateAnswer>, ApiError> {
    if request.value.len() > 200 {
        return Err(ApiError::bad_request(
            "too_long",
            "a value is at most 200 bytes",
        ));
    }
    let outcome = validate_identifier(&kind, &request.value).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "unknown_kind",
            format!(
                "unknown identifier kind {kind:?}; expected one of {}",
                IDENTIFIER_KINDS.join(", ")
            ),
        )
    })?;
    Ok(Json(match outcome {
        Ok(valid) => ValidateAnswer {
            valid: true,
            normal_form: Some(valid.normal_form),
            name: valid.name.map(str::to_string),
            code: None,
            message: None,
        },
        Err(error) => ValidateAnswer {
            valid: false,
            normal_form: None,
            name: None,
            code: Some(error.code.to_string()),
            message: Some(error.message),
        },
    }))
}
