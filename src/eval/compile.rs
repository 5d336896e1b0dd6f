//! The checked policy compiled for deciding: conditions compiled over interned symbols
//! ([`Program`]) and a rule index, so that a use only visits the rules whose scope contains it.
//!
//! The index has one cell per (category, purpose) pair, listing the per-use rules whose scope
//! contains both, in id (= name) order: deny, warn and retain rules in one list, allow rules in
//! another, so that a blocked use never evaluates an allow. When the cells would be too large
//! (many rules with wide scopes over big taxonomies) it falls back to one list per category,
//! filtered by a purpose bitset per rule.

use fixedbitset::FixedBitSet;

use super::facts::Facts;
use super::program::Program;
use crate::campaign::Campaign;
use crate::policy::{CategoryId, CheckedPolicy, PurposeId, RuleEffect, RuleId, RuleScope, Targets};

/// Above this many (cell, rule) entries the index falls back to per-category lists.
pub(super) const MAX_CELL_ENTRIES: usize = 8 << 20;

/// Marks a rule without a condition.
pub(super) const NO_CONDITION: u32 = u32::MAX;

/// What the hot path needs of a rule.
#[derive(Clone, Copy, Debug)]
pub(super) struct RuleCode {
    pub effect: RuleEffect,
    /// Root node in the program, or [`NO_CONDITION`].
    pub condition: u32,
}

/// Lists of rule ids in compressed-row form: list `i` is `ids[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, Default)]
pub(super) struct Lists {
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl Lists {
    /// Builds `count` lists from (list, id) pairs given in id order.
    fn build(count: usize, pairs: impl Fn(&mut dyn FnMut(usize, u32))) -> Lists {
        let mut lens = vec![0u32; count + 1];
        pairs(&mut |list, _| {
            if let Some(l) = lens.get_mut(list + 1) {
                *l += 1;
            }
        });
        for i in 1..lens.len() {
            let prev = lens.get(i - 1).copied().unwrap_or(0);
            if let Some(l) = lens.get_mut(i) {
                *l += prev;
            }
        }
        let total = lens.last().copied().unwrap_or(0) as usize;
        let mut ids = vec![0u32; total];
        let mut next = lens.clone();
        pairs(&mut |list, id| {
            if let Some(n) = next.get_mut(list) {
                if let Some(slot) = ids.get_mut(*n as usize) {
                    *slot = id;
                }
                *n += 1;
            }
        });
        Lists { offsets: lens, ids }
    }

    pub(super) fn get(&self, i: usize) -> &[u32] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.ids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// The per-use rule index.
#[derive(Clone, Debug)]
pub(super) enum Index {
    /// Cell `category * purposes + purpose`.
    Cells { purposes: usize, checks: Lists, allows: Lists },
    /// List per category; the purpose is checked per rule.
    ByCategory { checks: Lists, allows: Lists },
}

/// A policy ready to evaluate campaigns.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    /// The checked policy it was compiled from.
    pub policy: CheckedPolicy,
    pub(super) program: Program,
    pub(super) code: Vec<RuleCode>,
    pub(super) index: Index,
    /// For each rule, the purposes its scope covers; `None` for `*`.
    purpose_cover: Vec<Option<FixedBitSet>>,
    /// Campaign-level rules, by id.
    campaign_rules: Vec<RuleId>,
    /// For each purpose, the campaign-level rules that cover it.
    pub(super) campaign_by_purpose: Lists,
}

/// A per-use rule's scope while indexing: (is allow, covered categories, covered purposes).
type UseScope = (bool, Vec<u32>, Vec<u32>);

/// Every node under each node (reflexive), by id.
fn descendants(tax: &crate::policy::taxonomy::Taxonomy) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); tax.len()];
    for node in 0..tax.len() {
        if let Some(anc) = tax.ancestors(node as u32) {
            for a in anc.ones() {
                if let Some(list) = out.get_mut(a) {
                    list.push(node as u32);
                }
            }
        }
    }
    out
}

