//! The Smithy IDL reader: `.smithy` text → the JSON AST form the loader reads.
//!
//! Each file is tokenized and parsed on its own ([`parser`]); shape ids stay relative until
//! every file of the model has been parsed, because a relative id resolves against the shapes
//! of its namespace in *all* files. [`to_ast`] then turns a parsed file into the JSON AST
//! (absolute ids, omitted trait values filled in from the trait's type, `///` comments as
//! `@documentation`, `=` as `@default`/`@enumValue`, inline input/output as shapes) and a
//! span table from JSON paths to source positions, so later errors about IDL shapes still
//! point at a line and column. Members with elided targets (`$name`) are finished by
//! [`resolve_elided`] once every file is in JSON form.

mod lexer;
mod parser;
pub(crate) mod write;

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

pub(crate) use parser::{parse, IdlFile, IdlVersion, Pos};
use parser::{IdlShape, Node, OpProperty, TraitApp};

use super::diagnostic::{json_quote, member_path, shape_path};
use super::prelude;

/// The placeholder target of a member whose target was elided, until it is resolved.
pub(crate) const ELIDED: &str = "\u{0}elided";

/// JSON path (as the loader's diagnostics spell it) → where it was written.
pub(crate) type Spans = HashMap<String, Pos>;

/// A member written `$name`, to be given the target of a resource identifier or mixin member.
#[derive(Clone, Debug)]
pub(crate) struct Elided {
    pub shape: String,
    pub member: String,
    /// The JSON key under the shape that holds the member (`members`, `member`, `key`, `value`).
    pub slot: &'static str,
    pub resource: Option<String>,
    pub mixins: Vec<String>,
    pub pos: Pos,
}

/// One file in JSON AST form.
pub(crate) struct Converted {
    pub root: Value,
    pub spans: Spans,
    pub problems: Vec<(Pos, String)>,
    pub elided: Vec<Elided>,
}

/// The shapes a parsed file defines: `(absolute id, shape type)`.
pub(crate) fn defined_shapes(file: &IdlFile) -> Vec<(String, String)> {
    let Some(ns) = &file.namespace else {
        return Vec::new();
    };
    file.shapes
        .iter()
        .map(|s| (format!("{ns}#{}", s.name), s.kind.clone()))
        .collect()
}

struct Ctx<'a> {
    ns: String,
    uses: HashMap<String, String>,
    /// The type of any shape defined anywhere in the model, by absolute id.
    kind_of: &'a dyn Fn(&str) -> Option<String>,
    spans: Spans,
    problems: Vec<(Pos, String)>,
}

impl Ctx<'_> {
    /// Relative shape id resolution: `use` imports, then this namespace (in any file), then
    /// the prelude; an id that matches none stays in this namespace (and fails validation).
    fn resolve(&self, raw: &str) -> String {
        if raw.contains('#') {
            return raw.to_owned();
        }
        let (name, member) = match raw.split_once('$') {
            Some((n, m)) => (n, Some(m)),
            None => (raw, None),
        };
        let mut id = if let Some(imported) = self.uses.get(name) {
            imported.clone()
        } else {
            let local = format!("{}#{name}", self.ns);
            if (self.kind_of)(&local).is_some() || prelude::definition(name).is_none() {
                local
            } else {
                format!("smithy.api#{name}")
            }
        };
        if let Some(m) = member {
            id.push('$');
            id.push_str(m);
        }
        id
    }

    fn node(&mut self, node: &Node) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Id(raw, _) => Value::String(self.resolve(raw)),
            Node::Array(items) => Value::Array(items.iter().map(|n| self.node(n)).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.node(v)))
                    .collect(),
            ),
        }
    }

    fn trait_value(&mut self, id: &str, value: &Option<Node>) -> Value {
        match value {
            Some(node) => self.node(node),
            None => {
                let kind = match id.strip_prefix("smithy.api#") {
                    Some(name) => prelude::definition(name).map(str::to_owned),
                    None => None,
                }
                .or_else(|| (self.kind_of)(id));
                match kind.as_deref() {
                    Some("list" | "set") => Value::Array(Vec::new()),
                    Some("structure" | "map" | "union") | None => Value::Object(Map::new()),
                    Some(_) => Value::Null,
                }
            }
        }
    }

    fn traits(
        &mut self,
        path: &str,
        docs: &Option<String>,
        traits: &[TraitApp],
    ) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(docs) = docs {
            out.insert(
                "smithy.api#documentation".into(),
                Value::String(docs.clone()),
            );
        }
        for t in traits {
            let id = self.resolve(&t.id);
            let value = self.trait_value(&id, &t.value);
            self.spans
                .insert(format!("{path}.traits[{}]", json_quote(&id)), t.pos);
            let explicit_doc = id == "smithy.api#documentation" && docs.is_some();
            if out.contains_key(&id) && !explicit_doc {
                self.problems
                    .push((t.pos, format!("trait `{id}` is applied twice")));
            }
            out.insert(id, value);
        }
        out
    }

    fn reference(&mut self, raw: &str, pos: Pos, path: String) -> Value {
        self.spans.insert(path, pos);
        let mut target = Map::new();
        target.insert("target".into(), Value::String(self.resolve(raw)));
        Value::Object(target)
    }

    /// A shape reference written as a node value (service and resource properties).
    fn node_reference(&mut self, node: &Node, fallback: Pos, path: String) -> Option<Value> {
        match node {
            Node::Id(raw, pos) => Some(self.reference(raw, *pos, path)),
            _ => {
                self.problems
                    .push((fallback, format!("expected a shape id (at {path})")));
                None
            }
        }
    }
}

