//! The typed Smithy model: shape ids, shapes, members and traits.
//!
//! [`load_files`] reads JSON AST files into a [`Model`]; every later stage of the
//! pipeline works on these types and never looks at raw JSON again (trait values, which are
//! JSON by nature, excepted).

mod ast;
mod diagnostic;
mod idl;
mod load;
mod prelude;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

pub use ast::{to_idl, to_json_ast};
pub use diagnostic::{Diagnostic, Diagnostics, Excerpt};
pub use load::{load_files, load_sources, model_inputs, ModelInputs, Source};
pub use prelude::UNIT;

/// An absolute shape id, `namespace#Name`, or a member id, `namespace#Name$member`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

impl ShapeId {
    /// Parses and validates an absolute shape id (members allowed).
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let (namespace, rest) = text.split_once('#').ok_or_else(|| {
            format!("`{text}` is not an absolute shape id (expected `namespace#Name`)")
        })?;
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        let namespace_ok = !namespace.is_empty() && namespace.split('.').all(is_identifier);
        if !namespace_ok || !is_identifier(name) || !member.is_none_or(is_identifier) {
            return Err(format!("`{text}` is not a valid shape id"));
        }
        Ok(ShapeId(text.to_owned()))
    }

    /// Builds `namespace#name` without validation (for ids known to be well formed).
    pub fn new_unchecked(text: impl Into<String>) -> ShapeId {
        ShapeId(text.into())
    }

    /// The whole id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The namespace before `#`.
    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }

    /// The shape name after `#` (without any member part).
    pub fn name(&self) -> &str {
        let rest = self
            .0
            .split_once('#')
            .map_or(self.0.as_str(), |(_, rest)| rest);
        rest.split_once('$').map_or(rest, |(name, _)| name)
    }

    /// The member name after `$`, if this is a member id.
    pub fn member(&self) -> Option<&str> {
        self.0.split_once('$').map(|(_, member)| member)
    }

    /// The id of the containing shape when this is a member id; itself otherwise.
    pub fn root(&self) -> ShapeId {
        match self.0.split_once('$') {
            Some((root, _)) => ShapeId(root.to_owned()),
            None => self.clone(),
        }
    }

    /// The id of member `member` of this shape.
    pub fn with_member(&self, member: &str) -> ShapeId {
        ShapeId(format!("{}${member}", self.0))
    }
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    let first_ok = match chars.next() {
        Some(c) => c.is_ascii_alphabetic() || c == '_',
        None => false,
    };
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && text.chars().any(|c| c.is_ascii_alphanumeric())
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::borrow::Borrow<str> for ShapeId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// The type of a shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShapeType {
    Blob,
    Boolean,
    String,
    Enum,
    IntEnum,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
    /// A list; 1.0 `set` shapes load as lists carrying `@uniqueItems`.
    List,
    Map,
    Structure,
    Union,
    Service,
    Operation,
    Resource,
}

impl ShapeType {
    /// Parses the `type` property of an AST shape (`set` maps to [`ShapeType::List`]).
    pub fn from_ast(name: &str) -> Option<ShapeType> {
        Some(match name {
            "blob" => ShapeType::Blob,
            "boolean" => ShapeType::Boolean,
            "string" => ShapeType::String,
            "enum" => ShapeType::Enum,
            "intEnum" => ShapeType::IntEnum,
            "byte" => ShapeType::Byte,
            "short" => ShapeType::Short,
            "integer" => ShapeType::Integer,
            "long" => ShapeType::Long,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "bigInteger" => ShapeType::BigInteger,
            "bigDecimal" => ShapeType::BigDecimal,
            "timestamp" => ShapeType::Timestamp,
            "document" => ShapeType::Document,
            "list" | "set" => ShapeType::List,
            "map" => ShapeType::Map,
            "structure" => ShapeType::Structure,
            "union" => ShapeType::Union,
            "service" => ShapeType::Service,
            "operation" => ShapeType::Operation,
            "resource" => ShapeType::Resource,
            _ => return None,
        })
    }

