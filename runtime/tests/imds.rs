//! IMDSv2 against a fake metadata service on loopback: token PUT, role, credentials; the
//! endpoint and mode overrides; AWS_EC2_METADATA_DISABLED; an instance without a role; a
//! service that never answers (fast, "not found"); no token or secret in errors; and IMDS as
//! the last step of the default chain, which `Config::load_env` defers to the first call.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use smithgen_runtime::auth::credentials::{DefaultCredentialsChain, ProvideCredentials};
use smithgen_runtime::auth::imds::ImdsCredentials;
use smithgen_runtime::auth::Env;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "imds-session-token-must-not-leak";
const SECRET: &str = "imds-secret-must-not-leak";

/// A fake IMDS: `role` is what the role listing answers (None: 404); `silent` never answers.
/// Records "METHOD PATH token-header" per request.
async fn imds(role: Option<&'static str>, silent: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    imds_on(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        role,
        silent,
    )
}

fn imds_on(
    listener: TcpListener,
    role: Option<&'static str>,
    silent: bool,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                loop {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut byte).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => head.push(byte[0]),
                        }
                    }
                    if silent {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        return;
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let mut first = head.lines().next().unwrap_or_default().split(' ');
                    let (method, path) = (
                        first.next().unwrap_or_default(),
                        first.next().unwrap_or_default(),
                    );
                    let header = |name: &str| {
                        head.lines().find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                        })
                    };
                    let token = header("x-aws-ec2-metadata-token");
                    seen.lock().unwrap().push(format!(
                        "{method} {path} {}",
                        token.clone().unwrap_or_default()
                    ));
                    let (status, body) = match (method, path) {
                        ("PUT", "/latest/api/token")
                            if header("x-aws-ec2-metadata-token-ttl-seconds").is_some() =>
                        {
                            (200, TOKEN.to_owned())
                        }
                        (_, _) if token.as_deref() != Some(TOKEN) => (401, String::new()),
                        ("GET", "/latest/meta-data/iam/security-credentials/") => match role {
                            Some(r) => (200, format!("{r}\n")),
                            None => (404, String::new()),
                        },
                        ("GET", p)
                            if role.is_some_and(|r| {
                                p == format!("/latest/meta-data/iam/security-credentials/{r}")
                            }) =>
                        {
                            (
                                200,
                                format!(
                                    r#"{{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"{SECRET}","Token":"t","Expiration":"2099-01-01T00:00:00Z"}}"#
                                ),
                            )
                        }
                        _ => (404, String::new()),
                    };
                    let response = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, log)
}

#[tokio::test]
async fn token_then_role_then_credentials() {
    let (url, log) = imds(Some("web-role"), false).await;
    let env = Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.clone())]);
    let credentials = ImdsCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIMDS");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert!(credentials.expiry().is_some());
    assert!(!format!("{credentials:?}").contains(SECRET));
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "PUT /latest/api/token ".to_owned(),
            format!("GET /latest/meta-data/iam/security-credentials/ {TOKEN}"),
            format!("GET /latest/meta-data/iam/security-credentials/web-role {TOKEN}"),
        ]
    );
}

#[tokio::test]
async fn disabled_and_roleless_are_not_found() {
    let (url, log) = imds(Some("r"), false).await;
    let env = Env::from_vars([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", url.clone()),
        ("AWS_EC2_METADATA_DISABLED", "TRUE".to_owned()),
    ]);
    let err = ImdsCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string().contains("AWS_EC2_METADATA_DISABLED"),
        "{err}"
    );
    assert!(log.lock().unwrap().is_empty(), "nothing was asked");

    let (url, _) = imds(None, false).await;
    let err = ImdsCredentials::new(Env::from_vars([("X", "y")]))
        .with_endpoint(url)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(err.to_string().contains("no role"), "{err}");
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn a_silent_or_absent_service_gives_up_fast() {
    let (url, _) = imds(Some("r"), true).await;
    let started = std::time::Instant::now();
    let err = ImdsCredentials::new(Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)]))
        .with_timeout(Duration::from_millis(200))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = ImdsCredentials::new(Env::from_vars([("X", "y")]))
        .with_endpoint(format!("http://127.0.0.1:{port}"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn the_mode_picks_the_ipv6_endpoint_and_bad_modes_are_errors() {
    // IPv6 loopback stands in for fd00:ec2::254 through the endpoint override; the mode's
    // own choice is checked through the error naming the URL asked.
    let err = ImdsCredentials::new(Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "IPv6",
    )]))
    .with_timeout(Duration::from_millis(100))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("http://[fd00:ec2::254]/latest/api/token"),
        "{err}"
    );
    let err = ImdsCredentials::new(Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "IPv5",
    )]))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(err.to_string().contains("must be IPv4 or IPv6"), "{err}");
    // An IPv6 endpoint works end to end (where the machine has IPv6 loopback).
    let Ok(listener) = TcpListener::bind("[::1]:0").await else {
        eprintln!("no IPv6 loopback here; the IPv6 endpoint is checked by URL only");
        return;
    };
    let (url, _) = imds_on(listener, Some("r"), false);
    assert!(url.starts_with("http://[::1]:"), "{url}");
    let credentials =
        ImdsCredentials::new(Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)]))
            .provide_credentials()
            .await
            .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIMDS");
}

