//! The standard retry policy: a few attempts with exponential backoff and full jitter, for
//! throttling, server (5xx) and transient errors only, limited by a retry quota shared by all
//! calls of a client so that an outage does not multiply the load on the service.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::http::{ConnectorError, HttpResponse};

/// How many attempts a call makes and how long it waits between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    /// Three attempts, backoff up to 1 s × 2^(attempt − 1) (full jitter), at most 20 s.
    fn default() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
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

    /// The adaptive policy: the standard one plus client-side rate limiting (see
    /// [`RetryMode::Adaptive`]).
    pub fn adaptive() -> Self {
        Self::default().with_retry_mode(RetryMode::Adaptive)
    }

    /// Sets the retry mode.
    pub fn with_retry_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The retry mode.
    pub fn mode(&self) -> RetryMode {
        self.mode
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

/// How a client retries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryMode {
    /// Exponential backoff with jitter and a retry quota (the default).
    #[default]
    Standard,
    /// Standard, plus client-side rate limiting: once the service throttles, every attempt of
    /// the client waits for a token from a bucket whose fill rate drops on each throttling
    /// response and recovers along a CUBIC curve, as the AWS SDKs' retry guidance describes.
    Adaptive,
}

/// Rate limiter constants of the AWS SDKs' adaptive retry mode.
const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;
const SMOOTH: f64 = 0.8;
const BETA: f64 = 0.7;
const SCALE_CONSTANT: f64 = 0.4;
/// Width of the buckets the measured send rate is counted in, in seconds.
const RATE_BUCKET: f64 = 0.5;

/// The client-side rate limiter of [`RetryMode::Adaptive`]. Pure arithmetic on times given as
/// seconds since any fixed origin, so it can be driven by a fake clock; the client feeds it
/// `Instant`-based times.
#[derive(Clone, Debug)]
pub struct ClientRateLimiter {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_timestamp: Option<f64>,
    enabled: bool,
    measured_tx_rate: f64,
    last_tx_rate_bucket: f64,
    request_count: u64,
    last_max_rate: f64,
    last_throttle_time: f64,
    time_window: f64,
}

impl ClientRateLimiter {
    /// A limiter that lets everything through until the first throttling response; `now` is
    /// the current time in seconds.
    pub fn new(now: f64) -> Self {
        ClientRateLimiter {
            fill_rate: 0.0,
            max_capacity: f64::MAX,
            current_capacity: 0.0,
            last_timestamp: None,
            enabled: false,
            measured_tx_rate: 0.0,
            last_tx_rate_bucket: (now / RATE_BUCKET).floor() * RATE_BUCKET,
            request_count: 0,
            last_max_rate: 0.0,
            last_throttle_time: now,
            time_window: 0.0,
        }
    }

    /// Whether a throttling response has turned limiting on.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The bucket's fill rate, in tokens (attempts) per second.
    pub fn fill_rate(&self) -> f64 {
        self.fill_rate
    }

    /// The smoothed rate the client has been sending at, in attempts per second.
    pub fn measured_tx_rate(&self) -> f64 {
        self.measured_tx_rate
    }

    fn refill(&mut self, now: f64) {
        match self.last_timestamp {
            None => self.last_timestamp = Some(now),
            Some(last) => {
                let elapsed = (now - last).max(0.0);
                self.current_capacity =
                    (self.current_capacity + elapsed * self.fill_rate).min(self.max_capacity);
                self.last_timestamp = Some(now.max(last));
            }
        }
    }

    /// Takes a token for an attempt about to be sent at `now`; returns how long the attempt
    /// must wait first (zero while limiting is off or a token is there). The token is taken
    /// at once, so concurrent attempts queue behind each other.
    pub fn acquire(&mut self, now: f64) -> Duration {
        if !self.enabled {
            return Duration::ZERO;
        }
        self.refill(now);
        self.current_capacity -= 1.0;
        if self.current_capacity >= 0.0 {
            return Duration::ZERO;
        }
        let wait = -self.current_capacity / self.fill_rate.max(MIN_FILL_RATE);
        if wait.is_finite() {
            Duration::from_secs_f64(wait)
        } else {
            Duration::ZERO
        }
    }

    /// Records the response of an attempt received at `now`, `throttled` when the service
    /// asked the client to slow down.
    pub fn update(&mut self, throttled: bool, now: f64) {
        self.update_measured_rate(now);
        let calculated = if throttled {
            let rate_to_use = if self.enabled {
                self.measured_tx_rate.min(self.fill_rate)
            } else {
                self.measured_tx_rate
            };
            self.last_max_rate = rate_to_use;
            self.time_window = self.cubic_zero_point();
            self.last_throttle_time = now;
            self.enabled = true;
            rate_to_use * BETA
        } else {
            self.time_window = self.cubic_zero_point();
            self.cubic_success(now)
        };
        let new_rate = calculated.min(2.0 * self.measured_tx_rate);
        self.set_fill_rate(new_rate, now);
    }

