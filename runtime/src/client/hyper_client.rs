//! The default [`HttpClient`]: hyper's pooled HTTP/1.1 client over rustls (the application's
//! process-wide crypto provider, else aws-lc-rs; the webpki roots and any roots configured).
//! `https://` and, for local endpoints such as test servers, plain `http://` URLs.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use std::pin::Pin;

use std::future::Future as _;

use futures_core::Stream as _;
use hyper::body::{Body as _, Bytes, Frame, Incoming};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use super::config::TlsConfig;
use crate::ByteStream;

use super::http::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
};

/// hyper with rustls. Cheap to clone (clones share the connection pool).
#[derive(Clone)]
pub struct HyperClient {
    client: Client<HttpsConnector<HttpConnector>, UploadBody>,
    max_body: usize,
    header_timeout: Option<Duration>,
    stall_grace: Option<Duration>,
}

impl std::fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HyperClient")
    }
}

impl HyperClient {
    /// A client whose connection attempts give up after `connect_timeout` (none: the operating
    /// system's own limit), trusting the webpki (Mozilla) root certificates.
    pub fn new(connect_timeout: Option<Duration>) -> Result<HyperClient, ConnectorError> {
        HyperClient::with_tls(connect_timeout, &TlsConfig::default())
    }

    /// A client trusting the root certificates `tls` names.
    pub fn with_tls(
        connect_timeout: Option<Duration>,
        tls: &TlsConfig,
    ) -> Result<HyperClient, ConnectorError> {
        let tls_error = |message: String| ConnectorError::new(ConnectorErrorKind::Other, message);
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        // The application's process-wide provider if it installed one, else aws-lc-rs.
        let provider = CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
        let mut roots = RootCertStore::empty();
        if tls.webpki_roots() {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for (i, der) in tls.root_certificates().iter().enumerate() {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|e| tls_error(format!("root certificate {} is invalid: {e}", i + 1)))?;
        }
        if roots.is_empty() {
            return Err(tls_error(
                "no root certificates to trust: the webpki roots are off and none were added"
                    .to_owned(),
            ));
        }
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(format!("cannot set up TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https);
        Ok(HyperClient {
            client,
            max_body: super::config::DEFAULT_MAX_RESPONSE_BODY,
            header_timeout: Some(super::config::DEFAULT_RESPONSE_HEADER_TIMEOUT),
            stall_grace: Some(super::config::DEFAULT_STALL_GRACE),
        })
    }

    /// Reads response bodies of at most `bytes` (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`](super::config::DEFAULT_MAX_RESPONSE_BODY)); a response
    /// announcing or sending more fails with a [`ConnectorErrorKind::Other`] error, which is not
    /// retried.
    pub fn with_max_response_body(mut self, bytes: usize) -> HyperClient {
        self.max_body = bytes;
        self
    }

    /// Limits waiting for the response's headers once the request body has been handed over
    /// (default [`DEFAULT_RESPONSE_HEADER_TIMEOUT`](super::config::DEFAULT_RESPONSE_HEADER_TIMEOUT));
    /// past it the attempt fails with a retryable [`ConnectorErrorKind::Timeout`].
    pub fn with_response_header_timeout(mut self, timeout: Option<Duration>) -> HyperClient {
        self.header_timeout = timeout;
        self
    }

    /// Stalled-stream protection (default
    /// [`DEFAULT_STALL_GRACE`](super::config::DEFAULT_STALL_GRACE)): a request body the
    /// connection takes no byte of, or a response body no byte of arrives, for `grace` fails the
    /// attempt with a retryable [`ConnectorErrorKind::Timeout`]. `None` turns it off.
    pub fn with_stalled_stream_grace(mut self, grace: Option<Duration>) -> HyperClient {
        self.stall_grace = grace;
        self
    }

    fn too_large(&self, url: &str) -> ConnectorError {
        ConnectorError::new(
            ConnectorErrorKind::Other,
            format!(
                "the response from {url} is larger than the {} bytes a response body may have \
                 (ConfigBuilder::max_response_body)",
                self.max_body
            ),
        )
    }
}

impl HttpClient for HyperClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            let url = request.url.clone();
            let (status, headers, mut body) = self
                .exchange(HttpRequest {
                    method: request.method,
                    url: request.url,
                    headers: request.headers,
                    body: ByteStream::from(request.body),
                })
                .await?;
            let announced = crate::protocol::header(&headers, "content-length")
                .and_then(|v| v.parse::<u64>().ok());
            if announced.is_some_and(|n| n > self.max_body as u64) {
                return Err(self.too_large(&url));
            }
            let mut bytes = Vec::with_capacity(announced.unwrap_or(0) as usize);
            loop {
                let frame = match self.stall_grace {
                    None => body.frame().await,
                    Some(grace) => match tokio::time::timeout(grace, body.frame()).await {
                        Ok(frame) => frame,
                        Err(_) => return Err(stalled_response(&url, grace)),
                    },
                };
                let Some(frame) = frame else { break };
                let frame = frame.map_err(|e| {
                    ConnectorError::new(ConnectorErrorKind::Io, "the response body was cut short")
                        .with_source(e)
                })?;
                if let Ok(data) = frame.into_data() {
                    if bytes.len() + data.len() > self.max_body {
                        return Err(self.too_large(&url));
                    }
                    bytes.extend_from_slice(&data);
                }
            }
            Ok(HttpResponse {
                status,
                headers,
                body: bytes,
            })
        })
    }

    fn send_streaming(
        &self,
        request: HttpRequest<ByteStream>,
    ) -> BoxFuture<'_, Result<HttpResponse<ByteStream>, ConnectorError>> {
        Box::pin(async move {
            let url = request.url.clone();
            let (status, headers, body) = self.exchange(request).await?;
            let body = ByteStream::from_stream(DownloadBody {
                body,
                grace: self.stall_grace,
                timer: None,
                url,
            });
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// The error of a response body that stopped arriving.
fn stalled_response(url: &str, grace: Duration) -> ConnectorError {
    ConnectorError::new(
        ConnectorErrorKind::Timeout,
        format!(
            "the response body from {url} made no progress for {grace:?} (stalled-stream \
             protection)"
        ),
    )
}

impl HyperClient {
    /// Sends `request` (its body streamed) and waits for the response's status and headers.
    async fn exchange(
        &self,
        request: HttpRequest<ByteStream>,
    ) -> Result<(u16, Vec<(String, String)>, Incoming), ConnectorError> {
        let mut builder = hyper::Request::builder()
            .method(request.method)
            .uri(request.url.as_str());
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let progress = Arc::new(Progress::new(request.body.length() == Some(0)));
        let body = UploadBody {
            length: request.body.length(),
            stream: request.body,
            pending: Bytes::new(),
            done: false,
            progress: progress.clone(),
        };
        let req = builder.body(body).map_err(|e| {
            ConnectorError::new(ConnectorErrorKind::Other, "invalid HTTP request").with_source(e)
        })?;
        let response = self
            .watch(self.client.request(req), &progress, &request.url)
            .await?
            .map_err(|e| {
                let kind = if e.is_connect() {
                    if is_timeout(&e) {
                        ConnectorErrorKind::Timeout
                    } else {
                        ConnectorErrorKind::Connect
                    }
                } else {
                    ConnectorErrorKind::Io
                };
                let message = match kind {
                    ConnectorErrorKind::Connect => format!("cannot connect to {}", request.url),
                    ConnectorErrorKind::Timeout => {
                        format!("connecting to {} timed out", request.url)
                    }
                    _ => format!("request to {} failed", request.url),
                };
                ConnectorError::new(kind, message).with_source(e)
            })?;
        let (parts, body) = response.into_parts();
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Ok((parts.status.as_u16(), headers, body))
    }
}

/// A response body read by the caller as a stream: hyper's frames as chunks, with
/// stalled-stream protection (no byte for the grace period fails the read with
/// [`std::io::ErrorKind::TimedOut`]).
struct DownloadBody {
    body: Incoming,
    grace: Option<Duration>,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    url: String,
}

impl futures_core::Stream for DownloadBody {
    type Item = std::io::Result<Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        loop {
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => {
                    return Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        ConnectorError::new(
                            ConnectorErrorKind::Io,
                            format!("the response body from {} was cut short", this.url),
                        )
                        .with_source(e),
                    ))))
                }
                Poll::Ready(Some(Ok(frame))) => {
                    this.timer = None;
                    match frame.into_data() {
                        Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                        // Trailers and empty frames: nothing for the reader.
                        _ => continue,
                    }
                }
                Poll::Pending => {
                    let Some(grace) = this.grace else {
                        return Poll::Pending;
                    };
                    let timer = this
                        .timer
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(grace)));
                    if timer.as_mut().poll(cx).is_ready() {
                        this.timer = None;
                        return Poll::Ready(Some(Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            stalled_response(&this.url, grace),
                        ))));
                    }
                    return Poll::Pending;
                }
            }
        }
    }
}

