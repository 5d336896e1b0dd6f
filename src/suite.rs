//! `lagom test`: policy tests written by legal teams. A test file (YAML, [`format`](mod@format)) lists
//! campaigns, inline or by file, and the decisions expected for them; each test is run against
//! its policy and every difference is reported. Which rules the tests exercise is counted, so a
//! team can see the rules no test touches.

mod compare;
mod confine;
pub mod format;
mod paths;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use compare::Actual;
use confine::Named;
use format::{CampaignRef, Expected, TestFile, UseKey};

use crate::campaign::{self, yaml, Located};
use crate::diagnostic::{did_you_mean, io_reason, sort_problems, Code, Place, Problem};
use crate::eval::{CampaignDecision, CompiledPolicy, Decision};
use crate::files;
use crate::policy::{self, CheckedPolicy, PolicyError};
use crate::source::{FileId, Location, SourceFile, SourceMap, Span};

/// The result of one test.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// Where the test's name is.
    pub location: Location,
    /// Its name.
    pub name: String,
    /// What differed from the expectations; empty when the test passed.
    pub differences: Vec<Difference>,
    /// Rules that appear in the decision (deciding rules, warnings, campaign rules), sorted.
    pub exercised: BTreeSet<String>,
    /// Index of the policy in [`Suite::policies`].
    pub policy: usize,
}

/// One way a test's campaign came out otherwise than expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The line of the expectation it is about (the test's name line when that has no place
    /// of its own, as an empty list).
    pub line: usize,
    /// Its column (characters, from 1).
    pub column: usize,
    /// What was expected and what came instead.
    pub mismatch: Mismatch,
}

/// What a test expected of its campaign, and what the campaign came to instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The campaign was decided, otherwise than expected.
    Decision {
        /// As written: `invalid` too, which a decided campaign is not.
        expected: Expected,
        /// The campaign's decision.
        got: Decision,
        /// What blocked the campaign, when it was blocked: its campaign-level deny rules, then
        /// each blocked use; empty when it was allowed.
        blockers: Vec<Blocker>,
    },
    /// The campaign is invalid under the policy, where a decision was expected.
    Invalid {
        /// The decision expected; `None` when the test expects no decision, only rules or uses,
        /// which only a valid campaign has.
        expected: Option<Expected>,
        /// The first reason the campaign is invalid (an invalid campaign has at least one).
        first_problem: Option<InvalidReason>,
    },
    /// A list of rules the test names is not the list of rules that applied.
    Rules {
        /// Which list.
        list: ExpectedList,
        /// The rules the test names, sorted, each once.
        expected: Vec<String>,
        /// The rules that applied, sorted.
        got: Vec<String>,
    },
    /// A use was decided otherwise than expected.
    UseDecision {
        /// The use.
        of: DecidedUse,
        /// As written (`allow` or `block`).
        expected: Expected,
        /// How the use was decided.
        got: UseOutcome,
    },
    /// No use of the campaign is the one a use's expectation names.
    NoSuchUse {
        /// How the test names the use.
        key: UseKey,
        /// How many uses the campaign has.
        uses: usize,
    },
    /// The test expects something of a use, and the campaign is invalid: no use is decided.
    NoUseDecided {
        /// How the test names the use.
        key: UseKey,
    },
}

/// Why a campaign was blocked: one of the things that blocked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// The campaign-level deny rules that applied, by name.
    Campaign(Vec<String>),
    /// A use that was blocked, by rules or because no rule allows it.
    Use(DecidedUse, UseOutcome),
}

/// A use of a test's campaign, as reports name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecidedUse {
    /// Its position in `data`, from 0.
    pub index: usize,
    /// Its category.
    pub category: String,
}

/// How a use was decided, as [`crate::eval::Outcome`] says with the rules by name: a suite
/// outlives the policies it ran against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UseOutcome {
    /// Deny or retain rules applied.
    BlockedBy(Vec<String>),
    /// Allow rules applied.
    AllowedBy(Vec<String>),
    /// Nothing allows the category for the purpose.
    NotAllowed,
}

