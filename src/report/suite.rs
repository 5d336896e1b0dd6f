//! `lagom test` output: a line per difference, rule coverage, and the closing count.

use super::message::printable;
use crate::suite::Suite;

/// One line per difference of every failed test: `FAIL file:line: name: difference`.
pub fn failures(suite: &Suite) -> String {
    let mut out = String::new();
    for r in &suite.results {
        // At the expectation that failed, so an editor jumps to the line to look at.
        for d in &r.differences {
            out.push_str(&format!("FAIL {}:{}: {}: {}\n", r.location.file, d.line, r.name, d.text));
        }
    }
    // Campaign text is shown printable (see `printable`).
    printable(&out).into_owned()
}

/// Every rule of each tested policy with the number of tests that exercised it, then the rules
/// no test touched.
pub fn coverage(suite: &Suite) -> String {
    let mut out = String::new();
    for (policy, rules) in suite.coverage() {
        let covered = rules.iter().filter(|r| r.tests > 0).count();
        let plural = if rules.len() == 1 { "" } else { "s" };
        out.push_str(&format!("coverage of {}: {covered} of {} rule{plural} exercised\n", policy.label, rules.len()));
        let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in &rules {
            let tests = if r.tests == 1 { "1 test".to_string() } else { format!("{} tests", r.tests) };
            out.push_str(&format!("  {:width$}  {tests}\n", r.name));
        }
        let untouched: Vec<_> = rules.iter().filter(|r| r.tests == 0).collect();
        if untouched.is_empty() {
            out.push_str("every rule is exercised by at least one test\n");
        } else {
            let n = untouched.len();
            out.push_str(&format!("{n} rule{} not exercised by any test:\n", if n == 1 { "" } else { "s" }));
            for r in untouched {
                out.push_str(&format!("  {:width$}  {}:{}\n", r.name, r.location.file, r.location.line));
            }
        }
    }
    // Campaign text is shown printable (see `printable`).
    printable(&out).into_owned()
}

/// One line per tested policy below `--min-coverage`.
pub fn coverage_shortfalls(suite: &Suite, percent: u8) -> String {
    let lines: String = suite
        .below_coverage(percent)
        .iter()
        .map(|(policy, covered, total)| {
            format!(
                "coverage of {}: {covered} of {total} rule{} exercised, below --min-coverage {percent}%\n",
                policy.label,
                if *total == 1 { "" } else { "s" }
            )
        })
        .collect();
    printable(&lines).into_owned()
}

/// The closing line; tests that could not run are counted too, so that a short count is
/// not read as a full one, and so are test files that could not run without saying how many
/// tests they hold (no number of tests is invented for them).
pub fn summary(suite: &Suite) -> String {
    let mut out = format!("{} passed, {} failed", suite.passed(), suite.failed());
    if suite.not_run > 0 {
        out.push_str(&format!(", {} not run", suite.not_run));
    }
    match suite.files_not_run {
        0 => {}
        1 => out.push_str(", 1 test file not run"),
        n => out.push_str(&format!(", {n} test files not run")),
    }
    out.push('\n');
    out
}
