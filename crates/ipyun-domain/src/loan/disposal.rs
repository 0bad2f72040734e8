//! Disposal of a defaulted pledge (质物处置): the case, the auction's rules and the proceeds'
//! waterfall.
//!
//! A case opens with a method: negotiated transfer (协议转让), auction (拍卖), acquisition by an
//! ip operation fund (收储) or long-term licensing (许可). Its states:
//!
//! ```text
//! auction:  opened → listed ─(first bid)→ bidding ─(deadline)→ sold → settled
//!                      └─(deadline, no bid: the reserve not met)→ unsold
//!           unsold → listed (relisted, e.g. at a lower reserve)
//!                  | opened (another method) | closed (no proceeds)
//! others:   opened → agreed (buyer and price) → settled
//! ```
//!
//! Auction rules: bids are taken from the listing's opening to its deadline (a bid at or after
//! the deadline is refused); the first bid must reach the reserve price, each later bid must top
//! the best bid by at least the minimum increment; once the deadline has passed the highest bid
//! wins at its price. Without a bid the reserve was not met: there is no winner and the case is
//! unsold.
//!
//! Settling a sold or agreed case runs its price through the waterfall (`waterfall.rs`).

use super::money::{Sign, amount, format_fen, keep};
use super::waterfall::{LoanClaim, Waterfall, WaterfallInput, waterfall};
use crate::field::{FieldError, FieldErrors};
use crate::party::string_enum;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

string_enum!(
    /// How a pledge is turned into money.
    DisposalMethod, "disposal method" {
    NegotiatedTransfer => "negotiated_transfer",
    Auction => "auction",
    Acquisition => "acquisition",
    Licensing => "licensing",
});

string_enum!(
    /// Where a disposal case stands.
    DisposalStatus, "disposal status" {
    Opened => "opened",
    Listed => "listed",
    Bidding => "bidding",
    Sold => "sold",
    Unsold => "unsold",
    Agreed => "agreed",
    Settled => "settled",
    Closed => "closed",
});

impl DisposalStatus {
    /// Whether `next` may follow `self` (see the module documentation).
    pub fn may_become(self, next: DisposalStatus) -> bool {
        use DisposalStatus::*;
        matches!(
            (self, next),
            (Opened, Listed | Agreed)
                | (Listed, Bidding | Unsold)
                | (Bidding, Sold)
                | (Unsold, Listed | Opened | Closed)
                | (Sold | Agreed, Settled)
        )
    }

    /// Nothing more can happen.
    pub fn is_final(self) -> bool {
        matches!(self, DisposalStatus::Settled | DisposalStatus::Closed)
    }
}

/// An auction's listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub reserve_fen: i64,
    pub increment_fen: i64,
    pub opens_at: NaiveDateTime,
    /// Bids are taken strictly before this instant.
    pub deadline: NaiveDateTime,
}

impl Listing {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        keep(
            &mut errors,
            amount(
                "reserve_fen",
                "the reserve price",
                self.reserve_fen,
                Sign::Positive,
            ),
        );
        keep(
            &mut errors,
            amount(
                "increment_fen",
                "the minimum increment",
                self.increment_fen,
                Sign::Positive,
            ),
        );
        if self.deadline <= self.opens_at {
            errors.push(FieldError::new(
                "deadline",
                "not_after_opening",
                format!(
                    "the deadline {} must be after the opening {}",
                    self.deadline, self.opens_at
                ),
            ));
        }
        errors.into_result()
    }
}

/// A bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bid {
    pub bidder_id: i64,
    pub amount_fen: i64,
    pub at: NaiveDateTime,
}

/// Why a bid, or closing the auction, is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BidError {
    #[error("bidding opens at {opens_at}")]
    NotOpen { opens_at: NaiveDateTime },
    #[error("bidding closed at {deadline}")]
    AfterDeadline { deadline: NaiveDateTime },
    #[error("a first bid must reach the reserve price of {} yuan", format_fen(*.reserve_fen))]
    BelowReserve { reserve_fen: i64 },
    #[error("a bid must be at least {} yuan (the best bid plus the increment)", format_fen(*.minimum_fen))]
    BelowIncrement { minimum_fen: i64 },
    #[error("the auction runs until {deadline}")]
    StillOpen { deadline: NaiveDateTime },
}