impl UseOutcome {
    /// The decision this outcome means.
    pub fn decision(&self) -> Decision {
        match self {
            UseOutcome::AllowedBy(_) => Decision::Allow,
            UseOutcome::BlockedBy(_) | UseOutcome::NotAllowed => Decision::Block,
        }
    }
}

/// The list of rules an expectation names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectedList {
    /// `campaign_rules`: the campaign-level deny rules.
    CampaignRules,
    /// `campaign_warnings`: the campaign-level warn rules.
    CampaignWarnings,
    /// A use's `rules`: its deciding rules.
    UseRules(DecidedUse),
    /// A use's `warnings`: the warn rules that applied to it.
    UseWarnings(DecidedUse),
    /// `errors`: the codes of the problems that make the campaign invalid.
    Errors,
}

/// The first reason a campaign is invalid, located in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidReason {
    /// The problem's message.
    pub message: String,
    /// Where it is.
    pub location: Location,
}

/// A policy some tests ran against.
#[derive(Clone, Debug)]
pub struct TestedPolicy {
    /// How it is named: its path, or the built-in pack.
    pub label: String,
    /// Every rule with its place, sorted by name.
    pub rules: Vec<(String, Location)>,
}

/// How many tests exercised one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCoverage {
    /// The rule.
    pub name: String,
    /// Where it is declared.
    pub location: Location,
    /// Tests whose decision it appears in.
    pub tests: usize,
}

/// A whole run.
#[derive(Debug, Default)]
pub struct Suite {
    /// Problems that made test files (or their policies) unusable, each group with its files.
    pub invalid: Vec<(SourceMap, Vec<Problem>)>,
    /// Every test that ran, files in path order, tests in file order.
    pub results: Vec<TestResult>,
    /// The policies tests ran against.
    pub policies: Vec<TestedPolicy>,
    /// Tests a file declares that did not run: the test is broken (a key of the wrong shape),
    /// names a rule or category its policy lacks, or its campaign cannot be read, or the file
    /// as a whole cannot run (a key of the wrong shape at its top, an invalid policy).
    pub not_run: usize,
    /// Test files that did not run and do not say how many tests they hold: they cannot be
    /// read, their YAML cannot be parsed, or they have no list of tests.
    pub files_not_run: usize,
    /// Files below the folders of the policies loaded, named like policy files but not ones
    /// (`10-deny.polcy`), which were not read: their rules were not tested. Each once, in the
    /// order found ([`CheckedPolicy::skipped`]).
    pub skipped: Vec<String>,
    /// Files below the test folders named like test files but not ones (`x.tests.yaml`,
    /// `x.test.yaml.bak`), which were not read: their tests did not run. In path order.
    pub skipped_tests: Vec<String>,
}

impl Suite {
    /// Tests without differences.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.differences.is_empty()).count()
    }

    /// Tests with differences.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// For each policy, every rule with the number of tests that exercised it.
    pub fn coverage(&self) -> Vec<(&TestedPolicy, Vec<RuleCoverage>)> {
        self.policies
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let rules = p
                    .rules
                    .iter()
                    .map(|(name, location)| RuleCoverage {
                        name: name.clone(),
                        location: location.clone(),
                        tests: self.results.iter().filter(|r| r.policy == i && r.exercised.contains(name)).count(),
                    })
                    .collect();
                (p, rules)
            })
            .collect()
    }

    /// The tested policies whose share of exercised rules is below `percent`, with how many
    /// of their rules were exercised and how many they have (`lagom test --min-coverage`).
    pub fn below_coverage(&self, percent: u8) -> Vec<(&TestedPolicy, usize, usize)> {
        self.coverage()
            .into_iter()
            .map(|(p, rules)| (p, rules.iter().filter(|r| r.tests > 0).count(), rules.len()))
            // In integers: covered / total < percent / 100.
            .filter(|&(_, covered, total)| covered * 100 < usize::from(percent) * total)
            .collect()
    }
}

