//! Syntax errors through `lagom validate --format json`: the one error a mistake gives, where it
//! is, and a help line about the keyword or block in play (the probe's reports of misplaced
//! declarations, stray braces, sets without `=`, invisible characters and unquoted texts).

mod common;

use common::{lagom, stdout, temp_files, Reported, BASE};
use serde_json::Value;

fn errors(policy: &str) -> Vec<Reported> {
    let d = temp_files(&[("p.policy", policy)]);
    let out =
        lagom().current_dir(d.path()).args(["validate", "--policy", "p.policy", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "expected a policy error: {}", stdout(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    json["policy_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| Reported {
            message: e["message"].as_str().unwrap_or_default().to_string(),
            line: e["location"]["line"].as_u64().unwrap_or_default(),
            column: e["location"]["column"].as_u64().unwrap_or_default(),
            help: e["help"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// The only error of a policy.
fn only_error(policy: &str) -> Reported {
    let mut found = errors(policy);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

/// The line of `BASE` plus `n`: the lines of a test's own text.
fn line(n: u64) -> u64 {
    BASE.lines().count() as u64 + n
}

const RULE: &str = "rule r {\n  allow contact.email for marketing\n  because \"ok\"\n}\n";

#[test]
fn a_declaration_inside_a_closed_block_is_one_error_at_its_keyword() {
    let found = only_error(&format!("{BASE}purpose ads {{\n  category newsletter\n}}\n{RULE}"));
    assert_eq!(
        found,
        Reported {
            message: "`category` cannot be declared inside the block of `purpose ads`".into(),
            line: line(2),
            column: 3,
            help: "a `purpose` block holds only `purpose NAME` children: declare `category newsletter` outside it, \
                   before or after the block"
                .into(),
        }
    );
    let found = only_error(&format!("{BASE}category extra {{\n  category a\n  rule q {{ allow * for * }}\n}}\n"));
    assert_eq!(found.message, "`rule` cannot be declared inside the block of `category extra`");
    assert!(found.help.starts_with("a `category` block holds only `category NAME` children"), "{found:?}");
}

#[test]
fn a_brace_that_closes_nothing_names_the_block_that_ended() {
    let closed_early = format!("{BASE}category extra {{\n  category a\n}}\n  category b\n}}\n{RULE}");
    let found = only_error(&closed_early);
    assert_eq!((found.message.as_str(), found.line, found.column), ("this `}` closes nothing", line(5), 1));
    assert_eq!(
        found.help,
        format!(
            "the block of `category extra` ended on line {0}: remove this `}}`, or the one on line {0} if what is \
             between them belongs in the block",
            line(3)
        )
    );
    let found = only_error(&format!("{BASE}{RULE}}}\n"));
    assert_eq!(found.message, "this `}` closes nothing");
    assert_eq!(found.help, format!("the block of `rule r` ended on line {}: remove this `}}`", line(4)));
}

#[test]
fn a_set_without_its_equals_sign_is_reported_where_the_sign_goes() {
    for (set, column) in [("set nordic: [SE, DK]", 11), ("set nordic [SE, DK]", 12)] {
        let found = only_error(&format!("{BASE}{set}\n{RULE}"));
        assert_eq!(
            found,
            Reported {
                message: "expected `=` after the set's name".into(),
                line: line(1),
                column,
                help: "a set reads `set nordic = [a, b, c]`: put `=` after `nordic`".into(),
            },
            "{set}"
        );
    }
}

#[test]
fn an_invisible_character_after_a_dot_is_named() {
    let found = only_error(&format!("{BASE}{}", RULE.replace("contact.email", "contact.\u{200b}email")));
    assert_eq!(found.message, "expected `for`, found a zero-width space (U+200B) after `.`");
    assert_eq!(
        found.help,
        "the file holds a zero-width space (U+200B) here, which shows as nothing and a policy can hold only inside a \
         string; remove it"
    );
    // A filler that Unicode counts as a letter shows as nothing too: the campaign loader's
    // definition (Unicode's default-ignorable code points), not a hand-kept list.
    let found = only_error(&format!("{BASE}{}", RULE.replace("contact.email", "contact.\u{3164}email")));
    assert_eq!(found.message, "expected `for`, found an invisible character (U+3164) after `.`");
}

#[test]
fn the_quoting_help_shows_the_keyword_in_play() {
    let basis = only_error(&BASE.replace("basis consent,", "basis consent Consent,"));
    assert_eq!(basis.help, "write the text in double quotes, e.g. `basis consent \"Consent\"`");
    for because in ["because Newsletters need consent", "because ok\""] {
        let found = only_error(&format!("{BASE}{}", RULE.replace("because \"ok\"", because)));
        assert_eq!(
            found.help, "write the text in double quotes, e.g. `because \"Direct marketing by email needs consent\"`",
            "{because}"
        );
    }
    let cite = only_error(&format!("{BASE}{}", RULE.replace("because \"ok\"", "cite GDPR")));
    assert_eq!(cite.help, "write the text in double quotes, e.g. `cite \"GDPR Art. 6(1)(a)\"`");
}

/// The probe's condition slips: a list after `under`, `not in` in one word, a label key with
/// `-`, and a `because` after the `cite`, each with a help line about that slip.
#[test]
fn condition_slips_and_a_late_because_get_their_own_help() {
    for (from, to, help) in [
        (
            "  because \"ok\"",
            "  when basis == consent and category under [contact, special]\n  because \"ok\"",
            "`under` takes one name; to test several, join the tests with `or` in parentheses, as `and` binds \
             tighter than `or`: `(category under contact or category under special)`",
        ),
        (
            "  because \"ok\"",
            "  when basis not_in [consent]\n  because \"ok\"",
            "did you mean `not in`? (the operator is two words)",
        ),
        (
            "  because \"ok\"",
            "  when owner not matches \"^crm\"\n  because \"ok\"",
            "`not matches` is no operator: put `not` before the test, `not owner matches \"^crm\"`",
        ),
        (
            "  because \"ok\"",
            "  when labels.legal-review is set\n  because \"ok\"",
            "a label key in a condition is written with letters, digits and `_`, e.g. `labels.legal_review`; a \
             policy cannot test the key `legal-review`, so rename it to `legal_review` in the campaigns as well",
        ),
        (
            "  because \"ok\"\n",
            "  cite \"GDPR Art. 6\"\n  because \"ok\"\n",
            "move `because \"…\"` above `cite`: a rule gives its reason first, then its citation",
        ),
    ] {
        let found = only_error(&format!("{BASE}{}", RULE.replace(from, to)));
        assert_eq!(found.help, help, "{to}");
    }
    // A second `because` keeps the help about one too many.
    let found = only_error(&format!("{BASE}{}", RULE.replace("because \"ok\"", "because \"ok\"\n  because \"again\"")));
    assert!(found.help.ends_with("this `because` is one too many or out of place"), "{found:?}");
}
