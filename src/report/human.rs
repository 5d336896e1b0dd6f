//! Human output: miette diagnostics that show the campaign line and the deciding rule.

mod fold;
mod render;

use miette::{LabeledSpan, Severity};

use super::snippet;
use fold::{at_lines, Folded, SHOWN_REPEATS};
use render::{Rendered, Renderer, RuleNote};

use super::message::{
    blockers_strictest_first, counted, cut, finding_message, finding_notes, one_line, printable, shorten_quoted,
    spelling_help, spelling_message, spelling_notes_text, use_span, warning_span,
};
use crate::eval::Warnings;

use crate::batch::{CampaignResult, Results, Tally, Verdict};
use crate::campaign::Campaign;
use crate::diagnostic::{Place, Problem};
use crate::eval::{
    CampaignDecision, CompiledPolicy, Decision, Finding, FindingKind, Outcome, SpellingNote, UseDecision,
};
use crate::source::{SourceMap, Span};

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Colours or none.
    pub colour: Colour,
    /// Wrap width.
    pub width: usize,
    /// Which campaigns are shown.
    pub shown: Shown,
    /// Whether warnings fail the run: then [`Shown::Failures`] keeps warned campaigns and their
    /// warnings.
    pub warnings: Warnings,
}

impl Style {
    /// Everything, without colours, 100 columns wide: for a file or a pipe.
    pub fn plain() -> Style {
        Style { colour: Colour::Plain, width: 100, shown: Shown::All, warnings: Warnings::Pass }
    }
}

/// Whether the output is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    /// ANSI colours, for a terminal.
    Ansi,
    /// None.
    Plain,
}

/// Which campaigns a report shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Every campaign.
    All,
    /// Only the campaigns that fail the run (blocked, invalid, and warned when warnings fail
    /// it), then the summary: `--quiet`.
    Failures,
}

/// The code of a blocked use or campaign, shown as input problems show their
/// [`Code`](crate::diagnostic::Code).
const BLOCKED: &str = "lagom::blocked";
/// The code of a warning that applied.
const WARNING: &str = "lagom::warning";

fn from_problem(p: &Problem, sources: &SourceMap, severity: Severity) -> Rendered {
    let mut r = Rendered::new(shorten_quoted(&p.message), severity);
    r.code = Some(p.code.as_str());
    r.help = p.help.clone();
    match &p.place {
        Place::Span(s) => r = r.at(sources, *s, Some(p.label.clone()).filter(|l| !l.is_empty())),
        // A message that names its file already (`cannot read `x``) is not prefixed again.
        Place::File(f) if p.message.contains(&format!("`{f}`")) => {}
        // Standard input is `-` to a location, and named in words by its messages.
        Place::File(f) if f == "-" && p.message.starts_with("standard input") => {}
        Place::File(f) => r.message = format!("{f}: {}", r.message),
    }
    for rel in &p.related {
        match rel.place {
            Place::Span(s) if Some(s.file) == primary_file(p) && shown_together(sources, &p.place, s) => {
                let shown = sources.file(s.file).map_or((s.start, 0), |f| snippet::shown(f, s));
                r.labels.push(LabeledSpan::new_with_span(Some(rel.label.clone()), shown));
            }
            Place::Span(s) => r.related.push(Rendered::new(rel.label.clone(), Severity::Advice).at(sources, s, None)),
            Place::File(_) => r.related.push(Rendered::new(rel.label.clone(), Severity::Advice)),
        }
    }
    r
}

/// Whether a related span is shown in the problem's own snippet: when they are a few lines
/// apart with no long line between. Otherwise it gets a snippet of its own, since one snippet
/// would show every line between them.
fn shown_together(sources: &SourceMap, primary: &Place, related: Span) -> bool {
    match (primary, sources.file(related.file)) {
        (Place::Span(s), Some(f)) => snippet::near(f, s.start, related.start),
        _ => false,
    }
}

fn primary_file(p: &Problem) -> Option<crate::source::FileId> {
    match p.place {
        Place::Span(s) => Some(s.file),
        Place::File(_) => None,
    }
}

