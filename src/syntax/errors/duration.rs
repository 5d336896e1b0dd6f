//! Durations that are almost right (`24 Months`, `2Yrs`, `1.5 years`), told about the unit or
//! the fraction rather than about the number before them.

use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, Span};

/// The decimal digits of a number written in hexadecimal, octal or binary (`0x10`, `0o17`,
/// `0b101`) or with an exponent (`1e3`), `number` being its leading digits and `rest` what
/// follows them; `None` for anything else, or a number beyond 64 bits.
fn other_notation(number: &str, rest: &str) -> Option<String> {
    let word: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let (radix, digits) = match (number, word.get(..1)?, word.get(1..)?) {
        ("0", "x" | "X", d) => (16, d),
        ("0", "o" | "O", d) => (8, d),
        ("0", "b" | "B", d) => (2, d),
        (_, "e" | "E", d) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
            let n: i64 = number.parse().ok()?;
            return Some(n.checked_mul(10i64.checked_pow(d.parse().ok()?)?)?.to_string());
        }
        _ => return None,
    };
    i64::from_str_radix(digits, radix).ok().map(|n| n.to_string())
}

/// What the field a number is compared with holds.
enum Holds {
    /// A number (`audience.min_age`).
    Number,
    /// Text (`labels.tier`, `owner`): the number is text as written.
    Text,
    /// Not known from the text before the number.
    Unknown,
}

/// What the field before a number holds (`labels.tier == 1.5`, `audience.min_age in [15.5`),
/// and the number's sign (`-` when one stands before it).
fn compared_with(before: &str) -> (Holds, &'static str) {
    let mut before = before.trim_end();
    let sign = match before.strip_suffix('-') {
        Some(rest) => {
            before = rest.trim_end();
            "-"
        }
        None => "",
    };
    // Inside a list: the field is before its `[`.
    if let Some((outside, _)) = before.rsplit_once('[').filter(|(_, list)| !list.contains(']')) {
        before = outside.trim_end();
    }
    const OPS: [&str; 11] = ["==", "!=", "<=", ">=", "<", ">", " not in", " in", " contains", " within", " overlaps"];
    let Some(rest) = OPS.iter().find_map(|op| before.strip_suffix(op)) else { return (Holds::Unknown, sign) };
    let rest = rest.trim_end();
    let start = rest.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1);
    let field = rest.get(start..).unwrap_or("");
    // The fixed vocabulary of fields (spec 2.2), read here only to word a help line.
    use crate::policy::fields::{resolve, Context, FieldType, ScalarType};
    let typed = [Context::Use, Context::Processor, Context::DataUse].iter().find_map(|&c| resolve(field, c).ok());
    let holds = match typed.map(|(_, ty)| ty) {
        Some(FieldType::Scalar(ScalarType::Int)) => Holds::Number,
        Some(FieldType::Scalar(ScalarType::Text) | FieldType::List(ScalarType::Text)) => Holds::Text,
        _ => Holds::Unknown,
    };
    (holds, sign)
}

/// The help for a number written where the field holds text: the text as written, quoted
/// (`tier: 1.5` in a campaign is the text `1.5`, spec 2.1).
fn quote_text(written: &str) -> String {
    format!("write `\"{written}\"` in double quotes: the field holds text, and unquoted `{written}` is not a value")
}

/// The help for a number in another notation or with a fraction, by what its field holds:
/// `what` a number in a policy is and `choose` what to write instead, or for text the number
/// as `written`, quoted.
fn number_help(holds: Holds, what: &str, choose: &str, written: &str) -> String {
    match holds {
        Holds::Number => format!("a number in a policy is {what}: {choose}"),
        Holds::Text => quote_text(written),
        Holds::Unknown => {
            format!("a number in a policy is {what}: {choose}; for a field that holds text, write `\"{written}\"`")
        }
    }
}

/// What may stand between number and unit: white space, and the no-break spaces that word
/// processors put there, which are named.
const GAP: [char; 4] = [' ', '\t', '\u{a0}', '\u{202f}'];

/// A number at or just before a parse error, and what follows it.
struct NumberAt<'t> {
    /// Where its digits start in the text.
    start: usize,
    /// Its digits.
    digits: String,
    /// The text after its digits.
    after: &'t str,
    /// The white space between the digits and what follows them.
    gap: &'t str,
    /// The text after the gap, from the unit on.
    unit_text: &'t str,
    /// The letters that start `unit_text`.
    unit: String,
}

