//! `lagom test`: policy tests through the binary. Failures print one line each with the
//! difference, the closing line is `N passed, M failed`, and the shipped pack's own tests
//! exercise every rule of the pack.

mod common;

use common::{lagom, path, stdout, temp_files, BASE};

const RULES: &str = "rule allow_contact {\n  allow contact for marketing\n}\n\
                     rule no_health {\n  deny special for *\n}\n\
                     rule opt_out {\n  deny campaign for marketing\n  unless rights.unsubscribe\n}\n\
                     rule check_segments {\n  warn * for *\n  when audience.segments is not set\n}\n";

const CAMPAIGN: &str = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n\
                        audience: { segments: [all] }\nrights: { unsubscribe: true }\n\
                        data:\n  - category: contact.email\n  - category: special.health\n";

fn setup(tests: &str) -> tempfile::TempDir {
    temp_files(&[
        ("policy/p.policy", &format!("{BASE}{RULES}")),
        ("campaigns/c.yaml", CAMPAIGN),
        ("tests/t.test.yaml", tests),
    ])
}

/// The policy and a campaign `campaigns/b.yaml` that is invalid under it (an undeclared
/// category), with the test file `tests`.
fn setup_invalid(tests: &str) -> tempfile::TempDir {
    let bad = "campaign: b\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.fax\n";
    temp_files(&[
        ("policy/p.policy", &format!("{BASE}{RULES}")),
        ("campaigns/b.yaml", bad),
        ("tests/t.test.yaml", tests),
    ])
}

fn run(dir: &tempfile::TempDir, extra: &[&str]) -> (i32, String, String) {
    let out = lagom().current_dir(dir.path()).arg("test").args(extra).arg("tests").output().unwrap();
    (out.status.code().unwrap(), stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn passing_tests_print_only_the_count() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: by file\n    file: ../campaigns/c.yaml\n    expect:\n\
         \x20     decision: block\n      campaign_rules: []\n      uses:\n\
         \x20       contact.email: { decision: allow, rules: [allow_contact] }\n\
         \x20       1: { decision: block, rules: [no_health] }\n\
         \x20 - name: inline\n    campaign:\n      campaign: i\n      purpose: marketing\n      basis: consent\n\
         \x20     data: []\n    expect: { decision: block, campaign_rules: [opt_out], campaign_warnings: [] }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (0, "2 passed, 0 failed\n"), "{err}");
}

/// Each failure is located at the expectation that failed (line 6: `decision`, line 8: the
/// use's `warnings`), not at the test's name.
#[test]
fn each_difference_is_a_line_and_failures_exit_1() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: wrong\n    file: ../campaigns/c.yaml\n    expect:\n\
         \x20     decision: allow\n      uses:\n        0: { warnings: [check_segments] }\n\
         \x20 - name: right\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    let (code, out, _) = run(&d, &[]);
    assert_eq!(code, 1);
    let t = path(&d.path().join("tests/t.test.yaml"));
    let t = t.trim_start_matches(&format!("{}/", path(d.path())));
    assert_eq!(
        out,
        format!(
            "FAIL {t}:6: wrong: decision: expected allow, got block (use 1 special.health blocked by no_health)\n\
             FAIL {t}:8: wrong: use 0 contact.email: warnings: expected [check_segments], got []\n\
             1 passed, 1 failed\n"
        )
    );
}

#[test]
fn invalid_test_files_are_located_and_exit_2() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: typo\n    file: ../campaigns/c.yaml\n    expect: { campaign_rules: [opt_ot] }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 2);
    assert_eq!(out, "0 passed, 0 failed, 1 not run\n");
    assert!(err.contains("the policy has no rule `opt_ot`") && err.contains("did you mean `opt_out`?"), "{err}");
    assert!(err.contains("t.test.yaml:5:"), "{err}");
}

/// An unknown rule is told the close names of rules that can appear in its list: a deny rule
/// suggested for `warnings` would only be the next error ("it never appears in `warnings`").
#[test]
fn an_unknown_rule_is_told_only_the_rules_of_its_list() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: typo\n    file: ../campaigns/c.yaml\n    \
         expect: { uses: { contact.email: { warnings: [opt_ou] } }, campaign_rules: [check_segment] }\n",
    );
    let (code, _, err) = run(&d, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("did you mean `opt_out`"), "{err}");
    assert!(err.contains("help: declared per-use warn rules: `check_segments`"), "{err}");
    assert!(!err.contains("did you mean `check_segments`"), "{err}");
    assert!(err.contains("help: declared campaign-level deny rules: `opt_out`"), "{err}");
}

/// A file in the policy folder named like a policy file but not one (`10-deny.polcy`) is not
/// read, so its rules are not tested: `lagom test` notes it, as `check` does, whether the
/// policy is the test file's `policy:` or `--policy`, and in every format.
#[test]
fn a_misnamed_file_in_a_tested_policy_folder_is_noted() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    std::fs::write(d.path().join("policy/10-deny.polcy"), "rule no { deny * for * }\n").unwrap();
    let note = "note: skipped `policy/10-deny.polcy`: only files ending in `.policy` are read as part of a policy";
    for extra in [&[][..], &["--policy", "policy"], &["--format", "json"]] {
        let (code, _, err) = run(&d, extra);
        assert_eq!(code, 0, "{extra:?}: {err}");
        assert_eq!(err.matches(note).count(), 1, "{extra:?}: {err}");
    }
}

