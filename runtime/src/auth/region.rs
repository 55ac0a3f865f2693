//! The region and the other settings the AWS CLI reads from the environment
//! and the config file.
//!
//! | setting        | environment                          | config file key |
//! |----------------|--------------------------------------|-----------------|
//! | region         | `AWS_REGION`, then `AWS_DEFAULT_REGION` | `region`     |
//! | maximum attempts | `AWS_MAX_ATTEMPTS`                 | `max_attempts`  |
//!
//! The environment wins over the file; blank variables count as unset. The
//! file is the selected profile of the config file (see
//! [`SharedConfig`]).

use std::error::Error;
use std::fmt;

use super::env::Env;
use super::profile::{FileKind, ProfileError, SharedConfig};

const REGION_VARS: [&str; 2] = ["AWS_REGION", "AWS_DEFAULT_REGION"];
const MAX_ATTEMPTS_VAR: &str = "AWS_MAX_ATTEMPTS";

/// The region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `region` in
/// the selected profile of the config file. `Ok(None)` if none is set.
///
/// # Errors
///
/// If the config file exists but cannot be read or does not parse (the
/// file is only read when neither variable is set).
pub fn resolve_region(env: &Env) -> Result<Option<String>, ProfileError> {
    if let Some(region) = region_from_env(env) {
        return Ok(Some(region));
    }
    let shared = SharedConfig::load_config(env)?;
    Ok(region_from_profile(&shared))
}

fn region_from_env(env: &Env) -> Option<String> {
    REGION_VARS.iter().find_map(|name| env.non_empty_var(name))
}

fn region_from_profile(shared: &SharedConfig) -> Option<String> {
    shared
        .config_setting("region")
        .map(|setting| setting.value.trim())
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// The region, as [`resolve_region`] finds it, or an error saying where to
/// set one.
///
/// # Errors
///
/// A [`RegionError`]: none is set (`Display` names the variables, the
/// profile and the config file's path), or the config file is unreadable.
pub fn require_region(env: &Env) -> Result<String, RegionError> {
    if let Some(region) = region_from_env(env) {
        return Ok(region);
    }
    let shared = SharedConfig::load_config(env).map_err(RegionError::profile)?;
    region_from_profile(&shared).ok_or_else(|| RegionError {
        kind: RegionErrorKind::NotFound(format!(
            "`region` in {} of {}{}",
            shared.describe_profile(),
            shared.display_path(FileKind::Config),
            shared.describe_status(FileKind::Config, "region"),
        )),
    })
}

/// Why [`require_region`] found no region.
///
/// ```text
/// no region: set AWS_REGION or AWS_DEFAULT_REGION, or `region` in profile `default` of /root/.aws/config (file not found)
/// ```
#[derive(Debug)]
pub struct RegionError {
    kind: RegionErrorKind,
}

#[derive(Debug)]
enum RegionErrorKind {
    /// Describes the profile setting looked at.
    NotFound(String),
    Profile(ProfileError),
}

impl RegionError {
    fn profile(error: ProfileError) -> Self {
        RegionError {
            kind: RegionErrorKind::Profile(error),
        }
    }

    /// Whether no region was set anywhere (rather than a file being
    /// unreadable).
    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, RegionErrorKind::NotFound(_))
    }
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RegionErrorKind::NotFound(profile) => write!(
                f,
                "no region: set {} or {}, or {profile}",
                REGION_VARS[0], REGION_VARS[1]
            ),
            RegionErrorKind::Profile(error) => write!(f, "cannot read the region: {error}"),
        }
    }
}

impl Error for RegionError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            RegionErrorKind::Profile(error) => Some(error),
            RegionErrorKind::NotFound(_) => None,
        }
    }
}

