//! The client machinery every generated service client shares: configuration, endpoint
//! resolution, SigV4 signing, retries with backoff, timeouts, tracing and the HTTP layer.
//!
//! A generated `Client` is a thin typed front over a [`ClientHandle`]: its fluent builders
//! build the operation's input and call [`ClientHandle::invoke`], which serializes it, sends it
//! (signing each attempt, retrying what the policy allows) and parses the output or error.
//! Only serializing and parsing are generic over the operation; the rest is compiled once.

pub mod config;
pub mod customize;
pub mod error;
pub mod http;
#[cfg(feature = "https")]
pub mod hyper_client;
pub mod interceptor;
pub mod paginator;
pub mod presign;
pub mod retry;
pub mod stub;
pub mod waiter;

pub use config::{
    AccountIdEndpointMode, Config, ConfigBuilder, ConfigError, IdempotencyTokenFn, TimeoutConfig,
    TlsConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY, DEFAULT_RESPONSE_HEADER_TIMEOUT,
    DEFAULT_STALL_GRACE,
};
pub use customize::CallOptions;
pub use error::{
    ConstructionError, ResponseFailure, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
pub use http::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
};
pub use interceptor::Interceptor;
pub use paginator::{Items, PageToken, Paginated, PaginatedItems, PaginationError, Paginator};
pub use presign::{PresignedRequest, PresigningConfig, PresigningConfigError};
pub use retry::{RetryConfig, RetryMode};
pub use stub::Stubber;
pub use waiter::{AcceptorState, Waited, WaiterError};

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::SystemTime;

use tracing::Instrument;

use crate::auth::credentials::{CachingProvider, Credentials};
use crate::auth::sigv4;
use crate::endpoint::{Params, RuleSet};
use crate::protocol::aws_json::{ErrorMeta, ResponseError};
use crate::protocol::WireOperation;
use crate::{BuildError, ByteStream};

/// What a generated client knows about its service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The service's `sdkId` (`Lightsail`); `AWS_ENDPOINT_URL_<SDK ID>` overrides its endpoint.
    pub sdk_id: &'static str,
    /// The SigV4 signing name (`lightsail`).
    pub signing_name: &'static str,
    /// The endpoint prefix (`lightsail`), for `https://<prefix>.<region>.amazonaws.com` when the
    /// model has no endpoint rule set.
    pub endpoint_prefix: &'static str,
    /// The model's `smithy.rules#endpointRuleSet`, as JSON.
    pub endpoint_rules: Option<&'static str>,
    /// The generated crate's name and version, for the `User-Agent` header.
    pub crate_name: &'static str,
    /// The generated crate's version.
    pub crate_version: &'static str,
    /// The parsed rule set, once a client needed it: parsed once per process, not per client.
    /// Generated code sets it to `OnceLock::new()`.
    #[doc(hidden)]
    pub rule_set_cache: std::sync::OnceLock<Result<RuleSet, String>>,
}

impl ServiceInfo {
    /// The service's endpoint rule set (`None` when the model has none), parsed on first use
    /// and kept for the rest of the process; an error says why the model's rule set does not
    /// parse.
    pub fn endpoint_rule_set(&self) -> Result<Option<&RuleSet>, String> {
        let Some(json) = self.endpoint_rules else {
            return Ok(None);
        };
        self.rule_set_cache
            .get_or_init(|| {
                RuleSet::from_json(json)
                    .map_err(|e| format!("the service's endpoint rule set is invalid: {e}"))
            })
            .as_ref()
            .map(Some)
            .map_err(Clone::clone)
    }

    /// The name of the environment variable that overrides this service's endpoint:
    /// `AWS_ENDPOINT_URL_` and the sdkId, upper case, spaces and dashes as underscores.
    pub fn endpoint_env_var(&self) -> String {
        let mut name = String::from("AWS_ENDPOINT_URL_");
        for c in self.sdk_id.chars() {
            name.push(match c {
                ' ' | '-' => '_',
                c => c.to_ascii_uppercase(),
            });
        }
        name
    }
}

/// The endpoint a client sends to, with how to sign for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The base URL (`https://lightsail.us-east-1.amazonaws.com`), no trailing slash.
    pub url: String,
    /// The `Host` header value (the URL's authority).
    pub host: String,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The SigV4 signing region (empty when no region is configured: calls then fail).
    pub signing_region: String,
    /// Extra headers the endpoint requires.
    pub headers: Vec<(String, String)>,
}

/// Resolves the endpoint of `service` for `config`: `endpoint_url` (the config's, else
/// `AWS_ENDPOINT_URL_<SDK ID>`, else `AWS_ENDPOINT_URL`) feeds `SDK::Endpoint`; the region,
/// FIPS and dual-stack settings feed their built-ins; the model's rule set decides.
pub fn resolve_endpoint(
    service: &ServiceInfo,
    config: &Config,
    rules: Option<&RuleSet>,
) -> Result<ResolvedEndpoint, String> {
    resolve_call_endpoint(service, config, rules, &CallEndpoint::default())
}

/// What one call adds to the client's endpoint settings: a per-call endpoint URL
/// ([`CallOptions::endpoint_url`]), the account id of the call's credentials
/// (`AWS::Auth::AccountId`) and the operation's own parameters
/// ([`Operation::endpoint_params`](crate::Operation::endpoint_params)).
#[derive(Clone, Debug, Default)]
pub struct CallEndpoint<'a> {
    /// Overrides the endpoint URL (`SDK::Endpoint`).
    pub endpoint_url: Option<&'a str>,
    /// The credentials' account id.
    pub account_id: Option<&'a str>,
    /// The operation's parameters; those the rule set does not declare are ignored.
    pub params: Params,
}

