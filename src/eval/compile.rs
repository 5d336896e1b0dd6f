//! The checked policy compiled for deciding: conditions compiled over interned symbols
//! ([`Program`]), each rule's index entry (memo slot, guard), the per-use [`RuleIndex`] and the
//! campaign-level rules by purpose.

use std::collections::HashMap;

use super::campaign_index::CampaignIndex;
use super::facts::Facts;
use super::index::{Entry, Guards, Memo, RuleIndex, UseScope, MAX_MEMO_SLOTS};
use super::program::{Program, Reads};
use super::spelling::ComparedTexts;
use crate::campaign::Campaign;
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::policy::{CategoryId, CheckedPolicy, PurposeId, RuleEffect, RuleId, RuleScope, Targets};

/// Above this many (cell, rule) entries the index falls back to per-category lists.
pub(super) const MAX_CELL_ENTRIES: usize = 8 << 20;

/// Most campaigns [`CompiledPolicy::for_campaigns`] decides without building cells. Building
/// them was an eighth of checking one campaign at R = 1,000 end to end; deciding 1,000
/// campaigns per category took no longer end to end than with cells (BENCHMARKS.md), so the
/// line is drawn well below that.
pub const FEW_CAMPAIGNS: usize = 100;

/// A policy ready to evaluate campaigns.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    /// The checked policy it was compiled from.
    pub policy: CheckedPolicy,
    pub(super) program: Program,
    /// Each rule's effect, by id.
    pub(super) effects: Vec<RuleEffect>,
    /// Each rule's condition (root node), by id; `None` for a rule without one.
    pub(super) conditions: Vec<Option<u32>>,
    /// The condition (root node) of each memo slot.
    pub(super) memo_roots: Vec<u32>,
    /// The guards that index entries refer to.
    pub(super) guards: Guards,
    pub(super) index: RuleIndex,
    /// For each rule, the purposes its scope covers; `None` for `*`.
    purpose_cover: Vec<Option<Box<[u32]>>>,
    /// Campaign-level rules, by id.
    campaign_rules: Vec<RuleId>,
    /// For each purpose, the campaign-level rules that cover it, grouped by condition.
    pub(super) campaign_index: CampaignIndex,
    /// The texts the conditions compare each field with, for a decision's spelling notes.
    pub(super) compared_texts: ComparedTexts,
}

/// Memo slots handed out to campaign-wide conditions, one per distinct root node.
#[derive(Default)]
struct MemoSlots {
    of_root: HashMap<u32, u16>,
    roots: Vec<u32>,
}

impl MemoSlots {
    /// How a condition is evaluated: memoised in its slot (a new one the first time) when it
    /// reads no use's own fields, while slots last.
    fn memo(&mut self, root: u32, reads: Reads) -> Memo {
        let slot = match self.of_root.get(&root) {
            Some(&slot) => slot,
            None if reads == Reads::Use || self.roots.len() >= usize::from(MAX_MEMO_SLOTS) => return Memo::Never,
            None => {
                let slot = self.roots.len() as u16;
                self.roots.push(root);
                self.of_root.insert(root, slot);
                slot
            }
        };
        match reads {
            Reads::Campaign => Memo::Campaign(slot),
            Reads::CampaignAndBasis => Memo::AtCampaignBasis(slot),
            Reads::Use => Memo::Never,
        }
    }
}

