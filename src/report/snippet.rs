//! Source snippets as miette reads them: through the file's line index, without the long lines
//! and control characters a hostile file may hold.
//!
//! A campaign file may hold a line of hundreds of kilobytes (`labels: [x, x, …]` written on
//! one line). Shown whole it helps nobody, and miette pads the underline to the span's column
//! with a width argument, which panics past 65,535 columns. So on a line longer than
//! [`LONG_LINE`] bytes a span is shown with [`WINDOW`] bytes either side, a label there covers
//! at most [`WINDOW`] bytes, and long lines are left out of the context. Control characters are
//! shown as `?`, so a snippet never replays an escape sequence to the reader's terminal.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};

/// Lines longer than this (in bytes) are shown as a window around the span.
const LONG_LINE: usize = 1_000;
/// Bytes shown either side of a span on a long line, and the most of a span underlined there.
const WINDOW: usize = 60;
/// Two spans at most this many lines apart are shown in one snippet; farther apart, one
/// snippet would show every line between them (a warning about two rules 500 lines apart
/// printed 500 lines, and a policy with thousands of such warnings gigabytes).
const NEAR_LINES: usize = 6;

/// A source file as miette reads it, through the file's line index.
///
/// miette's own `SourceCode` for text scans from the first byte to find the lines around a
/// span, which costs the whole file for every rule shown from a large policy. Starting the
/// same scan at a line start a few lines before the span gives the same contents: before the
/// span the scan only counts lines, and the lines before the window are added back. Text with
/// a `\r` is scanned whole, as miette reads it (the shown text holds no lone `\r` any more: it
/// is written `\n`, which is how the index counts it).
#[derive(Debug)]
pub(super) struct Indexed(SourceFile, Windows);

/// Windows of long lines with `…` where they are cut ([`Indexed::long_line_window`]), each
/// made once: miette borrows a snippet's text from the source for as long as the source
/// lives. A diagnostic's snippets ask for a few windows at most; past [`Windows`]' slots one
/// is shown without its marks.
#[derive(Debug, Default)]
struct Windows([std::sync::OnceLock<Window>; 8]);

/// A window's byte range in the text, and its bytes with its marks.
type Window = ((usize, usize), Box<[u8]>);

impl Windows {
    /// The window `from..to` of `text`, marked, from its slot (made there at first use).
    fn marked(&self, text: &str, (from, to): (usize, usize), before: bool, after: bool) -> Option<&[u8]> {
        let make = || {
            let inner = text.get(from..to).unwrap_or("");
            let mark = |cut: bool| if cut { "…" } else { "" };
            ((from, to), format!("{}{inner}{}", mark(before), mark(after)).into_bytes().into_boxed_slice())
        };
        self.0.iter().find_map(|slot| {
            let (key, data) = slot.get_or_init(make);
            (*key == (from, to)).then_some(&**data)
        })
    }
}

impl Indexed {
    /// The file as snippets show it ([`SourceFile::shown`]).
    pub(super) fn new(file: &SourceFile) -> Indexed {
        Indexed(file.shown(), Windows::default())
    }

