//! The queries (two words from sampled titles; quoted substrings of sampled abstracts), each in
//! the API's language and in FTS5's, and the HTTP load: C keep-alive clients issuing them (lean
//! blocking connections, see `client.rs`).

use super::client::{Connection, split_url};
use super::corpus::Sample;
use jieba_rs::Jieba;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Words too general to be searched for on their own (they are in most titles).
const GENERIC: &[&str] = &[
    "一种",
    "及其",
    "以及",
    "用于",
    "基于",
    "方法",
    "装置",
    "系统",
    "设备",
    "结构",
    "制备",
    "应用",
    "具有",
    "包括",
    "一种新型",
];

/// A query as the API takes it and as FTS5's `MATCH` takes it over the segmented text.
#[derive(Debug, Clone)]
pub struct Probe {
    pub api: String,
    pub fts: String,
}

/// A small deterministic generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5bd1_e995_9e37_79b9)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            return 0;
        }
        usize::try_from(self.next() % bound as u64).unwrap_or(0)
    }
}

fn is_term(word: &str) -> bool {
    word.chars().all(char::is_alphanumeric)
}

/// One FTS5 token in quotes (FTS5's own quoting: quotes doubled).
fn fts_token(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// `count` two-word queries: two distinct words of one sampled title, jieba's segmentation,
/// generic title words left out. FTS5 gets each word's segments, all required.
pub fn two_word_queries(
    samples: &[Sample],
    count: usize,
    rng: &mut Rng,
    jieba: &Jieba,
) -> Vec<Probe> {
    let mut probes = Vec::with_capacity(count);
    let mut tries = 0;
    while probes.len() < count && tries < count * 50 + 100 {
        tries += 1;
        let Some(sample) = samples.get(rng.below(samples.len())) else {
            break;
        };
        let mut words: Vec<&str> = Vec::new();
        for token in jieba.cut(&sample.title, true) {
            let word = token.word;
            if word.chars().count() >= 2
                && is_term(word)
                && !GENERIC.contains(&word)
                && !words.contains(&word)
            {
                words.push(word);
            }
        }
        if words.len() < 2 {
            continue;
        }
        let first = rng.below(words.len());
        let mut second = rng.below(words.len() - 1);
        if second >= first {
            second += 1;
        }
        let pair = [words[first], words[second]];
        let fts = pair
            .iter()
            .flat_map(|word| jieba.cut(word, true))
            .map(|token| token.word)
            .filter(|segment| is_term(segment))
            .map(fts_token)
            .collect::<Vec<_>>()
            .join(" ");
        probes.push(Probe {
            api: pair.join(" "),
            fts,
        });
    }
    probes
}

/// `count` quoted strings: 2 to 6 consecutive letters, digits or ideographs of a sampled
/// abstract. FTS5 gets the phrase of the string's own segmentation, which need not be the
/// segmentation of the text around it.
pub fn quoted_queries(
    samples: &[Sample],
    count: usize,
    rng: &mut Rng,
    jieba: &Jieba,
) -> Vec<Probe> {
    let mut probes = Vec::with_capacity(count);
    let mut tries = 0;
    while probes.len() < count && tries < count * 50 + 100 {
        tries += 1;
        let Some(sample) = samples.get(rng.below(samples.len())) else {
            break;
        };
        let chars: Vec<char> = sample.abstract_text.chars().collect();
        let length = 2 + rng.below(5);
        if chars.len() < length {
            continue;
        }
        let start = rng.below(chars.len() - length + 1);
        let text: String = chars[start..start + length].iter().collect();
        if !is_term(&text) {
            continue;
        }
        let segments: Vec<&str> = jieba
            .cut(&text, true)
            .into_iter()
            .map(|token| token.word)
            .filter(|segment| is_term(segment))
            .collect();
        probes.push(Probe {
            api: format!("\"{text}\""),
            fts: fts_token(&segments.join(" ")),
        });
    }
    probes
}

/// Percent-encodes a query-string value (everything but the unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The search URL for `q`: 20 hits, the API's defaults otherwise (facets included).
pub fn search_url(base: &str, q: &str) -> String {
    format!("{base}/api/v1/patents/search?q={}&limit=20", encode(q))
}

/// The search URLs of the probes on the server at `base`.
pub fn search_urls(base: &str, probes: &[Probe]) -> Vec<String> {
    probes
        .iter()
        .map(|probe| search_url(base, &probe.api))
        .collect()
}

pub fn landscape_url(base: &str, q: &str) -> String {
    format!("{base}/api/v1/patents/landscape?q={}", encode(q))
}

/// Latencies of a run, sorted, with its wall time.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub sorted: Vec<Duration>,
    pub wall: Duration,
    /// Answers that were not 200 (HTTP) or failed (FTS5).
    pub failed: u64,
    pub first_failure: Option<String>,
    /// Answers with no hit.
    pub empty: u64,
    /// Sum of the answers' `total` (HTTP).
    pub totals: u64,
}

