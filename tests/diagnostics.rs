//! The messages a legal author or a marketer actually meets, pinned as snapshots (no colour,
//! width 100). Each names the mistake where it is, with a help line.

mod common;

use common::{lagom, temp_files, BASE};

fn validate(policy: &str) -> String {
    let dir = temp_files(&[("p.policy", policy)]);
    let out = lagom().current_dir(dir.path()).args(["validate", "--policy", "p.policy"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "expected a policy error");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn check(campaign: &str) -> String {
    let policy = format!("{BASE}rule ok {{ allow contact for marketing }}\n");
    let dir = temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn with_base(rules: &str) -> String {
    format!("{BASE}{rules}")
}

#[test]
fn missing_for() {
    insta::assert_snapshot!(validate(&with_base("rule r {\n  allow contact.email marketing\n}\n")));
}

#[test]
fn missing_value_after_an_operator() {
    insta::assert_snapshot!(validate(&with_base("rule r {\n  allow contact for marketing when basis ==\n}\n")));
}

#[test]
fn a_second_because() {
    insta::assert_snapshot!(validate(&with_base(
        "rule r {\n  allow contact for marketing\n  because \"a\"\n  because \"b\"\n}\n"
    )));
}

#[test]
fn cite_without_its_text() {
    insta::assert_snapshot!(validate(&with_base("rule r {\n  allow contact for marketing\n  cite\n}\n")));
}

#[test]
fn unclosed_list() {
    insta::assert_snapshot!(validate(&with_base(
        "rule r {\n  allow contact for marketing when audience.regions within [SE, DK\n}\n"
    )));
}

/// A rule that ends in `cite "…"` and lacks its `}`: the error is at the next rule, where the
/// brace is missing, not at the rule's correct `because` line.
#[test]
fn unclosed_rule_after_cite() {
    insta::assert_snapshot!(validate(&with_base(
        "rule r {\n  allow contact for marketing\n  because \"x\"\n  cite \"y\"\n\nrule b {\n  deny special for *\n}\n"
    )));
}

/// A rule name with a space in it, and a rule without its `{`: each at the word where the
/// rule goes wrong, with help for that mistake.
#[test]
fn rule_name_with_a_space_or_without_its_brace() {
    insta::assert_snapshot!(validate(&with_base("rule newsletter email {\n  allow contact for marketing\n}\n")));
    insta::assert_snapshot!(validate(&with_base("rule r\n  allow contact for marketing\n}\n")));
}

/// The first line of a file: a comment in another language's style, or a keyword in capitals,
/// is told as such (pest expects only the optional byte-order mark there, which is invisible).
#[test]
fn a_mistake_on_the_first_line() {
    insta::assert_snapshot!(validate("// Acme marketing policy\npolicy \"Acme\"\n"));
    insta::assert_snapshot!(validate("Rule r { allow * for * }\n"));
}

/// A second word after a value is a value with a space in it, not a misspelt `or`; a word one
/// edit from a keyword (`AND`) is that keyword.
#[test]
fn a_value_with_a_space_or_a_keyword_in_capitals() {
    insta::assert_snapshot!(validate(&with_base(
        "rule r {\n  deny contact for marketing when consent.source == signup form\n}\n"
    )));
    insta::assert_snapshot!(validate(&with_base(
        "rule r {\n  deny contact for marketing when basis == consent AND owner == x\n}\n"
    )));
}

/// A keyword where a name was due: a list that ends in `,`, `all` for every name, and a
/// keyword chosen as a category's name each get the help that fits.
#[test]
fn a_keyword_where_a_name_was_due() {
    insta::assert_snapshot!(validate(&with_base("rule r {\n  allow contact.email, for marketing\n}\n")));
    insta::assert_snapshot!(validate(&with_base("rule r {\n  deny special for all\n}\n")));
    insta::assert_snapshot!(validate("category set\n"));
}

#[test]
fn unclosed_brace() {
    insta::assert_snapshot!(validate(&with_base(
        "rule a {\n  allow contact for marketing\n\nrule b {\n  deny special for *\n}\n"
    )));
}

#[test]
fn unclosed_brace_at_end_of_file() {
    insta::assert_snapshot!(validate(&with_base("rule a {\n  allow contact for marketing\n")));
}

#[test]
fn keyword_typo_at_top_level() {
    insta::assert_snapshot!(validate(&with_base("rul a {\n  allow contact for marketing\n}\n")));
}

#[test]
fn effect_typo() {
    insta::assert_snapshot!(validate(&with_base("rule a {\n  alow contact for marketing\n}\n")));
}

#[test]
fn keyword_as_a_name() {
    insta::assert_snapshot!(validate(&with_base("rule allow {\n  allow contact for marketing\n}\n")));
}

#[test]
fn unknown_category_with_suggestion() {
    insta::assert_snapshot!(validate(&with_base("rule a {\n  allow contact.emial for marketing\n}\n")));
}

#[test]
fn cycle_names_the_whole_cycle() {
    insta::assert_snapshot!(validate("category a under c\ncategory b under a\ncategory c under b\n"));
}

#[test]
fn duplicate_shows_both_places() {
    insta::assert_snapshot!(validate(&with_base(
        "rule a { allow contact for marketing }\nrule a { deny special for * }\n"
    )));
}

#[test]
fn type_errors() {
    insta::assert_snapshot!(validate(&with_base(
        "rule a {\n  deny * for *\n  when audience.min_age contains x or retention > 5 or basis == emial or channels contains faxx\n}\n"
    )));
}

#[test]
fn campaign_with_allow_and_per_use_fields_in_campaign_rules() {
    insta::assert_snapshot!(validate(&with_base(
        "rule a { allow campaign for marketing }\nrule b {\n  deny campaign for *\n  when retention > 2 years\n}\n"
    )));
}

#[test]
fn unknown_field_and_bad_duration() {
    insta::assert_snapshot!(validate(&with_base(
        "rule a {\n  deny * for *\n  when audience.min_ag >= 18\n}\nrule b {\n  retain * for * at most 2 yeras\n}\n"
    )));
}

#[test]
fn campaign_errors_are_located_with_help() {
    insta::assert_snapshot!(check(
        "campaign: 2026\npurpse: marketing.newsletter\nbasis: consnt\naudience:\n  min_age: eighteen\ndata:\n  - category: contact.emial\n    retention: 24\n"
    ));
}

#[test]
fn a_blocked_campaign_shows_the_rule_reason_and_citation() {
    let policy = format!(
        "{BASE}rule ok {{ allow contact for marketing }}\nrule encrypt {{\n  deny contact for *\n  unless security.encryption contains at_rest\n  because \"Contact data must be encrypted at rest.\"\n  cite \"GDPR Art. 32\"\n}}\n"
    );
    let dir = temp_files(&[
        ("p.policy", &policy),
        ("c.yaml", "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n  - category: behavior.browsing\n"),
    ]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// Spec 3.1: a use blocked by default because an allow rule's condition was unknown names the
/// facts the campaign left out; a rule whose condition is false stays a near miss.
#[test]
fn a_default_block_names_the_facts_an_allow_rule_lacks() {
    let policy = format!(
        "{BASE}rule adults {{\n  allow contact for marketing\n  when audience.min_age >= 18 and audience.regions within eea\n}}\nrule contract_only {{ allow contact for marketing when basis == contract }}\n"
    );
    let dir = temp_files(&[
        ("p.policy", &policy),
        ("c.yaml", "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n"),
    ]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// A campaign value that every comparison of the policy spells otherwise (`source: Support`
/// where the rules look for `support`) matches none of them, so the warn rule that looks for it
/// does not apply: the decision stands as written (values are compared exactly), and the
/// report says at the value what the policy writes, as a note that fails nothing.
#[test]
fn a_value_spelt_otherwise_than_every_comparison_is_a_note() {
    let policy = format!(
        "{BASE}rule ok {{ allow contact for marketing }}\n\
         rule reuse {{ warn * for marketing when source in [support, billing] }}\n"
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n    source: Support\n";
    let dir = temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// Every rule that blocks a use for lack of a fact says which fact, not only the first.
#[test]
fn each_blocking_rule_names_the_facts_it_lacked() {
    let policy = format!(
        "{BASE}rule ok {{ allow contact for marketing }}\n\
         rule adults {{\n  deny contact for marketing\n  unless audience.min_age >= 18\n}}\n\
         rule eea {{\n  deny contact for marketing\n  unless audience.regions within eea\n}}\n"
    );
    let dir = temp_files(&[
        ("p.policy", &policy),
        ("c.yaml", "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n"),
    ]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("`adults`: the campaign does not declare `audience.min_age`"), "{text}");
    assert!(text.contains("`eea`: the campaign does not declare `audience.regions`"), "{text}");
}

/// A warning about two rules far apart in one file shows each rule in a snippet of its own,
/// not every line between them (one snippet over both printed the whole file between).
#[test]
fn rules_far_apart_are_shown_in_separate_snippets() {
    let filler: String = (0..10).map(|i| format!("rule filler_{i} {{ allow contact for analytics }}\n")).collect();
    let policy = format!(
        "{BASE}rule no_contact {{ deny contact for marketing }}\n{filler}rule newsletter {{ allow contact.email for marketing }}\n"
    );
    let dir = temp_files(&[("p.policy", &policy)]);
    let out = lagom().current_dir(dir.path()).args(["validate", "--policy", "p.policy"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("allow rule `newsletter` never lets anything through"), "{text}");
    assert!(text.contains("rule no_contact"), "the deny rule is shown: {text}");
    assert!(!text.contains("filler_5"), "the lines between are not: {text}");
}

#[test]
fn bad_escape_and_unclosed_string() {
    let bad_escape = with_base("rule r {\n  allow contact for marketing\n  because \"caf\\u00e9\"\n}\n");
    assert!(validate(&bad_escape).contains("unknown escape `\\u` in a string"));
    let unclosed = with_base("rule r {\n  allow contact for marketing\n  because \"never closed\n}\n");
    assert!(validate(&unclosed).contains("this string is never closed"));
}

/// A place at the end of the file (a missing `}`) is located at the last character written,
/// in JSON as in the snippet: never on a line after the last, where no annotation can sit.
#[test]
fn the_end_of_the_file_is_located_at_its_last_character() {
    let dir = temp_files(&[("p.policy", "category c\npurpose m\nrule r {\n  allow c for m\n\n")]);
    let run = |format: &str| {
        let out = lagom()
            .current_dir(dir.path())
            .args(["validate", "--format", format, "--policy", "p.policy"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (json, _) = run("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let location = &json["policy_errors"][0]["location"];
    assert_eq!((location["line"].as_u64(), location["column"].as_u64()), (Some(4), Some(15)), "{json}");
    let (_, human) = run("human");
    assert!(human.contains("╭─[p.policy:4:15]"), "{human}");
}
