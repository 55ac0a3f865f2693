//! A generated S3 client uploads and downloads a 1 GiB object as a stream against
//! `s3_server.py`, a local S3 stand-in that checks every request's signature with botocore's
//! signer and every upload's CRC32: the upload goes `aws-chunked` with its checksum as a
//! trailer, the download's checksum is checked as it is read, and the process's memory stays
//! far below the object's size. Needs `python3` with botocore, so it is ignored by default;
//! .ci/run runs it (`cargo test --test s3_loopback -- --ignored`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use smithgen_aws_streaming::s3::client::{Client, Config, Credentials};
use smithgen_aws_streaming::s3::types::ChecksumMode;
use smithgen_runtime::ByteStream;

const SIZE: u64 = 1024 * 1024 * 1024;

/// The server, stopped when dropped.
struct S3Server {
    child: Child,
    port: u16,
}

impl S3Server {
    fn start(size: u64) -> S3Server {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/s3_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg("--size")
            .arg(size.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs s3_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the server says its port");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("s3_server.py did not start (needs botocore): {line:?}"));
        S3Server { child, port }
    }

    fn client(&self) -> Client {
        Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials(Credentials::new(
                    "AKIDLOOPBACK",
                    "loopback/secret/key",
                    None,
                ))
                .endpoint_url(format!("http://127.0.0.1:{}", self.port))
                .endpoint_param("ForcePathStyle", true)
                .build(),
        )
    }

    /// What the server saw, one JSON object per request.
    async fn log(&self) -> Vec<serde_json::Value> {
        let body = tokio::task::spawn_blocking({
            let port = self.port;
            move || {
                use std::io::{Read, Write};
                let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                write!(
                    s,
                    "GET /__log HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
                let mut text = String::new();
                s.read_to_string(&mut text).unwrap();
                text
            }
        })
        .await
        .unwrap();
        let json = body.split_once("\r\n\r\n").unwrap().1;
        serde_json::from_str(json).expect("the log is JSON")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
#[ignore = "needs python3 with botocore (.ci/run runs it)"]
async fn a_1_gib_object_goes_up_and_down_signed_and_checksummed_in_bounded_memory() {
    let (start, _) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let server = S3Server::start(SIZE);
    let client = server.client();

    // Up: a one-shot stream, read 64 KiB at a time, sent aws-chunked with a CRC32 trailer.
    let put = client
        .put_object()
        .bucket("loopback")
        .key("big/object.bin")
        .body(smithgen_aws_streaming::pattern_body(SIZE))
        .send()
        .await
        .expect("the upload is accepted");
    assert_eq!(put.e_tag.as_deref(), Some("\"loopback\""));

    // Down: read as it arrives, its CRC32 checked at the end.
    let mut object = client
        .get_object()
        .bucket("loopback")
        .key("big/object.bin")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .expect("the headers arrive")
        .into_inner();
    assert_eq!(object.content_length, Some(SIZE as i64));
    let mut read = 0u64;
    let mut wrong = None;
    while let Some(chunk) = object.body.next().await {
        let chunk = chunk.expect("every chunk, and the checksum at the end");
        if wrong.is_none() {
            wrong = smithgen_aws_streaming::first_mismatch(read, &chunk);
        }
        read += chunk.len() as u64;
    }
    assert_eq!((read, wrong), (SIZE, None));

    let (_, peak) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let grown = peak.saturating_sub(start);
    assert!(
        grown < 64 * 1024 * 1024,
        "peak memory grew by {grown} bytes for a {SIZE}-byte upload and download"
    );

    let log = server.log().await;
    assert_eq!(log.len(), 2, "{log:?}");
    for entry in &log {
        assert_eq!(entry["signature_ok"], true, "{}", entry["why"]);
    }
    let upload = &log[0];
    assert_eq!(upload["aws_chunked"], true);
    assert_eq!(upload["decoded_length"], SIZE);
    assert_eq!(upload["checksum_ok"], true);
    assert_eq!(upload["pattern_ok"], true);
    let headers = &upload["headers"];
    let header = |name: &str| {
        headers
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        header("x-amz-content-sha256").as_deref(),
        Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    );
    assert_eq!(
        header("x-amz-trailer").as_deref(),
        Some("x-amz-checksum-crc32")
    );
    assert_eq!(
        header("x-amz-decoded-content-length"),
        Some(SIZE.to_string())
    );
}

#[tokio::test]
#[ignore = "needs python3 with botocore (.ci/run runs it)"]
async fn small_bodies_carry_their_checksum_and_a_wrong_download_checksum_fails_the_read() {
    let server = S3Server::start(100_000);
    let client = server.client();
    client
        .put_object()
        .bucket("loopback")
        .key("small")
        .body(ByteStream::from(smithgen_aws_streaming::pattern(0, 5000)))
        .send()
        .await
        .expect("the upload is accepted");
    let mut object = client
        .get_object()
        .bucket("loopback")
        .key("corrupt")
        .send()
        .await
        .expect("the headers arrive")
        .into_inner();
    let mut failure = None;
    while let Some(chunk) = object.body.next().await {
        if let Err(e) = chunk {
            failure = Some(e);
            break;
        }
    }
    let failure = failure.expect("the read fails at the end");
    assert_eq!(failure.kind(), std::io::ErrorKind::InvalidData);
    assert!(failure.to_string().contains("CRC32 checksum"), "{failure}");

    let log = server.log().await;
    assert_eq!(log.len(), 2, "{log:?}");
    let upload = &log[0];
    assert_eq!(upload["signature_ok"], true, "{}", upload["why"]);
    // In memory: the checksum in a header, the body's SHA-256 signed.
    assert_eq!(upload["aws_chunked"], false);
    assert_eq!(upload["checksum_ok"], true);
    assert_eq!(upload["pattern_ok"], true);
    assert_eq!(log[1]["signature_ok"], true, "{}", log[1]["why"]);
}
