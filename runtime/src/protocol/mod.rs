//! Wire protocols: what generated code implements per shape and per operation, and the shared
//! request and response handling built on it.

pub mod aws_json;
#[cfg(feature = "client")]
pub mod query;
pub mod rest;
pub mod rest_json;
#[cfg(feature = "client")]
pub mod rest_xml;

use crate::json::{DeserializeError, JsonReader, JsonWriter};

/// A value that generated code writes as JSON: the shapes an operation sends (its input and
/// everything the input holds).
///
/// Generated crates implement it for the shapes they send, and — for the [`Stubber`] — for the
/// shapes they receive when built with their `test-util` feature.
///
/// [`Stubber`]: crate::client::stub::Stubber
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not written as JSON by this crate",
    note = "generated crates write the shapes they receive only with their `test-util` feature \
            (what `Stubber` needs): enable it in `[dev-dependencies]`"
)]
pub trait JsonWrite {
    /// Appends the value's JSON.
    fn write_json(&self, w: &mut JsonWriter);

    /// The value as a JSON document.
    fn to_json(&self) -> String {
        let mut w = JsonWriter::new();
        self.write_json(&mut w);
        w.finish()
    }
}

/// A value that generated code reads from JSON: the shapes an operation receives (its output,
/// its errors and everything they hold).
///
/// Generated crates implement it for the shapes they receive, and — for the [`Stubber`] — for
/// the shapes they send when built with their `test-util` feature.
///
/// [`Stubber`]: crate::client::stub::Stubber
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not read from JSON by this crate",
    note = "generated crates read the shapes they send only with their `test-util` feature \
            (what `Stubber` needs): enable it in `[dev-dependencies]`"
)]
pub trait JsonRead: Sized {
    /// Reads a value; unknown members are skipped and `null` members treated as absent.
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError>;

    /// Parses a whole document holding one value (only whitespace may follow it).
    fn from_json(bytes: &[u8]) -> Result<Self, DeserializeError> {
        let mut r = JsonReader::new(bytes);
        let value = Self::read_json(&mut r)?;
        r.end()?;
        Ok(value)
    }
}

impl JsonWrite for () {
    fn write_json(&self, w: &mut JsonWriter) {
        w.begin_object();
        w.end_object();
    }
}

impl JsonRead for () {
    fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        if !r.peek_null()? {
            r.skip_value()?;
        }
        Ok(())
    }
}

/// Reads a JSON array with `item` (generated code passes the element reader). `null` items are
/// skipped, as they are only meaningful in `@sparse` lists (which use [`read_sparse_list`]).
///
/// A list of one item, as most lists in responses are, gets room for exactly one: where the
/// usual first allocation has room for four, this makes large responses a good deal smaller,
/// and faster to read and to drop.
pub fn read_list<'a, T>(
    r: &mut JsonReader<'a>,
    mut item: impl FnMut(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    let mut out = Vec::new();
    r.begin_array()?;
    while r.next_element()? {
        if r.peek_null()? {
            continue;
        }
        let value = item(r)?;
        if out.capacity() == 0 && r.at_array_end() {
            // A list of one (as most are): no room for more.
            out.reserve_exact(1);
        }
        out.push(value);
    }
    Ok(out)
}

/// Reads a JSON array whose `null` items are kept as `None` (`@sparse` lists).
pub fn read_sparse_list<'a, T>(
    r: &mut JsonReader<'a>,
    mut item: impl FnMut(&mut JsonReader<'a>) -> Result<T, DeserializeError>,
) -> Result<Vec<Option<T>>, DeserializeError> {
    let mut out = Vec::new();
    r.begin_array()?;
    while r.next_element()? {
        let value = if r.peek_null()? { None } else { Some(item(r)?) };
        if out.capacity() == 0 && r.at_array_end() {
            out.reserve_exact(1);
        }
        out.push(value);
    }
    Ok(out)
}

