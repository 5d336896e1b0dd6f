//! The decision procedure of spec 3.2 and 3.3, in two layers:
//!
//! * the hot path ([`CompiledPolicy::decide_use`], [`CompiledPolicy::decide_campaign_rules`])
//!   works on interned [`Facts`] and fills reusable [`UseVerdict`] / [`CampaignVerdict`]
//!   buffers with the rules that applied: no allocation once the buffers have grown;
//! * [`CompiledPolicy::decide`] runs it and then builds the findings (taxonomy chains, the
//!   missing fields behind an unknown condition) for the deciding rules and warnings only.

use super::compile::CompiledPolicy;
use super::condition::{name_missing_retention, unknown_fields, Scope};
use super::decision::*;
use super::facts::Facts;
use super::index::{Entry, Memo};
use super::program::{Ctx, Under};
use super::truth::Truth;
use crate::campaign::{Campaign, DataUse};
use crate::policy::{CategoryId, PurposeId, RuleEffect, RuleId, RuleScope, Targets};

/// A rule that applied, with its condition's value (`Unknown` means it applied on a missing
/// fact).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The rule.
    pub rule: RuleId,
    /// Its condition's value.
    pub truth: Truth,
}

/// What the hot path found for one use; reuse one value across calls to avoid allocating.
#[derive(Clone, Debug, Default)]
pub struct UseVerdict {
    blockers: Vec<Applied>,
    allows: Vec<Applied>,
    warnings: Vec<Applied>,
}

impl UseVerdict {
    /// Allow or block.
    pub fn decision(&self) -> Decision {
        if self.blockers.is_empty() && !self.allows.is_empty() {
            Decision::Allow
        } else {
            Decision::Block
        }
    }

    /// The deciding rules in id order: the blocking rules, else the allowing ones (empty for a
    /// default block).
    pub fn deciding(&self) -> &[Applied] {
        if self.blockers.is_empty() {
            &self.allows
        } else {
            &self.blockers
        }
    }

    /// The warn rules that applied, in id order.
    pub fn warnings(&self) -> &[Applied] {
        &self.warnings
    }

    fn clear(&mut self) {
        self.blockers.clear();
        self.allows.clear();
        self.warnings.clear();
    }
}

/// What the hot path found for a campaign's campaign-level rules; reusable like [`UseVerdict`].
#[derive(Clone, Debug, Default)]
pub struct CampaignVerdict {
    /// (rule, the first purpose it applied at, its condition's value), in rule id order.
    applied: Vec<(RuleId, PurposeId, Truth)>,
    purposes: Vec<u32>,
    blocked: bool,
}

impl CampaignVerdict {
    /// True when a campaign-level deny rule applied.
    pub fn blocked(&self) -> bool {
        self.blocked
    }

    /// The campaign-level rules that applied, in rule id order, each with the first of the
    /// campaign's purposes it applied at: deny and warn rules alike (the policy's
    /// `rule(id)` says which), so that a service on the hot path can name what blocked a
    /// campaign without building the full decision.
    pub fn applied(&self) -> impl Iterator<Item = (RuleId, PurposeId)> + '_ {
        self.applied.iter().map(|&(rule, purpose, _)| (rule, purpose))
    }
}

impl CompiledPolicy {
    /// The value of an entry's condition: the campaign's memoised value when there is one,
    /// false at once when its guard is refuted, else evaluated (and memoised when it reads
    /// only campaign-wide values, or those and the basis in a use on the campaign's basis).
    fn truth(&self, e: &Entry, facts: &Facts, ctx: Ctx<'_>) -> Truth {
        let slot = match e.memo() {
            Memo::Always => return Truth::True,
            Memo::Campaign(slot) => Some(slot),
            Memo::AtCampaignBasis(slot) if at_campaign_basis(ctx) => Some(slot),
            Memo::AtCampaignBasis(_) | Memo::Never => None,
        };
        // A memoised value already reflects the guard, so it is read first.
        if let Some(known) = slot.and_then(|s| facts.memo(s)) {
            return known;
        }
        let truth = if self.guards.refute(e, facts) {
            Truth::False
        } else {
            match slot {
                // Every slot has its condition; were one missing, nothing would be known.
                Some(s) => self.memo_roots.get(usize::from(s)).map_or(Truth::Unknown, |&root| self.eval(root, ctx)),
                None => match self.conditions.get(e.rule as usize) {
                    Some(Some(root)) => self.eval(*root, ctx),
                    Some(None) => Truth::True,
                    // A rule the tables do not know: fail closed, as for a missing slot.
                    None => Truth::Unknown,
                },
            }
        };
        if let Some(s) = slot {
            facts.remember(s, truth);
        }
        truth
    }

