//! How the human report is drawn: diagnostics as miette renders them, and what a large report
//! repeats rendered once per run. What the report says is in `human.rs`.

use std::fmt;
use std::sync::{Arc, Mutex};

use foldhash::HashMap;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceCode};

use super::{Colour, Style};
use crate::report::message::{one_line, printable};
use crate::report::snippet::{self, Indexed};
use crate::source::{SourceMap, Span};

/// A diagnostic ready for miette.
#[derive(Debug)]
pub(super) struct Rendered {
    pub message: String,
    pub code: Option<&'static str>,
    pub severity: Severity,
    pub help: Option<String>,
    pub source: Option<NamedSource<Indexed>>,
    pub labels: Vec<LabeledSpan>,
    pub related: Vec<Rendered>,
    /// Shown after `related`, as miette shows related diagnostics.
    pub notes: Vec<RuleNote>,
}

/// The rule behind a finding, shown after it: the rule, what it did, and where it is declared.
/// A run shows the same few hundred notes tens of thousands of times, so [`Renderer`] renders
/// each distinct one once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct RuleNote {
    /// `rule `name` (cite)`.
    pub message: String,
    /// What the rule did (`denies this via a ⊑ b`).
    pub label: String,
    /// The rule's declaration.
    pub span: Span,
}

/// The words of a line, broken at ASCII spaces, except before a word that starts with `::`:
/// a line of a report that starts with it, after its indent, may be read by a CI system as a
/// workflow command (`::error::…`), and the words of a message or help include campaign text.
/// Nor inside a command to paste that fits on a line ([`pasted_command_end`]).
fn words_never_starting_a_command(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for word in textwrap::WordSeparator::AsciiSpace.find_words(line) {
        words.push((at, word.word));
        at += word.word.len() + word.whitespace.len();
    }
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(&(at, word)) = words.get(i) {
        // After white space too: GitHub's runner trims a no-break space as it trims a space.
        if starts.is_empty() || !word.trim_start_matches(char::is_whitespace).starts_with("::") {
            starts.push(at);
        }
        i = pasted_command_end(&words, i).unwrap_or(i) + 1;
    }
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([line.len()]).collect();
    Box::new(
        starts
            .into_iter()
            .zip(ends)
            .map(move |(start, end)| textwrap::core::Word::from(line.get(start..end).unwrap_or(""))),
    )
}

/// The longest command in a help (`` `lagom explain --policy p 'my c/a.yaml'` ``) kept on one
/// line: what fits beside a help's indent at the width of [`Style::plain`]. A longer one
/// breaks at its spaces, as words do, rather than inside a word.
const MAX_PASTED_COMMAND: usize = 88;

/// When the word at `i` of `words` (each with its offset) opens a code span that is a
/// `lagom` command, the index of the word that closes it, if the command fits on a line:
/// broken over two, it could not be pasted whole (a path quoted for the shell would take in
/// the line break and the indent).
fn pasted_command_end(words: &[(usize, &str)], i: usize) -> Option<usize> {
    let &(start, first) = words.get(i)?;
    if !first.starts_with("`lagom") || first.get(1..).is_some_and(|rest| rest.contains('`')) {
        return None;
    }
    let close = words.iter().skip(i + 1).position(|(_, w)| w.contains('`'))? + i + 1;
    let &(at, last) = words.get(close)?;
    (at + last.len() - start <= MAX_PASTED_COMMAND).then_some(close)
}