/// Reads a JSON object as a map; `null` values are skipped (not `@sparse`).
pub fn read_map<'a, K: Eq + std::hash::Hash, V>(
    r: &mut JsonReader<'a>,
    mut key: impl FnMut(&str) -> K,
    mut value: impl FnMut(&mut JsonReader<'a>) -> Result<V, DeserializeError>,
) -> Result<std::collections::HashMap<K, V>, DeserializeError> {
    let mut out = std::collections::HashMap::new();
    r.begin_object()?;
    while let Some(name) = r.next_key()? {
        if r.peek_null()? {
            continue;
        }
        let k = key(&name);
        out.insert(k, value(r)?);
    }
    Ok(out)
}

/// Reads a JSON object as a map whose `null` values are kept as `None` (`@sparse` maps).
pub fn read_sparse_map<'a, K: Eq + std::hash::Hash, V>(
    r: &mut JsonReader<'a>,
    mut key: impl FnMut(&str) -> K,
    mut value: impl FnMut(&mut JsonReader<'a>) -> Result<V, DeserializeError>,
) -> Result<std::collections::HashMap<K, Option<V>>, DeserializeError> {
    let mut out = std::collections::HashMap::new();
    r.begin_object()?;
    while let Some(name) = r.next_key()? {
        let k = key(&name);
        let v = if r.peek_null()? {
            None
        } else {
            Some(value(r)?)
        };
        out.insert(k, v);
    }
    Ok(out)
}

/// An HTTP request as a protocol produces it, before the client adds the host, signing and
/// transport headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST` for the AWS JSON protocols.
    pub method: &'static str,
    /// The path and query (`/`), after the endpoint's own path.
    pub path: String,
    /// The `@endpoint` host prefix, labels filled in (`foo.bar.`): it goes before the
    /// endpoint's host.
    pub host_prefix: Option<String>,
    /// An endpoint chosen by the call itself (Machine Learning's `Predict` sends to its
    /// `PredictEndpoint` member), in place of the resolved one.
    pub endpoint_url: Option<String>,
    /// Headers in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Checks the value of an `@hostLabel` member before it goes into a host name: set, and a
/// valid host label (1 to 63 letters, digits and hyphens, not starting with a hyphen).
pub fn host_label<'v>(member: &str, value: Option<&'v str>) -> Result<&'v str, String> {
    let value = value.ok_or_else(|| {
        format!("`{member}` is required: its value is part of the endpoint's host name")
    })?;
    let valid = (1..=63).contains(&value.len())
        && !value.starts_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if valid {
        Ok(value)
    } else {
        Err(format!(
            "`{member}` is not a valid host label ({value:?}): it goes into the endpoint's host \
             name, so it must be 1 to 63 letters, digits or hyphens"
        ))
    }
}

/// What was wrong with a response.
#[derive(Debug)]
pub enum ResponseError<E> {
    /// The service returned an error (modeled or not).
    Service(E),
    /// A success response whose body (or a header) is not the operation's output.
    Deserialize(DeserializeError),
}

impl<E: std::fmt::Display> std::fmt::Display for ResponseError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseError::Service(e) => e.fmt(f),
            ResponseError::Deserialize(e) => write!(f, "malformed response: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ResponseError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::Deserialize(e) => Some(e),
        }
    }
}

/// How an operation authenticates (for a service with SigV4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Signed; credentials are required.
    Required,
    /// `@optionalAuth`: signed when credentials can be found, sent anonymously otherwise.
    Optional,
    /// `@auth([])`: never signed.
    Anonymous,
}

