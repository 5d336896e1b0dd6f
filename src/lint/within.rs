//! `within` where an empty list lets data through: `[] within eea` is true (spec 1.3: the
//! empty set is a subset of every set), so `allow contact for marketing when audience.regions
//! within eea` allows a campaign that declares `regions: []`, and a deny rule `unless
//! audience.regions within eea` never stops it. Rego and Cedar users read `within` as "only
//! these", and a campaign that names no region is not one that names only EEA ones.
//!
//! A `within` test is reported where its being true keeps data flowing (the condition of an
//! allow rule being true; of a deny, warn or retain rule being false), unless the condition
//! has thought of the empty list: it tests the same field with `is empty` / `is not empty`
//! anywhere, or the test stands beside one that only a non-empty list passes (`contains`,
//! `overlaps`) so that both must hold. Tests inside `any` / `all` read an element's fields and
//! are not judged; nor are other rules (a deny rule for `regions is empty` elsewhere is not
//! seen, and is what `# lagom: ignore within_empty` is for).

use crate::diagnostic::{Code, Problem};
use crate::policy::fields::Field;
use crate::policy::{CheckedPolicy, CheckedRule, CheckedTest, Cond, FieldUse, RuleEffect};
use crate::source::Span;

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    for rule in &policy.rules {
        let Some(condition) = &rule.condition else { continue };
        // The value of the condition that lets a use or campaign through.
        let passing = match rule.effect {
            RuleEffect::Allow => true,
            RuleEffect::Deny | RuleEffect::Warn | RuleEffect::Retain(_) => false,
        };
        let mut found = Vec::new();
        visit(condition, passing, &mut Vec::new(), &mut found);
        for (span, field) in found {
            if !tests_emptiness(condition, &field.field) {
                out.push(warning(policy, rule, span, field));
            }
        }
    }
}

/// Collects the `within` tests of `cond` whose truth lets data through when `cond` is
/// `passing`, and that no test beside them in the same conjunction (`guarded`: the fields
/// such tests hold non-empty) keeps from an empty list.
fn visit<'c>(cond: &'c Cond, passing: bool, guarded: &mut Vec<&'c Field>, found: &mut Vec<(Span, &'c FieldUse)>) {
    match cond {
        Cond::Not(inner) => visit(inner, !passing, guarded, found),
        // Every part must take the passing value (`and` true, `or` false): the parts guard
        // one another.
        Cond::And(parts) | Cond::Or(parts) if passing == matches!(cond, Cond::And(_)) => {
            let before = guarded.len();
            for part in parts {
                non_empty_when(part, passing, guarded);
            }
            for part in parts {
                visit(part, passing, guarded, found);
            }
            guarded.truncate(before);
        }
        // One part taking the passing value is enough: each is judged on its own.
        Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| visit(p, passing, guarded, found)),
        Cond::Quant { .. } => {}
        // `within []` is `lagom::empty_list`'s, which says what it means.
        Cond::Test { span, field, test: CheckedTest::Within(values) } => {
            if passing && !values.is_empty() && !guarded.contains(&&field.field) {
                found.push((*span, field));
            }
        }
        Cond::Test { .. } => {}
    }
}

/// Adds the list fields that `cond` taking the value `value` shows to be non-empty.
fn non_empty_when<'c>(cond: &'c Cond, value: bool, out: &mut Vec<&'c Field>) {
    match cond {
        Cond::Not(inner) => non_empty_when(inner, !value, out),
        Cond::And(parts) | Cond::Or(parts) if value == matches!(cond, Cond::And(_)) => {
            parts.iter().for_each(|p| non_empty_when(p, value, out));
        }
        Cond::And(_) | Cond::Or(_) | Cond::Quant { .. } => {}
        Cond::Test { field, test, .. } => {
            let non_empty = match test {
                CheckedTest::IsEmpty { negated } => *negated == value,
                CheckedTest::Contains(_) | CheckedTest::Overlaps(_) => value,
                // Only a non-empty list is not within a list.
                CheckedTest::Within(_) => !value,
                _ => false,
            };
            if non_empty {
                out.push(&field.field);
            }
        }
    }
}

/// Whether `cond` tests `field` with `is empty` or `is not empty` anywhere outside `any` /
/// `all`: its author has decided what an empty list means.
fn tests_emptiness(cond: &Cond, field: &Field) -> bool {
    match cond {
        Cond::Not(inner) => tests_emptiness(inner, field),
        Cond::And(parts) | Cond::Or(parts) => parts.iter().any(|p| tests_emptiness(p, field)),
        Cond::Quant { .. } => false,
        Cond::Test { field: f, test, .. } => &f.field == field && matches!(test, CheckedTest::IsEmpty { .. }),
    }
}