/// Converts one parsed file to a JSON AST root.
pub(crate) fn to_ast(file: &IdlFile, kind_of: &dyn Fn(&str) -> Option<String>) -> Converted {
    let ns = file.namespace.clone().unwrap_or_default();
    let mut ctx = Ctx {
        ns: ns.clone(),
        uses: HashMap::new(),
        kind_of,
        spans: Spans::new(),
        problems: Vec::new(),
    };
    for (id, pos) in &file.uses {
        let name = id
            .split_once('#')
            .map_or(id.as_str(), |(_, n)| n)
            .to_owned();
        if let Some(previous) = ctx.uses.get(&name) {
            if previous != id {
                ctx.problems.push((
                    *pos,
                    format!("cannot use `{id}`: the name `{name}` is already imported from `{previous}`"),
                ));
            }
            continue;
        }
        if file.shapes.iter().any(|s| s.name == name) {
            ctx.problems.push((
                *pos,
                format!("`use {id}` conflicts with the shape `{ns}#{name}` defined in this file"),
            ));
        }
        ctx.uses.insert(name, id.clone());
    }

    let mut metadata: BTreeMap<String, Value> = BTreeMap::new();
    for (key, node, pos) in &file.metadata {
        let value = metadata_value(&mut ctx, node);
        if let Err(message) = super::load::merge_metadata(&mut metadata, key, value) {
            ctx.problems.push((*pos, message));
        }
    }

    let mut shapes = Map::new();
    let mut elided = Vec::new();
    for shape in &file.shapes {
        let id = format!("{ns}#{}", shape.name);
        let ast = shape_ast(&mut ctx, &id, shape, file.version, &mut elided);
        shapes.insert(id, ast);
    }
    for apply in &file.applies {
        let target = ctx.resolve(&apply.target);
        let path = shape_path(&target);
        ctx.spans.entry(path.clone()).or_insert(apply.pos);
        let traits = ctx.traits(&path, &None, &apply.traits);
        let entry = shapes.entry(target.clone()).or_insert_with(|| {
            let mut o = Map::new();
            o.insert("type".into(), Value::String("apply".into()));
            Value::Object(o)
        });
        let Some(object) = entry.as_object_mut() else {
            continue;
        };
        let existing = object
            .entry("traits")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(existing) = existing.as_object_mut() {
            for (k, v) in traits {
                match existing.get_mut(&k) {
                    // Applying a list trait again adds to it.
                    Some(Value::Array(items)) if v.is_array() => {
                        items.extend(v.as_array().into_iter().flatten().cloned())
                    }
                    Some(previous) if *previous != v => ctx.problems.push((
                        apply.pos,
                        format!("`apply` gives `{target}` a different value for trait `{k}` than it already has"),
                    )),
                    _ => {
                        existing.insert(k, v);
                    }
                }
            }
        }
    }

    let mut root = Map::new();
    let version = match file.version {
        IdlVersion::V1 => "1.0",
        IdlVersion::V2 => "2.0",
    };
    root.insert("smithy".into(), Value::String(version.into()));
    if !metadata.is_empty() {
        root.insert(
            "metadata".into(),
            Value::Object(metadata.into_iter().collect()),
        );
    }
    root.insert("shapes".into(), Value::Object(shapes));
    Converted {
        root: Value::Object(root),
        spans: ctx.spans,
        problems: ctx.problems,
        elided,
    }
}

/// Unquoted strings in metadata are shape ids of the prelude (metadata has no namespace).
fn metadata_value(ctx: &mut Ctx, node: &Node) -> Value {
    match node {
        Node::Id(raw, pos) => {
            if raw.contains('#') {
                Value::String(raw.clone())
            } else if prelude::definition(raw.split('$').next().unwrap_or(raw)).is_some() {
                Value::String(format!("smithy.api#{raw}"))
            } else {
                ctx.problems.push((
                    *pos,
                    format!("the unquoted value `{raw}` is a shape id, but `smithy.api#{raw}` does not exist (quote it to write a string)"),
                ));
                Value::String(raw.clone())
            }
        }
        Node::Array(items) => Value::Array(items.iter().map(|n| metadata_value(ctx, n)).collect()),
        Node::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), metadata_value(ctx, v)))
                .collect(),
        ),
        other => ctx.node(other),
    }
}

