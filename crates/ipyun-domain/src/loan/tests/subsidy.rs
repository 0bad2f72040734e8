//! Subsidies: eligibility with every ground, the share half up within the cap and the budget
//! left, the budget's position, appropriations within the annual budget, payouts only by maker
//! and checker, days from application to payout.
//!
//! The programme throughout: Suzhou (320500) pays 50 % (5,000 bp) of the interest an enterprise
//! paid, at most 2,000.00 yuan (200,000 fen) an application, from an annual budget of 10,000.00
//! yuan (1,000,000 fen), taking applications from 2027-01-01 to 2027-06-30.

use super::{Codes, date, pairs, refusals};
use crate::id::RegionCode;
use crate::loan::{
    AppropriationError, BudgetPosition, Ledger, LedgerError, PayoutTimes, SubsidyAmount,
    SubsidyError, SubsidyIneligible, SubsidyKind, SubsidyLimit, SubsidyRequest, SubsidyRules,
    SubsidyStatus, approval_amount, enterprise_account, subsidy_account, subsidy_amount,
    subsidy_appropriation, subsidy_budget_account, subsidy_ineligibility, subsidy_payout,
};

fn rules() -> SubsidyRules {
    SubsidyRules {
        programme_id: 3,
        kind: SubsidyKind::Interest,
        region: RegionCode::parse("320500").unwrap(),
        rate_bp: 5_000,
        cap_per_application_fen: 200_000,
        annual_budget_fen: 1_000_000,
        opens_on: date("2027-01-01"),
        closes_on: date("2027-06-30"),
    }
}

/// Enterprise 9 (in Suzhou's Gusu district) asks for the interest it paid in January 2027.
fn request(cost_fen: i64) -> SubsidyRequest {
    SubsidyRequest {
        enterprise_id: 9,
        borrower_id: 9,
        region: Some(RegionCode::parse("320508").unwrap()),
        applied_on: date("2027-02-10"),
        period_start: Some(date("2027-01-01")),
        period_end: Some(date("2027-01-31")),
        cost_fen,
        evidence: None,
    }
}

fn fee_rules(kind: SubsidyKind) -> SubsidyRules {
    SubsidyRules {
        kind,
        rate_bp: 3_000,
        ..rules()
    }
}

fn fee_request(fee_fen: i64, evidence: Option<&str>) -> SubsidyRequest {
    SubsidyRequest {
        period_start: None,
        period_end: None,
        evidence: evidence.map(str::to_string),
        ..request(fee_fen)
    }
}

#[test]
fn worked_subsidies() {
    // (cost, budget left, share, amount, limited by)
    let table = [
        // 362,500 × 50 % = 181,250: within the cap and the budget.
        (362_500, 1_000_000, 181_250, 181_250, None),
        // 333 × 50 % = 166.5 → 167, half up.
        (333, 1_000_000, 167, 167, None),
        // 1 × 50 % = 0.5 → 1.
        (1, 1_000_000, 1, 1, None),
        // 500,000 × 50 % = 250,000: the cap pays 200,000.
        (
            500_000,
            1_000_000,
            250_000,
            200_000,
            Some(SubsidyLimit::Cap),
        ),
        // 150,000 left: the budget cuts below the cap.
        (
            500_000,
            150_000,
            250_000,
            150_000,
            Some(SubsidyLimit::Budget),
        ),
        // The cap and the budget both cut it to 200,000: the cap is named.
        (500_000, 200_000, 250_000, 200_000, Some(SubsidyLimit::Cap)),
        // The share exactly at the cap: nothing cut.
        (400_000, 1_000_000, 200_000, 200_000, None),
    ];
    for (cost, left, share, amount, limited_by) in table {
        assert_eq!(
            subsidy_amount(&rules(), &request(cost), left),
            Ok(SubsidyAmount {
                cost_fen: cost,
                share_fen: share,
                amount_fen: amount,
                limited_by,
            }),
            "cost {cost}, left {left}"
        );
    }
    // A valuation fee of 12,345.67 yuan at 30 %: 370,370.1 fen → 370,370, then the cap.
    let valuation = subsidy_amount(
        &fee_rules(SubsidyKind::ValuationFee),
        &fee_request(1_234_567, Some("发票 No. 0451")),
        1_000_000,
    )
    .unwrap();
    assert_eq!(
        (
            valuation.share_fen,
            valuation.amount_fen,
            valuation.limited_by
        ),
        (370_370, 200_000, Some(SubsidyLimit::Cap))
    );
    // 45,005 × 30 % = 13,501.5 → 13,502.
    let guarantee = subsidy_amount(
        &fee_rules(SubsidyKind::GuaranteeFee),
        &fee_request(45_005, Some("担保合同 DB-7")),
        1_000_000,
    )
    .unwrap();
    assert_eq!(
        (guarantee.share_fen, guarantee.amount_fen),
        (13_502, 13_502)
    );
}

