//! Rules that can never apply because their condition contradicts their own scope.
//!
//! Three facts are known for every use a rule's scope matches: its category, its effective
//! purpose and its lawful basis (a declared basis; the campaign must give one). The condition
//! is evaluated for every combination of those the scope allows, with every other test taken
//! as possibly true, false or unknown. When no combination can make an allow rule's condition
//! true (or a deny, warn or retain rule's condition true or unknown), the rule never applies:
//! `allow contact for marketing when purpose under analytics`. Contradictions between other
//! fields (`audience.min_age < 16 and audience.min_age > 18`) are not detected.

use super::{category_cover, purpose_cover};
use crate::diagnostic::{Code, Place, Problem};
use crate::policy::fields::Field;
use crate::policy::{
    CategoryId, CheckedPolicy, CheckedRule, CheckedTest, Cond, Literal, PurposeId, RuleEffect, RuleScope,
};

/// Rules whose scope and bases give more combinations than this are not analysed.
pub const MAX_COMBINATIONS: usize = 200_000;

/// A set of possible truth values: bit 0 true, bit 1 false, bit 2 unknown.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Maybe(u8);

const TRUE: Maybe = Maybe(1);
const FALSE: Maybe = Maybe(2);
const ANY: Maybe = Maybe(7);

impl Maybe {
    fn of(b: bool) -> Maybe {
        if b {
            TRUE
        } else {
            FALSE
        }
    }

    fn values(self) -> impl Iterator<Item = u8> {
        [1u8, 2, 4].into_iter().filter(move |v| self.0 & v != 0)
    }

    fn not(self) -> Maybe {
        Maybe(self.values().map(|v| if v == 4 { 4 } else { 3 - v }).fold(0, |a, b| a | b))
    }

    /// Kleene `and` (or `or`) of every pair of possible values.
    fn combine(self, other: Maybe, and: bool) -> Maybe {
        let mut out = 0;
        for a in self.values() {
            for b in other.values() {
                out |= match (and, a, b) {
                    (true, 2, _) | (true, _, 2) => 2,
                    (true, 1, 1) => 1,
                    (false, 1, _) | (false, _, 1) => 1,
                    (false, 2, 2) => 2,
                    _ => 4,
                };
            }
        }
        Maybe(out)
    }
}

/// One combination of the known facts; `None` where the condition does not test that fact.
#[derive(Clone, Copy)]
struct Facts<'a> {
    category: Option<CategoryId>,
    purpose: Option<PurposeId>,
    basis: Option<&'a str>,
}

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    for rule in &policy.rules {
        let Some(cond) = &rule.condition else { continue };
        let Some(known) = combinations(policy, rule, cond) else { continue };
        if never(policy, rule, cond, &known) {
            out.push(warning(policy, rule, cond, &known));
        }
    }
}

/// Every combination of the facts the condition tests that the scope allows; `None` when
/// they are too many to try.
struct Combinations<'a> {
    categories: Vec<Option<CategoryId>>,
    purposes: Vec<Option<PurposeId>>,
    bases: Vec<Option<&'a str>>,
}

impl Combinations<'_> {
    fn each(&self) -> impl Iterator<Item = Facts<'_>> + '_ {
        self.categories.iter().flat_map(move |&category| {
            self.purposes
                .iter()
                .flat_map(move |&purpose| self.bases.iter().map(move |&basis| Facts { category, purpose, basis }))
        })
    }
}

fn never(policy: &CheckedPolicy, rule: &CheckedRule, cond: &Cond, known: &Combinations) -> bool {
    let wanted = if rule.effect == RuleEffect::Allow { TRUE.0 } else { TRUE.0 | 4 };
    known.each().all(|facts| eval(policy, cond, facts).0 & wanted == 0)
}

