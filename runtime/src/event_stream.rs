//! The `application/vnd.amazon.eventstream` message format: the frames event streams are made
//! of (Bedrock's `ConverseStream`, Lambda's `InvokeWithResponseStream`, Kinesis's
//! `SubscribeToShard`, Transcribe streaming).
//!
//! A message is a prelude (total length and headers length, big-endian `u32`s, then the CRC32
//! of those 8 bytes), the headers, the payload, and the CRC32 of everything before it. Each
//! header is a name (1-byte length, 1 to 255 bytes of UTF-8), a type byte and a value.
//!
//! [`MessageDecoder`] reads messages from bytes as they arrive (a streamed HTTP body), checking
//! the lengths before allocating and both checksums before handing a message out;
//! [`Message::encode`] writes one. Behind the `event-stream` feature.

use std::fmt;

use crate::DateTime;

/// The prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// The prelude plus the message CRC: the smallest message.
const MIN_MESSAGE_LEN: usize = PRELUDE_LEN + 4;
/// The largest message accepted, the limit AWS services document (16 MiB).
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;
/// The largest headers section accepted (128 KiB).
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

/// A header value, of one of the nine types the format defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderValue {
    /// Type 0 (true) or 1 (false): no value bytes.
    Bool(bool),
    /// Type 2: one signed byte.
    Byte(i8),
    /// Type 3: a big-endian `i16`.
    Int16(i16),
    /// Type 4: a big-endian `i32`.
    Int32(i32),
    /// Type 5: a big-endian `i64`.
    Int64(i64),
    /// Type 6: a 2-byte length, then the bytes.
    ByteArray(Vec<u8>),
    /// Type 7: a 2-byte length, then UTF-8.
    String(String),
    /// Type 8: milliseconds since the Unix epoch, a big-endian `i64`.
    Timestamp(DateTime),
    /// Type 9: 16 bytes.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The value as text, for string headers (`:event-type`, `:message-type`, …).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One header: its name and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The name (`:event-type`).
    pub name: String,
    /// The value.
    pub value: HeaderValue,
}

/// One event stream message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// The headers, in order.
    pub headers: Vec<Header>,
    /// The payload.
    pub payload: Vec<u8>,
}

impl Message {
    /// The value of the first header named `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| &h.value)
    }

    /// The message as bytes. Fails when a header name is empty or longer than 255 bytes, a
    /// byte-array or string value longer than 65 535 bytes, a timestamp out of `i64`
    /// milliseconds, or the message over [`MAX_MESSAGE_LEN`].
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut headers = Vec::new();
        for header in &self.headers {
            let name = header.name.as_bytes();
            let name_len = u8::try_from(name.len())
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    EncodeError(format!(
                        "header name `{}` must be 1 to 255 bytes",
                        header.name
                    ))
                })?;
            headers.push(name_len);
            headers.extend_from_slice(name);
            let long = |len: usize| {
                u16::try_from(len).map_err(|_| {
                    EncodeError(format!(
                        "the value of header `{}` is {len} bytes; at most 65535 fit",
                        header.name
                    ))
                })
            };
            match &header.value {
                HeaderValue::Bool(true) => headers.push(0),
                HeaderValue::Bool(false) => headers.push(1),
                HeaderValue::Byte(b) => {
                    headers.push(2);
                    headers.extend_from_slice(&b.to_be_bytes());
                }
                HeaderValue::Int16(v) => {
                    headers.push(3);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int32(v) => {
                    headers.push(4);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::Int64(v) => {
                    headers.push(5);
                    headers.extend_from_slice(&v.to_be_bytes());
                }
                HeaderValue::ByteArray(bytes) => {
                    headers.push(6);
                    headers.extend_from_slice(&long(bytes.len())?.to_be_bytes());
                    headers.extend_from_slice(bytes);
                }
                HeaderValue::String(s) => {
                    headers.push(7);
                    headers.extend_from_slice(&long(s.len())?.to_be_bytes());
                    headers.extend_from_slice(s.as_bytes());
                }
                HeaderValue::Timestamp(t) => {
                    headers.push(8);
                    // Sub-millisecond precision is not representable: it is dropped.
                    let millis = t
                        .secs()
                        .checked_mul(1_000)
                        .and_then(|ms| ms.checked_add(i64::from(t.subsec_nanos() / 1_000_000)))
                        .ok_or_else(|| {
                            EncodeError(format!(
                                "header `{}`: the timestamp is out of range",
                                header.name
                            ))
                        })?;
                    headers.extend_from_slice(&millis.to_be_bytes());
                }
                HeaderValue::Uuid(bytes) => {
                    headers.push(9);
                    headers.extend_from_slice(bytes);
                }
            }
        }
        let total = MIN_MESSAGE_LEN + headers.len() + self.payload.len();
        if total > MAX_MESSAGE_LEN || headers.len() > MAX_HEADERS_LEN {
            return Err(EncodeError(format!(
                "the message is {total} bytes with {} of headers; at most {MAX_MESSAGE_LEN} \
                 and {MAX_HEADERS_LEN} are allowed",
                headers.len()
            )));
        }
        let mut out = Vec::with_capacity(total);
        // Both fit in u32: they are at most MAX_MESSAGE_LEN.
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32fast::hash(&out);
        out.extend_from_slice(&prelude_crc.to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(&self.payload);
        let message_crc = crc32fast::hash(&out);
        out.extend_from_slice(&message_crc.to_be_bytes());
        Ok(out)
    }
}

