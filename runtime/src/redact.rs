//! Hiding `@sensitive` values from `Debug` output.

use std::fmt;

/// The text printed in place of a `@sensitive` value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// A stand-in for a `@sensitive` value in `Debug` output: its `Debug` and
/// `Display` print [`REDACTED`].
///
/// Generated `Debug` impls pass it in place of the hidden member:
///
/// ```
/// use std::fmt;
///
/// struct Login {
///     user: String,
///     password: String,
/// }
///
/// impl fmt::Debug for Login {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
///         f.debug_struct("Login")
///             .field("user", &self.user)
///             .field("password", &smithgen_runtime::Redacted)
///             .finish()
///     }
/// }
///
/// let login = Login { user: "ann".into(), password: "hunter2".into() };
/// assert_eq!(
///     format!("{login:?}"),
///     r#"Login { user: "ann", password: *** Sensitive Data Redacted *** }"#,
/// );
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_the_redaction_text() {
        assert_eq!(format!("{Redacted:?}"), "*** Sensitive Data Redacted ***");
        assert_eq!(format!("{Redacted:#?}"), REDACTED);
        assert_eq!(Redacted.to_string(), REDACTED);
    }

    #[test]
    fn replaces_a_field_in_debug_structs() {
        struct Secret;
        impl fmt::Debug for Secret {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("Secret")
                    .field("key", &Redacted)
                    .field("id", &7)
                    .finish()
            }
        }
        assert_eq!(
            format!("{Secret:?}"),
            "Secret { key: *** Sensitive Data Redacted ***, id: 7 }"
        );
    }
}
