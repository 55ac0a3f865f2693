//! The Smithy endpoint rules engine: a service's `smithy.rules#endpointRuleSet`
//! evaluated at run time.
//!
//! A [`RuleSet`] is parsed once from the trait's JSON into a compact typed
//! tree, checked as it is parsed (every function known and called with the
//! right number and types of arguments, every reference to a parameter or to
//! a variable assigned earlier in scope), so that [`RuleSet::resolve`] only
//! walks the tree: resolving an endpoint for typical parameters takes well
//! under a microsecond.
//!
//! Every function of the rules engine's standard library is supported
//! (`booleanEquals`, `stringEquals`, `isSet`, `not`, `getAttr`,
//! `isValidHostLabel`, `parseURL`, `substring`, `uriEncode`, `coalesce`,
//! `ite`, `split`), and the AWS ones (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`); partitions come from [`PARTITIONS`].
//!
//! ```
//! use smithgen_runtime::endpoint::{Params, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "The region."},
//!         "UseFIPS": {"type": "Boolean", "required": true, "default": false, "documentation": "FIPS."}
//!     },
//!     "rules": [
//!         {
//!             "conditions": [
//!                 {"fn": "isSet", "argv": [{"ref": "Region"}]},
//!                 {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "Partition"}
//!             ],
//!             "type": "tree",
//!             "rules": [
//!                 {
//!                     "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
//!                     "endpoint": {"url": "https://example-fips.{Region}.{Partition#dnsSuffix}"},
//!                     "type": "endpoint"
//!                 },
//!                 {
//!                     "conditions": [],
//!                     "endpoint": {
//!                         "url": "https://example.{Region}.{Partition#dnsSuffix}",
//!                         "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]}
//!                     },
//!                     "type": "endpoint"
//!                 }
//!             ]
//!         },
//!         {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
//!     ]
//! }"#)?;
//!
//! let endpoint = rules.resolve(&Params::new().with("Region", "cn-north-1"))?;
//! assert_eq!(endpoint.url, "https://example.cn-north-1.amazonaws.com.cn");
//! let scheme = &endpoint.properties.as_object().unwrap()["authSchemes"].as_array().unwrap()[0];
//! assert_eq!(scheme.as_object().unwrap()["signingRegion"].as_str(), Some("cn-north-1"));
//!
//! let fips = Params::new().with("Region", "us-west-2").with("UseFIPS", true);
//! assert_eq!(rules.resolve(&fips)?.url, "https://example-fips.us-west-2.amazonaws.com");
//!
//! let error = rules.resolve(&Params::new()).unwrap_err();
//! assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod eval;
mod functions;
mod parse;
mod partitions;
mod tree;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::error::Error;
use std::fmt;

use crate::Document;

pub use partitions::{partition, Partition, PARTITIONS};

/// A parsed and checked endpoint rule set (the value of a service's
/// `smithy.rules#endpointRuleSet` trait), ready to [`resolve`](Self::resolve)
/// endpoints.
#[derive(Clone, Debug)]
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    rules: Box<[tree::Rule]>,
    /// How many values evaluation keeps at once: the parameters, then the
    /// variables conditions assign (one per level of nesting).
    slots: usize,
}

impl RuleSet {
    /// Parses and checks a rule set from the JSON text of the trait.
    ///
    /// # Errors
    ///
    /// If the text is not JSON, or the rule set is not valid: a missing or
    /// mistyped property, an unknown function, a wrong number of arguments
    /// or a literal of the wrong type, a reference to an unknown parameter
    /// or to a variable not assigned in scope, a malformed template. The
    /// error names where, as a path such as
    /// `rules[3].rules[0].conditions[1].argv[0]`.
    pub fn from_json(text: &str) -> Result<RuleSet, RuleSetError> {
        let mut reader =
            crate::json::JsonReader::new(text.as_bytes()).with_max_depth(parse::MAX_JSON_DEPTH);
        let document = reader
            .document()
            .and_then(|document| reader.end().map(|()| document))
            .map_err(|e| {
                RuleSetError::new(
                    e.path(),
                    format!("{} (at byte {})", e.message(), e.offset()),
                )
            })?;
        RuleSet::from_document(&document)
    }

    /// Parses and checks a rule set already read as a [`Document`].
    ///
    /// # Errors
    ///
    /// As [`from_json`](Self::from_json).
    pub fn from_document(document: &Document) -> Result<RuleSet, RuleSetError> {
        parse::rule_set(document)
    }

    /// The rule set's `version` (`1.0`, `1.1`, …).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The parameters, sorted by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter named `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// Resolves the endpoint for `params`: parameters not given take their
    /// defaults, then the first rule whose conditions all hold decides.
    ///
    /// # Errors
    ///
    /// The message of the error rule that matched
    /// ([`EndpointErrorKind::Rule`]), or an [`EndpointError`] saying that a
    /// parameter is unknown, of the wrong type or required but missing, or
    /// that no rule matched.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, params, PARTITIONS)
    }

    /// [`resolve`](Self::resolve) with another table of partitions than
    /// [`PARTITIONS`] for `aws.partition`: newer or custom data, or the data
    /// a model's endpoint tests were written against. A region no partition
    /// claims falls back to the table's `aws` partition (else its first).
    ///
    /// A table other than [`PARTITIONS`] has its region patterns compiled
    /// on each lookup that gets that far; keep such tables for tests and
    /// tools.
    ///
    /// # Errors
    ///
    /// As [`resolve`](Self::resolve).
    pub fn resolve_with_partitions(
        &self,
        params: &Params,
        partitions: &'static [Partition],
    ) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, params, partitions)
    }
}