/// [`resolve_endpoint`] for one call: the client's settings, then what `call` adds (the
/// operation's parameters win over built-ins of the same name, as Smithy's precedence says).
pub fn resolve_call_endpoint(
    service: &ServiceInfo,
    config: &Config,
    rules: Option<&RuleSet>,
    call: &CallEndpoint<'_>,
) -> Result<ResolvedEndpoint, String> {
    let endpoint_url = match call.endpoint_url {
        Some(url) => Some(url.to_owned()),
        None => config
            .env
            .as_ref()
            .and_then(|env| env.non_empty_var(&service.endpoint_env_var()))
            .or_else(|| config.endpoint_url.clone()),
    };
    let region = config.region.clone();
    let Some(rules) = rules else {
        let region = region.ok_or("no region is configured")?;
        let url = endpoint_url.unwrap_or_else(|| {
            format!("https://{}.{region}.amazonaws.com", service.endpoint_prefix)
        });
        return endpoint_from_url(&url, service.signing_name, &region, Vec::new());
    };
    let mut params = Params::new();
    for p in rules.parameters() {
        let name = p.name().to_owned();
        match p.built_in() {
            Some("AWS::Region") => {
                if let Some(r) = &region {
                    params.set(name, r.as_str());
                }
            }
            Some("AWS::UseFIPS") => {
                params.set(name, config.use_fips);
            }
            Some("AWS::UseDualStack") => {
                params.set(name, config.use_dual_stack);
            }
            Some("SDK::Endpoint") => {
                if let Some(url) = &endpoint_url {
                    params.set(name, url.as_str());
                }
            }
            Some("AWS::Auth::AccountIdEndpointMode") => {
                params.set(name, config.account_id_endpoint_mode().as_str());
            }
            Some("AWS::Auth::AccountId") => {
                if let Some(id) = call.account_id {
                    params.set(name, id);
                }
            }
            _ => {}
        }
    }
    // The config's own parameters (S3's `ForcePathStyle`, ...), then the call's.
    for (name, value) in config.endpoint_params.iter().chain(call.params.iter()) {
        if rules.parameters().iter().any(|p| p.name() == name) {
            params.set(name.to_owned(), value.clone());
        }
    }
    let endpoint = rules.resolve(&params).map_err(|e| e.to_string())?;
    let mut signing_name = service.signing_name.to_owned();
    let mut signing_region = region.clone().unwrap_or_default();
    let schemes = endpoint
        .property("authSchemes")
        .and_then(|d| d.as_array())
        .unwrap_or_default();
    for scheme in schemes {
        let Some(obj) = scheme.as_object() else {
            continue;
        };
        if obj.get("name").and_then(|n| n.as_str()) != Some("sigv4") {
            continue;
        }
        if let Some(n) = obj.get("signingName").and_then(|n| n.as_str()) {
            signing_name = n.to_owned();
        }
        if let Some(r) = obj.get("signingRegion").and_then(|n| n.as_str()) {
            signing_region = r.to_owned();
        }
        break;
    }
    let headers = endpoint
        .headers
        .iter()
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
        .collect();
    endpoint_from_url(&endpoint.url, &signing_name, &signing_region, headers)
}

fn endpoint_from_url(
    url: &str,
    signing_name: &str,
    signing_region: &str,
    headers: Vec<(String, String)>,
) -> Result<ResolvedEndpoint, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("endpoint URL `{url}` is not http:// or https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(format!("endpoint URL `{url}` has no host"));
    }
    Ok(ResolvedEndpoint {
        url: url.trim_end_matches('/').to_owned(),
        host: authority.to_owned(),
        signing_name: signing_name.to_owned(),
        signing_region: signing_region.to_owned(),
        headers,
    })
}

/// The result of a successful call: the operation's output (reachable through `Deref`) and
/// what the response said about the call.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    output: T,
    request_id: Option<String>,
    status: u16,
    attempts: u32,
}

impl<T> Response<T> {
    /// Wraps an output (what the [`Stubber`] and tests build).
    pub fn new(output: T, request_id: Option<String>, status: u16, attempts: u32) -> Self {
        Response {
            output,
            request_id,
            status,
            attempts,
        }
    }

    /// The output.
    pub fn into_inner(self) -> T {
        self.output
    }

    /// The output.
    pub fn output(&self) -> &T {
        &self.output
    }

    /// `x-amzn-RequestId`: quote it when asking AWS support about a call.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// How many attempts the call took.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.output
    }
}

impl<T> std::ops::DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.output
    }
}

/// The shared state of a generated client: its configuration, resolved endpoint, HTTP client,
/// cached credentials and retry quota. Cloning a client clones an `Arc` of it.
#[derive(Debug)]
pub struct ClientHandle {
    config: Config,
    service: &'static ServiceInfo,
    endpoint: Result<ResolvedEndpoint, String>,
    http: Result<Arc<dyn HttpClient>, String>,
    /// The configured provider behind the cache every call goes through.
    credentials: Option<CachingProvider>,
    /// The SigV4 signing key of the last signature, reused while its day, region, service
    /// and secret stay the same.
    signing_key: sigv4::SigningKeyCache,
    /// The `User-Agent` header's value.
    user_agent: String,
    quota: retry::RetryQuota,
    /// The adaptive mode's rate limiter and the origin of its clock.
    rate_limiter: std::sync::Mutex<retry::ClientRateLimiter>,
    started: std::time::Instant,
}

const NO_REGION: &str = "no region is configured: SigV4 signs for a region (set it in the Config, \
     or AWS_REGION, and use Client::from_env)";

