//! Many campaign files at once: discovery (files, every campaign file below a directory,
//! standard input), reading and deciding in parallel, duplicate ids, and a deterministic order.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::campaign::yaml::MAX_CAMPAIGN_FILE_BYTES;
use crate::campaign::{self, Campaign};
use crate::diagnostic::{join_list, Code, Place, Problem};
use crate::eval::{CampaignDecision, CompiledPolicy};
use crate::files::{self, display, same_file_key, Advice, Unreadable, STDIN_KEY};
use crate::source::{FileId, SourceFile, SourceMap, Span};

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
    Decided(Box<Campaign>, CampaignDecision),
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
}

/// A found file: its name and its text in the run's source map, or why it has none.
type Loaded = (String, Result<(FileId, SourceFile), Problem>);

struct Found {
    file: String,
    /// See [`same_file_key`].
    key: Vec<u8>,
    text: Text,
}

impl Found {
    /// A file found at `path` (or a path that could not be read, with its problem).
    fn at(path: &Path, text: Text) -> Found {
        Found { file: display(path), key: same_file_key(path), text }
    }
}

/// A found file's text: files are read later, in parallel; other inputs are known already.
enum Text {
    Unread(PathBuf),
    Read(Result<String, Problem>),
}

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

/// The campaign files of some inputs, found but not yet read (standard input excepted), so
/// that how many there are is known before the policy is compiled for them.
pub struct CampaignFiles {
    found: Vec<Found>,
    max_file_bytes: u64,
}

impl CampaignFiles {
    /// The files of the inputs, each once, in file order; files larger than `max_file_bytes`
    /// will be reported, not read.
    pub fn find(inputs: &[Input], max_file_bytes: u64) -> CampaignFiles {
        CampaignFiles { found: find(inputs, max_file_bytes), max_file_bytes }
    }

    /// How many files (and unreadable paths) there are.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether none were found.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

fn find(inputs: &[Input], max_file_bytes: u64) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin => found.push(Found {
                file: "-".into(),
                key: STDIN_KEY.to_vec(),
                text: Text::Read(files::read_stdin_text(max_file_bytes).map_err(|e| e.in_file("-", &CAMPAIGN))),
            }),
            Input::Path(p) => discover(p, &mut found),
        }
    }
    // A file named twice (`c/a.yaml`, `./c/a.yaml`, `c//a.yaml`, or inside a directory also
    // named) is checked once, under the first of its names in byte order.
    found.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    let mut seen = HashSet::new();
    found.retain(|f| seen.insert(f.key.clone()));
    found
}

/// Reads, checks and decides the campaign files found.
pub fn check_files(policy: &CompiledPolicy, files: CampaignFiles) -> Batch {
    let CampaignFiles { found, max_file_bytes } = files;
    // Reading a file and indexing its lines happen in parallel; only numbering the files in
    // the source map is done in order.
    let texts: Vec<(String, Result<SourceFile, Problem>)> = found
        .into_par_iter()
        .map(|f| {
            let text = match f.text {
                Text::Unread(path) => {
                    files::read_text(&path, max_file_bytes).map_err(|e| e.in_file(&f.file, &CAMPAIGN))
                }
                Text::Read(text) => text,
            };
            let source = text.map(|t| SourceFile::new(f.file.clone(), t));
            (f.file, source)
        })
        .collect();

    let mut sources = policy.policy.sources.clone();
    let loaded: Vec<Loaded> =
        texts.into_iter().map(|(file, r)| (file, r.map(|sf| (sources.add(sf.clone()), sf)))).collect();

    let mut results: Vec<CampaignResult> = loaded
        .into_par_iter()
        .map(|(file, r)| match r {
            Err(p) => {
                CampaignResult { file, file_id: None, id: None, id_span: None, verdict: Verdict::Invalid(vec![p]) }
            }
            Ok((id, source)) => match campaign::read(id, &source, &policy.policy) {
                Ok(c) => {
                    let decision = policy.decide(&c);
                    CampaignResult {
                        file,
                        file_id: Some(id),
                        id: c.id.as_ref().map(|l| l.value.clone()),
                        id_span: c.id.as_ref().map(|l| l.span),
                        verdict: Verdict::Decided(Box::new(c), decision),
                    }
                }
                Err(inv) => CampaignResult {
                    file,
                    file_id: Some(id),
                    id: inv.id,
                    id_span: inv.id_span,
                    verdict: Verdict::Invalid(inv.problems),
                },
            },
        })
        .collect();
    mark_duplicate_ids(&mut results);
    Batch { sources, results }
}

/// Most other files a duplicate campaign id names.
const NAMED_DUPLICATES: usize = 3;

/// Every file that shares its id with another is invalid, and says which others (a few of
/// them, and how many more).
fn mark_duplicate_ids(results: &mut [CampaignResult]) {
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if let Some(id) = &r.id {
            by_id.entry(id.clone()).or_default().push(i);
        }
    }
    for (id, idx) in by_id.into_iter().filter(|(_, v)| v.len() > 1) {
        // Each file, and where its id is (the file itself when that is unknown).
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
        for (&i, (_, place)) in idx.iter().zip(&files) {
            let Some(r) = results.get_mut(i) else { continue };
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
            let mut problem = Problem {
                code: Code::DuplicateCampaign,
                message: format!("campaign id `{id}` is also used by {}", join_list(&named, "and")),
                place: place.clone(),
                label: "duplicate campaign id".into(),
                help: Some("every campaign needs its own id: rename one of them".into()),
                related: Vec::new(),
            };
            for (o, at) in others {
                problem = problem.with_related(at.clone(), format!("`{id}` is also declared in `{o}`"));
            }
            let mut problems = match &r.verdict {
                Verdict::Invalid(p) => p.clone(),
                Verdict::Decided(..) => Vec::new(),
            };
            problems.insert(0, problem);
            r.verdict = Verdict::Invalid(problems);
        }
    }
}

/// What to tell the user about a campaign file that cannot be used.
const CAMPAIGN: Advice = Advice {
    too_large: "a campaign file describes one campaign; split it or remove what it does not need",
    unreadable: None,
};

/// Whether a file found in a directory is a campaign file.
fn is_campaign_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "yaml" || x == "yml")
}

fn discover(path: &Path, found: &mut Vec<Found>) {
    match std::fs::metadata(path) {
        Err(e) => {
            let named = Advice {
                unreadable: Some("check the path; a directory means every `*.yaml` and `*.yml` below it"),
                ..CAMPAIGN
            };
            let problem = Unreadable::Io(e).in_file(&display(path), &named);
            found.push(Found::at(path, Text::Read(Err(problem))));
        }
        Ok(m) if m.is_dir() => walk(path, found),
        Ok(_) => found.push(Found::at(path, Text::Unread(path.to_path_buf()))),
    }
}

fn walk(root: &Path, found: &mut Vec<Found>) {
    let before = found.len();
    // Every campaign file below the folder, as spec 4 says.
    for entry in files::walk(root, is_campaign_file) {
        found.push(match entry {
            Ok(path) => Found::at(&path, Text::Unread(path.clone())),
            Err(unreadable) => Found::at(&unreadable.path, Text::Read(Err(unreadable.problem))),
        });
    }
    // A gate pointed at a folder without campaigns must not pass silently.
    if found.len() == before {
        let shown = display(root);
        found.push(Found::at(
            root,
            Text::Read(Err(Problem::in_file(
                Code::Io,
                &shown,
                format!("no campaign files (`*.yaml`, `*.yml`) in `{shown}`"),
            )
            .with_help("check the path: campaign files end in `.yaml` or `.yml`"))),
        ));
    }
}
