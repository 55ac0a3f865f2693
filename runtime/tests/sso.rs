//! SSO (IAM Identity Center) credentials against a fake portal on loopback: an `sso_session`
//! profile and a legacy one, through the default chain, reading the token `aws sso login`
//! cached; an expired or missing token and a portal error say what to do, and never show the
//! token or the secret.

use smithgen_runtime::auth::credentials::{DefaultCredentialsChain, ProvideCredentials};
use smithgen_runtime::auth::Env;

mod support;

const TOKEN: &str = "sso-access-token-must-not-leak";
const SECRET: &str = "sso-role-secret-must-not-leak";

/// A fake portal: `GetRoleCredentials` answers with role credentials, or 401.
async fn portal(status: u16) -> (String, support::Seen) {
    support::serve(move |_, _| {
        let body = if status == 200 {
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"{SECRET}","sessionToken":"sso-session","expiration":4102444800000}}}}"#
            )
        } else {
            r#"{"message":"Session token not found or invalid"}"#.to_owned()
        };
        (status, "application/json", body)
    })
    .await
}

struct Home(std::path::PathBuf);

impl Home {
    /// A home folder with `config` and, under `.aws/sso/cache/NAME.json`, a token expiring at
    /// `expires` (none when `None`).
    fn new(name: &str, config: &str, cache_key: &str, expires: Option<&str>) -> Home {
        use std::fmt::Write as _;
        let dir = std::env::temp_dir().join(format!("smithgen-sso-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = dir.join(".aws/sso/cache");
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        if let Some(expires) = expires {
            // Named by the SHA-1 (hex) of the session name or start URL, as `aws sso login`
            // names it; the names used below were computed independently (Python's hashlib).
            let mut file = String::new();
            write!(
                file,
                r#"{{"startUrl":"https://d-1.awsapps.com/start","region":"eu-west-1","accessToken":"{TOKEN}","expiresAt":"{expires}"}}"#
            )
            .unwrap();
            std::fs::write(cache.join(format!("{cache_key}.json")), file).unwrap();
        }
        Home(dir)
    }

    fn env(&self, url: &str) -> Env {
        Env::from_vars([
            ("HOME".to_owned(), self.0.display().to_string()),
            ("AWS_ENDPOINT_URL_SSO".to_owned(), url.to_owned()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ])
    }
}

const SESSION_CONFIG: &str = "[default]\nsso_session = my-sso\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = eu-west-1\n\n[sso-session my-sso]\nsso_region = eu-west-1\nsso_start_url = https://d-1.awsapps.com/start\n";
/// SHA-1("my-sso"), the cache file name of the session.
const SESSION_KEY: &str = "0ad374308c5a4e22f723adf10145eafad7c4031c";

#[tokio::test]
async fn an_sso_session_profile_gets_role_credentials_with_the_cached_token() {
    let (url, seen) = portal(200).await;
    let home = Home::new(
        "session",
        SESSION_CONFIG,
        SESSION_KEY,
        Some("2099-01-01T00:00:00Z"),
    );
    let credentials = DefaultCredentialsChain::new(home.env(&url))
        .provide_credentials()
        .await
        .expect("SSO credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some("sso-session"));
    assert_eq!(credentials.account_id(), Some("123456789012"));
    assert!(credentials.expiry().is_some());
    assert!(
        credentials.source().contains("SSO (ReadOnly"),
        "{}",
        credentials.source()
    );
    assert!(!format!("{credentials:?}").contains(SECRET));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let head = &seen[0].0;
    assert!(
        head.starts_with("GET /federation/credentials?account_id=123456789012&role_name=ReadOnly "),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("x-amz-sso_bearer_token: {TOKEN}")),
        "{head}"
    );
    assert!(
        !head.to_ascii_lowercase().contains("authorization:"),
        "unsigned: {head}"
    );
}

#[tokio::test]
async fn a_legacy_profile_names_its_start_url_and_region() {
    let (url, _) = portal(200).await;
    let config = "[profile legacy]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n";
    // SHA-1("https://d-1.awsapps.com/start")
    let home = Home::new(
        "legacy",
        config,
        "0c54b6c27e90660baa89eaad85ac1d5dae26cb7d",
        Some("2099-01-01T00:00:00Z"),
    );
    let env = Env::from_vars([
        ("HOME".to_owned(), home.0.display().to_string()),
        ("AWS_ENDPOINT_URL_SSO".to_owned(), url.clone()),
        ("AWS_PROFILE".to_owned(), "legacy".to_owned()),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ]);
    let credentials = DefaultCredentialsChain::new(env)
        .provide_credentials()
        .await
        .expect("legacy SSO credentials");
    assert_eq!(credentials.access_key_id(), "ASIASSO");
}

#[tokio::test]
async fn expired_or_missing_tokens_and_portal_errors_say_what_to_do_without_secrets() {
    let (url, _) = portal(200).await;
    let expired = Home::new(
        "expired",
        SESSION_CONFIG,
        SESSION_KEY,
        Some("2001-01-01T00:00:00Z"),
    );
    let e = DefaultCredentialsChain::new(expired.env(&url))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("expired") && e.contains("aws sso login --sso-session my-sso"),
        "{e}"
    );
    assert!(!e.contains(TOKEN), "{e}");

    let missing = Home::new("missing", SESSION_CONFIG, SESSION_KEY, None);
    let e = DefaultCredentialsChain::new(missing.env(&url))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no cached token") && e.contains("aws sso login"),
        "{e}"
    );

    let (denied, _) = portal(401).await;
    let home = Home::new(
        "denied",
        SESSION_CONFIG,
        SESSION_KEY,
        Some("2099-01-01T00:00:00Z"),
    );
    let e = DefaultCredentialsChain::new(home.env(&denied))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("HTTP 401") && e.contains("Session token not found"),
        "{e}"
    );
    assert!(e.contains("aws sso login"), "{e}");
    assert!(!e.contains(TOKEN), "{e}");

    let incomplete = Home::new(
        "incomplete",
        "[default]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n",
        SESSION_KEY,
        None,
    );
    let e = DefaultCredentialsChain::new(incomplete.env(&url))
        .provide_credentials()
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("[sso-session nowhere]"), "{e}");
}
