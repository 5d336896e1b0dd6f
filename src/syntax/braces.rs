//! The blocks of a policy text, read from their braces, for the syntax errors about them. pest
//! only says that a `}` was due, or was not; whether the block is left open, closed with
//! something inside it that does not belong there, or closed twice, is a different mistake
//! with a different fix, and the braces around the error tell them apart.

use std::ops::ControlFlow;

use super::code::scan_code;
use super::errors::line_number;
use crate::diagnostic::{Code, Place, Problem};
use crate::source::{FileId, Span};

/// A block whose `{` and `}` were both read.
struct Block {
    open: usize,
    close: usize,
}

/// The brackets read up to a position.
struct Brackets {
    /// The offsets of the brackets still open, innermost last.
    open: Vec<usize>,
    /// The block closed last.
    last_closed: Option<Block>,
}

/// The `open_char` brackets (`{` or `(`) read from `offset` up to `pos`, as pest read them.
fn brackets(text: &str, offset: usize, pos: usize, open_char: char, close_char: char) -> Brackets {
    let mut found = Brackets { open: Vec::new(), last_closed: None };
    scan_code(text.get(offset..).unwrap_or(""), |i, c| {
        if offset + i >= pos {
            return ControlFlow::Break(());
        }
        if c == open_char {
            found.open.push(offset + i);
        } else if c == close_char {
            if let Some(open) = found.open.pop() {
                found.last_closed = Some(Block { open, close: offset + i });
            }
        }
        ControlFlow::Continue(())
    });
    found
}

/// The innermost `open_char` bracket (`{` or `(`) still open at `pos`, reading from `offset`
/// as pest did.
pub(super) fn unclosed(text: &str, offset: usize, pos: usize, open_char: char, close_char: char) -> Option<usize> {
    brackets(text, offset, pos, open_char, close_char).open.pop()
}

/// Whether a `{` open at `pos` (which is outside strings and comments) is closed after it.
pub(super) fn closed_after(text: &str, pos: usize) -> bool {
    let mut depth = 1usize;
    scan_code(text.get(pos..).unwrap_or(""), |_, c| {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    depth == 0
}

/// The first `n` words of a line, for naming it in a help line.
pub(super) fn cut_words(line: &str, n: usize) -> String {
    let words: Vec<&str> = line.split_whitespace().take_while(|w| *w != "{").take(n).collect();
    words.join(" ")
}

/// How a block is named in a message: the words before its `{` (`category contact`), which
/// may stand on the line above it.
pub(super) fn block_name(text: &str, open: usize) -> String {
    let before = text.get(..open).unwrap_or("").trim_end();
    cut_words(before.rsplit(['\n', '\r', '{', '}']).next().unwrap_or(""), 6)
}

/// The kinds of block, by the keyword that opens them.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Category,
    Purpose,
    Rule,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        match name.split_whitespace().next()? {
            "category" => Some(Kind::Category),
            "purpose" => Some(Kind::Purpose),
            "rule" => Some(Kind::Rule),
            _ => None,
        }
    }

    /// What a block of this kind holds, as a help line says it.
    fn holds(self) -> &'static str {
        match self {
            Kind::Category => "a `category` block holds only `category NAME` children",
            Kind::Purpose => "a `purpose` block holds only `purpose NAME` children",
            Kind::Rule => "a rule's block holds its effect, then `when` or `unless`, `because` and `cite`",
        }
    }

    /// Whether a declaration that starts with `keyword` may stand in a block of this kind.
    fn holds_keyword(self, keyword: &str) -> bool {
        match self {
            Kind::Category => keyword == "category",
            Kind::Purpose => keyword == "purpose",
            Kind::Rule => false,
        }
    }
}

/// Whether `basis`, `purpose` or `category` at `pos` in a rule starts a test of that field
/// (`basis == consent`, after a test whose value was left out), not a declaration.
fn is_a_test(kind: Kind, text: &str, pos: usize, keyword: &str) -> bool {
    const TEST_WORDS: [&str; 8] = ["in", "not", "under", "is", "contains", "within", "overlaps", "matches"];
    let after = text.get(pos + keyword.len()..).unwrap_or("").trim_start();
    let next = after.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
    matches!(kind, Kind::Rule)
        && matches!(keyword, "basis" | "purpose" | "category")
        && (after.starts_with(['=', '!', '<', '>']) || TEST_WORDS.contains(&next))
}

