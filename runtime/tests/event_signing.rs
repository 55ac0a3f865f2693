//! SigV4 event stream signing against `event_signing/vectors.json`: an exchange of two events
//! and the closing message, computed by `event_signing/compute.py` from the description of the
//! algorithm (independently of this crate). Each envelope must match byte for byte (its
//! `:date` and `:chunk-signature` headers, the event as payload, both CRCs), each signature
//! must chain from the one before, and a decoded envelope must give the event back.

#![cfg(all(feature = "client", feature = "event-stream"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithgen_runtime::auth::Credentials;
use smithgen_runtime::event_stream::{decode, EventSigner, HeaderValue};
use smithgen_runtime::json::JsonReader;
use smithgen_runtime::Document;

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

#[test]
fn signed_messages_match_the_independently_computed_exchange() {
    let text = include_str!("event_signing/vectors.json");
    let doc = JsonReader::new(text.as_bytes()).document().expect("JSON");
    let root = doc.as_object().expect("an object");
    let s = |name: &str| root[name].as_str().expect("a string").to_owned();
    let credentials = Credentials::new(s("access_key_id"), s("secret_access_key"), None);
    let mut signer = EventSigner::new(credentials, &s("region"), &s("service"), &s("seed"));
    let messages = root["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 3);
    for (i, m) in messages.iter().enumerate() {
        let m = m.as_object().expect("a message");
        let field = |name: &str| m[name].as_str().expect("a string").to_owned();
        let number = |name: &str| match &m[name] {
            Document::Number(n) => n.as_u64().expect("a count"),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            signer.prior_signature(),
            field("prior"),
            "message {i} chains"
        );
        let time = UNIX_EPOCH
            + Duration::from_secs(number("secs"))
            + Duration::from_millis(number("millis"));
        let payload = unhex(&field("payload"));
        let signed = signer.sign(&payload, time).expect("signs");
        assert_eq!(signer.prior_signature(), field("signature"), "message {i}");
        let encoded = signed.encode().expect("encodes");
        assert_eq!(encoded, unhex(&field("envelope")), "message {i}'s envelope");
        let back = decode(&encoded).expect("decodes");
        assert_eq!(back.payload, payload);
        assert_eq!(
            back.header(":chunk-signature"),
            Some(&HeaderValue::ByteArray(unhex(&field("signature"))))
        );
    }
}

#[test]
fn the_chain_depends_on_the_seed_and_the_time() {
    let credentials = || Credentials::new("AKIDEXAMPLE", "secret", None);
    let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut a = EventSigner::new(credentials(), "us-east-1", "transcribe", "00");
    let mut b = EventSigner::new(credentials(), "us-east-1", "transcribe", "01");
    a.sign(b"event", time).unwrap();
    b.sign(b"event", time).unwrap();
    assert_ne!(a.prior_signature(), b.prior_signature());
    let first = a.prior_signature().to_owned();
    a.sign(b"event", time).unwrap();
    assert_ne!(
        a.prior_signature(),
        first,
        "the same event signs differently later in the chain"
    );
    assert!(!format!("{a:?}").contains("secret"));
}
