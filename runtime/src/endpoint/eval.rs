//! Walking the tree of [`super::tree`] for a set of parameters.
//!
//! Values borrow wherever they can: parameters from the caller's
//! [`Params`], literals and defaults from the rule set, partitions from the
//! static table, attributes from the values they belong to. Only variables
//! that conditions assign are made owned, and only strings that templates
//! build are allocated.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::functions::{self, Arn, Url};
use super::partitions::{self, Partition};
use super::tree::{Action, EndpointTemplate, Expr, Field, Func, Part, Prop, Rule, Step};
use super::{Endpoint, EndpointError, EndpointErrorKind, Params, RuleSet, Value};
use crate::Document;

/// A value during evaluation.
#[derive(Clone, Debug)]
enum Val<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Array(Cow<'a, [String]>),
    Partition(&'static Partition),
    // Boxed so that values stay small (four words) to move around.
    Url(Cow<'a, Box<Url>>),
    Arn(Cow<'a, Box<Arn>>),
}

impl<'a> Val<'a> {
    /// The value, borrowing what `self` owns.
    fn reborrow(&self) -> Val<'_> {
        match self {
            Val::Str(s) => Val::Str(Cow::Borrowed(s)),
            Val::Bool(b) => Val::Bool(*b),
            Val::Int(n) => Val::Int(*n),
            Val::Array(a) => Val::Array(Cow::Borrowed(a)),
            Val::Partition(p) => Val::Partition(p),
            Val::Url(u) => Val::Url(Cow::Borrowed(u)),
            Val::Arn(a) => Val::Arn(Cow::Borrowed(a)),
        }
    }

    /// The value, owning everything.
    fn into_owned(self) -> Val<'static> {
        match self {
            Val::Str(s) => Val::Str(Cow::Owned(s.into_owned())),
            Val::Bool(b) => Val::Bool(b),
            Val::Int(n) => Val::Int(n),
            Val::Array(a) => Val::Array(Cow::Owned(a.into_owned())),
            Val::Partition(p) => Val::Partition(p),
            Val::Url(u) => Val::Url(Cow::Owned(u.into_owned())),
            Val::Arn(a) => Val::Arn(Cow::Owned(a.into_owned())),
        }
    }

    /// A parameter's value, borrowed.
    fn of(value: &'a Value) -> Val<'a> {
        match value {
            Value::String(s) => Val::Str(Cow::Borrowed(s)),
            Value::Bool(b) => Val::Bool(*b),
            Value::StringArray(a) => Val::Array(Cow::Borrowed(a)),
        }
    }
}

/// Values by slot: parameters first, then variables.
type Slots<'a> = [Option<Val<'a>>];

/// What expressions are evaluated against.
#[derive(Clone, Copy)]
struct Cx<'s> {
    slots: &'s Slots<'s>,
    partitions: &'static [Partition],
}

pub(super) fn resolve(
    rule_set: &RuleSet,
    params: &Params,
    partitions: &'static [Partition],
) -> Result<Endpoint, EndpointError> {
    let mut slots: Vec<Option<Val<'_>>> = Vec::with_capacity(rule_set.slots);
    let mut given = 0;
    for parameter in &rule_set.parameters {
        let value = match params.get(&parameter.name) {
            Some(value) if value.kind() != parameter.kind => {
                return Err(EndpointError::new(
                    EndpointErrorKind::InvalidParameter,
                    format!(
                        "parameter `{}` must be {}, not {}",
                        parameter.name,
                        parameter.kind.described(),
                        value.kind().described()
                    ),
                ));
            }
            Some(value) => {
                given += 1;
                Some(value)
            }
            None if parameter.required && parameter.default.is_none() => {
                return Err(EndpointError::new(
                    EndpointErrorKind::MissingParameter,
                    format!("parameter `{}` is required", parameter.name),
                ));
            }
            None => parameter.default.as_ref(),
        };
        slots.push(value.map(Val::of));
    }
    if given != params.len() {
        // Some name in `params` is not a parameter.
        if let Some((name, _)) = params
            .iter()
            .find(|(name, _)| rule_set.parameter(name).is_none())
        {
            return Err(EndpointError::new(
                EndpointErrorKind::InvalidParameter,
                format!("the rule set has no parameter `{name}`"),
            ));
        }
    }
    slots.resize(rule_set.slots, None);
    rules(&rule_set.rules, &mut slots, partitions)
}

