//! Reading JSON.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use base64::Engine as _;

use super::keys::Key;
use super::writer::write_escaped;
use super::{find_special, DeserializeError, Keys, TimestampFormat, BASE64};
use crate::{BigDecimal, BigInteger, Blob, DateTime, DateTimeError, Document, Number};

type Result<T> = std::result::Result<T, DeserializeError>;

/// A pull parser over a JSON document, driven by generated deserializers.
///
/// The caller asks for what it expects next: [`begin_object`] then
/// [`next_key`] until it returns `None` (or [`next_member`], which also
/// looks the key up among a structure's), [`begin_array`] then
/// [`next_element`] until it returns `false`, a scalar such as
/// [`string`] or [`i32`], or [`skip_value`] for values it does not want.
/// [`peek_null`] consumes a `null` where one may be. After the top-level
/// value, [`end`] checks that nothing but whitespace follows.
///
/// The reader
/// - never panics, whatever the input and whatever order its methods are
///   called in (calling them out of order gives an error);
/// - never recurses: nesting deeper than [`max depth`] is an error, also
///   inside skipped values and documents;
/// - borrows keys and strings from the input when they have no escapes;
/// - keeps track of the JSON path being read, so that every
///   [`DeserializeError`] says where the problem is (cheaply: where the
///   current key starts and the current index, per open object or array;
///   the path is only spelled out for an error).
///
/// Parsing is strict JSON (RFC 8259), except that, tolerantly, readers of
/// typed values accept some alternative forms services are known to send:
/// see [`timestamp`], [`big_integer`] and [`f64`].
///
/// [`begin_object`]: Self::begin_object
/// [`next_key`]: Self::next_key
/// [`next_member`]: Self::next_member
/// [`begin_array`]: Self::begin_array
/// [`next_element`]: Self::next_element
/// [`string`]: Self::string
/// [`i32`]: Self::i32
/// [`f64`]: Self::f64
/// [`skip_value`]: Self::skip_value
/// [`peek_null`]: Self::peek_null
/// [`end`]: Self::end
/// [`timestamp`]: Self::timestamp
/// [`big_integer`]: Self::big_integer
/// [`max depth`]: Self::with_max_depth
#[derive(Clone, Debug)]
pub struct JsonReader<'a> {
    input: &'a [u8],
    /// The input, if it is all UTF-8 (as it nearly always is): checked once
    /// up front, so that strings and numbers need no checks of their own.
    text: Option<&'a str>,
    pos: usize,
    max_depth: usize,
    /// The innermost open object or array, or [`Frame::TOP`] outside them.
    top: Frame,
    /// The frames enclosing `top`, outermost (`Frame::TOP`) first: as many
    /// as there are open objects and arrays.
    stack: Vec<Frame>,
}

/// An open object or array, and where in it the reader is: what the JSON
/// path of errors is made of, kept small as the reader updates it for every
/// key and element.
#[derive(Clone, Copy, Debug)]
struct Frame {
    kind: Kind,
    /// Objects read with [`JsonReader::next_member`]: the index, in the
    /// keys it is given, of the member expected next (the one after the
    /// last found), tried before the others.
    hint: u32,
    /// Objects: the offset of the current key's text (after its opening
    /// quote), or 0 before the first key. Arrays: how many elements have
    /// been started (the current index plus one).
    at: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Outside any object or array.
    Top,
    Object,
    Array,
}

impl Frame {
    const TOP: Frame = Frame {
        kind: Kind::Top,
        hint: 0,
        at: 0,
    };
}

/// The text of a string in the input, between the quotes: valid UTF-8
/// without control characters, its escapes not yet checked or decoded.
#[derive(Clone, Copy)]
struct RawStr<'a> {
    text: &'a str,
    /// How many escapes `text` has. (A count rather than a `bool`: without
    /// padding bytes, a `Result<Option<RawStr>>` is copied in whole words;
    /// with them, in overlapping pieces that stall the processor.)
    escapes: usize,
    /// The byte offset of `text` in the input.
    start: usize,
}

impl RawStr<'_> {
    #[inline(always)]
    fn escaped(&self) -> bool {
        self.escapes != 0
    }
}

/// The text of a number in the input, checked against JSON's grammar.
#[derive(Clone, Copy)]
struct RawNumber<'a> {
    text: &'a str,
    /// Whether there is neither a fraction nor an exponent.
    integer: bool,
    /// The byte offset of `text` in the input.
    start: usize,
}

impl<'a> JsonReader<'a> {
    /// How deep objects and arrays may nest unless
    /// [`with_max_depth`](Self::with_max_depth) says otherwise.
    pub const DEFAULT_MAX_DEPTH: usize = 128;

