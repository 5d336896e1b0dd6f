//! The campaigns of a test file's tests, each file read and decided once for all the tests that
//! name it. A test file often names one campaign file in many tests (a test per expectation),
//! and a test file comes with the change under review: reading and deciding a large campaign
//! again for each test made the time and memory of a run grow with its tests rather than with
//! its campaigns.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use super::confine::{self, Named};
use super::format::{CampaignRef, TestCase};
use super::{compare, Blocker, InvalidReason};

use crate::campaign::{self, Campaign, InvalidCampaign, Located};
use crate::diagnostic::{Code, Problem};
use crate::eval::{CampaignDecision, CompiledPolicy};
use crate::files;
use crate::source::{SourceFile, SourceMap};

/// What a test's campaign came to under its policy: all a test compares, and nothing of the
/// campaign's text.
pub(super) enum Settled {
    /// Read and decided.
    Decided(Decided),
    /// Not readable under the policy.
    Invalid(Invalid),
}

/// A decided campaign, with what every test of it reports.
pub(super) struct Decided {
    /// Without its findings ([`compared`]).
    pub(super) decision: CampaignDecision,
    /// The rules in the decision, by name: what the tests of the campaign exercise.
    exercised: BTreeSet<String>,
    /// Made when a test first expects another decision, then shared by every such test: a
    /// blocked campaign of many uses has as many blockers.
    blockers: OnceCell<Arc<[Blocker]>>,
}

impl Decided {
    /// What blocked the campaign (see [`Mismatch::Decision`](super::Mismatch::Decision)).
    pub(super) fn blockers(&self, policy: &CompiledPolicy) -> Arc<[Blocker]> {
        Arc::clone(self.blockers.get_or_init(|| compare::blockers(policy, &self.decision).into()))
    }
}

/// An invalid campaign, as far as tests compare it.
pub(super) struct Invalid {
    /// The codes of its problems, sorted, each once.
    pub(super) codes: Vec<String>,
    /// Its first problem, located.
    pub(super) first_problem: Option<InvalidReason>,
}

impl Settled {
    /// A campaign as read under `policy` from the files of `sources`, decided when it can be.
    pub(super) fn new(
        policy: &CompiledPolicy,
        read: Result<Campaign, InvalidCampaign>,
        sources: &SourceMap,
    ) -> Settled {
        // A campaign too large to decide is invalid, as `lagom check` has it.
        let read = read.and_then(|c| match policy.too_large(&c) {
            Some(t) => Err(InvalidCampaign {
                id: c.id.as_ref().map(|l| l.value.clone()),
                id_span: c.id.as_ref().map(|l| l.span),
                problems: vec![crate::batch::too_large(t)],
            }),
            None => Ok(c),
        });
        match read {
            Ok(c) => {
                let decision = compared(policy.decide(&c));
                let exercised = exercised(policy, &decision);
                Settled::Decided(Decided { decision, exercised, blockers: OnceCell::new() })
            }
            Err(inv) => {
                let mut codes: Vec<String> = inv.problems.iter().map(|p| p.code.as_str().to_string()).collect();
                codes.sort();
                codes.dedup();
                let first_problem = inv
                    .problems
                    .first()
                    .map(|p| InvalidReason { message: p.message.clone(), location: p.location(sources) });
                Settled::Invalid(Invalid { codes, first_problem })
            }
        }
    }

    /// The rules a test of this campaign exercises.
    pub(super) fn exercised(&self) -> BTreeSet<String> {
        match self {
            Settled::Decided(d) => d.exercised.clone(),
            Settled::Invalid(_) => BTreeSet::new(),
        }
    }
}

/// What tests compare of a decision. The findings behind its rules, most of a decision of many
/// uses, are dropped: no expectation reads them, and a decision is kept while tests still name
/// its campaign.
fn compared(mut d: CampaignDecision) -> CampaignDecision {
    for u in &mut d.uses {
        u.basis = None;
        u.findings = Vec::new();
        u.unknown_allows = Vec::new();
    }
    d.campaign_findings = Vec::new();
    d.spelling_notes = Vec::new();
    d
}

