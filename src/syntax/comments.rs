//! Finding comments in policy text. The grammar skips comments, so the syntax tree never sees
//! them; the formatter finds them here, by position, and puts each back between the same tokens,
//! and the lint reads `# lagom: ignore …` comments from here.

/// One `#` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// The text from `#` to the end of the line, trailing whitespace removed.
    pub text: String,
    /// True when code precedes the comment on its line.
    pub trailing: bool,
}

/// Every comment of a text, in order. Knows strings (which may hold `#` and span lines).
pub fn scan(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut code_on_line = false;
    super::code::scan_code(text, |i, c| {
        match c {
            '#' => {
                let rest = text.get(i..).unwrap_or("");
                let comment = rest.find(['\n', '\r']).map_or(rest, |n| rest.get(..n).unwrap_or(rest));
                out.push(Comment { start: i, text: comment.trim_end().to_string(), trailing: code_on_line });
            }
            '\n' | '\r' => code_on_line = false,
            // The byte-order mark a file may start with is not code: a comment after it on the
            // first line stands on a line of its own.
            '\u{feff}' if i == 0 => {}
            c if c.is_whitespace() => {}
            _ => code_on_line = true,
        }
        std::ops::ControlFlow::Continue(())
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_after_a_byte_order_mark_is_on_a_line_of_its_own() {
        let found = scan("\u{feff}# lagom: ignore unused_set\nset a = [x]\n");
        assert_eq!(found.len(), 1);
        assert!(!found[0].trailing);
    }

    #[test]
    fn finds_comments_but_not_hashes_in_strings() {
        let text = "# top\nrule r { # trailing\n  because \"a # b\n c\" # after\n}\n#end";
        let found: Vec<(String, bool)> = scan(text).into_iter().map(|c| (c.text, c.trailing)).collect();
        assert_eq!(
            found,
            [
                ("# top".to_string(), false),
                ("# trailing".to_string(), true),
                ("# after".to_string(), true),
                ("#end".to_string(), false)
            ]
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_comment_and_its_line() {
        let found: Vec<(String, bool)> =
            scan("# a\rset s = [x] # b\r# c\r\n").into_iter().map(|c| (c.text, c.trailing)).collect();
        assert_eq!(found, [("# a".to_string(), false), ("# b".to_string(), true), ("# c".to_string(), false)]);
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        assert!(scan("cite \"x \\\" # y\"").is_empty());
    }
}
