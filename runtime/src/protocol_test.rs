//! What the tests `smithgen protocol-tests` generates run on: an HTTP client that records the
//! request and answers with a canned response, a client configuration that never leaves the
//! process, and assertions for Smithy's `smithy.test#httpRequestTests` and
//! `smithy.test#httpResponseTests` cases.
//!
//! Behind the `protocol-test` feature: nothing here is compiled for ordinary users.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use crate::auth::credentials::Credentials;
use crate::client::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::client::{Config, ConfigBuilder, RetryConfig, TimeoutConfig};
use crate::json::JsonReader;
use crate::{Document, Number};

/// The value Smithy's protocol tests expect for an unset `@idempotencyToken` member.
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// An [`HttpClient`] that keeps every request it is sent and answers each with the same
/// response. Clones share what they recorded.
#[derive(Clone, Debug)]
pub struct CaptureClient {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    reply: HttpResponse,
}

impl CaptureClient {
    /// Answers `200` with an empty body (what request tests need: the response is not theirs
    /// to check).
    pub fn new() -> Self {
        Self::replying(200, &[], b"")
    }

    /// Answers every request with this status, these headers and this body.
    pub fn replying(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        CaptureClient {
            requests: Arc::new(Mutex::new(Vec::new())),
            reply: HttpResponse {
                status,
                headers: headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                body: body.to_vec(),
            },
        }
    }

    /// The last request sent, if any.
    pub fn last_request(&self) -> Option<HttpRequest> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last()
            .cloned()
    }

    /// A client configuration sending through this client: region `us-east-1`, fixed test
    /// credentials, the endpoint `https://{host}` (`example.com` when the case names none), no
    /// retries, no timeouts, nothing read from the environment, and the idempotency token the
    /// protocol tests expect (`00000000-0000-4000-8000-000000000000`).
    pub fn config(&self, host: Option<&str>) -> ConfigBuilder {
        let host = host.unwrap_or("example.com");
        self.config_by_rules()
            .endpoint_url(format!("https://{host}"))
    }

    /// [`config`](Self::config) without an endpoint: the service's rules resolve it.
    pub fn config_by_rules(&self) -> ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKIDPROTOCOLTEST",
                "protocol-test-secret-access-key",
                None,
            ))
            .retry_config(RetryConfig::disabled())
            .timeout_config(TimeoutConfig::disabled())
            .env(crate::auth::Env::from_vars(Vec::<(String, String)>::new()))
            .idempotency_token_provider(|| IDEMPOTENCY_TOKEN.to_owned())
            .http_client(self.clone())
    }
}

impl Default for CaptureClient {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpClient for CaptureClient {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request);
        let reply = self.reply.clone();
        Box::pin(async move { Ok(reply) })
    }
}

/// What an `httpRequestTests` case expects of the request; empty fields are not checked.
#[derive(Clone, Debug, Default)]
pub struct ExpectedRequest<'a> {
    /// `method`.
    pub method: &'a str,
    /// `uri`: the path, without the query string.
    pub uri: &'a str,
    /// `queryParams`: `key=value` pairs as they appear (percent-encoded) in the query string.
    pub query_params: &'a [&'a str],
    /// `forbidQueryParams`: keys that must not appear.
    pub forbid_query_params: &'a [&'a str],
    /// `requireQueryParams`: keys that must appear.
    pub require_query_params: &'a [&'a str],
    /// `headers`: names (any case) with their exact values.
    pub headers: &'a [(&'a str, &'a str)],
    /// `forbidHeaders`.
    pub forbid_headers: &'a [&'a str],
    /// `requireHeaders`.
    pub require_headers: &'a [&'a str],
    /// `resolvedHost`: the host the request went to (after any `@endpoint` host prefix).
    pub resolved_host: Option<&'a str>,
    /// `body`, when the case gives one.
    pub body: Option<&'a [u8]>,
    /// `bodyMediaType`: `application/json` bodies are compared as JSON values.
    pub body_media_type: Option<&'a str>,
    /// XML element names that are map entries (`entry`, a flattened map's member name): runs
    /// of such siblings are compared in any order, as a map's entries carry none.
    pub unordered: &'a [&'a str],
}

