//! The valuation side of the demo (issue 5): what the automated model reads of each patent
//! (claims, family, citations, licences, litigation…), realised prices for the back-test, the
//! appraisers' qualifications and the banks' loan-to-value caps.
//!
//! Realised prices come from a "market" of their own, not from the model: a base price by kind,
//! raised by claims, family, citations and licences, lowered as the patent nears its expiry, with
//! log-normal-like noise. So the back-test on the demo measures the model against something it
//! did not produce.

use super::rng::Rng;
use chrono::{Days, NaiveDate};
use ipyun_domain::avm::IndicatorCounts;
use ipyun_domain::avm::backtest::PriceKind;
use ipyun_domain::right::{LegalStatus, NewRight, RightKind};

/// What the model reads of one demo patent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoIndicators {
    pub number: String,
    pub counts: IndicatorCounts,
    pub implemented: Option<bool>,
    pub holder_revenue_fen: Option<i64>,
}

/// A price a demo patent fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPrice {
    pub number: String,
    pub kind: PriceKind,
    pub amount_fen: i64,
    pub on_date: NaiveDate,
}

/// An appraisal firm's qualification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAppraiser {
    pub qualification_no: String,
    pub qualified_since: NaiveDate,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoValuationData {
    pub indicators: Vec<DemoIndicators>,
    pub prices: Vec<DemoPrice>,
    /// One per appraisal firm of the institutions, in their order.
    pub appraisers: Vec<DemoAppraiser>,
    /// Basis points, one per bank head office, in their order.
    pub lender_caps: Vec<u32>,
}

/// The fields each demo appraiser covers, in the order of the appraisers among the institutions.
const APPRAISER_FIELDS: [&[&str]; 4] = [
    &["G", "H", "I65"],
    &["A", "C", "C27"],
    &["H", "G06", "C39"],
    &["B", "F", "C35", "C36"],
];

/// Qualifications for `count` appraisers, deterministic by `rng`.
pub(crate) fn appraisers(rng: &mut Rng, count: usize) -> Vec<DemoAppraiser> {
    (0..count)
        .map(|index| {
            let year = i32::try_from(rng.range(2001, 2019)).unwrap_or(2010);
            let month = u32::try_from(rng.range(1, 12)).unwrap_or(1);
            DemoAppraiser {
                qualification_no: format!("{:08}", 11_000_000 + rng.range(0, 8_999_999)),
                qualified_since: NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN),
                fields: APPRAISER_FIELDS[index % APPRAISER_FIELDS.len()]
                    .iter()
                    .map(|field| field.to_string())
                    .collect(),
            }
        })
        .collect()
}

/// A loan-to-value cap, basis points, for each of `count` banks: 40% to 70% in steps of 5.
pub(crate) fn lender_caps(rng: &mut Rng, count: usize) -> Vec<u32> {
    (0..count)
        .map(|_| 4_000 + 500 * u32::try_from(rng.range(0, 6)).unwrap_or(0))
        .collect()
}

fn count(rng: &mut Rng, low: i64, high: i64) -> u32 {
    u32::try_from(rng.range(low, high)).unwrap_or(0)
}

/// Indicators for most patents (nine in ten: the rest show the model without them) and about one
/// realised price for every twenty granted patents, as of `today`.
pub(crate) fn generate(rng: &mut Rng, rights: &[NewRight], today: NaiveDate) -> DemoValuationData {
    let mut data = DemoValuationData::default();
    for right in rights.iter().filter(|right| right.kind.is_patent()) {
        if !rng.chance(900) {
            continue;
        }
        let counts = counts_for(rng, right.kind);
        let granted = right.grant_date.is_some();
        let implemented = granted.then(|| rng.chance(550));
        let holder_revenue_fen = rng
            .chance(600)
            .then(|| rng.range(2_000_000, 80_000_000) * 100);
        if granted
            && matches!(
                right.legal_status,
                LegalStatus::InForce | LegalStatus::Expired | LegalStatus::LapsedUnpaidFee
            )
            && rng.chance(50)
            && let Some(price) = price_for(rng, right, &counts, today)
        {
            data.prices.push(price);
        }
        data.indicators.push(DemoIndicators {
            number: right.number.as_str().to_string(),
            counts,
            implemented,
            holder_revenue_fen,
        });
    }
    data
}

fn counts_for(rng: &mut Rng, kind: RightKind) -> IndicatorCounts {
    let (claims, family) = match kind {
        RightKind::Invention => (count(rng, 3, 30), count(rng, 1, 8)),
        RightKind::UtilityModel => (count(rng, 1, 12), 1),
        _ => (1, 1),
    };
    // Citations are skewed: most patents are cited little, a few a lot.
    let forward_citations = if rng.chance(100) {
        count(rng, 10, 60)
    } else {
        count(rng, 0, 6)
    };
    IndicatorCounts {
        claims,
        independent_claims: claims.min(count(rng, 1, 3)),
        family_size: family,
        family_countries: if family > 1 { count(rng, 1, 4) } else { 1 },
        forward_citations,
        backward_citations: count(rng, 0, 15),
        inventors: count(rng, 1, 8),
        licences: if rng.chance(120) { count(rng, 1, 3) } else { 0 },
        transfers: if rng.chance(80) { 1 } else { 0 },
        litigations: if rng.chance(20) { 1 } else { 0 },
        invalidation_requests: if rng.chance(25) { 1 } else { 0 },
    }
}

/// A market price, in fen, for `right` on a day between its grant and `today`.
fn price_for(
    rng: &mut Rng,
    right: &NewRight,
    counts: &IndicatorCounts,
    today: NaiveDate,
) -> Option<DemoPrice> {
    let granted = right.grant_date?;
    let span = (today - granted).num_days();
    if span < 30 {
        return None;
    }
    let on_date = granted.checked_add_days(Days::new(u64::try_from(rng.range(30, span)).ok()?))?;
    let base_yuan: i64 = match right.kind {
        RightKind::Invention => 260_000,
        RightKind::UtilityModel => 60_000,
        _ => 25_000,
    };
    // Per mille factors, multiplied in turn.
    let claims = 1_000 + 30 * i64::from(counts.claims.min(30));
    let family = 1_000 + 120 * i64::from(counts.family_size.saturating_sub(1).min(8));
    let cited = 1_000 + 60 * i64::from(counts.forward_citations.min(40));
    let licensed = if counts.licences > 0 { 1_400 } else { 1_000 };
    let life_left = right
        .expiry_date()
        .map(|expiry| {
            let total = (expiry - right.filing_date).num_days().max(1);
            let left = (expiry - on_date).num_days().clamp(0, total);
            300 + 700 * left / total
        })
        .unwrap_or(500);
    let noise = rng.range(550, 1_800);
    let mut yuan = base_yuan;
    for factor in [claims, family, cited, licensed, life_left, noise] {
        yuan = yuan * factor / 1_000;
    }
    let kind = match rng.below(10) {
        0..=4 => PriceKind::Sale,
        5..=7 => PriceKind::LicenceFee,
        8 => PriceKind::Auction,
        _ => PriceKind::Acquisition,
    };
    // A licence's whole consideration: about three fifths of what a sale fetches.
    let yuan = if kind == PriceKind::LicenceFee {
        yuan * 3 / 5
    } else {
        yuan
    };
    // Round to the hundred yuan, as prices are agreed.
    let amount_fen = (yuan / 100).max(1) * 100 * 100;
    Some(DemoPrice {
        number: right.number.as_str().to_string(),
        kind,
        amount_fen,
        on_date,
    })
}
