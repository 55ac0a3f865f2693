//! Assume-role profiles: `role_arn` with `source_profile` (another profile, possibly itself a
//! role: a chain) or `credential_source` (`Environment`, `EcsContainer`, `Ec2InstanceMetadata`),
//! resolved through STS `AssumeRole` (awsQuery, signed with SigV4 by the source credentials).
//!
//! ```ini
//! [profile deploy]
//! role_arn = arn:aws:iam::123456789012:role/deploy
//! source_profile = base
//! external_id = optional
//! role_session_name = optional
//!
//! [profile base]
//! aws_access_key_id = AKID…
//! aws_secret_access_key = …
//! ```
//!
//! A profile with `role_arn` and `web_identity_token_file` gets the role with that token
//! (STS `AssumeRoleWithWebIdentity`, unsigned: see [`web_identity`](super::web_identity)),
//! alone or as the source of another profile's role.
//!
//! A chain that comes back to a profile it already went through is an error naming the chain
//! (`a -> b -> a`), except a profile naming itself as `source_profile` while holding static
//! keys, which uses those keys (as the AWS CLI does). STS is `https://sts.<region>.amazonaws.com`
//! (the profile's `region`, else `AWS_REGION`, else `us-east-1`), or `AWS_ENDPOINT_URL_STS`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::container::ContainerCredentials;
use super::credentials::{
    Credentials, CredentialsError, EnvironmentCredentials, ProfileCredentials, ProvideCredentials,
    ProvideFuture,
};
use super::env::Env;
use super::imds::ImdsCredentials;
use super::profile::SharedConfig;
use super::sigv4;
use super::web_identity::{
    form, parse_credentials, parse_error, WebIdentityCredentials, STS_TIMEOUT,
};
use crate::client::http::{HttpClient, HttpRequest};

/// Credentials of a profile with `role_arn` (see the [module docs](self)).
#[derive(Clone)]
pub struct AssumeRoleCredentials {
    env: Env,
    profile: String,
    http: Option<Arc<dyn HttpClient>>,
}

impl fmt::Debug for AssumeRoleCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleCredentials")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

struct Role {
    profile: String,
    arn: String,
    external_id: Option<String>,
    session_name: Option<String>,
    region: Option<String>,
}

impl AssumeRoleCredentials {
    /// The credentials of profile `profile`.
    pub fn new(env: Env, profile: impl Into<String>) -> Self {
        AssumeRoleCredentials {
            env,
            profile: profile.into(),
            http: None,
        }
    }

