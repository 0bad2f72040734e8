//! The back-test: how far realised prices stand from the model. Median absolute percentage error
//! of the mid value (computed exactly on fractions, rounded once to a basis point) and the share
//! of prices inside the model's [low, high].

use super::Purpose;
use chrono::NaiveDate;
use serde::Serialize;
use std::cmp::Ordering;

/// What kind of price was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    /// 许可使用费
    LicenceFee,
    /// 转让
    Sale,
    /// 拍卖 (a disposal)
    Auction,
    /// 收储
    Acquisition,
}

/// Prices above ¥1,000,000,000,000 are refused as input errors.
pub const MAX_PRICE_FEN: i64 = 100_000_000_000_000;

impl PriceKind {
    pub const ALL: [PriceKind; 4] = [
        PriceKind::LicenceFee,
        PriceKind::Sale,
        PriceKind::Auction,
        PriceKind::Acquisition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriceKind::LicenceFee => "licence_fee",
            PriceKind::Sale => "sale",
            PriceKind::Auction => "auction",
            PriceKind::Acquisition => "acquisition",
        }
    }

    /// The stored name, its Chinese term, or a common variant (`license_fee`, `licence`).
    pub fn parse(raw: &str) -> Result<PriceKind, crate::id::IdError> {
        let normal = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let kind = match normal.as_str() {
            "licence_fee" | "license_fee" | "licence" | "license" | "许可费" | "许可使用费"
            | "许可" => PriceKind::LicenceFee,
            "sale" | "transfer" | "assignment" | "转让" | "出售" => PriceKind::Sale,
            "auction" | "拍卖" => PriceKind::Auction,
            "acquisition" | "收储" | "收购" => PriceKind::Acquisition,
            _ => {
                return Err(crate::id::IdError::new(
                    "unknown_price_kind",
                    format!(
                        "price kind should be licence_fee, sale, auction or acquisition; found {raw:?}"
                    ),
                ));
            }
        };
        Ok(kind)
    }

    /// The purpose whose value a price of this kind is compared with.
    pub fn purpose(self) -> Purpose {
        match self {
            PriceKind::LicenceFee => Purpose::Licence,
            PriceKind::Sale | PriceKind::Auction | PriceKind::Acquisition => Purpose::Transfer,
        }
    }
}

/// An amount in yuan as people write it (`12,345.60`, `¥8000`, `8000元`) → fen, exactly: at most
/// two decimals, above zero, at most [`MAX_PRICE_FEN`].
pub fn parse_amount_yuan(raw: &str) -> Result<i64, crate::id::IdError> {
    let invalid = |why: &str| crate::id::IdError::new("amount", format!("{why}; found {raw:?}"));
    let text = raw.trim();
    let text = text
        .strip_prefix('¥')
        .or_else(|| text.strip_prefix('￥'))
        .unwrap_or(text);
    let text = text
        .strip_suffix('元')
        .unwrap_or(text)
        .trim()
        .replace(',', "");
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(invalid(
            "an amount in yuan is digits with at most two decimals",
        ));
    }
    if fraction.len() > 2 {
        return Err(invalid("an amount in yuan has at most two decimals (fen)"));
    }
    let yuan: i64 = whole
        .parse()
        .map_err(|_| invalid("the amount is too large"))?;
    let fen_part: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let fen = yuan
        .checked_mul(100)
        .and_then(|fen| fen.checked_add(fen_part))
        .filter(|fen| *fen <= MAX_PRICE_FEN)
        .ok_or_else(|| invalid("the amount is above ¥1,000,000,000,000"))?;
    if fen == 0 {
        return Err(invalid("a realised price is above zero"));
    }
    Ok(fen)
}

/// One realised price beside the model's range for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BacktestCase {
    pub number: String,
    pub kind: PriceKind,
    pub on_date: NaiveDate,
    pub price_fen: i64,
    pub low_fen: i64,
    pub mid_fen: i64,
    pub high_fen: i64,
}

impl BacktestCase {
    pub fn inside(&self) -> bool {
        (self.low_fen..=self.high_fen).contains(&self.price_fen)
    }

    /// |mid − price| / price as a fraction.
    fn error(&self) -> (u128, u128) {
        let price = i128::from(self.price_fen.max(1));
        let difference = (i128::from(self.mid_fen) - price).unsigned_abs();
        (difference, price.unsigned_abs())
    }

    /// The absolute percentage error in basis points, rounded half up.
    pub fn error_bp(&self) -> u64 {
        let (numerator, denominator) = self.error();
        u64::try_from((numerator * 20_000 + denominator) / (denominator * 2)).unwrap_or(u64::MAX)
    }
}

fn compare_errors(left: (u128, u128), right: (u128, u128)) -> Ordering {
    (left.0 * right.1).cmp(&(right.0 * left.1))
}

/// What the back-test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BacktestSummary {
    pub count: u64,
    pub inside: u64,
    /// Median absolute percentage error of the mid value, basis points; `None` without cases.
    pub mdape_bp: Option<u64>,
    /// Share of prices inside [low, high], basis points.
    pub coverage_bp: Option<u64>,
    /// The cases with the largest errors, largest first (at most `worst_count`).
    pub worst: Vec<BacktestCase>,
}

