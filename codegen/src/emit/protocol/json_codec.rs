//! The JSON body codec every JSON protocol shares: `JsonWrite` / `JsonRead` impls for
//! structures and unions over the runtime's JSON writer and reader. awsJson uses member names as
//! modeled and ignores HTTP bindings; restJson1 honours `@jsonName` and leaves the members bound
//! to the HTTP message (headers, labels, query, payload, status) out of the body of top-level
//! input, output and error structures. The directions only tests run (reading an input, writing
//! an output or error: the `Stubber`, the botocore differential, endpoint tests' operation inputs)
//! carry the bound members too, keyed as body members are.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::types::{presence, Presence};
use crate::model::{trait_ids, Member, Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

/// How one protocol writes JSON bodies.
#[derive(Clone, Copy, Debug)]
pub struct JsonCodec {
    /// Whether `@jsonName` renames members on the wire.
    pub json_name: bool,
    /// Whether members with HTTP binding traits are left out of the body of top-level
    /// input, output and error structures.
    pub http_bindings: bool,
    /// Whether the JSON forms exist for tests only (protocols whose wire format is not JSON:
    /// the query protocols give every shape both directions behind the stub gate, for the
    /// botocore differential's inputs and outputs).
    pub test_only: bool,
}

/// The traits that bind a top-level member to the HTTP message instead of the body.
pub const HTTP_BINDINGS: &[&str] = &[
    "smithy.api#httpHeader",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
];

/// Whether `member` of `shape` is bound to the HTTP message (so not in the JSON body): it has a
/// binding trait and `shape` is an operation's input or output, or an error.
pub fn is_http_bound(view: &ServiceView<'_>, shape: &Shape, member: &Member) -> bool {
    let is_input = view
        .operations
        .iter()
        .any(|op| op.relations.input.as_ref() == Some(&shape.id));
    let is_output = shape.is_error()
        || view
            .operations
            .iter()
            .any(|op| op.relations.output.as_ref() == Some(&shape.id));
    // Labels and query parameters exist only in requests, status codes only in responses.
    HTTP_BINDINGS.iter().any(|t| {
        member.traits.has(t)
            && match *t {
                "smithy.api#httpLabel" | "smithy.api#httpQuery" | "smithy.api#httpQueryParams" => {
                    is_input
                }
                "smithy.api#httpResponseCode" => is_output,
                _ => is_input || is_output,
            }
    })
}

impl JsonCodec {
    /// The JSON key of a member.
    pub fn key<'m>(&self, member: &'m Member) -> &'m str {
        if self.json_name {
            if let Some(name) = member
                .traits
                .get("smithy.api#jsonName")
                .and_then(|v| v.as_str())
            {
                return name;
            }
        }
        member.name.as_str()
    }

    /// Whether `member` of `shape` is written to and read from the JSON body: never a
    /// `@streaming` one (a byte stream or an event stream is a body of its own), nor an
    /// event's `@eventHeader` or `@eventPayload` member (the message carries those).
    fn in_body(&self, view: &ServiceView<'_>, shape: &Shape, member: &Member) -> bool {
        let streamed = view.model.target(member).traits.has(trait_ids::STREAMING)
            || member.traits.has("smithy.api#eventHeader")
            || member.traits.has("smithy.api#eventPayload");
        let bound = self.http_bindings && is_http_bound(view, shape, member);
        !streamed && !bound
    }

    /// `use` items the shape's impls need, each gated as its impl is.
    pub fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream {
        if !matches!(shape.kind, ShapeType::Structure | ShapeType::Union) {
            return TokenStream::new();
        }
        // Each direction's imports go behind the same gate as its impl.
        let (write_gate, read_gate) = self.gates(view, shape);
        let write = write_gate.map(|gate| {
            quote! {
                #gate
                use smithgen_runtime::json::JsonWriter;
                #gate
                use smithgen_runtime::protocol::JsonWrite;
            }
        });
        let read = read_gate.map(|gate| {
            quote! {
                #gate
                use smithgen_runtime::json::{DeserializeError, JsonReader};
                #gate
                use smithgen_runtime::protocol::JsonRead;
            }
        });
        quote!(#write #read)
    }

    /// The gates of the write and read impls of a shape (`None`: not generated).
    fn gates(
        &self,
        view: &ServiceView<'_>,
        shape: &Shape,
    ) -> (Option<TokenStream>, Option<TokenStream>) {
        if self.test_only {
            (view.stub_gate(false), view.stub_gate(false))
        } else {
            (view.sent_gate(&shape.id), view.received_gate(&shape.id))
        }
    }

    /// `JsonWrite` and `JsonRead` for a structure or union.
    pub fn shape_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        shape: &Shape,
    ) -> TokenStream {
        match shape.kind {
            ShapeType::Structure => self.structure(view, symbols, shape),
            ShapeType::Union => self.union(view, symbols, shape),
            _ => TokenStream::new(),
        }
    }
}