    /// When a context line next to the span is long, the span's own lines alone (each context
    /// line would be shown whole), read as miette reads lines: from the first line's start to
    /// the last line's end. `None` when no context line is long.
    fn without_long_context(&self, span: &SourceSpan, before: usize, after: usize) -> Option<MietteSpanContents<'_>> {
        if before == 0 {
            return None;
        }
        let (first_line, start) = self.0.line_start_of(span.offset());
        let (last_line, _) = self.0.line_start_of(span.offset() + span.len());
        // miette takes a span that ends inside a `\r\n` as ending on the next line, and shows
        // its context from there: the lines after that one are looked at too.
        let (reach, _) = self.0.line_start_of(span.offset() + span.len() + 1);
        let long_before = (1..=before).any(|k| first_line.checked_sub(k).is_some_and(|l| is_long(&self.0, l)));
        let long_after = (1..=after).any(|k| is_long(&self.0, last_line + k) || is_long(&self.0, reach + k));
        if !long_before && !long_after {
            return None;
        }
        let end = self.0.line_start(last_line + 1).unwrap_or(self.0.text.len());
        let data = self.0.text.as_bytes().get(start..end)?;
        Some(MietteSpanContents::new(data, (start, end - start).into(), first_line, 0, last_line + 1))
    }

    /// A span inside one long line, read as miette would read it from a line that starts
    /// [`WINDOW`] bytes before the span and ends [`WINDOW`] bytes after it, without context
    /// lines. With no context lines asked for (miette's question for a span's line and
    /// column) the contents start at the span and give its true column.
    fn long_line_window(&self, span: &SourceSpan, context_lines_before: usize) -> Option<MietteSpanContents<'_>> {
        let (line, start, end) = long_line(&self.0, span.offset())?;
        if span.offset() + span.len() > end {
            return None;
        }
        let text = &self.0.text;
        let (from, column) = if context_lines_before == 0 {
            (span.offset(), span.offset() - start)
        } else {
            (cluster_floor(text, span.offset().saturating_sub(WINDOW).max(start)), 0)
        };
        let to = cluster_ceil(text, (span.offset() + span.len() + WINDOW).min(end));
        // A window that leaves out part of its line shows `…` there. The mark before the window
        // stands at the offsets of the bytes it leaves out, so labels keep their columns.
        let mark = '…'.len_utf8();
        let (before, after) = (context_lines_before > 0 && from >= start + mark, to < end);
        if before || after {
            if let Some(data) = self.1.marked(text, (from, to), before, after) {
                let first = if before { from - mark } else { from };
                return Some(MietteSpanContents::new(data, (first, data.len()).into(), line, column, line + 1));
            }
        }
        let data = text.as_bytes().get(from..to)?;
        Some(MietteSpanContents::new(data, (from, to - from).into(), line, column, line + 1))
    }
}