/// Checks a sent request against a case; panics listing every difference.
pub fn assert_request(request: &HttpRequest, expected: &ExpectedRequest<'_>) {
    let problems = request_problems(request, expected);
    if !problems.is_empty() {
        panic!(
            "the request does not match the test case:\n  - {}\nsent: {} {}\nheaders: {:?}\nbody: {}",
            problems.join("\n  - "),
            request.method,
            request.url,
            request
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                .collect::<Vec<_>>(),
            String::from_utf8_lossy(&request.body)
        );
    }
}

/// Every way `request` differs from `expected` (empty when it matches).
pub fn request_problems(request: &HttpRequest, expected: &ExpectedRequest<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    let (host, path, query) = split_url(&request.url);
    if !expected.method.is_empty() && !request.method.eq_ignore_ascii_case(expected.method) {
        problems.push(format!(
            "method: sent {}, expected {}",
            request.method, expected.method
        ));
    }
    if !expected.uri.is_empty() && path != expected.uri {
        problems.push(format!("uri: sent {path:?}, expected {:?}", expected.uri));
    }
    let pairs: Vec<&str> = query.map_or_else(Vec::new, |q| {
        q.split('&').filter(|p| !p.is_empty()).collect()
    });
    let key_of = |pair: &str| pair.split('=').next().unwrap_or("").to_owned();
    for want in expected.query_params {
        if !pairs.iter().any(|p| p == want) {
            problems.push(format!("query: `{want}` was not sent (sent {pairs:?})"));
        }
    }
    for key in expected.forbid_query_params {
        if pairs.iter().any(|p| key_of(p) == *key) {
            problems.push(format!("query: `{key}` must not be sent"));
        }
    }
    for key in expected.require_query_params {
        if !pairs.iter().any(|p| key_of(p) == *key) {
            problems.push(format!("query: `{key}` must be sent"));
        }
    }
    for (name, value) in expected.headers {
        match request.header(name) {
            None => problems.push(format!("header {name}: not sent (expected {value:?})")),
            Some(sent) if sent != *value => {
                problems.push(format!("header {name}: sent {sent:?}, expected {value:?}"))
            }
            Some(_) => {}
        }
    }
    for name in expected.forbid_headers {
        if let Some(sent) = request.header(name) {
            problems.push(format!("header {name}: must not be sent (sent {sent:?})"));
        }
    }
    for name in expected.require_headers {
        if request.header(name).is_none() {
            problems.push(format!("header {name}: must be sent"));
        }
    }
    if let Some(want) = expected.resolved_host {
        if host != want {
            problems.push(format!("host: sent to {host:?}, expected {want:?}"));
        }
    }
    if let Some(want) = expected.body {
        if let Some(problem) = body_problem_in(
            &request.body,
            want,
            expected.body_media_type,
            expected.unordered,
        ) {
            problems.push(problem);
        }
    }
    problems
}

/// `https://host:port/path?query` → (`host:port`, `/path`, `query`).
fn split_url(url: &str) -> (&str, &str, Option<&str>) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (authority, path_and_query) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    match path_and_query.split_once('?') {
        Some((path, query)) => (authority, path, Some(query)),
        None => (authority, path_and_query, None),
    }
}

/// Compares a body with the expected one: JSON by value, anything else byte for byte. An
/// expected empty body also accepts none.
pub fn body_problem(sent: &[u8], expected: &[u8], media_type: Option<&str>) -> Option<String> {
    body_problem_in(sent, expected, media_type, &[])
}

