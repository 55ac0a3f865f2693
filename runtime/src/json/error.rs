//! Errors reading JSON.

use std::error::Error;
use std::fmt;

/// Why a JSON document could not be read: a syntax error, a value of the
/// wrong type or out of range, or nesting too deep.
///
/// It names where: the JSON path of the value being read (`$` for the
/// document itself, then `.name` or `["name"]` for object members and `[0]`
/// for array elements) and the byte offset in the input.
///
/// ```
/// use smithgen_runtime::json::JsonReader;
///
/// let mut r = JsonReader::new(br#"{"a b": [300]}"#);
/// r.begin_object()?;
/// r.next_key()?;
/// r.begin_array()?;
/// r.next_element()?;
/// let error = r.i8().unwrap_err();
/// assert_eq!(error.path(), r#"$["a b"][0]"#);
/// assert_eq!(error.offset(), 9);
/// assert_eq!(error.message(), "expected an integer in -128..=127, found 300");
/// assert_eq!(
///     error.to_string(),
///     r#"$["a b"][0]: expected an integer in -128..=127, found 300 (at byte 9)"#
/// );
/// # Ok::<(), smithgen_runtime::json::DeserializeError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DeserializeError {
    // Boxed so that `Result<T, DeserializeError>` stays small on the hot,
    // successful path.
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    path: String,
    offset: usize,
    message: String,
}

impl DeserializeError {
    pub(crate) fn new(path: String, offset: usize, message: String) -> Self {
        Self {
            inner: Box::new(Inner {
                path,
                offset,
                message,
            }),
        }
    }

    /// An error about something other than a JSON value (a header, a text body): `path` says
    /// where (`header `X-Count``), `message` what was wrong.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(path.into(), 0, message.into())
    }

    /// The JSON path of the value being read, such as
    /// `$.keyPair.tags[0].key` or `$["a b"]`.
    pub fn path(&self) -> &str {
        &self.inner.path
    }

    /// The offset in the input, in bytes, of the problem.
    pub fn offset(&self) -> usize {
        self.inner.offset
    }

    /// What is wrong, such as `expected a string, found a number`.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
}

impl fmt::Display for DeserializeError {
    /// Writes `{path}: {message} (at byte {offset})`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (at byte {})",
            self.inner.path, self.inner.message, self.inner.offset
        )
    }
}

impl fmt::Debug for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeserializeError")
            .field("path", &self.inner.path)
            .field("offset", &self.inner.offset)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl Error for DeserializeError {}
