//! The shared AWS config and credentials files (`~/.aws/config` and
//! `~/.aws/credentials`).
//!
//! Both are INI-style files of named sections, which the AWS CLI and SDKs
//! call profiles:
//!
//! ```ini
//! # ~/.aws/credentials: sections are named after the profile.
//! [default]
//! aws_access_key_id = AKIDEXAMPLE
//! aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
//!
//! # ~/.aws/config: `[default]`, or `[profile NAME]` for any other profile.
//! [profile dev]
//! region = eu-west-1   ; a comment after a value needs whitespace before it
//! max_attempts = 5
//! s3 =
//!   addressing_style = path
//! ```
//!
//! [`ProfileFile::parse`] reads one file; [`SharedConfig::load`] finds both
//! files (`AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` override the
//! default paths), selects the profile (`AWS_PROFILE`, else `default`) and
//! answers lookups.
//!
//! # Syntax
//!
//! The rules follow the AWS CLI:
//!
//! - Blank lines, and lines whose first non-blank character is `#` or `;`,
//!   are ignored.
//! - `[name]` starts a section; a comment may follow the `]`. In the config
//!   file only `[default]` and `[profile name]` are profiles: other sections
//!   (`[sso-session x]`, `[services x]`, or `[name]` without `profile `) are
//!   checked for syntax and otherwise ignored. If the config file has both
//!   `[default]` and `[profile default]`, the latter wins. A section that
//!   appears twice is merged, later values winning.
//! - `key = value` sets a property: the key is trimmed and lower-cased
//!   (property names are case-insensitive, profile names are not), the value
//!   is trimmed, and `#` or `;` preceded by whitespace starts a comment.
//! - A line indented deeper than the property before it continues that
//!   property: it is appended to its value on a new line. This is how nested
//!   settings such as `s3 =` followed by indented `key = value` lines are
//!   written; this module keeps them as text.
//!
//! Anything else is an error naming the file and line ([`ProfileError`]).
//! Errors never quote the offending line, which may hold a secret key.

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::env::Env;

/// The profile used when `AWS_PROFILE` is not set.
pub const DEFAULT_PROFILE: &str = "default";

/// Which of the two shared files a [`ProfileFile`] is. They differ in how
/// sections name profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `~/.aws/config`, overridden by `AWS_CONFIG_FILE`: `[default]` and
    /// `[profile name]` sections.
    Config,
    /// `~/.aws/credentials`, overridden by `AWS_SHARED_CREDENTIALS_FILE`:
    /// `[name]` sections.
    Credentials,
}

impl FileKind {
    /// The environment variable that overrides the file's path.
    pub fn path_var(self) -> &'static str {
        match self {
            FileKind::Config => "AWS_CONFIG_FILE",
            FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
        }
    }

    /// The file's path below the home directory when the variable is unset.
    pub fn default_home_path(self) -> &'static str {
        match self {
            FileKind::Config => ".aws/config",
            FileKind::Credentials => ".aws/credentials",
        }
    }

    /// Where the file is for `env`: the overriding variable (with `~`
    /// expanded), else the default path below the home directory. `None`
    /// if the path needs a home directory and there is none.
    pub fn path(self, env: &Env) -> Option<PathBuf> {
        match env.non_empty_var(self.path_var()) {
            Some(path) => env.expand_home(&path),
            None => env
                .home_dir()
                .map(|home| home.join(self.default_home_path())),
        }
    }
}

/// An error reading or parsing a shared config or credentials file.
///
/// `Display` names the file and, for syntax errors, the line:
/// `/home/ann/.aws/config:3: expected `key = value`, ...`. It never quotes
/// the file's text.
#[derive(Debug)]
pub struct ProfileError {
    path: PathBuf,
    line: Option<usize>,
    kind: ProfileErrorKind,
}

#[derive(Debug)]
enum ProfileErrorKind {
    Syntax(&'static str),
    Io(io::Error),
}

impl ProfileError {
    fn syntax(path: &Path, line: usize, message: &'static str) -> Self {
        ProfileError {
            path: path.to_path_buf(),
            line: Some(line),
            kind: ProfileErrorKind::Syntax(message),
        }
    }

    fn io(path: &Path, error: io::Error) -> Self {
        ProfileError {
            path: path.to_path_buf(),
            line: None,
            kind: ProfileErrorKind::Io(error),
        }
    }

