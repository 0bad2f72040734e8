//! Auction rules, the case's state machine, the waterfall and its ledger entries.
//!
//! The listing throughout: reserve 10,000.00 yuan (1,000,000 fen), increment 500.00 yuan
//! (50,000 fen), open from 1 June 2026 10:00 to 8 June 10:00.

use super::{date, instant, pairs, refusals};
use crate::loan::{
    Account, AccountKind, Auction, AuctionOutcome, Bid, BidError, DisposalCase, DisposalError,
    DisposalMethod, DisposalStatus, Ledger, Listing, LoanClaim, SettlementAccounts, Waterfall,
    WaterfallInput, settlement_entries, waterfall,
};

fn listing() -> Listing {
    Listing {
        reserve_fen: 1_000_000,
        increment_fen: 50_000,
        opens_at: instant("2026-06-01 10:00"),
        deadline: instant("2026-06-08 10:00"),
    }
}

fn bid(bidder_id: i64, amount_fen: i64, at: &str) -> Bid {
    Bid {
        bidder_id,
        amount_fen,
        at: instant(at),
    }
}

#[test]
fn bids_reach_the_reserve_then_top_the_best_by_the_increment() {
    let mut auction = Auction::new(listing()).unwrap();
    // (bid, accepted or the refusal's code)
    let table = [
        // Before the opening.
        (bid(1, 2_000_000, "2026-06-01 09:59"), Err("not_open")),
        // Below the reserve.
        (bid(1, 999_999, "2026-06-02 09:00"), Err("below_reserve")),
        // At the reserve: meets it.
        (bid(1, 1_000_000, "2026-06-02 09:00"), Ok(())),
        // The next must be at least 1,000,000 + 50,000 = 1,050,000.
        (
            bid(2, 1_049_999, "2026-06-03 09:00"),
            Err("below_increment"),
        ),
        (bid(2, 1_050_000, "2026-06-03 09:00"), Ok(())),
        (bid(3, 1_200_000, "2026-06-08 09:59"), Ok(())),
        // At the deadline: too late.
        (bid(1, 2_000_000, "2026-06-08 10:00"), Err("after_deadline")),
    ];
    for (offer, expected) in table {
        let found = auction.place(offer.clone()).map_err(|error| error.code());
        assert_eq!(found, expected, "{offer:?}");
    }
    assert_eq!(auction.bids().len(), 3);
    assert_eq!(auction.minimum_bid_fen(), 1_250_000);
    assert_eq!(
        auction.outcome(instant("2026-06-08 09:00")),
        Err(BidError::StillOpen {
            deadline: instant("2026-06-08 10:00")
        })
    );
    // The highest bid wins at its price.
    assert_eq!(
        auction.outcome(instant("2026-06-08 10:00")),
        Ok(AuctionOutcome::Sold {
            winner: bid(3, 1_200_000, "2026-06-08 09:59")
        })
    );
    // Without a bid the reserve is not met: no winner.
    let silent = Auction::new(listing()).unwrap();
    assert_eq!(
        silent.outcome(instant("2026-06-09 00:00")),
        Ok(AuctionOutcome::Unsold)
    );
}

#[test]
fn bad_listings_are_refused() {
    let mut bad = listing();
    bad.reserve_fen = 0;
    bad.increment_fen = -1;
    bad.deadline = bad.opens_at;
    let errors = Auction::new(bad).unwrap_err();
    assert_eq!(
        refusals(&errors),
        pairs(&[
            ("reserve_fen", "not_positive"),
            ("increment_fen", "negative"),
            ("deadline", "not_after_opening"),
        ])
    );
}

fn claim() -> LoanClaim {
    LoanClaim {
        fees_fen: 20_000,
        interest_fen: 80_000,
        principal_fen: 3_000_000,
    }
}

