//! Stage 1: policy text to an abstract syntax tree with spans, and nothing else. Names are not
//! resolved and types are not checked here; `policy` does that.

pub mod ast;
mod braces;
mod code;
pub mod comments;
mod errors;
mod fast;
mod hidden;
mod nested;
mod parser;
mod slips;
pub mod spanless;

pub(crate) use code::scan_code;
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

/// A number written in groups of three digits at the start of `text` (`10,000`, `1 000`,
/// `1_000`, `1'000`), in policies and campaigns: the separator, the digits joined, and what
/// follows the last group. `None` when the digits are not such groups: a first part of more
/// than three digits or with a leading `0` (`0,500` is a half), a group of another length, or
/// one group of three after `.` or `,` other than `000` (`1.125` may be a decimal, and a
/// length a thousand times longer would be no safe advice: a looser cap in a policy).
pub fn grouped_digits(text: &str) -> Option<(char, String, &str)> {
    fn split(t: &str) -> (&str, &str) {
        t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()))
    }
    let (first, mut rest) = split(text);
    let separator =
        rest.chars().next().filter(|c| matches!(c, ',' | '.' | '_' | '\'' | '’' | ' ' | '\u{a0}' | '\u{202f}'))?;
    if first.is_empty() || first.len() > 3 || first.starts_with('0') {
        return None;
    }
    let mut number = first.to_string();
    // A space also stands before a unit: a group is the digits right after the separator.
    while let Some((group, after)) = rest.strip_prefix(separator).map(split).filter(|(g, _)| !g.is_empty()) {
        if group.len() != 3 {
            return None;
        }
        number.push_str(group);
        rest = after;
    }
    let groups = (number.len() - first.len()) / 3;
    let maybe_decimal = groups == 1 && matches!(separator, '.' | ',') && !number.ends_with("000");
    (groups > 0 && !maybe_decimal).then_some((separator, number, rest))
}

/// The help for a duration that is more than one number and one unit (`1y6m`, `1 year 6
/// months`) in a policy: naming the first length would shorten the whole.
pub const ONE_DURATION: &str = "a duration is one number and one unit: add the lengths up, e.g. `18 months`";

/// The help for a duration whose number is not whole (`2.5 years`), in policies and campaigns.
pub const WHOLE_DURATION: &str = "the number must be whole: use a smaller unit (`30 months`, not `2.5 years`)";

/// A path or field as written, without the white space the grammar allows around its dots
/// (`contact . email` is `contact.email`, spec 1).
fn dotted_text(written: &str) -> String {
    if written.contains(|c: char| c.is_ascii_whitespace()) {
        written.chars().filter(|c| !c.is_ascii_whitespace()).collect()
    } else {
        written.to_string()
    }
}

/// A string's text with each line break inside it a `\n`, as YAML reads its scalars: a `\r\n`
/// (a file checked out with Windows line endings) or a lone `\r` would otherwise reach the
/// reports as written, so that the same policy gave other messages on Windows, and a lone `\r`
/// sent to a terminal overwrites the start of the line it ends.
fn with_plain_line_breaks(value: String) -> String {
    if value.contains('\r') {
        value.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        value
    }
}

/// The keywords that start a declaration (`item` in `grammar/lagom.pest`): what a policy
/// file's first line starts with.
pub const DECLARATION_KEYWORDS: [&str; 7] = ["policy", "basis", "channel", "set", "category", "purpose", "rule"];

/// The grammar's keywords (`keyword` in `grammar/lagom.pest`), which no name may be.
const KEYWORDS: [&str; 34] = [
    "policy", "version", "basis", "channel", "set", "category", "purpose", "under", "rule", "allow", "deny", "warn",
    "retain", "at", "most", "for", "campaign", "when", "unless", "because", "cite", "and", "or", "not", "any", "all",
    "is", "empty", "in", "contains", "within", "overlaps", "true", "false",
];
