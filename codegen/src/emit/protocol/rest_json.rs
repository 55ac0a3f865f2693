//! restJson1: the HTTP binding traits (shared with restXml, in [`http`](super::http)) with JSON
//! bodies from the shared JSON codec (`@jsonName` honoured, bound members out of the body).

use proc_macro2::TokenStream;
use quote::quote;

use super::http::{Body, GLACIER};
use super::json_codec::JsonCodec;
use super::Protocol;
use crate::model::{Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::Symbols;

/// The restJson1 protocol emitter.
pub struct RestJson;

const CODEC: JsonCodec = JsonCodec {
    json_name: true,
    http_bindings: true,
    test_only: false,
};

/// Services that every AWS SDK sends `Accept: application/json` to (API Gateway).
const ACCEPT_JSON: &[&str] = &["com.amazonaws.apigateway#BackplaneControlService"];

impl Body for RestJson {
    fn wire_module(&self) -> TokenStream {
        quote!(smithgen_runtime::protocol::rest_json)
    }

    fn write_members(&self, _: &ServiceView<'_>, _: &Symbols, _: &Shape) -> TokenStream {
        quote! {
            let body = smithgen_runtime::protocol::JsonWrite::to_json(input).into_bytes();
            let content_type = Some(wire::JSON_CONTENT_TYPE);
        }
    }

    fn write_payload(
        &self,
        _: &ServiceView<'_>,
        _: &Symbols,
        _: &Member,
        target: &Shape,
    ) -> (TokenStream, &'static str) {
        let bytes = if target.kind == ShapeType::Document {
            quote!({
                let mut w = smithgen_runtime::json::JsonWriter::new();
                w.document(v);
                w.finish().into_bytes()
            })
        } else {
            quote!(smithgen_runtime::protocol::JsonWrite::to_json(v).into_bytes())
        };
        (bytes, "application/json")
    }

    fn unset_structure(&self) -> TokenStream {
        quote!((b"{}".to_vec(), Some("application/json")))
    }

    fn read_members(&self, _: &ServiceView<'_>, _: &Shape, ty: &TokenStream) -> TokenStream {
        quote! {
            if wire::is_blank(body) {
                <#ty as smithgen_runtime::protocol::JsonRead>::from_json(b"{}")
            } else {
                <#ty as smithgen_runtime::protocol::JsonRead>::from_json(body)
            }
        }
    }

    fn read_payload(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        target: &Shape,
    ) -> TokenStream {
        if target.kind == ShapeType::Document {
            quote!(wire::read_document(body))
        } else {
            let pty = symbols.rust_type(view, target);
            quote!(<#pty as smithgen_runtime::protocol::JsonRead>::from_json(body))
        }
    }

    fn event_payloads(&self) -> super::event_stream::Payloads {
        super::event_stream::Payloads::Json
    }

    fn customize(
        &self,
        view: &ServiceView<'_>,
        input: Option<&Shape>,
        payload: Option<usize>,
    ) -> TokenStream {
        let mut customizations = TokenStream::new();
        if ACCEPT_JSON.contains(&view.service.id.as_str()) {
            // Unless the input sets its own (API Gateway's GetExport binds `Accept`).
            customizations.extend(quote! {
                if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("accept")) {
                    headers.push(("Accept".to_owned(), "application/json".to_owned()));
                }
            });
        }
        if view.service.id.as_str() == GLACIER {
            let version = view.service.relations.version.clone().unwrap_or_default();
            customizations.extend(quote! {
                headers.push(("X-Amz-Glacier-Version".to_owned(), #version.to_owned()));
            });
            let blob_payload = input.zip(payload).is_some_and(|(shape, i)| {
                view.model.target(&shape.members[i]).kind == ShapeType::Blob
            });
            if blob_payload {
                customizations.extend(quote!(wire::glacier_checksums(&mut headers, &body);));
            }
        }
        customizations
    }
}

impl Protocol for RestJson {
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        CODEC.shape_imports(view, shape)
    }

    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        CODEC.shape_impls(view, symbols, shape)
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
