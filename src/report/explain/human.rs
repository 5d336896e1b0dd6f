//! The trace of `lagom explain` for people.

use super::{matched_via, scope_text, source_text, word, Rows, TraceView};
use crate::eval::{CompiledPolicy, RuleTrace, RuleVerdict, Seen, TestTrace, TraceNode, Truth, UseDecision, UseTrace};
use crate::policy::{ConditionKeyword, RuleEffect};
use crate::report::message::{cited, counted, cut, finding_message, one_line, printable, retention_text, rule_reason};
use crate::source::{SourceMap, Span};

fn seen_text(policy: &CompiledPolicy, seen: &Seen) -> String {
    match seen {
        Seen::Absent => "not declared".to_string(),
        Seen::Text(t) => format!("`{t}`"),
        Seen::Bool(b) => b.to_string(),
        Seen::Int(i) => i.to_string(),
        Seen::Duration(d) => retention_text(*d),
        Seen::Category(c) => format!("`{}`", policy.policy.category_path(*c)),
        Seen::Purpose(p) => format!("`{}`", policy.policy.purpose_path(*p)),
        Seen::List(items) => format!("[{}]", items.join(", ")),
        Seen::Items(n) => counted(*n, "item", "items"),
    }
}

fn verdict_text(t: &RuleTrace, effect: RuleEffect) -> String {
    match (t.verdict, effect) {
        (RuleVerdict::Decided, RuleEffect::Allow) => "allows this use".into(),
        // Unknown is as true for a warning as for a deny: the facts that made it apply are named.
        (RuleVerdict::Decided, RuleEffect::Warn) if t.truth == Truth::Unknown => {
            format!("warns (fail closed: {})", missing(t))
        }
        (RuleVerdict::Decided, RuleEffect::Warn) => "warns".into(),
        // The decision names the `retention` a use lacks among its missing facts.
        (RuleVerdict::Decided, RuleEffect::Retain(_)) if t.unknown.iter().any(is_retention) => {
            format!("blocks (fail closed: {})", missing(t))
        }
        (RuleVerdict::Decided, RuleEffect::Retain(_)) if t.truth == Truth::Unknown => {
            format!("blocks: the declared retention is over the limit (fail closed: {})", missing(t))
        }
        (RuleVerdict::Decided, RuleEffect::Retain(_)) => "blocks: the declared retention is over the limit".into(),
        (RuleVerdict::Decided, RuleEffect::Deny) if t.truth == Truth::Unknown => {
            format!("blocks (fail closed: {})", missing(t))
        }
        (RuleVerdict::Decided, RuleEffect::Deny) => "blocks".into(),
        (RuleVerdict::Overridden, _) => "applies, but a block overrides it".into(),
        (RuleVerdict::WithinLimit, _) => "applies; the declared retention is within the limit".into(),
        (RuleVerdict::NotApplied, RuleEffect::Allow) if t.truth == Truth::Unknown => {
            format!("does not apply: an allow needs its condition to be true, and {}", missing(t))
        }
        (RuleVerdict::NotApplied, _) => "does not apply".into(),
    }
}

fn is_retention(fact: &crate::eval::MissingFact) -> bool {
    matches!(fact, crate::eval::MissingFact::Retention)
}

/// The facts a rule's condition found missing, in words: what to add to the campaign.
fn missing(t: &RuleTrace) -> String {
    match t.unknown.len() {
        0 => "a fact is missing".into(),
        _ => format!("the campaign does not declare {}", crate::report::message::missing_facts(&t.unknown)),
    }
}