#[test]
fn an_auction_case_from_opened_to_settled() {
    let mut case = DisposalCase::open(42, DisposalMethod::Auction);
    // An auction case is not agreed privately, nor bid on before it is listed.
    assert!(matches!(
        case.agree(9, 1_000_000),
        Err(DisposalError::Method { .. })
    ));
    assert!(matches!(
        case.bid(bid(1, 1_000_000, "2026-06-02 09:00")),
        Err(DisposalError::Transition { .. })
    ));
    case.list(listing()).unwrap();
    assert_eq!(case.status(), DisposalStatus::Listed);
    case.bid(bid(1, 1_000_000, "2026-06-02 09:00")).unwrap();
    assert_eq!(case.status(), DisposalStatus::Bidding);
    // A refused bid leaves the case bidding.
    assert!(matches!(
        case.bid(bid(2, 1_000_001, "2026-06-02 10:00")),
        Err(DisposalError::Bid(BidError::BelowIncrement {
            minimum_fen: 1_050_000
        }))
    ));
    case.bid(bid(2, 2_000_000, "2026-06-05 09:00")).unwrap();
    let outcome = case.close_auction(instant("2026-06-08 10:00")).unwrap();
    assert!(matches!(outcome, AuctionOutcome::Sold { .. }));
    assert_eq!(
        (case.status(), case.buyer_id(), case.price_fen()),
        (DisposalStatus::Sold, Some(2), Some(2_000_000))
    );
    // Settling runs the price through the waterfall (worked in `worked_waterfalls`, first row).
    let settled = case.settle(100_000, claim(), 1_200_000).unwrap();
    assert_eq!(settled.fund_recovery_fen, 720_000);
    assert_eq!(case.status(), DisposalStatus::Settled);
    assert!(case.status().is_final());
    assert!(matches!(
        case.settle(100_000, claim(), 1_200_000),
        Err(DisposalError::Transition { .. })
    ));
}

#[test]
fn an_unsold_auction_relists_turns_to_acquisition_or_closes() {
    let mut case = DisposalCase::open(42, DisposalMethod::Auction);
    case.list(listing()).unwrap();
    assert_eq!(
        case.close_auction(instant("2026-06-08 10:00")).unwrap(),
        AuctionOutcome::Unsold
    );
    assert_eq!(case.status(), DisposalStatus::Unsold);
    // Relisted at a lower reserve, then unsold again, then acquired by an operation fund.
    let mut lower = listing();
    lower.reserve_fen = 800_000;
    case.list(lower).unwrap();
    case.close_auction(instant("2026-06-09 00:00")).unwrap();
    case.change_method(DisposalMethod::Acquisition).unwrap();
    assert_eq!(case.status(), DisposalStatus::Opened);
    case.agree(99, 700_000).unwrap();
    assert_eq!(case.status(), DisposalStatus::Agreed);
    case.settle(0, claim(), 0).unwrap();
    // Another unsold case is closed without proceeds.
    let mut closed = DisposalCase::open(43, DisposalMethod::Auction);
    closed.list(listing()).unwrap();
    closed.close_auction(instant("2026-06-08 10:00")).unwrap();
    closed.close_unsold().unwrap();
    assert_eq!(closed.status(), DisposalStatus::Closed);
    assert!(closed.list(listing()).is_err());
}

#[test]
fn a_negotiated_transfer_or_licence_is_agreed_then_settled() {
    for method in [
        DisposalMethod::NegotiatedTransfer,
        DisposalMethod::Licensing,
    ] {
        let mut case = DisposalCase::open(42, method);
        assert!(matches!(
            case.list(listing()),
            Err(DisposalError::Method { .. })
        ));
        assert!(matches!(case.agree(9, 0), Err(DisposalError::Invalid(_))));
        case.agree(9, 1_500_000).unwrap();
        assert!(case.change_method(DisposalMethod::Auction).is_err());
        case.settle(0, claim(), 0).unwrap();
        assert_eq!(case.status(), DisposalStatus::Settled);
    }
}

