//! Help for the slips authors make in conditions and rule clauses, carried over from other
//! languages or from campaign files: `not_in`, `under [a, b]`, `labels.legal-review`, a
//! clause written after one that follows it (`because` after `cite`). Each recognises its situation from the text around the
//! error, and says what to write instead.

use std::ops::ControlFlow;

use super::braces;
use super::errors::word_at;

/// A clause written after one that follows it (`because` after `cite`, `when` after
/// `because`), in a rule that has not had that clause yet: out of place, not one too many, and
/// moving it is the fix. The help says where it goes.
pub(super) fn clause_out_of_order(text: &str, offset: usize, pos: usize, word: &str) -> Option<String> {
    // The clauses in the order a rule gives them; `when` and `unless` are one place.
    const ORDER: [&[&str]; 3] = [&["when", "unless"], &["because"], &["cite"]];
    let place = ORDER.iter().position(|p| p.contains(&word))?;
    let open = braces::unclosed(text, offset, pos, '{', '}')?;
    // The rule's code without the texts of its strings and comments, which may hold the words.
    let mut code = String::new();
    super::code::scan_code(text.get(open..pos).unwrap_or(""), |_, c| {
        code.push(c);
        ControlFlow::Continue(())
    });
    let words: Vec<&str> = code.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect();
    if ORDER.get(place)?.iter().any(|w| words.contains(w)) {
        return None;
    }
    let later = ORDER.iter().skip(place + 1).flat_map(|p| p.iter()).find(|w| words.contains(w))?;
    let what = match word {
        "because" => "a rule gives its reason first, then its citation",
        _ => "a rule gives its condition, then its reason (`because`) and citation (`cite`)",
    };
    let clause = if word == "because" { "because \"…\"".to_string() } else { format!("{word} …") };
    Some(format!("move `{clause}` above `{later}`: {what}"))
}

/// `not_in`, `notin`, `not-in` and `nin`: `not in` as other languages write it, in one word.
pub(super) fn not_in_as_one_word(rest: &str) -> Option<String> {
    let token = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect::<String>();
    let token = token.to_lowercase();
    let joined = token.strip_prefix("not").is_some_and(|t| t.trim_start_matches(['_', '-']) == "in");
    (joined || token == "nin").then(|| "did you mean `not in`? (the operator is two words)".to_string())
}

/// `labels.legal-review`: a field's parts hold letters, digits and `_`, so the field ends at the
/// `-`. A campaign's label keys may hold any text (README, "Label keys"), so a key with `-`
/// cannot be tested at all: it must be renamed on both sides.
pub(super) fn dashed_label(text: &str, pos: usize) -> Option<String> {
    let after_dash = text.get(pos..)?.strip_prefix('-')?;
    if !after_dash.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let before = text.get(..pos)?;
    let field =
        before.get(before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.')).len()..)?;
    let head = field.strip_prefix("labels.").filter(|k| !k.is_empty() && !k.contains('.'))?;
    let tail: String = after_dash.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
    let key = format!("{head}-{tail}");
    let renamed = key.replace('-', "_");
    Some(format!(
        "a label key in a condition is written with letters, digits and `_`, e.g. `labels.{renamed}`; a policy \
         cannot test the key `{key}`, so rename it to `{renamed}` in the campaigns as well"
    ))
}

/// `category under [contact, special]` in a condition: `under` tests one taxonomy entry, and a
/// list there means several tests joined with `or`. A declaration's `under` lists its parents
/// without brackets, a different fix, so only an `under` after a condition's field is taken.
pub(super) fn under_list(text: &str, pos: usize) -> Option<String> {
    let list = text.get(pos..)?.strip_prefix('[')?;
    let before_under = text.get(..pos)?.trim_end().strip_suffix("under")?;
    if !before_under.ends_with(char::is_whitespace) {
        return None;
    }
    let before_under = before_under.trim_end();
    let field_start =
        before_under.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.')).len();
    let field = before_under.get(field_start..).filter(|f| !f.is_empty())?;
    let before_field = before_under.get(..field_start)?.trim_end();
    let previous = before_field.rsplit(char::is_whitespace).next().unwrap_or("");
    if !before_field.ends_with('(') && !matches!(previous, "when" | "unless" | "and" | "or" | "not") {
        return None;
    }
    let names = listed_names(list);
    let after_list = list.split_once(']').map_or("", |(_, after)| after.trim_start());
    if let Some([name]) = names.as_deref() {
        return Some(format!("`under` takes one name, without brackets: `{field} under {name}`"));
    }
    let tests = match names {
        Some(names) => names.iter().map(|n| format!("{field} under {n}")).collect::<Vec<_>>().join(" or "),
        None => "category under contact or category under special".to_string(),
    };
    // `a and category under [b, c]` is `a and (…)`: without parentheses the `or` splits the `and`.
    let tighter = if previous == "not" {
        Some("not")
    } else if previous == "and" || word_at(after_list, 0) == "and" {
        Some("and")
    } else {
        None
    };
    Some(match tighter {
        Some(op) => format!(
            "`under` takes one name; to test several, join the tests with `or` in parentheses, as `{op}` binds \
             tighter than `or`: `({tests})`"
        ),
        None => format!("`under` takes one name; to test several, join the tests with `or`: `{tests}`"),
    })
}

/// The names of a list whose `[` is just before `list`, if it is closed and holds only names: a
/// list of anything else is not worth quoting back in a help line.
pub(super) fn listed_names(list: &str) -> Option<Vec<&str>> {
    let (inner, _) = list.split_once(']')?;
    let names: Vec<&str> = inner.split(',').map(str::trim).collect();
    let is_name = |n: &&str| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.'))
    };
    names.iter().all(is_name).then_some(names)
}
