//! Runs wrk against a loopback URL and reads its figures.

use anyhow::Context;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct LoadFigures {
    pub requests_per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub failed_responses: u64,
}

fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) =
        text.split_at(text.find(|character: char| character.is_ascii_alphabetic())?);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(seconds))
}

/// Parses wrk's `--latency` report.
pub fn parse_report(report: &str) -> Option<LoadFigures> {
    let mut requests_per_second = None;
    let mut p50 = None;
    let mut p99 = None;
    let mut failed_responses = 0;
    for line in report.lines().map(str::trim) {
        if let Some(value) = line.strip_prefix("Requests/sec:") {
            requests_per_second = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("50%") {
            p50 = parse_duration(value);
        } else if let Some(value) = line.strip_prefix("99%") {
            p99 = parse_duration(value);
        } else if let Some(value) = line.strip_prefix("Non-2xx or 3xx responses:") {
            failed_responses = value.trim().parse().unwrap_or(u64::MAX);
        }
    }
    Some(LoadFigures {
        requests_per_second: requests_per_second?,
        p50: p50?,
        p99: p99?,
        failed_responses,
    })
}

/// One wrk run: one thread (the server keeps the other core), `connections` connections.
pub async fn run(
    url: &str,
    script: Option<&Path>,
    seconds: u32,
    connections: u32,
) -> anyhow::Result<LoadFigures> {
    let mut command = tokio::process::Command::new("wrk");
    command
        .arg("-t1")
        .arg(format!("-c{connections}"))
        .arg(format!("-d{seconds}s"))
        .arg("--latency");
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.arg(url);
    let output = command
        .output()
        .await
        .context("cannot run wrk: install it with `apt-get install -y wrk`")?;
    let report = String::from_utf8_lossy(&output.stdout);
    parse_report(&report).with_context(|| {
        format!(
            "cannot read wrk's report:\n{report}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_wrk_report() {
        let report = "Running 10s test @ http://127.0.0.1:1/x\n  1 threads and 32 connections\n\
            Latency Distribution\n     50%  1.20ms\n     75%    1.50ms\n     90%    2.00ms\n     99%  850.00us\n\
            150000 requests in 10.00s, 20.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:  15000.50\n";
        let figures = parse_report(report).unwrap_or_else(|| panic!("unparsed"));
        assert!((figures.requests_per_second - 15000.5).abs() < 1e-9);
        assert_eq!(figures.p50, Duration::from_micros(1200));
        assert_eq!(figures.p99, Duration::from_micros(850));
        assert_eq!(figures.failed_responses, 3);
    }
}
