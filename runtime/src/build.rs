//! Errors of generated builders.

use std::error::Error;
use std::fmt;

/// Returned by a generated builder's `build()` when a required member was
/// not set.
///
/// ```
/// use smithgen_runtime::BuildError;
///
/// let error = BuildError::missing_field("GetItemInput", "table_name");
/// assert_eq!(
///     error.to_string(),
///     "missing required field `table_name` of `GetItemInput`",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    field: &'static str,
}

impl BuildError {
    /// The required member `field` of the structure `shape` was not set.
    pub const fn missing_field(shape: &'static str, field: &'static str) -> Self {
        Self { shape, field }
    }

    /// The name of the structure whose builder failed.
    pub const fn shape(&self) -> &'static str {
        self.shape
    }

    /// The name of the member that was not set.
    pub const fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "missing required field `{}` of `{}`",
            self.field, self.shape
        )
    }
}

impl Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_and_shape() {
        let error = BuildError::missing_field("Shape", "field");
        assert_eq!(
            error.to_string(),
            "missing required field `field` of `Shape`"
        );
        assert_eq!(error.shape(), "Shape");
        assert_eq!(error.field(), "field");
        assert_ne!(error, BuildError::missing_field("Shape", "other"));
    }

    #[test]
    fn is_a_std_error() {
        let error: Box<dyn Error + Send + Sync> = Box::new(BuildError::missing_field("S", "f"));
        assert!(error.source().is_none());
        assert_eq!(error.to_string(), "missing required field `f` of `S`");
    }
}
