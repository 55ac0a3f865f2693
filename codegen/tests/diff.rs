//! `smithgen diff`: each kind of change and its semver impact, on copies of our CreateKeyPair
//! model edited one way at a time.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use smithgen::diff::Impact;

const NS: &str = "com.amazonaws.lightsail#";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn original() -> Value {
    serde_json::from_slice(&std::fs::read(repo().join("models/lightsail.json")).unwrap()).unwrap()
}

fn load(value: &Value) -> smithgen::model::Model {
    let source = smithgen::model::Source {
        path: "edited.json".into(),
        bytes: serde_json::to_vec(value).unwrap(),
    };
    smithgen::model::load_sources(vec![source]).expect("the edited model is valid")
}

/// Diffs the original against a copy changed by `edit`; returns the report's lines and impact.
fn diff_after(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> (String, Impact) {
    let old = original();
    let mut new = old.clone();
    edit(new["shapes"].as_object_mut().unwrap());
    let report = smithgen::diff::diff(&load(&old), &load(&new)).unwrap();
    (report.to_string(), report.impact())
}

fn shape<'a>(shapes: &'a mut serde_json::Map<String, Value>, name: &str) -> &'a mut Value {
    shapes.get_mut(&format!("{NS}{name}")).unwrap()
}

#[test]
fn unchanged_is_none() {
    let (text, impact) = diff_after(|_| {});
    assert_eq!(impact, Impact::None);
    assert_eq!(text, "no changes\nsemver: none");
}

#[test]
fn an_added_enum_value_is_minor() {
    let (text, impact) = diff_after(|s| {
        shape(s, "OperationType")["members"]
            .as_object_mut()
            .unwrap()
            .insert("SetupInstanceHttps".into(), json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SetupInstanceHttps"}}));
    });
    assert_eq!(impact, Impact::Minor, "{text}");
    assert!(
        text.contains(
            "minor  enum OperationType: value `SetupInstanceHttps` added (enums are non-exhaustive"
        ),
        "{text}"
    );
    assert!(text.ends_with("semver: minor"));
}

#[test]
fn a_removed_enum_value_is_major() {
    let (text, impact) = diff_after(|s| {
        shape(s, "OperationStatus")["members"]
            .as_object_mut()
            .unwrap()
            .remove("Failed");
    });
    assert_eq!(impact, Impact::Major, "{text}");
    assert!(
        text.contains("enum OperationStatus: value `Failed` removed"),
        "{text}"
    );
}

#[test]
fn a_removed_member_is_major() {
    let (text, impact) = diff_after(|s| {
        shape(s, "KeyPair")["members"]
            .as_object_mut()
            .unwrap()
            .remove("fingerprint");
    });
    assert_eq!(impact, Impact::Major, "{text}");
    assert!(
        text.contains("major  structure KeyPair, member fingerprint: removed"),
        "{text}"
    );
}

#[test]
fn an_added_member_is_minor() {
    let (text, impact) = diff_after(|s| {
        shape(s, "KeyPair")["members"]
            .as_object_mut()
            .unwrap()
            .insert("comment".into(), json!({"target": format!("{NS}string")}));
    });
    assert_eq!(impact, Impact::Minor, "{text}");
    assert!(
        text.contains("minor  structure KeyPair, member comment: added"),
        "{text}"
    );
}

#[test]
fn requiredness_outside_inputs_is_major_and_inside_inputs_a_patch() {
    let (text, impact) = diff_after(|s| {
        shape(s, "KeyPair")["members"]["name"]["traits"]["smithy.api#required"] = json!({});
    });
    assert_eq!(impact, Impact::Major, "{text}");
    assert!(text.contains("member name: became required"), "{text}");
    let (text, impact) = diff_after(|s| {
        shape(s, "CreateKeyPairRequest")["members"]["keyPairName"]["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#required");
    });
    assert_eq!(impact, Impact::Patch, "{text}");
    assert!(
        text.contains("member keyPairName: no longer required"),
        "{text}"
    );
}

#[test]
fn a_newly_required_input_member_is_minor_with_the_reason() {
    let (text, impact) = diff_after(|s| {
        shape(s, "CreateKeyPairRequest")["members"]["tags"]["traits"]["smithy.api#required"] =
            json!({});
    });
    assert_eq!(impact, Impact::Minor, "{text}");
    assert!(
        text.contains(
            "minor  structure CreateKeyPairRequest, member tags: became required (the field stays \
             Option, but build() now returns BuildError when it is unset"
        ),
        "{text}"
    );
    assert!(text.ends_with("semver: minor"), "{text}");
}

#[test]
fn a_changed_member_type_is_major() {
    let (text, impact) = diff_after(|s| {
        s.insert(format!("{NS}Count"), json!({"type": "integer"}));
        shape(s, "Tag")["members"]["value"]["target"] = json!(format!("{NS}Count"));
    });
    assert_eq!(impact, Impact::Major, "{text}");
    assert!(
        text.contains("member value: type changed from String to integer"),
        "{text}"
    );
}

#[test]
fn operations_and_errors() {
    let (text, impact) = diff_after(|s| {
        let errors = shape(s, "CreateKeyPair")["errors"].as_array_mut().unwrap();
        errors.retain(|e| e["target"] != json!(format!("{NS}NotFoundException")));
    });
    assert_eq!(impact, Impact::Major, "{text}");
    assert!(
        text.contains("operation CreateKeyPair: error NotFoundException removed"),
        "{text}"
    );
    assert!(text.contains("type NotFoundException: removed"), "{text}");

    let (text, impact) = diff_after(|s| {
        s.insert(
            format!("{NS}Throttled"),
            json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}}),
        );
        shape(s, "CreateKeyPair")["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{NS}Throttled")}));
    });
    assert_eq!(impact, Impact::Minor, "{text}");
    assert!(
        text.contains("operation CreateKeyPair: error Throttled added"),
        "{text}"
    );

    let (text, impact) = diff_after(|s| {
        s.insert(
            format!("{NS}DeleteKeyPair"),
            json!({"type": "operation", "input": {"target": format!("{NS}Tag")}}),
        );
        shape(s, "Lightsail_20161128")["operations"]
            .as_array_mut()
            .unwrap()
            .push(json!({"target": format!("{NS}DeleteKeyPair")}));
    });
    assert_eq!(impact, Impact::Minor, "{text}");
    assert!(
        text.contains("minor  operation DeleteKeyPair: added"),
        "{text}"
    );
}

#[test]
fn documentation_is_a_patch() {
    let (text, impact) = diff_after(|s| {
        shape(s, "Tag")["traits"]["smithy.api#documentation"] = json!("<p>Reworded.</p>");
    });
    assert_eq!(impact, Impact::Patch, "{text}");
    assert!(
        text.contains("patch  structure Tag: documentation changed (docs only)"),
        "{text}"
    );
}

#[test]
fn the_full_lightsail_model_against_itself_is_none() {
    let model = repo().join("../shared/models/aws/lightsail-2016-11-28.json");
    if !model.exists() {
        eprintln!("skipped: ../shared is not beside the repository");
        return;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .arg("diff")
        .arg(&model)
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().last(), Some("semver: none"), "{text}");
}

#[test]
fn an_unreadable_file_fails() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .args(["diff", "no/such.json"])
        .arg(repo().join("models/lightsail.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such.json: cannot read model file"));
}
