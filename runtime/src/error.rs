//! Errors a service returns: what every one of them tells about itself, and the ones its model
//! does not describe.

use std::fmt;

/// What the value in any variant of an operation's error enum tells about itself: each modeled
/// error type implements it, and so does [`UnhandledError`]. The enum hands out its variant's
/// value as `&dyn ErrorVariant` (`as_variant()`), which its `code()`, `Display` and `source()`
/// use. (Not to be confused with [`client::ServiceError`](crate::client::ServiceError), the
/// error response a call returned.)
pub trait ErrorVariant: std::error::Error + Send + Sync + 'static {
    /// The error code, as the service sent it (without any namespace).
    fn code(&self) -> &str;
    /// The error itself, as the `source()` of the enum that holds it.
    fn as_error(&self) -> &(dyn std::error::Error + 'static);
}

impl ErrorVariant for UnhandledError {
    fn code(&self) -> &str {
        UnhandledError::code(self)
    }
    fn as_error(&self) -> &(dyn std::error::Error + 'static) {
        self
    }
}

/// An error response that matched none of the operation's modeled errors: what the service
/// said, kept so that callers can still log, match on the code and report the request id.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct UnhandledError {
    code: String,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
    body: Vec<u8>,
}

impl UnhandledError {
    /// An error with the given code (sanitised: no namespace, nothing after `:`).
    pub fn new(code: impl Into<String>) -> Self {
        UnhandledError {
            code: code.into(),
            ..Default::default()
        }
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets the HTTP status code.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Keeps the raw response body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The error code (empty when the response carried none).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, if the response carried one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, if the response carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status code, if known.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The raw response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.code.is_empty() {
            "unknown error"
        } else {
            &self.code
        })?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may echo request data; show its size only.
        f.debug_struct("UnhandledError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("status", &self.status)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

impl std::error::Error for UnhandledError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_code_message_status_and_request_id() {
        let e = UnhandledError::new("ThrottlingException")
            .with_message("Rate exceeded")
            .with_status(400)
            .with_request_id("abc-123")
            .with_body("{\"secret\":1}");
        assert_eq!(
            e.to_string(),
            "ThrottlingException: Rate exceeded (HTTP 400) [request id abc-123]"
        );
        assert!(!format!("{e:?}").contains("secret"));
        assert_eq!(UnhandledError::new("").to_string(), "unknown error");
    }
}
