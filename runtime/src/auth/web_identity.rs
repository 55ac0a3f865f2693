//! Web identity credentials (EKS IRSA and other OIDC federation): the token in
//! `AWS_WEB_IDENTITY_TOKEN_FILE`, exchanged for the role `AWS_ROLE_ARN` with STS's
//! `AssumeRoleWithWebIdentity`.
//!
//! STS speaks awsQuery: a form-encoded `POST` (`Action`, `Version`, the parameters) and an XML
//! answer. This module implements exactly that call: the request (unsigned, as the operation
//! is `@optionalAuth`: the token is the proof) and the two answers it needs to read — the
//! credentials, and `ErrorResponse`'s code and message — with quick-xml.
//!
//! | variable | meaning |
//! |---|---|
//! | `AWS_WEB_IDENTITY_TOKEN_FILE` | the token file (read on every call: it is rotated) |
//! | `AWS_ROLE_ARN` | the role to assume |
//! | `AWS_ROLE_SESSION_NAME` | the session name (default `smithgen-<unix seconds>`) |
//! | `AWS_REGION` / `AWS_DEFAULT_REGION` | the regional STS endpoint `https://sts.<region>.amazonaws.com` |
//! | `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` | endpoint overrides |
//!
//! [`DefaultCredentialsChain`](super::credentials::DefaultCredentialsChain) asks it right after
//! the environment's keys and the profile. A profile with `role_arn` and
//! `web_identity_token_file` (and optionally `role_session_name`, `region`) makes the same call
//! with its own settings ([`WebIdentityCredentials::from_profile`]), also as the end of a
//! `source_profile` chain.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use super::env::Env;
use crate::client::http::{HttpClient, HttpRequest};
use crate::DateTime;

/// How long the STS call may take, connection included: 10 s.
pub const STS_TIMEOUT: Duration = Duration::from_secs(10);

/// Credentials for `AWS_ROLE_ARN` from the web identity token (see the [module docs](self)),
/// or for a profile's `role_arn` from its `web_identity_token_file`
/// ([`from_profile`](Self::from_profile)).
#[derive(Clone)]
pub struct WebIdentityCredentials {
    env: Env,
    profile: Option<ProfileSettings>,
    http: Option<Arc<dyn HttpClient>>,
    timeout: Duration,
}

/// What a profile says instead of the environment variables.
#[derive(Clone, Debug)]
struct ProfileSettings {
    name: String,
    token_file: String,
    role_arn: String,
    session_name: Option<String>,
    region: Option<String>,
}

impl fmt::Debug for WebIdentityCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let role_arn = match &self.profile {
            Some(p) => Some(p.role_arn.clone()),
            None => self.env.non_empty_var("AWS_ROLE_ARN"),
        };
        f.debug_struct("WebIdentityCredentials")
            .field("profile", &self.profile.as_ref().map(|p| &p.name))
            .field("role_arn", &role_arn)
            .finish_non_exhaustive()
    }
}

impl WebIdentityCredentials {
    /// A provider configured by `env`.
    pub fn new(env: Env) -> Self {
        WebIdentityCredentials {
            env,
            profile: None,
            http: None,
            timeout: STS_TIMEOUT,
        }
    }

    /// A provider for profile `profile`'s `role_arn` with the token in its
    /// `web_identity_token_file` (`~` expanded), its `role_session_name` and its `region` for
    /// STS (else `AWS_REGION`); the `AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN` variables are
    /// then not read.
    pub fn from_profile(
        env: Env,
        profile: impl Into<String>,
        token_file: impl Into<String>,
        role_arn: impl Into<String>,
        session_name: Option<String>,
        region: Option<String>,
    ) -> Self {
        WebIdentityCredentials {
            profile: Some(ProfileSettings {
                name: profile.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name,
                region,
            }),
            ..WebIdentityCredentials::new(env)
        }
    }

    /// Sends through `http` instead of the default HTTP client.
    pub fn with_http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    pub(crate) fn with_http_client_opt(mut self, http: Option<Arc<dyn HttpClient>>) -> Self {
        self.http = http.or(self.http);
        self
    }