/// Renders problems (an invalid policy, errors outside any campaign, or static warnings,
/// which are shown as warnings).
pub fn problems(problems: &[Problem], sources: &SourceMap, style: Style) -> String {
    let renderer = Renderer::new(style, sources);
    let mut out = String::new();
    // Problems come sorted by file: a file's repeats (a name used a thousand times in a policy
    // file that does not declare it) are folded after its own, as an invalid campaign's are.
    let file = |p: &Problem| match p.place {
        Place::Span(span) => Some(span.file),
        Place::File(_) => None,
    };
    let severity = |p: &Problem| if p.code.is_warning() { Severity::Warning } else { Severity::Error };
    for group in problems.chunk_by(|a, b| file(a) == file(b)) {
        render_folded(&renderer, &mut out, group, severity);
    }
    out
}

/// Renders problems of one file, each repeat (same code, message and help) beyond
/// [`SHOWN_REPEATS`] listed by line after them.
fn render_folded(
    renderer: &Renderer<'_>,
    out: &mut String,
    problems: &[Problem],
    severity: impl Fn(&Problem) -> Severity,
) {
    let sources = renderer.sources;
    let mut folded = Folded::default();
    for p in problems {
        let line = match p.place {
            Place::Span(span) => sources.location(span).line,
            Place::File(_) => 0,
        };
        if folded.show((p.code.as_str(), &p.message, p.help.as_deref()), || p.message.clone(), line) {
            renderer.render(out, from_problem(p, sources, severity(p)));
        }
    }
    out.push_str(&folded.summary());
}

fn rule_note(policy: &CompiledPolicy, f: &Finding) -> Option<RuleNote> {
    let rule = policy.policy.rule(f.rule)?;
    let message = super::message::cited(format!("rule `{}`", rule.name), rule);
    let mut label = match f.kind {
        FindingKind::Allow => "allows this".to_string(),
        FindingKind::Deny => "denies this".to_string(),
        FindingKind::Warn => "warns about this".to_string(),
        FindingKind::Retain { .. } => "limits retention".to_string(),
    };
    if let Some(chain) = super::message::matched_via(policy, &f.category_path, &[]).first() {
        label.push_str(&format!(" via {chain}"));
    }
    Some(RuleNote { message, label, span: rule.span })
}

fn use_block(policy: &CompiledPolicy, sources: &SourceMap, c: &Campaign, u: &UseDecision) -> Option<Rendered> {
    let p = &policy.policy;
    let category = p.category_path(u.category);
    let purpose = p.purpose_path(u.purpose);
    let span = use_span(c, u)?;
    let mut r = match &u.outcome {
        Outcome::AllowedBy(_) => return None,
        Outcome::NotAllowed => {
            let mut r = Rendered::new(format!("no rule allows {category} for {purpose}"), Severity::Error).at(
                sources,
                span,
                Some("blocked: nothing allows this use".into()),
            );
            r.help = Some(super::message::not_allowed_help(policy, u, category, purpose));
            r
        }
        Outcome::BlockedBy(_) => {
            let mut r = Rendered::new(format!("{category} for {purpose} is blocked"), Severity::Error).at(
                sources,
                span,
                Some("blocked".into()),
            );
            let blockers = blockers_strictest_first(u);
            let mut lines: Vec<String> = blockers.iter().map(|f| finding_message(policy, f)).collect();
            // Every blocker that applied for lack of a fact says which, named when there are several.
            // So does every one whose condition met a value spelt otherwise than the policy's.
            for f in &blockers {
                for note in finding_notes(f) {
                    match p.rule(f.rule) {
                        Some(rule) if blockers.len() > 1 => lines.push(format!("`{}`: {note}", rule.name)),
                        _ => lines.push(note),
                    }
                }
            }
            r.help = Some(lines.join("\n"));
            with_evidence(r, policy, sources, span, &blockers)
        }
    };
    r.code = Some(BLOCKED);
    for f in blockers_strictest_first(u) {
        r.notes.extend(rule_note(policy, f));
    }
    Some(r)
}

