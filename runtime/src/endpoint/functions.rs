//! The rules engine's library functions that do more than compare: host
//! label checks, URL and ARN parsing, `substring`, `uriEncode` and `split`.
//!
//! They are plain functions of strings; [`super::eval`] adapts them to rule
//! values.

use std::borrow::Cow;
use std::ops::Range;

/// `isValidHostLabel`: whether `label` is an RFC 1123 host label
/// (`[A-Za-z0-9][A-Za-z0-9-]{0,62}`), or, with `allow_subdomains`, labels
/// joined by dots.
pub(crate) fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        label
            .split('.')
            .all(|part| is_valid_host_label(part, false))
    } else {
        let bytes = label.as_bytes();
        (1..=63).contains(&bytes.len())
            && bytes[0].is_ascii_alphanumeric()
            && bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    }
}

/// `aws.isVirtualHostableS3Bucket`: whether `bucket` can be the first labels
/// of a host name: a valid host label (labels, with `allow_subdomains`) of
/// 3 to 63 lower-case letters, digits, `-` (and `.`), starting and ending
/// with a letter or digit, not shaped like an IPv4 address, with no `-`
/// next to a `.`.
pub(crate) fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let bytes = bucket.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    is_valid_host_label(bucket, allow_subdomains)
        && (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && !looks_like_ipv4(bucket)
}

/// Whether `text` is four dot-separated runs of digits (of any value).
fn looks_like_ipv4(text: &str) -> bool {
    let mut parts = 0;
    for part in text.split('.') {
        parts += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    parts == 4
}

/// Whether `host` is a dotted-quad IPv4 address (each part 0 to 255).
fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let ok = !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| n <= 255);
        if !ok {
            return false;
        }
    }
    parts == 4
}

/// The result of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`.
    pub(crate) scheme: String,
    /// Host and port as written (no user information).
    pub(crate) authority: String,
    /// The path as written: empty or starting with `/`.
    pub(crate) path: String,
    /// The path starting and ending with `/`.
    pub(crate) normalized_path: String,
    /// Whether the host is an IPv4 or (bracketed) IPv6 address.
    pub(crate) is_ip: bool,
}

/// `parseURL`: an `http` or `https` URL without a query, or `None`.
///
/// The authority keeps its port, even a default one; user information and a
/// fragment are dropped.
pub(crate) fn parse_url(input: &str) -> Option<Url> {
    let (scheme, rest) = input.split_once("://")?;
    let scheme = if scheme.eq_ignore_ascii_case("https") {
        "https"
    } else if scheme.eq_ignore_ascii_case("http") {
        "http"
    } else {
        return None;
    };
    if rest.contains('?') {
        return None;
    }
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        let inner = &host[1..close];
        let inner_ok = !inner.is_empty()
            && inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !inner_ok {
            return None;
        }
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let host_ok = !host.is_empty()
        && (host.starts_with('[')
            || host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b)));
    let port_ok = port.is_none_or(|port| {
        !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
    });
    if !host_ok || !port_ok || path.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let normalized_path = if path.trim().is_empty() {
        "/".to_owned()
    } else if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Url {
        scheme: scheme.to_owned(),
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip: host.starts_with('[') || is_ipv4(host),
    })
}

/// `substring`: the byte range of `input` from `start` (inclusive) to `stop`
/// (exclusive), counted from the end with `reverse`; `None` if `input` is not
/// ASCII, is too short, or the range is empty.
pub(crate) fn substring(
    input: &str,
    start: usize,
    stop: usize,
    reverse: bool,
) -> Option<Range<usize>> {
    if start >= stop || input.len() < stop || !input.is_ascii() {
        return None;
    }
    Some(if reverse {
        input.len() - stop..input.len() - start
    } else {
        start..stop
    })
}

/// `uriEncode`: percent-encodes every byte but RFC 3986's unreserved
/// characters (`A-Z a-z 0-9 - _ . ~`), with upper-case hex digits.
pub(crate) fn uri_encode(input: &str) -> Cow<'_, str> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    if input.bytes().all(unreserved) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len() * 3);
    for b in input.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    Cow::Owned(out)
}

