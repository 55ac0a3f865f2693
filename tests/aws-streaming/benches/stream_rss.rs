//! Streams 1 GiB down (Polly `SynthesizeSpeech`) and 1 GiB up (Lambda `InvokeAsync`) through the
//! generated clients against a local server, and prints the throughput and the process's peak
//! resident memory of each (`VmHWM`, reset between the two). `cargo bench` in this folder.

#![allow(deprecated)] // InvokeAsync is deprecated in the model, and the one streamed upload.

use std::time::Instant;

use smithgen_aws_streaming::server::Server;

const SIZE: u64 = 1024 * 1024 * 1024;

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn reset_peak() {
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn report(what: &str, started: Instant, bytes: u64) {
    let secs = started.elapsed().as_secs_f64();
    let (rss, peak) = smithgen_aws_streaming::memory().unwrap_or_default();
    println!(
        "{what}: {:.0} MiB in {secs:.2} s ({:.0} MiB/s), peak RSS {:.1} MiB (now {:.1} MiB)",
        mib(bytes),
        mib(bytes) / secs,
        mib(peak),
        mib(rss)
    );
}

#[tokio::main]
async fn main() {
    let (rss, _) = smithgen_aws_streaming::memory().unwrap_or_default();
    println!("start: RSS {:.1} MiB", mib(rss));
    let server = Server::start(SIZE);

    reset_peak();
    let polly = smithgen_aws_streaming::polly::client::Client::new(
        smithgen_aws_streaming::polly::client::Config::builder()
            .region("us-east-1")
            .credentials(smithgen_aws_streaming::polly::client::Credentials::new(
                "AKID", "secret", None,
            ))
            .endpoint_url(server.url())
            .build(),
    );
    let started = Instant::now();
    let mut output = polly
        .synthesize_speech()
        .output_format(smithgen_aws_streaming::polly::types::OutputFormat::Mp3)
        .text("hello")
        .voice_id(smithgen_aws_streaming::polly::types::VoiceId::Joanna)
        .send()
        .await
        .expect("the headers arrive")
        .into_inner();
    let mut read = 0u64;
    while let Some(chunk) = output.audio_stream.next().await {
        read += chunk.expect("a chunk").len() as u64;
    }
    assert_eq!(read, SIZE);
    report("download (SynthesizeSpeech)", started, read);

    reset_peak();
    let lambda = smithgen_aws_streaming::lambda::client::Client::new(
        smithgen_aws_streaming::lambda::client::Config::builder()
            .region("us-east-1")
            .credentials(smithgen_aws_streaming::lambda::client::Credentials::new(
                "AKID", "secret", None,
            ))
            .endpoint_url(server.url())
            .build(),
    );
    let started = Instant::now();
    lambda
        .invoke_async()
        .function_name("f")
        .invoke_args(smithgen_aws_streaming::pattern_body(SIZE))
        .send()
        .await
        .expect("the upload succeeds");
    let upload = server.uploads().pop().expect("received");
    assert_eq!(upload.length, SIZE);
    report("upload (InvokeAsync)", started, SIZE);
}
