//! The help line under a parse error: for the mistakes legal authors actually make, what to
//! write instead; otherwise how the declaration the error is in reads.

use super::duration::duration_slip;
use super::look_alike::{invisible_at, look_alike, LookAlike};
use super::{is_keyword, item_keyword, set_help, word_at, DECLARATION_KEYWORDS};
use crate::diagnostic::suggest;
use crate::syntax::slips;

/// A help line for the mistakes legal authors actually make.
/// Whether a word is a name a declaration may give (`[a-z_][a-z0-9_]*`).
fn is_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn help_for(text: &str, pos: usize, expected: &[String]) -> Option<String> {
    // An invisible character explains the error better than what the grammar expected there.
    if let Some((_, c)) = invisible_at(text, pos) {
        return Some(format!(
            "the file holds {} here, which shows as nothing and a policy can hold only inside a string; remove it",
            crate::chars::describe(c)
        ));
    }
    let first = text.get(pos..).and_then(|t| t.chars().next());
    if let Some((c, LookAlike { instead, .. })) = first.and_then(|c| Some((c, look_alike(c)?))) {
        return Some(if c.is_ascii() {
            format!("write {instead} instead")
        } else {
            format!("write {instead} instead; word processors and chat tools put such characters in")
        });
    }
    let rest = text.get(pos..).unwrap_or("");
    let code_before = text.get(..pos).unwrap_or("").trim_end();
    if rest.starts_with(']') && code_before.ends_with(',') {
        return Some("remove the `,` before `]`: the last item of a list has none".into());
    }
    // A `"` inside a text ends it: `because "must be "provable" by records"`.
    if text.get(..pos).is_some_and(|t| t.ends_with('"')) {
        let line_rest = rest.split(['\n', '\r']).next().unwrap_or("");
        if line_rest.contains('"') && !line_rest.trim_start().starts_with('"') {
            return Some(
                "a `\"` inside a text ends it: write `\\\"` for a quote inside the text, or use other quotation marks"
                    .into(),
            );
        }
    }
    // `and` twice, as when a line-leading `and` is added below a line that ends in one.
    let last_word = code_before.rsplit(char::is_whitespace).next().unwrap_or("");
    let this_word = word_at(text, pos);
    if matches!(this_word.as_str(), "and" | "or") && last_word == this_word {
        return Some(format!("`{this_word}` twice: remove one"));
    }
    // `retention > 1 year 6 months`: a second length after a duration.
    let mut last_two = code_before.rsplit(char::is_whitespace).filter(|w| !w.is_empty());
    if let (Some(unit), Some(number)) = (last_two.next(), last_two.next()) {
        let a_duration = number.bytes().all(|b| b.is_ascii_digit()) && crate::syntax::unit_meant(unit).is_some();
        if a_duration && rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(crate::syntax::ONE_DURATION.into());
        }
    }
    // `owner ==` with its value left out: the keyword after the operator is its value (values
    // may be spelt like keywords, `[at, is, in]`), and the error comes after that.
    if let Some(help) = keyword_read_as_value(code_before) {
        return Some(help);
    }
    // `owner not matches "x"`, as `not in` is written: `matches` is negated from the front.
    if this_word == "matches" && last_word == "not" {
        return Some("`not matches` is no operator: put `not` before the test, e.g. `not owner matches \"…\"`".into());
    }
    if ["//", "/*", "--"].iter().any(|c| rest.starts_with(c)) {
        return Some("comments start with `#` and run to the end of the line: `# a note`".into());
    }
    let has = |s: &str| expected.iter().any(|e| e.contains(s));
    if rest.starts_with(';') {
        return Some(if has("`]`") {
            "separate the items of a list with `,`: `[SE, DK]`".into()
        } else {
            "remove the `;`: a declaration needs no mark at its end".into()
        });
    }
    if let Some(c) = rest.chars().next().filter(|c| c.is_alphabetic() && !c.is_ascii()) {
        return Some(format!(
            "a name is written with a–z, digits and `_`, and `{c}` is none of them; a label in quotes may hold any text"
        ));
    }
    if let Some(help) = duration_slip(text, pos) {
        return Some(help);
    }
    let word = word_at(text, pos);
    if has("an operator") || has("`and`") || has("a condition") {
        // Operators of other languages.
        let instead = [
            ("&&", "`and`"),
            ("||", "`or`"),
            ("&", "`and`"),
            ("|", "`or`"),
            ("=<", "`<=`"),
            ("=>", "`>=`"),
            ("=!", "`!=`"),
            ("\u{2264}", "`<=`"),
            ("\u{2265}", "`>=`"),
            ("\u{2260}", "`!=`"),
            ("!", "`not`"),
            ("=", "`==`"),
        ]
        .into_iter()
        .find(|(op, _)| rest.starts_with(op) && !(*op == "!" && rest.starts_with("!=")));
        if let Some((op, instead)) = instead {
            return Some(format!(
                "write {instead} for `{op}`, e.g. `when basis == consent and not rights.unsubscribe`"
            ));
        }
    }
    // Before the check below for a word after a value, which would take `nin` for the second
    // word of a value with a space in it.
    if has("an operator") {
        if let Some(help) = slips::not_in_as_one_word(rest).or_else(|| slips::dashed_label(text, pos)) {
            return Some(help);
        }
    }
    if has("a name") {
        if let Some(help) = slips::under_list(text, pos) {
            return Some(help);
        }
    }
    if has("`set`") {
        let after_not = text.get(..pos).is_some_and(|t| t.trim_end().ends_with("not"));
        match word.to_lowercase().as_str() {
            "null" | "nil" | "none" | "missing" | "undefined" if after_not => {
                return Some("a field that is given is `set`: write `is set`".into())
            }
            "null" | "nil" | "none" | "missing" | "undefined" | "defined" => {
                return Some(
                    "a field that is not given is `not set`: write `is not set`, or `is set` for one that is".into(),
                )
            }
            "in" if after_not => return Some("write `not in` without `is`: `basis not in [consent]`".into()),
            "true" | "false" => {
                return Some(format!(
                    "write `== {word}` to compare a yes/no field (or the field alone, or `not` and the field)"
                ))
            }
            "" => {}
            _ => return Some(
                "`is` only tests `is set`, `is not set`, `is empty` and `is not empty`; to compare, write `==` or `!=`"
                    .into(),
            ),
        }
    }
    // A word right after a value, where `and` or `or` could go: a value with a space in it
    // (`consent.source == signup form`), not a misspelt keyword.
    let line_before = text.get(..pos).map_or("", |t| t.rsplit(['\n', '\r']).next().unwrap_or(t));
    let previous = line_before.trim_end().rsplit([' ', '\t', '[', '(', ',']).next().unwrap_or("");
    let after_value = previous.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && line_before.ends_with([' ', '\t'])
        && !crate::syntax::KEYWORDS.contains(&previous);
    // `retention > -3 days`: the grammar reads `-3` as a number and stops at the unit.
    let negative = previous.strip_prefix('-').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if let Some(amount) = negative.filter(|_| crate::syntax::unit_meant(&word.to_lowercase()).is_some()) {
        return Some(format!("a duration is never negative: write a length such as `{amount} {word}`"));
    }
    if !word.is_empty() && after_value && has("`and`") && has("`or`") && !is_keyword(&word) {
        // One edit from a keyword (`adn`, `AND`) is a misspelt keyword; `form` is two from `or`.
        let lower = word.to_lowercase();
        let keywords = ["and", "or", "because", "cite"];
        if let Some(k) = keywords.iter().find(|k| strsim::damerau_levenshtein(&lower, k) <= 1) {
            return Some(format!("did you mean `{k}`?"));
        }
        return Some(format!(
            "a value with spaces is written in double quotes, e.g. `\"{previous} {word}\"`; otherwise join conditions with \
             `and` or `or`"
        ));
    }
    if !word.is_empty() {
        let keywords: Vec<&str> = expected
            .iter()
            .filter_map(|e| e.strip_prefix('`').and_then(|e| e.strip_suffix('`')))
            .chain(if has("a declaration") { DECLARATION_KEYWORDS.to_vec() } else { Vec::new() })
            .collect();
        // One edit from a short keyword (`fr`, `adn`) is too far for the similarity score.
        let one_edit = || {
            keywords
                .iter()
                .copied()
                .find(|k| word.len() >= 2 && strsim::damerau_levenshtein(&word.to_lowercase(), k) <= 1)
        };
        // `set eea [SE]`: pest gives up at the declaration, which is spelt right.
        if word == "set" && has("`=`") {
            return Some(set_help(rest.split_whitespace().nth(1).unwrap_or("NAME").trim_end_matches(':')));
        }
        if let Some(k) = suggest(&word, keywords.iter().copied()).or_else(one_edit).filter(|k| *k != word) {
            return Some(format!("did you mean `{k}`?"));
        }
        let dashed: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
        if dashed.contains('-') && has("a name") {
            return Some(format!("a name joins its words with `_`, not `-`: `{}`", dashed.replace('-', "_")));
        }
        if word.chars().any(|c| c.is_ascii_uppercase()) && has("a name") {
            return Some("names are lower-case: letters, digits and `_`".to_string());
        }
    }
    if has("`for`") {
        return Some("a rule's scope reads `CATEGORIES for PURPOSES`, e.g. `allow contact.email for marketing`".into());
    }
    if pos >= text.trim_end().len() && has("`}`") {
        return Some("a `{` is never closed: add `}` at the end of the rule or taxonomy block".into());
    }
    if has("`}`") && DECLARATION_KEYWORDS.contains(&word.as_str()) && !has("a declaration") {
        return Some(format!("the block before this `{word}` is not closed: add `}}` before it"));
    }
    let item = item_keyword(text, pos);
    if item == Some("rule") && expected == ["`{`"] {
        // A second word on the name's line is a name with a space in it; else the `{` is missing.
        let line_start = text.get(..pos).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1);
        let before = text.get(line_start..pos).unwrap_or("");
        if !word.is_empty() && before.trim_start().starts_with("rule") {
            return Some(format!(
                "a rule's name is one word of lower-case letters, digits and `_`: join the words with `_`, \
                 e.g. `{}_{word}`, then `{{`",
                before.split_whitespace().nth(1).unwrap_or("name")
            ));
        }
        return Some("put `{` after the rule's name: `rule NAME { allow … }`".into());
    }
    // `owner in (a, b)`, as SQL writes a list.
    if has("a value") && rest.starts_with(['(', '{']) {
        return Some("a list is written in square brackets: `[a, b]`".into());
    }
    if has("a value") && item == Some("set") {
        return Some("a set reads `set NAME = [a, b, c]`: names or quoted strings, separated by `,`".into());
    }
    if has("a value") {
        return Some(
            "an operator is followed by a value: a name (`consent`), a quoted string, a number, a duration \
             (`30 days`) or a list (`[SE, DK]`)"
                .into(),
        );
    }
    if has("`]`") && has("`,`") {
        return Some("a list reads `[a, b, c]`: items separated by `,` and closed with `]`".into());
    }
    if has("a duration") {
        return Some("a duration is a number and a unit: `30 days`, `6 weeks`, `24 months`, `2 years`".into());
    }
    if has("a condition") {
        return Some("a condition tests a campaign field, e.g. `when basis == consent`".into());
    }
    if matches!(word.as_str(), "because" | "cite" | "when" | "unless") && has("`}`") {
        return Some(format!(
            "a rule has at most one `when` or `unless`, one `because` and one `cite`, in that order; this `{word}` is one \
             too many or out of place"
        ));
    }
    // `basis consent legitimate_interests`, `category email phone`: a second name, not a label
    // (quoting it, as the help below says, would make the name a label and drop it).
    if has("a quoted string") && is_name(&word) && is_name(last_word) {
        let example = match item {
            Some(kind @ ("basis" | "channel")) => {
                Some(format!("separate the names with `,`: `{kind} {last_word}, {word}`"))
            }
            Some(kind @ ("category" | "purpose")) => {
                Some(format!("declare each {kind} on its own: `{kind} {last_word}` then `{kind} {word}`"))
            }
            _ => None,
        };
        if let Some(example) = example {
            return Some(format!(
                "to declare `{word}` too, {example}; if `{word}` is a label, put it in double quotes"
            ));
        }
    }
    if has("a quoted string") && item == Some("policy") {
        return Some(HEADER.into());
    }
    if has("a quoted string") {
        // The keyword in play: `because` or `cite` just before, else the declaration's own.
        let keyword = Some(last_word).filter(|w| matches!(*w, "because" | "cite")).or(item);
        return Some(match keyword.and_then(quoted_example) {
            Some(example) => format!("write the text in double quotes, e.g. `{example}`"),
            None => "write the text in double quotes".into(),
        });
    }
    if text.get(pos..).is_some_and(|rest| rest.starts_with('.')) {
        return Some("a field is a dotted name such as `labels.brand` or `audience.min_age`, without spaces".into());
    }
    let shape = match item {
        Some("policy") => HEADER,
        Some("basis" | "channel") => {
            "`basis` and `channel` list names, each with an optional label: `basis consent, legitimate_interests \"Legitimate interests\"`"
        }
        Some("set") => "a set reads `set NAME = [a, b, c]`",
        Some("category" | "purpose") => {
            "a taxonomy entry reads `category contact.email \"Label\"`, `category a.b under c.d`, or `category contact { category email }`"
        }
        _ => "a rule reads `rule NAME { EFFECT CATEGORIES for PURPOSES when CONDITION because \"…\" cite \"…\" }`",
    };
    // The shape alone: a user of the binary has no `policies/` folder to compare with.
    Some(shape.to_string())
}

