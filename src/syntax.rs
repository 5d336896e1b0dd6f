//! Stage 1: policy text to an abstract syntax tree with spans, and nothing else. Names are not
//! resolved and types are not checked here; `policy` does that.

pub mod ast;
mod bidi;
mod braces;
mod code;
pub mod comments;
mod errors;
mod fast;
mod nested;
mod parser;
pub mod spanless;

pub use parser::parse_file;

/// The limit on nesting of expressions and taxonomy braces, so hostile input cannot exhaust
/// the stack of the parser or of later recursive stages.
pub const MAX_NESTING: usize = 64;

/// The spellings of a duration's unit. The grammar takes any lower-case word there and the
/// policy checker names the unknown ones; the syntax messages need them to tell `24 Months`
/// (a unit in capitals) from `24 Monate` (no unit at all).
pub const DURATION_UNITS: [&str; 8] = ["day", "days", "week", "weeks", "month", "months", "year", "years"];

/// The grammar's keywords (`keyword` in `grammar/lagom.pest`), which no name may be.
const KEYWORDS: [&str; 34] = [
    "policy", "version", "basis", "channel", "set", "category", "purpose", "under", "rule", "allow", "deny", "warn",
    "retain", "at", "most", "for", "campaign", "when", "unless", "because", "cite", "and", "or", "not", "any", "all",
    "is", "empty", "in", "contains", "within", "overlaps", "true", "false",
];
