//! Campaign values spelt otherwise than every text the policy compares them with (`source:
//! Support` where the rules look for `support`). Values are compared exactly (spec 3), so
//! such a value equals none of them: a rule that looks for `support` with `==` or `in` does
//! not apply, one that tests `!= support` does. The campaign is decided as written; the
//! decision carries a [`SpellingNote`] so that a report can say what was probably meant.
//! [`ComparedTexts`] holds, for each field, the texts the policy's conditions compare it with,
//! by loose key: the fields and their rules are listed when the policy is compiled, each
//! field's texts gathered when a campaign first gives it a value.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use super::condition::{campaign_field, Fact, Scope, Val};
use super::decision::{CampaignDecision, Difference, Respelling, SpellingNote, Spelt};
use crate::campaign::Campaign;
use crate::policy::fields::Field;
use crate::policy::{CheckedPolicy, CheckedTest, Cond, Literal, PurposeId, RuleId, RuleScope};
use crate::source::Span;

/// A text as it is compared loosely: compatibility-normalised (NFKC, so that an `é` typed as
/// `e` and an accent is the `é` of the policy), case-folded (`STRASSE` is `straße`), and
/// without separators: white space and characters that show as nothing, `_`, and dashes of
/// any kind (`Mail Vendor`, `mail_vendor`, `MailVendor`, `to-do`, `to–do` and `todo` are one).
/// A text of separators only (`-`, `--`, `_`) is one key of its own; an empty text has none.
pub(super) fn loose(text: &str) -> Option<LooseKey> {
    let key: String = if text.is_ascii() {
        // ASCII is its own NFKC form, folds to lower case, and its only separators are white
        // space, `_` and `-`: most campaign text, on every value no comparison matches exactly.
        let separator = |c: char| c.is_ascii_whitespace() || matches!(c, '_' | '-');
        text.chars().filter(|&c| !separator(c)).map(|c| c.to_ascii_lowercase()).collect()
    } else {
        let nfkc = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc();
        let folded = icu_casemap::CaseMapper::new().fold_string(&nfkc.normalize(text)).into_owned();
        nfkc.normalize(&folded).chars().filter(|&c| !is_separator(c)).collect()
    };
    match (key.is_empty(), text.is_empty()) {
        (false, _) => Some(LooseKey::Text(key)),
        (true, false) => Some(LooseKey::SeparatorsOnly),
        (true, true) => None,
    }
}

/// A text as it is compared loosely (see [`loose`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum LooseKey {
    /// The text normalised, case-folded and without separators.
    Text(String),
    /// A text of separators only (`-`, `--`, `_`): a "nothing recorded" mark.
    SeparatorsOnly,
}

impl LooseKey {
    /// The key as written, then in the singular if it has one (made only when asked for): the
    /// policy's texts a campaign text may stand for.
    pub(super) fn readings(&self) -> impl Iterator<Item = LooseKey> + '_ {
        std::iter::once(self.clone()).chain(std::iter::once_with(|| self.singular()).flatten())
    }

    /// The key without a final `s` (`customers`, the policy's `customer`): a list of people
    /// or things is written in the plural as often as in the singular the policy uses. Keys of
    /// three characters or fewer (`sms`, `bus`) keep theirs.
    fn singular(&self) -> Option<LooseKey> {
        match self {
            LooseKey::Text(k) if k.ends_with('s') && k.chars().count() > 3 => {
                Some(LooseKey::Text(k.get(..k.len() - 1)?.to_string()))
            }
            LooseKey::Text(_) | LooseKey::SeparatorsOnly => None,
        }
    }
}

impl Respelling {
    /// A campaign's text `written` at `at` that the policy writes `meant`, the two loosely equal.
    pub(super) fn new(at: Span, written: &str, meant: &str) -> Respelling {
        Respelling {
            at,
            written: written.to_string(),
            meant: meant.to_string(),
            difference: difference(written, meant),
            spelt: Spelt::Value,
        }
    }

