//! Generates, into `OUT_DIR`, the kitchen-sink fixture model (every shape type and naming hazard
//! we know of), the paging model (paginators, waiters, idempotency tokens), a service binding
//! endpoint parameters, a restJson1 service, and the protocol test cases of
//! `fixtures/protocol-tests` with their client, so the tests below compile and exercise the code
//! smithgen emits for them.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from("fixtures/models/kitchen-sink");
    let files = [dir.join("main.json"), dir.join("legacy.json")];
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let model = match smithgen::load(&files) {
        Ok(model) => model,
        Err(e) => panic!("{e}"),
    };
    // The tests read and write every shape in both directions (and stub clients): all of the
    // code a `Stubber` needs is compiled in.
    let options = smithgen::GenerateOptions {
        stubs: smithgen::StubSupport::Always,
        // Included into this crate: the examples' crate path is not `kitchen`.
        compiled_examples: false,
        ..Default::default()
    };
    let emitted = smithgen::emit(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let code = smithgen::format_single_file(&emitted).unwrap_or_else(|e| panic!("{e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("kitchen_sink.rs"), code).expect("OUT_DIR is writable");

    // Paginators, waiters and idempotency tokens (`fixtures/models/paging/`).
    let paging = PathBuf::from("fixtures/models/paging/main.smithy");
    println!("cargo:rerun-if-changed={}", paging.display());
    let model = smithgen::load(&[&paging]).unwrap_or_else(|e| panic!("{e}"));
    let emitted = smithgen::emit(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let code = smithgen::format_single_file(&emitted).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("paging.rs"), code).expect("OUT_DIR is writable");

    // The protocol test cases of our example model, as a build script would generate them for
    // a user's own service (tests/protocol_tests.rs includes both files).
    let fixture = PathBuf::from("fixtures/protocol-tests/inventory.smithy");
    println!("cargo:rerun-if-changed={}", fixture.display());
    let model = smithgen::load(&[&fixture]).unwrap_or_else(|e| panic!("{e}"));
    let (client, tests, _) =
        smithgen::protocol_tests_single_files(&model, "example.inventory#Inventory")
            .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join("inventory_client.rs"), client).expect("OUT_DIR is writable");
    std::fs::write(out.join("inventory_protocol_tests.rs"), tests).expect("OUT_DIR is writable");

    // A restJson1 service with HTTP bindings of every kind (tests/rest_json.rs), with the code
    // only tests run (the JSON forms of whole inputs and outputs) ungated.
    single_file(
        &out,
        "fixtures/rest-json/library.smithy",
        smithgen::StubSupport::Always,
        "library.rs",
    );
    // An awsJson1_1 service whose output is an event stream (tests/aws_json_events.rs).
    single_file(
        &out,
        "fixtures/aws-json/shards.smithy",
        smithgen::StubSupport::Never,
        "shards.rs",
    );
    // A service whose operations bind endpoint parameters (`@contextParam`,
    // `@staticContextParams`, `@operationContextParams`).
    single_file(
        &out,
        "fixtures/models/endpoint-params/main.json",
        smithgen::StubSupport::Never,
        "endpoint_params.rs",
    );
}

/// Generates the crate of one fixture model as one file `name` in `out`, as build scripts do.
fn single_file(out: &std::path::Path, model: &str, stubs: smithgen::StubSupport, name: &str) {
    println!("cargo:rerun-if-changed={model}");
    let model = smithgen::load(&[model]).unwrap_or_else(|e| panic!("{e}"));
    let options = smithgen::GenerateOptions {
        stubs,
        compiled_examples: false,
        ..Default::default()
    };
    let emitted = smithgen::emit(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let code = smithgen::format_single_file(&emitted).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.join(name), code).expect("OUT_DIR is writable");
}