/// A file in a test folder named like a test file but not one (`x.tests.yaml`,
/// `x.test.yaml.bak`) is not read, so its tests do not run: `lagom test` notes it on standard
/// error, as `check` notes a misnamed campaign file, in every format. A campaign file beside
/// the tests is not noted.
#[test]
fn a_misnamed_file_in_a_test_folder_is_noted() {
    let test =
        "policy: ../policy\ntests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    let d = setup(test);
    let misnamed = ["x.test.yaml.bak", "x.test.yam", "x.tests.yaml", "x.tset.yaml"];
    for name in misnamed {
        std::fs::write(d.path().join("tests").join(name), test).unwrap();
    }
    std::fs::write(d.path().join("tests/spring.yaml"), CAMPAIGN).unwrap();
    for extra in [&[][..], &["--format", "json"]] {
        let (code, _, err) = run(&d, extra);
        assert_eq!(code, 0, "{extra:?}: {err}");
        for name in misnamed {
            let note = format!(
                "note: skipped `tests/{name}`: only files ending in `.test.yaml` or `.test.yml` are test files; \
                 rename it to have its tests run\n"
            );
            assert_eq!(err.matches(&note).count(), 1, "{extra:?}: {err}");
        }
        assert!(!err.contains("spring.yaml"), "{err}");
    }
}

/// Campaign files may sit next to the tests for `lagom test`, but `lagom check` on that folder
/// reads every `*.yaml`, test files too (spec 4: no name takes a campaign out of the gate),
/// and says that a test file is one (exit 2), as the README says.
#[test]
fn check_on_a_folder_of_tests_and_campaigns_reads_the_test_files_too() {
    let test = "policy: ../policy\ntests:\n  - name: t\n    file: c.yaml\n    expect: { decision: block }\n";
    let d = temp_files(&[
        ("policy/p.policy", &format!("{BASE}{RULES}")),
        ("tests/c.yaml", CAMPAIGN),
        ("tests/t.test.yaml", test),
    ]);
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 passed, 0 failed"), "{out}");
    let out = lagom().current_dir(d.path()).args(["check", "--policy", "policy", "tests"]).output().unwrap();
    let text = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("`tests/t.test.yaml` is a policy test file, not a campaign"), "{text}");
}

/// `errors` says why a campaign is invalid: the codes of its problems, exactly. A campaign
/// invalid for another reason, or a valid one, fails the test; a code written without
/// `lagom::` is an error that says how to write it.
#[test]
fn errors_say_why_a_campaign_is_invalid() {
    let misspelt = "{ campaign: c, purpose: marketing.newsletter, basis: consent, data: [], chanels: [] }";
    let valid = "{ campaign: c, purpose: marketing.newsletter, basis: consent, data: [] }";
    let d = setup(&format!(
        "policy: ../policy\ntests:\n\
         \x20 - name: misspelt key\n    campaign: {misspelt}\n    expect: {{ decision: invalid, errors: [lagom::unknown_key] }}\n\
         \x20 - name: wrong reason\n    campaign: {misspelt}\n    expect: {{ errors: [lagom::unknown_name] }}\n\
         \x20 - name: valid\n    campaign: {valid}\n    expect: {{ errors: [lagom::unknown_key] }}\n"
    ));
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("t.test.yaml:8: wrong reason: errors: expected [lagom::unknown_name], got [lagom::unknown_key]\n"),
        "{out}"
    );
    assert!(out.contains("t.test.yaml:11: valid: errors: expected [lagom::unknown_key], got []\n"), "{out}");
    assert!(out.contains("1 passed, 2 failed"), "{out}");
    let d = setup(&format!(
        "policy: ../policy\ntests:\n  - name: bare\n    campaign: {valid}\n    expect: {{ errors: [unknown_key] }}\n"
    ));
    let (code, _, err) = run(&d, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`unknown_key` is not a diagnostic code"), "{err}");
    assert!(err.contains("codes start with `lagom::`: write `lagom::unknown_key`"), "{err}");
    // A misspelt code is the test file's mistake, told with the code meant.
    let d = setup(&format!(
        "policy: ../policy\ntests:\n  - name: typo\n    campaign: {valid}\n    expect: {{ errors: [lagom::unknwon_key] }}\n"
    ));
    let (code, _, err) = run(&d, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown diagnostic code `lagom::unknwon_key`"), "{err}");
    assert!(err.contains("did you mean `lagom::unknown_key`?"), "{err}");
}

/// A rule named in a list it can never appear in is an error, not a test that fails forever.
#[test]
fn a_rule_in_the_wrong_list_is_an_error_with_the_right_list() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: kinds\n    file: ../campaigns/c.yaml\n    \
         expect: { campaign_rules: [allow_contact], uses: { contact.email: { warnings: [opt_out, check_segments, no_health] } } }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "0 passed, 0 failed, 1 not run\n"), "{err}");
    assert!(err.contains("× `allow_contact` is a per-use allow rule: it never appears in `campaign_rules`"), "{err}");
    assert!(err.contains("help: list it under the `rules` of the use it decides"), "{err}");
    assert!(err.contains("× `opt_out` is a campaign-level deny rule: it never appears in `warnings`"), "{err}");
    // A per-use warn rule belongs in `warnings`; a per-use deny rule beside it is told apart by
    // its effect, not called "a per-use rule" as the warn rule is too.
    assert!(err.contains("× `no_health` is a per-use deny rule: it never appears in `warnings`"), "{err}");
    assert!(!err.contains("`check_segments`"), "{err}");
}