#[test]
fn every_ground_of_a_refusal_is_named() {
    let mut outside = request(0);
    outside.borrower_id = 10;
    // Nanjing's Xuanwu district is outside Suzhou.
    outside.region = Some(RegionCode::parse("320102").unwrap());
    outside.applied_on = date("2027-07-01");
    outside.period_start = Some(date("2027-05-01"));
    outside.period_end = Some(date("2027-05-31"));
    let reasons = subsidy_ineligibility(&rules(), &outside, 0);
    let codes: Vec<&str> = reasons.iter().map(SubsidyIneligible::code).collect();
    assert_eq!(
        codes,
        [
            "not_borrower",
            "outside_region",
            "outside_window",
            "nothing_covered",
            "budget_exhausted"
        ]
    );
    let words: Vec<String> = reasons.iter().map(ToString::to_string).collect();
    assert!(
        words[1].contains("320102") && words[1].contains("320500"),
        "{words:?}"
    );
    assert!(words[2].contains("2027-01-01 to 2027-06-30"), "{words:?}");
    assert!(matches!(
        subsidy_amount(&rules(), &outside, 0),
        Err(SubsidyError::Ineligible(found)) if found.len() == 5
    ));
    // No region at all is outside; the window's first and last days are inside.
    let mut nowhere = request(100);
    nowhere.region = None;
    assert_eq!(
        subsidy_ineligibility(&rules(), &nowhere, 1)
            .iter()
            .map(SubsidyIneligible::code)
            .collect::<Vec<_>>(),
        ["outside_region"]
    );
    for day in ["2027-01-01", "2027-06-30"] {
        let mut edge = request(100);
        edge.applied_on = date(day);
        edge.period_start = Some(date("2026-12-01"));
        edge.period_end = Some(date("2026-12-31"));
        assert!(
            subsidy_ineligibility(&rules(), &edge, 1).is_empty(),
            "{day}"
        );
    }
    // 1 fen at 0.01 %: the share rounds to nothing.
    let tiny = SubsidyRules {
        rate_bp: 1,
        ..rules()
    };
    assert_eq!(
        subsidy_ineligibility(&tiny, &request(1), 1),
        [SubsidyIneligible::NothingDue { cost_fen: 1 }]
    );
    assert_eq!(
        subsidy_ineligibility(&tiny, &request(5_000), 1),
        [],
        "0.5 fen rounds up to 1"
    );
    // The province's programme covers Suzhou's districts.
    let province = SubsidyRules {
        region: RegionCode::parse("320000").unwrap(),
        ..rules()
    };
    assert!(subsidy_ineligibility(&province, &request(100), 1).is_empty());
}

