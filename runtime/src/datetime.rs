//! Instants in time, and the text formats Smithy timestamps travel in.
//!
//! [`DateTime`] is the Rust type of Smithy `timestamp` shapes. It knows the
//! three formats of Smithy's `@timestampFormat` trait:
//!
//! | Smithy format   | format                           | parse                              |
//! |-----------------|----------------------------------|------------------------------------|
//! | `date-time`     | [`DateTime::fmt_rfc3339`]        | [`DateTime::parse_rfc3339`]        |
//! | `http-date`     | [`DateTime::fmt_http_date`]      | [`DateTime::parse_http_date`]      |
//! | `epoch-seconds` | [`DateTime::fmt_epoch_seconds`]  | [`DateTime::parse_epoch_seconds`], [`DateTime::from_fractional_secs`] |
//!
//! Dates are in the proleptic Gregorian calendar and ignore leap seconds, like
//! Unix time.

use std::error::Error;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::excerpt::Excerpt;

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// `0001-01-01T00:00:00Z`, the earliest instant RFC 3339 and HTTP dates can
/// write.
const MIN_FORMATTABLE_SECS: i64 = -62_135_596_800;
/// `9999-12-31T23:59:59Z`, the last whole second RFC 3339 and HTTP dates can
/// write.
const MAX_FORMATTABLE_SECS: i64 = 253_402_300_799;

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An instant in time: a whole number of seconds since the Unix epoch
/// (`1970-01-01T00:00:00Z`, negative before it) plus a nanosecond fraction.
///
/// The fraction is always in `0..1_000_000_000` and counts forward in time,
/// so `-1.5` seconds is stored as `-2` seconds and `500_000_000` nanoseconds.
/// Ordering is chronological.
///
/// `Display` writes RFC 3339 (see [`DateTime::fmt_rfc3339`]); `Debug` writes
/// the same text wrapped as `DateTime(2015-01-01T00:00:00Z)`.
///
/// ```
/// use smithgen_runtime::DateTime;
///
/// let t = DateTime::parse_rfc3339("2016-11-22T12:16:31.349Z")?;
/// assert_eq!(t.secs(), 1_479_816_991);
/// assert_eq!(t.subsec_nanos(), 349_000_000);
/// assert_eq!(t.fmt_http_date()?, "Tue, 22 Nov 2016 12:16:31 GMT");
/// assert_eq!(t.fmt_epoch_seconds(), "1479816991.349");
/// # Ok::<(), smithgen_runtime::DateTimeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    // Field order matters: the derived `Ord` compares `seconds` first.
    seconds: i64,
    subsec_nanos: u32,
}

impl DateTime {
    /// The instant `seconds` whole seconds after the Unix epoch (before it
    /// if negative).
    pub const fn from_secs(seconds: i64) -> Self {
        Self {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// The instant `seconds` seconds plus `nanos` nanoseconds after the Unix
    /// epoch. `nanos` of a second or more carry into the seconds.
    ///
    /// # Panics
    ///
    /// If carrying the whole seconds of `nanos` overflows `i64`, like
    /// [`Duration::new`].
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        let carry = (nanos / NANOS_PER_SEC) as i64;
        let Some(seconds) = seconds.checked_add(carry) else {
            panic!("overflow in DateTime::from_secs_and_nanos");
        };
        Self {
            seconds,
            subsec_nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// The instant `millis` milliseconds after the Unix epoch (before it if
    /// negative).
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            seconds: millis.div_euclid(1_000),
            // In 0..1_000, so the product is below 10^9.
            subsec_nanos: millis.rem_euclid(1_000) as u32 * 1_000_000,
        }
    }

    /// The instant `secs` seconds after the Unix epoch, as found in the
    /// `epoch-seconds` timestamps of JSON documents.
    ///
    /// The fraction is rounded to the nearest microsecond: an `f64` of a
    /// present-day timestamp carries no more precision than that, and
    /// rounding keeps `0.349` from turning into `0.348999999`.
    ///
    /// # Errors
    ///
    /// If `secs` is NaN, infinite, or outside the range of `i64` seconds.
    pub fn from_fractional_secs(secs: f64) -> Result<Self, DateTimeError> {
        /// 2^63: the first whole number of seconds past `i64::MAX`.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if !secs.is_finite() {
            return Err(DateTimeError::float(secs, "not a finite number"));
        }
        let whole = secs.floor();
        if !(-LIMIT..LIMIT).contains(&whole) {
            return Err(DateTimeError::float(secs, "out of range"));
        }
        // `whole` is a whole number in the range of i64: the cast is exact.
        let seconds = whole as i64;
        // The fractional part of a float is exact; rounding it to
        // microseconds gives a value in 0..=1_000_000.
        let micros = ((secs - whole) * 1e6).round() as u32;
        if micros >= 1_000_000 {
            let seconds = seconds
                .checked_add(1)
                .ok_or_else(|| DateTimeError::float(secs, "out of range"))?;
            return Ok(Self::from_secs(seconds));
        }
        Ok(Self {
            seconds,
            subsec_nanos: micros * 1_000,
        })
    }

