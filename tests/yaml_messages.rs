//! Plain YAML slips in a campaign file through `lagom check`: each says in a marketer's words
//! what is wrong and how to fix it, at the slip rather than where the parser gave up (the
//! probe's colon in a value, missing spaces, `=`, unclosed quotes and brackets, keys out of
//! line, a data use without its `- `, and files saved as UTF-16 or UTF-32).

mod common;

use common::{lagom, stdout, Reported};
use serde_json::Value;

const CAMPAIGN: &str = include_str!("../examples/campaigns/01-consent-newsletter.yaml");

/// The one error `lagom check --format json` reports for a file of `bytes`.
fn only_error(bytes: &[u8]) -> Reported {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), bytes).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--format", "json", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let errors = json["campaigns"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    Reported {
        message: e["message"].as_str().unwrap().to_string(),
        line: e["location"]["line"].as_u64().unwrap(),
        column: e["location"]["column"].as_u64().unwrap(),
        help: e["help"].as_str().unwrap_or_default().to_string(),
    }
}

/// The error of the example campaign with `from` replaced by `to`.
fn slip(from: &str, to: &str) -> Reported {
    assert!(CAMPAIGN.contains(from), "{from}");
    only_error(CAMPAIGN.replacen(from, to, 1).as_bytes())
}

/// The 1-based line of the example campaign that holds `needle`.
fn line(needle: &str) -> u64 {
    CAMPAIGN[..CAMPAIGN.find(needle).unwrap()].matches('\n').count() as u64 + 1
}

#[test]
fn a_colon_in_a_value_asks_for_quotes_at_the_value() {
    let found = slip("name: Nordhem monthly newsletter, May 2026", "name: Sale: 50% off");
    assert_eq!(found.message, "invalid YAML: the value of `name` contains `: `");
    assert_eq!((found.line, found.column), (line("name: Nordhem"), 7));
    assert!(found.help.ends_with("put the value in quotes: `name: \"Sale: 50% off\"`"), "{found:?}");
}

#[test]
fn a_missing_space_after_a_colon_is_pointed_at_the_colon() {
    let found = slip("basis: consent\nchannels", "basis:consent\nchannels");
    assert_eq!(found.message, "invalid YAML: a space is missing after the colon in `basis:consent`");
    assert_eq!((found.line, found.column), (line("basis: consent\nchannels"), 6));
    assert_eq!(found.help, "a key and its value are joined with `: ` (a colon and a space): `basis: consent`");
}

#[test]
fn an_equals_sign_between_key_and_value_asks_for_a_colon() {
    let found = slip("basis: consent\nchannels", "basis = consent\nchannels");
    assert_eq!(found.message, "invalid YAML: `basis = consent` joins a key and a value with `=`");
    assert_eq!((found.line, found.column), (line("basis: consent\nchannels"), 6));
    assert_eq!(found.help, "a key and its value are joined with `: ` (a colon and a space), not `=`: `basis: consent`");
}

#[test]
fn a_dash_without_a_space_asks_for_the_space() {
    let found = slip("  - category: identity.name", "  -category: identity.name");
    assert_eq!(found.message, "invalid YAML: `-category: identity.name` needs a space after its `-`");
    assert_eq!((found.line, found.column), (line("  - category: identity.name"), 3));
    assert_eq!(found.help, "each list item starts with `- ` (a dash and a space): `- category: identity.name`");
}

#[test]
fn an_unclosed_quote_is_pointed_at_its_opening_quote_with_quote_help() {
    // At the end of the file, and with a later quote (`"NO"`) that the parser takes as its end.
    for text in
        ["campaign: c\nname: \"Nordhem monthly\n".to_string(), CAMPAIGN.replacen("name: Nordhem", "name: \"Nordhem", 1)]
    {
        let found = only_error(text.as_bytes());
        assert_eq!(found.message, "invalid YAML: unclosed quote");
        let name_line = text[..text.find("name:").unwrap()].matches('\n').count() as u64 + 1;
        assert_eq!((found.line, found.column), (name_line, 7), "{text}");
        assert!(
            found.help.starts_with("add the closing `\"` at the end of the value: `name: \"Nordhem monthly"),
            "{found:?}"
        );
    }
}

