//! Event streams received: the `read_event` function that turns one message into a value of
//! the event union (its JSON payload, or restXml's XML one, `@eventPayload` member and
//! `@eventHeader` headers), and the `WireOperation` items that hand a response's body to an
//! `EventReceiver`. Every protocol with event streams uses it (restJson1 and restXml bind the
//! stream to the payload; awsJson makes the whole body the stream and opens it with an
//! `initial-response` message).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// `read_event`: one event stream message as a value of the union, by its event (or exception)
/// type: the member's structure from the JSON payload, or its `@eventPayload` member from the
/// raw payload, then its `@eventHeader` members from the message's headers.
pub fn read_event_fn(view: &ServiceView<'_>, symbols: &Symbols, union: &Shape) -> TokenStream {
    // restXml's payloads are XML documents (S3's SelectObjectContent `Stats` and `Progress`),
    // read from their root element whatever its name; the JSON protocols' are JSON.
    let xml = view.service.traits.has("aws.protocols#restXml");
    let decode = |ty: &TokenStream, bytes: TokenStream| {
        if xml {
            quote!(smithgen_runtime::protocol::rest_xml::read_body::<#ty>(#bytes))
        } else {
            quote!(<#ty as smithgen_runtime::protocol::JsonRead>::from_json(#bytes))
        }
    };
    let union_ty = symbols.type_path(&union.id);
    let names = &symbols.member_names(&union.id).fields;
    let arms = union.members.iter().zip(names).map(|(member, variant)| {
        let event = view.model.target(member);
        let name = member.name.as_str();
        let variant = ident(variant);
        let ety = symbols.rust_type(view, event);
        let mut read = if event.kind != ShapeType::Structure {
            let read = decode(&ety, quote!(payload));
            quote!(let value = #read?;)
        } else {
            let payload_member = event
                .members
                .iter()
                .position(|m| m.traits.has("smithy.api#eventPayload"));
            match payload_member {
                None if xml => {
                    // (a blank payload reads as the structure with nothing set)
                    let read = decode(&ety, quote!(payload));
                    quote! {
                        #[allow(unused_mut)]
                        let mut value = #read?;
                    }
                }
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
                            let read = decode(&t, quote!(payload));
                            quote!(#read?)
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
            ) -> smithgen_runtime::protocol::InitialResponse<'_> {
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
    member_where(
        view,
        operation.relations.output.as_ref(),
        crate::symbols::is_event_stream_output,
    )
}

/// The index of the event stream member of an operation's input (a `@streaming` union), with
/// the input structure.
pub fn input_member<'m>(view: &ServiceView<'m>, operation: &Shape) -> Option<(&'m Shape, usize)> {
    member_where(
        view,
        operation.relations.input.as_ref(),
        crate::symbols::is_event_stream_input,
    )
}

fn member_where<'m>(
    view: &ServiceView<'m>,
    relation: Option<&crate::model::ShapeId>,
    is_stream: fn(&ServiceView<'_>, &Shape, &Shape) -> bool,
) -> Option<(&'m Shape, usize)> {
    let shape = relation
        .filter(|id| id.as_str() != crate::model::UNIT)
        .and_then(|id| view.model.shape(id.as_str()))?;
    let i = shape
        .members
        .iter()
        .position(|m| is_stream(view, shape, view.model.target(m)))?;
    Some((shape, i))
}

/// `input_events`: the input's `EventSender`, its events encoded by a generated `write_event`.
pub fn input_impls(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    input: &Shape,
    index: usize,
) -> TokenStream {
    let ty = symbols.type_path(&input.id);
    let field = snake_ident(&symbols.member_names(&input.id).fields[index]);
    let union = view.model.target(&input.members[index]);
    let write_event = write_event_fn(view, symbols, union);
    quote! {
        fn input_events(input: &#ty) -> Option<smithgen_runtime::protocol::EventMessages> {
            #write_event
            input.#field.messages(write_event)
        }
    }
}

/// `write_event`: one value of the event union as a message: `:message-type` `event`, its
/// `:event-type` (the member's name), its `@eventHeader` members as typed headers, and as
/// payload its `@eventPayload` member or the JSON of its other members.
fn write_event_fn(view: &ServiceView<'_>, symbols: &Symbols, union: &Shape) -> TokenStream {
    let union_ty = symbols.type_path(&union.id);
    let names = &symbols.member_names(&union.id).fields;
    let string = |name: &str, value: TokenStream| {
        quote! {
            smithgen_runtime::event_stream::Header {
                name: #name.to_owned(),
                value: smithgen_runtime::event_stream::HeaderValue::String(#value),
            }
        }
    };
    let arms = union.members.iter().zip(names).map(|(member, variant)| {
        let event = view.model.target(member);
        let name = member.name.as_str();
        let variant = ident(variant);
        let type_header = string(":event-type", quote!(#name.to_owned()));
        if event.kind != ShapeType::Structure {
            return quote! {
                #union_ty::#variant(value) => (
                    vec![#type_header],
                    Some("application/json"),
                    smithgen_runtime::protocol::JsonWrite::to_json(value).into_bytes(),
                ),
            };
        }
        let fields = &symbols.member_names(&event.id).fields;
        let mut headers = Vec::new();
        let mut payload = None;
        for (m, field) in event.members.iter().zip(fields) {
            let field = snake_ident(field);
            let target = view.model.target(m);
            let optional = matches!(
                crate::emit::types::presence(view, event, m),
                crate::emit::types::Presence::Optional
            );
            if m.traits.has("smithy.api#eventHeader") {
                let header = m.name.as_str();
                let value = match target.kind {
                    ShapeType::String if target.is_string_enum() => {
                        quote!(HeaderValue::String(v.as_str().to_owned()))
                    }
                    ShapeType::Enum => quote!(HeaderValue::String(v.as_str().to_owned())),
                    ShapeType::String => quote!(HeaderValue::String(v.clone())),
                    ShapeType::Boolean => quote!(HeaderValue::Bool(*v)),
                    ShapeType::Byte => quote!(HeaderValue::Byte(*v)),
                    ShapeType::Short => quote!(HeaderValue::Int16(*v)),
                    ShapeType::Integer => quote!(HeaderValue::Int32(*v)),
                    ShapeType::Long => quote!(HeaderValue::Int64(*v)),
                    ShapeType::Blob => quote!(HeaderValue::ByteArray(v.as_ref().to_vec())),
                    ShapeType::Timestamp => quote!(HeaderValue::Timestamp(*v)),
                    _ => continue,
                };
                let push = quote! {
                    headers.push(smithgen_runtime::event_stream::Header {
                        name: #header.to_owned(),
                        value: { use smithgen_runtime::event_stream::HeaderValue; #value },
                    });
                };
                headers.push(if optional {
                    quote!(if let Some(v) = &value.#field { #push })
                } else {
                    quote!({ let v = &value.#field; #push })
                });
            } else if m.traits.has("smithy.api#eventPayload") {
                let (bytes, content_type) = match target.kind {
                    ShapeType::Blob => (quote!(v.as_ref().to_vec()), "application/octet-stream"),
                    ShapeType::String | ShapeType::Enum => {
                        (quote!(v.as_str().as_bytes().to_vec()), "text/plain")
                    }
                    _ => (
                        quote!(smithgen_runtime::protocol::JsonWrite::to_json(v).into_bytes()),
                        "application/json",
                    ),
                };
                let bytes = if optional {
                    quote!(value.#field.as_ref().map(|v| #bytes).unwrap_or_default())
                } else {
                    quote!({ let v = &value.#field; #bytes })
                };
                payload = Some((bytes, content_type));
            }
        }
        let (bytes, content_type) = payload.unwrap_or((
            quote!(smithgen_runtime::protocol::JsonWrite::to_json(value).into_bytes()),
            "application/json",
        ));
        quote! {
            #union_ty::#variant(value) => {
                let mut headers = vec![#type_header];
                #(#headers)*
                (headers, Some(#content_type), #bytes)
            }
        }
    });
    let message_type = string(":message-type", quote!("event".to_owned()));
    let content_type = string(":content-type", quote!(content_type.to_owned()));
    quote! {
        /// One event as an event stream message (not yet signed).
        #[allow(unused_variables, unused_mut)]
        fn write_event(
            event: &#union_ty,
        ) -> Result<smithgen_runtime::event_stream::Message, String> {
            let (headers, content_type, payload): (
                Vec<smithgen_runtime::event_stream::Header>,
                Option<&str>,
                Vec<u8>,
            ) = match event {
                #(#arms)*
                _ => return Err("an event this client does not know cannot be sent".to_owned()),
            };
            let mut all = vec![#message_type];
            all.extend(headers);
            if let Some(content_type) = content_type {
                all.push(#content_type);
            }
            Ok(smithgen_runtime::event_stream::Message { headers: all, payload })
        }
    }
}
