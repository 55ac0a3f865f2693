//! Generates, into `OUT_DIR`, the two operations the tests stream through: Lambda's
//! `InvokeAsync` (a streamed upload) and Polly's `SynthesizeSpeech` (a streamed download), from
//! the AWS models in `../shared` (or `$SMITHGEN_SHARED`), and Bedrock Runtime's
//! `ConverseStream` (an event stream received) for the `converse_stream` example, and S3's
//! `GetObject`, `PutObject`, `ListObjectsV2` and `SelectObjectContent` (restXml: presigned
//! URLs, checksums, an event stream of XML events).

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-env-changed=SMITHGEN_SHARED");
    let shared = match std::env::var_os("SMITHGEN_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../../../shared"),
    };
    let models = shared.join("models/aws-extra");
    if !models.is_dir() {
        return Err(format!(
            "{} is missing: this crate needs the AWS models of ../shared (or $SMITHGEN_SHARED)",
            models.display()
        )
        .into());
    }
    smithgen::Config::new()
        .operations(["InvokeAsync"])
        .file_name("lambda")
        .generate(models.join("lambda-2015-03-31.json"))?;
    smithgen::Config::new()
        .operations(["SynthesizeSpeech"])
        .file_name("polly")
        .generate(models.join("polly-2016-06-10.json"))?;
    smithgen::Config::new()
        .operations([
            "GetObject",
            "PutObject",
            "ListObjectsV2",
            "SelectObjectContent",
        ])
        .file_name("s3")
        .generate(models.join("s3-2006-03-01.json"))?;
    smithgen::Config::new()
        .operations(["ConverseStream"])
        .file_name("bedrock_runtime")
        .generate(models.join("bedrock-runtime-2023-09-30.json"))?;
    Ok(())
}