/// Runs the test files under `paths` (files, or folders: every `*.test.yaml` / `*.test.yml`
/// below, the name in any case). `policy`, when not empty, is used for every file instead of the file's `policy:`.
/// Files larger than `max_file_bytes` are errors.
///
/// ```no_run
/// let suite = lagom::suite::run(&["policies/gdpr-marketing/tests".into()], &[], 4 << 20);
/// println!("{} passed, {} failed", suite.passed(), suite.failed());
/// ```
pub fn run(paths: &[String], policy: &[PathBuf], max_file_bytes: u64) -> Suite {
    let policies = Policies { compiled: Vec::new(), cache: HashMap::new(), cli: policy, max_file_bytes };
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
    fn run_test_file(&mut self, mut sources: SourceMap, source: &SourceFile, mut file: TestFile) {
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
        let max_file_bytes = self.policies.max_file_bytes;
        run_file(&mut self.suite, (&mut sources, source), &file, (compiled, index), max_file_bytes, &mut problems);
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

/// Leaves out of a test file the tests that name rules or categories its policy lacks, and
/// returns the problems of those and of its broken tests.
fn keep_runnable(file: &mut TestFile, policy: &CheckedPolicy) -> Vec<Problem> {
    let mut problems = std::mem::take(&mut file.broken);
    for expect in &file.broken_expects {
        problems.extend(unknown_names(expect, policy));
    }
    file.tests.retain(|t| {
        let unknown = unknown_names(&t.expect, policy);
        problems.extend_from_slice(&unknown);
        unknown.is_empty()
    });
    problems
}

/// Why a policy could not be loaded, for each test file that names it. Problems with a place
/// in the policy's files were reported once (`reported`); the others (a path that cannot be
/// read, a folder without policy files) have no place but the `policy:` of each test file.
#[derive(Clone, Debug)]
struct Unloaded {
    unplaced: Vec<Problem>,
    reported: bool,
}

/// The policies of a run, each loaded once.
struct Policies<'a> {
    /// Compiled, in the order of [`Suite::policies`].
    compiled: Vec<CompiledPolicy>,
    /// Each policy by the files its paths lead to: its index, or why it could not be loaded.
    cache: HashMap<Vec<Vec<u8>>, Result<usize, Unloaded>>,
    /// The policy named on the command line, used for every test file; empty: each file's own.
    cli: &'a [PathBuf],
    max_file_bytes: u64,
}

impl Policies<'_> {
    /// The policy for a test file, loaded once per run: its index in [`Suite::policies`] and
    /// among the compiled policies. A policy is known by what its paths lead to, not by how they
    /// are spelt: `../p.policy`, a symbolic link to it and a hard link are one policy, with one
    /// coverage section counting every test run against it.
    fn load(&mut self, suite: &mut Suite, file: &TestFile) -> Result<usize, Unloaded> {
        let paths: Vec<PathBuf> = match self.cli {
            [] => file.policy.iter().map(|p| as_read(&p.value)).collect(),
            cli => cli.to_vec(),
        };
        // Told in each test file's own words, before the cache: two spellings of one path that
        // may not be read are each told as written.
        if let ([], [one]) = (self.cli, paths.as_slice()) {
            if let Some((message, help)) = confine::refusal(one, Named::Policy) {
                let refused = Problem::in_file(Code::Io, files::display(one), message).with_help(help);
                return Err(Unloaded { unplaced: vec![refused], reported: false });
            }
        }
        // The built-in pack's key is empty: no path has it.
        let key: Vec<Vec<u8>> = paths.iter().map(|p| files::file_key(p)).collect();
        if let Some(entry) = self.cache.get(&key) {
            return entry.clone();
        }
        let chosen_by_file = self.cli.is_empty() && !paths.is_empty();
        let read = self.read(&paths, chosen_by_file);
        // Whether the policy loaded or not: a skipped file may hold what it lacks.
        let skipped = match &read {
            Ok(p) => &p.skipped,
            Err(e) => &e.skipped,
        };
        for name in skipped {
            if !suite.skipped.contains(name) {
                suite.skipped.push(name.clone());
            }
        }
        let entry = match read {
            Ok(p) => Ok(self.add(suite, &paths, p)),
            Err(e) => Err(unloaded(suite, e, chosen_by_file)),
        };
        self.cache.insert(key, entry.clone());
        entry
    }

    /// Reads a policy: the built-in pack when no path names one. A test file's `policy:` that
    /// leads nowhere is told in the test file's words.
    fn read(&self, paths: &[PathBuf], chosen_by_file: bool) -> Result<CheckedPolicy, PolicyError> {
        match paths {
            [] => policy::load_default(),
            [one] if chosen_by_file => match std::fs::metadata(one) {
                Err(e) => Err(PolicyError {
                    problems: vec![cannot_read(one, &e)],
                    sources: SourceMap::default(),
                    skipped: Vec::new(),
                    left_out: Vec::new(),
                }),
                Ok(_) => policy::load_paths_with_limit(paths, self.max_file_bytes),
            },
            _ => policy::load_paths_with_limit(paths, self.max_file_bytes),
        }
    }

    /// A policy loaded: tested (named by its paths) and compiled; its index.
    fn add(&mut self, suite: &mut Suite, paths: &[PathBuf], p: CheckedPolicy) -> usize {
        let label = if paths.is_empty() {
            "the built-in GDPR marketing pack".to_string()
        } else {
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        };
        let rules = p.rules.iter().map(|r| (r.name.clone(), p.sources.location(r.span))).collect();
        suite.policies.push(TestedPolicy { label, rules });
        self.compiled.push(CompiledPolicy::new(p));
        self.compiled.len() - 1
    }
}

