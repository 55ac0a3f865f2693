//! The AWS query protocols (awsQuery, ec2Query): `POST /` with a form-encoded body naming the
//! operation (`Action`) and the API version (`Version`), and XML responses.
//!
//! awsQuery responses wrap the output in `<{Operation}Response><{Operation}Result>` and errors in
//! `<ErrorResponse><Error>`; ec2Query responses hold the output directly in
//! `<{Operation}Response>` and errors in `<Response><Errors><Error>`. Generated operations
//! implement [`WireOperation`](super::WireOperation) with [`serialize_request`] and
//! [`parse_response`].

use base64::Engine as _;

pub use super::{HttpRequest, ResponseError};
use crate::json::{DeserializeError, TimestampFormat};
use crate::xml::{XmlElement, XmlRead};
use crate::{DateTime, UnhandledError};

/// The `Content-Type` of query requests.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Which of the two query protocols a service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryVariant {
    /// awsQuery (IAM, STS, SNS, CloudFormation…).
    AwsQuery,
    /// ec2Query (EC2).
    Ec2Query,
}

/// A value that generated code writes as query parameters: the shapes an operation sends.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not written as query parameters by this crate"
)]
pub trait QueryWrite {
    /// Appends the value's parameters, each key starting with `prefix` (and a `.`), or with
    /// nothing for the top-level input (`prefix` empty).
    fn write_query(&self, w: &mut QueryWriter, prefix: &str);
}

impl QueryWrite for () {
    fn write_query(&self, _w: &mut QueryWriter, _prefix: &str) {}
}

/// Writes a form-encoded body (`key=value&…`), percent-encoding keys and values.
#[derive(Clone, Debug, Default)]
pub struct QueryWriter {
    out: String,
}

impl QueryWriter {
    /// A body starting with `Action={action}&Version={version}`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut w = QueryWriter::default();
        w.string("Action", action);
        w.string("Version", version);
        w
    }

    /// `key=value`.
    pub fn string(&mut self, key: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        encode_into(&mut self.out, key);
        self.out.push('=');
        encode_into(&mut self.out, value);
    }

    /// A boolean (`true`, `false`).
    pub fn bool(&mut self, key: &str, value: bool) {
        self.string(key, if value { "true" } else { "false" });
    }

    /// An integer.
    pub fn i64(&mut self, key: &str, value: i64) {
        self.string(key, &value.to_string());
    }

    /// A double (`NaN`, `Infinity`, `-Infinity` by name).
    pub fn f64(&mut self, key: &str, value: f64) {
        self.string(key, &crate::xml::float_text(value));
    }

    /// A float, written as its shortest `f32` form.
    pub fn f32(&mut self, key: &str, value: f32) {
        if value.is_finite() {
            self.string(key, &value.to_string());
        } else {
            self.f64(key, f64::from(value));
        }
    }

    /// A timestamp (`date-time` unless `@timestampFormat` says otherwise).
    pub fn timestamp(&mut self, key: &str, value: &DateTime, format: TimestampFormat) {
        self.string(key, &crate::xml::timestamp_text(value, format));
    }

    /// A blob, as base64.
    pub fn blob(&mut self, key: &str, value: &[u8]) {
        self.string(key, &crate::json::BASE64.encode(value));
    }

    /// The body.
    pub fn finish(self) -> String {
        self.out
    }
}

/// `prefix.name`, or `name` at the top level (`prefix` empty).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        let mut key = String::with_capacity(prefix.len() + 1 + name.len());
        key.push_str(prefix);
        key.push('.');
        key.push_str(name);
        key
    }
}

/// The entries of a map sorted by key, so that their numbers (`entry.1`, `entry.2`) do not
/// depend on the map's order.
pub fn sorted_entries<K, V>(
    map: &std::collections::HashMap<K, V>,
    key: impl Fn(&K) -> &str,
) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| key(a.0).cmp(key(b.0)));
    entries
}

