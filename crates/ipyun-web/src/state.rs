use crate::i18n::I18n;
use crate::pages::Templates;
use ipyun_app::App;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub i18n: Arc<I18n>,
    pub templates: Arc<Templates>,
    pub metrics: Option<PrometheusHandle>,
    /// Marks cookies `Secure` when the site is served over HTTPS.
    pub secure_cookies: bool,
    /// The per-client limit on the public search endpoints.
    pub search_limiter: Arc<crate::ratelimit::RateLimiter>,
}

impl AppState {
    pub fn new(app: App, metrics: Option<PrometheusHandle>) -> Self {
        Self {
            app,
            i18n: Arc::new(I18n::load()),
            templates: Arc::new(Templates::load()),
            metrics,
            secure_cookies: false,
            search_limiter: Arc::new(crate::ratelimit::RateLimiter::new(Some(
                crate::ratelimit::RateLimit::PUBLIC_DEFAULT,
            ))),
        }
    }
}
