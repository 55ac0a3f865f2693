//! Every Rust name the generated crate uses, decided in one place.
//!
//! Types are PascalCase, fields and methods snake_case (heck); Rust keywords become raw
//! identifiers (or get a `_` suffix where raw identifiers are not allowed); names that would
//! collide are made unique with a numeric suffix; members that make a structure or union
//! contain itself without a collection in between are boxed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Member, Shape, ShapeId, ShapeType};
use crate::select::ServiceView;

/// Names a generated type may not take because generated code uses the std item by that name.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "Display",
    "Send",
    "Sync",
    "Sized",
    "Iterator",
    "From",
    "Into",
    "AsRef",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "FromStr",
    "ToString",
    "Fn",
    "HashMap",
    "Error",
    "Formatter",
    "Infallible",
];

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Turns a snake_case name into an identifier, escaping keywords.
pub fn snake_ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A plain identifier (callers guarantee it is valid and not a keyword).
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// snake_case of a model name, never empty and never starting with a digit.
pub fn to_snake(name: &str) -> String {
    let s = name.to_snake_case();
    match s.chars().next() {
        None => "value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{s}"),
        Some(_) => s,
    }
}

/// PascalCase of a model name, never empty and never starting with a digit.
pub fn to_pascal(name: &str) -> String {
    let s: String = name
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match s.chars().next() {
        None => "Value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{s}"),
        Some(_) => s,
    }
}

/// Makes `name` unique within `taken` by appending 2, 3, … and records it.
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .expect("an unused suffix exists")
}

/// Names of one structure's or union's members.
#[derive(Clone, Debug, Default)]
pub struct MemberNames {
    /// Field (or variant, for unions) name per member, in member order.
    pub fields: Vec<String>,
    /// Builder setter per member (structures only).
    pub setters: Vec<String>,
    /// Builder `set_` setter per member (structures only).
    pub option_setters: Vec<String>,
}

/// Names for one operation.
#[derive(Clone, Debug)]
pub struct OperationNames {
    /// The marker type, `CreateKeyPair`.
    pub type_name: String,
    /// Its module, `create_key_pair`.
    pub module: String,
    /// Its error enum, `CreateKeyPairError`.
    pub error: String,
}

/// The symbol table of one generated crate.
#[derive(Debug, Default)]
pub struct Symbols {
    types: BTreeMap<ShapeId, String>,
    modules: BTreeMap<ShapeId, String>,
    builders: BTreeMap<ShapeId, String>,
    members: BTreeMap<ShapeId, MemberNames>,
    variants: BTreeMap<ShapeId, Vec<String>>,
    operations: BTreeMap<ShapeId, OperationNames>,
    boxed: HashSet<ShapeId>,
}

impl Symbols {
    /// Decides every name for the view.
    pub fn new(view: &ServiceView<'_>) -> Symbols {
        let mut symbols = Symbols::default();
        let mut type_names: HashSet<String> =
            RESERVED_TYPES.iter().map(|s| (*s).to_owned()).collect();
        let mut module_names: HashSet<String> = HashSet::new();
        let generated: Vec<&Shape> = view.shapes().filter(|s| generates_type(s)).collect();
        for shape in &generated {
            let mut name = to_pascal(&view.shape_name(&shape.id));
            if RESERVED_TYPES.contains(&name.as_str()) {
                name.push_str("Shape");
            }
            let name = unique(name, &mut type_names);
            let module = unique(to_snake(&name), &mut module_names);
            symbols.modules.insert(shape.id.clone(), module);
            symbols.types.insert(shape.id.clone(), name);
        }
        for shape in &generated {
            if shape.kind == ShapeType::Structure {
                let builder = unique(
                    format!("{}Builder", symbols.types[&shape.id]),
                    &mut type_names,
                );
                symbols.builders.insert(shape.id.clone(), builder);
            }
            match shape.kind {
                ShapeType::Structure => {
                    let names = structure_member_names(shape);
                    symbols.members.insert(shape.id.clone(), names);
                }
                ShapeType::Union => {
                    let mut taken: HashSet<String> = ["Unknown".to_owned()].into();
                    let fields = shape
                        .members
                        .iter()
                        .map(|m| unique(to_pascal(&m.name), &mut taken))
                        .collect();
                    symbols.members.insert(
                        shape.id.clone(),
                        MemberNames {
                            fields,
                            ..Default::default()
                        },
                    );
                }
                _ => {
                    let mut taken: HashSet<String> = ["Unknown".to_owned()].into();
                    let variants = shape
                        .enum_values()
                        .iter()
                        .map(|v| {
                            let mut name = to_pascal(&v.name);
                            if name == "Unknown" || name == "Self" {
                                name.push_str("Value");
                            }
                            unique(name, &mut taken)
                        })
                        .collect();
                    symbols.variants.insert(shape.id.clone(), variants);
                }
            }
        }
        let mut op_types: HashSet<String> = HashSet::new();
        let mut op_modules: HashSet<String> = HashSet::new();
        for op in &view.operations {
            let type_name = unique(to_pascal(&view.shape_name(&op.id)), &mut op_types);
            let module = unique(to_snake(&type_name), &mut op_modules);
            let error = format!("{type_name}Error");
            symbols.operations.insert(
                op.id.clone(),
                OperationNames {
                    type_name,
                    module,
                    error,
                },
            );
        }
        symbols.boxed = boxed_members(&generated);
        symbols
    }

