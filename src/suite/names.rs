//! The rules and categories a test names that its policy lacks, and rules named in a list
//! they never appear in: such a test cannot pass, and is reported instead of run.

use super::format::{self, TestFile};

use crate::campaign::Located;
use crate::diagnostic::{did_you_mean, Code, Problem};
use crate::policy::CheckedPolicy;

/// Leaves out of a test file the tests that name rules or categories its policy lacks, and
/// returns the problems of those and of its broken tests.
pub(super) fn keep_runnable(file: &mut TestFile, policy: &CheckedPolicy) -> Vec<Problem> {
    let mut problems = std::mem::take(&mut file.broken);
    for expect in &file.broken_expects {
        problems.extend(unknown_names(expect, policy));
    }
    file.tests.retain(|t| {
        let unknown = unknown_names(&t.expect, policy);
        problems.extend_from_slice(&unknown);
        unknown.is_empty()
    });
    problems
}

/// Which list of an expectation a rule is named in: each holds one kind of rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleList {
    CampaignRules,
    CampaignWarnings,
    UseRules,
    UseWarnings,
}

impl RuleList {
    fn key(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "campaign_rules",
            RuleList::CampaignWarnings => "campaign_warnings",
            RuleList::UseRules => "rules",
            RuleList::UseWarnings => "warnings",
        }
    }

    /// The rules that can appear in the list, as a help names them.
    fn rules(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "campaign-level deny rules",
            RuleList::CampaignWarnings => "campaign-level warn rules",
            RuleList::UseRules => "per-use allow, deny and retain rules",
            RuleList::UseWarnings => "per-use warn rules",
        }
    }

    /// The list a rule belongs in, by its scope and effect.
    fn of(rule: &crate::policy::CheckedRule) -> RuleList {
        let warns = rule.effect == crate::policy::RuleEffect::Warn;
        match (&rule.scope, warns) {
            (crate::policy::RuleScope::Campaign { .. }, false) => RuleList::CampaignRules,
            (crate::policy::RuleScope::Campaign { .. }, true) => RuleList::CampaignWarnings,
            (crate::policy::RuleScope::Uses { .. }, false) => RuleList::UseRules,
            (crate::policy::RuleScope::Uses { .. }, true) => RuleList::UseWarnings,
        }
    }

    /// What a rule is, in the words that say which list it belongs in: its level and effect.
    fn describe(rule: &crate::policy::CheckedRule) -> String {
        use crate::policy::RuleEffect;
        let level = match rule.scope {
            crate::policy::RuleScope::Campaign { .. } => "a campaign-level",
            crate::policy::RuleScope::Uses { .. } => "a per-use",
        };
        let effect = match rule.effect {
            RuleEffect::Allow => "allow",
            RuleEffect::Deny => "deny",
            RuleEffect::Warn => "warn",
            RuleEffect::Retain(_) => "retain",
        };
        format!("{level} {effect} rule")
    }

    fn place(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "list it under `campaign_rules`",
            RuleList::CampaignWarnings => "list it under `campaign_warnings`",
            RuleList::UseRules => "list it under the `rules` of the use it decides",
            RuleList::UseWarnings => "list it under the `warnings` of the use it warns about",
        }
    }
}

/// The rules and categories a test names that its policy does not have, and rules named in
/// a list they can never appear in (a per-use rule among `campaign_rules`: the test could
/// never pass, and would only say "expected \[x\], got \[\]").
fn unknown_names(e: &format::Expect, policy: &CheckedPolicy) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut rule = |n: &Located<String>, list: RuleList| match policy.rule_named(&n.value) {
        None => {
            // Only rules that can appear in this list are suggested: another kind would be the
            // next error ("it never appears in `warnings`").
            let names = policy.rules.iter().filter(|r| RuleList::of(r) == list).map(|r| r.name.as_str());
            problems.push(
                Problem::at(Code::UnknownName, n.span, format!("the policy has no rule `{}`", n.value), "unknown rule")
                    .with_help(did_you_mean(&n.value, list.rules(), names)),
            );
        }
        Some(r) => {
            let belongs = RuleList::of(r);
            if belongs != list {
                problems.push(
                    Problem::at(
                        Code::Type,
                        n.span,
                        format!("`{}` is {}: it never appears in `{}`", n.value, RuleList::describe(r), list.key()),
                        "wrong list",
                    )
                    .with_help(belongs.place()),
                );
            }
        }
    };
    e.campaign_rules.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::CampaignRules));
    e.campaign_warnings.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::CampaignWarnings));
    for u in &e.uses {
        u.rules.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::UseRules));
        u.warnings.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::UseWarnings));
    }
    for u in &e.uses {
        if let format::UseKey::Category(c) = &u.key.value {
            if let Err(unknown) = policy.categories.resolve(c, "categories") {
                problems.push(
                    Problem::at(Code::UnknownName, u.key.span, format!("unknown category `{c}`"), "not a category")
                        .with_help(unknown.into_help()),
                );
            }
        }
    }
    problems
}
