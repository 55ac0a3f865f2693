//! Arbitrary-precision numbers, kept as text.
//!
//! [`BigInteger`] and [`BigDecimal`] are the Rust types of Smithy's
//! `bigInteger` and `bigDecimal` shapes. They do no arithmetic: they check
//! the syntax, keep the number as canonical text, and hand it to whichever
//! arbitrary-precision crate the user prefers, via [`as_str`](BigInteger::as_str)
//! and that crate's parser.

use std::error::Error;
use std::fmt;
use std::str::FromStr;

use crate::excerpt::Excerpt;

/// An integer of any size.
///
/// Parsing accepts an optional `+` or `-` followed by ASCII digits, and
/// stores the canonical form: no `+`, no leading zeros, and no `-` on zero.
/// Equal integers therefore compare equal whatever text they came from.
///
/// ```
/// use smithgen_runtime::BigInteger;
///
/// let n: BigInteger = "-000123456789012345678901234567890".parse()?;
/// assert_eq!(n.as_str(), "-123456789012345678901234567890");
/// assert_eq!("+0".parse::<BigInteger>()?, BigInteger::from(0_u64));
/// # Ok::<(), smithgen_runtime::ParseBigNumberError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BigInteger {
    text: String,
}

impl BigInteger {
    /// The canonical decimal text, such as `-42`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for BigInteger {
    type Err = ParseBigNumberError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseBigNumberError::new("big integer", input, reason);
        let (negative, rest) = split_sign(input.as_bytes());
        let (digits, rest) = split_digits(rest);
        if digits.is_empty() {
            return Err(fail("expected digits"));
        }
        if !rest.is_empty() {
            return Err(fail("unexpected character after the digits"));
        }
        let digits = trim_leading_zeros(digits);
        let mut text = String::with_capacity(digits.len() + 1);
        if negative && digits != b"0" {
            text.push('-');
        }
        push_ascii(&mut text, digits);
        Ok(Self { text })
    }
}

impl From<i64> for BigInteger {
    fn from(value: i64) -> Self {
        Self {
            text: value.to_string(),
        }
    }
}

impl From<u64> for BigInteger {
    fn from(value: u64) -> Self {
        Self {
            text: value.to_string(),
        }
    }
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for BigInteger {
    /// Writes `BigInteger(-42)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BigInteger({})", self.text)
    }
}

/// A decimal number of any size and precision.
///
/// Parsing accepts JSON's number syntax, also allowing a leading `+` and
/// leading zeros: an optional sign, digits, optionally `.` and digits, and
/// optionally `e` or `E`, an optional sign and digits. It stores a canonical
/// form: no `+`, no leading zeros before the point, no `-` on zero, a
/// lowercase `e` and an exponent without `+` or leading zeros, left out when
/// it is zero.
///
/// Digits after the point are kept as written, so the number's precision
/// (scale) is kept, and equality compares it too, like Java's
/// `BigDecimal.equals`: `1.0`, `1.00` and `10e-1` are not equal.
///
/// ```
/// use smithgen_runtime::BigDecimal;
///
/// let n: BigDecimal = "+0012.50E+03".parse()?;
/// assert_eq!(n.as_str(), "12.50e3");
/// assert_eq!("-0.0".parse::<BigDecimal>()?.as_str(), "0.0");
/// # Ok::<(), smithgen_runtime::ParseBigNumberError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BigDecimal {
    text: String,
}

impl BigDecimal {
    /// The canonical decimal text, such as `-12.50e3`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for BigDecimal {
    type Err = ParseBigNumberError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseBigNumberError::new("big decimal", input, reason);
        let (negative, rest) = split_sign(input.as_bytes());
        let (integer, rest) = split_digits(rest);
        if integer.is_empty() {
            return Err(fail("expected digits"));
        }
        let (fraction, rest) = match rest.split_first() {
            Some((b'.', rest)) => {
                let (fraction, rest) = split_digits(rest);
                if fraction.is_empty() {
                    return Err(fail("expected digits after '.'"));
                }
                (Some(fraction), rest)
            }
            _ => (None, rest),
        };
        let (exponent, rest) = match rest.split_first() {
            Some((b'e' | b'E', rest)) => {
                let (exponent_negative, rest) = split_sign(rest);
                let (digits, rest) = split_digits(rest);
                if digits.is_empty() {
                    return Err(fail("expected digits in the exponent"));
                }
                (Some((exponent_negative, trim_leading_zeros(digits))), rest)
            }
            _ => (None, rest),
        };
        if !rest.is_empty() {
            return Err(fail("unexpected character"));
        }

        let integer = trim_leading_zeros(integer);
        let is_zero = integer == b"0" && fraction.is_none_or(|f| f.iter().all(|&d| d == b'0'));
        let mut text = String::with_capacity(input.len());
        if negative && !is_zero {
            text.push('-');
        }
        push_ascii(&mut text, integer);
        if let Some(fraction) = fraction {
            text.push('.');
            push_ascii(&mut text, fraction);
        }
        if let Some((exponent_negative, digits)) = exponent {
            if digits != b"0" {
                text.push('e');
                if exponent_negative {
                    text.push('-');
                }
                push_ascii(&mut text, digits);
            }
        }
        Ok(Self { text })
    }
}

impl From<i64> for BigDecimal {
    fn from(value: i64) -> Self {
        Self {
            text: value.to_string(),
        }
    }
}

impl From<u64> for BigDecimal {
    fn from(value: u64) -> Self {
        Self {
            text: value.to_string(),
        }
    }
}

