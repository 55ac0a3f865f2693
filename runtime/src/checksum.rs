//! Flexible checksums (`aws.protocols#httpChecksum`): a request body's CRC32, CRC32C, SHA-1 or
//! SHA-256 sent in `x-amz-checksum-<algorithm>`, and the one a response carries checked against
//! the body that arrives.
//!
//! A body in memory gets the header; a streamed one (an S3 upload from a file) is sent
//! `aws-chunked`, as one chunk followed by the checksum as a trailer, so that it is computed as
//! the bytes go and the body is read once. A streamed response body is checked as it is read:
//! its last chunk is an error when the checksum does not match.
//!
//! CRC64NVME (which S3 also accepts) is not supported yet: asking for it fails the call with an
//! error saying so, and a response that carries only it is not checked.
//!
//! ```
//! use smithgen_runtime::checksum::ChecksumAlgorithm;
//!
//! let crc32 = ChecksumAlgorithm::from_name("crc32").unwrap();
//! assert_eq!(crc32.header(), "x-amz-checksum-crc32");
//! assert_eq!(crc32.checksum(b"Hello world"), "i9aeUg==");
//! assert!(ChecksumAlgorithm::from_name("CRC64NVME").is_err());
//! ```

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use sha1::Digest as _;

use crate::byte_stream::Bytes;
use crate::ByteStream;

/// A checksum algorithm smithgen computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC32 (IEEE), big-endian.
    Crc32,
    /// CRC32C (Castagnoli), big-endian.
    Crc32c,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

/// The order in which a response's checksums are preferred: the cheapest first.
pub const RESPONSE_PREFERENCE: [ChecksumAlgorithm; 4] = [
    ChecksumAlgorithm::Crc32c,
    ChecksumAlgorithm::Crc32,
    ChecksumAlgorithm::Sha1,
    ChecksumAlgorithm::Sha256,
];

impl ChecksumAlgorithm {
    /// The algorithm a model or an input names (`CRC32`, `crc32c`, `SHA256`, ...); an error
    /// names one smithgen does not compute.
    pub fn from_name(name: &str) -> Result<ChecksumAlgorithm, String> {
        match name.to_ascii_uppercase().as_str() {
            "CRC32" => Ok(ChecksumAlgorithm::Crc32),
            "CRC32C" => Ok(ChecksumAlgorithm::Crc32c),
            "SHA1" => Ok(ChecksumAlgorithm::Sha1),
            "SHA256" => Ok(ChecksumAlgorithm::Sha256),
            _ => Err(format!(
                "the checksum algorithm `{name}` is not supported by smithgen (CRC32, CRC32C, \
                 SHA1 and SHA256 are)"
            )),
        }
    }

    /// The name as the wire says it (`CRC32`).
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// The header (or trailer) that carries it: `x-amz-checksum-crc32`.
    pub fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// A running checksum.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => State::Crc32c(0),
            ChecksumAlgorithm::Sha1 => State::Sha1(sha1::Sha1::new()),
            ChecksumAlgorithm::Sha256 => State::Sha256(sha2::Sha256::new()),
        })
    }

    /// The checksum of `bytes`, base64 as the header carries it.
    pub fn checksum(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A checksum being computed.
#[derive(Clone)]
pub struct Hasher(State);

#[derive(Clone)]
enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl Hasher {
    /// Adds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            State::Crc32(h) => h.update(bytes),
            State::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, bytes),
            State::Sha1(h) => h.update(bytes),
            State::Sha256(h) => h.update(bytes),
        }
    }

    /// The checksum, base64.
    pub fn finish(self) -> String {
        let bytes = match self.0 {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc32c(crc) => crc.to_be_bytes().to_vec(),
            State::Sha1(h) => h.finalize().to_vec(),
            State::Sha256(h) => h.finalize().to_vec(),
        };
        crate::json::BASE64.encode(bytes)
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hasher")
    }
}