/// A blocked use's snippet with the places where the campaign states the facts its blockers
/// rest on (`encryption: [at_rest]` for a rule that asks for more): the line to change, which
/// the use's own line is not. A place a few lines from the use is labelled in its snippet,
/// one farther away gets a snippet of its own; at most three places.
fn with_evidence(
    mut r: Rendered,
    policy: &CompiledPolicy,
    sources: &SourceMap,
    at: Span,
    blockers: &[&Finding],
) -> Rendered {
    let mut shown = vec![at];
    for f in blockers {
        let label = match (blockers.len(), policy.policy.rule(f.rule)) {
            (2.., Some(rule)) => format!("`{}` applies because of this", rule.name),
            _ => "the rule applies because of this".to_string(),
        };
        for &place in &f.evidence {
            if shown.contains(&place) || shown.len() > 3 {
                continue;
            }
            shown.push(place);
            let near =
                place.file == at.file && sources.file(at.file).is_some_and(|f| snippet::near(f, at.start, place.start));
            if near {
                r = r.also(sources, place, &label);
            } else {
                r.related.push(Rendered::new(label.clone(), Severity::Advice).at(sources, place, None));
            }
        }
    }
    r
}

/// The note for a file named like a campaign under another extension, which was not read
/// ([`CampaignFiles::skipped`](crate::batch::CampaignFiles::skipped)).
pub fn skipped_note(name: &str) -> String {
    note_line(&skipped_text(name))
}

/// [`skipped_note`]'s words, which a GitHub notice and a SARIF notification carry too.
pub(super) fn skipped_text(name: &str) -> String {
    // A file name may hold a line break; on a line of its own in a CI log, the rest of the
    // name would be read as a command (`::stop-commands::…`).
    format!(
        "skipped `{}`: only files ending in `.yaml` or `.yml` are campaigns; rename it to have it checked",
        one_line(name)
    )
}

/// A note on a line of its own.
fn note_line(text: &str) -> String {
    format!("note: {text}\n")
}

/// The note for a file below a policy folder named like a policy file that is not one
/// (`10-deny.polcy`, `main.policy.bak`), which was not read
/// ([`CheckedPolicy::skipped`](crate::policy::CheckedPolicy::skipped)); `validate` makes it
/// a warning instead.
pub fn skipped_policy_note(name: &str) -> String {
    note_line(&skipped_policy_text(name))
}

/// [`skipped_policy_note`]'s words, which a GitHub notice and a SARIF notification carry too.
pub(super) fn skipped_policy_text(name: &str) -> String {
    format!(
        "skipped `{}`: only files ending in `.policy` are read as part of a policy; rename it if its rules \
         belong to the policy",
        one_line(name)
    )
}

/// The note that a run without `--policy` used the built-in pack: a campaign written for
/// another policy names what the pack does not know, and its help suggests the pack's names.
pub fn built_in_note(policy: &crate::policy::CheckedPolicy) -> String {
    let name = policy.name.as_deref().map(one_line).unwrap_or_default();
    let version = policy.version.as_deref().map(|v| format!(" {}", one_line(v))).unwrap_or_default();
    format!("note: checked against the built-in policy `{name}`{version} (no `--policy` given)\n")
}

/// The error for a report file (`--output`) that would replace a campaign or policy file, or
/// be read as one on the next run.
pub fn refused_output(report: &str) -> String {
    format!(
        "error: the report `{}` would replace a campaign or policy file, or be read as one on the next run\n\
         help: write it outside the campaign and policy folders, or give it another extension (`.json`, `.txt`)\n",
        // A line break in the name would start a line of a CI log.
        one_line(report)
    )
}

/// The note for a policy file named alone beside `.policy` files that were not read, when a
/// name it uses is unknown ([`PolicyError::left_out`](crate::policy::PolicyError::left_out)); the
/// folder is suggested with the `option` the file was given with (`--policy`, `--old`, `--new`).
pub fn left_out_note(left: &crate::policy::LeftOut, option: &str) -> String {
    note_line(&left_out_text(left, option))
}

