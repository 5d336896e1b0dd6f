//! Deciding a run's campaigns a chunk at a time, as its report asks for them.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Batch, CampaignResult, Tally, Verdict};
use crate::campaign::Campaign;
use crate::diagnostic::Problem;
use crate::eval::{CompiledPolicy, Standing};
use crate::files::{self, FileIdentity};
use crate::source::{FileId, SourceMap, Span};

/// Campaigns decided (and rendered) at once, per thread: enough to keep every core busy between
/// chunks, few enough that the decisions and rendered parts held at once stay small however
/// many campaigns a run has and however many findings each has (BENCHMARKS.md).
const CAMPAIGNS_PER_THREAD: usize = 32;

/// Campaigns per chunk. Only memory and speed depend on it, never the output.
fn chunk_len() -> usize {
    CAMPAIGNS_PER_THREAD * rayon::current_num_threads().max(1)
}

/// The campaigns of a run as a report reads them: decided results a chunk at a time, in file
/// order. A report never decides; whoever implements this does.
pub trait Results: Sync {
    /// The policy's files followed by the campaign files.
    fn sources(&self) -> &SourceMap;
    /// How many results there are.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Hands every result to `each`, a chunk at a time, in file order, and returns the tally of
    /// every result handed out; stops at the first error.
    fn each_chunk(&self, each: &mut dyn FnMut(&[CampaignResult]) -> std::io::Result<()>) -> std::io::Result<Tally>;
    /// Each campaign's decision and number of warnings (`None` when it is invalid), in file
    /// order, without the findings: for a report whose counts come before its campaigns.
    fn standings(&self) -> Vec<Option<Standing>>;
    /// Files in the campaign folders named like campaign files that are not one
    /// (`spring.yaml.txt`), which were not read.
    fn skipped(&self) -> &[String];
}

impl Results for Batch {
    fn sources(&self) -> &SourceMap {
        &self.sources
    }

    fn skipped(&self) -> &[String] {
        &self.skipped
    }

    fn len(&self) -> usize {
        self.results.len()
    }

    fn each_chunk(&self, each: &mut dyn FnMut(&[CampaignResult]) -> std::io::Result<()>) -> std::io::Result<Tally> {
        let mut tally = Tally::default();
        for chunk in self.results.chunks(chunk_len()) {
            tally.add_all(chunk);
            each(chunk)?;
        }
        Ok(tally)
    }

    fn standings(&self) -> Vec<Option<Standing>> {
        let standing = |r: &CampaignResult| match &r.verdict {
            Verdict::Decided(_, d) => Some(d.standing()),
            Verdict::Invalid(_) => None,
        };
        self.results.iter().map(standing).collect()
    }
}

/// Every campaign file of a run read and checked against the policy, sorted by file path, and
/// decided only when a report asks for it, a chunk at a time ([`Results::each_chunk`]). A report
/// that needs counts first (JUnit) asks for [`Results::standings`], which runs the evaluator's
/// hot path only.
pub struct ReadBatch<'p> {
    pub(super) policy: &'p CompiledPolicy,
    /// The policy's files followed by the campaign files.
    pub sources: SourceMap,
    pub(super) files: Vec<ReadFile>,
    /// What the files read are, whatever the paths that led to them.
    pub(super) identities: HashSet<FileIdentity>,
    /// Files skipped for their names ([`Results::skipped`]).
    pub(super) skipped: Vec<String>,
}

/// A campaign file read and checked, not yet decided.
pub(super) struct ReadFile {
    pub(super) file: String,
    pub(super) file_id: Option<FileId>,
    pub(super) id: Option<String>,
    pub(super) id_span: Option<Span>,
    pub(super) campaign: Result<Arc<Campaign>, Vec<Problem>>,
}

impl ReadFile {
    pub(super) fn decide(&self, policy: &CompiledPolicy) -> CampaignResult {
        let verdict = match &self.campaign {
            Ok(c) => Verdict::Decided(Arc::clone(c), policy.decide(c)),
            Err(problems) => Verdict::Invalid(problems.clone()),
        };
        CampaignResult {
            file: self.file.clone(),
            file_id: self.file_id,
            id: self.id.clone(),
            id_span: self.id_span,
            verdict,
        }
    }
}

impl<'p> ReadBatch<'p> {
    /// Whether `path` is another name for a campaign file read (a hard link, or the target of
    /// a symbolic link in a campaign folder): a report written there would replace it.
    pub fn reads(&self, path: &Path) -> bool {
        files::identity(path).is_some_and(|id| self.identities.contains(&id))
    }

    /// Decides every campaign and holds all the decisions.
    pub fn decide_all(self) -> Batch {
        let results = self.decide(&self.files);
        Batch { sources: self.sources, results, skipped: self.skipped }
    }

