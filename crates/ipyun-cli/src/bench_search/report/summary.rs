//! The summary table: each figure, its target, the verdict and the baseline beside it.

use super::*;

impl Report {
    fn fts_figure(&self, pick: impl Fn(&[Run; 4]) -> String) -> String {
        match &self.fts {
            Some(Ok(figures)) => pick(&figures.runs),
            Some(Err(_)) => "FTS5 unavailable".to_string(),
            None => String::new(),
        }
    }

    pub(super) fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let none = String::new;
        if let Some((elapsed, bytes, parts)) = self.generate {
            rows.push(row(
                "generate corpus (JSONL + CSV)",
                seconds(elapsed),
                "—",
                none(),
                format!("{} in {parts} file(s)", mb(bytes)),
            ));
        }
        if let Some((elapsed, index, db, hwm)) = self.import {
            let projected = elapsed.mul_f64(TARGET_COUNT as f64 / self.count.max(1) as f64);
            let judged = if self.count >= TARGET_COUNT {
                verdict(elapsed <= IMPORT_TARGET)
            } else {
                format!(
                    "{} (projected {:.1} min)",
                    verdict(projected <= IMPORT_TARGET),
                    projected.as_secs_f64() / 60.0
                )
            };
            let fts_build = match &self.fts {
                Some(Ok(figures)) => {
                    format!(
                        "FTS5 build {}",
                        seconds(Duration::from_secs_f64(figures.seconds))
                    )
                }
                Some(Err(_)) => "FTS5 unavailable".to_string(),
                None => String::new(),
            };
            rows.push(row(
                "import + index",
                seconds(elapsed),
                "≤ 10 min at 1M",
                judged,
                fts_build,
            ));
            let fts_size = match &self.fts {
                Some(Ok(figures)) => format!("FTS5 database {}", mb(figures.bytes)),
                _ => String::new(),
            };
            rows.push(row(
                "search index size",
                mb(index),
                "reported",
                none(),
                fts_size,
            ));
            rows.push(row(
                "database size (SQLite)",
                mb(db),
                "reported",
                none(),
                none(),
            ));
            rows.push(row(
                "peak memory, import (VmHWM)",
                mb(hwm * 1024),
                "reported",
                none(),
                "bench process",
            ));
        }
        if let Some((_, first)) = self.start {
            rows.push(row(
                "first answer after start",
                ms(first),
                "≤ 2 s",
                verdict(first <= FIRST_ANSWER_TARGET),
                none(),
            ));
        }
        if let Some((words, quoted, rss, _, in_process)) = &self.served {
            let whose = if *in_process {
                "whole bench process"
            } else {
                "server process"
            };
            rows.push(row(
                "resident memory after queries",
                mb(rss * 1024),
                "< 1.5 GB",
                verdict(rss * 1024 < RSS_TARGET_BYTES),
                whose,
            ));
            let fts = |index: usize, fraction: f64| {
                self.fts_figure(|runs| {
                    format!(
                        "FTS5 {} ({} on 1 thread)",
                        ms(runs[index + 1].percentile(fraction)),
                        ms(runs[index].percentile(fraction))
                    )
                })
            };
            let fts_rate = |index: usize| {
                self.fts_figure(|runs| {
                    format!(
                        "FTS5 {} ({} on 1 thread)",
                        rate(&runs[index + 1]),
                        rate(&runs[index])
                    )
                })
            };
            rows.push(row(
                "two words p50",
                ms(words.percentile(0.5)),
                "≤ 5 ms",
                verdict(words.percentile(0.5) <= WORDS_P50_TARGET),
                fts(0, 0.5),
            ));
            rows.push(row(
                "two words p95",
                ms(words.percentile(0.95)),
                "reported",
                none(),
                fts(0, 0.95),
            ));
            rows.push(row(
                "two words p99",
                ms(words.percentile(0.99)),
                "≤ 30 ms",
                verdict(words.percentile(0.99) <= WORDS_P99_TARGET),
                fts(0, 0.99),
            ));
            rows.push(row(
                "two words throughput",
                rate(words),
                "reported",
                none(),
                fts_rate(0),
            ));
            rows.push(row(
                "quoted p50",
                ms(quoted.percentile(0.5)),
                "reported",
                none(),
                fts(2, 0.5),
            ));
            rows.push(row(
                "quoted p95",
                ms(quoted.percentile(0.95)),
                "reported",
                none(),
                fts(2, 0.95),
            ));
            rows.push(row(
                "quoted p99",
                ms(quoted.percentile(0.99)),
                "≤ 100 ms",
                verdict(quoted.percentile(0.99) <= QUOTED_P99_TARGET),
                fts(2, 0.99),
            ));
            if let Some((words, quoted, distinct)) = &self.uncached {
                rows.push(row(
                    "two words p50, result cache off",
                    ms(words.percentile(0.5)),
                    "reported",
                    none(),
                    format!("p99 {}, {}", ms(words.percentile(0.99)), rate(words)),
                ));
                rows.push(row(
                    "quoted p99, result cache off",
                    ms(quoted.percentile(0.99)),
                    "reported",
                    none(),
                    format!(
                        "p50 {}, {}, {distinct} distinct strings",
                        ms(quoted.percentile(0.5)),
                        rate(quoted)
                    ),
                ));
            }
            rows.push(row(
                "quoted throughput",
                rate(quoted),
                "reported",
                none(),
                fts_rate(2),
            ));
            let found = quoted.sorted.len() as u64 - quoted.empty;
            rows.push(row(
                "quoted strings found",
                format!("{found} of {}", quoted.sorted.len()),
                "all",
                verdict(quoted.empty == 0),
                self.fts_figure(|runs| {
                    format!(
                        "FTS5 {} of {}",
                        runs[3].sorted.len() as u64 - runs[3].empty,
                        runs[3].sorted.len()
                    )
                }),
            ));
        }
        if let Some((condition, _, timed)) = &self.landscape {
            let baseline = match &self.duck {
                Some(Ok(duck)) => format!(
                    "DuckDB {} (CSV load {:.1} s apart)",
                    ms(Duration::from_secs_f64(duck.median_seconds)),
                    duck.load_seconds
                ),
                Some(Err(reason)) => reason.clone(),
                None => String::new(),
            };
            rows.push(row(
                format!("landscape {} ({} patents)", condition.query(), timed.total),
                ms(timed.median),
                "≤ 300 ms",
                verdict(timed.median <= LANDSCAPE_TARGET),
                baseline,
            ));
        }
        rows
    }
}
