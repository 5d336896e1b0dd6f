//! Reading a retention: one whole number and one unit (spec 2.3), and, for one that is not,
//! why, with the duration meant where it can be told.

use super::super::model::*;
use super::super::yaml::{Node, Value};
use super::{duration, Reader};
use crate::chars::{describe, is_unseen};
use crate::diagnostic::Code;
use crate::policy::{DurationUnit, Retention};

impl Reader<'_> {
    pub(super) fn duration(&mut self, node: &Node) -> Option<Located<Retention>> {
        let help = "write a number and a unit: `30 days`, `6 weeks`, `24 months` or `2 years`";
        let text = match &node.value {
            Value::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                self.error(
                    Code::Duration,
                    node.span,
                    format!("malformed duration `{s}`: the unit is missing"),
                    "no unit",
                    add_a_unit(s),
                );
                return None;
            }
            Value::Str(s) => s.clone(),
            Value::Int(n) => {
                self.error(
                    Code::Duration,
                    node.span,
                    format!("retention `{n}` has no unit"),
                    "bare number",
                    if *n >= 0 { add_a_unit(&n.to_string()) } else { help.into() },
                );
                return None;
            }
            other => {
                self.error(
                    Code::Duration,
                    node.span,
                    format!("retention must be a duration, found {}", other.describe()),
                    "not a duration",
                    help.into(),
                );
                return None;
            }
        };
        match read_duration(&text) {
            Ok(r) => Some(Located { value: r, span: node.span }),
            Err((why, own_help)) => {
                self.error(
                    Code::Duration,
                    node.span,
                    // A tab inside the quote would look like spaces.
                    format!(
                        "malformed duration `{}`: {why}",
                        text.replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
                    ),
                    "malformed duration",
                    own_help.unwrap_or_else(|| help.into()),
                );
                None
            }
        }
    }
}

/// Parses `N unit` (spec 2.3): a non-negative integer, one or more spaces, a lower-case unit.
/// The error says why `text` is not one, with how to write it.
pub fn parse_duration(text: &str) -> Result<Retention, String> {
    read_duration(text).map_err(|(why, help)| match help {
        Some(help) => format!("{why}; {help}"),
        None => why,
    })
}

/// [`parse_duration`], with the help of its own that a retention almost right gets (`1 year 6
/// months`: `18 months`), apart from the reason.
fn read_duration(text: &str) -> Result<Retention, (String, Option<String>)> {
    // A duration is read as the spec says; only what it refuses is looked at again.
    one_number_and_unit(text).map_err(|refused| match duration::slip(text) {
        Some(slip) => (slip.why, Some(slip.help)),
        None => refused,
    })
}

/// Why a retention that does not start with an ASCII digit is none, in the words of what it
/// starts with: `-1 months`, `+24 months` and `２４ months` do start with a number.
fn no_leading_number(text: &str) -> Refusal {
    if let Some(refusal) = bound_or_no_length(text) {
        return refusal;
    }
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    let second_is_digit = second.is_some_and(|c| c.is_ascii_digit());
    let why = match first {
        Some(c) if is_unseen(c) => format!("it starts with {}: remove it", describe(c)),
        Some('-') if second_is_digit => "a retention cannot be negative".into(),
        Some('+') if second_is_digit => "write the number without a sign".into(),
        Some(c) if c.is_numeric() => format!("`{c}` is not one of the digits 0-9: write the number with them"),
        Some('P') if second_is_digit || second == Some('T') => match iso_duration(text) {
            Some(r) => format!("ISO 8601 durations are not read: write `{r}`"),
            None => "ISO 8601 durations are not read: write a number and a unit, e.g. `18 months`".into(),
        },
        _ => "it must start with a whole number".into(),
    };
    (why, None)
}

/// Words that say a retention has no end, or ends on an event rather than after a length.
const NO_LENGTH: [&str; 10] = [
    "forever",
    "indefinitely",
    "indefinite",
    "unlimited",
    "permanent",
    "permanently",
    "infinite",
    "until",
    "till",
    "as long as",
];

/// Words before a length that say it is the most: a retention is that already. `about` and
/// `~` are not among them (about 13 months may be more), nor `>` and `over`. A longer word
/// comes before the word it starts with.
const AT_MOST: [&str; 10] =
    ["at most", "up to", "maximum", "max.", "max", "no more than", "not more than", "<=", "≤", "<"];

