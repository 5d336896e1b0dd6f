//! `lagom test` output: a line per difference, rule coverage, and the closing count.

use super::message::{counted, one_line, printable};
use crate::eval::Decision;
use crate::suite::format::{Expected, UseKey};
use serde::Serialize;

use crate::suite::{
    Blocker, DecidedUse, ExpectedList, Mismatch, RuleCoverage, Suite, TestResult, TestedPolicy, UseOutcome,
};

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
            format!("{}: the campaign has no such use ({})", use_key(key), counted(*uses, "use", "uses"))
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
        ExpectedList::Errors => "errors".into(),
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
        let total = counted(rules.len(), "rule", "rules");
        out.push_str(&format!("coverage of {}: {covered} of {total} exercised\n", policy.label));
        let width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in &rules {
            out.push_str(&format!("  {:width$}  {}\n", r.name, counted(r.tests, "test", "tests")));
        }
        let untouched: Vec<_> = rules.iter().filter(|r| r.tests == 0).collect();
        if untouched.is_empty() {
            out.push_str("every rule is exercised by at least one test\n");
        } else {
            out.push_str(&format!("{} not exercised by any test:\n", counted(untouched.len(), "rule", "rules")));
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
    format!(
        "coverage of {}: {covered} of {} exercised, below --min-coverage {percent}%",
        policy.label,
        counted(*total, "rule", "rules")
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
    if suite.files_not_run > 0 {
        out.push_str(&format!(", {} not run", counted(suite.files_not_run, "test file", "test files")));
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
    let mut suites = test_file_suites(suite);
    let problems = problem_cases(suite);
    if !problems.is_empty() {
        suites.push(("lagom test: problems".into(), problems));
    }
    if let Some(percent) = min_coverage {
        suites.push(("lagom test: coverage".into(), coverage_cases(suite, percent)));
    }
    junit_document(&suites)
}

/// A JUnit test case as written, and whether it failed or erred.
struct Case {
    xml: String,
    failed: bool,
    erred: bool,
}

/// A `<testcase>` of the file or policy at `path`, at a line of a file when it has one, holding
/// `inner` (a failure or an error).
fn junit_case(name: &str, path: &str, at: Option<(&str, usize)>, inner: Option<String>) -> String {
    use super::junit::line_attr;
    let place = at.map(|(file, line)| format!(" file=\"{}\" line=\"{line}\"", line_attr(file))).unwrap_or_default();
    let head =
        format!("    <testcase name=\"{}\" classname=\"{}\"{place}", line_attr(name), line_attr(&class_name(path)));
    match inner {
        None => format!("{head}/>\n"),
        Some(inner) => format!("{head}>\n      {inner}\n    </testcase>\n"),
    }
}

/// A JUnit class name for a test file or policy path, as CI servers read one: Jenkins and
/// GitLab split a class name at its last `.` into package and class, so the path
/// `policies/pack/tests/consent.test.yaml` is `policies.pack.tests.consent` (its class
/// `consent`), not a class `yaml` for every file. The path itself is in `file`.
fn class_name(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let stem = [".test.yaml", ".test.yml", ".yaml", ".yml", ".policy"]
        .iter()
        .find_map(|end| path.strip_suffix(end))
        .unwrap_or(path);
    let parts: Vec<String> =
        stem.split(['/', '\\']).filter(|p| !p.is_empty()).map(|part| part.replace('.', "_")).collect();
    match parts.is_empty() {
        true => "lagom.test".to_string(),
        false => parts.join("."),
    }
}

/// One suite per test file, in the order the tests ran, with a case per test.
fn test_file_suites(suite: &Suite) -> Vec<(String, Vec<Case>)> {
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();
    for r in &suite.results {
        let file = &r.location.file;
        if suites.last().is_none_or(|(name, _)| name != file) {
            suites.push((file.clone(), Vec::new()));
        }
        if let Some((_, cases)) = suites.last_mut() {
            cases.push(test_case(r));
        }
    }
    suites
}

/// A test's case, failing with its differences.
fn test_case(r: &TestResult) -> Case {
    use super::junit::xml;
    let file = &r.location.file;
    let failure = (!r.differences.is_empty()).then(|| {
        let lines: String = r
            .differences
            .iter()
            .map(|d| format!("{}:{}:{}: {}\n", one_line(file), d.line, d.column, one_line(&mismatch(&d.mismatch))))
            .collect();
        let failed = counted(r.differences.len(), "expectation", "expectations");
        format!("<failure message=\"{failed} failed\" type=\"difference\">{}</failure>", xml(&lines))
    });
    Case {
        failed: failure.is_some(),
        xml: junit_case(&r.name, file, Some((file, r.location.line)), failure),
        erred: false,
    }
}

/// An erroring case per problem that kept a test or a file from running.
fn problem_cases(suite: &Suite) -> Vec<Case> {
    use super::junit::{attr, xml};
    suite
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
            Case {
                xml: junit_case(&name, &at.file, Some((&at.file, at.line)), Some(error)),
                failed: false,
                erred: true,
            }
        })
        .collect()
}

