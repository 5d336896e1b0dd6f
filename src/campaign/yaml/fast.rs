//! The fast path: campaign YAML as it is nearly always written, read line by line.
//!
//! A campaign file is a block mapping of plain keys whose values are one-line scalars, flow
//! lists of scalars, and nested block mappings and sequences. For such text the event loader
//! (granit-parser's scanner and parser, then `live` and `build`) spends most of a campaign's
//! reading time, about 80 µs for a 1.5 KB file; this reads the same text in a few.
//!
//! It is a filter, not a second YAML parser. It accepts only text whose meaning is plain: no
//! tabs, carriage returns or hidden characters; identifier keys, distinct in each mapping by
//! the loader's own key identity ([`SeenKeys`]); scalars on one line without escapes; no
//! anchors, aliases, tags, block scalars, flow mappings, empty values or document markers.
//! It declines everything else with `None`, leaving it to the event loader, which also gives
//! every error. What it accepts it reads into exactly
//! the tree the event loader builds, spans included; the differential tests hold it to the
//! reference loader on every input they generate.

use std::borrow::Cow;

use granit_parser::ScalarStyle;

use super::keys::{Fingerprint, KeyTag, SeenKeys};
use super::scalar;
use super::tag::Tag;
use super::{Node, Value};
use crate::source::{FileId, SourceFile, Span};

/// Deepest nesting taken here; deeper text (well inside the loader's limit) is declined.
const MAX_DEPTH: usize = 16;
/// Most nodes taken here; larger files are declined, and the loader's budget counts them.
const MAX_NODES: usize = 10_000;
/// Longest key taken here; YAML refuses a plain key over 1,024 characters.
const MAX_KEY: usize = 256;

/// The tree of `source`, or `None` when the text is not in the subset read here.
pub(super) fn parse(file: FileId, source: &SourceFile) -> Option<Node> {
    if !plain_characters(source) {
        return None;
    }
    let mut reader =
        Reader { text: &source.text, file, lines: content_lines(source), pos: 0, nodes: 0, keys: Vec::new() };
    if reader.lines.first()?.indent != 0 {
        return None;
    }
    let root = reader.mapping(0, 0)?;
    (reader.pos == reader.lines.len()).then_some(root)
}

/// Whether the text holds only line feeds and characters that are text wherever they are:
/// no tabs, carriage returns or byte order mark, and nothing [`crate::source::is_hidden`]
/// (control characters, line and paragraph separators, bidirectional overrides), which YAML
/// or the terminal treat in ways not repeated here. `SourceFile` found the last two when it
/// read the text.
fn plain_characters(source: &SourceFile) -> bool {
    let bytes = source.text.as_bytes();
    !source.has_hidden()
        && !source.has_carriage_return()
        && memchr::memchr(b'\t', bytes).is_none()
        && memchr::memmem::find(bytes, "\u{feff}".as_bytes()).is_none()
}

/// A line that holds YAML (not blank, not only a comment).
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Column of `start`.
    indent: usize,
    /// Offset of the first character read.
    start: usize,
    /// Offset of the end of the line.
    end: usize,
}

/// The lines that hold YAML, from the line table `SourceFile` made when it read the text.
fn content_lines(source: &SourceFile) -> Vec<Line> {
    let bytes = source.text.as_bytes();
    let mut lines = Vec::new();
    let mut next = source.line_start(0);
    let mut number = 0;
    while let Some(line_start) = next {
        number += 1;
        next = source.line_start(number);
        // A line ends before the next one's line feed, the last one at the end of the text.
        let end = next.map_or(bytes.len(), |n| n - 1);
        let start = skip_spaces(bytes, line_start, end);
        if start < end && bytes.get(start) != Some(&b'#') {
            lines.push(Line { indent: start - line_start, start, end });
        }
    }
    lines
}

fn skip_spaces(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end && bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// `end` moved back over the spaces before it, not past `start`.
fn trim_spaces(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes.get(end - 1) == Some(&b' ') {
        end -= 1;
    }
    end
}

/// What a scalar written in `style` means, as the loader resolves it.
fn resolve(text: &str, style: ScalarStyle) -> Option<Value> {
    scalar::resolve(Cow::Borrowed(text), Tag::None, style).ok()
}

/// Whether `b` starts a YAML construct (or is one) when it begins a scalar.
fn is_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

fn is_key_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

struct Reader<'t> {
    text: &'t str,
    file: FileId,
    lines: Vec<Line>,
    /// The next line to read.
    pos: usize,
    nodes: usize,
    /// The keys of the mappings being read (see [`SeenKeys`]).
    keys: Vec<Fingerprint<'t>>,
}

