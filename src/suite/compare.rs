//! A decision against a test's expectations: the differences, as typed mismatches that the
//! reports put in words.

use super::campaigns::{Invalid, Settled};
use super::format::{Expect, Expected, UseExpect, UseKey};
use super::{Blocker, DecidedUse, ExpectedList, Mismatch, UseOutcome};
use crate::campaign::Located;
use crate::eval::{CampaignDecision, CompiledPolicy, Decision, Outcome, UseDecision};
use crate::source::Span;

/// A difference, with the expectation it is about when that has a place (an empty list has
/// none; then the test's name stands for it).
pub(super) type Found = (Option<Span>, Mismatch);

/// Every difference between what happened and what was expected; empty when the test passes.
pub(super) fn differences(policy: &CompiledPolicy, actual: &Settled, expect: &Expect) -> Vec<Found> {
    let decided = match actual {
        Settled::Invalid(inv) => {
            // `errors` expects an invalid campaign as `decision: invalid` does.
            return match expect.decision.as_ref().map(|d| d.value) {
                Some(Expected::Invalid) => expected_of_invalid(expect, inv),
                None if expect.errors.is_some() => expected_of_invalid(expect, inv),
                expected => {
                    let first_problem = inv.first_problem.clone();
                    let at = expect.decision.as_ref().map(|d| d.span);
                    vec![(at, Mismatch::Invalid { expected, first_problem })]
                }
            };
        }
        Settled::Decided(d) => d,
    };
    let d = &decided.decision;
    let mut out = Vec::new();
    if let Some(e) = expect.decision.as_ref().filter(|e| e.value != expected_of(d.decision)) {
        let blockers = decided.blockers(policy);
        out.push((Some(e.span), Mismatch::Decision { expected: e.value, got: d.decision, blockers }));
    }
    let (rules, warnings) =
        (policy.policy.rule_names(&d.campaign_rules), policy.policy.rule_names(&d.campaign_warnings));
    list(&mut out, ExpectedList::CampaignRules, &expect.campaign_rules, rules);
    list(&mut out, ExpectedList::CampaignWarnings, &expect.campaign_warnings, warnings);
    for u in &expect.uses {
        uses(&mut out, policy, d, u);
    }
    // A decided campaign has no problems.
    list(&mut out, ExpectedList::Errors, &expect.errors, Vec::new());
    out
}

/// How a test writes a decision: campaigns and uses are compared as decisions, not as words.
fn expected_of(d: Decision) -> Expected {
    match d {
        Decision::Allow => Expected::Allow,
        Decision::Block => Expected::Block,
    }
}

/// What a test expects of a campaign beyond `decision: invalid`, which an invalid campaign
/// cannot give: it has no campaign-level rules, warnings or decided uses; and the codes of its
/// problems.
fn expected_of_invalid(expect: &Expect, inv: &Invalid) -> Vec<Found> {
    let mut out = Vec::new();
    list(&mut out, ExpectedList::Errors, &expect.errors, inv.codes.clone());
    list(&mut out, ExpectedList::CampaignRules, &expect.campaign_rules, Vec::new());
    list(&mut out, ExpectedList::CampaignWarnings, &expect.campaign_warnings, Vec::new());
    for u in &expect.uses {
        out.push((Some(u.key.span), Mismatch::NoUseDecided { key: u.key.value.clone() }));
    }
    out
}

/// A list of rules against the rules that applied (`got`, sorted); the difference is placed at
/// the list.
fn list(out: &mut Vec<Found>, which: ExpectedList, expected: &Option<Located<Vec<Located<String>>>>, got: Vec<String>) {
    let Some(expected) = expected else { return };
    let mut want: Vec<String> = expected.value.iter().map(|l| l.value.clone()).collect();
    want.sort();
    want.dedup();
    if want != got {
        out.push((Some(expected.span), Mismatch::Rules { list: which, expected: want, got }));
    }
}

/// What blocked a campaign: its campaign rules and each blocked use; nothing when allowed.
pub(super) fn blockers(policy: &CompiledPolicy, d: &CampaignDecision) -> Vec<Blocker> {
    match d.decision {
        Decision::Allow => Vec::new(),
        Decision::Block => {
            let campaign =
                (!d.campaign_rules.is_empty()).then(|| Blocker::Campaign(policy.policy.rule_names(&d.campaign_rules)));
            let uses = d
                .uses
                .iter()
                .filter(|u| u.outcome.decision() == Decision::Block)
                .map(|u| Blocker::Use(decided_use(policy, u), use_outcome(policy, &u.outcome)));
            campaign.into_iter().chain(uses).collect()
        }
    }
}

fn decided_use(policy: &CompiledPolicy, u: &UseDecision) -> DecidedUse {
    DecidedUse { index: u.index, category: policy.policy.category_path(u.category).to_string() }
}

/// A use's outcome with its rules by name.
fn use_outcome(policy: &CompiledPolicy, o: &Outcome) -> UseOutcome {
    match o {
        Outcome::BlockedBy(r) => UseOutcome::BlockedBy(policy.policy.rule_names(r)),
        Outcome::AllowedBy(r) => UseOutcome::AllowedBy(policy.policy.rule_names(r)),
        Outcome::NotAllowed => UseOutcome::NotAllowed,
    }
}

fn uses(out: &mut Vec<Found>, policy: &CompiledPolicy, d: &CampaignDecision, e: &UseExpect) {
    let matching: Vec<&UseDecision> = match &e.key.value {
        UseKey::Index(i) => d.uses.iter().filter(|u| u.index == *i).collect(),
        UseKey::Category(c) => d.uses.iter().filter(|u| policy.policy.category_path(u.category) == c).collect(),
    };
    if matching.is_empty() {
        out.push((Some(e.key.span), Mismatch::NoSuchUse { key: e.key.value.clone(), uses: d.uses.len() }));
        return;
    }
    for u in matching {
        let of = decided_use(policy, u);
        if let Some(want) = e.decision.as_ref().filter(|w| w.value != expected_of(u.outcome.decision())) {
            let got = use_outcome(policy, &u.outcome);
            out.push((Some(want.span), Mismatch::UseDecision { of: of.clone(), expected: want.value, got }));
        }
        list(out, ExpectedList::UseRules(of.clone()), &e.rules, policy.policy.rule_names(u.outcome.rules()));
        list(out, ExpectedList::UseWarnings(of), &e.warnings, policy.policy.rule_names(&u.warnings));
    }
}