fn warning(policy: &CheckedPolicy, rule: &CheckedRule, span: Span, field: &FieldUse) -> Problem {
    let f = &field.text;
    let consequence = match rule.effect {
        RuleEffect::Allow => format!("`{}` allows the data uses of a campaign whose `{f}` is empty", rule.name),
        RuleEffect::Deny => format!("`{}` does not deny a campaign whose `{f}` is empty", rule.name),
        RuleEffect::Warn => format!("`{}` does not warn about a campaign whose `{f}` is empty", rule.name),
        RuleEffect::Retain(_) => format!("`{}` does not cap a campaign whose `{f}` is empty", rule.name),
    };
    Problem::at(
        Code::WithinEmpty,
        span,
        format!("`within` is true for an empty list: {consequence}"),
        "true when the list is empty",
    )
    .with_help(format!(
        "write `{f} is not empty and {}` (in brackets where it stands beside an `or`) to require at least one \
         item; if an empty `{f}` is meant to pass, say so with `or {f} is empty`, or silence this with \
         `# lagom: ignore within_empty`",
        written(policy, span).unwrap_or_else(|| format!("{f} within …"))
    ))
}

/// The test as written, on one line.
fn written(policy: &CheckedPolicy, span: Span) -> Option<String> {
    let text = policy.sources.text(span)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{messages, policy};
    use crate::diagnostic::Code;

    fn found(rules: &str) -> Vec<String> {
        messages(Code::WithinEmpty, rules)
    }

    #[test]
    fn within_that_lets_an_empty_list_through_is_reported() {
        let rules = "rule a { allow contact for marketing when channels within [email] }\n\
                     rule b { deny contact for marketing unless channels within [email] }\n\
                     rule c { deny campaign for marketing when not channels within [email, sms] }\n\
                     rule d { warn contact for * when basis == consent and not channels within [sms] }\n";
        assert_eq!(
            found(rules),
            [
                "`within` is true for an empty list: `a` allows the data uses of a campaign whose `channels` is empty",
                "`within` is true for an empty list: `b` does not deny a campaign whose `channels` is empty",
                "`within` is true for an empty list: `c` does not deny a campaign whose `channels` is empty",
                "`within` is true for an empty list: `d` does not warn about a campaign whose `channels` is empty",
            ]
        );
    }

    /// Where `within` being true makes a rule block, an empty list is blocked: fail closed.
    #[test]
    fn within_that_blocks_an_empty_list_is_not_reported() {
        let rules = "rule a { deny contact for marketing when channels within [sms] }\n\
                     rule b { allow contact for marketing unless channels within [sms] }\n\
                     rule c { warn contact for * when channels within [sms] or basis == consent }\n";
        assert!(found(rules).is_empty(), "{:?}", found(rules));
    }

    /// A condition that tests the list's emptiness has decided what an empty list means, and a
    /// test beside it that only a non-empty list passes guards it.
    #[test]
    fn within_guarded_or_with_emptiness_decided_is_not_reported() {
        let rules = "rule a { allow contact for marketing when channels is not empty and channels within [email] }\n\
                     rule b { deny contact for marketing unless channels within [email] or channels is empty }\n\
                     rule c { deny contact for marketing unless (channels contains email and channels within [email]) }\n\
                     rule d { deny campaign for marketing when channels is empty or not channels within [email] }\n\
                     rule e { allow contact for marketing when not (channels is empty or not channels within [email]) }\n\
                     rule f { allow contact for marketing when any data (basis == consent) }\n";
        assert!(found(rules).is_empty(), "{:?}", found(rules));
    }

    /// A guard beside an `or` does not guard what the other side of the `or` lets through.
    #[test]
    fn a_guard_on_the_other_side_of_an_or_does_not_count() {
        let rules = "rule a { allow contact for marketing when channels overlaps [sms] or channels within [email] }\n";
        assert_eq!(
            found(rules),
            ["`within` is true for an empty list: `a` allows the data uses of a campaign whose `channels` is empty"]
        );
    }

    #[test]
    fn the_warning_points_at_the_test_and_the_help_gives_the_guard() {
        let rules = "rule a { allow contact for marketing when channels within [email] }\n";
        let problems = super::super::testing::warnings(Code::WithinEmpty, rules);
        let crate::diagnostic::Place::Span(span) = problems[0].place else { panic!("not placed") };
        let policy = policy(rules);
        assert_eq!(&policy.sources.file(span.file).unwrap().text[span.start..span.end], "channels within [email]");
        assert!(
            problems[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("write `channels is not empty and channels within [email]`"),
            "{:?}",
            problems[0].help
        );
    }
}
