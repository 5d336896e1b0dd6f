//! The formatter's output buffer. It knows the column, owes spaces lazily (so no line ends in
//! a space), and writes every source comment before the first token that followed it, so
//! comments keep their place between tokens whatever the layout.

use crate::source::Span;
use crate::syntax::comments::Comment;

/// The widest line the formatter aims for; strings and names are never broken to meet it.
pub const WIDTH: usize = 100;

pub(super) struct Writer<'a> {
    src: &'a str,
    comments: Vec<Comment>,
    /// Where every token with a place in the source starts (and where closing brackets are).
    starts: Vec<usize>,
    /// Where every line break of the source is, to find the line above a position without
    /// scanning back through a long line.
    breaks: Vec<usize>,
    next: usize,
    out: String,
    /// Characters on the current line.
    col: usize,
    /// Indentation of the current line.
    indent: usize,
    /// Nothing but indentation on the current line yet.
    fresh: bool,
    space: bool,
    /// Where a line broken by a comment continues.
    cont: usize,
    /// End of the last source token written.
    last_end: usize,
    /// Whether an `and` inside an `or` gets the brackets that show its grouping (see
    /// `expr::needs_parens`): off for a condition they would nest past the parser's limit.
    pub(super) clarify: bool,
}

impl<'a> Writer<'a> {
    pub(super) fn new(src: &'a str, comments: Vec<Comment>, mut starts: Vec<usize>) -> Writer<'a> {
        starts.sort_unstable();
        starts.dedup();
        let breaks = crate::source::line_ends(src).collect();
        Writer {
            src,
            comments,
            starts,
            breaks,
            next: 0,
            out: String::new(),
            col: 0,
            indent: 0,
            fresh: true,
            space: false,
            cont: 4,
            last_end: 0,
            clarify: true,
        }
    }

    /// The source text of a span.
    pub(super) fn slice(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// The column where the next text starts (an owed space included).
    pub(super) fn col(&self) -> usize {
        self.col + usize::from(self.space && !self.fresh)
    }

    pub(super) fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Sets where a line broken by a comment continues.
    pub(super) fn set_cont(&mut self, col: usize) {
        self.cont = col;
    }

    /// True when a comment lies strictly inside `start..end`: such a construct cannot be
    /// written on one line.
    pub(super) fn has_comment(&self, start: usize, end: usize) -> bool {
        // Comments are in source order: the first one after `start` is the only candidate.
        let rest = self.comments.get(self.next..).unwrap_or_default();
        rest.get(rest.partition_point(|c| c.start <= start)).is_some_and(|c| c.start < end)
    }

    /// Owes a space before the next text on this line.
    pub(super) fn space(&mut self) {
        self.space = true;
    }

    /// Text with no place in the source: keywords and punctuation.
    pub(super) fn text(&mut self, s: &str) {
        if self.space && !self.fresh {
            self.out.push(' ');
            self.col += 1;
        }
        self.space = false;
        self.out.push_str(s);
        self.col = match s.rfind('\n') {
            Some(i) => s.get(i + 1..).map_or(0, |rest| rest.chars().count()),
            None => self.col + s.chars().count(),
        };
        self.fresh = false;
    }

    /// A keyword or punctuation mark. When the source has it next (after blanks and comments)
    /// it is written like a token, at that place, so that a comment after it stays after it;
    /// a mark the layout adds (or spells otherwise) is plain text.
    pub(super) fn keyword(&mut self, s: &str) {
        match self.next_in_source(s) {
            Some(start) => self.placed(start, start + s.len(), s),
            None => self.text(s),
        }
    }

    /// Writes the comments before keyword `s` when the source has it next, else those before
    /// `pos` (the next token's place): what lies between the keyword and the next token is
    /// written after the keyword.
    pub(super) fn flush_before(&mut self, s: &str, pos: usize) {
        let until = self.next_in_source(s).unwrap_or(pos);
        self.flush(until);
    }

    /// Where `s` starts in the source if it is the next thing after the last token written,
    /// blanks and comments aside.
    fn next_in_source(&self, s: &str) -> Option<usize> {
        let mut pos = self.last_end;
        loop {
            let rest = self.src.get(pos..)?;
            let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
            pos += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                pos += trimmed.find(['\n', '\r']).unwrap_or(trimmed.len());
                continue;
            }
            // Parentheses the layout drops (`when (basis == consent)` is written without them)
            // stand between a condition and the next keyword; a word is still next after them.
            if s.starts_with(|c: char| c.is_ascii_alphabetic()) && trimmed.starts_with(['(', ')']) {
                pos += 1;
                continue;
            }
            let word_goes_on = s.ends_with(|c: char| c.is_ascii_alphanumeric())
                && trimmed
                    .get(s.len()..)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
            return (trimmed.starts_with(s) && !word_goes_on).then_some(pos);
        }
    }

    /// A token from the source, after the comments that precede it.
    pub(super) fn token(&mut self, span: Span, s: &str) {
        self.placed(span.start, span.end, s);
    }

    /// Text that stands at `start..end` in the source, after the comments before it.
    fn placed(&mut self, start: usize, end: usize, s: &str) {
        self.flush(start);
        self.text(s);
        self.last_end = self.last_end.max(end);
    }

    /// Ends the line, after a comment that trails the last token on its source line, and
    /// starts the next line at `indent`.
    pub(super) fn newline(&mut self, indent: usize) {
        self.trailing();
        self.break_to(indent);
        self.cont = indent + 4;
    }

    /// Writes the comments before `pos`. On a fresh line each gets its own line; in the middle
    /// of a line a comment ends it and the line continues at the continuation column.
    pub(super) fn flush(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos).cloned() {
            self.next += 1;
            if self.fresh {
                self.text(&c.text);
                self.break_to(self.indent);
            } else if self.trails_last_token(&c) {
                self.space = false;
                self.out.push(' ');
                self.text(&c.text);
                self.break_to(self.cont);
            } else {
                self.break_to(self.cont);
                self.text(&c.text);
                self.break_to(self.cont);
            }
        }
    }

