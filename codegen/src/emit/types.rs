//! Data types: structures (with builders), unions, enums and intEnums, one module per shape.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::{deprecated_attr, doc_attrs, shape_docs, Module};
use crate::model::{trait_ids, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// Emits the module of one generated shape.
pub fn emit_shape(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> Module {
    let mut items = match shape.kind {
        ShapeType::Structure => emit_structure(view, symbols, shape),
        ShapeType::Union => emit_union(view, symbols, shape),
        ShapeType::IntEnum => emit_int_enum(symbols, shape),
        _ => emit_string_enum(symbols, shape),
    };
    if let Some(protocol) = super::protocol::for_service(view.service) {
        let mut with_imports = protocol.shape_imports(view, shape);
        with_imports.extend(items);
        with_imports.extend(protocol.shape_impls(view, symbols, shape));
        items = with_imports;
    }
    Module {
        name: symbols.module_name(&shape.id).to_owned(),
        attrs: TokenStream::new(),
        public: false,
        items: super::import_types(items, super::references_types(view, shape)),
        children: Vec::new(),
    }
}

/// How a structure member is stored.
#[derive(Clone, Debug)]
pub enum Presence {
    /// `Option<T>`.
    Optional,
    /// `T`, which the builder requires.
    Required,
    /// `T`, which the builder fills with this expression when unset; `None` means `Default::default()`.
    Default(Option<TokenStream>),
}

/// Applies the Smithy 2.0 client (non-authoritative) optionality rules.
pub fn presence(view: &ServiceView<'_>, shape: &Shape, member: &Member) -> Presence {
    let target = view.model.target(member);
    // An event stream is always there (one the client receives is empty until the response's
    // body is attached; one it sends is empty unless set): never `Option`.
    if crate::symbols::is_event_stream_output(view, shape, target)
        || crate::symbols::is_event_stream_input(view, shape, target)
    {
        return Presence::Default(None);
    }
    if shape.traits.has(trait_ids::INPUT) || member.traits.has(trait_ids::CLIENT_OPTIONAL) {
        return Presence::Optional;
    }
    let default = member
        .traits
        .default_value()
        .or_else(|| target.traits.default_value());
    match default {
        Some(value) if !value.is_null() => match default_expr(target, value) {
            Some(expr) => Presence::Default(expr),
            // A default this generator cannot write as a Rust value keeps the member optional.
            None => Presence::Optional,
        },
        _ if member.traits.is_required() => Presence::Required,
        _ => Presence::Optional,
    }
}

/// The Rust expression of a `@default` value: `Some(None)` is the type's own default.
fn default_expr(target: &Shape, value: &Value) -> Option<Option<TokenStream>> {
    let is_zero = match value {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() && !target.is_string_enum(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Null => false,
    };
    match target.kind {
        ShapeType::Boolean | ShapeType::String | ShapeType::List | ShapeType::Map if is_zero => {
            Some(None)
        }
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long if is_zero => {
            Some(None)
        }
        ShapeType::Float | ShapeType::Double if is_zero => Some(None),
        ShapeType::Boolean => Some(Some(quote!(true))),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            let n = Literal::i64_unsuffixed(value.as_i64()?);
            Some(Some(quote!(#n)))
        }
        ShapeType::Float | ShapeType::Double => {
            let n = Literal::f64_unsuffixed(value.as_f64()?);
            Some(Some(quote!(#n)))
        }
        ShapeType::String if target.is_string_enum() => {
            let s = value.as_str()?;
            Some(Some(quote!(From::from(#s))))
        }
        ShapeType::Enum => {
            let s = value.as_str()?;
            Some(Some(quote!(From::from(#s))))
        }
        ShapeType::IntEnum => {
            let n = Literal::i32_unsuffixed(i32::try_from(value.as_i64()?).ok()?);
            Some(Some(quote!(From::from(#n))))
        }
        ShapeType::String => {
            let s = value.as_str()?;
            Some(Some(quote!(String::from(#s))))
        }
        ShapeType::Timestamp => {
            let n = value.as_i64()?;
            Some(Some(quote!(smithgen_runtime::DateTime::from_secs(#n))))
        }
        ShapeType::Blob if is_zero => Some(None),
        ShapeType::Blob => {
            // The model holds a blob's default in base64; the value is its bytes.
            let quoted = serde_json::to_string(value.as_str()?).ok()?;
            let blob = smithgen_runtime::json::JsonReader::new(quoted.as_bytes())
                .blob()
                .ok()?;
            let bytes = Literal::byte_string(blob.as_ref());
            if target.traits.has(crate::model::trait_ids::STREAMING) {
                return Some(Some(
                    quote!(smithgen_runtime::ByteStream::from(#bytes.to_vec())),
                ));
            }
            Some(Some(quote!(smithgen_runtime::Blob::new(#bytes.to_vec()))))
        }
        ShapeType::Document => match value {
            Value::Bool(b) => Some(Some(quote!(smithgen_runtime::Document::Bool(#b)))),
            Value::String(s) => Some(Some(
                quote!(smithgen_runtime::Document::String(String::from(#s))),
            )),
            Value::Array(a) if a.is_empty() => {
                Some(Some(quote!(smithgen_runtime::Document::Array(Vec::new()))))
            }
            Value::Object(o) if o.is_empty() => Some(Some(quote!(
                smithgen_runtime::Document::Object(Default::default())
            ))),
            Value::Number(n) if n.as_i64().is_some() => {
                let n = Literal::i64_suffixed(n.as_i64()?);
                Some(Some(quote!(smithgen_runtime::Document::from(#n))))
            }
            Value::Number(n) => {
                let n = Literal::f64_suffixed(n.as_f64()?);
                Some(Some(quote!(smithgen_runtime::Document::from(#n))))
            }
            // A non-empty list or object default: the member stays optional.
            _ => None,
        },
        _ => None,
    }
}

/// Whether an error structure carries `query_error_code`: errors of `awsQueryCompatible`
/// services, whose code depends on whether the response had `x-amzn-query-error`.
pub fn has_query_error_code(view: &ServiceView<'_>, shape: &Shape) -> bool {
    shape.is_error() && view.service.traits.has("aws.protocols#awsQueryCompatible")
}

/// `value.unwrap_or(expr)` for a literal default, `value.unwrap_or_else(|| expr)` for one that
/// allocates (a String, an enum), so the default is built only when needed.
pub fn fill_default(value: TokenStream, expr: &TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = expr.clone().into_iter().collect();
    let single = matches!(
        tokens.as_slice(),
        [TokenTree::Literal(_) | TokenTree::Ident(_)]
    );
    // `Path::Variant(literal)`, such as `Document::Bool(true)`: as cheap as a literal.
    let variant_of_literal = match tokens.as_slice() {
        [.., TokenTree::Ident(variant), TokenTree::Group(args)] => {
            variant
                .to_string()
                .starts_with(|c: char| c.is_ascii_uppercase())
                && args.delimiter() == proc_macro2::Delimiter::Parenthesis
                && matches!(
                    args.stream().into_iter().collect::<Vec<_>>().as_slice(),
                    [TokenTree::Literal(_) | TokenTree::Ident(_)]
                )
        }
        _ => false,
    };
    if single || variant_of_literal {
        quote!(#value.unwrap_or(#expr))
    } else {
        quote!(#value.unwrap_or_else(|| #expr))
    }
}

/// Whether values of `target` must be hidden from `Debug` (the shape itself, or inside a collection).
pub fn target_is_sensitive(view: &ServiceView<'_>, target: &Shape, depth: usize) -> bool {
    if target.traits.is_sensitive() {
        return true;
    }
    if depth > 32 {
        return false;
    }
    target.members.iter().any(|m| {
        matches!(target.kind, ShapeType::List | ShapeType::Map)
            && (m.traits.is_sensitive()
                || target_is_sensitive(view, view.model.target(m), depth + 1))
    })
}

fn member_is_sensitive(view: &ServiceView<'_>, member: &Member) -> bool {
    member.traits.is_sensitive() || target_is_sensitive(view, view.model.target(member), 0)
}

/// A member's documentation as Markdown (the target's when the member has none).
fn member_markdown(view: &ServiceView<'_>, member: &Member) -> Option<String> {
    let html = member
        .documentation()
        .or_else(|| view.model.target(member).documentation())?;
    Some(super::docs::html_to_markdown(html)).filter(|md| !md.trim().is_empty())
}

fn member_docs(view: &ServiceView<'_>, member: &Member) -> TokenStream {
    member_markdown(view, member).map_or_else(TokenStream::new, |md| doc_attrs(&md))
}

/// Setter docs: the member's first paragraph (the field's docs hold the rest).
fn setter_docs(markdown: Option<&str>, field: &str, type_name: &str) -> TokenStream {
    let lead = markdown
        .and_then(|md| md.split("\n\n").next())
        .filter(|first| !first.trim_start().starts_with("```"));
    match lead {
        Some(lead) => doc_attrs(lead),
        None => doc_attrs(&format!("Sets `{field}` of [`{type_name}`].")),
    }
}

fn type_docs(shape: &Shape, fallback: &str) -> TokenStream {
    doc_attrs(&shape_docs(shape).unwrap_or_else(|| fallback.to_owned()))
}

/// A `Debug` impl that prints `name { field: value, … }`, redacting the given fields.
fn debug_impl(
    name: &proc_macro2::Ident,
    fields: &[(TokenStream, String, bool)],
    redact_all: bool,
) -> TokenStream {
    let name_str = name.to_string();
    if redact_all {
        return quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(smithgen_runtime::REDACTED)
                }
            }
        };
    }
    let entries = fields.iter().map(|(field, label, sensitive)| {
        if *sensitive {
            quote!(.field(#label, &smithgen_runtime::Redacted))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name_str) #(#entries)* .finish()
            }
        }
    }
}

fn emit_structure(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let name = ident(symbols.type_name(&shape.id));
    let name_str = symbols.type_name(&shape.id);
    let builder = ident(symbols.builder_name(&shape.id));
    let names = symbols.member_names(&shape.id);
    let is_input = shape.traits.has(trait_ids::INPUT);

    let mut fields = Vec::new();
    let mut builder_fields = Vec::new();
    let mut setters = Vec::new();
    let mut build_fields = Vec::new();
    let mut required_checks = Vec::new();
    let mut debug_fields = Vec::new();
    let mut fallible = is_input;
    for (i, member) in shape.members.iter().enumerate() {
        let field = snake_ident(&names.fields[i]);
        let field_str = names.fields[i].as_str();
        let ty = symbols.member_type(view, shape, member);
        let markdown = member_markdown(view, member);
        let docs = markdown.as_deref().map_or_else(TokenStream::new, doc_attrs);
        let setter_docs = setter_docs(markdown.as_deref(), field_str, name_str);
        let deprecated = deprecated_attr(&member.traits);
        let presence = presence(view, shape, member);
        let stored = match presence {
            Presence::Optional => quote!(Option<#ty>),
            _ => ty.clone(),
        };
        fields.push(quote!(#docs #deprecated pub #field: #stored,));
        builder_fields.push(quote!(#field: Option<#ty>,));
        debug_fields.push((
            quote!(#field),
            field_str.to_owned(),
            member_is_sensitive(view, member),
        ));
        let missing = quote!(smithgen_runtime::BuildError::missing_field(#name_str, #field_str));
        match presence {
            Presence::Optional => {
                build_fields.push(quote!(#field: self.#field,));
                if is_input && member.traits.is_required() {
                    required_checks.push(quote! {
                        if self.#field.is_none() {
                            return Err(#missing);
                        }
                    });
                }
            }
            Presence::Required => {
                fallible = true;
                build_fields.push(quote!(#field: self.#field.ok_or(#missing)?,));
            }
            Presence::Default(None) => {
                build_fields.push(quote!(#field: self.#field.unwrap_or_default(),))
            }
            Presence::Default(Some(expr)) => {
                let filled = fill_default(quote!(self.#field), &expr);
                build_fields.push(quote!(#field: #filled,));
            }
        }
        setters.push(setter(view, symbols, shape, member, i, &ty, setter_docs));
    }

    if has_query_error_code(view, shape) {
        fields.push(quote! {
            /// The query error code (`AWS.SimpleQueueService.NonExistentQueue`) when the service
            /// sent one in `x-amzn-query-error`; the error's [`code`](Self::code) then.
            pub query_error_code: Option<String>,
        });
        build_fields.push(quote!(query_error_code: None,));
        debug_fields.push((
            quote!(query_error_code),
            "query_error_code".to_owned(),
            false,
        ));
    }
    let (build_ret, build_body) = if fallible {
        (
            quote!(Result<#name, smithgen_runtime::BuildError>),
            quote! {
                #(#required_checks)*
                Ok(#name { #(#build_fields)* })
            },
        )
    } else {
        (quote!(#name), quote!(#name { #(#build_fields)* }))
    };
    let build_doc = if fallible {
        format!(" Builds the [`{name_str}`], failing when a required member is unset.")
    } else {
        format!(" Builds the [`{name_str}`].")
    };

    let any_sensitive = debug_fields.iter().any(|(_, _, s)| *s) || shape.traits.is_sensitive();
    let (derive_debug, debug_impls) = if any_sensitive {
        (
            TokenStream::new(),
            debug_impl(&name, &debug_fields, shape.traits.is_sensitive()),
        )
    } else {
        (quote!(Debug,), TokenStream::new())
    };
    let docs = type_docs(shape, &format!("The `{}` structure.", shape.id.name()));
    let deprecated = deprecated_attr(&shape.traits);
    let builder_doc = format!(" A builder for [`{name_str}`].");
    let new_doc = format!(" Creates a builder for [`{name_str}`].");
    let error_impls = if shape.is_error() {
        error_impls(view, symbols, shape)
    } else {
        TokenStream::new()
    };
    // A client builds the shapes it sends; those it only receives are built by the parser,
    // so their builders serve only to make stubbed outputs and errors: they go with the other
    // code only a `Stubber` needs.
    let builder_gate = view.sent_gate(&shape.id);
    // Without the feature, `builder()` does not exist (E0599): the type's docs say why.
    let builder_note = match (&builder_gate, &view.stubs) {
        (Some(gate), crate::StubSupport::Feature) if !gate.is_empty() => {
            let note = format!(
                " `{name_str}::builder()` (for stubbed replies in tests) needs this crate's \
                 `test-util` feature: a client only receives this shape, so its builder is \
                 compiled for tests only (`features = [\"test-util\"]` in `[dev-dependencies]`)."
            );
            quote!(#[doc = ""] #[doc = #note])
        }
        (None, _) => {
            let note = format!(
                " `{name_str}` has no builder: a client only receives it, and this code was \
                 generated without stub support (`StubSupport::Never`)."
            );
            quote!(#[doc = ""] #[doc = #note])
        }
        _ => TokenStream::new(),
    };
    let (builder_items, builder_debug) = match &builder_gate {
        None => (TokenStream::new(), TokenStream::new()),
        Some(gate) => {
            let builder_debug = if any_sensitive {
                let debug = debug_impl(&builder, &debug_fields, shape.traits.is_sensitive());
                quote!(#gate #debug)
            } else {
                TokenStream::new()
            };
            (
                quote! {
                    #gate
                    impl #name {
                        #[doc = #new_doc]
                        pub fn builder() -> #builder {
                            #builder::default()
                        }
                    }

                    #gate
                    #[doc = #builder_doc]
                    #[derive(Clone, Default, #derive_debug)]
                    pub struct #builder {
                        #(#builder_fields)*
                    }

                    #gate
                    // Setters are named after members, which may be `add` or `next` (ECS's
                    // `KernelCapabilities`): they are not the std traits' methods.
                    #[allow(clippy::should_implement_trait)]
                    impl #builder {
                        #(#setters)*

                        #[doc = #build_doc]
                        pub fn build(self) -> #build_ret {
                            #build_body
                        }
                    }
                },
                builder_debug,
            )
        }
    };
    quote! {
        #docs
        #builder_note
        #deprecated
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #error_impls

        #builder_items

        #debug_impls
        #builder_debug
    }
}

/// What the plain setter of a builder field takes: one list item (appended), one map entry
/// (inserted), or the whole value.
enum SetterInput {
    Item(TokenStream),
    Entry(TokenStream, TokenStream),
    Value(TokenStream),
}

fn setter_input(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    member: &Member,
) -> SetterInput {
    let target = view.model.target(member);
    let boxed = symbols.is_boxed(&shape.id, &member.name);
    let sparse = target.traits.has(trait_ids::SPARSE);
    let optional = |ty: TokenStream| if sparse { quote!(Option<#ty>) } else { ty };
    match target.kind {
        ShapeType::List if !boxed => {
            let item =
                symbols.rust_type(view, view.model.target(target.list_member().expect("list")));
            SetterInput::Item(optional(item))
        }
        ShapeType::Map if !boxed => {
            let (k, v) = target.map_members().expect("map");
            let key = symbols.rust_type(view, view.model.target(k));
            let value = symbols.rust_type(view, view.model.target(v));
            SetterInput::Entry(key, optional(value))
        }
        _ => SetterInput::Value(symbols.value_type(view, shape, member)),
    }
}

/// The two setters of one builder field: `x(value)` (appending for lists and maps) and `set_x(Option<…>)`.
fn setter(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    member: &Member,
    index: usize,
    ty: &TokenStream,
    docs: TokenStream,
) -> TokenStream {
    let names = symbols.member_names(&shape.id);
    let field = snake_ident(&names.fields[index]);
    let plain = snake_ident(&names.setters[index]);
    let set = snake_ident(&names.option_setters[index]);
    let boxed = symbols.is_boxed(&shape.id, &member.name);
    let set_doc = format!(" Sets or clears `{}`.", names.fields[index]);
    let plain_fn = match setter_input(view, symbols, shape, member) {
        SetterInput::Item(item) => {
            let docs = with_note(docs, " Appends one item.");
            quote! {
                #docs
                pub fn #plain(mut self, item: impl Into<#item>) -> Self {
                    self.#field.get_or_insert_with(Vec::new).push(item.into());
                    self
                }
            }
        }
        SetterInput::Entry(key, value) => {
            let docs = with_note(docs, " Inserts one entry.");
            quote! {
                #docs
                pub fn #plain(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    self.#field.get_or_insert_with(Default::default).insert(key.into(), value.into());
                    self
                }
            }
        }
        SetterInput::Value(inner) => {
            let wrap = if boxed {
                quote!(Box::new(input.into()))
            } else {
                quote!(input.into())
            };
            quote! {
                #docs
                pub fn #plain(mut self, input: impl Into<#inner>) -> Self {
                    self.#field = Some(#wrap);
                    self
                }
            }
        }
    };
    // The fluent builder fills an unset `@idempotencyToken` member: it needs to read it.
    let getter = if member.traits.has(IDEMPOTENCY_TOKEN) {
        let get = snake_ident(&idempotency_getter(&names.fields[index]));
        let doc = format!(
            " `{}` as set so far; a call made without one fills it with a fresh token.",
            names.fields[index]
        );
        quote! {
            #[doc = #doc]
            pub fn #get(&self) -> Option<&#ty> {
                self.#field.as_ref()
            }
        }
    } else {
        TokenStream::new()
    };
    quote! {
        #plain_fn
        #[doc = #set_doc]
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            self.#field = input;
            self
        }
        #getter
    }
}

/// `smithy.api#idempotencyToken`.
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";

/// The builder's getter of an `@idempotencyToken` field (`get_client_token`).
pub fn idempotency_getter(field: &str) -> String {
    format!("get_{}", field.trim_start_matches("r#"))
}

/// Docs followed by a short note, separated by an empty line when there are docs.
fn with_note(mut docs: TokenStream, note: &str) -> TokenStream {
    docs.extend(quote!(#[doc = ""] #[doc = #note]));
    docs
}

/// `Display` (code and message) and `std::error::Error` for an error structure.
fn error_impls(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let name = ident(symbols.type_name(&shape.id));
    // The query protocols send an error's `@awsQueryError` code in place of its name.
    let query_protocol = view.service.traits.has("aws.protocols#awsQuery")
        || view.service.traits.has("aws.protocols#ec2Query");
    let code = shape
        .traits
        .get("aws.protocols#awsQueryError")
        .and_then(|v| v.get("code"))
        .and_then(|v| v.as_str())
        .filter(|_| query_protocol)
        .unwrap_or(shape.id.name());
    let names = symbols.member_names(&shape.id);
    let message = shape.members.iter().enumerate().find(|(_, m)| {
        m.name.eq_ignore_ascii_case("message")
            && view.model.target(m).kind == ShapeType::String
            && !member_is_sensitive(view, m)
    });
    let write_message = match message {
        None => TokenStream::new(),
        Some((i, m)) => {
            let field = snake_ident(&names.fields[i]);
            match presence(view, shape, m) {
                Presence::Optional => quote! {
                    if let Some(message) = &self.#field {
                        write!(f, ": {message}")?;
                    }
                },
                _ => quote!(write!(f, ": {}", self.#field)?;),
            }
        }
    };
    let message_fn = match message {
        None => TokenStream::new(),
        Some((i, m)) => {
            let field = snake_ident(&names.fields[i]);
            let body = match presence(view, shape, m) {
                Presence::Optional => quote!(self.#field.as_deref()),
                _ => quote!(Some(self.#field.as_str())),
            };
            quote! {
                fn message(&self) -> Option<&str> {
                    #body
                }
            }
        }
    };
    let code_doc = format!(" The error's name, which services send as its code: `{code}`.");
    let code_fn = if has_query_error_code(view, shape) {
        quote! {
            /// The error code: the query error code when the service sent one, else [`Self::CODE`].
            pub fn code(&self) -> &str {
                self.query_error_code.as_deref().unwrap_or(Self::CODE)
            }
        }
    } else {
        quote! {
            /// The error code: [`Self::CODE`].
            pub fn code(&self) -> &str {
                Self::CODE
            }
        }
    };
    quote! {
        impl #name {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;

            #code_fn
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())?;
                #write_message
                Ok(())
            }
        }

        impl std::error::Error for #name {}

        impl smithgen_runtime::ErrorVariant for #name {
            fn code(&self) -> &str {
                #name::code(self)
            }

            fn as_error(&self) -> &(dyn std::error::Error + 'static) {
                self
            }

            #message_fn
        }
    }
}

fn emit_union(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let name = ident(symbols.type_name(&shape.id));
    let names = symbols.member_names(&shape.id);
    let mut variants = Vec::new();
    let mut debug_arms = Vec::new();
    let mut any_sensitive = false;
    for (i, member) in shape.members.iter().enumerate() {
        let variant = ident(&names.fields[i]);
        let label = names.fields[i].as_str();
        let docs = member_docs(view, member);
        let deprecated = deprecated_attr(&member.traits);
        let sensitive = member_is_sensitive(view, member);
        any_sensitive |= sensitive;
        if member.target.as_str() == crate::model::UNIT {
            variants.push(quote!(#docs #deprecated #variant,));
            debug_arms.push(quote!(Self::#variant => f.write_str(#label),));
        } else {
            let ty = symbols.member_type(view, shape, member);
            variants.push(quote!(#docs #deprecated #variant(#ty),));
            debug_arms.push(if sensitive {
                quote!(Self::#variant(_) => f.debug_tuple(#label).field(&smithgen_runtime::Redacted).finish(),)
            } else {
                quote!(Self::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
            });
        }
    }
    let redact_all = shape.traits.is_sensitive();
    let (derive_debug, debug_impl) = if any_sensitive || redact_all {
        let body = if redact_all {
            quote!(f.write_str(smithgen_runtime::REDACTED))
        } else {
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#debug_arms)*
                    Self::Unknown => f.write_str("Unknown"),
                }
            }
        };
        (
            TokenStream::new(),
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        #body
                    }
                }
            },
        )
    } else {
        (quote!(Debug,), TokenStream::new())
    };
    let docs = type_docs(shape, &format!("The `{}` union.", shape.id.name()));
    let deprecated = deprecated_attr(&shape.traits);
    // Variants are never boxed by size, decided once for every union: which variant is large
    // depends on member counts, so boxing by size would turn a minor model change (a member
    // added to a structure) into a breaking change of the variant's type; and a union value
    // is the one member a service sent, so its size is rarely a cost. Recursion is still
    // boxed (symbols). Hence `large_enum_variant`, which fires on a union with one large data
    // variant beside the unit `Unknown` (B2BI's `OutboundEdiOptions`), is allowed.
    quote! {
        #docs
        #deprecated
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not know, sent by a newer service (also
            /// the value of a union that was absent where the model requires it).
            #[default]
            Unknown,
        }

        #debug_impl
    }
}

fn enum_docs(shape: &Shape, kind: &str) -> TokenStream {
    type_docs(shape, &format!("The `{}` {kind}.", shape.id.name()))
}

fn value_docs(value: &crate::model::EnumValue, wire: &str) -> TokenStream {
    let mut text = value
        .documentation
        .as_deref()
        .map(super::docs::html_to_markdown)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("Sent and received as `{wire}`."));
    let deprecated = if value.deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    };
    let docs = doc_attrs(&text);
    quote!(#docs #deprecated)
}

fn sensitive_enum_debug(shape: &Shape, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    if shape.traits.is_sensitive() {
        (
            TokenStream::new(),
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(smithgen_runtime::REDACTED)
                    }
                }
            },
        )
    } else {
        (quote!(Debug,), TokenStream::new())
    }
}

fn emit_string_enum(symbols: &Symbols, shape: &Shape) -> TokenStream {
    let name = ident(symbols.type_name(&shape.id));
    let values = shape.enum_values();
    let variants: Vec<_> = symbols
        .variants(&shape.id)
        .iter()
        .map(|v| ident(v))
        .collect();
    let wires: Vec<String> = values
        .iter()
        .map(|v| match &v.value {
            crate::model::EnumLiteral::String(s) => s.clone(),
            crate::model::EnumLiteral::Int(i) => i.to_string(),
        })
        .collect();
    let variant_docs = values.iter().zip(&wires).map(|(v, w)| value_docs(v, w));
    let docs = enum_docs(shape, "enum");
    let deprecated = deprecated_attr(&shape.traits);
    let (derive_debug, debug_impl) = sensitive_enum_debug(shape, &name);
    quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the model does not know; it round-trips unchanged.
            Unknown(smithgen_runtime::UnknownVariant),
        }

        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#wires),*]
            }
        }

        /// An empty unknown value: what a required member the service left out reads as.
        impl Default for #name {
            fn default() -> Self {
                Self::Unknown(smithgen_runtime::UnknownVariant::new(String::new()))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(smithgen_runtime::UnknownVariant::new(other.to_owned())),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #debug_impl
    }
}

fn emit_int_enum(symbols: &Symbols, shape: &Shape) -> TokenStream {
    let name = ident(symbols.type_name(&shape.id));
    let values = shape.enum_values();
    let variants: Vec<_> = symbols
        .variants(&shape.id)
        .iter()
        .map(|v| ident(v))
        .collect();
    let ints: Vec<Literal> = values
        .iter()
        .map(|v| match v.value {
            crate::model::EnumLiteral::Int(i) => Literal::i32_unsuffixed(i as i32),
            crate::model::EnumLiteral::String(_) => Literal::i32_unsuffixed(0),
        })
        .collect();
    let variant_docs = values
        .iter()
        .zip(&ints)
        .map(|(v, i)| value_docs(v, &i.to_string()));
    let docs = enum_docs(shape, "intEnum");
    let deprecated = deprecated_attr(&shape.traits);
    let (derive_debug, debug_impl) = sensitive_enum_debug(shape, &name);
    quote! {
        #docs
        #deprecated
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the model does not know; it round-trips unchanged.
            Unknown(smithgen_runtime::UnknownVariant<i32>),
        }

        impl #name {
            /// The wire value.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#variants => #ints,)*
                    Self::Unknown(value) => *value.value(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#ints),*]
            }
        }

        /// An unknown zero: what a required member the service left out reads as.
        impl Default for #name {
            fn default() -> Self {
                Self::Unknown(smithgen_runtime::UnknownVariant::new(0))
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#ints => Self::#variants,)*
                    other => Self::Unknown(smithgen_runtime::UnknownVariant::new(other)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.as_i32())
            }
        }

        #debug_impl
    }
}

/// Whether `shape`'s builder returns a `Result` (an `@input` structure, or one with required
/// members that have no default).
pub fn builder_is_fallible(view: &ServiceView<'_>, shape: &Shape) -> bool {
    shape.traits.has(trait_ids::INPUT)
        || shape
            .members
            .iter()
            .any(|m| matches!(presence(view, shape, m), Presence::Required))
}

/// The setters of a client's fluent builder for an operation whose input is `shape`: the same
/// names and signatures as the input builder's, each forwarding to it (the builder is in the
/// fluent builder's `input` field).
pub fn fluent_setters(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let names = symbols.member_names(&shape.id);
    let builder = symbols.builder_name(&shape.id);
    let mut out = TokenStream::new();
    for (i, member) in shape.members.iter().enumerate() {
        let plain = snake_ident(&names.setters[i]);
        let set = snake_ident(&names.option_setters[i]);
        let ty = symbols.member_type(view, shape, member);
        let doc = format!(
            " See [`{builder}::{}`](types::{builder}::{}).",
            names.setters[i], names.setters[i]
        );
        let set_doc = format!(" Sets or clears `{}`.", names.fields[i]);
        let plain_fn = match setter_input(view, symbols, shape, member) {
            SetterInput::Item(item) => quote! {
                pub fn #plain(mut self, item: impl Into<#item>) -> Self {
                    self.input = self.input.#plain(item);
                    self
                }
            },
            SetterInput::Entry(key, value) => quote! {
                pub fn #plain(mut self, key: impl Into<#key>, value: impl Into<#value>) -> Self {
                    self.input = self.input.#plain(key, value);
                    self
                }
            },
            SetterInput::Value(inner) => quote! {
                pub fn #plain(mut self, input: impl Into<#inner>) -> Self {
                    self.input = self.input.#plain(input);
                    self
                }
            },
        };
        let deprecated = deprecated_attr(&member.traits);
        out.extend(quote! {
            #[doc = #doc]
            #deprecated
            #plain_fn
            #[doc = #set_doc]
            #deprecated
            pub fn #set(mut self, input: Option<#ty>) -> Self {
                self.input = self.input.#set(input);
                self
            }
        });
    }
    out
}