impl SourceCode for Indexed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // Without context lines miette asks only for the header's `file:line:column`, and
        // would count the column in bytes: columns count characters, as in every other format
        // (spec 4.1).
        if context_lines_before == 0 && context_lines_after == 0 {
            let (line, column) = self.0.line_col(span.offset());
            let data = self.0.text.as_bytes().get(span.offset()..span.offset() + span.len()).unwrap_or(&[]);
            return Ok(Box::new(MietteSpanContents::new(data, *span, line - 1, column - 1, 1)));
        }
        if let Some(window) = self.long_line_window(span, context_lines_before) {
            return Ok(Box::new(window));
        }
        if let Some(lines) = self.without_long_context(span, context_lines_before, context_lines_after) {
            return Ok(Box::new(lines));
        }
        let text = self.0.text.as_bytes();
        let (span_line, _) = self.0.line_start_of(span.offset());
        let first = span_line.saturating_sub(context_lines_before + 1);
        let window_start = self.0.line_start(first).unwrap_or(0);
        if window_start == 0 || span.offset() < window_start || self.0.has_carriage_return() {
            return text.read_span(span, context_lines_before, context_lines_after);
        }
        let window = text.get(window_start..).unwrap_or(&[]);
        let shifted = SourceSpan::from((span.offset() - window_start, span.len()));
        let inner = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        let data = inner.data();
        let start = inner.span().offset() + window_start;
        Ok(Box::new(MietteSpanContents::new(
            data,
            (start, data.len()).into(),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

/// The span to underline for `span`: itself, or when it reaches a long line at most [`WINDOW`]
/// bytes of it on its first line, as (offset, length).
pub(super) fn shown(file: &SourceFile, span: Span) -> (usize, usize) {
    // At the end of the file there is nothing to underline (miette would draw no label): the
    // last character written stands for the place.
    let at = file.shown_offset(span.start);
    if at != span.start {
        return (at, file.text.get(at..).and_then(|t| t.chars().next()).map_or(0, char::len_utf8));
    }
    let len = span.end.saturating_sub(span.start);
    if !long_line_between(file, span.start, span.end) {
        return (span.start, len);
    }
    // A span that starts on the line break is shown at the end of the line.
    let (_, _, end) = line_bounds(file, span.start);
    let start = span.start.min(end);
    let shown_end = cluster_floor(&file.text, (start + len.min(WINDOW)).min(end)).max(start);
    (start, shown_end - start)
}

/// Whether 0-based line `line` exists and is longer than [`LONG_LINE`] bytes.
fn is_long(file: &SourceFile, line: usize) -> bool {
    file.line_start(line).is_some_and(|start| long_line(file, start).is_some())
}

/// Whether a line from the one holding `from` to the one holding `to` is longer than
/// [`LONG_LINE`] bytes: one snippet over both would show it whole.
pub(super) fn long_line_between(file: &SourceFile, from: usize, to: usize) -> bool {
    let (a, _) = file.line_start_of(from.min(to));
    let (b, _) = file.line_start_of(from.max(to));
    (a..=b).any(|line| is_long(file, line))
}

/// Whether one snippet can show the spans starting at `a` and `b`: they are at most
/// [`NEAR_LINES`] lines apart and no line from one to the other is long.
pub(super) fn near(file: &SourceFile, a: usize, b: usize) -> bool {
    let (first, _) = file.line_start_of(a.min(b));
    let (last, _) = file.line_start_of(a.max(b));
    last - first <= NEAR_LINES && !long_line_between(file, a, b)
}

/// The 0-based line holding `offset` with its start and end (before the line break), when it is
/// longer than [`LONG_LINE`] (a tab counts four, as miette shows it).
fn long_line(file: &SourceFile, offset: usize) -> Option<(usize, usize, usize)> {
    let (line, start, end) = line_bounds(file, offset);
    // Tabs are counted only on a line that may need them: counting them on every call for a
    // line of a megabyte made each diagnostic on it cost the whole line.
    let long = end - start > LONG_LINE
        || end - start
            + 3 * file.text.as_bytes().get(start..end).map_or(0, |l| l.iter().filter(|&&b| b == b'\t').count())
            > LONG_LINE;
    long.then_some((line, start, end))
}

/// The 0-based line holding `offset`, its start and its end before the line break.
fn line_bounds(file: &SourceFile, offset: usize) -> (usize, usize, usize) {
    let (line, start) = file.line_start_of(offset);
    let next = file.line_start(line + 1).unwrap_or(file.text.len());
    let text = file.text.as_bytes();
    let mut end = next;
    while end > start && matches!(text.get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    (line, start, end)
}

/// Bytes before and after an offset within which [`clusters_around`] looks for the grapheme
/// clusters that hold it: a window of a long line costs this much, not the whole line.
const CLUSTER_REACH: usize = 128;

/// The nearest grapheme-cluster boundary at or before `i`: a window of a long line starts
/// where a reader sees a character start, not between a letter and its accent or inside a
/// flag or an emoji joined of several.
fn cluster_floor(text: &str, i: usize) -> usize {
    clusters_around(text, i).0
}

/// The nearest grapheme-cluster boundary at or after `i` ([`cluster_floor`]).
fn cluster_ceil(text: &str, i: usize) -> usize {
    clusters_around(text, i).1
}

/// The grapheme-cluster boundaries at or before and at or after `i` (both `i` when it is one),
/// found in the text [`CLUSTER_REACH`] bytes around it. A cluster longer than that (a letter
/// with a hundred accents) is cut at a character boundary instead.
fn clusters_around(text: &str, i: usize) -> (usize, usize) {
    let i = i.min(text.len());
    let mut from = char_floor(text, i.saturating_sub(CLUSTER_REACH));
    // Regional indicators pair up from the start of their run (`🇸🇪🇩🇰`): the run is read
    // from there, or on a line of megabytes of them from 16,384 of them back (64 KiB).
    let regional = |c: char| ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
    for _ in 0..16_384 {
        match text.get(..from).and_then(|t| t.chars().next_back()) {
            Some(c) if regional(c) => from -= c.len_utf8(),
            _ => break,
        }
    }
    let to = char_ceil(text, i + CLUSTER_REACH);
    let mut floor = char_floor(text, i);
    let mut first = true;
    for at in icu_segmenter::GraphemeClusterSegmenter::new().segment_str(text.get(from..to).unwrap_or("")) {
        let at = from + at;
        // The piece's own start is a boundary only when it is the text's.
        if std::mem::take(&mut first) && at != 0 && at < i {
            continue;
        }
        match at.cmp(&i) {
            std::cmp::Ordering::Less => floor = at,
            std::cmp::Ordering::Equal => return (i, i),
            std::cmp::Ordering::Greater => return (floor, at),
        }
    }
    (floor, char_ceil(text, i))
}

/// The nearest character boundary at or before `i`.
fn char_floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest character boundary at or after `i`.
fn char_ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
        let indexed = Indexed::new(&SourceFile::new("p.policy", text));
        for start in 0..=text.len() {
            for len in [0, 1, 3, 12] {
                for (before, after) in [(1, 1), (2, 3)] {
                    assert_eq!(
                        contents(&indexed, (start, len), before, after),
                        contents(&text, (start, len), before, after),
                        "span {start}+{len}, context {before}/{after}"
                    );
                }
            }
        }
    }

    /// Without context lines (miette's question for the header) the column counts characters,
    /// where miette's own reader counts bytes.
    #[test]
    fn the_header_column_counts_characters() {
        let text = "a: \"\u{e5}\u{e4}\u{1f600}\", b: c\nd: 1\n";
        let file = SourceFile::new("c.yaml", text);
        let indexed = Indexed::new(&file);
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let Ok(c) = indexed.read_span(&(start, 0).into(), 0, 0) else { panic!("no place") };
            let (line, column) = file.line_col(start);
            assert_eq!((c.line() + 1, c.column() + 1), (line, column), "at {start}");
        }
        let b = text.find("b:").unwrap_or(0);
        let Ok(c) = indexed.read_span(&(b, 1).into(), 0, 0) else { panic!("no place") };
        // `a: "åä😀", ` is 10 characters (15 bytes).
        assert_eq!(c.column(), 10);
    }

    #[test]
    fn a_span_on_a_long_line_is_read_with_a_window_around_it() {
        let line = format!("labels: [{}]", "xå, ".repeat(20_000));
        let text = format!("campaign: c\n{line}\nnext: 1\n");
        let file = SourceFile::new("c.yaml", text.as_str());
        let at = text.len() - 30;
        let indexed = Indexed::new(&file);
        let Ok(window) = indexed.read_span(&(at, 2).into(), 1, 1) else { panic!("no window") };
        assert_eq!(window.line(), 1);
        assert_eq!(window.column(), 0);
        assert!(window.data().len() <= 2 * WINDOW + 2 + 2, "{}", window.data().len());
        assert!(window.span().offset() <= at && at + 2 <= window.span().offset() + window.span().len());
        assert!(std::str::from_utf8(window.data()).is_ok());
        let Ok(place) = indexed.read_span(&(at, 2).into(), 0, 0) else { panic!("no place") };
        assert_eq!(place.column(), text["campaign: c\n".len()..at].chars().count());
        // A short line next to the long one is read without it.
        let Ok(short) = indexed.read_span(&(3, 2).into(), 1, 1) else { panic!("no short line") };
        assert_eq!(short.data(), b"campaign: c\n");
        assert_eq!((short.line(), short.column()), (0, 0));
    }

    #[test]
    fn hidden_characters_are_shown_as_question_marks_at_the_same_offsets() {
        let text = "a: x # \u{1b}[31m\u{202e}\nb: 1\n";
        let indexed = Indexed::new(&SourceFile::new("c.yaml", text));
        let Ok(line) = indexed.read_span(&(text.len() - 4, 1).into(), 1, 0) else { panic!("no line") };
        assert!(String::from_utf8_lossy(line.data()).starts_with("a: x # ?[31m???\nb:"), "{:?}", line.data());
        assert_eq!(line.span().offset(), 0);
    }

    /// A window of a long line and its underline start and end between grapheme clusters: they
    /// were cut at character boundaries, between a letter and its accent or inside a flag.
    #[test]
    fn a_window_of_a_long_line_is_cut_between_grapheme_clusters() {
        let cluster = |c: &str| format!("a: [{}]\nb: 1\n", c.repeat(2_000));
        for piece in
            ["e\u{301}\u{302}", "\u{1f1f8}\u{1f1ea}", "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", "x\u{6f22}"]
        {
            let text = cluster(piece);
            let file = SourceFile::new("c.yaml", text.as_str());
            let indexed = Indexed::new(&file);
            let line_end = text.find(']').unwrap_or(0);
            // A span at the start of each cluster in the middle of the line, and the window round it.
            for k in 900..900 + piece.chars().count() {
                let at = 4 + k * piece.len();
                let Ok(window) = indexed.read_span(&(at, piece.len()).into(), 1, 1) else { panic!("no window") };
                // Past the `…` that marks a cut ([`a_window_marks_where_it_cuts_its_line`]).
                let (data, mark) = (window.data(), '…'.len_utf8());
                let from = window.span().offset() + if data.starts_with("…".as_bytes()) { mark } else { 0 };
                let to = window.span().offset() + data.len() - if data.ends_with("…".as_bytes()) { mark } else { 0 };
                assert_eq!((from - 4) % piece.len(), 0, "{piece:?}: window starts at {from}");
                assert!(to == line_end || (to - 4) % piece.len() == 0, "{piece:?}: window ends at {to}");
                assert!(from < at && at + piece.len() < to, "{piece:?}");
            }
            let whole = Span { file: crate::source::FileId(0), start: 4, end: line_end };
            let (start, len) = shown(&file, whole);
            assert_eq!((start, len % piece.len()), (4, 0), "{piece:?}: underline of {len} bytes");
            assert!(len > 0, "{piece:?}");
        }
        // Runs of flags pair from their start, however far back it is.
        let flags = format!("a: [x{}]", "\u{1f1f8}\u{1f1ea}".repeat(3_000));
        for at in [5, 6, 13, 5000, 5001, 5003, 12_000] {
            let (floor, ceil) = clusters_around(&flags, at);
            assert_eq!(((floor - 5) % 8, (ceil - 5) % 8), (0, 0), "{at}");
            assert!(floor <= at && at <= ceil && ceil - floor <= 8, "{at}: {floor} {ceil}");
        }
    }

    /// A window shows `…` where it leaves part of its line out, before it at the offsets of the
    /// bytes left out, so that each byte of the source is still at its offset.
    #[test]
    fn a_window_marks_where_it_cuts_its_line() {
        let line = format!("labels: [{}]", "xå, ".repeat(2_000));
        let text = format!("campaign: c\n{line}\nnext: 1\n");
        let indexed = Indexed::new(&SourceFile::new("c.yaml", text.as_str()));
        let line_start = "campaign: c\n".len();
        let line_end = line_start + line.len();
        for (at, before, after) in
            [(line_start + 5_000, true, true), (line_start + 20, false, true), (line_end - 20, true, false)]
        {
            let at = char_floor(&text, at);
            let Ok(window) = indexed.read_span(&(at, 2).into(), 1, 1) else { panic!("no window") };
            let data = std::str::from_utf8(window.data()).unwrap_or("");
            assert_eq!((data.starts_with('…'), data.ends_with('…')), (before, after), "{data}");
            let first = window.span().offset();
            assert_eq!(data.len(), window.span().len());
            // Every byte after the mark before the window is the source's at its offset.
            let shown = data
                .strip_prefix('…')
                .unwrap_or(data)
                .strip_suffix('…')
                .unwrap_or(data.strip_prefix('…').unwrap_or(data));
            let from = if before { first + '…'.len_utf8() } else { first };
            assert_eq!(Some(shown), text.get(from..from + shown.len()), "{at}");
            assert!(from <= at && at + 2 <= from + shown.len());
        }
        // A line shown whole has no mark.
        let Ok(short) = indexed.read_span(&(3, 2).into(), 1, 1) else { panic!("no short line") };
        assert!(!String::from_utf8_lossy(short.data()).contains('…'));
    }

    #[test]
    fn labels_on_a_long_line_underline_a_bounded_part() {
        let text = format!("a: {}\nb: 1\n", "é".repeat(5_000));
        let file = SourceFile::new("c.yaml", text.as_str());
        let whole = Span { file: crate::source::FileId(0), start: 3, end: text.len() - 6 };
        let (start, len) = shown(&file, whole);
        assert_eq!(start, 3);
        assert!(len <= WINDOW && text.is_char_boundary(start + len), "{len}");
        let short = Span { file: crate::source::FileId(0), start: text.len() - 5, end: text.len() - 1 };
        assert_eq!(shown(&file, short), (text.len() - 5, 4));
        assert!(
            long_line_between(&file, 10, text.len() - 3) && !long_line_between(&file, text.len() - 3, text.len() - 2)
        );
    }
}
