//! The help line under a parse error: for the mistakes legal authors actually make, what to
//! write instead; otherwise how the declaration the error is in reads.

use super::duration::duration_slip;
use super::look_alike::{invisible_at, look_alike, LookAlike};
use super::{is_keyword, item_keyword, set_help, word_at, Expected, DECLARATION_KEYWORDS};
use crate::diagnostic::suggest;
use crate::syntax::slips;

/// Whether a word is a name a declaration may give (`[a-z_][a-z0-9_]*`).
fn is_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A parse error's place, read once for the recognisers below.
struct ErrorSite<'t> {
    text: &'t str,
    pos: usize,
    /// What the grammar expected there.
    expected: &'t [Expected],
    /// The text from the error on.
    rest: &'t str,
    /// The text before the error, without the white space that ends it.
    code_before: &'t str,
    /// The last word before the error.
    last_word: &'t str,
    /// The word at the error; empty where it is at punctuation.
    word: String,
    /// The keyword of the declaration the error is in (a guess, see `item_keyword`).
    item: Option<&'static str>,
}

impl<'t> ErrorSite<'t> {
    fn new(text: &'t str, pos: usize, expected: &'t [Expected]) -> Self {
        let code_before = text.get(..pos).unwrap_or("").trim_end();
        ErrorSite {
            text,
            pos,
            expected,
            rest: text.get(pos..).unwrap_or(""),
            code_before,
            last_word: code_before.rsplit(char::is_whitespace).next().unwrap_or(""),
            word: word_at(text, pos),
            item: item_keyword(text, pos),
        }
    }

    fn expects(&self, e: &Expected) -> bool {
        self.expected.contains(e)
    }

    /// Whether a keyword or punctuation was expected.
    fn expects_token(&self, token: &str) -> bool {
        self.expected.iter().any(|e| e.token() == Some(token))
    }

    /// Whether either kind of name was expected.
    fn expects_name(&self) -> bool {
        self.expected.iter().any(Expected::is_name)
    }
}

/// A recogniser of one mistake: its help line, or `None` when the error is not that mistake.
type Recogniser = fn(&ErrorSite) -> Option<String>;

/// The recognisers, tried in this order: the first that recognises the error gives the help,
/// so a more telling one (an invisible character) comes before what the grammar expected.
const RECOGNISERS: &[Recogniser] = &[
    invisible_character,
    look_alike_character,
    comma_before_bracket,
    quote_inside_text,
    joiner_twice,
    second_length_after_duration,
    keyword_read_as_value,
    negated_operator,
    comment_of_another_language,
    semicolon,
    letter_outside_names,
    unit_slip,
    operator_of_another_language,
    not_in_or_dashed_label,
    list_after_under,
    misused_is,
    negative_duration,
    word_after_value,
    set_without_equals,
    misspelt_keyword,
    dashed_name,
    upper_case_name,
    scope_without_for,
    quoted_name,
    value_before_field,
    retain_without_limit,
    brace_open_at_end,
    block_open_before_declaration,
    rule_name_without_brace,
    list_in_parentheses,
    set_without_value,
    operator_without_value,
    list_unclosed,
    duration_expected,
    condition_expected,
    clause_too_many,
    second_name_without_comma,
    header_without_quotes,
    text_without_quotes,
    spaced_value,
];

/// A help line for the mistakes legal authors actually make, else how the declaration the
/// error is in reads.
pub(super) fn help_for(text: &str, pos: usize, expected: &[Expected]) -> Option<String> {
    let site = ErrorSite::new(text, pos, expected);
    let help = RECOGNISERS.iter().find_map(|recognise| recognise(&site));
    Some(help.unwrap_or_else(|| declaration_shape(site.item).to_string()))
}

/// An invisible character explains the error better than what the grammar expected there.
fn invisible_character(site: &ErrorSite) -> Option<String> {
    let (_, c) = invisible_at(site.text, site.pos)?;
    Some(format!(
        "the file holds {} here, which shows as nothing and a policy can hold only inside a string; remove it",
        crate::chars::describe(c)
    ))
}

