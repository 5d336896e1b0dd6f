//! `lagom test`.

use std::path::PathBuf;

use lagom::report;

use super::{output, style, Exit, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Policy file or directory (repeatable) for every test file, instead of each file's
    /// `policy:` (and of the built-in pack).
    #[arg(long, value_name = "PATH")]
    policy: Vec<PathBuf>,
    /// List every rule with the number of tests that exercised it, and the rules no test touched.
    #[arg(long)]
    coverage: bool,
    /// Fail (exit 1) when a tested policy has less than this percentage of its rules
    /// exercised; 100 asks for every rule.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    min_coverage: Option<u8>,
    /// Output format: text for people, one JSON document, GitHub annotations or JUnit XML for CI.
    #[arg(long, value_enum, default_value = "human")]
    format: TestFormat,
    #[command(flatten)]
    limits: super::Limits,
    /// Test files, or directories (every `*.test.yaml` / `*.test.yml` below, in any case).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
}

/// `lagom test --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// Lines for people; problems on standard error with snippets.
    Human,
    /// One JSON document on standard output.
    Json,
    /// GitHub Actions annotations at each failed expectation and problem.
    Github,
    /// JUnit XML: a test case per test, per problem, and per policy under `--min-coverage`.
    Junit,
}

pub fn run(args: Args) -> Exit {
    let suite = lagom::suite::run(&args.paths, &args.policy, args.limits.bytes());
    // As `check` notes them, in every format: the rules of a skipped file were not tested.
    for name in &suite.skipped {
        output::err(report::human::skipped_policy_note(name));
    }
    // As `check` notes the files of a campaign folder it passes over: their tests did not run.
    for name in &suite.skipped_tests {
        output::err(report::human::skipped_test_note(name));
    }
    let short = args.min_coverage.filter(|&p| !suite.below_coverage(p).is_empty());
    match args.format {
        TestFormat::Json => output::out(report::suite::json(&suite, args.min_coverage)),
        TestFormat::Github => output::out(report::suite::github(&suite, args.min_coverage)),
        TestFormat::Junit => output::out(report::suite::junit(&suite, args.min_coverage)),
        TestFormat::Human => {
            for (sources, problems) in &suite.invalid {
                output::err(report::human::problems(problems, sources, style(Stream::Stderr)));
            }
            output::out(report::suite::failures(&suite));
            if args.coverage {
                output::out(report::suite::coverage(&suite));
            }
            if let Some(percent) = short {
                output::out(report::suite::coverage_shortfalls(&suite, percent));
            }
            output::out(report::suite::summary(&suite));
        }
    }
    if !suite.invalid.is_empty() {
        Exit::Invalid
    } else if suite.failed() > 0 || short.is_some() {
        Exit::Blocked
    } else {
        Exit::Allowed
    }
}

/// `--min-coverage`: a whole percentage (clap's own parser said "invalid digit found in
/// string" of `44.4`).
fn percent(text: &str) -> Result<u8, String> {
    match text.strip_suffix('%').unwrap_or(text).parse::<u8>() {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err("a whole percentage from 0 to 100 is expected, e.g. `90`".into()),
    }
}
