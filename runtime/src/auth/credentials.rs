//! AWS credentials and where to find them.
//!
//! [`Credentials`] are an access key pair, optionally with a session token.
//! A [`ProvideCredentials`] implementation finds them:
//!
//! | provider                     | looks at                                                      |
//! |------------------------------|---------------------------------------------------------------|
//! | [`Credentials`] itself       | nothing: returns itself                                       |
//! | [`EnvironmentCredentials`]   | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` |
//! | [`ProfileCredentials`]       | the selected profile of `~/.aws/credentials` and `~/.aws/config` ([`SharedConfig`]) |
//! | [`ContainerCredentials`] | the ECS / EKS Pod Identity endpoint (`AWS_CONTAINER_CREDENTIALS_*`) |
//! | [`ProcessCredentials`] | a profile's `credential_process` (run without a shell) |
//! | [`WebIdentityCredentials`] | `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (or a profile's `web_identity_token_file`), through STS |
//! | [`ImdsCredentials`] | the EC2 instance metadata service (IMDSv2) |
//! | [`SsoCredentials`](super::sso::SsoCredentials) | a profile's SSO role, with the token `aws sso login` cached |
//! | [`CachingProvider`]          | another provider, cached until shortly before expiry          |
//! | [`DefaultCredentialsChain`]  | the environment, the profile, web identity, the container endpoint, then IMDS |
//!
//! When nothing is found, the [`CredentialsError`] says what was looked at:
//!
//! ```text
//! no AWS credentials found: looked at environment variables
//! AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (unset), profile `default` in
//! /home/ann/.aws/credentials (file not found) and /home/ann/.aws/config
//! (no such profile)
//! ```
//!
//! Neither `Debug` output nor error messages ever contain a secret access
//! key or session token.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::assume_role::AssumeRoleCredentials;
use super::container::ContainerCredentials;
use super::env::Env;
use super::imds::ImdsCredentials;
use super::process::ProcessCredentials;
use super::profile::{FileKind, ProfileError, Setting, SharedConfig};
use super::web_identity::WebIdentityCredentials;
use crate::{DateTime, Redacted};

/// An AWS access key pair, with a session token for temporary credentials.
///
/// `Debug` prints the access key id (which AWS treats as an identifier, not
/// a secret) but redacts the secret access key and the session token.
///
/// ```
/// use smithgen_runtime::auth::Credentials;
///
/// let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", None);
/// assert_eq!(credentials.access_key_id(), "AKIDEXAMPLE");
/// assert!(!format!("{credentials:?}").contains("wJalrXUtnFEMI"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    source: Cow<'static, str>,
    account_id: Option<String>,
}

impl Credentials {
    /// Credentials from an access key id, a secret access key and, for
    /// temporary credentials, a session token. They never expire, and their
    /// [`source`](Self::source) is `static credentials` until
    /// [`with_source`](Self::with_source) says otherwise.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
            source: Cow::Borrowed("static credentials"),
            account_id: None,
        }
    }

    /// The same credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// The same credentials, described as coming from `source` (such as
    /// `environment` or `profile default in /home/ann/.aws/credentials`).
    pub fn with_source(mut self, source: impl Into<Cow<'static, str>>) -> Self {
        self.source = source.into();
        self
    }

    /// The same credentials, belonging to AWS account `account_id` (twelve digits), which
    /// services with account-based endpoints (DynamoDB) put in the endpoint.
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// The AWS account the credentials belong to, when their source said (`AWS_ACCOUNT_ID`, a
    /// profile's `aws_account_id`, the assumed role's ARN in STS's answer, the `AccountId` of
    /// the container endpoint or `credential_process`).
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// The access key id, such as `AKIDEXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key. Keep it out of logs.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token of temporary credentials. Keep it out of logs.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When the credentials expire, if they do.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Whether the credentials have expired at `now`.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        self.expiry.is_some_and(|expiry| expiry <= now)
    }

    /// Where the credentials came from, for messages and logs:
    /// `environment`, `profile dev in /home/ann/.aws/credentials`, ...
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Redacted)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| Redacted),
            )
            .field("expiry", &self.expiry.map(DateTime::from))
            .field("source", &self.source)
            .field("account_id", &self.account_id)
            .finish()
    }
}

