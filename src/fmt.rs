//! `lagom fmt`: one canonical layout for policy files, every comment kept.
//!
//! The layout is computed from the syntax tree; comments, which the grammar skips, are found
//! by position ([`crate::syntax::comments`]) and written back before the token that followed them. Before a
//! result is returned it is parsed again and compared with the input, without places: the
//! same declarations, rules and conditions, and the same comments in the same order. A file
//! whose layout cannot be changed safely is left as it is, with an error.

mod expr;
mod files;
mod items;
mod writer;

pub use files::{format_paths, write_back, Formatted, Run};
pub use writer::WIDTH;

use std::ops::ControlFlow;

use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, Span};
use crate::syntax::ast::{Expr, Item, PolicyFile, TaxonDecl, Test, Value};
use crate::syntax::spanless::{visit_spans, without_spans};
use crate::syntax::{comments, parse_file};

/// Formats one policy file. Syntax errors come back as problems located in `file`.
///
/// ```
/// let text = "rule r {allow contact for marketing # why\n because \"b\"}";
/// let formatted = lagom::fmt::format_text(lagom::source::FileId(0), text).unwrap();
/// assert_eq!(formatted, "rule r {\n  allow contact for marketing # why\n  because \"b\"\n}\n");
/// ```
pub fn format_text(file: FileId, text: &str) -> Result<String, Vec<Problem>> {
    let tree = parse_file(file, text)?;
    let found = comments::scan(text);
    let mut w = writer::Writer::new(text, found.clone(), token_starts(&tree));
    items::file(&mut w, &tree);
    let out = with_byte_order_mark_of(text, with_line_endings_of(text, w.finish()));
    let same_tree = parse_file(file, &out).is_ok_and(|t| without_spans(&t) == without_spans(&tree));
    let texts = |c: Vec<comments::Comment>| c.into_iter().map(|c| c.text).collect::<Vec<_>>();
    if !same_tree || texts(comments::scan(&out)) != texts(found) {
        let at = Span { file, start: 0, end: 0 };
        return Err(vec![Problem::at(Code::Format, at, "lagom fmt could not lay out this file safely", "left as is")
            .with_help("this is a bug in lagom fmt: please report it with the file; the file was not changed")]);
    }
    Ok(out)
}

/// The layout (written with `\n`) with the line endings of the input, as rustfmt's `Auto`:
/// `\r\n` when the input's first line ends so, else `\n`. A file checked out with Windows
/// line endings (git's `autocrlf`) is then formatted as it is, not reported by `fmt --check`
/// for its line endings alone, and the `\r\n` inside its multi-line strings matches the rest.
/// Only the writer's own line breaks change: a line break inside a string is the string's
/// text, kept as written (`"a\nb"` with a bare `\n` in a `\r\n` file), and a `\n` already
/// preceded by `\r` is left alone.
fn with_line_endings_of(input: &str, out: String) -> String {
    let crlf = input.find(['\n', '\r']).is_some_and(|i| input.get(i..).is_some_and(|t| t.starts_with("\r\n")));
    if !crlf {
        return out;
    }
    // The writer's line breaks are those outside strings (a comment's own ends it).
    let mut breaks = Vec::new();
    crate::syntax::scan_code(&out, |i, c| {
        if c == '\n' {
            breaks.push(i);
        }
        ControlFlow::Continue(())
    });
    let mut converted = String::with_capacity(out.len() + breaks.len());
    let mut from = 0;
    for at in breaks {
        let before = out.get(from..at).unwrap_or_default();
        converted.push_str(before);
        if !out.get(..at).is_some_and(|b| b.ends_with('\r')) {
            converted.push('\r');
        }
        from = at;
    }
    converted.push_str(out.get(from..).unwrap_or_default());
    converted
}

/// The layout with the input's UTF-8 byte-order mark, if it had one: like its line endings, the
/// mark is the editor's choice (Windows editors save with one), and a formatter that dropped
/// it would change every such file and fail `fmt --check` on files it had laid out itself.
fn with_byte_order_mark_of(input: &str, out: String) -> String {
    const BOM: char = '\u{feff}';
    if input.starts_with(BOM) && !out.starts_with(BOM) {
        format!("{BOM}{out}")
    } else {
        out
    }
}

