//! The XML body codec every XML protocol shares: `XmlRead` impls for structures and unions over
//! the runtime's XML tree (`smithgen_runtime::xml`), and `XmlWrite` impls for the ones restXml
//! sends (the same names, with `@xmlNamespace` declared where a member carries it). Members are
//! elements named by `@xmlName` (else the member name), or attributes with `@xmlAttribute`; lists and maps are wrapped
//! (`<member>`, `<entry><key/><value/></entry>`, renamed by their members' `@xmlName`) or, with
//! `@xmlFlattened`, repeated in place under the member's own name; timestamps are `date-time`
//! unless `@timestampFormat` says otherwise; blobs are base64. awsQuery and ec2Query read their
//! outputs and errors with it; restXml leaves the members bound to the HTTP message out
//! (`http_bindings`).
//!
//! Generated impls name every runtime item by its full path, so shapes need no imports.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::types::{presence, Presence};
use crate::model::{trait_ids, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// How one protocol reads XML bodies.
#[derive(Clone, Copy, Debug)]
pub struct XmlCodec {
    /// Whether members with HTTP binding traits are left out of the body of top-level
    /// input, output and error structures (restXml).
    pub http_bindings: bool,
}

/// The trait `@xmlName`.
pub const XML_NAME: &str = "smithy.api#xmlName";
/// The trait `@xmlFlattened`.
pub const XML_FLATTENED: &str = "smithy.api#xmlFlattened";
/// The trait `@xmlAttribute`.
pub const XML_ATTRIBUTE: &str = "smithy.api#xmlAttribute";

/// The `@xmlName` of a member or shape.
pub fn xml_name(traits: &crate::model::Traits) -> Option<&str> {
    traits.get(XML_NAME).and_then(|v| v.as_str())
}

/// The element (or attribute) name of a structure or union member: its `@xmlName`, else its
/// name.
pub fn member_name(member: &Member) -> &str {
    xml_name(&member.traits).unwrap_or(&member.name)
}

/// The element name of a wrapped list's items: the list member's `@xmlName`, else `member`.
pub fn list_item_name(list: &Shape) -> &str {
    list.list_member()
        .and_then(|m| xml_name(&m.traits))
        .unwrap_or("member")
}

/// The element names of a map's keys and values: their `@xmlName`s, else `key` and `value`.
pub fn map_entry_names(map: &Shape) -> (&str, &str) {
    match map.map_members() {
        Some((k, v)) => (
            xml_name(&k.traits).unwrap_or("key"),
            xml_name(&v.traits).unwrap_or("value"),
        ),
        None => ("key", "value"),
    }
}

/// An expression of type `Result<T, DeserializeError>` reading a value of shape `target` from
/// the element `el` (an expression of type `&XmlElement`).
pub fn read_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
    el: TokenStream,
) -> TokenStream {
    scalar_read(symbols, member, target, quote!(#el.value())).unwrap_or_else(|| {
        match target.kind {
            ShapeType::List => {
                let item_member = target.list_member().expect("validated list");
                let item = read_value(
                    view,
                    symbols,
                    Some(item_member),
                    view.model.target(item_member),
                    quote!(e),
                );
                let item = if target.traits.has(trait_ids::SPARSE) {
                    quote!(#item.map(Some))
                } else {
                    item
                };
                let name = list_item_name(target);
                let item_target = view.model.target(item_member);
                let read = if matches!(item_target.kind, ShapeType::Structure | ShapeType::Union)
                    && !target.traits.has(trait_ids::SPARSE)
                {
                    // The function itself, not a closure calling it.
                    let ty = symbols.type_path(&item_target.id);
                    quote!(<#ty as smithgen_runtime::xml::XmlRead>::read_xml)
                } else {
                    quote!(|e| #item)
                };
                quote!(smithgen_runtime::xml::read_list(#el, #name, #read))
            }
            ShapeType::Map => {
                let (key_fn, value_fn) = map_fns(view, symbols, target);
                let (key_name, value_name) = map_entry_names(target);
                quote!(smithgen_runtime::xml::read_map(#el, #key_name, #value_name, #key_fn, #value_fn))
            }
            ShapeType::Structure | ShapeType::Union => {
                let ty = symbols.type_path(&target.id);
                quote!(<#ty as smithgen_runtime::xml::XmlRead>::read_xml(#el))
            }
            // Documents have no XML form; the value reads as null.
            ShapeType::Document => {
                quote!(Ok::<_, smithgen_runtime::xml::DeserializeError>(smithgen_runtime::Document::Null))
            }
            _ => quote!(Ok::<_, smithgen_runtime::xml::DeserializeError>(Default::default())),
        }
    })
}

/// The key and value functions of a map read (for `read_map` and `read_entry`).
fn map_fns(view: &ServiceView<'_>, symbols: &Symbols, map: &Shape) -> (TokenStream, TokenStream) {
    let (key, val) = map.map_members().expect("validated map");
    let key_shape = view.model.target(key);
    let key_fn = if key_shape.is_string_enum() {
        let ty = symbols.type_path(&key_shape.id);
        quote!(|key: &str| #ty::from(key))
    } else {
        quote!(str::to_owned)
    };
    let item = read_value(view, symbols, Some(val), view.model.target(val), quote!(e));
    let item = if map.traits.has(trait_ids::SPARSE) {
        quote!(#item.map(Some))
    } else {
        item
    };
    (
        key_fn,
        quote!(|e: &smithgen_runtime::xml::XmlElement| #item),
    )
}

/// The read of a scalar from `v` (an `XmlValue`), `None` for aggregates.
fn scalar_read(
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
    v: TokenStream,
) -> Option<TokenStream> {
    Some(match target.kind {
        ShapeType::Enum => {
            let ty = symbols.type_path(&target.id);
            quote!(Ok::<_, smithgen_runtime::xml::DeserializeError>(#ty::from(#v.text())))
        }
        ShapeType::String if target.is_string_enum() => {
            let ty = symbols.type_path(&target.id);
            quote!(Ok::<_, smithgen_runtime::xml::DeserializeError>(#ty::from(#v.text())))
        }
        ShapeType::String => quote!(#v.string()),
        ShapeType::IntEnum => {
            let ty = symbols.type_path(&target.id);
            quote!(#v.i32().map(#ty::from))
        }
        ShapeType::Boolean => quote!(#v.bool()),
        ShapeType::Byte => quote!(#v.i8()),
        ShapeType::Short => quote!(#v.i16()),
        ShapeType::Integer => quote!(#v.i32()),
        ShapeType::Long => quote!(#v.i64()),
        ShapeType::Float => quote!(#v.f32()),
        ShapeType::Double => quote!(#v.f64()),
        ShapeType::BigInteger => quote!(#v.big_integer()),
        ShapeType::BigDecimal => quote!(#v.big_decimal()),
        ShapeType::Timestamp => {
            let format = super::timestamp_format(member, target, "date-time");
            quote!(#v.timestamp(#format))
        }
        ShapeType::Blob => quote!(#v.blob()),
        _ => return None,
    })
}

/// The element names a member is read from: its name, and for an error's message both
/// spellings (`<Message>` is what AWS sends).
fn member_names<'m>(shape: &Shape, member: &'m Member) -> Vec<&'m str> {
    let name = member_name(member);
    if shape.is_error() && member.name.eq_ignore_ascii_case("message") && name == member.name {
        vec!["message", "Message"]
    } else {
        vec![name]
    }
}

impl XmlCodec {
    /// Whether `member` of `shape` is read from the XML body.
    fn in_body(&self, view: &ServiceView<'_>, shape: &Shape, member: &Member) -> bool {
        let streamed = view.model.target(member).traits.has(trait_ids::STREAMING)
            || member.traits.has("smithy.api#eventHeader")
            || member.traits.has("smithy.api#eventPayload");
        let bound = self.http_bindings && super::json_codec::is_http_bound(view, shape, member);
        !streamed && !bound
    }

    /// `XmlRead` for a structure or union the client receives; nothing otherwise.
    pub fn read_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        shape: &Shape,
    ) -> TokenStream {
        if !view.received.contains(&shape.id) {
            return TokenStream::new();
        }
        let name = ident(symbols.type_name(&shape.id));
        let body = match shape.kind {
            ShapeType::Structure => self.structure(view, symbols, shape),
            ShapeType::Union => union(view, symbols, shape),
            _ => return TokenStream::new(),
        };
        quote! {
            impl smithgen_runtime::xml::XmlRead for #name {
                fn read_xml(
                    element: &smithgen_runtime::xml::XmlElement,
                ) -> Result<Self, smithgen_runtime::xml::DeserializeError> {
                    #body
                }
            }
        }
    }

    fn structure(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let names = symbols.member_names(&shape.id);
        let mut arms = Vec::new();
        let mut attributes = Vec::new();
        let mut locals = Vec::new();
        let mut fills = Vec::new();
        let mut taken: Vec<&str> = Vec::new();
        for (i, member) in shape.members.iter().enumerate() {
            if !self.in_body(view, shape, member) {
                continue;
            }
            let field = snake_ident(&names.fields[i]);
            let local = ident(&format!("v_{}", names.fields[i]));
            let target = view.model.target(member);
            let boxed = symbols.is_boxed(&shape.id, &member.name);
            let boxing = |read: TokenStream| {
                if boxed {
                    quote!(#read.map(Box::new))
                } else {
                    read
                }
            };
            let presence = presence(view, shape, member);
            // How a read value is stored.
            let store = |read: TokenStream| match &presence {
                Presence::Optional => quote!(out.#field = Some(#read?);),
                Presence::Required | Presence::Default(None) => quote!(out.#field = #read?;),
                Presence::Default(Some(_)) => quote!(#local = Some(#read?);),
            };
            if let Presence::Default(Some(expr)) = &presence {
                let filled = crate::emit::types::fill_default(quote!(#local), expr);
                locals.push(quote!(let mut #local = None;));
                fills.push(quote!(out.#field = #filled;));
            }
            if member.traits.has(XML_ATTRIBUTE) {
                let attribute = member_name(member);
                if let Some(read) = scalar_read(symbols, Some(member), target, quote!(v)) {
                    let store = store(boxing(read));
                    attributes.push(quote! {
                        if let Some(v) = element.attribute_value(#attribute) {
                            #store
                        }
                    });
                }
                continue;
            }
            let flattened = member.traits.has(XML_FLATTENED)
                && matches!(target.kind, ShapeType::List | ShapeType::Map);
            let statement = if flattened {
                // Each element is one item (or entry), added to what was read so far.
                let slot = match &presence {
                    Presence::Optional => {
                        let empty = if target.kind == ShapeType::List {
                            quote!(Vec::new)
                        } else {
                            quote!(std::collections::HashMap::new)
                        };
                        quote!(out.#field.get_or_insert_with(#empty))
                    }
                    // A place expression: `push` takes it by `&mut` itself.
                    _ => quote!(out.#field),
                };
                let map_slot = match &presence {
                    Presence::Optional => slot.clone(),
                    _ => quote!(&mut #slot),
                };
                if target.kind == ShapeType::List {
                    let item_member = target.list_member().expect("validated list");
                    let item = read_value(
                        view,
                        symbols,
                        Some(item_member),
                        view.model.target(item_member),
                        quote!(child),
                    );
                    let item = if target.traits.has(trait_ids::SPARSE) {
                        quote!(Some(#item?))
                    } else {
                        quote!(#item?)
                    };
                    quote!(#slot.push(#item);)
                } else {
                    let (key_fn, value_fn) = map_fns(view, symbols, target);
                    let (key_name, value_name) = map_entry_names(target);
                    quote! {
                        smithgen_runtime::xml::read_entry(child, #key_name, #value_name, #map_slot, #key_fn, #value_fn)?;
                    }
                }
            } else {
                store(boxing(read_value(
                    view,
                    symbols,
                    Some(member),
                    target,
                    quote!(child),
                )))
            };
            let patterns: Vec<&str> = member_names(shape, member)
                .into_iter()
                .filter(|n| !taken.contains(n))
                .collect();
            if patterns.is_empty() {
                continue;
            }
            taken.extend(&patterns);
            arms.push((quote!(#(#patterns)|*), statement));
        }
        let extra = if crate::emit::types::has_query_error_code(view, shape) {
            quote!(query_error_code: None,)
        } else {
            TokenStream::new()
        };
        if shape.members.is_empty() {
            return quote! {
                let _ = element;
                Ok(Self { #extra })
            };
        }
        if arms.is_empty() && attributes.is_empty() {
            // Every member is bound to the HTTP message.
            return quote! {
                let _ = element;
                Ok(Self::default())
            };
        }
        let children = match arms.as_slice() {
            [] => None,
            // One member: a test, not a `match` of one arm.
            [(pattern, statement)] => Some(quote! {
                for child in element.children() {
                    if matches!(child.local_name(), #pattern) {
                        #statement
                    }
                }
            }),
            _ => {
                let arms = arms.iter().map(|(pattern, statement)| {
                    quote! {
                        #pattern => {
                            #statement
                        }
                    }
                });
                Some(quote! {
                    for child in element.children() {
                        match child.local_name() {
                            #(#arms)*
                            _ => {}
                        }
                    }
                })
            }
        };
        quote! {
            let mut out = Self::default();
            #(#locals)*
            #children
            #(#attributes)*
            #(#fills)*
            Ok(out)
        }
    }
}

fn union(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let names = symbols.member_names(&shape.id);
    let mut arms = Vec::new();
    let mut taken: Vec<&str> = Vec::new();
    for (i, member) in shape.members.iter().enumerate() {
        let variant = ident(&names.fields[i]);
        let name = member_name(member);
        if taken.contains(&name) {
            continue;
        }
        taken.push(name);
        if member.target.as_str() == crate::model::UNIT {
            arms.push(quote!(#name => Self::#variant,));
            continue;
        }
        let target = view.model.target(member);
        let mut read = if member.traits.has(XML_FLATTENED) && target.kind == ShapeType::List {
            // One element of a flattened list is a list of one.
            let item_member = target.list_member().expect("validated list");
            let item = read_value(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
                quote!(child),
            );
            if target.traits.has(trait_ids::SPARSE) {
                quote!(#item.map(|item| vec![Some(item)]))
            } else {
                quote!(#item.map(|item| vec![item]))
            }
        } else {
            read_value(view, symbols, Some(member), target, quote!(child))
        };
        if symbols.is_boxed(&shape.id, &member.name) {
            read = quote!(#read.map(Box::new));
        }
        arms.push(quote!(#name => Self::#variant(#read?),));
    }
    quote! {
        // Exactly one member should be set; the last one wins, and a member this model does
        // not know becomes `Unknown`.
        let mut value = Self::Unknown;
        for child in element.children() {
            value = match child.local_name() {
                #(#arms)*
                _ => Self::Unknown,
            };
        }
        Ok(value)
    }
}

/// The trait `@xmlNamespace`.
pub const XML_NAMESPACE: &str = "smithy.api#xmlNamespace";

/// The `(prefix, uri)` of an `@xmlNamespace`, as an expression of type
/// `Option<(Option<&str>, &str)>`.
pub fn namespace_expr(traits: &crate::model::Traits) -> TokenStream {
    match namespace_of(traits) {
        Some((prefix, uri)) => {
            let prefix = match prefix {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            quote!(Some((#prefix, #uri)))
        }
        None => quote!(None),
    }
}

fn namespace_of(traits: &crate::model::Traits) -> Option<(Option<&str>, &str)> {
    let ns = traits.get(XML_NAMESPACE)?;
    let uri = ns.get("uri").and_then(|v| v.as_str())?;
    Some((ns.get("prefix").and_then(|v| v.as_str()), uri))
}

/// `w.namespace(..);` for a member with `@xmlNamespace` (a shape's own namespace counts only
/// on the document's root element).
fn declare_namespace(member: Option<&Member>) -> TokenStream {
    match member.and_then(|m| namespace_of(&m.traits)) {
        Some((Some(prefix), uri)) => quote!(w.namespace(Some(#prefix), #uri);),
        Some((None, uri)) => quote!(w.namespace(None, #uri);),
        None => TokenStream::new(),
    }
}

/// The text of a scalar `v` (a `&T`) as an expression usable as `&str`, for attributes.
fn scalar_text(member: &Member, target: &Shape, v: TokenStream) -> Option<TokenStream> {
    Some(match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(#v.as_str()),
        ShapeType::Enum | ShapeType::BigInteger | ShapeType::BigDecimal => quote!(#v.as_str()),
        ShapeType::String => quote!(#v.as_str()),
        ShapeType::IntEnum => quote!(&#v.as_i32().to_string()),
        ShapeType::Boolean
        | ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long => quote!(&#v.to_string()),
        ShapeType::Float => quote!(&smithgen_runtime::xml::float_text(f64::from(*#v))),
        ShapeType::Double => quote!(&smithgen_runtime::xml::float_text(*#v)),
        ShapeType::Timestamp => {
            let format = super::timestamp_format(Some(member), target, "date-time");
            quote!(&smithgen_runtime::xml::timestamp_text(#v, #format))
        }
        ShapeType::Blob => quote!(&smithgen_runtime::xml::base64_text(#v.as_ref())),
        _ => return None,
    })
}

/// Statements writing the content of `value` (a `&T` of shape `target`) into the element just
/// opened, with `w` the writer.
fn write_content(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
    value: TokenStream,
) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(w.text(#value.as_str());),
        ShapeType::Enum | ShapeType::BigInteger | ShapeType::BigDecimal => {
            quote!(w.text(#value.as_str());)
        }
        ShapeType::String => quote!(w.text(#value);),
        ShapeType::IntEnum => quote!(w.i64(i64::from(#value.as_i32()));),
        ShapeType::Boolean => quote!(w.bool(*#value);),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
            quote!(w.i64(i64::from(*#value));)
        }
        ShapeType::Long => quote!(w.i64(*#value);),
        ShapeType::Float => quote!(w.f32(*#value);),
        ShapeType::Double => quote!(w.f64(*#value);),
        ShapeType::Timestamp => {
            let format = super::timestamp_format(member, target, "date-time");
            quote!(w.timestamp(#value, #format);)
        }
        ShapeType::Blob => quote!(w.blob(#value.as_ref());),
        ShapeType::List => {
            let item_member = target.list_member().expect("validated list");
            let item_name = list_item_name(target);
            let item = write_element(
                view,
                symbols,
                Some(item_member),
                item_name,
                view.model.target(item_member),
                quote!(item),
            );
            let item = super::skip_unset(target, item);
            quote! {
                for item in #value.iter() {
                    #item
                }
            }
        }
        ShapeType::Map => {
            let entry = map_entry(view, symbols, target);
            quote! {
                for (key, item) in smithgen_runtime::xml::sorted_entries(#value, |k| k.as_str()) {
                    w.start("entry");
                    #entry
                    w.end();
                }
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            quote!(smithgen_runtime::xml::XmlWrite::write_xml(#value, w);)
        }
        // Documents have no XML form.
        ShapeType::Document | ShapeType::Service | ShapeType::Operation | ShapeType::Resource => {
            TokenStream::new()
        }
    }
}

/// The key and value elements of one map entry (`key`, `item` in scope).
fn map_entry(view: &ServiceView<'_>, symbols: &Symbols, map: &Shape) -> TokenStream {
    let (key_member, value_member) = map.map_members().expect("validated map");
    let (key_name, value_name) = map_entry_names(map);
    let key_ns = declare_namespace(Some(key_member));
    let value = write_element(
        view,
        symbols,
        Some(value_member),
        value_name,
        view.model.target(value_member),
        quote!(item),
    );
    let value = super::skip_unset(map, value);
    quote! {
        w.start(#key_name);
        #key_ns
        w.text(key.as_str());
        w.end();
        #value
    }
}

/// Statements writing `value` as the element `name` (its member's namespace declared).
fn write_element(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    name: &str,
    target: &Shape,
    value: TokenStream,
) -> TokenStream {
    let ns = declare_namespace(member);
    let content = write_content(view, symbols, member, target, value);
    quote! {
        w.start(#name);
        #ns
        #content
        w.end();
    }
}

/// Statements writing a structure or union member's `value`: one element, or with
/// `@xmlFlattened` one element per list item or map entry, each named as the member.
fn write_member(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: &Member,
    target: &Shape,
    value: TokenStream,
) -> TokenStream {
    let name = member_name(member);
    let flattened = member.traits.has(XML_FLATTENED);
    match target.kind {
        ShapeType::List if flattened => {
            let item_member = target.list_member().expect("validated list");
            let ns = declare_namespace(Some(member));
            let content = write_content(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
                quote!(item),
            );
            let item = super::skip_unset(
                target,
                quote! {
                    w.start(#name);
                    #ns
                    #content
                    w.end();
                },
            );
            quote! {
                for item in #value.iter() {
                    #item
                }
            }
        }
        ShapeType::Map if flattened => {
            let ns = declare_namespace(Some(member));
            let entry = map_entry(view, symbols, target);
            quote! {
                for (key, item) in smithgen_runtime::xml::sorted_entries(#value, |k| k.as_str()) {
                    w.start(#name);
                    #ns
                    #entry
                    w.end();
                }
            }
        }
        _ => write_element(view, symbols, Some(member), name, target, value),
    }
}

impl XmlCodec {
    /// `XmlWrite` for a structure or union the client sends; nothing otherwise. Attributes are
    /// written before child elements; members bound to the HTTP message are left out of
    /// top-level inputs (restXml).
    pub fn write_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        shape: &Shape,
    ) -> TokenStream {
        if !view.sent.contains(&shape.id)
            || !matches!(shape.kind, ShapeType::Structure | ShapeType::Union)
        {
            return TokenStream::new();
        }
        let names = symbols.member_names(&shape.id);
        let body = match shape.kind {
            ShapeType::Structure => {
                let mut attributes = Vec::new();
                let mut elements = Vec::new();
                for (i, member) in shape.members.iter().enumerate() {
                    if !self.in_body(view, shape, member) {
                        continue;
                    }
                    let field = snake_ident(&names.fields[i]);
                    let target = view.model.target(member);
                    let write = if member.traits.has(XML_ATTRIBUTE) {
                        let Some(text) = scalar_text(member, target, quote!(value)) else {
                            continue;
                        };
                        let name = member_name(member);
                        quote!(w.attribute(#name, #text);)
                    } else {
                        write_member(view, symbols, member, target, quote!(value))
                    };
                    let statement = match presence(view, shape, member) {
                        Presence::Optional => quote! {
                            if let Some(value) = &self.#field {
                                #write
                            }
                        },
                        _ => quote! {
                            {
                                let value = &self.#field;
                                #write
                            }
                        },
                    };
                    if member.traits.has(XML_ATTRIBUTE) {
                        attributes.push(statement);
                    } else {
                        elements.push(statement);
                    }
                }
                if attributes.is_empty() && elements.is_empty() {
                    quote!(let _ = w;)
                } else {
                    quote!(#(#attributes)* #(#elements)*)
                }
            }
            ShapeType::Union => {
                let mut arms = Vec::new();
                for (i, member) in shape.members.iter().enumerate() {
                    let variant = ident(&names.fields[i]);
                    let name = member_name(member);
                    if member.target.as_str() == crate::model::UNIT {
                        arms.push(quote!(Self::#variant => {
                            w.start(#name);
                            w.end();
                        }));
                        continue;
                    }
                    let target = view.model.target(member);
                    let write = write_member(view, symbols, member, target, quote!(value));
                    arms.push(quote!(Self::#variant(value) => { #write }));
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
        let name = ident(symbols.type_name(&shape.id));
        quote! {
            impl smithgen_runtime::xml::XmlWrite for #name {
                fn write_xml(&self, w: &mut smithgen_runtime::xml::XmlWriter) {
                    #body
                }
            }
        }
    }
}