/// Renders diagnostics with one miette handler. What a large report repeats is rendered once
/// per run and reused: each distinct [`RuleNote`], and each distinct help line (a run of
/// 10,000 campaigns shows 32,000 help lines, of which 1,500 differ). Campaigns are rendered in
/// parallel, so the parts rendered so far are shared.
pub(super) struct Renderer<'a> {
    handler: GraphicalReportHandler,
    /// The files the diagnostics point into.
    pub sources: &'a SourceMap,
    notes: Mutex<Reused<RuleNote>>,
    footers: Mutex<Reused<String>>,
    /// A report with no message and nothing else: what [`Renderer::footer`] takes away.
    bare: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(style: Style, sources: &'a SourceMap) -> Renderer<'a> {
        let theme = match style.colour {
            Colour::Ansi => GraphicalTheme::unicode(),
            Colour::Plain => GraphicalTheme::unicode_nocolor(),
        };
        // Words break at spaces only: the Unicode line-break rules (miette's default) cost a
        // third of a large report and change nothing for our messages, whose words never hold
        // a break opportunity of their own.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_links(false)
            .with_word_separator(textwrap::WordSeparator::Custom(words_never_starting_a_command))
            // Nor at hyphens (`--max-file-` / `size`), which would cut a command to paste.
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            // Nor inside a word longer than a line (a URL in a reason): cut anywhere, it could
            // start the next line with `::` after all.
            .with_break_words(false);
        let mut bare = String::new();
        let _ = handler.render_report(&mut bare, &Rendered::new(String::new(), Severity::Advice));
        Renderer { handler, sources, notes: Mutex::default(), footers: Mutex::default(), bare }
    }

    /// Renders `r` and a blank line.
    pub(super) fn render(&self, out: &mut String, r: Rendered) {
        let start = out.len();
        self.render_untrimmed(out, r);
        trim_line_ends(out, start);
    }

    /// [`Renderer::render`] as miette lays it out, with a space at the end of some lines.
    fn render_untrimmed(&self, out: &mut String, mut r: Rendered) {
        // miette shows the help between the snippets and the related diagnostics, so it is
        // rendered apart only when there are none.
        let footer = match &r.help {
            Some(help) if r.related.is_empty() => self.footer(help),
            _ => None,
        };
        if footer.is_some() {
            r.help = None;
        }
        let _ = self.handler.render_report(out, &r);
        if let Some(footer) = footer {
            out.push_str(&footer);
        }
        for note in &r.notes {
            out.push_str(&self.note(note));
        }
        out.push('\n');
    }

    /// A note as miette renders a related diagnostic without a code or related diagnostics of
    /// its own: a blank line, `Advice: `, a line break, then the diagnostic as a report.
    fn note(&self, note: &RuleNote) -> Arc<str> {
        let render = || {
            let rendered = Rendered::new(note.message.clone(), Severity::Advice).at(
                self.sources,
                note.span,
                Some(note.label.clone()),
            );
            let mut text = String::from("\nAdvice: \n");
            let _ = self.handler.render_report(&mut text, &rendered);
            Some(text)
        };
        // A note always renders.
        once(&self.notes, note, render).unwrap_or_default()
    }

    /// A help line as miette renders it under a diagnostic: what a report with only that help
    /// holds beyond [`Renderer::bare`]. `None` if that is not how miette lays it out (then the
    /// help is left to miette, in place).
    fn footer(&self, help: &str) -> Option<Arc<str>> {
        once(&self.footers, help, || {
            let mut with = String::new();
            let mut alone = Rendered::new(String::new(), Severity::Advice);
            alone.help = Some(help.to_string());
            let _ = self.handler.render_report(&mut with, &alone);
            with.strip_prefix(self.bare.as_str()).map(str::to_string)
        })
    }
}

/// Takes away the spaces at the ends of the lines of `out` after `start`: miette ends some lines
/// in a space (`Advice: ` over a note, the bar beside an empty line of a snippet), which
/// editors flag and `diff` shows.
fn trim_line_ends(out: &mut String, start: usize) {
    let Some(text) = out.get(start..) else { return };
    if !text.contains(" \n") && !text.ends_with(' ') {
        return;
    }
    let mut trimmed = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(l) => {
                trimmed.push_str(l.trim_end_matches(' '));
                trimmed.push('\n');
            }
            None => trimmed.push_str(line.trim_end_matches(' ')),
        }
    }
    out.truncate(start);
    out.push_str(&trimmed);
}