    /// The file the error is in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line of a syntax error; `None` if the file could not be
    /// read.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.kind, self.line) {
            (ProfileErrorKind::Syntax(message), Some(line)) => {
                write!(f, "{}:{line}: {message}", self.path.display())
            }
            (ProfileErrorKind::Syntax(message), None) => {
                write!(f, "{}: {message}", self.path.display())
            }
            (ProfileErrorKind::Io(error), _) if error.kind() == io::ErrorKind::InvalidData => {
                write!(f, "cannot read {}: not UTF-8 text", self.path.display())
            }
            (ProfileErrorKind::Io(error), _) => {
                write!(f, "cannot read {}: {error}", self.path.display())
            }
        }
    }
}

impl Error for ProfileError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            ProfileErrorKind::Io(error) => Some(error),
            ProfileErrorKind::Syntax(_) => None,
        }
    }
}

/// One property of a profile: its value and the line it was set on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    value: String,
    line: usize,
}

impl Property {
    /// The value, trimmed and without a trailing comment. Continuation lines
    /// follow on new lines.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The 1-based line of the `key = value` line (the last one, if the key
    /// was set more than once).
    pub fn line(&self) -> usize {
        self.line
    }
}

/// One profile of one file.
///
/// `Debug` prints the property names only: values may be secret keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: HashMap<String, Property>,
}

impl Profile {
    /// The profile's name: `dev` for `[profile dev]`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of the property `key` (matched case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// The property `key` (matched case-insensitively), with its line.
    pub fn property(&self, key: &str) -> Option<&Property> {
        match self.properties.get(key) {
            Some(property) => Some(property),
            None if key.bytes().any(|b| b.is_ascii_uppercase()) => {
                self.properties.get(&key.to_ascii_lowercase())
            }
            None => None,
        }
    }

    /// The names of the profile's properties (lower-case), sorted.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.properties.keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.keys())
            .finish()
    }
}

/// A parsed shared config or credentials file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFile {
    path: PathBuf,
    kind: FileKind,
    profiles: HashMap<String, Profile>,
    /// The config file's `[sso-session name]` sections.
    sso_sessions: HashMap<String, Profile>,
}

impl ProfileFile {
    /// Parses the text of a file of the given kind; `path` is used in error
    /// messages and by [`path`](Self::path).
    ///
    /// # Errors
    ///
    /// A [`ProfileError`] naming `path` and the line, for the first line
    /// that is not blank, a comment, a section header, a property or a
    /// continuation (see the [module documentation](self)).
    pub fn parse(text: &str, path: &Path, kind: FileKind) -> Result<Self, ProfileError> {
        Parser::new(path, kind).parse(text)
    }

    /// Reads and parses the file at `path`; `Ok(None)` if it does not exist.
    ///
    /// # Errors
    ///
    /// If the file cannot be read, is not UTF-8, or does not parse.
    pub fn load(env: &Env, path: &Path, kind: FileKind) -> Result<Option<Self>, ProfileError> {
        match env.read_file(path) {
            Ok(Some(text)) => Self::parse(&text, path, kind).map(Some),
            Ok(None) => Ok(None),
            Err(error) => Err(ProfileError::io(path, error)),
        }
    }

    /// The path the file was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this is the config or the credentials file.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The profile called `name`, if the file has one.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The config file's `[sso-session name]` section called `name` (its properties, as a
    /// profile's).
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The names of the file's profiles, sorted.
    pub fn profile_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

/// The section the parser is in.
enum Section {
    /// Before the first section header.
    None,
    /// A section this kind of file does not treat as a profile.
    Ignored,
    /// A profile; `plain_default` marks the config file's `[default]`,
    /// which `[profile default]` overrides.
    Profile { name: String, plain_default: bool },
    /// A config file's `[sso-session name]`.
    SsoSession { name: String },
}

struct Parser<'p> {
    path: &'p Path,
    kind: FileKind,
    profiles: HashMap<String, Profile>,
    sso_sessions: HashMap<String, Profile>,
    /// The config file's `[default]` section, kept apart until the end.
    plain_default: Option<Profile>,
    section: Section,
    /// The key and indentation of the last property line, which deeper
    /// indented lines continue. `None` if there is none in this section.
    last_property: Option<(String, usize)>,
}

