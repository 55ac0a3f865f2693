//! S3 `SelectObjectContent`: a restXml event stream, whose events' structures are XML in the
//! message payloads (`<Stats>…</Stats>`), read through a generated client from a recorded
//! response.

use smithgen_aws_streaming::s3::client::{Client, Config, Credentials};
use smithgen_aws_streaming::s3::types::{
    ExpressionType, InputSerialization, OutputSerialization, SelectObjectContentEventStream,
};
use smithgen_runtime::event_stream::{Header, HeaderValue, Message};
use smithgen_runtime::protocol_test::CaptureClient;

fn event(kind: &str, content_type: Option<&str>, payload: &[u8]) -> Vec<u8> {
    let mut headers = vec![
        Header {
            name: ":message-type".to_owned(),
            value: HeaderValue::String("event".to_owned()),
        },
        Header {
            name: ":event-type".to_owned(),
            value: HeaderValue::String(kind.to_owned()),
        },
    ];
    if let Some(content_type) = content_type {
        headers.push(Header {
            name: ":content-type".to_owned(),
            value: HeaderValue::String(content_type.to_owned()),
        });
    }
    Message {
        headers,
        payload: payload.to_vec(),
    }
    .encode()
    .unwrap()
}

#[tokio::test]
async fn select_events_are_read_from_xml_payloads() {
    let mut body = event(
        "Records",
        Some("application/octet-stream"),
        b"1,ann\n2,bob\n",
    );
    body.extend(event(
        "Stats",
        Some("text/xml"),
        b"<Stats xmlns=\"\"><BytesScanned>512</BytesScanned><BytesProcessed>500</BytesProcessed>\
          <BytesReturned>12</BytesReturned></Stats>",
    ));
    body.extend(event("Cont", None, b""));
    body.extend(event("End", None, b""));
    let http = CaptureClient::replying(200, &[], &body);
    let client = Client::new(
        Config::builder()
            .region("us-west-2")
            .credentials(Credentials::new("AKID", "secret", None))
            .http_client(http.clone())
            .build(),
    );
    let mut output = client
        .select_object_content()
        .bucket("examplebucket")
        .key("people.csv")
        .expression("SELECT * FROM S3Object")
        .expression_type(ExpressionType::Sql)
        .input_serialization(InputSerialization::builder().build())
        .output_serialization(OutputSerialization::builder().build())
        .send()
        .await
        .expect("the response starts")
        .into_inner();
    let mut records = Vec::new();
    let mut scanned = None;
    let mut kinds = Vec::new();
    while let Some(event) = output.payload.recv().await.expect("every event reads") {
        match event {
            SelectObjectContentEventStream::Records(r) => {
                kinds.push("Records");
                records.extend_from_slice(r.payload.as_ref().unwrap().as_ref());
            }
            SelectObjectContentEventStream::Stats(s) => {
                kinds.push("Stats");
                scanned = s.details.as_ref().and_then(|d| d.bytes_scanned);
                assert_eq!(s.details.as_ref().unwrap().bytes_returned, Some(12));
            }
            SelectObjectContentEventStream::Cont(_) => kinds.push("Cont"),
            SelectObjectContentEventStream::End(_) => kinds.push("End"),
            other => panic!("unexpected event {other:?}"),
        }
    }
    assert_eq!(kinds, ["Records", "Stats", "Cont", "End"]);
    assert_eq!(records, b"1,ann\n2,bob\n");
    assert_eq!(scanned, Some(512));
    // The request: POST /people.csv?select&select-type=2 on the bucket's host, an XML body.
    let request = http.last_request().expect("a request");
    assert!(
        request.url.starts_with(
            "https://examplebucket.s3.us-west-2.amazonaws.com/people.csv?select&select-type=2"
        ),
        "{}",
        request.url
    );
    let body = String::from_utf8(request.body.to_vec()).unwrap();
    assert!(
        body.starts_with(
            "<SelectObjectContentRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        ),
        "{body}"
    );
    assert!(
        body.contains("<Expression>SELECT * FROM S3Object</Expression>"),
        "{body}"
    );
}
