//! A tab in the indentation of a line that the parser did not stop at: after some spaces a
//! tab can pass for indentation, and the parser then gives up lines later (`did not find
//! expected key`) or after the tab, or at the start of a plain value the tab's line goes on.
//! The tab is found in the lines around the parser's place, so that the error is shown there.

/// Most lines with content looked at around a parser's place for the tab that indents one.
const MAX_LINES: usize = 16;

/// Most lines a plain value runs over that are looked at for the tab that indents one.
const MAX_VALUE_LINES: usize = 256;

/// How a line starts: the spaces it starts with, the tab after them if its leading white
/// space holds one, and whether something other than a comment follows that white space.
struct Indent {
    spaces: usize,
    tab: Option<usize>,
    content: bool,
}

fn indent(line: &str) -> Indent {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim_start_matches([' ', '\t']);
    let tab = line.get(spaces..).filter(|after| after.starts_with('\t')).map(|_| spaces);
    Indent { spaces, tab, content: !rest.is_empty() && !rest.starts_with('#') }
}

/// The start and end (before its line break) of the line of byte `at`.
fn line_around(text: &str, at: usize) -> Option<(usize, usize)> {
    let start = text.get(..at)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text.get(at..)?.find(['\n', '\r']).map_or(text.len(), |i| at + i);
    Some((start, end))
}

/// The byte of the tab that indents a line of the block the parser stopped in at byte `at`:
/// its own line, and the lines before it back to the first one indented less (the line that
/// opens the block), at most [`MAX_LINES`]. Only a tab after no more spaces than the stopping
/// line starts with counts, so that a tab inside a block of text indented deeper does not;
/// of several, the first one.
pub(super) fn indenting(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.len());
    let (mut start, mut end) = line_around(text, at)?;
    let floor = indent(text.get(start..end)?).spaces;
    let (mut found, mut seen) = (None, 0);
    loop {
        let line = indent(text.get(start..end)?);
        if line.content {
            seen += 1;
            if let Some(tab) = line.tab.filter(|_| line.spaces <= floor) {
                found = Some(start + tab);
            }
            if line.spaces < floor || seen >= MAX_LINES {
                break;
            }
        }
        if start == 0 {
            break;
        }
        // The line break before the line is one byte (`\r\n` is read as a `\r` line, blank).
        end = start - 1;
        start = text.get(..end)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    }
    found
}

/// The byte of the tab that indents a line of the plain value that starts at byte `at`: the
/// parser reports such a tab at the value's start. The first line after it, of at most
/// [`MAX_VALUE_LINES`], whose leading white space holds a tab no deeper than the value's
/// key (or `- `) starts.
pub(super) fn continuing(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.len());
    let (start, end) = line_around(text, at)?;
    let line = text.get(start..end)?;
    let column = line.len() - line.trim_start_matches([' ', '-']).len();
    let mut offset = end;
    for line in text.get(end..)?.split_inclusive(['\n', '\r']).take(MAX_VALUE_LINES) {
        let found = indent(line.trim_end_matches(['\n', '\r']));
        if let Some(tab) = found.tab.filter(|&tab| found.content && tab <= column) {
            return Some(offset + tab);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{continuing, indenting};

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or(usize::MAX)
    }

    #[test]
    fn a_tab_after_spaces_is_found_back_to_the_line_that_opens_the_block() {
        for (text, stop) in [
            ("audience:\n  \tregions: [SE]\n  min_age: 18\n", "min_age"),
            ("data:\n  \t- category: contact.email\n    retention: 24 months\n", "retention"),
            ("audience:\r\n  \tregions: [SE]\r\n\r\n  # note\r\n  min_age: 18\r\n", "min_age"),
        ] {
            assert_eq!(indenting(text, at(text, stop)), Some(at(text, "\t")), "{text:?}");
        }
    }

    #[test]
    fn a_tab_in_a_value_a_deeper_block_or_before_the_block_is_not_taken() {
        for (text, stop) in [
            ("a: \"x\ty\"\nb: [\n", "b:"),
            ("a: x\t# c\n  b: 1\n", "b:"),
            ("text: |\n  one\n  \ttwo\nbad: [\n", "bad"),
            ("\tx: 1\naudience:\n  regions: [SE]\n  min_age: 18\n", "min_age"),
        ] {
            assert_eq!(indenting(text, at(text, stop)), None, "{text:?}");
        }
    }

    #[test]
    fn a_tab_indenting_a_line_of_a_plain_value_is_found_below_its_start() {
        let text = "name: hello\n  there\n\tworld\n";
        assert_eq!(continuing(text, at(text, "hello")), Some(at(text, "\t")));
        let text = "name: hello\n \tthere\n\tworld\n";
        assert_eq!(continuing(text, at(text, "hello")), Some(at(text, "\tworld")));
        assert_eq!(continuing("name: hello\tthere\n", 6), None);
    }
}
