//! The loader this module replaced, kept verbatim as the reference the differential tests hold
//! the event-based loader to: serde-saphyr deserialising `Spanned<Raw>` with the same options.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use super::budget::Breach;
use super::error::ErrorKind;
use super::scalar::Invalid;
use super::{
    Node, Value, MAX_ALIAS_REPLAY_EVENTS, MAX_CAMPAIGN_FILE_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_NODES,
};
use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, SourceFile, Span};

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
    // YAML 1.2 core: `1_000` is text, `.nan` and `.inf` are floats (a label keeps their text).
    opts.underscored_numbers_as_strings = true;
    opts.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    opts
}

/// Parses a campaign file's text into a node tree, or one located YAML error.
pub(super) fn parse(file: FileId, source: &SourceFile) -> Result<Node, Problem> {
    let text: &str = &source.text;
    if let Some(problem) = super::wide_encoding_problem(source) {
        return Err(problem);
    }
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
    // The wording, help and code are the loader's, shared with the event-based loader.
    let place = e.location().map(|l| (l.line(), l.column()));
    let message = e.without_snippet().to_string();
    kind(without_position(&message)).problem(file, source, place, super::Document::Campaign)
}

/// A displayed YAML error without the positions the library appends (`at line L, column C`,
/// and for a value that came from an alias `(defined at …) (used at …)`). Only a trailing
/// position is removed, so a key that reads "x at line 3" stays.
fn without_position(raw: &str) -> &str {
    let mut message = raw.trim_end();
    if let Some(i) = message.find(" (defined at line ") {
        message = message.get(..i).unwrap_or(message);
    }
    if let Some((head, tail)) = message.rsplit_once(" at line ") {
        let tail = tail.trim_end_matches('.');
        let numbers = tail.split_once(", column ");
        let is_position = numbers
            .is_some_and(|(l, c)| l.bytes().all(|b| b.is_ascii_digit()) && c.bytes().all(|b| b.is_ascii_digit()));
        if is_position {
            message = head;
        }
    }
    message
}

/// The kind of error a serde-saphyr message (without position) tells, read back from its
/// words; any message the event-based loader makes a kind of its own for is read here.
fn kind(message: &str) -> ErrorKind {
    let message = message.trim().trim_end_matches('.');
    let message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(message);
    let lower = message.to_lowercase();
    if lower.starts_with("multiple") && lower.contains("documents") {
        return ErrorKind::SecondDocument;
    }
    if let Some(breach) = message.strip_prefix("budget breached: ").and_then(breach) {
        return ErrorKind::Breach(breach);
    }
    if message.starts_with("alias replay limit exceeded") {
        return ErrorKind::AliasReplay;
    }
    if message.starts_with("recursive references") {
        return ErrorKind::RecursiveAlias;
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        return ErrorKind::Duplicate(Some(key.to_string()));
    }
    if let Some(tag) = message.strip_prefix("unsupported tag `").and_then(|t| t.strip_suffix('`')) {
        return ErrorKind::UnsupportedTag(tag.to_string());
    }
    match message {
        "recursion limit exceeded" => ErrorKind::ParserNesting,
        "duplicate mapping key" => ErrorKind::Duplicate(None),
        "alias references unknown anchor" => ErrorKind::UnknownAnchor,
        "!include currently only supports the scalar form: !include <path>" => ErrorKind::IncludeNotScalar,
        "invalid u64" | "invalid i64" => ErrorKind::Scalar(Invalid::Int),
        "invalid floating point" => ErrorKind::Scalar(Invalid::Float),
        "invalid boolean (strict mode expects true/false)" => ErrorKind::Scalar(Invalid::Bool),
        "invalid !!binary base64" => ErrorKind::Scalar(Invalid::Base64),
        "cannot deserialize tagged scalar into string" => ErrorKind::Scalar(Invalid::TaggedNotString),
        m if m.starts_with("!!binary scalar is not valid UTF-8") => ErrorKind::Scalar(Invalid::BinaryNotUtf8),
        m => ErrorKind::Parser(m.to_string()),
    }
}

/// A breach from the `Debug` form serde-saphyr gives it (`Depth { depth: 33 }`).
fn breach(text: &str) -> Option<Breach> {
    let (name, fields) = text.split_once(" {").unwrap_or((text, ""));
    let field = |wanted: &str| {
        fields.trim_end_matches('}').split(',').find_map(|f| {
            let (key, value) = f.split_once(':')?;
            (key.trim() == wanted).then(|| value.trim().parse().ok()).flatten()
        })
    };
    Some(match name {
        "Events" => Breach::Events,
        "Aliases" => Breach::Aliases,
        "Anchors" => Breach::Anchors,
        "Depth" => Breach::Depth,
        "Documents" => Breach::Documents,
        "Nodes" => Breach::Nodes,
        "ScalarBytes" => Breach::ScalarBytes,
        "MergeKeys" => Breach::MergeKeys,
        "AliasAnchorRatio" => Breach::AliasAnchorRatio { aliases: field("aliases")?, anchors: field("anchors")? },
        "SequenceUnbalanced" => Breach::SequenceUnbalanced,
        "RecordedAnchorEvents" => Breach::RecordedAnchorEvents,
        "RecordedAnchorBytes" => Breach::RecordedAnchorBytes,
        _ => return None,
    })
}

#[test]
fn positions_are_removed_only_at_the_end() {
    assert_eq!(
        without_position("duplicate mapping key: x at line 3 at line 4, column 1"),
        "duplicate mapping key: x at line 3"
    );
    assert_eq!(without_position("e at line 2, column 5 (defined at line 1, column 4) (used at line 2, column 5)"), "e");
}
