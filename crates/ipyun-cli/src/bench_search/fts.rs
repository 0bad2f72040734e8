//! The search baseline: SQLite FTS5 (the bundled SQLite the database uses) over the same records,
//! title, abstract and claims segmented by jieba and joined by spaces (FTS5's `unicode61`
//! tokenizer then splits at the spaces and punctuation), ranked by bm25 with the index's field
//! boosts (title 3, abstract 1.5, claims 1), with highlighted title and snippet, 20 rows.

use super::load::{Probe, Run};
use anyhow::Context;
use ipyun_search::PatentDoc;
use jieba_rs::Jieba;
use rusqlite::{Connection, OpenFlags};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const BATCH: usize = 1_000;

const QUERY: &str = "SELECT application_no, highlight(patents, 1, '<em>', '</em>'), \
     snippet(patents, 2, '<em>', '</em>', '…', 24) FROM patents WHERE patents MATCH ?1 \
     ORDER BY bm25(patents, 0.0, 3.0, 1.5, 1.0) LIMIT 20";

pub struct Built {
    pub path: PathBuf,
    pub seconds: f64,
    /// Of which the final `optimize` (merging FTS5's b-trees into one).
    pub optimize_seconds: f64,
    pub bytes: u64,
    pub rows: u64,
}

/// jieba's words, joined by spaces.
fn segmented(jieba: &Jieba, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 3);
    for token in jieba.cut(text, true) {
        let word = token.word.trim();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

type Row = (String, String, String, String);

/// Reads the JSON Lines parts and segments the text (one thread) while this thread inserts.
fn segmenter(
    parts: Vec<PathBuf>,
    jieba: Arc<Jieba>,
    rows: std::sync::mpsc::SyncSender<Vec<Row>>,
) -> anyhow::Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for part in parts {
        let file = std::fs::File::open(&part)
            .with_context(|| format!("cannot open {}", part.display()))?;
        for line in std::io::BufReader::with_capacity(1 << 20, file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let doc: PatentDoc = serde_json::from_str(&line)?;
            batch.push((
                doc.application_no,
                segmented(&jieba, &doc.title),
                segmented(&jieba, &doc.abstract_text),
                segmented(&jieba, &doc.claims.join("\n")),
            ));
            if batch.len() >= BATCH && rows.send(std::mem::take(&mut batch)).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.is_empty() {
        let _ = rows.send(batch);
    }
    Ok(())
}

/// Builds the FTS5 table in `path` from the parts; `Ok(Err(reason))` when this SQLite has no FTS5.
pub fn build(
    parts: &[PathBuf],
    path: &Path,
    jieba: Arc<Jieba>,
) -> anyhow::Result<Result<Built, String>> {
    let started = Instant::now();
    let mut connection = Connection::open(path)?;
    if let Err(error) = connection.execute_batch(
        "CREATE VIRTUAL TABLE patents USING fts5(application_no UNINDEXED, title, abstract, claims, \
         tokenize = 'unicode61')",
    ) {
        return Ok(Err(format!("the bundled SQLite cannot create an FTS5 table: {error}")));
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Row>>(4);
    let files = parts.to_vec();
    let reader = std::thread::spawn(move || segmenter(files, jieba, sender));
    let transaction = connection.transaction()?;
    let mut rows = 0_u64;
    {
        let mut insert = transaction.prepare(
            "INSERT INTO patents (application_no, title, abstract, claims) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for batch in receiver {
            for (number, title, abstract_text, claims) in &batch {
                insert.execute((number, title, abstract_text, claims))?;
                rows += 1;
            }
        }
    }
    transaction.commit()?;
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the FTS5 segmenting thread panicked"))??;
    let optimizing = Instant::now();
    connection.execute_batch("INSERT INTO patents (patents) VALUES ('optimize');")?;
    let optimize_seconds = optimizing.elapsed().as_secs_f64();
    drop(connection);
    let seconds = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(path).map_or(0, |metadata| metadata.len());
    Ok(Ok(Built {
        path: path.to_path_buf(),
        seconds,
        optimize_seconds,
        bytes,
        rows,
    }))
}

fn worker(path: &Path, probes: &[Probe], next: &AtomicUsize) -> anyhow::Result<Run> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut statement = connection.prepare(QUERY)?;
    let mut run = Run::default();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(probe) = probes.get(index) else {
            return Ok(run);
        };
        let started = Instant::now();
        let found = statement
            .query_map([&probe.fts], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>());
        run.sorted.push(started.elapsed());
        match found {
            Ok(rows) if rows.is_empty() => run.empty += 1,
            Ok(_) => {}
            Err(error) => {
                run.failed += 1;
                if run.first_failure.is_none() {
                    run.first_failure = Some(format!("MATCH {}: {error}", probe.fts));
                }
            }
        }
    }
}

/// Every probe once, by `threads` threads each with its own read-only connection.
pub fn run(path: &Path, probes: &[Probe], threads: usize) -> anyhow::Result<Run> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let runs: Vec<anyhow::Result<Run>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| scope.spawn(|| worker(path, probes, &next)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("an FTS5 query thread panicked")))
            })
            .collect()
    });
    let mut all = Run::default();
    for run in runs {
        all.absorb(run?);
    }
    all.wall = started.elapsed();
    all.sorted.sort_unstable();
    Ok(all)
}