impl<'p> Parser<'p> {
    fn new(path: &'p Path, kind: FileKind) -> Self {
        Parser {
            path,
            kind,
            profiles: HashMap::new(),
            sso_sessions: HashMap::new(),
            plain_default: None,
            section: Section::None,
            last_property: None,
        }
    }

    fn parse(mut self, text: &str) -> Result<ProfileFile, ProfileError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            self.line(raw, index + 1)?;
        }
        if let Some(plain) = self.plain_default.take() {
            self.profiles.entry(plain.name.clone()).or_insert(plain);
        }
        Ok(ProfileFile {
            path: self.path.to_path_buf(),
            kind: self.kind,
            profiles: self.profiles,
            sso_sessions: self.sso_sessions,
        })
    }

    fn error(&self, line: usize, message: &'static str) -> ProfileError {
        ProfileError::syntax(self.path, line, message)
    }

    fn line(&mut self, raw: &str, number: usize) -> Result<(), ProfileError> {
        let content = raw.trim();
        if content.is_empty() || content.starts_with('#') || content.starts_with(';') {
            return Ok(());
        }
        let indent = raw.len() - raw.trim_start().len();
        if let Some((key, property_indent)) = &self.last_property {
            if indent > *property_indent {
                let key = key.clone();
                self.continue_property(&key, content);
                return Ok(());
            }
        }
        if content.starts_with('[') {
            return self.section_header(content, number);
        }
        self.property(content, number, indent)
    }

    fn section_header(&mut self, content: &str, number: usize) -> Result<(), ProfileError> {
        let close = content
            .find(']')
            .ok_or_else(|| self.error(number, "a section header needs a closing `]`"))?;
        let after = content[close + 1..].trim_start();
        if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
            return Err(self.error(
                number,
                "only a comment may follow the `]` of a section header",
            ));
        }
        let inner = content[1..close].trim();
        if inner.is_empty() {
            return Err(self.error(number, "a section header needs a name"));
        }
        self.last_property = None;
        self.section = match self.kind {
            FileKind::Credentials => Section::Profile {
                name: inner.to_owned(),
                plain_default: false,
            },
            FileKind::Config if inner == DEFAULT_PROFILE => Section::Profile {
                name: inner.to_owned(),
                plain_default: true,
            },
            FileKind::Config => match inner.strip_prefix("profile") {
                Some(rest) if rest.starts_with(char::is_whitespace) => Section::Profile {
                    name: rest.trim().to_owned(),
                    plain_default: false,
                },
                Some("") => {
                    return Err(self.error(number, "`[profile]` needs a profile name"));
                }
                _ => match inner.strip_prefix("sso-session") {
                    Some(rest)
                        if rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() =>
                    {
                        Section::SsoSession {
                            name: rest.trim().to_owned(),
                        }
                    }
                    // `[services x]`, `[name]` without `profile `: not profiles.
                    _ => Section::Ignored,
                },
            },
        };
        // Make the profile exist even if it has no properties.
        if let Section::Profile { name, .. } = &self.section {
            let name = name.clone();
            self.profile_mut(&name);
        }
        Ok(())
    }

    fn property(
        &mut self,
        content: &str,
        number: usize,
        indent: usize,
    ) -> Result<(), ProfileError> {
        let (key, value) = content.split_once('=').ok_or_else(|| {
            self.error(
                number,
                "expected `key = value`, a `[section]` header or a comment",
            )
        })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(self.error(number, "a property needs a name before its `=`"));
        }
        let key = key.to_ascii_lowercase();
        let value = strip_comment(value).trim().to_owned();
        let name = match &self.section {
            Section::None => {
                return Err(self.error(number, "a property must follow a `[section]` header"));
            }
            Section::Ignored => None,
            Section::SsoSession { name } => {
                let session = self
                    .sso_sessions
                    .entry(name.clone())
                    .or_insert_with(|| Profile {
                        name: name.clone(),
                        properties: HashMap::new(),
                    });
                session.properties.insert(
                    key.clone(),
                    Property {
                        value,
                        line: number,
                    },
                );
                self.last_property = Some((key, indent));
                return Ok(());
            }
            Section::Profile { name, .. } => Some(name.clone()),
        };
        if let Some(name) = name {
            let property = Property {
                value,
                line: number,
            };
            self.profile_mut(&name)
                .properties
                .insert(key.clone(), property);
        }
        self.last_property = Some((key, indent));
        Ok(())
    }

    fn continue_property(&mut self, key: &str, content: &str) {
        let name = match &self.section {
            Section::Profile { name, .. } => name.clone(),
            Section::SsoSession { name } => {
                if let Some(property) = self
                    .sso_sessions
                    .get_mut(name)
                    .and_then(|s| s.properties.get_mut(key))
                {
                    if !property.value.is_empty() {
                        property.value.push('\n');
                    }
                    property.value.push_str(content);
                }
                return;
            }
            Section::None | Section::Ignored => return,
        };
        if let Some(property) = self.profile_mut(&name).properties.get_mut(key) {
            if !property.value.is_empty() {
                property.value.push('\n');
            }
            property.value.push_str(content);
        }
    }

    fn profile_mut(&mut self, name: &str) -> &mut Profile {
        let plain_default = matches!(
            self.section,
            Section::Profile {
                plain_default: true,
                ..
            }
        );
        let new_profile = || Profile {
            name: name.to_owned(),
            properties: HashMap::new(),
        };
        if plain_default {
            self.plain_default.get_or_insert_with(new_profile)
        } else {
            self.profiles
                .entry(name.to_owned())
                .or_insert_with(new_profile)
        }
    }
}

