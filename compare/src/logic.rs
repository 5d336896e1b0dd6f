//! lagom's checked rules in an engine-neutral, two-valued form that Cedar and Rego can both
//! express.
//!
//! lagom evaluates conditions in Kleene logic (spec 3.1): a test of a field the campaign does
//! not declare is *unknown*; an allow rule applies only when its condition is true, a deny or
//! retain rule when it is true *or unknown*. Neither Cedar nor Rego has a third truth value, so
//! each rule's "applies" question is rewritten into an ordinary boolean [`Formula`] over
//! presence tests and two-valued field tests, with negation pushed down to the leaves:
//!
//! * "C is true" and "C is not false" (what allow and deny/retain need), and their duals
//!   "C is false" and "C is not true" (what `not` turns them into);
//! * a test of field `f` is true iff `f` is present and the test holds, false iff `f` is present
//!   and the test fails, so "not false" is `f absent or test`;
//! * `any L (B)` is Kleene OR over the elements (unknown when `L` is absent, false when empty),
//!   `all L (B)` Kleene AND (unknown when absent, true when empty).
//!
//! Presence tests of fields that every generated campaign declares ([`always_present`]) are
//! folded to constants, so the policies only pay for `has` / undefined checks where a field can
//! really be missing; the request builders check that assumption for every campaign.

use lagom::policy::fields::{Field, ObjectKind};
use lagom::policy::{
    CheckedPolicy, CheckedRule, CheckedTest, Cond, Literal, Ordering, Quantifier, RuleEffect, RuleScope, Targets,
};

/// A literal value in a test.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lit {
    /// Text or symbol.
    Text(String),
    /// Boolean.
    Bool(bool),
    /// Integer; durations are integers of twelfths of a day.
    Int(i64),
}

/// A two-valued test of a present field.
#[derive(Clone, Debug, PartialEq)]
pub enum Prim {
    /// `f == v`.
    Eq(Lit),
    /// `f` is one of the values.
    In(Vec<Lit>),
    /// `f <op> n` on integers (and durations in twelfths of a day).
    Cmp(Ordering, i64),
    /// The boolean `f` is true.
    Truthy,
    /// The list `f` contains the value.
    Contains(Lit),
    /// Every element of the list `f` is one of the values.
    Within(Vec<Lit>),
    /// Some element of the list `f` is one of the values.
    Overlaps(Vec<Lit>),
    /// The list `f` is empty.
    Empty,
}

/// A two-valued formula. Tests are false when their field is absent.
#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    /// `true` / `false`.
    Const(bool),
    /// Conjunction.
    And(Vec<Formula>),
    /// Disjunction.
    Or(Vec<Formula>),
    /// The field is declared.
    Present(Field),
    /// The field is not declared.
    Absent(Field),
    /// The field is declared and `prim` holds (`holds`) or fails (`!holds`).
    Test {
        /// The field (a campaign or use field, or an element's field inside a quantifier).
        field: Field,
        /// The test.
        prim: Prim,
        /// Whether the test must hold or fail.
        holds: bool,
    },
    /// The list is declared and the body holds for some element.
    Some {
        /// The list field.
        list: Field,
        /// Over the element's fields.
        body: Box<Formula>,
    },
    /// The list is declared and the body holds for every element.
    Every {
        /// The list field.
        list: Field,
        /// Over the element's fields.
        body: Box<Formula>,
    },
}

/// What a rule does to the request it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A per-use allow rule.
    Allow,
    /// A per-use deny rule, or a retain rule (its retention test is part of the formula).
    Block,
    /// A campaign-level deny rule.
    CampaignBlock,
}

/// One lagom rule, ready for emitting.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The lagom rule name.
    pub name: String,
    /// What it does.
    pub kind: Kind,
    /// Category paths the use must be under (`None`: `*`; always `None` at campaign level).
    pub categories: Option<Vec<String>>,
    /// Purpose paths the effective purpose must be under (`None`: `*`).
    pub purposes: Option<Vec<String>>,
    /// When the rule applies, besides its scope.
    pub when: Formula,
}