/// The result of the first of `rules` whose conditions hold.
fn rules<'a>(
    rules: &'a [Rule],
    slots: &mut Slots<'a>,
    partitions: &'static [Partition],
) -> Result<Endpoint, EndpointError> {
    'rules: for rule in rules {
        for condition in rule.conditions.iter() {
            let cx = Cx { slots, partitions };
            let value = match eval(&condition.expr, cx) {
                None | Some(Val::Bool(false)) => continue 'rules,
                Some(value) => value,
            };
            if let Some(slot) = condition.assign {
                let value = value.into_owned();
                if let Some(slot) = slots.get_mut(slot) {
                    *slot = Some(value);
                }
            }
        }
        let cx = Cx { slots, partitions };
        return match &rule.action {
            Action::Endpoint(endpoint) => build_endpoint(endpoint, cx),
            Action::Error(message, location) => match eval_str(message, cx) {
                Some(message) => Err(EndpointError::new(EndpointErrorKind::Rule, message)),
                None => Err(unset(location)),
            },
            Action::Tree(children) => self::rules(children, slots, partitions),
        };
    }
    Err(EndpointError::new(
        EndpointErrorKind::NoMatch,
        "no endpoint rule matched the parameters",
    ))
}

fn unset(location: &str) -> EndpointError {
    EndpointError::new(
        EndpointErrorKind::Evaluation,
        format!("the rule at {location} matched, but its result uses a value that is not set"),
    )
}

fn build_endpoint(endpoint: &EndpointTemplate, cx: Cx<'_>) -> Result<Endpoint, EndpointError> {
    let fail = || unset(&endpoint.location);
    let url = eval_str(&endpoint.url, cx).ok_or_else(fail)?.into_owned();
    let properties = Document::Object(props(&endpoint.properties, cx).ok_or_else(fail)?);
    let headers = endpoint
        .headers
        .iter()
        .map(|(name, values)| {
            let values = values
                .iter()
                .map(|value| eval_str(value, cx).map(Cow::into_owned))
                .collect::<Option<Vec<_>>>()?;
            Some((name.clone(), values))
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(fail)?;
    Ok(Endpoint {
        url,
        properties,
        headers,
    })
}

fn props(members: &[(String, Prop)], cx: Cx<'_>) -> Option<BTreeMap<String, Document>> {
    members
        .iter()
        .map(|(key, value)| Some((key.clone(), prop(value, cx)?)))
        .collect()
}

fn prop(value: &Prop, cx: Cx<'_>) -> Option<Document> {
    Some(match value {
        Prop::Null => Document::Null,
        Prop::Bool(b) => Document::Bool(*b),
        Prop::Number(n) => Document::Number(*n),
        Prop::String(expr) => Document::String(eval_str(expr, cx)?.into_owned()),
        Prop::Array(items) => Document::Array(
            items
                .iter()
                .map(|item| prop(item, cx))
                .collect::<Option<_>>()?,
        ),
        Prop::Object(members) => Document::Object(props(members, cx)?),
    })
}

/// Evaluates an expression that parsing typed as a string.
fn eval_str<'s>(expr: &'s Expr, cx: Cx<'s>) -> Option<Cow<'s, str>> {
    match eval(expr, cx)? {
        Val::Str(s) => Some(s),
        _ => None,
    }
}

/// The value of `expr`, `None` when it is unset.
fn eval<'s>(expr: &'s Expr, cx: Cx<'s>) -> Option<Val<'s>> {
    match expr {
        Expr::Str(s) => Some(Val::Str(Cow::Borrowed(s))),
        Expr::Template(parts) => {
            let literal: usize = parts
                .iter()
                .map(|part| match part {
                    Part::Literal(text) => text.len(),
                    Part::Value(_) => 16,
                })
                .sum();
            let mut out = String::with_capacity(literal);
            for part in parts.iter() {
                match part {
                    Part::Literal(text) => out.push_str(text),
                    Part::Value(expr) => out.push_str(&eval_str(expr, cx)?),
                }
            }
            Some(Val::Str(Cow::Owned(out)))
        }
        Expr::Bool(b) => Some(Val::Bool(*b)),
        Expr::Int(n) => Some(Val::Int(*n)),
        Expr::Array(items) => Some(Val::Array(Cow::Owned(
            items
                .iter()
                .map(|item| eval_str(item, cx).map(Cow::into_owned))
                .collect::<Option<_>>()?,
        ))),
        Expr::Ref(slot) => cx.slots.get(*slot)?.as_ref().map(Val::reborrow),
        Expr::GetAttr(target, steps) => {
            let mut value = eval(target, cx)?;
            for step in steps.iter() {
                value = attr(value, *step)?;
            }
            Some(value)
        }
        Expr::Call(func, args) => call(*func, args, cx),
    }
}

/// A string attribute of a value that may be borrowed or owned.
fn field<'s, T: Clone>(value: Cow<'s, Box<T>>, get: fn(&T) -> &String) -> Cow<'s, str> {
    match value {
        Cow::Borrowed(value) => Cow::Borrowed(get(value)),
        Cow::Owned(value) => Cow::Owned(get(&value).clone()),
    }
}