    /// Whole seconds since the Unix epoch, rounded down (towards the past):
    /// `-1.5` seconds gives `-2`.
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs), in `0..1_000_000_000`:
    /// `-1.5` seconds gives `500_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Seconds since the Unix epoch as a float, as written in JSON
    /// `epoch-seconds` timestamps. Lossy: an `f64` holds about 16 significant
    /// digits.
    pub fn as_fractional_secs(&self) -> f64 {
        // i64 -> f64 has no `From`; rounding is the documented behaviour.
        self.seconds as f64 + f64::from(self.subsec_nanos) / 1e9
    }

    /// Formats as an RFC 3339 `date-time` in UTC, with as many fractional
    /// digits as needed and none when the time is a whole second:
    /// `2015-01-01T00:00:00Z`, `2016-11-22T12:16:31.349Z`.
    ///
    /// # Errors
    ///
    /// If the year is outside `0001..=9999`, which RFC 3339 cannot write.
    /// (`Display` writes such years in ISO 8601's expanded form instead.)
    pub fn fmt_rfc3339(&self) -> Result<String, DateTimeError> {
        self.check_formattable("RFC 3339")?;
        Ok(self.to_string())
    }

    /// Parses an RFC 3339 `date-time`, such as `2015-01-01T00:00:00Z`,
    /// `2015-01-01t00:00:00.5z` or `2015-01-01T02:00:00+02:00`.
    ///
    /// Accepts any number of fractional digits (keeping the first nine), an
    /// offset of `Z`, `z` or `±hh:mm`, and a leap second `:60`, which is read
    /// as the first second of the next minute. Years must be in
    /// `0001..=9999`.
    ///
    /// # Errors
    ///
    /// If `input` is not such a date-time, or names a day that does not exist
    /// (`2015-02-29`) or an hour, minute or offset out of range.
    pub fn parse_rfc3339(input: &str) -> Result<Self, DateTimeError> {
        let fail = |reason| DateTimeError::parse("RFC 3339", input, reason);
        let mut cursor = Cursor::new(input);

        let year = cursor
            .digits(4)
            .ok_or_else(|| fail("expected a 4-digit year"))?;
        if !cursor.eat(b'-') {
            return Err(fail("expected '-' after the year"));
        }
        let month = cursor
            .digits(2)
            .ok_or_else(|| fail("expected a 2-digit month"))?;
        if !cursor.eat(b'-') {
            return Err(fail("expected '-' after the month"));
        }
        let day = cursor
            .digits(2)
            .ok_or_else(|| fail("expected a 2-digit day"))?;
        if !(cursor.eat(b'T') || cursor.eat(b't')) {
            return Err(fail("expected 'T' after the date"));
        }
        let (hour, minute, second) = cursor.time().map_err(fail)?;
        let nanos = cursor.fraction().map_err(fail)?;

        let offset = if cursor.eat(b'Z') || cursor.eat(b'z') {
            0
        } else {
            let sign = if cursor.eat(b'+') {
                1
            } else if cursor.eat(b'-') {
                -1
            } else {
                return Err(fail("expected 'Z' or a '+hh:mm' or '-hh:mm' offset"));
            };
            let hours = cursor
                .digits(2)
                .ok_or_else(|| fail("expected 2-digit offset hours"))?;
            if !cursor.eat(b':') {
                return Err(fail("expected ':' in the offset"));
            }
            let minutes = cursor
                .digits(2)
                .ok_or_else(|| fail("expected 2-digit offset minutes"))?;
            if hours > 23 || minutes > 59 {
                return Err(fail("offset out of range"));
            }
            sign * (i64::from(hours) * 3_600 + i64::from(minutes) * 60)
        };
        if !cursor.is_done() {
            return Err(fail("unexpected text after the offset"));
        }

        let date = Date::new(year, month, day).map_err(fail)?;
        let time = TimeOfDay::new(hour, minute, second).map_err(fail)?;
        // Years are at most 9999: none of this arithmetic can overflow.
        let seconds = date.days_since_epoch() * SECS_PER_DAY + time.secs() - offset;
        Ok(Self {
            seconds,
            subsec_nanos: nanos,
        })
    }

    /// Formats as an HTTP date (RFC 9110's IMF-fixdate), such as
    /// `Thu, 01 Jan 2015 00:00:00 GMT`.
    ///
    /// HTTP dates have no fractional seconds: the fraction is dropped
    /// (rounding towards the past).
    ///
    /// # Errors
    ///
    /// If the year is outside `0001..=9999`, which HTTP dates cannot write.
    pub fn fmt_http_date(&self) -> Result<String, DateTimeError> {
        self.check_formattable("an HTTP date")?;
        let (date, time) = self.civil();
        Ok(format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            DAY_NAMES[date.weekday()],
            date.day,
            MONTH_NAMES[date.month as usize - 1],
            date.year,
            time.hour,
            time.minute,
            time.second,
        ))
    }

    /// Parses an HTTP date in IMF-fixdate form, such as
    /// `Thu, 01 Jan 2015 00:00:00 GMT`.
    ///
    /// Day and month names are case-sensitive, as RFC 9110 requires, and the
    /// day name must match the date. Fractional seconds
    /// (`00:00:00.123 GMT`), which some services send, are accepted. The
    /// obsolete RFC 850 and asctime forms are not.
    ///
    /// # Errors
    ///
    /// If `input` is not such a date, or names a day that does not exist.
    pub fn parse_http_date(input: &str) -> Result<Self, DateTimeError> {
        let fail = |reason| DateTimeError::parse("HTTP date", input, reason);
        let mut cursor = Cursor::new(input);

        let weekday = cursor
            .name(&DAY_NAMES)
            .ok_or_else(|| fail("expected a day name such as 'Mon'"))?;
        if !(cursor.eat(b',') && cursor.eat(b' ')) {
            return Err(fail("expected ', ' after the day name"));
        }
        let day = cursor
            .digits(2)
            .ok_or_else(|| fail("expected a 2-digit day"))?;
        if !cursor.eat(b' ') {
            return Err(fail("expected ' ' after the day"));
        }
        let month = cursor
            .name(&MONTH_NAMES)
            .ok_or_else(|| fail("expected a month name such as 'Jan'"))?;
        if !cursor.eat(b' ') {
            return Err(fail("expected ' ' after the month"));
        }
        let year = cursor
            .digits(4)
            .ok_or_else(|| fail("expected a 4-digit year"))?;
        if !cursor.eat(b' ') {
            return Err(fail("expected ' ' after the year"));
        }
        let (hour, minute, second) = cursor.time().map_err(fail)?;
        let nanos = cursor.fraction().map_err(fail)?;
        if !(cursor.eat_str(" GMT") && cursor.is_done()) {
            return Err(fail("expected ' GMT' at the end"));
        }

        // `name` returns an index below 12.
        let month = month as u32 + 1;
        let date = Date::new(year, month, day).map_err(fail)?;
        if date.weekday() != weekday {
            return Err(fail("the day name does not match the date"));
        }
        let time = TimeOfDay::new(hour, minute, second).map_err(fail)?;
        Ok(Self {
            seconds: date.days_since_epoch() * SECS_PER_DAY + time.secs(),
            subsec_nanos: nanos,
        })
    }

    /// Formats as decimal seconds since the Unix epoch, as used by the
    /// `epoch-seconds` format in headers and query strings: `1479816991`, or
    /// `1479816991.349` with as many fractional digits as needed. Instants
    /// before the epoch are negative: `-1.5`.
    pub fn fmt_epoch_seconds(&self) -> String {
        if self.subsec_nanos == 0 {
            self.seconds.to_string()
        } else if self.seconds >= 0 {
            format!("{}.{}", self.seconds, Fraction(self.subsec_nanos))
        } else {
            // seconds + nanos/1e9 = -((-seconds - 1) + (1e9 - nanos)/1e9).
            // `seconds` is negative, so `seconds + 1` cannot overflow.
            let whole = (self.seconds + 1).unsigned_abs();
            format!("-{whole}.{}", Fraction(NANOS_PER_SEC - self.subsec_nanos))
        }
    }

    /// Parses decimal seconds since the Unix epoch, the text of
    /// [`fmt_epoch_seconds`](Self::fmt_epoch_seconds): an optional `-`, digits,
    /// and optionally `.` and more digits (the first nine are kept). Unlike
    /// [`from_fractional_secs`](Self::from_fractional_secs) this is exact.
    ///
    /// # Errors
    ///
    /// If `input` is not such a number or is outside the range of `i64`
    /// seconds.
    pub fn parse_epoch_seconds(input: &str) -> Result<Self, DateTimeError> {
        let fail = |reason| DateTimeError::parse("epoch-seconds", input, reason);
        let mut cursor = Cursor::new(input);
        let negative = cursor.eat(b'-');
        let mut magnitude: u64 = 0;
        let mut digits = 0;
        while let Some(digit) = cursor.digit() {
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(u64::from(digit)))
                .ok_or_else(|| fail("out of range"))?;
            digits += 1;
        }
        if digits == 0 {
            return Err(fail("expected digits"));
        }
        let nanos = cursor.fraction().map_err(fail)?;
        if !cursor.is_done() {
            return Err(fail("unexpected text after the number"));
        }
        let magnitude = i128::from(magnitude);
        let seconds = match (negative, nanos) {
            (false, _) => magnitude,
            (true, 0) => -magnitude,
            // -(m + n/1e9) = -(m + 1) + (1e9 - n)/1e9
            (true, _) => -magnitude - 1,
        };
        let nanos = if negative && nanos != 0 {
            NANOS_PER_SEC - nanos
        } else {
            nanos
        };
        let seconds = i64::try_from(seconds).map_err(|_| fail("out of range"))?;
        Ok(Self {
            seconds,
            subsec_nanos: nanos,
        })
    }

    fn check_formattable(&self, format: &'static str) -> Result<(), DateTimeError> {
        if (MIN_FORMATTABLE_SECS..=MAX_FORMATTABLE_SECS).contains(&self.seconds) {
            Ok(())
        } else {
            Err(DateTimeError::unrepresentable(
                *self,
                format,
                "the year is outside 0001..=9999",
            ))
        }
    }

    /// Sets the fraction, which must be below one second.
    const fn with_nanos(self, subsec_nanos: u32) -> Self {
        Self {
            seconds: self.seconds,
            subsec_nanos,
        }
    }

    /// The UTC calendar date and time of day.
    fn civil(&self) -> (Date, TimeOfDay) {
        let days = self.seconds.div_euclid(SECS_PER_DAY);
        // In 0..86_400.
        let secs_of_day = self.seconds.rem_euclid(SECS_PER_DAY) as u32;
        let time = TimeOfDay {
            hour: secs_of_day / 3_600,
            minute: secs_of_day / 60 % 60,
            second: secs_of_day % 60,
        };
        (Date::from_days_since_epoch(days), time)
    }
}