/// What [`ProvideCredentials::provide_credentials`] returns: a boxed, sendable future, so that
/// any executor can drive it and providers that make network calls never block one.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Something that finds [`Credentials`]: the environment, a profile, a
/// chain of other providers, fixed credentials, or your own.
///
/// The interface is async (a boxed future, tied to no executor), so a
/// provider that must make a network call does not block the runtime:
///
/// ```
/// use smithgen_runtime::auth::credentials::{Credentials, ProvideCredentials, ProvideFuture};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials for FromVault {
///     fn provide_credentials(&self) -> ProvideFuture<'_> {
///         Box::pin(async {
///             // ... await an HTTP call here ...
///             Ok(Credentials::new("AKID", "secret", None).with_source("vault"))
///         })
///     }
/// }
/// ```
///
/// Providers do not cache: each call looks again (and so sees rotated keys).
/// [`CachingProvider`] (which every client puts in front of its provider)
/// keeps credentials until shortly before they expire.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Finds credentials.
    ///
    /// # Errors
    ///
    /// A [`CredentialsError`]; [`is_not_found`](CredentialsError::is_not_found)
    /// tells "nothing there" (where a chain tries its next provider) from
    /// "something there, but wrong" (where it stops).
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    /// Returns a copy of itself.
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// How long before expiry [`CachingProvider`] refreshes credentials: 5 minutes.
pub const DEFAULT_REFRESH_AHEAD: Duration = Duration::from_secs(300);

/// Caches another provider's credentials, the way the AWS SDKs do:
/// - credentials are reused until [`DEFAULT_REFRESH_AHEAD`] (or the buffer
///   set with [`with_refresh_ahead`](Self::with_refresh_ahead)) before they
///   expire; credentials without an expiry are kept for good;
/// - one refresh at a time: concurrent callers that find the cache stale
///   wait for the one refresh in flight instead of each calling the provider;
/// - a failed refresh while the cached credentials are still valid returns
///   them (and tries again on the next call);
/// - no background task or thread: refreshes happen in callers' calls.
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    cached: Mutex<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
    ahead: Duration,
}

impl fmt::Debug for CachingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("refresh_ahead", &self.ahead)
            .finish_non_exhaustive()
    }
}

impl CachingProvider {
    /// Caches `inner`'s credentials.
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CachingProvider {
            inner,
            cached: Mutex::new(None),
            refresh: tokio::sync::Mutex::new(()),
            ahead: DEFAULT_REFRESH_AHEAD,
        }
    }

    /// Refreshes this long before expiry instead of [`DEFAULT_REFRESH_AHEAD`].
    pub fn with_refresh_ahead(mut self, ahead: Duration) -> Self {
        self.ahead = ahead;
        self
    }

    fn cached(&self) -> Option<Credentials> {
        self.cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn is_fresh(&self, credentials: &Credentials, now: SystemTime) -> bool {
        credentials
            .expiry()
            .is_none_or(|expiry| expiry > now + self.ahead)
    }

    /// The cached credentials while fresh, else newly provided ones.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self
            .cached()
            .filter(|c| self.is_fresh(c, SystemTime::now()))
        {
            return Ok(c);
        }
        let _refreshing = self.refresh.lock().await;
        // Another caller may have refreshed while this one waited.
        let stale = self.cached();
        if let Some(c) = stale
            .as_ref()
            .filter(|c| self.is_fresh(c, SystemTime::now()))
        {
            return Ok(c.clone());
        }
        match self.inner.provide_credentials().await {
            Ok(fresh) => {
                *self.cached.lock().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
                Ok(fresh)
            }
            Err(error) => match stale.filter(|c| !c.is_expired(SystemTime::now())) {
                Some(still_valid) => {
                    tracing::debug!(%error, "refreshing credentials failed; using the cached ones until they expire");
                    Ok(still_valid)
                }
                None => Err(error),
            },
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.credentials())
    }
}

/// Why no credentials could be provided. `Display` says what was looked at
/// or what was wrong, and never contains a secret.
#[derive(Debug)]
pub struct CredentialsError {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    /// Nothing there: a description of each place looked at.
    NotFound(Vec<String>),
    /// Something there, but not usable (half a key pair, unsupported kind).
    Invalid(String),
    /// A shared file that does not parse or cannot be read.
    Profile(ProfileError),
    /// A custom provider's failure.
    Provider {
        message: String,
        source: Option<Box<dyn Error + Send + Sync>>,
    },
}

impl CredentialsError {
    /// Nothing was found; `looked_at` describes where, as in
    /// `environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (unset)`.
    pub fn not_found(looked_at: impl Into<String>) -> Self {
        CredentialsError {
            kind: ErrorKind::NotFound(vec![looked_at.into()]),
        }
    }

    /// Credentials were found but cannot be used; `message` says why, and
    /// must not contain a secret.
    pub fn invalid(message: impl Into<String>) -> Self {
        CredentialsError {
            kind: ErrorKind::Invalid(message.into()),
        }
    }

    /// A provider failed (a network error, say); `message` must not contain
    /// a secret.
    pub fn provider(
        message: impl Into<String>,
        source: Option<Box<dyn Error + Send + Sync>>,
    ) -> Self {
        CredentialsError {
            kind: ErrorKind::Provider {
                message: message.into(),
                source,
            },
        }
    }

    /// Whether nothing was found (rather than something unusable).
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, ErrorKind::NotFound(_))
    }

    /// For "not found" errors, the places looked at, in order.
    pub fn looked_at(&self) -> &[String] {
        match &self.kind {
            ErrorKind::NotFound(places) => places,
            _ => &[],
        }
    }
}

