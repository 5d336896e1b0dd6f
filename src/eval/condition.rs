//! Three-valued evaluation of typed conditions over a campaign (spec 3.1).

use super::decision::MissingFact;
use super::truth::Truth;
use crate::campaign::{Campaign, DataUse, Located, Processor};
use crate::policy::fields::{Field, ObjectKind};
use crate::policy::{
    CategoryId, CheckedPolicy, CheckedTest, Cond, FieldUse, Literal, PurposeId, Quantifier, Retention,
};
use crate::source::Span;
use std::collections::HashSet;

/// Receives what evaluation saw; the decision path uses [`NoObserver`], explanations record.
pub trait Observe {
    /// A test (written at `span`) was evaluated on a field with this value.
    fn test(&mut self, span: Span, field: &FieldUse, value: &Val<'_>, result: Truth);

    /// The tests that follow are of element `index` of the list written `list` (`data`,
    /// `processors`), until this is called with `None`.
    fn element(&mut self, _at: Option<(&str, usize)>) {}
}

/// Observes nothing.
pub struct NoObserver;

impl Observe for NoObserver {
    fn test(&mut self, _: Span, _: &FieldUse, _: &Val<'_>, _: Truth) {}
}

/// The fields a campaign left undeclared that make `cond` unknown in `scope`, in the order
/// evaluation meets them. Only the parts that decide the result count: in `x is not set or x in
/// S` with `x` absent the `or` is true, so `x` is not named even if another part is unknown. A
/// field of a list element is named with the element's place, `processors[1].dpa`, so that the
/// marketer knows which entry lacks it: the first [`ELEMENTS_NAMED`] places of each field, then
/// `processors[…].dpa` once for the rest (a finding repeated on each of thousands of uses must
/// not list thousands of places).
pub(super) fn unknown_fields(policy: &CheckedPolicy, cond: &Cond, scope: Scope<'_>) -> Vec<MissingFact> {
    let mut found = Found::default();
    blame(policy, cond, scope, None, &mut found);
    found.names
}

/// Adds `retention` to the missing facts of a retain rule's finding on a use that does not
/// declare it: the limit needs it. Named once, as the rule's condition may test it too.
pub(super) fn name_missing_retention(fields: &mut Vec<MissingFact>) {
    if !fields.contains(&MissingFact::Retention) {
        fields.push(MissingFact::Retention);
    }
}

/// How many elements of a list are named for one missing field.
pub(super) const ELEMENTS_NAMED: usize = 3;

/// A list element: the list's field as written, and the element's index.
type Element<'a> = Option<(&'a str, usize)>;

#[derive(Default)]
struct Found<'c> {
    names: Vec<MissingFact>,
    // Keeps a condition over a hundred thousand labels from being quadratic.
    seen: HashSet<MissingFact>,
    /// Per list and element field (as written in the condition), the places named: a few
    /// pairs, counted without building a name for every element of a long list.
    places: Vec<Places<'c>>,
}

/// The elements named for one field of a list's elements.
struct Places<'c> {
    list: &'c str,
    field: &'c str,
    /// The indexes named, at most [`ELEMENTS_NAMED`]: an element whose field the condition
    /// tests several times (`any processors (safeguard == scc or safeguard == dpf)`) is one.
    named: Vec<usize>,
    /// Whether `list[…].field` was named for the elements beyond them.
    more: bool,
}

impl<'c> Found<'c> {
    fn name(&mut self, element: Element<'c>, field: &'c FieldUse) {
        let name = match element {
            None => match field.field {
                Field::Retention => MissingFact::Retention,
                _ => MissingFact::Field(field.text.clone()),
            },
            Some((list, i)) => {
                let at = match self.places.iter().position(|p| p.list == list && p.field == field.text) {
                    Some(at) => at,
                    None => {
                        self.places.push(Places { list, field: &field.text, named: Vec::new(), more: false });
                        self.places.len() - 1
                    }
                };
                let Some(places) = self.places.get_mut(at) else { return };
                let (list, field) = (list.to_string(), field.text.clone());
                if places.named.contains(&i) {
                    return;
                } else if places.named.len() < ELEMENTS_NAMED {
                    places.named.push(i);
                    MissingFact::Element { list, index: i, field }
                } else if !places.more {
                    places.more = true;
                    MissingFact::MoreElements { list, field }
                } else {
                    return;
                }
            }
        };
        if self.seen.insert(name.clone()) {
            self.names.push(name);
        }
    }
}