/// Why a message could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

/// Which check a message failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The total length is below the 16 bytes of prelude and checksum, or above
    /// [`MAX_MESSAGE_LEN`].
    MessageLength(u32),
    /// The headers length does not fit in the message, or is above [`MAX_HEADERS_LEN`].
    HeadersLength {
        /// The headers length the prelude gives.
        headers: u32,
        /// The total length it gives.
        total: u32,
    },
    /// The prelude's CRC32 does not match its 8 bytes.
    PreludeChecksum {
        /// The CRC32 the prelude carries.
        expected: u32,
        /// The CRC32 of what arrived.
        actual: u32,
    },
    /// The message's CRC32 does not match it.
    MessageChecksum {
        /// The CRC32 the message carries.
        expected: u32,
        /// The CRC32 of what arrived.
        actual: u32,
    },
    /// A header name's length is 0, or runs past the headers.
    HeaderNameLength {
        /// Where the header starts, from the start of the headers.
        offset: usize,
    },
    /// A header name is not UTF-8.
    HeaderName {
        /// Where the header starts.
        offset: usize,
    },
    /// A header's type byte is none of the nine types.
    HeaderValueType {
        /// The header's name.
        name: String,
        /// The type byte.
        kind: u8,
    },
    /// A header's value runs past the end of the headers (a length that is cut off, or a value
    /// longer than what is left).
    HeaderValueLength {
        /// The header's name.
        name: String,
    },
    /// A string header's value is not UTF-8.
    HeaderString {
        /// The header's name.
        name: String,
    },
    /// The stream ended in the middle of a message.
    Truncated {
        /// How many bytes of it arrived.
        have: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::MessageLength(n) => write!(
                f,
                "invalid message length {n}: a message is {MIN_MESSAGE_LEN} to {MAX_MESSAGE_LEN} bytes"
            ),
            DecodeError::HeadersLength { headers, total } => write!(
                f,
                "invalid headers length {headers} in a message of {total} bytes (at most {MAX_HEADERS_LEN})"
            ),
            DecodeError::PreludeChecksum { expected, actual } => write!(
                f,
                "prelude checksum mismatch: the message says {expected:#010x}, its prelude is {actual:#010x}"
            ),
            DecodeError::MessageChecksum { expected, actual } => write!(
                f,
                "message checksum mismatch: the message says {expected:#010x}, it is {actual:#010x}"
            ),
            DecodeError::HeaderNameLength { offset } => {
                write!(f, "invalid header name length at header byte {offset}")
            }
            DecodeError::HeaderName { offset } => {
                write!(f, "the header name at header byte {offset} is not UTF-8")
            }
            DecodeError::HeaderValueType { name, kind } => {
                write!(f, "header `{name}` has an unknown value type {kind}")
            }
            DecodeError::HeaderValueLength { name } => write!(
                f,
                "the value of header `{name}` is longer than the headers (invalid value length)"
            ),
            DecodeError::HeaderString { name } => {
                write!(f, "the string value of header `{name}` is not UTF-8")
            }
            DecodeError::Truncated { have } => write!(
                f,
                "the stream ended inside a message ({have} bytes of it arrived)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

fn be_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Decodes one whole message (exactly the bytes of one message).
pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
    let mut decoder = MessageDecoder::new();
    decoder.push(bytes);
    match decoder.next_message()? {
        Some(message) if decoder.buffered() == 0 => Ok(message),
        Some(_) => Err(DecodeError::MessageLength(
            u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        )),
        None => Err(DecodeError::Truncated { have: bytes.len() }),
    }
}

/// Reads messages from a byte stream as it arrives: [`push`](Self::push) what came,
/// [`next_message`](Self::next_message) until it says `None`, repeat; [`finish`](Self::finish)
/// at the end says whether the stream stopped inside a message. A decoding error is final:
/// the stream cannot be resynchronised.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buffer: Vec<u8>,
    /// Where the next message starts in `buffer` (what is before it was handed out; it is
    /// dropped once per `push`, not once per message).
    start: usize,
    /// The error that stopped decoding, if one did.
    error: Option<DecodeError>,
}

