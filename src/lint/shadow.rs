//! Allow rules that can never let anything through: every use they cover is blocked by deny
//! rules that have no condition (per use, or for the whole campaign). Deny rules with a
//! condition, and retain rules, are not counted: whether they apply depends on the campaign.

use fixedbitset::FixedBitSet;

use super::{category_cover, purpose_cover};
use crate::diagnostic::{Code, Place, Problem};
use crate::policy::{CheckedPolicy, CheckedRule, RuleEffect, RuleScope};

/// An unconditional deny rule with the categories it covers (`None`: a campaign-level rule,
/// which covers every category) and the purposes.
type Deny<'a> = (&'a CheckedRule, Option<FixedBitSet>, FixedBitSet);

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    let denies: Vec<Deny> = policy
        .rules
        .iter()
        .filter(|r| r.effect == RuleEffect::Deny && r.condition.is_none())
        .map(|r| match &r.scope {
            RuleScope::Uses { categories, purposes } => {
                (r, Some(category_cover(policy, categories)), purpose_cover(policy, purposes))
            }
            RuleScope::Campaign { purposes } => (r, None, purpose_cover(policy, purposes)),
        })
        .collect();
    for allow in policy.rules.iter().filter(|r| r.effect == RuleEffect::Allow) {
        let RuleScope::Uses { categories, purposes } = &allow.scope else { continue };
        let (cats, purps) = (category_cover(policy, categories), purpose_cover(policy, purposes));
        if let Some(by) = shadowing(&denies, &cats, &purps).filter(|by| !by.is_empty()) {
            out.push(warning(allow, &by));
        }
    }
}

/// When the denies cover every (category, purpose) pair of a scope: each deny that is the
/// first, in rule order, to cover some pair. A purpose at a time, so the cost is denies ×
/// purposes bitset operations rather than a search of the denies for every pair.
fn shadowing<'a>(denies: &[Deny<'a>], cats: &FixedBitSet, purps: &FixedBitSet) -> Option<Vec<&'a CheckedRule>> {
    let mut first = vec![false; denies.len()];
    for p in purps.ones() {
        let mut covered = FixedBitSet::with_capacity(cats.len());
        for (i, (_, dc, dp)) in denies.iter().enumerate() {
            if cats.is_subset(&covered) {
                break;
            }
            if !dp.contains(p) {
                continue;
            }
            let mut fresh = cats.clone();
            if let Some(dc) = dc {
                fresh.intersect_with(dc);
            }
            if !fresh.is_subset(&covered) {
                covered.union_with(&fresh);
                if let Some(f) = first.get_mut(i) {
                    *f = true;
                }
            }
        }
        if !cats.is_subset(&covered) {
            return None;
        }
    }
    Some(denies.iter().zip(first).filter(|(_, f)| *f).map(|((d, ..), _)| *d).collect())
}

fn warning(allow: &CheckedRule, by: &[&CheckedRule]) -> Problem {
    let names: Vec<String> = by.iter().map(|d| format!("`{}`", d.name)).collect();
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
    for d in by {
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