/// Walks down only through unknown parts: under an unknown `or` no part is true and under an
/// unknown `and` none is false (Kleene), so every unknown part is one the result depends on.
/// Each level evaluates its subtree again, which costs depth × size; conditions nest at most
/// 64 deep, and this runs only to explain a rule that was unknown.
fn blame<'c>(policy: &CheckedPolicy, cond: &'c Cond, scope: Scope<'_>, element: Element<'c>, found: &mut Found<'c>) {
    if eval(policy, cond, scope, &mut NoObserver) != Truth::Unknown {
        return;
    }
    match cond {
        Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| blame(policy, c, scope, element, found)),
        Cond::Not(inner) => blame(policy, inner, scope, element, found),
        Cond::Quant { field, body, .. } => {
            // Quantifiers do not nest (the checker refuses it), so an element is one level deep.
            let list = field.text.as_str();
            match (scope.get(&field.field), scope) {
                (Val::Absent, _) => found.name(element, field),
                (Val::Processors(items), _) => {
                    for (i, p) in items.iter().enumerate() {
                        blame(policy, body, Scope::Processor(p), Some((list, i)), found);
                    }
                }
                (
                    Val::Data(items),
                    Scope::Use { campaign, .. } | Scope::Campaign { campaign, .. } | Scope::DataUse { campaign, .. },
                ) => {
                    for (i, data_use) in items.iter().enumerate() {
                        blame(policy, body, Scope::DataUse { campaign, data_use }, Some((list, i)), found);
                    }
                }
                _ => {}
            }
        }
        Cond::Test { field, .. } => {
            if matches!(scope.get(&field.field), Val::Absent) {
                found.name(element, field);
            }
        }
    }
}

/// A field's value as evaluation sees it.
#[derive(Clone, Copy, Debug)]
pub enum Val<'a> {
    /// The campaign does not declare it.
    Absent,
    /// Text or symbol.
    Text(&'a str),
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
    /// A list of text values.
    TextList(&'a [Located<String>]),
    /// The processors.
    Processors(&'a [Processor]),
    /// The data uses.
    Data(&'a [DataUse]),
}

/// What fields refer to: the campaign with one use, the campaign at one purpose, or one
/// element inside `any` / `all`.
#[derive(Clone, Copy)]
pub(super) enum Scope<'a> {
    /// A per-use rule.
    Use {
        /// The campaign.
        campaign: &'a Campaign,
        /// The use.
        data_use: &'a DataUse,
        /// Its effective purpose.
        purpose: PurposeId,
    },
    /// A campaign-level rule at one effective purpose.
    Campaign {
        /// The campaign.
        campaign: &'a Campaign,
        /// The purpose.
        purpose: PurposeId,
    },
    /// Inside `any processors (…)`.
    Processor(&'a Processor),
    /// Inside `any data (…)`.
    DataUse {
        /// The campaign (for effective purpose and basis).
        campaign: &'a Campaign,
        /// The element.
        data_use: &'a DataUse,
    },
}

/// A field's value, and where the campaign writes it: `None` for an absent field, an
/// effective purpose that only a rule's scope gives, or a list of objects (pointed at element
/// by element). Reports point at the place; evaluation reads only the value.
pub(super) type Fact<'a> = (Val<'a>, Option<Span>);

fn fact<'a, T>(v: &'a Option<Located<T>>, val: impl FnOnce(&'a T) -> Val<'a>) -> Fact<'a> {
    v.as_ref().map_or((Val::Absent, None), |l| (val(&l.value), Some(l.span)))
}

fn opt_text(v: &Option<Located<String>>) -> Fact<'_> {
    fact(v, |s| Val::Text(s))
}

fn opt_bool(v: &Option<Located<bool>>) -> Fact<'_> {
    fact(v, |b| Val::Bool(*b))
}

