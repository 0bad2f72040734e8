//! Royalty-rate reference data (feature V2): ranges of royalty rates, as shares of revenue, by
//! GB/T 4754 industry; an IPC-to-industry concordance for patents; and licence-fee guidance.
//! A rate is looked up at the industry's own level first, then at each coarser level.

use crate::field::{FieldError, FieldErrors};
use crate::id::IndustryCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// 100% in basis points.
pub const FULL_BP: u32 = 10_000;

/// One industry's royalty-rate range, in basis points of revenue (250 = 2.5%).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoyaltyRange {
    pub industry: String,
    pub low_bp: u32,
    pub mid_bp: u32,
    pub high_bp: u32,
    /// Licences the range was drawn from (0 when the source does not say).
    pub samples: u32,
    pub source: String,
    pub published_on: NaiveDate,
}

/// A row as a file gives it: percentages as text with at most two decimals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RoyaltyDraft {
    pub industry: String,
    pub low_pct: String,
    pub mid_pct: String,
    pub high_pct: String,
    pub samples: String,
    pub source: String,
    pub published_on: String,
}

/// "2.5" → 250 basis points; at most two decimals, 0 to 100.
pub fn percent_to_bp(text: &str) -> Option<u32> {
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
    let bp = whole.checked_mul(100)?.checked_add(fraction)?;
    (bp <= FULL_BP).then_some(bp)
}

impl RoyaltyDraft {
    pub fn validate(&self) -> Result<RoyaltyRange, FieldErrors> {
        let mut errors = FieldErrors::default();
        let industry = errors.parse("industry", IndustryCode::parse(&self.industry));
        let mut percent = |field: &str, text: &str| {
            let found = percent_to_bp(text);
            if found.is_none() {
                errors.push(FieldError::new(
                    field,
                    "bad_percent",
                    "a percentage from 0 to 100 with at most two decimals, e.g. 2.5",
                ));
            }
            found
        };
        let low = percent("low_pct", &self.low_pct);
        let mid = percent("mid_pct", &self.mid_pct);
        let high = percent("high_pct", &self.high_pct);
        if let (Some(low), Some(mid), Some(high)) = (low, mid, high)
            && !(low <= mid && mid <= high)
        {
            errors.push(FieldError::new(
                "mid_pct",
                "out_of_order",
                "low ≤ mid ≤ high",
            ));
        }
        let samples = if self.samples.trim().is_empty() {
            Some(0)
        } else {
            self.samples.trim().parse::<u32>().ok()
        };
        if samples.is_none() {
            errors.push(FieldError::new(
                "samples",
                "not_a_count",
                "a whole number of licences",
            ));
        }
        let source = self.source.trim();
        if source.is_empty() || source.chars().count() > 500 {
            errors.push(FieldError::new(
                "source",
                "required",
                "who published the range (at most 500 characters)",
            ));
        }
        let published_on = NaiveDate::parse_from_str(self.published_on.trim(), "%Y-%m-%d").ok();
        if published_on.is_none() {
            errors.push(FieldError::new(
                "published_on",
                "bad_date",
                "a date YYYY-MM-DD",
            ));
        }
        errors.into_result()?;
        match (industry, low, mid, high, samples, published_on) {
            (
                Some(industry),
                Some(low_bp),
                Some(mid_bp),
                Some(high_bp),
                Some(samples),
                Some(published_on),
            ) => Ok(RoyaltyRange {
                industry: industry.as_str().to_string(),
                low_bp,
                mid_bp,
                high_bp,
                samples,
                source: source.to_string(),
                published_on,
            }),
            _ => Err(FieldErrors(vec![FieldError::new(
                "row",
                "invalid",
                "the row is invalid",
            )])),
        }
    }
}

/// A row of the IPC-to-industry concordance as a file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ConcordanceDraft {
    pub ipc_prefix: String,
    pub industry: String,
}

/// The normal form of an IPC prefix: a section (`A`), class (`A61`), subclass (`A61K`) or
/// subclass with main group (`A61K31`), upper case without spaces; `None` if it is none of these.
pub fn normal_ipc_prefix(raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = compact.as_bytes();
    let shape_ok = match bytes.len() {
        0 => false,
        length => {
            (b'A'..=b'H').contains(&bytes[0])
                && (length == 1 || (length >= 3 && bytes[1..3].iter().all(u8::is_ascii_digit)))
                && (length <= 3 || bytes[3].is_ascii_uppercase())
                && (length <= 4 || (length <= 8 && bytes[4..].iter().all(u8::is_ascii_digit)))
                && length != 2
        }
    };
    shape_ok.then_some(compact)
}