/// A rule's lines in the trace. `reason`: show the `because` and `cite` of a rule that applies
/// (a use's deciding rules have theirs under `decided`; its warnings and campaign-level rules
/// are explained only here).
fn rule_lines(out: &mut String, policy: &CompiledPolicy, sources: &SourceMap, t: &RuleTrace, reason: bool) {
    let indent = "  ";
    let Some(rule) = policy.policy.rule(t.rule) else { return };
    let loc = sources.location(rule.span);
    let mark = match t.verdict {
        RuleVerdict::Decided => "●",
        RuleVerdict::Overridden | RuleVerdict::WithinLimit | RuleVerdict::NotApplied => "○",
    };
    out.push_str(&format!(
        "{indent}{mark} rule `{}`: {}  ({}:{})\n",
        rule.name,
        scope_text(policy, rule),
        one_line(&loc.file),
        loc.line
    ));
    let via = matched_via(policy, t);
    if !via.is_empty() {
        out.push_str(&format!("{indent}    matched via {}\n", via.join("; ")));
    }
    if let (Some(condition), Some(root)) = (rule.written, &t.tree) {
        // `unless X` is stored as `not X`: the line shows X's own value, which is what the
        // reader looks for, and what it means for the rule.
        let (keyword, shown) = match (condition.keyword, root) {
            (ConditionKeyword::Unless, TraceNode::Not { inner, .. }) => ("unless", &**inner),
            _ => ("when", root),
        };
        let value = match (condition.keyword, t.truth) {
            (ConditionKeyword::When, truth) => truth.as_str().to_string(),
            (ConditionKeyword::Unless, Truth::False) => "true: the exception holds".into(),
            (ConditionKeyword::Unless, Truth::True) => "false: no exception".into(),
            (ConditionKeyword::Unless, Truth::Unknown) => "unknown".into(),
        };
        let rows = Rows { policy, sources, tests: &t.tests };
        out.push_str(&format!("{indent}    {keyword} {}  → {value}\n", rows.text(shown)));
        match shown {
            // The condition's own parts: its line above gives the group's value.
            TraceNode::Group { parts, .. } => parts.iter().for_each(|part| rows.push(out, part, 0)),
            // A condition that is a `not` of more than a test: the line above gives the `not`'s
            // value, the row below what it negates.
            TraceNode::Not { inner, .. } if !matches!(**inner, TraceNode::Test(_)) => rows.push(out, inner, 0),
            node => rows.push(out, node, 0),
        }
    }
    out.push_str(&format!("{indent}    {}\n", verdict_text(t, rule.effect)));
    let explained_here = reason || rule.effect == RuleEffect::Warn;
    if let Some(text) = rule_reason(rule).filter(|_| explained_here && t.verdict == RuleVerdict::Decided) {
        out.push_str(&format!("{indent}      {}\n", one_line(&text)));
    }
}

/// The longest group shown in full on its own row.
const SHORT_GROUP: usize = 60;

impl Rows<'_> {
    /// A group's text for its own row, its parts following on rows of their own: in full
    /// when short, else its first part and the operator (`labels.lia is not set or …`).
    fn short(&self, node: &TraceNode) -> String {
        let full = self.text(node);
        match node {
            TraceNode::Group { connective, parts, .. } if full.chars().count() > SHORT_GROUP => {
                let first = parts.first().map(|part| self.text(part)).unwrap_or_default();
                format!("{} {} …", cut(&first), word(*connective))
            }
            TraceNode::Not { inner, .. } if matches!(**inner, TraceNode::Group { .. }) => {
                format!("not ({})", self.short(inner))
            }
            _ => full,
        }
    }

    /// A part's rows at `depth` below the condition's line.
    fn push(&self, out: &mut String, node: &TraceNode, depth: usize) {
        let pad = "  ".repeat(depth + 4);
        let result = node.result(self.tests).as_str();
        match node {
            TraceNode::Test(i) => {
                if let Some(test) = self.tests.get(*i) {
                    out.push_str(&format!("{pad}{}", self.test_line("", test, result)));
                }
            }
            TraceNode::Not { inner, .. } => match &**inner {
                // `not` over a single test is one row: the test with the value it sees, and
                // the value of the `not`.
                TraceNode::Test(i) => {
                    if let Some(test) = self.tests.get(*i) {
                        out.push_str(&format!("{pad}{}", self.test_line("not ", test, result)));
                    }
                }
                TraceNode::Group { parts, .. } => {
                    out.push_str(&format!("{pad}{}  → {result}\n", self.short(node)));
                    parts.iter().for_each(|part| self.push(out, part, depth + 1));
                }
                inner => {
                    out.push_str(&format!("{pad}{}  → {result}\n", self.text(node)));
                    self.push(out, inner, depth + 1);
                }
            },
            TraceNode::Group { parts, .. } => {
                out.push_str(&format!("{pad}({})  → {result}\n", self.short(node)));
                parts.iter().for_each(|part| self.push(out, part, depth + 1));
            }
            TraceNode::Quant { test, elements, .. } => {
                if let Some(test) = self.tests.get(*test) {
                    out.push_str(&format!("{pad}{}", self.test_line("", test, result)));
                }
                elements.iter().for_each(|element| self.push(out, element, depth + 1));
            }
        }
    }

    fn test_line(&self, not: &str, t: &TestTrace, result: &str) -> String {
        // Inside `any data (…)` the same test runs once per element: the element tells them apart.
        let element = t.element.as_ref().map(|(list, i)| format!("{list}[{i}].")).unwrap_or_default();
        format!(
            "{not}{}  [{element}{} = {}] → {result}\n",
            source_text(self.sources, t.span),
            t.field,
            cut(&one_line(&seen_text(self.policy, &t.seen))),
        )
    }
}