/// Percent-encodes all but the unreserved characters (`A-Z a-z 0-9 - _ . ~`).
fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

/// What generated code implements for each operation of a query service.
pub trait QueryOperation: crate::Operation
where
    Self::Input: QueryWrite,
    Self::Output: XmlRead,
{
    /// awsQuery or ec2Query.
    const VARIANT: QueryVariant;
    /// `Action`: the operation's name.
    const ACTION: &'static str;
    /// `Version`: the service's version.
    const VERSION: &'static str;

    /// Maps an error response to the operation's error (its `<Error>` element in `meta`).
    fn read_error(meta: &ErrorMeta, body: &[u8]) -> Self::Error;
}

/// Builds the request of an operation: `POST /`, form-encoded.
pub fn serialize_request<O>(input: &O::Input) -> HttpRequest
where
    O: QueryOperation,
    O::Input: QueryWrite,
    O::Output: XmlRead,
{
    let mut w = QueryWriter::new(O::ACTION, O::VERSION);
    input.write_query(&mut w, "");
    HttpRequest {
        method: "POST",
        path: "/".to_owned(),
        host_prefix: None,
        endpoint_url: None,
        headers: vec![("Content-Type".to_owned(), CONTENT_TYPE.to_owned())],
        body: w.finish().into_bytes(),
    }
}

/// Parses a response into the operation's output or error.
pub fn parse_response<O>(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<O::Output, ResponseError<O::Error>>
where
    O: QueryOperation,
    O::Input: QueryWrite,
    O::Output: XmlRead,
{
    if !(200..300).contains(&status) {
        let meta = ErrorMeta::from_response(O::VARIANT, status, headers, body);
        return Err(ResponseError::Service(O::read_error(&meta, body)));
    }
    read_output::<O::Output>(O::VARIANT, O::ACTION, body).map_err(ResponseError::Deserialize)
}

/// Reads an output from a success body: the `<{action}Result>` of awsQuery (the root for
/// ec2Query). An empty body, or one without the result element, is an empty output.
pub fn read_output<T: XmlRead>(
    variant: QueryVariant,
    action: &str,
    body: &[u8],
) -> Result<T, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return T::read_xml(&XmlElement::default());
    }
    let root = crate::xml::parse(body)?;
    match variant {
        QueryVariant::Ec2Query => T::read_xml(&root),
        QueryVariant::AwsQuery => {
            let result = format!("{action}Result");
            match root.child(&result) {
                Some(result) => T::read_xml(result),
                None => T::read_xml(&XmlElement::default()),
            }
        }
    }
}

/// The code, message and request id of an error response, and its `<Error>` element.
#[derive(Clone, Debug)]
pub struct ErrorMeta {
    /// `<Code>`.
    pub code: String,
    /// `<Message>`.
    pub message: Option<String>,
    /// `<RequestId>` (awsQuery) or `<RequestID>` (ec2Query), else the `x-amzn-RequestId`
    /// header.
    pub request_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// The `<Error>` element, when the body has one.
    pub error: Option<XmlElement>,
}

