//! Writes a JSON AST document as Smithy IDL 2.0 text, one file per namespace.
//!
//! Ids are written relative where that reads back as the same id (shapes of the file's own
//! namespace, prelude shapes no local shape shadows) and absolute otherwise, so no `use`
//! statements are needed. Node values are written in their JSON spelling, which is valid IDL
//! node syntax; documentation is written as `///` comments when that keeps it exactly, and
//! as `@documentation("…")` otherwise.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::super::prelude;

const INDENT: &str = "    ";

/// `namespace → IDL text` for every namespace of the document.
pub(crate) fn write(ast: &Value) -> BTreeMap<String, String> {
    let empty = Map::new();
    let shapes = ast
        .get("shapes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut by_ns: BTreeMap<&str, Vec<(&str, &Value)>> = BTreeMap::new();
    for (id, shape) in shapes {
        let (ns, name) = id.split_once('#').unwrap_or(("", id));
        by_ns.entry(ns).or_default().push((name, shape));
    }
    let mut out = BTreeMap::new();
    let metadata = ast.get("metadata").and_then(Value::as_object);
    if by_ns.is_empty() {
        if let Some(metadata) = metadata {
            let mut text = String::from("$version: \"2.0\"\n\n");
            write_metadata(&mut text, metadata);
            out.insert(String::new(), text);
        }
        return out;
    }
    for (i, (ns, mut shapes)) in by_ns.into_iter().enumerate() {
        shapes.sort_by(|a, b| a.0.cmp(b.0));
        let local: BTreeSet<&str> = shapes.iter().map(|(n, _)| *n).collect();
        let w = Writer { ns, local: &local };
        let mut text = String::from("$version: \"2.0\"\n\n");
        if i == 0 {
            if let Some(metadata) = metadata {
                write_metadata(&mut text, metadata);
            }
        }
        let _ = writeln!(text, "namespace {ns}");
        for (name, shape) in shapes {
            text.push('\n');
            w.shape(&mut text, name, shape);
        }
        out.insert(ns.to_owned(), text);
    }
    out
}

fn write_metadata(text: &mut String, metadata: &Map<String, Value>) {
    for (k, v) in metadata {
        let _ = writeln!(text, "metadata {} = {}", quote(k), node(v));
    }
    text.push('\n');
}

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// A node value in IDL syntax (JSON's spelling is a subset of it).
fn node(v: &Value) -> String {
    v.to_string()
}

struct Writer<'a> {
    ns: &'a str,
    local: &'a BTreeSet<&'a str>,
}

