//! Event streams received: the `read_event` function that turns one message into a value of
//! the event union (its JSON payload, `@eventPayload` member and `@eventHeader` headers), and the
//! `WireOperation` items that hand a response's body to an `EventReceiver`. Every protocol with
//! event streams uses it (restJson1 binds the stream to the payload; awsJson makes the whole
//! body the stream and opens it with an `initial-response` message).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// `read_event`: one event stream message as a value of the union, by its event (or exception)
/// type: the member's structure from the JSON payload, or its `@eventPayload` member from the
/// raw payload, then its `@eventHeader` members from the message's headers.
pub fn read_event_fn(view: &ServiceView<'_>, symbols: &Symbols, union: &Shape) -> TokenStream {
    let union_ty = symbols.type_path(&union.id);
    let names = &symbols.member_names(&union.id).fields;
    let arms = union.members.iter().zip(names).map(|(member, variant)| {
        let event = view.model.target(member);
        let name = member.name.as_str();
        let variant = ident(variant);
        let ety = symbols.rust_type(view, event);
        let mut read = if event.kind != ShapeType::Structure {
            quote!(let value = <#ety as smithgen_runtime::protocol::JsonRead>::from_json(payload)?;)
        } else {
            let payload_member = event
                .members
                .iter()
                .position(|m| m.traits.has("smithy.api#eventPayload"));
            match payload_member {
                None => quote! {
                    #[allow(unused_mut)]
                    let mut value = if smithgen_runtime::event_stream::payload_is_blank(payload) {
                        <#ety as smithgen_runtime::protocol::JsonRead>::from_json(b"{}")
                    } else {
                        <#ety as smithgen_runtime::protocol::JsonRead>::from_json(payload)
                    }?;
                },
                Some(p) => {
                    let target = view.model.target(&event.members[p]);
                    let v = match target.kind {
                        ShapeType::Blob => quote!(smithgen_runtime::Blob::new(payload.to_vec())),
                        ShapeType::String if !target.is_string_enum() => {
                            quote!(smithgen_runtime::event_stream::payload_text(payload)?)
                        }
                        ShapeType::String | ShapeType::Enum => {
                            let t = symbols.type_path(&target.id);
                            quote!(#t::from(smithgen_runtime::event_stream::payload_text(payload)?.as_str()))
                        }
                        _ => {
                            let t = symbols.rust_type(view, target);
                            quote!(<#t as smithgen_runtime::protocol::JsonRead>::from_json(payload)?)
                        }
                    };
                    let store = super::assign(view, symbols, event, p, &quote!(value), v);
                    quote! {
                        let mut value = <#ety>::default();
                        #store
                    }
                }
            }
        };
        if event.kind == ShapeType::Structure {
            for (h, m) in event.members.iter().enumerate() {
                if !m.traits.has("smithy.api#eventHeader") {
                    continue;
                }
                let target = view.model.target(m);
                let header = m.name.as_str();
                let v = match target.kind {
                    ShapeType::String if target.is_string_enum() => {
                        let t = symbols.type_path(&target.id);
                        quote!(#t::from(smithgen_runtime::event_stream::header_string(#header, h)?.as_str()))
                    }
                    ShapeType::Enum => {
                        let t = symbols.type_path(&target.id);
                        quote!(#t::from(smithgen_runtime::event_stream::header_string(#header, h)?.as_str()))
                    }
                    ShapeType::String => quote!(smithgen_runtime::event_stream::header_string(#header, h)?),
                    ShapeType::Boolean => quote!(smithgen_runtime::event_stream::header_bool(#header, h)?),
                    ShapeType::Long => {
                        quote!(smithgen_runtime::event_stream::header_integer(#header, h)?)
                    }
                    ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
                        let t = symbols.rust_type(view, target);
                        quote!(<#t>::try_from(smithgen_runtime::event_stream::header_integer(#header, h)?).map_err(|_| {
                            smithgen_runtime::json::DeserializeError::at(#header, "out of range")
                        })?)
                    }
                    ShapeType::Blob => {
                        quote!(smithgen_runtime::Blob::new(smithgen_runtime::event_stream::header_bytes(#header, h)?))
                    }
                    ShapeType::Timestamp => quote!(smithgen_runtime::event_stream::header_timestamp(#header, h)?),
                    _ => continue,
                };
                let store = super::assign(view, symbols, event, h, &quote!(value), v);
                read.extend(quote! {
                    if let Some(h) = message.header(#header) {
                        #store
                    }
                });
            }
        }
        let value = if symbols.is_boxed(&union.id, &member.name) {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        quote! {
            #name => {
                #read
                Ok(Some(#union_ty::#variant(#value)))
            }
        }
    });
    quote! {
        /// One message of the event stream as an event (`None`: a type this client does not know).
        #[allow(unused_variables, clippy::field_reassign_with_default)]
        fn read_event(
            name: &str,
            message: &smithgen_runtime::event_stream::Message,
        ) -> Result<Option<#union_ty>, smithgen_runtime::json::DeserializeError> {
            let payload = message.payload.as_slice();
            match name {
                #(#arms)*
                _ => Ok(None),
            }
        }
    }
}

/// `STREAMING_OUTPUT`, `attach_stream` (the body becomes an `EventReceiver` in member `index`
/// of `output`) and, with `initial_response`, the `initial_response` hook that reads the
/// stream's opening message into the output's other members.
pub fn output_impls(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    output: &Shape,
    index: usize,
    initial_response: bool,
) -> TokenStream {
    let ty = symbols.type_path(&output.id);
    let union = view.model.target(&output.members[index]);
    let store = super::assign(
        view,
        symbols,
        output,
        index,
        &quote!(output),
        quote!(smithgen_runtime::event_stream::EventReceiver::new(
            body, read_event
        )),
    );
    let read_event = read_event_fn(view, symbols, union);
    let initial = initial_response.then(|| {
        let field = snake_ident(&symbols.member_names(&output.id).fields[index]);
        quote! {
            fn initial_response(
                output: &mut #ty,
            ) -> std::pin::Pin<
                Box<
                    dyn std::future::Future<
                            Output = Result<(), smithgen_runtime::json::DeserializeError>,
                        > + Send
                        + '_,
                >,
            > {
                Box::pin(async move {
                    let payload = output.#field.initial_response().await.map_err(|e| {
                        smithgen_runtime::json::DeserializeError::at(
                            "initial-response",
                            e.to_string(),
                        )
                    })?;
                    let Some(payload) = payload else {
                        return Ok(());
                    };
                    let payload = if smithgen_runtime::event_stream::payload_is_blank(&payload) {
                        &b"{}"[..]
                    } else {
                        &payload[..]
                    };
                    let mut initial =
                        <#ty as smithgen_runtime::protocol::JsonRead>::from_json(payload)?;
                    initial.#field = std::mem::take(&mut output.#field);
                    *output = initial;
                    Ok(())
                })
            }
        }
    });
    quote! {
        const STREAMING_OUTPUT: bool = true;

        fn attach_stream(output: &mut #ty, body: smithgen_runtime::ByteStream) {
            #read_event
            #store
        }

        #initial
    }
}

/// The index of the event stream member of an operation's output (a `@streaming` union), with
/// the output structure.
pub fn output_member<'m>(view: &ServiceView<'m>, operation: &Shape) -> Option<(&'m Shape, usize)> {
    let shape = operation
        .relations
        .output
        .as_ref()
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()))?;
    let i = shape
        .members
        .iter()
        .position(|m| crate::symbols::is_event_stream_output(view, shape, view.model.target(m)))?;
    Some((shape, i))
}