impl fmt::Display for DateTime {
    /// Writes RFC 3339, exactly as [`DateTime::fmt_rfc3339`] does.
    ///
    /// Years RFC 3339 cannot write are written in ISO 8601's expanded form
    /// instead (`+10000-01-01T00:00:00Z`, `-0001-12-31T00:00:00Z`, with year
    /// `0000` being 1 BC), so that every `DateTime` can be displayed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, time) = self.civil();
        match date.year {
            0..=9999 => write!(f, "{:04}", date.year)?,
            year if year > 9999 => write!(f, "+{year}")?,
            year => write!(f, "-{:04}", year.unsigned_abs())?,
        }
        write!(
            f,
            "-{:02}-{:02}T{:02}:{:02}:{:02}",
            date.month, date.day, time.hour, time.minute, time.second
        )?;
        if self.subsec_nanos != 0 {
            write!(f, ".{}", Fraction(self.subsec_nanos))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for DateTime {
    /// Writes `DateTime(2015-01-01T00:00:00Z)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl From<SystemTime> for DateTime {
    /// Converts exactly. (A `SystemTime` beyond `i64` seconds from the epoch,
    /// which no supported platform has, saturates.)
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                let seconds = i64::try_from(after.as_secs()).unwrap_or(i64::MAX);
                Self::from_secs(seconds).with_nanos(after.subsec_nanos())
            }
            Err(error) => {
                let before = error.duration();
                // `-s` cannot overflow for a non-negative i64 `s`.
                let seconds = i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s);
                match before.subsec_nanos() {
                    0 => Self::from_secs(seconds),
                    nanos => match seconds.checked_sub(1) {
                        Some(seconds) => Self::from_secs(seconds).with_nanos(NANOS_PER_SEC - nanos),
                        None => Self::from_secs(i64::MIN),
                    },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    /// Converts exactly.
    ///
    /// # Errors
    ///
    /// If the instant is outside the range of the platform's `SystemTime`.
    fn try_from(time: DateTime) -> Result<Self, Self::Error> {
        let whole = Duration::from_secs(time.seconds.unsigned_abs());
        let fraction = Duration::from_nanos(u64::from(time.subsec_nanos));
        let system_time = if time.seconds >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        system_time
            .and_then(|t| t.checked_add(fraction))
            .ok_or_else(|| {
                DateTimeError::unrepresentable(time, "a SystemTime", "out of the platform's range")
            })
    }
}

/// Why a timestamp could not be parsed, created, formatted or converted.
///
/// The message names the rejected input (its first 64 characters, for
/// text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ErrorKind {
    Parse {
        format: &'static str,
        input: Excerpt,
        reason: &'static str,
    },
    Float {
        // `f64` is not `Eq`: keep its text.
        value: String,
        reason: &'static str,
    },
    Unrepresentable {
        value: DateTime,
        target: &'static str,
        reason: &'static str,
    },
}

impl DateTimeError {
    fn parse(format: &'static str, input: &str, reason: &'static str) -> Self {
        Self {
            kind: ErrorKind::Parse {
                format,
                input: Excerpt::new(input),
                reason,
            },
        }
    }

