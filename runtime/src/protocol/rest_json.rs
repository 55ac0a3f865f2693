//! restJson1: HTTP-bound requests (`@http` method and path, labels, query, headers, a JSON body
//! or an `@httpPayload`), and responses read from the status, headers and body. Errors are
//! named and matched as in the AWS JSON protocols. Generated operations implement
//! [`WireOperation`](super::WireOperation) with these pieces.

pub use super::aws_json::{read_modeled_error, ErrorMeta};
pub use super::rest::*;
pub use super::{HttpRequest, ResponseError};

use crate::json::{DeserializeError, JsonReader};
use crate::Document;

/// The `Content-Type` of JSON bodies.
pub const JSON_CONTENT_TYPE: &str = "application/json";

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

/// A `document` payload read from a whole body.
pub fn read_document(body: &[u8]) -> Result<Document, DeserializeError> {
    let mut r = JsonReader::new(body);
    let doc = r.document()?;
    r.end()?;
    Ok(doc)
}

/// Whether a body is empty or only whitespace (an absent payload).
pub fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_join_as_a_list() {
        let headers = vec![
            ("X-A".to_owned(), "1".to_owned()),
            ("x-a".to_owned(), "2".to_owned()),
        ];
        assert_eq!(header_value(&headers, "X-A").as_deref(), Some("1, 2"));
        assert_eq!(header_value(&headers, "X-B"), None);
        assert!(is_blank(b" \n"));
        assert_eq!(
            read_document(b"[1]").unwrap(),
            Document::Array(vec![Document::from(1i64)])
        );
    }
}
