//! Generates the kitchen-sink fixture model (every shape type and naming hazard we know of)
//! and the paging model (paginators, waiters, idempotency tokens) into `OUT_DIR`, so the tests
//! below compile and exercise the code smithgen emits for them.

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
}