/// What a call sends: the protocol's request, the input's `@streaming` body when it is not in
/// memory or its event stream (taken by the one attempt that sends it), and whether the
/// output's payload is a stream.
struct Outgoing {
    request: crate::protocol::HttpRequest,
    stream: Option<ByteStream>,
    events: Option<std::sync::Mutex<Option<crate::protocol::EventMessages>>>,
    streaming_output: bool,
    /// S3's SigV4 rules ([`WireOperation::S3_SIGNING`]).
    s3_signing: bool,
    /// Whether `stream` is `aws-chunked` with a checksum trailer.
    trailer: bool,
}

/// What a call got: the response (its body empty when streamed), the streamed body of a
/// success response whose output's payload is a stream, and the number of attempts.
type Exchanged = (HttpResponse, Option<ByteStream>, u32);

/// Why no response reached the parser.
enum DispatchFailure {
    Construction(ConstructionError),
    Timeout(TimeoutError),
    Connector(ConnectorError),
}

impl ClientHandle {
    /// A client for `service` with `config`. Never fails: a configuration that cannot work
    /// (no region, an endpoint rule that ends in an error) fails each call with a
    /// [`SdkError::Construction`] saying why.
    pub fn new(service: &'static ServiceInfo, config: Config) -> ClientHandle {
        let endpoint = service
            .endpoint_rule_set()
            .and_then(|rules| resolve_endpoint(service, &config, rules))
            .map_err(|e| format!("cannot resolve the endpoint: {e}"));
        let http = match &config.http_client {
            Some(http) => Ok(http.clone()),
            None => default_http_client(&config),
        };
        let credentials = config.credentials.clone().map(CachingProvider::new);
        ClientHandle {
            config,
            service,
            endpoint,
            http,
            credentials,
            signing_key: sigv4::SigningKeyCache::default(),
            user_agent: format!(
                "smithgen/{} {}/{}",
                env!("CARGO_PKG_VERSION"),
                service.crate_name,
                service.crate_version
            ),
            quota: retry::RetryQuota::default(),
            rate_limiter: std::sync::Mutex::new(retry::ClientRateLimiter::new(0.0)),
            started: std::time::Instant::now(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The endpoint calls go to, or why there is none.
    pub fn endpoint(&self) -> Result<&ResolvedEndpoint, &str> {
        self.endpoint.as_ref().map_err(String::as_str)
    }

    /// Sends one call of operation `O`: serializes `input`, sends it with retries and
    /// timeouts, and parses the output or the error.
    pub async fn invoke<O>(
        &self,
        input: Result<O::Input, BuildError>,
    ) -> Result<Response<O::Output>, SdkError<O::Error>>
    where
        O: WireOperation,
    {
        self.invoke_with::<O>(input, CallOptions::default()).await
    }

    /// [`invoke`](Self::invoke) with per-call overrides (what a fluent builder's `customize`
    /// sets).
    pub async fn invoke_with<O>(
        &self,
        input: Result<O::Input, BuildError>,
        options: CallOptions,
    ) -> Result<Response<O::Output>, SdkError<O::Error>>
    where
        O: WireOperation,
    {
        let input = input.map_err(|e| {
            SdkError::Construction(ConstructionError::new(
                format!("invalid {} input", O::NAME),
                Some(Box::new(e)),
            ))
        })?;
        options.check_headers().map_err(|e| {
            SdkError::Construction(ConstructionError::new(
                format!("invalid {} call options: {e}", O::NAME),
                None,
            ))
        })?;
        // Operations with endpoint parameters of their own resolve the endpoint per call.
        let operation_params = O::HAS_ENDPOINT_PARAMS.then(|| {
            let mut params = Params::new();
            O::endpoint_params(&input, &mut params);
            params
        });
        let mut request = O::serialize_request(&input).map_err(|e| {
            SdkError::Construction(ConstructionError::new(
                format!("invalid {} input: {e}", O::NAME),
                None,
            ))
        })?;
        // A `@streaming` payload in memory is sent as any body is; a file or a stream goes
        // through the streaming path.
        let stream = O::input_stream(&input)
            .map_err(|e| {
                SdkError::Construction(ConstructionError::new(
                    format!("invalid {} input: {e}", O::NAME),
                    None,
                ))
            })?
            .and_then(|stream| match stream.bytes() {
                Some(bytes) => {
                    request.body = bytes.to_vec();
                    None
                }
                None => Some(stream),
            });
        compress_request(
            &mut request,
            <O as WireOperation>::REQUEST_COMPRESSION,
            &self.config,
        );
        if O::CHECKSUM_REQUIRED {
            content_md5(&mut request);
        }
        let mut stream = stream;
        let trailer = match O::request_checksum(&input) {
            None => false,
            Some(name) => request_checksum(&name, &mut request, &mut stream).map_err(|e| {
                SdkError::Construction(ConstructionError::new(
                    format!("invalid {} input: {e}", O::NAME),
                    None,
                ))
            })?,
        };
        let events = O::input_events(&input).map(|events| std::sync::Mutex::new(Some(events)));
        drop(input);
        request.headers.extend(options.headers().iter().cloned());
        let span = tracing::debug_span!(
            "smithgen_call",
            service = self.service.sdk_id,
            operation = O::NAME
        );
        let dispatched = self
            .dispatch(
                Outgoing {
                    request,
                    stream,
                    events,
                    streaming_output: O::STREAMING_OUTPUT,
                    s3_signing: O::S3_SIGNING,
                    trailer,
                },
                operation_params,
                &options,
                <O as WireOperation>::AUTH,
            )
            .instrument(span)
            .await;
        let (response, streamed, attempts) = match dispatched {
            Ok(done) => done,
            Err(DispatchFailure::Construction(e)) => return Err(SdkError::Construction(e)),
            Err(DispatchFailure::Timeout(e)) => return Err(SdkError::Timeout(e)),
            Err(DispatchFailure::Connector(e)) => return Err(SdkError::Dispatch(e)),
        };
        // The protocol's own parser decides output or error; the client adds what the
        // response said about the call.
        let request_id = response.header("x-amzn-requestid").map(str::to_owned);
        let status = response.status;
        // A success's body is checked against the checksum the response declares (a streamed
        // one as it is read).
        let mut streamed = streamed;
        if !O::RESPONSE_CHECKSUMS.is_empty() && (200..300).contains(&status) {
            if let Err(error) = response_checksum(O::RESPONSE_CHECKSUMS, &response, &mut streamed) {
                return Err(SdkError::Response(ResponseFailure {
                    error,
                    status,
                    request_id,
                    attempts,
                }));
            }
        }
        match O::parse_response(status, &response.headers, &response.body) {
            Ok(mut output) => {
                if let Some(body) = streamed {
                    O::attach_stream(&mut output, body);
                    if let Err(error) = O::initial_response(&mut output).await {
                        return Err(SdkError::Response(ResponseFailure {
                            error,
                            status,
                            request_id,
                            attempts,
                        }));
                    }
                }
                Ok(Response::new(output, request_id, status, attempts))
            }
            Err(ResponseError::Deserialize(error)) => Err(SdkError::Response(ResponseFailure {
                error,
                status,
                request_id,
                attempts,
            })),
            Err(ResponseError::Service(error)) => Err(SdkError::Service(ServiceError {
                error,
                status,
                request_id,
                extended_request_id: response.header("x-amz-id-2").map(str::to_owned),
                attempts,
            })),
        }
    }

    /// The endpoint of one call: resolved for it (`per_call`: the operation binds endpoint
    /// parameters, the call overrides the URL, or the credentials' account id matters), else
    /// the client's.
    fn call_endpoint(
        &self,
        per_call: bool,
        operation_params: Option<Params>,
        options: &CallOptions,
        account_id: Option<&str>,
    ) -> Result<std::borrow::Cow<'_, ResolvedEndpoint>, String> {
        if !per_call {
            return self
                .endpoint
                .as_ref()
                .map(std::borrow::Cow::Borrowed)
                .map_err(Clone::clone);
        }
        let call = CallEndpoint {
            endpoint_url: options.endpoint_url_override(),
            account_id,
            params: operation_params.unwrap_or_default(),
        };
        self.service
            .endpoint_rule_set()
            .and_then(|rules| resolve_call_endpoint(self.service, &self.config, rules, &call))
            .map(std::borrow::Cow::Owned)
            .map_err(|e| format!("cannot resolve the endpoint: {e}"))
    }

    /// Whether the rule set takes `AWS::Auth::AccountId`: the endpoint of a call whose
    /// credentials carry an account id then differs from the client's.
    fn uses_account_id(&self) -> bool {
        matches!(self.service.endpoint_rule_set(), Ok(Some(rules))
            if rules.parameters().iter().any(|p| p.built_in() == Some("AWS::Auth::AccountId")))
    }

    /// Sends a serialized request: endpoint, credentials, then attempts within the operation
    /// timeout. Not generic, so compiled once for every operation.
    async fn dispatch(
        &self,
        outgoing: Outgoing,
        operation_params: Option<Params>,
        options: &CallOptions,
        auth: crate::protocol::Auth,
    ) -> Result<Exchanged, DispatchFailure> {
        let construction =
            |e: String| DispatchFailure::Construction(ConstructionError::new(e, None));
        // A service without SigV4 (no signing name), and an `@auth([])` operation, take
        // anonymous requests: no region or credentials needed.
        let signed =
            !self.service.signing_name.is_empty() && auth != crate::protocol::Auth::Anonymous;
        let per_call = operation_params.is_some() || options.endpoint_url_override().is_some();
        // With account-based endpoints the client's endpoint (resolved without an account id)
        // may be an error that the call's credentials resolve (`AccountIdEndpointMode` required).
        let account_based = self.uses_account_id();
        if !per_call && !account_based {
            // The client's endpoint: a configuration that cannot work fails before credentials
            // are loaded.
            let endpoint = self
                .endpoint
                .as_ref()
                .map_err(|e| construction(e.clone()))?;
            if signed && endpoint.signing_region.is_empty() {
                return Err(construction(NO_REGION.to_owned()));
            }
        }
        let http = self.http.as_ref().map_err(|e| construction(e.clone()))?;
        let credentials = match (signed, auth) {
            (false, _) => None,
            // `@optionalAuth`: signed when there are credentials, anonymous otherwise.
            (true, crate::protocol::Auth::Optional) => self.credentials().await.ok(),
            (true, _) => Some(self.credentials().await?),
        };
        let account_id = credentials.as_ref().and_then(|c| c.account_id());
        let endpoint = self
            .call_endpoint(
                per_call || (account_based && account_id.is_some()),
                operation_params,
                options,
                account_id,
            )
            .map_err(construction)?;
        let endpoint = &*endpoint;
        if signed && endpoint.signing_region.is_empty() {
            return Err(construction(NO_REGION.to_owned()));
        }
        let retry = options.effective_retry(&self.config);
        let timeouts = options.effective_timeouts(&self.config);
        let attempts = AtomicU32::new(0);
        let run = self.attempts(
            &outgoing,
            endpoint,
            http.as_ref(),
            credentials.as_ref(),
            &attempts,
            &retry,
            &timeouts,
        );
        match timeouts.operation() {
            None => run.await,
            Some(limit) => match tokio::time::timeout(limit, run).await {
                Ok(result) => result,
                Err(_) => Err(DispatchFailure::Timeout(TimeoutError {
                    kind: TimeoutKind::Operation,
                    after: limit,
                    attempts: attempts.load(Ordering::Relaxed),
                })),
            },
        }
    }

    async fn credentials(&self) -> Result<Credentials, DispatchFailure> {
        let cache = self.credentials.as_ref().ok_or_else(|| {
            DispatchFailure::Construction(ConstructionError::new(
                "no credentials are configured: set them in the Config or use Client::from_env",
                None,
            ))
        })?;
        cache.credentials().await.map_err(|e| {
            DispatchFailure::Construction(ConstructionError::new(
                "cannot load credentials",
                Some(Box::new(e)),
            ))
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn attempts(
        &self,
        outgoing: &Outgoing,
        endpoint: &ResolvedEndpoint,
        http: &dyn HttpClient,
        credentials: Option<&Credentials>,
        attempts: &AtomicU32,
        retry: &RetryConfig,
        timeouts: &TimeoutConfig,
    ) -> Result<Exchanged, DispatchFailure> {
        let request = &outgoing.request;
        // A one-shot stream (and an event stream) cannot be sent twice: such a call gets one
        // attempt.
        let max = match &outgoing.stream {
            Some(stream) if !stream.is_replayable() => 1,
            _ if outgoing.events.is_some() => 1,
            _ => retry.max_attempts(),
        };
        let invocation_id = invocation_id();
        let mut spent = 0;
        let mut attempt = 1;
        let adaptive = retry.mode() == RetryMode::Adaptive;
        loop {
            attempts.store(attempt, Ordering::Relaxed);
            if adaptive {
                let wait = self.with_rate_limiter(|l, now| l.acquire(now));
                if !wait.is_zero() {
                    tracing::debug!(attempt, ?wait, "adaptive retry: waiting for a send token");
                    tokio::time::sleep(wait).await;
                }
            }
            let intercepted;
            let request = if self.config.interceptors.is_empty() {
                request
            } else {
                let mut copy = request.clone();
                for interceptor in &self.config.interceptors {
                    interceptor.modify_before_signing(&mut copy);
                }
                intercepted = copy;
                &intercepted
            };
            let (signed, signature) = self
                .sign(
                    request,
                    outgoing.stream.as_ref(),
                    outgoing.events.is_some(),
                    outgoing.s3_signing,
                    outgoing.trailer,
                    endpoint,
                    credentials,
                    &invocation_id,
                    attempt,
                    max,
                )
                .map_err(DispatchFailure::Construction)?;
            // An event stream's messages are signed in a chain that starts from the request's
            // signature.
            let signer = match (&outgoing.events, credentials, signature) {
                #[cfg(feature = "event-stream")]
                (Some(_), Some(credentials), Some(seed)) => {
                    Some(crate::event_stream::EventSigner::new(
                        credentials.clone(),
                        &endpoint.signing_region,
                        &endpoint.signing_name,
                        &seed,
                    ))
                }
                _ => None,
            };
            let sent = self.send(http, outgoing, signed, signer);
            let result: Result<(HttpResponse, Option<ByteStream>), DispatchFailure> =
                match timeouts.attempt() {
                    None => sent.await.map_err(DispatchFailure::Connector),
                    Some(limit) => match tokio::time::timeout(limit, sent).await {
                        Ok(r) => r.map_err(DispatchFailure::Connector),
                        Err(_) => Err(DispatchFailure::Timeout(TimeoutError {
                            kind: TimeoutKind::Attempt,
                            after: limit,
                            attempts: attempt,
                        })),
                    },
                };
            if let Ok((response, _)) = &result {
                for interceptor in &self.config.interceptors {
                    interceptor.read_after_response(response);
                }
            }
            let kind = match &result {
                Ok((response, _)) if (200..300).contains(&response.status) => None,
                Ok((response, _)) => {
                    let meta = ErrorMeta::from_response(
                        response.status,
                        &response.headers,
                        &response.body,
                    );
                    retry::classify_response(response, &meta.code)
                }
                Err(DispatchFailure::Connector(e)) => retry::classify_connector_error(e),
                Err(DispatchFailure::Timeout(_)) => Some(retry::RetryKind::Transient),
                Err(DispatchFailure::Construction(_)) => None,
            };
            let status = result.as_ref().ok().map(|(r, _)| r.status);
            if adaptive && !matches!(result, Err(DispatchFailure::Construction(_))) {
                let throttled = kind == Some(retry::RetryKind::Throttling);
                self.with_rate_limiter(|l, now| l.update(throttled, now));
            }
            match kind {
                Some(kind) if attempt < max => match self.quota.acquire(kind) {
                    Some(cost) => {
                        spent += cost;
                        let wait = retry.backoff(attempt, retry::jitter());
                        tracing::debug!(attempt, ?kind, ?status, ?wait, "retrying");
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    None => {
                        tracing::debug!(attempt, ?kind, "retry quota exhausted; not retrying");
                    }
                },
                _ => {}
            }
            if let Ok((response, _)) = &result {
                if (200..300).contains(&response.status) {
                    self.quota.release(spent);
                }
                tracing::debug!(attempt, status = response.status, "response");
            }
            return result.map(|(response, streamed)| (response, streamed, attempt));
        }
    }

    /// Runs `f` on the rate limiter with the current time in seconds since the client was
    /// made (a poisoned lock is taken over: the limiter holds only numbers).
    fn with_rate_limiter<T>(&self, f: impl FnOnce(&mut retry::ClientRateLimiter, f64) -> T) -> T {
        let now = self.started.elapsed().as_secs_f64();
        let mut limiter = self
            .rate_limiter
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut limiter, now)
    }

    /// Sends one attempt: buffered both ways for ordinary operations; for `@streaming`
    /// payloads through [`HttpClient::send_streaming`], the success body of a streaming output
    /// left unread (and no size limit applied to it), any other body read here (so that a
    /// broken one is retried).
    fn send<'a>(
        &'a self,
        http: &'a dyn HttpClient,
        outgoing: &Outgoing,
        signed: HttpRequest,
        #[cfg(feature = "event-stream")] signer: Option<crate::event_stream::EventSigner>,
        #[cfg(not(feature = "event-stream"))] signer: Option<std::convert::Infallible>,
    ) -> http::BoxFuture<'a, Result<(HttpResponse, Option<ByteStream>), ConnectorError>> {
        if outgoing.stream.is_none() && outgoing.events.is_none() && !outgoing.streaming_output {
            return Box::pin(async move { http.send(signed).await.map(|r| (r, None)) });
        }
        let events = outgoing.events.as_ref().map(|events| {
            events
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
        });
        let body = match (&outgoing.stream, events) {
            (Some(stream), _) => stream.clone(),
            #[cfg(feature = "event-stream")]
            (None, Some(Some(events))) => crate::event_stream::signed_body(events, signer),
            (None, Some(_)) => {
                let _ = signer;
                return Box::pin(async {
                    Err(ConnectorError::new(
                        ConnectorErrorKind::Other,
                        "the event stream was already sent (or the runtime lacks its \
                         `event-stream` feature)",
                    ))
                });
            }
            (None, None) => ByteStream::from(signed.body),
        };
        let request = HttpRequest {
            method: signed.method,
            url: signed.url,
            headers: signed.headers,
            body,
        };
        let streaming_output = outgoing.streaming_output;
        let limit = self.config.max_response_body();
        Box::pin(async move {
            let response = http.send_streaming(request).await?;
            let HttpResponse {
                status,
                headers,
                body,
            } = response;
            if streaming_output && (200..300).contains(&status) {
                let response = HttpResponse {
                    status,
                    headers,
                    body: Vec::new(),
                };
                return Ok((response, Some(body)));
            }
            let body = body.collect_at_most(limit).await.map_err(|e| {
                let kind = match e.kind() {
                    std::io::ErrorKind::InvalidData => ConnectorErrorKind::Other,
                    std::io::ErrorKind::TimedOut => ConnectorErrorKind::Timeout,
                    _ => ConnectorErrorKind::Io,
                };
                ConnectorError::new(kind, "cannot read the response body").with_source(e)
            })?;
            let response = HttpResponse {
                status,
                headers,
                body: body.to_vec(),
            };
            Ok((response, None))
        })
    }

    /// The request of one attempt: URL, `Host`, endpoint headers, user agent, attempt
    /// counters, then the SigV4 headers.
    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        request: &crate::protocol::HttpRequest,
        stream: Option<&ByteStream>,
        events: bool,
        s3_signing: bool,
        trailer: bool,
        endpoint: &ResolvedEndpoint,
        credentials: Option<&Credentials>,
        invocation_id: &str,
        attempt: u32,
        max: u32,
    ) -> Result<(HttpRequest, Option<String>), ConstructionError> {
        let Target { origin, host, path } = target(request, endpoint, s3_signing);
        let mut headers = Vec::with_capacity(request.headers.len() + 8);
        headers.push(("Host".to_owned(), host));
        headers.extend(request.headers.iter().cloned());
        headers.extend(endpoint.headers.iter().cloned());
        // Sent (and signed) explicitly, as the AWS SDKs do, whatever the HTTP client would add;
        // not for an empty body (a `GET`), where HTTP sends none.
        let length = match stream {
            Some(stream) => stream.length(),
            None if events => None,
            None => Some(request.body.len() as u64),
        };
        if let Some(length) = length.filter(|n| *n > 0) {
            if crate::protocol::header(&headers, "content-length").is_none() {
                headers.push(("Content-Length".to_owned(), length.to_string()));
            }
        }
        headers.push(("amz-sdk-invocation-id".to_owned(), invocation_id.to_owned()));
        headers.push((
            "amz-sdk-request".to_owned(),
            format!("attempt={attempt}; max={max}"),
        ));
        let mut signature = None;
        if let Some(credentials) = credentials {
            let signable = sigv4::SignableRequest {
                method: request.method,
                uri: &path,
                headers: &headers,
                body: &request.body,
            };
            // A streamed body is not read twice to hash it: its hash is `UNSIGNED-PAYLOAD`,
            // said in `x-amz-content-sha256` (TLS protects it in transit).
            // An event stream's body is its messages, each signed on its own.
            // S3 signs the path as sent and wants the payload's hash on every request.
            let settings = sigv4::SigningSettings {
                unsigned_payload: stream.is_some(),
                streaming_events: events,
                streaming_trailer: trailer,
                content_sha256_header: stream.is_some() || events || s3_signing,
                normalize_path: !s3_signing,
                double_uri_encode: !s3_signing,
                ..sigv4::SigningSettings::default()
            };
            let params = sigv4::SigningParams {
                credentials,
                region: &endpoint.signing_region,
                service: &endpoint.signing_name,
                time: SystemTime::now(),
                settings,
            };
            let signed =
                sigv4::sign_with_cache(&signable, &params, &self.signing_key).map_err(|e| {
                    ConstructionError::new("cannot sign the request", Some(Box::new(e)))
                })?;
            headers.extend(signed.headers);
            signature = Some(signed.signature);
        }
        headers.push(("User-Agent".to_owned(), self.user_agent.clone()));
        let request = HttpRequest {
            method: request.method,
            url: format!("{origin}{path}"),
            headers,
            body: request.body.clone(),
        };
        Ok((request, signature))
    }
}

/// Where one request goes: the URL's scheme and authority, the `Host` header, and the path
/// and query as sent (and signed).
struct Target {
    origin: String,
    host: String,
    path: String,
}

/// The target of `request` at `endpoint` (or the request's own endpoint URL), with any host
/// prefix. `s3`: S3's rules, where a request for `/` is the endpoint's path itself.
fn target(request: &crate::protocol::HttpRequest, endpoint: &ResolvedEndpoint, s3: bool) -> Target {
    let (base_url, base_host) = match &request.endpoint_url {
        Some(url) => {
            let url = url.trim_end_matches('/');
            let authority = url
                .split_once("://")
                .map_or(url, |(_, rest)| rest.split('/').next().unwrap_or(rest));
            (url.to_owned(), authority.to_owned())
        }
        None => (endpoint.url.clone(), endpoint.host.clone()),
    };
    let (url, host) = match &request.host_prefix {
        Some(prefix) => (
            base_url.replacen("://", &format!("://{prefix}"), 1),
            format!("{prefix}{base_host}"),
        ),
        None => (base_url, base_host),
    };
    // The endpoint's own path (`https://example.com/custom`) comes before the request's,
    // in the URL and in what is signed.
    let endpoint_path = url
        .split_once("://")
        .map_or("", |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    // For S3, a request for the root (`ListObjectsV2`, once the bucket moved into a
    // path-style endpoint) is the endpoint's path itself: `/bucket`, not `/bucket/` (the
    // restXml suite's S3PathAddressing). Other services keep the `/` (`/custom/`, as their
    // suites say).
    let request_path = match request.path.strip_prefix('/') {
        Some(rest)
            if s3 && !endpoint_path.is_empty() && (rest.is_empty() || rest.starts_with('?')) =>
        {
            rest
        }
        _ => request.path.as_str(),
    };
    let path = format!("{endpoint_path}{request_path}");
    let origin = url.strip_suffix(endpoint_path).unwrap_or(&url).to_owned();
    Target { origin, host, path }
}

/// Checks a success's body against the checksum its headers declare, of one of `algorithms`:
/// in memory now, a streamed one as it is read (see [`crate::checksum`]). Without the
/// `checksums` feature nothing is checked.
fn response_checksum(
    algorithms: &[&str],
    response: &HttpResponse,
    streamed: &mut Option<ByteStream>,
) -> Result<(), crate::json::DeserializeError> {
    #[cfg(feature = "checksums")]
    {
        use crate::checksum;
        let Some((algorithm, expected)) =
            checksum::response_checksum(&response.headers, algorithms)
        else {
            return Ok(());
        };
        match streamed.take() {
            Some(body) => *streamed = Some(checksum::validated(body, algorithm, expected)),
            None => {
                let actual = algorithm.checksum(&response.body);
                if actual != expected {
                    return Err(crate::json::DeserializeError::at(
                        algorithm.header(),
                        checksum::mismatch(algorithm, &expected, &actual),
                    ));
                }
            }
        }
    }
    #[cfg(not(feature = "checksums"))]
    let _ = (algorithms, response, streamed);
    Ok(())
}

/// Adds the flexible checksum `name` to the request (see [`crate::checksum`]); whether the
/// body became `aws-chunked`. Without the `checksums` feature, an error saying so.
fn request_checksum(
    name: &str,
    request: &mut crate::protocol::HttpRequest,
    stream: &mut Option<ByteStream>,
) -> Result<bool, String> {
    #[cfg(feature = "checksums")]
    {
        let algorithm = crate::checksum::ChecksumAlgorithm::from_name(name)?;
        crate::checksum::add_request_checksum(algorithm, request, stream)
    }
    #[cfg(not(feature = "checksums"))]
    {
        let _ = (request, stream);
        Err(format!(
            "a {name} checksum needs smithgen-runtime's `checksums` feature"
        ))
    }
}

/// Compresses the body of an operation with `@requestCompression` when it is large enough
/// and compression is not turned off: gzip (the one encoding AWS models use), appended to any
/// `Content-Encoding` already set. Without the `request-compression` feature, bodies go as
/// they are (compression is an optimisation the service does not require).
fn compress_request(
    request: &mut crate::protocol::HttpRequest,
    encodings: &[&str],
    config: &Config,
) {
    let wanted = !config.disable_request_compression()
        && request.body.len() >= config.request_min_compression_size()
        && encodings.contains(&"gzip");
    #[cfg(feature = "request-compression")]
    if wanted {
        gzip_body(request);
    }
    #[cfg(not(feature = "request-compression"))]
    let _ = (wanted, request);
}

#[cfg(feature = "request-compression")]
fn gzip_body(request: &mut crate::protocol::HttpRequest) {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(request.body.len() / 2),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail; if it somehow did, the body goes uncompressed.
    if encoder.write_all(&request.body).is_err() {
        return;
    }
    let Ok(compressed) = encoder.finish() else {
        return;
    };
    request.body = compressed;
    match request
        .headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, value)) => value.push_str(", gzip"),
        None => request
            .headers
            .push(("Content-Encoding".to_owned(), "gzip".to_owned())),
    }
}

