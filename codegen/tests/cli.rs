//! The `smithgen` command line: generate, --check, syntax and located errors.

use std::path::{Path, PathBuf};
use std::process::Command;

fn smithgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_smithgen"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smithgen-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn generate_writes_a_crate_and_check_names_stale_files() {
    let out = scratch("generate");
    let model = repo().join("models/lightsail.json");
    let status = smithgen()
        .arg("generate")
        .arg(&model)
        .arg("--out")
        .arg(&out)
        .args([
            "--crate-name",
            "my-lightsail",
            "--runtime-path",
            "/opt/runtime",
        ])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-lightsail\""));
    assert!(manifest.contains("smithgen-runtime = { path = \"/opt/runtime\" }"));
    assert!(out.join("src/operation/create_key_pair.rs").is_file());

    let check = |expect_ok: bool| {
        let o = smithgen()
            .arg("generate")
            .arg(&model)
            .arg("--out")
            .arg(&out)
            .args([
                "--crate-name",
                "my-lightsail",
                "--runtime-path",
                "/opt/runtime",
                "--check",
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.success(),
            expect_ok,
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    check(true);

    std::fs::write(out.join("src/types/tag.rs"), "// edited by hand\n").unwrap();
    std::fs::write(out.join("src/types/extra.rs"), "// left over\n").unwrap();
    let stderr = check(false);
    assert!(stderr.contains("is out of date"), "{stderr}");
    assert!(stderr.contains("src/types/tag.rs"), "{stderr}");
    assert!(
        stderr.contains("src/types/extra.rs"),
        "stale files are named: {stderr}"
    );
    assert!(
        !stderr.contains("key_pair.rs"),
        "unchanged files are not named: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn operations_subset_from_the_command_line() {
    let out = scratch("subset");
    let o = smithgen()
        .arg("generate")
        .arg(repo().join("tests/fixtures/models/kitchen-sink/main.json"))
        .arg(repo().join("tests/fixtures/models/kitchen-sink/legacy.json"))
        .arg("--out")
        .arg(&out)
        .args(["--operations", "GetThing"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ops: Vec<String> = std::fs::read_dir(out.join("src/operation"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(ops, ["get_thing.rs"]);
    assert!(!out.join("src/types/put_thing_input.rs").exists());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn invalid_models_fail_with_located_errors() {
    let o = smithgen()
        .arg("generate")
        .arg(repo().join("tests/fixtures/invalid/missing-target.json"))
        .arg("--out")
        .arg(scratch("invalid"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains("missing-target.json: shape `example#Widget`, member `color`"),
        "{stderr}"
    );
    assert!(
        !scratch("invalid").exists(),
        "nothing is written for an invalid model"
    );
}

#[test]
fn generate_without_out_is_a_usage_error() {
    let o = smithgen()
        .arg("generate")
        .arg(repo().join("models/lightsail.json"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs `--out DIR`"));
}

#[test]
fn syntax_prints_the_reference_blocks() {
    let o = smithgen()
        .arg("syntax")
        .arg(repo().join("models/lightsail.json"))
        .arg("CreateKeyPair")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let fixture = |n: &str| std::fs::read_to_string(repo().join("tests/fixtures").join(n)).unwrap();
    assert_eq!(
        text,
        format!(
            "Request Syntax\n\n{}\nResponse Syntax\n\n{}",
            fixture("create-key-pair.request-syntax.txt"),
            fixture("create-key-pair.response-syntax.txt")
        )
    );
}

#[test]
fn project_regeneration_check_passes_on_a_clean_tree() {
    let o = smithgen()
        .args(["generate", "--check"])
        .current_dir(repo())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    if stderr.contains("rustfmt was not found") {
        eprintln!("skipped: rustfmt is not installed");
        return;
    }
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("generated/lightsail is up to date"),
        "{stderr}"
    );
}

fn weather() -> PathBuf {
    repo().join("tests/fixtures/idl/weather")
}

#[test]
fn ast_prints_an_idl_model_as_json_ast() {
    let o = smithgen().arg("ast").arg(weather()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ast: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(ast["smithy"], "2.0");
    let shapes = ast["shapes"].as_object().unwrap();
    // Sorted by id, prelude left out.
    let ids: Vec<&String> = shapes.keys().collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert!(!ids.iter().any(|id| id.starts_with("smithy.api#")));
    // Inline input with the control statement's suffix, `@input`, the elided target from the
    // resource, `= 3` as @default and the doc comment as @documentation.
    let input = &shapes["example.weather#GetForecastRequest"];
    assert_eq!(input["traits"]["smithy.api#input"], serde_json::json!({}));
    assert_eq!(
        input["members"]["cityId"]["target"],
        "example.weather#CityId"
    );
    assert_eq!(input["members"]["days"]["traits"]["smithy.api#default"], 3);
    assert_eq!(
        input["members"]["days"]["traits"]["smithy.api#documentation"],
        "How many days ahead (\"1\" is tomorrow)."
    );
    // The output's mixin member, flattened in.
    let output = &shapes["example.weather#GetForecastOutput"];
    let members: Vec<&String> = output["members"].as_object().unwrap().keys().collect();
    assert_eq!(members, ["issuedAt", "forecast"]);
    assert_eq!(
        shapes["example.weather#Weather"]["traits"]["aws.protocols#awsJson1_1"],
        serde_json::json!({})
    );
    assert_eq!(
        shapes["example.weather#Sky"]["members"]["CLOUDY"]["traits"]["smithy.api#enumValue"],
        "cloudy"
    );
}

#[test]
fn idl_and_json_forms_generate_the_same_crate() {
    let idl_dir = scratch("ast-idl");
    let o = smithgen()
        .args(["ast", "--format", "idl"])
        .arg(repo().join("models/lightsail.json"))
        .arg("--out")
        .arg(&idl_dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(idl_dir.join("com.amazonaws.lightsail.smithy").is_file());
    let (from_json, from_idl) = (scratch("crate-json"), scratch("crate-idl"));
    for (input, out) in [
        (repo().join("models/lightsail.json"), &from_json),
        (idl_dir.clone(), &from_idl),
    ] {
        let o = smithgen()
            .arg("generate")
            .arg(&input)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut compared = 0;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(from_json.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            let rel = rel.join(entry.file_name());
            if entry.path().is_dir() {
                stack.push(rel);
                continue;
            }
            let strip = |p: PathBuf| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.contains("Code generated by smithgen"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(
                strip(from_json.join(&rel)),
                strip(from_idl.join(&rel)),
                "{}",
                rel.display()
            );
            compared += 1;
        }
    }
    assert!(compared > 5);
}

#[test]
fn idl_syntax_errors_are_located_with_an_excerpt_and_all_reported() {
    let dir = scratch("idl-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.smithy");
    std::fs::write(
        &file,
        "$version: \"2.0\"\nnamespace example\n\nstructure Foo {\n    a String\n}\n\nstring Bar baz\n",
    )
    .unwrap();
    let o = smithgen().arg("ast").arg(&file).output().unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("--> {}:5:7", file.display())),
        "{stderr}"
    );
    assert!(stderr.contains("5 |     a String"), "{stderr}");
    assert!(stderr.contains("  |       ^^^^^^"), "{stderr}");
    // Recovery: the second statement's error is reported too.
    assert!(
        stderr.contains(&format!("--> {}:8:12", file.display())),
        "{stderr}"
    );
}

#[test]
fn idl_semantic_errors_point_at_the_idl_source() {
    let dir = scratch("idl-semantic");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("model.smithy");
    std::fs::write(
        &file,
        "$version: \"2.0\"\nnamespace example\n\nstructure Foo {\n    a: Missing\n}\n",
    )
    .unwrap();
    let o = smithgen().arg("ast").arg(&file).output().unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("target `example#Missing` does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> {}:5:8", file.display())),
        "{stderr}"
    );
}

/// Without `--runtime-path`, the crate depends on the runtime this smithgen was built from (by
/// path, since that source is here) and resolves: no registry has `smithgen-runtime` yet.
#[test]
fn the_default_runtime_dependency_resolves() {
    let out = scratch("default-runtime");
    let o = smithgen()
        .arg("generate")
        .arg(repo().join("models/lightsail.json"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let runtime = repo().join("runtime").canonicalize().unwrap();
    let expected = format!(
        "smithgen-runtime = {{ path = \"{}\" }}",
        runtime.display().to_string().replace('\\', "/")
    );
    assert!(manifest.contains(&expected), "{manifest}");
    assert!(
        manifest.contains("# smithgen-runtime by path: the runtime the smithgen that generated"),
        "the manifest says where the runtime comes from: {manifest}"
    );
    // Cargo resolves it (offline, pinned to the workspace's lock file, so nothing is fetched).
    std::fs::copy(repo().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let tree = Command::new(cargo)
        .args(["tree", "--offline", "--depth", "1"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    assert!(
        String::from_utf8_lossy(&tree.stdout).contains("smithgen-runtime v"),
        "{}",
        String::from_utf8_lossy(&tree.stdout)
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// A relative `--runtime-path` means relative to where smithgen runs; the manifest gets the
/// path relative to the crate, which is how cargo reads it.
#[test]
fn a_relative_runtime_path_is_resolved_from_the_current_folder() {
    let out = scratch("relative-runtime");
    let o = smithgen()
        .arg("generate")
        .arg(repo().join("models/lightsail.json"))
        .arg("--out")
        .arg(&out)
        .args(["--runtime-path", "../runtime"])
        .current_dir(repo().join("codegen"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.starts_with("smithgen-runtime = { path = "))
        .unwrap();
    let written = line
        .trim_start_matches("smithgen-runtime = { path = \"")
        .trim_end_matches("\" }");
    assert!(Path::new(written).is_relative(), "{line}");
    let resolved = out.canonicalize().unwrap().join(written);
    assert_eq!(
        resolved.canonicalize().unwrap(),
        repo().join("runtime").canonicalize().unwrap(),
        "{line}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// With no arguments smithgen works on the project around the current folder, never on the
/// tree it was compiled in; outside a project it says what it needs and writes nothing.
#[test]
fn no_arguments_work_on_the_project_found_from_the_current_folder() {
    let outside = scratch("no-project");
    std::fs::create_dir_all(&outside).unwrap();
    let o = smithgen().current_dir(&outside).output().unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("is not inside a smithgen project"),
        "{stderr}"
    );
    assert!(stderr.contains("`models/`"), "{stderr}");
    assert!(
        stderr.contains("smithgen generate MODEL.json --out DIR"),
        "{stderr}"
    );

    let project = scratch("project");
    std::fs::create_dir_all(project.join("models")).unwrap();
    std::fs::create_dir_all(project.join("generated")).unwrap();
    std::fs::create_dir_all(project.join("docs/deep")).unwrap();
    std::fs::write(
        project.join("Cargo.toml"),
        "[workspace]\nmembers = [\"generated/*\"]\n",
    )
    .unwrap();
    std::fs::copy(
        repo().join("models/lightsail.json"),
        project.join("models/mine.json"),
    )
    .unwrap();
    let o = smithgen()
        .current_dir(project.join("docs/deep"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(project.join("generated/mine/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"mine\""), "{manifest}");
    // That project has no runtime/ of its own: the runtime smithgen was built from.
    assert!(
        manifest.contains("# smithgen-runtime by path: the runtime the smithgen"),
        "{manifest}"
    );
    let _ = std::fs::remove_dir_all(&outside);
    let _ = std::fs::remove_dir_all(&project);
}

/// A service speaking a protocol smithgen has no client for: a crate of types, with a warning
/// naming the protocol, or with `--require-client` a located error.
#[test]
fn an_unsupported_protocol_gives_types_only_or_fails_with_require_client() {
    let dir = scratch("unsupported-protocol");
    std::fs::create_dir_all(&dir).unwrap();
    // The protocol's trait, as Smithy defines it (one namespace per IDL file).
    let protocol = dir.join("protocol.smithy");
    std::fs::write(
        &protocol,
        "$version: \"2.0\"\nnamespace smithy.protocols\n\n@trait(selector: \"service\")\n\
         @protocolDefinition\nstructure rpcv2Cbor {}\n",
    )
    .unwrap();
    let model = dir.join("notes.smithy");
    std::fs::write(
        &model,
        r#"$version: "2.0"

namespace example.notes

use smithy.protocols#rpcv2Cbor

@rpcv2Cbor
service Notes {
    version: "2026-01-01"
    operations: [GetNote]
}

operation GetNote {
    input := {
        id: String
    }
    output := {
        text: String
    }
}
"#,
    )
    .unwrap();
    let out = dir.join("crate");
    let run = |extra: &[&str]| {
        smithgen()
            .arg("generate")
            .arg(&protocol)
            .arg(&model)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let types_only = run(&[]);
    let stderr = String::from_utf8_lossy(&types_only.stderr);
    assert!(types_only.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning: service `example.notes#Notes`: its protocol, `smithy.protocols#rpcv2Cbor`, \
             is not supported yet; the crate has types only"
        ),
        "{stderr}"
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).unwrap();
    assert!(lib.contains("types only, without a client"), "{lib}");
    assert!(!out.join("src/client.rs").exists());

    let required = run(&["--require-client"]);
    let stderr = String::from_utf8_lossy(&required.stderr);
    assert!(!required.status.success());
    assert!(stderr.contains("notes.smithy"), "{stderr}");
    assert!(stderr.contains("example.notes#Notes"), "{stderr}");
    assert!(
        stderr.contains("`smithy.protocols#rpcv2Cbor`, is not supported yet"),
        "{stderr}"
    );
    assert!(stderr.contains("--require-client"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