/// Summarises `cases`. Prices of zero or less are not cases (the import refuses them).
pub fn summarise(cases: &[BacktestCase], worst_count: usize) -> BacktestSummary {
    let mut valid: Vec<&BacktestCase> = cases.iter().filter(|case| case.price_fen > 0).collect();
    valid.sort_by(|left, right| {
        compare_errors(left.error(), right.error())
            .then_with(|| left.number.cmp(&right.number))
            .then_with(|| left.on_date.cmp(&right.on_date))
    });
    let count = valid.len();
    let inside = valid.iter().filter(|case| case.inside()).count();
    let mdape_bp = match count {
        0 => None,
        odd if odd % 2 == 1 => Some(valid[odd / 2].error_bp()),
        even => {
            // (a/b + c/d) / 2 = (ad + cb) / 2bd, to basis points, rounded half up.
            let (a, b) = valid[even / 2 - 1].error();
            let (c, d) = valid[even / 2].error();
            let numerator = (a * d + c * b) * 10_000;
            let denominator = 2 * b * d;
            u64::try_from((numerator * 2 + denominator) / (denominator * 2)).ok()
        }
    };
    let coverage_bp = (count > 0).then(|| {
        let (inside, count) = (inside as u64, count as u64);
        (inside * 20_000 + count) / (count * 2)
    });
    BacktestSummary {
        count: count as u64,
        inside: inside as u64,
        mdape_bp,
        coverage_bp,
        worst: valid
            .iter()
            .rev()
            .take(worst_count)
            .map(|case| (*case).clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(number: &str, price: i64, low: i64, mid: i64, high: i64) -> BacktestCase {
        BacktestCase {
            number: number.into(),
            kind: PriceKind::Sale,
            on_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(NaiveDate::MIN),
            price_fen: price,
            low_fen: low,
            mid_fen: mid,
            high_fen: high,
        }
    }

    #[test]
    fn median_and_coverage_are_exact() {
        // Errors: 1/3 (33.33%), 1/2, 0, 2 → sorted 0, 1/3, 1/2, 2: median (1/3 + 1/2) / 2 = 5/12.
        let cases = [
            case("a", 300, 100, 400, 500),
            case("b", 200, 250, 300, 400),
            case("c", 100, 50, 100, 150),
            case("d", 100, 200, 300, 400),
        ];
        let summary = summarise(&cases, 2);
        assert_eq!(summary.count, 4);
        assert_eq!(summary.inside, 2);
        assert_eq!(summary.mdape_bp, Some(4_167));
        assert_eq!(summary.coverage_bp, Some(5_000));
        let worst: Vec<&str> = summary
            .worst
            .iter()
            .map(|case| case.number.as_str())
            .collect();
        assert_eq!(worst, ["d", "b"]);
        assert_eq!(summary.worst[0].error_bp(), 20_000);
    }

    #[test]
    fn odd_count_takes_the_middle_and_empty_has_none() {
        let cases = [
            case("a", 100, 0, 110, 200),
            case("b", 100, 0, 100, 200),
            case("c", 100, 0, 70, 200),
        ];
        let summary = summarise(&cases, 5);
        assert_eq!(summary.mdape_bp, Some(1_000));
        assert_eq!(summary.coverage_bp, Some(10_000));
        let empty = summarise(&[], 5);
        assert_eq!(
            (empty.count, empty.mdape_bp, empty.coverage_bp),
            (0, None, None)
        );
    }

    #[test]
    fn amounts_in_yuan_convert_exactly() {
        let check = |raw: &str, expect: Option<i64>| {
            assert_eq!(parse_amount_yuan(raw).ok(), expect, "{raw}");
        };
        check("12,345.6", Some(1_234_560));
        check("¥8000", Some(800_000));
        check("8000元", Some(800_000));
        check(" 0.01 ", Some(1));
        check("0", None);
        check("1.234", None);
        check("-5", None);
        check("1e5", None);
        check("", None);
        check("10000000000", Some(1_000_000_000_000));
        check("1000000000001", None);
    }

    #[test]
    fn price_kinds_parse_and_map_to_purposes() {
        let check = |raw: &str, expect: Option<PriceKind>| {
            assert_eq!(PriceKind::parse(raw).ok(), expect, "{raw}");
        };
        check("licence_fee", Some(PriceKind::LicenceFee));
        check("License-Fee", Some(PriceKind::LicenceFee));
        check("许可使用费", Some(PriceKind::LicenceFee));
        check("拍卖", Some(PriceKind::Auction));
        check("收储", Some(PriceKind::Acquisition));
        check("sale", Some(PriceKind::Sale));
        check("gift", None);
        assert_eq!(PriceKind::LicenceFee.purpose(), Purpose::Licence);
        assert_eq!(PriceKind::Auction.purpose(), Purpose::Transfer);
    }
}
