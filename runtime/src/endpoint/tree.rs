//! The parsed form of a rule set: what [`super::parse`] builds and
//! [`super::eval`] walks.
//!
//! Names are gone: a reference is the index of a *slot*, the parameters
//! taking the first ones (in [`RuleSet::parameters`](super::RuleSet::parameters)
//! order) and each variable a condition assigns the next one up at its
//! depth of nesting. `getAttr` paths are resolved to typed steps.

use crate::Number;

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    String,
    Bool,
    StringArray,
    /// Only integer literals have this type (arguments of `substring` and
    /// `split`).
    Int,
    Partition,
    Url,
    Arn,
}

impl Ty {
    /// How messages name the type.
    pub(super) fn described(self) -> &'static str {
        match self {
            Ty::String => "a string",
            Ty::Bool => "a boolean",
            Ty::StringArray => "a list of strings",
            Ty::Int => "an integer",
            Ty::Partition => "a partition",
            Ty::Url => "a URL",
            Ty::Arn => "an ARN",
        }
    }
}

/// An expression.
#[derive(Clone, Debug)]
pub(super) enum Expr {
    /// A string without placeholders.
    Str(Box<str>),
    /// A string with `{Name}` or `{Name#path}` placeholders.
    Template(Box<[Part]>),
    Bool(bool),
    Int(i64),
    /// An array literal (of strings).
    Array(Box<[Expr]>),
    /// A parameter or variable, by slot.
    Ref(usize),
    /// `getAttr`, its path resolved.
    GetAttr(Box<Expr>, Box<[Step]>),
    /// Any other function.
    Call(Func, Box<[Expr]>),
}

/// A piece of a template.
#[derive(Clone, Debug)]
pub(super) enum Part {
    Literal(Box<str>),
    Value(Expr),
}

/// One step of a `getAttr` path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Field(Field),
    /// An index into a list; negative counts from the end.
    Index(i64),
}

/// An attribute of a partition, URL or ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    PartitionName,
    PartitionDnsSuffix,
    PartitionDualStackDnsSuffix,
    PartitionSupportsFips,
    PartitionSupportsDualStack,
    PartitionImplicitGlobalRegion,
    UrlScheme,
    UrlAuthority,
    UrlPath,
    UrlNormalizedPath,
    UrlIsIp,
    ArnPartition,
    ArnService,
    ArnRegion,
    ArnAccountId,
    ArnResourceId,
}

impl Field {
    /// The attribute `name` of a value of type `ty`, and the attribute's type.
    pub(super) fn of(ty: Ty, name: &str) -> Option<(Field, Ty)> {
        Some(match (ty, name) {
            (Ty::Partition, "name") => (Field::PartitionName, Ty::String),
            (Ty::Partition, "dnsSuffix") => (Field::PartitionDnsSuffix, Ty::String),
            (Ty::Partition, "dualStackDnsSuffix") => {
                (Field::PartitionDualStackDnsSuffix, Ty::String)
            }
            (Ty::Partition, "supportsFIPS") => (Field::PartitionSupportsFips, Ty::Bool),
            (Ty::Partition, "supportsDualStack") => (Field::PartitionSupportsDualStack, Ty::Bool),
            (Ty::Partition, "implicitGlobalRegion") => {
                (Field::PartitionImplicitGlobalRegion, Ty::String)
            }
            (Ty::Url, "scheme") => (Field::UrlScheme, Ty::String),
            (Ty::Url, "authority") => (Field::UrlAuthority, Ty::String),
            (Ty::Url, "path") => (Field::UrlPath, Ty::String),
            (Ty::Url, "normalizedPath") => (Field::UrlNormalizedPath, Ty::String),
            (Ty::Url, "isIp") => (Field::UrlIsIp, Ty::Bool),
            (Ty::Arn, "partition") => (Field::ArnPartition, Ty::String),
            (Ty::Arn, "service") => (Field::ArnService, Ty::String),
            (Ty::Arn, "region") => (Field::ArnRegion, Ty::String),
            (Ty::Arn, "accountId") => (Field::ArnAccountId, Ty::String),
            (Ty::Arn, "resourceId") => (Field::ArnResourceId, Ty::StringArray),
            _ => return None,
        })
    }
}

/// A library function other than `getAttr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Func {
    BooleanEquals,
    StringEquals,
    IsSet,
    Not,
    IsValidHostLabel,
    ParseUrl,
    Substring,
    UriEncode,
    Coalesce,
    Ite,
    Split,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

impl Func {
    /// The function called `name` in rule sets.
    pub(super) fn named(name: &str) -> Option<Func> {
        Some(match name {
            "booleanEquals" => Func::BooleanEquals,
            "stringEquals" => Func::StringEquals,
            "isSet" => Func::IsSet,
            "not" => Func::Not,
            "isValidHostLabel" => Func::IsValidHostLabel,
            "parseURL" => Func::ParseUrl,
            "substring" => Func::Substring,
            "uriEncode" => Func::UriEncode,
            "coalesce" => Func::Coalesce,
            "ite" => Func::Ite,
            "split" => Func::Split,
            "aws.partition" => Func::AwsPartition,
            "aws.parseArn" => Func::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Func::AwsIsVirtualHostableS3Bucket,
            _ => return None,
        })
    }
}

/// A condition: a function call whose result must be neither unset nor
/// `false`, optionally kept in a slot.
#[derive(Clone, Debug)]
pub(super) struct Condition {
    pub(super) expr: Expr,
    pub(super) assign: Option<usize>,
}

/// A rule.
#[derive(Clone, Debug)]
pub(super) struct Rule {
    pub(super) conditions: Box<[Condition]>,
    pub(super) action: Action,
}

/// What a rule whose conditions hold does.
#[derive(Clone, Debug)]
pub(super) enum Action {
    Endpoint(Box<EndpointTemplate>),
    /// An error rule: its message, and where the rule is.
    Error(Expr, Box<str>),
    Tree(Box<[Rule]>),
}

/// The `endpoint` of an endpoint rule.
#[derive(Clone, Debug)]
pub(super) struct EndpointTemplate {
    pub(super) url: Expr,
    /// Properties, sorted by name.
    pub(super) properties: Vec<(String, Prop)>,
    /// Headers, sorted by name.
    pub(super) headers: Vec<(String, Vec<Expr>)>,
    /// Where the rule is, for messages.
    pub(super) location: Box<str>,
}

/// A value in an endpoint's properties.
#[derive(Clone, Debug)]
pub(super) enum Prop {
    Null,
    Bool(bool),
    Number(Number),
    /// A string (which may be a template).
    String(Expr),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}
