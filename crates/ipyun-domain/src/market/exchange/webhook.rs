//! Webhooks to lenders' systems: the endpoint's terms, the signature over each delivery and the
//! retry schedule.

use crate::field::{FieldError, FieldErrors};
use crate::party::string_enum;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};

/// The event a lender's endpoint receives when a new demand matches one of its products.
pub const EVENT_DEMAND_MATCH: &str = "demand.new_match";
/// The waits after each failed attempt, in seconds: 30 s, 2 min, 10 min, 1 h, 6 h; a delivery
/// whose sixth attempt fails is given up.
pub const RETRY_DELAYS_SECS: [i64; 5] = [30, 120, 600, 3_600, 21_600];
/// The longest endpoint URL, in characters.
pub const MAX_URL_CHARS: usize = 2_000;
/// A supplied secret's length bounds, in characters.
pub const SECRET_CHARS: (usize, usize) = (16, 128);

/// The wait before the next attempt after `attempts` failed ones (1: the first failed), or
/// `None` when the delivery is given up.
pub fn retry_delay(attempts: u32) -> Option<chrono::Duration> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    RETRY_DELAYS_SECS
        .get(index)
        .map(|secs| chrono::Duration::seconds(*secs))
}

string_enum!(
    /// Whether a lender's endpoint receives deliveries.
    WebhookStatus, "webhook status" {
    Active => "active",
    Disabled => "disabled",
});

string_enum!(
    /// Where a delivery stands.
    DeliveryStatus, "delivery status" {
    Pending => "pending",
    Delivered => "delivered",
    Failed => "failed",
    Cancelled => "cancelled",
});

/// An endpoint as registered by a lender's user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookDraft {
    /// `http://` URL the deliveries are POSTed to (`https://` is refused: no TLS in this build).
    pub url: Option<String>,
    /// The signing secret (16–128 printable ASCII characters); omitted: one is generated.
    pub secret: Option<String>,
    pub description: Option<String>,
}

/// A checked endpoint (`secret` absent: to be generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTerms {
    pub url: String,
    pub secret: Option<String>,
    pub description: String,
}

impl WebhookDraft {
    pub fn validate(&self) -> Result<WebhookTerms, FieldErrors> {
        let mut errors = FieldErrors::default();
        let url = self.url.as_deref().map(str::trim).unwrap_or_default();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        let host = rest
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default())
            .unwrap_or_default();
        if url.is_empty() {
            errors.push(FieldError::required("url"));
        } else if url.chars().count() > MAX_URL_CHARS {
            errors.push(FieldError::new(
                "url",
                "too_long",
                format!("at most {MAX_URL_CHARS} characters"),
            ));
        } else if rest.is_none() || host.is_empty() || host.starts_with(':') {
            errors.push(FieldError::new(
                "url",
                "not_http",
                "an endpoint is an http:// or https:// URL with a host",
            ));
        } else if url.starts_with("https://") {
            // This build's HTTP client carries no TLS stack (it would need a C toolchain and
            // cmake to build): refuse now rather than fail every delivery later.
            errors.push(FieldError::new(
                "url",
                "https_unsupported",
                "this server sends webhooks over http:// only (intranet; the HMAC signature \
                 authenticates each delivery): give an http:// endpoint or a TLS-terminating proxy",
            ));
        } else if host.contains('@') {
            errors.push(FieldError::new(
                "url",
                "credentials",
                "an endpoint URL carries no user or password: the signature authenticates",
            ));
        } else if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            errors.push(FieldError::new(
                "url",
                "invalid",
                "an endpoint URL has no spaces",
            ));
        }
        let secret = self.secret.as_deref().map(str::trim);
        if let Some(secret) = secret {
            let (min, max) = SECRET_CHARS;
            if secret.len() < min
                || secret.len() > max
                || !secret.chars().all(|c| c.is_ascii_graphic())
            {
                errors.push(FieldError::new(
                    "secret",
                    "invalid",
                    format!("a secret is {min} to {max} printable ASCII characters"),
                ));
            }
        }
        let description = self
            .description
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if description.chars().count() > 200 {
            errors.push(FieldError::new(
                "description",
                "too_long",
                "at most 200 characters",
            ));
        }
        errors.into_result()?;
        Ok(WebhookTerms {
            url: url.to_string(),
            secret: secret.map(str::to_string),
            description: description.to_string(),
        })
    }
}

type HmacSha256 = hmac::Hmac<sha2_v011::Sha256>;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The `X-Ipyun-Signature` value: `sha256=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"`
/// keyed with the endpoint's secret.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body)
        .map(|mac| mac.finalize().into_bytes().to_vec())
        .unwrap_or_default();
    let mut text = String::with_capacity(7 + digest.len() * 2);
    text.push_str("sha256=");
    for byte in digest {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// Whether `header` is the signature of `body` sent at `timestamp` (compared in constant time).
pub fn verify_signature(secret: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    if hex.len() != 64 || !hex.is_ascii() {
        return false;
    }
    let mut bytes = Vec::with_capacity(32);
    for pair in hex.as_bytes().chunks(2) {
        let Some(byte) = std::str::from_utf8(pair)
            .ok()
            .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        else {
            return false;
        };
        bytes.push(byte);
    }
    mac(secret, timestamp, body).is_some_and(|mac| mac.verify_slice(&bytes).is_ok())
}