    /// A label's name `written` (its value at `at`) that the policy reads as `meant`.
    pub(super) fn label_name(at: Span, written: &str, meant: &str) -> Respelling {
        Respelling { spelt: Spelt::LabelName, ..Respelling::new(at, written, meant) }
    }
}

/// How two loosely equal texts differ, with the separators and case folding of [`loose`];
/// texts loosely equal only once the written one is singular differ in [`Difference::Plural`].
fn difference(written: &str, meant: &str) -> Difference {
    if loose(written) != loose(meant) {
        return Difference::Plural;
    }
    let kept = |t: &str| t.chars().filter(|&c| !is_separator(c)).collect::<String>();
    let folded = |t: &str| match t.is_ascii() {
        true => t.to_ascii_lowercase(),
        false => icu_casemap::CaseMapper::new().fold_string(t).into_owned(),
    };
    if folded(written) == folded(meant) {
        Difference::Case
    } else if kept(written) == kept(meant) {
        Difference::Separators
    } else if folded(&kept(written)) == folded(&kept(meant)) {
        Difference::CaseAndSeparators
    } else {
        Difference::Characters
    }
}

/// White space or a character that shows as nothing, `_`, or a dash.
fn is_separator(c: char) -> bool {
    use icu_properties::{props::Dash, CodePointSetData};
    c == '_' || crate::chars::is_blank_char(c) || CodePointSetData::new::<Dash>().contains(c)
}

/// The texts a campaign writes in a field's value, each where it writes it: the text of a
/// one-text field, or each item of a list of texts; none for any other value.
pub(super) fn written_texts<'a>((value, at): Fact<'a>) -> impl Iterator<Item = (&'a str, Span)> {
    let (single, items) = match (value, at) {
        (Val::Text(written), Some(at)) => (Some((written, at)), &[][..]),
        (Val::TextList(items), _) => (None, items),
        _ => (None, &[][..]),
    };
    single.into_iter().chain(items.iter().map(|l| (l.value.as_str(), l.span)))
}

