//! Strings that do not parse: an unknown escape, a missing closing quote, a word processor's
//! quotation mark. Pointed at where the string goes wrong, not at where pest gave up.

use std::ops::ControlFlow;

use super::{is_keyword, line_number};
use crate::diagnostic::{Code, Place, Problem};
use crate::source::{FileId, Span};

/// A string that starts at `pos` but does not parse: an unknown escape or a missing closing
/// quote, pointed at where it goes wrong rather than at the opening quote.
pub(super) fn bad_string(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    let rest = text.get(pos..)?;
    if !rest.starts_with('"') {
        return None;
    }
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                Some((_, '"' | '\\' | 'n' | 't')) => {}
                Some((j, other)) => {
                    let span = Span { file, start: pos + i, end: pos + j + other.len_utf8() };
                    return Some(
                        Problem::at(
                            Code::Syntax,
                            span,
                            format!("unknown escape `\\{other}` in a string"),
                            "not an escape",
                        )
                        .with_help(unknown_escape_help(text, pos, other)),
                    );
                }
                None => break,
            },
            _ => {}
        }
    }
    let span = Span { file, start: pos, end: pos + 1 };
    let problem = Problem::at(Code::Syntax, span, "this string is never closed", "string starts here");
    // `"text”`: a word processor's closing quote, which the grammar does not read as one.
    let first_line = rest.get(1..).unwrap_or("").split(['\n', '\r']).next().unwrap_or("");
    if let Some(curly) = first_line.chars().find(|c| is_typographic_quote(*c)) {
        return Some(problem.with_help(format!(
            "the string ends with `{curly}` (U+{:04X}), a typographic quotation mark: write a straight `\"` there",
            u32::from(curly)
        )));
    }
    Some(problem.with_help("add the closing `\"`; a string may span lines"))
}

/// Characters that a backslash escapes in a regular expression (`\.`, `\d`, `\(`, …).
fn is_regex_escape(c: char) -> bool {
    matches!(
        c,
        '.' | '*'
            | '+'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '|'
            | '^'
            | '$'
            | '/'
            | '-'
            | 'd'
            | 'D'
            | 'w'
            | 'W'
            | 's'
            | 'S'
            | 'b'
            | 'B'
            | 'A'
            | 'z'
            | 'p'
            | 'P'
    )
}

/// Strings longer than this are not written out whole in a help line.
const LONGEST_STRING_SHOWN: usize = 80;

/// The help for an unknown escape `\{other}` in the string that opens at `pos`. Dropping the
/// backslash would change a `matches` pattern (`\.` is a literal dot, `.` any character), so
/// there, and wherever the escape is one of a regular expression, the help keeps it: written
/// twice, as the string's own escape `\\` for one backslash.
fn unknown_escape_help(text: &str, pos: usize, other: char) -> String {
    let known = "strings know `\\\"`, `\\\\`, `\\n` and `\\t`";
    if follows_matches(text, pos) {
        let end = super::super::code::string_end(text.as_bytes(), pos + 1);
        let whole =
            text.get(pos..end).map(double_unknown_escapes).filter(|s| s.chars().count() <= LONGEST_STRING_SHOWN);
        return match whole {
            Some(fixed) => {
                format!("write the backslash twice to keep the regular expression's `\\{other}`: `{fixed}` ({known})")
            }
            None => format!(
                "write the backslash twice to keep the regular expression's `\\{other}`: `\\\\{other}` ({known})"
            ),
        };
    }
    if is_regex_escape(other) {
        return format!(
            "{known}: write `\\\\{other}` to keep the backslash (as a regular expression needs it), or `{other}` alone"
        );
    }
    format!("{known}; write other characters as they are (UTF-8)")
}

/// Whether the string opening at `pos` is the pattern of a `matches` test.
fn follows_matches(text: &str, pos: usize) -> bool {
    let before = text.get(..pos).unwrap_or("").trim_end();
    before
        .strip_suffix("matches")
        .is_some_and(|rest| !rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
}

/// A string literal with every backslash that starts no known escape written twice.
fn double_unknown_escapes(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len() + 8);
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            match chars.peek() {
                Some('"' | '\\' | 'n' | 't') => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                _ => out.push('\\'),
            }
        }
    }
    out
}

