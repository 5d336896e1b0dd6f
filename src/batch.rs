//! Many campaign files at once: discovery (files, every campaign file below a directory,
//! standard input), reading and deciding in parallel, duplicate ids, and a deterministic order.
//!
//! A run reads and checks every file first (duplicate ids can only be known then), and decides
//! them a chunk at a time as the report is written ([`ReadBatch`]): a decision holds the policy's
//! findings for every use, so holding all of them would make memory grow with N × findings.
//! [`Batch`] holds every decision at once, for callers that want them all.

mod chunks;
mod find;
mod tally;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::campaign::yaml::MAX_CAMPAIGN_FILE_BYTES;
use crate::campaign::{self, Campaign};
use crate::diagnostic::{join_list, Code, Place, Problem};
use crate::eval::{CampaignDecision, CompiledPolicy, TooLarge, MAX_CAMPAIGN_PAIRS};
use crate::files;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use chunks::ReadFile;
pub use chunks::{ReadBatch, Results};
pub use find::{is_campaign_file, reads, reads_by_any_name, report_clobbers, CampaignFiles};
use find::{CampaignText, Unusable};
pub use tally::Tally;

/// Where campaigns come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file (read whatever its extension) or a directory (every `*.yaml` / `*.yml` below).
    Path(PathBuf),
    /// One campaign on standard input.
    Stdin,
}

impl Input {
    /// `-` means standard input.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// The result for one campaign file.
#[derive(Clone, Debug)]
pub struct CampaignResult {
    /// The file as shown (the path as found, or `-`).
    pub file: String,
    /// The file in the batch's source map, when it could be read.
    pub file_id: Option<FileId>,
    /// The campaign id, when known.
    pub id: Option<String>,
    /// Where the id is written, when known.
    pub id_span: Option<Span>,
    /// Decided or invalid.
    pub verdict: Verdict,
}

/// What became of a campaign file.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Read and decided.
    Decided(Arc<Campaign>, CampaignDecision),
    /// Could not be evaluated.
    Invalid(Vec<Problem>),
}

/// Every campaign of a run, sorted by file path.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The policy's files followed by the campaign files.
    pub sources: SourceMap,
    /// One entry per file (and per input path that could not be read), sorted by file.
    pub results: Vec<CampaignResult>,
    /// Files in the campaign folders named like campaign files that are not one
    /// (`spring.yaml.txt`), not read ([`CampaignFiles::skipped`]).
    pub skipped: Vec<String>,
}

/// A found file: its name and its text in the run's source map, or why it has none (in the
/// source map too when it is shown).
type Loaded<'t> = (String, Result<(FileId, &'t SourceFile), (Option<FileId>, Problem)>);

/// Reads, checks and decides every campaign of the inputs.
///
/// ```no_run
/// use lagom::batch::{check, Input};
/// let policy = lagom::eval::CompiledPolicy::new(lagom::policy::load_default().unwrap());
/// let batch = check(&policy, &[Input::Path("examples/campaigns".into())]);
/// for r in &batch.results {
///     println!("{} {:?}", r.file, r.id);
/// }
/// ```
pub fn check(policy: &CompiledPolicy, inputs: &[Input]) -> Batch {
    check_with_limit(policy, inputs, MAX_CAMPAIGN_FILE_BYTES)
}

/// [`check`] with another size limit for campaign files (in bytes).
pub fn check_with_limit(policy: &CompiledPolicy, inputs: &[Input], max_file_bytes: u64) -> Batch {
    check_files(policy, CampaignFiles::find(inputs, max_file_bytes))
}

/// Reads, checks and decides the campaign files found.
pub fn check_files(policy: &CompiledPolicy, files: CampaignFiles) -> Batch {
    read_files(policy, files).decide_all()
}