/// The nodes covered by a rule's targets, sorted, as node indices: the [`RuleIndex`] is built
/// over those. Each target's subtree is walked when it is needed: a table of every node's
/// descendants holds depth × nodes entries, which for a deep `under` chain was most of the
/// memory of compiling.
fn cover<Id: TaxonId>(targets: &Targets<Id>, tax: &Taxonomy<Id>) -> Vec<u32> {
    match targets {
        Targets::Any => (0..tax.len() as u32).collect(),
        Targets::Some(ts) => tax.under_any_bits(ts.iter().copied()).ones().map(|n| n as u32).collect(),
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

    /// Compiles a checked policy for deciding `campaigns` campaigns. Up to
    /// [`FEW_CAMPAIGNS`] are decided on the per-category index, which costs next to nothing
    /// to build; a larger batch gets the (category, purpose) cells, which take a millisecond
    /// or more to build for a large policy and make each use cheaper. Decisions are the same
    /// either way.
    pub fn for_campaigns(policy: CheckedPolicy, campaigns: usize) -> CompiledPolicy {
        let budget = if campaigns <= FEW_CAMPAIGNS { 0 } else { MAX_CELL_ENTRIES };
        CompiledPolicy::with_cell_budget(policy, budget)
    }

    pub(super) fn with_cell_budget(policy: CheckedPolicy, budget: usize) -> CompiledPolicy {
        let ncat = policy.categories.len();
        let npur = policy.purposes.len();
        let mut program = Program::default();
        let mut effects = Vec::with_capacity(policy.rules.len());
        let mut rule_entries = Vec::with_capacity(policy.rules.len());
        let mut purpose_cover = Vec::with_capacity(policy.rules.len());
        let mut campaign_rules = Vec::new();
        let mut scopes: Vec<Option<UseScope>> = Vec::with_capacity(policy.rules.len());
        let mut memo = MemoSlots::default();
        let mut guards = Guards::default();
        let mut conditions = Vec::with_capacity(policy.rules.len());
        for (i, rule) in policy.rules.iter().enumerate() {
            let condition = rule.condition.as_ref().map(|c| {
                let root = program.compile(c);
                program.keep_campaign_parts(root)
            });
            let entry = match condition {
                None => Entry::new(i as u32, Memo::Always, None),
                Some(root) => Entry::new(
                    i as u32,
                    memo.memo(root, program.reads(root)),
                    program.guard(root).and_then(|g| guards.add(g)),
                ),
            };
            effects.push(rule.effect);
            conditions.push(condition);
            rule_entries.push(entry);
            let purposes = match &rule.scope {
                RuleScope::Uses { purposes, .. } | RuleScope::Campaign { purposes } => purposes,
            };
            let pur = cover(purposes, &policy.purposes);
            // Sorted purpose indices rather than a bitset over every purpose: rules times
            // purposes bits would be gigabytes for a policy with both in the tens of thousands.
            purpose_cover.push(match purposes {
                Targets::Any => None,
                Targets::Some(_) => Some(pur.clone().into_boxed_slice()),
            });
            scopes.push(match &rule.scope {
                RuleScope::Uses { categories, .. } => Some(UseScope {
                    is_allow: rule.effect == RuleEffect::Allow,
                    categories: cover(categories, &policy.categories),
                    purposes: pur,
                }),
                RuleScope::Campaign { .. } => {
                    campaign_rules.push(RuleId(i as u32));
                    None
                }
            });
        }
        if program.needs.texts {
            program.symbols.keep_texts();
        }
        let index = RuleIndex::build(&scopes, &rule_entries, ncat, npur, budget);
        // Built rule by rule, so that the work is the pairs covered (bounded by
        // `MAX_SCOPE_PAIRS`), not purposes times campaign-level rules; each list in id order.
        let mut campaign_by_purpose: Vec<Vec<Entry>> = vec![Vec::new(); npur];
        for r in &campaign_rules {
            let Some(&entry) = rule_entries.get(r.0 as usize) else { continue };
            match purpose_cover.get(r.0 as usize) {
                Some(Some(cover)) => {
                    for &p in cover.iter() {
                        if let Some(list) = campaign_by_purpose.get_mut(p as usize) {
                            list.push(entry);
                        }
                    }
                }
                Some(None) => campaign_by_purpose.iter_mut().for_each(|l| l.push(entry)),
                None => {}
            }
        }
        let campaign_index =
            CampaignIndex::build(&campaign_by_purpose, |r| conditions.get(r as usize).copied().flatten(), &guards);
        CompiledPolicy {
            compared_texts: ComparedTexts::of(&policy),
            policy,
            program,
            effects,
            conditions,
            memo_roots: memo.roots,
            guards,
            index,
            purpose_cover,
            campaign_rules,
            campaign_index,
        }
    }

    /// Interns a campaign's values for the compiled evaluator: once per campaign, before
    /// deciding its uses with [`CompiledPolicy::decide_use`].
    pub fn facts(&self, campaign: &Campaign) -> Facts {
        let program = &self.program;
        Facts::new(
            campaign,
            &program.symbols,
            program.needs,
            &program.label_keys,
            self.memo_roots.len(),
            program.kept_slots(),
        )
    }

    /// Per-use rules whose scope matches this category and purpose, in id (= name) order.
    pub fn rules_for(&self, category: CategoryId, purpose: PurposeId) -> impl Iterator<Item = RuleId> + '_ {
        let (checks, allows, filter) = self.index.candidates(category.0, purpose.0);
        let mut all: Vec<u32> = checks.iter().chain(allows).map(|e| e.rule).collect();
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
            Some(Some(cover)) => cover.binary_search(&purpose.0).is_ok(),
            None => false,
        }
    }

    /// Whether the index has one cell per (category, purpose) pair (else one per category).
    pub fn indexes_cells(&self) -> bool {
        self.index.has_cells()
    }

    /// Number of rule entries the index stores (cells with the same rules share theirs).
    pub fn index_entries(&self) -> usize {
        self.index.stored_entries()
    }
}
