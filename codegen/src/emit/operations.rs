//! Operations: a marker type per operation implementing `smithgen_runtime::Operation`, its
//! documentation (with the request and response syntax) and its error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::{deprecated_attr, doc_attrs, shape_docs, syntax, Module};
use crate::model::Shape;
use crate::select::ServiceView;
use crate::symbols::{ident, to_pascal, Symbols};

/// The rustdoc of an operation: the model's docs, the syntax blocks and the errors.
pub fn operation_docs(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> String {
    let mut text = shape_docs(operation)
        .unwrap_or_else(|| format!("The `{}` operation.", operation.id.name()));
    let input = io_type(view, symbols, operation.relations.input.as_ref());
    let output = io_type(view, symbols, operation.relations.output.as_ref());
    text.push_str(&format!(
        "\n\nInput: {}. Output: {}. Errors: [`{}`].",
        type_link(&input),
        type_link(&output),
        symbols.operation(&operation.id).error
    ));
    if let Some(example) = rust_example(view, symbols, operation) {
        text.push_str("\n\n# Example\n\n");
        text.push_str(&example);
    }
    text.push_str("\n\n# Request syntax\n\n```text\n");
    text.push_str(&syntax::request_syntax(view, operation));
    text.push_str("\n```\n\n# Response syntax\n\n```text\n");
    text.push_str(&syntax::response_syntax(view, operation));
    text.push_str("\n```");
    text
}

/// A short call of the operation through the client (services with a client only): a
/// `no_run` doctest against the crate, or `ignore`d when the code is included elsewhere.
fn rust_example(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> Option<String> {
    super::protocol::for_service(view.service)?;
    let method = super::client::method_name(symbols, operation);
    let (fence, client) = match &view.example_crate {
        Some(name) => ("rust,no_run", format!("{name}::Client")),
        None => ("rust,ignore", "Client".to_owned()),
    };
    let input = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|shape| crate::symbols::generates_type(shape));
    let setter = input.and_then(|shape| {
        let names = symbols.member_names(&shape.id);
        names
            .fields
            .first()
            .map(|f| f.trim_start_matches("r#").to_owned())
    });
    let set_line = match setter {
        Some(field) => format!("    // Set the input's members, e.g. `.{field}(…)`.\n"),
        None => String::new(),
    };
    Some(format!(
        "```{fence}\n\
         # async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = {client}::from_env().await?;\n\
         let output = client\n    .{method}()\n{set_line}    .send()\n    .await?;\n\
         println!(\"{{output:?}}\");\n\
         # Ok(())\n\
         # }}\n\
         ```"
    ))
}

fn type_link(ty: &TokenStream) -> String {
    let text = ty.to_string().replace(' ', "");
    if text == "()" {
        "none".to_owned()
    } else {
        format!("[`{}`]({text})", text.rsplit("::").next().unwrap_or(&text))
    }
}

/// The Rust type of an operation's input or output (`()` for none or `smithy.api#Unit`).
fn io_type(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    id: Option<&crate::model::ShapeId>,
) -> TokenStream {
    match id.and_then(|id| view.model.shape(id.as_str())) {
        Some(shape) => symbols.rust_type(view, shape),
        None => quote!(()),
    }
}

/// The error enum's variant names, one per error: the error's name in PascalCase, made unique
/// (and never `Unhandled`).
pub fn error_variants(view: &ServiceView<'_>, errors: &[&Shape]) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = ["Unhandled".to_owned()].into();
    errors
        .iter()
        .map(|e| {
            let mut name = to_pascal(&view.shape_name(&e.id));
            while !taken.insert(name.clone()) {
                name.push_str("Error");
            }
            name
        })
        .collect()
}

/// Emits `operation::<name>`.
pub fn emit_operation(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> Module {
    let names = symbols.operation(&operation.id);
    let marker = ident(&names.type_name);
    let error = ident(&names.error);
    let op_name = operation.id.name();
    let input = io_type(view, symbols, operation.relations.input.as_ref());
    let output = io_type(view, symbols, operation.relations.output.as_ref());
    let docs = doc_attrs(&operation_docs(view, symbols, operation));
    let deprecated = deprecated_attr(&operation.traits);

    let errors = view.operation_errors(operation);
    let variants: Vec<_> = error_variants(view, &errors)
        .iter()
        .map(|v| ident(v))
        .collect();
    let io_is_generated = |id: Option<&crate::model::ShapeId>| {
        id.and_then(|id| view.model.shape(id.as_str()))
            .is_some_and(crate::symbols::generates_type)
    };
    let uses_types = !errors.is_empty()
        || io_is_generated(operation.relations.input.as_ref())
        || io_is_generated(operation.relations.output.as_ref());
    let error_types: Vec<_> = errors.iter().map(|e| symbols.type_path(&e.id)).collect();
    let error_docs = errors.iter().map(|e| {
        let first = shape_docs(e)
            .and_then(|d| d.split("\n\n").next().map(str::to_owned))
            .unwrap_or_else(|| format!("The `{}` error.", e.id.name()));
        doc_attrs(&first)
    });
    let predicates = error_variants(view, &errors)
        .iter()
        .zip(&variants)
        .map(|(name, variant)| {
            let method = ident(&format!(
                "is_{}",
                heck::ToSnakeCase::to_snake_case(name.as_str())
            ));
            let doc = format!(" Whether this is the [`{name}`](Self::{name}) error.");
            quote! {
                #[doc = #doc]
                pub fn #method(&self) -> bool {
                    matches!(self, Self::#variant(_))
                }
            }
        })
        .collect::<Vec<_>>();
    // An operation without modeled errors has only `Unhandled`: no catch-all arm.
    let modeled_meta = if variants.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            other => {
                let variant = other.as_variant();
                smithgen_runtime::ErrorMetadata::new()
                    .with_code(variant.code())
                    .with_message(variant.message())
            }
        }
    };
    let error_doc = format!(" The errors [`{}`] can return.", names.type_name);
    let module_doc = format!(
        " The `{op_name}` operation: [`{ty}`]({module}::{ty}) and [`{err}`]({module}::{err}).",
        ty = names.type_name,
        err = names.error,
        module = names.module
    );

    // Validated before emitting (`smithgen::emit` reports unsupported bindings).
    let endpoint_params = match super::endpoint_params::operation_bindings(view, symbols, operation)
    {
        Ok(Some((body, reads_input))) => {
            let input_arg = if reads_input {
                quote!(input)
            } else {
                quote!(_input)
            };
            quote! {
                const HAS_ENDPOINT_PARAMS: bool = true;
                fn endpoint_params(#input_arg: &Self::Input, params: &mut smithgen_runtime::endpoint::Params) {
                    #body
                }
            }
        }
        _ => TokenStream::new(),
    };
    let items = quote! {
        #docs
        #deprecated
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #marker;

        impl smithgen_runtime::Operation for #marker {
            const NAME: &'static str = #op_name;
            type Input = #input;
            type Output = #output;
            type Error = #error;
            #endpoint_params
        }

        #[doc = #error_doc]
        #[derive(Debug)]
        #[non_exhaustive]
        // Variants are not boxed by size, as for unions (emit::types): an error with many
        // members would make the variant's type depend on member counts.
        #[allow(clippy::large_enum_variant)]
        pub enum #error {
            #(#error_docs #variants(#error_types),)*
            /// An error the model does not describe, with its code, message and request id.
            Unhandled(smithgen_runtime::UnhandledError),
        }

        impl #error {
            /// The error code, as the service sent it (without any namespace).
            pub fn code(&self) -> &str {
                self.as_variant().code()
            }

            /// The error's code and message, and the request id when the error carries it
            /// (`SdkError::meta()` adds the response's request ids for every variant).
            pub fn meta(&self) -> smithgen_runtime::ErrorMetadata {
                match self {
                    Self::Unhandled(error) => smithgen_runtime::ProvideErrorMetadata::meta(error),
                    #modeled_meta
                }
            }

            #(#predicates)*

            /// The value the variant holds (a modeled error or `Unhandled`), as what every
            /// such value tells about itself.
            pub fn as_variant(&self) -> &dyn smithgen_runtime::ErrorVariant {
                match self {
                    #(Self::#variants(error) => error,)*
                    Self::Unhandled(error) => error,
                }
            }
        }

        impl smithgen_runtime::ProvideErrorMetadata for #error {
            fn meta(&self) -> smithgen_runtime::ErrorMetadata {
                #error::meta(self)
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(self.as_variant(), f)
            }
        }

        impl std::error::Error for #error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(self.as_variant().as_error())
            }
        }

        #(
            impl From<#error_types> for #error {
                fn from(error: #error_types) -> Self {
                    Self::#variants(error)
                }
            }
        )*
    };
    let items = match super::protocol::for_service(view.service) {
        Some(protocol) => {
            let mut with_imports = protocol.operation_imports();
            with_imports.extend(items);
            with_imports.extend(protocol.operation_impls(view, symbols, operation));
            with_imports.extend(fluent_builder(view, symbols, operation));
            with_imports.extend(super::paginators::emit(view, symbols, operation));
            with_imports.extend(super::waiters::emit(view, symbols, operation));
            with_imports
        }
        None => items,
    };
    Module {
        name: names.module.clone(),
        attrs: quote!(#[doc = #module_doc]),
        public: true,
        items: super::import_types(items, uses_types),
        children: Vec::new(),
    }
}

