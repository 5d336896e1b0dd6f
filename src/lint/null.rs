//! Comparisons with the word `null` (or `nil`, `undefined`): the language has no null, so
//! `consent.source == null` compares with the text "null". A campaign that does not give the
//! field makes it unknown, not true, and one that gives any source makes it false, which is
//! never what its author meant: absence is tested with `is not set`. A quoted `"null"` is
//! taken as meant and not reported.

use super::{each_test, ends_quoted};
use crate::diagnostic::{Code, Problem};
use crate::policy::fields::is_null_word;
use crate::policy::{CheckedPolicy, CheckedTest, Literal};

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    each_test(policy, |span, field, test| {
        let CheckedTest::Equals { value: Literal::Text(text), negated } = test else { return };
        if !is_null_word(text) || ends_quoted(policy, span) {
            return;
        }
        let (means, write) = if *negated { ("gives", "is set") } else { ("does not give", "is not set") };
        let op = if *negated { "!=" } else { "==" };
        out.push(
            Problem::at(
                Code::NullComparison,
                span,
                format!("`{} {op} {text}` compares with the text \"{text}\", not with a missing value", field.text),
                "the language has no null",
            )
            .with_help(format!(
                "to test that the campaign {means} `{f}`, write `{f} {write}`; to mean the text, quote it: \"{text}\"",
                f = field.text
            )),
        );
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    fn found(rules: &str) -> Vec<(String, Option<String>)> {
        warnings(Code::NullComparison, rules).into_iter().map(|p| (p.message, p.help)).collect()
    }

    #[test]
    fn a_comparison_with_the_word_null_is_reported_with_the_test_for_absence() {
        let found = found(
            "rule a { allow contact for marketing when consent.source == null }\n\
             rule b { allow contact for marketing when labels.brand != NIL and any processors (name == undefined) }\n",
        );
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`consent.source == null` compares with the text \"null\", not with a missing value",
                "`labels.brand != NIL` compares with the text \"NIL\", not with a missing value",
                "`name == undefined` compares with the text \"undefined\", not with a missing value",
            ]
        );
        assert!(found[0].1.as_deref().is_some_and(|h| h.contains("write `consent.source is not set`")), "{found:?}");
        assert!(found[1].1.as_deref().is_some_and(|h| h.contains("write `labels.brand is set`")), "{found:?}");
    }

    #[test]
    fn a_quoted_null_and_other_words_are_left_alone() {
        assert!(found(
            "rule a { allow contact for marketing when consent.source == \"null\" }\n\
             rule b { allow contact for marketing when consent.source == nullable or labels.brand == none }\n",
        )
        .is_empty());
    }

    #[test]
    fn an_ignore_comment_accepts_it() {
        assert!(found(
            "# lagom: ignore null_comparison\nrule a { allow contact for marketing when consent.source == null }\n"
        )
        .is_empty());
    }
}
