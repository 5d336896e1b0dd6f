//! The plain evaluator: spec section 3 transcribed as directly as possible, kept as the test
//! oracle for the compiled one ([`CompiledPolicy::decide`](super::CompiledPolicy::decide)).
//!
//! It has no index and no compiled conditions: for every use it scans every rule, tests the
//! scope with `⊑` against the rule's own targets, and evaluates conditions with the reference
//! tree interpreter over the campaign's strings. It is slow on purpose; property tests check
//! that the fast evaluator returns exactly the same [`CampaignDecision`], findings included.

use super::condition::{eval, name_missing_retention, unknown_fields, NoObserver, Scope};
use super::decision::*;
use super::truth::Truth;
use crate::campaign::{Campaign, DataUse};
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::policy::{CheckedPolicy, CheckedRule, PurposeId, RuleEffect, RuleId, RuleScope, Targets};

/// Decides a campaign the slow, obvious way.
///
/// ```
/// let text = b"basis consent\ncategory contact\npurpose marketing\nrule ok { allow contact for marketing }\n";
/// let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
///     relative: "p.policy".into(), display: "p.policy".into(), bytes: text.to_vec(),
/// }]).unwrap();
/// let yaml = "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact\n";
/// let file = lagom::source::SourceFile::new("c.yaml", yaml);
/// let campaign = lagom::campaign::read(lagom::source::FileId(1), &file, &policy).unwrap();
/// let slow = lagom::eval::oracle::decide(&policy, &campaign);
/// let fast = lagom::eval::CompiledPolicy::new(policy).decide(&campaign);
/// assert_eq!(slow, fast);
/// ```
pub fn decide(policy: &CheckedPolicy, campaign: &Campaign) -> CampaignDecision {
    let campaign_purpose = campaign.purpose.as_ref().map(|p| p.value);
    let mut uses = Vec::new();
    let mut undecided = false;
    for (index, u) in campaign.data.iter().enumerate() {
        // A use without an effective purpose cannot be decided (`campaign::read` calls such a
        // campaign invalid); one built by hand is blocked rather than let through.
        let Some(purpose) = u.purpose.as_ref().map(|p| p.value).or(campaign_purpose) else {
            undecided = true;
            continue;
        };
        uses.push(decide_use(policy, campaign, index, u, purpose));
    }

    // Every distinct effective purpose; the campaign's own always counts.
    let mut purposes: Vec<PurposeId> = campaign_purpose.into_iter().chain(uses.iter().map(|u| u.purpose)).collect();
    purposes.sort_unstable();
    purposes.dedup();

    let mut campaign_rules = Vec::new();
    let mut campaign_warnings = Vec::new();
    let mut campaign_findings = Vec::new();
    for (i, rule) in policy.rules.iter().enumerate() {
        let id = RuleId(i as u32);
        let RuleScope::Campaign { purposes: targets } = &rule.scope else { continue };
        // Listed once: at the first purpose where the condition is true, else the first where
        // it is unknown.
        let applied: Vec<(PurposeId, Truth)> = purposes
            .iter()
            .filter(|&&p| targets.holds(&policy.purposes, p))
            .map(|&p| (p, condition(policy, rule, Scope::Campaign { campaign, purpose: p })))
            .filter(|&(_, truth)| truth != Truth::False)
            .collect();
        let chosen = applied.iter().find(|(_, t)| *t == Truth::True).or(applied.first());
        if let Some(&(p, truth)) = chosen {
            let scope = Scope::Campaign { campaign, purpose: p };
            let kind = if rule.effect == RuleEffect::Warn {
                campaign_warnings.push(id);
                FindingKind::Warn
            } else {
                campaign_rules.push(id);
                FindingKind::Deny
            };
            let evidence = super::evidence::rule_evidence(policy, rule, scope, truth);
            campaign_findings.push(Finding {
                rule: id,
                kind,
                unknown: unknown(policy, rule, scope, truth),
                evidence: evidence.places,
                respellings: evidence.respellings,
                category_path: Vec::new(),
                purpose_path: chain(&policy.purposes, targets, p),
            });
        }
    }
    let blocked =
        undecided || !campaign_rules.is_empty() || uses.iter().any(|u| u.outcome.decision() == Decision::Block);
    let mut decision = CampaignDecision {
        decision: if blocked { Decision::Block } else { Decision::Allow },
        uses,
        campaign_rules,
        campaign_warnings,
        campaign_findings,
        spelling_notes: Vec::new(),
    };
    decision.spelling_notes = super::ComparedTexts::of(policy).notes(policy, campaign, &decision);
    decision
}

