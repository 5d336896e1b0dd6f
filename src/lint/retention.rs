//! Retain rules whose scopes overlap with different limits. Where both match a use, both must
//! be met, so the shorter limit decides. A shorter limit on a narrower scope inside a longer
//! one (a cap on precise location inside a three-year backstop) is the usual way to layer
//! limits and is not reported. Conditions are not looked at: two rules overlap when their
//! categories and purposes do.

use fixedbitset::FixedBitSet;

use super::{category_cover, purpose_cover};
use crate::diagnostic::{Code, Place, Problem};
use crate::policy::{CheckedPolicy, CheckedRule, Retention, RuleEffect, RuleScope};

struct Retain<'a> {
    rule: &'a CheckedRule,
    limit: Retention,
    cats: FixedBitSet,
    purps: FixedBitSet,
}

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    let retains: Vec<Retain> = policy
        .rules
        .iter()
        .filter_map(|rule| match (&rule.effect, &rule.scope) {
            (RuleEffect::Retain(limit), RuleScope::Uses { categories, purposes }) => Some(Retain {
                rule,
                limit: *limit,
                cats: category_cover(policy, categories),
                purps: purpose_cover(policy, purposes),
            }),
            _ => None,
        })
        .collect();
    for (i, a) in retains.iter().enumerate() {
        for b in retains.iter().skip(i + 1) {
            if a.limit == b.limit || a.cats.is_disjoint(&b.cats) || a.purps.is_disjoint(&b.purps) {
                continue;
            }
            let (strict, loose) = if a.limit < b.limit { (a, b) } else { (b, a) };
            if strict.cats.is_subset(&loose.cats) && strict.purps.is_subset(&loose.purps) {
                continue;
            }
            out.push(warning(policy, strict, loose));
        }
    }
}

fn warning(policy: &CheckedPolicy, strict: &Retain, loose: &Retain) -> Problem {
    let (s, l) = (&strict.rule.name, &loose.rule.name);
    let inside = loose.cats.is_subset(&strict.cats) && loose.purps.is_subset(&strict.purps);
    let message = if inside && strict.rule.condition.is_none() {
        format!(
            "retain rule `{l}` ({}) never decides: `{s}` allows at most {} wherever it applies",
            loose.limit, strict.limit
        )
    } else {
        format!("retain rules `{l}` ({}) and `{s}` ({}) overlap with different limits", loose.limit, strict.limit)
    };
    let cat = strict
        .cats
        .intersection(&loose.cats)
        .next()
        .map_or("", |c| policy.category_path(crate::policy::CategoryId(c as u32)));
    let pur = strict
        .purps
        .intersection(&loose.purps)
        .next()
        .map_or("", |p| policy.purpose_path(crate::policy::PurposeId(p as u32)));
    Problem::at(Code::RetentionOverlap, loose.rule.span, message, format!("at most {} here", loose.limit))
        .with_related(Place::Span(strict.rule.span), format!("at most {} here", strict.limit))
        .with_help(format!(
            "where both match, e.g. `{cat}` for `{pur}`, the shorter limit ({}) applies; if that is not intended, narrow one scope or make the limits agree",
            strict.limit
        ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    fn messages(rules: &str) -> Vec<String> {
        warnings(Code::RetentionOverlap, rules).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn partial_overlaps_and_dead_limits_are_reported() {
        let partial =
            "rule a { retain contact for * at most 12 months }\nrule b { retain * for marketing at most 24 months }\n";
        assert_eq!(messages(partial), ["retain rules `b` (2 years) and `a` (1 year) overlap with different limits"]);
        let dead =
            "rule a { retain * for * at most 12 months }\nrule b { retain contact for marketing at most 24 months }\n";
        assert_eq!(
            messages(dead),
            ["retain rule `b` (2 years) never decides: `a` allows at most 1 year wherever it applies"]
        );
    }

    #[test]
    fn a_stricter_cap_inside_a_backstop_disjoint_scopes_and_equal_limits_are_not_reported() {
        let layered =
            "rule a { retain * for * at most 36 months }\nrule b { retain contact for marketing at most 24 months }\n";
        assert!(messages(layered).is_empty());
        let disjoint =
            "rule a { retain contact for * at most 1 month }\nrule b { retain special for * at most 2 months }\n";
        assert!(messages(disjoint).is_empty());
        let same =
            "rule a { retain contact for * at most 12 months }\nrule b { retain * for marketing at most 1 year }\n";
        assert!(messages(same).is_empty());
    }
}
