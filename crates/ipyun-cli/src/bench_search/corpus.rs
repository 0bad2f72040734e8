//! Step 1: the synthetic corpus, written once — JSON Lines parts for the importer (it takes at most
//! 2 GiB a file), a CSV of the columns the DuckDB baseline aggregates, a sample of titles and
//! abstracts for the queries, and the counts that choose the landscape query.

use anyhow::Context;
use chrono::Datelike;
use ipyun_search::{PatentDoc, PatentKind};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bytes per JSON Lines part: well under the importer's 2 GiB a file.
const PART_BYTES: u64 = 1 << 30;
/// Patents whose title and abstract are kept to draw queries from.
const SAMPLES: u64 = 2_000;
/// The share of the corpus the landscape query should match.
const LANDSCAPE_SHARE: f64 = 0.20;

/// A filter the query language and DuckDB's SQL both express, for the landscape figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Any IPC symbol in the section.
    IpcSection(char),
    Kind(PatentKind),
    /// Filed in this year or later.
    FiledFrom(i32),
}

impl Condition {
    /// The search query (`ipc:H`, `kind:invention`, `filed:2022..`).
    pub fn query(&self) -> String {
        match self {
            Condition::IpcSection(section) => format!("ipc:{section}"),
            Condition::Kind(kind) => format!("kind:{}", kind.as_str()),
            Condition::FiledFrom(year) => format!("filed:{year}.."),
        }
    }

    /// The same filter over the CSV's table in DuckDB (`ipc_text`: the symbols joined by `;`).
    pub fn sql(&self) -> String {
        match self {
            Condition::IpcSection(section) => {
                format!("(';' || ipc_text) LIKE '%;{section}%'")
            }
            Condition::Kind(kind) => format!("kind = '{}'", kind.as_str()),
            Condition::FiledFrom(year) => format!("year(filing_date) >= {year}"),
        }
    }
}

/// A patent's title and abstract, to draw queries from.
pub struct Sample {
    pub title: String,
    pub abstract_text: String,
}

pub struct Corpus {
    pub parts: Vec<PathBuf>,
    pub jsonl_bytes: u64,
    pub csv: PathBuf,
    pub samples: Vec<Sample>,
    /// The landscape query's filter and how many patents it matches.
    pub landscape: (Condition, u64),
}

/// Counts per candidate filter.
#[derive(Default)]
struct Counts {
    sections: BTreeMap<char, u64>,
    kinds: BTreeMap<&'static str, (PatentKind, u64)>,
    years: BTreeMap<i32, u64>,
}

impl Counts {
    fn add(&mut self, doc: &PatentDoc) {
        let mut seen: Vec<char> = Vec::new();
        for section in doc.ipc.iter().filter_map(|symbol| symbol.chars().next()) {
            if !seen.contains(&section) {
                seen.push(section);
                *self.sections.entry(section).or_insert(0) += 1;
            }
        }
        self.kinds
            .entry(doc.kind.as_str())
            .or_insert((doc.kind, 0))
            .1 += 1;
        *self.years.entry(doc.filing_date.year()).or_insert(0) += 1;
    }

    /// The candidate whose share is closest to 20%.
    fn closest(&self, total: u64) -> (Condition, u64) {
        let mut candidates: Vec<(Condition, u64)> = self
            .sections
            .iter()
            .map(|(section, count)| (Condition::IpcSection(*section), *count))
            .collect();
        candidates.extend(
            self.kinds
                .values()
                .map(|(kind, count)| (Condition::Kind(*kind), *count)),
        );
        let mut from_year = 0;
        for (year, count) in self.years.iter().rev() {
            from_year += count;
            candidates.push((Condition::FiledFrom(*year), from_year));
        }
        let target = LANDSCAPE_SHARE * total.max(1) as f64;
        candidates
            .into_iter()
            .min_by(|a, b| {
                let distance = |count: u64| (count as f64 - target).abs();
                distance(a.1).total_cmp(&distance(b.1))
            })
            .unwrap_or((Condition::Kind(PatentKind::Invention), 0))
    }
}

/// A CSV field in quotes (quotes inside doubled).
fn quoted(out: &mut Vec<u8>, value: &str) {
    out.push(b'"');
    out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
    out.push(b'"');
}

/// The CSV's header: what the landscape aggregates (lists joined by `;` and `|`).
const CSV_HEADER: &str =
    "application_no,kind,filing_date,grant_date,legal_status,region_code,ipc,applicants\n";

