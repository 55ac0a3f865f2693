//! Presigned S3 URLs against botocore's `generate_presigned_url`: the same calls, credentials,
//! signing time and expiry give the same URL (host, path and every query parameter, the
//! signature included). The cases and botocore's URLs are in `presign/vectors.json`, written by
//! `presign/compute.py` (which .ci/run re-runs with `--check` against botocore itself).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use smithgen_aws_streaming::s3::client::{Client, Config, Credentials};
use smithgen_aws_streaming::s3::types::EncodingType;
use smithgen_runtime::client::{PresignedRequest, PresigningConfig};

/// `2024-02-29T23:59:59Z` as a `SystemTime`.
fn instant(text: &str) -> SystemTime {
    let date = smithgen_runtime::DateTime::parse_rfc3339(text).expect("an RFC 3339 time");
    UNIX_EPOCH + Duration::from_secs(date.secs() as u64)
}

/// The URL without its query, and the query's pairs (still percent-encoded), sorted.
fn split(url: &str) -> (&str, Vec<&str>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    (base, pairs)
}

async fn presign(case: &Value) -> PresignedRequest {
    let text = |key: &str| case[key].as_str().map(str::to_owned);
    let flag = |key: &str| case[key].as_bool().unwrap_or(false);
    let mut config = Config::builder()
        .region(text("region").unwrap())
        .credentials(Credentials::new(
            text("access_key").unwrap(),
            text("secret_key").unwrap(),
            text("session_token"),
        ))
        .use_dual_stack(flag("dual_stack"));
    if flag("force_path_style") {
        config = config.endpoint_param("ForcePathStyle", true);
    }
    if flag("accelerate") {
        config = config.endpoint_param("Accelerate", true);
    }
    let client = Client::new(config.build());
    let presigning =
        PresigningConfig::expires_in(Duration::from_secs(case["expires_in"].as_u64().unwrap()))
            .unwrap()
            .start_time(instant(case["time"].as_str().unwrap()));
    let params: BTreeMap<&str, &Value> = case["params"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let s = |key: &str| params.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    let presigned = match case["operation"].as_str().unwrap() {
        "GetObject" => {
            let mut call = client
                .get_object()
                .bucket(s("Bucket").unwrap())
                .key(s("Key").unwrap());
            if let Some(v) = s("VersionId") {
                call = call.version_id(v);
            }
            if let Some(v) = s("ResponseContentDisposition") {
                call = call.response_content_disposition(v);
            }
            if let Some(v) = s("ResponseContentType") {
                call = call.response_content_type(v);
            }
            call.presigned(presigning)
                .await
                .map_err(|e| format!("{e:?}"))
        }
        "PutObject" => client
            .put_object()
            .bucket(s("Bucket").unwrap())
            .key(s("Key").unwrap())
            .presigned(presigning)
            .await
            .map_err(|e| format!("{e:?}")),
        "ListObjectsV2" => {
            let mut call = client.list_objects_v2().bucket(s("Bucket").unwrap());
            if let Some(v) = s("Prefix") {
                call = call.prefix(v);
            }
            if let Some(v) = params.get("MaxKeys").and_then(|v| v.as_i64()) {
                call = call.max_keys(v as i32);
            }
            if s("EncodingType").as_deref() == Some("url") {
                call = call.encoding_type(EncodingType::Url);
            }
            call.presigned(presigning)
                .await
                .map_err(|e| format!("{e:?}"))
        }
        other => panic!("no case for {other}"),
    };
    presigned.unwrap_or_else(|e| panic!("{}: {e}", case["name"]))
}

#[tokio::test]
async fn presigned_urls_are_the_ones_botocore_makes() {
    let vectors: Vec<Value> =
        serde_json::from_str(include_str!("presign/vectors.json")).expect("vectors.json");
    assert!(vectors.len() >= 12);
    let mut wrong = Vec::new();
    for case in &vectors {
        let presigned = presign(case).await;
        let want = case["url"].as_str().unwrap();
        if split(presigned.url()) != split(want) {
            wrong.push(format!(
                "{}:\n  ours     {}\n  botocore {want}",
                case["name"],
                presigned.url()
            ));
        }
        let method = match case["operation"].as_str().unwrap() {
            "PutObject" => "PUT",
            _ => "GET",
        };
        assert_eq!(presigned.method(), method);
        // Only `Host` is signed: the URL works from any HTTP client.
        assert_eq!(presigned.headers().len(), 1, "{:?}", presigned.headers());
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        vectors.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn presigning_needs_credentials_and_keeps_secrets_out_of_debug() {
    let client = Client::new(Config::builder().region("us-east-1").build());
    let presigning = PresigningConfig::expires_in(Duration::from_secs(60)).unwrap();
    let error = client
        .get_object()
        .bucket("b")
        .key("k")
        .presigned(presigning.clone())
        .await
        .unwrap_err();
    assert!(format!("{error:?}").contains("credentials"), "{error:?}");
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKID",
                "secret",
                Some("the-token".to_owned()),
            ))
            .build(),
    );
    let presigned = client
        .get_object()
        .bucket("b")
        .key("k")
        .presigned(presigning)
        .await
        .unwrap();
    let signature = presigned
        .url()
        .split('&')
        .find_map(|p| p.strip_prefix("X-Amz-Signature="))
        .unwrap()
        .to_owned();
    let debug = format!("{presigned:?}");
    assert!(
        !debug.contains(&signature) && !debug.contains("the-token"),
        "{debug}"
    );
}
