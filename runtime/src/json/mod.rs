//! JSON on the wire, as the `awsJson1_0` and `awsJson1_1` protocols send it.
//!
//! Generated serializers drive a [`JsonWriter`], which appends compact JSON
//! to a `String`; generated deserializers drive a [`JsonReader`], a pull
//! parser over the response body that allocates nothing for keys and strings
//! without escapes, never recurses, bounds nesting, and reports errors as a
//! [`DeserializeError`] naming the JSON path and byte offset of the problem.
//!
//! How Smithy types travel:
//!
//! | Smithy                             | JSON                                                   |
//! |------------------------------------|--------------------------------------------------------|
//! | `blob`                             | base64 string (standard alphabet, padded)              |
//! | `float`, `double`                  | number; `"NaN"`, `"Infinity"`, `"-Infinity"` strings  |
//! | `bigInteger`, `bigDecimal`         | number, its text kept whole                            |
//! | `timestamp`                        | see [`TimestampFormat`]                                |
//! | `document`                         | any JSON value                                         |
//!
//! ```
//! use smithgen_runtime::json::{JsonReader, JsonWriter};
//!
//! let mut w = JsonWriter::new();
//! w.begin_object();
//! w.key("keyPairName");
//! w.string("my-key");
//! w.key("tags");
//! w.begin_array();
//! w.begin_object();
//! w.key("key");
//! w.string("team");
//! w.end_object();
//! w.end_array();
//! w.end_object();
//! let body = w.finish();
//! assert_eq!(body, r#"{"keyPairName":"my-key","tags":[{"key":"team"}]}"#);
//!
//! // What generated code does with a response body.
//! let mut r = JsonReader::new(body.as_bytes());
//! let mut name = None;
//! let mut tag_keys = Vec::new();
//! r.begin_object()?;
//! while let Some(key) = r.next_key()? {
//!     match &*key {
//!         "keyPairName" if !r.peek_null()? => name = Some(r.string()?),
//!         "tags" if !r.peek_null()? => {
//!             r.begin_array()?;
//!             while r.next_element()? {
//!                 r.begin_object()?;
//!                 while let Some(key) = r.next_key()? {
//!                     match &*key {
//!                         "key" if !r.peek_null()? => tag_keys.push(r.string()?),
//!                         _ => r.skip_value()?,
//!                     }
//!                 }
//!             }
//!         }
//!         _ => r.skip_value()?,
//!     }
//! }
//! r.end()?;
//! assert_eq!(name.as_deref(), Some("my-key"));
//! assert_eq!(tag_keys, ["team"]);
//!
//! // Errors name where the problem is.
//! let mut r = JsonReader::new(br#"{"tags": [{"key": 5}]}"#);
//! r.begin_object()?;
//! r.next_key()?;
//! r.begin_array()?;
//! r.next_element()?;
//! r.begin_object()?;
//! r.next_key()?;
//! let error = r.string().unwrap_err();
//! assert_eq!(error.to_string(), "$.tags[0].key: expected a string, found a number (at byte 18)");
//! # Ok::<(), smithgen_runtime::json::DeserializeError>(())
//! ```

mod error;
mod keys;
mod reader;
mod writer;

#[cfg(test)]
mod tests;

pub use error::DeserializeError;
pub use keys::Keys;
pub use reader::JsonReader;
pub use writer::JsonWriter;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// How a timestamp is written in JSON: Smithy's `@timestampFormat`, whose
/// default in the JSON protocols is [`EpochSeconds`](Self::EpochSeconds).
///
/// Reading is tolerant: whatever the format, [`JsonReader::timestamp`]
/// accepts a number (epoch seconds) and a string in any of the three formats,
/// trying the expected one first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// `epoch-seconds`: a JSON number of seconds since the Unix epoch, with a
    /// fraction only when there is one (`1479816991`, `1479816991.349`).
    EpochSeconds,
    /// `date-time`: an RFC 3339 string (`"2016-11-22T12:16:31.349Z"`).
    DateTime,
    /// `http-date`: an IMF-fixdate string (`"Tue, 22 Nov 2016 12:16:31 GMT"`).
    HttpDate,
}

/// Standard base64 with padding; decoding also accepts missing padding.
pub(crate) const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `0x0101…01`: one in every byte of a `u64`.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x8080…80`: the high bit of every byte of a `u64`.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// A mask with the high bit set in (at least) the first of the eight bytes
/// that is `"`, `\` or a control character (below `0x20`), the bytes a JSON
/// string cannot hold as they are; zero when there is none.
///
/// Each test is the classic "has a zero byte" trick. Its borrows only travel
/// towards the more significant bytes, so, reading the bytes as little
/// endian, the lowest bit set marks a true match (bits above it may not).
#[inline]
fn special_bytes(chunk: &[u8; 8]) -> u64 {
    let word = u64::from_le_bytes(*chunk);
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let has_quote = quote.wrapping_sub(ONES) & !quote;
    let has_backslash = backslash.wrapping_sub(ONES) & !backslash;
    let has_control = word.wrapping_sub(ONES * 0x20) & !word;
    (has_quote | has_backslash | has_control) & HIGHS
}

/// The index of the first byte at or after `from` that is `"`, `\` or a
/// control character, or `bytes.len()` when there is none.
///
/// Sixteen bytes at a time: most keys and strings are shorter, so the loop
/// usually ends on its first round, a branch the processor predicts well.
#[inline(always)]
fn find_special(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..).and_then(<[u8]>::first_chunk::<16>) {
        let (low, high) = chunk.split_at(8);
        let (Some(low), Some(high)) = (low.first_chunk::<8>(), high.first_chunk::<8>()) else {
            break;
        };
        // The lowest bit set is a true match in `low`, or if none is, in
        // `high`.
        let mask = u128::from(special_bytes(low)) | (u128::from(special_bytes(high)) << 64);
        if mask != 0 {
            // The bit is the high bit of the matching byte: below 128.
            return from + (mask.trailing_zeros() / 8) as usize;
        }
        from += 16;
    }
    while let Some(chunk) = bytes.get(from..).and_then(<[u8]>::first_chunk::<8>) {
        let mask = special_bytes(chunk);
        if mask != 0 {
            // The bit is the high bit of the matching byte: below 64.
            return from + (mask.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while let Some(&byte) = bytes.get(from) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return from;
        }
        from += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod scan_tests {
    use super::find_special;

    #[test]
    fn finds_the_first_special_byte() {
        // Every position, every special byte, with ordinary and non-ASCII
        // bytes (whose high bits must not confuse the mask) around it.
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    for filler in [b'a', 0xc3, 0xff, 0x20, 0x21, 0x5d] {
                        let mut bytes = vec![filler; len];
                        bytes[at] = special;
                        // A second special byte later must not be reported.
                        if at + 1 < len {
                            bytes[len - 1] = b'"';
                        }
                        assert_eq!(find_special(&bytes, 0), at, "{bytes:?}");
                        assert_eq!(find_special(&bytes, at), at);
                    }
                }
            }
            assert_eq!(find_special(&vec![b'x'; len], 0), len);
        }
    }
}