impl<'t> NumberAt<'t> {
    /// The number where the error is, or just before it (`retention > 24 Months`).
    fn find(text: &'t str, pos: usize) -> Option<Self> {
        let before = text.get(..pos)?.trim_end_matches(GAP);
        let digits_before = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let at = text.get(pos..)?;
        let start = if at.starts_with(|c: char| c.is_ascii_digit()) {
            pos
        } else if at.strip_prefix('-').is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit())) {
            // `< -0.5`: the error is at the sign, which `compared_with` reads before the digits.
            pos + 1
        } else if digits_before > 0 {
            before.len() - digits_before
        } else {
            return None;
        };
        let from_number = text.get(start..)?;
        let after = from_number.trim_start_matches(|c: char| c.is_ascii_digit());
        let unit_text = after.trim_start_matches(GAP);
        Some(NumberAt {
            start,
            digits: from_number.chars().take_while(char::is_ascii_digit).collect(),
            after,
            gap: after.get(..after.len() - unit_text.len()).unwrap_or(""),
            unit_text,
            unit: unit_text.chars().take_while(|c| c.is_alphabetic()).collect(),
        })
    }

    /// The number with unit `u`, in the plural unless the number is 1.
    fn with_unit(&self, u: &str) -> String {
        format!("{} {u}{}", self.digits, if self.digits == "1" { "" } else { "s" })
    }
}

/// A duration due (`at most 1 Month`) whose unit is almost right: the problem is at the unit,
/// not at the number pest stopped on, with the duration meant.
pub(super) fn misspelt_unit(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    // A no-break space between them is told as such, at the number.
    let ordinary_gap = |n: &NumberAt| !n.gap.is_empty() && n.gap.chars().all(|c| matches!(c, ' ' | '\t'));
    let number = NumberAt::find(text, pos).filter(|n| n.start == pos && ordinary_gap(n) && !n.unit.is_empty())?;
    let help = spaced_unit_slip(&number)?;
    let start = text.len() - number.unit_text.len();
    let span = Span { file, start, end: start + number.unit.len() };
    Some(
        Problem::at(Code::Syntax, span, format!("unknown duration unit `{}`", number.unit), "not a unit")
            .with_help(help),
    )
}

/// A duration whose unit is almost right (`24 Months`, `24 months.`, a no-break space between
/// number and unit, `24 Monate`): said about the unit, not about the number before it.
pub(super) fn duration_slip(text: &str, pos: usize) -> Option<String> {
    let number = NumberAt::find(text, pos)?;
    if number.gap.is_empty() {
        joined_slip(text, &number)
    } else {
        spaced_unit_slip(&number)
    }
}

/// What follows a number without a space: a fraction, another notation, a second length, or
/// a unit (`2Yrs`).
fn joined_slip(text: &str, number: &NumberAt) -> Option<String> {
    if let Some(separator) = number.after.chars().next().filter(|c| matches!(c, '.' | ',')) {
        return fraction_slip(text, number, separator);
    }
    // `0x10`, `0b101`, `1e3`: another notation for a number, read as a number and a unit.
    if let Some(decimal) = other_notation(&number.digits, number.unit_text) {
        return other_notation_help(text, number, &decimal);
    }
    // `1y6m`: more lengths after the unit; naming the first would shorten the whole.
    if number.unit_text.get(number.unit.len()..).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())) {
        return Some(crate::syntax::ONE_DURATION.into());
    }
    // `2Yrs`, `24Months` (a lower-case unit joined to its number is a duration).
    crate::syntax::unit_meant(&number.unit).map(|u| format!("did you mean `{}`?", number.with_unit(u)))
}

