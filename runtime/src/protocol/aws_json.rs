//! The AWS JSON 1.0 and 1.1 protocols (awsJson1_0, awsJson1_1): `POST /` with the operation named
//! in `X-Amz-Target`, JSON bodies, and errors named by `X-Amzn-Errortype` or `__type`.

use super::{header, HttpRequest, JsonRead, JsonWrite};
use crate::json::{DeserializeError, JsonReader, JsonWriter};
use crate::{Operation, UnhandledError};

/// Which of the two protocol versions a service speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonVersion {
    /// awsJson1_0 (DynamoDB, SQS).
    V1_0,
    /// awsJson1_1 (Lightsail, Secrets Manager).
    V1_1,
}

impl JsonVersion {
    /// The `Content-Type` of requests.
    pub const fn content_type(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "application/x-amz-json-1.0",
            JsonVersion::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// What generated code implements for each operation of an AWS JSON service.
pub trait AwsJsonOperation: Operation
where
    Self::Input: JsonWrite,
    Self::Output: JsonRead,
{
    /// The protocol version.
    const VERSION: JsonVersion;
    /// `X-Amz-Target`: `<service shape name>.<operation name>`.
    const TARGET: &'static str;
    /// Whether the service is `awsQueryCompatible` (requests then carry
    /// `x-amzn-query-mode: true`, asking for `x-amzn-query-error` on errors).
    const QUERY_COMPATIBLE: bool = false;
    /// The encodings of `@requestCompression`, in the model's order of preference (empty:
    /// requests are never compressed).
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];
    /// How calls authenticate (see [`WireOperation::AUTH`](super::WireOperation::AUTH)).
    const AUTH: super::Auth = super::Auth::Required;

    /// Maps an error response to the operation's error: a modeled error when the code matches
    /// one (and its body parses), `Unhandled` otherwise.
    fn read_error(meta: &ErrorMeta, body: &[u8]) -> Self::Error;

    /// The `@endpoint` host prefix of a call (its `@hostLabel` members filled in and checked),
    /// `Ok(None)` for operations without one; `Err` says which label is wrong.
    fn host_prefix(_input: &Self::Input) -> Result<Option<String>, String> {
        Ok(None)
    }

    /// The endpoint a call names itself, for the few operations whose input holds one (an
    /// AWS SDK customization: Machine Learning's `Predict` and its `PredictEndpoint`).
    fn endpoint_url(_input: &Self::Input) -> Option<String> {
        None
    }

    /// See [`WireOperation::STREAMING_OUTPUT`](super::WireOperation::STREAMING_OUTPUT): the
    /// output holds an event stream (Kinesis `SubscribeToShard`).
    const STREAMING_OUTPUT: bool = false;

    /// See [`WireOperation::attach_stream`](super::WireOperation::attach_stream).
    fn attach_stream(_output: &mut Self::Output, _body: crate::ByteStream) {}

    /// See [`WireOperation::initial_response`](super::WireOperation::initial_response).
    fn initial_response(_output: &mut Self::Output) -> super::InitialResponse<'_> {
        Box::pin(std::future::ready(Ok(())))
    }
}

pub use super::ResponseError;

impl<O> super::WireOperation for O
where
    O: AwsJsonOperation,
    O::Input: JsonWrite,
    O::Output: JsonRead,
{
    const REQUEST_COMPRESSION: &'static [&'static str] =
        <O as AwsJsonOperation>::REQUEST_COMPRESSION;
    const AUTH: super::Auth = <O as AwsJsonOperation>::AUTH;
    const STREAMING_OUTPUT: bool = <O as AwsJsonOperation>::STREAMING_OUTPUT;

    fn attach_stream(output: &mut Self::Output, body: crate::ByteStream) {
        <O as AwsJsonOperation>::attach_stream(output, body)
    }

    fn initial_response(output: &mut Self::Output) -> super::InitialResponse<'_> {
        <O as AwsJsonOperation>::initial_response(output)
    }

    fn serialize_request(input: &Self::Input) -> Result<HttpRequest, String> {
        let mut request = serialize_request::<O>(input);
        request.host_prefix = O::host_prefix(input)?;
        request.endpoint_url = O::endpoint_url(input);
        Ok(request)
    }

    fn parse_response(
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Self::Output, ResponseError<Self::Error>> {
        parse_response::<O>(status, headers, body)
    }
}

/// Builds the HTTP request of an operation.
pub fn serialize_request<O>(input: &O::Input) -> HttpRequest
where
    O: AwsJsonOperation,
    O::Input: JsonWrite,
    O::Output: JsonRead,
{
    let mut w = JsonWriter::new();
    input.write_json(&mut w);
    let mut headers = vec![
        (
            "Content-Type".to_owned(),
            O::VERSION.content_type().to_owned(),
        ),
        ("X-Amz-Target".to_owned(), O::TARGET.to_owned()),
    ];
    if O::QUERY_COMPATIBLE {
        headers.push(("x-amzn-query-mode".to_owned(), "true".to_owned()));
    }
    HttpRequest {
        method: "POST",
        path: "/".to_owned(),
        host_prefix: None,
        endpoint_url: None,
        headers,
        body: w.finish().into_bytes(),
    }
}

