//! Cutting a large policy text in front of top-level items, so that its pieces parse in
//! parallel.
//!
//! pest parses one text on one core: a policy kept in one 250 KB file spent two thirds of a
//! 28 ms `lagom check` in it while the other core waited. Every top-level item starts with one
//! of [`ITEM_KEYWORDS`], and none of the ways an item may go on (`version`, `,`, a string,
//! `under`, `{`, `.`) accepts one of them. So when the text is cut only at the start of a line
//! that begins with such a keyword, and every piece parses as a whole file, the pieces' items
//! are exactly the items of the whole text: nothing can join across a cut, because the byte
//! before it is a line break and each piece ended at its own end of input. The scan skips
//! strings, comments and brackets only to find cuts that are likely to parse; the guarantee
//! comes from the pieces parsing, and a piece that does not parse sends the caller back to
//! parsing the whole text, which also gives the error message its real context.

use std::ops::ControlFlow;

/// The keywords a top-level item starts with (`item` in the grammar).
const ITEM_KEYWORDS: [&[u8]; 7] = [b"policy", b"basis", b"channel", b"set", b"category", b"purpose", b"rule"];

/// Below this size a text is parsed whole: the pieces' overhead would cost more than it saves.
pub(super) const MIN_PIECE: usize = 16 * 1024;

/// Byte offsets at which to cut `text` into at most `count` pieces of at least [`MIN_PIECE`]
/// bytes, in increasing order (no cut at 0). Empty when the text is too small to cut.
pub(super) fn cuts(text: &str, count: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let count = count.min(bytes.len() / MIN_PIECE);
    let mut cuts = Vec::new();
    if count < 2 {
        return cuts;
    }
    let mut next_target = bytes.len() / count;
    let mut depth = 0usize;
    super::code::scan_code(text, |i, c| {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '\n' if depth == 0 && i + 1 >= next_target && starts_item(bytes.get(i + 1..).unwrap_or_default()) => {
                cuts.push(i + 1);
                if cuts.len() + 1 == count {
                    return ControlFlow::Break(());
                }
                next_target = bytes.len() / count * (cuts.len() + 1);
            }
            _ => {}
        }
        ControlFlow::Continue(())
    });
    cuts
}

/// Whether `rest` starts with an item keyword that is a whole word (`kw_*` in the grammar).
fn starts_item(rest: &[u8]) -> bool {
    ITEM_KEYWORDS.iter().any(|k| {
        rest.starts_with(k)
            && !rest.get(k.len()).is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(n: usize, body: &str) -> String {
        (0..n).map(|i| format!("rule r{i} {{\n  allow a for b\n  because \"{body}\"\n}}\n")).collect()
    }

    #[test]
    fn small_texts_are_not_cut() {
        assert!(cuts(&rules(10, "x"), 8).is_empty());
        assert!(cuts(&rules(2000, "x"), 1).is_empty());
    }

    #[test]
    fn cuts_fall_in_front_of_items_near_equal_shares() {
        let text = rules(4000, "some reason");
        let cuts = cuts(&text, 4);
        assert_eq!(cuts.len(), 3);
        for (k, &c) in cuts.iter().enumerate() {
            assert!(text[c..].starts_with("rule r"), "cut {c} is not in front of a rule");
            let share = text.len() * (k + 1) / 4;
            assert!(c >= share && c < share + 200, "cut {c} is far from {share}");
        }
    }

    #[test]
    fn no_cut_inside_strings_or_braces_and_comments_do_not_confuse_the_scan() {
        let text = format!(
            "{}category c {{\n{}}}\n# a \" quote and a {{ brace\n{}",
            rules(1500, "a\nrule fake { allow a for b }\n"),
            "rule inside_braces\n".repeat(3000),
            rules(1500, "y"),
        );
        let after_comment = text.find("# a").unwrap();
        let cuts = cuts(&text, 16);
        assert!(cuts.iter().any(|&c| c > after_comment), "no cut after the comment: {cuts:?}");
        for c in cuts {
            let before = &text[..c];
            assert_eq!(before.matches('{').count(), before.matches('}').count() + usize::from(c > after_comment));
            assert!(text[c..].starts_with("rule r"), "cut {c} is not in front of a rule");
        }
    }

    #[test]
    fn a_keyword_must_be_a_whole_word() {
        assert!(starts_item(b"rule x"));
        assert!(starts_item(b"set"));
        assert!(!starts_item(b"rules x"));
        assert!(!starts_item(b"rule-x"));
        assert!(!starts_item(b"settle"));
        assert!(!starts_item(b"  rule x"));
    }
}
