//! Client configuration: region, credentials, endpoint, retries, timeouts and the HTTP client,
//! set explicitly or loaded from the environment and the shared AWS config files.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::http::HttpClient;
use super::retry::{RetryConfig, RetryMode};
use crate::auth::{
    container::ContainerCredentials,
    credentials::{
        CredentialsError, DefaultCredentialsChain, ProfileCredentials, ProvideCredentials,
    },
    imds::ImdsCredentials,
    region::{self, RegionError},
    Env,
};

/// Time limits: connect, waiting for response headers, stalled streams, one attempt, the whole
/// operation. The response-header limit and stalled-stream protection are applied by the
/// default HTTP client; an HTTP client set with
/// [`ConfigBuilder::http_client`] applies its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    response_headers: Option<Duration>,
    stall_grace: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

/// The default connect timeout: 3.1 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);
/// The default limit on waiting for a response's headers once the request is sent: 60 s
/// (longer than any awsJson long poll, such as SQS's 20 s `WaitTimeSeconds`).
pub const DEFAULT_RESPONSE_HEADER_TIMEOUT: Duration = Duration::from_secs(60);
/// The default grace period of stalled-stream protection: 5 s without a byte of progress on the
/// request or response body fails the attempt (retryably).
pub const DEFAULT_STALL_GRACE: Duration = Duration::from_secs(5);

impl Default for TimeoutConfig {
    /// Connect 3.1 s, response headers 60 s, stalled-stream protection after 5 s without
    /// progress; no attempt or operation timeout.
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            response_headers: Some(DEFAULT_RESPONSE_HEADER_TIMEOUT),
            stall_grace: Some(DEFAULT_STALL_GRACE),
            attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// No timeouts at all, and no stalled-stream protection.
    pub fn disabled() -> Self {
        TimeoutConfig {
            connect: None,
            response_headers: None,
            stall_grace: None,
            attempt: None,
            operation: None,
        }
    }

    /// Limits establishing a connection (used by the default HTTP client).
    pub fn with_connect(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect = timeout.into();
        self
    }

    /// Limits waiting for the response's headers once the request body is sent (used by the
    /// default HTTP client; `None`: wait as long as the attempt and operation timeouts allow).
    pub fn with_response_headers(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.response_headers = timeout.into();
        self
    }

    /// Stalled-stream protection: the grace period after which a request or response body
    /// that made no progress fails the attempt with a retryable timeout (used by the default
    /// HTTP client; `None` turns the protection off).
    pub fn with_stalled_stream_grace(mut self, grace: impl Into<Option<Duration>>) -> Self {
        self.stall_grace = grace.into();
        self
    }

    /// Limits one attempt: sending the request and reading the whole response.
    pub fn with_attempt(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt = timeout.into();
        self
    }

    /// Limits the whole call, retries and backoff included.
    pub fn with_operation(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation = timeout.into();
        self
    }

    /// The response-header timeout.
    pub fn response_headers(&self) -> Option<Duration> {
        self.response_headers
    }

    /// The stalled-stream grace period (`None`: protection off).
    pub fn stalled_stream_grace(&self) -> Option<Duration> {
        self.stall_grace
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The operation timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}

/// Which servers the default HTTP client trusts: the webpki (Mozilla) root certificates unless
/// turned off, plus any root certificates added (a private CA, a test server's certificate).
#[derive(Clone, PartialEq, Eq)]
pub struct TlsConfig {
    webpki_roots: bool,
    roots: Vec<Vec<u8>>,
}

impl Default for TlsConfig {
    /// The webpki roots, nothing added.
    fn default() -> Self {
        TlsConfig {
            webpki_roots: true,
            roots: Vec::new(),
        }
    }
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("webpki_roots", &self.webpki_roots)
            .field("root_certificates", &self.roots.len())
            .finish()
    }
}