/// `1.5 years`, `10,000 days`, `18.5`: a number with a `.` or `,` (`separator`) after its
/// first digits (an age such as `18.5` has no unit).
fn fraction_slip(text: &str, number: &NumberAt, separator: char) -> Option<String> {
    if let Some(help) = grouped_digits_help(text, number, separator) {
        return Some(help);
    }
    let fraction = number.after.get(1..).unwrap_or("");
    let after_digits = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    let word: String = after_digits.trim_start_matches(GAP).chars().take_while(|c| c.is_alphabetic()).collect();
    if let Some(unit) = crate::syntax::unit_meant(&word) {
        let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
        let written = format!("{}{separator}{digits} {word}", number.digits);
        // `1.125 years`: three digits after the mark may be a group of thousands (README), and
        // either reading may be meant, so no length is told.
        if digits.len() == 3 {
            return Some(crate::syntax::WHOLE_DURATION.to_string());
        }
        return Some(
            whole_length(&number.digits, &digits, unit, &written)
                .unwrap_or_else(|| crate::syntax::WHOLE_DURATION.to_string()),
        );
    }
    // What follows after a space (`because "x"`, `and owner == x`) is the rest of the rule and
    // changes nothing; letters joined to the digits (`18.5x`) are no number.
    let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || after_digits.starts_with(char::is_alphabetic) {
        return None;
    }
    decimal_help(text, number, &digits)
}

/// `1.5 years` in a policy: the same length in a whole number of a smaller unit (`18 months`),
/// or, where no whole number of days is that length, the whole days either side of it, as a
/// limit cut either way says something else. `None` for a number too long to work out.
fn whole_length(whole: &str, fraction: &str, unit: &str, written: &str) -> Option<String> {
    use crate::policy::{DurationUnit, Retention};
    let twelfths = u128::from(Retention::new(1, DurationUnit::parse(unit)?)?.twelfths_of_a_day);
    let scale = 10u128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let total = format!("{whole}{fraction}").parse::<u128>().ok()?.checked_mul(twelfths)?;
    if total % scale == 0 {
        let length = Retention::from_twelfths(u64::try_from(total / scale).ok()?);
        if length.twelfths_of_a_day % 12 == 0 || length.twelfths_of_a_day % 365 == 0 {
            return Some(format!("the number must be whole: write `{length}`, the same length as `{written}`"));
        }
    }
    let per_day = scale.checked_mul(12)?;
    let (low, high) = (total / per_day, total.div_ceil(per_day));
    let days = |n: u128| format!("{n} day{}", if n == 1 { "" } else { "s" });
    Some(format!(
        "the number must be whole, and `{written}` is no whole number of days: write `{}` or `{}`, whichever the \
         rule means",
        days(low),
        days(high)
    ))
}

/// `10,000 days`, `1,000,000 days`: digits in groups of three, not a decimal comma (never the
/// shorter reading), before a unit.
fn grouped_digits_help(text: &str, number: &NumberAt, separator: char) -> Option<String> {
    let (_, joined, rest) =
        crate::syntax::grouped_digits(text.get(number.start..)?).filter(|(s, ..)| *s == separator)?;
    let unit: String = rest.trim_start_matches(GAP).chars().take_while(|c| c.is_alphabetic()).collect();
    crate::syntax::unit_meant(&unit).map(|u| format!("write the number without separators: `{joined} {u}s`"))
}

/// `audience.min_age >= 18.5`: `18` and `19` are both whole readings, and which one keeps the
/// rule's meaning depends on the operator and the intent (`< 15.5` cut to `< 15` lets a
/// 15-year-old through), so both are told and none is picked.
fn decimal_help(text: &str, number: &NumberAt, fraction: &str) -> Option<String> {
    let (holds, sign) = compared_with(text.get(..number.start)?);
    let written = format!("{sign}{}.{fraction}", number.digits);
    let whole: i128 = format!("{sign}{}", number.digits).parse().ok()?;
    // `16.0`, `18.00`: a whole-valued decimal is that number, not a choice of two.
    let (choose, what) = if fraction.bytes().all(|b| b == b'0') {
        (format!("write `{whole}`"), "written without a fraction")
    } else {
        let (low, high) = if sign.is_empty() { (whole, whole + 1) } else { (whole - 1, whole) };
        (format!("write `{low}` or `{high}`, whichever the rule means (`{written}` is neither)"), "whole")
    };
    Some(number_help(holds, what, &choose, &written))
}

/// `0x10`, `1e3`: the number in decimal digits (`decimal`), or quoted for a field of text.
fn other_notation_help(text: &str, number: &NumberAt, decimal: &str) -> Option<String> {
    let (holds, sign) = compared_with(text.get(..number.start)?);
    let notation: String = number.unit_text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let written = format!("{sign}{}{notation}", number.digits);
    let choose = format!("write `{sign}{decimal}`");
    Some(number_help(holds, "written in decimal digits", &choose, &written))
}

