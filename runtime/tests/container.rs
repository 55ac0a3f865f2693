//! Container credentials (ECS, EKS Pod Identity) against an HTTP server on loopback: the token
//! from a file or the environment, the JSON answer, the allowed-host rules, errors that name the
//! endpoint and never a secret, a time limit, and the default chain using it.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use smithgen_runtime::auth::container::ContainerCredentials;
use smithgen_runtime::auth::credentials::{DefaultCredentialsChain, ProvideCredentials};
use smithgen_runtime::auth::Env;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "container-secret-must-not-leak";
const SESSION: &str = "container-session-token-must-not-leak";
const AUTH: &str = "auth-token-must-not-leak";

fn answer() -> String {
    format!(
        r#"{{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"{SECRET}","Token":"{SESSION}","Expiration":"2099-01-02T03:04:05Z","RoleArn":"arn:aws:iam::123456789012:role/x"}}"#
    )
}

/// Serves `status` and `body` to every request, recording each request's head; `silent`
/// accepts and never answers.
async fn server(status: u16, body: String, silent: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = seen.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                if silent {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    return;
                }
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, heads)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[tokio::test]
async fn full_uri_with_a_token_file() {
    let (url, heads) = server(200, answer(), false).await;
    let dir = std::env::temp_dir().join(format!("smithgen-container-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::File::create(&token_file)
        .unwrap()
        .write_all(format!("{AUTH}\n").as_bytes())
        .unwrap();
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{url}/v1/credentials"),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.display().to_string(),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "the-file-wins".to_owned(),
        ),
    ]);
    let credentials = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIACONTAINER");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some(SESSION));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_071_006_245))
    );
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains(SECRET) && !debug.contains(SESSION),
        "{debug}"
    );
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("GET /v1/credentials HTTP/1.1"), "{head}");
    assert_eq!(header(&head, "authorization"), Some(AUTH));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn token_from_the_environment() {
    let (url, heads) = server(200, answer(), false).await;
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH.to_owned()),
    ]);
    let provider = ContainerCredentials::new(env);
    assert!(!format!("{provider:?}").contains(AUTH));
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(
        header(&heads.lock().unwrap()[0], "authorization"),
        Some(AUTH)
    );
    assert_eq!(credentials.account_id(), None);
    // EKS Pod Identity names the account.
    let with_account = answer().replace("{\"", "{\"AccountId\":\"123456789012\",\"");
    let (url, _) = server(200, with_account, false).await;
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds"))]);
    let credentials = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.account_id(), Some("123456789012"));
}

#[tokio::test]
async fn only_allowed_hosts_serve_credentials_in_the_clear() {
    for uri in [
        "http://169.254.169.254/latest",
        "http://example.com/creds",
        "http://127.0.0.1.example.com/creds",
        "ftp://127.0.0.1/creds",
    ] {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)]);
        let err = ContainerCredentials::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.is_not_found(), "{uri}: {err}");
        assert!(
            err.to_string()
                .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            "{uri}: {err}"
        );
    }
    // A relative URI must be a path (it is appended to ECS's host).
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "@evil.example/x")]);
    let err = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must be a path"), "{err}");
}

#[tokio::test]
async fn a_token_with_a_newline_is_refused() {
    let (url, heads) = server(200, answer(), false).await;
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "x\r\nX-Injected: 1".to_owned(),
        ),
    ]);
    let err = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("control characters"), "{err}");
    assert!(heads.lock().unwrap().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn errors_name_the_endpoint_and_no_secret() {
    let (url, _) = server(403, format!("{{\"message\":\"denied {SECRET}\"}}"), false).await;
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH.to_owned()),
    ]);
    let err = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("answered HTTP 403"), "{text}");
    assert!(!text.contains(SECRET) && !text.contains(AUTH), "{text}");

    let (url, _) = server(
        200,
        format!("{{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"{SECRET}\""),
        false,
    )
    .await;
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds"))]);
    let err = ContainerCredentials::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("not valid JSON"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn a_silent_endpoint_times_out() {
    let (url, _) = server(200, answer(), true).await;
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds"))]);
    let started = std::time::Instant::now();
    let err = ContainerCredentials::new(env)
        .with_timeout(Duration::from_millis(200))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not answer within"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_default_chain_asks_the_container_endpoint_last() {
    let (url, _) = server(200, answer(), false).await;
    let nowhere = std::env::temp_dir().join("smithgen-no-such-dir");
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{url}/creds")),
        (
            "AWS_CONFIG_FILE",
            nowhere.join("config").display().to_string(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            nowhere.join("credentials").display().to_string(),
        ),
    ]);
    let credentials = DefaultCredentialsChain::new(env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.source(), "container credentials");
    // Environment credentials come first.
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID".to_owned(), "AKIDENV".to_owned()),
        ("AWS_SECRET_ACCESS_KEY".to_owned(), "s".to_owned()),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI".to_owned(),
            format!("{url}/creds"),
        ),
    ];
    vars.push((
        "AWS_CONFIG_FILE".to_owned(),
        nowhere.join("config").display().to_string(),
    ));
    let credentials = DefaultCredentialsChain::new(Env::from_vars(vars))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "AKIDENV");
    // Without the variables it is skipped, and the error says what was looked at.
    let err = DefaultCredentialsChain::new(Env::from_vars([
        (
            "AWS_CONFIG_FILE",
            nowhere.join("config").display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ]))
    .provide_credentials()
    .await
    .unwrap_err();
    assert!(err.is_not_found());
    assert!(
        err.to_string()
            .contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
        "{err}"
    );
}
