//! The JSON API under `/api/v1`, and its OpenAPI document.

pub mod appraisers;
pub mod avm;
pub mod demands;
pub mod exchange;
mod json;
pub mod loans;
pub mod loans_disposal;
pub mod loans_funds;
pub mod loans_implementation;
pub mod match_events;
pub mod matching;
pub mod notices;
pub mod parties;
pub mod patents;
pub mod pledge_attachments;
pub mod pledge_changes;
pub mod pledge_sla;
pub mod pledges;
pub mod products;
pub mod rights;
pub mod royalty;
pub mod screenings;
pub mod session;
pub mod subsidies;
pub mod topics;
pub mod transfer;
pub mod validate;
pub mod valuations;
pub mod webhooks;

pub use json::{ApiJson, ApiPath, ApiQuery, parse_json, parse_query_string};

use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use ipyun_domain::party::Party;
use ipyun_domain::right::Right;
use serde::Serialize;
use utoipa::OpenApi;

/// A `201 Created` with a JSON body.
pub struct Created<T>(pub T);

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self.0)).into_response()
    }
}

macro_rules! page_dto {
    ($name:ident, $item:ty) => {
        /// One page of a list: at most `per_page` items (default 20, at most 100) of `total`.
        #[derive(Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub page: u32,
            pub per_page: u32,
            pub total: u64,
        }

        impl From<ipyun_domain::page::Page<$item>> for $name {
            fn from(page: ipyun_domain::page::Page<$item>) -> Self {
                Self {
                    items: page.items,
                    page: page.page,
                    per_page: page.per_page,
                    total: page.total,
                }
            }
        }
    };
}
page_dto!(RightPage, Right);
page_dto!(PartyPage, Party);
pub(crate) use page_dto;