/// An error just after a string that spans lines and whose last line reads as policy text
/// (`  cite `): the string's closing quote is missing, and it ran on to the next string's
/// opening quote, which closed it. The error is the missing quote, not what follows it.
pub(super) fn string_ran_on(file: FileId, text: &str, offset: usize, pos: usize) -> Option<Problem> {
    let chunk = text.get(offset..)?;
    let mut opening = None;
    crate::syntax::code::scan_code(chunk, |i, c| {
        if offset + i >= pos {
            return ControlFlow::Break(());
        }
        if c == '"' {
            opening = Some(offset + i);
        }
        ControlFlow::Continue(())
    });
    let open = opening?;
    let close = crate::syntax::code::string_end(text.as_bytes(), open + 1);
    let between = text.get(close..pos)?;
    let content = text.get(open + 1..close.checked_sub(1)?)?;
    let last_line = content.rsplit(['\n', '\r']).next()?;
    let first_word = last_line.split_whitespace().next()?;
    if close > pos || !between.chars().all(|c| c == ' ' || c == '\t') || last_line.len() == content.len() {
        return None;
    }
    if !is_keyword(first_word) {
        return None;
    }
    let line_end = open + 1 + content.find(['\n', '\r']).unwrap_or(content.len());
    let line = line_number(text, open);
    let help = match text.get(open + 1..line_end).and_then(|l| l.chars().find(|c| is_typographic_quote(*c))) {
        Some(curly) => format!(
            "the string on line {line} ends with `{curly}` (U+{:04X}), a typographic quotation mark: write a \
             straight `\"` there",
            u32::from(curly)
        ),
        None => format!(
            "add the closing `\"` at the end of line {line}; a string may span lines, so it ran on to the next `\"`"
        ),
    };
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: open, end: line_end },
            "this string is not closed on its line",
            "the closing `\"` is missing",
        )
        .with_related(
            Place::Span(Span { file, start: close - 1, end: close }),
            format!("so this `\"` closes the string, and the `{first_word}` before it is read as text"),
        )
        .with_help(help),
    )
}

/// Closing quotation marks of word processors, which the grammar does not read as `"`.
pub(super) fn is_typographic_quote(c: char) -> bool {
    matches!(c, '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}')
}

#[cfg(test)]
mod tests {
    use super::super::tests::first;

    #[test]
    fn a_string_closed_by_a_typographic_quote_before_another_string_is_told_so() {
        let p = first("rule r {\n  allow c for m\n  because \"hello\u{201d}\n  cite \"Art. 6\"\n}\n");
        assert_eq!(p.message, "this string is not closed on its line");
        assert!(p.help.as_deref().is_some_and(|h| h.contains("ends with `\u{201d}` (U+201D)")), "{p:?}");
    }

    #[test]
    fn an_unknown_escape_in_a_matches_pattern_is_kept_by_the_help() {
        let text = "rule d { deny campaign for p unless rights.contact matches \"^[a-z]+@x\\.se$\" because \"x\" }";
        let p = first(text);
        assert_eq!(p.message, "unknown escape `\\.` in a string");
        assert_eq!(p.underlined(text), Some("\\."));
        assert_eq!(
            p.help.as_deref(),
            Some(
                "write the backslash twice to keep the regular expression's `\\.`: `\"^[a-z]+@x\\\\.se$\"` \
                 (strings know `\\\"`, `\\\\`, `\\n` and `\\t`)"
            )
        );
        // Followed literally, the pattern parses and keeps its literal dot.
        let fixed = text.replace("x\\.se", "x\\\\.se");
        assert!(crate::syntax::parse_file(crate::source::FileId(0), &fixed).is_ok());
    }

    #[test]
    fn a_regular_expression_escape_outside_a_pattern_is_offered_both_ways() {
        let p = first("rule r { deny c for m because \"no \\d here\" }");
        assert_eq!(
            p.help.as_deref(),
            Some(
                "strings know `\\\"`, `\\\\`, `\\n` and `\\t`: write `\\\\d` to keep the backslash (as a regular \
                 expression needs it), or `d` alone"
            )
        );
        let p = first("rule r { deny c for m because \"caf\\é\" }");
        assert_eq!(
            p.help.as_deref(),
            Some("strings know `\\\"`, `\\\\`, `\\n` and `\\t`; write other characters as they are (UTF-8)")
        );
    }

    #[test]
    fn a_string_closed_by_a_typographic_quote_is_told_so() {
        let p = first("rule r { allow c for m because \"x\u{201d} }\n");
        assert_eq!(p.message, "this string is never closed");
        assert_eq!(
            p.help.as_deref(),
            Some("the string ends with `\u{201d}` (U+201D), a typographic quotation mark: write a straight `\"` there")
        );
    }

    #[test]
    fn an_unclosed_string_that_ran_on_is_blamed_where_its_quote_is_missing() {
        let text = "rule r {\n  deny c for m\n  because \"no closing quote\n  cite \"GDPR\"\n}\n";
        let p = first(text);
        assert_eq!(p.message, "this string is not closed on its line");
        assert_eq!(p.underlined(text), Some("\"no closing quote"));
        assert_eq!(
            p.help.as_deref(),
            Some("add the closing `\"` at the end of line 3; a string may span lines, so it ran on to the next `\"`")
        );
        let related = p.related.first().expect("the quote that closed it is shown");
        assert!(related.label.contains("the `cite` before it is read as text"), "{related:?}");
        // A string that spans lines on purpose, followed by a real mistake, is not blamed.
        let p = first("rule r { deny c for m because \"two\nlines\" cote \"x\" }");
        assert_eq!(p.message, "expected `cite` or `}`, found `cote`");
    }
}