/// The policy's rules without warn rules (warnings never change a decision).
pub fn translate(policy: &CheckedPolicy) -> Result<Vec<Rule>, String> {
    policy
        .rules
        .iter()
        .filter(|r| r.effect != RuleEffect::Warn)
        .map(|r| translate_rule(policy, r).map_err(|e| format!("rule `{}`: {e}", r.name)))
        .collect()
}

fn translate_rule(policy: &CheckedPolicy, rule: &CheckedRule) -> Result<Rule, String> {
    let purposes_of = |t: &Targets<lagom::policy::PurposeId>| {
        t.ids().map(|ids| ids.iter().map(|p| policy.purpose_path(*p).to_string()).collect())
    };
    let (kind, categories, purposes) = match (&rule.scope, rule.effect) {
        (RuleScope::Uses { categories, purposes }, effect) => {
            let cats = categories.ids().map(|ids| ids.iter().map(|c| policy.category_path(*c).to_string()).collect());
            let kind = if effect == RuleEffect::Allow { Kind::Allow } else { Kind::Block };
            (kind, cats, purposes_of(purposes))
        }
        (RuleScope::Campaign { purposes }, RuleEffect::Deny) => (Kind::CampaignBlock, None, purposes_of(purposes)),
        (RuleScope::Campaign { .. }, effect) => return Err(format!("`{}` at campaign level", effect.as_str())),
    };
    let want = if kind == Kind::Allow { Want::True } else { Want::NotFalse };
    let mut when = match &rule.condition {
        Some(c) => holds(c, want)?,
        None => Formula::Const(true),
    };
    if let RuleEffect::Retain(limit) = rule.effect {
        // Blocks when the retention is unknown or longer than the limit.
        let limit = i64::try_from(limit.twelfths_of_a_day).map_err(|_| "retention limit out of range")?;
        let over = Formula::Or(vec![
            Formula::Absent(Field::Retention),
            Formula::Test { field: Field::Retention, prim: Prim::Cmp(Ordering::Gt, limit), holds: true },
        ]);
        when = Formula::And(vec![when, over]);
    }
    Ok(Rule { name: rule.name.clone(), kind, categories, purposes, when: simplify(when) })
}

/// Which outcome of a three-valued condition a formula stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    True,
    NotFalse,
    False,
    NotTrue,
}

impl Want {
    /// What the operand of `not` must be for `not C` to be `self`.
    fn negated(self) -> Want {
        match self {
            Want::True => Want::False,
            Want::False => Want::True,
            Want::NotFalse => Want::NotTrue,
            Want::NotTrue => Want::NotFalse,
        }
    }

    /// True when the wanted outcome includes "true" rather than "false" (for tests that are
    /// never unknown, and to pick the polarity of a field test).
    fn positive(self) -> bool {
        matches!(self, Want::True | Want::NotFalse)
    }

    /// True when "unknown" is part of the wanted outcome.
    fn admits_unknown(self) -> bool {
        matches!(self, Want::NotFalse | Want::NotTrue)
    }
}

/// The formula that holds exactly when `cond` has the outcome `want`.
fn holds(cond: &Cond, want: Want) -> Result<Formula, String> {
    Ok(match cond {
        Cond::Not(inner) => holds(inner, want.negated())?,
        // and: true/not-false need every part so; false/not-true need some part so.
        Cond::And(parts) => {
            let fs = parts.iter().map(|p| holds(p, want)).collect::<Result<Vec<_>, _>>()?;
            if want.positive() {
                Formula::And(fs)
            } else {
                Formula::Or(fs)
            }
        }
        Cond::Or(parts) => {
            let fs = parts.iter().map(|p| holds(p, want)).collect::<Result<Vec<_>, _>>()?;
            if want.positive() {
                Formula::Or(fs)
            } else {
                Formula::And(fs)
            }
        }
        Cond::Quant { quantifier, list, field, body, .. } => {
            if *list != ObjectKind::Processor {
                return Err(format!("`{}` quantifiers are not translated", field.text));
            }
            let list = field.field.clone();
            let body = Box::new(holds(body, want)?);
            // any: some element true / every element false; all: the reverse.
            let some = want.positive() != (*quantifier == Quantifier::All);
            let q = if some {
                Formula::Some { list: list.clone(), body }
            } else {
                Formula::Every { list: list.clone(), body }
            };
            if want.admits_unknown() {
                Formula::Or(vec![Formula::Absent(list), q])
            } else {
                q
            }
        }
        Cond::Test { field, test, .. } => {
            let f = field.field.clone();
            if matches!(f, Field::Purpose | Field::Category | Field::Data) {
                return Err(format!("tests of `{}` are not translated", field.text));
            }
            if let CheckedTest::IsSet { negated } = test {
                // Never unknown.
                return Ok(if want.positive() != *negated { Formula::Present(f) } else { Formula::Absent(f) });
            }
            let (prim, positive) = prim(test).map_err(|e| format!("`{}`: {e}", field.text))?;
            let t = Formula::Test { field: f.clone(), prim, holds: positive == want.positive() };
            if want.admits_unknown() {
                Formula::Or(vec![Formula::Absent(f), t])
            } else {
                t
            }
        }
    })
}

