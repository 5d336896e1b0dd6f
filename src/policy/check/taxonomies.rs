//! The category and purpose taxonomies, built from their declarations: nested and dotted
//! names made full paths, parents resolved, and cycles reported.

use std::collections::{BTreeMap, HashSet};

use super::{duplicate, listed_twice, unknown_path, Kind, MAX_TAXONOMY_NODES};
use crate::diagnostic::{suggest, Code, Place, Problem};
use crate::policy::taxonomy::{Cycle, TaxonId, TaxonNode, Taxonomy};
use crate::syntax::ast;

/// Help for a dotted path whose parent is not declared: a close name, but not one under the
/// missing parent itself (`later.sub` is no answer for `later`), else how to declare it.
fn missing_parent_help(kind: Kind, parent: &str, names: &[&str]) -> String {
    let under = format!("{parent}.");
    match suggest(parent, names.iter().copied().filter(|n| !n.starts_with(&under))) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("declare `{kind} {parent}` first, with or without children", kind = kind.word()),
    }
}

/// Declarations flattened to full paths, before parents are resolved.
struct Flat<'a> {
    path: String,
    decl: &'a ast::TaxonDecl,
    /// The enclosing declaration's path, for nested children.
    nested_parent: Option<String>,
}

fn flatten<'a>(decl: &'a ast::TaxonDecl, prefix: Option<&str>, out: &mut Vec<Flat<'a>>) {
    let path = match prefix {
        // A dotted name inside braces is a syntax error (`syntax/nested.rs`).
        Some(p) => format!("{p}.{}", decl.path.text),
        None => decl.path.text.clone(),
    };
    for child in &decl.children {
        flatten(child, Some(&path), out);
    }
    out.push(Flat { path, decl, nested_parent: prefix.map(str::to_string) });
}

/// Every declaration, nested ones included, with its full path.
fn flatten_all<'a>(decls: &[&'a ast::TaxonDecl]) -> Vec<Flat<'a>> {
    let mut flat = Vec::new();
    for d in decls {
        flatten(d, None, &mut flat);
    }
    flat
}

/// Every path the declarations declare, nested ones included.
pub(super) fn declared_paths(decls: &[&ast::TaxonDecl]) -> HashSet<String> {
    flatten_all(decls).into_iter().map(|f| f.path).collect()
}

/// The taxonomy of `kind` that `decls` declare; `other_kind` holds the other taxonomy's paths,
/// to tell `under pii` names a category, not a purpose. Problems found are pushed, and the
/// taxonomy returned keeps every name it can, so that rules naming them get no second error.
pub(super) fn build_taxonomy<Id: TaxonId>(
    kind: Kind,
    decls: &[&ast::TaxonDecl],
    other_kind: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Taxonomy<Id> {
    let mut flat = flatten_all(decls);
    // Declaration order is made canonical (by path) so ids never depend on file order.
    flat.sort_by(|a, b| a.path.cmp(&b.path).then(a.decl.path.span.cmp(&b.decl.path.span)));
    let (index, unique) = index_paths(kind, &flat, problems);
    if unique.len() > MAX_TAXONOMY_NODES {
        problems.extend(too_many_nodes(kind, &unique, decls));
        return Taxonomy::default();
    }
    let names: Vec<&str> = index.keys().map(String::as_str).collect();
    let resolve = Parents { kind, index: &index, names: &names, other_kind };
    let nodes: Vec<TaxonNode<Id>> = unique
        .iter()
        .map(|f| TaxonNode {
            path: f.path.clone(),
            label: f.decl.label.as_ref().map(|l| l.value.clone()),
            span: f.decl.path.span,
            parents: resolve.parents_of(f, problems),
        })
        .collect();
    match Taxonomy::build(nodes.clone()) {
        Ok(t) => t,
        Err(cycles) => {
            problems.extend(cycles.iter().filter_map(|cycle| cycle_problem(kind, cycle, &nodes)));
            without_cycles(nodes, &cycles)
        }
    }
}

/// Each path's id, which is its place among the unique paths and so in the taxonomy, and the
/// declaration of each path; a path declared again is reported as a duplicate.
fn index_paths<'f, 'a, Id: TaxonId>(
    kind: Kind,
    flat: &'f [Flat<'a>],
    problems: &mut Vec<Problem>,
) -> (BTreeMap<String, Id>, Vec<&'f Flat<'a>>) {
    let mut index: BTreeMap<String, Id> = BTreeMap::new();
    let mut unique: Vec<&Flat> = Vec::new();
    for f in flat {
        if let Some(&first) = index.get(&f.path) {
            let first_span = unique.get(first.index() as usize).map_or(f.decl.path.span, |u| u.decl.path.span);
            problems.push(duplicate(kind.word(), &f.path, f.decl.path.span, first_span));
            continue;
        }
        index.insert(f.path.clone(), Id::from_index(unique.len() as u32));
        unique.push(f);
    }
    (index, unique)
}

