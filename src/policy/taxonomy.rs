//! A taxonomy of categories or purposes: a DAG (petgraph) of dotted paths with extra parents
//! from `under`, closed into ancestor bitsets so that "is A under B" is one lookup.

use foldhash::HashMap;

use fixedbitset::FixedBitSet;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::source::Span;

/// One declared node.
#[derive(Clone, Debug)]
pub struct TaxonNode {
    /// Full dotted path.
    pub path: String,
    /// Human label.
    pub label: Option<String>,
    /// Where it was declared.
    pub span: Span,
    /// Direct parents: the dotted parent first, then `under` parents in source order.
    pub parents: Vec<u32>,
}

/// A closed taxonomy.
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    nodes: Vec<TaxonNode>,
    index: HashMap<String, u32>,
    /// Reflexive ancestor closure of each node.
    ancestors: Vec<FixedBitSet>,
    /// Direct children of each node (the reverse of `parents`), to walk down a subtree.
    children: Vec<Vec<u32>>,
}

/// A cycle through `under`, as the list of nodes in order (the first repeated at the end).
pub type Cycle = Vec<u32>;

impl Taxonomy {
    /// Builds and closes a taxonomy; fails with every cycle found.
    pub fn build(nodes: Vec<TaxonNode>) -> Result<Taxonomy, Vec<Cycle>> {
        let mut graph: DiGraph<u32, ()> = DiGraph::with_capacity(nodes.len(), nodes.len());
        let idx: Vec<NodeIndex> = (0..nodes.len()).map(|i| graph.add_node(i as u32)).collect();
        for (i, n) in nodes.iter().enumerate() {
            for &p in &n.parents {
                if let (Some(&a), Some(&b)) = (idx.get(i), idx.get(p as usize)) {
                    graph.add_edge(a, b, ());
                }
            }
        }
        // tarjan_scc yields components in reverse topological order of the child->parent graph,
        // i.e. parents before children when reversed... we only rely on it for cycles and
        // compute the closure by memoised depth-first search instead.
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
        let index = nodes.iter().enumerate().map(|(i, n)| (n.path.clone(), i as u32)).collect();
        let mut children = vec![Vec::new(); nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            for &p in &n.parents {
                if let Some(c) = children.get_mut(p as usize) {
                    c.push(i as u32);
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
                        if let Some(Some(ps)) = done.get(p as usize) {
                            set.union_with(ps);
                        }
                    }
                    if let Some(slot) = done.get_mut(node) {
                        *slot = Some(set);
                    }
                } else {
                    stack.push((node, true));
                    for p in parents {
                        if done.get(p as usize).is_some_and(Option::is_none) {
                            stack.push((p as usize, false));
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
    pub fn node(&self, id: u32) -> Option<&TaxonNode> {
        self.nodes.get(id as usize)
    }

    /// The full path of a node (empty for an unknown id).
    pub fn path(&self, id: u32) -> &str {
        self.nodes.get(id as usize).map_or("", |n| n.path.as_str())
    }

    /// Looks up a path.
    pub fn lookup(&self, path: &str) -> Option<u32> {
        self.index.get(path).copied()
    }

    /// All paths, in declaration order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|n| n.path.as_str())
    }

    /// `a ⊑ b`: `b` is `a` or one of its ancestors.
    pub fn is_under(&self, a: u32, b: u32) -> bool {
        self.ancestors.get(a as usize).is_some_and(|s| s.contains(b as usize))
    }

    /// The reflexive ancestor set of a node.
    pub fn ancestors(&self, a: u32) -> Option<&FixedBitSet> {
        self.ancestors.get(a as usize)
    }

    /// Every node under `b` (reflexive), as a bitset over node ids.
    pub fn descendants(&self, b: u32) -> FixedBitSet {
        self.under_any([b])
    }

    /// Every node under any of `nodes` (reflexive), as a bitset over node ids: one walk down
    /// their subtrees, so a leaf costs one step rather than a look at every node, and a node
    /// under several of them is visited once.
    pub fn under_any(&self, nodes: impl IntoIterator<Item = u32>) -> FixedBitSet {
        let mut set = FixedBitSet::with_capacity(self.nodes.len());
        let mut stack: Vec<u32> = nodes.into_iter().collect();
        while let Some(n) = stack.pop() {
            if (n as usize) < set.len() && !set.put(n as usize) {
                stack.extend(self.children.get(n as usize).into_iter().flatten().copied());
            }
        }
        set
    }

    /// The chain of nodes from `a` up to its ancestor `b`, both included, following the first
    /// parent that leads there; what explanations show as "matched through".
    pub fn chain(&self, a: u32, b: u32) -> Vec<u32> {
        let mut out = vec![a];
        let mut cur = a;
        while cur != b {
            let next =
                self.nodes.get(cur as usize).and_then(|n| n.parents.iter().copied().find(|&p| self.is_under(p, b)));
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
}

fn order_cycle(graph: &DiGraph<u32, ()>, scc: &[NodeIndex]) -> Cycle {
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
    use crate::source::FileId;

    fn node(path: &str, parents: &[u32]) -> TaxonNode {
        TaxonNode {
            path: path.into(),
            label: None,
            span: Span { file: FileId(0), start: 0, end: 0 },
            parents: parents.to_vec(),
        }
    }

    #[test]
    fn closure_follows_every_parent_edge() {
        // special, location, location.precise (under special)
        let t = Taxonomy::build(vec![node("special", &[]), node("location", &[]), node("location.precise", &[1, 0])])
            .unwrap();
        assert!(t.is_under(2, 0));
        assert!(t.is_under(2, 1));
        assert!(t.is_under(2, 2));
        assert!(!t.is_under(0, 2));
        assert_eq!(t.chain(2, 0), vec![2, 0]);
    }

    #[test]
    fn a_cycle_is_reported_whole() {
        let err = Taxonomy::build(vec![node("a", &[2]), node("b", &[0]), node("c", &[1])]).unwrap_err();
        assert_eq!(err, vec![vec![0, 2, 1, 0]]);
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
        for b in 0..5u32 {
            let expected: Vec<usize> = (0..5).filter(|&n| t.is_under(n as u32, b)).collect();
            assert_eq!(t.descendants(b).ones().collect::<Vec<_>>(), expected, "under {}", t.path(b));
        }
        assert_eq!(t.descendants(1).ones().collect::<Vec<_>>(), [1, 3, 4]);
        assert_eq!(t.descendants(9).ones().count(), 0, "an unknown node has none");
        assert_eq!(t.under_any([1, 2]).ones().collect::<Vec<_>>(), [1, 2, 3, 4], "the union, each node once");
    }
}
