//! Bidirectional controls in policy text. The grammar allows any character in strings and
//! comments, and a control that reorders how a line is shown there (`"admin\u{202e}"` reads
//! on screen as something else than lagom reads) lets a policy under review say one thing and do
//! another: the attack rustc refuses in literals and comments, and the campaign reader refuses
//! in values. Refused here, in the syntax stage, for every command that reads policy text.

use super::parser::MAX_SYNTAX_ERRORS;
use crate::diagnostic::{Code, Problem};
use crate::source::{is_bidi_control, FileId, Span};

/// A problem at every bidirectional control of `text` (the first [`MAX_SYNTAX_ERRORS`]).
pub(super) fn controls(file: FileId, text: &str) -> Vec<Problem> {
    // Every such control is three bytes in UTF-8 starting 0xE2; most policies have none.
    if !text.as_bytes().contains(&0xe2) {
        return Vec::new();
    }
    text.char_indices()
        .filter(|(_, c)| is_bidi_control(*c))
        .take(MAX_SYNTAX_ERRORS)
        .map(|(i, c)| {
            Problem::at(
                Code::Syntax,
                Span { file, start: i, end: i + c.len_utf8() },
                format!("a bidirectional control character (U+{:04X}) in policy text", u32::from(c)),
                "reorders how this line is shown",
            )
            .with_help(
                "remove it: it makes the line read on screen otherwise than lagom reads it; \
                 right-to-left text needs no control characters",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse_file;

    #[test]
    fn a_bidirectional_control_in_a_string_or_a_comment_is_refused() {
        let text = "rule r { allow c for p when labels.x == \"admin\u{202e}\" because \"x\" }\n# note \u{2066}\n";
        let problems = parse_file(FileId(0), text).unwrap_err();
        let found: Vec<(&str, usize)> = problems
            .iter()
            .map(|p| match p.place {
                crate::diagnostic::Place::Span(s) => (p.message.as_str(), s.start),
                _ => (p.message.as_str(), 0),
            })
            .collect();
        let at = |c: char| text.find(c).unwrap();
        assert_eq!(
            found,
            [
                ("a bidirectional control character (U+202E) in policy text", at('\u{202e}')),
                ("a bidirectional control character (U+2066) in policy text", at('\u{2066}')),
            ]
        );
        // Right-to-left letters themselves are text like any other.
        assert!(parse_file(FileId(0), "category c \"שלום\"\n").is_ok());
    }
}
