//! The CI formats are produced from the same decisions as the JSON output and are valid:
//! SARIF 2.1.0 structure, well-formed JUnit with the right counts, GitHub lines that parse back.

mod common;

use std::collections::BTreeMap;

use common::{check_json, lagom, stdout};
use quick_xml::events::Event;
use serde_json::Value;

fn run(format: &str) -> String {
    stdout(&lagom().args(["check", "--format", format, "examples/campaigns"]).output().unwrap())
}

/// (errors, warnings) the JSON document implies, per file.
fn expected_counts() -> BTreeMap<String, (usize, usize)> {
    let (_, json) = check_json(&["examples/campaigns"]);
    let mut out = BTreeMap::new();
    for c in json["campaigns"].as_array().unwrap() {
        let file = c["file"].as_str().unwrap().to_string();
        let uses = c["uses"].as_array().unwrap();
        let errors = uses.iter().filter(|u| u["decision"] == "block").count()
            + c["campaign_rules"].as_array().unwrap().len()
            + c["errors"].as_array().unwrap().len();
        let warnings = uses.iter().map(|u| u["warnings"].as_array().unwrap().len()).sum::<usize>()
            + c["campaign_warnings"].as_array().unwrap().len();
        out.insert(file, (errors, warnings));
    }
    out
}

#[test]
fn sarif_has_the_required_2_1_0_structure_and_one_result_per_item() {
    let doc: Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &doc["runs"][0];
    assert_eq!(run["invocations"], serde_json::json!([{ "executionSuccessful": true }]));
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "lagom");
    let rules = driver["rules"].as_array().unwrap();
    for r in rules {
        assert!(
            r["id"].is_string() && r["shortDescription"]["text"].is_string() && r["help"]["text"].is_string(),
            "{r}"
        );
    }
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for res in run["results"].as_array().unwrap() {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"], "ruleIndex points at the rule");
        assert!(res["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        let file = loc["artifactLocation"]["uri"].as_str().unwrap().to_string();
        let entry = counts.entry(file).or_default();
        match res["level"].as_str().unwrap() {
            "error" => entry.0 += 1,
            "warning" => entry.1 += 1,
            other => panic!("unexpected level {other}"),
        }
    }
    let expected: BTreeMap<_, _> = expected_counts().into_iter().filter(|(_, v)| *v != (0, 0)).collect();
    assert_eq!(counts, expected);
    // A citation travels with the rule metadata.
    let cited = rules.iter().find(|r| r["id"] == "special_never_targeting").unwrap();
    assert!(cited["help"]["text"].as_str().unwrap().contains("DSA Art. 26(3)"));
}

#[test]
fn junit_is_well_formed_with_one_case_per_campaign_and_the_right_counts() {
    let xml = run("junit");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut errors) = (0, 0, 0);
    let mut suite_attrs = BTreeMap::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                b"error" => errors += 1,
                b"testsuite" => {
                    for a in e.attributes() {
                        let a = a.unwrap();
                        suite_attrs.insert(
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            String::from_utf8_lossy(&a.value).into_owned(),
                        );
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let (_, json) = check_json(&["examples/campaigns"]);
    let s = &json["summary"];
    assert_eq!(cases, json["campaigns"].as_array().unwrap().len());
    assert_eq!(failures as u64, s["blocked"].as_u64().unwrap());
    assert_eq!(errors as u64, s["invalid"].as_u64().unwrap());
    assert_eq!(suite_attrs["tests"], cases.to_string());
    assert_eq!(suite_attrs["failures"], failures.to_string());
    assert_eq!(suite_attrs["errors"], errors.to_string());
}

fn unescape(s: &str) -> String {
    s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_annotations_parse_back() {
    let text = run("github");
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() {
            assert!(line.starts_with("lagom: "), "a plain summary line closes the output: {line}");
            break;
        }
        // GitHub shows 10 annotations of a kind per step: a notice before the summary says so.
        if line.starts_with("::notice title=lagom%3A more annotations::lagom wrote ") {
            assert!(lines.peek().is_some_and(|l| l.starts_with("lagom: ")), "{line}");
            continue;
        }
        let (kind, rest) = line.strip_prefix("::").unwrap().split_once(' ').unwrap();
        let (props, message) = rest.split_once("::").unwrap();
        let props: BTreeMap<&str, String> =
            props.split(',').map(|p| p.split_once('=').unwrap()).map(|(k, v)| (k, unescape(v))).collect();
        assert!(props["line"].parse::<usize>().unwrap() >= 1);
        assert!(props["col"].parse::<usize>().unwrap() >= 1);
        assert!(props["title"].starts_with("lagom: ") && !props["title"].contains("lagom::"), "{}", props["title"]);
        assert!(!unescape(message).is_empty());
        let entry = counts.entry(props["file"].clone()).or_default();
        match kind {
            "error" => entry.0 += 1,
            "warning" => entry.1 += 1,
            other => panic!("unexpected command {other}"),
        }
    }
    let expected: BTreeMap<_, _> = expected_counts().into_iter().filter(|(_, v)| *v != (0, 0)).collect();
    assert_eq!(counts, expected);
}

#[test]
fn every_format_is_identical_whatever_the_thread_count() {
    for format in ["human", "json", "sarif", "junit", "github"] {
        let one = lagom()
            .env("RAYON_NUM_THREADS", "1")
            .args(["check", "--format", format, "examples/campaigns"])
            .output()
            .unwrap();
        let eight = lagom()
            .env("RAYON_NUM_THREADS", "8")
            .args(["check", "--format", format, "examples/campaigns"])
            .output()
            .unwrap();
        assert_eq!(one.stdout, eight.stdout, "{format}");
    }
}

#[test]
fn an_invalid_policy_is_reported_in_every_format() {
    let dir = common::temp_files(&[("p.policy", "rule r { allow nothing for * }\n")]);
    let p = dir.path().join("p.policy");
    for format in ["json", "sarif", "junit", "github"] {
        let out =
            lagom().args(["check", "--format", format, "--policy"]).arg(&p).arg("examples/campaigns").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stdout(&out).contains("unknown category"), "{format}: {}", stdout(&out));
        if format == "sarif" {
            // A run that could not analyse anything says so, rather than look like a clean one.
            let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
            let invocation = &doc["runs"][0]["invocations"][0];
            assert_eq!(invocation["executionSuccessful"], false, "{doc}");
            let notification = &invocation["toolExecutionNotifications"][0];
            assert!(notification["message"]["text"].as_str().unwrap().contains("unknown category"), "{doc}");
            assert_eq!(notification["level"], "error");
            let region = &notification["locations"][0]["physicalLocation"]["region"];
            assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(1), Some(16)), "{doc}");
        }
    }
}