impl TlsConfig {
    /// Also trusts this root certificate (DER).
    pub fn with_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.roots.push(der.into());
        self
    }

    /// Also trusts every certificate of a PEM bundle (`-----BEGIN CERTIFICATE-----` blocks;
    /// other blocks are skipped). Fails on malformed PEM or a bundle with no certificate.
    pub fn with_root_certificates_pem(mut self, pem: &[u8]) -> Result<Self, ConfigError> {
        let ders = crate::pem::certificates(pem).map_err(ConfigError::Invalid)?;
        if ders.is_empty() {
            return Err(ConfigError::Invalid(
                "the PEM bundle holds no CERTIFICATE block".to_owned(),
            ));
        }
        self.roots.extend(ders);
        Ok(self)
    }

    /// Whether the webpki (Mozilla) roots are trusted (default true); with `false` only the
    /// added roots are.
    pub fn with_webpki_roots(mut self, on: bool) -> Self {
        self.webpki_roots = on;
        self
    }

    /// Whether the webpki roots are trusted.
    pub fn webpki_roots(&self) -> bool {
        self.webpki_roots
    }

    /// The added root certificates (DER).
    pub fn root_certificates(&self) -> &[Vec<u8>] {
        &self.roots
    }
}

/// Whether calls go to account-based endpoints (`https://<account id>.ddb.<region>...`) where
/// the service's rule set has them (`AWS::Auth::AccountIdEndpointMode`), using the account id
/// of the credentials ([`Credentials::account_id`](crate::auth::Credentials::account_id)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountIdEndpointMode {
    /// Account-based endpoints when the credentials carry an account id (the default, as in
    /// the AWS SDKs).
    #[default]
    Preferred,
    /// Never account-based endpoints.
    Disabled,
    /// Account-based endpoints only: a call whose credentials carry no account id fails.
    Required,
}

impl AccountIdEndpointMode {
    /// `preferred`, `disabled` or `required`: the rule set's value.
    pub fn as_str(&self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

impl std::str::FromStr for AccountIdEndpointMode {
    type Err = String;

    /// `preferred`, `disabled` or `required`, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(format!(
                "the account id endpoint mode must be preferred, disabled or required, not `{s}`"
            )),
        }
    }
}

/// The configuration of a client. Build one with [`Config::builder`], or load it with
/// [`Config::from_env`]; clients copy it, so one config can serve many clients.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http_client: Option<Arc<dyn HttpClient>>,
    pub(crate) env: Option<Env>,
    pub(crate) max_response_body: Option<usize>,
    pub(crate) tls: TlsConfig,
    pub(crate) interceptors: Vec<Arc<dyn super::Interceptor>>,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size: Option<usize>,
    pub(crate) account_id_endpoint_mode: AccountIdEndpointMode,
    pub(crate) idempotency_tokens: Option<IdempotencyTokenFn>,
    pub(crate) endpoint_params: crate::endpoint::Params,
}

/// Request bodies smaller than this are sent uncompressed by operations with
/// `@requestCompression` (the AWS SDKs' default, 10 KiB).
pub const DEFAULT_REQUEST_MIN_COMPRESSION_SIZE: usize = 10_240;

/// Makes the values of `@idempotencyToken` members a call leaves unset (see
/// [`ConfigBuilder::idempotency_token_provider`]).
pub type IdempotencyTokenFn = Arc<dyn Fn() -> String + Send + Sync>;

/// The largest response body the default HTTP client reads unless told otherwise: 64 MiB, four
/// times the largest awsJson response AWS documents (DynamoDB's 16 MB `BatchGetItem`), so that
/// a misbehaving or hostile server cannot make a client buffer without bound.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Providers print themselves with secrets redacted.
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("http_client", &self.http_client)
            .field("max_response_body", &self.max_response_body())
            .field("tls", &self.tls)
            .field("interceptors", &self.interceptors.len())
            .field(
                "disable_request_compression",
                &self.disable_request_compression,
            )
            .field(
                "request_min_compression_size",
                &self.request_min_compression_size(),
            )
            .field("account_id_endpoint_mode", &self.account_id_endpoint_mode)
            .field("endpoint_params", &self.endpoint_params)
            .field(
                "idempotency_tokens",
                &self.idempotency_tokens.as_ref().map(|_| "custom"),
            )
            .finish_non_exhaustive()
    }
}

