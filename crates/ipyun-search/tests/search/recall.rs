//! The acceptance test: a quoted string finds exactly the records that contain it.

use std::collections::BTreeSet;

use ipyun_search::{SearchRequest, normalize};

use crate::fixture::{brute, corpus, found, segments};

/// SplitMix64, for picking substrings reproducibly.
struct Pick(u64);

impl Pick {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

fn chars_of(text: &str) -> Vec<char> {
    text.chars().collect()
}

fn probes() -> Vec<String> {
    let docs = &corpus().docs;
    let mut pick = Pick(11);
    let mut probes = Vec::new();
    // Random substrings of 1 to 8 characters at random places (word boundaries fall anywhere).
    while probes.len() < 320 {
        let doc = &docs[pick.below(docs.len())];
        let mut parts = vec![doc.title.as_str(), doc.abstract_text.as_str()];
        parts.extend(doc.claims.iter().map(String::as_str));
        let chars = chars_of(parts[pick.below(parts.len())]);
        if chars.is_empty() {
            continue;
        }
        let length = 1 + pick.below(8.min(chars.len()));
        let start = pick.below(chars.len() - length + 1);
        probes.push(chars[start..start + length].iter().collect());
    }
    // Strings across two parts: the end of the title and the start of the abstract, the end of
    // a claim and the start of the next one. They must not match across the boundary.
    for doc in docs.iter().take(60) {
        let title = chars_of(&doc.title);
        let abstract_text = chars_of(&doc.abstract_text);
        let tail = 1 + pick.below(3);
        let head = 1 + pick.below(3);
        let mut across: String = title[title.len().saturating_sub(tail)..].iter().collect();
        across.extend(&abstract_text[..head.min(abstract_text.len())]);
        probes.push(across);
        if doc.claims.len() > 1 {
            let first = chars_of(&doc.claims[0]);
            let mut across: String = first[first.len() - 2..].iter().collect();
            across.extend(doc.claims[1].chars().take(2));
            probes.push(across);
        }
    }
    // Substrings with one character swapped: they may or may not occur.
    for _ in 0..60 {
        let doc = &docs[pick.below(docs.len())];
        let mut chars = chars_of(&doc.abstract_text);
        let length = 3 + pick.below(5);
        let start = pick.below(chars.len() - length);
        let other = chars_of(&docs[pick.below(docs.len())].title);
        chars[start + pick.below(length)] = other[pick.below(other.len())];
        probes.push(chars[start..start + length].iter().collect());
    }
    // Repeated characters and ASCII in any case.
    probes.extend(
        [
            "哈哈哈哈",
            "dc-dc",
            "DC-DC",
            "Cas9",
            "S1，将",
            "。2.",
            "%～",
            "a",
        ]
        .map(str::to_owned),
    );
    probes.retain(|probe| !probe.contains(['"', '“', '”']));
    probes
}

#[test]
fn quoted_strings_find_exactly_the_records_that_contain_them() {
    let corpus = corpus();
    let probes = probes();
    assert!(probes.len() >= 400, "{} probes", probes.len());
    let mut matched_some = 0;
    for probe in &probes {
        let needle = normalize(probe);
        let expected: BTreeSet<String> = corpus
            .docs
            .iter()
            .zip(&corpus.parts)
            .filter(|(_, parts)| parts.iter().any(|part| part.contains(&needle)))
            .map(|(doc, _)| doc.application_no.clone())
            .collect();
        let query = format!("\"{probe}\"");
        let got = found(&query);
        assert_eq!(
            got.difference(&expected).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{query}: false matches"
        );
        assert_eq!(
            expected.difference(&got).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{query}: missed matches"
        );
        if !expected.is_empty() {
            matched_some += 1;
        }
    }
    assert!(matched_some >= 300, "only {matched_some} probes occur");
}

#[test]
fn search_total_is_exact_for_quoted_strings() {
    let corpus = corpus();
    for probe in [
        "电池",
        "的",
        "所述",
        "其特征在于",
        "本发明公开了一种",
        "质量比",
        "1.",
    ] {
        let expected = brute(&corpus.docs, |doc| {
            segments(doc)
                .iter()
                .any(|part| part.contains(&normalize(probe)))
        });
        let mut request = SearchRequest::new(format!("\"{probe}\""));
        request.limit = 5;
        let results = corpus.index.search(&request).unwrap();
        assert_eq!(results.total, expected.len() as u64, "{probe}");
        assert_eq!(results.hits.len(), expected.len().min(5), "{probe}");
        for hit in &results.hits {
            assert!(expected.contains(&hit.application_no), "{probe}");
        }
    }
}

#[test]
fn hits_are_highlighted_and_escaped() {
    let corpus = corpus();
    let mut request = SearchRequest::new("\"锂离子电池\"");
    request.limit = 20;
    let results = corpus.index.search(&request).unwrap();
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        let marked = format!("{}{}", hit.title_html, hit.highlight);
        assert!(marked.contains("<em>锂离子电池</em>"), "{marked}");
        assert!(
            !marked
                .replace("<em>", "")
                .replace("</em>", "")
                .contains('<')
        );
    }
}
