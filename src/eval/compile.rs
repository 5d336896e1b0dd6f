//! The checked policy compiled for deciding: a rule index by category and purpose bitsets, so
//! that a use only visits the rules whose scope can contain it.

use fixedbitset::FixedBitSet;

use crate::policy::{CategoryId, CheckedPolicy, PurposeId, RuleId, RuleScope, Targets};

/// A policy ready to evaluate campaigns.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    /// The checked policy it was compiled from.
    pub policy: CheckedPolicy,
    /// For each category, the per-use rules whose category scope contains it, by id.
    by_category: Vec<Vec<RuleId>>,
    /// For each rule, the purposes its scope covers; `None` for `*`.
    purpose_cover: Vec<Option<FixedBitSet>>,
    /// Campaign-level rules, by id.
    campaign_rules: Vec<RuleId>,
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
        let ncat = policy.categories.len();
        let mut by_category: Vec<Vec<RuleId>> = vec![Vec::new(); ncat];
        let mut purpose_cover = Vec::with_capacity(policy.rules.len());
        let mut campaign_rules = Vec::new();
        for (i, rule) in policy.rules.iter().enumerate() {
            let id = RuleId(i as u32);
            let purposes = match &rule.scope {
                RuleScope::Uses { categories, purposes } => {
                    match categories {
                        Targets::Any => by_category.iter_mut().for_each(|v| v.push(id)),
                        Targets::Some(cats) => {
                            let mut cover = FixedBitSet::with_capacity(ncat);
                            for c in cats {
                                cover.union_with(&policy.categories.descendants(c.0));
                            }
                            for c in cover.ones() {
                                if let Some(v) = by_category.get_mut(c) {
                                    v.push(id);
                                }
                            }
                        }
                    }
                    purposes
                }
                RuleScope::Campaign { purposes } => {
                    campaign_rules.push(id);
                    purposes
                }
            };
            purpose_cover.push(match purposes {
                Targets::Any => None,
                Targets::Some(ps) => {
                    let mut cover = FixedBitSet::with_capacity(policy.purposes.len());
                    for p in ps {
                        cover.union_with(&policy.purposes.descendants(p.0));
                    }
                    Some(cover)
                }
            });
        }
        CompiledPolicy { policy, by_category, purpose_cover, campaign_rules }
    }

    /// Per-use rules whose scope matches this category and purpose, in id (= name) order.
    pub fn rules_for(&self, category: CategoryId, purpose: PurposeId) -> impl Iterator<Item = RuleId> + '_ {
        self.by_category
            .get(category.0 as usize)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(move |r| self.covers_purpose(*r, purpose))
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
}
