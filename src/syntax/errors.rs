//! pest's parse errors turned into messages a legal author can act on: what was expected in
//! our words, what was found, and a help line for the mistakes people actually make.

mod duration;
mod help;
mod look_alike;
mod strings;

use std::borrow::Cow;

use pest::error::{Error, ErrorVariant, InputLocation};

use help::help_for;
use look_alike::{invisible_at, look_alike, LookAlike};
use strings::{bad_string, string_ran_on};

use super::parser::Rule;
use super::{braces, slips};
use crate::diagnostic::{join_list, Code, Place, Problem};
use crate::source::{FileId, Span};

pub(super) use super::DECLARATION_KEYWORDS;

/// One thing the grammar expected where a parse stopped. The recognisers of mistakes test
/// these; they become words only in the message, so rewording one disables no recogniser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Expected {
    /// A keyword or punctuation, written as is (`rule`, `}`).
    Token(Cow<'static, str>),
    /// Any of the declaration keywords, which the top level names once.
    Declaration,
    Operator,
    QuotedString,
    Duration,
    Number,
    List,
    Value,
    /// A name as a declaration gives it.
    Name,
    /// A dotted name, as a scope names categories and purposes.
    Path,
    Condition,
    EndOfFile,
}

impl Expected {
    fn keyword(k: &'static str) -> Expected {
        Expected::Token(Cow::Borrowed(k))
    }

    /// The keyword or punctuation, when that is what this is.
    pub(super) fn token(&self) -> Option<&str> {
        match self {
            Expected::Token(t) => Some(t),
            _ => None,
        }
    }

    /// Either kind of name.
    pub(super) fn is_name(&self) -> bool {
        matches!(self, Expected::Name | Expected::Path)
    }

    /// How the message names it.
    fn words(&self) -> Cow<'static, str> {
        let words = match self {
            Expected::Token(t) => return format!("`{t}`").into(),
            Expected::Declaration => "a declaration (`basis`, `category`, `purpose`, `rule`, …)",
            Expected::Operator => "an operator (`==`, `!=`, `<`, `in`, `contains`, …)",
            Expected::QuotedString => "a quoted string",
            Expected::Duration => "a duration such as `24 months`",
            Expected::Number => "a number",
            Expected::List => "a list such as `[a, b]`",
            Expected::Value => "a value",
            Expected::Name => "a name (lower-case letters, digits and `_`)",
            Expected::Path => "a name such as `contact.email`",
            Expected::Condition => "a condition on a field",
            Expected::EndOfFile => "end of file",
        };
        words.into()
    }
}

/// What the user sees for a grammar rule; nothing for helper rules that would only add noise.
fn describe(rule: Rule) -> Vec<Expected> {
    use Expected as E;
    let keyword = |k| vec![E::keyword(k)];
    match rule {
        Rule::kw_policy | Rule::header => keyword("policy"),
        Rule::kw_version => keyword("version"),
        Rule::kw_basis | Rule::basis_decl => keyword("basis"),
        Rule::kw_channel | Rule::channel_decl => keyword("channel"),
        Rule::kw_set | Rule::set_decl => keyword("set"),
        Rule::kw_category | Rule::category_decl => keyword("category"),
        Rule::kw_purpose | Rule::purpose_decl => keyword("purpose"),
        Rule::kw_under | Rule::under_clause | Rule::under_test => keyword("under"),
        Rule::kw_rule | Rule::rule_decl => keyword("rule"),
        Rule::kw_allow => keyword("allow"),
        Rule::kw_deny => keyword("deny"),
        Rule::kw_warn => keyword("warn"),
        Rule::kw_retain => keyword("retain"),
        Rule::effect => ["allow", "deny", "warn", "retain"].map(E::keyword).to_vec(),
        Rule::kw_at => keyword("at"),
        Rule::kw_most => keyword("most"),
        Rule::kw_for => keyword("for"),
        Rule::kw_campaign => keyword("campaign"),
        Rule::kw_when | Rule::kw_unless | Rule::condition => vec![E::keyword("when"), E::keyword("unless")],
        Rule::kw_because | Rule::because => keyword("because"),
        Rule::kw_cite | Rule::cite => keyword("cite"),
        Rule::kw_and => keyword("and"),
        Rule::kw_or => keyword("or"),
        Rule::kw_not | Rule::not_expr => keyword("not"),
        Rule::kw_any | Rule::kw_all | Rule::quant => vec![E::keyword("any"), E::keyword("all")],
        Rule::kw_is | Rule::is_test => keyword("is"),
        Rule::kw_empty => keyword("empty"),
        Rule::op | Rule::compare => vec![E::Operator],
        Rule::string => vec![E::QuotedString],
        Rule::duration => vec![E::Duration],
        Rule::number => vec![E::Number],
        Rule::list => vec![E::List],
        Rule::word => vec![E::Value],
        Rule::ident => vec![E::Name],
        Rule::path | Rule::targets => vec![E::Path],
        Rule::star => keyword("*"),
        Rule::field | Rule::test | Rule::expr | Rule::and_expr | Rule::paren => vec![E::Condition],
        Rule::category_body | Rule::purpose_body | Rule::open_brace => keyword("{"),
        Rule::close_brace => keyword("}"),
        Rule::close_bracket => keyword("]"),
        Rule::EOI => vec![E::EndOfFile],
        _ => Vec::new(),
    }
}

