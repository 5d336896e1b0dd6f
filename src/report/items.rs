//! A batch flattened into reportable items (one per blocked use, campaign-level rule, warning
//! or error) for the line-oriented CI formats: SARIF, JUnit and GitHub annotations.

use super::message::{blockers_strictest_first, finding_line, spelling_help, spelling_message, use_span, warning_span};
use crate::batch::{CampaignResult, Verdict};
use crate::campaign::Campaign;
use crate::diagnostic::{place_location, Code, Problem};
use crate::eval::{CompiledPolicy, Finding, FindingKind, Outcome, SpellingNote, UseDecision};
use crate::policy::RuleId;
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
    /// Other places an input error names (the other file of a duplicate campaign id), each
    /// with what is there.
    pub related: Vec<(String, Location)>,
}

impl Item {
    /// The message with the other places it names (`[first written here: line 2, column 1]`),
    /// for the formats that give an item one line and one place, GitHub and JUnit: a duplicate
    /// key's annotation did not say where the first copy is. SARIF has them as related
    /// locations, human output as labels and snippets.
    pub fn line_message(&self) -> String {
        let places: Vec<String> = self
            .related
            .iter()
            .map(|(label, at)| {
                // A label that names the file already (`… is also declared in `b.yaml``) is not told it again.
                if at.file == self.location.file || label.contains(&format!("`{}`", at.file)) {
                    format!("{label}: line {}, column {}", at.line, at.column)
                } else {
                    format!("{label}: `{}`, line {}, column {}", at.file, at.line, at.column)
                }
            })
            .collect();
        match places.is_empty() {
            true => self.message.clone(),
            false => format!("{} [{}]", self.message, places.join("; ")),
        }
    }
}

/// The items of one campaign file.
pub fn campaign_items(policy: &CompiledPolicy, sources: &SourceMap, r: &CampaignResult) -> Vec<Item> {
    match &r.verdict {
        Verdict::Invalid(problems) => problems.iter().map(|p| error_item(p, sources)).collect(),
        Verdict::Decided(c, d) => {
            let file_start = Location { file: r.file.clone(), line: 1, column: 1 };
            let of = DecidedItems { policy, sources, campaign: c, file_start };
            let mut items: Vec<Item> = d.uses.iter().flat_map(|u| of.use_items(u)).collect();
            let whole = of.at(c.id.as_ref().map(|l| l.span));
            items.extend(d.campaign_findings.iter().map(|f| of.campaign_item(f, &whole)));
            items.extend(d.spelling_notes.iter().map(|u| of.spelling_item(u)));
            items
        }
    }
}

/// The items of a decided campaign.
struct DecidedItems<'a> {
    policy: &'a CompiledPolicy,
    sources: &'a SourceMap,
    campaign: &'a Campaign,
    /// Where an item without a place of its own is.
    file_start: Location,
}

impl DecidedItems<'_> {
    /// Where a span is, else the file's start.
    fn at(&self, span: Option<Span>) -> Location {
        span.map_or_else(|| self.file_start.clone(), |s| self.sources.location(s))
    }

    /// A rule's name, empty for a rule the policy does not have.
    fn rule_name(&self, id: RuleId) -> String {
        self.policy.policy.rule(id).map(|r| r.name.clone()).unwrap_or_default()
    }

    /// A rule's name and where it is declared.
    fn named(&self, id: RuleId) -> Option<(String, Location)> {
        self.policy.policy.rule(id).map(|rule| (rule.name.clone(), self.sources.location(rule.span)))
    }

    /// A use's items: what blocked it, then its warnings.
    fn use_items(&self, u: &UseDecision) -> Vec<Item> {
        let p = &self.policy.policy;
        let loc = self.at(use_span(self.campaign, u));
        let subject = format!("{} for {}", p.category_path(u.category), p.purpose_path(u.purpose));
        let mut items: Vec<Item> = self.blocked_use(u, &subject, loc).into_iter().collect();
        for f in u.findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
            items.push(Item {
                level: Level::Warning,
                rule: ItemRule::Policy(self.rule_name(f.rule)),
                message: format!("{subject}: {}", finding_line(self.policy, f)),
                location: self.at(warning_span(self.campaign, u)),
                deciding: self.named(f.rule).into_iter().collect(),
                related: Vec::new(),
            });
        }
        items
    }

    /// The item of a blocked use, at `loc`; none for an allowed one.
    fn blocked_use(&self, u: &UseDecision, subject: &str, loc: Location) -> Option<Item> {
        match &u.outcome {
            Outcome::AllowedBy(_) => None,
            Outcome::NotAllowed => Some(Item {
                level: Level::Error,
                rule: ItemRule::DefaultDeny,
                message: format!("no rule allows {subject}"),
                location: loc,
                deciding: Vec::new(),
                related: Vec::new(),
            }),
            Outcome::BlockedBy(_) => {
                let blockers = blockers_strictest_first(u);
                let reasons: Vec<String> = blockers.iter().map(|f| finding_line(self.policy, f)).collect();
                let rules: Vec<_> = blockers.iter().map(|f| f.rule).collect();
                Some(Item {
                    level: Level::Error,
                    rule: ItemRule::Policy(rules.first().map(|id| self.rule_name(*id)).unwrap_or_default()),
                    // Several reasons are sentences of their own: a bar keeps them apart on one line.
                    message: format!("{subject} is blocked: {}", reasons.join(" | ")),
                    location: loc,
                    deciding: rules.iter().filter_map(|id| self.named(*id)).collect(),
                    related: Vec::new(),
                })
            }
        }
    }

    /// A campaign-level finding's item, where the campaign states what made the rule apply
    /// when it does, else at `whole`.
    fn campaign_item(&self, f: &Finding, whole: &Location) -> Item {
        let level = if matches!(f.kind, FindingKind::Warn) { Level::Warning } else { Level::Error };
        Item {
            level,
            rule: ItemRule::Policy(self.rule_name(f.rule)),
            message: format!("campaign: {}", finding_line(self.policy, f)),
            location: f.evidence.first().map_or_else(|| whole.clone(), |s| self.sources.location(*s)),
            deciding: self.named(f.rule).into_iter().collect(),
            related: Vec::new(),
        }
    }

    /// A note on a value spelt otherwise than the policy.
    fn spelling_item(&self, u: &SpellingNote) -> Item {
        Item {
            level: Level::Note,
            rule: ItemRule::Respelling,
            message: format!("{} ({})", spelling_message(self.policy, u), spelling_help(u)),
            location: self.sources.location(u.respelling.at),
            deciding: Vec::new(),
            related: Vec::new(),
        }
    }
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
        related: p.related.iter().map(|r| (r.label.clone(), place_location(&r.place, sources))).collect(),
    }
}
