//! Sets: each declared set expanded once into its members (through the sets it includes),
//! and which rules and sets name each one.

use std::collections::BTreeMap;

use super::check::duplicate;
use super::model::*;
use super::taxonomy::Taxonomy;
use crate::diagnostic::{Code, Place, Problem};
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
        let clash = if let Some((_, span)) = bases.entries.get(name) {
            Some(("lawful basis", *span))
        } else if let Some((_, span)) = channels.entries.get(name) {
            Some(("channel", *span))
        } else if let Some(node) = categories.lookup(name).and_then(|id| categories.node(id)) {
            Some(("category", node.span))
        } else {
            purposes.lookup(name).and_then(|id| purposes.node(id)).map(|node| ("purpose", node.span))
        };
        if let Some((what, other)) = clash {
            // As for any name declared twice (spec 4.1): the later place is the location, the
            // earlier one related.
            let set_is_later = (d.name.span.file, d.name.span.start) > (other.file, other.start);
            let (location, related) = if set_is_later { (d.name.span, other) } else { (other, d.name.span) };
            let related_label =
                if set_is_later { format!("the {what} is declared here") } else { "the set is declared here".into() };
            problems.push(
                Problem::at(
                    Code::Duplicate,
                    location,
                    format!("set `{name}` has the name of a declared {what}"),
                    if set_is_later {
                        "ambiguous name".to_string()
                    } else {
                        format!("the {what} takes the set's name")
                    },
                )
                .with_related(Place::Span(related), related_label)
                .with_help("give the set another name, so that a word in a condition means one thing"),
            );
            continue;
        }
        by_name.insert(name, d);
    }
    let Graph { circles, inner_first } = graph(&by_name);
    too_deep(&by_name, &circles, &inner_first, problems);
    let mut flat = Flattening { all: &by_name, circles, done: BTreeMap::new(), total: 0, problems };
    // Inner sets first, so that a set's inner sets are already expanded when it is met and a
    // long chain is never followed by recursion.
    for name in &inner_first {
        if let Some(decl) = by_name.get(name) {
            flat.members(name, decl, &mut Vec::new());
        }
    }
    let mut out = BTreeMap::new();
    for (name, decl) in &by_name {
        let values = flat.members(name, decl, &mut Vec::new());
        out.insert((*name).to_string(), (values, decl.name.span));
    }
    out
}

/// Sets nested deeper than [`crate::syntax::MAX_NESTING`] levels (`set a = [b]` is two),
/// told once per chain: at the member of the set one level past the limit, not at every set
/// above it. Levels are counted in the graph of sets, whatever order the sets are expanded in.
fn too_deep(
    all: &BTreeMap<&str, &ast::SetDecl>,
    circles: &BTreeMap<&str, usize>,
    inner_first: &[&str],
    problems: &mut Vec<Problem>,
) {
    let limit = crate::syntax::MAX_NESTING;
    let mut levels: BTreeMap<&str, usize> = BTreeMap::new();
    for &name in inner_first {
        let Some(decl) = all.get(name) else { continue };
        let mut level = 1;
        for v in &decl.values {
            let ast::Value::Word(w, span) = v else { continue };
            // Circles are told as circles.
            if in_one_circle(circles, name, w) {
                continue;
            }
            let Some(&inner) = levels.get(w.as_str()) else { continue };
            level = level.max(inner + 1);
            if inner == limit {
                problems.push(
                    Problem::at(
                        Code::Limit,
                        *span,
                        format!("sets nest deeper than {limit} levels"),
                        format!("`{w}` is already {limit} levels deep"),
                    )
                    .with_help("list the members directly instead of through a long chain of sets"),
                );
            }
        }
        levels.insert(name, level);
    }
}

/// Most members all sets may hold once expanded, together: sets that include other sets
/// several times over (`set s2 = [s1, s1]`, …) must not grow without bound.
pub(super) const MAX_SET_MEMBERS: usize = 1_000_000;

/// The sets that include each other in a circle, each with the number of its circle (found
/// once over the whole graph, as following a long circle would meet the nesting limit
/// first), and every set, a set's inner sets before it.
struct Graph<'a> {
    /// For each set in a circle of inclusions, the number of its circle.
    circles: BTreeMap<&'a str, usize>,
    inner_first: Vec<&'a str>,
}

