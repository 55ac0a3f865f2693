//! An awsJson event stream (`SubscribeToShard` of `fixtures/aws-json/shards.smithy`, shaped as
//! Kinesis' is) from a real HTTP server sending the body in 5-byte chunks: the stream's
//! `initial-response` message fills the output's other members before the call returns, and the
//! events follow; a stream without one starts with its first event.

use smithgen_runtime::client::SdkError;
use smithgen_runtime::event_stream::{EventStreamError, Header, HeaderValue, Message};
use smithgen_tests::server::{Action, Server};
use smithgen_tests::shards::client::{Client, Config, Credentials};
use smithgen_tests::shards::types::{ShardEvents, SubscribeToShardOutput};

fn message(kind: &str, name: &str, payload: &[u8]) -> Vec<u8> {
    let key = if kind == "exception" {
        ":exception-type"
    } else {
        ":event-type"
    };
    Message {
        headers: vec![
            Header {
                name: ":message-type".into(),
                value: HeaderValue::String(kind.into()),
            },
            Header {
                name: key.into(),
                value: HeaderValue::String(name.into()),
            },
        ],
        payload: payload.to_vec(),
    }
    .encode()
    .expect("encodes")
}

async fn subscribe(body: Vec<u8>) -> Result<SubscribeToShardOutput, String> {
    let server = Server::start([Action::Chunked { body, chunk: 5 }]);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url(server.url())
            .build(),
    );
    let result = client.subscribe_to_shard().shard_id("shard-1").send().await;
    let sent = &server.received()[0];
    assert_eq!(
        sent.header("x-amz-target"),
        Some("Shards.SubscribeToShard"),
        "an awsJson request"
    );
    result.map(|r| r.into_inner()).map_err(|e| match e {
        SdkError::Response(failure) => failure.to_string(),
        other => panic!("{other:?}"),
    })
}

fn records_of(event: Option<ShardEvents>) -> (usize, Option<String>) {
    match event {
        Some(ShardEvents::SubscribeToShardEvent(e)) => {
            (e.records.len(), e.continuation_sequence_number)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_initial_response_fills_the_output_before_the_events() {
    let body = [
        message(
            "event",
            "initial-response",
            br#"{"ShardLevel":"hot","StartedAt":1700000000}"#,
        ),
        message(
            "event",
            "SubscribeToShardEvent",
            br#"{"Records":[{"Data":"aGk=","PartitionKey":"p"}],"ContinuationSequenceNumber":"7"}"#,
        ),
        message("event", "SubscribeToShardEvent", br#"{"Records":[]}"#),
    ]
    .concat();
    let mut output = subscribe(body).await.expect("the stream opens");
    assert_eq!(output.shard_level.as_deref(), Some("hot"));
    assert_eq!(output.started_at.map(|t| t.secs()), Some(1_700_000_000));
    let first = output.event_stream.recv().await.expect("an event");
    assert_eq!(records_of(first), (1, Some("7".to_owned())));
    let second = output.event_stream.recv().await.expect("an event");
    assert_eq!(records_of(second), (0, None));
    assert!(output.event_stream.recv().await.expect("the end").is_none());
}

#[tokio::test]
async fn without_an_initial_response_the_first_message_is_the_first_event() {
    let body = [
        message("event", "SubscribeToShardEvent", br#"{"Records":[{}]}"#),
        message(
            "exception",
            "ResourceInUseException",
            br#"{"message":"busy"}"#,
        ),
    ]
    .concat();
    let mut output = subscribe(body).await.expect("the stream opens");
    assert_eq!(output.shard_level, None);
    let first = output.event_stream.recv().await.expect("an event");
    assert_eq!(records_of(first), (1, None));
    match output.event_stream.recv().await {
        Err(EventStreamError::Exception(ShardEvents::ResourceInUseException(e))) => {
            assert_eq!(e.message.as_deref(), Some("busy"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_initial_response_that_is_not_the_output_fails_the_call() {
    let body = message("event", "initial-response", br#"{"ShardLevel":5}"#);
    let error = subscribe(body).await.expect_err("not the output's JSON");
    assert!(error.contains("ShardLevel"), "{error}");
    let empty = message("event", "initial-response", b"");
    let mut output = subscribe(empty).await.expect("an empty initial response");
    assert!(output.event_stream.recv().await.expect("the end").is_none());
}
