//! Wire protocols: each module emits the serializers, deserializers and error matching of one
//! protocol behind the [`Protocol`] trait, so that new protocols plug in without touching the
//! type emitters.

pub mod aws_json;
pub mod aws_query;
pub mod event_stream;
pub mod http;
pub mod json_codec;
pub mod rest_json;
pub mod rest_xml;
pub mod xml_codec;

use proc_macro2::TokenStream;

use quote::quote;

use crate::model::Shape;
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// What a protocol adds to the generated code.
pub trait Protocol {
    /// `use` items the shape impls need (placed at the top of the shape's module).
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream;
    /// Impls for one generated data shape (structure or union), placed in its module.
    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream;
    /// `use` items the operation impls need.
    fn operation_imports(&self) -> TokenStream;
    /// Impls for one operation, placed in its module next to the operation type.
    fn operation_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        operation: &Shape,
    ) -> TokenStream;
}

/// The format of a timestamp value on the wire: the member's `@timestampFormat`, else the
/// target's, else `default` (what the protocol uses where the value goes: `epoch-seconds` in
/// JSON bodies, `date-time` in XML and query strings, `http-date` in headers).
pub fn timestamp_format(
    member: Option<&crate::model::Member>,
    target: &Shape,
    default: &str,
) -> TokenStream {
    let format = member
        .and_then(|m| m.traits.get(crate::model::trait_ids::TIMESTAMP_FORMAT))
        .or_else(|| target.traits.get(crate::model::trait_ids::TIMESTAMP_FORMAT))
        .and_then(|v| v.as_str())
        .unwrap_or(default);
    match format {
        "epoch-seconds" => quote!(smithgen_runtime::json::TimestampFormat::EpochSeconds),
        "http-date" => quote!(smithgen_runtime::json::TimestampFormat::HttpDate),
        _ => quote!(smithgen_runtime::json::TimestampFormat::DateTime),
    }
}

/// The protocol the service declares, when smithgen supports it.
pub fn for_service(service: &Shape) -> Option<Box<dyn Protocol>> {
    if service.traits.has("aws.protocols#awsJson1_0") {
        Some(Box::new(aws_json::AwsJson {
            version: aws_json::Version::V1_0,
        }))
    } else if service.traits.has("aws.protocols#awsJson1_1") {
        Some(Box::new(aws_json::AwsJson {
            version: aws_json::Version::V1_1,
        }))
    } else if service.traits.has("aws.protocols#restJson1") {
        Some(Box::new(rest_json::RestJson))
    } else if service.traits.has("aws.protocols#restXml") {
        Some(Box::new(rest_xml::RestXml))
    } else if service.traits.has("aws.protocols#awsQuery") {
        Some(Box::new(aws_query::AwsQuery {
            variant: aws_query::Variant::AwsQuery,
        }))
    } else if service.traits.has("aws.protocols#ec2Query") {
        Some(Box::new(aws_query::AwsQuery {
            variant: aws_query::Variant::Ec2Query,
        }))
    } else {
        None
    }
}

/// The statements writing `item` of a `@sparse` list or map, run only when it is set (a
/// `None` item is not sent); `item` itself for other collections.
pub fn skip_unset(collection: &Shape, item: TokenStream) -> TokenStream {
    if collection.traits.has(crate::model::trait_ids::SPARSE) {
        quote! {
            if let Some(item) = item {
                #item
            }
        }
    } else {
        item
    }
}

/// The trait `aws.protocols#httpChecksum`.
pub const HTTP_CHECKSUM: &str = "aws.protocols#httpChecksum";