/// A character that looks like one of ours (a curly quote, a dash).
fn look_alike_character(site: &ErrorSite) -> Option<String> {
    let c = site.rest.chars().next()?;
    let LookAlike { instead, .. } = look_alike(c)?;
    Some(if c.is_ascii() {
        format!("write {instead} instead")
    } else {
        format!("write {instead} instead; word processors and chat tools put such characters in")
    })
}

/// `[SE, DK,]`.
fn comma_before_bracket(site: &ErrorSite) -> Option<String> {
    (site.rest.starts_with(']') && site.code_before.ends_with(','))
        .then(|| "remove the `,` before `]`: the last item of a list has none".into())
}

/// A `"` inside a text ends it: `because "must be "provable" by records"`.
fn quote_inside_text(site: &ErrorSite) -> Option<String> {
    if !site.text.get(..site.pos).is_some_and(|t| t.ends_with('"')) {
        return None;
    }
    let line_rest = site.rest.split(['\n', '\r']).next().unwrap_or("");
    (line_rest.contains('"') && !line_rest.trim_start().starts_with('"')).then(|| {
        "a `\"` inside a text ends it: write `\\\"` for a quote inside the text, or use other quotation marks".into()
    })
}

/// `and` twice, as when a line-leading `and` is added below a line that ends in one.
fn joiner_twice(site: &ErrorSite) -> Option<String> {
    let word = site.word.as_str();
    (matches!(word, "and" | "or") && site.last_word == word).then(|| format!("`{word}` twice: remove one"))
}

/// `retention > 1 year 6 months`: a second length after a duration.
fn second_length_after_duration(site: &ErrorSite) -> Option<String> {
    let mut last_two = site.code_before.rsplit(char::is_whitespace).filter(|w| !w.is_empty());
    let (unit, number) = (last_two.next()?, last_two.next()?);
    let a_duration = number.bytes().all(|b| b.is_ascii_digit()) && crate::syntax::unit_meant(unit).is_some();
    (a_duration && site.rest.starts_with(|c: char| c.is_ascii_digit())).then(|| crate::syntax::ONE_DURATION.into())
}

/// `owner ==` with its value left out: the keyword after the operator is its value (values
/// may be spelt like keywords, `[at, is, in]`), and the error comes after that.
fn keyword_read_as_value(site: &ErrorSite) -> Option<String> {
    const OPERATORS: [&str; 12] =
        ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "contains", "within", "overlaps", "matches"];
    // Keywords that go on with a rule: another, after a missing `and` (`owner == all owner`),
    // is more likely the value meant.
    const GOES_ON: [&str; 7] = ["and", "or", "not", "because", "cite", "when", "unless"];
    let mut words = site.code_before.rsplit(char::is_whitespace).filter(|w| !w.is_empty());
    let (value, op) = (words.next()?, words.next()?);
    let op = if op == "in" && words.next() == Some("not") { "not in" } else { op };
    (GOES_ON.contains(&value) && OPERATORS.contains(&op)).then(|| {
        format!(
            "`{op}` has no value of its own here, so it compares with the word `{value}`: write the value after `{op}` \
             (a value may be spelt like a keyword, as `[at, is, in]` are country codes)"
        )
    })
}

/// Operators that are negated from the front of the test (`not FIELD overlaps x`), since
/// only `in` has a negated form of its own.
const NEGATED_IN_FRONT: [&str; 5] = ["matches", "overlaps", "within", "contains", "under"];

