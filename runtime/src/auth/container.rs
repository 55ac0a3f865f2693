//! Container credentials: ECS tasks and EKS Pod Identity serve temporary credentials over HTTP
//! at the URI the environment names.
//!
//! | variable | meaning |
//! |---|---|
//! | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` | a path on ECS's `http://169.254.170.2` |
//! | `AWS_CONTAINER_CREDENTIALS_FULL_URI` | a whole URI (used when the relative one is unset) |
//! | `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` | a file holding the `Authorization` header's value (read on every call; EKS rotates it) |
//! | `AWS_CONTAINER_AUTHORIZATION_TOKEN` | the value itself (when no token file is set) |
//!
//! A full URI must be `https://`, or `http://` to a host allowed to serve credentials in the
//! clear: a loopback address (`127.0.0.0/8`, `::1`, or the name `localhost`), ECS's
//! `169.254.170.2`, or EKS's `169.254.170.23` / `fd00:ec2::23`. Other names are refused rather
//! than resolved. The response is JSON with `AccessKeyId`, `SecretAccessKey`, `Token` and
//! `Expiration` (RFC 3339). Each call is limited to [`CONTAINER_TIMEOUT`]; neither the token nor
//! the secrets appear in `Debug` output, logs or errors.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use super::env::Env;
use crate::client::http::{HttpClient, HttpRequest};
use crate::{DateTime, Document};

const RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
const TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const ECS_HOST: &str = "http://169.254.170.2";

/// How long one request to the container endpoint may take, connection included: 5 s.
pub const CONTAINER_TIMEOUT: Duration = Duration::from_secs(5);

/// Credentials from the container credentials endpoint (see the [module docs](self)).
#[derive(Clone)]
pub struct ContainerCredentials {
    env: Env,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

impl fmt::Debug for ContainerCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContainerCredentials")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ContainerCredentials {
    /// A provider reading `env`, sending with the default HTTP client.
    pub fn new(env: Env) -> Self {
        ContainerCredentials {
            env,
            http: None,
            timeout: CONTAINER_TIMEOUT,
        }
    }

    /// Sends through `http` instead of the default HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// Limits each request to `timeout` instead of [`CONTAINER_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether the environment asks for container credentials.
    pub fn is_configured(env: &Env) -> bool {
        env.non_empty_var(RELATIVE_URI).is_some() || env.non_empty_var(FULL_URI).is_some()
    }

    /// The URI to ask, or why there is none.
    fn uri(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.non_empty_var(RELATIVE_URI) {
            if !relative.starts_with('/') {
                return Err(CredentialsError::invalid(format!(
                    "{RELATIVE_URI} must be a path starting with `/`"
                )));
            }
            return Ok(format!("{ECS_HOST}{relative}"));
        }
        let Some(full) = self.env.non_empty_var(FULL_URI) else {
            return Err(CredentialsError::not_found(format!(
                "environment variables {RELATIVE_URI}/{FULL_URI} (unset)"
            )));
        };
        check_full_uri(&full)?;
        Ok(full)
    }

