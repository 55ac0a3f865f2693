//! `smithgen protocol-tests` on a user's own model: which cases become tests, what the tests
//! check, and located errors for cases that do not fit the model. (`.ci/run` builds and runs
//! the generated crates: this fixture's and the awsJson1_0 / awsJson1_1 compliance suites.)

use std::path::{Path, PathBuf};

use smithgen::RuntimeDependency;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/protocol-tests")
}

fn scratch_model(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "smithgen-protocol-tests-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.smithy");
    std::fs::write(&path, text).unwrap();
    path
}

fn file<'a>(generated: &'a smithgen::ProtocolTestCrate, path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn client_cases_of_a_users_model_become_tests() {
    let model = smithgen::load(&[fixture()]).unwrap();
    let generated = smithgen::generate_protocol_tests(
        &model,
        "inventory-tests",
        &RuntimeDependency::Path("/opt/runtime".into()),
    )
    .unwrap();
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "src/inventory.rs",
            "src/lib.rs",
            "tests/inventory.rs"
        ]
    );
    assert_eq!(generated.services.len(), 1);
    let (service, summary) = &generated.services[0];
    assert_eq!(service, "example.inventory#Inventory");
    // The server-only case is left out.
    assert_eq!((summary.requests, summary.responses), (2, 3));
    assert!(summary.skipped.is_empty());

    let manifest = file(&generated, "Cargo.toml");
    assert!(
        manifest.contains("name = \"inventory-tests\""),
        "{manifest}"
    );
    assert!(
        manifest.contains(
            "smithgen-runtime = { path = \"/opt/runtime\", features = [\"protocol-test\"] }"
        ),
        "{manifest}"
    );
    assert!(manifest.contains("[workspace]"), "{manifest}");

    let tests = file(&generated, "tests/inventory.rs");
    for name in [
        "inventory_put_item_sends_every_member_kind",
        "inventory_put_item_goes_to_the_warehouse_host",
        "inventory_get_item_reads_nested_output",
        "inventory_item_not_found",
        "inventory_put_item_acknowledged",
    ] {
        assert!(tests.contains(&format!("async fn {name}()")), "{name}");
    }
    assert!(!tests.contains("server_only"));
    // The case's documentation is the test's doc comment.
    assert!(tests.contains("/// The @endpoint host prefix is filled from the @hostLabel member."));
    // Inputs are set through the fluent builder, typed; blobs from their raw bytes.
    assert!(tests.contains(".set_label(Some(smithgen_runtime::Blob::new(b\"hi\".to_vec())))"));
    assert!(tests
        .contains(".set_checked_at(Some(smithgen_runtime::DateTime::from_secs(1700000000i64)))"));
    assert!(tests.contains("resolved_host: Some(\"east.inventory.example.com\")"));
    // The NaN output is compared with NaN equal to NaN; the sparse list keeps its null.
    assert!(tests.contains("protocol_test::debug_equal("));
    assert!(tests.contains("vec![Some(1i32), None, Some(3i32)]"));
    // A response case still sends a valid call: its host label gets a placeholder.
    assert!(tests.contains("input.warehouse = Some(String::from(\"label\"));"));
    // The error case answers GetItem's call and matches the typed error variant.
    assert!(tests.contains("service::operation::get_item::GetItemError::ItemNotFound(e) => e"));
    insta::assert_snapshot!("inventory_protocol_tests", tests);
}

#[test]
fn output_is_deterministic() {
    let model = smithgen::load(&[fixture()]).unwrap();
    let runtime = RuntimeDependency::Path("/opt/runtime".into());
    let a = smithgen::generate_protocol_tests(&model, "t", &runtime).unwrap();
    let b = smithgen::generate_protocol_tests(&model, "t", &runtime).unwrap();
    let contents = |g: &smithgen::ProtocolTestCrate| {
        g.files
            .iter()
            .map(|f| f.contents.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(contents(&a), contents(&b));
}

#[test]
fn a_case_that_does_not_fit_the_model_is_a_located_error() {
    let path = scratch_model(
        "bad-params",
        r#"$version: "2.0"
namespace example.bad
use aws.protocols#awsJson1_1
use smithy.test#httpRequestTests
@awsJson1_1
service Bad { operations: [Op] }
@httpRequestTests([
    { id: "BadMember", protocol: awsJson1_1, method: "POST", uri: "/", params: { nope: 1 } }
    { id: "BadValue", protocol: awsJson1_1, method: "POST", uri: "/", params: { count: "three" } }
])
operation Op { input := { count: Integer } }
"#,
    );
    let model = smithgen::load(&[&path]).unwrap();
    let error = smithgen::generate_protocol_tests(&model, "t", &RuntimeDependency::Registry)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("protocol test `BadMember`: the input has no member `nope`"),
        "{error}"
    );
    assert!(
        error.contains("$.shapes[\"example.bad#Op\"].traits[\"smithy.test#httpRequestTests\"][0]"),
        "{error}"
    );
    assert!(
        error.contains(
            "protocol test `BadValue`: params.count: \"three\" is not a value of integer"
        ),
        "{error}"
    );
    assert!(error.contains("model.smithy"), "{error}");
}

#[test]
fn a_model_without_a_supported_protocol_is_an_error() {
    let path = scratch_model(
        "no-protocol",
        "$version: \"2.0\"\nnamespace example.none\nservice Plain { operations: [] }\n",
    );
    let model = smithgen::load(&[&path]).unwrap();
    let error = smithgen::generate_protocol_tests(&model, "t", &RuntimeDependency::Registry)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no service in the model speaks a protocol smithgen supports"),
        "{error}"
    );
}
