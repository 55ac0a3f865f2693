//! Endpoint parameters an operation binds: `@contextParam` on input members,
//! `@staticContextParams` and `@operationContextParams` on the operation. They become the body
//! of the operation's `smithgen_runtime::Operation::endpoint_params`, and make its calls
//! resolve the endpoint per call.
//!
//! `@operationContextParams` paths are JMESPath; the forms AWS models use are supported:
//! member chains (`TableCreationParameters.TableName`), list projections
//! (`TransactItems[*].Get.TableName`) and the keys of a map (`keys(RequestItems)`). Anything
//! else is an error at generation time naming the operation and the path.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::model::{Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{snake_ident, Symbols};

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

/// What the rule set says a parameter is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamType {
    String,
    Boolean,
    StringArray,
}

fn param_type(service: &Shape, name: &str) -> Option<ParamType> {
    let kind = service
        .traits
        .get(RULE_SET)?
        .get("parameters")?
        .get(name)?
        .get("type")?
        .as_str()?;
    match kind.to_ascii_lowercase().as_str() {
        "string" => Some(ParamType::String),
        "boolean" => Some(ParamType::Boolean),
        "stringarray" => Some(ParamType::StringArray),
        _ => None,
    }
}

/// Whether the operation has any of the three traits (bound or not).
pub fn has_context_params(view: &ServiceView<'_>, operation: &Shape) -> bool {
    operation.traits.has(STATIC_CONTEXT_PARAMS)
        || operation.traits.has(OPERATION_CONTEXT_PARAMS)
        || input_shape(view, operation)
            .is_some_and(|s| s.members.iter().any(|m| m.traits.has(CONTEXT_PARAM)))
}

/// The names of the rule set parameters the operation binds: its input members'
/// `@contextParam`s and the keys of its `@staticContextParams` and `@operationContextParams`.
pub fn bound_param_names<'m>(view: &ServiceView<'m>, operation: &'m Shape) -> Vec<&'m str> {
    let mut names: Vec<&str> = [STATIC_CONTEXT_PARAMS, OPERATION_CONTEXT_PARAMS]
        .iter()
        .filter_map(|t| operation.traits.get(t)?.as_object())
        .flat_map(|o| o.keys().map(String::as_str))
        .collect();
    if let Some(input) = input_shape(view, operation) {
        names.extend(
            input
                .members
                .iter()
                .filter_map(|m| m.traits.get(CONTEXT_PARAM)?.get("name")?.as_str()),
        );
    }
    names
}

fn input_shape<'m>(view: &ServiceView<'m>, operation: &Shape) -> Option<&'m Shape> {
    operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| crate::symbols::generates_type(s))
}

