//! The AWS SigV4 signing test suite (`../shared/sigv4-test-suite/v4`), run
//! against `smithgen_runtime::auth::sigv4`.
//!
//! Each vector folder holds `request.txt` (an HTTP request), `context.json`
//! (credentials, region, service, time and settings) and the expected
//! canonical request, string to sign, signature and signed request, for a
//! signature in headers (`header-*`) and in the query string (`query-*`).
//! Every vector is checked, failures are collected, and the test fails at
//! the end listing each failing vector by name.
//!
//! The suite lives outside the repository: `SIGV4_TEST_SUITE` names it, or
//! it is `../shared/sigv4-test-suite` beside the repository. It runs with a
//! plain `cargo test` whenever it is there; without `../shared` the test
//! says so and passes, and with `SIGV4_TEST_SUITE` set a missing suite fails
//! (as in `.ci/run`):
//!
//! ```text
//! cargo test -p smithgen-runtime --test sigv4_suite
//! ```
//!
//! `v4a/` (SigV4a, an ECDSA algorithm smithgen does not implement) is not
//! run.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smithgen_runtime::auth::sigv4::{
    self, SignableRequest, SigningOutput, SigningParams, SigningSettings,
};
use smithgen_runtime::auth::Credentials;
use smithgen_runtime::json::JsonReader;
use smithgen_runtime::{DateTime, Document};

/// The example secret key of the AWS documentation, which the suite's
/// `AKIDEXAMPLE` credentials use.
const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// Secret keys of the two legacy vectors without `context.json`
/// (`double-url-encode` and `double-encode-path`, migrated from aws-sigv4's
/// older test format): their access key id is in the expected
/// `Authorization` header; these are the published test fixtures' secrets.
const LEGACY_SECRETS: [(&str, &str); 2] = [
    ("AKIDEXAMPLE", EXAMPLE_SECRET),
    ("ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby"),
];

/// Vector inputs that differ from the request their expected files were
/// made from: (vector, request target in request.txt, target the expected
/// files were made from, why). The fix is applied only if request.txt has
/// exactly the first target; any other request is signed as it is.
const INPUT_FIXES: [(&str, &str, &str, &str); 1] = [(
    "get-space-normalized",
    "/example%20space/",
    "/example space/",
    "this copy of request.txt percent-encodes the space (for parsers that reject it), \
     but the expected files were made by the CRT from the raw `/example space/`, as its \
     signed requests show; double encoding of `%20` would give `%2520`",
)];

