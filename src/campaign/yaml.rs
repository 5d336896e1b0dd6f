//! The one YAML loader: campaign text to a tree of located nodes, with explicit limits.
//!
//! serde-saphyr replaced serde_yaml: serde_yaml is archived, loses positions after
//! deserializing and hangs on deeply nested flow collections. serde-saphyr keeps the line and
//! column of every node (`Spanned`) and enforces budgets against alias bombs and deep nesting.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, SourceFile, Span};

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
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// What serde-saphyr gives us before spans are converted to ours.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Raw>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            out.push(item);
        }
        Ok(Raw::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<Spanned<Raw>>()? {
            let v = map.next_value::<Spanned<Raw>>()?;
            out.push((k, v));
        }
        Ok(Raw::Map(out))
    }
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_aliases = MAX_YAML_ALIASES;
    budget.max_documents = 1;
    budget.max_reader_input_bytes = usize::try_from(MAX_CAMPAIGN_FILE_BYTES).ok();
    let mut opts = Options::default();
    opts.budget = Some(budget);
    opts.alias_limits.max_total_replayed_events = MAX_ALIAS_REPLAY_EVENTS;
    opts.with_snippet = false;
    // YAML 1.2 core schema: only `true` and `false` are booleans, so `NO` (Norway) is text.
    opts.strict_booleans = true;
    opts
}

/// Parses a campaign file's text into a node tree, or one located YAML error.
pub fn parse(file: FileId, source: &SourceFile) -> Result<Node, Problem> {
    let text: &str = &source.text;
    if text.trim().is_empty() || text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Problem::at(Code::Yaml, Span { file, start: 0, end: 0 }, "campaign file is empty", "nothing here")
            .with_help("a campaign needs at least `campaign`, `purpose`, `basis` and `data`"));
    }
    let raw: Spanned<Raw> =
        serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(file, source, &e))?;
    Ok(convert(file, source, raw))
}

fn convert(file: FileId, source: &SourceFile, raw: Spanned<Raw>) -> Node {
    let span = to_span(file, source, &raw.referenced);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|i| convert(file, source, i)).collect()),
        Raw::Map(entries) => {
            Value::Map(entries.into_iter().map(|(k, v)| (convert(file, source, k), convert(file, source, v))).collect())
        }
    };
    Node { value, span }
}

fn to_span(file: FileId, source: &SourceFile, loc: &serde_saphyr::Location) -> Span {
    let s = loc.span();
    let start = match s.byte_offset() {
        Some(b) => usize::try_from(b).unwrap_or(0),
        None => source.offset_of(loc.line() as usize, loc.column() as usize),
    };
    let len = s.byte_len().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
    Span { file, start, end: start + len }
}

fn yaml_error(file: FileId, source: &SourceFile, e: &serde_saphyr::Error) -> Problem {
    let start =
        e.location().filter(|l| l.line() > 0).map_or(0, |l| source.offset_of(l.line() as usize, l.column() as usize));
    let raw = e.without_snippet().to_string();
    // The library's message may end with its own position; ours is shown by the renderer.
    let message = raw.split(" at line ").next().unwrap_or(&raw).trim().trim_end_matches('.').to_string();
    let message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(&message).to_string();
    let lower = message.to_lowercase();
    let at = Span { file, start, end: start };
    if lower.contains("documents") {
        return Problem::at(
            Code::Yaml,
            at,
            "a campaign file holds one YAML document; this is a second one",
            "second document",
        )
        .with_help("put one campaign in each file");
    }
    let (code, help) = if lower.contains("duplicate") {
        (Code::Yaml, "each key may appear once in a mapping")
    } else if ["budget", "limit", "depth", "alias", "recursion"].iter().any(|w| lower.contains(w)) {
        (Code::Limit, "the file is nested too deeply or expands too many aliases; campaign files need neither")
    } else {
        (Code::Yaml, "check the indentation and brackets around this line")
    };
    Problem::at(code, at, format!("invalid YAML: {}", lowercase_first(&message)), "here").with_help(help)
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(t: &str) -> Result<Node, Problem> {
        parse(FileId(0), &SourceFile::new("c.yaml", t))
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
