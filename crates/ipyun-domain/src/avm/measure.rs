//! Each indicator's raw measure and its score (0–10,000) by piecewise-linear breakpoints. Between
//! two breakpoints the score is interpolated (integer division, rounding down); below the first it
//! is the first's score and above the last the last's. Data that is missing scores the neutral
//! [`NEUTRAL_BP`] with `known_bp` 0 (5,000 when only part of the data is known).

use super::field::{FieldKey, age_years};
use super::{AvmModel, HolderProfile, Indicator, PatentIndicators};
use crate::party::SizeClass;
use crate::right::{LegalStatus, RightKind, expiry_date};

/// The score of an indicator without data, and the level contributions are measured from.
pub const NEUTRAL_BP: u32 = 5_000;
const FULL_BP: u32 = 10_000;

/// (remaining term as basis points of the statutory term → score)
pub const REMAINING_TERM: &[(u64, u32)] = &[
    (0, 0),
    (1_000, 2_000),
    (2_500, 4_500),
    (5_000, 7_000),
    (7_500, 9_000),
    (10_000, 10_000),
];
/// (claims → score)
pub const CLAIMS: &[(u64, u32)] = &[
    (1, 2_000),
    (3, 4_000),
    (6, 6_000),
    (10, 8_000),
    (20, 10_000),
];
/// (independent claims → score)
pub const INDEPENDENT_CLAIMS: &[(u64, u32)] = &[(1, 5_000), (2, 8_000), (3, 10_000)];
/// (countries or regions of the family → score); China alone counts as one.
pub const FAMILY_COUNTRIES: &[(u64, u32)] =
    &[(1, 2_000), (2, 5_000), (3, 6_500), (5, 8_500), (8, 10_000)];
/// (family members → score)
pub const FAMILY_SIZE: &[(u64, u32)] = &[(1, 2_000), (3, 5_000), (6, 7_500), (12, 10_000)];
/// (forward citations per year against the field's average, basis points → score)
pub const CITATION_RATIO: &[(u64, u32)] = &[
    (0, 1_500),
    (5_000, 3_500),
    (10_000, 5_500),
    (20_000, 8_000),
    (40_000, 10_000),
];
/// (the field's share of recent filings against the register's, basis points → score)
pub const FIELD_ACTIVITY: &[(u64, u32)] = &[
    (0, 2_000),
    (5_000, 4_000),
    (10_000, 6_000),
    (15_000, 8_000),
    (25_000, 10_000),
];
/// (backward citations → score)
pub const BACKWARD_CITATIONS: &[(u64, u32)] = &[
    (0, 3_000),
    (5, 5_500),
    (10, 7_000),
    (20, 8_500),
    (40, 10_000),
];
/// (inventors → score)
pub const INVENTORS: &[(u64, u32)] =
    &[(1, 3_000), (2, 4_500), (3, 6_000), (5, 8_000), (10, 10_000)];
/// (licences granted → score)
pub const LICENCES: &[(u64, u32)] = &[(0, 2_500), (1, 6_000), (2, 7_500), (5, 10_000)];
/// (potential licence income a year, fen → score): ¥10k, ¥100k, ¥1m, ¥10m.
pub const LICENCE_INCOME_FEN: &[(u64, u32)] = &[
    (0, 1_000),
    (1_000_000, 3_000),
    (10_000_000, 5_500),
    (100_000_000, 8_000),
    (1_000_000_000, 10_000),
];
/// (transfers + pledges → score)
pub const TRANSACTIONS: &[(u64, u32)] = &[(0, 3_000), (1, 6_000), (2, 7_500), (4, 10_000)];

/// Stability: an examined invention starts at 6,000, a utility model or design at 4,000
/// (registered without substantive examination); each invalidation request survived adds 1,500
/// (two at most), each litigation 500 (two at most); a pending request caps it at 2,000; a
/// pending application scores 3,000.
pub const STABILITY_EXAMINED_BP: u32 = 6_000;
pub const STABILITY_UNEXAMINED_BP: u32 = 4_000;

/// The score of a piecewise-linear function at `x`.
pub fn piecewise(x: u64, points: &[(u64, u32)]) -> u32 {
    let Some(&(first_x, first_y)) = points.first() else {
        return NEUTRAL_BP;
    };
    if x <= first_x {
        return first_y;
    }
    for pair in points.windows(2) {
        let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
        if x <= x1 {
            let span = u128::from(x1 - x0);
            let offset = u128::from(x - x0);
            let rise = i128::from(y1) - i128::from(y0);
            let step =
                rise * i128::try_from(offset).unwrap_or(0) / i128::try_from(span).unwrap_or(1);
            return u32::try_from(i128::from(y0) + step).unwrap_or(y0);
        }
    }
    points.last().map_or(NEUTRAL_BP, |&(_, y)| y)
}

