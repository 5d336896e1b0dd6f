//! `lagom diff`: the pack against a copy with one rule changed reports exactly the example
//! campaigns the change affects.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{lagom, path, root, stdout};
use lagom::policy::{DurationUnit, Retention};
use lagom::source::SourceFile;
use serde_json::Value;

/// A copy of the pack with one text replaced (which must occur exactly once).
fn changed_pack(file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root().join("policies/gdpr-marketing")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|x| x == "policy") {
            let mut text = std::fs::read_to_string(&p).unwrap();
            if p.file_name().unwrap() == file {
                assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once in {file}");
                text = text.replace(from, to);
            }
            std::fs::write(dir.path().join(p.file_name().unwrap()), text).unwrap();
        }
    }
    dir
}

/// The example that is invalid on purpose, under both policies: not compared, so the run
/// exits 2.
const NOT_COMPARED: &str = "examples/campaigns/16-undeclared-category.yaml";

fn diff_json(new: &Path) -> (i32, Value) {
    let out = lagom()
        .args([
            "diff",
            "--old",
            "policies/gdpr-marketing",
            "--new",
            &path(new),
            "--format",
            "json",
            "examples/campaigns",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let not_compared: Vec<&str> =
        json["not_compared"].as_array().unwrap().iter().map(|n| n["file"].as_str().unwrap()).collect();
    assert_eq!(not_compared, [NOT_COMPARED]);
    assert_eq!(json["summary"]["not_compared"], 1);
    (out.status.code().unwrap(), json)
}

fn changed_files(json: &Value) -> BTreeSet<String> {
    json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["file"].as_str().unwrap().replace("examples/campaigns/", ""))
        .collect()
}

#[test]
fn dropping_a_category_from_an_allow_rule_reports_the_one_campaign_that_uses_it() {
    let new = changed_pack(
        "30-purpose-limitation.policy",
        "allow contact.email, identity.name, demographic.language, device.push_token",
        "allow contact.email, identity.name, device.push_token",
    );
    let (code, json) = diff_json(new.path());
    assert_eq!(code, 2, "{NOT_COMPARED} is not compared");
    assert_eq!(changed_files(&json), BTreeSet::from(["01-consent-newsletter.yaml".to_string()]));
    let c = &json["changes"][0];
    assert_eq!((c["old"]["decision"].as_str(), c["new"]["decision"].as_str()), (Some("allow"), Some("block")));
    assert_eq!(
        c["uses"],
        serde_json::json!([{
            "index": 2, "category": "demographic.language", "purpose": "marketing.newsletter",
            "old": { "decision": "allow", "rules": ["newsletter_data"], "warnings": [] },
            "new": { "decision": "block", "rules": [], "warnings": [] }
        }])
    );
    assert_eq!(
        json["summary"],
        serde_json::json!({"campaigns": 21, "changed": 1, "decisions_changed": 1, "uses_changed": 1, "use_decisions_changed": 1, "warnings_changed": 0, "not_compared": 1})
    );
}

/// Which example campaigns have a use that the shorter cap of `retain_marketing_core` newly
/// catches: contact, identity, demographic or purchase-history data for a marketing purpose,
/// kept longer than 12 months but not longer than the old 24 (longer ones were blocked by the
/// rule already). Worked out from the campaign files, not by the evaluator.
fn newly_over_12_months() -> BTreeSet<String> {
    let policy = lagom::policy::load_default().unwrap();
    let months = |n| Retention::new(n, DurationUnit::Month).unwrap();
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("examples/campaigns")).unwrap() {
        let p = entry.unwrap().path();
        let file = SourceFile::new(p.display().to_string(), std::fs::read_to_string(&p).unwrap());
        let mut sources = policy.sources.clone();
        let Ok(c) = lagom::campaign::read(sources.add(file.clone()), &file, &policy) else { continue };
        let affected = c.data.iter().any(|u| {
            let category = policy.category_path(u.category.value);
            let purpose = u.purpose.as_ref().or(c.purpose.as_ref()).map(|p| policy.purpose_path(p.value)).unwrap();
            let core = ["contact", "identity", "demographic", "behaviour.purchase_history"]
                .iter()
                .any(|root| category == *root || category.starts_with(&format!("{root}.")));
            let kept = u.retention.as_ref().map(|r| r.value);
            core && purpose.starts_with("marketing") && kept.is_some_and(|r| r > months(12) && r <= months(24))
        });
        if affected {
            out.insert(p.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn a_shorter_retention_cap_reports_exactly_the_campaigns_it_newly_catches() {
    let new = changed_pack("40-retention.policy", "for marketing at most 24 months", "for marketing at most 12 months");
    let (code, json) = diff_json(new.path());
    assert_eq!(code, 2, "{NOT_COMPARED} is not compared");
    let expected = newly_over_12_months();
    assert!(expected.len() >= 8, "the change should matter to many examples: {expected:?}");
    assert_eq!(changed_files(&json), expected);
    for c in json["changes"].as_array().unwrap() {
        for u in c["uses"].as_array().unwrap() {
            assert_eq!(u["new"]["decision"], "block");
            assert!(u["new"]["rules"].as_array().unwrap().iter().any(|r| r == "retain_marketing_core"), "{u}");
        }
    }
}

#[test]
fn the_same_policy_changes_nothing_and_the_human_report_summarises() {
    let out = lagom()
        .args(["diff", "--old", "policies/gdpr-marketing", "--new", "policies/gdpr-marketing", "examples/campaigns"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{NOT_COMPARED} is not compared");
    let text = stdout(&out);
    assert!(
        text.ends_with(
            "0 of 21 campaigns change: 0 campaign decisions, 0 uses, 0 changes of warnings; 1 input not compared\n"
        ),
        "{text}"
    );
    assert!(text.contains("(examples/campaigns/16-undeclared-category.yaml)\n    not compared: "), "{text}");
}

#[test]
fn a_campaign_on_standard_input_is_read_once_for_both_policies() {
    // Standard input can be read only once: both policies must see the same campaign.
    let campaign =
        std::fs::read_to_string(root().join("examples/campaigns/14-flash-sale-no-unsubscribe.yaml")).unwrap();
    let new = changed_pack(
        "70-transparency-rights.policy",
        "deny campaign for marketing\n  unless rights.unsubscribe",
        "warn campaign for marketing\n  unless rights.unsubscribe",
    );
    for (new, expected) in [
        (
            "policies/gdpr-marketing".to_string(),
            "0 of 1 campaign change: 0 campaign decisions, 0 uses, 0 changes of warnings\n",
        ),
        (path(new.path()), "1 of 1 campaign change: 1 campaign decision, 0 uses, 1 change of warnings\n"),
    ] {
        let out = lagom()
            .args(["diff", "--old", "policies/gdpr-marketing", "--new", &new, "-"])
            .write_stdin(campaign.clone())
            .output()
            .unwrap();
        let text = stdout(&out);
        assert!(text.ends_with(expected), "{text}");
        assert!(!text.contains("invalid"), "{text}");
    }
}

#[test]
fn the_human_report_shows_old_and_new() {
    let new = changed_pack(
        "70-transparency-rights.policy",
        "deny campaign for marketing\n  unless rights.unsubscribe",
        "warn campaign for marketing\n  unless rights.unsubscribe",
    );
    let out = lagom()
        .args([
            "diff",
            "--old",
            "policies/gdpr-marketing",
            "--new",
            &path(new.path()),
            "examples/campaigns/14-flash-sale-no-unsubscribe.yaml",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    let body: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(
        body,
        [
            "~ nordhem-flash-sale-2026-06 (examples/campaigns/14-flash-sale-no-unsubscribe.yaml)",
            "    campaign: block by opt_out_required → allow",
            // The rule now warns instead: CI with `--deny-warnings` still stops the campaign.
            "    campaign warnings: none → opt_out_required",
            "1 of 1 campaign change: 1 campaign decision, 0 uses, 1 change of warnings",
        ]
    );
}

#[test]
fn an_invalid_policy_or_a_missing_path_exits_2() {
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("p.policy"), "rule r { allow nowhere for * }\n").unwrap();
    lagom()
        .args(["diff", "--old", "policies/gdpr-marketing", "--new", &path(bad.path()), "examples/campaigns"])
        .assert()
        .code(2);
    lagom()
        .args(["diff", "--old", "policies/gdpr-marketing", "--new", "policies/gdpr-marketing", "no/such.yaml"])
        .assert()
        .code(2);
    lagom().args(["diff", "--old", "policies/gdpr-marketing", "examples/campaigns"]).assert().code(2);
}

/// Every input that cannot be compared is in the report and makes the run exit 2: a missing
/// path, a folder without campaigns, a file that is not UTF-8, an empty file, a campaign
/// invalid under both policies. A campaign valid under one policy only is a change.
#[test]
fn inputs_that_cannot_be_compared_are_reported_and_exit_2() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("empty")).unwrap();
    std::fs::write(d.path().join("bad.yaml"), b"\xff\xfe").unwrap();
    std::fs::write(d.path().join("blank.yaml"), "").unwrap();
    let ok = root().join("examples/campaigns/01-consent-newsletter.yaml");
    for (input, message) in [
        ("missing.yaml", "cannot read"),
        ("empty", "no campaign files"),
        ("bad.yaml", "is not UTF-8"),
        ("blank.yaml", "campaign file is empty"),
    ] {
        let out = lagom()
            .current_dir(d.path())
            .args(["diff", "--format", "json", "--old", &path(&root().join("policies/gdpr-marketing"))])
            .args(["--new", &path(&root().join("policies/gdpr-marketing")), &path(&ok), input])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{input}");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["summary"]["campaigns"], 1, "{input}: {json}");
        assert_eq!(json["not_compared"][0]["file"], input, "{json}");
        let error = json["not_compared"][0]["errors"][0]["message"].as_str().unwrap();
        assert!(error.contains(message), "{input}: {error}");
    }
}

#[test]
fn with_both_policies_invalid_json_is_still_one_document() {
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("old.policy"), "rule r { allow nowhere for * }\n").unwrap();
    std::fs::write(bad.path().join("new.policy"), "rule r { allow * for nothing }\n").unwrap();
    let (old, new) = (path(&bad.path().join("old.policy")), path(&bad.path().join("new.policy")));
    let out = lagom()
        .args(["diff", "--old", &old, "--new", &new, "--format", "json", "examples/campaigns"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Both policies' errors, the old one's first.
    let errors = json["policy_errors"].as_array().unwrap();
    let files: Vec<&str> = errors.iter().map(|e| e["location"]["file"].as_str().unwrap()).collect();
    assert_eq!(files, [old.as_str(), new.as_str()], "{json}");
    assert!(errors.iter().all(|e| e["code"] == "lagom::unknown_name"), "{json}");
    let sides: Vec<&str> = errors.iter().map(|e| e["policy"].as_str().unwrap()).collect();
    assert_eq!(sides, ["old", "new"], "{json}");
}

/// A small policy in a folder, with `extra` added to it.
fn small_policy(dir: &Path, name: &str, extra: &str) -> String {
    let text = format!(
        "basis consent\ncategory contact {{ category email }}\ncategory location {{ category coarse }}\n\
         purpose marketing\nrule ok {{ allow contact, location for marketing }}\n{extra}"
    );
    std::fs::write(dir.join(name), text).unwrap();
    path(&dir.join(name))
}

/// `old.policy` and `new.policy`, in which `location.coarse` is called `location.rough`.
fn coarse_renamed(dir: &Path) -> (String, String) {
    let old = small_policy(dir, "old.policy", "");
    let renamed = std::fs::read_to_string(dir.join("old.policy")).unwrap().replace("coarse", "rough");
    std::fs::write(dir.join("new.policy"), renamed).unwrap();
    (old, path(&dir.join("new.policy")))
}

/// A campaign that only one policy accepts says why, located, on the side where it is
/// invalid: in JSON under that side's `errors`, in human output beside the change and located
/// on standard error. The comparison still ran, so the run exits 0.
#[test]
fn a_campaign_invalid_on_one_side_says_why_with_its_location() {
    let d = tempfile::tempdir().unwrap();
    let (old, new) = coarse_renamed(d.path());
    let campaign = d.path().join("c.yaml");
    std::fs::write(
        &campaign,
        "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: location.coarse\n",
    )
    .unwrap();
    let out =
        lagom().args(["diff", "--old", &old, "--new", &new, "--format", "json", &path(&campaign)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let change = &json["changes"][0];
    assert_eq!(change["old"]["errors"], serde_json::json!([]), "{json}");
    assert_eq!(change["new"]["decision"], "invalid");
    let error = &change["new"]["errors"][0];
    assert_eq!(error["message"], "unknown category `location.coarse`", "{json}");
    assert_eq!((error["location"]["line"].as_u64(), error["location"]["column"].as_u64()), (Some(5), Some(15)));

    // The other way round the old side is invalid, located in the same campaign file.
    let out = lagom().args(["diff", "--old", &new, "--new", &old, &path(&campaign)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("    campaign: invalid (unknown category `location.coarse`) → allow\n"), "{text}");
    // Each use of the side that decides is listed with what allows or blocks it.
    assert!(text.contains("    use 0 location.coarse for marketing: invalid → allow by ok\n"), "{text}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("c.yaml:5:15"), "{err}");
    let uses = &change["uses"];
    assert_eq!(uses[0]["old"]["decision"], "allow", "{json}");
    assert_eq!(uses[0]["old"]["rules"], serde_json::json!(["ok"]), "{json}");
    assert_eq!(uses[0]["new"]["decision"], "invalid", "{json}");
}

/// A campaign invalid under both policies for different reasons gives both, each located in
/// its own policy's terms; the same reason under both is told once.
#[test]
fn a_campaign_invalid_under_both_policies_for_different_reasons_gives_both() {
    let d = tempfile::tempdir().unwrap();
    let (old, new) = coarse_renamed(d.path());
    let campaign = d.path().join("c.yaml");
    std::fs::write(
        &campaign,
        "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: location.rough\n  - category: location.coarse\n",
    )
    .unwrap();
    let out =
        lagom().args(["diff", "--old", &old, "--new", &new, "--format", "json", &path(&campaign)]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let not_compared = &json["not_compared"][0];
    assert_eq!(not_compared["errors"][0]["message"], "unknown category `location.coarse`", "{json}");
    assert_eq!(not_compared["old_errors"][0]["message"], "unknown category `location.rough`", "{json}");
    assert_eq!(not_compared["old_errors"][0]["location"]["line"], 5, "{json}");

    let out = lagom().args(["diff", "--old", &old, "--new", &new, &path(&campaign)]).output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(
            "    not compared: unknown category `location.coarse`\n    under the old policy: unknown category `location.rough`\n"
        ),
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    // Each side's errors come under its own heading: the old policy's first.
    let at = |needle: &str| err.find(needle).unwrap_or_else(|| panic!("no {needle:?} in {err}"));
    assert!(at("under the old policy:") < at("c.yaml:5:15"), "{err}");
    assert!(at("c.yaml:5:15") < at("under the new policy:"), "{err}");
    assert!(at("under the new policy:") < at("c.yaml:6:15"), "{err}");

    // Not YAML under either policy: one reason, no `old_errors`.
    std::fs::write(&campaign, "campaign: [\n").unwrap();
    let out =
        lagom().args(["diff", "--old", &old, "--new", &new, "--format", "json", &path(&campaign)]).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["not_compared"][0].get("old_errors").is_none(), "{json}");
    // In the human report it is told once, under no policy's heading.
    let out = lagom().args(["diff", "--old", &old, "--new", &new, &path(&campaign)]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.matches("c.yaml:1:").count(), 1, "{err}");
    assert!(!err.contains("under the"), "{err}");
}

/// CI that runs `check --deny-warnings` fails on warnings, so a change of warnings alone is a
/// change: a new warn rule is listed for each use and campaign it reaches.
#[test]
fn a_change_of_warnings_alone_is_listed() {
    let d = tempfile::tempdir().unwrap();
    let old = small_policy(d.path(), "old.policy", "");
    let new = small_policy(
        d.path(),
        "new.policy",
        "rule w { warn location for marketing }\nrule cw { warn campaign for marketing unless labels.x is set }\n",
    );
    let campaign = d.path().join("c.yaml");
    std::fs::write(
        &campaign,
        "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n  - category: location.coarse\n",
    )
    .unwrap();
    let out = lagom().args(["diff", "--old", &old, "--new", &new, &path(&campaign)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let body: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(
        body,
        [
            "~ c (".to_string() + &path(&campaign) + ")",
            "    campaign warnings: none → cw".to_string(),
            "    use 1 location.coarse for marketing warnings: none → w".to_string(),
            "1 of 1 campaign change: 0 campaign decisions, 1 use (no decision changes), 2 changes of warnings"
                .to_string(),
        ]
    );
    let out =
        lagom().args(["diff", "--old", &old, "--new", &new, "--format", "json", &path(&campaign)]).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["changes"][0]["new"]["warnings"], serde_json::json!(["cw"]));
    assert_eq!(json["changes"][0]["uses"][0]["old"]["warnings"], serde_json::json!([]));
    assert_eq!(json["changes"][0]["uses"][0]["new"]["warnings"], serde_json::json!(["w"]));
    assert_eq!(json["summary"]["warnings_changed"], 2);
}

/// Two lists of deciding rules of the same kind say what the change adds and removes, as two
/// lists of warnings do.
#[test]
fn a_change_between_two_lists_of_deciding_rules_is_marked() {
    let d = tempfile::tempdir().unwrap();
    let old = small_policy(d.path(), "old.policy", "rule a { deny location for marketing }\n");
    let new = small_policy(
        d.path(),
        "new.policy",
        "rule a { deny location for marketing }\nrule b { deny location.coarse for marketing }\n",
    );
    let campaign = d.path().join("c.yaml");
    std::fs::write(
        &campaign,
        "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: location.coarse\n",
    )
    .unwrap();
    let out = lagom().args(["diff", "--old", &old, "--new", &new, &path(&campaign)]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("    use 0 location.coarse for marketing: block by a → block by a, b (+b)\n"), "{text}");
    // The use changes, its decision does not: the summary tells them apart.
    assert!(text.ends_with("0 campaign decisions, 1 use (no decision changes), 0 changes of warnings\n"), "{text}");
}
