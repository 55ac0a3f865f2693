//! Round trips through the writer and the reader, and robustness against
//! mangled input.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::*;
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

type Result<T> = std::result::Result<T, DeserializeError>;

#[test]
fn every_type_round_trips() -> Result<()> {
    let timestamp = DateTime::from_millis(1_479_816_991_349);
    let document = Document::from(BTreeMap::from([
        ("n".to_owned(), Document::Null),
        (
            "list".to_owned(),
            Document::from(vec![Document::from(-1), Document::from(0.5)]),
        ),
        ("s".to_owned(), Document::from("x\ny")),
        ("u".to_owned(), Document::Number(Number::PosInt(u64::MAX))),
    ]));
    let big_integer: BigInteger = "123456789012345678901234567890".parse().unwrap();
    let big_decimal: BigDecimal = "-0.000000000000000000000000001".parse().unwrap();
    let blob = Blob::new((0..=255_u8).collect::<Vec<_>>());

    let mut w = JsonWriter::with_capacity(256);
    w.begin_object();
    w.key("string");
    w.string("héllo \"world\"\u{0}😀");
    w.key("true");
    w.bool(true);
    w.key("false");
    w.bool(false);
    w.key("null");
    w.null();
    w.key("i8");
    w.i64(i64::from(i8::MIN));
    w.key("i16");
    w.i64(i64::from(i16::MAX));
    w.key("i32");
    w.i64(i64::from(i32::MIN));
    w.key("i64");
    w.i64(i64::MAX);
    w.key("u64");
    w.u64(42);
    w.key("f64");
    w.f64(0.1 + 0.2);
    w.key("f32");
    w.f32(1.1);
    w.key("floats");
    w.begin_array();
    w.f64(f64::NAN);
    w.f64(f64::INFINITY);
    w.f32(f32::NEG_INFINITY);
    w.f64(-0.0);
    w.f64(1e-300);
    w.f64(f64::MAX);
    w.end_array();
    w.key("blob");
    w.blob(&blob);
    w.key("epoch");
    w.timestamp(&timestamp, TimestampFormat::EpochSeconds);
    w.key("dateTime");
    w.timestamp(&timestamp, TimestampFormat::DateTime);
    w.key("httpDate");
    w.timestamp(&timestamp, TimestampFormat::HttpDate);
    w.key("document");
    w.document(&document);
    w.key("bigInteger");
    w.big_integer(&big_integer);
    w.key("bigDecimal");
    w.big_decimal(&big_decimal);
    w.key("raw");
    w.raw_number("-1.5e-7");
    w.key("unread");
    w.begin_object();
    w.key("deep");
    w.begin_array();
    w.begin_array();
    w.end_array();
    w.end_array();
    w.end_object();
    w.end_object();
    let json = w.finish();

    let mut r = JsonReader::new(json.as_bytes());
    let mut seen = Vec::new();
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        assert!(!r.peek_null()? || key == "null", "{key}");
        match &*key {
            "string" => assert_eq!(r.string()?, "héllo \"world\"\u{0}😀"),
            "true" => assert!(r.bool()?),
            "false" => assert!(!r.bool()?),
            "null" => {}
            "i8" => assert_eq!(r.i8()?, i8::MIN),
            "i16" => assert_eq!(r.i16()?, i16::MAX),
            "i32" => assert_eq!(r.i32()?, i32::MIN),
            "i64" => assert_eq!(r.i64()?, i64::MAX),
            "u64" => assert_eq!(r.i64()?, 42),
            "f64" => assert_eq!(r.f64()?, 0.1 + 0.2),
            "f32" => assert_eq!(r.f32()?, 1.1),
            "floats" => {
                r.begin_array()?;
                assert!(r.next_element()? && r.f64()?.is_nan());
                assert!(r.next_element()? && r.f64()? == f64::INFINITY);
                assert!(r.next_element()? && r.f32()? == f32::NEG_INFINITY);
                assert!(r.next_element()?);
                let zero = r.f64()?;
                assert!(zero == 0.0 && zero.is_sign_negative());
                assert!(r.next_element()? && r.f64()? == 1e-300);
                assert!(r.next_element()? && r.f64()? == f64::MAX);
                assert!(!r.next_element()?);
            }
            "blob" => assert_eq!(r.blob()?, blob),
            "epoch" => assert_eq!(r.timestamp(TimestampFormat::EpochSeconds)?, timestamp),
            "dateTime" => assert_eq!(r.timestamp(TimestampFormat::DateTime)?, timestamp),
            "httpDate" => assert_eq!(
                r.timestamp(TimestampFormat::HttpDate)?,
                DateTime::from_secs(timestamp.secs())
            ),
            "document" => assert_eq!(r.document()?, document),
            "bigInteger" => assert_eq!(r.big_integer()?, big_integer),
            "bigDecimal" => assert_eq!(r.big_decimal()?, big_decimal),
            "raw" => assert_eq!(r.f64()?, -1.5e-7),
            _ => r.skip_value()?,
        }
        seen.push(key.into_owned());
    }
    r.end()?;
    assert_eq!(seen.len(), 21);
    Ok(())
}

#[test]
fn every_char_round_trips() -> Result<()> {
    let text: String = (0..0x3000_u32)
        .chain(0xD7F0..0xE010)
        .chain(0x1_F600..0x1_F610)
        .chain([0x10_FFFF])
        .filter_map(char::from_u32)
        .collect();
    let mut w = JsonWriter::new();
    w.begin_array();
    w.string(&text);
    w.end_array();
    let array = w.finish();
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key(&text);
    w.string("");
    w.end_object();
    let object = w.finish();
    let mut r = JsonReader::new(array.as_bytes());
    r.begin_array()?;
    assert!(r.next_element()?);
    assert_eq!(r.string()?, text);
    assert!(!r.next_element()?);
    r.end()?;
    let mut r = JsonReader::new(object.as_bytes());
    r.begin_object()?;
    assert_eq!(r.next_key()?, Some(Cow::Borrowed(text.as_str())));
    assert_eq!(r.str()?, "");
    assert_eq!(r.next_key()?, None);
    r.end()
}