/// A negation written after the field: `audience.regions not overlaps nordics`,
/// `audience.regions !overlaps nordics`, `owner !in [a]`, `owner not == "x"`. The help writes
/// the test the way the language negates it, with its own field and value.
fn negated_operator(site: &ErrorSite) -> Option<String> {
    let (field, written, after) = if site.last_word == "not" {
        let before_not = site.code_before.strip_suffix("not")?.trim_end();
        (last_field(before_not)?, format!("not {}", site.word), site.rest)
    } else {
        let after_bang = site.rest.strip_prefix('!').filter(|r| !r.starts_with('='))?;
        let trimmed = after_bang.trim_start();
        let op = word_at(trimmed, 0);
        (last_field(site.code_before)?, format!("!{op}"), trimmed)
    };
    // `after` starts with the operator (or `==` / `!=`); what follows it is the value.
    let comparison = ["==", "!="].into_iter().find(|c| after.starts_with(c));
    let op = comparison.map_or_else(|| word_at(after, 0), str::to_string);
    let value = value_text(after.get(op.len()..).unwrap_or(""));
    let test = |op: &str| match value {
        Some(value) => format!("`{field} {op} {value}`"),
        None => format!("`{field} {op}` and the value"),
    };
    match op.as_str() {
        "==" | "!=" if site.last_word == "not" => {
            let opposite = if op == "==" { "!=" } else { "==" };
            Some(format!("`not {op}` is no operator: write {}", test(opposite)))
        }
        "in" if written.starts_with('!') => Some(format!("write `not in` for `{written}`: {}", test("not in"))),
        _ if NEGATED_IN_FRONT.contains(&op.as_str()) => Some(format!(
            "`{written}` is no operator: put `not` before the test, {}",
            test(&op).replacen('`', "`not ", 1)
        )),
        _ => None,
    }
}

/// The field path that `code` ends with (`audience.regions` in `when (audience.regions`), if it
/// ends with one.
fn last_field(code: &str) -> Option<&str> {
    let start = code.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.').len();
    let field = code.get(start..)?;
    let head = field.split('.').next()?;
    let field_keyword = matches!(head, "campaign" | "purpose" | "basis" | "category");
    (field.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && (field_keyword || !is_keyword(head)))
        .then_some(field)
}

/// The value at the start of `rest` as written: a list, a quoted string or a word; `None`
/// when it is none of them (the help then does not write one).
fn value_text(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let end = if rest.starts_with('[') {
        rest.find(']')? + 1
    } else if rest.starts_with('"') {
        crate::syntax::code::string_end(rest.as_bytes(), 1)
    } else {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))).unwrap_or(rest.len())
    };
    rest.get(..end).filter(|v| !v.is_empty() && !v.contains(['\n', '\r']) && v.chars().count() <= 60)
}

/// `//`, `/*` or `--` for a comment.
fn comment_of_another_language(site: &ErrorSite) -> Option<String> {
    ["//", "/*", "--"]
        .iter()
        .any(|c| site.rest.starts_with(c))
        .then(|| "comments start with `#` and run to the end of the line: `# a note`".into())
}

/// A `;` between the items of a list, or at the end of a declaration.
fn semicolon(site: &ErrorSite) -> Option<String> {
    if !site.rest.starts_with(';') {
        return None;
    }
    Some(if site.expects_token("]") {
        "separate the items of a list with `,`: `[SE, DK]`".into()
    } else {
        "remove the `;`: a declaration needs no mark at its end".into()
    })
}

/// `category kön`: a letter beyond a–z, which only a quoted label may hold; with the accents
/// written after it (`e` + U+0301), the letter as the reader sees it.
fn letter_outside_names(site: &ErrorSite) -> Option<String> {
    let mut chars = site.rest.chars();
    let first = chars.next().filter(|c| c.is_alphabetic())?;
    let marks: String = chars.take_while(|&c| crate::chars::is_mark(c)).collect();
    if first.is_ascii() && marks.is_empty() {
        return None;
    }
    Some(format!(
        "a name is written with a–z, digits and `_`, and `{first}{marks}` is none of them; a label in quotes may \
         hold any text"
    ))
}

/// A duration or number that is almost right (`24 Months`, `1.5 years`, `0x10`).
fn unit_slip(site: &ErrorSite) -> Option<String> {
    duration_slip(site.text, site.pos)
}