/// What was measured, for the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fact {
    Status(LegalStatus),
    Term {
        remaining_days: i64,
        term_days: i64,
    },
    Stability {
        examined: bool,
        granted: bool,
        invalidations: Option<u32>,
        litigations: Option<u32>,
    },
    Claims {
        claims: u32,
        independent: u32,
    },
    DesignScope,
    Family {
        size: u32,
        countries: u32,
    },
    Citations {
        forward: u32,
        age_years: u64,
        ratio_bp: u64,
        field: Option<FieldKey>,
    },
    Implemented(bool),
    Activity {
        field: FieldKey,
        ratio_bp: u64,
    },
    Count(u32),
    Holder(HolderProfile),
    Income {
        revenue_fen: i64,
        royalty_bp: u32,
        income_fen: i64,
    },
    Transactions {
        transfers: Option<u32>,
        pledges: u32,
    },
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    pub score_bp: u32,
    /// How much of the indicator's data is known: 0, 5,000 or 10,000.
    pub known_bp: u32,
    pub fact: Fact,
}

const fn known(score_bp: u32, fact: Fact) -> Measured {
    Measured {
        score_bp,
        known_bp: FULL_BP,
        fact,
    }
}

const UNKNOWN: Measured = Measured {
    score_bp: NEUTRAL_BP,
    known_bp: 0,
    fact: Fact::Unknown,
};

pub fn legal_status_bp(status: LegalStatus) -> u32 {
    match status {
        LegalStatus::InForce => 10_000,
        LegalStatus::Preserved => 5_000,
        LegalStatus::LateFeePeriod | LegalStatus::InvalidationPending => 4_000,
        LegalStatus::NotYetGranted => 3_500,
        LegalStatus::OwnershipDispute => 3_000,
        LegalStatus::LapsedUnpaidFee | LegalStatus::Expired | LegalStatus::Invalidated => 0,
    }
}

/// Measures one indicator of `patent`.
pub fn measure(model: &AvmModel, patent: &PatentIndicators, indicator: Indicator) -> Measured {
    let counts = patent.counts;
    match indicator {
        Indicator::LegalStatus => known(
            legal_status_bp(patent.legal_status),
            Fact::Status(patent.legal_status),
        ),
        Indicator::RemainingTerm => remaining_term(model, patent),
        Indicator::Stability => stability(patent),
        Indicator::Scope => match counts {
            _ if patent.kind == RightKind::Design => known(NEUTRAL_BP, Fact::DesignScope),
            Some(counts) if counts.claims > 0 => {
                let claims = piecewise(u64::from(counts.claims), CLAIMS);
                let independent = piecewise(
                    u64::from(counts.independent_claims.max(1)),
                    INDEPENDENT_CLAIMS,
                );
                known(
                    (claims * 7 + independent * 3) / 10,
                    Fact::Claims {
                        claims: counts.claims,
                        independent: counts.independent_claims,
                    },
                )
            }
            _ => UNKNOWN,
        },
        Indicator::Family => counts.map_or(UNKNOWN, |counts| {
            let countries = counts.family_countries.max(1);
            let size = counts.family_size.max(1);
            let score = (piecewise(u64::from(countries), FAMILY_COUNTRIES) * 7
                + piecewise(u64::from(size), FAMILY_SIZE) * 3)
                / 10;
            known(score, Fact::Family { size, countries })
        }),
        Indicator::Advancement => counts.map_or(UNKNOWN, |counts| {
            let age = age_years(patent.filing_date, model.valued_on);
            let ratio_bp = model.fields.citation_ratio_bp(
                patent.field,
                u64::from(counts.forward_citations),
                age,
            );
            let (_, own_field) = model.fields.entry(patent.field);
            known(
                piecewise(ratio_bp, CITATION_RATIO),
                Fact::Citations {
                    forward: counts.forward_citations,
                    age_years: age,
                    ratio_bp,
                    field: patent.field.filter(|_| own_field),
                },
            )
        }),
        Indicator::Maturity => match patent.implemented {
            Some(true) => known(9_000, Fact::Implemented(true)),
            Some(false) => known(3_000, Fact::Implemented(false)),
            None => UNKNOWN,
        },
        Indicator::FieldActivity => {
            match (patent.field, model.fields.activity_ratio_bp(patent.field)) {
                (Some(field), Some(ratio_bp)) => known(
                    piecewise(ratio_bp, FIELD_ACTIVITY),
                    Fact::Activity { field, ratio_bp },
                ),
                _ => UNKNOWN,
            }
        }
        Indicator::PriorArt => counts.map_or(UNKNOWN, |counts| {
            known(
                piecewise(u64::from(counts.backward_citations), BACKWARD_CITATIONS),
                Fact::Count(counts.backward_citations),
            )
        }),
        Indicator::ResearchInput => match counts {
            Some(counts) if counts.inventors > 0 => known(
                piecewise(u64::from(counts.inventors), INVENTORS),
                Fact::Count(counts.inventors),
            ),
            _ => UNKNOWN,
        },
        Indicator::MarketUse => counts.map_or(UNKNOWN, |counts| {
            known(
                piecewise(u64::from(counts.licences), LICENCES),
                Fact::Count(counts.licences),
            )
        }),
        Indicator::HolderStrength => holder_strength(patent.holder),
        Indicator::LicenceIncome => match (patent.holder_revenue_fen, patent.royalty_bp) {
            (Some(revenue_fen), Some(royalty_bp)) => {
                let revenue = revenue_fen.max(0);
                let income_fen = i64::try_from(
                    i128::from(revenue) * i128::from(royalty_bp) / i128::from(FULL_BP),
                )
                .unwrap_or(i64::MAX);
                known(
                    piecewise(u64::try_from(income_fen).unwrap_or(0), LICENCE_INCOME_FEN),
                    Fact::Income {
                        revenue_fen: revenue,
                        royalty_bp,
                        income_fen,
                    },
                )
            }
            _ => UNKNOWN,
        },
        Indicator::Transactions => {
            let transfers = counts.map(|counts| counts.transfers);
            if transfers.is_none() && patent.pledges == 0 {
                return UNKNOWN;
            }
            let total = u64::from(transfers.unwrap_or(0)) + u64::from(patent.pledges);
            Measured {
                score_bp: piecewise(total, TRANSACTIONS),
                known_bp: if transfers.is_some() {
                    FULL_BP
                } else {
                    NEUTRAL_BP
                },
                fact: Fact::Transactions {
                    transfers,
                    pledges: patent.pledges,
                },
            }
        }
    }
}

