//! awsQuery and ec2Query: form-encoded `POST /` requests (`Action`, `Version`, then the input's
//! members as `key=value` pairs) and XML responses read with the shared XML codec.
//!
//! Query keys: awsQuery names a member by its `@xmlName`, else its name; lists are
//! `Key.member.N` (the list member's `@xmlName` replaces `member`; `@xmlFlattened` drops it;
//! an empty list is sent as `Key=`), maps `Key.entry.N.key` / `Key.entry.N.value` (renamed by
//! their members' `@xmlName`; flattened: `Key.N.key`), numbered from 1 in key order. ec2Query
//! names a member by its `@ec2QueryName`, else its `@xmlName` or name with the first letter
//! upper-cased; its lists are always flattened (`Key.N`) and empty ones are not sent.
//! Errors are matched by code: the error's `@awsQueryError` code, else its shape name.

use proc_macro2::TokenStream;
use quote::quote;

use super::json_codec::JsonCodec;
use super::xml_codec::{self, XmlCodec};
use super::Protocol;
use crate::emit::types::{presence, Presence};
use crate::model::{Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// Which query protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// awsQuery.
    AwsQuery,
    /// ec2Query.
    Ec2Query,
}

/// The awsQuery / ec2Query protocol emitter.
pub struct AwsQuery {
    /// Which of the two.
    pub variant: Variant,
}

/// Query responses have no HTTP bindings.
const CODEC: XmlCodec = XmlCodec {
    http_bindings: false,
};

/// The JSON forms of every shape, for tests only (behind `test-util`): a test builds an input
/// from JSON and sees an output or error as JSON (the botocore differential), keyed by member
/// name.
const TEST_JSON: JsonCodec = JsonCodec {
    json_name: false,
    http_bindings: false,
    test_only: true,
};

