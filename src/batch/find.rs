//! Finding a run's campaign files: the files named, every campaign file below a directory,
//! standard input; each file once, in byte order of its name.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Input;
use crate::diagnostic::{Code, Problem};
use crate::files::{self, display, same_file_key, Advice, Entry, FileIdentity, Unreadable, STDIN_KEY};
use crate::source::SourceFile;

/// A campaign file's name and text, or why it has none.
pub(crate) type CampaignText = (String, Result<SourceFile, Unusable>);

/// Why a campaign file has no text to read.
#[derive(Clone)]
pub(crate) enum Unusable {
    /// It could not be read (the problem names the file).
    Unread(Problem),
    /// It is not UTF-8: the text as shown (bad bytes replaced), where the first bad byte is,
    /// and what to say there.
    NotUtf8 { shown: SourceFile, offset: usize, problem: Problem },
}

/// The campaign files of some inputs, found but not yet read (standard input excepted), so
/// that how many there are is known before the policy is compiled for them.
pub struct CampaignFiles {
    found: Vec<Found>,
    /// Files below a folder named like a campaign under another extension, not read.
    skipped: Vec<String>,
    max_file_bytes: u64,
}

impl CampaignFiles {
    /// The files of the inputs, each once, in file order; files larger than `max_file_bytes`
    /// will be reported, not read.
    pub fn find(inputs: &[Input], max_file_bytes: u64) -> CampaignFiles {
        let mut skipped = Vec::new();
        let found = find(inputs, max_file_bytes, &mut skipped);
        CampaignFiles { found, skipped, max_file_bytes }
    }

    /// The files below a folder that are named like a campaign saved under another extension
    /// (`spring.yaml.txt`, `spring.yam`, `spring.yml.bak`) and so not checked, as spec 4 reads
    /// only `*.yaml` and `*.yml`: a report names them (`report::human::skipped_note`), so that
    /// a campaign saved so by an editor does not pass the gate without a word.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// How many files (and unreadable paths) there are.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether none were found.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Each file's name and text (with its lines indexed), or why it has none; read in parallel.
    /// A file reached by two paths that are not spellings of one another (an absolute and a
    /// relative path, a symbolic link) is kept under the first of its names, as one named twice.
    /// Also the identities of the files read, where the system gives them.
    pub(crate) fn read(self) -> (Vec<CampaignText>, HashSet<FileIdentity>) {
        let max_file_bytes = self.max_file_bytes;
        let read: Vec<(CampaignText, Option<FileIdentity>)> = self
            .found
            .into_par_iter()
            .map(|f| {
                let (text, identity) = match f.text {
                    Text::Unread(path) => files::read_text_identified(&path, max_file_bytes),
                    Text::Stdin(text) => (text, None),
                    Text::Failed(problem) => return ((f.file, Err(Unusable::Unread(problem))), None),
                };
                let source = text.map(|t| SourceFile::new(f.file.clone(), t)).map_err(|e| unusable(&f.file, e));
                ((f.file, source), identity)
            })
            .collect();
        let mut seen = HashSet::new();
        let texts = read
            .into_iter()
            .filter(|(_, identity)| identity.is_none_or(|i| seen.insert(i)))
            .map(|(text, _)| text)
            .collect();
        (texts, seen)
    }
}

/// Why a file has no text, located at its first bad byte when it is not UTF-8.
pub(crate) fn unusable(file: &str, e: Unreadable) -> Unusable {
    let problem = e.in_file(file, &CAMPAIGN);
    match e {
        Unreadable::NotUtf8 { lossy, offset, .. } => {
            Unusable::NotUtf8 { shown: SourceFile::new(file.to_string(), lossy), offset, problem }
        }
        _ => Unusable::Unread(problem),
    }
}

fn find(inputs: &[Input], max_file_bytes: u64, skipped: &mut Vec<String>) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let passed = &mut Vec::new();
    for input in inputs {
        match input {
            Input::Stdin => found.push(Found {
                file: "-".into(),
                key: STDIN_KEY.to_vec(),
                text: Text::Stdin(files::read_stdin_text(max_file_bytes)),
            }),
            Input::Path(p) => discover(p, &mut found, passed),
        }
    }
    // A file named twice (`c/a.yaml`, `./c/a.yaml`, `c//a.yaml`, or inside a directory also
    // named) is checked once, under the first of its names in byte order: the order of the
    // paths' own bytes (spec 4.1), not of how they are shown (`\xff` sorts as a backslash).
    found.sort_by_cached_key(|f| files::shown_bytes(&f.file));
    *skipped = files::passed_over(std::mem::take(passed), &paths(inputs));
    let mut seen = HashSet::new();
    found.retain(|f| seen.insert(f.key.clone()));
    found
}

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
    /// A file to read later.
    Unread(PathBuf),
    /// Standard input, read already.
    Stdin(Result<String, Unreadable>),
    /// A path found unusable while looking (missing, a link loop, a folder without campaigns).
    Failed(Problem),
}

/// What to tell the user about a campaign file that cannot be used.
const CAMPAIGN: Advice = Advice {
    too_large: "a campaign file describes one campaign: remove what it does not need, or raise the limit with `--max-file-size`",
    unreadable: None,
};

