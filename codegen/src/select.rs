//! Selection: the closure of one service, optionally cut down to some of its operations.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Diagnostic, Diagnostics, Model, Shape, ShapeId, ShapeType};

/// The part of a model one generated crate covers.
#[derive(Debug)]
pub struct ServiceView<'m> {
    /// The whole model (for target look-ups).
    pub model: &'m Model,
    /// The service shape.
    pub service: &'m Shape,
    /// The selected operations, sorted by name.
    pub operations: Vec<&'m Shape>,
    /// Every data shape the operations reach (structures, unions, enums, lists, maps, simple
    /// shapes, errors), excluding the operations, resources and the service.
    pub shapes: BTreeSet<ShapeId>,
    /// The shapes a client sends: the operations' inputs and what they hold.
    pub sent: BTreeSet<ShapeId>,
    /// The shapes a client receives: outputs, errors and what they hold.
    pub received: BTreeSet<ShapeId>,
    /// Whether code that only a `Stubber` runs is generated (set from the options).
    pub stubs: crate::StubSupport,
    /// Whether the model's endpoint tests are emitted (behind the `endpoint-tests` feature).
    pub endpoint_tests: bool,
    /// The crate name operation examples are compiled against (`None`: they are `ignore`d).
    pub example_crate: Option<String>,
}

impl<'m> ServiceView<'m> {
    /// The shapes of the closure, in id order.
    pub fn shapes(&self) -> impl Iterator<Item = &'m Shape> + '_ {
        self.shapes
            .iter()
            .filter_map(|id| self.model.shape(id.as_str()))
    }

    /// The gate of code a client needs only for shapes it sends (their writer, their builder):
    /// none for those, [`stub_gate`](Self::stub_gate) for the rest.
    pub fn sent_gate(&self, id: &ShapeId) -> Option<proc_macro2::TokenStream> {
        self.stub_gate(self.sent.contains(id))
    }

    /// The gate of code a client needs only for shapes it receives (their reader).
    pub fn received_gate(&self, id: &ShapeId) -> Option<proc_macro2::TokenStream> {
        self.stub_gate(self.received.contains(id))
    }

    /// The attribute that code only a `Stubber` runs goes behind, or `None` when it is not
    /// generated; code a client runs (`needed`) gets no attribute.
    pub fn stub_gate(&self, needed: bool) -> Option<proc_macro2::TokenStream> {
        match (needed, &self.stubs) {
            (true, _) | (false, crate::StubSupport::Always) => {
                Some(proc_macro2::TokenStream::new())
            }
            (false, crate::StubSupport::Feature) => {
                Some(quote::quote!(#[cfg(feature = "test-util")]))
            }
            (false, crate::StubSupport::Never) => None,
        }
    }

    /// The name a shape has in this service (honouring `rename`).
    pub fn shape_name(&self, id: &ShapeId) -> String {
        self.service
            .relations
            .rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_owned())
    }

    /// The errors an operation can return: its own, then the service's common errors.
    pub fn operation_errors(&self, operation: &Shape) -> Vec<&'m Shape> {
        let mut ids: Vec<&ShapeId> = operation.relations.errors.iter().collect();
        for e in &self.service.relations.errors {
            if !ids.contains(&e) {
                ids.push(e);
            }
        }
        ids.into_iter()
            .filter_map(|id| self.model.shape(id.as_str()))
            .collect()
    }
}

/// Chooses the service: the one named, or the model's only one.
pub fn find_service<'m>(model: &'m Model, name: Option<&str>) -> Result<&'m Shape, Diagnostics> {
    let file = model.files.first().cloned().unwrap_or_default();
    let services: Vec<&Shape> = model.services().collect();
    let chosen = match name {
        Some(name) => services
            .iter()
            .find(|s| s.id.as_str() == name || s.id.name() == name)
            .copied(),
        None if services.len() == 1 => Some(services[0]),
        None => None,
    };
    chosen.ok_or_else(|| {
        let names: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
        let message = match (name, names.is_empty()) {
            (_, true) => "the model defines no service shape".to_owned(),
            (Some(n), false) => format!(
                "no service named `{n}` (the model has: {})",
                names.join(", ")
            ),
            (None, false) => format!(
                "the model defines several services; choose one of: {}",
                names.join(", ")
            ),
        };
        Diagnostic::file(&file, "", message).into()
    })
}

