//! One polling loop for every `smithy.waiters#waitable` waiter: call the operation, check the
//! waiter's acceptors against the response or error, and retry with the waiters
//! specification's exponential backoff with jitter until a `success` or `failure` state or the
//! caller's time limit. A generated crate supplies, per waiter, its delays and one function
//! that classifies a response: its acceptors with their JMESPath expressions compiled to Rust
//! at generation time, over the [`Value`] type here (there is no JMESPath interpreter).
//!
//! ```ignore
//! client
//!     .wait_until_table_exists()
//!     .table_name("orders")
//!     .wait(Duration::from_secs(300))
//!     .await?;
//! ```

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::{ClientHandle, ConstructionError, Response, SdkError};
use crate::protocol::WireOperation;
use crate::BuildError;

/// The state an acceptor moves a waiter to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// Done: the resource reached the state waited for.
    Success,
    /// Done: the resource cannot reach that state.
    Failure,
    /// Poll again.
    Retry,
}

/// What one poll returned.
pub type PollResult<O> =
    Result<Response<<O as crate::Operation>::Output>, SdkError<<O as crate::Operation>::Error>>;

/// A waiter's fixed description: its name and delays (from the model, defaults 2 s and 120 s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaiterSpec {
    /// The waiter's name (`TableExists`).
    pub name: &'static str,
    /// The shortest delay between polls.
    pub min_delay: Duration,
    /// The longest delay between polls.
    pub max_delay: Duration,
}

/// A waiter that reached its `success` state.
#[derive(Debug)]
pub struct Waited<O, E> {
    /// The last poll's response (or, for a waiter that succeeds on an error such as
    /// `TableNotExists`, its error).
    pub last: Result<Response<O>, SdkError<E>>,
    /// How many times the operation was called.
    pub attempts: u32,
}

impl<O, E> Waited<O, E> {
    /// The last poll's output, when it succeeded.
    pub fn output(&self) -> Option<&O> {
        self.last.as_ref().ok().map(Response::output)
    }
}

/// Why a waiter stopped without reaching its `success` state.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The time limit passed first. `last` is the last poll's result, if a poll completed.
    TimedOut {
        /// The waiter.
        waiter: &'static str,
        /// The caller's limit.
        max_wait: Duration,
        /// The calls made.
        attempts: u32,
        /// The last poll's result.
        last: Option<Result<Response<O>, SdkError<E>>>,
    },
    /// An acceptor moved the waiter to its `failure` state on this response or error.
    FailureState {
        /// The waiter.
        waiter: &'static str,
        /// The calls made.
        attempts: u32,
        /// The poll's result that matched.
        last: Result<Response<O>, SdkError<E>>,
    },
    /// The call failed with an error no acceptor matched (the input could not be built, a
    /// service error the waiter does not expect, the network).
    Unexpected {
        /// The waiter.
        waiter: &'static str,
        /// The calls made.
        attempts: u32,
        /// The error.
        error: SdkError<E>,
    },
}

impl<O, E> WaiterError<O, E> {
    /// How many times the operation was called.
    pub fn attempts(&self) -> u32 {
        match self {
            WaiterError::TimedOut { attempts, .. }
            | WaiterError::FailureState { attempts, .. }
            | WaiterError::Unexpected { attempts, .. } => *attempts,
        }
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::TimedOut {
                waiter,
                max_wait,
                attempts,
                ..
            } => write!(
                f,
                "waiter {waiter} timed out after {max_wait:?} ({attempts} attempt(s))"
            ),
            WaiterError::FailureState {
                waiter,
                attempts,
                last,
            } => {
                write!(
                    f,
                    "waiter {waiter} reached its failure state (attempt {attempts})"
                )?;
                match last {
                    Ok(_) => Ok(()),
                    Err(e) => write!(f, ": {e}"),
                }
            }
            WaiterError::Unexpected {
                waiter,
                attempts,
                error,
            } => write!(
                f,
                "waiter {waiter} failed with an unexpected error (attempt {attempts}): {error}"
            ),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Unexpected { error, .. }
            | WaiterError::FailureState {
                last: Err(error), ..
            } => Some(error),
            _ => None,
        }
    }
}

