//! Characters in policy text that a reviewer cannot see. The grammar allows any character in
//! strings and comments, and there some would let a policy under review say one thing and do
//! another: a bidirectional control reorders how a line is shown (`"admin\u{202e}"` reads on
//! screen as something else than lagom reads; the attack rustc refuses in literals and comments,
//! and the campaign reader refuses in values), an escape sequence rewrites the reviewer's
//! terminal, and a NUL lets one file hold the bytes of several, so that two policies that
//! decide differently share one `policy.digest` (spec 4.1 separates files by NUL), and a line
//! or paragraph separator (U+2028, U+2029, U+0085) is a line break to some editors and viewers
//! but not to lagom, so a comment before one hides the rule a reviewer sees after it. Refused
//! here, in the syntax stage, for every command that reads policy text.

use super::parser::MAX_SYNTAX_ERRORS;
use crate::diagnostic::{Code, Problem};
use crate::source::{is_bidi_control, FileId, Span};

/// What kind of character hides what a line says.
#[derive(Clone, Copy)]
enum Hidden {
    /// U+0000, the separator of the policy digest.
    Nul,
    /// Another control character than tab and the line breaks (an escape, a backspace, a C1
    /// control).
    Control,
    /// A line break to some tools but not to lagom: U+0085, U+2028, U+2029.
    LineBreak,
    /// A bidirectional embedding, override or isolate.
    Bidi,
}

impl Hidden {
    fn of(c: char) -> Option<Self> {
        match c {
            '\0' => Some(Self::Nul),
            '\t' | '\n' | '\r' => None,
            c if crate::chars::is_line_separator(c) => Some(Self::LineBreak),
            c if c.is_control() => Some(Self::Control),
            c if is_bidi_control(c) => Some(Self::Bidi),
            _ => None,
        }
    }

    fn problem(self, span: Span, c: char) -> Problem {
        let code = u32::from(c);
        let (message, label, help) = match self {
            Self::Nul => (
                "a control character (U+0000) in policy text".to_owned(),
                "not shown on screen",
                "remove it: policy files are text, and a NUL would let one file hold the bytes of \
                 several, so that two different policies could share one `policy.digest`",
            ),
            Self::Control => (
                format!("a control character (U+{code:04X}) in policy text"),
                "not shown on screen",
                "remove it: it is not shown, or rewrites the terminal it is shown in, so the line \
                 reads on screen otherwise than lagom reads it",
            ),
            Self::LineBreak => (
                format!("a line separator (U+{code:04X}) in policy text"),
                "a line break to some editors, not to lagom",
                "replace it with a plain line break: editors and viewers that start a new line here \
                 show what follows it as code, while lagom reads it as part of this line (after a \
                 `#`, as part of the comment)",
            ),
            Self::Bidi => (
                format!("a bidirectional control character (U+{code:04X}) in policy text"),
                "reorders how this line is shown",
                "remove it: it makes the line read on screen otherwise than lagom reads it; \
                 right-to-left text needs no control characters",
            ),
        };
        Problem::at(Code::Syntax, span, message, label).with_help(help)
    }
}

/// A problem at every hidden character of `text` (the first [`MAX_SYNTAX_ERRORS`]).
pub(super) fn characters(file: FileId, text: &str) -> Vec<Problem> {
    // Bidirectional controls and the two separators are three bytes in UTF-8 starting 0xE2,
    // the C1 controls (U+0085 among them) two starting 0xC2, the others ASCII controls; most
    // policies have none, and this scan of the bytes is vectorised.
    let suspect = |b: &u8| matches!(b, 0xe2 | 0xc2) || (b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r'));
    if !text.as_bytes().iter().any(suspect) {
        return Vec::new();
    }
    text.char_indices()
        .filter_map(|(i, c)| Hidden::of(c).map(|kind| kind.problem(Span { file, start: i, end: i + c.len_utf8() }, c)))
        .take(MAX_SYNTAX_ERRORS)
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

    /// A NUL would let one file hold a two-file policy's digest input; an escape would
    /// rewrite the reviewer's terminal. Tabs, line breaks and CRLF stay text.
    #[test]
    fn a_nul_or_an_escape_is_refused_and_tabs_and_line_breaks_are_not() {
        let text = "category c\n# a\0b.policy\0\nrule r { allow c for p because \"x\u{1b}[2K\" }\n";
        let problems = parse_file(FileId(0), text).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a control character (U+0000) in policy text",
                "a control character (U+0000) in policy text",
                "a control character (U+001B) in policy text"
            ]
        );
        assert!(parse_file(FileId(0), "category c\t# tab\r\npurpose p\r\n").is_ok());
    }

    /// A comment that ends, to an editor, at a line separator would hide the rule after it
    /// from lagom while a reviewer sees it.
    #[test]
    fn line_separators_and_c1_controls_are_refused() {
        for (c, message) in [
            ('\u{2028}', "a line separator (U+2028) in policy text"),
            ('\u{2029}', "a line separator (U+2029) in policy text"),
            ('\u{85}', "a line separator (U+0085) in policy text"),
            ('\u{9b}', "a control character (U+009B) in policy text"),
        ] {
            let text = format!("category c\n# note{c}rule r {{ deny c for p because \"x\" }}\n");
            let problems = parse_file(FileId(0), &text).unwrap_err();
            let found: Vec<(&str, Option<usize>)> = problems
                .iter()
                .map(|p| match p.place {
                    crate::diagnostic::Place::Span(s) => (p.message.as_str(), Some(s.start)),
                    _ => (p.message.as_str(), None),
                })
                .collect();
            assert_eq!(found, [(message, text.find(c))]);
        }
        // Latin-1 letters and signs share the lead byte 0xC2 and are text.
        assert!(parse_file(FileId(0), "category c \"19 \u{a7} \u{ab}x\u{bb}\u{a0}\"\n").is_ok());
    }
}
