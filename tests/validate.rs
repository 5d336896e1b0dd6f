//! `lagom validate` with static warnings: rendered as located miette warnings with a help line,
//! listed in JSON, exit 0 unless `--deny-warnings` (1); errors still exit 2.

mod common;

use common::{lagom, stdout, temp_files, BASE};
use serde_json::Value;

const SHADOWED: &str = "rule newsletter {\n  allow contact.email for marketing.newsletter\n}\n\
                        rule no_contact {\n  deny contact for marketing because \"No contact.\"\n}\n\
                        rule rest {\n  deny * for * because \"Nothing else.\"\n}\n";

fn run(policy: &str, extra: &[&str]) -> (i32, String, String) {
    let d = temp_files(&[("p.policy", policy)]);
    let out = lagom().current_dir(d.path()).args(["validate", "--policy", "p.policy"]).args(extra).output().unwrap();
    (out.status.code().unwrap(), stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_warning_is_located_with_a_help_line() {
    let (code, out, err) = run(&format!("{BASE}{SHADOWED}"), &[]);
    assert_eq!(code, 0);
    assert!(out.ends_with("; 2 warnings\n"), "{out}");
    insta::assert_snapshot!(err);
}

#[test]
fn deny_warnings_exits_1_and_errors_still_exit_2() {
    let policy = format!("{BASE}{SHADOWED}");
    assert_eq!(run(&policy, &["--deny-warnings"]).0, 1);
    let clean = format!(
        "{BASE}rule r {{ allow * for * when audience.regions is not empty and audience.regions within eea }}\n"
    );
    assert_eq!(run(&clean, &["--deny-warnings"]).0, 0);
    assert_eq!(run("rule r { allow nowhere for * }\n", &["--deny-warnings"]).0, 2);
}

#[test]
fn json_lists_the_warnings_with_codes_and_places() {
    let (code, out, _) = run(&format!("{BASE}{SHADOWED}"), &["--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["policy_errors"], serde_json::json!([]));
    let w = json["policy_warnings"].as_array().unwrap();
    let codes: Vec<&str> = w.iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["lagom::unused_set", "lagom::shadowed_allow"]);
    assert_eq!(w[1]["location"]["line"], 23);
    assert_eq!(w[1]["location"]["column"], 6);
    assert!(w[1]["help"].as_str().unwrap().contains("remove `newsletter`"));
}

#[test]
fn json_of_an_invalid_policy_has_both_lists_too() {
    let (code, out, _) = run("rule r { allow nowhere for * }\n", &["--format", "json"]);
    assert_eq!(code, 2);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["policy_errors"][0]["code"], "lagom::unknown_name");
    assert_eq!(json["policy_warnings"], serde_json::json!([]));
}

/// A policy file in a directory is read whatever the case of its extension.
#[test]
fn a_policy_file_is_found_whatever_the_case_of_its_extension() {
    let d = temp_files(&[("pol/a.policy", BASE), ("pol/b.POLICY", "rule r { allow * for * }\n")]);
    let out = lagom().current_dir(d.path()).args(["validate", "--policy", "pol"]).output().unwrap();
    assert!(stdout(&out).contains(" 1 rule,"), "{}", stdout(&out));
}

#[test]
fn the_shipped_pack_has_no_warnings() {
    lagom().args(["validate", "--deny-warnings"]).assert().code(0);
}

/// A policy file named twice, however it is spelt or through a directory also named, is read
/// once: the same policy and digest as naming it once, not a wall of duplicate declarations.
#[test]
fn a_policy_file_named_twice_is_read_once() {
    let policy = format!("{BASE}rule r {{ allow * for * }}\n");
    let d = temp_files(&[("pol/p.policy", &policy)]);
    let digest = |args: &[&str]| {
        let out = lagom().current_dir(d.path()).arg("validate").args(args).output().unwrap();
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {text}");
        text.split_once("(sha256:").map(|(_, d)| d.to_string()).unwrap_or_else(|| panic!("no digest: {text}"))
    };
    let once = digest(&["--policy", "pol"]);
    assert_eq!(digest(&["--policy", "pol", "--policy", "./pol"]), once);
    assert_eq!(digest(&["--policy", "pol", "--policy", "pol/p.policy"]), once);
    let absolute = d.path().join("pol/p.policy");
    assert_eq!(digest(&["--policy", "pol/p.policy", "--policy", &absolute.to_string_lossy()]), once);
}

/// A file beside the policy files named like one but not one (`10-deny.polcy`,
/// `main.policy.bak`) is not read, and never in silence: `validate` warns
/// (`lagom::skipped_file`, which `--deny-warnings` fails), `check` and `fmt` note it.
#[test]
fn a_misnamed_file_in_a_policy_folder_is_named() {
    let rules = "rule r { allow * for * when audience.regions is not empty and audience.regions within eea }\n";
    let d = temp_files(&[
        ("pol/00-main.policy", &format!("{BASE}{rules}")),
        ("pol/10-deny.polcy", "rule no { deny * for * because \"No.\" }\n"),
        ("pol/old.Policy.bak", rules),
        ("pol/README.md", "notes"),
        ("c.yaml", "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n"),
    ]);
    let run = |args: &[&str]| lagom().current_dir(d.path()).args(args).output().unwrap();
    let out = run(&["validate", "--policy", "pol", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let warnings = json["policy_warnings"].as_array().unwrap();
    let named: Vec<(&str, &str)> =
        warnings.iter().map(|w| (w["code"].as_str().unwrap(), w["location"]["file"].as_str().unwrap())).collect();
    assert_eq!(named, [("lagom::skipped_file", "pol/10-deny.polcy"), ("lagom::skipped_file", "pol/old.Policy.bak")]);
    assert_eq!(run(&["validate", "--policy", "pol", "--deny-warnings"]).status.code(), Some(1));
    let notes = |out: std::process::Output| -> Vec<String> {
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        err.lines()
            .filter(|l| l.starts_with("note: skipped"))
            .map(|l| l.split('`').nth(1).unwrap().to_string())
            .collect()
    };
    let expected = ["pol/10-deny.polcy", "pol/old.Policy.bak"];
    assert_eq!(notes(run(&["check", "--policy", "pol", "c.yaml"])), expected);
    assert_eq!(notes(run(&["fmt", "--check", "pol"])), expected);
    // Beside an invalid policy too: the file may hold what is missing.
    std::fs::write(d.path().join("pol/00-main.policy"), "rule r { allow nowhere for * }\n").unwrap();
    assert_eq!(notes(run(&["validate", "--policy", "pol"])), expected);
}

/// One file of a policy spread over a folder, named alone, lacks what the other files declare:
/// the unknown names come with a note that names the folder to read the policy whole. Not when
/// the other files were read too, nor when no name is unknown.
#[test]
fn a_policy_file_named_alone_beside_others_is_told_to_name_the_folder() {
    let d = temp_files(&[
        ("pol/00-vocabulary.policy", BASE),
        ("pol/10-rules.policy", "rule r { allow contact for marketing when basis == consent }\n"),
        ("pol/20-more.policy", "rule s { deny contact for marketing when basis == contract }\n"),
        ("c.yaml", "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n"),
    ]);
    let run = |args: &[&str]| lagom().current_dir(d.path()).args(args).output().unwrap();
    let notes = |out: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.starts_with("note: only"))
            .map(str::to_string)
            .collect()
    };
    let alone = run(&["validate", "--policy", "pol/10-rules.policy"]);
    assert_eq!(alone.status.code(), Some(2));
    assert_eq!(
        notes(&alone),
        ["note: only `pol/10-rules.policy` was read, not the 2 other `.policy` files in `pol`; if the names found \
          unknown are declared there, name the folder to read the policy whole: `--policy pol`"]
    );
    let check = run(&["check", "--policy", "pol/10-rules.policy", "--policy", "pol/20-more.policy", "c.yaml"]);
    assert_eq!(check.status.code(), Some(2));
    assert_eq!(
        notes(&check),
        [
            "note: only `pol/10-rules.policy` was read, not the other `.policy` file in `pol`; if the names found \
             unknown are declared there, name the folder to read the policy whole: `--policy pol`",
            "note: only `pol/20-more.policy` was read, not the other `.policy` file in `pol`; if the names found \
             unknown are declared there, name the folder to read the policy whole: `--policy pol`"
        ]
    );
    // `diff` takes the folder with the option the file was given with.
    let diff = run(&["diff", "--old", "pol/10-rules.policy", "--new", "pol", "c.yaml"]);
    assert_eq!(diff.status.code(), Some(2));
    assert!(notes(&diff)[0].ends_with("name the folder to read the policy whole: `--old pol`"), "{:?}", notes(&diff));
    let whole = run(&[
        "validate",
        "--policy",
        "pol/00-vocabulary.policy",
        "--policy",
        "pol/10-rules.policy",
        "--policy",
        "pol/20-more.policy",
    ]);
    assert_eq!(whole.status.code(), Some(0));
    // A syntax error is not about names declared elsewhere.
    std::fs::write(d.path().join("pol/10-rules.policy"), "rule r { allow }\n").unwrap();
    let syntax = run(&["validate", "--policy", "pol/10-rules.policy"]);
    assert_eq!(syntax.status.code(), Some(2));
    assert!(notes(&syntax).is_empty());
}

/// A policy mistake repeated in one file (a basis its files never declare, used by every rule)
/// is shown in full three times and then listed by line, as an invalid campaign's repeats are;
/// JSON keeps every one.
#[test]
fn repeated_policy_errors_are_folded_in_human_output() {
    let rules: String =
        (1..=5).map(|i| format!("rule r{i} {{ deny contact for marketing when basis == consnet }}\n")).collect();
    let d = temp_files(&[("p.policy", &format!("{BASE}{rules}"))]);
    let run = |args: &[&str]| lagom().current_dir(d.path()).args(args).output().unwrap();
    let human = run(&["validate", "--policy", "p.policy"]);
    assert_eq!(human.status.code(), Some(2));
    let err = String::from_utf8_lossy(&human.stderr);
    assert_eq!(err.matches("× `consnet` is not a declared lawful basis").count(), 3, "{err}");
    let line = |i: usize| BASE.lines().count() + i;
    assert!(
        err.contains(&format!(
            "… and 2 more like it (lagom::type): `consnet` is not a declared lawful basis; at lines {}, {}",
            line(4),
            line(5)
        )),
        "{err}"
    );
    let json: Value =
        serde_json::from_str(&stdout(&run(&["validate", "--policy", "p.policy", "--format", "json"]))).unwrap();
    assert_eq!(json["policy_errors"].as_array().unwrap().len(), 5);
}
