//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`).
//!
//! [`sign`] computes the headers that authenticate a request
//! (`Authorization`, `X-Amz-Date`, and `X-Amz-Security-Token` for temporary
//! credentials); [`presign`] puts the signature in the query string instead,
//! giving a URL that works without headers until it expires.
//!
//! Signing follows the steps of the AWS documentation, each of which is a
//! public function so that tests can compare them with reference values:
//!
//! 1. [`canonical_request`]: the method, the canonical URI, the canonical
//!    query string, the canonical headers, the signed header names and the
//!    hex SHA-256 of the payload, one per line.
//! 2. [`string_to_sign`]: the algorithm, the time, the credential scope
//!    (`20150830/us-east-1/iam/aws4_request`) and the hex SHA-256 of the
//!    canonical request.
//! 3. [`SigningKey`]: an HMAC-SHA256 chain from the secret access key over
//!    the date, region, service and `aws4_request`; the signature is the hex
//!    HMAC of the string to sign under that key. The key only changes with
//!    the day, so [`sign_with_cache`] keeps it in a [`SigningKeyCache`].
//!
//! # The request
//!
//! [`SignableRequest::uri`] is the request target as it will be sent: the
//! path, already percent-encoded the way the HTTP client writes it, and the
//! query string if any. The canonical URI is derived from it as follows:
//!
//! - with [`SigningSettings::normalize_path`], `.` and `..` segments and
//!   empty segments (`//`) are removed;
//! - with [`SigningSettings::double_uri_encode`] (every service but S3), the
//!   path is URI-encoded once more: every byte other than the RFC 3986
//!   unreserved characters and `/` is percent-encoded, `%` included, so
//!   `%3A` becomes `%253A`;
//! - without it (S3), existing `%XX` escapes are kept (with upper-case hex)
//!   and any other byte that is not unreserved or `/` is encoded.
//!
//! Query parameters are percent-decoded (`+` is a literal plus sign: write
//! spaces as `%20`), re-encoded with the unreserved set, and sorted by key
//! then value.
//!
//! Header names are matched case-insensitively; values are trimmed, runs of
//! spaces inside them become one space, and repeated headers are joined
//! with `,` in order. The request must have a `Host` header. `Authorization`
//! and a few headers that proxies and HTTP clients add or rewrite
//! (`User-Agent`, `X-Amzn-Trace-Id`, `Expect`, `Transfer-Encoding`,
//! `Connection`) are never signed, and headers the signer sets itself
//! replace any the request already has, so a retried request can be signed
//! again as it is.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use smithgen_runtime::auth::sigv4::{self, SignableRequest, SigningParams, SigningSettings};
//! use smithgen_runtime::auth::Credentials;
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let headers = vec![("Host".to_owned(), "example.amazonaws.com".to_owned())];
//! let request = SignableRequest::new("GET", "/", &headers, b"");
//! let params = SigningParams {
//!     credentials: &credentials,
//!     region: "us-east-1",
//!     service: "service",
//!     time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160), // 2015-08-30T12:36:00Z
//!     settings: SigningSettings::default(),
//! };
//! let output = sigv4::sign(&request, &params)?;
//! assert_eq!(
//!     output.signature,
//!     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
//! );
//! assert_eq!(output.headers[0], ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()));
//! # Ok::<(), sigv4::SigningError>(())
//! ```

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::credentials::Credentials;
use crate::{Redacted, REDACTED};

/// The algorithm name that starts the string to sign and the
/// `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The payload hash of requests whose body is not signed (S3 presigned
/// URLs, for instance).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The payload hash of a request whose body is a stream of signed event stream messages
/// (Transcribe streaming, Bedrock's bidirectional streams): each message is signed in turn,
/// chained from the request's signature ([`sign_event`]).
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The payload hash of an `aws-chunked` body whose chunks are not signed and whose last chunk
/// carries a trailer (the flexible checksum of a streamed S3 upload).
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The algorithm name that starts the string to sign of an event stream message.
pub const EVENT_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";

/// The longest validity of a presigned URL AWS accepts: seven days.
pub const MAX_PRESIGN_EXPIRY: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Headers that are never signed: the signature itself, and headers that
/// proxies and HTTP clients add, remove or rewrite after signing.
const UNSIGNED_HEADERS: [&str; 6] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "connection",
];

const X_AMZ_DATE: &str = "x-amz-date";
const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

/// The query parameters [`presign`] adds.
const PRESIGN_PARAMS: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// The parts of an HTTP request that SigV4 signs.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// The method, such as `POST`.
    pub method: &'a str,
    /// The request target as sent: the (percent-encoded) path, then `?`
    /// and the query string if there is one. See the [module
    /// documentation](self) for how it is canonicalised.
    pub uri: &'a str,
    /// The headers, names in any case, repeated names allowed. Must include
    /// `Host`.
    pub headers: &'a [(String, String)],
    /// The body. Its hex SHA-256 is signed, unless
    /// [`SigningSettings::unsigned_payload`] is set.
    pub body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// A request from its parts.
    pub fn new(
        method: &'a str,
        uri: &'a str,
        headers: &'a [(String, String)],
        body: &'a [u8],
    ) -> Self {
        SignableRequest {
            method,
            uri,
            headers,
            body,
        }
    }
}

impl fmt::Debug for SignableRequest<'_> {
    /// Prints header names but not values, which may hold tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        let body = format!("{} bytes", self.body.len());
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("header_names", &names)
            .field("body", &body)
            .finish()
    }
}

