//! Marks the query's words and quoted strings in stored text: `<em>…</em>` around matches, the
//! rest HTML-escaped.

use crate::text::{escape_html_into, normalize};

/// Characters in a snippet, about.
pub const SNIPPET_CHARS: usize = 120;
/// Characters of context kept before the first match of a snippet.
const LEAD_CHARS: usize = 20;

/// Byte ranges of the needles' occurrences in `text`, merged where they overlap or touch.
fn match_ranges(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let haystack = normalize(text);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for needle in needles.iter().filter(|needle| !needle.is_empty()) {
        ranges.extend(
            haystack
                .match_indices(needle.as_str())
                .map(|(start, found)| (start, start + found.len())),
        );
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// `text[from..to]` with the ranges inside it marked.
fn render(text: &str, from: usize, to: usize, ranges: &[(usize, usize)], out: &mut String) {
    let mut cursor = from;
    for &(start, end) in ranges {
        let (start, end) = (start.max(from), end.min(to));
        if start >= end {
            continue;
        }
        escape_html_into(text.get(cursor..start).unwrap_or(""), out);
        out.push_str("<em>");
        escape_html_into(text.get(start..end).unwrap_or(""), out);
        out.push_str("</em>");
        cursor = end;
    }
    escape_html_into(text.get(cursor..to).unwrap_or(""), out);
}

/// The whole text, matches marked.
pub fn highlight(text: &str, needles: &[String]) -> String {
    let ranges = match_ranges(text, needles);
    let mut out = String::with_capacity(text.len() + 16 * ranges.len());
    render(text, 0, text.len(), &ranges, &mut out);
    out
}

/// A candidate snippet: matched bytes it covers, its text, its byte range, the text's matches.
struct Window<'a> {
    covered: usize,
    text: &'a str,
    from: usize,
    to: usize,
    ranges: Vec<(usize, usize)>,
}

/// The window of about `max_chars` characters, over the given texts, with the most matched
/// characters; the start of the first non-empty text when nothing matches. `…` marks a cut.
pub fn snippet(texts: &[&str], needles: &[String], max_chars: usize) -> String {
    let mut best: Option<Window<'_>> = None;
    for text in texts.iter().copied().filter(|text| !text.is_empty()) {
        let ranges = match_ranges(text, needles);
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(offset, _)| offset)
            .chain(std::iter::once(text.len()))
            .collect();
        let char_at = |byte: usize| offsets.partition_point(|offset| *offset < byte);
        let window = |first_char: usize| -> (usize, usize) {
            let from = offsets.get(first_char).copied().unwrap_or(text.len());
            let to = offsets
                .get(first_char + max_chars)
                .copied()
                .unwrap_or(text.len());
            (from, to)
        };
        let mut candidates: Vec<usize> = ranges
            .iter()
            .map(|(start, _)| char_at(*start).saturating_sub(LEAD_CHARS))
            .collect();
        if candidates.is_empty() {
            candidates.push(0);
        }
        for first_char in candidates {
            let (from, to) = window(first_char);
            let covered: usize = ranges
                .iter()
                .map(|(start, end)| end.min(&to).saturating_sub(*start.max(&from)))
                .sum();
            if best.as_ref().is_none_or(|best| covered > best.covered) {
                best = Some(Window {
                    covered,
                    text,
                    from,
                    to,
                    ranges: ranges.clone(),
                });
            }
        }
    }
    let Some(Window {
        text,
        from,
        to,
        ranges,
        ..
    }) = best
    else {
        return String::new();
    };
    let mut out = String::with_capacity(max_chars * 4);
    if from > 0 {
        out.push('…');
    }
    render(text, from, to, &ranges, &mut out);
    if to < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(list: &[&str]) -> Vec<String> {
        list.iter().map(|needle| (*needle).to_owned()).collect()
    }

    #[test]
    fn marks_and_escapes() {
        assert_eq!(
            highlight("锂电池<隔膜>&电池", &needles(&["电池"])),
            "锂<em>电池</em>&lt;隔膜&gt;&amp;<em>电池</em>"
        );
        assert_eq!(
            highlight("锂电池隔膜", &needles(&["电池隔", "隔膜"])),
            "锂<em>电池隔膜</em>"
        );
        assert_eq!(highlight("CPU", &needles(&["cpu"])), "<em>CPU</em>");
    }

    #[test]
    fn snippet_centres_on_matches() {
        let long = format!("{}锂电池{}", "甲".repeat(100), "乙".repeat(100));
        let snip = snippet(&["无关", &long], &needles(&["锂电池"]), 40);
        assert!(snip.starts_with('…') && snip.ends_with('…'), "{snip}");
        assert!(snip.contains("<em>锂电池</em>"), "{snip}");
        assert_eq!(snippet(&["", "abc"], &needles(&["z"]), 2), "ab…");
    }
}