/// `&&`, `=<`, `!`: the operators of other languages, where an operator or a condition was due.
fn operator_of_another_language(site: &ErrorSite) -> Option<String> {
    if !(site.expects(&Expected::Operator) || site.expects_token("and") || site.expects(&Expected::Condition)) {
        return None;
    }
    // Longer operators first, so that `&&` is not told as `&`.
    const INSTEAD: [(&str, &str); 12] = [
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
    ];
    let rest = site.rest;
    let (op, instead) =
        INSTEAD.into_iter().find(|(op, _)| rest.starts_with(op) && !(*op == "!" && rest.starts_with("!=")))?;
    Some(format!("write {instead} for `{op}`, e.g. `when basis == consent and not rights.unsubscribe`"))
}

/// `nin`, `not_in`, or a label key with `-`, where an operator was due. Tried before the word
/// after a value, which would take `nin` for the second word of a value with a space in it.
fn not_in_or_dashed_label(site: &ErrorSite) -> Option<String> {
    if !site.expects(&Expected::Operator) {
        return None;
    }
    slips::not_in_as_one_word(site.rest).or_else(|| slips::dashed_label(site.text, site.pos))
}

/// `category under [a, b]`, where a name was due.
fn list_after_under(site: &ErrorSite) -> Option<String> {
    if !site.expects_name() {
        return None;
    }
    slips::under_list(site.text, site.pos)
}

/// `is null`, `is consent`, `is not in`: `is` used as other languages use it.
fn misused_is(site: &ErrorSite) -> Option<String> {
    if !site.expects_token("set") {
        return None;
    }
    let after_not = site.code_before.ends_with("not");
    let word = &site.word;
    match word.to_lowercase().as_str() {
        "null" | "nil" | "none" | "missing" | "undefined" if after_not => {
            Some("a field that is given is `set`: write `is set`".into())
        }
        "null" | "nil" | "none" | "missing" | "undefined" | "defined" => {
            Some("a field that is not given is `not set`: write `is not set`, or `is set` for one that is".into())
        }
        "in" if after_not => Some("write `not in` without `is`: `basis not in [consent]`".into()),
        "true" | "false" => {
            Some(format!("write `== {word}` to compare a yes/no field (or the field alone, or `not` and the field)"))
        }
        "" => None,
        _ => Some(
            "`is` only tests `is set`, `is not set`, `is empty` and `is not empty`; to compare, write `==` or `!=`"
                .into(),
        ),
    }
}

/// The line before the error, and its last word (a value, where a word after it is a
/// value's second word).
fn previous_word<'t>(site: &ErrorSite<'t>) -> (&'t str, &'t str) {
    let line_before = site.text.get(..site.pos).map_or("", |t| t.rsplit(['\n', '\r']).next().unwrap_or(t));
    let previous = line_before.trim_end().rsplit([' ', '\t', '[', '(', ',']).next().unwrap_or("");
    (line_before, previous)
}

/// `retention > -3 days`: the grammar reads `-3` as a number and stops at the unit.
fn negative_duration(site: &ErrorSite) -> Option<String> {
    let (_, previous) = previous_word(site);
    let amount = previous.strip_prefix('-').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))?;
    let word = &site.word;
    crate::syntax::unit_meant(&word.to_lowercase())
        .map(|_| format!("a duration is never negative: write a length such as `{amount} {word}`"))
}

/// A word right after a value, where `and` or `or` could go: a value with a space in it
/// (`consent.source == signup form`), not a misspelt keyword.
fn word_after_value(site: &ErrorSite) -> Option<String> {
    let (line_before, previous) = previous_word(site);
    let after_value = previous.chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && line_before.ends_with([' ', '\t'])
        && !crate::syntax::KEYWORDS.contains(&previous);
    let word = &site.word;
    if word.is_empty() || !after_value || !site.expects_token("and") || !site.expects_token("or") || is_keyword(word) {
        return None;
    }
    // One edit from a keyword (`adn`, `AND`) is a misspelt keyword; `form` is two from `or`.
    let lower = word.to_lowercase();
    let keywords = ["and", "or", "because", "cite"];
    if let Some(k) = keywords.iter().find(|k| strsim::damerau_levenshtein(&lower, k) <= 1) {
        return Some(format!("did you mean `{k}`?"));
    }
    Some(format!(
        "a value with spaces is written in double quotes, e.g. `\"{previous} {word}\"`; otherwise join conditions with \
         `and` or `or`"
    ))
}

