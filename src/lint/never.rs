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
use crate::diagnostic::{Code, Problem};
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
        if let Some(cond) = &rule.condition {
            if never(policy, rule, cond) {
                out.push(warning(rule));
            }
        }
    }
}

fn never(policy: &CheckedPolicy, rule: &CheckedRule, cond: &Cond) -> bool {
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
    if categories.len() * purposes.len() * bases.len() > MAX_COMBINATIONS {
        return false;
    }
    let wanted = if rule.effect == RuleEffect::Allow { TRUE.0 } else { TRUE.0 | 4 };
    for &category in &categories {
        for &purpose in &purposes {
            for &basis in &bases {
                if eval(policy, cond, Facts { category, purpose, basis }).0 & wanted != 0 {
                    return false;
                }
            }
        }
    }
    true
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

fn warning(rule: &CheckedRule) -> Problem {
    let when = if rule.effect == RuleEffect::Allow { "true" } else { "true or unknown" };
    Problem::at(
        Code::NeverApplies,
        rule.span,
        format!("rule `{}` can never apply: its condition contradicts its scope", rule.name),
        "never applies",
    )
    .with_help(format!(
        "for every category, purpose and lawful basis the scope matches, the condition can never be {when}; fix the scope or the test of `category`, `purpose` or `basis` in the condition"
    ))
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

    #[test]
    fn allow_rules_need_true_and_deny_rules_true_or_unknown() {
        // `purpose is not set` is never true: the effective purpose is always known.
        assert_eq!(never("rule r { allow contact for marketing when purpose is not set }"), 1);
        assert_eq!(never("rule r { warn contact for marketing when purpose is not set }"), 1);
    }
}