fn shape_ast(
    ctx: &mut Ctx,
    id: &str,
    shape: &IdlShape,
    version: IdlVersion,
    elided: &mut Vec<Elided>,
) -> Value {
    let path = shape_path(id);
    ctx.spans.insert(path.clone(), shape.pos);
    ctx.spans.insert(format!("{path}.type"), shape.kind_pos);
    let mut o = Map::new();
    o.insert("type".into(), Value::String(shape.kind.clone()));
    let mixins: Vec<String> = shape.mixins.iter().map(|(m, _)| ctx.resolve(m)).collect();
    if !shape.mixins.is_empty() {
        let refs: Vec<Value> = shape
            .mixins
            .iter()
            .enumerate()
            .map(|(i, (m, pos))| ctx.reference(m, *pos, format!("{path}.mixins[{i}]")))
            .collect();
        ctx.spans
            .insert(format!("{path}.mixins"), shape.mixins[0].1);
        o.insert("mixins".into(), Value::Array(refs));
    }
    let resource = shape.for_resource.as_ref().map(|(r, pos)| {
        ctx.spans.insert(format!("{path}.for"), *pos);
        ctx.resolve(r)
    });
    let kind = shape.kind.as_str();
    let is_enum = matches!(kind, "enum" | "intEnum");
    let mut members = Map::new();
    for m in &shape.members {
        let slot: &'static str = match kind {
            "list" | "set" if m.name == "member" => "member",
            "map" if m.name == "key" => "key",
            "map" if m.name == "value" => "value",
            "list" | "set" | "map" => {
                let allowed = if kind == "map" {
                    "`key` and `value`"
                } else {
                    "`member`"
                };
                ctx.problems.push((
                    m.pos,
                    format!(
                        "a {kind} has only {allowed}, not a member named `{}`",
                        m.name
                    ),
                ));
                continue;
            }
            _ => "members",
        };
        let mpath = if slot == "members" {
            member_path(id, &m.name)
        } else {
            format!("{path}.{slot}")
        };
        ctx.spans.insert(mpath.clone(), m.pos);
        let mut traits = ctx.traits(&mpath, &m.docs, &m.traits);
        if let Some((value, pos)) = &m.value {
            let trait_id = if is_enum {
                "smithy.api#enumValue"
            } else {
                "smithy.api#default"
            };
            ctx.spans
                .insert(format!("{mpath}.traits[{}]", json_quote(trait_id)), *pos);
            let value = ctx.node(value);
            if traits.contains_key(trait_id) {
                ctx.problems.push((
                    *pos,
                    format!(
                        "member `{}` has both `=` and `@{}`",
                        m.name,
                        &trait_id[11..]
                    ),
                ));
            }
            traits.insert(trait_id.into(), value);
        }
        let target = if is_enum {
            Value::String(prelude::UNIT.into())
        } else {
            match &m.target {
                Some((raw, pos)) => {
                    ctx.spans.insert(format!("{mpath}.target"), *pos);
                    Value::String(ctx.resolve(raw))
                }
                None => {
                    elided.push(Elided {
                        shape: id.to_owned(),
                        member: m.name.clone(),
                        slot,
                        resource: resource.clone(),
                        mixins: mixins.clone(),
                        pos: m.pos,
                    });
                    Value::String(ELIDED.into())
                }
            }
        };
        let mut member = Map::new();
        member.insert("target".into(), target);
        if !traits.is_empty() {
            member.insert("traits".into(), Value::Object(traits));
        }
        if slot == "members" {
            members.insert(m.name.clone(), Value::Object(member));
        } else {
            o.insert(slot.into(), Value::Object(member));
        }
    }
    if !matches!(kind, "list" | "set" | "map")
        && (!members.is_empty() || matches!(kind, "structure" | "union" | "enum" | "intEnum"))
    {
        o.insert("members".into(), Value::Object(members));
    }
    for (key, property, pos) in &shape.operation {
        let p = format!("{path}.{key}");
        ctx.spans.insert(p.clone(), *pos);
        let value = match property {
            OpProperty::Ref(raw, pos) => ctx.reference(raw, *pos, p),
            OpProperty::Refs(refs) => Value::Array(
                refs.iter()
                    .enumerate()
                    .map(|(i, (raw, pos))| ctx.reference(raw, *pos, format!("{p}[{i}]")))
                    .collect(),
            ),
        };
        o.insert(key.clone(), value);
    }
    for (key, node, pos) in &shape.body {
        let p = format!("{path}.{key}");
        ctx.spans.insert(p.clone(), *pos);
        let value = match key.as_str() {
            "operations" | "resources" | "errors" | "collectionOperations" => match node {
                Node::Array(items) => Value::Array(
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, n)| ctx.node_reference(n, *pos, format!("{p}[{i}]")))
                        .collect(),
                ),
                _ => {
                    ctx.problems
                        .push((*pos, format!("`{key}` must be a list of shape ids")));
                    continue;
                }
            },
            "identifiers" | "properties" => {
                if key == "properties" && version == IdlVersion::V1 {
                    ctx.problems.push((
                        *pos,
                        "resource `properties` need Smithy IDL 2.0 (this file is 1.0)".into(),
                    ));
                }
                match node {
                    Node::Object(entries) => Value::Object(
                        entries
                            .iter()
                            .filter_map(|(name, n)| {
                                let r = ctx.node_reference(
                                    n,
                                    *pos,
                                    format!("{p}[{}]", json_quote(name)),
                                )?;
                                Some((name.clone(), r))
                            })
                            .collect(),
                    ),
                    _ => {
                        ctx.problems
                            .push((*pos, format!("`{key}` must map names to shape ids")));
                        continue;
                    }
                }
            }
            "create" | "put" | "read" | "update" | "delete" | "list" => {
                match ctx.node_reference(node, *pos, p.clone()) {
                    Some(r) => r,
                    None => continue,
                }
            }
            _ => ctx.node(node),
        };
        o.insert(key.clone(), value);
    }
    let traits = ctx.traits(&path, &shape.docs, &shape.traits);
    if !traits.is_empty() {
        o.insert("traits".into(), Value::Object(traits));
    }
    Value::Object(o)
}

