//! HTTP bindings (`@http`, `@httpLabel`, `@httpQuery`, `@httpQueryParams`, `@httpHeader`,
//! `@httpPrefixHeaders`, `@httpResponseCode`) shared by the REST protocols (restJson1 now):
//! percent-encoding, query strings, header values in both directions.

use std::collections::HashMap;

use crate::json::{DeserializeError, TimestampFormat};
use crate::{Blob, DateTime};

/// RFC 3986 unreserved characters are kept; every other byte becomes `%XX`. `keep_slash` for
/// greedy labels (`{key+}`), whose `/` separate path segments.
pub fn percent_encode(value: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

/// Appends the value of the `@httpLabel` member `member` to a request path: it must be set and
/// not empty (a path segment cannot be), and is percent-encoded (greedy labels keep `/`).
pub fn push_label(
    uri: &mut String,
    member: &str,
    value: Option<&str>,
    greedy: bool,
) -> Result<(), String> {
    match value {
        Some(v) if !v.is_empty() => {
            uri.push_str(&percent_encode(v, greedy));
            Ok(())
        }
        _ => Err(format!(
            "`{member}` is required: it is part of the request path and cannot be empty"
        )),
    }
}

/// A query string under construction: pairs kept percent-encoded, in the order added.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pairs: Vec<(String, Option<String>)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// The literal part of the `@http` URI pattern (`?a=b&c`), already encoded as modeled.
    pub fn push_literal(&mut self, literal: &str) {
        for part in literal.split('&').filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((k, v)) => self.pairs.push((k.to_owned(), Some(v.to_owned()))),
                None => self.pairs.push((part.to_owned(), None)),
            }
        }
    }

    /// `key=value`, both percent-encoded.
    pub fn push(&mut self, key: &str, value: &str) {
        self.pairs.push((
            percent_encode(key, false),
            Some(percent_encode(value, false)),
        ));
    }

    /// Whether `key` is set already (an `@httpQuery` member wins over the same key in an
    /// `@httpQueryParams` map).
    pub fn has(&self, key: &str) -> bool {
        let encoded = percent_encode(key, false);
        self.pairs.iter().any(|(k, _)| *k == encoded)
    }

    /// Appends `?pairs` to `uri` (nothing when empty).
    pub fn write_to(&self, uri: &mut String) {
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(k);
            if let Some(v) = v {
                uri.push('=');
                uri.push_str(v);
            }
        }
    }
}

/// The entries of an `@httpQueryParams` or `@httpPrefixHeaders` map in key order, so that the
/// request is the same whatever the map's hashing (keys are strings or enums).
pub fn sorted_entries<K: AsRef<str>, V>(map: &HashMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    entries
}

/// A float as the REST protocols write it in paths, queries and headers: the shortest form
/// that reads back as the same value, or `NaN`, `Infinity`, `-Infinity`.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        format!("{value:?}")
    }
}

/// An `f32` as [`float_text`] writes it (without the digits of its `f64` widening).
pub fn f32_text(value: f32) -> String {
    if value.is_finite() {
        format!("{value:?}")
    } else {
        float_text(f64::from(value))
    }
}

/// A timestamp in `format`; epoch seconds as a number (`1576540098`, `1576540098.5`).
pub fn timestamp_text(value: &DateTime, format: TimestampFormat) -> Result<String, String> {
    match format {
        TimestampFormat::EpochSeconds => Ok(value.fmt_epoch_seconds()),
        TimestampFormat::DateTime => value.fmt_rfc3339().map_err(|e| e.to_string()),
        TimestampFormat::HttpDate => value.fmt_http_date().map_err(|e| e.to_string()),
    }
}

/// A blob (or a `@mediaType` string) as base64, the way headers carry it.
pub fn base64_text(value: &[u8]) -> String {
    use base64::Engine as _;
    crate::json::BASE64.encode(value)
}

/// One item of a header list: quoted (with `"` and `\` escaped) when it holds a comma or a
/// double quote, as is otherwise.
pub fn header_item(value: &str) -> String {
    if value.contains([',', '"']) {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        value.to_owned()
    }
}

/// Splits a header list (`a, "b, c", d`) into its items, unquoting quoted ones.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut item = String::new();
        if first == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            item.push(escaped);
                        }
                    }
                    '"' => break,
                    c => item.push(c),
                }
            }
            // Up to the next comma.
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
                item.push(c);
            }
            item = item.trim_end().to_owned();
        }
        items.push(item);
    }
    items
}

