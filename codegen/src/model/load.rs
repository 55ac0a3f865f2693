//! The JSON AST reader: files → validated [`Model`].
//!
//! Reading happens in passes over all files at once: parse each file's JSON, turn every shape
//! into a [`Shape`] (checking the AST's structure as it goes), merge the prelude, flatten
//! mixins, apply `apply` entries, upgrade 1.0 semantics, then validate references. Every
//! problem is collected as a located [`Diagnostic`]; nothing here panics on bad input.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::diagnostic::{json_quote, member_path, shape_path};
use super::{
    idl, prelude, trait_ids, Diagnostic, Diagnostics, Member, Model, Relations, Shape, ShapeId,
    ShapeType, Traits,
};

/// One model file's contents, already read.
#[derive(Clone, Debug)]
pub struct Source {
    /// Where it came from (used in every error).
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The model files named by a list of files and folders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelInputs {
    /// Every model file: the files named, and the `.json` and `.smithy` files found in the
    /// folders named (searched recursively), sorted within each folder.
    pub files: Vec<PathBuf>,
    /// Every folder searched, subfolders included (a build script watches them all, so a
    /// model file added to one is noticed).
    pub folders: Vec<PathBuf>,
}

/// Expands files and folders into model files (`.json` JSON AST and `.smithy` IDL).
pub fn model_inputs<P: AsRef<Path>>(paths: &[P]) -> Result<ModelInputs, Diagnostics> {
    let mut inputs = ModelInputs::default();
    let mut problems = Diagnostics::default();
    for path in paths {
        let path = path.as_ref();
        if path.is_dir() {
            let before = inputs.files.len();
            search_folder(path, &mut inputs, &mut problems, 0);
            if inputs.files.len() == before && problems.is_empty() {
                problems.push(Diagnostic::file(
                    path,
                    "",
                    "the folder holds no Smithy models (*.json or *.smithy files)",
                ));
            }
        } else {
            inputs.files.push(path.to_path_buf());
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}

fn search_folder(dir: &Path, inputs: &mut ModelInputs, problems: &mut Diagnostics, depth: usize) {
    if depth > 32 {
        problems.push(Diagnostic::file(
            dir,
            "",
            "folders nest too deeply (more than 32 levels)",
        ));
        return;
    }
    inputs.folders.push(dir.to_path_buf());
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Diagnostic::file(
                dir,
                "",
                format!("cannot read the folder: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            search_folder(&path, inputs, problems, depth + 1);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "smithy")
        {
            inputs.files.push(path);
        }
    }
}

/// Reads model files from disk (and the model files of folders, searched recursively) and
/// loads them into one model.
pub fn load_files<P: AsRef<Path>>(paths: &[P]) -> Result<Model, Diagnostics> {
    let inputs = model_inputs(paths)?;
    let mut sources = Vec::new();
    let mut problems = Diagnostics::default();
    for path in &inputs.files {
        match std::fs::read(path) {
            Ok(bytes) => sources.push(Source {
                path: path.clone(),
                bytes,
            }),
            Err(e) => problems.push(Diagnostic::file(
                path,
                "",
                format!("cannot read model file: {e}"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    load_sources(sources)
}

/// Loads already-read sources into one validated model. Files whose path ends in `.smithy`
/// are read as Smithy IDL, all others as JSON AST.
pub fn load_sources(mut sources: Vec<Source>) -> Result<Model, Diagnostics> {
    // Input order must not change the output: sort by path, then by content.
    sources.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.bytes.cmp(&b.bytes)));
    let mut hasher = Sha256::new();
    let mut problems = Diagnostics::default();
    let mut notes = Vec::new();
    // Parse every file first: relative ids in IDL files resolve against all of them.
    let mut parsed = Vec::new();
    for source in &sources {
        hasher.update(&source.bytes);
        let file = Arc::new(source.path.clone());
        if is_idl(&source.path) {
            let text = match std::str::from_utf8(&source.bytes) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(Diagnostic::file(
                        &file,
                        "",
                        format!("a Smithy IDL file must be UTF-8 text: {e}"),
                    ));
                    continue;
                }
            };
            let ast = idl::parse(text);
            for e in &ast.errors {
                let mut d = Diagnostic::file(&file, "", format!("syntax error: {}", e.message));
                d.locate(text, e.pos.line, e.pos.col);
                problems.push(d);
            }
            for (key, pos) in &ast.ignored_controls {
                // The specification says to ignore unknown control statements; say so.
                let mut d = Diagnostic::file(
                    &file,
                    "",
                    format!("unknown control statement `${key}` ignored"),
                );
                d.locate(text, pos.line, pos.col);
                notes.push(d);
            }
            parsed.push(Parsed::Idl(file, text, ast));
        } else {
            match parse_json(&file, &source.bytes) {
                Ok(root) => parsed.push(Parsed::Json(file, root)),
                Err(d) => problems.push(*d),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Every shape id defined anywhere, with its type.
    let mut kinds: HashMap<String, String> = HashMap::new();
    for p in &parsed {
        match p {
            Parsed::Json(_, root) => {
                if let Some(shapes) = root.get("shapes").and_then(Value::as_object) {
                    for (id, shape) in shapes {
                        if let Some(t) = shape.get("type").and_then(Value::as_str) {
                            if t != "apply" {
                                kinds.entry(id.clone()).or_insert_with(|| t.to_owned());
                            }
                        }
                    }
                }
            }
            Parsed::Idl(_, _, ast) => {
                for (id, kind) in idl::defined_shapes(ast) {
                    kinds.entry(id).or_insert(kind);
                }
            }
        }
    }
    let kind_of = |id: &str| kinds.get(id).cloned();

    let mut files: Vec<LoadedFile> = Vec::new();
    let mut roots = Vec::new();
    let mut elided = Vec::new();
    for p in &parsed {
        match p {
            Parsed::Json(file, root) => {
                files.push((file.clone(), None));
                roots.push(root.clone());
            }
            Parsed::Idl(file, text, ast) => {
                let converted = idl::to_ast(ast, &kind_of);
                for (pos, message) in converted.problems {
                    let mut d = Diagnostic::file(file, "", message);
                    d.locate(text, pos.line, pos.col);
                    problems.push(d);
                }
                for e in converted.elided {
                    elided.push((roots.len(), e));
                }
                files.push((file.clone(), Some((*text, converted.spans))));
                roots.push(converted.root);
            }
        }
    }
    for (index, e) in idl::resolve_elided(&mut roots, elided) {
        let (file, text) = (&files[index].0, files[index].1.as_ref().map(|(t, _)| *t));
        let mut d = Diagnostic::shape(
            file,
            &e.shape,
            Some(&e.member),
            "",
            format!(
                "the member's target is elided (`${}`), but no bound resource or mixin has an identifier or member named `{}`",
                e.member, e.member
            ),
        );
        if let Some(text) = text {
            d.locate(text, e.pos.line, e.pos.col);
        }
        problems.push(d);
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut loader = Loader::default();
    for ((file, _), root) in files.iter().zip(roots) {
        loader.read_root(file, root);
    }
    let result = loader.finish();
    let mut model = match result {
        Ok(model) => model,
        Err(mut problems) => {
            // Point diagnostics about IDL shapes at their line and column.
            for d in &mut problems.0 {
                let Some((_, Some((text, spans)))) =
                    files.iter().find(|(f, _)| f.as_path() == d.file.as_path())
                else {
                    continue;
                };
                if let Some(pos) = span_for(spans, &d.location) {
                    d.locate(text, pos.line, pos.col);
                }
            }
            return Err(problems);
        }
    };
    model.files = sources.into_iter().map(|s| s.path).collect();
    model.notes = notes;
    model.digest = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(model)
}

/// Whether a path names a Smithy IDL file (`.smithy`) rather than a JSON AST file.
pub(crate) fn is_idl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "smithy")
}

/// A file being loaded, with its text and span table when it is IDL.
type LoadedFile<'a> = (Arc<PathBuf>, Option<(&'a str, idl::Spans)>);

enum Parsed<'a> {
    Json(Arc<PathBuf>, Value),
    Idl(Arc<PathBuf>, &'a str, idl::IdlFile),
}

/// The recorded position of the longest prefix of a JSON path.
fn span_for(spans: &idl::Spans, location: &str) -> Option<idl::Pos> {
    let mut path = location;
    loop {
        if let Some(pos) = spans.get(path) {
            return Some(*pos);
        }
        // Drop the last `.name` or `[...]` segment (quoted keys may hold `.` or `[`).
        let cut = last_segment_start(path)?;
        path = &path[..cut];
    }
}

fn last_segment_start(path: &str) -> Option<usize> {
    let bytes = path.as_bytes();
    if path.ends_with(']') {
        // Find the matching `[` outside quotes, scanning from the start.
        let mut in_string = false;
        let mut escaped = false;
        let mut last_open = None;
        for (i, &b) in bytes.iter().enumerate() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
            } else if b == b'"' {
                in_string = true;
            } else if b == b'[' {
                last_open = Some(i);
            }
        }
        return last_open.filter(|&i| i > 0);
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut last_dot = None;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'.' || b == b'[' {
            last_dot = Some(i);
        }
    }
    last_dot.filter(|&i| i > 1)
}

/// Adds one metadata entry to the merged metadata of a model: the same key in several files
/// is fine when the values are lists (they are concatenated) or identical; otherwise it is a
/// conflict.
pub(crate) fn merge_metadata(
    metadata: &mut BTreeMap<String, Value>,
    key: &str,
    value: Value,
) -> Result<(), String> {
    match metadata.get_mut(key) {
        None => {
            metadata.insert(key.to_owned(), value);
            Ok(())
        }
        Some(Value::Array(existing)) if value.is_array() => {
            existing.extend(value.as_array().into_iter().flatten().cloned());
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(existing) => Err(format!(
            "metadata `{key}` is defined twice with different values ({existing} and {value}); only lists merge"
        )),
    }
}

/// One spelling per number, whatever way it was written: integers as integers, other numbers
/// in their shortest `f64` form (`10e0`, `10.0` and `1e1` are all `10.0`), and numbers too large
/// for an `f64` as written (with `E` for the exponent), so `1.8E+309` is kept rather than lost.
pub(crate) fn canonical_number(n: &serde_json::Number) -> serde_json::Number {
    let text = n.to_string();
    if let Ok(i) = text.parse::<i64>() {
        return i.into();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.into();
    }
    if let Some(f) = text
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
    {
        return f;
    }
    text.replace('e', "E").parse().unwrap_or_else(|_| n.clone())
}

fn canonical_numbers(value: &mut Value, depth: usize) {
    match value {
        Value::Number(n) => *n = canonical_number(n),
        // serde_json's parser refuses nesting deeper than 128, so this is bounded.
        Value::Array(items) if depth < 256 => {
            for v in items {
                canonical_numbers(v, depth + 1);
            }
        }
        Value::Object(entries) if depth < 256 => {
            for v in entries.values_mut() {
                canonical_numbers(v, depth + 1);
            }
        }
        _ => {}
    }
}

fn parse_json(file: &Path, bytes: &[u8]) -> Result<Value, Box<Diagnostic>> {
    let mut value = parse_json_text(file, bytes)?;
    canonical_numbers(&mut value, 0);
    Ok(value)
}

fn parse_json_text(file: &Path, bytes: &[u8]) -> Result<Value, Box<Diagnostic>> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Eof => "unexpected end of file",
            serde_json::error::Category::Io => "cannot read",
            _ => "malformed JSON",
        };
        let message = e.to_string();
        // serde_json appends " at line L column C"; the location is reported separately.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        Box::new(Diagnostic::file(
            file,
            format!("{}:{}", e.line(), e.column()),
            format!("{what}: {message}"),
        ))
    })
}