/// How a service wants its requests signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.`, `..` and empty segments from the path before signing.
    /// True for every service but S3.
    pub normalize_path: bool,
    /// URI-encode the (already encoded) path once more. True for every
    /// service but S3.
    pub double_uri_encode: bool,
    /// Add and sign an `x-amz-content-sha256` header holding the payload
    /// hash (S3 requires it). Not used by [`presign`].
    pub content_sha256_header: bool,
    /// Sign the session token of temporary credentials. When false, the
    /// token is still sent (`X-Amz-Security-Token`) but added after
    /// signing, as some services (IoT) require.
    pub sign_session_token: bool,
    /// Sign [`UNSIGNED_PAYLOAD`] in place of the body's hash (S3 presigned
    /// URLs, for instance).
    pub unsigned_payload: bool,
    /// Sign [`STREAMING_EVENTS_PAYLOAD`] in place of the body's hash: the body
    /// is an event stream whose messages are signed one by one.
    pub streaming_events: bool,
    /// Sign [`STREAMING_UNSIGNED_PAYLOAD_TRAILER`] in place of the body's hash: the body is
    /// `aws-chunked` with a checksum trailer.
    pub streaming_trailer: bool,
    /// How long a presigned URL is valid; required by [`presign`], ignored
    /// by [`sign`].
    pub expires_in: Option<Duration>,
}

impl Default for SigningSettings {
    /// The settings of every service but S3: normalise and double-encode
    /// the path, sign the body's hash and the session token, no
    /// `x-amz-content-sha256`.
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            double_uri_encode: true,
            content_sha256_header: false,
            sign_session_token: true,
            unsigned_payload: false,
            streaming_events: false,
            streaming_trailer: false,
            expires_in: None,
        }
    }
}

impl SigningSettings {
    /// The settings of S3: the path as it is, encoded once, and an
    /// `x-amz-content-sha256` header.
    pub fn s3() -> Self {
        SigningSettings {
            normalize_path: false,
            double_uri_encode: false,
            content_sha256_header: true,
            ..SigningSettings::default()
        }
    }
}

/// Who signs, for which region and service, and when.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing region, such as `us-east-1`.
    pub region: &'a str,
    /// The signing name of the service, such as `lightsail`.
    pub service: &'a str,
    /// The signing time (normally now); it must be after 1970 and before
    /// the year 10000.
    pub time: SystemTime,
    /// How the service wants requests signed.
    pub settings: SigningSettings,
}

/// Where the signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureLocation {
    /// In the `Authorization` header ([`sign`]).
    Headers,
    /// In the query string ([`presign`]).
    QueryParams,
}

/// Why a request could not be signed. `Display` never contains a secret
/// key, a session token or a header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningError {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    TimeBeforeEpoch,
    TimeOutOfRange,
    InvalidMethod,
    InvalidUri(&'static str),
    InvalidHeaderName(String),
    InvalidHeaderValue(String),
    MissingHost,
    InvalidScope(&'static str),
    InvalidAccessKeyId,
    InvalidSessionToken,
    MissingExpiry,
    InvalidExpiry,
    QueryParamConflict(&'static str),
}

impl SigningError {
    fn new(kind: ErrorKind) -> Self {
        SigningError { kind }
    }
}

/// Up to 64 characters of `text`, for messages.
fn clip(text: &str) -> String {
    text.chars().take(64).collect()
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot sign the request: ")?;
        match &self.kind {
            ErrorKind::TimeBeforeEpoch => f.write_str("the signing time is before 1970"),
            ErrorKind::TimeOutOfRange => f.write_str("the signing time is after the year 9999"),
            ErrorKind::InvalidMethod => f.write_str("the method is not an HTTP token"),
            ErrorKind::InvalidUri(reason) => write!(f, "invalid request target: {reason}"),
            ErrorKind::InvalidHeaderName(name) => {
                write!(f, "the header name {name:?} is not an HTTP token")
            }
            ErrorKind::InvalidHeaderValue(name) => write!(
                f,
                "the value of header {name:?} contains a line break or control character"
            ),
            ErrorKind::MissingHost => f.write_str("the request has no Host header"),
            ErrorKind::InvalidScope(what) => write!(
                f,
                "the signing {what} is empty or contains `/`, whitespace or control characters"
            ),
            ErrorKind::InvalidAccessKeyId => f.write_str(
                "the access key id is empty or contains `/`, `,`, whitespace or control characters",
            ),
            ErrorKind::InvalidSessionToken => {
                f.write_str("the session token contains a line break or control character")
            }
            ErrorKind::MissingExpiry => f.write_str("presigning needs settings.expires_in"),
            ErrorKind::InvalidExpiry => write!(
                f,
                "a presigned URL must expire after 1 to {} seconds",
                MAX_PRESIGN_EXPIRY.as_secs()
            ),
            ErrorKind::QueryParamConflict(name) => write!(
                f,
                "the query string already has {name}, which presigning adds"
            ),
        }
    }
}

impl Error for SigningError {}

/// The result of [`sign`]: the headers to set, and the intermediate steps.
///
/// `Debug` redacts the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    /// Headers to set on the request, replacing any of the same name (see
    /// [`apply_to`](Self::apply_to)): `X-Amz-Date`, `X-Amz-Security-Token`
    /// (for temporary credentials), `x-amz-content-sha256` (if
    /// [`SigningSettings::content_sha256_header`]) and `Authorization`.
    pub headers: Vec<(String, String)>,
    /// The hex signature.
    pub signature: String,
    /// The canonical request that was signed (holds the session token).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

impl SigningOutput {
    /// Sets [`headers`](Self::headers) on `headers`: removes those of the
    /// same name (in any case) and appends the new ones.
    pub fn apply_to(&self, headers: &mut Vec<(String, String)>) {
        headers.retain(|(name, _)| {
            !self
                .headers
                .iter()
                .any(|(new, _)| new.eq_ignore_ascii_case(name))
        });
        headers.extend(self.headers.iter().cloned());
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &dyn fmt::Debug)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value: &dyn fmt::Debug = if name.eq_ignore_ascii_case(X_AMZ_SECURITY_TOKEN) {
                    &Redacted
                } else {
                    value
                };
                (name.as_str(), value)
            })
            .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &headers)
            .field("signature", &self.signature)
            .field("canonical_request", &redact_token(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

/// The result of [`presign`]: the signed request target, and the
/// intermediate steps.
///
/// `Debug` redacts the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    /// The request target with the signing parameters appended to the
    /// query string: the original target unchanged, then `X-Amz-Algorithm`,
    /// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`,
    /// `X-Amz-Expires`, `X-Amz-Security-Token` (for temporary credentials)
    /// and `X-Amz-Signature`. Send it with the signed headers.
    pub uri: String,
    /// The hex signature.
    pub signature: String,
    /// The canonical request that was signed (holds the session token).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("uri", &redact_token(&self.uri))
            .field("signature", &self.signature)
            .field("canonical_request", &redact_token(&self.canonical_request))
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

/// `text` with the value of an `X-Amz-Security-Token=` query parameter and
/// of an `x-amz-security-token:` header line replaced by [`REDACTED`].
fn redact_token(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let param = rest
            .find("X-Amz-Security-Token=")
            .map(|at| (at, "X-Amz-Security-Token=", '&'));
        let header = rest
            .find("x-amz-security-token:")
            .map(|at| (at, "x-amz-security-token:", '\n'));
        let found = match (param, header) {
            (Some(p), Some(h)) => Some(if p.0 < h.0 { p } else { h }),
            (p, h) => p.or(h),
        };
        let Some((at, marker, end)) = found else {
            out.push_str(rest);
            return out;
        };
        let value_start = at + marker.len();
        out.push_str(&rest[..value_start]);
        let value_end = rest[value_start..]
            .find(end)
            .map_or(rest.len(), |len| value_start + len);
        if value_end > value_start {
            out.push_str(REDACTED);
        }
        rest = &rest[value_end..];
    }
}

/// The key an HMAC-SHA256 signature is computed with, derived from the
/// secret access key, the date, the region and the service. It is valid for
/// one day, region and service, so a caller that signs many requests may
/// keep it.
///
/// `Debug` prints no key material.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl SigningKey {
    /// Derives the key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date),
    /// region), service), "aws4_request")`, where `date` is `YYYYMMDD`.
    pub fn derive(secret_access_key: &str, date: &str, region: &str, service: &str) -> Self {
        let mut secret = Vec::with_capacity(4 + secret_access_key.len());
        secret.extend_from_slice(b"AWS4");
        secret.extend_from_slice(secret_access_key.as_bytes());
        let key = hmac_sha256(&secret, date.as_bytes());
        let key = hmac_sha256(&key, region.as_bytes());
        let key = hmac_sha256(&key, service.as_bytes());
        SigningKey(hmac_sha256(&key, b"aws4_request"))
    }

    /// The hex signature of `string_to_sign`.
    pub fn sign(&self, string_to_sign: &str) -> String {
        hex(&hmac_sha256(&self.0, string_to_sign.as_bytes()))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SigningKey").field(&Redacted).finish()
    }
}

