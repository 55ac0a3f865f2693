//! Emitters: symbols and the service view in, a tree of token modules out.
//!
//! One emitter per concern: [`types`] (structures, builders, unions, enums), [`operations`]
//! (operation markers and error enums), [`docs`] (HTML → Markdown) and [`syntax`] (request and
//! response syntax blocks). [`crate::write`] turns the tree into files.

pub mod client;
pub mod docs;
pub mod endpoint_params;
pub mod jmespath;
pub mod operations;
pub mod paginators;
pub mod protocol;
pub mod syntax;
pub mod types;
pub mod waiters;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Shape;
use crate::select::ServiceView;
use crate::symbols::{self, Symbols};

/// A Rust module: its items and child modules. The root module is the crate itself.
#[derive(Debug, Default)]
pub struct Module {
    /// The module name (empty for the crate root).
    pub name: String,
    /// Outer attributes and docs of the module's declaration.
    pub attrs: TokenStream,
    /// Whether the module is `pub`.
    pub public: bool,
    /// Items other than child modules.
    pub items: TokenStream,
    /// Child modules, declared before the items.
    pub children: Vec<Module>,
}

/// `#[doc = "…"]` attributes, one per line of `markdown`.
pub fn doc_attrs(markdown: &str) -> TokenStream {
    markdown
        .lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote!(#[doc = #line])
        })
        .collect()
}

/// Prefixes `use super::super::types;` when the items refer to `types::…`.
/// (Streams are moved, not interpolated: `quote!` would copy every token.)
pub fn import_types(items: TokenStream, uses_types: bool) -> TokenStream {
    if uses_types {
        let mut with_import = quote!(
            use super::super::types;
        );
        with_import.extend(items);
        with_import
    } else {
        items
    }
}

/// Whether code for `shape` names other generated types (members whose targets, or whose
/// collections' items, become types).
pub fn references_types(view: &ServiceView<'_>, shape: &Shape) -> bool {
    fn reaches(view: &ServiceView<'_>, target: &Shape, depth: usize) -> bool {
        symbols::generates_type(target)
            || (depth < 16
                && matches!(
                    target.kind,
                    crate::model::ShapeType::List | crate::model::ShapeType::Map
                )
                && target
                    .members
                    .iter()
                    .any(|m| reaches(view, view.model.target(m), depth + 1)))
    }
    shape
        .members
        .iter()
        .any(|m| reaches(view, view.model.target(m), 0))
}

/// The rustdoc of a shape (its HTML documentation converted), if it has any.
pub fn shape_docs(shape: &Shape) -> Option<String> {
    shape
        .documentation()
        .map(docs::html_to_markdown)
        .filter(|d| !d.trim().is_empty())
}

/// `#[deprecated]` for a shape or member carrying `@deprecated`. Smithy's `since` is free text
/// (often a date), while Rust's must be semver, so it goes into the note.
pub fn deprecated_attr(traits: &crate::model::Traits) -> TokenStream {
    match traits.deprecated() {
        None => TokenStream::new(),
        Some((None, None)) => quote!(#[deprecated]),
        Some((message, since)) => {
            let note = match (message, since) {
                (Some(m), Some(s)) => format!("{m} (deprecated since {s})"),
                (Some(m), None) => m.to_owned(),
                (None, Some(s)) => format!("deprecated since {s}"),
                (None, None) => String::new(),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// Checks what the emitters would otherwise skip: every paginated operation's token and items
/// paths, and every waiter's acceptors (their JMESPath expressions compiled). Every problem is
/// reported, located.
pub fn check(view: &ServiceView<'_>, symbols: &Symbols) -> Result<(), crate::model::Diagnostics> {
    let mut problems = crate::model::Diagnostics::default();
    if protocol::for_service(view.service).is_none() {
        return Ok(());
    }
    for operation in &view.operations {
        if let Err(d) = paginators::plan(view, symbols, operation) {
            problems.push(*d);
        }
    }
    if let Err(d) = waiters::check(view, symbols) {
        problems.0.extend(d.0);
    }
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Emits the whole crate as a module tree.
pub fn emit_crate(view: &ServiceView<'_>, symbols: &Symbols, crate_name: &str) -> Module {
    let mut type_modules = Vec::new();
    for shape in view.shapes().filter(|s| symbols::generates_type(s)) {
        type_modules.push(types::emit_shape(view, symbols, shape));
    }
    let reexports = view
        .shapes()
        .filter(|s| symbols::generates_type(s))
        .map(|shape| {
            let module = symbols::snake_ident(symbols.module_name(&shape.id));
            let name = symbols::ident(symbols.type_name(&shape.id));
            if shape.kind == crate::model::ShapeType::Structure {
                let builder = symbols::ident(symbols.builder_name(&shape.id));
                match view.sent_gate(&shape.id) {
                    Some(gate) if gate.is_empty() => quote!(pub use #module::{#name, #builder};),
                    Some(gate) => quote! {
                        pub use #module::#name;
                        #gate
                        pub use #module::#builder;
                    },
                    None => quote!(pub use #module::#name;),
                }
            } else {
                quote!(pub use #module::#name;)
            }
        });
    let types = Module {
        name: "types".into(),
        attrs: quote! {
            #[doc = " The service's data types: structures with their builders, enums, unions and errors."]
            #[allow(deprecated)]
        },
        public: true,
        items: quote!(#(#reexports)*),
        children: type_modules,
    };
    let op_modules: Vec<Module> = view
        .operations
        .iter()
        .map(|op| operations::emit_operation(view, symbols, op))
        .collect();
    let operation = Module {
        name: "operation".into(),
        attrs: quote! {
            #[doc = " One module per operation: the operation itself and its error type."]
            #[allow(deprecated)]
        },
        public: true,
        items: TokenStream::new(),
        children: op_modules,
    };
    let mut children = vec![operation, types];
    let mut items = quote! {
        pub use smithgen_runtime::{BuildError, Operation};
    };
    if let Some(client) = client::emit_client(view, symbols, crate_name) {
        children.insert(0, client);
        items.extend(quote! {
            pub use client::{Client, Config};
        });
    }
    Module {
        name: String::new(),
        attrs: TokenStream::new(),
        public: true,
        items,
        children,
    }
}
