//! Which characters a text may hold, and how messages name them: one definition for the
//! campaign loader, the policy parser's messages and the JSON Schema that editors check
//! campaigns with, so they cannot drift apart.

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};

/// A character that shows as nothing: white space, Unicode's default-ignorable code points
/// (zero-width characters, fillers, variation selectors, tags), format characters, and the
/// blank Braille pattern. The properties come from ICU's Unicode data rather than a hand-kept
/// list, which a red team had already found gaps in (U+3164, U+00AD, U+2800).
pub(crate) fn is_blank_char(c: char) -> bool {
    c.is_whitespace()
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
        || c == '\u{2800}'
}

/// A combining mark (an accent written after its letter, `e` + U+0301 for `é`): shown as part
/// of the character before it, so a message names the two together.
pub(crate) fn is_mark(c: char) -> bool {
    GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Empty, or only characters that show as nothing ([`is_blank_char`]).
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(is_blank_char)
}

/// Where `word` first stands in `text` as a whole value of a policy list (`DK` in `[SE, DK]`,
/// not the `dk` of `dkk`): the byte offset of the first match with no name character
/// (letter, digit, `_`, `.`, `-`) on either side.
pub(crate) fn find_value(text: &str, word: &str) -> Option<usize> {
    let name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text.get(..i).unwrap_or("");
        let after = text.get(i + word.len()..).unwrap_or("");
        !before.ends_with(name) && !after.starts_with(name)
    })
}

/// A character that makes tools show a file otherwise than lagom reads it: the line and
/// paragraph separators and next-line (line breaks to some editors and YAML 1.1, not to YAML
/// 1.2) and the bidirectional embedding, override and isolate controls.
pub(crate) fn is_misleading(c: char) -> bool {
    is_line_separator(c) || crate::source::is_bidi_control(c)
}

/// The line and paragraph separators and next-line (U+2028, U+2029, U+0085): line breaks to
/// some editors and YAML 1.1, not to YAML 1.2 nor to lagom's policy grammar.
pub(crate) fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A character that a reader cannot see in a name or a duration: one that shows as nothing
/// ([`is_blank_char`]) or that reports mask ([`crate::source::is_hidden`]), other than the plain
/// space, which shows between backticks.
pub(crate) fn is_unseen(c: char) -> bool {
    c != ' ' && (is_blank_char(c) || crate::source::is_hidden(c))
}

/// [`is_unseen`], and printed as it is: reports write what [`crate::source::is_hidden`] holds
/// and line breaks as escapes (`\u{7}`, `\n`), which a reader does see.
pub(crate) fn is_unseen_in_reports(c: char) -> bool {
    is_unseen(c) && !crate::source::is_hidden(c) && !matches!(c, '\n' | '\r')
}

/// A character in words with its code point, as a message names it: `a non-breaking space
/// (U+00A0)`. Text pasted from a word processor, a spreadsheet or a web page brings these along,
/// and the message that shows the text around them would otherwise look right.
pub(crate) fn describe(c: char) -> String {
    let name = match c {
        '\t' => "a tab",
        '\n' | '\r' => "a line break",
        '\u{a0}' => "a non-breaking space",
        '\u{202f}' => "a narrow non-breaking space",
        '\u{2007}' => "a figure space",
        '\u{2009}' => "a thin space",
        '\u{200b}' => "a zero-width space",
        '\u{200c}' => "a zero-width non-joiner",
        '\u{200d}' => "a zero-width joiner",
        '\u{200e}' => "a left-to-right mark",
        '\u{200f}' => "a right-to-left mark",
        '\u{2060}' => "a word joiner",
        '\u{feff}' => "a byte order mark",
        '\u{ad}' => "a soft hyphen",
        c if c.is_control() => "a control character",
        c if c.is_whitespace() => "an unusual space",
        _ => "an invisible character",
    };
    format!("{name} (U+{:04X})", u32::from(c))
}

/// The characters of the Basic Multilingual Plane for which `test` holds, as a regular
/// expression class body (`\u0009-\u000d\u0020…`). Only the BMP: a `\uXXXX` escape means the
/// same in ECMA-262 (with or without the `u` flag), Python and Java, while characters beyond
/// it have no escape all of them read.
pub(crate) fn bmp_class(test: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut run: Option<(u32, u32)> = None;
    let close = |run: Option<(u32, u32)>, out: &mut String| match run {
        Some((a, b)) if a == b => out.push_str(&format!("\\u{a:04x}")),
        Some((a, b)) => out.push_str(&format!("\\u{a:04x}-\\u{b:04x}")),
        None => {}
    };
    // Surrogates are not characters; `char::from_u32` skips them.
    for code in 0..=0xffff_u32 {
        match (char::from_u32(code).is_some_and(&test), run) {
            (true, Some((a, b))) if b + 1 == code => run = Some((a, code)),
            (true, _) => {
                close(run, &mut out);
                run = Some((code, code));
            }
            (false, _) => {
                close(run, &mut out);
                run = None;
            }
        }
    }
    close(run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a message calls a character a reader cannot see.
    #[test]
    fn unseen_characters_are_named_with_their_code_point() {
        assert_eq!(describe('\u{a0}'), "a non-breaking space (U+00A0)");
        assert_eq!(describe('\u{200b}'), "a zero-width space (U+200B)");
        assert_eq!(describe('\t'), "a tab (U+0009)");
        assert_eq!(describe('\u{3000}'), "an unusual space (U+3000)");
        assert_eq!(describe('\u{3164}'), "an invisible character (U+3164)");
        assert_eq!(describe('\u{1}'), "a control character (U+0001)");
        for c in ['\u{a0}', '\u{200b}', '\t', '\u{feff}', '\u{1}', '\u{2028}'] {
            assert!(is_unseen(c), "{c:?}");
        }
        assert!(!is_unseen(' ') && !is_unseen('a') && !is_unseen('\u{e9}'));
        // Reports show these as escapes (`\u{1}`, `\n`).
        for c in ['\u{1}', '\u{2028}', '\n', '\r'] {
            assert!(!is_unseen_in_reports(c), "{c:?}");
        }
        assert!(is_unseen_in_reports('\u{a0}') && is_unseen_in_reports('\u{200b}') && is_unseen_in_reports('\t'));
    }

    #[test]
    fn the_class_lists_exactly_the_characters_that_pass() {
        assert_eq!(bmp_class(is_misleading), r"\u0085\u2028-\u202e\u2066-\u2069");
        let blank = bmp_class(is_blank_char);
        for c in ['\u{9}', ' ', '\u{ad}', '\u{3164}', '\u{2800}', '\u{feff}', '\u{200b}'] {
            assert!(is_blank_char(c), "{c:?}");
        }
        assert!(blank.starts_with(r"\u0009-\u000d\u0020"), "{blank}");
        assert!(blank.contains(r"\u00ad"), "{blank}");
        assert!(!is_blank_char('a') && !is_blank_char('\u{e9}'));
    }
}