impl Writer<'_> {
    /// The shortest spelling of `id` that reads back as `id` in this file.
    fn id(&self, id: &str) -> String {
        let Some((ns, rest)) = id.split_once('#') else {
            return id.to_owned();
        };
        let name = rest.split('$').next().unwrap_or(rest);
        if ns == self.ns && self.local.contains(name) {
            return rest.to_owned();
        }
        if ns == "smithy.api" && !self.local.contains(name) && prelude::definition(name).is_some() {
            return rest.to_owned();
        }
        id.to_owned()
    }

    fn target_of(&self, v: &Value) -> String {
        self.id(v.get("target").and_then(Value::as_str).unwrap_or_default())
    }

    /// Documentation and traits, each on its own line at `indent`.
    fn traits(&self, text: &mut String, indent: &str, traits: Option<&Value>) {
        let Some(traits) = traits.and_then(Value::as_object) else {
            return;
        };
        let docs = traits
            .get("smithy.api#documentation")
            .and_then(Value::as_str);
        let doc_as_comment = docs.is_some_and(|d| {
            !d.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
                && !d.contains(['\u{2028}', '\u{2029}'])
        });
        if let (Some(d), true) = (docs, doc_as_comment) {
            for line in d.split('\n') {
                if line.is_empty() {
                    let _ = writeln!(text, "{indent}///");
                } else {
                    let _ = writeln!(text, "{indent}/// {line}");
                }
            }
        }
        for (id, value) in traits {
            if id == "smithy.api#documentation" && doc_as_comment {
                continue;
            }
            let name = self.id(id);
            let omit = value.as_object().is_some_and(Map::is_empty) && {
                // `@name` alone reads back as `{}` for structure and map traits (and for
                // traits whose definition is not in the prelude, as the reader assumes).
                match id.strip_prefix("smithy.api#") {
                    Some(n) => matches!(prelude::definition(n), Some("structure" | "map")),
                    None => false,
                }
            };
            if omit {
                let _ = writeln!(text, "{indent}@{name}");
            } else {
                let _ = writeln!(text, "{indent}@{name}({})", node(value));
            }
        }
    }

    fn member(&self, text: &mut String, name: &str, member: &Value, with_target: bool) {
        let indent = INDENT;
        self.traits(text, indent, member.get("traits"));
        if with_target {
            let _ = writeln!(text, "{indent}{name}: {}", self.target_of(member));
        } else {
            let _ = writeln!(text, "{indent}{name}");
        }
    }

    fn shape(&self, text: &mut String, name: &str, shape: &Value) {
        let kind = shape
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("structure");
        self.traits(text, "", shape.get("traits"));
        match kind {
            "list" | "set" => {
                let _ = writeln!(text, "list {name} {{");
                if let Some(m) = shape.get("member") {
                    self.member(text, "member", m, true);
                }
                text.push_str("}\n");
            }
            "map" => {
                let _ = writeln!(text, "map {name} {{");
                for slot in ["key", "value"] {
                    if let Some(m) = shape.get(slot) {
                        self.member(text, slot, m, true);
                    }
                }
                text.push_str("}\n");
            }
            "structure" | "union" | "enum" | "intEnum" => {
                let _ = writeln!(text, "{kind} {name} {{");
                let enum_like = matches!(kind, "enum" | "intEnum");
                if let Some(members) = shape.get("members").and_then(Value::as_object) {
                    for (i, (mname, m)) in members.iter().enumerate() {
                        if i > 0 && m.get("traits").is_some() {
                            text.push('\n');
                        }
                        self.member(text, mname, m, !enum_like);
                    }
                }
                text.push_str("}\n");
            }
            "operation" => {
                let _ = writeln!(text, "operation {name} {{");
                for key in ["input", "output"] {
                    if let Some(t) = shape.get(key) {
                        let _ = writeln!(text, "{INDENT}{key}: {}", self.target_of(t));
                    }
                }
                if let Some(errors) = shape.get("errors").and_then(Value::as_array) {
                    let _ = writeln!(text, "{INDENT}errors: [{}]", self.id_list(errors));
                }
                text.push_str("}\n");
            }
            "service" | "resource" => {
                let _ = writeln!(text, "{kind} {name} {{");
                let object = shape.as_object();
                for (key, value) in object.into_iter().flatten() {
                    match key.as_str() {
                        "type" | "traits" | "mixins" => {}
                        "version" => {
                            let _ = writeln!(text, "{INDENT}version: {}", node(value));
                        }
                        "rename" => {
                            let _ = writeln!(text, "{INDENT}rename: {}", node(value));
                        }
                        "operations" | "resources" | "errors" | "collectionOperations" => {
                            let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
                            let _ = writeln!(text, "{INDENT}{key}: [{}]", self.id_list(items));
                        }
                        "identifiers" | "properties" => {
                            let entries: Vec<String> = value
                                .as_object()
                                .into_iter()
                                .flatten()
                                .map(|(k, v)| format!("{}: {}", quote(k), self.target_of(v)))
                                .collect();
                            let _ = writeln!(text, "{INDENT}{key}: {{{}}}", entries.join(", "));
                        }
                        _ => {
                            let _ = writeln!(text, "{INDENT}{key}: {}", self.target_of(value));
                        }
                    }
                }
                text.push_str("}\n");
            }
            simple => {
                let _ = writeln!(text, "{simple} {name}");
            }
        }
    }

    fn id_list(&self, items: &[Value]) -> String {
        items
            .iter()
            .map(|t| self.target_of(t))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