/// `set eea [SE]`: pest gives up at the declaration, which is spelt right.
fn set_without_equals(site: &ErrorSite) -> Option<String> {
    (site.word == "set" && site.expects_token("="))
        .then(|| set_help(site.rest.split_whitespace().nth(1).unwrap_or("NAME").trim_end_matches(':')))
}

/// A keyword of those expected, misspelt (`fr`, `catgory`).
fn misspelt_keyword(site: &ErrorSite) -> Option<String> {
    let word = &site.word;
    if word.is_empty() {
        return None;
    }
    let keywords: Vec<&str> = site
        .expected
        .iter()
        .filter_map(Expected::token)
        .chain(if site.expects(&Expected::Declaration) { DECLARATION_KEYWORDS.to_vec() } else { Vec::new() })
        .collect();
    // One edit from a short keyword (`fr`, `adn`) is too far for the similarity score.
    let one_edit = || {
        keywords.iter().copied().find(|k| word.len() >= 2 && strsim::damerau_levenshtein(&word.to_lowercase(), k) <= 1)
    };
    let k = suggest(word, keywords.iter().copied()).or_else(one_edit).filter(|k| *k != word.as_str())?;
    Some(format!("did you mean `{k}`?"))
}

/// `rule eea-only`: a name with `-`, where a name was due.
fn dashed_name(site: &ErrorSite) -> Option<String> {
    if site.word.is_empty() || !site.expects_name() {
        return None;
    }
    let dashed: String =
        site.rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
    dashed.contains('-').then(|| format!("a name joins its words with `_`, not `-`: `{}`", dashed.replace('-', "_")))
}

/// `category Email`, where a name was due.
fn upper_case_name(site: &ErrorSite) -> Option<String> {
    (site.word.chars().any(|c| c.is_ascii_uppercase()) && site.expects_name())
        .then(|| "names are lower-case: letters, digits and `_`".to_string())
}

/// A rule's scope without its `for`.
fn scope_without_for(site: &ErrorSite) -> Option<String> {
    site.expects_token("for")
        .then(|| "a rule's scope reads `CATEGORIES for PURPOSES`, e.g. `allow contact.email for marketing`".into())
}

/// `purpose under "marketing"`, `allow "contact" for m`: a name in quotes, where a name is due.
fn quoted_name(site: &ErrorSite) -> Option<String> {
    if !site.expects_name() || !site.rest.starts_with('"') {
        return None;
    }
    let end = crate::syntax::code::string_end(site.rest.as_bytes(), 1);
    let inner = site.rest.get(1..end.checked_sub(1)?)?;
    let a_path = !inner.is_empty() && inner.split('.').all(|part| is_name(part) && !is_keyword(part));
    Some(if a_path {
        format!("names are not strings: write `{inner}` without the quotes")
    } else {
        "names are not strings: write a declared name without quotes, e.g. `contact.email`".into()
    })
}

/// `"x" == owner`, `18 <= audience.min_age`: the value before the field, where a condition
/// starts with the field.
fn value_before_field(site: &ErrorSite) -> Option<String> {
    if !site.expects(&Expected::Condition) {
        return None;
    }
    let rest = site.rest;
    let value_end = if rest.starts_with('"') {
        crate::syntax::code::string_end(rest.as_bytes(), 1)
    } else {
        rest.find(|c: char| !(c.is_ascii_digit() || c == '-')).unwrap_or(rest.len())
    };
    let value = rest.get(..value_end).filter(|v| !v.is_empty() && *v != "-" && !v.contains(['\n', '\r']))?;
    let after = rest.get(value_end..)?.trim_start();
    // Longer operators first, so that `<=` is not read as `<`; the order turned round with the sides.
    const TURNED: [(&str, &str); 6] = [("==", "=="), ("!=", "!="), ("<=", ">="), (">=", "<="), ("<", ">"), (">", "<")];
    let (op, turned) = TURNED.into_iter().find(|(op, _)| after.starts_with(op))?;
    let field_text = after.get(op.len()..)?.trim_start();
    let field_end =
        field_text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(field_text.len());
    let field = field_text.get(..field_end).filter(|f| f.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))?;
    let head = field.split('.').next().unwrap_or(field);
    if is_keyword(head) && !matches!(head, "campaign" | "purpose" | "basis" | "category") {
        return None;
    }
    Some(format!("a test starts with the field: write `{field} {turned} {value}`"))
}

