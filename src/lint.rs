//! Static warnings about a checked policy, shown by `lagom validate`: things that are legal in
//! the language but almost certainly not what the authors meant. Each class is one module;
//! what each can and cannot see is written at its top.
//!
//! A warning is silenced by a comment `# lagom: ignore CODE` (e.g. `retention_overlap`) on
//! any line of the declaration the warning points into, or in the comment lines directly
//! above that declaration (the first on its line); see `ignore.rs`.

mod empty;
mod exact;
mod field_text;
mod ignore;
mod never;
mod null;
mod reach;
mod reason;
mod retention;
mod sets;
mod shadow;
mod within;

use fixedbitset::FixedBitSet;

use crate::diagnostic::{sort_problems, Code, Problem};
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::policy::{CategoryId, CheckedPolicy, CheckedRule, CheckedTest, Cond, FieldUse, PurposeId, Targets};
use crate::source::Span;

/// Every static warning about a policy, sorted by file and position.
///
/// ```
/// let text = b"category contact\npurpose marketing\nset unused = [a]\nrule r { allow contact for marketing }\n";
/// let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
///     relative: "p.policy".into(), display: "p.policy".into(), bytes: text.to_vec(),
/// }]).unwrap();
/// let warnings = lagom::lint::lint(&policy);
/// assert_eq!(warnings.len(), 1);
/// assert_eq!(warnings[0].code.as_str(), "lagom::unused_set");
/// ```
pub fn lint(policy: &CheckedPolicy) -> Vec<Problem> {
    let mut out = Vec::new();
    shadow::check(policy, &mut out);
    never::check(policy, &mut out);
    exact::check(policy, &mut out);
    field_text::check(policy, &mut out);
    null::check(policy, &mut out);
    reach::check(policy, &mut out);
    reason::check(policy, &mut out);
    retention::check(policy, &mut out);
    sets::check(policy, &mut out);
    sets::members(policy, &mut out);
    within::check(policy, &mut out);
    empty::check(policy, &mut out);
    let ignores = ignore::Ignores::new(policy);
    out.retain(|p| !ignores.silences(p));
    out.extend(ignores.into_problems());
    out.extend(policy.skipped.iter().map(|name| skipped_file(name)));
    sort_problems(&mut out, &policy.sources);
    out
}

/// The warning for a file below a policy folder named like a policy file that is not one: its
/// rules, if it holds any, are not enforced. No comment silences it (it has no place in a
/// file read); renaming or moving the file does.
fn skipped_file(name: &str) -> Problem {
    Problem::in_file(
        Code::SkippedFile,
        name,
        format!("skipped `{name}`: only files ending in `.policy` are read as part of a policy"),
    )
    .with_help(
        "rename it to end in `.policy` if its declarations belong to the policy, or move it out of the policy \
         folder if they do not",
    )
}

/// Calls `f` with every test of every rule's condition (those inside `any` / `all` too), in
/// rule order: for the lints that judge one test at a time.
fn each_test(policy: &CheckedPolicy, mut f: impl FnMut(Span, &FieldUse, &CheckedTest)) {
    each_rule_test(policy, |_, _, span, field, test| f(span, field, test));
}

/// [`each_test`] with the rule each test is in, and whether the test is inside `any` / `all`
/// (where it reads a list element's fields, which the rule's scope does not bound): for the
/// lints that judge a test by its rule.
fn each_rule_test(policy: &CheckedPolicy, mut f: impl FnMut(&CheckedRule, Quantified, Span, &FieldUse, &CheckedTest)) {
    fn visit(cond: &Cond, inside: Quantified, f: &mut dyn FnMut(Quantified, Span, &FieldUse, &CheckedTest)) {
        match cond {
            Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| visit(c, inside, f)),
            Cond::Not(inner) => visit(inner, inside, f),
            Cond::Quant { body, .. } => visit(body, Quantified::Yes, f),
            Cond::Test { span, field, test } => f(inside, *span, field, test),
        }
    }
    for rule in &policy.rules {
        if let Some(condition) = &rule.condition {
            visit(condition, Quantified::No, &mut |inside, span, field, test| f(rule, inside, span, field, test));
        }
    }
}

/// Whether a test is inside `any` / `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantified {
    /// A test of the use or campaign the rule is about.
    No,
    /// A test of a list element's fields (`any data (purpose == marketing)`).
    Yes,
}

/// Whether a test as written ends with a closing quote (`== "null"`): text in quotes is taken
/// as meant by the lints that question a bare word.
fn ends_quoted(policy: &CheckedPolicy, span: Span) -> bool {
    let text = policy.sources.text(span);
    text.is_some_and(|t| t.trim_end().ends_with('"'))
}

/// The categories one side of a scope covers (each named category and everything under it).
fn category_cover(policy: &CheckedPolicy, t: &Targets<CategoryId>) -> FixedBitSet {
    cover(t, &policy.categories)
}

/// The purposes one side of a scope covers.
fn purpose_cover(policy: &CheckedPolicy, t: &Targets<PurposeId>) -> FixedBitSet {
    cover(t, &policy.purposes)
}

/// A bitset over node indices, as the lints combine covers by set operations.
fn cover<Id: TaxonId>(t: &Targets<Id>, tax: &Taxonomy<Id>) -> FixedBitSet {
    match t.ids() {
        None => {
            let mut all = FixedBitSet::with_capacity(tax.len());
            all.insert_range(..);
            all
        }
        Some(ids) => tax.under_any_bits(ids.iter().copied()),
    }
}

#[cfg(test)]
mod testing {
    use crate::diagnostic::{Code, Problem};
    use crate::policy::{load_texts, CheckedPolicy, PolicyText};

    pub(super) const BASE: &str = "basis consent, contract, legitimate_interests\nchannel email, sms\n\
        category contact { category email category phone }\ncategory behaviour { category browsing }\n\
        category special { category health }\n\
        purpose marketing { purpose newsletter purpose profiling }\npurpose analytics { purpose measurement }\n";

    pub(super) fn policy(rules: &str) -> CheckedPolicy {
        let text = format!("{BASE}{rules}");
        let file = PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes: text.into_bytes() };
        load_texts(vec![file]).unwrap_or_else(|e| panic!("{:?}", e.problems))
    }

    /// The warnings of one class.
    pub(super) fn warnings(code: Code, rules: &str) -> Vec<Problem> {
        super::lint(&policy(rules)).into_iter().filter(|p| p.code == code).collect()
    }

    /// The messages of one warning class.
    pub(super) fn messages(code: Code, rules: &str) -> Vec<String> {
        warnings(code, rules).into_iter().map(|p| p.message).collect()
    }

    /// The messages of one warning class, each with its help (`""` when it has none).
    pub(super) fn messages_and_helps(code: Code, rules: &str) -> Vec<(String, String)> {
        warnings(code, rules).into_iter().map(|p| (p.message, p.help.unwrap_or_default())).collect()
    }
}
