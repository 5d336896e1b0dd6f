//! Rules that block, cap or warn without saying why: their finding is what a marketer reads
//! when a campaign fails, and without a `because` it says only "rule `x` denies this". The
//! language leaves `because` optional (spec 1), so this is a warning, not an error. Allow
//! rules are left alone: nobody is stopped by them. A `cite` given empty is reported on every
//! rule: it says the rule rests on the law and names none.

use crate::chars::is_blank;
use crate::diagnostic::{Code, Problem};
use crate::policy::{CheckedPolicy, RuleEffect};

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    for rule in &policy.rules {
        if rule.cite.as_deref().is_some_and(is_blank) {
            let message = format!("rule `{}` gives an empty citation", rule.name);
            out.push(
                Problem::at(Code::MissingReason, rule.span, message, "its `cite` is empty").with_help(
                    "name the provision the rule rests on (`cite \"GDPR Art. 6(1)(a)\"`), or leave `cite` out",
                ),
            );
        }
        let what = match rule.effect {
            RuleEffect::Allow => continue,
            RuleEffect::Deny => "blocks",
            RuleEffect::Warn => "warns",
            RuleEffect::Retain(_) => "caps retention",
        };
        let (message, label) = match rule.because.as_deref() {
            Some(reason) if !is_blank(reason) => continue,
            Some(_) => (format!("rule `{}` {what} with an empty reason", rule.name), "its `because` is empty"),
            None => (format!("rule `{}` {what} without a reason", rule.name), "no `because`"),
        };
        out.push(Problem::at(Code::MissingReason, rule.span, message, label).with_help(
            "add `because \"…\"` in words a marketer understands: it is the message shown where this rule applies",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages;
    use crate::diagnostic::Code;

    #[test]
    fn rules_that_stop_or_warn_without_a_reason_are_reported() {
        let rules = "rule a { allow contact for marketing }\n\
                     rule d { deny contact.phone for marketing }\n\
                     rule e { deny campaign for marketing unless rights.unsubscribe because \"\" }\n\
                     rule r { retain * for * at most 2 years because \" \\t\" cite \"Art. 5(1)(e)\" }\n\
                     rule w { warn * for analytics because \"Analytics needs a review.\" }\n";
        assert_eq!(
            messages(Code::MissingReason, rules),
            [
                "rule `d` blocks without a reason",
                "rule `e` blocks with an empty reason",
                "rule `r` caps retention with an empty reason",
            ]
        );
    }

    #[test]
    fn an_empty_citation_is_reported_on_any_rule() {
        let rules = "rule a { allow contact for marketing cite \"\" }\n\
                     rule d { deny contact.phone for marketing because \"No phones.\" cite \" \" }\n\
                     rule e { deny contact for marketing because \"No.\" cite \"GDPR Art. 21(2)\" }\n";
        assert_eq!(
            messages(Code::MissingReason, rules),
            ["rule `a` gives an empty citation", "rule `d` gives an empty citation"]
        );
    }

    #[test]
    fn an_ignore_comment_accepts_a_rule_without_a_reason() {
        assert!(messages(
            Code::MissingReason,
            "# lagom: ignore missing_reason\nrule d { deny contact.phone for marketing }\n"
        )
        .is_empty());
    }
}
