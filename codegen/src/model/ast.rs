//! A loaded [`Model`] written back out: as Smithy JSON AST 2.0, or as Smithy IDL 2.0.
//!
//! What is written is the model as smithgen understands it, every input merged: prelude shapes
//! are left out, `apply` statements are already applied, mixins are already flattened into
//! the shapes that use them (the mixin shapes themselves stay, marked `@mixin`), and 1.0
//! semantics are already upgraded (`@default` on members that 1.0 made non-nullable). Shapes
//! are sorted by id and members keep their model order, so the output is deterministic.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Member, Model, Shape, ShapeType};

/// The model as a Smithy JSON AST 2.0 document.
pub fn to_json_ast(model: &Model) -> Value {
    let mut shapes = Map::new();
    for shape in model.shapes() {
        if Model::is_prelude(&shape.id) {
            continue;
        }
        shapes.insert(shape.id.as_str().to_owned(), shape_ast(shape));
    }
    let mut root = Map::new();
    root.insert("smithy".into(), Value::String("2.0".into()));
    if !model.metadata.is_empty() {
        root.insert(
            "metadata".into(),
            Value::Object(
                model
                    .metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        );
    }
    root.insert("shapes".into(), Value::Object(shapes));
    Value::Object(root)
}

/// The model as Smithy IDL 2.0: one file per namespace (`namespace → text`). Model metadata
/// goes into the file of the first namespace.
pub fn to_idl(model: &Model) -> BTreeMap<String, String> {
    super::idl::write::write(&to_json_ast(model))
}

fn traits_value(traits: &super::Traits) -> Option<Value> {
    let map: Map<String, Value> = traits
        .iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    (!map.is_empty()).then_some(Value::Object(map))
}

fn member_ast(member: &Member) -> Value {
    let mut m = Map::new();
    m.insert(
        "target".into(),
        Value::String(member.target.as_str().into()),
    );
    if let Some(traits) = traits_value(&member.traits) {
        m.insert("traits".into(), traits);
    }
    Value::Object(m)
}

fn target(id: &super::ShapeId) -> Value {
    let mut m = Map::new();
    m.insert("target".into(), Value::String(id.as_str().into()));
    Value::Object(m)
}

fn targets(ids: &[super::ShapeId]) -> Value {
    Value::Array(ids.iter().map(target).collect())
}

fn shape_ast(shape: &Shape) -> Value {
    let mut o = Map::new();
    o.insert("type".into(), Value::String(shape.kind.as_str().into()));
    match shape.kind {
        ShapeType::List => {
            if let Some(m) = shape.member("member") {
                o.insert("member".into(), member_ast(m));
            }
        }
        ShapeType::Map => {
            for name in ["key", "value"] {
                if let Some(m) = shape.member(name) {
                    o.insert(name.into(), member_ast(m));
                }
            }
        }
        k if k.has_named_members() => {
            let members: Map<String, Value> = shape
                .members
                .iter()
                .map(|m| (m.name.clone(), member_ast(m)))
                .collect();
            o.insert("members".into(), Value::Object(members));
        }
        _ => {}
    }
    let r = &shape.relations;
    match shape.kind {
        ShapeType::Service => {
            if let Some(v) = &r.version {
                o.insert("version".into(), Value::String(v.clone()));
            }
            if !r.operations.is_empty() {
                o.insert("operations".into(), targets(&r.operations));
            }
            if !r.resources.is_empty() {
                o.insert("resources".into(), targets(&r.resources));
            }
            if !r.errors.is_empty() {
                o.insert("errors".into(), targets(&r.errors));
            }
            if !r.rename.is_empty() {
                let rename: Map<String, Value> = r
                    .rename
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), Value::String(v.clone())))
                    .collect();
                o.insert("rename".into(), Value::Object(rename));
            }
        }
        ShapeType::Operation => {
            // No input (output) and `smithy.api#Unit` mean the same; the AST leaves it out.
            for (key, id) in [("input", &r.input), ("output", &r.output)] {
                if let Some(id) = id.as_ref().filter(|id| id.as_str() != super::UNIT) {
                    o.insert(key.into(), target(id));
                }
            }
            if !r.errors.is_empty() {
                o.insert("errors".into(), targets(&r.errors));
            }
        }
        ShapeType::Resource => {
            for (key, map) in [
                ("identifiers", &r.identifiers),
                ("properties", &r.properties),
            ] {
                if !map.is_empty() {
                    let m: Map<String, Value> =
                        map.iter().map(|(k, v)| (k.clone(), target(v))).collect();
                    o.insert(key.into(), Value::Object(m));
                }
            }
            for (key, id) in &r.lifecycle {
                o.insert(key.clone(), target(id));
            }
            if !r.operations.is_empty() {
                o.insert("operations".into(), targets(&r.operations));
            }
            if !r.collection_operations.is_empty() {
                o.insert(
                    "collectionOperations".into(),
                    targets(&r.collection_operations),
                );
            }
            if !r.resources.is_empty() {
                o.insert("resources".into(), targets(&r.resources));
            }
        }
        _ => {}
    }
    if let Some(traits) = traits_value(&shape.traits) {
        o.insert("traits".into(), traits);
    }
    Value::Object(o)
}