/// A list of texts, placed from its first item to its last (an empty list has no place).
fn opt_list(v: &Option<Vec<Located<String>>>) -> Fact<'_> {
    let Some(items) = v.as_deref() else { return (Val::Absent, None) };
    let place = match (items.first(), items.last()) {
        (Some(first), Some(last)) => {
            Some(Span { file: first.span.file, start: first.span.start, end: last.span.end.max(first.span.start) })
        }
        _ => None,
    };
    (Val::TextList(items), place)
}

/// A campaign-wide field's value and where the campaign writes it (absent for a use's or a
/// processor's own fields).
pub(super) fn campaign_field<'a>(c: &'a Campaign, field: &Field) -> Fact<'a> {
    match field {
        Field::Campaign => opt_text(&c.id),
        Field::Name => opt_text(&c.name),
        Field::Owner => opt_text(&c.owner),
        Field::Purpose => fact(&c.purpose, |p| Val::Purpose(*p)),
        Field::Basis => opt_text(&c.basis),
        Field::Channels => opt_list(&c.channels),
        Field::Regions => opt_list(&c.regions),
        Field::MinAge => fact(&c.min_age, |n| Val::Int(*n)),
        Field::Subjects => opt_list(&c.subjects),
        Field::Segments => opt_list(&c.segments),
        Field::ConsentSource => opt_text(&c.consent_source),
        Field::DoubleOptIn => opt_bool(&c.double_opt_in),
        Field::Withdrawal => opt_text(&c.withdrawal),
        Field::Processors => (c.processors.as_deref().map_or(Val::Absent, Val::Processors), None),
        Field::Encryption => opt_list(&c.encryption),
        Field::Access => opt_list(&c.access),
        Field::Monitoring => opt_bool(&c.monitoring),
        Field::Unsubscribe => opt_bool(&c.unsubscribe),
        Field::Contact => opt_text(&c.contact),
        Field::RightsAccess => opt_text(&c.rights_access),
        Field::Erasure => opt_text(&c.erasure),
        Field::Rectification => opt_text(&c.rectification),
        Field::Data => (Val::Data(&c.data), None),
        Field::Label(key) => c.labels.get(key).map_or((Val::Absent, None), |l| (Val::Text(&l.value), Some(l.span))),
        // A use's own fields are read by `use_field`, a processor's inside `any processors`;
        // listed, so that a new field must be placed here.
        Field::Category
        | Field::Retention
        | Field::Source
        | Field::ProcessorName
        | Field::ProcessorRegion
        | Field::ProcessorSafeguard
        | Field::ProcessorDpa => (Val::Absent, None),
    }
}

fn use_field<'a>(c: &'a Campaign, u: &'a DataUse, purpose: PurposeId, field: &Field) -> Fact<'a> {
    match field {
        Field::Category => (Val::Category(u.category.value), Some(u.category.span)),
        Field::Retention => fact(&u.retention, |r| Val::Duration(*r)),
        Field::Source => opt_text(&u.source),
        Field::Purpose => (Val::Purpose(purpose), u.purpose.as_ref().or(c.purpose.as_ref()).map(|p| p.span)),
        Field::Basis => opt_text(if u.basis.is_some() { &u.basis } else { &c.basis }),
        other => campaign_field(c, other),
    }
}

impl<'a> Scope<'a> {
    /// The campaign of this scope; none for a processor's, which reads only its own fields.
    pub(super) fn campaign(self) -> Option<&'a Campaign> {
        match self {
            Scope::Use { campaign, .. } | Scope::Campaign { campaign, .. } | Scope::DataUse { campaign, .. } => {
                Some(campaign)
            }
            Scope::Processor(_) => None,
        }
    }

    /// A field's value in this scope.
    pub(super) fn get(self, field: &Field) -> Val<'a> {
        self.fact(field).0
    }

    /// A field's value in this scope and where the campaign writes it.
    pub(super) fn fact(self, field: &Field) -> Fact<'a> {
        match self {
            Scope::Use { campaign, data_use, purpose } => use_field(campaign, data_use, purpose, field),
            Scope::Campaign { campaign, purpose } => match field {
                Field::Purpose => (Val::Purpose(purpose), campaign.purpose.as_ref().map(|p| p.span)),
                other => campaign_field(campaign, other),
            },
            Scope::DataUse { campaign, data_use } => {
                let purpose = data_use.purpose.as_ref().or(campaign.purpose.as_ref()).map(|p| p.value);
                match (field, purpose) {
                    (_, Some(p)) => use_field(campaign, data_use, p, field),
                    (_, None) => (Val::Absent, None),
                }
            }
            Scope::Processor(p) => match field {
                Field::ProcessorName => (Val::Text(&p.name.value), Some(p.name.span)),
                Field::ProcessorRegion => opt_text(&p.region),
                Field::ProcessorSafeguard => opt_text(&p.safeguard),
                Field::ProcessorDpa => opt_bool(&p.dpa),
                _ => (Val::Absent, None),
            },
        }
    }
}