impl ConcordanceDraft {
    /// The pair (normal IPC prefix, industry code), or every fault by field.
    pub fn validate(&self) -> Result<(String, String), FieldErrors> {
        let mut errors = FieldErrors::default();
        let prefix = normal_ipc_prefix(&self.ipc_prefix);
        if prefix.is_none() {
            errors.push(FieldError::new(
                "ipc_prefix",
                "bad_ipc_prefix",
                "an IPC section, class, subclass or main group without the slash, e.g. A, A61, A61K or A61K31",
            ));
        }
        let industry = errors.parse("industry", IndustryCode::parse(&self.industry));
        errors.into_result()?;
        match (prefix, industry) {
            (Some(prefix), Some(industry)) => Ok((prefix, industry.as_str().to_string())),
            _ => Err(FieldErrors(vec![FieldError::new(
                "row",
                "invalid",
                "the row is invalid",
            )])),
        }
    }
}

/// The range for `industry`: its own, or the nearest coarser level's. Returns the range used.
pub fn lookup<'a>(
    table: &'a HashMap<String, RoyaltyRange>,
    industry: &IndustryCode,
) -> Option<&'a RoyaltyRange> {
    let mut code = Some(industry.clone());
    while let Some(current) = code {
        if let Some(found) = table.get(current.as_str()) {
            return Some(found);
        }
        code = current.parent();
    }
    None
}

/// The industry of an IPC symbol by the longest matching prefix of `concordance` (e.g. `A61K`, `C07`).
pub fn industry_of_ipc<'a>(concordance: &'a HashMap<String, String>, ipc: &str) -> Option<&'a str> {
    let compact: String = ipc
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    (1..=compact.len().min(8)).rev().find_map(|length| {
        compact
            .get(..length)
            .and_then(|prefix| concordance.get(prefix))
            .map(String::as_str)
    })
}

/// Licence-fee guidance: the annual fee a licensee with `revenue_fen` of sales would pay at the
/// range's low, mid and high rates, rounded half up to the fen.
pub fn fee_guidance(range: &RoyaltyRange, revenue_fen: i64) -> (i64, i64, i64) {
    let at = |bp: u32| {
        let product = i128::from(revenue_fen) * i128::from(bp);
        let rounded = (product + i128::from(FULL_BP / 2)) / i128::from(FULL_BP);
        i64::try_from(rounded).unwrap_or(i64::MAX)
    };
    (at(range.low_bp), at(range.mid_bp), at(range.high_bp))
}

fn seed_rows() -> Vec<RoyaltyRange> {
    let mut reader = csv_lines(include_str!("../data/royalty-rates.csv"));
    let _header = reader.next();
    reader
        .filter_map(|cells| {
            let draft = RoyaltyDraft {
                industry: cells.first()?.to_string(),
                low_pct: cells.get(1)?.to_string(),
                mid_pct: cells.get(2)?.to_string(),
                high_pct: cells.get(3)?.to_string(),
                samples: cells.get(4)?.to_string(),
                source: cells.get(5)?.to_string(),
                published_on: cells.get(6)?.to_string(),
            };
            draft.validate().ok()
        })
        .collect()
}

fn csv_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split(',').collect())
}

static SEED: LazyLock<Vec<RoyaltyRange>> = LazyLock::new(seed_rows);
static SEED_CONCORDANCE: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    csv_lines(include_str!("../data/ipc-industry.csv"))
        .skip(1)
        .filter_map(|cells| Some((cells.first()?.to_string(), cells.get(1)?.to_string())))
        .collect()
});

/// The reference ranges shipped with ipyun (see `data/README.md`), used until the office imports its own.
pub fn seed_table() -> &'static [RoyaltyRange] {
    &SEED
}

