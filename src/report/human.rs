//! Human output: miette diagnostics that show the campaign line and the deciding rule.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceCode};

use super::message::{finding_message, Summary};
use rayon::prelude::*;

use crate::batch::{Batch, CampaignResult, Verdict};
use crate::campaign::Campaign;
use crate::diagnostic::{Place, Problem};
use crate::eval::{CompiledPolicy, Finding, FindingKind, Outcome, UseDecision};
use crate::source::{SourceFile, SourceMap, Span};

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
    /// Only blocked and invalid campaigns and the summary.
    pub quiet: bool,
}

/// A diagnostic ready for miette.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<String>,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<Indexed>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A source file as miette reads it, through the file's line index.
///
/// miette's own `SourceCode` for text scans from the first byte to find the lines around a
/// span, which costs the whole file for every rule shown from a large policy. Starting the
/// same scan at a line start a few lines before the span gives the same contents: before the
/// span the scan only counts lines, and the lines before the window are added back. Text with
/// a lone `\r` (which miette counts as a line break and the index does not) is scanned whole.
#[derive(Debug)]
struct Indexed(SourceFile);

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text = self.0.text.as_bytes();
        let (span_line, _) = self.0.line_start_of(span.offset());
        let first = span_line.saturating_sub(context_lines_before + 1);
        let window_start = self.0.line_start(first).unwrap_or(0);
        if window_start == 0 || span.offset() < window_start || self.0.has_carriage_return() {
            return text.read_span(span, context_lines_before, context_lines_after);
        }
        let window = text.get(window_start..).unwrap_or(&[]);
        let shifted = miette::SourceSpan::from((span.offset() - window_start, span.len()));
        let inner = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        let data = inner.data();
        let start = inner.span().offset() + window_start;
        Ok(Box::new(miette::MietteSpanContents::new(
            data,
            (start, data.len()).into(),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

impl Rendered {
    fn new(message: String, severity: Severity) -> Rendered {
        Rendered { message, code: None, severity, help: None, source: None, labels: Vec::new(), related: Vec::new() }
    }

    fn at(mut self, sources: &SourceMap, span: Span, label: Option<String>) -> Rendered {
        if let Some(f) = sources.file(span.file) {
            self.source = Some(NamedSource::new(f.name.clone(), Indexed(f.clone())));
            self.labels.push(LabeledSpan::new_with_span(label, (span.start, span.end.saturating_sub(span.start))));
        }
        self
    }
}

fn from_problem(p: &Problem, sources: &SourceMap, severity: Severity) -> Rendered {
    let mut r = Rendered::new(p.message.clone(), severity);
    r.code = Some(p.code.as_str().to_string());
    r.help = p.help.clone();
    match &p.place {
        Place::Span(s) => r = r.at(sources, *s, Some(p.label.clone()).filter(|l| !l.is_empty())),
        Place::File(f) => r.message = format!("{f}: {}", p.message),
    }
    for rel in &p.related {
        match rel.place {
            Place::Span(s) if Some(s.file) == primary_file(p) => {
                r.labels.push(LabeledSpan::new_with_span(
                    Some(rel.label.clone()),
                    (s.start, s.end.saturating_sub(s.start)),
                ));
            }
            Place::Span(s) => r.related.push(Rendered::new(rel.label.clone(), Severity::Advice).at(sources, s, None)),
            Place::File(_) => r.related.push(Rendered::new(rel.label.clone(), Severity::Advice)),
        }
    }
    r
}

fn primary_file(p: &Problem) -> Option<crate::source::FileId> {
    match p.place {
        Place::Span(s) => Some(s.file),
        Place::File(_) => None,
    }
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    // Words break at spaces only: the Unicode line-break rules (miette's default) cost a third
    // of a large report and change nothing for our messages, whose words never hold a break
    // opportunity of their own.
    GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

fn render(out: &mut String, style: Style, r: &Rendered) {
    let _ = handler(style).render_report(out, r);
    out.push('\n');
}

/// Renders problems (an invalid policy, errors outside any campaign, or static warnings,
/// which are shown as warnings).
pub fn problems(problems: &[Problem], sources: &SourceMap, style: Style) -> String {
    let mut out = String::new();
    for p in problems {
        let severity = if p.code.is_warning() { Severity::Warning } else { Severity::Error };
        render(&mut out, style, &from_problem(p, sources, severity));
    }
    out
}

fn rule_note(policy: &CompiledPolicy, sources: &SourceMap, f: &Finding) -> Option<Rendered> {
    let rule = policy.policy.rule(f.rule)?;
    let mut message = format!("rule `{}`", rule.name);
    if let Some(cite) = &rule.cite {
        message.push_str(&format!(" ({cite})"));
    }
    let mut label = match f.kind {
        FindingKind::Allow => "allows this".to_string(),
        FindingKind::Deny => "denies this".to_string(),
        FindingKind::Warn => "warns about this".to_string(),
        FindingKind::Retain { .. } => "limits retention".to_string(),
    };
    if f.category_path.len() > 1 {
        let chain: Vec<&str> = f.category_path.iter().map(|c| policy.policy.category_path(*c)).collect();
        label.push_str(&format!(" via {}", chain.join(" ⊑ ")));
    }
    Some(Rendered::new(message, Severity::Advice).at(sources, rule.span, Some(label)))
}

fn unknown_note(f: &Finding) -> Option<String> {
    if f.unknown.is_empty() {
        return None;
    }
    let fields: Vec<String> = f.unknown.iter().map(|u| format!("`{u}`")).collect();
    Some(format!(
        "the campaign does not declare {}, so the rule applies (missing facts never let data through)",
        fields.join(", ")
    ))
}

fn use_block(policy: &CompiledPolicy, sources: &SourceMap, c: &Campaign, u: &UseDecision) -> Option<Rendered> {
    let p = &policy.policy;
    let category = p.category_path(u.category);
    let purpose = p.purpose_path(u.purpose);
    let span = c.data.get(u.index).map(|d| d.category.span)?;
    let mut r = match &u.outcome {
        Outcome::AllowedBy(_) => return None,
        Outcome::NotAllowed => {
            let mut r = Rendered::new(format!("no rule allows {category} for {purpose}"), Severity::Error).at(
                sources,
                span,
                Some("blocked: nothing allows this use".into()),
            );
            let near = near_misses(policy, u);
            r.help = Some(if near.is_empty() {
                format!("use data the policy allows for `{purpose}`, or ask your legal team whether `{category}` may be used for it")
            } else {
                format!("rules that almost match: {}", near.join("; "))
            });
            r
        }
        Outcome::BlockedBy(_) => {
            let first = u.findings.first();
            let mut r = Rendered::new(format!("{category} for {purpose} is blocked"), Severity::Error).at(
                sources,
                span,
                Some("blocked".into()),
            );
            let reasons: Vec<String> = u
                .findings
                .iter()
                .filter(|f| !matches!(f.kind, FindingKind::Warn))
                .map(|f| finding_message(policy, f))
                .collect();
            r.help = Some(reasons.join("\n"));
            if let Some(note) = first.and_then(unknown_note) {
                r.help = Some(format!("{}\n{note}", r.help.unwrap_or_default()));
            }
            r
        }
    };
    r.code = Some("lagom::blocked".into());
    for f in u.findings.iter().filter(|f| !matches!(f.kind, FindingKind::Warn)) {
        r.related.extend(rule_note(policy, sources, f));
    }
    Some(r)
}

/// Allow rules for this category under another purpose, or for this purpose under another
/// category: what a marketer might have meant.
fn near_misses(policy: &CompiledPolicy, u: &UseDecision) -> Vec<String> {
    use crate::policy::{RuleEffect, RuleScope, Targets};
    let p = &policy.policy;
    let mut out = Vec::new();
    for rule in &p.rules {
        let (RuleEffect::Allow, RuleScope::Uses { categories, purposes }) = (rule.effect, &rule.scope) else {
            continue;
        };
        let cat_ok = match categories {
            Targets::Any => true,
            Targets::Some(cs) => cs.iter().any(|c| p.categories.is_under(u.category.0, c.0)),
        };
        let pur_ok = match purposes {
            Targets::Any => true,
            Targets::Some(ps) => ps.iter().any(|x| p.purposes.is_under(u.purpose.0, x.0)),
        };
        if !cat_ok && !pur_ok {
            continue;
        }
        let cats = match categories {
            Targets::Any => "*".to_string(),
            Targets::Some(v) => v.iter().map(|c| p.category_path(*c).to_string()).collect::<Vec<_>>().join(", "),
        };
        let purs = match purposes {
            Targets::Any => "*".to_string(),
            Targets::Some(v) => v.iter().map(|x| p.purpose_path(*x).to_string()).collect::<Vec<_>>().join(", "),
        };
        if cat_ok && pur_ok {
            out.push(format!("`{}` allows {cats} for {purs} but its condition does not hold", rule.name));
        } else {
            out.push(format!("`{}` allows {cats} for {purs}", rule.name));
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

fn warning(policy: &CompiledPolicy, sources: &SourceMap, span: Span, subject: String, f: &Finding) -> Option<Rendered> {
    let mut r = Rendered::new(format!("{subject}: {}", finding_message(policy, f)), Severity::Warning).at(
        sources,
        span,
        Some("warning".into()),
    );
    r.code = Some("lagom::warning".into());
    r.help = unknown_note(f);
    r.related.extend(rule_note(policy, sources, f));
    Some(r)
}

/// The text of one campaign file's result.
fn render_result(policy: &CompiledPolicy, sources: &SourceMap, r: &CampaignResult, style: Style) -> String {
    let mut out = String::new();
    let name = r.id.as_deref().map_or_else(|| r.file.clone(), |id| format!("{id} ({})", r.file));
    match &r.verdict {
        Verdict::Invalid(problems) => {
            out.push_str(&format!("✗ invalid  {name}\n"));
            for p in problems {
                render(&mut out, style, &from_problem(p, sources, Severity::Error));
            }
        }
        Verdict::Decided(c, d) => {
            let blocked = d.decision == crate::eval::Decision::Block;
            if style.quiet && !blocked {
                return out;
            }
            let mark = if blocked { "✗ blocked" } else { "✓ allowed" };
            out.push_str(&format!("{mark}  {name}\n"));
            let whole = c.id.as_ref().map(|l| l.span).or_else(|| r.file_id.map(|f| Span { file: f, start: 0, end: 0 }));
            for u in &d.uses {
                if let Some(block) = use_block(policy, sources, c, u) {
                    render(&mut out, style, &block);
                }
            }
            for f in &d.campaign_findings {
                let Some(span) = whole else { continue };
                let Some(rule) = policy.policy.rule(f.rule) else { continue };
                if matches!(f.kind, FindingKind::Warn) {
                    continue;
                }
                let mut rd = Rendered::new(format!("campaign blocked by rule `{}`", rule.name), Severity::Error).at(
                    sources,
                    span,
                    Some("this campaign".into()),
                );
                rd.code = Some("lagom::blocked".into());
                rd.help = Some(
                    [Some(finding_message(policy, f)), unknown_note(f)]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                rd.related.extend(rule_note(policy, sources, f));
                render(&mut out, style, &rd);
            }
            if !style.quiet {
                for u in &d.uses {
                    let Some(span) = c.data.get(u.index).map(|x| x.category.span) else { continue };
                    for f in u.findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
                        let subject = format!(
                            "{} for {}",
                            policy.policy.category_path(u.category),
                            policy.policy.purpose_path(u.purpose)
                        );
                        if let Some(w) = warning(policy, sources, span, subject, f) {
                            render(&mut out, style, &w);
                        }
                    }
                }
                for f in d.campaign_findings.iter().filter(|f| matches!(f.kind, FindingKind::Warn)) {
                    if let Some(w) = whole.and_then(|span| warning(policy, sources, span, "campaign".into(), f)) {
                        render(&mut out, style, &w);
                    }
                }
            }
        }
    }
    out
}

/// Campaigns rendered at once by [`write_batch`]: enough for every core, few enough that the
/// text of a large batch is never held whole.
const CAMPAIGNS_PER_CHUNK: usize = 256;

/// Writes a checked batch, a chunk of campaigns at a time (each chunk rendered in parallel,
/// then written in batch order), and the summary line.
pub fn write_batch(
    policy: &CompiledPolicy,
    batch: &Batch,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for chunk in batch.results.chunks(CAMPAIGNS_PER_CHUNK) {
        let parts: Vec<String> = chunk.par_iter().map(|r| render_result(policy, &batch.sources, r, style)).collect();
        for part in parts {
            out.write_all(part.as_bytes())?;
        }
    }
    let s = Summary::of(batch);
    let total = batch.results.len();
    writeln!(
        out,
        "{total} campaign{}: {} allowed, {} blocked, {} invalid; {} warning{}",
        if total == 1 { "" } else { "s" },
        s.allowed,
        s.blocked,
        s.invalid,
        s.warnings,
        if s.warnings == 1 { "" } else { "s" }
    )
}

/// Renders a checked batch into one string (see [`write_batch`] for large batches).
pub fn render_batch(policy: &CompiledPolicy, batch: &Batch, style: Style) -> String {
    super::in_memory(|w| write_batch(policy, batch, style, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(s: &dyn SourceCode, span: (usize, usize), before: usize, after: usize) -> String {
        match s.read_span(&span.into(), before, after) {
            Ok(c) => format!(
                "{:?} {:?} {} {} {}",
                String::from_utf8_lossy(c.data()),
                c.span(),
                c.line(),
                c.column(),
                c.line_count()
            ),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn the_line_index_reads_spans_exactly_as_miette_does() {
        let text = "rule a {\n  allow x for y\n}\n\nrule b {\n  deny * for z\n  because \"\u{e5}\"\n}\nlast";
        let indexed = Indexed(SourceFile::new("p.policy", text));
        for start in 0..=text.len() {
            for len in [0, 1, 3, 12] {
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    assert_eq!(
                        contents(&indexed, (start, len), before, after),
                        contents(&text, (start, len), before, after),
                        "span {start}+{len}, context {before}/{after}"
                    );
                }
            }
        }
    }
}
