//! The default [`HttpClient`]: hyper's pooled HTTP/1.1 client over rustls (ring, webpki roots).
//! `https://` and, for local endpoints such as test servers, plain `http://` URLs.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::http::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
};

/// hyper with rustls. Cheap to clone (clones share the connection pool).
#[derive(Clone)]
pub struct HyperClient {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    max_body: usize,
}

impl std::fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HyperClient")
    }
}

impl HyperClient {
    /// A client whose connection attempts give up after `connect_timeout` (none: the operating
    /// system's own limit).
    pub fn new(connect_timeout: Option<Duration>) -> Result<HyperClient, ConnectorError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| {
                ConnectorError::new(ConnectorErrorKind::Other, "cannot set up TLS").with_source(e)
            })?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https);
        Ok(HyperClient {
            client,
            max_body: super::config::DEFAULT_MAX_RESPONSE_BODY,
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
            let mut builder = hyper::Request::builder()
                .method(request.method)
                .uri(request.url.as_str());
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let req = builder
                .body(Full::new(Bytes::from(request.body)))
                .map_err(|e| {
                    ConnectorError::new(ConnectorErrorKind::Other, "invalid HTTP request")
                        .with_source(e)
                })?;
            let response = self.client.request(req).await.map_err(|e| {
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
            let announced = parts
                .headers
                .get(hyper::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if announced.is_some_and(|n| n > self.max_body as u64) {
                return Err(self.too_large(&request.url));
            }
            let body = Limited::new(body, self.max_body)
                .collect()
                .await
                .map_err(|e| {
                    if e.downcast_ref::<LengthLimitError>().is_some() {
                        self.too_large(&request.url)
                    } else {
                        ConnectorError::new(
                            ConnectorErrorKind::Io,
                            "the response body was cut short",
                        )
                        .with_source(e)
                    }
                })?;
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
            Ok(HttpResponse {
                status: parts.status.as_u16(),
                headers,
                body: body.to_bytes().to_vec(),
            })
        })
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