/// The name of the client's fluent builder for an operation (`CreateKeyPairFluentBuilder`).
pub fn fluent_builder_name(symbols: &Symbols, operation: &Shape) -> String {
    format!(
        "{}FluentBuilder",
        symbols.operation(&operation.id).type_name
    )
}

/// The fluent builder `Client::<operation>()` returns: the input's setters, then `send`.
fn fluent_builder(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let names = symbols.operation(&operation.id);
    let marker = ident(&names.type_name);
    let error = ident(&names.error);
    let fluent_name = fluent_builder_name(symbols, operation);
    let fluent = ident(&fluent_name);
    let output = io_type(view, symbols, operation.relations.output.as_ref());
    let input_shape = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| crate::symbols::generates_type(s));
    let doc = format!(
        " A call of [`{ty}`] being prepared: set the input's members, then [`send`]({fluent_name}::send) it. \
         Made by `Client::{method}`.",
        ty = names.type_name,
        method = names.module,
    );
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
        None => (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    let build = build_input_expr(view, symbols, operation);
    let extras = needs_build_input(view, operation);
    // What `send` (and `presigned`) start with, and the handle, input and options they pass.
    let (prelude, handle, input, options, build_fn) = if extras {
        let input_ty = io_type(view, symbols, operation.relations.input.as_ref());
        (
            quote! {
                let handle = self.handle.clone();
                let options = self.options.clone();
            },
            quote!(handle),
            quote!(self.build_input()),
            quote!(options),
            quote! {
                /// The input (filling unset idempotency tokens).
                fn build_input(self) -> Result<#input_ty, smithgen_runtime::BuildError> {
                    #build
                }
            },
        )
    } else {
        (
            quote!(let input = #build;),
            quote!(self.handle),
            quote!(input),
            quote!(self.options),
            TokenStream::new(),
        )
    };
    let send_body = quote! {
        #prelude
        #handle.invoke_with::<#marker>(#input, #options).await
    };
    // Event streams have no presigned form: their messages are signed one by one as they go.
    let presigned = (super::protocol::event_stream::input_member(view, operation).is_none()
        && super::protocol::event_stream::output_member(view, operation).is_none())
    .then(|| {
        quote! {
            /// Presigns the call instead of sending it: the method, URL, headers and body that
            /// anyone can send within `config`'s expiry to make this call with this client's
            /// credentials (see [`PresignedRequest`](smithgen_runtime::client::PresignedRequest)).
            /// Builds the input as [`send`](Self::send) does; nothing is sent.
            #[inline]
            pub async fn presigned(
                self,
                config: smithgen_runtime::client::PresigningConfig,
            ) -> Result<smithgen_runtime::client::PresignedRequest, smithgen_runtime::client::SdkError<#error>> {
                #prelude
                #handle.presign::<#marker>(#input, &config, #options).await
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #fluent {
            handle: std::sync::Arc<smithgen_runtime::client::ClientHandle>,
            options: smithgen_runtime::client::CallOptions,
            #input_field
        }

        #[allow(clippy::should_implement_trait)] // setters are named after members (`add`)
        impl #fluent {
            /// A call with no input member set yet.
            pub fn new(handle: std::sync::Arc<smithgen_runtime::client::ClientHandle>) -> Self {
                Self { handle, options: Default::default(), #input_init }
            }

            /// Sends the call: builds the input (failing with `SdkError::Construction` when a
            /// required member is unset), then serializes, signs, sends with retries and parses.
            pub async fn send(
                self,
            ) -> Result<smithgen_runtime::client::Response<#output>, smithgen_runtime::client::SdkError<#error>> {
                #send_body
            }

            #presigned

            /// Overrides the client's configuration for this call only: retries, attempt and
            /// operation timeouts, extra (signed) headers, the endpoint URL
            /// (`.customize(|c| c.max_attempts(1).header("x-a", "b"))`; see
            /// [`CallOptions`](smithgen_runtime::client::CallOptions)). Calling it again
            /// changes the options set so far.
            pub fn customize(
                mut self,
                f: impl FnOnce(smithgen_runtime::client::CallOptions) -> smithgen_runtime::client::CallOptions,
            ) -> Self {
                self.options = f(self.options);
                self
            }

            #build_fn

            #as_input
            #setters
        }
    }
}

