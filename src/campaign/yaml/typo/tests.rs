//! Each slip written into a real campaign: the message, the text underlined and the fix.

use proptest::prelude::*;

use crate::campaign::yaml::{parse, Document};
use crate::diagnostic::{Place, Problem};
use crate::source::{FileId, SourceFile};

const CAMPAIGN: &str = include_str!("../../../../examples/campaigns/01-consent-newsletter.yaml");

/// The problem of the example campaign with `from` replaced by `to`, and the text.
fn slip(from: &str, to: &str) -> (Problem, String) {
    assert!(CAMPAIGN.contains(from), "{from}");
    let text = CAMPAIGN.replacen(from, to, 1);
    let Err(problem) = parse(FileId(0), &SourceFile::new("c.yaml", text.as_str()), Document::Campaign) else {
        panic!("{to} was read")
    };
    (problem, text)
}

/// The line (1-based) and text the problem underlines.
fn underlined<'t>(p: &Problem, text: &'t str) -> (usize, &'t str) {
    let Place::Span(span) = p.place else { panic!("not in the text: {p:?}") };
    (text[..span.start].matches('\n').count() + 1, p.underlined(text).unwrap())
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

fn help(p: &Problem) -> &str {
    p.help.as_deref().unwrap_or_default()
}

#[test]
fn a_colon_and_space_in_a_value_underlines_the_value_and_asks_for_quotes() {
    let (p, text) = slip("name: Nordhem monthly newsletter, May 2026", "name: Sale: 50% off");
    assert_eq!(p.message, "invalid YAML: the value of `name` contains `: `");
    assert_eq!(underlined(&p, &text), (line_of(&text, "name:"), "Sale: 50% off"));
    assert!(help(&p).ends_with("put the value in quotes: `name: \"Sale: 50% off\"`"), "{p:?}");
    // A value that holds a double quote is put in single quotes.
    let (p, _) = slip("name: Nordhem monthly newsletter, May 2026", "name: The \"Sale\": 50% off");
    assert!(help(&p).ends_with("`name: 'The \"Sale\": 50% off'`"), "{p:?}");
}

#[test]
fn a_key_without_a_space_after_its_colon_points_at_the_colon() {
    let (p, text) = slip("basis: consent\nchannels", "basis:consent\nchannels");
    assert_eq!(p.message, "invalid YAML: a space is missing after the colon in `basis:consent`");
    assert_eq!(underlined(&p, &text), (line_of(&text, "basis:consent"), ":"));
    assert!(help(&p).ends_with(": `basis: consent`"), "{p:?}");
    // Inside a mapping the parser stops a line later; the slip is still the line above.
    let (p, text) = slip("  - category: contact.email", "  - category:contact.email");
    assert_eq!(p.message, "invalid YAML: a space is missing after the colon in `category:contact.email`");
    assert_eq!(underlined(&p, &text).0, line_of(&text, "category:contact"));
}

#[test]
fn a_key_joined_to_its_value_with_equals_is_shown_the_colon() {
    let (p, text) = slip("basis: consent\nchannels", "basis = consent\nchannels");
    assert_eq!(p.message, "invalid YAML: `basis = consent` joins a key and a value with `=`");
    assert_eq!(underlined(&p, &text), (line_of(&text, "basis ="), " = "));
    assert!(help(&p).contains("joined with `: `"), "{p:?}");
    assert!(help(&p).ends_with("`basis: consent`"), "{p:?}");
}

#[test]
fn a_line_without_a_colon_says_key_and_value() {
    let (p, text) = slip("basis: consent\nchannels", "basis consent\nchannels");
    assert_eq!(p.message, "invalid YAML: `basis consent` is not written as `key: value`");
    assert_eq!(underlined(&p, &text).0, line_of(&text, "basis consent"));
    assert!(help(&p).ends_with("`basis: consent`"), "{p:?}");
}

#[test]
fn a_dash_without_a_space_points_at_the_dash() {
    let (p, text) = slip("  - category: identity.name", "  -category: identity.name");
    assert_eq!(p.message, "invalid YAML: `-category: identity.name` needs a space after its `-`");
    assert_eq!(underlined(&p, &text), (line_of(&text, "-category"), "-"));
    assert!(help(&p).ends_with("`- category: identity.name`"), "{p:?}");
}

#[test]
fn an_unclosed_quote_points_at_the_opening_quote_and_asks_for_the_closing_one() {
    let (p, text) = slip("name: Nordhem monthly newsletter, May 2026", "name: \"Nordhem monthly");
    assert_eq!(p.message, "invalid YAML: unclosed quote");
    assert_eq!(underlined(&p, &text), (line_of(&text, "name:"), "\""));
    assert_eq!(help(&p), "add the closing `\"` at the end of the value: `name: \"Nordhem monthly\"`");
    // A quote further on (`"NO"`) closes it: the parser stops there, the slip is the same.
    assert!(text.contains("\"NO\""));
    let (p, text) = slip("owner: crm-team", "owner: \"crm-team");
    assert_eq!(p.message, "invalid YAML: unclosed quote");
    assert_eq!(underlined(&p, &text), (line_of(&text, "owner:"), "\""));
    assert_eq!(help(&p), "add the closing `\"` at the end of the value: `owner: \"crm-team\"`");
    assert_eq!(p.related.len(), 1, "the quote read as its end is shown: {p:?}");
}

#[test]
fn an_apostrophe_in_single_quotes_suggests_double_quotes() {
    let (p, text) = slip("owner: crm-team", "owner: 'Nordhem's crm'");
    assert_eq!(p.message, "invalid YAML: text after the closing quote of a value");
    assert_eq!(underlined(&p, &text).1, "s crm'");
    assert!(help(&p).ends_with("`owner: \"Nordhem's crm\"`"), "{p:?}");
}

#[test]
fn an_unclosed_bracket_points_at_the_bracket_not_the_next_line() {
    let (p, text) = slip("channels: [email]", "channels: [email");
    assert_eq!(p.message, "invalid YAML: the `[` that starts this list is never closed");
    assert_eq!(underlined(&p, &text), (line_of(&text, "channels:"), "["));
    assert_eq!(help(&p), "add `]` at the end of the list: `channels: [email]`");
    let (p, text) = slip("  regions: [SE, DK, FI, \"NO\"]", "  regions: {SE: 1, DK: 2");
    assert_eq!(p.message, "invalid YAML: the `{` that starts this mapping is never closed");
    assert_eq!(underlined(&p, &text), (line_of(&text, "regions:"), "{"));
    // At the end of the file.
    let text = "campaign: c\nchannels: [email, sms\n";
    let p = parse(FileId(0), &SourceFile::new("c.yaml", text), Document::Campaign).unwrap_err();
    assert_eq!(underlined(&p, text), (2, "["));
    assert_eq!(help(&p), "add `]` at the end of the list: `channels: [email, sms]`");
}

#[test]
fn a_key_moved_out_of_its_mapping_is_named_not_the_line_after_it() {
    let (p, text) = slip("  contact: privacy@nordhem.example", "contact: privacy@nordhem.example");
    assert_eq!(p.message, "invalid YAML: `contact` is indented less than the lines above and below it");
    assert_eq!(underlined(&p, &text), (line_of(&text, "contact: privacy"), "contact"));
    assert!(help(&p).contains("indent `contact:` by 2 spaces"), "{p:?}");
}

#[test]
fn a_key_indented_under_a_key_with_a_value_is_named_with_that_key() {
    let (p, text) = slip("  access: https", "     access: https");
    assert_eq!(p.message, "invalid YAML: `access` is indented deeper than `contact` above it");
    assert_eq!(underlined(&p, &text), (line_of(&text, "access: https"), "access"));
    assert!(help(&p).contains("`contact` already has a value"), "{p:?}");
    // Between two levels: lined up with neither.
    let (p, text) = slip("  access: https", " access: https");
    assert_eq!(p.message, "invalid YAML: `access` is not lined up with `contact` above it");
    assert_eq!(underlined(&p, &text), (line_of(&text, "access: https"), "access"));
    assert!(help(&p).contains("indent `access:` like `contact:`, or, if it does not belong under `rights`"), "{p:?}");
}

#[test]
fn a_key_left_of_its_list_item_is_lined_up_with_the_item() {
    let (p, text) =
        slip("    retention: 24 months\n    source: newsletter", "  retention: 24 months\n    source: newsletter");
    assert_eq!(p.message, "invalid YAML: `retention` is not lined up with `category` of the list item above");
    assert_eq!(underlined(&p, &text).1, "retention");
    assert!(help(&p).contains("by 2 more spaces"), "{p:?}");
}

#[test]
fn a_repeated_key_in_a_data_use_hints_at_the_missing_dash() {
    let (p, text) = slip("  - category: identity.name", "    category: identity.name");
    assert_eq!(p.message, "invalid YAML: `category` appears twice in one data use");
    assert_eq!(underlined(&p, &text), (line_of(&text, "    category: identity"), "category"));
    assert!(help(&p).starts_with("each data use starts with `- `"), "{p:?}");
    assert!(help(&p).contains("write `- category: identity.name`"), "{p:?}");
    assert_eq!(p.related.len(), 1, "the first `category` is shown");
    // Outside a list a repeated key keeps the general wording.
    let (p, _) = slip("owner: crm-team", "owner: crm-team\nowner: crm");
    assert_eq!(p.message, "invalid YAML: duplicate mapping key: owner");
    assert_eq!(help(&p), "each key may appear once in a mapping: keep one, and for a list put the items of both in it");
}

#[test]
fn other_errors_keep_the_loaders_wording() {
    let text = "campaign: c\nrights:\n  unsubscribe: true\n  - x\n";
    let p = parse(FileId(0), &SourceFile::new("c.yaml", text), Document::Campaign).unwrap_err();
    assert_eq!(help(&p), "check the indentation and brackets around this line");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any slip anywhere in a campaign gives a located problem or a campaign, never a panic.
    #[test]
    fn a_slip_anywhere_gives_a_located_problem(
        at in 0..CAMPAIGN.len(),
        cut in 0usize..4,
        insert in prop::sample::select(vec!["", ":", ": ", "\"", "'", "[", "{", "]", "-", "- ", "  ", "\n", " = ", "#", "\n  x: y"]),
    ) {
        let at = (0..=at).rev().find(|&i| CAMPAIGN.is_char_boundary(i)).unwrap_or(0);
        let end = (at + cut..=CAMPAIGN.len()).find(|&i| CAMPAIGN.is_char_boundary(i)).unwrap_or(CAMPAIGN.len());
        let text = format!("{}{insert}{}", &CAMPAIGN[..at], &CAMPAIGN[end..]);
        if let Err(p) = parse(FileId(0), &SourceFile::new("c.yaml", text.as_str()), Document::Campaign) {
            prop_assert!(matches!(p.place, Place::Span(s) if s.start <= s.end && s.end <= text.len()), "{p:?}");
            prop_assert!(!p.label.is_empty() && p.help.is_some(), "{p:?}");
        }
    }
}