    /// A reader at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            text: std::str::from_utf8(input).ok(),
            pos: 0,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            top: Frame::TOP,
            stack: Vec::new(),
        }
    }

    /// Sets how many objects and arrays may be open at once (the top-level
    /// value counts); opening one more is an error. The default is
    /// [`DEFAULT_MAX_DEPTH`](Self::DEFAULT_MAX_DEPTH).
    ///
    /// Large limits are safe for the reader, which does not recurse, but
    /// dropping a very deep [`Document`] does recurse.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// An error at the reader's current position and path, for problems
    /// generated code finds itself (a union with two members set, say).
    pub fn error(&self, message: impl Into<String>) -> DeserializeError {
        self.fail_at(self.pos, message.into())
    }

    // ----- structure -------------------------------------------------------

    /// If the next value is `null`, consumes it and returns `true`;
    /// otherwise consumes nothing but whitespace and returns `false`.
    ///
    /// # Errors
    ///
    /// If the next value starts with `n` but is not `null`.
    #[inline]
    pub fn peek_null(&mut self) -> Result<bool> {
        if self.skip_whitespace() == Some(b'n') {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Consumes the `{` that starts an object. Read its members with
    /// [`next_key`](Self::next_key).
    ///
    /// # Errors
    ///
    /// If the next value is not an object, or opening it would nest deeper
    /// than the maximum depth.
    #[inline]
    pub fn begin_object(&mut self) -> Result<()> {
        match self.skip_whitespace() {
            Some(b'{') => self.open(true),
            found => Err(self.unexpected("an object", found)),
        }
    }

    /// Reads the next key of the object being read, and the `:` after it,
    /// or its closing `}` (returning `None`). After a key, read or skip its
    /// value before calling this again.
    ///
    /// The key is borrowed from the input unless it has escapes.
    ///
    /// # Errors
    ///
    /// On a syntax error, or if the reader is not in an object.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>> {
        if !self.advance_to_key()? {
            return Ok(None);
        }
        let start = self.pos + 1;
        let key = match self.plain_string() {
            Some(key) => {
                self.top.at = start;
                Cow::Borrowed(key)
            }
            None => self.slow_key()?,
        };
        self.colon()?;
        Ok(Some(key))
    }

    /// Reads keys of the object being read until one of `keys` whose value
    /// is not `null`, returning its index in `keys` (read or skip its value
    /// before calling this again), or the closing `}` (returning `None`).
    /// Members with other keys, and members whose value is `null`, are
    /// skipped, their syntax checked.
    ///
    /// This is how generated code reads structures: `keys` are its
    /// members' keys. Keys usually come in the order of `keys`, so the one
    /// after the last found is tried first, straight against the input (see
    /// [`Keys`]); a key with escapes is decoded before it is looked up.
    ///
    /// ```
    /// use smithgen_runtime::json::{JsonReader, Keys};
    ///
    /// static KEYS: Keys<3> = Keys::new(["a", "b", "c"]);
    /// let mut r = JsonReader::new(br#"{"b": 2, "x": [3], "a": 1, "c": null}"#);
    /// let (mut a, mut b) = (None, None);
    /// r.begin_object()?;
    /// while let Some(member) = r.next_member(&KEYS)? {
    ///     match member {
    ///         0 => a = Some(r.i32()?),
    ///         1 => b = Some(r.i32()?),
    ///         _ => r.skip_value()?,
    ///     }
    /// }
    /// r.end()?;
    /// assert_eq!((a, b), (Some(1), Some(2)));
    /// # Ok::<(), smithgen_runtime::json::DeserializeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// On a syntax error (in a skipped value too), or if the reader is not
    /// in an object.
    #[inline]
    pub fn next_member<const N: usize>(&mut self, keys: &Keys<N>) -> Result<Option<usize>> {
        self.member(keys.keys())
    }

    fn member(&mut self, keys: &[Key]) -> Result<Option<usize>> {
        // The common cases in one straight pass, reading and writing the
        // reader's state once: compact JSON, the closing `}`, or `,"key":`
        // (`"key":` first) with a key that has no escapes and is one of
        // `keys`, followed by a value that is not `null`.
        if self.top.kind == Kind::Object && self.text.is_some() {
            let input = self.input;
            let first = self.top.at == 0;
            let mut pos = self.pos;
            match input.get(pos) {
                Some(b',') if !first => pos += 1,
                Some(b'}') => {
                    self.pos = pos + 1;
                    self.close();
                    return Ok(None);
                }
                _ => {}
            }
            if input.get(pos) == Some(&b'"') && (first || pos != self.pos) {
                let start = pos + 1;
                let hint = self.top.hint as usize;
                // The key expected next, compared with the input as it is;
                // otherwise find the end of the key and look it up.
                let window = input.get(start..).and_then(<[u8]>::first_chunk::<32>);
                let found = match (keys.get(hint), window) {
                    (Some(key), Some(window)) if key.plain && key.starts(window) => {
                        Some((hint, start + key.name.len()))
                    }
                    _ => {
                        let at = find_special(input, start);
                        match input.get(at) {
                            Some(b'"') => input
                                .get(start..at)
                                .and_then(|key| find_key(keys, key, hint))
                                .map(|index| (index, at)),
                            _ => None,
                        }
                    }
                };
                if let Some((index, at)) = found {
                    if input.get(at + 1) == Some(&b':')
                        && input
                            .get(at + 2)
                            .is_some_and(|&byte| byte > b' ' && byte != b'n')
                    {
                        self.pos = at + 2;
                        self.top.at = start;
                        // Keys are a structure's members: far fewer than 2^32.
                        self.top.hint = u32::try_from(index + 1).unwrap_or(0);
                        return Ok(Some(index));
                    }
                }
            }
        }
        self.member_slow(keys)
    }

    /// [`next_member`](Self::next_member) in general: whitespace, escapes,
    /// `null` values, unknown keys, the end of the object and errors.
    #[inline(never)]
    fn member_slow(&mut self, keys: &[Key]) -> Result<Option<usize>> {
        while self.advance_to_key()? {
            let hint = self.top.hint as usize;
            let start = self.pos + 1;
            let found = match self.plain_key() {
                Some(key) => {
                    self.top.at = start;
                    find_key(keys, key, hint)
                }
                None => {
                    let key = self.slow_key()?;
                    find_key(keys, key.as_bytes(), hint)
                }
            };
            self.colon()?;
            if self.peek_null()? {
                continue;
            }
            match found {
                Some(index) => {
                    // Keys are a structure's members: far fewer than 2^32.
                    self.top.hint = u32::try_from(index + 1).unwrap_or(0);
                    return Ok(Some(index));
                }
                None => self.skip_value()?,
            }
        }
        Ok(None)
    }

    /// Consumes the `[` that starts an array. Read its elements with
    /// [`next_element`](Self::next_element).
    ///
    /// # Errors
    ///
    /// If the next value is not an array, or opening it would nest deeper
    /// than the maximum depth.
    #[inline]
    pub fn begin_array(&mut self) -> Result<()> {
        match self.skip_whitespace() {
            Some(b'[') => self.open(false),
            found => Err(self.unexpected("an array", found)),
        }
    }

    /// Moves to the next element of the array being read, returning `true`
    /// if there is one (read or skip it before calling this again), or
    /// consumes the closing `]` and returns `false`.
    ///
    /// # Errors
    ///
    /// On a syntax error, or if the reader is not in an array.
    #[inline]
    pub fn next_element(&mut self) -> Result<bool> {
        if self.top.kind != Kind::Array {
            return Err(self.fail_here("next_element called outside an array"));
        }
        match self.skip_whitespace() {
            Some(b']') => {
                self.pos += 1;
                self.close();
                return Ok(false);
            }
            Some(_) if self.top.at == 0 => {}
            Some(b',') => {
                self.pos += 1;
                match self.skip_whitespace() {
                    Some(b']') => return Err(self.fail_here("expected a value after ','")),
                    Some(_) => {}
                    None => return Err(self.end_of_input()),
                }
            }
            found => return Err(self.unexpected("',' or ']'", found)),
        }
        self.top.at += 1;
        Ok(true)
    }

    /// Whether the next byte after whitespace is the `]` that closes an
    /// array (which [`next_element`](Self::next_element) then consumes).
    #[inline]
    pub(crate) fn at_array_end(&mut self) -> bool {
        self.skip_whitespace() == Some(b']')
    }

    /// Skips the next value, whatever it is, checking its syntax (and
    /// nesting depth) all the same. Works without recursion.
    ///
    /// # Errors
    ///
    /// On a syntax error or nesting too deep.
    pub fn skip_value(&mut self) -> Result<()> {
        let base = self.stack.len();
        loop {
            match self.skip_whitespace() {
                Some(b'{') => self.open(true)?,
                Some(b'[') => self.open(false)?,
                Some(b'"') => {
                    let raw = self.scan_string()?;
                    self.check_escapes(raw)?;
                }
                Some(b'-' | b'0'..=b'9') => {
                    self.scan_number()?;
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                found => return Err(self.unexpected("a value", found)),
            }
            // Move to the next value still inside the skipped one, closing
            // the containers that end.
            loop {
                if self.stack.len() <= base {
                    return Ok(());
                }
                if self.top.kind == Kind::Object {
                    if let Some(key) = self.advance_key()? {
                        self.check_escapes(key)?;
                        break;
                    }
                } else if self.next_element()? {
                    break;
                }
            }
        }
    }

    /// Checks that only whitespace remains after the top-level value.
    ///
    /// # Errors
    ///
    /// If anything else remains, or an object or array is still open.
    pub fn end(&mut self) -> Result<()> {
        match self.skip_whitespace() {
            None if self.stack.is_empty() => Ok(()),
            None => Err(self.end_of_input()),
            Some(_) if !self.stack.is_empty() => Err(self.error("end called inside a value")),
            found => Err(self.unexpected("the end of the input", found)),
        }
    }

    // ----- scalars ---------------------------------------------------------

    /// Reads a string, decoding its escapes.
    ///
    /// # Errors
    ///
    /// If the next value is not a string, or is not valid: an invalid
    /// escape, a lone surrogate (`\ud800` not followed by a low surrogate),
    /// an unescaped control character, or invalid UTF-8.
    pub fn string(&mut self) -> Result<String> {
        match self.skip_whitespace() {
            Some(b'"') => match self.plain_string() {
                Some(text) => Ok(text.to_owned()),
                None => self.slow_string().map(Cow::into_owned),
            },
            found => Err(self.unexpected("a string", found)),
        }
    }

    /// Reads a string as [`string`](Self::string) does, borrowing it from
    /// the input when it has no escapes.
    ///
    /// # Errors
    ///
    /// As [`string`](Self::string).
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        match self.skip_whitespace() {
            Some(b'"') => match self.plain_string() {
                Some(text) => Ok(Cow::Borrowed(text)),
                None => self.slow_string(),
            },
            found => Err(self.unexpected("a string", found)),
        }
    }

    /// Reads `true` or `false`.
    ///
    /// # Errors
    ///
    /// If the next value is not a boolean.
    #[inline]
    pub fn bool(&mut self) -> Result<bool> {
        match self.skip_whitespace() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            found => Err(self.unexpected("a boolean", found)),
        }
    }

    /// Reads an integer in `-128..=127` (a Smithy `byte`).
    ///
    /// # Errors
    ///
    /// If the next value is not a number, has a fraction or an exponent, or
    /// is out of range.
    #[inline]
    pub fn i8(&mut self) -> Result<i8> {
        self.integer()
    }

    /// Reads an integer in the range of `i16` (a Smithy `short`).
    ///
    /// # Errors
    ///
    /// As [`i8`](Self::i8).
    #[inline]
    pub fn i16(&mut self) -> Result<i16> {
        self.integer()
    }

    /// Reads an integer in the range of `i32` (a Smithy `integer` or
    /// `intEnum`).
    ///
    /// # Errors
    ///
    /// As [`i8`](Self::i8).
    #[inline]
    pub fn i32(&mut self) -> Result<i32> {
        self.integer()
    }

    /// Reads an integer in the range of `i64` (a Smithy `long`).
    ///
    /// # Errors
    ///
    /// As [`i8`](Self::i8).
    #[inline]
    pub fn i64(&mut self) -> Result<i64> {
        self.integer()
    }

    /// Reads a number as the nearest `f64` (magnitudes beyond its range
    /// become infinities), or one of the strings `"NaN"`, `"Infinity"` and
    /// `"-Infinity"`.
    ///
    /// # Errors
    ///
    /// If the next value is neither.
    #[inline]
    pub fn f64(&mut self) -> Result<f64> {
        self.float(f64::NAN, f64::INFINITY, f64::NEG_INFINITY)
    }

    /// Reads a number as the nearest `f32`, as [`f64`](Self::f64) does.
    ///
    /// # Errors
    ///
    /// As [`f64`](Self::f64).
    #[inline]
    pub fn f32(&mut self) -> Result<f32> {
        self.float(f32::NAN, f32::INFINITY, f32::NEG_INFINITY)
    }

    /// Reads a base64 string (standard alphabet; padding may be left out).
    ///
    /// # Errors
    ///
    /// If the next value is not a string or not valid base64.
    pub fn blob(&mut self) -> Result<Blob> {
        let start = self.value_start();
        let text = self.str()?;
        BASE64
            .decode(text.as_bytes())
            .map(Blob::from)
            .map_err(|error| self.fail_at(start, format!("invalid base64: {error}")))
    }

    /// Reads a timestamp sent in `format`, tolerating the others:
    ///
    /// - a number is epoch seconds, whatever `format` says: exact when it has
    ///   no exponent (`1479816991.349`), otherwise read as an `f64` and
    ///   rounded to the microsecond (`1.655421227201E9`);
    /// - a string is parsed in `format` (epoch seconds as digits, RFC 3339
    ///   with [`DateTime::parse_rfc3339`], HTTP dates with
    ///   [`DateTime::parse_http_date`]), and if that fails in the other two
    ///   formats.
    ///
    /// # Errors
    ///
    /// If the next value is neither, or the string is in none of the
    /// formats; the message is that of the failure in `format`.
    pub fn timestamp(&mut self, format: TimestampFormat) -> Result<DateTime> {
        let start = self.value_start();
        let parsed = match self.skip_whitespace() {
            Some(b'-' | b'0'..=b'9') => {
                let number = self.scan_number()?;
                parse_epoch_seconds(number.text)
            }
            Some(b'"') => {
                let text = self.str()?;
                parse_timestamp(&text, format)
            }
            found => return Err(self.unexpected("a timestamp", found)),
        };
        parsed.map_err(|error| self.fail_at(start, error.to_string()))
    }

    /// Reads any JSON value as a [`Document`]. Integers that fit become
    /// [`Number::PosInt`] or [`Number::NegInt`], other numbers
    /// [`Number::Float`]; of duplicate keys in an object, the last wins.
    ///
    /// Works without recursion; nesting is bounded by the maximum depth.
    ///
    /// # Errors
    ///
    /// On a syntax error or nesting too deep.
    pub fn document(&mut self) -> Result<Document> {
        enum Partial {
            Array(Vec<Document>),
            /// The members so far, and the key whose value is being read.
            Object(BTreeMap<String, Document>, String),
        }
        let mut partials: Vec<Partial> = Vec::new();
        loop {
            let mut value = match self.skip_whitespace() {
                Some(b'{') => {
                    self.open(true)?;
                    partials.push(Partial::Object(BTreeMap::new(), String::new()));
                    None
                }
                Some(b'[') => {
                    self.open(false)?;
                    partials.push(Partial::Array(Vec::new()));
                    None
                }
                Some(b'"') => Some(Document::String(self.string()?)),
                Some(b'-' | b'0'..=b'9') => {
                    let number = self.scan_number()?;
                    Some(Document::Number(self.document_number(number)?))
                }
                Some(b't') => self.literal(b"true").map(|()| Some(Document::Bool(true)))?,
                Some(b'f') => self
                    .literal(b"false")
                    .map(|()| Some(Document::Bool(false)))?,
                Some(b'n') => self.literal(b"null").map(|()| Some(Document::Null))?,
                found => return Err(self.unexpected("a value", found)),
            };
            // Store the value, closing the containers that end, until there
            // is another value to read.
            loop {
                if let Some(value) = value.take() {
                    match partials.last_mut() {
                        None => return Ok(value),
                        Some(Partial::Array(elements)) => elements.push(value),
                        Some(Partial::Object(members, key)) => {
                            members.insert(std::mem::take(key), value);
                        }
                    }
                }
                match partials.last_mut() {
                    None => return Err(self.error("document reader lost its place")),
                    Some(Partial::Array(_)) => {
                        if self.next_element()? {
                            break;
                        }
                    }
                    Some(Partial::Object(_, key)) => {
                        if let Some(next) = self.next_key()? {
                            *key = next.into_owned();
                            break;
                        }
                    }
                }
                value = partials.pop().map(|partial| match partial {
                    Partial::Array(elements) => Document::Array(elements),
                    Partial::Object(members, _) => Document::Object(members),
                });
            }
        }
    }

    /// Reads an integer of any size, from a number or, tolerantly, a string
    /// of digits.
    ///
    /// # Errors
    ///
    /// If the next value is neither, or has a fraction or exponent.
    pub fn big_integer(&mut self) -> Result<BigInteger> {
        let start = self.value_start();
        let parsed = match self.skip_whitespace() {
            Some(b'-' | b'0'..=b'9') => {
                let number = self.scan_number()?;
                if !number.integer {
                    return Err(self.not_an_integer(number));
                }
                number.text.parse::<BigInteger>()
            }
            Some(b'"') => self.str()?.parse(),
            found => return Err(self.unexpected("a number", found)),
        };
        parsed.map_err(|error| self.fail_at(start, error.to_string()))
    }

    /// Reads a decimal number of any size and precision, keeping its digits,
    /// from a number or, tolerantly, a string holding one.
    ///
    /// # Errors
    ///
    /// If the next value is neither.
    pub fn big_decimal(&mut self) -> Result<BigDecimal> {
        let start = self.value_start();
        let parsed = match self.skip_whitespace() {
            Some(b'-' | b'0'..=b'9') => self.scan_number()?.text.parse::<BigDecimal>(),
            Some(b'"') => self.str()?.parse(),
            found => return Err(self.unexpected("a number", found)),
        };
        parsed.map_err(|error| self.fail_at(start, error.to_string()))
    }

    // ----- the machinery ---------------------------------------------------

    /// Skips whitespace and returns the next byte, without consuming it.
    #[inline(always)]
    fn skip_whitespace(&mut self) -> Option<u8> {
        // Compact JSON has no whitespace: one test when there is none.
        match self.input.get(self.pos) {
            Some(&byte) if byte > b' ' => Some(byte),
            _ => self.skip_whitespace_loop(),
        }
    }

    #[inline(never)]
    fn skip_whitespace_loop(&mut self) -> Option<u8> {
        while let Some(&byte) = self.input.get(self.pos) {
            match byte {
                b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                _ => return Some(byte),
            }
        }
        None
    }

    /// The offset of the next value (after whitespace).
    fn value_start(&mut self) -> usize {
        self.skip_whitespace();
        self.pos
    }

    /// Consumes the `{` or `[` at the current position and opens a frame.
    #[inline]
    fn open(&mut self, object: bool) -> Result<()> {
        if self.stack.len() >= self.max_depth {
            return Err(self.too_deep());
        }
        self.pos += 1;
        let kind = if object { Kind::Object } else { Kind::Array };
        let frame = Frame {
            kind,
            hint: 0,
            at: 0,
        };
        self.stack.push(std::mem::replace(&mut self.top, frame));
        Ok(())
    }

    /// Moves to the next key of the object being read (past the `,` before
    /// it, to its opening quote), returning `true`; or consumes the closing
    /// `}` and returns `false`.
    #[inline(always)]
    fn advance_to_key(&mut self) -> Result<bool> {
        if self.top.kind != Kind::Object {
            return Err(self.fail_here("next_key called outside an object"));
        }
        let first = self.top.at == 0;
        match self.skip_whitespace() {
            Some(b',') if !first => {
                self.pos += 1;
                match self.skip_whitespace() {
                    Some(b'"') => Ok(true),
                    found => Err(self.unexpected("a key", found)),
                }
            }
            Some(b'"') if first => Ok(true),
            Some(b'}') => {
                self.pos += 1;
                self.close();
                Ok(false)
            }
            found if first => Err(self.unexpected("a key or '}'", found)),
            found => Err(self.unexpected("',' or '}'", found)),
        }
    }

    /// Closes the innermost object or array.
    #[inline(always)]
    fn close(&mut self) {
        self.top = self.stack.pop().unwrap_or(Frame::TOP);
    }

    /// Consumes the `:` after a key.
    #[inline(always)]
    fn colon(&mut self) -> Result<()> {
        match self.skip_whitespace() {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            found => Err(self.unexpected("':'", found)),
        }
    }

    /// Reads the key at the current position (a `"`) when it is not a
    /// [`plain_string`](Self::plain_string): notes it and decodes it.
    #[inline(never)]
    fn slow_key(&mut self) -> Result<Cow<'a, str>> {
        let key = self.scan_string()?;
        self.top.at = key.start;
        self.decode(key)
    }

    /// Reads the next key and its `:`, or the closing `}`, without decoding
    /// the key's escapes.
    fn advance_key(&mut self) -> Result<Option<RawStr<'a>>> {
        if !self.advance_to_key()? {
            return Ok(None);
        }
        let key = self.scan_string()?;
        self.top.at = key.start;
        self.colon()?;
        Ok(Some(key))
    }

    /// Consumes the string at the current position (a `"`) and returns its
    /// text, if it has no escapes and is valid (the common case, checked in
    /// one pass), in a document that is all UTF-8; otherwise consumes
    /// nothing and returns `None`.
    #[inline(always)]
    fn plain_string(&mut self) -> Option<&'a str> {
        let start = self.pos + 1;
        let at = find_special(self.input, start);
        if self.input.get(at) != Some(&b'"') {
            return None;
        }
        // `start` and `at` are next to quotes: char boundaries.
        let text = self.text?.get(start..at)?;
        self.pos = at + 1;
        Some(text)
    }

    /// [`plain_string`](Self::plain_string) for keys, which are only
    /// compared: their bytes, without slicing the text at char boundaries
    /// (which bytes between two quotes in a document that is all UTF-8
    /// always are).
    #[inline(always)]
    fn plain_key(&mut self) -> Option<&'a [u8]> {
        self.text?;
        let start = self.pos + 1;
        let at = find_special(self.input, start);
        if self.input.get(at) != Some(&b'"') {
            return None;
        }
        let key = self.input.get(start..at)?;
        self.pos = at + 1;
        Some(key)
    }

    /// Reads the string at the current position (a `"`) when it is not a
    /// [`plain_string`](Self::plain_string).
    #[inline(never)]
    fn slow_string(&mut self) -> Result<Cow<'a, str>> {
        let raw = self.scan_string()?;
        self.decode(raw)
    }

    /// Consumes the string starting at the current position (a `"`),
    /// checking that it is closed, has no control characters and is UTF-8.
    fn scan_string(&mut self) -> Result<RawStr<'a>> {
        let input = self.input;
        let start = self.pos + 1;
        let mut at = start;
        let mut escapes = 0;
        loop {
            at = find_special(input, at);
            match input.get(at) {
                Some(b'"') => break,
                Some(b'\\') => {
                    // Skip the escaped byte, so that `\"` does not end the
                    // string; the escape is checked when decoded.
                    escapes += 1;
                    at += 2;
                }
                Some(_) => return Err(self.fail_at(at, "control character in a string")),
                None => return Err(self.end_of_input()),
            }
        }
        // `start` and `at` are next to quotes: char boundaries.
        let text = match self.text.and_then(|text| text.get(start..at)) {
            Some(text) => text,
            None => {
                let bytes = input.get(start..at).unwrap_or_default();
                std::str::from_utf8(bytes).map_err(|error| {
                    self.fail_at(start + error.valid_up_to(), "invalid UTF-8 in a string")
                })?
            }
        };
        self.pos = at + 1;
        Ok(RawStr {
            text,
            escapes,
            start,
        })
    }

    /// The decoded text of a string.
    #[inline(always)]
    fn decode(&self, raw: RawStr<'a>) -> Result<Cow<'a, str>> {
        if raw.escaped() {
            self.unescaped(raw).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(raw.text))
        }
    }

    /// The decoded text of a string with escapes.
    #[inline(never)]
    fn unescaped(&self, raw: RawStr<'a>) -> Result<String> {
        let mut decoded = String::with_capacity(raw.text.len());
        unescape(raw.text, Some(&mut decoded))
            .map_err(|(offset, message)| self.fail_at(raw.start + offset, message))?;
        Ok(decoded)
    }

    /// Checks the escapes of a string without decoding it.
    fn check_escapes(&self, raw: RawStr<'a>) -> Result<()> {
        if raw.escaped() {
            unescape(raw.text, None)
                .map_err(|(offset, message)| self.fail_at(raw.start + offset, message))?;
        }
        Ok(())
    }

    /// Consumes the number starting at the current position (a `-` or a
    /// digit), checking it against JSON's grammar.
    fn scan_number(&mut self) -> Result<RawNumber<'a>> {
        let input = self.input;
        let start = self.pos;
        let mut at = start;
        let digits = |at: &mut usize| {
            let first = *at;
            while matches!(input.get(*at), Some(b'0'..=b'9')) {
                *at += 1;
            }
            *at > first
        };
        if input.get(at) == Some(&b'-') {
            at += 1;
        }
        if input.get(at) == Some(&b'0') {
            at += 1;
        } else if !digits(&mut at) {
            return Err(self.bad_number(at));
        }
        let mut integer = true;
        if input.get(at) == Some(&b'.') {
            integer = false;
            at += 1;
            if !digits(&mut at) {
                return Err(self.bad_number(at));
            }
        }
        if matches!(input.get(at), Some(b'e' | b'E')) {
            integer = false;
            at += 1;
            if matches!(input.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits(&mut at) {
                return Err(self.bad_number(at));
            }
        }
        // The bytes are ASCII: neither can fail.
        let text = match self.text {
            Some(text) => text.get(start..at),
            None => input
                .get(start..at)
                .and_then(|bytes| std::str::from_utf8(bytes).ok()),
        }
        .unwrap_or_default();
        self.pos = at;
        Ok(RawNumber {
            text,
            integer,
            start,
        })
    }

    /// Reads an integer in the range of `T`.
    fn integer<T: TryFrom<i64> + Into<i64> + Bounded>(&mut self) -> Result<T> {
        match self.skip_whitespace() {
            Some(b'-' | b'0'..=b'9') => {}
            found => return Err(self.unexpected("an integer", found)),
        }
        // The common case in one pass: digits without leading zeros, in
        // range, not followed by a fraction or exponent.
        let input = self.input;
        let negative = input.get(self.pos) == Some(&b'-');
        let digits_start = self.pos + usize::from(negative);
        let mut at = digits_start;
        let mut magnitude: u64 = 0;
        while let Some(digit) = input.get(at).map(|byte| byte.wrapping_sub(b'0')) {
            if digit > 9 {
                break;
            }
            match magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(u64::from(digit)))
            {
                Some(value) => magnitude = value,
                None => break,
            }
            at += 1;
        }
        let simple = at > digits_start
            && (at == digits_start + 1 || input.get(digits_start) != Some(&b'0'))
            && !matches!(input.get(at), Some(b'.' | b'e' | b'E' | b'0'..=b'9'));
        if simple {
            let value = if negative {
                0_i64.checked_sub_unsigned(magnitude)
            } else {
                i64::try_from(magnitude).ok()
            };
            if let Some(value) = value.and_then(|value| T::try_from(value).ok()) {
                self.pos = at;
                return Ok(value);
            }
        }
        // Anything else, errors included, the slow way.
        let number = self.scan_number()?;
        if !number.integer {
            return Err(self.not_an_integer(number));
        }
        match parse_i64(number.text).and_then(|value| T::try_from(value).ok()) {
            Some(value) => Ok(value),
            None => Err(self.fail_at(
                number.start,
                format!(
                    "expected an integer in {}..={}, found {}",
                    T::MIN.into(),
                    T::MAX.into(),
                    Clipped(number.text)
                ),
            )),
        }
    }

    /// Reads a number or one of the strings naming NaN and the infinities.
    fn float<T: FromStr>(&mut self, nan: T, infinity: T, neg_infinity: T) -> Result<T> {
        match self.skip_whitespace() {
            Some(b'-' | b'0'..=b'9') => {
                let number = self.scan_number()?;
                // Rust's float parsing accepts every JSON number.
                number
                    .text
                    .parse()
                    .map_err(|_| self.fail_at(number.start, "invalid number"))
            }
            Some(b'"') => {
                let start = self.pos;
                match &*self.str()? {
                    "NaN" => Ok(nan),
                    "Infinity" => Ok(infinity),
                    "-Infinity" => Ok(neg_infinity),
                    _ => Err(self.fail_at(
                        start,
                        "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found a string",
                    )),
                }
            }
            found => Err(self.unexpected("a number", found)),
        }
    }

    /// The [`Number`] a document holds for a number in the input.
    fn document_number(&self, number: RawNumber<'_>) -> Result<Number> {
        if number.integer {
            let (negative, digits) = split_sign(number.text);
            if let Some(magnitude) = parse_magnitude(digits) {
                if !negative || magnitude == 0 {
                    return Ok(Number::PosInt(magnitude));
                }
                if let Some(value) = 0_i64.checked_sub_unsigned(magnitude) {
                    return Ok(Number::NegInt(value));
                }
            }
        }
        number
            .text
            .parse()
            .map(Number::Float)
            .map_err(|_| self.fail_at(number.start, "invalid number"))
    }

    /// Consumes `literal` (`true`, `false` or `null`), whose first byte is
    /// at the current position.
    #[inline]
    fn literal(&mut self, literal: &'static [u8]) -> Result<()> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        if rest.starts_with(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.bad_literal(literal))
        }
    }

    #[cold]
    #[inline(never)]
    fn bad_literal(&self, literal: &'static [u8]) -> DeserializeError {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        if literal.starts_with(rest) {
            self.end_of_input()
        } else {
            let expected = std::str::from_utf8(literal).unwrap_or_default();
            self.error(format!("invalid literal, expected `{expected}`"))
        }
    }

    // ----- errors ----------------------------------------------------------

    #[cold]
    #[inline(never)]
    fn fail_at(&self, offset: usize, message: impl Into<String>) -> DeserializeError {
        DeserializeError::new(self.path(), offset, message.into())
    }

    /// An error at the current position (a method called out of order, or
    /// a syntax error found there).
    #[cold]
    #[inline(never)]
    fn fail_here(&self, message: &'static str) -> DeserializeError {
        self.fail_at(self.pos, message)
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&self) -> DeserializeError {
        self.error(format!(
            "nesting exceeds the maximum depth of {}",
            self.max_depth
        ))
    }

    #[cold]
    #[inline(never)]
    fn end_of_input(&self) -> DeserializeError {
        self.fail_at(self.input.len(), "unexpected end of input")
    }

    /// `expected {expected}, found {what is at the current position}`.
    #[cold]
    #[inline(never)]
    fn unexpected(&self, expected: &str, found: Option<u8>) -> DeserializeError {
        let found: Cow<'static, str> = match found {
            None => return self.end_of_input(),
            Some(b'{') => "an object".into(),
            Some(b'[') => "an array".into(),
            Some(b'"') => "a string".into(),
            Some(b'-' | b'0'..=b'9') => "a number".into(),
            Some(b't' | b'f') => "a boolean".into(),
            Some(b'n') => "null".into(),
            Some(byte) if byte.is_ascii_graphic() => format!("'{}'", char::from(byte)).into(),
            Some(byte) => format!("byte 0x{byte:02X}").into(),
        };
        self.error(format!("expected {expected}, found {found}"))
    }

    #[cold]
    #[inline(never)]
    fn bad_number(&self, at: usize) -> DeserializeError {
        if at >= self.input.len() {
            self.end_of_input()
        } else {
            self.fail_at(at, "invalid number: expected a digit")
        }
    }

    #[cold]
    #[inline(never)]
    fn not_an_integer(&self, number: RawNumber<'_>) -> DeserializeError {
        let message = format!("expected an integer, found {}", Clipped(number.text));
        self.fail_at(number.start, message)
    }

    /// The JSON path of the value being read, such as `$.tags[0]["a b"]`.
    fn path(&self) -> String {
        let mut path = String::from("$");
        for frame in self.stack.iter().chain([&self.top]) {
            let start = frame.at;
            match frame.kind {
                _ if start == 0 => continue,
                Kind::Top => continue,
                Kind::Array => {
                    let _ = write!(path, "[{}]", start - 1);
                    continue;
                }
                Kind::Object => {}
            }
            // The key was read: find its closing quote again.
            let mut end = start;
            let mut escaped = false;
            loop {
                end = find_special(self.input, end);
                if self.input.get(end) != Some(&b'\\') {
                    break;
                }
                escaped = true;
                end += 2;
            }
            let raw = self.input.get(start..end).unwrap_or_default();
            let raw = String::from_utf8_lossy(raw);
            let mut decoded = String::new();
            let key = if escaped && unescape(&raw, Some(&mut decoded)).is_ok() {
                decoded.as_str()
            } else {
                &*raw
            };
            if is_identifier(key) {
                path.push('.');
                path.push_str(key);
            } else {
                path.push('[');
                write_escaped(&mut path, key);
                path.push(']');
            }
        }
        path
    }
}

