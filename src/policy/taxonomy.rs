//! A taxonomy of categories or purposes: a DAG (petgraph) of dotted paths with extra parents
//! from `under`, closed into ancestor bitsets so that "is A under B" is one lookup.
//!
//! The taxonomy is generic over its id type ([`TaxonId`]): the category taxonomy takes and
//! returns [`CategoryId`](super::CategoryId)s and the purpose taxonomy
//! [`PurposeId`](super::PurposeId)s, so an id of one kind cannot be asked of the other.

use std::fmt::Debug;
use std::hash::Hash;

use foldhash::HashMap;

use fixedbitset::FixedBitSet;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::diagnostic::{suggestion_fixed, Suggestion};
use crate::source::Span;

/// The id of a node of one kind of taxonomy. An id is the node's position in declaration order,
/// which is also its bit in the taxonomy's bitsets; the trait is how [`Taxonomy`] turns one into
/// the other, so that its callers deal in ids, and ids of different kinds cannot be mixed:
///
/// ```
/// use lagom::policy::{CheckedPolicy, PurposeId};
/// fn is_under(policy: &CheckedPolicy, a: PurposeId, b: PurposeId) -> bool {
///     policy.purposes.is_under(a, b)
/// }
/// ```
///
/// ```compile_fail
/// use lagom::policy::{CheckedPolicy, PurposeId};
/// fn is_under(policy: &CheckedPolicy, a: PurposeId, b: PurposeId) -> bool {
///     policy.categories.is_under(a, b) // a purpose asked of the category taxonomy
/// }
/// ```
pub trait TaxonId: Copy + Eq + Ord + Hash + Debug {
    /// The id of the node at this position. Only code that numbers the nodes (the caller of
    /// [`Taxonomy::build`], and the taxonomy itself) needs this: elsewhere ids come from a
    /// taxonomy.
    fn from_index(index: u32) -> Self;

    /// The node's position, which indexes the taxonomy's bitsets.
    fn index(self) -> u32;
}

/// Where a node's entries are in the taxonomy's tables.
#[inline]
fn at<Id: TaxonId>(id: Id) -> usize {
    id.index() as usize
}

/// The ids of the first `len` nodes, in declaration order.
fn first_ids<Id: TaxonId>(len: usize) -> impl Iterator<Item = Id> {
    (0..len as u32).map(Id::from_index)
}

/// Why a path names no node of a taxonomy, with the help to give ([`Taxonomy::unknown`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// It reaches a node through one of the node's extra parents, which give no names: the
    /// help names the node's own path.
    ThroughUnder(String),
    /// No node has it: a close path, or the paths there are.
    NoSuch(Suggestion),
}

impl Unknown {
    /// The help line.
    pub fn into_help(self) -> String {
        match self {
            Unknown::ThroughUnder(help) => help,
            Unknown::NoSuch(suggestion) => suggestion.into_help(),
        }
    }
}

/// One declared node.
#[derive(Clone, Debug)]
pub struct TaxonNode<Id> {
    /// Full dotted path.
    pub path: String,
    /// Human label.
    pub label: Option<String>,
    /// Where it was declared.
    pub span: Span,
    /// Direct parents: the dotted parent first, then `under` parents in source order.
    pub parents: Vec<Id>,
}

/// A closed taxonomy.
#[derive(Clone, Debug)]
pub struct Taxonomy<Id> {
    nodes: Vec<TaxonNode<Id>>,
    index: HashMap<String, Id>,
    /// Reflexive ancestor closure of each node, over node indices.
    ancestors: Vec<FixedBitSet>,
    /// Direct children of each node (the reverse of `parents`), to walk down a subtree.
    children: Vec<Vec<Id>>,
}

/// Written out because a derived `Default` would ask the same of `Id`, and an id has none.
impl<Id> Default for Taxonomy<Id> {
    fn default() -> Self {
        Taxonomy { nodes: Vec::new(), index: HashMap::default(), ancestors: Vec::new(), children: Vec::new() }
    }
}

