//! The trace of `lagom explain` as JSON.

use std::borrow::Cow;

use serde::Serialize;

use super::{matched_via, scope_text, source_text, word, Rows, TraceView};
use crate::eval::{CompiledPolicy, RuleTrace, RuleVerdict, Seen, TraceNode};
use crate::policy::{Quantifier, RuleEffect};
use crate::report::message::retention_text;
use crate::source::SourceMap;

#[derive(Serialize)]
struct JsonTest<'a> {
    test: String,
    field: String,
    /// Inside `any` / `all`: the element the test was of (`data[2]`), else null.
    element: Option<String>,
    value: JsonSeen<'a>,
    result: &'static str,
    /// The test is directly under `not`: the condition takes the opposite of its `result`.
    negated: bool,
}

/// A part of a condition in the JSON trace: `op` is `test`, `any`, `all` (with `test`, the
/// index in `tests` of the test or the quantifier's own), `not`, `and` or `or` (with `parts`;
/// a quantifier's parts are its body once per element).
#[derive(Serialize)]
struct JsonNode {
    op: &'static str,
    /// The part as `lagom fmt` writes it, brackets and all.
    text: String,
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    test: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<JsonNode>,
}

fn json_node(rows: &Rows<'_>, node: &TraceNode) -> JsonNode {
    let (op, test, parts): (_, _, &[TraceNode]) = match node {
        TraceNode::Test(i) => ("test", Some(*i), &[]),
        TraceNode::Quant { quantifier, test, elements } => {
            let op = match quantifier {
                Quantifier::Any => "any",
                Quantifier::All => "all",
            };
            (op, Some(*test), elements)
        }
        TraceNode::Not { inner, .. } => ("not", None, std::slice::from_ref(&**inner)),
        TraceNode::Group { connective, parts, .. } => (word(*connective), None, parts),
    };
    JsonNode {
        op,
        text: rows.text(node),
        result: node.result(rows.tests).as_str(),
        test,
        parts: parts.iter().map(|part| json_node(rows, part)).collect(),
    }
}

/// The indices in `tests` of the tests directly under a `not`.
fn negated_tests(node: &TraceNode, out: &mut Vec<usize>) {
    match node {
        TraceNode::Test(_) => {}
        TraceNode::Not { inner, .. } => match &**inner {
            TraceNode::Test(i) => out.push(*i),
            inner => negated_tests(inner, out),
        },
        TraceNode::Group { parts, .. } | TraceNode::Quant { elements: parts, .. } => {
            parts.iter().for_each(|part| negated_tests(part, out))
        }
    }
}

#[derive(Serialize)]
struct JsonRule<'a> {
    rule: String,
    /// `allow`, `deny`, `warn` or `retain`: a warn rule that applied and a deny rule that
    /// blocked are both `decided`.
    effect: &'static str,
    /// A retain rule's limit (`24 months`), else null.
    limit: Option<String>,
    scope: String,
    purpose: String,
    matched_via: Vec<String>,
    condition: Option<String>,
    result: &'static str,
    tests: Vec<JsonTest<'a>>,
    /// The condition's structure over `tests`, null for a rule without condition.
    tree: Option<JsonNode>,
    /// When `result` is unknown: the undeclared fields it depends on, as `check` names them.
    unknown: Vec<String>,
    verdict: &'static str,
    because: Option<&'a str>,
    cite: Option<&'a str>,
}

