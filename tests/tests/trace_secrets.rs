//! Secrets stay out of logs: with a `tracing` subscriber at TRACE level capturing everything,
//! calls whose credentials come from the container endpoint (secret, session token and
//! authorization token all distinctive), one succeeding and one failing, and a failing
//! credential fetch, log nothing secret; nor do calls with SSO credentials (the cached token,
//! the role's secret), answered or refused by the portal. The capture is checked to have recorded the calls.

use std::io::Write;
use std::sync::{Arc, Mutex};

use lightsail::client::{Client, Config, SdkError};
use smithgen_runtime::auth::container::ContainerCredentials;
use smithgen_runtime::auth::Env;
use smithgen_tests::server::{Action, Server};

const SECRET: &str = "trace-secret-must-not-leak";
const SESSION: &str = "trace-session-must-not-leak";
const AUTH: &str = "trace-auth-token-must-not-leak";
const SSO_TOKEN: &str = "trace-sso-token-must-not-leak";
const SSO_SECRET: &str = "trace-sso-secret-must-not-leak";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[tokio::test]
async fn nothing_secret_is_logged_at_trace_level() {
    let capture = Capture::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .init();

    let credentials = Server::start([Action::json(
        200,
        &format!(
            r#"{{"AccessKeyId":"ASIATRACE","SecretAccessKey":"{SECRET}","Token":"{SESSION}","Expiration":"2099-01-01T00:00:00Z"}}"#
        ),
    )]);
    let service = Server::start([
        Action::json(200, r#"{"operation":{"id":"op-1","status":"Succeeded"}}"#),
        Action::error(403, "AccessDeniedException", "denied"),
    ]);
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", credentials.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH.to_owned()),
    ]);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(service.url())
            .max_attempts(1)
            .credentials(ContainerCredentials::new(env))
            .build(),
    );
    client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap();
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(
        credentials.received()[0].header("authorization"),
        Some(AUTH),
        "the token was sent"
    );

    // A credential endpoint that fails: its error is logged nowhere with a secret either.
    let failing = Server::start([Action::raw(500, "text/plain", &format!("oops {AUTH}"))]);
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", failing.url()),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH.to_owned()),
    ]);
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(service.url())
            .credentials(ContainerCredentials::new(env))
            .build(),
    );
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    tracing::error!(error = %err, debug = ?err, "the caller logs the error");

    // SSO: the cached access token goes to the portal, the role's secret comes back; neither
    // is logged, whether the portal answers or refuses.
    let home = std::env::temp_dir().join(format!("smithgen-trace-sso-{}", std::process::id()));
    let cache = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[default]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = R\n\n[sso-session s]\nsso_region = us-east-1\nsso_start_url = https://d-1.awsapps.com/start\n",
    )
    .unwrap();
    // SHA-1("s"), the cache file name of session `s`.
    std::fs::write(
        cache.join("a0f1490a20d0211c997b44bc357e1972deab8ae3.json"),
        format!(r#"{{"accessToken":"{SSO_TOKEN}","expiresAt":"2099-01-01T00:00:00Z"}}"#),
    )
    .unwrap();
    let portal = Server::start([
        Action::json(
            200,
            &format!(
                r#"{{"roleCredentials":{{"accessKeyId":"ASIASSO","secretAccessKey":"{SSO_SECRET}","sessionToken":"t","expiration":4102444800000}}}}"#
            ),
        ),
        Action::raw(
            401,
            "application/json",
            &format!(r#"{{"message":"bad {SSO_TOKEN}"}}"#),
        ),
    ]);
    for _ in 0..2 {
        let env = Env::from_vars([
            ("HOME".to_owned(), home.display().to_string()),
            ("AWS_ENDPOINT_URL_SSO".to_owned(), portal.url()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ]);
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .endpoint_url(service.url())
                .max_attempts(1)
                .credentials(smithgen_runtime::auth::credentials::DefaultCredentialsChain::new(env))
                .build(),
        );
        let result = client.create_key_pair().key_pair_name("k").send().await;
        tracing::error!(result = ?result.map(|_| ()), "the caller logs the result");
    }
    assert_eq!(portal.received().len(), 2, "the portal was asked twice");

    let logged = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("smithgen_call"),
        "the capture recorded the calls:\n{logged}"
    );
    assert!(logged.contains("answered HTTP 500"), "{logged}");
    for secret in [SECRET, SESSION, AUTH, SSO_TOKEN, SSO_SECRET] {
        assert!(!logged.contains(secret), "`{secret}` was logged:\n{logged}");
    }
}