/// An environment with no credentials anywhere but IMDS at `url`, plus `extra`.
fn only_imds(url: &str, extra: &[(&str, &str)]) -> Env {
    let nowhere = std::env::temp_dir().join("smithgen-no-such-dir");
    let mut vars = vec![
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT".to_owned(),
            url.to_owned(),
        ),
        (
            "AWS_CONFIG_FILE".to_owned(),
            nowhere.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            nowhere.join("credentials").display().to_string(),
        ),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

#[tokio::test]
async fn the_default_chain_asks_imds_last() {
    let (url, log) = imds(Some("web-role"), false).await;
    let credentials = DefaultCredentialsChain::new(only_imds(&url, &[]))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIMDS");
    assert_eq!(log.lock().unwrap().len(), 3);
    // Anything earlier in the chain wins without asking IMDS: the environment, a profile.
    log.lock().unwrap().clear();
    let env = only_imds(
        &url,
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
        ],
    );
    let credentials = DefaultCredentialsChain::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    let dir = std::env::temp_dir().join(format!("smithgen-imds-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n",
    )
    .unwrap();
    let env = only_imds(
        &url,
        &[("AWS_SHARED_CREDENTIALS_FILE", file.to_str().unwrap())],
    );
    let credentials = DefaultCredentialsChain::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDPROFILE");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(log.lock().unwrap().is_empty(), "IMDS was not asked");
    // AWS_EC2_METADATA_DISABLED takes it out of the chain.
    let err =
        DefaultCredentialsChain::new(only_imds(&url, &[("AWS_EC2_METADATA_DISABLED", "true")]))
            .provide_credentials()
            .await
            .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(log.lock().unwrap().is_empty(), "IMDS was not asked");
}

#[tokio::test]
async fn off_ec2_the_default_chain_gives_up_within_the_imds_timeout() {
    // A metadata address that swallows requests, as a firewalled 169.254.169.254 does: the
    // default 1 s limit (not a test-only one) ends the chain.
    let (url, _) = imds(Some("r"), true).await;
    let started = std::time::Instant::now();
    let err = DefaultCredentialsChain::new(only_imds(&url, &[]))
        .provide_credentials()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(err.is_not_found(), "{err}");
    assert!(
        took >= smithgen_runtime::auth::imds::IMDS_TIMEOUT && took < Duration::from_millis(2500),
        "{took:?}"
    );
    let text = err.to_string();
    for place in [
        "AWS_ACCESS_KEY_ID",
        "profile `default`",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "IMDS at",
    ] {
        assert!(text.contains(place), "{place}: {text}");
    }
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn load_env_defers_imds_to_the_first_call_unless_disabled() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}");
    // IMDS can only be known by asking it: load_env accepts the chain.
    let config = smithgen_runtime::client::Config::builder()
        .env(only_imds(&dead, &[]))
        .region("us-east-1")
        .load_env()
        .expect("IMDS is asked at the first call");
    assert!(format!("{config:?}").contains("ImdsCredentials"));
    // Disabled, nothing is left to ask, and load_env says where it looked.
    let err = smithgen_runtime::client::Config::builder()
        .env(only_imds(&dead, &[("AWS_EC2_METADATA_DISABLED", "true")]))
        .region("us-east-1")
        .load_env()
        .unwrap_err()
        .to_string();
    assert!(err.contains("no AWS credentials found"), "{err}");
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
}

#[tokio::test]
async fn the_profile_can_name_the_endpoint_and_mode() {
    let (url, log) = imds(Some("r"), false).await;
    let dir = std::env::temp_dir().join(format!("smithgen-imds-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!("[profile ec2]\nec2_metadata_service_endpoint = {url}/\n[profile v6]\nec2_metadata_service_endpoint_mode = IPv6\n"),
    )
    .unwrap();
    let env = |profile: &str, extra: Option<(&str, &str)>| {
        let mut vars = vec![
            ("AWS_CONFIG_FILE".to_owned(), config.display().to_string()),
            ("AWS_PROFILE".to_owned(), profile.to_owned()),
        ];
        vars.extend(extra.map(|(k, v)| (k.to_owned(), v.to_owned())));
        Env::from_vars(vars)
    };
    let credentials = ImdsCredentials::new(env("ec2", None))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIMDS");
    assert_eq!(log.lock().unwrap().len(), 3);
    let err = ImdsCredentials::new(env("v6", None))
        .with_timeout(Duration::from_millis(100))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("http://[fd00:ec2::254]/"), "{err}");
    // The variable wins over the profile.
    let err = ImdsCredentials::new(env(
        "v6",
        Some(("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5")),
    ))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("must be IPv4 or IPv6, not `IPv5`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