impl ErrorMeta {
    /// Reads an error response. Never fails: a body that is not the protocol's error XML just
    /// carries no code or message.
    pub fn from_response(
        variant: QueryVariant,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> ErrorMeta {
        let root = crate::xml::parse(body).ok();
        let (error, request_id) = match (&root, variant) {
            (Some(root), QueryVariant::AwsQuery) => (
                root.child("Error").cloned(),
                root.child("RequestId").map(|e| e.text().trim().to_owned()),
            ),
            (Some(root), QueryVariant::Ec2Query) => (
                root.child("Errors")
                    .and_then(|errors| errors.child("Error"))
                    .cloned(),
                root.child("RequestID")
                    .or_else(|| root.child("RequestId"))
                    .map(|e| e.text().trim().to_owned()),
            ),
            (None, _) => (None, None),
        };
        let text = |name: &str| {
            error
                .as_ref()
                .and_then(|e| e.child(name))
                .map(|e| e.text().trim().to_owned())
        };
        ErrorMeta {
            code: text("Code").unwrap_or_default(),
            message: text("Message"),
            request_id: request_id
                .or_else(|| super::header(headers, "x-amzn-requestid").map(str::to_owned)),
            status,
            error,
        }
    }

    /// Reads a restXml error response: `<ErrorResponse><Error>…</Error></ErrorResponse>`, or
    /// the `<Error>` element as the root (`noErrorWrapping`, as S3 sends). The request id is
    /// `<RequestId>` beside or inside `<Error>`, else the `x-amz-request-id` or
    /// `x-amzn-RequestId` header. Never fails, as [`from_response`](Self::from_response).
    pub fn from_rest_xml(status: u16, headers: &[(String, String)], body: &[u8]) -> ErrorMeta {
        let root = crate::xml::parse(body).ok();
        let error = root.as_ref().and_then(|root| {
            if root.local_name() == "Error" {
                Some(root.clone())
            } else {
                root.child("Error").cloned()
            }
        });
        let text = |element: Option<&XmlElement>, name: &str| {
            element
                .and_then(|e| e.child(name))
                .map(|e| e.text().trim().to_owned())
        };
        let request_id = text(root.as_ref(), "RequestId")
            .or_else(|| text(error.as_ref(), "RequestId"))
            .or_else(|| super::header(headers, "x-amz-request-id").map(str::to_owned))
            .or_else(|| super::header(headers, "x-amzn-requestid").map(str::to_owned));
        // A response without a body (S3 answers every HEAD request's error so, and the Smithy
        // model's waiters match `HeadObject`'s 404 as the error `NotFound`) is named by its
        // status, as the other AWS SDKs name it: the reason phrase without spaces.
        let code = text(error.as_ref(), "Code").unwrap_or_else(|| {
            if super::rest::is_blank(body) {
                status_code_name(status).unwrap_or_default().to_owned()
            } else {
                String::new()
            }
        });
        ErrorMeta {
            code,
            message: text(error.as_ref(), "Message"),
            request_id,
            status,
            error,
        }
    }

    /// The error as `Unhandled`: code, message, request id, status and the raw body.
    pub fn unhandled(&self, body: &[u8]) -> UnhandledError {
        UnhandledError::from_response(
            &self.code,
            self.status,
            self.message.as_deref(),
            self.request_id.as_deref(),
            body,
        )
    }
}

/// The error code of a bodiless restXml error response: its status's reason phrase without
/// spaces (`404` is `NotFound`), for the statuses S3 answers with.
fn status_code_name(status: u16) -> Option<&'static str> {
    Some(match status {
        301 => "MovedPermanently",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        400 => "BadRequest",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        416 => "RequestedRangeNotSatisfiable",
        500 => "InternalServerError",
        501 => "NotImplemented",
        503 => "ServiceUnavailable",
        _ => return None,
    })
}

