//! Web identity credentials against a fake STS on loopback: the awsQuery form request, the
//! XML answer, an STS error (code and message, never the token), and missing configuration.

use smithgen_runtime::auth::credentials::ProvideCredentials;
use smithgen_runtime::auth::web_identity::WebIdentityCredentials;
use smithgen_runtime::auth::Env;

const JWT: &str = "eyJhbGciOi.web-identity-token-must-not-leak";
const SECRET: &str = "sts-secret-must-not-leak";

const OK: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
    <Credentials>
      <AccessKeyId>ASIASTS</AccessKeyId>
      <SecretAccessKey>sts-secret-must-not-leak</SecretAccessKey>
      <SessionToken>sts-session</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>"#;

const DENIED: &str = r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Token expired</Message></Error><RequestId>r-2</RequestId></ErrorResponse>"#;

mod support;

/// A fake STS answering `status` and `body`; records each request's head and body.
async fn sts(status: u16, body: &'static str) -> (String, support::Seen) {
    support::serve(move |_, _| (status, "text/xml", body.to_owned())).await
}

fn env(url: &str, token_file: &std::path::Path) -> Env {
    Env::from_vars([
        ("AWS_ENDPOINT_URL_STS", url.to_owned()),
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        (
            "AWS_ROLE_ARN",
            "arn:aws:iam::123456789012:role/app".to_owned(),
        ),
        ("AWS_ROLE_SESSION_NAME", "pod 1".to_owned()),
    ])
}

fn token_file(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("smithgen-wi-{name}-{}", std::process::id()));
    std::fs::write(&path, format!("{JWT}\n")).unwrap();
    path
}

#[tokio::test]
async fn exchanges_the_token_for_the_roles_credentials() {
    let (url, seen) = sts(200, OK).await;
    let file = token_file("ok");
    let credentials = WebIdentityCredentials::new(env(&url, &file))
        .provide_credentials()
        .await
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASTS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some("sts-session"));
    assert!(credentials.expiry().is_some());
    assert!(credentials
        .source()
        .contains("arn:aws:iam::123456789012:role/app"));
    assert!(!format!("{credentials:?}").contains(SECRET));
    let (head, form) = seen.lock().unwrap()[0].clone();
    assert!(head.starts_with("POST / HTTP/1.1"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded; charset=utf-8"),
        "{head}"
    );
    assert!(
        !head.to_ascii_lowercase().contains("authorization"),
        "unsigned: {head}"
    );
    assert_eq!(
        form,
        format!(
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
             &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp&RoleSessionName=pod%201\
             &WebIdentityToken={JWT}"
        )
    );
}

#[tokio::test]
async fn an_sts_error_names_its_code_and_never_the_token() {
    let (url, _) = sts(400, DENIED).await;
    let file = token_file("denied");
    let err = WebIdentityCredentials::new(env(&url, &file))
        .provide_credentials()
        .await
        .unwrap_err();
    std::fs::remove_file(&file).unwrap();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("HTTP 400, InvalidIdentityToken: Token expired"),
        "{text}"
    );
    assert!(!text.contains(JWT), "{text}");
}

#[tokio::test]
async fn missing_configuration_is_not_found_or_named() {
    let err = WebIdentityCredentials::new(Env::from_vars([("X", "y")]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = WebIdentityCredentials::new(Env::from_vars([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/no/such/token"),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/x"),
        ("AWS_REGION", "us-east-1"),
    ]))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("/no/such/token"), "{err}");
    // Garbage from STS is an error that does not quote it.
    let (url, _) = sts(200, "<AssumeRoleWithWebIdentityResponse><Credentials>").await;
    let file = token_file("garbage");
    let err = WebIdentityCredentials::new(env(&url, &file))
        .provide_credentials()
        .await
        .unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert!(err.to_string().contains("not valid XML"), "{err}");
}

#[tokio::test]
async fn the_default_chain_uses_web_identity_after_the_environment_and_the_profile() {
    let (url, seen) = sts(200, OK).await;
    let file = token_file("chain");
    let nowhere = std::env::temp_dir().join("smithgen-no-such-dir");
    let mut vars: Vec<(String, String)> = vec![
        ("AWS_ENDPOINT_URL_STS".into(), url.clone()),
        (
            "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
            file.display().to_string(),
        ),
        (
            "AWS_ROLE_ARN".into(),
            "arn:aws:iam::123456789012:role/app".into(),
        ),
        (
            "AWS_CONFIG_FILE".into(),
            nowhere.join("c").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            nowhere.join("s").display().to_string(),
        ),
    ];
    let env = Env::from_vars(vars.clone());
    let credentials =
        smithgen_runtime::auth::credentials::DefaultCredentialsChain::new(env.clone())
            .provide_credentials()
            .await
            .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIASTS");
    smithgen_runtime::client::Config::builder()
        .env(env)
        .region("us-east-1")
        .load_env()
        .expect("load_env defers the STS call");
    vars.push(("AWS_ACCESS_KEY_ID".into(), "AKIDENV".into()));
    vars.push(("AWS_SECRET_ACCESS_KEY".into(), "s".into()));
    let credentials = smithgen_runtime::auth::credentials::DefaultCredentialsChain::new(
        Env::from_vars(vars.clone()),
    )
    .provide_credentials()
    .await
    .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    // A profile with keys comes before the web identity variables too (the AWS SDKs' order).
    vars.truncate(vars.len() - 2);
    let keys = std::env::temp_dir().join(format!("smithgen-wi-keys-{}", std::process::id()));
    std::fs::write(
        &keys,
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n",
    )
    .unwrap();
    vars.retain(|(k, _)| k != "AWS_SHARED_CREDENTIALS_FILE");
    vars.push((
        "AWS_SHARED_CREDENTIALS_FILE".into(),
        keys.display().to_string(),
    ));
    let credentials =
        smithgen_runtime::auth::credentials::DefaultCredentialsChain::new(Env::from_vars(vars))
            .provide_credentials()
            .await
            .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROFILE");
    std::fs::remove_file(&keys).unwrap();
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the environment and the profile won without an STS call"
    );
    std::fs::remove_file(&file).unwrap();
}