/// A test that cannot run (a misspelt key, a rule the policy lacks, a campaign file that is
/// missing) is reported and exits 2, and loses nothing: the file's other tests still run.
#[test]
fn a_test_that_cannot_run_leaves_the_others_of_its_file_to_run() {
    let d = setup(
        "policy: ../policy\ntests:\n\
         \x20 - name: misspelt\n    file: ../campaigns/c.yaml\n    expect: { decison: block }\n\
         \x20 - name: runs\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n\
         \x20 - name: unknown rule\n    file: ../campaigns/c.yaml\n    expect: { campaign_rules: [opt_ot] }\n\
         \x20 - name: no file\n    file: ../campaigns/gone.yaml\n    expect: { decision: block }\n\
         \x20 - name: fails\n    file: ../campaigns/c.yaml\n    expect: { decision: allow }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 2, "{out}{err}");
    // The three tests that could not run are counted: the count is of every test, not of a part.
    assert!(out.ends_with("1 passed, 1 failed, 3 not run\n"), "{out}");
    assert!(out.contains("FAIL") && out.contains("fails"), "{out}");
    assert!(err.contains("unknown key `decison`"), "{err}");
    assert!(err.contains("the policy has no rule `opt_ot`"), "{err}");
    assert!(err.contains("gone.yaml"), "{err}");
}

/// A campaign file over the size limit is a limit error, as in `check`, not an I/O error.
#[test]
fn a_campaign_file_over_the_size_limit_is_a_limit_error() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: big\n    file: ../campaigns/big.yaml\n    expect: { decision: block }\n",
    );
    let big = format!("{CAMPAIGN}# {}\n", "x".repeat(1024 * 1024));
    std::fs::write(d.path().join("campaigns/big.yaml"), big).unwrap();
    let (code, _, err) = run(&d, &["--max-file-size", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("lagom::limit") && err.contains("big.yaml` is larger than 1 MiB"), "{err}");
}

#[test]
fn a_campaign_that_is_invalid_under_the_policy_is_a_failure_unless_expected() {
    let d = setup_invalid(
        "policy: ../policy\ntests:\n  - name: invalid\n    file: ../campaigns/b.yaml\n    expect: { decision: invalid }\n\
         \x20 - name: thought valid\n    file: ../campaigns/b.yaml\n    expect: { decision: allow }\n",
    );
    let (code, out, _) = run(&d, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("thought valid: decision: expected allow, got invalid: unknown category `contact.fax`"),
        "{out}"
    );
    assert!(out.ends_with("1 passed, 1 failed\n"));
}

/// A campaign file named by several tests is read and decided once for all of them, however
/// its path is spelt; an invalid one is still placed in its file as each test names it.
#[test]
fn tests_naming_one_campaign_file_each_report_it_as_they_name_it() {
    let bad = "campaign: b\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.fax\n";
    let test =
        |name: &str, file: &str| format!("  - name: {name}\n    file: {file}\n    expect: {{ decision: allow }}\n");
    let tests = [
        test("b", "../campaigns/b.yaml"),
        test("b again", "../campaigns/./b.yaml"),
        test("b as first", "../campaigns/b.yaml"),
        test("c", "../campaigns/c.yaml"),
        test("c again", "../tests/../campaigns/c.yaml"),
    ];
    let d = temp_files(&[
        ("policy/p.policy", &format!("{BASE}{RULES}")),
        ("campaigns/b.yaml", bad),
        ("campaigns/c.yaml", CAMPAIGN),
        ("tests/t.test.yaml", &format!("policy: ../policy\ntests:\n{}", tests.concat())),
    ]);
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 1, "{err}");
    let invalid = |line: usize, name: &str, file: &str| {
        format!(
            "FAIL tests/t.test.yaml:{line}: {name}: decision: expected allow, got invalid: unknown category \
             `contact.fax` ({file}:5:15)\n"
        )
    };
    let blocked = |line: usize, name: &str| {
        format!(
            "FAIL tests/t.test.yaml:{line}: {name}: decision: expected allow, got block (use 1 special.health \
             blocked by no_health)\n"
        )
    };
    let expected = [
        invalid(5, "b", "tests/../campaigns/b.yaml"),
        invalid(8, "b again", "tests/../campaigns/./b.yaml"),
        invalid(11, "b as first", "tests/../campaigns/b.yaml"),
        blocked(14, "c"),
        blocked(17, "c again"),
        "0 passed, 5 failed\n".to_string(),
    ];
    assert_eq!(out, expected.concat());
}

/// `decision: invalid` does not make the test's other expectations pass unchecked: an invalid
/// campaign has no campaign-level rules or warnings and no decided use.
#[test]
fn an_invalid_campaign_fails_every_other_expectation_it_cannot_meet() {
    let d = setup_invalid(
        "policy: ../policy\ntests:\n  - name: more\n    file: ../campaigns/b.yaml\n    expect:\n\
         \x20     decision: invalid\n      campaign_rules: [opt_out]\n      campaign_warnings: []\n\
         \x20     uses:\n        0: { decision: allow }\n",
    );
    let (code, out, _) = run(&d, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("more: campaign_rules: expected [opt_out], got []\n"), "{out}");
    assert!(out.contains("more: use 0: the campaign is invalid, so no use is decided\n"), "{out}");
    assert!(!out.contains("campaign_warnings"), "{out}");
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
}