/// Reads a modeled error from the `<Error>` element: the error when it parses, else the
/// response as an [`UnhandledError`]. Generic only over the error type, so a crate holds one
/// copy per error shape however many operations return it.
pub fn read_modeled_error<T: XmlRead>(meta: &ErrorMeta, body: &[u8]) -> Result<T, UnhandledError> {
    let empty = XmlElement::default();
    T::read_xml(meta.error.as_ref().unwrap_or(&empty)).map_err(|_| meta.unhandled(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_percent_encoded() {
        let mut w = QueryWriter::new("Op", "2020-01-08");
        w.string(&key("A.member.1", "b c"), "x=y&z/é~");
        w.f64("F", f64::NAN);
        w.bool("B", true);
        w.blob("Q", b"value");
        assert_eq!(
            w.finish(),
            "Action=Op&Version=2020-01-08&A.member.1.b%20c=x%3Dy%26z%2F%C3%A9~&F=NaN&B=true&Q=dmFsdWU%3D"
        );
        assert_eq!(key("", "Top"), "Top");
    }

    #[test]
    fn error_meta_of_both_variants() {
        let aws = b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code>\
            <Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>";
        let meta = ErrorMeta::from_response(QueryVariant::AwsQuery, 400, &[], aws);
        assert_eq!(meta.code, "InvalidGreeting");
        assert_eq!(meta.message.as_deref(), Some("Hi"));
        assert_eq!(meta.request_id.as_deref(), Some("foo-id"));
        let ec2 = b"<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message>\
            </Error></Errors><RequestID>foo-id</RequestID></Response>";
        let meta = ErrorMeta::from_response(QueryVariant::Ec2Query, 400, &[], ec2);
        assert_eq!(meta.code, "InvalidGreeting");
        assert_eq!(meta.request_id.as_deref(), Some("foo-id"));
        let meta = ErrorMeta::from_response(QueryVariant::AwsQuery, 502, &[], b"<html>bad");
        assert_eq!(meta.code, "");
        assert_eq!(meta.unhandled(b"<html>bad").status(), Some(502));
    }

    #[test]
    fn rest_xml_errors_wrapped_or_not() {
        let wrapped = b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code>\
            <Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>";
        let meta = ErrorMeta::from_rest_xml(400, &[], wrapped);
        assert_eq!(meta.code, "InvalidGreeting");
        assert_eq!(meta.message.as_deref(), Some("Hi"));
        assert_eq!(meta.request_id.as_deref(), Some("foo-id"));
        let bare = b"<Error><Code>NoSuchKey</Code><Message>gone</Message>\
            <RequestId>r1</RequestId></Error>";
        let meta = ErrorMeta::from_rest_xml(404, &[], bare);
        assert_eq!(meta.code, "NoSuchKey");
        assert_eq!(meta.request_id.as_deref(), Some("r1"));
        let headers = vec![("x-amz-request-id".to_owned(), "h1".to_owned())];
        let meta = ErrorMeta::from_rest_xml(503, &headers, b"");
        assert_eq!(meta.code, "ServiceUnavailable");
        assert_eq!(meta.request_id.as_deref(), Some("h1"));
        // A HEAD request's 404 has no body: it is S3's `NotFound` (its waiters match it).
        assert_eq!(ErrorMeta::from_rest_xml(404, &[], b"").code, "NotFound");
        assert_eq!(ErrorMeta::from_rest_xml(404, &[], b" \n").code, "NotFound");
        assert_eq!(ErrorMeta::from_rest_xml(418, &[], b"").code, "");
        // A body that is not an error document keeps the code empty.
        assert_eq!(ErrorMeta::from_rest_xml(404, &[], b"<html/>").code, "");
    }

    #[test]
    fn outputs_are_read_from_their_result_element() {
        #[derive(Debug, Default, PartialEq)]
        struct Out(Option<String>);
        impl XmlRead for Out {
            fn read_xml(e: &XmlElement) -> Result<Self, DeserializeError> {
                Ok(Out(e.child("v").map(|v| v.text().to_owned())))
            }
        }
        let body = b"<OpResponse><OpResult><v>x</v></OpResult><v>no</v></OpResponse>";
        let out: Out = read_output(QueryVariant::AwsQuery, "Op", body).unwrap();
        assert_eq!(out, Out(Some("x".to_owned())));
        let body = b"<OpResponse><v>y</v></OpResponse>";
        let out: Out = read_output(QueryVariant::Ec2Query, "Op", body).unwrap();
        assert_eq!(out, Out(Some("y".to_owned())));
        let out: Out = read_output(QueryVariant::AwsQuery, "Op", b"").unwrap();
        assert_eq!(out, Out(None));
        let error = read_output::<Out>(QueryVariant::AwsQuery, "Op", b"<OpResponse>").unwrap_err();
        assert!(error.to_string().contains("ends inside"), "{error}");
    }
}
