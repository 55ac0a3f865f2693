//! The generated Lightsail client against a real HTTP server on 127.0.0.1: the exact request
//! (headers, body, a SigV4 signature recomputed here from the known secret), retries with
//! backoff, timeouts, broken connections and the mapping of every modeled error.

use std::time::Duration;

use hmac::{Hmac, Mac};
use lightsail::client::{Client, Config, Credentials, RetryConfig, SdkError};
use lightsail::operation::create_key_pair::CreateKeyPairError;
use lightsail::types::Tag;
use sha2::{Digest, Sha256};
use smithgen_runtime::client::{ConnectorErrorKind, TimeoutKind};
use smithgen_tests::server::{Action, Received, Server};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

const CREATED: &str = r#"{"keyPair":{"name":"k","arn":"arn:aws:lightsail:us-east-1:123456789012:KeyPair/1","fingerprint":"d0:0d","createdAt":1700000000.5},"operation":{"id":"op-1","status":"Succeeded"}}"#;

fn client(server: &Server) -> Client {
    Client::new(config(server).build())
}

fn config(server: &Server) -> lightsail::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(AKID, SECRET, None))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(20)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Recomputes the request's SigV4 signature from the secret, independently of the runtime's
/// signer, and returns (expected, sent).
fn signatures(r: &Received, secret: &str) -> (String, String) {
    let auth = r.header("authorization").expect("Authorization header");
    let rest = auth
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .expect("SigV4 algorithm");
    let field = |name: &str| {
        rest.split(", ")
            .find_map(|p| p.strip_prefix(name))
            .expect(name)
            .to_owned()
    };
    let credential = field("Credential=");
    let signed = field("SignedHeaders=");
    let sent = field("Signature=");
    let scope = credential.split_once('/').expect("scope").1.to_owned();
    let parts: Vec<&str> = scope.split('/').collect();
    let (date, region, service) = (parts[0], parts[1], parts[2]);
    let amz_date = r.header("x-amz-date").expect("X-Amz-Date");
    assert!(amz_date.starts_with(date));
    let mut canonical = format!("{}\n{}\n\n", r.method, r.path);
    for name in signed.split(';') {
        let values: Vec<&str> = r
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        assert!(!values.is_empty(), "signed header {name} was not sent");
        canonical.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    canonical.push_str(&format!("\n{signed}\n{}", hex(&Sha256::digest(&r.body))));
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date);
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part);
    }
    (hex(&hmac(&key, &to_sign)), sent)
}

#[tokio::test]
async fn sends_the_exact_signed_request_and_parses_the_response() {
    let server = Server::start([Action::json(200, CREATED)]);
    let out = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .tags(Tag::builder().key("team").value("platform").build())
        .send()
        .await
        .expect("the call succeeds");
    let key_pair = out.key_pair.as_ref().expect("keyPair");
    assert_eq!(key_pair.name.as_deref(), Some("k"));
    assert_eq!(key_pair.fingerprint.as_deref(), Some("d0:0d"));
    assert_eq!(out.request_id(), Some("req-200"));
    assert_eq!(out.attempts(), 1);

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(
        r.header("x-amz-target"),
        Some("Lightsail_20161128.CreateKeyPair")
    );
    assert_eq!(
        r.header("host"),
        Some(server.url().trim_start_matches("http://"))
    );
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        r#"{"keyPairName":"k","tags":[{"key":"team","value":"platform"}]}"#
    );
    assert_eq!(r.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert!(r.header("user-agent").unwrap().starts_with("smithgen/"));
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.contains("/us-east-1/lightsail/aws4_request"),
        "scope: {auth}"
    );
    let signed = auth.split("SignedHeaders=").nth(1).unwrap();
    for h in ["content-type", "host", "x-amz-date", "x-amz-target"] {
        assert!(signed.contains(h), "{h} is signed: {auth}");
    }
    let (expected, sent) = signatures(r, SECRET);
    assert_eq!(sent, expected, "the signature verifies with the secret");
    assert_ne!(signatures(r, "another secret").0, sent);
}

#[tokio::test]
async fn session_tokens_are_sent_and_signed() {
    let server = Server::start([Action::json(200, "{}")]);
    let client = Client::new(
        config(&server)
            .credentials(Credentials::new(AKID, SECRET, Some("the-token".into())))
            .build(),
    );
    client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap();
    let r = &server.received()[0];
    assert_eq!(r.header("x-amz-security-token"), Some("the-token"));
    let (expected, sent) = signatures(r, SECRET);
    assert_eq!(sent, expected);
}

