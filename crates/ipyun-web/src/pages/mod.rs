//! HTML pages, rendered on the server with minijinja; Chinese first, English by choice.

use crate::state::AppState;
use axum::Router;

/// The page templates, embedded in the binary.
pub struct Templates {
    pub environment: minijinja::Environment<'static>,
}

impl Templates {
    pub fn load() -> Self {
        Self {
            environment: minijinja::Environment::new(),
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
}