/// `value` up to the first `#` or `;` that follows whitespace.
fn strip_comment(value: &str) -> &str {
    let mut previous_is_space = false;
    for (index, c) in value.char_indices() {
        if (c == '#' || c == ';') && previous_is_space {
            return &value[..index];
        }
        previous_is_space = c.is_whitespace();
    }
    value
}

/// What looking for the selected profile in one shared file found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// The file was not read: [`SharedConfig::load_config`] reads only the
    /// config file.
    NotRead,
    /// The file's path depends on a home directory, and there is none.
    NoHomeDirectory,
    /// The file does not exist.
    NotFound,
    /// The file exists but has no section for the profile.
    NoSuchProfile,
    /// The file has the profile.
    Found,
}

/// A setting found in a shared file, with where it was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting<'a> {
    /// The value.
    pub value: &'a str,
    /// The file it is in.
    pub path: &'a Path,
    /// The 1-based line it is on.
    pub line: usize,
    /// Which of the two files that is.
    pub kind: FileKind,
}

#[derive(Clone, Debug)]
struct LoadedFile {
    kind: FileKind,
    /// `None` if there is no home directory to find the file in.
    path: Option<PathBuf>,
    file: Option<ProfileFile>,
    read: bool,
}

impl LoadedFile {
    fn load(env: &Env, kind: FileKind) -> Result<Self, ProfileError> {
        let path = kind.path(env);
        let file = match &path {
            Some(path) => ProfileFile::load(env, path, kind)?,
            None => None,
        };
        Ok(LoadedFile {
            kind,
            path,
            file,
            read: true,
        })
    }

    fn not_read(env: &Env, kind: FileKind) -> Self {
        LoadedFile {
            kind,
            path: kind.path(env),
            file: None,
            read: false,
        }
    }

    fn profile(&self, name: &str) -> Option<&Profile> {
        self.file.as_ref()?.profile(name)
    }

    fn status(&self, name: &str) -> FileStatus {
        match (&self.path, &self.file) {
            _ if !self.read => FileStatus::NotRead,
            (None, _) => FileStatus::NoHomeDirectory,
            (Some(_), None) => FileStatus::NotFound,
            (Some(_), Some(file)) if file.profile(name).is_none() => FileStatus::NoSuchProfile,
            (Some(_), Some(_)) => FileStatus::Found,
        }
    }

    fn setting(&self, name: &str, key: &str) -> Option<Setting<'_>> {
        let file = self.file.as_ref()?;
        let property = file.profile(name)?.property(key)?;
        Some(Setting {
            value: property.value(),
            path: file.path(),
            line: property.line(),
            kind: self.kind,
        })
    }
}

/// The selected profile of the shared config and credentials files, as the
/// AWS CLI finds it.
///
/// `Debug` prints no property values.
#[derive(Clone, Debug)]
pub struct SharedConfig {
    profile_name: String,
    profile_from_env: bool,
    credentials: LoadedFile,
    config: LoadedFile,
    home_var: &'static str,
}

