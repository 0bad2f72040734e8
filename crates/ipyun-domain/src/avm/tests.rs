#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::measure::{self, piecewise};
use super::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn h01l() -> FieldKey {
    FieldKey::from_ipc("H01L 21/56").unwrap()
}

/// An in-force invention filed 2016-01-01 with nothing else known, valued on 2026-01-01.
fn bare() -> PatentIndicators {
    PatentIndicators {
        kind: RightKind::Invention,
        legal_status: LegalStatus::InForce,
        filing_date: date("2016-01-01"),
        grant_date: Some(date("2018-06-01")),
        expiry_date: None,
        field: None,
        royalty_bp: None,
        counts: None,
        implemented: None,
        holder_revenue_fen: None,
        holder: None,
        pledges: 0,
    }
}

fn rich() -> PatentIndicators {
    PatentIndicators {
        field: Some(h01l()),
        royalty_bp: Some(475),
        counts: Some(IndicatorCounts {
            claims: 10,
            independent_claims: 2,
            family_size: 3,
            family_countries: 2,
            forward_citations: 8,
            backward_citations: 10,
            inventors: 3,
            licences: 1,
            transfers: 1,
            litigations: 0,
            invalidation_requests: 1,
        }),
        implemented: Some(true),
        holder_revenue_fen: Some(12_000_000_000),
        holder: Some(HolderProfile {
            size_class: Some(SizeClass::Medium),
            specialised_sme: true,
            little_giant: false,
        }),
        pledges: 1,
        ..bare()
    }
}

fn stats() -> FieldStats {
    let mut stats = FieldStats::new(date("2026-01-01"));
    stats.add(Some(h01l()), 2024, 100, 50);
    stats.add(Some(h01l()), 2016, 100, 400);
    stats.add(FieldKey::from_ipc("G06F 3/01"), 2016, 200, 100);
    stats
}

fn model() -> AvmModel {
    AvmModel::new(date("2026-01-01"), stats())
}

#[test]
fn weights_sum_to_one_exactly_with_the_documented_dimension_totals() {
    let expect = [
        (Purpose::Pledge, [4_500, 2_500, 3_000]),
        (Purpose::Licence, [3_000, 3_500, 3_500]),
        (Purpose::Transfer, [3_500, 3_000, 3_500]),
    ];
    for (purpose, dimensions) in expect {
        let weights = purpose.weights_bp();
        assert_eq!(weights.iter().sum::<u32>(), 10_000, "{purpose:?}");
        for dimension in Dimension::ALL {
            let total: u32 = Indicator::ALL
                .iter()
                .filter(|indicator| indicator.dimension() == dimension)
                .map(|indicator| weights[indicator.index()])
                .sum();
            assert_eq!(
                total,
                dimensions[dimension.index()],
                "{purpose:?} {dimension:?}"
            );
        }
    }
    assert_eq!(Indicator::ALL.len(), 14);
    for (index, indicator) in Indicator::ALL.iter().enumerate() {
        assert_eq!(indicator.index(), index);
    }
}

#[test]
fn piecewise_breakpoints() {
    let check = |x: u64, points: &[(u64, u32)], expect: u32| {
        assert_eq!(piecewise(x, points), expect, "x = {x}");
    };
    check(0, measure::CLAIMS, 2_000);
    check(1, measure::CLAIMS, 2_000);
    check(2, measure::CLAIMS, 3_000);
    check(8, measure::CLAIMS, 7_000);
    check(20, measure::CLAIMS, 10_000);
    check(500, measure::CLAIMS, 10_000);
    check(4_999, measure::REMAINING_TERM, 6_999);
    check(21_333, measure::CITATION_RATIO, 8_133);
    check(5_839, value::SCORE_MULTIPLIER, 14_027);
}

#[test]
fn a_bare_invention_is_valued_exactly() {
    let score = AvmModel::new(date("2026-01-01"), FieldStats::new(date("2026-01-01")))
        .score(&bare(), Purpose::Pledge);
    assert_eq!(
        score,
        AvmScore {
            score_bp: 5_839,
            dimension_scores_bp: [6_866, 5_000, 5_000],
            low_fen: 25_251_100,
            mid_fen: 56_108_000,
            high_fen: 124_672_000,
            confidence_bp: 3_890,
        }
    );
}

