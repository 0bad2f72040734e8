//! What the bench measured: a section per step as it completes, then the summary table
//! (figure, measured, target, PASS/FAIL, baseline).

use super::corpus::{Condition, Corpus};
use super::fts::Built;
use super::landscape::{DuckDb, Timed};
use super::load::Run;
use super::server::Server;
use super::{Options, TARGET_COUNT};
use std::time::Duration;

mod summary;

const IMPORT_TARGET: Duration = Duration::from_secs(600);
const FIRST_ANSWER_TARGET: Duration = Duration::from_secs(2);
const RSS_TARGET_BYTES: u64 = 1_500_000_000;
const WORDS_P50_TARGET: Duration = Duration::from_millis(5);
const WORDS_P99_TARGET: Duration = Duration::from_millis(30);
const QUOTED_P99_TARGET: Duration = Duration::from_millis(100);
const LANDSCAPE_TARGET: Duration = Duration::from_millis(300);

pub fn ms(value: Duration) -> String {
    format!("{:.1} ms", value.as_secs_f64() * 1e3)
}

pub fn seconds(value: Duration) -> String {
    let secs = value.as_secs_f64();
    if secs >= 120.0 {
        format!("{secs:.0} s ({:.1} min)", secs / 60.0)
    } else {
        format!("{secs:.1} s")
    }
}

/// Thousands separated by commas.
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn verdict(ok: bool) -> String {
    if ok { "PASS" } else { "FAIL" }.to_string()
}

fn rate(run: &Run) -> String {
    format!("{:.0} q/s", run.per_second())
}

fn line(run: &Run) -> String {
    format!(
        "p50 {}  p95 {}  p99 {}  max {}  {}",
        ms(run.percentile(0.50)),
        ms(run.percentile(0.95)),
        ms(run.percentile(0.99)),
        ms(run.percentile(1.0)),
        rate(run)
    )
}

struct Row {
    figure: String,
    measured: String,
    target: String,
    verdict: String,
    baseline: String,
}

fn row(
    figure: impl Into<String>,
    measured: impl Into<String>,
    target: &str,
    verdict: String,
    baseline: impl Into<String>,
) -> Row {
    Row {
        figure: figure.into(),
        measured: measured.into(),
        target: target.to_string(),
        verdict,
        baseline: baseline.into(),
    }
}

/// FTS5's build (size, seconds) and its runs.
struct FtsFigures {
    bytes: u64,
    seconds: f64,
    runs: [Run; 4],
}

#[derive(Default)]
pub struct Report {
    count: u64,
    clients: usize,
    generate: Option<(Duration, u64, usize)>,
    import: Option<(Duration, u64, u64, u64)>,
    start: Option<(Duration, Duration)>,
    served: Option<(Run, Run, u64, u64, bool)>,
    /// The two-word queries and quoted strings on a server that keeps no answers, and how many
    /// quoted strings are distinct.
    uncached: Option<(Run, Run, usize)>,
    landscape: Option<(Condition, u64, Timed)>,
    /// FTS5's build and its runs: two words on 1 and C threads, quoted on 1 and C threads.
    fts: Option<Result<FtsFigures, String>>,
    duck: Option<Result<DuckDb, String>>,
    failures: Vec<String>,
}

impl Report {
    pub fn new(options: &Options) -> Self {
        Report {
            count: options.count,
            clients: options.clients,
            ..Report::default()
        }
    }

    pub fn generated(&mut self, elapsed: Duration, corpus: &Corpus) {
        println!(
            "corpus: {} patents generated in {} — JSON Lines {} in {} part(s), CSV for DuckDB beside",
            self.count,
            seconds(elapsed),
            mb(corpus.jsonl_bytes),
            corpus.parts.len()
        );
        self.generate = Some((elapsed, corpus.jsonl_bytes, corpus.parts.len()));
    }