/// The index of `key` in `keys`, trying `hint` first.
#[inline(always)]
fn find_key(keys: &[Key], key: &[u8], hint: usize) -> Option<usize> {
    if keys.get(hint).is_some_and(|k| same(k.name.as_bytes(), key)) {
        return Some(hint);
    }
    keys.iter().position(|k| same(k.name.as_bytes(), key))
}

/// `a == b`, in a few word-sized comparisons for the short strings keys are
/// (where `==` calls `memcmp`).
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match (a.first_chunk::<8>(), b.first_chunk::<8>()) {
        (Some(a_first), Some(b_first)) if a.len() <= 16 => {
            // The first eight bytes and the last eight, which may overlap.
            a_first == b_first && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        _ if a.len() < 8 => match (a.first_chunk::<4>(), b.first_chunk::<4>()) {
            (Some(a_first), Some(b_first)) => {
                a_first == b_first && a.last_chunk::<4>() == b.last_chunk::<4>()
            }
            _ => a.iter().zip(b).all(|(x, y)| x == y),
        },
        _ => a == b,
    }
}

/// The range of a primitive integer type.
trait Bounded: Sized {
    const MIN: Self;
    const MAX: Self;
}

macro_rules! bounded {
    ($($t:ty)*) => {$(
        impl Bounded for $t {
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
        }
    )*};
}