/// Which Smithy IDL version a file was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

struct Apply {
    target: String,
    traits: Traits,
    file: Arc<PathBuf>,
}

#[derive(Default)]
struct Loader {
    shapes: BTreeMap<ShapeId, Shape>,
    /// Every file's parsed JSON, kept so that a shape defined again can be compared with its
    /// first definition (identical redefinitions merge; different ones are errors).
    roots: Vec<Arc<Value>>,
    /// The index in `roots` of the file that defined each shape.
    defined_in: HashMap<ShapeId, usize>,
    versions: HashMap<ShapeId, Version>,
    applies: Vec<Apply>,
    metadata: BTreeMap<String, Value>,
    problems: Diagnostics,
}

/// What an AST object may contain besides `type`, `traits` and `mixins`, per shape type.
fn allowed_properties(kind: ShapeType) -> &'static [&'static str] {
    match kind {
        ShapeType::List => &["member"],
        ShapeType::Map => &["key", "value"],
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            &["members"]
        }
        ShapeType::Service => &["version", "operations", "resources", "errors", "rename"],
        ShapeType::Operation => &["input", "output", "errors"],
        ShapeType::Resource => &[
            "identifiers",
            "properties",
            "create",
            "put",
            "read",
            "update",
            "delete",
            "list",
            "operations",
            "collectionOperations",
            "resources",
        ],
        _ => &[],
    }
}