/// One `getAttr` step.
fn attr(value: Val<'_>, step: Step) -> Option<Val<'_>> {
    Some(match (value, step) {
        (Val::Partition(p), Step::Field(f)) => match f {
            Field::PartitionName => Val::Str(Cow::Borrowed(p.name)),
            Field::PartitionDnsSuffix => Val::Str(Cow::Borrowed(p.dns_suffix)),
            Field::PartitionDualStackDnsSuffix => Val::Str(Cow::Borrowed(p.dual_stack_dns_suffix)),
            Field::PartitionSupportsFips => Val::Bool(p.supports_fips),
            Field::PartitionSupportsDualStack => Val::Bool(p.supports_dual_stack),
            Field::PartitionImplicitGlobalRegion => {
                Val::Str(Cow::Borrowed(p.implicit_global_region))
            }
            _ => return None,
        },
        (Val::Url(u), Step::Field(f)) => match f {
            Field::UrlScheme => Val::Str(field(u, |u| &u.scheme)),
            Field::UrlAuthority => Val::Str(field(u, |u| &u.authority)),
            Field::UrlPath => Val::Str(field(u, |u| &u.path)),
            Field::UrlNormalizedPath => Val::Str(field(u, |u| &u.normalized_path)),
            Field::UrlIsIp => Val::Bool(u.is_ip),
            _ => return None,
        },
        (Val::Arn(a), Step::Field(f)) => match f {
            Field::ArnPartition => Val::Str(field(a, |a| &a.partition)),
            Field::ArnService => Val::Str(field(a, |a| &a.service)),
            Field::ArnRegion => Val::Str(field(a, |a| &a.region)),
            Field::ArnAccountId => Val::Str(field(a, |a| &a.account_id)),
            Field::ArnResourceId => Val::Array(match a {
                Cow::Borrowed(a) => Cow::Borrowed(&a.resource_id),
                Cow::Owned(a) => Cow::Owned(a.resource_id),
            }),
            _ => return None,
        },
        (Val::Array(items), Step::Index(index)) => {
            let len = i64::try_from(items.len()).ok()?;
            let index = usize::try_from(if index < 0 { len + index } else { index }).ok()?;
            match items {
                Cow::Borrowed(items) => Val::Str(Cow::Borrowed(items.get(index)?)),
                Cow::Owned(mut items) => {
                    if index >= items.len() {
                        return None;
                    }
                    Val::Str(Cow::Owned(items.swap_remove(index)))
                }
            }
        }
        _ => return None,
    })
}

fn arg<'s>(args: &'s [Expr], index: usize, cx: Cx<'s>) -> Option<Val<'s>> {
    eval(args.get(index)?, cx)
}

fn str_arg<'s>(args: &'s [Expr], index: usize, cx: Cx<'s>) -> Option<Cow<'s, str>> {
    match arg(args, index, cx)? {
        Val::Str(s) => Some(s),
        _ => None,
    }
}

fn bool_arg(args: &[Expr], index: usize, cx: Cx<'_>) -> Option<bool> {
    match arg(args, index, cx)? {
        Val::Bool(b) => Some(b),
        _ => None,
    }
}

fn usize_arg(args: &[Expr], index: usize, cx: Cx<'_>) -> Option<usize> {
    match arg(args, index, cx)? {
        Val::Int(n) => usize::try_from(n).ok(),
        _ => None,
    }
}

/// A library function; unset arguments make the result unset (except for
/// `isSet`, `coalesce` and the branch `ite` does not take).
fn call<'s>(func: Func, args: &'s [Expr], cx: Cx<'s>) -> Option<Val<'s>> {
    Some(match func {
        Func::IsSet => Val::Bool(arg(args, 0, cx).is_some()),
        Func::Not => Val::Bool(!bool_arg(args, 0, cx)?),
        Func::BooleanEquals => Val::Bool(bool_arg(args, 0, cx)? == bool_arg(args, 1, cx)?),
        Func::StringEquals => Val::Bool(str_arg(args, 0, cx)? == str_arg(args, 1, cx)?),
        Func::Coalesce => return args.iter().find_map(|arg| eval(arg, cx)),
        Func::Ite => {
            let branch = if bool_arg(args, 0, cx)? { 1 } else { 2 };
            return arg(args, branch, cx);
        }
        Func::IsValidHostLabel => Val::Bool(functions::is_valid_host_label(
            &str_arg(args, 0, cx)?,
            bool_arg(args, 1, cx)?,
        )),
        Func::AwsIsVirtualHostableS3Bucket => Val::Bool(functions::is_virtual_hostable_s3_bucket(
            &str_arg(args, 0, cx)?,
            bool_arg(args, 1, cx)?,
        )),
        Func::ParseUrl => Val::Url(Cow::Owned(Box::new(functions::parse_url(&str_arg(
            args, 0, cx,
        )?)?))),
        Func::Substring => {
            let input = str_arg(args, 0, cx)?;
            let range = functions::substring(
                &input,
                usize_arg(args, 1, cx)?,
                usize_arg(args, 2, cx)?,
                bool_arg(args, 3, cx)?,
            )?;
            Val::Str(match input {
                Cow::Borrowed(input) => Cow::Borrowed(input.get(range)?),
                Cow::Owned(input) => Cow::Owned(input.get(range)?.to_owned()),
            })
        }
        Func::UriEncode => {
            let input = str_arg(args, 0, cx)?;
            Val::Str(match functions::uri_encode(&input) {
                Cow::Borrowed(_) => input,
                Cow::Owned(encoded) => Cow::Owned(encoded),
            })
        }
        Func::Split => Val::Array(Cow::Owned(functions::split(
            &str_arg(args, 0, cx)?,
            &str_arg(args, 1, cx)?,
            usize_arg(args, 2, cx)?,
        )?)),
        Func::AwsPartition => Val::Partition(partitions::partition_in(
            cx.partitions,
            &str_arg(args, 0, cx)?,
        )?),
        Func::AwsParseArn => Val::Arn(Cow::Owned(Box::new(functions::parse_arn(&str_arg(
            args, 0, cx,
        )?)?))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_stay_small() {
        // Values are returned and moved at every step of evaluation.
        assert!(std::mem::size_of::<Val<'_>>() <= 32);
        assert!(std::mem::size_of::<Option<Val<'_>>>() <= 32);
    }
}
