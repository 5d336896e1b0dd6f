//! `lagom test` output: a line per difference, rule coverage, and the closing count.

use super::message::{one_line, printable};
use crate::eval::Decision;
use crate::suite::format::{Expected, UseKey};
use crate::suite::{Blocker, DecidedUse, ExpectedList, Mismatch, Suite, TestedPolicy, UseOutcome};

/// A difference in words, as every format shows it: what was expected, then what came.
pub fn mismatch(m: &Mismatch) -> String {
    match m {
        Mismatch::Decision { expected, got, blockers } => {
            let why = match got {
                Decision::Allow => String::new(),
                Decision::Block => format!(" ({})", blockers.iter().map(blocker).collect::<Vec<_>>().join("; ")),
            };
            format!("decision: expected {}, got {}{why}", expected.as_str(), got.as_str())
        }
        Mismatch::Invalid { expected, first_problem } => {
            let wanted = expected.map_or("a valid campaign", Expected::as_str);
            let first = first_problem.as_ref().map_or_else(String::new, |p| {
                let l = &p.location;
                format!(": {} ({}:{}:{})", p.message, l.file, l.line, l.column)
            });
            format!("decision: expected {wanted}, got invalid{first}")
        }
        Mismatch::Rules { list, expected, got } => {
            format!("{}: expected {}, got {}", list_name(list), shown(expected), shown(got))
        }
        Mismatch::UseDecision { of, expected, got } => format!(
            "{}: decision: expected {}, got {}{}",
            use_name(of),
            expected.as_str(),
            got.decision().as_str(),
            by(got)
        ),
        Mismatch::NoSuchUse { key, uses } => {
            let count = match uses {
                1 => "1 use".to_string(),
                n => format!("{n} uses"),
            };
            format!("{}: the campaign has no such use ({count})", use_key(key))
        }
        Mismatch::NoUseDecided { key } => format!("{}: the campaign is invalid, so no use is decided", use_key(key)),
    }
}

/// One thing that blocked a campaign, briefly.
fn blocker(b: &Blocker) -> String {
    match b {
        Blocker::Campaign(rules) => format!("campaign blocked by {}", rules.join(", ")),
        Blocker::Use(u, outcome) => format!("{} blocked{}", use_name(u), by(outcome)),
    }
}

/// ` by RULES`, or why no rule decided.
fn by(o: &UseOutcome) -> String {
    match o {
        UseOutcome::NotAllowed => ": no rule allows it".to_string(),
        UseOutcome::BlockedBy(r) | UseOutcome::AllowedBy(r) => format!(" by {}", r.join(", ")),
    }
}

/// A use as decided: its position and category.
fn use_name(u: &DecidedUse) -> String {
    format!("use {} {}", u.index, u.category)
}

/// A use as a test names it.
fn use_key(key: &UseKey) -> String {
    match key {
        UseKey::Index(i) => format!("use {i}"),
        UseKey::Category(c) => format!("use of `{c}`"),
    }
}

/// A list as the test file names it.
fn list_name(list: &ExpectedList) -> String {
    match list {
        ExpectedList::CampaignRules => "campaign_rules".into(),
        ExpectedList::CampaignWarnings => "campaign_warnings".into(),
        ExpectedList::UseRules(u) => format!("{}: rules", use_name(u)),
        ExpectedList::UseWarnings(u) => format!("{}: warnings", use_name(u)),
    }
}

fn shown(names: &[String]) -> String {
    format!("[{}]", names.join(", "))
}

