//! `# lagom: ignore CODE[, CODE]… [-- reason]`: a legal team that has looked at a warning and
//! accepts it says so next to the declaration, where the next reader sees it. The comment
//! silences the named warnings of the declaration it stands in (on any of its lines, so that
//! `lagom fmt` laying the declaration out on other lines changes nothing), or, in the comment
//! lines directly above a line of code, of the first declaration that starts on that line and
//! everything nested in it (else of that line). Only the first: `lagom fmt` gives every
//! declaration a line of its own, and a comment must cover the same declarations before and
//! after.
//!
//! A comment that looks meant as one but is not read as one (`# lagom:ignore`, `# LAGOM:
//! IGNORE`), that names no code or an unknown one, or that silences nothing is itself a
//! warning (`lagom::ignore_comment`): a misspelt code would otherwise leave the team
//! believing a warning was accepted, and a stale one would silence the next warning there.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{did_you_mean_fixed, Code, Place, Problem};
use crate::policy::CheckedPolicy;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::comments;

const MARK: &str = "lagom: ignore";

/// What the comment lines directly above a line of code cover.
enum Below {
    /// The first declaration that starts on that line (its code, without trailing comments).
    Declaration(Span),
    /// That line, where no declaration starts.
    Line(usize),
    /// Nothing: a trailing comment, or comment lines followed by a blank line or the end.
    Nothing,
}

/// One `# lagom: ignore …` comment.
struct IgnoreComment {
    /// Where the comment is.
    span: Span,
    /// 1-based line of the comment.
    line: usize,
    /// The codes it names, and whether each silenced a warning.
    codes: Vec<(Code, Cell<bool>)>,
    below: Below,
}

/// Every ignore comment of a policy, found once: scanning the comments of a large policy
/// again for each warning made `validate` quadratic.
pub(super) struct Ignores<'a> {
    sources: &'a SourceMap,
    comments: Vec<IgnoreComment>,
    /// Per file holding an ignore comment, where each of its comments starts and ends.
    all_comments: Vec<Vec<(usize, usize)>>,
    /// Warnings about the ignore comments themselves.
    problems: Vec<Problem>,
    /// Per file and 1-based line, the first declaration that starts on it (the outermost when
    /// several start at one place), for files that hold an ignore comment: found in one pass,
    /// not by scanning every declaration for each comment.
    first_on_line: HashMap<(FileId, usize), Span>,
    /// The declarations of files that hold an ignore comment, as a tree, so that a warning
    /// finds the declarations around it without scanning them all.
    nesting: HashMap<FileId, Nesting>,
    /// The comments that may apply to a warning, by what they can apply to: their own line, the
    /// start of the declaration below them, the line below them.
    on_line: BTreeMap<(FileId, usize), Vec<usize>>,
    above_declaration: HashMap<(FileId, usize), Vec<usize>>,
    above_line: HashMap<(FileId, usize), Vec<usize>>,
}

/// One file's declarations in order of start, the outer of two that start together first,
/// each with the declaration it is nested in. Declarations nest or are apart (one that ends
/// where the next starts is apart from it), so those around a place are among the last one
/// that starts at or before it and its ancestors.
#[derive(Default)]
struct Nesting {
    spans: Vec<Span>,
    parent: Vec<Option<usize>>,
}

impl Nesting {
    fn new(mut spans: Vec<Span>) -> Nesting {
        spans.sort_by_key(|d| (d.start, std::cmp::Reverse(d.end)));
        let mut parent = Vec::with_capacity(spans.len());
        let mut open: Vec<usize> = Vec::new();
        for (i, d) in spans.iter().enumerate() {
            while open.last().and_then(|&o| spans.get(o)).is_some_and(|o| o.end <= d.start) {
                open.pop();
            }
            parent.push(open.last().copied());
            open.push(i);
        }
        Nesting { spans, parent }
    }