/// The delay before retry number `attempt` (1 for the first retry), as the waiters
/// specification computes it: `min * 2^(attempt-1)` capped at `max`, a uniformly random
/// delay between `min` and that (`random` in [0, 1) picks it), and, when waiting that long
/// would leave `min` or less of `remaining`, all of `remaining` (one last poll).
pub fn retry_delay(
    attempt: u32,
    min: Duration,
    max: Duration,
    remaining: Duration,
    random: f64,
) -> Duration {
    let min_s = min.as_secs_f64();
    let max_s = max.as_secs_f64().max(min_s);
    // 2^(attempt-1) overflows nothing: past the ceiling the cap applies.
    let ceiling = if min_s > 0.0 {
        ((max_s / min_s).ln() / std::f64::consts::LN_2) + 1.0
    } else {
        f64::INFINITY
    };
    let upper = if f64::from(attempt) > ceiling {
        max_s
    } else {
        (min_s * 2f64.powi(attempt.saturating_sub(1).min(1023) as i32)).min(max_s)
    };
    let delay = min_s + (upper - min_s) * random.clamp(0.0, 1.0);
    let delay = Duration::from_secs_f64(delay);
    if remaining.saturating_sub(delay) <= min {
        remaining
    } else {
        delay
    }
}

/// Polls operation `O` with `input` until `classify` says `success` or `failure`, an error
/// matches no acceptor, or `max_wait` has passed. Cancel-safe: dropping the future stops
/// waiting (and the call in flight). Each call may take at most the time left (or
/// `min_delay`, for the last one, sent when the time is nearly up).
pub async fn wait<O>(
    handle: Arc<ClientHandle>,
    spec: &WaiterSpec,
    input: Result<O::Input, BuildError>,
    max_wait: Duration,
    classify: fn(&O::Input, &PollResult<O>) -> Option<AcceptorState>,
) -> Result<Waited<O::Output, O::Error>, WaiterError<O::Output, O::Error>>
where
    O: WireOperation,
    O::Input: Clone,
{
    let input = match input {
        Ok(input) => input,
        Err(e) => {
            return Err(WaiterError::Unexpected {
                waiter: spec.name,
                attempts: 0,
                error: SdkError::Construction(ConstructionError::new(
                    format!("invalid {} input", O::NAME),
                    Some(Box::new(e)),
                )),
            })
        }
    };
    let start = tokio::time::Instant::now();
    let mut attempts = 0u32;
    let mut last = None;
    loop {
        let remaining = max_wait.saturating_sub(start.elapsed());
        attempts += 1;
        let limit = remaining.max(spec.min_delay);
        let result = match tokio::time::timeout(limit, handle.invoke::<O>(Ok(input.clone()))).await
        {
            Ok(result) => result,
            Err(_) => {
                return Err(WaiterError::TimedOut {
                    waiter: spec.name,
                    max_wait,
                    attempts,
                    last,
                })
            }
        };
        match classify(&input, &result) {
            Some(AcceptorState::Success) => {
                return Ok(Waited {
                    last: result,
                    attempts,
                })
            }
            Some(AcceptorState::Failure) => {
                return Err(WaiterError::FailureState {
                    waiter: spec.name,
                    attempts,
                    last: result,
                })
            }
            Some(AcceptorState::Retry) => {}
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::Unexpected {
                        waiter: spec.name,
                        attempts,
                        error,
                    });
                }
            }
        }
        last = Some(result);
        let remaining = max_wait.saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(WaiterError::TimedOut {
                waiter: spec.name,
                max_wait,
                attempts,
                last,
            });
        }
        let delay = retry_delay(
            attempts,
            spec.min_delay,
            spec.max_delay,
            remaining,
            super::retry::jitter(),
        );
        tracing::debug!(waiter = spec.name, attempts, ?delay, "waiter: retrying");
        tokio::time::sleep(delay).await;
    }
}

/// A JMESPath value, as compiled waiter expressions compute them: the data model of the
/// waiters specification (numbers as `f64`, timestamps as epoch seconds, blobs as base64).
/// Structures and maps are objects, known here only by their number of keys (what `length`
/// and truthiness need; expressions that compare objects are rejected at generation time).
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// `null`: an absent member, or an operation on the wrong type.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object with this many (non-null) keys.
    Object(usize),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(s: &'a str) -> Self {
        Value::String(Cow::Borrowed(s))
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(s: &'a String) -> Self {
        Value::String(Cow::Borrowed(s))
    }
}

impl From<bool> for Value<'_> {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&bool> for Value<'_> {
    fn from(b: &bool) -> Self {
        Value::Bool(*b)
    }
}

