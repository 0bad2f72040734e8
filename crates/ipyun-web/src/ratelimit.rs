//! Per-client rate limiting for the public endpoints (patent search and landscapes): a token
//! bucket per client address, refilled continuously. A client over its rate gets 429 with
//! `Retry-After`; the others are not slowed. Buckets of clients that went quiet are dropped.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests per second and burst per client; `None` turns limiting off (benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

impl RateLimit {
    /// What a person at a browser or a script that behaves never reaches.
    pub const PUBLIC_DEFAULT: RateLimit = RateLimit {
        per_second: 20,
        burst: 60,
    };
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets kept before the idle ones are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug)]
pub struct RateLimiter {
    limit: Option<RateLimit>,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: Option<RateLimit>) -> Self {
        Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client` at `now`, or says how long until one is available.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let rate = f64::from(limit.per_second.max(1));
        let burst = f64::from(limit.burst.max(1));
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, bucket| {
                now.saturating_duration_since(bucket.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

/// The client's address: the connection's peer (served with connect info), else one shared key.
fn client_of(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Middleware: 429 with `Retry-After` (whole seconds, at least 1) when the client is over its rate.
pub async fn limit_public(
    State(state): State<crate::AppState>,
    request: Request,
    next: Next,
) -> Response {
    match state
        .search_limiter
        .check(client_of(&request), Instant::now())
    {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let seconds = wait.as_secs().max(1);
            let mut response = crate::error::ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests from this client; retry in {seconds} s"),
            )
            .into_response();
            if let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    #[test]
    fn a_client_gets_its_burst_then_its_rate_and_others_are_untouched() {
        let limiter = RateLimiter::new(Some(RateLimit {
            per_second: 10,
            burst: 3,
        }));
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(ip(1), start), Ok(()));
        }
        let wait = limiter.check(ip(1), start).err();
        assert!(
            wait.is_some_and(
                |wait| wait > Duration::from_millis(90) && wait <= Duration::from_millis(100)
            ),
            "{wait:?}"
        );
        assert_eq!(limiter.check(ip(2), start), Ok(()), "another client");
        // A tenth of a second later one token is back, and only one.
        let later = start + Duration::from_millis(100);
        assert_eq!(limiter.check(ip(1), later), Ok(()));
        assert!(limiter.check(ip(1), later).is_err());
        // Long idle refills to the burst, not beyond.
        let much_later = start + Duration::from_secs(60);
        for _ in 0..3 {
            assert_eq!(limiter.check(ip(1), much_later), Ok(()));
        }
        assert!(limiter.check(ip(1), much_later).is_err());
    }

    #[test]
    fn no_limit_lets_everything_through() {
        let limiter = RateLimiter::new(None);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.check(ip(1), now).is_ok()));
    }
}
