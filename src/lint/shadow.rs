//! Allow rules that can never let anything through: every use they cover is blocked by deny
//! rules that have no condition (per use, or for the whole campaign). Deny rules with a
//! condition, and retain rules, are not counted: whether they apply depends on the campaign.

use fixedbitset::FixedBitSet;

use super::{category_cover, purpose_cover};
use crate::diagnostic::{Code, Place, Problem};
use crate::policy::{CheckedPolicy, CheckedRule, RuleEffect, RuleScope};

/// The categories a rule covers, as a bitset and as a list, so that two scopes can be
/// compared through the shorter of the two.
struct Cover {
    set: FixedBitSet,
    list: Vec<usize>,
}

impl Cover {
    fn new(set: FixedBitSet) -> Cover {
        Cover { list: set.ones().collect(), set }
    }
}

/// An unconditional deny rule with the categories it covers (`None`: a campaign-level rule,
/// which covers every category) and the purposes.
type Deny<'a> = (&'a CheckedRule, Option<Cover>, FixedBitSet);

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    let denies: Vec<Deny> = policy
        .rules
        .iter()
        .filter(|r| r.effect == RuleEffect::Deny && r.condition.is_none())
        .map(|r| match &r.scope {
            RuleScope::Uses { categories, purposes } => {
                (r, Some(Cover::new(category_cover(policy, categories))), purpose_cover(policy, purposes))
            }
            RuleScope::Campaign { purposes } => (r, None, purpose_cover(policy, purposes)),
        })
        .collect();
    for allow in policy.rules.iter().filter(|r| r.effect == RuleEffect::Allow) {
        let RuleScope::Uses { categories, purposes } = &allow.scope else { continue };
        let (cats, purps) = (Cover::new(category_cover(policy, categories)), purpose_cover(policy, purposes));
        if let Some(by) = shadowing(&denies, &cats, &purps).filter(|by| !by.is_empty()) {
            out.push(warning(allow, &by));
        }
    }
}

/// When the denies cover every (category, purpose) pair of a scope: each deny that is the
/// first, in rule order, to cover some pair, ordered by the first such pair (category, then
/// purpose), as a walk over the pairs meets them. A purpose at a time, each deny compared
/// through the shorter of its category list and the scope's, so that many narrow denies
/// against a broad allow (or the reverse) cost their number, not their number times the
/// taxonomy.
fn shadowing<'a>(denies: &[Deny<'a>], cats: &Cover, purps: &FixedBitSet) -> Option<Vec<&'a CheckedRule>> {
    // For each deny, the first pair it is the first to cover.
    let mut first: Vec<Option<(usize, usize)>> = vec![None; denies.len()];
    for p in purps.ones() {
        let mut covered = FixedBitSet::with_capacity(cats.set.len());
        let mut uncovered = cats.list.len();
        for (i, (_, dc, dp)) in denies.iter().enumerate() {
            if uncovered == 0 {
                break;
            }
            if !dp.contains(p) {
                continue;
            }
            let mut fresh = 0;
            let mut lowest = usize::MAX;
            let mut cover = |c: usize| {
                if !covered.put(c) {
                    fresh += 1;
                    lowest = lowest.min(c);
                }
            };
            match dc {
                None => cats.list.iter().for_each(|&c| cover(c)),
                Some(d) if d.list.len() < cats.list.len() => {
                    d.list.iter().filter(|&&c| cats.set.contains(c)).for_each(|&c| cover(c))
                }
                Some(d) => cats.list.iter().filter(|&&c| d.set.contains(c)).for_each(|&c| cover(c)),
            }
            if fresh > 0 {
                uncovered -= fresh;
                if let Some(f) = first.get_mut(i) {
                    *f = Some(f.map_or((lowest, p), |earlier| earlier.min((lowest, p))));
                }
            }
        }
        if uncovered > 0 {
            return None;
        }
    }
    let mut by: Vec<((usize, usize), &CheckedRule)> =
        denies.iter().zip(first).filter_map(|((d, ..), f)| f.map(|pair| (pair, *d))).collect();
    by.sort_by_key(|(pair, _)| *pair);
    Some(by.into_iter().map(|(_, d)| d).collect())
}