/// Reads, checks and decides campaigns held in memory, each a name (shown in reports) and its
/// bytes, as [`check`] does files: the same size limit, UTF-8 check, limits and duplicate ids,
/// with the results in the order given. For a service answering per message: the batch renders
/// in every report format.
///
/// ```
/// use lagom::batch::{check_in_memory, Verdict};
/// use lagom::eval::{CompiledPolicy, Decision};
/// let policy = CompiledPolicy::new(lagom::policy::load_default().unwrap());
/// let text = std::fs::read("examples/campaigns/01-consent-newsletter.yaml").unwrap();
/// let batch = check_in_memory(&policy, &[("newsletter.yaml", &text), ("bad.yaml", b"campaign: [")]);
/// assert!(matches!(&batch.results[0].verdict, Verdict::Decided(_, d) if d.decision == Decision::Allow));
/// assert!(matches!(&batch.results[1].verdict, Verdict::Invalid(_)));
/// let json = lagom::report::json::render(&policy, &batch);
/// assert!(json.contains(r#""file": "newsletter.yaml""#));
/// ```
pub fn check_in_memory(policy: &CompiledPolicy, campaigns: &[(&str, &[u8])]) -> Batch {
    let texts: Vec<CampaignText> = campaigns
        .iter()
        .map(|&(name, bytes)| {
            let text = files::memory_text(bytes, MAX_CAMPAIGN_FILE_BYTES);
            let source = text.map(|t| SourceFile::new(name.to_string(), t)).map_err(|e| find::unusable(name, e));
            (name.to_string(), source)
        })
        .collect();
    check_texts(policy, &texts).decide_all()
}

/// Reads the campaign files found and checks them against the policy; deciding is left to the
/// report ([`ReadBatch`]).
pub fn read_files(policy: &CompiledPolicy, files: CampaignFiles) -> ReadBatch<'_> {
    // Reading a file and indexing its lines happen in parallel.
    let skipped = files.skipped().to_vec();
    let (texts, identities) = files.read();
    ReadBatch { identities, skipped, ..check_texts(policy, &texts) }
}

/// Checks campaign texts against the policy (texts are shared, so one reading serves several
/// policies, as in `lagom diff`).
pub(crate) fn check_texts<'p>(policy: &'p CompiledPolicy, texts: &[CampaignText]) -> ReadBatch<'p> {
    // Only numbering the files in the source map is done in order.
    let mut sources = policy.policy.sources.clone();
    let loaded: Vec<Loaded> = texts
        .iter()
        .map(|(file, r)| {
            let loaded = match r {
                Ok(sf) => Ok((sources.add(sf.clone()), sf)),
                Err(Unusable::Unread(p)) => Err((None, p.clone())),
                // Shown with its bad bytes replaced, and located at the first of them (UTF-16
                // text is named instead: its snippet would be unreadable).
                Err(Unusable::NotUtf8 { shown, offset, problem }) => {
                    let id = sources.add(shown.clone());
                    let bad_byte = || files::at_bad_byte(problem.code, id, *offset, problem.message.clone());
                    Err((Some(id), campaign::yaml::wide_encoding_problem(shown).unwrap_or_else(bad_byte)))
                }
            };
            (file.clone(), loaded)
        })
        .collect();

    let mut read: Vec<ReadFile> = loaded
        .into_par_iter()
        .map(|(file, r)| match r {
            Err((file_id, p)) => ReadFile { file, file_id, id: None, id_span: None, campaign: Err(vec![p]) },
            Ok((id, source)) => match campaign::read(id, source, &policy.policy) {
                Ok(c) => ReadFile {
                    file,
                    file_id: Some(id),
                    id: c.id.as_ref().map(|l| l.value.clone()),
                    id_span: c.id.as_ref().map(|l| l.span),
                    campaign: match policy.too_large(&c) {
                        Some(t) => Err(vec![too_large(t)]),
                        None => Ok(Arc::new(c)),
                    },
                },
                Err(inv) => {
                    ReadFile { file, file_id: Some(id), id: inv.id, id_span: inv.id_span, campaign: Err(inv.problems) }
                }
            },
        })
        .collect();
    mark_duplicate_ids(&mut read, &sources);
    ReadBatch { policy, sources, files: read, identities: HashSet::new(), skipped: Vec::new() }
}

/// The problem of a campaign whose uses put too many (use, rule) pairs in the scope of rules
/// that may each become a finding: it is not decided (spec: a campaign that cannot be
/// evaluated is invalid), so that one file cannot exhaust the memory of a CI job.
pub(crate) fn too_large(t: TooLarge) -> Problem {
    Problem::at(
        Code::Limit,
        t.at,
        format!(
            "campaign too large to decide: its data uses fall within the scope of deny, warn and retain rules more than \
             {MAX_CAMPAIGN_PAIRS} times in all, by this one (use {} of the list)",
            t.uses_before + 1
        ),
        "the limit is passed here",
    )
    .with_help(
        "split the campaign into several files (each is decided on its own), or remove uses that repeat a category \
         with the same purpose and retention",
    )
}

/// Most other files a duplicate campaign id names.
const NAMED_DUPLICATES: usize = 3;

