//! The IDL reader against Smithy's own loader test suite and protocol compliance models
//! (`../shared/smithy`). Skipped with a note when `../shared` is absent, unless
//! `SMITHGEN_REQUIRE_SHARED` is set (as `.ci/run` does).

use std::path::{Path, PathBuf};

use smithgen::model::{load_files, to_json_ast};

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("SMITHGEN_REQUIRE_SHARED").is_none(),
        "SMITHGEN_REQUIRE_SHARED is set but {} is missing",
        dir.display()
    );
    eprintln!("note: {} is missing; skipping", dir.display());
    None
}

fn loader_dir(shared: &Path) -> PathBuf {
    shared.join("smithy-model/src/test/resources/software/amazon/smithy/model/loader")
}

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn ast_of(files: &[&Path]) -> Result<serde_json::Value, String> {
    load_files(files)
        .map(|m| to_json_ast(&m))
        .map_err(|e| e.to_string())
}

/// Member order is part of the model; JSON object comparison ignores it, so check it too.
fn member_orders(ast: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    ast["shapes"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(id, s)| {
            let members = s.get("members")?.as_object()?;
            Some((id.clone(), members.keys().cloned().collect()))
        })
        .collect()
}

#[test]
fn valid_idl_files_give_the_models_of_their_json_twins() {
    let Some(shared) = shared() else { return };
    let valid = loader_dir(&shared).join("valid");
    let common = valid.join("__shared.json");
    let mut compared = 0;
    let mut failures = Vec::new();
    for idl in files_under(&valid, "smithy") {
        let json = idl.with_extension("json");
        let name = idl.strip_prefix(&valid).unwrap().display().to_string();
        let from_idl = ast_of(&[&idl, &common]);
        if !json.exists() {
            // No twin: it must load (Smithy's flattened views of the mixin files among them).
            if let Err(e) = from_idl {
                failures.push(format!("{name}: {e}"));
            }
            continue;
        }
        let from_json = ast_of(&[&json, &common]);
        match (from_idl, from_json) {
            (Ok(a), Ok(b)) if a == b && member_orders(&a) == member_orders(&b) => compared += 1,
            (Ok(a), Ok(b)) => failures.push(format!("{name}: models differ\n{}", diff(&a, &b))),
            (Err(e), _) => failures.push(format!("{name}: the IDL file fails: {e}")),
            (_, Err(e)) => failures.push(format!("{name}: the JSON file fails: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared >= 62, "only {compared} pairs compared");
}

/// Invalid files the reader accepts, with why (also listed in the README).
const ACCEPTED_INVALID: &[(&str, &str)] = &[];

#[test]
fn invalid_idl_files_are_rejected_where_the_suite_says() {
    let Some(shared) = shared() else { return };
    let invalid = loader_dir(&shared).join("invalid");
    let mut wrong = Vec::new();
    let mut accepted = Vec::new();
    let mut syntax = 0;
    let files: Vec<PathBuf> = files_under(&invalid, "smithy")
        .into_iter()
        .chain(files_under(&invalid, "json"))
        .collect();
    for file in &files {
        let name = file.strip_prefix(&invalid).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let expected = first.find("Syntax error at line ").map(|i| {
            let rest = &first[i + "Syntax error at line ".len()..];
            let (line, rest) = rest.split_once(", column ").unwrap();
            let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
            format!("{line}:{col}")
        });
        match smithgen::model::load_files(&[file]) {
            Ok(_) => accepted.push(name),
            Err(e) => {
                if let Some(expected) = expected {
                    syntax += 1;
                    let first_located = e.iter().find(|d| d.location.contains(':'));
                    let got = first_located
                        .map(|d| d.location.clone())
                        .unwrap_or_default();
                    if got != expected {
                        wrong.push(format!("{name}: expected {expected}, got {got}: {e}"));
                    }
                }
            }
        }
    }
    let known: Vec<&str> = ACCEPTED_INVALID.iter().map(|(n, _)| *n).collect();
    assert!(
        wrong.is_empty() && accepted == known,
        "{} located wrongly:\n{}\n\naccepted although invalid ({}):\n{}",
        wrong.len(),
        wrong.join("\n"),
        accepted.len(),
        accepted.join("\n")
    );
    assert!(
        files.len() >= 181 && syntax >= 144,
        "{} files, {syntax} syntax",
        files.len()
    );
}

#[test]
fn protocol_compliance_models_load_as_one_model() {
    let Some(shared) = shared() else { return };
    let mut files = Vec::new();
    for dir in [
        "smithy-aws-protocol-tests/model",
        "smithy-protocol-test-traits/src/main/resources",
        "smithy-aws-traits/src/main/resources",
        "smithy-waiters/src/main/resources",
        "smithy-rules-engine/src/main/resources",
    ] {
        let d = shared.join(dir);
        if d.is_dir() {
            files.extend(files_under(&d, "smithy"));
            files.extend(files_under(&d, "json"));
        }
    }
    assert!(files.len() > 50, "found only {} files", files.len());
    files.push(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/idl/smithy-framework.smithy"),
    );
    let model = load_files(&files).unwrap_or_else(|e| panic!("{e}"));
    assert!(model.services().count() > 5);
    // And written back as IDL (one file per namespace), it reads back as the same model.
    let sources: Vec<smithgen::model::Source> = smithgen::model::to_idl(&model)
        .into_iter()
        .map(|(ns, text)| smithgen::model::Source {
            path: format!("{ns}.smithy").into(),
            bytes: text.into_bytes(),
        })
        .collect();
    let back = smithgen::model::load_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (to_json_ast(&model), to_json_ast(&back));
    assert!(a == b, "{}", diff(&b, &a));
}

/// The shapes that differ between two ASTs, for failure messages.
fn diff(a: &serde_json::Value, b: &serde_json::Value) -> String {
    let mut out = String::new();
    let empty = serde_json::Map::new();
    let sa = a["shapes"].as_object().unwrap_or(&empty);
    let sb = b["shapes"].as_object().unwrap_or(&empty);
    for (id, x) in sa {
        match sb.get(id) {
            Some(y) if x == y => {}
            Some(y) => out.push_str(&format!("  {id}:\n    got:      {x}\n    expected: {y}\n")),
            None => out.push_str(&format!("  {id}: extra {x}\n")),
        }
    }
    for id in sb.keys().filter(|k| !sa.contains_key(*k)) {
        out.push_str(&format!("  {id}: missing {}\n", sb[id]));
    }
    if a.get("metadata") != b.get("metadata") {
        out.push_str(&format!(
            "  metadata: {:?} vs {:?}\n",
            a.get("metadata"),
            b.get("metadata")
        ));
    }
    if out.is_empty() {
        out.push_str("  member order differs\n");
    }
    out
}

/// Every model of the valid suite, and the compliance models as one, written back as IDL read
/// back as the same model: the writer handles every construct the reader accepts.
#[test]
fn valid_suite_models_round_trip_through_the_idl_writer() {
    let Some(shared) = shared() else { return };
    let valid = loader_dir(&shared).join("valid");
    let common = valid.join("__shared.json");
    let mut n = 0;
    for idl in files_under(&valid, "smithy") {
        let model = load_files(&[&idl, &common]).unwrap();
        let sources: Vec<smithgen::model::Source> = smithgen::model::to_idl(&model)
            .into_iter()
            .map(|(ns, text)| smithgen::model::Source {
                path: format!("{ns}.smithy").into(),
                bytes: text.into_bytes(),
            })
            .collect();
        let back = smithgen::model::load_sources(sources)
            .unwrap_or_else(|e| panic!("{}: the written IDL does not load:\n{e}", idl.display()));
        let (a, b) = (to_json_ast(&model), to_json_ast(&back));
        assert!(a == b, "{}:\n{}", idl.display(), diff(&b, &a));
        n += 1;
    }
    assert!(n >= 80, "{n}");
}