const MEMBER_PROPERTIES: &[&str] = &["member", "members", "key", "value"];

impl Loader {
    fn read_root(&mut self, file: &Arc<PathBuf>, root: Value) {
        let file = file.clone();
        let root = Arc::new(root);
        self.roots.push(root.clone());
        let Some(root) = root.as_object() else {
            self.problems.push(Diagnostic::file(
                &file,
                "$",
                "a model file must hold a JSON object",
            ));
            return;
        };
        let version = match root.get("smithy") {
            Some(Value::String(v)) if v == "2" || v == "2.0" => Version::V2,
            Some(Value::String(v)) if v == "1" || v == "1.0" => Version::V1,
            Some(Value::String(v)) => {
                self.problems.push(Diagnostic::file(
                    &file,
                    "$.smithy",
                    format!("unsupported Smithy version `{v}` (smithgen reads 1.0 and 2.0)"),
                ));
                return;
            }
            Some(_) => {
                self.problems.push(Diagnostic::file(
                    &file,
                    "$.smithy",
                    "the Smithy version must be a string such as \"2.0\"",
                ));
                return;
            }
            None => {
                self.problems.push(Diagnostic::file(
                    &file,
                    "$",
                    "missing the `smithy` version property",
                ));
                return;
            }
        };
        for key in root.keys() {
            if !matches!(key.as_str(), "smithy" | "metadata" | "shapes") {
                self.problems.push(Diagnostic::file(
                    &file,
                    format!("$.{key}"),
                    format!("unknown top-level property `{key}`"),
                ));
            }
        }
        if let Some(metadata) = root.get("metadata") {
            match metadata.as_object() {
                Some(entries) => {
                    for (k, v) in entries {
                        if let Err(message) = merge_metadata(&mut self.metadata, k, v.clone()) {
                            self.problems.push(Diagnostic::file(
                                &file,
                                format!("$.metadata[{}]", json_quote(k)),
                                message,
                            ));
                        }
                    }
                }
                None => self.problems.push(Diagnostic::file(
                    &file,
                    "$.metadata",
                    "`metadata` must be an object",
                )),
            }
        }
        let shapes = match root.get("shapes") {
            None => return,
            Some(Value::Object(shapes)) => shapes,
            Some(_) => {
                self.problems.push(Diagnostic::file(
                    &file,
                    "$.shapes",
                    "`shapes` must be an object",
                ));
                return;
            }
        };
        for (id_text, ast) in shapes {
            self.read_shape(&file, version, id_text, ast);
        }
    }

