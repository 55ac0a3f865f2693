//! Smithy protocol compliance tests (`smithy.test#httpRequestTests`, `smithy.test#httpResponseTests`)
//! as Rust tests of a generated client.
//!
//! Each client-side case (`appliesTo` absent or `client`) of the service's protocol becomes one
//! `#[tokio::test]`: request cases build the input from `params` through the client's fluent
//! builder, send it through the real client stack to a capturing HTTP client and check the
//! request; response cases answer a call with the case's response and compare the typed output
//! (or typed error) with `params`, built through the generated builders.

use std::collections::{BTreeSet, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::{client::method_name, doc_attrs, operations::error_variants, types};
use crate::model::{Diagnostic, Diagnostics, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, to_snake, Symbols};

/// Cases smithgen skips, with the reason each is skipped: the only place a case may be skipped.
/// Keyed by case id (ids are unique across the compliance suites).
pub const SKIPPED: &[(&str, &str)] = &[];

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// The protocol trait of a service that smithgen generates a client for.
pub fn service_protocol(service: &Shape) -> Option<&'static str> {
    [
        "aws.protocols#awsJson1_0",
        "aws.protocols#awsJson1_1",
        "aws.protocols#restJson1",
        "aws.protocols#restXml",
        "aws.protocols#awsQuery",
        "aws.protocols#ec2Query",
    ]
    .into_iter()
    .find(|p| service.traits.has(p))
}

/// How many cases of one service became tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Request cases emitted.
    pub requests: usize,
    /// Response cases emitted (outputs and errors).
    pub responses: usize,
    /// Of those, the cases marked `#[ignore]`, with their ids and reasons.
    pub skipped: Vec<(String, String)>,
}

struct Case<'m> {
    json: &'m Value,
    operation: &'m Shape,
    /// For a response case attached to an error shape: the error.
    error: Option<&'m Shape>,
    /// Where the case came from, for errors.
    origin: &'m Shape,
    index: usize,
    request: bool,
}

impl Case<'_> {
    fn id(&self) -> &str {
        self.json.get("id").and_then(Value::as_str).unwrap_or("")
    }
    fn str(&self, key: &str) -> Option<&str> {
        self.json.get(key).and_then(Value::as_str)
    }
    fn strings(&self, key: &str) -> Vec<&str> {
        self.json
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
    fn pairs(&self, key: &str) -> Vec<(&str, &str)> {
        self.json
            .get(key)
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                    .collect()
            })
            .unwrap_or_default()
    }
    fn path(&self) -> String {
        let key = if self.request {
            REQUEST_TESTS
        } else {
            RESPONSE_TESTS
        };
        format!(
            "$.shapes[\"{}\"].traits[\"{key}\"][{}]",
            self.origin.id.as_str(),
            self.index
        )
    }
}

/// The client-side cases of the service's protocol, in operation then error order.
fn collect_cases<'m>(view: &ServiceView<'m>, protocol: &str) -> Vec<Case<'m>> {
    let applies = |c: &Value| {
        c.get("protocol").and_then(Value::as_str) == Some(protocol)
            && c.get("appliesTo").and_then(Value::as_str) != Some("server")
    };
    let mut cases = Vec::new();
    for op in &view.operations {
        for (key, request) in [(REQUEST_TESTS, true), (RESPONSE_TESTS, false)] {
            let list = op.traits.get(key).and_then(Value::as_array);
            for (index, json) in list.into_iter().flatten().enumerate() {
                if applies(json) {
                    cases.push(Case {
                        json,
                        operation: op,
                        error: None,
                        origin: op,
                        index,
                        request,
                    });
                }
            }
        }
    }
    for shape in view.shapes().filter(|s| s.is_error()) {
        let list = shape.traits.get(RESPONSE_TESTS).and_then(Value::as_array);
        let Some(list) = list else { continue };
        // The first operation (by name) that can return the error answers with it.
        let Some(op) = view
            .operations
            .iter()
            .find(|op| view.operation_errors(op).iter().any(|e| e.id == shape.id))
        else {
            continue;
        };
        for (index, json) in list.iter().enumerate() {
            if applies(json) {
                cases.push(Case {
                    json,
                    operation: op,
                    error: Some(shape),
                    origin: shape,
                    index,
                    request: false,
                });
            }
        }
    }
    cases
}

