//! Where configuration comes from: environment variables and files.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The environment the credential, region and profile lookups read: its
/// variables, and the files they point at.
///
/// [`Env::real`] reads the process environment; [`Env::from_vars`] reads a
/// fixed set of variables instead, so that tests never change the process
/// environment (which other threads read at the same time). Both read files
/// from the real filesystem: a test points `HOME`, `AWS_CONFIG_FILE` or
/// `AWS_SHARED_CREDENTIALS_FILE` at files of its own.
///
/// Cloning is cheap. `Debug` names the variables of a fixed environment but
/// never prints their values, which may be secret keys.
///
/// ```
/// use smithgen_runtime::auth::Env;
///
/// let env = Env::from_vars([("AWS_REGION", "eu-west-1"), ("HOME", "/home/ann")]);
/// assert_eq!(env.var("AWS_REGION").as_deref(), Some("eu-west-1"));
/// assert_eq!(env.var("AWS_PROFILE"), None);
/// ```
#[derive(Clone)]
pub struct Env {
    /// `None` for the process environment.
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment ([`std::env::var`]) and the real filesystem.
    pub fn real() -> Self {
        Env { vars: None }
    }

    /// A fixed set of variables (the process environment is not consulted)
    /// and the real filesystem. A later pair with the same name replaces an
    /// earlier one.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Env {
            vars: Some(Arc::new(vars)),
        }
    }

    /// The value of the variable `name`, or `None` if it is unset or (in the
    /// process environment) not valid Unicode.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.vars {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        }
    }

    /// The value of the variable `name` with surrounding whitespace removed,
    /// or `None` if it is unset or blank: settings such as `AWS_REGION=`
    /// count as unset.
    pub fn non_empty_var(&self, name: &str) -> Option<String> {
        let value = self.var(name)?;
        let trimmed = value.trim();
        if trimmed.is_empty() {
            None
        } else if trimmed.len() == value.len() {
            Some(value)
        } else {
            Some(trimmed.to_owned())
        }
    }

    /// The user's home directory: `HOME`, or on Windows `USERPROFILE` (then
    /// `HOMEDRIVE` followed by `HOMEPATH`). `None` if those are unset or
    /// empty.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if cfg!(windows) {
            if let Some(profile) = self.non_empty_var("USERPROFILE") {
                return Some(PathBuf::from(profile));
            }
            match (
                self.non_empty_var("HOMEDRIVE"),
                self.non_empty_var("HOMEPATH"),
            ) {
                (Some(drive), Some(path)) => Some(PathBuf::from(drive + &path)),
                _ => None,
            }
        } else {
            self.non_empty_var("HOME").map(PathBuf::from)
        }
    }

    /// The name of the variable [`home_dir`](Self::home_dir) reads, for
    /// messages that explain why no home directory was found.
    pub fn home_var_name(&self) -> &'static str {
        if cfg!(windows) {
            "USERPROFILE"
        } else {
            "HOME"
        }
    }

    /// `path` with a leading `~` replaced by the home directory, as the AWS
    /// CLI does for `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`.
    /// `None` if the path starts with `~` and there is no home directory.
    pub fn expand_home(&self, path: &str) -> Option<PathBuf> {
        let rest = match path.strip_prefix('~') {
            None => return Some(PathBuf::from(path)),
            Some(rest) => rest,
        };
        let rest = if rest.is_empty() {
            ""
        } else if let Some(rest) = rest.strip_prefix('/') {
            rest
        } else if let Some(rest) = rest.strip_prefix('\\').filter(|_| cfg!(windows)) {
            rest
        } else {
            // `~user/...`: another user's home, which we cannot look up.
            return Some(PathBuf::from(path));
        };
        let home = self.home_dir()?;
        Some(if rest.is_empty() {
            home
        } else {
            home.join(rest)
        })
    }

    /// Reads a text file: `Ok(None)` if it does not exist.
    ///
    /// # Errors
    ///
    /// If the file exists but cannot be read, or is not UTF-8 (reported as
    /// [`io::ErrorKind::InvalidData`]).
    pub fn read_file(&self, path: &Path) -> io::Result<Option<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }
}

impl Default for Env {
    /// [`Env::real`].
    fn default() -> Self {
        Env::real()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env::real()"),
            Some(vars) => {
                let mut names: Vec<&str> = vars.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Env::from_vars")
                    .field("names", &names)
                    .finish_non_exhaustive()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_vars_are_the_only_ones() {
        let env = Env::from_vars([("A", "1"), ("A", "2"), ("BLANK", "  ")]);
        assert_eq!(env.var("A").as_deref(), Some("2"));
        assert_eq!(env.var("PATH"), None);
        assert_eq!(env.var("BLANK").as_deref(), Some("  "));
        assert_eq!(env.non_empty_var("BLANK"), None);
    }

    #[test]
    fn non_empty_var_trims() {
        let env = Env::from_vars([("R", " us-east-1\n")]);
        assert_eq!(env.non_empty_var("R").as_deref(), Some("us-east-1"));
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "sekrit-value")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"), "{debug}");
        assert!(!debug.contains("sekrit-value"), "{debug}");
        assert_eq!(format!("{:?}", Env::real()), "Env::real()");
    }

    #[cfg(not(windows))]
    #[test]
    fn home_and_tilde() {
        let env = Env::from_vars([("HOME", "/home/ann")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/home/ann")));
        assert_eq!(
            env.expand_home("~/.aws/x"),
            Some(PathBuf::from("/home/ann/.aws/x"))
        );
        assert_eq!(env.expand_home("~"), Some(PathBuf::from("/home/ann")));
        assert_eq!(env.expand_home("/etc/x"), Some(PathBuf::from("/etc/x")));
        assert_eq!(env.expand_home("~bob/x"), Some(PathBuf::from("~bob/x")));
        let homeless = Env::from_vars([("HOME", "")]);
        assert_eq!(homeless.home_dir(), None);
        assert_eq!(homeless.expand_home("~/x"), None);
        assert_eq!(homeless.expand_home("x"), Some(PathBuf::from("x")));
    }

    #[test]
    fn missing_file_is_none() {
        let env = Env::from_vars::<[(&str, &str); 0], &str, &str>([]);
        let path = std::env::temp_dir().join("smithgen-auth-env-no-such-file-7d1f");
        assert!(matches!(env.read_file(&path), Ok(None)));
    }
}
