//! `/disposals/{id}` (signed in): a disposal case as the app shows it to the viewer — everything
//! to those who see the loan, the auction alone to other parties — and `POST
//! /disposals/{id}/bids`: a bid typed in yuan, converted exactly to fen. A refused bid shows the
//! page again with the reason in the page's language; a bid taken leads back to the case.

use super::disposal_view::{DisposalPage, party_ids};
use super::error::{PageError, error_key};
use super::extract::{PageForm, PagePath, PageQuery, SignedIn, see_other};
use super::frame::PageFrame;
use super::pledge_views::{half_width, parse_yuan, party_names};
use crate::auth::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ipyun_app::ErrorKind;
use ipyun_app::loans::BidInput;
use ipyun_domain::clock::china_time;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DisposalQuery {
    bid: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BidForm {
    csrf_token: String,
    amount: String,
}

/// A bid typed in yuan as fen, exactly: at most two decimals (fen are the smallest unit), no
/// floating point. Errors are Fluent keys.
pub fn bid_fen(raw: &str) -> Result<i64, &'static str> {
    let text = half_width(raw.trim());
    let too_precise = text.split_once('.').is_some_and(|(_, fraction)| {
        fraction.len() > 2 && fraction.bytes().all(|byte| byte.is_ascii_digit())
    });
    if too_precise {
        return Err("bid-error-decimals");
    }
    match parse_yuan(&text) {
        Ok(Some(fen)) if fen > 0 => Ok(fen),
        Ok(Some(_)) => Err("bid-error-positive"),
        Ok(None) => Err("form-error-required"),
        Err("amount_too_large") => Err("form-error-amount_too_large"),
        Err(_) => Err("form-error-amount_format"),
    }
}

