//! A 100 MB download through Polly's `SynthesizeSpeech` (`@streaming` `AudioStream`): read chunk
//! by chunk as it arrives, every byte right, the response size limit not applied to it, and the
//! process's memory far below the body's size.

use smithgen_aws_streaming::polly::client::{Client, Config, Credentials};
use smithgen_aws_streaming::polly::types::{OutputFormat, VoiceId};
use smithgen_aws_streaming::server::Server;

const SIZE: u64 = 100 * 1024 * 1024;

#[tokio::test]
async fn a_100_mb_download_streams_in_bounded_memory() {
    let (start, _) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let server = Server::start(SIZE);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url(server.url())
            .build(),
    );
    let mut output = client
        .synthesize_speech()
        .output_format(OutputFormat::Mp3)
        .text("hello")
        .voice_id(VoiceId::Joanna)
        .send()
        .await
        .expect("the headers arrive")
        .into_inner();
    assert_eq!(output.content_type.as_deref(), Some("audio/mpeg"));
    assert_eq!(output.request_characters, 42);
    let mut read = 0u64;
    let mut wrong = None;
    while let Some(chunk) = output.audio_stream.next().await {
        let chunk = chunk.expect("a chunk");
        if wrong.is_none() {
            wrong = smithgen_aws_streaming::first_mismatch(read, &chunk);
        }
        read += chunk.len() as u64;
    }
    assert_eq!(read, SIZE);
    assert_eq!(wrong, None, "first wrong byte");
    let (_, peak) = smithgen_aws_streaming::memory().expect("/proc/self/status");
    let grown = peak.saturating_sub(start);
    assert!(
        grown < 32 * 1024 * 1024,
        "peak memory grew by {grown} bytes for a {SIZE}-byte download"
    );
}