/// [`left_out_note`]'s words, which a GitHub notice carries too.
pub(super) fn left_out_text(left: &crate::policy::LeftOut, option: &str) -> String {
    let others = match left.others {
        1 => "the other `.policy` file".to_string(),
        n => format!("the {n} other `.policy` files"),
    };
    format!(
        "only `{}` was read, not {others} in `{}`; if the names found unknown are declared \
         there, name the folder to read the policy whole: `{}`",
        one_line(&left.file),
        one_line(&left.folder),
        one_line(&super::path_option(option, &crate::files::shown_bytes(&left.folder)))
    )
}

/// The note for a file below a test folder named like a test file that is not one
/// (`x.tests.yaml`, `x.test.yaml.bak`), which was not read.
pub fn skipped_test_note(name: &str) -> String {
    format!(
        "note: skipped `{}`: only files ending in `.test.yaml` or `.test.yml` are test files; rename it to have its \
         tests run\n",
        one_line(name)
    )
}

/// The line `lagom validate` prints for a valid policy: its name, size, digest and warnings.
pub fn policy_summary(p: &crate::policy::CheckedPolicy, warnings: usize) -> String {
    let mut count = match warnings {
        0 => String::new(),
        n => format!("; {}", counted(n, "warning", "warnings")),
    };
    // Valid, and of no use yet: a campaign checked against it has every use blocked.
    if p.rules.is_empty() {
        count.push_str("; with no rules, every use is blocked by default");
    }
    format!(
        "policy {} is valid: {}, {}, {} ({}){count}\n",
        p.name.as_deref().map_or_else(|| "(unnamed)".to_string(), |n| format!("`{}`", one_line(n))),
        counted(p.rules.len(), "rule", "rules"),
        counted(p.categories.len(), "category", "categories"),
        counted(p.purposes.len(), "purpose", "purposes"),
        p.digest
    )
}

/// What a warning is about.
#[derive(Clone, Copy)]
enum Warned {
    /// A data use, at its category.
    Use(Span),
    /// The campaign, at the span that stands for it.
    Campaign(Span),
}

fn warning(
    policy: &CompiledPolicy,
    sources: &SourceMap,
    warned: Warned,
    subject: String,
    f: &Finding,
) -> Option<Rendered> {
    let r = Rendered::new(format!("{subject}: {}", finding_message(policy, f)), Severity::Warning);
    let mut r = match warned {
        // A use's warning stays at the use, with the facts its rule rests on beside it.
        Warned::Use(span) => with_evidence(r.at(sources, span, Some("warning".into())), policy, sources, span, &[f]),
        // The campaign's is at those facts.
        Warned::Campaign(span) => at_evidence(r, sources, span, "warning", f),
    };
    r.code = Some(WARNING);
    let notes: Vec<String> = finding_notes(f).collect();
    r.help = (!notes.is_empty()).then(|| notes.join("\n"));
    r.notes.extend(rule_note(policy, f));
    Some(r)
}

/// The spelling notes of a campaign beyond the first few, by line, as repeated problems are
/// listed: a file that spells a thousand values otherwise is one screen, not a thousand blocks
/// (machine formats keep every one).
fn more_spelling_notes(sources: &SourceMap, notes: &[SpellingNote]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let lines: Vec<usize> = notes.iter().map(|n| sources.location(n.respelling.at).line).collect();
    format!(
        "  … and {} spelt otherwise than the policy ({}), {}\n\n",
        counted(notes.len(), "more value", "more values"),
        super::items::RESPELLING,
        at_lines(&lines)
    )
}

/// A campaign text spelt otherwise than the policy spells it, at the text.
fn spelling_note(policy: &CompiledPolicy, sources: &SourceMap, u: &SpellingNote) -> Rendered {
    let label = format!("the policy writes `{}`", u.respelling.meant);
    let mut r = Rendered::new(spelling_message(policy, u), Severity::Advice).at(sources, u.respelling.at, Some(label));
    r.code = Some(super::items::RESPELLING);
    r.help = Some(spelling_help(u));
    r
}