/// Every file that shares its id with another is invalid, and says which others (a few of
/// them, and how many more). Ids are compared exactly, as spec 2.1 and every other name in
/// lagom: `Good-Newsletter` and `good-newsletter` are two campaigns. Exactly, but as text, not
/// as code points: `é` written as one character and as `e` with a combining accent are one id
/// (their NFC forms are the same), which every report and editor shows alike.
fn mark_duplicate_ids(results: &mut [ReadFile], sources: &SourceMap) {
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc();
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Some(id) = &r.id {
            by_id.entry(nfc.normalize(id).into_owned()).or_default().push(i);
        }
    }
    for idx in by_id.into_values().filter(|v| v.len() > 1) {
        // Each file and where its id is (the file itself when that is unknown).
        let files: Vec<(String, Place)> = idx
            .iter()
            .filter_map(|&i| results.get(i))
            .map(|r| {
                let place = match (r.id_span, r.file_id) {
                    (Some(s), _) => Place::Span(s),
                    (None, Some(f)) => Place::Span(Span { file: f, start: 0, end: 0 }),
                    (None, None) => Place::File(r.file.clone()),
                };
                (r.file.clone(), place)
            })
            .collect();
        let ids: Vec<&str> = idx.iter().filter_map(|&i| results.get(i)?.id.as_deref()).collect();
        let encoded_apart = ids.windows(2).any(|w| w.first() != w.last());
        for (k, (&i, (_, place))) in idx.iter().zip(&files).enumerate() {
            let Some(r) = results.get_mut(i) else { continue };
            let id = r.id.clone().unwrap_or_default();
            // A few others are named; a thousand copies of one file must not make a report that
            // grows with the square of their number.
            let others: Vec<&(String, Place)> =
                files.iter().filter(|(f, _)| *f != r.file).take(NAMED_DUPLICATES).collect();
            let mut named: Vec<String> = others.iter().map(|(f, _)| format!("`{f}`")).collect();
            match (files.len() - 1).saturating_sub(NAMED_DUPLICATES) {
                0 => {}
                1 => named.push("1 other file".into()),
                n => named.push(format!("{n} other files")),
            }
            let mut help = "every campaign needs its own id: rename one of them".to_string();
            if encoded_apart {
                help.push_str(
                    " (the ids differ only in how an accent is encoded, as one character or as a letter and a \
                     combining mark, and read the same)",
                );
            }
            if let Some(comment) = r.id_span.and_then(|s| cut_by_comment(sources, s)) {
                help = format!("{help}; {comment}");
            }
            let mut problem = Problem {
                code: Code::DuplicateCampaign,
                message: format!("campaign id `{id}` is also used by {}", join_list(&named, "and")),
                place: place.clone(),
                label: "duplicate campaign id".into(),
                help: Some(help),
                related: Vec::new(),
            };
            // Spec 4.1: the later place is the error's, the earlier its `related`. The files are
            // in the spec's order (byte order of paths), so the earlier ones are those before this
            // one, the first of them first; the first file has none (its message names the others).
            for (o, at) in files.iter().take(k).take(NAMED_DUPLICATES) {
                problem = problem.with_related(at.clone(), format!("`{id}` is also declared in `{o}`"));
            }
            let mut problems = std::mem::replace(&mut r.campaign, Err(Vec::new())).err().unwrap_or_default();
            problems.push(problem);
            // In order of position, as every file's problems are.
            crate::diagnostic::sort_problems(&mut problems, sources);
            r.campaign = Err(problems);
        }
    }
}

/// The help for an id that a YAML comment cut short (`campaign: summer-sale #1` is read as
/// `summer-sale`, so copies numbered in a comment share an id), or `None` when the id's line
/// has no comment after it or the id is quoted.
fn cut_by_comment(sources: &SourceMap, id: Span) -> Option<String> {
    let text = &sources.file(id.file)?.text;
    let written = text.get(id.start..id.end)?;
    if written.starts_with(['"', '\'']) {
        return None;
    }
    let rest = text.get(id.end..)?;
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let comment = line.trim_start_matches([' ', '\t']);
    if comment.len() == line.len() || !comment.starts_with('#') {
        return None;
    }
    let whole = format!("{written}{}", line.trim_end());
    // Help text is shown as written: nothing in it may hide or rewrite what a reader sees.
    if whole.chars().any(|c| c.is_control() || crate::chars::is_misleading(c)) {
        return None;
    }
    let quoted = whole.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "` #` starts a comment in YAML, so `campaign: {whole}` is read as `{written}`: quote the id if the comment \
         is part of it, `campaign: \"{quoted}\"`"
    ))
}
