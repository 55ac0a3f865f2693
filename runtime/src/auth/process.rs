//! `credential_process`: credentials printed as JSON by a program the profile names.
//!
//! ```ini
//! [profile build]
//! credential_process = /opt/bin/get-creds --role "build bot"
//! ```
//!
//! The program prints `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …,
//! "Expiration": "<RFC 3339>"}` on stdout (`SessionToken` and `Expiration` optional).
//!
//! **No shell.** The AWS SDKs hand the line to `sh -c` (`cmd /C` on Windows), so a config line
//! is a shell script, and anything that writes a profile (or a value interpolated into one)
//! can run arbitrary commands. smithgen splits the line into words itself — whitespace
//! separates, `'…'` and `"…"` quote, `\` escapes outside single quotes — and runs the first
//! word with the rest as arguments, with no expansion of any kind. A line with unquoted shell
//! operators (`| & ; < > ( ) $ \``) is refused with an error saying so, rather than run
//! differently from what its author meant: put pipelines and variables in a script and name
//! the script.
//!
//! The program gets no stdin and [`PROCESS_TIMEOUT`] to finish, after which it is killed.
//! Errors give the program's exit status, never its output (which holds the secrets).

use std::fmt;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::container::parse_credentials;
use super::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// How long the program may run: 60 s (it may prompt a hardware token or a browser flow).
pub const PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs a `credential_process` command line (see the [module docs](self)).
#[derive(Clone)]
pub struct ProcessCredentials {
    command: String,
    timeout: Duration,
}

impl fmt::Debug for ProcessCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The command line may carry a secret argument: show the program only.
        let program = split_command(&self.command)
            .ok()
            .and_then(|words| words.into_iter().next());
        f.debug_struct("ProcessCredentials")
            .field("program", &program)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl ProcessCredentials {
    /// A provider running `command`.
    pub fn new(command: impl Into<String>) -> Self {
        ProcessCredentials {
            command: command.into(),
            timeout: PROCESS_TIMEOUT,
        }
    }

    /// Kills the program after `timeout` instead of [`PROCESS_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let words = split_command(&self.command).map_err(|e| {
            CredentialsError::invalid(format!("credential_process cannot be run: {e}"))
        })?;
        let (program, args) = words
            .split_first()
            .ok_or_else(|| CredentialsError::invalid("credential_process is empty".to_owned()))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                CredentialsError::provider(
                    format!("credential_process: cannot start `{program}`"),
                    Some(Box::new(e)),
                )
            })?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err(CredentialsError::provider(
                format!("credential_process `{program}`: no stdout"),
                None,
            ));
        };
        let child = Arc::new(Mutex::new(child));
        let (done, finished) = tokio::sync::oneshot::channel();
        let waiting = child.clone();
        std::thread::spawn(move || {
            // Read to the end first, so a chatty program never blocks on a full pipe.
            let mut out = Vec::new();
            let read = stdout.take(1 << 20).read_to_end(&mut out);
            let status = loop {
                match lock(&waiting).try_wait() {
                    Ok(Some(status)) => break Ok(status),
                    Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                    Err(e) => break Err(e),
                }
            };
            let _ = done.send(read.and(status).map(|status| (status, out)));
        });
        let (status, out) = match tokio::time::timeout(self.timeout, finished).await {
            Ok(Ok(Ok(result))) => result,
            Ok(Ok(Err(e))) => {
                return Err(CredentialsError::provider(
                    format!("credential_process `{program}` failed"),
                    Some(Box::new(e)),
                ))
            }
            Ok(Err(_)) => {
                return Err(CredentialsError::provider(
                    format!("credential_process `{program}` was lost"),
                    None,
                ))
            }
            Err(_) => {
                let _ = lock(&child).kill();
                return Err(CredentialsError::provider(
                    format!(
                        "credential_process `{program}` did not finish within {:?}; it was killed",
                        self.timeout
                    ),
                    None,
                ));
            }
        };
        if !status.success() {
            return Err(CredentialsError::provider(
                format!("credential_process `{program}` exited with {status}"),
                None,
            ));
        }
        check_version(&out, program)?;
        parse_credentials(&out, "credential_process")
    }
}

fn lock(child: &Mutex<Child>) -> std::sync::MutexGuard<'_, Child> {
    child.lock().unwrap_or_else(|p| p.into_inner())
}

/// The output must say `"Version": 1`.
fn check_version(out: &[u8], program: &str) -> Result<(), CredentialsError> {
    let version = crate::json::JsonReader::new(out)
        .document()
        .ok()
        .and_then(|d| {
            d.as_object()
                .and_then(|o| o.get("Version"))
                .and_then(|v| v.as_f64())
        });
    match version {
        Some(1.0) => Ok(()),
        Some(v) => Err(CredentialsError::provider(
            format!("credential_process `{program}` printed Version {v}; only 1 is supported"),
            None,
        )),
        None => Err(CredentialsError::provider(
            format!("credential_process `{program}` printed no JSON object with \"Version\": 1"),
            None,
        )),
    }
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.run())
    }
}

/// Splits a command line into words: whitespace separates; `'…'` quotes literally; `"…"`
/// quotes with `\` escaping `"` and `\`; `\` outside quotes escapes the next character.
/// Unquoted shell operators are an error.
pub fn split_command(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed".to_owned()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a double quote is not closed".to_owned()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed".to_owned()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("the line ends with a lone `\\`".to_owned()),
                }
            }
            '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' => {
                return Err(format!(
                    "it uses the shell operator `{c}`, and smithgen runs credential_process \
                     without a shell; put the pipeline in a script and name the script (or quote \
                     the character if it is part of an argument)"
                ))
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn splits_like_a_shell_without_expanding() {
        assert_eq!(
            split_command(r#"/opt/get  --role "build bot" 'it''s' a\ b "q\"x" ~/x *"#).unwrap(),
            [
                "/opt/get",
                "--role",
                "build bot",
                "its",
                "a b",
                "q\"x",
                "~/x",
                "*"
            ]
        );
        assert_eq!(split_command("  ").unwrap(), Vec::<String>::new());
        assert_eq!(
            split_command(r#"a "x|y" 'z;$w'"#).unwrap(),
            ["a", "x|y", "z;$w"]
        );
    }

    #[test]
    fn refuses_shell_operators_and_bad_quoting() {
        for line in [
            "a | b",
            "a; rm -rf /",
            "a $(id)",
            "a `id`",
            "a > f",
            "a && b",
            "a $HOME",
        ] {
            let err = split_command(line).unwrap_err();
            assert!(err.contains("without a shell"), "{line}: {err}");
        }
        assert!(split_command("a 'b").unwrap_err().contains("not closed"));
        assert!(split_command("a \"b").unwrap_err().contains("not closed"));
        assert!(split_command("a \\").unwrap_err().contains("lone"));
    }
}
