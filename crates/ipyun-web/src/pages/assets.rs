//! Static assets served from the binary: nothing is fetched from outside (users sit on intranets).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

pub const APP_CSS: &str = include_str!("../../assets/app.css");
/// The pledge pages' styles, the printable notice's A4 layout among them.
pub const PLEDGE_CSS: &str = include_str!("../../assets/pledge.css");
/// The valuation pages' styles: the calculator's tabs, forms and working.
pub const VALUATION_CSS: &str = include_str!("../../assets/valuation.css");

/// `GET /assets/app.css`.
pub async fn app_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
}

/// `GET /assets/pledge.css`.
pub async fn pledge_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        PLEDGE_CSS,
    )
}

/// `GET /assets/valuation.css`.
pub async fn valuation_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        VALUATION_CSS,
    )
}

/// The patent search, landscape and topic pages' styles: facets, hits, charts.
pub const SEARCH_CSS: &str = include_str!("../../assets/search.css");

/// `GET /assets/search.css`.
pub async fn search_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        SEARCH_CSS,
    )
}

/// The loan pages' styles: classes, the schedule's overdue instalments, disposal cases.
pub const LOAN_CSS: &str = include_str!("../../assets/loan.css");

/// `GET /assets/loan.css`.
pub async fn loan_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        LOAN_CSS,
    )
}
