//! Parser errors that come from the typing slips of hand-edited campaign files, said in a
//! campaign author's words, pointed at the slip and with the fix.
//!
//! A YAML parser reports where it gave up, in its own terms ("mapping values are not allowed
//! in this context"), often a line after the slip. From the error and the text around it this
//! module guesses the slip: a value holding `: `, a key without a space after its colon or
//! joined to its value with `=`, a `-` without a space, a quote or bracket never closed, a line
//! out of step with its neighbours, a list item that lacks its `- `. When no guess fits, the
//! loader's own wording stays.

mod lines;
mod scan;

use crate::diagnostic::{Code, Place, Problem};
use crate::source::{FileId, SourceFile, Span};
use lines::{mapping_colon, without_comment, Line};

/// Longest line quoted in a help line as the fix; a longer one is left out.
const MAX_SHOWN_FIX: usize = 80;

/// The problem for the parser error `message` (lower case, without position) at byte `at`, if
/// it comes from a slip this module knows.
pub(super) fn explain(file: FileId, source: &SourceFile, at: usize, message: &str) -> Option<Problem> {
    let text: &str = &source.text;
    let slip = Slip { file, text, at: at.min(text.len()) };
    if message == "unclosed quote" {
        return slip.unclosed_quote(slip.at, None);
    }
    if message.starts_with("invalid trailing content after") {
        return slip.text_after_quote();
    }
    if message.starts_with("unclosed bracket") {
        return slip.unclosed_bracket(slip.at);
    }
    if let Some(problem) = slip.bracket_left_open() {
        return Some(problem);
    }
    if message.starts_with("mapping values are not allowed") {
        return slip.colon_in_value().or_else(|| slip.line_above_is_off());
    }
    if message.starts_with("simple key expected") {
        let line = Line::at(text, slip.at);
        return (line.entry_start() == slip.at).then(|| slip.not_a_key_and_value(line)).flatten();
    }
    if message.ends_with("did not find expected '-' indicator") {
        return slip.dash_without_space().or_else(|| slip.outside_list_item());
    }
    if message.ends_with("did not find expected key") {
        return slip.key_between_levels();
    }
    None
}

/// A key written twice at byte `at`, when it is a slip of hand editing (`key` as the message
/// shows it).
pub(super) fn repeated_key_in_item(file: FileId, source: &SourceFile, at: usize, key: &str) -> Option<Problem> {
    let text: &str = &source.text;
    Slip { file, text, at: at.min(text.len()) }.repeated_key_in_item(key)
}

/// A bracket or brace left open before byte `at`, which an error there comes from.
pub(super) fn bracket_left_open(file: FileId, source: &SourceFile, at: usize) -> Option<Problem> {
    let text: &str = &source.text;
    Slip { file, text, at: at.min(text.len()) }.bracket_left_open()
}

/// A parser error at byte `at` of `text`, in file `file`.
struct Slip<'t> {
    file: FileId,
    text: &'t str,
    at: usize,
}

impl<'t> Slip<'t> {
    fn span(&self, start: usize, len: usize) -> Span {
        Span { file: self.file, start, end: start + len }
    }

    fn problem(&self, start: usize, len: usize, message: impl AsRef<str>, label: impl Into<String>) -> Problem {
        Problem::at(Code::Yaml, self.span(start, len), format!("invalid YAML: {}", message.as_ref()), label)
    }