/// The `WireOperation` items of an operation with `@httpChecksum`: `request_checksum` (the
/// algorithm its `requestAlgorithmMember` names, else CRC32, as the AWS SDKs send by default
/// when an operation takes a checksum) and `RESPONSE_CHECKSUMS` (its `responseAlgorithms`).
pub fn checksum_items(view: &ServiceView<'_>, symbols: &Symbols, operation: &Shape) -> TokenStream {
    let Some(checksum) = operation.traits.get(HTTP_CHECKSUM) else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    let input = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()));
    let member = checksum
        .get("requestAlgorithmMember")
        .and_then(|v| v.as_str())
        .and_then(|name| {
            let shape = input?;
            let i = shape.members.iter().position(|m| m.name == name)?;
            Some((shape, i))
        });
    let required = checksum
        .get("requestChecksumRequired")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if let Some((shape, i)) = member {
        let ty = symbols.type_path(&shape.id);
        let field = snake_ident(&symbols.member_names(&shape.id).fields[i]);
        let value = match crate::emit::types::presence(view, shape, &shape.members[i]) {
            crate::emit::types::Presence::Optional => quote! {
                match &input.#field {
                    Some(algorithm) => algorithm.as_str().to_owned(),
                    None => "CRC32".to_owned(),
                }
            },
            _ => quote!(input.#field.as_str().to_owned()),
        };
        out.extend(quote! {
            fn request_checksum(input: &#ty) -> Option<String> {
                Some(#value)
            }
        });
    } else if required {
        let ty = match input {
            Some(shape) if crate::symbols::generates_type(shape) => symbols.type_path(&shape.id),
            _ => quote!(()),
        };
        out.extend(quote! {
            fn request_checksum(_input: &#ty) -> Option<String> {
                Some("CRC32".to_owned())
            }
        });
    }
    let algorithms: Vec<&str> = checksum
        .get("responseAlgorithms")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    if !algorithms.is_empty() {
        out.extend(quote! {
            const RESPONSE_CHECKSUMS: &'static [&'static str] = &[#(#algorithms),*];
        });
    }
    out
}

/// The expression (of the operation's error type, over `meta: &ErrorMeta`, `body: &[u8]`, with
/// the protocol's runtime module imported as `wire`, which provides `read_modeled_error`)
/// matching an error response's code to the operation's modeled errors: the error's body read
/// with its JSON codec (or as `read(error shape)` says, a `Result<T, UnhandledError>`), then
/// `bind(error shape)` run with `error` in scope (a protocol binding
/// more members, from headers); `Unhandled` for any other code. For `awsQueryCompatible`
/// services the `@awsQueryError` code matches too and is kept in `query_error_code`.
pub fn read_error_match(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
    bind: &dyn Fn(&Shape) -> TokenStream,
    read: &dyn Fn(&Shape) -> Option<TokenStream>,
) -> TokenStream {
    let error = ident(&symbols.operation(&operation.id).error);
    let query_compatible = view.service.traits.has("aws.protocols#awsQueryCompatible");
    let errors = view.operation_errors(operation);
    let variants = crate::emit::operations::error_variants(view, &errors);
    let arms: Vec<TokenStream> = errors
        .iter()
        .zip(&variants)
        .map(|(e, variant)| {
            let bind = bind(e);
            let variant = ident(variant);
            let ok_arm = if bind.is_empty() {
                quote!(Ok(error) => #error::#variant(error),)
            } else {
                quote! {
                    Ok(mut error) => {
                        #bind
                        #error::#variant(error)
                    }
                }
            };
            let ty = symbols.type_path(&e.id);
            // How the error's structure is read: its JSON body, unless the protocol says
            // otherwise (a REST error whose body is an `@httpPayload` member).
            let read = read(e)
                .unwrap_or_else(|| quote!(wire::read_modeled_error::<#ty>(meta, body)));
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
                    #pattern => match #read {
                        Ok(mut error) => {
                            error.query_error_code = meta.query_fault.as_ref().map(|_| meta.code.clone());
                            #bind
                            #error::#variant(error)
                        }
                        Err(unhandled) => #error::Unhandled(unhandled),
                    },
                }
            } else {
                quote! {
                    #pattern => match #read {
                        #ok_arm
                        Err(unhandled) => #error::Unhandled(unhandled),
                    },
                }
            }
        })
        .collect();
    if arms.is_empty() {
        quote!(#error::Unhandled(meta.unhandled(body)))
    } else {
        quote! {
            match meta.code.as_str() {
                #(#arms)*
                _ => #error::Unhandled(meta.unhandled(body)),
            }
        }
    }
}