/// The maximum number of attempts per request (the first try included):
/// `AWS_MAX_ATTEMPTS`, then `max_attempts` in the selected profile of the
/// config file. `Ok(None)` if neither is set.
///
/// # Errors
///
/// A [`ConfigError`] if the value is not a positive integer that fits a
/// `u32` (naming the variable, or the file and line), or if the config file
/// cannot be read or does not parse.
pub fn max_attempts(env: &Env) -> Result<Option<u32>, ConfigError> {
    if let Some(value) = env.non_empty_var(MAX_ATTEMPTS_VAR) {
        return parse_positive(&value)
            .map(Some)
            .ok_or_else(|| ConfigError::invalid(MAX_ATTEMPTS_VAR.to_owned(), &value));
    }
    let shared = SharedConfig::load_config(env).map_err(ConfigError::profile)?;
    let setting = match shared.config_setting("max_attempts") {
        Some(setting) if !setting.value.is_empty() => setting,
        _ => return Ok(None),
    };
    parse_positive(setting.value).map(Some).ok_or_else(|| {
        ConfigError::invalid(
            format!(
                "{}:{}: `max_attempts` in {}",
                setting.path.display(),
                setting.line,
                shared.describe_profile()
            ),
            setting.value,
        )
    })
}

fn parse_positive(value: &str) -> Option<u32> {
    let value = value.trim();
    // `u32::from_str` accepts a leading `+`; the AWS CLI does not.
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<u32>().ok().filter(|n| *n > 0)
}

/// A setting with an unusable value, or an unreadable config file.
#[derive(Debug)]
pub struct ConfigError {
    kind: ConfigErrorKind,
}

#[derive(Debug)]
enum ConfigErrorKind {
    /// `origin` names the variable, or the file, line, key and profile.
    Invalid {
        origin: String,
        value: String,
    },
    Profile(ProfileError),
}

impl ConfigError {
    fn invalid(origin: String, value: &str) -> Self {
        // Settings are not secrets, but a long value makes a poor message.
        let value: String = value.chars().take(64).collect();
        ConfigError {
            kind: ConfigErrorKind::Invalid { origin, value },
        }
    }

    fn profile(error: ProfileError) -> Self {
        ConfigError {
            kind: ConfigErrorKind::Profile(error),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ConfigErrorKind::Invalid { origin, value } => {
                write!(f, "{origin} is {value:?}: expected a positive integer")
            }
            ConfigErrorKind::Profile(error) => write!(f, "cannot read the config file: {error}"),
        }
    }
}

