//! Credentials, regions and SigV4 request signing.
//!
//! - [`Env`]: where settings come from (the process environment, or a fixed
//!   set of variables in tests) and the files they point at.
//! - [`credentials`]: [`Credentials`] and the providers that find them
//!   ([`DefaultCredentialsChain`]: the environment, the shared files, web identity, the
//!   container endpoint, then IMDS).
//! - [`profile`]: the shared `~/.aws/config` and `~/.aws/credentials` files.
//! - [`region`]: the region ([`require_region`]) and `max_attempts`.
//! - [`sigv4`]: AWS Signature Version 4, in headers ([`sigv4::sign`]) or in
//!   the query string ([`sigv4::presign`]).
//!
//! Providers are async ([`ProvideCredentials`] returns a boxed future); the environment and
//! profile providers read variables and two small files, and offer the same synchronously.
//!
//! ```no_run
//! use smithgen_runtime::auth::{self, DefaultCredentialsChain, Env, ProvideCredentials};
//!
//! let env = Env::real();
//! let credentials = DefaultCredentialsChain::new(env.clone()).load_credentials()?;
//! let region = auth::require_region(&env)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod assume_role;
pub mod container;
pub mod credentials;
mod env;
pub mod imds;
pub mod process;
pub mod profile;
pub mod region;
pub mod sigv4;
pub mod sso;
pub mod web_identity;

pub use credentials::{
    Credentials, CredentialsChain, CredentialsError, DefaultCredentialsChain,
    EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
};
pub use env::Env;
pub use profile::{ProfileError, SharedConfig};
pub use region::{max_attempts, require_region, resolve_region, ConfigError, RegionError};

/// The HTTP client a credential provider uses when none is given: the default hyper client
/// with `connect_timeout`; without the `https` feature, an error telling to set one with
/// `<provider>::with_http_client`.
#[cfg(feature = "https")]
pub(crate) fn default_http_client(
    connect_timeout: std::time::Duration,
    _provider: &str,
) -> Result<std::sync::Arc<dyn crate::client::HttpClient>, CredentialsError> {
    crate::client::hyper_client::HyperClient::new(Some(connect_timeout))
        .map(|c| std::sync::Arc::new(c) as std::sync::Arc<dyn crate::client::HttpClient>)
        .map_err(|e| CredentialsError::provider("cannot set up HTTP", Some(Box::new(e))))
}

/// Without the `https` feature there is no default HTTP client.
#[cfg(not(feature = "https"))]
pub(crate) fn default_http_client(
    _connect_timeout: std::time::Duration,
    provider: &str,
) -> Result<std::sync::Arc<dyn crate::client::HttpClient>, CredentialsError> {
    Err(CredentialsError::provider(
        format!(
            "no HTTP client: smithgen-runtime was built without its `https` feature; \
             use {provider}::with_http_client"
        ),
        None,
    ))
}

/// Whether `text` is an AWS account id: twelve ASCII digits.
pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The account of an ARN (`arn:aws:sts::123456789012:assumed-role/r/s` → `123456789012`).
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| is_account_id(a))
}