    /// `name: Sale: 50% off`: a second `: ` on the line, in a value.
    fn colon_in_value(&self) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let scan = scan::scan(self.text, self.at);
        if !scan.open.is_empty() || self.at < line.entry_start() {
            return None;
        }
        let before = self.text.get(line.entry_start()..self.at)?;
        let colon = mapping_colon(before)?;
        let key = before.get(..colon)?;
        let rest = line.entry().get(colon + 1..)?;
        let value = rest.trim_start();
        let value_start = line.entry_start() + colon + 1 + (rest.len() - value.len());
        if value.is_empty() || value.starts_with(['"', '\'']) {
            return None;
        }
        let help = with_fix(
            "in YAML a colon followed by a space starts a key, even inside a value; put the value in quotes",
            &format!("{key}: {}", quoted(value)),
        );
        let message = format!("the value of `{key}` contains `: `");
        Some(
            self.problem(value_start, value.len(), message, "put this value in quotes")
                .with_related(Place::Span(self.span(self.at, 1)), "read as the start of a key")
                .with_help(help),
        )
    }

    /// The parser stopped at a key on this line, but the slip is on the line above: a key
    /// without `: `, or a line out of step with the lines around it.
    fn line_above_is_off(&self) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let above = line.content_above(self.text).next()?;
        let Some((key, value)) = above.key_value() else {
            // `basis:consent` or `basis = consent` above, read as the start of a value.
            return above.entry().contains([':', '=']).then(|| self.not_a_key_and_value(above)).flatten();
        };
        let (key_here, _) = line.key_value()?;
        let values_that_hold_lines = ['|', '>', '&', '!', '"', '\'', '[', '{'];
        if value.is_empty() || value.starts_with(values_that_hold_lines) || line.indent() <= above.key_column() {
            return None;
        }
        let dedented = above.content_above(self.text).next().is_some_and(|l| {
            l.key_column() == line.key_column() && above.indent() < line.indent() && l.key_value().is_some()
        });
        if dedented {
            let spaces = line.key_column() - above.key_column();
            let message = format!("`{key}` is indented less than the lines above and below it");
            let help = format!(
                "the keys of one mapping line up; indent `{key}:` by {} like the keys above and below it (as it \
                 is, `{key_here}` below reads as part of the value of `{key}`)",
                plural(spaces, "space")
            );
            return Some(
                self.problem(above.entry_start(), key.len(), message, format!("indent by {}", plural(spaces, "space")))
                    .with_help(help),
            );
        }
        let deeper = line.key_column() - above.key_column();
        let message = format!("`{key_here}` is indented deeper than `{key}` above it");
        let help = format!(
            "`{key}` already has a value, so no key can be nested under it; line `{key_here}:` up with `{key}:`"
        );
        Some(
            self.problem(
                line.start + line.indent(),
                key_here.len(),
                message,
                format!("{} too deep", plural(deeper, "space")),
            )
            .with_related(Place::Span(self.span(above.entry_start(), key.len())), "has a value already")
            .with_help(help),
        )
    }

    /// A line in a mapping that is not `key: value`: `basis:consent`, `basis = consent`,
    /// `basis consent`.
    fn not_a_key_and_value(&self, line: Line<'t>) -> Option<Problem> {
        let entry = line.entry();
        let start = line.entry_start();
        if entry.is_empty() || mapping_colon(entry).is_some() || entry.starts_with(['"', '\'', '[', '{', '-', '?', '#'])
        {
            return None;
        }
        let joined = "a key and its value are joined with `: ` (a colon and a space)";
        if let Some(colon) = entry.find(':') {
            let (key, value) = (entry.get(..colon)?, entry.get(colon + 1..)?);
            let message = format!("a space is missing after the colon in `{entry}`");
            return Some(
                self.problem(start + colon, 1, message, "add a space after this colon")
                    .with_help(with_fix(joined, &format!("{key}: {value}"))),
            );
        }
        if let Some(equals) = entry.find('=') {
            let (key, value) = (entry.get(..equals)?.trim_end(), entry.get(equals + 1..)?.trim_start());
            let sign = entry.get(key.len()..entry.len() - value.len()).map_or(1, str::len);
            let message = format!("`{entry}` joins a key and a value with `=`");
            return Some(
                self.problem(start + key.len(), sign, message, "write `: ` here")
                    .with_help(with_fix(&format!("{joined}, not `=`"), &format!("{key}: {value}"))),
            );
        }
        let word = entry.split(' ').next().unwrap_or(entry);
        let help = if word.len() < entry.len() && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            let value = entry.get(word.len()..).unwrap_or_default().trim_start();
            with_fix(joined, &format!("{word}: {value}"))
        } else {
            format!("{joined}; to continue the value of the line above, indent this line under it")
        };
        let message = format!("`{entry}` is not written as `key: value`");
        Some(self.problem(start + word.len(), 0, message, "`:` missing here").with_help(help))
    }

    /// `-category: identity.name`: a list item whose `-` has no space after it.
    fn dash_without_space(&self) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let written = without_comment(self.text.get(self.at..line.start + line.text.len())?);
        let rest = written.strip_prefix('-').filter(|r| !r.is_empty() && !r.starts_with([' ', '-']))?;
        let message = format!("`{written}` needs a space after its `-`");
        let help = with_fix("each list item starts with `- ` (a dash and a space)", &format!("- {rest}"));
        Some(self.problem(self.at, 1, message, "add a space after this `-`").with_help(help))
    }

    /// A key at the indentation of a list's `-`, after an item: it belongs to the item above
    /// and is not indented as far as that item's keys, or it starts a new item without `- `.
    fn outside_list_item(&self) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let (key, _) = line.key_value()?;
        let item = line.content_above(self.text).find(|l| l.indent() <= line.indent() && l.is_item())?;
        let (first, _) = item.key_value()?;
        let column = item.key_column();
        if line.is_item() || line.indent() >= column {
            return None;
        }
        let message = format!("`{key}` is not lined up with `{first}` of the list item above");
        let help = format!(
            "the keys of one list item line up after its `- `; indent `{key}:` by {} to line up with `{first}:`, or, \
             if it starts a new item, write `- {key}:`",
            plural(column - line.indent(), "more space")
        );
        Some(
            self.problem(line.start + line.indent(), key.len(), message, "not lined up")
                .with_related(Place::Span(self.span(item.entry_start(), first.len())), "the item's first key")
                .with_help(help),
        )
    }

    /// A key indented less than the keys above it but more than the key that holds them.
    fn key_between_levels(&self) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let (key, _) = line.key_value()?;
        let above = line.content_above(self.text).next()?;
        let (key_above, _) = above.key_value()?;
        if line.is_item() || line.entry_start() != self.at || above.key_column() <= line.indent() {
            return None;
        }
        let outer = line.content_above(self.text).find(|l| l.key_column() < line.indent()).and_then(|l| l.key_value());
        let or_outer =
            outer.map_or(String::new(), |(k, _)| format!(", or, if it does not belong under `{k}`, like `{k}:`"));
        let less = above.key_column() - line.indent();
        let message = format!("`{key}` is not lined up with `{key_above}` above it");
        Some(
            self.problem(self.at, key.len(), message, format!("{} less than `{key_above}`", plural(less, "space")))
                .with_help(format!("the keys of one mapping line up; indent `{key}:` like `{key_above}:`{or_outer}")),
        )
    }

    /// A quote opened at `open` and not closed on its line; `closed_at` is where a quote much
    /// further on closed it.
    fn unclosed_quote(&self, open: usize, closed_at: Option<usize>) -> Option<Problem> {
        let quote = self.text.get(open..open + 1)?;
        let line = Line::at(self.text, open);
        let written = line.text.get(line.key_column()..)?.trim_end();
        let help = if scan::scan(self.text, open).open.is_empty() {
            with_fix(&format!("add the closing `{quote}` at the end of the value"), &format!("{written}{quote}"))
        } else {
            format!("add the closing `{quote}` where the value ends")
        };
        let problem = self.problem(open, 1, "unclosed quote", "this quote is never closed").with_help(help);
        Some(match closed_at {
            Some(close) => problem.with_related(Place::Span(self.span(close, 1)), "the quote read as its end"),
            None => problem,
        })
    }

    /// Text after a quoted value's closing quote: a quote never closed on its line (so that a
    /// quote lines later closed it), an apostrophe in single quotes, or text left outside.
    fn text_after_quote(&self) -> Option<Problem> {
        let (open, close) = scan::scan(self.text, self.at).quote?;
        let close = close?;
        let between = self.text.get(close + 1..self.at)?;
        if !between.trim().is_empty() {
            return None;
        }
        if Line::at(self.text, open) != Line::at(self.text, close) {
            return self.unclosed_quote(open, Some(close));
        }
        let line = Line::at(self.text, self.at);
        let after = without_comment(self.text.get(self.at..line.start + line.text.len())?);
        let quote = self.text.get(open..open + 1)?;
        let apostrophe = quote == "'" && between.is_empty() && after.starts_with(char::is_alphabetic);
        let help = if apostrophe {
            let rule = "in a value in single quotes an apostrophe ends the value; write it twice (`''`), or put the \
                        value in double quotes";
            let before = self.text.get(line.entry_start()..open).unwrap_or_default();
            let inner =
                after.strip_suffix('\'').and_then(|a| Some(format!("{}{a}", self.text.get(open + 1..self.at)?)));
            match inner.filter(|i| !i.contains(['"', '\\'])) {
                Some(inner) => with_fix(rule, &format!("{before}\"{inner}\"")),
                None => rule.to_string(),
            }
        } else {
            format!("a quoted value ends at its closing `{quote}`; put all of the value inside the quotes")
        };
        Some(
            self.problem(self.at, after.len(), "text after the closing quote of a value", "outside the quotes")
                .with_help(help),
        )
    }

    /// A `[` or `{` opened on an earlier line and never closed: the parser stops at the next
    /// key, which cannot be inside a bracket at its indentation.
    fn bracket_left_open(&self) -> Option<Problem> {
        let scan = scan::scan(self.text, self.at);
        let &open = scan.open.first()?;
        let line = Line::at(self.text, self.at);
        let bracket_line = Line::at(self.text, open);
        let at_end = self.text.get(self.at..).is_some_and(|r| r.trim().is_empty());
        if bracket_line == line || !at_end && line.indent() > bracket_line.indent() {
            return None;
        }
        self.unclosed_bracket(open)
    }

    /// The `[` or `{` at `open` is never closed.
    fn unclosed_bracket(&self, open: usize) -> Option<Problem> {
        let (what, close) = match self.text.get(open..open + 1)? {
            "[" => ("list", ']'),
            "{" => ("mapping", '}'),
            _ => return None,
        };
        let bracket = Line::at(self.text, open);
        // The fix is the bracket's line closed, when the parser stopped at the next line.
        let next = bracket.content_below(self.text);
        let stopped_next = next.is_none_or(|n| n.start + n.text.len() >= self.at) && self.at >= bracket.start;
        let written = bracket.entry();
        let help = if stopped_next && bracket.entry_start() + written.len() > open {
            let unclosed = scan::scan(self.text, bracket.start + bracket.text.len()).open;
            let closing: String = unclosed
                .iter()
                .rev()
                .filter(|&&o| o >= bracket.start)
                .map(|&o| if self.text.get(o..o + 1) == Some("{") { '}' } else { ']' })
                .collect();
            let closing = if closing.is_empty() { close.to_string() } else { closing };
            with_fix(&format!("add `{close}` at the end of the {what}"), &format!("{written}{closing}"))
        } else {
            format!("add `{close}` where the {what} ends")
        };
        let message = format!("the `{}` that starts this {what} is never closed", self.text.get(open..open + 1)?);
        Some(self.problem(open, 1, message, format!("no `{close}` closes this")).with_help(help))
    }

    /// A key written twice in one list item: the second one likely starts an item whose
    /// `- ` is missing.
    fn repeated_key_in_item(&self, key: &str) -> Option<Problem> {
        let line = Line::at(self.text, self.at);
        let column = line.key_column();
        if line.entry_start() != self.at || line.is_item() {
            return None;
        }
        let mut above = line.content_above(self.text).filter(|l| l.indent() <= column);
        let item = above.find(|l| l.indent() < column || l.is_item())?;
        if !item.is_item() || item.key_column() != column {
            return None;
        }
        let list = item
            .content_above(self.text)
            .find(|l| l.indent() < item.indent() || !l.is_item() && l.indent() == item.indent());
        let list_key = list.and_then(|l| l.key_value()).map(|(k, _)| k);
        let (what, each) = match list_key {
            Some("data") => ("data use".to_string(), "each data use".to_string()),
            Some(k) => (format!("item of `{k}`"), format!("each item of `{k}`")),
            None => ("list item".to_string(), "each list item".to_string()),
        };
        let fix = format!("- {}", line.entry());
        let write = if shown(&fix) { format!("write `{fix}`") } else { "put `- ` before it".to_string() };
        let help =
            format!("{each} starts with `- `; if this `{key}` begins a new one, {write}, its `-` under the `-` above");
        Some(
            self.problem(self.at, key.len(), format!("`{key}` appears twice in one {what}"), "second time")
                .with_help(help),
        )
    }
}

/// A help line: what to do, then the line as it should be written, unless that is too long
/// to show.
fn with_fix(what: &str, fix: &str) -> String {
    if shown(fix) {
        format!("{what}: `{fix}`")
    } else {
        what.to_string()
    }
}

/// Whether a line can be shown in a help line.
fn shown(fix: &str) -> bool {
    fix.chars().count() <= MAX_SHOWN_FIX && !fix.contains('`')
}

/// A value in quotes: double ones, unless it holds `"` or `\`, then single ones.
fn quoted(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// A count and its noun, `1 anchor`, `2 anchors`.
pub(super) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests;