impl Run {
    pub fn percentile(&self, fraction: f64) -> Duration {
        if self.sorted.is_empty() {
            return Duration::ZERO;
        }
        let rank = (fraction * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    pub fn per_second(&self) -> f64 {
        self.sorted.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    pub fn absorb(&mut self, other: Run) {
        self.sorted.extend(other.sorted);
        self.failed += other.failed;
        self.empty += other.empty;
        self.totals += other.totals;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }
}

/// The answer's `total`: the first field of a search answer (`{"total":N,…}`), else parsed.
fn total_of(body: &[u8]) -> u64 {
    const KEY: &[u8] = b"{\"total\":";
    if let Some(rest) = body.strip_prefix(KEY) {
        let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
        if let Some(total) = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|text| text.parse().ok())
        {
            return total;
        }
    }
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|answer| answer["total"].as_u64())
        .unwrap_or(0)
}

/// One client: takes the next URL until none is left, on its own keep-alive connection.
fn client(urls: &[String], next: &AtomicUsize) -> Run {
    let mut run = Run::default();
    let mut connection: Option<(String, Connection)> = None;
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(url) = urls.get(index) else {
            return run;
        };
        let Some((host, path)) = split_url(url) else {
            run.failed += 1;
            run.first_failure
                .get_or_insert_with(|| format!("not an http:// URL: {url}"));
            continue;
        };
        if connection.as_ref().is_none_or(|(known, _)| known != host) {
            connection = Some((host.to_owned(), Connection::new(host)));
        }
        let Some((_, connection)) = connection.as_mut() else {
            continue;
        };
        let started = Instant::now();
        let answer = connection.get(path);
        run.sorted.push(started.elapsed());
        match answer {
            Ok(answer) if (200..300).contains(&answer.status) => {
                let total = total_of(answer.body);
                run.totals += total;
                if total == 0 {
                    run.empty += 1;
                }
            }
            Ok(answer) => {
                run.failed += 1;
                if run.first_failure.is_none() {
                    let body = String::from_utf8_lossy(answer.body);
                    run.first_failure = Some(format!("{} for {url}: {body}", answer.status));
                }
            }
            Err(error) => {
                run.failed += 1;
                if run.first_failure.is_none() {
                    run.first_failure = Some(format!("{url}: {error}"));
                }
            }
        }
    }
}

/// `clients` keep-alive clients (threads of [`Connection`]s) issue every URL once, in order, as
/// fast as answers come.
pub async fn http_run(urls: Vec<String>, clients: usize) -> anyhow::Result<Run> {
    tokio::task::spawn_blocking(move || {
        let next = AtomicUsize::new(0);
        let started = Instant::now();
        let mut all = Run::default();
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..clients.max(1))
                .map(|_| scope.spawn(|| client(&urls, &next)))
                .collect();
            for thread in threads {
                match thread.join() {
                    Ok(run) => all.absorb(run),
                    Err(_) => {
                        all.failed += 1;
                        all.first_failure
                            .get_or_insert_with(|| "a client thread panicked".to_owned());
                    }
                }
            }
        });
        all.wall = started.elapsed();
        all.sorted.sort_unstable();
        all
    })
    .await
    .map_err(|error| anyhow::anyhow!("the load run failed: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_come_from_the_samples_in_both_languages() {
        let jieba = Jieba::new();
        let samples = vec![Sample {
            title: "一种锂离子电池隔膜的制备方法".into(),
            abstract_text: "本发明公开了一种锂离子电池隔膜，提高了安全性。".into(),
        }];
        let mut rng = Rng::new(1);
        let words = two_word_queries(&samples, 5, &mut rng, &jieba);
        assert_eq!(words.len(), 5);
        for probe in &words {
            let parts: Vec<&str> = probe.api.split(' ').collect();
            assert_eq!(parts.len(), 2);
            assert!(parts.iter().all(|part| samples[0].title.contains(part)));
            assert!(!probe.fts.is_empty());
        }
        let quoted = quoted_queries(&samples, 20, &mut rng, &jieba);
        assert_eq!(quoted.len(), 20);
        for probe in &quoted {
            let inner = probe.api.trim_matches('"');
            assert!((2..=6).contains(&inner.chars().count()));
            assert!(samples[0].abstract_text.contains(inner));
            assert!(probe.fts.starts_with('"') && probe.fts.ends_with('"'));
        }
        assert_eq!(encode("a b\"锂"), "a%20b%22%E9%94%82");
        assert_eq!(total_of(br#"{"total":1234,"hits":[]}"#), 1234);
        assert_eq!(total_of(br#"{"hits":[],"total":7}"#), 7);
    }
}
