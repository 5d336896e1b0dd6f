//! Where a campaign states the facts that made a campaign-level rule apply, so that a report
//! can point at `unsubscribe: false` or the processor in `US` instead of at the campaign as a
//! whole, and which of those facts are spelt otherwise than the policy spells the value they
//! were compared with (`region: se` against `SE`), since values are compared exactly. Spans
//! and texts are data; what to say about them is the renderers' business.

use super::condition::{eval, Fact, NoObserver, Scope, Val};
use super::decision::Respelling;
use super::spelling::{compared_texts, loose, written_texts};
use super::truth::Truth;
use crate::policy::fields::Field;
use crate::policy::{CheckedPolicy, CheckedRule, CheckedTest, Cond, Quantifier};
use crate::source::Span;

/// How many places one finding points at: the first few facts are what a reader acts on.
const PLACES: usize = 3;

/// What a rule that applied with this truth rests on: no places for a rule without condition
/// (nothing in the campaign made it apply). One that applied for a missing fact rests on the
/// stated facts beside it too (`region: se` for a processor whose `safeguard` is missing), and
/// has no place when it rests on missing facts alone.
pub(super) fn rule_evidence(policy: &CheckedPolicy, rule: &CheckedRule, scope: Scope<'_>, truth: Truth) -> Evidence {
    let Some(cond) = &rule.condition else { return Evidence::default() };
    let places = match truth {
        Truth::True | Truth::Unknown => evidence(policy, cond, scope, truth),
        Truth::False => Vec::new(),
    };
    Evidence { places, respellings: rule_respellings(rule, scope, truth) }
}

/// The campaign's values that a rule that applied with this truth compared with a value the
/// policy spells otherwise, in source order, at most [`PLACES`]. Every test counts, not only
/// those the result rests on: a respelt value can make a rule apply for a missing fact too
/// (`region: se` is not in the EEA, so the safeguard is asked for).
pub(super) fn rule_respellings(rule: &CheckedRule, scope: Scope<'_>, truth: Truth) -> Vec<Respelling> {
    let mut respellings = Vec::new();
    if let Some(cond) = rule.condition.as_ref().filter(|_| truth != Truth::False) {
        respellings_in(cond, scope, &mut respellings);
    }
    respellings.sort_by_key(|r| (r.at.file, r.at.start));
    respellings.dedup();
    respellings.truncate(PLACES);
    respellings
}

/// What a finding rests on.
#[derive(Default)]
pub(super) struct Evidence {
    /// Where the campaign states the facts that made the rule apply, in source order, at
    /// most [`PLACES`]; none when it applied for a missing fact.
    pub places: Vec<Span>,
    /// The campaign's values that the rule's condition compared with a value the policy
    /// spells otherwise, at most [`PLACES`].
    pub respellings: Vec<Respelling>,
}

/// The places of the facts that give `cond` its truth `want` in `scope`: for true, under `or`
/// the first part that is true, under `and` every part, under `not` what makes the inner part
/// false, inside `any` / `all` the elements that decide it; for unknown, the parts that are
/// unknown and, under `and`, those that hold. In source order, at most [`PLACES`]; empty when
/// the condition has another truth, or rests on missing facts alone.
fn evidence(policy: &CheckedPolicy, cond: &Cond, scope: Scope<'_>, want: Truth) -> Vec<Span> {
    let mut places = Vec::new();
    rests_on(policy, cond, scope, want, &mut places);
    places.sort_by_key(|s| (s.file, s.start));
    places.dedup();
    places.truncate(PLACES);
    places
}

/// The respellings among every test of `cond`, inside quantifiers for every element.
fn respellings_in(cond: &Cond, scope: Scope<'_>, out: &mut Vec<Respelling>) {
    match cond {
        Cond::Or(parts) | Cond::And(parts) => parts.iter().for_each(|c| respellings_in(c, scope, out)),
        Cond::Not(inner) => respellings_in(inner, scope, out),
        Cond::Quant { field, body, .. } => {
            for element in elements(scope, &field.field) {
                respellings_in(body, element.scope, out);
            }
        }
        Cond::Test { field, test, .. } => {
            respell(scope.fact(&field.field), test, out);
            if let Field::Label(key) = &field.field {
                respell_label_key(scope, key, out);
            }
        }
    }
}