/// One line per difference of every failed test: `FAIL file:line: name: difference`.
pub fn failures(suite: &Suite) -> String {
    let mut out = String::new();
    for r in &suite.results {
        // At the expectation that failed, so an editor jumps to the line to look at.
        for d in &r.differences {
            // One line each, whatever the test's name holds: a line break in it would start a
            // line of the CI log (`::warning::…`).
            let text = mismatch(&d.mismatch);
            let (name, text) = (one_line(&r.name), one_line(&text));
            out.push_str(&format!("FAIL {}:{}: {name}: {text}\n", one_line(&r.location.file), d.line));
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
    let lines: String = suite.below_coverage(percent).iter().map(|s| format!("{}\n", shortfall(s, percent))).collect();
    printable(&lines).into_owned()
}

/// One policy below `--min-coverage`, in words (human line and GitHub annotation alike).
fn shortfall((policy, covered, total): &(&TestedPolicy, usize, usize), percent: u8) -> String {
    let plural = if *total == 1 { "" } else { "s" };
    format!(
        "coverage of {}: {covered} of {total} rule{plural} exercised, below --min-coverage {percent}%",
        policy.label
    )
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

/// The run as GitHub workflow commands, for CI: an error at each failed expectation, at each
/// problem that kept a test or a file from running, and for each policy below
/// `--min-coverage`; then the closing line.
pub fn github(suite: &Suite, min_coverage: Option<u8>) -> String {
    use super::github::{annotation, unplaced};
    use super::items::Level;
    let mut out = String::new();
    for (sources, problems) in &suite.invalid {
        for p in problems {
            let item = super::items::error_item(p, sources);
            out.push_str(&annotation(
                Level::Error,
                &item.location,
                &format!("lagom: {}", p.code.name()),
                &item.message,
            ));
        }
    }
    for r in &suite.results {
        for d in &r.differences {
            let at = crate::source::Location { file: r.location.file.clone(), line: d.line, column: d.column };
            let text = mismatch(&d.mismatch);
            out.push_str(&annotation(Level::Error, &at, &format!("lagom test: {}", r.name), &text));
        }
    }
    if let Some(percent) = min_coverage {
        for below in suite.below_coverage(percent) {
            out.push_str(&unplaced(Level::Error, "lagom: min_coverage", &shortfall(&below, percent)));
        }
    }
    out.push_str(&summary(suite));
    out
}

/// The run as JUnit XML, for CI servers that show test results (GitLab, Jenkins, Azure): one
/// test suite per test file with a test case per test, failing with its differences; a suite
/// of the problems that kept tests or files from running, each an erroring test case; and,
/// with `--min-coverage`, a suite with a test case per tested policy, failing when it is below.
pub fn junit(suite: &Suite, min_coverage: Option<u8>) -> String {
    use super::junit::{attr, xml};
    /// A test case as written, and whether it failed or erred.
    struct Case {
        xml: String,
        failed: bool,
        erred: bool,
    }
    let testcase = |name: &str, classname: &str, at: Option<(&str, usize)>, inner: Option<String>| {
        let place = at.map(|(file, line)| format!(" file=\"{}\" line=\"{line}\"", attr(file))).unwrap_or_default();
        let head = format!("    <testcase name=\"{}\" classname=\"{}\"{place}", attr(name), attr(classname));
        match inner {
            None => format!("{head}/>\n"),
            Some(inner) => format!("{head}>\n      {inner}\n    </testcase>\n"),
        }
    };
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    for r in &suite.results {
        let file = &r.location.file;
        if suites.last().is_none_or(|(name, _)| name != file) {
            suites.push((file.clone(), Vec::new()));
        }
        let failure = (!r.differences.is_empty()).then(|| {
            let n = r.differences.len();
            let lines: String = r
                .differences
                .iter()
                .map(|d| format!("{}:{}:{}: {}\n", one_line(file), d.line, d.column, one_line(&mismatch(&d.mismatch))))
                .collect();
            let plural = if n == 1 { "" } else { "s" };
            format!("<failure message=\"{n} expectation{plural} failed\" type=\"difference\">{}</failure>", xml(&lines))
        });
        let case = Case {
            failed: failure.is_some(),
            xml: testcase(&r.name, file, Some((file, r.location.line)), failure),
            erred: false,
        };
        if let Some((_, cases)) = suites.last_mut() {
            cases.push(case);
        }
    }
    let problems: Vec<Case> = suite
        .invalid
        .iter()
        .flat_map(|(sources, problems)| problems.iter().map(move |p| super::items::error_item(p, sources)))
        .map(|item| {
            let (at, code) = (&item.location, item.rule.id());
            let name = format!("{code} at {}:{}:{}", one_line(&at.file), at.line, at.column);
            let error = format!(
                "<error message=\"{}\" type=\"{}\">{}</error>",
                attr(&one_line(&item.message)),
                attr(&code),
                xml(&format!("{}:{}:{}: {}\n", one_line(&at.file), at.line, at.column, one_line(&item.message)))
            );
            Case { xml: testcase(&name, &at.file, Some((&at.file, at.line)), Some(error)), failed: false, erred: true }
        })
        .collect();
    if !problems.is_empty() {
        suites.push(("lagom test: problems".into(), problems));
    }
    if let Some(percent) = min_coverage {
        let below = suite.below_coverage(percent);
        let cases = suite
            .policies
            .iter()
            .map(|policy| {
                let short = below.iter().find(|(p, ..)| std::ptr::eq(*p, policy));
                let failure = short.map(|s| {
                    let text = shortfall(s, percent);
                    format!("<failure message=\"{}\" type=\"min_coverage\">{}</failure>", attr(&text), xml(&text))
                });
                let name = format!("--min-coverage {percent}%");
                Case { failed: failure.is_some(), xml: testcase(&name, &policy.label, None, failure), erred: false }
            })
            .collect();
        suites.push(("lagom test: coverage".into(), cases));
    }
    let counts = |cases: &[Case]| {
        (cases.len(), cases.iter().filter(|c| c.failed).count(), cases.iter().filter(|c| c.erred).count())
    };
    let mut body = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for (name, cases) in &suites {
        let (t, f, e) = counts(cases);
        (tests, failures, errors) = (tests + t, failures + f, errors + e);
        let head = format!("tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"0\"");
        body.push_str(&format!("  <testsuite name=\"{}\" {head}>\n", attr(name)));
        cases.iter().for_each(|c| body.push_str(&c.xml));
        body.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}</testsuites>\n"
    )
}

/// The run as one JSON document: every test with its differences, the problems that kept
/// tests from running (as `check` gives errors), the coverage of each policy, and the counts.
pub fn json(suite: &Suite, min_coverage: Option<u8>) -> String {
    use serde::Serialize;
    #[derive(Serialize)]
    struct Difference {
        line: usize,
        column: usize,
        message: String,
    }
    #[derive(Serialize)]
    struct Test<'a> {
        file: &'a str,
        line: usize,
        name: &'a str,
        result: &'static str,
        differences: Vec<Difference>,
    }
    #[derive(Serialize)]
    struct Rule<'a> {
        rule: &'a str,
        tests: usize,
        file: &'a str,
        line: usize,
    }
    #[derive(Serialize)]
    struct Coverage<'a> {
        policy: &'a str,
        exercised: usize,
        rules: Vec<Rule<'a>>,
        below_min_coverage: bool,
    }
    #[derive(Serialize)]
    struct Counts {
        passed: usize,
        failed: usize,
        not_run: usize,
        files_not_run: usize,
    }
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        tests: Vec<Test<'a>>,
        errors: Vec<super::json::JsonError>,
        coverage: Vec<Coverage<'a>>,
        summary: Counts,
    }
    let tests = suite
        .results
        .iter()
        .map(|r| Test {
            file: &r.location.file,
            line: r.location.line,
            name: &r.name,
            result: if r.differences.is_empty() { "pass" } else { "fail" },
            differences: r
                .differences
                .iter()
                .map(|d| Difference { line: d.line, column: d.column, message: mismatch(&d.mismatch) })
                .collect(),
        })
        .collect();
    let errors = suite.invalid.iter().flat_map(|(sources, problems)| super::json::errors(problems, sources)).collect();
    let below: Vec<String> = min_coverage
        .map(|p| suite.below_coverage(p))
        .unwrap_or_default()
        .iter()
        .map(|(p, ..)| p.label.clone())
        .collect();
    let coverage_of = suite.coverage();
    let coverage = coverage_of
        .iter()
        .map(|(policy, rules)| Coverage {
            policy: &policy.label,
            exercised: rules.iter().filter(|r| r.tests > 0).count(),
            rules: rules
                .iter()
                .map(|r| Rule { rule: &r.name, tests: r.tests, file: &r.location.file, line: r.location.line })
                .collect(),
            below_min_coverage: below.contains(&policy.label),
        })
        .collect();
    let summary = Counts {
        passed: suite.passed(),
        failed: suite.failed(),
        not_run: suite.not_run,
        files_not_run: suite.files_not_run,
    };
    super::json::to_string(&Document { version: 1, tests, errors, coverage, summary })
}