fn decide_use(
    policy: &CheckedPolicy,
    campaign: &Campaign,
    index: usize,
    u: &DataUse,
    purpose: PurposeId,
) -> UseDecision {
    let category = u.category.value;
    let scope = Scope::Use { campaign, data_use: u, purpose };
    let mut blockers = Vec::new();
    let mut allows = Vec::new();
    let mut unknown_allows = Vec::new();
    let mut warnings = Vec::new();
    for (i, rule) in policy.rules.iter().enumerate() {
        let id = RuleId(i as u32);
        let RuleScope::Uses { categories, purposes } = &rule.scope else { continue };
        if !categories.holds(&policy.categories, category) || !purposes.holds(&policy.purposes, purpose) {
            continue;
        }
        let truth = condition(policy, rule, scope);
        let finding = |kind, unknown| {
            let evidence = match kind {
                FindingKind::Allow => super::evidence::Evidence::default(),
                _ => super::evidence::rule_evidence(policy, rule, scope, truth),
            };
            Finding {
                rule: id,
                respellings: evidence.respellings,
                kind,
                unknown,
                evidence: evidence.places,
                category_path: chain(&policy.categories, categories, category),
                purpose_path: chain(&policy.purposes, purposes, purpose),
            }
        };
        // Allow needs a true condition; deny, warn and retain apply unless it is false.
        match rule.effect {
            RuleEffect::Allow => match truth {
                Truth::True => allows.push(finding(FindingKind::Allow, Vec::new())),
                Truth::Unknown => unknown_allows.push(finding(FindingKind::Allow, unknown(policy, rule, scope, truth))),
                Truth::False => {}
            },
            _ if truth == Truth::False => {}
            RuleEffect::Deny => blockers.push(finding(FindingKind::Deny, unknown(policy, rule, scope, truth))),
            RuleEffect::Warn => warnings.push(finding(FindingKind::Warn, unknown(policy, rule, scope, truth))),
            RuleEffect::Retain(limit) => {
                let declared = u.retention.as_ref().map(|r| r.value);
                let over = match declared {
                    None => true,
                    Some(d) => d > limit,
                };
                if over {
                    let mut fields = unknown(policy, rule, scope, truth);
                    if declared.is_none() {
                        name_missing_retention(&mut fields);
                    }
                    blockers.push(finding(FindingKind::Retain { limit, declared }, fields));
                }
            }
        }
    }
    // Rules were scanned in id order, which is name order, so every list is sorted.
    let (outcome, mut findings) = if !blockers.is_empty() {
        (Outcome::BlockedBy(blockers.iter().map(|f| f.rule).collect()), blockers)
    } else if !allows.is_empty() {
        (Outcome::AllowedBy(allows.iter().map(|f| f.rule).collect()), allows)
    } else {
        (Outcome::NotAllowed, Vec::new())
    };
    if outcome != Outcome::NotAllowed {
        unknown_allows.clear();
    }
    let warning_ids = warnings.iter().map(|f| f.rule).collect();
    findings.extend(warnings);
    UseDecision {
        index,
        category,
        purpose,
        basis: u.basis.as_ref().or(campaign.basis.as_ref()).map(|b| b.value.clone()),
        outcome,
        warnings: warning_ids,
        findings,
        unknown_allows,
    }
}

fn condition(policy: &CheckedPolicy, rule: &CheckedRule, scope: Scope<'_>) -> Truth {
    match &rule.condition {
        None => Truth::True,
        Some(cond) => eval(policy, cond, scope, &mut NoObserver),
    }
}

fn unknown(policy: &CheckedPolicy, rule: &CheckedRule, scope: Scope<'_>, truth: Truth) -> Vec<MissingFact> {
    match (&rule.condition, truth) {
        (Some(cond), Truth::Unknown) => unknown_fields(policy, cond, scope),
        _ => Vec::new(),
    }
}

/// How a node is in one side of a rule's scope: the chain up to the first target it is under,
/// nothing for `*`.
fn chain<Id: TaxonId>(tax: &Taxonomy<Id>, targets: &Targets<Id>, id: Id) -> Vec<Id> {
    let Targets::Some(ts) = targets else { return Vec::new() };
    tax.chain_to_first(id, ts)
}