/// `Content-MD5` (base64) of the body as sent, for operations with `@httpChecksumRequired`,
/// unless a member set it. Needs the `content-md5` feature, which generated crates with such
/// an operation turn on.
fn content_md5(request: &mut crate::protocol::HttpRequest) {
    #[cfg(feature = "content-md5")]
    if crate::protocol::header(&request.headers, "content-md5").is_none() {
        use md5::Digest as _;
        let digest = md5::Md5::digest(&request.body);
        request.headers.push((
            "Content-MD5".to_owned(),
            crate::protocol::rest::base64_text(&digest),
        ));
    }
    #[cfg(not(feature = "content-md5"))]
    let _ = request;
}

#[cfg(feature = "https")]
fn default_http_client(config: &Config) -> Result<Arc<dyn HttpClient>, String> {
    hyper_client::HyperClient::with_tls(config.timeouts.connect(), &config.tls)
        .map(|c| {
            Arc::new(
                c.with_max_response_body(config.max_response_body())
                    .with_response_header_timeout(config.timeouts.response_headers())
                    .with_stalled_stream_grace(config.timeouts.stalled_stream_grace()),
            ) as Arc<dyn HttpClient>
        })
        .map_err(|e| e.to_string())
}

#[cfg(not(feature = "https"))]
fn default_http_client(_config: &Config) -> Result<Arc<dyn HttpClient>, String> {
    Err(
        "no HTTP client: smithgen-runtime was built without its `https` feature; \
         set one with ConfigBuilder::http_client"
            .to_owned(),
    )
}