    /// The declarations that hold `at`, innermost first.
    fn around(&self, at: usize) -> impl Iterator<Item = Span> + '_ {
        let last = self.spans.partition_point(|d| d.start <= at).checked_sub(1);
        std::iter::successors(last, |&i| self.parent.get(i).copied().flatten())
            .filter_map(|i| self.spans.get(i).copied())
            .filter(move |d| at <= d.end)
    }
}

/// How a comment reads: not meant as an ignore comment, meant as one but misspelt, or one
/// with the codes as written.
enum Reading<'t> {
    Other,
    Misspelt,
    Codes(Vec<&'t str>),
}

fn read(comment: &str) -> Reading<'_> {
    let body = comment.trim_start_matches('#').trim();
    if let Some(rest) = body.strip_prefix(MARK).filter(|r| r.is_empty() || r.starts_with(char::is_whitespace)) {
        // Words after `--` are the reason, for the next reader.
        let codes = rest.split_once("--").map_or(rest, |(codes, _)| codes);
        return Reading::Codes(codes.split([',', ' ', '\t']).filter(|n| !n.is_empty()).collect());
    }
    // `lagom ignore`, `lagom:ignore`, `LAGOM: Ignore`: meant as one.
    let lower = body.to_lowercase();
    let loose = lower.strip_prefix("lagom").map(|r| r.trim_start().trim_start_matches(':').trim_start());
    match loose {
        Some(r)
            if r.strip_prefix("ignore").is_some_and(|w| !w.starts_with(|c: char| c.is_alphanumeric() || c == '_')) =>
        {
            Reading::Misspelt
        }
        _ => Reading::Other,
    }
}

/// Which files may hold an ignore comment: those with any spelling of the mark (`LAGOM: IGNORE`
/// is warned about), found without a lower-case copy of a large policy.
fn marked_files(sources: &SourceMap) -> Vec<bool> {
    sources.files().iter().map(|f| f.text.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"lagom"))).collect()
}

fn lint_code(name: &str) -> Option<Code> {
    Code::LINTS.into_iter().find(|c| c.as_str() == name || c.name() == name)
}

