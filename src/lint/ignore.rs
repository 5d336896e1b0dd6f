//! `# lagom: ignore CODE[, CODE]…`: a legal team that has looked at a warning and accepts it
//! says so next to the declaration, where the next reader sees it. The comment silences the
//! named warnings on its own line (at its end) or on the first line of code below it (as
//! the last of the comment lines directly above that line).

use crate::diagnostic::{Place, Problem};
use crate::source::SourceMap;
use crate::syntax::comments;

const MARK: &str = "lagom: ignore";

pub(super) fn ignored(sources: &SourceMap, p: &Problem) -> bool {
    let Place::Span(span) = p.place else { return false };
    let Some(file) = sources.file(span.file) else { return false };
    let (line, _) = file.line_col(span.start);
    let short = p.code.as_str().trim_start_matches("lagom::");
    comments::scan(&file.text).iter().any(|c| {
        let (at, _) = file.line_col(c.start);
        let names = c.text.trim_start_matches('#').trim().strip_prefix(MARK).unwrap_or("");
        let names_code = names.split([',', ' ']).any(|n| n == short || n == p.code.as_str());
        let applies = if c.trailing { at == line } else { at < line && only_comments_between(&file.text, at, line) };
        names_code && applies
    })
}

/// True when every line strictly between `from` and `to` (1-based) is a comment line.
fn only_comments_between(text: &str, from: usize, to: usize) -> bool {
    text.lines().skip(from).take(to.saturating_sub(from + 1)).all(|l| l.trim_start().starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    #[test]
    fn an_ignore_comment_above_or_beside_the_line_silences_only_the_named_code() {
        let above = "# reviewed by legal, 2026-05\n# lagom: ignore unused_set\n# (kept for the next campaign)\nset spare = [x]\n";
        assert!(warnings(Code::UnusedSet, above).is_empty());
        assert!(warnings(Code::UnusedSet, "set spare = [x] # lagom: ignore lagom::unused_set\n").is_empty());
        assert_eq!(warnings(Code::UnusedSet, "set spare = [x] # lagom: ignore unreached\n").len(), 1);
        assert_eq!(warnings(Code::UnusedSet, "# lagom: ignore unused_set\n\nset spare = [x]\n").len(), 1);
    }
}
