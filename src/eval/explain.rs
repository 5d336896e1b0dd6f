//! Decision traces for `lagom explain`: every rule whose scope matched, how its condition
//! evaluated test by test (with the values seen), and which rules decided.

use std::sync::Arc;

use foldhash::HashMap;

use super::compile::CompiledPolicy;
use super::condition::{eval, NoObserver, Observe, Scope, Val};
use super::decision::{CampaignDecision, Decision, MissingFact, UseDecision};
use super::truth::Truth;
use crate::campaign::{Campaign, Located};
use crate::policy::{CategoryId, Cond, FieldUse, PurposeId, Quantifier, Retention, RuleEffect, RuleId};
use crate::source::Span;

/// A value as a test saw it, owned so a trace outlives the campaign borrow. Text and lists are
/// shared, not copied: a campaign-wide value (`audience.regions`) is seen by a rule of every use,
/// and a copy in each trace would make the trace as large as uses times the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Not declared by the campaign.
    Absent,
    /// Text or symbol.
    Text(Arc<str>),
    /// Boolean.
    Bool(bool),
    /// Integer.
    Int(i64),
    /// Duration.
    Duration(Retention),
    /// Category.
    Category(CategoryId),
    /// Purpose.
    Purpose(PurposeId),
    /// A list of values.
    List(Arc<[String]>),
    /// A list of objects (processors or data uses), by count.
    Items(usize),
}

/// The texts and lists of the campaign that traces hold, each once: keyed by where the
/// campaign keeps it (address and length), as every value a test sees borrows the campaign.
/// A hit is still compared by content, so a key alone never decides which value a trace shows;
/// the comparison costs no more than the copy it saves.
#[derive(Default)]
struct Shared {
    texts: HashMap<(usize, usize), Arc<str>>,
    lists: HashMap<(usize, usize), Arc<[String]>>,
}

impl Shared {
    fn seen(&mut self, v: &Val<'_>) -> Seen {
        match *v {
            Val::Absent => Seen::Absent,
            Val::Text(t) => Seen::Text(self.text(t)),
            Val::Bool(b) => Seen::Bool(b),
            Val::Int(i) => Seen::Int(i),
            Val::Duration(d) => Seen::Duration(d),
            Val::Category(c) => Seen::Category(c),
            Val::Purpose(p) => Seen::Purpose(p),
            Val::TextList(l) => Seen::List(self.list(l)),
            Val::Processors(l) => Seen::Items(l.len()),
            Val::Data(l) => Seen::Items(l.len()),
        }
    }

    fn text(&mut self, t: &str) -> Arc<str> {
        let shared = self.texts.entry((t.as_ptr() as usize, t.len())).or_insert_with(|| Arc::from(t));
        if **shared != *t {
            *shared = Arc::from(t);
        }
        Arc::clone(shared)
    }

    fn list(&mut self, l: &[Located<String>]) -> Arc<[String]> {
        let copy = || l.iter().map(|x| x.value.clone()).collect::<Arc<[String]>>();
        let shared = self.lists.entry((l.as_ptr() as usize, l.len())).or_insert_with(copy);
        if !shared.iter().eq(l.iter().map(|x| &x.value)) {
            *shared = copy();
        }
        Arc::clone(shared)
    }
}

/// One evaluated test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestTrace {
    /// The test as written in the policy.
    pub span: Span,
    /// The field path as written.
    pub field: String,
    /// The list element the test was of, inside `any` / `all`: (`data` or `processors` as
    /// written, index).
    pub element: Option<(String, usize)>,
    /// What the field held.
    pub seen: Seen,
    /// The test's value.
    pub result: Truth,
}