impl Config {
    /// An empty builder: nothing is read from the environment unless
    /// [`ConfigBuilder::load_env`] is called.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A value for an `@idempotencyToken` member the caller left unset: a random UUID v4,
    /// or what the configured provider makes. Generated clients call it once per call,
    /// before the first attempt; retries resend the same request, so the same token.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_tokens {
            Some(make) => make(),
            None => super::uuid_v4(),
        }
    }

    /// Loads the configuration the way the AWS CLI does: region from `AWS_REGION`,
    /// `AWS_DEFAULT_REGION` or the profile; credentials from `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, the shared credentials and config files
    /// (`AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`), web identity, the
    /// container endpoint or IMDS ([`DefaultCredentialsChain`]); attempts from
    /// `AWS_MAX_ATTEMPTS` or the profile; endpoint overrides from `AWS_ENDPOINT_URL_<SERVICE>`
    /// and `AWS_ENDPOINT_URL`; `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT`.
    pub fn from_env() -> Result<Config, ConfigError> {
        Ok(Config::builder().load_env()?.build())
    }

    /// A builder holding this configuration, to change some of it.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            config: self.clone(),
            retry_set: true,
            account_mode_set: true,
        }
    }

    /// The region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint URL set explicitly or by `AWS_ENDPOINT_URL` (not the per-service variable,
    /// which the client reads when it is created).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack (IPv4 and IPv6) endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The largest response body the default HTTP client reads, in bytes
    /// ([`DEFAULT_MAX_RESPONSE_BODY`] unless set); a larger one fails the call (not retried).
    pub fn max_response_body(&self) -> usize {
        self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY)
    }

    /// The root certificates the default HTTP client trusts.
    pub fn tls(&self) -> &TlsConfig {
        &self.tls
    }

    /// Whether request compression (`@requestCompression`) is turned off.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression
    }

    /// The smallest request body that operations with `@requestCompression` compress.
    pub fn request_min_compression_size(&self) -> usize {
        self.request_min_compression_size
            .unwrap_or(DEFAULT_REQUEST_MIN_COMPRESSION_SIZE)
    }

    /// Whether account-based endpoints are used ([`AccountIdEndpointMode::Preferred`] unless
    /// set).
    pub fn account_id_endpoint_mode(&self) -> AccountIdEndpointMode {
        self.account_id_endpoint_mode
    }

    /// The environment the configuration was loaded from, if it was.
    pub fn env(&self) -> Option<&Env> {
        self.env.as_ref()
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    config: Config,
    retry_set: bool,
    account_mode_set: bool,
}

