//! Fund rules: eligibility, pre-compensation within the caps, the recovery's pro-rata split.
//!
//! The fund throughout: Hangzhou (330100), covers 40 % (4,000 bp) of the principal loss, at most
//! 20,000.00 yuan (2,000,000 fen) per loan and 50,000.00 yuan (5,000,000 fen) a year, for
//! lender 7 and product 70.

use super::{date, pairs, refusals};
use crate::id::RegionCode;
use crate::loan::{
    Cap, Claim, ClaimStatus, FundError, FundRules, FundScope, Ineligible, PaidSoFar,
    PreCompensation, RecoverySplit, is_eligible, pre_compensation, split_pro_rata, split_recovery,
};

fn rules() -> FundRules {
    FundRules {
        fund_id: 1,
        scope: FundScope::Region {
            region: RegionCode::parse("330100").unwrap(),
        },
        coverage_bp: 4_000,
        cap_per_loan_fen: 2_000_000,
        cap_per_year_fen: 5_000_000,
        eligible_lenders: vec![7],
        eligible_products: vec![70],
    }
}

fn claim(principal_fen: i64) -> Claim {
    Claim {
        lender_id: 7,
        product_id: 70,
        // Xihu district lies within Hangzhou.
        region: Some(RegionCode::parse("330106").unwrap()),
        park_id: None,
        principal_outstanding_fen: principal_fen,
        claimed_on: date("2026-09-01"),
    }
}

fn paid(for_loan_fen: i64, this_year_fen: i64) -> PaidSoFar {
    PaidSoFar {
        for_loan_fen,
        this_year_fen,
    }
}

#[test]
fn worked_pre_compensations() {
    // (principal outstanding, paid so far (loan, year), share, due, amount, limited by)
    let table = [
        // 3,000,000 × 40 % = 1,200,000: within both caps.
        (3_000_000, paid(0, 0), 1_200_000, 1_200_000, 1_200_000, None),
        // 6,000,000 × 40 % = 2,400,000: the per-loan cap pays 2,000,000.
        (
            6_000_000,
            paid(0, 0),
            2_400_000,
            2_400_000,
            2_000_000,
            Some(Cap::PerLoan),
        ),
        // 4,500,000 paid this year already: 500,000 left under the yearly cap.
        (
            3_000_000,
            paid(0, 4_500_000),
            1_200_000,
            1_200_000,
            500_000,
            Some(Cap::PerYear),
        ),
        // 1,000,000 paid on this loan before: 200,000 of the share is still due.
        (
            3_000_000,
            paid(1_000_000, 1_000_000),
            1_200_000,
            200_000,
            200_000,
            None,
        ),
        // The share already paid in full: nothing due.
        (3_000_000, paid(1_200_000, 1_200_000), 1_200_000, 0, 0, None),
        // The yearly cap reached: nothing this year.
        (
            3_000_000,
            paid(0, 5_000_000),
            1_200_000,
            1_200_000,
            0,
            Some(Cap::PerYear),
        ),
        // 1,234,567 × 40 % = 493,826.8 → 493,827.
        (1_234_567, paid(0, 0), 493_827, 493_827, 493_827, None),
    ];
    for (principal, so_far, share, due, amount, limited_by) in table {
        assert_eq!(
            pre_compensation(&rules(), &claim(principal), so_far),
            Ok(PreCompensation {
                share_fen: share,
                due_fen: due,
                amount_fen: amount,
                limited_by,
            }),
            "{principal} {so_far:?}"
        );
    }
    // Half up: 1,234,567 × 50 % = 617,283.5 → 617,284.
    let mut half = rules();
    half.coverage_bp = 5_000;
    let found = pre_compensation(&half, &claim(1_234_567), paid(0, 0)).unwrap();
    assert_eq!(found.share_fen, 617_284);
}

#[test]
fn ineligible_claims_are_refused_with_every_reason() {
    assert!(is_eligible(&rules(), &claim(1_000)));
    let mut stranger = claim(1_000);
    stranger.lender_id = 8;
    stranger.product_id = 80;
    // Huangpu, Shanghai: outside Hangzhou.
    stranger.region = Some(RegionCode::parse("310101").unwrap());
    assert_eq!(
        pre_compensation(&rules(), &stranger, paid(0, 0)),
        Err(FundError::Ineligible(vec![
            Ineligible::Lender { lender_id: 8 },
            Ineligible::Product { product_id: 80 },
            Ineligible::OutsideScope,
        ]))
    );
    // A park fund covers its park only.
    let mut park = rules();
    park.scope = FundScope::Park { park_id: 5 };
    let mut inside = claim(1_000);
    inside.park_id = Some(5);
    assert!(is_eligible(&park, &inside));
    assert!(!is_eligible(&park, &claim(1_000)));
    assert!(!is_eligible(&rules(), &claim(0)));
}

