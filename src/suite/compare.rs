//! A decision against a test's expectations: the differences, in words.

use super::format::{Expect, Expected, UseExpect, UseKey};
use crate::campaign::{InvalidCampaign, Located};
use crate::eval::{CampaignDecision, CompiledPolicy, Decision, Outcome, UseDecision};
use crate::source::{SourceMap, Span};

/// A difference in words, with the expectation it is about when that has a place (an empty
/// list has none; then the test's name stands for it).
pub(super) type Found = (Option<Span>, String);

/// What a test's campaign came to.
pub(super) enum Actual<'a> {
    /// Read and decided.
    Decided(&'a CampaignDecision),
    /// Not readable under the policy.
    Invalid(&'a InvalidCampaign, &'a SourceMap),
}

/// Every difference between what happened and what was expected; empty when the test passes.
pub(super) fn differences(policy: &CompiledPolicy, actual: &Actual, expect: &Expect) -> Vec<Found> {
    let d = match actual {
        Actual::Invalid(inv, sources) => {
            return match expect.decision.as_ref().map(|d| d.value) {
                Some(Expected::Invalid) => expected_of_invalid(expect),
                expected => {
                    let first = inv.problems.first().map_or_else(String::new, |p| {
                        let l = p.location(sources);
                        format!(": {} ({}:{}:{})", p.message, l.file, l.line, l.column)
                    });
                    let wanted = expected.map_or("a valid campaign", Expected::as_str);
                    let at = expect.decision.as_ref().map(|d| d.span);
                    vec![(at, format!("decision: expected {wanted}, got invalid{first}"))]
                }
            };
        }
        Actual::Decided(d) => d,
    };
    let mut out = Vec::new();
    let got = match d.decision {
        Decision::Allow => Expected::Allow,
        Decision::Block => Expected::Block,
    };
    if let Some(e) = expect.decision.as_ref().filter(|e| e.value != got) {
        let text = format!("decision: expected {}, got {}{}", e.value.as_str(), got.as_str(), why(policy, d));
        out.push((Some(e.span), text));
    }
    let (campaign_rules, campaign_warnings) = (&expect.campaign_rules, &expect.campaign_warnings);
    list(&mut out, "campaign_rules", campaign_rules, &policy.policy.rule_names(&d.campaign_rules));
    list(&mut out, "campaign_warnings", campaign_warnings, &policy.policy.rule_names(&d.campaign_warnings));
    for u in &expect.uses {
        uses(&mut out, policy, d, u);
    }
    out
}

/// What a test expects of a campaign beyond `decision: invalid`, which an invalid campaign
/// cannot give: it has no campaign-level rules, warnings or decided uses.
fn expected_of_invalid(expect: &Expect) -> Vec<Found> {
    let mut out = Vec::new();
    list(&mut out, "campaign_rules", &expect.campaign_rules, &[]);
    list(&mut out, "campaign_warnings", &expect.campaign_warnings, &[]);
    for u in &expect.uses {
        out.push((Some(u.key.span), format!("{}: the campaign is invalid, so no use is decided", use_key(u))));
    }
    out
}

fn use_key(e: &UseExpect) -> String {
    match &e.key.value {
        UseKey::Index(i) => format!("use {i}"),
        UseKey::Category(c) => format!("use of `{c}`"),
    }
}

fn shown(names: &[String]) -> String {
    format!("[{}]", names.join(", "))
}

/// A list of rules against the rules that applied; the difference is placed at the list.
fn list(out: &mut Vec<Found>, what: &str, expected: &Option<Located<Vec<Located<String>>>>, got: &[String]) {
    let Some(expected) = expected else { return };
    let mut want: Vec<String> = expected.value.iter().map(|l| l.value.clone()).collect();
    want.sort();
    want.dedup();
    if want != got {
        out.push((Some(expected.span), format!("{what}: expected {}, got {}", shown(&want), shown(got))));
    }
}

/// Why a campaign is blocked, briefly: the campaign rules and each blocked use.
fn why(policy: &CompiledPolicy, d: &CampaignDecision) -> String {
    if d.decision == Decision::Allow {
        return String::new();
    }
    let mut parts = Vec::new();
    if !d.campaign_rules.is_empty() {
        parts.push(format!("campaign blocked by {}", policy.policy.rule_names(&d.campaign_rules).join(", ")));
    }
    for u in d.uses.iter().filter(|u| u.outcome.decision() == Decision::Block) {
        parts.push(format!("{} blocked{}", use_label(policy, u), by(policy, &u.outcome)));
    }
    format!(" ({})", parts.join("; "))
}

fn use_label(policy: &CompiledPolicy, u: &UseDecision) -> String {
    format!("use {} {}", u.index, policy.policy.category_path(u.category))
}

/// ` by RULES`, or why no rule decided.
fn by(policy: &CompiledPolicy, o: &Outcome) -> String {
    match o {
        Outcome::NotAllowed => ": no rule allows it".to_string(),
        Outcome::BlockedBy(r) | Outcome::AllowedBy(r) => format!(" by {}", policy.policy.rule_names(r).join(", ")),
    }
}

fn uses(out: &mut Vec<Found>, policy: &CompiledPolicy, d: &CampaignDecision, e: &UseExpect) {
    let matching: Vec<&UseDecision> = match &e.key.value {
        UseKey::Index(i) => d.uses.iter().filter(|u| u.index == *i).collect(),
        UseKey::Category(c) => d.uses.iter().filter(|u| policy.policy.category_path(u.category) == c).collect(),
    };
    if matching.is_empty() {
        let count = match d.uses.len() {
            1 => "1 use".to_string(),
            n => format!("{n} uses"),
        };
        out.push((Some(e.key.span), format!("{}: the campaign has no such use ({count})", use_key(e))));
        return;
    }
    for u in matching {
        let label = use_label(policy, u);
        let got = u.outcome.decision();
        if let Some(want) = e.decision.as_ref().filter(|w| w.value.as_str() != got.as_str()) {
            let text = format!(
                "{label}: decision: expected {}, got {}{}",
                want.value.as_str(),
                got.as_str(),
                by(policy, &u.outcome)
            );
            out.push((Some(want.span), text));
        }
        list(out, &format!("{label}: rules"), &e.rules, &policy.policy.rule_names(u.outcome.rules()));
        list(out, &format!("{label}: warnings"), &e.warnings, &policy.policy.rule_names(&u.warnings));
    }
}