macro_rules! number_from {
    ($($t:ty),*) => {$(
        impl From<&$t> for Value<'_> {
            fn from(n: &$t) -> Self {
                Value::Number(f64::from(*n))
            }
        }
    )*};
}
number_from!(i8, i16, i32, f32, f64);

impl From<&i64> for Value<'_> {
    fn from(n: &i64) -> Self {
        // JMESPath numbers are doubles (the waiters specification says so for `long`).
        Value::Number(*n as f64)
    }
}

impl From<&crate::DateTime> for Value<'_> {
    fn from(t: &crate::DateTime) -> Self {
        Value::Number(t.as_fractional_secs())
    }
}

impl From<&crate::Blob> for Value<'_> {
    fn from(b: &crate::Blob) -> Self {
        use base64::Engine as _;
        Value::String(Cow::Owned(
            base64::engine::general_purpose::STANDARD.encode(b.as_ref()),
        ))
    }
}

impl From<&crate::BigInteger> for Value<'_> {
    fn from(n: &crate::BigInteger) -> Self {
        Value::Number(n.as_str().parse().unwrap_or(f64::NAN))
    }
}

impl From<&crate::BigDecimal> for Value<'_> {
    fn from(n: &crate::BigDecimal) -> Self {
        Value::Number(n.as_str().parse().unwrap_or(f64::NAN))
    }
}