#[test]
fn policy_on_the_command_line_wins_and_coverage_names_untouched_rules() {
    let d = setup("tests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n");
    let (code, out, err) = run(&d, &["--policy", "policy", "--coverage"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "coverage of policy: 2 of 4 rules exercised\n  allow_contact   1 test\n  check_segments  0 tests\n\
         \x20 no_health       1 test\n  opt_out         0 tests\n2 rules not exercised by any test:\n\
         \x20 check_segments  policy/p.policy:33\n  opt_out         policy/p.policy:29\n1 passed, 0 failed\n"
    );
}

/// `--min-coverage` makes coverage a gate: below it the run fails (exit 1) and says where.
#[test]
fn min_coverage_fails_a_run_that_exercises_too_few_rules() {
    let d = setup("tests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n");
    let (code, out, err) = run(&d, &["--policy", "policy", "--min-coverage", "50"]);
    assert_eq!((code, out.as_str()), (0, "1 passed, 0 failed\n"), "{err}");
    let (code, out, _) = run(&d, &["--policy", "policy", "--min-coverage", "51"]);
    assert_eq!(code, 1);
    assert_eq!(out, "coverage of policy: 2 of 4 rules exercised, below --min-coverage 51%\n1 passed, 0 failed\n");
    let (code, _, err) = run(&d, &["--policy", "policy", "--min-coverage", "101"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn without_a_policy_the_built_in_pack_is_tested() {
    let d = temp_files(&[(
        "t.test.yaml",
        "tests:\n  - name: pack\n    campaign: { campaign: x, purpose: marketing.newsletter, basis: consent, data: [] }\n\
         \x20   expect: { campaign_rules: [child_consent_age_13_se, child_consent_age_16, consent_evidence, custom_audience_purpose, no_profiling_data_for_minors, opt_out_required, privacy_contact_required, processor_dpa_required, transfers_need_safeguards] }\n",
    )]);
    lagom().current_dir(d.path()).args(["test", "t.test.yaml"]).assert().code(0).stdout("1 passed, 0 failed\n");
}

#[test]
fn the_shipped_pack_tests_pass_and_cover_every_rule() {
    let out = lagom()
        .args(["test", "--coverage", "--min-coverage", "100", "policies/gdpr-marketing/tests"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("coverage of policies/gdpr-marketing: 80 of 80 rules exercised\n"), "{text}");
    assert!(text.contains("every rule is exercised by at least one test\n"), "{text}");
    assert!(text.ends_with(" passed, 0 failed\n"), "{text}");
}

#[test]
fn test_needs_a_path() {
    lagom().arg("test").assert().code(2);
}

/// A test file whose own `policy:` cannot be read gets one diagnostic, at its `policy:` value:
/// why the policy cannot be read, where it was named. Every test file that names it gets its own.
#[test]
fn an_unreadable_policy_is_located_at_the_test_files_policy_line() {
    let test =
        "policy: ../nowhere\ntests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    let d = setup(test);
    std::fs::write(d.path().join("tests/u.test.yaml"), test).unwrap();
    let out = lagom().current_dir(d.path()).args(["test", "tests"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.matches("lagom::io").count(), 2, "{err}");
    assert_eq!(err.matches("cannot read policy `nowhere`: no such file or directory").count(), 2, "{err}");
    assert!(err.contains("t.test.yaml:1:9]") && err.contains("u.test.yaml:1:9]"), "{err}");
    assert!(err.contains("`policy:` names a `.policy` file or a folder of them, relative to this"), "{err}");
    // The closing line counts the tests that could not run.
    assert_eq!(stdout(&out), "0 passed, 0 failed, 2 not run\n");
}

/// A policy with errors of its own is reported once, in its files, and each test file that
/// names it is pointed at its `policy:` line.
#[test]
fn an_invalid_policy_is_reported_once_and_each_test_file_points_at_it() {
    let test =
        "policy: ../bad.policy\ntests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    let d = setup(test);
    std::fs::write(d.path().join("tests/u.test.yaml"), test).unwrap();
    std::fs::write(d.path().join("bad.policy"), format!("{BASE}rule r {{\n  allow contact for nowhere\n}}\n")).unwrap();
    let out = lagom().current_dir(d.path()).args(["test", "tests"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(err.matches("[bad.policy:").count(), 1, "{err}");
    assert_eq!(err.matches("the policy of this test file is invalid").count(), 2, "{err}");
    assert!(err.contains("t.test.yaml:1:9]") && err.contains("u.test.yaml:1:9]"), "{err}");
    assert_eq!(stdout(&out), "0 passed, 0 failed, 2 not run\n");
}

/// An expectation that checks nothing is refused, as a missing one is: `expect: {}`, an empty
/// `uses`, an empty expectation for one use, or an expectation key without a value. The test is not run, the file's other tests
/// are, and the run exits 2 with the place and what to write there.
#[test]
fn an_expectation_that_checks_nothing_is_refused() {
    let d = setup(
        "policy: ../policy\ntests:\n\
         \x20 - name: empty\n    file: ../campaigns/c.yaml\n    expect: {}\n\
         \x20 - name: no uses\n    file: ../campaigns/c.yaml\n    expect: { uses: {} }\n\
         \x20 - name: empty use\n    file: ../campaigns/c.yaml\n    expect: { uses: { contact.email: {} } }\n\
         \x20 - name: only nulls\n    file: ../campaigns/c.yaml\n    expect:\n      decision: ~\n\
         \x20 - name: runs\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "1 passed, 0 failed, 4 not run\n", "{err}");
    assert_eq!(err.matches("the test expects nothing").count(), 1, "{err}");
    for (message, place, label, help) in [
        ("the test expects nothing", "t.test.yaml:5:13]", "nothing expected", "add what the campaign must come to"),
        ("`uses` names no use", "t.test.yaml:8:21]", "no use", "name a use by its position in `data`"),
        (
            "nothing is expected of `contact.email`",
            "t.test.yaml:11:38]",
            "nothing expected",
            "add the use's `decision`",
        ),
        // `decision:` with nothing after it (or `~`) is null: no value, where one was meant.
        ("`decision` has no value", "t.test.yaml:15:17]", "no value", "write the decision expected"),
    ] {
        let at = err.find(place).unwrap_or_else(|| panic!("no {place} in {err}"));
        let (before, after) = err.split_at(at);
        assert!(before.rsplit("lagom::").next().unwrap().contains(message), "{message} at {place}: {err}");
        let snippet = after.split("lagom::").next().unwrap();
        assert!(snippet.contains(label) && snippet.contains(help), "{place}: {snippet}");
    }
}

/// A file's tests each have their own name: the second of two alike is an error at its name,
/// with the first shown, and is not run. Two files may use one name.
#[test]
fn a_test_name_used_twice_in_a_file_is_an_error() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: same\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n\
         \x20 - name: same\n    file: ../campaigns/c.yaml\n    expect: { decision: allow }\n",
    );
    std::fs::write(
        d.path().join("tests/u.test.yaml"),
        "policy: ../policy\ntests:\n  - name: same\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    )
    .unwrap();
    let (code, out, err) = run(&d, &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(out, "2 passed, 0 failed, 1 not run\n", "{err}");
    assert_eq!(err.matches("lagom::duplicate").count(), 1, "{err}");
    assert!(err.contains("the test name `same` is used twice in this file"), "{err}");
    // The second is the one reported, with the first beside it.
    assert!(err.contains(" 3 │   - name: same\n   ·           ──┬─\n   ·             ╰── first named here\n"), "{err}");
    assert!(err.contains(" 6 │   - name: same\n   ·           ──┬─\n   ·             ╰── named again here\n"), "{err}");
    assert!(err.contains("give each test of a file its own name"), "{err}");
}

/// One policy file reached by several names (a symbolic link, a hard link) is one policy: its
/// coverage is counted over every test that ran against it, in one section.
#[cfg(unix)]
#[test]
fn one_policy_reached_through_links_has_one_coverage_section() {
    let by = |policy: &str, name: &str, campaign: &str, decision: &str| {
        format!("policy: {policy}\ntests:\n  - name: {name}\n    {campaign}\n    expect: {{ decision: {decision} }}\n")
    };
    let inline = "campaign: { campaign: l, purpose: marketing.newsletter, basis: consent, data: [ { category: contact.email } ] }";
    let d = temp_files(&[
        ("policy/p.policy", &format!("{BASE}{RULES}")),
        ("campaigns/c.yaml", CAMPAIGN),
        ("tests/a.test.yaml", &by("../policy/p.policy", "direct", "file: ../campaigns/c.yaml", "block")),
        ("tests/b.test.yaml", &by("linked.policy", "linked", inline, "block")),
        ("tests/c.test.yaml", &by("hard.policy", "hard", "file: ../campaigns/c.yaml", "block")),
    ]);
    std::os::unix::fs::symlink("../policy/p.policy", d.path().join("tests/linked.policy")).unwrap();
    std::fs::hard_link(d.path().join("policy/p.policy"), d.path().join("tests/hard.policy")).unwrap();
    let (code, out, err) = run(&d, &["--coverage"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "coverage of policy/p.policy: 4 of 4 rules exercised\n  allow_contact   3 tests\n  check_segments  1 test\n\
         \x20 no_health       2 tests\n  opt_out         1 test\nevery rule is exercised by at least one test\n\
         3 passed, 0 failed\n"
    );
}

/// `policy: ../p.policy` in a test folder reached through a symbolic link is the file the
/// system finds (beside the real folder), not the one that dropping a name from the link's path
/// would give: the tests of one policy must never pass against another.
#[cfg(unix)]
#[test]
fn a_policy_path_through_a_linked_folder_is_the_one_the_system_finds() {
    let test = "policy: ../p.policy\ntests:\n  - name: linked\n    campaign: { campaign: l, purpose: marketing.newsletter, basis: consent, data: [ { category: contact.email } ] }\n    expect: { decision: allow }\n";
    let d = temp_files(&[
        ("real/p.policy", &format!("{BASE}rule allow_contact {{ allow contact for marketing }}\n")),
        ("real/tests/t.test.yaml", test),
        ("other/p.policy", &format!("{BASE}rule no_contact {{ deny contact for marketing }}\n")),
    ]);
    std::os::unix::fs::symlink(d.path().join("real/tests"), d.path().join("other/tests")).unwrap();
    let out = lagom().current_dir(d.path()).args(["test", "--coverage", "other/tests"]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("1 of 1 rule exercised\n  allow_contact  1 test\n"), "{text}");
}

/// Expected rule lists are compared exactly, so a name listed twice is an error, not a pass.
#[test]
fn a_rule_listed_twice_in_an_expectation_is_an_error() {
    let d = setup("policy: ../policy\ntests:\n  - name: twice\n    file: ../campaigns/c.yaml\n    expect:\n      decision: block\n      campaign_rules: [opt_out, opt_out]\n");
    let out = lagom().current_dir(d.path()).args(["test", "tests"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`opt_out` is listed twice in `campaign_rules`"));
}

/// `-` reads a test file from standard input; its paths are relative to the current folder.
#[test]
fn a_test_file_on_standard_input_runs() {
    let d = setup("");
    let test = "policy: policy\ntests:\n  - name: piped\n    file: campaigns/c.yaml\n    expect: { decision: block }\n";
    let out = lagom().current_dir(d.path()).args(["test", "-"]).write_stdin(test).output().unwrap();
    assert_eq!(stdout(&out), "1 passed, 0 failed\n", "{}", String::from_utf8_lossy(&out.stderr));
}

/// A test file's YAML problems speak of test files, and a test file named twice runs once.
#[test]
fn an_empty_test_file_is_called_one_and_a_file_named_twice_runs_once() {
    let d = temp_files(&[("t/empty.test.yaml", "# nothing yet\n")]);
    let out = lagom().current_dir(d.path()).args(["test", "t"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("test file is empty") && err.contains("`tests:`"), "{err}");
    // An empty list tests nothing either: it must not pass as a file whose tests all pass.
    let d = temp_files(&[("t/none.test.yaml", "tests: []\n")]);
    let out = lagom().current_dir(d.path()).args(["test", "t"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the test file has no tests"));
    let d = setup(
        "policy: ../policy\ntests:\n  - name: once\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    let out =
        lagom().current_dir(d.path()).args(["test", "tests/t.test.yaml", "./tests//t.test.yaml"]).output().unwrap();
    assert_eq!(stdout(&out), "1 passed, 0 failed\n");
}

/// Standard input is not the file named `-`: `lagom test - ./-` runs both, as `check` does.
#[test]
fn standard_input_and_a_file_named_dash_are_two_test_files() {
    let d = setup("");
    let test = |name: &str| {
        format!(
            "policy: policy\ntests:\n  - name: {name}\n    file: campaigns/c.yaml\n    expect: {{ decision: block }}\n"
        )
    };
    std::fs::write(d.path().join("-"), test("from the file named -")).unwrap();
    let out = lagom().current_dir(d.path()).args(["test", "-", "./-"]).write_stdin(test("piped")).output().unwrap();
    assert_eq!(stdout(&out), "2 passed, 0 failed\n", "{}", String::from_utf8_lossy(&out.stderr));
}

/// The YAML loader speaks of test files to a test file's author, not of campaign files.
#[test]
fn yaml_problems_of_a_test_file_name_test_files() {
    let deep = format!("tests:\n  - name: deep\n    campaign: {}{}\n", "[".repeat(40), "]".repeat(40));
    let d = temp_files(&[("t/deep.test.yaml", &deep), ("t/two.test.yaml", "tests: []\n---\ntests: []\n")]);
    let out = lagom().current_dir(d.path()).args(["test", "t"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("test files need only a few levels of nesting"), "{err}");
    assert!(err.contains("a test file holds one YAML document"), "{err}");
    assert!(!err.contains("campaign file"), "{err}");
}

/// Test files in a folder are found whatever the case of their names, as campaign files are:
/// `X.TEST.YAML` is not silently left out.
#[test]
fn test_files_are_found_in_any_case() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: lower\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    let upper =
        "policy: ../policy\ntests:\n  - name: upper\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    std::fs::write(d.path().join("tests/UPPER.TEST.YAML"), upper).unwrap();
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (0, "2 passed, 0 failed\n"), "{err}");
}

/// A test file that fails as a whole is counted in the closing line: its tests as not run when
/// the file says how many it has (a misspelt top-level key, a policy path of the wrong type),
/// and the file itself when it does not (YAML that cannot be parsed, `tests` that is not a
/// list, a file that cannot be read), since a number of tests would be invented.
#[test]
fn a_test_file_that_fails_as_a_whole_is_counted_as_not_run() {
    let runs =
        "policy: ../policy\ntests:\n  - name: runs\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    let d = setup(runs);
    let misspelt =
        "polcy: ../policy\ntests:\n  - name: a\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n\
                    \x20 - name: b\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n";
    std::fs::write(d.path().join("tests/misspelt.test.yaml"), misspelt).unwrap();
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "1 passed, 0 failed, 2 not run\n"), "{err}");
    assert!(err.contains("unknown key `polcy` in a test file"), "{err}");
    // Broken YAML: how many tests it holds is unknown, so the file is what is counted.
    std::fs::write(d.path().join("tests/broken.test.yaml"), "tests:\n  - name: a\n    expect: { decision: allow\n")
        .unwrap();
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "1 passed, 0 failed, 2 not run, 1 test file not run\n"), "{err}");
    assert!(err.contains("invalid YAML") && err.contains("broken.test.yaml:3:"), "{err}");
    std::fs::write(d.path().join("tests/not_a_list.test.yaml"), "tests: { name: a }\n").unwrap();
    let (_, out, _) = run(&d, &[]);
    assert_eq!(out, "1 passed, 0 failed, 2 not run, 2 test files not run\n");
    // A named file that cannot be read, and a file on standard input that cannot be parsed.
    let out = lagom().current_dir(d.path()).args(["test", "tests/t.test.yaml", "gone.test.yaml"]).output().unwrap();
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(2), "1 passed, 0 failed, 1 test file not run\n"));
    let out = lagom().current_dir(d.path()).args(["test", "-"]).write_stdin("tests: [\n").output().unwrap();
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(2), "0 passed, 0 failed, 1 test file not run\n"));
    // A folder without test files holds no test file to count; its error says so.
    std::fs::create_dir(d.path().join("empty")).unwrap();
    let out = lagom().current_dir(d.path()).args(["test", "tests/t.test.yaml", "empty"]).output().unwrap();
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(2), "1 passed, 0 failed\n"));
}

/// An invalid policy does not hide the test file's own mistakes: both are reported.
#[test]
fn a_test_file_with_an_invalid_policy_still_reports_its_broken_tests() {
    let d = setup(
        "policy: ../bad.policy\ntests:\n  - name: typo\n    file: ../campaigns/c.yaml\n    expect: { decison: block }\n\
         \x20 - name: t\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    std::fs::write(d.path().join("bad.policy"), format!("{BASE}rule r {{\n  allow contact for nowhere\n}}\n")).unwrap();
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "0 passed, 0 failed, 2 not run\n"), "{err}");
    assert!(err.contains("the policy of this test file is invalid"), "{err}");
    assert!(err.contains("unknown key `decison` in `expect`"), "{err}");
}

/// The diagnostics of one test file come top to bottom, whatever found them: the shape of a
/// test, a rule or category its policy lacks, a campaign file that cannot be read.
#[test]
fn the_diagnostics_of_a_test_file_come_in_order_of_position() {
    let d = setup(
        "policy: ../policy\ntests:\n\
         \x20 - name: unknown rule\n    file: ../campaigns/c.yaml\n    expect: { campaign_rules: [opt_ot] }\n\
         \x20 - name: no file\n    file: ../campaigns/gone.yaml\n    expect: { decision: block }\n\
         \x20 - name: misspelt\n    file: ../campaigns/c.yaml\n    expect: { decison: block }\n\
         \x20 - name: unknown category\n    file: ../campaigns/c.yaml\n    expect: { uses: { contact.fax: { decision: allow } } }\n\
         \x20 - name: two in one line\n    file: ../campaigns/c.yaml\n    expect: { decision: alow, campain_rules: [] }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "0 passed, 0 failed, 5 not run\n"), "{err}");
    let places: Vec<(usize, usize)> = err
        .split("[tests/t.test.yaml:")
        .skip(1)
        .map(|rest| {
            let (line, rest) = rest.split_once(':').unwrap();
            let column = rest.split(']').next().unwrap();
            (line.parse().unwrap(), column.parse().unwrap())
        })
        .collect();
    assert_eq!(places, [(5, 32), (7, 11), (11, 15), (14, 23), (17, 25), (17, 31)], "{err}");
    insta::assert_snapshot!(err);
}

/// A use is named by its position in `data`, a number without quotes, or by its category. A
/// quoted number is text, which names a category, and no category is named by digits: it is an
/// error that says how to write the position, not an unknown category.
#[test]
fn a_quoted_number_as_a_use_key_is_an_error_with_help() {
    let d = setup(
        "policy: ../policy\ntests:\n\
         \x20 - name: quoted\n    file: ../campaigns/c.yaml\n    expect: { uses: { \"0\": { decision: allow } } }\n\
         \x20 - name: plain\n    file: ../campaigns/c.yaml\n    expect: { uses: { 0: { decision: allow }, \"special.health\": { decision: block } } }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "1 passed, 0 failed, 1 not run\n"), "{err}");
    assert_eq!(err.matches("lagom::").count(), 1, "{err}");
    assert!(err.contains("the use key `\"0\"` is quoted, so it names a category, not a position in `data`"), "{err}");
    assert!(err.contains("[tests/t.test.yaml:5:23]"), "{err}");
    assert!(err.contains("write `0` without quotes for the use at position 0 of `data`"), "{err}");
    assert!(!err.contains("unknown category"), "{err}");
}

/// Every mistake of a test is reported in one run: a misspelt key does not hide a misspelt
/// category beside it, and a misspelt `expect` is reported as misspelt, not also as missing.
#[test]
fn a_tests_mistakes_are_reported_in_one_run() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: both\n    file: ../campaigns/c.yaml\n    expect:\n      uses:\n\
         \x20       contact.emial: { decision: allow }\n        0: { decison: allow }\n\
         \x20 - name: expet\n    file: ../campaigns/c.yaml\n    expet: { decision: block }\n\
         \x20 - name: campain\n    campain: { campaign: x }\n    expect: { decision: block }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "0 passed, 0 failed, 3 not run\n"), "{err}");
    assert!(err.contains("× unknown category `contact.emial`"), "{err}");
    assert!(err.contains("× unknown key `decison` in a use's expectation"), "{err}");
    assert!(err.contains("× unknown key `expet` in a test"), "{err}");
    assert!(err.contains("× unknown key `campain` in a test"), "{err}");
    assert!(!err.contains("a test needs"), "{err}");
    assert_eq!(err.matches("lagom::").count(), 4, "{err}");
}

/// A test file that is not UTF-8 is located at its first bad byte, as `check` locates a
/// campaign file's, in every format.
#[test]
fn a_test_file_that_is_not_utf8_is_located_at_the_bad_byte() {
    let d = setup("tests: []\n");
    std::fs::write(d.path().join("tests/t.test.yaml"), b"tests:\n  - name: \"caf\xe9\"\n").unwrap();
    let (code, out, _) = run(&d, &["--format", "github"]);
    assert_eq!(code, 2);
    assert!(out.starts_with("::error file=tests/t.test.yaml,line=2,col=15,title=lagom%3A yaml::"), "{out}");
    let (_, _, err) = run(&d, &[]);
    assert!(err.contains("[tests/t.test.yaml:2:15]") && err.contains("invalid byte here"), "{err}");
}

/// `invalid` is what a whole campaign comes to; a use is allowed or blocked. Written for a use,
/// the help says where it goes.
#[test]
fn a_use_level_invalid_decision_is_told_where_it_belongs() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: t\n    file: ../campaigns/c.yaml\n    expect:\n      uses:\n\
         \x20       0: { decision: invalid }\n",
    );
    let (code, out, err) = run(&d, &[]);
    assert_eq!((code, out.as_str()), (2, "0 passed, 0 failed, 1 not run\n"), "{err}");
    assert!(err.contains("`invalid` is not a decision of one use"), "{err}");
    assert!(err.contains("[tests/t.test.yaml:7:24]"), "{err}");
    assert!(
        err.contains("`invalid` is a whole-campaign outcome: write `decision: invalid` directly under `expect:`"),
        "{err}"
    );
}

/// For CI: `--format github` annotates each failed expectation and each problem, and
/// `--format json` gives the same run as data; the exit codes are those of human output.
#[test]
fn test_results_as_github_annotations_and_json() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: wrong\n    file: ../campaigns/c.yaml\n    expect:\n\
         \x20     decision: allow\n  - name: typo\n    file: ../campaigns/c.yaml\n    expect: { campaign_rules: [opt_ot] }\n",
    );
    let (code, out, _) = run(&d, &["--format", "github", "--min-coverage", "100"]);
    assert_eq!(code, 2);
    assert!(out.contains("::error file=tests/t.test.yaml,line=9,col="), "{out}");
    assert!(
        out.contains("title=lagom%3A unknown_name::the policy has no rule `opt_ot` (did you mean `opt_out`?)\n"),
        "{out}"
    );
    assert!(
        out.contains("::error file=tests/t.test.yaml,line=6,col=17,title=lagom test%3A wrong::decision: expected allow, got block"),
        "{out}"
    );
    assert!(out.contains("::error title=lagom%3A min_coverage::coverage of "), "{out}");
    assert!(out.ends_with("0 passed, 1 failed, 1 not run\n"), "{out}");
    let (code, out, err) = run(&d, &["--format", "json"]);
    assert_eq!(code, 2);
    assert!(err.is_empty(), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["tests"][0]["name"], "wrong");
    assert_eq!(json["tests"][0]["result"], "fail");
    assert_eq!(json["tests"][0]["differences"][0]["line"], 6);
    assert_eq!(json["tests"][0]["differences"][0]["column"], 17);
    assert_eq!(json["errors"][0]["code"], "lagom::unknown_name");
    assert_eq!(json["summary"], serde_json::json!({"passed": 0, "failed": 1, "not_run": 1, "files_not_run": 0}));
    assert_eq!(json["coverage"][0]["rules"].as_array().map(Vec::len), Some(4));
}