impl MessageDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends bytes that arrived (ignored after an error: the stream cannot be read on).
    pub fn push(&mut self, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// How many bytes are waiting (part of a message not yet complete).
    pub fn buffered(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// The next complete message, `None` while it has not all arrived.
    /// After an error it keeps returning that error.
    pub fn next_message(&mut self) -> Result<Option<Message>, DecodeError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.buffered() < PRELUDE_LEN {
            return Ok(None);
        }
        let result = self.try_next();
        if let Err(error) = &result {
            self.error = Some(error.clone());
            self.buffer = Vec::new();
            self.start = 0;
        }
        result
    }

    /// Call at the end of the stream: an error if it stopped inside a message, or if decoding
    /// failed earlier.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        match self.buffered() {
            0 => Ok(()),
            have => Err(DecodeError::Truncated { have }),
        }
    }

    fn try_next(&mut self) -> Result<Option<Message>, DecodeError> {
        let buf = &self.buffer[self.start..];
        let total = be_u32(&buf[0..4]);
        let headers_len = be_u32(&buf[4..8]);
        let expected = be_u32(&buf[8..12]);
        let actual = crc32fast::hash(&buf[0..8]);
        if expected != actual {
            return Err(DecodeError::PreludeChecksum { expected, actual });
        }
        // The lengths are checked before anything is allocated for the message.
        let total_len = total as usize;
        if !(MIN_MESSAGE_LEN..=MAX_MESSAGE_LEN).contains(&total_len) {
            return Err(DecodeError::MessageLength(total));
        }
        let headers = headers_len as usize;
        if headers > MAX_HEADERS_LEN || headers > total_len - MIN_MESSAGE_LEN {
            return Err(DecodeError::HeadersLength {
                headers: headers_len,
                total,
            });
        }
        if buf.len() < total_len {
            return Ok(None);
        }
        // The headers are parsed (bounded by their length) before the message checksum is
        // checked, so that a malformed header is reported as what it is; nothing is handed
        // out before both checks pass.
        let parsed = parse_headers(&buf[PRELUDE_LEN..PRELUDE_LEN + headers])?;
        let expected = be_u32(&buf[total_len - 4..total_len]);
        let actual = crc32fast::hash(&buf[..total_len - 4]);
        if expected != actual {
            return Err(DecodeError::MessageChecksum { expected, actual });
        }
        let payload = buf[PRELUDE_LEN + headers..total_len - 4].to_vec();
        self.start += total_len;
        Ok(Some(Message {
            headers: parsed,
            payload,
        }))
    }
}