impl SharedConfig {
    /// Loads both files and selects the profile named by `AWS_PROFILE`, or
    /// `default`. Missing files are not an error.
    ///
    /// # Errors
    ///
    /// If a file exists but cannot be read or does not parse.
    pub fn load(env: &Env) -> Result<Self, ProfileError> {
        match env.non_empty_var("AWS_PROFILE") {
            Some(name) => Self::load_profile(env, &name, true),
            None => Self::load_profile(env, DEFAULT_PROFILE, false),
        }
    }

    /// Loads both files and selects the profile `name`, whatever
    /// `AWS_PROFILE` says. `from_env` only changes how
    /// [`describe`](Self::describe) explains the choice.
    ///
    /// # Errors
    ///
    /// As [`load`](Self::load).
    pub fn load_profile(env: &Env, name: &str, from_env: bool) -> Result<Self, ProfileError> {
        Ok(SharedConfig {
            profile_name: name.to_owned(),
            profile_from_env: from_env,
            credentials: LoadedFile::load(env, FileKind::Credentials)?,
            config: LoadedFile::load(env, FileKind::Config)?,
            home_var: env.home_var_name(),
        })
    }

    /// Like [`load`](Self::load), but reads only the config file, as the
    /// AWS CLI does for settings other than credentials: a malformed
    /// credentials file does not get in the way of finding the region.
    ///
    /// # Errors
    ///
    /// If the config file exists but cannot be read or does not parse.
    pub fn load_config(env: &Env) -> Result<Self, ProfileError> {
        let (name, from_env) = match env.non_empty_var("AWS_PROFILE") {
            Some(name) => (name, true),
            None => (DEFAULT_PROFILE.to_owned(), false),
        };
        Ok(SharedConfig {
            profile_name: name,
            profile_from_env: from_env,
            credentials: LoadedFile::not_read(env, FileKind::Credentials),
            config: LoadedFile::load(env, FileKind::Config)?,
            home_var: env.home_var_name(),
        })
    }

    /// The selected profile's name.
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// Whether the profile was chosen by `AWS_PROFILE`.
    pub fn profile_from_env(&self) -> bool {
        self.profile_from_env
    }

    fn file(&self, kind: FileKind) -> &LoadedFile {
        match kind {
            FileKind::Config => &self.config,
            FileKind::Credentials => &self.credentials,
        }
    }

    /// Where the file of `kind` is (whether or not it exists); `None` if
    /// that depends on a home directory and there is none.
    pub fn path(&self, kind: FileKind) -> Option<&Path> {
        self.file(kind).path.as_deref()
    }

    /// The selected profile's section in the file of `kind`, if any.
    pub fn profile(&self, kind: FileKind) -> Option<&Profile> {
        self.file(kind).profile(&self.profile_name)
    }

    /// What the file of `kind` holds for the selected profile.
    pub fn status(&self, kind: FileKind) -> FileStatus {
        self.file(kind).status(&self.profile_name)
    }