/// A cycle through `under`, as the list of nodes in order (the first repeated at the end).
pub type Cycle<Id> = Vec<Id>;

impl<Id: TaxonId> Taxonomy<Id> {
    /// Builds and closes a taxonomy; fails with every cycle found. A node's id is its position
    /// in `nodes`, and `parents` must use those ids.
    pub fn build(nodes: Vec<TaxonNode<Id>>) -> Result<Taxonomy<Id>, Vec<Cycle<Id>>> {
        let mut graph: DiGraph<Id, ()> = DiGraph::with_capacity(nodes.len(), nodes.len());
        let idx: Vec<NodeIndex> = first_ids(nodes.len()).map(|id| graph.add_node(id)).collect();
        for (i, n) in nodes.iter().enumerate() {
            for &p in &n.parents {
                if let (Some(&a), Some(&b)) = (idx.get(i), idx.get(at(p))) {
                    graph.add_edge(a, b, ());
                }
            }
        }
        // tarjan_scc is here to find every cycle. A strongly connected component of more than
        // one node, or of one node that is its own parent, holds a cycle, and one pass finds
        // them all, so the author sees each of them (one cycle through each, by `order_cycle`)
        // rather than only the first a search would run into. The order of the components is
        // not used: the cycles are sorted. The closure is computed apart, by `close`, once the
        // graph is known to be acyclic: a node's ancestors are itself and its parents'
        // ancestors, so a depth-first search computes each node's set after its parents' and
        // keeps it for every other node that reaches it.
        let mut cycles = Vec::new();
        for scc in tarjan_scc(&graph) {
            let self_loop = scc.len() == 1 && scc.first().is_some_and(|&n| graph.contains_edge(n, n));
            if scc.len() > 1 || self_loop {
                cycles.push(order_cycle(&graph, &scc));
            }
        }
        if !cycles.is_empty() {
            cycles.sort();
            return Err(cycles);
        }
        let index = nodes.iter().zip(first_ids(nodes.len())).map(|(n, id)| (n.path.clone(), id)).collect();
        let mut children = vec![Vec::new(); nodes.len()];
        for (n, id) in nodes.iter().zip(first_ids(nodes.len())) {
            for &p in &n.parents {
                if let Some(c) = children.get_mut(at(p)) {
                    c.push(id);
                }
            }
        }
        let mut tax = Taxonomy { ancestors: Vec::new(), nodes, index, children };
        tax.close();
        Ok(tax)
    }

    fn close(&mut self) {
        let n = self.nodes.len();
        let mut done: Vec<Option<FixedBitSet>> = vec![None; n];
        for start in 0..n {
            // Iterative post-order so deep taxonomies cannot overflow the stack.
            let mut stack: Vec<(usize, bool)> = vec![(start, false)];
            while let Some((node, expanded)) = stack.pop() {
                if done.get(node).is_some_and(Option::is_some) {
                    continue;
                }
                let parents = self.nodes.get(node).map(|x| x.parents.clone()).unwrap_or_default();
                if expanded {
                    let mut set = FixedBitSet::with_capacity(n);
                    set.insert(node);
                    for p in parents {
                        if let Some(Some(ps)) = done.get(at(p)) {
                            set.union_with(ps);
                        }
                    }
                    if let Some(slot) = done.get_mut(node) {
                        *slot = Some(set);
                    }
                } else {
                    stack.push((node, true));
                    for p in parents {
                        if done.get(at(p)).is_some_and(Option::is_none) {
                            stack.push((at(p), false));
                        }
                    }
                }
            }
        }
        self.ancestors = done.into_iter().map(Option::unwrap_or_default).collect();
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node with this id.
    pub fn node(&self, id: Id) -> Option<&TaxonNode<Id>> {
        self.nodes.get(at(id))
    }

    /// The full path of a node (empty for an unknown id).
    pub fn path(&self, id: Id) -> &str {
        self.nodes.get(at(id)).map_or("", |n| n.path.as_str())
    }

    /// Looks up a path.
    pub fn lookup(&self, path: &str) -> Option<Id> {
        self.index.get(path).copied()
    }

    /// All paths, in declaration order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.path.as_str())
    }

