//! Paginators: for each `@paginated` operation (the service's `@paginated` defaults merged
//! with the operation's own), an implementation of `smithgen_runtime::client::Paginated`
//! (where the tokens and the items are) and `into_paginator()` on its fluent builder. The
//! loop itself is the runtime's, compiled once.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::types::{presence, Presence};
use crate::model::{Diagnostic, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

const PAGINATED: &str = "smithy.api#paginated";

/// The merged `@paginated` trait of an operation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pagination {
    /// The input member that takes the token.
    pub input_token: String,
    /// The output path (`a.b.nextToken`) of the next token.
    pub output_token: String,
    /// The output path of the items, if any.
    pub items: Option<String>,
    /// The input member that limits the page size, if any.
    pub page_size: Option<String>,
}

/// The operation's pagination (the operation's `@paginated` over the service's), or `None`
/// when the operation is not paginated.
pub fn pagination(
    view: &ServiceView<'_>,
    operation: &Shape,
) -> Result<Option<Pagination>, Box<Diagnostic>> {
    let Some(own) = operation.traits.get(PAGINATED) else {
        return Ok(None);
    };
    let defaults = view.service.traits.get(PAGINATED);
    let get = |key: &str| {
        own.get(key)
            .or_else(|| defaults.and_then(|d| d.get(key)))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let missing = |key: &str| {
        error(
            operation,
            format!("`@paginated` has no `{key}` (on the operation or the service)"),
        )
    };
    Ok(Some(Pagination {
        input_token: get("inputToken").ok_or_else(|| missing("inputToken"))?,
        output_token: get("outputToken").ok_or_else(|| missing("outputToken"))?,
        items: get("items"),
        page_size: get("pageSize"),
    }))
}

fn error(operation: &Shape, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::shape(
        &operation.file,
        operation.id.as_str(),
        None,
        format!(
            "$.shapes[\"{}\"].traits[\"{PAGINATED}\"]",
            operation.id.as_str()
        ),
        message,
    ))
}

/// One step of a member path: the structure, its member and that member's index.
struct Step<'m> {
    shape: &'m Shape,
    member: &'m Member,
    index: usize,
}

/// Resolves a dotted member path from `start` (every step but the last must be a structure).
fn resolve<'m>(
    view: &ServiceView<'m>,
    start: &'m Shape,
    path: &str,
    what: &str,
) -> Result<Vec<Step<'m>>, String> {
    let mut shape = start;
    let mut steps = Vec::new();
    for name in path.split('.') {
        if shape.kind != ShapeType::Structure {
            return Err(format!(
                "the {what} path `{path}`: `{}` is a {}, not a structure",
                shape.id.as_str(),
                shape.kind.as_str()
            ));
        }
        let Some((index, member)) = shape
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| m.name == name)
        else {
            return Err(format!(
                "the {what} path `{path}`: `{}` has no member `{name}`",
                shape.id.as_str()
            ));
        };
        steps.push(Step {
            shape,
            member,
            index,
        });
        shape = view.model.target(member);
    }
    Ok(steps)
}

/// The checked plan of one paginator, ready to emit.
pub struct Plan<'m> {
    input: &'m Shape,
    output: &'m Shape,
    token: Vec<Step<'m>>,
    input_token: Step<'m>,
    items: Option<Vec<Step<'m>>>,
}

