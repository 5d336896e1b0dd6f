//! Locations and errors as the reference loader reports them, and their conversion to a
//! [`Problem`].
//!
//! A located error is rendered to the text serde-saphyr 2.2 displays (`{message} at line L,
//! column C`, or with alias context `{message} (defined at …) (used at …)`), and that text goes
//! through the same clean-up the loader always applied, so messages stay word for word.

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

/// An error with the reference loader's message, place and alias context; boxed, so that
/// results stay small on the way up.
#[derive(Clone, Debug)]
pub(super) struct Error(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    message: String,
    at: Loc,
    /// Where an aliased value was used and where the value is defined.
    alias: Option<(Loc, Loc)>,
    /// For a duplicate key: where the key was first written (spec 4.1: a duplicate shows both
    /// places).
    earlier: Option<Span>,
}

impl Error {
    #[cold]
    pub(super) fn new(message: impl Into<String>, at: Loc) -> Error {
        Error(Box::new(Inner { message: message.into(), at, alias: None, earlier: None }))
    }

    /// Adds where a duplicate key was first written.
    #[cold]
    pub(super) fn first_written_at(mut self, earlier: Option<Span>) -> Error {
        self.0.earlier = earlier;
        self
    }

    fn located(&self) -> bool {
        self.0.alias.is_some() || self.0.at != Loc::UNKNOWN
    }

