//! Behaviour through the binary: exit codes, inputs, JSON shape, determinism.

mod common;

use common::{check_json, lagom, path, stdout, temp_files, BASE};
use serde_json::Value;
use sha2::{Digest, Sha256};

const ALLOW: &str = "rule allow_contact {\n  allow contact for marketing\n}\n";

fn policy_and(campaigns: &[(&str, &str)]) -> tempfile::TempDir {
    let text = format!("{BASE}{ALLOW}");
    let mut files = vec![("p.policy", text.as_str())];
    files.extend_from_slice(campaigns);
    temp_files(&files)
}

const OK: &str = "campaign: ok\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
const BLOCKED: &str =
    "campaign: no\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: behavior.browsing\n";

/// No PATH is a usage error (spec 4); the policy is still loaded first, so an invalid one is
/// reported too, and a JSON reader gets the `policy_errors` document.
#[test]
fn check_without_campaigns_is_a_usage_error_that_still_reports_the_policy() {
    let usage = "error: the following required arguments were not provided:\n  <PATH>...";
    let out = lagom().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(usage));
    let d = temp_files(&[("bad.policy", "category c\nrule r { allow c for }\n")]);
    let out =
        lagom().current_dir(d.path()).args(["check", "--format", "json", "--policy", "bad.policy"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["policy_errors"][0]["location"]["line"], 2, "{json}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(usage));
}

#[test]
fn exit_codes_follow_the_worst_campaign() {
    let d = policy_and(&[("c/ok.yaml", OK), ("c/no.yaml", BLOCKED), ("c/bad.yaml", "campaign: [")]);
    let p = path(&d.path().join("p.policy"));
    let ok = path(&d.path().join("c/ok.yaml"));
    let no = path(&d.path().join("c/no.yaml"));
    lagom().args(["check", "--policy", &p, &ok]).assert().code(0);
    lagom().args(["check", "--policy", &p, &ok, &no]).assert().code(1);
    lagom().args(["check", "--policy", &p, &path(&d.path().join("c"))]).assert().code(2);
}

#[test]
fn a_missing_path_fails_after_everything_else_is_reported() {
    let d = policy_and(&[("ok.yaml", OK)]);
    let (code, json) = check_json(&[
        "--policy",
        &path(&d.path().join("p.policy")),
        &path(&d.path().join("ok.yaml")),
        "no/such/file.yaml",
    ]);
    assert_eq!(code, 2);
    let c = json["campaigns"].as_array().unwrap();
    assert!(c.iter().any(|c| c["campaign"] == "ok" && c["decision"] == "allow"));
    assert!(c.iter().any(|c| c["file"] == "no/such/file.yaml" && c["decision"] == "invalid"));
}

#[test]
fn standard_input_is_one_campaign() {
    let d = policy_and(&[]);
    let out = lagom()
        .args(["check", "--format", "json", "--policy", &path(&d.path().join("p.policy")), "-"])
        .write_stdin(OK)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"][0]["file"], "-");
    assert_eq!(json["campaigns"][0]["campaign"], "ok");
}

#[test]
fn a_named_file_is_read_whatever_its_extension_and_directories_only_take_yaml() {
    let d = policy_and(&[("c/ok.txt", OK), ("c/no.yml", BLOCKED), ("c/notes.md", "not yaml")]);
    let p = path(&d.path().join("p.policy"));
    let (_, json) = check_json(&["--policy", &p, &path(&d.path().join("c"))]);
    let ids: Vec<&str> =
        json["campaigns"].as_array().unwrap().iter().map(|c| c["campaign"].as_str().unwrap()).collect();
    assert_eq!(ids, ["no"]);
    let (code, _) = check_json(&["--policy", &p, &path(&d.path().join("c/ok.txt"))]);
    assert_eq!(code, 0);
}

/// A file below a folder named like a campaign under another extension (`.yaml.txt`, as
/// some editors save, `.yam`, a `.yml.bak` copy) is not checked, as spec 4 reads `*.yaml` and
/// `*.yml` only, but it is not skipped without a word: a note on standard error names it.
/// Other files are passed over silently, and the report itself does not change.
#[test]
fn files_named_like_campaigns_under_another_extension_are_noted() {
    let d = policy_and(&[
        ("c/ok.yaml", OK),
        ("c/spring.yaml.txt", BLOCKED),
        ("c/sub/summer.YAM", BLOCKED),
        ("c/old.yml.bak", BLOCKED),
        ("c/notes.md", "not yaml"),
    ]);
    let out = lagom()
        .current_dir(d.path())
        .args(["check", "--format", "json", "--policy", "p.policy", "c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"].as_array().map(Vec::len), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let noted: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note: skipped")).collect();
    assert_eq!(
        noted.iter().map(|l| l.split('`').nth(1).unwrap_or("")).collect::<Vec<_>>(),
        ["c/old.yml.bak", "c/spring.yaml.txt", "c/sub/summer.YAM"],
        "{stderr}"
    );
    assert!(noted[0].ends_with("only files ending in `.yaml` or `.yml` are campaigns; rename it to have it checked"));
    // A link that leads nowhere under such a name is skipped as the file would be, and one
    // under any other name is passed over; under a campaign's name it is an error.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere", d.path().join("c/gone.yaml.txt")).unwrap();
        std::os::unix::fs::symlink("nowhere", d.path().join("c/README.md")).unwrap();
        let run = || lagom().current_dir(d.path()).args(["check", "--policy", "p.policy", "c"]).output().unwrap();
        let out = run();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("note: skipped `c/gone.yaml.txt`"));
        std::os::unix::fs::symlink("nowhere", d.path().join("c/gone.yaml")).unwrap();
        assert_eq!(run().status.code(), Some(2));
    }
}

