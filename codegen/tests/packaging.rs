//! What a published crate needs beside its code: the license text matching the declared
//! license, the metadata crates.io and docs.rs show, and the pieces a newcomer looks for.

use std::path::Path;

fn read(path: &str) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(repo.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_license_file_matches_the_declared_license() {
    assert!(read("Cargo.toml").contains("license = \"Apache-2.0\""));
    for license in ["LICENSE", "codegen/LICENSE", "runtime/LICENSE"] {
        let text = read(license);
        assert!(
            text.contains("Apache License\n                        Version 2.0, January 2004"),
            "{license}"
        );
        assert!(
            text.contains("END OF TERMS AND CONDITIONS"),
            "{license} is the full text"
        );
    }
    let generated = read("generated/lightsail/Cargo.toml");
    assert!(
        generated.contains("\nlicense = \"Apache-2.0\"\n"),
        "{generated}"
    );
}

#[test]
fn both_published_crates_carry_their_metadata() {
    for (manifest, name) in [
        ("codegen/Cargo.toml", "smithgen"),
        ("runtime/Cargo.toml", "smithgen-runtime"),
    ] {
        let text = read(manifest);
        for field in [
            "license.workspace = true",
            "rust-version.workspace = true",
            &format!("documentation = \"https://docs.rs/{name}\""),
            "keywords = [",
            "categories = [",
            "[package.metadata.docs.rs]",
        ] {
            assert!(text.contains(field), "{manifest} lacks `{field}`");
        }
    }
}

#[test]
fn a_newcomer_finds_examples_and_the_changelog() {
    assert!(read("examples/README.md").contains("cargo run --example stub_a_client"));
    let changelog = read("CHANGELOG.md");
    assert!(changelog.contains("## Versioning policy"));
    assert!(changelog.contains("Semantic Versioning"));
    assert!(read("README.md").contains("`../shared`: what needs it"));
}
