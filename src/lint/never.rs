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
use crate::eval::{test_value, Truth, Val};
use crate::policy::fields::Field;
use crate::policy::{
    CategoryId, CheckedPolicy, CheckedRule, CheckedTest, Cond, Literal, PurposeId, RuleEffect, RuleScope,
};

/// Rules whose scope and bases give more combinations than this are not analysed.
pub(super) const MAX_COMBINATIONS: usize = 200_000;

/// The truth values a condition may take once what is not known here (every field but the
/// category, purpose and basis) takes any value: combined with the evaluator's own Kleene
/// `and`, `or` and `not`, pair by pair.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Possible(u8);

impl Possible {
    const ANY: Possible = Possible(0b111);
    const ALL: [Truth; 3] = [Truth::True, Truth::False, Truth::Unknown];

    fn bit(t: Truth) -> u8 {
        match t {
            Truth::True => 1,
            Truth::False => 2,
            Truth::Unknown => 4,
        }
    }

    fn only(t: Truth) -> Possible {
        Possible(Self::bit(t))
    }

    fn holds(self, t: Truth) -> bool {
        self.0 & Self::bit(t) != 0
    }

    fn values(self) -> impl Iterator<Item = Truth> {
        Self::ALL.into_iter().filter(move |&t| self.holds(t))
    }

    fn negate(self) -> Possible {
        Possible(self.values().fold(0, |out, t| out | Self::bit(t.negate())))
    }

    /// `op` of every pair of possible values.
    fn pairs(self, other: Possible, op: fn(Truth, Truth) -> Truth) -> Possible {
        let out = self.values().flat_map(|a| other.values().map(move |b| op(a, b)));
        Possible(out.fold(0, |out, t| out | Self::bit(t)))
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
    // An allow applies when its condition is true; any other rule also when it is unknown.
    let applies = |p: Possible| p.holds(Truth::True) || (rule.effect != RuleEffect::Allow && p.holds(Truth::Unknown));
    known.each().all(|facts| !applies(eval(policy, cond, facts)))
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
            known.each().all(|facts| eval(policy, cond, facts) == Possible::only(Truth::False)).then_some(cond)
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

fn eval(policy: &CheckedPolicy, c: &Cond, facts: Facts) -> Possible {
    match c {
        Cond::Or(parts) => {
            let parts = parts.iter().map(|p| eval(policy, p, facts));
            parts.fold(Possible::only(Truth::False), |a, b| a.pairs(b, Truth::or))
        }
        Cond::And(parts) => {
            let parts = parts.iter().map(|p| eval(policy, p, facts));
            parts.fold(Possible::only(Truth::True), |a, b| a.pairs(b, Truth::and))
        }
        Cond::Not(inner) => eval(policy, inner, facts).negate(),
        Cond::Quant { .. } => Possible::ANY,
        Cond::Test { field, test, .. } => {
            // The known facts, as the evaluator sees them; every other field may be anything.
            let value = match field.field {
                Field::Category => facts.category.map(Val::Category),
                Field::Purpose => facts.purpose.map(Val::Purpose),
                Field::Basis => facts.basis.map(Val::Text),
                _ => None,
            };
            match (value, test) {
                (Some(value), _) => Possible::only(test_value(policy, test, &value)),
                // Every use has its category, purpose and basis, whichever they are.
                (None, CheckedTest::IsSet { negated }) if is_known(&field.field) => {
                    Possible::only(Truth::from_bool(!negated))
                }
                (None, _) => Possible::ANY,
            }
        }
    }
}

fn is_known(f: &Field) -> bool {
    matches!(f, Field::Category | Field::Purpose | Field::Basis)
}

fn warning(policy: &CheckedPolicy, rule: &CheckedRule, cond: &Cond, known: &Combinations) -> Problem {
    let when = if rule.effect == RuleEffect::Allow { "true" } else { "true or unknown" };
    let problem = Problem::at(
        Code::NeverApplies,
        rule.span,
        format!("rule `{}` can never apply: its condition contradicts its scope", rule.name),
        "never applies",
    );
    // A campaign rule is evaluated once per purpose of the campaign under its scope, with the
    // campaign's basis: it has no uses and no category to speak of.
    let campaign = matches!(rule.scope, RuleScope::Campaign { .. });
    let general = if campaign {
        format!(
            "for every campaign purpose the scope matches, and every lawful basis, the condition can never be {when}; \
             fix the scope or the test of `purpose` or `basis` in the condition"
        )
    } else {
        format!(
            "for every category, purpose and lawful basis the scope matches, the condition can never be {when}; fix the scope or the test of `category`, `purpose` or `basis` in the condition"
        )
    };
    let Some(Cond::Test { span, field, test }) = culprit(policy, cond, known) else {
        return problem.with_help(general);
    };
    let label = if campaign {
        "false for every campaign purpose the rule's scope matches"
    } else {
        "false for every use the rule's scope matches"
    };
    let problem = problem.with_related(Place::Span(*span), label);
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
            let none = if campaign {
                format!(
                    "a campaign rule is evaluated for each purpose of the campaign under its scope, and none of them \
                     is `{v}` itself, only {plural} below it"
                )
            } else {
                format!("no use in the rule's scope has the {f} `{v}` itself, only {plural} below it")
            };
            problem.with_help(format!("`==` is exact: {none}; to test the taxonomy, write `{f} under {v}`"))
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

    /// A campaign rule has no uses: its help speaks of the campaign's purposes.
    #[test]
    fn a_campaign_rule_is_told_about_the_campaigns_purposes() {
        let found = warnings(
            Code::NeverApplies,
            "rule a { deny campaign for marketing.newsletter when purpose == marketing because \"x\" }\n\
             rule b { warn campaign for marketing when purpose == analytics because \"x\" }\n",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].related.first().map(|r| r.label.as_str()),
            Some("false for every campaign purpose the rule's scope matches")
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "`==` is exact: a campaign rule is evaluated for each purpose of the campaign under its scope, and \
                 none of them is `marketing` itself, only purposes below it; to test the taxonomy, write `purpose \
                 under marketing`"
            )
        );
        assert!(
            found[1].help.as_deref().is_some_and(|h| h.starts_with("for every campaign purpose the scope matches")),
            "{found:?}"
        );
    }

    #[test]
    fn allow_rules_need_true_and_deny_rules_true_or_unknown() {
        // `purpose is not set` is never true: the effective purpose is always known.
        assert_eq!(never("rule r { allow contact for marketing when purpose is not set }"), 1);
        assert_eq!(never("rule r { warn contact for marketing when purpose is not set }"), 1);
    }
}