impl ConfigBuilder {
    /// Sets the region (`us-east-1`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets the credentials: fixed [`Credentials`](crate::auth::credentials::Credentials) or any
    /// provider.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// Sets a shared credentials provider.
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.config.credentials = Some(provider);
        self
    }

    /// Sends requests to this URL instead of the region's endpoint (a local test server,
    /// a VPC endpoint, …).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, on: bool) -> Self {
        self.config.use_fips = on;
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.config.use_dual_stack = on;
        self
    }

    /// Sets a parameter of the service's endpoint rules that the client's settings above do
    /// not cover: a client context parameter such as S3's `ForcePathStyle`, `Accelerate` or
    /// `UseArnRegion` (the names are the rule set's; a name the rules do not have is ignored).
    /// A call's own parameters (a bucket) still win.
    ///
    /// ```
    /// let config = smithgen_runtime::client::Config::builder()
    ///     .region("us-west-2")
    ///     .endpoint_param("ForcePathStyle", true)
    ///     .build();
    /// # let _ = config;
    /// ```
    pub fn endpoint_param(
        mut self,
        name: impl Into<std::borrow::Cow<'static, str>>,
        value: impl Into<crate::endpoint::Value>,
    ) -> Self {
        self.config.endpoint_params.set(name, value);
        self
    }

    /// Sets whether account-based endpoints are used (see [`AccountIdEndpointMode`]).
    pub fn account_id_endpoint_mode(mut self, mode: AccountIdEndpointMode) -> Self {
        self.config.account_id_endpoint_mode = mode;
        self.account_mode_set = true;
        self
    }

    /// Sets the retry policy.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self.retry_set = true;
        self
    }

    /// Adds an interceptor, run on every attempt after those added before it.
    pub fn interceptor(mut self, interceptor: impl super::Interceptor + 'static) -> Self {
        self.config.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Replaces the source of `@idempotencyToken` values (random UUID v4s by default), for
    /// tests that need predictable tokens.
    pub fn idempotency_token_provider(
        mut self,
        make: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.config.idempotency_tokens = Some(Arc::new(make));
        self
    }

    /// Sets the retry mode: [`RetryMode::Standard`] (the default) or [`RetryMode::Adaptive`]
    /// (client-side rate limiting after throttling responses).
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.config.retry = self.config.retry.with_retry_mode(mode);
        self
    }

    /// Sets the number of attempts of the standard policy (1 disables retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.retry = self.config.retry.with_max_attempts(attempts);
        self.retry_set = true;
        self
    }

    /// Sets every timeout.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.config.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout (used by the default HTTP client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_connect(timeout);
        self
    }

    /// Sets the limit on waiting for a response's headers (default
    /// [`DEFAULT_RESPONSE_HEADER_TIMEOUT`]; `None` removes it).
    pub fn response_header_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.config.timeouts = self.config.timeouts.with_response_headers(timeout);
        self
    }

    /// Sets the grace period of stalled-stream protection (default [`DEFAULT_STALL_GRACE`]);
    /// `None` turns the protection off.
    pub fn stalled_stream_grace(mut self, grace: impl Into<Option<Duration>>) -> Self {
        self.config.timeouts = self.config.timeouts.with_stalled_stream_grace(grace);
        self
    }

    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_attempt(timeout);
        self
    }

    /// Sets the whole-operation timeout.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeouts = self.config.timeouts.with_operation(timeout);
        self
    }

    /// Sets the largest response body the default HTTP client reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`]). A response announcing or sending more fails the call
    /// with a [`SdkError::Dispatch`](super::SdkError) that is not retried. An HTTP client set
    /// with [`http_client`](Self::http_client) applies its own limits.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.config.max_response_body = Some(bytes);
        self
    }

    /// Sets the root certificates the default HTTP client trusts (see [`TlsConfig`]). An HTTP
    /// client set with [`http_client`](Self::http_client) applies its own.
    pub fn tls_config(mut self, tls: TlsConfig) -> Self {
        self.config.tls = tls;
        self
    }

    /// Makes the default HTTP client also trust this root certificate (DER).
    pub fn tls_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.config.tls = self.config.tls.with_root_certificate(der);
        self
    }

    /// Sends requests through this HTTP client instead of the default one.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.config.http_client = Some(Arc::new(client));
        self
    }

    /// Sets a shared HTTP client.
    pub fn shared_http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.config.http_client = Some(client);
        self
    }

    /// The environment [`load_env`](Self::load_env) reads (the process's by default); tests
    /// pass a fixed one.
    pub fn env(mut self, env: Env) -> Self {
        self.config.env = Some(env);
        self
    }

    /// Turns off compressing request bodies of operations with `@requestCompression`
    /// (`AWS_DISABLE_REQUEST_COMPRESSION`). Compression needs this crate's
    /// `request-compression` feature; without it bodies always go uncompressed.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config.disable_request_compression = disable;
        self
    }

    /// Sets the smallest request body that is compressed, 0 to 10 MiB
    /// (`AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`; default 10 240 bytes).
    pub fn request_min_compression_size(mut self, bytes: usize) -> Self {
        self.config.request_min_compression_size = Some(bytes.min(10_485_760));
        self
    }

    /// Fills in what is not set yet from the environment and the shared config files (see
    /// [`Config::from_env`]). Fails, saying what was looked at, when no region is found, when
    /// a setting is malformed, or when no credentials are found and nothing is left to ask at
    /// the first call (web identity, the container endpoint, a profile's role or
    /// `credential_process`, and IMDS unless `AWS_EC2_METADATA_DISABLED=true`).
    pub fn load_env(mut self) -> Result<Self, ConfigError> {
        let env = self.config.env.get_or_insert_with(Env::real).clone();
        if self.config.region.is_none() {
            self.config.region = Some(region::require_region(&env).map_err(ConfigError::Region)?);
        }
        if self.config.credentials.is_none() {
            let chain = DefaultCredentialsChain::new(env.clone());
            // Resolve once now, so that a missing credential is reported here, with what was
            // looked at, rather than at the first call.
            match chain.load_credentials() {
                Ok(_) => {}
                // A profile's credential_process, role (STS) or SSO role is asked at the first call.
                Err(_)
                    if ProfileCredentials::new(env.clone())
                        .credential_process()
                        .is_ok_and(|c| c.is_some())
                        || ProfileCredentials::new(env.clone())
                            .role_profile()
                            .is_ok_and(|r| r.is_some())
                        || ProfileCredentials::new(env.clone())
                            .sso_settings()
                            .is_ok_and(|s| s.is_some()) => {}
                // So are web identity, the container endpoint and IMDS, which cannot be known
                // without asking it: only with AWS_EC2_METADATA_DISABLED=true does a missing
                // credential fail here.
                Err(e)
                    if e.is_not_found()
                        && (ContainerCredentials::is_configured(&env)
                            || (env.non_empty_var("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
                                && env.non_empty_var("AWS_ROLE_ARN").is_some())
                            || !ImdsCredentials::is_disabled(&env)) => {}
                Err(e) => return Err(ConfigError::Credentials(e)),
            }
            self.config.credentials = Some(Arc::new(chain));
        }
        if !self.retry_set {
            if let Some(attempts) =
                region::max_attempts(&env).map_err(|e| ConfigError::Invalid(e.to_string()))?
            {
                self.config.retry = self.config.retry.with_max_attempts(attempts);
            }
        }
        if self.config.endpoint_url.is_none() {
            self.config.endpoint_url = env.non_empty_var("AWS_ENDPOINT_URL");
        }
        if self.config.request_min_compression_size.is_none() {
            if let Some(v) = env.non_empty_var("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
                match v.trim().parse::<usize>() {
                    Ok(n) if n <= 10_485_760 => self.config.request_min_compression_size = Some(n),
                    _ => {
                        return Err(ConfigError::Invalid(format!(
                            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be a number of bytes \
                             from 0 to 10485760, not `{v}`"
                        )))
                    }
                }
            }
        }
        if !self.account_mode_set {
            let from_profile = || {
                crate::auth::SharedConfig::load_config(&env)
                    .ok()
                    .and_then(|shared| {
                        shared
                            .config_setting("account_id_endpoint_mode")
                            .map(|s| s.value.to_owned())
                            .filter(|v| !v.is_empty())
                    })
            };
            if let Some(mode) = env
                .non_empty_var("AWS_ACCOUNT_ID_ENDPOINT_MODE")
                .or_else(from_profile)
            {
                self.config.account_id_endpoint_mode =
                    mode.trim().parse().map_err(ConfigError::Invalid)?;
            }
        }
        for (var, flag) in [
            (
                "AWS_DISABLE_REQUEST_COMPRESSION",
                &mut self.config.disable_request_compression,
            ),
            ("AWS_USE_FIPS_ENDPOINT", &mut self.config.use_fips),
            (
                "AWS_USE_DUALSTACK_ENDPOINT",
                &mut self.config.use_dual_stack,
            ),
        ] {
            match env.non_empty_var(var).as_deref() {
                None => {}
                Some(v) if v.eq_ignore_ascii_case("true") => *flag = true,
                Some(v) if v.eq_ignore_ascii_case("false") => *flag = false,
                Some(v) => {
                    return Err(ConfigError::Invalid(format!(
                        "{var} must be `true` or `false`, not `{v}`"
                    )))
                }
            }
        }
        Ok(self)
    }

    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was found.
    Region(RegionError),
    /// No credentials were found, or they were incomplete.
    Credentials(CredentialsError),
    /// A setting is malformed.
    Invalid(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Region(e) => e.fmt(f),
            ConfigError::Credentials(e) => e.fmt(f),
            ConfigError::Invalid(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Region(e) => Some(e),
            ConfigError::Credentials(e) => Some(e),
            ConfigError::Invalid(_) => None,
        }
    }
}