/// For CI servers that read JUnit: a well-formed document with a test case per test (failing
/// with its differences at their lines), an erroring one per problem and one per policy under
/// `--min-coverage`, and counts that add up; the exit code is the human output's.
#[test]
fn test_results_as_junit() {
    use quick_xml::events::Event;
    let d = setup(
        "policy: ../policy\ntests:\n  - name: wrong <&>\n    file: ../campaigns/c.yaml\n    expect:\n\
         \x20     decision: allow\n  - name: typo\n    file: ../campaigns/c.yaml\n    expect: { campaign_rules: [opt_ot] }\n\
         \x20 - name: right\n    file: ../campaigns/c.yaml\n    expect: { decision: block }\n",
    );
    let (code, out, err) = run(&d, &["--format", "junit", "--min-coverage", "100"]);
    assert_eq!(code, 2);
    assert!(err.is_empty(), "{err}");
    let mut reader = quick_xml::Reader::from_str(&out);
    let (mut cases, mut failures, mut errors, mut texts) = (Vec::new(), 0, 0, Vec::new());
    let mut totals = None;
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("{e}: {out}")) {
            Event::Start(e) | Event::Empty(e) => {
                let attr =
                    |k: &str| e.try_get_attribute(k).ok().flatten().map(|a| a.unescape_value().unwrap().into_owned());
                match e.name().as_ref() {
                    b"testcase" => cases.push((attr("name").unwrap(), attr("line"))),
                    b"failure" => failures += 1,
                    b"error" => errors += 1,
                    b"testsuites" => totals = Some((attr("tests"), attr("failures"), attr("errors"))),
                    _ => {}
                }
            }
            Event::Text(t) => texts.push(t.unescape().unwrap().into_owned()),
            Event::Eof => break,
            _ => {}
        }
    }
    let names: Vec<&str> = cases.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[..2], ["wrong <&>", "right"], "{out}");
    assert_eq!(cases[0].1.as_deref(), Some("3"), "{out}");
    assert!(names[2].starts_with("lagom::unknown_name at tests/t.test.yaml:9:"), "{out}");
    assert!(names[3].starts_with("--min-coverage 100%"), "{out}");
    assert_eq!((failures, errors), (2, 1), "{out}");
    let counts = |n: usize| Some(n.to_string());
    assert_eq!(totals, Some((counts(4), counts(2), counts(1))), "{out}");
    assert!(texts.iter().any(|t| t.contains("tests/t.test.yaml:6:17: decision: expected allow, got block")), "{out}");
    assert!(texts.iter().any(|t| t.contains("rules exercised, below --min-coverage 100%")), "{out}");
}

