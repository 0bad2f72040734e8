//! Measures indexing speed, index size and query latencies on generated patents.
//!
//! `cargo run -p ipyun-search --release --example bench -- COUNT DIR [HEAP_MB] [--reuse]`
//!
//! Builds a fresh index of COUNT generated patents in DIR (deleted first unless `--reuse`, which
//! measures the queries on the index already there), then times ranked two-word queries, quoted
//! strings, filtered queries (each with and without facets) and landscapes (`ONLY=two` runs only
//! the sets whose label starts so). `SEARCH_THREADS`
//! (default 1) sets the threads per query; with 1, `cpu/query` is the query's own CPU time.

use std::path::Path;
use std::time::{Duration, Instant};

use ipyun_search::generator::{GENERATOR_TODAY, generate};
use ipyun_search::{LandscapeRequest, SearchIndex, SearchRequest};

const TWO_WORDS: [&str; 24] = [
    "锂离子电池 隔膜",
    "正极材料 烧结",
    "神经网络 训练",
    "图像识别 注意力",
    "分布式数据库 索引",
    "污水处理 膜组件",
    "充电桩 充电枪",
    "太阳能 集热器",
    "包装盒 缓冲",
    "播种机 排种器",
    "激光焊接 夹具",
    "碳化硅 刻蚀",
    "检测 灵敏度",
    "基因编辑 载体",
    "药物组合物 缓释",
    "吡啶 偶联反应",
    "路由器 加密",
    "电动汽车 电机控制器",
    "数据 压缩",
    "电池管理系统 均衡",
    "反渗透膜 过滤",
    "量子点 荧光探针",
    "发酵 纯化",
    "储能电站 热管理",
];

const FILTERED: [&str; 8] = [
    "ipc:H01M kind:invention filed:2019..2021",
    "region:32 status:in_force 锂离子电池",
    "applicant:大学 ipc:G06N",
    "kind:utility_model region:44 -status:expired",
    "(ipc:C02F OR ipc:B01D) filed:2020..",
    "\"其特征在于\" region:11 kind:invention",
    "status:not_yet_granted 神经网络",
    "ipc:A61K \"缓释片\"",
];

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times.get(index).copied().unwrap_or_default()
}

/// CPU time this thread has used (user + system), from /proc (10 ms ticks): with one search
/// thread it measures a query's work whatever else the machine is doing.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|stat| {
            let after = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = after.split_whitespace().collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some(Duration::from_millis((user + system) * 10))
        })
        .unwrap_or_default()
}

fn report(label: &str, times: &mut [Duration], totals: &[u64], cpu: Duration) {
    let mean_total = totals.iter().sum::<u64>() / totals.len().max(1) as u64;
    println!(
        "{label:<34} n={:<4} p50={:>8.2?} p99={:>8.2?} max={:>8.2?} cpu/query={:>8.2?} (mean total {mean_total})",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.99),
        percentile(times, 1.0),
        cpu / times.len().max(1) as u32,
    );
}

