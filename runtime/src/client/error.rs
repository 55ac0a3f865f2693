//! What a call can fail with.

use std::error::Error;
use std::fmt;
use std::time::Duration;

use super::http::ConnectorError;
use crate::json::DeserializeError;

/// The error of a client call: `E` is the operation's error enum (modeled errors and
/// `Unhandled`).
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built: a required input member is missing, no credentials,
    /// no region, no endpoint, or signing failed. Nothing was sent.
    Construction(ConstructionError),
    /// The call, or its last attempt, ran out of time.
    Timeout(TimeoutError),
    /// No response arrived (connection refused, reset, cut short), after the retries the
    /// policy allows.
    Dispatch(ConnectorError),
    /// The service answered with a success status but a body that is not the operation's
    /// output.
    Response(ResponseFailure),
    /// The service answered with an error (modeled or not), after the retries the policy allows.
    Service(ServiceError<E>),
    /// A paginator stopped: the service returned the continuation token it was sent, which
    /// would fetch the same page forever.
    Pagination(super::paginator::PaginationError),
}

impl<E> SdkError<E> {
    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The service's error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e.error),
            _ => None,
        }
    }

    /// The request id the service gave the failed request, when it answered.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id.as_deref(),
            SdkError::Response(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The code, message, request id and extended request id of the service's error (for
    /// errors that are not the service's, the request id when a response arrived).
    pub fn meta(&self) -> crate::ErrorMetadata
    where
        E: crate::ProvideErrorMetadata,
    {
        match self {
            SdkError::Service(e) => e
                .error
                .meta()
                .with_request_id(e.request_id.as_deref())
                .with_extended_request_id(e.extended_request_id.as_deref()),
            other => crate::ErrorMetadata::new().with_request_id(other.request_id()),
        }
    }

    /// The HTTP status of the last response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Service(e) => Some(e.status),
            SdkError::Response(e) => Some(e.status),
            _ => None,
        }
    }

    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            SdkError::Construction(_) => 0,
            SdkError::Timeout(e) => e.attempts,
            SdkError::Dispatch(_) => 0,
            SdkError::Response(e) => e.attempts,
            SdkError::Pagination(_) => 1,
            SdkError::Service(e) => e.attempts,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "request not sent: {e}"),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Dispatch(e) => write!(f, "no response: {e}"),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Service(e) => e.error.fmt(f),
            SdkError::Pagination(e) => e.fmt(f),
        }
    }
}

impl<E: Error + 'static> Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(&e.error),
            SdkError::Pagination(e) => Some(e),
        }
    }
}

/// Why a request could not be built.
#[derive(Debug)]
pub struct ConstructionError {
    message: String,
    source: Option<Box<dyn Error + Send + Sync>>,
}

impl ConstructionError {
    /// An error described by `message`, caused by `source`.
    pub fn new(message: impl Into<String>, source: Option<Box<dyn Error + Send + Sync>>) -> Self {
        ConstructionError {
            message: message.into(),
            source,
        }
    }
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl Error for ConstructionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn Error + 'static))
    }
}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// The whole operation, retries included.
    Operation,
    /// One attempt (sending the request and reading the response), on the last attempt.
    Attempt,
}

/// A timeout expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutError {
    /// Which one.
    pub kind: TimeoutKind,
    /// Its length.
    pub after: Duration,
    /// The attempts made.
    pub attempts: u32,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Operation => "operation",
            TimeoutKind::Attempt => "attempt",
        };
        write!(
            f,
            "{what} timeout of {:?} expired after {} attempt(s)",
            self.after, self.attempts
        )
    }
}

impl Error for TimeoutError {}

/// A success response whose body is not the operation's output.
#[derive(Debug)]
pub struct ResponseFailure {
    /// Why the body did not parse (with its JSON path).
    pub error: DeserializeError,
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// The attempts made.
    pub attempts: u32,
}

impl fmt::Display for ResponseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed response (HTTP {}): {}",
            self.status, self.error
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl Error for ResponseFailure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

/// An error response of the service, with what the response said about itself.
#[derive(Debug)]
pub struct ServiceError<E> {
    /// The operation's error: a modeled error or `Unhandled`.
    pub error: E,
    /// The HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// `x-amz-id-2`, the extended request id, when the service sent one.
    pub extended_request_id: Option<String>,
    /// The attempts made.
    pub attempts: u32,
}
