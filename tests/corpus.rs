//! One test per folder under `tests/cases/`: a policy, campaigns and the expected JSON
//! decisions, in the same format as the spec's conformance suite. Adding a case is adding files.

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

fn lines_of(errors: Option<&Value>) -> Vec<u64> {
    errors
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|e| e.pointer("/location/line").and_then(Value::as_u64)).collect())
        .unwrap_or_default()
}

fn sorted(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn run_case(dir: &Path) -> Result<(), Failed> {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json"))?)?;
    let mut policy = dir.join("policy.policy");
    if !policy.exists() {
        policy = dir.join("policy");
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lagom"));
    cmd.args(["check", "--format", "json"]);
    if policy.exists() {
        cmd.arg("--policy").arg(&policy);
    }
    cmd.arg(dir.join("campaigns"));
    let out = cmd.output()?;
    let mut problems = Vec::new();
    let exit = out.status.code().unwrap_or(-1) as i64;
    if Some(exit) != expected["exit"].as_i64() {
        problems.push(format!("exit {exit}, expected {}", expected["exit"]));
    }
    let got: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))?;
    if expected.get("policy_error") == Some(&Value::Bool(true)) && got.get("policy_errors").is_none() {
        problems.push("policy_errors expected".into());
    }
    if let Some(line) = expected.get("policy_error_line").and_then(Value::as_u64) {
        let lines = lines_of(got.get("policy_errors"));
        if !lines.contains(&line) {
            problems.push(format!("policy error on line {line} expected, got {lines:?}"));
        }
    }
    if let Some(msg) = expected.get("policy_error_contains").and_then(Value::as_str) {
        if !got.to_string().contains(msg) {
            problems.push(format!("policy errors should mention {msg:?}: {}", got));
        }
    }
    let campaigns = got["campaigns"].as_array().cloned().unwrap_or_default();
    for (id, ec) in expected["campaigns"].as_object().into_iter().flatten() {
        let Some(c) = campaigns.iter().find(|c| c["campaign"].as_str() == Some(id)) else {
            problems.push(format!("{id}: missing from output"));
            continue;
        };
        if c["decision"] != ec["decision"] {
            problems.push(format!("{id}: decision {}, expected {}", c["decision"], ec["decision"]));
        }
        if let Some(line) = ec.get("error_line").and_then(Value::as_u64) {
            if !lines_of(c.get("errors")).contains(&line) {
                problems.push(format!("{id}: error on line {line} expected, got {:?}", lines_of(c.get("errors"))));
            }
        }
        if let Some(msg) = ec.get("error_contains").and_then(Value::as_str) {
            if !c["errors"].to_string().contains(msg) {
                problems.push(format!("{id}: errors should mention {msg:?}: {}", c["errors"]));
            }
        }
        for key in ["campaign_rules", "campaign_warnings"] {
            if ec.get(key).is_some() && sorted(c.get(key)) != sorted(ec.get(key)) {
                problems.push(format!("{id}: {key} {}, expected {}", c[key], ec[key]));
            }
        }
        if let Some(uses) = ec.get("uses").and_then(Value::as_array) {
            let got_uses = c["uses"].as_array().cloned().unwrap_or_default();
            if got_uses.len() != uses.len() {
                problems.push(format!("{id}: {} uses, expected {}", got_uses.len(), uses.len()));
            }
            for (i, (u, eu)) in got_uses.iter().zip(uses).enumerate() {
                if u["decision"] != eu["decision"] {
                    problems.push(format!("{id} use {i}: decision {}, expected {}", u["decision"], eu["decision"]));
                }
                for key in ["rules", "warnings"] {
                    if eu.get(key).is_some() && sorted(u.get(key)) != sorted(eu.get(key)) {
                        problems.push(format!("{id} use {i}: {key} {}, expected {}", u[key], eu[key]));
                    }
                }
                if let Some(unknown) = eu.get("unknown") {
                    let got_unknown: Vec<String> =
                        u["findings"].as_array().into_iter().flatten().flat_map(|f| sorted(f.get("unknown"))).collect();
                    if sorted(Some(unknown)) != got_unknown {
                        problems.push(format!("{id} use {i}: unknown {got_unknown:?}, expected {unknown}"));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("expected.json").exists()).collect())
        .unwrap_or_default();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases under {}", root.display());
    let trials = dirs
        .into_iter()
        .map(|d| {
            let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Trial::test(name, move || run_case(&d))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