/// Deny rules named in one warning; more are counted, so a warning stays one screen long.
const NAMED_DENIES: usize = 5;

fn warning(allow: &CheckedRule, by: &[&CheckedRule]) -> Problem {
    let mut names: Vec<String> = by.iter().take(NAMED_DENIES).map(|d| format!("`{}`", d.name)).collect();
    if by.len() > NAMED_DENIES {
        names.push(format!("{} more", by.len() - NAMED_DENIES));
    }
    let (rules, override_, have, cover) = if by.len() == 1 {
        ("deny rule", "overrides", "has", "covers")
    } else {
        ("deny rules", "override", "have", "together cover")
    };
    let mut p = Problem::at(
        Code::ShadowedAllow,
        allow.span,
        format!(
            "allow rule `{}` never lets anything through: {rules} {} always {override_} it",
            allow.name,
            names.join(", ")
        ),
        "always overridden",
    )
    .with_help(format!(
        "the {rules} {have} no condition and {cover} every use this rule allows; remove `{}`, or give the {rules} a condition or a narrower scope if some of these uses should be allowed",
        allow.name
    ));
    for d in by.iter().take(NAMED_DENIES) {
        p = p.with_related(Place::Span(d.span), format!("`{}` denies this without a condition", d.name));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    #[test]
    fn an_allow_inside_an_unconditional_deny_is_reported() {
        let w = warnings(
            Code::ShadowedAllow,
            "rule a { allow contact.email for marketing.newsletter }\nrule d { deny contact for marketing }\n",
        );
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("allow rule `a` never lets anything through: deny rule `d`"), "{}", w[0].message);
    }

    #[test]
    fn several_denies_together_and_campaign_denies_count() {
        let rules = "rule a { allow contact for marketing.newsletter, marketing.profiling }\n\
                     rule d1 { deny contact for marketing.newsletter }\n\
                     rule d2 { deny campaign for marketing.profiling }\n";
        let w = warnings(Code::ShadowedAllow, rules);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("`d1`, `d2`"), "{}", w[0].message);
    }

    /// The denies are named in the order of the first use each one blocks, not by name.
    #[test]
    fn denies_are_named_in_the_order_of_the_uses_they_block() {
        let rules = "rule al { allow contact for marketing.newsletter }\n\
                     rule d0 { deny contact.phone for marketing }\n\
                     rule d1 { deny contact, contact.email for marketing }\n";
        let w = warnings(Code::ShadowedAllow, rules);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.ends_with("deny rules `d1`, `d0` always override it"), "{}", w[0].message);
    }

    #[test]
    fn a_warning_names_the_first_five_denies_and_counts_the_rest() {
        let cats = [
            "contact.email",
            "contact.phone",
            "contact",
            "behaviour.browsing",
            "behaviour",
            "special.health",
            "special",
        ];
        let denies: String = cats
            .iter()
            .enumerate()
            .map(|(i, c)| format!("rule d{i} {{ deny {c} for marketing.newsletter }}\n"))
            .collect();
        let rules = format!("rule a {{ allow * for marketing.newsletter }}\n{denies}");
        let w = warnings(Code::ShadowedAllow, &rules);
        assert_eq!(w.len(), 1);
        let m = &w[0].message;
        // Named in the order a walk over the categories meets them (ids follow the paths).
        assert!(m.ends_with("deny rules `d4`, `d3`, `d2`, `d0`, `d1`, 2 more always override it"), "{m}");
        assert_eq!(w[0].related.len(), 5);
    }

    #[test]
    fn a_condition_or_a_gap_in_the_deny_scope_is_not_reported() {
        let conditional =
            "rule a { allow contact for marketing }\nrule d { deny contact for marketing when basis == contract }\n";
        assert!(warnings(Code::ShadowedAllow, conditional).is_empty());
        let gap =
            "rule a { allow contact for marketing }\nrule d { deny contact.email, contact.phone for marketing }\n";
        assert!(warnings(Code::ShadowedAllow, gap).is_empty(), "a use of `contact` itself is still allowed");
        let retain = "rule a { allow contact for marketing }\nrule d { retain * for * at most 1 day }\n";
        assert!(warnings(Code::ShadowedAllow, retain).is_empty());
    }
}