fn combinations<'a>(policy: &'a CheckedPolicy, rule: &CheckedRule, cond: &Cond) -> Option<Combinations<'a>> {
    let mut tested = Tested::default();
    tested.visit(cond);
    let (cats, purps) = match &rule.scope {
        RuleScope::Uses { categories, purposes } => {
            (Some(category_cover(policy, categories)), purpose_cover(policy, purposes))
        }
        RuleScope::Campaign { purposes } => (None, purpose_cover(policy, purposes)),
    };
    let categories: Vec<Option<CategoryId>> = match cats.filter(|_| tested.category) {
        Some(c) => policy.categories.ids_at(c.ones()).map(Some).collect(),
        None => vec![None],
    };
    let purposes: Vec<Option<PurposeId>> =
        if tested.purpose { policy.purposes.ids_at(purps.ones()).map(Some).collect() } else { vec![None] };
    let bases: Vec<Option<&str>> =
        if tested.basis && !policy.bases.is_empty() { policy.bases.names().map(Some).collect() } else { vec![None] };
    (categories.len() * purposes.len() * bases.len() <= MAX_COMBINATIONS).then_some(Combinations {
        categories,
        purposes,
        bases,
    })
}

/// The first test of the category, purpose or basis (outside `any` / `all`) that is false for
/// every use the scope matches: the test to point at.
fn culprit<'c>(policy: &CheckedPolicy, cond: &'c Cond, known: &Combinations) -> Option<&'c Cond> {
    match cond {
        Cond::Or(parts) | Cond::And(parts) => parts.iter().find_map(|p| culprit(policy, p, known)),
        Cond::Not(inner) => culprit(policy, inner, known),
        Cond::Quant { .. } => None,
        Cond::Test { field, .. } if is_known(&field.field) => {
            known.each().all(|facts| eval(policy, cond, facts) == FALSE).then_some(cond)
        }
        Cond::Test { .. } => None,
    }
}

/// Which known facts a condition tests (outside `any` / `all`, where fields are an element's).
#[derive(Default)]
struct Tested {
    category: bool,
    purpose: bool,
    basis: bool,
}

impl Tested {
    fn visit(&mut self, c: &Cond) {
        match c {
            Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|p| self.visit(p)),
            Cond::Not(inner) => self.visit(inner),
            Cond::Quant { .. } => {}
            Cond::Test { field, .. } => match field.field {
                Field::Category => self.category = true,
                Field::Purpose => self.purpose = true,
                Field::Basis => self.basis = true,
                _ => {}
            },
        }
    }
}

fn eval(policy: &CheckedPolicy, c: &Cond, facts: Facts) -> Maybe {
    match c {
        Cond::Or(parts) => parts.iter().map(|p| eval(policy, p, facts)).fold(FALSE, |a, b| a.combine(b, false)),
        Cond::And(parts) => parts.iter().map(|p| eval(policy, p, facts)).fold(TRUE, |a, b| a.combine(b, true)),
        Cond::Not(inner) => eval(policy, inner, facts).not(),
        Cond::Quant { .. } => ANY,
        Cond::Test { field, test, .. } => match (&field.field, test) {
            (_, CheckedTest::IsSet { negated }) if is_known(&field.field) => Maybe::of(!negated),
            (Field::Category, _) => facts.category.map_or(ANY, |c| known(policy, Literal::Category(c), test)),
            (Field::Purpose, _) => facts.purpose.map_or(ANY, |p| known(policy, Literal::Purpose(p), test)),
            (Field::Basis, _) => facts.basis.map_or(ANY, |b| known(policy, Literal::Text(b.to_string()), test)),
            _ => ANY,
        },
    }
}

fn is_known(f: &Field) -> bool {
    matches!(f, Field::Category | Field::Purpose | Field::Basis)
}

/// A test of a known value, decided as the evaluator decides it; other tests stay open.
fn known(policy: &CheckedPolicy, value: Literal, test: &CheckedTest) -> Maybe {
    match (test, &value) {
        (CheckedTest::Equals { value: v, negated }, _) => Maybe::of((*v == value) != *negated),
        (CheckedTest::In { values, negated }, _) => Maybe::of(values.contains(&value) != *negated),
        (CheckedTest::UnderCategory(b), Literal::Category(a)) => Maybe::of(policy.categories.is_under(*a, *b)),
        (CheckedTest::UnderPurpose(b), Literal::Purpose(a)) => Maybe::of(policy.purposes.is_under(*a, *b)),
        _ => ANY,
    }
}