bounded!(i8 i16 i32 i64);

/// At most the first 40 characters of a number, for error messages.
struct Clipped<'t>(&'t str);

impl std::fmt::Display for Clipped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const MAX: usize = 40;
        // Numbers are ASCII, so any index is a char boundary.
        match self.0.get(..MAX) {
            Some(start) if self.0.len() > MAX => write!(f, "{start}…"),
            _ => f.write_str(self.0),
        }
    }
}

/// Whether `key` can follow a `.` in a JSON path.
fn is_identifier(key: &str) -> bool {
    let mut bytes = key.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_'))
        && bytes.all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

/// Splits off a leading `-`.
fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    }
}

/// The value of a string of ASCII digits, if it fits a `u64`.
fn parse_magnitude(digits: &str) -> Option<u64> {
    digits.bytes().try_fold(0_u64, |value, digit| {
        value
            .checked_mul(10)?
            .checked_add(u64::from(digit.wrapping_sub(b'0')))
    })
}

/// The value of a JSON integer (`-?digits`), if it fits an `i64`.
fn parse_i64(text: &str) -> Option<i64> {
    let (negative, digits) = split_sign(text);
    let magnitude = parse_magnitude(digits)?;
    if negative {
        0_i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Epoch seconds from the text of a JSON number: exactly when it has no
/// exponent, otherwise through an `f64`.
fn parse_epoch_seconds(text: &str) -> std::result::Result<DateTime, DateTimeError> {
    if text.bytes().any(|byte| byte == b'e' || byte == b'E') {
        if let Ok(seconds) = text.parse::<f64>() {
            return DateTime::from_fractional_secs(seconds);
        }
    }
    DateTime::parse_epoch_seconds(text)
}

/// A timestamp from a string in `format`, or failing that in the others.
fn parse_timestamp(
    text: &str,
    format: TimestampFormat,
) -> std::result::Result<DateTime, DateTimeError> {
    type Parse = fn(&str) -> std::result::Result<DateTime, DateTimeError>;
    let (first, second, third): (Parse, Parse, Parse) = match format {
        TimestampFormat::EpochSeconds => (
            parse_epoch_seconds,
            DateTime::parse_rfc3339,
            DateTime::parse_http_date,
        ),
        TimestampFormat::DateTime => (
            DateTime::parse_rfc3339,
            DateTime::parse_http_date,
            parse_epoch_seconds,
        ),
        TimestampFormat::HttpDate => (
            DateTime::parse_http_date,
            DateTime::parse_rfc3339,
            parse_epoch_seconds,
        ),
    };
    first(text).or_else(|error| second(text).or_else(|_| third(text)).map_err(|_| error))
}

/// Decodes the escapes of a string's text into `out` (or only checks them
/// when `out` is `None`). On failure, returns the offset in `text` of the
/// bad escape and what is wrong with it.
fn unescape(
    text: &str,
    mut out: Option<&mut String>,
) -> std::result::Result<(), (usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    while let Some(found) = bytes
        .get(run_start..)
        .and_then(|rest| rest.iter().position(|&byte| byte == b'\\'))
    {
        let at = run_start + found;
        if let Some(out) = out.as_deref_mut() {
            // `at` is the index of a `\`: a char boundary.
            out.push_str(text.get(run_start..at).unwrap_or_default());
        }
        let (decoded, len) = match bytes.get(at + 1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => {
                let high = hex4(bytes, at + 2).ok_or((at, "invalid \\u escape"))?;
                match high {
                    0xD800..=0xDBFF => {
                        let low = match bytes.get(at + 6..at + 8) {
                            Some(b"\\u") => hex4(bytes, at + 8),
                            _ => None,
                        };
                        match low {
                            Some(low @ 0xDC00..=0xDFFF) => {
                                let scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                                let decoded =
                                    char::from_u32(scalar).ok_or((at, "invalid \\u escape"))?;
                                (decoded, 12)
                            }
                            _ => return Err((at, "unpaired surrogate in a \\u escape")),
                        }
                    }
                    0xDC00..=0xDFFF => return Err((at, "unpaired surrogate in a \\u escape")),
                    _ => (char::from_u32(high).ok_or((at, "invalid \\u escape"))?, 6),
                }
            }
            _ => return Err((at, "invalid escape")),
        };
        if let Some(out) = out.as_deref_mut() {
            out.push(decoded);
        }
        run_start = at + len;
    }
    if let Some(out) = out {
        out.push_str(text.get(run_start..).unwrap_or_default());
    }
    Ok(())
}

/// The value of the four hex digits at `at`.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4)?.iter().try_fold(0, |value, &byte| {
        let digit = char::from(byte).to_digit(16)?;
        Some((value << 4) | digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(input: &str) -> JsonReader<'_> {
        JsonReader::new(input.as_bytes())
    }

    /// Runs `read` on `input`, expecting an error; returns its path, offset
    /// and message.
    fn error<'i, T: std::fmt::Debug>(
        input: &'i str,
        read: impl FnOnce(&mut JsonReader<'i>) -> Result<T>,
    ) -> (String, usize, String) {
        let mut r = reader(input);
        let error = read(&mut r).expect_err("expected an error");
        (
            error.path().to_owned(),
            error.offset(),
            error.message().to_owned(),
        )
    }

    fn err(path: &str, offset: usize, message: &str) -> (String, usize, String) {
        (path.to_owned(), offset, message.to_owned())
    }

    #[test]
    fn objects_and_arrays() -> Result<()> {
        let mut r = reader(" { \"a\" : [ 1 , 2 ] , \"b\" : { } , \"c\" : [ ] } ");
        r.begin_object()?;
        assert_eq!(r.next_key()?.as_deref(), Some("a"));
        r.begin_array()?;
        assert!(r.next_element()?);
        assert_eq!(r.i32()?, 1);
        assert!(r.next_element()?);
        assert_eq!(r.i32()?, 2);
        assert!(!r.next_element()?);
        assert_eq!(r.next_key()?.as_deref(), Some("b"));
        r.begin_object()?;
        assert_eq!(r.next_key()?, None);
        assert_eq!(r.next_key()?.as_deref(), Some("c"));
        r.begin_array()?;
        assert!(!r.next_element()?);
        assert_eq!(r.next_key()?, None);
        r.end()
    }

    #[test]
    fn keys_are_borrowed_unless_escaped() -> Result<()> {
        let mut r = reader(r#"{"plain":1,"t\u00e9\n":2}"#);
        r.begin_object()?;
        assert!(matches!(r.next_key()?, Some(Cow::Borrowed("plain"))));
        r.skip_value()?;
        match r.next_key()? {
            Some(Cow::Owned(key)) => assert_eq!(key, "té\n"),
            other => panic!("{other:?}"),
        }
        r.skip_value()?;
        assert_eq!(r.next_key()?, None);
        r.end()
    }

    #[test]
    fn peek_null() -> Result<()> {
        let mut r = reader(r#"[null, 1, "null"]"#);
        r.begin_array()?;
        assert!(r.next_element()?);
        assert!(r.peek_null()?);
        assert!(r.next_element()?);
        assert!(!r.peek_null()?);
        assert_eq!(r.i64()?, 1);
        assert!(r.next_element()?);
        assert!(!r.peek_null()?);
        assert_eq!(r.string()?, "null");
        assert!(!r.next_element()?);
        r.end()?;
        assert_eq!(
            error("nul", JsonReader::peek_null),
            err("$", 3, "unexpected end of input")
        );
        assert_eq!(
            error("nil", JsonReader::peek_null),
            err("$", 0, "invalid literal, expected `null`")
        );
        Ok(())
    }

    #[test]
    fn strings_and_escapes() -> Result<()> {
        let text = r#""a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00 é😀""#;
        assert_eq!(reader(text).string()?, "a\"b\\c/d\u{8}\u{c}\n\r\tAé€😀 é😀");
        assert!(matches!(
            reader(r#""plain é""#).str()?,
            Cow::Borrowed("plain é")
        ));
        assert!(matches!(reader(r#""a\nb""#).str()?, Cow::Owned(_)));
        // A long string, through the eight-bytes-at-a-time scan.
        let long = format!("\"{}\\\"{}\"", "x".repeat(100), "é".repeat(100));
        assert_eq!(
            reader(&long).string()?,
            format!("{}\"{}", "x".repeat(100), "é".repeat(100))
        );
        assert_eq!(reader(r#""\uD834\uDD1E""#).string()?, "𝄞");
        Ok(())
    }

    #[test]
    fn string_errors() {
        let cases = [
            (r#""a\x""#, 2, "invalid escape"),
            (r#""\u12""#, 1, "invalid \\u escape"),
            (r#""\u12G4""#, 1, "invalid \\u escape"),
            (r#""ab\ud800""#, 3, "unpaired surrogate in a \\u escape"),
            (r#""\ud800\u0041""#, 1, "unpaired surrogate in a \\u escape"),
            (r#""\ud800x""#, 1, "unpaired surrogate in a \\u escape"),
            (r#""\udc00""#, 1, "unpaired surrogate in a \\u escape"),
            ("\"a\nb\"", 2, "control character in a string"),
            ("\"abc", 4, "unexpected end of input"),
            ("\"abc\\", 5, "unexpected end of input"),
            ("\"abc\\\"", 6, "unexpected end of input"),
            ("", 0, "unexpected end of input"),
            ("5", 0, "expected a string, found a number"),
            ("{}", 0, "expected a string, found an object"),
            ("[]", 0, "expected a string, found an array"),
            ("true", 0, "expected a string, found a boolean"),
            ("null", 0, "expected a string, found null"),
            ("@", 0, "expected a string, found '@'"),
        ];
        for (input, offset, message) in cases {
            assert_eq!(
                error(input, JsonReader::string),
                err("$", offset, message),
                "{input}"
            );
        }
        // Invalid UTF-8, bare and after valid multi-byte characters.
        for (input, offset) in [(&b"\"\xff\""[..], 1), (&b"\"\xc3\xa9\xe2\x82\""[..], 3)] {
            let e = JsonReader::new(input).string().unwrap_err();
            assert_eq!(
                (e.offset(), e.message()),
                (offset, "invalid UTF-8 in a string")
            );
        }
        // Skipping checks strings too.
        let e = JsonReader::new(b"[\"\xff\"]").skip_value().unwrap_err();
        assert_eq!(
            (e.path(), e.message()),
            ("$[0]", "invalid UTF-8 in a string")
        );
        assert_eq!(
            error(r#"{"k":"\q"}"#, JsonReader::skip_value),
            err("$.k", 6, "invalid escape")
        );
        assert_eq!(
            error(r#"{"\q":1}"#, JsonReader::skip_value),
            err("$[\"\\\\q\"]", 2, "invalid escape")
        );
    }

    #[test]
    fn booleans() -> Result<()> {
        assert!(reader("true").bool()?);
        assert!(!reader(" false ").bool()?);
        assert_eq!(
            error("tru", JsonReader::bool),
            err("$", 3, "unexpected end of input")
        );
        assert_eq!(
            error("trUe", JsonReader::bool),
            err("$", 0, "invalid literal, expected `true`")
        );
        assert_eq!(
            error("\"true\"", JsonReader::bool),
            err("$", 0, "expected a boolean, found a string")
        );
        Ok(())
    }

    #[test]
    fn integers() -> Result<()> {
        assert_eq!(reader("-128").i8()?, -128);
        assert_eq!(reader("127").i8()?, 127);
        assert_eq!(reader("-32768").i16()?, i16::MIN);
        assert_eq!(reader("2147483647").i32()?, i32::MAX);
        assert_eq!(reader("-9223372036854775808").i64()?, i64::MIN);
        assert_eq!(reader("9223372036854775807").i64()?, i64::MAX);
        assert_eq!(reader("-0").i64()?, 0);
        assert_eq!(reader("0").i64()?, 0);
        type ReadInteger = fn(&mut JsonReader<'_>) -> Result<i64>;
        let cases: [(&str, ReadInteger, &str); 11] = [
            ("300", |r| r.i8().map(i64::from), "expected an integer in -128..=127, found 300"),
            ("-129", |r| r.i8().map(i64::from), "expected an integer in -128..=127, found -129"),
            ("32768", |r| r.i16().map(i64::from), "expected an integer in -32768..=32767, found 32768"),
            (
                "2147483648",
                |r| r.i32().map(i64::from),
                "expected an integer in -2147483648..=2147483647, found 2147483648",
            ),
            (
                "9223372036854775808",
                |r| r.i64(),
                "expected an integer in -9223372036854775808..=9223372036854775807, found 9223372036854775808",
            ),
            (
                "123456789012345678901234567890123456789012345",
                |r| r.i64(),
                "expected an integer in -9223372036854775808..=9223372036854775807, \
                 found 1234567890123456789012345678901234567890…",
            ),
            ("1.5", |r| r.i64(), "expected an integer, found 1.5"),
            ("1.0", |r| r.i32().map(i64::from), "expected an integer, found 1.0"),
            ("1e2", |r| r.i64(), "expected an integer, found 1e2"),
            ("\"1\"", |r| r.i64(), "expected an integer, found a string"),
            ("-", |r| r.i64(), "unexpected end of input"),
        ];
        for (input, read, message) in cases {
            let offset = if message.contains("end of input") {
                1
            } else {
                0
            };
            assert_eq!(error(input, read), err("$", offset, message), "{input}");
        }
        for (input, offset) in [("-x", 1), ("1.", 2), ("1.e5", 2), ("1e", 2), ("1e+", 3)] {
            let expected = if offset == input.len() {
                "unexpected end of input"
            } else {
                "invalid number: expected a digit"
            };
            assert_eq!(
                error(input, |r| r.i64()),
                err("$", offset, expected),
                "{input}"
            );
        }
        // `-0` is a number; the `1` after it is not part of it.
        let mut r = reader("-01");
        assert_eq!(r.i64()?, 0);
        assert_eq!(r.end().unwrap_err().offset(), 2);
        Ok(())
    }

    #[test]
    fn floats() -> Result<()> {
        assert_eq!(reader("0.1").f64()?, 0.1);
        assert_eq!(reader("-2.5e-3").f64()?, -2.5e-3);
        assert_eq!(reader("1E300").f64()?, 1e300);
        assert_eq!(reader("1e400").f64()?, f64::INFINITY);
        assert_eq!(reader("7").f64()?, 7.0);
        assert!(reader("\"NaN\"").f64()?.is_nan());
        assert_eq!(reader("\"Infinity\"").f64()?, f64::INFINITY);
        assert_eq!(reader("\"-Infinity\"").f64()?, f64::NEG_INFINITY);
        assert_eq!(reader("0.1").f32()?, 0.1_f32);
        assert!(reader("\"NaN\"").f32()?.is_nan());
        assert_eq!(reader("\"-Infinity\"").f32()?, f32::NEG_INFINITY);
        assert_eq!(
            error("\"nan\"", JsonReader::f64),
            err(
                "$",
                0,
                "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found a string"
            )
        );
        assert_eq!(
            error("true", JsonReader::f32),
            err("$", 0, "expected a number, found a boolean")
        );
        Ok(())
    }

    #[test]
    fn blobs() -> Result<()> {
        assert_eq!(reader("\"aGk=\"").blob()?, Blob::from("hi"));
        assert_eq!(reader("\"aGk\"").blob()?, Blob::from("hi"));
        assert_eq!(reader("\"\"").blob()?, Blob::from(""));
        // Some encoders escape `/`.
        assert_eq!(
            reader(r#""+\/8=""#).blob()?,
            Blob::from(&[0xfb_u8, 0xff][..])
        );
        let (path, offset, message) = error(r#"{"b": "a!b="}"#, |r| {
            r.begin_object()?;
            r.next_key()?;
            r.blob()
        });
        assert_eq!((path.as_str(), offset), ("$.b", 6));
        assert!(message.starts_with("invalid base64: "), "{message}");
        assert_eq!(
            error("12", JsonReader::blob),
            err("$", 0, "expected a string, found a number")
        );
        Ok(())
    }

    #[test]
    fn timestamps() -> Result<()> {
        use TimestampFormat::{DateTime as Rfc3339, EpochSeconds, HttpDate};
        let t = DateTime::from_millis(1_479_816_991_349);
        for format in [EpochSeconds, Rfc3339, HttpDate] {
            assert_eq!(reader("1479816991.349").timestamp(format)?, t);
            assert_eq!(reader("\"1479816991.349\"").timestamp(format)?, t);
            assert_eq!(reader("\"2016-11-22T12:16:31.349Z\"").timestamp(format)?, t);
            assert_eq!(
                reader("\"Tue, 22 Nov 2016 12:16:31.349 GMT\"").timestamp(format)?,
                t
            );
        }
        assert_eq!(
            reader("1.655421227201E9").timestamp(EpochSeconds)?,
            DateTime::from_millis(1_655_421_227_201)
        );
        assert_eq!(
            reader("1479816991").timestamp(EpochSeconds)?,
            DateTime::from_secs(1_479_816_991)
        );
        assert_eq!(
            reader("-1.5").timestamp(EpochSeconds)?,
            DateTime::from_millis(-1_500)
        );
        assert_eq!(
            reader("1.123456789").timestamp(EpochSeconds)?,
            DateTime::from_secs_and_nanos(1, 123_456_789)
        );
        let (path, offset, message) = error(r#"{"t": "yesterday"}"#, |r| {
            r.begin_object()?;
            r.next_key()?;
            r.timestamp(Rfc3339)
        });
        assert_eq!((path.as_str(), offset), ("$.t", 6));
        assert!(
            message.starts_with("invalid RFC 3339 timestamp \"yesterday\""),
            "{message}"
        );
        let (_, _, message) = error("\"x\"", |r| r.timestamp(HttpDate));
        assert!(
            message.starts_with("invalid HTTP date timestamp"),
            "{message}"
        );
        let (_, _, message) = error("\"x\"", |r| r.timestamp(EpochSeconds));
        assert!(
            message.starts_with("invalid epoch-seconds timestamp"),
            "{message}"
        );
        let (_, _, message) = error("1e300", |r| r.timestamp(EpochSeconds));
        assert!(message.contains("out of range"), "{message}");
        assert_eq!(
            error("[]", |r| r.timestamp(EpochSeconds)),
            err("$", 0, "expected a timestamp, found an array")
        );
        Ok(())
    }

    #[test]
    fn documents() -> Result<()> {
        let input = r#"{"s":"x","n":null,"t":true,"f":false,"i":-3,"u":18446744073709551615,
            "big":18446744073709551616,"neg":-9223372036854775809,"z":-0,"x":1.5,
            "a":[1,[],{}],"o":{"k":[null]},"k":1,"k":2}"#;
        let document = reader(input).document()?;
        let members = document.as_object().expect("an object");
        assert_eq!(members["s"], Document::from("x"));
        assert_eq!(members["n"], Document::Null);
        assert_eq!(members["t"], Document::from(true));
        assert_eq!(members["f"], Document::from(false));
        assert_eq!(members["i"], Document::Number(Number::NegInt(-3)));
        assert_eq!(members["u"], Document::Number(Number::PosInt(u64::MAX)));
        assert_eq!(members["big"], Document::from(18_446_744_073_709_551_616.0));
        assert_eq!(members["neg"], Document::from(-9_223_372_036_854_775_809.0));
        assert_eq!(members["z"], Document::Number(Number::PosInt(0)));
        assert_eq!(members["x"], Document::from(1.5));
        assert_eq!(
            members["a"],
            Document::from(vec![
                Document::from(1),
                Document::from(vec![]),
                Document::from(BTreeMap::new())
            ])
        );
        assert_eq!(
            members["o"].as_object().unwrap()["k"],
            Document::from(vec![Document::Null])
        );
        assert_eq!(members["k"], Document::from(2));
        assert_eq!(reader(" 5 ").document()?, Document::from(5));
        assert_eq!(
            error(r#"{"a":[1,{"b":x}]}"#, JsonReader::document),
            err("$.a[1].b", 13, "expected a value, found 'x'")
        );
        Ok(())
    }

    #[test]
    fn big_numbers() -> Result<()> {
        let digits = "-123456789012345678901234567890";
        assert_eq!(reader(digits).big_integer()?.as_str(), digits);
        assert_eq!(
            reader(&format!("\"{digits}\"")).big_integer()?.as_str(),
            digits
        );
        assert_eq!(reader("1.50E+400").big_decimal()?.as_str(), "1.50e400");
        assert_eq!(reader("\"0.1\"").big_decimal()?.as_str(), "0.1");
        assert_eq!(reader("7").big_decimal()?.as_str(), "7");
        assert_eq!(
            error("1.5", JsonReader::big_integer),
            err("$", 0, "expected an integer, found 1.5")
        );
        let (_, offset, message) = error("\"x\"", JsonReader::big_integer);
        assert_eq!(offset, 0);
        assert!(message.starts_with("invalid big integer"), "{message}");
        let (_, _, message) = error("\"1..2\"", JsonReader::big_decimal);
        assert!(message.starts_with("invalid big decimal"), "{message}");
        assert_eq!(
            error("{}", JsonReader::big_decimal),
            err("$", 0, "expected a number, found an object")
        );
        Ok(())
    }

    #[test]
    fn skipping() -> Result<()> {
        let mut r =
            reader(r#"{"skip":{"a":[1,-2.5e3,"s\"\u00e9",true,false,null,{}],"b":{}},"keep":7}"#);
        r.begin_object()?;
        assert_eq!(r.next_key()?.as_deref(), Some("skip"));
        r.skip_value()?;
        assert_eq!(r.next_key()?.as_deref(), Some("keep"));
        assert_eq!(r.i64()?, 7);
        assert_eq!(r.next_key()?, None);
        r.end()?;
        for input in ["1", "\"s\"", "null", "[]", "{}", " [ [ ] , { } ] "] {
            let mut r = reader(input);
            r.skip_value()?;
            r.end()?;
        }
        assert_eq!(
            error("[1 2]", JsonReader::skip_value),
            err("$[0]", 3, "expected ',' or ']', found a number")
        );
        Ok(())
    }

    #[test]
    fn error_paths() {
        let read_tag_key = |r: &mut JsonReader<'_>| {
            r.begin_object()?;
            assert_eq!(r.next_key()?.as_deref(), Some("keyPair"));
            r.begin_object()?;
            assert_eq!(r.next_key()?.as_deref(), Some("tags"));
            r.begin_array()?;
            assert!(r.next_element()?);
            r.begin_object()?;
            assert_eq!(r.next_key()?.as_deref(), Some("key"));
            r.string()
        };
        assert_eq!(
            error(r#"{"keyPair":{"tags":[{"key":5}]}}"#, read_tag_key),
            err(
                "$.keyPair.tags[0].key",
                27,
                "expected a string, found a number"
            )
        );
        let second = |r: &mut JsonReader<'_>| {
            r.begin_array()?;
            r.next_element()?;
            r.skip_value()?;
            r.next_element()?;
            r.begin_object()?;
            r.next_key()?;
            r.string()
        };
        assert_eq!(
            error(r#"[0, {"a b": 1}]"#, second),
            err(r#"$[1]["a b"]"#, 12, "expected a string, found a number")
        );
        assert_eq!(
            error(r#"[0, {"q\"\u00e9": 1}]"#, second),
            err(r#"$[1]["q\"é"]"#, 18, "expected a string, found a number")
        );
        assert_eq!(
            error(r#"[0, {"_x9": 1}]"#, second),
            err("$[1]._x9", 12, "expected a string, found a number")
        );
        assert_eq!(
            error(r#"[0, {"9x": 1}]"#, second),
            err(r#"$[1]["9x"]"#, 11, "expected a string, found a number")
        );
        assert_eq!(
            error(r#"[0, {"": 1}]"#, second),
            err(r#"$[1][""]"#, 9, "expected a string, found a number")
        );
        let e = reader("[1]").i64().unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: expected an integer, found an array (at byte 0)"
        );
    }

    #[test]
    fn syntax_errors() {
        let object = |r: &mut JsonReader<'_>| {
            r.begin_object()?;
            while r.next_key()?.is_some() {
                r.skip_value()?;
            }
            r.end()
        };
        let cases = [
            (r#"{"a":1,}"#, "$.a", 7, "expected a key, found '}'"),
            (
                r#"{"a":1 "b":2}"#,
                "$.a",
                7,
                "expected ',' or '}', found a string",
            ),
            (r#"{"a" 1}"#, "$.a", 5, "expected ':', found a number"),
            (r#"{,}"#, "$", 1, "expected a key or '}', found ','"),
            (r#"{1:2}"#, "$", 1, "expected a key or '}', found a number"),
            (r#"{"a":}"#, "$.a", 5, "expected a value, found '}'"),
            (r#"{"a":1"#, "$.a", 6, "unexpected end of input"),
            (r#"{"a":"#, "$.a", 5, "unexpected end of input"),
            (r#"{"#, "$", 1, "unexpected end of input"),
            (
                r#"{} x"#,
                "$",
                3,
                "expected the end of the input, found 'x'",
            ),
            (r#"{}}"#, "$", 2, "expected the end of the input, found '}'"),
            ("[]", "$", 0, "expected an object, found an array"),
            (
                "{\"a\":\u{1}}",
                "$.a",
                5,
                "expected a value, found byte 0x01",
            ),
        ];
        for (input, path, offset, message) in cases {
            assert_eq!(error(input, object), err(path, offset, message), "{input}");
        }
        let array = |r: &mut JsonReader<'_>| {
            r.begin_array()?;
            while r.next_element()? {
                r.skip_value()?;
            }
            r.end()
        };
        let cases = [
            ("[1,]", "$[0]", 3, "expected a value after ','"),
            ("[1,", "$[0]", 3, "unexpected end of input"),
            ("[,1]", "$[0]", 1, "expected a value, found ','"),
            ("[1 2]", "$[0]", 3, "expected ',' or ']', found a number"),
            ("[1", "$[0]", 2, "unexpected end of input"),
            ("[", "$", 1, "unexpected end of input"),
        ];
        for (input, path, offset, message) in cases {
            assert_eq!(error(input, array), err(path, offset, message), "{input}");
        }
    }

    #[test]
    fn every_truncation_is_the_end_of_input() {
        let input = r#"{"a":[1,-2.5e+3,"s\"\u00e9😀",true,false,null,{}],"b":{"c":[[]]},"d":"é"}"#;
        for end in 0..input.len() {
            let Some(prefix) = input.get(..end) else {
                // Not a char boundary: cut inside a string, still the end.
                let e = JsonReader::new(&input.as_bytes()[..end])
                    .document()
                    .unwrap_err();
                assert_eq!(e.message(), "unexpected end of input");
                continue;
            };
            for read in [
                |r: &mut JsonReader<'_>| r.document().map(drop),
                |r: &mut JsonReader<'_>| r.skip_value(),
            ] {
                let mut r = reader(prefix);
                let e = read(&mut r).and_then(|()| r.end()).unwrap_err();
                assert_eq!(
                    (e.offset(), e.message()),
                    (end, "unexpected end of input"),
                    "{prefix}"
                );
            }
        }
        assert_eq!(reader(input).document().map(drop), Ok(()));
    }

    #[test]
    fn misuse_gives_errors() {
        assert_eq!(
            error("{}", JsonReader::next_element).2,
            "next_element called outside an array"
        );
        assert_eq!(
            error("[]", JsonReader::next_key).2,
            "next_key called outside an object"
        );
        let mut r = reader("[]");
        r.begin_array().unwrap();
        assert_eq!(
            r.next_key().unwrap_err().message(),
            "next_key called outside an object"
        );
        assert_eq!(r.end().unwrap_err().message(), "end called inside a value");
        let mut r = reader("[");
        r.begin_array().unwrap();
        assert_eq!(r.end().unwrap_err().message(), "unexpected end of input");
        let e = r.error("custom");
        assert_eq!((e.path(), e.offset(), e.message()), ("$", 1, "custom"));
    }

    /// Reads an object with `next_member`, recording the index and the
    /// value (as a document) of each member it returns.
    fn members<const N: usize>(input: &[u8], keys: &Keys<N>) -> Result<Vec<(usize, Document)>> {
        let mut r = JsonReader::new(input);
        let mut found = Vec::new();
        r.begin_object()?;
        while let Some(index) = r.next_member(keys)? {
            found.push((index, r.document()?));
        }
        r.end()?;
        Ok(found)
    }

    #[test]
    fn next_member_finds_keys_in_any_order() -> Result<()> {
        static KEYS: Keys<4> = Keys::new(["a", "name", "a_key_that_is_longer_than_32_bytes", ""]);
        let n = Document::from;
        let expected = vec![(0, n(1)), (1, n(2)), (2, n(3)), (3, n(4))];
        for input in [
            r#"{"a":1,"name":2,"a_key_that_is_longer_than_32_bytes":3,"":4}"#,
            // Whitespace everywhere, and escapes in keys.
            " { \"a\" : 1 ,\n\"n\\u0061me\"\t: 2 , \"a_key_that_is_longer_than_32_bytes\" : 3 , \"\" : 4 } ",
        ] {
            assert_eq!(members(input.as_bytes(), &KEYS)?, expected, "{input}");
        }
        // Other orders, unknown keys (skipped, also those that start with a
        // known one), `null` values (skipped), duplicates (each returned).
        let input = br#"{"":4,"names":[{"a":1}],"name":2,"a":null,"x":{"a":"b"},"a":1,"name":5}"#;
        assert_eq!(
            members(input, &KEYS)?,
            vec![(3, n(4)), (1, n(2)), (0, n(1)), (1, n(5))]
        );
        assert_eq!(members(b"{}", &KEYS)?, vec![]);
        assert_eq!(members(b"{\"zz\":1}", &KEYS)?, vec![]);
        // Near the end of the input, where fewer than 32 bytes follow a key.
        assert_eq!(members(br#"{"a":1}"#, &KEYS)?, vec![(0, n(1))]);
        // In a document that is not all UTF-8, keys are found all the same,
        // and strings checked.
        assert_eq!(
            members(b"{\"a\":1,\"name\":\"\xff\"}", &KEYS)
                .unwrap_err()
                .message(),
            "invalid UTF-8 in a string"
        );
        assert_eq!(
            members(b"{\"x\":\"\xff\"}", &KEYS).unwrap_err().message(),
            "invalid UTF-8 in a string"
        );
        assert_eq!(
            members(b"{\"a\":1,\"name\":[\"\xff\"]}", &KEYS)
                .unwrap_err()
                .path(),
            "$.name[0]"
        );
        Ok(())
    }

    #[test]
    fn next_member_matches_keys_that_need_escapes() -> Result<()> {
        // Such keys are compared once decoded, never as they are in the input.
        static KEYS: Keys<3> = Keys::new(["a\"b", "c\\d", "a\\\"b"]);
        let input = br#"{"a\"b":1,"c\\d":2,"a\\\"b":3,"a":4,"c":5}"#;
        let n = Document::from;
        assert_eq!(
            members(input, &KEYS)?,
            vec![(0, n(1)), (1, n(2)), (2, n(3))]
        );
        Ok(())
    }

    #[test]
    fn next_member_errors_name_the_member() {
        static KEYS: Keys<2> = Keys::new(["a", "b"]);
        let read = |r: &mut JsonReader<'_>| {
            r.begin_object()?;
            while let Some(index) = r.next_member(&KEYS)? {
                match index {
                    0 => {
                        r.i32()?;
                    }
                    _ => {
                        r.string()?;
                    }
                }
            }
            r.end()
        };
        let cases = [
            (
                r#"{"a":1,"b":2}"#,
                "$.b",
                11,
                "expected a string, found a number",
            ),
            (
                r#"{"b":"x","a":"y"}"#,
                "$.a",
                13,
                "expected an integer, found a string",
            ),
            (
                r#"{"a":1,"x":[1,}"#,
                "$.x[1]",
                14,
                "expected a value, found '}'",
            ),
            (r#"{"a":1,}"#, "$.a", 7, "expected a key, found '}'"),
            (
                r#"{"a":1 "b":2}"#,
                "$.a",
                7,
                "expected ',' or '}', found a string",
            ),
            (r#"{"a" 1}"#, "$.a", 5, "expected ':', found a number"),
            (r#"{"a":nul}"#, "$.a", 5, "invalid literal, expected `null`"),
            (r#"{"a":1"#, "$.a", 6, "unexpected end of input"),
            (r#"{"a"#, "$", 3, "unexpected end of input"),
            (r#"{"\q":1}"#, r#"$["\\q"]"#, 2, "invalid escape"),
        ];
        for (input, path, offset, message) in cases {
            assert_eq!(error(input, read), err(path, offset, message), "{input}");
        }
        let mut r = reader("[]");
        r.begin_array().unwrap();
        assert_eq!(
            r.next_member(&KEYS).unwrap_err().message(),
            "next_key called outside an object"
        );
    }

    const DEEP: usize = 10_000;

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let arrays = "[".repeat(DEEP) + &"]".repeat(DEEP);
        let objects = r#"{"a":"#.repeat(DEEP) + "1" + &"}".repeat(DEEP);
        let mixed = r#"[{"a":"#.repeat(DEEP / 2) + "1" + &"}]".repeat(DEEP / 2);
        for input in [&arrays, &objects, &mixed] {
            let e = reader(input).skip_value().unwrap_err();
            assert_eq!(e.message(), "nesting exceeds the maximum depth of 128");
            assert_eq!(reader(input).document().unwrap_err(), e);
        }
        let e = reader(&arrays).skip_value().unwrap_err();
        assert_eq!(e.offset(), 128);
        assert_eq!(e.path(), format!("${}", "[0]".repeat(128)));

        let mut r = reader(&arrays);
        let mut depth = 0;
        let e = loop {
            match r.begin_array().and_then(|()| r.next_element()) {
                Ok(_) => depth += 1,
                Err(e) => break e,
            }
        };
        assert_eq!(depth, 128);
        assert_eq!(e.message(), "nesting exceeds the maximum depth of 128");

        // A limit of one allows the top-level container only.
        let mut r = reader("[[1]]").with_max_depth(1);
        r.begin_array().unwrap();
        r.next_element().unwrap();
        assert!(r.begin_array().is_err());
        assert!(reader("[[1]]").with_max_depth(2).skip_value().is_ok());
        assert!(reader("[[1]]").with_max_depth(1).skip_value().is_err());
        assert!(reader("1").with_max_depth(0).document().is_ok());
        // Within the limit, deep documents are fine.
        let deep = "[".repeat(DEEP) + &"]".repeat(DEEP);
        let mut r = reader(&deep).with_max_depth(DEEP);
        r.skip_value().unwrap();
        r.end().unwrap();
    }

    #[test]
    fn ten_megabytes_of_numbers() -> Result<()> {
        let count = 1_500_000;
        let mut input = String::with_capacity(11 << 20);
        input.push('[');
        for i in 0..count {
            if i > 0 {
                input.push(',');
            }
            let _ = write!(input, "{}", i * 7 - 1_000);
        }
        input.push(']');
        assert!(input.len() > 10_000_000);
        let mut r = reader(&input);
        r.begin_array()?;
        let mut sum = 0_i64;
        let mut n = 0_i64;
        while r.next_element()? {
            sum += r.i64()?;
            n += 1;
        }
        r.end()?;
        assert_eq!(n, count);
        assert_eq!(sum, (0..count).map(|i| i * 7 - 1_000).sum::<i64>());
        let mut r = reader(&input);
        r.skip_value()?;
        r.end()
    }
}