    fn float(value: f64, reason: &'static str) -> Self {
        Self {
            kind: ErrorKind::Float {
                value: value.to_string(),
                reason,
            },
        }
    }

    fn unrepresentable(value: DateTime, target: &'static str, reason: &'static str) -> Self {
        Self {
            kind: ErrorKind::Unrepresentable {
                value,
                target,
                reason,
            },
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Parse {
                format,
                input,
                reason,
            } => write!(f, "invalid {format} timestamp {input}: {reason}"),
            ErrorKind::Float { value, reason } => {
                write!(f, "invalid epoch-seconds timestamp {value}: {reason}")
            }
            ErrorKind::Unrepresentable {
                value,
                target,
                reason,
            } => write!(
                f,
                "{value} ({} seconds since the epoch) cannot be represented as {target}: {reason}",
                value.fmt_epoch_seconds()
            ),
        }
    }
}

impl Error for DateTimeError {}

/// A fraction of a second in nanoseconds (`1..1_000_000_000`), displayed as
/// its decimal digits without trailing zeros: `349_000_000` is `349`.
struct Fraction(u32);

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut digits = self.0;
        let mut width = 9;
        while width > 1 && digits % 10 == 0 {
            digits /= 10;
            width -= 1;
        }
        write!(f, "{digits:0width$}")
    }
}

/// A day of the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Date {
    year: i64,
    /// 1..=12
    month: u32,
    /// 1..=31
    day: u32,
}

impl Date {
    /// Validates a parsed date, whose year has at most four digits.
    fn new(year: u32, month: u32, day: u32) -> Result<Self, &'static str> {
        if year == 0 {
            return Err("year 0000 is not supported");
        }
        let year = i64::from(year);
        if !(1..=12).contains(&month) {
            return Err("month out of range");
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err("day out of range for the month");
        }
        Ok(Self { year, month, day })
    }

    /// Days since 1970-01-01, negative before it.
    ///
    /// Howard Hinnant's `days_from_civil`: counts in 400-year eras of 146 097
    /// days, with years starting on March 1 so that the leap day falls at the
    /// end of the year. Cannot overflow for years within ±10^15.
    fn days_since_epoch(self) -> i64 {
        let year = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400; // 0..=399
        let march_based_month = i64::from((self.month + 9) % 12); // March is 0
        let day_of_year = (153 * march_based_month + 2) / 5 + i64::from(self.day) - 1; // 0..=365
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        // 719_468 days from 0000-03-01 to 1970-01-01.
        era * 146_097 + day_of_era - 719_468
    }

    /// The inverse of [`days_since_epoch`](Self::days_since_epoch): Howard
    /// Hinnant's `civil_from_days`. Cannot overflow for any
    /// `i64 / SECS_PER_DAY`.
    fn from_days_since_epoch(days: i64) -> Self {
        let days = days + 719_468; // days since 0000-03-01
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097; // 0..=146_096
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
        let march_based_month = (5 * day_of_year + 2) / 153; // 0..=11
        let day = day_of_year - (153 * march_based_month + 2) / 5 + 1; // 1..=31
        let month = if march_based_month < 10 {
            march_based_month + 3
        } else {
            march_based_month - 9
        };
        let year = era * 400 + year_of_era + i64::from(month <= 2);
        // `month` and `day` are small and positive.
        Self {
            year,
            month: month as u32,
            day: day as u32,
        }
    }

    /// 0 for Monday up to 6 for Sunday: an index into `DAY_NAMES`.
    fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (3); the remainder is in 0..7.
        (self.days_since_epoch() + 3).rem_euclid(7) as usize
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A time of day, with a leap second allowed.
struct TimeOfDay {
    hour: u32,
    minute: u32,
    /// 0..=60
    second: u32,
}

impl TimeOfDay {
    fn new(hour: u32, minute: u32, second: u32) -> Result<Self, &'static str> {
        if hour > 23 {
            Err("hour out of range")
        } else if minute > 59 {
            Err("minute out of range")
        } else if second > 60 {
            Err("second out of range")
        } else {
            Ok(Self {
                hour,
                minute,
                second,
            })
        }
    }

    /// Seconds since midnight; a leap second counts as the next minute's
    /// first.
    fn secs(&self) -> i64 {
        i64::from(self.hour * 3_600 + self.minute * 60 + self.second)
    }
}