#[test]
fn an_unclosed_bracket_is_pointed_at_the_bracket_and_asks_for_its_closing_one() {
    let found = slip("channels: [email]", "channels: [email");
    assert_eq!(found.message, "invalid YAML: the `[` that starts this list is never closed");
    assert_eq!((found.line, found.column), (line("channels:"), 11));
    assert_eq!(found.help, "add `]` at the end of the list: `channels: [email]`");
}

#[test]
fn a_key_moved_out_from_under_its_mapping_is_pointed_at_itself() {
    let found = slip("  contact: privacy@nordhem.example", "contact: privacy@nordhem.example");
    assert_eq!(found.message, "invalid YAML: `contact` is indented less than the lines above and below it");
    assert_eq!((found.line, found.column), (line("  contact: privacy"), 1));
    assert!(found.help.starts_with("the keys of one mapping line up; indent `contact:` by 2 spaces"), "{found:?}");
}

#[test]
fn a_data_use_without_its_dash_hints_at_the_dash() {
    let found = slip("  - category: identity.name", "    category: identity.name");
    assert_eq!(found.message, "invalid YAML: `category` appears twice in one data use");
    assert_eq!((found.line, found.column), (line("  - category: identity.name"), 5));
    assert!(found.help.starts_with("each data use starts with `- `"), "{found:?}");
    assert!(found.help.contains("write `- category: identity.name`"), "{found:?}");
}