/// A random version-4 UUID for `amz-sdk-invocation-id` (the same on every attempt of a call).
fn invocation_id() -> String {
    uuid_v4()
}

/// A random version-4 UUID (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`), from std's randomly
/// keyed hasher: unique, not a secret.
pub fn uuid_v4() -> String {
    let a = (retry::jitter() * (1u64 << 53) as f64) as u64;
    let b = (retry::jitter() * (1u64 << 53) as f64) as u64;
    let bytes = ((a as u128) << 75) ^ ((b as u128) << 11) ^ (a.rotate_left(29) as u128);
    let mut x = bytes.to_be_bytes();
    x[6] = (x[6] & 0x0f) | 0x40;
    x[8] = (x[8] & 0x3f) | 0x80;
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in x.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ServiceInfo;

    fn service(rules: Option<&'static str>) -> ServiceInfo {
        ServiceInfo {
            sdk_id: "Test",
            signing_name: "test",
            endpoint_prefix: "test",
            endpoint_rules: rules,
            crate_name: "test",
            crate_version: "0",
            rule_set_cache: std::sync::OnceLock::new(),
        }
    }

    #[test]
    fn rule_set_is_parsed_once_per_service() {
        let info = service(Some(
            r#"{"version":"1.0","parameters":{},"rules":[{"type":"error","conditions":[],"error":"no"}]}"#,
        ));
        let first = info.endpoint_rule_set().unwrap().unwrap() as *const _;
        let second = info.endpoint_rule_set().unwrap().unwrap() as *const _;
        assert_eq!(first, second, "the second call reuses the first parse");
        assert!(service(None).endpoint_rule_set().unwrap().is_none());
    }

    const CONTEXT_RULES: &str = r#"{"version":"1.0","parameters":{
        "Region":{"type":"String","builtIn":"AWS::Region","required":false},
        "Endpoint":{"type":"String","builtIn":"SDK::Endpoint","required":false},
        "AccountId":{"type":"String","builtIn":"AWS::Auth::AccountId","required":false},
        "Mode":{"type":"String","builtIn":"AWS::Auth::AccountIdEndpointMode","required":false},
        "Table":{"type":"String","required":false}},
      "rules":[
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":{"ref":"Endpoint"}}},
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Table"}]}],"endpoint":{"url":"https://{Table}.tables.example"}},
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"AccountId"}]},{"fn":"isSet","argv":[{"ref":"Mode"}]},{"fn":"stringEquals","argv":[{"ref":"Mode"},"preferred"]}],"endpoint":{"url":"https://{AccountId}.{Region}.example"}},
        {"type":"endpoint","conditions":[],"endpoint":{"url":"https://{Region}.example"}}]}"#;

    #[test]
    fn a_call_adds_its_endpoint_url_account_id_and_operation_parameters() {
        use super::{resolve_call_endpoint, resolve_endpoint, AccountIdEndpointMode, CallEndpoint};
        let info = service(Some(CONTEXT_RULES));
        let rules = info.endpoint_rule_set().unwrap();
        let config = super::Config::builder().region("eu-west-1").build();
        let url = |config: &super::Config, call: CallEndpoint<'_>| {
            resolve_call_endpoint(&info, config, rules, &call)
                .unwrap()
                .url
        };
        assert_eq!(
            resolve_endpoint(&info, &config, rules).unwrap().url,
            "https://eu-west-1.example"
        );
        let account = || CallEndpoint {
            account_id: Some("123456789012"),
            ..CallEndpoint::default()
        };
        assert_eq!(
            url(&config, account()),
            "https://123456789012.eu-west-1.example"
        );
        let disabled = super::Config::builder()
            .region("eu-west-1")
            .account_id_endpoint_mode(AccountIdEndpointMode::Disabled)
            .build();
        assert_eq!(url(&disabled, account()), "https://eu-west-1.example");
        let mut params = crate::endpoint::Params::new();
        params.set("Table", "orders");
        params.set("NotInTheRuleSet", "ignored");
        let table = CallEndpoint {
            params,
            ..account()
        };
        assert_eq!(url(&config, table.clone()), "https://orders.tables.example");
        let overridden = CallEndpoint {
            endpoint_url: Some("http://localhost:8000"),
            ..table
        };
        assert_eq!(url(&config, overridden), "http://localhost:8000");
    }

    #[test]
    fn an_invalid_rule_set_is_an_error_every_time() {
        let info = service(Some(r#"{"version":"1.0","parameters":{}}"#));
        let first = info.endpoint_rule_set().unwrap_err();
        assert!(
            first.starts_with("the service's endpoint rule set is invalid"),
            "{first}"
        );
        assert_eq!(info.endpoint_rule_set().unwrap_err(), first);
    }
}