/// Where pest found an error, in the text it parsed.
pub(super) fn error_offset(err: &Error<Rule>) -> usize {
    match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// `pos`, or where the letter starts when `pos` is at a combining mark after one: in
/// `te\u{301}le\u{301}phone` the parser stops at the accent, but the reader sees `é`, one
/// character, which the message names and the caret points at, as it does the precomposed `é`.
fn at_letter_of_mark(text: &str, pos: usize) -> usize {
    let (Some(before), Some(after)) = (text.get(..pos), text.get(pos..)) else { return pos };
    if !after.chars().next().is_some_and(crate::chars::is_mark) {
        return pos;
    }
    match before.char_indices().next_back() {
        Some((at, letter)) if letter.is_alphanumeric() => at,
        _ => pos,
    }
}

/// `pos`, or where the word before it starts when that word follows a number and reads as a
/// misspelt keyword, not a unit: the grammar takes any lower-case word after a number as a
/// duration's unit (the checker names the unknown ones), so in `min_age < 18 becase "x"` or
/// `18 adn basis == consent` the parser stops after the word, at the string or at `basis`,
/// where the author sees nothing wrong. The word is what to point at, and the "did you mean"
/// it then gets is the fix.
fn at_word_after_number(text: &str, pos: usize) -> usize {
    let Some(before) = text.get(..pos).map(str::trim_end) else { return pos };
    let word_start = before.trim_end_matches(|c: char| c.is_ascii_lowercase()).len();
    let (Some(word), Some(number)) = (before.get(word_start..), before.get(..word_start).map(str::trim_end)) else {
        return pos;
    };
    let digits = number.trim_end_matches(|c: char| c.is_ascii_digit());
    let after_number = digits.len() < number.len() && !digits.ends_with(|c: char| c.is_alphanumeric() || c == '_');
    let unit_like = super::DURATION_UNITS.contains(&word)
        || super::unit_meant(word).is_some()
        || !crate::diagnostic::suggestions(word, super::DURATION_UNITS).is_empty();
    match after_number && !word.is_empty() && !unit_like && crate::diagnostic::suggest(word, super::KEYWORDS).is_some()
    {
        true => word_start,
        false => pos,
    }
}

/// `anyx data (…)`, `alll processors (…)`, `notx (…)`: a misspelt `any`, `all` or `not` at the
/// start of a condition reads as a field that tests true, so the parser stops at the list or
/// the bracket after it, and would say to quote `anyx data` as a value. The word is the slip.
fn misspelt_quantifier(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    let rest = text.get(pos..)?;
    let before = text.get(..pos)?.trim_end();
    let word_start = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').len();
    let word = before.get(word_start..)?;
    let ahead = before.get(..word_start)?.trim_end();
    let starts_condition = ahead.ends_with('(')
        || ["when", "unless", "and", "or", "not"].iter().any(|k| {
            ahead.strip_suffix(k).is_some_and(|b| !b.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        });
    if word.is_empty() || is_keyword(word) || !starts_condition {
        return None;
    }
    let next = word_at(rest, 0);
    let meant = match (next.as_str(), rest.starts_with('(')) {
        ("data" | "processors", _) => crate::diagnostic::suggest(word, ["any", "all"])?,
        (_, true) => crate::diagnostic::suggest(word, ["not"])?,
        _ => return None,
    };
    let shown = if next.is_empty() { "(".to_string() } else { next };
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: word_start, end: word_start + word.len() },
            format!("unknown word `{word}` before `{shown}`"),
            "not a keyword",
        )
        .with_help(format!("did you mean `{meant}`?")),
    )
}

/// The 1-based line of an offset, counting lines as locations do (a lone `\r` ends one).
pub(super) fn line_number(text: &str, offset: usize) -> usize {
    crate::source::line_ends(text).take_while(|&end| end < offset).count() + 1
}

/// Converts a pest error into a located problem; `err` is of the text from `offset` on.
pub(super) fn from_pest(file: FileId, text: &str, offset: usize, err: &Error<Rule>) -> Problem {
    let pos = at_word_after_number(text, at_letter_of_mark(text, offset + error_offset(err)));
    if let Some(problem) = bad_string(file, text, pos)
        .or_else(|| string_ran_on(file, text, offset, pos))
        .or_else(|| braces::stray_close(file, text, offset, pos))
        .or_else(|| sql_not_equal(file, text, pos))
    {
        return problem;
    }
    let expected = expected_here(text, pos, err);
    let word = word_at(text, pos);
    let (found, found_len) = found_at(text, pos);
    let span = Span { file, start: pos, end: pos + found_len };
    let expects_token = |t: &str| expected.iter().any(|e| e.token() == Some(t));
    if expected.iter().any(Expected::is_name) && is_keyword(&word) {
        return keyword_as_name(span, text, pos, &word);
    }
    if let Some(problem) = keyword_in_name(file, text, pos).or_else(|| misspelt_quantifier(file, text, pos)) {
        return problem;
    }
    if expected.contains(&Expected::Duration) {
        if let Some(problem) = duration::misspelt_unit(file, text, pos) {
            return problem;
        }
    }
    if word == "set" && expects_token("=") {
        if let Some(problem) = set_without_equals(file, text, pos) {
            return problem;
        }
    }
    let brace_due = expects_token("}");
    if brace_due && DECLARATION_KEYWORDS.contains(&word.as_str()) {
        if let Some(problem) = braces::misplaced(file, text, offset, pos, &word) {
            return problem;
        }
    }
    let words: Vec<String> = expected.iter().map(|e| e.words().into_owned()).collect();
    let expected_text = join_list(&words, "or");
    let (message, label) = if expected.is_empty() {
        (format!("unexpected {found}"), "not allowed here".to_string())
    } else {
        (format!("expected {expected_text}, found {found}"), format!("expected {expected_text}"))
    };
    let mut problem = Problem::at(Code::Syntax, span, message, label);
    let help = slips::clause_out_of_order(text, offset, pos, &word).or_else(|| help_for(text, pos, &expected));
    if let Some(help) = help {
        problem = problem.with_help(help);
    }
    if brace_due {
        problem = point_at_open_brace(problem, file, text, offset, pos, &word);
    }
    if expects_token(")") {
        problem = point_at_open_parenthesis(problem, file, text, offset, pos);
    }
    problem
}

