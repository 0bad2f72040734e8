//! ipyun's use cases. Every public operation takes the acting [`Principal`] and checks what it may
//! see and do before touching data; errors carry an [`ErrorKind`] and a stable code.

pub mod appraisers;
pub mod auth;
pub mod avm;
pub mod calendar;
pub mod demands;
pub mod demo;
mod demo_load;
pub use demo_load::{DEMO_PASSWORD, DemoOutcome};
mod error;
pub mod exchange;
mod import_runs;
pub use import_runs::ImportRecord;
pub mod loans;
pub mod match_events;
pub mod matching;
pub mod parties;
pub mod patents;
pub mod pledge;
pub mod portfolio;
pub mod products;
pub mod rights;
pub mod royalty;
pub mod screening_credit;
pub mod screening_export;
pub mod screenings;
pub mod transfer;
pub mod valuations;
pub mod webhooks;

pub use error::{AppError, ErrorKind};
pub use ipyun_domain::account::Principal;

use ipyun_db::Db;
use ipyun_domain::clock::Clock;
use std::sync::Arc;

/// The application: storage, clock and settings, shared by every request.
#[derive(Debug, Clone)]
pub struct App {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) auth: Arc<auth::AuthSettings>,
    pub(crate) calendar_cache: Arc<calendar::CalendarCache>,
    pub(crate) avm_cache: Arc<avm::ModelCache>,
    /// The patent search index, when this process has one.
    pub(crate) search: Option<Arc<patents::SearchService>>,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn Clock>, auth_settings: auth::AuthSettings) -> Self {
        Self {
            db,
            clock,
            auth: Arc::new(auth_settings),
            calendar_cache: Arc::default(),
            avm_cache: Arc::default(),
            search: None,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Whether the database answers: for readiness checks.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.db.ping().await.map_err(AppError::from)
    }
}