fn graph<'a>(all: &BTreeMap<&'a str, &'a ast::SetDecl>) -> Graph<'a> {
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
    let mut circles = BTreeMap::new();
    let mut inner_first = Vec::with_capacity(names.len());
    // Tarjan's algorithm gives the components in reverse topological order: a set's inner
    // sets come before it.
    for (i, scc) in petgraph::algo::tarjan_scc(&graph).into_iter().enumerate() {
        let looped = scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
        let members = scc.iter().filter_map(|n| names.get(n.index()).copied());
        if looped {
            circles.extend(members.clone().map(|name| (name, i)));
        }
        inner_first.extend(members);
    }
    Graph { circles, inner_first }
}

/// Whether set `a` including set `b` closes a circle: both are in the same one of `circles`.
fn in_one_circle(circles: &BTreeMap<&str, usize>, a: &str, b: &str) -> bool {
    matches!((circles.get(a), circles.get(b)), (Some(x), Some(y)) if x == y)
}

struct Flattening<'a, 'p> {
    all: &'a BTreeMap<&'a str, &'a ast::SetDecl>,
    /// See [`Graph::circles`].
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
        in_one_circle(&self.circles, a, b)
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

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Place};
    use crate::policy::{load_texts, PolicyText};

    /// A set named like a category, purpose, basis or channel is told at the later of the two
    /// declarations, with the earlier one related, as for any name declared twice (spec 4.1).
    #[test]
    fn a_set_named_like_a_declared_name_shows_both_places() {
        let load = |files: &[(&str, &str)]| {
            let texts = files
                .iter()
                .map(|(name, text)| PolicyText {
                    relative: (*name).into(),
                    display: (*name).into(),
                    bytes: text.as_bytes().to_vec(),
                })
                .collect();
            let err = load_texts(texts).expect_err("a clash");
            let p = err.problems.into_iter().next().expect("one problem");
            let at = |place: &Place| match place {
                Place::Span(s) => {
                    let l = err.sources.location(*s);
                    (l.file, l.line)
                }
                Place::File(f) => (f.clone(), 0),
            };
            let related: Vec<_> = p.related.iter().map(|r| (at(&r.place), r.label.clone())).collect();
            (p.code, at(&p.place), related)
        };
        let (code, place, related) = load(&[("a.policy", "basis consent\nset contact = [x]\ncategory contact\n")]);
        assert_eq!(code, Code::Duplicate);
        assert_eq!(place, ("a.policy".into(), 3));
        assert_eq!(related, [(("a.policy".into(), 2), "the set is declared here".to_string())]);
        let (_, place, related) =
            load(&[("a.policy", "basis consent\ncategory contact\n"), ("b.policy", "set contact = [x]\n")]);
        assert_eq!(place, ("b.policy".into(), 1));
        assert_eq!(related, [(("a.policy".into(), 2), "the category is declared here".to_string())]);
    }

    /// A chain of sets is counted in levels whatever the sets' names (the order they are
    /// expanded in once gave a chain of 100 no error and one of 128 errors from its 38th set
    /// on): 64 levels are allowed, the 65th is one problem at the member that takes it past.
    #[test]
    fn a_chain_of_sets_past_the_limit_is_one_problem_where_it_crosses() {
        let chain = |n: usize| {
            let mut text = String::from("set s0 = [a]\n");
            (1..n).for_each(|i| text.push_str(&format!("set s{i} = [s{}]\n", i - 1)));
            let problems = load_texts(vec![PolicyText {
                relative: "p.policy".into(),
                display: "p.policy".into(),
                bytes: text.into_bytes(),
            }])
            .err()
            .map(|e| {
                e.problems
                    .iter()
                    .map(|p| match p.place {
                        Place::Span(s) => (p.code, e.sources.location(s).line),
                        Place::File(_) => (p.code, 0),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
            problems.into_iter().filter(|(code, _)| *code == Code::Limit).collect::<Vec<_>>()
        };
        assert_eq!(chain(64), []);
        // `set s64 = [s63]` is on line 65.
        assert_eq!(chain(65), [(Code::Limit, 65)]);
        assert_eq!(chain(2000), [(Code::Limit, 65)]);
    }
}
