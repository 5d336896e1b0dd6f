//! The one YAML loader: campaign text to a tree of located nodes, with explicit limits.
//!
//! The tree is built straight from granit-parser's events, for speed. It used to come from
//! serde-saphyr (which reads the same events) deserialising `Spanned` values through serde,
//! and that serde layer was about two thirds of a campaign's reading time: every mapping key
//! recorded and replayed, every location deserialised through a map visitor. The parser is now
//! most of what is left.
//!
//! serde-saphyr 2.2, with the options this loader always used, stays the reference for what
//! the text means: scalar resolution (YAML 1.2 core schema, `true`/`false` only), tags, merge
//! keys, anchors and aliases (a copy is placed at its alias), duplicate keys, its budgets
//! against alias bombs and deep nesting, and its error messages. The differential tests
//! (`yaml/differential.rs`) hold this loader to the serde-saphyr one, kept as `yaml/oracle.rs`.
//! serde-saphyr had itself replaced serde_yaml, which is archived, loses positions after
//! deserializing and hangs on deeply nested flow collections.
//!
//! `live` reads the text (aliases expanded, budget enforced) and `build` makes the tree, with
//! `keys` for mapping keys, `merge` for merge keys, `tag` and `scalar` for what a scalar means,
//! and `error` for the messages, with `typo` for the slips of hand editing and `encoding` for
//! text saved as UTF-16 or UTF-32.

mod budget;
mod build;
mod encoding;
mod error;
mod events;
mod fast;
mod keys;
mod live;
mod merge;
mod scalar;
mod tabs;
mod tag;
mod typo;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod oracle;

use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, SourceFile, Span};

pub use encoding::wide_encoding_problem;

/// Campaign files larger than this are refused before parsing.
pub const MAX_CAMPAIGN_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Deepest nesting of YAML collections accepted; the format itself needs four.
pub const MAX_YAML_DEPTH: usize = 32;
/// Most YAML nodes in one file; a large real campaign has a few hundred.
pub const MAX_YAML_NODES: usize = 100_000;
/// Most alias references in one file, against "billion laughs" expansion.
pub const MAX_YAML_ALIASES: usize = 1_000;
/// Most events replayed from aliases in one file.
pub const MAX_ALIAS_REPLAY_EVENTS: usize = 10_000;

/// A YAML value with its place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it is written.
    pub span: Span,
}

/// A YAML value (core schema).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string (quoted, or plain and not another type).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, entries in file order.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value is named in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// What a YAML file holds, so that the loader's messages name the file as its author knows it:
/// a test file's author is not told about campaign files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// A campaign file, as `lagom check` reads.
    Campaign,
    /// A policy test file, as `lagom test` reads.
    TestFile,
}

impl Document {
    /// How messages name such a file: `campaign file`, `test file`.
    pub fn noun(self) -> &'static str {
        match self {
            Document::Campaign => "campaign file",
            Document::TestFile => "test file",
        }
    }

    /// The help for an empty file: what it needs at least.
    fn empty_help(self) -> &'static str {
        match self {
            Document::Campaign => "a campaign needs at least `campaign`, `purpose`, `basis` and `data`",
            Document::TestFile => {
                "a test file holds `tests:`, a list of tests, each with a `name`, a campaign and `expect`"
            }
        }
    }

    /// The help for a second YAML document in the file.
    fn one_document_help(self) -> &'static str {
        match self {
            Document::Campaign => "put one campaign in each file",
            Document::TestFile => "put every test under the one `tests:` list, or in another file",
        }
    }

    /// The help for a file that holds more than the loader's limits allow.
    fn smaller_help(self) -> &'static str {
        match self {
            Document::Campaign => "split the campaign into smaller files",
            Document::TestFile => "split the tests over several files",
        }
    }
}