impl Error for ConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            ConfigErrorKind::Profile(error) => Some(error),
            ConfigErrorKind::Invalid { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::profile::tests::TempDir;

    fn path_str(path: &std::path::Path) -> &str {
        path.to_str().expect("temp paths are UTF-8")
    }

    #[test]
    fn region_precedence() {
        let dir = TempDir::new();
        let config = dir.write(
            "config",
            "[default]\nregion = from-file\n[profile dev]\nregion = dev-file\n",
        );
        let file = ("AWS_CONFIG_FILE", path_str(&config));
        let home = ("HOME", "/nonexistent");

        let env = Env::from_vars([("AWS_REGION", "a"), ("AWS_DEFAULT_REGION", "b"), file, home]);
        assert_eq!(resolve_region(&env).ok().flatten().as_deref(), Some("a"));
        let env = Env::from_vars([("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "b"), file, home]);
        assert_eq!(resolve_region(&env).ok().flatten().as_deref(), Some("b"));
        let env = Env::from_vars([file, home]);
        assert_eq!(
            resolve_region(&env).ok().flatten().as_deref(),
            Some("from-file")
        );
        let env = Env::from_vars([file, home, ("AWS_PROFILE", "dev")]);
        assert_eq!(require_region(&env).ok().as_deref(), Some("dev-file"));
        let env = Env::from_vars([file, home, ("AWS_PROFILE", "nope")]);
        assert_eq!(resolve_region(&env).ok(), Some(None));
    }

    #[test]
    fn credentials_file_is_not_read_for_settings() {
        let dir = TempDir::new();
        let creds = dir.write("creds", "[default]\nregion = wrong\nmax_attempts = 2\n");
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("HOME", "/nonexistent"),
        ]);
        assert_eq!(resolve_region(&env).ok(), Some(None));
        assert_eq!(max_attempts(&env).ok(), Some(None));
        // Not even when it is malformed.
        let creds = dir.write("creds", "not a profile file\n");
        let config = dir.write("config", "[default]\nregion = right\n");
        let env = Env::from_vars([
            ("AWS_SHARED_CREDENTIALS_FILE", path_str(&creds)),
            ("AWS_CONFIG_FILE", path_str(&config)),
        ]);
        assert_eq!(require_region(&env).ok().as_deref(), Some("right"));
    }

    #[test]
    fn missing_region_says_where_to_set_it() {
        let dir = TempDir::new();
        let config = dir.0.join(".aws/config");
        let env = Env::from_vars([(
            if cfg!(windows) { "USERPROFILE" } else { "HOME" },
            path_str(&dir.0),
        )]);
        let err = require_region(&env).expect_err("no region");
        assert!(err.is_not_found());
        assert_eq!(
            err.to_string(),
            format!(
                "no region: set AWS_REGION or AWS_DEFAULT_REGION, or `region` in profile \
                 `default` of {} (file not found)",
                config.display()
            )
        );

        dir.write(".aws/config", "[default]\noutput = json\n");
        let err = require_region(&env).expect_err("no region");
        assert!(
            err.to_string().ends_with("(profile has no `region`)"),
            "{err}"
        );

        let env = Env::from_vars([
            ("HOME", path_str(&dir.0)),
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("AWS_PROFILE", "dev"),
        ]);
        let err = require_region(&env).expect_err("no region");
        assert!(
            err.to_string()
                .contains("profile `dev` (from AWS_PROFILE) of"),
            "{err}"
        );
        assert!(err.to_string().ends_with("(no such profile)"), "{err}");
    }

    #[test]
    fn unreadable_config_is_an_error() {
        let dir = TempDir::new();
        let config = dir.write("config", "region = x\n");
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", path_str(&config)),
            ("HOME", "/nonexistent"),
        ]);
        let err = require_region(&env).expect_err("malformed");
        assert!(!err.is_not_found());
        assert!(
            err.to_string()
                .contains(&format!("{}:1:", config.display())),
            "{err}"
        );
        assert!(resolve_region(&env).is_err());
        // The environment wins without reading the file.
        let env = Env::from_vars([("AWS_CONFIG_FILE", path_str(&config)), ("AWS_REGION", "r")]);
        assert_eq!(require_region(&env).ok().as_deref(), Some("r"));
    }

    #[test]
    fn max_attempts_precedence_and_validation() {
        let dir = TempDir::new();
        let config = dir.write(
            "config",
            "[default]\nmax_attempts = 7\n[profile zero]\n\nmax_attempts = 0\n",
        );
        let file = ("AWS_CONFIG_FILE", path_str(&config));
        let home = ("HOME", "/nonexistent");

        assert_eq!(
            max_attempts(&Env::from_vars([file, home])).ok(),
            Some(Some(7))
        );
        let env = Env::from_vars([file, home, ("AWS_MAX_ATTEMPTS", " 3 ")]);
        assert_eq!(max_attempts(&env).ok(), Some(Some(3)));
        assert_eq!(max_attempts(&Env::from_vars([home])).ok(), Some(None));

        for bad in ["0", "-1", "+2", "1.5", "x", "99999999999"] {
            let env = Env::from_vars([file, home, ("AWS_MAX_ATTEMPTS", bad)]);
            let err = max_attempts(&env).expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!("AWS_MAX_ATTEMPTS is {bad:?}: expected a positive integer")
            );
        }

        let env = Env::from_vars([file, home, ("AWS_PROFILE", "zero")]);
        let err = max_attempts(&env).expect_err("zero");
        assert_eq!(
            err.to_string(),
            format!(
                "{}:5: `max_attempts` in profile `zero` (from AWS_PROFILE) is \"0\": expected a positive integer",
                config.display()
            )
        );
    }
}