/// A case per tested policy, failing when it is below `--min-coverage`.
fn coverage_cases(suite: &Suite, percent: u8) -> Vec<Case> {
    use super::junit::{attr, xml};
    let below = suite.below_coverage(percent);
    suite
        .policies
        .iter()
        .map(|policy| {
            let short = below.iter().find(|(p, ..)| std::ptr::eq(*p, policy));
            let failure = short.map(|s| {
                let text = shortfall(s, percent);
                format!("<failure message=\"{}\" type=\"min_coverage\">{}</failure>", attr(&text), xml(&text))
            });
            let name = format!("--min-coverage {percent}%");
            Case { failed: failure.is_some(), xml: junit_case(&name, &policy.label, None, failure), erred: false }
        })
        .collect()
}

/// The document: each suite with its counts, and the counts of them all.
fn junit_document(suites: &[(String, Vec<Case>)]) -> String {
    use super::junit::line_attr;
    let counts = |cases: &[Case]| {
        (cases.len(), cases.iter().filter(|c| c.failed).count(), cases.iter().filter(|c| c.erred).count())
    };
    let mut body = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for (name, cases) in suites {
        let (t, f, e) = counts(cases);
        (tests, failures, errors) = (tests + t, failures + f, errors + e);
        let head = format!("tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"0\"");
        body.push_str(&format!("  <testsuite name=\"{}\" {head}>\n", line_attr(name)));
        cases.iter().for_each(|c| body.push_str(&c.xml));
        body.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}</testsuites>\n"
    )
}

#[derive(Serialize)]
struct JsonDifference {
    line: usize,
    column: usize,
    message: String,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    file: &'a str,
    line: usize,
    name: &'a str,
    result: &'static str,
    differences: Vec<JsonDifference>,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    rule: &'a str,
    tests: usize,
    file: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    policy: &'a str,
    exercised: usize,
    rules: Vec<JsonRule<'a>>,
    below_min_coverage: bool,
}

#[derive(Serialize)]
struct JsonCounts {
    passed: usize,
    failed: usize,
    not_run: usize,
    files_not_run: usize,
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    version: u32,
    tests: Vec<JsonTest<'a>>,
    errors: Vec<super::json::JsonError>,
    coverage: Vec<JsonCoverage<'a>>,
    summary: JsonCounts,
}

/// The run as one JSON document: every test with its differences, the problems that kept
/// tests from running (as `check` gives errors), the coverage of each policy, and the counts.
pub fn json(suite: &Suite, min_coverage: Option<u8>) -> String {
    let tests = suite.results.iter().map(json_test).collect();
    let errors = suite.invalid.iter().flat_map(|(sources, problems)| super::json::errors(problems, sources)).collect();
    let coverage_of = suite.coverage();
    let summary = JsonCounts {
        passed: suite.passed(),
        failed: suite.failed(),
        not_run: suite.not_run,
        files_not_run: suite.files_not_run,
    };
    let coverage = json_coverage(suite, &coverage_of, min_coverage);
    super::json::to_string(&JsonDocument { version: 1, tests, errors, coverage, summary })
}

/// A test with its differences.
fn json_test(r: &TestResult) -> JsonTest<'_> {
    JsonTest {
        file: &r.location.file,
        line: r.location.line,
        name: &r.name,
        result: if r.differences.is_empty() { "pass" } else { "fail" },
        differences: r
            .differences
            .iter()
            .map(|d| JsonDifference { line: d.line, column: d.column, message: mismatch(&d.mismatch) })
            .collect(),
    }
}

/// Each tested policy's rules with the tests that exercised them, and whether it is below
/// `--min-coverage`.
fn json_coverage<'a>(
    suite: &Suite,
    coverage_of: &'a [(&'a TestedPolicy, Vec<RuleCoverage>)],
    min_coverage: Option<u8>,
) -> Vec<JsonCoverage<'a>> {
    let below: Vec<String> = min_coverage
        .map(|p| suite.below_coverage(p))
        .unwrap_or_default()
        .iter()
        .map(|(p, ..)| p.label.clone())
        .collect();
    coverage_of
        .iter()
        .map(|(policy, rules)| JsonCoverage {
            policy: &policy.label,
            exercised: rules.iter().filter(|r| r.tests > 0).count(),
            rules: rules
                .iter()
                .map(|r| JsonRule { rule: &r.name, tests: r.tests, file: &r.location.file, line: r.location.line })
                .collect(),
            below_min_coverage: below.contains(&policy.label),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::class_name;

    #[test]
    fn class_names_split_at_the_file_not_at_its_extension() {
        assert_eq!(class_name("policies/pack/tests/consent.test.yaml"), "policies.pack.tests.consent");
        assert_eq!(class_name("./t/a.b.test.yml"), "t.a_b");
        assert_eq!(class_name("policies/gdpr-marketing"), "policies.gdpr-marketing");
        assert_eq!(class_name("p.policy"), "p");
        assert_eq!(class_name("-"), "-");
    }
}