impl BidError {
    pub fn code(&self) -> &'static str {
        match self {
            BidError::NotOpen { .. } => "not_open",
            BidError::AfterDeadline { .. } => "after_deadline",
            BidError::BelowReserve { .. } => "below_reserve",
            BidError::BelowIncrement { .. } => "below_increment",
            BidError::StillOpen { .. } => "still_open",
        }
    }
}

/// An auction: its listing and the bids accepted, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auction {
    listing: Listing,
    bids: Vec<Bid>,
}

/// How an auction ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuctionOutcome {
    /// The highest bid wins at its price.
    Sold { winner: Bid },
    /// No bid reached the reserve.
    Unsold,
}

impl Auction {
    pub fn new(listing: Listing) -> Result<Auction, FieldErrors> {
        listing.validate()?;
        Ok(Auction {
            listing,
            bids: Vec::new(),
        })
    }

    pub fn listing(&self) -> &Listing {
        &self.listing
    }

    pub fn bids(&self) -> &[Bid] {
        &self.bids
    }

    /// The highest bid so far.
    pub fn best(&self) -> Option<&Bid> {
        self.bids.iter().max_by_key(|bid| bid.amount_fen)
    }

    /// The least the next bid may be: the reserve, or the best bid plus the increment.
    pub fn minimum_bid_fen(&self) -> i64 {
        self.best().map_or(self.listing.reserve_fen, |best| {
            best.amount_fen.saturating_add(self.listing.increment_fen)
        })
    }

    /// Takes a bid, or refuses it and keeps the auction as it was.
    pub fn place(&mut self, bid: Bid) -> Result<(), BidError> {
        if bid.at < self.listing.opens_at {
            return Err(BidError::NotOpen {
                opens_at: self.listing.opens_at,
            });
        }
        if bid.at >= self.listing.deadline {
            return Err(BidError::AfterDeadline {
                deadline: self.listing.deadline,
            });
        }
        let minimum_fen = self.minimum_bid_fen();
        if bid.amount_fen < minimum_fen {
            return Err(if self.bids.is_empty() {
                BidError::BelowReserve {
                    reserve_fen: self.listing.reserve_fen,
                }
            } else {
                BidError::BelowIncrement { minimum_fen }
            });
        }
        self.bids.push(bid);
        Ok(())
    }

    /// The outcome at `at`, once the deadline has passed.
    pub fn outcome(&self, at: NaiveDateTime) -> Result<AuctionOutcome, BidError> {
        if at < self.listing.deadline {
            return Err(BidError::StillOpen {
                deadline: self.listing.deadline,
            });
        }
        Ok(match self.best() {
            Some(best) => AuctionOutcome::Sold {
                winner: best.clone(),
            },
            None => AuctionOutcome::Unsold,
        })
    }
}

/// Why a step of a case is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisposalError {
    #[error("a case that is {} cannot become {}", .from.as_str(), .to.as_str())]
    Transition {
        from: DisposalStatus,
        to: DisposalStatus,
    },
    #[error("this step is for {} cases; this one is {}", .expected, .method.as_str())]
    Method {
        method: DisposalMethod,
        expected: &'static str,
    },
    #[error("{0}")]
    Bid(#[from] BidError),
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
}

/// A disposal case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisposalCase {
    pledge_id: i64,
    method: DisposalMethod,
    status: DisposalStatus,
    auction: Option<Auction>,
    buyer_id: Option<i64>,
    price_fen: Option<i64>,
}

impl DisposalCase {
    /// A case opened on a defaulted pledge.
    pub fn open(pledge_id: i64, method: DisposalMethod) -> DisposalCase {
        DisposalCase {
            pledge_id,
            method,
            status: DisposalStatus::Opened,
            auction: None,
            buyer_id: None,
            price_fen: None,
        }
    }

    pub fn pledge_id(&self) -> i64 {
        self.pledge_id
    }

    pub fn method(&self) -> DisposalMethod {
        self.method
    }

    pub fn status(&self) -> DisposalStatus {
        self.status
    }

    pub fn auction(&self) -> Option<&Auction> {
        self.auction.as_ref()
    }

    pub fn buyer_id(&self) -> Option<i64> {
        self.buyer_id
    }

    /// The price the pledge fetched (sold or agreed).
    pub fn price_fen(&self) -> Option<i64> {
        self.price_fen
    }

