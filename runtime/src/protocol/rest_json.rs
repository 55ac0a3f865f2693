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

/// An error response's code, message and request id.
pub fn error_meta(status: u16, headers: &[(String, String)], body: &[u8]) -> ErrorMeta {
    ErrorMeta::from_response(status, headers, body)
}

/// A `document` payload read from a whole body.
pub fn read_document(body: &[u8]) -> Result<Document, DeserializeError> {
    let mut r = JsonReader::new(body);
    let doc = r.document()?;
    r.end()?;
    Ok(doc)
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