#[test]
fn the_bare_invention_explained() {
    let model = AvmModel::new(date("2026-01-01"), FieldStats::new(date("2026-01-01")));
    let contributions = model.explain(&bare(), Purpose::Pledge);
    assert_eq!(contributions.len(), 14);
    let check = |indicator: Indicator, effect_bp: i64, zh: &str, en: &str| {
        let found = contributions
            .iter()
            .find(|contribution| contribution.indicator == indicator)
            .unwrap();
        assert_eq!(found.effect_bp, effect_bp, "{indicator:?}");
        assert_eq!(found.text_zh, zh);
        assert_eq!(found.text_en, en);
    };
    check(
        Indicator::LegalStatus,
        2_064,
        "法律状态：专利权有效（+20.6%）",
        "Legal status: in force (+20.6%)",
    );
    check(
        Indicator::RemainingTerm,
        891,
        "剩余保护期：剩余 10.0 年，为法定保护期 20 年的 50%（+8.9%）",
        "Remaining term: 10.0 years left, 50% of the 20-year term (+8.9%)",
    );
    check(
        Indicator::Stability,
        354,
        "权利稳定性：发明专利经实质审查；无效与诉讼记录未知（+3.5%）",
        "Stability: an invention granted after substantive examination; invalidation and litigation records unknown (+3.5%)",
    );
    check(
        Indicator::Scope,
        0,
        "保护范围：暂无数据，按中性水平计（0.0%）",
        "Scope of protection: no data: scored at the neutral level (0.0%)",
    );
    assert!(contributions.iter().filter(|c| !c.known).count() == 11);
}

#[test]
fn field_statistics_normalise_citations_and_activity() {
    let model = model();
    let contributions = model.explain(&rich(), Purpose::Licence);
    let text = |indicator: Indicator| {
        contributions
            .iter()
            .find(|contribution| contribution.indicator == indicator)
            .map(|contribution| (contribution.score_bp, contribution.text_zh.clone()))
            .unwrap()
    };
    let (score, words) = text(Indicator::Advancement);
    assert_eq!(score, 8_133);
    assert!(
        words.starts_with("技术先进性：被引 8 次，年均 0.80 次，为同领域（H01L）平均的 2.1 倍（+"),
        "{words}"
    );
    let (score, words) = text(Indicator::FieldActivity);
    assert_eq!(score, 9_000);
    assert!(
        words.starts_with("技术领域活跃度：H01L 领域近三年申请占比为全库的 2.0 倍（+"),
        "{words}"
    );
    let (_, words) = text(Indicator::LicenceIncome);
    assert!(
        words.starts_with("许可收益：权利人年营业收入 1.2 亿元 × 行业许可费率 4.75% ≈ 570 万元/年"),
        "{words}"
    );
    let (_, words) = text(Indicator::HolderStrength);
    assert!(
        words.starts_with("权利人经营：权利人为中型企业，专精特新中小企业"),
        "{words}"
    );
    let (_, words) = text(Indicator::Transactions);
    assert!(
        words.starts_with("交易活跃：转让 1 次，质押 1 次"),
        "{words}"
    );
    // A small field is compared with the register instead.
    let small = PatentIndicators {
        field: FieldKey::from_ipc("A01B 1/00"),
        ..rich()
    };
    let (_, words) = model
        .explain(&small, Purpose::Licence)
        .into_iter()
        .find(|contribution| contribution.indicator == Indicator::Advancement)
        .map(|contribution| (0, contribution.text_zh))
        .unwrap();
    assert!(words.contains("为全库平均的"), "{words}");
}

#[test]
fn more_evidence_of_value_never_lowers_the_value() {
    let model = model();
    type Change = fn(&mut PatentIndicators);
    let ladders: Vec<(&str, Vec<Change>)> = vec![
        (
            "claims",
            vec![
                |p| p.counts.as_mut().unwrap().claims = 1,
                |p| p.counts.as_mut().unwrap().claims = 5,
                |p| p.counts.as_mut().unwrap().claims = 30,
            ],
        ),
        (
            "forward citations",
            vec![
                |p| p.counts.as_mut().unwrap().forward_citations = 0,
                |p| p.counts.as_mut().unwrap().forward_citations = 4,
                |p| p.counts.as_mut().unwrap().forward_citations = 40,
            ],
        ),
        (
            "family countries",
            vec![
                |p| p.counts.as_mut().unwrap().family_countries = 1,
                |p| p.counts.as_mut().unwrap().family_countries = 4,
                |p| p.counts.as_mut().unwrap().family_countries = 9,
            ],
        ),
        (
            "licences",
            vec![|p| p.counts.as_mut().unwrap().licences = 0, |p| {
                p.counts.as_mut().unwrap().licences = 2
            }],
        ),
        (
            "implemented",
            vec![|p| p.implemented = Some(false), |p| {
                p.implemented = Some(true)
            }],
        ),
        (
            "size",
            vec![
                |p| p.holder.as_mut().unwrap().size_class = Some(SizeClass::Micro),
                |p| p.holder.as_mut().unwrap().size_class = Some(SizeClass::Large),
            ],
        ),
        (
            "status",
            vec![
                |p| p.legal_status = LegalStatus::OwnershipDispute,
                |p| p.legal_status = LegalStatus::LateFeePeriod,
                |p| p.legal_status = LegalStatus::InForce,
            ],
        ),
        (
            "royalty",
            vec![|p| p.royalty_bp = Some(100), |p| p.royalty_bp = Some(850)],
        ),
    ];
    for purpose in Purpose::ALL {
        for (name, steps) in &ladders {
            let mut previous = 0;
            for step in steps {
                let mut patent = rich();
                step(&mut patent);
                let score = model.score(&patent, purpose);
                assert!(score.low_fen <= score.mid_fen && score.mid_fen <= score.high_fen);
                assert!(score.mid_fen >= previous, "{purpose:?} {name}: {score:?}");
                previous = score.mid_fen;
            }
        }
    }
}