    /// Limits the STS call to `timeout` instead of [`STS_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(url) = self
            .env
            .non_empty_var("AWS_ENDPOINT_URL_STS")
            .or_else(|| self.env.non_empty_var("AWS_ENDPOINT_URL"))
        {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        let region = self
            .profile
            .as_ref()
            .and_then(|p| p.region.clone())
            .or_else(|| self.env.non_empty_var("AWS_REGION"))
            .or_else(|| self.env.non_empty_var("AWS_DEFAULT_REGION"))
            .ok_or_else(|| {
                CredentialsError::invalid(
                    "web identity credentials need a region for STS: set AWS_REGION",
                )
            })?;
        if !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(CredentialsError::invalid(format!(
                "AWS_REGION `{region}` is not a region name"
            )));
        }
        Ok(format!("https://sts.{region}.amazonaws.com"))
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        // (token file, where it was named, role, session name)
        let (path, named_by, role_arn, session) = match &self.profile {
            Some(p) => {
                let path = self.env.expand_home(&p.token_file).ok_or_else(|| {
                    CredentialsError::invalid(format!(
                        "profile `{}`: web_identity_token_file `{}` starts with ~ but there is \
                         no home directory",
                        p.name, p.token_file
                    ))
                })?;
                (
                    path,
                    format!("profile `{}`'s web_identity_token_file", p.name),
                    p.role_arn.clone(),
                    p.session_name.clone(),
                )
            }
            None => {
                let (Some(token_file), Some(role_arn)) = (
                    self.env.non_empty_var("AWS_WEB_IDENTITY_TOKEN_FILE"),
                    self.env.non_empty_var("AWS_ROLE_ARN"),
                ) else {
                    return Err(CredentialsError::not_found(
                        "environment variables AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN (unset)",
                    ));
                };
                (
                    PathBuf::from(&token_file),
                    "AWS_WEB_IDENTITY_TOKEN_FILE".to_owned(),
                    role_arn,
                    self.env.non_empty_var("AWS_ROLE_SESSION_NAME"),
                )
            }
        };
        let token = self
            .env
            .read_file(&path)
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot read {named_by} ({})", path.display()),
                    Some(Box::new(e)),
                )
            })?
            .ok_or_else(|| {
                CredentialsError::invalid(format!(
                    "{named_by} names {}, which does not exist",
                    path.display()
                ))
            })?;
        let session = session.unwrap_or_else(|| {
            let secs = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            format!("smithgen-{secs}")
        });
        let endpoint = self.endpoint()?;
        let body = form(&[
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", &role_arn),
            ("RoleSessionName", &session),
            ("WebIdentityToken", token.trim()),
        ]);
        let http = match &self.http {
            Some(http) => http.clone(),
            None => {
                super::default_http_client(Duration::from_millis(3100), "WebIdentityCredentials")?
            }
        };
        let request = HttpRequest {
            method: "POST",
            url: format!("{endpoint}/"),
            headers: vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
            )],
            body: body.into_bytes(),
        };
        let response = tokio::time::timeout(self.timeout, http.send(request))
            .await
            .map_err(|_| {
                CredentialsError::provider(
                    format!("STS at {endpoint} did not answer within {:?}", self.timeout),
                    None,
                )
            })?
            .map_err(|e| {
                CredentialsError::provider(
                    format!("cannot reach STS at {endpoint}"),
                    Some(Box::new(e)),
                )
            })?;
        let text = std::str::from_utf8(&response.body).map_err(|_| {
            CredentialsError::provider("STS answered with a body that is not UTF-8", None)
        })?;
        if !(200..300).contains(&response.status) {
            let (code, message) = parse_error(text);
            return Err(CredentialsError::provider(
                format!(
                    "STS AssumeRoleWithWebIdentity for {role_arn} failed: HTTP {}{}{}",
                    response.status,
                    code.map(|c| format!(", {c}")).unwrap_or_default(),
                    message.map(|m| format!(": {m}")).unwrap_or_default(),
                ),
                None,
            ));
        }
        let source = match &self.profile {
            Some(p) => format!("web identity ({role_arn}, profile {})", p.name),
            None => format!("web identity ({role_arn})"),
        };
        parse_credentials(text, "AssumeRoleWithWebIdentity").map(|c| c.with_source(source))
    }
}

impl ProvideCredentials for WebIdentityCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.load())
    }
}

