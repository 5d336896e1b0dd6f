//! Retentions that are almost durations, told with the length the marketer meant: several
//! numbers and units (`1 year 6 months`, `1y 6m`), a fraction (`1.5 years`, `2,5 years`) or an
//! end date (`2027-12-31`). The advice must not shorten what was written: `1 year 6 months` is
//! `18 months`, never `1 year`, and a length that no whole number of days states is rounded up,
//! so that the campaign declares no less than it keeps.

use crate::policy::{DurationUnit, Retention};

/// Why a retention is not a duration (after "malformed duration `…`: "), and how to write it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Slip {
    pub why: String,
    pub help: String,
}

/// The slip `text` makes, when it is one of those this module knows; `None` leaves `text` to
/// the parser of one number and one unit.
pub(super) fn slip(text: &str) -> Option<Slip> {
    if is_date(text) {
        return Some(Slip {
            why: "a retention is a length of time, not an end date".into(),
            help: "write how long the data is kept, e.g. `24 months`".into(),
        });
    }
    if let Some(decimal) = vulgar_fraction_as_decimal(text) {
        return slip(&decimal);
    }
    if let Some((separator, number)) = grouped_without_unit(text) {
        return Some(Slip {
            why: format!("the number is written with {separator} between groups of digits, and the unit is missing"),
            help: super::retention::add_a_unit(&number),
        });
    }
    if let Some((separator, number, unit)) = grouped(text) {
        let unit = format!("{unit}{}", if number == "1" { "" } else { "s" });
        return Some(Slip {
            why: format!("the number is written with {separator} between groups of digits"),
            help: format!("write `{number} {unit}`, the number without separators"),
        });
    }
    if let Some(longest) = range(text) {
        return Some(Slip {
            why: "a retention is one length: the longest time the data is kept".into(),
            help: format!("write `{longest}`, the longest of them"),
        });
    }
    let mut choices = choices(text)?;
    if choices.len() > 1 {
        // `13 months / 2 years`, `1 year 6 months or 1 year`: one of them, so the longest, each
        // added up; adding all of them would make a length nobody meant. A choice that is no
        // whole number of days is not told (it would be rounded).
        let totals = choices.iter().map(|c| match length(c)? {
            Length::Exact(r) => Some(r),
            Length::Days { .. } => None,
        });
        let longest = totals.collect::<Option<Vec<_>>>()?.into_iter().max_by_key(|r| r.twelfths_of_a_day)?;
        return Some(Slip {
            why: "a retention is one length: the longest time the data is kept".into(),
            help: format!("write `{longest}`, the longest of them"),
        });
    }
    let pieces = choices.pop()?;
    let fraction = pieces.iter().any(|p| p.scale > 0);
    if pieces.len() < 2 && !fraction {
        return None;
    }
    let (why, same) = if pieces.len() >= 2 {
        ("a retention is one number and one unit", "the same length as one number and one unit")
    } else {
        ("the number must be whole", "the same length as a whole number")
    };
    let help = match length(&pieces)? {
        Length::Exact(r) => format!("write `{r}`, {same}"),
        Length::Days { about, tenths, up } => {
            let (whole, tenth) = (tenths / 10, tenths % 10);
            let about = if about { "about " } else { "" };
            format!(
                "`{text}` is {about}{whole}.{tenth} days, not a whole number of days: write `{up} days` (rounded up, \
                 so that the campaign declares no less than it keeps)"
            )
        }
    };
    Some(Slip { why: why.into(), help })
}

/// A number written in groups of three digits and a unit (`10,000 days`, `1 000 days`,
/// `1_000 days`, `1.000 days`; [`crate::syntax::grouped_digits`]): the separator in words,
/// the digits joined, and the unit meant. `10,000` may also be read as a decimal (ten), but the
/// joined number is never the shorter reading, so the advice never declares less than the
/// marketer keeps; `2,5 years` (not three digits) is a fraction, told by [`choices`].
fn grouped(text: &str) -> Option<(&'static str, String, &'static str)> {
    let (separator, number, rest) = crate::syntax::grouped_digits(text.trim_start_matches(' '))?;
    let name = separator_name(separator);
    let rest = rest.trim_start_matches(' ');
    let (word, after) = rest.split_at(rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len()));
    let unit = crate::syntax::unit_meant(word)?;
    // Only a length a retention can hold is offered.
    Retention::meant(number.parse().ok()?, unit)?;
    // A closing mark may follow (`10,000 days;`); the fix drops it with the separators.
    let closing = [' ', '.', ',', ';', ':', '!', '?', '"', '\'', ')', ']'];
    after.trim_matches(closing).is_empty().then_some((name, number, unit))
}