#[test]
fn invalid_rules_and_requests_name_their_fields() {
    let bad = SubsidyRules {
        rate_bp: 10_001,
        cap_per_application_fen: 0,
        annual_budget_fen: -5,
        closes_on: date("2026-12-31"),
        ..rules()
    };
    let expected: Codes = vec![
        ("rate_bp", "above_maximum"),
        ("cap_per_application_fen", "not_positive"),
        ("annual_budget_fen", "negative"),
        ("closes_on", "before_opening"),
    ];
    assert_eq!(refusals(&bad.validate().unwrap_err()), pairs(&expected));

    let table: Vec<(SubsidyKind, SubsidyRequest, Codes)> = vec![
        (
            SubsidyKind::Interest,
            SubsidyRequest {
                period_start: None,
                period_end: None,
                ..request(100)
            },
            vec![("period_start", "required"), ("period_end", "required")],
        ),
        (
            SubsidyKind::Interest,
            SubsidyRequest {
                period_end: None,
                ..request(100)
            },
            vec![("period_end", "required")],
        ),
        (
            SubsidyKind::Interest,
            SubsidyRequest {
                period_start: Some(date("2027-03-01")),
                period_end: Some(date("2027-02-28")),
                ..request(100)
            },
            // Ends before it starts, and after the application.
            vec![("period_end", "before_start"), ("period_end", "in_future")],
        ),
        (
            SubsidyKind::InsuranceFee,
            request(100),
            vec![
                ("period_start", "not_applicable"),
                ("period_end", "not_applicable"),
                ("evidence", "required"),
            ],
        ),
        (
            SubsidyKind::InsuranceFee,
            fee_request(0, Some("保单")),
            vec![("fee_fen", "not_positive")],
        ),
        (
            SubsidyKind::ValuationFee,
            fee_request(-1, Some("  ")),
            vec![("fee_fen", "negative"), ("evidence", "required")],
        ),
        (
            SubsidyKind::GuaranteeFee,
            fee_request(100, Some(&"票".repeat(501))),
            vec![("evidence", "too_long")],
        ),
    ];
    for (kind, request, expected) in table {
        let rules = SubsidyRules { kind, ..rules() };
        match subsidy_amount(&rules, &request, 1_000_000) {
            Err(SubsidyError::Invalid(errors)) => {
                assert_eq!(refusals(&errors), pairs(&expected), "{kind:?} {request:?}")
            }
            other => panic!("{kind:?} {request:?}: {other:?}"),
        }
    }
}

#[test]
fn approval_cuts_again_by_the_budget_left_then() {
    let rules = rules();
    // Filed when 150,000 was left (cut by the budget); approved after a new appropriation.
    assert_eq!(
        approval_amount(&rules, 500_000, 250_000, 800_000),
        Ok(SubsidyAmount {
            cost_fen: 500_000,
            share_fen: 250_000,
            amount_fen: 200_000,
            limited_by: Some(SubsidyLimit::Cap),
        })
    );
    assert_eq!(
        approval_amount(&rules, 362_500, 181_250, 100_000).map(|amount| amount.amount_fen),
        Ok(100_000)
    );
    assert_eq!(
        approval_amount(&rules, 362_500, 181_250, 0),
        Err(SubsidyIneligible::BudgetExhausted)
    );
}

#[test]
fn the_budget_left_is_the_balance_less_what_is_committed() {
    let position = BudgetPosition {
        appropriated_fen: 1_000_000,
        paid_fen: 181_250,
        committed_fen: 200_000,
    };
    assert_eq!(position.balance_fen(), 818_750);
    assert_eq!(position.left_fen(), 618_750);
    let over = BudgetPosition {
        committed_fen: 900_000,
        ..position
    };
    assert_eq!(over.left_fen(), 0);
}