    /// The selected profile's `key` in the file of `kind` only.
    pub fn setting_in(&self, kind: FileKind, key: &str) -> Option<Setting<'_>> {
        self.file(kind).setting(&self.profile_name, key)
    }

    /// The selected profile's `key` from the credentials file, else from
    /// the config file: the precedence of credential keys
    /// (`aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`).
    pub fn credential_setting(&self, key: &str) -> Option<Setting<'_>> {
        self.setting_in(FileKind::Credentials, key)
            .or_else(|| self.setting_in(FileKind::Config, key))
    }

    /// The selected profile's `key` from the config file, where the AWS CLI
    /// reads every setting other than credentials (`region`,
    /// `max_attempts`, `endpoint_url`, ...).
    pub fn config_setting(&self, key: &str) -> Option<Setting<'_>> {
        self.setting_in(FileKind::Config, key)
    }

    /// Setting `key` of the config file's `[sso-session session]` section.
    pub fn sso_session_setting(&self, session: &str, key: &str) -> Option<Setting<'_>> {
        let file = self.config.file.as_ref()?;
        let property = file.sso_session(session)?.property(key)?;
        Some(Setting {
            value: property.value(),
            path: file.path(),
            line: property.line(),
            kind: FileKind::Config,
        })
    }

    /// The value of [`credential_setting`](Self::credential_setting) for
    /// the three credential keys and of
    /// [`config_setting`](Self::config_setting) for any other.
    pub fn get(&self, key: &str) -> Option<&str> {
        let setting = if is_credential_key(key) {
            self.credential_setting(key)
        } else {
            self.config_setting(key)
        };
        setting.map(|setting| setting.value)
    }

    /// `/home/ann/.aws/config`, or `~/.aws/config (no home directory: HOME
    /// is unset)`.
    pub fn display_path(&self, kind: FileKind) -> String {
        match self.path(kind) {
            Some(path) => path.display().to_string(),
            None => format!(
                "~/{} (no home directory: {} is unset)",
                kind.default_home_path(),
                self.home_var
            ),
        }
    }

    /// `profile `dev` (from AWS_PROFILE)` or `profile `default``.
    pub fn describe_profile(&self) -> String {
        if self.profile_from_env {
            format!("profile `{}` (from AWS_PROFILE)", self.profile_name)
        } else {
            format!("profile `{}`", self.profile_name)
        }
    }

    /// What the file of `kind` said about `key`, in parentheses where
    /// there is something to say: ` (file not found)`, ` (no such
    /// profile)`, ` (profile has no `key`)`, or nothing if the key is set.
    pub fn describe_status(&self, kind: FileKind, key: &str) -> String {
        match self.status(kind) {
            FileStatus::NoHomeDirectory => String::new(),
            FileStatus::NotRead => " (not read)".to_owned(),
            FileStatus::NotFound => " (file not found)".to_owned(),
            FileStatus::NoSuchProfile => " (no such profile)".to_owned(),
            FileStatus::Found if self.setting_in(kind, key).is_none() => {
                format!(" (profile has no `{key}`)")
            }
            FileStatus::Found => String::new(),
        }
    }

    /// What was looked at for `key` in both files, for messages such as
    /// "no AWS credentials found: looked at ... and profile `default` in
    /// /home/ann/.aws/credentials (file not found) and /home/ann/.aws/config
    /// (no such profile)".
    pub fn describe(&self, key: &str) -> String {
        format!(
            "{} in {}{} and {}{}",
            self.describe_profile(),
            self.display_path(FileKind::Credentials),
            self.describe_status(FileKind::Credentials, key),
            self.display_path(FileKind::Config),
            self.describe_status(FileKind::Config, key),
        )
    }
}

