//! The HTTP layer under the client: a small object-safe trait, so that the default hyper-based
//! client, a user's own client and the test [`Stubber`](super::Stubber) are interchangeable.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future (what [`HttpClient::send`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request ready to go on the wire: absolute URL, every header (signed), the body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST` for the AWS JSON protocols.
    pub method: &'static str,
    /// The absolute URL (`https://lightsail.us-east-1.amazonaws.com/`).
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::protocol::header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Signatures and session tokens are credentials: show the header names only.
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

/// A whole response, its body read to the end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::protocol::header(&self.headers, name)
    }
}

/// Sends requests. Implementations must be cheap to share (the client keeps one behind an
/// `Arc`) and must read the whole response body before returning.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends one request and reads its response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>>;
}

/// What kind of failure a [`ConnectorError`] is; it decides whether the request is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectorErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake). Retried.
    Connect,
    /// The connection timed out. Retried.
    Timeout,
    /// The connection broke while the request or response was in flight (for example the
    /// server closed it mid-body). Retried.
    Io,
    /// Anything else (an invalid URL, a stub with no expectation left). Not retried.
    Other,
}

/// A request that did not produce a response.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ConnectorError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: ConnectorErrorKind, message: impl Into<String>) -> Self {
        ConnectorError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The kind.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }

    /// Whether the retry policy may try again.
    pub fn is_retryable(&self) -> bool {
        self.kind != ConnectorErrorKind::Other
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        // hyper's errors say little at the top level; show the chain.
        let mut source = self.source.as_deref().map(|e| e as &(dyn Error + 'static));
        while let Some(e) = source {
            write!(f, ": {e}")?;
            source = e.source();
        }
        Ok(())
    }
}

impl Error for ConnectorError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}
