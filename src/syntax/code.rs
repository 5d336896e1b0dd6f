//! The characters of a policy text as the grammar sees them around strings and comments: the
//! nesting limit, checked before the recursive parsers run, and the formatter's comment scan
//! must not count a bracket, a `not` or a `#` inside a string (which may span lines) or after a
//! `#`.

use std::ops::ControlFlow;

/// Calls `visit` with every character of a text and its byte offset, except the contents of
/// strings and comments: an opening `"` or a `#` is given, then what follows up to the closing
/// `"` or the line break is left out. The line break that ends a comment is given. `visit`
/// stops the scan by returning `ControlFlow::Break`.
///
/// A callback rather than an iterator, so that each prescan compiles to one loop over the
/// bytes (an iterator's `next` was not inlined and cost 40 instructions a character); strings
/// and comments, a third of a large policy, are skipped with `memchr`. The bytes searched for
/// are ASCII, which never occur inside a multi-byte character, so every offset given is a
/// character boundary.
pub(crate) fn scan_code(text: &str, mut visit: impl FnMut(usize, char) -> ControlFlow<()>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let c = if byte.is_ascii() {
            char::from(byte)
        } else {
            match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => c,
                None => return,
            }
        };
        if visit(i, c).is_break() {
            return;
        }
        i += c.len_utf8();
        match c {
            '"' => i = string_end(bytes, i),
            '#' => match bytes.get(i..).and_then(|rest| memchr::memchr2(b'\n', b'\r', rest)) {
                // The line break is given on the next turn.
                Some(n) => i += n,
                None => return,
            },
            _ => {}
        }
    }
}

/// The offset just past the string whose contents start at `from`, or the end of the text.
pub(super) fn string_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(found) = bytes.get(from..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
        let at = from + found;
        if bytes.get(at) == Some(&b'"') {
            return at + 1;
        }
        // A `\` and the character after it; landing inside a multi-byte character is harmless,
        // as the search only stops at ASCII bytes.
        from = at + 2;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_chars(text: &str) -> Vec<(usize, char)> {
        let mut out = Vec::new();
        scan_code(text, |i, c| {
            out.push((i, c));
            ControlFlow::Continue(())
        });
        out
    }

    fn code(text: &str) -> String {
        code_chars(text).into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn strings_and_comments_are_left_out() {
        assert_eq!(code("a \"b # (\\\" c\" d # e \" {\nf"), "a \" d #\nf");
        assert_eq!(code("x \"never closed\n{"), "x \"");
        assert_eq!(code("# only a comment"), "#");
        let offsets: Vec<usize> = code_chars("\"é\"\nrule").into_iter().map(|(i, _)| i).collect();
        assert_eq!(offsets, [0, 4, 5, 6, 7, 8]);
    }
}
