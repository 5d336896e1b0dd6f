//! pest's parse errors turned into messages a legal author can act on: what was expected in
//! our words, what was found, and a help line for the mistakes people actually make.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use pest::error::{Error, ErrorVariant, InputLocation};

use super::parser::Rule;
use super::{braces, slips};
use crate::diagnostic::{join_list, suggest, Code, Place, Problem};
use crate::source::{FileId, Span};

pub(super) const DECLARATION_KEYWORDS: [&str; 7] = ["policy", "basis", "channel", "set", "category", "purpose", "rule"];

/// What the user sees for a grammar rule; empty for helper rules that would only add noise.
fn describe(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::kw_policy | Rule::header => &["`policy`"],
        Rule::kw_version => &["`version`"],
        Rule::kw_basis | Rule::basis_decl => &["`basis`"],
        Rule::kw_channel | Rule::channel_decl => &["`channel`"],
        Rule::kw_set | Rule::set_decl => &["`set`"],
        Rule::kw_category | Rule::category_decl => &["`category`"],
        Rule::kw_purpose | Rule::purpose_decl => &["`purpose`"],
        Rule::kw_under | Rule::under_clause | Rule::under_test => &["`under`"],
        Rule::kw_rule | Rule::rule_decl => &["`rule`"],
        Rule::kw_allow => &["`allow`"],
        Rule::kw_deny => &["`deny`"],
        Rule::kw_warn => &["`warn`"],
        Rule::kw_retain => &["`retain`"],
        Rule::effect => &["`allow`", "`deny`", "`warn`", "`retain`"],
        Rule::kw_at => &["`at`"],
        Rule::kw_most => &["`most`"],
        Rule::kw_for => &["`for`"],
        Rule::kw_campaign => &["`campaign`"],
        Rule::kw_when | Rule::kw_unless | Rule::condition => &["`when`", "`unless`"],
        Rule::kw_because | Rule::because => &["`because`"],
        Rule::kw_cite | Rule::cite => &["`cite`"],
        Rule::kw_and => &["`and`"],
        Rule::kw_or => &["`or`"],
        Rule::kw_not | Rule::not_expr => &["`not`"],
        Rule::kw_any | Rule::kw_all | Rule::quant => &["`any`", "`all`"],
        Rule::kw_is | Rule::is_test => &["`is`"],
        Rule::kw_empty => &["`empty`"],
        Rule::op | Rule::compare => &["an operator (`==`, `!=`, `<`, `in`, `contains`, …)"],
        Rule::string => &["a quoted string"],
        Rule::duration => &["a duration such as `24 months`"],
        Rule::number => &["a number"],
        Rule::list => &["a list such as `[a, b]`"],
        Rule::word => &["a value"],
        Rule::ident => &["a name (lower-case letters, digits and `_`)"],
        Rule::path | Rule::targets => &["a name such as `contact.email`"],
        Rule::star => &["`*`"],
        Rule::field | Rule::test | Rule::expr | Rule::and_expr | Rule::paren => &["a condition on a field"],
        Rule::category_body | Rule::purpose_body | Rule::open_brace => &["`{`"],
        Rule::close_brace => &["`}`"],
        Rule::close_bracket => &["`]`"],
        Rule::EOI => &["end of file"],
        _ => &[],
    }
}

/// Where pest found an error, in the text it parsed.
pub(super) fn error_offset(err: &Error<Rule>) -> usize {
    match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
}

/// The 1-based line of an offset, counting lines as locations do (a lone `\r` ends one).
pub(super) fn line_number(text: &str, offset: usize) -> usize {
    crate::source::line_ends(text).take_while(|&end| end < offset).count() + 1
}

