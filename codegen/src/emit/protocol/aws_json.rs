//! awsJson1_0 and awsJson1_1: JSON bodies keyed by member name (`jsonName` ignored), epoch-second
//! timestamps unless `@timestampFormat` says otherwise, base64 blobs, and errors matched by code.

use proc_macro2::TokenStream;
use quote::quote;

use super::Protocol;
use crate::emit::types::{presence, Presence};
use crate::model::{trait_ids, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// The protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// awsJson1_0.
    V1_0,
    /// awsJson1_1.
    V1_1,
}

/// The awsJson protocol emitter.
pub struct AwsJson {
    /// Which version the service speaks.
    pub version: Version,
}

fn timestamp_format(member: Option<&Member>, target: &Shape) -> TokenStream {
    let format = member
        .and_then(|m| m.traits.get(trait_ids::TIMESTAMP_FORMAT))
        .or_else(|| target.traits.get(trait_ids::TIMESTAMP_FORMAT))
        .and_then(|v| v.as_str());
    match format {
        Some("date-time") => quote!(smithgen_runtime::json::TimestampFormat::DateTime),
        Some("http-date") => quote!(smithgen_runtime::json::TimestampFormat::HttpDate),
        _ => quote!(smithgen_runtime::json::TimestampFormat::EpochSeconds),
    }
}