/// The text literals of a test: what the field is compared with.
pub(super) fn compared_texts(test: &CheckedTest) -> impl Iterator<Item = &str> {
    let literals: &[Literal] = match test {
        CheckedTest::Equals { value, .. } | CheckedTest::Contains(value) => std::slice::from_ref(value),
        CheckedTest::In { values, .. } | CheckedTest::Within(values) | CheckedTest::Overlaps(values) => values,
        CheckedTest::Truthy
        | CheckedTest::IsSet { .. }
        | CheckedTest::IsEmpty { .. }
        | CheckedTest::UnderCategory(_)
        | CheckedTest::UnderPurpose(_)
        | CheckedTest::Compare(..)
        | CheckedTest::Matches(_) => &[],
    };
    literals.iter().filter_map(|l| match l {
        Literal::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

/// A rule that compares a field with one text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Comparison {
    rule: RuleId,
    /// Outside `any` / `all`: a per-use rule then reads the field of the use it decides, not
    /// of every use.
    direct: bool,
}

/// The texts the policy compares one field with. Each distinct text is held once, however
/// many rules compare with it (a set of thirty regions in ten rules is thirty texts).
#[derive(Clone, Debug, Default)]
struct FieldTexts {
    /// Each text as written, with its index in `spellings`.
    exact: HashMap<String, u32>,
    spellings: Vec<Spelling>,
    /// Each loose key's group: the index in `groups`.
    loose: HashMap<LooseKey, u32>,
    /// The texts of one loose key, by index in `spellings`.
    groups: Vec<Vec<u32>>,
}

/// A distinct text the policy compares a field with.
#[derive(Clone, Debug)]
struct Spelling {
    text: String,
    /// The rules that compare with it, in rule order.
    comparisons: Vec<Comparison>,
    /// Its loose key's group; none for an empty text.
    group: Option<u32>,
}

impl FieldTexts {
    /// The group of texts loosely equal to `written`, or to it in the singular.
    fn loose_group(&self, written: &str) -> Option<u32> {
        loose(written)?.readings().find_map(|key| self.loose.get(&key).copied())
    }

    fn add(&mut self, text: &str, comparison: Comparison) {
        let index = match self.exact.get(text) {
            Some(&i) => i,
            None => {
                let i = self.spellings.len() as u32;
                self.exact.insert(text.to_string(), i);
                let group = loose(text).map(|key| {
                    let next = self.groups.len() as u32;
                    let g = *self.loose.entry(key).or_insert(next);
                    if g == next {
                        self.groups.push(Vec::new());
                    }
                    if let Some(members) = self.groups.get_mut(g as usize) {
                        members.push(i);
                    }
                    g
                });
                self.spellings.push(Spelling { text: text.to_string(), comparisons: Vec::new(), group });
                i
            }
        };
        if let Some(spelling) = self.spellings.get_mut(index as usize) {
            if spelling.comparisons.last() != Some(&comparison) {
                spelling.comparisons.push(comparison);
            }
        }
    }
}

/// For every field a condition compares with text, the texts it is compared with. Each field's
/// texts are gathered the first time a campaign gives that field a value: a policy may compare
/// dozens of label fields with the same long set, and a run reads only a few of them.
#[derive(Clone, Debug, Default)]
pub struct ComparedTexts {
    fields: BTreeMap<Field, LazyTexts>,
}

/// One field's texts, gathered on first use from the rules that compare it (each listed once,
/// in id order), so that gathering them all costs the policy's size, not fields times rules.
#[derive(Clone, Debug, Default)]
struct LazyTexts {
    rules: Vec<RuleId>,
    texts: OnceLock<FieldTexts>,
}

/// A campaign text that no comparison of its field matches exactly but some match loosely.
struct Candidate<'a> {
    field: &'a Field,
    written: &'a str,
    at: Span,
    /// The use whose own field it is (`source`), else `None`.
    data_use: Option<usize>,
    texts: &'a FieldTexts,
    /// The policy's texts of the same loose key, by index into `texts.spellings`.
    spellings: &'a [u32],
    /// The policy's text it equals, when it equals one that other texts of its key stand
    /// beside: a note still, unless a rule that can read the value compares with that one.
    equals: Option<u32>,
}

/// Calls `visit` with every test of a condition that compares with text, and whether it is
/// outside `any` / `all`.
fn text_tests<'a>(cond: &'a Cond, direct: bool, visit: &mut impl FnMut(&'a Field, &'a CheckedTest, bool)) {
    match cond {
        Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| text_tests(c, direct, visit)),
        Cond::Not(inner) => text_tests(inner, direct, visit),
        Cond::Quant { body, .. } => text_tests(body, false, visit),
        Cond::Test { field, test, .. } => {
            if compared_texts(test).next().is_some() {
                visit(&field.field, test, direct);
            }
        }
    }
}

impl FieldTexts {
    /// The texts `rules` compare `field` with.
    fn of(policy: &CheckedPolicy, field: &Field, rules: &[RuleId]) -> FieldTexts {
        let mut texts = FieldTexts::default();
        for &rule in rules {
            let Some(cond) = policy.rule(rule).and_then(|r| r.condition.as_ref()) else { continue };
            text_tests(cond, true, &mut |f, test, direct| {
                if f == field {
                    compared_texts(test).for_each(|t| texts.add(t, Comparison { rule, direct }));
                }
            });
        }
        texts
    }
}

impl ComparedTexts {
    /// Notes which fields the policy's conditions compare with text, and in which rules.
    pub fn of(policy: &CheckedPolicy) -> ComparedTexts {
        let mut fields: BTreeMap<Field, LazyTexts> = BTreeMap::new();
        for (i, rule) in policy.rules.iter().enumerate() {
            let Some(cond) = &rule.condition else { continue };
            let rule = RuleId(i as u32);
            text_tests(cond, true, &mut |field, _, _| {
                let lazy = match fields.get_mut(field) {
                    Some(lazy) => lazy,
                    None => fields.entry(field.clone()).or_default(),
                };
                if lazy.rules.last() != Some(&rule) {
                    lazy.rules.push(rule);
                }
            });
        }
        ComparedTexts { fields }
    }