/// Checks an operation's pagination against its input and output.
pub fn plan<'m>(
    view: &ServiceView<'m>,
    symbols: &Symbols,
    operation: &'m Shape,
) -> Result<Option<Plan<'m>>, Box<Diagnostic>> {
    let Some(p) = pagination(view, operation)? else {
        return Ok(None);
    };
    let shape_of = |id: Option<&crate::model::ShapeId>| {
        id.and_then(|id| view.model.shape(id.as_str()))
            .filter(|s| crate::symbols::generates_type(s))
    };
    let (Some(input), Some(output)) = (
        shape_of(operation.relations.input.as_ref()),
        shape_of(operation.relations.output.as_ref()),
    ) else {
        return Err(error(
            operation,
            "a paginated operation needs an input and an output structure".into(),
        ));
    };
    let fail = |m: String| error(operation, m);
    let mut input_steps = resolve(view, input, &p.input_token, "inputToken").map_err(fail)?;
    if input_steps.len() != 1 {
        return Err(fail(format!(
            "the inputToken `{}` must be a top-level input member",
            p.input_token
        )));
    }
    let input_token = input_steps.remove(0);
    let token = resolve(view, output, &p.output_token, "outputToken").map_err(fail)?;
    let rust = |m: &Member| symbols.rust_type(view, view.model.target(m)).to_string();
    let last = token.last().map(|s| s.member).expect("a path has a step");
    if rust(last) != rust(input_token.member) {
        return Err(fail(format!(
            "the outputToken `{}` ({}) and the inputToken `{}` ({}) have different types",
            p.output_token,
            rust(last),
            p.input_token,
            rust(input_token.member)
        )));
    }
    let token_target = view.model.target(input_token.member);
    let token_ok = (token_target.kind == ShapeType::String && !token_target.is_string_enum())
        || token_target.kind == ShapeType::Map;
    if !token_ok {
        return Err(fail(format!(
            "the inputToken `{}` must target a string or a map, not {} `{}`",
            p.input_token,
            token_target.kind.as_str(),
            token_target.id.as_str()
        )));
    }
    if let Some(size) = &p.page_size {
        resolve(view, input, size, "pageSize").map_err(fail)?;
    }
    let items = match &p.items {
        Some(path) => {
            let steps = resolve(view, output, path, "items").map_err(fail)?;
            let target = view
                .model
                .target(steps.last().expect("a path has a step").member);
            if !matches!(target.kind, ShapeType::List | ShapeType::Map) {
                return Err(fail(format!(
                    "the items path `{path}` must end at a list or a map, not {} `{}`",
                    target.kind.as_str(),
                    target.id.as_str()
                )));
            }
            Some(steps)
        }
        None => None,
    };
    Ok(Some(Plan {
        input,
        output,
        token,
        input_token,
        items,
    }))
}

fn field(symbols: &Symbols, step: &Step<'_>) -> proc_macro2::Ident {
    snake_ident(&symbols.member_names(&step.shape.id).fields[step.index])
}