/// `a <> b`: `<` parsed as less-than and the parse stopped at the `>`, where the operator is
/// both.
fn sql_not_equal(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    if pos == 0 || !text.get(pos - 1..).is_some_and(|t| t.starts_with("<>")) {
        return None;
    }
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: pos - 1, end: pos + 1 },
            "`<>` is not an operator",
            "not an operator",
        )
        .with_help("write `!=` for `<>`, e.g. `when basis != consent`"),
    )
}

/// What was expected at `pos`, in the order the message lists it and without repeats.
fn expected_here(text: &str, pos: usize, err: &Error<Rule>) -> Vec<Expected> {
    let mut expected = described_rules(err);
    expected.extend(punctuation_expected(err));
    // The message lists them in the order of their words.
    expected.sort_by_cached_key(Expected::words);
    expected.dedup();
    // An operator's words already name the comparison operators.
    if expected.contains(&Expected::Operator) {
        expected.retain(|e| !matches!(e.token(), Some("==" | "!=" | "<" | "<=" | ">" | ">=")));
    }
    name_declarations_once(text, pos, &mut expected);
    expected
}

/// The rules pest expected, as `describe` shows them.
fn described_rules(err: &Error<Rule>) -> Vec<Expected> {
    match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.iter().flat_map(|r| describe(*r)).collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    }
}

/// The punctuation pest tried to match. Only punctuation is taken from its tokens: keywords
/// come from the rule names (`described_rules`).
fn punctuation_expected(err: &Error<Rule>) -> Vec<Expected> {
    let Some(attempts) = err.parse_attempts() else { return Vec::new() };
    attempts
        .expected_tokens()
        .into_iter()
        .map(|token| token.to_string())
        .filter(|token| {
            // `#`, `"`, `-` and `.` only show up from comments, strings and name lookaheads.
            // The byte-order mark a file may start with is invisible: never ask for it.
            let comment_or_string = matches!(token.as_str(), "#" | "\"" | "-" | "." | "_" | "\u{feff}");
            !comment_or_string && token.chars().all(|c| !c.is_alphanumeric() && c != '_') && !token.trim().is_empty()
        })
        .map(|token| Expected::Token(token.into()))
        .collect()
}

/// At the top level every declaration keyword is possible: they are named once, briefly.
fn name_declarations_once(text: &str, pos: usize, expected: &mut Vec<Expected>) {
    let declarations: Vec<Expected> = DECLARATION_KEYWORDS.iter().map(|k| Expected::keyword(k)).collect();
    // Before the first declaration pest names only the optional byte-order mark (left out of
    // the punctuation): a declaration is what is expected there.
    let before = text.get(..pos).unwrap_or("").trim_start_matches('\u{feff}');
    if expected.is_empty() && before.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        expected.extend(declarations.iter().cloned());
    }
    if declarations.iter().all(|d| expected.contains(d)) {
        expected.retain(|e| !declarations.contains(e));
        expected.insert(0, Expected::Declaration);
    }
}

/// A keyword where a name was due: told what was meant where that is clear, else that the
/// keyword is reserved.
fn keyword_as_name(span: Span, text: &str, pos: usize, word: &str) -> Problem {
    if let Some(help) = nothing_named_help(text, pos, word) {
        return Problem::at(
            Code::Syntax,
            span,
            format!("expected a name, found the keyword `{word}`"),
            "a name was expected here",
        )
        .with_help(help);
    }
    Problem::at(Code::Syntax, span, format!("`{word}` is a keyword and cannot be used as a name"), "reserved word")
        .with_help(format!(
            "choose another name, e.g. `{word}_{}` or a name that says what it is for",
            item_keyword(text, pos).unwrap_or("name")
        ))
}

/// Where a name was due but nothing was named: a list of names ended in a `,`, or a scope
/// said `all` or `any` for every name.
fn nothing_named_help(text: &str, pos: usize, word: &str) -> Option<String> {
    let before = text.get(..pos).unwrap_or("").trim_end();
    let after_effect = ["allow", "deny", "warn", "retain"].iter().any(|e| before.ends_with(e));
    match word {
        _ if before.ends_with(',') => Some(format!("remove the `,` before `{word}`: the last name of a list has none")),
        "for" if after_effect => Some(
            "write the categories before `for`, e.g. `deny contact.email for marketing`, or `*` for every category"
                .to_string(),
        ),
        // `category under all`: a test names a declared node, and none can be a keyword.
        _ if before.ends_with("under") && !matches!(item_keyword(text, pos), Some("category" | "purpose")) => {
            Some(format!(
                "`under` takes a declared category or purpose, and no name can be the keyword `{word}`; \
                 for every one, leave the test out"
            ))
        }
        "all" | "any" if before.ends_with("for") || after_effect => {
            Some("write `*` for every category or every purpose, e.g. `deny special for *`".to_string())
        }
        _ => None,
    }
}