#[test]
fn confidence_follows_the_data_and_widens_the_range() {
    let model = model();
    let rich_score = model.score(&rich(), Purpose::Transfer);
    let bare_score = model.score(&bare(), Purpose::Transfer);
    assert!(rich_score.confidence_bp > bare_score.confidence_bp);
    assert_eq!(rich_score.confidence_bp, 9_000);
    let width = |score: AvmScore| (score.high_fen - score.low_fen) * 10_000 / score.mid_fen;
    assert!(width(rich_score) < width(bare_score));
    let pending = PatentIndicators {
        legal_status: LegalStatus::InvalidationPending,
        ..rich()
    };
    assert_eq!(
        model.score(&pending, Purpose::Transfer).confidence_bp,
        7_500
    );
}

#[test]
fn ended_rights_and_other_kinds() {
    let model = model();
    for status in [
        LegalStatus::Expired,
        LegalStatus::LapsedUnpaidFee,
        LegalStatus::Invalidated,
    ] {
        let ended = PatentIndicators {
            legal_status: status,
            ..rich()
        };
        let score = model.score(&ended, Purpose::Pledge);
        assert_eq!((score.low_fen, score.mid_fen, score.high_fen), (0, 0, 0));
        assert_eq!(score.confidence_bp, value::ENDED_CONFIDENCE_BP);
        let words = model.explain(&ended, Purpose::Pledge);
        assert_eq!(words.len(), 1);
        assert!(words[0].text_zh.contains("不再具有权利价值"));
    }
    let trademark = PatentIndicators {
        kind: RightKind::Trademark,
        ..rich()
    };
    assert_eq!(
        model.score(&trademark, Purpose::Pledge),
        AvmScore::NOT_ASSESSED
    );
    assert!(model.explain(&trademark, Purpose::Pledge).is_empty());
}

#[test]
fn designs_score_scope_neutrally_and_kinds_order_the_value() {
    let model = model();
    let design = PatentIndicators {
        kind: RightKind::Design,
        ..rich()
    };
    let scope = measure::measure(&model, &design, Indicator::Scope);
    assert_eq!((scope.score_bp, scope.known_bp), (5_000, 10_000));
    let utility = PatentIndicators {
        kind: RightKind::UtilityModel,
        filing_date: date("2021-01-01"),
        ..rich()
    };
    let invention = PatentIndicators {
        filing_date: date("2021-01-01"),
        ..rich()
    };
    for purpose in Purpose::ALL {
        assert!(
            model.score(&invention, purpose).mid_fen > model.score(&utility, purpose).mid_fen,
            "{purpose:?}"
        );
    }
}

#[test]
fn royalty_table_takes_the_longest_prefix() {
    let table = RoyaltyTable::new(
        [
            ("C39".to_string(), 475),
            ("C".to_string(), 200),
            ("C27".to_string(), 325),
        ],
        [
            ("A61K".to_string(), "C27".to_string()),
            ("H01L".to_string(), "C39".to_string()),
            ("H01".to_string(), "C38".to_string()),
        ],
    );
    let check = |ipc: Option<&str>, industry: Option<&str>, expect: Option<u32>| {
        assert_eq!(table.rate_bp(ipc, industry), expect, "{ipc:?} {industry:?}");
    };
    check(Some("H01L 21/56"), None, Some(475));
    check(Some("h01m 4/00"), None, Some(200));
    check(Some("A61K 36/00"), Some("C39"), Some(325));
    check(Some("G06F 3/01"), Some("C3911"), Some(475));
    check(None, Some("I65"), None);
    check(None, None, None);
    assert_eq!(
        FieldKey::from_ipc("h01l21/56").map(|key| key.as_str().to_string()),
        Some("H01L".into())
    );
    assert_eq!(FieldKey::from_ipc("Z99"), None);
}

#[test]
fn purposes_parse() {
    assert_eq!(Purpose::parse("Finance").unwrap(), Purpose::Pledge);
    assert_eq!(Purpose::parse("许可").unwrap(), Purpose::Licence);
    assert_eq!(Purpose::parse("pledge").unwrap(), Purpose::Pledge);
    assert_eq!(Purpose::parse("licence").unwrap(), Purpose::Licence);
    assert!(Purpose::parse("gift").is_err());
}

#[test]
fn scoring_is_deterministic_and_dates_move_the_term() {
    let model = model();
    let first = model.score(&rich(), Purpose::Pledge);
    assert_eq!(first, model.score(&rich(), Purpose::Pledge));
    let later = model.on(date("2032-01-01")).score(&rich(), Purpose::Pledge);
    assert!(later.mid_fen < first.mid_fen);
}
