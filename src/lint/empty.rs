//! Tests against an empty list, whose answer is fixed before any campaign is read: `owner in
//! []` and `channels overlaps []` are never true, `owner not in []` is true for every campaign
//! that gives an owner, and `channels within []` is `channels is empty` written so that no one
//! reads it as such. Almost always a list left to be filled in, or a set emptied by mistake: the
//! rule then never applies, or applies to everything. An empty set that stands for "none yet"
//! (`unless owner in exempt_teams`) is what `# lagom: ignore empty_list` is for.

use super::each_test;
use crate::diagnostic::{Code, Problem};
use crate::policy::{CheckedPolicy, CheckedTest};

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    each_test(policy, |span, field, test| {
        let (values, answer) = match test {
            CheckedTest::In { values, negated: false } | CheckedTest::Overlaps(values) => (values, Answer::NeverTrue),
            CheckedTest::In { values, negated: true } => (values, Answer::AlwaysTrue),
            CheckedTest::Within(values) => (values, Answer::OnlyEmpty),
            _ => return,
        };
        if !values.is_empty() {
            return;
        }
        let written = policy.sources.text(span).unwrap_or(&field.text);
        let f = &field.text;
        let (message, help) = match answer {
            Answer::NeverTrue => (
                format!("`{written}` is never true: {}", what_is_empty(written)),
                format!("list the values `{f}` should match, or remove the test"),
            ),
            Answer::AlwaysTrue => (
                format!("`{written}` is true whenever `{f}` is set: {}", what_is_empty(written)),
                format!("list the values `{f}` should not take, or write `{f} is set` if that is what is meant"),
            ),
            Answer::OnlyEmpty => (
                format!("`{written}` is true only when `{f}` is empty: {}", what_is_empty(written)),
                format!("list the values `{f}` may hold, or write `{f} is empty` if that is what is meant"),
            ),
        };
        out.push(Problem::at(Code::EmptyList, span, message, "an empty list").with_help(format!(
            "{help}; if the list is to be filled in later, silence this with `# lagom: ignore empty_list`"
        )));
    });
}

/// What a test against an empty list answers, whatever the campaign.
#[derive(Clone, Copy)]
enum Answer {
    /// `in []`, `overlaps []`.
    NeverTrue,
    /// `not in []`.
    AlwaysTrue,
    /// `within []`.
    OnlyEmpty,
}

/// "the list is empty" for a list written `[]` (or holding only empty sets), "the set `s` is
/// empty" for a test that names a set.
fn what_is_empty(written: &str) -> String {
    let written = written.trim_end();
    if written.ends_with(']') {
        return "the list is empty".into();
    }
    match written.rsplit(|c: char| c.is_whitespace()).next() {
        Some(set) if !set.is_empty() => format!("the set `{set}` is empty"),
        _ => "the list is empty".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{messages_and_helps, warnings};
    use crate::diagnostic::Code;

    fn found(rules: &str) -> Vec<(String, String)> {
        messages_and_helps(Code::EmptyList, rules)
    }

    #[test]
    fn a_test_against_an_empty_list_is_reported_with_its_fixed_answer() {
        let found = found(
            "set none = []\n\
             rule a { allow contact for marketing when owner in [] }\n\
             rule b { deny contact for marketing when owner not in [] }\n\
             rule c { warn contact for marketing when channels overlaps none }\n\
             rule d { allow contact for marketing when channels within [none] and channels contains email }\n",
        );
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`owner in []` is never true: the list is empty",
                "`owner not in []` is true whenever `owner` is set: the list is empty",
                "`channels overlaps none` is never true: the set `none` is empty",
                "`channels within [none]` is true only when `channels` is empty: the list is empty",
            ]
        );
        assert!(
            found[1].1.starts_with("list the values `owner` should not take, or write `owner is set`"),
            "{found:?}"
        );
        assert!(found[3].1.contains("write `channels is empty`"), "{found:?}");
    }

    /// `within []` in an allow rule is true for an empty list, which `within_empty` would say
    /// too: it is told once, here, as what it is.
    #[test]
    fn within_an_empty_list_is_not_also_within_empty() {
        let rules = "rule d { allow contact for marketing when channels within [] }\n";
        assert_eq!(found(rules).len(), 1);
        assert!(warnings(Code::WithinEmpty, rules).is_empty());
    }

    #[test]
    fn lists_with_values_other_tests_and_ignored_rules_are_left_alone() {
        assert!(found(
            "set teams = [growth]\n\
             rule a { allow contact for marketing when owner in teams and channels overlaps [email] }\n\
             rule b { deny contact for marketing when owner not in [growth] or channels within [sms, email] }\n\
             # lagom: ignore empty_list -- no team is exempt yet\n\
             rule c { deny contact for marketing when owner in [] }\n",
        )
        .is_empty());
    }
}
