//! Presigned requests: a call signed in its URL's query string, that anyone holding the URL can
//! send (within its expiry) without credentials of their own. A fluent builder's `presigned`
//! method makes one for its operation; S3's `GetObject` and `PutObject` are the usual ones.
//!
//! The URL carries the signature, the access key id and (for temporary credentials) the
//! session token: it is a bearer credential. `Debug` prints it with the signature and the
//! token redacted.

use std::fmt;
use std::time::{Duration, SystemTime};

use super::{
    target, CallOptions, ClientHandle, ConstructionError, DispatchFailure, SdkError, Target,
};
use crate::auth::sigv4;
use crate::endpoint::Params;
use crate::protocol::WireOperation;
use crate::BuildError;

/// How long a presigned request is valid, and from when.
///
/// ```
/// use std::time::Duration;
/// use smithgen_runtime::client::PresigningConfig;
///
/// let config = PresigningConfig::expires_in(Duration::from_secs(900)).unwrap();
/// assert_eq!(config.expires(), Duration::from_secs(900));
/// assert!(PresigningConfig::expires_in(Duration::from_secs(8 * 24 * 3600)).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresigningConfig {
    expires_in: Duration,
    start_time: Option<SystemTime>,
}

impl PresigningConfig {
    /// Valid for `expires_in` from the signing time: at least one second, at most seven days
    /// (what SigV4 allows); fractions of a second are dropped.
    pub fn expires_in(expires_in: Duration) -> Result<PresigningConfig, PresigningConfigError> {
        let seconds = expires_in.as_secs();
        if seconds == 0 || Duration::from_secs(seconds) > sigv4::MAX_PRESIGN_EXPIRY {
            return Err(PresigningConfigError { expires_in });
        }
        Ok(PresigningConfig {
            expires_in: Duration::from_secs(seconds),
            start_time: None,
        })
    }

    /// Signs as of `time` instead of now (the URL is valid from then on).
    pub fn start_time(mut self, time: SystemTime) -> PresigningConfig {
        self.start_time = Some(time);
        self
    }

    /// How long the request is valid.
    pub fn expires(&self) -> Duration {
        self.expires_in
    }
}

/// An expiry SigV4 cannot sign: under a second or over seven days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresigningConfigError {
    expires_in: Duration,
}

impl fmt::Display for PresigningConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a presigned request must be valid for 1 second to 7 days, not {:?}",
            self.expires_in
        )
    }
}

impl std::error::Error for PresigningConfigError {}

/// A request signed in its URL: send `method` to `url` with `headers` (and, for an upload,
/// the body) from any HTTP client.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl PresignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The URL, signature included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers that were signed and must be sent as they are (`Host` first; an HTTP
    /// client sets `Host` from the URL itself).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The body the call serializes (empty for most S3 calls; a `@streaming` body not in
    /// memory is not in it). Services other than S3 sign the body's hash: send it as it is.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The signature and the session token are secrets: whoever has them can make the call.
        let url = match self.url.split_once('?') {
            None => self.url.clone(),
            Some((path, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((k @ ("X-Amz-Signature" | "X-Amz-Security-Token"), _)) => {
                            format!("{k}={}", crate::redact::REDACTED)
                        }
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{path}?{}", pairs.join("&"))
            }
        };
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &self.headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

impl ClientHandle {
    /// Presigns one call of operation `O`: serializes `input`, resolves its endpoint and signs
    /// the request in its query string with the client's credentials, for `presigning`'s
    /// expiry. Nothing is sent. The body is not part of the result: an upload sends it with
    /// the URL (S3 signs `UNSIGNED-PAYLOAD`, so any body goes).
    pub async fn presign<O>(
        &self,
        input: Result<O::Input, BuildError>,
        presigning: &PresigningConfig,
        options: CallOptions,
    ) -> Result<PresignedRequest, SdkError<O::Error>>
    where
        O: WireOperation,
    {
        let construction =
            |message: String| SdkError::Construction(ConstructionError::new(message, None));
        let input = input.map_err(|e| {
            SdkError::Construction(ConstructionError::new(
                format!("invalid {} input", O::NAME),
                Some(Box::new(e)),
            ))
        })?;
        options
            .check_headers()
            .map_err(|e| construction(format!("invalid {} call options: {e}", O::NAME)))?;
        let operation_params = O::HAS_ENDPOINT_PARAMS.then(|| {
            let mut params = Params::new();
            O::endpoint_params(&input, &mut params);
            params
        });
        let mut request = O::serialize_request(&input)
            .map_err(|e| construction(format!("invalid {} input: {e}", O::NAME)))?;
        request.headers.extend(options.headers().iter().cloned());
        let credentials = self.credentials().await.map_err(|e| match e {
            DispatchFailure::Construction(e) => SdkError::Construction(e),
            DispatchFailure::Timeout(e) => SdkError::Timeout(e),
            DispatchFailure::Connector(e) => SdkError::Dispatch(e),
        })?;
        let account_id = credentials.account_id();
        let per_call = operation_params.is_some()
            || options.endpoint_url_override().is_some()
            || (self.uses_account_id() && account_id.is_some());
        let endpoint = self
            .call_endpoint(per_call, operation_params, &options, account_id)
            .map_err(construction)?;
        let endpoint = &*endpoint;
        if endpoint.signing_region.is_empty() {
            return Err(construction(super::NO_REGION.to_owned()));
        }
        let Target { origin, host, path } = target(&request, endpoint, O::S3_SIGNING);
        let mut headers = Vec::with_capacity(request.headers.len() + 1);
        headers.push(("Host".to_owned(), host));
        headers.extend(request.headers.iter().cloned());
        headers.extend(endpoint.headers.iter().cloned());
        let signable = sigv4::SignableRequest {
            method: request.method,
            uri: &path,
            headers: &headers,
            body: &request.body,
        };
        let s3 = O::S3_SIGNING;
        let params = sigv4::SigningParams {
            credentials: &credentials,
            region: &endpoint.signing_region,
            service: &endpoint.signing_name,
            time: presigning.start_time.unwrap_or_else(SystemTime::now),
            settings: sigv4::SigningSettings {
                expires_in: Some(presigning.expires_in),
                unsigned_payload: s3,
                normalize_path: !s3,
                double_uri_encode: !s3,
                ..sigv4::SigningSettings::default()
            },
        };
        let signed = sigv4::presign(&signable, &params).map_err(|e| {
            SdkError::Construction(ConstructionError::new(
                "cannot presign the request",
                Some(Box::new(e)),
            ))
        })?;
        Ok(PresignedRequest {
            method: request.method,
            url: format!("{origin}{}", signed.uri),
            headers,
            body: request.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_bounds_and_redacted_debug() {
        assert!(PresigningConfig::expires_in(Duration::from_millis(999)).is_err());
        assert!(PresigningConfig::expires_in(Duration::from_secs(7 * 24 * 3600)).is_ok());
        let error = PresigningConfig::expires_in(Duration::ZERO).unwrap_err();
        assert!(error.to_string().contains("1 second to 7 days"), "{error}");
        let request = PresignedRequest {
            method: "GET",
            url: "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID%2F&X-Amz-Security-Token=tok\
                  &X-Amz-Signature=abc"
                .to_owned(),
            headers: vec![("Host".to_owned(), "b.s3.amazonaws.com".to_owned())],
            body: Vec::new(),
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains("abc") && !debug.contains("tok"), "{debug}");
        assert!(debug.contains("X-Amz-Credential=AKID%2F"), "{debug}");
    }
}