fn utf16(text: &str, little_endian: bool, byte_order_mark: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if byte_order_mark {
        bytes.extend(if little_endian { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

/// UTF-32 was "not UTF-8 text" with a snippet of `?`s and `�`s, where UTF-16 was named.
#[test]
fn a_file_saved_as_utf16_or_utf32_asks_to_save_it_as_utf8_with_or_without_a_byte_order_mark() {
    type Encode = fn(&str, bool, bool) -> Vec<u8>;
    for (encoding, encode) in [("UTF-16", utf16 as Encode), ("UTF-32", utf32)] {
        for (little_endian, byte_order_mark) in [(true, false), (false, false), (true, true), (false, true)] {
            let found = only_error(&encode(CAMPAIGN, little_endian, byte_order_mark));
            let case = format!("{encoding}, little endian {little_endian}, byte-order mark {byte_order_mark}");
            assert_eq!(found.message, format!("`c.yaml` looks like {encoding} text, not UTF-8"), "{case}");
            assert_eq!((found.line, found.column), (1, 1), "{case}");
            assert!(found.help.starts_with("save the file as UTF-8"), "{case}: {found:?}");
        }
    }
}

#[test]
fn a_file_saved_as_utf16_or_utf32_is_named_without_a_garbled_snippet() {
    type Encode = fn(&str, bool, bool) -> Vec<u8>;
    for (encoding, encode) in [("UTF-16", utf16 as Encode), ("UTF-32", utf32)] {
        for byte_order_mark in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("c.yaml"), encode(CAMPAIGN, true, byte_order_mark)).unwrap();
            let out = lagom().current_dir(dir.path()).args(["check", "c.yaml"]).output().unwrap();
            let shown = stdout(&out);
            assert!(shown.contains(&format!("`c.yaml` looks like {encoding} text, not UTF-8")), "{shown}");
            assert!(!shown.contains("?a?m?") && !shown.contains('\u{FFFD}'), "{shown}");
        }
    }
}

/// Standard input is named in words, once: not `-: standard input looks like …`.
#[test]
fn utf16_on_standard_input_is_named_once() {
    let out = lagom().args(["check", "-"]).write_stdin(utf16(CAMPAIGN, true, false)).output().unwrap();
    let shown = stdout(&out);
    assert!(shown.contains("  × standard input looks like UTF-16 text, not UTF-8\n"), "{shown}");
    assert!(!shown.contains("-: standard input"), "{shown}");
}

/// A campaign of five lines without labels.
const SHORT: &str = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";

/// A "billion laughs" (aliases that repeat aliases) is told how far the file expands, not the
/// loader's counter (`total_replayed_events=10001 > 10000`), with what to do.
#[test]
fn aliases_that_expand_too_far_are_told_in_plain_words() {
    let mut laughs = "labels:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n".to_string();
    for (n, prev) in ["b", "c", "d", "e", "f"].iter().zip(["a", "b", "c", "d", "e"]) {
        laughs.push_str(&format!("  {n}: &{n} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
    }
    let e = only_error(format!("{SHORT}{laughs}").as_bytes());
    assert_eq!(e.message, "the file expands its aliases to more than 10,000 values");
    assert!(e.help.contains("write the values out"), "{}", e.help);
}

/// An alias inside its own anchor's value is named, at the alias.
#[test]
fn an_anchor_that_refers_to_itself_is_named() {
    let e = only_error(format!("{SHORT}labels: &a {{x: *a}}\n").as_bytes());
    assert_eq!(e.message, "invalid YAML: an anchor refers to itself (`*a` inside `&a`)");
    assert_eq!((e.line, e.column), (6, 16));
    assert!(e.help.contains("write the value out"), "{}", e.help);
}

/// A key longer than YAML's 1,024 characters is told so, at the key, in a block mapping, at
/// the top and in braces; one of 1,024 is read.
#[test]
fn a_key_longer_than_yaml_allows_is_told_the_limit() {
    let long = "k".repeat(200_000);
    let last = 5;
    for (text, at) in [
        (format!("labels:\n  {long}: v\n"), (last + 2, 3)),
        (format!("{long}: v\n"), (last + 1, 1)),
        (format!("labels: {{{long}: v}}\n"), (last + 1, 10)),
    ] {
        let e = only_error(format!("{SHORT}{text}").as_bytes());
        assert_eq!(
            e.message,
            "invalid YAML: a key may be at most 1,024 characters (YAML's limit); this one has 200,000"
        );
        assert_eq!((e.line, e.column), at);
        assert!(e.help.contains("shorten the key"), "{}", e.help);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), format!("{SHORT}labels:\n  {}: v\n", "k".repeat(1024))).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--format", "json", "c.yaml"]).output().unwrap();
    assert!(!stdout(&out).contains("invalid YAML"), "{}", stdout(&out));
}

/// A policy file saved as UTF-16 is named so, as a campaign file is, not "not UTF-8 text".
#[test]
fn a_policy_saved_as_utf16_is_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "policy \"p\" version \"1\"\nbasis consent\ncategory contact { category email }\n";
    std::fs::write(dir.path().join("p.policy"), utf16(policy, true, true)).unwrap();
    let out = lagom()
        .current_dir(dir.path())
        .args(["validate", "--format", "json", "--policy", "p.policy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let error = &json["policy_errors"][0];
    assert_eq!(error["message"], "`p.policy` looks like UTF-16 text, not UTF-8", "{json}");
    assert!(error["help"].as_str().unwrap().contains("save the file as UTF-8"), "{json}");
}

fn utf32(text: &str, little_endian: bool, byte_order_mark: bool) -> Vec<u8> {
    let mark = byte_order_mark.then_some('\u{feff}');
    let code = |c: char| if little_endian { u32::from(c).to_le_bytes() } else { u32::from(c).to_be_bytes() };
    mark.into_iter().chain(text.chars()).flat_map(code).collect()
}

/// A policy file saved as UTF-32 (`iconv -t utf-32`, with its byte-order mark) is named so, as
/// one saved as UTF-16 is.
#[test]
fn a_policy_saved_as_utf32_is_named_so() {
    let dir = tempfile::tempdir().unwrap();
    let policy = "policy \"p\" version \"1\"\nbasis consent\ncategory contact { category email }\n";
    for little_endian in [true, false] {
        std::fs::write(dir.path().join("p.policy"), utf32(policy, little_endian, true)).unwrap();
        let args = ["validate", "--format", "json", "--policy", "p.policy"];
        let out = lagom().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(json["policy_errors"][0]["message"], "`p.policy` looks like UTF-32 text, not UTF-8", "{json}");
    }
}

/// `min_age: >= 13` was "while scanning a block scalar, did not find expected comment or line
/// break" with "check the indentation": `>` begins a block of text in YAML. The help quotes
/// the value, after which the reader offers the age itself.
#[test]
fn a_value_starting_with_a_block_indicator_is_told_to_be_quoted() {
    let found = slip("min_age: 18", "min_age: >= 18");
    assert_eq!(found.message, "invalid YAML: `>` at the start of a value begins a block of text");
    assert_eq!((found.line, found.column), (line("min_age"), 12));
    assert_eq!(found.help, "put a value that starts with `>` in quotes: `\">= 18\"`");
    let quoted = slip("min_age: 18", "min_age: \">= 18\"");
    assert_eq!(quoted.help, "write `min_age: 18`, the lowest age written: the youngest person the campaign may reach");
}

/// The help of an error at a tab.
const TAB_HELP: &str = "YAML indents with spaces only; replace the tab with spaces";

/// The error of a campaign of `text` that holds a tab, as JSON tells it, and the label of its
/// place in the human report (the one the report shows at `line:column`).
fn tab_error(text: &str) -> (Reported, String) {
    let found = only_error(text.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("c.yaml"), text).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "c.yaml"]).output().unwrap();
    let human = stdout(&out);
    assert!(human.contains(&format!("[c.yaml:{}:{}]", found.line, found.column)), "{human}");
    let labels: Vec<&str> = human.lines().filter_map(|l| l.split_once("╰── ")).map(|(_, label)| label).collect();
    assert_eq!(labels.len(), 1, "{human}");
    (found, labels[0].to_string())
}

/// A tab after spaces in a line's indentation passes for indentation there, and the parser
/// gives up at a later line or after the tab, in words that do not name it; a tab indenting a
/// later line of a plain value is reported by the parser at the value's start: the error is at
/// the tab, in the words of a tab at the start of a line.
#[test]
fn a_tab_in_the_indentation_is_reported_at_the_tab() {
    const HEAD: &str = "campaign: x\npurpose: marketing.newsletter\nbasis: consent\n";
    const BLOCK: &str = "invalid YAML: tabs disallowed within this context (block indentation)";
    const PLAIN: &str = "invalid YAML: while scanning a plain scalar, found a tab";
    for (body, line, column, message) in [
        // The first key of a mapping, the parser stopping at the next one.
        ("data: []\naudience:\n  \tregions: [SE]\n  min_age: 18\n", 6, 3, BLOCK),
        // A list item, the parser stopping at the next key of the item.
        ("data:\n  \t- category: contact.email\n    retention: 24 months\n", 5, 3, BLOCK),
        // A key after the first of its mapping, the parser stopping after the tab.
        ("data: []\naudience:\n  regions: [SE]\n  \tmin_age: 18\n", 7, 3, BLOCK),
        // A tab then spaces, the parser stopping after the spaces.
        ("data: []\naudience:\n  regions: [SE]\n\t  min_age: 18\n", 7, 1, BLOCK),
        // The third line of a plain value, at the top level and in a mapping.
        ("name: hello\n  there\n\tworld\n", 6, 1, PLAIN),
        ("audience:\n  regions: [SE]\n  note: hello\n    there\n  \tworld\n", 8, 3, PLAIN),
    ] {
        let (found, label) = tab_error(&format!("{HEAD}{body}"));
        assert_eq!((found.line, found.column), (line, column), "{body:?}: {found:?}");
        assert_eq!(label, "tab", "{body:?}");
        assert_eq!(found.message, message, "{body:?}");
        assert_eq!(found.help, TAB_HELP, "{body:?}");
    }
}

/// A tab inside a quoted value or after a line's content is valid YAML.
#[test]
fn a_tab_in_a_value_or_after_content_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let text = CAMPAIGN
        .replacen("name: Nordhem monthly newsletter, May 2026", "name: \"Nordhem\tmonthly\"\t# a tab", 1)
        .replacen("basis: consent\n", "basis: consent\t\n", 1);
    std::fs::write(dir.path().join("c.yaml"), &text).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--format", "json", "c.yaml"]).output().unwrap();
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["campaigns"][0]["errors"], serde_json::json!([]), "{text}");
}
