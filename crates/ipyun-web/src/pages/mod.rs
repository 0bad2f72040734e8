//! HTML pages, rendered on the server with minijinja; Chinese first, English by choice.
//!
//! Every visible string goes through a Fluent key (`t("key")` in templates). Pages work without
//! JavaScript and load nothing from outside the binary. This module knows nothing of SQL: each
//! handler extracts, calls one `ipyun-app` use case, and renders a view.

mod application;
mod application_form;
mod application_input;
mod application_view;
mod applications;
mod appraisers;
mod assets;
mod avm;
mod charts;
mod demand_form;
mod disposal_page;
mod disposal_view;
mod error;
mod extract;
mod frame;
mod import_run;
mod imports;
mod loan_detail;
mod loan_stats;
mod loan_views;
mod loans;
mod login;
mod market_demands;
mod market_products;
mod market_views;
mod match_event_actions;
mod match_event_form;
mod match_event_views;
mod match_events;
mod notice_page;
mod notice_verify;
mod parties;
mod patent_landscape;
mod patent_search;
mod pledge_sla;
mod pledge_views;
mod pledges;
mod portfolio;
mod right_pledges;
mod right_valuations;
mod rights;
mod royalty_rates;
mod templates;
mod topics;
mod valuation;
mod valuation_actions;
mod valuation_faults;
mod valuation_form;
mod valuation_input;
mod valuation_result;
mod views;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_avm_pages;
#[cfg(test)]
mod tests_pledge_forms;
#[cfg(test)]
mod tests_pledge_pages;
#[cfg(test)]
mod tests_pledge_sla;
#[cfg(test)]
mod tests_pledge_support;
#[cfg(test)]
mod tests_valuation;
#[cfg(test)]
mod tests_valuation_pages;

pub use error::PageError;
pub use extract::SignedIn;
pub use frame::PageFrame;
pub use templates::Templates;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The public search pages, rate-limited per client with the search API (see `crate::router`).
pub fn public_search_routes() -> Router<AppState> {
    Router::new()
        .route("/patents", get(patent_search::search_page))
        .route("/patents/landscape", get(patent_landscape::landscape_page))
        .layer(axum::middleware::from_fn(frame::finish_page))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::login_form).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route("/rights", get(rights::list_rights))
        .route("/rights/{number}", get(rights::get_right))
        .route("/parties", get(parties::list_parties))
        .route("/parties/{id}", get(parties::get_party))
        .merge(imports::routes())
        .route("/pledges", get(pledges::list_pledges))
        .route("/notices/verify", get(notice_verify::verify_notice))
        .merge(application::routes())
        .route("/pledge-sla", get(pledge_sla::sla_page))
        .route(
            "/valuation",
            get(valuation::calculator).post(valuation::calculate),
        )
        .route("/royalty-rates", get(royalty_rates::royalty_rates))
        .route("/appraisers", get(appraisers::list_appraisers))
        .route("/portfolio-valuation", get(portfolio::portfolio_page))
        .route("/assets/app.css", get(assets::app_css))
        .route("/assets/pledge.css", get(assets::pledge_css))
        .route("/assets/valuation.css", get(assets::valuation_css))
        .route("/assets/avm.css", get(avm::avm_css))
        .route("/assets/search.css", get(assets::search_css))
        .route("/assets/loan.css", get(assets::loan_css))
        .merge(loans::routes())
        .merge(market_demands::routes())
        .merge(match_events::routes())
        .merge(topics::routes())
        .fallback(error::unknown_page)
        .layer(axum::middleware::from_fn(frame::finish_page))
}