/// A unit after a space that is almost right: a no-break space before it, capitals, a `.`
/// after it, or a word close to a unit.
fn spaced_unit_slip(number: &NumberAt) -> Option<String> {
    let unit = &number.unit;
    if unit.is_empty() {
        return None;
    }
    if let Some(c) = number.gap.chars().find(|c| !matches!(c, ' ' | '\t')) {
        return Some(format!(
            "between the number and `{unit}` is a no-break space (U+{:04X}); write an ordinary space",
            u32::from(c)
        ));
    }
    let lower = unit.to_lowercase();
    if crate::syntax::DURATION_UNITS.contains(&lower.as_str()) {
        if lower != *unit {
            return Some(format!("a duration's unit is lower-case: `{} {lower}`", number.digits));
        }
        return number
            .unit_text
            .get(unit.len()..)
            .is_some_and(|rest| rest.starts_with('.'))
            .then(|| format!("remove the `.` after `{unit}`: a duration ends with its unit"));
    }
    if let Some(u) = crate::syntax::unit_meant(unit) {
        return Some(format!("did you mean `{}`?", number.with_unit(u)));
    }
    // `18 adn basis == consent`: a misspelt keyword after a number, which the keyword's
    // "did you mean" tells better.
    if crate::diagnostic::suggest(unit, crate::syntax::KEYWORDS).is_some() {
        return None;
    }
    Some(format!("`{unit}` is not a unit: a duration's unit is `days`, `weeks`, `months` or `years`"))
}

#[cfg(test)]
mod tests {
    use super::super::tests::first;

    /// A number in another notation was told to add up the lengths of a duration it is not.
    #[test]
    fn a_number_in_another_notation_is_told_its_decimal_digits() {
        for (value, decimal) in [("0x10", "16"), ("0b101", "5"), ("0o17", "15"), ("1e3", "1000")] {
            let text = format!("rule r {{ deny c for m when audience.min_age == {value} }}");
            let help = format!("a number in a policy is written in decimal digits: write `{decimal}`");
            assert_eq!(first(&text).help.as_deref(), Some(help.as_str()), "{text}");
        }
    }

