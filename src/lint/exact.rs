//! `==` or `in` with a category or purpose that has others under it: `purpose == marketing`
//! is true for a use whose purpose is `marketing` itself, never for `marketing.newsletter`,
//! while a reader of the rule (and most campaigns, which name the most specific purpose)
//! take it to mean the whole branch. A deny written so lets the branch through.
//!
//! Only names the rule's own scope can reach are reported: where the scope leaves the name
//! out, `never_applies` already says the test can never pass. A name with nothing under it is
//! exact either way, and `under` (`purpose under marketing`) is what the warning suggests.

use super::{category_cover, each_rule_test, purpose_cover, Quantified};
use crate::diagnostic::{join_list, Code, Problem};
use crate::policy::taxonomy::TaxonId;
use crate::policy::{CheckedPolicy, CheckedRule, CheckedTest, FieldUse, Literal, RuleScope};
use crate::source::Span;

/// Reports each `==`, `!=`, `in` or `not in` test of a category or purpose field against a
/// name that has others under it, once per test.
pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    each_rule_test(policy, |rule, inside, span, field, test| {
        let (values, negated): (&[Literal], bool) = match test {
            CheckedTest::Equals { value, negated } => (std::slice::from_ref(value), *negated),
            CheckedTest::In { values, negated } => (values, *negated),
            _ => return,
        };
        let mut parents = Vec::new();
        let mut others = Vec::new();
        for value in values {
            match (path(policy, value), is_parent(policy, rule, inside, value)) {
                (Some(name), true) => parents.push(name),
                (Some(name), false) => others.push(name),
                (None, _) => return,
            }
        }
        if !parents.is_empty() {
            out.push(warning(span, field, &parents, &others, negated));
        }
    });
}

/// The path of a category or purpose value.
fn path(policy: &CheckedPolicy, value: &Literal) -> Option<String> {
    match value {
        Literal::Purpose(p) => Some(policy.purposes.path(*p).to_string()),
        Literal::Category(c) => Some(policy.categories.path(*c).to_string()),
        _ => None,
    }
}

/// Whether `value` is a category or purpose with others under it that the test can meet: any
/// inside `any` / `all`, else one the rule's scope reaches.
fn is_parent(policy: &CheckedPolicy, rule: &CheckedRule, inside: Quantified, value: &Literal) -> bool {
    let (categories, purposes) = match &rule.scope {
        RuleScope::Uses { categories, purposes } => (Some(categories), purposes),
        RuleScope::Campaign { purposes } => (None, purposes),
    };
    let quantified = inside == Quantified::Yes;
    match value {
        Literal::Purpose(p) => {
            (quantified || purpose_cover(policy, purposes).contains(p.index() as usize))
                && policy.purposes.has_children(*p)
        }
        Literal::Category(c) => {
            let reached =
                quantified || categories.is_none_or(|t| category_cover(policy, t).contains(c.index() as usize));
            reached && policy.categories.has_children(*c)
        }
        _ => false,
    }
}

