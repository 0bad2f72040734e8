//! The landscape figure — `GET /api/v1/patents/landscape?q=…` over a query matching about a fifth
//! of the corpus, median of 5 after one warm-up — and its baseline: the same aggregations in
//! DuckDB (the Python package) over the CSV of the same records, the same filter applied in SQL,
//! timed inside Python (median of 5 after one warm-up; loading the CSV timed apart).

use super::corpus::Condition;
use anyhow::Context;
use std::path::Path;
use std::time::{Duration, Instant};

const REPEATS: usize = 5;

/// Loads the CSV into an in-memory table, then computes what `Landscape` holds: the count and
/// grants, filings per year, the top 20 IPC subclasses (a patent counts once in each of its
/// subclasses), distinct applicants, the top 20 with their filings per year, new entrants (first
/// filing on or after the cutoff) and the top 20 of them, provinces, legal statuses, and the top
/// 20 co-applicant pairs. Prints one JSON line.
const SCRIPT: &str = r#"
import json, statistics, sys, time
try:
    import duckdb
except ImportError:
    print(json.dumps({"unavailable": "DuckDB baseline unavailable: pip install duckdb"}))
    sys.exit(0)
csv_path, where, cutoff, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
con = duckdb.connect()
started = time.perf_counter()
con.execute(f"""
CREATE TABLE p AS SELECT application_no, kind, CAST(filing_date AS DATE) AS filing_date,
  CAST(grant_date AS DATE) AS grant_date, legal_status, region_code,
  coalesce(ipc, '') AS ipc_text,
  CASE WHEN ipc IS NULL THEN []::VARCHAR[] ELSE string_split(ipc, ';') END AS ipc,
  CASE WHEN applicants IS NULL THEN []::VARCHAR[] ELSE string_split(applicants, '|') END AS applicants
FROM read_csv('{csv_path.replace("'", "''")}', header = true, all_varchar = true)""")
load_seconds = time.perf_counter() - started

def landscape():
    out = {}
    out["total"], out["granted"] = con.execute(
        f"SELECT count(*), count(grant_date) FROM p WHERE {where}").fetchone()
    out["years"] = con.execute(
        f"SELECT year(filing_date) AS y, count(*) FROM p WHERE {where} GROUP BY y ORDER BY y").fetchall()
    out["subclasses"] = con.execute(f"""
        SELECT s, count(*) AS c FROM (
          SELECT DISTINCT application_no, left(symbol, 4) AS s FROM (
            SELECT application_no, unnest(ipc) AS symbol FROM p WHERE {where}))
        GROUP BY s ORDER BY c DESC, s LIMIT 20""").fetchall()
    con.execute(f"""CREATE OR REPLACE TEMP TABLE a AS
        SELECT unnest(applicants) AS name, filing_date AS d FROM p WHERE {where}""")
    con.execute("""CREATE OR REPLACE TEMP TABLE s AS
        SELECT name, count(*) AS total, min(d) AS first FROM a GROUP BY name""")
    out["applicant_count"] = con.execute("SELECT count(*) FROM s").fetchone()[0]
    out["top_applicants"] = con.execute("""
        WITH top AS (SELECT name, total FROM s ORDER BY total DESC, name LIMIT 20)
        SELECT top.name, top.total, year(a.d) AS y, count(*) FROM a JOIN top USING (name)
        GROUP BY ALL ORDER BY 2 DESC, 1, 3""").fetchall()
    out["new_entrant_count"] = con.execute(
        "SELECT count(*) FROM s WHERE first >= CAST(? AS DATE)", [cutoff]).fetchone()[0]
    out["new_entrants"] = con.execute("""
        SELECT name, first, total FROM s WHERE first >= CAST(? AS DATE)
        ORDER BY total DESC, name LIMIT 20""", [cutoff]).fetchall()
    out["provinces"] = con.execute(f"""
        SELECT left(region_code, 2) AS province, count(*) AS c FROM p
        WHERE {where} AND region_code IS NOT NULL GROUP BY province ORDER BY c DESC""").fetchall()
    out["statuses"] = con.execute(
        f"SELECT legal_status, count(*) AS c FROM p WHERE {where} GROUP BY legal_status ORDER BY c DESC").fetchall()
    out["pairs"] = con.execute(f"""
        WITH m AS (SELECT row_number() OVER () AS id, list_distinct(applicants) AS names FROM p
                   WHERE {where} AND len(applicants) > 1),
             u AS (SELECT id, unnest(names) AS name FROM m)
        SELECT x.name, y.name, count(*) AS c FROM u x JOIN u y ON x.id = y.id AND x.name < y.name
        GROUP BY ALL ORDER BY c DESC, 1, 2 LIMIT 20""").fetchall()
    return out

