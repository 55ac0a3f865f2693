//! IMDSv2 credentials: an EC2 instance's role, from the instance metadata service.
//!
//! Three requests, each limited to [`IMDS_TIMEOUT`] (connection included) so that off EC2 the
//! provider gives up fast: `PUT /latest/api/token` (a session token, 6 h TTL), then
//! `GET /latest/meta-data/iam/security-credentials/` (the role's name), then
//! `GET …/security-credentials/<role>` (the JSON credentials), both with the token.
//!
//! | variable | meaning |
//! |---|---|
//! | `AWS_EC2_METADATA_DISABLED=true` | never ask (not found) |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT` | the endpoint (`http://169.254.169.254` by default) |
//! | `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` | `IPv4` (default) or `IPv6` (`http://[fd00:ec2::254]`) |
//!
//! Without the last two variables, the selected profile's `ec2_metadata_service_endpoint` and
//! `ec2_metadata_service_endpoint_mode` (in the config file) are used.
//!
//! An unreachable service or an instance without a role is "not found" (a chain goes on); a
//! service that answers wrongly is an error. Errors never contain the token or a secret.
//!
//! [`DefaultCredentialsChain`](super::credentials::DefaultCredentialsChain) asks it last. Off
//! EC2 a call costs at most one [`IMDS_TIMEOUT`] (the token request times out or is refused,
//! and the provider reports "not found").

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::container::parse_credentials;
use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use super::env::Env;
use crate::client::http::{ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse};

/// The IPv4 endpoint.
pub const IPV4_ENDPOINT: &str = "http://169.254.169.254";
/// The IPv6 endpoint.
pub const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]";
/// How long each request may take, connection included: 1 s.
pub const IMDS_TIMEOUT: Duration = Duration::from_secs(1);

const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Credentials of the instance's role (see the [module docs](self)).
#[derive(Clone)]
pub struct ImdsCredentials {
    env: Env,
    endpoint: Option<String>,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

impl fmt::Debug for ImdsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsCredentials")
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

enum Failure {
    /// Nothing there: unreachable, timed out, no role.
    Absent(String),
    /// Something there, answering wrongly.
    Broken(CredentialsError),
}

impl ImdsCredentials {
    /// A provider configured by `env`.
    pub fn new(env: Env) -> Self {
        ImdsCredentials {
            env,
            endpoint: None,
            http: None,
            timeout: IMDS_TIMEOUT,
        }
    }