/// A test file's `policy:` path as it is read. Read as written: `..` after a symbolic link to
/// a folder leads where the system says, not where dropping a name would (which once tested
/// another policy, silently). The tidy spelling is only shown, and only when it names the same
/// file.
fn as_read(written: &Path) -> PathBuf {
    let tidy = paths::tidy(written);
    let same = match (tidy.exists(), written.exists()) {
        (false, false) => true,
        _ => files::file_key(&tidy) == files::file_key(written),
    };
    if same {
        tidy
    } else {
        written.to_path_buf()
    }
}

/// Why a policy could not be loaded: its problems with a place in its files are reported here,
/// once; the others are kept for each test file that names the policy. A policy named on the
/// command line has no place in a test file to point at.
fn unloaded(suite: &mut Suite, e: PolicyError, chosen_by_file: bool) -> Unloaded {
    let (unplaced, placed): (Vec<Problem>, Vec<Problem>) = if chosen_by_file {
        e.problems.into_iter().partition(|p| matches!(p.place, Place::File(_)))
    } else {
        (Vec::new(), e.problems)
    };
    let reported = !placed.is_empty();
    if reported {
        suite.invalid.push((e.sources, placed));
    }
    Unloaded { unplaced, reported }
}

/// A test file's `policy:` that leads nowhere: the test file's mistake, told in its words.
fn cannot_read(path: &Path, e: &std::io::Error) -> Problem {
    let shown = files::display(path);
    Problem::in_file(Code::Io, &shown, format!("cannot read policy `{shown}`: {}", io_reason(e)))
        .with_help("`policy:` names a `.policy` file or a folder of them, relative to this test file")
}