    fn read_shape(&mut self, file: &Arc<PathBuf>, version: Version, id_text: &str, ast: &Value) {
        let path = shape_path(id_text);
        let shape_err = |location: String, message: String| {
            Diagnostic::shape(file, id_text, None, location, message)
        };
        let Some(object) = ast.as_object() else {
            self.problems
                .push(shape_err(path, "a shape must be a JSON object".into()));
            return;
        };
        let kind_text = match object.get("type") {
            Some(Value::String(t)) => t.as_str(),
            _ => {
                self.problems.push(shape_err(
                    format!("{path}.type"),
                    "missing the `type` property".into(),
                ));
                return;
            }
        };
        if kind_text == "apply" {
            let mut traits = Traits::default();
            if self.read_traits(file, id_text, None, &path, object, &mut traits) {
                self.applies.push(Apply {
                    target: id_text.to_owned(),
                    traits,
                    file: file.clone(),
                });
            }
            for key in object
                .keys()
                .filter(|k| !matches!(k.as_str(), "type" | "traits"))
            {
                self.problems.push(shape_err(
                    format!("{path}.{key}"),
                    format!("an `apply` entry may only hold `traits`, not `{key}`"),
                ));
            }
            return;
        }
        let id = match ShapeId::parse(id_text) {
            Ok(id) if id.member().is_none() => id,
            Ok(_) => {
                self.problems.push(shape_err(
                    path,
                    "a member id cannot define a shape (use `apply` to add traits to a member)"
                        .into(),
                ));
                return;
            }
            Err(e) => {
                self.problems.push(shape_err(path, e));
                return;
            }
        };
        let Some(kind) = ShapeType::from_ast(kind_text) else {
            self.problems.push(shape_err(
                format!("{path}.type"),
                format!("unknown shape type `{kind_text}`"),
            ));
            return;
        };
        if kind_text == "set" && version == Version::V2 {
            self.problems.push(shape_err(
                format!("{path}.type"),
                "`set` shapes are not part of Smithy 2.0: use a `list` with `@uniqueItems`".into(),
            ));
        }
        if let Some(&index) = self.defined_in.get(&id) {
            let previous = self.roots[index]
                .get("shapes")
                .and_then(|s| s.get(id.as_str()));
            if previous != Some(ast) {
                let first = &self.shapes[&id].file;
                self.problems.push(shape_err(
                    path,
                    format!(
                        "defined differently in `{}` and in this file",
                        first.display()
                    ),
                ));
            }
            return;
        }
        if id.namespace() == "smithy.api" {
            self.problems.push(shape_err(
                path,
                "the `smithy.api` namespace is reserved for the prelude".into(),
            ));
            return;
        }

        let allowed = allowed_properties(kind);
        for key in object.keys() {
            if matches!(key.as_str(), "type" | "traits" | "mixins")
                || allowed.contains(&key.as_str())
            {
                continue;
            }
            let message = if MEMBER_PROPERTIES.contains(&key.as_str()) {
                format!("a `{kind_text}` shape cannot have members (found `{key}`)")
            } else {
                format!("unknown property `{key}` for a `{kind_text}` shape")
            };
            self.problems
                .push(shape_err(format!("{path}.{key}"), message));
        }

        let mut shape = Shape {
            id: id.clone(),
            kind,
            members: Vec::new(),
            traits: Traits::default(),
            mixins: Vec::new(),
            relations: Relations::default(),
            file: file.clone(),
        };
        self.read_traits(file, id_text, None, &path, object, &mut shape.traits);
        if kind_text == "set" {
            shape
                .traits
                .insert(trait_ids::UNIQUE_ITEMS, Value::Object(Map::new()));
        }
        if let Some(mixins) = object.get("mixins") {
            shape.mixins = self.read_refs(file, id_text, &format!("{path}.mixins"), mixins);
        }
        match kind {
            ShapeType::List => {
                if let Some(m) = self.read_member(
                    file,
                    &id,
                    "member",
                    &format!("{path}.member"),
                    object.get("member"),
                    !shape.mixins.is_empty(),
                ) {
                    shape.members.push(m);
                }
            }
            ShapeType::Map => {
                for name in ["key", "value"] {
                    if let Some(m) = self.read_member(
                        file,
                        &id,
                        name,
                        &format!("{path}.{name}"),
                        object.get(name),
                        !shape.mixins.is_empty(),
                    ) {
                        shape.members.push(m);
                    }
                }
            }
            k if k.has_named_members() => match object.get("members") {
                None => {}
                Some(Value::Object(members)) => {
                    for (name, ast) in members {
                        let mpath = member_path(id_text, name);
                        if !super::is_identifier(name) {
                            self.problems.push(Diagnostic::shape(
                                file,
                                id_text,
                                Some(name),
                                mpath,
                                format!("`{name}` is not a valid member name"),
                            ));
                            continue;
                        }
                        if let Some(m) = self.read_member(file, &id, name, &mpath, Some(ast), false)
                        {
                            shape.members.push(m);
                        }
                    }
                }
                Some(_) => self.problems.push(shape_err(
                    format!("{path}.members"),
                    "`members` must be an object".into(),
                )),
            },
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource => {
                shape.relations = self.read_relations(file, id_text, &path, object);
            }
            _ => {}
        }
        self.defined_in.insert(id.clone(), self.roots.len() - 1);
        self.versions.insert(id.clone(), version);
        self.shapes.insert(id, shape);
    }