    /// The AST spelling of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            ShapeType::Blob => "blob",
            ShapeType::Boolean => "boolean",
            ShapeType::String => "string",
            ShapeType::Enum => "enum",
            ShapeType::IntEnum => "intEnum",
            ShapeType::Byte => "byte",
            ShapeType::Short => "short",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Document => "document",
            ShapeType::List => "list",
            ShapeType::Map => "map",
            ShapeType::Structure => "structure",
            ShapeType::Union => "union",
            ShapeType::Service => "service",
            ShapeType::Operation => "operation",
            ShapeType::Resource => "resource",
        }
    }

    /// Whether the shape carries members under `members`.
    pub fn has_named_members(self) -> bool {
        matches!(
            self,
            ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
        )
    }
}

/// Trait values keyed by absolute trait id (`smithy.api#required`). Every trait is kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits(BTreeMap<String, Value>);

/// Well-known trait ids.
pub mod trait_ids {
    pub const DOCUMENTATION: &str = "smithy.api#documentation";
    pub const REQUIRED: &str = "smithy.api#required";
    pub const DEFAULT: &str = "smithy.api#default";
    pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
    pub const INPUT: &str = "smithy.api#input";
    pub const OUTPUT: &str = "smithy.api#output";
    pub const ERROR: &str = "smithy.api#error";
    pub const HTTP_ERROR: &str = "smithy.api#httpError";
    pub const SENSITIVE: &str = "smithy.api#sensitive";
    pub const SPARSE: &str = "smithy.api#sparse";
    pub const DEPRECATED: &str = "smithy.api#deprecated";
    pub const ENUM_VALUE: &str = "smithy.api#enumValue";
    pub const ENUM: &str = "smithy.api#enum";
    pub const MIXIN: &str = "smithy.api#mixin";
    pub const UNIT_TYPE: &str = "smithy.api#unitType";
    pub const BOX: &str = "smithy.api#box";
    pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
    pub const STREAMING: &str = "smithy.api#streaming";
    pub const TITLE: &str = "smithy.api#title";
    pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
    pub const AWS_SERVICE: &str = "aws.api#service";
}

impl Traits {
    /// The raw JSON value of a trait.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether the trait is present.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Sets (replaces) a trait.
    pub fn insert(&mut self, id: impl Into<String>, value: Value) {
        self.0.insert(id.into(), value);
    }

    /// Removes a trait.
    pub fn remove(&mut self, id: &str) -> Option<Value> {
        self.0.remove(id)
    }

    /// Iterates over every trait in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The `@documentation` HTML, if any.
    pub fn documentation(&self) -> Option<&str> {
        self.get(trait_ids::DOCUMENTATION).and_then(Value::as_str)
    }

    /// `@deprecated`: `Some((message, since))` when present.
    pub fn deprecated(&self) -> Option<(Option<&str>, Option<&str>)> {
        let value = self.get(trait_ids::DEPRECATED)?;
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        Some((field("message"), field("since")))
    }

    /// `@sensitive`.
    pub fn is_sensitive(&self) -> bool {
        self.has(trait_ids::SENSITIVE)
    }

    /// `@required`.
    pub fn is_required(&self) -> bool {
        self.has(trait_ids::REQUIRED)
    }

    /// `@default` value, if any.
    pub fn default_value(&self) -> Option<&Value> {
        self.get(trait_ids::DEFAULT)
    }

    /// `@error`: `client` or `server`.
    pub fn error_fault(&self) -> Option<&str> {
        self.get(trait_ids::ERROR).and_then(Value::as_str)
    }
}

/// A member of an aggregate shape (structure, union, enum, intEnum, list, map).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The member name (`member`, `key` and `value` for lists and maps).
    pub name: String,
    /// The targeted shape.
    pub target: ShapeId,
    /// Traits applied to the member.
    pub traits: Traits,
}

impl Member {
    /// The member's documentation, falling back to none (callers may then use the target's).
    pub fn documentation(&self) -> Option<&str> {
        self.traits.documentation()
    }
}

/// One enum value: from a Smithy 2.0 `enum`/`intEnum` member or a 1.0 `@enum` trait entry.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The symbolic name (member name, or `name` of a 1.0 entry; the value when neither exists).
    pub name: String,
    /// The wire value.
    pub value: EnumLiteral,
    /// HTML documentation.
    pub documentation: Option<String>,
    /// Whether the value is deprecated.
    pub deprecated: bool,
}

