//! Text saved as UTF-16 instead of UTF-8: a NUL byte every other byte, the way ASCII text
//! looks in UTF-16. Without a byte-order mark such text is valid UTF-8 full of NULs, which the
//! parser would call a control character; with one it is not UTF-8 at all. Either way the fix
//! is to save the file as UTF-8, and the file is named rather than shown: every other
//! character of its snippet would be a `?`.

use crate::diagnostic::{Code, Problem};
use crate::source::SourceFile;

/// How many characters are looked at: enough to tell UTF-16 from a stray NUL.
const SAMPLE_PAIRS: usize = 256;

/// A problem naming `source` when its text looks like UTF-16: as read (no byte-order mark), or
/// as shown with the bytes that are not UTF-8 replaced (a byte-order mark shows as `��`).
pub fn utf16_problem(source: &SourceFile) -> Option<Problem> {
    if !looks_like_utf16(&source.text) {
        return None;
    }
    let name = match source.name.as_str() {
        "-" => "standard input".to_string(),
        shown => format!("`{shown}`"),
    };
    Some(
        Problem::in_file(Code::Yaml, source.name.clone(), format!("{name} looks like UTF-16 text, not UTF-8"))
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

    #[test]
    fn the_problem_names_the_file_and_says_to_save_it_as_utf8() {
        let p = utf16_problem(&SourceFile::new("c.yaml", utf16("campaign: a\n", true, false))).unwrap();
        assert_eq!(p.message, "`c.yaml` looks like UTF-16 text, not UTF-8");
        assert_eq!(p.place, crate::diagnostic::Place::File("c.yaml".into()));
        assert!(p.help.as_deref().is_some_and(|h| h.starts_with("save the file as UTF-8")));
        assert!(utf16_problem(&SourceFile::new("c.yaml", "campaign: a\n")).is_none());
    }
}
