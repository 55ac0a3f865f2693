//! A generated restJson1 client receiving an event stream (`WatchShelf` of
//! `fixtures/rest-json/library.smithy`) from a real HTTP server that sends the messages in small
//! chunks, split inside messages: typed events with `@eventHeader` and `@eventPayload` members,
//! unknown event types skipped, `exception` messages as the union's error variant, `error`
//! messages with their code, corrupt messages rejected.

use smithgen_runtime::event_stream::{EventStreamError, Header, HeaderValue, Message};
use smithgen_tests::library::client::{Client, Config, Credentials};
use smithgen_tests::library::types::ShelfEvents;
use smithgen_tests::server::{Action, Server};

fn message(kind: &str, name: Option<&str>, extra: Vec<Header>, payload: &[u8]) -> Vec<u8> {
    let mut headers = vec![Header {
        name: ":message-type".into(),
        value: HeaderValue::String(kind.into()),
    }];
    if let Some(name) = name {
        let key = if kind == "exception" {
            ":exception-type"
        } else {
            ":event-type"
        };
        headers.push(Header {
            name: key.into(),
            value: HeaderValue::String(name.into()),
        });
    }
    headers.extend(extra);
    Message {
        headers,
        payload: payload.to_vec(),
    }
    .encode()
    .expect("encodes")
}

fn header(name: &str, value: HeaderValue) -> Header {
    Header {
        name: name.into(),
        value,
    }
}

async fn watch(body: Vec<u8>) -> smithgen_tests::library::types::WatchShelfOutput {
    // 7-byte chunks: every message arrives split, most of them across several reads.
    let server = Server::start([Action::Chunked { body, chunk: 7 }]);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url(server.url())
            .build(),
    );
    client
        .watch_shelf()
        .shelf("sf")
        .send()
        .await
        .expect("the stream starts")
        .into_inner()
}

#[tokio::test]
async fn events_arrive_typed_in_order_and_unknown_ones_are_skipped() {
    let body = [
        message(
            "event",
            Some("added"),
            vec![
                header("shelf", HeaderValue::String("sci-fi".into())),
                header("count", HeaderValue::Int32(3)),
            ],
            br#"{"title":"Dune"}"#,
        ),
        message("event", Some("somethingNew"), vec![], b"{}"),
        message("event", Some("cover"), vec![], b"\x89PNG raw"),
        message("event", Some("added"), vec![], b""),
    ]
    .concat();
    let mut output = watch(body).await;
    let first = output.events.recv().await.expect("an event");
    match first {
        Some(ShelfEvents::Added(added)) => {
            assert_eq!(added.title.as_deref(), Some("Dune"));
            assert_eq!(added.shelf.as_deref(), Some("sci-fi"));
            assert_eq!(added.count, Some(3));
        }
        other => panic!("{other:?}"),
    }
    match output.events.recv().await.expect("an event") {
        Some(ShelfEvents::Cover(cover)) => {
            assert_eq!(
                cover.data.as_ref().map(|b| b.as_ref()),
                Some(&b"\x89PNG raw"[..])
            )
        }
        other => panic!("{other:?}"),
    }
    match output.events.recv().await.expect("an event") {
        Some(ShelfEvents::Added(added)) => assert_eq!(added.title, None),
        other => panic!("{other:?}"),
    }
    assert!(output.events.recv().await.expect("the end").is_none());
    assert!(output.events.recv().await.expect("still the end").is_none());
}

#[tokio::test]
async fn an_exception_is_the_unions_error_variant_and_ends_the_stream() {
    let body = [
        message("event", Some("added"), vec![], br#"{"title":"A"}"#),
        message(
            "exception",
            Some("overloaded"),
            vec![],
            br#"{"message":"slow down"}"#,
        ),
        message("event", Some("added"), vec![], br#"{"title":"never read"}"#),
    ]
    .concat();
    let mut output = watch(body).await;
    assert!(matches!(
        output.events.recv().await,
        Ok(Some(ShelfEvents::Added(_)))
    ));
    match output.events.recv().await {
        Err(EventStreamError::Exception(ShelfEvents::Overloaded(e))) => {
            assert_eq!(e.message.as_deref(), Some("slow down"))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(output.events.recv().await, Ok(None)));
}

#[tokio::test]
async fn error_messages_and_unknown_exceptions_carry_their_code() {
    let error = message(
        "error",
        None,
        vec![
            header(":error-code", HeaderValue::String("InternalFailure".into())),
            header(":error-message", HeaderValue::String("try again".into())),
        ],
        b"",
    );
    let mut output = watch(error).await;
    match output.events.recv().await {
        Err(EventStreamError::Service { code, message }) => {
            assert_eq!(code, "InternalFailure");
            assert_eq!(message.as_deref(), Some("try again"));
        }
        other => panic!("{other:?}"),
    }
    let unknown = message(
        "exception",
        Some("BrandNewException"),
        vec![],
        br#"{"Message":"new"}"#,
    );
    let mut output = watch(unknown).await;
    match output.events.recv().await {
        Err(EventStreamError::Service { code, message }) => {
            assert_eq!(code, "BrandNewException");
            assert_eq!(message.as_deref(), Some("new"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_corrupt_or_cut_stream_is_an_error() {
    let mut corrupt = message("event", Some("added"), vec![], br#"{"title":"A"}"#);
    let last = corrupt.len() - 1;
    corrupt[last] ^= 0xff;
    let mut output = watch(corrupt).await;
    assert!(
        matches!(output.events.recv().await, Err(EventStreamError::Decode(_))),
        "a message checksum mismatch"
    );
    let whole = message("event", Some("added"), vec![], br#"{"title":"A"}"#);
    let mut output = watch(whole[..whole.len() - 3].to_vec()).await;
    assert!(matches!(
        output.events.recv().await,
        Err(EventStreamError::Decode(_))
    ));
    // A payload that is not the event's JSON names the problem.
    let bad = message("event", Some("added"), vec![], br#"{"title":5}"#);
    let mut output = watch(bad).await;
    assert!(matches!(
        output.events.recv().await,
        Err(EventStreamError::Unmarshal(_))
    ));
}