/// `1½ years` or `1 ½ years` written as `1.5 years` (and `½ year` as `0.5 year`), so that it
/// is told as the fraction it is; `None` when `text` holds no `½`, `¼` or `¾` after a number.
fn vulgar_fraction_as_decimal(text: &str) -> Option<String> {
    let (at, digits) = text.char_indices().find_map(|(at, c)| match c {
        '½' => Some((at, "5")),
        '¼' => Some((at, "25")),
        '¾' => Some((at, "75")),
        _ => None,
    })?;
    let before = text.get(..at)?.trim_end_matches(' ');
    let after = text.get(at..)?.chars().skip(1).collect::<String>();
    let whole = match before {
        "" => "0",
        b if b.bytes().all(|b| b.is_ascii_digit()) => b,
        _ => return None,
    };
    Some(format!("{whole}.{digits}{after}"))
}

/// A number written in groups of three digits and nothing else (`1_000`, `10,000`): the
/// separator in words and the digits joined.
fn grouped_without_unit(text: &str) -> Option<(&'static str, String)> {
    let (separator, number, rest) = crate::syntax::grouped_digits(text.trim_start_matches(' '))?;
    // Only a number each unit can hold is offered with them.
    Retention::new(number.parse().ok()?, DurationUnit::Year)?;
    rest.trim_matches(' ').is_empty().then(|| (separator_name(separator), number))
}

/// A digit group separator, in words.
fn separator_name(separator: char) -> &'static str {
    match separator {
        ',' => "`,`",
        '.' => "`.`",
        '_' => "`_`",
        '\'' | '’' => "`'`",
        _ => "spaces",
    }
}

/// One number and its unit: `numerator / 10^scale` units (`1.5 years` is 15 / 10^1 years).
struct Piece {
    numerator: u128,
    scale: u32,
    unit: DurationUnit,
}

/// A number's digits, at most: more is not a length anyone means, and keeps the sums in a u128.
const MAX_DIGITS: usize = 15;

/// The lengths to choose from in `text`, each the numbers and units it adds up (`1 year 6
/// months`, `1y 6m`, `1 year, 6 months`, `1 year and 6 months`, `2,5 years`), choices being
/// joined by `/`, `|` or `or` (`13 months or 2 years`); `None` when it is not only such pieces,
/// or when a dash joins them: `6 months-1 year` may be a range as well as one length in parts,
/// and neither reading is told. A unit may be abbreviated or capitalised
/// ([`crate::syntax::unit_meant`]).
fn choices(text: &str) -> Option<Vec<Vec<Piece>>> {
    let mut choices = Vec::new();
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches([' ', '\t']);
    while !rest.is_empty() {
        if !out.is_empty() {
            let after = rest.trim_start_matches([' ', '\t', ',', ';', '|', '/', '-', '+', '&']);
            let separator = rest.get(..rest.len() - after.len()).unwrap_or("");
            if separator.contains(['-', '–']) {
                return None;
            }
            rest = after;
            let mut another = separator.contains(['/', '|']);
            if let Some(after) = rest.strip_prefix("and ") {
                rest = after.trim_start_matches([' ', '\t']);
            } else if let Some(after) = rest.strip_prefix("or ") {
                another = true;
                rest = after.trim_start_matches([' ', '\t']);
            }
            if another {
                choices.push(std::mem::take(&mut out));
            }
        }
        let (whole, after) = digits(rest);
        if whole.is_empty() || whole.len() > MAX_DIGITS {
            return None;
        }
        rest = after;
        let mut numerator: u128 = whole.parse().ok()?;
        let mut scale = 0;
        // `1.5` or `2,5`: a comma right between digits is a decimal comma, not a list.
        if let Some((fraction, after)) = rest.strip_prefix(['.', ',']).map(digits).filter(|(f, _)| !f.is_empty()) {
            // `2,000` or `1.0000` may be a thousand or two (grouped digits) as well as two:
            // no length is told rather than one a thousand times too short. `0,500` is a half.
            if fraction.len() > MAX_DIGITS || (fraction.len() >= 3 && whole != "0") {
                return None;
            }
            // `12,24 months` may be 12 or 24 months as well as 12.24: the decimal reading
            // would be the shorter. A decimal comma is read with one digit after it (`2,5`).
            if rest.starts_with(',') && fraction.len() == 2 && whole != "0" {
                return None;
            }
            scale = u32::try_from(fraction.len()).ok()?;
            numerator = numerator.checked_mul(10u128.checked_pow(scale)?)?.checked_add(fraction.parse().ok()?)?;
            rest = after;
        }
        rest = rest.trim_start_matches([' ', '\t']);
        let word_end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        let unit = crate::syntax::unit_meant(word).and_then(DurationUnit::parse)?;
        rest = after.strip_prefix('.').unwrap_or(after).trim_start_matches([' ', '\t']);
        out.push(Piece { numerator, scale, unit });
    }
    if out.is_empty() {
        return None;
    }
    choices.push(out);
    Some(choices)
}

