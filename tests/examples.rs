//! The shipped example campaigns decide exactly what their `# expect:` comments say, under the
//! built-in policy (that the policy validates without warnings is `tests/validate.rs`).

mod common;

use std::collections::BTreeSet;

use common::{check_json, root};
use serde_json::Value;

struct Expectation {
    decision: String,
    rules: Option<BTreeSet<String>>,
    warnings: Option<BTreeSet<String>>,
}

fn names(line: &str) -> BTreeSet<String> {
    if line.trim() == "none" {
        return BTreeSet::new();
    }
    line.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn expectation(text: &str) -> Expectation {
    let mut e = Expectation { decision: String::new(), rules: None, warnings: None };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("# expect:") {
            e.decision = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("# expect-rules:") {
            e.rules = Some(names(v));
        } else if let Some(v) = line.strip_prefix("# expect-warnings:") {
            e.warnings = Some(names(v));
        }
    }
    e
}

fn strings(v: &Value) -> impl Iterator<Item = String> + '_ {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from))
}

#[test]
fn every_example_decides_what_it_documents() {
    let (_, json) = check_json(&["examples/campaigns"]);
    let campaigns = json["campaigns"].as_array().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples/campaigns"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "the issue asks for at least 12 examples");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let exp = expectation(&text);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!exp.decision.is_empty(), "{name} has no `# expect:` line");
        let got = campaigns.iter().find(|c| c["file"].as_str().is_some_and(|f| f.ends_with(&name))).unwrap();
        if got["decision"] != exp.decision.as_str() {
            failures.push(format!("{name}: decision {}, documented {}", got["decision"], exp.decision));
        }
        let uses = got["uses"].as_array().unwrap();
        if let Some(rules) = exp.rules {
            let mut actual: BTreeSet<String> = strings(&got["campaign_rules"]).collect();
            for u in uses.iter().filter(|u| u["decision"] == "block") {
                actual.extend(strings(&u["rules"]));
            }
            if actual != rules {
                failures.push(format!("{name}: blocking rules {actual:?}, documented {rules:?}"));
            }
        }
        if let Some(warnings) = exp.warnings {
            let mut actual: BTreeSet<String> = strings(&got["campaign_warnings"]).collect();
            for u in uses {
                actual.extend(strings(&u["warnings"]));
            }
            if actual != warnings {
                failures.push(format!("{name}: warnings {actual:?}, documented {warnings:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_examples_cover_passing_blocked_and_invalid_campaigns() {
    let (code, json) = check_json(&["examples/campaigns"]);
    assert_eq!(code, 2, "one example is invalid on purpose");
    let s = &json["summary"];
    assert!(s["allowed"].as_u64().unwrap() >= 3);
    assert!(s["blocked"].as_u64().unwrap() >= 7);
    assert_eq!(s["invalid"], 1);
}