impl<'t> Reader<'t> {
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes().get(at).copied()
    }

    /// Offsets are those of ASCII characters or line ends, so always character boundaries.
    fn str(&self, start: usize, end: usize) -> Option<&'t str> {
        self.text.get(start..end)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span { file: self.file, start, end }
    }

    /// One more node, declined past [`MAX_NODES`].
    fn node(&mut self, value: Value, span: Span) -> Option<Node> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(Node { value, span })
    }

    /// Whether a line is a sequence entry (`-` then a space or the end of the line).
    fn is_entry(&self, line: Line) -> bool {
        self.byte(line.start) == Some(b'-') && (line.start + 1 == line.end || self.byte(line.start + 1) == Some(b' '))
    }

    /// The end of an identifier key starting at `start`, when `key:` (then a space or the end
    /// of the line) is written there.
    fn key_end(&self, start: usize, end: usize) -> Option<usize> {
        if !self.byte(start).is_some_and(is_key_start) {
            return None;
        }
        let mut at = start + 1;
        while at < end && self.byte(at).is_some_and(is_key_byte) {
            at += 1;
        }
        let colon = self.byte(at) == Some(b':') && (at + 1 == end || self.byte(at + 1) == Some(b' '));
        (colon && at - start <= MAX_KEY).then_some(at)
    }

    /// A block mapping whose keys are at column `indent`, from the current line; it ends at a
    /// line indented less.
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let depth = enter(depth)?;
        let first = *self.lines.get(self.pos)?;
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut seen = SeenKeys::new(&self.keys);
        while let Some(&line) = self.lines.get(self.pos) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let key_end = self.key_end(line.start, line.end)?;
            let key_text = self.str(line.start, key_end)?;
            // A key that reads as another type (`true`, `null`) is compared by value there.
            let key = match resolve(key_text, ScalarStyle::Plain)? {
                v @ Value::Str(_) => self.node(v, self.span(line.start, key_end))?,
                _ => return None,
            };
            let fingerprint =
                Fingerprint::Scalar { value: Cow::Borrowed(key_text), tag: KeyTag::Semantic(Tag::String) };
            if !seen.insert(&mut self.keys, fingerprint) {
                return None;
            }
            let value_start = skip_spaces(self.bytes(), key_end + 1, line.end);
            let value = if value_start == line.end || self.byte(value_start) == Some(b'#') {
                // The value is on the lines below: a nested block, or a sequence written at
                // the key's own column. Anything else (an empty value) is declined.
                self.pos += 1;
                let next = *self.lines.get(self.pos)?;
                if next.indent > indent && self.is_entry(next) {
                    self.sequence(next.indent, false, depth)?
                } else if next.indent > indent {
                    self.mapping(next.indent, depth)?
                } else if next.indent == indent && self.is_entry(next) {
                    self.sequence(indent, true, depth)?
                } else {
                    return None;
                }
            } else {
                let value = self.inline(value_start, line.end, depth)?;
                self.pos += 1;
                value
            };
            entries.push((key, value));
        }
        seen.finish(&mut self.keys);
        self.node(Value::Map(entries), self.span(first.start, first.start))
    }

    /// A block sequence whose entries are at column `indent`, from the current line. One
    /// written at its mapping key's column (`indentless`) also ends at a line of that column
    /// that is not an entry: the mapping's next key.
    fn sequence(&mut self, indent: usize, indentless: bool, depth: usize) -> Option<Node> {
        let depth = enter(depth)?;
        let mut items = Vec::new();
        let mut span = None;
        while let Some(&line) = self.lines.get(self.pos) {
            if line.indent < indent || (indentless && line.indent == indent && !self.is_entry(line)) {
                break;
            }
            if line.indent > indent || !self.is_entry(line) {
                return None;
            }
            let content = skip_spaces(self.bytes(), line.start + 1, line.end);
            if content == line.end || self.byte(content) == Some(b'#') {
                return None;
            }
            // The loader places a sequence at its first `-`, or, written at its key's column,
            // at the first entry's value.
            span.get_or_insert(if indentless { content } else { line.start });
            if self.key_end(content, line.end).is_some() {
                // `- key: value`: the rest of the line is the first line of a mapping.
                let column = line.indent + (content - line.start);
                if let Some(l) = self.lines.get_mut(self.pos) {
                    *l = Line { indent: column, start: content, end: line.end };
                }
                items.push(self.mapping(column, depth)?);
            } else {
                items.push(self.inline(content, line.end, depth)?);
                self.pos += 1;
            }
        }
        let at = span?;
        self.node(Value::Seq(items), self.span(at, at))
    }

    /// A value that starts at `start` and ends on its line.
    fn inline(&mut self, start: usize, end: usize, depth: usize) -> Option<Node> {
        let (node, after) = match self.byte(start)? {
            b'"' | b'\'' => self.quoted(start, end)?,
            b'[' => self.flow(start, end, depth)?,
            _ => return self.plain(start, end),
        };
        self.line_ends(after, end).then_some(node)
    }

    /// Whether only spaces and a comment follow `at` on its line.
    fn line_ends(&self, at: usize, end: usize) -> bool {
        let rest = skip_spaces(self.bytes(), at, end);
        rest == end || (rest > at && self.byte(rest) == Some(b'#'))
    }

    /// A plain scalar running to the end of its line or a comment.
    fn plain(&mut self, start: usize, end: usize) -> Option<Node> {
        let first = self.byte(start)?;
        // `-1` and `-x` are text; `- x`, `? x` and `: x` are not scalars at all.
        let second = self.byte(start + 1).filter(|_| start + 1 < end);
        if is_indicator(first)
            && !(matches!(first, b'-' | b'?' | b':') && second.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.'))
        {
            return None;
        }
        let cut = memchr::memmem::find(self.bytes().get(start..end)?, b" #").map_or(end, |i| start + i);
        let stop = trim_spaces(self.bytes(), start, cut);
        let text = self.str(start, stop)?;
        // `a: b` inside a value, or a value ending in `:`, is a mapping (or an error) in YAML.
        if text.ends_with(':') || memchr::memmem::find(text.as_bytes(), b": ").is_some() {
            return None;
        }
        let value = resolve(text, ScalarStyle::Plain)?;
        self.node(value, self.span(start, stop))
    }

    /// A quoted scalar closed on its line, without escapes; and the offset after it.
    fn quoted(&mut self, start: usize, end: usize) -> Option<(Node, usize)> {
        let quote = self.byte(start)?;
        let inner = self.bytes().get(start + 1..end)?;
        let close = start + 1 + memchr::memchr(quote, inner)?;
        let text = self.str(start + 1, close)?;
        let style = if quote == b'"' {
            if text.contains('\\') {
                return None;
            }
            ScalarStyle::DoubleQuoted
        } else {
            // `''` is an escaped quote.
            if self.byte(close + 1) == Some(b'\'') {
                return None;
            }
            ScalarStyle::SingleQuoted
        };
        let value = resolve(text, style)?;
        Some((self.node(value, self.span(start, close + 1))?, close + 1))
    }

    /// A flow sequence of scalars closed on its line (`[a, "b"]`); and the offset after it.
    fn flow(&mut self, start: usize, end: usize, depth: usize) -> Option<(Node, usize)> {
        enter(depth)?;
        let mut items = Vec::new();
        let mut at = skip_spaces(self.bytes(), start + 1, end);
        if self.byte(at) != Some(b']') {
            loop {
                let (item, after) = match self.byte(at)? {
                    b'"' | b'\'' => self.quoted(at, end)?,
                    _ => self.flow_plain(at, end)?,
                };
                items.push(item);
                at = skip_spaces(self.bytes(), after, end);
                match self.byte(at).filter(|_| at < end)? {
                    b']' => break,
                    b',' => at = skip_spaces(self.bytes(), at + 1, end),
                    _ => return None,
                }
            }
        }
        Some((self.node(Value::Seq(items), self.span(start, start + 1))?, at + 1))
    }

    /// A plain scalar inside a flow sequence, ending at `,` or `]`; and the offset after it.
    fn flow_plain(&mut self, start: usize, end: usize) -> Option<(Node, usize)> {
        if self.byte(start).is_none_or(is_indicator) {
            return None;
        }
        let mut stop = start;
        while stop < end {
            match self.byte(stop)? {
                b',' | b']' => break,
                b'[' | b'{' | b'}' | b'#' | b':' | b'"' | b'\'' => return None,
                _ => stop += 1,
            }
        }
        let after = stop;
        let stop = trim_spaces(self.bytes(), start, stop);
        let text = self.str(start, stop)?;
        let value = resolve(text, ScalarStyle::Plain)?;
        Some((self.node(value, self.span(start, stop))?, after))
    }
}

