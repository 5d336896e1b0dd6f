//! What an explicit tag means to the loader (serde-saphyr 2.2's `tags.rs`): the YAML core
//! tags in any spelling (`!!int`, `!<tag:yaml.org,2002:int>`, `%TAG` handles), local ones
//! (`!int`, `!binary`), `!!merge`, `!include`, and anything else as an unknown tag.

const YAML_NAMESPACE: &str = "tag:yaml.org,2002:";
const INCLUDE_PREFIXES: [&str; 3] = ["!include", "tag:yaml.org,2002:include", "tag:yaml.org,2002:!include"];

/// What an explicit tag means to the loader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Tag {
    None,
    Int,
    Float,
    Bool,
    Null,
    Seq,
    Map,
    TimeStamp,
    Time,
    Binary,
    String,
    Merge,
    Value,
    NonSpecific,
    Include,
    Degrees,
    Radians,
    Other,
}

/// The kind of node a tag is written on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar,
    Sequence,
    Mapping,
}

impl Tag {
    /// The meaning of a parser tag.
    pub(super) fn of(tag: Option<&granit_parser::Tag>) -> Tag {
        let Some(tag) = tag else { return Tag::None };
        if is_include(tag) {
            return Tag::Include;
        }
        if let Some(core) = tag.core_suffix().and_then(core_suffix) {
            return core;
        }
        match tag.suffix_in_namespace(YAML_NAMESPACE) {
            Some(s) if s == "merge" => Tag::Merge,
            Some(s) if s == "value" => Tag::Value,
            Some(s) => named(s.strip_prefix('!').unwrap_or(&s)),
            None => match tag.suffix_in_namespace("!") {
                None => Tag::Other,
                Some(s) => match s.as_ref() {
                    "" | "!" => Tag::NonSpecific,
                    "!timestamp" => Tag::TimeStamp,
                    "!binary" => Tag::Binary,
                    name => match name.strip_prefix('!') {
                        Some(name) => core_suffix(name).unwrap_or(Tag::Other),
                        None => named(name),
                    },
                },
            },
        }
    }

    /// The node kind the tag is only valid on.
    pub(super) fn requires(self) -> Option<Kind> {
        match self {
            Tag::Seq => Some(Kind::Sequence),
            Tag::Map => Some(Kind::Mapping),
            Tag::None | Tag::NonSpecific | Tag::Other => None,
            _ => Some(Kind::Scalar),
        }
    }

    pub(super) fn forces_string(self) -> bool {
        matches!(self, Tag::String | Tag::NonSpecific)
    }

    pub(super) fn is_robotics(self) -> bool {
        matches!(self, Tag::Time | Tag::Degrees | Tag::Radians)
    }

    pub(super) fn can_parse_into_string(self) -> bool {
        matches!(self, Tag::None | Tag::String | Tag::Merge | Tag::Value | Tag::Other | Tag::Include | Tag::NonSpecific)
    }

    pub(super) fn is_core(self) -> bool {
        matches!(self, Tag::Int | Tag::Float | Tag::Bool | Tag::Null | Tag::Seq | Tag::Map | Tag::String)
    }
}

fn is_include(tag: &granit_parser::Tag) -> bool {
    INCLUDE_PREFIXES
        .iter()
        .filter_map(|prefix| tag.suffix_in_namespace(prefix))
        .any(|rest| rest.is_empty() || rest.starts_with('#'))
}

fn named(name: &str) -> Tag {
    match name {
        "int" => Tag::Int,
        "float" => Tag::Float,
        "bool" => Tag::Bool,
        "null" => Tag::Null,
        "seq" => Tag::Seq,
        "map" => Tag::Map,
        "str" => Tag::String,
        "timestamp" => Tag::TimeStamp,
        "time" => Tag::Time,
        "binary" => Tag::Binary,
        "include" => Tag::Include,
        "degrees" => Tag::Degrees,
        "radians" => Tag::Radians,
        _ => Tag::Other,
    }
}

fn core_suffix(suffix: &str) -> Option<Tag> {
    Some(match suffix {
        "null" => Tag::Null,
        "bool" => Tag::Bool,
        "int" => Tag::Int,
        "float" => Tag::Float,
        "map" => Tag::Map,
        "seq" => Tag::Seq,
        "str" => Tag::String,
        _ => return None,
    })
}