/// Most bytes of rendered text kept for reuse, per kind of part. The report is streamed so
/// that memory does not grow with the number of campaigns; a run whose parts rarely repeat
/// stops keeping them here and renders the rest each time (the text is the same either way).
const MAX_REUSED_BYTES: usize = 4 << 20;

/// Parts rendered so far, by what they were rendered from.
struct Reused<K> {
    parts: HashMap<K, Arc<str>>,
    /// Bytes of rendered text in `parts` (the keys hold about as many again).
    bytes: usize,
}

impl<K> Default for Reused<K> {
    fn default() -> Self {
        Reused { parts: HashMap::default(), bytes: 0 }
    }
}

/// The text rendered for `key`: rendered the first time it is asked for, then reused while
/// [`MAX_REUSED_BYTES`] allows.
fn once<K, Q>(reused: &Mutex<Reused<K>>, key: &Q, render: impl FnOnce() -> Option<String>) -> Option<Arc<str>>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: ?Sized + std::hash::Hash + Eq + ToOwned<Owned = K>,
{
    if let Some(text) = reused.lock().ok().and_then(|r| r.parts.get(key).cloned()) {
        return Some(text);
    }
    let text: Arc<str> = render()?.into();
    if let Ok(mut r) = reused.lock() {
        if r.bytes + text.len() <= MAX_REUSED_BYTES {
            r.bytes += text.len();
            r.parts.insert(key.to_owned(), Arc::clone(&text));
        }
    }
    Some(text)
}

// Message, help and labels may quote campaign text: they are shown `printable`, and the
// message and labels, which are one line each, `one_line`.
impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.message))
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
        self.help.as_ref().map(|c| Box::new(printable(c)) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().map(|l| {
            let text = l.label().map(|t| one_line(t).into_owned());
            // The problem's own place heads the snippet (`file:line:col`), as its JSON
            // `location` does, also when a related place comes earlier in the same file.
            match l.primary() {
                true => LabeledSpan::new_primary_with_span(text, *l.inner()),
                false => LabeledSpan::new_with_span(text, *l.inner()),
            }
        })))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