impl<'a> Value<'a> {
    /// JMESPath truthiness: `null`, `false`, `""`, `[]` and `{}` are false, the rest true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(n) => *n > 0,
        }
    }

    /// `==`: same type and value (arrays element by element; objects never compare equal).
    pub fn equals(&self, other: &Value<'_>) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            _ => false,
        }
    }

    /// `<`, `<=`, `>`, `>=` (`op` is one of those): numbers with numbers, strings with
    /// strings (by code point); `null` for anything else.
    pub fn compare(&self, op: &str, other: &Value<'_>) -> Value<'static> {
        let ordering = match (self, other) {
            (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            _ => None,
        };
        let Some(ordering) = ordering else {
            return Value::Null;
        };
        use std::cmp::Ordering::*;
        Value::Bool(match op {
            "<" => ordering == Less,
            "<=" => ordering != Greater,
            ">" => ordering == Greater,
            ">=" => ordering != Less,
            _ => return Value::Null,
        })
    }

    /// `!`: the negated truthiness.
    pub fn not(&self) -> Value<'static> {
        Value::Bool(!self.is_truthy())
    }

    /// `length()`: characters of a string, items of an array, keys of an object; `null`
    /// for other types.
    pub fn length(&self) -> Value<'static> {
        match self {
            Value::String(s) => Value::Number(s.chars().count() as f64),
            Value::Array(a) => Value::Number(a.len() as f64),
            Value::Object(n) => Value::Number(*n as f64),
            _ => Value::Null,
        }
    }

    /// `contains(subject, search)`: an array holding an equal item, or a string holding the
    /// search string; `null` for other subjects.
    pub fn contains(&self, search: &Value<'_>) -> Value<'static> {
        match (self, search) {
            (Value::Array(a), s) => Value::Bool(a.iter().any(|x| x.equals(s))),
            (Value::String(s), Value::String(t)) => Value::Bool(s.contains(t.as_ref())),
            (Value::String(_), _) => Value::Bool(false),
            _ => Value::Null,
        }
    }

    /// `[]` on an array: nested arrays' items spliced in (one level); `null` for non-arrays.
    pub fn flatten(self) -> Value<'a> {
        match self {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Array(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Value::Array(out)
            }
            _ => Value::Null,
        }
    }

    /// `[i]` on an array (negative from the end); `null` out of range or for non-arrays.
    pub fn index(self, i: i64) -> Value<'a> {
        match self {
            Value::Array(mut items) => {
                let len = items.len() as i64;
                let at = if i < 0 { len + i } else { i };
                if (0..len).contains(&at) {
                    items.swap_remove(at as usize)
                } else {
                    Value::Null
                }
            }
            _ => Value::Null,
        }
    }

    /// `None` for `null` (what projections leave out), else the value.
    pub fn non_null(self) -> Option<Value<'a>> {
        match self {
            Value::Null => None,
            other => Some(other),
        }
    }

    /// The items of an array (a projection's input); `None` for other values.
    pub fn into_array(self) -> Option<Vec<Value<'a>>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The `stringEquals` comparator.
    pub fn string_equals(&self, expected: &str) -> bool {
        matches!(self, Value::String(s) if s == expected)
    }

    /// The `booleanEquals` comparator.
    pub fn boolean_equals(&self, expected: bool) -> bool {
        matches!(self, Value::Bool(b) if *b == expected)
    }

    /// The `allStringEquals` comparator: a non-empty array of strings all equal to `expected`.
    pub fn all_string_equals(&self, expected: &str) -> bool {
        matches!(self, Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| i.string_equals(expected)))
    }

    /// The `anyStringEquals` comparator: an array with a string equal to `expected`.
    pub fn any_string_equals(&self, expected: &str) -> bool {
        matches!(self, Value::Array(items) if items.iter().any(|i| i.string_equals(expected)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(2);
    const MAX: Duration = Duration::from_secs(120);

    #[test]
    fn delays_grow_exponentially_up_to_the_cap() {
        let far = Duration::from_secs(10_000);
        let top = |attempt| retry_delay(attempt, MIN, MAX, far, 1.0);
        assert_eq!(top(1), Duration::from_secs(2));
        assert_eq!(top(2), Duration::from_secs(4));
        assert_eq!(top(3), Duration::from_secs(8));
        assert_eq!(top(7), Duration::from_secs(120));
        assert_eq!(top(8), Duration::from_secs(120));
        assert_eq!(top(u32::MAX), Duration::from_secs(120));
        for attempt in 1..40 {
            assert_eq!(retry_delay(attempt, MIN, MAX, far, 0.0), MIN);
        }
        assert_eq!(
            retry_delay(3, MIN, MAX, far, 0.5),
            Duration::from_secs(5),
            "halfway between 2 and 8"
        );
    }

    #[test]
    fn the_last_delay_uses_up_the_remaining_time() {
        // 10 s left, a 8.5 s delay would leave 1.5 s <= min: wait all 10 s, poll once more.
        let d = retry_delay(3, MIN, MAX, Duration::from_secs(10), 1.0);
        assert_eq!(d, Duration::from_secs(10));
        let d = retry_delay(3, MIN, MAX, Duration::from_secs(11), 0.0);
        assert_eq!(d, MIN, "9 s would be left");
    }

    #[test]
    fn equal_min_and_max_is_linear() {
        let s = Duration::from_secs(5);
        for attempt in 1..10 {
            assert_eq!(retry_delay(attempt, s, s, Duration::from_secs(600), 0.7), s);
        }
    }

    #[test]
    fn values() {
        let s = |x: &'static str| Value::from(x);
        assert!(!Value::Null.is_truthy());
        assert!(Value::Number(0.0).is_truthy());
        assert!(!s("").is_truthy());
        assert!(!Value::Array(vec![]).is_truthy());
        assert!(!Value::Object(0).is_truthy());
        assert!(Value::Object(2).is_truthy());
        assert!(s("a").equals(&s("a")));
        assert!(!Value::Bool(true).equals(&Value::Number(1.0)));
        assert!(!Value::Object(0).equals(&Value::Object(0)));
        assert_eq!(
            Value::Number(1.0).compare("<", &Value::Number(2.0)),
            Value::Bool(true)
        );
        assert_eq!(s("b").compare(">=", &s("a")), Value::Bool(true));
        assert_eq!(s("b").compare("<", &Value::Number(1.0)), Value::Null);
        assert_eq!(s("héllo").length(), Value::Number(5.0));
        assert_eq!(Value::Bool(true).length(), Value::Null);
        let arr = Value::Array(vec![s("a"), Value::Array(vec![s("b"), s("c")])]);
        assert_eq!(
            arr.clone().flatten(),
            Value::Array(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(arr.clone().index(-1).length(), Value::Number(2.0));
        assert_eq!(arr.clone().index(2), Value::Null);
        assert_eq!(arr.contains(&s("a")), Value::Bool(true));
        assert_eq!(s("foobar").contains(&s("oba")), Value::Bool(true));
        assert_eq!(Value::Number(1.0).contains(&s("a")), Value::Null);
        let all = Value::Array(vec![s("x"), s("x")]);
        assert!(all.all_string_equals("x") && all.any_string_equals("x"));
        assert!(!Value::Array(vec![]).all_string_equals("x"));
        assert!(!Value::Array(vec![s("x"), s("y")]).all_string_equals("x"));
        assert!(Value::Array(vec![s("x"), s("y")]).any_string_equals("y"));
        assert!(Value::Bool(false).boolean_equals(false));
        assert!(!s("true").boolean_equals(true));
    }
}