/// Reads ASCII syntax from the bytes of a `str`. Never slices the `str`, so
/// multi-byte characters anywhere are simply rejected.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn new(input: &'a str) -> Self {
        Self {
            rest: input.as_bytes(),
        }
    }

    fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        match self.rest.split_first() {
            Some((&first, rest)) if first == byte => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    /// Consumes `text` if it comes next.
    fn eat_str(&mut self, text: &str) -> bool {
        match self.rest.strip_prefix(text.as_bytes()) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Consumes one ASCII digit, returning its value.
    fn digit(&mut self) -> Option<u8> {
        match self.rest.split_first() {
            Some((&first, rest)) if first.is_ascii_digit() => {
                self.rest = rest;
                Some(first - b'0')
            }
            _ => None,
        }
    }

    /// Consumes exactly `count` (at most 9) ASCII digits.
    fn digits(&mut self, count: usize) -> Option<u32> {
        let mut value = 0;
        for _ in 0..count {
            value = value * 10 + u32::from(self.digit()?);
        }
        Some(value)
    }

    /// Consumes the first of `names` that comes next, returning its index.
    fn name(&mut self, names: &[&str]) -> Option<usize> {
        names.iter().position(|name| self.eat_str(name))
    }

    /// Consumes `hh:mm:ss`, unvalidated.
    fn time(&mut self) -> Result<(u32, u32, u32), &'static str> {
        let hour = self.digits(2).ok_or("expected a 2-digit hour")?;
        if !self.eat(b':') {
            return Err("expected ':' after the hour");
        }
        let minute = self.digits(2).ok_or("expected 2-digit minutes")?;
        if !self.eat(b':') {
            return Err("expected ':' after the minutes");
        }
        let second = self.digits(2).ok_or("expected 2-digit seconds")?;
        Ok((hour, minute, second))
    }

    /// Consumes an optional `.` followed by one or more digits, returning
    /// the fraction in nanoseconds (digits past the ninth are dropped) or 0
    /// if there is no `.`.
    fn fraction(&mut self) -> Result<u32, &'static str> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let mut nanos = 0;
        let mut count = 0;
        while let Some(digit) = self.digit() {
            if count < 9 {
                nanos = nanos * 10 + u32::from(digit);
            }
            count += 1;
        }
        if count == 0 {
            return Err("expected digits after '.'");
        }
        for _ in count..9 {
            nanos *= 10;
        }
        Ok(nanos)
    }
}