impl HyperClient {
    /// Drives `request` until the response's headers arrive, failing when the request body
    /// stalls for the grace period or the headers take longer than the header timeout after
    /// the body was handed over.
    async fn watch<F: std::future::Future>(
        &self,
        request: F,
        progress: &Progress,
        url: &str,
    ) -> Result<F::Output, ConnectorError> {
        let mut request = std::pin::pin!(request);
        loop {
            let (last, sent) = progress.get();
            let deadline = match sent {
                Some(at) => self.header_timeout.map(|t| (at + t, false)),
                None => self.stall_grace.map(|g| (last + g, true)),
            };
            let Some((deadline, stalled)) = deadline else {
                return Ok(request.await);
            };
            if Instant::now() >= deadline {
                // Progress may have happened since `get`; look again before failing.
                if progress.get() != (last, sent) {
                    continue;
                }
                let message = if stalled {
                    format!(
                        "the request body to {url} made no progress for {:?} (stalled-stream \
                         protection)",
                        self.stall_grace.unwrap_or_default()
                    )
                } else {
                    format!(
                        "no response headers from {url} within {:?} of sending the request",
                        self.header_timeout.unwrap_or_default()
                    )
                };
                return Err(ConnectorError::new(ConnectorErrorKind::Timeout, message));
            }
            if let Ok(output) = tokio::time::timeout_at(deadline.into(), request.as_mut()).await {
                return Ok(output);
            }
        }
    }
}

