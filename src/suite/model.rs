//! What a run of test files comes to: each test's result with its differences from what the
//! test expected, the policies tested and how many tests exercised each rule, and what did not
//! run. These outlive the run, and the policies: reports read them.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::format::{Expected, UseKey};

use crate::diagnostic::Problem;
use crate::eval::Decision;
use crate::source::{Location, SourceMap};

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
        /// each blocked use; empty when it was allowed. Shared by the tests that expected
        /// otherwise of one campaign: a blocked campaign of many uses has as many blockers.
        blockers: Arc<[Blocker]>,
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
    /// order found ([`CheckedPolicy::skipped`](crate::policy::CheckedPolicy::skipped)).
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
