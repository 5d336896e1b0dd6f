//! `==` or `in` with a category or purpose that has others under it: `purpose == marketing`
//! is true for a use whose purpose is `marketing` itself, never for `marketing.newsletter`,
//! while a reader of the rule (and most campaigns, which name the most specific purpose)
//! take it to mean the whole branch. A deny written so lets the branch through.
//!
//! Only names the rule's own scope can reach are reported: where the scope leaves the name
//! out, `never_applies` already says the test can never pass. A name with nothing under it is
//! exact either way, and `under` (`purpose under marketing`) is what the warning suggests.

use super::{category_cover, each_rule_test, purpose_cover};
use crate::diagnostic::{Code, Problem};
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::policy::{CheckedPolicy, CheckedRule, CheckedTest, FieldUse, Literal, RuleScope};
use crate::source::Span;

/// Reports each `==`, `!=`, `in` or `not in` test of a category or purpose field against a
/// name that has others under it, once per test.
pub fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    each_rule_test(policy, |rule, span, field, test| {
        let values: &[Literal] = match test {
            CheckedTest::Equals { value, .. } => std::slice::from_ref(value),
            CheckedTest::In { values, .. } => values,
            _ => return,
        };
        let parents: Vec<String> = values.iter().filter_map(|v| parent_in_scope(policy, rule, v)).collect();
        if let Some(first) = parents.first() {
            out.push(warning(span, field, first, parents.len()));
        }
    });
}

/// The path of `value` when it is a category or purpose with others under it that the rule's
/// scope reaches.
fn parent_in_scope(policy: &CheckedPolicy, rule: &CheckedRule, value: &Literal) -> Option<String> {
    let (categories, purposes) = match &rule.scope {
        RuleScope::Uses { categories, purposes } => (Some(categories), purposes),
        RuleScope::Campaign { purposes } => (None, purposes),
    };
    match value {
        Literal::Purpose(p) => {
            let reached = purpose_cover(policy, purposes).contains(p.index() as usize);
            reached.then(|| has_children(&policy.purposes, *p)).flatten()
        }
        Literal::Category(c) => {
            let reached = categories.is_none_or(|t| category_cover(policy, t).contains(c.index() as usize));
            reached.then(|| has_children(&policy.categories, *c)).flatten()
        }
        _ => None,
    }
}

/// The node's path when other nodes are under it.
fn has_children<Id: TaxonId>(taxonomy: &Taxonomy<Id>, id: Id) -> Option<String> {
    (taxonomy.descendant_bits(id).count_ones(..) > 1).then(|| taxonomy.path(id).to_string())
}

fn warning(span: Span, field: &FieldUse, parent: &str, count: usize) -> Problem {
    let named = match count {
        1 => format!("`{parent}`"),
        _ => format!("`{parent}` and {} other names with others under them", count - 1),
    };
    Problem::at(
        Code::ExactParent,
        span,
        format!("`{}` compared with {named} matches only that name itself, never what is under it", field.text),
        "exact",
    )
    .with_help(format!(
        "to include what is under it, write `{} under {parent}` (joined by `or` for several); if only `{parent}` \
         itself is meant, say so with `# lagom: ignore exact_parent`",
        field.text
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    fn exact(rules: &str) -> Vec<(String, String)> {
        warnings(Code::ExactParent, rules).into_iter().map(|p| (p.message, p.help.unwrap_or_default())).collect()
    }

    /// `purpose == marketing` in a rule for every purpose lets `marketing.newsletter` through
    /// a deny: it is told to write `under`.
    #[test]
    fn an_exact_test_of_a_parent_the_scope_reaches_is_reported() {
        let found =
            exact("rule ok { allow * for * }\nrule r { deny contact for * when purpose == marketing because \"x\" }");
        assert_eq!(
            found,
            [(
                "`purpose` compared with `marketing` matches only that name itself, never what is under it".to_string(),
                "to include what is under it, write `purpose under marketing` (joined by `or` for several); if only \
                 `marketing` itself is meant, say so with `# lagom: ignore exact_parent`"
                    .to_string()
            )]
        );
        assert_eq!(
            exact("rule r { deny * for marketing when category in [contact, special.health] because \"x\" }").len(),
            1
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