/// One more level of nesting, declined past [`MAX_DEPTH`].
fn enter(depth: usize) -> Option<usize> {
    (depth < MAX_DEPTH).then_some(depth + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(text: &str) -> Option<Node> {
        parse(FileId(0), &SourceFile::new("c.yaml", text))
    }

    /// What the fast path takes, it reads into the tree the event loader builds.
    fn same_as_the_loader(text: &str) -> bool {
        let source = SourceFile::new("c.yaml", text);
        let fast = parse(FileId(0), &source);
        fast.is_some() && fast == super::super::build::document(FileId(0), &source).ok()
    }

    #[test]
    fn takes_generated_campaigns_and_the_examples() {
        for (rules, seed) in [(100, 1), (1_000, 2), (10_000, 3)] {
            let corpus = crate::synth::Corpus::new(rules, seed);
            for i in 0..100 {
                let text = corpus.campaign(i);
                assert!(same_as_the_loader(&text), "campaign {i} of seed {seed}:\n{text}");
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/campaigns");
        let mut files: Vec<_> = std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        files.sort();
        let declined: Vec<String> = files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .filter(|p| !same_as_the_loader(&std::fs::read_to_string(p).unwrap_or_default()))
            .map(|p| p.display().to_string())
            .collect();
        assert!(declined.is_empty(), "{declined:?}");
    }

    /// Everything outside the subset is left to the event loader, which reads it (or says
    /// what is wrong with it) the way the reference loader does.
    #[test]
    fn declines_what_it_does_not_read() {
        let declined = [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a:\t1\n",
            "a: 1\r\nb: 2\r\n",
            "\u{feff}a: 1\n",
            "a: x\u{2028}y\n",
            "a: 1\na: 2\n",
            "a:\nb: 1\n",
            "a: multi\n  line\n",
            "a: 'it''s'\n",
            "a: \"tab\\t\"\n",
            "a: {b: 1}\n",
            "a: [b, [c]]\n",
            "a: [b,]\n",
            "a: [b\n",
            "---\na: 1\n",
            "\"a\": 1\n",
            "1: a\n",
            "true: a\n",
            "<<: {a: 1}\n",
            "a: b: c\n",
            "a: b:\n",
            "  a: 1\n",
            "a:\n    b: 1\n  c: 2\n",
            "- a\n",
            "a:\n  -\n    b\n",
            "a: - b\n",
            "a: 'x' y\n",
            "a: \"x\"#c\n",
        ];
        for text in declined {
            assert!(taken(text).is_none(), "{text:?} was taken");
        }
    }

    #[test]
    fn reads_the_subset_as_the_loader_does() {
        let read = [
            "a: 1\nb: 'x y'\nc: \"q\" # note\nd:\n  - e: 1\n    f: [x, 'y', \"z\"]\n  - g\n",
            "a:\n- 1\n- [ ]\nb: []\n",
            "a: x#y\nb: a, b [c] {d}\nc: -1\nd: ~\ne: true\nf: 0x1F\ng: 1_000\n",
            "# head\n\na:   spaced   # comment\n   # indented comment\nb:\n    c:\n     - d\n",
            "name: Fj\u{e4}llfot \u{65e5}\u{672c}\ncontact: privacy@x.example\n",
            "a:\n  - b: 1\n    c:\n      - 2\n  - d: 3\n",
        ];
        for text in read {
            assert!(same_as_the_loader(text), "{text:?}");
        }
    }
}
