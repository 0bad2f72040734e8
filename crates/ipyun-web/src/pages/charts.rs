//! Bar charts as inline SVG, drawn on the server: no script, nothing loaded from outside, sizes
//! in SVG attributes (the pages' content-security policy allows no inline style). Every label is
//! HTML-escaped; the chart is a figure with a text alternative, and the page shows the same
//! figures in a table beside it.

use std::fmt::Write;

/// One bar: its label and its count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

impl Bar {
    pub fn new(label: impl Into<String>, count: u64) -> Self {
        Bar {
            label: label.into(),
            count,
        }
    }
}

/// Chart geometry, in SVG user units.
const COLUMN_HEIGHT: u64 = 160;
const COLUMN_WIDTH: u64 = 28;
const COLUMN_GAP: u64 = 6;
const AXIS_SPACE: u64 = 36;
const ROW_HEIGHT: u64 = 22;
const ROW_LABEL_WIDTH: u64 = 180;
const ROW_BAR_WIDTH: u64 = 320;

/// Text and attribute values escaped as the templates escape them.
fn escape(text: &str) -> String {
    minijinja::HtmlEscape(text).to_string()
}

/// `count` scaled to `span` units of the largest bar, at least 1 unit for a non-zero count.
fn scaled(count: u64, largest: u64, span: u64) -> u64 {
    if count == 0 || largest == 0 {
        return 0;
    }
    (u128::from(count) * u128::from(span) / u128::from(largest))
        .try_into()
        .unwrap_or(span)
        .max(1)
}

/// Labels shown under columns are shortened to their last `keep` characters (years: `2021` →
/// `21` when there are many columns).
fn short_label(label: &str, keep: usize) -> String {
    let count = label.chars().count();
    label.chars().skip(count.saturating_sub(keep)).collect()
}

/// Vertical columns (a time series: filings per year). `title` is the chart's text alternative.
pub fn columns(title: &str, bars: &[Bar]) -> String {
    let largest = bars.iter().map(|bar| bar.count).max().unwrap_or(0);
    let count = u64::try_from(bars.len()).unwrap_or(0);
    let width = (count * (COLUMN_WIDTH + COLUMN_GAP)).max(COLUMN_WIDTH);
    let height = COLUMN_HEIGHT + AXIS_SPACE;
    let keep = if bars.len() > 12 { 2 } else { 4 };
    let mut svg = format!(
        "<svg class=\"chart chart-columns\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title)
    );
    for (index, bar) in (0u64..).zip(bars) {
        let x = index * (COLUMN_WIDTH + COLUMN_GAP);
        let bar_height = scaled(bar.count, largest, COLUMN_HEIGHT - 14);
        let y = COLUMN_HEIGHT - bar_height;
        let middle = x + COLUMN_WIDTH / 2;
        let _ = write!(
            svg,
            "<g><title>{label}: {count}</title><rect class=\"bar\" x=\"{x}\" y=\"{y}\" width=\"{COLUMN_WIDTH}\" height=\"{bar_height}\"></rect><text class=\"value\" x=\"{middle}\" y=\"{value_y}\" text-anchor=\"middle\">{count}</text><text class=\"axis\" x=\"{middle}\" y=\"{label_y}\" text-anchor=\"middle\">{short}</text></g>",
            label = escape(&bar.label),
            count = bar.count,
            value_y = y.saturating_sub(3).max(10),
            label_y = COLUMN_HEIGHT + 16,
            short = escape(&short_label(&bar.label, keep)),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars (a ranking: subclasses, applicants, provinces).
pub fn rows(title: &str, bars: &[Bar]) -> String {
    let largest = bars.iter().map(|bar| bar.count).max().unwrap_or(0);
    let count = u64::try_from(bars.len()).unwrap_or(0);
    let width = ROW_LABEL_WIDTH + ROW_BAR_WIDTH + 70;
    let height = (count * ROW_HEIGHT).max(ROW_HEIGHT);
    let mut svg = format!(
        "<svg class=\"chart chart-rows\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(title)
    );
    for (index, bar) in (0u64..).zip(bars) {
        let y = index * ROW_HEIGHT;
        let bar_width = scaled(bar.count, largest, ROW_BAR_WIDTH);
        let label: String = bar.label.chars().take(14).collect();
        let ellipsis = if bar.label.chars().count() > 14 {
            "…"
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<g><title>{full}: {count}</title><text class=\"axis\" x=\"{label_x}\" y=\"{text_y}\" text-anchor=\"end\">{label}{ellipsis}</text><rect class=\"bar\" x=\"{ROW_LABEL_WIDTH}\" y=\"{bar_y}\" width=\"{bar_width}\" height=\"{bar_height}\"></rect><text class=\"value\" x=\"{value_x}\" y=\"{text_y}\">{count}</text></g>",
            full = escape(&bar.label),
            count = bar.count,
            label_x = ROW_LABEL_WIDTH - 6,
            text_y = y + 15,
            label = escape(&label),
            bar_y = y + 4,
            bar_height = ROW_HEIGHT - 7,
            value_x = ROW_LABEL_WIDTH + bar_width + 5,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_labels_are_escaped() {
        let svg = rows(
            "申请人 <top>",
            &[
                Bar::new("甲公司 & 乙", 200),
                Bar::new("丙", 50),
                Bar::new("丁", 0),
            ],
        );
        assert!(svg.contains("<title>申请人 &lt;top&gt;</title>"));
        assert!(svg.contains("甲公司 &amp; 乙"));
        assert!(!svg.contains("<top>"));
        assert!(svg.contains(&format!("width=\"{ROW_BAR_WIDTH}\"")));
        assert!(svg.contains(&format!("width=\"{}\"", ROW_BAR_WIDTH / 4)));
        assert!(svg.contains("width=\"0\""), "an empty bar has no width");
        assert!(
            !svg.contains("style="),
            "no inline style: the CSP forbids it"
        );
    }

    #[test]
    fn columns_keep_small_counts_visible_and_shorten_years_when_many() {
        let bars: Vec<Bar> = (2000..2020)
            .map(|year| Bar::new(year.to_string(), if year == 2019 { 10_000 } else { 1 }))
            .collect();
        let svg = columns("filings", &bars);
        assert!(svg.contains("height=\"1\""), "one filing still shows");
        assert!(svg.contains(">19</text>") && !svg.contains(">2019</text>"));
        let few = columns("filings", &bars[..3]);
        assert!(few.contains(">2000</text>"));
        assert_eq!(columns("empty", &[]).matches("<rect").count(), 0);
    }

    #[test]
    fn long_labels_are_cut_with_the_whole_label_in_the_tooltip() {
        let long = "一二三四五六七八九十甲乙丙丁戊己";
        let svg = rows("t", &[Bar::new(long, 3)]);
        assert!(svg.contains(&format!("<title>{long}: 3</title>")));
        assert!(svg.contains("一二三四五六七八九十甲乙丙丁…"));
    }
}