impl AwsQuery {
    /// The query key of a structure member.
    fn member_key(&self, member: &Member) -> String {
        match self.variant {
            Variant::AwsQuery => xml_codec::member_name(member).to_owned(),
            Variant::Ec2Query => {
                if let Some(name) = member
                    .traits
                    .get("aws.protocols#ec2QueryName")
                    .and_then(|v| v.as_str())
                {
                    return name.to_owned();
                }
                let name = xml_codec::member_name(member);
                let mut chars = name.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        }
    }

    /// Statements writing the value `value` (a `&T`) of shape `target` under the key in the
    /// local `key` (a `String`), with `w` the writer.
    fn write_value(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        member: Option<&Member>,
        target: &Shape,
        value: TokenStream,
        flattened: bool,
    ) -> TokenStream {
        let key = quote!(key);
        match target.kind {
            ShapeType::String if target.is_string_enum() => {
                quote!(w.string(&#key, #value.as_str());)
            }
            ShapeType::Enum => quote!(w.string(&#key, #value.as_str());),
            ShapeType::String => quote!(w.string(&#key, #value);),
            ShapeType::IntEnum => quote!(w.i64(&#key, i64::from(#value.as_i32()));),
            ShapeType::Boolean => quote!(w.bool(&#key, *#value);),
            ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
                quote!(w.i64(&#key, i64::from(*#value));)
            }
            ShapeType::Long => quote!(w.i64(&#key, *#value);),
            ShapeType::Float => quote!(w.f32(&#key, *#value);),
            ShapeType::Double => quote!(w.f64(&#key, *#value);),
            ShapeType::BigInteger | ShapeType::BigDecimal => {
                quote!(w.string(&#key, #value.as_str());)
            }
            ShapeType::Timestamp => {
                let format = super::timestamp_format(member, target, "date-time");
                quote!(w.timestamp(&#key, #value, #format);)
            }
            ShapeType::Blob => quote!(w.blob(&#key, #value.as_ref());),
            // Documents have no query form.
            ShapeType::Document => TokenStream::new(),
            ShapeType::List => {
                let item_member = target.list_member().expect("validated list");
                let item = self.write_value(
                    view,
                    symbols,
                    Some(item_member),
                    view.model.target(item_member),
                    quote!(item),
                    false,
                );
                let item = super::skip_unset(target, item);
                let (segment, empty) = match self.variant {
                    Variant::AwsQuery if flattened => (String::new(), true),
                    Variant::AwsQuery => (format!("{}.", xml_codec::list_item_name(target)), true),
                    Variant::Ec2Query => (String::new(), false),
                };
                let format = format!("{{}}.{segment}{{}}");
                let empty = empty.then(|| {
                    quote! {
                        if #value.is_empty() {
                            w.string(&#key, "");
                        }
                    }
                });
                quote! {
                    #empty
                    for (i, item) in #value.iter().enumerate() {
                        let key = format!(#format, #key, i + 1);
                        #item
                    }
                }
            }
            ShapeType::Map => {
                let (_, value_member) = target.map_members().expect("validated map");
                let (key_name, value_name) = xml_codec::map_entry_names(target);
                let item = self.write_value(
                    view,
                    symbols,
                    Some(value_member),
                    view.model.target(value_member),
                    quote!(item),
                    false,
                );
                let item = super::skip_unset(target, item);
                let entry = if flattened { "{}.{}" } else { "{}.entry.{}" };
                let key_format = format!("{{}}.{key_name}");
                let value_format = format!("{{}}.{value_name}");
                quote! {
                    for (i, (name, item)) in wire::sorted_entries(#value, |name| name.as_str()).into_iter().enumerate() {
                        let entry = format!(#entry, #key, i + 1);
                        w.string(&format!(#key_format, entry), name.as_str());
                        let key = format!(#value_format, entry);
                        #item
                    }
                }
            }
            ShapeType::Structure | ShapeType::Union => {
                let ty = symbols.type_path(&target.id);
                quote!(<#ty as wire::QueryWrite>::write_query(#value, w, &#key);)
            }
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource => TokenStream::new(),
        }
    }

    /// `QueryWrite` for a structure or union the client sends.
    fn write_impl(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        if !view.sent.contains(&shape.id)
            || !matches!(shape.kind, ShapeType::Structure | ShapeType::Union)
        {
            return TokenStream::new();
        }
        let name = ident(symbols.type_name(&shape.id));
        let names = symbols.member_names(&shape.id);
        let body = match shape.kind {
            ShapeType::Structure => {
                let mut writes = Vec::new();
                for (i, member) in shape.members.iter().enumerate() {
                    let field = snake_ident(&names.fields[i]);
                    let key_name = self.member_key(member);
                    let target = view.model.target(member);
                    let flattened = member.traits.has(xml_codec::XML_FLATTENED);
                    let write = self.write_value(
                        view,
                        symbols,
                        Some(member),
                        target,
                        quote!(value),
                        flattened,
                    );
                    if write.is_empty() {
                        continue;
                    }
                    let body = quote! {
                        let key = wire::key(prefix, #key_name);
                        #write
                    };
                    writes.push(match presence(view, shape, member) {
                        Presence::Optional => quote! {
                            if let Some(value) = &self.#field {
                                #body
                            }
                        },
                        _ => quote! {
                            {
                                let value = &self.#field;
                                #body
                            }
                        },
                    });
                }
                if writes.is_empty() {
                    quote!(let _ = (w, prefix);)
                } else {
                    quote!(#(#writes)*)
                }
            }
            ShapeType::Union => {
                let mut arms = Vec::new();
                for (i, member) in shape.members.iter().enumerate() {
                    let variant = ident(&names.fields[i]);
                    let key_name = self.member_key(member);
                    if member.target.as_str() == crate::model::UNIT {
                        arms.push(
                            quote!(Self::#variant => w.string(&wire::key(prefix, #key_name), ""),),
                        );
                        continue;
                    }
                    let target = view.model.target(member);
                    let flattened = member.traits.has(xml_codec::XML_FLATTENED);
                    let write = self.write_value(
                        view,
                        symbols,
                        Some(member),
                        target,
                        quote!(value),
                        flattened,
                    );
                    arms.push(quote! {
                        Self::#variant(value) => {
                            let key = wire::key(prefix, #key_name);
                            #write
                        }
                    });
                }
                quote! {
                    match self {
                        #(#arms)*
                        Self::Unknown => {}
                    }
                }
            }
            _ => return TokenStream::new(),
        };
        quote! {
            impl wire::QueryWrite for #name {
                fn write_query(&self, w: &mut wire::QueryWriter, prefix: &str) {
                    #body
                }
            }
        }
    }
}

impl Protocol for AwsQuery {
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        let json = TEST_JSON.shape_imports(view, shape);
        if matches!(shape.kind, ShapeType::Structure | ShapeType::Union)
            && view.sent.contains(&shape.id)
        {
            quote!(
                use smithgen_runtime::protocol::query as wire;
                #json
            )
        } else {
            json
        }
    }

    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let mut out = self.write_impl(view, symbols, shape);
        out.extend(CODEC.read_impls(view, symbols, shape));
        out.extend(TEST_JSON.shape_impls(view, symbols, shape));
        out
    }

    fn operation_imports(&self) -> TokenStream {
        quote!(
            use smithgen_runtime::protocol::query as wire;
        )
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
        let action = operation.id.name();
        let version = view.service.relations.version.as_deref().unwrap_or("");
        let variant = match self.variant {
            Variant::AwsQuery => quote!(wire::QueryVariant::AwsQuery),
            Variant::Ec2Query => quote!(wire::QueryVariant::Ec2Query),
        };
        let errors = view.operation_errors(operation);
        let variants = crate::emit::operations::error_variants(view, &errors);
        let mut taken = Vec::new();
        let arms: Vec<TokenStream> = errors
            .iter()
            .zip(&variants)
            .filter_map(|(e, variant)| {
                let code = e
                    .traits
                    .get("aws.protocols#awsQueryError")
                    .and_then(|v| v.get("code"))
                    .and_then(|v| v.as_str())
                    .unwrap_or(e.id.name());
                if taken.contains(&code) {
                    return None;
                }
                taken.push(code);
                let variant = ident(variant);
                let ty = symbols.type_path(&e.id);
                Some(quote! {
                    #code => match wire::read_modeled_error::<#ty>(meta, body) {
                        Ok(error) => #error::#variant(error),
                        Err(unhandled) => #error::Unhandled(unhandled),
                    },
                })
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
        let input_ty = io_type(symbols, operation.relations.input.as_ref());
        let output_ty = io_type(symbols, operation.relations.output.as_ref());
        let host_prefix = super::host_prefix_expr(view, symbols, operation);
        let set_prefix = host_prefix
            .map(|(expr, _)| quote!(request.host_prefix = Some(#expr);))
            .unwrap_or_default();
        let endpoint_url = super::endpoint_url_fn(view, symbols, operation);
        let set_endpoint = if endpoint_url.is_empty() {
            TokenStream::new()
        } else {
            quote!(request.endpoint_url = endpoint_url(input);)
        };
        let auth = super::auth_const(view, operation);
        let compression = super::compression_const(operation);
        let error_fields = super::error_fields_impl(view, &names.error, &variants);
        quote! {
            #error_fields

            impl wire::QueryOperation for #marker {
                const VARIANT: wire::QueryVariant = #variant;
                const ACTION: &'static str = #action;
                const VERSION: &'static str = #version;

                fn read_error(meta: &wire::ErrorMeta, body: &[u8]) -> #error {
                    #read_error
                }
            }

            #endpoint_url

            impl smithgen_runtime::protocol::WireOperation for #marker {
                #compression
                #auth

                #[allow(unused_mut)]
                fn serialize_request(input: &#input_ty) -> Result<wire::HttpRequest, String> {
                    let mut request = wire::serialize_request::<Self>(input);
                    #set_prefix
                    #set_endpoint
                    Ok(request)
                }

                fn parse_response(
                    status: u16,
                    headers: &[(String, String)],
                    body: &[u8],
                ) -> Result<#output_ty, wire::ResponseError<#error>> {
                    wire::parse_response::<Self>(status, headers, body)
                }
            }
        }
    }
}

fn io_type(symbols: &Symbols, id: Option<&crate::model::ShapeId>) -> TokenStream {
    match id.filter(|id| id.as_str() != crate::model::UNIT) {
        Some(id) => symbols.type_path(id),
        None => quote!(()),
    }
}