/// `max 13 months` (the length with a word saying it is the most, which it is: `13 months`)
/// and `forever` or `until the account is closed` (no length at all).
fn bound_or_no_length(text: &str) -> Option<Refusal> {
    let lower = text.to_lowercase();
    if NO_LENGTH.iter().any(|w| lower == *w || lower.starts_with(&format!("{w} "))) {
        return Some((
            "a retention is a length of time: data kept without end, or until an event, states none".into(),
            Some("write the longest time the data is kept, e.g. `24 months`".into()),
        ));
    }
    let word = AT_MOST.iter().find(|w| lower.starts_with(**w))?;
    let after = lower.get(word.len()..)?;
    let length = after.trim_start_matches(' ');
    // A word needs a space after it (`maximum13` is none); a sign does not (`<13 months`).
    if word.ends_with(char::is_alphabetic) && length.len() == after.len() {
        return None;
    }
    let r = one_number_and_unit(length).ok()?;
    Some((
        format!("a retention is the longest time the data is kept: `{word}` says it again"),
        Some(format!("write `{r}`")),
    ))
}

/// The duration an ISO 8601 period of one part means (`P1Y`, `P18M`, `P6W`, `P30D`).
fn iso_duration(text: &str) -> Option<String> {
    let body = text.get(1..)?;
    let (digits, unit) = body.split_at(body.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = digits.parse().ok()?;
    let unit = match unit {
        "Y" => "year",
        "M" => "month",
        "W" => "week",
        "D" => "day",
        _ => return None,
    };
    Some(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }))
}

/// Why a retention is refused, and the fix when one can be told.
type Refusal = (String, Option<String>);

/// Why a retention that is more than one number and one unit is refused, when no length can be
/// told for it.
const ONE_LENGTH: &str =
    "a retention is one whole number and one unit: the longest time the data is kept, e.g. `30 months` for two and \
     a half years";

/// A duration that is one number and one unit, or why `text` is not one.
fn one_number_and_unit(text: &str) -> Result<Retention, Refusal> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, rest) = text.split_at(digits_end);
    if digits.is_empty() {
        return Err(no_leading_number(text));
    }
    let write = |r: Retention| Some(format!("write `{r}`"));
    // What stands between the number and the unit: spaces, or what a reader takes for them
    // (a non-breaking space from a word processor looks like a space and is not one).
    let unit = rest.trim_start_matches(|c: char| c == ' ' || is_unseen(c));
    let gap = rest.get(..rest.len() - unit.len()).unwrap_or("");
    if let Some(c) = gap.chars().find(|&c| c != ' ') {
        let why = match c {
            '\t' => "separate the number and the unit with spaces, not tabs".into(),
            c => format!("it holds {} between the number and the unit: retype it as a plain space", describe(c)),
        };
        return Err((why, None));
    }
    if gap.is_empty() {
        let meant = digits.parse().ok().and_then(|n| Retention::meant(n, rest));
        return Err(match (rest.chars().next(), meant) {
            (None, _) => ("the unit is missing".into(), None),
            // `12,24 months` may be 12 or 24 months as well as 12.24.
            (Some(','), _) => {
                ("write one whole number: a comma may stand in a decimal or between two numbers".into(), None)
            }
            (Some('.'), _) => (crate::syntax::WHOLE_DURATION.into(), None),
            (Some(_), Some(r)) => ("the number and the unit are written together".into(), write(r)),
            // `12%` or `1_000`: no unit follows the number.
            (Some(_), None) if !rest.contains(char::is_alphabetic) => ("the unit is missing".into(), None),
            // `24mnths`: a word right after the number.
            (Some(_), None) if rest.chars().all(char::is_alphabetic) => {
                ("put a space between the number and the unit".into(), None)
            }
            // `1/2 year`, `0x10 days`, `6-12months`.
            (Some(_), None) => (ONE_LENGTH.into(), None),
        });
    }
    if let Some((at, c)) = unit.char_indices().find(|&(_, c)| is_unseen(c)) {
        let trailing = unit.get(at..).is_some_and(|t| t.chars().all(is_unseen));
        let place = if trailing { "after" } else { "in" };
        return Err((format!("it holds {} {place} the unit: remove it", describe(c)), None));
    }
    let Some(u) = DurationUnit::parse(unit) else {
        // `24 months ` or `24 months;`: a unit, then a space or a closing mark, which reads as
        // part of it. Only marks that end a sentence or a quote are named for removal: what else
        // follows may lengthen the time (`2 years and a half`, `24 months or more`,
        // `2 years-6 months`), and a fix that drops it would declare less than is kept.
        let (word, tail) = unit.split_at(unit.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(unit.len()));
        let a_mark = |t: &str| {
            !t.is_empty() && t.chars().all(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | ')' | ']'))
        };
        let is_unit = DurationUnit::parse(word).is_some();
        if is_unit && tail.trim_start_matches(' ').is_empty() {
            return Err((format!("remove the space after `{word}`: a duration ends with its unit"), None));
        }
        if is_unit && a_mark(tail) {
            return Err((format!("a duration ends with its unit: remove `{tail}` after `{word}`"), None));
        }
        // `1 year and a half`, `24 months or more`, `2 years-6 months`: more than one number and
        // one unit, whose length is not told (a part of it would be less).
        if is_unit || unit.contains(char::is_numeric) {
            return Err((ONE_LENGTH.to_string(), None));
        }
        let lower = unit.to_lowercase();
        let meant = digits.parse().ok().and_then(|n| Retention::meant(n, unit));
        return Err(match (meant, DurationUnit::suggest(unit, digits.parse().ok())) {
            _ if DurationUnit::parse(&lower).is_some() => {
                ("units are written in lower case".into(), Some(format!("write `{digits} {lower}`")))
            }
            (Some(r), _) => (format!("unknown unit `{unit}`"), Some(format!("did you mean `{r}`?"))),
            (None, Some(s)) => (format!("unknown unit `{unit}`"), Some(format!("did you mean `{digits} {s}`?"))),
            (None, None) => (format!("unknown unit `{unit}`"), None),
        });
    };
    let shorter = || Some("write a shorter length".to_string());
    let amount: u64 = digits.parse().map_err(|_| ("the number is too large".to_string(), shorter()))?;
    Retention::new(amount, u).ok_or_else(|| ("the duration is too long".to_string(), shorter()))
}