/// What a test file is told when its policy could not be loaded: each problem without a place
/// of its own at the file's `policy:` value (`chosen`), and, when the policy's own errors were
/// reported, a pointer from there to them.
fn policy_problems(chosen: Option<Span>, file: &str, Unloaded { unplaced, reported }: Unloaded) -> Vec<Problem> {
    const NOT_RUN: &str = "no test of this file was run";
    let message = "the policy of this test file is invalid";
    let Some(span) = chosen else {
        let pointer = Problem::in_file(Code::Io, file, message)
            .with_help(format!("fix the policy errors reported above; {NOT_RUN}"));
        return vec![pointer];
    };
    let mut problems: Vec<Problem> = unplaced
        .into_iter()
        .map(|p| {
            let help = p.help.map_or_else(|| NOT_RUN.to_string(), |h| format!("{h}; {NOT_RUN}"));
            Problem { place: Place::Span(span), label: "this policy".into(), help: Some(help), ..p }
        })
        .collect();
    if reported {
        problems.push(Problem::at(Code::Io, span, message, "this policy").with_help(format!(
            "fix the policy errors reported above (the path is relative to this test file); {NOT_RUN}"
        )));
    }
    problems
}

/// Which list of an expectation a rule is named in: each holds one kind of rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RuleList {
    CampaignRules,
    CampaignWarnings,
    UseRules,
    UseWarnings,
}

impl RuleList {
    fn key(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "campaign_rules",
            RuleList::CampaignWarnings => "campaign_warnings",
            RuleList::UseRules => "rules",
            RuleList::UseWarnings => "warnings",
        }
    }

    /// The rules that can appear in the list, as a help names them.
    fn rules(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "campaign-level deny rules",
            RuleList::CampaignWarnings => "campaign-level warn rules",
            RuleList::UseRules => "per-use allow, deny and retain rules",
            RuleList::UseWarnings => "per-use warn rules",
        }
    }

    /// The list a rule belongs in, by its scope and effect.
    fn of(rule: &crate::policy::CheckedRule) -> RuleList {
        let warns = rule.effect == crate::policy::RuleEffect::Warn;
        match (&rule.scope, warns) {
            (crate::policy::RuleScope::Campaign { .. }, false) => RuleList::CampaignRules,
            (crate::policy::RuleScope::Campaign { .. }, true) => RuleList::CampaignWarnings,
            (crate::policy::RuleScope::Uses { .. }, false) => RuleList::UseRules,
            (crate::policy::RuleScope::Uses { .. }, true) => RuleList::UseWarnings,
        }
    }

    /// What a rule is, in the words that say which list it belongs in: its level and effect.
    fn describe(rule: &crate::policy::CheckedRule) -> String {
        use crate::policy::RuleEffect;
        let level = match rule.scope {
            crate::policy::RuleScope::Campaign { .. } => "a campaign-level",
            crate::policy::RuleScope::Uses { .. } => "a per-use",
        };
        let effect = match rule.effect {
            RuleEffect::Allow => "allow",
            RuleEffect::Deny => "deny",
            RuleEffect::Warn => "warn",
            RuleEffect::Retain(_) => "retain",
        };
        format!("{level} {effect} rule")
    }

    fn place(self) -> &'static str {
        match self {
            RuleList::CampaignRules => "list it under `campaign_rules`",
            RuleList::CampaignWarnings => "list it under `campaign_warnings`",
            RuleList::UseRules => "list it under the `rules` of the use it decides",
            RuleList::UseWarnings => "list it under the `warnings` of the use it warns about",
        }
    }
}

