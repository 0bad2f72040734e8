//! Small shapers shared by the pages: percentages, region names, local times, addresses and the
//! pager. Integer arithmetic only; no rules of the domain.

use chrono::{DateTime, FixedOffset, Utc};
use ipyun_domain::id::{IndustryCode, RegionCode};
use ipyun_domain::page::Page;
use serde::Serialize;

/// China Standard Time (UTC+8, no daylight saving): how users read times.
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// A share in basis points as a percentage with two decimals: 3333 → `33.33%`.
pub fn share_percent(share_bp: u32) -> String {
    format!("{}.{:02}%", share_bp / 100, share_bp % 100)
}

/// `2024-05-01 14:03` in China Standard Time.
pub fn local_time(moment: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(CHINA_OFFSET_SECONDS) {
        Some(offset) => moment
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => moment.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The official name of a region with its province and prefecture, e.g. `江苏省 南京市 玄武区`;
/// empty when the code is unknown.
pub fn region_name(code: &str) -> String {
    let Ok(region) = RegionCode::parse(code) else {
        return String::new();
    };
    let mut chain = vec![region.clone()];
    while let Some(parent) = chain.last().and_then(RegionCode::parent) {
        chain.push(parent);
    }
    chain
        .iter()
        .rev()
        .map(RegionCode::name)
        .filter(|name| !name.is_empty() && *name != "市辖区" && *name != "县")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name of an industry code (GB/T 4754); empty when unknown.
pub fn industry_name(code: &str) -> String {
    IndustryCode::parse(code)
        .map(|industry| industry.name().to_string())
        .unwrap_or_default()
}

/// A path segment, percent-encoded: everything but unreserved characters.
pub fn path_segment(raw: &str) -> String {
    let mut encoded = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Links between the pages of a list, keeping its filters.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pager {
    /// `filters` are the list's non-empty query parameters, `page` excluded.
    pub fn new<T>(path: &str, filters: &[(&str, String)], page: &Page<T>) -> Pager {
        let per_page = u64::from(page.per_page.max(1));
        let pages = page.total.div_ceil(per_page).max(1);
        let current = u64::from(page.page.max(1));
        let url = |number: u64| {
            let mut pairs: Vec<(&str, String)> = filters
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .cloned()
                .collect();
            pairs.push(("page", number.to_string()));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        };
        Pager {
            page: current,
            pages,
            total: page.total,
            prev_url: (current > 1).then(|| url((current - 1).min(pages))),
            next_url: (current < pages).then(|| url(current + 1)),
        }
    }
}

/// A page number typed by a person: anything unreadable means the first page.
pub fn lenient_number(raw: Option<&str>) -> Option<u32> {
    raw.and_then(|text| text.trim().parse::<u32>().ok())
        .filter(|number| *number > 0)
}

/// A filter value as given, trimmed; `None` when empty.
pub fn given(raw: &Option<String>) -> Option<String> {
    raw.as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_percentages() {
        assert_eq!(share_percent(10_000), "100.00%");
        assert_eq!(share_percent(3_333), "33.33%");
        assert_eq!(share_percent(5), "0.05%");
        assert_eq!(share_percent(0), "0.00%");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("202110123456.7"), "202110123456.7");
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment("国"), "%E5%9B%BD");
    }

    #[test]
    fn pager_keeps_filters_and_bounds() {
        let page = Page::<u8> {
            items: Vec::new(),
            page: 2,
            per_page: 20,
            total: 45,
        };
        let pager = Pager::new(
            "/rights",
            &[("kind", "invention".into()), ("q", String::new())],
            &page,
        );
        assert_eq!(pager.pages, 3);
        assert_eq!(
            pager.prev_url.as_deref(),
            Some("/rights?kind=invention&page=1")
        );
        assert_eq!(
            pager.next_url.as_deref(),
            Some("/rights?kind=invention&page=3")
        );
        let empty = Page::<u8> {
            items: Vec::new(),
            page: 1,
            per_page: 0,
            total: 0,
        };
        let pager = Pager::new("/rights", &[], &empty);
        assert_eq!(
            (pager.page, pager.pages, pager.prev_url, pager.next_url),
            (1, 1, None, None)
        );
    }

    #[test]
    fn local_time_is_china_standard_time() {
        let moment = DateTime::parse_from_rfc3339("2024-05-01T20:30:00Z")
            .map(|time| time.with_timezone(&Utc));
        assert_eq!(
            moment.map(local_time).ok().as_deref(),
            Some("2024-05-02 04:30")
        );
    }
}