/// The wire value of an enum entry.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumLiteral {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// Relationship properties of service, operation and resource shapes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Relations {
    /// Service `version`.
    pub version: Option<String>,
    /// Service/resource `operations`.
    pub operations: Vec<ShapeId>,
    /// Service/resource `resources`.
    pub resources: Vec<ShapeId>,
    /// Service/operation `errors`.
    pub errors: Vec<ShapeId>,
    /// Service `rename`.
    pub rename: BTreeMap<ShapeId, String>,
    /// Operation `input`.
    pub input: Option<ShapeId>,
    /// Operation `output`.
    pub output: Option<ShapeId>,
    /// Resource `identifiers`.
    pub identifiers: BTreeMap<String, ShapeId>,
    /// Resource `properties`.
    pub properties: BTreeMap<String, ShapeId>,
    /// Resource lifecycle operations (`create`, `put`, `read`, `update`, `delete`, `list`), in that order when present.
    pub lifecycle: Vec<(String, ShapeId)>,
    /// Resource `collectionOperations`.
    pub collection_operations: Vec<ShapeId>,
}

/// A shape of the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Its id.
    pub id: ShapeId,
    /// Its type.
    pub kind: ShapeType,
    /// Members in model order (structure, union, enum, intEnum) or `member` (list),
    /// `key` and `value` (map). Mixin members come first, then the shape's own.
    pub members: Vec<Member>,
    /// Traits (mixin traits already merged in, `apply` already applied).
    pub traits: Traits,
    /// The mixins the shape listed (already flattened into members and traits).
    pub mixins: Vec<ShapeId>,
    /// Service, operation and resource properties.
    pub relations: Relations,
    /// The file that defined the shape.
    pub file: Arc<PathBuf>,
}

impl Shape {
    /// The member named `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Whether this shape is a mixin (never generated itself).
    pub fn is_mixin(&self) -> bool {
        self.traits.has(trait_ids::MIXIN)
    }

    /// The shape's documentation HTML.
    pub fn documentation(&self) -> Option<&str> {
        self.traits.documentation()
    }

    /// Whether this is a string enum: an `enum` shape or a 1.0 string with `@enum`.
    pub fn is_string_enum(&self) -> bool {
        self.kind == ShapeType::Enum
            || (self.kind == ShapeType::String && self.traits.has(trait_ids::ENUM))
    }