/// One part of a condition as evaluated, with its value: the grouping and the `not`s that a
/// flat list of tests leaves out (`not a and not b` is false with `a` and `b` both true).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceNode {
    /// A test: its index in [`RuleTrace::tests`].
    Test(usize),
    /// `not`, with its value.
    Not {
        /// The value of the whole `not`.
        result: Truth,
        /// What it negates.
        inner: Box<TraceNode>,
    },
    /// `and` or `or`, with its value.
    Group {
        /// Which of the two.
        connective: Connective,
        /// The value of the whole group.
        result: Truth,
        /// Its parts, in order.
        parts: Vec<TraceNode>,
    },
    /// `any` / `all`: its own test (the list and the quantifier's value) and the body once per
    /// element.
    Quant {
        /// `any` or `all`.
        quantifier: Quantifier,
        /// The quantifier's index in [`RuleTrace::tests`].
        test: usize,
        /// The body's node for each element, in list order.
        elements: Vec<TraceNode>,
    },
}

/// How a group of a condition joins its parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connective {
    /// `and`: true when every part is.
    And,
    /// `or`: true when any part is.
    Or,
}

impl TraceNode {
    /// The node's value, given the tests it indexes.
    pub fn result(&self, tests: &[TestTrace]) -> Truth {
        match self {
            TraceNode::Test(i) | TraceNode::Quant { test: i, .. } => tests.get(*i).map_or(Truth::Unknown, |t| t.result),
            TraceNode::Not { result, .. } | TraceNode::Group { result, .. } => *result,
        }
    }
}

struct Recorder<'s> {
    tests: Vec<TestTrace>,
    element: Option<(String, usize)>,
    shared: &'s mut Shared,
}

impl Observe for Recorder<'_> {
    fn test(&mut self, span: Span, field: &FieldUse, value: &Val<'_>, result: Truth) {
        let element = self.element.clone();
        let seen = self.shared.seen(value);
        self.tests.push(TestTrace { span, field: field.text.clone(), element, seen, result });
    }

    fn element(&mut self, at: Option<(&str, usize)>) {
        self.element = at.map(|(list, i)| (list.to_string(), i));
    }
}

/// What a rule whose scope matched did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleVerdict {
    /// It applied and is among the deciding rules (or the warnings).
    Decided,
    /// It applied but did not decide (an allow overridden by a block).
    Overridden,
    /// A retain rule applied, but the declared retention is within its limit.
    WithinLimit,
    /// Its condition was false (or, for an allow, not true).
    NotApplied,
}

/// One rule considered for a use or for the campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleTrace {
    /// The rule.
    pub rule: RuleId,
    /// The purpose it was evaluated at (campaign-level rules run once per purpose).
    pub purpose: PurposeId,
    /// How the use's category reached the rule's category (empty for `*` or campaign rules).
    pub category_path: Vec<CategoryId>,
    /// How the purpose reached the rule's purpose (empty for `*`).
    pub purpose_path: Vec<PurposeId>,
    /// The condition's value (`True` for a rule without condition).
    pub truth: Truth,
    /// Every test evaluated, in order.
    pub tests: Vec<TestTrace>,
    /// The condition's structure over `tests` (none for a rule without condition).
    pub tree: Option<TraceNode>,
    /// When the condition is unknown: the undeclared fields it depends on, as `lagom check`
    /// names them (a field inside a part that is already false is not among them); for a
    /// retain rule that blocks a use without a retention, `retention` too.
    pub unknown: Vec<MissingFact>,
    /// What came of it.
    pub verdict: RuleVerdict,
}

/// The trace of one use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseTrace {
    /// Position in `data`.
    pub index: usize,
    /// Every rule whose scope contains the use, in name order.
    pub rules: Vec<RuleTrace>,
}

/// The full trace of a campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The decision being explained.
    pub decision: CampaignDecision,
    /// One trace per use, in file order.
    pub uses: Vec<UseTrace>,
    /// Campaign-level rules, per purpose they were evaluated at.
    pub campaign_rules: Vec<RuleTrace>,
}