/// The two-valued test behind a lagom test, and whether the lagom test is it (true) or its
/// negation (false) on a present field.
fn prim(test: &CheckedTest) -> Result<(Prim, bool), String> {
    Ok(match test {
        CheckedTest::Truthy => (Prim::Truthy, true),
        CheckedTest::IsEmpty { negated } => (Prim::Empty, !negated),
        CheckedTest::Equals { value, negated } => (Prim::Eq(lit(value)?), !negated),
        CheckedTest::Compare(ord, value) => match lit(value)? {
            Lit::Int(n) => (Prim::Cmp(*ord, n), true),
            other => return Err(format!("comparison with {other:?}")),
        },
        CheckedTest::In { values, negated } => (Prim::In(lits(values)?), !negated),
        CheckedTest::Contains(value) => (Prim::Contains(lit(value)?), true),
        CheckedTest::Within(values) => (Prim::Within(lits(values)?), true),
        CheckedTest::Overlaps(values) => (Prim::Overlaps(lits(values)?), true),
        // The generated workload has no patterns (Cedar's `like` is no regular expression).
        CheckedTest::IsSet { .. }
        | CheckedTest::UnderCategory(_)
        | CheckedTest::UnderPurpose(_)
        | CheckedTest::Matches(_) => return Err(format!("{test:?} is not translated")),
    })
}

fn lit(l: &Literal) -> Result<Lit, String> {
    Ok(match l {
        Literal::Text(t) => Lit::Text(t.clone()),
        Literal::Bool(b) => Lit::Bool(*b),
        Literal::Int(n) => Lit::Int(*n),
        Literal::Duration(d) => Lit::Int(i64::try_from(d.twelfths_of_a_day).map_err(|_| "duration out of range")?),
        Literal::Category(_) | Literal::Purpose(_) => {
            return Err("category and purpose literals are not translated".into())
        }
    })
}

