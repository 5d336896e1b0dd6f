//! Locations and errors as the reference loader reports them, and their conversion to a
//! [`Problem`].
//!
//! An error is placed where serde-saphyr 2.2 places it (at the alias, for an error in a value
//! that came from one) and keeps its [`ErrorKind`]: the problem is made from the kind, and only the
//! parser's errors are told apart by their words. The differential tests read serde-saphyr's
//! messages back into a kind (`oracle.rs`), so both loaders' errors meet the same wording.

use super::budget::Breach;
use super::scalar::Invalid;
use super::Document;
use crate::diagnostic::{lowercase_first, Code, Place, Problem};
use crate::source::{FileId, SourceFile, Span};

/// Stands for a missing index, as serde-saphyr's span does.
const NO_INDEX: u32 = u32::MAX;

/// A place in the text: line and character column (1-based), character offset and length,
/// byte offset and length. Equality is the reference loader's, used to tell an alias's use
/// from its definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    pub(super) line: u32,
    pub(super) column: u32,
    index: u32,
    len: u32,
    bytes: (u32, u32),
}

fn index(v: usize) -> u32 {
    u32::try_from(v).map_or(NO_INDEX - 1, |v| v.min(NO_INDEX - 1))
}

fn saturate(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

impl Loc {
    /// No place known.
    pub(super) const UNKNOWN: Loc =
        Loc { line: 0, column: 0, index: NO_INDEX, len: NO_INDEX, bytes: (NO_INDEX, NO_INDEX) };

    /// Where a parser event is.
    pub(super) fn of_span(span: &granit_parser::Span) -> Loc {
        let (start, end) = (&span.start, &span.end);
        let bytes = match (start.byte_offset(), end.byte_offset()) {
            (Some(s), Some(e)) => {
                let len = e.saturating_sub(s);
                match (u32::try_from(s), u32::try_from(len)) {
                    (Ok(_), Ok(_)) => (index(s), index(len)),
                    _ => (NO_INDEX, NO_INDEX),
                }
            }
            _ => (NO_INDEX, NO_INDEX),
        };
        Loc {
            line: saturate(start.line()),
            column: saturate(start.col() + 1),
            index: index(start.index()),
            len: index(span.len()),
            bytes,
        }
    }

    /// Where a parser error is.
    pub(super) fn of_marker(mark: &granit_parser::Marker) -> Loc {
        Loc {
            line: saturate(mark.line()),
            column: saturate(mark.col() + 1),
            index: index(mark.index()),
            len: 1,
            bytes: (NO_INDEX, NO_INDEX),
        }
    }

    /// The node span in `source`: its bytes, or an empty span at its line and column.
    pub(super) fn span(&self, file: FileId, source: &SourceFile) -> Span {
        let (start, len) = if self.bytes == (NO_INDEX, NO_INDEX) {
            (source.offset_of(self.line as usize, self.column as usize), 0)
        } else {
            (self.bytes.0 as usize, self.bytes.1 as usize)
        };
        Span { file, start, end: start + len }
    }
}

/// What went wrong, as the loader tells it apart. The problem is made from this; only the
/// parser's own errors are told apart by their text.
#[derive(Clone, Debug)]
pub(super) enum ErrorKind {
    /// Over a limit of the budget.
    Breach(Breach),
    /// Aliases replayed more events than [`super::MAX_ALIAS_REPLAY_EVENTS`].
    AliasReplay,
    /// The parser's own guard against deep nesting.
    ParserNesting,
    /// A second YAML document.
    SecondDocument,
    /// A key already in its mapping, with its text when it is text.
    Duplicate(Option<String>),
    /// An alias inside the value its own anchor marks.
    RecursiveAlias,
    /// An alias with no anchor before it.
    UnknownAnchor,
    /// A scalar its tag does not fit.
    Scalar(Invalid),
    /// A tag (as written) on a kind of node it cannot mark.
    UnsupportedTag(String),
    /// `!include` on a collection.
    IncludeNotScalar,
    /// Events no value can be made of, in the reference loader's words.
    Unreadable(&'static str),
    /// Any other error of the parser, in its words.
    Parser(String),
}

/// An error with its kind, place and alias context; boxed, so that results stay small on the
/// way up.
#[derive(Clone, Debug)]
pub(super) struct Error(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    kind: ErrorKind,
    at: Loc,
    /// Where the aliased value the error is in was used.
    used_at: Option<Loc>,
    /// For a duplicate key: where the key was first written (spec 4.1: a duplicate shows both
    /// places).
    earlier: Option<Span>,
}

impl Error {
    #[cold]
    pub(super) fn new(kind: ErrorKind, at: Loc) -> Error {
        Error(Box::new(Inner { kind, at, used_at: None, earlier: None }))
    }

    /// Adds where a duplicate key was first written.
    #[cold]
    pub(super) fn first_written_at(mut self, earlier: Option<Span>) -> Error {
        self.0.earlier = earlier;
        self
    }

    fn located(&self) -> bool {
        self.0.used_at.is_some() || self.0.at != Loc::UNKNOWN
    }

    /// Adds where an aliased node was used (`alias`) and defined, as serde-saphyr does for
    /// an error inside a node that came from an alias: the error is shown at the alias.
    #[cold]
    pub(super) fn in_node(mut self, alias: Option<Loc>, defined: Loc) -> Error {
        let used = alias.unwrap_or(defined);
        if used != Loc::UNKNOWN && defined != Loc::UNKNOWN && used != defined {
            self.0.used_at = Some(used);
        } else if !self.located() {
            self.0.at = if used == Loc::UNKNOWN { defined } else { used };
        }
        self
    }

    /// Places an error that has no place yet.
    pub(super) fn or_at(mut self, at: Loc) -> Error {
        if !self.located() {
            self.0.at = at;
        }
        self
    }

    /// The place shown: an alias's use, else the error's own place.
    fn place(&self) -> Option<Loc> {
        match self.0.used_at {
            Some(used) => Some(used),
            None => (self.0.at != Loc::UNKNOWN).then_some(self.0.at),
        }
    }

    /// The problem reported for this error, in a file that holds `document`.
    pub(super) fn problem(&self, file: FileId, source: &SourceFile, document: Document) -> Problem {
        let place = self.place().map(|l| (u64::from(l.line), u64::from(l.column)));
        let problem = self.0.kind.problem(file, source, place, document);
        match self.0.earlier {
            Some(first) => problem.with_related(Place::Span(first), FIRST_WRITTEN),
            None => problem,
        }
    }
}

/// The label of the place a duplicate key was first written.
pub(super) const FIRST_WRITTEN: &str = "first written here";

/// The help where no more telling one is known.
const CHECK_AROUND: &str = "check the indentation and brackets around this line";

/// The problem for a second document in a file that holds `document`.
pub(super) fn second_document(at: Span, document: Document) -> Problem {
    let message = format!("a {} holds one YAML document; this is a second one", document.noun());
    Problem::at(Code::Yaml, at, message, "second document").with_help(document.one_document_help())
}

impl ErrorKind {
    /// The problem reported for an error of this kind at a 1-based line and column when known,
    /// in a file that holds `document`.
    pub(super) fn problem(
        &self,
        file: FileId,
        source: &SourceFile,
        place: Option<(u64, u64)>,
        document: Document,
    ) -> Problem {
        let start = place
            .filter(|&(line, _)| line > 0)
            .map_or(0, |(line, column)| source.offset_of(line as usize, column as usize));
        let at = Span { file, start, end: start };
        let (message, help) = match self {
            ErrorKind::SecondDocument => return second_document(at, document),
            ErrorKind::Breach(breach) => return breach.problem(at, document),
            ErrorKind::AliasReplay => return super::budget::alias_replay(at),
            ErrorKind::ParserNesting => return super::budget::parser_nesting(at, document),
            ErrorKind::Scalar(invalid) => {
                let (message, help) = scalar_problem(invalid);
                return Problem::at(Code::Yaml, at, message, "this value").with_help(help);
            }
            ErrorKind::RecursiveAlias => return self_reference(at, &source.text),
            ErrorKind::Parser(message) => return parser_problem(file, source, start, message, document),
            ErrorKind::Duplicate(key) => {
                let message = match key {
                    Some(key) => format!("duplicate mapping key: {}", sanitize(key)),
                    None => "duplicate mapping key".to_string(),
                };
                (message, "each key may appear once in a mapping: keep one, and for a list put the items of both in it")
            }
            ErrorKind::UnknownAnchor => (
                "alias references unknown anchor".into(),
                "an alias `*name` repeats a value marked `&name` earlier in the file; add the anchor or write the value",
            ),
            ErrorKind::UnsupportedTag(tag) => (format!("unsupported tag `{}`", sanitize(tag)), CHECK_AROUND),
            ErrorKind::IncludeNotScalar => {
                ("!include currently only supports the scalar form: !include <path>".into(), CHECK_AROUND)
            }
            ErrorKind::Unreadable(message) => (lowercase_first(message), CHECK_AROUND),
        };
        // A long key explains any of these better than its own words; so does a key written
        // twice in a list item for a duplicate key, and a bracket left open for the others.
        let slip = || match self {
            ErrorKind::Duplicate(Some(key)) => super::typo::repeated_key_in_item(file, source, start, &sanitize(key)),
            _ => super::typo::bracket_left_open(file, source, start),
        };
        // A value whose line is indented by a tab after spaces reaches the loader before the
        // parser stops at the tab (`<<:` then ` \ttrue`): the tab is the slip to name.
        let tab = || match self {
            ErrorKind::Unreadable(_) => super::tabs::indenting(&source.text, start).map(|tab| tab_indents(file, tab)),
            _ => None,
        };
        long_key(file, &source.text, start)
            .or_else(slip)
            .or_else(tab)
            .unwrap_or_else(|| Problem::at(Code::Yaml, at, format!("invalid YAML: {message}"), "here").with_help(help))
    }
}

/// The problem for a parser error whose message is `message`, at byte `start`: the parser's
/// own kinds of error are many and told apart here by their words.
fn parser_problem(file: FileId, source: &SourceFile, start: usize, message: &str, document: Document) -> Problem {
    let message = sanitize(message);
    let message = message.trim().trim_end_matches('.');
    let lower = message.to_lowercase();
    let at = Span { file, start, end: start };
    // The parser quotes a control character as `` `\u{1b}' ``; say which one in plain words.
    if let Some(hex) = message.split_once("\\u{").and_then(|(_, rest)| rest.split_once('}')).map(|(hex, _)| hex) {
        if lower.starts_with("unexpected character") {
            let code = u32::from_str_radix(hex, 16).ok();
            let name = code.map_or_else(|| hex.to_string(), |c| format!("U+{c:04X}"));
            // U+FFFE and U+FFFF are noncharacters, not control characters.
            let kind = match code.and_then(char::from_u32) {
                Some(c) if c.is_control() => "control character",
                _ => "character",
            };
            return Problem::at(Code::Yaml, at, format!("invalid YAML: the {kind} {name}"), "here")
                .with_help(format!("YAML does not allow this {kind} anywhere in a file; remove it"));
        }
    }
    if let Some(problem) = long_key(file, &source.text, start) {
        return problem;
    }
    if lower.contains("block scalar") {
        if let Some(problem) = block_indicator(file, &source.text, start) {
            return problem;
        }
    }
    // A tab after spaces in the indentation of a line before the parser's place passes for
    // indentation there, and the parser gives up later with words that do not name it.
    let told = ["duplicate", "limit", "depth", "recursion", "anchor or alias", "tab", "unexpected character"];
    if !told.iter().any(|w| lower.contains(w)) {
        if let Some(tab) = super::tabs::indenting(&source.text, start) {
            return tab_indents(file, tab);
        }
    }
    if let Some(problem) = super::typo::explain(file, source, start, message) {
        return problem;
    }
    let message = format!("invalid YAML: {}", lowercase_first(message));
    let (code, help) = if lower.starts_with("duplicate") {
        // A directive given twice (`%YAML`).
        (Code::Yaml, "each key may appear once in a mapping: keep one, and for a list put the items of both in it")
    } else if ["limit", "depth", "recursion"].iter().any(|w| lower.contains(w)) {
        return Problem::at(Code::Limit, at, message, "here").with_help(format!(
            "the file is nested too deeply or expands too many aliases; {}s need neither",
            document.noun()
        ));
    } else if lower.contains("anchor or alias") {
        (Code::Yaml, "`&` starts an anchor and `*` an alias in YAML; put text that starts with them in quotes")
    } else if lower.contains("found a tab") || lower.contains("tabs") {
        // A plain value's line indented by a tab is reported at the value's start.
        let below = || lower.contains("plain scalar").then(|| super::tabs::continuing(&source.text, start)).flatten();
        let (at, label) = match below().or_else(|| first_tab(&source.text, start)) {
            Some(tab) => (Span { file, start: tab, end: tab + 1 }, "tab"),
            None => (at, "here"),
        };
        return tab_problem(at, message, label);
    } else if lower.starts_with("unexpected character") {
        (Code::Yaml, "`@` and `` ` `` cannot start a plain value in YAML; put the value in quotes")
    } else {
        (Code::Yaml, CHECK_AROUND)
    };
    Problem::at(code, at, message, "here").with_help(help)
}

/// The parser's words for a tab in the indentation of a block.
const TAB_INDENTS: &str = "tabs disallowed within this context (block indentation)";

/// The problem for the tab at byte `tab` that indents a line of a block, in the parser's words.
fn tab_indents(file: FileId, tab: usize) -> Problem {
    tab_problem(Span { file, start: tab, end: tab + 1 }, format!("invalid YAML: {TAB_INDENTS}"), "tab")
}

/// The problem for a tab at `at` (or near it, when not `label`led `tab`).
fn tab_problem(at: Span, message: String, label: &str) -> Problem {
    Problem::at(Code::Yaml, at, message, label).with_help("YAML indents with spaces only; replace the tab with spaces")
}

/// `min_age: >= 13`: a plain value starting with `>` or `|`, which YAML takes for the start of
/// a block of text and then refuses for what follows on the line.
fn block_indicator(file: FileId, text: &str, start: usize) -> Option<Problem> {
    let rest = text.get(start..)?;
    let value = rest.split(['\n', '\r']).next()?.split(" #").next()?.trim_end();
    let indicator = value.chars().next().filter(|c| matches!(c, '>' | '|'))?;
    // Never plain: it starts with `>` or `|`.
    let quoted = crate::campaign::read::yaml_text(value);
    let message = format!("invalid YAML: `{indicator}` at the start of a value begins a block of text");
    let help = format!("put a value that starts with `{indicator}` in quotes: `{quoted}`");
    Some(
        Problem::at(Code::Yaml, Span { file, start, end: start + value.len() }, message, "not a block of text")
            .with_help(help),
    )
}

/// An alias inside the value its own anchor marks (`labels: &a {x: *a}`), at the alias: the
/// value would hold itself.
fn self_reference(at: Span, text: &str) -> Problem {
    let alias = text.get(at.start..).filter(|t| t.starts_with('*')).map(|t| {
        let end = t.find(|c: char| c.is_whitespace() || ",[]{}".contains(c)).unwrap_or(t.len());
        t.get(1..end).unwrap_or_default()
    });
    let (message, help) = match alias.filter(|name| !name.is_empty()) {
        Some(name) => (
            format!("invalid YAML: an anchor refers to itself (`*{name}` inside `&{name}`)"),
            format!("an alias repeats a value written before it, so the value marked `&{name}` cannot hold `*{name}`: write the value out"),
        ),
        None => (
            "invalid YAML: an anchor refers to itself (an alias `*name` inside the value marked `&name`)".to_string(),
            "an alias repeats a value written before it, so a value cannot hold its own anchor's alias: write the value out".to_string(),
        ),
    };
    let span = Span { end: at.start + alias.map_or(0, |n| n.len() + 1), ..at };
    Problem::at(Code::Yaml, span, message, "inside its own anchor").with_help(help)
}

/// Most characters of a key written without `? ` (an implicit key), by YAML 1.2 (§7.4.2).
const MAX_KEY_CHARS: usize = 1024;

/// A key longer than YAML allows, on the line of byte `at`: the parser reads past it and says
/// only that it expected a `:` or found one out of place. A block key runs from the entry's
/// start (after its indentation and `- `) to the first `: `; a key in braces from a `{` or `,`.
fn long_key(file: FileId, text: &str, at: usize) -> Option<Problem> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find(['\n', '\r']).map_or(text.len(), |i| at + i);
    let line = text.get(line_start..line_end)?;
    let indent = line.len() - line.trim_start_matches([' ', '-']).len();
    let flow_starts = line.match_indices(['{', ',']).map(|(i, _)| (i + 1, true));
    for (start, flow) in std::iter::once((indent, false)).chain(flow_starts) {
        let rest = line.get(start..)?;
        let region = if flow { rest.split(['{', ',', '}']).next().unwrap_or(rest) } else { rest };
        let colon = region
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| region.get(i + 1..).is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t'])));
        let Some(key) = colon.and_then(|c| region.get(..c)) else { continue };
        let skipped = key.len() - key.trim_start().len();
        let key = key.trim();
        let chars = key.chars().count();
        if chars > MAX_KEY_CHARS {
            let begin = line_start + start + skipped;
            let span = Span { file, start: begin, end: begin + key.len() };
            let message = format!(
                "invalid YAML: a key may be at most {} characters (YAML's limit); this one has {}",
                super::budget::thousands(MAX_KEY_CHARS),
                super::budget::thousands(chars)
            );
            let help = "campaign keys are short names such as `owner` or `labels`: shorten the key, or write long \
                        text as a value (`note: …`)";
            return Some(Problem::at(Code::Yaml, span, message, "this key").with_help(help));
        }
    }
    None
}

/// The tab a tab error is about: the parser reports it after the tabs it stopped at, or at
/// the value before the line the tab indents; either way the first tab of the run just before
/// `at`, else the first tab of the white space before `at` when only white space is, else the
/// first tab of the rest of its line and the next.
fn first_tab(text: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = text.get(line_start..at)?;
    let run = before.len() - before.trim_end_matches('\t').len();
    if run > 0 {
        return Some(at - run);
    }
    // Reported after the spaces that follow the tab (`\t  min_age`): the line's first tab.
    if before.trim_start_matches([' ', '\t']).is_empty() {
        if let Some(tab) = before.find('\t') {
            return Some(line_start + tab);
        }
    }
    let rest = text.get(at..)?;
    let two_lines = crate::source::line_ends(rest).nth(1).unwrap_or(rest.len());
    rest.get(..two_lines)?.find('\t').map(|i| at + i)
}

/// A scalar that has no value, in a campaign author's words, with the help line.
fn scalar_problem(invalid: &Invalid) -> (&'static str, &'static str) {
    const BINARY: &str = "write the text itself instead of a `!!binary` value";
    match invalid {
        Invalid::Int => ("a value tagged `!!int` must be a whole number", "write a whole number, or drop the tag"),
        Invalid::Float => ("a value tagged `!!float` must be a number", "write a number, or drop the tag"),
        Invalid::Bool => (
            "a boolean must be `true` or `false`",
            "`yes`, `on` and the like are text in YAML 1.2; write `true` or `false`",
        ),
        Invalid::Base64 => ("a value tagged `!!binary` must be base64", BINARY),
        Invalid::TaggedNotString => ("this tag does not make text", "drop the tag"),
        Invalid::BinaryNotUtf8 => ("a `!!binary` value must decode to UTF-8 text", BINARY),
    }
}

/// Control characters (and line/paragraph separators) escaped, as in serde-saphyr's messages.
fn sanitize(text: &str) -> String {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}
