//! awsJson1_0 and awsJson1_1: JSON bodies keyed by member name (`jsonName` ignored), epoch-second
//! timestamps unless `@timestampFormat` says otherwise, base64 blobs, and errors matched by code.

use proc_macro2::TokenStream;
use quote::quote;

use super::json_codec::JsonCodec;
use super::Protocol;
use crate::model::Shape;
use crate::select::ServiceView;
use crate::symbols::{ident, Symbols};

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

/// awsJson's JSON: member names as modeled (`@jsonName` ignored), HTTP binding traits ignored.
const CODEC: JsonCodec = JsonCodec {
    json_name: false,
    http_bindings: false,
    test_only: false,
};

impl Protocol for AwsJson {
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        CODEC.shape_imports(view, shape)
    }

    fn operation_imports(&self) -> TokenStream {
        quote!(
            use smithgen_runtime::protocol::aws_json as wire;
        )
    }

    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        CODEC.shape_impls(view, symbols, shape)
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
        let read_error =
            super::read_error_match(view, symbols, operation, &|_| TokenStream::new(), &|_| None);
        let error_fields = super::error_fields_impl(view, &names.error, &variants);
        let input_ty = match operation
            .relations
            .input
            .as_ref()
            .filter(|id| id.as_str() != crate::model::UNIT)
        {
            Some(id) => symbols.type_path(id),
            None => quote!(()),
        };
        let host_prefix = super::host_prefix_expr(view, symbols, operation).map(|(expr, reads)| {
            let arg = if reads { quote!(input) } else { quote!(_input) };
            quote! {
                fn host_prefix(#arg: &#input_ty) -> Result<Option<String>, String> {
                    Ok(Some(#expr))
                }
            }
        });
        let endpoint_url = super::endpoint_url_fn(view, symbols, operation);
        let auth = super::auth_const(view, operation);
        let compression = super::compression_const(operation);
        // An event stream in the output is the whole body, opened by `initial-response`.
        let events = super::event_stream::output_member(view, operation).map(|(output, i)| {
            super::event_stream::output_impls(
                view,
                symbols,
                output,
                i,
                super::event_stream::Payloads::Json,
                true,
            )
        });
        quote! {
            #error_fields

            impl wire::AwsJsonOperation for #marker {
                const VERSION: wire::JsonVersion = #version;
                #query_mode
                const TARGET: &'static str = #target;
                #compression
                #auth
                #host_prefix
                #endpoint_url
                #events

                fn read_error(meta: &wire::ErrorMeta, body: &[u8]) -> #error {
                    #read_error
                }
            }
        }
    }
}