    /// The Rust type name of a generated shape.
    pub fn type_name(&self, id: &ShapeId) -> &str {
        &self.types[id]
    }

    /// The private module (and file) holding a generated shape.
    pub fn module_name(&self, id: &ShapeId) -> &str {
        &self.modules[id]
    }

    /// The builder type of a structure.
    pub fn builder_name(&self, id: &ShapeId) -> &str {
        &self.builders[id]
    }

    /// Member names of a structure or union.
    pub fn member_names(&self, id: &ShapeId) -> &MemberNames {
        &self.members[id]
    }

    /// Variant names of an enum, in value order.
    pub fn variants(&self, id: &ShapeId) -> &[String] {
        &self.variants[id]
    }

    /// Names of an operation.
    pub fn operation(&self, id: &ShapeId) -> &OperationNames {
        &self.operations[id]
    }

    /// Whether member `member` of `shape` must be boxed to break a cycle.
    pub fn is_boxed(&self, shape: &ShapeId, member: &str) -> bool {
        self.boxed.contains(&shape.with_member(member))
    }

    /// `types::Name` for a generated shape. Every module that holds generated code sits two
    /// levels below the crate root (`types::tag`, `operation::create_key_pair`) and imports
    /// `super::super::types`, so the same code works as a crate and when `include!`d anywhere.
    pub fn type_path(&self, id: &ShapeId) -> TokenStream {
        let name = ident(self.type_name(id));
        quote!(types::#name)
    }

    /// The Rust type of a value of shape `target` (without `Option` or `Box`).
    pub fn rust_type(&self, view: &ServiceView<'_>, target: &Shape) -> TokenStream {
        match target.kind {
            ShapeType::Blob if target.traits.has(crate::model::trait_ids::STREAMING) => {
                quote!(smithgen_runtime::ByteStream)
            }
            ShapeType::Blob => quote!(smithgen_runtime::Blob),
            ShapeType::Boolean => quote!(bool),
            ShapeType::String if target.is_string_enum() => self.type_path(&target.id),
            ShapeType::String => quote!(String),
            ShapeType::Enum | ShapeType::IntEnum => self.type_path(&target.id),
            ShapeType::Byte => quote!(i8),
            ShapeType::Short => quote!(i16),
            ShapeType::Integer => quote!(i32),
            ShapeType::Long => quote!(i64),
            ShapeType::Float => quote!(f32),
            ShapeType::Double => quote!(f64),
            ShapeType::BigInteger => quote!(smithgen_runtime::BigInteger),
            ShapeType::BigDecimal => quote!(smithgen_runtime::BigDecimal),
            ShapeType::Timestamp => quote!(smithgen_runtime::DateTime),
            ShapeType::Document => quote!(smithgen_runtime::Document),
            ShapeType::List => {
                let member = target.list_member().expect("validated list");
                let item = self.rust_type(view, view.model.target(member));
                if target.traits.has(crate::model::trait_ids::SPARSE) {
                    quote!(Vec<Option<#item>>)
                } else {
                    quote!(Vec<#item>)
                }
            }
            ShapeType::Map => {
                let (key, value) = target.map_members().expect("validated map");
                let key = self.rust_type(view, view.model.target(key));
                let value = self.rust_type(view, view.model.target(value));
                if target.traits.has(crate::model::trait_ids::SPARSE) {
                    quote!(std::collections::HashMap<#key, Option<#value>>)
                } else {
                    quote!(std::collections::HashMap<#key, #value>)
                }
            }
            ShapeType::Structure if target.id.as_str() == crate::model::UNIT => quote!(()),
            ShapeType::Structure | ShapeType::Union => self.type_path(&target.id),
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource => {
                unreachable!("validated models never target {:?}", target.kind)
            }
        }
    }

    /// The type of a member's value (without `Option` or `Box`): the target's, except that
    /// an operation output's `@streaming` union (an event stream) is an `EventReceiver` of it.
    pub fn value_type(
        &self,
        view: &ServiceView<'_>,
        shape: &Shape,
        member: &Member,
    ) -> TokenStream {
        let target = view.model.target(member);
        let ty = self.rust_type(view, target);
        if is_event_stream_output(view, shape, target) {
            quote!(smithgen_runtime::event_stream::EventReceiver<#ty>)
        } else if is_event_stream_input(view, shape, target) {
            quote!(smithgen_runtime::event_stream::EventSender<#ty>)
        } else {
            ty
        }
    }

    /// The type of a member as stored: boxed when it breaks a cycle.
    pub fn member_type(
        &self,
        view: &ServiceView<'_>,
        shape: &Shape,
        member: &Member,
    ) -> TokenStream {
        let ty = self.value_type(view, shape, member);
        if self.is_boxed(&shape.id, &member.name) {
            quote!(Box<#ty>)
        } else {
            ty
        }
    }
}

/// Whether `target`, a member's target in `shape`, is an event stream the client receives: a
/// `@streaming` union in an operation's output.
pub fn is_event_stream_output(view: &ServiceView<'_>, shape: &Shape, target: &Shape) -> bool {
    is_event_stream_in(view, target, |op| {
        op.relations.output.as_ref() == Some(&shape.id)
    })
}

/// Whether `target`, a member's target in `shape`, is an event stream the client sends: a
/// `@streaming` union in an operation's input.
pub fn is_event_stream_input(view: &ServiceView<'_>, shape: &Shape, target: &Shape) -> bool {
    is_event_stream_in(view, target, |op| {
        op.relations.input.as_ref() == Some(&shape.id)
    })
}

fn is_event_stream_in(
    view: &ServiceView<'_>,
    target: &Shape,
    holds: impl Fn(&Shape) -> bool,
) -> bool {
    target.kind == ShapeType::Union
        && target.traits.has(crate::model::trait_ids::STREAMING)
        && view.operations.iter().any(|op| holds(op))
}

/// Whether a shape becomes a Rust type of its own.
pub fn generates_type(shape: &Shape) -> bool {
    match shape.kind {
        ShapeType::Structure => !shape.is_mixin() && shape.id.as_str() != crate::model::UNIT,
        ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => !shape.is_mixin(),
        ShapeType::String => shape.is_string_enum(),
        _ => false,
    }
}

fn structure_member_names(shape: &Shape) -> MemberNames {
    let mut fields_taken = HashSet::new();
    let fields: Vec<String> = shape
        .members
        .iter()
        .map(|m| unique(to_snake(&m.name), &mut fields_taken))
        .collect();
    // Setters share one namespace with `build` (and, in an input's fluent builder, with `new`,
    // `send`, `customize` and `as_input`); `set_x` of field `x` may meet a field named `set_x`.
    let mut methods: HashSet<String> = ["build", "new", "send", "customize", "as_input"]
        .map(str::to_owned)
        .into();
    let setters: Vec<String> = fields
        .iter()
        .map(|f| unique(f.clone(), &mut methods))
        .collect();
    let option_setters = fields
        .iter()
        .map(|f| unique(format!("set_{f}"), &mut methods))
        .collect();
    MemberNames {
        fields,
        setters,
        option_setters,
    }
}

/// Members to box: edges between structures/unions of one strongly connected component
/// (collections already put their items on the heap, so only direct edges count).
fn boxed_members(generated: &[&Shape]) -> HashSet<ShapeId> {
    let nodes: Vec<&Shape> = generated
        .iter()
        .copied()
        .filter(|s| matches!(s.kind, ShapeType::Structure | ShapeType::Union))
        .collect();
    let index: HashMap<&ShapeId, usize> =
        nodes.iter().enumerate().map(|(i, s)| (&s.id, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|s| {
            s.members
                .iter()
                .filter_map(|m| index.get(&m.target).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut boxed = HashSet::new();
    for (i, shape) in nodes.iter().enumerate() {
        for m in &shape.members {
            if let Some(&j) = index.get(&m.target) {
                if component[i] == component[j] {
                    boxed.insert(shape.id.with_member(&m.name));
                }
            }
        }
    }
    boxed
}

/// Tarjan's algorithm, iterative (models can be deep); returns a component id per node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// The set of generated type names, for tests and reports.
pub fn type_names(symbols: &Symbols) -> BTreeSet<&str> {
    symbols.types.values().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming() {
        assert_eq!(to_snake("keyPairName"), "key_pair_name");
        assert_eq!(to_snake("SSEDescription"), "sse_description");
        assert_eq!(to_pascal("us-east-1"), "UsEast1");
        assert_eq!(to_pascal("1GB"), "V1gb");
        assert_eq!(to_pascal("t2.micro"), "T2Micro");
        assert_eq!(snake_ident("type").to_string(), "r#type");
        assert_eq!(snake_ident("self").to_string(), "self_");
        assert_eq!(snake_ident("name").to_string(), "name");
    }

    #[test]
    fn unique_names() {
        let mut taken = HashSet::new();
        assert_eq!(unique("a".into(), &mut taken), "a");
        assert_eq!(unique("a".into(), &mut taken), "a2");
        assert_eq!(unique("a".into(), &mut taken), "a3");
    }

    #[test]
    fn cycles() {
        // 0 -> 1 -> 0, 2 -> 2, 3 alone.
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