#[test]
fn appropriations_stay_within_the_annual_budget_and_payouts_need_two_users() {
    let rules = rules();
    let day = date("2027-01-05");
    let mut ledger = Ledger::new();
    let first = subsidy_appropriation(&rules, 0, 600_000, day).unwrap();
    assert_eq!(first.reference(), "subsidy-3/appropriation");
    ledger.apply(first).unwrap();
    assert_eq!(
        subsidy_appropriation(&rules, 600_000, 400_001, day),
        Err(AppropriationError::AboveAnnualBudget {
            amount_fen: 400_001,
            annual_budget_fen: 1_000_000,
            room_fen: 400_000,
        })
    );
    assert_eq!(
        subsidy_appropriation(&rules, 600_000, 400_001, day)
            .unwrap_err()
            .code(),
        "above_annual_budget"
    );
    match subsidy_appropriation(&rules, 0, 0, day) {
        Err(AppropriationError::Invalid(errors)) => {
            assert_eq!(refusals(&errors), pairs(&[("amount_fen", "not_positive")]))
        }
        other => panic!("{other:?}"),
    }
    ledger
        .apply(subsidy_appropriation(&rules, 600_000, 400_000, day).unwrap())
        .unwrap();
    assert_eq!(ledger.balance(subsidy_budget_account(3)), -1_000_000);
    assert_eq!(ledger.balance(subsidy_account(3)), 1_000_000);

    // Money leaving the programme is a payout: refused as a plain entry, applied once approved
    // by another user, refused whole past the programme's balance.
    let payout = subsidy_payout(41, 3, 9, 181_250, day, "subsidy-3/application-1").unwrap();
    assert_eq!(
        ledger.apply(payout.entry().clone()),
        Err(LedgerError::NeedsApproval {
            account: subsidy_account(3)
        })
    );
    assert_eq!(
        payout.clone().approve(41).unwrap_err().code(),
        "maker_is_checker"
    );
    ledger.apply_payout(payout.approve(42).unwrap()).unwrap();
    assert_eq!(ledger.balance(enterprise_account(9)), 181_250);
    assert_eq!(ledger.balance(subsidy_account(3)), 818_750);
    let too_much = subsidy_payout(41, 3, 9, 818_751, day, "too much").unwrap();
    assert!(matches!(
        ledger.apply_payout(too_much.approve(42).unwrap()),
        Err(LedgerError::Overdraft { account, would_be: -1 }) if account == subsidy_account(3)
    ));
    assert_eq!(ledger.balance(subsidy_account(3)), 818_750);
    assert_eq!(ledger.total_fen(), 0);
}

#[test]
fn statuses_move_forward_only() {
    use SubsidyStatus::*;
    let allowed = [
        (Submitted, Approved),
        (Submitted, Refused),
        (Approved, PayoutDrafted),
        (PayoutDrafted, Paid),
    ];
    for from in SubsidyStatus::ALL {
        for to in SubsidyStatus::ALL {
            assert_eq!(
                from.may_become(*to),
                allowed.contains(&(*from, *to)),
                "{from:?} → {to:?}"
            );
        }
    }
    let committed: Vec<_> = SubsidyStatus::ALL
        .iter()
        .filter(|status| status.is_committed())
        .collect();
    assert_eq!(committed, [&Approved, &PayoutDrafted]);
    assert_eq!(
        SubsidyKind::parse("valuation-fee"),
        Ok(SubsidyKind::ValuationFee)
    );
    assert!(SubsidyKind::parse("rent").is_err());
}

#[test]
fn days_to_payout_average_half_up_to_a_tenth() {
    let on = |applied: &str, paid: &str| (date(applied), date(paid));
    assert_eq!(PayoutTimes::of([]).average_days(), None);
    assert_eq!(PayoutTimes::of([]).max_days, None);
    let times = PayoutTimes::of([
        on("2027-02-10", "2027-02-20"),
        on("2027-02-10", "2027-02-13"),
        on("2027-03-01", "2027-03-01"),
    ]);
    // (10 + 3 + 0) / 3 = 4.33… → 4.3.
    assert_eq!(
        (times.paid, times.total_days, times.max_days),
        (3, 13, Some(10))
    );
    assert_eq!(times.average_days().unwrap().to_string(), "4.3");
    // 21 / 20 = 1.05 → 1.1, half up; 5 / 3 = 1.67 → 1.7.
    let mut pairs = vec![on("2027-01-01", "2027-01-03")];
    pairs.extend((0..19).map(|_| on("2027-01-01", "2027-01-02")));
    assert_eq!(
        PayoutTimes::of(pairs).average_days().unwrap().to_string(),
        "1.1"
    );
    let thirds = PayoutTimes::of([
        on("2027-01-01", "2027-01-02"),
        on("2027-01-01", "2027-01-03"),
        on("2027-01-01", "2027-01-03"),
    ]);
    assert_eq!(thirds.average_days().unwrap().to_string(), "1.7");
    // A payout dated before its application counts as 0 days.
    let backwards = PayoutTimes::of([on("2027-01-05", "2027-01-01")]);
    assert_eq!((backwards.total_days, backwards.max_days), (0, Some(0)));
}