/// The last [`SigningKey`] that [`sign_with_cache`] derived, with what it was
/// derived from, so that a client signing many requests derives one key a
/// day (per region, service and secret) instead of one per request.
///
/// `Debug` prints no key material.
#[derive(Default)]
pub struct SigningKeyCache(Mutex<Option<CachedSigningKey>>);

struct CachedSigningKey {
    secret_access_key: String,
    date: String,
    region: String,
    service: String,
    key: SigningKey,
}

impl SigningKeyCache {
    /// The key for these inputs: the cached one if it was derived from the
    /// same, else a new one (which replaces it).
    pub fn key(
        &self,
        secret_access_key: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = cached.as_ref() {
            if c.date == date
                && c.region == region
                && c.service == service
                && c.secret_access_key == secret_access_key
            {
                return c.key.clone();
            }
        }
        let key = SigningKey::derive(secret_access_key, date, region, service);
        *cached = Some(CachedSigningKey {
            secret_access_key: secret_access_key.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
            key: key.clone(),
        });
        key
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SigningKeyCache").field(&Redacted).finish()
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        // HMAC takes keys of any length (longer ones are hashed first), so
        // this arm is never taken; it exists so that nothing here panics.
        Err(_) => [0; 32],
    }
}

/// The lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The signing time as `20150830T123600Z` and `20150830`.
struct SigningTime {
    date_time: String,
    date: String,
}

impl SigningTime {
    fn new(time: SystemTime) -> Result<Self, SigningError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::new(ErrorKind::TimeBeforeEpoch))?
            .as_secs();
        let (year, month, day) = civil_from_days(secs / 86_400);
        if year > 9999 {
            return Err(SigningError::new(ErrorKind::TimeOutOfRange));
        }
        let second_of_day = secs % 86_400;
        let mut date_time = String::with_capacity(16);
        push_digits(&mut date_time, year, 4);
        push_digits(&mut date_time, month, 2);
        push_digits(&mut date_time, day, 2);
        date_time.push('T');
        push_digits(&mut date_time, second_of_day / 3600, 2);
        push_digits(&mut date_time, second_of_day / 60 % 60, 2);
        push_digits(&mut date_time, second_of_day % 60, 2);
        date_time.push('Z');
        Ok(SigningTime {
            date: date_time[..8].to_owned(),
            date_time,
        })
    }
}

