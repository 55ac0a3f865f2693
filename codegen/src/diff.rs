//! `smithgen diff OLD NEW`: what changed between two versions of a model, and what each change
//! means for the semver of the generated crate.
//!
//! The judgement follows the generated code's shape: structures, enums, unions and error enums
//! are `#[non_exhaustive]` (enums with an `Unknown` variant), so additions are minor; anything
//! that removes or retypes a public item, or turns a field between `T` and `Option<T>`, is major;
//! documentation and behaviour-only changes are patches.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::emit::types::{presence, Presence};
use crate::model::{EnumLiteral, Model, Shape, ShapeType};
use crate::select::{self, ServiceView};
use crate::symbols::generates_type;

/// The semver impact of a change on the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Nothing changed.
    None,
    /// Documentation or behaviour only.
    Patch,
    /// Additions that compile against existing code.
    Minor,
    /// Existing code may stop compiling.
    Major,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::None => "none",
            Impact::Patch => "patch",
            Impact::Minor => "minor",
            Impact::Major => "major",
        })
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What changed: `operation CreateKeyPair`, `structure Tag, member key`, …
    pub subject: String,
    /// How it changed.
    pub what: String,
    /// Its impact.
    pub impact: Impact,
    /// Why it has that impact.
    pub reason: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<5}  {}: {} ({})",
            self.impact, self.subject, self.what, self.reason
        )
    }
}

/// The report: every change, sorted by subject, and the overall impact.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Report {
    /// The largest impact (`None` when nothing changed).
    pub fn impact(&self) -> Impact {
        self.changes
            .iter()
            .map(|c| c.impact)
            .max()
            .unwrap_or(Impact::None)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            writeln!(f, "no changes")?;
        }
        for c in &self.changes {
            writeln!(f, "{c}")?;
        }
        write!(f, "semver: {}", self.impact())
    }
}

struct Diff<'a, 'm> {
    old: &'a ServiceView<'m>,
    new: &'a ServiceView<'m>,
    changes: Vec<Change>,
}

impl Diff<'_, '_> {
    fn push(&mut self, subject: String, what: impl Into<String>, impact: Impact, reason: &str) {
        self.changes.push(Change {
            subject,
            what: what.into(),
            impact,
            reason: reason.to_owned(),
        });
    }
}

/// Compares the service closures of two models.
pub fn diff(old: &Model, new: &Model) -> Result<Report, crate::Error> {
    let old_service = select::find_service(old, None)?;
    let new_service = select::find_service(new, None)?;
    let old_view = select::select(old, old_service, None)?;
    let new_view = select::select(new, new_service, None)?;
    let mut d = Diff {
        old: &old_view,
        new: &new_view,
        changes: Vec::new(),
    };
    operations(&mut d);
    shapes(&mut d);
    d.changes.sort();
    Ok(Report { changes: d.changes })
}

/// A structural description of a value's Rust type, comparable across models.
fn type_sig(view: &ServiceView<'_>, shape: &Shape) -> String {
    match shape.kind {
        ShapeType::List => {
            let item = shape
                .list_member()
                .map(|m| type_sig(view, view.model.target(m)))
                .unwrap_or_default();
            let sparse = shape.traits.has(crate::model::trait_ids::SPARSE);
            if sparse {
                format!("Vec<Option<{item}>>")
            } else {
                format!("Vec<{item}>")
            }
        }
        ShapeType::Map => {
            let (k, v) = match shape.map_members() {
                Some((k, v)) => (
                    type_sig(view, view.model.target(k)),
                    type_sig(view, view.model.target(v)),
                ),
                None => (String::new(), String::new()),
            };
            let sparse = shape.traits.has(crate::model::trait_ids::SPARSE);
            if sparse {
                format!("HashMap<{k}, Option<{v}>>")
            } else {
                format!("HashMap<{k}, {v}>")
            }
        }
        _ if generates_type(shape) => view.shape_name(&shape.id),
        ShapeType::String => "String".into(),
        kind => kind.as_str().to_owned(),
    }
}