/// The trace of a campaign that cannot be decided, for standard output (its errors go to
/// standard error): a reader of the output alone sees that it is invalid, not an empty trace.
pub fn invalid_human(file: &str, id: Option<&str>, errors: usize) -> String {
    let name = id.map(|id| format!("campaign `{}` ({})", cut(&one_line(id)), one_line(file)));
    format!(
        "{}: invalid\n\ndecision: invalid ({}, shown on standard error; no use is decided until they are fixed)\n",
        name.unwrap_or_else(|| one_line(file).into_owned()),
        counted(errors, "error", "errors")
    )
}

/// What blocked a campaign, for its last line (` by use 2: `a`, `b`; the campaign: `c``): the
/// trace above can be long, and this is what to act on.
fn blockers(policy: &CompiledPolicy, d: &crate::eval::CampaignDecision) -> String {
    let p = &policy.policy;
    let names = |ids: &[crate::policy::RuleId]| {
        ids.iter().filter_map(|r| p.rule(*r).map(|r| format!("`{}`", r.name))).collect::<Vec<_>>().join(", ")
    };
    let mut parts: Vec<String> = d
        .uses
        .iter()
        .filter(|u| u.outcome.decision() == crate::eval::Decision::Block)
        .map(|u| match u.outcome.rules() {
            [] => format!("use {}: no rule allows it", u.index),
            rules => format!("use {} by {}", u.index, names(rules)),
        })
        .collect();
    if !d.campaign_rules.is_empty() {
        parts.push(format!("the campaign by {}", names(&d.campaign_rules)));
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!(" ({})", parts.join("; ")),
    }
}

/// The trace as text.
pub fn human(view: &TraceView<'_>) -> String {
    let TraceView { policy, explanation: e, category, .. } = *view;
    // Campaign text and file names stay on their line (see `one_line`): a line break in them
    // would start a line of the CI log that shows the trace.
    // The decision and what made it come first, so that a reader need not scroll past every
    // rule that did not apply to find it; the same line closes the trace.
    let decided = format!("{}{}", e.decision.decision.as_str(), blockers(policy, &e.decision));
    let mut out = head(view, &decided);
    for (u, trace) in e.uses_under(policy, category) {
        use_lines(&mut out, view, u, trace);
    }
    campaign_rule_lines(&mut out, view);
    respelling_lines(&mut out, view);
    out.push_str(&format!("\ndecision: {decided}\n"));
    // Campaign text is shown printable (see `printable`).
    printable(&out).into_owned()
}

/// The trace's first lines: the campaign and its decision, how to read the marks, and a
/// `--category` that no use falls under.
fn head(view: &TraceView<'_>, decided: &str) -> String {
    let TraceView { policy, file, campaign: c, explanation: e, category, .. } = *view;
    let mut out = format!("campaign `{}` ({}): {decided}\n", cut(&one_line(c.id_str())), one_line(file));
    if e.decision.decision == crate::eval::Decision::Block {
        out.push_str("rules marked ● decided; `lagom check` shows what to change\n");
    }
    if let Some(asked) = category.filter(|_| e.uses_under(policy, category).next().is_none()) {
        // Else only the campaign-level rules follow, which reads as if the category were fine.
        out.push_str(&format!("\nno use of `{}` or of a category under it\n", policy.policy.category_path(asked)));
    }
    out
}