#[test]
fn bad_rules_are_refused_naming_the_field() {
    let mut bad = rules();
    bad.coverage_bp = 10_001;
    bad.cap_per_loan_fen = 0;
    bad.cap_per_year_fen = -1;
    bad.eligible_products = vec![];
    let errors = bad.validate().unwrap_err();
    assert_eq!(
        refusals(&errors),
        pairs(&[
            ("coverage_bp", "above_maximum"),
            ("cap_per_loan_fen", "not_positive"),
            ("cap_per_year_fen", "negative"),
            ("eligible_products", "empty"),
        ])
    );
    assert!(matches!(
        pre_compensation(&bad, &claim(1), paid(0, 0)),
        Err(FundError::Invalid(_))
    ));
    let negative = pre_compensation(&rules(), &claim(1_000), paid(-1, 0));
    let Err(FundError::Invalid(errors)) = negative else {
        panic!("{negative:?}")
    };
    assert_eq!(
        refusals(&errors),
        pairs(&[("paid.for_loan_fen", "negative")])
    );
}

#[test]
fn recoveries_split_pro_rata_with_the_remainder_deterministic() {
    // (principal loss, fund paid, recovered, to lender, to fund)
    let table = [
        // The fund bore 40 %: 500,000 × 60 % = 300,000 / 500,000 × 40 % = 200,000, exact.
        (1_000_000, 400_000, 500_000, 300_000, 200_000),
        // Capped fund (333,333 of 1,000,000): lender 100,001 × 0.666667 = 66,667.37,
        // fund 100,001 × 0.333333 = 33,333.63: floors 66,667 + 33,333 = 100,000; the odd fen
        // goes to the larger remainder (.63, the fund).
        (1_000_000, 333_333, 100_001, 66_667, 33_334),
        // 2 fen at ⅔ / ⅓: 1.33 / 0.67 → floors 1 / 0, the odd fen to the fund (.67 > .33).
        (3, 1, 2, 1, 1),
        // A tie, ½ fen each: the lender is listed first and takes it.
        (2, 1, 1, 1, 0),
        // The fund paid nothing: all to the lender; paid everything: all to the fund.
        (1_000, 0, 700, 700, 0),
        (1_000, 1_000, 700, 0, 700),
        // Nothing recovered.
        (1_000, 400, 0, 0, 0),
    ];
    for (loss, fund_paid, recovered, to_lender, to_fund) in table {
        assert_eq!(
            split_recovery(loss, fund_paid, recovered),
            Ok(RecoverySplit {
                to_lender_fen: to_lender,
                to_fund_fen: to_fund,
            }),
            "{loss} {fund_paid} {recovered}"
        );
    }
    let errors = split_recovery(1_000, 1_001, 1_002).unwrap_err();
    assert_eq!(
        refusals(&errors),
        pairs(&[
            ("fund_paid_fen", "above_loss"),
            ("recovered_fen", "above_loss")
        ])
    );
}

#[test]
fn pro_rata_splits() {
    // 100 fen three ways: 33 each, the odd fen to the first on the tie.
    assert_eq!(split_pro_rata(100, &[1, 1, 1]), Some(vec![34, 33, 33]));
    // 10 fen by 1:2:3 → 1.67, 3.33, 5: floors 1, 3, 5, the odd fen to the largest remainder
    // (.67, the first).
    assert_eq!(split_pro_rata(10, &[1, 2, 3]), Some(vec![2, 3, 5]));
    // A zero weight gets nothing.
    assert_eq!(split_pro_rata(5, &[0, 1]), Some(vec![0, 5]));
    assert_eq!(split_pro_rata(5, &[0, 0]), None);
    assert_eq!(split_pro_rata(-5, &[1]), None);
}

#[test]
fn claim_states() {
    use ClaimStatus::*;
    assert!(Submitted.may_become(PayoutDrafted) && PayoutDrafted.may_become(Paid));
    assert!(Paid.may_become(Settled) && Submitted.may_become(Refused));
    // A claim is not paid without a drafted payout, and a paid one is not refused.
    assert!(!Submitted.may_become(Paid) && !Paid.may_become(Refused));
}