/// Splits a list of `http-date` timestamps, whose items hold a comma of their own
/// (`Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT`).
pub fn split_http_dates(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    parts.chunks(2).map(|pair| pair.join(", ")).collect()
}

/// The error for a header value that does not parse as its member's type.
pub fn header_error(name: &str, value: &str, expected: &str) -> DeserializeError {
    DeserializeError::at(
        format!("header `{name}`"),
        format!("expected {expected}, found {value:?}"),
    )
}

/// Parses a header value as a number or boolean.
pub fn parse_header<T: std::str::FromStr>(
    name: &str,
    value: &str,
    expected: &str,
) -> Result<T, DeserializeError> {
    value
        .trim()
        .parse()
        .map_err(|_| header_error(name, value, expected))
}

/// Parses a float header: a number, `NaN`, `Infinity` or `-Infinity`.
pub fn parse_float_header(name: &str, value: &str) -> Result<f64, DeserializeError> {
    match value.trim() {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => other
            .parse()
            .map_err(|_| header_error(name, value, "a number")),
    }
}

/// Parses a timestamp header in `format` (`http-date` unless the member says otherwise).
pub fn parse_timestamp_header(
    name: &str,
    value: &str,
    format: TimestampFormat,
) -> Result<DateTime, DeserializeError> {
    let value = value.trim();
    let parsed = match format {
        TimestampFormat::EpochSeconds => DateTime::parse_epoch_seconds(value),
        TimestampFormat::DateTime => DateTime::parse_rfc3339(value),
        TimestampFormat::HttpDate => DateTime::parse_http_date(value),
    };
    parsed.map_err(|e| header_error(name, value, &format!("a timestamp ({e})")))
}

/// Decodes a base64 header (a blob, or a `@mediaType` string).
pub fn parse_base64_header(name: &str, value: &str) -> Result<Blob, DeserializeError> {
    use base64::Engine as _;
    crate::json::BASE64
        .decode(value.trim())
        .map(Blob::new)
        .map_err(|_| header_error(name, value, "base64"))
}

/// Decodes a base64 header that holds text (a `@mediaType` string).
pub fn parse_base64_text_header(name: &str, value: &str) -> Result<String, DeserializeError> {
    let blob = parse_base64_header(name, value)?;
    String::from_utf8(blob.into_inner()).map_err(|_| header_error(name, value, "UTF-8 text"))
}

/// The headers whose names start with `prefix` (case-insensitively), keyed by the rest of the
/// name as received.
pub fn prefix_headers(headers: &[(String, String)], prefix: &str) -> HashMap<String, String> {
    headers
        .iter()
        .filter(|(k, _)| {
            k.len() >= prefix.len()
                && k.is_char_boundary(prefix.len())
                && k[..prefix.len()].eq_ignore_ascii_case(prefix)
        })
        .map(|(k, v)| (k[prefix.len()..].to_owned(), v.clone()))
        .collect()
}

/// Amazon Glacier's checksum headers for a request body: `X-Amz-Content-Sha256` (the SHA-256
/// of the body, hex) and `X-Amz-Sha256-Tree-Hash` (the SHA-256 tree hash over 1 MiB chunks),
/// each unless already set. A customization every AWS SDK applies to Glacier.
#[cfg(feature = "client")]
pub fn glacier_checksums(headers: &mut Vec<(String, String)>, body: &[u8]) {
    use sha2::{Digest, Sha256};
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has(headers, "x-amz-content-sha256") {
        headers.push((
            "X-Amz-Content-Sha256".to_owned(),
            hex(&Sha256::digest(body)),
        ));
    }
    if !has(headers, "x-amz-sha256-tree-hash") {
        let mut level: Vec<[u8; 32]> = body
            .chunks(1 << 20)
            .map(|chunk| Sha256::digest(chunk).into())
            .collect();
        if level.is_empty() {
            level.push(Sha256::digest(b"").into());
        }
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => {
                        let mut h = Sha256::new();
                        h.update(a);
                        h.update(b);
                        h.finalize().into()
                    }
                    [a] => *a,
                    _ => unreachable!("chunks(2) yields one or two"),
                })
                .collect();
        }
        headers.push(("X-Amz-Sha256-Tree-Hash".to_owned(), hex(&level[0])));
    }
}