impl From<ProfileError> for CredentialsError {
    fn from(error: ProfileError) -> Self {
        CredentialsError {
            kind: ErrorKind::Profile(error),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::NotFound(places) => {
                write!(
                    f,
                    "no AWS credentials found: looked at {}",
                    places.join(", ")
                )
            }
            ErrorKind::Invalid(message) => write!(f, "unusable AWS credentials: {message}"),
            ErrorKind::Profile(error) => write!(f, "cannot load AWS credentials: {error}"),
            ErrorKind::Provider { message, .. } => {
                write!(f, "cannot load AWS credentials: {message}")
            }
        }
    }
}

impl Error for CredentialsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            ErrorKind::Profile(error) => Some(error),
            ErrorKind::Provider {
                source: Some(source),
                ..
            } => Some(&**source),
            _ => None,
        }
    }
}

const ACCESS_KEY_ID_VAR: &str = "AWS_ACCESS_KEY_ID";
const SECRET_ACCESS_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";

/// Credentials from the environment variables `AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY` and (optionally) `AWS_SESSION_TOKEN`.
///
/// Blank variables count as unset. One of the pair without the other is an
/// error naming the missing variable.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentCredentials {
    env: Env,
}

impl EnvironmentCredentials {
    /// A provider reading `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentCredentials { env }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load_credentials()))
    }
}

impl EnvironmentCredentials {
    /// Reads the variables now (this provider never waits on anything).
    pub fn load_credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.env;
        let access_key_id = env.non_empty_var(ACCESS_KEY_ID_VAR);
        let secret_access_key = env.non_empty_var(SECRET_ACCESS_KEY_VAR);
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => {
                let credentials = Credentials::new(
                    access_key_id,
                    secret_access_key,
                    env.non_empty_var(SESSION_TOKEN_VAR),
                )
                .with_source("environment");
                Ok(match env.non_empty_var("AWS_ACCOUNT_ID") {
                    Some(id) => credentials.with_account_id(id),
                    None => credentials,
                })
            }
            (None, None) => {
                let state = if env.var(ACCESS_KEY_ID_VAR).is_some()
                    || env.var(SECRET_ACCESS_KEY_VAR).is_some()
                {
                    "empty"
                } else {
                    "unset"
                };
                Err(CredentialsError::not_found(format!(
                    "environment variables {ACCESS_KEY_ID_VAR}/{SECRET_ACCESS_KEY_VAR} ({state})"
                )))
            }
            (Some(_), None) => Err(CredentialsError::invalid(format!(
                "{ACCESS_KEY_ID_VAR} is set but {SECRET_ACCESS_KEY_VAR} is not; \
                 set both, or neither to use the shared config files"
            ))),
            (None, Some(_)) => Err(CredentialsError::invalid(format!(
                "{SECRET_ACCESS_KEY_VAR} is set but {ACCESS_KEY_ID_VAR} is not; \
                 set both, or neither to use the shared config files"
            ))),
        }
    }
}

/// Profile keys for ways of getting credentials this module does not
/// implement: a profile that has one of these but no access key pair gets
/// an error naming it instead of "not found".
const UNSUPPORTED_KEYS: [&str; 1] = ["login_session"];

/// Credentials from the `aws_access_key_id`, `aws_secret_access_key` and
/// `aws_session_token` keys of a profile in the shared credentials and
/// config files (the credentials file winning), as described in
/// [`profile`](super::profile).
///
/// The profile is `AWS_PROFILE`, or `default`, unless
/// [`with_profile`](Self::with_profile) names one. The files are read on
/// every call.
#[derive(Clone, Debug, Default)]
pub struct ProfileCredentials {
    env: Env,
    profile: Option<String>,
}

impl ProfileCredentials {
    /// A provider reading the files `env` points at.
    pub fn new(env: Env) -> Self {
        ProfileCredentials { env, profile: None }
    }

    /// The same provider, reading the profile `name` whatever `AWS_PROFILE`
    /// says.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn load_files(&self) -> Result<SharedConfig, ProfileError> {
        match &self.profile {
            Some(name) => SharedConfig::load_profile(&self.env, name, false),
            None => SharedConfig::load(&self.env),
        }
    }
}

fn non_empty(setting: Option<Setting<'_>>) -> Option<Setting<'_>> {
    setting.filter(|setting| !setting.value.is_empty())
}

fn located(setting: &Setting<'_>) -> String {
    format!("{}:{}", setting.path.display(), setting.line)
}

impl ProvideCredentials for ProfileCredentials {
    /// The profile's static keys, else its `credential_process` (run without a shell: see
    /// [`process`](super::process)).
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            if let Some(profile) = self.role_profile()? {
                return AssumeRoleCredentials::new(self.env.clone(), profile)
                    .provide_credentials()
                    .await;
            }
            if let Some(settings) = self.sso_settings()? {
                return super::sso::SsoCredentials::new(self.env.clone(), settings)
                    .provide_credentials()
                    .await;
            }
            match self.credential_process()? {
                Some(command) => ProcessCredentials::new(command).provide_credentials().await,
                None => self.load_credentials(),
            }
        })
    }
}

