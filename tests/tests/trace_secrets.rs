//! Secrets stay out of logs: with a `tracing` subscriber at TRACE level capturing everything,
//! calls whose credentials come from the container endpoint (secret, session token and
//! authorization token all distinctive), one succeeding and one failing, and a failing
//! credential fetch, log nothing secret. The capture is checked to have recorded the calls.

use std::io::Write;
use std::sync::{Arc, Mutex};

use lightsail::client::{Client, Config, SdkError};
use smithgen_runtime::auth::container::ContainerCredentials;
use smithgen_runtime::auth::Env;
use smithgen_tests::server::{Action, Server};

const SECRET: &str = "trace-secret-must-not-leak";
const SESSION: &str = "trace-session-must-not-leak";
const AUTH: &str = "trace-auth-token-must-not-leak";

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

    let logged = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("smithgen_call"),
        "the capture recorded the calls:\n{logged}"
    );
    assert!(logged.contains("answered HTTP 500"), "{logged}");
    for secret in [SECRET, SESSION, AUTH] {
        assert!(!logged.contains(secret), "`{secret}` was logged:\n{logged}");
    }
}
