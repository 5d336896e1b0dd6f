//! Generated taxonomies: categories and purposes, as trees with a few extra parents.

use std::fmt::Write as _;

use super::rng::Rng;
use super::words::*;

/// One node of a generated taxonomy.
#[derive(Clone, Debug)]
pub(super) struct Taxon {
    pub(super) path: String,
    pub(super) depth: usize,
    pub(super) children: Vec<usize>,
    pub(super) under: Option<usize>,
    pub(super) label: bool,
}

/// A node at or below `node` in the tree (not following `under`).
pub(super) fn below(tax: &[Taxon], node: usize, rng: &mut Rng) -> usize {
    let mut cur = node;
    while let Some(t) = tax.get(cur) {
        if t.children.is_empty() || rng.percent(30) {
            break;
        }
        cur = t.children.get(rng.below(t.children.len())).copied().unwrap_or(cur);
    }
    cur
}

pub(super) fn unique_word(rng: &mut Rng, used: &[String]) -> String {
    for _ in 0..8 {
        let w = rng.word(&WORDS);
        if !used.iter().any(|u| u == w) {
            return w.to_string();
        }
    }
    let w = rng.word(&WORDS);
    let mut n = 2;
    loop {
        let candidate = format!("{w}_{n}");
        if !used.contains(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

pub(super) fn add_children(tax: &mut Vec<Taxon>, parent: usize, count: usize, rng: &mut Rng) -> Vec<usize> {
    let mut names: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    let (prefix, depth) = tax.get(parent).map_or((String::new(), 1), |t| (t.path.clone(), t.depth + 1));
    for _ in 0..count {
        let w = unique_word(rng, &names);
        names.push(w.clone());
        let id = tax.len();
        tax.push(Taxon {
            path: format!("{prefix}.{w}"),
            depth,
            children: Vec::new(),
            under: None,
            label: rng.percent(30),
        });
        if let Some(p) = tax.get_mut(parent) {
            p.children.push(id);
        }
        ids.push(id);
    }
    ids
}

pub(super) fn root(tax: &mut Vec<Taxon>, name: &str) -> usize {
    tax.push(Taxon { path: name.into(), depth: 1, children: Vec::new(), under: None, label: true });
    tax.len() - 1
}

pub(super) fn category_taxonomy(rng: &mut Rng) -> Vec<Taxon> {
    let mut tax = Vec::new();
    let special = root(&mut tax, "special");
    let mut special_children = Vec::new();
    for name in SPECIAL {
        let id = tax.len();
        tax.push(Taxon { path: format!("special.{name}"), depth: 2, children: Vec::new(), under: None, label: true });
        if let Some(s) = tax.get_mut(special) {
            s.children.push(id);
        }
        special_children.push(id);
    }
    for name in CATEGORY_ROOTS {
        let r = root(&mut tax, name);
        for child in add_children(&mut tax, r, rng.range(4, 6), rng) {
            for grandchild in add_children(&mut tax, child, rng.range(2, 4), rng) {
                if rng.percent(20) {
                    add_children(&mut tax, grandchild, rng.range(2, 3), rng);
                }
            }
        }
    }
    // Some data reveals a special category: an extra parent through `under`.
    for i in 0..tax.len() {
        let deep = tax.get(i).is_some_and(|t| t.depth >= 3);
        if deep && rng.percent(4) {
            let under = rng.pick(&special_children).copied();
            if let Some(t) = tax.get_mut(i) {
                t.under = under;
            }
        }
    }
    tax
}

pub(super) fn purpose_taxonomy(rng: &mut Rng) -> Vec<Taxon> {
    let mut tax = Vec::new();
    for name in PURPOSE_ROOTS {
        let r = root(&mut tax, name);
        for child in add_children(&mut tax, r, rng.range(4, 7), rng) {
            if rng.percent(25) {
                add_children(&mut tax, child, rng.range(2, 3), rng);
            }
        }
    }
    tax
}

pub(super) fn taxonomy_text(keyword: &str, tax: &[Taxon]) -> String {
    fn emit(out: &mut String, keyword: &str, tax: &[Taxon], node: usize, indent: usize) {
        let Some(t) = tax.get(node) else { return };
        let name = if indent == 0 { t.path.as_str() } else { t.path.rsplit('.').next().unwrap_or("") };
        let _ = write!(out, "{:indent$}{keyword} {name}", "", indent = indent * 2);
        if t.label {
            let _ = write!(out, " \"{}\"", name.replace('_', " "));
        }
        if let Some(u) = t.under.and_then(|u| tax.get(u)) {
            let _ = write!(out, " under {}", u.path);
        }
        if t.children.is_empty() {
            out.push('\n');
            return;
        }
        out.push_str(" {\n");
        for &c in &t.children {
            emit(out, keyword, tax, c, indent + 1);
        }
        let _ = writeln!(out, "{:indent$}}}", "", indent = indent * 2);
    }
    let mut out = String::new();
    for (i, t) in tax.iter().enumerate() {
        if t.depth == 1 {
            emit(&mut out, keyword, tax, i, 0);
            out.push('\n');
        }
    }
    out
}
