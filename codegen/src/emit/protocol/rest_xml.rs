//! restXml: the HTTP binding traits (shared with restJson1, in [`http`](super::http)) with XML
//! bodies from the shared XML codec. A request's body members go under a root element named
//! after the input structure (its `@xmlName`, else its shape name); a structure or union
//! `@httpPayload` is the root itself, named by the member's `@xmlName`, else its target's
//! `@xmlName` or shape name. The root declares the `@xmlNamespace` of that shape, else the
//! service's. Errors are matched by `<Code>`, wrapped in `<ErrorResponse>` or not.

use proc_macro2::TokenStream;
use quote::quote;

use super::http::Body;
use super::json_codec::JsonCodec;
use super::xml_codec::{self, XmlCodec};
use super::Protocol;
use crate::model::{Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::Symbols;

/// The restXml protocol emitter.
pub struct RestXml;

const CODEC: XmlCodec = XmlCodec {
    http_bindings: true,
};

/// The JSON forms of every shape, for tests only (behind `test-util`), keyed by member name and
/// carrying the members bound to the HTTP message too.
const TEST_JSON: JsonCodec = JsonCodec {
    json_name: false,
    http_bindings: false,
    test_only: true,
};

/// The namespace of a document's root element: the first of `traits` that declares one, else
/// the service's.
fn root_namespace(view: &ServiceView<'_>, traits: &[&crate::model::Traits]) -> TokenStream {
    let declared = traits
        .iter()
        .copied()
        .chain(std::iter::once(&view.service.traits))
        .find(|t| t.has(xml_codec::XML_NAMESPACE));
    match declared {
        Some(t) => xml_codec::namespace_expr(t),
        None => quote!(None),
    }
}

impl Body for RestXml {
    fn wire_module(&self) -> TokenStream {
        quote!(smithgen_runtime::protocol::rest_xml)
    }

    fn write_members(&self, view: &ServiceView<'_>, _: &Symbols, input: &Shape) -> TokenStream {
        let root = xml_codec::xml_name(&input.traits).unwrap_or(input.id.name());
        let ns = root_namespace(view, &[&input.traits]);
        quote! {
            let body = wire::write_body(#root, #ns, input);
            let content_type = Some(wire::XML_CONTENT_TYPE);
        }
    }

    fn write_payload(
        &self,
        view: &ServiceView<'_>,
        _: &Symbols,
        member: &Member,
        target: &Shape,
    ) -> (TokenStream, &'static str) {
        if target.kind == ShapeType::Document {
            // restXml has no document form (the protocol does not support documents).
            return (
                quote!({
                    let _ = v;
                    Vec::new()
                }),
                "application/xml",
            );
        }
        let root = xml_codec::xml_name(&member.traits)
            .or_else(|| xml_codec::xml_name(&target.traits))
            .unwrap_or(target.id.name());
        let ns = root_namespace(view, &[&member.traits, &target.traits]);
        (quote!(wire::write_body(#root, #ns, v)), "application/xml")
    }

    fn unset_structure(&self) -> TokenStream {
        quote!((Vec::new(), None))
    }

    fn read_members(
        &self,
        _: &ServiceView<'_>,
        operation: &Shape,
        ty: &TokenStream,
    ) -> TokenStream {
        if operation
            .traits
            .has("aws.customizations#s3UnwrappedXmlOutput")
        {
            quote!(wire::read_unwrapped_body::<#ty>(body))
        } else {
            quote!(wire::read_body::<#ty>(body))
        }
    }

    fn read_payload(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        target: &Shape,
    ) -> TokenStream {
        if target.kind == ShapeType::Document {
            return quote!(Ok::<_, smithgen_runtime::json::DeserializeError>(
                smithgen_runtime::Document::Null
            ));
        }
        let pty = symbols.rust_type(view, target);
        quote!(wire::read_body::<#pty>(body))
    }

    fn event_payloads(&self) -> super::event_stream::Payloads {
        super::event_stream::Payloads::Xml
    }

    fn customize(&self, _: &ServiceView<'_>, _: Option<&Shape>, _: Option<usize>) -> TokenStream {
        TokenStream::new()
    }

    fn uri_template(&self, view: &ServiceView<'_>, operation: &Shape, uri: String) -> String {
        // S3's rules put the bucket in the host (virtual-hosted style) or the endpoint's path
        // (path style, `ForcePathStyle`, names that are not DNS-safe): not in the request's.
        if is_s3(view) && bucket_in_endpoint(view, operation) {
            if let Some(rest) = without_bucket(&uri) {
                return rest;
            }
        }
        uri
    }

    fn error_in_success(&self, view: &ServiceView<'_>, operation: &Shape) -> Option<TokenStream> {
        // A streamed output's body is not in `body`: it is the object, whatever it holds.
        let streamed = super::http::has_streaming_output(view, operation);
        (is_s3(view) && !streamed).then(|| quote!(wire::is_error_document(body)))
    }

    fn lenient_header(&self, view: &ServiceView<'_>, _: &Shape, member: &Member) -> bool {
        // S3 sends back the `Expires` an object was stored with, whatever text it was: one
        // that is not an HTTP date leaves `expires` unset instead of failing the download.
        is_s3(view) && member.name == "Expires"
    }

    fn operation_items(&self, view: &ServiceView<'_>, _: &Shape) -> TokenStream {
        if is_s3(view) {
            quote!(
                const S3_SIGNING: bool = true;
            )
        } else {
            TokenStream::new()
        }
    }
}

impl Protocol for RestXml {
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        TEST_JSON.shape_imports(view, shape)
    }

    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let mut out = CODEC.write_impls(view, symbols, shape);
        out.extend(CODEC.read_impls(view, symbols, shape));
        out.extend(TEST_JSON.shape_impls(view, symbols, shape));
        out
    }

    fn operation_imports(&self) -> TokenStream {
        let wire = self.wire_module();
        quote!(
            use #wire as wire;
        )
    }

    fn operation_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        operation: &Shape,
    ) -> TokenStream {
        super::http::operation_impls(self, view, symbols, operation)
    }
}

/// Amazon S3, whose SDK customizations every AWS SDK applies: the bucket is an endpoint
/// parameter (the rules put it in the host or the path), S3's SigV4 rules, `200 OK` responses
/// that carry an `<Error>`, and `GetBucketLocation`'s unwrapped output.
pub const S3: &str = "com.amazonaws.s3#AmazonS3";

fn is_s3(view: &ServiceView<'_>) -> bool {
    view.service.id.as_str() == S3
}

/// Whether the operation's input sends its `Bucket` member to the endpoint rules
/// (`@contextParam(name: "Bucket")`).
fn bucket_in_endpoint(view: &ServiceView<'_>, operation: &Shape) -> bool {
    let Some(input) = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
    else {
        return false;
    };
    input.members.iter().any(|m| {
        m.name == "Bucket"
            && m.traits
                .get("smithy.rules#contextParam")
                .and_then(|c| c.get("name"))
                .and_then(|n| n.as_str())
                == Some("Bucket")
    })
}

/// `uri` without its leading `/{Bucket}` label (`/{Bucket}/{Key+}` is `/{Key+}`, `/{Bucket}`
/// is `/`), when it has one.
fn without_bucket(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix("/{Bucket}")?;
    match rest.chars().next() {
        None | Some('?') => Some(format!("/{rest}")),
        Some('/') => Some(rest.to_owned()),
        _ => None,
    }
}
