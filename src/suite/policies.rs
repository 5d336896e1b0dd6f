//! The policies of a run: each loaded once, however its paths are spelt, and compiled; and
//! what a test file is told when its policy cannot be loaded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::confine::{self, Named};
use super::format::TestFile;
use super::{paths, Suite, TestedPolicy};

use crate::diagnostic::{io_reason, Code, Place, Problem};
use crate::eval::CompiledPolicy;
use crate::files;
use crate::policy::{self, CheckedPolicy, PolicyError};
use crate::source::{SourceMap, Span};

/// Why a policy could not be loaded, for each test file that names it. Problems with a place
/// in the policy's files were reported once (`reported`); the others (a path that cannot be
/// read, a folder without policy files) have no place but the `policy:` of each test file.
#[derive(Clone, Debug)]
pub(super) struct Unloaded {
    pub(super) unplaced: Vec<Problem>,
    pub(super) reported: bool,
}

/// The policies of a run, each loaded once.
pub(super) struct Policies<'a> {
    /// Compiled, in the order of [`Suite::policies`].
    pub(super) compiled: Vec<CompiledPolicy>,
    /// Each policy by the files its paths lead to: its index, or why it could not be loaded.
    cache: HashMap<Vec<Vec<u8>>, Result<usize, Unloaded>>,
    /// The policy named on the command line, used for every test file; empty: each file's own.
    pub(super) cli: &'a [PathBuf],
    pub(super) max_file_bytes: u64,
}

impl<'a> Policies<'a> {
    /// None loaded yet: `cli`, when not empty, is the policy of every test file.
    pub(super) fn new(cli: &'a [PathBuf], max_file_bytes: u64) -> Policies<'a> {
        Policies { compiled: Vec::new(), cache: HashMap::new(), cli, max_file_bytes }
    }

    /// The policy for a test file, loaded once per run: its index in [`Suite::policies`] and
    /// among the compiled policies. A policy is known by what its paths lead to, not by how they
    /// are spelt: `../p.policy`, a symbolic link to it and a hard link are one policy, with one
    /// coverage section counting every test run against it.
    pub(super) fn load(&mut self, suite: &mut Suite, file: &TestFile) -> Result<usize, Unloaded> {
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
pub(super) fn policy_problems(
    chosen: Option<Span>,
    file: &str,
    Unloaded { unplaced, reported }: Unloaded,
) -> Vec<Problem> {
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