/// `impl Paginated` (and `PaginatedItems`) for the operation, and `into_paginator()` (and
/// `into_items()`) on its fluent builder; nothing for operations that are not paginated.
pub fn emit(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let Ok(Some(plan)) = plan(view, symbols, operation) else {
        return TokenStream::new();
    };
    let names = symbols.operation(&operation.id);
    let marker = ident(&names.type_name);
    let fluent = ident(&super::operations::fluent_builder_name(symbols, operation));
    let input_ty = symbols.rust_type(view, plan.input);
    let output_ty = symbols.rust_type(view, plan.output);
    let token_ty = symbols.rust_type(view, view.model.target(plan.input_token.member));

    // The input token: `Option<T>` on `@input` structures (always, for generated inputs).
    let in_field = field(symbols, &plan.input_token);
    let (get_in, set_in) = match presence(view, plan.input, plan.input_token.member) {
        Presence::Optional => (
            quote!(input.#in_field.as_ref()),
            quote!(input.#in_field = token;),
        ),
        _ => (
            quote!(Some(&input.#in_field)),
            quote!(if let Some(token) = token {
                input.#in_field = token;
            }),
        ),
    };

    // The output token, through the nested path.
    let mut get_out = quote!(Some(output));
    for (i, step) in plan.token.iter().enumerate() {
        let f = field(symbols, step);
        let boxed = symbols.is_boxed(&step.shape.id, &step.member.name);
        let optional = matches!(presence(view, step.shape, step.member), Presence::Optional);
        get_out = match (i, optional, boxed) {
            (0, true, false) => quote!(output.#f.as_ref()),
            (0, true, true) => quote!(output.#f.as_deref()),
            (0, false, false) => quote!(Some(&output.#f)),
            (0, false, true) => quote!(Some(&*output.#f)),
            (_, true, false) => quote!(#get_out.and_then(|v| v.#f.as_ref())),
            (_, true, true) => quote!(#get_out.and_then(|v| v.#f.as_deref())),
            (_, false, false) => quote!(#get_out.map(|v| &v.#f)),
            (_, false, true) => quote!(#get_out.map(|v| &*v.#f)),
        };
    }

    let items = plan.items.as_ref().map(|steps| {
        let last = steps.last().expect("a path has a step");
        let target = view.model.target(last.member);
        let item_ty = match target.kind {
            ShapeType::List => {
                let member = target.list_member().expect("validated list");
                let ty = symbols.rust_type(view, view.model.target(member));
                if target.traits.has(crate::model::trait_ids::SPARSE) {
                    quote!(Option<#ty>)
                } else {
                    ty
                }
            }
            _ => {
                let (k, v) = target.map_members().expect("validated map");
                let k = symbols.rust_type(view, view.model.target(k));
                let v = symbols.rust_type(view, view.model.target(v));
                if target.traits.has(crate::model::trait_ids::SPARSE) {
                    quote!((#k, Option<#v>))
                } else {
                    quote!((#k, #v))
                }
            }
        };
        // Walk to the collection's holder with `&mut`, then take the collection out.
        let mut holder = quote!(Some(output));
        for (i, step) in steps[..steps.len() - 1].iter().enumerate() {
            let f = field(symbols, step);
            let boxed = symbols.is_boxed(&step.shape.id, &step.member.name);
            let optional = matches!(presence(view, step.shape, step.member), Presence::Optional);
            holder = match (i, optional, boxed) {
                (0, true, false) => quote!(output.#f.as_mut()),
                (0, true, true) => quote!(output.#f.as_deref_mut()),
                (0, false, false) => quote!(Some(&mut output.#f)),
                (0, false, true) => quote!(Some(&mut *output.#f)),
                (_, true, false) => quote!(#holder.and_then(|v| v.#f.as_mut())),
                (_, true, true) => quote!(#holder.and_then(|v| v.#f.as_deref_mut())),
                (_, false, false) => quote!(#holder.map(|v| &mut v.#f)),
                (_, false, true) => quote!(#holder.map(|v| &mut *v.#f)),
            };
        }
        let f = field(symbols, last);
        let optional = matches!(presence(view, last.shape, last.member), Presence::Optional);
        let map = target.kind == ShapeType::Map;
        let take = match (steps.len(), optional) {
            // A collection the output always has: taken as it is.
            (1, false) if map => quote!(std::mem::take(&mut output.#f).into_iter().collect()),
            (1, false) => quote!(std::mem::take(&mut output.#f)),
            (1, true) => quote!(output.#f.take()),
            (_, true) => quote!(#holder.and_then(|v| v.#f.take())),
            (_, false) => quote!(#holder.map(|v| std::mem::take(&mut v.#f))),
        };
        let take = match (steps.len(), optional) {
            (1, false) => take,
            _ if map => quote!(#take.map(|items| items.into_iter().collect()).unwrap_or_default()),
            _ => quote!(#take.unwrap_or_default()),
        };
        let path = plan
            .items
            .as_ref()
            .map(|s| {
                s.iter()
                    .map(|s| s.member.name.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .unwrap_or_default();
        let doc = format!(" The items of every page (`{path}`), one at a time.");
        quote! {
            impl smithgen_runtime::client::paginator::PaginatedItems for #marker {
                type Item = #item_ty;
                fn take_items(output: &mut #output_ty) -> Vec<Self::Item> {
                    #take
                }
            }

            impl #fluent {
                #[doc = #doc]
                pub fn into_items(self) -> smithgen_runtime::client::paginator::Items<#marker> {
                    self.into_paginator().items()
                }
            }
        }
    });
    let token_path = plan
        .token
        .iter()
        .map(|s| s.member.name.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let doc = format!(
        " Every page of the call: the first with the input as set, the next ones with \
         `{}` set to the previous page's `{token_path}`, until a page has none.",
        plan.input_token.member.name
    );
    quote! {
        impl smithgen_runtime::client::Paginated for #marker {
            type Token = #token_ty;
            fn input_token(input: &#input_ty) -> Option<&Self::Token> {
                #get_in
            }
            fn set_token(input: &mut #input_ty, token: Option<Self::Token>) {
                #set_in
            }
            fn token(output: &#output_ty) -> Option<&Self::Token> {
                #get_out
            }
        }

        impl #fluent {
            #[doc = #doc]
            pub fn into_paginator(self) -> smithgen_runtime::client::Paginator<#marker> {
                let handle = self.handle.clone();
                smithgen_runtime::client::Paginator::new(handle, self.build_input())
            }
        }

        #items
    }
}
