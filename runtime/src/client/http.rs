//! The HTTP layer under the client: a small object-safe trait, so that the default hyper-based
//! client, a user's own client and the test [`Stubber`](super::Stubber) are interchangeable.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::ByteStream;

/// A boxed, sendable future (what [`HttpClient::send`] returns).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request ready to go on the wire: absolute URL, every header (signed), the body (bytes in
/// memory, or a [`ByteStream`] for [`HttpClient::send_streaming`]).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest<B = Vec<u8>> {
    /// `POST` for the AWS JSON protocols.
    pub method: &'static str,
    /// The absolute URL (`https://lightsail.us-east-1.amazonaws.com/`).
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: B,
}

impl<B> HttpRequest<B> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::protocol::header(&self.headers, name)
    }
}

/// What `Debug` shows of a body: its size, never its bytes.
trait BodySize {
    fn describe(&self) -> String;
}

impl BodySize for Vec<u8> {
    fn describe(&self) -> String {
        format!("{} bytes", self.len())
    }
}

impl BodySize for ByteStream {
    fn describe(&self) -> String {
        match self.length() {
            Some(n) => format!("{n} bytes"),
            None => "a stream".to_owned(),
        }
    }
}

#[allow(private_bounds)]
impl<B: BodySize> fmt::Debug for HttpRequest<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Signatures and session tokens are credentials: show the header names only.
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &format_args!("{}", self.body.describe()))
            .finish()
    }
}

/// A response: its body read to the end (what [`HttpClient::send`] returns), or a
/// [`ByteStream`] still arriving ([`HttpClient::send_streaming`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse<B = Vec<u8>> {
    /// The status code.
    pub status: u16,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: B,
}

impl<B> HttpResponse<B> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::protocol::header(&self.headers, name)
    }
}

/// Sends requests. Implementations must be cheap to share (the client keeps one behind an
/// `Arc`).
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends one request and reads its whole response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>>;

    /// Sends a request whose body may be a stream, and returns as soon as the response's
    /// headers are in, its body to be read by the caller (operations with `@streaming`
    /// payloads). The default reads the request body into memory and calls
    /// [`send`](Self::send); the default client ([`HyperClient`](super::hyper_client)) streams
    /// both ways, and applies no response size limit to a body read this way.
    fn send_streaming(
        &self,
        request: HttpRequest<ByteStream>,
    ) -> BoxFuture<'_, Result<HttpResponse<ByteStream>, ConnectorError>> {
        Box::pin(async move {
            let HttpRequest {
                method,
                url,
                headers,
                body,
            } = request;
            let body = body.collect().await.map_err(|e| {
                ConnectorError::new(ConnectorErrorKind::Other, "cannot read the request body")
                    .with_source(e)
            })?;
            let response = self
                .send(HttpRequest {
                    method,
                    url,
                    headers,
                    body: body.to_vec(),
                })
                .await?;
            Ok(HttpResponse {
                status: response.status,
                headers: response.headers,
                body: ByteStream::from(response.body),
            })
        })
    }
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