fn parse_headers<'a>(mut bytes: &'a [u8]) -> Result<Vec<Header>, DecodeError> {
    let start_len = bytes.len();
    let mut headers = Vec::new();
    while !bytes.is_empty() {
        let offset = start_len - bytes.len();
        let name_len = usize::from(bytes[0]);
        if name_len == 0 || bytes.len() < 1 + name_len + 1 {
            return Err(DecodeError::HeaderNameLength { offset });
        }
        let name = std::str::from_utf8(&bytes[1..1 + name_len])
            .map_err(|_| DecodeError::HeaderName { offset })?
            .to_owned();
        let kind = bytes[1 + name_len];
        bytes = &bytes[2 + name_len..];
        let cut = |name: &str| DecodeError::HeaderValueLength {
            name: name.to_owned(),
        };
        // The value's bytes, borrowed: only byte arrays and strings are copied (once), no
        // number allocates.
        let take = |bytes: &mut &'a [u8], n: usize, name: &str| -> Result<&'a [u8], DecodeError> {
            if bytes.len() < n {
                return Err(cut(name));
            }
            let (value, rest) = bytes.split_at(n);
            *bytes = rest;
            Ok(value)
        };
        let value = match kind {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes([take(&mut bytes, 1, &name)?[0]])),
            3 => {
                let v = take(&mut bytes, 2, &name)?;
                HeaderValue::Int16(i16::from_be_bytes([v[0], v[1]]))
            }
            4 => {
                let v = take(&mut bytes, 4, &name)?;
                HeaderValue::Int32(i32::from_be_bytes([v[0], v[1], v[2], v[3]]))
            }
            5 | 8 => {
                let v = take(&mut bytes, 8, &name)?;
                let n = i64::from_be_bytes([v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]);
                if kind == 5 {
                    HeaderValue::Int64(n)
                } else {
                    HeaderValue::Timestamp(DateTime::from_millis(n))
                }
            }
            6 | 7 => {
                let len = take(&mut bytes, 2, &name)?;
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                let value = take(&mut bytes, len, &name)?;
                if kind == 6 {
                    HeaderValue::ByteArray(value.to_vec())
                } else {
                    HeaderValue::String(
                        std::str::from_utf8(value)
                            .map_err(|_| DecodeError::HeaderString { name: name.clone() })?
                            .to_owned(),
                    )
                }
            }
            9 => {
                let v = take(&mut bytes, 16, &name)?;
                let mut uuid = [0u8; 16];
                uuid.copy_from_slice(v);
                HeaderValue::Uuid(uuid)
            }
            kind => return Err(DecodeError::HeaderValueType { name, kind }),
        };
        headers.push(Header { name, value });
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            headers: vec![
                Header {
                    name: ":event-type".into(),
                    value: HeaderValue::String("chunk".into()),
                },
                Header {
                    name: "flag".into(),
                    value: HeaderValue::Bool(false),
                },
                Header {
                    name: "n".into(),
                    value: HeaderValue::Int64(-5),
                },
                Header {
                    name: "at".into(),
                    value: HeaderValue::Timestamp(DateTime::from_millis(1_700_000_000_123)),
                },
                Header {
                    name: "id".into(),
                    value: HeaderValue::Uuid([7; 16]),
                },
            ],
            payload: b"{\"delta\":\"hi\"}".to_vec(),
        }
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let m = message();
        let bytes = m.encode().unwrap();
        assert_eq!(decode(&bytes).unwrap(), m);
        assert_eq!(
            decode(&bytes)
                .unwrap()
                .header(":event-type")
                .and_then(HeaderValue::as_str),
            Some("chunk")
        );
    }

    #[test]
    fn messages_are_yielded_as_their_bytes_arrive() {
        let a = message().encode().unwrap();
        let b = Message::default().encode().unwrap();
        let stream: Vec<u8> = a.iter().chain(&b).copied().collect();
        let mut decoder = MessageDecoder::new();
        let mut got = Vec::new();
        for chunk in stream.chunks(5) {
            decoder.push(chunk);
            while let Some(m) = decoder.next_message().unwrap() {
                got.push(m);
            }
        }
        decoder.finish().unwrap();
        assert_eq!(got, [message(), Message::default()]);
        // A stream cut inside a message is an error at the end.
        let mut decoder = MessageDecoder::new();
        decoder.push(&a[..a.len() - 1]);
        assert_eq!(decoder.next_message().unwrap(), None);
        assert!(matches!(
            decoder.finish(),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn lengths_are_checked_before_allocating() {
        // A prelude announcing 4 GiB with a valid checksum: refused at once.
        let mut prelude = Vec::new();
        prelude.extend_from_slice(&u32::MAX.to_be_bytes());
        prelude.extend_from_slice(&0u32.to_be_bytes());
        let crc = crc32fast::hash(&prelude);
        prelude.extend_from_slice(&crc.to_be_bytes());
        let mut decoder = MessageDecoder::new();
        decoder.push(&prelude);
        assert_eq!(
            decoder.next_message(),
            Err(DecodeError::MessageLength(u32::MAX))
        );
        // Errors are final: the same error again, nothing buffered, and the end says so too.
        decoder.push(&[0; 64]);
        assert_eq!(decoder.buffered(), 0);
        assert_eq!(
            decoder.next_message(),
            Err(DecodeError::MessageLength(u32::MAX))
        );
        assert_eq!(decoder.finish(), Err(DecodeError::MessageLength(u32::MAX)));
    }

    #[test]
    fn encoding_refuses_what_the_format_cannot_hold() {
        let bad = Message {
            headers: vec![Header {
                name: String::new(),
                value: HeaderValue::Bool(true),
            }],
            payload: Vec::new(),
        };
        assert!(bad.encode().is_err());
    }
}

/// What [`EventReceiver::recv`] fails with.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventStreamError<T> {
    /// An `exception` message the model defines: the event union's error variant (Bedrock's
    /// `ThrottlingException`, say). The stream ends with it.
    Exception(T),
    /// An `error` message, or an `exception` the model does not define: its code and message.
    Service {
        /// `:error-code` (or `:exception-type`).
        code: String,
        /// `:error-message` (or the payload's `message`), when given.
        message: Option<String>,
    },
    /// The bytes are not event stream messages (a checksum, a length).
    Decode(DecodeError),
    /// A message whose payload or headers are not the event the model describes.
    Unmarshal(crate::json::DeserializeError),
    /// The response body broke off (or stalled).
    Io(std::io::Error),
}

impl<T: fmt::Debug> fmt::Display for EventStreamError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Exception(e) => write!(f, "the service sent an exception: {e:?}"),
            EventStreamError::Service { code, message } => {
                write!(f, "the service sent an error: {code}")?;
                match message {
                    Some(m) => write!(f, ": {m}"),
                    None => Ok(()),
                }
            }
            EventStreamError::Decode(e) => write!(f, "malformed event stream: {e}"),
            EventStreamError::Unmarshal(e) => write!(f, "malformed event: {e}"),
            EventStreamError::Io(e) => write!(f, "the event stream broke off: {e}"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for EventStreamError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventStreamError::Decode(e) => Some(e),
            EventStreamError::Unmarshal(e) => Some(e),
            EventStreamError::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// How generated code turns one message into an event: `name` is its `:event-type` (or
/// `:exception-type`); `None` for a name the model does not define.
pub type Unmarshal<T> =
    fn(name: &str, message: &Message) -> Result<Option<T>, crate::json::DeserializeError>;

/// The events of a response's event stream, typed and in order, each as soon as its message
/// has arrived: `while let Some(event) = receiver.recv().await? { … }`.
///
/// A clone shares the response body (only one of them gets its events): cloning exists so that
/// the output structures holding a receiver stay `Clone`.
pub struct EventReceiver<T> {
    body: crate::ByteStream,
    decoder: MessageDecoder,
    unmarshal: Unmarshal<T>,
    done: bool,
    /// A message read ahead by [`initial_response`](Self::initial_response) that was an event.
    pending: Option<Message>,
}

impl<T> EventReceiver<T> {
    /// Events read from `body` with `unmarshal`.
    pub fn new(body: crate::ByteStream, unmarshal: Unmarshal<T>) -> Self {
        EventReceiver {
            body,
            decoder: MessageDecoder::new(),
            unmarshal,
            done: false,
            pending: None,
        }
    }

    /// The next event; `Ok(None)` once the stream has ended cleanly. An error ends the stream
    /// (later calls return `Ok(None)`). Unknown event types are skipped; an unknown exception
    /// is [`EventStreamError::Service`].
    pub async fn recv(&mut self) -> Result<Option<T>, EventStreamError<T>> {
        if self.done {
            return Ok(None);
        }
        let result = self.next_event().await;
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result
    }

    /// The payload of the stream's `initial-response` message, when its first message is one
    /// (awsJson event streams open with it: the output's members other than the stream, as
    /// JSON); `Ok(None)` otherwise, and the first message is then the first event
    /// [`recv`](Self::recv) returns. Call it before `recv`, at most once.
    pub async fn initial_response(&mut self) -> Result<Option<Vec<u8>>, EventStreamError<T>> {
        let Some(message) = self.next_message().await? else {
            return Ok(None);
        };
        let text = |name: &str| message.header(name).and_then(HeaderValue::as_str);
        if text(":message-type") == Some("event") && text(":event-type") == Some("initial-response")
        {
            return Ok(Some(message.payload));
        }
        self.pending = Some(message);
        Ok(None)
    }

    async fn next_event(&mut self) -> Result<Option<T>, EventStreamError<T>> {
        if let Some(message) = self.pending.take() {
            if let Some(event) = self.read(&message)? {
                return Ok(Some(event));
            }
        }
        while let Some(message) = self.next_message().await? {
            if let Some(event) = self.read(&message)? {
                return Ok(Some(event));
            }
        }
        Ok(None)
    }

    /// The next whole message, reading the body as far as it takes; `None` at its clean end.
    async fn next_message(&mut self) -> Result<Option<Message>, EventStreamError<T>> {
        loop {
            if let Some(message) = self
                .decoder
                .next_message()
                .map_err(EventStreamError::Decode)?
            {
                return Ok(Some(message));
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.decoder.push(&chunk),
                Some(Err(e)) => return Err(EventStreamError::Io(e)),
                None => {
                    self.decoder.finish().map_err(EventStreamError::Decode)?;
                    return Ok(None);
                }
            }
        }
    }

    /// One message as an event (`None`: an event type this client does not know, skipped).
    fn read(&self, message: &Message) -> Result<Option<T>, EventStreamError<T>> {
        let text = |name: &str| message.header(name).and_then(HeaderValue::as_str);
        match text(":message-type") {
            Some("event") => {
                let name = text(":event-type").unwrap_or_default();
                (self.unmarshal)(name, message).map_err(EventStreamError::Unmarshal)
            }
            Some("exception") => {
                let name = text(":exception-type").unwrap_or_default();
                match (self.unmarshal)(name, message).map_err(EventStreamError::Unmarshal)? {
                    Some(exception) => Err(EventStreamError::Exception(exception)),
                    None => Err(EventStreamError::Service {
                        code: name.to_owned(),
                        message: payload_message(&message.payload),
                    }),
                }
            }
            Some("error") => Err(EventStreamError::Service {
                code: text(":error-code").unwrap_or_default().to_owned(),
                message: text(":error-message").map(str::to_owned),
            }),
            other => Err(EventStreamError::Unmarshal(
                crate::json::DeserializeError::at(
                    "",
                    format!(
                        "an event stream message whose :message-type is {}",
                        other.map_or("missing".to_owned(), |t| format!("`{t}`"))
                    ),
                ),
            )),
        }
    }
}

/// The `message` (or `Message`) member of a JSON payload, if it has one.
fn payload_message(payload: &[u8]) -> Option<String> {
    let mut r = crate::json::JsonReader::new(payload);
    r.begin_object().ok()?;
    while let Some(key) = r.next_key().ok()? {
        if key.eq_ignore_ascii_case("message") {
            return r.string().ok();
        }
        r.skip_value().ok()?;
    }
    None
}

impl<T> Default for EventReceiver<T> {
    /// A stream with no events.
    fn default() -> Self {
        fn none<T>(_: &str, _: &Message) -> Result<Option<T>, crate::json::DeserializeError> {
            Ok(None)
        }
        EventReceiver::new(crate::ByteStream::new(), none::<T>)
    }
}

impl<T> Clone for EventReceiver<T> {
    fn clone(&self) -> Self {
        EventReceiver::new(self.body.clone(), self.unmarshal)
    }
}

impl<T> PartialEq for EventReceiver<T> {
    /// Receivers of the same body.
    fn eq(&self, other: &Self) -> bool {
        self.body == other.body
    }
}

impl<T> fmt::Debug for EventReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventReceiver")
    }
}