#[test]
fn directories_include_hidden_and_ignored_files() {
    // Spec 4: a directory means every campaign file below it; a dotfile must not be able to
    // take a blocked campaign out of the gate.
    let secret = BLOCKED.replace("campaign: no", "campaign: secret");
    let hidden = BLOCKED.replace("campaign: no", "campaign: hidden");
    let d = policy_and(&[
        ("c/.gitignore", "ignored/\nsecret.yaml\n"),
        ("c/.ignore", "*.yml\n"),
        ("c/ok.yaml", OK),
        ("c/ignored/no.yaml", BLOCKED),
        ("c/secret.yaml", &secret),
        ("c/.hidden/h.yml", &hidden),
        // A name that is only the extension: `Path::extension` gives it none.
        ("c/sub/.yaml", &BLOCKED.replace("campaign: no", "campaign: dot-yaml")),
    ]);
    let (code, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("c"))]);
    assert_eq!(code, 1);
    let mut ids: Vec<&str> =
        json["campaigns"].as_array().unwrap().iter().map(|c| c["campaign"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["dot-yaml", "hidden", "no", "ok", "secret"]);
}

/// A file a folder's walk passes over for its name but that is also named on the command line
/// is checked, and no note calls it skipped (nor a SARIF notification); a file passed over in
/// a folder named twice is noted once.
#[test]
fn a_file_named_on_the_command_line_is_not_noted_as_skipped() {
    let d = policy_and(&[("c/ok.yaml", OK), ("c/spring.yaml.txt", BLOCKED), ("c/old.yml.bak", BLOCKED)]);
    let run = |args: &[&str]| {
        let out = lagom().current_dir(d.path()).args(["check", "--policy", "p.policy"]).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, stderr) = run(&["c", "c/spring.yaml.txt", "./c"]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("✗ blocked  no (c/spring.yaml.txt)"), "{stdout}");
    let noted: Vec<&str> = stderr.lines().filter(|l| l.starts_with("note: skipped")).collect();
    assert_eq!(noted.len(), 1, "{stderr}");
    assert!(noted[0].starts_with("note: skipped `./c/old.yml.bak`"), "{stderr}");
    let (_, sarif, _) = run(&["--format", "sarif", "c", "c/spring.yaml.txt"]);
    assert_eq!(sarif.matches("lagom::skipped_file").count(), 1, "{sarif}");
    assert!(sarif.contains("skipped `c/old.yml.bak`") && !sarif.contains("skipped `c/spring.yaml.txt`"), "{sarif}");
}