impl<'a> Ignores<'a> {
    pub(super) fn new(policy: &'a CheckedPolicy) -> Ignores<'a> {
        let sources = &policy.sources;
        let mut ignores = Ignores {
            sources,
            comments: Vec::new(),
            all_comments: vec![Vec::new(); sources.files().len()],
            problems: Vec::new(),
            first_on_line: HashMap::new(),
            nesting: HashMap::new(),
            on_line: BTreeMap::new(),
            above_declaration: HashMap::new(),
            above_line: HashMap::new(),
        };
        let marked = marked_files(sources);
        let by_file = ignores.index_declarations(policy, &marked);
        for (i, file) in sources.files().iter().enumerate() {
            if marked.get(i) == Some(&true) {
                ignores.read_comments(i, file);
            }
        }
        ignores.nesting = by_file.into_iter().map(|(f, spans)| (f, Nesting::new(spans))).collect();
        ignores
    }

    /// Notes the first declaration on each line of the files that may hold an ignore comment,
    /// and returns their declarations by file.
    fn index_declarations(&mut self, policy: &CheckedPolicy, marked: &[bool]) -> HashMap<FileId, Vec<Span>> {
        let mut by_file: HashMap<FileId, Vec<Span>> = HashMap::new();
        for d in policy.declarations.iter().filter(|d| marked.get(d.file.0 as usize) == Some(&true)) {
            by_file.entry(d.file).or_default().push(*d);
            let Some(file) = self.sources.file(d.file) else { continue };
            let key = (d.file, file.line_col(d.start).0);
            let first = self.first_on_line.entry(key).or_insert(*d);
            if (d.start, std::cmp::Reverse(d.end)) < (first.start, std::cmp::Reverse(first.end)) {
                *first = *d;
            }
        }
        by_file
    }

    /// Reads the comments of the `i`th file: notes where each is, and takes in its ignore
    /// comments.
    fn read_comments(&mut self, i: usize, file: &SourceFile) {
        let scanned = comments::scan(&file.text);
        if let Some(all) = self.all_comments.get_mut(i) {
            *all = scanned.iter().map(|c| (c.start, c.start + c.text.len())).collect();
        }
        let id = FileId(i as u32);
        for c in scanned {
            let span = Span { file: id, start: c.start, end: c.start + c.text.len() };
            let Some(names) = self.names(span, &c.text) else { continue };
            let codes = self.codes(span, names);
            let line = file.line_col(c.start).0;
            let below = if c.trailing { Below::Nothing } else { self.below(id, file, line) };
            self.add(IgnoreComment { span, line, codes, below });
        }
    }

    /// The codes an ignore comment names, as written; `None` when the comment is not one. A
    /// comment meant as one but misspelt, or that names no code, is warned about.
    fn names<'t>(&mut self, span: Span, text: &'t str) -> Option<Vec<&'t str>> {
        let names = match read(text) {
            Reading::Other => return None,
            Reading::Misspelt => {
                self.problems.push(
                    Problem::at(Code::IgnoreComment, span, "this comment is not read as an ignore comment", "not read")
                        .with_help("write it exactly as `# lagom: ignore CODE` (lower case, a colon, one space), e.g. `# lagom: ignore unused_set`"),
                );
                return None;
            }
            Reading::Codes(names) => names,
        };
        if names.is_empty() {
            self.problems.push(
                Problem::at(Code::IgnoreComment, span, "this ignore comment names no warning", "names no code")
                    .with_help(
                        "name the warnings it accepts, e.g. `# lagom: ignore retention_overlap -- reviewed 2026-05`",
                    ),
            );
        }
        Some(names)
    }

    /// The warning codes of the names, none silenced yet; a name that is no warning code is
    /// warned about.
    fn codes(&mut self, span: Span, names: Vec<&str>) -> Vec<(Code, Cell<bool>)> {
        let mut codes = Vec::new();
        for name in names {
            match lint_code(name) {
                Some(code) => codes.push((code, Cell::new(false))),
                None => {
                    let known = Code::LINTS.map(Code::name);
                    let help = did_you_mean_fixed(name, "warning codes", known);
                    self.problems.push(
                        Problem::at(
                            Code::IgnoreComment,
                            span,
                            format!("`{name}` is not a warning code"),
                            "not a warning code",
                        )
                        .with_help(format!("{help} (a reason goes after `--`)")),
                    );
                }
            }
        }
        codes
    }

    /// Takes in an ignore comment, noted under each thing it can apply to.
    fn add(&mut self, comment: IgnoreComment) {
        let (id, at) = (comment.span.file, self.comments.len());
        self.on_line.entry((id, comment.line)).or_default().push(at);
        match comment.below {
            Below::Declaration(d) => self.above_declaration.entry((id, d.start)).or_default().push(at),
            Below::Line(l) => self.above_line.entry((id, l)).or_default().push(at),
            Below::Nothing => {}
        }
        self.comments.push(comment);
    }

    /// What the comment lines ending at `line` stand directly above.
    fn below(&self, file_id: FileId, file: &SourceFile, line: usize) -> Below {
        // The first line after the comment that is not a comment line itself (1-based).
        let text_of = |l: usize| {
            let start = file.line_start(l - 1).unwrap_or(file.text.len());
            let end = file.line_start(l).unwrap_or(file.text.len());
            file.text.get(start..end).unwrap_or("")
        };
        let Some(target) = (line + 1..)
            .take_while(|&l| file.line_start(l - 1).is_some())
            .find(|&l| !text_of(l).trim_start().starts_with('#'))
        else {
            return Below::Nothing;
        };
        if text_of(target).trim().is_empty() {
            return Below::Nothing;
        }
        match self.first_on_line.get(&(file_id, target)) {
            Some(d) => Below::Declaration(Span { end: self.code_end(file_id, &file.text, *d), ..*d }),
            None => Below::Line(target),
        }
    }

    /// The first and last line of the innermost declaration holding a place, if any.
    fn declaration_lines(&self, span: Span) -> Option<(usize, usize)> {
        let file = self.sources.file(span.file)?;
        let d = self.nesting.get(&span.file)?.around(span.start).next()?;
        let end = self.code_end(span.file, &file.text, d);
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

    /// Whether a comment silences this warning; a comment that does is marked as used.
    pub(super) fn silences(&self, p: &Problem) -> bool {
        let Place::Span(span) = p.place else { return false };
        if self.comments.is_empty() {
            return false;
        }
        let Some(file) = self.sources.file(span.file) else { return false };
        let (line, _) = file.line_col(span.start);
        let (first, last) = self.declaration_lines(span).unwrap_or((line, line));
        // Only the comments that can apply are looked at; `applies` below decides.
        let file_id = span.file;
        let mut candidates: Vec<usize> = self
            .on_line
            .range((file_id, first)..=(file_id, last))
            .chain(self.on_line.get_key_value(&(file_id, line)))
            .flat_map(|(_, c)| c.iter().copied())
            .chain(self.above_line.get(&(file_id, line)).into_iter().flatten().copied())
            .collect();
        for d in self.nesting.get(&file_id).into_iter().flat_map(|n| n.around(span.start)) {
            candidates.extend(self.above_declaration.get(&(file_id, d.start)).into_iter().flatten().copied());
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut silenced = false;
        for c in candidates.iter().filter_map(|&i| self.comments.get(i)) {
            let applies = c.line == line
                || (first <= c.line && c.line <= last)
                || match c.below {
                    Below::Declaration(d) => d.start <= span.start && span.start <= d.end,
                    Below::Line(target) => line == target,
                    Below::Nothing => false,
                };
            if let Some((_, used)) = c.codes.iter().find(|(code, _)| *code == p.code).filter(|_| applies) {
                used.set(true);
                silenced = true;
            }
        }
        silenced
    }

    /// The warnings about the ignore comments: misspelt ones, unknown codes, and codes that
    /// silenced nothing (asked once every warning has been offered to [`Ignores::silences`]).
    pub(super) fn into_problems(self) -> Vec<Problem> {
        let mut out = self.problems;
        for c in &self.comments {
            for (code, used) in &c.codes {
                if !used.get() {
                    let name = code.name();
                    out.push(
                        Problem::at(Code::IgnoreComment, c.span, format!("`{name}` is ignored here, but there is no such warning to silence"), "silences nothing")
                            .with_help(format!("remove `{name}` from the comment, or move the comment into the declaration the warning points into or directly above it")),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;
    use crate::source::{FileId, Span};

    #[test]
    fn the_declarations_around_a_place_are_found_innermost_first() {
        let span = |start, end| Span { file: FileId(0), start, end };
        // 0..50 holds 5..20 (which holds 8..12) and 20..40; 50..60 starts where 0..50 ends.
        let spans = vec![span(60, 70), span(20, 40), span(0, 50), span(8, 12), span(5, 20), span(50, 60)];
        let nesting = super::Nesting::new(spans);
        let around = |at| nesting.around(at).map(|d| (d.start, d.end)).collect::<Vec<_>>();
        assert_eq!(around(10), [(8, 12), (5, 20), (0, 50)]);
        assert_eq!(around(15), [(5, 20), (0, 50)]);
        assert_eq!(around(20), [(20, 40), (0, 50)], "5..20 ends where 20..40 starts: apart");
        assert_eq!(around(45), [(0, 50)]);
        assert_eq!(around(50), [(50, 60)]);
        assert_eq!(around(65), [(60, 70)]);
        assert_eq!(around(75), Vec::<(usize, usize)>::new());
    }

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

    fn messages(code: Code, text: &str) -> Vec<String> {
        warnings(code, text).iter().map(|w| w.message.clone()).collect()
    }

    /// `lagom fmt` gives every declaration a line of its own: a comment above a line covers
    /// the first declaration on it and what is nested in it, before and after formatting.
    #[test]
    fn a_comment_above_covers_the_same_declarations_before_and_after_fmt() {
        let cases = [
            // Nested declarations stay covered when they move onto lines of their own.
            "# lagom: ignore unreached
category spare { category a category b }
rule r { allow contact, spare.a for * }
",
            // The second set on the line is not covered, so it is warned about in both layouts.
            "# lagom: ignore unused_set
set a = [x] set b = [y]
rule r { allow contact for * }
",
        ];
        for text in cases {
            let formatted = crate::fmt::format_text(crate::source::FileId(0), text).expect("formats");
            for code in [Code::Unreached, Code::UnusedSet, Code::IgnoreComment] {
                assert_eq!(messages(code, text), messages(code, &formatted), "{code:?}\n{text}\n{formatted}");
            }
        }
        // `spare.b` is warned about where it is declared, inside `spare`.
        let without = cases[0].replace("# lagom: ignore unreached", "");
        assert!(messages(Code::Unreached, &without).iter().any(|m| m.contains("spare.b")), "{without}");
        assert!(messages(Code::Unreached, cases[0]).iter().all(|m| !m.contains("spare")));
        assert_eq!(messages(Code::UnusedSet, cases[1]).len(), 1);
        assert!(messages(Code::UnusedSet, cases[1])[0].contains("`b`"));
    }

    #[test]
    fn a_misspelt_or_unknown_ignore_comment_is_a_warning() {
        let warned = |comment: &str| {
            let text = format!("{comment}\nset spare = [x]\n");
            (messages(Code::UnusedSet, &text).len(), warnings(Code::IgnoreComment, &text))
        };
        for comment in ["# lagom:ignore unused_set", "# LAGOM: IGNORE UNUSED_SET", "# lagom ignore unused_set"] {
            let (unused, found) = warned(comment);
            assert_eq!(unused, 1, "{comment} silences nothing");
            assert_eq!(found.len(), 1, "{comment}: {found:?}");
            assert!(found[0].help.as_deref().is_some_and(|h| h.contains("# lagom: ignore CODE")), "{found:?}");
        }
        let (unused, found) = warned("# lagom: ignore unused_sets");
        assert_eq!(unused, 1);
        assert_eq!(found[0].message, "`unused_sets` is not a warning code");
        assert!(found[0].help.as_deref().is_some_and(|h| h.starts_with("did you mean `unused_set`?")), "{found:?}");
        let (_, found) = warned("# lagom: ignore");
        assert_eq!(found[0].message, "this ignore comment names no warning");
        // Words after the codes are codes, unless a `--` sets the reason apart.
        let (unused, found) = warned("# lagom: ignore unused_set because reviewed");
        assert_eq!(unused, 0);
        assert_eq!(found.len(), 2, "{found:?}");
        let (unused, found) = warned("# lagom: ignore unused_set -- reviewed by legal, 2026-05");
        assert_eq!((unused, found.len()), (0, 0), "{found:?}");
        // Other comments that mention lagom are left alone.
        assert_eq!(warned("# lagom ignores nothing here").1.len(), 0);
        assert_eq!(warned("# see lagom: ignore comments in the README").1.len(), 0);
    }

    #[test]
    fn an_ignore_comment_that_silences_nothing_is_a_warning() {
        let text = "# lagom: ignore unused_set, unreached\nset spare = [x]\nrule r { allow * for * }\n";
        let found = warnings(Code::IgnoreComment, text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "`unreached` is ignored here, but there is no such warning to silence");
        assert!(warnings(Code::UnusedSet, text).is_empty());
    }
}
