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

/// Every shape the Smithy prelude (`smithy.api`) defines, trait definitions included, with its
/// type: IDL files resolve relative ids against these names, and an omitted trait value
/// (`@required`) takes its form from the trait's type (`{}` for structures and maps, `[]` for
/// lists).
pub(crate) const DEFINITIONS: &[(&str, &str)] = &[
    ("AuthTraitReference", "string"),
    ("BigDecimal", "bigDecimal"),
    ("BigInteger", "bigInteger"),
    ("Blob", "blob"),
    ("Boolean", "boolean"),
    ("Byte", "byte"),
    ("ClosureId", "string"),
    ("CommonMark", "string"),
    ("Document", "document"),
    ("Double", "double"),
    ("EnumConstantBodyName", "string"),
    ("EnumDefinition", "structure"),
    ("Example", "structure"),
    ("ExampleError", "structure"),
    ("Float", "float"),
    ("HttpApiKeyLocations", "enum"),
    ("IdempotentErrors", "list"),
    ("Identifier", "string"),
    ("Integer", "integer"),
    ("LocalMixinTrait", "string"),
    ("LocalMixinTraitList", "list"),
    ("Long", "long"),
    ("Namespaces", "list"),
    ("NonEmptyString", "string"),
    ("NonEmptyStringList", "list"),
    ("NonEmptyStringMap", "map"),
    ("PrimitiveBoolean", "boolean"),
    ("PrimitiveByte", "byte"),
    ("PrimitiveDouble", "double"),
    ("PrimitiveFloat", "float"),
    ("PrimitiveInteger", "integer"),
    ("PrimitiveLong", "long"),
    ("PrimitiveShort", "short"),
    ("Reference", "structure"),
    ("Renames", "map"),
    ("RequestCompressionEncodingsList", "list"),
    ("Severity", "enum"),
    ("ShapeClosure", "structure"),
    ("ShapeClosures", "list"),
    ("Short", "short"),
    ("String", "string"),
    ("StructurallyExclusive", "enum"),
    ("Timestamp", "timestamp"),
    ("TraitChangeType", "enum"),
    ("TraitDiffRule", "structure"),
    ("TraitDiffRules", "list"),
    ("TraitShapeId", "string"),
    ("TraitShapeIdList", "list"),
    ("TraitValidator", "structure"),
    ("Unit", "structure"),
    ("addedDefault", "structure"),
    ("auth", "list"),
    ("authDefinition", "structure"),
    ("box", "structure"),
    ("clientOptional", "structure"),
    ("cors", "structure"),
    ("default", "document"),
    ("deprecated", "structure"),
    ("documentation", "string"),
    ("endpoint", "structure"),
    ("enum", "list"),
    ("enumValue", "document"),
    ("error", "enum"),
    ("eventHeader", "structure"),
    ("eventPayload", "structure"),
    ("examples", "list"),
    ("externalDocumentation", "map"),
    ("hostLabel", "structure"),
    ("http", "structure"),
    ("httpApiKeyAuth", "structure"),
    ("httpBasicAuth", "structure"),
    ("httpBearerAuth", "structure"),
    ("httpChecksumRequired", "structure"),
    ("httpDigestAuth", "structure"),
    ("httpError", "integer"),
    ("httpHeader", "string"),
    ("httpLabel", "structure"),
    ("httpPayload", "structure"),
    ("httpPrefixHeaders", "string"),
    ("httpQuery", "string"),
    ("httpQueryParams", "structure"),
    ("httpResponseCode", "structure"),
    ("idRef", "structure"),
    ("idempotencyToken", "structure"),
    ("idempotent", "structure"),
    ("input", "structure"),
    ("internal", "structure"),
    ("jsonName", "string"),
    ("length", "structure"),
    ("longPoll", "structure"),
    ("mediaType", "string"),
    ("metadata", "structure"),
    ("mixin", "structure"),
    ("nestedProperties", "structure"),
    ("noReplace", "structure"),
    ("notProperty", "structure"),
    ("optionalAuth", "structure"),
    ("output", "structure"),
    ("paginated", "structure"),
    ("pattern", "string"),
    ("private", "structure"),
    ("property", "structure"),
    ("protocolDefinition", "structure"),
    ("range", "structure"),
    ("readonly", "structure"),
    ("recommended", "structure"),
    ("references", "list"),
    ("requestCompression", "structure"),
    ("required", "structure"),
    ("requiresLength", "structure"),
    ("resourceIdentifier", "string"),
    ("retryable", "structure"),
    ("sensitive", "structure"),
    ("since", "string"),
    ("sparse", "structure"),
    ("streaming", "structure"),
    ("suppress", "list"),
    ("tags", "list"),
    ("timestampFormat", "enum"),
    ("title", "string"),
    ("trait", "structure"),
    ("traitValidators", "map"),
    ("uniqueItems", "structure"),
    ("unitType", "structure"),
    ("unstable", "structure"),
    ("xmlAttribute", "structure"),
    ("xmlFlattened", "structure"),
    ("xmlName", "string"),
    ("xmlNamespace", "structure"),
];

/// The type of the prelude shape `name`, if it is one.
pub(crate) fn definition(name: &str) -> Option<&'static str> {
    DEFINITIONS
        .binary_search_by(|(n, _)| n.cmp(&name))
        .ok()
        .map(|i| DEFINITIONS[i].1)
}