    /// Reads `traits` into `into`; false when it was malformed.
    fn read_traits(
        &mut self,
        file: &Arc<PathBuf>,
        shape: &str,
        member: Option<&str>,
        path: &str,
        object: &Map<String, Value>,
        into: &mut Traits,
    ) -> bool {
        match object.get("traits") {
            None => true,
            Some(Value::Object(traits)) => {
                for (trait_id, value) in traits {
                    if let Err(e) = ShapeId::parse(trait_id) {
                        self.problems.push(Diagnostic::shape(
                            file,
                            shape,
                            member,
                            format!("{path}.traits"),
                            format!("bad trait id: {e}"),
                        ));
                        continue;
                    }
                    into.insert(trait_id.clone(), value.clone());
                }
                true
            }
            Some(_) => {
                self.problems.push(Diagnostic::shape(
                    file,
                    shape,
                    member,
                    format!("{path}.traits"),
                    "`traits` must be an object",
                ));
                false
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn read_member(
        &mut self,
        file: &Arc<PathBuf>,
        shape: &ShapeId,
        name: &str,
        path: &str,
        ast: Option<&Value>,
        inherits: bool,
    ) -> Option<Member> {
        let err = |location: String, message: &str| {
            Diagnostic::shape(
                file,
                shape.as_str(),
                Some(name),
                location,
                message.to_owned(),
            )
        };
        let Some(ast) = ast else {
            if inherits {
                // A mixin may supply it; checked after mixins are flattened.
                return None;
            }
            let kind = if name == "member" { "list" } else { "map" };
            self.problems.push(err(
                path.to_owned(),
                &format!("a {kind} needs a `{name}` member"),
            ));
            return None;
        };
        let Some(object) = ast.as_object() else {
            self.problems
                .push(err(path.to_owned(), "a member must be a JSON object"));
            return None;
        };
        let target = match object.get("target").and_then(Value::as_str) {
            Some(t) => match ShapeId::parse(t) {
                Ok(id) if id.member().is_none() => id,
                _ => {
                    self.problems.push(err(
                        format!("{path}.target"),
                        &format!("`{t}` is not a valid shape id"),
                    ));
                    return None;
                }
            },
            None => {
                self.problems.push(err(
                    format!("{path}.target"),
                    "a member needs a string `target`",
                ));
                return None;
            }
        };
        for key in object
            .keys()
            .filter(|k| !matches!(k.as_str(), "target" | "traits"))
        {
            self.problems.push(err(
                format!("{path}.{key}"),
                &format!("unknown member property `{key}`"),
            ));
        }
        let mut traits = Traits::default();
        self.read_traits(file, shape.as_str(), Some(name), path, object, &mut traits);
        Some(Member {
            name: name.to_owned(),
            target,
            traits,
        })
    }

    fn read_ref(
        &mut self,
        file: &Arc<PathBuf>,
        shape: &str,
        path: &str,
        ast: &Value,
    ) -> Option<ShapeId> {
        let target = ast
            .as_object()
            .and_then(|o| o.get("target"))
            .and_then(Value::as_str);
        match target.map(ShapeId::parse) {
            Some(Ok(id)) => Some(id),
            Some(Err(e)) => {
                self.problems
                    .push(Diagnostic::shape(file, shape, None, path, e));
                None
            }
            None => {
                self.problems.push(Diagnostic::shape(
                    file,
                    shape,
                    None,
                    path,
                    "expected a shape reference `{\"target\": \"ns#Name\"}`",
                ));
                None
            }
        }
    }

    fn read_refs(
        &mut self,
        file: &Arc<PathBuf>,
        shape: &str,
        path: &str,
        ast: &Value,
    ) -> Vec<ShapeId> {
        let Some(items) = ast.as_array() else {
            self.problems.push(Diagnostic::shape(
                file,
                shape,
                None,
                path,
                "expected a list of shape references",
            ));
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.read_ref(file, shape, &format!("{path}[{i}]"), item))
            .collect()
    }

    fn read_ref_map(
        &mut self,
        file: &Arc<PathBuf>,
        shape: &str,
        path: &str,
        ast: &Value,
    ) -> BTreeMap<String, ShapeId> {
        let Some(entries) = ast.as_object() else {
            self.problems.push(Diagnostic::shape(
                file,
                shape,
                None,
                path,
                "expected an object of shape references",
            ));
            return BTreeMap::new();
        };
        entries
            .iter()
            .filter_map(|(k, v)| {
                let id = self.read_ref(file, shape, &format!("{path}[{}]", json_quote(k)), v)?;
                Some((k.clone(), id))
            })
            .collect()
    }

    fn read_relations(
        &mut self,
        file: &Arc<PathBuf>,
        id: &str,
        path: &str,
        object: &Map<String, Value>,
    ) -> Relations {
        let mut r = Relations::default();
        for (key, value) in object {
            let p = format!("{path}.{key}");
            match key.as_str() {
                "version" => match value.as_str() {
                    Some(v) => r.version = Some(v.to_owned()),
                    None => self.problems.push(Diagnostic::shape(
                        file,
                        id,
                        None,
                        p,
                        "`version` must be a string",
                    )),
                },
                "operations" => r.operations = self.read_refs(file, id, &p, value),
                "resources" => r.resources = self.read_refs(file, id, &p, value),
                "errors" => r.errors = self.read_refs(file, id, &p, value),
                "collectionOperations" => {
                    r.collection_operations = self.read_refs(file, id, &p, value)
                }
                "input" => r.input = self.read_ref(file, id, &p, value),
                "output" => r.output = self.read_ref(file, id, &p, value),
                "identifiers" => r.identifiers = self.read_ref_map(file, id, &p, value),
                "properties" => r.properties = self.read_ref_map(file, id, &p, value),
                "create" | "put" | "read" | "update" | "delete" | "list" => {
                    if let Some(target) = self.read_ref(file, id, &p, value) {
                        r.lifecycle.push((key.clone(), target));
                    }
                }
                "rename" => match value.as_object() {
                    Some(entries) => {
                        for (from, to) in entries {
                            match (ShapeId::parse(from), to.as_str()) {
                                (Ok(from), Some(to)) => {
                                    r.rename.insert(from, to.to_owned());
                                }
                                _ => self.problems.push(Diagnostic::shape(
                                    file,
                                    id,
                                    None,
                                    format!("{p}[{}]", json_quote(from)),
                                    "`rename` maps shape ids to new names",
                                )),
                            }
                        }
                    }
                    None => self.problems.push(Diagnostic::shape(
                        file,
                        id,
                        None,
                        p,
                        "`rename` must be an object",
                    )),
                },
                _ => {}
            }
        }
        const ORDER: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];
        r.lifecycle
            .sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k));
        r
    }

    /// Smithy 2.0 features used in 1.0 files.
    fn check_v1_features(&mut self) {
        for (id, version) in &self.versions {
            let Some(shape) = self.shapes.get(id) else {
                continue;
            };
            if *version != Version::V1 {
                continue;
            }
            let path = shape_path(id.as_str());
            if shape.traits.has(trait_ids::MIXIN) {
                self.problems.push(Diagnostic::shape(
                    &shape.file,
                    id.as_str(),
                    None,
                    format!("{path}.traits"),
                    "mixins need Smithy 2.0, but this file is 1.0",
                ));
            }
            if !shape.relations.properties.is_empty() {
                self.problems.push(Diagnostic::shape(
                    &shape.file,
                    id.as_str(),
                    None,
                    format!("{path}.properties"),
                    "resource `properties` need Smithy 2.0, but this file is 1.0",
                ));
            }
        }
    }

    fn finish(mut self) -> Result<Model, Diagnostics> {
        self.check_v1_features();
        for shape in prelude::shapes() {
            self.shapes.insert(shape.id.clone(), shape);
        }
        self.flatten_mixins();
        self.apply_traits();
        // An enum member without @enumValue has its name as its value; say so explicitly so
        // the IDL and JSON spellings of the same enum give the same model.
        for shape in self.shapes.values_mut() {
            if shape.kind == ShapeType::Enum {
                for m in &mut shape.members {
                    if !m.traits.has(trait_ids::ENUM_VALUE) {
                        m.traits
                            .insert(trait_ids::ENUM_VALUE, Value::String(m.name.clone()));
                    }
                }
            }
        }
        self.upgrade_v1();
        self.validate();
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        Ok(Model {
            shapes: self.shapes,
            metadata: self.metadata,
            files: Vec::new(),
            digest: String::new(),
            notes: Vec::new(),
        })
    }