#[test]
fn json_output_has_the_shape_of_spec_4_1() {
    let d = policy_and(&[("ok.yaml", OK)]);
    let (_, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("ok.yaml"))]);
    assert_eq!(json["version"], 1);
    assert_eq!(json["policy"]["name"], "test base");
    assert_eq!(json["policy"]["version"], "1");
    assert!(json["policy"]["digest"].as_str().unwrap().starts_with("sha256:"));
    let c = &json["campaigns"][0];
    for key in ["file", "campaign", "decision", "uses", "campaign_rules", "campaign_warnings", "errors"] {
        assert!(c.get(key).is_some(), "campaign lacks `{key}`");
    }
    let u = &c["uses"][0];
    for key in ["index", "category", "purpose", "basis", "decision", "rules", "warnings", "findings"] {
        assert!(u.get(key).is_some(), "use lacks `{key}`");
    }
    assert_eq!(u["category"], "contact.email");
    assert_eq!(u["purpose"], "marketing.newsletter");
    assert_eq!(u["basis"], "consent");
    let f = &u["findings"][0];
    assert_eq!(f["rule"], "allow_contact");
    assert_eq!(f["effect"], "allow");
    assert_eq!(f["severity"], "info");
    assert_eq!(f["cite"], Value::Null);
    assert_eq!(f["location"]["file"], path(&d.path().join("p.policy")));
    assert_eq!(f["location"]["line"], 23);
    assert_eq!(f["location"]["column"], 6);
    assert_eq!(json["summary"], serde_json::json!({"allowed": 1, "blocked": 0, "invalid": 0, "warnings": 0}));
}

#[test]
fn the_digest_hashes_relative_paths_and_bytes() {
    let d = temp_files(&[("pol/b.policy", "purpose marketing\n"), ("pol/a/a.policy", "category contact\n")]);
    let (_, json) = check_json(&["--policy", &path(&d.path().join("pol")), &path(&d.path().join("none.yaml"))]);
    let mut h = Sha256::new();
    for (rel, text) in [("a/a.policy", "category contact\n"), ("b.policy", "purpose marketing\n")] {
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(json["policy"]["digest"], format!("sha256:{hex}"));
    assert_eq!(json["policy"]["name"], Value::Null);
}

#[test]
fn an_invalid_policy_gives_policy_errors_with_both_places_of_a_duplicate() {
    let text = format!("{BASE}rule r {{ allow contact for marketing }}\nrule r {{ deny contact for marketing }}\n");
    let d = temp_files(&[("p.policy", &text), ("ok.yaml", OK)]);
    let (code, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("ok.yaml"))]);
    assert_eq!(code, 2);
    assert!(json.get("campaigns").is_none(), "nothing is evaluated");
    let e = &json["policy_errors"][0];
    assert_eq!(e["location"]["line"], 24);
    assert_eq!(e["related"]["line"], 23);
    assert!(e["message"].as_str().unwrap().contains("`r`"));
}

#[test]
fn duplicate_campaign_ids_invalidate_every_file_and_name_the_others() {
    let d = policy_and(&[("a.yaml", OK), ("b.yaml", OK)]);
    let (code, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(d.path())]);
    assert_eq!(code, 2);
    for c in json["campaigns"].as_array().unwrap() {
        assert_eq!(c["decision"], "invalid");
        let other = if c["file"].as_str().unwrap().ends_with("a.yaml") { "b.yaml" } else { "a.yaml" };
        assert!(c["errors"][0]["message"].as_str().unwrap().contains(other), "{c}");
        // Spec 4.1: the later file's error relates to the earlier file's id (not its first
        // line); the earlier file's has no earlier place to relate to.
        let related = &c["errors"][0]["related"];
        match other {
            "a.yaml" => {
                assert!(related["file"].as_str().unwrap().ends_with(other), "{c}");
                assert_eq!((related["line"].as_u64(), related["column"].as_u64()), (Some(1), Some(11)), "{c}");
            }
            _ => assert!(related.is_null(), "{c}"),
        }
    }
}

/// Spec 4.1: a duplicate's `related` is an earlier place, in byte order of the paths (the first
/// file, `f1.yaml`, for every later one; `f10.yaml` sorts before `f2.yaml`), never a later one.
#[test]
fn a_duplicate_id_relates_to_the_first_file_and_the_first_file_to_none() {
    let files: Vec<(String, &str)> = (1..=12).map(|i| (format!("f{i}.yaml"), OK)).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let d = policy_and(&refs);
    let (_, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(d.path())]);
    let related: Vec<(String, Option<String>)> = json["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let name = |v: &serde_json::Value| v.as_str().map(|f| f.rsplit('/').next().unwrap().to_string());
            (name(&c["file"]).unwrap(), name(&c["errors"][0]["related"]["file"]))
        })
        .collect();
    assert_eq!(related[0], ("f1.yaml".to_string(), None));
    assert_eq!(related[1], ("f10.yaml".to_string(), Some("f1.yaml".to_string())));
    assert!(related[1..].iter().all(|(_, r)| r.as_deref() == Some("f1.yaml")), "{related:?}");
}

