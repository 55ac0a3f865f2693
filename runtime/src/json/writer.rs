//! Writing JSON.

use std::collections::btree_map;
use std::fmt::Write as _;
use std::slice;

use base64::Engine as _;

use super::{find_special, TimestampFormat, BASE64};
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

/// Appends compact JSON (no whitespace) to a `String`.
///
/// The writer inserts the commas between keys and array elements itself;
/// the caller is responsible for the rest of the structure: a [`key`] before
/// each value in an object, and balanced `begin_*`/`end_*` calls. The writer
/// does not check these, so that generated code, which gets them right by
/// construction, pays nothing for it.
///
/// ```
/// use smithgen_runtime::json::JsonWriter;
///
/// let mut w = JsonWriter::new();
/// w.begin_object();
/// w.key("ratio");
/// w.f64(0.5);
/// w.key("limits");
/// w.begin_array();
/// w.i64(-1);
/// w.f64(f64::INFINITY);
/// w.end_array();
/// w.end_object();
/// assert_eq!(w.as_str(), r#"{"ratio":0.5,"limits":[-1,"Infinity"]}"#);
/// ```
///
/// [`key`]: JsonWriter::key
#[derive(Clone, Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// Whether a value (or container) was just completed at the current
    /// level, so that the next key or element needs a comma first.
    needs_comma: bool,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer whose buffer has room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
            needs_comma: false,
        }
    }

    /// The JSON written so far.
    pub fn finish(self) -> String {
        self.out
    }

    /// The JSON written so far, without giving up the writer.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    #[inline]
    fn separate(&mut self) {
        if self.needs_comma {
            self.out.push(',');
        }
    }

    /// Writes `{`. Follow it with [`key`](Self::key)/value pairs and
    /// [`end_object`](Self::end_object).
    pub fn begin_object(&mut self) {
        self.separate();
        self.out.push('{');
        self.needs_comma = false;
    }

    /// Writes `}`.
    pub fn end_object(&mut self) {
        self.out.push('}');
        self.needs_comma = true;
    }

    /// Writes `[`. Follow it with values and [`end_array`](Self::end_array).
    pub fn begin_array(&mut self) {
        self.separate();
        self.out.push('[');
        self.needs_comma = false;
    }

    /// Writes `]`.
    pub fn end_array(&mut self) {
        self.out.push(']');
        self.needs_comma = true;
    }

    /// Writes an object key (escaped as [`string`](Self::string) does) and
    /// `:`, preceded by a comma unless it is the object's first.
    pub fn key(&mut self, name: &str) {
        self.separate();
        write_escaped(&mut self.out, name);
        self.out.push(':');
        self.needs_comma = false;
    }

    /// Writes a string, escaping `"`, `\` and control characters (`\n`,
    /// `\t`, `\r`, `\b`, `\f`, or `\u00XX`) and keeping everything else,
    /// non-ASCII included, as UTF-8.
    pub fn string(&mut self, value: &str) {
        self.separate();
        write_escaped(&mut self.out, value);
        self.needs_comma = true;
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.separate();
        self.out.push_str(if value { "true" } else { "false" });
        self.needs_comma = true;
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.separate();
        self.out.push_str("null");
        self.needs_comma = true;
    }

    /// Writes an integer.
    pub fn i64(&mut self, value: i64) {
        self.separate();
        write_i64(&mut self.out, value);
        self.needs_comma = true;
    }

    /// Writes a non-negative integer.
    pub fn u64(&mut self, value: u64) {
        self.separate();
        write_u64(&mut self.out, value);
        self.needs_comma = true;
    }

    /// Writes a number in the shortest form that reads back as the same
    /// `f64`, as Rust's `{:?}` does: always with a `.` or an exponent, so
    /// `1.0` (as Python's `json.dumps` writes it), `0.1`, `1e300`, `1e-7`
    /// (Python writes `1e+300` and `1e-07`; JSON allows both).
    ///
    /// JSON has no NaN or infinities: they are written as the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"`, as the AWS JSON protocols
    /// require.
    pub fn f64(&mut self, value: f64) {
        self.separate();
        if value.is_finite() {
            // Writing to a `String` cannot fail.
            let _ = write!(self.out, "{value:?}");
        } else {
            self.out.push_str(non_finite(value.is_nan(), value > 0.0));
        }
        self.needs_comma = true;
    }

    /// Writes a number in the shortest form that reads back as the same
    /// `f32` (so `0.1_f32` is `0.1`, not its `f64` expansion
    /// `0.10000000149011612`); otherwise as [`f64`](Self::f64).
    pub fn f32(&mut self, value: f32) {
        self.separate();
        if value.is_finite() {
            // Writing to a `String` cannot fail.
            let _ = write!(self.out, "{value:?}");
        } else {
            self.out.push_str(non_finite(value.is_nan(), value > 0.0));
        }
        self.needs_comma = true;
    }

    /// Writes the bytes as a base64 string (standard alphabet, padded).
    pub fn blob(&mut self, value: &Blob) {
        self.separate();
        self.out.push('"');
        BASE64.encode_string(value.as_ref(), &mut self.out);
        self.out.push('"');
        self.needs_comma = true;
    }

    /// Writes a timestamp in `format`:
    ///
    /// - [`EpochSeconds`](TimestampFormat::EpochSeconds): a number of
    ///   seconds with at most millisecond precision, as AWS SDKs send it: the
    ///   fraction is rounded to the nearest millisecond and written
    ///   without trailing zeros, and left out when it is zero:
    ///   `1479816991.349`, `1479816991`, `-1.5`.
    /// - [`DateTime`](TimestampFormat::DateTime): an RFC 3339 string, as
    ///   [`DateTime::fmt_rfc3339`] writes it (all the precision there is).
    /// - [`HttpDate`](TimestampFormat::HttpDate): an IMF-fixdate string, as
    ///   [`DateTime::fmt_http_date`] writes it (whole seconds).
    ///
    /// RFC 3339 and HTTP dates cannot write years outside `0001..=9999`;
    /// such instants are written in epoch seconds instead, which a reader
    /// of any format accepts, rather than failing the whole request.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        let text = match format {
            TimestampFormat::EpochSeconds => Err(()),
            TimestampFormat::DateTime => value.fmt_rfc3339().map_err(drop),
            TimestampFormat::HttpDate => value.fmt_http_date().map_err(drop),
        };
        self.separate();
        match text {
            // Neither format has characters that need escaping.
            Ok(text) => {
                self.out.push('"');
                self.out.push_str(&text);
                self.out.push('"');
            }
            Err(()) => write_epoch_millis(&mut self.out, value),
        }
        self.needs_comma = true;
    }

    /// Writes a document as the JSON value it is. Object members come out in
    /// the order of their keys. Numbers are written as by
    /// [`u64`](Self::u64), [`i64`](Self::i64) and [`f64`](Self::f64) (so a
    /// NaN becomes the string `"NaN"`).
    ///
    /// Works without recursion, however deep the document.
    pub fn document(&mut self, value: &Document) {
        enum Level<'d> {
            Array(slice::Iter<'d, Document>),
            Object(btree_map::Iter<'d, String, Document>),
        }
        let mut levels: Vec<Level<'_>> = Vec::new();
        let mut next = Some(value);
        loop {
            if let Some(document) = next.take() {
                match document {
                    Document::Null => self.null(),
                    Document::Bool(value) => self.bool(*value),
                    Document::Number(Number::PosInt(value)) => self.u64(*value),
                    Document::Number(Number::NegInt(value)) => self.i64(*value),
                    Document::Number(Number::Float(value)) => self.f64(*value),
                    Document::String(value) => self.string(value),
                    Document::Array(elements) => {
                        self.begin_array();
                        levels.push(Level::Array(elements.iter()));
                    }
                    Document::Object(members) => {
                        self.begin_object();
                        levels.push(Level::Object(members.iter()));
                    }
                }
            }
            match levels.last_mut() {
                None => return,
                Some(Level::Array(elements)) => match elements.next() {
                    Some(element) => next = Some(element),
                    None => {
                        levels.pop();
                        self.end_array();
                    }
                },
                Some(Level::Object(members)) => match members.next() {
                    Some((key, member)) => {
                        self.key(key);
                        next = Some(member);
                    }
                    None => {
                        levels.pop();
                        self.end_object();
                    }
                },
            }
        }
    }

    /// Writes the number's text, all its digits kept.
    pub fn big_integer(&mut self, value: &BigInteger) {
        self.raw_number(value.as_str());
    }

    /// Writes the number's text, all its digits kept.
    pub fn big_decimal(&mut self, value: &BigDecimal) {
        self.raw_number(value.as_str());
    }

    /// Writes `number` as it is, which must be a valid JSON number: the
    /// writer does not check.
    pub fn raw_number(&mut self, number: &str) {
        self.separate();
        self.out.push_str(number);
        self.needs_comma = true;
    }
}