/// Each call of `poll_next` polls a fresh `recv`: nothing is lost when one is dropped pending
/// (the decoder and the body keep their state).
impl<T: Unpin> futures_core::Stream for EventReceiver<T> {
    type Item = Result<T, EventStreamError<T>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let next = std::pin::pin!(this.recv());
        std::future::Future::poll(next, cx).map(Result::transpose)
    }
}

type EventSource<T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + Send>>;

/// The events a call sends (an input event stream: Bedrock's
/// `InvokeModelWithBidirectionalStream`, Transcribe streaming), from a `Vec` or any
/// `futures_core::Stream` of them. The client encodes each as a message, signs it (SigV4,
/// chained from the request's signature) and sends it as soon as the stream yields it; when
/// the stream ends, a signed empty message closes the body.
///
/// A stream can be sent once: clones share it, and a call with one gets a single attempt.
pub struct EventSender<T> {
    source: std::sync::Arc<std::sync::Mutex<Option<EventSource<T>>>>,
}

/// A stream of events held in memory.
struct Queued<T>(std::collections::VecDeque<T>);

impl<T: Unpin> futures_core::Stream for Queued<T> {
    type Item = T;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<T>> {
        std::task::Poll::Ready(self.0.pop_front())
    }
}

impl<T: Send + 'static> EventSender<T> {
    /// Events from a stream, sent as it yields them.
    pub fn from_stream(stream: impl futures_core::Stream<Item = T> + Send + 'static) -> Self {
        EventSender {
            source: std::sync::Arc::new(std::sync::Mutex::new(Some(Box::pin(stream)))),
        }
    }

    /// The events to send, each encoded by `marshal` (generated code calls this); `None` once
    /// they have been taken.
    #[cfg(feature = "client")]
    pub fn messages(
        &self,
        marshal: fn(&T) -> Result<Message, String>,
    ) -> Option<crate::protocol::EventMessages> {
        let source = self
            .source
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()?;
        Some(Box::pin(Encoded { source, marshal }))
    }
}