/// A file's problems are in order of position, the duplicate id among them: it was put first,
/// before a missing key at 1:1.
#[test]
fn a_duplicate_id_is_in_position_order_with_the_file_s_other_problems() {
    let no_purpose = OK.lines().filter(|l| !l.starts_with("purpose:")).collect::<Vec<_>>().join("\n") + "\n";
    let d = policy_and(&[("a.yaml", &no_purpose), ("b.yaml", OK)]);
    let (_, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(d.path())]);
    let a = json["campaigns"].as_array().unwrap().iter().find(|c| c["file"].as_str().unwrap().ends_with("a.yaml"));
    let codes: Vec<&str> =
        a.unwrap()["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["lagom::missing_key", "lagom::duplicate_campaign"], "{json}");
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let text = format!("{BASE}{ALLOW}rule careful {{ warn contact.email for marketing }}\n");
    let d = temp_files(&[("p.policy", &text), ("ok.yaml", OK)]);
    let p = path(&d.path().join("p.policy"));
    let c = path(&d.path().join("ok.yaml"));
    lagom().args(["check", "--policy", &p, &c]).assert().code(0);
    lagom().args(["check", "--deny-warnings", "--policy", &p, &c]).assert().code(1);
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let d = policy_and(&[("ok.yaml", OK)]);
    let out = d.path().join("report.json");
    lagom()
        .args(["check", "--format", "json", "--output", &path(&out), "--policy"])
        .arg(d.path().join("p.policy"))
        .arg(d.path().join("ok.yaml"))
        .assert()
        .code(0)
        .stdout("");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(json["summary"]["allowed"], 1);
}

/// A human report file left from an earlier run is replaced by the policy errors of this one.
#[test]
fn an_invalid_policy_replaces_an_earlier_human_report_file() {
    let d = policy_and(&[("ok.yaml", OK), ("bad.policy", "rule r { allow nowhere for * }\n")]);
    let out = d.path().join("report.txt");
    let run = |policy: &str| {
        lagom()
            .args(["check", "--output", &path(&out), "--policy"])
            .arg(d.path().join(policy))
            .arg(d.path().join("ok.yaml"))
            .output()
            .unwrap()
    };
    assert_eq!(run("p.policy").status.code(), Some(0));
    assert!(std::fs::read_to_string(&out).unwrap().contains("1 allowed"));
    let second = run("bad.policy");
    assert_eq!(second.status.code(), Some(2));
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(!report.contains("allowed") && report.contains("nowhere"), "{report}");
    assert!(String::from_utf8_lossy(&second.stderr).contains("nowhere"));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        lagom()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "json", "examples/campaigns"])
            .output()
            .unwrap()
    };
    let one = run("1");
    let eight = run("8");
    assert_eq!(stdout(&one), stdout(&eight));
    assert!(!stdout(&one).is_empty());
}

#[test]
fn human_output_has_no_colour_without_a_terminal_and_ends_with_a_summary() {
    let d = policy_and(&[("ok.yaml", OK), ("no.yaml", BLOCKED)]);
    let out = lagom()
        .env_remove("NO_COLOR")
        .args(["check", "--policy", &path(&d.path().join("p.policy")), &path(d.path())])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "no ANSI escapes when not on a terminal");
    assert!(text.contains("no rule allows behavior.browsing for marketing.newsletter"), "{text}");
    assert!(text.trim_end().ends_with("2 campaigns: 1 allowed, 1 blocked, 0 invalid; 0 warnings"), "{text}");
}

#[test]
fn quiet_shows_only_what_needs_attention() {
    let d = policy_and(&[("ok.yaml", OK), ("no.yaml", BLOCKED)]);
    let out =
        lagom().args(["check", "-q", "--policy", &path(&d.path().join("p.policy")), &path(d.path())]).output().unwrap();
    let text = stdout(&out);
    assert!(!text.contains("✓ allowed"), "{text}");
    assert!(text.contains("✗ blocked"), "{text}");
}