/// A declaration starting with `keyword` at `pos`, where pest wanted the `}` of the block it
/// is in, and that block is closed after it: the declaration is in the wrong place, and the
/// block is not left open (which is what the same error means when no `}` follows).
pub(super) fn misplaced(file: FileId, text: &str, offset: usize, pos: usize, keyword: &str) -> Option<Problem> {
    let open = unclosed(text, offset, pos, '{', '}')?;
    let name = block_name(text, open);
    let kind = Kind::of(&name)?;
    if kind.holds_keyword(keyword) || !closed_after(text, pos) || is_a_test(kind, text, pos, keyword) {
        return None;
    }
    let declared = cut_words(text.get(pos..)?.split(['\n', '\r']).next()?, 2);
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: pos, end: pos + keyword.len() },
            format!("`{keyword}` cannot be declared inside the block of `{name}`"),
            "not allowed in this block",
        )
        .with_related(Place::Span(Span { file, start: open, end: open + 1 }), format!("the block of `{name}`"))
        .with_help(format!("{}: declare `{declared}` outside it, before or after the block", kind.holds())),
    )
}

/// A `}` at `pos` with no `{` open before it: a block closed too early, or one `}` too many.
pub(super) fn stray_close(file: FileId, text: &str, offset: usize, pos: usize) -> Option<Problem> {
    if !text.get(pos..)?.starts_with('}') {
        return None;
    }
    let read = brackets(text, offset, pos, '{', '}');
    if !read.open.is_empty() {
        return None;
    }
    let problem =
        Problem::at(Code::Syntax, Span { file, start: pos, end: pos + 1 }, "this `}` closes nothing", "closes nothing");
    let Some(Block { open, close }) = read.last_closed else {
        return Some(problem.with_help("remove it"));
    };
    let name = block_name(text, open);
    let line = line_number(text, close);
    // Declarations between the two braces may have been meant for the block, closed a line
    // too early: then the other `}` is the one to remove.
    let between = text.get(close + 1..pos).unwrap_or("").trim();
    let help = if between.is_empty() {
        format!("the block of `{name}` ended on line {line}: remove this `}}`")
    } else {
        format!(
            "the block of `{name}` ended on line {line}: remove this `}}`, or the one on line {line} if what is \
             between them belongs in the block"
        )
    };
    Some(
        problem
            .with_related(Place::Span(Span { file, start: close, end: close + 1 }), format!("`{name}` ends here"))
            .with_help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Problem;
    use crate::source::FileId;

    fn problems(text: &str) -> Vec<Problem> {
        crate::syntax::parse_file(FileId(0), text).unwrap_err()
    }

    #[test]
    fn a_declaration_in_a_closed_block_is_misplaced_not_unclosed() {
        for (text, message, help) in [
            (
                "category c\npurpose marketing { category newsletter }\n",
                "`category` cannot be declared inside the block of `purpose marketing`",
                "a `purpose` block holds only `purpose NAME` children: declare `category newsletter` outside it, \
                 before or after the block",
            ),
            (
                "category contact {\n  category email\n  rule r { allow * for * }\n}\npurpose m\n",
                "`rule` cannot be declared inside the block of `category contact`",
                "a `category` block holds only `category NAME` children: declare `rule r` outside it, before or \
                 after the block",
            ),
        ] {
            let found = problems(text);
            // One error: the block's `}` is not reported as closing nothing after it.
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].message, message);
            assert_eq!(found[0].help.as_deref(), Some(help));
            assert!(found[0].related.iter().all(|r| !r.label.contains("never closed")), "{found:?}");
        }
        // With no `}` after it, the block is the one left open.
        let found = problems("category contact {\n  category email\npurpose m {\n  purpose n\n}\n");
        assert_eq!(found[0].related.first().map(|r| r.label.as_str()), Some("this `{` is never closed"));
    }

    #[test]
    fn a_brace_that_closes_nothing_names_the_block_that_ended() {
        let text = "category contact {\n  category email\n}\n  category phone\n}\npurpose m\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "this `}` closes nothing");
        assert_eq!(found[0].underlined(text), Some("}"));
        // The second `}`, not the one that closed the block.
        assert!(matches!(found[0].place, crate::diagnostic::Place::Span(s) if Some(s.start) == text.rfind('}')));
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "the block of `category contact` ended on line 3: remove this `}`, or the one on line 3 if what is \
                 between them belongs in the block"
            )
        );
        let found = problems("category c\npurpose m\nrule r {\n  allow c for m\n}\n}\n");
        assert_eq!(found[0].help.as_deref(), Some("the block of `rule r` ended on line 5: remove this `}`"));
        assert_eq!(problems("}\ncategory c\n")[0].help.as_deref(), Some("remove it"));
    }
}