    fn eval(&self, root: u32, ctx: Ctx<'_>) -> Truth {
        let under = Under { categories: &self.policy.categories, purposes: &self.policy.purposes };
        self.program.eval(root, ctx, &under)
    }

    /// Decides use `index` of a campaign (spec 3.2) into `out`. Returns false, leaving `out`
    /// empty, when there is no such use or it has no effective purpose.
    ///
    /// ```
    /// let text = b"basis consent\ncategory contact\npurpose marketing\nrule ok { allow contact for marketing when basis == consent }\n";
    /// let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
    ///     relative: "p.policy".into(), display: "p.policy".into(), bytes: text.to_vec(),
    /// }]).unwrap();
    /// let compiled = lagom::eval::CompiledPolicy::new(policy);
    /// let yaml = "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact\n";
    /// let file = lagom::source::SourceFile::new("c.yaml", yaml);
    /// let campaign = lagom::campaign::read(lagom::source::FileId(1), &file, &compiled.policy).unwrap();
    /// let facts = compiled.facts(&campaign);
    /// let mut verdict = lagom::eval::UseVerdict::default();
    /// assert!(compiled.decide_use(&facts, 0, &mut verdict));
    /// assert_eq!(verdict.decision(), lagom::eval::Decision::Allow);
    /// ```
    pub fn decide_use(&self, facts: &Facts, index: usize, out: &mut UseVerdict) -> bool {
        out.clear();
        let Some(u) = facts.uses.get(index) else { return false };
        let Some(purpose) = u.purpose else { return false };
        let ctx = Ctx::Use(facts, u);
        let (checks, allows, filter) = self.index.candidates(u.category, purpose);
        for e in checks {
            if filter && !self.covers_purpose(RuleId(e.rule), PurposeId(purpose)) {
                continue;
            }
            let truth = self.truth(e, facts, ctx);
            if truth == Truth::False {
                continue;
            }
            let Some(effect) = self.effects.get(e.rule as usize) else { continue };
            let applied = Applied { rule: RuleId(e.rule), truth };
            match *effect {
                RuleEffect::Deny => out.blockers.push(applied),
                RuleEffect::Warn => out.warnings.push(applied),
                RuleEffect::Retain(limit) => {
                    if u.retention.is_none_or(|d| d > limit.twelfths_of_a_day) {
                        out.blockers.push(applied);
                    }
                }
                RuleEffect::Allow => {}
            }
        }
        // A block overrides every allow, so allows only matter when nothing blocked.
        if out.blockers.is_empty() {
            for e in allows {
                if filter && !self.covers_purpose(RuleId(e.rule), PurposeId(purpose)) {
                    continue;
                }
                if self.truth(e, facts, ctx) == Truth::True {
                    out.allows.push(Applied { rule: RuleId(e.rule), truth: Truth::True });
                }
            }
        }
        true
    }

    /// The allow rules in a use's scope whose condition is unknown, in id order: what would
    /// have allowed a use blocked by default had the campaign said more. Off the hot path; the
    /// memoised values of the decision are reused.
    fn unknown_allows(&self, facts: &Facts, index: usize) -> Vec<Applied> {
        let Some(u) = facts.uses.get(index) else { return Vec::new() };
        let Some(purpose) = u.purpose else { return Vec::new() };
        let ctx = Ctx::Use(facts, u);
        let (_, allows, filter) = self.index.candidates(u.category, purpose);
        allows
            .iter()
            .filter(|e| !filter || self.covers_purpose(RuleId(e.rule), PurposeId(purpose)))
            .filter(|e| self.truth(e, facts, ctx) == Truth::Unknown)
            .map(|e| Applied { rule: RuleId(e.rule), truth: Truth::Unknown })
            .collect()
    }