    /// The values of an `enum`, `intEnum` or 1.0 `@enum` string, in model order.
    pub fn enum_values(&self) -> Vec<EnumValue> {
        match self.kind {
            ShapeType::Enum | ShapeType::IntEnum => self
                .members
                .iter()
                .map(|m| {
                    let value = match m.traits.get(trait_ids::ENUM_VALUE) {
                        Some(Value::String(s)) => EnumLiteral::String(s.clone()),
                        Some(v) if v.is_i64() => EnumLiteral::Int(v.as_i64().unwrap_or_default()),
                        _ => EnumLiteral::String(m.name.clone()),
                    };
                    EnumValue {
                        name: m.name.clone(),
                        value,
                        documentation: m.traits.documentation().map(str::to_owned),
                        deprecated: m.traits.has(trait_ids::DEPRECATED),
                    }
                })
                .collect(),
            ShapeType::String => self
                .traits
                .get(trait_ids::ENUM)
                .and_then(Value::as_array)
                .map(|entries| {
                    entries
                        .iter()
                        .filter_map(|entry| {
                            let value = entry.get("value")?.as_str()?.to_owned();
                            let text = |k: &str| entry.get(k).and_then(Value::as_str);
                            Some(EnumValue {
                                name: text("name").unwrap_or(&value).to_owned(),
                                documentation: text("documentation").map(str::to_owned),
                                deprecated: entry.get("deprecated").and_then(Value::as_bool)
                                    == Some(true),
                                value: EnumLiteral::String(value),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The element member of a list.
    pub fn list_member(&self) -> Option<&Member> {
        (self.kind == ShapeType::List)
            .then(|| self.member("member"))
            .flatten()
    }

    /// The key and value members of a map.
    pub fn map_members(&self) -> Option<(&Member, &Member)> {
        if self.kind != ShapeType::Map {
            return None;
        }
        Some((self.member("key")?, self.member("value")?))
    }

    /// Whether this is an error structure.
    pub fn is_error(&self) -> bool {
        self.traits.has(trait_ids::ERROR)
    }
}

/// A loaded, validated model: every shape of every file plus the prelude.
#[derive(Clone, Debug, Default)]
pub struct Model {
    shapes: BTreeMap<ShapeId, Shape>,
    /// Metadata entries from all files.
    pub metadata: BTreeMap<String, Value>,
    /// The files read, in the order given.
    pub files: Vec<PathBuf>,
    /// SHA-256 of the model files' contents (hex), in sorted file-name order.
    pub digest: String,
    /// Things worth knowing that are not errors (an unknown IDL control statement, ignored).
    pub notes: Vec<Diagnostic>,
}

impl Model {
    /// Gives each service that declares no endpoint rule set the rules of the service with the
    /// same id in `other` (its `endpointRuleSet` and `clientContextParams`), with the
    /// `staticContextParams` of same-id operations and the `contextParam` of same-named members
    /// of same-id structures: a protocol test model (a subset of a real service without its
    /// rules) then resolves endpoints as the real service does. Returns the services that
    /// adopted rules.
    pub fn adopt_endpoint_rules(&mut self, other: &Model) -> Vec<ShapeId> {
        const RULE_SET: &str = "smithy.rules#endpointRuleSet";
        const SERVICE_TRAITS: [&str; 2] = [RULE_SET, "smithy.rules#clientContextParams"];
        const STATIC_PARAMS: &str = "smithy.rules#staticContextParams";
        const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
        let mut adopted = Vec::new();
        for (id, ours) in self.shapes.iter_mut() {
            let Some(theirs) = other.shapes.get(id) else {
                continue;
            };
            let copy = |ours: &mut Traits, theirs: &Traits, id: &str| {
                if let (false, Some(value)) = (ours.has(id), theirs.get(id)) {
                    ours.insert(id, value.clone());
                }
            };
            match ours.kind {
                ShapeType::Service if !ours.traits.has(RULE_SET) && theirs.traits.has(RULE_SET) => {
                    for t in SERVICE_TRAITS {
                        copy(&mut ours.traits, &theirs.traits, t);
                    }
                    adopted.push(id.clone());
                }
                ShapeType::Operation => copy(&mut ours.traits, &theirs.traits, STATIC_PARAMS),
                ShapeType::Structure => {
                    for member in &mut ours.members {
                        if let Some(their_member) = theirs.member(&member.name) {
                            copy(&mut member.traits, &their_member.traits, CONTEXT_PARAM);
                        }
                    }
                }
                _ => {}
            }
        }
        adopted
    }

    /// The shape with id `id`.
    pub fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// Every shape, sorted by id.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// The target shape of a member (which a validated model always has).
    pub fn target(&self, member: &Member) -> &Shape {
        self.shapes
            .get(&member.target)
            .expect("validated model: member targets exist")
    }

    /// Every service shape.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes().filter(|s| s.kind == ShapeType::Service)
    }

    /// Whether the id names a shape of the bundled prelude.
    pub fn is_prelude(id: &ShapeId) -> bool {
        id.namespace() == "smithy.api"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_id_parts() {
        let id = ShapeId::parse("com.amazonaws.lightsail#Tag$key").unwrap();
        assert_eq!(id.namespace(), "com.amazonaws.lightsail");
        assert_eq!(id.name(), "Tag");
        assert_eq!(id.member(), Some("key"));
        assert_eq!(id.root().as_str(), "com.amazonaws.lightsail#Tag");
        assert!(ShapeId::parse("NoHash").is_err());
        assert!(ShapeId::parse("a.#B").is_err());
        assert!(ShapeId::parse("a#1B").is_err());
        assert!(ShapeId::parse("a#_").is_err());
        assert!(ShapeId::parse("a#B$").is_err());
        assert!(ShapeId::parse("smithy.api#String").is_ok());
    }
}
