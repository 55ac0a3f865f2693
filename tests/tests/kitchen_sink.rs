//! Behaviour of the code smithgen emits, exercised on the kitchen-sink fixture model (generated
//! by this crate's build script): builders and requiredness, defaults, forward-compatible enums,
//! unions, recursion, redaction of `@sensitive` data, errors, renamed and escaped names.

use smithgen_runtime::{BuildError, Document, Operation};
use smithgen_tests::kitchen_sink::operation::{get_thing, put_thing};
use smithgen_tests::kitchen_sink::types::{
    Color, GetThingOutput, InvalidThingError, LegacyConfig, Node, OptionShape, Priority,
    PutThingInput, ResultShape, Shape, Tag, ThingKind, ThrottledError,
};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

#[test]
fn input_members_are_optional_but_required_ones_are_checked() {
    let err = PutThingInput::builder().build().unwrap_err();
    assert_eq!(err, BuildError::missing_field("PutThingInput", "name"));
    assert_eq!(
        err.to_string(),
        "missing required field `name` of `PutThingInput`"
    );
    let input = PutThingInput::builder().name("widget").build().unwrap();
    assert_eq!(input.name.as_deref(), Some("widget"));
    assert_eq!(input.tags, None);
}

#[test]
fn list_and_map_setters_append() {
    let tag = |k: &str| Tag::builder().key(k).build().unwrap();
    let input = PutThingInput::builder()
        .name("n")
        .tags(tag("a"))
        .tags(tag("b"))
        .labels("x", "1")
        .labels("y", "2")
        .sparse_tags(None)
        .sparse_tags(tag("c"))
        .sparse_labels("gone", None)
        .build()
        .unwrap();
    let keys: Vec<&str> = input
        .tags
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.key.as_str())
        .collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(input.labels.as_ref().unwrap().len(), 2);
    assert_eq!(input.sparse_tags.as_ref().unwrap()[0], None);
    assert_eq!(input.sparse_labels.as_ref().unwrap()["gone"], None);
    let cleared = PutThingInput::builder()
        .name("n")
        .tags(tag("a"))
        .set_tags(None)
        .build()
        .unwrap();
    assert_eq!(cleared.tags, None);
}