/// Statements writing the value at `value` (an expression of type `&T`) of shape `target`.
pub fn write_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
    value: TokenStream,
) -> TokenStream {
    match target.kind {
        ShapeType::String if target.is_string_enum() => quote!(w.string(#value.as_str());),
        ShapeType::Enum => quote!(w.string(#value.as_str());),
        ShapeType::String => quote!(w.string(#value);),
        ShapeType::IntEnum => quote!(w.i64(i64::from(#value.as_i32()));),
        ShapeType::Boolean => quote!(w.bool(*#value);),
        ShapeType::Byte | ShapeType::Short | ShapeType::Integer => {
            quote!(w.i64(i64::from(*#value));)
        }
        ShapeType::Long => quote!(w.i64(*#value);),
        ShapeType::Float => quote!(w.f32(*#value);),
        ShapeType::Double => quote!(w.f64(*#value);),
        ShapeType::BigInteger => quote!(w.big_integer(#value);),
        ShapeType::BigDecimal => quote!(w.big_decimal(#value);),
        ShapeType::Timestamp => {
            let format = super::timestamp_format(member, target, "epoch-seconds");
            quote!(w.timestamp(#value, #format);)
        }
        ShapeType::Blob => quote!(w.blob(#value);),
        ShapeType::Document => quote!(w.document(#value);),
        ShapeType::List => {
            let item_member = target.list_member().expect("validated list");
            let item = write_value(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
                quote!(item),
            );
            if target.traits.has(trait_ids::SPARSE) {
                quote! {
                    w.begin_array();
                    for item in #value.iter() {
                        match item {
                            Some(item) => { #item }
                            None => w.null(),
                        }
                    }
                    w.end_array();
                }
            } else {
                quote! {
                    w.begin_array();
                    for item in #value.iter() {
                        #item
                    }
                    w.end_array();
                }
            }
        }
        ShapeType::Map => {
            let (key, val) = target.map_members().expect("validated map");
            let key_shape = view.model.target(key);
            let key_str = if key_shape.is_string_enum() {
                quote!(key.as_str())
            } else {
                quote!(key)
            };
            let item = write_value(
                view,
                symbols,
                Some(val),
                view.model.target(val),
                quote!(item),
            );
            let body = if target.traits.has(trait_ids::SPARSE) {
                quote! {
                    match item {
                        Some(item) => { #item }
                        None => w.null(),
                    }
                }
            } else {
                item
            };
            quote! {
                w.begin_object();
                for (key, item) in #value.iter() {
                    w.key(#key_str);
                    #body
                }
                w.end_object();
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let ty = symbols.type_path(&target.id);
            quote!(#ty::write_json(#value, w);)
        }
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => TokenStream::new(),
    }
}

/// An expression of type `Result<T, DeserializeError>` reading a value of shape `target` from `r`.
pub fn read_value(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    member: Option<&Member>,
    target: &Shape,
) -> TokenStream {
    match target.kind {
        ShapeType::Enum => {
            let ty = symbols.type_path(&target.id);
            quote!(r.str().map(|value| #ty::from(value.as_ref())))
        }
        ShapeType::String if target.is_string_enum() => {
            let ty = symbols.type_path(&target.id);
            quote!(r.str().map(|value| #ty::from(value.as_ref())))
        }
        ShapeType::String => quote!(r.string()),
        ShapeType::IntEnum => {
            let ty = symbols.type_path(&target.id);
            quote!(r.i32().map(#ty::from))
        }
        ShapeType::Boolean => quote!(r.bool()),
        ShapeType::Byte => quote!(r.i8()),
        ShapeType::Short => quote!(r.i16()),
        ShapeType::Integer => quote!(r.i32()),
        ShapeType::Long => quote!(r.i64()),
        ShapeType::Float => quote!(r.f32()),
        ShapeType::Double => quote!(r.f64()),
        ShapeType::BigInteger => quote!(r.big_integer()),
        ShapeType::BigDecimal => quote!(r.big_decimal()),
        ShapeType::Timestamp => {
            let format = super::timestamp_format(member, target, "epoch-seconds");
            quote!(r.timestamp(#format))
        }
        ShapeType::Blob => quote!(r.blob()),
        ShapeType::Document => quote!(r.document()),
        ShapeType::List => {
            let item_member = target.list_member().expect("validated list");
            let item = read_value(
                view,
                symbols,
                Some(item_member),
                view.model.target(item_member),
            );
            if target.traits.has(trait_ids::SPARSE) {
                quote!(smithgen_runtime::protocol::read_sparse_list(r, |r| #item))
            } else {
                quote!(smithgen_runtime::protocol::read_list(r, |r| #item))
            }
        }
        ShapeType::Map => {
            let (key, val) = target.map_members().expect("validated map");
            let key_shape = view.model.target(key);
            let key_fn = if key_shape.is_string_enum() {
                let ty = symbols.type_path(&key_shape.id);
                quote!(|key: &str| #ty::from(key))
            } else {
                quote!(str::to_owned)
            };
            let item = read_value(view, symbols, Some(val), view.model.target(val));
            if target.traits.has(trait_ids::SPARSE) {
                quote!(smithgen_runtime::protocol::read_sparse_map(r, #key_fn, |r| #item))
            } else {
                quote!(smithgen_runtime::protocol::read_map(r, #key_fn, |r| #item))
            }
        }
        ShapeType::Structure | ShapeType::Union => {
            let ty = symbols.type_path(&target.id);
            quote!(#ty::read_json(r))
        }
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => quote!(Ok(())),
    }
}

/// The JSON keys a member is read from: its name, and for an error's message both spellings.
fn member_keys<'m>(shape: &Shape, member: &Member, key: &'m str) -> Vec<&'m str> {
    if shape.is_error() && member.name.eq_ignore_ascii_case("message") && key == member.name {
        vec!["message", "Message"]
    } else {
        vec![key]
    }
}

impl JsonCodec {
    fn structure(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let name = ident(symbols.type_name(&shape.id));
        let names = symbols.member_names(&shape.id);
        let mut writes = Vec::new();
        let mut locals = Vec::new();
        let mut reads = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        let mut fills = Vec::new();
        for (i, member) in shape.members.iter().enumerate() {
            let target = view.model.target(member);
            // A direction the client never runs on this shape (reading an input, writing an
            // output or error) exists for tests only, and carries every member: the bound ones
            // too, under the same keys, so that a test builds a whole input from one JSON
            // document and sees a whole output. Streamed members (a `ByteStream`, an event
            // stream) have no JSON form.
            let all = !target.traits.has(trait_ids::STREAMING);
            let in_body = self.in_body(view, shape, member);
            let write_it = in_body || (all && !view.sent.contains(&shape.id));
            let read_it = in_body || (all && !view.received.contains(&shape.id));
            if !write_it && !read_it {
                continue;
            }
            let field = snake_ident(&names.fields[i]);
            // Locals carry a prefix so that no member name can shadow `r`, `w`, `out` or `member`.
            let local = ident(&format!("v_{}", names.fields[i]));
            let key = self.key(member);
            let boxed = symbols.is_boxed(&shape.id, &member.name);
            let write = write_value(view, symbols, Some(member), target, quote!(value));
            let read = read_value(view, symbols, Some(member), target);
            let read = if boxed {
                quote!(#read.map(Box::new))
            } else {
                read
            };
            // Values go straight into the structure being read, which starts as
            // `Self::default()`, except those of members whose default is not `Default::default()`.
            let (write, store) = match presence(view, shape, member) {
                Presence::Optional => (
                    quote! {
                        if let Some(value) = &self.#field {
                            w.key(#key);
                            #write
                        }
                    },
                    quote!(out.#field = Some(#read?);),
                ),
                Presence::Required | Presence::Default(None) => (
                    quote! {
                        w.key(#key);
                        let value = &self.#field;
                        #write
                    },
                    // A server that omits a required member gets the zero value, not an error.
                    quote!(out.#field = #read?;),
                ),
                Presence::Default(Some(expr)) => {
                    if read_it {
                        let filled = crate::emit::types::fill_default(quote!(#local), &expr);
                        locals.push(quote!(let mut #local = None;));
                        fills.push(quote!(out.#field = #filled;));
                    }
                    (
                        quote! {
                            w.key(#key);
                            let value = &self.#field;
                            #write
                        },
                        quote!(#local = Some(#read?);),
                    )
                }
            };
            if write_it {
                writes.push(write);
            }
            if !read_it {
                continue;
            }
            // The indexes of the member's keys in `keys`.
            let mut indexes = Vec::new();
            for key in member_keys(shape, member, key) {
                indexes.push(proc_macro2::Literal::usize_unsuffixed(keys.len()));
                keys.push(key);
            }
            reads.push(quote! {
                if let Some(#(#indexes)|*) = member {
                    #store
                    member = r.next_member(&KEYS)?;
                }
            });
        }
        let extra = if crate::emit::types::has_query_error_code(view, shape) {
            quote!(query_error_code: None,)
        } else {
            TokenStream::new()
        };
        let count = proc_macro2::Literal::usize_unsuffixed(keys.len());
        let read_body = if reads.is_empty() && !shape.members.is_empty() {
            // Every member is bound to the HTTP message: the body holds nothing of ours.
            quote! {
                r.skip_value()?;
                Ok(Self::default())
            }
        } else if shape.members.is_empty() {
            quote! {
                r.skip_value()?;
                Ok(Self { #extra })
            }
        } else {
            // `next_member` skips unknown members and `null` values, and returns the index of the
            // member's key in `KEYS`. Members usually come in the model's order, so one pass of
            // the tests in `reads`, each a branch the processor predicts well, reads them all,
            // where a `match` would cost an indirect jump per member that it predicts poorly
            // (this made reading large responses about a tenth faster). A pass reads at least the
            // member it starts with (every index has its test), so keys in another order take
            // more passes, and duplicate keys are read again (the last wins). `Keys` is named in
            // full: a structure of the model may be called `Keys`.
            quote! {
                static KEYS: smithgen_runtime::json::Keys<#count> =
                    smithgen_runtime::json::Keys::new([#(#keys),*]);
                #(#locals)*
                let mut out = Self::default();
                r.begin_object()?;
                let mut member = r.next_member(&KEYS)?;
                while member.is_some() {
                    #(#reads)*
                }
                #(#fills)*
                Ok(out)
            }
        };
        let write_body = quote! {
            w.begin_object();
            #(#writes)*
            w.end_object();
        };
        json_impls(self.gates(view, shape), &name, write_body, read_body)
    }

    fn union(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream {
        let name = ident(symbols.type_name(&shape.id));
        let names = symbols.member_names(&shape.id);
        let mut write_arms = Vec::new();
        let mut read_arms = Vec::new();
        for (i, member) in shape.members.iter().enumerate() {
            let variant = ident(&names.fields[i]);
            let key = self.key(member);
            let target = view.model.target(member);
            if member.target.as_str() == crate::model::UNIT {
                write_arms.push(quote! {
                    Self::#variant => {
                        w.key(#key);
                        w.begin_object();
                        w.end_object();
                    }
                });
                read_arms.push(quote! {
                    #key => {
                        r.skip_value()?;
                        Self::#variant
                    }
                });
            } else {
                let write = write_value(view, symbols, Some(member), target, quote!(value));
                let read = read_value(view, symbols, Some(member), target);
                let read = if symbols.is_boxed(&shape.id, &member.name) {
                    quote!(#read.map(Box::new))
                } else {
                    read
                };
                write_arms.push(quote! {
                    Self::#variant(value) => {
                        w.key(#key);
                        #write
                    }
                });
                read_arms.push(quote!(#key => Self::#variant(#read?),));
            }
        }
        let write_body = quote! {
            w.begin_object();
            match self {
                #(#write_arms)*
                Self::Unknown => {}
            }
            w.end_object();
        };
        let read_body = quote! {
            // Exactly one member should be set; the last non-null one wins, and a member this
            // model does not know becomes `Unknown`.
            let mut value = Self::Unknown;
            r.begin_object()?;
            while let Some(key) = r.next_key()? {
                if r.peek_null()? {
                    continue;
                }
                value = match key.as_ref() {
                    // Some servers tag a union with its type; that is not a member.
                    "__type" => {
                        r.skip_value()?;
                        continue;
                    }
                    #(#read_arms)*
                    _ => {
                        r.skip_value()?;
                        Self::Unknown
                    }
                };
            }
            Ok(value)
        };
        json_impls(self.gates(view, shape), &name, write_body, read_body)
    }
}

/// The `JsonWrite` and `JsonRead` impls of a structure or union: each plain where a client
/// needs it (writing what it sends, reading what it receives), gated as code only a `Stubber`
/// runs otherwise, or left out. `shape_imports` gates the imports the same way.
fn json_impls(
    (write_gate, read_gate): (Option<TokenStream>, Option<TokenStream>),
    name: &proc_macro2::Ident,
    write_body: TokenStream,
    read_body: TokenStream,
) -> TokenStream {
    let write = write_gate.map(|gate| {
        quote! {
            #gate
            impl JsonWrite for #name {
                fn write_json(&self, w: &mut JsonWriter) {
                    #write_body
                }
            }
        }
    });
    let read = read_gate.map(|gate| {
        quote! {
            #gate
            impl JsonRead for #name {
                fn read_json(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
                    #read_body
                }
            }
        }
    });
    quote!(#write #read)
}