/// The JSON string AWS protocols use for a NaN or infinite float.
fn non_finite(nan: bool, positive: bool) -> &'static str {
    match (nan, positive) {
        (true, _) => "\"NaN\"",
        (false, true) => "\"Infinity\"",
        (false, false) => "\"-Infinity\"",
    }
}

/// The escape of each byte below `0x20`: its short form, or `u` for
/// `\u00XX`.
const CONTROL_ESCAPES: [u8; 32] = {
    let mut table = [b'u'; 32];
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `value` as a quoted, escaped JSON string.
pub(super) fn write_escaped(out: &mut String, value: &str) {
    out.reserve(value.len() + 2);
    out.push('"');
    let bytes = value.as_bytes();
    let mut run_start = 0;
    loop {
        let at = find_special(bytes, run_start);
        // `at` is the index of an ASCII byte or the end: a char boundary.
        out.push_str(value.get(run_start..at).unwrap_or_default());
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        out.push('\\');
        match byte {
            b'"' | b'\\' => out.push(char::from(byte)),
            _ => {
                let escape = CONTROL_ESCAPES[usize::from(byte & 0x1F)];
                out.push(char::from(escape));
                if escape == b'u' {
                    out.push_str("00");
                    out.push(char::from(HEX[usize::from(byte >> 4)]));
                    out.push(char::from(HEX[usize::from(byte & 0xF)]));
                }
            }
        }
        run_start = at + 1;
    }
    out.push('"');
}

/// Two ASCII digits for each number below 100.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// Appends the decimal digits of `value`.
fn write_u64(out: &mut String, mut value: u64) {
    let mut buffer = [0_u8; 20];
    let mut start = buffer.len();
    while value >= 100 {
        let pair = (value % 100) as usize * 2;
        value /= 100;
        start -= 2;
        buffer[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if value >= 10 {
        let pair = value as usize * 2;
        start -= 2;
        buffer[start..start + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        start -= 1;
        // `value` is below 10.
        buffer[start] = b'0' + value as u8;
    }
    // ASCII digits are always UTF-8.
    if let Ok(digits) = std::str::from_utf8(&buffer[start..]) {
        out.push_str(digits);
    }
}

/// Appends the decimal digits of `value`, with `-` if negative.
fn write_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    write_u64(out, value.unsigned_abs());
}

/// Appends `value` as epoch seconds with at most millisecond precision (see
/// [`JsonWriter::timestamp`]).
fn write_epoch_millis(out: &mut String, value: &DateTime) {
    // Round to the nearest millisecond (what services keep), carrying into the seconds.
    let rounded = value.subsec_nanos() + 500_000;
    let (seconds, millis) = if rounded >= 1_000_000_000 {
        match value.secs().checked_add(1) {
            Some(seconds) => (seconds, 0),
            None => (value.secs(), 999),
        }
    } else {
        (value.secs(), rounded / 1_000_000)
    };
    if millis == 0 {
        write_i64(out, seconds);
        return;
    }
    let fraction = if seconds >= 0 {
        write_u64(out, seconds.unsigned_abs());
        millis
    } else {
        // seconds + millis/1000 = -((-seconds - 1) + (1000 - millis)/1000);
        // `seconds` is negative, so `seconds + 1` cannot overflow.
        out.push('-');
        write_u64(out, (seconds + 1).unsigned_abs());
        1_000 - millis
    };
    // `fraction` is in 1..1000: three digits, trailing zeros dropped.
    let digits = [fraction / 100, fraction / 10 % 10, fraction % 10];
    let len = if digits[2] != 0 {
        3
    } else if digits[1] != 0 {
        2
    } else {
        1
    };
    out.push('.');
    for digit in &digits[..len] {
        out.push(char::from(b'0' + *digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn written(f: impl FnOnce(&mut JsonWriter)) -> String {
        let mut w = JsonWriter::new();
        f(&mut w);
        w.finish()
    }

    #[test]
    fn commas_go_between_members_and_elements() {
        let json = written(|w| {
            w.begin_object();
            w.key("a");
            w.begin_array();
            w.i64(1);
            w.begin_object();
            w.end_object();
            w.begin_array();
            w.end_array();
            w.null();
            w.end_array();
            w.key("b");
            w.bool(false);
            w.key("c");
            w.begin_object();
            w.key("d");
            w.bool(true);
            w.end_object();
            w.end_object();
        });
        assert_eq!(json, r#"{"a":[1,{},[],null],"b":false,"c":{"d":true}}"#);
        assert_eq!(written(|w| w.string("x")), r#""x""#);
        assert_eq!(JsonWriter::with_capacity(64).as_str(), "");
    }

    #[test]
    fn strings_are_escaped() {
        let json = written(|w| w.string("a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}/é😀\u{7f}"));
        assert_eq!(
            json,
            r#""a\"b\\c\n\r\t\b\f\u0001\u001f/é😀"#.to_owned() + "\u{7f}\""
        );
        // Long runs take the eight-bytes-at-a-time path.
        let long = format!("{}\"{}", "x".repeat(20), "y".repeat(20));
        assert_eq!(
            written(|w| w.string(&long)),
            format!("\"{}\\\"{}\"", "x".repeat(20), "y".repeat(20))
        );
        let json = written(|w| {
            w.begin_object();
            w.key("a\"b");
            w.null();
            w.end_object();
        });
        assert_eq!(json, r#"{"a\"b":null}"#);
    }

    #[test]
    fn integers() {
        for value in [
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            12_345,
            -1,
            -10,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(written(|w| w.i64(value)), value.to_string());
        }
        for value in [0, 7, 42, 1_000_000, u64::MAX] {
            assert_eq!(written(|w| w.u64(value)), value.to_string());
        }
    }

    #[test]
    fn floats() {
        assert_eq!(written(|w| w.f64(1.0)), "1.0");
        assert_eq!(written(|w| w.f64(0.1)), "0.1");
        assert_eq!(written(|w| w.f64(-2.5)), "-2.5");
        assert_eq!(written(|w| w.f64(1e300)), "1e300");
        assert_eq!(written(|w| w.f64(1e-7)), "1e-7");
        assert_eq!(written(|w| w.f64(f64::NAN)), r#""NaN""#);
        assert_eq!(written(|w| w.f64(f64::INFINITY)), r#""Infinity""#);
        assert_eq!(written(|w| w.f64(f64::NEG_INFINITY)), r#""-Infinity""#);
        assert_eq!(written(|w| w.f32(0.1)), "0.1");
        assert_eq!(written(|w| w.f32(3.0)), "3.0");
        assert_eq!(written(|w| w.f32(f32::NAN)), r#""NaN""#);
        assert_eq!(written(|w| w.f32(f32::NEG_INFINITY)), r#""-Infinity""#);
    }

    #[test]
    fn blobs_are_padded_base64() {
        assert_eq!(written(|w| w.blob(&Blob::from("hi"))), r#""aGk=""#);
        assert_eq!(written(|w| w.blob(&Blob::from(""))), r#""""#);
        assert_eq!(
            written(|w| w.blob(&Blob::from(&[0xfb_u8, 0xff][..]))),
            r#""+/8=""#
        );
    }

    #[test]
    fn timestamps() {
        let t = DateTime::from_secs_and_nanos(1_479_816_991, 349_999_999);
        let epoch = |t: DateTime| written(|w| w.timestamp(&t, TimestampFormat::EpochSeconds));
        assert_eq!(
            epoch(t),
            "1479816991.35",
            "rounded to the nearest millisecond"
        );
        assert_eq!(
            epoch(DateTime::from_secs_and_nanos(1, 710_999_999)),
            "1.711"
        );
        assert_eq!(epoch(DateTime::from_secs_and_nanos(1, 999_900_000)), "2");
        assert_eq!(
            epoch(DateTime::from_secs_and_nanos(1, 349_400_000)),
            "1.349"
        );
        assert_eq!(epoch(DateTime::from_secs(1_479_816_991)), "1479816991");
        assert_eq!(epoch(DateTime::from_millis(1_500)), "1.5");
        assert_eq!(epoch(DateTime::from_millis(1_050)), "1.05");
        assert_eq!(epoch(DateTime::from_millis(-1_500)), "-1.5");
        assert_eq!(epoch(DateTime::from_millis(-1)), "-0.001");
        assert_eq!(epoch(DateTime::from_secs_and_nanos(5, 999_999)), "5.001");
        assert_eq!(epoch(DateTime::from_secs_and_nanos(5, 499_999)), "5");
        assert_eq!(
            written(|w| w.timestamp(&t, TimestampFormat::DateTime)),
            r#""2016-11-22T12:16:31.349999999Z""#
        );
        assert_eq!(
            written(|w| w.timestamp(&t, TimestampFormat::HttpDate)),
            r#""Tue, 22 Nov 2016 12:16:31 GMT""#
        );
        // Years RFC 3339 cannot write fall back to epoch seconds.
        let far = DateTime::from_secs(300_000_000_000);
        assert_eq!(
            written(|w| w.timestamp(&far, TimestampFormat::DateTime)),
            "300000000000"
        );
        assert_eq!(
            written(|w| w.timestamp(&far, TimestampFormat::HttpDate)),
            "300000000000"
        );
    }

    #[test]
    fn documents_and_big_numbers() {
        let document = Document::from(BTreeMap::from([
            (
                "b".to_owned(),
                Document::from(vec![Document::from(1), Document::Null]),
            ),
            ("a".to_owned(), Document::from(-2)),
            ("c".to_owned(), Document::from(BTreeMap::new())),
            ("d".to_owned(), Document::from(vec![])),
            ("e".to_owned(), Document::from(f64::NAN)),
            ("f".to_owned(), Document::from("s")),
            ("g".to_owned(), Document::from(true)),
            ("h".to_owned(), Document::from(0.25)),
        ]));
        let json = written(|w| {
            w.begin_array();
            w.document(&document);
            w.document(&Document::Null);
            w.end_array();
        });
        assert_eq!(
            json,
            r#"[{"a":-2,"b":[1,null],"c":{},"d":[],"e":"NaN","f":"s","g":true,"h":0.25},null]"#
        );

        let big: BigInteger = "-123456789012345678901234567890".parse().unwrap();
        let decimal: BigDecimal = "1.50e400".parse().unwrap();
        let json = written(|w| {
            w.begin_array();
            w.big_integer(&big);
            w.big_decimal(&decimal);
            w.raw_number("7");
            w.end_array();
        });
        assert_eq!(json, "[-123456789012345678901234567890,1.50e400,7]");
    }

    #[test]
    fn deep_documents_do_not_recurse() {
        let mut document = Document::Null;
        for _ in 0..1_000 {
            document = Document::from(vec![document]);
        }
        let json = written(|w| w.document(&document));
        assert_eq!(
            json,
            format!("{}null{}", "[".repeat(1_000), "]".repeat(1_000))
        );
    }
}
