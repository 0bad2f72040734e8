//! The sentences behind matchmaking's score ([`super::scoring`]): each part's figures, kept
//! as plain values on the fast path, worded in Chinese and English only when explained.

use super::matching::Need;

/// Where a figure sits in a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Band {
    Low,
    Middle,
    High,
}

/// The figures behind a part's sentence (computed on the fast path too: no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reason<'a> {
    Amount(Band, Need, i64, i64),
    Term(Band, Need, u32, u32),
    /// Cost level (0 low, 1 moderate, 2 high), whether a loan, the rate range in ppm.
    Cost(u8, bool, i64, i64),
    /// Loan-to-value in bp, the cap, the room left under it (0 ample: at most half the cap
    /// used; 1 some: at most four fifths; 2 little).
    Covered(i64, Option<u32>, u8),
    Unvalued,
    Worthless,
    Park,
    Region(&'a str),
    Nationwide,
    Outside,
    /// Required designations held (whether one is little giant).
    Required(bool),
    /// Held though not required (whether little giant).
    Held(bool),
    NoDesignation,
}

/// Fen as 万元 (to 0.01, half up), e.g. `500万元`, `12.5万元`.
fn wan(fen: i64) -> String {
    let hundredths = (i128::from(fen) + 5_000) / 10_000;
    let (whole, part) = (hundredths / 100, hundredths % 100);
    match part {
        0 => format!("{whole}万元"),
        part if part % 10 == 0 => format!("{whole}.{}万元", part / 10),
        part => format!("{whole}.{part:02}万元"),
    }
}

/// Fen as whole yuan with thousands separators, e.g. `5,000,000 yuan`.
fn yuan(fen: i64) -> String {
    let digits = (fen / 100).unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 6);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped} yuan")
}

/// Parts per million as a percentage to 0.01 (half up), e.g. `3.45%`.
fn pct_ppm(ppm: i64) -> String {
    let hundredths = (ppm + 50) / 100;
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// Basis points as a percentage, e.g. `50.00%`.
fn pct_bp(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

fn band_words(band: Band) -> (&'static str, &'static str) {
    match band {
        Band::Low => ("接近下限", "near the bottom of"),
        Band::Middle => ("处于中段", "in the middle of"),
        Band::High => ("接近上限", "near the top of"),
    }
}

fn designation_words(giant: bool) -> (&'static str, &'static str) {
    if giant {
        ("专精特新“小巨人”", "little-giant")
    } else {
        ("专精特新中小企业", "specialised-SME")
    }
}

/// A reason's sentence in Chinese and English.
pub(super) fn words(reason: Reason<'_>) -> (String, String) {
    match reason {
        Reason::Amount(band, need, min, max) => {
            let (zh, en) = band_words(band);
            (
                format!(
                    "融资金额{}{zh}（产品额度{}–{}）",
                    wan(need.amount_fen),
                    wan(min),
                    wan(max)
                ),
                format!(
                    "the amount of {} sits {en} the product's range ({} to {})",
                    yuan(need.amount_fen),
                    yuan(min),
                    yuan(max)
                ),
            )
        }
        Reason::Term(band, need, min, max) => {
            let (zh, en) = band_words(band);
            (
                format!("融资期限{}个月{zh}（产品期限{min}–{max}个月）", need.months),
                format!(
                    "the term of {} months sits {en} the product's {min} to {max} months",
                    need.months
                ),
            )
        }
        Reason::Cost(level, loan, min, max) => {
            let (rate_zh, rate_en) = if loan {
                ("年利率", "annual rate")
            } else {
                ("年费率", "annual fee rate")
            };
            let (zh, en) = match level {
                0 => ("融资成本较低", "keeps the cost low"),
                1 => ("融资成本适中", "makes the cost moderate"),
                _ => ("融资成本较高", "makes the cost high"),
            };
            let range = format!("{}–{}", pct_ppm(min), pct_ppm(max));
            (
                format!("产品{rate_zh}{range}，{zh}"),
                format!("the product's {rate_en} of {range} {en}"),
            )
        }
        Reason::Covered(ltv, Some(cap), room) => {
            let (ltv, cap) = (pct_bp(ltv), pct_bp(i64::from(cap)));
            let (zh, en) = match room {
                0 => ("低于产品上限{cap}，余量充足", "leaves ample room under"),
                1 => ("在产品上限{cap}以内，余量适中", "leaves some room under"),
                _ => ("接近产品上限{cap}", "is close to"),
            };
            (
                format!("质押率{ltv}，{}", zh.replace("{cap}", &cap)),
                format!("a loan-to-value of {ltv} {en} the product's cap of {cap}"),
            )
        }
        Reason::Covered(ltv, None, room) => {
            let ltv = pct_bp(ltv);
            let (zh, en) = match room {
                0 => ("充足", "amply"),
                1 => ("尚可", "adequately"),
                _ => ("偏紧", "thinly"),
            };
            (
                format!("质押率{ltv}，质押物覆盖{zh}（产品未设质押率上限）"),
                format!(
                    "a loan-to-value of {ltv}: the collateral covers the amount {en} (no cap set)"
                ),
            )
        }
        Reason::Unvalued => (
            "质押物尚无评估价值，按中性计分".to_string(),
            "the collateral has no valuation yet: scored as neutral".to_string(),
        ),
        Reason::Worthless => (
            "质押物评估价值为零".to_string(),
            "the collateral is valued at nothing".to_string(),
        ),
        Reason::Park => (
            "产品专门面向企业所在园区".to_string(),
            "the product is dedicated to the enterprise's park".to_string(),
        ),
        Reason::Region(code) => (
            format!("产品面向企业所在地区（{code}）"),
            format!("the product serves the enterprise's region ({code})"),
        ),
        Reason::Nationwide => (
            "产品面向全国，未专门面向企业所在地区".to_string(),
            "the product is nationwide, not aimed at the enterprise's region".to_string(),
        ),
        Reason::Outside => (
            "企业不在产品服务的地区或园区".to_string(),
            "the enterprise is outside the product's regions and parks".to_string(),
        ),
        Reason::Required(giant) => {
            let (zh, en) = designation_words(giant);
            (
                format!("企业具备产品要求的{zh}资质，属重点支持对象"),
                format!("the enterprise holds the {en} designation the product is aimed at"),
            )
        }
        Reason::Held(giant) => {
            let (zh, en) = designation_words(giant);
            (
                format!("企业为{zh}，可获优先支持（产品未作要求）"),
                format!(
                    "the enterprise is a {en} designee and earns priority (not required by the product)"
                ),
            )
        }
        Reason::NoDesignation => (
            "企业暂无专精特新资质".to_string(),
            "the enterprise holds no specialised-SME designation".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_rates_are_written_exactly() {
        assert_eq!(wan(500_000_000), "500万元");
        assert_eq!(wan(1_250_000), "1.25万元");
        assert_eq!(wan(1_200_000), "1.2万元");
        assert_eq!(yuan(12_345_678_900), "123,456,789 yuan");
        assert_eq!(pct_ppm(34_567), "3.46%");
        assert_eq!(pct_bp(5_000), "50.00%");
    }
}