fn warning(policy: &CheckedPolicy, rule: &CheckedRule, cond: &Cond, known: &Combinations) -> Problem {
    let when = if rule.effect == RuleEffect::Allow { "true" } else { "true or unknown" };
    let problem = Problem::at(
        Code::NeverApplies,
        rule.span,
        format!("rule `{}` can never apply: its condition contradicts its scope", rule.name),
        "never applies",
    );
    let general = format!(
        "for every category, purpose and lawful basis the scope matches, the condition can never be {when}; fix the scope or the test of `category`, `purpose` or `basis` in the condition"
    );
    let Some(Cond::Test { span, field, test }) = culprit(policy, cond, known) else {
        return problem.with_help(general);
    };
    let problem = problem.with_related(Place::Span(*span), "false for every use the rule's scope matches");
    // `purpose == marketing` in a rule for `marketing.newsletter`: `==` is exact, and what was
    // meant is the taxonomy's `under`.
    let meant_under = match test {
        CheckedTest::Equals { value: Literal::Purpose(v), negated: false } => {
            known.purposes.iter().flatten().all(|p| policy.purposes.is_under(*p, *v)).then(|| policy.purpose_path(*v))
        }
        CheckedTest::Equals { value: Literal::Category(v), negated: false } => known
            .categories
            .iter()
            .flatten()
            .all(|c| policy.categories.is_under(*c, *v))
            .then(|| policy.category_path(*v)),
        _ => None,
    };
    match meant_under {
        Some(v) => {
            let (f, plural) = match field.field {
                Field::Category => ("category", "categories"),
                _ => ("purpose", "purposes"),
            };
            problem.with_help(format!(
                "`==` is exact: no use in the rule's scope has the {f} `{v}` itself, only {plural} below it; to test the taxonomy, write `{f} under {v}`"
            ))
        }
        None => problem.with_help(general),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    fn never(rules: &str) -> usize {
        warnings(Code::NeverApplies, rules).len()
    }

    #[test]
    fn a_condition_that_contradicts_the_scope_is_reported() {
        assert_eq!(never("rule r { allow contact for marketing when purpose under analytics }"), 1);
        assert_eq!(never("rule r { deny contact for * when category == special.health }"), 1);
        assert_eq!(never("rule r { warn campaign for marketing unless purpose under marketing }"), 1);
        assert_eq!(never("rule r { deny * for * when basis == consent and basis == contract }"), 1);
        assert_eq!(never("rule r { allow contact for marketing when category in [] and owner == x }"), 1);
    }

    #[test]
    fn a_satisfiable_or_unknowable_condition_is_not_reported() {
        assert_eq!(never("rule r { allow contact for marketing when purpose under marketing.newsletter }"), 0);
        assert_eq!(never("rule r { deny * for * when basis == consent or basis == contract }"), 0);
        // Fields other than category, purpose and basis may hold anything.
        assert_eq!(never("rule r { deny * for * when audience.min_age < 16 and audience.min_age > 18 }"), 0);
        // Inside `any data (…)` the fields are the element's, not the use's.
        assert_eq!(never("rule r { deny contact for * when any data (category under special) }"), 0);
        // An unknown value makes a deny apply, but never an allow.
        assert_eq!(never("rule r { deny contact for * when not (owner is set) }"), 0);
    }

    /// The test that no use of the scope can pass is pointed at; `==` where the scope is below
    /// the value gets `under`.
    #[test]
    fn the_contradicting_test_is_pointed_at() {
        let found = warnings(
            Code::NeverApplies,
            "rule a { allow contact for marketing.newsletter when basis == consent and purpose == marketing }\n\
             rule b { deny contact for * when owner == x and category == special.health }\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].related.first().map(|r| r.label.as_str()),
            Some("false for every use the rule's scope matches")
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "`==` is exact: no use in the rule's scope has the purpose `marketing` itself, only purposes below it; \
                 to test the taxonomy, write `purpose under marketing`"
            )
        );
        assert!(found[1].help.as_deref().is_some_and(|h| h.starts_with("for every category")), "{found:?}");
        assert_eq!(found[1].related.len(), 1, "{found:?}");
    }

    #[test]
    fn allow_rules_need_true_and_deny_rules_true_or_unknown() {
        // `purpose is not set` is never true: the effective purpose is always known.
        assert_eq!(never("rule r { allow contact for marketing when purpose is not set }"), 1);
        assert_eq!(never("rule r { warn contact for marketing when purpose is not set }"), 1);
    }
}