impl ProfileCredentials {
    /// The selected profile's name when it has `role_arn` (it is then an assume-role profile,
    /// see [`assume_role`](super::assume_role)).
    pub fn role_profile(&self) -> Result<Option<String>, CredentialsError> {
        let shared = self.load_files()?;
        Ok(non_empty(shared.credential_setting("role_arn"))
            .map(|_| shared.profile_name().to_owned()))
    }

    /// The profile's SSO role (`sso_account_id`, `sso_role_name`, and `sso_session` or the
    /// legacy `sso_start_url` and `sso_region`), when it has one and no static keys (see
    /// [`sso`](super::sso)). An incomplete SSO profile is an error naming what is missing.
    pub fn sso_settings(&self) -> Result<Option<super::sso::SsoSettings>, CredentialsError> {
        let shared = self.load_files()?;
        let name = shared.profile_name().to_owned();
        if non_empty(shared.credential_setting("aws_access_key_id")).is_some() {
            return Ok(None);
        }
        let get = |key: &str| non_empty(shared.config_setting(key)).map(|s| s.value.to_owned());
        let session = get("sso_session");
        let legacy_url = get("sso_start_url");
        if session.is_none() && legacy_url.is_none() {
            return Ok(None);
        }
        let missing = |what: &str| {
            CredentialsError::invalid(format!(
                "profile `{name}` uses SSO but sets no {what} in {}",
                shared.display_path(FileKind::Config)
            ))
        };
        let (start_url, region) = match &session {
            Some(session) => {
                let from_session = |key: &str| {
                    non_empty(shared.sso_session_setting(session, key))
                        .map(|s| s.value.to_owned())
                        .ok_or_else(|| {
                            CredentialsError::invalid(format!(
                                "profile `{name}` names sso_session `{session}`, but the config \
                                 file {} has no `[sso-session {session}]` with {key}",
                                shared.display_path(FileKind::Config)
                            ))
                        })
                };
                (from_session("sso_start_url")?, from_session("sso_region")?)
            }
            None => (
                legacy_url.unwrap_or_default(),
                get("sso_region").ok_or_else(|| missing("sso_region"))?,
            ),
        };
        Ok(Some(super::sso::SsoSettings {
            account_id: get("sso_account_id").ok_or_else(|| missing("sso_account_id"))?,
            role_name: get("sso_role_name").ok_or_else(|| missing("sso_role_name"))?,
            profile: name.clone(),
            session,
            start_url,
            region,
        }))
    }

    /// The profile's `credential_process` command line, when it has one and no static keys.
    pub fn credential_process(&self) -> Result<Option<String>, CredentialsError> {
        let shared = self.load_files()?;
        if non_empty(shared.credential_setting("aws_access_key_id")).is_some()
            || non_empty(shared.credential_setting("aws_secret_access_key")).is_some()
        {
            return Ok(None);
        }
        Ok(non_empty(shared.credential_setting("credential_process"))
            .map(|setting| setting.value.to_owned()))
    }

    /// Reads the static keys from the files now (this never runs a program or waits on the
    /// network: a profile with only `credential_process` is an error here, and works through
    /// [`provide_credentials`](ProvideCredentials::provide_credentials)).
    pub fn load_credentials(&self) -> Result<Credentials, CredentialsError> {
        let shared = self.load_files()?;
        let name = shared.profile_name();
        let access_key_id = non_empty(shared.credential_setting("aws_access_key_id"));
        let secret_access_key = non_empty(shared.credential_setting("aws_secret_access_key"));
        match (access_key_id, secret_access_key) {
            (Some(access_key_id), Some(secret_access_key)) => {
                let session_token = non_empty(shared.credential_setting("aws_session_token"))
                    .map(|setting| setting.value.to_owned());
                let source = format!("profile {name} in {}", access_key_id.path.display());
                let credentials =
                    Credentials::new(access_key_id.value, secret_access_key.value, session_token)
                        .with_source(source);
                Ok(
                    match non_empty(shared.credential_setting("aws_account_id")) {
                        Some(id) => credentials.with_account_id(id.value),
                        None => credentials,
                    },
                )
            }
            (Some(access_key_id), None) => Err(CredentialsError::invalid(format!(
                "profile `{name}` sets aws_access_key_id ({}) but not aws_secret_access_key",
                located(&access_key_id)
            ))),
            (None, Some(secret_access_key)) => Err(CredentialsError::invalid(format!(
                "profile `{name}` sets aws_secret_access_key ({}) but not aws_access_key_id",
                located(&secret_access_key)
            ))),
            _ if non_empty(shared.credential_setting("role_arn")).is_some() => {
                Err(CredentialsError::invalid(format!(
                    "profile `{name}` assumes a role (role_arn): ask the async \
                     provide_credentials, which calls STS"
                )))
            }
            (None, None) => {
                if let Some(setting) = non_empty(shared.credential_setting("credential_process")) {
                    return Err(CredentialsError::invalid(format!(
                        "profile `{name}` gets its credentials from credential_process ({}), \
                         which runs a program: ask the async provide_credentials",
                        located(&setting)
                    )));
                }
                if let Some(setting) = non_empty(shared.config_setting("sso_session"))
                    .or_else(|| non_empty(shared.config_setting("sso_start_url")))
                {
                    return Err(CredentialsError::invalid(format!(
                        "profile `{name}` gets its credentials from SSO ({}), which asks the \
                         SSO portal: ask the async provide_credentials",
                        located(&setting)
                    )));
                }
                if let Some(setting) =
                    non_empty(shared.credential_setting("web_identity_token_file"))
                {
                    return Err(CredentialsError::invalid(format!(
                        "profile `{name}` sets web_identity_token_file ({}) but no role_arn, \
                         the role to assume with the token",
                        located(&setting)
                    )));
                }
                for kind in [FileKind::Credentials, FileKind::Config] {
                    for key in UNSUPPORTED_KEYS {
                        if let Some(setting) = shared.setting_in(kind, key) {
                            return Err(CredentialsError::invalid(format!(
                                "profile `{name}` gets its credentials with `{key}` ({}), \
                                 which is not supported yet; give it aws_access_key_id and \
                                 aws_secret_access_key, or set AWS_ACCESS_KEY_ID and \
                                 AWS_SECRET_ACCESS_KEY",
                                located(&setting)
                            )));
                        }
                    }
                }
                Err(CredentialsError::not_found(
                    shared.describe("aws_access_key_id"),
                ))
            }
        }
    }
}