impl Explanation {
    /// The uses with their traces, in file order: all of them, or with `category` (`lagom
    /// explain --category`) those whose category is it or one under it.
    pub fn uses_under<'a>(
        &'a self,
        policy: &'a CompiledPolicy,
        category: Option<CategoryId>,
    ) -> impl Iterator<Item = (&'a UseDecision, &'a UseTrace)> + 'a {
        self.decision
            .uses
            .iter()
            .zip(&self.uses)
            .filter(move |(u, _)| category.is_none_or(|c| policy.policy.categories.is_under(u.category, c)))
    }
}

impl CompiledPolicy {
    /// Decides a campaign and records how: the trace behind `lagom explain`. The decision is
    /// the one [`CompiledPolicy::decide`] gives; each use's trace has every rule whose scope
    /// holds it, with what came of it.
    ///
    /// ```
    /// use lagom::eval::{CompiledPolicy, Decision, RuleVerdict};
    /// use lagom::source::SourceFile;
    /// let rules = "category contact { category email }\npurpose marketing\nbasis consent\n\
    ///              rule ok { allow contact for marketing }\n\
    ///              rule no_consent { deny contact for marketing unless basis == consent }\n";
    /// let text = lagom::policy::PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes: rules.into() };
    /// let compiled = CompiledPolicy::new(lagom::policy::load_texts(vec![text]).unwrap());
    /// let mut sources = compiled.policy.sources.clone();
    /// let file = SourceFile::new("c.yaml", "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n");
    /// let campaign = lagom::campaign::read(sources.add(file.clone()), &file, &compiled.policy).unwrap();
    /// let explained = compiled.explain(&campaign);
    /// assert_eq!(explained.decision, compiled.decide(&campaign));
    /// assert_eq!(explained.decision.decision, Decision::Allow);
    /// // Both rules hold the use in their scope: the allow decided, the deny's condition was false.
    /// let name = |r: &lagom::eval::RuleTrace| compiled.policy.rule(r.rule).map(|rule| rule.name.clone());
    /// let verdicts: Vec<_> = explained.uses[0].rules.iter().map(|r| (name(r), r.verdict)).collect();
    /// assert_eq!(
    ///     verdicts,
    ///     [(Some("no_consent".into()), RuleVerdict::NotApplied), (Some("ok".into()), RuleVerdict::Decided)]
    /// );
    /// ```
    pub fn explain(&self, campaign: &Campaign) -> Explanation {
        let decision = self.decide(campaign);
        let mut shared = Shared::default();
        let mut uses = Vec::new();
        for d in &decision.uses {
            let Some(u) = campaign.data.get(d.index) else { continue };
            let scope = Scope::Use { campaign, data_use: u, purpose: d.purpose };
            let blocked = d.outcome.decision() == Decision::Block;
            let rules = self
                .rules_for(d.category, d.purpose)
                .map(|rule| {
                    let (truth, tests, tree) = self.trace(rule, scope, &mut shared);
                    let decided = d.outcome.rules().contains(&rule) || d.warnings.contains(&rule);
                    let effect = self.policy.rule(rule).map(|r| r.effect);
                    let verdict = match effect {
                        _ if decided => RuleVerdict::Decided,
                        Some(RuleEffect::Allow) if truth == Truth::True && blocked => RuleVerdict::Overridden,
                        Some(RuleEffect::Retain(_)) if truth != Truth::False => RuleVerdict::WithinLimit,
                        _ => RuleVerdict::NotApplied,
                    };
                    RuleTrace {
                        rule,
                        purpose: d.purpose,
                        category_path: self.category_path(rule, d.category),
                        purpose_path: self.purpose_path(rule, d.purpose),
                        truth,
                        tests,
                        tree,
                        // A deciding rule's missing facts are its finding's, as `check` gives
                        // them: a retain rule's include the `retention` its limit needs.
                        unknown: match d.findings.iter().find(|f| f.rule == rule) {
                            Some(finding) => finding.unknown.clone(),
                            None => self.unknown_fields(rule, scope, truth),
                        },
                        verdict,
                    }
                })
                .collect();
            uses.push(UseTrace { index: d.index, rules });
        }
        let mut purposes: Vec<PurposeId> = campaign
            .purpose
            .as_ref()
            .map(|p| p.value)
            .into_iter()
            .chain(decision.uses.iter().map(|u| u.purpose))
            .collect();
        purposes.sort_unstable();
        purposes.dedup();
        let mut campaign_rules = Vec::new();
        for &rule in self.campaign_rules() {
            for &p in purposes.iter().filter(|p| self.covers_purpose(rule, **p)) {
                let scope = Scope::Campaign { campaign, purpose: p };
                let (truth, tests, tree) = self.trace(rule, scope, &mut shared);
                let verdict = if truth == Truth::False { RuleVerdict::NotApplied } else { RuleVerdict::Decided };
                campaign_rules.push(RuleTrace {
                    rule,
                    purpose: p,
                    category_path: Vec::new(),
                    purpose_path: self.purpose_path(rule, p),
                    truth,
                    tests,
                    tree,
                    unknown: self.unknown_fields(rule, scope, truth),
                    verdict,
                });
            }
        }
        Explanation { decision, uses, campaign_rules }
    }