/// The problem for a taxonomy beyond `MAX_TAXONOMY_NODES`, at the first node too many.
fn too_many_nodes(kind: Kind, unique: &[&Flat], decls: &[&ast::TaxonDecl]) -> Option<Problem> {
    let span = unique.get(MAX_TAXONOMY_NODES).map_or(decls.first().map(|d| d.path.span), |f| Some(f.decl.path.span))?;
    Some(
        Problem::at(Code::Limit, span, format!("more than {MAX_TAXONOMY_NODES} {}", kind.plural()), "limit reached")
            .with_help("a taxonomy this large is not reviewable; group the entries under fewer nodes"),
    )
}

/// What resolves a node's parents: the taxonomy's paths and their ids.
struct Parents<'a, Id> {
    kind: Kind,
    index: &'a BTreeMap<String, Id>,
    /// The declared paths, for suggestions.
    names: &'a [&'a str],
    /// The other taxonomy's paths.
    other_kind: &'a HashSet<String>,
}

impl<Id: TaxonId> Parents<'_, Id> {
    /// The parents of `f`: the one its nesting or dotted name gives, then those of `under`.
    fn parents_of(&self, f: &Flat, problems: &mut Vec<Problem>) -> Vec<Id> {
        let mut parents = Vec::new();
        let dotted_parent = f.nested_parent.clone().or_else(|| f.path.rsplit_once('.').map(|(p, _)| p.to_string()));
        if let Some(parent) = dotted_parent {
            match self.index.get(&parent) {
                Some(&p) => parents.push(p),
                None => problems.push(self.missing_parent(f, &parent)),
            }
        }
        listed_twice(&f.decl.under, "`under`", problems);
        for u in &f.decl.under {
            match self.index.get(&u.text) {
                Some(&p) if !parents.contains(&p) => parents.push(p),
                Some(_) => {}
                None => problems.push(self.unknown_under(f, u)),
            }
        }
        parents
    }

    /// `category contact.email` without a `category contact`.
    fn missing_parent(&self, f: &Flat, parent: &str) -> Problem {
        let kind = self.kind;
        Problem::at(
            Code::UnknownName,
            f.decl.path.span,
            format!("the parent {} `{parent}` of `{}` is not declared", kind.word(), f.path),
            format!("`{parent}` is not declared"),
        )
        .with_help(missing_parent_help(kind, parent, self.names))
    }

    /// `under u` in the declaration of `f`, where `u` is no path of this taxonomy.
    fn unknown_under(&self, f: &Flat, u: &ast::Path) -> Problem {
        let kind = self.kind;
        if self.other_kind.contains(&u.text) {
            return Problem::at(
                Code::UnknownName,
                u.span,
                format!("`{}` is a {}, not a {}", u.text, kind.other().word(), kind.word()),
                format!("a {}, not a {}", kind.other().word(), kind.word()),
            )
            .with_help(format!(
                "`under` adds parents of the same kind: a {} is under other {}",
                kind.word(),
                kind.plural()
            ));
        }
        // Itself is no suggestion: `under` it would be a cycle.
        let others: Vec<&str> = self.names.iter().copied().filter(|n| *n != f.path).collect();
        unknown_path(kind, u, &others)
    }
}

/// The problem for one cycle through `under`, at its first node, with the others related.
fn cycle_problem<Id: TaxonId>(kind: Kind, cycle: &Cycle<Id>, nodes: &[TaxonNode<Id>]) -> Option<Problem> {
    let node = |id: Id| nodes.get(id.index() as usize);
    let shown: Vec<String> = cycle.iter().map(|&i| format!("`{}`", node(i).map_or("", |n| n.path.as_str()))).collect();
    let first = cycle.first().and_then(|&i| node(i))?;
    let mut p = Problem::at(
        Code::Cycle,
        first.span,
        format!("the {} taxonomy has a cycle: {}", kind.word(), shown.join(" → ")),
        "this cycle starts here",
    )
    .with_help("a taxonomy must not lead back to itself: remove one `under` of the cycle");
    // The cycle ends with its first node again.
    for &i in cycle.iter().skip(1).take(cycle.len().saturating_sub(2)) {
        if let Some(n) = node(i) {
            p = p.with_related(Place::Span(n.span), format!("`{}` is part of the cycle", n.path));
        }
    }
    Some(p)
}

/// The taxonomy with the nodes of every cycle stripped of their parents: their names stay
/// resolvable, so that rules naming them get no second, false error.
fn without_cycles<Id: TaxonId>(nodes: Vec<TaxonNode<Id>>, cycles: &[Cycle<Id>]) -> Taxonomy<Id> {
    let in_cycle: Vec<bool> =
        (0..nodes.len()).map(|i| cycles.iter().any(|c| c.contains(&Id::from_index(i as u32)))).collect();
    let acyclic: Vec<TaxonNode<Id>> = nodes
        .into_iter()
        .zip(in_cycle)
        .map(|(mut n, cyclic)| {
            if cyclic {
                n.parents.clear();
            }
            n
        })
        .collect();
    Taxonomy::build(acyclic).unwrap_or_default()
}
