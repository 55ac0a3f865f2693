//! The Request Syntax and Response Syntax smithgen prints must equal the AWS documentation's
//! (`../shared/reference/create-key-pair.boto3-doc.txt`, transcribed into fixtures) line for line.

use std::path::PathBuf;

use smithgen_tests::{repo_root, shared_dir};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read_to_string(path).expect("fixture exists")
}

fn blocks(model: &smithgen::model::Model) -> (String, String) {
    let text = smithgen::syntax_blocks(model, None, "CreateKeyPair").expect("operation exists");
    let request = text
        .split("Request Syntax\n\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\nResponse Syntax\n\n").next())
        .expect("request block")
        .to_owned();
    let response = text
        .split("Response Syntax\n\n")
        .nth(1)
        .expect("response block")
        .to_owned();
    (request + "\n", response)
}

fn assert_same_lines(actual: &str, expected: &str) {
    let a: Vec<&str> = actual.lines().collect();
    let e: Vec<&str> = expected.lines().collect();
    for (i, (x, y)) in a.iter().zip(&e).enumerate() {
        assert_eq!(x, y, "line {} differs", i + 1);
    }
    assert_eq!(a.len(), e.len(), "line counts differ");
}

#[test]
fn our_model_matches_the_reference_documentation() {
    let model = smithgen::load(&[repo_root().join("models/lightsail.json")]).unwrap();
    let (request, response) = blocks(&model);
    assert_same_lines(&request, &fixture("create-key-pair.request-syntax.txt"));
    assert_same_lines(&response, &fixture("create-key-pair.response-syntax.txt"));
}

#[test]
fn the_full_lightsail_model_matches_but_for_one_newer_enum_value() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared is not beside the repository");
        return;
    };
    let model = smithgen::load(&[shared.join("models/aws/lightsail-2016-11-28.json")]).unwrap();
    let (request, response) = blocks(&model);
    assert_same_lines(&request, &fixture("create-key-pair.request-syntax.txt"));
    let expected = fixture("create-key-pair.response-syntax.txt");
    let differing: Vec<(&str, &str)> = response
        .lines()
        .zip(expected.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        differing.len(),
        1,
        "exactly one line differs: {differing:#?}"
    );
    let (actual, reference) = differing[0];
    assert_eq!(
        actual,
        reference.replace(
            "'StopGUISession',",
            "'StopGUISession'|'SetupInstanceHttps',"
        )
    );
    assert_eq!(response.lines().count(), expected.lines().count());
}

#[test]
fn kitchen_sink_syntax_snapshots() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/models/kitchen-sink");
    let model = smithgen::load(&[dir.join("main.json"), dir.join("legacy.json")]).unwrap();
    for op in ["PutThing", "GetThing", "GetWidget"] {
        let text = smithgen::syntax_blocks(&model, None, op).unwrap();
        insta::assert_snapshot!(format!("kitchen_sink_{op}"), text);
    }
}

#[test]
fn lightsail_syntax_snapshot() {
    let model = smithgen::load(&[repo_root().join("models/lightsail.json")]).unwrap();
    insta::assert_snapshot!(smithgen::syntax_blocks(&model, None, "CreateKeyPair").unwrap());
}

#[test]
fn an_unknown_operation_is_named() {
    let model = smithgen::load(&[repo_root().join("models/lightsail.json")]).unwrap();
    let err = smithgen::syntax_blocks(&model, None, "CreateKeyPear")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no operation named `CreateKeyPear`"), "{err}");
}