/// [`body_problem`], with the XML elements named in `unordered` compared in any order among
/// their like-named siblings.
fn body_problem_in(
    sent: &[u8],
    expected: &[u8],
    media_type: Option<&str>,
    unordered: &[&str],
) -> Option<String> {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if is_json && !(expected.is_empty() && sent.is_empty()) {
        let want = match parse_json(expected) {
            Ok(doc) => doc,
            Err(e) => return Some(format!("body: the test case's JSON does not parse: {e}")),
        };
        let got = match parse_json(sent) {
            Ok(doc) => doc,
            Err(e) => {
                return Some(format!(
                    "body: sent {:?}, which is not JSON ({e})",
                    String::from_utf8_lossy(sent)
                ))
            }
        };
        let mut differences = String::new();
        json_differences("$", &got, &want, &mut differences);
        return (!differences.is_empty()).then(|| format!("body differs:{differences}"));
    }
    if media_type == Some("application/x-www-form-urlencoded") {
        return form_problem(sent, expected);
    }
    let is_xml = media_type.is_some_and(|m| m == "application/xml" || m.ends_with("+xml"));
    if is_xml && !(expected.is_empty() && sent.is_empty()) {
        return xml_problem(sent, expected, unordered);
    }
    (sent != expected).then(|| {
        format!(
            "body: sent {:?}, expected {:?}",
            String::from_utf8_lossy(sent),
            String::from_utf8_lossy(expected)
        )
    })
}

/// Form bodies (`a=1&b=x%20y`) are equal when they hold the same decoded `key=value` pairs, in
/// any order (as Smithy's protocol tests say).
fn form_problem(sent: &[u8], expected: &[u8]) -> Option<String> {
    let pairs = |body: &[u8]| -> Vec<(String, String)> {
        let text = String::from_utf8_lossy(body);
        let mut pairs: Vec<(String, String)> = text
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (form_decode(k), form_decode(v))
            })
            .collect();
        pairs.sort();
        pairs
    };
    let (mut got, want) = (pairs(sent), pairs(expected));
    let mut missing = Vec::new();
    for pair in &want {
        match got.iter().position(|p| p == pair) {
            Some(i) => {
                got.remove(i);
            }
            None => missing.push(pair),
        }
    }
    if missing.is_empty() && got.is_empty() {
        return None;
    }
    let mut out = String::from("form body differs:");
    for (k, v) in missing {
        let _ = write!(out, "\n      missing {k}={v:?}");
    }
    for (k, v) in &got {
        let _ = write!(out, "\n      not expected {k}={v:?}");
    }
    let _ = write!(out, "\n      sent {:?}", String::from_utf8_lossy(sent));
    Some(out)
}

/// Percent-decoding of a form key or value (`+` is a space).
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && text.is_char_boundary(i + 3) => {
                match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// XML bodies are equal when their trees are: the same element names, attributes (in any
/// order, namespace declarations included), children in order and text, whitespace-only text
/// between elements ignored.
fn xml_problem(sent: &[u8], expected: &[u8], unordered: &[&str]) -> Option<String> {
    let want = match crate::xml::parse(expected) {
        Ok(doc) => doc,
        Err(e) => return Some(format!("body: the test case's XML does not parse: {e}")),
    };
    let got = match crate::xml::parse(sent) {
        Ok(doc) => doc,
        Err(e) => {
            return Some(format!(
                "body: sent {:?}, which is not XML ({e})",
                String::from_utf8_lossy(sent)
            ))
        }
    };
    let mut differences = String::new();
    xml_differences(
        &format!("/{}", want.name()),
        &got,
        &want,
        unordered,
        &mut differences,
    );
    (!differences.is_empty()).then(|| {
        format!(
            "XML body differs:{differences}\n      sent {:?}",
            String::from_utf8_lossy(sent)
        )
    })
}

fn xml_differences(
    path: &str,
    got: &crate::xml::XmlElement,
    want: &crate::xml::XmlElement,
    unordered: &[&str],
    out: &mut String,
) {
    if got.name() != want.name() {
        let _ = write!(out, "\n      {path}: sent <{}>", got.name());
        return;
    }
    let mut got_attributes = got.attributes().to_vec();
    let mut want_attributes = want.attributes().to_vec();
    got_attributes.sort();
    want_attributes.sort();
    if got_attributes != want_attributes {
        let _ = write!(
            out,
            "\n      {path}: attributes {got_attributes:?}, expected {want_attributes:?}"
        );
    }
    let text = |e: &crate::xml::XmlElement| {
        if e.children().is_empty() {
            e.text().to_owned()
        } else {
            e.text().trim().to_owned()
        }
    };
    if text(got) != text(want) {
        let _ = write!(
            out,
            "\n      {path}: text {:?}, expected {:?}",
            text(got),
            text(want)
        );
    }
    if got.children().len() != want.children().len() {
        let _ = write!(
            out,
            "\n      {path}: {} child elements, expected {}",
            got.children().len(),
            want.children().len()
        );
    }
    let got_children = in_order(got.children(), unordered);
    let want_children = in_order(want.children(), unordered);
    for (g, w) in got_children.iter().zip(&want_children) {
        xml_differences(&format!("{path}/{}", w.name()), g, w, unordered, out);
    }
}

/// `children` with each run of like-named siblings named in `unordered` sorted by content.
fn in_order<'e>(
    children: &'e [crate::xml::XmlElement],
    unordered: &[&str],
) -> Vec<&'e crate::xml::XmlElement> {
    let mut out: Vec<&crate::xml::XmlElement> = children.iter().collect();
    let mut start = 0;
    while start < out.len() {
        let name = out[start].name();
        let end = start + out[start..].iter().take_while(|e| e.name() == name).count();
        if unordered.contains(&name) {
            out[start..end].sort_by_cached_key(|e| canonical(e));
        }
        start = end;
    }
    out
}