/// The statements of the operation's `endpoint_params` (over `input` and `params`), and
/// whether they read `input`; `None` when it binds nothing the rule set declares. An error
/// names what is not supported.
pub fn operation_bindings(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> Result<Option<(TokenStream, bool)>, String> {
    if !view.service.traits.has(RULE_SET) {
        return Ok(None);
    }
    // Smithy's precedence, strongest first: static context parameters, context parameters,
    // operation context parameters. `Params::set` replaces, so the strongest is set last.
    let mut statics_body = TokenStream::new();
    let mut body = TokenStream::new();
    let mut context_body = TokenStream::new();
    let mut reads_input = false;
    let mut any = false;
    if let Some(statics) = operation
        .traits
        .get(STATIC_CONTEXT_PARAMS)
        .and_then(Value::as_object)
    {
        for (name, spec) in statics {
            let Some(kind) = param_type(view.service, name) else {
                continue;
            };
            let value = spec.get("value");
            let set = match (kind, value) {
                (ParamType::Boolean, Some(Value::Bool(b))) => quote!(params.set(#name, #b);),
                (ParamType::String, Some(Value::String(s))) => quote!(params.set(#name, #s);),
                (ParamType::StringArray, Some(Value::Array(items)))
                    if items.iter().all(Value::is_string) =>
                {
                    let items = items.iter().filter_map(Value::as_str);
                    quote!(params.set(#name, vec![#(#items),*]);)
                }
                _ => {
                    return Err(format!(
                        "@staticContextParams `{name}`: the value {} does not fit the rule \
                         set's {kind:?} parameter",
                        value.map(Value::to_string).unwrap_or_default()
                    ))
                }
            };
            statics_body.extend(set);
            any = true;
        }
    }
    if let Some(input) = input_shape(view, operation) {
        for member in &input.members {
            let Some(name) = member
                .traits
                .get(CONTEXT_PARAM)
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let Some(kind) = param_type(view.service, name) else {
                continue;
            };
            let path = Path {
                keys: false,
                steps: vec![Step {
                    member: member.name.clone(),
                    project: false,
                }],
            };
            let set = path_binding(view, symbols, input, &path, name, kind)
                .map_err(|e| format!("@contextParam `{name}` on member `{}`: {e}", member.name))?;
            context_body.extend(set);
            reads_input = true;
            any = true;
        }
        if let Some(ops) = operation
            .traits
            .get(OPERATION_CONTEXT_PARAMS)
            .and_then(Value::as_object)
        {
            for (name, spec) in ops {
                let Some(kind) = param_type(view.service, name) else {
                    continue;
                };
                let text = spec.get("path").and_then(Value::as_str).unwrap_or_default();
                let set = parse_path(text)
                    .and_then(|path| path_binding(view, symbols, input, &path, name, kind))
                    .map_err(|e| format!("@operationContextParams `{name}`, path `{text}`: {e}"))?;
                body.extend(set);
                reads_input = true;
                any = true;
            }
        }
    } else if operation.traits.has(OPERATION_CONTEXT_PARAMS) {
        return Err("@operationContextParams on an operation without input".to_owned());
    }
    body.extend(context_body);
    body.extend(statics_body);
    Ok(any.then_some((body, reads_input)))
}

/// One step of a path: a member, then `[*]` when it is a list to project over.
#[derive(Debug, PartialEq, Eq)]
struct Step {
    member: String,
    project: bool,
}

/// A supported path: member steps, optionally inside `keys(...)` (the last step a map).
#[derive(Debug, PartialEq, Eq)]
struct Path {
    keys: bool,
    steps: Vec<Step>,
}

const SUPPORTED: &str =
    "supported: member chains `A.B`, list projections `A[*].B`, and `keys(A.B)`";

fn parse_path(text: &str) -> Result<Path, String> {
    let text = text.trim();
    let (keys, inner) = match text
        .strip_prefix("keys(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => (true, inner.trim()),
        None => (false, text),
    };
    let mut steps = Vec::new();
    for part in inner.split('.') {
        let (member, project) = match part.strip_suffix("[*]") {
            Some(m) => (m, true),
            None => (part, false),
        };
        let valid = member
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && member
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!("not a supported JMESPath expression ({SUPPORTED})"));
        }
        steps.push(Step {
            member: member.to_owned(),
            project,
        });
    }
    if keys && steps.last().is_some_and(|s| s.project) {
        return Err(format!(
            "`keys` of a projection is not supported ({SUPPORTED})"
        ));
    }
    Ok(Path { keys, steps })
}

/// How the value a path has reached so far is held, as Rust code over `input`.
enum Access {
    /// A place that is always there (`input.target.table`).
    One(TokenStream),
    /// An `Option<&T>`.
    Maybe(TokenStream),
    /// An iterator over `&T` (after a projection or `keys`).
    Many(TokenStream),
}

/// The statement setting parameter `name` from `path` over `input`: field accesses while
/// members are always there, `Option` combinators through optional ones, iterators after a
/// list projection or `keys`; then the value (`String`, `Boolean`) or all of them
/// (`stringArray`; the keys of a map sorted, so that the order does not depend on hashing).
/// Absent members set nothing.
fn path_binding(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    input: &Shape,
    path: &Path,
    name: &str,
    kind: ParamType,
) -> Result<TokenStream, String> {
    let mut access = Access::One(quote!(input));
    let mut shape = input;
    for step in &path.steps {
        if shape.kind != ShapeType::Structure {
            return Err(format!(
                "`{}` is not a member of a structure ({SUPPORTED})",
                step.member
            ));
        }
        let (index, member) = shape
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == step.member)
            .ok_or_else(|| format!("`{}` has no member `{}`", shape.id, step.member))?;
        let field = snake_ident(&symbols.member_names(&shape.id).fields[index]);
        let optional = matches!(
            super::types::presence(view, shape, member),
            super::types::Presence::Optional
        );
        // `as_deref` sees through the `Box` of a member that breaks a cycle; field access and
        // method calls see through it by themselves.
        let as_ref = if symbols.is_boxed(&shape.id, &member.name) {
            quote!(as_deref)
        } else {
            quote!(as_ref)
        };
        access = match (access, optional) {
            (Access::One(place), true) => Access::Maybe(quote!(#place.#field.#as_ref())),
            (Access::One(place), false) => Access::One(quote!(#place.#field)),
            (Access::Maybe(e), true) => Access::Maybe(quote!(#e.and_then(|x| x.#field.#as_ref()))),
            (Access::Maybe(e), false) => Access::Maybe(quote!(#e.map(|x| &x.#field))),
            (Access::Many(it), true) => {
                Access::Many(quote!(#it.filter_map(|x| x.#field.#as_ref())))
            }
            (Access::Many(it), false) => Access::Many(quote!(#it.map(|x| &x.#field))),
        };
        shape = view.model.target(member);
        if step.project {
            if shape.kind != ShapeType::List {
                return Err(format!("`{}[*]` is not a list", step.member));
            }
            let items = if shape.traits.has(crate::model::trait_ids::SPARSE) {
                quote!(iter().flatten())
            } else {
                quote!(iter())
            };
            access = Access::Many(match access {
                Access::One(place) => quote!(#place.#items),
                Access::Maybe(e) => quote!(#e.into_iter().flat_map(|x| x.#items)),
                Access::Many(it) => quote!(#it.flat_map(|x| x.#items)),
            });
            shape = view
                .model
                .target(shape.list_member().ok_or("a list without a member")?);
        }
    }
    if path.keys {
        if shape.kind != ShapeType::Map {
            return Err(format!("`keys` of a {}, not a map", shape.kind.as_str()));
        }
        access = Access::Many(match access {
            Access::One(place) => quote!(#place.keys()),
            Access::Maybe(e) => quote!(#e.into_iter().flat_map(|x| x.keys())),
            Access::Many(it) => quote!(#it.flat_map(|x| x.keys())),
        });
        shape = view
            .model
            .target(shape.map_members().ok_or("a map without members")?.0);
    }
    let is_string = matches!(shape.kind, ShapeType::String | ShapeType::Enum);
    let is_bool = shape.kind == ShapeType::Boolean;
    let projected = matches!(access, Access::Many(_));
    match (kind, access) {
        (ParamType::String, Access::One(place)) if is_string => {
            Ok(quote!(params.set(#name, #place.as_str());))
        }
        (ParamType::String, Access::Maybe(e)) if is_string => Ok(quote! {
            if let Some(value) = #e {
                params.set(#name, value.as_str());
            }
        }),
        (ParamType::Boolean, Access::One(place)) if is_bool => {
            Ok(quote!(params.set(#name, #place);))
        }
        (ParamType::Boolean, Access::Maybe(e)) if is_bool => Ok(quote! {
            if let Some(value) = #e {
                params.set(#name, *value);
            }
        }),
        (ParamType::StringArray, Access::Many(it)) if is_string => {
            let sort = path.keys.then(|| quote!(values.sort();));
            let binding = if path.keys {
                quote!(let mut values)
            } else {
                quote!(let values)
            };
            Ok(quote! {
                {
                    #binding: Vec<String> = #it.map(|value| value.as_str().to_owned()).collect();
                    #sort
                    if !values.is_empty() {
                        params.set(#name, values);
                    }
                }
            })
        }
        _ => Err(format!(
            "a {} {} cannot set the rule set's {kind:?} parameter",
            if projected { "list of" } else { "single" },
            shape.kind.as_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_the_aws_models_use_parse_and_others_are_refused() {
        assert_eq!(
            parse_path("keys(RequestItems)").unwrap(),
            Path {
                keys: true,
                steps: vec![Step {
                    member: "RequestItems".into(),
                    project: false
                }]
            }
        );
        let p = parse_path("TransactItems[*].Get.TableName").unwrap();
        assert!(!p.keys);
        assert_eq!(p.steps.len(), 3);
        assert!(p.steps[0].project && !p.steps[1].project);
        assert_eq!(parse_path("A.B").unwrap().steps.len(), 2);
        for bad in [
            "",
            "A[0]",
            "A[?x == 'y']",
            "length(A)",
            "A | B",
            "keys(A[*])",
            "A..B",
            "1A",
        ] {
            let err = parse_path(bad).unwrap_err();
            assert!(err.contains("supported"), "{bad}: {err}");
        }
    }
}