/// Where a `}` was due, the `{` that is still open is the place to look at. A declaration
/// keyword there points at it only when that block is not closed later: `owner != and basis
/// == consent` is a test whose value was left out.
fn point_at_open_brace(problem: Problem, file: FileId, text: &str, offset: usize, pos: usize, word: &str) -> Problem {
    let at_end = pos >= text.trim_end().len();
    let left_open = at_end || (DECLARATION_KEYWORDS.contains(&word) && !braces::closed_after(text, pos));
    let Some(open) = left_open.then(|| braces::unclosed(text, offset, pos, '{', '}')).flatten() else {
        return problem;
    };
    let line = line_number(text, open);
    problem.with_related(Place::Span(Span { file, start: open, end: open + 1 }), "this `{` is never closed").with_help(
        format!(
            "the `{{` of `{}` on line {line} is never closed: add its `}}` where what it holds ends",
            braces::block_name(text, open)
        ),
    )
}

/// Where a `)` was due, the `(` that is still open.
fn point_at_open_parenthesis(problem: Problem, file: FileId, text: &str, offset: usize, pos: usize) -> Problem {
    let Some(open) = braces::unclosed(text, offset, pos, '(', ')') else { return problem };
    problem
        .with_related(Place::Span(Span { file, start: open, end: open + 1 }), "this `(` is never closed")
        .with_help("add the `)` that closes this `(` where the condition inside it ends")
}

/// `category contact.allow`: a keyword after a name's dot, where pest ends the name at the dot.
fn keyword_in_name(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    let after_dot = text.get(pos..)?.strip_prefix('.')?;
    let word = word_at(after_dot, 0);
    let before = text.get(..pos)?.chars().next_back()?;
    if !is_keyword(&word) || !(before.is_ascii_alphanumeric() || before == '_') {
        return None;
    }
    let start = pos + 1;
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start, end: start + word.len() },
            format!("`{word}` is a keyword and cannot be part of a name"),
            "reserved word",
        )
        .with_help(format!("choose another name for this part, e.g. `{word}ed` or `{word}_list`")),
    )
}

/// `set eea [SE]` or `set eea: [SE]`, where pest gives up at the `set` (spelt right) although
/// the mistake is after the name: pointed at what stands where the `=` goes.
fn set_without_equals(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    let after_set = text.get(pos..)?.strip_prefix("set")?;
    let name_and_rest = after_set.trim_start();
    let name_len = name_and_rest
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .unwrap_or(name_and_rest.len());
    let name = name_and_rest.get(..name_len).filter(|n| !n.is_empty())?;
    let rest = name_and_rest.get(name_len..)?.trim_start();
    // A `=` there, or a comment before it, and the mistake is elsewhere.
    if rest.starts_with(['=', '#']) {
        return None;
    }
    let at = text.len() - rest.len();
    let (_, len) = found_at(text, at);
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: at, end: at + len },
            "expected `=` after the set's name",
            "expected `=`",
        )
        .with_help(set_help(name)),
    )
}

/// How a set reads, with its own name.
fn set_help(name: &str) -> String {
    format!("a set reads `set {name} = [a, b, c]`: put `=` after `{name}`")
}

fn is_keyword(word: &str) -> bool {
    super::KEYWORDS.contains(&word)
}

/// The token at `pos` as shown in a message, and its length in bytes.
fn found_at(text: &str, pos: usize) -> (String, usize) {
    if let Some((at, c)) = invisible_at(text, pos) {
        // Shown by its code point, as in backticks it would show as nothing.
        let name = crate::chars::describe(c);
        return (if at > pos { format!("{name} after `.`") } else { name }, at - pos + c.len_utf8());
    }
    let rest = text.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if first.is_alphanumeric() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|&c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-') || crate::chars::is_mark(c))
            .take(40)
            .collect();
        let len = word.len();
        return (format!("`{word}`"), len);
    }
    if first == '"' {
        return ("a string".to_string(), 1);
    }
    if "&|=!<>".contains(first) {
        let run: String = rest.chars().take_while(|c| "&|=!<>".contains(*c)).take(3).collect();
        return (format!("`{run}`"), run.len());
    }
    if let Some(LookAlike { name, .. }) = look_alike(first) {
        return (format!("{name} (U+{:04X})", u32::from(first)), first.len_utf8());
    }
    (format!("`{first}`"), first.len_utf8())
}

