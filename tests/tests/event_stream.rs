//! The event stream message codec (`smithgen_runtime::event_stream`) against the official test
//! vectors in `../shared/eventstream-test-vectors`: every `valid_*` message decodes to the
//! headers and payload it holds and encodes back to the same bytes; every `invalid_*` one is
//! rejected by the check its name gives. Skipped, saying so, without `../shared`
//! (`SMITHGEN_REQUIRE_SHARED` makes that a failure, as in `.ci/run`).

use smithgen_runtime::event_stream::{decode, DecodeError, Header, HeaderValue, Message};
use smithgen_runtime::DateTime;

fn vector(name: &str) -> Option<Vec<u8>> {
    let Some(shared) = smithgen_tests::shared_dir() else {
        assert!(
            std::env::var_os("SMITHGEN_REQUIRE_SHARED").is_none(),
            "../shared is required"
        );
        eprintln!("skipped: ../shared is not beside the repository");
        return None;
    };
    let path = shared.join("eventstream-test-vectors").join(name);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn header(name: &str, value: HeaderValue) -> Header {
    Header {
        name: name.to_owned(),
        value,
    }
}

#[test]
fn valid_messages_decode_to_their_headers_and_payload_and_encode_back() {
    let Some(all) = vector("valid_with_all_headers_and_payload") else {
        return;
    };
    let expected = Message {
        headers: vec![
            header("true", HeaderValue::Bool(true)),
            header("false", HeaderValue::Bool(false)),
            header("byte", HeaderValue::Byte(50)),
            header("short", HeaderValue::Int16(20_000)),
            header("int", HeaderValue::Int32(500_000)),
            header("long", HeaderValue::Int64(50_000_000_000)),
            header("bytes", HeaderValue::ByteArray(b"some bytes".to_vec())),
            header("str", HeaderValue::String("some str".to_owned())),
            header(
                "time",
                HeaderValue::Timestamp(DateTime::from_millis(5_000_000_000)),
            ),
            header(
                "uuid",
                HeaderValue::Uuid([
                    0xb7, 0x9b, 0xc9, 0x14, 0xde, 0x21, 0x4e, 0x13, 0xb8, 0xb2, 0xbc, 0x47, 0xe8,
                    0x5b, 0x7f, 0x0b,
                ]),
            ),
        ],
        payload: b"some payload".to_vec(),
    };
    let decoded = decode(&all).expect("decodes");
    assert_eq!(decoded, expected);
    assert_eq!(
        decoded.encode().unwrap(),
        all,
        "encodes back to the same bytes"
    );

    let no_headers = vector("valid_no_headers").unwrap();
    let decoded = decode(&no_headers).unwrap();
    assert!(decoded.headers.is_empty());
    assert_eq!(decoded.payload, b"another test payload");
    assert_eq!(decoded.encode().unwrap(), no_headers);

    let empty = vector("valid_empty_payload").unwrap();
    let decoded = decode(&empty).unwrap();
    assert_eq!(
        decoded.headers,
        [header("some-header", HeaderValue::Int16(500))]
    );
    assert!(decoded.payload.is_empty());
    assert_eq!(decoded.encode().unwrap(), empty);
}

#[test]
fn invalid_messages_are_rejected_by_the_check_they_fail() {
    type Check = fn(&DecodeError) -> bool;
    let cases: [(&str, Check); 8] = [
        ("invalid_header_name_length", |e| {
            matches!(e, DecodeError::HeaderNameLength { .. })
        }),
        ("invalid_header_name_length_too_long", |e| {
            matches!(
                e,
                DecodeError::HeaderNameLength { .. }
                    | DecodeError::HeadersLength { .. }
                    | DecodeError::Truncated { .. }
            )
        }),
        ("invalid_header_string_length_cut_off", |e| {
            matches!(
                e,
                DecodeError::HeaderValueLength { .. } | DecodeError::Truncated { .. }
            )
        }),
        ("invalid_header_string_value_length", |e| {
            matches!(e, DecodeError::HeaderValueLength { .. })
        }),
        ("invalid_header_value_type", |e| {
            matches!(e, DecodeError::HeaderValueType { .. })
        }),
        ("invalid_headers_length", |e| {
            matches!(e, DecodeError::HeadersLength { .. })
        }),
        ("invalid_message_checksum", |e| {
            matches!(e, DecodeError::MessageChecksum { .. })
        }),
        ("invalid_prelude_checksum", |e| {
            matches!(e, DecodeError::PreludeChecksum { .. })
        }),
    ];
    for (name, check) in cases {
        let Some(bytes) = vector(name) else { return };
        let error = decode(&bytes).expect_err(name);
        assert!(
            check(&error),
            "{name}: rejected for another reason: {error}"
        );
        // The message says what failed.
        assert!(!error.to_string().is_empty());
    }
}