/// The proleptic Gregorian (year, month, day) of a day count since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`, for days >= 0).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Appends `value` as exactly `width` decimal digits (`value` must fit).
fn push_digits(out: &mut String, value: u64, width: u32) {
    let mut divisor = 10u64.pow(width - 1);
    while divisor > 0 {
        out.push(char::from(b'0' + (value / divisor % 10) as u8));
        divisor /= 10;
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(is_tchar)
}

/// Whether `value` may be sent as a header value: no control characters
/// other than tab (so no line breaks).
fn is_valid_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Whether `text` is non-empty and free of `/`, whitespace and controls,
/// as the parts of the credential scope must be.
fn is_scope_part(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c != '/' && !c.is_whitespace() && !c.is_control())
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn push_escape(out: &mut String, b: u8) {
    // Writing to a String cannot fail.
    let _ = write!(out, "%{b:02X}");
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set.
fn uri_encode(bytes: &[u8], out: &mut String) {
    for &b in bytes {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            push_escape(out, b);
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept.
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&hi), Some(&lo)) => hex_value(hi).zip(hex_value(lo)),
            _ => None,
        };
        match escaped {
            Some((hi, lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// Removes `.`, `..` and empty segments (RFC 3986 section 5.2.4, plus
/// collapsing `//`). Keeps a trailing slash.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if out.is_empty() || trailing {
        out.push('/');
    }
    out
}

fn canonical_uri(path: &str, settings: &SigningSettings) -> Result<String, SigningError> {
    if path.is_empty() {
        return Ok("/".to_owned());
    }
    if !path.starts_with('/') {
        return Err(SigningError::new(ErrorKind::InvalidUri(
            "the path must start with `/`",
        )));
    }
    let normalized;
    let path = if settings.normalize_path {
        normalized = normalize_path(path);
        normalized.as_str()
    } else {
        path
    };
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_unreserved(b) || b == b'/' {
            out.push(char::from(b));
        } else if b == b'%' && !settings.double_uri_encode {
            match (
                bytes.get(i + 1).copied().and_then(hex_value),
                bytes.get(i + 2).copied().and_then(hex_value),
            ) {
                (Some(hi), Some(lo)) => {
                    push_escape(&mut out, hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => push_escape(&mut out, b),
            }
        } else {
            push_escape(&mut out, b);
        }
        i += 1;
    }
    Ok(out)
}

/// The query string's parameters, decoded and re-encoded, unsorted.
fn encoded_query_params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut encoded_key = String::new();
            uri_encode(&percent_decode(key), &mut encoded_key);
            let mut encoded_value = String::new();
            uri_encode(&percent_decode(value), &mut encoded_value);
            (encoded_key, encoded_value)
        })
        .collect()
}

fn encode_str(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    uri_encode(value.as_bytes(), &mut out);
    out
}

/// Trims a header value and turns runs of spaces into one space.
fn normalize_header_value(value: &str) -> Cow<'_, str> {
    let value = value.trim_matches(|c| c == ' ' || c == '\t');
    if !value.contains("  ") {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut previous_space = false;
    for c in value.chars() {
        if c == ' ' {
            if !previous_space {
                out.push(c);
            }
            previous_space = true;
        } else {
            out.push(c);
            previous_space = false;
        }
    }
    Cow::Owned(out)
}

/// Everything computed before the signature.
struct Prepared {
    time: SigningTime,
    scope: String,
    signed_headers: String,
    payload_hash: String,
    canonical_request: String,
    /// For presigning: the value of `X-Amz-Expires`.
    expires: Option<u64>,
}

fn check_params(params: &SigningParams<'_>) -> Result<(), SigningError> {
    if !is_scope_part(params.region) {
        return Err(SigningError::new(ErrorKind::InvalidScope("region")));
    }
    if !is_scope_part(params.service) {
        return Err(SigningError::new(ErrorKind::InvalidScope("service name")));
    }
    let access_key_id = params.credentials.access_key_id();
    if !is_scope_part(access_key_id) || access_key_id.contains(',') {
        return Err(SigningError::new(ErrorKind::InvalidAccessKeyId));
    }
    if let Some(token) = params.credentials.session_token() {
        if !is_valid_header_value(token) {
            return Err(SigningError::new(ErrorKind::InvalidSessionToken));
        }
    }
    Ok(())
}

fn prepare(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<Prepared, SigningError> {
    check_params(params)?;
    if !is_token(req.method) {
        return Err(SigningError::new(ErrorKind::InvalidMethod));
    }
    let time = SigningTime::new(params.time)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        time.date, params.region, params.service
    );
    let settings = &params.settings;
    let payload_hash = if settings.streaming_events {
        STREAMING_EVENTS_PAYLOAD.to_owned()
    } else if settings.streaming_trailer {
        STREAMING_UNSIGNED_PAYLOAD_TRAILER.to_owned()
    } else if settings.unsigned_payload {
        UNSIGNED_PAYLOAD.to_owned()
    } else {
        sha256_hex(req.body)
    };
    let token = params.credentials.session_token();
    let expires = match location {
        SignatureLocation::Headers => None,
        SignatureLocation::QueryParams => {
            let expires = settings
                .expires_in
                .ok_or_else(|| SigningError::new(ErrorKind::MissingExpiry))?;
            if expires.as_secs() == 0 || expires > MAX_PRESIGN_EXPIRY {
                return Err(SigningError::new(ErrorKind::InvalidExpiry));
            }
            Some(expires.as_secs())
        }
    };

    // Canonical headers: (lower-case name, normalised value), sorted by name;
    // the sort is stable, so the values of a repeated name stay in order.
    let mut headers: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(req.headers.len() + 3);
    for (name, value) in req.headers {
        if !is_token(name) {
            return Err(SigningError::new(ErrorKind::InvalidHeaderName(clip(name))));
        }
        if !is_valid_header_value(value) {
            return Err(SigningError::new(ErrorKind::InvalidHeaderValue(clip(name))));
        }
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name.as_str())
        };
        let set_by_signer = location == SignatureLocation::Headers
            && (name == X_AMZ_DATE
                || (name == X_AMZ_SECURITY_TOKEN && token.is_some())
                || (name == X_AMZ_CONTENT_SHA256 && settings.content_sha256_header));
        if set_by_signer || UNSIGNED_HEADERS.contains(&&*name) {
            continue;
        }
        headers.push((name, normalize_header_value(value)));
    }
    if !headers.iter().any(|(name, _)| name == "host") {
        return Err(SigningError::new(ErrorKind::MissingHost));
    }
    if location == SignatureLocation::Headers {
        headers.push((X_AMZ_DATE.into(), time.date_time.as_str().into()));
        if let Some(token) = token.filter(|_| settings.sign_session_token) {
            headers.push((X_AMZ_SECURITY_TOKEN.into(), normalize_header_value(token)));
        }
        if settings.content_sha256_header {
            headers.push((X_AMZ_CONTENT_SHA256.into(), payload_hash.as_str().into()));
        }
    }
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut signed_headers = String::with_capacity(16 * headers.len());
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 && headers[i - 1].0 == *name {
            continue;
        }
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }

    // Canonical query.
    let (path, query) = match req.uri.split_once('?') {
        Some((path, query)) => (path, query),
        None => (req.uri, ""),
    };
    let mut query_params = encoded_query_params(query);
    if let Some(expires) = expires {
        for (key, _) in &query_params {
            if let Some(name) = PRESIGN_PARAMS.iter().find(|name| **name == key.as_str()) {
                return Err(SigningError::new(ErrorKind::QueryParamConflict(name)));
            }
        }
        let credential = format!("{}/{scope}", params.credentials.access_key_id());
        let mut add = |key: &str, value: &str| {
            query_params.push((key.to_owned(), encode_str(value)));
        };
        add("X-Amz-Algorithm", ALGORITHM);
        add("X-Amz-Credential", &credential);
        add("X-Amz-Date", &time.date_time);
        add("X-Amz-Expires", &expires.to_string());
        add("X-Amz-SignedHeaders", &signed_headers);
        // Without `sign_session_token`, `presign` adds the token after
        // signing.
        if let Some(token) = token.filter(|_| settings.sign_session_token) {
            add("X-Amz-Security-Token", token);
        }
    }
    query_params.sort_unstable();
    let canonical_query = query_params
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&");

    let headers_len: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical_request = String::with_capacity(256 + req.uri.len() + headers_len);
    canonical_request.push_str(req.method);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_uri(path, settings)?);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query);
    canonical_request.push('\n');
    for (i, (name, value)) in headers.iter().enumerate() {
        let continues = i > 0 && headers[i - 1].0 == *name;
        if continues {
            canonical_request.push(',');
        } else {
            canonical_request.push_str(name);
            canonical_request.push(':');
        }
        canonical_request.push_str(value);
        if headers.get(i + 1).is_none_or(|(next, _)| next != name) {
            canonical_request.push('\n');
        }
    }
    drop(headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload_hash);

    Ok(Prepared {
        time,
        scope,
        signed_headers,
        payload_hash,
        canonical_request,
        expires,
    })
}

