//! Untyped, JSON-like data.

use std::collections::BTreeMap;

/// The Rust type of Smithy `document` shapes: protocol-agnostic, JSON-like
/// data whose structure the model does not describe.
///
/// ```
/// use std::collections::BTreeMap;
/// use smithgen_runtime::Document;
///
/// let doc = Document::from(BTreeMap::from([
///     ("name".to_owned(), Document::from("widget")),
///     ("sizes".to_owned(), Document::from(vec![Document::from(1), Document::from(2.5)])),
/// ]));
/// let object = doc.as_object().unwrap();
/// assert_eq!(object["name"].as_str(), Some("widget"));
/// assert_eq!(object["sizes"].as_array().unwrap()[1].as_f64(), Some(2.5));
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Document {
    /// No value (JSON `null`).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An ordered list of documents.
    Array(Vec<Document>),
    /// Documents by name, sorted by name.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// Whether this is [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value of a [`Document::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The value of a [`Document::Number`].
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Self::Number(number) => Some(number),
            _ => None,
        }
    }

    /// The value of a [`Document::Number`] as an `f64`, which may round
    /// integers beyond 2^53 (see [`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    /// The value of a [`Document::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(value) => Some(value),
            _ => None,
        }
    }

    /// The elements of a [`Document::Array`].
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Self::Array(elements) => Some(elements),
            _ => None,
        }
    }

    /// The members of a [`Document::Object`].
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// A number in a [`Document`].
///
/// The `From` impls use [`PosInt`](Number::PosInt) for every integer that is
/// zero or more and [`NegInt`](Number::NegInt) only for negative ones, so
/// that equal integers compare equal; build the variants directly only in
/// that form. Floats compare as `f64`s do: `NaN` is not equal to itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An integer that is zero or more.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// The number as an `f64`, rounding integers of more than 53 bits to the
    /// nearest `f64`.
    pub fn as_f64(&self) -> f64 {
        // Rounding is the documented behaviour: there is no `From` for these.
        match *self {
            Self::PosInt(value) => value as f64,
            Self::NegInt(value) => value as f64,
            Self::Float(value) => value,
        }
    }

    /// The number as an `i64`, if it is an integer variant in range.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::PosInt(value) => i64::try_from(value).ok(),
            Self::NegInt(value) => Some(value),
            Self::Float(_) => None,
        }
    }

    /// The number as a `u64`, if it is an integer variant in range.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::PosInt(value) => Some(value),
            Self::NegInt(value) => u64::try_from(value).ok(),
            Self::Float(_) => None,
        }
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Self {
        Self::PosInt(value)
    }
}

impl From<i64> for Number {
    /// [`Number::PosInt`] if `value` is zero or more, else
    /// [`Number::NegInt`].
    fn from(value: i64) -> Self {
        match u64::try_from(value) {
            Ok(value) => Self::PosInt(value),
            Err(_) => Self::NegInt(value),
        }
    }
}

impl From<i32> for Number {
    fn from(value: i32) -> Self {
        Self::from(i64::from(value))
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Self::Float(value)
    }
}

impl From<Number> for Document {
    fn from(number: Number) -> Self {
        Self::Number(number)
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<u64> for Document {
    fn from(value: u64) -> Self {
        Self::Number(value.into())
    }
}

impl From<i64> for Document {
    /// A [`Number::PosInt`] if `value` is zero or more, else a
    /// [`Number::NegInt`].
    fn from(value: i64) -> Self {
        Self::Number(value.into())
    }
}

impl From<i32> for Document {
    /// Like `From<i64>`; lets an unsuffixed literal (`Document::from(1)`)
    /// compile.
    fn from(value: i32) -> Self {
        Self::Number(value.into())
    }
}

impl From<f64> for Document {
    fn from(value: f64) -> Self {
        Self::Number(value.into())
    }
}

impl From<Vec<Document>> for Document {
    fn from(elements: Vec<Document>) -> Self {
        Self::Array(elements)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(members: BTreeMap<String, Document>) -> Self {
        Self::Object(members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_match_only_their_variant() {
        let docs = [
            Document::Null,
            Document::from(true),
            Document::from(1.5),
            Document::from("s"),
            Document::from(vec![Document::Null]),
            Document::from(BTreeMap::new()),
        ];
        let is_null: Vec<bool> = docs.iter().map(Document::is_null).collect();
        assert_eq!(is_null, [true, false, false, false, false, false]);
        let bools: Vec<_> = docs.iter().map(Document::as_bool).collect();
        assert_eq!(bools, [None, Some(true), None, None, None, None]);
        let floats: Vec<_> = docs.iter().map(Document::as_f64).collect();
        assert_eq!(floats, [None, None, Some(1.5), None, None, None]);
        let strs: Vec<_> = docs.iter().map(Document::as_str).collect();
        assert_eq!(strs, [None, None, None, Some("s"), None, None]);
        let arrays: Vec<_> = docs.iter().map(|d| d.as_array().is_some()).collect();
        assert_eq!(arrays, [false, false, false, false, true, false]);
        let objects: Vec<_> = docs.iter().map(|d| d.as_object().is_some()).collect();
        assert_eq!(objects, [false, false, false, false, false, true]);
        assert_eq!(Document::default(), Document::Null);
    }

    #[test]
    fn integers_have_one_representation() {
        assert_eq!(Document::from(5_i64), Document::from(5_u64));
        assert_eq!(Document::from(0_i64), Document::Number(Number::PosInt(0)));
        assert_eq!(Document::from(-5), Document::Number(Number::NegInt(-5)));
        assert_eq!(Document::from(7), Document::Number(Number::PosInt(7)));
        assert_ne!(Document::from(5_i64), Document::from(5.0));
    }

    #[test]
    fn number_conversions() {
        assert_eq!(Number::from(-3_i64).as_f64(), -3.0);
        assert_eq!(Number::from(u64::MAX).as_i64(), None);
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::from(-1_i64).as_u64(), None);
        assert_eq!(Number::from(i64::MIN).as_i64(), Some(i64::MIN));
        assert_eq!(Number::from(1.0).as_i64(), None);
        assert_eq!(Number::from(2.5).as_f64(), 2.5);
        assert_eq!(
            Document::from(u64::MAX).as_number(),
            Some(&Number::PosInt(u64::MAX))
        );
    }

    #[test]
    fn strings_and_containers() {
        assert_eq!(Document::from(String::from("x")), Document::from("x"));
        let array = Document::from(vec![Document::from(1), Document::from("two")]);
        assert_eq!(array.as_array().unwrap()[1].as_str(), Some("two"));
        let mut members = BTreeMap::new();
        members.insert("k".to_owned(), array.clone());
        let object = Document::from(members);
        assert_eq!(object.as_object().unwrap()["k"], array);
    }

    #[test]
    fn nan_is_not_equal_to_itself() {
        assert_ne!(Document::from(f64::NAN), Document::from(f64::NAN));
    }
}
