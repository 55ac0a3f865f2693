//! A generated restJson1 client (`fixtures/rest-json/library.smithy`) against a real HTTP server
//! on 127.0.0.1: what goes on the wire for labels (greedy and not), query lists and maps,
//! headers and prefixed headers, raw payloads; what is read back from status, headers and
//! body; modeled errors named by `X-Amzn-ErrorType`, with their header members.

use smithgen_runtime::client::SdkError;
use smithgen_runtime::{Blob, DateTime};
use smithgen_tests::library::client::{Client, Config, Credentials};
use smithgen_tests::library::operation::get_book::GetBookError;
use smithgen_tests::server::{Action, Server};

fn client(server: &Server) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .endpoint_url(server.url())
            .build(),
    )
}

fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Action {
    Action::Respond {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[tokio::test]
async fn labels_query_and_headers_go_on_the_wire_and_bindings_come_back() {
    let server = Server::start([respond(
        200,
        &[
            ("Content-Type", "application/json"),
            ("ETag", "\"v1\""),
            ("X-Pages", "312"),
        ],
        r#"{"book_title":"Dune","publishedAt":-141868800}"#,
    )]);
    let output = client(&server)
        .get_book()
        .shelf("sci fi")
        .id("herbert/dune 1965")
        .fields("title")
        .fields("a,b")
        .reader("ana")
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    let sent = &server.received()[0];
    assert_eq!(sent.method, "GET");
    // A label is percent-encoded; a greedy one keeps its slashes. The list repeats its key.
    assert_eq!(
        sent.path,
        "/shelves/sci%20fi/books/herbert/dune%201965?fields=title&fields=a%2Cb"
    );
    assert_eq!(sent.header("X-Reader"), Some("ana"));
    assert!(sent.body.is_empty());
    assert_eq!(
        sent.header("Content-Type"),
        None,
        "a GET without a body has no type"
    );
    assert!(sent.header("Authorization").is_some(), "the call is signed");
    // `@jsonName` renames the body member; headers and the status fill the others.
    assert_eq!(output.title.as_deref(), Some("Dune"));
    assert_eq!(output.published_at, Some(DateTime::from_secs(-141868800)));
    assert_eq!(output.etag.as_deref(), Some("\"v1\""));
    assert_eq!(output.pages, Some(312));
    assert_eq!(output.status, Some(200));
}

#[tokio::test]
async fn an_empty_label_is_refused_before_sending() {
    let server = Server::start([]);
    let error = client(&server)
        .get_book()
        .shelf("")
        .id("x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, SdkError::Construction(_)), "{error:?}");
    assert!(format!("{error:?}").contains("shelf"), "{error:?}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn a_modeled_error_is_named_by_its_header_and_reads_its_header_members() {
    let server = Server::start([respond(
        404,
        &[
            ("Content-Type", "application/json"),
            ("X-Amzn-ErrorType", "NoSuchBook:http://internal.example/"),
            ("X-Book", "dune"),
        ],
        r#"{"message":"not on this shelf"}"#,
    )]);
    let error = client(&server)
        .get_book()
        .shelf("s")
        .id("dune")
        .send()
        .await
        .unwrap_err();
    match error.into_service_error() {
        Some(GetBookError::NoSuchBook(e)) => {
            assert_eq!(e.message.as_deref(), Some("not on this shelf"));
            assert_eq!(e.book.as_deref(), Some("dune"));
        }
        other => panic!("expected NoSuchBook, got {other:?}"),
    }
}

#[tokio::test]
async fn a_malformed_header_is_a_response_error_naming_it() {
    let server = Server::start([respond(200, &[("X-Pages", "many")], "{}")]);
    let error = client(&server)
        .get_book()
        .shelf("s")
        .id("b")
        .send()
        .await
        .unwrap_err();
    let text = format!("{error}");
    assert!(matches!(error, SdkError::Response(_)), "{error:?}");
    assert!(text.contains("X-Pages"), "{text}");
}

#[tokio::test]
async fn a_blob_payload_is_the_raw_body_with_its_content_type() {
    let server = Server::start([respond(204, &[], "")]);
    client(&server)
        .put_cover()
        .id("dune")
        .content_type("image/png")
        .image(Blob::new(vec![0x89, b'P', b'N', b'G']))
        .send()
        .await
        .expect("the call succeeds");
    let sent = &server.received()[0];
    assert_eq!(sent.method, "PUT");
    assert_eq!(sent.path, "/covers/dune");
    assert_eq!(sent.body, [0x89, b'P', b'N', b'G']);
    // The member bound to Content-Type wins over the blob default.
    assert_eq!(sent.header("Content-Type"), Some("image/png"));
    assert_eq!(sent.header("Content-Length"), Some("4"));
}

#[tokio::test]
async fn query_maps_and_prefixed_headers_round_trip() {
    let server = Server::start([respond(
        200,
        &[("X-Meta-Shelf", "7"), ("x-meta-floor", "2")],
        r#"{"results":["dune"]}"#,
    )]);
    let output = client(&server)
        .search_books()
        .filters("author", "herbert")
        .filters("year", "1965")
        .meta("Trace", "abc")
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    let sent = &server.received()[0];
    // The literal query of the URI pattern first, then the map's entries (in key order).
    assert_eq!(sent.path, "/search?kind=book&author=herbert&year=1965");
    assert_eq!(sent.header("X-Meta-Trace"), Some("abc"));
    // Keys are the rest of each header name as the HTTP client reports it (lowercase, for
    // hyper: header names are case-insensitive).
    let meta = output.meta.expect("prefixed headers were sent");
    assert_eq!(meta.get("shelf").map(String::as_str), Some("7"));
    assert_eq!(meta.get("floor").map(String::as_str), Some("2"));
    assert_eq!(output.results, Some(vec!["dune".to_owned()]));
}

#[tokio::test]
async fn a_blob_payload_keeps_a_body_of_whitespace_and_anonymous_operations_need_no_credentials() {
    let server = Server::start([respond(200, &[], " \n")]);
    // No credentials at all: `@auth([])` sends the call unsigned.
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(server.url())
            .build(),
    );
    let output = client
        .get_cover()
        .id("dune")
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    assert_eq!(output.image, Some(Blob::new(b" \n".to_vec())));
    assert!(server.received()[0].header("Authorization").is_none());
}

#[tokio::test]
async fn enum_maps_epoch_header_lists_and_header_defaults() {
    use smithgen_tests::library::types::Mode;
    let server = Server::start([
        respond(
            200,
            &[
                ("X-Times", "1576540098, 1576540099"),
                ("X-Mode-Front", "open"),
            ],
            "{}",
        ),
        respond(200, &[], "{}"),
    ]);
    let output = client(&server)
        .list_shelves()
        .modes("b", Mode::Closed)
        .modes("a", Mode::Open)
        .times(DateTime::from_secs(1576540098))
        .times(DateTime::from_secs(1576540099))
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();
    let sent = &server.received()[0];
    assert_eq!(sent.path, "/shelves?a=open&b=closed");
    // The list's member says epoch-seconds, in both directions.
    assert_eq!(sent.header("X-Times"), Some("1576540098, 1576540099"));
    assert!(
        sent.header("Authorization").is_some(),
        "signed: there are credentials"
    );
    assert_eq!(
        output.times,
        Some(vec![
            DateTime::from_secs(1576540098),
            DateTime::from_secs(1576540099)
        ])
    );
    assert_eq!(
        output.modes.and_then(|m| m.get("front").cloned()),
        Some(Mode::Open)
    );
    // No X-Count header: the member's default, as a body member would get.
    assert_eq!(output.count, 10);

    // `@optionalAuth` without credentials: sent unsigned rather than failing.
    let anonymous = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(server.url())
            .credentials(
                smithgen_runtime::auth::credentials::EnvironmentCredentials::new(
                    smithgen_runtime::auth::Env::from_vars(Vec::<(String, String)>::new()),
                ),
            )
            .build(),
    );
    anonymous
        .list_shelves()
        .send()
        .await
        .expect("an optional-auth call goes without credentials");
    assert!(server.received()[1].header("Authorization").is_none());
}

#[tokio::test]
async fn an_error_whose_body_is_its_payload_member_reads_it() {
    use smithgen_tests::library::operation::put_cover::PutCoverError;
    let server = Server::start([respond(
        409,
        &[
            ("Content-Type", "application/json"),
            ("X-Amzn-ErrorType", "CoverConflict"),
            ("X-Upload", "u-7"),
        ],
        r#"{"reason":"another upload","retryAfter":3}"#,
    )]);
    let error = client(&server)
        .put_cover()
        .id("dune")
        .send()
        .await
        .unwrap_err();
    match error.into_service_error() {
        Some(PutCoverError::CoverConflict(e)) => {
            assert_eq!(e.upload.as_deref(), Some("u-7"));
            let detail = e.detail.expect("the payload was read");
            assert_eq!(detail.reason.as_deref(), Some("another upload"));
            assert_eq!(detail.retry_after, Some(3));
        }
        other => panic!("expected CoverConflict, got {other:?}"),
    }
}

/// The JSON forms only tests use (reading an input, writing an output: the botocore
/// differential, endpoint tests' operation inputs) carry the members bound to the message too,
/// under their JSON keys; the body a client sends still holds only the body members.
#[test]
fn the_test_json_forms_of_inputs_and_outputs_carry_bound_members() {
    use smithgen_runtime::protocol::{JsonRead, JsonWrite, WireOperation};
    use smithgen_tests::library::operation::get_book::GetBook;
    use smithgen_tests::library::types::{GetBookInput, GetBookOutput};

    let input = GetBookInput::from_json(
        br#"{"shelf":"sci fi","id":"a/b","fields":["title","a,b"],"reader":"ana"}"#,
    )
    .expect("the whole input reads");
    assert_eq!(input.shelf.as_deref(), Some("sci fi"));
    assert_eq!(input.reader.as_deref(), Some("ana"));
    let request = GetBook::serialize_request(&input).expect("the input is sendable");
    assert_eq!(
        request.path,
        "/shelves/sci%20fi/books/a/b?fields=title&fields=a%2Cb"
    );
    assert!(request
        .headers
        .contains(&("X-Reader".to_owned(), "ana".to_owned())));
    assert!(request.body.is_empty(), "a GET with no body members");

    let output = GetBook::parse_response(
        202,
        &[
            ("ETag".to_owned(), "\"v1\"".to_owned()),
            ("X-Pages".to_owned(), "312".to_owned()),
        ],
        br#"{"book_title":"Dune"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(&output.to_json()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"etag": "\"v1\"", "pages": 312, "status": 202, "book_title": "Dune"})
    );
    let back = GetBookOutput::from_json(output.to_json().as_bytes()).unwrap();
    assert_eq!(back.title.as_deref(), Some("Dune"));
    assert_eq!(back.etag, None, "the client's reader reads the body only");
}