/// What went wrong with a bid, shown above the form.
enum Refusal {
    /// The amount did not read: a Fluent key.
    Form(&'static str),
    /// The app refused it: its error code and kind.
    App(&'static str, ErrorKind),
}

async fn render(
    state: &AppState,
    actor: &Actor,
    frame: &PageFrame,
    id: i64,
    outcome: Option<(Refusal, String)>,
    bid_placed: bool,
) -> Result<Response, PageError> {
    let principal = &actor.principal;
    let case = state
        .app
        .get_disposal(principal, id)
        .await
        .map_err(|error| frame.fail(error))?;
    let names = party_names(state, principal, party_ids(&case)).await;
    let now = china_time(state.app.clock().now());
    let mut page = DisposalPage::new(&case, &names, principal.party_id, now);
    page.csrf_token = actor.csrf_token().unwrap_or_default().to_string();
    page.bid_placed = bid_placed;
    let status = match outcome {
        None => StatusCode::OK,
        Some((refusal, typed)) => {
            page.amount = typed;
            let (key, status) = match refusal {
                Refusal::Form(key) => (key.to_string(), StatusCode::BAD_REQUEST),
                Refusal::App(code, kind) => {
                    let status = crate::error::status_of(kind);
                    let specific = format!("bid-refusal-{}", code.replace('.', "-"));
                    let key = [specific, error_key(code)]
                        .into_iter()
                        .find(|key| frame.has_text(key))
                        .unwrap_or_else(|| format!("error-status-{}", status.as_u16()));
                    (key, status)
                }
            };
            page.refuse(key);
            status
        }
    };
    frame.render_with_status(status, "disposal.html", &page)
}

/// `GET /disposals/{id}`: a case the viewer may not see is the 404 page.
pub async fn get_disposal(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageQuery(query): PageQuery<DisposalQuery>,
) -> Result<Response, PageError> {
    let placed = query.bid.as_deref() == Some("placed");
    render(&state, &actor, &frame, id, None, placed).await
}

/// `POST /disposals/{id}/bids`: the CSRF token checked, the amount read exactly, the bid made
/// for the viewer's party at the server's time.
pub async fn place_bid(
    State(state): State<AppState>,
    SignedIn { actor, frame }: SignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<BidForm>,
) -> Result<Response, PageError> {
    actor
        .check_csrf(Some(&form.csrf_token))
        .map_err(|error| frame.fail(error))?;
    let amount_fen = match bid_fen(&form.amount) {
        Ok(fen) => fen,
        Err(key) => {
            let outcome = (Refusal::Form(key), form.amount);
            return render(&state, &actor, &frame, id, Some(outcome), false).await;
        }
    };
    let input = BidInput { amount_fen };
    match state
        .app
        .bid_in_disposal(&actor.principal, id, &input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/disposals/{id}?bid=placed#bids"))),
        Err(error)
            if matches!(
                error.kind,
                ErrorKind::Conflict | ErrorKind::BadRequest | ErrorKind::Forbidden
            ) =>
        {
            let outcome = (Refusal::App(error.code, error.kind), form.amount);
            render(&state, &actor, &frame, id, Some(outcome), false).await
        }
        Err(error) => Err(frame.fail(error)),
    }
}

#[cfg(test)]
pub(super) mod samples {
    use super::super::loan_views::samples::day;
    use super::*;
    use chrono::NaiveDateTime;
    use ipyun_app::loans::{BidView, DisposalEventView, DisposalView, ListingView, SettlementView};
    use ipyun_domain::loan::{DisposalMethod, DisposalStatus, LoanClaim, Waterfall};
    use std::collections::HashMap;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
    }

    /// An auction case: settled with its waterfall, or still taking bids; seen from inside (the
    /// loan's parties and offices) or by a bidder.
    pub fn case(settled: bool, inside: bool) -> DisposalView {
        let bid = |amount_fen, bidder_id, yours| BidView {
            amount_fen,
            at: at("2027-03-25T10:00:00"),
            bidder_id: inside.then_some(bidder_id),
            yours,
        };
        DisposalView {
            id: 4,
            method: DisposalMethod::Auction,
            status: if settled {
                DisposalStatus::Settled
            } else {
                DisposalStatus::Bidding
            },
            opened_on: day("2027-03-23"),
            listing: Some(ListingView {
                reserve_fen: 60_000_000,
                increment_fen: 1_000_000,
                opens_at: at("2027-03-23T09:00:00"),
                deadline: at("2027-03-30T15:00:00"),
                minimum_bid_fen: 62_000_000,
                best_bid_fen: Some(61_000_000),
            }),
            bids: vec![bid(60_000_000, 8, false), bid(61_000_000, 9, true)],
            loan_id: inside.then_some(3),
            lender_id: inside.then_some(2),
            pledgor_id: inside.then_some(1),
            buyer_id: settled.then_some(9),
            price_fen: settled.then_some(61_000_000),
            costs_fen: (settled && inside).then_some(1_000_000),
            settled_on: settled.then(|| day("2027-04-08")),
            settlement: (settled && inside).then(|| SettlementView {
                claim: LoanClaim {
                    fees_fen: 0,
                    interest_fen: 1_450_000,
                    principal_fen: 100_000_000,
                },
                fund_paid_fen: 40_000_000,
                fund_id: Some(1),
                claim_id: Some(1),
                waterfall: Waterfall {
                    costs_fen: 1_000_000,
                    fees_fen: 0,
                    interest_fen: 1_450_000,
                    principal_fen: 58_550_000,
                    lender_principal_fen: 35_130_000,
                    fund_recovery_fen: 23_420_000,
                    surplus_fen: 0,
                    unpaid_costs_fen: 0,
                    unrecovered_fen: 41_450_000,
                },
                written_off_fen: 41_450_000,
                loan_status: "disposed".into(),
                new_holder: Some("无锡收购科技有限公司 <script>".into()),
            }),
            events: if inside {
                vec![DisposalEventView {
                    seq: 3,
                    action: "close_auction".into(),
                    detail: serde_json::json!({"status": "sold", "buyer_id": 9, "price_fen": 61_000_000}),
                    actor: "banker".into(),
                    at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
                }]
            } else {
                Vec::new()
            },
            pledges: None,
        }
    }

    pub fn views() -> Vec<(&'static str, minijinja::Value)> {
        let names: HashMap<i64, String> = [(9, "无锡收购科技有限公司".to_string())].into();
        let now = at("2027-03-26T12:00:00");
        let settled = DisposalPage::new(&case(true, true), &names, Some(2), now);
        let mut bidding = DisposalPage::new(&case(false, false), &names, Some(9), now);
        bidding.amount = "61000".into();
        bidding.refuse("bid-refusal-disposal-below_increment".into());
        let mut placed = DisposalPage::new(&case(false, true), &names, Some(2), now);
        placed.bid_placed = true;
        [settled, bidding, placed]
            .into_iter()
            .map(|page| ("disposal.html", minijinja::Value::from_serialize(page)))
            .collect()
    }

    #[test]
    fn bids_are_read_exactly_in_fen() {
        assert_eq!(bid_fen("610000"), Ok(61_000_000));
        assert_eq!(bid_fen("610,000.5"), Ok(61_000_050));
        assert_eq!(bid_fen("￥0.01"), Ok(1));
        assert_eq!(bid_fen("19.99"), Ok(1_999));
        assert_eq!(bid_fen("1.234"), Err("bid-error-decimals"));
        assert_eq!(bid_fen("１．２３４"), Err("bid-error-decimals"));
        assert_eq!(bid_fen(""), Err("form-error-required"));
        assert_eq!(bid_fen("0"), Err("bid-error-positive"));
        assert_eq!(bid_fen("-5"), Err("form-error-amount_format"));
        assert_eq!(bid_fen("1e6"), Err("form-error-amount_format"));
        assert_eq!(bid_fen("2000000000000"), Err("form-error-amount_too_large"));
    }

    #[test]
    fn only_a_party_outside_the_case_bids_before_the_deadline() {
        let names = HashMap::new();
        let before = at("2027-03-26T12:00:00");
        let after = at("2027-03-30T15:00:00");
        let bidder = DisposalPage::new(&case(false, false), &names, Some(9), before);
        assert!(bidder.may_bid && !bidder.bidding_over);
        let late = DisposalPage::new(&case(false, false), &names, Some(9), after);
        assert!(!late.may_bid && late.bidding_over);
        let lender = DisposalPage::new(&case(false, true), &names, Some(2), before);
        assert!(!lender.may_bid, "the lender does not bid in its own case");
        let nobody = DisposalPage::new(&case(false, false), &names, None, before);
        assert!(!nobody.may_bid);
        let settled = DisposalPage::new(&case(true, true), &names, Some(9), before);
        assert!(!settled.may_bid);
        assert_eq!(
            bidder.bids.iter().map(|bid| bid.best).collect::<Vec<_>>(),
            vec![false, true]
        );
        assert!(bidder.bids.iter().all(|bid| bid.bidder.is_none()));
    }
}