    /// The campaign's texts that equal none of the texts the policy compares their field with
    /// but one of them loosely, counting only rules whose scope reaches the campaign (for a
    /// use's own field, that use), in source order; leaving out those the decision's findings
    /// name already. Each names the spelling of the first such rule (in id order) and the
    /// rules that write it so.
    pub fn notes(&self, policy: &CheckedPolicy, campaign: &Campaign, decision: &CampaignDecision) -> Vec<SpellingNote> {
        let candidates = self.candidates(policy, campaign);
        if candidates.is_empty() {
            return Vec::new();
        }
        let named: HashSet<Span> = decision.named_respellings().map(|r| r.at).collect();
        let reach = Reach::of(campaign, decision);
        let mut notes = Vec::new();
        for c in candidates.into_iter().filter(|c| !named.contains(&c.at)) {
            let reached = |comparisons: &[Comparison]| -> Vec<RuleId> {
                let rules = comparisons.iter().filter(|cmp| reach.sees(policy, cmp, c.data_use));
                rules.map(|cmp| cmp.rule).collect()
            };
            let spelling = |i: u32| c.texts.spellings.get(i as usize);
            if c.equals.and_then(spelling).is_some_and(|s| !reached(&s.comparisons).is_empty()) {
                continue;
            }
            // Each other text of the key with the rules that compare with it and can read the value.
            let seen = c.spellings.iter().filter(|&&i| Some(i) != c.equals).filter_map(|&i| spelling(i));
            let seen = seen.map(|s| (s.text.as_str(), reached(&s.comparisons))).filter(|(_, rules)| !rules.is_empty());
            let Some((meant, mut rules)) = seen.min_by_key(|(_, rules)| rules.first().copied()) else {
                continue;
            };
            rules.dedup();
            let respelling = Respelling::new(c.at, c.written, meant);
            notes.push(SpellingNote { respelling, field: c.field.clone(), rules });
        }
        notes.sort_by_key(|n| n.respelling.at);
        notes.dedup_by_key(|n| n.respelling.at);
        notes
    }

    fn candidates<'a>(&'a self, policy: &CheckedPolicy, campaign: &'a Campaign) -> Vec<Candidate<'a>> {
        let mut out = Vec::new();
        for (field, lazy) in &self.fields {
            for (fact, data_use) in values(campaign, field) {
                let mut written = written_texts(fact).peekable();
                if written.peek().is_none() {
                    continue;
                }
                let texts = lazy.texts.get_or_init(|| FieldTexts::of(policy, field, &lazy.rules));
                for (written, at) in written {
                    let (group, equals) = match texts.exact.get(written) {
                        Some(&i) => (texts.spellings.get(i as usize).and_then(|s| s.group), Some(i)),
                        None => (texts.loose_group(written), None),
                    };
                    let Some(spellings) = group.and_then(|g| texts.groups.get(g as usize)) else { continue };
                    // Equal to the policy's only spelling of its key: nothing else to suggest.
                    if equals.is_some() && spellings.len() < 2 {
                        continue;
                    }
                    out.push(Candidate { field, written, at, data_use, texts, spellings, equals });
                }
            }
        }
        out
    }
}