fn build_string_to_sign(canonical_request: &str, date_time: &str, scope: &str) -> String {
    format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Step 1: the canonical request of `req`, for a signature in `location`.
///
/// # Errors
///
/// As [`sign`] (and, for [`SignatureLocation::QueryParams`], [`presign`]).
pub fn canonical_request(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    location: SignatureLocation,
) -> Result<String, SigningError> {
    prepare(req, params, location).map(|prepared| prepared.canonical_request)
}

/// Step 2: the string to sign for `canonical_request`, at `params.time` in
/// the scope of `params.region` and `params.service`.
///
/// # Errors
///
/// If the time is before 1970 or after the year 9999, or the region or
/// service is not a valid scope part.
pub fn string_to_sign(
    canonical_request: &str,
    params: &SigningParams<'_>,
) -> Result<String, SigningError> {
    check_params(params)?;
    let time = SigningTime::new(params.time)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        time.date, params.region, params.service
    );
    Ok(build_string_to_sign(
        canonical_request,
        &time.date_time,
        &scope,
    ))
}

/// Signs `req` with headers.
///
/// # Errors
///
/// A [`SigningError`] if the time is before 1970 or after 9999; the method,
/// the request target, a header name or value, the region, the service, the
/// access key id or the session token is malformed; or there is no `Host`
/// header.
pub fn sign(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    sign_inner(req, params, None)
}

/// [`sign`], taking the signing key from `cache` when it was derived for the
/// same day, region, service and secret (and putting it there otherwise).
///
/// # Errors
///
/// As [`sign`].
pub fn sign_with_cache(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    sign_inner(req, params, Some(cache))
}

fn sign_inner(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<SigningOutput, SigningError> {
    let prepared = prepare(req, params, SignatureLocation::Headers)?;
    let string_to_sign = build_string_to_sign(
        &prepared.canonical_request,
        &prepared.time.date_time,
        &prepared.scope,
    );
    let secret = params.credentials.secret_access_key();
    let key = match cache {
        Some(cache) => cache.key(secret, &prepared.time.date, params.region, params.service),
        None => SigningKey::derive(secret, &prepared.time.date, params.region, params.service),
    };
    let signature = key.sign(&string_to_sign);

    let mut headers = vec![("X-Amz-Date".to_owned(), prepared.time.date_time.clone())];
    if let Some(token) = params.credentials.session_token() {
        headers.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
    }
    if params.settings.content_sha256_header {
        headers.push((
            "x-amz-content-sha256".to_owned(),
            prepared.payload_hash.clone(),
        ));
    }
    headers.push((
        "Authorization".to_owned(),
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={signature}",
            params.credentials.access_key_id(),
            prepared.scope,
            prepared.signed_headers
        ),
    ));
    Ok(SigningOutput {
        headers,
        signature,
        canonical_request: prepared.canonical_request,
        string_to_sign,
    })
}

/// The hex signature of one event stream message, chained from `prior_signature` (the
/// previous message's signature, or for the first message the request's own): the HMAC, with
/// the day's signing key, of
///
/// ```text
/// AWS4-HMAC-SHA256-PAYLOAD
/// <time as YYYYMMDDTHHMMSSZ>
/// <YYYYMMDD>/<region>/<service>/aws4_request
/// <prior signature, hex>
/// <hex SHA-256 of the message's encoded `:date` header>
/// <hex SHA-256 of the payload (the encoded event; empty for the closing message)>
/// ```
///
/// `params.settings` is not used. The caller puts the signature, as 32 bytes, in the
/// `:chunk-signature` header of the message it sends.
///
/// # Errors
///
/// When the time is before 1970 or after the year 9999.
pub fn sign_event(
    encoded_date_header: &[u8],
    payload: &[u8],
    prior_signature: &str,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<String, SigningError> {
    let time = SigningTime::new(params.time)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        time.date, params.region, params.service
    );
    let string_to_sign = format!(
        "{EVENT_ALGORITHM}\n{}\n{scope}\n{prior_signature}\n{}\n{}",
        time.date_time,
        sha256_hex(encoded_date_header),
        sha256_hex(payload)
    );
    let key = cache.key(
        params.credentials.secret_access_key(),
        &time.date,
        params.region,
        params.service,
    );
    Ok(key.sign(&string_to_sign))
}