#[test]
fn validate_reports_policy_errors_with_exit_2() {
    let d = temp_files(&[("p.policy", "category a under b\n")]);
    let out = lagom().args(["validate", "--policy", &path(&d.path().join("p.policy"))]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown category `b`"), "{err}");
}

/// A policy without rules is valid, and `validate` says what it means: every use is blocked.
#[test]
fn a_policy_without_rules_is_valid_and_said_to_block_everything() {
    let d = temp_files(&[("p.policy", "# rules to come\n")]);
    let out = lagom().args(["validate", "--policy", &path(&d.path().join("p.policy"))]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains(": 0 rules, 0 categories, 0 purposes ("), "{text}");
    assert!(text.ends_with("; with no rules, every use is blocked by default\n"), "{text}");
}

#[test]
fn several_policy_arguments_form_one_policy() {
    let d = temp_files(&[("vocab.policy", BASE), ("rules.policy", ALLOW), ("ok.yaml", OK)]);
    let (code, json) = check_json(&[
        "--policy",
        &path(&d.path().join("vocab.policy")),
        "--policy",
        &path(&d.path().join("rules.policy")),
        &path(&d.path().join("ok.yaml")),
    ]);
    assert_eq!(code, 0, "{json}");
}

#[test]
fn the_order_of_campaign_arguments_never_changes_the_output() {
    let files: Vec<String> = std::fs::read_dir(common::root().join("examples/campaigns"))
        .unwrap()
        .map(|e| format!("examples/campaigns/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    let mut reversed = sorted.clone();
    reversed.reverse();
    let run = |args: &[String]| lagom().args(["check", "--format", "json"]).args(args).output().unwrap().stdout;
    assert_eq!(run(&sorted), run(&reversed));
}

#[test]
fn a_directory_without_campaigns_fails_closed() {
    let d = policy_and(&[("empty/notes.txt", "nothing")]);
    let (code, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("empty"))]);
    assert_eq!(code, 2);
    assert!(json["campaigns"][0]["errors"][0]["message"].as_str().unwrap().contains("no campaign files"));
}

/// A reader that goes away (`lagom fmt - | head -1`) makes the write fail: exit 2 with one
/// line saying so, never a panic. The output is larger than a pipe holds, so the failure does
/// not depend on timing.
#[test]
fn a_closed_standard_output_is_an_error_not_a_panic() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let rules: String = (0..4000).map(|i| format!("rule r{i} {{ allow contact for marketing }}\n")).collect();
    let policy = format!("{BASE}{rules}");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lagom"))
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.stdin.take().unwrap().write_all(policy.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.trim().starts_with("error: cannot write to standard output: "), "{stderr}");
}

/// Help and version text that cannot be written fail the run as a report would: clap's own
/// printing dropped the failed write and exited 0.
#[test]
fn help_and_version_that_cannot_be_written_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("read-only");
    std::fs::write(&file, "").unwrap();
    for args in [&["--help"][..], &["help", "check"], &["check", "--help"], &["-V"]] {
        // Standard output open for reading only: every write fails with EBADF.
        let stdout = std::fs::File::open(&file).unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("lagom"))
            .args(args)
            .stdout(stdout)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: cannot write to standard output: "), "{args:?}: {stderr}");
        // Written, the same text exits 0.
        let out = lagom().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}

