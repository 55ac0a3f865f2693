//! awsJson on the wire, through the generated Lightsail crate (awsJson1_1) and the kitchen-sink
//! crate (awsJson1_0): the exact request, a fully populated response, every documented
//! exception, and hostile bodies that must come back as typed errors naming the JSON path.

use lightsail::operation::create_key_pair::{CreateKeyPair, CreateKeyPairError};
use lightsail::types::{CreateKeyPairRequest, OperationStatus, RegionName, ResourceType, Tag};
use smithgen_runtime::protocol::aws_json::{parse_response, serialize_request, ResponseError};
use smithgen_runtime::protocol::{JsonRead, JsonWrite};

fn request_text(req: &smithgen_runtime::protocol::HttpRequest) -> String {
    let headers: Vec<String> = req
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    format!(
        "{} {}\n{}\n\n{}",
        req.method,
        req.path,
        headers.join("\n"),
        String::from_utf8_lossy(&req.body)
    )
}

#[test]
fn create_key_pair_request() {
    let input = CreateKeyPairRequest::builder()
        .key_pair_name("my-key")
        .tags(Tag::builder().key("team").value("blue").build())
        .tags(Tag::builder().key("env").build())
        .build()
        .unwrap();
    let req = serialize_request::<CreateKeyPair>(&input);
    insta::assert_snapshot!(request_text(&req));
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, "/");
    assert!(req.headers.contains(&(
        "X-Amz-Target".into(),
        "Lightsail_20161128.CreateKeyPair".into()
    )));
    assert!(req
        .headers
        .contains(&("Content-Type".into(), "application/x-amz-json-1.1".into())));
}

#[test]
fn an_empty_input_is_an_empty_object() {
    let input = CreateKeyPairRequest::builder()
        .key_pair_name("k")
        .build()
        .unwrap();
    let req = serialize_request::<CreateKeyPair>(&input);
    assert_eq!(req.body, br#"{"keyPairName":"k"}"#);
    let empty = CreateKeyPairRequest::default();
    assert_eq!(serialize_request::<CreateKeyPair>(&empty).body, b"{}");
}

/// Every field of the reference document's Response Syntax, populated.
const FULL_RESPONSE: &str = r#"{
    "keyPair": {
        "name": "my-key",
        "arn": "arn:aws:lightsail:us-east-2:123456789101:KeyPair/05859e3d-331d-48ba-9034-12345EXAMPLE",
        "supportCode": "123456789101/my-key",
        "createdAt": 1479816991.349,
        "location": {"availabilityZone": "us-east-2a", "regionName": "us-east-2"},
        "resourceType": "KeyPair",
        "tags": [{"key": "team", "value": "blue"}, {"key": "env"}],
        "fingerprint": "a1:b2:c3"
    },
    "publicKeyBase64": "c3NoLXJzYSBBQUFB",
    "privateKeyBase64": "LS0tLS1CRUdJTg==",
    "operation": {
        "id": "op-1",
        "resourceName": "my-key",
        "resourceType": "KeyPair",
        "createdAt": 1479816991,
        "location": {"availabilityZone": "all", "regionName": "us-east-2"},
        "isTerminal": true,
        "operationDetails": "Debian-1GB-Ohio-1",
        "operationType": "CreateKeyPair",
        "status": "Succeeded",
        "statusChangedAt": 1.479816991349E9,
        "errorCode": "",
        "errorDetails": ""
    }
}"#;

#[test]
fn fully_populated_response() {
    let out = parse_response::<CreateKeyPair>(200, &[], FULL_RESPONSE.as_bytes()).unwrap();
    insta::assert_debug_snapshot!(out);
    let key_pair = out.key_pair.as_ref().unwrap();
    assert_eq!(key_pair.created_at.unwrap().secs(), 1479816991);
    assert_eq!(key_pair.created_at.unwrap().subsec_nanos(), 349_000_000);
    assert_eq!(key_pair.resource_type, Some(ResourceType::KeyPair));
    assert_eq!(
        key_pair.location.as_ref().unwrap().region_name,
        Some(RegionName::UsEast2)
    );
    let op = out.operation.as_ref().unwrap();
    assert_eq!(op.status, Some(OperationStatus::Succeeded));
    assert_eq!(op.is_terminal, Some(true));
    assert_eq!(op.status_changed_at.unwrap().subsec_nanos(), 349_000_000);
}