    /// Copies mixin members and traits into the shapes that use them.
    fn flatten_mixins(&mut self) {
        let with_mixins: Vec<ShapeId> = self
            .shapes
            .values()
            .filter(|s| !s.mixins.is_empty())
            .map(|s| s.id.clone())
            .collect();
        let mut done: HashMap<ShapeId, ()> = HashMap::new();
        for id in with_mixins {
            let mut stack = Vec::new();
            self.flatten_one(&id, &mut done, &mut stack);
        }
    }

    fn flatten_one(
        &mut self,
        id: &ShapeId,
        done: &mut HashMap<ShapeId, ()>,
        stack: &mut Vec<ShapeId>,
    ) {
        if done.contains_key(id) {
            return;
        }
        if stack.contains(id) {
            let shape = &self.shapes[id];
            self.problems.push(Diagnostic::shape(
                &shape.file,
                id.as_str(),
                None,
                format!("{}.mixins", shape_path(id.as_str())),
                "mixins form a cycle",
            ));
            done.insert(id.clone(), ());
            return;
        }
        stack.push(id.clone());
        let mixins = self.shapes[id].mixins.clone();
        let mut members = Vec::new();
        let mut traits = Traits::default();
        let mut conflicts = Vec::new();
        let mut relations = Relations::default();
        for mixin_id in &mixins {
            let shape = &self.shapes[id];
            let (file, path) = (
                shape.file.clone(),
                format!("{}.mixins", shape_path(id.as_str())),
            );
            let Some(mixin) = self.shapes.get(mixin_id) else {
                self.problems.push(Diagnostic::shape(
                    &file,
                    id.as_str(),
                    None,
                    path,
                    format!("mixin `{mixin_id}` does not exist"),
                ));
                continue;
            };
            if mixin.kind != self.shapes[id].kind {
                let kind = self.shapes[id].kind.as_str();
                self.problems.push(Diagnostic::shape(
                    &file,
                    id.as_str(),
                    None,
                    path,
                    format!(
                        "a {kind} can only use {kind} mixins, but `{mixin_id}` is a {}",
                        mixin.kind.as_str()
                    ),
                ));
                continue;
            }
            if !mixin.is_mixin() {
                self.problems.push(Diagnostic::shape(
                    &file,
                    id.as_str(),
                    None,
                    path,
                    format!("`{mixin_id}` is not marked with the @mixin trait"),
                ));
                continue;
            }
            self.flatten_one(mixin_id, done, stack);
            let mixin = &self.shapes[mixin_id];
            let local: Vec<String> = mixin
                .traits
                .get(trait_ids::MIXIN)
                .and_then(|v| v.get("localTraits"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            for (k, v) in mixin.traits.iter() {
                if k != trait_ids::MIXIN && !local.iter().any(|l| l == k) {
                    traits.insert(k, v.clone());
                }
            }
            merge_relations(&mut relations, &mixin.relations);
            for m in &mixin.members {
                match members.iter().find(|x: &&Member| x.name == m.name) {
                    None => members.push(m.clone()),
                    Some(x) if x.target != m.target => conflicts.push(format!(
                        "member `{}` is inherited from two mixins with different targets (`{}` and `{}` from `{mixin_id}`)",
                        m.name, x.target, m.target
                    )),
                    Some(_) => {}
                }
            }
        }
        let Some(shape) = self.shapes.get_mut(id) else {
            return;
        };
        // The shape's own members come after the mixins'; redeclaring one adds traits to it.
        for own in std::mem::take(&mut shape.members) {
            match members.iter_mut().find(|m| m.name == own.name) {
                Some(inherited) if inherited.target != own.target => {
                    conflicts.push(format!(
                        "member `{}` targets `{}`, which conflicts with the member it inherits from a mixin (target `{}`)",
                        own.name, own.target, inherited.target
                    ));
                }
                Some(inherited) => {
                    for (k, v) in own.traits.iter() {
                        inherited.traits.insert(k, v.clone());
                    }
                }
                None => members.push(own),
            }
        }
        shape.members = members;
        for (k, v) in shape.traits.iter() {
            traits.insert(k, v.clone());
        }
        shape.traits = traits;
        if !mixins.is_empty() {
            merge_relations(&mut relations, &shape.relations);
            shape.relations = relations;
        }
        let (file, path) = (shape.file.clone(), shape_path(id.as_str()));
        for message in conflicts {
            self.problems.push(Diagnostic::shape(
                &file,
                id.as_str(),
                None,
                format!("{path}.mixins"),
                message,
            ));
        }
        stack.pop();
        done.insert(id.clone(), ());
    }

    fn apply_traits(&mut self) {
        for apply in std::mem::take(&mut self.applies) {
            let path = shape_path(&apply.target);
            let Ok(id) = ShapeId::parse(&apply.target) else {
                self.problems.push(Diagnostic::shape(
                    &apply.file,
                    &apply.target,
                    None,
                    path,
                    format!("`{}` is not a valid shape id", apply.target),
                ));
                continue;
            };
            let root = id.root();
            let Some(shape) = self.shapes.get_mut(&root) else {
                self.problems.push(Diagnostic::shape(
                    &apply.file,
                    &apply.target,
                    None,
                    path,
                    format!("`apply` targets `{root}`, which does not exist"),
                ));
                continue;
            };
            let traits = match id.member() {
                None => &mut shape.traits,
                Some(member) => {
                    match shape.members.iter_mut().find(|m| m.name == member) {
                        Some(m) => &mut m.traits,
                        None => {
                            self.problems.push(Diagnostic::shape(&apply.file, root.as_str(), Some(member), path, format!("`apply` targets member `{member}`, which `{root}` does not have")));
                            continue;
                        }
                    }
                }
            };
            for (k, v) in apply.traits.iter() {
                traits.insert(k, v.clone());
            }
        }
    }

    /// Gives 1.0 models their 2.0 meaning: non-boxed numeric and boolean targets get `@default`.
    fn upgrade_v1(&mut self) {
        let v1: Vec<ShapeId> = self
            .versions
            .iter()
            .filter(|(_, v)| **v == Version::V1)
            .map(|(id, _)| id.clone())
            .collect();
        for id in v1 {
            let Some(shape) = self.shapes.get(&id) else {
                continue;
            };
            if shape.kind != ShapeType::Structure {
                continue;
            }
            let mut defaults = Vec::new();
            for (i, member) in shape.members.iter().enumerate() {
                let Some(target) = self.shapes.get(&member.target) else {
                    continue;
                };
                let zero = match target.kind {
                    ShapeType::Boolean => Value::Bool(false),
                    ShapeType::Byte
                    | ShapeType::Short
                    | ShapeType::Integer
                    | ShapeType::Long
                    | ShapeType::Float
                    | ShapeType::Double => Value::from(0),
                    _ => continue,
                };
                let boxed = member.traits.has(trait_ids::BOX)
                    || target.traits.has(trait_ids::BOX)
                    || (target.id.namespace() == "smithy.api"
                        && !target.id.name().starts_with("Primitive"));
                if !boxed && !member.traits.has(trait_ids::DEFAULT) && !member.traits.is_required()
                {
                    defaults.push((i, zero));
                }
            }
            let shape = self.shapes.get_mut(&id).expect("shape exists");
            for (i, zero) in defaults {
                shape.members[i].traits.insert(trait_ids::DEFAULT, zero);
            }
        }
    }

    fn validate(&mut self) {
        let mut problems = Vec::new();
        for shape in self.shapes.values() {
            validate_shape(&self.shapes, shape, &mut problems);
            check_collection_cycle(&self.shapes, shape, &mut problems);
        }
        for p in problems {
            self.problems.push(p);
        }
    }
}

/// Adds `from`'s service, operation and resource properties to `into` (lists are unions in
/// order, maps and single values are overridden by `from`).
fn merge_relations(into: &mut Relations, from: &Relations) {
    fn union(into: &mut Vec<ShapeId>, from: &[ShapeId]) {
        for id in from {
            if !into.contains(id) {
                into.push(id.clone());
            }
        }
    }
    if from.version.is_some() {
        into.version.clone_from(&from.version);
    }
    union(&mut into.operations, &from.operations);
    union(&mut into.resources, &from.resources);
    union(&mut into.errors, &from.errors);
    union(&mut into.collection_operations, &from.collection_operations);
    for (k, v) in &from.rename {
        into.rename.insert(k.clone(), v.clone());
    }
    for (k, v) in &from.identifiers {
        into.identifiers.insert(k.clone(), v.clone());
    }
    for (k, v) in &from.properties {
        into.properties.insert(k.clone(), v.clone());
    }
    if from.input.is_some() {
        into.input.clone_from(&from.input);
    }
    if from.output.is_some() {
        into.output.clone_from(&from.output);
    }
    for (k, v) in &from.lifecycle {
        match into.lifecycle.iter_mut().find(|(key, _)| key == k) {
            Some(entry) => entry.1 = v.clone(),
            None => into.lifecycle.push((k.clone(), v.clone())),
        }
    }
    const ORDER: [&str; 6] = ["create", "put", "read", "update", "delete", "list"];
    into.lifecycle
        .sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k));
}