fn lits(ls: &[Literal]) -> Result<Vec<Lit>, String> {
    let mut out = ls.iter().map(lit).collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// Fields that every campaign the generator writes declares (and every processor it writes,
/// for the element fields). The translations assume them present (no `has` / undefined check);
/// [`crate::fields::check_present`] verifies that for every campaign before it is decided.
pub fn always_present(field: &Field) -> bool {
    match field {
        Field::Campaign
        | Field::Name
        | Field::Owner
        | Field::Purpose
        | Field::Basis
        | Field::Category
        | Field::Channels
        | Field::Regions
        | Field::MinAge
        | Field::Subjects
        | Field::Segments
        | Field::ConsentSource
        | Field::DoubleOptIn
        | Field::Withdrawal
        | Field::Encryption
        | Field::Access
        | Field::Monitoring
        | Field::Unsubscribe
        | Field::ProcessorName
        | Field::ProcessorRegion
        | Field::ProcessorDpa => true,
        Field::Label(key) => key == "brand" || key == "tier",
        _ => false,
    }
}

/// Folds constants and presence tests of always-present fields, and flattens nesting.
pub fn simplify(f: Formula) -> Formula {
    match f {
        Formula::Present(field) if always_present(&field) => Formula::Const(true),
        Formula::Absent(field) if always_present(&field) => Formula::Const(false),
        Formula::And(parts) => junction(parts, true),
        Formula::Or(parts) => junction(parts, false),
        Formula::Some { list, body } => match simplify(*body) {
            Formula::Const(false) => Formula::Const(false),
            body => Formula::Some { list, body: Box::new(body) },
        },
        Formula::Every { list, body } => Formula::Every { list, body: Box::new(simplify(*body)) },
        other => other,
    }
}

/// `and` (`is_and`) or `or` of simplified parts.
fn junction(parts: Vec<Formula>, is_and: bool) -> Formula {
    let mut out = Vec::new();
    for p in parts {
        match simplify(p) {
            Formula::Const(b) if b == is_and => {}
            Formula::Const(b) => return Formula::Const(b),
            Formula::And(inner) if is_and => out.extend(inner),
            Formula::Or(inner) if !is_and => out.extend(inner),
            other => out.push(other),
        }
    }
    match out.len() {
        0 => Formula::Const(is_and),
        1 => out.pop().unwrap_or(Formula::Const(is_and)),
        _ if is_and => Formula::And(out),
        _ => Formula::Or(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(text: &str) -> Vec<Rule> {
        let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
            relative: "p.policy".into(),
            display: "p.policy".into(),
            bytes: text.as_bytes().to_vec(),
        }]);
        match policy {
            Ok(p) => match translate(&p) {
                Ok(r) => r,
                Err(e) => panic!("{e}"),
            },
            Err(e) => panic!("{:?}", e.problems),
        }
    }

    const HEAD: &str = "basis consent, contract\ncategory contact\npurpose marketing\nset safe = [scc, bcr]\n";

    #[test]
    fn a_deny_applies_when_its_field_is_missing() {
        let rules = rules_of(&format!("{HEAD}rule d {{ deny contact for marketing when source == partner_list }}"));
        let expected = Formula::Or(vec![
            Formula::Absent(Field::Source),
            Formula::Test { field: Field::Source, prim: Prim::Eq(Lit::Text("partner_list".into())), holds: true },
        ]);
        assert_eq!(rules[0].when, expected);
    }

    #[test]
    fn an_allow_needs_its_field_and_unless_flips_the_test() {
        let rules = rules_of(&format!("{HEAD}rule a {{ allow contact for marketing unless rights.contact is set }}"));
        assert_eq!(rules[0].when, Formula::Absent(Field::Contact));
        let rules = rules_of(&format!("{HEAD}rule a {{ allow contact for marketing unless basis == consent }}"));
        let expected = Formula::Test { field: Field::Basis, prim: Prim::Eq(Lit::Text("consent".into())), holds: false };
        assert_eq!(rules[0].when, expected);
    }

    #[test]
    fn not_any_in_a_deny_is_every_element_not_true() {
        let rules = rules_of(&format!("{HEAD}rule d {{ deny * for * when not any processors (safeguard in safe) }}"));
        let body = Formula::Or(vec![
            Formula::Absent(Field::ProcessorSafeguard),
            Formula::Test {
                field: Field::ProcessorSafeguard,
                prim: Prim::In(vec![Lit::Text("bcr".into()), Lit::Text("scc".into())]),
                holds: false,
            },
        ]);
        let expected = Formula::Or(vec![
            Formula::Absent(Field::Processors),
            Formula::Every { list: Field::Processors, body: Box::new(body) },
        ]);
        assert_eq!(rules[0].when, expected);
    }

    #[test]
    fn warn_rules_are_left_out_and_retain_adds_its_limit() {
        let rules = rules_of(&format!(
            "{HEAD}rule w {{ warn * for * }}\nrule r {{ retain contact for marketing at most 1 month }}"
        ));
        assert_eq!(rules.len(), 1);
        let expected = Formula::Or(vec![
            Formula::Absent(Field::Retention),
            Formula::Test { field: Field::Retention, prim: Prim::Cmp(Ordering::Gt, 365), holds: true },
        ]);
        assert_eq!(rules[0].when, expected);
        assert_eq!(rules[0].kind, Kind::Block);
    }
}