/// A parsed `request.txt` or `*-signed-request.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HttpText {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpText {
    /// Parses an HTTP/1.1 request as the suite writes it: LF or CRLF line
    /// ends, a request target that may hold spaces, header values folded
    /// over indented lines (unfolded to one space, as RFC 9112 says),
    /// repeated headers, and a body after a blank line.
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.replace("\r\n", "\n");
        let (head, body) = match text.split_once("\n\n") {
            Some((head, body)) => (head, body),
            None => (text.trim_end_matches('\n'), ""),
        };
        let mut lines = head.lines();
        let request_line = lines.next().ok_or("empty request")?;
        let (method, rest) = request_line
            .split_once(' ')
            .ok_or_else(|| format!("no request target in {request_line:?}"))?;
        let target = match rest.rsplit_once(' ') {
            Some((target, version)) if version.starts_with("HTTP/") => target,
            _ => rest,
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                let (_, value) = headers
                    .last_mut()
                    .ok_or_else(|| format!("continuation line before any header: {line:?}"))?;
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("header line without `:`: {line:?}"))?;
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        Ok(HttpText {
            method: method.to_owned(),
            target: target.to_owned(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Headers as sorted (lower-case name, value) pairs: the signer appends
    /// its headers where the suite's writer may have put them elsewhere.
    fn comparable_headers(&self) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.sort();
        headers
    }
}

/// What one vector is signed with.
struct Context {
    credentials: Credentials,
    region: String,
    service: String,
    time: SystemTime,
    settings: SigningSettings,
    /// Whether the `query-*` files exist and are checked.
    query: bool,
    /// The time the header canonical request was made at, if different
    /// (one legacy vector).
    canonical_time: Option<SystemTime>,
}

fn parse_time(text: &str) -> Result<SystemTime, String> {
    let time = DateTime::parse_rfc3339(text).map_err(|e| e.to_string())?;
    let secs = u64::try_from(time.secs()).map_err(|_| format!("{text} is before 1970"))?;
    Ok(UNIX_EPOCH + Duration::from_secs(secs))
}

/// `20150830T123600Z` as a time.
fn parse_amz_date(text: &str) -> Result<SystemTime, String> {
    let t = text.trim();
    if t.len() != 16 || !t.is_char_boundary(8) || !t.is_char_boundary(15) {
        return Err(format!("not an X-Amz-Date: {t:?}"));
    }
    parse_time(&format!(
        "{}-{}-{}T{}:{}:{}Z",
        &t[0..4],
        &t[4..6],
        &t[6..8],
        &t[9..11],
        &t[11..13],
        &t[13..15]
    ))
}

fn read(dir: &Path, file: &str) -> Result<String, String> {
    fs::read_to_string(dir.join(file)).map_err(|e| format!("cannot read {file}: {e}"))
}

/// `context.json`.
fn context_from_json(text: &str) -> Result<Context, String> {
    let doc = JsonReader::new(text.as_bytes())
        .document()
        .map_err(|e| format!("context.json: {e}"))?;
    let root = doc.as_object().ok_or("context.json is not an object")?;
    let field = |name: &str| root.get(name);
    let string = |object: &BTreeMap<String, Document>, name: &str| -> Result<String, String> {
        object
            .get(name)
            .and_then(Document::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("context.json: no string {name}"))
    };
    let flag =
        |name: &str, default: bool| field(name).and_then(Document::as_bool).unwrap_or(default);
    let creds = field("credentials")
        .and_then(Document::as_object)
        .ok_or("context.json: no credentials")?;
    let token = creds
        .get("token")
        .and_then(Document::as_str)
        .map(str::to_owned);
    let expires = field("expiration_in_seconds")
        .and_then(Document::as_number)
        .and_then(|n| n.as_u64())
        .ok_or("context.json: no expiration_in_seconds")?;
    Ok(Context {
        credentials: Credentials::new(
            string(creds, "access_key_id")?,
            string(creds, "secret_access_key")?,
            token,
        ),
        region: string(root, "region")?,
        service: string(root, "service")?,
        time: parse_time(&string(root, "timestamp")?)?,
        settings: SigningSettings {
            normalize_path: flag("normalize", true),
            // Every vector signs for a service other than S3.
            double_uri_encode: true,
            content_sha256_header: flag("sign_body", false),
            sign_session_token: !flag("omit_session_token", false),
            unsigned_payload: false,
            streaming_events: false,
            streaming_trailer: false,
            expires_in: Some(Duration::from_secs(expires)),
        },
        query: true,
        canonical_time: None,
    })
}

/// The context of a legacy vector (no `context.json`): the access key id,
/// region and service from the expected `Authorization` header, the time
/// from the request's `X-Amz-Date`, default settings, headers only.
fn legacy_context(dir: &Path, request: &HttpText) -> Result<Context, String> {
    let signed = HttpText::parse(&read(dir, "header-signed-request.txt")?)?;
    let authorization = signed
        .header("authorization")
        .ok_or("legacy vector: no Authorization in header-signed-request.txt")?;
    let credential = authorization
        .split_once("Credential=")
        .and_then(|(_, rest)| rest.split(',').next())
        .ok_or("legacy vector: no Credential= in Authorization")?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, _date, region, service, _terminator] = parts[..] else {
        return Err(format!("legacy vector: odd credential {credential:?}"));
    };
    let secret = LEGACY_SECRETS
        .iter()
        .find(|(id, _)| *id == access_key_id)
        .map(|(_, secret)| *secret)
        .ok_or_else(|| format!("legacy vector: unknown access key id {access_key_id}"))?;
    let time = parse_amz_date(
        request
            .header("x-amz-date")
            .ok_or("legacy vector: no X-Amz-Date in request.txt")?,
    )?;
    // One legacy vector's canonical request was made at another time than
    // its signed request; take that time from its x-amz-date line.
    let canonical = read(dir, "header-canonical-request.txt")?;
    let canonical_time = canonical
        .lines()
        .find_map(|line| line.strip_prefix("x-amz-date:"))
        .map(parse_amz_date)
        .transpose()?
        .filter(|t| *t != time);
    Ok(Context {
        credentials: Credentials::new(access_key_id, secret, None),
        region: region.to_owned(),
        service: service.to_owned(),
        time,
        settings: SigningSettings::default(),
        query: false,
        canonical_time,
    })
}