/// The warning, with the test that means what a reader takes the written one to mean: each
/// parent by `under`, the other names kept, and `!=` / `not in` kept negative.
fn warning(span: Span, field: &FieldUse, parents: &[String], others: &[String], negated: bool) -> Problem {
    let f = &field.text;
    let mut terms: Vec<String> = parents.iter().map(|p| format!("{f} under {p}")).collect();
    match others {
        [] => {}
        [one] => terms.push(format!("{f} == {one}")),
        _ => terms.push(format!("{f} in [{}]", others.join(", "))),
    }
    let meant = match (terms.as_slice(), negated) {
        ([one], false) => one.clone(),
        ([one], true) => format!("not {one}"),
        // In brackets, so that the text can stand where the test stood: beside an `and`,
        // `a or b` unbracketed would read `a or (b and …)`.
        (_, false) => format!("({})", terms.join(" or ")),
        (_, true) => format!("not ({})", terms.join(" or ")),
    };
    let names: Vec<String> = parents.iter().map(|p| format!("`{p}`")).collect();
    let (them, itself) = match parents {
        [_] => ("it", "itself"),
        _ => ("them", "themselves"),
    };
    Problem::at(
        Code::ExactParent,
        span,
        format!(
            "`{f}` is compared exactly with {}: only {itself}, never what is under {them}",
            join_list(&names, "and")
        ),
        "exact",
    )
    .with_help(format!(
        "to include what is under {them}, write `{meant}`; if only {} {itself} {} meant, say so with `# lagom: ignore \
         exact_parent`",
        join_list(&names, "and"),
        if parents.len() == 1 { "is" } else { "are" }
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages_and_helps;
    use crate::diagnostic::Code;

    fn exact(rules: &str) -> Vec<(String, String)> {
        messages_and_helps(Code::ExactParent, rules)
    }

    /// `purpose == marketing` in a rule for every purpose lets `marketing.newsletter` through
    /// a deny: it is told to write `under`, keeping a negative test negative and every name.
    #[test]
    fn an_exact_test_of_a_parent_the_scope_reaches_is_reported() {
        let found =
            exact("rule ok { allow * for * }\nrule r { deny contact for * when purpose == marketing because \"x\" }");
        assert_eq!(
            found,
            [(
                "`purpose` is compared exactly with `marketing`: only itself, never what is under it".to_string(),
                "to include what is under it, write `purpose under marketing`; if only `marketing` itself is meant, \
                 say so with `# lagom: ignore exact_parent`"
                    .to_string()
            )]
        );
        let help = |rule: &str| exact(rule).into_iter().map(|(_, help)| help).collect::<Vec<_>>();
        let meant = |rule: &str| {
            let help = help(rule);
            assert_eq!(help.len(), 1, "{rule}");
            help[0].split('`').nth(1).unwrap_or_default().to_string()
        };
        // `!=` and `not in` were told `purpose under analytics`, the opposite test.
        assert_eq!(
            meant("rule r { deny contact for * when purpose != analytics because \"x\" }"),
            "not purpose under analytics"
        );
        assert_eq!(
            meant("rule r { deny contact for * when purpose not in [analytics] because \"x\" }"),
            "not purpose under analytics"
        );
        // Every parent, and the names that are no parents kept.
        assert_eq!(
            meant(
                "rule r { deny * for marketing when category in [contact, behaviour, special.health] because \"x\" }"
            ),
            "(category under contact or category under behaviour or category == special.health)"
        );
        assert_eq!(
            meant("rule r { deny * for marketing when category not in [contact, special.health, behaviour.browsing] because \"x\" }"),
            "not (category under contact or category in [special.health, behaviour.browsing])"
        );
        // Pasted where the test stood, beside an `and`, the text keeps the `and` around it.
        assert_eq!(
            meant("rule r { allow * for * when purpose in [marketing, analytics] and rights.unsubscribe }"),
            "(purpose under marketing or purpose under analytics)"
        );
        // Inside `any`, the use's purpose is any purpose, whatever the rule's own scope.
        assert_eq!(
            meant("rule r { deny campaign for analytics when any data (purpose == marketing) because \"x\" }"),
            "purpose under marketing"
        );
        assert_eq!(exact("rule r { deny campaign for * unless purpose != analytics because \"x\" }").len(), 1);
    }

    /// A name with nothing under it is exact either way; `under` is what is meant; a name the
    /// scope leaves out is `never_applies`'s to report.
    #[test]
    fn leaves_under_and_names_out_of_scope_are_not_reported() {
        for rule in [
            "rule r { deny contact for * when purpose == marketing.newsletter because \"x\" }",
            "rule r { deny contact for * when purpose under marketing because \"x\" }",
            "rule r { deny contact for * when category == contact.email because \"x\" }",
            "rule r { deny contact for analytics when purpose == marketing because \"x\" }",
            "rule r { deny contact for marketing.newsletter when purpose == marketing because \"x\" }",
        ] {
            assert_eq!(exact(rule), [], "{rule}");
        }
    }
}