/// A campaign written for another policy, checked without `--policy`, is told which policy
/// named its unknown names; with `--policy` nothing is added.
#[test]
fn an_invalid_campaign_under_the_built_in_pack_says_which_policy_was_used() {
    let d = policy_and(&[("c.yaml", "campaign: c\npurpose: promo\nbasis: consent\ndata: []\n")]);
    let out = lagom().current_dir(d.path()).args(["check", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("note: checked against the built-in policy `lagom GDPR marketing"), "{err}");
    let out = lagom().current_dir(d.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Slips on the command line get the command meant: a policy path without `--policy` for
/// `validate`, a percentage with a fraction for `--min-coverage`.
#[test]
fn command_line_slips_are_told_what_to_write() {
    let out = lagom().args(["validate", "policies/x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tip: a policy to validate is given with `--policy`: `lagom validate --policy policies/x`"),
        "{err}"
    );
    // Each path as one shell word: `;`, `*`, `~`, `#` and brackets mean something to a shell.
    let out = lagom().args(["validate", "pol;icy*", "~/my#p", "a(b)"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`lagom validate --policy 'pol;icy*' --policy '~/my#p' --policy 'a(b)'`"), "{err}");
    let out = lagom().args(["test", "--min-coverage", "44.4", "x.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a whole percentage from 0 to 100 is expected, e.g. `90`"), "{err}");
}

/// A closed standard error (`lagom check dir 2>&1 >/dev/null | head -0`) loses the notes about
/// skipped files but never panics: the run still decides and exits as its campaigns say.
#[test]
fn a_closed_standard_error_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let d = policy_and(&[("c/ok.yaml", OK), ("c/ok.yaml.bak", OK)]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lagom"))
        .current_dir(d.path())
        .args(["check", "--policy", "p.policy", "c"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn one_file_under_several_spellings_is_checked_once() {
    let d = policy_and(&[("c/ok.yaml", OK)]);
    let out = lagom()
        .current_dir(d.path())
        .args(["check", "--format", "json", "--policy", "p.policy", "c/ok.yaml", "./c/ok.yaml", "c//ok.yaml", "./c"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"].as_array().unwrap().len(), 1);
    assert_eq!(json["campaigns"][0]["file"], "./c/ok.yaml");
}

/// A directory's campaign files are found whatever the case of their extension: a campaign
/// named `X.YAML` must not pass the gate unread.
#[test]
fn campaign_files_are_found_whatever_the_case_of_their_extension() {
    let d = policy_and(&[
        ("c/a.YAML", OK),
        ("c/b.Yml", &OK.replace("campaign: ok", "campaign: ok2")),
        ("c/notes.txt", "x"),
    ]);
    let (_, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("c"))]);
    assert_eq!(json["campaigns"].as_array().unwrap().len(), 2, "{json}");
}

/// A report never replaces a campaign file nor lands where the next run would read it as one;
/// `--output -` is standard output.
#[test]
fn the_report_never_replaces_or_becomes_a_campaign() {
    let d = policy_and(&[("c/ok.yaml", OK)]);
    let run = |args: &[&str]| {
        let out = lagom().current_dir(d.path()).args(["check", "--policy", "p.policy"]).args(args).output().unwrap();
        (out.status.code(), stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for target in ["c/ok.yaml", "./c//ok.yaml", "c/report.yml"] {
        let (code, _, err) = run(&["--output", target, "c"]);
        assert_eq!(code, Some(2), "{target}");
        assert!(err.contains("would replace a campaign or policy file, or be read as one"), "{target}: {err}");
    }
    // Named like a campaign or policy, anywhere: another folder's campaign this run does not read.
    std::fs::write(d.path().join("other.yaml"), OK).unwrap();
    for target in ["other.yaml", "new.YML", "p2.policy"] {
        let (code, _, err) = run(&["--output", target, "c/ok.yaml"]);
        assert_eq!(code, Some(2), "{target}");
        assert!(err.contains("would replace a campaign or policy file, or be read as one"), "{target}: {err}");
    }
    // A name like a report's that leads to a campaign, and a file named only `.yaml`.
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.path().join("other.yaml"), d.path().join("out.json")).unwrap();
    // A hard link to a campaign of another folder, under a report's name.
    std::fs::hard_link(d.path().join("other.yaml"), d.path().join("hard.json")).unwrap();
    #[cfg(unix)]
    for target in ["out.json", ".yaml", "hard.json"] {
        let (code, _, err) = run(&["--output", target, "c/ok.yaml"]);
        assert_eq!(code, Some(2), "{target}: {err}");
    }
    assert_eq!(std::fs::read_to_string(d.path().join("other.yaml")).unwrap(), OK);
    assert!(!d.path().join("new.YML").exists());
    assert_eq!(std::fs::read_to_string(d.path().join("c/ok.yaml")).unwrap(), OK);
    assert!(!d.path().join("c/report.yml").exists());
    let (code, out, _) = run(&["--output", "c/report.json", "c"]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    let (code, out, _) = run(&["--output", "-", "c"]);
    assert_eq!(code, Some(0));
    assert!(out.ends_with("1 campaign: 1 allowed, 0 blocked, 0 invalid; 0 warnings\n"), "{out}");
    assert!(!d.path().join("-").exists());
}

/// Other names for a file the run reads are refused too: a hard link to a campaign, a symbolic
/// link in a campaign folder pointing at the report, and the policy's own files (before the
/// policy is loaded, so an invalid policy's report does not replace them either).
#[test]
fn the_report_never_replaces_a_file_by_another_name_or_a_policy_file() {
    let d = policy_and(&[("c/ok.yaml", OK), ("bad.policy", "rule {")]);
    std::fs::hard_link(d.path().join("c/ok.yaml"), d.path().join("hard.json")).unwrap();
    let other = OK.replace("campaign: ok", "campaign: other");
    // A link inside the campaign folder is read as a campaign (one leading out of it is not).
    std::fs::write(d.path().join("c/elsewhere.txt"), &other).unwrap();
    std::os::unix::fs::symlink("elsewhere.txt", d.path().join("c/link.yaml")).unwrap();
    // A link to a campaign file that does not exist yet: writing it would create one.
    std::os::unix::fs::symlink("c/new.yaml", d.path().join("dangling.json")).unwrap();
    let policy = std::fs::read_to_string(d.path().join("p.policy")).unwrap();
    let run = |args: &[&str]| {
        let out = lagom().current_dir(d.path()).arg("check").args(args).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for (policy_arg, target) in [
        ("p.policy", "hard.json"),
        ("p.policy", "c/elsewhere.txt"),
        ("p.policy", "dangling.json"),
        ("p.policy", "p.policy"),
        (".", "new.policy"),
        ("bad.policy", "bad.policy"),
        ("bad.policy", "hard.json"),
    ] {
        let (code, err) = run(&["--policy", policy_arg, "--format", "json", "--output", target, "c"]);
        assert_eq!(code, Some(2), "{target}: {err}");
        assert!(err.contains("would replace a campaign or policy file"), "{target}: {err}");
    }
    assert_eq!(std::fs::read_to_string(d.path().join("c/ok.yaml")).unwrap(), OK);
    assert_eq!(std::fs::read_to_string(d.path().join("c/elsewhere.txt")).unwrap(), other);
    assert_eq!(std::fs::read_to_string(d.path().join("p.policy")).unwrap(), policy);
    assert_eq!(std::fs::read_to_string(d.path().join("bad.policy")).unwrap(), "rule {");
    assert!(!d.path().join("new.policy").exists());
    assert!(!d.path().join("c/new.yaml").exists());
    let (code, err) = run(&["--policy", "p.policy", "--output", "report.json", "c"]);
    assert_eq!(code, Some(0), "{err}");
}

/// Paths that are not spellings of one another still lead to one file: an absolute and a
/// relative path, a symbolic link and a linked folder. The file is checked once, not twice
/// with a duplicate id.
#[test]
fn one_file_reached_by_other_paths_is_checked_once() {
    let d = policy_and(&[("c/ok.yaml", OK)]);
    std::os::unix::fs::symlink("ok.yaml", d.path().join("c/link.yaml")).unwrap();
    std::os::unix::fs::symlink("c", d.path().join("also")).unwrap();
    let absolute = d.path().join("c/ok.yaml");
    let out = lagom()
        .current_dir(d.path())
        .args(["check", "--format", "json", "--policy", "p.policy", "c", "also", &path(&absolute)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = json["campaigns"].as_array().unwrap().iter().map(|c| c["file"].as_str().unwrap()).collect();
    assert_eq!(files, [path(&absolute).as_str()], "the first name in byte order");
}

/// A campaign-level rule that holds at one purpose and is only unknown at another is reported
/// where it holds: its finding does not blame a missing fact the decision did not rely on.
#[test]
fn a_campaign_rule_is_reported_where_its_condition_holds() {
    let policy = "basis consent\ncategory contact\npurpose zeta { purpose x }\npurpose alpha { purpose y }\n\
                  rule a1 { allow * for * }\nrule dc { deny campaign for * when purpose == zeta.x or rights.unsubscribe }\n";
    let campaign = "campaign: c\npurpose: zeta.x\nbasis: consent\ndata:\n  - category: contact\n    purpose: alpha.y\n";
    let d = temp_files(&[("p.policy", policy), ("c.yaml", campaign)]);
    let (code, json) = check_json(&["--policy", &path(&d.path().join("p.policy")), &path(&d.path().join("c.yaml"))]);
    assert_eq!(code, 1);
    let finding = &json["campaigns"][0]["campaign_findings"][0];
    assert_eq!(finding["rule"], "dc");
    assert_eq!(finding["unknown"], serde_json::json!([]), "{finding}");
}

/// `schema` takes `--max-file-size` like every command that reads policy files, as the help of
/// the limit error says.
#[test]
fn schema_takes_the_policy_size_limit_its_error_names() {
    // About 1.5 MiB: over a 1 MiB limit, under a 2 MiB one.
    let padding: String = (0..20_000).map(|i| format!("# padding line {i:06} {}\n", "x".repeat(60))).collect();
    let d = temp_files(&[("big.policy", &format!("{BASE}{ALLOW}{padding}"))]);
    let p = path(&d.path().join("big.policy"));
    let out = lagom().args(["schema", "--policy", &p, "--max-file-size", "1"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("lagom::limit") && err.contains("big.policy` is larger than 1 MiB"), "{err}");
    assert!(err.contains("raise the limit with `--max-file-size`"), "{err}");
    let out = lagom().args(["schema", "--policy", &p, "--max-file-size", "2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["description"].as_str().unwrap().contains("test base"), "{schema}");
    // A limit of 0 would refuse every file, each with an error of its own: a usage error instead.
    let out = lagom().args(["schema", "--policy", &p, "--max-file-size", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 is not in 1.."), "{out:?}");
    assert!(out.stdout.is_empty());
}

/// `lagom man` is the whole manual in one page: every subcommand with every option its `--help`
/// lists, and no reference to a page lagom does not produce (such as `lagom-check(1)`).
#[test]
fn the_man_page_documents_every_subcommand_and_names_no_missing_page() {
    let out = lagom().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let roff = stdout(&out);
    assert!(roff.contains(".TH lagom 1 "), "{roff}");
    // The text a reader sees, near enough: fonts and escaped hyphens undone.
    let page = ["\\fB", "\\fI", "\\fR"].iter().fold(roff.replace("\\-", "-"), |t, f| t.replace(f, ""));
    let help = stdout(&lagom().arg("--help").output().unwrap());
    let commands: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(commands.len() >= 9 && commands.contains(&"schema"), "{help}");
    // Each subcommand's subsection: from its heading to the next heading.
    let section = |name: &str| -> &str {
        let heading = format!(".SS \"lagom {name}\"\n");
        let from = page.find(&heading).unwrap_or_else(|| panic!("no section for {name}:\n{page}")) + heading.len();
        let rest = &page[from..];
        &rest[..[".SS ", ".SH "].iter().filter_map(|h| rest.find(h)).min().unwrap_or(rest.len())]
    };
    for name in &commands {
        let text = section(name);
        let sub_help = stdout(&lagom().args([name, "--help"]).output().unwrap());
        let options = sub_help
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('-'))
            .filter_map(|l| l.split([' ', ',']).find(|w| w.starts_with("--")));
        for option in options {
            assert!(text.contains(option), "`lagom {name}` lacks {option} in the man page:\n{text}");
        }
    }
    for (name, option) in [
        ("check", "--deny-warnings"),
        ("check", "--format"),
        ("validate", "--deny-warnings"),
        ("diff", "--format"),
        ("schema", "--max-file-size"),
        ("fmt", "--max-file-size"),
    ] {
        assert!(section(name).contains(option), "`lagom {name}` lacks {option}");
    }
    // Every `name(section)` reference names the one page lagom produces.
    let bytes = page.as_bytes();
    for (i, _) in page.match_indices('(') {
        let digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit) && bytes.get(i + 2) == Some(&b')');
        let start = page[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).map_or(0, |s| s + 1);
        if digit && start < i {
            assert_eq!(&page[start..i + 3], "lagom(1)", "a reference to a page lagom does not produce");
        }
    }
    assert!(!page.contains("lagom-"), "{page}");
}

/// An empty folder named three ways (relative, `./`, absolute) is one folder: reported once,
/// as one file named three ways is read once.
#[cfg(unix)]
#[test]
fn an_empty_folder_named_several_ways_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let absolute = path(&dir.path().join("empty"));
    let out = lagom()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "empty/", "./empty", &absolute])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"].as_array().unwrap().len(), 1, "{json}");
}
