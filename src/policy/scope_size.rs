//! A bound on how much the rules' scopes cover together. The compiled policy holds an index
//! entry for each category a per-use rule covers, and a list entry for each purpose a rule
//! covers; a few thousand `allow * for *` rules over taxonomies of twenty thousand nodes each
//! would ask for gigabytes. Such a policy is told so here, where `validate` sees it too,
//! rather than aborting `check` when memory runs out.

use super::model::{CheckedRule, RuleScope, Targets};
use super::taxonomy::{TaxonId, Taxonomy};
#[cfg(test)]
use crate::diagnostic::Place;
use crate::diagnostic::{Code, Problem};
use crate::policy::{CategoryId, PurposeId};

/// Most (rule, category) and (rule, purpose) pairs the rules' scopes may cover together, each
/// target counted with everything under it. The compiled index takes about 12 bytes a pair;
/// the generated 10,000-rule policy of the benchmarks covers about 150,000.
pub const MAX_SCOPE_PAIRS: usize = 4 << 20;

/// The rule whose scope takes the rules past [`MAX_SCOPE_PAIRS`], as a problem.
pub(super) fn too_wide(
    rules: &[CheckedRule],
    categories: &Taxonomy<CategoryId>,
    purposes: &Taxonomy<PurposeId>,
) -> Option<Problem> {
    too_wide_with_limit(rules, categories, purposes, MAX_SCOPE_PAIRS)
}

fn too_wide_with_limit(
    rules: &[CheckedRule],
    categories: &Taxonomy<CategoryId>,
    purposes: &Taxonomy<PurposeId>,
    limit: usize,
) -> Option<Problem> {
    let (category_sizes, purpose_sizes) = (categories.subtree_sizes(), purposes.subtree_sizes());
    let mut total = 0usize;
    for rule in rules {
        let pairs = match &rule.scope {
            RuleScope::Uses { categories: c, purposes: p } => {
                covered(c, &category_sizes).saturating_add(covered(p, &purpose_sizes))
            }
            RuleScope::Campaign { purposes: p } => covered(p, &purpose_sizes),
        };
        total = total.saturating_add(pairs);
        if total > limit {
            return Some(
                Problem::at(
                    Code::Limit,
                    rule.span,
                    format!("the rules' scopes cover more than {limit} (rule, category or purpose) pairs"),
                    "the scopes of the rules up to this one reach the limit here",
                )
                .with_help(
                    "a rule covers every category and purpose under its targets (all of them for `*`): with \
                     taxonomies this large, give rules narrower scopes or fewer rules the same scope",
                ),
            );
        }
    }
    None
}

/// How many nodes a scope covers, counting each target's subtree (nodes under two targets
/// twice: a bound, exact for the usual disjoint targets).
fn covered<Id: TaxonId>(targets: &Targets<Id>, sizes: &[usize]) -> usize {
    match targets {
        Targets::Any => sizes.len(),
        Targets::Some(ids) => ids.iter().map(|id| sizes.get(id.index() as usize).copied().unwrap_or(0)).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{load_texts, PolicyText};

    fn policy(text: &str) -> crate::policy::CheckedPolicy {
        load_texts(vec![PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes: text.into() }])
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// Each target counts with the nodes under it; `*` counts the whole taxonomy; the problem
    /// points at the rule that crosses the limit.
    #[test]
    fn the_rule_whose_scope_crosses_the_limit_is_named() {
        let p = policy(
            "basis consent\ncategory a { category b category c }\ncategory d\npurpose m { purpose n }\n\
             rule r1 { allow a for m.n }\nrule r2 { deny campaign for * }\nrule r3 { allow d for m }\n",
        );
        // r1: 3 categories + 1 purpose; r2: 2 purposes; r3: 1 + 2.
        assert!(too_wide_with_limit(&p.rules, &p.categories, &p.purposes, 9).is_none());
        let span = |name: &str| p.rules.iter().find(|r| r.name == name).map(|r| Place::Span(r.span));
        let at = |limit| too_wide_with_limit(&p.rules, &p.categories, &p.purposes, limit).map(|p| (p.code, p.place));
        assert_eq!(at(8), span("r3").map(|s| (Code::Limit, s)));
        assert_eq!(at(5), span("r2").map(|s| (Code::Limit, s)));
    }
}
