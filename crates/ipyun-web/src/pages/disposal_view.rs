//! The disposal case as `/disposals/{id}` shows it: its listing and bids (bidders named only when
//! the app returns them, the viewer's own marked), the settlement's waterfall, the events; the
//! bid form and the reason a bid was refused.

use super::loan_views::{loan_href, party_href};
use super::pledge_views::yuan;
use super::views::local_time;
use chrono::NaiveDateTime;
use ipyun_app::loans::{DisposalEventView, DisposalView, ListingView, SettlementView};
use ipyun_domain::loan::{DisposalMethod, DisposalStatus};
use serde::Serialize;
use std::collections::HashMap;

/// China's wall-clock time to the minute, as listings and bids carry it.
pub fn wall_time(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyCell {
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListingRow {
    pub reserve: String,
    pub increment: String,
    pub opens_at: String,
    pub deadline: String,
    pub minimum: String,
    pub best: Option<String>,
}

impl From<&ListingView> for ListingRow {
    fn from(listing: &ListingView) -> Self {
        ListingRow {
            reserve: yuan(listing.reserve_fen),
            increment: yuan(listing.increment_fen),
            opens_at: wall_time(listing.opens_at),
            deadline: wall_time(listing.deadline),
            minimum: yuan(listing.minimum_bid_fen),
            best: listing.best_bid_fen.map(yuan),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BidRow {
    pub amount: String,
    pub at: String,
    pub bidder: Option<PartyCell>,
    pub yours: bool,
    pub best: bool,
}

/// One line of the waterfall: a Fluent key's label and an amount; `kind` styles it.
#[derive(Debug, Clone, Serialize)]
pub struct WaterfallLine {
    pub key: &'static str,
    pub amount: String,
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct SettlementRows {
    pub claim_fees: String,
    pub claim_interest: String,
    pub claim_principal: String,
    pub fund_paid: String,
    pub fund_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub lines: Vec<WaterfallLine>,
    pub loan_status: String,
    pub new_holder: Option<String>,
}

impl SettlementRows {
    fn new(settlement: &SettlementView, price_fen: Option<i64>) -> Self {
        let fall = &settlement.waterfall;
        let line = |key, fen: i64, kind| WaterfallLine {
            key,
            amount: yuan(fen),
            kind,
        };
        let mut lines = Vec::new();
        if let Some(price) = price_fen {
            lines.push(line("waterfall-proceeds", price, "total"));
        }
        lines.extend([
            line("waterfall-costs", fall.costs_fen, "paid"),
            line("waterfall-fees", fall.fees_fen, "paid"),
            line("waterfall-interest", fall.interest_fen, "paid"),
            line("waterfall-principal", fall.principal_fen, "paid"),
            line("waterfall-to-lender", fall.lender_principal_fen, "share"),
            line("waterfall-to-fund", fall.fund_recovery_fen, "share"),
            line("waterfall-surplus", fall.surplus_fen, "paid"),
            line("waterfall-unpaid-costs", fall.unpaid_costs_fen, "loss"),
            line("waterfall-unrecovered", fall.unrecovered_fen, "loss"),
            line("waterfall-written-off", settlement.written_off_fen, "loss"),
        ]);
        SettlementRows {
            claim_fees: yuan(settlement.claim.fees_fen),
            claim_interest: yuan(settlement.claim.interest_fen),
            claim_principal: yuan(settlement.claim.principal_fen),
            fund_paid: yuan(settlement.fund_paid_fen),
            fund_id: settlement.fund_id,
            claim_id: settlement.claim_id,
            lines,
            loan_status: settlement.loan_status.clone(),
            new_holder: settlement.new_holder.clone(),
        }
    }
}

/// One value of an event's detail: its key, and the value shown (amounts in yuan); `value_key`
/// when the value is itself a translated name (a status, a method).
#[derive(Debug, Clone, Serialize)]
pub struct DetailPair {
    pub key: String,
    pub value: String,
    pub value_key: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub seq: i64,
    pub action: String,
    pub details: Vec<DetailPair>,
    pub actor: String,
    pub at: String,
}

/// The keys of an event's detail that name parties.
const PARTY_KEYS: [&str; 2] = ["bidder_id", "buyer_id"];

fn detail_pairs(detail: &serde_json::Value, names: &HashMap<i64, String>) -> Vec<DetailPair> {
    let Some(object) = detail.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter_map(|(key, value)| {
            let text = match value {
                serde_json::Value::Null | serde_json::Value::Object(_) => return None,
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|item| item.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::String(text) => {
                    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                        .map_or_else(|_| text.clone(), wall_time)
                }
                serde_json::Value::Number(number) => match number.as_i64() {
                    Some(fen) if key.ends_with("_fen") => yuan(fen),
                    Some(id) if PARTY_KEYS.contains(&key.as_str()) => {
                        names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
                    }
                    Some(id) if key.ends_with("_id") => format!("#{id}"),
                    _ => number.to_string(),
                },
                other => other.to_string(),
            };
            let value_key = match key.as_str() {
                "status" => Some(format!("disposal-status-{text}")),
                "method" => Some(format!("disposal-method-{text}")),
                "loan_status" => Some(format!("loan-status-{text}")),
                _ => None,
            };
            Some(DetailPair {
                key: key.clone(),
                value: text,
                value_key,
            })
        })
        .collect()
}

impl EventRow {
    fn new(event: &DisposalEventView, names: &HashMap<i64, String>) -> Self {
        EventRow {
            seq: event.seq,
            action: event.action.clone(),
            details: detail_pairs(&event.detail, names),
            actor: event.actor.clone(),
            at: local_time(event.at),
        }
    }
}

/// Why a bid was not taken: a Fluent key and what its message may name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BidRefusal {
    pub key: String,
    pub minimum: String,
    pub reserve: String,
    pub deadline: String,
    pub opens_at: String,
}

#[derive(Serialize)]
pub struct DisposalPage {
    pub id: i64,
    pub method: &'static str,
    pub status: &'static str,
    pub opened_on: String,
    /// The viewer sees the loan: the parties, costs, settlement and events.
    pub inside: bool,
    pub loan_href: Option<String>,
    pub lender: Option<PartyCell>,
    pub pledgor: Option<PartyCell>,
    pub buyer: Option<PartyCell>,
    pub price: Option<String>,
    pub costs: Option<String>,
    pub settled_on: Option<String>,
    pub listing: Option<ListingRow>,
    pub bids: Vec<BidRow>,
    pub settlement: Option<SettlementRows>,
    pub events: Vec<EventRow>,
    /// The auction takes bids and the viewer may make one.
    pub may_bid: bool,
    /// Listed or bidding, but the deadline has passed.
    pub bidding_over: bool,
    pub csrf_token: String,
    /// The amount as typed, kept when a bid is refused.
    pub amount: String,
    pub refusal: Option<BidRefusal>,
    pub bid_placed: bool,
}

impl DisposalPage {
    /// `party` is the viewer's party; `now` China's wall-clock time.
    pub fn new(
        case: &DisposalView,
        names: &HashMap<i64, String>,
        party: Option<i64>,
        now: NaiveDateTime,
    ) -> Self {
        let cell = |id: Option<i64>| {
            id.map(|id| PartyCell {
                name: names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
                href: party_href(id),
            })
        };
        let taking_bids = case.method == DisposalMethod::Auction
            && matches!(
                case.status,
                DisposalStatus::Listed | DisposalStatus::Bidding
            );
        let open = case
            .listing
            .as_ref()
            .is_some_and(|listing| now < listing.deadline);
        let own_case =
            party.is_some_and(|id| Some(id) == case.lender_id || Some(id) == case.pledgor_id);
        let best = case
            .listing
            .as_ref()
            .and_then(|listing| listing.best_bid_fen);
        let last_best = case
            .bids
            .iter()
            .rposition(|bid| Some(bid.amount_fen) == best);
        DisposalPage {
            id: case.id,
            method: case.method.as_str(),
            status: case.status.as_str(),
            opened_on: case.opened_on.to_string(),
            inside: case.loan_id.is_some(),
            loan_href: case.loan_id.map(loan_href),
            lender: cell(case.lender_id),
            pledgor: cell(case.pledgor_id),
            buyer: cell(case.buyer_id),
            price: case.price_fen.map(yuan),
            costs: case.costs_fen.map(yuan),
            settled_on: case.settled_on.map(|date| date.to_string()),
            listing: case.listing.as_ref().map(ListingRow::from),
            bids: case
                .bids
                .iter()
                .enumerate()
                .map(|(index, bid)| BidRow {
                    amount: yuan(bid.amount_fen),
                    at: wall_time(bid.at),
                    bidder: cell(bid.bidder_id),
                    yours: bid.yours,
                    best: Some(index) == last_best,
                })
                .collect(),
            settlement: case
                .settlement
                .as_ref()
                .map(|settlement| SettlementRows::new(settlement, case.price_fen)),
            events: case
                .events
                .iter()
                .map(|event| EventRow::new(event, names))
                .collect(),
            may_bid: taking_bids && open && party.is_some() && !own_case,
            bidding_over: taking_bids && !open,
            csrf_token: String::new(),
            amount: String::new(),
            refusal: None,
            bid_placed: false,
        }
    }

    /// The refusal of a bid, naming the listing's figures as the case now stands.
    pub fn refuse(&mut self, key: String) {
        let listing = self.listing.as_ref();
        let field =
            |pick: fn(&ListingRow) -> &String| listing.map(pick).cloned().unwrap_or_default();
        self.refusal = Some(BidRefusal {
            key,
            minimum: field(|listing| &listing.minimum),
            reserve: field(|listing| &listing.reserve),
            deadline: field(|listing| &listing.deadline),
            opens_at: field(|listing| &listing.opens_at),
        });
    }
}

/// Every party a case names (lender, pledgor, buyer, bidders, ids in events), for their names.
pub fn party_ids(case: &DisposalView) -> Vec<i64> {
    let mut ids: Vec<i64> = [case.lender_id, case.pledgor_id, case.buyer_id]
        .into_iter()
        .flatten()
        .chain(case.bids.iter().filter_map(|bid| bid.bidder_id))
        .collect();
    for event in &case.events {
        if let Some(object) = event.detail.as_object() {
            ids.extend(
                object
                    .iter()
                    .filter(|(key, _)| PARTY_KEYS.contains(&key.as_str()))
                    .filter_map(|(_, value)| value.as_i64()),
            );
        }
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}