/// A user's own provider that awaits before answering (as one calling a vault would), counting
/// its calls; its credentials expire in an hour.
#[derive(Debug, Default)]
struct AsyncVault {
    calls: std::sync::atomic::AtomicUsize,
}

impl smithgen_runtime::auth::credentials::ProvideCredentials for AsyncVault {
    fn provide_credentials(&self) -> smithgen_runtime::auth::credentials::ProvideFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(
                Credentials::new("AKIDVAULT", SECRET, Some("vault-token".into()))
                    .with_expiry(std::time::SystemTime::now() + Duration::from_secs(3600))
                    .with_source("vault"),
            )
        })
    }
}

#[tokio::test]
async fn a_users_async_provider_signs_calls_and_is_cached() {
    let server = Server::start([Action::json(200, "{}"), Action::json(200, "{}")]);
    let vault = std::sync::Arc::new(AsyncVault::default());
    let client = Client::new(config(&server).credentials_provider(vault.clone()).build());
    for _ in 0..2 {
        client
            .create_key_pair()
            .key_pair_name("k")
            .send()
            .await
            .unwrap();
    }
    let r = &server.received()[1];
    assert!(
        r.header("authorization")
            .is_some_and(|a| a.contains("Credential=AKIDVAULT/")),
        "{:?}",
        r.header("authorization")
    );
    assert_eq!(r.header("x-amz-security-token"), Some("vault-token"));
    let (expected, sent) = signatures(r, SECRET);
    assert_eq!(sent, expected);
    assert_eq!(
        vault.calls.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the second call used the cached credentials"
    );
}

#[tokio::test]
async fn retries_server_errors_with_backoff() {
    let server = Server::start([
        Action::error(500, "InternalFailure", "oops"),
        Action::raw(503, "text/html", "<html>busy</html>"),
        Action::json(200, CREATED),
    ]);
    let out = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(out.attempts(), 3);
    let received = server.received();
    assert_eq!(received.len(), 3);
    for (i, r) in received.iter().enumerate() {
        assert_eq!(
            r.header("amz-sdk-request"),
            Some(format!("attempt={}; max=3", i + 1).as_str())
        );
        assert_eq!(signatures(r, SECRET).0, signatures(r, SECRET).1);
    }
    // One invocation id for the whole call.
    assert_eq!(
        received[0].header("amz-sdk-invocation-id"),
        received[2].header("amz-sdk-invocation-id")
    );
    // Full jitter under a 20 ms, then 40 ms ceiling (plus scheduling slack).
    let gap = received[2].at - received[0].at;
    assert!(gap < Duration::from_millis(60 + 500), "{gap:?}");
}

#[tokio::test]
async fn retries_throttling() {
    let server = Server::start([
        Action::error(400, "ThrottlingException", "Rate exceeded"),
        Action::json(200, CREATED),
    ]);
    let out = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(out.attempts(), 2);
}

#[tokio::test]
async fn never_retries_other_client_errors() {
    let server = Server::start([
        Action::error(400, "InvalidInputException", "bad name"),
        Action::json(200, CREATED),
    ]);
    let err = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect_err("a 400 is final");
    assert_eq!(server.received().len(), 1);
    assert_eq!(err.attempts(), 1);
    assert_eq!(err.request_id(), Some("req-400"));
    match err.into_service_error() {
        Some(CreateKeyPairError::InvalidInputException(e)) => {
            assert_eq!(e.message.as_deref(), Some("bad name"))
        }
        other => panic!("expected InvalidInputException, got {other:?}"),
    }
}

#[tokio::test]
async fn gives_up_after_the_allowed_attempts() {
    let page = "<html><body>502 Bad Gateway</body></html>";
    let server = Server::start((0..5).map(|_| Action::raw(502, "text/html", page)));
    let err = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect_err("every attempt fails");
    assert_eq!(server.received().len(), 3);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status(), Some(502));
    match err.as_service_error() {
        Some(CreateKeyPairError::Unhandled(e)) => {
            assert_eq!(e.status(), Some(502));
            assert_eq!(e.body(), page.as_bytes());
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let server = Server::start((0..5).map(|_| Action::error(500, "InternalFailure", "x")));
    let client = Client::new(config(&server).max_attempts(5).build());
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 5);
    assert_eq!(server.received().len(), 5);
}

