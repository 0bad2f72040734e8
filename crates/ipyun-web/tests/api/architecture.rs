//! The architecture invariants of ARCHITECTURE.md, checked over the sources and manifests.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn manifest_dependencies(krate: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml")).unwrap();
    let mut in_dependencies = false;
    let mut names = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if in_dependencies && let Some((name, _)) = line.split_once(['=', '.']) {
            names.push(name.trim().to_string());
        }
    }
    names
}

fn rust_sources(krate: &str) -> Vec<(PathBuf, String)> {
    fn walk(directory: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|extension| extension == "rs")
                && !path.ends_with("tests.rs")
            {
                found.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &workspace().join("crates").join(krate).join("src"),
        &mut found,
    );
    found
}

#[test]
fn dependencies_point_one_way() {
    let forbidden: &[(&str, &[&str])] = &[
        (
            "ipyun-domain",
            &[
                "tokio",
                "sqlx",
                "axum",
                "tantivy",
                "ipyun-db",
                "ipyun-app",
                "ipyun-web",
                "reqwest",
            ],
        ),
        ("ipyun-db", &["axum", "tantivy", "ipyun-app", "ipyun-web"]),
        (
            "ipyun-search",
            &[
                "tokio",
                "sqlx",
                "axum",
                "ipyun-db",
                "ipyun-app",
                "ipyun-web",
            ],
        ),
        ("ipyun-app", &["axum", "tantivy", "ipyun-web", "minijinja"]),
        ("ipyun-web", &["sqlx", "ipyun-db", "ipyun-cli"]),
        (
            "ipyun-notice",
            &[
                "tokio",
                "sqlx",
                "axum",
                "ipyun-domain",
                "ipyun-db",
                "ipyun-app",
                "ipyun-web",
            ],
        ),
    ];
    for (krate, banned) in forbidden {
        let dependencies = manifest_dependencies(krate);
        for name in *banned {
            assert!(
                !dependencies.iter().any(|dependency| dependency == name),
                "{krate} must not depend on {name}"
            );
        }
    }
}

#[test]
fn only_ipyun_db_holds_sql() {
    for krate in ["ipyun-domain", "ipyun-app", "ipyun-web", "ipyun-cli"] {
        for (path, text) in rust_sources(krate) {
            // The benchmarks' baselines speak SQL of their own (the sqlite3 shell's import, SQLite
            // FTS5 beside the search index, DuckDB beside the landscape); it is not ipyun's SQL.
            if [
                "bench_import.rs",
                "bench_search/fts.rs",
                "bench_search/landscape.rs",
            ]
            .iter()
            .any(|baseline| path.ends_with(baseline))
            {
                continue;
            }
            for keyword in ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "sqlx::"] {
                let code_lines = text
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"));
                for line in code_lines {
                    assert!(
                        !line.contains(keyword),
                        "{} holds SQL ({keyword}): {line}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn only_the_cli_reads_the_wall_clock() {
    for krate in ["ipyun-domain", "ipyun-db", "ipyun-app", "ipyun-web"] {
        for (path, text) in rust_sources(krate) {
            assert!(
                !text.contains("Utc::now()"),
                "{} reads the wall clock; take a Clock",
                path.display()
            );
            assert!(
                !text.contains("Local::now()"),
                "{} reads the wall clock; take a Clock",
                path.display()
            );
        }
    }
}

#[test]
fn status_codes_live_only_in_ipyun_web() {
    for krate in ["ipyun-domain", "ipyun-db", "ipyun-app"] {
        for (path, text) in rust_sources(krate) {
            assert!(
                !text.contains("StatusCode"),
                "{} knows HTTP status codes",
                path.display()
            );
        }
    }
}
