//! Every validation error has a broken fixture model; each test asserts the whole located
//! message a user sees: file, line:column or JSON path, shape id, member and what is wrong.

use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/invalid")
        .join(name)
}

/// Loads a broken fixture and returns its single diagnostic, rendered.
fn error_of(name: &str) -> String {
    let path = fixture(name);
    let err = smithgen::model::load_files(&[&path]).expect_err("the fixture is invalid");
    assert_eq!(err.0.len(), 1, "expected exactly one problem, got: {err}");
    let d = &err.0[0];
    assert_eq!(d.file, path, "the error names the file");
    d.to_string().replace(&path.display().to_string(), name)
}

#[test]
fn malformed_json_has_line_and_column() {
    assert_eq!(
        error_of("malformed-json.json"),
        "malformed-json.json:6:9: malformed JSON: trailing comma"
    );
}

#[test]
fn truncated_json_is_reported_at_its_end() {
    assert_eq!(
        error_of("truncated-json.json"),
        "truncated-json.json:7:0: unexpected end of file: EOF while parsing an object"
    );
}

#[test]
fn unknown_shape_type() {
    assert_eq!(
        error_of("unknown-shape-type.json"),
        "unknown-shape-type.json: shape `example#Widget`: unknown shape type `strang` \
         (at $.shapes[\"example#Widget\"].type)"
    );
}

#[test]
fn target_that_does_not_exist() {
    assert_eq!(
        error_of("missing-target.json"),
        "missing-target.json: shape `example#Widget`, member `color`: target `example#Colour` \
         does not exist (at $.shapes[\"example#Widget\"].members[\"color\"].target)"
    );
}

#[test]
fn members_on_a_shape_that_cannot_have_them() {
    assert_eq!(
        error_of("members-on-simple-shape.json"),
        "members-on-simple-shape.json: shape `example#Name`: a `string` shape cannot have members \
         (found `members`) (at $.shapes[\"example#Name\"].members)"
    );
}

#[test]
fn member_names_differing_only_in_case() {
    assert_eq!(
        error_of("case-insensitive-members.json"),
        "case-insensitive-members.json: shape `example#Widget`, member `Name`: member names `name` \
         and `Name` differ only in case (at $.shapes[\"example#Widget\"].members[\"Name\"])"
    );
}

#[test]
fn enum_without_values() {
    assert_eq!(
        error_of("enum-without-values.json"),
        "enum-without-values.json: shape `example#Color`: an enum must have at least one value \
         (at $.shapes[\"example#Color\"])"
    );
}

#[test]
fn smithy_1_string_enum_without_values() {
    assert_eq!(
        error_of("string-enum-without-values.json"),
        "string-enum-without-values.json: shape `example#Color`: an enum must have at least one \
         value (at $.shapes[\"example#Color\"].traits[\"smithy.api#enum\"])"
    );
}

#[test]
fn unsupported_smithy_version() {
    assert_eq!(
        error_of("unsupported-version.json"),
        "unsupported-version.json: unsupported Smithy version `3.0` (smithgen reads 1.0 and 2.0) \
         (at $.smithy)"
    );
}

#[test]
fn a_collection_that_contains_itself() {
    assert_eq!(
        error_of("self-containing-list.json"),
        "self-containing-list.json: shape `example#Matryoshka`: this collection contains itself \
         without a structure or union in between (at $.shapes[\"example#Matryoshka\"])"
    );
}