/// A use's lines: what it is, every rule whose scope contains it, and what decided it.
fn use_lines(out: &mut String, view: &TraceView<'_>, u: &UseDecision, trace: &UseTrace) {
    let (policy, p) = (view.policy, &view.policy.policy);
    out.push_str(&format!(
        "\nuse {}: {} for {} (basis {}) → {}\n",
        u.index,
        p.category_path(u.category),
        p.purpose_path(u.purpose),
        u.basis.as_deref().map_or("none".into(), one_line),
        u.outcome.decision().as_str()
    ));
    if trace.rules.is_empty() {
        out.push_str("  no rule's scope contains this use\n");
    }
    for t in &trace.rules {
        rule_lines(out, policy, view.sources, t, false);
    }
    decided_lines(out, policy, u);
}

/// What decided a use: the rules and their messages, or, for a use no rule allows, what
/// `check` says about it (the allow rules a missing fact kept out, the rules that almost match).
fn decided_lines(out: &mut String, policy: &CompiledPolicy, u: &UseDecision) {
    let p = &policy.policy;
    match &u.outcome {
        crate::eval::Outcome::NotAllowed => {
            let (category, purpose) = (p.category_path(u.category), p.purpose_path(u.purpose));
            out.push_str(&format!("  decided: block by default: no rule allows {category} for {purpose}\n"));
            for line in crate::report::message::not_allowed_help(policy, u, category, purpose).lines() {
                out.push_str(&format!("    {}\n", one_line(line)));
            }
        }
        outcome => {
            let names: Vec<String> =
                outcome.rules().iter().filter_map(|r| p.rule(*r).map(|r| format!("`{}`", r.name))).collect();
            out.push_str(&format!("  decided: {} by {}\n", outcome.decision().as_str(), names.join(", ")));
            for f in u.findings.iter().filter(|f| outcome.rules().contains(&f.rule)) {
                let message = finding_message(policy, f);
                let line = match p.rule(f.rule) {
                    Some(rule) => cited(message, rule),
                    None => message,
                };
                out.push_str(&format!("    {}\n", one_line(&line)));
            }
        }
    }
}

/// The campaign-level rules, grouped under each purpose they were evaluated at, in rule order
/// within it. Shown with `--category` too: they decide the campaign whatever its uses are, and
/// the decision below must be accounted for (the JSON carries them as well).
fn campaign_rule_lines(out: &mut String, view: &TraceView<'_>) {
    let (p, e) = (&view.policy.policy, view.explanation);
    if e.campaign_rules.is_empty() {
        return;
    }
    out.push_str("\ncampaign-level rules\n");
    let mut traces: Vec<_> = e.campaign_rules.iter().collect();
    traces.sort_by_key(|t| p.purpose_path(t.purpose));
    let mut previous = None;
    for t in traces {
        if previous != Some(t.purpose) {
            out.push_str(&format!("  at purpose {}:\n", p.purpose_path(t.purpose)));
            previous = Some(t.purpose);
        }
        rule_lines(out, view.policy, view.sources, t, true);
    }
}

/// The values spelt otherwise than the policy, by line. Shown with `--category` too: a value
/// no comparison matches may be why a rule did not apply.
fn respelling_lines(out: &mut String, view: &TraceView<'_>) {
    let lines = respellings(view.policy, &view.explanation.decision);
    if !lines.is_empty() {
        out.push_str("\nvalues spelt otherwise than the policy\n");
        for (at, text) in lines {
            out.push_str(&format!("  line {}: {text}\n", view.sources.location(at).line));
        }
    }
}

/// The values spelt otherwise than the policy, each where it is: those a finding names (`check`
/// says them in its help) first, by rule, then the decision's spelling notes.
fn respellings(policy: &CompiledPolicy, d: &crate::eval::CampaignDecision) -> Vec<(Span, String)> {
    let p = &policy.policy;
    let findings = d.uses.iter().flat_map(|u| &u.findings).chain(&d.campaign_findings);
    let mut lines: Vec<(Span, String)> = findings
        .flat_map(|f| f.respellings.iter().map(move |r| (f.rule, r)))
        .filter_map(|(rule, r)| {
            let name = &p.rule(rule)?.name;
            let how = crate::report::message::difference(r.difference);
            Some((
                r.at,
                format!(
                    "`{}` where rule `{name}` writes `{}`: values are compared exactly ({how})",
                    r.written, r.meant
                ),
            ))
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines.extend(
        d.spelling_notes.iter().map(|u| (u.respelling.at, crate::report::message::spelling_message(policy, u))),
    );
    lines
}