fn run(index: &SearchIndex, label: &str, queries: &[String], facets: bool, repeat: usize) {
    if std::env::var("ONLY").is_ok_and(|only| !label.starts_with(only.as_str())) {
        return;
    }
    let mut times = Vec::new();
    let mut totals = Vec::new();
    let mut slowest: Vec<(Duration, &str, u64)> = Vec::new();
    let cpu = thread_cpu();
    for _ in 0..repeat {
        for query in queries {
            let mut request = SearchRequest::new(query.clone());
            request.facets = facets;
            let start = Instant::now();
            let total = match index.search(&request) {
                Ok(results) => results.total,
                Err(error) => {
                    println!("{query}: {error}");
                    0
                }
            };
            let took = start.elapsed();
            totals.push(total);
            times.push(took);
            slowest.push((took, query, total));
        }
    }
    report(label, &mut times, &totals, thread_cpu() - cpu);
    slowest.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    for (took, query, total) in slowest.iter().take(3) {
        println!("    slow: {took:>8.2?} {query} ({total})");
    }
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(|meta| meta.is_file())
                .map(|meta| meta.len())
                .sum()
        })
        .unwrap_or(0)
}

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS"))
                .map(|line| {
                    line.split_whitespace()
                        .skip(1)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
        })
        .unwrap_or_default()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args
        .first()
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(100_000);
    let dir = Path::new(
        args.get(1)
            .map_or("/tmp/ipyun-search-bench", String::as_str),
    )
    .to_owned();
    let heap_mb: usize = args.get(2).and_then(|arg| arg.parse().ok()).unwrap_or(512);
    let reuse = args.iter().any(|arg| arg == "--reuse");
    let seed = 1;

    if !reuse {
        let _ = std::fs::remove_dir_all(&dir);
        let start = Instant::now();
        let generated = generate(count.min(20_000), seed).count();
        println!("generate {generated} records: {:.2?}", start.elapsed());

        let index = SearchIndex::create_or_open(&dir)?;
        let mut writer = index.writer(heap_mb * 1_000_000)?;
        let start = Instant::now();
        for (position, doc) in generate(count, seed).enumerate() {
            writer.upsert(&doc)?;
            if (position + 1) % 100_000 == 0 {
                println!(
                    "  {} queued at {:.1?} (rss {})",
                    position + 1,
                    start.elapsed(),
                    rss()
                );
            }
        }
        let queued = start.elapsed();
        writer.commit()?;
        let committed = start.elapsed();
        writer.finish()?;
        let merged = start.elapsed();
        println!(
            "index {count} records: queued {queued:.1?}, committed {committed:.1?}, merges done {merged:.1?} → {:.0} docs/s",
            count as f64 / committed.as_secs_f64()
        );
        println!(
            "index size {:.1} MB ({:.0} bytes per patent); rss {}",
            dir_size(&dir) as f64 / 1e6,
            dir_size(&dir) as f64 / count as f64,
            rss()
        );
    }

    let mut index = SearchIndex::create_or_open(&dir)?;
    let threads: usize = std::env::var("SEARCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    index.set_search_threads(threads)?;
    // Every query computed: the figures are the search's own, not the result cache's.
    index.set_result_cache(0, Duration::ZERO);
    println!(
        "opened {} docs in {} segments, {threads} search thread(s), rss {}",
        index.num_docs(),
        index.segment_count(),
        rss()
    );
    let two_words: Vec<String> = TWO_WORDS.iter().map(|query| (*query).to_owned()).collect();
    let filtered: Vec<String> = FILTERED.iter().map(|query| (*query).to_owned()).collect();
    // Quoted strings: substrings of 2 to 8 characters of generated records.
    let mut quoted = Vec::new();
    for (position, doc) in generate(400, seed).enumerate() {
        let text: Vec<char> = if position % 2 == 0 {
            doc.abstract_text.chars().collect()
        } else {
            doc.title.chars().collect()
        };
        let length = 2 + position % 7;
        if text.len() > length {
            let start = (position * 7919) % (text.len() - length);
            quoted.push(format!(
                "\"{}\"",
                text[start..start + length].iter().collect::<String>()
            ));
        }
    }
    for common in [
        "\"其特征在于\"",
        "\"本发明公开了一种\"",
        "\"所述\"",
        "\"的\"",
        "\"锂电池隔膜\"",
        "\"电池管理系统\"",
    ] {
        quoted.push(common.to_owned());
    }
    run(&index, "warm-up", &two_words, true, 1);
    run(&index, "two words, no facets", &two_words, false, 5);
    run(&index, "two words, with facets", &two_words, true, 5);
    run(&index, "quoted 2-8 chars, no facets", &quoted, false, 1);
    run(&index, "quoted 2-8 chars, with facets", &quoted, true, 1);
    run(&index, "filtered, with facets", &filtered, true, 5);

    let landscapes = ["ipc:H01M", "kind:invention", "filed:2018..", "*"];
    let skip_landscapes = std::env::var("ONLY").is_ok_and(|only| !only.starts_with("landscape"));
    for query in landscapes.iter().filter(|_| !skip_landscapes) {
        let request = LandscapeRequest {
            query: (*query).to_owned(),
            as_of: GENERATOR_TODAY,
            top: 20,
        };
        let mut times = Vec::new();
        let mut total = 0;
        let cpu = thread_cpu();
        for _ in 0..5 {
            let start = Instant::now();
            total = index.landscape(&request)?.total;
            times.push(start.elapsed());
        }
        report(
            &format!("landscape {query}"),
            &mut times,
            &[total],
            thread_cpu() - cpu,
        );
    }
    println!("rss after queries {}", rss());
    Ok(())
}