/// `retain c for m` without its limit.
fn retain_without_limit(site: &ErrorSite) -> Option<String> {
    if !site.expects_token("at") {
        return None;
    }
    let start = site.code_before.rfind("retain")?;
    let scope = site.code_before.get(start..)?.split_whitespace().collect::<Vec<_>>().join(" ");
    (scope.len() <= 120 && !scope.contains('#')).then(|| {
        format!("a `retain` rule gives the longest time the data may be kept, e.g. `{scope} at most 24 months`")
    })
}

/// The file ends where a `}` was due.
fn brace_open_at_end(site: &ErrorSite) -> Option<String> {
    (site.pos >= site.text.trim_end().len() && site.expects_token("}"))
        .then(|| "a `{` is never closed: add `}` at the end of the rule or taxonomy block".into())
}

/// A declaration where the `}` of the block before it was due.
fn block_open_before_declaration(site: &ErrorSite) -> Option<String> {
    let word = &site.word;
    (site.expects_token("}") && DECLARATION_KEYWORDS.contains(&word.as_str()) && !site.expects(&Expected::Declaration))
        .then(|| format!("the block before this `{word}` is not closed: add `}}` before it"))
}

/// Only a `{` could follow a rule's name: a second word on the name's line is a name with a
/// space in it; else the `{` is missing.
fn rule_name_without_brace(site: &ErrorSite) -> Option<String> {
    if site.item != Some("rule") || site.expected != [Expected::Token("{".into())] {
        return None;
    }
    let word = &site.word;
    let line_start = site.text.get(..site.pos).and_then(|t| t.rfind(['\n', '\r'])).map_or(0, |i| i + 1);
    let before = site.text.get(line_start..site.pos).unwrap_or("");
    if !word.is_empty() && before.trim_start().starts_with("rule") {
        return Some(format!(
            "a rule's name is one word of lower-case letters, digits and `_`: join the words with `_`, \
             e.g. `{}_{word}`, then `{{`",
            before.split_whitespace().nth(1).unwrap_or("name")
        ));
    }
    Some("put `{` after the rule's name: `rule NAME { allow … }`".into())
}

/// `owner in (a, b)`, as SQL writes a list.
fn list_in_parentheses(site: &ErrorSite) -> Option<String> {
    (site.expects(&Expected::Value) && site.rest.starts_with(['(', '{']))
        .then(|| "a list is written in square brackets: `[a, b]`".into())
}

/// A value due in a set's declaration.
fn set_without_value(site: &ErrorSite) -> Option<String> {
    (site.expects(&Expected::Value) && site.item == Some("set"))
        .then(|| "a set reads `set NAME = [a, b, c]`: names or quoted strings, separated by `,`".into())
}

/// A value due after an operator.
fn operator_without_value(site: &ErrorSite) -> Option<String> {
    site.expects(&Expected::Value).then(|| {
        "an operator is followed by a value: a name (`consent`), a quoted string, a number, a duration \
         (`30 days`) or a list (`[SE, DK]`)"
            .into()
    })
}

/// A `,` or `]` due inside a list.
fn list_unclosed(site: &ErrorSite) -> Option<String> {
    (site.expects_token("]") && site.expects_token(","))
        .then(|| "a list reads `[a, b, c]`: items separated by `,` and closed with `]`".into())
}

