//! `lagom explain`: the decision trace as text for people ([`human()`]), or as JSON
//! ([`json()`]). What both read a trace with lives here: a condition's parts and a rule's scope
//! as the policy writes them.

mod format;
mod human;
mod json;

use super::message::{retention_text, targets_text};
use crate::campaign::Campaign;
use crate::eval::{CompiledPolicy, Connective, Explanation, RuleTrace, TestTrace, TraceNode};
use crate::policy::{CategoryId, CheckedRule, RuleEffect, RuleScope};
use crate::source::{SourceMap, Span};

pub use format::{Format, Written};
pub use human::{human, invalid_human};
pub use json::json;

fn source_text(sources: &SourceMap, span: Span) -> String {
    let raw = sources.text(span).unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn scope_text(policy: &CompiledPolicy, rule: &CheckedRule) -> String {
    let p = &policy.policy;
    let purposes = |t| targets_text(t, |x| p.purpose_path(x).to_string());
    let effect = rule.effect.as_str();
    let mut text = match &rule.scope {
        RuleScope::Campaign { purposes: ps } => format!("{effect} campaign for {}", purposes(ps)),
        RuleScope::Uses { categories, purposes: ps } => {
            let cats = targets_text(categories, |c| p.category_path(c).to_string());
            format!("{effect} {cats} for {}", purposes(ps))
        }
    };
    if let RuleEffect::Retain(limit) = rule.effect {
        text.push_str(&format!(" at most {}", retention_text(limit)));
    }
    text
}

/// A group's connective as the policy writes it.
fn word(connective: Connective) -> &'static str {
    match connective {
        Connective::And => "and",
        Connective::Or => "or",
    }
}

/// The taxonomy chains that put the use in the rule's scope, where they are not exact.
fn matched_via(policy: &CompiledPolicy, t: &RuleTrace) -> Vec<String> {
    super::message::matched_via(policy, &t.category_path, &t.purpose_path)
}

/// The rows of a condition's trace, one per part, each part of a group, `not` or quantifier
/// indented under it: the grouping `lagom fmt` writes with brackets, and the value of each
/// `not`, which a list of tests alone leaves out.
struct Rows<'a> {
    policy: &'a CompiledPolicy,
    sources: &'a SourceMap,
    tests: &'a [TestTrace],
}

impl Rows<'_> {
    /// A part as text, with the brackets `lagom fmt` writes: around a group inside another
    /// and around a group under `not`.
    fn text(&self, node: &TraceNode) -> String {
        let bracketed = |node: &TraceNode| match node {
            TraceNode::Group { .. } => format!("({})", self.text(node)),
            _ => self.text(node),
        };
        match node {
            TraceNode::Test(i) | TraceNode::Quant { test: i, .. } => {
                self.tests.get(*i).map(|t| source_text(self.sources, t.span)).unwrap_or_default()
            }
            TraceNode::Not { inner, .. } => format!("not {}", bracketed(inner)),
            TraceNode::Group { connective, parts, .. } => {
                parts.iter().map(bracketed).collect::<Vec<_>>().join(&format!(" {} ", word(*connective)))
            }
        }
    }
}

/// What `lagom explain` renders: one campaign's trace with everything needed to show it.
pub struct TraceView<'a> {
    /// The policy that decided.
    pub policy: &'a CompiledPolicy,
    /// Policy and campaign files, for locations and source text.
    pub sources: &'a SourceMap,
    /// The campaign file as shown.
    pub file: &'a str,
    /// The campaign.
    pub campaign: &'a Campaign,
    /// Its trace.
    pub explanation: &'a Explanation,
    /// Only uses under this category, when given.
    pub category: Option<CategoryId>,
}