    /// Evaluates the campaign-level rules (spec 3.2, last paragraph) into `out`: each once per
    /// distinct effective purpose of the campaign that its scope covers.
    pub fn decide_campaign_rules(&self, facts: &Facts, out: &mut CampaignVerdict) {
        out.applied.clear();
        out.purposes.clear();
        out.purposes.extend(facts.purpose);
        out.purposes.extend(facts.uses.iter().filter_map(|u| u.purpose));
        out.purposes.sort_unstable();
        out.purposes.dedup();
        let purposes = std::mem::take(&mut out.purposes);
        for &p in &purposes {
            let ctx = Ctx::Campaign(facts, p);
            self.campaign_index.visit(p, facts, |g| {
                let truth = self.truth(&g.entry, facts, ctx);
                if truth != Truth::False {
                    let rules = self.campaign_index.rules(g).iter();
                    out.applied.extend(rules.map(|&r| (RuleId(r), PurposeId(p), truth)));
                }
            });
        }
        out.purposes = purposes;
        // A rule is recorded once: at the first purpose (in id order) where its condition is
        // true, else at the first where it is unknown, so that a finding names missing facts
        // only when the rule relied on them (spec 3.1).
        out.applied.sort_unstable_by_key(|&(r, p, truth)| (r, truth != Truth::True, p));
        out.applied.dedup_by_key(|(r, _, _)| *r);
        out.blocked =
            out.applied.iter().any(|(r, _, _)| self.effects.get(r.0 as usize).is_some_and(|e| *e != RuleEffect::Warn));
    }

    /// Decides every use of a campaign and the campaign as a whole, with findings. A use with
    /// no effective purpose (only a campaign built by hand can have one; `campaign::read`
    /// calls it invalid) has no decision of its own and blocks the campaign.
    ///
    /// The campaign must have been read under this policy ([`crate::campaign::read`] says why).
    /// The work grows with the rules each use falls under: ask [`CompiledPolicy::too_large`]
    /// first for a campaign from an untrusted source.
    pub fn decide(&self, campaign: &Campaign) -> CampaignDecision {
        let facts = self.facts(campaign);
        let mut verdict = UseVerdict::default();
        let mut uses = Vec::with_capacity(campaign.data.len());
        // A use without an effective purpose cannot be decided (`campaign::read` calls such a
        // campaign invalid); one built by hand is blocked rather than let through.
        let mut undecided = false;
        for (index, u) in campaign.data.iter().enumerate() {
            let purpose = u.purpose.as_ref().or(campaign.purpose.as_ref()).map(|p| p.value);
            match purpose.filter(|_| self.decide_use(&facts, index, &mut verdict)) {
                Some(purpose) => uses.push(self.use_decision(&facts, campaign, (index, u), purpose, &verdict)),
                None => undecided = true,
            }
        }
        let mut cv = CampaignVerdict::default();
        self.decide_campaign_rules(&facts, &mut cv);
        let blocked = undecided || cv.blocked() || uses.iter().any(|u| u.outcome.decision() == Decision::Block);
        let (campaign_rules, campaign_warnings, campaign_findings) = self.campaign_findings(campaign, &cv);
        let mut decision = CampaignDecision {
            decision: if blocked { Decision::Block } else { Decision::Allow },
            uses,
            campaign_rules,
            campaign_warnings,
            campaign_findings,
            spelling_notes: Vec::new(),
        };
        decision.spelling_notes = self.compared_texts.notes(&self.policy, campaign, &decision);
        decision
    }

    /// The decision of use `u` (at `index` in `data`), decided into `verdict` at its effective
    /// `purpose`, with
    /// the findings of its deciding rules and warnings (and, for a use no rule allows, of the
    /// allow rules that missed a fact).
    fn use_decision(
        &self,
        facts: &Facts,
        campaign: &Campaign,
        (index, u): (usize, &DataUse),
        purpose: PurposeId,
        verdict: &UseVerdict,
    ) -> UseDecision {
        let scope = Scope::Use { campaign, data_use: u, purpose };
        let finding = |a: &Applied| self.use_finding(a, scope, u, purpose);
        let rules: Vec<RuleId> = verdict.deciding().iter().map(|a| a.rule).collect();
        let outcome = if !verdict.blockers.is_empty() {
            Outcome::BlockedBy(rules)
        } else if !verdict.allows.is_empty() {
            Outcome::AllowedBy(rules)
        } else {
            Outcome::NotAllowed
        };
        let findings = verdict.deciding().iter().chain(verdict.warnings()).map(finding).collect();
        let unknown_allows = match outcome {
            Outcome::NotAllowed => self.unknown_allows(facts, index).iter().map(finding).collect(),
            _ => Vec::new(),
        };
        UseDecision {
            index,
            category: u.category.value,
            purpose,
            basis: u.basis.as_ref().or(campaign.basis.as_ref()).map(|b| b.value.clone()),
            outcome,
            warnings: verdict.warnings().iter().map(|a| a.rule).collect(),
            findings,
            unknown_allows,
        }
    }

