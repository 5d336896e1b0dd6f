//! Source files and positions shared by every stage: policy text and campaign YAML are both
//! held here so that any diagnostic can point at a line and column of the file it came from.

use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span covering both `self` and `other` (which must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// One source text with the name it is shown under.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (or a pack-relative path for the built-in policy).
    pub name: String,
    /// The full text.
    pub text: Arc<str>,
    /// Byte offset of the start of each line, after each `\n`, `\r\n` and lone `\r` (YAML's
    /// line breaks, and what editors show); shared, so cloning a file is cheap.
    line_starts: Arc<Vec<usize>>,
    /// Whether the text holds a `\r`.
    has_carriage_return: bool,
    /// Whether the text holds a `\r` that is not followed by `\n`: a line break of its own.
    has_lone_carriage_return: bool,
    /// Whether the text holds a character that [`is_hidden`] (known once, as snippets of it are
    /// shown many times).
    has_hidden: bool,
    /// Whether the text is ASCII, so that a column in characters is a difference of offsets
    /// (counting the characters of a one-line file of a megabyte for every diagnostic on it
    /// made its report quadratic).
    is_ascii: bool,
    /// The text as snippets show it (see [`SourceFile::shown`]), made once when first asked
    /// for and shared by every clone of the file.
    shown: Arc<std::sync::OnceLock<SourceFile>>,
}

/// The bidirectional embedding, override and isolate controls (U+202A to U+202E, U+2066 to
/// U+2069): in a string or a comment they make a line show in another order than it is read
/// ("Trojan Source", CVE-2021-42574), so a reviewer approves text that means something else.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character must not reach a terminal or a log raw: control characters other than
/// tab and line breaks (an escape sequence would rewrite the reader's terminal), the line and
/// paragraph separators, the bidirectional overrides that make text read in another order than
/// it is stored, and the two noncharacters XML 1.0 forbids.
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}')
        || matches!(c, '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// [`is_hidden`] for an ASCII byte (a control character other than tab and line breaks),
/// on bytes so that the compiler can vectorise a scan of a whole file.
fn is_hidden_ascii(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f
}

/// Whether any character of `text` [`is_hidden`].
pub fn contains_hidden(text: &str) -> bool {
    hidden_in(text, text.is_ascii())
}

/// [`contains_hidden`], told whether the text is ASCII. ASCII is tested on bytes (a byte is a
/// character: no decoding), each block whole, without stopping at the first hit, so that the
/// test is vectorised.
fn hidden_in(text: &str, is_ascii: bool) -> bool {
    if is_ascii {
        text.as_bytes().chunks(64).any(|block| block.iter().fold(false, |hit, &b| hit | is_hidden_ascii(b)))
    } else {
        text.contains(is_hidden)
    }
}

/// Where each line of a text ends: the offset of its `\n`, or of a `\r` not followed by one.
/// A lone `\r` ends a line (old Mac files), as editors show it; locations, snippets, comments
/// (spec 1: "to the end of the line") and the formatter all count lines this way.
pub fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&i| bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n'))
}

/// The first line of `text` that is neither blank nor a comment (`#`), with the offset where
/// the line starts and without its line break or trailing white space; lines end as
/// [`line_ends`] has them (a lone `\r` too). What a file's content starts with tells a policy
/// from a campaign given in its place.
pub fn first_content_line(text: &str) -> Option<(usize, &str)> {
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let content = line.trim();
        if !content.is_empty() && !content.starts_with('#') {
            return Some((start, line.trim_end()));
        }
        start += line.len();
    }
    None
}