#[test]
fn keywords_and_colliding_names_are_escaped() {
    let input = PutThingInput::builder()
        .name("n")
        .r#type(ThingKind::Large)
        .self_(true)
        .r#match(Priority::High)
        .build2("b")
        .set_name("also a field")
        .build()
        .unwrap();
    assert_eq!(input.r#type, Some(ThingKind::Large));
    assert_eq!(input.self_, Some(true));
    assert_eq!(input.r#match, Some(Priority::High));
    assert_eq!(input.build.as_deref(), Some("b"));
    assert_eq!(input.set_name.as_deref(), Some("also a field"));
    // `Result` and `Option` would shadow std names inside the crate: they are renamed.
    let _ = ResultShape::builder().code("500").build();
    let _ = OptionShape::builder().value("v").build();
}

#[test]
fn output_members_follow_required_and_default() {
    let err = GetThingOutput::builder().name("n").build().unwrap_err();
    assert_eq!(
        err.field(),
        "created_at",
        "the mixin member made required by `apply`"
    );
    let out = GetThingOutput::builder()
        .name("n")
        .created_at(smithgen_runtime::DateTime::from_secs(1))
        .build()
        .unwrap();
    assert_eq!(out.size, 7);
    assert!(out.enabled);
    assert_eq!(out.label, "none");
    assert_eq!(out.kind, ThingKind::Small);
    assert_eq!(out.priority, Priority::Medium);
    assert!(out.items.is_empty());
    assert_eq!(
        out.optional_count, None,
        "@clientOptional wins over @required"
    );
}

#[test]
fn smithy_1_members_get_their_implied_defaults() {
    let legacy = LegacyConfig::builder().build();
    assert_eq!(legacy.count, 0, "PrimitiveInteger");
    assert_eq!(legacy.boxed_count, None, "Integer is boxed");
    assert_eq!(legacy.retries, 0, "a 1.0 integer shape without @box");
    assert!(!legacy.enabled);
    assert_eq!(Color::from("dark-blue"), Color::DarkBlue);
    assert_eq!(Color::from("1st"), Color::V1st);
    assert_eq!(Color::Red.as_str(), "red");
}

#[test]
fn enums_round_trip_unknown_values() {
    assert_eq!(ThingKind::from("large"), ThingKind::Large);
    assert_eq!("small".parse::<ThingKind>().unwrap(), ThingKind::Small);
    let future = ThingKind::from("gigantic");
    assert!(matches!(future, ThingKind::Unknown(_)));
    assert_eq!(future.as_str(), "gigantic");
    assert_eq!(future.to_string(), "gigantic");
    // A model value spelled UNKNOWN does not clash with the catch-all variant.
    assert_eq!(ThingKind::from("unknown"), ThingKind::UnknownValue);
    assert_eq!(ThingKind::values(), ["small", "large", "unknown", "old"]);
    assert_eq!(Priority::from(3), Priority::High);
    assert_eq!(Priority::from(42).as_i32(), 42);
    assert_eq!(Priority::values(), [1, 2, 3]);
}

#[test]
fn recursive_shapes_are_boxed() {
    let leaf = Node::builder().value("leaf").build();
    let root = Node::builder()
        .value("root")
        .next(leaf.clone())
        .children(leaf)
        .build();
    let next: &Node = root.next.as_deref().expect("boxed next");
    assert_eq!(next.value.as_deref(), Some("leaf"));
    let nested = Shape::Nested(Box::new(Shape::Square(2.0)));
    assert_eq!(format!("{nested:?}"), "Nested(Square(2.0))");
    assert_eq!(format!("{:?}", Shape::Nothing), "Nothing");
}

#[test]
fn sensitive_data_never_reaches_debug() {
    let input = PutThingInput::builder()
        .name("visible-name")
        .secret("hunter2")
        .password("swordfish")
        .secrets_by_name("db", "letmein")
        .shape(Shape::Hidden("classified".into()))
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    for secret in ["hunter2", "swordfish", "letmein"] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
    assert!(debug.contains("visible-name"));
    assert!(debug.contains(&format!("secret: {REDACTED}")));
    assert!(
        debug.contains(&format!("password: {REDACTED}")),
        "sensitive target shape"
    );
    assert!(
        debug.contains(&format!("secrets_by_name: {REDACTED}")),
        "sensitive map value"
    );
    let union = format!("{:?}", Shape::Hidden("classified".into()));
    assert_eq!(union, format!("Hidden({REDACTED})"));
    // The builder's Debug redacts too.
    let builder = format!("{:?}", PutThingInput::builder().secret("hunter2"));
    assert!(!builder.contains("hunter2"), "{builder}");
    // A structure marked @sensitive is redacted whole.
    let whole = format!("{:?}", OptionShape::builder().value("private").build());
    assert_eq!(whole, REDACTED);
}

#[test]
fn errors_display_code_and_message() {
    let e = InvalidThingError::builder()
        .message("name too long")
        .field("name")
        .build();
    assert_eq!(e.to_string(), "InvalidThingError: name too long");
    assert_eq!(InvalidThingError::CODE, "InvalidThingError");
    let t = ThrottledError::builder()
        .message("slow down")
        .build()
        .unwrap();
    let op_error = put_thing::PutThingError::from(t);
    assert_eq!(
        op_error.code(),
        "ThrottledError",
        "service errors join every operation's"
    );
    assert_eq!(op_error.to_string(), "ThrottledError: slow down");
    assert!(std::error::Error::source(&op_error).is_some());
    let unhandled = get_thing::GetThingError::Unhandled(
        smithgen_runtime::UnhandledError::new("Weird").with_message("?"),
    );
    assert_eq!(unhandled.code(), "Weird");
    assert_eq!(unhandled.to_string(), "Weird: ?");
}

#[test]
fn operations_describe_themselves() {
    fn name<O: Operation>() -> &'static str {
        O::NAME
    }
    assert_eq!(name::<put_thing::PutThing>(), "PutThing");
    let _: <put_thing::PutThing as Operation>::Input =
        PutThingInput::builder().name("n").build().unwrap();
    #[allow(deprecated)]
    let _: <get_thing::GetThing as Operation>::Input = ();
}

#[test]
fn documents_and_big_numbers_are_runtime_types() {
    let input = PutThingInput::builder()
        .name("n")
        .extra(Document::from("free-form"))
        .huge(smithgen_runtime::BigInteger::from(12345678901234_i64))
        .build()
        .unwrap();
    assert_eq!(input.extra.unwrap().as_str(), Some("free-form"));
    assert_eq!(input.huge.unwrap().as_str(), "12345678901234");
}