/// A file skipped for its name is a SARIF tool execution notification of level `note`, in a
/// run that succeeded: a policy file's rules are not enforced, and a log read only through
/// SARIF would not say so.
#[test]
fn skipped_files_are_sarif_notifications() {
    let policy =
        "policy \"p\"\nbasis consent\ncategory contact\npurpose marketing\nrule r { allow contact for marketing }\n";
    let campaign = "campaign: c\npurpose: marketing\nbasis: consent\ndata: []\n";
    let dir = common::temp_files(&[
        ("p/main.policy", policy),
        ("p/10-deny.polcy", "rule d { deny contact for marketing }\n"),
        ("c/a.yaml", campaign),
        ("c/b{0}.yaml.txt", campaign),
    ]);
    let out =
        lagom().current_dir(dir.path()).args(["check", "--format", "sarif", "--policy", "p", "c"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true, "{doc}");
    let notes: Vec<(&str, &str, &str)> = invocation["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["level"].as_str().unwrap(),
                n["descriptor"]["id"].as_str().unwrap(),
                n["message"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(notes.len(), 2, "{doc}");
    assert_eq!(notes[0].0, "note");
    assert_eq!(notes[0].1, "lagom::skipped_file");
    assert!(notes[0].2.starts_with("skipped `p/10-deny.polcy`: only files ending in `.policy`"), "{doc}");
    // A message text doubles its braces (SARIF 2.1.0 §3.11.5).
    assert!(notes[1].2.starts_with("skipped `c/b{{0}}.yaml.txt`: only files ending in `.yaml`"), "{doc}");
}

#[test]
fn schema_lists_the_policy_vocabulary_and_every_key_the_examples_use() {
    let out = lagom().args(["schema", "--policy", "policies/gdpr-marketing"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cat_enum = &schema["properties"]["data"]["items"]["properties"]["category"]["enum"];
    assert!(cat_enum.as_array().unwrap().iter().any(|v| v == "contact.email"));
    assert!(schema["properties"]["basis"]["enum"].as_array().unwrap().iter().any(|v| v == "consent"));
    // Each value comes with the policy's label, one description per value (`~` included), which
    // editors show beside it.
    for property in [&schema["properties"]["basis"], &schema["properties"]["data"]["items"]["properties"]["basis"]] {
        let (values, labels) = (property["enum"].as_array().unwrap(), property["enumDescriptions"].as_array().unwrap());
        assert_eq!(values.len(), labels.len());
        let consent = values.iter().position(|v| v == "consent").unwrap();
        assert_eq!(labels[consent], "Consent (GDPR Art. 6(1)(a); also ePrivacy consent)");
    }
    // Without `--policy`, the policy `check` uses: the built-in pack.
    let built_in: Value = serde_json::from_slice(&lagom().arg("schema").output().unwrap().stdout).unwrap();
    assert_eq!(built_in["properties"]["basis"]["enum"], schema["properties"]["basis"]["enum"]);
    let generic: Value =
        serde_json::from_slice(&lagom().args(["schema", "--no-policy"]).output().unwrap().stdout).unwrap();
    assert!(generic["properties"]["basis"].get("enum").is_none());
    // Every top-level key of every example is a property of the schema.
    for entry in std::fs::read_dir(common::root().join("examples/campaigns")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let Some((key, _)) = line.split_once(':') else { continue };
            let indent = key.len() - key.trim_start().len();
            let key = key.trim().trim_start_matches("- ");
            if indent == 0 && !key.is_empty() {
                assert!(schema["properties"].get(key).is_some(), "top-level key `{key}` missing from the schema");
            }
        }
    }
}

/// A key given as `~` counts as absent, so every optional key may be `null` in the schema, and
/// a required one may not; a `~` entry in `data` or `processors` makes a campaign invalid, so
/// list entries may not be `null` either (each with the loader's own answer beside it).
#[test]
fn schema_allows_null_where_the_loader_reads_absent() {
    let schema: Value = serde_json::from_slice(&lagom().arg("schema").output().unwrap().stdout).unwrap();
    let p = &schema["properties"];
    let nullable = |v: &Value| v["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "null"));
    for optional in [
        &p["name"],
        &p["audience"],
        &p["audience"]["properties"]["min_age"],
        &p["consent"]["properties"]["double_opt_in"],
    ] {
        assert!(nullable(optional), "{optional}");
    }
    let data_use = &p["data"]["items"];
    assert!(nullable(&data_use["properties"]["retention"]) && !nullable(&data_use["properties"]["category"]));
    for entry in [data_use, &p["processors"]["items"]] {
        assert!(!nullable(entry), "{entry}");
    }
    for required in ["campaign", "purpose", "basis", "data"] {
        assert!(!nullable(&p[required]), "{required}");
    }
    let head = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n";
    let d = common::temp_files(&[
        (
            "absent.yaml",
            &format!("{head}name: ~\naudience: {{min_age: ~}}\ndata:\n  - {{category: contact.email, retention: ~}}\n"),
        ),
        ("entry.yaml", &format!("{head}data:\n  - ~\n")),
    ]);
    let errors = |file: &str| {
        let (_, json) = common::check_json(&[&common::path(&d.path().join(file))]);
        json["campaigns"][0]["errors"].as_array().unwrap().len()
    };
    assert_eq!(errors("absent.yaml"), 0);
    assert_eq!(errors("entry.yaml"), 1);
}

/// Whether `lagom check` finds a campaign file holding `yaml` invalid, with its JSON report: the
/// loader's answer that the schema tests below hold the schema to.
fn loader_refuses(yaml: &str) -> (bool, Value) {
    let d = common::temp_files(&[("c.yaml", yaml)]);
    let (_, json) = common::check_json(&[&common::path(&d.path().join("c.yaml"))]);
    (json["campaigns"][0]["decision"] == "invalid", json)
}

/// Blank text, and text with a line separator or a bidirectional control, is refused by the
/// schema's pattern where the loader refuses it; text with something in it is accepted by both.
#[test]
fn schema_refuses_blank_text_as_the_loader_does() {
    use predicates::prelude::*;
    let schema: Value = serde_json::from_slice(&lagom().arg("schema").output().unwrap().stdout).unwrap();
    let p = &schema["properties"];
    let source = &p["consent"]["properties"]["source"];
    let pattern = source["pattern"].as_str().unwrap();
    assert_eq!(p["labels"]["additionalProperties"]["pattern"], pattern);
    assert_eq!(p["audience"]["properties"]["regions"]["items"]["pattern"], pattern);
    let matches = predicates::str::is_match(pattern).unwrap();
    let head = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n";
    let cases = [
        ("", true),
        (" ", true),
        ("\t", true),
        ("\u{200b}", true),
        ("\u{a0}", true),
        // Found by a red team: invisible, and read as blank by the loader (ICU's data).
        ("\u{ad}", true),
        ("\u{3164}", true),
        ("\u{2800}", true),
        ("\u{feff}", true),
        ("\u{34f}\u{fe0f}", true),
        ("a\u{202e}b", true),
        ("a\u{2028}b", true),
        (" x ", false),
        ("x\u{200e}y", false),
        ("café", false),
    ];
    for (value, refused) in cases {
        assert_eq!(!matches.eval(value), refused, "schema on {value:?}");
        let (invalid, json) =
            loader_refuses(&format!("{head}consent:\n  source: {}\n", serde_json::to_string(value).unwrap()));
        assert_eq!(invalid, refused, "loader on {value:?}: {json}");
    }
}

/// A label's name that is blank or holds a line separator is refused by the loader (no condition
/// can name it; it would reorder a report) and by the schema's `propertyNames`.
#[test]
fn schema_refuses_a_blank_label_name_as_the_loader_does() {
    use predicates::prelude::*;
    let schema: Value = serde_json::from_slice(&lagom().arg("schema").output().unwrap().stdout).unwrap();
    let pattern = schema["properties"]["labels"]["propertyNames"]["pattern"].as_str().unwrap();
    let matches = predicates::str::is_match(pattern).unwrap();
    for (name, refused) in [("brand", false), ("", true), (" ", true), ("\u{200b}", true), ("a\u{2028}b", true)] {
        assert_eq!(!matches.eval(name), refused, "schema on {name:?}");
        let (invalid, json) = loader_refuses(&format!(
            "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\nlabels:\n  {}: x\n",
            serde_json::to_string(name).unwrap()
        ));
        assert_eq!(invalid, refused, "loader on {name:?}: {json}");
    }
}

/// A campaign id with white space at either end, or an invisible character anywhere, is refused
/// by the loader (it would look like another id in every report), and by the schema.
#[test]
fn schema_refuses_an_id_with_space_around_it_as_the_loader_does() {
    use predicates::prelude::*;
    let schema: Value = serde_json::from_slice(&lagom().arg("schema").output().unwrap().stdout).unwrap();
    let patterns = schema["properties"]["campaign"]["allOf"].as_array().unwrap().clone();
    let matchers: Vec<_> =
        patterns.iter().map(|p| predicates::str::is_match(p["pattern"].as_str().unwrap()).unwrap()).collect();
    for (id, refused) in [
        ("spring", false),
        ("s", false),
        ("spring 2026", false),
        ("spring ", true),
        (" spring", true),
        ("spring\u{a0}", true),
        ("\u{200b}spring", true),
        ("", true),
        (" ", true),
        ("\u{200b}", true),
        ("spr\u{200b}ing", true),
        ("spring\u{a0}2026", true),
        ("spr\u{ef}ng", false),
        ("spri\u{308}ng", false),
    ] {
        assert_eq!(!matchers.iter().all(|m| m.eval(id)), refused, "schema on {id:?}");
        let (invalid, json) = loader_refuses(&format!(
            "campaign: {}\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n",
            serde_json::to_string(id).unwrap()
        ));
        assert_eq!(invalid, refused, "loader on {id:?}: {json}");
    }
}

#[test]
fn completions_and_man_page_come_from_the_command_definition() {
    let bash = stdout(&lagom().args(["completions", "bash"]).output().unwrap());
    for sub in ["check", "explain", "validate", "schema"] {
        assert!(bash.contains(sub), "bash completions lack `{sub}`");
    }
    let man = stdout(&lagom().arg("man").output().unwrap());
    assert!(man.contains(".TH lagom 1"));
}

/// Reports are written a chunk of campaigns at a time; across chunks they stay whole documents
/// whose parts agree (SARIF rule indices, JUnit counts, one GitHub line per item) and do not
/// depend on how many threads render the chunks.
#[test]
fn reports_of_many_campaigns_stay_consistent_across_chunks() {
    let dir = tempfile::tempdir().unwrap();
    lagom::synth::Corpus::new(100, 7).write(dir.path(), 600).unwrap();
    let policy = dir.path().join("policy");
    let campaigns = dir.path().join("campaigns");
    let report = |format: &str, threads: &str| {
        let out = lagom()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", format, "--policy"])
            .arg(&policy)
            .arg(&campaigns)
            .output()
            .unwrap();
        stdout(&out)
    };
    for format in ["sarif", "junit", "github", "json"] {
        assert_eq!(report(format, "1"), report(format, "4"), "{format}");
    }

    let json: Value = serde_json::from_str(&report("json", "2")).unwrap();
    let results = json["campaigns"].as_array().unwrap();
    assert_eq!(results.len(), 600);
    let blocked = results.iter().filter(|c| c["decision"] == "block").count();

    let sarif: Value = serde_json::from_str(&report("sarif", "2")).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: std::collections::BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rules.len(), "each rule described once");
    let sarif_results = run["results"].as_array().unwrap();
    for res in sarif_results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"], "ruleIndex points at the rule");
        for related in res["relatedLocations"].as_array().unwrap() {
            let name = related["message"]["text"].as_str().unwrap().trim_start_matches("rule `").trim_end_matches('`');
            assert!(ids.contains(name), "deciding rule {name} is described");
        }
    }

    let junit = report("junit", "2");
    assert!(junit.contains(&format!("tests=\"600\" failures=\"{blocked}\" errors=\"0\"")));
    assert_eq!(junit.matches("<testcase ").count(), 600);
    assert_eq!(junit.matches("<failure ").count(), blocked);

    let github = report("github", "2");
    let more = "::notice title=lagom%3A more annotations::";
    assert_eq!(github.lines().filter(|l| l.starts_with(more)).count(), 1, "more than GitHub shows: {github}");
    assert_eq!(github.lines().count(), sarif_results.len() + 2, "one line per item, the notice, then the summary");
}

/// Control and direction characters in campaign text (written as YAML escapes) never reach a
/// terminal, a CI log or an XML document raw: they are shown as `\u{…}`. JSON keeps the text
/// exactly, escaped by its own rules.
#[test]
fn control_characters_in_campaign_text_are_shown_as_escapes() {
    // (A bidirectional control written as an escape makes the campaign invalid: see
    // `campaign::read`.)
    let yaml = "campaign: \"a\\e[31mred\\x01b\"\npurpose: marketing.newsletter\nbasis: \"consent\\x07\"\n\
        data:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("c.yaml", yaml)]);
    let file = common::path(&dir.path().join("c.yaml"));
    let hidden = |c: char| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{202e}';
    let xml_char =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    for format in ["human", "github", "junit"] {
        let out = lagom().args(["check", "--format", format, &file]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(!text.contains(hidden), "{format}: {text:?}");
        assert!(text.contains("consent\\u{7}"), "{format}: {text}");
        if format != "github" {
            // Annotations name the file and line, not the campaign.
            assert!(text.contains("a\\u{1b}[31mred\\u{1}b"), "{format}: {text}");
        }
        assert!(text.chars().all(xml_char), "{format}");
    }
    let decided =
        "campaign: \"x\\e[2Jy\"\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("d.yaml", decided)]);
    let decided = common::path(&dir.path().join("d.yaml"));
    for command in ["check", "explain"] {
        let out = lagom().args([command, &decided]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(hidden) && text.contains("x\\u{1b}[2Jy"), "{command}: {text:?}");
    }
    let (_, json) = check_json(&[&file]);
    assert_eq!(json["campaigns"][0]["campaign"], "a\u{1b}[31mred\u{1}b");
}

/// With `--deny-warnings` a warning fails the run, and the reports say so: the warned campaign
/// is a JUnit failure, and quiet human output still shows it with its warning.
#[test]
fn reports_agree_with_deny_warnings() {
    let warned = "examples/campaigns/06-geofenced-app-offers.yaml";
    let check = |extra: &[&str]| {
        let out = lagom().arg("check").args(extra).arg(warned).output().unwrap();
        (out.status.code(), stdout(&out))
    };
    let (code, junit) = check(&["--format", "junit", "--deny-warnings"]);
    assert_eq!(code, Some(1));
    assert!(junit.contains("failures=\"1\"") && junit.contains("type=\"warning\""), "{junit}");
    let (code, junit) = check(&["--format", "junit"]);
    assert_eq!(code, Some(0));
    assert!(junit.contains("failures=\"0\"") && !junit.contains("<failure"), "{junit}");
    let (code, quiet) = check(&["--quiet", "--deny-warnings"]);
    assert_eq!(code, Some(1));
    assert!(quiet.contains("⚠ allowed") && quiet.contains("precise_location_review"), "{quiet}");
    assert!(quiet.ends_with("1 warning, which fails this run (--deny-warnings)\n"), "{quiet}");
    let (_, quiet) = check(&["--quiet"]);
    assert!(!quiet.contains("✓ allowed"), "{quiet}");
    assert!(quiet.ends_with("; 1 warning\n"), "{quiet}");
    // In a GitHub job the failure is an error annotation, not only warnings.
    let (code, github) = check(&["--format", "github", "--deny-warnings"]);
    assert_eq!(code, Some(1));
    assert!(
        github.contains("::error title=lagom%3A deny_warnings::1 warning fails this run (--deny-warnings)\n"),
        "{github}"
    );
    assert!(github.ends_with("lagom: 1 allowed, 0 blocked, 0 invalid, 1 warning\n"), "{github}");
    let (_, github) = check(&["--format", "github"]);
    assert!(!github.contains("::error"), "{github}");
}

/// A use blocked by retain rules alone is pointed at its retention, and the strictest limit
/// leads (the JSON keeps rule-id order).
#[test]
fn a_retention_block_points_at_the_retention_and_leads_with_the_strictest_limit() {
    let file = "examples/campaigns/13-loyalty-retention-too-long.yaml";
    let out = lagom().args(["check", "--format", "github", file]).output().unwrap();
    let github = stdout(&out);
    assert!(
        github.contains(&format!("::error file={file},line=31,col=16,title=lagom%3A retain_marketing_core::")),
        "{github}"
    );
    let (_, json) = check_json(&[file]);
    let blocked = &json["campaigns"][0]["uses"][2];
    assert_eq!(blocked["rules"], serde_json::json!(["retain_backstop", "retain_marketing_core"]));
}

/// One mistake copied to many uses is shown in full three times, then listed by line; the
/// JSON report keeps every one.
#[test]
fn a_repeated_campaign_error_is_folded_in_human_output_only() {
    let uses: String = (0..5).map(|_| "  - category: contact.emial\n    retention: 12 months\n").collect();
    let text = format!("campaign: c\npurpose: marketing.newsletter\nbasis: consent\nchannels: [email]\ndata:\n{uses}");
    let d = common::temp_files(&[("c.yaml", &text)]);
    let file = common::path(&d.path().join("c.yaml"));
    let human = stdout(&lagom().args(["check", &file]).output().unwrap());
    assert_eq!(human.matches("× unknown category `contact.emial`").count(), 3, "{human}");
    assert!(
        human.contains(
            "  … and 2 more like it (lagom::unknown_name): unknown category `contact.emial`; at lines 12, 14\n"
        ),
        "{human}"
    );
    let (code, json) = check_json(&[&file]);
    assert_eq!(code, 2);
    assert_eq!(json["campaigns"][0]["errors"].as_array().map(Vec::len), Some(5));
}

/// So is a blocked use or a warning copied to many uses: three thousand copies printed 273,000
/// lines. Only word-for-word repeats fold; the JSON report keeps every one.
#[test]
fn repeated_blocked_uses_and_warnings_are_folded_in_human_output_only() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule no {{ deny behavior for marketing because \"No browsing.\" }}\n\
         rule look {{ warn contact for marketing because \"Look at it.\" }}\n",
        common::BASE
    );
    let blocked: String = (0..5).map(|_| "  - category: behavior.browsing\n").collect();
    let warned: String = (0..4).map(|_| "  - category: contact.email\n").collect();
    let campaign = format!("campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n{blocked}{warned}");
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", &campaign)]);
    let human = blocked_in(dir.path(), "human");
    assert_eq!(human.matches("× behavior.browsing for marketing.newsletter is blocked").count(), 3, "{human}");
    assert!(
        human.contains(
            "  … and 2 more like it (lagom::blocked): behavior.browsing for marketing.newsletter is blocked; at lines 8, 9\n"
        ),
        "{human}"
    );
    assert_eq!(human.matches("⚠ contact.email for marketing.newsletter: Look at it.").count(), 3, "{human}");
    assert!(
        human.contains(
            "  … and 1 more like it (lagom::warning): contact.email for marketing.newsletter, warned by rule `look`; at line 13\n"
        ),
        "{human}"
    );
    assert!(human.ends_with("1 campaign: 0 allowed, 1 blocked, 0 invalid; 4 warnings\n"), "{human}");
    let json: Value = serde_json::from_str(&blocked_in(dir.path(), "json")).unwrap();
    let uses = json["campaigns"][0]["uses"].as_array().unwrap();
    assert_eq!(uses.iter().filter(|u| u["decision"] == "block").count(), 5);
    // Uses that differ (another category) are not folded together.
    let mixed = campaign.replacen("behavior.browsing", "behavior.purchase_history", 1);
    std::fs::write(dir.path().join("c.yaml"), mixed).unwrap();
    let human = blocked_in(dir.path(), "human");
    assert!(human.contains("× behavior.purchase_history for marketing.newsletter is blocked"), "{human}");
    assert!(human.contains("  … and 1 more like it (lagom::blocked): behavior.browsing for marketing.newsletter is blocked; at line 9\n"), "{human}");
}

/// A campaign read from standard input has no file in the repository: its GitHub annotations
/// are unplaced and say where they are instead of pointing at `file=-`.
#[test]
fn github_annotations_of_standard_input_name_it_in_the_message() {
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.emial\n";
    let out = lagom().args(["check", "--format", "github", "-"]).write_stdin(campaign).output().unwrap();
    let github = stdout(&out);
    assert!(!github.contains("file=-"), "{github}");
    assert!(
        github.starts_with("::error title=lagom%3A unknown_name::standard input, line 5, column 15: unknown category"),
        "{github}"
    );
}

/// Its SARIF results say so too, and keep a location (GitHub's upload refuses a whole log with
/// a result that has none). A path typed with `//` or `./` is named as the repository names
/// the file.
#[test]
fn sarif_results_of_standard_input_say_so_and_paths_are_tidied() {
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.emial\n";
    let out = lagom().args(["check", "--format", "sarif", "-"]).write_stdin(campaign).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "-", "{result}");
    assert_eq!(artifact["description"]["text"], "standard input", "{result}");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(text.starts_with("standard input, line 5, column 15: unknown category"), "{text}");
    // No address of a project page that does not exist.
    assert!(doc["runs"][0]["tool"]["driver"].get("informationUri").is_none());

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("c")).unwrap();
    std::fs::write(dir.path().join("c/x.yaml"), campaign).unwrap();
    let github =
        lagom().current_dir(dir.path()).args(["check", "--format", "github", "c//", "./c/./x.yaml"]).output().unwrap();
    let github = stdout(&github);
    assert!(github.starts_with("::error file=c/x.yaml,line=5,col=15,"), "{github}");
}

/// `check --format FORMAT --policy p.policy c.yaml` in `dir`, which must block: its output.
fn blocked_in(dir: &std::path::Path, format: &str) -> String {
    let out = lagom()
        .current_dir(dir)
        .args(["check", "--format", format, "--policy", "p.policy", "c.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}");
    stdout(&out)
}

/// Spec 1 and 3.1: every explanation of a rule gives its `because` and `cite`, and one that
/// rests on a missing fact names it. The line formats (SARIF, JUnit, GitHub) gave the
/// `because` alone.
#[test]
fn line_formats_give_the_cite_and_the_missing_fact() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule owner_named {{ deny campaign for marketing when owner == nobody \
         because \"Name the owner.\" cite \"GDPR Art. 30(1)\" }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    for format in ["sarif", "junit", "github"] {
        let text = blocked_in(dir.path(), format);
        assert!(text.contains("Name the owner. (GDPR Art. 30(1))"), "{format}: {text}");
        assert!(text.contains("the campaign does not declare `owner`, so the rule applies"), "{format}: {text}");
    }
}

/// A campaign-level rule that applied on the campaign's facts is reported where the campaign
/// states them (`unsubscribe: false`, the processor outside the EEA), not at the campaign's
/// first line; one that applied for a missing fact stays at the campaign's id.
#[test]
fn campaign_level_findings_point_at_the_facts_that_made_them_apply() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule opt_out {{ deny campaign for marketing unless rights.unsubscribe because \"Offer an opt-out.\" }}\n\
         rule transfers {{ deny campaign for * when any processors (region != SE) because \"Keep data in Sweden.\" }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nrights:\n  unsubscribe: false\n\
                    processors:\n  - name: A\n    region: SE\n  - name: B\n    region: US\n\
                    data:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let run = |format: &str| blocked_in(dir.path(), format);
    let github = run("github");
    assert!(github.contains("::error file=c.yaml,line=5,col=16,title=lagom%3A opt_out::"), "{github}");
    assert!(github.contains("::error file=c.yaml,line=10,col=13,title=lagom%3A transfers::"), "{github}");
    let human = run("human");
    assert!(human.contains(" 5 │   unsubscribe: false\n"), "{human}");
    assert!(human.contains("the rule applies because of this"), "{human}");
    // JSON gives the same places as `evidence` (a finding's `location` is its rule's).
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let findings = json["campaigns"][0]["campaign_findings"].as_array().unwrap();
    let opt_out = findings.iter().find(|f| f["rule"] == "opt_out").unwrap();
    assert_eq!(opt_out["evidence"], serde_json::json!([{ "file": "c.yaml", "line": 5, "column": 16 }]));
    assert_eq!(opt_out["location"]["file"], "p.policy");
    // Declared nothing: the rule applies for a missing fact, which has no line of its own.
    let missing = campaign.replace("rights:\n  unsubscribe: false\n", "");
    std::fs::write(dir.path().join("c.yaml"), missing).unwrap();
    let github = run("github");
    assert!(github.contains("::error file=c.yaml,line=1,col=11,title=lagom%3A opt_out::"), "{github}");
}

/// A rule that applied for a missing fact beside stated ones points at the stated ones: the
/// processor in `se` (not `SE`) whose safeguard is missing was shown at the campaign's id, and
/// its help asked first for the safeguard, which the fix does not need.
#[test]
fn a_finding_on_a_missing_fact_points_at_the_stated_facts_beside_it() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule transfers {{ deny campaign for * when any processors (region not in eea and safeguard != scc) because \"Safeguard it.\" }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n\
                    processors:\n  - name: A\n    region: SE\n  - name: B\n    region: se\n\
                    data:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let github = blocked_in(dir.path(), "github");
    assert!(github.contains("::error file=c.yaml,line=8,col=13,title=lagom%3A transfers::"), "{github}");
    let human = blocked_in(dir.path(), "human");
    assert!(human.contains(" 8 │     region: se\n"), "{human}");
    let respelt = human.find("the campaign writes `se` where the policy writes `SE`").unwrap();
    let missing = human.find("the campaign does not declare `processors[1].safeguard`").unwrap();
    assert!(respelt < missing, "{human}");
    // With nothing stated beside the missing fact, the finding is at the first processor it
    // is missing from; with no element to point at, at the campaign's id.
    let only_missing = policy.replace("region not in eea and safeguard != scc", "safeguard != scc");
    std::fs::write(dir.path().join("p.policy"), only_missing).unwrap();
    let github = blocked_in(dir.path(), "github");
    assert!(github.contains("::error file=c.yaml,line=5,col=5,title=lagom%3A transfers::"), "{github}");
    let no_list = policy.replace("any processors (region not in eea and safeguard != scc)", "consent.source != x");
    std::fs::write(dir.path().join("p.policy"), no_list).unwrap();
    let github = blocked_in(dir.path(), "github");
    assert!(github.contains("::error file=c.yaml,line=1,col=11,title=lagom%3A transfers::"), "{github}");
}

/// The formats that give an error one line name the other places it points at: where a
/// duplicate key was first written (SARIF has it as a related location).
#[test]
fn line_formats_name_where_a_duplicate_key_was_first_written() {
    let dir = common::temp_files(&[(
        "c.yaml",
        "campaign: c\npurpose: marketing.newsletter\nbasis: consent\npurpose: marketing.offers\ndata: []\n",
    )]);
    for format in ["github", "junit"] {
        let out = lagom().current_dir(dir.path()).args(["check", "--format", format, "c.yaml"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        let text = stdout(&out);
        assert!(text.contains("duplicate mapping key: purpose"), "{format}: {text}");
        assert!(text.contains("[first written here: line 2, column 1]"), "{format}: {text}");
    }
}

/// A use blocked by a rule that applies because of a campaign fact (`owner: growth`, far from
/// the use) is shown at the use, and the fact is named too: in JSON as the finding's
/// `evidence`, in human output as a snippet of its own. It was named nowhere, so the line to
/// change was never shown.
#[test]
fn a_blocked_use_names_the_campaign_fact_its_rule_rests_on() {
    let policy = format!(
        "{}rule growth_no_contact {{ deny contact for marketing when owner == growth because \"Not for growth.\" }}\n",
        common::BASE
    );
    let filler: String = (0..12).map(|i| format!("# note {i}\n")).collect();
    let campaign =
        format!("campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: growth\n{filler}data:\n  - category: contact.email\n");
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", &campaign)]);
    let json: Value = serde_json::from_str(&blocked_in(dir.path(), "json")).unwrap();
    let finding = &json["campaigns"][0]["uses"][0]["findings"][0];
    assert_eq!(finding["rule"], "growth_no_contact");
    assert_eq!(finding["evidence"], serde_json::json!([{ "file": "c.yaml", "line": 4, "column": 8 }]));
    // Every other format keeps the finding at the use.
    let github = blocked_in(dir.path(), "github");
    assert!(github.contains("::error file=c.yaml,line=18,col=15,title=lagom%3A growth_no_contact::"), "{github}");
    let human = blocked_in(dir.path(), "human");
    let at_use = human.find("18 │   - category: contact.email").unwrap();
    let fact = human.find("☞ the rule applies because of this").unwrap();
    assert!(at_use < fact && human[fact..].contains(" 4 │ owner: growth\n"), "{human}");
}

/// A campaign value that the policy spells otherwise (`se` for `SE`, `One-click link` for
/// `one-click-link`) takes no part in the policy's lists, as values are compared exactly; the
/// finding it leads to says so, whether the rule applied on the facts or for a missing one.
#[test]
fn a_value_spelt_otherwise_than_the_policy_is_named_in_the_finding() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule transfers {{ deny campaign for * when any processors (region not in eea and safeguard not in [scc]) }}\n\
         rule withdrawal {{ deny campaign for * when consent.withdrawal not in [one-click-link] }}\n",
        common::BASE
    );
    let campaign =
        "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nconsent:\n  withdrawal: One-click link\n\
                    processors:\n  - name: A\n    region: se\ndata:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let github = blocked_in(dir.path(), "github");
    let line = |rule: &str| github.lines().find(|l| l.contains(&format!("title=lagom%3A {rule}::"))).unwrap_or("");
    assert!(
        line("transfers")
            .contains("the campaign writes `se` where the policy writes `SE`: values are compared exactly"),
        "{github}"
    );
    assert!(line("transfers").contains("does not declare `processors[0].safeguard`"), "{github}");
    assert!(
        line("withdrawal").contains("the campaign writes `One-click link` where the policy writes `one-click-link`")
    );
    let human = blocked_in(dir.path(), "human");
    assert!(human.contains("the campaign writes `se` where the policy writes `SE`"), "{human}");
    // A value that is simply another one is not a respelling.
    std::fs::write(dir.path().join("c.yaml"), campaign.replace("region: se", "region: US")).unwrap();
    let github = blocked_in(dir.path(), "github");
    let transfers = github.lines().find(|l| l.contains("title=lagom%3A transfers::")).unwrap_or("");
    assert!(
        transfers.contains("processors[0].safeguard") && !transfers.contains("where the policy writes"),
        "{github}"
    );
}

/// A label given under a name the policy writes otherwise (`TIA:` where rules read
/// `labels.tia`) is named by the finding that asks for the label: the warning only said to
/// record it in `labels.tia`, and the marketer believed it recorded.
#[test]
fn a_label_name_spelt_otherwise_is_named_by_the_finding_that_asks_for_it() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule tia {{ deny campaign for * when labels.tia is not set }}\n",
        common::BASE
    );
    let campaign =
        "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nlabels:\n  TIA: TIA-1\n  Reviews: R-1\n\
                    data:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let github = blocked_in(dir.path(), "github");
    assert!(
        github.contains(
            "the campaign writes the label `TIA` where the policy reads `labels.tia`: label names are compared \
             exactly (they differ in case)"
        ),
        "{github}"
    );
    let (_, json) = common::check_json(&[
        "--policy",
        &common::path(&dir.path().join("p.policy")),
        &common::path(&dir.path().join("c.yaml")),
    ]);
    let respellings = &json["campaigns"][0]["campaign_findings"][0]["respellings"];
    assert_eq!(respellings[0]["written"], "TIA", "{json}");
    assert_eq!(respellings[0]["label_name"], true, "{json}");
    assert_eq!(respellings.as_array().map(Vec::len), Some(1), "`Reviews` is no label the rule reads: {json}");
    // Given under the policy's name too, it is found, and nothing is named.
    std::fs::write(dir.path().join("c.yaml"), campaign.replace("  Reviews", "  tia: TIA-1\n  Reviews")).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// A per-use finding names a respelt value too (`source: Website` for `website`); an allow
/// that applied does not.
#[test]
fn a_use_blocked_on_a_value_spelt_otherwise_names_it() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing when source != Website }}\n\
         rule own_sources {{ deny * for marketing when source not in [website, webshop] because \"Own sites only.\" }}\n",
        common::BASE
    );
    let campaign =
        "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n    \
                    source: website\n  - category: contact.phone\n    source: Website\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let github = blocked_in(dir.path(), "github");
    let lines: Vec<&str> = github.lines().filter(|l| l.starts_with("::error")).collect();
    assert_eq!(lines.len(), 1, "{github}");
    assert!(lines[0].contains("line=7"), "{github}");
    assert!(
        lines[0].contains("Own sites only. The campaign writes `Website` where the policy writes `website`"),
        "{github}"
    );
    let (_, json) = common::check_json(&[
        "--policy",
        &common::path(&dir.path().join("p.policy")),
        &common::path(&dir.path().join("c.yaml")),
    ]);
    assert_eq!(json["campaigns"][0]["uses"][0]["decision"], "allow", "{json}");
}

/// A campaign value spelt otherwise than every text the policy compares its field with is a
/// note in every format, at the value, naming the rules that look for the policy's spelling;
/// it changes neither the decision, nor the warnings, nor the exit code (not even with
/// `--deny-warnings`). A value one comparison matches exactly, or that a finding names
/// already, is no note.
#[test]
fn a_value_no_comparison_matches_as_written_is_a_note_in_every_format() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule reuse {{ warn * for marketing when source in [support, billing] }}\n\
         rule sweden {{ warn campaign for * when audience.regions overlaps [SE] }}\n\
         rule us {{ deny campaign for * when any processors (region == US) }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\naudience:\n  regions: [se, DK]\n\
                    processors:\n  - name: A\n    region: us\ndata:\n  - category: contact.email\n    source: Support\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let run = |args: &[&str]| {
        let out = lagom()
            .current_dir(dir.path())
            .args(["check", "--policy", "p.policy", "c.yaml"])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), stdout(&out))
    };
    let (code, json) = run(&["--format", "json", "--deny-warnings"]);
    assert_eq!(code, Some(0), "{json}");
    let json: Value = serde_json::from_str(&json).unwrap();
    let c = &json["campaigns"][0];
    assert_eq!(c["decision"], "allow");
    assert_eq!(json["summary"]["warnings"], 0);
    let notes: Vec<(String, String, String, u64)> = c["respellings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap().to_string();
            (text("field"), text("written"), text("meant"), n["location"]["line"].as_u64().unwrap())
        })
        .collect();
    let expected = [
        ("audience.regions", "se", "SE", 5),
        ("processors.region", "us", "US", 8),
        ("source", "Support", "support", 11),
    ];
    assert_eq!(notes, expected.map(|(f, w, m, l)| (f.to_string(), w.to_string(), m.to_string(), l)), "{json}");
    assert_eq!(c["respellings"][2]["rules"], serde_json::json!(["reuse"]));

    let (_, github) = run(&["--format", "github"]);
    assert!(github.contains("::notice file=c.yaml,line=11,col=13,title=lagom%3A respelling::`Support` does not match `support`, which rule `reuse` compares `source` with"), "{github}");
    let (_, sarif) = run(&["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{sarif}");
    assert!(results.iter().all(|r| r["level"] == "note" && r["ruleId"] == "lagom::respelling"), "{sarif}");
    let (_, junit) = run(&["--format", "junit"]);
    assert!(junit.contains("failures=\"0\"") && junit.contains("[lagom::respelling]"), "{junit}");
    assert!(github.ends_with("0 warnings, 3 values spelt otherwise than the policy\n"), "{github}");
    let (_, human) = run(&[]);
    assert!(human.ends_with("0 warnings; 3 values spelt otherwise than the policy\n"), "{human}");

    // Matched exactly by one comparison: no note. Named in the finding of a rule that
    // applied: said there, not twice.
    let exact = campaign.replace("regions: [se, DK]", "regions: [SE]").replace("source: Support", "source: support");
    std::fs::write(dir.path().join("c.yaml"), exact.replace("region: us", "region: US")).unwrap();
    let (code, json) = run(&["--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    assert!(!json.contains("\"respellings\""), "{json}");
    let named = campaign.replace("source: Support", "source: support").replace("region: us", "region: se");
    std::fs::write(dir.path().join("c.yaml"), named).unwrap();
    std::fs::write(dir.path().join("p.policy"), policy.replace("(region == US)", "(region not in [SE])")).unwrap();
    let (code, json) = run(&["--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    let json: Value = serde_json::from_str(&json).unwrap();
    let fields: Vec<&str> =
        json["campaigns"][0]["respellings"].as_array().unwrap().iter().map(|n| n["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["audience.regions"], "{json}");
    let finding = &json["campaigns"][0]["campaign_findings"][0];
    assert_eq!(finding["respellings"][0]["written"], "se", "{json}");
    assert_eq!(finding["respellings"][0]["location"]["line"], 8, "{json}");
    // `--quiet` shows a blocked campaign with its notes: one may be why a rule did not apply.
    let (_, quiet) = run(&["--quiet"]);
    assert!(quiet.contains("lagom::respelling") && quiet.contains("`se` does not match `SE`"), "{quiet}");
    let (_, github) = run(&["--format", "github"]);
    assert!(
        github.contains("title=lagom%3A us::")
            && github.contains("the campaign writes `se` where the policy writes `SE`"),
        "{github}"
    );
    assert_eq!(github.matches("::notice").count(), 1, "{github}");
}

/// Beyond the first three, a campaign's spelling notes are listed by line in human output, as
/// repeated problems are; JSON keeps every one.
#[test]
fn many_spelling_notes_are_listed_by_line_in_human_output() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\nrule owners {{ warn * for * when owner in [a1, a2] or labels.x == b or labels.y == c or labels.z == d }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: A1\nlabels:\n  x: B\n  y: C\n  z: D\ndata:\n  - category: contact.email\n";
    let dir = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let human = stdout(&out);
    assert_eq!(human.matches("lagom::respelling\n").count(), 3, "{human}");
    assert!(
        human.contains("  … and 1 more value spelt otherwise than the policy (lagom::respelling), at line 8\n"),
        "{human}"
    );
    let (_, json) = check_json(&[
        "--policy",
        &common::path(&dir.path().join("p.policy")),
        &common::path(&dir.path().join("c.yaml")),
    ]);
    assert_eq!(json["campaigns"][0]["respellings"].as_array().map(Vec::len), Some(4), "{json}");
}

/// A warning about a use is at the same place in every format: the use's category (or what made
/// the rule apply). The line formats put it where the use's block was, at the retention when
/// retain rules alone block it.
#[test]
fn a_warning_is_at_the_same_line_in_every_format() {
    let policy = format!(
        "{}rule ok {{ allow contact for marketing }}\n\
         rule keep {{ retain contact for marketing at most 12 months }}\n\
         rule careful {{ warn contact.email for marketing }}\n",
        common::BASE
    );
    let campaign = "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n    retention: 24 months\n";
    let d = common::temp_files(&[("p.policy", &policy), ("c.yaml", campaign)]);
    let github = blocked_in(d.path(), "github");
    assert!(github.contains("::error file=c.yaml,line=6,"), "the block is at the retention: {github}");
    assert!(github.contains("::warning file=c.yaml,line=5,col=15,title=lagom%3A careful::"), "{github}");
    let human = lagom().current_dir(d.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    let human = stdout(&human);
    let warning = human.find("⚠").unwrap_or_else(|| panic!("{human}"));
    assert!(human[warning..].contains("[c.yaml:5:15]"), "{human}");
}

/// A folder without campaign files is an error about the folder, which SARIF names as `./`
/// (GitHub refuses a whole log with an empty `uri`) and GitHub leaves unplaced (`file=` empty
/// names no file); the message names the folder.
#[test]
fn an_empty_folder_is_named_in_sarif_and_unplaced_in_github() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = lagom().current_dir(dir.path()).args(["check", "--format", "sarif", "."]).output().unwrap();
    assert_eq!(sarif.status.code(), Some(2));
    let doc: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "./", "{result}");
    let github = lagom().current_dir(dir.path()).args(["check", "--format", "github", "."]).output().unwrap();
    let github = stdout(&github);
    assert!(github.starts_with("::error title=lagom%3A io::no campaign files"), "{github}");
    assert!(!github.contains("file="), "{github}");
}

/// A file named `-` (`./-`) is told apart from standard input in SARIF (no `description`, no
/// `standard input` in the message) and JUnit (its class is the file, standard input's is
/// `standard input`).
#[test]
fn a_file_named_dash_is_not_standard_input() {
    let campaign = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.emial\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("-"), campaign).unwrap();
    let sarif = lagom().current_dir(dir.path()).args(["check", "--format", "sarif", "./-"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "-", "{result}");
    assert!(artifact.get("description").is_none(), "{result}");
    assert!(result["message"]["text"].as_str().unwrap().starts_with("unknown category"), "{result}");

    let junit = |args: &[&str], stdin: &str| {
        let out = lagom().current_dir(dir.path()).args(args).write_stdin(stdin.to_string()).output().unwrap();
        stdout(&out)
    };
    let file = junit(&["check", "--format", "junit", "./-"], "");
    assert!(file.contains("file=\"./-\""), "{file}");
    assert!(file.contains(">./-:5:15: [lagom::unknown_name]"), "{file}");
    let piped = junit(&["check", "--format", "junit", "-"], campaign);
    assert!(piped.contains("file=\"standard input\""), "{piped}");
    assert!(piped.contains(">standard input:5:15: [lagom::unknown_name]"), "{piped}");
}

/// File names that are not UTF-8 are told apart from names that hold the text of their escape:
/// JSON shows a backslash of a name as `\\` and a byte as `\xff`, in byte order of the names
/// (spec 4.1); SARIF percent-encodes the bytes; GitHub names the file it can and leaves the one
/// it cannot (not UTF-8) unplaced, named in the message.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_told_apart_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let campaign = |id: &str| {
        format!("campaign: {id}\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.emial\n")
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    for (name, id) in [(&b"\\xffname.yaml"[..], "text"), (b"\xffname.yaml", "byte"), (b"zz.yaml", "z")] {
        std::fs::write(d.join(std::ffi::OsStr::from_bytes(name)), campaign(id)).unwrap();
    }
    let (_, json) = {
        let out = lagom().current_dir(dir.path()).args(["check", "--format", "json", "d"]).output().unwrap();
        (out.status.code(), serde_json::from_slice::<Value>(&out.stdout).unwrap())
    };
    let files: Vec<(&str, &str)> = json["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["file"].as_str().unwrap(), c["campaign"].as_str().unwrap()))
        .collect();
    // `\` (0x5C) < `z` < 0xFF.
    assert_eq!(files, [("d/\\\\xffname.yaml", "text"), ("d/zz.yaml", "z"), ("d/\\xffname.yaml", "byte")]);

    let out = lagom().current_dir(dir.path()).args(["check", "--format", "sarif", "d"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uris: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["d/%5Cxffname.yaml", "d/zz.yaml", "d/%FFname.yaml"]);

    let out = lagom().current_dir(dir.path()).args(["check", "--format", "github", "d"]).output().unwrap();
    let github = stdout(&out);
    let lines: Vec<&str> = github.lines().collect();
    assert!(lines[0].starts_with("::error file=d/\\xffname.yaml,line=5,"), "{github}");
    assert!(
        lines[2].starts_with("::error title=lagom%3A unknown_name::`d/\\xffname.yaml`, line 5, column 15: "),
        "{github}"
    );
}

/// One rule per format for odd characters in file names. GitHub: the file's own name, with
/// GitHub's `%0A` for a line break and a line separator or bidirectional control as it is; a
/// name with ESC, which GitHub cannot be given, is unplaced and named in the message as an
/// escape. JUnit: every name as the report's lines show text, `\n` and `\u{2028}` alike.
#[cfg(unix)]
#[test]
fn odd_characters_in_file_names_follow_one_rule_per_format() {
    let blocked = "campaign: ID\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.emial\n";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    for (name, id) in [
        ("a\u{1b}[31mred.yaml", "a"),
        ("b\u{2028}sep.yaml", "b"),
        ("c\u{202e}rvs.yaml", "c"),
        ("n\nl.yaml", "n\u{2028}x"),
    ] {
        std::fs::write(d.join(name), blocked.replace("ID", &format!("\"{id}\""))).unwrap();
    }
    let run = |format: &str| {
        stdout(&lagom().current_dir(dir.path()).args(["check", "--format", format, "d"]).output().unwrap())
    };
    let github = run("github");
    let lines: Vec<&str> = github.lines().collect();
    assert!(
        lines[0].starts_with("::error title=lagom%3A unknown_name::`d/a\\u{1b}[31mred.yaml`, line 5, column 15: "),
        "{github}"
    );
    assert!(!github.contains('\u{1b}'), "{github}");
    assert!(lines[1].starts_with("::error file=d/b\u{2028}sep.yaml,line=5,"), "{github}");
    assert!(lines[2].starts_with("::error file=d/c\u{202e}rvs.yaml,line=5,"), "{github}");
    assert!(github.contains("::error file=d/n%0Al.yaml,line=5,"), "{github}");

    let junit = run("junit");
    assert!(junit.contains("classname=\"lagom.check\""), "{junit}");
    assert!(junit.contains("file=\"d/a\\u{1b}[31mred.yaml\""), "{junit}");
    assert!(junit.contains("file=\"d/b\\u{2028}sep.yaml\""), "{junit}");
    assert!(junit.contains("file=\"d/n\\nl.yaml\""), "{junit}");
    assert!(junit.contains("name=\"n\\u{2028}x\""), "{junit}");
    assert!(!junit.contains("&#10;") && !junit.contains('\u{2028}') && !junit.contains('\u{1b}'), "{junit}");
}

/// Campaigns held in memory (a service's requests) are checked as files are: the JSON report of
/// the example campaigns given as names and bytes is the one `lagom check` writes for the files,
/// byte for byte; a text over the size limit is invalid, as a file would be.
#[test]
fn campaigns_in_memory_report_as_the_same_files_do() {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir("examples/campaigns")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| (p.to_string_lossy().replace('\\', "/"), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    let policy = lagom::eval::CompiledPolicy::new(lagom::policy::load_default().unwrap());
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let in_memory = lagom::report::json::render(&policy, &lagom::batch::check_in_memory(&policy, &named));
    let out = lagom().args(["check", "--format", "json", "examples/campaigns"]).output().unwrap();
    assert_eq!(in_memory, stdout(&out));
    let huge = vec![b'#'; 5 * 1024 * 1024];
    let batch = lagom::batch::check_in_memory(&policy, &[("huge.yaml", &huge)]);
    let lagom::batch::Verdict::Invalid(problems) = &batch.results[0].verdict else { panic!("decided") };
    assert_eq!(problems[0].code.as_str(), "lagom::limit");
}