/// The shipped coarse IPC-to-industry concordance.
pub fn seed_concordance() -> &'static [(String, String)] {
    &SEED_CONCORDANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_exact_basis_points() {
        for (text, expected) in [
            ("2.5", Some(250)),
            ("0.75", Some(75)),
            ("10", Some(1000)),
            ("4.75%", Some(475)),
            ("100", Some(10_000)),
        ] {
            assert_eq!(percent_to_bp(text), expected, "{text}");
        }
        for bad in ["0.125", "-1", "abc", "", "100.01", "1e2"] {
            assert_eq!(percent_to_bp(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_seed_loads_whole_and_lookups_climb_the_hierarchy() {
        assert_eq!(seed_table().len(), 18, "every seed row validates");
        let table: HashMap<String, RoyaltyRange> = seed_table()
            .iter()
            .map(|row| (row.industry.clone(), row.clone()))
            .collect();
        // C3971 电子元件 → C39 计算机、通信和其他电子设备制造业: 4–5.5%.
        let found = IndustryCode::parse("C3971")
            .ok()
            .and_then(|code| lookup(&table, &code).cloned());
        assert_eq!(
            found.map(|range| (range.industry, range.low_bp, range.mid_bp, range.high_bp)),
            Some(("C39".into(), 400, 475, 550))
        );
        let agriculture = IndustryCode::parse("A0111").ok();
        assert!(agriculture.is_some_and(|code| lookup(&table, &code).is_none()));
        let concordance: HashMap<String, String> = seed_concordance().iter().cloned().collect();
        assert_eq!(industry_of_ipc(&concordance, "A61K 31/00"), Some("C27"));
        assert_eq!(industry_of_ipc(&concordance, "C07D 401/04"), Some("C26"));
        assert_eq!(industry_of_ipc(&concordance, "E04B 1/00"), None);
    }

    #[test]
    fn concordance_rows_take_ipc_prefixes_of_every_level_and_real_industries() {
        let row = |ipc: &str, industry: &str| ConcordanceDraft {
            ipc_prefix: ipc.into(),
            industry: industry.into(),
        };
        for (ipc, expected) in [
            ("a", "A"),
            ("A61", "A61"),
            (" a61k ", "A61K"),
            ("A61K 31", "A61K31"),
            ("H01M1000", "H01M1000"),
        ] {
            assert_eq!(
                row(ipc, "C27").validate(),
                Ok((expected.to_string(), "C27".to_string())),
                "{ipc}"
            );
        }
        for bad in ["", "I01", "A6", "A6X", "A61k1/00", "A61K123456", "A611"] {
            let fields: Vec<String> = row(bad, "C27")
                .validate()
                .err()
                .map(|errors| errors.0.into_iter().map(|error| error.field).collect())
                .unwrap_or_default();
            assert_eq!(fields, vec!["ipc_prefix".to_string()], "{bad}");
        }
        let fields: Vec<String> = row("A61K", "Z99")
            .validate()
            .err()
            .map(|errors| errors.0.into_iter().map(|error| error.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["industry".to_string()]);
        assert!(
            seed_concordance()
                .iter()
                .all(|(ipc, industry)| row(ipc, industry).validate().is_ok()),
            "every shipped pair validates"
        );
    }

    #[test]
    fn fee_guidance_is_exact_to_the_fen() {
        let range = RoyaltyRange {
            industry: "C39".into(),
            low_bp: 400,
            mid_bp: 475,
            high_bp: 550,
            samples: 0,
            source: "t".into(),
            published_on: NaiveDate::MIN,
        };
        // 12,345,678.91 yuan of sales: 4% = 493,827.1564 → 493,827.16; 4.75% = 586,419.7482… → 586,419.75;
        // 5.5% = 679,012.34005 → 679,012.34.
        assert_eq!(
            fee_guidance(&range, 1_234_567_891),
            (49_382_716, 58_641_975, 67_901_234)
        );
    }

    #[test]
    fn bad_rows_name_their_fields() {
        let draft = RoyaltyDraft {
            industry: "Z99".into(),
            low_pct: "5".into(),
            mid_pct: "3".into(),
            high_pct: "101".into(),
            samples: "x".into(),
            source: String::new(),
            published_on: "2024-02-30".into(),
        };
        let fields: Vec<String> = draft
            .validate()
            .err()
            .unwrap_or_default()
            .0
            .into_iter()
            .map(|error| error.field)
            .collect();
        assert_eq!(
            fields,
            vec!["industry", "high_pct", "samples", "source", "published_on"]
        );
    }
}