#[derive(OpenApi)]
#[openapi(
    info(title = "ipyun API", description = "知识产权运营 — IP operations: registry of rights and parties, accounts."),
    paths(
        rights::list_rights, rights::get_right, rights::create_right, rights::list_status_events, rights::create_status_event,
        parties::list_parties, parties::get_party, parties::create_party, parties::update_party,
        session::create_session, session::delete_session, session::get_me, session::set_lang, session::create_user,
        session::create_token, validate::validate, transfer::create_import, transfer::list_imports,
        transfer::get_import, transfer::export,
        pledges::create_pledge_application, pledges::get_pledge_application, pledges::confirm_pledge_application,
        pledges::list_pledges, pledges::list_pledge_applications, pledges::decide_pledge_application,
        pledges::cure_pledge_application, pledges::withdraw_pledge_application, pledge_changes::get_pledge,
        pledge_changes::create_amendment, pledge_changes::create_cancellation,
        pledges::create_pledge_applications, pledge_attachments::create_attachment, pledge_attachments::list_attachments, pledge_attachments::get_attachment, notices::get_notice, notices::get_notice_pdf, notices::get_notice_key,
        notices::verify_notice, royalty::list_royalty_rates, royalty::royalty_guidance, royalty::list_ipc_industry,
        avm::get_automated_valuation, avm::value_portfolio, avm::value_pledge_bundle, avm::value_party_portfolio,
        valuations::calculate_valuation, valuations::create_valuation, valuations::list_valuations,
        appraisers::list_appraisers, appraisers::set_appraiser_profile, appraisers::set_lender_cap, pledge_sla::get_pledge_sla,
        patents::search_patents, patents::patent_landscape, patents::patent_landscape_xlsx,
        topics::list_topics, topics::create_topic, topics::get_topic, topics::delete_topic, topics::follow_topic, topics::unfollow_topic, topics::my_notices, topics::mark_notice_read,
        loans::create_loan, loans::list_loans, loans::get_loan, loans::create_repayment, loans::create_prepayment, loans::set_classification, loans::get_npl, loans::run_loan_day, loans_implementation::declare, loans_implementation::report,
        loans_funds::create_fund, loans_funds::list_funds, loans_funds::list_claims, loans_funds::get_fund, loans_funds::create_appropriation, loans_funds::create_claim, loans_funds::get_claim, loans_funds::create_payout, loans_funds::approve_payout, loans_funds::create_recovery,
        demands::publish, demands::list, demands::get_demand, demands::move_stage, demands::pipeline,
        match_events::schedule, match_events::list, match_events::get_event, match_events::revise, match_events::cancel, match_events::close_signups, match_events::held, match_events::list_signups, match_events::sign_up, match_events::withdraw_signup, match_events::list_meetings, match_events::book_meeting, match_events::record_outcome, match_events::report,
        exchange::products_json, exchange::products_csv, exchange::demands_json, exchange::demands_csv, exchange::import_platform_demands, exchange::import_credit_grades, webhooks::list_webhooks, webhooks::create_webhook, webhooks::disable_webhook, webhooks::list_deliveries,
        products::publish, products::list, products::get_product, products::revise, products::withdraw,
        screenings::create_rule_set, screenings::list_rule_sets, screenings::get_rule_set, screenings::revise_rule_set, screenings::run_screening, screenings::list_screenings, screenings::get_screening, screenings::export_screening, screenings::reproduce_screening, screenings::record_credit_grade, screenings::record_integrity_flag,
        matching::demand_matches, matching::product_matches, matching::product_prospects,
        loans_disposal::open_disposal, loans_disposal::list_disposals, loans_disposal::get_disposal, loans_disposal::list_auction, loans_disposal::create_bid, loans_disposal::close_auction, loans_disposal::agree, loans_disposal::change_method, loans_disposal::close, loans_disposal::settle,
        subsidies::create_subsidy_programme, subsidies::get_subsidy_programme, subsidies::create_subsidy_appropriation, subsidies::create_subsidy_application, subsidies::get_subsidy_application, subsidies::decide_subsidy_application, subsidies::create_subsidy_payout, subsidies::approve_subsidy_payout,
    ),
    components(schemas(crate::error::ErrorEnvelope)),
    modifiers(&BearerSecurity),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "rights", description = "The registry of IP rights"),
        (name = "parties", description = "Enterprises, lenders, parks, offices"),
        (name = "accounts", description = "Sign-in, users, API tokens"),
        (name = "identifiers", description = "Identifier validation"),
        (name = "transfer", description = "Bulk import and export"),
        (name = "valuation", description = "Valuation: royalty-rate reference data, approaches, automated valuation"),
        (name = "pledges", description = "Pledge registration: applications, decisions, the public record"),
        (name = "patents", description = "Patent search and navigation (public, rate-limited); topic collections and notices"),
        (name = "loans", description = "Loans secured by pledges: schedules, repayments, five-category classification, NPL ratio"),
        (name = "funds", description = "Risk-compensation funds: appropriations, claims, pre-compensation by maker and checker, recoveries"),
        (name = "products", description = "The finance marketplace's product catalogue: loans, insurance, guarantees"),
        (name = "demands", description = "Enterprises' financing demands and the project pipeline"),
        (name = "screenings", description = "Credit white-lists: screening rule sets, ranked and explained runs, credit grades and integrity flags"),
        (name = "match_events", description = "Matchmaking events (银企对接): scheduling, sign-ups, meetings, outcomes, reports"),
        (name = "exchange", description = "Exchange with credit-loan platforms (信易贷): product and demand feeds, imports of their demands and credit grades, webhooks to lenders"),
        (name = "matching", description = "Matchmaking: products ranked for a demand, demands and prospects ranked for a product, each match explained"),
        (name = "disposals", description = "Disposal of defaulted pledges: auctions and bids, transfers, acquisition, licensing; settlement of the proceeds"),
        (name = "subsidies", description = "Interest and fee subsidies (贴息 / 费用补贴): programmes and budgets, applications, decisions, payouts by maker and checker, time to payout"),
    )
)]
pub struct ApiDoc;

struct BearerSecurity;

impl utoipa::Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn docs_page() -> Html<&'static str> {
    Html(include_str!("../../assets/api-docs.html"))
}

async fn unknown_api_route() -> crate::error::ApiError {
    crate::error::ApiError::new(
        StatusCode::NOT_FOUND,
        "route_not_found",
        "no such API route",
    )
}