/// Gives every elided member the target of the bound resource's identifier or property of
/// that name, else of the mixin member of that name (looked up through the mixins' own
/// mixins). `roots` holds every file of the model in JSON form; `pending` says, per root,
/// which members are elided. Returns the members no resource or mixin could resolve.
pub(crate) fn resolve_elided(
    roots: &mut [Value],
    pending: Vec<(usize, Elided)>,
) -> Vec<(usize, Elided)> {
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, root) in roots.iter().enumerate() {
        if let Some(shapes) = root.get("shapes").and_then(Value::as_object) {
            for (id, shape) in shapes {
                if shape.get("type").and_then(Value::as_str) != Some("apply") {
                    index.entry(id.clone()).or_insert(i);
                }
            }
        }
    }
    let mut pending = pending;
    loop {
        let mut fixes = Vec::new();
        let mut still = Vec::new();
        for (root, e) in pending {
            match find_elided_target(roots, &index, &e) {
                Some(target) => fixes.push((root, e, target)),
                None => still.push((root, e)),
            }
        }
        if fixes.is_empty() {
            return still;
        }
        for (root, e, target) in fixes {
            let shape = &mut roots[root]["shapes"][&e.shape];
            let member = if e.slot == "members" {
                &mut shape["members"][&e.member]
            } else {
                &mut shape[e.slot]
            };
            member["target"] = Value::String(target);
        }
        pending = still;
    }
}

fn shape_in<'a>(roots: &'a [Value], index: &HashMap<String, usize>, id: &str) -> Option<&'a Value> {
    roots.get(*index.get(id)?)?.get("shapes")?.get(id)
}

fn find_elided_target(
    roots: &[Value],
    index: &HashMap<String, usize>,
    e: &Elided,
) -> Option<String> {
    if let Some(resource) = e
        .resource
        .as_deref()
        .and_then(|r| shape_in(roots, index, r))
    {
        for key in ["identifiers", "properties"] {
            if let Some(t) = resource
                .get(key)
                .and_then(|v| v.get(&e.member))
                .and_then(|v| v.get("target"))
                .and_then(Value::as_str)
            {
                return Some(t.to_owned());
            }
        }
    }
    let mut stack: Vec<String> = e.mixins.iter().rev().cloned().collect();
    let mut seen = 0usize;
    while let Some(mixin) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            return None;
        }
        let Some(shape) = shape_in(roots, index, &mixin) else {
            continue;
        };
        let member = if e.slot == "members" {
            shape.get("members").and_then(|m| m.get(&e.member))
        } else {
            shape.get(e.slot)
        };
        match member.and_then(|m| m.get("target")).and_then(Value::as_str) {
            Some(t) if t != ELIDED => return Some(t.to_owned()),
            // Not resolved yet in this pass; a later pass may.
            Some(_) => return None,
            None => {}
        }
        if let Some(mixins) = shape.get("mixins").and_then(Value::as_array) {
            for m in mixins.iter().rev() {
                if let Some(t) = m.get("target").and_then(Value::as_str) {
                    stack.push(t.to_owned());
                }
            }
        }
    }
    None
}