fn remaining_term(model: &AvmModel, patent: &PatentIndicators) -> Measured {
    let Some(expiry) = patent
        .expiry_date
        .or_else(|| expiry_date(patent.kind, patent.filing_date, patent.grant_date, 0))
    else {
        return UNKNOWN;
    };
    let term_days = ((expiry - patent.filing_date).num_days() + 1).max(1);
    let remaining_days = ((expiry - model.valued_on).num_days() + 1).clamp(0, term_days);
    let share_bp = u64::try_from(remaining_days * 10_000 / term_days).unwrap_or(0);
    known(
        piecewise(share_bp, REMAINING_TERM),
        Fact::Term {
            remaining_days,
            term_days,
        },
    )
}

fn stability(patent: &PatentIndicators) -> Measured {
    let examined = patent.kind == RightKind::Invention;
    let granted = patent.legal_status != LegalStatus::NotYetGranted;
    let invalidations = patent.counts.map(|counts| counts.invalidation_requests);
    let litigations = patent.counts.map(|counts| counts.litigations);
    let fact = Fact::Stability {
        examined,
        granted,
        invalidations,
        litigations,
    };
    if !granted {
        return known(3_000, fact);
    }
    let base = if examined {
        STABILITY_EXAMINED_BP
    } else {
        STABILITY_UNEXAMINED_BP
    };
    let pending = patent.legal_status == LegalStatus::InvalidationPending;
    let survived = if pending {
        0
    } else {
        invalidations.unwrap_or(0).min(2) * 1_500
    };
    let litigated = litigations.unwrap_or(0).min(2) * 500;
    let mut score = (base + survived + litigated).min(FULL_BP);
    if pending {
        score = score.min(2_000);
    }
    Measured {
        score_bp: score,
        known_bp: if patent.counts.is_some() {
            FULL_BP
        } else {
            NEUTRAL_BP
        },
        fact,
    }
}

fn holder_strength(holder: Option<HolderProfile>) -> Measured {
    let Some(profile) = holder else {
        return UNKNOWN;
    };
    let size = match profile.size_class {
        Some(SizeClass::Large) => 8_000,
        Some(SizeClass::Medium) => 6_500,
        Some(SizeClass::Small) => 5_000,
        Some(SizeClass::Micro) => 3_500,
        None => 4_500,
    };
    let designation = if profile.little_giant {
        2_000
    } else if profile.specialised_sme {
        1_000
    } else {
        0
    };
    let known_bp = if profile.size_class.is_some() || designation > 0 {
        FULL_BP
    } else {
        NEUTRAL_BP
    };
    Measured {
        score_bp: (size + designation).min(FULL_BP),
        known_bp,
        fact: Fact::Holder(profile),
    }
}
