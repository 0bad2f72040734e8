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
}

pub async fn run(data_dir: &Path, args: ServeArgs) -> anyhow::Result<()> {
    let app = context::open_app(data_dir).await?;
    if args.demo {
        context::load_demo(&app).await?;
    }
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|error| tracing::warn!(%error, "metrics are disabled"))
        .ok();
    let mut state = ipyun_web::AppState::new(app, metrics);
    state.secure_cookies = args.secure_cookies;
    let router = ipyun_web::router(state);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    // The bound address: with port 0 the system chose one, which scripts and tests read here.
    let addr = listener.local_addr().unwrap_or(args.addr);
    tracing::info!(%addr, "ipyun is serving; open http://{addr}/");
    axum::serve(listener, router)
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
