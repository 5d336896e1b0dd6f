//! The characters of a policy text as the grammar sees them around strings and comments: the
//! prescans that run before pest (the nesting limit, the cuts for parsing in pieces) must not
//! count a bracket, a `not` or a line start inside a string (which may span lines) or after a
//! `#`.

use std::str::CharIndices;

/// Every character of a text with its byte offset, except the contents of strings and
/// comments: an opening `"` or a `#` is given, then what follows up to the closing `"` or
/// the line break is left out. The line break that ends a comment is given.
pub(super) struct CodeChars<'a> {
    chars: CharIndices<'a>,
    skip: Skip,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Skip {
    Nothing,
    /// After a `"`: up to and including the closing `"` (a `\` escapes the next character).
    String,
    /// After a `#`: up to the line break, which is given.
    Comment,
}

pub(super) fn code_chars(text: &str) -> CodeChars<'_> {
    CodeChars { chars: text.char_indices(), skip: Skip::Nothing }
}

impl Iterator for CodeChars<'_> {
    type Item = (usize, char);

    fn next(&mut self) -> Option<(usize, char)> {
        match std::mem::replace(&mut self.skip, Skip::Nothing) {
            Skip::String => {
                let mut escaped = false;
                for (_, c) in self.chars.by_ref() {
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => {}
                    }
                }
            }
            Skip::Comment => return self.chars.by_ref().find(|&(_, c)| c == '\n'),
            Skip::Nothing => {}
        }
        let (i, c) = self.chars.next()?;
        self.skip = match c {
            '"' => Skip::String,
            '#' => Skip::Comment,
            _ => Skip::Nothing,
        };
        Some((i, c))
    }
}

#[cfg(test)]
mod tests {
    use super::code_chars;

    fn code(text: &str) -> String {
        code_chars(text).map(|(_, c)| c).collect()
    }

    #[test]
    fn strings_and_comments_are_left_out() {
        assert_eq!(code("a \"b # (\\\" c\" d # e \" {\nf"), "a \" d #\nf");
        assert_eq!(code("x \"never closed\n{"), "x \"");
        assert_eq!(code("# only a comment"), "#");
        let offsets: Vec<usize> = code_chars("\"é\"\nrule").map(|(i, _)| i).collect();
        assert_eq!(offsets, [0, 4, 5, 6, 7, 8]);
    }
}