/// The help for a retention without a unit: months first, the unit marketers mean most often.
pub(super) fn add_a_unit(number: &str) -> String {
    format!("add a unit: `{number} months`, `{number} days`, `{number} weeks` or `{number} years`")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{first_problem, HEAD};
    use super::*;

    #[test]
    fn durations_follow_the_spec() {
        assert_eq!(parse_duration("24 months"), parse_duration("730 days"));
        assert_eq!(parse_duration("1 days").map(|r| r.twelfths_of_a_day), Ok(12));
        assert!(parse_duration("24").is_err());
        assert!(parse_duration("24months").is_err());
        assert!(parse_duration("24 Months").is_err());
        assert!(parse_duration("-1 days").is_err());
        assert!(parse_duration("2 monts").unwrap_err().contains("months"));
        assert_eq!(parse_duration("1 Day").unwrap_err(), "units are written in lower case; write `1 day`");
        assert!(parse_duration("2.5 years").unwrap_err().contains("the number must be whole"));
        assert!(parse_duration("1\tday").unwrap_err().contains("not tabs"));
        assert!(parse_duration("24months").unwrap_err().contains("written together"));
        assert_eq!(
            parse_duration("24 months ").unwrap_err(),
            "remove the space after `months`: a duration ends with its unit"
        );
        assert_eq!(
            parse_duration("24 months;").unwrap_err(),
            "a duration ends with its unit: remove `;` after `months`"
        );
        assert!(parse_duration("2 years-6 months").unwrap_err().contains("`30 months`"));
        // Whatever else follows the unit may lengthen the time: no fix drops it.
        for text in ["1 day#x", "1 year and a half", "24 months or more", "24 months+6"] {
            assert!(
                parse_duration(text).unwrap_err().starts_with("a retention is one whole number and one unit"),
                "{text}"
            );
        }
        // More after the mark is another length, never dropped; a line break is not quoted.
        assert!(parse_duration("2 years; 6 months").unwrap_err().contains("`30 months`"));
        let err = parse_duration("24 months\n::error::x").unwrap_err();
        assert!(!err.contains('\n'), "{err}");
        assert_eq!(
            parse_duration("10,000 days").unwrap_err(),
            "the number is written with `,` between groups of digits; write `10000 days`, the number without separators"
        );
    }

    /// Abbreviations are what people write; each is refused with the duration it stands for.
    #[test]
    fn an_abbreviated_unit_is_refused_with_the_duration_meant() {
        assert_eq!(parse_duration("2 yrs").unwrap_err(), "unknown unit `yrs`; did you mean `2 years`?");
        assert_eq!(parse_duration("1 yr").unwrap_err(), "unknown unit `yr`; did you mean `1 year`?");
        assert_eq!(parse_duration("6 mos").unwrap_err(), "unknown unit `mos`; did you mean `6 months`?");
        assert_eq!(parse_duration("12%").unwrap_err(), "the unit is missing");
        assert_eq!(
            parse_duration("2yrs").unwrap_err(),
            "the number and the unit are written together; write `2 years`"
        );
        assert_eq!(
            parse_duration("24months").unwrap_err(),
            "the number and the unit are written together; write `24 months`"
        );
    }

    /// A retention that starts with a number written otherwise is told so: each was told it
    /// "must start with a whole number", which it visibly does.
    #[test]
    fn a_number_written_otherwise_is_named() {
        assert_eq!(parse_duration("-1 months").unwrap_err(), "a retention cannot be negative");
        assert_eq!(parse_duration("+24 months").unwrap_err(), "write the number without a sign");
        assert!(parse_duration("２４ months").unwrap_err().starts_with("`２` is not one of the digits 0-9"));
        assert_eq!(parse_duration("P1Y").unwrap_err(), "ISO 8601 durations are not read: write `1 year`");
        assert_eq!(parse_duration("P18M").unwrap_err(), "ISO 8601 durations are not read: write `18 months`");
        assert!(parse_duration("PT36H").unwrap_err().starts_with("ISO 8601 durations are not read: write a number"));
        assert_eq!(parse_duration("soon").unwrap_err(), "it must start with a whole number");
    }

    /// A retention with a word saying it is the most is that length; one with no end, or an
    /// event for its end, states no length. Neither was told more than "it must start with a
    /// whole number".
    #[test]
    fn a_bound_word_is_dropped_and_no_length_is_named() {
        for text in
            ["max 13 months", "Max. 13 months", "up to 13 months", "at most 13 months", "<13 months", "≤ 13 months"]
        {
            assert!(parse_duration(text).unwrap_err().ends_with("says it again; write `13 months`"), "{text}");
        }
        // About 13 months may be more, and more than 13 months is: no length is told.
        for text in ["~13 months", "about 13 months", ">13 months", "over 13 months", "maximum13 months"] {
            assert_eq!(parse_duration(text).unwrap_err(), "it must start with a whole number", "{text}");
        }
        for text in ["Permanent", "forever", "until the account is closed", "as long as needed"] {
            assert_eq!(
                parse_duration(text).unwrap_err(),
                "a retention is a length of time: data kept without end, or until an event, states none; \
                 write the longest time the data is kept, e.g. `24 months`",
                "{text}"
            );
        }
    }

    /// A space that is not one (pasted from a word processor) is named: the message showed
    /// `24 months` and spoke of tabs.
    #[test]
    fn a_look_alike_space_in_a_retention_is_named() {
        let nbsp = "it holds a non-breaking space (U+00A0) between the number and the unit: retype it as a plain space";
        assert_eq!(parse_duration("24\u{a0}months").unwrap_err(), nbsp);
        assert_eq!(parse_duration("24 \u{a0}months").unwrap_err(), nbsp);
        assert_eq!(
            parse_duration("24\u{200b}months").unwrap_err(),
            "it holds a zero-width space (U+200B) between the number and the unit: retype it as a plain space"
        );
        assert_eq!(parse_duration("1\tday").unwrap_err(), "separate the number and the unit with spaces, not tabs");
        assert_eq!(
            parse_duration("24 months\u{a0}").unwrap_err(),
            "it holds a non-breaking space (U+00A0) after the unit: remove it"
        );
        assert_eq!(
            parse_duration("24 mon\u{ad}ths").unwrap_err(),
            "it holds a soft hyphen (U+00AD) in the unit: remove it"
        );
        assert_eq!(
            parse_duration("\u{feff}24 months").unwrap_err(),
            "it starts with a byte order mark (U+FEFF): remove it"
        );
        let (message, _) =
            first_problem(&format!("{HEAD}data:\n  - category: contact.email\n    retention: 24\u{a0}months\n"));
        assert_eq!(message, format!("malformed duration `24\u{a0}months`: {nbsp}"));
    }

    /// A bare number gets the units to choose from, months first: what marketers mean most.
    #[test]
    fn a_retention_without_a_unit_is_given_the_units() {
        for (value, message) in
            [("24", "retention `24` has no unit"), ("\"24\"", "malformed duration `24`: the unit is missing")]
        {
            let text = format!("{HEAD}data:\n  - category: contact.email\n    retention: {value}\n");
            assert_eq!(
                first_problem(&text),
                (message.to_string(), "add a unit: `24 months`, `24 days`, `24 weeks` or `24 years`".to_string())
            );
        }
    }

    /// `1 year 6 months` was "did you mean `year`?": a suggestion of the first unit alone
    /// declares less than meant. What follows a unit is never cut off in silence.
    #[test]
    fn a_retention_is_not_cut_to_its_first_unit() {
        assert_eq!(
            parse_duration("1 year 6 months").unwrap_err(),
            "a retention is one number and one unit; write `18 months`, the same length as one number and one unit"
        );
        let one = "a retention is one whole number and one unit: the longest time the data is kept, e.g. `30 months` \
                   for two and a half years";
        assert_eq!(parse_duration("1 year 6").unwrap_err(), one);
        // What follows may say the time is longer (`or more`): it is not told to be removed.
        assert_eq!(parse_duration("24 months (approx)").unwrap_err(), one);
        assert_eq!(
            first_problem(&format!("{HEAD}data:\n  - category: contact.email\n    retention: 1y 6m\n")),
            (
                "malformed duration `1y 6m`: a retention is one number and one unit".to_string(),
                "write `18 months`, the same length as one number and one unit".to_string()
            )
        );
    }
}
