//! Generates the full Lightsail crate (`../../shared/models/aws/lightsail-2016-11-28.json`, every
//! operation) into `OUT_DIR/lightsail.rs` as one file, the way a build-script user of smithgen
//! would, for the wire benchmark (`benches/wire/`) to compare with aws-sdk-lightsail; and Bedrock
//! Runtime's `ConverseStream` into `OUT_DIR/bedrock_runtime.rs` for the event stream benchmark
//! (`benches/eventstream/`) to compare with aws-sdk-bedrockruntime; and S3's `ListObjectsV2` into
//! `OUT_DIR/s3.rs` for the S3 wire benchmark (`benches/wire-s3/`) to compare with aws-sdk-s3.

use std::path::PathBuf;

fn main() {
    let model = PathBuf::from("../../shared/models/aws/lightsail-2016-11-28.json");
    println!("cargo:rerun-if-changed={}", model.display());
    println!("cargo:rerun-if-changed=build.rs");
    let model = match smithgen::load(&[model]) {
        Ok(model) => model,
        Err(e) => panic!("{e}"),
    };
    // The wire benchmark also checks values by writing what it reads: every direction.
    let options = smithgen::GenerateOptions {
        stubs: smithgen::StubSupport::Always,
        ..Default::default()
    };
    let emitted = smithgen::emit(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let code = smithgen::format_single_file(&emitted).unwrap_or_else(|e| panic!("{e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("lightsail.rs"), code).expect("OUT_DIR is writable");

    // Only the operation the benchmark calls: the event decoding it runs is the same as in the
    // full crate.
    smithgen::Config::new()
        .operations(["ConverseStream"])
        .file_name("bedrock_runtime")
        .generate("../../shared/models/aws-extra/bedrock-runtime-2023-09-30.json")
        .unwrap_or_else(|e| panic!("{e}"));

    // Only the operation the S3 benchmark calls: its XML reading is the same as in the full
    // crate (112k lines), which would add a minute to every build of the benchmarks.
    smithgen::Config::new()
        .operations(["ListObjectsV2"])
        .file_name("s3")
        .require_client()
        .generate("../../shared/models/aws-extra/s3-2006-03-01.json")
        .unwrap_or_else(|e| panic!("{e}"));
}