    #[test]
    fn a_duration_unit_that_is_almost_right_is_named() {
        for (text, help) in [
            ("rule r { retain c for m at most 24 Months }", "a duration's unit is lower-case: `24 months`"),
            (
                "rule r { retain c for m at most 24 months. }",
                "remove the `.` after `months`: a duration ends with its unit",
            ),
            (
                "rule r { retain c for m at most 2 \u{e5}r }",
                "`\u{e5}r` is not a unit: a duration's unit is `days`, `weeks`, `months` or `years`",
            ),
            ("rule r { deny c for m when retention > 24 Months }", "a duration's unit is lower-case: `24 months`"),
            (
                "rule r { retain c for m at most 36\u{a0}months }",
                "between the number and `months` is a no-break space (U+00A0); write an ordinary space",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
        }
    }

    /// `at most 1 Month` was told "found `1`" at the number: the unit is what is wrong.
    #[test]
    fn a_capitalised_unit_is_pointed_at() {
        let text = "rule r { retain c for m at most 1 Month }";
        let p = first(text);
        assert_eq!(p.message, "unknown duration unit `Month`");
        assert_eq!(p.underlined(text), Some("Month"));
        assert_eq!(p.help.as_deref(), Some("a duration's unit is lower-case: `1 month`"));
    }

    /// A duration written as people write it outside a policy gets the spelling meant.
    #[test]
    fn an_almost_duration_gets_the_duration_meant() {
        for (text, help) in [
            ("rule r { retain c for m at most 2Yrs }", "did you mean `2 years`?"),
            ("rule r { retain c for m at most 24Months }", "did you mean `24 months`?"),
            ("rule r { retain c for m at most 2 Yrs }", "did you mean `2 years`?"),
            (
                "rule r { retain c for m at most 1.5 years }",
                "the number must be whole: write `18 months`, the same length as `1.5 years`",
            ),
            (
                "rule r { deny c for m when retention > 2.5 weeks }",
                "the number must be whole, and `2.5 weeks` is no whole number of days: write `17 days` or `18 days`, \
                 whichever the rule means",
            ),
            (
                "rule r { retain c for m at most 0.25 years }",
                "the number must be whole: write `3 months`, the same length as `0.25 years`",
            ),
            ("rule r { retain c for m at most 10,000 days }", "write the number without separators: `10000 days`"),
            ("rule r { retain c for m at most 1,000,000 days }", "write the number without separators: `1000000 days`"),
            ("rule r { retain c for m at most 1.125 years }", crate::syntax::WHOLE_DURATION),
            (
                "rule r { retain c for m at most 1.1 years }",
                "the number must be whole, and `1.1 years` is no whole number of days: write `401 days` or `402 days`, \
                 whichever the rule means",
            ),
            (
                "rule r { retain c for m at most 1y6m }",
                "a duration is one number and one unit: add the lengths up, e.g. `18 months`",
            ),
            (
                "rule r { deny c for m when retention > 1 year 6 months }",
                "a duration is one number and one unit: add the lengths up, e.g. `18 months`",
            ),
            (
                "rule r { retain c for m at most 1 year 6 months }",
                "a duration is one number and one unit: add the lengths up, e.g. `18 months`",
            ),
            (
                "rule r { deny c for m when audience.min_age >= 18.5 }",
                "a number in a policy is whole: write `18` or `19`, whichever the rule means (`18.5` is neither)",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
        }
    }

    /// `audience.min_age < 15.5` was told `15`, which lets a 15-year-old through a deny: both
    /// whole readings are told and none is picked; a text field is told the text as written.
    #[test]
    fn a_fraction_or_notation_is_told_by_what_the_field_holds() {
        for (condition, help) in [
            (
                "audience.min_age < 15.5",
                "a number in a policy is whole: write `15` or `16`, whichever the rule means (`15.5` is neither)",
            ),
            (
                "audience.min_age in [12, 15.5]",
                "a number in a policy is whole: write `15` or `16`, whichever the rule means (`15.5` is neither)",
            ),
            (
                "labels.tier == 1.5",
                "write `\"1.5\"` in double quotes: the field holds text, and unquoted `1.5` is not a value",
            ),
            (
                "owner == 0x1F",
                "write `\"0x1F\"` in double quotes: the field holds text, and unquoted `0x1F` is not a value",
            ),
            ("audience.min_age == 0x10", "a number in a policy is written in decimal digits: write `16`"),
        ] {
            let text = format!("rule r {{ deny c for m when {condition} }}");
            assert_eq!(first(&text).help.as_deref(), Some(help), "{text}");
        }
    }

    /// A whole-valued decimal is that number (`16.0` is `16`, never `16` or `17`); a negative
    /// fraction keeps its sign; and what follows the number on the line changes nothing.
    #[test]
    fn a_decimal_is_told_its_value_whatever_follows_it() {
        let choose = |low: &str, high: &str, written: &str| {
            format!("a number in a policy is whole: write `{low}` or `{high}`, whichever the rule means (`{written}` is neither)")
        };
        let quote = "write `\"1.5\"` in double quotes: the field holds text, and unquoted `1.5` is not a value";
        for (rule, help) in [
            (
                "rule r { deny c for m when audience.min_age < 16.0 }",
                "a number in a policy is written without a fraction: write `16`".to_string(),
            ),
            (
                "rule r { deny c for m when audience.min_age >= 18.00 }",
                "a number in a policy is written without a fraction: write `18`".to_string(),
            ),
            ("rule r { deny c for m when audience.min_age < -0.5 }", choose("-1", "0", "-0.5")),
            ("rule r { deny c for m when audience.min_age < -2.5 }", choose("-3", "-2", "-2.5")),
            ("rule r { deny campaign for marketing when labels.tier == 1.5 because \"x\" }", quote.to_string()),
            (
                "rule r { deny campaign for marketing when audience.min_age < 15.5 because \"x\" }",
                choose("15", "16", "15.5"),
            ),
            ("rule r { deny campaign for m when labels.tier == 1.5 and owner == x }", quote.to_string()),
            (
                "rule r { deny campaign for m when audience.min_age < 16.0 and owner == x }",
                "a number in a policy is written without a fraction: write `16`".to_string(),
            ),
        ] {
            assert_eq!(first(rule).help.as_deref(), Some(help.as_str()), "{rule}");
        }
    }
}
