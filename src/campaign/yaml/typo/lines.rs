//! Lines of a campaign file as an author sees them: indentation, `- ` markers, a key and its
//! value. Only the layout is read here, never the meaning: these are guesses to word a
//! message, made after the parser has already said the text is not YAML.

/// One line of the text, without its line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Line<'t> {
    /// Byte offset of its first character.
    pub(super) start: usize,
    /// The line, without `\n` or `\r\n`.
    pub(super) text: &'t str,
}

impl<'t> Line<'t> {
    /// The line that holds byte `offset` (the last line for an offset at the end).
    pub(super) fn at(text: &'t str, offset: usize) -> Line<'t> {
        let offset = offset.min(text.len());
        let start = text.get(..offset).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        Line::starting(text, start)
    }

    fn starting(text: &'t str, start: usize) -> Line<'t> {
        let rest = text.get(start..).unwrap_or_default();
        let line = rest.split('\n').next().unwrap_or_default();
        Line { start, text: line.strip_suffix('\r').unwrap_or(line) }
    }

    /// The line before this one, if any.
    fn previous(&self, text: &'t str) -> Option<Line<'t>> {
        let end = self.start.checked_sub(1)?;
        Some(Line::at(text, end))
    }

    /// The line after this one, if any.
    fn next(&self, text: &'t str) -> Option<Line<'t>> {
        let start = self.start + self.text.len();
        let rest = text.get(start..)?;
        let newline = rest.find('\n')?;
        Some(Line::starting(text, start + newline + 1))
    }

    /// The lines above this one that hold something (not blank, not only a comment), nearest
    /// first.
    pub(super) fn content_above(self, text: &'t str) -> impl Iterator<Item = Line<'t>> {
        std::iter::successors(self.previous(text), move |l| l.previous(text)).filter(|l| l.has_content())
    }

    /// The next line below this one that holds something.
    pub(super) fn content_below(self, text: &'t str) -> Option<Line<'t>> {
        std::iter::successors(self.next(text), move |l| l.next(text)).find(Line::has_content)
    }

    /// Whether the line holds more than spaces and a comment.
    pub(super) fn has_content(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty() && !t.starts_with('#')
    }

    /// Spaces before the first character.
    pub(super) fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    /// Where the key of the line starts, as a column (0-based, in bytes): after the indentation
    /// and any `- ` item markers.
    pub(super) fn key_column(&self) -> usize {
        let mut column = self.indent();
        while let Some(rest) = self.text.get(column..) {
            let Some(after) = rest.strip_prefix('-').filter(|a| a.starts_with(' ')) else { break };
            column += 1 + after.len() - after.trim_start_matches(' ').len();
        }
        column
    }

    /// Whether the line starts with a `- ` item marker.
    pub(super) fn is_item(&self) -> bool {
        let t = self.text.trim_start_matches(' ');
        t == "-" || t.starts_with("- ")
    }

    /// The text from the key on, without a trailing comment or spaces.
    pub(super) fn entry(&self) -> &'t str {
        without_comment(self.text.get(self.key_column()..).unwrap_or_default())
    }

    /// Byte offset of the entry's first character.
    pub(super) fn entry_start(&self) -> usize {
        self.start + self.key_column()
    }

    /// The key and value of a `key: value` line (the value may be empty), split at the first
    /// colon that a space or the line's end follows.
    pub(super) fn key_value(&self) -> Option<(&'t str, &'t str)> {
        split_key(self.entry())
    }
}

/// `key: value` split at the first colon followed by a space or the end; the value trimmed.
pub(super) fn split_key(entry: &str) -> Option<(&str, &str)> {
    let colon = mapping_colon(entry)?;
    let key = entry.get(..colon)?;
    let value = entry.get(colon + 1..)?.trim();
    Some((key, value))
}

/// Where the first colon that makes a key is: one a space or the end follows.
pub(super) fn mapping_colon(entry: &str) -> Option<usize> {
    entry
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| entry.get(i + 1..).is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t'])))
}

/// Text without a trailing ` # comment` and trailing spaces. A `#` counts only after a space,
/// as in YAML; one inside quotes is not told apart (a guess for a message, not a parse).
pub(super) fn without_comment(text: &str) -> &str {
    let end = text
        .match_indices('#')
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text.get(..i).is_some_and(|b| b.ends_with([' ', '\t'])));
    text.get(..end.unwrap_or(text.len())).unwrap_or(text).trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_knows_its_indentation_key_and_neighbours() {
        let text = "data:\n  - category: contact.email # note\n\n  # comment\n    retention: 24 months\r\n";
        let retention = Line::at(text, text.find("retention").unwrap());
        assert_eq!((retention.indent(), retention.key_column()), (4, 4));
        assert_eq!(retention.key_value(), Some(("retention", "24 months")));
        let item = retention.content_above(text).next().unwrap();
        assert!(item.is_item());
        assert_eq!((item.key_column(), item.entry()), (4, "category: contact.email"));
        assert_eq!(item.content_below(text), Some(retention));
        assert_eq!(retention.content_below(text), None);
        assert_eq!(Line::at(text, 0).content_above(text).next(), None);
    }

    #[test]
    fn a_key_ends_at_a_colon_that_a_space_follows() {
        assert_eq!(split_key("access: https://x.example"), Some(("access", "https://x.example")));
        assert_eq!(split_key("basis:consent"), None);
        assert_eq!(split_key("data:"), Some(("data", "")));
        assert_eq!(without_comment("a: b#c # d"), "a: b#c");
    }
}
