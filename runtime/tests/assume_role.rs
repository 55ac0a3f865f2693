//! Assume-role profiles against a fake STS on loopback: `source_profile` with static keys, a
//! two-role chain (each call signed by the previous credentials), `credential_source =
//! Environment`, profiles with `web_identity_token_file` (alone and as a chain's source), cycle
//! detection, and STS errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use smithgen_runtime::auth::credentials::{DefaultCredentialsChain, ProvideCredentials};
use smithgen_runtime::auth::Env;

mod support;

/// A fake STS: answers the n-th AssumeRole (or AssumeRoleWithWebIdentity) with `ASIA<n>`
/// credentials (or 403 with an ErrorResponse when `deny`); records (request head, form body).
async fn sts(deny: bool) -> (String, support::Seen) {
    let count = Arc::new(AtomicUsize::new(0));
    support::serve(move |_, form| {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        let body = if deny {
            return (403, "text/xml", "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>".to_owned());
        } else if form.starts_with("Action=AssumeRoleWithWebIdentity&") {
            format!("<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIA{n}</AccessKeyId><SecretAccessKey>secret{n}</SecretAccessKey><SessionToken>token{n}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>")
        } else {
            format!("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA{n}</AccessKeyId><SecretAccessKey>secret{n}</SecretAccessKey><SessionToken>token{n}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>")
        };
        (200, "text/xml", body)
    })
    .await
}

struct Files(std::path::PathBuf);

impl Files {
    fn new(name: &str, config: &str) -> Files {
        let dir = std::env::temp_dir().join(format!("smithgen-ar-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config"), config).unwrap();
        Files(dir)
    }

