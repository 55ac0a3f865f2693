//! The HTTP binding traits, shared by restJson1 and restXml: each operation implements
//! `WireOperation` with a request built from `@http` (method, path labels, literal query),
//! `@httpQuery`/`@httpQueryParams`, `@httpHeader`/`@httpPrefixHeaders` and the body
//! (`@httpPayload`, else the body members in the protocol's format), and a response read from
//! the status (`@httpResponseCode`), headers and body. What differs between the protocols (how
//! a body is written and read, and the runtime module the code names `wire`) is a [`Body`].

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::types::{presence, Presence};
use crate::model::{trait_ids, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// The body format of a REST protocol.
pub trait Body {
    /// The runtime module the operation code imports as `wire`: the shared HTTP helpers plus
    /// `error_meta`, `read_modeled_error` and the format's own.
    fn wire_module(&self) -> TokenStream;
    /// Statements binding `body: Vec<u8>` and `content_type: Option<&str>` to the body members
    /// of `input` (a `&Input` in scope as `input`).
    fn write_members(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        input: &Shape,
    ) -> TokenStream;
    /// The bytes (an expression of type `Vec<u8>` over `v`, a `&T`) and default content type of
    /// a structure, union or document payload.
    fn write_payload(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        member: &Member,
        target: &Shape,
    ) -> (TokenStream, &'static str);
    /// What an unset structure payload sends: an expression of type `(Vec<u8>, Option<&str>)`.
    fn unset_structure(&self) -> TokenStream;
    /// An expression of type `Result<T, DeserializeError>` reading the body members of the
    /// structure `ty` (the output of `operation`) from `body` (a blank body sets none).
    fn read_members(
        &self,
        view: &ServiceView<'_>,
        operation: &Shape,
        ty: &TokenStream,
    ) -> TokenStream;
    /// An expression of type `Result<T, DeserializeError>` reading a structure, union or
    /// document payload of shape `target` from `body`.
    fn read_payload(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        target: &Shape,
    ) -> TokenStream;
    /// Statements run once the request's `headers` and `body` are built (`input` in scope):
    /// what SDKs add for one service.
    fn customize(
        &self,
        view: &ServiceView<'_>,
        input: Option<&Shape>,
        payload: Option<usize>,
    ) -> TokenStream;
    /// The `@http` URI the request is built from (a service's SDKs may move a label out of it).
    fn uri_template(&self, _view: &ServiceView<'_>, _operation: &Shape, uri: String) -> String {
        uri
    }
    /// A boolean expression over `body`: whether a `2xx` response is an error all the same.
    fn error_in_success(&self, _view: &ServiceView<'_>, _operation: &Shape) -> Option<TokenStream> {
        None
    }
    /// How event stream messages carry structures.
    fn event_payloads(&self) -> super::event_stream::Payloads;
    /// Whether a header-bound output member that does not parse is left unset rather than
    /// failing the response (a header the service passes through unchecked).
    fn lenient_header(&self, _view: &ServiceView<'_>, _shape: &Shape, _member: &Member) -> bool {
        false
    }
    /// More items of the operation's `WireOperation` impl.
    fn operation_items(&self, _view: &ServiceView<'_>, _operation: &Shape) -> TokenStream {
        TokenStream::new()
    }
}

/// Amazon Glacier, whose SDK customizations (a version header, `-` for an unset account id,
/// checksum headers on uploads) every AWS SDK applies.
pub const GLACIER: &str = "com.amazonaws.glacier#Glacier";

/// Where a value goes: it decides the default timestamp format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Location {
    Label,
    Query,
    Header,
}

fn http_trait(operation: &Shape) -> (String, String) {
    let http = operation.traits.get("smithy.api#http");
    let method = http
        .and_then(|h| h.get("method"))
        .and_then(|v| v.as_str())
        .unwrap_or("POST")
        .to_owned();
    let uri = http
        .and_then(|h| h.get("uri"))
        .and_then(|v| v.as_str())
        .unwrap_or("/")
        .to_owned();
    (method, uri)
}

/// The timestamp format of an HTTP-bound value: `http-date` in headers, `date-time` in labels
/// and query strings, unless the model says otherwise.
fn timestamp_format(member: &Member, target: &Shape, location: Location) -> TokenStream {
    let default = match location {
        Location::Header => "http-date",
        _ => "date-time",
    };
    super::timestamp_format(Some(member), target, default)
}

fn media_type(member: &Member, target: &Shape) -> Option<String> {
    member
        .traits
        .get("smithy.api#mediaType")
        .or_else(|| target.traits.get("smithy.api#mediaType"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// `uri.push_str(literal)`, or `uri.push(c)` for one character, or nothing.
fn push_literal(literal: &str) -> TokenStream {
    let mut chars = literal.chars();
    match (chars.next(), chars.next()) {
        (None, _) => TokenStream::new(),
        (Some(c), None) => quote!(uri.push(#c);),
        _ => quote!(uri.push_str(#literal);),
    }
}

/// An expression usable as `&str` for the value `v` (a `&T`): borrowed for strings and enums,
/// a reference to the formatted text otherwise.
fn text_ref(member: &Member, target: &Shape, v: TokenStream, location: Location) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(#v.as_str()),
        ShapeType::Enum => quote!(#v.as_str()),
        ShapeType::String
            if location != Location::Header || media_type(member, target).is_none() =>
        {
            quote!(#v.as_str())
        }
        _ => {
            let text = text_expr(member, target, v, location);
            quote!(&#text)
        }
    }
}

/// An expression of type `String`: the value `v` (a `&T`) of a label, query parameter or header.
/// May use `?` (in a function returning `Result<_, String>`) for timestamps out of range.
fn text_expr(member: &Member, target: &Shape, v: TokenStream, location: Location) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(#v.as_str().to_owned()),
        ShapeType::Enum => quote!(#v.as_str().to_owned()),
        ShapeType::String
            if location == Location::Header && media_type(member, target).is_some() =>
        {
            quote!(wire::base64_text(#v.as_bytes()))
        }
        ShapeType::String => quote!(#v.clone()),
        ShapeType::IntEnum => quote!(#v.as_i32().to_string()),
        ShapeType::Float => quote!(wire::f32_text(*#v)),
        ShapeType::Double => quote!(wire::float_text(*#v)),
        ShapeType::BigInteger | ShapeType::BigDecimal => quote!(#v.as_str().to_owned()),
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target, location);
            let name = member.name.as_str();
            quote!(wire::timestamp_text(#v, #format).map_err(|e| format!("`{}`: {e}", #name))?)
        }
        ShapeType::Blob => quote!(wire::base64_text(#v.as_ref())),
        _ => quote!(#v.to_string()),
    }
}

/// Runs `body` with `v` bound to a `&T` of the member's value when it is set.
fn with_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    index: usize,
    base: &TokenStream,
    body: TokenStream,
) -> TokenStream {
    let member = &shape.members[index];
    let field = snake_ident(&symbols.member_names(&shape.id).fields[index]);
    match presence(view, shape, member) {
        Presence::Optional => quote! {
            if let Some(v) = &#base.#field {
                #body
            }
        },
        _ => quote! {
            {
                let v = &#base.#field;
                #body
            }
        },
    }
}

/// An expression of type `Result<T, DeserializeError>` parsing the header text `v` (a `&str`)
/// named `name` as a value of `target`.
fn parse_expr(
    symbols: &Symbols,
    member: &Member,
    target: &Shape,
    name: &str,
    v: TokenStream,
) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => {
            let ty = symbols.type_path(&target.id);
            quote!(Ok::<_, smithgen_runtime::json::DeserializeError>(#ty::from(#v)))
        }
        ShapeType::Enum => {
            let ty = symbols.type_path(&target.id);
            quote!(Ok::<_, smithgen_runtime::json::DeserializeError>(#ty::from(#v)))
        }
        ShapeType::String if media_type(member, target).is_some() => {
            quote!(wire::parse_base64_text_header(#name, #v))
        }
        ShapeType::String => {
            quote!(Ok::<_, smithgen_runtime::json::DeserializeError>(#v.to_owned()))
        }
        ShapeType::IntEnum => {
            let ty = symbols.type_path(&target.id);
            quote!(wire::parse_header::<i32>(#name, #v, "an integer").map(#ty::from))
        }
        ShapeType::Boolean => quote!(wire::parse_header::<bool>(#name, #v, "`true` or `false`")),
        ShapeType::Byte => quote!(wire::parse_header::<i8>(#name, #v, "an integer in -128..=127")),
        ShapeType::Short => quote!(wire::parse_header::<i16>(#name, #v, "a 16-bit integer")),
        ShapeType::Integer => quote!(wire::parse_header::<i32>(#name, #v, "a 32-bit integer")),
        ShapeType::Long => quote!(wire::parse_header::<i64>(#name, #v, "a 64-bit integer")),
        ShapeType::Float => quote!(wire::parse_float_header(#name, #v).map(|f| f as f32)),
        ShapeType::Double => quote!(wire::parse_float_header(#name, #v)),
        ShapeType::BigInteger => {
            quote!(wire::parse_header::<smithgen_runtime::BigInteger>(#name, #v, "an integer"))
        }
        ShapeType::BigDecimal => {
            quote!(wire::parse_header::<smithgen_runtime::BigDecimal>(#name, #v, "a number"))
        }
        ShapeType::Timestamp => {
            let format = timestamp_format(member, target, Location::Header);
            quote!(wire::parse_timestamp_header(#name, #v, #format))
        }
        ShapeType::Blob => quote!(wire::parse_base64_header(#name, #v)),
        _ => {
            quote!(Err::<(), _>(wire::header_error(#name, #v, "a value smithgen can read from a header")))
        }
    }
}

fn is_http_date_list(target: &Shape, view: &ServiceView<'_>) -> bool {
    let Some(item) = target.list_member() else {
        return false;
    };
    let item_target = view.model.target(item);
    item_target.kind == ShapeType::Timestamp
        && timestamp_format(item, item_target, Location::Header)
            .to_string()
            .contains("HttpDate")
}

/// Statements reading the header-bound members of `shape` into `base` from `headers`;
/// `strict`: a header that does not parse fails the response (else it is ignored, for errors),
/// except for the members `lenient` names.
fn header_reads(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    base: &TokenStream,
    strict: bool,
    lenient: &dyn Fn(&Shape, &Member) -> bool,
) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, member) in shape.members.iter().enumerate() {
        let target = view.model.target(member);
        if let Some(name) = member
            .traits
            .get("smithy.api#httpHeader")
            .and_then(|v| v.as_str())
        {
            let parsed = if target.kind == ShapeType::List {
                let item_member = target.list_member().expect("validated list");
                let item_target = view.model.target(item_member);
                let item = parse_expr(
                    symbols,
                    item_member,
                    item_target,
                    name,
                    quote!(item.as_str()),
                );
                let split = if is_http_date_list(target, view) {
                    quote!(wire::split_http_dates(&v))
                } else {
                    quote!(wire::split_header_list(&v))
                };
                quote!(#split.iter().map(|item| #item).collect::<Result<Vec<_>, _>>())
            } else {
                parse_expr(symbols, member, target, name, quote!(v.as_str()))
            };
            let store = super::assign(view, symbols, shape, i, base, quote!(value));
            let handle = if strict && !lenient(shape, member) {
                quote!(let value = #parsed.map_err(wire::ResponseError::Deserialize)?; #store)
            } else {
                quote!(if let Ok(value) = #parsed { #store })
            };
            // A member with a default the header did not give gets it, as a body member would.
            let absent = match presence(view, shape, member) {
                Presence::Default(Some(expr)) => {
                    let store = super::assign(view, symbols, shape, i, base, expr);
                    quote!(else { #store })
                }
                _ => TokenStream::new(),
            };
            out.extend(quote! {
                if let Some(v) = wire::header_value(headers, #name) {
                    #handle
                } #absent
            });
        } else if let Some(prefix) = member
            .traits
            .get("smithy.api#httpPrefixHeaders")
            .and_then(|v| v.as_str())
        {
            // Values are strings or enums (read from their text).
            let value_enum = target
                .map_members()
                .map(|(_, v)| view.model.target(v))
                .filter(|v| v.kind == ShapeType::Enum || v.is_string_enum());
            let map = match value_enum {
                Some(e) => {
                    let ty = symbols.type_path(&e.id);
                    quote!(map.into_iter().map(|(k, v)| (k, #ty::from(v.as_str()))).collect())
                }
                None => quote!(map),
            };
            let store = super::assign(view, symbols, shape, i, base, map);
            // Set even when no header has the prefix: the map of those headers is empty.
            out.extend(quote! {
                let map = wire::prefix_headers(headers, #prefix);
                #store
            });
        } else if member.traits.has("smithy.api#httpResponseCode") {
            let store = super::assign(view, symbols, shape, i, base, quote!(i32::from(status)));
            out.extend(store);
        }
    }
    out
}

fn error_payload_member(shape: &Shape) -> Option<usize> {
    shape
        .members
        .iter()
        .position(|m| m.traits.has("smithy.api#httpPayload"))
}

/// Statements filling an error's `@httpPayload` member from `body` (tolerantly: a payload that
/// does not read leaves it unset, and the error is still the modeled one).
fn error_payload(
    format: &dyn Body,
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
) -> TokenStream {
    let Some(i) = error_payload_member(shape) else {
        return TokenStream::new();
    };
    let target = view.model.target(&shape.members[i]);
    if target.kind == ShapeType::Blob {
        let store = super::assign(
            view,
            symbols,
            shape,
            i,
            &quote!(error),
            quote!(smithgen_runtime::Blob::new(body.to_vec())),
        );
        return quote! {
            if !body.is_empty() {
                #store
            }
        };
    }
    let value = match target.kind {
        ShapeType::String if !target.is_string_enum() => quote!(String::from_utf8(body.to_vec())),
        ShapeType::String | ShapeType::Enum => {
            let ety = symbols.type_path(&target.id);
            quote!(std::str::from_utf8(body).map(#ety::from))
        }
        _ => format.read_payload(view, symbols, target),
    };
    let store = super::assign(view, symbols, shape, i, &quote!(error), quote!(value));
    quote! {
        if !body.is_empty() {
            if let Ok(value) = #value {
                #store
            }
        }
    }
}

fn serialize(
    format: &dyn Body,
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
    let (method, uri) = http_trait(operation);
    let uri = format.uri_template(view, operation, uri);
    let input = operation
        .relations
        .input
        .as_ref()
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()));
    let base = quote!(input);
    let (path, literal_query) = match uri.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (uri.clone(), None),
    };
    // The path: literal text and labels.
    let mut path_code = TokenStream::new();
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        let literal = &rest[..open];
        path_code.extend(push_literal(literal));
        let after = &rest[open + 1..];
        let close = after.find('}').unwrap_or(after.len());
        let label = &after[..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let found = input.and_then(|shape| {
            shape
                .members
                .iter()
                .position(|m| m.name == name)
                .map(|i| (shape, i))
        });
        if let Some((shape, i)) = found {
            let member = &shape.members[i];
            let target = view.model.target(member);
            let text = text_expr(member, target, quote!(v), Location::Label);
            let field = snake_ident(&symbols.member_names(&shape.id).fields[i]);
            let value = match presence(view, shape, member) {
                Presence::Optional
                    if view.service.id.as_str() == GLACIER && name == "accountId" =>
                {
                    quote!(match &input.#field {
                        Some(v) if !v.is_empty() => Some(v.clone()),
                        _ => Some("-".to_owned()),
                    })
                }
                _ if view.service.id.as_str() == GLACIER && name == "accountId" => {
                    quote!(Some(if input.#field.is_empty() {
                        "-".to_owned()
                    } else {
                        input.#field.clone()
                    }))
                }
                // A timestamp's text can fail (`?`): no closure then.
                Presence::Optional if target.kind == ShapeType::Timestamp => {
                    quote!(match &input.#field { Some(v) => Some(#text), None => None })
                }
                // A string goes as it is, without a copy.
                Presence::Optional
                    if target.kind == ShapeType::String && !target.is_string_enum() =>
                {
                    path_code.extend(quote! {
                        wire::push_label(&mut uri, #name, input.#field.as_deref(), #greedy)?;
                    });
                    rest = after.get(close + 1..).unwrap_or("");
                    continue;
                }
                Presence::Optional => quote!(input.#field.as_ref().map(|v| #text)),
                _ => quote!({ let v = &input.#field; Some(#text) }),
            };
            path_code.extend(quote! {
                let label: Option<String> = #value;
                wire::push_label(&mut uri, #name, label.as_deref(), #greedy)?;
            });
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    path_code.extend(push_literal(rest));
    let mut query_code = TokenStream::new();
    if let Some(q) = &literal_query {
        query_code.extend(quote!(query.push_literal(#q);));
    }
    let mut header_code = TokenStream::new();
    let mut explicit_query_keys = Vec::new();
    let mut query_params = Vec::new();
    let mut payload = None;
    let mut has_body_members = false;
    if let Some(shape) = input {
        for (i, member) in shape.members.iter().enumerate() {
            let target = view.model.target(member);
            let traits = &member.traits;
            if let Some(key) = traits.get("smithy.api#httpQuery").and_then(|v| v.as_str()) {
                explicit_query_keys.push(key.to_owned());
                let body = if target.kind == ShapeType::List {
                    let item_member = target.list_member().expect("validated list");
                    let item_target = view.model.target(item_member);
                    let text = text_ref(item_member, item_target, quote!(item), Location::Query);
                    quote!(for item in v.iter() { query.push(#key, #text); })
                } else {
                    let text = text_ref(member, target, quote!(v), Location::Query);
                    quote!(query.push(#key, #text);)
                };
                query_code.extend(with_value(view, symbols, shape, i, &base, body));
            } else if traits.has("smithy.api#httpQueryParams") {
                query_params.push(i);
            } else if let Some(name) = traits.get("smithy.api#httpHeader").and_then(|v| v.as_str())
            {
                let body = if target.kind == ShapeType::List {
                    let item_member = target.list_member().expect("validated list");
                    let item_target = view.model.target(item_member);
                    let text = text_expr(item_member, item_target, quote!(item), Location::Header);
                    let item = if item_target.kind == ShapeType::Timestamp {
                        text
                    } else {
                        let text =
                            text_ref(item_member, item_target, quote!(item), Location::Header);
                        quote!(wire::header_item(#text))
                    };
                    quote! {
                        let mut items: Vec<String> = Vec::with_capacity(v.len());
                        for item in v.iter() {
                            items.push(#item);
                        }
                        headers.push((#name.to_owned(), items.join(", ")));
                    }
                } else {
                    let text = text_expr(member, target, quote!(v), Location::Header);
                    quote!(headers.push((#name.to_owned(), #text));)
                };
                header_code.extend(with_value(view, symbols, shape, i, &base, body));
            } else if let Some(prefix) = traits
                .get("smithy.api#httpPrefixHeaders")
                .and_then(|v| v.as_str())
            {
                // A member bound to a header by name wins over the same name in the map.
                let explicit: Vec<String> = shape
                    .members
                    .iter()
                    .filter_map(|m| m.traits.get("smithy.api#httpHeader")?.as_str())
                    .map(str::to_ascii_lowercase)
                    .collect();
                let sparse = target.traits.has(trait_ids::SPARSE);
                let push = quote!(headers.push((name, AsRef::<str>::as_ref(value).to_owned()));
                );
                let push = if sparse {
                    quote!(if let Some(value) = value { #push })
                } else {
                    push
                };
                let body = quote! {
                    for (k, value) in wire::sorted_entries(v) {
                        let name = format!("{}{}", #prefix, AsRef::<str>::as_ref(k));
                        if ![#(#explicit),*].contains(&name.to_ascii_lowercase().as_str()) {
                            #push
                        }
                    }
                };
                header_code.extend(with_value(view, symbols, shape, i, &base, body));
            } else if traits.has("smithy.api#httpPayload") {
                payload = Some(i);
            } else if !traits.has("smithy.api#httpLabel") {
                has_body_members = true;
            }
        }
        for i in query_params {
            let map = view.model.target(&shape.members[i]);
            let sparse = map.traits.has(trait_ids::SPARSE);
            let values_are_lists = map
                .map_members()
                .is_some_and(|(_, v)| view.model.target(v).kind == ShapeType::List);
            // Keys and values are strings or enums: `AsRef<str>` serves both.
            let push = if values_are_lists {
                quote! {
                    for item in value.iter() {
                        query.push(key, AsRef::<str>::as_ref(item));
                    }
                }
            } else {
                quote!(query.push(key, AsRef::<str>::as_ref(value));)
            };
            let push = if sparse {
                quote!(if let Some(value) = value { #push })
            } else {
                push
            };
            let body = quote! {
                for (k, value) in wire::sorted_entries(v) {
                    let key: &str = AsRef::<str>::as_ref(k);
                    // An `@httpQuery` member's key wins over the same key in the map.
                    if ![#(#explicit_query_keys),*].contains(&key) {
                        #push
                    }
                }
            };
            query_code.extend(with_value(view, symbols, shape, i, &base, body));
        }
    }
    let body_code = match (input, payload) {
        (Some(shape), Some(i)) => {
            let member = &shape.members[i];
            let target = view.model.target(member);
            let media = media_type(member, target);
            let (bytes, content_type) = match target.kind {
                // An event stream's messages are the body, sent by the client as
                // `input_events` yields them.
                ShapeType::Union if target.traits.has(trait_ids::STREAMING) => (
                    quote!({
                        let _ = v;
                        Vec::new()
                    }),
                    "application/vnd.amazon.eventstream".into(),
                ),
                // A stream in memory is the body here; any other goes as `input_stream`.
                ShapeType::Blob if is_streaming(target) => (
                    quote!(v.bytes().map(<[u8]>::to_vec).unwrap_or_default()),
                    media.unwrap_or_else(|| "application/octet-stream".into()),
                ),
                ShapeType::Blob => (
                    quote!(v.as_ref().to_vec()),
                    media.unwrap_or_else(|| "application/octet-stream".into()),
                ),
                ShapeType::String if !target.is_string_enum() => (
                    quote!(v.as_bytes().to_vec()),
                    media.unwrap_or_else(|| "text/plain".into()),
                ),
                ShapeType::String | ShapeType::Enum => (
                    quote!(v.as_str().as_bytes().to_vec()),
                    media.unwrap_or_else(|| "text/plain".into()),
                ),
                _ => {
                    let (bytes, default) = format.write_payload(view, symbols, member, target);
                    (bytes, media.unwrap_or_else(|| default.into()))
                }
            };
            // A structure is written even when unset as the format says (JSON: `{}`); an
            // unset union, which would have no member, sends no body.
            let unset = if target.kind == ShapeType::Structure {
                format.unset_structure()
            } else {
                quote!((Vec::new(), None))
            };
            let field = snake_ident(&symbols.member_names(&shape.id).fields[i]);
            let value = match presence(view, shape, member) {
                Presence::Optional => quote! {
                    match &input.#field {
                        Some(v) => (#bytes, Some(#content_type)),
                        None => #unset,
                    }
                },
                _ => quote! {{
                    let v = &input.#field;
                    (#bytes, Some(#content_type))
                }},
            };
            quote! {
                let (body, content_type): (Vec<u8>, Option<&str>) = #value;
            }
        }
        (Some(shape), None) if has_body_members => format.write_members(view, symbols, shape),
        _ => quote! {
            let body = Vec::new();
            let content_type: Option<&str> = None;
        },
    };
    let customizations = format.customize(view, input, payload);
    let host_prefix = match super::host_prefix_expr(view, symbols, operation) {
        Some((expr, _)) => quote!(Some(#expr)),
        None => quote!(None),
    };
    let input_ty = match input {
        Some(shape) => symbols.type_path(&shape.id),
        None => quote!(()),
    };
    let uses_input = input.is_some();
    let arg = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let method = method.to_ascii_uppercase();
    quote! {
        #[allow(unused_mut, unused_variables)]
        fn serialize_request(#arg: &#input_ty) -> Result<wire::HttpRequest, String> {
            let mut uri = String::new();
            #path_code
            let mut query = wire::Query::new();
            #query_code
            query.write_to(&mut uri);
            let mut headers: Vec<(String, String)> = Vec::new();
            #header_code
            #body_code
            #customizations
            if let Some(content_type) = content_type {
                if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                    headers.push(("Content-Type".to_owned(), content_type.to_owned()));
                }
            }
            Ok(wire::HttpRequest {
                method: #method,
                path: uri,
                host_prefix: #host_prefix,
                endpoint_url: None,
                headers,
                body,
            })
        }
    }
}

fn parse(
    format: &dyn Body,
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
    let names = symbols.operation(&operation.id);
    let error = ident(&names.error);
    let output = operation
        .relations
        .output
        .as_ref()
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()));
    let read_error = super::read_error_match(
        view,
        symbols,
        operation,
        &|e| {
            let mut bind = header_reads(view, symbols, e, &quote!(error), false, &|_, _| true);
            bind.extend(error_payload(format, view, symbols, e));
            bind
        },
        &|e| {
            // An error whose body is a payload member starts empty: the body is that member.
            error_payload_member(e).map(|_| {
                let ty = symbols.type_path(&e.id);
                quote!(Ok::<#ty, smithgen_runtime::UnhandledError>(<#ty>::default()))
            })
        },
    );
    let success = match output {
        None => quote!(Ok(())),
        Some(shape) => {
            let ty = symbols.type_path(&shape.id);
            let payload = shape
                .members
                .iter()
                .position(|m| m.traits.has("smithy.api#httpPayload"));
            let lenient = |s: &Shape, m: &Member| format.lenient_header(view, s, m);
            let headers_code = header_reads(view, symbols, shape, &quote!(out), true, &lenient);
            // Nothing to add to what the body held: `out` stays as read.
            let mutability = if headers_code.is_empty() {
                TokenStream::new()
            } else {
                quote!(mut)
            };
            let read_body = match payload {
                None => {
                    let read = format.read_members(view, operation, &ty);
                    quote! {
                        let #mutability out = #read.map_err(wire::ResponseError::Deserialize)?;
                    }
                }
                // An event stream is not in `body`: `attach_stream` sets it.
                Some(i)
                    if crate::symbols::is_event_stream_output(
                        view,
                        shape,
                        view.model.target(&shape.members[i]),
                    ) =>
                {
                    quote!(let #mutability out = <#ty>::default();)
                }
                Some(i) => {
                    let member = &shape.members[i];
                    let target = view.model.target(member);
                    let value = match target.kind {
                        ShapeType::Blob if is_streaming(target) => {
                            quote!(smithgen_runtime::ByteStream::from(body.to_vec()))
                        }
                        ShapeType::Blob => quote!(smithgen_runtime::Blob::new(body.to_vec())),
                        ShapeType::String if !target.is_string_enum() => {
                            quote!(wire::body_text(body).map_err(wire::ResponseError::Deserialize)?)
                        }
                        ShapeType::String | ShapeType::Enum => {
                            let ety = symbols.type_path(&target.id);
                            quote!(#ety::from(wire::body_text(body).map_err(wire::ResponseError::Deserialize)?.as_str()))
                        }
                        _ => {
                            let read = format.read_payload(view, symbols, target);
                            quote!(#read.map_err(wire::ResponseError::Deserialize)?)
                        }
                    };
                    let store = super::assign(view, symbols, shape, i, &quote!(out), value);
                    // A blob or text payload is whatever arrived (whitespace included);
                    // a JSON one is absent when the body is blank.
                    let absent = if matches!(
                        target.kind,
                        ShapeType::Blob | ShapeType::String | ShapeType::Enum
                    ) {
                        quote!(body.is_empty())
                    } else {
                        quote!(wire::is_blank(body))
                    };
                    quote! {
                        let mut out = <#ty>::default();
                        if !#absent {
                            #store
                        }
                    }
                }
            };
            quote! {
                #read_body
                #headers_code
                Ok(out)
            }
        }
    };
    let output_ty = match output {
        Some(shape) => symbols.type_path(&shape.id),
        None => quote!(()),
    };
    let also_error = format
        .error_in_success(view, operation)
        .map(|test| quote!(|| #test));
    quote! {
        #[allow(unused_variables, clippy::field_reassign_with_default)]
        fn parse_response(
            status: u16,
            headers: &[(String, String)],
            body: &[u8],
        ) -> Result<#output_ty, wire::ResponseError<#error>> {
            if !(200..300).contains(&status) #also_error {
                let meta = wire::error_meta(status, headers, body);
                let meta = &meta;
                return Err(wire::ResponseError::Service(#read_error));
            }
            #success
        }
    }
}

/// The `WireOperation` impl (and `ErrorFields`) of one operation, its bodies in `format`.
pub fn operation_impls(
    format: &dyn Body,
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
    let names = symbols.operation(&operation.id);
    let marker = ident(&names.type_name);
    let variants = crate::emit::operations::error_variants(view, &view.operation_errors(operation));
    let error_fields = super::error_fields_impl(view, &names.error, &variants);
    let serialize = serialize(format, view, symbols, operation);
    let parse = parse(format, view, symbols, operation);
    let streams = streaming_impls(format, view, symbols, operation);
    let mut items = format.operation_items(view, operation);
    items.extend(super::checksum_items(view, symbols, operation));
    let compression = super::compression_const(operation);
    let auth = super::auth_const(view, operation);
    let checksum = operation
        .traits
        .has("smithy.api#httpChecksumRequired")
        .then(|| {
            quote!(
                const CHECKSUM_REQUIRED: bool = true;
            )
        });
    quote! {
        #error_fields

        impl smithgen_runtime::protocol::WireOperation for #marker {
            #compression
            #checksum
            #auth
            #items
            #serialize
            #streams
            #parse
        }
    }
}

/// Whether the operation's output has a `@streaming` payload or an event stream (a body not
/// read before the output is handed over).
pub fn has_streaming_output(view: &ServiceView<'_>, operation: &Shape) -> bool {
    streaming_payload(view, operation.relations.output.as_ref()).is_some()
        || super::event_stream::output_member(view, operation).is_some()
}

/// Whether a payload's target is a `@streaming` blob (a `ByteStream`).
fn is_streaming(target: &Shape) -> bool {
    target.kind == ShapeType::Blob && target.traits.has(crate::model::trait_ids::STREAMING)
}

/// The operation's structure `relation` (input or output) and its `@streaming` blob payload
/// member, when it has one.
fn streaming_payload<'m>(
    view: &ServiceView<'m>,
    relation: Option<&crate::model::ShapeId>,
) -> Option<(&'m Shape, usize)> {
    payload_where(view, relation, |_, target| is_streaming(target))
}

/// The operation's structure `relation` and its `@httpPayload` member, when `wanted` says yes
/// to the structure and the member's target.
fn payload_where<'m>(
    view: &ServiceView<'m>,
    relation: Option<&crate::model::ShapeId>,
    wanted: impl Fn(&Shape, &Shape) -> bool,
) -> Option<(&'m Shape, usize)> {
    let shape = relation
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()))?;
    let i = shape.members.iter().position(|m| {
        m.traits.has("smithy.api#httpPayload") && wanted(shape, view.model.target(m))
    })?;
    Some((shape, i))
}

/// `input_stream` for an input whose payload is a `@streaming` blob (the body when it is not
/// in memory, its length checked for `@requiresLength`), `STREAMING_OUTPUT` and
/// `attach_stream` for such an output.
fn streaming_impls(
    format: &dyn Body,
    view: &ServiceView<'_>,
    symbols: &Symbols,
    operation: &Shape,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some((shape, i)) = streaming_payload(view, operation.relations.input.as_ref()) {
        let member = &shape.members[i];
        let field = snake_ident(&symbols.member_names(&shape.id).fields[i]);
        let ty = symbols.type_path(&shape.id);
        let check = view
            .model
            .target(member)
            .traits
            .has("smithy.api#requiresLength")
            .then(|| {
                let message = format!(
                    "`{}` must have a known length (its shape has @requiresLength): use \
                     ByteStream::from_path, bytes in memory, or ByteStream::with_length",
                    symbols.member_names(&shape.id).fields[i]
                );
                quote! {
                    if stream.length().is_none() {
                        return Err(#message.to_owned());
                    }
                }
            });
        let stream = match presence(view, shape, member) {
            Presence::Optional => quote! {
                let Some(stream) = &input.#field else {
                    return Ok(None);
                };
            },
            _ => quote!(let stream = &input.#field;),
        };
        out.extend(quote! {
            fn input_stream(input: &#ty) -> Result<Option<smithgen_runtime::ByteStream>, String> {
                #stream
                // In memory, it is already the request's body.
                if stream.bytes().is_some() {
                    return Ok(None);
                }
                #check
                Ok(Some(stream.clone()))
            }
        });
    }
    if let Some((shape, i)) = super::event_stream::input_member(view, operation) {
        out.extend(super::event_stream::input_impls(
            view,
            symbols,
            shape,
            i,
            format.event_payloads(),
        ));
    }
    if let Some((shape, i)) = super::event_stream::output_member(view, operation) {
        out.extend(super::event_stream::output_impls(
            view,
            symbols,
            shape,
            i,
            format.event_payloads(),
            false,
        ));
    }
    if let Some((shape, i)) = streaming_payload(view, operation.relations.output.as_ref()) {
        let ty = symbols.type_path(&shape.id);
        let store = super::assign(view, symbols, shape, i, &quote!(output), quote!(body));
        out.extend(quote! {
            const STREAMING_OUTPUT: bool = true;

            fn attach_stream(output: &mut #ty, body: smithgen_runtime::ByteStream) {
                #store
            }
        });
    }
    out
}
