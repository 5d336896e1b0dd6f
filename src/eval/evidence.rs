//! Where a campaign states the facts that made a campaign-level rule apply, so that a report
//! can point at `unsubscribe: false` or the processor in `US` instead of at the campaign as a
//! whole. Spans are data; what to say there is the renderers' business.

use super::condition::{eval, NoObserver, Scope, Val};
use super::truth::Truth;
use crate::campaign::{Campaign, DataUse, Located};
use crate::policy::fields::Field;
use crate::policy::{CheckedPolicy, CheckedRule, Cond, Quantifier};
use crate::source::Span;

/// How many places one finding points at: the first few facts are what a reader acts on.
const PLACES: usize = 3;

/// [`evidence`] for a rule that applied with this truth: none for a rule without condition
/// (nothing in the campaign made it apply) or one that applied for a missing fact.
pub(super) fn rule_evidence(policy: &CheckedPolicy, rule: &CheckedRule, scope: Scope<'_>, truth: Truth) -> Vec<Span> {
    match (&rule.condition, truth) {
        (Some(cond), Truth::True) => evidence(policy, cond, scope),
        _ => Vec::new(),
    }
}

/// The places of the facts that make `cond` true in `scope`: under `or` the first part that is
/// true, under `and` every part, under `not` what makes the inner part false, inside `any` /
/// `all` the elements that decide it. In source order, at most [`PLACES`]; empty when the
/// condition is not true (a rule that applied for a missing fact has no fact to point at).
fn evidence(policy: &CheckedPolicy, cond: &Cond, scope: Scope<'_>) -> Vec<Span> {
    let mut places = Vec::new();
    rests_on(policy, cond, scope, Truth::True, &mut places);
    places.sort_by_key(|s| (s.file, s.start));
    places.dedup();
    places.truncate(PLACES);
    places
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
        Cond::Test { field, .. } => out.extend(value_span(scope, &field.field)),
    }
    true
}

/// An element of a list of objects, with the scope its fields are read in.
struct Element<'a> {
    span: Span,
    scope: Scope<'a>,
}

fn elements<'a>(scope: Scope<'a>, field: &Field) -> Vec<Element<'a>> {
    let campaign = match scope {
        Scope::Use { campaign, .. } | Scope::Campaign { campaign, .. } | Scope::DataUse { campaign, .. } => campaign,
        Scope::Processor(_) => return Vec::new(),
    };
    match scope.get(field) {
        Val::Processors(items) => items.iter().map(|p| Element { span: p.span, scope: Scope::Processor(p) }).collect(),
        Val::Data(items) => items
            .iter()
            .map(|data_use| Element { span: data_use.span, scope: Scope::DataUse { campaign, data_use } })
            .collect(),
        _ => Vec::new(),
    }
}

/// Where the value a test read is written: the field's value, a list's items from first to
/// last; `None` when the campaign does not state it (an effective purpose given by a rule's
/// scope, a missing field).
fn value_span(scope: Scope<'_>, field: &Field) -> Option<Span> {
    match scope {
        Scope::Processor(p) => match field {
            Field::ProcessorName => Some(p.name.span),
            Field::ProcessorRegion => span(&p.region),
            Field::ProcessorSafeguard => span(&p.safeguard),
            Field::ProcessorDpa => span(&p.dpa),
            _ => None,
        },
        Scope::Use { campaign, data_use, .. } | Scope::DataUse { campaign, data_use } => {
            use_span(campaign, data_use, field)
        }
        Scope::Campaign { campaign, .. } => campaign_span(campaign, field),
    }
}

fn use_span(c: &Campaign, u: &DataUse, field: &Field) -> Option<Span> {
    match field {
        Field::Category => Some(u.category.span),
        Field::Retention => span(&u.retention),
        Field::Source => span(&u.source),
        Field::Purpose => span(&u.purpose).or_else(|| span(&c.purpose)),
        Field::Basis => span(&u.basis).or_else(|| span(&c.basis)),
        other => campaign_span(c, other),
    }
}

fn campaign_span(c: &Campaign, field: &Field) -> Option<Span> {
    match field {
        Field::Campaign => span(&c.id),
        Field::Name => span(&c.name),
        Field::Owner => span(&c.owner),
        Field::Purpose => span(&c.purpose),
        Field::Basis => span(&c.basis),
        Field::Channels => list_span(&c.channels),
        Field::Regions => list_span(&c.regions),
        Field::MinAge => span(&c.min_age),
        Field::Subjects => list_span(&c.subjects),
        Field::Segments => list_span(&c.segments),
        Field::ConsentSource => span(&c.consent_source),
        Field::DoubleOptIn => span(&c.double_opt_in),
        Field::Withdrawal => span(&c.withdrawal),
        Field::Encryption => list_span(&c.encryption),
        Field::Access => list_span(&c.access),
        Field::Monitoring => span(&c.monitoring),
        Field::Unsubscribe => span(&c.unsubscribe),
        Field::Contact => span(&c.contact),
        Field::RightsAccess => span(&c.rights_access),
        Field::Erasure => span(&c.erasure),
        Field::Rectification => span(&c.rectification),
        Field::Label(key) => c.labels.get(key).map(|l| l.span),
        // Lists of objects are pointed at element by element; a use's own fields have no
        // campaign-wide place; a processor's are read inside `any processors (…)`.
        Field::Processors
        | Field::Data
        | Field::Category
        | Field::Retention
        | Field::Source
        | Field::ProcessorName
        | Field::ProcessorRegion
        | Field::ProcessorSafeguard
        | Field::ProcessorDpa => None,
    }
}

fn span<T>(v: &Option<Located<T>>) -> Option<Span> {
    v.as_ref().map(|l| l.span)
}

/// From a list's first item to its last; an empty list has no item to point at.
fn list_span(v: &Option<Vec<Located<String>>>) -> Option<Span> {
    let items = v.as_deref()?;
    let (first, last) = (items.first()?, items.last()?);
    Some(Span { file: first.span.file, start: first.span.start, end: last.span.end.max(first.span.start) })
}