fn exercised(policy: &CompiledPolicy, d: &CampaignDecision) -> BTreeSet<String> {
    let ids = d
        .campaign_rules
        .iter()
        .chain(&d.campaign_warnings)
        .chain(d.uses.iter().flat_map(|u| u.outcome.rules().iter().chain(&u.warnings)));
    ids.filter_map(|id| policy.policy.rule(*id).map(|r| r.name.clone())).collect()
}

/// The tests of one file still to run that name a campaign file, and what it came to for them
/// so far. A decided campaign is the same however its file is named; an invalid one is told in
/// the words of its name (its problems quote it), so it is kept by that name.
#[derive(Default)]
struct Pending {
    remaining: usize,
    decided: Option<Rc<Settled>>,
    invalid: HashMap<String, Rc<Settled>>,
}

/// The campaign files named by the tests of one test file (which all run under one policy),
/// each settled once and kept only until the last test naming it has run: a run of many
/// campaigns, each named once, holds one decision at a time, as it held one text.
pub(super) struct Campaigns {
    /// By the file each `file:` leads to ([`files::file_key`]).
    pending: HashMap<Vec<u8>, Pending>,
    max_file_bytes: u64,
    /// Campaign files read so far.
    reads: usize,
}

impl Campaigns {
    /// For `tests`, none read yet; files larger than `max_file_bytes` are errors.
    pub(super) fn new(tests: &[TestCase], max_file_bytes: u64) -> Campaigns {
        let mut pending: HashMap<Vec<u8>, Pending> = HashMap::new();
        for t in tests {
            if let CampaignRef::File(path) = &t.campaign {
                pending.entry(files::file_key(&path.value)).or_default().remaining += 1;
            }
        }
        Campaigns { pending, max_file_bytes, reads: 0 }
    }

    /// The campaign file `path` under `policy`, read and decided the first time a test names
    /// it; or the problem to report at the `file:` value. Called once for each test of
    /// [`Campaigns::new`] that names a file.
    pub(super) fn settle(&mut self, path: &Located<PathBuf>, policy: &CompiledPolicy) -> Result<Rc<Settled>, Problem> {
        let key = files::file_key(&path.value);
        let settled = self.settle_named(path, &key, policy);
        if let Some(p) = self.pending.get_mut(&key) {
            p.remaining = p.remaining.saturating_sub(1);
            if p.remaining == 0 {
                self.pending.remove(&key);
            }
        }
        settled
    }

    fn settle_named(
        &mut self,
        path: &Located<PathBuf>,
        key: &[u8],
        policy: &CompiledPolicy,
    ) -> Result<Rc<Settled>, Problem> {
        // Told at each `file:` in its own words, before the cache, as a policy is.
        if let Some((message, help)) = confine::refusal(&path.value, Named::Campaign) {
            return Err(Problem::at(Code::Io, path.span, message, "not read").with_help(help));
        }
        let shown = files::display(&path.value);
        if let Some(p) = self.pending.get(key) {
            if let Some(settled) = p.decided.as_ref().or_else(|| p.invalid.get(&shown)) {
                return Ok(Rc::clone(settled));
            }
        }
        let text = self.text(path, &shown)?;
        let mut sources = SourceMap::default();
        let source = SourceFile::new(shown.clone(), text);
        let read = campaign::read(sources.add(source.clone()), &source, &policy.policy);
        let settled = Rc::new(Settled::new(policy, read, &sources));
        if let Some(p) = self.pending.get_mut(key) {
            match *settled {
                Settled::Decided(_) => p.decided = Some(Rc::clone(&settled)),
                Settled::Invalid(_) => {
                    p.invalid.insert(shown, Rc::clone(&settled));
                }
            }
        }
        Ok(settled)
    }

