//! Request and response hooks: an [`Interceptor`] registered on the config builder
//! (`ConfigBuilder::interceptor`) runs on every attempt of every call of the client.

use std::fmt;

use super::http::HttpResponse;
use crate::protocol::HttpRequest;

/// Hooks into each attempt of a call. Every method has a default that does nothing, so an
/// interceptor implements only what it needs. Interceptors run in the order they were added.
pub trait Interceptor: Send + Sync {
    /// Changes the request of an attempt before it is signed (headers, path and body, which
    /// the signature then covers); called once per attempt.
    fn modify_before_signing(&self, request: &mut HttpRequest) {
        let _ = request;
    }

    /// Sees the response of an attempt (status, headers, body), whatever its status; called
    /// once per attempt that got a response.
    fn read_after_response(&self, response: &HttpResponse) {
        let _ = response;
    }
}

impl fmt::Debug for dyn Interceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Interceptor")
    }
}
