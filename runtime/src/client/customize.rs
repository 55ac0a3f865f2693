//! Per-call overrides: what a fluent builder's `customize` changes for one call only.
//!
//! In a generated crate:
//!
//! ```text
//! client
//!     .create_key_pair()
//!     .key_pair_name("k")
//!     .customize(|call| call.max_attempts(1).header("x-trace", "abc"))
//!     .send()
//!     .await?;
//! ```
//!
//! The closure gets and returns a [`CallOptions`]:
//!
//! ```
//! use std::time::Duration;
//! use smithgen_runtime::client::CallOptions;
//!
//! let call = CallOptions::new()
//!     .max_attempts(1)                            // no retries for this call
//!     .operation_timeout(Duration::from_secs(2))  // the whole call, retries included
//!     .header("x-trace", "abc")                   // signed with the rest
//!     .endpoint_url("http://localhost:4566");     // this call only
//! assert_eq!(call.headers().len(), 1);
//! ```

use std::fmt;
use std::time::Duration;

use super::config::{Config, TimeoutConfig};
use super::retry::RetryConfig;

/// Overrides of the client's configuration for one call, set through a fluent builder's
/// `customize` (see the [module docs](self)). Unset, every setting is the client's.
///
/// - [`retry_config`](Self::retry_config), [`max_attempts`](Self::max_attempts): the retry
///   policy of this call (the client's retry quota and adaptive rate limiter still apply);
/// - [`attempt_timeout`](Self::attempt_timeout), [`operation_timeout`](Self::operation_timeout):
///   its time limits (`None` removes the client's). The connect, response-header and
///   stalled-stream limits belong to the client's HTTP client and stay as configured;
/// - [`header`](Self::header): extra request headers, added to every attempt before signing
///   (so they are signed) and before the client's interceptors run;
/// - [`endpoint_url`](Self::endpoint_url): the endpoint of this call (it feeds the rule set's
///   `SDK::Endpoint` as the client's `endpoint_url` does; the endpoint is resolved for the
///   call).
///
/// `Debug` shows the names of the extra headers, never their values.
#[derive(Clone, Default)]
pub struct CallOptions {
    retry: Option<RetryConfig>,
    max_attempts: Option<u32>,
    attempt_timeout: Option<Option<Duration>>,
    operation_timeout: Option<Option<Duration>>,
    headers: Vec<(String, String)>,
    endpoint_url: Option<String>,
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("CallOptions")
            .field("retry", &self.retry)
            .field("max_attempts", &self.max_attempts)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("headers", &names)
            .field("endpoint_url", &self.endpoint_url)
            .finish()
    }
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Uses this retry policy for the call.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Makes at most `attempts` attempts (1: no retries), with the call's retry policy
    /// otherwise unchanged.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Limits each attempt of the call (`None`: no limit, whatever the client says).
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt_timeout = Some(timeout.into());
        self
    }

    /// Limits the whole call, retries included (`None`: no limit, whatever the client says).
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation_timeout = Some(timeout.into());
        self
    }

    /// Adds a request header to every attempt of the call. A name or value that is not a
    /// valid header (empty name, control characters), or a header the client sets itself
    /// (`Host`, `Authorization`, `X-Amz-Date`, `X-Amz-Security-Token`, `Content-Length`, …),
    /// fails the call with `SdkError::Construction` before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the call to this endpoint URL.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The extra headers, in the order added.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The endpoint URL of the call, if overridden.
    pub fn endpoint_url_override(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        self.retry.is_none()
            && self.max_attempts.is_none()
            && self.attempt_timeout.is_none()
            && self.operation_timeout.is_none()
            && self.headers.is_empty()
            && self.endpoint_url.is_none()
    }

    /// The retry policy of a call of a client configured with `config`.
    pub fn effective_retry(&self, config: &Config) -> RetryConfig {
        let retry = self.retry.clone().unwrap_or_else(|| config.retry().clone());
        match self.max_attempts {
            Some(n) => retry.with_max_attempts(n),
            None => retry,
        }
    }

    /// The time limits of a call of a client configured with `config`.
    pub fn effective_timeouts(&self, config: &Config) -> TimeoutConfig {
        let mut timeouts = config.timeouts().clone();
        if let Some(t) = self.attempt_timeout {
            timeouts = timeouts.with_attempt(t);
        }
        if let Some(t) = self.operation_timeout {
            timeouts = timeouts.with_operation(t);
        }
        timeouts
    }

    /// Checks the extra headers: names are tokens (RFC 9110), values have no control
    /// characters but tab. The error names the header, never its value.
    pub(crate) fn check_headers(&self) -> Result<(), String> {
        for (name, value) in &self.headers {
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if name.is_empty() || !name.chars().all(token) {
                return Err(format!(
                    "`{}` is not a valid header name",
                    name.escape_debug()
                ));
            }
            if RESERVED_HEADERS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(format!(
                    "header `{name}` is set by the client (signing, framing, attempts) and \
                     cannot be added"
                ));
            }
            if value.chars().any(|c| c.is_control() && c != '\t') {
                return Err(format!(
                    "the value of header `{name}` contains control characters"
                ));
            }
        }
        Ok(())
    }
}

/// Headers the client sets itself on every attempt.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "content-length",
    "transfer-encoding",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_apply_over_the_config_and_unset_ones_keep_it() {
        let config = Config::builder()
            .max_attempts(5)
            .attempt_timeout(Duration::from_secs(9))
            .build();
        let none = CallOptions::new();
        assert!(none.is_empty());
        assert_eq!(none.effective_retry(&config).max_attempts(), 5);
        assert_eq!(
            none.effective_timeouts(&config).attempt(),
            Some(Duration::from_secs(9))
        );
        let some = CallOptions::new()
            .max_attempts(1)
            .attempt_timeout(None)
            .operation_timeout(Duration::from_millis(300));
        assert!(!some.is_empty());
        assert_eq!(some.effective_retry(&config).max_attempts(), 1);
        let t = some.effective_timeouts(&config);
        assert_eq!(t.attempt(), None);
        assert_eq!(t.operation(), Some(Duration::from_millis(300)));
        assert_eq!(t.connect(), config.timeouts().connect());
        // A whole retry policy, then max_attempts over it.
        let retry = CallOptions::new()
            .retry_config(RetryConfig::adaptive())
            .max_attempts(2)
            .effective_retry(&config);
        assert_eq!(retry.max_attempts(), 2);
        assert_eq!(retry.mode(), super::super::RetryMode::Adaptive);
    }

    #[test]
    fn bad_headers_are_named_and_values_stay_out_of_debug() {
        let ok = CallOptions::new().header("x-a", "b\tc");
        assert!(ok.check_headers().is_ok());
        let secret = CallOptions::new().header("x-token", "very-secret-value");
        assert!(!format!("{secret:?}").contains("very-secret-value"));
        assert!(format!("{secret:?}").contains("x-token"));
        let err = CallOptions::new()
            .header("x-a", "b\r\nx-injected: 1")
            .check_headers()
            .unwrap_err();
        assert!(err.contains("`x-a`") && !err.contains("injected"), "{err}");
        let err = CallOptions::new()
            .header("Authorization", "AWS4-HMAC-SHA256 forged")
            .check_headers()
            .unwrap_err();
        assert!(
            err.contains("set by the client") && !err.contains("forged"),
            "{err}"
        );
        for name in ["", "a b", "a:b", "é", "Host", "content-length"] {
            assert!(
                CallOptions::new()
                    .header(name, "v")
                    .check_headers()
                    .is_err(),
                "{name:?}"
            );
        }
    }
}