    pub fn imported(&mut self, elapsed: Duration, index: u64, db: u64, hwm_kb: u64) {
        println!(
            "import + index: {} ({:.0} patents/s); index {} ({:.0} bytes a patent), SQLite {}, peak memory of this process {}",
            seconds(elapsed),
            self.count as f64 / elapsed.as_secs_f64().max(1e-9),
            mb(index),
            index as f64 / self.count.max(1) as f64,
            mb(db),
            mb(hwm_kb * 1024)
        );
        self.import = Some((elapsed, index, db, hwm_kb));
    }

    pub fn started(&mut self, server: &Server) {
        let how = if server.in_process() {
            "the router opened in this process"
        } else {
            "`ipyun serve` started as a process of its own"
        };
        println!(
            "server: {how}; listening after {}, first search answer after {} (page cache warm: the index was just written)",
            ms(server.listening),
            ms(server.first_answer)
        );
        self.start = Some((server.listening, server.first_answer));
    }

    pub fn served(
        &mut self,
        words: &Run,
        quoted: &Run,
        rss_kb: u64,
        hwm_kb: u64,
        in_process: bool,
    ) {
        println!(
            "HTTP, {} keep-alive clients, 20 hits with facets (the API's default):",
            self.clients
        );
        println!(
            "  two words     {}  ({} queries, mean total {:.0}, {} with no hit)",
            line(words),
            words.sorted.len(),
            words.totals as f64 / words.sorted.len().max(1) as f64,
            words.empty
        );
        println!(
            "  quoted        {}  ({} queries, mean total {:.0})",
            line(quoted),
            quoted.sorted.len(),
            quoted.totals as f64 / quoted.sorted.len().max(1) as f64
        );
        let whose = if in_process {
            "the whole bench process (server and clients)"
        } else {
            "the server process"
        };
        println!(
            "  resident memory of {whose} after the queries: {} (peak {})",
            mb(rss_kb * 1024),
            mb(hwm_kb * 1024)
        );
        for (name, run) in [("two-word", words), ("quoted", quoted)] {
            if run.failed > 0 {
                self.failures.push(format!(
                    "{} {name} answers were not 200; first: {}",
                    run.failed,
                    run.first_failure.clone().unwrap_or_default()
                ));
            }
        }
        if quoted.empty > 0 {
            self.failures.push(format!(
                "{} quoted strings found no patent, though each was taken from one",
                quoted.empty
            ));
        }
        self.served = Some((words.clone(), quoted.clone(), rss_kb, hwm_kb, in_process));
    }

    pub fn uncached(&mut self, words: &Run, quoted: &Run, distinct: usize) {
        println!("  again, result cache off:");
        println!("  two words     {}", line(words));
        println!(
            "  quoted        {}  ({distinct} distinct strings of {})",
            line(quoted),
            quoted.sorted.len()
        );
        for (name, run) in [("two-word", words), ("quoted", quoted)] {
            if run.failed > 0 {
                self.failures.push(format!(
                    "without the result cache, {} {name} answers failed",
                    run.failed
                ));
            }
        }
        if quoted.empty > 0 {
            self.failures.push(format!(
                "without the result cache, {} quoted strings found nothing",
                quoted.empty
            ));
        }
        self.uncached = Some((words.clone(), quoted.clone(), distinct));
    }

    pub fn landscape(&mut self, condition: &Condition, expected: u64, timed: &Timed) {
        println!(
            "landscape {:?}: {} patents ({:.1}% of the corpus), median of 5 {} (first {}), {} granted",
            condition.query(),
            timed.total,
            100.0 * timed.total as f64 / self.count.max(1) as f64,
            ms(timed.median),
            ms(timed.first),
            timed.granted
        );
        if timed.total != expected {
            self.failures.push(format!(
                "the landscape counts {} patents; the corpus has {expected} matching {}",
                timed.total,
                condition.query()
            ));
        }
        self.landscape = Some((condition.clone(), expected, timed.clone()));
    }

