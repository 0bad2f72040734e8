//! `ipyun serve --addr 127.0.0.1:8080 --data ./ipyun-data [--demo]`

use crate::context;
use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Fill an empty database with the demo dataset first.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (when served behind HTTPS).
    #[arg(long)]
    secure_cookies: bool,
    /// Requests per second each client may make to the public patent search (0: no limit).
    #[arg(long, default_value_t = ipyun_web::ratelimit::RateLimit::PUBLIC_DEFAULT.per_second)]
    search_rate_limit: u32,
    /// Answers of costly patent searches (5 ms or more) kept until the index changes (0: none).
    #[arg(long, default_value_t = ipyun_search::DEFAULT_CACHED_RESULTS)]
    search_cache: usize,
}

/// How often a server looks for patent records changed by anyone (another process's import).
const SEARCH_SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Keeps the search index current: a catch-up at start, then one whenever the database holds
/// newer patent changes; topics are checked after each catch-up that indexed something.
fn keep_index_current(app: ipyun_app::App) {
    if app.indexed_patents().is_none() {
        return;
    }
    tokio::spawn(async move {
        loop {
            match app.sync_search_index(&|_| {}).await {
                Ok(report) if report.indexed > 0 => {
                    tracing::info!(
                        indexed = report.indexed,
                        docs = report.docs,
                        "search index caught up"
                    );
                    if let Err(error) = app.check_topics().await {
                        tracing::warn!(%error, "topics not checked");
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "search index not caught up"),
            }
            tokio::time::sleep(SEARCH_SYNC_EVERY).await;
        }
    });
}

/// How often the webhook worker looks for due deliveries.
const WEBHOOKS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Sends lenders' webhook deliveries as they fall due (issue 6, F5); each delivery is claimed
/// first, so several processes on one database never send the same attempt.
fn deliver_webhooks(app: ipyun_app::App) {
    tokio::spawn(async move {
        loop {
            let mut busy = false;
            match app.deliver_due(app.clock().now()).await {
                Ok(run) if run.claimed > 0 => {
                    busy = run.claimed >= ipyun_app::webhooks::DELIVERY_BATCH;
                    tracing::info!(
                        claimed = run.claimed,
                        delivered = run.delivered,
                        retrying = run.retrying,
                        failed = run.failed,
                        "webhook deliveries sent"
                    );
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "webhook deliveries not sent"),
            }
            // A full batch may leave more due: look again at once.
            if !busy {
                tokio::time::sleep(WEBHOOKS_EVERY).await;
            }
        }
    });
}

pub async fn run(data_dir: &Path, args: ServeArgs) -> anyhow::Result<()> {
    let app = context::open_app(data_dir).await?;
    app.set_search_cache(args.search_cache);
    if args.demo {
        context::load_demo(&app).await?;
    }
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|error| tracing::warn!(%error, "metrics are disabled"))
        .ok();
    keep_index_current(app.clone());
    deliver_webhooks(app.clone());
    let mut state = ipyun_web::AppState::new(app, metrics);
    state.secure_cookies = args.secure_cookies;
    state.search_limiter = std::sync::Arc::new(ipyun_web::ratelimit::RateLimiter::new(
        (args.search_rate_limit > 0).then_some(ipyun_web::ratelimit::RateLimit {
            per_second: args.search_rate_limit,
            burst: args.search_rate_limit.saturating_mul(3),
        }),
    ));
    let router = ipyun_web::router(state);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    // The bound address: with port 0 the system chose one, which scripts and tests read here.
    let addr = listener.local_addr().unwrap_or(args.addr);
    tracing::info!(%addr, "ipyun is serving; open http://{addr}/");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