    fn authorization(&self) -> Result<Option<String>, CredentialsError> {
        let token = match self.env.non_empty_var(TOKEN_FILE) {
            Some(path) => {
                let path = PathBuf::from(path);
                let text = self
                    .env
                    .read_file(&path)
                    .map_err(|e| {
                        CredentialsError::provider(
                            format!("cannot read {TOKEN_FILE} ({})", path.display()),
                            Some(Box::new(e)),
                        )
                    })?
                    .ok_or_else(|| {
                        CredentialsError::invalid(format!(
                            "{TOKEN_FILE} names {}, which does not exist",
                            path.display()
                        ))
                    })?;
                Some(text.trim().to_owned())
            }
            None => self.env.non_empty_var(TOKEN),
        };
        if token
            .as_deref()
            .is_some_and(|t| t.chars().any(|c| c.is_control()))
        {
            // A header value with CR/LF would let the token inject headers.
            return Err(CredentialsError::invalid(
                "the container authorization token contains control characters",
            ));
        }
        Ok(token)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri()?;
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        if let Some(token) = self.authorization()? {
            headers.push(("Authorization".to_owned(), token));
        }
        let http = match &self.http {
            Some(http) => http.clone(),
            None => super::default_http_client(Duration::from_secs(2), "ContainerCredentials")?,
        };
        let request = HttpRequest {
            method: "GET",
            url: uri.clone(),
            headers,
            body: Vec::new(),
        };
        let response = tokio::time::timeout(self.timeout, http.send(request))
            .await
            .map_err(|_| {
                CredentialsError::provider(
                    format!(
                        "the container credentials endpoint {uri} did not answer within {:?}",
                        self.timeout
                    ),
                    None,
                )
            })?
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot reach the container credentials endpoint {uri}"),
                    Some(Box::new(e)),
                )
            })?;
        if !(200..300).contains(&response.status) {
            // The body may echo the request; say only the status.
            return Err(CredentialsError::provider(
                format!(
                    "the container credentials endpoint {uri} answered HTTP {}",
                    response.status
                ),
                None,
            ));
        }
        parse_credentials(&response.body, "container credentials")
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

/// Refuses a full URI that would fetch credentials in the clear from a host not allowed to.
fn check_full_uri(uri: &str) -> Result<(), CredentialsError> {
    if uri.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = uri.strip_prefix("http://") else {
        return Err(CredentialsError::invalid(format!(
            "{FULL_URI} must be an http:// or https:// URI"
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    let allowed = host.eq_ignore_ascii_case("localhost")
        || match host.parse::<IpAddr>() {
            Ok(IpAddr::V4(ip)) => {
                ip.is_loopback()
                    || ip == Ipv4Addr::new(169, 254, 170, 2)
                    || ip == Ipv4Addr::new(169, 254, 170, 23)
            }
            Ok(IpAddr::V6(ip)) => {
                ip.is_loopback() || ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23)
            }
            Err(_) => false,
        };
    if allowed {
        Ok(())
    } else {
        Err(CredentialsError::invalid(format!(
            "{FULL_URI} is http:// to `{host}`, which may not serve credentials unencrypted: \
             use https://, a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23"
        )))
    }
}

/// Reads the JSON credentials the container endpoint (and IMDS, and `credential_process`)
/// answer with: `AccessKeyId`, `SecretAccessKey`, optional `Token` (or `SessionToken`) and
/// `Expiration`.
pub(crate) fn parse_credentials(
    body: &[u8],
    source: &'static str,
) -> Result<Credentials, CredentialsError> {
    let bad = |what: String| CredentialsError::provider(format!("{source}: {what}"), None);
    let document = crate::json::JsonReader::new(body)
        .document()
        // The parser's message may quote the input, which holds secrets: say only that.
        .map_err(|_| bad("the response is not valid JSON".to_owned()))?;
    let Document::Object(fields) = document else {
        return Err(bad("the response is not a JSON object".to_owned()));
    };
    let text = |name: &str| {
        fields
            .get(name)
            .and_then(Document::as_str)
            .filter(|s| !s.is_empty())
    };
    let access_key_id = text("AccessKeyId").ok_or_else(|| bad("no AccessKeyId".to_owned()))?;
    let secret = text("SecretAccessKey").ok_or_else(|| bad("no SecretAccessKey".to_owned()))?;
    let token = text("Token")
        .or_else(|| text("SessionToken"))
        .map(str::to_owned);
    let mut credentials = Credentials::new(access_key_id, secret, token).with_source(source);
    if let Some(expiration) = text("Expiration") {
        let at = DateTime::parse_rfc3339(expiration)
            .ok()
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| bad(format!("Expiration `{expiration}` is not an RFC 3339 time")))?;
        credentials = credentials.with_expiry(at);
    }
    // The container endpoint (EKS Pod Identity) and credential_process may name the account.
    if let Some(account) = text("AccountId").filter(|a| super::is_account_id(a)) {
        credentials = credentials.with_account_id(account);
    }
    Ok(credentials)
}