/// The request side: puts the checksum of the request's body (in memory) in its header, or
/// turns a streamed body (of known length) into `aws-chunked` with the checksum as a trailer.
/// Nothing happens when the request already carries a checksum header (the caller computed
/// one). Returns whether the body became `aws-chunked` (then signed as
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`); an error for a streamed body of unknown length.
pub fn add_request_checksum(
    algorithm: ChecksumAlgorithm,
    request: &mut crate::protocol::HttpRequest,
    stream: &mut Option<ByteStream>,
) -> Result<bool, String> {
    let has = |name: &str| crate::protocol::header(&request.headers, name).is_some();
    if RESPONSE_PREFERENCE.iter().any(|a| has(a.header())) || has("x-amz-checksum-crc64nvme") {
        return Ok(false);
    }
    if !has("x-amz-sdk-checksum-algorithm") {
        request.headers.push((
            "x-amz-sdk-checksum-algorithm".to_owned(),
            algorithm.name().to_owned(),
        ));
    }
    let Some(body) = stream.take() else {
        request.headers.push((
            algorithm.header().to_owned(),
            algorithm.checksum(&request.body),
        ));
        return Ok(false);
    };
    let Some(length) = body.length() else {
        *stream = Some(body);
        return Err(format!(
            "a streamed body with a {algorithm} checksum needs a known length (ByteStream::from_path or with_length)"
        ));
    };
    let chunked = AwsChunked::new(body, algorithm, length);
    let encoded = chunked.encoded_length();
    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("content-length"));
    let encoding = match crate::protocol::header(&request.headers, "content-encoding") {
        Some(existing) => format!("aws-chunked, {existing}"),
        None => "aws-chunked".to_owned(),
    };
    request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("content-encoding"));
    request.headers.extend([
        ("Content-Encoding".to_owned(), encoding),
        ("Content-Length".to_owned(), encoded.to_string()),
        (
            "x-amz-decoded-content-length".to_owned(),
            length.to_string(),
        ),
        ("x-amz-trailer".to_owned(), algorithm.header().to_owned()),
    ]);
    *stream = Some(ByteStream::from_stream(chunked).with_length(encoded));
    Ok(true)
}

/// A body sent `aws-chunked`: one chunk of the whole body (`<hex length>\r\n<bytes>\r\n`), the
/// last chunk (`0\r\n`), the checksum trailer and the closing blank line.
struct AwsChunked {
    inner: ByteStream,
    hasher: Option<Hasher>,
    algorithm: ChecksumAlgorithm,
    length: u64,
    sent: u64,
    started: bool,
}

impl AwsChunked {
    fn new(inner: ByteStream, algorithm: ChecksumAlgorithm, length: u64) -> AwsChunked {
        AwsChunked {
            inner,
            hasher: Some(algorithm.hasher()),
            algorithm,
            length,
            sent: 0,
            started: false,
        }
    }

    /// The checksum's base64 length: what the trailer holds.
    fn checksum_len(&self) -> u64 {
        self.algorithm.checksum(b"").len() as u64
    }

    fn encoded_length(&self) -> u64 {
        let head = if self.length == 0 {
            0
        } else {
            format!("{:x}\r\n", self.length).len() as u64 + self.length + 2
        };
        // `0\r\n`, `name:value\r\n`, `\r\n`.
        head + 3 + self.algorithm.header().len() as u64 + 1 + self.checksum_len() + 2 + 2
    }
}

impl futures_core::Stream for AwsChunked {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(hasher) = this.hasher.as_mut() else {
            return Poll::Ready(None);
        };
        if !this.started {
            this.started = true;
            if this.length > 0 {
                return Poll::Ready(Some(Ok(Bytes::from(format!("{:x}\r\n", this.length)))));
            }
        }
        if this.sent < this.length {
            return match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => {
                    this.sent += chunk.len() as u64;
                    if this.sent > this.length {
                        return Poll::Ready(Some(Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "the body is longer than its declared length",
                        ))));
                    }
                    hasher.update(&chunk);
                    Poll::Ready(Some(Ok(chunk)))
                }
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the body ended before its declared length",
                )))),
            };
        }
        let checksum = this.hasher.take().map(Hasher::finish).unwrap_or_default();
        let end = if this.length > 0 { "\r\n" } else { "" };
        Poll::Ready(Some(Ok(Bytes::from(format!(
            "{end}0\r\n{}:{checksum}\r\n\r\n",
            this.algorithm.header()
        )))))
    }
}

/// The checksum a response carries, of the first algorithm in [`RESPONSE_PREFERENCE`] among
/// `algorithms` (the model's `responseAlgorithms`): `None` when it carries none, or only a
/// composite one (`…-12`, the checksum of a multipart object's part checksums, not of its
/// bytes).
pub fn response_checksum(
    headers: &[(String, String)],
    algorithms: &[&str],
) -> Option<(ChecksumAlgorithm, String)> {
    RESPONSE_PREFERENCE
        .into_iter()
        .filter(|a| algorithms.iter().any(|n| n.eq_ignore_ascii_case(a.name())))
        .find_map(|a| {
            let value = crate::protocol::header(headers, a.header())?;
            (!value.contains('-')).then(|| (a, value.trim().to_owned()))
        })
}

/// The error of a body whose checksum is not the one its response declared.
pub fn mismatch(algorithm: ChecksumAlgorithm, expected: &str, actual: &str) -> String {
    format!("the body's {algorithm} checksum is {actual}, but the response declared {expected}")
}

/// A streamed response body checked against `expected` as it is read: the stream fails with
/// `InvalidData` at its end when the checksum differs.
pub fn validated(body: ByteStream, algorithm: ChecksumAlgorithm, expected: String) -> ByteStream {
    struct Validated {
        inner: ByteStream,
        hasher: Option<Hasher>,
        algorithm: ChecksumAlgorithm,
        expected: String,
    }
    impl futures_core::Stream for Validated {
        type Item = std::io::Result<Bytes>;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = &mut *self;
            if this.hasher.is_none() {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Some(h) = this.hasher.as_mut() {
                        h.update(&chunk);
                    }
                    Poll::Ready(Some(Ok(chunk)))
                }
                Poll::Ready(None) => {
                    let actual = this.hasher.take().map(Hasher::finish).unwrap_or_default();
                    if actual == this.expected {
                        Poll::Ready(None)
                    } else {
                        Poll::Ready(Some(Err(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            mismatch(this.algorithm, &this.expected, &actual),
                        ))))
                    }
                }
                other => other,
            }
        }
    }
    let length = body.length();
    let stream = ByteStream::from_stream(Validated {
        inner: body,
        hasher: Some(algorithm.hasher()),
        algorithm,
        expected,
    });
    match length {
        Some(n) => stream.with_length(n),
        None => stream,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The values S3's documentation and the other SDKs' tests give for these inputs.
        let cases = [
            (ChecksumAlgorithm::Crc32, "", "AAAAAA=="),
            (ChecksumAlgorithm::Crc32, "Hello world", "i9aeUg=="),
            (ChecksumAlgorithm::Crc32c, "", "AAAAAA=="),
            (ChecksumAlgorithm::Crc32c, "Hello world", "crUfeA=="),
            (
                ChecksumAlgorithm::Sha1,
                "Hello world",
                "e1AsOh9IyGCa4hLN+2Od7jlnP14=",
            ),
            (
                ChecksumAlgorithm::Sha256,
                "Hello world",
                "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=",
            ),
        ];
        for (algorithm, input, want) in cases {
            assert_eq!(
                algorithm.checksum(input.as_bytes()),
                want,
                "{algorithm} of {input:?}"
            );
            let mut hasher = algorithm.hasher();
            for b in input.as_bytes() {
                hasher.update(&[*b]);
            }
            assert_eq!(hasher.finish(), want, "{algorithm} byte by byte");
        }
    }

    #[test]
    fn response_checksums_prefer_crc_and_skip_composites() {
        let headers = vec![
            ("x-amz-checksum-sha256".to_owned(), "abc=".to_owned()),
            ("x-amz-checksum-crc32".to_owned(), "i9aeUg==".to_owned()),
        ];
        let all = ["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1"];
        assert_eq!(
            response_checksum(&headers, &all),
            Some((ChecksumAlgorithm::Crc32, "i9aeUg==".to_owned()))
        );
        assert_eq!(
            response_checksum(&headers, &["SHA256"]),
            Some((ChecksumAlgorithm::Sha256, "abc=".to_owned()))
        );
        let composite = vec![("x-amz-checksum-crc32".to_owned(), "i9aeUg==-3".to_owned())];
        assert_eq!(response_checksum(&composite, &all), None);
    }
}