/// The fields of the input's `@idempotencyToken` members (those targeting strings).
fn idempotency_members(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> Vec<String> {
    let Some(shape) = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| crate::symbols::generates_type(s))
    else {
        return Vec::new();
    };
    let names = symbols.member_names(&shape.id);
    shape
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.traits.has(IDEMPOTENCY_TOKEN))
        .filter(|(_, m)| view.model.target(m).kind == crate::model::ShapeType::String)
        .map(|(i, _)| names.fields[i].clone())
        .collect()
}

use super::types::IDEMPOTENCY_TOKEN;

/// Whether the fluent builder gets a `build_input` (the operation fills idempotency tokens,
/// is paginated or has waiters).
pub fn needs_build_input(view: &ServiceView<'_>, operation: &Shape) -> bool {
    operation.traits.has("smithy.api#paginated")
        || operation.traits.has(super::waiters::WAITABLE)
        || operation
            .relations
            .input
            .as_ref()
            .and_then(|id| view.model.shape(id.as_str()))
            .is_some_and(|s| s.members.iter().any(|m| m.traits.has(IDEMPOTENCY_TOKEN)))
}

/// The expression (over `self.input` and `self.handle`) that builds the operation's input,
/// `Result<Input, BuildError>`: the builder's `build()`, with every `@idempotencyToken` member
/// left unset filled with a fresh token first (one per call; retries resend the same request).
pub fn build_input_expr(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
    let input_shape = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| crate::symbols::generates_type(s));
    let Some(shape) = input_shape else {
        return quote!(Ok(()));
    };
    let fallible = super::types::builder_is_fallible(view, shape);
    let tokens = idempotency_members(view, symbols, operation);
    if tokens.is_empty() {
        return if fallible {
            quote!(self.input.build())
        } else {
            quote!(Ok(self.input.build()))
        };
    }
    // Filled on the builder (`set_x(Some(..))` when the caller set nothing), so that a
    // required token member is filled too.
    let names = symbols.member_names(&shape.id);
    let fills = tokens.iter().map(|field| {
        let i = names
            .fields
            .iter()
            .position(|f| f == field)
            .unwrap_or_default();
        let set = crate::symbols::snake_ident(&names.option_setters[i]);
        let get = crate::symbols::snake_ident(&super::types::idempotency_getter(field));
        quote! {
            if input.#get().is_none() {
                input = input.#set(Some(self.handle.config().idempotency_token()));
            }
        }
    });
    let build = if fallible {
        quote!(input.build())
    } else {
        quote!(Ok(input.build()))
    };
    quote!({
        let mut input = self.input;
        #(#fills)*
        #build
    })
}
