//! The declared minimum supported Rust version holds: no locked dependency asks for a newer
//! Rust, and every crate we ship or generate declares it.

use std::path::Path;
use std::process::Command;

/// `1.85` and `1.85.0` compare equal.
fn version(text: &str) -> [u64; 3] {
    let mut parts = [0; 3];
    for (slot, part) in parts.iter_mut().zip(text.split('.')) {
        *slot = part.parse().unwrap_or(0);
    }
    parts
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_declared() {
    let declared = smithgen::RUST_VERSION;
    assert!(!declared.is_empty(), "the workspace declares rust-version");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut too_new = Vec::new();
    for package in metadata["packages"].as_array().unwrap() {
        if let Some(needed) = package["rust_version"].as_str() {
            if version(needed) > version(declared) {
                too_new.push(format!(
                    "{} {} needs {needed}",
                    package["name"].as_str().unwrap_or("?"),
                    package["version"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    assert!(
        too_new.is_empty(),
        "rust-version {declared} is too old: {too_new:?}"
    );
}

#[test]
fn every_crate_declares_the_rust_version() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let line = format!("rust-version = \"{}\"", smithgen::RUST_VERSION);
    let workspace = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    assert!(workspace.contains(&line), "{workspace}");
    assert!(
        workspace.contains("resolver = \"3\""),
        "the MSRV-aware resolver"
    );
    for member in ["codegen", "runtime"] {
        let manifest = std::fs::read_to_string(repo.join(member).join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains("rust-version.workspace = true"),
            "{member}: {manifest}"
        );
    }
    let generated = std::fs::read_to_string(repo.join("generated/lightsail/Cargo.toml")).unwrap();
    assert!(generated.contains(&line), "{generated}");
    assert!(generated.contains("resolver = \"3\""), "{generated}");
}