/// Every value of a field in a campaign, each with the use it belongs to: one per use for a
/// use's own fields, one per processor for a processor's, else the campaign's one.
fn values<'a>(campaign: &'a Campaign, field: &Field) -> Vec<(Fact<'a>, Option<usize>)> {
    match field {
        Field::Category | Field::Retention | Field::Source | Field::Purpose | Field::Basis => campaign
            .data
            .iter()
            .enumerate()
            .map(|(i, data_use)| (Scope::DataUse { campaign, data_use }.fact(field), Some(i)))
            .collect(),
        Field::ProcessorName | Field::ProcessorRegion | Field::ProcessorSafeguard | Field::ProcessorDpa => {
            let processors = campaign.processors.as_deref().unwrap_or_default();
            processors.iter().map(|p| (Scope::Processor(p).fact(field), None)).collect()
        }
        Field::Campaign
        | Field::Name
        | Field::Owner
        | Field::Channels
        | Field::Regions
        | Field::MinAge
        | Field::Subjects
        | Field::Segments
        | Field::ConsentSource
        | Field::DoubleOptIn
        | Field::Withdrawal
        | Field::Processors
        | Field::Encryption
        | Field::Access
        | Field::Monitoring
        | Field::Unsubscribe
        | Field::Contact
        | Field::RightsAccess
        | Field::Erasure
        | Field::Rectification
        | Field::Data
        | Field::Label(_) => vec![(campaign_field(campaign, field), None)],
    }
}

/// Which rules can read a campaign's values: those whose scope contains one of its uses, or,
/// campaign-level, one of its effective purposes.
struct Reach {
    uses: Vec<(crate::policy::CategoryId, PurposeId, usize)>,
    purposes: Vec<PurposeId>,
}

impl Reach {
    fn of(campaign: &Campaign, decision: &CampaignDecision) -> Reach {
        let uses: Vec<_> = decision.uses.iter().map(|u| (u.category, u.purpose, u.index)).collect();
        let mut purposes: Vec<PurposeId> =
            campaign.purpose.iter().map(|p| p.value).chain(uses.iter().map(|u| u.1)).collect();
        purposes.sort_unstable();
        purposes.dedup();
        Reach { uses, purposes }
    }