/// The longest end of a range of whole numbers with one unit (`6-12 months`, `6 to 12
/// months`, `12–24 months`): that is the longest time the data is kept.
fn range(text: &str) -> Option<Retention> {
    let (low, rest) = digits(text.trim_start_matches(' '));
    let rest = rest.trim_start_matches(' ');
    let rest = ["-", "–", "—", "to "].iter().find_map(|d| rest.strip_prefix(d))?.trim_start_matches(' ');
    let (high, unit) = digits(rest);
    if low.is_empty() || high.is_empty() || high.len() > MAX_DIGITS || low.len() > MAX_DIGITS {
        return None;
    }
    let (low, high): (u64, u64) = (low.parse().ok()?, high.parse().ok()?);
    Retention::meant(low.max(high), unit.trim_matches(' '))
}

/// The leading ASCII digits of `text`, and what follows them.
fn digits(text: &str) -> (&str, &str) {
    text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()))
}

/// What the pieces add up to.
enum Length {
    /// A length that a whole number of one unit states, in the largest such unit.
    Exact(Retention),
    /// A length in days that is not whole: in tenths of a day (rounded down), whether that is
    /// `about` it, and the whole days that hold it (`up`).
    Days { about: bool, tenths: u128, up: u128 },
}

fn length(pieces: &[Piece]) -> Option<Length> {
    let scale = pieces.iter().map(|p| p.scale).max()?;
    // The sum in twelfths of a day (the unit of [`Retention`]), times 10^scale.
    let mut total: u128 = 0;
    for p in pieces {
        let twelfths = u128::from(Retention::new(1, p.unit)?.twelfths_of_a_day);
        let term = p.numerator.checked_mul(10u128.checked_pow(scale - p.scale)?)?.checked_mul(twelfths)?;
        total = total.checked_add(term)?;
    }
    let per_twelfth = 10u128.checked_pow(scale)?;
    let per_day = per_twelfth.checked_mul(12)?;
    if total % per_day == 0 || (total % per_twelfth == 0 && total / per_twelfth % 365 == 0) {
        let twelfths = u64::try_from(total / per_twelfth).ok()?;
        return Some(Length::Exact(Retention::from_twelfths(twelfths)));
    }
    let tenths = total.checked_mul(10)? / per_day;
    Some(Length::Days { about: total.checked_mul(10)? % per_day != 0, tenths, up: total.div_ceil(per_day) })
}