/// What the client needs of an operation, whatever its protocol: its request built from an
/// input, and its response read into the output or the operation's error. awsJson operations
/// get it from [`aws_json::AwsJsonOperation`]; REST operations implement it directly.
pub trait WireOperation: crate::Operation {
    /// The encodings of `@requestCompression` (empty: never compressed).
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];
    /// `@httpChecksumRequired`: the request carries `Content-MD5` (the runtime's `content-md5`
    /// feature computes it).
    const CHECKSUM_REQUIRED: bool = false;
    /// Whether calls are signed: always (the default), only when credentials can be found
    /// (`@optionalAuth`), or never (`@auth([])`).
    const AUTH: Auth = Auth::Required;

    /// Builds the request; `Err` says which member makes the input unsendable (an empty
    /// path label, an invalid host label).
    fn serialize_request(input: &Self::Input) -> Result<HttpRequest, String>;

    /// Whether the output's `@httpPayload` is a `@streaming` blob: the body of a success
    /// response is then not read but handed to [`attach_stream`](Self::attach_stream) (and
    /// [`parse_response`](Self::parse_response) sees an empty body).
    const STREAMING_OUTPUT: bool = false;
    /// Whether S3's SigV4 rules apply: the path is signed as sent (neither normalised nor
    /// encoded twice) and every request carries `x-amz-content-sha256`.
    const S3_SIGNING: bool = false;
    /// The `@httpChecksum` response algorithms (`responseAlgorithms`): a response carrying
    /// one of their checksums has its body checked against it.
    const RESPONSE_CHECKSUMS: &'static [&'static str] = &[];

    /// The flexible checksum (`@httpChecksum`) the request carries: the algorithm the input
    /// names, else CRC32 when the operation takes one; `None` for other operations.
    fn request_checksum(_input: &Self::Input) -> Option<String> {
        None
    }

    /// The input's `@streaming` payload, sent as the request's body in place of
    /// `serialize_request`'s (empty) one; `Err` when the body breaks a rule of the model
    /// (`@requiresLength` on a stream of unknown length).
    fn input_stream(_input: &Self::Input) -> Result<Option<crate::ByteStream>, String> {
        Ok(None)
    }

    /// The input's event stream (an input `@streaming` union: Bedrock's bidirectional streams,
    /// Transcribe streaming), its events encoded as event stream messages and not yet signed:
    /// the client signs each in turn, chained from the request's signature, and sends them as
    /// the request's body. `None` for operations without one.
    fn input_events(_input: &Self::Input) -> Option<EventMessages> {
        None
    }

    /// Puts the unread body of a success response into the output's streaming member
    /// (operations with [`STREAMING_OUTPUT`](Self::STREAMING_OUTPUT)).
    fn attach_stream(_output: &mut Self::Output, _body: crate::ByteStream) {}

    /// After [`attach_stream`](Self::attach_stream), before the output is handed over: awsJson
    /// event streams read their `initial-response` message into the output's other members.
    fn initial_response(_output: &mut Self::Output) -> InitialResponse<'_> {
        Box::pin(std::future::ready(Ok(())))
    }

    /// Reads a response into the output or the operation's error.
    fn parse_response(
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Self::Output, ResponseError<Self::Error>>;
}

/// What [`WireOperation::initial_response`] returns: a future that fills an output in place.
pub type InitialResponse<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), crate::json::DeserializeError>> + Send + 'a>,
>;

/// The events of an input event stream, each an encoded (unsigned) event stream message, or
/// why one could not be encoded.
pub type EventMessages =
    std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<Vec<u8>, String>> + Send>>;

/// Looks up a header case-insensitively.
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// What the [`Stubber`](crate::client::stub::Stubber) needs of an operation's error enum to
/// answer a call with it: its code and its members as JSON. Generated crates implement it with
/// their `test-util` feature.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent by the stubber",
    note = "generated crates implement `ErrorFields` only with their `test-util` feature: \
            enable it in `[dev-dependencies]`"
)]
pub trait ErrorFields {
    /// The error code (as the service sent it, sanitised).
    fn error_code(&self) -> &str;
    /// The modeled error's members as a JSON object; `None` for `Unhandled`.
    fn fields_json(&self) -> Option<String>;
}