    /// Whether the rule of a comparison can read the value (of `data_use`, when it is a
    /// use's own field).
    fn sees(&self, policy: &CheckedPolicy, cmp: &Comparison, data_use: Option<usize>) -> bool {
        match policy.rule(cmp.rule).map(|r| &r.scope) {
            Some(RuleScope::Campaign { purposes }) => {
                self.purposes.iter().any(|&p| purposes.holds(&policy.purposes, p))
            }
            Some(RuleScope::Uses { categories, purposes }) => self.uses.iter().any(|&(c, p, i)| {
                (!cmp.direct || data_use.is_none_or(|u| u == i))
                    && categories.holds(&policy.categories, c)
                    && purposes.holds(&policy.purposes, p)
            }),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{difference, loose, Difference};
    use crate::eval::CompiledPolicy;
    use crate::source::{FileId, SourceFile};

    const BASE: &str = "basis consent\ncategory contact\ncategory behavior\npurpose marketing\npurpose analytics\n\
                        rule ok { allow * for * }\n";

    /// The decision of a campaign (its `data:` entries given) under BASE and `rules`.
    fn decide(rules: &str, top: &str, data: &str) -> crate::eval::CampaignDecision {
        let text = format!("{BASE}{rules}");
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into() }];
        let policy =
            CompiledPolicy::new(crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems)));
        let yaml = format!("campaign: c\npurpose: marketing\nbasis: consent\n{top}data:\n{data}");
        let Ok(campaign) = crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml.as_str()), &policy.policy)
        else {
            panic!("invalid: {yaml}")
        };
        let decision = policy.decide(&campaign);
        assert_eq!(decision, crate::eval::oracle::decide(&policy.policy, &campaign));
        decision
    }

    /// (field, written, meant, rule ids) of each spelling note.
    fn notes(rules: &str, top: &str, data: &str) -> Vec<(String, String, String, Vec<u32>)> {
        let d = decide(rules, top, data);
        d.spelling_notes
            .into_iter()
            .map(|n| {
                let r = n.respelling;
                (n.field.campaign_key(), r.written, r.meant, n.rules.iter().map(|r| r.0).collect())
            })
            .collect()
    }

    fn note(field: &str, written: &str, meant: &str, rules: &[u32]) -> (String, String, String, Vec<u32>) {
        (field.into(), written.into(), meant.into(), rules.to_vec())
    }

    /// Rule ids are in name order: `a` is 0, `b` 1, `c` 2 (and `ok` comes last).
    const RULES: &str = "rule a { warn * for marketing when source in [support, billing] }\n\
        rule b { deny * for marketing when labels.brand == North_Wind and owner != crm }\n\
        rule c { warn campaign for * when any processors (region == US) or any data (source == Support_Desk) }\n";

    const CONTACT: &str = "  - category: contact\n    source: ";

    #[test]
    fn a_text_spelt_like_no_comparison_of_its_field_is_named_with_the_rules_that_compare() {
        assert_eq!(notes(RULES, "", &format!("{CONTACT}Support\n")), [note("source", "Support", "support", &[0])]);
        // In the plural where the policy has the singular.
        assert_eq!(notes(RULES, "", &format!("{CONTACT}Billings\n")), [note("source", "Billings", "billing", &[0])]);
        assert_eq!(notes(RULES, "", &format!("{CONTACT}BILLING\n")), [note("source", "BILLING", "billing", &[0])]);
        // Spaces, `_` and `-` are left out; a rule inside `any data (…)` compares `source` too
        // (with a processor declared, so that `c` does not apply, and say so itself).
        assert_eq!(
            notes(RULES, "processors:\n  - name: A\n    region: SE\n", &format!("{CONTACT}supportdesk\n")),
            [note("source", "supportdesk", "Support_Desk", &[2])]
        );
        let top = "owner: CRM\nlabels:\n  brand: north-wind\nprocessors:\n  - name: A\n    region: us\n";
        let expected = [
            note("owner", "CRM", "crm", &[1]),
            note("labels.brand", "north-wind", "North_Wind", &[1]),
            note("processors.region", "us", "US", &[2]),
        ];
        assert_eq!(notes(RULES, top, &format!("{CONTACT}web\n")), expected);
    }

    #[test]
    fn case_is_folded_and_text_normalised() {
        let rules = "rule a { warn * for * when owner in [\"Mail Vendor\", todo, \"straße\", \"café\"] }\n";
        for (written, meant) in
            [("MailVendor", "Mail Vendor"), ("to-do", "todo"), ("STRASSE", "straße"), ("cafe\u{301}", "café")]
        {
            let top = format!("owner: \"{written}\"\n");
            assert_eq!(notes(rules, &top, &format!("{CONTACT}web\n")), [note("owner", written, meant, &[0])]);
        }
    }

    #[test]
    fn a_text_some_comparison_matches_exactly_or_that_is_simply_another_is_not_named() {
        assert_eq!(notes(RULES, "", &format!("{CONTACT}support\n")), []);
        assert_eq!(notes(RULES, "", &format!("{CONTACT}Support_Desk\n")), []);
        assert_eq!(notes(RULES, "owner: marketing\n", &format!("{CONTACT}helpdesk\n")), []);
        // `name` is compared with nothing: any spelling is as good as another.
        assert_eq!(notes(RULES, "name: Support\n", &format!("{CONTACT}web\n")), []);
    }

    /// A value a finding names is said there, once, with that rule's own spelling; a note names
    /// only the rules that write the spelling it gives.
    #[test]
    fn a_respelling_a_finding_names_is_left_out_and_each_spelling_has_its_rules() {
        let rules = "rule a { warn * for * when source == support }\nrule b { deny * for * when source != SUPPORT }\n";
        let d = decide(rules, "", &format!("{CONTACT}Support\n"));
        assert_eq!(d.spelling_notes, []);
        let named: Vec<(&str, &str)> = d.named_respellings().map(|r| (r.written.as_str(), r.meant.as_str())).collect();
        assert_eq!(named, [("Support", "SUPPORT")]);
        let rules =
            "rule a { warn * for * when source == support }\nrule b { warn * for * when source in [SUPPORT] }\n\
                     rule c { warn * for * when source == support }\n";
        assert_eq!(notes(rules, "", &format!("{CONTACT}Support\n")), [note("source", "Support", "support", &[0, 2])]);
    }

    /// A value equal to one rule's text is still a note when that rule cannot read it and
    /// another, which can, spells it otherwise.
    #[test]
    fn an_exact_match_counts_only_for_a_rule_that_can_read_the_value() {
        let rules = "rule a { warn contact for analytics when owner == \"CRM\" }\nrule b { warn contact for marketing when owner == crm }\n";
        assert_eq!(notes(rules, "owner: CRM\n", &format!("{CONTACT}web\n")), [note("owner", "CRM", "crm", &[1])]);
        let both = rules.replace("analytics", "marketing");
        assert_eq!(notes(&both, "owner: CRM\n", &format!("{CONTACT}web\n")), []);
    }

    /// Dashes of any kind are separators, and a text of separators only is one key: `--` and
    /// `_` are the policy's `-` (a "nothing recorded" mark).
    #[test]
    fn dashes_and_texts_of_separators_only_are_compared_loosely() {
        let rules = "rule a { warn * for * when labels.lia in [\"-\", one-click] }\n";
        for (written, meant) in [("\"--\"", "-"), ("_", "-"), ("\"- -\"", "-"), ("one–click", "one-click")] {
            let top = format!("labels:\n  lia: {written}\n");
            let found = notes(rules, &top, &format!("{CONTACT}web\n"));
            assert_eq!(found.iter().map(|n| n.2.as_str()).collect::<Vec<_>>(), [meant], "{written}");
        }
    }

    /// Only rules whose scope reaches the campaign count, and for a use's own field tested
    /// outside `any data (…)`, only those whose scope holds that use.
    #[test]
    fn rules_that_cannot_read_the_value_are_not_counted() {
        let rules = "rule b { warn behavior for * when source == support }\n";
        assert_eq!(notes(rules, "", &format!("{CONTACT}Support\n")), []);
        let both = format!("{CONTACT}Support\n  - category: behavior\n    source: web\n");
        assert_eq!(notes(rules, "", &both), []);
        let anywhere = "rule b { warn behavior for * when any data (source == support) }\n";
        assert_eq!(notes(anywhere, "", &both), [note("source", "Support", "support", &[0])]);
        let elsewhere = "rule b { warn campaign for analytics when owner == crm }\n";
        assert_eq!(notes(elsewhere, "owner: CRM\n", &format!("{CONTACT}web\n")), []);
    }

    /// Every pair tested here is loosely equal (the case the difference is asked for), and the
    /// difference is said with the same case folding and separators as the loose key.
    #[test]
    fn a_respelling_says_how_the_two_texts_differ() {
        let cases = [
            ("Support", "support", Difference::Case),
            ("STRASSE", "straße", Difference::Case),
            ("ΣΊΣΥΦΟΣ", "σίσυφος", Difference::Case),
            ("support ", "support", Difference::Separators),
            ("one\u{2013}click", "one-click", Difference::Separators),
            ("Mail_Vendor", "mail vendor", Difference::CaseAndSeparators),
            ("cafe\u{301}", "caf\u{e9}", Difference::Characters),
            ("ｓｕｐｐｏｒｔ", "support", Difference::Characters),
        ];
        for (written, meant, expected) in cases {
            assert_eq!(loose(written), loose(meant), "{written} / {meant} are not loosely equal");
            assert_eq!(difference(written, meant), expected, "{written} / {meant}");
        }
        // Equal once the written text is singular: a plural.
        for (written, meant) in [("customers", "customer"), ("App-Users", "app-user")] {
            let singular = loose(written).and_then(|k| k.singular());
            assert_eq!(singular, loose(meant), "{written} / {meant}");
            assert_eq!(difference(written, meant), Difference::Plural, "{written} / {meant}");
        }
        assert_eq!(loose("sms").and_then(|k| k.singular()), None);
    }
}