/// Evaluates a condition in a scope.
pub(crate) fn eval<O: Observe>(policy: &CheckedPolicy, cond: &Cond, scope: Scope<'_>, obs: &mut O) -> Truth {
    match cond {
        Cond::Or(parts) => parts.iter().fold(Truth::False, |acc, c| acc.or(eval(policy, c, scope, obs))),
        Cond::And(parts) => parts.iter().fold(Truth::True, |acc, c| acc.and(eval(policy, c, scope, obs))),
        Cond::Not(inner) => eval(policy, inner, scope, obs).negate(),
        Cond::Quant { span, quantifier, list, field, body } => {
            let value = scope.get(&field.field);
            let name = field.text.as_str();
            let result = match (list, value) {
                (ObjectKind::Processor, Val::Processors(items)) => quantify(
                    *quantifier,
                    items.iter().enumerate().map(|(i, p)| {
                        obs.element(Some((name, i)));
                        eval(policy, body, Scope::Processor(p), obs)
                    }),
                ),
                (ObjectKind::DataUse, Val::Data(items)) => {
                    let campaign = match scope {
                        Scope::Use { campaign, .. }
                        | Scope::Campaign { campaign, .. }
                        | Scope::DataUse { campaign, .. } => Some(campaign),
                        Scope::Processor(_) => None,
                    };
                    match campaign {
                        Some(c) => quantify(
                            *quantifier,
                            items.iter().enumerate().map(|(i, u)| {
                                obs.element(Some((name, i)));
                                eval(policy, body, Scope::DataUse { campaign: c, data_use: u }, obs)
                            }),
                        ),
                        None => Truth::Unknown,
                    }
                }
                _ => Truth::Unknown,
            };
            obs.element(None);
            obs.test(*span, field, &value, result);
            result
        }
        Cond::Test { span, field, test } => {
            let value = scope.get(&field.field);
            let result = test_value(policy, test, &value);
            obs.test(*span, field, &value, result);
            result
        }
    }
}

fn quantify(quantifier: Quantifier, items: impl Iterator<Item = Truth>) -> Truth {
    match quantifier {
        Quantifier::All => items.fold(Truth::True, Truth::and),
        Quantifier::Any => items.fold(Truth::False, Truth::or),
    }
}

fn equals(value: &Val<'_>, lit: &Literal) -> Option<bool> {
    Some(match (value, lit) {
        (Val::Text(a), Literal::Text(b)) => *a == b,
        (Val::Bool(a), Literal::Bool(b)) => a == b,
        (Val::Int(a), Literal::Int(b)) => a == b,
        (Val::Duration(a), Literal::Duration(b)) => a == b,
        (Val::Category(a), Literal::Category(b)) => a == b,
        (Val::Purpose(a), Literal::Purpose(b)) => a == b,
        (Val::Absent, _) => return None,
        _ => false,
    })
}

fn text_in(text: &str, lits: &[Literal]) -> bool {
    lits.iter().any(|l| matches!(l, Literal::Text(t) if t == text))
}