/// Emits the tests of one service: a file that refers to the service's generated code as
/// `service` (`use my_crate::my_service as service;` goes before it).
pub fn emit_tests(
    view: &ServiceView<'_>,
    symbols: &Symbols,
) -> Result<(TokenStream, Summary), Diagnostics> {
    let mut summary = Summary::default();
    let Some(protocol) = service_protocol(view.service) else {
        return Ok((TokenStream::new(), summary));
    };
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    let mut request_names = HashSet::new();
    let mut response_names = HashSet::new();
    let mut problems = Vec::new();
    for case in collect_cases(view, protocol) {
        let result = if case.request {
            request_test(view, symbols, &case, &mut request_names)
        } else {
            response_test(view, symbols, &case, &mut response_names)
        };
        let test = match result {
            Ok(test) => test,
            Err(message) => {
                problems.push(Diagnostic::shape(
                    &case.origin.file,
                    case.origin.id.as_str(),
                    None,
                    case.path(),
                    format!("protocol test `{}`: {message}", case.id()),
                ));
                continue;
            }
        };
        let skip = SKIPPED.iter().find(|(id, _)| *id == case.id());
        let ignore = match skip {
            Some((id, reason)) => {
                summary
                    .skipped
                    .push(((*id).to_owned(), (*reason).to_owned()));
                quote!(#[ignore = #reason])
            }
            None => TokenStream::new(),
        };
        let docs = case.str("documentation").map(doc_attrs).unwrap_or_default();
        let test = quote! {
            #docs
            #[tokio::test]
            #ignore
            #test
        };
        if case.request {
            summary.requests += 1;
            requests.push(test);
        } else {
            summary.responses += 1;
            responses.push(test);
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let tokens = quote! {
        /// `smithy.test#httpRequestTests`: requests built from `params` and checked on the wire.
        mod request {
            #[allow(unused_imports)]
            use super::service::{self, types};
            #(#requests)*
        }
        /// `smithy.test#httpResponseTests`: responses read into typed outputs and errors.
        mod response {
            #[allow(unused_imports)]
            use super::service::{self, types};
            #(#responses)*
        }
    };
    Ok((tokens, summary))
}

fn test_name(case: &Case<'_>, taken: &mut HashSet<String>) -> proc_macro2::Ident {
    let mut name = to_snake(case.id());
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "case_");
    }
    let base = name.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    snake_ident(&name)
}

/// The client configuration: the case's `host` and the `region` of its `vendorParams`. A case
/// that configures an AWS client (`scopedConfig` in its `vendorParams`) of a service with
/// endpoint rules resolves its endpoint through them, as a real client would: its `host` is
/// then what they resolve for the region (S3's addressing cases).
fn client_setup(view: &ServiceView<'_>, case: &Case<'_>, http: TokenStream) -> TokenStream {
    let host = match case.str("host") {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    };
    // `region` (the legacy form) or, with `vendorParamsShape: aws.protocoltests.config#AwsConfig`,
    // the client's or the environment's region in `scopedConfig`.
    let vendor = case.json.get("vendorParams");
    let region = [
        "/region",
        "/scopedConfig/client/region",
        "/scopedConfig/environment/AWS_DEFAULT_REGION",
    ]
    .iter()
    .find_map(|pointer| vendor?.pointer(pointer)?.as_str())
    .map(|r| quote!(.region(#r)));
    // S3's settings, the operation's over the client's: the endpoint rules' parameters.
    let mut s3 = TokenStream::new();
    for scope in ["client", "operation"] {
        let Some(settings) = vendor
            .and_then(|v| v.pointer(&format!("/scopedConfig/{scope}/s3")))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (key, value) in settings {
            s3.extend(match (key.as_str(), value) {
                ("addressing_style", Value::String(style)) if style != "auto" => {
                    let path = style == "path";
                    quote!(.endpoint_param("ForcePathStyle", #path))
                }
                ("use_accelerate_endpoint", Value::Bool(on)) => {
                    quote!(.endpoint_param("Accelerate", #on))
                }
                ("use_dualstack_endpoint", Value::Bool(on)) => quote!(.use_dual_stack(#on)),
                _ => TokenStream::new(),
            });
        }
    }
    let by_rules = view.service.traits.has("smithy.rules#endpointRuleSet")
        && vendor.is_some_and(|v| v.get("scopedConfig").is_some());
    let config = if by_rules {
        quote!(http.config_by_rules())
    } else {
        quote!(http.config(#host))
    };
    quote! {
        let http = #http;
        let client = service::client::Client::new(#config #region #s3 .build());
    }
}

fn request_test(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    case: &Case<'_>,
    taken: &mut HashSet<String>,
) -> Result<TokenStream, String> {
    let name = test_name(case, taken);
    let method = snake_ident(&method_name(symbols, case.operation));
    let mut setters = TokenStream::new();
    if let Some(params) = case
        .json
        .get("params")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty())
    {
        let input = input_shape(view, case.operation)
            .ok_or("`params` are given but the operation has no input")?;
        setters = setter_calls(view, symbols, input, params, &mut Ctx::default(), true)?;
    }
    let strs = |key: &str| {
        let items = case.strings(key);
        quote!(&[#(#items),*])
    };
    let headers = case
        .pairs("headers")
        .into_iter()
        .map(|(k, v)| quote!((#k, #v)));
    let query = strs("queryParams");
    let forbid_query = strs("forbidQueryParams");
    let require_query = strs("requireQueryParams");
    let forbid_headers = strs("forbidHeaders");
    let require_headers = strs("requireHeaders");
    let method_str = case.str("method").unwrap_or("");
    let uri = case.str("uri").unwrap_or("");
    let resolved_host = option_str(case.str("resolvedHost"));
    let body = match case.str("body") {
        Some(b) => {
            let bytes = Literal::byte_string(b.as_bytes());
            quote!(Some(#bytes))
        }
        None => quote!(None),
    };
    let media_type = option_str(case.str("bodyMediaType"));
    let mut unordered = BTreeSet::new();
    if let Some(input) = input_shape(view, case.operation) {
        map_entry_elements(view, input, &mut HashSet::new(), &mut unordered);
    }
    let unordered = unordered.iter();
    let setup = client_setup(
        view,
        case,
        quote!(smithgen_runtime::protocol_test::CaptureClient::new()),
    );
    Ok(quote! {
        async fn #name() {
            #setup
            // The response is not this case's concern: only the request is checked.
            let result = client.#method() #setters .send().await;
            let Some(request) = http.last_request() else {
                panic!("the client sent no request: {:?}", result.err());
            };
            smithgen_runtime::protocol_test::assert_request(
                &request,
                &smithgen_runtime::protocol_test::ExpectedRequest {
                    method: #method_str,
                    uri: #uri,
                    query_params: #query,
                    forbid_query_params: #forbid_query,
                    require_query_params: #require_query,
                    headers: &[#(#headers),*],
                    forbid_headers: #forbid_headers,
                    require_headers: #require_headers,
                    resolved_host: #resolved_host,
                    body: #body,
                    body_media_type: #media_type,
                    unordered: &[#(#unordered),*],
                },
            );
        }
    })
}

/// The XML element names of the map entries reachable from `shape` (`entry`, or a flattened
/// map's member name): their order in a body carries no meaning.
fn map_entry_elements<'m>(
    view: &ServiceView<'m>,
    shape: &'m Shape,
    seen: &mut HashSet<&'m str>,
    out: &mut BTreeSet<String>,
) {
    if !seen.insert(shape.id.as_str()) {
        return;
    }
    let members: Vec<&crate::model::Member> = match shape.kind {
        ShapeType::Structure | ShapeType::Union => shape.members.iter().collect(),
        ShapeType::List => shape.list_member().into_iter().collect(),
        ShapeType::Map => shape.map_members().map(|(_, v)| v).into_iter().collect(),
        _ => Vec::new(),
    };
    for member in members {
        let target = view.model.target(member);
        if target.kind == ShapeType::Map {
            if member
                .traits
                .has(crate::emit::protocol::xml_codec::XML_FLATTENED)
            {
                out.insert(crate::emit::protocol::xml_codec::member_name(member).to_owned());
            } else {
                out.insert("entry".to_owned());
            }
        }
        map_entry_elements(view, target, seen, out);
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn input_shape<'m>(view: &ServiceView<'m>, op: &Shape) -> Option<&'m Shape> {
    io_shape(view, op.relations.input.as_ref())
}

fn io_shape<'m>(view: &ServiceView<'m>, id: Option<&crate::model::ShapeId>) -> Option<&'m Shape> {
    id.filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()))
}

fn response_test(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    case: &Case<'_>,
    taken: &mut HashSet<String>,
) -> Result<TokenStream, String> {
    let name = test_name(case, taken);
    let status = case
        .json
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .ok_or("`code` is missing or not an HTTP status")?;
    let headers = case
        .pairs("headers")
        .into_iter()
        .map(|(k, v)| quote!((#k, #v)));
    let body = Literal::byte_string(case.str("body").unwrap_or("").as_bytes());
    let setup = client_setup(
        view,
        case,
        quote!(smithgen_runtime::protocol_test::CaptureClient::replying(#status, &[#(#headers),*], #body)),
    );
    let names = symbols.operation(&case.operation.id);
    let op_module = snake_ident(&names.module);
    let op_type = ident(&names.type_name);
    let empty = serde_json::Map::new();
    let params = case
        .json
        .get("params")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let input = match input_shape(view, case.operation) {
        Some(shape) => placeholder_input(view, symbols, shape),
        None => quote!(()),
    };
    let call = quote! {
        // The input does not matter to a response case; the default is sent as is.
        let result = client
            .handle()
            .invoke::<service::operation::#op_module::#op_type>(Ok(#input))
            .await;
    };
    let output = io_shape(view, case.operation.relations.output.as_ref());
    if case.error.is_none() && output.is_none() {
        return Ok(quote! {
            async fn #name() {
                #setup
                #call
                if let Err(e) = result {
                    panic!("the response did not parse as the (empty) output: {e:?}");
                }
            }
        });
    }
    let mut ctx = Ctx::default();
    let (actual, expected) = match case.error {
        None => {
            let actual = quote! {
                let actual = match result {
                    Ok(response) => response.into_inner(),
                    Err(e) => panic!("the response did not parse as the output: {e:?}"),
                };
            };
            let output = output.ok_or("the operation has no output")?;
            let expected = structure_value(view, symbols, output, params, &mut ctx)?;
            (actual, expected)
        }
        Some(error) => {
            let errors = view.operation_errors(case.operation);
            let variants = error_variants(view, &errors);
            let index = errors
                .iter()
                .position(|e| e.id == error.id)
                .ok_or("the error is not one of the operation's")?;
            let variant = ident(&variants[index]);
            let error_enum = ident(&names.error);
            let code = case
                .json
                .get("vendorParams")
                .and_then(|v| v.get("code"))
                .and_then(Value::as_str);
            let mut actual = quote! {
                let error = match result {
                    Err(e) => e.into_service_error().unwrap_or_else(|| panic!("expected a service error")),
                    Ok(response) => panic!("expected an error, got {:?}", response.output()),
                };
                let actual = match error {
                    service::operation::#op_module::#error_enum::#variant(e) => e,
                    other => panic!("expected the `{}` error, got {other:?}", stringify!(#variant)),
                };
            };
            if let Some(code) = code {
                actual.extend(quote! {
                    assert_eq!(actual.code(), #code, "the error's code");
                });
            }
            let mut expected = structure_value(view, symbols, error, params, &mut ctx)?;
            if types::has_query_error_code(view, error) {
                // Set from `x-amzn-query-error`, which `params` do not cover (checked above).
                expected = quote! {{
                    let mut expected = #expected;
                    expected.query_error_code = actual.query_error_code.clone();
                    expected
                }};
            }
            (actual, expected)
        }
    };
    let compare = if ctx.has_nan {
        quote! {
            // NaN is not equal to itself under `PartialEq`; the protocol tests say it is.
            assert!(
                smithgen_runtime::protocol_test::debug_equal(&actual, &expected),
                "output differs:\n  got: {actual:?}\n want: {expected:?}"
            );
        }
    } else {
        quote!(assert_eq!(actual, expected);)
    };
    Ok(quote! {
        async fn #name() {
            #setup
            #call
            #actual
            let expected = #expected;
            #compare
        }
    })
}

/// The input a response case sends: the default, with every path or host label set to a
/// placeholder (an empty label could not be sent).
fn placeholder_input(view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
    let ty = symbols.type_path(&shape.id);
    let names = symbols.member_names(&shape.id);
    let mut sets = TokenStream::new();
    for (i, member) in shape.members.iter().enumerate() {
        if !(member.traits.has("smithy.api#httpLabel") || member.traits.has("smithy.api#hostLabel"))
        {
            continue;
        }
        let field = snake_ident(&names.fields[i]);
        let target = view.model.target(member);
        let value = match target.kind {
            ShapeType::String if !target.is_string_enum() => quote!(String::from("label")),
            ShapeType::String | ShapeType::Enum => {
                let ety = symbols.type_path(&target.id);
                quote!(#ety::from("label"))
            }
            _ => quote!(Default::default()),
        };
        let value = match types::presence(view, shape, member) {
            types::Presence::Optional => quote!(Some(#value)),
            _ => value,
        };
        sets.extend(quote!(input.#field = #value;));
    }
    if sets.is_empty() {
        return quote!(Default::default());
    }
    quote! {{
        let mut input = #ty::default();
        #sets
        input
    }}
}

#[derive(Default)]
struct Ctx {
    has_nan: bool,
}

/// A structure built through its builder from a `params` object.
fn structure_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    params: &serde_json::Map<String, Value>,
    ctx: &mut Ctx,
) -> Result<TokenStream, String> {
    let ty = symbols.type_path(&shape.id);
    let setters = setter_calls(view, symbols, shape, params, ctx, false)?;
    let build = if types::builder_is_fallible(view, shape) {
        quote!(.build().expect("the test case gives every required member"))
    } else {
        quote!(.build())
    };
    Ok(quote!(#ty::builder() #setters #build))
}

/// `.set_x(Some(value))` for each member given in `params` (a builder's or, for the operation's
/// input, the fluent builder's setters, which have the same names). `input` words errors for
/// the top level of `params`.
fn setter_calls(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    shape: &Shape,
    params: &serde_json::Map<String, Value>,
    ctx: &mut Ctx,
    input: bool,
) -> Result<TokenStream, String> {
    let names = symbols.member_names(&shape.id);
    let mut setters = TokenStream::new();
    for (key, value) in params {
        if value.is_null() {
            continue;
        }
        let Some((i, member)) = shape
            .members
            .iter()
            .enumerate()
            .find(|(_, m)| &m.name == key)
        else {
            return Err(if input {
                format!("the input has no member `{key}`")
            } else {
                format!("`{}` has no member `{key}`", shape.id.name())
            });
        };
        let expr = member_value(view, symbols, shape, member, value, ctx).map_err(|e| {
            if input {
                format!("params.{key}: {e}")
            } else {
                format!("{key}: {e}")
            }
        })?;
        let set = snake_ident(&names.option_setters[i]);
        setters.extend(quote!(.#set(Some(#expr))));
    }
    Ok(setters)
}

/// A member's value, boxed when the member breaks a cycle.
fn member_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    parent: &Shape,
    member: &crate::model::Member,
    value: &Value,
    ctx: &mut Ctx,
) -> Result<TokenStream, String> {
    let expr = value_expr(view, symbols, view.model.target(member), value, ctx)?;
    Ok(if symbols.is_boxed(&parent.id, &member.name) {
        quote!(Box::new(#expr))
    } else {
        expr
    })
}

fn value_expr(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    target: &Shape,
    value: &Value,
    ctx: &mut Ctx,
) -> Result<TokenStream, String> {
    let kind = target.kind;
    let mismatch = || {
        format!(
            "{value} is not a value of {} `{}`",
            kind.as_str(),
            target.id
        )
    };
    Ok(match kind {
        ShapeType::Structure if target.id.as_str() == crate::model::UNIT => quote!(()),
        ShapeType::Structure => {
            let object = value.as_object().ok_or_else(mismatch)?;
            structure_value(view, symbols, target, object, ctx)?
        }
        ShapeType::Union => {
            let object = value.as_object().ok_or_else(mismatch)?;
            let (key, inner) = object
                .iter()
                .find(|(_, v)| !v.is_null())
                .ok_or("a union value needs one member set")?;
            let index = target
                .members
                .iter()
                .position(|m| &m.name == key)
                .ok_or_else(|| format!("`{}` has no member `{key}`", target.id.name()))?;
            let variant = ident(&symbols.member_names(&target.id).fields[index]);
            let ty = symbols.type_path(&target.id);
            if target.members[index].target.as_str() == crate::model::UNIT {
                quote!(#ty::#variant)
            } else {
                let expr = member_value(view, symbols, target, &target.members[index], inner, ctx)?;
                quote!(#ty::#variant(#expr))
            }
        }
        ShapeType::List => {
            let items = value.as_array().ok_or_else(mismatch)?;
            let member = target.list_member().ok_or_else(mismatch)?;
            let sparse = target.traits.has(crate::model::trait_ids::SPARSE);
            let item_target = view.model.target(member);
            let mut exprs = Vec::new();
            for item in items {
                exprs.push(match (sparse, item.is_null()) {
                    (true, true) => quote!(None),
                    (true, false) => {
                        let e = value_expr(view, symbols, item_target, item, ctx)?;
                        quote!(Some(#e))
                    }
                    (false, _) => value_expr(view, symbols, item_target, item, ctx)?,
                });
            }
            quote!(vec![#(#exprs),*])
        }
        ShapeType::Map => {
            let entries = value.as_object().ok_or_else(mismatch)?;
            let (key_member, value_member) = target.map_members().ok_or_else(mismatch)?;
            let sparse = target.traits.has(crate::model::trait_ids::SPARSE);
            let key_target = view.model.target(key_member);
            let value_target = view.model.target(value_member);
            let mut pairs = Vec::new();
            for (k, v) in entries {
                let key = value_expr(view, symbols, key_target, &Value::String(k.clone()), ctx)?;
                let val = match (sparse, v.is_null()) {
                    (true, true) => quote!(None),
                    (true, false) => {
                        let e = value_expr(view, symbols, value_target, v, ctx)?;
                        quote!(Some(#e))
                    }
                    (false, _) => value_expr(view, symbols, value_target, v, ctx)?,
                };
                pairs.push(quote!((#key, #val)));
            }
            quote!([#(#pairs),*].into_iter().collect::<std::collections::HashMap<_, _>>())
        }
        ShapeType::String if target.is_string_enum() => {
            let s = value.as_str().ok_or_else(mismatch)?;
            let ty = symbols.type_path(&target.id);
            quote!(#ty::from(#s))
        }
        ShapeType::Enum => {
            let s = value.as_str().ok_or_else(mismatch)?;
            let ty = symbols.type_path(&target.id);
            quote!(#ty::from(#s))
        }
        ShapeType::IntEnum => {
            let n = value
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(mismatch)?;
            let ty = symbols.type_path(&target.id);
            let lit = Literal::i32_suffixed(n);
            quote!(#ty::from(#lit))
        }
        ShapeType::String => {
            let s = value.as_str().ok_or_else(mismatch)?;
            quote!(String::from(#s))
        }
        ShapeType::Boolean => {
            let b = value.as_bool().ok_or_else(mismatch)?;
            quote!(#b)
        }
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long => {
            let n = value.as_i64().ok_or_else(mismatch)?;
            let lit = match kind {
                ShapeType::Byte => Literal::i8_suffixed(i8::try_from(n).map_err(|_| mismatch())?),
                ShapeType::Short => {
                    Literal::i16_suffixed(i16::try_from(n).map_err(|_| mismatch())?)
                }
                ShapeType::Integer => {
                    Literal::i32_suffixed(i32::try_from(n).map_err(|_| mismatch())?)
                }
                _ => Literal::i64_suffixed(n),
            };
            quote!(#lit)
        }
        ShapeType::Float | ShapeType::Double => {
            let single = kind == ShapeType::Float;
            let ty = if single { quote!(f32) } else { quote!(f64) };
            match value {
                Value::String(s) => match s.as_str() {
                    "NaN" => {
                        ctx.has_nan = true;
                        quote!(#ty::NAN)
                    }
                    "Infinity" => quote!(#ty::INFINITY),
                    "-Infinity" => quote!(#ty::NEG_INFINITY),
                    _ => return Err(mismatch()),
                },
                _ => {
                    let f = value.as_f64().ok_or_else(mismatch)?;
                    if single {
                        let lit = Literal::f32_suffixed(f as f32);
                        quote!(#lit)
                    } else {
                        let lit = Literal::f64_suffixed(f);
                        quote!(#lit)
                    }
                }
            }
        }
        ShapeType::BigInteger | ShapeType::BigDecimal => {
            let text = match value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(mismatch()),
            };
            let ty = symbols.rust_type(view, target);
            quote!(#text.parse::<#ty>().expect("a valid number"))
        }
        ShapeType::Timestamp => match value {
            Value::Number(n) if n.as_i64().is_some() => {
                let secs = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
                quote!(smithgen_runtime::DateTime::from_secs(#secs))
            }
            Value::Number(n) => {
                let secs = Literal::f64_suffixed(n.as_f64().ok_or_else(mismatch)?);
                quote!(smithgen_runtime::DateTime::from_fractional_secs(#secs).expect("in range"))
            }
            _ => return Err(mismatch()),
        },
        ShapeType::Blob => {
            let s = value.as_str().ok_or_else(mismatch)?;
            let bytes = Literal::byte_string(s.as_bytes());
            if target.traits.has(crate::model::trait_ids::STREAMING) {
                quote!(smithgen_runtime::ByteStream::from(#bytes.to_vec()))
            } else {
                quote!(smithgen_runtime::Blob::new(#bytes.to_vec()))
            }
        }
        ShapeType::Document => document_expr(value),
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => return Err(mismatch()),
    })
}

fn document_expr(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(smithgen_runtime::Document::Null),
        Value::Bool(b) => quote!(smithgen_runtime::Document::Bool(#b)),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let lit = Literal::i64_suffixed(i);
                quote!(smithgen_runtime::Document::from(#lit))
            }
            (None, Some(f)) => {
                let lit = Literal::f64_suffixed(f);
                quote!(smithgen_runtime::Document::from(#lit))
            }
            (None, None) => {
                let text = n.to_string();
                quote!(smithgen_runtime::Document::from(#text.parse::<f64>().expect("a number")))
            }
        },
        Value::String(s) => quote!(smithgen_runtime::Document::String(String::from(#s))),
        Value::Array(items) => {
            let items = items.iter().map(document_expr);
            quote!(smithgen_runtime::Document::Array(vec![#(#items),*]))
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = document_expr(v);
                quote!((#k, #v))
            });
            quote!(smithgen_runtime::protocol_test::document_object([#(#entries),*]))
        }
    }
}