#[test]
fn tolerant_reading() {
    let body = br#"{"keyPair": {"name": null, "resourceType": "Spaceship", "extra": {"deep": [1, {"x": null}]}},
                    "newTopLevelMember": [true], "publicKeyBase64": null}"#;
    let out = parse_response::<CreateKeyPair>(200, &[], body).unwrap();
    let key_pair = out.key_pair.unwrap();
    assert_eq!(key_pair.name, None, "null is absent");
    assert_eq!(
        key_pair.resource_type.as_ref().unwrap().as_str(),
        "Spaceship",
        "unknown enum values are kept"
    );
    assert_eq!(out.public_key_base64, None);
    // An empty body is an empty output.
    let empty = parse_response::<CreateKeyPair>(200, &[], b"").unwrap();
    assert_eq!(empty, Default::default());
}

fn error_of(status: u16, headers: &[(&str, &str)], body: &str) -> CreateKeyPairError {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    match parse_response::<CreateKeyPair>(status, &headers, body.as_bytes()) {
        Err(ResponseError::Service(e)) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn every_documented_exception_maps_to_its_variant() {
    let cases: [(&str, u16); 7] = [
        ("ServiceException", 500),
        ("InvalidInputException", 400),
        ("NotFoundException", 404),
        ("OperationFailureException", 400),
        ("AccessDeniedException", 403),
        ("AccountSetupInProgressException", 428),
        ("UnauthenticatedException", 401),
    ];
    for (name, status) in cases {
        let body = format!(
            r#"{{"__type": "{name}", "code": "C-{name}", "docs": "https://d", "message": "m-{name}", "tip": "t"}}"#
        );
        let e = error_of(status, &[("x-amzn-RequestId", "req-9")], &body);
        assert_eq!(e.code(), name);
        assert_eq!(e.to_string(), format!("{name}: m-{name}"));
        let message = match &e {
            CreateKeyPairError::ServiceException(x) => x.message.clone(),
            CreateKeyPairError::InvalidInputException(x) => x.message.clone(),
            CreateKeyPairError::NotFoundException(x) => x.message.clone(),
            CreateKeyPairError::OperationFailureException(x) => x.message.clone(),
            CreateKeyPairError::AccessDeniedException(x) => x.message.clone(),
            CreateKeyPairError::AccountSetupInProgressException(x) => x.message.clone(),
            CreateKeyPairError::UnauthenticatedException(x) => x.message.clone(),
            other => panic!("{name} became {other:?}"),
        };
        assert_eq!(message, Some(format!("m-{name}")));
    }
}

#[test]
fn error_names_are_sanitised_and_taken_from_the_header_first() {
    let e = error_of(
        400,
        &[(
            "X-Amzn-Errortype",
            "NotFoundException:http://internal.amazon.com/coral/validate/",
        )],
        r#"{"__type": "com.amazonaws.lightsail#InvalidInputException", "Message": "gone"}"#,
    );
    let CreateKeyPairError::NotFoundException(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.message.as_deref(), Some("gone"), "`Message` is read too");
    let e = error_of(
        400,
        &[],
        r#"{"__type": "com.amazonaws.lightsail#InvalidInputException:http://x"}"#,
    );
    assert!(matches!(e, CreateKeyPairError::InvalidInputException(_)));
}

#[test]
fn unknown_and_unparseable_errors_are_unhandled() {
    let e = error_of(
        429,
        &[("x-amzn-RequestId", "req-7")],
        r#"{"__type": "ThrottlingException", "message": "Rate exceeded"}"#,
    );
    let CreateKeyPairError::Unhandled(u) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(u.code(), "ThrottlingException");
    assert_eq!(u.message(), Some("Rate exceeded"));
    assert_eq!(u.request_id(), Some("req-7"));
    assert_eq!(u.status(), Some(429));
    assert_eq!(
        e.to_string(),
        "ThrottlingException: Rate exceeded (HTTP 429) [request id req-7]"
    );
    // A proxy's HTML 502 is still an error, not a panic or a parse failure.
    let e = error_of(502, &[], "<html><body>Bad Gateway</body></html>");
    let CreateKeyPairError::Unhandled(u) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(u.status(), Some(502));
    // A modeled code whose body is not its shape degrades to Unhandled, keeping the code.
    let e = error_of(
        403,
        &[("X-Amzn-Errortype", "AccessDeniedException")],
        "not json",
    );
    assert_eq!(e.code(), "AccessDeniedException");
    assert!(matches!(e, CreateKeyPairError::Unhandled(_)));
}

#[test]
fn unions_ignore_type_tags_and_keep_unknown_members() {
    use smithgen_tests::kitchen_sink::types::Shape;
    let shape = Shape::from_json(br#"{"__type": "example.kitchen#Shape", "square": 2.5}"#).unwrap();
    assert_eq!(shape, Shape::Square(2.5));
    let shape = Shape::from_json(br#"{"square": 2.5, "__type": "x"}"#).unwrap();
    assert_eq!(shape, Shape::Square(2.5));
    assert_eq!(
        Shape::from_json(br#"{"hexagon": {"side": 1}}"#).unwrap(),
        Shape::Unknown
    );
    assert_eq!(
        Shape::from_json(br#"{"nothing": {}}"#).unwrap(),
        Shape::Nothing
    );
    assert_eq!(Shape::Square(2.5).to_json(), r#"{"square":2.5}"#);
}

mod hostile {
    use super::*;
    use smithgen_tests::kitchen_sink::types::{GetThingOutput, PutThingInput};

    fn error_text<T: JsonRead + std::fmt::Debug>(body: &[u8]) -> String {
        T::from_json(body)
            .expect_err("the body is invalid")
            .to_string()
    }

    #[test]
    fn truncated_and_malformed_json() {
        let full = FULL_RESPONSE.as_bytes();
        for cut in [1, 10, 100, full.len() / 2, full.len() - 1] {
            match parse_response::<CreateKeyPair>(200, &[], &full[..cut]) {
                Err(ResponseError::Deserialize(e)) => assert!(!e.to_string().is_empty()),
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        let err = error_text::<GetThingOutput>(br#"{"name": "x",}"#);
        assert!(err.starts_with("$"), "{err}");
    }

    #[test]
    fn wrong_types_name_the_path() {
        let err = error_text::<GetThingOutput>(br#"{"items": [{"key": "a"}, {"key": 5}]}"#);
        assert!(
            err.starts_with("$.items[1].key: expected a string"),
            "{err}"
        );
        let err = error_text::<GetThingOutput>(br#"{"size": "seven"}"#);
        assert!(err.starts_with("$.size:"), "{err}");
    }

    #[test]
    fn numbers_out_of_range() {
        let err = error_text::<PutThingInput>(br#"{"tiny": 300}"#);
        assert!(err.starts_with("$.tiny:"), "{err}");
        let err = error_text::<GetThingOutput>(br#"{"size": 1.5}"#);
        assert!(err.starts_with("$.size:"), "{err}");
        let err = error_text::<GetThingOutput>(br#"{"size": 99999999999}"#);
        assert!(err.starts_with("$.size:"), "{err}");
    }

    #[test]
    fn invalid_base64_and_utf8() {
        let err = error_text::<PutThingInput>(br#"{"payload": "not base64!"}"#);
        assert!(err.starts_with("$.payload:"), "{err}");
        let err = error_text::<PutThingInput>(b"{\"name\": \"\xff\xfe\"}");
        assert!(err.starts_with("$.name:"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = format!(
            "{{\"extra\": {}{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let err = error_text::<PutThingInput>(deep.as_bytes());
        assert!(err.starts_with("$.extra"), "{err}");
        let deep_unknown = format!(
            "{{\"zzz\": {}{}}}",
            "{\"a\":".repeat(10_000),
            "}".repeat(10_000)
        );
        assert!(PutThingInput::from_json(deep_unknown.as_bytes()).is_err());
        let deep_node = format!(
            "{}{}",
            "{\"node\": {\"next\":".repeat(5_000),
            "}}".repeat(5_000)
        );
        assert!(PutThingInput::from_json(deep_node.as_bytes()).is_err());
    }

    #[test]
    fn a_hundred_megabyte_body() {
        let mut body = String::with_capacity(100 << 20);
        body.push_str("{\"items\": [");
        let item = "{\"key\": \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\", \"value\": \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\"},";
        while body.len() < 100 << 20 {
            body.push_str(item);
        }
        body.push_str("{\"key\": \"last\"}], \"name\": \"n\", \"createdAt\": 0}");
        let out = GetThingOutput::from_json(body.as_bytes()).expect("large bodies parse");
        assert!(out.items.len() > 900_000);
        // Cut anywhere inside, it is an error, never a panic.
        assert!(GetThingOutput::from_json(&body.as_bytes()[..50 << 20]).is_err());
    }
}
