//! Campaign values that a marketer gets almost right: the advice must lead to what they meant
//! (a retention of several units, a fraction, an end date; a misspelt required key; an id
//! with white space around it, or one that differs from another only in case or is cut short by
//! a YAML comment), and every problem stays located, with a label and a help line.

mod common;

use common::{lagom, root, stdout, temp_files};
use serde_json::Value;

/// B: a valid consent newsletter campaign (allowed, no warnings).
fn b() -> String {
    std::fs::read_to_string(root().join("examples/campaigns/01-consent-newsletter.yaml")).unwrap()
}

/// B with its first `retention: 24 months` given as `value` (line 26, column 16).
fn b_retention(value: &str) -> String {
    let b = b();
    assert!(b.contains("\n    retention: 24 months\n"));
    b.replacen("\n    retention: 24 months\n", &format!("\n    retention: {value}\n"), 1)
}

/// `lagom check --format json` over the files: the exit code and the report.
fn check(files: &[(&str, &str)]) -> (i32, Value) {
    let dir = temp_files(files);
    let names = files.iter().map(|(name, _)| *name);
    let out = lagom().current_dir(dir.path()).args(["check", "--format", "json"]).args(names).output().unwrap();
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    (out.status.code().unwrap(), json)
}

/// The human report of `lagom check c.yaml` for one campaign.
fn human(text: &str) -> String {
    let dir = temp_files(&[("c.yaml", text)]);
    let out = lagom().current_dir(dir.path()).args(["check", "c.yaml"]).output().unwrap();
    stdout(&out)
}

/// The errors of the one campaign of `c.yaml`: (message, help, line, column, code).
fn errors(text: &str) -> Vec<(String, String, u64, u64, String)> {
    let (code, json) = check(&[("c.yaml", text)]);
    assert_eq!(code, 2, "{json}");
    errors_of(&json["campaigns"][0])
}

