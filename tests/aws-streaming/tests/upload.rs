//! A 100 MB upload through Lambda's `InvokeAsync` (`@streaming` `InvokeArgs`), from a stream
//! generated as it is read: every byte arrives in order, the request says its length and that
//! its payload is not hashed, and the process's memory stays far below the body's size.

// InvokeAsync is deprecated in the model (Lambda recommends Invoke); it is still the one
// operation whose input is a plain streamed blob.
#![allow(deprecated)]

use smithgen_aws_streaming::lambda::client::{Client, Config, Credentials};
use smithgen_aws_streaming::server::Server;

const SIZE: u64 = 100 * 1024 * 1024;

#[tokio::test]
async fn a_100_mb_upload_streams_in_bounded_memory() {
    let (start, _) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let server = Server::start(0);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url(server.url())
            .build(),
    );
    let body = smithgen_aws_streaming::pattern_body(SIZE);
    let output = client
        .invoke_async()
        .function_name("my-function")
        .invoke_args(body)
        .send()
        .await
        .expect("the upload succeeds")
        .into_inner();
    assert_eq!(output.status, 202);
    let upload = &server.uploads()[0];
    assert_eq!(
        (upload.method.as_str(), upload.path.as_str()),
        ("POST", "/2014-11-13/functions/my-function/invoke-async")
    );
    assert_eq!(upload.length, SIZE);
    assert!(upload.matched, "every byte arrived, in order");
    assert_eq!(upload.header("Content-Length"), Some("104857600"));
    assert_eq!(
        upload.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    let (_, peak) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let grown = peak.saturating_sub(start);
    assert!(
        grown < 32 * 1024 * 1024,
        "peak memory grew by {grown} bytes for a {SIZE}-byte upload"
    );
}
