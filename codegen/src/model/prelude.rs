//! The Smithy prelude shapes (`smithy.api#String`, `smithy.api#Unit`, `smithy.api#PrimitiveInteger`, …).
//!
//! JSON AST files normally omit the prelude, so it is bundled here.

use serde_json::json;

use super::{Shape, ShapeId, ShapeType, Traits};

/// `(name, type, default value for the Primitive* shapes)`.
const PRELUDE: &[(&str, ShapeType, Option<i8>)] = &[
    ("String", ShapeType::String, None),
    ("Blob", ShapeType::Blob, None),
    ("BigInteger", ShapeType::BigInteger, None),
    ("BigDecimal", ShapeType::BigDecimal, None),
    ("Timestamp", ShapeType::Timestamp, None),
    ("Document", ShapeType::Document, None),
    ("Boolean", ShapeType::Boolean, None),
    ("Byte", ShapeType::Byte, None),
    ("Short", ShapeType::Short, None),
    ("Integer", ShapeType::Integer, None),
    ("Long", ShapeType::Long, None),
    ("Float", ShapeType::Float, None),
    ("Double", ShapeType::Double, None),
    ("PrimitiveBoolean", ShapeType::Boolean, Some(-1)),
    ("PrimitiveByte", ShapeType::Byte, Some(0)),
    ("PrimitiveShort", ShapeType::Short, Some(0)),
    ("PrimitiveInteger", ShapeType::Integer, Some(0)),
    ("PrimitiveLong", ShapeType::Long, Some(0)),
    ("PrimitiveFloat", ShapeType::Float, Some(0)),
    ("PrimitiveDouble", ShapeType::Double, Some(0)),
    ("Unit", ShapeType::Structure, None),
];

/// The id of the prelude's unit structure.
pub const UNIT: &str = "smithy.api#Unit";

/// Builds the prelude shapes.
pub(crate) fn shapes() -> Vec<Shape> {
    let file = std::sync::Arc::new(std::path::PathBuf::from("<prelude>"));
    PRELUDE
        .iter()
        .map(|&(name, kind, default)| {
            let mut traits = Traits::default();
            match default {
                Some(-1) => traits.insert(super::trait_ids::DEFAULT, json!(false)),
                Some(_) => traits.insert(super::trait_ids::DEFAULT, json!(0)),
                None => {}
            }
            if name == "Unit" {
                traits.insert(super::trait_ids::UNIT_TYPE, json!({}));
            }
            Shape {
                id: ShapeId::new_unchecked(format!("smithy.api#{name}")),
                kind,
                members: Vec::new(),
                traits,
                mixins: Vec::new(),
                relations: Default::default(),
                file: file.clone(),
            }
        })
        .collect()
}