fn params(context: &Context) -> SigningParams<'_> {
    SigningParams {
        credentials: &context.credentials,
        region: &context.region,
        service: &context.service,
        time: context.time,
        settings: context.settings,
    }
}

/// Compares, recording a failure.
fn check(failures: &mut Vec<String>, what: &str, expected: &str, actual: &str) {
    let expected = expected.trim_end_matches(['\n', '\r']);
    if expected != actual {
        failures.push(format!(
            "{what} differs\n    expected: {expected:?}\n    actual:   {actual:?}"
        ));
    }
}

fn check_signed_request(failures: &mut Vec<String>, what: &str, expected: &str, actual: &HttpText) {
    let expected = match HttpText::parse(expected) {
        Ok(expected) => expected,
        Err(e) => return failures.push(format!("{what}: cannot parse the expected file: {e}")),
    };
    if (&expected.method, &expected.target) != (&actual.method, &actual.target) {
        failures.push(format!(
            "{what}: request line differs\n    expected: {} {}\n    actual:   {} {}",
            expected.method, expected.target, actual.method, actual.target
        ));
    }
    let (expected_headers, actual_headers) =
        (expected.comparable_headers(), actual.comparable_headers());
    if expected_headers != actual_headers {
        failures.push(format!(
            "{what}: headers differ\n    expected: {expected_headers:?}\n    actual:   {actual_headers:?}"
        ));
    }
    if expected.body != actual.body {
        failures.push(format!("{what}: body differs"));
    }
}

fn run_header_variant(dir: &Path, request: &HttpText, context: &Context) -> Vec<String> {
    let mut failures = Vec::new();
    let req = SignableRequest::new(
        &request.method,
        &request.target,
        &request.headers,
        &request.body,
    );
    let params = params(context);
    let output: SigningOutput = match sigv4::sign(&req, &params) {
        Ok(output) => output,
        Err(e) => return vec![format!("sign failed: {e}")],
    };
    let mut files = vec!["header-canonical-request.txt", "header-signed-request.txt"];
    for optional in ["header-string-to-sign.txt", "header-signature.txt"] {
        if dir.join(optional).exists() {
            files.push(optional);
        }
    }
    for file in files {
        let expected = match read(dir, file) {
            Ok(text) => text,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        match file {
            "header-canonical-request.txt" => {
                let actual = match context.canonical_time {
                    None => output.canonical_request.clone(),
                    Some(time) => {
                        let mut at = params;
                        at.time = time;
                        match sigv4::canonical_request(&req, &at, sigv4::SignatureLocation::Headers)
                        {
                            Ok(creq) => creq,
                            Err(e) => {
                                failures.push(format!("canonical request failed: {e}"));
                                continue;
                            }
                        }
                    }
                };
                check(&mut failures, file, &expected, &actual);
            }
            "header-string-to-sign.txt" => {
                check(&mut failures, file, &expected, &output.string_to_sign);
            }
            "header-signature.txt" => check(&mut failures, file, &expected, &output.signature),
            _ => {
                let mut signed = request.clone();
                output.apply_to(&mut signed.headers);
                check_signed_request(&mut failures, file, &expected, &signed);
            }
        }
    }
    failures
}

fn run_query_variant(dir: &Path, request: &HttpText, context: &Context) -> Vec<String> {
    let mut failures = Vec::new();
    let req = SignableRequest::new(
        &request.method,
        &request.target,
        &request.headers,
        &request.body,
    );
    let presigned = match sigv4::presign(&req, &params(context)) {
        Ok(presigned) => presigned,
        Err(e) => return vec![format!("presign failed: {e}")],
    };
    for file in [
        "query-canonical-request.txt",
        "query-string-to-sign.txt",
        "query-signature.txt",
        "query-signed-request.txt",
    ] {
        let expected = match read(dir, file) {
            Ok(text) => text,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        match file {
            "query-canonical-request.txt" => {
                check(&mut failures, file, &expected, &presigned.canonical_request);
            }
            "query-string-to-sign.txt" => {
                check(&mut failures, file, &expected, &presigned.string_to_sign);
            }
            "query-signature.txt" => check(&mut failures, file, &expected, &presigned.signature),
            _ => {
                let signed = HttpText {
                    target: presigned.uri.clone(),
                    ..request.clone()
                };
                check_signed_request(&mut failures, file, &expected, &signed);
            }
        }
    }
    failures
}

/// The suite's folder: `SIGV4_TEST_SUITE` (required to exist), else `../shared/sigv4-test-suite`
/// beside the repository when it is there, else `None` (the test is skipped).
fn suite_dir() -> Option<PathBuf> {
    match std::env::var_os("SIGV4_TEST_SUITE") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sigv4-test-suite");
            dir.is_dir().then_some(dir)
        }
    }
}