/// Where the tokens the writer prints with a place start: the start of every span, and the
/// closing bracket of sets, lists, taxonomy blocks, rules and quantifiers.
fn token_starts(tree: &PolicyFile) -> Vec<usize> {
    let mut starts = Vec::new();
    visit_spans(&mut tree.clone(), &mut |s| starts.push(s.start));
    let close = |s: Span| s.end.saturating_sub(1);
    fn values(vs: &[Value], out: &mut Vec<usize>) {
        for v in vs {
            if let Value::List(items, span) = v {
                out.push(span.end.saturating_sub(1));
                values(items, out);
            }
        }
    }
    fn expr(e: &Expr, out: &mut Vec<usize>) {
        match e {
            Expr::Or(parts) | Expr::And(parts) => parts.iter().for_each(|p| expr(p, out)),
            Expr::Not(inner) => expr(inner, out),
            Expr::Quant { span, body, .. } => {
                out.push(span.end.saturating_sub(1));
                expr(body, out);
            }
            Expr::Test { test: Test::Compare(_, _, v), .. } => values(std::slice::from_ref(v), out),
            Expr::Test { .. } => {}
        }
    }
    fn taxon(t: &TaxonDecl, out: &mut Vec<usize>) {
        out.push(t.span.end.saturating_sub(1));
        t.children.iter().for_each(|c| taxon(c, out));
    }
    for item in &tree.items {
        match item {
            Item::Set(s) => {
                starts.push(close(s.span));
                values(&s.values, &mut starts);
            }
            Item::Category(t) | Item::Purpose(t) => taxon(t, &mut starts),
            Item::Rule(r) => {
                starts.push(close(r.span));
                if let Some(c) = &r.condition {
                    expr(&c.expr, &mut starts);
                }
            }
            Item::Header(_) | Item::Basis(_) | Item::Channel(_) => {}
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        let out = format_text(FileId(0), text).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(format_text(FileId(0), &out).unwrap(), out, "not idempotent:\n{out}");
        out
    }

    #[test]
    fn lays_out_declarations_and_rules() {
        insta::assert_snapshot!(fmt(concat!(
            "policy   \"p\"   version \"1\"\nbasis consent,contract \"C\"  channel email\n",
            "set eea=[SE,DK]\ncategory contact \"Contact\" {category email category phone under contact.email}\n",
            "purpose marketing{purpose newsletter}\n\n\n\n",
            "rule a {allow contact.email for marketing when basis==consent and not (x or y) because \"b\" cite \"c\"}\n",
            "rule b { retain * for *   at most 3   months }\nrule c { deny campaign for marketing unless rights.unsubscribe }"
        )));
    }

    /// The brackets that show an `and` inside an `or` are left out of a condition they would
    /// take past the nesting limit: fmt refused such a file (`lagom::format`, "a bug in lagom
    /// fmt") though `validate` accepts it. Shallower rules of the same file keep them.
    #[test]
    fn a_condition_at_the_nesting_limit_is_laid_out_without_grouping_brackets() {
        let mut e = String::from("owner == \"x\"");
        for i in 0..33 {
            e = format!("({e} or owner == \"y{i}\") and owner != \"z\"");
        }
        let text = format!("rule a {{ allow c for p when {e} }}\nrule b {{ allow c for p when a or b and c }}\n");
        assert!(parse_file(FileId(0), &text).is_ok());
        let out = fmt(&text);
        assert!(out.contains("when a or (b and c)"), "{out}");
        assert!(parse_file(FileId(0), &out).is_ok());
        // Just under the limit, the grouping brackets are all written.
        let mut e = String::from("owner == \"x\"");
        for i in 0..32 {
            e = format!("({e} or owner == \"y{i}\") and owner != \"z\"");
        }
        let out = fmt(&format!("rule a {{ allow c for p when {e} }}\n"));
        // 32 `or`s inside `and`s and 31 `and`s inside `or`s: with the rule's `{`, 64 levels.
        assert_eq!(out.matches('(').count(), 63, "{out}");
    }

    #[test]
    fn breaks_long_lines_where_the_pack_does() {
        let long = "rule r {\n  deny contact.email, contact.phone, identity.name, identity.customer_id, behaviour.purchase_history for marketing.offers, marketing.newsletter\n  when basis == consent and audience.min_age < 16 and not (audience.regions is not empty and audience.regions within digital_consent_13)\n  or any processors (region not in eea and region not in adequate and safeguard not in safeguards and not (region == US))\n}\n";
        insta::assert_snapshot!(fmt(long));
    }

    #[test]
    fn keeps_every_comment_in_every_place() {
        let text = include_str!("fmt/testdata/comments.policy");
        let out = fmt(text);
        let texts = |t: &str| comments::scan(t).into_iter().map(|c| c.text).collect::<Vec<_>>();
        assert_eq!(texts(&out), texts(text));
        insta::assert_snapshot!(out);
    }

    /// A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files): the same policy with any of
    /// them is laid out the same, every comment where it was. Before, a comment ran on past a
    /// lone `\r` to the end of the file and took the declarations after it with it.
    #[test]
    fn every_line_ending_gives_the_same_layout() {
        let text = include_str!("fmt/testdata/comments.policy");
        let expected = fmt(text);
        // A lone `\r` becomes `\n`; a `\r\n` file stays one (rustfmt's `Auto`).
        assert_eq!(fmt(&text.replace('\n', "\r")), expected);
        let crlf = fmt(&text.replace('\n', "\r\n"));
        assert_eq!(crlf, expected.replace('\n', "\r\n"));
        // Formatted already, in its line endings: nothing for `fmt --check` to report.
        assert_eq!(fmt(&crlf), crlf);
    }

    /// A duration gets one space between its number and unit; a value spelt like a keyword
    /// (`at`, `in`: country codes) stays as written.
    #[test]
    fn durations_are_spaced_and_keyword_values_kept() {
        let out =
            fmt("rule r { retain c for p at most 24months when owner in [at, in] and retention > 007\n  days }\n");
        assert_eq!(
            out,
            "rule r {\n  retain c for p at most 24 months\n  when owner in [at, in] and retention > 007 days\n}\n"
        );
    }

    #[test]
    fn a_crlf_file_keeps_its_line_endings_inside_and_outside_strings() {
        let text = "rule r {\r\n  allow c for p\r\n  because \"two\r\nlines\"\r\n}\r\n";
        assert_eq!(fmt(text), text);
        // A bare `\n` inside a string of a `\r\n` file is the string's own text, kept as it is
        // (it was made `\r\n`, which changed the string, and fmt refused the file); a quote or
        // `#` in a comment or an escaped quote starts or ends nothing.
        let text = "policy \"x\" # a \"quote\r\nrule r {\r\n  allow c for p\r\n  because \"a\\\"\nb # c\"\r\n}\r\n";
        assert_eq!(fmt(text), text);
    }

    #[test]
    fn a_byte_order_mark_is_kept() {
        assert_eq!(fmt("\u{feff}category   c\r\n"), "\u{feff}category c\r\n");
        assert_eq!(fmt("\u{feff}# note\ncategory c\n"), "\u{feff}# note\ncategory c\n");
        assert_eq!(fmt("category c\n"), "category c\n");
    }

    #[test]
    fn a_comment_after_cite_under_or_for_is_not_moved_to_the_line_before() {
        let out = fmt("rule r {\n  allow c for p\n  because \"x\" cite # TODO the article\n \"y\"\n}\n");
        assert!(out.contains("  because \"x\"\n  cite # TODO the article\n"), "{out}");
        let out = fmt("category a \"A\" under # why\n b, # and this\n c\n");
        assert!(out.starts_with("category a \"A\" under # why\n    b, # and this\n    c\n"), "{out}");
        let out = fmt("rule r {\n  retain a for # note\n p at most 1 year\n}\n");
        assert!(out.contains("for # note\n"), "{out}");
        let out = fmt("rule r {\n  deny a for p\n  unless # note\n basis == consent\n}\n");
        assert!(out.contains("  unless # note\n      basis == consent\n"), "{out}");
    }

    #[test]
    fn a_comment_after_a_keyword_stays_after_it() {
        let out = fmt("rule r {\n  deny a for b\n  when audience.regions within # the Nordic list\n       s\n}\n");
        assert!(out.contains("within # the Nordic list\n"), "{out}");
        let out = fmt("rule r {\n  deny a for b\n  when x under # a comment\n    c\n}\n");
        assert!(out.contains("under # a comment\n"), "{out}");
        // Also when the parentheses before the keyword are dropped by the layout.
        let out = fmt("rule r {\n  deny a for b\n  when (basis == consent)\n  because # why\n  \"x\"\n}\n");
        assert!(out.contains("  when basis == consent\n  because # why\n"), "{out}");
    }

    #[test]
    fn parentheses_keep_the_tree_as_written() {
        let out = fmt("rule r { deny * for * when (a and b) and c or (d or e) and not (f and g) }");
        // An `and` inside an `or` is bracketed too, to show how `and` binds.
        assert!(out.contains("when ((a and b) and c) or ((d or e) and not (f and g))"), "{out}");
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n\n  \n"), "");
        assert_eq!(fmt("# only\n\n\n# comments   \n"), "# only\n\n# comments\n");
    }

    #[test]
    fn a_syntax_error_is_located_and_nothing_is_formatted() {
        let err = format_text(FileId(0), "rule x { allow a fo b }").unwrap_err();
        assert_eq!(err[0].code, Code::Syntax);
    }
}