    /// Like [`flush`](Self::flush) between declarations: blank lines before comments and before
    /// `pos` are kept (one at most).
    pub(super) fn boundary(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < pos).cloned() {
            if self.fresh && self.blank_above(c.start) {
                self.blank_line();
            }
            self.flush(c.start + 1);
        }
        if self.blank_above(pos) {
            self.blank_line();
        }
    }

    /// Ends the output: remaining comments, then exactly one final newline.
    pub(super) fn finish(mut self) -> String {
        self.newline(0);
        self.boundary(usize::MAX);
        let trimmed = self.out.trim_end();
        if trimmed.is_empty() {
            String::new()
        } else {
            format!("{trimmed}\n")
        }
    }

    /// True when `c` follows the last token written on the same source line, with no other
    /// token between them, nor a word: in `because "x" cite # check` the comment is about
    /// `cite`, which is not written yet, not about `"x"` (keywords have no place of their own).
    fn trails_last_token(&self, c: &Comment) -> bool {
        let between = self.starts.partition_point(|&s| s < self.last_end);
        let token_between = self.starts.get(between).is_some_and(|&s| s < c.start);
        let gap = if c.start >= self.last_end { self.src.get(self.last_end..c.start) } else { None };
        c.trailing
            && !token_between
            && gap
                .is_some_and(|g| !g.contains(['\n', '\r']) && !g.contains(|ch: char| ch.is_alphanumeric() || ch == '"'))
    }

    fn trailing(&mut self) {
        if let Some(c) = self.comments.get(self.next).filter(|c| !self.fresh && self.trails_last_token(c)).cloned() {
            self.next += 1;
            self.space = false;
            self.out.push(' ');
            self.text(&c.text);
        }
    }

    fn break_to(&mut self, indent: usize) {
        if self.fresh {
            let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
            self.out.truncate(line_start);
        } else {
            let kept = self.out.trim_end_matches(' ').len();
            self.out.truncate(kept);
            self.out.push('\n');
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.col = indent;
        self.indent = indent;
        self.fresh = true;
        self.space = false;
    }

    /// An empty line before the current (fresh) line, unless at the start or already there.
    fn blank_line(&mut self) {
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        let before = self.out.get(..line_start).unwrap_or("");
        if self.fresh && !before.is_empty() && !before.ends_with("\n\n") {
            self.out.insert(line_start, '\n');
        }
    }

    /// True when the source line above the one holding `pos` is blank.
    fn blank_above(&self, pos: usize) -> bool {
        // The breaks before `pos`: the last ends the line above, the one before starts it.
        let before = self.breaks.partition_point(|&b| b < pos);
        let Some(&line_start) = before.checked_sub(1).and_then(|i| self.breaks.get(i)) else { return false };
        let prev_start = before.checked_sub(2).and_then(|i| self.breaks.get(i)).map_or(0, |&b| b + 1);
        self.src.get(prev_start..line_start).is_some_and(|l| l.trim().is_empty())
    }
}