/// Computes the closure of `service`, keeping only `operations` (by shape name) when given.
pub fn select<'m>(
    model: &'m Model,
    service: &'m Shape,
    operations: Option<&[String]>,
) -> Result<ServiceView<'m>, Diagnostics> {
    let mut all_ops: BTreeMap<String, &'m Shape> = BTreeMap::new();
    let mut resources = Vec::new();
    collect_operations(model, &service.relations, &mut all_ops, &mut resources);
    let chosen: Vec<&'m Shape> = match operations {
        None => all_ops.values().copied().collect(),
        Some(names) => {
            let mut chosen = Vec::new();
            let mut missing = Vec::new();
            for name in names {
                match all_ops.get(name.as_str()) {
                    Some(op) => chosen.push(*op),
                    None => missing.push(name.as_str()),
                }
            }
            if !missing.is_empty() {
                let known: Vec<&str> = all_ops.keys().map(String::as_str).collect();
                let mut message = String::new();
                for (i, name) in missing.iter().enumerate() {
                    if i > 0 {
                        message.push_str("; ");
                    }
                    message.push_str(&format!("the service has no operation named `{name}`"));
                    let near = nearest_names(name, &known);
                    if !near.is_empty() {
                        let near: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                        message.push_str(&format!(" (did you mean {}?)", near.join(" or ")));
                    }
                }
                message.push_str(&format!(
                    " (it has {} operations, e.g. {})",
                    known.len(),
                    known.iter().take(5).copied().collect::<Vec<_>>().join(", ")
                ));
                return Err(Diagnostic::shape(
                    &service.file,
                    service.id.as_str(),
                    None,
                    "",
                    message,
                )
                .into());
            }
            chosen.sort_by(|a, b| a.id.name().cmp(b.id.name()));
            chosen.dedup_by(|a, b| a.id == b.id);
            chosen
        }
    };

    // What the operations send, what they receive, and (with resource identifiers) everything
    // the crate defines.
    let sent = closure(
        model,
        chosen.iter().filter_map(|op| op.relations.input.clone()),
    );
    let received = closure(
        model,
        chosen
            .iter()
            .flat_map(|op| op.relations.output.iter().chain(&op.relations.errors))
            .chain(&service.relations.errors)
            .cloned(),
    );
    let mut shapes = closure(
        model,
        resources
            .iter()
            .flat_map(|r| r.relations.identifiers.values().cloned()),
    );
    shapes.extend(sent.iter().chain(&received).cloned());
    let view = ServiceView {
        model,
        service,
        operations: chosen,
        shapes,
        sent,
        received,
        stubs: crate::StubSupport::Feature,
        endpoint_tests: true,
        example_crate: None,
    };
    check_name_conflicts(&view)?;
    Ok(view)
}

/// The shapes `roots` reach through members (the roots included).
fn closure(model: &Model, roots: impl IntoIterator<Item = ShapeId>) -> BTreeSet<ShapeId> {
    let mut reached = BTreeSet::new();
    let mut stack: Vec<ShapeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !reached.insert(id.clone()) {
            continue;
        }
        if let Some(shape) = model.shape(id.as_str()) {
            stack.extend(shape.members.iter().map(|m| m.target.clone()));
        }
    }
    reached
}

fn collect_operations<'m>(
    model: &'m Model,
    relations: &crate::model::Relations,
    ops: &mut BTreeMap<String, &'m Shape>,
    resources: &mut Vec<&'m Shape>,
) {
    let op_ids = relations
        .operations
        .iter()
        .chain(&relations.collection_operations)
        .chain(relations.lifecycle.iter().map(|(_, id)| id));
    for id in op_ids {
        if let Some(op) = model.shape(id.as_str()) {
            ops.insert(op.id.name().to_owned(), op);
        }
    }
    for id in &relations.resources {
        if let Some(resource) = model.shape(id.as_str()) {
            if resources.iter().any(|r| r.id == resource.id) {
                continue;
            }
            resources.push(resource);
            collect_operations(model, &resource.relations, ops, resources);
        }
    }
}

/// Shape names must be case-insensitively unique within a service closure (after `rename`).
fn check_name_conflicts(view: &ServiceView<'_>) -> Result<(), Diagnostics> {
    let mut seen: BTreeMap<String, &ShapeId> = BTreeMap::new();
    let mut problems = Diagnostics::default();
    let ids = view
        .shapes
        .iter()
        .chain(view.operations.iter().map(|o| &o.id))
        .filter(|id| !Model::is_prelude(id));
    for id in ids {
        let shape = view.model.shape(id.as_str());
        if shape.is_some_and(|s| matches!(s.kind, ShapeType::Service | ShapeType::Resource)) {
            continue;
        }
        let name = view.shape_name(id).to_ascii_lowercase();
        if let Some(other) = seen.insert(name, id) {
            problems.push(Diagnostic::shape(
                &view.service.file,
                view.service.id.as_str(),
                None,
                "rename",
                format!("`{other}` and `{id}` have conflicting names in the service closure; add a `rename` entry to the service"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The known names closest to `name` (case-insensitive edit distance), best first: at most
/// three, and only those close enough to be a likely typo.
pub fn nearest_names<'a>(name: &str, known: &[&'a str]) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'a str)> = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| *d <= best + 1)
        .take(3)
        .map(|(_, k)| k)
        .collect()
}

/// Levenshtein distance over chars (insertions, deletions, substitutions).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn nearest_names_suggest_likely_typos_only() {
        let known = [
            "CreateKeyPair",
            "DeleteKeyPair",
            "GetKeyPair",
            "GetKeyPairs",
        ];
        assert_eq!(nearest_names("CreateKeyPiar", &known), ["CreateKeyPair"]);
        assert_eq!(nearest_names("createkeypair", &known), ["CreateKeyPair"]);
        assert_eq!(
            nearest_names("GetKeyPai", &known),
            ["GetKeyPair", "GetKeyPairs"]
        );
        assert!(nearest_names("DeleteEverything", &known).is_empty());
    }
}