/// A test's value in the JSON trace, borrowed from the trace: a list a rule of every use sees is
/// written out for each, but not copied for each first.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonSeen<'a> {
    Absent,
    Text(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    List(&'a [String]),
    Items { items: usize },
}

fn seen_json<'a>(policy: &'a CompiledPolicy, seen: &'a Seen) -> JsonSeen<'a> {
    match seen {
        Seen::Absent => JsonSeen::Absent,
        Seen::Text(t) => JsonSeen::Text(Cow::Borrowed(t)),
        Seen::Bool(b) => JsonSeen::Bool(*b),
        Seen::Int(i) => JsonSeen::Int(*i),
        Seen::Duration(d) => JsonSeen::Text(Cow::Owned(retention_text(*d))),
        Seen::Category(c) => JsonSeen::Text(Cow::Borrowed(policy.policy.category_path(*c))),
        Seen::Purpose(p) => JsonSeen::Text(Cow::Borrowed(policy.policy.purpose_path(*p))),
        Seen::List(items) => JsonSeen::List(items),
        Seen::Items(n) => JsonSeen::Items { items: *n },
    }
}

fn json_rule<'a>(policy: &'a CompiledPolicy, sources: &SourceMap, t: &'a RuleTrace) -> Option<JsonRule<'a>> {
    let rule = policy.policy.rule(t.rule)?;
    let rows = Rows { policy, sources, tests: &t.tests };
    let mut negated = Vec::new();
    if let Some(tree) = &t.tree {
        negated_tests(tree, &mut negated);
    }
    Some(JsonRule {
        rule: rule.name.clone(),
        effect: rule.effect.as_str(),
        limit: match rule.effect {
            RuleEffect::Retain(limit) => Some(retention_text(limit)),
            RuleEffect::Allow | RuleEffect::Deny | RuleEffect::Warn => None,
        },
        scope: scope_text(policy, rule),
        purpose: policy.policy.purpose_path(t.purpose).to_string(),
        matched_via: matched_via(policy, t),
        condition: rule.written.map(|c| source_text(sources, c.span)),
        result: t.truth.as_str(),
        tests: t
            .tests
            .iter()
            .enumerate()
            .map(|(i, x)| JsonTest {
                test: source_text(sources, x.span),
                field: x.field.clone(),
                element: x.element.as_ref().map(|(list, i)| format!("{list}[{i}]")),
                value: seen_json(policy, &x.seen),
                result: x.result.as_str(),
                negated: negated.contains(&i),
            })
            .collect(),
        tree: t.tree.as_ref().map(|tree| json_node(&rows, tree)),
        unknown: t.unknown.iter().map(crate::report::message::missing_fact).collect(),
        verdict: match t.verdict {
            RuleVerdict::Decided => "decided",
            RuleVerdict::Overridden => "overridden",
            RuleVerdict::WithinLimit => "within_limit",
            RuleVerdict::NotApplied => "not_applied",
        },
        because: rule.because.as_deref(),
        cite: rule.cite.as_deref(),
    })
}

/// A use in the JSON trace.
#[derive(Serialize)]
struct JsonUse<'a> {
    index: usize,
    category: &'a str,
    purpose: &'a str,
    basis: Option<&'a str>,
    /// The declared retention (`5 years`), else null.
    retention: Option<String>,
    decision: &'static str,
    deciding_rules: Vec<String>,
    /// The warn rules that applied, as `check` gives them.
    warnings: Vec<String>,
    rules: Vec<JsonRule<'a>>,
}

/// The JSON trace, its keys in the order of an invalid campaign's document (`version` first).
#[derive(Serialize)]
struct JsonTrace<'a> {
    version: u32,
    file: &'a str,
    campaign: &'a str,
    decision: &'static str,
    uses: Vec<JsonUse<'a>>,
    campaign_rules: Vec<JsonRule<'a>>,
    /// The campaign-level warn rules that applied, as `check` gives them.
    campaign_warnings: Vec<String>,
    /// Values spelt otherwise than the policy, as `check` gives them; left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    respellings: Vec<crate::report::json::JsonSpellingNote<'a>>,
}

/// The trace as JSON.
pub fn json(view: &TraceView<'_>) -> String {
    let TraceView { policy, sources, file, campaign: c, explanation: e, category } = *view;
    let p = &policy.policy;
    let uses = e
        .uses_under(policy, category)
        .map(|(u, t)| JsonUse {
            index: u.index,
            category: p.category_path(u.category),
            purpose: p.purpose_path(u.purpose),
            basis: u.basis.as_deref(),
            retention: c.data.get(u.index).and_then(|d| d.retention.as_ref()).map(|r| retention_text(r.value)),
            decision: u.outcome.decision().as_str(),
            deciding_rules: p.rule_names(u.outcome.rules()),
            warnings: p.rule_names(&u.warnings),
            rules: t.rules.iter().filter_map(|r| json_rule(policy, sources, r)).collect(),
        })
        .collect();
    let doc = JsonTrace {
        version: 1,
        file,
        campaign: c.id_str(),
        decision: e.decision.decision.as_str(),
        uses,
        campaign_rules: e.campaign_rules.iter().filter_map(|r| json_rule(policy, sources, r)).collect(),
        campaign_warnings: p.rule_names(&e.decision.campaign_warnings),
        respellings: crate::report::json::spelling_notes(policy, sources, &e.decision),
    };
    crate::report::json::to_string(&doc)
}