    /// Whether `AWS_EC2_METADATA_DISABLED=true` (any case) turns the provider off in `env`.
    pub fn is_disabled(env: &Env) -> bool {
        env.non_empty_var("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// Asks this endpoint, whatever the environment says.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends through `http` instead of the default HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// Limits each request to `timeout` instead of [`IMDS_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(e) = &self.endpoint {
            return Ok(e.trim_end_matches('/').to_owned());
        }
        // The variables, else the selected profile's keys of the same meaning.
        let profile = |key: &str| {
            super::profile::SharedConfig::load_config(&self.env)
                .ok()
                .and_then(|shared| {
                    shared
                        .config_setting(key)
                        .map(|s| s.value.trim().to_owned())
                        .filter(|v| !v.is_empty())
                })
        };
        if let Some(e) = self
            .env
            .non_empty_var("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .or_else(|| profile("ec2_metadata_service_endpoint"))
        {
            return Ok(e.trim_end_matches('/').to_owned());
        }
        match self
            .env
            .non_empty_var("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            .or_else(|| profile("ec2_metadata_service_endpoint_mode"))
            .as_deref()
        {
            None => Ok(IPV4_ENDPOINT.to_owned()),
            Some(m) if m.eq_ignore_ascii_case("ipv4") => Ok(IPV4_ENDPOINT.to_owned()),
            Some(m) if m.eq_ignore_ascii_case("ipv6") => Ok(IPV6_ENDPOINT.to_owned()),
            Some(m) => Err(CredentialsError::invalid(format!(
                "the IMDS endpoint mode (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or \
                 ec2_metadata_service_endpoint_mode) must be IPv4 or IPv6, not `{m}`"
            ))),
        }
    }

    async fn send(
        &self,
        http: &dyn HttpClient,
        method: &'static str,
        url: String,
        header: (&str, &str),
    ) -> Result<HttpResponse, Failure> {
        let request = HttpRequest {
            method,
            url: url.clone(),
            headers: vec![(header.0.to_owned(), header.1.to_owned())],
            body: Vec::new(),
        };
        match tokio::time::timeout(self.timeout, http.send(request)).await {
            Err(_) => Err(Failure::Absent(format!(
                "IMDS at {url} (no answer within {:?})",
                self.timeout
            ))),
            Ok(Err(e))
                if matches!(
                    e.kind(),
                    ConnectorErrorKind::Connect | ConnectorErrorKind::Timeout
                ) =>
            {
                Err(Failure::Absent(format!("IMDS at {url} (unreachable)")))
            }
            Ok(Err(e)) => Err(Failure::Broken(CredentialsError::provider(
                format!("IMDS request to {url} failed"),
                Some(Box::new(e)),
            ))),
            Ok(Ok(response)) => Ok(response),
        }
    }

    async fn load(&self) -> Result<Credentials, Failure> {
        if ImdsCredentials::is_disabled(&self.env) {
            return Err(Failure::Absent(
                "IMDS (AWS_EC2_METADATA_DISABLED=true)".to_owned(),
            ));
        }
        let endpoint = self.endpoint().map_err(Failure::Broken)?;
        let http = match &self.http {
            Some(http) => http.clone(),
            None => super::default_http_client(self.timeout, "ImdsCredentials")
                .map_err(Failure::Broken)?,
        };
        let broken = |what: String| Failure::Broken(CredentialsError::provider(what, None));
        let token_url = format!("{endpoint}/latest/api/token");
        let token = self
            .send(
                &*http,
                "PUT",
                token_url.clone(),
                ("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            )
            .await?;
        if token.status != 200 {
            return Err(broken(format!(
                "IMDS {token_url} answered HTTP {}",
                token.status
            )));
        }
        let token = String::from_utf8(token.body)
            .ok()
            .filter(|t| !t.is_empty() && !t.chars().any(|c| c.is_control()))
            .ok_or_else(|| broken(format!("IMDS {token_url} sent an unusable token")))?;
        let auth = ("x-aws-ec2-metadata-token", token.as_str());
        let roles_url = format!("{endpoint}{CREDENTIALS_PATH}");
        let roles = self.send(&*http, "GET", roles_url.clone(), auth).await?;
        match roles.status {
            200 => {}
            404 => {
                return Err(Failure::Absent(format!(
                    "IMDS at {endpoint} (the instance has no role)"
                )))
            }
            s => return Err(broken(format!("IMDS {roles_url} answered HTTP {s}"))),
        }
        let role = String::from_utf8_lossy(&roles.body)
            .lines()
            .next()
            .map(str::trim)
            .filter(|r| {
                !r.is_empty()
                    && r.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
            })
            .map(str::to_owned)
            .ok_or_else(|| broken(format!("IMDS {roles_url} named no valid role")))?;
        let url = format!("{roles_url}{role}");
        let answer = self.send(&*http, "GET", url.clone(), auth).await?;
        if answer.status != 200 {
            return Err(broken(format!(
                "IMDS {url} answered HTTP {}",
                answer.status
            )));
        }
        parse_credentials(&answer.body, "IMDS").map_err(Failure::Broken)
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            match self.load().await {
                Ok(credentials) => Ok(credentials),
                Err(Failure::Absent(place)) => Err(CredentialsError::not_found(place)),
                Err(Failure::Broken(error)) => Err(error),
            }
        })
    }
}