fn operations(d: &mut Diff<'_, '_>) {
    let by_name = |view: &ServiceView<'_>| -> BTreeMap<String, crate::model::ShapeId> {
        view.operations
            .iter()
            .map(|o| (view.shape_name(&o.id), o.id.clone()))
            .collect()
    };
    let (old_ops, new_ops) = (by_name(d.old), by_name(d.new));
    for (name, id) in &old_ops {
        let subject = format!("operation {name}");
        let Some(new_id) = new_ops.get(name) else {
            d.push(
                subject,
                "removed",
                Impact::Major,
                "its type, module and error enum disappear",
            );
            continue;
        };
        let (o, n) = (
            d.old.model.shape(id.as_str()),
            d.new.model.shape(new_id.as_str()),
        );
        let (Some(o), Some(n)) = (o, n) else { continue };
        for (what, a, b) in [
            ("input", &o.relations.input, &n.relations.input),
            ("output", &o.relations.output, &n.relations.output),
        ] {
            let sig = |view: &ServiceView<'_>, id: &Option<crate::model::ShapeId>| {
                id.as_ref()
                    .and_then(|id| view.model.shape(id.as_str()))
                    .map(|s| type_sig(view, s))
            };
            let (x, y) = (sig(d.old, a), sig(d.new, b));
            if x != y {
                d.push(
                    subject.clone(),
                    format!("{what} changed from {x:?} to {y:?}"),
                    Impact::Major,
                    "the Operation impl's associated type changes",
                );
            }
        }
        let errors = |view: &ServiceView<'_>, op: &Shape| -> BTreeSet<String> {
            view.operation_errors(op)
                .iter()
                .map(|e| view.shape_name(&e.id))
                .collect()
        };
        let (oe, ne) = (errors(d.old, o), errors(d.new, n));
        for removed in oe.difference(&ne) {
            d.push(
                subject.clone(),
                format!("error {removed} removed"),
                Impact::Major,
                "a variant of its error enum disappears",
            );
        }
        for added in ne.difference(&oe) {
            d.push(
                subject.clone(),
                format!("error {added} added"),
                Impact::Minor,
                "error enums are non-exhaustive",
            );
        }
        compare_common(d, &subject, o, n);
    }
    for name in new_ops.keys().filter(|n| !old_ops.contains_key(*n)) {
        d.push(
            format!("operation {name}"),
            "added",
            Impact::Minor,
            "a new type and module",
        );
    }
}

/// Docs and deprecation, for any shape.
fn compare_common(d: &mut Diff<'_, '_>, subject: &str, o: &Shape, n: &Shape) {
    if o.documentation() != n.documentation() {
        d.push(
            subject.to_owned(),
            "documentation changed",
            Impact::Patch,
            "docs only",
        );
    }
    match (
        o.traits.deprecated().is_some(),
        n.traits.deprecated().is_some(),
    ) {
        (false, true) => d.push(
            subject.to_owned(),
            "deprecated",
            Impact::Minor,
            "#[deprecated] warns but still compiles",
        ),
        (true, false) => d.push(
            subject.to_owned(),
            "no longer deprecated",
            Impact::Patch,
            "a warning goes away",
        ),
        _ => {}
    }
}

fn shapes(d: &mut Diff<'_, '_>) {
    let generated = |view: &ServiceView<'_>| -> BTreeMap<String, crate::model::ShapeId> {
        view.shapes()
            .filter(|s| generates_type(s))
            .map(|s| (view.shape_name(&s.id), s.id.clone()))
            .collect()
    };
    let (old_types, new_types) = (generated(d.old), generated(d.new));
    for (name, id) in &old_types {
        let (Some(o), Some(n)) = (
            d.old.model.shape(id.as_str()),
            new_types
                .get(name)
                .and_then(|id| d.new.model.shape(id.as_str())),
        ) else {
            d.push(
                format!("type {name}"),
                "removed",
                Impact::Major,
                "a public type disappears",
            );
            continue;
        };
        let kind = |s: &Shape| {
            if s.is_string_enum() {
                "enum"
            } else {
                s.kind.as_str()
            }
        };
        let subject = format!("{} {name}", kind(o));
        if kind(o) != kind(n) {
            d.push(
                subject,
                format!("became a {}", kind(n)),
                Impact::Major,
                "the type changes kind",
            );
            continue;
        }
        compare_common(d, &subject, o, n);
        if o.traits.is_sensitive() != n.traits.is_sensitive() {
            d.push(
                subject.clone(),
                "@sensitive changed",
                Impact::Patch,
                "only Debug output changes",
            );
        }
        match o.kind {
            ShapeType::Structure => structure(d, &subject, o, n),
            ShapeType::Union => union(d, &subject, o, n),
            _ => enumeration(d, &subject, o, n),
        }
    }
    for name in new_types.keys().filter(|n| !old_types.contains_key(*n)) {
        d.push(
            format!("type {name}"),
            "added",
            Impact::Minor,
            "a new public type",
        );
    }
}

fn fallible_build(view: &ServiceView<'_>, shape: &Shape) -> bool {
    shape.traits.has(crate::model::trait_ids::INPUT)
        || shape
            .members
            .iter()
            .any(|m| matches!(presence(view, shape, m), Presence::Required))
}

