//! Waiters: for each `smithy.waiters#waitable` entry of an operation, a waiter builder
//! (`client.wait_until_table_exists()`, with the input's setters and `wait(max_wait)`) and
//! one function that classifies a poll's result by the waiter's acceptors, their JMESPath
//! expressions compiled to Rust ([`super::jmespath`]). The polling loop is the runtime's.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use serde_json::Value;

use super::jmespath::{self, Root};
use crate::model::{Diagnostic, Diagnostics, Shape};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, to_snake, Symbols};

/// The waiters trait.
pub const WAITABLE: &str = "smithy.waiters#waitable";

/// The name of a waiter's builder type (`TableExistsWaiter`).
pub fn waiter_type(name: &str) -> String {
    format!("{name}Waiter")
}

/// The client method of a waiter (`wait_until_table_exists`).
pub fn waiter_method(name: &str) -> String {
    format!("wait_until_{}", to_snake(name))
}

/// The waiters of an operation, by name, in name order.
pub fn waiters(operation: &Shape) -> Vec<(&str, &Value)> {
    let mut out: Vec<(&str, &Value)> = operation
        .traits
        .get(WAITABLE)
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

struct Compiled {
    name: String,
    doc: Option<String>,
    deprecated: bool,
    min_delay: u64,
    max_delay: u64,
    /// `(state, condition)` per acceptor, in order.
    acceptors: Vec<(TokenStream, TokenStream)>,
    uses_input: bool,
}

fn location(operation: &Shape, waiter: &str, rest: &str) -> String {
    format!(
        "$.shapes[\"{}\"].traits[\"{WAITABLE}\"][\"{waiter}\"]{rest}",
        operation.id.as_str()
    )
}

fn uses_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => uses_ident(&g.stream(), name),
        _ => false,
    })
}