    /// The time after a throttle at which the CUBIC curve is back at the last maximum rate.
    fn cubic_zero_point(&self) -> f64 {
        (self.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
    }

    /// The rate the CUBIC curve gives `now` after the last throttle.
    fn cubic_success(&self, now: f64) -> f64 {
        let dt = now - self.last_throttle_time - self.time_window;
        SCALE_CONSTANT * dt.powi(3) + self.last_max_rate
    }

    fn set_fill_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now / RATE_BUCKET).floor() * RATE_BUCKET;
        self.request_count += 1;
        if bucket > self.last_tx_rate_bucket {
            let current = self.request_count as f64 / (bucket - self.last_tx_rate_bucket);
            self.measured_tx_rate = current * SMOOTH + self.measured_tx_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.last_tx_rate_bucket = bucket;
        }
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

    #[test]
    fn rate_limiter_is_off_until_throttled() {
        let mut l = ClientRateLimiter::new(0.0);
        for i in 0..100 {
            let now = i as f64 * 0.01;
            assert_eq!(l.acquire(now), Duration::ZERO);
            l.update(false, now);
        }
        assert!(!l.is_enabled());
    }

    #[test]
    fn rate_limiter_cuts_the_rate_on_throttling_and_makes_calls_wait() {
        let mut l = ClientRateLimiter::new(0.0);
        // 10 attempts a second for 2 s, all succeeding.
        let mut now = 0.0;
        for _ in 0..20 {
            l.acquire(now);
            l.update(false, now);
            now += 0.1;
        }
        let measured = l.measured_tx_rate();
        assert!((8.0..=12.0).contains(&measured), "{measured}");
        l.update(true, now);
        assert!(l.is_enabled());
        // The fill rate is BETA times the measured rate.
        let rate = l.fill_rate();
        assert!((rate - l.measured_tx_rate() * BETA).abs() < 1e-9, "{rate}");
        // A burst at one instant: once the tokens saved up (at most `rate`) are spent, each
        // attempt waits 1/rate longer than the one before it.
        let waits: Vec<f64> = (0..30)
            .map(|_| l.acquire(now).as_secs_f64())
            .filter(|w| *w > 0.0)
            .collect();
        assert!(waits.len() >= 20, "{waits:?}");
        for w in waits.windows(2) {
            assert!(((w[1] - w[0]) - 1.0 / rate).abs() < 1e-6, "{waits:?}");
        }
        // A second throttle cuts it again.
        l.update(true, now + 0.01);
        assert!(l.fill_rate() < rate);
    }

    #[test]
    fn rate_limiter_recovers_along_the_cubic_curve() {
        let mut l = ClientRateLimiter::new(0.0);
        l.measured_tx_rate = 10.0;
        l.last_tx_rate_bucket = 0.0;
        l.update(true, 0.1);
        assert!((l.fill_rate() - 7.0).abs() < 1e-9);
        // K = cbrt(10 × 0.3 / 0.4): at t = K the curve is back at the last maximum (10/s),
        // capped by twice the measured rate.
        let k = (10.0f64 * 0.3 / 0.4).cbrt();
        l.measured_tx_rate = 100.0;
        l.update(false, 0.1 + k);
        // update() also folded in the bucket count; the cubic part alone gives 10.
        assert!((l.cubic_success(0.1 + k) - 10.0).abs() < 1e-9);
        assert!((l.fill_rate() - 10.0).abs() < 1e-6, "{}", l.fill_rate());
        // Before K it is below the maximum, after K above it.
        assert!(l.cubic_success(0.1 + k / 2.0) < 10.0);
        assert!(l.cubic_success(0.1 + 2.0 * k) > 10.0);
        // The fill rate never goes below the minimum.
        l.measured_tx_rate = 0.0;
        l.update(true, 5.0);
        assert_eq!(l.fill_rate(), MIN_FILL_RATE);
        let waits: Vec<Duration> = (0..30).map(|_| l.acquire(5.0)).collect();
        let last = waits[29].as_secs_f64() - waits[28].as_secs_f64();
        assert!((last - 1.0 / MIN_FILL_RATE).abs() < 1e-6, "{waits:?}");
    }

    #[test]
    fn adaptive_is_opt_in() {
        assert_eq!(RetryConfig::default().mode(), RetryMode::Standard);
        assert_eq!(RetryConfig::adaptive().mode(), RetryMode::Adaptive);
    }
}
