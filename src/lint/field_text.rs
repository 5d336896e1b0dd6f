//! A field's name where a value is due: `rights.erasure == rights.contact` compares with the
//! text "rights.contact", not with the other field (the language compares a field with values,
//! never two fields), so it is false for every campaign whose erasure contact is not literally
//! that text. Only a dotted name that names a field is reported: a single word such as `owner`
//! is as likely a value as a field, and a quoted `"rights.contact"` is taken as meant.

use super::{each_test, ends_quoted};
use crate::diagnostic::{Code, Problem};
use crate::policy::fields::{resolve, Context};
use crate::policy::{CheckedPolicy, CheckedTest, Literal};

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    each_test(policy, |span, field, test| {
        let (op, text) = match test {
            CheckedTest::Equals { value: Literal::Text(t), negated } => (if *negated { "!=" } else { "==" }, t),
            CheckedTest::Contains(Literal::Text(t)) => ("contains", t),
            _ => return,
        };
        if !names_field(text) || ends_quoted(policy, span) {
            return;
        }
        out.push(
            Problem::at(
                Code::FieldAsText,
                span,
                format!("`{text}` is read as the text \"{text}\", not as the field `{text}`"),
                "a field's name as a value",
            )
            .with_help(format!(
                "a test compares `{}` with a value, never with another field; write the value `{}` \
                 must {} (a name or a quoted string), or quote `\"{text}\"` if that text is meant",
                field.text,
                field.text,
                if op == "contains" { "contain" } else { "equal" }
            )),
        );
    });
}

/// Whether a value is spelt as a dotted field name (`rights.contact`, `labels.brand`).
fn names_field(text: &str) -> bool {
    text.contains('.') && [Context::Use, Context::Processor, Context::DataUse].iter().any(|&c| resolve(text, c).is_ok())
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages;
    use crate::diagnostic::Code;

    #[test]
    fn a_field_name_where_a_value_is_due_is_reported() {
        assert_eq!(
            messages(
                Code::FieldAsText,
                "rule a { allow contact for marketing when rights.erasure == rights.contact }\n\
                 rule b { allow contact for marketing when any processors (safeguard != labels.safeguard) }\n\
                 rule c { allow contact for marketing when audience.subjects contains audience.min_age }\n"
            ),
            [
                "`rights.contact` is read as the text \"rights.contact\", not as the field `rights.contact`",
                "`labels.safeguard` is read as the text \"labels.safeguard\", not as the field `labels.safeguard`",
                "`audience.min_age` is read as the text \"audience.min_age\", not as the field `audience.min_age`",
            ]
        );
    }

    #[test]
    fn values_and_quoted_names_are_left_alone() {
        assert!(messages(
            Code::FieldAsText,
            "rule a { allow contact for marketing when rights.erasure == \"rights.contact\" }\n\
             rule b { allow contact for marketing when owner == marketing_team and consent.source == example.com }\n\
             rule c { allow contact for marketing when owner == name }\n"
        )
        .is_empty());
    }

    #[test]
    fn an_ignore_comment_accepts_it() {
        assert!(messages(Code::FieldAsText,
            "# lagom: ignore field_as_text\nrule a { allow contact for marketing when rights.erasure == rights.contact }\n"
        )
        .is_empty());
    }
}