/// Statements writing the value at `value` (an expression of type `&T`) of shape `target`.
fn write_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
    value: TokenStream,
) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(w.string(#value.as_str());),
        ShapeType::Enum => quote!(w.string(#value.as_str());),
        ShapeType::String => quote!(w.string(#value);),
        ShapeType::IntEnum => quote!(w.i64(i64::from(#value.as_i32()));),
        ShapeType::Boolean => quote!(w.bool(*#value);),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
            quote!(w.i64(i64::from(*#value));)
        }
        ShapeType::Long => quote!(w.i64(*#value);),
        ShapeType::Float => quote!(w.f32(*#value);),
        ShapeType::Double => quote!(w.f64(*#value);),
        ShapeType::BigInteger => quote!(w.big_integer(#value);),
        ShapeType::BigDecimal => quote!(w.big_decimal(#value);),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target);
            quote!(w.timestamp(#value, #format);)
        }
        ShapeType::Blob => quote!(w.blob(#value);),
        ShapeType::Document => quote!(w.document(#value);),
        ShapeType::List => {
            let item_member = target.list_member().expect("validated list");
            let item = write_value(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
                quote!(item),
            );
            if target.traits.has(trait_ids::SPARSE) {
                quote! {
                    w.begin_array();
                    for item in #value.iter() {
                        match item {
                            Some(item) => { #item }
                            None => w.null(),
                        }
                    }
                    w.end_array();
                }
            } else {
                quote! {
                    w.begin_array();
                    for item in #value.iter() {
                        #item
                    }
                    w.end_array();
                }
            }
        }
        ShapeType::Map => {
            let (key, val) = target.map_members().expect("validated map");
            let key_shape = view.model.target(key);
            let key_str = if key_shape.is_string_enum() {
                quote!(key.as_str())
            } else {
                quote!(key)
            };
            let item = write_value(
                view,
                symbols,
                Some(val),
                view.model.target(val),
                quote!(item),
            );
            let body = if target.traits.has(trait_ids::SPARSE) {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => w.null(),
                    }
                }
            } else {
                item
            };
            quote! {
                w.begin_object();
                for (key, item) in #value.iter() {
                    w.key(#key_str);
                    #body
                }
                w.end_object();
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let ty = symbols.type_path(&target.id);
            quote!(#ty::write_json(#value, w);)
        }
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => TokenStream::new(),
    }
}

/// An expression of type `Result<T, DeserializeError>` reading a value of shape `target` from `r`.
fn read_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
) -> TokenStream {
    match target.kind {
        ShapeType::Enum => {
            let ty = symbols.type_path(&target.id);
            quote!(r.str().map(|value| #ty::from(value.as_ref())))
        }
        ShapeType::String if target.is_string_enum() => {
            let ty = symbols.type_path(&target.id);
            quote!(r.str().map(|value| #ty::from(value.as_ref())))
        }
        ShapeType::String => quote!(r.string()),
        ShapeType::IntEnum => {
            let ty = symbols.type_path(&target.id);
            quote!(r.i32().map(#ty::from))
        }
        ShapeType::Boolean => quote!(r.bool()),
        ShapeType::Byte => quote!(r.i8()),
        ShapeType::Short => quote!(r.i16()),
        ShapeType::Integer => quote!(r.i32()),
        ShapeType::Long => quote!(r.i64()),
        ShapeType::Float => quote!(r.f32()),
        ShapeType::Double => quote!(r.f64()),
        ShapeType::BigInteger => quote!(r.big_integer()),
        ShapeType::BigDecimal => quote!(r.big_decimal()),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target);
            quote!(r.timestamp(#format))
        }
        ShapeType::Blob => quote!(r.blob()),
        ShapeType::Document => quote!(r.document()),
        ShapeType::List => {
            let item_member = target.list_member().expect("validated list");
            let item = read_value(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
            );
            if target.traits.has(trait_ids::SPARSE) {
                quote!(smithgen_runtime::protocol::read_sparse_list(r, |r| #item))
            } else {
                quote!(smithgen_runtime::protocol::read_list(r, |r| #item))
            }
        }
        ShapeType::Map => {
            let (key, val) = target.map_members().expect("validated map");
            let key_shape = view.model.target(key);
            let key_fn = if key_shape.is_string_enum() {
                let ty = symbols.type_path(&key_shape.id);
                quote!(|key: &str| #ty::from(key))
            } else {
                quote!(str::to_owned)
            };
            let item = read_value(view, symbols, Some(val), view.model.target(val));
            if target.traits.has(trait_ids::SPARSE) {
                quote!(smithgen_runtime::protocol::read_sparse_map(r, #key_fn, |r| #item))
            } else {
                quote!(smithgen_runtime::protocol::read_map(r, #key_fn, |r| #item))
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let ty = symbols.type_path(&target.id);
            quote!(#ty::read_json(r))
        }
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => quote!(Ok(())),
    }
}

/// The JSON keys a member is read from: its name, and for an error's message both spellings.
fn member_keys<'m>(shape: &Shape, member: &'m Member) -> Vec<&'m str> {
    let name = member.name.as_str();
    if shape.is_error() && name.eq_ignore_ascii_case("message") {
        vec!["message", "Message"]
    } else {
        vec![name]
    }
}

impl AwsJson {
    fn structure(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let name = ident(symbols.type_name(&shape.id));
        let names = symbols.member_names(&shape.id);
        let mut writes = Vec::new();
        let mut locals = Vec::new();
        let mut reads = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        let mut fills = Vec::new();
        for (i, member) in shape.members.iter().enumerate() {
            let field = snake_ident(&names.fields[i]);
            // Locals carry a prefix so that no member name can shadow `r`, `w`, `out` or `member`.
            let local = ident(&format!("v_{}", names.fields[i]));
            let target = view.model.target(member);
            let key = member.name.as_str();
            let boxed = symbols.is_boxed(&shape.id, &member.name);
            let write = write_value(view, symbols, Some(member), target, quote!(value));
            let read = read_value(view, symbols, Some(member), target);
            let read = if boxed {
                quote!(#read.map(Box::new))
            } else {
                read
            };
            // Values go straight into the structure being read, which starts as
            // `Self::default()`, except those of members whose default is not `Default::default()`.
            let store = match presence(view, shape, member) {
                Presence::Optional => {
                    writes.push(quote! {
                        if let Some(value) = &self.#field {
                            w.key(#key);
                            #write
                        }
                    });
                    quote!(out.#field = Some(#read?);)
                }
                Presence::Required | Presence::Default(None) => {
                    writes.push(quote! {
                        w.key(#key);
                        let value = &self.#field;
                        #write
                    });
                    // A server that omits a required member gets the zero value, not an error.
                    quote!(out.#field = #read?;)
                }
                Presence::Default(Some(expr)) => {
                    writes.push(quote! {
                        w.key(#key);
                        let value = &self.#field;
                        #write
                    });
                    let filled = crate::emit::types::fill_default(quote!(#local), &expr);
                    locals.push(quote!(let mut #local = None;));
                    fills.push(quote!(out.#field = #filled;));
                    quote!(#local = Some(#read?);)
                }
            };
            // The indexes of the member's keys in `keys`.
            let mut indexes = Vec::new();
            for key in member_keys(shape, member) {
                indexes.push(proc_macro2::Literal::usize_unsuffixed(keys.len()));
                keys.push(key);
            }
            reads.push(quote! {
                if let Some(#(#indexes)|*) = member {
                    #store
                    member = r.next_member(&KEYS)?;
                }
            });
        }
        let extra = if crate::emit::types::has_query_error_code(view, shape) {
            quote!(query_error_code: None,)
        } else {
            TokenStream::new()
        };
        let count = proc_macro2::Literal::usize_unsuffixed(keys.len());
        let read_body = if shape.members.is_empty() {
            quote! {
                r.skip_value()?;
                Ok(Self { #extra })
            }
        } else {
            // `next_member` skips unknown members and `null` values, and returns the index of the
            // member's key in `KEYS`. Members usually come in the model's order, so one pass of
            // the tests in `reads`, each a branch the processor predicts well, reads them all,
            // where a `match` would cost an indirect jump per member that it predicts poorly
            // (this made reading large responses about a tenth faster). A pass reads at least the
            // member it starts with (every index has its test), so keys in another order take
            // more passes, and duplicate keys are read again (the last wins). `Keys` is named in
            // full: a structure of the model may be called `Keys`.
            quote! {
                static KEYS: smithgen_runtime::json::Keys<#count> =
                    smithgen_runtime::json::Keys::new([#(#keys),*]);
                #(#locals)*
                let mut out = Self::default();
                r.begin_object()?;
                let mut member = r.next_member(&KEYS)?;
                while member.is_some() {
                    #(#reads)*
                }
                #(#fills)*
                Ok(out)
            }
        };
        let write_body = quote! {
            w.begin_object();
            #(#writes)*
            w.end_object();
        };
        json_impls(view, shape, &name, write_body, read_body)
    }

    fn union(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let name = ident(symbols.type_name(&shape.id));
        let names = symbols.member_names(&shape.id);
        let mut write_arms = Vec::new();
        let mut read_arms = Vec::new();
        for (i, member) in shape.members.iter().enumerate() {
            let variant = ident(&names.fields[i]);
            let key = member.name.as_str();
            let target = view.model.target(member);
            if member.target.as_str() == crate::model::UNIT {
                write_arms.push(quote! {
                    Self::#variant => {
                        w.key(#key);
                        w.begin_object();
                        w.end_object();
                    }
                });
                read_arms.push(quote! {
                    #key => {
                        r.skip_value()?;
                        Self::#variant
                    }
                });
            } else {
                let write = write_value(view, symbols, Some(member), target, quote!(value));
                let read = read_value(view, symbols, Some(member), target);
                let read = if symbols.is_boxed(&shape.id, &member.name) {
                    quote!(#read.map(Box::new))
                } else {
                    read
                };
                write_arms.push(quote! {
                    Self::#variant(value) => {
                        w.key(#key);
                        #write
                    }
                });
                read_arms.push(quote!(#key => Self::#variant(#read?),));
            }
        }
        let write_body = quote! {
            w.begin_object();
            match self {
                #(#write_arms)*
                Self::Unknown => {}
            }
            w.end_object();
        };
        let read_body = quote! {
            // Exactly one member should be set; the last non-null one wins, and a member this
            // model does not know becomes `Unknown`.
            let mut value = Self::Unknown;
            r.begin_object()?;
            while let Some(key) = r.next_key()? {
                if r.peek_null()? {
                    continue;
                }
                value = match key.as_ref() {
                    // Some servers tag a union with its type; that is not a member.
                    "__type" => {
                        r.skip_value()?;
                        continue;
                    }
                    #(#read_arms)*
                    _ => {
                        r.skip_value()?;
                        Self::Unknown
                    }
                };
            }
            Ok(value)
        };
        json_impls(view, shape, &name, write_body, read_body)
    }
}

/// The `JsonWrite` and `JsonRead` impls of a structure or union: each plain where a client
/// needs it (writing what it sends, reading what it receives), gated as code only a `Stubber`
/// runs otherwise, or left out. `shape_imports` gates the imports the same way.
fn json_impls(
    view: &ServiceView<'_>,
    shape: &Shape,
    name: &proc_macro2::Ident,
    write_body: TokenStream,
    read_body: TokenStream,
) -> TokenStream {
    let write = view.sent_gate(&shape.id).map(|gate| {
        quote! {
            #gate
            impl JsonWrite for #name {
                fn write_json(&self, w: &mut JsonWriter) {
                    #write_body
                }
            }
        }
    });
    let read = view.received_gate(&shape.id).map(|gate| {
        quote! {
            #gate
            impl JsonRead for #name {
                fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
                    #read_body
                }
            }
        }
    });
    quote!(#write #read)
}

impl Protocol for AwsJson {
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        if !matches!(shape.kind, ShapeType::Structure | ShapeType::Union) {
            return TokenStream::new();
        }
        // Each direction's imports go behind the same gate as its impl.
        let write = view.sent_gate(&shape.id).map(|gate| {
            quote! {
                #gate
                use smithgen_runtime::json::JsonWriter;
                #gate
                use smithgen_runtime::protocol::JsonWrite;
            }
        });
        let read = view.received_gate(&shape.id).map(|gate| {
            quote! {
                #gate
                use smithgen_runtime::json::{DeserializeError, JsonReader};
                #gate
                use smithgen_runtime::protocol::JsonRead;
            }
        });
        quote!(#write #read)
    }

    fn operation_imports(&self) -> TokenStream {
        quote!(
            use smithgen_runtime::protocol::aws_json as wire;
        )
    }

    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        match shape.kind {
            ShapeType::Structure => self.structure(view, symbols, shape),
            ShapeType::Union => self.union(view, symbols, shape),
            _ => TokenStream::new(),
        }
    }

    fn operation_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        operation: &Shape,
    ) -> TokenStream {
        let names = symbols.operation(&operation.id);
        let marker = ident(&names.type_name);
        let error = ident(&names.error);
        let target = format!("{}.{}", view.service.id.name(), operation.id.name());
        let version = match self.version {
            Version::V1_0 => quote!(wire::JsonVersion::V1_0),
            Version::V1_1 => quote!(wire::JsonVersion::V1_1),
        };
        let query_compatible = view.service.traits.has("aws.protocols#awsQueryCompatible");
        let query_mode = if query_compatible {
            quote!(
                const QUERY_COMPATIBLE: bool = true;
            )
        } else {
            TokenStream::new()
        };
        let errors = view.operation_errors(operation);
        let variants = crate::emit::operations::error_variants(view, &errors);
        let arms: Vec<TokenStream> = errors
            .iter()
            .zip(&variants)
            .map(|(e, variant)| {
                let variant = ident(variant);
                let ty = symbols.type_path(&e.id);
                let name = e.id.name();
                let query_code = e
                    .traits
                    .get("aws.protocols#awsQueryError")
                    .and_then(|v| v.get("code"))
                    .and_then(|v| v.as_str())
                    .filter(|code| query_compatible && *code != name);
                let pattern = match query_code {
                    Some(code) => quote!(#name | #code),
                    None => quote!(#name),
                };
                if query_compatible {
                    quote! {
                        #pattern => match wire::read_modeled_error::<#ty>(meta, body) {
                            Ok(mut error) => {
                                error.query_error_code = meta.query_fault.as_ref().map(|_| meta.code.clone());
                                #error::#variant(error)
                            }
                            Err(unhandled) => #error::Unhandled(unhandled),
                        },
                    }
                } else {
                    quote! {
                        #pattern => match wire::read_modeled_error::<#ty>(meta, body) {
                            Ok(error) => #error::#variant(error),
                            Err(unhandled) => #error::Unhandled(unhandled),
                        },
                    }
                }
            })
            .collect();
        let read_error = if arms.is_empty() {
            quote!(#error::Unhandled(meta.unhandled(body)))
        } else {
            quote! {
                match meta.code.as_str() {
                    #(#arms)*
                    _ => #error::Unhandled(meta.unhandled(body)),
                }
            }
        };
        let field_arms = variants.iter().map(|variant| {
            let variant = ident(variant);
            quote!(Self::#variant(error) => Some(smithgen_runtime::protocol::JsonWrite::to_json(error)),)
        });
        // Only the stubber asks an error for its fields (it writes the error it answers with).
        let error_fields = view.stub_gate(false).map(|gate| {
            quote! {
                #gate
                impl smithgen_runtime::protocol::ErrorFields for #error {
                    fn error_code(&self) -> &str {
                        self.code()
                    }

                    fn fields_json(&self) -> Option<String> {
                        match self {
                            #(#field_arms)*
                            Self::Unhandled(_) => None,
                        }
                    }
                }
            }
        });
        let host_prefix = host_prefix_fn(view, symbols, operation);
        let endpoint_url = endpoint_url_fn(view, symbols, operation);
        let compression = operation
            .traits
            .get("smithy.api#requestCompression")
            .and_then(|v| v.get("encodings"))
            .and_then(|v| v.as_array())
            .map(|encodings| {
                let encodings = encodings.iter().filter_map(|e| e.as_str());
                quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];)
            });
        quote! {
            #error_fields

            impl wire::AwsJsonOperation for #marker {
                const VERSION: wire::JsonVersion = #version;
                #query_mode
                const TARGET: &'static str = #target;
                #compression
                #host_prefix
                #endpoint_url

                fn read_error(meta: &wire::ErrorMeta, body: &[u8]) -> #error {
                    #read_error
                }
            }
        }
    }
}

/// `host_prefix` for an operation with `@endpoint(hostPrefix: "foo.{label}.")`: each `{label}` is
/// the `@hostLabel` input member of that name, checked at call time.
fn host_prefix_fn(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let Some(prefix) = operation
        .traits
        .get("smithy.api#endpoint")
        .and_then(|v| v.get("hostPrefix"))
        .and_then(|v| v.as_str())
    else {
        return TokenStream::new();
    };
    let input = operation
        .relations
        .input
        .as_ref()
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()));
    let mut format = String::new();
    let mut args = Vec::new();
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        format.push_str(&rest[..open].replace('}', "}}"));
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            format.push_str(&rest[open..].replace('{', "{{"));
            rest = "";
            break;
        };
        let label = &after[..close];
        let member = input.and_then(|shape| {
            shape
                .members
                .iter()
                .position(|m| m.name == label)
                .map(|i| (shape, i))
        });
        match member {
            Some((shape, i)) => {
                let field = snake_ident(&symbols.member_names(&shape.id).fields[i]);
                let value = match crate::emit::types::presence(view, shape, &shape.members[i]) {
                    crate::emit::types::Presence::Optional => quote!(input.#field.as_deref()),
                    _ => quote!(Some(input.#field.as_str())),
                };
                format.push_str("{}");
                args.push(quote!(smithgen_runtime::protocol::host_label(#label, #value)?));
            }
            // The model validator reports labels without members; keep the text as is.
            None => format.push_str(&format!("{{{{{label}}}}}")),
        }
        rest = &after[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let input_ty = match input {
        Some(shape) => symbols.type_path(&shape.id),
        None => quote!(()),
    };
    if args.is_empty() {
        return quote! {
            fn host_prefix(_input: &#input_ty) -> Result<Option<String>, String> {
                Ok(Some(String::from(#prefix)))
            }
        };
    }
    quote! {
        fn host_prefix(input: &#input_ty) -> Result<Option<String>, String> {
            Ok(Some(format!(#format #(, #args)*)))
        }
    }
}

/// Operations whose input names the endpoint of the call: an AWS SDK customization every SDK
/// applies (operation id, input member).
const ENDPOINT_FROM_INPUT: &[(&str, &str)] =
    &[("com.amazonaws.machinelearning#Predict", "PredictEndpoint")];

fn endpoint_url_fn(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let Some((_, member_name)) = ENDPOINT_FROM_INPUT
        .iter()
        .find(|(op, _)| *op == operation.id.as_str())
    else {
        return TokenStream::new();
    };
    let Some(input) = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
    else {
        return TokenStream::new();
    };
    let Some(i) = input.members.iter().position(|m| m.name == *member_name) else {
        return TokenStream::new();
    };
    let field = snake_ident(&symbols.member_names(&input.id).fields[i]);
    let ty = symbols.type_path(&input.id);
    let value = match presence(view, input, &input.members[i]) {
        Presence::Optional => quote!(input.#field.clone()),
        _ => quote!(Some(input.#field.clone())),
    };
    quote! {
        fn endpoint_url(input: &#ty) -> Option<String> {
            #value.filter(|url| !url.is_empty())
        }
    }
}