    /// The text of a campaign file, or the problem to report at its `file:` value.
    fn text(&mut self, path: &Located<PathBuf>, shown: &str) -> Result<String, Problem> {
        self.reads += 1;
        files::read_text(&path.value, self.max_file_bytes).map_err(|unreadable| {
            Problem::at(unreadable.code(), path.span, unreadable.message(shown), "cannot be read")
                .with_help("`file` is a campaign file, relative to this test file")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy;
    use crate::source::Span;

    const CAMPAIGN: &str = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nrights: {unsubscribe: true}\n\
                            data:\n  - {category: contact.email, retention: 30 days}\n";

    /// The `file:` values of a test file in `dir`, each placed at the start of a test file.
    fn named(dir: &std::path::Path, names: &[&str]) -> Vec<TestCase> {
        let mut sources = SourceMap::default();
        let span = Span { file: sources.add(SourceFile::new("t.test.yaml", "tests: []\n")), start: 0, end: 5 };
        let test = |name: &&str| TestCase {
            name: Located { value: (*name).to_string(), span },
            campaign: CampaignRef::File(Located { value: dir.join(name), span }),
            expect: Default::default(),
        };
        names.iter().map(test).collect()
    }

    /// Settles each test's campaign in order, as a run does.
    fn settle_all(campaigns: &mut Campaigns, tests: &[TestCase]) -> Vec<Result<Rc<Settled>, Problem>> {
        let policy = CompiledPolicy::new(policy::load_default().unwrap());
        let path = |t: &TestCase| match &t.campaign {
            CampaignRef::File(path) => path.clone(),
            CampaignRef::Inline(_) => unreachable!(),
        };
        tests.iter().map(|t| campaigns.settle(&path(t), &policy)).collect()
    }

    fn first_problem_file(s: &Settled) -> String {
        match s {
            Settled::Invalid(Invalid { first_problem: Some(p), .. }) => p.location.file.clone(),
            _ => String::new(),
        }
    }

    #[test]
    fn a_campaign_file_is_read_once_however_many_tests_name_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.yaml"), CAMPAIGN).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let tests = named(dir.path(), &["c.yaml", "c.yaml", "./c.yaml", "sub/../c.yaml", "c.yaml"]);
        let mut campaigns = Campaigns::new(&tests, 1 << 20);
        let settled: Vec<Rc<Settled>> = settle_all(&mut campaigns, &tests).into_iter().map(Result::unwrap).collect();
        assert_eq!(campaigns.reads, 1);
        assert!(matches!(*settled[0], Settled::Decided(_)));
        assert!(settled.iter().all(|s| Rc::ptr_eq(s, &settled[0])));
        // Nothing is kept once the last test naming the campaign has run.
        assert!(campaigns.pending.is_empty());
    }

    #[test]
    fn an_invalid_campaign_is_read_once_for_each_name_its_problems_quote() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.yaml"), "campaign: c\npurpse: marketing.newsletter\n").unwrap();
        let tests = named(dir.path(), &["bad.yaml", "./bad.yaml", "bad.yaml", "./bad.yaml"]);
        let mut campaigns = Campaigns::new(&tests, 1 << 20);
        let settled: Vec<Rc<Settled>> = settle_all(&mut campaigns, &tests).into_iter().map(Result::unwrap).collect();
        assert_eq!(campaigns.reads, 2);
        assert!(Rc::ptr_eq(&settled[0], &settled[2]) && Rc::ptr_eq(&settled[1], &settled[3]));
        let files: Vec<String> = settled.iter().map(|s| first_problem_file(s)).collect();
        assert!(files[0].ends_with("/bad.yaml") && !files[0].ends_with("/./bad.yaml"), "{files:?}");
        assert!(files[1].ends_with("/./bad.yaml"), "{files:?}");
    }

    #[test]
    fn a_campaign_file_that_cannot_be_read_is_told_at_each_test() {
        let dir = tempfile::tempdir().unwrap();
        let tests = named(dir.path(), &["absent.yaml", "absent.yaml"]);
        let mut campaigns = Campaigns::new(&tests, 1 << 20);
        for settled in settle_all(&mut campaigns, &tests) {
            assert_eq!(settled.err().map(|p| p.code), Some(Code::Io));
        }
        assert_eq!(campaigns.reads, 2);
    }
}