    /// Adds where an aliased node was used (`alias`) and defined, as serde-saphyr does for
    /// an error inside a node that came from an alias.
    #[cold]
    pub(super) fn in_node(mut self, alias: Option<Loc>, defined: Loc) -> Error {
        let used = alias.unwrap_or(defined);
        if used != Loc::UNKNOWN && defined != Loc::UNKNOWN && used != defined {
            match &mut self.0.alias {
                Some((r, d)) if *r == used => *d = defined,
                _ => self.0.alias = Some((used, defined)),
            }
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
        match self.0.alias {
            Some((used, _)) => Some(used),
            None => (self.0.at != Loc::UNKNOWN).then_some(self.0.at),
        }
    }

    /// The text serde-saphyr displays for this error.
    fn display(&self) -> String {
        let at = |l: Loc| format!("line {}, column {}", l.line, l.column);
        let mut out = sanitize(&self.0.message);
        match self.0.alias {
            Some((used, defined)) => {
                if self.0.at != Loc::UNKNOWN && self.0.at != used && self.0.at != defined {
                    out = sanitize(&format!("{out} at {}", at(self.0.at)));
                }
                out.push_str(&format!(" (defined at {}) (used at {})", at(defined), at(used)));
                out
            }
            None if self.0.at != Loc::UNKNOWN => sanitize(&format!("{out} at {}", at(self.0.at))),
            None => out,
        }
    }

    /// The problem reported for this error, in a file that holds `document`.
    pub(super) fn problem(&self, file: FileId, source: &SourceFile, document: Document) -> Problem {
        let place = self.place().map(|l| (u64::from(l.line), u64::from(l.column)));
        let problem = problem(file, source, place, without_position(&self.display()), document);
        match self.0.earlier {
            Some(first) => problem.with_related(Place::Span(first), FIRST_WRITTEN),
            None => problem,
        }
    }
}

/// The label of the place a duplicate key was first written.
pub(super) const FIRST_WRITTEN: &str = "first written here";

/// A displayed YAML error without the positions the library appends (`at line L, column C`,
/// and for a value that came from an alias `(defined at …) (used at …)`): the renderer shows the
/// place itself. Only a trailing position is removed, so a key that reads "x at line 3" stays.
pub(super) fn without_position(raw: &str) -> &str {
    let mut message = raw.trim_end();
    if let Some(i) = message.find(" (defined at line ") {
        message = message.get(..i).unwrap_or(message);
    }
    if let Some((head, tail)) = message.rsplit_once(" at line ") {
        let tail = tail.trim_end_matches('.');
        let numbers = tail.split_once(", column ");
        let is_position = numbers
            .is_some_and(|(l, c)| l.bytes().all(|b| b.is_ascii_digit()) && c.bytes().all(|b| b.is_ascii_digit()));
        if is_position {
            message = head;
        }
    }
    message
}

/// The problem reported for a YAML error whose message (without position) is `message`, at a
/// 1-based line and column when known, in a file that holds `document`: the loader's wording,
/// help and code.
pub(super) fn problem(
    file: FileId,
    source: &SourceFile,
    place: Option<(u64, u64)>,
    message: &str,
    document: Document,
) -> Problem {
    let start = place
        .filter(|&(line, _)| line > 0)
        .map_or(0, |(line, column)| source.offset_of(line as usize, column as usize));
    let message = message.trim().trim_end_matches('.');
    let message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(message);
    let lower = message.to_lowercase();
    let at = Span { file, start, end: start };
    // A second document trips the one-document budget before the parser's own complaint.
    if lower.starts_with("multiple") && lower.contains("documents") || lower.starts_with("budget breached: documents") {
        let message = format!("a {} holds one YAML document; this is a second one", document.noun());
        return Problem::at(Code::Yaml, at, message, "second document").with_help(document.one_document_help());
    }
    if let Some((message, label, help)) = super::budget::explain(message, document) {
        return Problem::at(Code::Limit, at, message, label).with_help(help);
    }
    if let Some((message, help)) = scalar_problem(message) {
        return Problem::at(Code::Yaml, at, message, "this value").with_help(help);
    }
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
    if lower.starts_with("recursive references") {
        return self_reference(at, &source.text);
    }
    if let Some(problem) = long_key(file, &source.text, start) {
        return problem;
    }
    if lower.contains("block scalar") {
        if let Some(problem) = block_indicator(file, &source.text, start) {
            return problem;
        }
    }
    if let Some(problem) = super::typo::explain(file, source, start, message) {
        return problem;
    }
    let (code, help) = if lower.starts_with("duplicate") {
        (Code::Yaml, "each key may appear once in a mapping: keep one, and for a list put the items of both in it")
    } else if ["budget", "limit", "depth", "recursion"].iter().any(|w| lower.contains(w)) {
        let help =
            format!("the file is nested too deeply or expands too many aliases; {}s need neither", document.noun());
        return Problem::at(Code::Limit, at, format!("invalid YAML: {}", lowercase_first(message)), "here")
            .with_help(help);
    } else if lower.contains("unknown anchor") {
        (
            Code::Yaml,
            "an alias `*name` repeats a value marked `&name` earlier in the file; add the anchor or write the value",
        )
    } else if lower.contains("anchor or alias") {
        (Code::Yaml, "`&` starts an anchor and `*` an alias in YAML; put text that starts with them in quotes")
    } else if lower.contains("found a tab") || lower.contains("tabs") {
        let message = format!("invalid YAML: {}", lowercase_first(message));
        let (at, label) = match first_tab(&source.text, start) {
            Some(tab) => (Span { file, start: tab, end: tab + 1 }, "tab"),
            None => (at, "here"),
        };
        return Problem::at(Code::Yaml, at, message, label)
            .with_help("YAML indents with spaces only; replace the tab with spaces");
    } else if lower.starts_with("unexpected character") {
        (Code::Yaml, "`@` and `` ` `` cannot start a plain value in YAML; put the value in quotes")
    } else {
        (Code::Yaml, "check the indentation and brackets around this line")
    };
    Problem::at(code, at, format!("invalid YAML: {}", lowercase_first(message)), "here").with_help(help)
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
/// `at`, else the first tab of the rest of its line and the next.
fn first_tab(text: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = text.get(line_start..at)?;
    let run = before.len() - before.trim_end_matches('\t').len();
    if run > 0 {
        return Some(at - run);
    }
    let rest = text.get(at..)?;
    let two_lines = crate::source::line_ends(rest).nth(1).unwrap_or(rest.len());
    rest.get(..two_lines)?.find('\t').map(|i| at + i)
}

/// A scalar that has no value (the texts of `scalar::Invalid`, which are the reference
/// loader's) in a campaign author's words, with the help line.
fn scalar_problem(message: &str) -> Option<(String, &'static str)> {
    const BINARY: &str = "write the text itself instead of a `!!binary` value";
    let (message, help) = match message {
        "invalid u64" | "invalid i64" => {
            ("a value tagged `!!int` must be a whole number", "write a whole number, or drop the tag")
        }
        "invalid floating point" => ("a value tagged `!!float` must be a number", "write a number, or drop the tag"),
        "invalid boolean (strict mode expects true/false)" => (
            "a boolean must be `true` or `false`",
            "`yes`, `on` and the like are text in YAML 1.2; write `true` or `false`",
        ),
        "invalid !!binary base64" => ("a value tagged `!!binary` must be base64", BINARY),
        "cannot deserialize tagged scalar into string" => ("this tag does not make text", "drop the tag"),
        m if m.starts_with("!!binary scalar is not valid UTF-8") => {
            ("a `!!binary` value must decode to UTF-8 text", BINARY)
        }
        _ => return None,
    };
    Some((message.to_string(), help))
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
