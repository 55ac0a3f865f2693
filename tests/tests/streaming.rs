//! `@streaming` blob payloads of a generated restJson1 client (`fixtures/rest-json/library.smithy`:
//! `UploadScan`, `StoreScan`, `DownloadScan`) against a real HTTP server on 127.0.0.1: uploads
//! from memory, a file and a one-shot stream (how each is sent, signed and retried), the
//! `@requiresLength` check, and downloads read chunk by chunk past the response size limit.

use smithgen_runtime::byte_stream::Bytes;
use smithgen_runtime::client::SdkError;
use smithgen_runtime::ByteStream;
use smithgen_tests::library::client::{Client, Config, Credentials};
use smithgen_tests::library::operation::download_scan::DownloadScanError;
use smithgen_tests::server::{Action, Server};

fn config(server: &Server) -> smithgen_tests::library::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .endpoint_url(server.url())
}

fn ok() -> Action {
    Action::Respond {
        status: 200,
        headers: vec![("X-Digest".into(), "d1".into())],
        body: Vec::new(),
    }
}

fn data(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 % 251) as u8).collect()
}

/// The `SignedHeaders` of the request's `Authorization`.
fn signed_headers(received: &smithgen_tests::server::Received) -> String {
    let auth = received.header("Authorization").expect("signed");
    auth.split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders")
        .to_owned()
}

/// A one-shot stream of `parts`, as a user's `Stream` would be.
fn stream_of(parts: Vec<Vec<u8>>) -> ByteStream {
    struct Parts(std::vec::IntoIter<Vec<u8>>);
    impl futures_core::Stream for Parts {
        type Item = std::io::Result<Bytes>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next().map(|p| Ok(Bytes::from(p))))
        }
    }
    ByteStream::from_stream(Parts(parts.into_iter()))
}

#[tokio::test]
async fn a_body_in_memory_is_sent_and_signed_as_any_body() {
    let server = Server::start([ok()]);
    let client = Client::new(config(&server).build());
    let output = client
        .upload_scan()
        .id("s1")
        .data("page one")
        .send()
        .await
        .expect("the upload succeeds")
        .into_inner();
    assert_eq!(output.digest.as_deref(), Some("d1"));
    let sent = &server.received()[0];
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("PUT", "/scans/s1")
    );
    assert_eq!(sent.body, b"page one");
    assert_eq!(
        sent.header("Content-Type"),
        Some("application/octet-stream")
    );
    assert_eq!(sent.header("Content-Length"), Some("8"));
    // Its hash is signed: no `UNSIGNED-PAYLOAD`.
    assert_eq!(sent.header("x-amz-content-sha256"), None);
}