pub(super) fn word_at(text: &str, pos: usize) -> String {
    text.get(pos..).unwrap_or("").chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The keyword of the declaration the error is in: the first word of the nearest line at or
/// before `pos` that starts with one (a guess, for the help line only).
fn item_keyword(text: &str, pos: usize) -> Option<&'static str> {
    let before = text.get(..pos.min(text.len()))?;
    before.split(['\n', '\r']).rev().find_map(|line| {
        let first = line.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next()?;
        DECLARATION_KEYWORDS.iter().copied().find(|k| *k == first)
    })
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;

    /// The first problem of `text`: its message, the byte where it is, and its help.
    fn first_problem(text: &str) -> (String, Option<usize>, String) {
        let p = crate::syntax::parse_file(FileId(0), text).unwrap_err().remove(0);
        let start = match p.place {
            crate::diagnostic::Place::Span(s) => Some(s.start),
            crate::diagnostic::Place::File(_) => None,
        };
        (p.message, start, p.help.unwrap_or_default())
    }

    /// `condition` as the condition of a rule.
    fn in_rule(condition: &str) -> String {
        format!("rule r {{\n  deny c for p\n  when {condition}\n}}\n")
    }

    pub(super) fn help(text: &str) -> String {
        let problems = crate::syntax::parse_file(FileId(0), text).unwrap_err();
        problems.first().and_then(|p| p.help.clone()).unwrap_or_default()
    }

    /// `anyx data (…)` is a misspelt `any`, told at the word, not a value to quote.
    #[test]
    fn a_misspelt_quantifier_or_not_is_pointed_at() {
        for (condition, word, message, help) in [
            ("anyx data (source == crm)", "anyx", "unknown word `anyx` before `data`", "did you mean `any`?"),
            (
                "basis == consent and alll processors (dpa)",
                "alll",
                "unknown word `alll` before `processors`",
                "did you mean `all`?",
            ),
            ("notx (basis == consent)", "notx", "unknown word `notx` before `(`", "did you mean `not`?"),
        ] {
            let text = in_rule(condition);
            assert_eq!(first_problem(&text), (message.to_string(), text.find(word), help.to_string()));
        }
    }

    /// A misspelt keyword after a number is not taken for a duration's unit: the error is at
    /// the word, with the keyword it is close to, not at the token after it.
    #[test]
    fn a_misspelt_keyword_after_a_number_is_pointed_at() {
        let text = in_rule("audience.min_age < 18\n  becase \"x\"");
        assert_eq!(
            first_problem(&text),
            (
                "expected `and`, `because`, `cite`, `or` or `}`, found `becase`".to_string(),
                text.find("becase"),
                "did you mean `because`?".to_string()
            )
        );
        let text = in_rule("audience.min_age < 18 adn basis == consent");
        assert_eq!(
            first_problem(&text),
            (
                "expected `and`, `because`, `cite`, `or` or `}`, found `adn`".to_string(),
                text.find("adn"),
                "did you mean `and`?".to_string()
            )
        );
        // A word close to a unit is still read as one, and told so where the checker finds it.
        assert!(crate::syntax::parse_file(FileId(0), &in_rule("audience.min_age < 18 monts")).is_ok());
    }

    /// An accent written after its letter (`e` + U+0301) is told as the precomposed letter is:
    /// the same place, the same word, the same help, not a bare accent.
    #[test]
    fn a_combining_accent_is_named_with_its_letter() {
        let told = |name: &str| {
            let text = format!("category contact {{ category {name} }}\n");
            let (message, start, help) = first_problem(&text);
            // The column in characters, as a reader counts it.
            (message, start.and_then(|s| text.get(..s)).map(|t| t.chars().count()), help)
        };
        let (message, start, help) = told("te\u{301}le\u{301}phone");
        assert!(message.ends_with("found `e\u{301}le\u{301}phone`"), "{message}");
        assert_eq!(start, Some(29));
        assert!(help.contains("and `e\u{301}` is none of them"), "{help}");
        let (message, start, help) = told("t\u{e9}l\u{e9}phone");
        assert!(message.ends_with("found `\u{e9}l\u{e9}phone`"), "{message}");
        assert_eq!(start, Some(29));
        assert!(help.contains("and `\u{e9}` is none of them"), "{help}");
    }

    /// The help line describes the declaration the error is in, not always a rule.
    #[test]
    fn help_follows_the_declaration_in_error() {
        assert!(help("basis\n").starts_with("`basis` and `channel` list names"), "{}", help("basis\n"));
        assert!(help("set x = [a,").starts_with("a set reads"), "{}", help("set x = [a,"));
        assert!(help("policy\n").contains("policy \"NAME\" version"), "{}", help("policy\n"));
        assert!(
            help("purpose a {\n  b\n}\n").starts_with("a taxonomy entry reads"),
            "{}",
            help("purpose a {\n  b\n}\n")
        );
        assert!(
            help("rule r { allow * for * cite }\n").contains("double quotes"),
            "{}",
            help("rule r { allow * for * cite }\n")
        );
    }

    pub(super) fn first(text: &str) -> crate::diagnostic::Problem {
        crate::syntax::parse_file(FileId(0), text).unwrap_err().remove(0)
    }

    pub(super) const RULE: &str = "rule r { deny c for m when ";

    #[test]
    fn operators_of_other_languages_are_translated() {
        for (condition, help) in [
            ("basis = consent }", "write `==` for `=`"),
            ("basis == consent && rights.unsubscribe }", "write `and` for `&&`"),
            ("basis == consent || rights.unsubscribe }", "write `or` for `||`"),
            ("!rights.unsubscribe }", "write `not` for `!`"),
            ("basis <> consent }", "write `!=` for `<>`"),
        ] {
            let p = first(&format!("{RULE}{condition}"));
            assert!(p.help.as_deref().is_some_and(|h| h.starts_with(help)), "{condition}: {p:?}");
        }
        // `<>` is one token to its author: named and pointed at whole.
        let p = first(&format!("{RULE}basis <> consent }}"));
        let width = match p.place {
            crate::diagnostic::Place::Span(s) => s.end - s.start,
            _ => 0,
        };
        assert_eq!((p.message.as_str(), width), ("`<>` is not an operator", 2));
        // `!=` is an operator of ours: no help about `!`.
        assert!(crate::syntax::parse_file(FileId(0), &format!("{RULE}basis != consent }}")).is_ok());
    }

    /// A negation written after the field is told where it goes, with the whole test, and
    /// the help followed literally parses.
    #[test]
    fn a_negation_after_the_field_is_moved_in_front_of_the_test() {
        for (condition, help, fixed) in [
            (
                "audience.regions !overlaps nordics }",
                "`!overlaps` is no operator: put `not` before the test, `not audience.regions overlaps nordics`",
                "not audience.regions overlaps nordics }",
            ),
            (
                "audience.regions not overlaps nordics }",
                "`not overlaps` is no operator: put `not` before the test, `not audience.regions overlaps nordics`",
                "not audience.regions overlaps nordics }",
            ),
            (
                "(audience.regions not within [SE, DK]) }",
                "`not within` is no operator: put `not` before the test, `not audience.regions within [SE, DK]`",
                "(not audience.regions within [SE, DK]) }",
            ),
            (
                "channels not contains email }",
                "`not contains` is no operator: put `not` before the test, `not channels contains email`",
                "not channels contains email }",
            ),
            (
                "owner not matches \"^crm\" }",
                "`not matches` is no operator: put `not` before the test, `not owner matches \"^crm\"`",
                "not owner matches \"^crm\" }",
            ),
            (
                "category not under c }",
                "`not under` is no operator: put `not` before the test, `not category under c`",
                "not category under c }",
            ),
            ("owner !in [a, b] }", "write `not in` for `!in`: `owner not in [a, b]`", "owner not in [a, b] }"),
            ("owner not == \"x\" }", "`not ==` is no operator: write `owner != \"x\"`", "owner != \"x\" }"),
        ] {
            let p = first(&format!("{RULE}{condition}"));
            assert_eq!(p.help.as_deref(), Some(help), "{condition}");
            assert!(crate::syntax::parse_file(FileId(0), &format!("{RULE}{fixed}")).is_ok(), "{fixed}");
        }
    }

    /// A quoted name, a value before its field and a `retain` without its limit were told the
    /// whole rule's shape; each now gets the fix, which parses.
    #[test]
    fn quoted_names_turned_tests_and_a_retain_without_limit_get_the_fix() {
        for (text, help, fixed) in [
            (
                "rule r { deny c for m when purpose under \"marketing\" }",
                "names are not strings: write `marketing` without the quotes",
                "rule r { deny c for m when purpose under marketing }",
            ),
            (
                "rule r { allow \"contact.email\" for m }",
                "names are not strings: write `contact.email` without the quotes",
                "rule r { allow contact.email for m }",
            ),
            (
                "rule r { deny c for m when \"x\" == owner }",
                "a test starts with the field: write `owner == \"x\"`",
                "rule r { deny c for m when owner == \"x\" }",
            ),
            (
                "rule r { deny c for m when rights.unsubscribe and 18 <= audience.min_age }",
                "a test starts with the field: write `audience.min_age >= 18`",
                "rule r { deny c for m when rights.unsubscribe and audience.min_age >= 18 }",
            ),
            (
                "rule r { retain c, d\n for m }",
                "a `retain` rule gives the longest time the data may be kept, e.g. `retain c, d for m at most 24 months`",
                "rule r { retain c, d for m at most 24 months }",
            ),
            (
                "rule r { retain c for m because \"x\" }",
                "a `retain` rule gives the longest time the data may be kept, e.g. `retain c for m at most 24 months`",
                "rule r { retain c for m at most 24 months because \"x\" }",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
            assert!(crate::syntax::parse_file(FileId(0), fixed).is_ok(), "{fixed}");
        }
    }

    #[test]
    fn is_null_is_told_to_say_not_set() {
        let p = first(&format!("{RULE}consent.source is null }}"));
        assert_eq!(p.message, "expected `empty`, `not` or `set`, found `null`");
        assert!(p.help.as_deref().is_some_and(|h| h.contains("`is not set`")), "{p:?}");
    }

    #[test]
    fn a_short_keyword_one_edit_away_is_suggested() {
        assert_eq!(first("rule r { deny c fr m }").help.as_deref(), Some("did you mean `for`?"));
    }

    #[test]
    fn misused_is_and_separators_get_their_own_help() {
        for (text, start) in [
            ("rule r { deny c for m when consent.source is not null }", "a field that is given is `set`"),
            ("rule r { deny c for m when basis is consent }", "`is` only tests"),
            ("rule r { deny c for m when rights.unsubscribe is false }", "write `== false`"),
            ("rule r { deny c for m when basis is not in [consent] }", "write `not in` without `is`"),
            ("rule r { deny c for m when audience.min_age =< 16 }", "write `<=` for `=<`"),
            ("rule r { deny c for m when basis \u{2260} consent }", "write `!=` for `\u{2260}`"),
            ("set eea = [SE; DK]", "separate the items of a list with `,`"),
            ("set eea = [SE, DK];", "remove the `;`"),
            ("category k\u{f6}n", "a name is written with a\u{2013}z, digits and `_`"),
        ] {
            let p = first(text);
            assert!(p.help.as_deref().is_some_and(|h| h.starts_with(start)), "{text}: {p:?}");
        }
    }

    #[test]
    fn a_missing_closing_brace_points_at_the_brace_left_open() {
        let text = "category contact {\n  category email\ncategory behaviour {\n  category browsing\n}\npurpose m\n";
        let p = first(text);
        assert_eq!(p.message, "expected `category` or `}`, found `purpose`");
        assert_eq!(p.related.first().map(|r| r.label.as_str()), Some("this `{` is never closed"));
        assert!(
            matches!(p.related.first().map(|r| &r.place), Some(crate::diagnostic::Place::Span(s)) if s.start == 17)
        );
        assert_eq!(
            p.help.as_deref(),
            Some("the `{` of `category contact` on line 1 is never closed: add its `}` where what it holds ends")
        );
    }

    #[test]
    fn list_commas_quotes_inside_texts_and_doubled_keywords_get_help() {
        for (text, help) in [
            ("set eea = [SE, DK,]", "remove the `,` before `]`: the last item of a list has none"),
            (
                "rule r { deny c for m because \"must be \"provable\" by records.\" }",
                "a `\"` inside a text ends it: write `\\\"` for a quote inside the text, or use other quotation marks",
            ),
            ("rule r { deny c for m when basis == consent and\n  and x }", "`and` twice: remove one"),
            (
                "rule r { deny c for m because 'x' }",
                "write the straight double quote `\"` (strings take double quotes) instead",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
        }
    }

    #[test]
    fn an_unclosed_parenthesis_is_pointed_at() {
        let text = "rule r {\n  deny c for m\n  when a and (b or c\n  because \"x\"\n}\n";
        let p = first(text);
        assert_eq!(p.related.first().map(|r| r.label.as_str()), Some("this `(` is never closed"));
        assert!(
            matches!(p.related.first().map(|r| &r.place), Some(crate::diagnostic::Place::Span(s)) if s.start == 37)
        );
        assert_eq!(p.help.as_deref(), Some("add the `)` that closes this `(` where the condition inside it ends"));
    }

    #[test]
    fn a_set_without_its_equals_sign_and_a_dashed_name_get_help() {
        let p = first("category c\npurpose m\nset eea [SE, DK]\n");
        assert_eq!(p.help.as_deref(), Some("a set reads `set eea = [a, b, c]`: put `=` after `eea`"));
        let p = first("rule eea-only { deny c for m }");
        assert_eq!(p.help.as_deref(), Some("a name joins its words with `_`, not `-`: `eea_only`"));
    }

    #[test]
    fn a_set_without_its_equals_sign_is_pointed_at_where_the_sign_goes() {
        for (text, underlined) in
            [("set eea: [SE, DK]\n", ":"), ("set eea [SE, DK]\n", "["), ("set eea\n  [SE]\n", "["), ("set eea", "")]
        {
            let p = first(text);
            assert_eq!(p.message, "expected `=` after the set's name", "{text}");
            assert_eq!(p.underlined(text), Some(underlined), "{text}");
            assert_eq!(p.help.as_deref(), Some("a set reads `set eea = [a, b, c]`: put `=` after `eea`"));
        }
    }

    /// The example of a quoted text uses the keyword the text belongs to.
    #[test]
    fn the_quoting_help_shows_the_keyword_in_play() {
        for (text, example) in [
            ("rule r { deny c for m because Needs consent }", "`because \"Direct marketing by email needs consent\"`"),
            ("rule r { deny c for m because ok\" }", "`because \"Direct marketing by email needs consent\"`"),
            ("rule r { deny c for m cite GDPR }", "`cite \"GDPR Art. 6(1)(a)\"`"),
            ("basis consent Consent, contract\n", "`basis consent \"Consent\"`"),
            ("channel email Email\n", "`channel email \"Email\"`"),
            ("category contact Contact details\n", "`category contact \"Contact details\"`"),
            ("purpose marketing {\n  purpose newsletter News\n}\n", "`purpose marketing \"Direct marketing\"`"),
        ] {
            assert_eq!(first(text).help, Some(format!("write the text in double quotes, e.g. {example}")), "{text}");
        }
    }

    /// `basis consent legitimate_interests` was told to quote the second word, which makes it a
    /// label and silently drops the name: a second lower-case name is told the `,` (or, for a
    /// taxonomy, a declaration of its own), and the label reading beside it.
    #[test]
    fn a_second_name_without_a_comma_is_told_to_separate_the_names() {
        for (text, help) in [
            (
                "basis consent legitimate_interests\n",
                "to declare `legitimate_interests` too, separate the names with `,`: `basis consent, \
                 legitimate_interests`; if `legitimate_interests` is a label, put it in double quotes",
            ),
            (
                "channel email sms\n",
                "to declare `sms` too, separate the names with `,`: `channel email, sms`; if `sms` is a label, put \
                 it in double quotes",
            ),
            (
                "category email phone\n",
                "to declare `phone` too, declare each category on its own: `category email` then `category phone`; \
                 if `phone` is a label, put it in double quotes",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
        }
    }

    /// `not in` written in one word, as other languages write it, is named whatever joins it.
    #[test]
    fn not_in_in_one_word_is_told_it_is_two() {
        for op in ["not_in", "notin", "not-in", "nin", "NOT_IN"] {
            let p = first(&format!("{RULE}audience.regions {op} eea }}"));
            assert_eq!(p.help.as_deref(), Some("did you mean `not in`? (the operator is two words)"), "{op}");
        }
        // A word that only starts like it is not read as `not in`.
        assert!(first(&format!("{RULE}basis nope_in eea }}")).help.is_some_and(|h| !h.contains("`not in`")));
    }

    /// A list after `under` in a condition is several tests joined with `or`, in parentheses
    /// where an `and` or `not` beside it would bind tighter; a declaration's `under` is not one.
    #[test]
    fn a_list_after_under_in_a_condition_becomes_tests_joined_with_or() {
        for (condition, help) in [
            (
                "category under [contact, special] }",
                "`under` takes one name; to test several, join the tests with `or`: \
                 `category under contact or category under special`",
            ),
            (
                "basis == consent and category under [contact,\n  special.health] }",
                "`under` takes one name; to test several, join the tests with `or` in parentheses, as `and` \
                 binds tighter than `or`: `(category under contact or category under special.health)`",
            ),
            (
                "not purpose under [a, b] }",
                "`under` takes one name; to test several, join the tests with `or` in parentheses, as `not` \
                 binds tighter than `or`: `(purpose under a or purpose under b)`",
            ),
            ("category under [contact] }", "`under` takes one name, without brackets: `category under contact`"),
            (
                "category under [contact, \"x y\"] }",
                "`under` takes one name; to test several, join the tests with `or`: \
                 `category under contact or category under special`",
            ),
        ] {
            assert_eq!(first(&format!("{RULE}{condition}")).help.as_deref(), Some(help), "{condition}");
        }
        let p = first("category a under [b, c]\n");
        assert!(p.help.as_deref().is_some_and(|h| h.starts_with("a taxonomy entry reads")), "{p:?}");
    }

    /// A label key with `-` cannot be tested: the help names the key on both sides.
    #[test]
    fn a_dashed_label_key_is_told_to_use_underscores_on_both_sides() {
        assert_eq!(
            first(&format!("{RULE}labels.legal-review-done == yes }}")).help.as_deref(),
            Some(
                "a label key in a condition is written with letters, digits and `_`, e.g. \
                 `labels.legal_review_done`; a policy cannot test the key `legal-review-done`, so rename it to \
                 `legal_review_done` in the campaigns as well"
            )
        );
        // Only a label's key: a `-` after another field is not about campaign labels.
        let p = first(&format!("{RULE}consent.sou-rce is set }}"));
        assert!(p.help.as_deref().is_some_and(|h| !h.contains("label")), "{p:?}");
    }

    /// A `because` after the `cite` is out of place, not one too many, unless the rule has one.
    #[test]
    fn a_because_after_cite_is_told_to_move_up() {
        let moved = "move `because \"…\"` above `cite`: a rule gives its reason first, then its citation";
        for text in [
            "rule r {\n  deny c for m\n  cite \"GDPR\"\n  because \"why\"\n}\n",
            "rule r { deny c for m when a cite \"because\" # because\n because \"why\" }",
        ] {
            assert_eq!(first(text).help.as_deref(), Some(moved), "{text}");
        }
        for text in [
            "rule r { deny c for m because \"a\" cite \"b\" because \"c\" }",
            "rule r { deny c for m because \"a\" because \"b\" }",
        ] {
            assert!(first(text).help.is_some_and(|h| h.ends_with("one too many or out of place")), "{text}");
        }
        // A condition after the reason or the citation is moved up too.
        let condition = "a rule gives its condition, then its reason (`because`) and citation (`cite`)";
        for (text, later) in [
            ("rule r { deny c for m because \"a\" when basis == consent }", "because"),
            ("rule r { deny c for m cite \"a\" unless basis == consent }", "cite"),
        ] {
            let word = if text.contains("when") { "when" } else { "unless" };
            assert_eq!(first(text).help, Some(format!("move `{word} …` above `{later}`: {condition}")), "{text}");
        }
    }

    /// Lines are counted as locations count them: a lone `\r` ends one (old Mac files).
    #[test]
    fn a_help_line_counts_lines_as_locations_do() {
        let p = first("category c\rpurpose m\rrule r {\r  deny c for m\r");
        assert_eq!(
            p.help.as_deref(),
            Some("the `{` of `rule r` on line 3 is never closed: add its `}` where what it holds ends")
        );
    }

    /// Keywords where a value, a name's part or a rule's categories were due, and a negative
    /// duration, are each told what is wrong rather than the grammar's expectations.
    #[test]
    fn keywords_out_of_place_and_negative_durations_get_their_own_help() {
        let base = "basis consent\ncategory contact { category email }\npurpose marketing\n";
        let with = |rest: &str| format!("{base}{rest}\n");
        assert_eq!(
            help(&with("rule r { deny contact for marketing when owner ==\n  because \"x\" }")),
            "`==` has no value of its own here, so it compares with the word `because`: write the value after `==` \
             (a value may be spelt like a keyword, as `[at, is, in]` are country codes)"
        );
        assert_eq!(
            help(&with("rule r { deny for marketing }")),
            "write the categories before `for`, e.g. `deny contact.email for marketing`, or `*` for every category"
        );
        // The keyword after the operator was read as the value, whatever follows it.
        let missing =
            "`!=` has no value of its own here, so it compares with the word `and`: write the value after `!=` \
                       (a value may be spelt like a keyword, as `[at, is, in]` are country codes)";
        assert_eq!(help(&with("rule r { deny contact for marketing when owner != and basis == consent }")), missing);
        let not_in = help(&with("rule r { deny contact for marketing when owner not in\n because \"x\" }"));
        assert!(not_in.starts_with("`not in` has no value of its own here"), "{not_in}");
        // A value spelt like a keyword before a missing `and` is not blamed on the operator.
        let and = help(&with("rule r { deny contact for marketing when owner == all owner == x }"));
        assert!(!and.contains("no value of its own"), "{and}");
        assert_eq!(
            help(&with("rule r { deny contact for marketing when owner in (a, b) }")),
            "a list is written in square brackets: `[a, b]`"
        );
        let p = first(&with("category contact.allow"));
        assert_eq!(p.message, "`allow` is a keyword and cannot be part of a name");
        let under = first(&with("rule r { deny contact for marketing when category under all }"));
        assert_eq!(under.message, "expected a name, found the keyword `all`");
        assert!(under.help.as_deref().is_some_and(|h| h.starts_with("`under` takes a declared category")), "{under:?}");
        assert_eq!(
            help(&with("rule r { deny contact for marketing when retention > -3 days }")),
            "a duration is never negative: write a length such as `3 days`"
        );
    }
}