/// Parses the text of a campaign file (or of another `document`, which the messages name)
/// into a node tree, or one located YAML error.
///
/// ```
/// use lagom::campaign::yaml::{parse, Document};
/// use lagom::source::{FileId, SourceFile};
/// let empty = SourceFile::new("t.test.yaml", "# no tests yet\n");
/// assert_eq!(parse(FileId(0), &empty, Document::TestFile).unwrap_err().message, "test file is empty");
/// ```
pub fn parse(file: FileId, source: &SourceFile, document: Document) -> Result<Node, Problem> {
    let text: &str = &source.text;
    if let Some(problem) = wide_encoding_problem(source) {
        return Err(problem);
    }
    // Empty, blank or comment-only text: no line holds YAML. A lone `\r` ends a line too, as
    // it does to the parser (`# c\rcampaign: c` is a comment, then a key).
    if text.split(['\n', '\r']).all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        let message = format!("{} is empty", document.noun());
        return Err(Problem::at(Code::Yaml, Span { file, start: 0, end: 0 }, message, "nothing here")
            .with_help(document.empty_help()));
    }
    if let Some(root) = fast::parse(file, source) {
        return Ok(root);
    }
    build::document(file, source).map_err(|e| e.problem(file, source, document))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(t: &str) -> Result<Node, Problem> {
        parse(FileId(0), &SourceFile::new("c.yaml", t), Document::Campaign)
    }

    /// A file whose lines end in a lone `\r` and start with a comment is not empty: it was
    /// called empty while its second line held `campaign: c`.
    #[test]
    fn a_comment_then_keys_on_lines_ending_in_cr_is_no_empty_file() {
        let root = parse_text("# c\rcampaign: c\rdata: []\r").unwrap();
        assert!(matches!(root.value, Value::Map(ref entries) if entries.len() == 2), "{root:?}");
        assert_eq!(parse_text("# c\r# d\r").unwrap_err().message, "campaign file is empty");
    }

    #[test]
    fn keeps_types_and_positions() {
        let n = parse_text("a: 2026\nb: \"2026\"\nc: NO\nd: ~\n").unwrap();
        let Value::Map(entries) = n.value else { panic!("not a map") };
        let values: Vec<&Value> = entries.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(values, [&Value::Int(2026), &Value::Str("2026".into()), &Value::Str("NO".into()), &Value::Null]);
        assert_eq!(entries[1].1.span.start, 11);
    }

    #[test]
    fn rejects_duplicates_documents_and_empty_files() {
        assert!(parse_text("a: 1\na: 2\n").is_err());
        assert!(parse_text("a: 1\n---\na: 2\n").is_err());
        assert_eq!(parse_text("# nothing\n").unwrap_err().message, "campaign file is empty");
    }

    #[test]
    fn aliases_are_copies_placed_at_the_alias_and_merged_keys_come_last() {
        let n = parse_text("a: &x {k: 1}\nb: *x\nc: {j: 2, <<: *x}\n").unwrap();
        let Value::Map(entries) = n.value else { panic!("not a map") };
        let (Value::Map(b), Value::Map(c)) = (&entries[1].1.value, &entries[2].1.value) else { panic!("not maps") };
        // `*x` is at bytes 16..18: the copy and everything in it is placed there.
        assert_eq!((b[0].0.span.start, b[0].1.span.end), (16, 18));
        let keys: Vec<&Value> = c.iter().map(|(k, _)| &k.value).collect();
        assert_eq!(keys, [&Value::Str("j".into()), &Value::Str("k".into())]);
    }

    #[test]
    fn messages_keep_what_the_author_wrote_and_say_what_went_wrong() {
        let dup = parse_text("campaign: a\n\"x at line 3\": 1\n\"x at line 3\": 2\n").unwrap_err();
        assert_eq!(dup.message, "invalid YAML: duplicate mapping key: x at line 3");
        let doc = parse_text("campaign: a\ndocuments: 1\ndocuments: 2\n").unwrap_err();
        assert_eq!(doc.message, "invalid YAML: duplicate mapping key: documents");
        let unknown = parse_text("campaign: a\nb: *nope\n").unwrap_err();
        assert_eq!(unknown.code, Code::Yaml);
        assert!(unknown.help.as_deref().is_some_and(|h| h.contains("`&name`")), "{:?}", unknown.help);
        let bare = parse_text("campaign: a\nb: &\n").unwrap_err();
        assert_eq!(bare.code, Code::Yaml);
        assert!(bare.help.as_deref().is_some_and(|h| h.contains("quotes")), "{:?}", bare.help);
        let second = parse_text("campaign: a\n---\ncampaign: b\n").unwrap_err();
        assert_eq!(second.message, "a campaign file holds one YAML document; this is a second one");
    }

    #[test]
    fn a_test_file_is_named_as_one_in_the_messages_made_for_it() {
        let test_file = |t: &str| parse(FileId(0), &SourceFile::new("t.test.yaml", t), Document::TestFile).unwrap_err();
        let empty = test_file("# no tests yet\n");
        assert_eq!(empty.message, "test file is empty");
        assert!(empty.help.as_deref().is_some_and(|h| h.contains("`tests:`")), "{:?}", empty.help);
        let second = test_file("tests: []\n---\ntests: []\n");
        assert_eq!(second.message, "a test file holds one YAML document; this is a second one");
        assert_eq!(second.help.as_deref(), Some("put every test under the one `tests:` list, or in another file"));
        let deep = test_file(&format!("tests: {}{}\n", "[".repeat(40), "]".repeat(40)));
        assert_eq!(deep.code, Code::Limit);
        let help = deep.help.unwrap_or_default();
        assert!(help.starts_with("test files need only a few levels of nesting"), "{help}");
        let source = SourceFile::new("t.test.yaml", "tests: []\n");
        let parser_limit = error::ErrorKind::Parser("depth limit exceeded".into());
        let limit = parser_limit.problem(FileId(0), &source, None, Document::TestFile);
        let help = limit.help.unwrap_or_default();
        assert!(help.ends_with("; test files need neither") && !help.contains("campaign"), "{help}");
        let limit = parser_limit.problem(FileId(0), &source, None, Document::Campaign);
        assert!(limit.help.unwrap_or_default().ends_with("; campaign files need neither"));
        let nodes = budget::Breach::Nodes.problem(Span { file: FileId(0), start: 0, end: 0 }, Document::TestFile);
        assert_eq!(nodes.help.as_deref(), Some("split the tests over several files"));
    }

    #[test]
    fn alias_bombs_hit_the_budget() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = parse_text(&bomb).unwrap_err();
        assert_eq!(err.code, Code::Limit, "{}", err.message);
    }

    #[test]
    fn deep_nesting_hits_the_budget() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_text(&deep).is_err());
    }
}