/// The rules and categories a test names that its policy does not have, and rules named in
/// a list they can never appear in (a per-use rule among `campaign_rules`: the test could
/// never pass, and would only say "expected \[x\], got \[\]").
fn unknown_names(e: &format::Expect, policy: &CheckedPolicy) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut rule = |n: &Located<String>, list: RuleList| match policy.rule_named(&n.value) {
        None => {
            // Only rules that can appear in this list are suggested: another kind would be the
            // next error ("it never appears in `warnings`").
            let names = policy.rules.iter().filter(|r| RuleList::of(r) == list).map(|r| r.name.as_str());
            problems.push(
                Problem::at(Code::UnknownName, n.span, format!("the policy has no rule `{}`", n.value), "unknown rule")
                    .with_help(did_you_mean(&n.value, list.rules(), names)),
            );
        }
        Some(r) => {
            let belongs = RuleList::of(r);
            if belongs != list {
                problems.push(
                    Problem::at(
                        Code::Type,
                        n.span,
                        format!("`{}` is {}: it never appears in `{}`", n.value, RuleList::describe(r), list.key()),
                        "wrong list",
                    )
                    .with_help(belongs.place()),
                );
            }
        }
    };
    e.campaign_rules.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::CampaignRules));
    e.campaign_warnings.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::CampaignWarnings));
    for u in &e.uses {
        u.rules.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::UseRules));
        u.warnings.iter().flat_map(|l| &l.value).for_each(|n| rule(n, RuleList::UseWarnings));
    }
    for u in &e.uses {
        if let format::UseKey::Category(c) = &u.key.value {
            if let Err(unknown) = policy.categories.resolve(c, "categories") {
                problems.push(
                    Problem::at(Code::UnknownName, u.key.span, format!("unknown category `{c}`"), "not a category")
                        .with_help(unknown.into_help()),
                );
            }
        }
    }
    problems
}

/// The text of a test's campaign file, or the problem to report at its `file:` value.
fn campaign_text(path: &Located<PathBuf>, max_file_bytes: u64) -> Result<String, Problem> {
    if let Some((message, help)) = confine::refusal(&path.value, Named::Campaign) {
        return Err(Problem::at(Code::Io, path.span, message, "not read").with_help(help));
    }
    files::read_text(&path.value, max_file_bytes).map_err(|unreadable| {
        let message = unreadable.message(&files::display(&path.value));
        Problem::at(unreadable.code(), path.span, message, "cannot be read")
            .with_help("`file` is a campaign file, relative to this test file")
    })
}

fn run_file(
    suite: &mut Suite,
    (sources, source): (&mut SourceMap, &SourceFile),
    file: &TestFile,
    (policy, index): (&CompiledPolicy, usize),
    max_file_bytes: u64,
    problems: &mut Vec<Problem>,
) {
    for t in &file.tests {
        let read = match &t.campaign {
            CampaignRef::Inline(node) => campaign::read_node(source, node, &policy.policy),
            CampaignRef::File(path) => match campaign_text(path, max_file_bytes) {
                Ok(text) => {
                    let f = SourceFile::new(files::display(&path.value), text);
                    campaign::read(sources.add(f.clone()), &f, &policy.policy)
                }
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            },
        };
        // A campaign too large to decide is invalid, as `lagom check` has it.
        let read = read.and_then(|c| match policy.too_large(&c) {
            Some(t) => Err(campaign::InvalidCampaign {
                id: c.id.as_ref().map(|l| l.value.clone()),
                id_span: c.id.as_ref().map(|l| l.span),
                problems: vec![crate::batch::too_large(t)],
            }),
            None => Ok(c),
        });
        let decision: Option<CampaignDecision> = read.as_ref().ok().map(|c| policy.decide(c));
        let actual = match (&read, &decision) {
            (_, Some(d)) => Actual::Decided(d),
            (Err(inv), None) => Actual::Invalid(inv, sources),
            (Ok(_), None) => continue,
        };
        suite.results.push(TestResult {
            location: sources.location(t.name.span),
            name: t.name.value.clone(),
            differences: {
                let mut found: Vec<Difference> = compare::differences(policy, &actual, &t.expect)
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
            exercised: decision.as_ref().map(|d| exercised(policy, d)).unwrap_or_default(),
            policy: index,
        });
    }
}

fn exercised(policy: &CompiledPolicy, d: &CampaignDecision) -> BTreeSet<String> {
    let ids = d
        .campaign_rules
        .iter()
        .chain(&d.campaign_warnings)
        .chain(d.uses.iter().flat_map(|u| u.outcome.rules().iter().chain(&u.warnings)));
    ids.filter_map(|id| policy.policy.rule(*id).map(|r| r.name.clone())).collect()
}
