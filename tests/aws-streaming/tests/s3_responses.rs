//! S3 responses that other services never send, read through a generated client from
//! recorded answers: a `200 OK` that carries an `<Error>`, an object whose `Expires` is not a
//! date, a `ListObjectsV2` page.

use smithgen_aws_streaming::s3::client::{Client, Config, Credentials};
use smithgen_runtime::protocol_test::CaptureClient;

fn client(http: &CaptureClient) -> Client {
    Client::new(
        Config::builder()
            .region("eu-west-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .http_client(http.clone())
            .build(),
    )
}

#[tokio::test]
async fn a_200_that_carries_an_error_is_that_error() {
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>\
        <Message>We encountered an internal error. Please try again.</Message>\
        <RequestId>656c76696e6727732072657175657374</RequestId></Error>";
    let http = CaptureClient::replying(200, &[], body);
    let error = client(&http)
        .put_object()
        .bucket("b")
        .key("k")
        .body(smithgen_runtime::ByteStream::from("x"))
        .send()
        .await
        .expect_err("an error, though the status is 200");
    let error = error.into_service_error().expect("the service's error");
    assert_eq!(error.code(), "InternalError");
    let request = http.last_request().unwrap();
    // S3's SigV4: the payload's hash in a header, CRC32 by default.
    let header = |name: &str| {
        request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("x-amz-content-sha256").as_deref(),
        Some("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
    );
    assert_eq!(header("x-amz-checksum-crc32").as_deref(), Some("jNwWgw=="));
    assert_eq!(
        header("x-amz-sdk-checksum-algorithm").as_deref(),
        Some("CRC32")
    );
}

#[tokio::test]
async fn an_expires_that_is_not_a_date_leaves_it_unset() {
    let http = CaptureClient::replying(
        200,
        &[("Expires", "0"), ("Content-Length", "2"), ("ETag", "\"e\"")],
        b"hi",
    );
    let output = client(&http)
        .get_object()
        .bucket("b")
        .key("k")
        .send()
        .await
        .expect("the object, whatever its Expires says")
        .into_inner();
    assert_eq!(output.expires, None);
    assert_eq!(output.e_tag.as_deref(), Some("\"e\""));
    assert_eq!(&output.body.collect().await.unwrap()[..], b"hi");
}

#[tokio::test]
async fn a_list_page_reads() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>examplebucket</Name><Prefix>logs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>tok==</NextContinuationToken>
  <Contents><Key>logs/a &amp; b.txt</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>11</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>logs/c.txt</Key><Size>0</Size><StorageClass>GLACIER</StorageClass></Contents>
  <CommonPrefixes><Prefix>logs/2024/</Prefix></CommonPrefixes>
</ListBucketResult>"#;
    let http = CaptureClient::replying(200, &[], body);
    let page = client(&http)
        .list_objects_v2()
        .bucket("examplebucket")
        .prefix("logs/")
        .send()
        .await
        .expect("the page")
        .into_inner();
    assert_eq!(page.is_truncated, Some(true));
    assert_eq!(page.next_continuation_token.as_deref(), Some("tok=="));
    let contents = page.contents.unwrap();
    assert_eq!(contents.len(), 2);
    assert_eq!(contents[0].key.as_deref(), Some("logs/a & b.txt"));
    assert_eq!(
        contents[0].e_tag.as_deref(),
        Some("\"9b2cf535f27731c974343645a3985328\"")
    );
    assert_eq!(contents[0].size, Some(11));
    assert_eq!(
        contents[1].storage_class.as_ref().map(|s| s.as_str()),
        Some("GLACIER")
    );
    assert_eq!(
        page.common_prefixes.unwrap()[0].prefix.as_deref(),
        Some("logs/2024/")
    );
    let request = http.last_request().unwrap();
    assert!(
        request
            .url
            .starts_with("https://examplebucket.s3.eu-west-1.amazonaws.com/?list-type=2"),
        "{}",
        request.url
    );
}