    fn env(&self, url: &str, profile: &str, extra: &[(&str, &str)]) -> Env {
        let mut vars = vec![
            (
                "AWS_CONFIG_FILE".to_owned(),
                self.0.join("config").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                self.0.join("none").display().to_string(),
            ),
            ("AWS_ENDPOINT_URL_STS".to_owned(), url.to_owned()),
            ("AWS_PROFILE".to_owned(), profile.to_owned()),
        ];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(vars)
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CONFIG: &str = "\
[profile deploy]
role_arn = arn:aws:iam::111111111111:role/deploy
source_profile = jump
role_session_name = ci
external_id = ext-1

[profile jump]
role_arn = arn:aws:iam::222222222222:role/jump
source_profile = base
region = eu-west-1

[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret

[profile from-env]
role_arn = arn:aws:iam::333333333333:role/env
credential_source = Environment

[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a
";

#[tokio::test]
async fn a_two_role_chain_signs_each_call_with_the_previous_credentials() {
    let (url, seen) = sts(false).await;
    let files = Files::new("chain", CONFIG);
    let credentials = DefaultCredentialsChain::new(files.env(&url, "deploy", &[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIA2");
    assert_eq!(credentials.secret_access_key(), "secret2");
    assert_eq!(credentials.session_token(), Some("token2"));
    assert!(
        credentials.source().contains("role/deploy"),
        "{}",
        credentials.source()
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    // First the jump role, signed by base's keys for eu-west-1 (jump's region).
    assert!(seen[0].0.contains("Credential=AKIDBASE/"), "{}", seen[0].0);
    assert!(
        seen[0].0.contains("/eu-west-1/sts/aws4_request"),
        "{}",
        seen[0].0
    );
    assert!(seen[0].1.starts_with("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fjump&RoleSessionName=smithgen-"), "{}", seen[0].1);
    // Then deploy, signed by the jump role's credentials.
    assert!(seen[1].0.contains("Credential=ASIA1/"), "{}", seen[1].0);
    assert_eq!(
        seen[1].1,
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fdeploy&RoleSessionName=ci&ExternalId=ext-1"
    );
}

#[tokio::test]
async fn credential_source_environment() {
    let (url, seen) = sts(false).await;
    let files = Files::new("env", CONFIG);
    let env = files.env(
        &url,
        "from-env",
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    // The environment's own keys come first in the default chain; ask the profile directly.
    let credentials =
        smithgen_runtime::auth::assume_role::AssumeRoleCredentials::new(env, "from-env")
            .provide_credentials()
            .await
            .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIA1");
    assert!(seen.lock().unwrap()[0].0.contains("Credential=AKIDENV/"));
}

#[tokio::test]
async fn cycles_are_detected_and_sts_errors_reported() {
    let (url, seen) = sts(false).await;
    let files = Files::new("cycle", CONFIG);
    let err = DefaultCredentialsChain::new(files.env(&url, "loop-a", &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cycle: loop-a -> loop-b -> loop-a"),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty(), "no STS call");

    let (url, _) = sts(true).await;
    let err = DefaultCredentialsChain::new(files.env(&url, "deploy", &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("HTTP 403, AccessDenied: not allowed"),
        "{text}"
    );
    assert!(!text.contains("base-secret"), "{text}");
    // Config::load_env accepts an assume-role profile (STS is called at the first request).
    smithgen_runtime::client::Config::builder()
        .env(files.env(&url, "deploy", &[]))
        .region("us-east-1")
        .load_env()
        .expect("load_env defers the STS call");
}

const JWT: &str = "eyJhbGciOi.profile-web-identity-token-must-not-leak";

fn web_identity_files(name: &str) -> Files {
    let files = Files::new(name, "");
    let token = files.0.join("token");
    std::fs::write(&token, format!("{JWT}\n")).unwrap();
    let config = format!(
        "\
[profile irsa]
role_arn = arn:aws:iam::444444444444:role/irsa
web_identity_token_file = {}
role_session_name = pod-7

[profile app]
role_arn = arn:aws:iam::555555555555:role/app
source_profile = irsa

[profile tokenless]
web_identity_token_file = {}
",
        token.display(),
        token.display()
    );
    std::fs::write(files.0.join("config"), config).unwrap();
    files
}

#[tokio::test]
async fn a_profile_web_identity_token_file_assumes_its_role_with_the_token() {
    let (url, seen) = sts(false).await;
    let files = web_identity_files("wi");
    let credentials = DefaultCredentialsChain::new(files.env(&url, "irsa", &[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIA1");
    assert_eq!(
        credentials.source(),
        "web identity (arn:aws:iam::444444444444:role/irsa, profile irsa)"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(
        !seen[0].0.to_ascii_lowercase().contains("authorization:"),
        "AssumeRoleWithWebIdentity is not signed: {}",
        seen[0].0
    );
    assert_eq!(
        seen[0].1,
        format!(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444444444444%3Arole%2Firsa&RoleSessionName=pod-7&WebIdentityToken={JWT}"
        )
    );
    // Config::load_env accepts it (STS is called at the first request).
    smithgen_runtime::client::Config::builder()
        .env(files.env(&url, "irsa", &[("AWS_EC2_METADATA_DISABLED", "true")]))
        .region("us-east-1")
        .load_env()
        .expect("load_env defers the STS call");
}

#[tokio::test]
async fn a_web_identity_profile_can_be_a_source_profile() {
    let (url, seen) = sts(false).await;
    let files = web_identity_files("wi-chain");
    let credentials = DefaultCredentialsChain::new(files.env(&url, "app", &[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIA2");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].1.starts_with("Action=AssumeRoleWithWebIdentity&"),
        "{}",
        seen[0].1
    );
    // The app role is assumed with the web identity role's credentials.
    assert!(seen[1].0.contains("Credential=ASIA1/"), "{}", seen[1].0);
    assert!(seen[1].1.contains("role%2Fapp"), "{}", seen[1].1);
}

#[tokio::test]
async fn web_identity_profile_errors_name_the_problem_and_not_the_token() {
    let (url, seen) = sts(false).await;
    let files = web_identity_files("wi-err");
    // A token file without role_arn.
    let err = DefaultCredentialsChain::new(files.env(&url, "tokenless", &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.is_not_found());
    assert!(
        err.to_string()
            .contains("profile `tokenless` sets web_identity_token_file"),
        "{err}"
    );
    assert!(err.to_string().contains("no role_arn"), "{err}");
    // A token file that is not there.
    std::fs::remove_file(files.0.join("token")).unwrap();
    let err = DefaultCredentialsChain::new(files.env(&url, "irsa", &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("profile `irsa`'s web_identity_token_file names"),
        "{err}"
    );
    assert!(seen.lock().unwrap().is_empty(), "no STS call");
    // STS refusing the token: the code and message, never the token.
    let (url, _) = sts(true).await;
    let files = web_identity_files("wi-deny");
    let err = DefaultCredentialsChain::new(files.env(&url, "irsa", &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("AccessDenied: not allowed"), "{text}");
    assert!(!text.contains(JWT), "{text}");
}
