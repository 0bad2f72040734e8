//! Shapers shared by the pledge pages: amounts typed in yuan and converted exactly to fen (integer
//! arithmetic only), dates typed by people, party names, findings in the page's language.

use crate::state::AppState;
use chrono::NaiveDate;
use ipyun_app::Principal;
use ipyun_domain::account::Lang;
use ipyun_domain::pledge::{Finding, FindingCode, Severity};
use serde::Serialize;
use std::collections::HashMap;

/// The largest amount accepted, one trillion yuan: the domain's bound (it checks again).
const MAX_FEN: i64 = 100_000_000_000_000;

/// Full-width digits, point and comma (typed with a Chinese input method) as ASCII.
pub(super) fn half_width(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c),
            '．' | '。' => '.',
            '，' => ',',
            other => other,
        })
        .collect()
}

/// An amount in yuan with at most two decimals (`1,234.5`, `￥800000`) as integer fen, exactly.
/// Empty means no amount. Errors are rule codes: `amount_format`, `amount_too_large`.
pub fn parse_yuan(raw: &str) -> Result<Option<i64>, &'static str> {
    let text: String = half_width(raw.trim())
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if text.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|part| !digits(part) || part.len() > 2) {
        return Err("amount_format");
    }
    let mut fen: i64 = 0;
    for byte in whole.bytes() {
        fen = fen
            .checked_mul(10)
            .and_then(|value| value.checked_add(i64::from(byte - b'0')))
            .ok_or("amount_too_large")?;
    }
    let cents = match fraction {
        Some(part) if part.len() == 1 => i64::from(part.as_bytes()[0] - b'0') * 10,
        Some(part) => part.parse::<i64>().map_err(|_| "amount_format")?,
        None => 0,
    };
    let fen = fen
        .checked_mul(100)
        .and_then(|value| value.checked_add(cents))
        .ok_or("amount_too_large")?;
    if fen > MAX_FEN {
        return Err("amount_too_large");
    }
    Ok(Some(fen))
}

/// Fen as yuan to read: `150000000` → `1,500,000.00`.
pub fn yuan(fen: i64) -> String {
    ipyun_notice::format_yuan(fen)
}

/// A date typed as `YYYY-MM-DD` (full-width digits accepted); empty means none.
pub fn parse_date(raw: &str) -> Result<Option<NaiveDate>, &'static str> {
    let text = half_width(raw.trim());
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| "date_format")
}

/// The names of parties by id, for the pages' tables; `#id` for one the viewer may not read.
pub async fn party_names(
    state: &AppState,
    principal: &Principal,
    ids: impl IntoIterator<Item = i64>,
) -> HashMap<i64, String> {
    let mut names = HashMap::new();
    for id in ids {
        if names.contains_key(&id) {
            continue;
        }
        let name = match state.app.get_party(principal, id).await {
            Ok(party) => party.name,
            Err(_) => format!("#{id}"),
        };
        names.insert(id, name);
    }
    names
}

/// The Fluent key of a finding code: `pledge.pledgor_not_holder` → `finding-pledge-pledgor_not_holder`.
pub fn finding_key(code: &str) -> String {
    format!("finding-{}", code.replace('.', "-"))
}

/// A finding as the pages show it: its message in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub code: String,
    pub severity: &'static str,
    pub ground: String,
    pub right_number: Option<String>,
    pub message: String,
}

pub fn finding_row(finding: &Finding, lang: Lang) -> FindingRow {
    FindingRow {
        code: finding.code.clone(),
        severity: match finding.severity {
            Severity::Refuse => "refuse",
            Severity::NeedsConsent => "needs_consent",
            Severity::Consented => "consented",
            Severity::Review => "review",
        },
        ground: finding.ground.clone(),
        right_number: finding.right_number.clone(),
        message: match lang {
            Lang::En => finding.message_en.clone(),
            Lang::ZhCn => finding.message_zh.clone(),
        },
    }
}

/// A refusal ground an examiner may name: its code and the Fluent key of its short label.
#[derive(Debug, Clone, Serialize)]
pub struct GroundOption {
    pub code: &'static str,
    pub key: String,
}

/// Every code an examiner may refuse on (not the review-only ones).
pub fn refusal_grounds() -> Vec<GroundOption> {
    FindingCode::ALL
        .iter()
        .filter(|code| code.severity() != Severity::Review)
        .map(|code| GroundOption {
            code: code.as_str(),
            key: finding_key(code.as_str()),
        })
        .collect()
}

/// The codes the parties may declare they want to go on despite (informed consent).
pub fn consentable_codes() -> Vec<GroundOption> {
    FindingCode::ALL
        .iter()
        .filter(|code| code.severity() == Severity::NeedsConsent)
        .map(|code| GroundOption {
            code: code.as_str(),
            key: finding_key(code.as_str()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_convert_exactly_to_fen() {
        assert_eq!(parse_yuan(""), Ok(None));
        assert_eq!(parse_yuan("  "), Ok(None));
        assert_eq!(parse_yuan("0"), Ok(Some(0)));
        assert_eq!(parse_yuan("0.01"), Ok(Some(1)));
        assert_eq!(parse_yuan("0.1"), Ok(Some(10)));
        assert_eq!(parse_yuan("1,234,567.89"), Ok(Some(123_456_789)));
        assert_eq!(parse_yuan("￥5000000"), Ok(Some(500_000_000)));
        assert_eq!(parse_yuan("１２３．４５"), Ok(Some(12_345)));
        assert_eq!(parse_yuan("19.99"), Ok(Some(1_999)), "no float rounding");
        assert_eq!(parse_yuan("1000000000000"), Ok(Some(MAX_FEN)));
        for bad in [
            "1.234", "-5", "1e6", "12.", ".5", "abc", "1.2.3", "+1", "1 .5x",
        ] {
            assert_eq!(parse_yuan(bad), Err("amount_format"), "{bad}");
        }
        assert_eq!(parse_yuan("1000000000000.01"), Err("amount_too_large"));
        assert_eq!(
            parse_yuan("99999999999999999999999"),
            Err("amount_too_large")
        );
        assert_eq!(yuan(123_456_789), "1,234,567.89");
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(
            parse_date("2026-11-23"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 23))
        );
        assert_eq!(parse_date("2026-02-30"), Err("date_format"));
        assert_eq!(parse_date("23/11/2026"), Err("date_format"));
    }

    #[test]
    fn examiners_refuse_only_on_refusal_grounds() {
        let grounds = refusal_grounds();
        assert!(
            grounds
                .iter()
                .any(|g| g.code == "pledge.pledgor_not_holder")
        );
        assert!(grounds.iter().any(|g| g.code == "pledge.examiner_ground"));
        assert!(
            !grounds
                .iter()
                .any(|g| g.code == "pledge.right_not_in_registry")
        );
        assert_eq!(consentable_codes().len(), 2);
    }
}