fn errors_of(campaign: &Value) -> Vec<(String, String, u64, u64, String)> {
    assert_eq!(campaign["decision"], "invalid", "{campaign}");
    campaign["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["message"].as_str().unwrap().to_string(),
                e["help"].as_str().unwrap_or("").to_string(),
                e["location"]["line"].as_u64().unwrap(),
                e["location"]["column"].as_u64().unwrap(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The one error of a campaign with `retention: value`, at that value: (message, help).
fn retention_error(value: &str) -> (String, String) {
    let errors = errors(&b_retention(value));
    let [(message, help, line, column, code)] = errors.as_slice() else { panic!("{value}: {errors:?}") };
    assert_eq!((*line, *column, code.as_str()), (26, 16, "lagom::duration"), "{value}");
    (message.clone(), help.clone())
}

/// `1 year 6 months` was told "did you mean `year`?", which declares six months less than
/// meant, and `1y 6m` to put a space between number and unit. Both are 18 months.
#[test]
fn a_retention_of_several_units_is_given_the_same_length_in_one_unit() {
    for value in ["1 year 6 months", "1y 6m", "1 yr 6 mos", "1 year and 6 months"] {
        assert_eq!(
            retention_error(value),
            (
                format!("malformed duration `{value}`: a retention is one number and one unit"),
                "write `18 months`, the same length as one number and one unit".to_string()
            ),
            "{value}"
        );
    }
    // Located and labelled like every other problem.
    let text = human(&b_retention("1 year 6 months"));
    assert!(text.contains("╭─[c.yaml:26:16]"), "{text}");
    assert!(text.contains("╰── malformed duration"), "{text}");
}

/// A date (YAML 1.2 reads `2027-12-31` as text, quoted or not) is not a length of time.
#[test]
fn an_end_date_as_a_retention_is_told_a_retention_is_a_length() {
    for value in ["2027-12-31", "\"2027-12-31\"", "31.12.2027"] {
        let (message, help) = retention_error(value);
        assert!(message.ends_with(": a retention is a length of time, not an end date"), "{value}: {message}");
        assert_eq!(help, "write how long the data is kept, e.g. `24 months`", "{value}");
    }
}

/// The marketer's own value, converted exactly, not a fixed example; a length that no whole
/// number of days states is rounded up, and said to be.
#[test]
fn a_fractional_retention_is_given_its_own_length_in_a_smaller_unit() {
    assert_eq!(
        retention_error("1.5 years"),
        (
            "malformed duration `1.5 years`: the number must be whole".to_string(),
            "write `18 months`, the same length as a whole number".to_string()
        )
    );
    assert_eq!(retention_error("2,5 years").1, "write `30 months`, the same length as a whole number");
    assert_eq!(
        retention_error("2.5 weeks").1,
        "`2.5 weeks` is 17.5 days, not a whole number of days: write `18 days` (rounded up, so that the campaign \
         declares no less than it keeps)"
    );
}

/// `Purpose:` (or `purpse:`) was two errors: a missing `purpose` at line 1 and the unknown key.
/// It is one, at the key, which says that `purpose` is missing.
#[test]
fn a_misspelt_required_key_is_one_problem_at_the_key() {
    for (key, help) in [("Purpose", "keys are lower-case: write `purpose:`"), ("purpse", "did you mean `purpose`?")] {
        let text = b().replace("\npurpose: marketing.newsletter\n", &format!("\n{key}: marketing.newsletter\n"));
        assert_eq!(
            errors(&text),
            [(
                format!("unknown key `{key}` in a campaign: the required key `purpose` is missing"),
                help.to_string(),
                13,
                1,
                "lagom::unknown_key".to_string()
            )]
        );
        assert!(human(&text).contains("╰── not read as `purpose`"), "{key}");
    }
    // In a data use and a processor too.
    let text = b().replacen("  - category: contact.email", "  - Category: contact.email", 1);
    let found = errors(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unknown key `Category` in a data use: the required key `category` is missing");
}

/// The missing-key error stays when no misspelt key stands for the key (at the start of the
/// campaign's mapping, after B's header comment), and a look-alike key next to the right one is
/// only an unknown key.
#[test]
fn a_missing_required_key_is_still_reported_when_nothing_stands_for_it() {
    let without = b().replace("\npurpose: marketing.newsletter\n", "\n");
    let found = errors(&without);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2, found[0].4.as_str()),
        ("missing required key `purpose`", 10, "lagom::missing_key")
    );
    let both = b().replace("\npurpose: marketing.newsletter\n", "\npurpose: marketing.newsletter\nPurpose: x\n");
    let found = errors(&both);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unknown key `Purpose` in a campaign");
    // Written `purpose:`, it would be a duplicate key.
    assert_eq!(
        found[0].1,
        "`purpose` is given on line 13 and takes one value: keep the one meant and remove the other"
    );
}

/// `"good-newsletter "` looks like `good-newsletter` in every report and is another id.
#[test]
fn a_campaign_id_with_white_space_around_it_is_invalid() {
    let id = "nordhem-newsletter-2026-05";
    for (written, message) in [
        (format!("\"{id} \""), format!("the campaign id `{id} ` ends with a space")),
        (format!("\" {id}\""), format!("the campaign id ` {id}` starts with a space")),
        (format!("\"{id}\\t\""), format!("the campaign id `{id}\t` ends with a tab (U+0009)")),
    ] {
        let text = b().replace(&format!("campaign: {id}\n"), &format!("campaign: {written}\n"));
        let found = errors(&text);
        assert_eq!(
            found,
            [(
                message,
                format!(
                    "remove it: `campaign: {id}`; ids are compared as written, and in a report this id looks like \
                     the one without it, which it is not"
                ),
                10,
                11,
                "lagom::type".to_string()
            )],
            "{written}"
        );
    }
}

/// Ids are compared exactly (spec 2.1, and every other name in lagom): ids that differ only
/// in case are two campaigns, each decided; exact copies are both invalid.
#[test]
fn ids_that_differ_only_in_case_are_two_campaigns() {
    let b = b();
    let upper = b.replace("campaign: nordhem-newsletter-2026-05", "campaign: Nordhem-Newsletter-2026-05");
    let (code, json) = check(&[("a.yaml", &b), ("b.yaml", &upper)]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["campaigns"][0]["decision"], "allow");
    assert_eq!(json["campaigns"][1]["decision"], "allow");
    let (code, json) = check(&[("a.yaml", &b), ("b.yaml", &b)]);
    assert_eq!(code, 2);
    let a = errors_of(&json["campaigns"][0]);
    assert_eq!(a[0].0, "campaign id `nordhem-newsletter-2026-05` is also used by `b.yaml`");
    assert_eq!(a[0].1, "every campaign needs its own id: rename one of them");
}

/// An id written with a precomposed `ï` and one written as `i` with a combining diaeresis are
/// one id: every report and editor shows them alike. Both files are invalid, and the help says
/// how they differ.
#[test]
fn ids_that_differ_only_in_how_an_accent_is_encoded_are_one_id() {
    let b = b();
    let precomposed = b.replace("campaign: nordhem-newsletter-2026-05", "campaign: nordhem-nyhetsbr\u{e9}v");
    let combining = b.replace("campaign: nordhem-newsletter-2026-05", "campaign: nordhem-nyhetsbre\u{301}v");
    let (code, json) = check(&[("a.yaml", &precomposed), ("b.yaml", &combining)]);
    assert_eq!(code, 2, "{json}");
    let help = "every campaign needs its own id: rename one of them (the ids differ only in how an accent is \
                encoded, as one character or as a letter and a combining mark, and read the same)";
    let a = errors_of(&json["campaigns"][0]);
    assert_eq!(a[0].0, "campaign id `nordhem-nyhetsbr\u{e9}v` is also used by `b.yaml`");
    assert_eq!(a[0].1, help);
    let b = errors_of(&json["campaigns"][1]);
    assert_eq!(b[0].0, "campaign id `nordhem-nyhetsbre\u{301}v` is also used by `a.yaml`");
    assert_eq!(b[0].1, help);
}

/// `campaign: summer-sale #1` reads as `summer-sale`: copies numbered in a comment share an id,
/// and the help says why and how to keep the number.
#[test]
fn a_duplicate_id_cut_short_by_a_comment_is_told_to_quote_it() {
    let b = b();
    let numbered = b.replace("campaign: nordhem-newsletter-2026-05", "campaign: nordhem-newsletter-2026-05 #2");
    let (code, json) = check(&[("a.yaml", &b), ("b.yaml", &numbered)]);
    assert_eq!(code, 2);
    let a = errors_of(&json["campaigns"][0]);
    assert_eq!(a[0].1, "every campaign needs its own id: rename one of them");
    let second = errors_of(&json["campaigns"][1]);
    assert_eq!(
        second[0].1,
        "every campaign needs its own id: rename one of them; ` #` starts a comment in YAML, so `campaign: \
         nordhem-newsletter-2026-05 #2` is read as `nordhem-newsletter-2026-05`: quote the id if the comment is part \
         of it, `campaign: \"nordhem-newsletter-2026-05 #2\"`"
    );
    // Quoted, the comment is part of the id: no duplicate.
    let quoted = b.replace("campaign: nordhem-newsletter-2026-05", "campaign: \"nordhem-newsletter-2026-05 #2\"");
    let (code, _) = check(&[("a.yaml", &b), ("b.yaml", &quoted)]);
    assert_eq!(code, 0);
}

/// Spec 2.1 types `audience.min_age` as an integer, and a value of the right type does not make
/// a campaign invalid: `-1` and `180` are decided, not refused (see the README).
#[test]
fn min_age_takes_any_integer_as_the_spec_says() {
    for age in ["-1", "180"] {
        let text = b().replace("  min_age: 18\n", &format!("  min_age: {age}\n"));
        let (_, json) = check(&[("c.yaml", &text)]);
        assert_ne!(json["campaigns"][0]["decision"], "invalid", "{age}: {json}");
    }
}

/// A number in a list of texts is named as an item of the list, with the quoted item (not a
/// line that would replace the list); a processor's field is not taken for the campaign's own.
#[test]
fn a_list_item_and_a_processor_field_are_named_as_such() {
    let text = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\naudience:\n  regions: [SE, 46]\n\
                processors:\n  - name: 12\n    region: SE\n    dpa: true\ndata:\n  - category: contact.email\n";
    let found = errors(text);
    assert_eq!(
        found,
        [
            (
                "an item of `audience.regions` must be text, found a number".to_string(),
                "quote it: `\"46\"` in the list".to_string(),
                5,
                17,
                "lagom::type".to_string()
            ),
            (
                "a processor's `name` must be text, found a number".to_string(),
                "quote it: `name: \"12\"`".to_string(),
                7,
                11,
                "lagom::type".to_string()
            ),
        ]
    );
}

/// A value a tag makes a number is told to drop the tag, and is not quoted twice: the help
/// was `owner: ""3""`, which is no YAML.
#[test]
fn a_tagged_number_where_text_belongs_is_told_to_drop_the_tag() {
    let text = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: !!int \"3\"\n\
                audience:\n  regions: [SE, !!float 4]\ndata:\n  - category: contact.email\n";
    let helps: Vec<String> = errors(text).into_iter().map(|e| e.1).collect();
    assert_eq!(
        helps,
        [
            "write it as text, without the tag that makes it a number: `owner: \"3\"`",
            "write it as text, without the tag that makes it a decimal number: `\"4\"` in the list"
        ]
    );
}

/// A label the policy reads, written at the top level (it lost its indentation under
/// `labels:`), is sent back there, not offered the nearest top-level key (`consent`).
#[test]
fn a_label_written_at_the_top_level_is_sent_under_labels() {
    let text = "campaign: lab\npurpose: marketing.newsletter\nbasis: consent\nlabels:\n  dpia: DPIA-1\n\
                consent_review: CR-2026-01\ndata:\n  - category: contact.email\n";
    let found = errors(text);
    let [(message, help, line, column, code)] = found.as_slice() else { panic!("{found:?}") };
    assert_eq!(message, "unknown key `consent_review` in a campaign");
    assert_eq!(help, "`consent_review` is a label the policy reads: indent it under `labels:`");
    assert_eq!((*line, *column, code.as_str()), (6, 1, "lagom::unknown_key"));
    // A key no rule reads as a label keeps the nearest key.
    let other = errors(&text.replace("consent_review:", "consnt:"));
    assert_eq!(other[0].1, "did you mean `consent`?");
}
