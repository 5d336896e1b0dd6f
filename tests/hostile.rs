//! Hostile and broken input: every case ends with exit code 2 and a message, never a panic, a
//! hang or a crash, and the good campaign beside it is still decided.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{lagom, path, temp_files, BASE};
use serde_json::Value;

const GOOD: &str =
    "campaign: good\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - category: contact.email\n";
const TIMEOUT: Duration = Duration::from_secs(20);

fn policy_text() -> String {
    format!("{BASE}rule ok {{ allow contact for marketing }}\n")
}

/// Runs `check --format json` on a directory holding the good campaign and `files`.
fn check_dir(files: &[(&str, Vec<u8>)], extra: &[&str]) -> (i32, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.policy"), policy_text()).unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("good.yaml"), GOOD).unwrap();
    for (name, bytes) in files {
        let p = c.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    run_check(dir.path(), &c, extra)
}

fn run_check(root: &Path, campaigns: &Path, extra: &[&str]) -> (i32, Value, String) {
    let out = lagom()
        .timeout(TIMEOUT)
        .args(["check", "--format", "json", "--policy", &path(&root.join("p.policy"))])
        .args(extra)
        .arg(campaigns)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    (out.status.code().unwrap_or(-1), json, stderr)
}

/// Runs `check` with human output on `target` in a directory holding the policy and `files`:
/// the exit code, standard output and standard error.
fn check_human(files: &[(&str, &str)], target: &str) -> (Option<i32>, String, String) {
    let policy = policy_text();
    let mut all = vec![("p.policy", policy.as_str())];
    all.extend_from_slice(files);
    let dir = temp_files(&all);
    let out = lagom()
        .timeout(TIMEOUT)
        .current_dir(dir.path())
        .args(["check", "--policy", "p.policy", target])
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// `lagom check --format FORMAT --policy p.policy c` in `dir`: the exit code and standard output.
fn check_folder(dir: &Path, format: &str) -> (Option<i32>, String) {
    let out = lagom()
        .timeout(TIMEOUT)
        .current_dir(dir)
        .args(["check", "--format", format, "--policy", "p.policy", "c"])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The hostile file is invalid with a message, and the good campaign is still allowed.
fn assert_rejected(files: &[(&str, Vec<u8>)], extra: &[&str]) -> Vec<Value> {
    let (code, json, _) = check_dir(files, extra);
    assert_eq!(code, 2, "{json}");
    let campaigns = json["campaigns"].as_array().unwrap().clone();
    assert!(campaigns.iter().any(|c| c["campaign"] == "good" && c["decision"] == "allow"), "{json}");
    let invalid: Vec<Value> = campaigns.into_iter().filter(|c| c["decision"] == "invalid").collect();
    assert!(!invalid.is_empty());
    for c in &invalid {
        let message = c["errors"][0]["message"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{c}");
    }
    invalid
}

fn message_of(invalid: &[Value]) -> String {
    invalid[0]["errors"][0]["message"].as_str().unwrap().to_string()
}

#[test]
fn billion_laughs_is_stopped_by_the_alias_budget() {
    let mut bomb = String::from("campaign: bomb\npurpose: marketing.newsletter\nbasis: consent\ndata: []\nlabels:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let invalid = assert_rejected(&[("bomb.yaml", bomb.into_bytes())], &[]);
    assert!(invalid[0]["errors"][0]["code"] == "lagom::limit" || message_of(&invalid).contains("alias"), "{invalid:?}");
}

#[test]
fn deep_flow_and_block_nesting_are_refused() {
    let flow = format!("campaign: deep\nlabels: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut block = String::from("campaign: deep2\nlabels:\n");
    for i in 0..200 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
    }
    let invalid = assert_rejected(&[("flow.yaml", flow.into_bytes()), ("block.yaml", block.into_bytes())], &[]);
    for c in &invalid {
        let message = c["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("the file nests values"), "{c}");
        assert_eq!(c["errors"][0]["code"], "lagom::limit", "{c}");
    }
}

#[test]
fn budget_breaches_are_told_in_plain_words() {
    let values = format!("campaign: many\nlabels: [{}]\n", vec!["x"; 100_001].join(", "));
    let aliases = format!("campaign: aliases\nx: &a x\nlabels: [{}]\n", vec!["*a"; 1001].join(", "));
    let invalid = assert_rejected(&[("values.yaml", values.into_bytes()), ("aliases.yaml", aliases.into_bytes())], &[]);
    let messages: Vec<String> = invalid.iter().map(|c| c["errors"][0]["message"].as_str().unwrap().into()).collect();
    assert!(messages.contains(&"the file holds more than 100,000 values".to_string()), "{messages:?}");
    assert!(messages.contains(&"the file uses more than 1,000 aliases (`*name`)".to_string()), "{messages:?}");
}

/// Human output of hostile files: exit 2, no panic, and no line of the report too long to read
/// (a snippet of a 300 KB line shows a window around the place).
#[test]
fn hostile_files_render_as_human_diagnostics() {
    let one_line = format!("campaign: wide\nlabels: [{}]\n", vec!["x"; 100_001].join(", "));
    let long_name = format!(
        "campaign: name\npurpose: marketing.newsletter\nbasis: consent\ndata:\n  - {{category: {}, note: x}}\n",
        "é".repeat(70_000)
    );
    let deep = format!("campaign: deep\nlabels: {}{}\n", "[".repeat(1_000), "]".repeat(1_000));
    let long_id = GOOD.replace("campaign: good", &format!("campaign: {}", "v".repeat(90_000)));
    let files = [
        ("wide.yaml", one_line.as_str()),
        ("name.yaml", long_name.as_str()),
        ("deep.yaml", deep.as_str()),
        ("good.yaml", GOOD),
        ("id.yaml", long_id.as_str()),
    ];
    let (code, stdout, stderr) = check_human(&files, ".");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("the file holds more than 100,000 values"), "{stdout}");
    assert!(stdout.contains("the file nests values"), "{stdout}");
    assert!(stdout.contains("unknown category"), "{stdout}");
    assert!(stdout.contains("✓ allowed  good"), "{stdout}");
    assert!(stdout.contains(&format!("✓ allowed  {}… (", "v".repeat(60))), "{stdout}");
    let longest = stdout.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 200, "a line of {longest} characters");
    assert!(stdout.len() < 20_000, "{} bytes of report", stdout.len());
}

/// A campaign's text (a key, a category, a file name) cannot start a line of its own in a
/// human or JUnit report, where a CI system would read `::warning::…` as a command.
#[test]
fn campaign_text_cannot_start_a_line_in_a_report() {
    let text = "campaign: inj\npurpose: marketing.newsletter\nbasis: consent\n\"k\\n::warning::key\\r%0A\": 1\ndata:\n  - category: \"contact\\n::error::category\"\n";
    let policy = policy_text();
    let dir = temp_files(&[("p.policy", policy.as_str()), ("c/inj.yaml", text), ("c/a\n::notice::name.yaml", GOOD)]);
    for format in ["human", "junit"] {
        let (code, stdout) = check_folder(dir.path(), format);
        assert_eq!(code, Some(2), "{stdout}");
        assert!(stdout.contains("::warning::key") && stdout.contains("::notice::name"), "{stdout}");
        let commands: Vec<&str> = stdout.lines().filter(|l| l.trim_start().starts_with("::")).collect();
        assert!(commands.is_empty(), "{format}: {commands:?}\n{stdout}");
        assert!(!stdout.contains('\r'), "{format}: a raw carriage return\n{stdout}");
    }
    // GitHub annotations are commands, one per line: the text in them is on one line too,
    // written as in every other format rather than as an escaped line break.
    let (_, stdout) = check_folder(dir.path(), "github");
    assert!(stdout.contains("contact\\n::error::category"), "{stdout}");
    // The report of an invalid policy, whose file name and text hold line breaks.
    let bad =
        temp_files(&[("x\n::error::pwned.policy", "rule r { allow c for p when basis == \"x\n::error::inj\" }\n")]);
    for format in ["human", "junit", "github"] {
        let out = lagom()
            .timeout(TIMEOUT)
            .current_dir(bad.path())
            .args(["check", "--format", format, "--policy", "x\n::error::pwned.policy", "-"])
            .write_stdin(GOOD)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(text.contains("`x\\n::error::inj`"), "{format}: {text}");
        // Every error carries its code, JUnit in brackets as for a campaign's errors.
        if format == "junit" {
            assert!(text.contains(": [lagom::"), "{text}");
        }
        // GitHub reads `%0A` back as the line break, so the annotation names the file.
        let file = if format == "github" { "x%0A%3A%3Aerror%3A%3Apwned.policy" } else { "x\\n::error::pwned.policy" };
        assert!(text.contains(file), "{format}: {text}");
        let commands: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("::error::")).collect();
        assert!(commands.is_empty(), "{format}: {commands:?}\n{text}");
    }
}

#[test]
fn files_over_the_size_limit_are_refused_and_the_limit_is_configurable() {
    let mut big = GOOD.replace("good", "big");
    big.push_str("name: \"");
    big.push_str(&"x".repeat(2 * 1024 * 1024));
    big.push_str("\"\n");
    let invalid = assert_rejected(&[("big.yaml", big.clone().into_bytes())], &["--max-file-size", "1"]);
    assert!(message_of(&invalid).contains("larger than 1 MiB"));
    let (code, _, _) = check_dir(&[("big.yaml", big.clone().into_bytes())], &["--max-file-size", "8"]);
    assert_eq!(code, 0, "under a raised limit the file is read");
    // The largest limit clap accepts must not overflow into reading nothing.
    let (code, _, _) = check_dir(&[("big.yaml", big.into_bytes())], &["--max-file-size", &u64::MAX.to_string()]);
    assert_eq!(code, 0, "under the largest limit the file is read");
}

#[test]
fn the_largest_size_limit_still_reads_standard_input() {
    let policy = "basis a, b\n";
    let out =
        lagom().args(["fmt", "--max-file-size", &u64::MAX.to_string(), "-"]).write_stdin(policy).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(common::stdout(&out), policy, "the text read from standard input, formatted");
}

#[test]
fn non_utf8_empty_and_binary_files_are_invalid() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let invalid = assert_rejected(
        &[
            ("latin1.yaml", b"campaign: caf\xe9\n".to_vec()),
            ("empty.yaml", Vec::new()),
            ("blank.yml", b"\n   \n# only a comment\n".to_vec()),
            ("garbage.yaml", garbage),
            ("nul.yaml", b"campaign: a\0b\n".to_vec()),
            ("tabs.yaml", b"campaign: t\ndata:\n\t- category: contact.email\n".to_vec()),
        ],
        &[],
    );
    assert_eq!(invalid.len(), 6);
    // Text that is not UTF-8 is located at its first bad byte, like any other error.
    let latin1 = invalid.iter().find(|c| c["file"].as_str().unwrap().ends_with("latin1.yaml")).unwrap();
    let location = &latin1["errors"][0]["location"];
    assert_eq!((location["line"].as_u64(), location["column"].as_u64()), (Some(1), Some(14)), "{latin1}");
}

#[test]
fn strange_but_valid_yaml_is_read() {
    let bom = format!("\u{feff}{}", GOOD.replace("good", "bom"));
    let crlf = GOOD.replace("good", "crlf").replace('\n', "\r\n");
    let (code, json, _) = check_dir(&[("bom.yaml", bom.into_bytes()), ("crlf.yaml", crlf.into_bytes())], &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["allowed"], 3);
}

#[test]
fn a_directory_of_thousands_of_bad_files_reports_every_one() {
    let files: Vec<(String, Vec<u8>)> = (0..2000)
        .map(|i| (format!("bad/{i:04}.yaml"), format!("campaign: bad{i}\npurpose: [\n").into_bytes()))
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let invalid = assert_rejected(&refs, &[]);
    assert_eq!(invalid.len(), 2000);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_links_are_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.policy"), policy_text()).unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("sub")).unwrap();
    std::fs::write(c.join("good.yaml"), GOOD).unwrap();
    std::os::unix::fs::symlink(&c, c.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(c.join("missing.yaml"), c.join("dangling.yaml")).unwrap();
    std::fs::create_dir_all(c.join("dir.yaml")).unwrap();
    let (code, json, _) = run_check(dir.path(), &c, &[]);
    assert_eq!(code, 2, "{json}");
    let text = json.to_string();
    assert!(text.contains("loop"), "{text}");
    assert!(json["campaigns"].as_array().unwrap().iter().any(|c| c["campaign"] == "good"));
}

/// `validate` on a hostile policy: exit 2 with a message, in bounded time.
fn assert_policy_rejected(text: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.policy"), text).unwrap();
    let out = lagom()
        .timeout(TIMEOUT)
        .args(["validate", "--format", "json", "--policy", &path(&dir.path().join("p.policy"))])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["policy_errors"][0]["message"].as_str().unwrap().to_string();
    assert!(!message.is_empty());
    message
}

/// pest's own stack probe is compiled out (it cost a tenth of parsing), so the nesting limit
/// is all that keeps the recursive parsers (the hand-written one for valid text, pest for
/// text with an error) within their stack. Policy files are parsed on the worker threads,
/// whose stacks are smaller than the main thread's: a policy nested right up to the limit
/// must parse there, and the same policy with a syntax error at its end must be reported.
#[test]
fn nesting_up_to_the_limit_parses_on_worker_threads() {
    // The rule's braces are one level, so each condition nests 63 more: brackets with `not`
    // chains, quantifiers, lists, and all of them mixed.
    let nested =
        |n: usize, wrap: &dyn Fn(String) -> String, inner: &str| (0..n).fold(inner.to_string(), |c, _| wrap(c));
    let conditions = [
        nested(63, &|c| format!("not ({c})"), "rights.unsubscribe"),
        nested(63, &|c| format!("any data ({c})"), "retention <= 1 year"),
        format!("regions in {}", nested(62, &|c| format!("[{c}]"), "SE")),
        nested(31, &|c| format!("not any data (not ({c}))"), "retention <= 1 year"),
    ];
    for condition in conditions {
        let rule = |i: usize| format!("rule r{i} {{\n  deny * for * when {condition}\n}}\n");
        let count = 1 + 100_000 / rule(0).len();
        let valid: String = std::iter::once(BASE.to_string()).chain((0..count).map(rule)).collect();
        let broken = format!("{valid}rule broken {{ deny * for }}\n");
        for (text, expected) in [(valid, 0), (broken, 2)] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("p.policy"), &text).unwrap();
            for threads in ["1", "2"] {
                let out = lagom()
                    .timeout(TIMEOUT)
                    .env("RAYON_NUM_THREADS", threads)
                    .args(["validate", "--format", "json", "--policy", &path(&dir.path().join("p.policy"))])
                    .output()
                    .unwrap();
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(!stdout.contains("nesting"), "{stdout}");
                if expected == 0 {
                    // Parsed and checked; a type error in the list (a region set of sets) is
                    // fine, it comes after parsing.
                    assert!(matches!(out.status.code(), Some(0 | 2)), "{condition}: {stdout}");
                    assert!(!stdout.contains("syntax"), "{stdout}");
                } else {
                    assert_eq!(out.status.code(), Some(2), "{condition}: {stdout}");
                    assert!(stdout.contains("\"lagom::syntax\""), "{stdout}");
                }
            }
        }
    }
}

#[test]
fn pathological_policies_are_refused_with_a_message() {
    let deep_parens = format!(
        "{BASE}rule r {{ deny * for * when {}rights.unsubscribe{} }}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    assert!(assert_policy_rejected(deep_parens.as_bytes()).contains("nesting"));
    let nots = format!("{BASE}rule r {{ deny * for * when {}rights.unsubscribe }}\n", "not\n".repeat(50_000));
    assert!(assert_policy_rejected(nots.as_bytes()).contains("nesting"));
    let braces = format!("category a{}{}\n", " { category a".repeat(10_000), " }".repeat(10_000));
    assert!(assert_policy_rejected(braces.as_bytes()).contains("nesting"));
    let mut sets = String::from("set s0 = [x]\n");
    for i in 1..1000 {
        sets.push_str(&format!("set s{i} = [s{}]\n", i - 1));
    }
    assert!(assert_policy_rejected(sets.as_bytes()).contains("sets nest deeper"));
    // 100,000 segments: a keyword test per segment that looked at the rest of the path made
    // this quadratic (hours at the file size limit) while every output stayed the same.
    let dotted = format!("category {}\n", vec!["a"; 100_000].join("."));
    assert!(assert_policy_rejected(dotted.as_bytes()).contains("not declared"));
    let mut chain = String::from("category c0 under c999\n");
    for i in 1..1000 {
        chain.push_str(&format!("category c{i} under c{}\n", i - 1));
    }
    assert!(assert_policy_rejected(chain.as_bytes()).contains("cycle"));
    let many: String = (0..25_000).map(|i| format!("category k{i}\n")).collect();
    assert!(assert_policy_rejected(many.as_bytes()).contains("more than 20000"));
    // Rules naming declared categories are not told them unknown (the taxonomy over its limit
    // is not built): the limit is the first error, not the last.
    let named = format!("{BASE}rule r {{ allow contact.email for * }}\n{many}");
    assert!(assert_policy_rejected(named.as_bytes()).contains("more than 20000"));
}

#[test]
fn broken_policy_text_is_refused_with_a_message() {
    assert!(assert_policy_rejected(b"category caf\xe9\n").contains("UTF-8"));
    let garbage: Vec<u8> = (0..2048u32).map(|i| (i.wrapping_mul(40_503) % 251) as u8).collect();
    assert_policy_rejected(&garbage);
    assert_policy_rejected(b"rule r { allow * for * when \"unterminated }\n");
    assert_policy_rejected("rule r { allow * for * at most 99999999999999999999999 years }".as_bytes());
    assert_policy_rejected(b"rule r { retain * for * at most 99999999999999999 years }");
}

#[test]
fn a_policy_file_over_the_limit_is_refused() {
    let mut big = policy_text();
    big.push_str(&format!("# {}\n", "x".repeat(5 * 1024 * 1024)));
    assert!(assert_policy_rejected(big.as_bytes()).contains("larger than 4 MiB"));
}

/// Scalars YAML reads but a campaign cannot hold are explained in a campaign author's words,
/// not the YAML library's ("rejected by the configured policy", "set … in Options").
#[test]
fn odd_scalars_are_explained_in_plain_words() {
    let cases = [
        ("audience: {min_age: .inf}", "`audience.min_age` must be a whole number, found a decimal number"),
        ("audience: {min_age: 99999999999999999999999}", "`audience.min_age` is too large for a whole number"),
        ("audience: {min_age: 1.5}", "`audience.min_age` must be a whole number, found a decimal number"),
        ("audience: {min_age: 18.0}", "`audience.min_age` must be a whole number, found a decimal number"),
        ("audience: {min_age: 1e3}", "`audience.min_age` must be a whole number, found a decimal number"),
        ("audience: {min_age: 1_8}", "`audience.min_age` must be a whole number, found text"),
        ("owner: .nan", "`owner` must be text, found a decimal number"),
        ("labels: {x: !!int abc}", "a value tagged `!!int` must be a whole number"),
        ("labels: {x: !!float abc}", "a value tagged `!!float` must be a number"),
        ("labels: {x: !!bool yes}", "a boolean must be `true` or `false`"),
        ("labels: {x: !!binary \"!!!\"}", "a value tagged `!!binary` must be base64"),
        ("labels: {x: !!binary \"gA==\"}", "a `!!binary` value must decode to UTF-8 text"),
    ];
    let files: Vec<(String, Vec<u8>)> = cases
        .iter()
        .enumerate()
        .map(|(i, (extra, _))| {
            let campaign = GOOD.replace("campaign: good", &format!("campaign: s{i}"));
            (format!("s{i}.yaml"), format!("{campaign}{extra}\n").into_bytes())
        })
        .collect();
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let invalid = assert_rejected(&files, &[]);
    for (i, (_, expected)) in cases.iter().enumerate() {
        let file = format!("s{i}.yaml");
        let c =
            invalid.iter().find(|c| c["file"].as_str().unwrap().ends_with(&file)).unwrap_or_else(|| panic!("{file}"));
        assert_eq!(c["errors"][0]["message"], *expected, "{c}");
        assert!(!c["errors"][0]["help"].as_str().unwrap().contains("indentation"), "{c}");
    }
}

/// The help line fits the syntax error: a tab is not an indentation problem to hunt for, and
/// `@` needs quotes.
#[test]
fn yaml_syntax_errors_get_help_that_fits() {
    let files = [
        ("tab.yaml", b"campaign: tab\n\tpurpose: marketing\n".to_vec()),
        ("at.yaml", b"campaign: at\npurpose: @marketing\n".to_vec()),
    ];
    let invalid = assert_rejected(&files, &[]);
    let help = |file: &str| {
        let c = invalid.iter().find(|c| c["file"].as_str().unwrap().ends_with(file)).unwrap();
        c["errors"][0]["help"].as_str().unwrap().to_string()
    };
    assert_eq!(help("tab.yaml"), "YAML indents with spaces only; replace the tab with spaces");
    assert!(help("at.yaml").contains("put the value in quotes"), "{}", help("at.yaml"));
    // The error is at the tab, column 1, not at what follows it.
    let tab = invalid.iter().find(|c| c["file"].as_str().unwrap().ends_with("tab.yaml")).unwrap();
    assert_eq!(
        (&tab["errors"][0]["location"]["line"], &tab["errors"][0]["location"]["column"]),
        (&2.into(), &1.into())
    );
}

/// A 70,000-character line between two places of one diagnostic (or next to one) is not shown:
/// the two places get a snippet each, and context lines that long are left out.
#[test]
fn long_policy_lines_stay_out_of_snippets() {
    let because = "x".repeat(70_000);
    let policy = format!(
        "{BASE}rule r {{\n  allow contact for marketing\n  because \"{because}\"\n  cite \"y\"\n}}\nrule r {{ allow contact for marketing }}\n"
    );
    let dir = temp_files(&[("p.policy", &policy)]);
    let out = lagom().current_dir(dir.path()).args(["validate", "--policy", "p.policy"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rule `r` is declared twice") && stderr.contains("first declared here"), "{stderr}");
    let longest = stderr.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 200, "a line of {longest} characters");
}

/// A policy's reason keeps its line breaks in a human report, but a line of it that starts
/// with `::` (after spaces, which GitHub's runner trims) would be a command to the CI system:
/// the break before it is written `\n`, in `check` and in the failures of `lagom test`.
#[test]
fn a_line_of_a_policy_reason_cannot_start_a_ci_command() {
    let policy = format!(
        "{BASE}rule no_email {{ deny contact.email for marketing because \"Do not.\n  Ask legal.\n  ::set-output name=x::y\" }}\n"
    );
    let test = "policy: p.policy\ntests:\n  - name: t\n    campaign:\n      campaign: t\n      purpose: marketing.newsletter\n      basis: consent\n      data: [{ category: contact.email }]\n    expect: { decision: allow }\n";
    let dir = temp_files(&[("p.policy", policy.as_str()), ("c/a.yaml", GOOD), ("a.test.yaml", test)]);
    let (code, stdout) = check_folder(dir.path(), "human");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("Do not.\n") && stdout.contains("Ask legal.\\n  ::set-output name=x::y"), "{stdout}");
    let out = lagom().timeout(TIMEOUT).current_dir(dir.path()).args(["test", "a.test.yaml"]).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (what, text) in [("check", stdout.as_str()), ("test", text.as_str())] {
        let commands: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("::")).collect();
        assert!(commands.is_empty(), "{what}: {commands:?}\n{text}");
    }
    // Nor by wrapping: a word longer than a line is not cut (it could be cut before `::`), and
    // white space that is not ASCII (which the runner trims too) does not hide a line's `::`.
    // (Cut where a line ends, 83 or 90 letters then `::error::long` put `::` at a line's start.)
    let reasons = [83, 90].map(|n| format!("{}::error::long", "w".repeat(n)));
    for (i, reason) in reasons.into_iter().chain(["Do not.\n\u{a0}\u{3000}::error::nbsp".to_string()]).enumerate() {
        let policy = format!("{BASE}rule no_email {{ deny contact.email for marketing because \"{reason}\" }}\n");
        let dir = temp_files(&[("p.policy", policy.as_str()), ("c/a.yaml", GOOD)]);
        let (code, stdout) = check_folder(dir.path(), "human");
        assert_eq!(code, Some(1), "{stdout}");
        assert!(stdout.contains("::error::"), "{i}: {stdout}");
        let commands: Vec<&str> =
            stdout.lines().filter(|l| l.trim_start_matches(char::is_whitespace).starts_with("::")).collect();
        assert!(commands.is_empty(), "{i}: {commands:?}\n{stdout}");
    }
}

/// `explain`, `diff`, `validate`, `fmt` and the notes of `check` keep campaign and policy text
/// on its line too: a campaign id, a value shown in a trace, a file name or a policy's name
/// with a line break in it cannot start a line of the CI log that shows the report (`fmt` and
/// the note on a skipped file wrote the name as it was, so a file could send
/// `::stop-commands::` and silence every later annotation).
#[test]
fn campaign_and_policy_text_cannot_start_a_line_in_explain_diff_validate_or_fmt() {
    let campaign = "campaign: \"x\\n::error::id\\r\"\npurpose: marketing.newsletter\nbasis: consent\n\
                    owner: \"o\\n::warning::owner\"\ndata:\n  - category: contact.email\n";
    let invalid = "campaign: \"y\\n::error::invalid\"\npurpose: marketing.newsletter\ndata:\n  - category: nope\n";
    let named = "policy \"n\\n::error::name\" version \"1\\n::error::version\"";
    let old = format!("{BASE}rule ok {{ allow contact for marketing when owner == o }}\n");
    let new = policy_text().replacen("policy \"test base\" version \"1\"", named, 1);
    let dir = temp_files(&[
        ("old.policy", old.as_str()),
        ("new/p.policy", new.as_str()),
        ("c/x.yaml", campaign),
        ("c/y\n::error::file.yaml", invalid),
        ("c/z.yml.bak\n::stop-commands::skipped", campaign),
        ("fmt/p\n::error::fmt.policy", "policy \"x\"\nbasis   consent\n"),
    ]);
    let run = |args: &[&str]| {
        let out = lagom().timeout(TIMEOUT).current_dir(dir.path()).args(args).output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    for (what, text) in [
        ("explain", run(&["explain", "--policy", "old.policy", "c/x.yaml"])),
        ("diff", run(&["diff", "--old", "old.policy", "--new", "new", "c"])),
        ("validate", run(&["validate", "--policy", "new"])),
        ("check", run(&["check", "--policy", "old.policy", "c"])),
        ("fmt --check", run(&["fmt", "--check", "fmt"])),
        ("fmt", run(&["fmt", "fmt"])),
    ] {
        let commands: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("::")).collect();
        assert!(commands.is_empty(), "{what}: {commands:?}\n{text}");
        assert!(!text.contains('\r'), "{what}: a raw carriage return\n{text}");
    }
    let explain = run(&["explain", "--policy", "old.policy", "c/x.yaml"]);
    assert!(explain.starts_with("campaign `x\\n::error::id\\r` (c/x.yaml)"), "{explain}");
    assert!(explain.contains("[owner = `o\\n::warning::owner`]"), "{explain}");
    let diff = run(&["diff", "--old", "old.policy", "--new", "new", "c"]);
    assert!(diff.contains("~ x\\n::error::id\\r (c/x.yaml)"), "{diff}");
    assert!(diff.contains("! y\\n::error::invalid (c/y\\n::error::file.yaml)"), "{diff}");
    assert!(diff.contains("new policy: `n\\n::error::name` version 1\\n::error::version"), "{diff}");
    assert!(run(&["validate", "--policy", "new"]).starts_with("policy `n\\n::error::name` is valid"));
    let check = run(&["check", "--policy", "old.policy", "c"]);
    assert!(check.contains("note: skipped `c/z.yml.bak\\n::stop-commands::skipped`"), "{check}");
    // Formatted by the run above; the formatted file is listed no more.
    assert_eq!(run(&["fmt", "--check", "fmt"]), "");
    std::fs::write(dir.path().join("fmt/p\n::error::fmt.policy"), "policy \"x\"\nbasis   consent\n").unwrap();
    assert_eq!(run(&["fmt", "--check", "fmt"]), "fmt/p\\n::error::fmt.policy\n");
    assert_eq!(run(&["fmt", "fmt"]), "formatted fmt/p\\n::error::fmt.policy\n");
}

/// A raw escape sequence in a campaign file (YAML refuses it) is not replayed to the terminal by
/// the snippet that shows where it is.
#[test]
fn raw_control_characters_never_reach_the_terminal() {
    let esc = "campaign: x # \u{1b}]0;owned\u{7}\u{1b}[2J\nbasis: consent\n";
    let (code, stdout, _) = check_human(&[("esc.yaml", esc)], "esc.yaml");
    assert_eq!(code, Some(2), "{stdout}");
    assert!(!stdout.contains(|c: char| c.is_control() && c != '\n'), "{stdout:?}");
    assert!(stdout.contains("campaign: x # ?]0;owned??[2J"), "{stdout}");
    // Named in plain words (the parser's own text quotes it as `` `\u{1b}' ``).
    assert!(stdout.contains("invalid YAML: the control character U+001B\n"), "{stdout}");
    assert!(stdout.contains("YAML does not allow this control character anywhere in a file"), "{stdout}");
}

/// A file name with a line break and an escape sequence keeps the campaign's heading on one
/// readable line.
#[cfg(unix)]
#[test]
fn odd_file_names_keep_the_heading_on_one_line() {
    let (code, stdout, _) = check_human(&[("c/a\u{1b}[31mb\nc.yaml", GOOD)], "c");
    assert_eq!(code, Some(0), "{stdout}");
    assert_eq!(stdout.lines().next(), Some("✓ allowed  good (c/a\\u{1b}[31mb\\nc.yaml)"), "{stdout}");
}

/// A policy directory with a link back to a directory above it names the link in words.
#[cfg(unix)]
#[test]
fn a_policy_directory_that_loops_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("policy");
    std::fs::create_dir_all(&p).unwrap();
    std::fs::write(p.join("p.policy"), policy_text()).unwrap();
    std::os::unix::fs::symlink(&p, p.join("up")).unwrap();
    let out = lagom().args(["validate", "--format", "json", "--policy", &path(&p)]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = json["policy_errors"][0]["message"].as_str().unwrap();
    assert!(message.ends_with(&format!("it is a link back to `{}`, which holds it", path(&p))), "{message}");
}

/// Two thousand copies of one campaign are each invalid with a message that names three of the
/// others and counts the rest: the report grows with the number of files, not its square.
#[test]
fn thousands_of_copies_of_one_campaign_make_a_report_of_linear_size() {
    let copy = GOOD.replace("campaign: good", "campaign: copy");
    let files: Vec<(String, Vec<u8>)> =
        (0..2000).map(|i| (format!("copies/{i:04}.yaml"), copy.clone().into_bytes())).collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (code, json, _) = check_dir(&refs, &[]);
    assert_eq!(code, 2);
    let invalid: Vec<&Value> =
        json["campaigns"].as_array().unwrap().iter().filter(|c| c["decision"] == "invalid").collect();
    assert_eq!(invalid.len(), 2000);
    for c in &invalid {
        let message = c["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with("campaign id `copy` is also used by `"), "{message}");
        assert!(message.ends_with(" and 1996 other files"), "{message}");
    }
    assert!(json.to_string().len() < 4_000_000, "{} bytes", json.to_string().len());
}

/// Two different files whose names a lossy or `\`-to-`/` spelling would make alike are both
/// checked, under names that tell them apart: one left out would let a blocked campaign pass.
#[cfg(unix)]
#[test]
fn files_that_would_look_alike_are_all_checked() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.policy"), policy_text()).unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(c.join("a")).unwrap();
    let campaign = |id: &str| GOOD.replace("campaign: good", &format!("campaign: {id}"));
    std::fs::write(c.join("a\\b.yaml"), campaign("backslash")).unwrap();
    std::fs::write(c.join("a/b.yaml"), campaign("slash")).unwrap();
    for (byte, id) in [(0xfe_u8, "fe"), (0xff, "ff")] {
        let name = [byte, b'.', b'y', b'a', b'm', b'l'];
        std::fs::write(c.join(std::ffi::OsStr::from_bytes(&name)), campaign(id)).unwrap();
    }
    let (_, json, _) = run_check(dir.path(), &c, &[]);
    let mut ids: Vec<(&str, &str)> = json["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["campaign"].as_str().unwrap(), c["file"].as_str().unwrap().rsplit_once("/c/").unwrap().1))
        .collect();
    ids.sort();
    // A backslash of a name is shown `\\`, so that `\xfe` can only be the byte.
    assert_eq!(ids, [("backslash", "a\\\\b.yaml"), ("fe", "\\xfe.yaml"), ("ff", "\\xff.yaml"), ("slash", "a/b.yaml")]);
}

/// Sets that include other sets many times over are expanded once each (each member once), so
/// doubling `set s2 = [s1, s1]` sixty times is quick; past a million members in all, the policy
/// is refused with a message rather than left to grow.
#[test]
fn sets_that_multiply_are_expanded_once_or_refused() {
    let mut doubling = format!("{BASE}set s0 = [x, y]\n");
    for i in 1..60 {
        doubling.push_str(&format!("set s{i} = [s{p}, s{p}]\n", p = i - 1));
    }
    doubling.push_str("rule r { deny * for * when owner in s59 }\n");
    let dir = temp_files(&[("p.policy", &doubling)]);
    lagom().timeout(TIMEOUT).args(["validate", "--policy", &path(&dir.path().join("p.policy"))]).assert().code(0);
    let members: Vec<String> = (0..20_000).map(|i| format!("m{i}")).collect();
    let mut wide = format!("{BASE}set big = [{}]\n", members.join(", "));
    for i in 0..60 {
        wide.push_str(&format!("set w{i} = [big, z{i}]\n"));
    }
    assert!(assert_policy_rejected(wide.as_bytes()).contains("more than 1000000 members"));
}

/// A condition over a hundred thousand labels is compiled and explained in linear time (label
/// slots and missing fields are looked up in sets, not lists).
#[test]
fn a_condition_over_many_labels_is_checked_in_bounded_time() {
    let tests: Vec<String> = (0..100_000).map(|i| format!("labels.k{i} == v")).collect();
    let policy = format!("{BASE}rule many {{ deny * for * when {} }}\n", tests.join(" or "));
    let dir = temp_files(&[("p.policy", &policy), ("c.yaml", GOOD)]);
    let out = lagom()
        .timeout(TIMEOUT)
        .args(["check", "--format", "json", "--policy", &path(&dir.path().join("p.policy"))])
        .arg(dir.path().join("c.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"][0]["uses"][0]["findings"][0]["unknown"].as_array().map(Vec::len), Some(100_000));
}

/// A policy file may start with a byte-order mark, as a campaign file may; an invisible
/// character elsewhere is named as such rather than answered with the grammar's expectations.
#[test]
fn a_byte_order_mark_is_taken_and_invisible_characters_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.policy");
    std::fs::write(&bom, format!("\u{feff}{}", policy_text().replace('\n', "\r\n"))).unwrap();
    lagom().timeout(TIMEOUT).args(["validate", "--policy", &path(&bom)]).assert().code(0);
    let mut nul = policy_text();
    nul.push_str("category stray\u{0}\n");
    let dir = temp_files(&[("p.policy", &nul)]);
    let out = lagom().args(["validate", "--policy", &path(&dir.path().join("p.policy"))]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a control character (U+0000)"));
}

/// A circle of sets longer than the nesting limit is reported as a circle.
#[test]
fn a_long_circle_of_sets_is_a_cycle_not_a_depth_error() {
    let mut circle = policy_text();
    for i in 0..200 {
        circle.push_str(&format!("set s{i} = [s{}]\n", (i + 1) % 200));
    }
    let message = assert_policy_rejected(circle.as_bytes());
    assert!(message.contains("contains itself through"), "{message}");
}

/// Two taxonomies of the largest size and not one rule: the index of (category, purpose)
/// cells would be 400 million cells (gigabytes, and the run aborted when memory ran out), so
/// it has one cell per category. The run is held to 1 GB of address space (`ulimit -v`).
#[test]
fn large_taxonomies_without_rules_are_checked_within_bounded_memory() {
    let n = lagom::policy::MAX_TAXONOMY_NODES;
    let mut text = String::from("basis consent\n");
    (0..n).for_each(|i| text.push_str(&format!("category c{i}\n")));
    (0..n).for_each(|i| text.push_str(&format!("purpose p{i}\n")));
    let campaign = "campaign: x\npurpose: p1\nbasis: consent\ndata:\n  - category: c1\n    retention: 1 day\n";
    let dir = temp_files(&[("p.policy", &text), ("c.yaml", campaign)]);
    let bin = assert_cmd::cargo::cargo_bin("lagom");
    let out = std::process::Command::new("sh")
        .current_dir(dir.path())
        .args(["-c", "ulimit -v 1000000 && exec \"$0\" check --format json --policy p.policy c.yaml", &path(&bin)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["campaigns"][0]["uses"][0]["decision"], "block");
}

/// Rules whose scopes together cover more pairs than the limit are a policy error at the rule
/// that crosses it, for `validate` as for `check`, rather than an index of gigabytes.
#[test]
fn rules_covering_too_many_pairs_are_a_limit_error_at_the_rule_that_crosses() {
    let mut text = String::from("basis consent\n");
    (0..2048).for_each(|i| text.push_str(&format!("category c{i}\npurpose p{i}\n")));
    // 4,096 pairs each: the 1,025th rule (by name) crosses 4,194,304.
    (0..1100).for_each(|i| text.push_str(&format!("rule r{i:04} {{ allow * for * }}\n")));
    let dir = temp_files(&[("p.policy", &text)]);
    let out = lagom()
        .timeout(TIMEOUT)
        .current_dir(dir.path())
        .args(["validate", "--format", "json", "--policy", "p.policy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = &json["policy_errors"][0];
    assert_eq!(error["code"], "lagom::limit", "{json}");
    assert_eq!(error["location"]["line"], 2 + 2 * 2048 + 1024, "{json}");
}

/// A text longer than `matches` searches (4 KiB) makes the campaign invalid, at the value,
/// when the policy searches texts: unsearched, a test on it could be decided by neither
/// evaluator (a 3 MB label took 10 s a search against a large pattern). A policy without
/// `matches` reads such texts as before. Within the limit, texts are searched.
#[test]
fn a_text_too_long_to_search_is_refused_where_a_policy_searches_texts() {
    let policy = format!(
        "{BASE}rule ok {{ allow contact for marketing when owner matches \"^crm\" }}\n\
         rule unreviewed {{ deny campaign for marketing when not labels.lia matches \"^LIA-[0-9]+$\" because \"x\" }}\n"
    );
    let long = format!("crm{}", "a".repeat(5000));
    let campaign = format!(
        "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: {long}\nlabels:\n  lia: LIA-{}\ndata:\n  - category: contact.email\n",
        "1".repeat(5000)
    );
    let dir = temp_files(&[("p.policy", policy.as_str()), ("c.yaml", campaign.as_str())]);
    let out = lagom()
        .timeout(TIMEOUT)
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--policy", "p.policy", "c.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = json["campaigns"][0]["errors"].as_array().unwrap();
    let messages: Vec<&str> = errors.iter().filter_map(|e| e["message"].as_str()).collect();
    assert_eq!(
        messages,
        [
            "`owner` is 5003 bytes long; this policy searches texts, which may be at most 4096 bytes",
            "`labels.lia` is 5004 bytes long; this policy searches texts, which may be at most 4096 bytes",
        ]
    );
    assert_eq!(errors[0]["location"]["line"], 4);
    // Short texts are searched.
    let short = campaign.replace(&long, "crm-team").replace(&"1".repeat(5000), "7");
    std::fs::write(dir.path().join("c.yaml"), short).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    // Without `matches` in the policy, a long text is read as before.
    std::fs::write(dir.path().join("p.policy"), format!("{BASE}rule ok {{ allow contact for marketing }}\n")).unwrap();
    std::fs::write(dir.path().join("c.yaml"), &campaign).unwrap();
    let out = lagom().current_dir(dir.path()).args(["check", "--policy", "p.policy", "c.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A symbolic link in a campaign folder that leads outside it is not followed: a link to a
/// credentials file was read as a campaign and its secret shown in the report's snippets (and
/// in SARIF and GitHub annotations). The other campaigns are still checked.
#[cfg(unix)]
#[test]
fn a_link_out_of_a_campaign_folder_shows_nothing_of_its_target() {
    let secret = "token: ghp_SECRET123\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI\n";
    let outside = temp_files(&[("creds.yaml", secret)]);
    let policy = policy_text();
    let dir = temp_files(&[("p.policy", policy.as_str()), ("c/ok.yaml", GOOD)]);
    std::os::unix::fs::symlink(outside.path().join("creds.yaml"), dir.path().join("c/innocent.yaml")).unwrap();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let (code, stdout) = check_folder(dir.path(), format);
        assert_eq!(code, Some(2), "{format}: {stdout}");
        assert!(!stdout.contains("SECRET"), "{format}: {stdout}");
        assert!(stdout.contains("symbolic link to a file outside"), "{format}: {stdout}");
        // SARIF and GitHub annotations list problems only.
        if matches!(format, "human" | "json" | "junit") {
            assert!(stdout.contains("good"), "{format}: the other campaign is reported\n{stdout}");
        }
    }
}

/// Ten thousand sets, and one set of 200,000 members: `lagom validate`'s set-member warnings
/// once compared every member with every set name and every other member (twenty seconds and
/// more than three minutes); within the time limit, each is warned about.
#[test]
fn validate_over_many_sets_and_members_ends() {
    let many: String = (0..10_000).map(|i| format!("set s{i} = [a{i}]\n")).collect();
    let members: Vec<String> = (0..200_000).map(|i| format!("a{i}")).collect();
    let big = format!("set big = [{}, zz]\nset near = [nordcs, DK, FI, SE]\nset nordics = [x]\n", members.join(", "));
    // `big`, `near` and `nordics` are unused, and `nordcs` is one letter from `nordics`.
    for (text, warnings) in [(many, "10000 warnings"), (big, "4 warnings")] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.policy"), text).unwrap();
        let out = lagom()
            .timeout(TIMEOUT)
            .current_dir(dir.path())
            .args(["validate", "--policy", "p.policy"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let summary = String::from_utf8_lossy(&out.stdout);
        assert!(summary.contains(warnings), "{summary}");
    }
}

/// A campaign of 18,000 uses against 500 warn rules for every use once held nine million
/// findings (4 GB) and aborted; it is now invalid at the use that passes the limit, in `check`
/// and `explain`, and the good campaign beside it is still decided.
#[test]
fn a_campaign_with_too_many_findings_is_refused_at_the_use_that_passes_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let warns: String = (0..500).map(|i| format!("rule w{i} {{ warn * for * because \"b\" }}\n")).collect();
    std::fs::write(dir.path().join("p.policy"), format!("{}{warns}", policy_text())).unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("good.yaml"), GOOD).unwrap();
    let uses = "  - {category: contact.email}\n".repeat(18_000);
    let large = format!("campaign: large\npurpose: marketing.newsletter\nbasis: consent\ndata:\n{uses}");
    std::fs::write(c.join("large.yaml"), large).unwrap();
    let (code, json, _) = run_check(dir.path(), &c, &[]);
    assert_eq!(code, 2);
    let campaigns = json["campaigns"].as_array().unwrap();
    assert_eq!(campaigns[0]["decision"], "allow");
    assert_eq!(campaigns[1]["errors"][0]["code"], "lagom::limit");
    // The 201st use passes 100,000 (use, rule) pairs: the file's line 5 holds the first.
    assert_eq!(campaigns[1]["errors"][0]["location"]["line"], 205);
    let out = lagom()
        .timeout(TIMEOUT)
        .current_dir(dir.path())
        .args(["explain", "--policy", "p.policy", "c/large.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("campaign too large to decide"));
}
