//! `# lagom: ignore CODE[, CODE]…`: a legal team that has looked at a warning and accepts it
//! says so next to the declaration, where the next reader sees it. The comment silences the
//! named warnings of the declaration it stands in (on any of its lines, so that `lagom fmt`
//! laying the declaration out on other lines changes nothing), or of the declaration or line
//! of code below it (as the last of the comment lines directly above).

use crate::diagnostic::{Place, Problem};
use crate::policy::CheckedPolicy;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::comments;

const MARK: &str = "lagom: ignore";

/// One `# lagom: ignore …` comment.
struct IgnoreComment {
    file: FileId,
    /// 1-based line of the comment.
    line: usize,
    /// At the end of a line of code (else on a line of its own).
    trailing: bool,
    /// The codes it names, as written (`unused_set` or `lagom::unused_set`).
    codes: Vec<String>,
}

/// Every ignore comment of a policy, found once: scanning the comments of a large policy
/// again for each warning made `validate` quadratic.
pub(super) struct Ignores<'a> {
    sources: &'a SourceMap,
    declarations: &'a [Span],
    comments: Vec<IgnoreComment>,
    /// Per file holding an ignore comment, where each of its comments starts and ends.
    all_comments: Vec<Vec<(usize, usize)>>,
}

impl<'a> Ignores<'a> {
    pub(super) fn new(policy: &'a CheckedPolicy) -> Ignores<'a> {
        let sources = &policy.sources;
        let mut comments = Vec::new();
        let mut all_comments = vec![Vec::new(); sources.files().len()];
        for (i, file) in sources.files().iter().enumerate() {
            if !file.text.contains(MARK) {
                continue;
            }
            let scanned = comments::scan(&file.text);
            if let Some(all) = all_comments.get_mut(i) {
                *all = scanned.iter().map(|c| (c.start, c.start + c.text.len())).collect();
            }
            for c in scanned {
                let Some(names) = c.text.trim_start_matches('#').trim().strip_prefix(MARK) else { continue };
                comments.push(IgnoreComment {
                    file: FileId(i as u32),
                    line: file.line_col(c.start).0,
                    trailing: c.trailing,
                    codes: names.split([',', ' ']).filter(|n| !n.is_empty()).map(String::from).collect(),
                });
            }
        }
        Ignores { sources, declarations: &policy.declarations, comments, all_comments }
    }

    /// The first and last line of the innermost declaration holding a place, if any.
    fn declaration_lines(&self, span: Span) -> Option<(usize, usize)> {
        let file = self.sources.file(span.file)?;
        let d = self
            .declarations
            .iter()
            .filter(|d| d.file == span.file && d.start <= span.start && span.start <= d.end)
            .min_by_key(|d| d.end - d.start)?;
        let end = self.code_end(span.file, &file.text, *d);
        Some((file.line_col(d.start).0, file.line_col(end.saturating_sub(1).max(d.start)).0))
    }

    /// Where a declaration's last token ends. The span of one that ends in optional parts it
    /// does not have (`purpose q`) runs on over the whitespace and comments after it, as pest
    /// spans do; a comment there stands above the next declaration, not in this one.
    fn code_end(&self, file: FileId, text: &str, d: Span) -> usize {
        let comments = self.all_comments.get(file.0 as usize).map_or(&[][..], Vec::as_slice);
        let mut end = d.end;
        loop {
            let code = text.get(d.start..end).unwrap_or("").trim_end();
            end = d.start + code.len();
            // Comments are in order and do not overlap, so their ends are sorted too.
            match comments.binary_search_by_key(&end, |&(_, stop)| stop).ok().and_then(|i| comments.get(i)) {
                Some(&(start, _)) if start >= d.start => end = start,
                _ => return end,
            }
        }
    }

    /// Whether a comment silences this warning.
    pub(super) fn silences(&self, p: &Problem) -> bool {
        let Place::Span(span) = p.place else { return false };
        let Some(file) = self.sources.file(span.file) else { return false };
        if self.comments.is_empty() {
            return false;
        }
        let (line, _) = file.line_col(span.start);
        let (first, last) = self.declaration_lines(span).unwrap_or((line, line));
        let short = p.code.as_str().trim_start_matches("lagom::");
        let above = |target: usize, c: &IgnoreComment| {
            !c.trailing && c.line < target && only_comments_between(file, c.line, target)
        };
        self.comments.iter().filter(|c| c.file == span.file).any(|c| {
            let names_code = c.codes.iter().any(|n| n == short || n == p.code.as_str());
            let applies = c.line == line || (first <= c.line && c.line <= last) || above(line, c) || above(first, c);
            names_code && applies
        })
    }
}

/// True when every line strictly between `from` and `to` (1-based) is a comment line.
fn only_comments_between(file: &SourceFile, from: usize, to: usize) -> bool {
    // 0-based, lines `from..to - 1` are those strictly between; the file's own line index, so
    // that lines end where `line_col` says they do (a lone `\r` too).
    (from..to.saturating_sub(1)).all(|line| {
        let start = file.line_start(line).unwrap_or(file.text.len());
        let end = file.line_start(line + 1).unwrap_or(file.text.len());
        file.text.get(start..end).is_some_and(|l| l.trim_start().starts_with('#'))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    #[test]
    fn a_comment_after_a_declaration_without_braces_is_not_in_it() {
        // `purpose q`'s span runs on to `purpose s`: the comment stands above `s` alone.
        let text = "purpose p\npurpose q\n\n# lagom: ignore unreached\npurpose s\nrule r { allow * for p }\n";
        let unreached: Vec<String> = warnings(Code::Unreached, text).iter().map(|w| w.message.clone()).collect();
        assert!(unreached.iter().any(|m| m.ends_with("purpose `q`")), "{unreached:?}");
        assert!(!unreached.iter().any(|m| m.ends_with("purpose `s`")), "{unreached:?}");
    }

    #[test]
    fn an_ignore_comment_above_or_beside_the_line_silences_only_the_named_code() {
        let above = "# reviewed by legal, 2026-05\n# lagom: ignore unused_set\n# (kept for the next campaign)\nset spare = [x]\n";
        assert!(warnings(Code::UnusedSet, above).is_empty());
        assert!(warnings(Code::UnusedSet, "set spare = [x] # lagom: ignore lagom::unused_set\n").is_empty());
        assert_eq!(warnings(Code::UnusedSet, "set spare = [x] # lagom: ignore unreached\n").len(), 1);
        assert_eq!(warnings(Code::UnusedSet, "# lagom: ignore unused_set\n\nset spare = [x]\n").len(), 1);
    }

    /// Lines end where the locations say they do, a lone `\r` too (old Mac files).
    #[test]
    fn ignore_comments_read_lines_as_the_locations_do() {
        let above = "# lagom: ignore unused_set\r# (reviewed)\rset spare = [x]\r";
        assert!(warnings(Code::UnusedSet, above).is_empty());
        let apart = "# lagom: ignore unused_set\r\rset spare = [x]\r";
        assert_eq!(warnings(Code::UnusedSet, apart).len(), 1);
        let beside = "set spare = [x] # lagom: ignore unused_set\rset other = [y]\r";
        let found = warnings(Code::UnusedSet, beside);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("other"), "{found:?}");
    }

    /// `lagom fmt` may lay a declaration out on other lines; the comment still applies to the
    /// declaration it stands in, and to no other.
    #[test]
    fn an_ignore_comment_applies_to_its_whole_declaration() {
        let split = "set spare = [x,\n  y] # lagom: ignore unused_set\nset other = [z]\n";
        let found = warnings(Code::UnusedSet, split);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("other"), "{found:?}");
        let rule = "rule r {\n  allow contact for marketing\n} # lagom: ignore shadowed_allow\n\
                    rule d { deny contact for marketing }\n";
        assert!(warnings(Code::ShadowedAllow, rule).is_empty());
        let one_line = "rule r { allow contact for marketing } # lagom: ignore shadowed_allow\n\
                        rule d { deny contact for marketing }\n";
        assert!(warnings(Code::ShadowedAllow, one_line).is_empty());
    }
}