/// A test's value on a field's value (spec 3.1), as the reference interpreter decides it.
pub(crate) fn test_value(policy: &CheckedPolicy, test: &CheckedTest, value: &Val<'_>) -> Truth {
    let absent = matches!(value, Val::Absent);
    match test {
        CheckedTest::IsSet { negated } => Truth::from_bool(absent == *negated),
        _ if absent => Truth::Unknown,
        CheckedTest::Truthy => Truth::from_bool(matches!(value, Val::Bool(true))),
        CheckedTest::IsEmpty { negated } => {
            let empty = match value {
                Val::TextList(l) => l.is_empty(),
                Val::Processors(l) => l.is_empty(),
                Val::Data(l) => l.is_empty(),
                _ => false,
            };
            Truth::from_bool(empty != *negated)
        }
        CheckedTest::UnderCategory(b) => match value {
            Val::Category(c) => Truth::from_bool(policy.categories.is_under(*c, *b)),
            _ => Truth::Unknown,
        },
        CheckedTest::UnderPurpose(b) => match value {
            Val::Purpose(p) => Truth::from_bool(policy.purposes.is_under(*p, *b)),
            _ => Truth::Unknown,
        },
        CheckedTest::Equals { value: lit, negated } => match equals(value, lit) {
            Some(eq) => Truth::from_bool(eq != *negated),
            None => Truth::Unknown,
        },
        CheckedTest::Compare(ord, lit) => {
            let cmp = match (value, lit) {
                (Val::Int(a), Literal::Int(b)) => a.cmp(b),
                (Val::Duration(a), Literal::Duration(b)) => a.cmp(b),
                _ => return Truth::Unknown,
            };
            Truth::from_bool(ord.holds(cmp))
        }
        CheckedTest::In { values, negated } => {
            let found = values.iter().any(|l| equals(value, l) == Some(true));
            Truth::from_bool(found != *negated)
        }
        CheckedTest::Contains(lit) => match value {
            Val::TextList(items) => {
                Truth::from_bool(matches!(lit, Literal::Text(t) if items.iter().any(|i| &i.value == t)))
            }
            _ => Truth::Unknown,
        },
        CheckedTest::Within(lits) => match value {
            Val::TextList(items) => Truth::from_bool(items.iter().all(|i| text_in(&i.value, lits))),
            _ => Truth::Unknown,
        },
        CheckedTest::Overlaps(lits) => match value {
            Val::TextList(items) => Truth::from_bool(items.iter().any(|i| text_in(&i.value, lits))),
            _ => Truth::Unknown,
        },
        CheckedTest::Matches(pattern) => match value {
            Val::Text(t) => pattern.is_match(t).map_or(Truth::Unknown, Truth::from_bool),
            _ => Truth::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{load_texts, PolicyText};
    use crate::source::{FileId, SourceFile};

    /// The missing fields named for each rule (by name) of `rules` on `campaign`, at the
    /// campaign level.
    fn named(rules: &str, campaign: &str) -> Vec<(String, Truth, Vec<String>)> {
        let text = format!("basis consent\ncategory contact {{ category email }}\npurpose marketing\n{rules}");
        let policy = match load_texts(vec![PolicyText {
            relative: "p".into(),
            display: "p".into(),
            bytes: text.into_bytes(),
        }]) {
            Ok(p) => p,
            Err(e) => panic!("{:?}", e.problems),
        };
        let source = SourceFile::new("c.yaml", campaign);
        let Ok(campaign) = crate::campaign::read(FileId(1), &source, &policy) else { panic!("invalid campaign") };
        let purpose = campaign.purpose.as_ref().map(|p| p.value).expect("a purpose");
        let scope = Scope::Campaign { campaign: &campaign, purpose };
        policy
            .rules
            .iter()
            .map(|r| {
                let cond = r.condition.as_ref().expect("a condition");
                let named = unknown_fields(&policy, cond, scope);
                // As reports write them: `processors[1].dpa`.
                let named = named.iter().map(crate::report::missing_fact).collect();
                (r.name.clone(), eval(&policy, cond, scope, &mut NoObserver), named)
            })
            .collect()
    }

    const CAMPAIGN: &str = "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n    retention: 6 months\n  - category: contact.email\nprocessors:\n  - name: A\n    dpa: false\n  - name: B\n    region: US\nsecurity:\n  monitoring: false\n";

    #[test]
    fn only_the_parts_that_leave_a_condition_unknown_are_named() {
        let rules = "rule settled { warn campaign for * when labels.a is not set or labels.a in [no] or labels.b == y }
rule false_side { warn campaign for * when (labels.a == x and security.monitoring) or labels.b == y }
rule both { warn campaign for * when labels.a == x or labels.b == y }
rule negated { warn campaign for * unless labels.a == x and owner == o }";
        let found = named(rules, CAMPAIGN);
        let expect = |name: &str, truth: Truth, fields: &[&str]| {
            let f = found.iter().find(|f| f.0 == name).expect("the rule");
            assert_eq!((f.1, f.2.clone()), (truth, fields.iter().map(|s| s.to_string()).collect::<Vec<_>>()), "{name}");
        };
        // `labels.a is not set` is true, so the `or` is true and names nothing.
        expect("settled", Truth::True, &[]);
        // The `and` is false (monitoring is false), so only `labels.b` decides.
        expect("false_side", Truth::Unknown, &["labels.b"]);
        expect("both", Truth::Unknown, &["labels.a", "labels.b"]);
        expect("negated", Truth::Unknown, &["labels.a", "owner"]);
    }

    #[test]
    fn a_missing_field_of_a_list_element_is_named_with_its_place() {
        let rules = "rule long { deny campaign for * when any data (retention > 1 year) }
rule dpa { deny campaign for * when any processors (dpa and region == US) }
rule all_dpa { deny campaign for * unless all processors (dpa) }
rule absent { deny campaign for * when any processors (dpa) and labels.l == x }";
        let found = named(rules, CAMPAIGN);
        let fields = |name: &str| found.iter().find(|f| f.0 == name).map(|f| f.2.clone()).expect("the rule");
        // Use 0 keeps data for 6 months (false); use 1 does not say.
        assert_eq!(fields("long"), ["data[1].retention"]);
        // Processor A has `dpa: false`, so its missing region decides nothing.
        assert_eq!(fields("dpa"), ["processors[1].dpa"]);
        // `all` is false already at A: nothing is unknown.
        assert_eq!(fields("all_dpa"), Vec::<String>::new());
        assert_eq!(fields("absent"), ["processors[1].dpa", "labels.l"]);
    }

    /// A finding is repeated on every use: with thousands of elements lacking a field, naming
    /// each would make the report grow with the square of the campaign.
    #[test]
    fn a_few_elements_are_named_then_the_rest_at_once() {
        let processors: String = (0..6).map(|i| format!("  - name: p{i}\n")).collect();
        let campaign = format!("campaign: c\npurpose: marketing\nbasis: consent\ndata: []\nprocessors:\n{processors}");
        let found = named("rule dpa { deny campaign for * when any processors (dpa) }", &campaign);
        assert_eq!(found[0].2, ["processors[0].dpa", "processors[1].dpa", "processors[2].dpa", "processors[…].dpa"]);
    }

    /// The places count elements, not mentions: a field tested three times in the body, or in
    /// two quantifiers over the same list, names each element lacking it once, and `[…]` only
    /// when more elements lack it than are named.
    #[test]
    fn elements_are_counted_once_however_often_the_condition_tests_them() {
        let processors: String = (0..2).map(|i| format!("  - name: p{i}\n")).collect();
        let campaign = format!("campaign: c\npurpose: marketing\nbasis: consent\ndata: []\nprocessors:\n{processors}");
        let found = named(
            "rule w { deny campaign for * when any processors (safeguard == scc or safeguard == dpf or safeguard == bcr) }
rule two { deny campaign for * when any processors (safeguard == scc) or any processors (safeguard == dpf) }",
            &campaign,
        );
        for rule in ["w", "two"] {
            let fields = found.iter().find(|f| f.0 == rule).map(|f| f.2.clone()).expect("the rule");
            assert_eq!(fields, ["processors[0].safeguard", "processors[1].safeguard"], "{rule}");
        }
    }

    #[test]
    fn an_absent_list_is_named_itself() {
        let campaign = "campaign: c\npurpose: marketing\nbasis: consent\ndata: []\n";
        let found = named("rule dpa { deny campaign for * when any processors (dpa) }", campaign);
        assert_eq!(found[0].1, Truth::Unknown);
        assert_eq!(found[0].2, ["processors"]);
    }
}
