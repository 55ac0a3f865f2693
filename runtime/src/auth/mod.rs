//! Credentials, regions and SigV4 request signing.
//!
//! - [`Env`]: where settings come from (the process environment, or a fixed
//!   set of variables in tests) and the files they point at.
//! - [`credentials`]: [`Credentials`] and the providers that find them
//!   ([`DefaultCredentialsChain`]: the environment, then the shared files).
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
pub mod web_identity;

pub use credentials::{
    Credentials, CredentialsChain, CredentialsError, DefaultCredentialsChain,
    EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
};
pub use env::Env;
pub use profile::{ProfileError, SharedConfig};
pub use region::{max_attempts, require_region, resolve_region, ConfigError, RegionError};