    /// All ids, in declaration order (the order of [`Taxonomy::paths`]).
    pub fn ids(&self) -> impl Iterator<Item = Id> {
        first_ids(self.nodes.len())
    }

    /// `a ⊑ b`: `b` is `a` or one of its ancestors.
    pub fn is_under(&self, a: Id, b: Id) -> bool {
        self.ancestors.get(at(a)).is_some_and(|s| s.contains(at(b)))
    }

    /// The chain of nodes from `a` up to its ancestor `b`, both included, following the first
    /// parent that leads there; what explanations show as "matched through".
    pub fn chain(&self, a: Id, b: Id) -> Vec<Id> {
        let mut out = vec![a];
        let mut cur = a;
        while cur != b {
            let next = self.nodes.get(at(cur)).and_then(|n| n.parents.iter().copied().find(|&p| self.is_under(p, b)));
            match next {
                Some(p) => {
                    out.push(p);
                    cur = p;
                }
                None => break,
            }
        }
        out
    }

    /// The [`chain`](Taxonomy::chain) from `a` up to the first of `targets` it is under, or
    /// nothing when it is under none: how a rule's scope, in its own order, matched a node.
    pub fn chain_to_first(&self, a: Id, targets: &[Id]) -> Vec<Id> {
        targets.iter().find(|&&t| self.is_under(a, t)).map(|&t| self.chain(a, t)).unwrap_or_default()
    }

    /// The reflexive ancestor set of a node, as a bitset over node indices
    /// ([`TaxonId::index`]): for a caller that tests one node against many.
    pub fn ancestor_bits(&self, a: Id) -> Option<&FixedBitSet> {
        self.ancestors.get(at(a))
    }