fn validate_shape(
    shapes: &BTreeMap<ShapeId, Shape>,
    shape: &Shape,
    problems: &mut Vec<Diagnostic>,
) {
    let id = shape.id.as_str();
    let file = &shape.file;
    let path = shape_path(id);
    if shape.is_mixin() {
        let r = &shape.relations;
        let io = [&r.input, &r.output]
            .into_iter()
            .flatten()
            .any(|t| t.as_str() != prelude::UNIT);
        if shape.kind == ShapeType::Operation && io {
            problems.push(Diagnostic::shape(
                file,
                id,
                None,
                path.clone(),
                "an operation mixin cannot have an input or output other than `smithy.api#Unit`",
            ));
        }
        if shape.kind == ShapeType::Resource
            && !(r.properties.is_empty() && r.identifiers.is_empty())
        {
            problems.push(Diagnostic::shape(
                file,
                id,
                None,
                path.clone(),
                "a resource mixin cannot define identifiers or properties (they belong to the resource that uses it)",
            ));
        }
    }
    let needed: &[&str] = match shape.kind {
        ShapeType::List => &["member"],
        ShapeType::Map => &["key", "value"],
        _ => &[],
    };
    for name in needed {
        if shape.member(name).is_none() {
            let kind = shape.kind.as_str();
            problems.push(Diagnostic::shape(
                file,
                id,
                Some(name),
                format!("{path}.{name}"),
                format!("a {kind} needs a `{name}` member (its own or a mixin's)"),
            ));
        }
    }
    // Member targets exist and fit.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for m in &shape.members {
        let mpath = if shape.kind.has_named_members() {
            member_path(id, &m.name)
        } else {
            format!("{path}.{}", m.name)
        };
        if let Some(other) = seen.insert(m.name.to_ascii_lowercase(), &m.name) {
            problems.push(Diagnostic::shape(
                file,
                id,
                Some(&m.name),
                mpath.clone(),
                format!(
                    "member names `{other}` and `{}` differ only in case",
                    m.name
                ),
            ));
        }
        let Some(target) = shapes.get(&m.target) else {
            problems.push(Diagnostic::shape(
                file,
                id,
                Some(&m.name),
                format!("{mpath}.target"),
                format!("target `{}` does not exist", m.target),
            ));
            continue;
        };
        if matches!(
            target.kind,
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource
        ) {
            problems.push(Diagnostic::shape(
                file,
                id,
                Some(&m.name),
                format!("{mpath}.target"),
                format!(
                    "a member cannot target the {} `{}`",
                    target.kind.as_str(),
                    m.target
                ),
            ));
        }
        if target.is_mixin() {
            problems.push(Diagnostic::shape(
                file,
                id,
                Some(&m.name),
                format!("{mpath}.target"),
                format!("a member cannot target the mixin `{}`", m.target),
            ));
        }
        match shape.kind {
            ShapeType::Enum if m.target.as_str() != prelude::UNIT => {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    Some(&m.name),
                    format!("{mpath}.target"),
                    "enum members must target `smithy.api#Unit`",
                ));
            }
            ShapeType::Enum => match m.traits.get(trait_ids::ENUM_VALUE) {
                None => {}
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(_) => problems.push(Diagnostic::shape(
                    file,
                    id,
                    Some(&m.name),
                    mpath.clone(),
                    "an enum member's @enumValue must be a non-empty string",
                )),
            },
            ShapeType::IntEnum
                if m.traits
                    .get(trait_ids::ENUM_VALUE)
                    .and_then(Value::as_i64)
                    .and_then(|v| i32::try_from(v).ok())
                    .is_none() =>
            {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    Some(&m.name),
                    mpath.clone(),
                    "an intEnum member needs an integer @enumValue (a 32-bit signed integer)",
                ));
            }
            ShapeType::Map
                if m.name == "key"
                    && target.kind != ShapeType::String
                    && target.kind != ShapeType::Enum =>
            {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    Some("key"),
                    format!("{mpath}.target"),
                    format!(
                        "a map key must target a string shape, not the {} `{}`",
                        target.kind.as_str(),
                        m.target
                    ),
                ));
            }
            _ => {}
        }
    }
    if shape.is_string_enum() || shape.kind == ShapeType::IntEnum {
        let mut values = std::collections::HashSet::new();
        for v in shape.enum_values() {
            let text = match &v.value {
                super::EnumLiteral::String(s) => s.clone(),
                super::EnumLiteral::Int(i) => i.to_string(),
            };
            if !values.insert(text.clone()) {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    Some(&v.name),
                    path.clone(),
                    format!("the enum value `{text}` appears more than once"),
                ));
            }
        }
    }
    match shape.kind {
        ShapeType::Enum | ShapeType::IntEnum if shape.members.is_empty() && !shape.is_mixin() => {
            problems.push(Diagnostic::shape(
                file,
                id,
                None,
                path.clone(),
                format!("an {} must have at least one value", shape.kind.as_str()),
            ));
        }
        ShapeType::Union if shape.members.is_empty() && !shape.is_mixin() => {
            problems.push(Diagnostic::shape(
                file,
                id,
                None,
                path.clone(),
                "a union must have at least one member",
            ));
        }
        ShapeType::String if shape.traits.has(trait_ids::ENUM) => {
            let entries = shape.traits.get(trait_ids::ENUM).and_then(Value::as_array);
            let well_formed = entries.is_some_and(|e| {
                e.iter()
                    .all(|v| v.get("value").and_then(Value::as_str).is_some())
            });
            if !well_formed {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    None,
                    format!("{path}.traits[\"smithy.api#enum\"]"),
                    "the @enum trait must be a list of objects with a string `value`",
                ));
            } else if entries.is_some_and(Vec::is_empty) {
                problems.push(Diagnostic::shape(
                    file,
                    id,
                    None,
                    format!("{path}.traits[\"smithy.api#enum\"]"),
                    "an enum must have at least one value",
                ));
            }
        }
        _ => {}
    }
    // References from services, operations and resources.
    let r = &shape.relations;
    let mut check = |what: &str, target: &ShapeId, expected: &[ShapeType], need_error: bool| {
        let location = format!("{path}.{what}");
        match shapes.get(target) {
            None => problems.push(Diagnostic::shape(
                file,
                id,
                None,
                location,
                format!("`{what}` target `{target}` does not exist"),
            )),
            Some(t) if !expected.contains(&t.kind) => problems.push(Diagnostic::shape(
                file,
                id,
                None,
                location,
                format!(
                    "`{what}` must target a {}, but `{target}` is a {}",
                    expected[0].as_str(),
                    t.kind.as_str()
                ),
            )),
            Some(t) if t.is_mixin() => problems.push(Diagnostic::shape(
                file,
                id,
                None,
                location.clone(),
                format!("`{what}` cannot target the mixin `{target}`"),
            )),
            Some(t) if need_error && !t.is_error() => problems.push(Diagnostic::shape(
                file,
                id,
                None,
                location,
                format!("`{target}` is listed as an error but lacks the @error trait"),
            )),
            Some(_) => {}
        }
    };
    use ShapeType::{Operation, Resource, Structure};
    for t in r.operations.iter().chain(&r.collection_operations) {
        check("operations", t, &[Operation], false);
    }
    for (name, t) in &r.lifecycle {
        check(name, t, &[Operation], false);
    }
    for t in &r.resources {
        check("resources", t, &[Resource], false);
    }
    for t in &r.errors {
        check("errors", t, &[Structure], true);
    }
    for t in r.input.iter() {
        check("input", t, &[Structure], false);
    }
    for t in r.output.iter() {
        check("output", t, &[Structure], false);
    }
    for t in r.identifiers.values().chain(r.properties.values()) {
        if !shapes.contains_key(t) {
            problems.push(Diagnostic::shape(
                file,
                id,
                None,
                format!("{path}.identifiers"),
                format!("target `{t}` does not exist"),
            ));
        }
    }
}

/// A list or map must not contain itself except through a structure or union: such a type has
/// no finite value (and no Rust type).
fn check_collection_cycle(
    shapes: &BTreeMap<ShapeId, Shape>,
    shape: &Shape,
    problems: &mut Vec<Diagnostic>,
) {
    if !matches!(shape.kind, ShapeType::List | ShapeType::Map) {
        return;
    }
    let mut stack: Vec<&ShapeId> = shape.members.iter().map(|m| &m.target).collect();
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if id == &shape.id {
            problems.push(Diagnostic::shape(
                &shape.file,
                shape.id.as_str(),
                None,
                shape_path(shape.id.as_str()),
                "this collection contains itself without a structure or union in between",
            ));
            return;
        }
        if !seen.insert(id) {
            continue;
        }
        if let Some(target) = shapes.get(id) {
            if matches!(target.kind, ShapeType::List | ShapeType::Map) {
                stack.extend(target.members.iter().map(|m| &m.target));
            }
        }
    }
}
