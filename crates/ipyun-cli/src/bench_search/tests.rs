use super::*;

/// The whole bench at a small scale, the router served in this process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_run_measures_every_figure() -> anyhow::Result<()> {
    let report = measure(&Options {
        count: 1_000,
        seed: 3,
        clients: 2,
        requests: 40,
        keep: None,
        in_process: true,
        reuse: false,
    })
    .await?;
    report.print();
    report.failures()?;
    let figures = report.figures();
    for name in [
        "import + index",
        "search index size",
        "first answer after start",
        "resident memory after queries",
        "two words p99",
        "quoted p99",
        "quoted strings found",
        "two words p50, result cache off",
        "quoted p99, result cache off",
    ] {
        assert!(
            figures
                .iter()
                .any(|(figure, measured)| figure == name && !measured.is_empty()),
            "{name} missing from {figures:?}"
        );
    }
    assert!(
        figures
            .iter()
            .any(|(figure, _)| figure.starts_with("landscape "))
    );
    Ok(())
}