/// A parameter of a [`RuleSet`].
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    name: String,
    kind: ParameterType,
    built_in: Option<String>,
    required: bool,
    default: Option<Value>,
    documentation: Option<String>,
    deprecated: bool,
}

impl Parameter {
    /// The name rules refer to it by (`Region`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub fn kind(&self) -> ParameterType {
        self.kind
    }

    /// The built-in whose value it takes when set (`AWS::Region`,
    /// `SDK::Endpoint`, …).
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Whether resolution needs a value (given, or the default).
    pub fn is_required(&self) -> bool {
        self.required
    }

    /// The value it takes when none is given.
    pub fn default_value(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Its documentation.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// Whether it is marked deprecated.
    pub fn is_deprecated(&self) -> bool {
        self.deprecated
    }
}

/// The type of a [`Parameter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParameterType {
    /// What a value of this type is called in messages (`a string`).
    fn described(self) -> &'static str {
        match self {
            ParameterType::String => "a string",
            ParameterType::Boolean => "a boolean",
            ParameterType::StringArray => "a list of strings",
        }
    }
}

/// The value of a parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// For `string` parameters.
    String(String),
    /// For `boolean` parameters.
    Bool(bool),
    /// For `stringArray` parameters.
    StringArray(Vec<String>),
}

impl Value {
    /// The type of parameter this value is for.
    pub fn kind(&self) -> ParameterType {
        match self {
            Value::String(_) => ParameterType::String,
            Value::Bool(_) => ParameterType::Boolean,
            Value::StringArray(_) => ParameterType::StringArray,
        }
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::String(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<Vec<String>> for Value {
    fn from(value: Vec<String>) -> Self {
        Value::StringArray(value)
    }
}

impl From<Vec<&str>> for Value {
    fn from(value: Vec<&str>) -> Self {
        Value::StringArray(value.into_iter().map(str::to_owned).collect())
    }
}

/// The parameter values to resolve an endpoint with, by parameter name.
///
/// ```
/// use smithgen_runtime::endpoint::{Params, Value};
///
/// let mut params = Params::new().with("Region", "us-east-1");
/// params.set("UseFIPS", true).set("Region", "eu-west-1");
/// assert_eq!(params.get("Region"), Some(&Value::from("eu-west-1")));
/// assert_eq!(params.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    values: Vec<(Cow<'static, str>, Value)>,
}

impl Params {
    /// No values.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets parameter `name` to `value`, replacing any value it had.
    pub fn set(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Value>,
    ) -> &mut Self {
        let name = name.into();
        let value = value.into();
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some((_, slot)) => *slot = value,
            None => self.values.push((name, value)),
        }
        self
    }

    /// [`set`](Self::set), by value.
    pub fn with(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<Value>) -> Self {
        self.set(name, value);
        self
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Unsets parameter `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        let index = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.remove(index).1)
    }

    /// The values, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(n, v)| (&**n, v))
    }

    /// How many parameters are set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL to send requests to (`https://lightsail.us-east-1.amazonaws.com`).
    pub url: String,
    /// The endpoint's properties, an object (empty when the rule has none),
    /// such as `authSchemes`: a list of objects with `name` (`sigv4`),
    /// `signingName`, `signingRegion`, … that override the signer's defaults.
    pub properties: Document,
    /// Headers to send, sorted by name, each with its values.
    pub headers: Vec<(String, Vec<String>)>,
}

impl Endpoint {
    /// The property named `name`.
    pub fn property(&self, name: &str) -> Option<&Document> {
        self.properties.as_object()?.get(name)
    }
}

/// Why no endpoint was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

/// The kind of an [`EndpointError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An error rule matched; the message is the rule's.
    Rule,
    /// No rule matched (the rules, or those of a tree rule that matched,
    /// were exhausted).
    NoMatch,
    /// A required parameter had neither a value nor a default.
    MissingParameter,
    /// A value was given for a parameter the rule set does not define, or
    /// of the wrong type.
    InvalidParameter,
    /// The endpoint or error of a matching rule could not be built: a
    /// template used a value that is not set.
    Evaluation,
}

impl EndpointError {
    pub(crate) fn new(kind: EndpointErrorKind, message: impl Into<String>) -> Self {
        EndpointError {
            kind,
            message: message.into(),
        }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message: an error rule's own, or one describing the problem.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    /// Writes the message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for EndpointError {}

/// Why a rule set could not be parsed: what is wrong and where.
///
/// ```
/// use smithgen_runtime::endpoint::RuleSet;
///
/// let error = RuleSet::from_json(r#"{"version": "1.0", "parameters": {}, "rules": [
///     {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Nope"}]}], "error": "x"}
/// ]}"#).unwrap_err();
/// assert_eq!(error.location(), "rules[0].conditions[0].argv[0]");
/// assert_eq!(error.to_string(), "rules[0].conditions[0].argv[0]: `Nope` is neither a parameter nor a variable assigned in scope");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    location: String,
    message: String,
}

impl RuleSetError {
    pub(crate) fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        RuleSetError {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Where the problem is: a path into the rule set such as
    /// `rules[3].rules[0].conditions[1]` or `parameters.Region.default`
    /// (empty for the rule set itself; a JSON path for syntax errors).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RuleSetError {
    /// Writes `location: message`, or the message alone at the top level.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl Error for RuleSetError {}