/// Converts a pest error into a located problem; `err` is of the text from `offset` on.
pub(super) fn from_pest(file: FileId, text: &str, offset: usize, err: &Error<Rule>) -> Problem {
    let pos = offset + error_offset(err);
    if let Some(problem) = bad_string(file, text, pos)
        .or_else(|| string_ran_on(file, text, offset, pos))
        .or_else(|| braces::stray_close(file, text, offset, pos))
    {
        return problem;
    }
    if pos > 0 && text.get(pos - 1..).is_some_and(|t| t.starts_with("<>")) {
        // `<` parsed as less-than and the parse stopped at the `>`: the operator is both.
        return Problem::at(
            Code::Syntax,
            Span { file, start: pos - 1, end: pos + 1 },
            "`<>` is not an operator",
            "not an operator",
        )
        .with_help("write `!=` for `<>`, e.g. `when basis != consent`");
    }
    let mut expected: BTreeSet<&'static str> = BTreeSet::new();
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        expected.extend(positives.iter().flat_map(|r| describe(*r).iter().copied()));
    }
    let mut literals: BTreeSet<String> = BTreeSet::new();
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            // Only punctuation is taken from here: keywords come from the rule names above.
            let token = token.to_string();
            // `#`, `"`, `-` and `.` only show up from comments, strings and name lookaheads.
            // The byte-order mark a file may start with is invisible: never ask for it.
            let comment_or_string = matches!(token.as_str(), "#" | "\"" | "-" | "." | "_" | "\u{feff}");
            if !comment_or_string && token.chars().all(|c| !c.is_alphanumeric() && c != '_') && !token.trim().is_empty()
            {
                literals.insert(format!("`{token}`"));
            }
        }
    }
    let (found, found_len) = found_at(text, pos);
    let span = Span { file, start: pos, end: pos + found_len };
    let mut all: Vec<String> = expected.iter().map(|s| (*s).to_string()).collect();
    all.extend(literals.iter().cloned());
    all.sort();
    all.dedup();
    // "an operator (`==`, `!=`, …)" already names the comparison operators.
    if all.iter().any(|e| e.starts_with("an operator")) {
        all.retain(|e| !matches!(e.as_str(), "`==`" | "`!=`" | "`<`" | "`<=`" | "`>`" | "`>=`"));
    }
    // At the top level every declaration keyword is possible: name them once, briefly.
    let declarations: Vec<String> = DECLARATION_KEYWORDS.iter().map(|k| format!("`{k}`")).collect();
    // Before the first declaration pest names only the optional byte-order mark (left out
    // above): a declaration is what is expected there.
    let before = text.get(..pos).unwrap_or("").trim_start_matches('\u{feff}');
    if all.is_empty() && before.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        all.extend(declarations.iter().cloned());
    }
    if declarations.iter().all(|d| all.contains(d)) {
        all.retain(|e| !declarations.contains(e));
        all.insert(0, "a declaration (`basis`, `category`, `purpose`, `rule`, …)".to_string());
    }
    let expected_text = join_list(&all, "or");
    let message =
        if all.is_empty() { format!("unexpected {found}") } else { format!("expected {expected_text}, found {found}") };
    let label = if all.is_empty() { "not allowed here".to_string() } else { format!("expected {expected_text}") };
    let word = word_at(text, pos);
    if all.iter().any(|e| e.starts_with("a name")) && is_keyword(&word) {
        // Where a name was due but nothing was named: a list of names ended in a `,`, or a
        // scope said `all` or `any` for every name.
        let before = text.get(..pos).unwrap_or("").trim_end();
        let help = match word.as_str() {
            _ if before.ends_with(',') => {
                Some(format!("remove the `,` before `{word}`: the last name of a list has none"))
            }
            "all" | "any"
                if before.ends_with("for")
                    || before.ends_with("allow")
                    || before.ends_with("deny")
                    || before.ends_with("warn")
                    || before.ends_with("retain") =>
            {
                Some("write `*` for every category or every purpose, e.g. `deny special for *`".to_string())
            }
            _ => None,
        };
        if let Some(help) = help {
            return Problem::at(
                Code::Syntax,
                span,
                format!("expected a name, found the keyword `{word}`"),
                "a name was expected here",
            )
            .with_help(help);
        }
        return Problem::at(
            Code::Syntax,
            span,
            format!("`{word}` is a keyword and cannot be used as a name"),
            "reserved word",
        )
        .with_help(format!(
            "choose another name, e.g. `{word}_{}` or a name that says what it is for",
            item_keyword(text, pos).unwrap_or("name")
        ));
    }
    if word == "set" && all.iter().any(|e| e == "`=`") {
        if let Some(problem) = set_without_equals(file, text, pos) {
            return problem;
        }
    }
    let brace_due = all.iter().any(|e| e == "`}`");
    if brace_due && DECLARATION_KEYWORDS.contains(&word.as_str()) {
        if let Some(problem) = braces::misplaced(file, text, offset, pos, &word) {
            return problem;
        }
    }
    let mut problem = Problem::at(Code::Syntax, span, message, label);
    let help = slips::clause_out_of_order(text, offset, pos, &word).or_else(|| help_for(text, pos, &all));
    if let Some(help) = help {
        problem = problem.with_help(help);
    }
    // Where a `}` was due, the `{` that is still open is the place to look at.
    let at_end = pos >= text.trim_end().len();
    if brace_due && (at_end || DECLARATION_KEYWORDS.contains(&word.as_str())) {
        if let Some(open) = braces::unclosed(text, offset, pos, '{', '}') {
            let line = line_number(text, open);
            problem = problem
                .with_related(Place::Span(Span { file, start: open, end: open + 1 }), "this `{` is never closed")
                .with_help(format!(
                    "the `{{` of `{}` on line {line} is never closed: add its `}}` where what it holds ends",
                    braces::block_name(text, open)
                ));
        }
    }
    if all.iter().any(|e| e == "`)`") {
        if let Some(open) = braces::unclosed(text, offset, pos, '(', ')') {
            problem = problem
                .with_related(Place::Span(Span { file, start: open, end: open + 1 }), "this `(` is never closed")
                .with_help("add the `)` that closes this `(` where the condition inside it ends");
        }
    }
    problem
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