    /// The finding of a rule that applied to a use (or, for an allow, missed a fact).
    fn use_finding(&self, a: &Applied, scope: Scope<'_>, u: &DataUse, purpose: PurposeId) -> Finding {
        let declared = u.retention.as_ref().map(|r| r.value);
        let mut unknown = self.unknown_fields(a.rule, scope, a.truth);
        let kind = match self.policy.rule(a.rule).map(|r| r.effect) {
            Some(RuleEffect::Allow) => FindingKind::Allow,
            Some(RuleEffect::Warn) => FindingKind::Warn,
            Some(RuleEffect::Retain(limit)) => {
                if declared.is_none() {
                    name_missing_retention(&mut unknown);
                }
                FindingKind::Retain { limit, declared }
            }
            // A rule that applied and cannot be found blocks, failing closed.
            Some(RuleEffect::Deny) | None => FindingKind::Deny,
        };
        // Only a rule that applied against the use: an allow that applied needs no second look
        // at how the campaign spells its values, nor at the facts it rests on.
        let evidence = match (kind, self.policy.rule(a.rule)) {
            (FindingKind::Allow, _) | (_, None) => super::evidence::Evidence::default(),
            (_, Some(rule)) => super::evidence::rule_evidence(&self.policy, rule, scope, a.truth),
        };
        Finding {
            rule: a.rule,
            kind,
            unknown,
            evidence: evidence.places,
            respellings: evidence.respellings,
            category_path: self.category_path(a.rule, u.category.value),
            purpose_path: self.purpose_path(a.rule, purpose),
        }
    }

    /// The campaign-level deny rules and warn rules that applied, and their findings (with
    /// where the campaign states the facts they rest on).
    fn campaign_findings(&self, campaign: &Campaign, cv: &CampaignVerdict) -> (Vec<RuleId>, Vec<RuleId>, Vec<Finding>) {
        let (mut rules, mut warnings, mut findings) = (Vec::new(), Vec::new(), Vec::new());
        for &(rule, p, truth) in &cv.applied {
            let kind = match self.policy.rule(rule).map(|r| r.effect) {
                Some(RuleEffect::Warn) => {
                    warnings.push(rule);
                    FindingKind::Warn
                }
                // The checker lets only deny and warn rules be campaign-level; whatever else
                // applied (or a rule not found) blocks, as `decide_campaign_rules` counts it.
                Some(RuleEffect::Deny | RuleEffect::Allow | RuleEffect::Retain(_)) | None => {
                    rules.push(rule);
                    FindingKind::Deny
                }
            };
            let scope = Scope::Campaign { campaign, purpose: p };
            let evidence = self
                .policy
                .rule(rule)
                .map(|r| super::evidence::rule_evidence(&self.policy, r, scope, truth))
                .unwrap_or_default();
            findings.push(Finding {
                rule,
                kind,
                unknown: self.unknown_fields(rule, scope, truth),
                evidence: evidence.places,
                respellings: evidence.respellings,
                category_path: Vec::new(),
                purpose_path: self.purpose_path(rule, p),
            });
        }
        (rules, warnings, findings)
    }

    /// A campaign's decision and number of warnings, as [`CompiledPolicy::decide`] would give
    /// them, without building findings: the hot path only.
    pub fn standing(&self, campaign: &Campaign) -> Standing {
        let facts = self.facts(campaign);
        let mut verdict = UseVerdict::default();
        let (mut blocked, mut warnings) = (false, 0);
        for index in 0..campaign.data.len() {
            // As in `decide`: a use that cannot be decided blocks.
            if !self.decide_use(&facts, index, &mut verdict) {
                blocked = true;
                continue;
            }
            blocked |= verdict.decision() == Decision::Block;
            warnings += verdict.warnings().len();
        }
        let mut cv = CampaignVerdict::default();
        self.decide_campaign_rules(&facts, &mut cv);
        blocked |= cv.blocked();
        let warns = |r: RuleId| self.policy.rule(r).map(|r| r.effect) == Some(RuleEffect::Warn);
        warnings += cv.applied.iter().filter(|(r, _, _)| warns(*r)).count();
        Standing { decision: if blocked { Decision::Block } else { Decision::Allow }, warnings }
    }