/// The host prefix of an operation with `@endpoint(hostPrefix: "foo.{label}.")`, as an
/// expression of type `String` over `input` (each `{label}` is the `@hostLabel` input member
/// of that name, checked at call time with `?` in a function returning `Result<_, String>`),
/// and whether it reads `input`; `None` without the trait.
pub fn host_prefix_expr(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> Option<(TokenStream, bool)> {
    let prefix = operation
        .traits
        .get("smithy.api#endpoint")
        .and_then(|v| v.get("hostPrefix"))
        .and_then(|v| v.as_str())?;
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
    if args.is_empty() {
        return Some((quote!(String::from(#prefix)), false));
    }
    Some((quote!(format!(#format #(, #args)*)), true))
}

/// Operations whose input names the endpoint of the call: an AWS SDK customization every SDK
/// applies (operation id, input member).
pub const ENDPOINT_FROM_INPUT: &[(&str, &str)] =
    &[("com.amazonaws.machinelearning#Predict", "PredictEndpoint")];

pub fn endpoint_url_fn(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
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
    let value = match crate::emit::types::presence(view, input, &input.members[i]) {
        crate::emit::types::Presence::Optional => quote!(input.#field.clone()),
        _ => quote!(Some(input.#field.clone())),
    };
    quote! {
        fn endpoint_url(input: &#ty) -> Option<String> {
            #value.filter(|url| !url.is_empty())
        }
    }
}

/// `const AUTH` for an operation that is not always signed: `@optionalAuth` (signed when
/// credentials can be found) or `@auth([])` on it, or on the service when it has none of its own
/// (anonymous); nothing otherwise.
pub fn auth_const(view: &ServiceView<'_>, operation: &Shape) -> TokenStream {
    let empty_auth = |shape: &Shape| {
        shape
            .traits
            .get("smithy.api#auth")
            .and_then(|v| v.as_array())
            .map(|a| a.is_empty())
    };
    let anonymous = empty_auth(operation)
        .or_else(|| empty_auth(view.service))
        .unwrap_or(false);
    if anonymous {
        quote!(
            const AUTH: smithgen_runtime::protocol::Auth =
                smithgen_runtime::protocol::Auth::Anonymous;
        )
    } else if operation.traits.has("smithy.api#optionalAuth") {
        quote!(
            const AUTH: smithgen_runtime::protocol::Auth =
                smithgen_runtime::protocol::Auth::Optional;
        )
    } else {
        TokenStream::new()
    }
}

/// `const REQUEST_COMPRESSION` for an operation with `@requestCompression` (its encodings, in
/// the model's order); nothing otherwise.
pub fn compression_const(operation: &Shape) -> Option<TokenStream> {
    operation
        .traits
        .get("smithy.api#requestCompression")
        .and_then(|v| v.get("encodings"))
        .and_then(|v| v.as_array())
        .map(|encodings| {
            let encodings = encodings.iter().filter_map(|e| e.as_str());
            quote!(const REQUEST_COMPRESSION: &'static [&'static str] = &[#(#encodings),*];)
        })
}

/// `ErrorFields` for an operation's error enum (behind the stub gate: only tests ask an error for
/// its code and members as JSON), for the JSON protocols, whose errors have a `JsonWrite`.
pub fn error_fields_impl(
    view: &ServiceView<'_>,
    error: &str,
    variants: &[String],
) -> Option<TokenStream> {
    let error = ident(error);
    let field_arms = variants.iter().map(|variant| {
        let variant = ident(variant);
        quote!(Self::#variant(error) => Some(smithgen_runtime::protocol::JsonWrite::to_json(error)),)
    });
    view.stub_gate(false).map(|gate| {
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
    })
}

/// Statements assigning a parsed value (an expression of type `T`) to a member of `base`.
pub fn assign(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    index: usize,
    base: &TokenStream,
    value: TokenStream,
) -> TokenStream {
    let member = &shape.members[index];
    let field = snake_ident(&symbols.member_names(&shape.id).fields[index]);
    let value = if symbols.is_boxed(&shape.id, &member.name) {
        quote!(Box::new(#value))
    } else {
        value
    };
    match crate::emit::types::presence(view, shape, member) {
        crate::emit::types::Presence::Optional => quote!(#base.#field = Some(#value);),
        _ => quote!(#base.#field = #value;),
    }
}