impl<T: Send + Unpin + 'static> From<Vec<T>> for EventSender<T> {
    fn from(events: Vec<T>) -> Self {
        EventSender::from_stream(Queued(events.into()))
    }
}

impl<T> Default for EventSender<T> {
    /// No events (the body is only the closing message).
    fn default() -> Self {
        EventSender {
            source: std::sync::Arc::new(std::sync::Mutex::new(None)),
        }
    }
}

impl<T> Clone for EventSender<T> {
    fn clone(&self) -> Self {
        EventSender {
            source: self.source.clone(),
        }
    }
}

impl<T> PartialEq for EventSender<T> {
    /// Senders of the same stream.
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.source, &other.source)
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSender")
    }
}

/// The events of a sender, each encoded as a message.
#[cfg(feature = "client")]
struct Encoded<T> {
    source: EventSource<T>,
    marshal: fn(&T) -> Result<Message, String>,
}

#[cfg(feature = "client")]
impl<T> futures_core::Stream for Encoded<T> {
    type Item = Result<Vec<u8>, String>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let marshal = self.marshal;
        self.source.as_mut().poll_next(cx).map(|event| {
            event.map(|event| marshal(&event).and_then(|m| m.encode().map_err(|e| e.to_string())))
        })
    }
}

/// Signs the messages of an input event stream in turn (SigV4 event signing, chained from the
/// request's signature), each wrapped in a message of its own with the `:date` and
/// `:chunk-signature` headers, and closes the stream with a signed empty message.
#[cfg(feature = "client")]
pub struct EventSigner {
    credentials: crate::auth::credentials::Credentials,
    region: String,
    service: String,
    prior: String,
    keys: crate::auth::sigv4::SigningKeyCache,
}