/// The Unix epoch: what a required timestamp the service left out reads as.
impl Default for DateTime {
    fn default() -> Self {
        DateTime::from_secs(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc3339(input: &str) -> DateTime {
        DateTime::parse_rfc3339(input).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Instants around interesting dates: the epoch, leap days (including
    /// 2000, a leap year although divisible by 100), non-leap 1900 and 2100,
    /// and the ends of the formattable range.
    const SAMPLES: &[(i64, u32, &str, &str)] = &[
        (
            0,
            0,
            "1970-01-01T00:00:00Z",
            "Thu, 01 Jan 1970 00:00:00 GMT",
        ),
        (
            1_420_070_400,
            0,
            "2015-01-01T00:00:00Z",
            "Thu, 01 Jan 2015 00:00:00 GMT",
        ),
        (
            1_479_816_991,
            349_000_000,
            "2016-11-22T12:16:31.349Z",
            "Tue, 22 Nov 2016 12:16:31 GMT",
        ),
        (
            951_782_399,
            999_999_999,
            "2000-02-28T23:59:59.999999999Z",
            "Mon, 28 Feb 2000 23:59:59 GMT",
        ),
        (
            951_782_400,
            0,
            "2000-02-29T00:00:00Z",
            "Tue, 29 Feb 2000 00:00:00 GMT",
        ),
        (
            951_868_800,
            1,
            "2000-03-01T00:00:00.000000001Z",
            "Wed, 01 Mar 2000 00:00:00 GMT",
        ),
        (
            1_709_164_800,
            0,
            "2024-02-29T00:00:00Z",
            "Thu, 29 Feb 2024 00:00:00 GMT",
        ),
        (
            1_735_603_200,
            0,
            "2024-12-31T00:00:00Z",
            "Tue, 31 Dec 2024 00:00:00 GMT",
        ),
        (
            -2_203_891_200,
            0,
            "1900-03-01T00:00:00Z",
            "Thu, 01 Mar 1900 00:00:00 GMT",
        ),
        (
            4_107_456_000,
            0,
            "2100-02-28T00:00:00Z",
            "Sun, 28 Feb 2100 00:00:00 GMT",
        ),
        (
            -1,
            0,
            "1969-12-31T23:59:59Z",
            "Wed, 31 Dec 1969 23:59:59 GMT",
        ),
        (
            -2,
            500_000_000,
            "1969-12-31T23:59:58.5Z",
            "Wed, 31 Dec 1969 23:59:58 GMT",
        ),
        (
            -86_400,
            120_000,
            "1969-12-31T00:00:00.00012Z",
            "Wed, 31 Dec 1969 00:00:00 GMT",
        ),
        (
            MIN_FORMATTABLE_SECS,
            0,
            "0001-01-01T00:00:00Z",
            "Mon, 01 Jan 0001 00:00:00 GMT",
        ),
        (
            MAX_FORMATTABLE_SECS,
            999_999_999,
            "9999-12-31T23:59:59.999999999Z",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ),
    ];

    #[test]
    fn formats_and_parses_rfc3339() {
        for &(secs, nanos, text, _) in SAMPLES {
            let time = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(time.fmt_rfc3339().unwrap(), text);
            assert_eq!(time.to_string(), text);
            assert_eq!(rfc3339(text), time, "{text}");
        }
    }

    #[test]
    fn formats_and_parses_http_dates() {
        for &(secs, nanos, _, text) in SAMPLES {
            let time = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(time.fmt_http_date().unwrap(), text);
            assert_eq!(
                DateTime::parse_http_date(text).unwrap(),
                DateTime::from_secs(secs),
                "{text}"
            );
        }
    }

    #[test]
    fn formats_and_parses_epoch_seconds() {
        let cases: &[(i64, u32, &str)] = &[
            (0, 0, "0"),
            (1_479_816_991, 0, "1479816991"),
            (1_479_816_991, 349_000_000, "1479816991.349"),
            (1, 1, "1.000000001"),
            (0, 500_000_000, "0.5"),
            (-1, 0, "-1"),
            (-1, 500_000_000, "-0.5"),
            (-2, 500_000_000, "-1.5"),
            (-1, 999_999_999, "-0.000000001"),
            (-2_203_977_600, 250_000_000, "-2203977599.75"),
            (i64::MAX, 999_999_999, "9223372036854775807.999999999"),
            (i64::MIN, 0, "-9223372036854775808"),
            (i64::MIN, 1, "-9223372036854775807.999999999"),
        ];
        for &(secs, nanos, text) in cases {
            let time = DateTime::from_secs_and_nanos(secs, nanos);
            assert_eq!(time.fmt_epoch_seconds(), text);
            assert_eq!(DateTime::parse_epoch_seconds(text).unwrap(), time, "{text}");
        }
        assert_eq!(
            DateTime::parse_epoch_seconds("-0").unwrap(),
            DateTime::from_secs(0)
        );
        assert_eq!(
            DateTime::parse_epoch_seconds("1.1234567899").unwrap(),
            DateTime::from_secs_and_nanos(1, 123_456_789)
        );
    }

    #[test]
    fn rejects_bad_epoch_seconds() {
        for bad in [
            "",
            "-",
            "+1",
            "1.",
            ".5",
            "1e3",
            " 1",
            "1 ",
            "1.5.",
            "١",
            "9223372036854775808",
            "-9223372036854775809",
            "-9223372036854775808.5",
            "18446744073709551616",
        ] {
            assert!(DateTime::parse_epoch_seconds(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn calendar_matches_a_day_by_day_count_over_0001_to_9999() {
        // Walk every day from 0001-01-01 to 9999-12-31 with a naive
        // calendar and check both conversions against it.
        let mut expected = Date {
            year: 1,
            month: 1,
            day: 1,
        };
        let first = expected.days_since_epoch();
        assert_eq!(first * SECS_PER_DAY, MIN_FORMATTABLE_SECS);
        assert_eq!(expected.weekday(), 0, "0001-01-01 was a Monday");
        for days in first.. {
            assert_eq!(Date::from_days_since_epoch(days), expected);
            assert_eq!(expected.days_since_epoch(), days);
            if expected.day < days_in_month(expected.year, expected.month) {
                expected.day += 1;
            } else if expected.month < 12 {
                expected.month += 1;
                expected.day = 1;
            } else if expected.year < 9999 {
                expected = Date {
                    year: expected.year + 1,
                    month: 1,
                    day: 1,
                };
            } else {
                assert_eq!((days + 1) * SECS_PER_DAY - 1, MAX_FORMATTABLE_SECS);
                break;
            }
        }
    }

    #[test]
    fn calendar_survives_extreme_instants() {
        for secs in [i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX] {
            let time = DateTime::from_secs(secs);
            let (date, _) = time.civil();
            assert_eq!(
                date.days_since_epoch(),
                secs.div_euclid(SECS_PER_DAY),
                "{time}"
            );
            assert!(time.fmt_rfc3339().is_err());
            assert!(time.fmt_http_date().is_err());
        }
        assert_eq!(
            DateTime::from_secs(i64::MAX).to_string(),
            "+292277026596-12-04T15:30:07Z"
        );
        assert_eq!(
            DateTime::from_secs(i64::MIN).to_string(),
            "-292277022657-01-27T08:29:52Z"
        );
    }

    #[test]
    fn leap_years() {
        for (year, leap) in [
            (1900, false),
            (1996, true),
            (2000, true),
            (2023, false),
            (2024, true),
            (2100, false),
            (2400, true),
        ] {
            assert_eq!(is_leap_year(year), leap, "{year}");
            let feb_29 = format!("{year:04}-02-29T00:00:00Z");
            assert_eq!(DateTime::parse_rfc3339(&feb_29).is_ok(), leap, "{feb_29}");
        }
    }

    #[test]
    fn years_outside_0001_to_9999_display_in_expanded_form_but_do_not_format() {
        let after = DateTime::from_secs(MAX_FORMATTABLE_SECS + 1);
        assert_eq!(after.to_string(), "+10000-01-01T00:00:00Z");
        let error = after.fmt_rfc3339().unwrap_err();
        assert_eq!(
            error.to_string(),
            "+10000-01-01T00:00:00Z (253402300800 seconds since the epoch) cannot be \
             represented as RFC 3339: the year is outside 0001..=9999"
        );
        assert!(after.fmt_http_date().is_err());

        let before = DateTime::from_secs_and_nanos(MIN_FORMATTABLE_SECS - 1, 5);
        assert_eq!(before.to_string(), "0000-12-31T23:59:59.000000005Z");
        assert!(before.fmt_rfc3339().is_err());
        assert!(before.fmt_http_date().is_err());

        let bc = DateTime::from_secs(MIN_FORMATTABLE_SECS - 366 * SECS_PER_DAY - 1);
        assert_eq!(bc.to_string(), "-0001-12-31T23:59:59Z");
    }

    #[test]
    fn debug_wraps_rfc3339() {
        assert_eq!(
            format!("{:?}", DateTime::from_secs(1_420_070_400)),
            "DateTime(2015-01-01T00:00:00Z)"
        );
    }

    #[test]
    fn parses_rfc3339_variants() {
        let utc = rfc3339("2015-01-01T00:00:00Z");
        assert_eq!(rfc3339("2015-01-01t00:00:00z"), utc);
        assert_eq!(rfc3339("2015-01-01T00:00:00+00:00"), utc);
        assert_eq!(rfc3339("2015-01-01T00:00:00-00:00"), utc);
        assert_eq!(rfc3339("2015-01-01T02:30:00+02:30"), utc);
        assert_eq!(rfc3339("2014-12-31T19:00:00-05:00"), utc);
        assert_eq!(rfc3339("2015-01-01T23:59:00+23:59"), utc);
        assert_eq!(
            rfc3339("2015-01-01T00:00:00.1234567891234Z"),
            DateTime::from_secs_and_nanos(1_420_070_400, 123_456_789)
        );
        assert_eq!(
            rfc3339("2015-01-01T00:00:00.0Z"),
            DateTime::from_secs(1_420_070_400)
        );
        // A leap second is the next minute's first second.
        assert_eq!(
            rfc3339("2016-12-31T23:59:60Z"),
            rfc3339("2017-01-01T00:00:00Z")
        );
        // An offset may move the instant out of 0001..=9999 UTC.
        assert_eq!(
            rfc3339("0001-01-01T00:00:00+01:00"),
            DateTime::from_secs(MIN_FORMATTABLE_SECS - 3_600)
        );
    }

    #[test]
    fn rejects_bad_rfc3339() {
        for bad in [
            "",
            "2015",
            "2015-01-01",
            "2015-01-01T00:00:00",
            "2015-01-01T00:00Z",
            "2015-01-01 00:00:00Z",
            "2015-01-01T00:00:00.Z",
            "2015-01-01T00:00:00ZZ",
            "2015-01-01T00:00:00Z ",
            " 2015-01-01T00:00:00Z",
            "2015-01-01T00:00:00+0100",
            "2015-01-01T00:00:00+01",
            "2015-01-01T00:00:00+24:00",
            "2015-01-01T00:00:00+01:60",
            "+2015-01-01T00:00:00Z",
            "15-01-01T00:00:00Z",
            "2015-1-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2015-00-01T00:00:00Z",
            "2015-13-01T00:00:00Z",
            "2015-01-00T00:00:00Z",
            "2015-01-32T00:00:00Z",
            "2015-04-31T00:00:00Z",
            "2015-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2015-01-01T24:00:00Z",
            "2015-01-01T00:60:00Z",
            "2015-01-01T00:00:61Z",
            "2015-01-01T00:00:00.5é",
            "２015-01-01T00:00:00Z",
            "2015-01-01T00:00:00Zé",
            "2015-01-01T00:00:0١Z",
            "Thu, 01 Jan 2015 00:00:00 GMT",
        ] {
            assert!(DateTime::parse_rfc3339(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rejects_bad_http_dates() {
        for bad in [
            "",
            "Thu, 01 Jan 2015 00:00:00",
            "Thu, 01 Jan 2015 00:00:00 UTC",
            "Thu, 01 Jan 2015 00:00:00 GMT ",
            "Thu, 01 Jan 2015 00:00:00 gmt",
            "thu, 01 Jan 2015 00:00:00 GMT",
            "Thu, 01 jan 2015 00:00:00 GMT",
            "Thu, 1 Jan 2015 00:00:00 GMT",
            "Thu 01 Jan 2015 00:00:00 GMT",
            "Thursday, 01-Jan-15 00:00:00 GMT",
            "Thu Jan  1 00:00:00 2015",
            "Fri, 01 Jan 2015 00:00:00 GMT",
            "Sun, 29 Feb 2015 00:00:00 GMT",
            "Mon, 01 Jan 0000 00:00:00 GMT",
            "Thu, 01 Jan 2015 24:00:00 GMT",
            "Thu, 01 Jan 2015 00:00:00. GMT",
            "Thu, 01 Jan 2015 00:00:00 GMTé",
            "Thé, 01 Jan 2015 00:00:00 GMT",
            "2015-01-01T00:00:00Z",
        ] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            DateTime::parse_http_date("Thu, 01 Jan 2015 00:00:00.250 GMT").unwrap(),
            DateTime::from_secs_and_nanos(1_420_070_400, 250_000_000)
        );
    }

    #[test]
    fn parsers_never_panic_on_prefixes_or_multibyte_text() {
        let valid = [
            "2016-11-22T12:16:31.349+01:30",
            "Tue, 22 Nov 2016 12:16:31.349 GMT",
            "-1479816991.349",
        ];
        for text in valid {
            for (end, _) in text.char_indices() {
                let prefix = &text[..end];
                for suffix in ["", "é", "\u{1F600}", "\0", "9"] {
                    let input = format!("{prefix}{suffix}");
                    let _ = DateTime::parse_rfc3339(&input);
                    let _ = DateTime::parse_http_date(&input);
                    let _ = DateTime::parse_epoch_seconds(&input);
                }
            }
        }
    }

    #[test]
    fn mutated_inputs_never_panic_and_what_parses_round_trips() {
        const ALPHABET: &[char] = &[
            '0',
            '1',
            '2',
            '5',
            '9',
            '-',
            '+',
            ':',
            '.',
            ' ',
            ',',
            'T',
            't',
            'Z',
            'z',
            'G',
            'M',
            'é',
            '\u{1F600}',
        ];
        let seeds = [
            "2016-11-22T12:16:31.349+01:30",
            "2000-02-29T23:59:60Z",
            "Tue, 29 Feb 2000 12:16:31.349 GMT",
            "-1479816991.349",
        ];
        // xorshift64: deterministic, dependency-free pseudo-randomness.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut parsed = 0;
        for _ in 0..20_000 {
            let mut chars: Vec<char> = seeds[next(seeds.len())].chars().collect();
            for _ in 0..=next(2) {
                let at = next(chars.len());
                let replacement = ALPHABET[next(ALPHABET.len())];
                match next(3) {
                    0 => chars[at] = replacement,
                    1 => chars.insert(at, replacement),
                    _ => {
                        chars.remove(at);
                    }
                }
            }
            let input: String = chars.into_iter().collect();

            if let Ok(time) = DateTime::parse_rfc3339(&input) {
                parsed += 1;
                if let Ok(text) = time.fmt_rfc3339() {
                    assert_eq!(DateTime::parse_rfc3339(&text).unwrap(), time, "{input}");
                }
            }
            if let Ok(time) = DateTime::parse_http_date(&input) {
                parsed += 1;
                let text = time.fmt_http_date().unwrap();
                assert_eq!(
                    DateTime::parse_http_date(&text).unwrap(),
                    DateTime::from_secs(time.secs()),
                    "{input}"
                );
            }
            if let Ok(time) = DateTime::parse_epoch_seconds(&input) {
                parsed += 1;
                let text = time.fmt_epoch_seconds();
                assert_eq!(
                    DateTime::parse_epoch_seconds(&text).unwrap(),
                    time,
                    "{input}"
                );
            }
        }
        // Enough mutants are still valid for the round trips to be tested.
        assert!(parsed > 1_000, "{parsed}");
    }

    #[test]
    fn parse_errors_name_the_input() {
        let error = DateTime::parse_rfc3339("2015-13-01T00:00:00Z").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid RFC 3339 timestamp "2015-13-01T00:00:00Z": month out of range"#
        );
        let error = DateTime::parse_http_date("Fri, 01 Jan 2015 00:00:00 GMT").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid HTTP date timestamp "Fri, 01 Jan 2015 00:00:00 GMT": the day name does not match the date"#
        );
        let error = DateTime::parse_epoch_seconds("12x").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid epoch-seconds timestamp "12x": unexpected text after the number"#
        );
        let long = "9".repeat(1_000);
        let message = DateTime::parse_rfc3339(&long).unwrap_err().to_string();
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn from_secs_and_nanos_carries_whole_seconds() {
        let time = DateTime::from_secs_and_nanos(1, 2_500_000_000);
        assert_eq!((time.secs(), time.subsec_nanos()), (3, 500_000_000));
        let time = DateTime::from_secs_and_nanos(-5, u32::MAX);
        assert_eq!((time.secs(), time.subsec_nanos()), (-1, 294_967_295));
        let time = DateTime::from_secs_and_nanos(i64::MAX, 999_999_999);
        assert_eq!((time.secs(), time.subsec_nanos()), (i64::MAX, 999_999_999));
    }

    #[test]
    #[should_panic(expected = "overflow")]
    fn from_secs_and_nanos_panics_on_overflow() {
        let _ = DateTime::from_secs_and_nanos(i64::MAX, NANOS_PER_SEC);
    }

    #[test]
    fn from_millis_rounds_towards_the_past() {
        let time = DateTime::from_millis(1_479_816_991_349);
        assert_eq!(
            (time.secs(), time.subsec_nanos()),
            (1_479_816_991, 349_000_000)
        );
        let time = DateTime::from_millis(-1_500);
        assert_eq!((time.secs(), time.subsec_nanos()), (-2, 500_000_000));
        let time = DateTime::from_millis(-1_000);
        assert_eq!((time.secs(), time.subsec_nanos()), (-1, 0));
        let time = DateTime::from_millis(i64::MIN);
        assert_eq!(
            (time.secs(), time.subsec_nanos()),
            (-9_223_372_036_854_776, 192_000_000)
        );
    }

    #[test]
    fn from_fractional_secs_rounds_to_microseconds() {
        let cases: &[(f64, i64, u32)] = &[
            (0.0, 0, 0),
            (-0.0, 0, 0),
            (0.349, 0, 349_000_000),
            (1_479_816_991.349, 1_479_816_991, 349_000_000),
            (1.5, 1, 500_000_000),
            (-1.5, -2, 500_000_000),
            (-0.001, -1, 999_000_000),
            (-1.0, -1, 0),
            (0.000_001_4, 0, 1_000),
            (0.999_999_9, 1, 0),
            (-0.000_000_1, 0, 0),
            (-9_223_372_036_854_775_808.0, i64::MIN, 0),
            (253_402_300_799.0, MAX_FORMATTABLE_SECS, 0),
        ];
        for &(value, secs, nanos) in cases {
            let time = DateTime::from_fractional_secs(value).unwrap();
            assert_eq!((time.secs(), time.subsec_nanos()), (secs, nanos), "{value}");
        }
    }

    #[test]
    fn from_fractional_secs_rejects_non_finite_and_out_of_range_values() {
        for bad in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9_223_372_036_854_775_808.0,
            -9_223_372_036_854_777_856.0,
            1e300,
            f64::MIN,
        ] {
            assert!(DateTime::from_fractional_secs(bad).is_err(), "{bad}");
        }
        assert_eq!(
            DateTime::from_fractional_secs(f64::NAN)
                .unwrap_err()
                .to_string(),
            "invalid epoch-seconds timestamp NaN: not a finite number"
        );
        assert_eq!(
            DateTime::from_fractional_secs(1e19)
                .unwrap_err()
                .to_string(),
            "invalid epoch-seconds timestamp 10000000000000000000: out of range"
        );
    }

    #[test]
    fn fractional_secs_round_trip() {
        for value in [0.0, 1.5, -1.5, 1_479_816_991.349, -2_203_977_599.75, 0.25] {
            let time = DateTime::from_fractional_secs(value).unwrap();
            assert_eq!(time.as_fractional_secs(), value);
        }
    }

    #[test]
    fn orders_chronologically() {
        let mut times = [
            DateTime::from_secs(0),
            DateTime::from_fractional_secs(-1.5).unwrap(),
            DateTime::from_secs_and_nanos(0, 1),
            DateTime::from_secs(-1),
            DateTime::from_secs(-2),
        ];
        times.sort();
        let texts: Vec<String> = times.iter().map(DateTime::fmt_epoch_seconds).collect();
        assert_eq!(texts, ["-2", "-1.5", "-1", "0", "0.000000001"]);
    }

    #[test]
    fn converts_to_and_from_system_time() {
        let cases = [
            DateTime::from_secs(0),
            DateTime::from_secs_and_nanos(1_479_816_991, 349_000_000),
            DateTime::from_secs(-1),
            DateTime::from_secs_and_nanos(-2, 500_000_000),
            DateTime::from_secs_and_nanos(-2_203_977_600, 1),
        ];
        for time in cases {
            let system_time = SystemTime::try_from(time).unwrap();
            assert_eq!(DateTime::from(system_time), time);
        }
        let system_time = UNIX_EPOCH - Duration::new(1, 500_000_000);
        assert_eq!(
            DateTime::from(system_time),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        let system_time = UNIX_EPOCH + Duration::new(1, 5);
        assert_eq!(
            SystemTime::try_from(DateTime::from_secs_and_nanos(1, 5)).unwrap(),
            system_time
        );
    }

    #[test]
    fn system_time_conversion_never_panics() {
        for time in [
            DateTime::from_secs(i64::MAX),
            DateTime::from_secs_and_nanos(i64::MAX, 999_999_999),
            DateTime::from_secs(i64::MIN),
            DateTime::from_secs_and_nanos(i64::MIN, 1),
        ] {
            if let Ok(system_time) = SystemTime::try_from(time) {
                assert_eq!(DateTime::from(system_time), time);
            }
        }
    }

    #[test]
    fn error_is_a_std_error() {
        fn assert_error<E: Error + Send + Sync + 'static>() {}
        assert_error::<DateTimeError>();
    }
}