#[test]
fn duplicate_enum_values() {
    assert_eq!(
        error_of("duplicate-enum-value.json"),
        "duplicate-enum-value.json: shape `example#Color`, member `CRIMSON`: the enum value `red` \
         appears more than once (at $.shapes[\"example#Color\"])"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid");
    let files = [
        dir.join("missing-target.json"),
        dir.join("unknown-shape-type.json"),
    ];
    let err = smithgen::model::load_files(&files).expect_err("both are invalid");
    assert_eq!(err.0.len(), 2, "{err}");
}

#[test]
fn conflicting_definitions_across_files_name_both() {
    let dir = std::env::temp_dir().join(format!("smithgen-conflict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    std::fs::write(
        &a,
        r#"{"smithy": "2.0", "shapes": {"example#Id": {"type": "string"}}}"#,
    )
    .unwrap();
    std::fs::write(
        &b,
        r#"{"smithy": "2.0", "shapes": {"example#Id": {"type": "integer"}}}"#,
    )
    .unwrap();
    let err = smithgen::model::load_files(&[&a, &b])
        .expect_err("conflict")
        .to_string();
    assert!(
        err.contains("shape `example#Id`: defined differently in"),
        "{err}"
    );
    assert!(err.contains("a.json") && err.contains("b.json"), "{err}");
    // The same definition twice is fine.
    std::fs::write(
        &b,
        r#"{"smithy": "2.0", "shapes": {"example#Id": {"type": "string"}}}"#,
    )
    .unwrap();
    smithgen::model::load_files(&[&a, &b]).expect("identical redefinitions merge");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_is_named() {
    let err = smithgen::model::load_files(&["no/such/model.json"]).expect_err("missing");
    let text = err.to_string();
    assert!(
        text.starts_with("error: no/such/model.json: cannot read model file:"),
        "{text}"
    );
}

/// Hostile input: truncations and byte flips of a real model never panic; they either load or
/// produce located errors.
#[test]
fn mangled_models_never_panic() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../models/lightsail.json");
    let original = std::fs::read(&path).expect("our model exists");
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut bytes = original.clone();
        match round % 4 {
            0 => bytes.truncate((next() as usize) % bytes.len()),
            1 => {
                for _ in 0..8 {
                    let i = (next() as usize) % bytes.len();
                    bytes[i] = b"{}[]\":,0a\xff"[(next() as usize) % 10];
                }
            }
            2 => {
                // Swap a shape type for another one.
                let text = String::from_utf8_lossy(&bytes).replacen(
                    "\"type\": \"structure\"",
                    [
                        "\"type\": \"string\"",
                        "\"type\": \"list\"",
                        "\"type\": \"union\"",
                        "\"type\": \"map\"",
                    ][round % 4 / 2 + (next() as usize % 3)],
                    1 + (next() as usize % 3),
                );
                bytes = text.into_bytes();
            }
            _ => {
                // Retarget a member at a shape that is not there.
                let text = String::from_utf8_lossy(&bytes).replacen("#Tag\"", "#Tog\"", 1);
                bytes = text.into_bytes();
            }
        }
        let source = smithgen::model::Source {
            path: path.clone(),
            bytes,
        };
        match smithgen::model::load_sources(vec![source]) {
            Err(errors) => {
                for d in errors.iter() {
                    assert_eq!(d.file, path);
                    assert!(!d.message.is_empty());
                }
            }
            // A model that still loads must also generate (or fail with an error, not a panic).
            Ok(model) => {
                let _ = smithgen::generate_crate(&model, &smithgen::GenerateOptions::default());
            }
        }
    }
}

/// Random small models — a service, an operation and shapes of every type with random members,
/// traits and references, now and then broken — load and generate without panicking; every
/// failure is a located error. Most of them are valid, so generation itself is exercised.
#[test]
fn random_models_never_panic() {
    let mut seed: u64 = 0xC0FFEE;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    const KINDS: &[&str] = &[
        "structure",
        "structure",
        "structure",
        "union",
        "list",
        "map",
        "enum",
        "intEnum",
        "string",
        "integer",
        "timestamp",
        "blob",
        "document",
        "bigDecimal",
        "double",
        "set",
    ];
    const PRELUDE: &[&str] = &[
        "smithy.api#String",
        "smithy.api#Integer",
        "smithy.api#PrimitiveLong",
        "smithy.api#Timestamp",
        "smithy.api#Blob",
        "smithy.api#Document",
        "smithy.api#Boolean",
    ];
    const MEMBER_TRAITS: &[&str] = &[
        "", "\"smithy.api#required\": {}", "\"smithy.api#sensitive\": {}",
        "\"smithy.api#default\": 0", "\"smithy.api#default\": \"x\"",
        "\"smithy.api#default\": []", "\"smithy.api#clientOptional\": {}",
        "\"smithy.api#deprecated\": {\"since\": \"2020\"}",
        "\"smithy.api#documentation\": \"<p>A <code>doc</code> <a href=\\\"https://x.y\\\">link</a>\"",
    ];
    const SHAPE_TRAITS: &[&str] = &[
        "",
        "",
        "\"smithy.api#sensitive\": {}",
        "\"smithy.api#sparse\": {}",
        "\"smithy.api#deprecated\": {}",
        "\"smithy.api#documentation\": \"<ul><li>x</li></ul>\"",
        "\"smithy.api#mixin\": {}",
    ];
    let mut generated = 0;
    for round in 0..300 {
        let count = 2 + next(8);
        let local = |i: usize| format!("ex#S{i}");
        let any_target = |next: &mut dyn FnMut(usize) -> usize| {
            if next(3) == 0 {
                PRELUDE[next(PRELUDE.len())].to_owned()
            } else if next(40) == 0 {
                "ex#Missing".to_owned()
            } else {
                local(next(count))
            }
        };
        let mut shapes = Vec::new();
        let mut kinds = Vec::new();
        for i in 0..count {
            let kind = if i < 2 {
                "structure"
            } else {
                KINDS[next(KINDS.len())]
            };
            kinds.push(kind);
            let mut traits = vec![if i < 2 {
                ""
            } else {
                SHAPE_TRAITS[next(SHAPE_TRAITS.len())]
            }
            .to_owned()];
            if i == 1 {
                traits.push("\"smithy.api#error\": \"client\"".to_owned());
            }
            if i == 0 && next(2) == 0 {
                traits.push("\"smithy.api#input\": {}".to_owned());
            }
            let traits: Vec<String> = traits.into_iter().filter(|t| !t.is_empty()).collect();
            let body = match kind {
                "structure" | "union" => {
                    let members: Vec<String> = (0..next(5))
                        .map(|m| {
                            let target = if kind == "union" && next(4) == 0 {
                                "smithy.api#Unit".to_owned()
                            } else {
                                any_target(&mut next)
                            };
                            let name = ["name", "type", "self", "Value", "build", "set_name", "nameX"][next(7)];
                            format!(
                                "\"{name}{m}\": {{\"target\": \"{target}\", \"traits\": {{{}}}}}",
                                MEMBER_TRAITS[next(MEMBER_TRAITS.len())]
                            )
                        })
                        .collect();
                    format!(", \"members\": {{{}}}", members.join(", "))
                }
                "list" | "set" => format!(", \"member\": {{\"target\": \"{}\"}}", any_target(&mut next)),
                "map" => format!(
                    ", \"key\": {{\"target\": \"smithy.api#String\"}}, \"value\": {{\"target\": \"{}\"}}",
                    any_target(&mut next)
                ),
                "enum" | "intEnum" => {
                    let members: Vec<String> = (0..next(4))
                        .map(|m| {
                            let value = if kind == "enum" { format!("\"v-{m}\"") } else { (m as i64 - 1).to_string() };
                            format!("\"V{m}\": {{\"target\": \"smithy.api#Unit\", \"traits\": {{\"smithy.api#enumValue\": {value}}}}}")
                        })
                        .collect();
                    format!(", \"members\": {{{}}}", members.join(", "))
                }
                _ => String::new(),
            };
            shapes.push(format!(
                "\"{}\": {{\"type\": \"{kind}\", \"traits\": {{{}}}{body}}}",
                local(i),
                traits.join(", ")
            ));
        }
        let errors = if next(2) == 0 {
            format!("{{\"target\": \"{}\"}}", local(1))
        } else {
            String::new()
        };
        shapes.push(format!(
            "\"ex#Op\": {{\"type\": \"operation\", \"input\": {{\"target\": \"{}\"}}, \"output\": {{\"target\": \"{}\"}}, \"errors\": [{errors}]}}",
            local(0),
            [local(0), "smithy.api#Unit".to_owned()][next(2)]
        ));
        shapes.push("\"ex#Svc\": {\"type\": \"service\", \"version\": \"1\", \"operations\": [{\"target\": \"ex#Op\"}]}".to_owned());
        let version = if kinds.contains(&"set") {
            "1.0"
        } else {
            ["2.0", "1.0"][next(2)]
        };
        let text = format!(
            "{{\"smithy\": \"{version}\", \"shapes\": {{{}}}}}",
            shapes.join(", ")
        );
        let path = PathBuf::from(format!("random-{round}.json"));
        let source = smithgen::model::Source {
            path: path.clone(),
            bytes: text.into_bytes(),
        };
        match smithgen::model::load_sources(vec![source]) {
            Err(errors) => {
                for d in errors.iter() {
                    assert_eq!(d.file, path);
                    assert!(!d.message.is_empty());
                }
            }
            Ok(model) => {
                match smithgen::generate_crate(&model, &smithgen::GenerateOptions::default()) {
                    Ok(_) => generated += 1,
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
    assert!(
        generated > 50,
        "only {generated} of 300 random models generated"
    );
}

#[test]
fn an_endpoint_rule_set_that_does_not_parse_fails_generation() {
    let name = "endpoint-rules-unknown-function.json";
    let path = fixture(name);
    let model = smithgen::model::load_files(&[&path]).expect("the model itself is valid");
    let err = smithgen::generate_crate(&model, &smithgen::GenerateOptions::default())
        .expect_err("the rule set is invalid");
    let text = err.to_string().replace(&path.display().to_string(), name);
    assert!(
        text.contains("endpoint-rules-unknown-function.json: shape `example#Widgets`"),
        "{text}"
    );
    assert!(text.contains("unknown function `isSett`"), "{text}");
    assert!(text.contains("rules[0].conditions[0]"), "{text}");
}

#[test]
fn an_endpoint_rule_with_a_wrongly_typed_argument_fails_generation() {
    let name = "endpoint-rules-wrong-argument-type.json";
    let path = fixture(name);
    let model = smithgen::model::load_files(&[&path]).expect("the model itself is valid");
    let err = smithgen::generate_crate(&model, &smithgen::GenerateOptions::default())
        .expect_err("the rule set is invalid");
    let text = err.to_string().replace(&path.display().to_string(), name);
    assert_eq!(
        text,
        "error: endpoint-rules-wrong-argument-type.json: shape `example#Widgets`: invalid endpoint rule \
         set: rules[0].conditions[0].argv[0]: argument 1 of `booleanEquals` must be a boolean, \
         found a string (at $.shapes[\"example#Widgets\"].traits[\"smithy.rules#endpointRuleSet\"])"
    );
}

#[test]
fn waiters_and_paginators_that_cannot_be_generated_are_located_errors() {
    let name = "waiters-and-paginators.smithy";
    let path = fixture(name);
    let model = smithgen::model::load_files(&[&path]).expect("the model itself loads");
    let err = smithgen::generate_crate(&model, &smithgen::GenerateOptions::default())
        .expect_err("the traits cannot be generated");
    let smithgen::Error::Model(diagnostics) = &err else {
        panic!("a model error: {err}");
    };
    let lines: Vec<String> = diagnostics
        .0
        .iter()
        .map(|d| d.to_string().replace(&path.display().to_string(), name))
        .collect();
    assert_eq!(
        lines,
        [
            "waiters-and-paginators.smithy: shape `example.bad#ListThings`: the outputToken path \
             `page.next`: `example.bad#ListThingsOutput` has no member `page` (at \
             $.shapes[\"example.bad#ListThings\"].traits[\"smithy.api#paginated\"])",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Computed`: \
             cannot compile the JMESPath expression `items[*] | [0].name`: the field `name` of a \
             computed value (after a projection, function or comparison) is not supported (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Computed\"]\
             .acceptors[0].matcher.output.path)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Computed`: \
             booleanEquals expects \"true\" or \"false\", not \"yes\" (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Computed\"]\
             .acceptors[1].matcher.output.expected)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Misspelled`: \
             `maxDelay` (10) is less than `minDelay` (30) (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Misspelled\"].maxDelay)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Misspelled`: \
             cannot compile the JMESPath expression `staus`: structure \
             `example.bad#GetThingOutput` has no member `staus` (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Misspelled\"]\
             .acceptors[0].matcher.output.path)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Misspelled`: \
             cannot compile the JMESPath expression `sort(items)`: function `sort` is not \
             supported (supported: length, contains) (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Misspelled\"]\
             .acceptors[1].matcher.output.path)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Objects`: \
             cannot compile the JMESPath expression `items[0] == items[1]`: comparing objects \
             (structure `example.bad#Item`) is not supported (at \
             $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"][\"Objects\"]\
             .acceptors[0].matcher.output.path)",
            "waiters-and-paginators.smithy: shape `example.bad#GetThing`: waiter `Sliced`: cannot \
             compile the JMESPath expression `items[0:2].name`: slices (`[a:b]`) are not \
             supported (at $.shapes[\"example.bad#GetThing\"].traits[\"smithy.waiters#waitable\"]\
             [\"Sliced\"].acceptors[0].matcher.output.path)",
        ]
    );
}
