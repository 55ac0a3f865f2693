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
    /// The error's message, when it carries one.
    fn message(&self) -> Option<&str> {
        None
    }
}

/// What every error of a call says about itself, whichever variant it is: its code, message,
/// the request id and the extended request id (`x-amz-id-2`) of the response that carried it.
/// Operation error enums and `SdkError` hand it out as `meta()`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    extended_request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata with nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the code (an empty code counts as none).
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        let code = code.into();
        self.code = (!code.is_empty()).then_some(code);
        self
    }

    /// Sets the message.
    pub fn with_message(mut self, message: Option<impl Into<String>>) -> Self {
        self.message = message.map(Into::into);
        self
    }

    /// Sets the request id (keeping the one already known when `None`).
    pub fn with_request_id(mut self, request_id: Option<impl Into<String>>) -> Self {
        if let Some(id) = request_id {
            self.request_id = Some(id.into());
        }
        self
    }

    /// Sets the extended request id (keeping the one already known when `None`).
    pub fn with_extended_request_id(mut self, id: Option<impl Into<String>>) -> Self {
        if let Some(id) = id {
            self.extended_request_id = Some(id.into());
        }
        self
    }

    /// The error code, as the service sent it (without any namespace).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The error message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id (`x-amzn-RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The extended request id (`x-amz-id-2`), which few services send.
    pub fn extended_request_id(&self) -> Option<&str> {
        self.extended_request_id.as_deref()
    }
}

/// Errors that can describe themselves as [`ErrorMetadata`]: every generated operation error
/// enum implements it, so `SdkError::meta()` works for every operation.
pub trait ProvideErrorMetadata {
    /// The error's code, message and request ids.
    fn meta(&self) -> ErrorMetadata;
}

impl ErrorVariant for UnhandledError {
    fn code(&self) -> &str {
        UnhandledError::code(self)
    }
    fn as_error(&self) -> &(dyn std::error::Error + 'static) {
        self
    }
    fn message(&self) -> Option<&str> {
        UnhandledError::message(self)
    }
}

impl ProvideErrorMetadata for UnhandledError {
    fn meta(&self) -> ErrorMetadata {
        ErrorMetadata::new()
            .with_code(self.code())
            .with_message(self.message())
            .with_request_id(self.request_id())
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

    /// The error of a response no modeled error matched: what every protocol's error metadata
    /// found (code, message, request id), its status and the raw body.
    pub(crate) fn from_response(
        code: &str,
        status: u16,
        message: Option<&str>,
        request_id: Option<&str>,
        body: &[u8],
    ) -> Self {
        UnhandledError {
            code: code.to_owned(),
            message: message.map(str::to_owned),
            request_id: request_id.map(str::to_owned),
            status: Some(status),
            body: body.to_vec(),
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
