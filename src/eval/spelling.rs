//! Campaign values spelt otherwise than every value the policy compares them with (`source:
//! Support` where the policy looks for `support`). Values are compared exactly (spec 3), so
//! such a value matches none of them, and a deny or warn rule that looks for it does not
//! apply: the campaign is decided as written, and the report says what was probably meant.
//! Built once per policy: for each field, the texts its conditions compare it with.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::condition::{campaign_field, Fact, Val};
use super::decision::{Respelling, UnmatchedSpelling};
use crate::campaign::Campaign;
use crate::policy::fields::Field;
use crate::policy::{CheckedPolicy, CheckedTest, Cond, Literal, RuleId};

/// A text as it is compared loosely: lower case, with spaces and `_` read as `-`.
pub(super) fn loose(text: &str) -> String {
    text.chars().map(|c| if matches!(c, ' ' | '_') { '-' } else { c }).collect::<String>().to_lowercase()
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
        | CheckedTest::Compare(..) => &[],
    };
    literals.iter().filter_map(|l| match l {
        Literal::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

/// The texts the policy compares one field with.
#[derive(Clone, Debug, Default)]
struct FieldTexts {
    /// As written.
    exact: HashSet<String>,
    /// By loose key: the first spelling in rule order, and the rules that compare with a
    /// text of that key.
    loose: HashMap<String, (String, BTreeSet<RuleId>)>,
}

/// For every field a condition compares with text, the texts it is compared with.
#[derive(Clone, Debug, Default)]
pub struct Spellings {
    fields: BTreeMap<Field, FieldTexts>,
}

impl Spellings {
    /// Collects every text that a rule's condition compares a field with.
    pub fn of(policy: &CheckedPolicy) -> Spellings {
        let mut spellings = Spellings::default();
        for (i, rule) in policy.rules.iter().enumerate() {
            if let Some(cond) = &rule.condition {
                spellings.add(cond, RuleId(i as u32));
            }
        }
        spellings
    }

    fn add(&mut self, cond: &Cond, rule: RuleId) {
        match cond {
            Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| self.add(c, rule)),
            Cond::Not(inner) => self.add(inner, rule),
            Cond::Quant { body, .. } => self.add(body, rule),
            Cond::Test { field, test, .. } => {
                for text in compared_texts(test) {
                    let texts = self.fields.entry(field.field.clone()).or_default();
                    texts.exact.insert(text.to_string());
                    let (_, rules) =
                        texts.loose.entry(loose(text)).or_insert_with(|| (text.to_string(), BTreeSet::new()));
                    rules.insert(rule);
                }
            }
        }
    }

    /// The campaign's texts that equal none of the texts the policy compares their field with,
    /// but one of them loosely, in source order; leaving out those in `named` (findings name
    /// them already).
    pub fn unmatched(&self, campaign: &Campaign, named: &[Respelling]) -> Vec<UnmatchedSpelling> {
        let mut out = Vec::new();
        for (field, texts) in &self.fields {
            for (value, at) in facts(campaign, field) {
                let mut check = |written: &str, at| {
                    if texts.exact.contains(written) {
                        return;
                    }
                    let Some((meant, rules)) = texts.loose.get(&loose(written)) else { return };
                    let respelling = Respelling { at, written: written.to_string(), meant: meant.clone() };
                    if !named.contains(&respelling) {
                        let rules = rules.iter().copied().collect();
                        out.push(UnmatchedSpelling { respelling, field: field.clone(), rules });
                    }
                };
                match (value, at) {
                    (Val::Text(written), Some(at)) => check(written, at),
                    (Val::TextList(items), _) => items.iter().for_each(|l| check(&l.value, l.span)),
                    _ => {}
                }
            }
        }
        out.sort_by_key(|u| (u.respelling.at.file, u.respelling.at.start));
        out.dedup_by(|a, b| a.respelling == b.respelling);
        out
    }
}

/// Every value of a field in a campaign: one for a campaign-wide field, one per data use for
/// `source`, one per processor for a processor's fields.
fn facts<'a>(campaign: &'a Campaign, field: &Field) -> Vec<Fact<'a>> {
    let text = |v: &'a Option<crate::campaign::Located<String>>| match v {
        Some(l) => (Val::Text(&l.value), Some(l.span)),
        None => (Val::Absent, None),
    };
    let processors = campaign.processors.as_deref().unwrap_or_default();
    match field {
        Field::Source => campaign.data.iter().map(|u| text(&u.source)).collect(),
        Field::ProcessorName => processors.iter().map(|p| (Val::Text(&p.name.value), Some(p.name.span))).collect(),
        Field::ProcessorRegion => processors.iter().map(|p| text(&p.region)).collect(),
        Field::ProcessorSafeguard => processors.iter().map(|p| text(&p.safeguard)).collect(),
        other => vec![campaign_field(campaign, other)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    const POLICY: &str = "basis consent\ncategory contact\npurpose marketing\n\
        rule a { warn * for marketing when source in [support, billing] }\n\
        rule b { deny * for marketing when labels.brand == North_Wind and owner != crm }\n\
        rule c { warn campaign for * when any processors (region == US) or any data (source == Support_Desk) }\n";

    /// (field, written, meant, rules) of every unmatched text of a campaign, given its fields
    /// below `data:` and at top level.
    fn unmatched(top: &str, source: &str) -> Vec<(String, String, String, Vec<u32>)> {
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: POLICY.into() }];
        let policy = crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems));
        let yaml = format!(
            "campaign: c\npurpose: marketing\nbasis: consent\n{top}data:\n  - category: contact\n    source: {source}\n"
        );
        let Ok(campaign) = crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml.as_str()), &policy) else {
            panic!("invalid: {yaml}")
        };
        let found = Spellings::of(&policy).unmatched(&campaign, &[]);
        found
            .into_iter()
            .map(|u| {
                let r = u.respelling;
                (u.field.path(), r.written, r.meant, u.rules.iter().map(|r| r.0).collect())
            })
            .collect()
    }

    fn note(field: &str, written: &str, meant: &str, rules: &[u32]) -> (String, String, String, Vec<u32>) {
        (field.into(), written.into(), meant.into(), rules.to_vec())
    }

    #[test]
    fn a_text_spelt_like_no_comparison_of_its_field_is_named_with_the_rules_that_compare() {
        assert_eq!(unmatched("", "Support"), [note("source", "Support", "support", &[0])]);
        assert_eq!(unmatched("", "BILLING"), [note("source", "BILLING", "billing", &[0])]);
        // Spaces, `_` and `-` are one; a rule inside `any data (…)` compares `source` too.
        assert_eq!(unmatched("", "support desk"), [note("source", "support desk", "Support_Desk", &[2])]);
        let top = "owner: CRM\nlabels:\n  brand: north-wind\nprocessors:\n  - name: A\n    region: us\n";
        let expected = [
            note("owner", "CRM", "crm", &[1]),
            note("labels.brand", "north-wind", "North_Wind", &[1]),
            note("region", "us", "US", &[2]),
        ];
        assert_eq!(unmatched(top, "web"), expected);
    }

    #[test]
    fn a_text_some_comparison_matches_exactly_or_that_is_simply_another_is_not_named() {
        // `Support_Desk` is compared with `source` too, so `support` is matched exactly.
        assert_eq!(unmatched("", "support"), []);
        assert_eq!(unmatched("", "Support_Desk"), []);
        assert_eq!(unmatched("owner: marketing\n", "helpdesk"), []);
        // `name` is compared with nothing: any spelling is as good as another.
        assert_eq!(unmatched("name: Support\n", "web"), []);
    }

    #[test]
    fn a_respelling_a_finding_names_is_left_out() {
        let texts = vec![crate::policy::PolicyText { relative: "p".into(), display: "p".into(), bytes: POLICY.into() }];
        let policy = crate::policy::load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems));
        let yaml = "campaign: c\npurpose: marketing\nbasis: consent\nowner: CRM\ndata:\n  - category: contact\n    source: Support\n";
        let campaign = crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml), &policy).unwrap();
        let spellings = Spellings::of(&policy);
        let all = spellings.unmatched(&campaign, &[]);
        assert_eq!(all.len(), 2);
        let rest = spellings.unmatched(&campaign, std::slice::from_ref(&all[0].respelling));
        assert_eq!(rest, all[1..]);
    }
}
