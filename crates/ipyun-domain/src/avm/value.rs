//! From score to money: the base value, the field factor, the score multiplier, the confidence
//! and the range. All integer: fen and basis points, rounded once, half up, to whole yuan.

use super::Purpose;
use crate::right::{LegalStatus, RightKind};

/// The royalty rate the base values assume: 3% of revenue (the middle of the common 1–5% range).
pub const REFERENCE_ROYALTY_BP: u32 = 300;
/// The field factor stays within 0.5× and 2.5×.
pub const FIELD_FACTOR_MIN_BP: u32 = 5_000;
pub const FIELD_FACTOR_MAX_BP: u32 = 25_000;

/// The confidence of the nil value of a right that has ended.
pub const ENDED_CONFIDENCE_BP: u32 = 9_500;

/// (composite score → multiplier, basis points): 0.1× at 0, 0.4× at 25, 1× at 50, 2.2× at 75,
/// 4× at 100 points; roughly exponential, as the spread of realised patent prices is.
pub const SCORE_MULTIPLIER: &[(u64, u32)] = &[
    (0, 1_000),
    (2_500, 4_000),
    (5_000, 10_000),
    (7_500, 22_000),
    (10_000, 40_000),
];

/// The value of a neutral patent (score 50, reference royalty rate), in fen.
///
/// | kind | pledge | licence (one licence) | transfer (sale) |
/// |---|---|---|---|
/// | invention | ¥400,000 | ¥150,000 | ¥250,000 |
/// | utility model | ¥120,000 | ¥50,000 | ¥80,000 |
/// | design | ¥60,000 | ¥30,000 | ¥40,000 |
///
/// Starting points of the first model version, in the order of magnitude of the prices reported
/// for Chinese patent transactions and pledges; `ipyun value backtest` measures how far realised
/// prices stand from them, and the table is recalibrated (with a new model version) on that evidence.
pub fn base_value_fen(kind: RightKind, purpose: Purpose) -> i64 {
    let yuan: i64 = match (kind, purpose) {
        (RightKind::Invention, Purpose::Pledge) => 400_000,
        (RightKind::Invention, Purpose::Licence) => 150_000,
        (RightKind::Invention, Purpose::Transfer) => 250_000,
        (RightKind::UtilityModel, Purpose::Pledge) => 120_000,
        (RightKind::UtilityModel, Purpose::Licence) => 50_000,
        (RightKind::UtilityModel, Purpose::Transfer) => 80_000,
        (RightKind::Design, Purpose::Pledge) => 60_000,
        (RightKind::Design, Purpose::Licence) => 30_000,
        (RightKind::Design, Purpose::Transfer) => 40_000,
        _ => 0,
    };
    yuan * 100
}

/// The field's royalty rate against the reference, clamped; 1× when unknown.
pub fn field_factor_bp(royalty_bp: Option<u32>) -> u32 {
    match royalty_bp {
        Some(rate) => {
            let factor = u64::from(rate) * 10_000 / u64::from(REFERENCE_ROYALTY_BP);
            u32::try_from(factor)
                .unwrap_or(FIELD_FACTOR_MAX_BP)
                .clamp(FIELD_FACTOR_MIN_BP, FIELD_FACTOR_MAX_BP)
        }
        None => 10_000,
    }
}

pub fn multiplier_bp(score_bp: u32) -> u32 {
    super::measure::piecewise(u64::from(score_bp), SCORE_MULTIPLIER)
}

/// 2,000 + 7,000 × the weighted share of indicators with data (so 20%–90%), less 1,500 when the
/// legal status itself is uncertain (late fee, pending invalidation, frozen, in dispute, not yet
/// granted); at least 1,000.
pub fn confidence_bp(known_weight_bp: u32, status: LegalStatus) -> u32 {
    let base = 2_000 + known_weight_bp.min(10_000) * 7 / 10;
    let uncertain = matches!(
        status,
        LegalStatus::LateFeePeriod
            | LegalStatus::InvalidationPending
            | LegalStatus::Preserved
            | LegalStatus::OwnershipDispute
            | LegalStatus::NotYetGranted
    );
    if uncertain {
        base.saturating_sub(1_500).max(1_000)
    } else {
        base
    }
}

/// Half the range's width as a factor: s = 2 × (1 − confidence), in basis points.
pub fn spread_bp(confidence_bp: u32) -> u32 {
    (10_000 - confidence_bp.min(10_000)) * 2
}

/// `numerator / denominator` rounded half up to a multiple of 100 fen (whole yuan).
pub fn round_to_yuan(numerator: i128, denominator: i128) -> i64 {
    if denominator <= 0 || numerator <= 0 {
        return 0;
    }
    let hundreds = (numerator * 2 + denominator * 100) / (denominator * 200);
    i64::try_from(hundreds * 100).unwrap_or(i64::MAX)
}

/// (low, mid, high) in fen.
pub fn range_fen(
    kind: RightKind,
    purpose: Purpose,
    royalty_bp: Option<u32>,
    score_bp: u32,
    confidence_bp: u32,
) -> (i64, i64, i64) {
    let base = i128::from(base_value_fen(kind, purpose));
    let product =
        base * i128::from(field_factor_bp(royalty_bp)) * i128::from(multiplier_bp(score_bp));
    let denominator: i128 = 100_000_000;
    let mid = round_to_yuan(product, denominator);
    let widen = i128::from(10_000 + spread_bp(confidence_bp));
    let low = round_to_yuan(product * 10_000, denominator * widen);
    let high = round_to_yuan(product * widen, denominator * 10_000);
    (low, mid, high)
}