fn is_credential_key(key: &str) -> bool {
    [
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A temporary directory removed on drop (the crate has no dev
    /// dependencies, so no `tempfile`).
    pub(crate) struct TempDir(pub(crate) PathBuf);

    impl TempDir {
        pub(crate) fn new() -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("smithgen-auth-test-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("create temp dir");
            TempDir(path)
        }

        pub(crate) fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create dir");
            }
            std::fs::write(&path, text).expect("write file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn parse(text: &str, kind: FileKind) -> ProfileFile {
        ProfileFile::parse(text, Path::new("/tmp/f"), kind).expect("parses")
    }

    fn parse_err(text: &str, kind: FileKind) -> String {
        ProfileFile::parse(text, Path::new("/tmp/f"), kind)
            .expect_err("fails")
            .to_string()
    }

    #[test]
    fn credentials_file_sections_are_profiles() {
        let file = parse(
            "[default]\naws_access_key_id = A\n[Dev]\nAWS_Secret_Access_Key=  s  \n",
            FileKind::Credentials,
        );
        assert_eq!(file.profile_names(), ["Dev", "default"]);
        assert_eq!(
            file.profile("default")
                .and_then(|p| p.get("aws_access_key_id")),
            Some("A")
        );
        let dev = file.profile("Dev").expect("Dev");
        assert_eq!(dev.get("aws_secret_access_key"), Some("s"));
        assert_eq!(dev.get("AWS_SECRET_ACCESS_KEY"), Some("s"));
        assert_eq!(
            dev.property("aws_secret_access_key").map(Property::line),
            Some(4)
        );
        assert!(
            file.profile("dev").is_none(),
            "profile names are case-sensitive"
        );
    }

    #[test]
    fn config_file_needs_the_profile_prefix() {
        let file = parse(
            "[default]\nregion = a\n[profile dev]\nregion = b\n[prod]\nregion = c\n\
             [sso-session s]\nsso_region = d\n[services x]\ns3 =\n  endpoint_url = e\n\
             [profile   spaced  ]\nregion = f\n[profilex]\nregion = g\n",
            FileKind::Config,
        );
        assert_eq!(file.profile_names(), ["default", "dev", "spaced"]);
        assert_eq!(file.profile("dev").and_then(|p| p.get("region")), Some("b"));
        assert_eq!(
            file.profile("spaced").and_then(|p| p.get("region")),
            Some("f")
        );
    }

    #[test]
    fn profile_default_beats_plain_default_in_config() {
        let text = "[profile default]\nregion = new\n[default]\nregion = old\nextra = x\n";
        let file = parse(text, FileKind::Config);
        let default = file.profile("default").expect("default");
        assert_eq!(default.get("region"), Some("new"));
        assert_eq!(default.get("extra"), None);
        let file = parse("[default]\nregion = old\n", FileKind::Config);
        assert_eq!(
            file.profile("default").and_then(|p| p.get("region")),
            Some("old")
        );
    }

    #[test]
    fn comments_blank_lines_and_inline_comments() {
        let text = "\u{feff}# top\n; also\n\n[default] # trailing\n  # indented comment\n\
                    region = us-east-1 ; comment\nb = x#y;z\nc = v\t# tab comment\nd = # all comment\n\
                    e=\r\n";
        let file = parse(text, FileKind::Config);
        let p = file.profile("default").expect("default");
        assert_eq!(p.get("region"), Some("us-east-1"));
        assert_eq!(p.get("b"), Some("x#y;z"));
        assert_eq!(p.get("c"), Some("v"));
        assert_eq!(p.get("d"), Some(""));
        assert_eq!(p.get("e"), Some(""));
    }

    #[test]
    fn continuation_lines_and_sub_properties() {
        let text = "[default]\ns3 =\n  max_concurrent_requests = 10\n  addressing_style = path\n\
                    region = eu-west-1\nlong = a\n   b\n";
        let file = parse(text, FileKind::Config);
        let p = file.profile("default").expect("default");
        assert_eq!(
            p.get("s3"),
            Some("max_concurrent_requests = 10\naddressing_style = path")
        );
        assert_eq!(p.get("region"), Some("eu-west-1"));
        assert_eq!(p.get("long"), Some("a\nb"));
        assert_eq!(p.get("max_concurrent_requests"), None);
    }

    #[test]
    fn indented_properties_without_a_parent_are_properties() {
        let text = "[default]\n  region = x\n  output = json\n";
        let file = parse(text, FileKind::Config);
        let p = file.profile("default").expect("default");
        assert_eq!(p.get("region"), Some("x"));
        assert_eq!(p.get("output"), Some("json"));
    }

    #[test]
    fn repeated_sections_merge_and_later_keys_win() {
        let text = "[a]\nk = 1\nj = 1\n[b]\n[a]\nk = 2\n";
        let file = parse(text, FileKind::Credentials);
        let a = file.profile("a").expect("a");
        assert_eq!(a.get("k"), Some("2"));
        assert_eq!(a.get("j"), Some("1"));
        assert!(file.profile("b").is_some(), "empty profiles exist");
    }

    #[test]
    fn malformed_lines_are_located() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let err = parse_err(
            &format!("[default]\naws_access_key_id = A\naws_secret_access_key {secret}\n"),
            FileKind::Credentials,
        );
        assert!(err.starts_with("/tmp/f:3: expected `key = value`"), "{err}");
        assert!(!err.contains(secret), "{err}");

        assert!(parse_err("region = x\n", FileKind::Config)
            .starts_with("/tmp/f:1: a property must follow"));
        assert!(parse_err("\n[default\n", FileKind::Config)
            .starts_with("/tmp/f:2: a section header needs a closing"));
        assert!(parse_err("[]\n", FileKind::Config).contains(":1: a section header needs a name"));
        assert!(parse_err("[default] x\n", FileKind::Config).contains(":1: only a comment"));
        assert!(parse_err("[default]\n = x\n", FileKind::Config)
            .contains(":2: a property needs a name"));
        assert!(parse_err("[profile]\n", FileKind::Config).contains(":1: `[profile]` needs"));
        // Syntax is checked in ignored sections too.
        assert!(parse_err("[sso-session s]\nbroken\n", FileKind::Config).contains(":2:"));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let inputs = [
            "[",
            "]",
            "=",
            "[[]]",
            "[a]\n=\n",
            "\u{0}\u{1}",
            "[a]\n\t\t\t",
            "[ä]\nkey=ü ;",
            "[a]\nk=v\n\u{a0}\u{a0}x",
            "[profile \u{3000}]\n",
            "\r\r\n[a]\r\nk=v\r",
        ];
        for input in inputs {
            for kind in [FileKind::Config, FileKind::Credentials] {
                let _ = ProfileFile::parse(input, Path::new("/x"), kind);
            }
        }
    }

    #[test]
    fn shared_config_precedence_and_descriptions() {
        let dir = TempDir::new();
        let credentials = dir.write(
            "creds",
            "[dev]\naws_access_key_id = FROM_CREDENTIALS\nregion = ignored-here\n",
        );
        let config = dir.write(
            "conf",
            "[profile dev]\naws_access_key_id = FROM_CONFIG\nregion = eu-west-1\nmax_attempts = 4\n",
        );
        let env = Env::from_vars([
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.to_str().expect("utf-8"),
            ),
            ("AWS_CONFIG_FILE", config.to_str().expect("utf-8")),
            ("AWS_PROFILE", "dev"),
        ]);
        let shared = SharedConfig::load(&env).expect("loads");
        assert_eq!(shared.profile_name(), "dev");
        assert_eq!(shared.get("aws_access_key_id"), Some("FROM_CREDENTIALS"));
        assert_eq!(shared.get("region"), Some("eu-west-1"));
        assert_eq!(shared.get("max_attempts"), Some("4"));
        let setting = shared.config_setting("max_attempts").expect("set");
        assert_eq!((setting.path, setting.line), (config.as_path(), 4));
        assert_eq!(shared.status(FileKind::Config), FileStatus::Found);

        let env = Env::from_vars([
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.to_str().expect("utf-8"),
            ),
            (
                "AWS_CONFIG_FILE",
                dir.0.join("missing").to_str().expect("utf-8"),
            ),
        ]);
        let shared = SharedConfig::load(&env).expect("loads");
        assert_eq!(shared.profile_name(), "default");
        assert_eq!(
            shared.status(FileKind::Credentials),
            FileStatus::NoSuchProfile
        );
        assert_eq!(shared.status(FileKind::Config), FileStatus::NotFound);
        assert_eq!(
            shared.describe("aws_access_key_id"),
            format!(
                "profile `default` in {} (no such profile) and {} (file not found)",
                credentials.display(),
                dir.0.join("missing").display()
            )
        );
    }

    #[test]
    fn default_paths_are_below_home() {
        let dir = TempDir::new();
        dir.write(".aws/config", "[default]\nregion = ap-south-1\n");
        let env = Env::from_vars([(
            if cfg!(windows) { "USERPROFILE" } else { "HOME" },
            dir.0.to_str().expect("utf-8"),
        )]);
        let shared = SharedConfig::load(&env).expect("loads");
        assert_eq!(shared.get("region"), Some("ap-south-1"));
        assert_eq!(
            shared.path(FileKind::Config),
            Some(dir.0.join(".aws/config").as_path())
        );
        assert_eq!(shared.status(FileKind::Credentials), FileStatus::NotFound);

        let config_only = SharedConfig::load_config(&env).expect("loads");
        assert_eq!(
            config_only.status(FileKind::Credentials),
            FileStatus::NotRead
        );
        assert_eq!(config_only.get("region"), Some("ap-south-1"));

        let homeless = SharedConfig::load(&Env::from_vars([("X", "y")])).expect("loads");
        assert_eq!(
            homeless.status(FileKind::Config),
            FileStatus::NoHomeDirectory
        );
        assert!(homeless
            .display_path(FileKind::Config)
            .contains("no home directory"));
    }

    #[test]
    fn unreadable_file_is_an_error_naming_it() {
        let dir = TempDir::new();
        // A directory where a file should be cannot be read as text.
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", dir.0.to_str().expect("utf-8")),
            ("HOME", "/nonexistent"),
        ]);
        let err = SharedConfig::load(&env).expect_err("a directory is not a file");
        assert!(err.to_string().starts_with("cannot read "), "{err}");
        assert_eq!(err.path(), dir.0.as_path());
        assert!(err.line().is_none());

        let bad = dir.write("latin1", "");
        std::fs::write(&bad, b"[default]\nregion = \xff\n").expect("write");
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", bad.to_str().expect("utf-8")),
            ("HOME", "/nonexistent"),
        ]);
        let err = SharedConfig::load(&env).expect_err("not UTF-8");
        assert!(err.to_string().ends_with("not UTF-8 text"), "{err}");
    }
}