/// When the request body last made progress, and when it was all handed to the connection.
struct Progress(Mutex<(Instant, Option<Instant>)>);

impl Progress {
    fn new(empty: bool) -> Progress {
        let now = Instant::now();
        Progress(Mutex::new((now, empty.then_some(now))))
    }

    fn get(&self) -> (Instant, Option<Instant>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn advance(&self, done: bool) {
        let mut state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        state.0 = now;
        if done && state.1.is_none() {
            state.1 = Some(now);
        }
    }
}

/// The request body, handed to hyper in chunks of at most 64 KiB so that a connection that
/// stops taking bytes shows as no progress. When its size is known hyper sends
/// `Content-Length`, else the body goes chunked.
struct UploadBody {
    stream: ByteStream,
    length: Option<u64>,
    /// What is left of the chunk the stream gave last.
    pending: Bytes,
    done: bool,
    progress: Arc<Progress>,
}

const UPLOAD_CHUNK: usize = 64 * 1024;

impl hyper::body::Body for UploadBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        use std::task::Poll;
        let this = self.get_mut();
        while this.pending.is_empty() {
            if this.done {
                this.progress.advance(true);
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.stream).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.done = true,
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(chunk))) => this.pending = chunk,
            }
        }
        let chunk = this.pending.split_to(this.pending.len().min(UPLOAD_CHUNK));
        if let Some(left) = &mut this.length {
            *left = left.saturating_sub(chunk.len() as u64);
        }
        // hyper does not poll again once `is_end_stream` says the body is done.
        this.progress.advance(this.is_end_stream());
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && (self.done || self.length == Some(0))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self.length {
            Some(n) => hyper::body::SizeHint::with_exact(n),
            None => hyper::body::SizeHint::default(),
        }
    }
}

fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        if e.to_string().contains("timed out") {
            return true;
        }
        source = e.source();
    }
    false
}