/// An element as text that is the same for equal trees (attributes sorted, blank text out).
fn canonical(e: &crate::xml::XmlElement) -> String {
    let mut attributes = e.attributes().to_vec();
    attributes.sort();
    let mut out = format!("<{} {attributes:?}>{}", e.name(), e.text().trim());
    for child in e.children() {
        out.push_str(&canonical(child));
    }
    out.push_str("</>");
    out
}

fn parse_json(bytes: &[u8]) -> Result<Document, String> {
    let mut reader = JsonReader::new(bytes);
    let doc = reader.document().map_err(|e| e.to_string())?;
    reader.end().map_err(|e| e.to_string())?;
    Ok(doc)
}

/// Numbers are equal when their values are (`1` and `1.0`); objects regardless of key order.
fn json_differences(path: &str, got: &Document, want: &Document, out: &mut String) {
    match (got, want) {
        (Document::Object(g), Document::Object(w)) => {
            let keys: std::collections::BTreeSet<&String> = g.keys().chain(w.keys()).collect();
            for key in keys {
                let child = format!("{path}.{key}");
                match (g.get(key), w.get(key)) {
                    (Some(a), Some(b)) => json_differences(&child, a, b, out),
                    (Some(a), None) => {
                        let _ = write!(out, "\n      {child}: sent {a:?}, not expected");
                    }
                    (None, Some(b)) => {
                        let _ = write!(out, "\n      {child}: missing, expected {b:?}");
                    }
                    (None, None) => {}
                }
            }
        }
        (Document::Array(g), Document::Array(w)) if g.len() == w.len() => {
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                json_differences(&format!("{path}[{i}]"), a, b, out);
            }
        }
        (Document::Number(a), Document::Number(b)) if numbers_equal(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => {
            let _ = write!(out, "\n      {path}: sent {a:?}, expected {b:?}");
        }
    }
}

fn numbers_equal(a: &Number, b: &Number) -> bool {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64() || (a.as_f64().is_nan() && b.as_f64().is_nan()),
    }
}

/// Equality as the protocol tests define it for floats: NaN equals NaN. Used for outputs whose
/// expected values hold a NaN; `PartialEq` decides everything else.
pub fn debug_equal<T: std::fmt::Debug>(got: &T, want: &T) -> bool {
    format!("{got:?}") == format!("{want:?}")
}