impl From<BigInteger> for BigDecimal {
    fn from(value: BigInteger) -> Self {
        // Canonical integers are canonical decimals.
        Self { text: value.text }
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for BigDecimal {
    /// Writes `BigDecimal(-12.50e3)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BigDecimal({})", self.text)
    }
}

/// The text given to [`BigInteger`]'s or [`BigDecimal`]'s `from_str` is not
/// a number of that kind. The message names the text (its first 64
/// characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseBigNumberError {
    kind: &'static str,
    input: Excerpt,
    reason: &'static str,
}

impl ParseBigNumberError {
    fn new(kind: &'static str, input: &str, reason: &'static str) -> Self {
        Self {
            kind,
            input: Excerpt::new(input),
            reason,
        }
    }
}

impl fmt::Display for ParseBigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} {}: {}", self.kind, self.input, self.reason)
    }
}

impl Error for ParseBigNumberError {}

/// Splits off an optional leading `+` or `-`, returning whether it was `-`.
fn split_sign(bytes: &[u8]) -> (bool, &[u8]) {
    match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, bytes),
    }
}

/// Splits `bytes` after its leading ASCII digits.
fn split_digits(bytes: &[u8]) -> (&[u8], &[u8]) {
    let end = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len());
    bytes.split_at(end)
}

/// Drops leading zeros from non-empty `digits`, keeping the last digit.
fn trim_leading_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len().saturating_sub(1));
    &digits[start..]
}

fn push_ascii(text: &mut String, ascii: &[u8]) {
    text.extend(ascii.iter().map(|&b| char::from(b)));
}

/// Zero.
impl Default for BigInteger {
    fn default() -> Self {
        BigInteger::from(0_i64)
    }
}

/// Zero.
impl Default for BigDecimal {
    fn default() -> Self {
        BigDecimal::from(0_i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn integer(text: &str) -> String {
        text.parse::<BigInteger>()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string()
    }

    fn decimal(text: &str) -> String {
        text.parse::<BigDecimal>()
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string()
    }

    #[test]
    fn integers_are_canonicalised() {
        for (input, canonical) in [
            ("0", "0"),
            ("-0", "0"),
            ("+0", "0"),
            ("000", "0"),
            ("42", "42"),
            ("+42", "42"),
            ("-42", "-42"),
            ("-0042", "-42"),
            ("100", "100"),
            (
                "123456789012345678901234567890123456789",
                "123456789012345678901234567890123456789",
            ),
        ] {
            assert_eq!(integer(input), canonical, "{input}");
        }
        assert_eq!(
            "-0007".parse::<BigInteger>().unwrap(),
            "-7".parse::<BigInteger>().unwrap()
        );
    }

    #[test]
    fn rejects_bad_integers() {
        for bad in [
            "", "-", "+", "--1", "+-1", "1.0", "1e3", " 1", "1 ", "0x10", "1_000", "١", "1é",
        ] {
            assert!(bad.parse::<BigInteger>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn decimals_are_canonicalised() {
        for (input, canonical) in [
            ("0", "0"),
            ("-0", "0"),
            ("-0.000", "0.000"),
            ("-0e5", "0e5"),
            ("1.50", "1.50"),
            ("+001.50", "1.50"),
            ("-1.5", "-1.5"),
            ("0.001", "0.001"),
            ("1E10", "1e10"),
            ("1e+10", "1e10"),
            ("1e-010", "1e-10"),
            ("1e0", "1"),
            ("1e-000", "1"),
            ("-12.50E+03", "-12.50e3"),
            (
                "123456789.123456789e123456789",
                "123456789.123456789e123456789",
            ),
        ] {
            assert_eq!(decimal(input), canonical, "{input}");
        }
        assert_ne!(
            "1.0".parse::<BigDecimal>().unwrap(),
            "1.00".parse::<BigDecimal>().unwrap()
        );
    }

    #[test]
    fn rejects_bad_decimals() {
        for bad in [
            "", "-", ".5", "5.", "1.e3", "1e", "1e+", "1e3.5", "1.2.3", "NaN", "Infinity", "inf",
            " 1", "1 ", "1,5", "0x1p3", "1é", "١.5", "--1",
        ] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn conversions_from_primitives() {
        assert_eq!(BigInteger::from(i64::MIN).as_str(), "-9223372036854775808");
        assert_eq!(BigInteger::from(u64::MAX).as_str(), "18446744073709551615");
        assert_eq!(BigInteger::from(-0_i64), "0".parse().unwrap());
        assert_eq!(BigDecimal::from(-5_i64).as_str(), "-5");
        assert_eq!(BigDecimal::from(7_u64), "007".parse().unwrap());
        assert_eq!(
            BigDecimal::from(BigInteger::from(-12_i64)),
            "-12".parse().unwrap()
        );
    }

    #[test]
    fn debug_and_errors() {
        assert_eq!(format!("{:?}", BigInteger::from(-3_i64)), "BigInteger(-3)");
        assert_eq!(
            format!("{:?}", "1.5e3".parse::<BigDecimal>().unwrap()),
            "BigDecimal(1.5e3)"
        );
        assert_eq!(
            "12a".parse::<BigInteger>().unwrap_err().to_string(),
            r#"invalid big integer "12a": unexpected character after the digits"#
        );
        assert_eq!(
            "1.".parse::<BigDecimal>().unwrap_err().to_string(),
            r#"invalid big decimal "1.": expected digits after '.'"#
        );
        let error: Box<dyn Error + Send + Sync> = Box::new("x".parse::<BigDecimal>().unwrap_err());
        assert!(error.to_string().contains("\"x\""));
    }
}