#[test]
fn random_programmes_never_pay_past_the_share_the_cap_or_the_budget() {
    let mut rng = super::Rng::new(11);
    let (mut paid, mut cut) = (0, 0);
    for _ in 0..300 {
        let rules = SubsidyRules {
            rate_bp: rng.range(1, 10_000),
            cap_per_application_fen: rng.amount(7),
            annual_budget_fen: rng.amount(8),
            ..rules()
        };
        let mut ledger = Ledger::new();
        let mut position = BudgetPosition::default();
        let mut appropriated_this_year = 0;
        for step in 0..40 {
            if rng.chance(200) {
                let room = rules.annual_budget_fen - appropriated_this_year;
                let amount = rng.range(1, room.max(1));
                match subsidy_appropriation(
                    &rules,
                    appropriated_this_year,
                    amount,
                    date("2027-01-05"),
                ) {
                    Ok(entry) => {
                        ledger.apply(entry).unwrap();
                        appropriated_this_year += amount;
                        position.appropriated_fen += amount;
                    }
                    Err(AppropriationError::AboveAnnualBudget { room_fen, .. }) => {
                        assert_eq!(room_fen, 0);
                    }
                    Err(other) => panic!("{other:?}"),
                }
                continue;
            }
            let cost = rng.amount(8);
            let left = position.left_fen();
            match subsidy_amount(&rules, &request(cost), left) {
                Ok(found) => {
                    assert!(found.amount_fen <= found.share_fen);
                    assert!(found.amount_fen <= rules.cap_per_application_fen);
                    assert!(found.amount_fen <= left && found.amount_fen > 0);
                    assert_eq!(
                        found.limited_by.is_none(),
                        found.amount_fen == found.share_fen
                    );
                    // The exact share is within half a fen of what was rounded.
                    let exact = i128::from(cost) * i128::from(rules.rate_bp);
                    assert!((i128::from(found.share_fen) * 10_000 - exact).abs() <= 5_000);
                    position.committed_fen += found.amount_fen;
                    let payout = subsidy_payout(1, 3, 9, found.amount_fen, date("2027-02-10"), "p")
                        .unwrap()
                        .approve(2)
                        .unwrap();
                    ledger.apply_payout(payout).unwrap();
                    position.committed_fen -= found.amount_fen;
                    position.paid_fen += found.amount_fen;
                    paid += 1;
                    cut += usize::from(found.limited_by.is_some());
                }
                Err(SubsidyError::Ineligible(reasons)) => {
                    for reason in &reasons {
                        match reason {
                            SubsidyIneligible::BudgetExhausted => assert_eq!(left, 0),
                            SubsidyIneligible::NothingDue { .. } => {
                                assert!(i128::from(cost) * i128::from(rules.rate_bp) < 5_000)
                            }
                            other => panic!("step {step}: {other:?}"),
                        }
                    }
                }
                Err(other) => panic!("{other:?}"),
            }
            assert_eq!(ledger.balance(subsidy_account(3)), position.balance_fen());
            assert!(ledger.balance(subsidy_account(3)) >= 0);
            assert_eq!(ledger.total_fen(), 0);
        }
    }
    assert!(paid > 1_000 && cut > 100, "{paid} paid, {cut} cut");
}
