//! `credential_process`: a real program (a script written here, run directly, never through a
//! shell), its JSON, its version, its expiry, its time limit, its failures, a profile using it
//! through the default chain, and that injection through the config line does not run.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use smithgen_runtime::auth::credentials::{DefaultCredentialsChain, ProvideCredentials};
use smithgen_runtime::auth::process::ProcessCredentials;
use smithgen_runtime::auth::Env;

const SECRET: &str = "process-secret-must-not-leak";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let path =
            std::env::temp_dir().join(format!("smithgen-process-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir(path)
    }

    /// An executable script `name` in the folder.
    fn script(&self, name: &str, body: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}

fn json(version: u32) -> String {
    format!(
        r#"echo '{{"Version":{version},"AccessKeyId":"ASIAPROC","SecretAccessKey":"{SECRET}","SessionToken":"tok","Expiration":"2099-01-02T03:04:05Z"}}'"#
    )
}

#[tokio::test]
async fn runs_the_program_with_its_arguments_and_reads_version_1() {
    let dir = Dir::new("ok");
    // The script checks it got exactly its two arguments, the second with a space.
    let script = dir.script(
        "creds",
        &format!(
            "[ \"$#\" = 2 ] && [ \"$2\" = 'build bot' ] || exit 3\n{}",
            json(1)
        ),
    );
    let provider = ProcessCredentials::new(format!("{} --role \"build bot\"", quoted(&script)));
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAPROC");
    assert_eq!(credentials.secret_access_key(), SECRET);
    assert_eq!(credentials.session_token(), Some("tok"));
    assert_eq!(
        credentials.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_071_006_245))
    );
    assert!(!format!("{credentials:?} {provider:?}").contains(SECRET));
}

#[tokio::test]
async fn other_versions_failures_and_garbage_are_errors_without_secrets() {
    let dir = Dir::new("bad");
    let v2 = dir.script("v2", &json(2));
    let err = ProcessCredentials::new(quoted(&v2))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Version 2"), "{err}");
    assert!(!format!("{err} {err:?}").contains(SECRET));

    let failing = dir.script("fail", &format!("{}\nexit 7", json(1)));
    let err = ProcessCredentials::new(quoted(&failing))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("exit status: 7"), "{err}");
    assert!(!format!("{err} {err:?}").contains(SECRET));

    let garbage = dir.script(
        "garbage",
        &format!("echo '{{\"Version\":1,\"SecretAccessKey\":\"{SECRET}\""),
    );
    let err = ProcessCredentials::new(quoted(&garbage))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(SECRET), "{err}");

    let err = ProcessCredentials::new("/no/such/program")
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("cannot start `/no/such/program`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_program_that_hangs_is_killed_at_the_time_limit() {
    let dir = Dir::new("hang");
    let hang = dir.script("hang", "exec sleep 30");
    let started = std::time::Instant::now();
    let err = ProcessCredentials::new(quoted(&hang))
        .with_timeout(Duration::from_millis(300))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not finish within"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn the_config_line_cannot_inject_commands() {
    let dir = Dir::new("inject");
    let marker = dir.0.join("pwned");
    let ok = dir.script("ok", &json(1));
    for line in [
        format!("{} ; touch {}", quoted(&ok), marker.display()),
        format!("{} && touch {}", quoted(&ok), marker.display()),
        format!("{} $(touch {})", quoted(&ok), marker.display()),
        format!("{} `touch {}`", quoted(&ok), marker.display()),
    ] {
        let err = ProcessCredentials::new(line.clone())
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("without a shell"), "{line}: {err}");
    }
    // Quoted, the characters are plain arguments to the program, which ignores them.
    let line = format!("{} '; touch {}'", quoted(&ok), marker.display());
    ProcessCredentials::new(line)
        .provide_credentials()
        .await
        .unwrap();
    assert!(!marker.exists(), "no shell ever ran the injected command");
}

#[tokio::test]
async fn a_profile_with_credential_process_through_the_default_chain() {
    let dir = Dir::new("profile");
    let script = dir.script("creds", &json(1));
    let config = dir.0.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile build]\ncredential_process = {}\n",
            quoted(&script)
        ),
    )
    .unwrap();
    let env = Env::from_vars([
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.0.join("none").display().to_string(),
        ),
        ("AWS_PROFILE", "build".to_owned()),
    ]);
    let credentials = DefaultCredentialsChain::new(env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAPROC");
    assert_eq!(credentials.source(), "credential_process");
    // Loading the config does not run the program (the first call does), and does not fail.
    smithgen_runtime::client::Config::builder()
        .env(env)
        .region("us-east-1")
        .load_env()
        .expect("a credential_process profile is accepted by load_env");
}