/// A label the campaign gives under a name the policy writes otherwise, when it gives none
/// under the policy's (`TIA: TIA-2026-02` where rules read `labels.tia`): a finding that asks
/// for `labels.tia` names it, or the marketer believes the review recorded. Shown at the
/// label's value, the place the campaign model keeps.
fn respell_label_key(scope: Scope<'_>, key: &str, out: &mut Vec<Respelling>) {
    let Some(campaign) = scope.campaign() else { return };
    if campaign.labels.contains_key(key) {
        return;
    }
    let Some(wanted) = loose(key) else { return };
    for (written, value) in &campaign.labels {
        let Some(given) = loose(written) else { continue };
        if given.readings().any(|reading| reading == wanted) {
            out.push(Respelling::label_name(value.span, written, key));
        }
    }
}

/// Adds the places `cond` rests on for having the truth `want`; whether it has it.
fn rests_on(policy: &CheckedPolicy, cond: &Cond, scope: Scope<'_>, want: Truth, out: &mut Vec<Span>) -> bool {
    if eval(policy, cond, scope, &mut NoObserver) != want {
        return false;
    }
    match cond {
        Cond::Not(inner) => {
            rests_on(policy, inner, scope, want.negate(), out);
        }
        // Neither holds nor fails: it rests on its unknown parts and, in a conjunction, on the
        // parts that hold (the processor outside the EEA whose safeguard is missing). A part
        // of another truth adds nothing: `rests_on` checks the truth first.
        Cond::And(parts) | Cond::Or(parts) if want == Truth::Unknown => {
            for part in parts {
                if !rests_on(policy, part, scope, Truth::Unknown, out) && matches!(cond, Cond::And(_)) {
                    rests_on(policy, part, scope, Truth::True, out);
                }
            }
        }
        // A conjunction holds by every part and fails by its first failing part; a
        // disjunction the other way round. One part is enough even when the campaign does
        // not state it where a place can be shown (`data is empty`): another part would
        // point at a fact that is not the reason.
        Cond::And(parts) | Cond::Or(parts) => {
            let every = matches!((cond, want), (Cond::And(_), Truth::True) | (Cond::Or(_), Truth::False));
            for part in parts {
                if rests_on(policy, part, scope, want, out) && !every {
                    break;
                }
            }
        }
        Cond::Quant { quantifier, field, body, .. } => {
            // `any` holds by one element and `all` fails by one; otherwise every element counts.
            let one = matches!((quantifier, want), (Quantifier::Any, Truth::True) | (Quantifier::All, Truth::False));
            for element in elements(scope, &field.field) {
                let before = out.len();
                if !rests_on(policy, body, element.scope, want, out) {
                    continue;
                }
                if out.len() == before {
                    out.push(element.span);
                }
                if one || out.len() >= PLACES {
                    break;
                }
            }
        }
        Cond::Test { field, .. } => out.extend(scope.fact(&field.field).1),
    }
    true
}

/// The campaign's texts in a test's value that the policy spells otherwise in the test
/// (`se` for `SE`, `One-click link` for `one-click-link`): equal but for case, spaces, `_`
/// and `-`, and not equal.
fn respell(fact: Fact<'_>, test: &CheckedTest, out: &mut Vec<Respelling>) {
    for (written, at) in written_texts(fact) {
        if compared_texts(test).any(|t| t == written) {
            continue;
        }
        let Some(key) = loose(written) else { continue };
        if let Some(meant) = compared_texts(test).find(|t| loose(t).as_ref() == Some(&key)) {
            out.push(Respelling::new(at, written, meant));
        }
    }
}

/// An element of a list of objects, with the scope its fields are read in.
pub(super) struct Element<'a> {
    /// Where the campaign writes it.
    pub span: Span,
    /// The scope of its fields.
    pub scope: Scope<'a>,
}

/// The elements of the list `field` names in `scope`, in list order, each with the scope
/// `any` / `all` read its fields in.
pub(super) fn elements<'a>(scope: Scope<'a>, field: &Field) -> Vec<Element<'a>> {
    let Some(campaign) = scope.campaign() else { return Vec::new() };
    match scope.get(field) {
        Val::Processors(items) => items.iter().map(|p| Element { span: p.span, scope: Scope::Processor(p) }).collect(),
        Val::Data(items) => items
            .iter()
            .map(|data_use| Element { span: data_use.span, scope: Scope::DataUse { campaign, data_use } })
            .collect(),
        _ => Vec::new(),
    }
}
