//! IAM Identity Center (SSO) credentials: the access token `aws sso login` cached in
//! `~/.aws/sso/cache`, exchanged for a role's credentials with the portal's
//! `GetRoleCredentials` (a restJson1 call: `GET /federation/credentials`, the token in
//! `x-amz-sso_bearer_token`, unsigned).
//!
//! A profile uses it with `sso_account_id` and `sso_role_name`, and either
//! - `sso_session = NAME` and a `[sso-session NAME]` section of the config file with
//!   `sso_region` and `sso_start_url` (the token is cached as `SHA-1(NAME).json`), or
//! - (the legacy form) `sso_region` and `sso_start_url` in the profile (cached as
//!   `SHA-1(start URL).json`).
//!
//! The cached token is read on every call; an expired one is an error telling the user to run
//! `aws sso login` (refreshing it through the OIDC service is not done). `AWS_ENDPOINT_URL_SSO`
//! and `AWS_ENDPOINT_URL` override the portal endpoint `https://portal.sso.<region>.amazonaws.com`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use super::env::Env;
use crate::client::http::{HttpClient, HttpRequest};
use crate::json::JsonReader;
use crate::DateTime;

/// How long the portal call may take: 10 s.
pub const SSO_TIMEOUT: Duration = Duration::from_secs(10);

/// What a profile says about its SSO role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoSettings {
    /// The profile's name (for messages).
    pub profile: String,
    /// `sso_session`, or `None` for the legacy form.
    pub session: Option<String>,
    /// `sso_start_url` (of the session or the profile).
    pub start_url: String,
    /// `sso_region` (of the session or the profile).
    pub region: String,
    /// `sso_account_id`.
    pub account_id: String,
    /// `sso_role_name`.
    pub role_name: String,
}

/// Credentials for a profile's SSO role (see the [module docs](self)).
#[derive(Clone)]
pub struct SsoCredentials {
    env: Env,
    settings: SsoSettings,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

impl fmt::Debug for SsoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The settings hold no secret; the token is read per call and never kept.
        f.debug_struct("SsoCredentials")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl SsoCredentials {
    /// A provider for these settings, reading the token cache under `env`'s home directory.
    pub fn new(env: Env, settings: SsoSettings) -> Self {
        SsoCredentials {
            env,
            settings,
            http: None,
            timeout: SSO_TIMEOUT,
        }
    }

    /// Sends through `http` instead of the default HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// The file `aws sso login` caches the token in.
    pub fn cache_file(&self) -> Option<std::path::PathBuf> {
        use sha1::{Digest, Sha1};
        let key = self
            .settings
            .session
            .as_deref()
            .unwrap_or(&self.settings.start_url);
        let hash: String = Sha1::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.env
            .expand_home(&format!("~/.aws/sso/cache/{hash}.json"))
    }

    fn login_hint(&self) -> String {
        match &self.settings.session {
            Some(session) => format!("run `aws sso login --sso-session {session}`"),
            None => format!("run `aws sso login --profile {}`", self.settings.profile),
        }
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(url) = self
            .env
            .non_empty_var("AWS_ENDPOINT_URL_SSO")
            .or_else(|| self.env.non_empty_var("AWS_ENDPOINT_URL"))
        {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        let region = &self.settings.region;
        if region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(CredentialsError::invalid(format!(
                "profile `{}`: sso_region `{region}` is not a region name",
                self.settings.profile
            )));
        }
        Ok(format!("https://portal.sso.{region}.amazonaws.com"))
    }

    /// The cached access token, checked for expiry.
    fn token(&self) -> Result<String, CredentialsError> {
        let path = self.cache_file().ok_or_else(|| {
            CredentialsError::invalid("SSO credentials need a home directory for ~/.aws/sso/cache")
        })?;
        let text = self
            .env
            .read_file(&path)
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot read the SSO token cache {}", path.display()),
                    Some(Box::new(e)),
                )
            })?
            .ok_or_else(|| {
                CredentialsError::invalid(format!(
                    "profile `{}` uses SSO but there is no cached token ({}): {}",
                    self.settings.profile,
                    path.display(),
                    self.login_hint()
                ))
            })?;
        // Never quote the file: it holds the token.
        let bad = || {
            CredentialsError::provider(
                format!(
                    "the SSO token cache {} is not the JSON `aws sso login` writes",
                    path.display()
                ),
                None,
            )
        };
        let (mut token, mut expires) = (None, None);
        let mut r = JsonReader::new(text.as_bytes());
        r.begin_object().map_err(|_| bad())?;
        while let Some(key) = r.next_key().map_err(|_| bad())? {
            match key.as_ref() {
                "accessToken" => token = Some(r.string().map_err(|_| bad())?),
                "expiresAt" => expires = Some(r.string().map_err(|_| bad())?),
                _ => r.skip_value().map_err(|_| bad())?,
            }
        }
        let token = token.filter(|t| !t.is_empty()).ok_or_else(bad)?;
        let expires = expires
            .and_then(|e| DateTime::parse_rfc3339(&e).ok())
            .ok_or_else(bad)?;
        let expired = SystemTime::try_from(expires).map_or(true, |at| at <= SystemTime::now());
        if expired {
            return Err(CredentialsError::invalid(format!(
                "the SSO token of profile `{}` expired at {expires}: {}",
                self.settings.profile,
                self.login_hint()
            )));
        }
        Ok(token)
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let token = self.token()?;
        let endpoint = self.endpoint()?;
        let query = super::web_identity::form(&[
            ("account_id", &self.settings.account_id),
            ("role_name", &self.settings.role_name),
        ]);
        let http = match &self.http {
            Some(http) => http.clone(),
            None => super::default_http_client(Duration::from_millis(3100), "SsoCredentials")?,
        };
        let request = HttpRequest {
            method: "GET",
            url: format!("{endpoint}/federation/credentials?{query}"),
            headers: vec![("x-amz-sso_bearer_token".to_owned(), token.clone())],
            body: Vec::new(),
        };
        let response = tokio::time::timeout(self.timeout, http.send(request))
            .await
            .map_err(|_| {
                CredentialsError::provider(
                    format!(
                        "the SSO portal at {endpoint} did not answer within {:?}",
                        self.timeout
                    ),
                    None,
                )
            })?
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot reach the SSO portal at {endpoint}"),
                    Some(Box::new(e)),
                )
            })?;
        if !(200..300).contains(&response.status) {
            let meta = crate::protocol::aws_json::ErrorMeta::from_response(
                response.status,
                &response.headers,
                &response.body,
            );
            let hint = if response.status == 401 {
                format!(" ({})", self.login_hint())
            } else {
                String::new()
            };
            return Err(CredentialsError::provider(
                format!(
                    "SSO GetRoleCredentials for role {} in account {} failed: HTTP {}{}{}{hint}",
                    self.settings.role_name,
                    self.settings.account_id,
                    response.status,
                    Some(meta.code.as_str())
                        .filter(|c| !c.is_empty())
                        .map(|c| format!(", {c}"))
                        .unwrap_or_default(),
                    // The portal's message, with the token blanked should it quote it.
                    meta.message
                        .map(|m| format!(": {}", m.replace(token.as_str(), "***")))
                        .unwrap_or_default(),
                ),
                None,
            ));
        }
        let credentials = parse_role_credentials(&response.body)?;
        Ok(credentials
            .with_source(format!(
                "SSO ({} in account {}, profile {})",
                self.settings.role_name, self.settings.account_id, self.settings.profile
            ))
            .with_account_id(self.settings.account_id.clone()))
    }
}