/// `split`: `input` split on `delimiter`, into at most `limit` parts (`0`:
/// no limit); `None` if the delimiter is empty.
pub(crate) fn split(input: &str, delimiter: &str, limit: usize) -> Option<Vec<String>> {
    if delimiter.is_empty() {
        return None;
    }
    Some(if limit == 0 {
        input.split(delimiter).map(str::to_owned).collect()
    } else {
        input.splitn(limit, delimiter).map(str::to_owned).collect()
    })
}

/// The result of `aws.parseArn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arn {
    pub(crate) partition: String,
    pub(crate) service: String,
    pub(crate) region: String,
    pub(crate) account_id: String,
    /// The resource part split on `:` and `/`.
    pub(crate) resource_id: Vec<String>,
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, with
/// non-empty partition, service and resource, or `None`.
pub(crate) fn parse_arn(input: &str) -> Option<Arn> {
    let mut parts = input.splitn(6, ':');
    let (arn, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_labels() {
        for (label, plain, subdomains) in [
            ("us-east-1", true, true),
            ("3aws4", true, true),
            ("part1.part2", false, true),
            ("part1 part2", false, false),
            ("", false, false),
            ("part1.", false, false),
            ("part1..part2", false, false),
            ("part1.-part2", false, false),
            ("-part1", false, false),
            ("part1-", true, true),
            ("ab_c", false, false),
            ("é", false, false),
        ] {
            assert_eq!(is_valid_host_label(label, false), plain, "{label:?}");
            assert_eq!(is_valid_host_label(label, true), subdomains, "{label:?}");
        }
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        let long = format!("{}.{}", "a".repeat(63), "b".repeat(63));
        assert!(is_valid_host_label(&long, true));
    }

    #[test]
    fn virtual_hostable_buckets() {
        for (bucket, plain, subdomains) in [
            ("bucket-name", true, true),
            ("bucket-with-number-1", true, true),
            ("BucketName", false, false),
            ("bucket_name", false, false),
            ("bucket.name", false, true),
            ("bucket.name.multiple.dots1", false, true),
            ("-bucket-name", false, false),
            ("bucket-name-", false, false),
            ("aa", false, false),
            (".bucket-name", false, false),
            ("bucket-name.", false, false),
            ("192.168.5.4", false, false),
            ("bucket-.name", false, false),
            ("bucket.-name", false, false),
            ("abc", true, true),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(bucket, false),
                plain,
                "{bucket}"
            );
            assert_eq!(
                is_virtual_hostable_s3_bucket(bucket, true),
                subdomains,
                "{bucket}"
            );
        }
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }

    fn url(input: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(input).map(|u| (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip))
    }

    fn parts(
        s: &str,
        a: &str,
        p: &str,
        n: &str,
        ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((s.into(), a.into(), p.into(), n.into(), ip))
    }

    #[test]
    fn parse_url_spec_examples() {
        assert_eq!(
            url("https://example.com"),
            parts("https", "example.com", "", "/", false)
        );
        assert_eq!(url("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            url("http://example.com:80/foo/bar"),
            parts("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            url("https://127.0.0.1"),
            parts("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            url("https://[fe80::1]"),
            parts("https", "[fe80::1]", "", "/", true)
        );
    }

    #[test]
    fn parse_url_edges() {
        assert_eq!(
            url("https://example.com/"),
            parts("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            url("http://192.168.1.1:1234/foo/"),
            parts("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            url("https://[2001:db8::7348]:443"),
            parts("https", "[2001:db8::7348]:443", "", "/", true)
        );
        assert!(!url("https://999.999.abc.blah").unwrap().4);
        assert!(!url("https://256.1.1.1").unwrap().4);
        assert_eq!(url("http://99_ab-.com").unwrap().1, "99_ab-.com");
        assert_eq!(url("HTTPS://example.com").unwrap().0, "https");
        assert_eq!(
            url("https://user:pw@example.com/p").unwrap().1,
            "example.com"
        );
        assert_eq!(url("https://example.com/p#frag").unwrap().2, "/p");
        for bad in [
            "acbd://example.com",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:99999",
            "example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com?",
            "https://[zz::1]",
            "https://[::1",
            "https://[::1]x",
        ] {
            assert_eq!(url(bad), None, "{bad}");
        }
    }

    #[test]
    fn substring_spec_examples() {
        let sub = |s: &'static str, a, b, r| substring(s, a, b, r).map(|range| &s[range]);
        assert_eq!(sub("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(sub("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(sub("abc", 0, 4, false), None);
        assert_eq!(sub("", 0, 4, false), None);
        assert_eq!(sub("\u{fdfd}", 0, 4, false), None);
        assert_eq!(sub("abcdef\u{80}", 0, 4, false), None);
        assert_eq!(sub("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
        assert_eq!(sub("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(sub("defg", 0, 4, true), Some("defg"));
        assert_eq!(sub("abc", 0, 4, true), None);
        assert_eq!(sub("defg", 1, 3, false), Some("ef"));
        assert_eq!(sub("def", 1, 3, false), Some("ef"));
        assert_eq!(sub("ab", 1, 3, false), None);
        assert_eq!(sub("abcdef", 3, 3, false), None);
        assert_eq!(sub("abcdef", 4, 2, false), None);
    }

    #[test]
    fn uri_encode_spec_examples() {
        assert!(matches!(uri_encode("abcdefg"), Cow::Borrowed("abcdefg")));
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(uri_encode("\u{1f639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn split_spec_examples() {
        for (input, delimiter, limit, expected) in [
            ("a--b--c", "--", 0, &["a", "b", "c"][..]),
            ("a--b--c", "--", 2, &["a", "b--c"]),
            ("a--b--c", "--", 1, &["a--b--c"]),
            ("", "--", 0, &[""]),
            ("--", "--", 0, &["", ""]),
            ("----", "--", 0, &["", "", ""]),
            ("--b--", "--", 0, &["", "b", ""]),
            (
                "--x-s3--azid--suffix",
                "--",
                0,
                &["", "x-s3", "azid", "suffix"],
            ),
            ("--x-s3--azid--suffix", "--", 2, &["", "x-s3--azid--suffix"]),
            ("abc", "x", 0, &["abc"]),
            ("mybucket", "--", 1, &["mybucket"]),
        ] {
            assert_eq!(
                split(input, delimiter, limit).unwrap(),
                expected,
                "{input:?} {limit}"
            );
        }
        assert_eq!(split("abc", "", 0), None);
    }

    #[test]
    fn parse_arn_spec_examples() {
        let arn = parse_arn("arn:aws:sns:us-west-2:012345678910:example-sns-topic-name").unwrap();
        assert_eq!(
            (
                arn.partition.as_str(),
                arn.service.as_str(),
                arn.region.as_str()
            ),
            ("aws", "sns", "us-west-2")
        );
        assert_eq!(arn.account_id, "012345678910");
        assert_eq!(arn.resource_id, ["example-sns-topic-name"]);
        assert_eq!(parse_arn("11111111-2222-3333-4444-555555555555"), None);
        let vpc =
            parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE").unwrap();
        assert_eq!(vpc.resource_id, ["vpc", "vpc-0e9801d129EXAMPLE"]);
        let user = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
        assert_eq!((user.region.as_str(), user.resource_id.len()), ("", 2));
        let bucket = parse_arn("arn:aws:s3:::bucket_name").unwrap();
        assert_eq!(
            (bucket.account_id.as_str(), &bucket.resource_id[..]),
            ("", &["bucket_name".to_owned()][..])
        );
        let colons = parse_arn("arn:aws:s3:us-west-2:123:accesspoint:my/ap:x").unwrap();
        assert_eq!(colons.resource_id, ["accesspoint", "my", "ap", "x"]);
        for bad in [
            "arn:aws:s3:us-west-2:123",
            "arn::s3:r:a:x",
            "arn:aws::r:a:x",
            "arn:aws:s3:r:a:",
            "ARN:aws:s3:r:a:x",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }
}