/// `application/x-www-form-urlencoded`, every byte but the unreserved ones percent-encoded.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        for (j, part) in [k, v].into_iter().enumerate() {
            if j == 1 {
                out.push('=');
            }
            for b in part.bytes() {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// The text of every element, keyed by its path of local names (`A/B/C`), first one wins.
fn elements(xml: &str) -> Result<Vec<(String, String)>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("invalid XML: {e}"))?
        {
            Event::Start(e) => {
                if path.len() >= 32 {
                    return Err("the XML nests too deeply".to_owned());
                }
                path.push(e.local_name().as_ref().to_owned());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(c) => text.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    match r.into_inner().as_ref() {
                        "amp" => text.push('&'),
                        "lt" => text.push('<'),
                        "gt" => text.push('>'),
                        "quot" => text.push('"'),
                        "apos" => text.push('\''),
                        other => return Err(format!("unknown XML entity `&{other};`")),
                    }
                }
            }
            Event::End(_) => {
                out.push((path.join("/"), std::mem::take(&mut text)));
                path.pop();
            }
            Event::Eof => {
                if !path.is_empty() {
                    return Err("the XML ends inside an element".to_owned());
                }
                return Ok(out);
            }
            _ => {}
        }
    }
}

/// The credentials of an STS `<action>Response/<action>Result/Credentials` answer.
pub(crate) fn parse_credentials(xml: &str, action: &str) -> Result<Credentials, CredentialsError> {
    // Never quote the XML: it holds the secrets.
    let bad =
        |what: &str| CredentialsError::provider(format!("STS's {action} answer {what}"), None);
    let elements = elements(xml).map_err(|_| bad("is not valid XML"))?;
    let get = |name: &str| {
        let path = format!("{action}Response/{action}Result/Credentials/{name}");
        elements
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let access_key_id = get("AccessKeyId").ok_or_else(|| bad("has no AccessKeyId"))?;
    let secret = get("SecretAccessKey").ok_or_else(|| bad("has no SecretAccessKey"))?;
    let token = get("SessionToken").ok_or_else(|| bad("has no SessionToken"))?;
    let expiration = get("Expiration").ok_or_else(|| bad("has no Expiration"))?;
    let expiry = DateTime::parse_rfc3339(&expiration)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
        .ok_or_else(|| bad("has an Expiration that is not an RFC 3339 time"))?;
    let credentials = Credentials::new(access_key_id, secret, Some(token)).with_expiry(expiry);
    // The assumed role's ARN names the account.
    let arn = elements
        .iter()
        .find(|(p, _)| *p == format!("{action}Response/{action}Result/AssumedRoleUser/Arn"));
    Ok(
        match arn.and_then(|(_, arn)| super::arn_account(arn.trim())) {
            Some(account) => credentials.with_account_id(account),
            None => credentials,
        },
    )
}

/// `ErrorResponse/Error/Code` and `…/Message`, when the body has them.
pub(crate) fn parse_error(xml: &str) -> (Option<String>, Option<String>) {
    let Ok(elements) = elements(xml) else {
        return (None, None);
    };
    let get = |name: &str| {
        elements
            .iter()
            .find(|(p, _)| *p == format!("ErrorResponse/Error/{name}"))
            .map(|(_, v)| v.trim().chars().take(300).collect::<String>())
    };
    (get("Code"), get("Message"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding() {
        assert_eq!(
            form(&[("A", "x y&z=é"), ("B", "a-_.~")]),
            "A=x%20y%26z%3D%C3%A9&B=a-_.~"
        );
    }

    #[test]
    fn reads_credentials_and_errors_and_rejects_garbage() {
        let ok = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult><Credentials>
    <AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s&amp;&#x41;</SecretAccessKey>
    <SessionToken><![CDATA[tok]]></SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>
  </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"#;
        let c = parse_credentials(ok, "AssumeRoleWithWebIdentity").unwrap();
        assert_eq!(c.secret_access_key(), "s&A");
        assert_eq!(c.session_token(), Some("tok"));
        assert_eq!(c.account_id(), None);
        let with_user = ok.replace(
            "<Credentials>",
            "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/app/s</Arn></AssumedRoleUser><Credentials>",
        );
        let c = parse_credentials(&with_user, "AssumeRoleWithWebIdentity").unwrap();
        assert_eq!(c.account_id(), Some("123456789012"));
        let odd = with_user.replace("123456789012", "12345");
        let c = parse_credentials(&odd, "AssumeRoleWithWebIdentity").unwrap();
        assert_eq!(c.account_id(), None, "not twelve digits");
        let err = r#"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>expired</Message></Error></ErrorResponse>"#;
        assert_eq!(
            parse_error(err),
            (Some("InvalidIdentityToken".into()), Some("expired".into()))
        );
        for garbage in ["", "<a>", "<a></b>", "<a>&bogus;</a>", &"<a>".repeat(100)] {
            assert!(
                parse_credentials(garbage, "AssumeRoleWithWebIdentity").is_err(),
                "{garbage}"
            );
        }
    }
}
