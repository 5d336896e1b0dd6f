//! A batch flattened into reportable items (one per blocked use, campaign-level rule, warning
//! or error) for the line-oriented CI formats: SARIF, JUnit and GitHub annotations.

use super::message::{blockers_strictest_first, finding_line, spelling_help, spelling_message, use_span, warning_span};
use crate::batch::{CampaignResult, Verdict};
use crate::diagnostic::{Code, Problem};
use crate::eval::{CompiledPolicy, FindingKind, Outcome};
use crate::source::{Location, SourceMap, Span};

/// The id of a campaign text spelt otherwise than the policy spells it.
pub const RESPELLING: &str = "lagom::respelling";

/// How serious an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Blocks the campaign, or makes it invalid.
    Error,
    /// A warning.
    Warning,
    /// A note that changes no decision.
    Note,
}

/// The id under which an item is reported: a policy rule, or a built-in check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemRule {
    /// A rule of the policy, by name.
    Policy(String),
    /// No rule allows the use (spec 3.2 step 3).
    DefaultDeny,
    /// An input error, by its code.
    Error(Code),
    /// A campaign text spelt otherwise than the policy spells it.
    Respelling,
}

impl ItemRule {
    /// The id as shown to tools.
    pub fn id(&self) -> String {
        match self {
            ItemRule::Policy(n) => n.clone(),
            ItemRule::DefaultDeny => "lagom::default_deny".into(),
            ItemRule::Error(code) => code.as_str().into(),
            ItemRule::Respelling => RESPELLING.into(),
        }
    }

    /// The id without the `lagom::` of lagom's own checks, as a title shows it.
    pub fn name(&self) -> String {
        match self {
            ItemRule::Policy(n) => n.clone(),
            ItemRule::DefaultDeny => "default_deny".into(),
            ItemRule::Error(code) => code.name().into(),
            ItemRule::Respelling => "respelling".into(),
        }
    }
}

/// One thing to report.
#[derive(Clone, Debug)]
pub struct Item {
    /// Error or warning.
    pub level: Level,
    /// What reports it.
    pub rule: ItemRule,
    /// What happened, in words for a marketer.
    pub message: String,
    /// Where in the campaign file.
    pub location: Location,
    /// Every deciding rule with its place in the policy (the first is `rule`).
    pub deciding: Vec<(String, Location)>,
}

/// The items of one campaign file.
pub fn campaign_items(policy: &CompiledPolicy, sources: &SourceMap, r: &CampaignResult) -> Vec<Item> {
    let mut items = Vec::new();
    let file_start = Location { file: r.file.clone(), line: 1, column: 1 };
    match &r.verdict {
        Verdict::Invalid(problems) => items.extend(problems.iter().map(|p| error_item(p, sources))),
        Verdict::Decided(c, d) => {
            let p = &policy.policy;
            let at = |span: Option<Span>| span.map_or_else(|| file_start.clone(), |s| sources.location(s));
            let named = |id| p.rule(id).map(|rule| (rule.name.clone(), sources.location(rule.span)));
            for u in &d.uses {
                let loc = at(use_span(c, u));
                let subject = format!("{} for {}", p.category_path(u.category), p.purpose_path(u.purpose));
                match &u.outcome {
                    Outcome::AllowedBy(_) => {}
                    Outcome::NotAllowed => items.push(Item {
                        level: Level::Error,
                        rule: ItemRule::DefaultDeny,
                        message: format!("no rule allows {subject}"),
                        location: loc.clone(),
                        deciding: Vec::new(),
                    }),
                    Outcome::BlockedBy(_) => {
                        let blockers = blockers_strictest_first(u);
                        let reasons: Vec<String> = blockers.iter().map(|f| finding_line(policy, f)).collect();
                        let rules: Vec<_> = blockers.iter().map(|f| f.rule).collect();
                        let first = rules.first().copied();
                        items.push(Item {
                            level: Level::Error,
                            rule: ItemRule::Policy(
                                first.and_then(|id| p.rule(id)).map(|r| r.name.clone()).unwrap_or_default(),
                            ),
                            // Several reasons are sentences of their own: a bar keeps them apart on one line.
                            message: format!("{subject} is blocked: {}", reasons.join(" | ")),
                            location: loc.clone(),
                            deciding: rules.iter().filter_map(|id| named(*id)).collect(),
                        });
                    }
                }
                for f in u.findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
                    items.push(Item {
                        level: Level::Warning,
                        rule: ItemRule::Policy(p.rule(f.rule).map(|r| r.name.clone()).unwrap_or_default()),
                        message: format!("{subject}: {}", finding_line(policy, f)),
                        location: at(warning_span(c, u, f)),
                        deciding: named(f.rule).into_iter().collect(),
                    });
                }
            }
            let whole = at(c.id.as_ref().map(|l| l.span));
            for f in &d.campaign_findings {
                let level = if matches!(f.kind, FindingKind::Warn) { Level::Warning } else { Level::Error };
                items.push(Item {
                    level,
                    rule: ItemRule::Policy(p.rule(f.rule).map(|r| r.name.clone()).unwrap_or_default()),
                    message: format!("campaign: {}", finding_line(policy, f)),
                    // Where the campaign states what made the rule apply, when it does.
                    location: f.evidence.first().map_or_else(|| whole.clone(), |s| sources.location(*s)),
                    deciding: named(f.rule).into_iter().collect(),
                });
            }
            for u in &d.spelling_notes {
                items.push(Item {
                    level: Level::Note,
                    rule: ItemRule::Respelling,
                    message: format!("{} ({})", spelling_message(policy, u), spelling_help(u)),
                    location: sources.location(u.respelling.at),
                    deciding: Vec::new(),
                });
            }
        }
    }
    items
}

/// An item for an input or policy error.
pub fn error_item(p: &Problem, sources: &SourceMap) -> Item {
    let message = match &p.help {
        Some(h) => format!("{} ({h})", p.message),
        None => p.message.clone(),
    };
    Item {
        level: Level::Error,
        rule: ItemRule::Error(p.code),
        message,
        location: p.location(sources),
        deciding: Vec::new(),
    }
}