    fn to(&mut self, next: DisposalStatus) -> Result<(), DisposalError> {
        if !self.status.may_become(next) {
            return Err(DisposalError::Transition {
                from: self.status,
                to: next,
            });
        }
        self.status = next;
        Ok(())
    }

    fn require(&self, auction: bool) -> Result<(), DisposalError> {
        if (self.method == DisposalMethod::Auction) == auction {
            return Ok(());
        }
        Err(DisposalError::Method {
            method: self.method,
            expected: if auction { "auction" } else { "non-auction" },
        })
    }

    /// Lists an auction case (opened, or relisted once unsold): a fresh auction.
    pub fn list(&mut self, listing: Listing) -> Result<(), DisposalError> {
        self.require(true)?;
        if !self.status.may_become(DisposalStatus::Listed) {
            return Err(DisposalError::Transition {
                from: self.status,
                to: DisposalStatus::Listed,
            });
        }
        let auction = Auction::new(listing).map_err(DisposalError::Invalid)?;
        self.to(DisposalStatus::Listed)?;
        self.auction = Some(auction);
        Ok(())
    }

    /// Takes a bid on a listed case; the first accepted bid starts the bidding.
    pub fn bid(&mut self, bid: Bid) -> Result<(), DisposalError> {
        let (DisposalStatus::Listed | DisposalStatus::Bidding, Some(auction)) =
            (self.status, self.auction.as_mut())
        else {
            return Err(DisposalError::Transition {
                from: self.status,
                to: DisposalStatus::Bidding,
            });
        };
        auction.place(bid)?;
        self.status = DisposalStatus::Bidding;
        Ok(())
    }

    /// Closes the auction at `at` (after its deadline): sold to the highest bid, or unsold.
    pub fn close_auction(&mut self, at: NaiveDateTime) -> Result<AuctionOutcome, DisposalError> {
        let (DisposalStatus::Listed | DisposalStatus::Bidding, Some(auction)) =
            (self.status, self.auction.as_ref())
        else {
            return Err(DisposalError::Transition {
                from: self.status,
                to: DisposalStatus::Sold,
            });
        };
        let outcome = auction.outcome(at)?;
        match &outcome {
            AuctionOutcome::Sold { winner } => {
                self.buyer_id = Some(winner.bidder_id);
                self.price_fen = Some(winner.amount_fen);
                self.to(DisposalStatus::Sold)?;
            }
            AuctionOutcome::Unsold => self.to(DisposalStatus::Unsold)?,
        }
        Ok(outcome)
    }

    /// Records the buyer, acquirer or licensee and the price of a case not sold by auction.
    pub fn agree(&mut self, buyer_id: i64, price_fen: i64) -> Result<(), DisposalError> {
        self.require(false)?;
        let price = amount("price_fen", "the price", price_fen, Sign::Positive)
            .map_err(|error| DisposalError::Invalid(FieldErrors(vec![error])))?;
        self.to(DisposalStatus::Agreed)?;
        self.buyer_id = Some(buyer_id);
        self.price_fen = Some(price);
        Ok(())
    }

    /// After an unsold auction, turns to another method (or relists: use [`Self::list`]).
    pub fn change_method(&mut self, method: DisposalMethod) -> Result<(), DisposalError> {
        self.to(DisposalStatus::Opened)?;
        self.method = method;
        self.auction = None;
        Ok(())
    }

    /// Closes an unsold case without proceeds.
    pub fn close_unsold(&mut self) -> Result<(), DisposalError> {
        self.to(DisposalStatus::Closed)
    }

    /// Settles a sold or agreed case: its price through the waterfall.
    pub fn settle(
        &mut self,
        disposal_costs_fen: i64,
        claim: LoanClaim,
        fund_paid_fen: i64,
    ) -> Result<Waterfall, DisposalError> {
        let Some(proceeds_fen) = self.price_fen else {
            return Err(DisposalError::Transition {
                from: self.status,
                to: DisposalStatus::Settled,
            });
        };
        if !self.status.may_become(DisposalStatus::Settled) {
            return Err(DisposalError::Transition {
                from: self.status,
                to: DisposalStatus::Settled,
            });
        }
        let result = waterfall(&WaterfallInput {
            proceeds_fen,
            disposal_costs_fen,
            claim,
            fund_paid_fen,
        })
        .map_err(DisposalError::Invalid)?;
        self.to(DisposalStatus::Settled)?;
        Ok(result)
    }
}
