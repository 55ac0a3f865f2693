//! The default [`HttpClient`]: hyper's pooled HTTP/1.1 client over rustls (the application's
//! process-wide crypto provider, else aws-lc-rs; the webpki roots and any roots configured).
//! `https://` and, for local endpoints such as test servers, plain `http://` URLs.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::RootCertStore;

use super::config::TlsConfig;

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
