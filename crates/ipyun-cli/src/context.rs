//! What every command needs: logging, the clock, the database and the application.

use anyhow::Context;
use chrono::{DateTime, Utc};
use ipyun_app::App;
use ipyun_app::auth::AuthSettings;
use ipyun_db::Db;
use ipyun_domain::clock::Clock;
use std::path::Path;
use std::sync::Arc;

/// The wall clock: the one place that reads the system time.
#[derive(Debug)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one reading of the wall clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Logs to stderr; `IPYUN_LOG=debug` for more, `IPYUN_LOG_FORMAT=json` for structured lines.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("IPYUN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let json = std::env::var("IPYUN_LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = if json {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
    if let Err(error) = result {
        eprintln!("logging is not available: {error}");
    }
}

pub async fn open_db(data_dir: &Path) -> anyhow::Result<Db> {
    let database_url = std::env::var("DATABASE_URL").ok();
    Db::open(database_url.as_deref(), data_dir)
        .await
        .with_context(|| match &database_url {
            Some(_) => "cannot open the PostgreSQL database named by DATABASE_URL".to_string(),
            None => format!("cannot open the SQLite database in {}", data_dir.display()),
        })
}

/// The search index's directory inside the data directory.
pub fn search_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("search-index")
}

/// The application on the database, with the patent search index of the data directory (left
/// out, with a warning, when it cannot be opened: everything else still works).
pub async fn open_app(data_dir: &Path) -> anyhow::Result<App> {
    let db = open_db(data_dir).await?;
    let app = App::new(db, Arc::new(SystemClock), AuthSettings::production());
    let index_dir = search_dir(data_dir);
    match app.clone().with_search_dir(&index_dir) {
        Ok(with_search) => Ok(with_search),
        Err(error) => {
            tracing::warn!(dir = %index_dir.display(), %error, "patent search is unavailable");
            Ok(app)
        }
    }
}

pub async fn load_demo(app: &App) -> anyhow::Result<()> {
    match app
        .load_demo_if_empty()
        .await
        .map_err(crate::admin::describe)?
    {
        ipyun_app::DemoOutcome::Loaded {
            parties,
            rights,
            users,
        } => {
            eprintln!(
                "demo data loaded: {parties} parties, {rights} rights, {users} users (user admin, password {})",
                ipyun_app::DEMO_PASSWORD
            );
            let patents = load_demo_patents(app).await?;
            eprintln!("demo patents imported and indexed for search: {patents}");
        }
        ipyun_app::DemoOutcome::AlreadyPopulated => {
            eprintln!("the database already holds data: demo data not loaded")
        }
    }
    Ok(())
}

/// Synthetic patents a fresh demo searches and analyses (`ipyun demo patents` adds more).
const DEMO_PATENTS: usize = 2_000;

async fn load_demo_patents(app: &App) -> anyhow::Result<u64> {
    let report = crate::patents::import_generated(app, DEMO_PATENTS, 1, &|_| {}).await?;
    Ok(report.inserted)
}