/// A response body as text (a `string` payload).
pub fn body_text(body: &[u8]) -> Result<String, DeserializeError> {
    String::from_utf8(body.to_vec())
        .map_err(|_| DeserializeError::at("$", "the body is not UTF-8 text"))
}

/// All values of header `name` (case-insensitive), joined as one list (`a, b`) when it came more
/// than once.
pub fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    let mut values = headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str());
    let first = values.next()?;
    let mut joined = first.to_owned();
    for more in values {
        joined.push_str(", ");
        joined.push_str(more);
    }
    Some(joined)
}

/// Whether a body is empty or only whitespace (an absent payload).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_queries_are_percent_encoded() {
        assert_eq!(percent_encode("a b/c%d~", false), "a%20b%2Fc%25d~");
        assert_eq!(percent_encode("a b/c", true), "a%20b/c");
        assert_eq!(percent_encode("ü", false), "%C3%BC");
        let mut uri = String::from("/items/");
        push_label(&mut uri, "id", Some("x y"), false).unwrap();
        assert_eq!(uri, "/items/x%20y");
        assert!(push_label(&mut uri, "id", Some(""), false).is_err());
        assert!(push_label(&mut uri, "id", None, false)
            .unwrap_err()
            .contains("`id`"));
        let mut q = Query::new();
        q.push_literal("fixed=1&flag");
        q.push("a b", "c&d");
        assert!(q.has("a b"));
        let mut uri = String::from("/");
        q.write_to(&mut uri);
        assert_eq!(uri, "/?fixed=1&flag&a%20b=c%26d");
    }

    #[test]
    fn map_entries_come_in_key_order() {
        let map: HashMap<String, u8> = [("b", 2), ("a", 1), ("c", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let keys: Vec<&str> = sorted_entries(&map)
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn header_lists_quote_and_split() {
        let items = ["a", "b,c", "say \"hi\""].map(header_item);
        let joined = items.join(", ");
        assert_eq!(joined, r#"a, "b,c", "say \"hi\"""#);
        assert_eq!(split_header_list(&joined), ["a", "b,c", "say \"hi\""]);
        assert_eq!(split_header_list("1,2, 3"), ["1", "2", "3"]);
        assert_eq!(
            split_http_dates("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT"),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[cfg(feature = "client")]
    #[test]
    fn glacier_tree_hash_combines_megabyte_chunks() {
        use sha2::{Digest, Sha256};
        let mut headers = Vec::new();
        glacier_checksums(&mut headers, b"hello world");
        let expected = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(headers[0].1, expected);
        assert_eq!(headers[1].1, expected);
        // Two chunks: the hash of the two chunk hashes.
        let body = vec![7u8; (1 << 20) + 1];
        let mut headers = Vec::new();
        glacier_checksums(&mut headers, &body);
        let a = Sha256::digest(&body[..1 << 20]);
        let b = Sha256::digest(&body[1 << 20..]);
        let mut h = Sha256::new();
        h.update(a);
        h.update(b);
        let tree: String = h.finalize().iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(headers[1].1, tree);
        assert_ne!(headers[0].1, tree);
    }

    #[test]
    fn header_values_parse_or_name_the_header() {
        assert_eq!(parse_header::<i32>("X-N", " 12", "an integer").unwrap(), 12);
        let e = parse_header::<i32>("X-N", "twelve", "an integer").unwrap_err();
        assert!(e.to_string().contains("header `X-N`"), "{e}");
        assert!(parse_float_header("X-F", "NaN").unwrap().is_nan());
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(f32_text(1.1), "1.1");
        let t = parse_timestamp_header(
            "X-T",
            "Mon, 16 Dec 2019 23:48:18 GMT",
            TimestampFormat::HttpDate,
        )
        .unwrap();
        assert_eq!(
            timestamp_text(&t, TimestampFormat::EpochSeconds).unwrap(),
            "1576540098"
        );
        assert_eq!(parse_base64_text_header("X-B", "aGk=").unwrap(), "hi");
        let headers = vec![
            ("X-Foo-A".to_owned(), "1".to_owned()),
            ("x-foo-b".to_owned(), "2".to_owned()),
            ("Other".to_owned(), "3".to_owned()),
        ];
        let map = prefix_headers(&headers, "X-Foo-");
        assert_eq!(map.len(), 2);
        assert_eq!(map["b"], "2");
    }
}