/// A campaign-level finding placed where the campaign states the facts that made its rule
/// apply, else at `span` with `label`.
fn at_evidence(r: Rendered, sources: &SourceMap, span: Span, label: &str, f: &Finding) -> Rendered {
    let Some((first, more)) = f.evidence.split_first() else {
        return r.at(sources, span, Some(label.into()));
    };
    let r = r.at(sources, *first, Some("the rule applies because of this".into()));
    more.iter().fold(r, |r, s| r.also(sources, *s, "and this"))
}

/// The text of one campaign file's result.
fn render_result(policy: &CompiledPolicy, renderer: &Renderer<'_>, r: &CampaignResult, style: Style) -> String {
    let name = r.id.as_deref().map_or_else(|| r.file.clone(), |id| format!("{} ({})", cut(id), r.file));
    // One line: a line break in a file name is shown escaped too.
    let name = one_line(&name);
    match &r.verdict {
        Verdict::Invalid(problems) => render_invalid(renderer, &name, problems),
        Verdict::Decided(c, d) => {
            let quiet = style.shown == Shown::Failures;
            if quiet && !d.fails(style.warnings) {
                return String::new();
            }
            let whole = c.id.as_ref().map(|l| l.span).or_else(|| r.file_id.map(|f| Span { file: f, start: 0, end: 0 }));
            let view = DecidedView { policy, renderer, campaign: c, decision: d, whole };
            view.render(&name, style)
        }
    }
}

/// An invalid campaign: its mark, then its problems, repeated ones folded.
fn render_invalid(renderer: &Renderer<'_>, name: &str, problems: &[Problem]) -> String {
    let mut out = format!("✗ invalid  {name}\n");
    render_folded(renderer, &mut out, problems, |_| Severity::Error);
    out
}

/// A decided campaign being rendered.
struct DecidedView<'a> {
    policy: &'a CompiledPolicy,
    renderer: &'a Renderer<'a>,
    campaign: &'a Campaign,
    decision: &'a CampaignDecision,
    /// Where campaign-level findings without evidence are shown: the campaign's id, else the
    /// start of its file.
    whole: Option<Span>,
}