impl SourceFile {
    /// Wraps a text under a display name.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceFile {
        let text: Arc<str> = text.into();
        let bytes = text.as_bytes();
        // Counted first, so that the table of a large file is allocated once.
        let mut line_starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        line_starts.push(0);
        let has_carriage_return = memchr::memchr(b'\r', bytes).is_some();
        let has_lone_carriage_return =
            has_carriage_return && memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        if has_lone_carriage_return {
            line_starts.extend(line_ends(&text).map(|i| i + 1));
        } else {
            line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        }
        let is_ascii = text.is_ascii();
        let has_hidden = hidden_in(&text, is_ascii);
        SourceFile {
            name: name.into(),
            text,
            line_starts: Arc::new(line_starts),
            has_carriage_return,
            has_lone_carriage_return,
            has_hidden,
            is_ascii,
            shown: Arc::default(),
        }
    }

    /// The file as snippets show it: a character that [`is_hidden`] (an escape sequence in a
    /// comment of a hostile file) is shown as `?`, once per byte, and a lone `\r` as `\n`, so
    /// that every offset and line stays where it was and the snippet's lines are the index's.
    /// Made once per file: a report shows many snippets of one file, and masking the whole
    /// text for each made a report on a large file quadratic.
    pub fn shown(&self) -> SourceFile {
        if !self.has_hidden && !self.has_lone_carriage_return {
            return self.clone();
        }
        let masked = self.shown.get_or_init(|| {
            let mut chars = self.text.chars().peekable();
            let mut text = String::with_capacity(self.text.len());
            while let Some(c) = chars.next() {
                match c {
                    '\r' if chars.peek() != Some(&'\n') => text.push('\n'),
                    c if is_hidden(c) => text.extend(std::iter::repeat_n('?', c.len_utf8())),
                    c => text.push(c),
                }
            }
            SourceFile::new(self.name.clone(), text)
        });
        masked.clone()
    }

    /// Whether the text holds a character that [`is_hidden`].
    pub fn has_hidden(&self) -> bool {
        self.has_hidden
    }

    /// Whether the text holds a `\r` anywhere (known without scanning it again).
    pub fn has_carriage_return(&self) -> bool {
        self.has_carriage_return
    }

    /// The 0-based line that holds a byte offset, and the byte offset where that line starts.
    pub fn line_start_of(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        (line, self.line_starts.get(line).copied().unwrap_or(0))
    }

    /// The byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// Where a place is shown: itself, or for a place at the end of the file (a missing `}`)
    /// the last character written, so that a location never names a line after the last.
    pub fn shown_offset(&self, offset: usize) -> usize {
        if offset >= self.text.len() {
            if let Some((at, _)) = self.text.trim_end().char_indices().last() {
                return at;
            }
        }
        offset
    }

    /// 1-based line and character column of a byte offset (clamped to the text). A byte-order
    /// mark is not a column: editors do not show it.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.text_start(self.line_starts.get(line - 1).copied().unwrap_or(0)).min(offset);
        let column = match self.is_ascii {
            true => offset - start,
            false => self.text.get(start..offset).map_or(0, |s| s.chars().count()),
        } + 1;
        (line, column)
    }

    /// Where the text of the line starting at `start` begins: after the byte-order mark on the
    /// first line, since editors do not show it.
    fn text_start(&self, start: usize) -> usize {
        if start == 0 && self.text.starts_with(BOM) {
            BOM.len()
        } else {
            start
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = self.text_start(start);
        let rest = self.text.get(start..).unwrap_or("");
        rest.char_indices().nth(column.saturating_sub(1)).map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// The byte-order mark some editors write at the start of a file.
const BOM: &str = "\u{feff}";

/// All files read for one run, so that spans can be resolved to names and positions.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// The id the next file added gets, for problems made before the file is added.
    pub fn next_id(&self) -> FileId {
        FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX))
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX))
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The text at `span`, as written; `None` for a span outside its file.
    pub fn text(&self, span: Span) -> Option<&str> {
        self.file(span.file)?.text.get(span.start..span.end)
    }

    /// The location (file name, 1-based line and column) where a span starts.
    pub fn location(&self, span: Span) -> Location {
        match self.file(span.file) {
            Some(f) => {
                let (line, column) = f.line_col(f.shown_offset(span.start));
                Location { file: f.name.clone(), line, column }
            }
            None => Location { file: String::new(), line: 1, column: 1 },
        }
    }

    /// Every file, in the order added.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

/// A resolved position: what JSON and SARIF output print.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// File name as shown to the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based character column.
    pub column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_test_for_hidden_characters_is_is_hidden() {
        for b in 0u8..=127 {
            assert_eq!(is_hidden_ascii(b), is_hidden(char::from(b)), "byte {b}");
        }
    }

    #[test]
    fn a_hidden_byte_is_found_wherever_it_is_and_lines_start_after_each_break() {
        let plain = "rule r {\n  deny * for *\r\n}\n".repeat(20);
        let file = SourceFile::new("p", plain.as_str());
        assert!(!file.has_hidden());
        assert!(file.has_carriage_return);
        let naive: Vec<usize> = std::iter::once(0).chain(plain.match_indices('\n').map(|(i, _)| i + 1)).collect();
        assert_eq!(*file.line_starts, naive);
        for at in [0, 1, 63, 64, 65, 127, 128, plain.len() - 1] {
            let mut text = plain.clone().into_bytes();
            text[at] = 0x1b;
            let text = String::from_utf8(text).unwrap();
            assert!(SourceFile::new("p", text).has_hidden(), "escape at {at}");
        }
        assert!(!SourceFile::new("p", "no carriage return").has_carriage_return);
    }

    /// YAML counts a lone `\r` as a line break, and old Mac editors write them: lines and
    /// columns are counted as they are, and snippets show those lines.
    #[test]
    fn a_lone_carriage_return_is_a_line_break() {
        let f = SourceFile::new("c", "a: 1\rbb: 2\r\ncc: 3\r\r\nd: 4\n");
        assert_eq!(*f.line_starts, [0, 5, 12, 18, 20, 25]);
        assert_eq!(f.line_col(7), (2, 3));
        assert_eq!(f.line_col(13), (3, 2));
        assert_eq!(f.offset_of(5, 1), 20);
        assert_eq!(&*f.shown().text, "a: 1\nbb: 2\r\ncc: 3\n\r\nd: 4\n");
        assert_eq!(*f.shown().line_starts, *f.line_starts);
        let crlf = SourceFile::new("c", "a\r\nb\r\n");
        assert_eq!(*crlf.line_starts, [0, 3, 6]);
        assert!(Arc::ptr_eq(&crlf.shown().text, &crlf.text), "nothing to show differently");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = SourceFile::new("x", "ab\n\u{e5}\u{e4}x\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // `x` follows two two-byte characters on line 2.
        assert_eq!(f.line_col(7), (2, 3));
        assert_eq!(f.offset_of(2, 3), 7);
        let bom = SourceFile::new("x", "\u{feff}ab: 1\n");
        assert_eq!(bom.line_col(3), (1, 1));
        assert_eq!(bom.line_col(7), (1, 5));
        assert_eq!(bom.offset_of(1, 5), 7);
    }
}