    /// Sends to STS through `http` instead of the default HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut roles: Vec<Role> = Vec::new();
        let mut name = self.profile.clone();
        let base = loop {
            if roles.iter().any(|r| r.profile == name) {
                let chain: Vec<&str> = roles.iter().map(|r| r.profile.as_str()).collect();
                return Err(CredentialsError::invalid(format!(
                    "profile `{}` has a source_profile cycle: {} -> {name}",
                    self.profile,
                    chain.join(" -> ")
                )));
            }
            if roles.len() >= 16 {
                return Err(CredentialsError::invalid(format!(
                    "profile `{}`: role chain longer than 16",
                    self.profile
                )));
            }
            let shared = SharedConfig::load_profile(&self.env, &name, false)?;
            let get = |key: &str| {
                shared
                    .credential_setting(key)
                    .map(|s| s.value.to_owned())
                    .filter(|v| !v.is_empty())
            };
            let static_keys = ProfileCredentials::new(self.env.clone()).with_profile(name.clone());
            let Some(arn) = get("role_arn") else {
                // The end of the chain: static keys (or credential_process) of this profile.
                break static_keys.provide_credentials().await?;
            };
            if let Some(token_file) = get("web_identity_token_file") {
                // The role is assumed with the token itself (AssumeRoleWithWebIdentity): the
                // end of the chain, whatever source_profile says (as the AWS CLI does).
                break WebIdentityCredentials::from_profile(
                    self.env.clone(),
                    name.clone(),
                    token_file,
                    arn,
                    get("role_session_name"),
                    get("region"),
                )
                .with_http_client_opt(self.http.clone())
                .provide_credentials()
                .await?;
            }
            let role = Role {
                profile: name.clone(),
                arn,
                external_id: get("external_id"),
                session_name: get("role_session_name"),
                region: get("region"),
            };
            match (get("source_profile"), get("credential_source")) {
                (Some(_), Some(_)) => {
                    return Err(CredentialsError::invalid(format!(
                        "profile `{name}` sets both source_profile and credential_source"
                    )))
                }
                (Some(source), None) if source == name => {
                    // Its own static keys are the source.
                    roles.push(role);
                    break static_keys.load_credentials()?;
                }
                (Some(source), None) => {
                    roles.push(role);
                    name = source;
                }
                (None, Some(source)) => {
                    roles.push(role);
                    break match source.as_str() {
                        "Environment" => {
                            EnvironmentCredentials::new(self.env.clone()).load_credentials()?
                        }
                        "EcsContainer" => {
                            ContainerCredentials::new(self.env.clone())
                                .provide_credentials()
                                .await?
                        }
                        "Ec2InstanceMetadata" => {
                            ImdsCredentials::new(self.env.clone())
                                .provide_credentials()
                                .await?
                        }
                        other => {
                            return Err(CredentialsError::invalid(format!(
                                "profile `{name}`: credential_source `{other}` is not one of \
                                 Environment, EcsContainer, Ec2InstanceMetadata"
                            )))
                        }
                    };
                }
                (None, None) => {
                    return Err(CredentialsError::invalid(format!(
                        "profile `{name}` sets role_arn but neither source_profile nor \
                         credential_source"
                    )))
                }
            }
        };
        let mut credentials = base;
        for role in roles.iter().rev() {
            credentials = self.assume(&credentials, role).await?;
        }
        Ok(credentials)
    }

    async fn assume(
        &self,
        source: &Credentials,
        role: &Role,
    ) -> Result<Credentials, CredentialsError> {
        let region = role
            .region
            .clone()
            .or_else(|| self.env.non_empty_var("AWS_REGION"))
            .or_else(|| self.env.non_empty_var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_owned());
        if !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(CredentialsError::invalid(format!(
                "`{region}` is not a region name"
            )));
        }
        let endpoint = self
            .env
            .non_empty_var("AWS_ENDPOINT_URL_STS")
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("https://sts.{region}.amazonaws.com"));
        let host = endpoint
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or_default().to_owned())
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                CredentialsError::invalid(format!("STS endpoint `{endpoint}` has no host"))
            })?;
        let session = role.session_name.clone().unwrap_or_else(|| {
            let secs = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("smithgen-{secs}")
        });
        let mut pairs = vec![
            ("Action", "AssumeRole"),
            ("Version", "2011-06-15"),
            ("RoleArn", role.arn.as_str()),
            ("RoleSessionName", session.as_str()),
        ];
        if let Some(id) = &role.external_id {
            pairs.push(("ExternalId", id));
        }
        let body = form(&pairs).into_bytes();
        let mut headers = vec![
            ("Host".to_owned(), host),
            (
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
            ),
        ];
        let signed = sigv4::sign(
            &sigv4::SignableRequest::new("POST", "/", &headers, &body),
            &sigv4::SigningParams {
                credentials: source,
                region: &region,
                service: "sts",
                time: SystemTime::now(),
                settings: sigv4::SigningSettings::default(),
            },
        )
        .map_err(|e| {
            CredentialsError::provider("cannot sign the STS AssumeRole request", Some(Box::new(e)))
        })?;
        headers.extend(signed.headers);
        let http = match &self.http {
            Some(http) => http.clone(),
            None => {
                super::default_http_client(Duration::from_millis(3100), "AssumeRoleCredentials")?
            }
        };
        let request = HttpRequest {
            method: "POST",
            url: format!("{endpoint}/"),
            headers,
            body,
        };
        let response = tokio::time::timeout(STS_TIMEOUT, http.send(request))
            .await
            .map_err(|_| {
                CredentialsError::provider(
                    format!("STS at {endpoint} did not answer within {STS_TIMEOUT:?}"),
                    None,
                )
            })?
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot reach STS at {endpoint}"),
                    Some(Box::new(e)),
                )
            })?;
        let text = String::from_utf8_lossy(&response.body);
        if !(200..300).contains(&response.status) {
            let (code, message) = parse_error(&text);
            return Err(CredentialsError::provider(
                format!(
                    "STS AssumeRole of {} (profile `{}`) failed: HTTP {}{}{}",
                    role.arn,
                    role.profile,
                    response.status,
                    code.map(|c| format!(", {c}")).unwrap_or_default(),
                    message.map(|m| format!(": {m}")).unwrap_or_default(),
                ),
                None,
            ));
        }
        parse_credentials(&text, "AssumeRole").map(|c| {
            c.with_source(format!(
                "assumed role {} (profile {})",
                role.arn, role.profile
            ))
        })
    }
}

impl ProvideCredentials for AssumeRoleCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}