/// Parses an HTTP response into the operation's output or error.
pub fn parse_response<O>(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<O::Output, ResponseError<O::Error>>
where
    O: AwsJsonOperation,
    O::Input: JsonWrite,
    O::Output: JsonRead,
{
    if (200..300).contains(&status) {
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            &b"{}"[..]
        } else {
            body
        };
        return O::Output::from_json(body).map_err(ResponseError::Deserialize);
    }
    let meta = ErrorMeta::from_response(status, headers, body);
    Err(ResponseError::Service(O::read_error(&meta, body)))
}

/// What an error response says about itself, before it is matched to a modeled error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The sanitised error code (`ns#Name:uri` → `Name`), or the query error code when the
    /// response carries `x-amzn-query-error`.
    pub code: String,
    /// The message (`message` or `Message` in the body).
    pub message: Option<String>,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
    /// `Sender` or `Receiver`, from `x-amzn-query-error`.
    pub query_fault: Option<String>,
}

impl ErrorMeta {
    /// Reads the code, message and request id of an error response. Never fails: a body that is
    /// not JSON just carries no code or message.
    pub fn from_response(status: u16, headers: &[(String, String)], body: &[u8]) -> ErrorMeta {
        let (body_type, body_code, message) = scan_error_body(body);
        let named = header(headers, "x-amzn-errortype")
            .map(str::to_owned)
            .or(body_type)
            .or(body_code)
            .unwrap_or_default();
        let mut meta = ErrorMeta {
            code: sanitize_error_code(&named).to_owned(),
            message,
            request_id: header(headers, "x-amzn-requestid").map(str::to_owned),
            status,
            query_fault: None,
        };
        if let Some((code, fault)) =
            header(headers, "x-amzn-query-error").and_then(|v| v.split_once(';'))
        {
            if !code.is_empty() {
                meta.code = code.to_owned();
                meta.query_fault = Some(fault.to_owned());
            }
        }
        meta
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

/// Reads a modeled error's body: the error when it parses (an empty body reads as `{}`), else
/// the response as an [`UnhandledError`]. Generic only over the error type, so a crate holds
/// one copy per error shape however many operations return it.
pub fn read_modeled_error<T: JsonRead>(meta: &ErrorMeta, body: &[u8]) -> Result<T, UnhandledError> {
    let body_or_empty = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    T::from_json(body_or_empty).map_err(|_| meta.unhandled(body))
}

/// `ns#Name:http://…` → `Name`: what precedes the first `:`, then what follows the first `#`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let name = before_colon
        .split_once('#')
        .map_or(before_colon, |(_, name)| name);
    name.trim()
}

/// The top-level `__type`, `code` and `message`/`Message` of an error body, if it is JSON.
fn scan_error_body(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    let (mut kind, mut code, mut message) = (None, None, None);
    let mut r = JsonReader::new(body);
    let scanned: Result<(), DeserializeError> = (|| {
        if r.peek_null()? {
            return Ok(());
        }
        r.begin_object()?;
        while let Some(key) = r.next_key()? {
            let slot = match key.as_ref() {
                "__type" => Some(&mut kind),
                "code" | "Code" => Some(&mut code),
                "message" | "Message" | "errorMessage" => Some(&mut message),
                _ => None,
            };
            match slot {
                Some(slot) if !r.peek_null()? => match r.string() {
                    Ok(s) => *slot = Some(s),
                    Err(_) => return Ok(()),
                },
                Some(_) => {}
                None => r.skip_value()?,
            }
        }
        Ok(())
    })();
    let _ = scanned;
    (kind, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sanitised() {
        for raw in [
            "FooError",
            "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "aws.protocoltests.restjson#FooError",
            "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        ] {
            assert_eq!(sanitize_error_code(raw), "FooError", "{raw}");
        }
    }

    #[test]
    fn header_wins_over_body_and_query_error_over_both() {
        let headers = vec![
            (
                "X-Amzn-ErrorType".to_owned(),
                "HeaderError:http://x".to_owned(),
            ),
            ("x-amzn-RequestId".to_owned(), "req-1".to_owned()),
        ];
        let body = br#"{"__type": "ns#BodyError", "Message": "bad thing"}"#;
        let meta = ErrorMeta::from_response(400, &headers, body);
        assert_eq!(meta.code, "HeaderError");
        assert_eq!(meta.message.as_deref(), Some("bad thing"));
        assert_eq!(meta.request_id.as_deref(), Some("req-1"));
        let meta = ErrorMeta::from_response(400, &[], body);
        assert_eq!(meta.code, "BodyError");
        let query = vec![(
            "x-amzn-query-error".to_owned(),
            "AWS.SimpleQueueService.NonExistentQueue;Sender".to_owned(),
        )];
        let meta = ErrorMeta::from_response(400, &query, body);
        assert_eq!(meta.code, "AWS.SimpleQueueService.NonExistentQueue");
        assert_eq!(meta.query_fault.as_deref(), Some("Sender"));
    }

    #[test]
    fn non_json_error_bodies_still_give_meta() {
        let meta = ErrorMeta::from_response(502, &[], b"<html>Bad Gateway</html>");
        assert_eq!(meta.code, "");
        assert_eq!(meta.status, 502);
        let unhandled = meta.unhandled(b"<html>Bad Gateway</html>");
        assert_eq!(unhandled.status(), Some(502));
        assert_eq!(unhandled.body(), b"<html>Bad Gateway</html>");
    }
}