fn structure(d: &mut Diff<'_, '_>, subject: &str, o: &Shape, n: &Shape) {
    for om in &o.members {
        let member_subject = format!("{subject}, member {}", om.name);
        let Some(nm) = n.member(&om.name) else {
            d.push(
                member_subject,
                "removed",
                Impact::Major,
                "a public field and its setters disappear",
            );
            continue;
        };
        let (ot, nt) = (
            type_sig(d.old, d.old.model.target(om)),
            type_sig(d.new, d.new.model.target(nm)),
        );
        if ot != nt {
            d.push(
                member_subject.clone(),
                format!("type changed from {ot} to {nt}"),
                Impact::Major,
                "the field's type changes",
            );
        }
        let optional = |view: &ServiceView<'_>, s: &Shape, m: &crate::model::Member| {
            matches!(presence(view, s, m), Presence::Optional)
        };
        match (optional(d.old, o, om), optional(d.new, n, nm)) {
            (true, false) => d.push(
                member_subject.clone(),
                "became required (or gained a default)",
                Impact::Major,
                "the field changes from Option<T> to T",
            ),
            (false, true) => d.push(
                member_subject.clone(),
                "became optional",
                Impact::Major,
                "the field changes from T to Option<T>",
            ),
            // @input members are Option either way, so no signature changes; what changes is
            // which calls build() accepts.
            _ if nm.traits.is_required()
                && !om.traits.is_required()
                && nm.traits.default_value().is_none() =>
            {
                d.push(
                    member_subject.clone(),
                    "became required",
                    Impact::Minor,
                    "the field stays Option, but build() now returns BuildError when it is \
                     unset: calls that succeeded before fail (a behaviour change, not a \
                     compile error)",
                )
            }
            _ if om.traits.is_required() != nm.traits.is_required() => d.push(
                member_subject.clone(),
                if nm.traits.is_required() {
                    "became required"
                } else {
                    "no longer required"
                },
                Impact::Patch,
                if nm.traits.is_required() {
                    "the field stays Option and build() fills its default, so every call that \
                     built before still builds"
                } else {
                    "the field stays Option; build() accepts more than before"
                },
            ),
            _ => {}
        }
        if om.traits.default_value() != nm.traits.default_value() && ot == nt {
            d.push(
                member_subject.clone(),
                "default value changed",
                Impact::Patch,
                "what an unset member reads as",
            );
        }
        if om.documentation() != nm.documentation() {
            d.push(
                member_subject.clone(),
                "documentation changed",
                Impact::Patch,
                "docs only",
            );
        }
        if om.traits.is_sensitive() != nm.traits.is_sensitive() {
            d.push(
                member_subject,
                "@sensitive changed",
                Impact::Patch,
                "only Debug output changes",
            );
        }
    }
    for nm in n.members.iter().filter(|m| o.member(&m.name).is_none()) {
        d.push(
            format!("{subject}, member {}", nm.name),
            "added",
            Impact::Minor,
            "structures are non-exhaustive and built with builders",
        );
    }
    if fallible_build(d.old, o) != fallible_build(d.new, n) {
        d.push(
            subject.to_owned(),
            "builder's build() changed between T and Result<T, BuildError>",
            Impact::Major,
            "its return type changes",
        );
    }
}

fn union(d: &mut Diff<'_, '_>, subject: &str, o: &Shape, n: &Shape) {
    for om in &o.members {
        match n.member(&om.name) {
            None => d.push(
                format!("{subject}, member {}", om.name),
                "removed",
                Impact::Major,
                "a variant disappears",
            ),
            Some(nm) => {
                let (ot, nt) = (
                    type_sig(d.old, d.old.model.target(om)),
                    type_sig(d.new, d.new.model.target(nm)),
                );
                if ot != nt {
                    d.push(
                        format!("{subject}, member {}", om.name),
                        format!("type changed from {ot} to {nt}"),
                        Impact::Major,
                        "a variant's payload changes",
                    );
                }
            }
        }
    }
    for nm in n.members.iter().filter(|m| o.member(&m.name).is_none()) {
        d.push(
            format!("{subject}, member {}", nm.name),
            "added",
            Impact::Minor,
            "unions are non-exhaustive with an Unknown variant",
        );
    }
}

fn enumeration(d: &mut Diff<'_, '_>, subject: &str, o: &Shape, n: &Shape) {
    let values = |s: &Shape| -> BTreeMap<String, String> {
        s.enum_values()
            .into_iter()
            .map(|v| {
                let wire = match v.value {
                    EnumLiteral::String(s) => s,
                    EnumLiteral::Int(i) => i.to_string(),
                };
                (wire, v.name)
            })
            .collect()
    };
    let (ov, nv) = (values(o), values(n));
    for (wire, name) in &ov {
        match nv.get(wire) {
            None => d.push(
                subject.to_owned(),
                format!("value `{wire}` removed"),
                Impact::Major,
                "a variant disappears",
            ),
            Some(new_name)
                if crate::symbols::to_pascal(new_name) != crate::symbols::to_pascal(name) =>
            {
                d.push(
                    subject.to_owned(),
                    format!("value `{wire}` renamed from {name} to {new_name}"),
                    Impact::Major,
                    "the variant's name changes",
                )
            }
            Some(_) => {}
        }
    }
    for wire in nv.keys().filter(|w| !ov.contains_key(*w)) {
        d.push(
            subject.to_owned(),
            format!("value `{wire}` added"),
            Impact::Minor,
            "enums are non-exhaustive and keep unknown values",
        );
    }
}