#[cfg(feature = "client")]
impl EventSigner {
    /// A signer whose first message chains from `seed_signature` (the hex signature of the
    /// request that carries the stream).
    pub fn new(
        credentials: crate::auth::credentials::Credentials,
        region: &str,
        service: &str,
        seed_signature: &str,
    ) -> Self {
        EventSigner {
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
            prior: seed_signature.to_owned(),
            keys: crate::auth::sigv4::SigningKeyCache::default(),
        }
    }

    /// The signature of the last message signed (the seed before the first).
    pub fn prior_signature(&self) -> &str {
        &self.prior
    }

    /// The signed message carrying `payload` (an encoded event, or nothing for the closing
    /// message), signed at `time`.
    pub fn sign(
        &mut self,
        payload: &[u8],
        time: std::time::SystemTime,
    ) -> Result<Message, crate::auth::sigv4::SigningError> {
        let date = Header {
            name: ":date".into(),
            value: HeaderValue::Timestamp(DateTime::from(time)),
        };
        // The encoded `:date` header alone: a message's headers section is its headers' bytes.
        let encoded = Message {
            headers: vec![date.clone()],
            payload: Vec::new(),
        }
        .encode()
        .map(|bytes| bytes[PRELUDE_LEN..bytes.len() - 4].to_vec())
        .unwrap_or_default();
        let params = crate::auth::sigv4::SigningParams {
            credentials: &self.credentials,
            region: &self.region,
            service: &self.service,
            time,
            settings: crate::auth::sigv4::SigningSettings::default(),
        };
        let signature =
            crate::auth::sigv4::sign_event(&encoded, payload, &self.prior, &params, &self.keys)?;
        let raw = (0..signature.len() / 2)
            .map(|i| u8::from_str_radix(&signature[2 * i..2 * i + 2], 16).unwrap_or_default())
            .collect();
        self.prior = signature;
        Ok(Message {
            headers: vec![
                date,
                Header {
                    name: ":chunk-signature".into(),
                    value: HeaderValue::ByteArray(raw),
                },
            ],
            payload: payload.to_vec(),
        })
    }
}

