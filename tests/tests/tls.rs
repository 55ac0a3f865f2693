//! The default HTTPS client against a TLS server on loopback, its certificate made here with
//! rcgen and trusted through the client's configurable root store (`TlsConfig`): a call that
//! succeeds, a certificate for another host and an expired one rejected, and one TLS
//! connection reused for consecutive calls (HTTP/1.1 keep-alive).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lightsail::client::{Client, Config, Credentials, RetryConfig, SdkError, TlsConfig};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use smithgen_runtime::client::ConnectorErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const CREATED: &str = r#"{"operation":{"id":"op-1","status":"Succeeded"}}"#;

/// A CA, and a leaf certificate for `host` signed by it; `expired` backdates the leaf.
struct Pki {
    ca_der: Vec<u8>,
    leaf: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn pki(host: &str, expired: bool) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![host.to_owned()]).unwrap();
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let leaf = params.signed_by(&leaf_key, &issuer).unwrap();
    Pki {
        ca_der: ca.der().to_vec(),
        leaf: leaf.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
    }
}

/// A TLS server on 127.0.0.1 answering every request on a connection with `CREATED`, keeping
/// connections alive. Returns its port and a count of TCP connections accepted.
async fn tls_server(pki: &Pki) -> (u16, Arc<AtomicUsize>) {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![pki.leaf.clone()], pki.key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // One request: head, then Content-Length bytes of body.
                    let head_end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + length {
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..head_end + length);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                         Content-Length: {}\r\n\r\n{CREATED}",
                        CREATED.len()
                    );
                    if tls.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                    let _ = tls.flush().await;
                }
            });
        }
    });
    (port, connections)
}

fn client(url: String, ca_der: &[u8]) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .max_attempts(1)
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .connect_timeout(Duration::from_secs(2))
            .tls_config(
                TlsConfig::default()
                    .with_webpki_roots(false)
                    .with_root_certificate(ca_der.to_vec()),
            )
            .build(),
    )
}

#[tokio::test]
async fn a_call_over_tls_succeeds_and_reuses_the_connection() {
    let pki = pki("localhost", false);
    let (port, connections) = tls_server(&pki).await;
    let client = client(format!("https://localhost:{port}"), &pki.ca_der);
    for _ in 0..3 {
        let out = client
            .create_key_pair()
            .key_pair_name("k")
            .send()
            .await
            .expect("the call succeeds over TLS");
        assert_eq!(out.status(), 200);
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "three calls over one kept-alive TLS connection"
    );
}

async fn rejected(url: String, pki: &Pki) -> String {
    let err = client(url, &pki.ca_der)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Dispatch(e) => assert_eq!(e.kind(), ConnectorErrorKind::Connect, "{e}"),
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    err.to_string()
}

#[tokio::test]
async fn a_certificate_for_another_host_is_rejected() {
    let pki = pki("localhost", false);
    let (port, _) = tls_server(&pki).await;
    // The certificate names `localhost`, not the address.
    let message = rejected(format!("https://127.0.0.1:{port}"), &pki).await;
    assert!(message.contains("certificate"), "{message}");
    assert!(message.contains("not valid for name"), "{message}");
}

#[tokio::test]
async fn an_expired_certificate_is_rejected() {
    let pki = pki("localhost", true);
    let (port, _) = tls_server(&pki).await;
    let message = rejected(format!("https://localhost:{port}"), &pki).await;
    assert!(message.contains("expired"), "{message}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_rejected() {
    let pki = pki("localhost", false);
    let (port, _) = tls_server(&pki).await;
    let other = self::pki("localhost", false);
    let err = client(format!("https://localhost:{port}"), &other.ca_der)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("invalid peer certificate"),
        "{err}"
    );
}

#[test]
fn invalid_root_certificates_are_reported_not_panicked_on() {
    let err = TlsConfig::default()
        .with_root_certificates_pem(b"-----BEGIN CERTIFICATE-----\nAQID\n")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no `-----END CERTIFICATE-----` line"),
        "{err}"
    );
}