/// Builds a [`Document`] object from `(key, value)` pairs (generated tests use it for `document`
/// members).
pub fn document_object<I: IntoIterator<Item = (&'static str, Document)>>(entries: I) -> Document {
    Document::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)], body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST",
            url: url.to_owned(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn json_bodies_compare_as_values() {
        let sent = request("https://example.com/", &[], r#"{"b":1.0,"a":[true,"x"]}"#);
        let ok = ExpectedRequest {
            method: "POST",
            uri: "/",
            body: Some(b"{\n  \"a\": [true, \"x\"],\n  \"b\": 1\n}"),
            body_media_type: Some("application/json"),
            ..Default::default()
        };
        assert!(request_problems(&sent, &ok).is_empty());
        let bad = ExpectedRequest {
            body: Some(br#"{"a":[true,"y"],"b":1,"c":null}"#),
            ..ok.clone()
        };
        let problems = request_problems(&sent, &bad);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("$.a[1]"), "{problems:?}");
        assert!(problems[0].contains("$.c: missing"), "{problems:?}");
        // Without a JSON media type, bodies are compared byte for byte.
        let bytes = ExpectedRequest {
            body: Some(br#"{"a":[true,"x"],"b":1.0}"#),
            body_media_type: None,
            ..ok
        };
        assert_eq!(request_problems(&sent, &bytes).len(), 1);
    }

    #[test]
    fn query_headers_and_host_are_checked() {
        let sent = request(
            "https://foo.example.com/path?a=1&b=x%20y&flag",
            &[("X-Amz-Target", "Svc.Op"), ("Content-Type", "text/plain")],
            "",
        );
        let ok = ExpectedRequest {
            method: "POST",
            uri: "/path",
            query_params: &["a=1", "b=x%20y", "flag"],
            forbid_query_params: &["c"],
            require_query_params: &["a"],
            headers: &[("x-amz-target", "Svc.Op")],
            forbid_headers: &["x-amzn-query-mode"],
            require_headers: &["content-type"],
            resolved_host: Some("foo.example.com"),
            ..Default::default()
        };
        assert!(request_problems(&sent, &ok).is_empty());
        let bad = ExpectedRequest {
            method: "GET",
            uri: "/other",
            query_params: &["a=2"],
            forbid_query_params: &["b"],
            require_query_params: &["z"],
            headers: &[("x-amz-target", "Svc.Other"), ("missing", "v")],
            forbid_headers: &["content-type"],
            require_headers: &["authorization"],
            resolved_host: Some("example.com"),
            ..Default::default()
        };
        assert_eq!(request_problems(&sent, &bad).len(), 10);
    }

    #[test]
    fn form_bodies_compare_as_decoded_pairs_in_any_order() {
        let sent = b"Action=Op&Version=1&B.member.1=x%20y&A=%3D";
        assert_eq!(
            body_problem(
                sent,
                b"Action=Op&Version=1&A=%3d&B.member.1=x+y",
                Some("application/x-www-form-urlencoded")
            ),
            None
        );
        let problem = body_problem(
            sent,
            b"Action=Op&Version=1&A=%3D&B.member.2=x%20y",
            Some("application/x-www-form-urlencoded"),
        )
        .unwrap();
        assert!(problem.contains("missing B.member.2"), "{problem}");
        assert!(problem.contains("not expected B.member.1"), "{problem}");
    }

    #[test]
    fn xml_bodies_compare_as_trees() {
        let xml = Some("application/xml");
        let sent = br#"<A xmlns="u" b="1" c="2"><X>1</X><Y/></A>"#;
        let same = b"<A c=\"2\" b=\"1\" xmlns=\"u\">\n  <X>1</X>\n  <Y></Y>\n</A>";
        assert_eq!(body_problem(sent, same, xml), None);
        // Map entries compare in any order, list items in theirs.
        let entries =
            b"<M><entry><key>a</key></entry><entry><key>b</key></entry><i>1</i><i>2</i></M>";
        let swapped =
            b"<M><entry><key>b</key></entry><entry><key>a</key></entry><i>1</i><i>2</i></M>";
        let reversed =
            b"<M><entry><key>a</key></entry><entry><key>b</key></entry><i>2</i><i>1</i></M>";
        assert_eq!(body_problem_in(entries, swapped, xml, &["entry"]), None);
        assert!(body_problem(entries, swapped, xml).is_some());
        assert!(body_problem_in(entries, reversed, xml, &["entry"]).is_some());
        let problem =
            body_problem(sent, br#"<A xmlns="u" b="1" c="2"><X>2</X><Z/></A>"#, xml).unwrap();
        assert!(problem.contains("/A/X: text"), "{problem}");
        assert!(problem.contains("/A/Z: sent <Y>"), "{problem}");
    }

    #[test]
    fn nan_equals_nan_in_debug_equality() {
        assert!(debug_equal(&Some(f64::NAN), &Some(f64::NAN)));
        assert!(!debug_equal(&Some(f64::NAN), &Some(1.0)));
    }
}