/// Signs `req` in its query string, valid for `params.settings.expires_in`
/// (at most [`MAX_PRESIGN_EXPIRY`]).
///
/// The headers of `req` are signed, so the presigned URL must be sent with
/// them (usually just `Host`). The `X-Amz-Date` and `x-amz-content-sha256`
/// headers are not added.
///
/// # Errors
///
/// As [`sign`], and if `expires_in` is missing, under a second or over
/// seven days, or the query string already has one of the parameters
/// presigning adds.
pub fn presign(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<PresignedRequest, SigningError> {
    let prepared = prepare(req, params, SignatureLocation::QueryParams)?;
    let string_to_sign = build_string_to_sign(
        &prepared.canonical_request,
        &prepared.time.date_time,
        &prepared.scope,
    );
    let key = SigningKey::derive(
        params.credentials.secret_access_key(),
        &prepared.time.date,
        params.region,
        params.service,
    );
    let signature = key.sign(&string_to_sign);

    let mut uri = String::with_capacity(req.uri.len() + 256);
    uri.push_str(req.uri);
    match req.uri.split_once('?') {
        None => uri.push('?'),
        Some((_, "")) => {}
        Some((_, query)) if query.ends_with('&') => {}
        Some(_) => uri.push('&'),
    }
    let credential = format!("{}/{}", params.credentials.access_key_id(), prepared.scope);
    let expires = prepared.expires.unwrap_or_default().to_string();
    let mut params_out: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &prepared.time.date_time),
        ("X-Amz-SignedHeaders", &prepared.signed_headers),
        ("X-Amz-Expires", &expires),
    ];
    if let Some(token) = params.credentials.session_token() {
        params_out.push(("X-Amz-Security-Token", token));
    }
    params_out.push(("X-Amz-Signature", &signature));
    for (index, (key, value)) in params_out.iter().enumerate() {
        if index > 0 {
            uri.push('&');
        }
        uri.push_str(key);
        uri.push('=');
        uri.push_str(&encode_str(value));
    }
    Ok(PresignedRequest {
        uri,
        signature,
        canonical_request: prepared.canonical_request,
        string_to_sign,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLE+token==";

    fn time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_440_938_160) // 2015-08-30T12:36:00Z
    }

    fn host() -> Vec<(String, String)> {
        vec![("Host".to_owned(), "example.amazonaws.com".to_owned())]
    }

    fn params(credentials: &Credentials) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "service",
            time: time(),
            settings: SigningSettings::default(),
        }
    }

    #[test]
    fn get_vanilla() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = host();
        let req = SignableRequest::new("GET", "/", &headers, b"");
        let out = sign(&req, &params(&credentials)).expect("signs");
        assert_eq!(
            out.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n\
             host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            out.signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(
            out.headers.last().map(|(_, v)| v.as_str()),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
                 SignedHeaders=host;x-amz-date, \
                 Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
        assert_eq!(
            string_to_sign(&out.canonical_request, &params(&credentials)).ok(),
            Some(out.string_to_sign.clone())
        );
        assert_eq!(
            canonical_request(&req, &params(&credentials), SignatureLocation::Headers).ok(),
            Some(out.canonical_request)
        );
    }

    #[test]
    fn signing_key_matches_the_documented_example() {
        // The derived key of the AWS documentation's IAM example.
        let key = SigningKey::derive(SECRET, "20150830", "us-east-1", "iam");
        assert_eq!(
            hex(&key.0),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
        assert_eq!(format!("{key:?}"), format!("SigningKey({REDACTED})"));
    }

    #[test]
    fn path_normalization() {
        for (input, expected) in [
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/.", "/"),
            ("/..", "/"),
            ("/../a", "/a"),
            ("/a/b/../..", "/"),
            ("/a/./b", "/a/b"),
            ("/a/b/.", "/a/b/"),
            ("//a//", "/a/"),
            ("/a/%2E%2E/b", "/a/%2E%2E/b"),
            ("/a..b/.c", "/a..b/.c"),
        ] {
            assert_eq!(normalize_path(input), expected, "{input}");
        }
    }

    #[test]
    fn uri_encoding_modes() {
        let double = SigningSettings::default();
        let single = SigningSettings::s3();
        let cases = [
            // (input, double-encoded, single-encoded)
            ("/a%3Ab", "/a%253Ab", "/a%3Ab"),
            ("/a%3ab", "/a%253ab", "/a%3Ab"),
            ("/a b", "/a%20b", "/a%20b"),
            ("/@:!$", "/%40%3A%21%24", "/%40%3A%21%24"),
            ("/100%", "/100%25", "/100%25"),
            ("/%zz", "/%25zz", "/%25zz"),
            ("/ሴ", "/%E1%88%B4", "/%E1%88%B4"),
            ("/-._~", "/-._~", "/-._~"),
            ("", "/", "/"),
        ];
        for (input, expected_double, expected_single) in cases {
            assert_eq!(
                canonical_uri(input, &double).ok().as_deref(),
                Some(expected_double),
                "{input}"
            );
            assert_eq!(
                canonical_uri(input, &single).ok().as_deref(),
                Some(expected_single),
                "{input}"
            );
        }
        // S3 keeps dot segments.
        assert_eq!(
            canonical_uri("/a/../b", &single).ok().as_deref(),
            Some("/a/../b")
        );
        assert!(canonical_uri("relative", &double).is_err());
    }

    #[test]
    fn query_canonicalization() {
        let params = encoded_query_params("b=2&a=%7e&a=1&&c&d=&e=x+y&f=%zz&%E1%88%B4=v");
        let mut sorted = params.clone();
        sorted.sort_unstable();
        let joined: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            joined.join("&"),
            "%E1%88%B4=v&a=1&a=~&b=2&c=&d=&e=x%2By&f=%25zz"
        );
    }

    #[test]
    fn signing_time_matches_rfc3339() {
        // Every day boundary around leap days and century years, and a spread of instants.
        let mut instants: Vec<u64> = (0..4_000u64).map(|i| i * 7_919_993 + i % 86_400).collect();
        // Around 2000-03-01 and 2100-03-01, and the last 800 days before the year 10000.
        for first in [951_868_800u64 - 400 * 86_400, 4_107_542_400 - 400 * 86_400] {
            instants.extend((0..800).map(|d| first + d * 86_400 + d % 2));
        }
        instants.extend((0..800).map(|d| 253_402_300_799 - d * 86_400));
        for secs in instants {
            let time = UNIX_EPOCH + Duration::from_secs(secs);
            let st = SigningTime::new(time).expect("in range");
            let rfc = crate::DateTime::from(time).fmt_rfc3339().expect("formats");
            let digits: String = rfc[..19].chars().filter(char::is_ascii_digit).collect();
            assert_eq!(st.date_time, format!("{}T{}Z", &digits[..8], &digits[8..]));
            assert_eq!(st.date, &digits[..8]);
        }
        // 9999-12-31T23:59:59Z is the last signable second.
        assert!(SigningTime::new(UNIX_EPOCH + Duration::from_secs(253_402_300_799)).is_ok());
        assert_eq!(
            SigningTime::new(UNIX_EPOCH + Duration::from_secs(253_402_300_800))
                .err()
                .map(|e| e.kind),
            Some(ErrorKind::TimeOutOfRange)
        );
        assert_eq!(
            SigningTime::new(UNIX_EPOCH - Duration::from_secs(1))
                .err()
                .map(|e| e.kind),
            Some(ErrorKind::TimeBeforeEpoch)
        );
    }

    #[test]
    fn signing_key_cache() {
        let cache = SigningKeyCache::default();
        let derive =
            |secret, date, region, service| SigningKey::derive(secret, date, region, service);
        let inputs = [
            (SECRET, "20150830", "us-east-1", "iam"),
            (SECRET, "20150830", "us-east-1", "iam"),
            (SECRET, "20150831", "us-east-1", "iam"),
            (SECRET, "20150831", "us-west-2", "iam"),
            (SECRET, "20150831", "us-west-2", "lightsail"),
            ("another-secret", "20150831", "us-west-2", "lightsail"),
            (SECRET, "20150831", "us-west-2", "lightsail"),
        ];
        for (secret, date, region, service) in inputs {
            assert_eq!(
                cache.key(secret, date, region, service),
                derive(secret, date, region, service)
            );
        }
        assert!(!format!("{cache:?}").contains(SECRET));

        // Signing with the cache gives the same output as without.
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = host();
        let req = SignableRequest::new("GET", "/", &headers, b"");
        for _ in 0..2 {
            assert_eq!(
                sign_with_cache(&req, &params(&credentials), &cache).expect("signs"),
                sign(&req, &params(&credentials)).expect("signs")
            );
        }
    }

    #[test]
    fn header_canonicalization() {
        assert_eq!(normalize_header_value("  a   b  c \t"), "a b c");
        assert_eq!(normalize_header_value("\"a   b\""), "\"a b\"");
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("My-Header".to_owned(), " b ".to_owned()),
            ("my-header".to_owned(), "a".to_owned()),
            ("Authorization".to_owned(), "old".to_owned()),
            ("X-Amz-Date".to_owned(), "19990101T000000Z".to_owned()),
            ("User-Agent".to_owned(), "x".to_owned()),
            ("Empty".to_owned(), String::new()),
        ];
        let req = SignableRequest::new("GET", "/", &headers, b"");
        let creq = canonical_request(&req, &params(&credentials), SignatureLocation::Headers)
            .expect("signs");
        assert!(
            creq.contains("\nempty:\nhost:example.amazonaws.com\nmy-header:b,a\nx-amz-date:20150830T123600Z\n\nempty;host;my-header;x-amz-date\n"),
            "{creq}"
        );
    }

    #[test]
    fn session_token_is_signed_or_added_after() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_owned()));
        let headers = host();
        let req = SignableRequest::new("POST", "/", &headers, b"");
        let out = sign(&req, &params(&credentials)).expect("signs");
        assert!(out
            .canonical_request
            .contains(&format!("x-amz-security-token:{TOKEN}")));
        assert!(out
            .headers
            .contains(&("X-Amz-Security-Token".to_owned(), TOKEN.to_owned())));
        for debug in [format!("{out:?}"), format!("{credentials:?}")] {
            assert!(!debug.contains(TOKEN), "{debug}");
            assert!(!debug.contains(SECRET), "{debug}");
        }

        let mut p = params(&credentials);
        p.settings.sign_session_token = false;
        let out = sign(&req, &p).expect("signs");
        assert!(!out.canonical_request.contains("x-amz-security-token"));
        assert!(out
            .headers
            .contains(&("X-Amz-Security-Token".to_owned(), TOKEN.to_owned())));

        p.settings.expires_in = Some(Duration::from_secs(60));
        let presigned = presign(&req, &p).expect("presigns");
        assert!(!presigned.canonical_request.contains("Security-Token"));
        assert!(presigned.uri.contains("X-Amz-Security-Token="));
        let debug = format!("{presigned:?}");
        assert!(!debug.contains("wEXAMPLE"), "{debug}");
    }

    #[test]
    fn apply_to_replaces_headers() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let mut headers = host();
        headers.push(("authorization".to_owned(), "stale".to_owned()));
        let req_headers = headers.clone();
        let req = SignableRequest::new("GET", "/", &req_headers, b"");
        let out = sign(&req, &params(&credentials)).expect("signs");
        out.apply_to(&mut headers);
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Host", "X-Amz-Date", "Authorization"]);
        // Signing the signed request again gives the same signature.
        let again = sign(
            &SignableRequest::new("GET", "/", &headers, b""),
            &params(&credentials),
        )
        .expect("signs");
        assert_eq!(again.signature, out.signature);
    }

    #[test]
    fn content_sha256_header_and_unsigned_payload() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = host();
        let mut p = params(&credentials);
        p.settings = SigningSettings::s3();
        let req = SignableRequest::new("PUT", "/bucket/key", &headers, b"body");
        let out = sign(&req, &p).expect("signs");
        let hash = sha256_hex(b"body");
        assert!(out
            .canonical_request
            .ends_with(&format!("host;x-amz-content-sha256;x-amz-date\n{hash}")));
        assert!(out
            .headers
            .contains(&("x-amz-content-sha256".to_owned(), hash)));
        p.settings.unsigned_payload = true;
        let out = sign(&req, &p).expect("signs");
        assert!(out
            .canonical_request
            .ends_with("host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"));
        assert!(out.headers.contains(&(
            "x-amz-content-sha256".to_owned(),
            UNSIGNED_PAYLOAD.to_owned()
        )));
    }

    #[test]
    fn presign_appends_parameters() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = host();
        let mut p = params(&credentials);
        p.settings.expires_in = Some(Duration::from_secs(3600));
        let req = SignableRequest::new("GET", "/", &headers, b"");
        let out = presign(&req, &p).expect("presigns");
        assert_eq!(
            out.uri,
            "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request\
             &X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600\
             &X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d"
        );
        for (uri, prefix) in [
            ("/?", "/?X-Amz-Algorithm"),
            ("/?a=1", "/?a=1&X-Amz-Algorithm"),
            ("/?a=1&", "/?a=1&X-Amz-Algorithm"),
        ] {
            let req = SignableRequest::new("GET", uri, &headers, b"");
            let out = presign(&req, &p).expect("presigns");
            assert!(out.uri.starts_with(prefix), "{}", out.uri);
        }
    }

    #[test]
    fn errors_are_typed_not_panics() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let good_headers = host();
        let p = params(&credentials);
        let expect_err = |req: &SignableRequest<'_>, p: &SigningParams<'_>, needle: &str| {
            let err = sign(req, p).expect_err(needle).to_string();
            assert!(err.contains(needle), "{err} should mention {needle}");
            assert!(!err.contains(SECRET), "{err}");
        };

        let mut before = p;
        before.time = UNIX_EPOCH - Duration::from_secs(1);
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &before,
            "before 1970",
        );
        let mut far = p;
        far.time = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &far,
            "9999",
        );

        expect_err(
            &SignableRequest::new("GE T", "/", &good_headers, b""),
            &p,
            "method",
        );
        expect_err(
            &SignableRequest::new("GET", "x", &good_headers, b""),
            &p,
            "must start with `/`",
        );
        expect_err(&SignableRequest::new("GET", "/", &[], b""), &p, "no Host");

        let bad_value = vec![
            ("Host".to_owned(), "example.amazonaws.com".to_owned()),
            ("X-Injected".to_owned(), "secret-ish\r\nEvil: 1".to_owned()),
        ];
        expect_err(
            &SignableRequest::new("GET", "/", &bad_value, b""),
            &p,
            "\"X-Injected\"",
        );
        let err = sign(&SignableRequest::new("GET", "/", &bad_value, b""), &p).expect_err("bad");
        assert!(!err.to_string().contains("secret-ish"));
        let bad_name = vec![("Bad Name".to_owned(), "v".to_owned())];
        expect_err(
            &SignableRequest::new("GET", "/", &bad_name, b""),
            &p,
            "not an HTTP token",
        );

        let mut bad_region = p;
        bad_region.region = "us east";
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &bad_region,
            "region",
        );
        let mut bad_service = p;
        bad_service.service = "";
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &bad_service,
            "service",
        );
        let slashy = Credentials::new("AK/ID", SECRET, None);
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &params(&slashy),
            "access key id",
        );
        let bad_token = Credentials::new("AKID", SECRET, Some("a\nb".to_owned()));
        expect_err(
            &SignableRequest::new("GET", "/", &good_headers, b""),
            &params(&bad_token),
            "session token",
        );

        let req = SignableRequest::new("GET", "/", &good_headers, b"");
        assert!(presign(&req, &p)
            .expect_err("no expiry")
            .to_string()
            .contains("expires_in"));
        let mut long = p;
        long.settings.expires_in = Some(MAX_PRESIGN_EXPIRY + Duration::from_secs(1));
        assert!(presign(&req, &long).is_err());
        long.settings.expires_in = Some(Duration::from_millis(999));
        assert!(presign(&req, &long).is_err());
        long.settings.expires_in = Some(MAX_PRESIGN_EXPIRY);
        assert!(presign(&req, &long).is_ok());
        let conflict = SignableRequest::new("GET", "/?X-Amz-Date=x", &good_headers, b"");
        assert!(presign(&conflict, &long)
            .expect_err("conflict")
            .to_string()
            .contains("X-Amz-Date"));
    }

    #[test]
    fn hostile_uris_do_not_panic() {
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, None);
        let headers = host();
        let mut p = params(&credentials);
        p.settings.expires_in = Some(Duration::from_secs(1));
        for uri in [
            "/%",
            "/%4",
            "/%%%",
            "/?%",
            "/?=&=&",
            "/?a=%e1%88",
            "/\u{0}",
            "/?#",
            "/..%2F..",
            "/ሴ?ሴ=ሴ",
            "/\u{10ffff}",
        ] {
            for settings in [SigningSettings::default(), SigningSettings::s3()] {
                p.settings = SigningSettings {
                    expires_in: Some(Duration::from_secs(1)),
                    ..settings
                };
                let req = SignableRequest::new("GET", uri, &headers, b"");
                let _ = sign(&req, &p);
                let _ = presign(&req, &p);
            }
        }
    }

    #[test]
    fn redaction_helper() {
        assert_eq!(
            redact_token("/?a=1&X-Amz-Security-Token=abc&b=2"),
            format!("/?a=1&X-Amz-Security-Token={REDACTED}&b=2")
        );
        assert_eq!(
            redact_token("x-amz-security-token:abc\nx-amz-date:1"),
            format!("x-amz-security-token:{REDACTED}\nx-amz-date:1")
        );
        assert_eq!(
            redact_token("X-Amz-Security-Token="),
            "X-Amz-Security-Token="
        );
    }
}