#[test]
fn sigv4_test_suite() {
    let Some(suite) = suite_dir() else {
        eprintln!(
            "skipped: the SigV4 test suite is not beside the repository (../shared/sigv4-test-suite); \
             set SIGV4_TEST_SUITE to run it"
        );
        return;
    };
    let v4 = suite.join("v4");
    let entries = match fs::read_dir(&v4) {
        Ok(entries) => entries,
        Err(e) => panic!(
            "the SigV4 test suite is missing: cannot read {}: {e}\n\
             (set SIGV4_TEST_SUITE to the folder holding v4/, or put ../shared beside the repository)",
            v4.display()
        ),
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "{} holds no vectors", v4.display());

    let mut checks = 0;
    let mut passed = 0;
    let mut failed: Vec<String> = Vec::new();
    let mut fixed: Vec<String> = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut report = |variant: &str, failures: Vec<String>| {
            checks += 1;
            if failures.is_empty() {
                passed += 1;
            } else {
                failed.push(format!("{name} [{variant}]:\n  {}", failures.join("\n  ")));
            }
        };
        let mut request = match read(dir, "request.txt").and_then(|text| HttpText::parse(&text)) {
            Ok(request) => request,
            Err(e) => {
                report("request.txt", vec![e]);
                continue;
            }
        };
        if let Some((_, from, to, why)) = INPUT_FIXES.iter().find(|fix| fix.0 == name) {
            if request.target == *from {
                request.target = (*to).to_owned();
                fixed.push(format!("{name}: request target {from} read as {to}: {why}"));
            }
        }
        let context = if dir.join("context.json").exists() {
            read(dir, "context.json").and_then(|text| context_from_json(&text))
        } else {
            legacy_context(dir, &request)
        };
        let context = match context {
            Ok(context) => context,
            Err(e) => {
                report("context", vec![e]);
                continue;
            }
        };
        report("header", run_header_variant(dir, &request, &context));
        if context.query {
            report("query", run_query_variant(dir, &request, &context));
        }
    }

    println!(
        "SigV4 test suite {}: {passed} of {checks} checks passed ({} vectors, header and query variants)",
        v4.display(),
        dirs.len()
    );
    println!("not run: v4a/ (SigV4a, an ECDSA algorithm smithgen does not implement)");
    for fix in &fixed {
        println!("input fix: {fix}");
    }
    assert!(
        failed.is_empty(),
        "{} of {checks} SigV4 suite checks failed:\n\n{}",
        failed.len(),
        failed.join("\n\n")
    );
}

/// The parser handles the suite's quirks (this runs without the suite).
#[test]
fn parses_suite_http_text() {
    let request = HttpText::parse(
        "GET /example space/?a=b HTTP/1.1\nHost:example.amazonaws.com\nMy-Header1:value1\n  value2\n     value3\nX: 1\nX:2\n\nbody",
    )
    .expect("parses");
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/example space/?a=b");
    assert_eq!(request.header("my-header1"), Some("value1 value2 value3"));
    assert_eq!(request.headers.len(), 4);
    assert_eq!(request.body, b"body");
    let no_version = HttpText::parse("POST /a\r\nHost:h\r\n").expect("parses");
    assert_eq!(
        (no_version.target.as_str(), no_version.body.len()),
        ("/a", 0)
    );
    assert!(parse_amz_date("20150830T123600Z").is_ok());
    assert!(parse_amz_date("2015").is_err());
}
