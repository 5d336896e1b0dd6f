//! Folding repeated items in the human report: a mistake or a use copied a thousand times is
//! one screen, not a thousand blocks.

use super::printable;

/// How many times one problem (same code, message and help) is shown in full in one file;
/// the rest are listed by line, so a mistake copied to a thousand uses is one screen, not a
/// thousand blocks. Machine formats keep every one.
pub(super) const SHOWN_REPEATS: usize = 3;

/// Lines listed for the repeats of one problem.
const LISTED_LINES: usize = 10;

/// The problems of one file, or the findings of one campaign, that repeat an earlier one word
/// for word (code, message and help: a mistake or a use copied three thousand times) beyond
/// [`SHOWN_REPEATS`], listed by line after the others. Machine formats keep every one.
#[derive(Default)]
pub(super) struct Folded {
    /// Each distinct item's index in `groups`.
    index: std::collections::HashMap<(&'static str, String, Option<String>), usize>,
    groups: Vec<FoldedGroup>,
}

struct FoldedGroup {
    name: String,
    code: &'static str,
    seen: usize,
    /// The lines of those not shown.
    lines: Vec<usize>,
}

impl Folded {
    /// Whether the item with this code, message and help, at `line`, is shown; when not, its
    /// line is listed under `name`, what the summary calls it (a warning's `because` is too
    /// long to repeat there).
    pub(super) fn show(
        &mut self,
        (code, message, help): (&'static str, &str, Option<&str>),
        name: impl FnOnce() -> String,
        line: usize,
    ) -> bool {
        let next = self.groups.len();
        let i = *self.index.entry((code, message.to_string(), help.map(str::to_string))).or_insert(next);
        if i == next {
            self.groups.push(FoldedGroup { name: name(), code, seen: 0, lines: Vec::new() });
        }
        let Some(group) = self.groups.get_mut(i) else { return true };
        group.seen += 1;
        if group.seen > SHOWN_REPEATS {
            group.lines.push(line);
        }
        group.seen <= SHOWN_REPEATS
    }

    /// One line per item that was folded: how many more, and where.
    pub(super) fn summary(&self) -> String {
        let mut out = String::new();
        for g in self.groups.iter().filter(|g| !g.lines.is_empty()) {
            out.push_str(&format!(
                "  … and {} more like it ({}): {}; {}\n\n",
                g.lines.len(),
                g.code,
                printable(&g.name),
                at_lines(&g.lines)
            ));
        }
        out
    }
}

/// `at line 8` or `at lines 8, 9, …`: the first [`LISTED_LINES`] of the places a folded list
/// stands for.
pub(super) fn at_lines(lines: &[usize]) -> String {
    // Two on one line (`basis == x or any data (basis == x)`) name the line once.
    let mut lines = lines.to_vec();
    lines.dedup();
    let mut listed: Vec<String> = lines.iter().take(LISTED_LINES).map(usize::to_string).collect();
    if lines.len() > LISTED_LINES {
        listed.push("…".into());
    }
    format!("at line{} {}", if lines.len() == 1 { "" } else { "s" }, listed.join(", "))
}

#[cfg(test)]
mod tests {
    use super::at_lines;

    #[test]
    fn lines_are_named_once_and_the_list_is_cut_after_ten() {
        assert_eq!(at_lines(&[8]), "at line 8");
        assert_eq!(at_lines(&[55, 55]), "at line 55");
        assert_eq!(at_lines(&[32, 55, 55, 67]), "at lines 32, 55, 67");
        let many: Vec<usize> = (1..=12).collect();
        assert_eq!(at_lines(&many), "at lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …");
    }
}