/// Tries providers in order: the first credentials found win; a provider
/// that finds nothing passes to the next; any other error stops the chain.
/// If none finds anything, the error lists every place looked at.
#[derive(Clone, Debug, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// An empty chain, which finds nothing.
    pub fn new() -> Self {
        CredentialsChain::default()
    }

    /// The same chain with `provider` tried after the others.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut looked_at = Vec::new();
            for provider in &self.providers {
                if let Some(done) = found(provider.provide_credentials().await, &mut looked_at) {
                    return done;
                }
            }
            Err(not_found_in(looked_at))
        })
    }
}

fn not_found_in(mut looked_at: Vec<String>) -> CredentialsError {
    if looked_at.is_empty() {
        looked_at.push("no credential providers".to_owned());
    }
    CredentialsError {
        kind: ErrorKind::NotFound(looked_at),
    }
}

/// The standard places, in the AWS SDKs' order: the environment
/// ([`EnvironmentCredentials`]); the shared files ([`ProfileCredentials`]: static keys,
/// assume-role chains, `web_identity_token_file`, `credential_process`); web identity from the
/// environment ([`WebIdentityCredentials`], when `AWS_WEB_IDENTITY_TOKEN_FILE` and
/// `AWS_ROLE_ARN` are set); the container endpoint ([`ContainerCredentials`], when
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI` is set); then the EC2 instance
/// metadata service ([`ImdsCredentials`], IMDSv2, 1 s per request, unless
/// `AWS_EC2_METADATA_DISABLED=true`).
#[derive(Clone, Debug)]
pub struct DefaultCredentialsChain {
    environment: EnvironmentCredentials,
    profile: ProfileCredentials,
    web_identity: WebIdentityCredentials,
    container: ContainerCredentials,
    imds: ImdsCredentials,
}

impl DefaultCredentialsChain {
    /// The chain reading `env` and the files it points at.
    pub fn new(env: Env) -> Self {
        DefaultCredentialsChain {
            environment: EnvironmentCredentials::new(env.clone()),
            profile: ProfileCredentials::new(env.clone()),
            web_identity: WebIdentityCredentials::new(env.clone()),
            container: ContainerCredentials::new(env.clone()),
            imds: ImdsCredentials::new(env),
        }
    }

    /// The same chain asking the instance metadata service through `imds` (another endpoint,
    /// timeout or HTTP client).
    pub fn with_imds(mut self, imds: ImdsCredentials) -> Self {
        self.imds = imds;
        self
    }

    /// Looks now, at the environment and the shared files only (what needs no network call).
    pub fn load_credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut looked_at = Vec::new();
        if let Some(done) = found(self.environment.load_credentials(), &mut looked_at) {
            return done;
        }
        if let Some(done) = found(self.profile.load_credentials(), &mut looked_at) {
            return done;
        }
        Err(not_found_in(looked_at))
    }
}

/// A chain's step: `Some` ends the chain (credentials, or an error other than "not found");
/// "not found" adds its places to `looked_at`.
fn found(
    result: Result<Credentials, CredentialsError>,
    looked_at: &mut Vec<String>,
) -> Option<Result<Credentials, CredentialsError>> {
    match result {
        Err(CredentialsError {
            kind: ErrorKind::NotFound(places),
        }) => {
            looked_at.extend(places);
            None
        }
        done => Some(done),
    }
}

impl Default for DefaultCredentialsChain {
    /// The chain over the real environment.
    fn default() -> Self {
        DefaultCredentialsChain::new(Env::real())
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let mut looked_at = Vec::new();
            if let Some(done) = found(self.environment.load_credentials(), &mut looked_at) {
                return done;
            }
            if let Some(done) = found(self.profile.provide_credentials().await, &mut looked_at) {
                return done;
            }
            let web_identity = self.web_identity.provide_credentials().await;
            if let Some(done) = found(web_identity, &mut looked_at) {
                return done;
            }
            let container = self.container.provide_credentials().await;
            if let Some(done) = found(container, &mut looked_at) {
                return done;
            }
            if let Some(done) = found(self.imds.provide_credentials().await, &mut looked_at) {
                return done;
            }
            Err(not_found_in(looked_at))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::profile::tests::TempDir;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(future)
    }

    /// Counts calls; each waits a little (so that concurrent callers overlap), then returns
    /// credentials expiring `lifetime` from now, or an error once `fail` is set.
    #[derive(Debug)]
    struct Counting {
        calls: std::sync::atomic::AtomicUsize,
        lifetime: Duration,
        fail: std::sync::atomic::AtomicBool,
    }

    impl Counting {
        fn new(lifetime: Duration) -> Arc<Counting> {
            Arc::new(Counting {
                calls: Default::default(),
                lifetime,
                fail: Default::default(),
            })
        }
        fn calls(&self) -> usize {
            self.calls.load(std::sync::atomic::Ordering::SeqCst)
        }
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
                if self.fail.load(std::sync::atomic::Ordering::SeqCst) {
                    return Err(CredentialsError::provider("the endpoint is down", None));
                }
                Ok(Credentials::new(format!("AKID{n}"), SECRET, None)
                    .with_expiry(SystemTime::now() + self.lifetime))
            })
        }
    }

    #[test]
    fn one_refresh_at_a_time_under_concurrent_calls() {
        let inner = Counting::new(Duration::from_secs(3600));
        let cache = Arc::new(CachingProvider::new(inner.clone()));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        let keys = runtime.block_on(async {
            let calls: Vec<_> = (0..16)
                .map(|_| {
                    let cache = cache.clone();
                    tokio::spawn(async move { cache.credentials().await.unwrap() })
                })
                .collect();
            let mut keys = Vec::new();
            for call in calls {
                keys.push(call.await.unwrap().access_key_id().to_owned());
            }
            keys
        });
        assert_eq!(inner.calls(), 1, "16 concurrent callers, one provider call");
        assert!(keys.iter().all(|k| k == "AKID1"), "{keys:?}");
        // Fresh credentials are served from the cache.
        block_on(cache.credentials()).unwrap();
        assert_eq!(inner.calls(), 1);
    }

    #[test]
    fn refreshes_ahead_of_expiry() {
        // Expiring in 2 minutes: inside the 5-minute buffer, so every call refreshes.
        let inner = Counting::new(Duration::from_secs(120));
        let cache = CachingProvider::new(inner.clone());
        assert_eq!(
            block_on(cache.credentials()).unwrap().access_key_id(),
            "AKID1"
        );
        assert_eq!(
            block_on(cache.credentials()).unwrap().access_key_id(),
            "AKID2"
        );
        // With a 1-minute buffer they are fresh enough.
        let inner = Counting::new(Duration::from_secs(120));
        let cache = CachingProvider::new(inner.clone()).with_refresh_ahead(Duration::from_secs(60));
        block_on(cache.credentials()).unwrap();
        block_on(cache.credentials()).unwrap();
        assert_eq!(inner.calls(), 1);
    }

    #[test]
    fn a_failed_refresh_keeps_still_valid_credentials_and_reports_expired_ones() {
        let inner = Counting::new(Duration::from_secs(120));
        let cache = CachingProvider::new(inner.clone());
        block_on(cache.credentials()).unwrap();
        inner.fail.store(true, std::sync::atomic::Ordering::SeqCst);
        let kept = block_on(cache.credentials()).expect("the cached ones are still valid");
        assert_eq!(kept.access_key_id(), "AKID1");
        assert_eq!(inner.calls(), 2, "it did try to refresh");
        // Credentials already expired are not served.
        let inner = Counting::new(Duration::ZERO);
        let cache = CachingProvider::new(inner.clone());
        block_on(cache.credentials()).unwrap();
        inner.fail.store(true, std::sync::atomic::Ordering::SeqCst);
        let err = block_on(cache.credentials()).unwrap_err();
        assert!(err.to_string().contains("the endpoint is down"), "{err}");
        assert!(!err.to_string().contains(SECRET));
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "session-token-that-must-not-leak";

    fn path_str(path: &std::path::Path) -> &str {
        path.to_str().expect("temp paths are UTF-8")
    }

    #[test]
    fn debug_redacts_secret_and_token() {
        let credentials = Credentials::new("AKID", SECRET, Some(TOKEN.to_owned()))
            .with_expiry(SystemTime::UNIX_EPOCH)
            .with_source("environment");
        for debug in [format!("{credentials:?}"), format!("{credentials:#?}")] {
            assert!(!debug.contains(SECRET), "{debug}");
            assert!(!debug.contains(TOKEN), "{debug}");
            assert!(debug.contains("AKID"), "{debug}");
            assert!(debug.contains(crate::REDACTED), "{debug}");
            assert!(debug.contains("1970-01-01T00:00:00Z"), "{debug}");
        }
        let no_token = Credentials::new("AKID", SECRET, None);
        assert!(format!("{no_token:?}").contains("session_token: None"));
    }

    #[test]
    fn accessors_and_expiry() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(100);
        let credentials = Credentials::new("AKID", SECRET, Some(TOKEN.to_owned())).with_expiry(t);
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.secret_access_key(), SECRET);
        assert_eq!(credentials.session_token(), Some(TOKEN));
        assert_eq!(credentials.expiry(), Some(t));
        assert_eq!(credentials.source(), "static credentials");
        assert!(!credentials.is_expired(t - std::time::Duration::from_secs(1)));
        assert!(credentials.is_expired(t));
        assert!(!Credentials::new("A", "S", None).is_expired(t));
        assert_eq!(
            block_on(credentials.provide_credentials()).ok(),
            Some(credentials.clone())
        );
    }

    #[test]
    fn environment_credentials() {
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", TOKEN),
        ]);
        let credentials = EnvironmentCredentials::new(env)
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.secret_access_key(), SECRET);
        assert_eq!(credentials.session_token(), Some(TOKEN));
        assert_eq!(credentials.source(), "environment");

        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", ""),
        ]);
        let credentials = EnvironmentCredentials::new(env)
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.session_token(), None);
        assert_eq!(credentials.account_id(), None);

        // AWS_ACCOUNT_ID, and a profile's aws_account_id, give the account.
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ACCOUNT_ID", "111122223333"),
        ]);
        let credentials = EnvironmentCredentials::new(env)
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.account_id(), Some("111122223333"));
        let dir = TempDir::new();
        let creds = dir.write(
            "c",
            "[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_account_id = 444455556666\n",
        );
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("HOME", "/nonexistent"),
        ]);
        let credentials = ProfileCredentials::new(env).load_credentials().unwrap();
        assert_eq!(credentials.account_id(), Some("444455556666"));
    }

    #[test]
    fn half_set_environment_pairs_name_the_missing_variable() {
        let env = Env::from_vars([("AWS_ACCESS_KEY_ID", "AKID")]);
        let err = EnvironmentCredentials::new(env)
            .load_credentials()
            .expect_err("half");
        assert!(!err.is_not_found());
        let text = err.to_string();
        assert!(text.contains("AWS_SECRET_ACCESS_KEY is not"), "{text}");

        let env = Env::from_vars([
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_ACCESS_KEY_ID", " "),
        ]);
        let err = EnvironmentCredentials::new(env)
            .load_credentials()
            .expect_err("half");
        let text = err.to_string();
        assert!(text.contains("AWS_ACCESS_KEY_ID is not"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
        assert!(!format!("{err:?}").contains(SECRET));

        // The chain stops at a half-set pair instead of using a profile.
        let dir = TempDir::new();
        let creds = dir.write(
            "c",
            "[default]\naws_access_key_id = P\naws_secret_access_key = Q\n",
        );
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
        ]);
        let err = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect_err("half");
        assert!(err.to_string().contains("AWS_SECRET_ACCESS_KEY is not"));
    }

    #[test]
    fn environment_beats_profile() {
        let dir = TempDir::new();
        let creds = dir.write(
            "c",
            "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = Q\n",
        );
        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "ENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
        ]);
        let credentials = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.access_key_id(), "ENV");

        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("HOME", "/nonexistent"),
        ]);
        let credentials = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.access_key_id(), "PROFILE");
        assert_eq!(credentials.secret_access_key(), "Q");
        assert_eq!(
            credentials.source(),
            format!("profile default in {}", creds.display())
        );
    }

    #[test]
    fn profile_credentials_file_beats_config_file() {
        let dir = TempDir::new();
        let creds = dir.write("c", "[dev]\naws_access_key_id = FROM_CREDS\n");
        let config = dir.write(
            "f",
            &format!("[profile dev]\naws_access_key_id = FROM_CONFIG\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"),
        );
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("AWS_PROFILE", "dev"),
        ]);
        let credentials = ProfileCredentials::new(env.clone())
            .load_credentials()
            .expect("found");
        assert_eq!(credentials.access_key_id(), "FROM_CREDS");
        assert_eq!(credentials.secret_access_key(), SECRET);
        assert_eq!(credentials.session_token(), Some(TOKEN));

        // An explicit profile name overrides AWS_PROFILE.
        let err = ProfileCredentials::new(env)
            .with_profile("other")
            .load_credentials()
            .expect_err("none");
        assert!(err.is_not_found());
        assert!(err.to_string().contains("profile `other` in"), "{err}");
    }

    #[test]
    fn half_set_profile_is_located() {
        let dir = TempDir::new();
        let creds = dir.write(
            "c",
            &format!("[default]\n\naws_secret_access_key = {SECRET}\n"),
        );
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("HOME", "/nonexistent"),
        ]);
        let err = ProfileCredentials::new(env)
            .load_credentials()
            .expect_err("half");
        let text = err.to_string();
        assert!(text.contains(&format!("{}:3", creds.display())), "{text}");
        assert!(text.contains("but not aws_access_key_id"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[test]
    fn unsupported_profile_kinds_are_named() {
        let dir = TempDir::new();
        let config = dir.write(
            "f",
            "[profile admin]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
        );
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("AWS_PROFILE", "admin"),
            ("HOME", "/nonexistent"),
        ]);
        // An assume-role profile needs STS: the synchronous load says so.
        let err = ProfileCredentials::new(env)
            .load_credentials()
            .expect_err("needs STS");
        assert!(!err.is_not_found());
        assert!(
            err.to_string().contains("assumes a role (role_arn)"),
            "{err}"
        );
        // SSO asks the portal: the synchronous read says so; an incomplete SSO profile is an
        // error naming what is missing.
        let config = dir.write(
            "g",
            "[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = R
",
        );
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("AWS_PROFILE", "sso"),
            ("HOME", "/nonexistent"),
        ]);
        let err = ProfileCredentials::new(env.clone())
            .load_credentials()
            .expect_err("asks the portal");
        assert!(err.to_string().contains("SSO"), "{err}");
        assert!(err.to_string().contains("provide_credentials"), "{err}");
        let err = ProfileCredentials::new(env).sso_settings().unwrap_err();
        assert!(err.to_string().contains("[sso-session corp]"), "{err}");
        // `login_session` is not supported yet, and says so.
        let config = dir.write("h", "[profile console]\nlogin_session = x\n");
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("AWS_PROFILE", "console"),
            ("HOME", "/nonexistent"),
        ]);
        let err = ProfileCredentials::new(env)
            .load_credentials()
            .expect_err("unsupported");
        assert!(err.to_string().contains("`login_session`"), "{err}");
        assert!(err.to_string().contains("not supported yet"), "{err}");
    }

    #[test]
    fn nothing_found_says_where_it_looked() {
        let dir = TempDir::new();
        let config = dir.write(".aws/config", "[profile other]\nregion = x\n");
        let home = path_str(&dir.0);
        let env = Env::from_vars([(if cfg!(windows) { "USERPROFILE" } else { "HOME" }, home)]);
        let err = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect_err("none");
        assert!(err.is_not_found());
        assert_eq!(err.looked_at().len(), 2);
        assert_eq!(
            err.to_string(),
            format!(
                "no AWS credentials found: looked at environment variables \
                 AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (unset), profile `default` in \
                 {} (file not found) and {} (no such profile)",
                dir.0.join(".aws/credentials").display(),
                config.display()
            )
        );

        let env = Env::from_vars([
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_PROFILE", "x"),
            ("HOME", ""),
        ]);
        let err = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect_err("none");
        let text = err.to_string();
        assert!(text.contains("(empty)"), "{text}");
        assert!(text.contains("profile `x` (from AWS_PROFILE)"), "{text}");
        assert!(text.contains("no home directory"), "{text}");
    }

    #[test]
    fn malformed_file_stops_the_chain() {
        let dir = TempDir::new();
        let creds = dir.write("c", &format!("[default]\naws_secret_access_key {SECRET}\n"));
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("HOME", "/nonexistent"),
        ]);
        let err = DefaultCredentialsChain::new(env)
            .load_credentials()
            .expect_err("malformed");
        let text = err.to_string();
        assert!(text.contains(&format!("{}:2:", creds.display())), "{text}");
        assert!(!text.contains(SECRET), "{text}");
        assert!(err.source().is_some());
    }

    #[test]
    fn providers_as_trait_objects() {
        let provider: Arc<dyn ProvideCredentials> = Arc::new(Credentials::new("A", SECRET, None));
        assert!(!format!("{provider:?}").contains(SECRET));
        let chain = CredentialsChain::new()
            .or_else(EnvironmentCredentials::new(Env::from_vars([("X", "y")])))
            .or_else(provider);
        assert_eq!(
            block_on(chain.provide_credentials())
                .expect("found")
                .access_key_id(),
            "A"
        );
        let err = block_on(CredentialsChain::new().provide_credentials()).expect_err("empty");
        assert!(err.is_not_found());
        let custom = CredentialsError::provider("IMDS timed out", None);
        assert_eq!(
            custom.to_string(),
            "cannot load AWS credentials: IMDS timed out"
        );
    }
}