impl DecidedView<'_> {
    /// The campaign's mark, its blocked uses, what blocked it as a whole, its warnings when
    /// shown, and its values spelt otherwise than the policy. An allowed campaign whose
    /// warnings fail the run (`--deny-warnings`) is marked `⚠ allowed`: a `✓` would read as
    /// passing.
    fn render(&self, name: &str, style: Style) -> String {
        let mark = match (self.decision.decision, self.decision.fails(style.warnings)) {
            (Decision::Block, _) => "✗ blocked",
            (Decision::Allow, true) => "⚠ allowed",
            (Decision::Allow, false) => "✓ allowed",
        };
        // `--quiet` hides warnings, unless they fail the run.
        let show_warnings = match (style.shown, style.warnings) {
            (Shown::All, _) | (Shown::Failures, Warnings::Fail) => true,
            (Shown::Failures, Warnings::Pass) => false,
        };
        let mut out = format!("{mark}  {name}\n");
        let mut folded = Folded::default();
        self.blocked_uses(&mut out, &mut folded);
        self.campaign_blocks(&mut out);
        if show_warnings {
            self.use_warnings(&mut out, &mut folded);
            self.campaign_warnings(&mut out);
        }
        out.push_str(&folded.summary());
        // Shown whenever the campaign is: a value no comparison matches can be why a rule
        // did not apply, which `--quiet` keeps for a blocked campaign.
        self.spelling_notes(&mut out);
        out
    }

    /// Each blocked use, repeated ones folded.
    fn blocked_uses(&self, out: &mut String, folded: &mut Folded) {
        let (sources, c) = (self.renderer.sources, self.campaign);
        for u in &self.decision.uses {
            if let Some(block) = use_block(self.policy, sources, c, u) {
                let line = use_span(c, u).map_or(0, |s| sources.location(s).line);
                let key = (BLOCKED, block.message.as_str(), block.help.as_deref());
                if folded.show(key, || block.message.clone(), line) {
                    self.renderer.render(out, block);
                }
            }
        }
    }

    /// Each campaign-level rule that blocked the campaign.
    fn campaign_blocks(&self, out: &mut String) {
        let (policy, sources) = (self.policy, self.renderer.sources);
        for f in &self.decision.campaign_findings {
            let Some(span) = self.whole else { continue };
            let Some(rule) = policy.policy.rule(f.rule) else { continue };
            if matches!(f.kind, FindingKind::Warn) {
                continue;
            }
            let rd = Rendered::new(format!("campaign blocked by rule `{}`", rule.name), Severity::Error);
            let mut rd = at_evidence(rd, sources, span, "this campaign", f);
            rd.code = Some(BLOCKED);
            rd.help = Some(
                std::iter::once(finding_message(policy, f)).chain(finding_notes(f)).collect::<Vec<_>>().join("\n"),
            );
            rd.notes.extend(rule_note(policy, f));
            self.renderer.render(out, rd);
        }
    }

    /// Each warning about a use, repeated ones folded.
    fn use_warnings(&self, out: &mut String, folded: &mut Folded) {
        let (policy, sources) = (self.policy, self.renderer.sources);
        for u in &self.decision.uses {
            for f in u.findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
                let Some(span) = warning_span(self.campaign, u) else { continue };
                let subject = format!(
                    "{} for {}",
                    policy.policy.category_path(u.category),
                    policy.policy.purpose_path(u.purpose)
                );
                let rule = policy.policy.rule(f.rule).map_or("", |r| r.name.as_str());
                let name = format!("{subject}, warned by rule `{rule}`");
                if let Some(w) = warning(policy, sources, Warned::Use(span), subject, f) {
                    let key = (WARNING, w.message.as_str(), w.help.as_deref());
                    if folded.show(key, || name, sources.location(span).line) {
                        self.renderer.render(out, w);
                    }
                }
            }
        }
    }

    /// Each campaign-level warning.
    fn campaign_warnings(&self, out: &mut String) {
        let sources = self.renderer.sources;
        for f in self.decision.campaign_findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
            if let Some(w) =
                self.whole.and_then(|span| warning(self.policy, sources, Warned::Campaign(span), "campaign".into(), f))
            {
                self.renderer.render(out, w);
            }
        }
    }

    /// The first few values spelt otherwise than the policy, then the lines of the others.
    fn spelling_notes(&self, out: &mut String) {
        let notes = &self.decision.spelling_notes;
        let (shown, listed) = notes.split_at(notes.len().min(SHOWN_REPEATS));
        for u in shown {
            self.renderer.render(out, spelling_note(self.policy, self.renderer.sources, u));
        }
        out.push_str(&more_spelling_notes(self.renderer.sources, listed));
    }
}

/// Writes a checked batch, a chunk of campaigns at a time (each chunk rendered in parallel,
/// then written in batch order), and the summary line.
pub fn write_batch(
    policy: &CompiledPolicy,
    results: &dyn Results,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Tally> {
    let renderer = Renderer::new(style, results.sources());
    let s = super::chunks::write_chunked(
        results,
        |r| render_result(policy, &renderer, r, style),
        |part| out.write_all(part.as_bytes()),
    )?;
    let total = results.len();
    // With --deny-warnings an all-allowed run can still fail: the line says why.
    let failing = match style.warnings {
        Warnings::Fail if s.warnings > 0 => {
            format!(", which {} this run (--deny-warnings)", if s.warnings == 1 { "fails" } else { "fail" })
        }
        Warnings::Fail | Warnings::Pass => String::new(),
    };
    let notes = spelling_notes_text(&s).map(|t| format!("; {t}")).unwrap_or_default();
    writeln!(
        out,
        "{}: {} allowed, {} blocked, {} invalid; {}{failing}{notes}",
        counted(total, "campaign", "campaigns"),
        s.allowed,
        s.blocked,
        s.invalid,
        counted(s.warnings, "warning", "warnings")
    )?;
    Ok(s)
}

/// Renders a checked batch into one string (see [`write_batch`] for large batches).
pub fn render_batch(policy: &CompiledPolicy, results: &dyn Results, style: Style) -> String {
    super::in_memory(|w| write_batch(policy, results, style, w).map(drop))
}
