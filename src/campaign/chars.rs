//! Which characters a campaign's text may hold: one definition for the loader and for the
//! JSON Schema that editors check campaigns with, so the two cannot drift apart.

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
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

/// Empty, or only characters that show as nothing ([`is_blank_char`]).
pub(crate) fn is_blank(text: &str) -> bool {
    text.chars().all(is_blank_char)
}

/// A character that makes tools show a file otherwise than lagom reads it: the line and
/// paragraph separators and next-line (line breaks to some editors and YAML 1.1, not to YAML
/// 1.2) and the bidirectional embedding, override and isolate controls.
pub(crate) fn is_misleading(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
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