fn csv_row(out: &mut Vec<u8>, doc: &PatentDoc) {
    quoted(out, &doc.application_no);
    out.push(b',');
    out.extend_from_slice(doc.kind.as_str().as_bytes());
    out.push(b',');
    out.extend_from_slice(doc.filing_date.to_string().as_bytes());
    out.push(b',');
    if let Some(grant) = doc.grant_date {
        out.extend_from_slice(grant.to_string().as_bytes());
    }
    out.push(b',');
    out.extend_from_slice(doc.legal_status.as_str().as_bytes());
    out.push(b',');
    if let Some(region) = &doc.region_code {
        quoted(out, region);
    }
    out.push(b',');
    if !doc.ipc.is_empty() {
        quoted(out, &doc.ipc.join(";"));
    }
    out.push(b',');
    if !doc.applicants.is_empty() {
        quoted(out, &doc.applicants.join("|"));
    }
    out.push(b'\n');
}

/// JSON Lines parts of at most `PART_BYTES` each.
struct Parts {
    dir: PathBuf,
    paths: Vec<PathBuf>,
    out: Option<std::io::BufWriter<std::fs::File>>,
    in_part: u64,
    total: u64,
}

impl Parts {
    fn write(&mut self, line: &[u8]) -> anyhow::Result<()> {
        if self.out.is_none() || self.in_part + line.len() as u64 > PART_BYTES {
            if let Some(mut done) = self.out.take() {
                done.flush()?;
            }
            let path = self
                .dir
                .join(format!("patents-{:03}.jsonl", self.paths.len()));
            let file = std::fs::File::create(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            self.out = Some(std::io::BufWriter::with_capacity(1 << 20, file));
            self.paths.push(path);
            self.in_part = 0;
        }
        if let Some(out) = self.out.as_mut() {
            out.write_all(line)?;
        }
        self.in_part += line.len() as u64;
        self.total += line.len() as u64;
        Ok(())
    }
}

/// Generates `count` patents with `seed` into `dir`.
pub fn write(dir: &Path, count: u64, seed: u64) -> anyhow::Result<Corpus> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut parts = Parts {
        dir: dir.to_path_buf(),
        paths: Vec::new(),
        out: None,
        in_part: 0,
        total: 0,
    };
    let csv = dir.join("landscape.csv");
    let mut csv_out = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&csv).with_context(|| format!("cannot create {}", csv.display()))?,
    );
    csv_out.write_all(CSV_HEADER.as_bytes())?;
    let every = (count / SAMPLES).max(1);
    let mut samples = Vec::new();
    let mut counts = Counts::default();
    let mut line = Vec::with_capacity(8192);
    let mut row = Vec::with_capacity(512);
    let generated = ipyun_search::generator::generate(usize::try_from(count)?, seed);
    for (index, doc) in (0_u64..).zip(generated) {
        line.clear();
        serde_json::to_writer(&mut line, &doc)?;
        line.push(b'\n');
        parts.write(&line)?;
        row.clear();
        csv_row(&mut row, &doc);
        csv_out.write_all(&row)?;
        counts.add(&doc);
        if index % every == 0 {
            samples.push(Sample {
                title: doc.title,
                abstract_text: doc.abstract_text,
            });
        }
    }
    if let Some(mut out) = parts.out.take() {
        out.flush()?;
    }
    csv_out.flush()?;
    Ok(Corpus {
        parts: parts.paths,
        jsonl_bytes: parts.total,
        csv,
        samples,
        landscape: counts.closest(count),
    })
}

/// The corpus a kept run wrote in `dir`, drawn again from the generator (nothing written): the
/// same samples and landscape filter for the same count and seed.
pub fn scan(dir: &Path, count: u64, seed: u64) -> anyhow::Result<Corpus> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    parts.sort();
    let every = (count / SAMPLES).max(1);
    let mut samples = Vec::new();
    let mut counts = Counts::default();
    let generated = ipyun_search::generator::generate(usize::try_from(count)?, seed);
    for (index, doc) in (0_u64..).zip(generated) {
        counts.add(&doc);
        if index % every == 0 {
            samples.push(Sample {
                title: doc.title,
                abstract_text: doc.abstract_text,
            });
        }
    }
    let jsonl_bytes = parts
        .iter()
        .filter_map(|part| std::fs::metadata(part).ok())
        .map(|metadata| metadata.len())
        .sum();
    Ok(Corpus {
        parts,
        jsonl_bytes,
        csv: dir.join("landscape.csv"),
        samples,
        landscape: counts.closest(count),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_landscape_filter_is_the_candidate_closest_to_a_fifth() {
        let mut counts = Counts::default();
        counts.sections.insert('H', 30);
        counts.sections.insert('A', 19);
        counts.years.insert(2024, 12);
        counts.years.insert(2023, 10);
        assert_eq!(counts.closest(100), (Condition::IpcSection('A'), 19));
        assert_eq!(counts.closest(110), (Condition::FiledFrom(2023), 22));
        assert_eq!(Condition::FiledFrom(2023).query(), "filed:2023..");
        assert_eq!(Condition::IpcSection('A').query(), "ipc:A");
    }
}
