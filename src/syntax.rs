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
mod slips;
pub mod spanless;

pub use parser::parse_file;

/// The limit on nesting of expressions and taxonomy braces, so hostile input cannot exhaust
/// the stack of the parser or of later recursive stages.
pub const MAX_NESTING: usize = 64;

/// The spellings of a duration's unit. The grammar takes any lower-case word there and the
/// policy checker names the unknown ones; the syntax messages need them to tell `24 Months`
/// (a unit in capitals) from `24 Monate` (no unit at all).
pub const DURATION_UNITS: [&str; 8] = ["day", "days", "week", "weeks", "month", "months", "year", "years"];

/// The unit (its singular) that an abbreviation or a capitalised spelling stands for (`yrs`,
/// `Mo`, `wk`, `Months`), for a "did you mean": an edit distance finds none of these, and they
/// are what people write. Never accepted as a unit itself: a duration has one spelling.
pub fn unit_meant(word: &str) -> Option<&'static str> {
    let lower = word.to_lowercase();
    Some(match lower.trim_end_matches('.') {
        "d" | "dy" | "dys" | "day" | "days" => "day",
        "w" | "wk" | "wks" | "week" | "weeks" => "week",
        "m" | "mo" | "mos" | "mon" | "mons" | "mth" | "mths" | "mnth" | "mnths" | "month" | "months" => "month",
        "y" | "yr" | "yrs" | "yy" | "year" | "years" => "year",
        _ => return None,
    })
}

/// The help for a duration whose number is not whole (`2.5 years`), in policies and campaigns.
pub const WHOLE_DURATION: &str = "the number must be whole: use a smaller unit (`30 months`, not `2.5 years`)";

/// The grammar's keywords (`keyword` in `grammar/lagom.pest`), which no name may be.
const KEYWORDS: [&str; 34] = [
    "policy", "version", "basis", "channel", "set", "category", "purpose", "under", "rule", "allow", "deny", "warn",
    "retain", "at", "most", "for", "campaign", "when", "unless", "because", "cite", "and", "or", "not", "any", "all",
    "is", "empty", "in", "contains", "within", "overlaps", "true", "false",
];
