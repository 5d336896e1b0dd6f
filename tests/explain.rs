//! `lagom explain`: every rule whose scope matched, each condition's value with the field
//! values it saw, and the deciding rules; plus the human output of the examples, pinned.

mod common;

use common::{lagom, stdout, temp_files, BASE};
use serde_json::Value;

fn explain_json(args: &[&str]) -> (i32, Value) {
    let out = lagom().args(["explain", "--format", "json"]).args(args).output().unwrap();
    (out.status.code().unwrap(), serde_json::from_slice(&out.stdout).unwrap())
}

const POLICY: &str = r#"rule allow_contact { allow contact for marketing }
rule adults {
  deny * for marketing
  unless audience.min_age >= 18
  because "Marketing is for adults."
  cite "POLICY"
}
rule health { deny special for * }
rule phone_note { warn contact.phone for * when channels contains sms }
rule newsletter_only { allow behavior for marketing.newsletter when basis == consent }
"#;

fn setup(campaign: &str) -> tempfile::TempDir {
    temp_files(&[("p.policy", &format!("{BASE}{POLICY}")), ("c.yaml", campaign)])
}

#[test]
fn a_blocked_campaign_shows_every_matched_rule_its_condition_values_and_the_decider() {
    let d = setup("campaign: c\npurpose: marketing.profiling\nbasis: consent\naudience:\n  min_age: 15\ndata:\n  - category: contact.email\n");
    let (code, json) =
        explain_json(&["--policy", &common::path(&d.path().join("p.policy")), &common::path(&d.path().join("c.yaml"))]);
    assert_eq!(code, 1);
    assert_eq!(json["decision"], "block");
    let u = &json["uses"][0];
    assert_eq!(u["deciding_rules"], serde_json::json!(["adults"]));
    let rules: Vec<&str> = u["rules"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect();
    // Exactly the rules whose scope contains contact.email for marketing.profiling.
    assert_eq!(rules, ["adults", "allow_contact"]);
    let adults = &u["rules"][0];
    assert_eq!(adults["verdict"], "decided");
    assert_eq!(adults["condition"], "unless audience.min_age >= 18");
    assert_eq!(adults["result"], "true");
    assert_eq!(adults["tests"][0]["test"], "audience.min_age >= 18");
    assert_eq!(adults["tests"][0]["value"], 15);
    assert_eq!(adults["tests"][0]["result"], "false");
    assert_eq!(
        (adults["because"].as_str(), adults["cite"].as_str()),
        (Some("Marketing is for adults."), Some("POLICY"))
    );
    let allow = &u["rules"][1];
    assert_eq!(allow["verdict"], "overridden");
    assert_eq!(allow["matched_via"], serde_json::json!(["contact.email ⊑ contact", "marketing.profiling ⊑ marketing"]));
    assert_eq!((allow["because"].as_str(), allow["cite"].as_str()), (None, None));
}

/// Spec 1: a rule's `because` and `cite` appear in every explanation of it, also for the warn
/// rules and campaign-level rules that no `decided` line explains.
#[test]
fn warnings_and_campaign_level_rules_show_their_reason() {
    let rules = "rule note { warn contact for * because \"Check the list.\" cite \"Art. 21\" }
rule form { deny campaign for marketing unless consent.source is set because \"Say where consent was given.\" cite \"Art. 7(1)\" }
";
    let d = temp_files(&[
        ("p.policy", &format!("{BASE}{POLICY}{rules}")),
        ("c.yaml", "campaign: c\npurpose: marketing\nbasis: consent\naudience:\n  min_age: 20\ndata:\n  - category: contact.email\n"),
    ]);
    let out = lagom()
        .args([
            "explain",
            "--policy",
            &common::path(&d.path().join("p.policy")),
            &common::path(&d.path().join("c.yaml")),
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("  ● rule `note`: warn contact for *  ("), "{text}");
    assert!(text.contains("      warns\n        Check the list. (Art. 21)\n"), "{text}");
    assert!(text.contains("      blocks\n        Say where consent was given. (Art. 7(1))\n"), "{text}");
}

/// A warning that applies because a fact is missing names it, as a deny rule that blocks for
/// one does (the JSON `unknown` lists it).
#[test]
fn a_warning_on_a_missing_fact_names_it() {
    let d = setup("campaign: c\npurpose: marketing\nbasis: consent\naudience:\n  min_age: 20\ndata:\n  - category: contact.phone\n");
    let policy = common::path(&d.path().join("p.policy"));
    let campaign = common::path(&d.path().join("c.yaml"));
    let out = lagom().args(["explain", "--policy", &policy, &campaign]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("  ● rule `phone_note`: warn contact.phone for *  ("), "{text}");
    assert!(text.contains("      warns (fail closed: the campaign does not declare `channels`)\n"), "{text}");
    let (_, json) = explain_json(&["--policy", &policy, &campaign]);
    let note = json["uses"][0]["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "phone_note").unwrap();
    assert_eq!(note["unknown"], serde_json::json!(["channels"]), "{note}");
}

/// `--format json` gives a document for a campaign that cannot be decided too, with its
/// errors as `check` gives them, and one for an invalid policy.
#[test]
fn an_invalid_campaign_or_policy_is_still_a_json_document() {
    let d = setup("campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.fax\n");
    let policy = common::path(&d.path().join("p.policy"));
    let (code, json) = explain_json(&["--policy", &policy, &common::path(&d.path().join("c.yaml"))]);
    assert_eq!(code, 2);
    assert_eq!((&json["campaign"], &json["decision"]), (&serde_json::json!("c"), &serde_json::json!("invalid")));
    assert_eq!(json["errors"][0]["location"]["line"], 5);
    assert!(json["errors"][0]["message"].as_str().unwrap().contains("contact.fax"), "{json}");
    let bad = temp_files(&[("p.policy", "rule r { allow nowhere for * }\n"), ("c.yaml", "campaign: c\n")]);
    let (code, json) = explain_json(&[
        "--policy",
        &common::path(&bad.path().join("p.policy")),
        &common::path(&bad.path().join("c.yaml")),
    ]);
    assert_eq!(code, 2);
    assert!(json["policy_errors"][0]["message"].as_str().unwrap().contains("nowhere"), "{json}");
}

#[test]
fn an_allowed_campaign_shows_the_allow_rule_and_the_denies_that_did_not_apply() {
    let d = setup("campaign: c\npurpose: marketing.newsletter\nbasis: consent\naudience:\n  min_age: 30\ndata:\n  - category: behavior.browsing\n");
    let (code, json) =
        explain_json(&["--policy", &common::path(&d.path().join("p.policy")), &common::path(&d.path().join("c.yaml"))]);
    assert_eq!(code, 0);
    let u = &json["uses"][0];
    assert_eq!(u["deciding_rules"], serde_json::json!(["newsletter_only"]));
    let by_name = |n: &str| u["rules"].as_array().unwrap().iter().find(|r| r["rule"] == n).unwrap().clone();
    assert_eq!(by_name("adults")["verdict"], "not_applied");
    assert_eq!(by_name("newsletter_only")["verdict"], "decided");
    assert_eq!(by_name("newsletter_only")["tests"][0]["value"], "consent");
}

/// A value every comparison of its field spells otherwise (`owner: CRM` where `crm_only`
/// looks for `crm`) is why that rule did not apply: the trace says so before the decision,
/// the JSON as `check` does, and `--category` keeps it.
#[test]
fn a_value_spelt_otherwise_than_the_policy_is_shown_before_the_decision() {
    let policy = format!("{BASE}{POLICY}rule crm_only {{ warn * for * when owner == crm }}\n");
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: CRM\naudience:\n  min_age: 30\ndata:\n  - category: contact.phone\n";
    let d = temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(d.path()).args(["explain", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let text = stdout(&out);
    let expected = "\nvalues spelt otherwise than the policy\n  line 4: `CRM` does not match `crm`, which rule `crm_only` compares `owner` with: values are compared exactly (they differ in case)\n\ndecision: allow\n";
    assert!(text.ends_with(expected), "{text}");
    let (code, json) = explain_json(&[
        "--policy",
        &common::path(&d.path().join("p.policy")),
        "--category",
        "behavior",
        &common::path(&d.path().join("c.yaml")),
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["respellings"][0]["written"], "CRM", "{json}");
    assert_eq!(json["respellings"][0]["rules"], serde_json::json!(["crm_only"]));
}

/// A respelt value that a rule which applied compared is named in that rule's finding by
/// `check`; explain lists it with the others, naming the rule.
#[test]
fn a_respelling_a_finding_names_is_listed_by_explain_too() {
    let policy = format!("{BASE}{POLICY}rule not_crm {{ warn * for * when owner != crm }}\n");
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: CRM\naudience:\n  min_age: 30\ndata:\n  - category: contact.phone\n";
    let d = temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(d.path()).args(["explain", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let text = stdout(&out);
    let expected = "\nvalues spelt otherwise than the policy\n  line 4: `CRM` where rule `not_crm` writes `crm`: values are compared exactly (they differ in case)\n\ndecision: allow\n";
    assert!(text.ends_with(expected), "{text}");
}

#[test]
fn a_missing_fact_is_shown_as_not_declared_and_unknown() {
    let d = setup("campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n");
    let out = lagom().current_dir(d.path()).args(["explain", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("audience.min_age >= 18  [audience.min_age = not declared] → unknown"), "{text}");
    // The missing fact is named where the rule blocks, and the last line says what blocked.
    assert!(text.contains("blocks (fail closed: the campaign does not declare `audience.min_age`)"), "{text}");
    assert!(text.ends_with("\ndecision: block (use 0 by `adults`)\n"), "{text}");
}

#[test]
fn category_limits_the_trace_to_one_category() {
    let d = setup("campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n  - category: behavior.browsing\n");
    let (_, json) = explain_json(&[
        "--policy",
        &common::path(&d.path().join("p.policy")),
        "--category",
        "behavior",
        &common::path(&d.path().join("c.yaml")),
    ]);
    let uses = json["uses"].as_array().unwrap();
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0]["category"], "behavior.browsing");
    let bad = lagom()
        .args(["explain", "--category", "contact.emial", "examples/campaigns/01-consent-newsletter.yaml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `contact.email`?"));
    // Asked for JSON, a tool gets a document on standard output, not an empty stream.
    let (code, json) = explain_json(&["--category", "contact.emial", "examples/campaigns/01-consent-newsletter.yaml"]);
    assert_eq!(code, 2);
    assert_eq!(json["errors"][0]["message"], "unknown category `contact.emial`");
    assert_eq!(json["errors"][0]["help"], "did you mean `contact.email`?");
}

#[test]
fn explain_of_the_examples_is_pinned() {
    for name in ["10-health-data-targeting", "01-consent-newsletter"] {
        let out = lagom().args(["explain", &format!("examples/campaigns/{name}.yaml")]).output().unwrap();
        insta::assert_snapshot!(format!("explain-{name}"), stdout(&out));
    }
}

#[test]
fn check_output_of_the_examples_is_pinned() {
    let out = lagom().args(["check", "examples/campaigns"]).output().unwrap();
    insta::assert_snapshot!("check-examples", stdout(&out));
}

/// No line of the human output of the examples ends in a space or a tab (miette ended the
/// line over each rule note, `Advice: `, and the bar beside an empty line of a snippet, in one).
#[test]
fn no_line_of_the_examples_human_output_ends_in_whitespace() {
    let mut runs: Vec<Vec<String>> = vec![
        vec!["check".into(), "examples/campaigns".into()],
        vec!["check".into(), "--quiet".into(), "examples/campaigns".into()],
        vec!["test".into(), "--coverage".into(), "policies".into()],
        vec!["validate".into(), "policies/gdpr-marketing".into()],
    ];
    for entry in std::fs::read_dir(common::root().join("examples/campaigns")).unwrap() {
        let path = entry.unwrap().path();
        runs.push(vec!["explain".into(), path.to_string_lossy().into_owned()]);
    }
    for args in runs {
        let out = lagom().args(&args).output().unwrap();
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(text);
            for (i, line) in text.lines().enumerate() {
                assert!(!line.ends_with([' ', '\t']), "lagom {args:?}, {stream} line {}: {line:?}", i + 1);
            }
        }
    }
}

/// A path that holds several campaigns is a usage error naming one of them, not a trace of the
/// first with the rest left out.
#[test]
fn a_directory_of_several_campaigns_is_refused() {
    let ok = "campaign: a\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let dir = temp_files(&[
        ("p.policy", &format!("{BASE}{POLICY}")),
        ("c/a.yaml", ok),
        ("c/b.yaml", &ok.replace("a\n", "b\n")),
    ]);
    let out = lagom().current_dir(dir.path()).args(["explain", "--policy", "p.policy", "c"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains("`explain` shows one campaign, and this holds 2 campaign files"), "{stderr}");
    assert!(stderr.contains("`lagom explain --policy p.policy c/a.yaml`"), "{stderr}");
    let out =
        lagom().current_dir(dir.path()).args(["explain", "--format", "json", "--policy", "p.policy", "c"]).output();
    let json: Value = serde_json::from_slice(&out.unwrap().stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "lagom::usage");
    // The file the help names is one that was read: a link that leads nowhere sorts first.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere", dir.path().join("c/0-old.yaml")).unwrap();
        let out = lagom().current_dir(dir.path()).args(["explain", "--policy", "p.policy", "c"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("this holds 3 campaign files"), "{stderr}");
        assert!(stderr.contains("`lagom explain --policy p.policy c/a.yaml`"), "{stderr}");
    }
}

/// A file name that is not UTF-8 is shown as `bad\\xffname.yaml`, and the command to paste
/// named `"n3/bad\\xffname.yaml"`, another file; no argument can name the file itself (they are
/// UTF-8), so the command names the next file. A name with a line break is written `$'…\\n…'`.
/// Pasted into bash, each command explains its file.
#[cfg(unix)]
#[test]
fn the_command_for_a_file_name_that_is_not_utf8_names_that_file() {
    use std::os::unix::ffi::OsStrExt;
    let ok = "campaign: a\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let dir = temp_files(&[("p.policy", &format!("{BASE}{POLICY}")), ("n3/z.yaml", &ok.replace("a\n", "z\n"))]);
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.yaml");
    std::fs::write(dir.path().join("n3").join(name), ok).unwrap();
    let args = ["explain", "--format", "json", "--policy", "p.policy", "n3"];
    let out = lagom().current_dir(dir.path()).args(args).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pasted = |json: &Value, command: &str, file: &str| {
        assert_eq!(
            json["errors"][0]["help"],
            format!("name one file, e.g. `{command}`; `lagom check` decides them all")
        );
        let pasted = std::process::Command::new("bash")
            .current_dir(dir.path())
            .args(["-c", &format!("lagom() {{ \"$LAGOM\" \"$@\"; }}; {command}")])
            .env("LAGOM", assert_cmd::cargo::cargo_bin("lagom"))
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&pasted.stdout).unwrap();
        assert_eq!((pasted.status.code(), &json["file"]), (Some(1), &Value::from(file)), "{json}");
    };
    pasted(&json, "lagom explain --policy p.policy --format json n3/z.yaml", "n3/z.yaml");
    std::fs::write(dir.path().join("n3").join("a\nb.yaml"), ok).unwrap();
    let out = lagom().current_dir(dir.path()).args(args).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    pasted(&json, r"lagom explain --policy p.policy --format json $'n3/a\nb.yaml'", "n3/a\nb.yaml");
    // When no file of the folder can be named, no command is given.
    std::fs::create_dir(dir.path().join("n4")).unwrap();
    for name in [&b"a\xff.yaml"[..], b"b\xfe.yaml"] {
        std::fs::write(dir.path().join("n4").join(std::ffi::OsStr::from_bytes(name)), ok).unwrap();
    }
    let args = ["explain", "--format", "json", "--policy", "p.policy", "n4"];
    let out = lagom().current_dir(dir.path()).args(args).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["errors"][0]["help"],
        "name one file (a name that is not UTF-8 must be renamed first); `lagom check` decides them all"
    );
}

/// The file the usage error names is given in a command that can be pasted: with the
/// `--policy` given (without it the built-in pack would decide) and the other options, and
/// a path the shell would split quoted. The command, run by a shell, explains that file.
#[test]
fn the_command_for_one_file_of_a_directory_keeps_the_options_and_quotes_the_path() {
    let ok = "campaign: a\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let dir = temp_files(&[
        ("p.policy", &format!("{BASE}{POLICY}")),
        ("my c/a.yaml", ok),
        ("my c/b.yaml", &ok.replace("a\n", "b\n")),
    ]);
    let args = ["explain", "--format", "json", "--category", "contact", "--policy", "p.policy", "my c"];
    let out = lagom().current_dir(dir.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let help = json["errors"][0]["help"].as_str().unwrap();
    let command = "lagom explain --policy p.policy --category contact --format json 'my c/a.yaml'";
    assert_eq!(help, format!("name one file, e.g. `{command}`; `lagom check` decides them all"));
    let bin = assert_cmd::cargo::cargo_bin("lagom");
    let pasted = std::process::Command::new("sh")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["-c", &format!("lagom() {{ \"$LAGOM\" \"$@\"; }}; {command}")])
        .env("LAGOM", bin)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&pasted.stdout).unwrap();
    // Blocked by `adults` (no `audience.min_age`), as under `p.policy` it is.
    assert_eq!((pasted.status.code(), &json["file"]), (Some(1), &Value::from("my c/a.yaml")), "{json}");
    assert_eq!(json["uses"][0]["deciding_rules"], serde_json::json!(["adults"]));
    let out = lagom().current_dir(dir.path()).args(["explain", "--policy", "p.policy", "my c"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`lagom explain --policy p.policy 'my c/a.yaml'`"), "{stderr}");
    // A command longer than the rest of the help's line is not broken inside (nor at the
    // hyphens of `--max-file-size`): it is pasted whole.
    let long = ["explain", "--max-file-size", "2", "--category", "contact", "--policy", "p.policy", "my c"];
    let out = lagom().current_dir(dir.path()).args(long).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let command = "`lagom explain --policy p.policy --max-file-size 2 --category contact 'my c/a.yaml'`";
    assert!(stderr.lines().any(|l| l.trim_start().starts_with(command)), "{stderr}");
}

/// An invalid campaign's problems go to standard error, and are coloured as standard error
/// is a terminal or not, whatever standard output is: here standard output is a terminal
/// (`script` gives the run one) and standard error a file, which gets no colour codes.
#[test]
fn an_invalid_campaigns_problems_are_coloured_as_standard_error_is_a_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) gives the run a terminal, and is not installed");
        return;
    }
    let dir = setup("campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.fax\n");
    let bin = assert_cmd::cargo::cargo_bin("lagom");
    let run = "\"$LAGOM\" explain --policy p.policy c.yaml 2>err.txt";
    let out = std::process::Command::new("script")
        .current_dir(dir.path())
        .env("LAGOM", bin)
        .env_remove("NO_COLOR")
        .args(["-qec", run, "/dev/null"])
        .output()
        .unwrap();
    let err = std::fs::read_to_string(dir.path().join("err.txt")).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("contact.fax"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// A campaign id of any length is cut short in the trace's first line, as in `check`.
#[test]
fn a_long_campaign_id_is_cut_short() {
    let id = "v".repeat(5_000);
    let campaign =
        format!("campaign: {id}\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n");
    let dir = setup(&campaign);
    let out = lagom().current_dir(dir.path()).args(["explain", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap_or("");
    assert!(first.starts_with(&format!("campaign `{}…` (c.yaml): ", "v".repeat(60))), "{first}");
}

/// With `--category`, the campaign-level rules are still shown: they decide the campaign
/// whatever its uses are, and the human trace must account for its decision as the JSON does.
#[test]
fn a_category_filter_keeps_the_campaign_level_rules() {
    let args = ["explain", "examples/campaigns/14-flash-sale-no-unsubscribe.yaml", "--category", "identity"];
    let out = lagom().args(args).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("\ncampaign-level rules\n") && text.contains("rule `opt_out_required`"), "{text}");
    let (_, json) = explain_json(&args[1..]);
    let names: Vec<&str> =
        json["campaign_rules"].as_array().unwrap().iter().filter_map(|r| r["rule"].as_str()).collect();
    assert!(names.contains(&"opt_out_required"), "{json}");
}

/// The hint on a use blocked by default names the allow rule a missing fact kept from
/// applying with its reason and citation, as every explanation of a rule does.
#[test]
fn an_allow_kept_out_by_a_missing_fact_is_named_with_its_reason() {
    let rules = "rule counted { allow contact for analytics when audience.min_age >= 16 because \"Only people who may consent alone.\" cite \"Art. 8(1)\" }\n";
    let d = temp_files(&[
        ("p.policy", &format!("{BASE}{rules}")),
        ("c.yaml", "campaign: c\npurpose: analytics\nbasis: consent\ndata:\n  - category: contact.email\n"),
    ]);
    let out = lagom()
        .args(["check", "--policy", &common::path(&d.path().join("p.policy")), &common::path(&d.path().join("c.yaml"))])
        .env("COLUMNS", "400")
        .output()
        .unwrap();
    let text = stdout(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains(
            "`counted` would allow it, but the campaign does not declare `audience.min_age` (missing facts never let \
             data through); `counted`: Only people who may consent alone. (Art. 8(1))"
        ),
        "{text}"
    );
}

/// `explain` of a use blocked by default tells what `check` tells: the allow rule a missing
/// fact kept out, with its reason, or the rules that almost match.
#[test]
fn explain_of_a_default_block_names_what_would_allow_it() {
    let rules = "rule counted { allow contact for analytics when audience.min_age >= 16 because \"Only people who may consent alone.\" cite \"Art. 8(1)\" }\n";
    let d = temp_files(&[
        ("p.policy", &format!("{BASE}{rules}")),
        ("c.yaml", "campaign: c\npurpose: analytics\nbasis: consent\ndata:\n  - category: contact.email\n"),
    ]);
    let policy = common::path(&d.path().join("p.policy"));
    let text = stdout(
        &lagom().args(["explain", "--policy", &policy, &common::path(&d.path().join("c.yaml"))]).output().unwrap(),
    );
    assert!(
        text.contains(
            "  decided: block by default: no rule allows contact.email for analytics\n    `counted` would allow it, but \
             the campaign does not declare `audience.min_age`"
        ),
        "{text}"
    );
    let text = stdout(&lagom().args(["explain", "examples/campaigns/21-credit-score-offers.yaml"]).output().unwrap());
    assert!(text.contains("\n    rules that almost match: `personalised_data` allows "), "{text}");
}

/// The JSON trace says what each rule does and what a retention was compared with, and lists
/// the warnings as `check` does: a warn rule that applied and a deny rule that blocked are
/// both `decided`, told apart by `effect`.
#[test]
fn json_traces_give_effects_limits_retention_and_warnings() {
    let (_, json) = explain_json(&["examples/campaigns/13-loyalty-retention-too-long.yaml"]);
    let blocked = json["uses"].as_array().unwrap().iter().find(|u| u["decision"] == "block").unwrap();
    let retain = blocked["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "retain_backstop").unwrap();
    assert_eq!((retain["effect"].as_str(), retain["limit"].as_str()), (Some("retain"), Some("36 months")), "{retain}");
    assert!(blocked["retention"].is_string(), "{blocked}");
    let (_, json) = explain_json(&["examples/campaigns/12-us-esp-without-safeguard.yaml"]);
    assert_eq!(json["campaign_warnings"], serde_json::json!(["transfer_review"]), "{json}");
    let review = json["campaign_rules"].as_array().unwrap().iter().find(|r| r["rule"] == "transfer_review").unwrap();
    assert_eq!((review["effect"].as_str(), review["verdict"].as_str()), (Some("warn"), Some("decided")));
    assert!(json["uses"][0]["warnings"].is_array(), "{json}");
}

/// A retain rule whose condition also tests the missing retention names it once.
#[test]
fn a_missing_retention_is_named_once() {
    let d = temp_files(&[
        ("p.policy", &format!("{BASE}rule ok {{ allow * for * }}\nrule keep {{ retain contact for * at most 1 year when retention > 1 day }}\n")),
        ("c.yaml", "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n"),
    ]);
    let policy = common::path(&d.path().join("p.policy"));
    let (_, json) = common::check_json(&["--policy", &policy, &common::path(&d.path().join("c.yaml"))]);
    assert_eq!(json["campaigns"][0]["uses"][0]["findings"][0]["unknown"], serde_json::json!(["retention"]), "{json}");
}

/// A filter that matches no use says so, instead of showing only the campaign-level rules.
#[test]
fn a_category_filter_that_matches_no_use_says_so() {
    let out = lagom()
        .args(["explain", "examples/campaigns/01-consent-newsletter.yaml", "--category", "special"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("\nno use of `special` or of a category under it\n"), "{text}");
    assert!(!text.contains("\nuse 0:"), "{text}");
}

/// Inside `any data (…)` a test runs once per element, and each line names its element.
#[test]
fn tests_inside_a_quantifier_name_their_element() {
    let file = "examples/campaigns/01-consent-newsletter.yaml";
    let text = stdout(&lagom().args(["explain", file]).output().unwrap());
    assert!(
        text.contains("basis == consent  [data[0].basis = `consent`] → true\n")
            && text.contains("basis == consent  [data[3].basis = `consent`] → true\n"),
        "{text}"
    );
    let (_, json) = explain_json(&[file]);
    let rule = json["campaign_rules"].as_array().unwrap().iter().find(|r| r["rule"] == "consent_evidence").unwrap();
    let elements: Vec<&Value> = rule["tests"].as_array().unwrap().iter().map(|t| &t["element"]).collect();
    assert_eq!(elements.first(), Some(&&Value::Null), "the campaign's own basis is no element: {rule}");
    assert!(elements.contains(&&Value::from("data[1]")), "{rule}");
}

/// In human output an invalid campaign's errors go to standard error, and standard output
/// still says what it is: a reader of the report alone sees no empty trace.
#[test]
fn an_invalid_campaign_says_so_on_standard_output() {
    let out = lagom().args(["explain", "examples/campaigns/16-undeclared-category.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "campaign `nordhem-whatsapp-broadcast` (examples/campaigns/16-undeclared-category.yaml): invalid\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(
            "\ndecision: invalid (1 error, shown on standard error; no use is decided until they are fixed)\n"
        ),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown category `contact.whatsapp`"));
}

/// A decided and an invalid campaign's JSON traces open with the same keys in the same order.
#[test]
fn json_traces_keep_one_key_order() {
    let d = setup("campaign: c\n");
    let invalid = common::path(&d.path().join("c.yaml"));
    let policy = common::path(&d.path().join("p.policy"));
    for args in [vec!["examples/campaigns/01-consent-newsletter.yaml"], vec!["--policy", &policy, &invalid]] {
        let out = lagom().args(["explain", "--format", "json"]).args(&args).output().unwrap();
        let text = stdout(&out);
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"file\": "), "{text}");
        let decision = text.find("\n  \"decision\"").unwrap();
        assert!(text.find("\n  \"campaign\"").unwrap() < decision && decision < text.find("\n  \"uses\"").unwrap());
    }
}

/// A fail-closed block names only the missing facts its result depends on, as `check` does: a
/// field inside a part of the condition that is already false is not one of them (explain once
/// named every field the trace saw absent, and sent marketers to declare facts for nothing).
#[test]
fn a_fail_closed_block_names_only_the_facts_it_depends_on() {
    let policy = format!(
        "{BASE}rule allow_contact {{ allow contact for marketing }}\n\
         rule opt_out {{ deny campaign for marketing when (basis == legitimate_interests and owner is not set) \
         or not rights.unsubscribe }}\n"
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let d = temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(d.path()).args(["explain", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("owner = not declared"), "the trace still shows the test: {text}");
    assert!(text.contains("blocks (fail closed: the campaign does not declare `rights.unsubscribe`)\n"), "{text}");
    let (code, json) =
        explain_json(&["--policy", &common::path(&d.path().join("p.policy")), &common::path(&d.path().join("c.yaml"))]);
    assert_eq!(code, 1);
    assert_eq!(json["campaign_rules"][0]["unknown"], serde_json::json!(["rights.unsubscribe"]), "{json}");
    let (_, check) = common::check_json(&[
        "--policy",
        &common::path(&d.path().join("p.policy")),
        &common::path(&d.path().join("c.yaml")),
    ]);
    assert_eq!(
        check["campaigns"][0]["campaign_findings"][0]["unknown"], json["campaign_rules"][0]["unknown"],
        "{check}"
    );
}

/// `--category` with a category named through its extra parent (`under`) is told the name it
/// has, as a campaign and a policy are.
#[test]
fn category_named_through_an_extra_parent_is_told_its_own_name() {
    let (code, json) = explain_json(&[
        "--category",
        "special.health.health_products",
        "examples/campaigns/01-consent-newsletter.yaml",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        json["errors"][0]["help"],
        "did you mean `behaviour.purchase_history.health_products`? It is declared under \
         `behaviour.purchase_history`, and its extra parent (`under special.health`) gives it no other name"
    );
}

/// A `not` is shown with the value it gives, not only the value of what it negates: `not a and
/// not b` is false with `a` and `b` both true, and two true rows under a false `and` read as a
/// contradiction. A group inside another is shown in brackets, as `lagom fmt` writes it, with
/// its parts under it.
#[test]
fn a_not_shows_its_own_value_and_a_group_its_brackets() {
    let d = temp_files(&[
        (
            "p.policy",
            "basis consent\ncategory contact { category email }\npurpose marketing\n\
             rule a { allow contact for marketing when owner == \"y\" or owner == \"x\" and not rights.unsubscribe }\n\
             rule d { deny campaign for marketing when not consent.double_opt_in and not owner == \"x\" because \"dd\" }\n",
        ),
        (
            "c.yaml",
            "campaign: c\npurpose: marketing\nbasis: consent\nowner: x\nconsent: { double_opt_in: true }\n\
             rights: { unsubscribe: false }\ndata:\n  - category: contact.email\n",
        ),
    ]);
    let (policy, campaign) = (common::path(&d.path().join("p.policy")), common::path(&d.path().join("c.yaml")));
    let text = stdout(&lagom().args(["explain", "--policy", &policy, &campaign]).output().unwrap());
    let expected = "      when not consent.double_opt_in and not owner == \"x\"  → false\n\
                    \x20       not consent.double_opt_in  [consent.double_opt_in = true] → false\n\
                    \x20       not owner == \"x\"  [owner = `x`] → false\n";
    assert!(text.contains(expected), "{text}");
    let expected = "      when owner == \"y\" or (owner == \"x\" and not rights.unsubscribe)  → true\n\
                    \x20       owner == \"y\"  [owner = `x`] → false\n\
                    \x20       (owner == \"x\" and not rights.unsubscribe)  → true\n\
                    \x20         owner == \"x\"  [owner = `x`] → true\n\
                    \x20         not rights.unsubscribe  [rights.unsubscribe = false] → true\n";
    assert!(text.contains(expected), "{text}");

    let (_, json) = explain_json(&["--policy", &policy, &campaign]);
    let d = &json["campaign_rules"][0];
    let negated: Vec<&Value> = d["tests"].as_array().unwrap().iter().map(|t| &t["negated"]).collect();
    assert_eq!(negated, [&Value::Bool(true), &Value::Bool(true)], "{d}");
    assert_eq!(d["tree"]["op"], "and", "{d}");
    assert_eq!(d["tree"]["parts"][0]["op"], "not", "{d}");
    assert_eq!(d["tree"]["parts"][0]["result"], "false", "{d}");
    assert_eq!(
        d["tree"]["parts"][0]["parts"][0],
        serde_json::json!({ "op": "test", "text": "consent.double_opt_in", "result": "true", "test": 0 })
    );
    let a = &json["uses"][0]["rules"][0];
    assert_eq!(a["tree"]["text"], "owner == \"y\" or (owner == \"x\" and not rights.unsubscribe)", "{a}");
    assert_eq!(a["tests"][0]["negated"], false, "{a}");
}

/// A retain rule that blocks a use without a retention names `retention` as `check` does, in
/// JSON and in words; one that blocks a declared retention says it is over the limit.
#[test]
fn a_retain_rule_names_the_retention_a_use_does_not_declare() {
    let d = temp_files(&[
        (
            "p.policy",
            "basis consent\ncategory contact { category email }\npurpose marketing\n\
             rule a { allow contact for marketing }\nrule keep { retain contact for marketing at most 24 months }\n",
        ),
        (
            "c.yaml",
            "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n\
             \x20 - category: contact.email\n    retention: 36 months\n",
        ),
    ]);
    let (policy, campaign) = (common::path(&d.path().join("p.policy")), common::path(&d.path().join("c.yaml")));
    let (_, check) = common::check_json(&["--policy", &policy, &campaign]);
    let (_, json) = explain_json(&["--policy", &policy, &campaign]);
    let keep = |u: usize| json["uses"][u]["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "keep").cloned();
    assert_eq!(check["campaigns"][0]["uses"][0]["findings"][0]["unknown"], serde_json::json!(["retention"]));
    assert_eq!(keep(0).unwrap()["unknown"], serde_json::json!(["retention"]), "{json}");
    assert_eq!(keep(1).unwrap()["unknown"], serde_json::json!([]), "{json}");
    let text = stdout(&lagom().args(["explain", "--policy", &policy, &campaign]).output().unwrap());
    assert!(text.contains("\n      blocks (fail closed: the campaign does not declare `retention`)\n"), "{text}");
    assert!(text.contains("\n      blocks: the declared retention is over the limit\n"), "{text}");
}