impl ProvideCredentials for SsoCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

/// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken", "expiration"}}`,
/// the expiration in epoch milliseconds.
fn parse_role_credentials(body: &[u8]) -> Result<Credentials, CredentialsError> {
    // Never quote the body: it holds the secrets.
    let bad = |what: &str| {
        CredentialsError::provider(
            format!("the SSO portal's GetRoleCredentials answer {what}"),
            None,
        )
    };
    let mut r = JsonReader::new(body);
    let (mut key, mut secret, mut token, mut expiration) = (None, None, None, None);
    let invalid = |_| bad("is not valid JSON");
    r.begin_object().map_err(invalid)?;
    while let Some(outer) = r.next_key().map_err(invalid)? {
        if outer != "roleCredentials" || r.peek_null().map_err(invalid)? {
            r.skip_value().map_err(invalid)?;
            continue;
        }
        r.begin_object().map_err(invalid)?;
        while let Some(field) = r.next_key().map_err(invalid)? {
            match field.as_ref() {
                "accessKeyId" => key = Some(r.string().map_err(invalid)?),
                "secretAccessKey" => secret = Some(r.string().map_err(invalid)?),
                "sessionToken" => token = Some(r.string().map_err(invalid)?),
                "expiration" => expiration = Some(r.i64().map_err(invalid)?),
                _ => r.skip_value().map_err(invalid)?,
            }
        }
    }
    let (Some(key), Some(secret)) = (
        key.filter(|k| !k.is_empty()),
        secret.filter(|s| !s.is_empty()),
    ) else {
        return Err(bad(
            "has no roleCredentials.accessKeyId and secretAccessKey",
        ));
    };
    let mut credentials = Credentials::new(key, secret, token.filter(|t| !t.is_empty()));
    if let Some(ms) = expiration {
        if let Ok(at) = SystemTime::try_from(DateTime::from_millis(ms)) {
            credentials = credentials.with_expiry(at);
        }
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_answer_is_read_and_secrets_stay_out_of_errors() {
        let c = parse_role_credentials(
            br#"{"roleCredentials":{"accessKeyId":"ASIA1","secretAccessKey":"s3cr3t","sessionToken":"tok","expiration":1893456000000}}"#,
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "ASIA1");
        assert_eq!(c.session_token(), Some("tok"));
        assert!(c.expiry().is_some());
        let e = parse_role_credentials(br#"{"roleCredentials":{"secretAccessKey":"s3cr3t"}}"#)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(parse_role_credentials(b"<html>").is_err());
    }

    #[test]
    fn the_cache_file_is_named_by_the_sha1_of_the_session_or_start_url() {
        let env = Env::from_vars([("HOME", "/home/u")]);
        let settings = SsoSettings {
            profile: "dev".into(),
            session: Some("my-sso".into()),
            start_url: "https://d-123.awsapps.com/start".into(),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            role_name: "Admin".into(),
        };
        let session = SsoCredentials::new(env.clone(), settings.clone());
        assert_eq!(
            session.cache_file().unwrap(),
            std::path::Path::new(
                "/home/u/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json"
            )
        );
        let legacy = SsoCredentials::new(
            env,
            SsoSettings {
                session: None,
                ..settings
            },
        );
        assert_eq!(
            legacy.cache_file().unwrap(),
            std::path::Path::new(
                "/home/u/.aws/sso/cache/2b829a45f04c9828cb45b7d092d8e4aa30818393.json"
            )
        );
    }
}