/// A string that starts at `pos` but does not parse: an unknown escape or a missing closing
/// quote, pointed at where it goes wrong rather than at the opening quote.
fn bad_string(file: FileId, text: &str, pos: usize) -> Option<Problem> {
    let rest = text.get(pos..)?;
    if !rest.starts_with('"') {
        return None;
    }
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                match chars.next() {
                    Some((_, '"' | '\\' | 'n' | 't')) => {}
                    Some((j, other)) => {
                        let span = Span { file, start: pos + i, end: pos + j + other.len_utf8() };
                        return Some(
                        Problem::at(Code::Syntax, span, format!("unknown escape `\\{other}` in a string"), "not an escape")
                            .with_help("strings know `\\\"`, `\\\\`, `\\n` and `\\t`; write other characters as they are (UTF-8)"),
                    );
                    }
                    None => break,
                }
            }
            _ => {}
        }
    }
    let span = Span { file, start: pos, end: pos + 1 };
    let problem = Problem::at(Code::Syntax, span, "this string is never closed", "string starts here");
    // `"text”`: a word processor's closing quote, which the grammar does not read as one.
    let first_line = rest.get(1..).unwrap_or("").split(['\n', '\r']).next().unwrap_or("");
    if let Some(curly) = first_line.chars().find(|c| is_typographic_quote(*c)) {
        return Some(problem.with_help(format!(
            "the string ends with `{curly}` (U+{:04X}), a typographic quotation mark: write a straight `\"` there",
            u32::from(curly)
        )));
    }
    Some(problem.with_help("add the closing `\"`; a string may span lines"))
}

/// An error just after a string that spans lines and whose last line reads as policy text
/// (`  cite `): the string's closing quote is missing, and it ran on to the next string's
/// opening quote, which closed it. The error is the missing quote, not what follows it.
fn string_ran_on(file: FileId, text: &str, offset: usize, pos: usize) -> Option<Problem> {
    let chunk = text.get(offset..)?;
    let mut opening = None;
    super::code::scan_code(chunk, |i, c| {
        if offset + i >= pos {
            return ControlFlow::Break(());
        }
        if c == '"' {
            opening = Some(offset + i);
        }
        ControlFlow::Continue(())
    });
    let open = opening?;
    let close = super::code::string_end(text.as_bytes(), open + 1);
    let between = text.get(close..pos)?;
    let content = text.get(open + 1..close.checked_sub(1)?)?;
    let last_line = content.rsplit(['\n', '\r']).next()?;
    let first_word = last_line.split_whitespace().next()?;
    if close > pos || !between.chars().all(|c| c == ' ' || c == '\t') || last_line.len() == content.len() {
        return None;
    }
    if !is_keyword(first_word) {
        return None;
    }
    let line_end = open + 1 + content.find(['\n', '\r']).unwrap_or(content.len());
    let line = line_number(text, open);
    let help = match text.get(open + 1..line_end).and_then(|l| l.chars().find(|c| is_typographic_quote(*c))) {
        Some(curly) => format!(
            "the string on line {line} ends with `{curly}` (U+{:04X}), a typographic quotation mark: write a \
             straight `\"` there",
            u32::from(curly)
        ),
        None => format!(
            "add the closing `\"` at the end of line {line}; a string may span lines, so it ran on to the next `\"`"
        ),
    };
    Some(
        Problem::at(
            Code::Syntax,
            Span { file, start: open, end: line_end },
            "this string is not closed on its line",
            "the closing `\"` is missing",
        )
        .with_related(
            Place::Span(Span { file, start: close - 1, end: close }),
            format!("so this `\"` closes the string, and the `{first_word}` before it is read as text"),
        )
        .with_help(help),
    )
}