#[tokio::test]
async fn attempt_timeout_then_retry_limit() {
    let slow = || Action::Delay(Duration::from_secs(3), Box::new(Action::json(200, CREATED)));
    let server = Server::start([slow(), slow()]);
    let client = Client::new(
        config(&server)
            .max_attempts(2)
            .attempt_timeout(Duration::from_millis(200))
            .build(),
    );
    let started = std::time::Instant::now();
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Timeout(t) => {
            assert_eq!(t.kind, TimeoutKind::Attempt);
            assert_eq!(t.attempts, 2);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn operation_timeout_covers_retries() {
    let server = Server::start((0..10).map(|_| {
        Action::Delay(
            Duration::from_millis(150),
            Box::new(Action::error(500, "InternalFailure", "x")),
        )
    }));
    let client = Client::new(
        config(&server)
            .max_attempts(10)
            .operation_timeout(Duration::from_millis(400))
            .build(),
    );
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Timeout(t) => assert_eq!(t.kind, TimeoutKind::Operation),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("operation timeout"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_error_after_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(AKID, SECRET, None))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
            .build(),
    );
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Dispatch(e) => assert_eq!(e.kind(), ConnectorErrorKind::Connect),
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

#[tokio::test]
async fn a_body_cut_short_is_retried_then_reported() {
    let server = Server::start([Action::CloseMidBody, Action::json(200, CREATED)]);
    let out = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(out.attempts(), 2);

    let server = Server::start((0..3).map(|_| Action::CloseMidBody));
    let err = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 3);
    match &err {
        SdkError::Dispatch(e) => assert_eq!(e.kind(), ConnectorErrorKind::Io),
        other => panic!("expected a dispatch error, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_success_bodies_name_the_json_path() {
    let server = Server::start([Action::json(200, r#"{"keyPair":{"createdAt":"soon"}}"#)]);
    let err = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Response(f) => {
            assert_eq!(f.status, 200);
            assert!(f.error.to_string().contains("keyPair.createdAt"), "{err}");
        }
        other => panic!("expected a response failure, got {other:?}"),
    }
}

#[tokio::test]
async fn every_modeled_error_maps_to_its_variant() {
    let codes = [
        "ServiceException",
        "InvalidInputException",
        "NotFoundException",
        "OperationFailureException",
        "AccessDeniedException",
        "AccountSetupInProgressException",
        "UnauthenticatedException",
    ];
    let server = Server::start(
        codes
            .iter()
            .map(|c| Action::error(400, &format!("com.amazonaws.lightsail#{c}"), "m")),
    );
    let client = client(&server);
    for code in codes {
        let err = client
            .create_key_pair()
            .key_pair_name("k")
            .send()
            .await
            .unwrap_err();
        let e = err.into_service_error().expect("a service error");
        let variant = format!("{e:?}");
        assert!(variant.starts_with(code), "{code}: {variant}");
        assert_eq!(e.code(), code);
    }
}

#[tokio::test]
async fn a_missing_required_member_fails_before_sending() {
    let server = Server::start([]);
    let err = client(&server).create_key_pair().send().await.unwrap_err();
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("key_pair_name"), "{err}");
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn secrets_never_reach_debug_or_errors() {
    let server = Server::start([Action::error(403, "UnrecognizedClientException", "bad")]);
    let client = Client::new(
        config(&server)
            .credentials(Credentials::new(AKID, SECRET, Some("TOKEN-VALUE".into())))
            .build(),
    );
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{err:?}"),
        err.to_string(),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("TOKEN-VALUE"), "{text}");
    }
}

mod configuration {
    use lightsail::client::{Client, Config};
    use smithgen_runtime::auth::Env;

    fn env(vars: &[(&str, &str)]) -> Env {
        let mut all = vec![
            ("AWS_CONFIG_FILE", "/nonexistent/smithgen/config"),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/smithgen/credentials",
            ),
        ];
        all.extend_from_slice(vars);
        Env::from_vars(all)
    }

    fn creds() -> Vec<(&'static str, &'static str)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_REGION", "eu-west-3"),
        ]
    }

    fn endpoint(vars: &[(&str, &str)]) -> String {
        let config = Config::builder()
            .env(env(vars))
            .load_env()
            .expect("a complete environment")
            .build();
        Client::new(config)
            .handle()
            .endpoint()
            .expect("an endpoint")
            .url
            .clone()
    }

    #[test]
    fn the_region_decides_the_default_endpoint() {
        assert_eq!(
            endpoint(&creds()),
            "https://lightsail.eu-west-3.amazonaws.com"
        );
    }

    #[test]
    fn fips_and_dual_stack_come_from_config_or_environment() {
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .use_fips(true)
                .use_dual_stack(true)
                .build(),
        );
        assert_eq!(
            client.handle().endpoint().unwrap().url,
            "https://lightsail-fips.us-east-1.api.aws"
        );
        let mut vars = creds();
        vars.push(("AWS_USE_FIPS_ENDPOINT", "true"));
        assert_eq!(
            endpoint(&vars),
            "https://lightsail-fips.eu-west-3.amazonaws.com"
        );
    }

    #[test]
    fn the_service_endpoint_variable_beats_the_global_one() {
        let mut vars = creds();
        vars.push(("AWS_ENDPOINT_URL", "http://global.example:1"));
        assert_eq!(endpoint(&vars), "http://global.example:1");
        vars.push(("AWS_ENDPOINT_URL_LIGHTSAIL", "http://lightsail.example:2"));
        assert_eq!(endpoint(&vars), "http://lightsail.example:2");
    }

    #[test]
    fn endpoint_auth_schemes_set_the_signing_region() {
        let client = Client::new(Config::builder().region("eu-central-1").build());
        let endpoint = client.handle().endpoint().unwrap();
        assert_eq!(endpoint.signing_name, "lightsail");
        assert_eq!(endpoint.signing_region, "eu-central-1");
    }

    #[test]
    fn max_attempts_comes_from_the_environment() {
        let mut vars = creds();
        vars.push(("AWS_MAX_ATTEMPTS", "7"));
        let config = Config::builder()
            .env(env(&vars))
            .load_env()
            .unwrap()
            .build();
        assert_eq!(config.retry().max_attempts(), 7);
        vars.pop();
        vars.push(("AWS_MAX_ATTEMPTS", "lots"));
        let err = Config::builder().env(env(&vars)).load_env().unwrap_err();
        assert!(err.to_string().contains("AWS_MAX_ATTEMPTS"), "{err}");
    }

    #[test]
    fn the_account_id_endpoint_mode_comes_from_the_environment() {
        let config = Config::builder()
            .env(env(&creds()))
            .load_env()
            .unwrap()
            .build();
        assert_eq!(
            config.account_id_endpoint_mode(),
            lightsail::client::AccountIdEndpointMode::Preferred
        );
        let mut vars = creds();
        vars.push(("AWS_ACCOUNT_ID_ENDPOINT_MODE", "Required"));
        let config = Config::builder()
            .env(env(&vars))
            .load_env()
            .unwrap()
            .build();
        assert_eq!(
            config.account_id_endpoint_mode(),
            lightsail::client::AccountIdEndpointMode::Required
        );
        vars.pop();
        vars.push(("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes"));
        let err = Config::builder().env(env(&vars)).load_env().unwrap_err();
        assert!(err.to_string().contains("`sometimes`"), "{err}");
    }

    #[test]
    fn a_missing_region_says_where_it_looked() {
        let err = Config::builder()
            .env(env(&[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ]))
            .load_env()
            .unwrap_err()
            .to_string();
        for looked_at in [
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "/nonexistent/smithgen/config",
        ] {
            assert!(err.contains(looked_at), "{err}");
        }
    }

    #[test]
    fn missing_credentials_say_where_they_looked() {
        let err = Config::builder()
            .env(env(&[
                ("AWS_REGION", "us-east-1"),
                ("AWS_PROFILE", "ops"),
                // Else IMDS is left to ask at the first call.
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ]))
            .load_env()
            .unwrap_err()
            .to_string();
        for looked_at in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "/nonexistent/smithgen/credentials",
            "/nonexistent/smithgen/config",
            "ops",
        ] {
            assert!(err.contains(looked_at), "{err}");
        }
    }

    #[test]
    fn half_set_credentials_name_the_missing_variable() {
        let err = Config::builder()
            .env(env(&[
                ("AWS_REGION", "us-east-1"),
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ]))
            .load_env()
            .unwrap_err()
            .to_string();
        assert!(err.contains("AWS_SECRET_ACCESS_KEY"), "{err}");
    }

    #[test]
    fn credentials_and_region_from_the_shared_files() {
        let dir = std::env::temp_dir().join(format!("smithgen-client-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let credentials = dir.join("credentials");
        let config_file = dir.join("config");
        std::fs::write(
            &credentials,
            "[ops]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n",
        )
        .unwrap();
        std::fs::write(&config_file, "[profile ops]\nregion = ap-south-1\n").unwrap();
        let config = Config::builder()
            .env(Env::from_vars([
                ("AWS_PROFILE", "ops"),
                ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
                ("AWS_CONFIG_FILE", config_file.to_str().unwrap()),
            ]))
            .load_env()
            .expect("the files are complete")
            .build();
        assert_eq!(config.region(), Some("ap-south-1"));
        let debug = format!("{config:?}");
        assert!(!debug.contains("file-secret"), "{debug}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[tokio::test]
async fn an_endpoint_error_rule_reaches_the_caller() {
    let server = Server::start([]);
    let client = Client::new(config(&server).use_fips(true).build());
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("Invalid Configuration: FIPS and custom endpoint are not supported"),
        "{err}"
    );
    assert!(server.received().is_empty());
}

/// A response body past the configured limit fails the call, whether the server announces its
/// length or streams it, and is not retried; one within the limit (chunked too) is read.
#[tokio::test]
async fn response_bodies_past_the_limit_fail_without_retry() {
    let big = format!(r#"{{"privateKeyBase64":"{}"}}"#, "A".repeat(4096));
    let limited = |server: &Server| Client::new(config(server).max_response_body(1024).build());

    for action in [
        Action::json(200, &big),
        Action::Chunked {
            body: big.clone().into_bytes(),
            chunk: 256,
        },
    ] {
        let server = Server::start([action]);
        let err = limited(&server)
            .create_key_pair()
            .key_pair_name("k")
            .send()
            .await
            .unwrap_err();
        match &err {
            SdkError::Dispatch(e) => {
                assert_eq!(e.kind(), ConnectorErrorKind::Other);
                assert!(e.to_string().contains("1024 bytes"), "{e}");
            }
            other => panic!("expected a dispatch error, got {other:?}"),
        }
        assert_eq!(server.received().len(), 1, "not retried");
    }

    let server = Server::start([Action::Chunked {
        body: CREATED.as_bytes().to_vec(),
        chunk: 100,
    }]);
    let out = Client::new(config(&server).build())
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("a chunked body within the limit is read");
    let key_pair = out.key_pair.as_ref().expect("the key pair is read");
    assert_eq!(key_pair.fingerprint.as_deref(), Some("d0:0d"));
    assert_eq!(
        Config::builder().build().max_response_body(),
        smithgen_runtime::client::DEFAULT_MAX_RESPONSE_BODY
    );
}

/// Two calls of one attempt each: the first is throttled, then the time until the second one
/// reaches the server.
async fn gap_after_a_throttle(mode: lightsail::client::RetryMode) -> Duration {
    let server = Server::start([
        Action::error(400, "ThrottlingException", "Rate exceeded"),
        Action::json(200, CREATED),
    ]);
    let client = Client::new(config(&server).max_attempts(1).retry_mode(mode).build());
    let err = client.create_key_pair().key_pair_name("k").send().await;
    assert!(err.is_err());
    client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the second call succeeds");
    let received = server.received();
    assert_eq!(received.len(), 2);
    received[1].at - received[0].at
}

#[tokio::test]
async fn adaptive_retry_mode_slows_calls_after_throttling() {
    use lightsail::client::RetryMode;
    // Standard mode sends the next call at once.
    let standard = gap_after_a_throttle(RetryMode::Standard).await;
    assert!(standard < Duration::from_millis(500), "{standard:?}");
    // Adaptive mode: the throttle turns the rate limiter on at its minimum fill rate
    // (0.5 tokens a second), so the next call waits about 2 s for its token.
    let adaptive = gap_after_a_throttle(RetryMode::Adaptive).await;
    assert!(adaptive >= Duration::from_millis(1500), "{adaptive:?}");
}

/// Adds a header before signing and records the status of every response.
struct Capture {
    statuses: std::sync::Arc<std::sync::Mutex<Vec<u16>>>,
}

// Everything implementing an interceptor needs comes from the generated crate.
impl lightsail::client::Interceptor for Capture {
    fn modify_before_signing(&self, request: &mut lightsail::client::HttpRequest) {
        request
            .headers
            .push(("x-added-by".to_owned(), "interceptor".to_owned()));
    }

    fn read_after_response(&self, response: &lightsail::client::HttpResponse) {
        self.statuses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(response.status);
    }
}

#[tokio::test]
async fn interceptors_add_signed_headers_and_see_every_response() {
    let server = Server::start([
        Action::error(500, "InternalFailure", "oops"),
        Action::json(200, CREATED),
    ]);
    let statuses = std::sync::Arc::default();
    let client = Client::new(
        config(&server)
            .interceptor(Capture {
                statuses: std::sync::Arc::clone(&statuses),
            })
            .build(),
    );
    client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the retry succeeds");
    let received = server.received();
    assert_eq!(received.len(), 2);
    for r in &received {
        assert_eq!(r.header("x-added-by"), Some("interceptor"));
        // The header is covered by the signature.
        assert!(r
            .header("authorization")
            .is_some_and(|a| a.contains("x-added-by")));
        assert_eq!(signatures(r, SECRET).0, signatures(r, SECRET).1);
    }
    assert_eq!(*statuses.lock().unwrap(), vec![500, 200]);
}

#[tokio::test]
async fn customize_changes_retries_and_adds_signed_headers_for_one_call() {
    let server = Server::start([
        Action::error(500, "InternalFailure", "oops"),
        Action::error(500, "InternalFailure", "oops"),
        Action::json(200, CREATED),
    ]);
    let client = Client::new(config(&server).build()); // 3 attempts
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .customize(|c| c.max_attempts(1).header("x-a", "b"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1, "no retry for this call");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].header("x-a"), Some("b"));
    assert_eq!(
        received[0].header("amz-sdk-request"),
        Some("attempt=1; max=1")
    );
    assert!(received[0]
        .header("authorization")
        .is_some_and(|a| a.contains(";x-a;")));
    let (expected, sent) = signatures(&received[0], SECRET);
    assert_eq!(sent, expected, "the extra header is signed");
    // The next call has the client's settings again: it retries, without the header.
    let out = client
        .create_key_pair()
        .key_pair_name("k")
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(out.attempts(), 2);
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(received[1..].iter().all(|r| r.header("x-a").is_none()));
    assert_eq!(
        received[2].header("amz-sdk-request"),
        Some("attempt=2; max=3")
    );
}

#[tokio::test]
async fn customize_sets_timeouts_and_the_endpoint_of_one_call() {
    let slow = || Action::Delay(Duration::from_secs(3), Box::new(Action::json(200, CREATED)));
    let server = Server::start([slow()]);
    let client = client(&server);
    let started = std::time::Instant::now();
    let err = client
        .create_key_pair()
        .key_pair_name("k")
        .customize(|c| c.operation_timeout(Duration::from_millis(200)))
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Timeout(t) => assert_eq!(t.kind, TimeoutKind::Operation),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    // Another server for one call: the client's stays the default of the others.
    let other = Server::start([Action::json(200, CREATED)]);
    client
        .create_key_pair()
        .key_pair_name("k")
        .customize(|c| c.endpoint_url(other.url()))
        .send()
        .await
        .expect("the other server answers");
    let r = &other.received()[0];
    assert_eq!(
        r.header("host"),
        Some(other.url().trim_start_matches("http://"))
    );
    assert_eq!(signatures(r, SECRET).0, signatures(r, SECRET).1);
    assert_eq!(
        client.handle().endpoint().unwrap().url,
        server.url().trim_end_matches('/')
    );
    // A per-call endpoint still goes through the rule set: FIPS with a custom endpoint is
    // refused before anything is sent.
    let fips = Client::new(
        Config::builder()
            .region("us-east-1")
            .use_fips(true)
            .credentials(Credentials::new(AKID, SECRET, None))
            .build(),
    );
    let err = fips
        .create_key_pair()
        .key_pair_name("k")
        .customize(|c| c.endpoint_url(other.url()))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("FIPS and custom endpoint"),
        "{err}"
    );
    assert_eq!(other.received().len(), 1);
}

#[tokio::test]
async fn customize_refuses_header_injection_before_sending() {
    let server = Server::start([Action::json(200, CREATED)]);
    let err = client(&server)
        .create_key_pair()
        .key_pair_name("k")
        .customize(|c| c.header("x-a", "b\r\nx-evil: 1"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("`x-a`"), "{err}");
    assert!(server.received().is_empty());
}