/// What campaign files' names end in, for telling the files named like one
/// ([`files::named_like`]).
const CAMPAIGN_EXTENSIONS: [&str; 2] = ["yaml", "yml"];

/// Whether a file found in a directory is a campaign file (`*.yaml`, `*.yml`). The extension's
/// case does not matter: `X.YAML` skipped without a word would be a way past the gate.
///
/// ```
/// use std::path::Path;
/// assert!(lagom::batch::is_campaign_file(Path::new("campaigns/Spring.YML")));
/// assert!(!lagom::batch::is_campaign_file(Path::new("campaigns/spring.yaml.txt")));
/// // A hidden file is a campaign too: no name takes one out of the gate.
/// assert!(lagom::batch::is_campaign_file(Path::new("campaigns/.yaml")));
/// ```
pub fn is_campaign_file(path: &Path) -> bool {
    files::has_extension(path, &CAMPAIGN_EXTENSIONS)
}

/// Whether a run over `inputs` reads `path` as a campaign, now or, once it is written, on the
/// next run: it is one of the files named, or a campaign file below a folder named. For a
/// report file (`--output`), which must not replace a campaign nor be read as one. By path:
/// other names for a file read (a hard link, a symbolic link in a folder) are known once the
/// files are read ([`ReadBatch::reads`](super::ReadBatch::reads)).
pub fn reads(inputs: &[Input], path: &Path) -> bool {
    files::named_or_below(&paths(inputs), is_campaign_file, path)
}

/// Whether a report written to `report` (`--output`) would replace an input of a run over
/// `inputs` with the policy read from `policy`, or be read as one by the next run: a file
/// named like a campaign or policy file, one the run reads ([`reads`], [`crate::policy::reads`]),
/// or a file with other names (hard links), which may be inputs of another folder.
pub fn report_clobbers(inputs: &[Input], policy: &[std::path::PathBuf], report: &Path) -> bool {
    named_like_input(report) || reads(inputs, report) || crate::policy::reads(policy, report)
}

/// A report named like a campaign or policy file: the next run over its folder would read it
/// as one, and it may replace one that this run does not read (`-o campaigns/other.yaml`).
fn named_like_input(report: &Path) -> bool {
    let looks = |path: &Path| is_campaign_file(path) || crate::policy::is_policy_file(path);
    // Through a symbolic link too: writing would replace the file it leads to.
    // An existing file with other names (hard links): they may be campaign or policy files of
    // another folder, which writing the report would replace too.
    let linked = std::fs::metadata(report).is_ok_and(|m| m.is_file() && files::has_other_names(&m));
    looks(report) || std::fs::canonicalize(report).is_ok_and(|target| looks(&target)) || linked
}

/// [`reads`], and whether `path` is another name for a campaign file below the inputs, which
/// this finds by looking at every one of them: for a run that reads none (its policy is
/// invalid) but writes a report. A run that reads them asks [`ReadBatch::reads`](super::ReadBatch::reads).
pub fn reads_by_any_name(inputs: &[Input], path: &Path) -> bool {
    files::is_read_by(&paths(inputs), is_campaign_file, path)
}

/// The paths among the inputs (standard input has none).
fn paths(inputs: &[Input]) -> Vec<&Path> {
    inputs
        .iter()
        .filter_map(|input| match input {
            Input::Stdin => None,
            Input::Path(p) => Some(p.as_path()),
        })
        .collect()
}

fn discover(path: &Path, found: &mut Vec<Found>, skipped: &mut Vec<PathBuf>) {
    match std::fs::metadata(path) {
        Err(e) => {
            let named = Advice {
                unreadable: Some("check the path; a directory means every `*.yaml` and `*.yml` below it"),
                ..CAMPAIGN
            };
            let problem = Unreadable::Io(e).in_file(&display(path), &named);
            found.push(Found::at(path, Text::Failed(problem)));
        }
        Ok(m) if m.is_dir() => walk(path, found, skipped),
        Ok(_) => found.push(Found::at(path, Text::Unread(path.to_path_buf()))),
    }
}

fn walk(root: &Path, found: &mut Vec<Found>, skipped: &mut Vec<PathBuf>) {
    let before = found.len();
    // Every campaign file below the folder, as spec 4 says; the files named like one are only
    // noted.
    for entry in files::walk_inputs(root, is_campaign_file, &CAMPAIGN_EXTENSIONS) {
        found.push(match entry {
            Entry::Input(path) => Found::at(&path, Text::Unread(path.clone())),
            Entry::Skipped(path) => {
                skipped.push(path);
                continue;
            }
            Entry::Failed(unreadable) => Found::at(&unreadable.path, Text::Failed(unreadable.problem)),
        });
    }
    // A gate pointed at a folder without campaigns must not pass silently.
    if found.len() == before {
        let shown = display(root);
        let problem = Problem::in_file(Code::Io, &shown, format!("no campaign files (`*.yaml`, `*.yml`) in `{shown}`"))
            .with_help("check the path: campaign files end in `.yaml` or `.yml`");
        // Known by what the folder is (its device and inode), as files are once read: one
        // folder named two ways (`d/`, `/abs/d`) is reported once.
        found.push(Found { key: files::file_key(root), ..Found::at(root, Text::Failed(problem)) });
    }
}
