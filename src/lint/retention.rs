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
    cats: &'a FixedBitSet,
    purps: &'a FixedBitSet,
}

/// Retain rules with the same scope (covered categories and purposes), in rule order.
struct SameScope<'a> {
    cats: FixedBitSet,
    purps: FixedBitSet,
    rules: Vec<(usize, &'a CheckedRule, Retention)>,
}

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    // Rules with one scope never overlap partially (each scope holds the other), so the scopes
    // are compared a pair of distinct scopes at a time: a thousand retain rules on `* for *`
    // are one scope, not half a million comparisons of whole-taxonomy bitsets.
    let mut groups: Vec<SameScope> = Vec::new();
    let mut by_scope: std::collections::HashMap<(FixedBitSet, FixedBitSet), usize> = Default::default();
    for (i, rule) in policy.rules.iter().enumerate() {
        let (RuleEffect::Retain(limit), RuleScope::Uses { categories, purposes }) = (&rule.effect, &rule.scope) else {
            continue;
        };
        let scope = (category_cover(policy, categories), purpose_cover(policy, purposes));
        let g = *by_scope.entry(scope.clone()).or_insert_with(|| {
            groups.push(SameScope { cats: scope.0, purps: scope.1, rules: Vec::new() });
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(g) {
            group.rules.push((i, rule, *limit));
        }
    }
    let mut found: Vec<((usize, usize), Problem)> = Vec::new();
    // Within one scope, each longer limit is told once, against the first of the shortest: a
    // thousand limits on one scope make a thousand warnings, not half a million.
    for g in &groups {
        let Some(&(i, strictest, shortest)) = g.rules.iter().min_by_key(|(i, _, limit)| (*limit, *i)) else {
            continue;
        };
        for &(j, rule, limit) in g.rules.iter().filter(|(_, _, limit)| *limit != shortest) {
            let strict = Retain { rule: strictest, limit: shortest, cats: &g.cats, purps: &g.purps };
            let loose = Retain { rule, limit, cats: &g.cats, purps: &g.purps };
            found.push(((i.min(j), i.max(j)), warning(policy, &strict, &loose)));
        }
    }
    for (k, a) in groups.iter().enumerate() {
        for b in groups.iter().skip(k + 1) {
            if a.cats.is_disjoint(&b.cats) || a.purps.is_disjoint(&b.purps) {
                continue;
            }
            let a_in_b = a.cats.is_subset(&b.cats) && a.purps.is_subset(&b.purps);
            let b_in_a = b.cats.is_subset(&a.cats) && b.purps.is_subset(&a.purps);
            for &(i, ra, la) in &a.rules {
                for &(j, rb, lb) in &b.rules {
                    // The stricter limit inside the looser rule's scope is layering, not a clash.
                    if la == lb || (la < lb && a_in_b) || (lb < la && b_in_a) {
                        continue;
                    }
                    let x = Retain { rule: ra, limit: la, cats: &a.cats, purps: &a.purps };
                    let y = Retain { rule: rb, limit: lb, cats: &b.cats, purps: &b.purps };
                    let (strict, loose) = if la < lb { (x, y) } else { (y, x) };
                    found.push(((i.min(j), i.max(j)), warning(policy, &strict, &loose)));
                }
            }
        }
    }
    // In the order of the rule pairs, as the warnings were found when every pair was compared.
    found.sort_by_key(|(pair, _)| *pair);
    out.extend(found.into_iter().map(|(_, p)| p));
}

fn warning(policy: &CheckedPolicy, strict: &Retain, loose: &Retain) -> Problem {
    let (s, l) = (&strict.rule.name, &loose.rule.name);
    let inside = loose.cats.is_subset(strict.cats) && loose.purps.is_subset(strict.purps);
    let message = if inside && strict.rule.condition.is_none() {
        format!(
            "retain rule `{l}` ({}) never decides: `{s}` allows at most {} wherever it applies",
            loose.limit, strict.limit
        )
    } else {
        format!("retain rules `{l}` ({}) and `{s}` ({}) overlap with different limits", loose.limit, strict.limit)
    };
    let cat =
        policy.categories.ids_at(strict.cats.intersection(loose.cats)).next().map_or("", |c| policy.category_path(c));
    let pur =
        policy.purposes.ids_at(strict.purps.intersection(loose.purps)).next().map_or("", |p| policy.purpose_path(p));
    Problem::at(Code::RetentionOverlap, loose.rule.span, message, format!("at most {} here", loose.limit))
        .with_related(Place::Span(strict.rule.span), format!("at most {} here", strict.limit))
        .with_help(format!(
            "where both match, e.g. `{cat}` for `{pur}`, the shorter limit ({}) applies; if that is not intended, narrow one scope or make the limits agree",
            strict.limit
        ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages;
    use crate::diagnostic::Code;

    #[test]
    fn partial_overlaps_and_dead_limits_are_reported() {
        let partial =
            "rule a { retain contact for * at most 12 months }\nrule b { retain * for marketing at most 24 months }\n";
        assert_eq!(
            messages(Code::RetentionOverlap, partial),
            ["retain rules `b` (24 months) and `a` (12 months) overlap with different limits"]
        );
        let dead =
            "rule a { retain * for * at most 12 months }\nrule b { retain contact for marketing at most 24 months }\n";
        assert_eq!(
            messages(Code::RetentionOverlap, dead),
            ["retain rule `b` (24 months) never decides: `a` allows at most 12 months wherever it applies"]
        );
    }

    /// Two limits on one scope: the longer never decides where the shorter has no condition.
    #[test]
    fn different_limits_on_the_same_scope_are_reported() {
        let same = "rule r1 { retain contact for marketing at most 1 days }\n\
                    rule r2 { retain contact for marketing at most 2 days }\n\
                    rule r3 { retain contact for marketing at most 1 days }\n\
                    rule r4 { retain contact for marketing at most 3 days when basis == consent }\n";
        assert_eq!(
            messages(Code::RetentionOverlap, same),
            [
                "retain rule `r2` (2 days) never decides: `r1` allows at most 1 day wherever it applies",
                "retain rule `r4` (3 days) never decides: `r1` allows at most 1 day wherever it applies",
            ]
        );
        let conditional = "rule r1 { retain contact for marketing at most 1 days when basis == consent }\n\
                           rule r2 { retain contact for marketing at most 2 days }\n";
        assert_eq!(
            messages(Code::RetentionOverlap, conditional),
            ["retain rules `r2` (2 days) and `r1` (1 day) overlap with different limits"]
        );
    }

    #[test]
    fn a_stricter_cap_inside_a_backstop_disjoint_scopes_and_equal_limits_are_not_reported() {
        let layered =
            "rule a { retain * for * at most 36 months }\nrule b { retain contact for marketing at most 24 months }\n";
        assert!(messages(Code::RetentionOverlap, layered).is_empty());
        let disjoint =
            "rule a { retain contact for * at most 1 month }\nrule b { retain special for * at most 2 months }\n";
        assert!(messages(Code::RetentionOverlap, disjoint).is_empty());
        let same =
            "rule a { retain contact for * at most 12 months }\nrule b { retain * for marketing at most 1 year }\n";
        assert!(messages(Code::RetentionOverlap, same).is_empty());
    }
}