#[tokio::test]
async fn a_file_is_streamed_with_its_length_unsigned_and_read_again_on_a_retry() {
    let dir = std::env::temp_dir().join(format!("smithgen-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scan.bin");
    let bytes = data(300_000);
    std::fs::write(&path, &bytes).unwrap();
    let server = Server::start([Action::error(503, "ServiceUnavailable", "busy"), ok()]);
    let client = Client::new(config(&server).build());
    client
        .upload_scan()
        .id("s2")
        .data(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .expect("the second attempt succeeds");
    let received = server.received();
    assert_eq!(
        received.len(),
        2,
        "a file is sent again after a retryable error"
    );
    for sent in &received {
        assert!(sent.body == bytes, "every attempt sends the whole file");
        assert_eq!(sent.header("Content-Length"), Some("300000"));
        assert_eq!(
            sent.header("x-amz-content-sha256"),
            Some("UNSIGNED-PAYLOAD")
        );
        assert!(
            signed_headers(sent).contains("x-amz-content-sha256"),
            "{}",
            signed_headers(sent)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_stream_of_unknown_length_goes_chunked_and_is_not_retried() {
    let parts: Vec<Vec<u8>> = (0..5).map(|i| vec![b'a' + i; 10_000]).collect();
    let whole = parts.concat();
    let server = Server::start([ok()]);
    let client = Client::new(config(&server).build());
    client
        .upload_scan()
        .id("s3")
        .data(stream_of(parts.clone()))
        .send()
        .await
        .expect("the upload succeeds");
    let sent = &server.received()[0];
    assert_eq!(sent.header("Transfer-Encoding"), Some("chunked"));
    assert_eq!(sent.header("Content-Length"), None);
    assert!(sent.body == whole);

    // A one-shot stream cannot be sent twice: a retryable error ends the call.
    let server = Server::start([Action::error(503, "ServiceUnavailable", "busy"), ok()]);
    let client = Client::new(config(&server).build());
    let err = client
        .upload_scan()
        .id("s4")
        .data(stream_of(parts))
        .send()
        .await
        .expect_err("not retried");
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn requires_length_refuses_a_stream_of_unknown_length_before_sending() {
    let server = Server::start([ok()]);
    let client = Client::new(config(&server).build());
    let err = client
        .store_scan()
        .id("a1")
        .data(stream_of(vec![b"abc".to_vec()]))
        .send()
        .await
        .expect_err("refused");
    let text = err.to_string();
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(text.contains("`data` must have a known length"), "{text}");
    assert!(server.received().is_empty());

    // Declared, the length is sent as `Content-Length`.
    client
        .store_scan()
        .id("a1")
        .data(stream_of(vec![b"abc".to_vec(), b"de".to_vec()]).with_length(5))
        .send()
        .await
        .expect("sent");
    let sent = &server.received()[0];
    assert_eq!(sent.header("Content-Length"), Some("5"));
    assert_eq!(sent.body, b"abcde");
}

#[tokio::test]
async fn a_download_is_read_chunk_by_chunk_past_the_response_size_limit() {
    let bytes = data(256 * 1024);
    let server = Server::start([Action::Chunked {
        body: bytes.clone(),
        chunk: 16 * 1024,
    }]);
    // Far below the body's size: the limit is for bodies the client reads itself.
    let client = Client::new(config(&server).max_response_body(1024).build());
    let mut output = client
        .download_scan()
        .id("s1")
        .send()
        .await
        .expect("the headers arrive")
        .into_inner();
    assert_eq!(
        output.content_type.as_deref(),
        Some("application/x-amz-json-1.1")
    );
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = output.data.next().await {
        read.extend_from_slice(&chunk.expect("a chunk"));
        chunks += 1;
    }
    assert!(read == bytes);
    assert!(chunks > 1, "the body arrived in {chunks} chunk(s)");
}

#[tokio::test]
async fn a_download_reads_as_async_read_and_its_errors_are_typed() {
    use tokio::io::AsyncReadExt as _;
    let server = Server::start([
        Action::Respond {
            status: 200,
            headers: vec![],
            body: b"scanned".to_vec(),
        },
        Action::Respond {
            status: 404,
            headers: vec![
                ("X-Amzn-ErrorType".into(), "NoSuchBook".into()),
                ("X-Book".into(), "s9".into()),
            ],
            body: br#"{"message":"no such scan"}"#.to_vec(),
        },
    ]);
    let client = Client::new(config(&server).build());
    let output = client.download_scan().id("s1").send().await.unwrap();
    let mut text = String::new();
    output
        .into_inner()
        .data
        .into_async_read()
        .read_to_string(&mut text)
        .await
        .unwrap();
    assert_eq!(text, "scanned");
    // An error response of a streaming operation is read whole and typed as usual.
    let err = client
        .download_scan()
        .id("s9")
        .send()
        .await
        .expect_err("404");
    match err.into_service_error() {
        Some(DownloadScanError::NoSuchBook(e)) => {
            assert_eq!(e.message.as_deref(), Some("no such scan"));
            assert_eq!(e.book.as_deref(), Some("s9"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_of_the_stream() {
    let server = Server::start([Action::CloseMidBody]);
    let client = Client::new(config(&server).build());
    let output = client
        .download_scan()
        .id("s1")
        .send()
        .await
        .expect("the headers arrive");
    let err = output
        .into_inner()
        .data
        .collect()
        .await
        .expect_err("cut short");
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{err}");
}
