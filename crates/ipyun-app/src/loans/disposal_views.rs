//! What a disposal case shows, and to whom: those who see the loan see everything; bidders
//! (anyone acting for a party) see the auction, their own bids marked, others' bids without
//! names.

use super::disposal::{Seat, SettlementView};
use super::internal;
use super::repay::PledgeRelease;
use crate::{App, AppError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ipyun_domain::account::Principal;
use ipyun_domain::loan::{DisposalMethod, DisposalStatus};
use serde::Serialize;

/// An auction's listing and where the bidding stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingView {
    pub reserve_fen: i64,
    pub increment_fen: i64,
    pub opens_at: NaiveDateTime,
    pub deadline: NaiveDateTime,
    /// The least the next bid may be.
    pub minimum_bid_fen: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_bid_fen: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BidView {
    pub amount_fen: i64,
    pub at: NaiveDateTime,
    /// Shown to those who see the loan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bidder_id: Option<i64>,
    /// The bid is the viewer's party's.
    pub yours: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DisposalEventView {
    pub seq: i64,
    pub action: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A disposal case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DisposalView {
    pub id: i64,
    pub method: DisposalMethod,
    pub status: DisposalStatus,
    pub opened_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<ListingView>,
    pub bids: Vec<BidView>,
    /// Shown to those who see the loan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loan_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lender_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pledgor_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settled_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settlement: Option<SettlementView>,
    /// Every step, oldest first (those who see the loan).
    pub events: Vec<DisposalEventView>,
    /// What became of the pledges (in the settlement's answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pledges: Option<Vec<PledgeRelease>>,
}

impl App {
    /// One case as the principal may see it, or "not found".
    pub async fn get_disposal(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DisposalView, AppError> {
        self.disposal_view(principal, id).await
    }

    pub(crate) async fn disposal_view(
        &self,
        principal: &Principal,
        id: i64,
    ) -> Result<DisposalView, AppError> {
        let (record, _, seat) = self.seat_at_case(principal, id).await?;
        let inside = seat != Seat::Public;
        let case = &record.case;
        let listing = case.auction().map(|auction| {
            let listing = auction.listing();
            ListingView {
                reserve_fen: listing.reserve_fen,
                increment_fen: listing.increment_fen,
                opens_at: listing.opens_at,
                deadline: listing.deadline,
                minimum_bid_fen: auction.minimum_bid_fen(),
                best_bid_fen: auction.best().map(|bid| bid.amount_fen),
            }
        });
        let bids = case
            .auction()
            .map(|auction| {
                auction
                    .bids()
                    .iter()
                    .map(|bid| BidView {
                        amount_fen: bid.amount_fen,
                        at: bid.at,
                        bidder_id: inside.then_some(bid.bidder_id),
                        yours: principal.party_id == Some(bid.bidder_id),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let events = if inside {
            self.db
                .disposal_events(id)
                .await?
                .into_iter()
                .map(|event| DisposalEventView {
                    seq: event.seq,
                    action: event.action,
                    detail: serde_json::from_str(&event.detail).unwrap_or(serde_json::Value::Null),
                    actor: event.actor,
                    at: event.at,
                })
                .collect()
        } else {
            Vec::new()
        };
        let settlement = match (&record.settlement, inside) {
            (Some(text), true) => Some(serde_json::from_str(text).map_err(internal)?),
            _ => None,
        };
        let buyer_visible = inside || case.buyer_id() == principal.party_id;
        Ok(DisposalView {
            id: record.id,
            method: case.method(),
            status: case.status(),
            opened_on: record.opened_on,
            listing,
            bids,
            loan_id: inside.then_some(record.loan_id),
            lender_id: inside.then_some(record.lender_id),
            pledgor_id: inside.then_some(record.pledgor_id),
            buyer_id: case.buyer_id().filter(|_| buyer_visible),
            price_fen: case.price_fen(),
            costs_fen: record.costs_fen.filter(|_| inside),
            settled_on: record.settled_on,
            settlement,
            events,
            pledges: None,
        })
    }
}