/// What the quoted text after `keyword` looks like, for a help line that asks for quotes.
fn quoted_example(keyword: &str) -> Option<&'static str> {
    match keyword {
        "because" => Some("because \"Direct marketing by email needs consent\""),
        "cite" => Some("cite \"GDPR Art. 6(1)(a)\""),
        "basis" => Some("basis consent \"Consent\""),
        "channel" => Some("channel email \"Email\""),
        "category" => Some("category contact \"Contact details\""),
        "purpose" => Some("purpose marketing \"Direct marketing\""),
        _ => None,
    }
}

/// How the policy header reads.
const HEADER: &str = "the header reads `policy \"NAME\" version \"1\"`";

/// The help for a test whose value was left out, so that the keyword after its operator
/// (`owner ==` then `because "…"`) was read as the value.
fn keyword_read_as_value(code_before: &str) -> Option<String> {
    const OPERATORS: [&str; 12] =
        ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "contains", "within", "overlaps", "matches"];
    // Keywords that go on with a rule: another, after a missing `and` (`owner == all owner`),
    // is more likely the value meant.
    const GOES_ON: [&str; 7] = ["and", "or", "not", "because", "cite", "when", "unless"];
    let mut words = code_before.rsplit(char::is_whitespace).filter(|w| !w.is_empty());
    let (value, op) = (words.next()?, words.next()?);
    let op = if op == "in" && words.next() == Some("not") { "not in" } else { op };
    (GOES_ON.contains(&value) && OPERATORS.contains(&op)).then(|| {
        format!(
            "`{op}` has no value of its own here, so it compares with the word `{value}`: write the value after `{op}` \
             (a value may be spelt like a keyword, as `[at, is, in]` are country codes)"
        )
    })
}
