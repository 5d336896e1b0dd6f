//! Text saved as UTF-16 or UTF-32 instead of UTF-8: a NUL byte every other byte (or three
//! bytes in four), the way ASCII text looks in those encodings. Without a byte-order mark such
//! text is valid UTF-8 full of NULs, which the parser would call a control character; with one
//! it is not UTF-8 at all. Either way the fix is to save the file as UTF-8, and the file is
//! named rather than shown: most characters of its snippet would be a `?`.

use crate::diagnostic::{Code, Problem};
use crate::source::SourceFile;

/// How many characters are looked at, in pairs (UTF-16) or fours (UTF-32): enough to tell
/// those encodings from a stray NUL.
const SAMPLE_PAIRS: usize = 256;

/// A problem naming `source` when its text looks like UTF-16 or UTF-32: as read (no
/// byte-order mark), or as shown with the bytes that are not UTF-8 replaced (a byte-order mark
/// shows as `��`, with two NULs for UTF-32).
pub fn wide_encoding_problem(source: &SourceFile) -> Option<Problem> {
    // UTF-32 first: its little-endian byte-order mark starts as UTF-16's does.
    let encoding = if looks_like_utf32(&source.text) {
        "UTF-32"
    } else if looks_like_utf16(&source.text) {
        "UTF-16"
    } else {
        return None;
    };
    let name = match source.name.as_str() {
        "-" => "standard input".to_string(),
        shown => format!("`{shown}`"),
    };
    Some(
        Problem::in_file(Code::Yaml, source.name.clone(), format!("{name} looks like {encoding} text, not UTF-8"))
            .with_help("save the file as UTF-8 (most editors offer the encoding when saving as a new file)"),
    )
}

/// Whether most pairs of characters are a character and a NUL (UTF-16LE) or a NUL and a
/// character (UTF-16BE), after a byte-order mark shown as two `\u{FFFD}`.
fn looks_like_utf16(text: &str) -> bool {
    if memchr::memchr(0, text.as_bytes()).is_none() {
        return false;
    }
    let text = text.strip_prefix("\u{FFFD}\u{FFFD}").unwrap_or(text);
    let mut chars = text.chars().take(2 * SAMPLE_PAIRS);
    let (mut pairs, mut little, mut big) = (0, 0, 0);
    while let (Some(a), Some(b)) = (chars.next(), chars.next()) {
        pairs += 1;
        little += usize::from(a != '\0' && b == '\0');
        big += usize::from(a == '\0' && b != '\0');
    }
    pairs > 0 && 4 * little.max(big) >= 3 * pairs
}

/// Whether most fours of characters are a character and three NULs (UTF-32LE) or three NULs
/// and a character (UTF-32BE), after a byte-order mark (`FF FE 00 00`, `00 00 FE FF`) shown
/// with each byte that is not UTF-8 as a `\u{FFFD}`. A character beyond U+00FF has a second
/// byte that is not NUL; the text a campaign or policy holds is mostly ASCII.
fn looks_like_utf32(text: &str) -> bool {
    if !text.contains("\0\0\0") {
        return false;
    }
    let text = ["\u{FFFD}\u{FFFD}\0\0", "\0\0\u{FFFD}\u{FFFD}"]
        .iter()
        .find_map(|mark| text.strip_prefix(mark))
        .unwrap_or(text);
    let mut chars = text.chars().take(4 * SAMPLE_PAIRS);
    let (mut fours, mut little, mut big) = (0, 0, 0);
    while let (Some(a), Some(b), Some(c), Some(d)) = (chars.next(), chars.next(), chars.next(), chars.next()) {
        fours += 1;
        little += usize::from(a != '\0' && [b, c, d] == ['\0'; 3]);
        big += usize::from([a, b, c] == ['\0'; 3] && d != '\0');
    }
    fours > 0 && 4 * little.max(big) >= 3 * fours
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool, bom: bool) -> String {
        let mut bytes: Vec<u8> = Vec::new();
        if bom {
            bytes.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            bytes.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn utf16_is_told_from_a_stray_nul() {
        let text = "campaign: nordhem-månadsbrev\npurpose: marketing.newsletter\n";
        for (little, bom) in [(true, false), (false, false), (true, true), (false, true)] {
            assert!(looks_like_utf16(&utf16(text, little, bom)), "little endian {little}, mark {bom}");
        }
        assert!(!looks_like_utf16(text));
        assert!(!looks_like_utf16("campaign: a\0b\n"));
        assert!(!looks_like_utf16(""));
    }

    fn utf32(text: &str, little: bool, bom: bool) -> String {
        let bytes: Vec<u8> = (bom.then_some('\u{feff}').into_iter().chain(text.chars()))
            .flat_map(|c| if little { u32::from(c).to_le_bytes() } else { u32::from(c).to_be_bytes() })
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// UTF-32 text was "not UTF-8 text" with a snippet of `?`s and `�`s, while UTF-16 was named.
    #[test]
    fn utf32_is_told_from_utf16_and_a_stray_nul() {
        let text = "campaign: nordhem-månadsbrev\npurpose: marketing.newsletter\n";
        for (little, bom) in [(true, false), (false, false), (true, true), (false, true)] {
            let wide = utf32(text, little, bom);
            assert!(looks_like_utf32(&wide), "little endian {little}, mark {bom}");
            let p = wide_encoding_problem(&SourceFile::new("c.yaml", wide)).unwrap();
            assert_eq!(p.message, "`c.yaml` looks like UTF-32 text, not UTF-8");
            assert!(!looks_like_utf32(&utf16(text, little, bom)), "little endian {little}, mark {bom}");
        }
        assert!(!looks_like_utf32(text));
        assert!(!looks_like_utf32("campaign: a\0\0\0b\n"));
        assert!(!looks_like_utf32(""));
    }

    #[test]
    fn the_problem_names_the_file_and_says_to_save_it_as_utf8() {
        let p = wide_encoding_problem(&SourceFile::new("c.yaml", utf16("campaign: a\n", true, false))).unwrap();
        assert_eq!(p.message, "`c.yaml` looks like UTF-16 text, not UTF-8");
        assert_eq!(p.place, crate::diagnostic::Place::File("c.yaml".into()));
        assert!(p.help.as_deref().is_some_and(|h| h.starts_with("save the file as UTF-8")));
        assert!(wide_encoding_problem(&SourceFile::new("c.yaml", "campaign: a\n")).is_none());
    }
}