    fn trace(&self, rule: RuleId, scope: Scope<'_>, shared: &mut Shared) -> (Truth, Vec<TestTrace>, Option<TraceNode>) {
        match self.policy.rule(rule).and_then(|r| r.condition.as_ref()) {
            None => (Truth::True, Vec::new(), None),
            Some(cond) => {
                let mut rec = Recorder { tests: Vec::new(), element: None, shared };
                let tree = self.node(cond, scope, &mut rec);
                (eval(&self.policy, cond, scope, &mut NoObserver), rec.tests, Some(tree))
            }
        }
    }

    /// Records `cond`'s tests in evaluation order (a quantifier's after its elements') and
    /// returns its structure. Every value is the evaluator's: a test's and a quantifier's as
    /// the recorder saw it, a group's and a `not`'s by evaluating that part.
    fn node(&self, cond: &Cond, scope: Scope<'_>, rec: &mut Recorder<'_>) -> TraceNode {
        match cond {
            Cond::Test { .. } => {
                eval(&self.policy, cond, scope, rec);
                TraceNode::Test(rec.tests.len().saturating_sub(1))
            }
            Cond::Not(inner) => TraceNode::Not {
                inner: Box::new(self.node(inner, scope, rec)),
                result: eval(&self.policy, cond, scope, &mut NoObserver),
            },
            Cond::And(parts) => self.group(Connective::And, cond, parts, scope, rec),
            Cond::Or(parts) => self.group(Connective::Or, cond, parts, scope, rec),
            Cond::Quant { quantifier, field, body, .. } => {
                let outer = rec.element.clone();
                let elements = super::evidence::elements(scope, &field.field)
                    .into_iter()
                    .enumerate()
                    .map(|(i, element)| {
                        rec.element = Some((field.text.clone(), i));
                        self.node(body, element.scope, rec)
                    })
                    .collect();
                rec.element = outer.clone();
                // The quantifier's own test is the last one the evaluator reports.
                let mut own = Recorder { tests: Vec::new(), element: outer, shared: &mut *rec.shared };
                eval(&self.policy, cond, scope, &mut own);
                let own_test = own.tests.pop();
                let test = rec.tests.len();
                rec.tests.extend(own_test.map(|t| TestTrace { element: rec.element.clone(), ..t }));
                TraceNode::Quant { quantifier: *quantifier, test, elements }
            }
        }
    }

    /// An `and` or `or` of `parts` (`cond` is the group itself), its value by evaluating it.
    fn group(
        &self,
        connective: Connective,
        cond: &Cond,
        parts: &[Cond],
        scope: Scope<'_>,
        rec: &mut Recorder<'_>,
    ) -> TraceNode {
        TraceNode::Group {
            connective,
            parts: parts.iter().map(|part| self.node(part, scope, rec)).collect(),
            result: eval(&self.policy, cond, scope, &mut NoObserver),
        }
    }
}

