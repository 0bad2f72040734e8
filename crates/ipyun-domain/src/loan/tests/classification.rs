//! The overdue floors at their boundaries, overrides, and the NPL ratio.

use crate::loan::{ClassBalances, FloorRule, RiskClass, classify, floor, npl_ratio, npl_ratio_bp};
use rust_decimal::Decimal;

use RiskClass::{Doubtful, Loss, Normal, SpecialMention, Substandard};

#[test]
fn floors_at_each_boundary() {
    // (days overdue, restructured in observation, floor, rule)
    let table = [
        (0, false, Normal, FloorRule::None),
        (-3, false, Normal, FloorRule::None),
        (1, false, SpecialMention, FloorRule::Overdue),
        (90, false, SpecialMention, FloorRule::Overdue),
        (91, false, Substandard, FloorRule::OverdueOver90Days),
        (270, false, Substandard, FloorRule::OverdueOver90Days),
        (271, false, Doubtful, FloorRule::OverdueOver270Days),
        (360, false, Doubtful, FloorRule::OverdueOver270Days),
        (361, false, Loss, FloorRule::OverdueOver360Days),
        (2_000, false, Loss, FloorRule::OverdueOver360Days),
        // Restructured: at least substandard, whether or not anything is overdue …
        (0, true, Substandard, FloorRule::RestructuredInObservation),
        (45, true, Substandard, FloorRule::RestructuredInObservation),
        // … the overdue rule named when it gives the same class, and worse when it is worse.
        (100, true, Substandard, FloorRule::OverdueOver90Days),
        (300, true, Doubtful, FloorRule::OverdueOver270Days),
    ];
    for (days, restructured, class, rule) in table {
        let found = floor(days, restructured);
        assert_eq!(
            (found.class, found.rule),
            (class, rule),
            "{days} {restructured}"
        );
    }
}

#[test]
fn an_override_may_be_worse_never_better() {
    // No override: the floor.
    assert_eq!(classify(floor(95, false), None), Ok(Substandard));
    // Worse than the floor, or equal: accepted.
    assert_eq!(classify(floor(0, false), Some(Doubtful)), Ok(Doubtful));
    assert_eq!(
        classify(floor(95, false), Some(Substandard)),
        Ok(Substandard)
    );
    // Better: refused, naming the floor and the rule.
    let refused = classify(floor(95, false), Some(SpecialMention)).unwrap_err();
    assert_eq!(refused.floor.class, Substandard);
    assert_eq!(refused.requested, SpecialMention);
    let message = refused.to_string();
    for part in [
        "special_mention",
        "substandard",
        "more than 90 days",
        "95 days",
    ] {
        assert!(message.contains(part), "{message} lacks {part}");
    }
    let restructured = classify(floor(0, true), Some(Normal)).unwrap_err();
    assert!(restructured.to_string().contains("restructured"));
    let error = restructured.to_field_error("risk_class");
    assert_eq!(
        (error.field.as_str(), error.code.as_str()),
        ("risk_class", "below_floor")
    );
}

#[test]
fn classes_order_and_parse() {
    assert!(Normal < SpecialMention && SpecialMention < Substandard);
    assert!(Substandard < Doubtful && Doubtful < Loss);
    assert_eq!(RiskClass::parse("special-mention").unwrap(), SpecialMention);
    assert!(!SpecialMention.is_non_performing() && Substandard.is_non_performing());
}

#[test]
fn npl_ratios() {
    // 9,000,000 normal, 500,000 special-mention, 300,000 + 150,000 + 50,000 non-performing:
    // 500,000 ÷ 10,000,000 = 5 % = 500 bp exactly.
    let loans = [
        (Normal, 9_000_000),
        (SpecialMention, 500_000),
        (Substandard, 300_000),
        (Doubtful, 150_000),
        (Loss, 50_000),
    ];
    assert_eq!(npl_ratio_bp(&loans), Some(500));
    assert_eq!(npl_ratio(&loans), Some(Decimal::new(5, 2)));
    // 1 of 3 fen: 3,333.33 bp → 3,333; 2 of 3: 6,666.67 → 6,667 (half up).
    assert_eq!(npl_ratio_bp(&[(Normal, 2), (Loss, 1)]), Some(3_333));
    assert_eq!(npl_ratio_bp(&[(Normal, 1), (Doubtful, 2)]), Some(6_667));
    // 1 of 8: 1,250 bp exactly; 1 of 20,000: 0.5 bp → 1 (half up).
    assert_eq!(npl_ratio_bp(&[(Normal, 7), (Substandard, 1)]), Some(1_250));
    assert_eq!(npl_ratio_bp(&[(Normal, 19_999), (Substandard, 1)]), Some(1));
    // No loans, no ratio.
    assert_eq!(npl_ratio_bp(&[]), None);
    assert_eq!(ClassBalances::default().npl_ratio(), None);
}