    /// The results a chunk at a time, each chunk decided (in parallel) when it is taken.
    pub(crate) fn decided_chunks(&self) -> impl Iterator<Item = Vec<CampaignResult>> + '_ {
        self.files.chunks(chunk_len()).map(|chunk| self.decide(chunk))
    }

    fn decide(&self, files: &[ReadFile]) -> Vec<CampaignResult> {
        files.par_iter().map(|f| f.decide(self.policy)).collect()
    }
}

impl Results for ReadBatch<'_> {
    fn sources(&self) -> &SourceMap {
        &self.sources
    }

    fn skipped(&self) -> &[String] {
        &self.skipped
    }

    fn len(&self) -> usize {
        self.files.len()
    }

    fn each_chunk(&self, each: &mut dyn FnMut(&[CampaignResult]) -> std::io::Result<()>) -> std::io::Result<Tally> {
        let mut tally = Tally::default();
        let mut written: Vec<CampaignResult> = Vec::new();
        for chunk in self.files.chunks(chunk_len()) {
            // Freeing the last chunk's decisions, a twentieth of a run, overlaps deciding this one.
            let ((), decided) = rayon::join(|| drop(std::mem::take(&mut written)), || self.decide(chunk));
            tally.add_all(&decided);
            each(&decided)?;
            written = decided;
        }
        Ok(tally)
    }

    fn standings(&self) -> Vec<Option<Standing>> {
        let standing = |f: &ReadFile| f.campaign.as_ref().ok().map(|c| self.policy.standing(c));
        self.files.par_iter().map(standing).collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::batch::{read_files, CampaignFiles, Input};
    use crate::campaign::yaml::MAX_CAMPAIGN_FILE_BYTES;
    use crate::diagnostic::Code;
    use crate::report::{self, human::Style, Warnings};

    /// A corpus larger than several chunks, with a duplicate id whose two files fall in the
    /// first and the last chunk, and an invalid file between them.
    fn corpus(dir: &Path) -> (CompiledPolicy, Vec<Input>) {
        let corpus = crate::synth::Corpus::new(100, 3);
        let campaigns = 3 * chunk_len() + 17;
        corpus.write(dir, campaigns).unwrap();
        let root = dir.join("campaigns");
        std::fs::create_dir_all(root.join("zz")).unwrap();
        std::fs::write(root.join("zz/copy.yaml"), corpus.campaign(0)).unwrap();
        std::fs::write(root.join("team-03/broken.yaml"), "campaign: [\n").unwrap();
        let paths: Vec<PathBuf> = std::fs::read_dir(dir.join("policy")).unwrap().map(|e| e.unwrap().path()).collect();
        let policy = crate::policy::load_paths(&paths).unwrap();
        (CompiledPolicy::new(policy), vec![Input::Path(root)])
    }

    #[test]
    fn deciding_a_chunk_at_a_time_reports_what_deciding_everything_first_does() {
        let dir = tempfile::tempdir().unwrap();
        let (policy, inputs) = corpus(dir.path());
        let read = || read_files(&policy, CampaignFiles::find(&inputs, MAX_CAMPAIGN_FILE_BYTES));
        let lazy = read();
        let all = read().decide_all();
        assert!(lazy.len() > 3 * chunk_len());
        let duplicates = all.results.iter().filter(
            |r| matches!(&r.verdict, Verdict::Invalid(p) if p.iter().any(|p| p.code == Code::DuplicateCampaign)),
        );
        assert_eq!(duplicates.count(), 2, "the copy and the file it copies are both invalid");

        assert_eq!(report::json::render(&policy, &lazy), report::json::render(&policy, &all));
        assert_eq!(report::sarif::render(&policy, &lazy), report::sarif::render(&policy, &all));
        assert_eq!(
            report::github::render(&policy, &lazy, Warnings::Fail),
            report::github::render(&policy, &all, Warnings::Fail)
        );
        for warnings in [Warnings::Pass, Warnings::Fail] {
            assert_eq!(report::junit::render(&policy, &lazy, warnings), report::junit::render(&policy, &all, warnings));
        }
        let style = Style::plain();
        assert_eq!(
            report::human::render_batch(&policy, &lazy, style),
            report::human::render_batch(&policy, &all, style)
        );
        assert_eq!(lazy.standings(), all.standings());
        let tally = report::human::write_batch(&policy, &lazy, style, &mut std::io::sink()).unwrap();
        assert_eq!(tally, Tally::of(&all));
        assert!(tally.allowed > 0 && tally.blocked > 0 && tally.invalid == 3);
        assert_eq!(tally.failing(Warnings::Pass), tally.blocked);
    }
}