/// An allow rule that comes close to a use no rule allows: what a marketer might have meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NearMiss {
    /// The allow rule.
    pub rule: RuleId,
    /// How close it comes.
    pub closeness: Closeness,
}

/// How close an allow rule comes to a use no rule allows, closest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closeness {
    /// Its scope contains the use; only its condition does not hold.
    Condition,
    /// It covers the use's purpose, for other categories: what this purpose may use.
    Purpose,
    /// It covers the use's category under a related purpose (one with an ancestor in common).
    RelatedPurpose,
    /// It covers the use's category under an unrelated purpose: a hint that would move an
    /// analytics use to marketing, shown only when nothing closer exists.
    OtherPurpose,
}

impl CompiledPolicy {
    /// Up to `limit` allow rules that cover the use's category or its purpose, closest first
    /// (an allow whose condition fails, what the purpose allows, the category under a related
    /// purpose, then under an unrelated one) and in rule order within each, leaving out those
    /// already named in `unknown_allows` (with the facts they lack).
    pub fn near_misses(&self, u: &super::decision::UseDecision, limit: usize) -> Vec<NearMiss> {
        use crate::policy::{RuleScope, Targets};
        let p = &self.policy;
        let use_ancestors = p.purposes.ancestor_bits(u.purpose);
        let related = |x: PurposeId| match (use_ancestors, p.purposes.ancestor_bits(x)) {
            (Some(a), Some(b)) => !a.is_disjoint(b),
            _ => false,
        };
        let mut found = Vec::new();
        for (id, rule) in p.rules.iter().enumerate() {
            let (RuleEffect::Allow, RuleScope::Uses { categories, purposes }) = (rule.effect, &rule.scope) else {
                continue;
            };
            if u.unknown_allows.iter().any(|f| f.rule.0 as usize == id) {
                continue;
            }
            let category = categories.holds(&p.categories, u.category);
            let purpose = purposes.holds(&p.purposes, u.purpose);
            let near_purpose = match purposes {
                Targets::Any => true,
                Targets::Some(ps) => ps.iter().any(|&x| related(x)),
            };
            let closeness = match (category, purpose, near_purpose) {
                (true, true, _) => Closeness::Condition,
                (false, true, _) => Closeness::Purpose,
                (true, false, true) => Closeness::RelatedPurpose,
                (true, false, false) => Closeness::OtherPurpose,
                (false, false, _) => continue,
            };
            found.push((closeness, RuleId(id as u32)));
        }
        // Stable: rule order within each degree of closeness.
        found.sort_by_key(|&(closeness, _)| closeness);
        let closest = found.first().map(|&(c, _)| c);
        found
            .into_iter()
            .filter(|&(c, _)| c != Closeness::OtherPurpose || closest == Some(Closeness::OtherPurpose))
            .take(limit)
            .map(|(closeness, rule)| NearMiss { rule, closeness })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    /// Every value each test saw, across the uses' traces.
    fn seen_values(explained: &Explanation) -> Vec<&Seen> {
        explained.uses.iter().flat_map(|u| &u.rules).flat_map(|r| &r.tests).map(|t| &t.seen).collect()
    }

    #[test]
    fn a_campaign_value_every_use_sees_is_held_once_however_many_uses() {
        let text = "basis consent\ncategory c\npurpose m\nset big = [w0, w1]\n\
                    rule l { warn c for m when audience.regions overlaps big }\n\
                    rule t { warn c for m when owner == w0 }\n";
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into() }];
        let policy =
            CompiledPolicy::new(crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems)));
        let uses = 50;
        let yaml = format!(
            "campaign: c\npurpose: m\nbasis: consent\nowner: W0\naudience: {{regions: [W0, W1, W2]}}\ndata:\n{}",
            "  - {category: c}\n".repeat(uses)
        );
        let campaign =
            crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml.as_str()), &policy.policy).unwrap();
        let explained = policy.explain(&campaign);
        let seen = seen_values(&explained);
        let lists: Vec<&Arc<[String]>> =
            seen.iter().filter_map(|s| if let Seen::List(l) = s { Some(l) } else { None }).collect();
        let texts: Vec<&Arc<str>> =
            seen.iter().filter_map(|s| if let Seen::Text(t) = s { Some(t) } else { None }).collect();
        assert_eq!((lists.len(), texts.len()), (uses, uses), "{seen:?}");
        assert_eq!(**lists[0], ["W0", "W1", "W2"]);
        assert_eq!(&**texts[0], "W0");
        // One allocation each, not one per use: a trace of N uses of a list of N is not N².
        assert!(lists.iter().all(|l| Arc::ptr_eq(l, lists[0])));
        assert!(texts.iter().all(|t| Arc::ptr_eq(t, texts[0])));
        assert_eq!(Arc::strong_count(lists[0]), uses);
    }

    #[test]
    fn a_shared_value_is_the_one_at_its_place_now_not_what_was_there_before() {
        let at = |value: &str| Located { value: value.to_string(), span: Span { file: FileId(1), start: 0, end: 0 } };
        let mut shared = Shared::default();
        let mut list = vec![at("a"), at("b")];
        let first = shared.list(&list);
        assert!(Arc::ptr_eq(&first, &shared.list(&list)));
        // Same address and length, other content: a key alone must not decide.
        list[1] = at("c");
        assert_eq!(*shared.list(&list), ["a".to_string(), "c".to_string()]);
        let mut text = String::from("ab");
        let before = shared.text(&text);
        text.replace_range(1.., "c");
        assert_eq!((&*before, &*shared.text(&text)), ("ab", "ac"));
    }

    #[test]
    fn near_misses_are_allow_rules_covering_the_category_or_the_purpose() {
        let text = "basis consent\ncategory contact { category email }\ncategory location\n\
                    purpose marketing { purpose newsletter }\npurpose analytics\npurpose support\n\
                    rule a_other_purpose { allow contact for analytics }\n\
                    rule b_unrelated { allow location for analytics }\n\
                    rule c_condition { allow contact.email for marketing when basis != consent }\n\
                    rule d_other_category { allow location for marketing.newsletter }\n\
                    rule e_deny { deny location for marketing }\n";
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into() }];
        let policy =
            CompiledPolicy::new(crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems)));
        let yaml = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
        let campaign = crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml), &policy.policy).unwrap();
        let decision = policy.decide(&campaign);
        let named = |misses: Vec<NearMiss>| -> Vec<(String, Closeness)> {
            misses.iter().map(|m| (policy.policy.rule(m.rule).unwrap().name.clone(), m.closeness)).collect()
        };
        // Closest first; the allow for another purpose tree (analytics) is left out, as
        // something closer exists.
        let all = named(policy.near_misses(&decision.uses[0], 10));
        let expected = [("c_condition", Closeness::Condition), ("d_other_category", Closeness::Purpose)];
        assert_eq!(all, expected.map(|(n, s)| (n.to_string(), s)));
        assert_eq!(
            named(policy.near_misses(&decision.uses[0], 1)),
            [("c_condition".to_string(), Closeness::Condition)]
        );
        // With nothing closer, the same category under an unrelated purpose is still a hint.
        let yaml = "campaign: c\npurpose: support\nbasis: consent\ndata:\n  - category: contact.email\n";
        let campaign = crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml), &policy.policy).unwrap();
        let decision = policy.decide(&campaign);
        assert_eq!(decision.uses[0].outcome.rules(), &[] as &[RuleId], "a default block");
        let expected = [("a_other_purpose", Closeness::OtherPurpose), ("c_condition", Closeness::OtherPurpose)];
        assert_eq!(named(policy.near_misses(&decision.uses[0], 10)), expected.map(|(n, s)| (n.to_string(), s)));
    }
}
