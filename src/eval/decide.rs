//! The decision procedure of spec 3.2 and 3.3.

use super::compile::CompiledPolicy;
use super::condition::{eval, NoObserver, Scope, UnknownFields};
use super::decision::*;
use super::truth::Truth;
use crate::campaign::{Campaign, DataUse};
use crate::policy::{CategoryId, PurposeId, RuleEffect, RuleId, RuleScope, Targets};

impl CompiledPolicy {
    /// Decides every use of a campaign and the campaign as a whole.
    pub fn decide(&self, campaign: &Campaign) -> CampaignDecision {
        let campaign_purpose = campaign.purpose.as_ref().map(|p| p.value);
        let uses: Vec<UseDecision> = campaign
            .data
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                let purpose = u.purpose.as_ref().map(|p| p.value).or(campaign_purpose)?;
                Some(self.decide_use(campaign, i, u, purpose))
            })
            .collect();

        // Distinct effective purposes: the campaign's own always counts, even with no data.
        let mut purposes: Vec<PurposeId> = campaign_purpose.into_iter().chain(uses.iter().map(|u| u.purpose)).collect();
        purposes.sort_unstable();
        purposes.dedup();

        let mut campaign_rules = Vec::new();
        let mut campaign_warnings = Vec::new();
        let mut campaign_findings = Vec::new();
        for &rule_id in self.campaign_rules() {
            let Some(rule) = self.policy.rule(rule_id) else { continue };
            for &p in &purposes {
                if !self.covers_purpose(rule_id, p) {
                    continue;
                }
                let scope = Scope::Campaign { campaign, purpose: p };
                let truth = self.truth(rule_id, scope);
                if truth == Truth::False {
                    continue;
                }
                let kind = match rule.effect {
                    RuleEffect::Warn => {
                        campaign_warnings.push(rule_id);
                        FindingKind::Warn
                    }
                    _ => {
                        campaign_rules.push(rule_id);
                        FindingKind::Deny
                    }
                };
                campaign_findings.push(Finding {
                    rule: rule_id,
                    kind,
                    unknown: self.unknown_fields(rule_id, scope, truth),
                    category_path: Vec::new(),
                    purpose_path: self.purpose_path(rule_id, p),
                });
                // One finding per rule, even when it applies at several purposes.
                break;
            }
        }
        let blocked = !campaign_rules.is_empty() || uses.iter().any(|u| u.outcome.decision() == Decision::Block);
        CampaignDecision {
            decision: if blocked { Decision::Block } else { Decision::Allow },
            uses,
            campaign_rules,
            campaign_warnings,
            campaign_findings,
        }
    }

    fn truth(&self, rule: RuleId, scope: Scope<'_>) -> Truth {
        match self.policy.rule(rule).and_then(|r| r.condition.as_ref()) {
            None => Truth::True,
            Some(cond) => eval(&self.policy, cond, scope, &mut NoObserver),
        }
    }

    fn unknown_fields(&self, rule: RuleId, scope: Scope<'_>, truth: Truth) -> Vec<String> {
        if truth != Truth::Unknown {
            return Vec::new();
        }
        let Some(cond) = self.policy.rule(rule).and_then(|r| r.condition.as_ref()) else {
            return Vec::new();
        };
        let mut seen = UnknownFields::default();
        eval(&self.policy, cond, scope, &mut seen);
        seen.0
    }

    fn decide_use(&self, campaign: &Campaign, index: usize, u: &DataUse, purpose: PurposeId) -> UseDecision {
        let category = u.category.value;
        let scope = Scope::Use { campaign, data_use: u, purpose };
        let mut blockers: Vec<Finding> = Vec::new();
        let mut allows: Vec<Finding> = Vec::new();
        let mut warnings: Vec<Finding> = Vec::new();
        for rule_id in self.rules_for(category, purpose) {
            let Some(rule) = self.policy.rule(rule_id) else { continue };
            let truth = self.truth(rule_id, scope);
            let finding = |kind: FindingKind, unknown: Vec<String>| Finding {
                rule: rule_id,
                kind,
                unknown,
                category_path: self.category_path(rule_id, category),
                purpose_path: self.purpose_path(rule_id, purpose),
            };
            match rule.effect {
                RuleEffect::Allow if truth == Truth::True => allows.push(finding(FindingKind::Allow, Vec::new())),
                RuleEffect::Allow => {}
                _ if truth == Truth::False => {}
                RuleEffect::Deny => {
                    blockers.push(finding(FindingKind::Deny, self.unknown_fields(rule_id, scope, truth)))
                }
                RuleEffect::Warn => {
                    warnings.push(finding(FindingKind::Warn, self.unknown_fields(rule_id, scope, truth)))
                }
                RuleEffect::Retain(limit) => {
                    let declared = u.retention.as_ref().map(|r| r.value);
                    if declared.is_none_or(|d| d > limit) {
                        let mut unknown = self.unknown_fields(rule_id, scope, truth);
                        if declared.is_none() {
                            unknown.push("retention".to_string());
                        }
                        blockers.push(finding(FindingKind::Retain { limit, declared }, unknown));
                    }
                }
            }
        }
        // `rules_for` yields ids in name order, so the lists below are already sorted.
        let (outcome, mut findings) = if !blockers.is_empty() {
            (Outcome::BlockedBy(blockers.iter().map(|f| f.rule).collect()), blockers)
        } else if !allows.is_empty() {
            (Outcome::AllowedBy(allows.iter().map(|f| f.rule).collect()), allows)
        } else {
            (Outcome::NotAllowed, Vec::new())
        };
        let warning_ids = warnings.iter().map(|f| f.rule).collect();
        findings.extend(warnings);
        UseDecision {
            index,
            category,
            purpose,
            basis: u.basis.as_ref().or(campaign.basis.as_ref()).map(|b| b.value.clone()).unwrap_or_default(),
            outcome,
            warnings: warning_ids,
            findings,
        }
    }

    pub(super) fn category_path(&self, rule: RuleId, category: CategoryId) -> Vec<CategoryId> {
        let Some(RuleScope::Uses { categories: Targets::Some(cats), .. }) = self.policy.rule(rule).map(|r| &r.scope)
        else {
            return Vec::new();
        };
        let tax = &self.policy.categories;
        cats.iter()
            .find(|c| tax.is_under(category.0, c.0))
            .map(|c| tax.chain(category.0, c.0).into_iter().map(CategoryId).collect())
            .unwrap_or_default()
    }

    pub(super) fn purpose_path(&self, rule: RuleId, purpose: PurposeId) -> Vec<PurposeId> {
        let targets = match self.policy.rule(rule).map(|r| &r.scope) {
            Some(RuleScope::Uses { purposes, .. } | RuleScope::Campaign { purposes }) => purposes,
            None => return Vec::new(),
        };
        let Targets::Some(ps) = targets else { return Vec::new() };
        let tax = &self.policy.purposes;
        ps.iter()
            .find(|p| tax.is_under(purpose.0, p.0))
            .map(|p| tax.chain(purpose.0, p.0).into_iter().map(PurposeId).collect())
            .unwrap_or_default()
    }
}