/// The nodes covered by a rule's targets, sorted.
fn cover<Id: Copy>(targets: &Targets<Id>, all: usize, below: &[Vec<u32>], id: impl Fn(Id) -> u32) -> Vec<u32> {
    match targets {
        Targets::Any => (0..all as u32).collect(),
        Targets::Some(ts) => {
            let mut v: Vec<u32> =
                ts.iter().flat_map(|t| below.get(id(*t) as usize).into_iter().flatten().copied()).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
    }
}

impl CompiledPolicy {
    /// Compiles a checked policy.
    ///
    /// ```
    /// let text = b"basis consent\ncategory contact\npurpose marketing\nrule ok { allow contact for marketing }\n";
    /// let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
    ///     relative: "p.policy".into(), display: "p.policy".into(), bytes: text.to_vec(),
    /// }]).unwrap();
    /// let compiled = lagom::eval::CompiledPolicy::new(policy);
    /// assert_eq!(compiled.policy.rules.len(), 1);
    /// ```
    pub fn new(policy: CheckedPolicy) -> CompiledPolicy {
        CompiledPolicy::with_cell_budget(policy, MAX_CELL_ENTRIES)
    }

    pub(super) fn with_cell_budget(policy: CheckedPolicy, budget: usize) -> CompiledPolicy {
        let ncat = policy.categories.len();
        let npur = policy.purposes.len();
        let cat_below = descendants(&policy.categories);
        let pur_below = descendants(&policy.purposes);
        let mut program = Program::default();
        let mut code = Vec::with_capacity(policy.rules.len());
        let mut purpose_cover = Vec::with_capacity(policy.rules.len());
        let mut campaign_rules = Vec::new();
        let mut scopes: Vec<Option<UseScope>> = Vec::with_capacity(policy.rules.len());
        for (i, rule) in policy.rules.iter().enumerate() {
            let condition = rule.condition.as_ref().map_or(NO_CONDITION, |c| program.compile(c));
            code.push(RuleCode { effect: rule.effect, condition });
            let purposes = match &rule.scope {
                RuleScope::Uses { purposes, .. } | RuleScope::Campaign { purposes } => purposes,
            };
            let pur = cover(purposes, npur, &pur_below, |p: PurposeId| p.0);
            purpose_cover.push(match purposes {
                Targets::Any => None,
                Targets::Some(_) => {
                    let mut set = FixedBitSet::with_capacity(npur);
                    pur.iter().for_each(|&p| set.insert(p as usize));
                    Some(set)
                }
            });
            match &rule.scope {
                RuleScope::Uses { categories, .. } => {
                    let cats = cover(categories, ncat, &cat_below, |c: CategoryId| c.0);
                    scopes.push(Some((rule.effect == RuleEffect::Allow, cats, pur)));
                }
                RuleScope::Campaign { .. } => {
                    campaign_rules.push(RuleId(i as u32));
                    scopes.push(None);
                    continue;
                }
            }
        }
        let entries: usize = scopes.iter().flatten().map(|(_, c, p)| c.len() * p.len()).sum();
        let lists = |allow: bool, cells: bool| {
            let count = if cells { ncat * npur } else { ncat };
            Lists::build(count, |emit| {
                for (id, s) in scopes.iter().enumerate() {
                    let Some((is_allow, cats, purs)) = s else { continue };
                    if *is_allow != allow {
                        continue;
                    }
                    for &c in cats {
                        if cells {
                            purs.iter().for_each(|&p| emit(c as usize * npur + p as usize, id as u32));
                        } else {
                            emit(c as usize, id as u32);
                        }
                    }
                }
            })
        };
        let index = if entries <= budget {
            Index::Cells { purposes: npur, checks: lists(false, true), allows: lists(true, true) }
        } else {
            Index::ByCategory { checks: lists(false, false), allows: lists(true, false) }
        };
        let campaign_by_purpose = Lists::build(npur, |emit| {
            for r in &campaign_rules {
                for p in 0..npur {
                    if purpose_cover.get(r.0 as usize).is_some_and(|c| c.as_ref().is_none_or(|s| s.contains(p))) {
                        emit(p, r.0);
                    }
                }
            }
        });
        CompiledPolicy { policy, program, code, index, purpose_cover, campaign_rules, campaign_by_purpose }
    }

    /// Interns a campaign's values for the compiled evaluator: once per campaign, before
    /// deciding its uses with [`CompiledPolicy::decide_use`].
    pub fn facts(&self, campaign: &Campaign) -> Facts {
        Facts::new(campaign, &self.program.symbols, self.program.needs, &self.program.label_keys)
    }

    /// The candidate rules of a use: deny, warn and retain rules, then allow rules, each in
    /// id order, and whether their purposes still need checking.
    pub(super) fn candidates(&self, category: u32, purpose: u32) -> (&[u32], &[u32], bool) {
        match &self.index {
            Index::Cells { purposes, checks, allows } => {
                if purpose as usize >= *purposes {
                    return (&[], &[], false);
                }
                let cell = category as usize * purposes + purpose as usize;
                (checks.get(cell), allows.get(cell), false)
            }
            Index::ByCategory { checks, allows } => {
                (checks.get(category as usize), allows.get(category as usize), true)
            }
        }
    }

    /// Per-use rules whose scope matches this category and purpose, in id (= name) order.
    pub fn rules_for(&self, category: CategoryId, purpose: PurposeId) -> impl Iterator<Item = RuleId> + '_ {
        let (checks, allows, filter) = self.candidates(category.0, purpose.0);
        let mut all: Vec<u32> = checks.iter().chain(allows).copied().collect();
        all.sort_unstable();
        all.into_iter().map(RuleId).filter(move |r| !filter || self.covers_purpose(*r, purpose))
    }

    /// Campaign-level rules, in id order.
    pub fn campaign_rules(&self) -> &[RuleId] {
        &self.campaign_rules
    }

    /// Whether a rule's purpose scope contains this purpose.
    pub fn covers_purpose(&self, rule: RuleId, purpose: PurposeId) -> bool {
        match self.purpose_cover.get(rule.0 as usize) {
            Some(None) => true,
            Some(Some(cover)) => cover.contains(purpose.0 as usize),
            None => false,
        }
    }

    /// Whether the index has one cell per (category, purpose) pair (else one per category).
    pub fn indexes_cells(&self) -> bool {
        matches!(self.index, Index::Cells { .. })
    }

    /// Number of (cell, rule) entries in the index.
    pub fn index_entries(&self) -> usize {
        match &self.index {
            Index::Cells { checks, allows, .. } | Index::ByCategory { checks, allows } => checks.len() + allows.len(),
        }
    }
}
