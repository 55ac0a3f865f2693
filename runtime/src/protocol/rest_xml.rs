//! restXml: the HTTP bindings of restJson1 (shared in [`rest`](super::rest)) with XML bodies.
//! A request's body members are written under a root element named after the input structure
//! (its `@xmlName`, else its shape name); a structure or union `@httpPayload` is the root
//! itself. Errors are `<ErrorResponse><Error>…</Error></ErrorResponse>`, or a bare `<Error>`
//! (S3), matched by `<Code>`.

pub use super::query::{read_modeled_error, ErrorMeta};
pub use super::rest::*;
pub use super::{HttpRequest, ResponseError};

use crate::json::DeserializeError;
use crate::xml::{XmlElement, XmlRead, XmlWrite, XmlWriter};

/// The `Content-Type` of XML bodies.
pub const XML_CONTENT_TYPE: &str = "application/xml";

/// An error response's code, message and `<Error>` element.
pub fn error_meta(status: u16, headers: &[(String, String)], body: &[u8]) -> ErrorMeta {
    ErrorMeta::from_rest_xml(status, headers, body)
}

/// The XML document of `value` under the root element `root`, with the namespace `namespace`
/// (`(prefix, uri)`) declared on it when given.
pub fn write_body<T: XmlWrite + ?Sized>(
    root: &str,
    namespace: Option<(Option<&str>, &str)>,
    value: &T,
) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.start(root);
    if let Some((prefix, uri)) = namespace {
        w.namespace(prefix, uri);
    }
    value.write_xml(&mut w);
    w.end();
    w.finish().into_bytes()
}

/// Reads a structure from a whole body's root element, whatever its name; a blank body is the
/// structure with nothing set.
pub fn read_body<T: XmlRead>(body: &[u8]) -> Result<T, DeserializeError> {
    if is_blank(body) {
        return T::read_xml(&XmlElement::default());
    }
    T::read_xml(&crate::xml::parse(body)?)
}

/// Reads a structure whose one body member is the whole document (S3's
/// `@s3UnwrappedXmlOutput`: `GetBucketLocation` answers `<LocationConstraint>…`, not a
/// wrapper around it).
pub fn read_unwrapped_body<T: XmlRead>(body: &[u8]) -> Result<T, DeserializeError> {
    if is_blank(body) {
        return T::read_xml(&XmlElement::default());
    }
    let root = crate::xml::parse(body)?;
    T::read_xml(&XmlElement::wrapping(root))
}

/// Whether a success (`200 OK`) body is in fact an error: S3 answers some calls that fail
/// after it has started to reply (`CopyObject`, `CompleteMultipartUpload`, `UploadPartCopy`)
/// with `200` and an `<Error>` document.
pub fn is_error_document(body: &[u8]) -> bool {
    let text = match std::str::from_utf8(body.get(..body.len().min(512)).unwrap_or(body)) {
        Ok(text) => text,
        // Cut inside a character: what precedes it is enough.
        Err(e) => std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut rest = text.trim_start();
    // Past an XML declaration, comments and whitespace, the first element names the document.
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    rest.strip_prefix("<Error")
        .is_some_and(|after| after.starts_with(['>', ' ', '\t', '\r', '\n', '/']))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Greeting(&'static str);

    impl XmlWrite for Greeting {
        fn write_xml(&self, w: &mut XmlWriter) {
            w.attribute("lang", "en");
            w.element("text", self.0);
        }
    }

    impl XmlRead for Greeting {
        fn read_xml(element: &XmlElement) -> Result<Self, DeserializeError> {
            Ok(Greeting(match element.child("text") {
                Some(_) => "some",
                None => "none",
            }))
        }
    }

    #[test]
    fn bodies_are_written_under_their_root_and_read_from_any() {
        let body = write_body("Hello", Some((Some("b"), "urn:b")), &Greeting("a<b"));
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"<Hello xmlns:b="urn:b" lang="en"><text>a&lt;b</text></Hello>"#
        );
        assert_eq!(
            read_body::<Greeting>(b"<Any><text/></Any>").unwrap().0,
            "some"
        );
        assert_eq!(read_body::<Greeting>(b" \n").unwrap().0, "none");
        assert!(read_body::<Greeting>(b"<Any>").is_err());
    }

    #[test]
    fn unwrapped_bodies_are_their_one_member() {
        assert_eq!(
            read_unwrapped_body::<Greeting>(b"<text>x</text>")
                .unwrap()
                .0,
            "some"
        );
        assert_eq!(read_unwrapped_body::<Greeting>(b"").unwrap().0, "none");
    }

    #[test]
    fn errors_in_success_bodies_are_recognised() {
        assert!(is_error_document(
            b"<Error><Code>InternalError</Code></Error>"
        ));
        assert!(is_error_document(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error>\n<Code>SlowDown</Code></Error>"
        ));
        assert!(!is_error_document(
            b"<CopyObjectResult><ETag>x</ETag></CopyObjectResult>"
        ));
        assert!(!is_error_document(b"<Errors/>"));
        assert!(!is_error_document(b""));
        assert!(!is_error_document(b"<?xml version=\"1.0\""));
    }
}