    /// How many nodes are under each node (itself included), by node index: from the ancestor
    /// closure, one step per (node, ancestor) pair.
    pub fn subtree_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.nodes.len()];
        for ancestors in &self.ancestors {
            for a in ancestors.ones() {
                if let Some(s) = sizes.get_mut(a) {
                    *s += 1;
                }
            }
        }
        sizes
    }

    /// The node an undeclared `parent.name` means when `name` is a child of `parent` through
    /// `under` only (`category child_profile under behaviour, special`, written
    /// `behaviour.child_profile`): a node has one path, the one it is declared at, and its
    /// extra parents add no names. `None` when no such child, or several, fit.
    pub(crate) fn child_through_under(&self, path: &str) -> Option<Id> {
        let (prefix, last) = path.rsplit_once('.')?;
        let parent = self.lookup(prefix)?;
        let mut fits = self.children.get(at(parent))?.iter().copied().filter(|&child| {
            let own = self.path(child);
            own != path && own.rsplit('.').next() == Some(last)
        });
        match (fits.next(), fits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// The help for an undeclared path that names a node through one of its extra parents
    /// (`behaviour.child_profile` for `child_profile under behaviour`): the name to write, where
    /// it is declared and its extra parents. `None` where the path reads no node so.
    pub fn child_through_under_help(&self, path: &str) -> Option<String> {
        let node = self.node(self.child_through_under(path)?)?;
        let own = node.path.as_str();
        let dotted = own.rsplit_once('.').map(|(parent, _)| parent);
        let extra: Vec<&str> = node.parents.iter().map(|&p| self.path(p)).filter(|p| Some(*p) != dotted).collect();
        let place = dotted.map_or_else(|| "at the top level".to_string(), |d| format!("under `{d}`"));
        let (parents, give) = if extra.len() == 1 { ("parent", "gives") } else { ("parents", "give") };
        Some(format!(
            "did you mean `{own}`? It is declared {place}, and its extra {parents} (`under {}`) {give} it no other name",
            extra.join(", ")
        ))
    }

    /// The node `path` names where a user names one and cannot declare one (`explain
    /// --category`, a test file, a campaign), or why none: see [`Taxonomy::unknown`].
    pub fn resolve(&self, path: &str, plural: &str) -> Result<Id, Unknown> {
        self.lookup(path).ok_or_else(|| self.unknown(path, plural))
    }

    /// The help for a path the taxonomy does not declare, where a user names a node and cannot
    /// declare one: the node's own path when `path` reaches it through an extra parent, else a
    /// close path or the paths there are (`plural` names them: `categories`). One function, so
    /// that every place a user names a node tells the same.
    pub fn unknown(&self, path: &str, plural: &str) -> Unknown {
        match self.child_through_under_help(path) {
            Some(help) => Unknown::ThroughUnder(help),
            None => Unknown::NoSuch(suggestion_fixed(path, plural, self.paths())),
        }
    }

    /// Whether other nodes are under `id` (it has a child).
    pub fn has_children(&self, id: Id) -> bool {
        self.children.get(at(id)).is_some_and(|c| !c.is_empty())
    }

    /// Every node under `b` (reflexive), as a bitset over node indices ([`TaxonId::index`]).
    pub fn descendant_bits(&self, b: Id) -> FixedBitSet {
        self.under_any_bits([b])
    }

    /// Every node under any of `nodes` (reflexive), as a bitset over node indices
    /// ([`TaxonId::index`]): one walk down their subtrees, so a leaf costs one step rather than
    /// a look at every node, and a node under several of them is visited once.
    pub fn under_any_bits(&self, nodes: impl IntoIterator<Item = Id>) -> FixedBitSet {
        let mut set = FixedBitSet::with_capacity(self.nodes.len());
        let mut stack: Vec<Id> = nodes.into_iter().collect();
        while let Some(n) = stack.pop() {
            if at(n) < set.len() && !set.put(at(n)) {
                stack.extend(self.children.get(at(n)).into_iter().flatten().copied());
            }
        }
        set
    }

    /// The ids of these node indices, as read from one of this taxonomy's bitsets: the way
    /// back from the bitset methods to typed ids.
    pub fn ids_at(&self, indices: impl IntoIterator<Item = usize>) -> impl Iterator<Item = Id> {
        indices.into_iter().map(|i| Id::from_index(i as u32))
    }
}

fn order_cycle<Id: TaxonId>(graph: &DiGraph<Id, ()>, scc: &[NodeIndex]) -> Cycle<Id> {
    // Walk edges inside the component from its smallest node until we return to it.
    let Some(&start) = scc.iter().min_by_key(|n| graph[**n]) else {
        return Vec::new();
    };
    let mut path = vec![graph[start]];
    let mut cur = start;
    let mut seen = vec![start];
    loop {
        let next = graph.neighbors(cur).filter(|n| scc.contains(n)).min_by_key(|n| {
            // Prefer closing the cycle, then unvisited nodes, in id order for determinism.
            (
                if *n == start {
                    0
                } else if seen.contains(n) {
                    2
                } else {
                    1
                },
                graph[*n],
            )
        });
        match next {
            Some(n) if n == start => {
                path.push(graph[start]);
                return path;
            }
            Some(n) if !seen.contains(&n) => {
                seen.push(n);
                path.push(graph[n]);
                cur = n;
            }
            _ => {
                path.push(graph[start]);
                return path;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::CategoryId;
    use crate::source::FileId;

    fn ids(ids: &[u32]) -> Vec<CategoryId> {
        ids.iter().copied().map(CategoryId).collect()
    }

    fn node(path: &str, parents: &[u32]) -> TaxonNode<CategoryId> {
        TaxonNode {
            path: path.into(),
            label: None,
            span: Span { file: FileId(0), start: 0, end: 0 },
            parents: ids(parents),
        }
    }

    #[test]
    fn closure_follows_every_parent_edge() {
        // special, location, location.precise (under special)
        let t = Taxonomy::build(vec![node("special", &[]), node("location", &[]), node("location.precise", &[1, 0])])
            .unwrap();
        let [special, location, precise] = [0, 1, 2].map(CategoryId);
        assert!(t.is_under(precise, special));
        assert!(t.is_under(precise, location));
        assert!(t.is_under(precise, precise));
        assert!(!t.is_under(special, precise));
        assert_eq!(t.chain(precise, special), [precise, special]);
        assert_eq!(t.chain_to_first(precise, &[location, special]), [precise, location]);
        assert!(t.chain_to_first(special, &[location, precise]).is_empty(), "not under either");
    }

    #[test]
    fn a_child_through_under_is_found_by_its_extra_parent() {
        // behaviour(0) { purchases(1) }, special(2), child_profile(3) under behaviour, special
        let nodes = vec![
            node("behaviour", &[]),
            node("behaviour.purchases", &[0]),
            node("special", &[]),
            node("child_profile", &[0, 2]),
        ];
        let t = Taxonomy::build(nodes).unwrap();
        assert_eq!(t.child_through_under("behaviour.child_profile"), Some(CategoryId(3)));
        assert_eq!(t.child_through_under("special.child_profile"), Some(CategoryId(3)));
        assert_eq!(t.child_through_under("behaviour.purchases"), None);
        assert_eq!(t.child_through_under("special.purchases"), None);
        assert_eq!(
            t.child_through_under_help("special.child_profile").as_deref(),
            Some(
                "did you mean `child_profile`? It is declared at the top level, and its extra parents (`under \
                 behaviour, special`) give it no other name"
            )
        );
        // Resolved where a user names a node: the same help, else a close path or the list.
        assert_eq!(t.resolve("special", "categories"), Ok(CategoryId(2)));
        assert!(matches!(t.resolve("special.child_profile", "categories"), Err(Unknown::ThroughUnder(_))));
        assert_eq!(
            t.resolve("behaviour.purchase", "categories"),
            Err(Unknown::NoSuch(Suggestion::Close("did you mean `behaviour.purchases`?".into())))
        );
        let listing = "the categories are: `behaviour`, `behaviour.purchases`, `special`, `child_profile`";
        assert_eq!(t.resolve("zzz", "categories"), Err(Unknown::NoSuch(Suggestion::Listing(listing.into()))));
    }

    #[test]
    fn a_cycle_is_reported_whole() {
        let err = Taxonomy::build(vec![node("a", &[2]), node("b", &[0]), node("c", &[1])]).unwrap_err();
        assert_eq!(err, vec![ids(&[0, 2, 1, 0])]);
    }

    /// A node's descendants are exactly the nodes it is an ancestor of, extra parents included.
    #[test]
    fn descendants_are_the_nodes_under_it() {
        // a; a.b; c; c.d under a.b; e under c.d and a
        let t = Taxonomy::build(vec![
            node("a", &[]),
            node("a.b", &[0]),
            node("c", &[]),
            node("c.d", &[2, 1]),
            node("e", &[3, 0]),
        ])
        .unwrap();
        for b in t.ids() {
            let expected: Vec<CategoryId> = t.ids().filter(|&n| t.is_under(n, b)).collect();
            assert_eq!(t.ids_at(t.descendant_bits(b).ones()).collect::<Vec<_>>(), expected, "under {}", t.path(b));
        }
        assert_eq!(t.descendant_bits(CategoryId(1)).ones().collect::<Vec<_>>(), [1, 3, 4]);
        assert_eq!(t.descendant_bits(CategoryId(9)).ones().count(), 0, "an unknown node has none");
        assert_eq!(
            t.under_any_bits(ids(&[1, 2])).ones().collect::<Vec<_>>(),
            [1, 2, 3, 4],
            "the union, each node once"
        );
    }
}