/// Closing quotation marks of word processors, which the grammar does not read as `"`.
fn is_typographic_quote(c: char) -> bool {
    matches!(c, '\u{201c}' | '\u{201d}' | '\u{201f}' | '\u{2033}')
}

fn is_keyword(word: &str) -> bool {
    super::KEYWORDS.contains(&word)
}

/// The invisible character at `pos`, or just after a `.` there, and its offset: a name's part
/// after a dot cannot start with one, so pest ends the name and stops at the dot.
fn invisible_at(text: &str, pos: usize) -> Option<(usize, char)> {
    let at = if text.get(pos..)?.starts_with('.') { pos + 1 } else { pos };
    text.get(at..)?.chars().next().filter(|c| invisible(*c)).map(|c| (at, c))
}

/// The token at `pos` as shown in a message, and its length in bytes.
fn found_at(text: &str, pos: usize) -> (String, usize) {
    if let Some((at, c)) = invisible_at(text, pos) {
        // Shown by its code point, as in backticks it would show as nothing.
        let name = format!("an invisible character (U+{:04X})", u32::from(c));
        return (if at > pos { format!("{name} after `.`") } else { name }, at - pos + c.len_utf8());
    }
    let rest = text.get(pos..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if first.is_alphanumeric() || first == '_' {
        let word: String =
            rest.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-')).take(40).collect();
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

/// A help line for the mistakes legal authors actually make.
fn help_for(text: &str, pos: usize, expected: &[String]) -> Option<String> {
    // An invisible character explains the error better than what the grammar expected there.
    if let Some((_, c)) = invisible_at(text, pos) {
        return Some(format!(
            "the file holds an invisible character (U+{:04X}) here, which a policy can hold only inside \
             a string; remove it",
            u32::from(c)
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
        && !super::KEYWORDS.contains(&previous);
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
    Some(format!("{shape}; compare with the shipped pack in `policies/`"))
}

/// A duration whose unit is almost right (`24 Months`, `24 months.`, a no-break space between
/// number and unit, `24 Monate`): said about the unit, not about the number before it.
fn duration_slip(text: &str, pos: usize) -> Option<String> {
    // What may stand between number and unit: white space, and the no-break spaces that word
    // processors put there, which are named.
    const GAP: [char; 4] = [' ', '\t', '\u{a0}', '\u{202f}'];
    // The number is where the error is, or just before it (`retention > 24 Months`).
    let before = text.get(..pos)?.trim_end_matches(GAP);
    let digits_before = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let number_start = if text.get(pos..)?.starts_with(|c: char| c.is_ascii_digit()) {
        pos
    } else if digits_before > 0 {
        before.len() - digits_before
    } else {
        return None;
    };
    let after_number = text.get(number_start..)?.trim_start_matches(|c: char| c.is_ascii_digit());
    let unit_text = after_number.trim_start_matches(GAP);
    let gap = &after_number[..after_number.len() - unit_text.len()];
    let unit: String = unit_text.chars().take_while(|c| c.is_alphabetic()).collect();
    let number: String = text.get(number_start..)?.chars().take_while(char::is_ascii_digit).collect();
    let written = |u: &str| format!("{number} {u}{}", if number == "1" { "" } else { "s" });
    if gap.is_empty() {
        // `1.5 years`: a fraction followed by a unit (an age such as `18.5` has none).
        if let Some(fraction) = after_number.strip_prefix(['.', ',']) {
            let unit_after = fraction.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(GAP);
            let word: String = unit_after.chars().take_while(|c| c.is_alphabetic()).collect();
            if super::unit_meant(&word).is_some() {
                return Some(super::WHOLE_DURATION.to_string());
            }
            // `audience.min_age >= 18.5`.
            let digits: String = fraction.chars().take_while(char::is_ascii_digit).collect();
            return (!digits.is_empty() && word.is_empty())
                .then(|| format!("a number in a policy is whole: write `{number}`, not `{number}.{digits}`"));
        }
        // `2yrs`, `24months`.
        return super::unit_meant(&unit)
            .map(|u| format!("put a space between the number and the unit: `{}`", written(u)));
    }
    if unit.is_empty() {
        return None;
    }
    let lower = unit.to_lowercase();
    let is_unit = super::DURATION_UNITS.contains(&lower.as_str());
    if let Some(c) = gap.chars().find(|c| !matches!(c, ' ' | '\t')) {
        return Some(format!(
            "between the number and `{unit}` is a no-break space (U+{:04X}); write an ordinary space",
            u32::from(c)
        ));
    }
    if is_unit && lower != unit {
        return Some(format!("a duration's unit is lower-case: `{number} {lower}`"));
    }
    if is_unit {
        return unit_text[unit.len()..]
            .starts_with('.')
            .then(|| format!("remove the `.` after `{unit}`: a duration ends with its unit"));
    }
    if let Some(u) = super::unit_meant(&unit) {
        return Some(format!("did you mean `{}`?", written(u)));
    }
    Some(format!("`{unit}` is not a unit: a duration's unit is `days`, `weeks`, `months` or `years`"))
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

/// The keyword of the declaration the error is in: the first word of the nearest line at or
/// before `pos` that starts with one (a guess, for the help line only).
fn item_keyword(text: &str, pos: usize) -> Option<&'static str> {
    let before = text.get(..pos.min(text.len()))?;
    before.split(['\n', '\r']).rev().find_map(|line| {
        let first = line.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next()?;
        DECLARATION_KEYWORDS.iter().copied().find(|k| *k == first)
    })
}

/// A character that looks like one the grammar knows.
struct LookAlike {
    /// What it is, in words.
    name: &'static str,
    /// What to write instead.
    instead: &'static str,
}

/// Typographic quotes and spaces, which text copied from a document or a chat brings along.
fn look_alike(c: char) -> Option<LookAlike> {
    let (name, instead) = match c {
        c if is_typographic_quote(c) || matches!(c, '\u{201e}' | '\u{00ab}' | '\u{00bb}' | '\u{ff02}') => {
            ("a typographic quotation mark", "the straight double quote `\"`")
        }
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\'' | '`' => {
            ("a single quotation mark", "the straight double quote `\"` (strings take double quotes)")
        }
        '\u{00a0}' | '\u{202f}' => ("a no-break space", "an ordinary space"),
        '\u{2000}'..='\u{200a}' | '\u{205f}' | '\u{3000}' => ("a typographic space", "an ordinary space"),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => ("a typographic dash", "`_` in a name, or `-` before a number"),
        '\u{ff01}'..='\u{ff5e}' => ("a full-width character", "its ordinary (half-width) form"),
        _ => return None,
    };
    Some(LookAlike { name, instead })
}

/// A character that shows as nothing (or as something else) in an editor: control characters
/// other than layout, and byte-order marks and other format characters.
fn invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{ad}' | '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}')
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;

    fn help(text: &str) -> String {
        let problems = crate::syntax::parse_file(FileId(0), text).unwrap_err();
        problems.first().and_then(|p| p.help.clone()).unwrap_or_default()
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

    #[test]
    fn a_string_closed_by_a_typographic_quote_before_another_string_is_told_so() {
        let p = first("rule r {\n  allow c for m\n  because \"hello\u{201d}\n  cite \"Art. 6\"\n}\n");
        assert_eq!(p.message, "this string is not closed on its line");
        assert!(p.help.as_deref().is_some_and(|h| h.contains("ends with `\u{201d}` (U+201D)")), "{p:?}");
    }

    #[test]
    fn a_string_closed_by_a_typographic_quote_is_told_so() {
        let p = first("rule r { allow c for m because \"x\u{201d} }\n");
        assert_eq!(p.message, "this string is never closed");
        assert_eq!(
            p.help.as_deref(),
            Some("the string ends with `\u{201d}` (U+201D), a typographic quotation mark: write a straight `\"` there")
        );
    }

    fn first(text: &str) -> crate::diagnostic::Problem {
        crate::syntax::parse_file(FileId(0), text).unwrap_err().remove(0)
    }

    const RULE: &str = "rule r { deny c for m when ";

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

    #[test]
    fn is_null_is_told_to_say_not_set() {
        let p = first(&format!("{RULE}consent.source is null }}"));
        assert_eq!(p.message, "expected `empty`, `not` or `set`, found `null`");
        assert!(p.help.as_deref().is_some_and(|h| h.contains("`is not set`")), "{p:?}");
    }

    #[test]
    fn look_alike_characters_are_named() {
        let p = first("rule r { deny c for m because \u{201c}why\u{201d} }");
        assert_eq!(p.message, "expected a quoted string, found a typographic quotation mark (U+201C)");
        assert!(p.help.as_deref().is_some_and(|h| h.starts_with("write the straight double quote")), "{p:?}");
        let p = first("rule r {\u{a0}deny c for m }");
        assert!(p.message.ends_with("found a no-break space (U+00A0)"), "{p:?}");
        assert_eq!(p.underlined("rule r {\u{a0}deny c for m }"), Some("\u{a0}"), "the whole character");
        let p = first("rule r { deny c for m because 'why' }");
        assert!(p.message.ends_with("found a single quotation mark (U+0027)"), "{p:?}");
    }

    #[test]
    fn a_short_keyword_one_edit_away_is_suggested() {
        assert_eq!(first("rule r { deny c fr m }").help.as_deref(), Some("did you mean `for`?"));
    }

    #[test]
    fn an_unclosed_string_that_ran_on_is_blamed_where_its_quote_is_missing() {
        let text = "rule r {\n  deny c for m\n  because \"no closing quote\n  cite \"GDPR\"\n}\n";
        let p = first(text);
        assert_eq!(p.message, "this string is not closed on its line");
        assert_eq!(p.underlined(text), Some("\"no closing quote"));
        assert_eq!(
            p.help.as_deref(),
            Some("add the closing `\"` at the end of line 3; a string may span lines, so it ran on to the next `\"`")
        );
        let related = p.related.first().expect("the quote that closed it is shown");
        assert!(related.label.contains("the `cite` before it is read as text"), "{related:?}");
        // A string that spans lines on purpose, followed by a real mistake, is not blamed.
        let p = first("rule r { deny c for m because \"two\nlines\" cote \"x\" }");
        assert_eq!(p.message, "expected `cite` or `}`, found `cote`");
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

    #[test]
    fn an_invisible_character_after_a_dot_is_named() {
        let text = "category c\npurpose m\nrule r { allow contact.\u{200b}email for m }\n";
        let p = first(text);
        assert_eq!(p.message, "expected `for`, found an invisible character (U+200B) after `.`");
        assert_eq!(p.underlined(text), Some(".\u{200b}"));
        assert!(p.help.as_deref().is_some_and(|h| h.starts_with("the file holds an invisible character (U+200B)")));
    }

    /// A duration written as people write it outside a policy gets the spelling meant.
    #[test]
    fn an_almost_duration_gets_the_duration_meant() {
        for (text, help) in [
            ("rule r { retain c for m at most 2yrs }", "put a space between the number and the unit: `2 years`"),
            ("rule r { retain c for m at most 1mo }", "put a space between the number and the unit: `1 month`"),
            ("rule r { retain c for m at most 2 Yrs }", "did you mean `2 years`?"),
            ("rule r { retain c for m at most 1.5 years }", crate::syntax::WHOLE_DURATION),
            (
                "rule r { deny c for m when audience.min_age >= 18.5 }",
                "a number in a policy is whole: write `18`, not `18.5`",
            ),
        ] {
            assert_eq!(first(text).help.as_deref(), Some(help), "{text}");
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
}