    /// The fields a campaign left undeclared that made a rule's condition unknown, those the
    /// result depends on (`condition::unknown_fields`, on the reference interpreter).
    pub(super) fn unknown_fields(&self, rule: RuleId, scope: Scope<'_>, truth: Truth) -> Vec<MissingFact> {
        if truth != Truth::Unknown {
            return Vec::new();
        }
        let Some(cond) = self.policy.rule(rule).and_then(|r| r.condition.as_ref()) else {
            return Vec::new();
        };
        unknown_fields(&self.policy, cond, scope)
    }

    pub(super) fn category_path(&self, rule: RuleId, category: CategoryId) -> Vec<CategoryId> {
        let Some(RuleScope::Uses { categories: Targets::Some(cats), .. }) = self.policy.rule(rule).map(|r| &r.scope)
        else {
            return Vec::new();
        };
        self.policy.categories.chain_to_first(category, cats)
    }

    pub(super) fn purpose_path(&self, rule: RuleId, purpose: PurposeId) -> Vec<PurposeId> {
        let targets = match self.policy.rule(rule).map(|r| &r.scope) {
            Some(RuleScope::Uses { purposes, .. } | RuleScope::Campaign { purposes }) => purposes,
            None => return Vec::new(),
        };
        let Targets::Some(ps) = targets else { return Vec::new() };
        self.policy.purposes.chain_to_first(purpose, ps)
    }
}

/// Whether the basis in this context is the campaign's, so that a condition memoised at the
/// campaign's basis holds here.
fn at_campaign_basis(ctx: Ctx<'_>) -> bool {
    match ctx {
        Ctx::Campaign(..) => true,
        Ctx::Use(f, u) => u.basis == f.basis,
        Ctx::Processor(..) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    #[test]
    fn both_index_layouts_decide_alike() {
        let corpus = crate::synth::Corpus::new(400, 3);
        let policy = match crate::policy::load_texts(corpus.policy_texts()) {
            Ok(p) => p,
            Err(e) => panic!("{:?}", e.problems),
        };
        // A batch gets cells; a few campaigns, as `lagom check` of one file, do not.
        let cells = CompiledPolicy::for_campaigns(policy.clone(), crate::eval::FEW_CAMPAIGNS + 1);
        let by_category = CompiledPolicy::for_campaigns(policy, crate::eval::FEW_CAMPAIGNS);
        assert!(cells.indexes_cells());
        assert!(!by_category.indexes_cells());
        for i in 0..120 {
            let text = corpus.campaign(i);
            let file = SourceFile::new("c.yaml", text.as_str());
            let Ok(c) = crate::campaign::read(FileId(0), &file, &cells.policy) else { panic!("invalid") };
            assert_eq!(cells.decide(&c), by_category.decide(&c));
            assert_eq!(cells.decide(&c), super::super::oracle::decide(&cells.policy, &c));
        }
    }

    /// A campaign built by hand (not read with `campaign::read`) whose use has no purpose
    /// cannot be decided; it is blocked, by both evaluators, instead of being allowed with
    /// nothing to decide.
    #[test]
    fn a_use_without_a_purpose_blocks_the_campaign() {
        let text = b"category contact\npurpose marketing\nrule ok { allow * for * }\n";
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: text.to_vec() }];
        let compiled =
            CompiledPolicy::new(crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems)));
        let span = crate::source::Span { file: FileId(1), start: 0, end: 0 };
        let contact = compiled.policy.categories.lookup("contact").unwrap();
        let data_use = crate::campaign::DataUse {
            span,
            category: crate::campaign::Located { value: contact, span },
            retention: None,
            purpose: None,
            basis: None,
            source: None,
        };
        let campaign = Campaign { data: vec![data_use], ..Default::default() };
        assert_eq!(compiled.decide(&campaign).decision, Decision::Block);
        assert_eq!(super::super::oracle::decide(&compiled.policy, &campaign).decision, Decision::Block);
        let allowed = Campaign { purpose: Some(crate::campaign::Located { value: PurposeId(0), span }), ..campaign };
        assert_eq!(compiled.decide(&allowed).decision, Decision::Allow);
    }
}