/// A test's name is shown on one line: a line break in it cannot start a line of a CI log.
#[test]
fn a_line_break_in_a_test_name_stays_on_its_fail_line() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: \"x\\n::warning::pwn\"\n    file: ../campaigns/c.yaml\n    expect: { decision: allow }\n",
    );
    let (code, out, _) = run(&d, &[]);
    assert_eq!(code, 1);
    assert!(out.lines().all(|l| !l.starts_with("::")), "{out}");
    assert!(out.contains(": x\\n::warning::pwn: decision: expected allow"), "{out}");
}

/// A failing empty list is located where it is written, not at the test's name.
#[test]
fn a_failing_empty_list_is_located_at_the_list() {
    let d = setup(
        "policy: ../policy\ntests:\n  - name: none\n    file: ../campaigns/c.yaml\n    expect:\n\
         \x20     decision: block\n      uses:\n        1: { rules: [] }\n",
    );
    let (code, out, _) = run(&d, &[]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("FAIL tests/t.test.yaml:8: none: use 1 special.health: rules: expected [], got [no_health]\n"),
        "{out}"
    );
}

/// A use key naming a category through its extra parent (`under`) is told the name it has, as
/// `explain --category` and a campaign tell it (it was told only that `health_products` is
/// declared under another name).
#[test]
fn a_use_key_naming_a_category_through_an_extra_parent_is_told_its_own_name() {
    let d = temp_files(&[(
        "t.test.yaml",
        "tests:\n  - name: pack\n    campaign: { campaign: x, purpose: marketing.newsletter, basis: consent, data: [] }\n\
         \x20   expect: { uses: { special.health.health_products: { decision: block } } }\n",
    )]);
    let out = lagom().current_dir(d.path()).args(["test", "t.test.yaml"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(2), "0 passed, 0 failed, 1 not run\n"), "{err}");
    assert!(err.contains("× unknown category `special.health.health_products`"), "{err}");
    // The help is wrapped to the width of the report.
    let words = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "did you mean `behaviour.purchase_history.health_products`? It is declared under \
             `behaviour.purchase_history`, and its extra parent (`under special.health`) gives it no other name"
        ),
        "{err}"
    );
}
