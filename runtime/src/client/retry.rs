//! The standard retry policy: a few attempts with exponential backoff and full jitter, for
//! throttling, server (5xx) and transient errors only, limited by a retry quota shared by all
//! calls of a client so that an outage does not multiply the load on the service.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::http::{ConnectorError, HttpResponse};

/// How many attempts a call makes and how long it waits between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Three attempts, backoff up to 1 s × 2^(attempt − 1) (full jitter), at most 20 s.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The standard policy (three attempts).
    pub fn standard() -> Self {
        Self::default()
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff (the most the first retry waits).
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The number of attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base of the backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// How long to wait before attempt `attempt + 1`, given a random `jitter` in [0, 1):
    /// `jitter × min(initial × 2^(attempt − 1), max)`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = 2f64.powi(attempt.saturating_sub(1).min(62) as i32);
        let ceiling =
            (self.initial_backoff.as_secs_f64() * exp).min(self.max_backoff.as_secs_f64());
        Duration::from_secs_f64((ceiling * jitter.clamp(0.0, 1.0)).max(0.0))
    }
}

/// Why an attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked the caller to slow down.
    Throttling,
    /// A 5xx response or a transient error code.
    Server,
    /// The request never got a response (connection refused, reset, timed out).
    Transient,
}

/// Error codes that mean "slow down" on AWS services.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures, whatever their status.
const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException", "InternalError"];

/// Classifies a response: `None` means final (success or a client error).
pub fn classify_response(response: &HttpResponse, code: &str) -> Option<RetryKind> {
    if (200..300).contains(&response.status) {
        return None;
    }
    if THROTTLING_CODES.contains(&code) || response.status == 429 {
        return Some(RetryKind::Throttling);
    }
    if TRANSIENT_CODES.contains(&code) || matches!(response.status, 500 | 502 | 503 | 504) {
        return Some(RetryKind::Server);
    }
    None
}

/// Classifies a request that got no response.
pub fn classify_connector_error(error: &ConnectorError) -> Option<RetryKind> {
    error.is_retryable().then_some(RetryKind::Transient)
}

/// The retry quota of one client: retries spend tokens, successes return them, and when the
/// bucket is empty calls stop retrying until the service recovers.
#[derive(Debug)]
pub struct RetryQuota {
    tokens: AtomicU32,
}

/// The tokens a retry costs.
const RETRY_COST: u32 = 5;
/// The tokens a retry after a timeout or broken connection costs.
const RETRY_TIMEOUT_COST: u32 = 10;
/// The bucket's size.
const QUOTA: u32 = 500;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            tokens: AtomicU32::new(QUOTA),
        }
    }
}

impl RetryQuota {
    /// Takes the tokens a retry of `kind` costs; `None` when the quota is exhausted.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = if kind == RetryKind::Transient {
            RETRY_TIMEOUT_COST
        } else {
            RETRY_COST
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// Returns tokens after a call succeeded (`spent` by its retries, or 1 when it had none).
    pub fn release(&self, spent: u32) {
        let back = spent.max(1);
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some((t + back).min(QUOTA))
            });
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

/// A random number in [0, 1) for jitter: std's randomly keyed hasher, fed a counter.
pub fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16) -> HttpResponse {
        HttpResponse {
            status,
            ..Default::default()
        }
    }

    #[test]
    fn classification() {
        assert_eq!(classify_response(&response(200), ""), None);
        assert_eq!(
            classify_response(&response(400), "ValidationException"),
            None
        );
        assert_eq!(classify_response(&response(404), ""), None);
        assert_eq!(
            classify_response(&response(400), "ThrottlingException"),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&response(429), ""),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(&response(500), ""),
            Some(RetryKind::Server)
        );
        assert_eq!(
            classify_response(&response(503), "x"),
            Some(RetryKind::Server)
        );
        assert_eq!(classify_response(&response(501), ""), None);
    }

    #[test]
    fn backoff_grows_exponentially_and_is_capped() {
        let c = RetryConfig::default();
        assert_eq!(c.backoff(1, 0.999_999), Duration::from_secs_f64(0.999_999));
        assert_eq!(c.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(c.backoff(40, 0.5), Duration::from_secs(10));
        assert_eq!(c.backoff(2, 0.0), Duration::ZERO);
    }

    #[test]
    fn jitter_is_in_range_and_varies() {
        let values: Vec<f64> = (0..100).map(|_| jitter()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        assert!(values.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let q = RetryQuota::default();
        let mut n = 0;
        while q.acquire(RetryKind::Server).is_some() {
            n += 1;
        }
        assert_eq!(n, 100);
        q.release(5);
        assert!(q.acquire(RetryKind::Server).is_some());
        assert!(q.acquire(RetryKind::Server).is_none());
    }
}