/// `2027-12-31` (a time may follow), `31.12.2027`, `12/31/2027`, `2027/12/31`: three groups
/// of digits with one separator, the year of four digits first or last.
fn is_date(text: &str) -> bool {
    let text = text.trim();
    let date = text.split([' ', 'T', 't']).next().unwrap_or(text);
    let Some(sep) = date.chars().find(|c| matches!(c, '-' | '.' | '/')) else { return false };
    let groups: Vec<&str> = date.split(sep).collect();
    let [a, b, c] = groups.as_slice() else { return false };
    let digits = |g: &str, lengths: &[usize]| lengths.contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit());
    digits(b, &[1, 2]) && ((digits(a, &[4]) && digits(c, &[1, 2])) || (digits(a, &[1, 2]) && digits(c, &[4])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(text: &str) -> (String, String) {
        let s = slip(text).unwrap_or_else(|| panic!("no slip for {text:?}"));
        (s.why, s.help)
    }

    /// A number in groups of three digits is one number: `10,000 days` is never told to be
    /// `10 days` (the decimal reading, a thousand times shorter than an English reader means).
    #[test]
    fn thousands_separators_are_joined_never_read_as_a_fraction() {
        for (text, separator, meant) in [
            ("10,000 days", "`,`", "10000 days"),
            ("1,000,000 days", "`,`", "1000000 days"),
            ("1.000 days", "`.`", "1000 days"),
            ("1 000 days", "spaces", "1000 days"),
            ("1_000 Days", "`_`", "1000 days"),
            ("1'000 months", "`'`", "1000 months"),
            ("1,000 yrs", "`,`", "1000 years"),
            ("10,000 days;", "`,`", "10000 days"),
        ] {
            assert_eq!(
                help(text),
                (
                    format!("the number is written with {separator} between groups of digits"),
                    format!("write `{meant}`, the number without separators")
                ),
                "{text}"
            );
        }
        // A vulgar fraction is a fraction: `1½ years` is 18 months.
        for (text, meant) in [("1½ years", "18 months"), ("1 ½ years", "18 months"), ("½ year", "6 months")] {
            assert_eq!(help(text).1, format!("write `{meant}`, the same length as a whole number"), "{text}");
        }
        assert!(slip("a½ year").is_none());
        // Grouped with no unit: the joined number is offered with each unit.
        for (text, separator) in [("1_000", "`_`"), ("10,000", "`,`"), ("1 000 ", "spaces")] {
            let (why, fix) = help(text);
            assert_eq!(
                why,
                format!("the number is written with {separator} between groups of digits, and the unit is missing")
            );
            let number = text.chars().filter(char::is_ascii_digit).collect::<String>();
            assert!(fix.starts_with(&format!("add a unit: `{number} months`")), "{text}: {fix}");
        }
        // Not groups of three: a fraction, or not a number in groups at all.
        assert!(help("2,5 years").1.starts_with("write `30 months`"), "{:?}", help("2,5 years"));
        assert!(help("1.5 years").0.contains("whole"));
        for text in [
            "1,0000 days",
            "1,00 days",
            "10 000",
            "1,000 days extra",
            "1234,567 days",
            "0,500 years",
            "1.125 years",
            "1,500 days",
        ] {
            assert!(grouped(text).is_none(), "{text}");
        }
        // Grouped or long fractions among several lengths tell no length: `2,000` may be two
        // thousand, and `1,0000` ten thousand.
        for text in ["2,000 weeks and 3 days", "12 months, 1,000 days", "1,000 years 6 months", "1,0000 days"] {
            assert!(slip(text).is_none(), "{text}: {:?}", slip(text));
        }
        // A leading zero is a fraction: `0,500 years` is half a year.
        assert_eq!(help("0,500 years").1, "write `6 months`, the same length as a whole number");
        // Lengths joined by `;` are added up, as with `,` and `and`.
        for text in ["2 years; 6 months", "2 years;6 months"] {
            assert_eq!(help(text).1, "write `30 months`, the same length as one number and one unit", "{text}");
        }
    }

    /// Lengths to choose from (`/`, `|`, `or`) and ranges are told their longest, which is
    /// the longest time the data is kept; they were added up, a length nobody meant. A dash
    /// between two lengths may be either, and a comma in `12,24` a decimal or a list: no length.
    #[test]
    fn alternatives_and_ranges_are_told_their_longest() {
        for (text, longest) in [
            ("13 months / 2 years", "2 years"),
            ("2 years|6 months", "2 years"),
            ("13 months or 2 years", "2 years"),
            ("6-12 months", "12 months"),
            ("12–24 months", "24 months"),
            ("6 to 12 months", "12 months"),
        ] {
            assert_eq!(
                help(text),
                (
                    "a retention is one length: the longest time the data is kept".to_string(),
                    format!("write `{longest}`, the longest of them")
                ),
                "{text}"
            );
        }
        // Each choice is added up first: `1 year 6 months or 1 year` was told `1 year`.
        for (text, longest) in [
            ("2 years 6 months or 1 year", "30 months"),
            ("12 months or 1 year 6 months", "18 months"),
            ("1y 6m / 1y", "18 months"),
            ("2 years, 6 months / 1 year", "30 months"),
        ] {
            assert_eq!(help(text).1, format!("write `{longest}`, the longest of them"), "{text}");
        }
        for text in ["2 years-6 months", "6 months-1 year", "12,24 months", "1 month 1 week / 1 year"] {
            assert!(slip(text).is_none(), "{text}: {:?}", slip(text));
        }
        assert_eq!(help("2,5 years").1, "write `30 months`, the same length as a whole number");
    }

    /// `1 year 6 months` is 18 months: the advice names that length, not one of its parts
    /// (`did you mean `year`?` declared a year less than meant).
    #[test]
    fn several_numbers_and_units_are_added_into_one_unit() {
        let one = "a retention is one number and one unit".to_string();
        let months18 = "write `18 months`, the same length as one number and one unit".to_string();
        for text in ["1 year 6 months", "1y 6m", "1y6m", "1 yr 6 mos", "1 year, 6 months", "1 year and 6 months"] {
            assert_eq!(help(text), (one.clone(), months18.clone()), "{text}");
        }
        assert_eq!(help("1 week 3 days").1, "write `10 days`, the same length as one number and one unit");
        assert_eq!(help("1 year 12 months").1, "write `2 years`, the same length as one number and one unit");
        assert_eq!(help("1 year 1 day").1, "write `366 days`, the same length as one number and one unit");
        assert_eq!(
            help("1 month 1 week").1,
            "`1 month 1 week` is about 37.4 days, not a whole number of days: write `38 days` (rounded up, so that \
             the campaign declares no less than it keeps)"
        );
    }

    /// The marketer's own number, converted exactly, not a fixed example.
    #[test]
    fn a_fraction_is_given_the_same_length_in_a_smaller_unit() {
        let whole = "the number must be whole".to_string();
        assert_eq!(help("1.5 years"), (whole.clone(), "write `18 months`, the same length as a whole number".into()));
        assert_eq!(help("2,5 years").1, "write `30 months`, the same length as a whole number");
        assert_eq!(help("0.5 years").1, "write `6 months`, the same length as a whole number");
        assert_eq!(
            help("1.5 weeks").1,
            "`1.5 weeks` is 10.5 days, not a whole number of days: write `11 days` (rounded up, so that the \
             campaign declares no less than it keeps)"
        );
        assert_eq!(
            help("2.5 weeks").1,
            "`2.5 weeks` is 17.5 days, not a whole number of days: write `18 days` (rounded up, so that the \
             campaign declares no less than it keeps)"
        );
        assert_eq!(
            help("0.5 months").1.split(':').next(),
            Some("`0.5 months` is about 15.2 days, not a whole number of days")
        );
        assert!(help("1.5 days").1.contains("write `2 days`"));
    }

    #[test]
    fn an_end_date_is_told_that_a_retention_is_a_length() {
        for text in ["2027-12-31", "2027-1-5", "2027-12-31T00:00:00Z", "31.12.2027", "12/31/2027", "2027/12/31"] {
            assert_eq!(
                help(text),
                (
                    "a retention is a length of time, not an end date".to_string(),
                    "write how long the data is kept, e.g. `24 months`".to_string()
                ),
                "{text}"
            );
        }
    }

    /// One number and one unit, however wrong, is the parser's to tell about.
    #[test]
    fn one_whole_number_and_unit_is_no_slip_of_this_kind() {
        for text in ["24 months", "2yrs", "24 Months", "2 monts", "24", "-1 days", "1.5", "1 year 6", "12-2027"] {
            assert!(slip(text).is_none(), "{text}");
        }
    }
}