landscape()
runs = []
for _ in range(repeats):
    started = time.perf_counter()
    out = landscape()
    runs.append(time.perf_counter() - started)
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
print(json.dumps({"load_seconds": load_seconds, "median_seconds": statistics.median(runs),
                  "runs": runs, "total": out["total"], "granted": out["granted"],
                  "threads": threads, "version": duckdb.__version__}))
"#;

#[derive(Debug)]
pub struct DuckDb {
    pub load_seconds: f64,
    pub median_seconds: f64,
    pub total: u64,
    pub granted: u64,
    pub threads: String,
    pub version: String,
}

impl DuckDb {
    fn from_json(answer: &serde_json::Value) -> Option<Self> {
        Some(DuckDb {
            load_seconds: answer["load_seconds"].as_f64()?,
            median_seconds: answer["median_seconds"].as_f64()?,
            total: answer["total"].as_u64()?,
            granted: answer["granted"].as_u64()?,
            threads: answer["threads"]
                .as_str()
                .map_or_else(|| answer["threads"].to_string(), str::to_string),
            version: answer["version"].as_str()?.to_string(),
        })
    }
}

/// Runs the script with `python3`; `Ok(Err(reason))` when Python or DuckDB is missing.
pub fn duckdb(
    work: &Path,
    csv: &Path,
    condition: &Condition,
    cutoff: chrono::NaiveDate,
) -> anyhow::Result<Result<DuckDb, String>> {
    let script = work.join("duckdb_landscape.py");
    std::fs::write(&script, SCRIPT)
        .with_context(|| format!("cannot write {}", script.display()))?;
    let output = std::process::Command::new("python3")
        .arg(&script)
        .arg(csv)
        .arg(condition.sql())
        .arg(cutoff.to_string())
        .arg(REPEATS.to_string())
        .stdin(std::process::Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Err(
                "DuckDB baseline unavailable: python3 is not installed".to_string()
            ));
        }
        Err(error) => return Err(error).context("cannot run python3"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    if !output.status.success() {
        anyhow::bail!(
            "the DuckDB script failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let answer: serde_json::Value = serde_json::from_str(last)
        .with_context(|| format!("the DuckDB script printed {last:?}"))?;
    if let Some(reason) = answer["unavailable"].as_str() {
        return Ok(Err(reason.to_string()));
    }
    DuckDb::from_json(&answer)
        .map(Ok)
        .with_context(|| format!("the DuckDB script printed {last:?}"))
}

/// Our landscape over HTTP.
#[derive(Debug, Clone)]
pub struct Timed {
    pub first: Duration,
    pub median: Duration,
    pub total: u64,
    pub granted: u64,
}

pub async fn over_http(http: &reqwest::Client, base: &str, q: &str) -> anyhow::Result<Timed> {
    let url = super::load::landscape_url(base, q);
    let mut times = Vec::with_capacity(REPEATS + 1);
    let (mut total, mut granted) = (0, 0);
    for _ in 0..=REPEATS {
        let started = Instant::now();
        let response = http.get(&url).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        times.push(started.elapsed());
        if !status.is_success() {
            anyhow::bail!("{status} for {url}: {}", String::from_utf8_lossy(&body));
        }
        let report: serde_json::Value =
            serde_json::from_slice(&body).context("the landscape report")?;
        total = report["total"].as_u64().context("the landscape's total")?;
        granted = report["granted"]
            .as_u64()
            .context("the landscape's grants")?;
    }
    let first = times.remove(0);
    times.sort_unstable();
    Ok(Timed {
        first,
        median: times[times.len() / 2],
        total,
        granted,
    })
}
