//! Support for generated forward-compatible enums.

/// The payload of the `Unknown` variant of a generated enum: a value the
/// model did not list when the code was generated.
///
/// Generated `enum` and `intEnum` types look like this:
///
/// ```
/// use smithgen_runtime::UnknownVariant;
///
/// #[non_exhaustive]
/// pub enum Color {
///     Red,
///     Green,
///     Unknown(UnknownVariant),
/// }
///
/// impl Color {
///     pub fn as_str(&self) -> &str {
///         match self {
///             Color::Red => "RED",
///             Color::Green => "GREEN",
///             Color::Unknown(value) => value.as_str(),
///         }
///     }
/// }
/// ```
///
/// Its fields are private, so code using a generated crate cannot construct
/// an `Unknown` value or match on a particular one. That keeps a later
/// version of the model from changing the meaning of such code: once `BLUE`
/// is added, it arrives as `Color::Blue`, and a `match` arm written for an
/// unknown `"BLUE"` would silently stop matching. Code can still read the
/// value ([`as_str`](UnknownVariant::as_str), [`value`](UnknownVariant::value)),
/// for logging or passing it on.
///
/// `T` is `String` for `enum` shapes and `i32` for `intEnum` shapes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariant<T = String> {
    value: T,
}

impl<T> UnknownVariant<T> {
    /// Wraps a value the model does not list. For generated code only.
    #[doc(hidden)]
    pub const fn new(value: T) -> Self {
        Self { value }
    }

    /// The value as received.
    pub const fn value(&self) -> &T {
        &self.value
    }
}

impl UnknownVariant<String> {
    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposes_the_value() {
        let unknown = UnknownVariant::new("BLUE".to_owned());
        assert_eq!(unknown.as_str(), "BLUE");
        assert_eq!(unknown.value(), "BLUE");

        let unknown_int = UnknownVariant::new(42_i32);
        assert_eq!(*unknown_int.value(), 42);
    }

    #[test]
    fn compares_by_value() {
        let a = UnknownVariant::new("A".to_owned());
        let b = UnknownVariant::new("B".to_owned());
        assert!(a < b);
        assert_eq!(a.clone(), UnknownVariant::new("A".to_owned()));
        assert_eq!(format!("{a:?}"), r#"UnknownVariant { value: "A" }"#);
    }

    #[test]
    fn defaults_to_string() {
        let unknown: UnknownVariant = UnknownVariant::new(String::from("x"));
        let _: &String = unknown.value();
    }
}