/// The public patent search and landscapes: the caller wraps them in a per-client rate limit.
pub fn public_search_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/patents/search", get(patents::search_patents))
        .route("/api/v1/patents/landscape", get(patents::patent_landscape))
        .route(
            "/api/v1/patents/landscape.xlsx",
            get(patents::patent_landscape_xlsx),
        )
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route(
            "/api/v1/topics",
            get(topics::list_topics).post(topics::create_topic),
        )
        .route(
            "/api/v1/topics/{id}",
            get(topics::get_topic).delete(topics::delete_topic),
        )
        .route(
            "/api/v1/topics/{id}/follow",
            axum::routing::put(topics::follow_topic).delete(topics::unfollow_topic),
        )
        .route("/api/v1/me/notices", get(topics::my_notices))
        .route(
            "/api/v1/me/notices/{id}/read",
            post(topics::mark_notice_read),
        )
        .route("/api/docs", get(docs_page))
        .route(
            "/api/v1/rights",
            get(rights::list_rights).post(rights::create_right),
        )
        .route("/api/v1/rights/{number}", get(rights::get_right))
        .route(
            "/api/v1/rights/{number}/status-events",
            get(rights::list_status_events).post(rights::create_status_event),
        )
        .route(
            "/api/v1/parties",
            get(parties::list_parties).post(parties::create_party),
        )
        .route(
            "/api/v1/parties/{id}",
            get(parties::get_party).put(parties::update_party),
        )
        .route(
            "/api/v1/session",
            post(session::create_session).delete(session::delete_session),
        )
        .route("/api/v1/me", get(session::get_me))
        .route("/api/v1/me/lang", axum::routing::put(session::set_lang))
        .route("/api/v1/users", post(session::create_user))
        .route("/api/v1/tokens", post(session::create_token))
        .route("/api/v1/validate/{kind}", post(validate::validate))
        .route(
            "/api/v1/imports",
            get(transfer::list_imports)
                .post(transfer::create_import)
                .layer(axum::extract::DefaultBodyLimit::max(
                    transfer::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/api/v1/imports/{id}", get(transfer::get_import))
        .route("/api/v1/exports/{subject}", get(transfer::export))
        .route(
            "/api/v1/pledge-applications",
            post(pledges::create_pledge_application).get(pledges::list_pledge_applications),
        )
        .route(
            "/api/v1/pledge-applications/{id}/decision",
            post(pledges::decide_pledge_application),
        )
        .route(
            "/api/v1/pledge-applications/{id}/cure",
            post(pledges::cure_pledge_application),
        )
        .route(
            "/api/v1/pledge-applications/{id}/withdraw",
            post(pledges::withdraw_pledge_application),
        )
        .route(
            "/api/v1/pledge-applications/{id}",
            get(pledges::get_pledge_application),
        )
        .route(
            "/api/v1/pledge-applications/{id}/confirm",
            post(pledges::confirm_pledge_application),
        )
        .route("/api/v1/pledges", get(pledges::list_pledges))
        .route(
            "/api/v1/pledges/{registration_no}",
            get(pledge_changes::get_pledge),
        )
        .route(
            "/api/v1/pledges/{registration_no}/amendments",
            post(pledge_changes::create_amendment),
        )
        .route(
            "/api/v1/pledges/{registration_no}/cancellations",
            post(pledge_changes::create_cancellation),
        )
        .route(
            "/api/v1/pledge-applications/{id}/notice",
            get(notices::get_notice),
        )
        .route(
            "/api/v1/pledge-applications/{id}/notice.pdf",
            get(notices::get_notice_pdf),
        )
        .route(
            "/api/v1/pledge-applications/batch",
            post(pledges::create_pledge_applications),
        )
        .route(
            "/api/v1/pledge-applications/{id}/attachments",
            post(pledge_attachments::create_attachment)
                .get(pledge_attachments::list_attachments)
                .layer(axum::extract::DefaultBodyLimit::max(
                    ipyun_app::pledge::MAX_ATTACHMENT_BYTES + 1,
                )),
        )
        .route(
            "/api/v1/pledge-applications/{id}/attachments/{attachment_id}",
            get(pledge_attachments::get_attachment),
        )
        .route("/api/v1/royalty-rates", get(royalty::list_royalty_rates))
        .route("/api/v1/ipc-industry", get(royalty::list_ipc_industry))
        .route(
            "/api/v1/royalty-rates/guidance",
            get(royalty::royalty_guidance),
        )
        .route(
            "/api/v1/valuations/calculate",
            post(valuations::calculate_valuation),
        )
        .route("/api/v1/valuations", post(valuations::create_valuation))
        .route(
            "/api/v1/rights/{number}/valuations",
            get(valuations::list_valuations),
        )
        .route(
            "/api/v1/rights/{number}/automated-valuation",
            get(avm::get_automated_valuation),
        )
        .route("/api/v1/portfolio-valuations", post(avm::value_portfolio))
        .route(
            "/api/v1/pledges/{registration_no}/valuation",
            get(avm::value_pledge_bundle),
        )
        .route(
            "/api/v1/parties/{id}/portfolio-valuation",
            get(avm::value_party_portfolio),
        )
        .route("/api/v1/appraisers", get(appraisers::list_appraisers))
        .route(
            "/api/v1/appraisers/{party_id}",
            axum::routing::put(appraisers::set_appraiser_profile),
        )
        .route(
            "/api/v1/lenders/{party_id}/ltv-cap",
            axum::routing::put(appraisers::set_lender_cap),
        )
        .route("/api/v1/notice-key", get(notices::get_notice_key))
        .route("/api/v1/notices/verify", get(notices::verify_notice))
        .route("/api/v1/pledge-sla", get(pledge_sla::get_pledge_sla))
        .route(
            "/api/v1/loans",
            post(loans::create_loan).get(loans::list_loans),
        )
        .route("/api/v1/loans/{id}", get(loans::get_loan))
        .route(
            "/api/v1/loans/{id}/repayments",
            post(loans::create_repayment),
        )
        .route(
            "/api/v1/loans/{id}/prepayments",
            post(loans::create_prepayment),
        )
        .route(
            "/api/v1/loans/{id}/classification",
            axum::routing::put(loans::set_classification),
        )
        .route("/api/v1/loan-stats/npl", get(loans::get_npl))
        .route(
            "/api/v1/loan-stats/implementation",
            get(loans_implementation::report),
        )
        .route(
            "/api/v1/implementation-declarations",
            post(loans_implementation::declare),
        )
        .route("/api/v1/loan-day", post(loans::run_loan_day))
        .route(
            "/api/v1/funds",
            post(loans_funds::create_fund).get(loans_funds::list_funds),
        )
        .route("/api/v1/funds/{id}", get(loans_funds::get_fund))
        .route(
            "/api/v1/funds/{id}/appropriations",
            post(loans_funds::create_appropriation),
        )
        .route(
            "/api/v1/fund-claims",
            post(loans_funds::create_claim).get(loans_funds::list_claims),
        )
        .route("/api/v1/fund-claims/{id}", get(loans_funds::get_claim))
        .route(
            "/api/v1/fund-claims/{id}/payout",
            post(loans_funds::create_payout),
        )
        .route(
            "/api/v1/fund-payouts/{id}/approve",
            post(loans_funds::approve_payout),
        )
        .route(
            "/api/v1/fund-claims/{id}/recoveries",
            post(loans_funds::create_recovery),
        )
        .route(
            "/api/v1/loans/{id}/disposals",
            post(loans_disposal::open_disposal),
        )
        .route("/api/v1/disposals", get(loans_disposal::list_disposals))
        .route("/api/v1/disposals/{id}", get(loans_disposal::get_disposal))
        .route(
            "/api/v1/disposals/{id}/listing",
            post(loans_disposal::list_auction),
        )
        .route(
            "/api/v1/disposals/{id}/bids",
            post(loans_disposal::create_bid),
        )
        .route(
            "/api/v1/disposals/{id}/close-auction",
            post(loans_disposal::close_auction),
        )
        .route(
            "/api/v1/disposals/{id}/agreement",
            post(loans_disposal::agree),
        )
        .route(
            "/api/v1/disposals/{id}/method",
            post(loans_disposal::change_method),
        )
        .route("/api/v1/disposals/{id}/close", post(loans_disposal::close))
        .route(
            "/api/v1/disposals/{id}/settlement",
            post(loans_disposal::settle),
        )
        .route(
            "/api/v1/subsidy-programmes",
            post(subsidies::create_subsidy_programme),
        )
        .route(
            "/api/v1/subsidy-programmes/{id}",
            get(subsidies::get_subsidy_programme),
        )
        .route(
            "/api/v1/subsidy-programmes/{id}/appropriations",
            post(subsidies::create_subsidy_appropriation),
        )
        .route(
            "/api/v1/subsidy-applications",
            post(subsidies::create_subsidy_application),
        )
        .route(
            "/api/v1/subsidy-applications/{id}",
            get(subsidies::get_subsidy_application),
        )
        .route(
            "/api/v1/subsidy-applications/{id}/decision",
            post(subsidies::decide_subsidy_application),
        )
        .route(
            "/api/v1/subsidy-applications/{id}/payout",
            post(subsidies::create_subsidy_payout),
        )
        .route(
            "/api/v1/subsidy-payouts/{id}/approve",
            post(subsidies::approve_subsidy_payout),
        )
        .route(
            "/api/v1/products",
            post(products::publish).get(products::list),
        )
        .route(
            "/api/v1/products/{id}",
            get(products::get_product).put(products::revise),
        )
        .route("/api/v1/products/{id}/withdraw", post(products::withdraw))
        .route("/api/v1/demands", post(demands::publish).get(demands::list))
        .route("/api/v1/demands/{id}", get(demands::get_demand))
        .route("/api/v1/demands/{id}/stage", post(demands::move_stage))
        .route("/api/v1/demand-pipeline", get(demands::pipeline))
        .route(
            "/api/v1/screening-rule-sets",
            get(screenings::list_rule_sets).post(screenings::create_rule_set),
        )
        .route(
            "/api/v1/screening-rule-sets/{id}",
            get(screenings::get_rule_set).put(screenings::revise_rule_set),
        )
        .route(
            "/api/v1/screenings",
            get(screenings::list_screenings).post(screenings::run_screening),
        )
        .route("/api/v1/screenings/{id}", get(screenings::get_screening))
        .route(
            "/api/v1/screenings/{id}/export.xlsx",
            get(screenings::export_screening),
        )
        .route(
            "/api/v1/screenings/{id}/reproduction",
            get(screenings::reproduce_screening),
        )
        .route(
            "/api/v1/credit-grades",
            post(screenings::record_credit_grade),
        )
        .route(
            "/api/v1/integrity-flags",
            post(screenings::record_integrity_flag),
        )
        .route(
            "/api/v1/match-events",
            post(match_events::schedule).get(match_events::list),
        )
        .route(
            "/api/v1/match-events/{id}",
            get(match_events::get_event).put(match_events::revise),
        )
        .route(
            "/api/v1/match-events/{id}/cancel",
            post(match_events::cancel),
        )
        .route(
            "/api/v1/match-events/{id}/close-signups",
            post(match_events::close_signups),
        )
        .route("/api/v1/match-events/{id}/held", post(match_events::held))
        .route(
            "/api/v1/match-events/{id}/signups",
            get(match_events::list_signups).post(match_events::sign_up),
        )
        .route(
            "/api/v1/match-events/{id}/signups/{signup_id}/withdraw",
            post(match_events::withdraw_signup),
        )
        .route(
            "/api/v1/match-events/{id}/meetings",
            get(match_events::list_meetings).post(match_events::book_meeting),
        )
        .route(
            "/api/v1/match-events/{id}/meetings/{meeting_id}/outcome",
            post(match_events::record_outcome),
        )
        .route(
            "/api/v1/match-events/{id}/report",
            get(match_events::report),
        )
        .route("/api/v1/feeds/products.json", get(exchange::products_json))
        .route("/api/v1/feeds/products.csv", get(exchange::products_csv))
        .route("/api/v1/feeds/demands.json", get(exchange::demands_json))
        .route("/api/v1/feeds/demands.csv", get(exchange::demands_csv))
        .route(
            "/api/v1/imports/platform-demands",
            post(exchange::import_platform_demands).layer(axum::extract::DefaultBodyLimit::max(
                exchange::MAX_IMPORT_BYTES,
            )),
        )
        .route(
            "/api/v1/imports/credit-grades",
            post(exchange::import_credit_grades).layer(axum::extract::DefaultBodyLimit::max(
                exchange::MAX_IMPORT_BYTES,
            )),
        )
        .route(
            "/api/v1/webhooks",
            get(webhooks::list_webhooks).post(webhooks::create_webhook),
        )
        .route(
            "/api/v1/webhooks/{id}",
            axum::routing::delete(webhooks::disable_webhook),
        )
        .route(
            "/api/v1/webhooks/{id}/deliveries",
            get(webhooks::list_deliveries),
        )
        .route(
            "/api/v1/demands/{id}/matches",
            get(matching::demand_matches),
        )
        .route(
            "/api/v1/products/{id}/matches",
            get(matching::product_matches),
        )
        .route(
            "/api/v1/products/{id}/prospects",
            get(matching::product_prospects),
        )
        .route("/api/v1/{*rest}", axum::routing::any(unknown_api_route))
}
