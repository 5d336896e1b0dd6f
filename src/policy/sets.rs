//! Sets: each declared set expanded once into its members (through the sets it includes),
//! and which rules and sets name each one.

use std::collections::BTreeMap;

use super::check::duplicate;
use super::model::*;
use super::taxonomy::Taxonomy;
use crate::diagnostic::{Code, Problem};
use crate::source::Span;
use crate::syntax::ast;

pub(super) fn resolve_sets(
    decls: &[&ast::SetDecl],
    bases: &Vocabulary,
    channels: &Vocabulary,
    categories: &Taxonomy<CategoryId>,
    purposes: &Taxonomy<PurposeId>,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, (Vec<String>, Span)> {
    let mut by_name: BTreeMap<&str, &ast::SetDecl> = BTreeMap::new();
    for d in decls {
        let name = d.name.name.as_str();
        if let Some(first) = by_name.get(name) {
            problems.push(duplicate("set", name, d.name.span, first.name.span));
            continue;
        }
        let clash = if bases.contains(name) {
            Some("lawful basis")
        } else if channels.contains(name) {
            Some("channel")
        } else if categories.lookup(name).is_some() {
            Some("category")
        } else if purposes.lookup(name).is_some() {
            Some("purpose")
        } else {
            None
        };
        if let Some(what) = clash {
            problems.push(
                Problem::at(
                    Code::Duplicate,
                    d.name.span,
                    format!("set `{name}` has the name of a declared {what}"),
                    "ambiguous name",
                )
                .with_help("give the set another name, so that a word in a condition means one thing"),
            );
            continue;
        }
        by_name.insert(name, d);
    }
    let circles = circles(&by_name);
    let mut flat = Flattening { all: &by_name, circles, done: BTreeMap::new(), total: 0, problems };
    let mut out = BTreeMap::new();
    for (name, decl) in &by_name {
        let values = flat.members(name, decl, &mut Vec::new());
        out.insert((*name).to_string(), (values, decl.name.span));
    }
    out
}

/// Most members all sets may hold once expanded, together: sets that include other sets
/// several times over (`set s2 = [s1, s1]`, …) must not grow without bound.
pub const MAX_SET_MEMBERS: usize = 1_000_000;

/// Sets expanded once each: a set included many times is not expanded again.
/// The sets that include each other in a circle, each with the number of its circle: found
/// once over the whole graph, as following a long circle would meet the nesting limit first.
fn circles<'a>(all: &BTreeMap<&'a str, &'a ast::SetDecl>) -> BTreeMap<&'a str, usize> {
    use petgraph::graph::{DiGraph, NodeIndex};
    let names: Vec<&str> = all.keys().copied().collect();
    let mut graph = DiGraph::<(), ()>::with_capacity(names.len(), names.len());
    let nodes: Vec<NodeIndex> = names.iter().map(|_| graph.add_node(())).collect();
    for (from, decl) in all.values().enumerate() {
        for v in &decl.values {
            let ast::Value::Word(w, _) = v else { continue };
            if let (Ok(to), Some(&a)) = (names.binary_search(&w.as_str()), nodes.get(from)) {
                if let Some(&b) = nodes.get(to) {
                    graph.add_edge(a, b, ());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    for (i, scc) in petgraph::algo::tarjan_scc(&graph).into_iter().enumerate() {
        let looped = scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
        if looped {
            out.extend(scc.iter().filter_map(|n| names.get(n.index()).map(|&name| (name, i))));
        }
    }
    out
}

struct Flattening<'a, 'p> {
    all: &'a BTreeMap<&'a str, &'a ast::SetDecl>,
    /// See [`circles`].
    circles: BTreeMap<&'a str, usize>,
    /// The members of each set expanded without a problem, each member once.
    done: BTreeMap<&'a str, Vec<String>>,
    /// Members expanded so far, against [`MAX_SET_MEMBERS`].
    total: usize,
    problems: &'p mut Vec<Problem>,
}

impl<'a> Flattening<'a, '_> {
    /// Whether set `a` including set `b` closes a circle.
    fn in_one_circle(&self, a: &str, b: &str) -> bool {
        matches!((self.circles.get(a), self.circles.get(b)), (Some(x), Some(y)) if x == y)
    }

    /// The members of a set, reached through the sets on `stack`.
    fn members(&mut self, name: &'a str, decl: &'a ast::SetDecl, stack: &mut Vec<&'a str>) -> Vec<String> {
        if let Some(done) = self.done.get(name) {
            return done.clone();
        }
        let before = self.problems.len();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        stack.push(name);
        self.flatten(decl, stack, &mut out, &mut seen);
        stack.pop();
        // A set with a problem is expanded again where it is met, so each place is reported.
        if self.problems.len() == before {
            self.done.insert(name, out.clone());
        }
        out
    }

    fn flatten(
        &mut self,
        decl: &'a ast::SetDecl,
        stack: &mut Vec<&'a str>,
        out: &mut Vec<String>,
        seen: &mut std::collections::HashSet<String>,
    ) {
        for v in &decl.values {
            if self.total > MAX_SET_MEMBERS {
                return;
            }
            let mut add = |member: &str, this: &mut Self| {
                if seen.insert(member.to_string()) {
                    out.push(member.to_string());
                    this.total += 1;
                    if this.total == MAX_SET_MEMBERS + 1 {
                        this.problems.push(
                            Problem::at(
                                Code::Limit,
                                decl.name.span,
                                format!("the sets hold more than {MAX_SET_MEMBERS} members once expanded"),
                                "expanded past the limit here",
                            )
                            .with_help("list the members of a set once, not through many copies of other sets"),
                        );
                    }
                }
            };
            match v {
                ast::Value::Word(w, span) => match self.all.get(w.as_str()) {
                    Some(_) if self.in_one_circle(&decl.name.name, w) => {
                        let this = &decl.name.name;
                        let message = if this == w {
                            format!("set `{w}` contains itself")
                        } else {
                            format!("set `{this}` contains itself through `{w}`")
                        };
                        self.problems.push(
                            Problem::at(Code::Cycle, *span, message, "included again here")
                                .with_help("a set may include other sets, but not in a circle"),
                        );
                    }
                    Some(_) if stack.len() >= crate::syntax::MAX_NESTING => {
                        self.problems.push(
                            Problem::at(
                                Code::Limit,
                                *span,
                                format!("sets nest deeper than {} levels", crate::syntax::MAX_NESTING),
                                "too deep",
                            )
                            .with_help("list the members directly instead of through a long chain of sets"),
                        );
                    }
                    Some(inner) => self.members(w.as_str(), inner, stack).iter().for_each(|m| add(m, self)),
                    None => add(w, self),
                },
                ast::Value::Str(s) => add(&s.value, self),
                other => self.problems.push(
                    Problem::at(Code::Type, other.span(), "a set holds symbols or strings", "not a symbol")
                        .with_help("write the members as words, e.g. `set eea = [SE, DK]`"),
                ),
            }
        }
    }
}

/// Which rules and sets name each set.
pub(super) fn set_uses(
    set_decls: &[&ast::SetDecl],
    rule_decls: &[&ast::RuleDecl],
    sets: &BTreeMap<String, (Vec<String>, Span)>,
) -> BTreeMap<String, SetUses> {
    let mut uses: BTreeMap<String, SetUses> = BTreeMap::new();
    for d in set_decls {
        let mut named = Vec::new();
        d.values.iter().for_each(|v| set_words(v, sets, &mut named));
        for n in named {
            uses.entry(n).or_default().sets.insert(d.name.name.clone());
        }
    }
    for r in rule_decls {
        let mut named = Vec::new();
        if let Some(c) = &r.condition {
            expr_set_words(&c.expr, sets, &mut named);
        }
        for n in named {
            uses.entry(n).or_default().rules.insert(r.name.name.clone());
        }
    }
    uses
}

fn expr_set_words(e: &ast::Expr, sets: &BTreeMap<String, (Vec<String>, Span)>, out: &mut Vec<String>) {
    match e {
        ast::Expr::Or(parts) | ast::Expr::And(parts) => parts.iter().for_each(|p| expr_set_words(p, sets, out)),
        ast::Expr::Not(inner) => expr_set_words(inner, sets, out),
        ast::Expr::Quant { body, .. } => expr_set_words(body, sets, out),
        ast::Expr::Test { test: ast::Test::Compare(_, _, v), .. } => set_words(v, sets, out),
        ast::Expr::Test { .. } => {}
    }
}

fn set_words(v: &ast::Value, sets: &BTreeMap<String, (Vec<String>, Span)>, out: &mut Vec<String>) {
    match v {
        ast::Value::Word(w, _) if sets.contains_key(w) => out.push(w.clone()),
        ast::Value::List(items, _) => items.iter().for_each(|i| set_words(i, sets, out)),
        _ => {}
    }
}
