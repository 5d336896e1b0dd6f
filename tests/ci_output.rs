//! How reports reach CI: standard output that cannot be written, and report files written
//! whole or not at all.

mod common;

use std::process::{Command, Stdio};

use common::{path, root};

const EXAMPLES: &str = "examples/campaigns";

fn example(name: &str) -> String {
    format!("{EXAMPLES}/{name}")
}

/// Runs lagom with standard output open only for reading: a write fails with EBADF, which
/// `std::io::Stdout` would take for a success.
fn with_read_only_stdout(args: &[&str]) -> (Option<i32>, String) {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("ro.txt");
    std::fs::write(&file, "").unwrap();
    let read_only = std::fs::File::open(&file).unwrap();
    let out = Command::new(assert_cmd::cargo::cargo_bin("lagom"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::from(read_only))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_report_that_cannot_be_written_to_standard_output_is_an_error() {
    let allowed = example("01-consent-newsletter.yaml");
    for args in [
        vec!["check", "--format", "json", allowed.as_str()],
        vec!["check", allowed.as_str()],
        vec!["check", "--format", "sarif", allowed.as_str()],
        vec!["explain", allowed.as_str()],
        vec!["validate"],
        vec!["schema"],
    ] {
        let (code, stderr) = with_read_only_stdout(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("error: cannot write"), "{args:?}: {stderr}");
        assert!(stderr.contains("bad file descriptor"), "{args:?}: {stderr}");
    }
}

/// A run killed while writing its report (here by the file size limit, `SIGXFSZ`) leaves the
/// earlier report as it was, not a truncated one.
#[cfg(unix)]
#[test]
fn a_run_killed_while_writing_leaves_the_earlier_report() {
    let d = tempfile::tempdir().unwrap();
    let report = d.path().join("report.json");
    std::fs::write(&report, "earlier report\n").unwrap();
    let lagom = assert_cmd::cargo::cargo_bin("lagom");
    let script = format!(
        "ulimit -f 4; exec '{}' check --format json --output '{}' '{}'",
        path(&lagom),
        path(&report),
        path(&root().join(EXAMPLES))
    );
    let out = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert_eq!(out.status.code(), None, "the report is larger than the limit: {out:?}");
    assert_eq!(std::fs::read_to_string(&report).unwrap(), "earlier report\n");
}

#[test]
fn a_report_file_replaces_the_earlier_one_and_leaves_nothing_beside_it() {
    let d = tempfile::tempdir().unwrap();
    let report = d.path().join("report.json");
    std::fs::write(&report, "earlier report\n".repeat(10_000)).unwrap();
    let out = common::lagom()
        .args(["check", "--format", "json", "--output", &path(&report), &example("01-consent-newsletter.yaml")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["summary"]["allowed"], 1);
    let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report.json")]);
}

/// A report to a path that is no regular file is written to it, not renamed over it.
#[cfg(unix)]
#[test]
fn a_report_to_dev_null_is_written_there() {
    let out = common::lagom()
        .args(["check", "--format", "json", "--output", "/dev/null", &example("01-consent-newsletter.yaml")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Runs `lagom check` on a blocked campaign with standard output piped (no terminal) and the
/// given colour variables, and tells whether the report is coloured.
fn coloured(vars: &[(&str, &str)]) -> bool {
    let mut cmd = common::lagom();
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR").env_remove("CLICOLOR_FORCE").env_remove("FORCE_COLOR");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.args(["check", &example("14-flash-sale-no-unsubscribe.yaml")]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
}

#[test]
fn colour_can_be_forced_where_no_terminal_shows_it_and_no_color_wins() {
    assert!(!coloured(&[]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
}

fn sarif_of(args: &[&str]) -> serde_json::Value {
    let out = common::lagom().args(["check", "--format", "sarif"]).args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

/// SARIF1001: a rule's `name` is not its `id`; the run names the policy it was decided under.
#[test]
fn sarif_rules_have_readable_names_and_the_run_names_its_policy() {
    let log = sarif_of(&[EXAMPLES]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        assert_ne!(rule["name"], rule["id"], "{rule}");
    }
    let opt_out = rules.iter().find(|r| r["id"] == "opt_out_required").unwrap();
    assert_eq!(opt_out["name"], "OptOutRequired");
    let policy = &run["properties"]["policy"];
    assert_eq!(policy["name"], "lagom GDPR marketing (EU/EEA)");
    assert!(policy["version"].is_string(), "{policy}");
    assert!(policy["digest"].as_str().unwrap().starts_with("sha256:"), "{policy}");
}

/// A finding's related place (the other file of a duplicate campaign id) is a related
/// location, as JSON's `related`.
#[test]
fn sarif_related_locations_carry_the_other_file_of_a_duplicate() {
    let campaign = std::fs::read_to_string(root().join(example("01-consent-newsletter.yaml"))).unwrap();
    let d = common::temp_files(&[("a.yaml", &campaign), ("b.yaml", &campaign)]);
    let out = common::lagom().current_dir(d.path()).args(["check", "--format", "sarif", "."]).output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let related: Vec<_> = results.iter().flat_map(|r| r["relatedLocations"].as_array().unwrap()).collect();
    assert_eq!(related.len(), 1, "{results:?}");
    assert_eq!(related[0]["physicalLocation"]["artifactLocation"]["uri"], "a.yaml");
    assert!(related[0]["message"]["text"].as_str().unwrap().contains("also declared"), "{related:?}");
}

/// With `--deny-warnings` a warning fails the run, and code scanning shows it as an error.
#[test]
fn sarif_warnings_are_errors_when_they_fail_the_run() {
    let warned = example("06-geofenced-app-offers.yaml");
    let levels = |log: serde_json::Value| -> Vec<String> {
        let results = log["runs"][0]["results"].as_array().unwrap().clone();
        let warned = results.iter().filter(|r| r["ruleId"] == "precise_location_review");
        warned.map(|r| r["level"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(levels(sarif_of(&[&warned])), ["warning"]);
    assert_eq!(levels(sarif_of(&["--deny-warnings", &warned])), ["error"]);
}

/// JUnit: the policy's identity in the suite's properties; a class name without the file's
/// extension (Jenkins splits it at the last dot), and the file in its own attribute.
#[test]
fn junit_names_the_policy_and_each_case_file() {
    let out = common::lagom()
        .args(["check", "--format", "junit", &example("14-flash-sale-no-unsubscribe.yaml")])
        .output()
        .unwrap();
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.contains("<property name=\"policy.name\" value=\"lagom GDPR marketing (EU/EEA)\"/>"), "{xml}");
    assert!(xml.contains("<property name=\"policy.digest\" value=\"sha256:"), "{xml}");
    assert!(
        xml.contains("classname=\"lagom.check\" file=\"examples/campaigns/14-flash-sale-no-unsubscribe.yaml\""),
        "{xml}"
    );
}

/// `lagom test --format junit` writes a line break in a test's name as `check` does: `\n`.
#[test]
fn test_junit_writes_a_line_break_in_a_name_as_check_does() {
    let policy = format!("{}rule allow_contact {{\n  allow contact for marketing\n}}\n", common::BASE);
    let campaign = "campaign: ok\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let tests = "policy: ../policy\ntests:\n  - name: \"two\\nlines\"\n    file: ../campaigns/c.yaml\n    expect: { decision: allow }\n";
    let d = common::temp_files(&[
        ("policy/p.policy", &policy),
        ("campaigns/c.yaml", campaign),
        ("tests/t.test.yaml", tests),
    ]);
    let out = common::lagom().current_dir(d.path()).args(["test", "--format", "junit", "tests"]).output().unwrap();
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.contains("name=\"two\\nlines\""), "{xml}");
    assert!(!xml.contains("&#10;"), "{xml}");
}

/// `check --help` ends with the exit codes and the environment it reads.
#[test]
fn check_help_lists_exit_codes_and_environment() {
    let out = common::lagom().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for text in ["Exit codes:", "  0  every campaign allowed", "  2  invalid policy", "NO_COLOR", "RAYON_NUM_THREADS"] {
        assert!(help.contains(text), "{text}: {help}");
    }
}

/// The man page's synopsis of `validate` has no PATH: it takes its policy with `--policy`.
#[test]
fn the_man_page_shows_no_hidden_argument() {
    let out = common::lagom().arg("man").output().unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    let validate = page.lines().find(|l| l.starts_with("\\fBlagom validate\\fR")).unwrap();
    assert!(!validate.contains("PATH"), "{validate}");
    let check = page.lines().find(|l| l.starts_with("\\fBlagom check\\fR")).unwrap();
    assert!(check.contains("PATH"), "{check}");
}

/// With `--deny-warnings` a warned campaign fails the run: it is not marked as passing.
#[test]
fn a_warned_campaign_that_fails_the_run_is_not_marked_as_passing() {
    let warned = example("06-geofenced-app-offers.yaml");
    let run = |args: &[&str]| {
        let out = common::lagom().arg("check").args(args).arg(&warned).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    for args in [&["--deny-warnings", "-q"][..], &["--deny-warnings"]] {
        let (code, human) = run(args);
        assert_eq!(code, Some(1), "{human}");
        assert!(human.starts_with("⚠ allowed  "), "{human}");
        assert!(!human.contains('✓'), "{human}");
    }
    let (code, human) = run(&[]);
    assert_eq!(code, Some(0), "{human}");
    assert!(human.starts_with("✓ allowed  "), "{human}");
}

/// A `because` that ends its sentence, without a `cite`, is not followed by `.;`.
#[test]
fn a_note_after_a_finished_because_is_a_sentence_of_its_own() {
    let policy = format!(
        "{}rule allow_contact {{\n  allow contact for marketing\n}}\nrule nordics_only {{\n  warn contact for marketing \
         when not (audience.regions within eea)\n  because \"We only market in the Nordics.\"\n}}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let d = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = common::lagom()
        .current_dir(d.path())
        .args(["check", "--format", "github", "--policy", "p.policy", "c.yaml"])
        .output()
        .unwrap();
    let github = String::from_utf8_lossy(&out.stdout);
    assert!(
        github.contains("We only market in the Nordics. The campaign does not declare `audience.regions`"),
        "{github}"
    );
    assert!(!github.contains(".;"), "{github}");
}

/// GitHub shows 10 errors and 10 warnings per step: the run-failing `deny_warnings` line comes
/// first, and a notice before the summary says how many were written.
#[test]
fn github_output_keeps_what_fails_the_run_within_what_github_shows() {
    let out = common::lagom().args(["check", "--format", "github", "--deny-warnings", EXAMPLES]).output().unwrap();
    let github = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = github.lines().collect();
    assert!(lines[0].starts_with("::error title=lagom%3A deny_warnings::"), "{github}");
    let notice = lines[lines.len() - 2];
    assert!(notice.starts_with("::notice title=lagom%3A more annotations::lagom wrote "), "{github}");
    assert_eq!(github.matches("deny_warnings").count(), 1, "{github}");
}

/// A file skipped for its name is a notice annotation in the GitHub format.
#[test]
fn a_skipped_file_is_a_github_notice() {
    let campaign = std::fs::read_to_string(root().join(example("01-consent-newsletter.yaml"))).unwrap();
    let d = common::temp_files(&[("c/a.yaml", &campaign), ("c/b.yaml.txt", &campaign)]);
    let run = |format: &str| {
        let out = common::lagom().current_dir(d.path()).args(["check", "--format", format, "c"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let github = run("github");
    assert!(github.starts_with("::notice title=lagom%3A skipped_file::skipped `c/b.yaml.txt`: "), "{github}");
    assert!(run("json").starts_with("note: skipped `c/b.yaml.txt`: "));
}

/// A policy file skipped for its name leaves its rules unenforced: with the GitHub format it
/// is a notice annotation too, not a plain line a reader of the annotations never sees.
#[test]
fn a_skipped_policy_file_is_a_github_notice() {
    let campaign = std::fs::read_to_string(root().join(example("01-consent-newsletter.yaml"))).unwrap();
    let d = common::temp_files(&[
        ("c/a.yaml", &campaign),
        ("p/10-deny.polcy", "rule extra { deny contact for marketing }\n"),
    ]);
    let run = |format: &str| {
        let pack = root().join("policies/gdpr-marketing");
        let copy = d.path().join("p");
        for entry in std::fs::read_dir(&pack).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "policy") {
                std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
            }
        }
        let out = common::lagom()
            .current_dir(d.path())
            .args(["check", "--policy", "p", "--format", format, "c"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let github = run("github");
    assert!(github.starts_with("::notice title=lagom%3A skipped_file::skipped `p/10-deny.polcy`: "), "{github}");
    assert!(run("sarif").starts_with("note: skipped `p/10-deny.polcy`: "));
}