#[test]
fn documents_round_trip() -> Result<()> {
    let inputs = [
        r#"{"a":[1,-2,3.5,"x",true,false,null,{"b":{}}],"c":"\u0000","d":[]}"#,
        r#"[[[[]]],{},"",-0.0,1e300]"#,
        r#""just a string""#,
        "18446744073709551615",
        "-9223372036854775808",
    ];
    for input in inputs {
        let document = JsonReader::new(input.as_bytes()).document()?;
        let mut w = JsonWriter::new();
        w.document(&document);
        let json = w.finish();
        assert_eq!(
            JsonReader::new(json.as_bytes()).document()?,
            document,
            "{input}"
        );
    }
    Ok(())
}

/// A deterministic xorshift64 generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Reads a value the way generated code would, choosing what to expect from
/// the key it is under, and recursing into objects and arrays (which the
/// reader's depth limit bounds).
///
/// With `members`, objects are read as generated code reads structures, with
/// [`JsonReader::next_member`]; otherwise with [`JsonReader::next_key`].
fn typed_walk(r: &mut JsonReader<'_>, key: &str, members: bool) -> Result<()> {
    static KEYS: Keys<15> = Keys::new([
        "s", "b", "i", "l", "y", "f", "g", "blob", "t", "dt", "doc", "bi", "bd", "list", "obj",
    ]);
    if r.peek_null()? {
        return Ok(());
    }
    match key {
        "s" => r.string().map(drop),
        "b" => r.bool().map(drop),
        "i" => r.i32().map(drop),
        "l" => r.i64().map(drop),
        "y" => r.i8().map(drop),
        "f" => r.f64().map(drop),
        "g" => r.f32().map(drop),
        "blob" => r.blob().map(drop),
        "t" => r.timestamp(TimestampFormat::EpochSeconds).map(drop),
        "dt" => r.timestamp(TimestampFormat::DateTime).map(drop),
        "doc" => r.document().map(drop),
        "bi" => r.big_integer().map(drop),
        "bd" => r.big_decimal().map(drop),
        "list" => {
            r.begin_array()?;
            while r.next_element()? {
                typed_walk(r, "obj", members)?;
            }
            Ok(())
        }
        "obj" if members => {
            r.begin_object()?;
            while let Some(index) = r.next_member(&KEYS)? {
                let key = KEYS.names().nth(index).unwrap_or_default();
                typed_walk(r, key, members)?;
            }
            Ok(())
        }
        "obj" => {
            r.begin_object()?;
            while let Some(key) = r.next_key()? {
                typed_walk(r, &key, members)?;
            }
            Ok(())
        }
        _ => r.skip_value(),
    }
}

#[test]
fn mangled_input_never_panics() {
    let sample = br#"{"s":"a\"b\u00e9\ud83d\ude00","b":true,"i":-12,"l":9007199254740993,
        "y":7,"f":1.5e3,"g":"NaN","blob":"aGVsbG8=","t":1479816991.349,
        "dt":"2016-11-22T12:16:31Z","doc":{"x":[1,{"y":null}],"z":"w"},
        "bi":123456789012345678901234567890,"bd":-1.25e-30,
        "list":[{"s":"x","list":[]},{"obj":{"i":1}}],"other":[true,false,null,{}]}"#;
    let specials = b"{}[]\":,\\-+.eE0123456789 \tnultrfa\x00\x1f\x80\xbf\xc3\xe2\xf0\xff";
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut errors = 0;
    for _ in 0..4_000 {
        let mut input = sample.to_vec();
        for _ in 0..=rng.below(4) {
            if input.is_empty() {
                break;
            }
            let at = rng.below(input.len());
            let byte = if rng.below(2) == 0 {
                specials[rng.below(specials.len())]
            } else {
                rng.next() as u8
            };
            match rng.below(4) {
                0 => input.insert(at, byte),
                1 => {
                    input.remove(at);
                }
                2 => input.truncate(at),
                _ => input[at] = byte,
            }
        }
        let mut r = JsonReader::new(&input);
        let document = r.document().and_then(|_| r.end());
        let mut r = JsonReader::new(&input);
        let skipped = r.skip_value().and_then(|()| r.end());
        // Skipping and reading a document check the same syntax.
        assert_eq!(document.is_ok(), skipped.is_ok(), "{input:?}");
        let mut r = JsonReader::new(&input).with_max_depth(8);
        let walked = typed_walk(&mut r, "obj", false).and_then(|()| r.end());
        let mut r = JsonReader::new(&input).with_max_depth(8);
        let walked_members = typed_walk(&mut r, "obj", true).and_then(|()| r.end());
        // Reading keys one way or the other makes no difference, but that
        // `next_member` skips `null` values and unknown keys itself.
        if walked.is_ok() {
            assert!(walked_members.is_ok(), "{input:?}");
        }
        for result in [document, skipped, walked, walked_members] {
            if let Err(error) = result {
                errors += 1;
                assert!(error.offset() <= input.len(), "{error}");
                assert!(error.path().starts_with('$'), "{error}");
            }
        }
    }
    assert!(
        errors > 1_000,
        "the mutations should break most inputs: {errors}"
    );
}