impl Rendered {
    pub(super) fn new(message: String, severity: Severity) -> Rendered {
        Rendered {
            message,
            code: None,
            severity,
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub(super) fn at(mut self, sources: &SourceMap, span: Span, label: Option<String>) -> Rendered {
        if let Some(f) = sources.file(span.file) {
            self.source = Some(NamedSource::new(one_line(&f.name), Indexed::new(f)));
            self.labels.push(LabeledSpan::new_primary_with_span(label, snippet::shown(f, span)));
        }
        self
    }

    /// A secondary label in the same file as the primary one (else nothing).
    pub(super) fn also(mut self, sources: &SourceMap, span: Span, label: &str) -> Rendered {
        if let Some(f) = sources.file(span.file).filter(|_| self.source.is_some()) {
            self.labels.push(LabeledSpan::new_with_span(Some(label.to_string()), snippet::shown(f, span)));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_to_paste_is_one_word_when_it_fits_on_a_line() {
        let words = |line: &'static str| -> Vec<String> {
            words_never_starting_a_command(line).map(|w| w.word.to_string()).collect()
        };
        let command = "`lagom explain --policy p.policy 'my campaigns/a.yaml'`;";
        assert_eq!(
            words("name one file, e.g. `lagom explain --policy p.policy 'my campaigns/a.yaml'`; then"),
            ["name", "one", "file,", "e.g.", command, "then"]
        );
        // Too long for a line: broken at its spaces, as before.
        let long = format!("e.g. `lagom explain --policy {} a.yaml`", "p".repeat(80));
        let long: &'static str = Box::leak(long.into_boxed_str());
        assert_eq!(words(long).len(), 6);
        // Not a command, or never closed: words as they are.
        assert_eq!(words("`deny contact for *` and `lagom check").len(), 7);
    }

    #[test]
    fn no_line_ends_in_a_space_after_trimming() {
        let mut out = String::from("kept \nAdvice: \n 205 │ \n  two  spaces\nlast  ");
        trim_line_ends(&mut out, 5);
        assert_eq!(out, "kept \nAdvice:\n 205 │\n  two  spaces\nlast");
    }
    use crate::source::SourceFile;

    /// A rule note and a help line rendered once and reused must read exactly as miette renders
    /// the same diagnostic with the help in place and the note as a related diagnostic: this
    /// pins that equivalence (in colour and without) against miette's layout changing under us.
    #[test]
    fn reused_notes_and_help_read_as_miette_renders_them_in_place() {
        let mut sources = SourceMap::default();
        let policy =
            sources.add(SourceFile::new("p.policy", "rule no_phone {\n  deny contact.phone for marketing\n}\n"));
        let campaign = sources.add(SourceFile::new("c.yaml", "data:\n  - category: contact.phone\n"));
        let note = RuleNote {
            message: "rule `no_phone` (GDPR Art. 21)".into(),
            label: "denies this via contact.phone ⊑ contact".into(),
            span: Span { file: policy, start: 5, end: 13 },
        };
        let help = format!(
            "rules that almost match: {}\nthe campaign does not declare `consent`",
            "`allow_1` allows a, b for c; ".repeat(6)
        );
        let blocked = || {
            let mut r = Rendered::new("contact.phone for marketing is blocked".into(), Severity::Error).at(
                &sources,
                Span { file: campaign, start: 18, end: 31 },
                Some("blocked".into()),
            );
            r.help = Some(help.clone());
            r
        };
        for colour in [Colour::Plain, Colour::Ansi] {
            let renderer = Renderer::new(Style { colour, ..Style::plain() }, &sources);
            let mut in_place = blocked();
            for _ in 0..2 {
                let related = Rendered::new(note.message.clone(), Severity::Advice);
                in_place.related.push(related.at(&sources, note.span, Some(note.label.clone())));
            }
            let mut expected = String::new();
            renderer.handler.render_report(&mut expected, &in_place).unwrap();
            expected.push('\n');
            assert!(expected.contains("help: ") && expected.matches("Advice: \n").count() == 2, "{expected}");
            // As miette lays it out, but with no line ending in a space.
            trim_line_ends(&mut expected, 0);
            assert!(expected.matches("Advice:\n").count() == 2, "{expected}");
            for _ in 0..2 {
                let mut reused = blocked();
                reused.notes = vec![note.clone(), note.clone()];
                let mut actual = String::new();
                renderer.render(&mut actual, reused);
                assert_eq!(actual, expected);
            }
            assert!(renderer.footers.lock().unwrap().parts.contains_key(help.as_str()));
            assert!(renderer.notes.lock().unwrap().parts.contains_key(&note));
        }
    }

    #[test]
    fn parts_are_kept_for_reuse_only_up_to_the_byte_budget() {
        let reused: Mutex<Reused<String>> = Mutex::default();
        let big = |c: char| c.to_string().repeat(MAX_REUSED_BYTES / 2 + 1);
        let renders = std::cell::Cell::new(0);
        let part = |key: &str, c: char| {
            once(&reused, key, || {
                renders.set(renders.get() + 1);
                Some(big(c))
            })
        };
        assert_eq!(part("a", 'a').as_deref(), Some(big('a').as_str()));
        assert_eq!(part("b", 'b').as_deref(), Some(big('b').as_str()));
        assert_eq!(renders.get(), 2);
        // `a` fitted and is reused; `b` did not, and is rendered again, with the same text.
        assert_eq!(part("a", 'x').as_deref(), Some(big('a').as_str()));
        assert_eq!(part("b", 'b').as_deref(), Some(big('b').as_str()));
        assert_eq!(renders.get(), 3);
        let r = reused.lock().unwrap();
        assert!(r.bytes <= MAX_REUSED_BYTES && r.parts.len() == 1, "{} bytes in {} parts", r.bytes, r.parts.len());
    }
}