#[cfg(feature = "client")]
impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// The body of a call sending an event stream: the messages of `events`, each signed by
/// `signer` as it comes (unsigned, as they are, without one), then the closing message.
#[cfg(feature = "client")]
pub fn signed_body(
    events: crate::protocol::EventMessages,
    signer: Option<EventSigner>,
) -> crate::ByteStream {
    crate::ByteStream::from_stream(SignedBody {
        events,
        signer,
        ended: false,
    })
}

#[cfg(feature = "client")]
struct SignedBody {
    events: crate::protocol::EventMessages,
    signer: Option<EventSigner>,
    ended: bool,
}

#[cfg(feature = "client")]
impl futures_core::Stream for SignedBody {
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if self.ended {
            return Poll::Ready(None);
        }
        let payload = match self.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Some(Ok(message))) => message,
            Poll::Ready(Some(Err(e))) => {
                self.ended = true;
                return Poll::Ready(Some(Err(std::io::Error::other(format!(
                    "cannot encode an event: {e}"
                )))));
            }
            Poll::Ready(None) => {
                self.ended = true;
                if self.signer.is_none() {
                    return Poll::Ready(None);
                }
                Vec::new()
            }
        };
        let Some(signer) = self.signer.as_mut() else {
            return Poll::Ready(Some(Ok(payload.into())));
        };
        let signed = signer
            .sign(&payload, std::time::SystemTime::now())
            .map_err(|e| std::io::Error::other(format!("cannot sign an event: {e}")))
            .and_then(|m| m.encode().map_err(std::io::Error::other));
        Poll::Ready(Some(signed.map(bytes::Bytes::from)))
    }
}

/// Whether an event's payload is empty or only whitespace (an event with no JSON members).
pub fn payload_is_blank(payload: &[u8]) -> bool {
    crate::protocol::rest_json::is_blank(payload)
}

/// A text `@eventPayload` member's value.
pub fn payload_text(payload: &[u8]) -> Result<String, crate::json::DeserializeError> {
    String::from_utf8(payload.to_vec())
        .map_err(|_| crate::json::DeserializeError::at("$", "the event payload is not UTF-8 text"))
}

fn header_type_error(name: &str, want: &str) -> crate::json::DeserializeError {
    crate::json::DeserializeError::at(name, format!("the event header `{name}` is not {want}"))
}

/// An `@eventHeader` string member's value.
pub fn header_string(
    name: &str,
    value: &HeaderValue,
) -> Result<String, crate::json::DeserializeError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| header_type_error(name, "a string"))
}

/// An `@eventHeader` boolean member's value.
pub fn header_bool(name: &str, value: &HeaderValue) -> Result<bool, crate::json::DeserializeError> {
    match value {
        HeaderValue::Bool(b) => Ok(*b),
        _ => Err(header_type_error(name, "a boolean")),
    }
}

/// An `@eventHeader` integer member's value (of any of the four integer header types).
pub fn header_integer(
    name: &str,
    value: &HeaderValue,
) -> Result<i64, crate::json::DeserializeError> {
    match value {
        HeaderValue::Byte(n) => Ok(i64::from(*n)),
        HeaderValue::Int16(n) => Ok(i64::from(*n)),
        HeaderValue::Int32(n) => Ok(i64::from(*n)),
        HeaderValue::Int64(n) => Ok(*n),
        _ => Err(header_type_error(name, "an integer")),
    }
}

/// An `@eventHeader` blob member's value.
pub fn header_bytes(
    name: &str,
    value: &HeaderValue,
) -> Result<Vec<u8>, crate::json::DeserializeError> {
    match value {
        HeaderValue::ByteArray(b) => Ok(b.clone()),
        _ => Err(header_type_error(name, "bytes")),
    }
}

/// An `@eventHeader` timestamp member's value.
pub fn header_timestamp(
    name: &str,
    value: &HeaderValue,
) -> Result<DateTime, crate::json::DeserializeError> {
    match value {
        HeaderValue::Timestamp(t) => Ok(*t),
        _ => Err(header_type_error(name, "a timestamp")),
    }
}