#[test]
fn worked_waterfalls() {
    // Claim: fees 20,000, interest 80,000, principal 3,000,000; the fund pre-paid 1,200,000
    // (40 %). (proceeds, costs, expected)
    let table = [
        // 2,000,000 − 100,000 costs − 20,000 fees − 80,000 interest = 1,800,000 of principal,
        // shared 60 / 40: lender 1,080,000, fund 720,000. Unrecovered 3,100,000 − 1,900,000.
        (
            2_000_000,
            100_000,
            Waterfall {
                costs_fen: 100_000,
                fees_fen: 20_000,
                interest_fen: 80_000,
                principal_fen: 1_800_000,
                lender_principal_fen: 1_080_000,
                fund_recovery_fen: 720_000,
                surplus_fen: 0,
                unpaid_costs_fen: 0,
                unrecovered_fen: 1_200_000,
            },
        ),
        // 4,000,000 covers all: the principal 3,000,000 shared 1,800,000 / 1,200,000 (the fund
        // is made whole), and 4,000,000 − 3,200,000 = 800,000 goes to the pledgor.
        (
            4_000_000,
            100_000,
            Waterfall {
                costs_fen: 100_000,
                fees_fen: 20_000,
                interest_fen: 80_000,
                principal_fen: 3_000_000,
                lender_principal_fen: 1_800_000,
                fund_recovery_fen: 1_200_000,
                surplus_fen: 800_000,
                unpaid_costs_fen: 0,
                unrecovered_fen: 0,
            },
        ),
        // 60,000 does not cover the costs: 40,000 of them unpaid, nothing for the loan.
        (
            60_000,
            100_000,
            Waterfall {
                costs_fen: 60_000,
                fees_fen: 0,
                interest_fen: 0,
                principal_fen: 0,
                lender_principal_fen: 0,
                fund_recovery_fen: 0,
                surplus_fen: 0,
                unpaid_costs_fen: 40_000,
                unrecovered_fen: 3_100_000,
            },
        ),
        // 150,000: costs, fees, then 50,000 of the 80,000 interest; no principal, so the fund
        // recovers nothing.
        (
            150_000,
            100_000,
            Waterfall {
                costs_fen: 100_000,
                fees_fen: 20_000,
                interest_fen: 30_000,
                principal_fen: 0,
                lender_principal_fen: 0,
                fund_recovery_fen: 0,
                surplus_fen: 0,
                unpaid_costs_fen: 0,
                unrecovered_fen: 3_050_000,
            },
        ),
    ];
    for (proceeds, costs, expected) in table {
        let found = waterfall(&WaterfallInput {
            proceeds_fen: proceeds,
            disposal_costs_fen: costs,
            claim: claim(),
            fund_paid_fen: 1_200_000,
        })
        .unwrap();
        assert_eq!(found, expected, "{proceeds}");
    }
    let errors = waterfall(&WaterfallInput {
        proceeds_fen: -1,
        disposal_costs_fen: 0,
        claim: claim(),
        fund_paid_fen: 3_000_001,
    })
    .unwrap_err();
    assert_eq!(
        refusals(&errors),
        pairs(&[
            ("proceeds_fen", "negative"),
            ("fund_paid_fen", "above_loss")
        ])
    );
}

#[test]
fn a_settlement_posts_through_the_ledger() {
    // The first waterfall above, through the ledger: the buyer pays 2,000,000 into the case's
    // recoveries, which pay 100,000 costs, 20,000 + 80,000 + 1,080,000 = 1,180,000 to the
    // lender and 720,000 back to the fund; the recoveries end at zero.
    let result = waterfall(&WaterfallInput {
        proceeds_fen: 2_000_000,
        disposal_costs_fen: 100_000,
        claim: claim(),
        fund_paid_fen: 1_200_000,
    })
    .unwrap();
    let accounts = SettlementAccounts {
        case_id: 42,
        lender_id: 7,
        fund_id: 1,
        pledgor_id: 3,
        buyer_id: 2,
    };
    let mut ledger = Ledger::new();
    for entry in settlement_entries(&result, &accounts, date("2026-06-20")).unwrap() {
        assert_eq!(entry.sum_fen(), 0);
        ledger.apply(entry).unwrap();
    }
    let balance = |kind, id| ledger.balance(Account::new(kind, id));
    assert_eq!(balance(AccountKind::Recoveries, 42), 0);
    assert_eq!(balance(AccountKind::DisposalCosts, 42), 100_000);
    assert_eq!(balance(AccountKind::Lender, 7), 1_180_000);
    assert_eq!(balance(AccountKind::Fund, 1), 720_000);
    assert_eq!(balance(AccountKind::Pledgor, 3), 0);
    assert_eq!(balance(AccountKind::Buyer, 2), -2_000_000);
    assert_eq!(ledger.total_fen(), 0);
}