    pub fn fts(&mut self, built: &Built, runs: &[Run; 4]) {
        println!(
            "baseline SQLite FTS5 (bundled SQLite, jieba-segmented title/abstract/claims, bm25 3/1.5/1, highlight + snippet, LIMIT 20, no count, no facets):"
        );
        println!(
            "  build {} from the JSON Lines (of which optimize {:.1} s), {} rows, {}",
            seconds(Duration::from_secs_f64(built.seconds)),
            built.optimize_seconds,
            built.rows,
            mb(built.bytes)
        );
        let names = [
            "two words, 1 thread",
            "two words, C threads",
            "quoted, 1 thread",
            "quoted, C threads",
        ];
        for (name, run) in names.iter().zip(runs) {
            let name = name.replace('C', &self.clients.to_string());
            println!("  {name:<22} {}  ({} with no row)", line(run), run.empty);
            if run.failed > 0 {
                println!(
                    "  {} queries failed; first: {}",
                    run.failed,
                    run.first_failure.clone().unwrap_or_default()
                );
            }
        }
        println!(
            "  note: FTS5 matches a quoted string as a phrase of jieba words, so a string that starts or ends inside a word, or is segmented differently alone than in the text, is missed: {} of {} quoted strings found nothing, though each occurs in the corpus (its quoted percentiles include these quick misses); ipyun's exact index finds every one",
            runs[3].empty,
            runs[3].sorted.len()
        );
        self.fts = Some(Ok(FtsFigures {
            bytes: built.bytes,
            seconds: built.seconds,
            runs: runs.clone(),
        }));
    }

    pub fn fts_unavailable(&mut self, reason: &str) {
        println!("baseline SQLite FTS5 unavailable: {reason}");
        self.fts = Some(Err(reason.to_string()));
    }

    pub fn duckdb(&mut self, duck: Result<DuckDb, String>) {
        match &duck {
            Ok(measured) => {
                println!(
                    "baseline DuckDB {} (Python, {} threads, in memory): the same aggregations over the CSV, same filter: median of 5 {}; loading the CSV {} (apart)",
                    measured.version,
                    measured.threads,
                    ms(Duration::from_secs_f64(measured.median_seconds)),
                    seconds(Duration::from_secs_f64(measured.load_seconds))
                );
                if let Some((condition, expected, timed)) = &self.landscape
                    && (measured.total != *expected || measured.granted != timed.granted)
                {
                    self.failures.push(format!(
                        "DuckDB counts {} patents ({} granted) for {}; ipyun {} ({})",
                        measured.total,
                        measured.granted,
                        condition.query(),
                        timed.total,
                        timed.granted
                    ));
                }
            }
            Err(reason) => println!("{reason}"),
        }
        self.duck = Some(duck);
    }

    pub fn print(&self) {
        let rows = self.rows();
        let width = |pick: fn(&Row) -> &String, title: &str| {
            rows.iter()
                .map(|row| pick(row).chars().count())
                .max()
                .unwrap_or(0)
                .max(title.chars().count())
        };
        let widths = [
            width(|row| &row.figure, "figure"),
            width(|row| &row.measured, "measured"),
            width(|row| &row.target, "target"),
            width(|row| &row.verdict, "verdict"),
        ];
        println!();
        println!(
            "summary — {} patents, {} clients; the targets are for {} patents on a 2-core machine",
            grouped(self.count),
            self.clients,
            grouped(TARGET_COUNT)
        );
        let print = |cells: [&str; 5]| {
            println!(
                "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2],
                w3 = widths[3]
            );
        };
        print([
            "figure",
            "measured",
            "target",
            "verdict",
            "baseline (same run)",
        ]);
        for row in &rows {
            print([
                &row.figure,
                &row.measured,
                &row.target,
                &row.verdict,
                &row.baseline,
            ]);
        }
    }

    /// An error when an answer was wrong (not 200, a quoted string not found, counts that differ).
    pub fn failures(&self) -> anyhow::Result<()> {
        if self.failures.is_empty() {
            return Ok(());
        }
        for failure in &self.failures {
            eprintln!("failure: {failure}");
        }
        anyhow::bail!(
            "{} check(s) failed; first: {}",
            self.failures.len(),
            self.failures[0]
        )
    }

    /// The measured figures by name (tests).
    #[cfg(test)]
    pub fn figures(&self) -> Vec<(String, String)> {
        self.rows()
            .into_iter()
            .map(|row| (row.figure, row.measured))
            .collect()
    }
}