/// A duration due.
fn duration_expected(site: &ErrorSite) -> Option<String> {
    site.expects(&Expected::Duration)
        .then(|| "a duration is a number and a unit: `30 days`, `6 weeks`, `24 months`, `2 years`".into())
}

/// A condition due.
fn condition_expected(site: &ErrorSite) -> Option<String> {
    site.expects(&Expected::Condition)
        .then(|| "a condition tests a campaign field, e.g. `when basis == consent`".into())
}

/// A second `when`, `because` or `cite`, or one out of place, where the rule's `}` was due.
fn clause_too_many(site: &ErrorSite) -> Option<String> {
    let word = &site.word;
    (matches!(word.as_str(), "because" | "cite" | "when" | "unless") && site.expects_token("}")).then(|| {
        format!(
            "a rule has at most one `when` or `unless`, one `because` and one `cite`, in that order; this `{word}` is one \
             too many or out of place"
        )
    })
}

/// `basis consent legitimate_interests`, `category email phone`: a second name, not a label
/// (quoting it, as the help for a missing text says, would make the name a label and drop it).
fn second_name_without_comma(site: &ErrorSite) -> Option<String> {
    let (word, last_word) = (&site.word, site.last_word);
    if !(site.expects(&Expected::QuotedString) && is_name(word) && is_name(last_word)) {
        return None;
    }
    let example = match site.item {
        Some(kind @ ("basis" | "channel")) => format!("separate the names with `,`: `{kind} {last_word}, {word}`"),
        Some(kind @ ("category" | "purpose")) => {
            format!("declare each {kind} on its own: `{kind} {last_word}` then `{kind} {word}`")
        }
        _ => return None,
    };
    Some(format!("to declare `{word}` too, {example}; if `{word}` is a label, put it in double quotes"))
}

/// The policy's name, unquoted.
fn header_without_quotes(site: &ErrorSite) -> Option<String> {
    (site.expects(&Expected::QuotedString) && site.item == Some("policy")).then(|| HEADER.into())
}

/// A text due, unquoted: shown with the keyword in play, `because` or `cite` just before, else
/// the declaration's own.
fn text_without_quotes(site: &ErrorSite) -> Option<String> {
    if !site.expects(&Expected::QuotedString) {
        return None;
    }
    let keyword = Some(site.last_word).filter(|w| matches!(*w, "because" | "cite")).or(site.item);
    Some(match keyword.and_then(quoted_example) {
        Some(example) => format!("write the text in double quotes, e.g. `{example}`"),
        None => "write the text in double quotes".into(),
    })
}

/// `purpose == marketing . news`: a value with spaces around its dot. Names in a scope and
/// fields may have them (spec 1, `PATH`); a value is one `WORD`, which has none.
fn spaced_value(site: &ErrorSite) -> Option<String> {
    let after = site.rest.strip_prefix('.')?.trim_start();
    let next: String =
        after.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')).collect();
    let last = site.last_word;
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    Some(if word(last) && word(&next) && !is_keyword(last) {
        format!("a value is one word, without spaces around its dots: write `{last}.{next}`")
    } else {
        "a value is one word, without spaces around its dots (`marketing.newsletter`)".into()
    })
}

/// How the declaration with keyword `item` reads: the help when no mistake is recognised. The
/// shape alone, as a user of the binary has no `policies/` folder to compare with.
fn declaration_shape(item: Option<&str>) -> &'static str {
    match item {
        Some("policy") => HEADER,
        Some("basis" | "channel") => {
            "`basis` and `channel` list names, each with an optional label: `basis consent, legitimate_interests \"Legitimate interests\"`"
        }
        Some("set") => "a set reads `set NAME = [a, b, c]`",
        Some("category" | "purpose") => {
            "a taxonomy entry reads `category contact.email \"Label\"`, `category a.b under c.d`, or `category contact { category email }`"
        }
        _ => "a rule reads `rule NAME { EFFECT CATEGORIES for PURPOSES when CONDITION because \"…\" cite \"…\" }`",
    }
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