fn compile_waiter(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
    name: &str,
    waiter: &Value,
) -> Result<Compiled, Diagnostics> {
    let mut problems = Diagnostics::default();
    let diag = |rest: &str, message: String| {
        Diagnostic::shape(
            &operation.file,
            operation.id.as_str(),
            None,
            location(operation, name, rest),
            format!("waiter `{name}`: {message}"),
        )
    };
    let io = |id: Option<&crate::model::ShapeId>| {
        id.and_then(|id| view.model.shape(id.as_str()))
            .filter(|s| crate::symbols::generates_type(s))
    };
    let input = io(operation.relations.input.as_ref());
    let output = io(operation.relations.output.as_ref());
    let delay = |key: &str, default: u64| match waiter.get(key) {
        None => Ok(default),
        Some(v) => v
            .as_u64()
            .filter(|d| *d >= 1)
            .ok_or_else(|| format!("`{key}` must be a whole number of seconds, at least 1")),
    };
    let min_delay = delay("minDelay", 2).unwrap_or_else(|e| {
        problems.push(diag(".minDelay", e));
        2
    });
    let max_delay = delay("maxDelay", 120).unwrap_or_else(|e| {
        problems.push(diag(".maxDelay", e));
        120
    });
    if max_delay < min_delay {
        problems.push(diag(
            ".maxDelay",
            format!("`maxDelay` ({max_delay}) is less than `minDelay` ({min_delay})"),
        ));
    }
    let mut acceptors = Vec::new();
    let mut uses_input = false;
    let list = waiter
        .get("acceptors")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if list.is_empty() {
        problems.push(diag(
            ".acceptors",
            "a waiter needs at least one acceptor".into(),
        ));
    }
    for (i, acceptor) in list.iter().enumerate() {
        let at = format!(".acceptors[{i}]");
        let state = match acceptor.get("state").and_then(Value::as_str) {
            Some("success") => quote!(Success),
            Some("failure") => quote!(Failure),
            Some("retry") => quote!(Retry),
            other => {
                problems.push(diag(
                    &format!("{at}.state"),
                    format!("unknown acceptor state {other:?} (success, failure or retry)"),
                ));
                continue;
            }
        };
        let Some(matcher) = acceptor.get("matcher").and_then(Value::as_object) else {
            problems.push(diag(
                &format!("{at}.matcher"),
                "the acceptor has no matcher".into(),
            ));
            continue;
        };
        let Some((kind, value)) = matcher.iter().next().filter(|_| matcher.len() == 1) else {
            problems.push(diag(
                &format!("{at}.matcher"),
                "a matcher sets exactly one of output, inputOutput, success, errorType".into(),
            ));
            continue;
        };
        let at = format!("{at}.matcher.{kind}");
        let condition = match (kind.as_str(), value) {
            ("success", Value::Bool(true)) => quote!(result.is_ok()),
            ("success", Value::Bool(false)) => quote!(result.is_err()),
            ("errorType", Value::String(error)) => {
                // The error's shape name, and the code the query protocols send for it
                // (IAM's `NoSuchEntityException` is `NoSuchEntity` on the wire).
                let name = error.rsplit('#').next().unwrap_or(error);
                let mut codes = vec![name.to_owned()];
                let query_code = view
                    .model
                    .shapes()
                    .find(|shape| shape.is_error() && shape.id.name() == name)
                    .and_then(|shape| shape.traits.get("aws.protocols#awsQueryError"))
                    .and_then(|t| t.get("code"))
                    .and_then(Value::as_str);
                if let Some(code) = query_code.filter(|c| *c != name) {
                    codes.push(code.to_owned());
                }
                quote!(
                    matches!(result, Err(error) if error.as_service_error().is_some_and(|e| matches!(e.code(), #(#codes)|*)))
                )
            }
            ("output" | "inputOutput", Value::Object(path_matcher)) => {
                let Some(output) = output else {
                    problems.push(diag(
                        &at,
                        format!("a `{kind}` matcher needs an operation with an output"),
                    ));
                    continue;
                };
                let root = if kind == "output" {
                    Root::Output(output)
                } else {
                    Root::InputOutput(input, output)
                };
                let path = path_matcher
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let expected = path_matcher
                    .get("expected")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let value = match jmespath::compile(view, symbols, &root, path) {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(diag(
                            &format!("{at}.path"),
                            format!("cannot compile the JMESPath expression `{path}`: {e}"),
                        ));
                        continue;
                    }
                };
                let value = if matches!(value.clone().into_iter().next(),
                    Some(TokenTree::Ident(i)) if i == "match" || i == "if")
                    || matches!(value.clone().into_iter().next(),
                    Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Brace)
                {
                    quote!((#value))
                } else {
                    value
                };
                let check = match path_matcher.get("comparator").and_then(Value::as_str) {
                    Some("stringEquals") => quote!(#value.string_equals(#expected)),
                    Some("allStringEquals") => quote!(#value.all_string_equals(#expected)),
                    Some("anyStringEquals") => quote!(#value.any_string_equals(#expected)),
                    Some("booleanEquals") => {
                        match expected {
                            "true" => quote!(#value.boolean_equals(true)),
                            "false" => quote!(#value.boolean_equals(false)),
                            other => {
                                problems.push(diag(
                                &format!("{at}.expected"),
                                format!("booleanEquals expects \"true\" or \"false\", not {other:?}"),
                            ));
                                continue;
                            }
                        }
                    }
                    other => {
                        problems.push(diag(
                            &format!("{at}.comparator"),
                            format!(
                                "unknown comparator {other:?} (stringEquals, booleanEquals, \
                                 allStringEquals, anyStringEquals)"
                            ),
                        ));
                        continue;
                    }
                };
                let output_var = if uses_ident(&check, "output") {
                    quote!(let output = response.output();)
                } else {
                    TokenStream::new()
                };
                uses_input |= uses_ident(&check, "input");
                quote!(result.as_ref().is_ok_and(|response| {
                    #output_var
                    #check
                }))
            }
            (other, _) => {
                problems.push(diag(&at, format!("unknown or malformed matcher `{other}`")));
                continue;
            }
        };
        acceptors.push((state, condition));
    }
    if !problems.0.is_empty() {
        return Err(problems);
    }
    Ok(Compiled {
        name: name.to_owned(),
        doc: waiter
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned),
        deprecated: waiter.get("deprecated").and_then(Value::as_bool) == Some(true),
        min_delay,
        max_delay,
        acceptors,
        uses_input,
    })
}

/// Every problem with the service's waiters (expressions that cannot be compiled, bad
/// delays, unknown comparators), each located and naming the waiter.
pub fn check(view: &ServiceView<'_>, symbols: &Symbols) -> Result<(), Diagnostics> {
    let mut problems = Diagnostics::default();
    for operation in &view.operations {
        for (name, waiter) in waiters(operation) {
            if let Err(d) = compile_waiter(view, symbols, operation, name, waiter) {
                problems.0.extend(d.0);
            }
        }
    }
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The waiters of one operation: builder types and acceptor functions.
pub fn emit(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let mut out = TokenStream::new();
    let names = symbols.operation(&operation.id);
    let marker = ident(&names.type_name);
    let op_name = operation.id.name();
    let input_shape = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| crate::symbols::generates_type(s));
    let input_ty = match input_shape {
        Some(shape) => symbols.rust_type(view, shape),
        None => quote!(()),
    };
    let build = super::operations::build_input_expr(view, symbols, operation);
    for (name, waiter) in waiters(operation) {
        let Ok(w) = compile_waiter(view, symbols, operation, name, waiter) else {
            continue;
        };
        let ty = ident(&waiter_type(&w.name));
        let classify = snake_ident(&format!("{}_acceptors", to_snake(&w.name)));
        let waiter_name = w.name.as_str();
        let (min, max) = (w.min_delay, w.max_delay);
        let input_param = if w.uses_input {
            quote!(input)
        } else {
            quote!(_input)
        };
        let checks = w.acceptors.iter().map(|(state, condition)| {
            quote! {
                if #condition {
                    return Some(AcceptorState::#state);
                }
            }
        });
        let mut doc = w
            .doc
            .clone()
            .unwrap_or_else(|| format!("Waits with `{op_name}` for the `{}` state.", w.name));
        doc.push_str(&format!(
            "\n\nMade by `Client::{}`: set the input's members, then [`wait`]({}::wait). \
             Polls [`{}`] every {min} s at first, backing off (with jitter) to at most {max} s.",
            waiter_method(&w.name),
            waiter_type(&w.name),
            names.type_name
        ));
        let docs = super::doc_attrs(&doc);
        let deprecated = if w.deprecated {
            quote!(#[deprecated])
        } else {
            TokenStream::new()
        };
        let (input_field, input_init, setters, as_input) = match input_shape {
            Some(shape) => {
                let builder = ident(symbols.builder_name(&shape.id));
                (
                    quote!(input: types::#builder,),
                    quote!(input: types::#builder::default(),),
                    super::types::fluent_setters(view, symbols, shape),
                    quote! {
                        /// The input as set so far.
                        pub fn as_input(&self) -> &types::#builder {
                            &self.input
                        }
                    },
                )
            }
            None => Default::default(),
        };
        let wait_doc = format!(
            " Polls until the `{}` state, a failure state, an error no acceptor expects, or \
             `max_wait` (after which the call in flight is dropped).",
            w.name
        );
        let acceptors_doc = format!(
            " The acceptors of [`{}`], in order: the state the first matching one moves the \
             waiter to, or `None` (then an error ends the wait, a success polls again).",
            waiter_type(&w.name)
        );
        out.extend(quote! {
            #docs
            #deprecated
            #[derive(Clone, Debug)]
            pub struct #ty {
                handle: std::sync::Arc<smithgen_runtime::client::ClientHandle>,
                #input_field
            }

            #[allow(clippy::should_implement_trait)] // setters are named after members (`add`)
            impl #ty {
                /// A waiter with no input member set yet.
                pub fn new(handle: std::sync::Arc<smithgen_runtime::client::ClientHandle>) -> Self {
                    Self { handle, #input_init }
                }

                #[doc = #wait_doc]
                pub async fn wait(
                    self,
                    max_wait: std::time::Duration,
                ) -> Result<
                    smithgen_runtime::client::Waited<<#marker as smithgen_runtime::Operation>::Output, <#marker as smithgen_runtime::Operation>::Error>,
                    smithgen_runtime::client::WaiterError<<#marker as smithgen_runtime::Operation>::Output, <#marker as smithgen_runtime::Operation>::Error>,
                > {
                    const SPEC: smithgen_runtime::client::waiter::WaiterSpec = smithgen_runtime::client::waiter::WaiterSpec {
                        name: #waiter_name,
                        min_delay: std::time::Duration::from_secs(#min),
                        max_delay: std::time::Duration::from_secs(#max),
                    };
                    let handle = self.handle.clone();
                    let input = #build;
                    smithgen_runtime::client::waiter::wait::<#marker>(handle, &SPEC, input, max_wait, #classify).await
                }

                #as_input
                #setters
            }

            #[doc = #acceptors_doc]
            pub fn #classify(
                #input_param: &#input_ty,
                result: &smithgen_runtime::client::waiter::PollResult<#marker>,
            ) -> Option<smithgen_runtime::client::AcceptorState> {
                use smithgen_runtime::client::AcceptorState;
                #(#checks)*
                None
            }
        });
    }
    out
}
