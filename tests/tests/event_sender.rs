//! A generated restJson1 client sending an event stream (`SendNotes` of
//! `fixtures/rest-json/library.smithy`) to a real HTTP server: the request says its body is a
//! signed event stream, and the body is one envelope per event then an empty closing one, each
//! signed (SigV4 event signing, checked here with independent code) in a chain that starts
//! from the request's own signature; the events inside carry their headers and payloads.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use smithgen_runtime::event_stream::{HeaderValue, Message, MessageDecoder};
use smithgen_runtime::Blob;
use smithgen_tests::library::client::{Client, Config, Credentials};
use smithgen_tests::library::types::{Note, NoteEvents, Scribble};
use smithgen_tests::server::{Action, Server};

const SECRET: &str = "secret";

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The envelope's signature as AWS computes it: HMAC of the event string to sign with the
/// day's key, chained from `prior`.
fn expected_signature(envelope: &Message, prior: &str) -> String {
    let Some(HeaderValue::Timestamp(date)) = envelope.header(":date") else {
        panic!("an envelope has a :date header: {envelope:?}");
    };
    let rfc3339 = date.fmt_rfc3339().expect("a date of our era");
    let amz = format!("{}Z", rfc3339[..19].replace(['-', ':'], ""));
    let day = &amz[..8];
    let mut key = hmac(format!("AWS4{SECRET}").as_bytes(), day.as_bytes());
    for part in ["us-east-1", "library", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    // The encoded `:date` header: name length, name, type 8, big-endian milliseconds.
    let millis = date.secs() * 1000 + i64::from(date.subsec_nanos() / 1_000_000);
    let mut date_header = vec![5u8];
    date_header.extend_from_slice(b":date");
    date_header.push(8);
    date_header.extend_from_slice(&millis.to_be_bytes());
    let to_sign = format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{amz}\n{day}/us-east-1/library/aws4_request\n{prior}\n{}\n{}",
        hex(&Sha256::digest(&date_header)),
        hex(&Sha256::digest(&envelope.payload))
    );
    hex(&hmac(&key, to_sign.as_bytes()))
}

#[tokio::test]
async fn events_are_sent_as_a_chain_of_signed_messages() {
    let server = Server::start([Action::Respond {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"count":2}"#.to_vec(),
    }]);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", SECRET, None))
            .endpoint_url(server.url())
            .build(),
    );
    let notes = vec![
        NoteEvents::Note(
            Note::builder()
                .author("ana")
                .page(7)
                .text("a first note")
                .build(),
        ),
        NoteEvents::Scribble(
            Scribble::builder()
                .data(Blob::new(b"\x00\xffdoodle".to_vec()))
                .build(),
        ),
    ];
    let output = client
        .send_notes()
        .shelf("sf")
        .notes(notes)
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    assert_eq!(output.count, Some(2));

    let sent = &server.received()[0];
    assert_eq!(sent.path, "/shelves/sf/notes");
    assert_eq!(
        sent.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(
        sent.header("x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert!(sent.header("content-length").is_none(), "sent chunked");
    let authorization = sent.header("authorization").expect("signed");
    assert!(
        authorization.contains("x-amz-content-sha256"),
        "{authorization}"
    );
    let seed = authorization
        .rsplit("Signature=")
        .next()
        .unwrap()
        .to_owned();

    let mut decoder = MessageDecoder::new();
    decoder.push(&sent.body);
    let mut envelopes = Vec::new();
    while let Some(m) = decoder.next_message().expect("well-formed envelopes") {
        envelopes.push(m);
    }
    decoder.finish().expect("nothing left over");
    assert_eq!(envelopes.len(), 3, "two events and the closing message");
    let mut prior = seed;
    for envelope in &envelopes {
        let Some(HeaderValue::ByteArray(signature)) = envelope.header(":chunk-signature") else {
            panic!("{envelope:?}");
        };
        assert_eq!(hex(signature), expected_signature(envelope, &prior));
        prior = hex(signature);
    }
    assert!(
        envelopes[2].payload.is_empty(),
        "the closing message is empty"
    );

    let inner = |i: usize| smithgen_runtime::event_stream::decode(&envelopes[i].payload).unwrap();
    let note = inner(0);
    let text = |m: &Message, name: &str| match m.header(name) {
        Some(HeaderValue::String(s)) => s.clone(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(text(&note, ":message-type"), "event");
    assert_eq!(text(&note, ":event-type"), "note");
    assert_eq!(text(&note, ":content-type"), "application/json");
    assert_eq!(text(&note, "author"), "ana");
    assert_eq!(note.header("page"), Some(&HeaderValue::Int32(7)));
    assert_eq!(
        note.payload, br#"{"text":"a first note"}"#,
        "header members stay out of the JSON"
    );
    let scribble = inner(1);
    assert_eq!(text(&scribble, ":event-type"), "scribble");
    assert_eq!(text(&scribble, ":content-type"), "application/octet-stream");
    assert_eq!(scribble.payload, b"\x00\xffdoodle");
}
