//! `lagom test`: policy tests written by legal teams. A test file (YAML, [`format`](mod@format)) lists
//! campaigns, inline or by file, and the decisions expected for them; each test is run against
//! its policy and every difference is reported. Which rules the tests exercise is counted, so a
//! team can see the rules no test touches.

mod campaigns;
mod compare;
mod confine;
pub mod format;
mod model;
mod names;
mod paths;
mod policies;

use std::path::{Path, PathBuf};
use std::rc::Rc;

use campaigns::{Campaigns, Settled};
use format::{CampaignRef, TestFile};
use names::keep_runnable;
use policies::{policy_problems, Policies, Unloaded};

pub use model::{
    Blocker, DecidedUse, Difference, ExpectedList, InvalidReason, Mismatch, RuleCoverage, Suite, TestResult,
    TestedPolicy, UseOutcome,
};

use crate::campaign::{self, yaml};
use crate::diagnostic::{sort_problems, Problem};
use crate::eval::CompiledPolicy;
use crate::source::{FileId, SourceFile, SourceMap};

/// Runs the test files under `paths` (files, or folders: every `*.test.yaml` / `*.test.yml`
/// below, the name in any case). `policy`, when not empty, is used for every file instead of the file's `policy:`.
/// Files larger than `max_file_bytes` are errors.
///
/// ```no_run
/// let suite = lagom::suite::run(&["policies/gdpr-marketing/tests".into()], &[], 4 << 20);
/// println!("{} passed, {} failed", suite.passed(), suite.failed());
/// ```
pub fn run(paths: &[String], policy: &[PathBuf], max_file_bytes: u64) -> Suite {
    let policies = Policies::new(policy, max_file_bytes);
    let mut runner = Runner { suite: Suite::default(), policies };
    let (found, skipped_tests) = paths::discover(paths, max_file_bytes);
    for found in found {
        runner.run_found(found);
    }
    runner.suite.skipped_tests = skipped_tests;
    let mut suite = runner.suite;
    // A file's diagnostics are found by kind (shape, then names, then campaign files) and are
    // read top to bottom.
    for (sources, problems) in &mut suite.invalid {
        sort_problems(problems, sources);
    }
    suite
}

/// A run in progress: the suite so far, and the policies loaded for it.
struct Runner<'a> {
    suite: Suite,
    policies: Policies<'a>,
}

/// What did not run of a test file that could not run at all.
enum NotRun {
    /// These tests, which the file declares.
    Tests(usize),
    /// These files (one, or none for a path that is not a file), whose tests are not known.
    Files(usize),
}

impl Runner<'_> {
    /// One file found: read, its policy loaded and its tests run; what keeps it or its tests
    /// from running is reported.
    fn run_found(&mut self, found: paths::Found) {
        let text = match found.text {
            Ok(t) => t,
            Err((sources, p)) => return self.not_run(sources, vec![p], NotRun::Files(usize::from(found.is_file))),
        };
        let mut sources = SourceMap::default();
        let source = SourceFile::new(found.file, text);
        let id = sources.add(source.clone());
        match read_test_file(id, &source, &found.dir) {
            Ok(file) => self.run_test_file(sources, &source, file),
            Err((problems, not_run)) => self.not_run(sources, problems, not_run),
        }
    }

    /// A test file that cannot run at all: its problems, and what is not run.
    fn not_run(&mut self, sources: SourceMap, problems: Vec<Problem>, not_run: NotRun) {
        match not_run {
            NotRun::Tests(n) => self.suite.not_run += n,
            NotRun::Files(n) => self.suite.files_not_run += n,
        }
        self.suite.invalid.push((sources, problems));
    }

    /// Runs the tests of a test file against its policy. A test that cannot run is reported,
    /// and the file's other tests still run.
    fn run_test_file(&mut self, sources: SourceMap, source: &SourceFile, mut file: TestFile) {
        // Every test the file declares either has a result or is counted as not run.
        let declared = file.tests.len() + file.broken_tests;
        let loaded = self.policies.load(&mut self.suite, &file);
        let unloaded = || Unloaded { unplaced: Vec::new(), reported: true };
        let compiled = &self.policies.compiled;
        let (index, compiled) = match loaded.and_then(|i| compiled.get(i).map(|c| (i, c)).ok_or_else(unloaded)) {
            Ok(found) => found,
            Err(why) => return self.policy_unloaded(sources, &source.name, file, why, declared),
        };
        let mut problems = keep_runnable(&mut file, &compiled.policy);
        let results_before = self.suite.results.len();
        let mut campaigns = Campaigns::new(&file.tests, self.policies.max_file_bytes);
        run_file(&mut self.suite, &mut campaigns, (&sources, source), &file, (compiled, index), &mut problems);
        self.suite.not_run += declared.saturating_sub(self.suite.results.len() - results_before);
        if !problems.is_empty() {
            self.suite.invalid.push((sources, problems));
        }
    }

    /// A test file whose policy could not be loaded: why, where the file names it, and none of
    /// its `declared` tests run.
    fn policy_unloaded(&mut self, sources: SourceMap, name: &str, mut file: TestFile, why: Unloaded, declared: usize) {
        let chosen = file.policy.as_ref().filter(|_| self.policies.cli.is_empty()).map(|c| c.span);
        // The file's own mistakes are reported too: they remain after the policy is fixed.
        let mut problems = policy_problems(chosen, name, why);
        problems.append(&mut file.broken);
        self.suite.invalid.push((sources, problems));
        self.suite.not_run += declared;
    }
}

/// A test file's tests, or the problems that keep it from running and what is not run.
fn read_test_file(id: FileId, source: &SourceFile, dir: &Path) -> Result<TestFile, (Vec<Problem>, NotRun)> {
    let root = yaml::parse(id, source, yaml::Document::TestFile).map_err(|p| (vec![p], NotRun::Files(1)))?;
    format::read(&root, dir).map_err(|problems| {
        // The tests are counted when the file says how many; else the file is.
        let not_run = format::declared(&root).map_or(NotRun::Files(1), NotRun::Tests);
        (problems, not_run)
    })
}

fn run_file(
    suite: &mut Suite,
    campaigns: &mut Campaigns,
    (sources, source): (&SourceMap, &SourceFile),
    file: &TestFile,
    (policy, index): (&CompiledPolicy, usize),
    problems: &mut Vec<Problem>,
) {
    for t in &file.tests {
        let settled = match &t.campaign {
            CampaignRef::Inline(node) => {
                Rc::new(Settled::new(policy, campaign::read_node(source, node, &policy.policy), sources))
            }
            CampaignRef::File(path) => match campaigns.settle(path, policy) {
                Ok(settled) => settled,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            },
        };
        suite.results.push(TestResult {
            location: sources.location(t.name.span),
            name: t.name.value.clone(),
            differences: {
                let mut found: Vec<Difference> = compare::differences(policy, &settled, &t.expect)
                    .into_iter()
                    .map(|(at, mismatch)| {
                        let l = sources.location(at.unwrap_or(t.name.span));
                        Difference { line: l.line, column: l.column, mismatch }
                    })
                    .collect();
                // Top to bottom, as the file reads (stable: same-line differences keep their order).
                found.sort_by_key(|d| (d.line, d.column));
                found
            },
            exercised: settled.exercised(),
            policy: index,
        });
    }
}
