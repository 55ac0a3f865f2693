//! No hangs: a server that accepts and never answers, one that stops halfway through a
//! response body, and one that never reads the request body all fail the attempt with a
//! retryable timeout (response-header limit, stalled-stream protection), with short limits
//! set here so the tests stay fast. The defaults are checked too.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lightsail::client::{Client, Config, Credentials, RetryConfig, SdkError, TimeoutConfig};
use smithgen_runtime::client::{ConnectorErrorKind, DEFAULT_STALL_GRACE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A server on 127.0.0.1 that hands every connection to `serve` and counts connections. Its
/// receive buffer is small, so a client's upload stalls soon when `serve` does not read.
async fn server<F, Fut>(serve: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(16).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream));
        }
    });
    (url, count)
}

/// Reads the request head (and whatever body came with it).
async fn read_head(stream: &mut TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

fn client(url: &str, timeouts: TimeoutConfig) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .endpoint_url(url)
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
            .max_attempts(2)
            .timeout_config(timeouts)
            .build(),
    )
}

fn expect_timeout(err: &SdkError<impl std::error::Error + 'static>, says: &str) {
    match err {
        SdkError::Dispatch(e) => {
            assert_eq!(e.kind(), ConnectorErrorKind::Timeout, "{e}");
            assert!(e.is_retryable());
            assert!(e.to_string().contains(says), "{e}");
        }
        other => panic!("expected a dispatch timeout, got {other:?}"),
    }
}

#[test]
fn protection_is_on_by_default() {
    let t = TimeoutConfig::default();
    assert_eq!(t.stalled_stream_grace(), Some(DEFAULT_STALL_GRACE));
    assert_eq!(DEFAULT_STALL_GRACE, Duration::from_secs(5));
    assert_eq!(t.response_headers(), Some(Duration::from_secs(60)));
    assert_eq!(t.connect(), Some(Duration::from_millis(3100)));
    let off = TimeoutConfig::disabled();
    assert_eq!(off.stalled_stream_grace(), None);
    assert_eq!(off.response_headers(), None);
}

#[tokio::test]
async fn a_server_that_never_answers_fails_waiting_for_headers_and_is_retried() {
    let (url, connections) = server(|mut stream| async move {
        read_head(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let timeouts = TimeoutConfig::default()
        .with_response_headers(Duration::from_millis(200))
        .with_stalled_stream_grace(Duration::from_millis(200));
    let started = Instant::now();
    let err = client(&url, timeouts)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    expect_timeout(&err, "no response headers");
    assert_eq!(connections.load(Ordering::SeqCst), 2, "retried once");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_response_body_that_stops_halfway_is_a_retryable_stall() {
    let (url, connections) = server(|mut stream| async move {
        read_head(&mut stream).await;
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                  Content-Length: 100\r\n\r\n{\"keyPair\":{\"na",
            )
            .await;
        let _ = stream.flush().await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let timeouts = TimeoutConfig::default().with_stalled_stream_grace(Duration::from_millis(200));
    let started = Instant::now();
    let err = client(&url, timeouts)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    expect_timeout(&err, "response body");
    expect_timeout(&err, "stalled-stream protection");
    assert_eq!(connections.load(Ordering::SeqCst), 2, "retried once");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_request_body_the_server_never_reads_is_a_stall() {
    let (url, _) = server(|stream| async move {
        // Accept, read nothing.
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let timeouts = TimeoutConfig::default()
        .with_stalled_stream_grace(Duration::from_millis(300))
        .with_response_headers(Duration::from_secs(30));
    let big = "a".repeat(16 * 1024 * 1024);
    let err = client(&url, timeouts)
        .create_key_pair()
        .key_pair_name(big)
        .send()
        .await
        .unwrap_err();
    expect_timeout(&err, "the request body");
    expect_timeout(&err, "made no progress");
}

#[tokio::test]
async fn a_slow_but_steady_body_is_not_a_stall() {
    // 12 pieces 50 ms apart: 600 ms in all, each gap under the 200 ms grace.
    let (url, _) = server(|mut stream| async move {
        read_head(&mut stream).await;
        let body = br#"{"operation":{"id":"op-1","status":"Succeeded"}}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        for piece in body.chunks(body.len().div_ceil(12)) {
            let _ = stream.write_all(piece).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let timeouts = TimeoutConfig::default().with_stalled_stream_grace(Duration::from_millis(200));
    let out = client(&url, timeouts)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("steady progress is not a stall");
    assert_eq!(out.attempts(), 1);
}
