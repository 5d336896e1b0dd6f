//! Reading policy files (paths, directories, or the built-in pack) and the policy digest.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::model::CheckedPolicy;
use crate::diagnostic::{io_reason, Code, Problem};
use crate::files::{self, file_key, Advice, Entry};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::ast::PolicyFile;

/// Policy files larger than this are refused: no real policy comes close, and the parser's
/// memory grows with input size.
pub const MAX_POLICY_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// All policy files together may not exceed this.
pub const MAX_POLICY_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

static DEFAULT_PACK: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/policies/gdpr-marketing");

/// A policy that could not be loaded: every problem, and the files to show them in.
#[derive(Debug)]
pub struct PolicyError {
    /// The problems, sorted by file and position.
    pub problems: Vec<Problem>,
    /// The policy files that were read.
    pub sources: SourceMap,
    /// Files below a policy folder named like a policy file that are not one
    /// (`10-deny.polcy`, `main.policy.bak`): not read, and worth a note, since their
    /// declarations may be the ones the problems miss.
    pub skipped: Vec<String>,
    /// Policy files named alone whose folder holds other `.policy` files that were not read,
    /// found when a name is unknown: one file of a policy spread over a folder declares only
    /// part of what its rules name.
    pub left_out: Vec<LeftOut>,
}

/// A policy file named alone (`--policy rules/50-consent.policy`) beside `.policy` files that
/// were not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The file, as named.
    pub file: String,
    /// Its folder, as it would be named to read the policy whole.
    pub folder: String,
    /// How many `.policy` files in that folder (not below it) were not read.
    pub others: usize,
}

/// `invalid policy: <the first problem> (and N more problems)`; every problem, located, is
/// in [`PolicyError::problems`] and rendered by `report::human::problems`.
impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::diagnostic::first_of(f, "invalid policy", &self.problems)
    }
}

impl std::error::Error for PolicyError {}

/// One policy file's text with the path it is known by.
#[derive(Clone, Debug)]
pub struct PolicyText {
    /// Path relative to the policy root, `/`-separated: what the digest hashes.
    pub relative: String,
    /// The name shown in messages.
    pub display: String,
    /// The raw bytes (checked for UTF-8 when loaded).
    pub bytes: Vec<u8>,
}

/// Loads the GDPR marketing pack built into the binary.
///
/// ```
/// let policy = lagom::policy::load_default().unwrap();
/// assert!(policy.digest.starts_with("sha256:"));
/// ```
pub fn load_default() -> Result<CheckedPolicy, PolicyError> {
    let mut texts = Vec::new();
    collect_embedded(&DEFAULT_PACK, &mut texts);
    load_texts(texts)
}

fn collect_embedded(dir: &include_dir::Dir<'_>, out: &mut Vec<PolicyText>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "policy") {
            let relative = f.path().to_string_lossy().replace('\\', "/");
            out.push(PolicyText {
                display: format!("policies/gdpr-marketing/{relative}"),
                relative,
                bytes: f.contents().to_vec(),
            });
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// Loads a policy from files and directories (every `*.policy` below a directory).
///
/// ```
/// let policy = lagom::policy::load_paths(&["policies/gdpr-marketing".into()]).unwrap();
/// assert!(policy.categories.lookup("contact.email").is_some());
/// let missing = lagom::policy::load_paths(&["no/such/dir".into()]).unwrap_err();
/// assert!(missing.problems[0].message.contains("no such file"));
/// ```
///
/// [`PolicyError`] is a `std::error::Error` whose message is the first problem:
///
/// ```
/// fn gate() -> Result<usize, Box<dyn std::error::Error>> {
///     let policy = lagom::policy::load_paths(&["no/such/dir".into()])?;
///     Ok(policy.rules.len())
/// }
/// let e = gate().unwrap_err();
/// assert_eq!(e.to_string(), "invalid policy: cannot read policy `no/such/dir`: no such file or directory");
/// ```
pub fn load_paths(paths: &[PathBuf]) -> Result<CheckedPolicy, PolicyError> {
    load_paths_with_limit(paths, MAX_POLICY_FILE_BYTES)
}

/// [`load_paths`] with another size limit for each policy file (in bytes).
pub fn load_paths_with_limit(paths: &[PathBuf], max_file_bytes: u64) -> Result<CheckedPolicy, PolicyError> {
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    // A file named twice (`--policy p --policy p`, or inside a directory also named) is read
    // once, as campaign files are, instead of declaring everything in it twice.
    let mut seen = HashSet::new();
    let mut skipped = Vec::new();
    for root in paths {
        read_root(root, max_file_bytes, &mut seen, &mut texts, &mut problems, &mut skipped);
    }
    let roots: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let skipped = files::passed_over(skipped, &roots);
    let total: u64 = texts.iter().map(|t| t.bytes.len() as u64).sum();
    if total > MAX_POLICY_TOTAL_BYTES {
        let first = paths.first().map_or_else(String::new, |p| p.display().to_string());
        problems.push(
            Problem::in_file(
                Code::Limit,
                first,
                format!("the policy files add up to more than {} MiB", MAX_POLICY_TOTAL_BYTES / (1024 * 1024)),
            )
            .with_help("no real policy comes close: check that `--policy` points at the right directory"),
        );
    }
    if !problems.is_empty() {
        return Err(PolicyError { problems, sources: SourceMap::default(), skipped, left_out: Vec::new() });
    }
    match load_texts(texts) {
        Ok(policy) => Ok(CheckedPolicy { skipped, ..policy }),
        Err(e) => {
            let unknown = e.problems.iter().any(|p| matches!(p.code, Code::UnknownName | Code::Type));
            let left_out = if unknown { left_out(paths, &seen) } else { Vec::new() };
            Err(PolicyError { skipped, left_out, ..e })
        }
    }
}

/// The files of `paths` named alone whose folder holds `.policy` files that no path read.
fn left_out(paths: &[PathBuf], read: &HashSet<Vec<u8>>) -> Vec<LeftOut> {
    let mut found = Vec::new();
    for file in paths.iter().filter(|p| p.is_file()) {
        let folder = match file.parent() {
            Some(f) if f.as_os_str().is_empty() => Path::new("."),
            Some(f) => f,
            None => continue,
        };
        let Ok(entries) = std::fs::read_dir(folder) else { continue };
        let others = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_policy_file(p) && p.is_file() && !read.contains(&file_key(p)))
            .count();
        if others > 0 {
            found.push(LeftOut { file: files::display(file), folder: files::display(folder), others });
        }
    }
    found
}

fn read_root(
    root: &Path,
    max: u64,
    seen: &mut HashSet<Vec<u8>>,
    texts: &mut Vec<PolicyText>,
    problems: &mut Vec<Problem>,
    skipped: &mut Vec<PathBuf>,
) {
    let shown = files::display(root);
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            problems.push(
                Problem::in_file(Code::Io, &shown, format!("cannot read policy `{shown}`: {}", io_reason(&e)))
                    .with_help("check the path: a policy is a `.policy` file or a directory of them"),
            );
            return;
        }
    };
    if meta.is_file() {
        let relative = root.file_name().map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
        if !seen.insert(file_key(root)) {
            return;
        }
        if let Some(t) = read_one(root, relative, max, problems) {
            texts.push(t);
        }
        return;
    }
    let mut found = false;
    for entry in files::walk_inputs(root, is_policy_file, &POLICY_EXTENSIONS) {
        let path = match entry {
            Entry::Input(path) => path,
            Entry::Skipped(path) => {
                skipped.push(path);
                continue;
            }
            Entry::Failed(e) => {
                problems.push(e.problem);
                continue;
            }
        };
        found = true;
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if !seen.insert(file_key(&path)) {
            continue;
        }
        if let Some(t) = read_one(&path, relative, max, problems) {
            texts.push(t);
        }
    }
    if !found {
        problems.push(
            Problem::in_file(Code::Io, &shown, format!("no `.policy` files in `{shown}`"))
                .with_help("a policy directory holds files ending in `.policy`"),
        );
    }
}

/// Whether writing `target` would replace a policy file read from `paths` (a file named, or a
/// `*.policy` file below a folder named), or add one that the next run would read.
pub fn reads(paths: &[PathBuf], target: &Path) -> bool {
    let roots: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    files::is_read_by(&roots, is_policy_file, target)
}

/// Advice for a policy file that cannot be used: `lagom fmt` reads policy files too.
pub(crate) const POLICY_FILE: Advice = Advice {
    too_large: "split the policy into several files, or raise the limit with `--max-file-size`",
    unreadable: None,
};

/// What policy files' names end in, for telling the files named like one
/// ([`files::named_like`]): `10-deny.polcy`, `main.Policy.bak`.
pub(crate) const POLICY_EXTENSIONS: [&str; 1] = ["policy"];

/// Whether a file found in a policy directory is part of the policy (`*.policy`), whatever the
/// case of its extension: a rule file skipped for its name would leave its rules unenforced.
///
/// ```
/// use std::path::Path;
/// assert!(lagom::policy::is_policy_file(Path::new("rules/Consent.POLICY")));
/// assert!(!lagom::policy::is_policy_file(Path::new("rules/consent.policy.bak")));
/// ```
pub fn is_policy_file(path: &Path) -> bool {
    files::has_extension(path, &POLICY_EXTENSIONS)
}

fn read_one(path: &Path, relative: String, max: u64, problems: &mut Vec<Problem>) -> Option<PolicyText> {
    let display = files::display(path);
    match files::read_bytes(path, max) {
        Ok(bytes) => Some(PolicyText { relative, display, bytes }),
        Err(e) => {
            problems.push(e.in_file(&display, &POLICY_FILE));
            None
        }
    }
}

/// The digest of spec 4.1: SHA-256 over the files sorted by relative path, each as its path,
/// a NUL, its bytes and a NUL.
pub(super) fn digest(texts: &[PolicyText]) -> String {
    let mut sorted: Vec<&PolicyText> = texts.iter().collect();
    sorted.sort_by(|a, b| a.relative.as_bytes().cmp(b.relative.as_bytes()).then(a.bytes.cmp(&b.bytes)));
    let mut h = Sha256::new();
    for t in sorted {
        h.update(t.relative.as_bytes());
        h.update([0u8]);
        h.update(&t.bytes);
        h.update([0u8]);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Parses and checks policy texts as one policy: what [`load_paths`] does once it has read the
/// files, for policies held in memory (a database, a request). The texts are read in the
/// order of their `display` names, as a folder's files are; the digest covers their `relative`
/// names and bytes. Unlike [`load_paths`] on an empty folder, an empty list is no error: it is
/// a policy that declares nothing, under which every campaign is invalid (its purpose is unknown).
///
/// ```
/// use lagom::policy::{load_texts, PolicyText};
/// let text = |name: &str, body: &str| PolicyText { relative: name.into(), display: name.into(), bytes: body.into() };
/// let policy = load_texts(vec![
///     text("rules.policy", "rule ok { allow contact for marketing }\n"),
///     text("vocabulary.policy", "category contact\npurpose marketing\n"),
/// ])
/// .unwrap();
/// assert_eq!(policy.rules.len(), 1);
/// // A name no file declares is an error, located in the file that uses it.
/// let e = load_texts(vec![text("rules.policy", "rule ok { allow contact for marketing }\n")]).unwrap_err();
/// assert_eq!(e.problems[0].code.as_str(), "lagom::unknown_name");
/// ```
pub fn load_texts(mut texts: Vec<PolicyText>) -> Result<CheckedPolicy, PolicyError> {
    // Files are read in sorted path order (spec 1), whatever order they were given in.
    texts.sort_by(|a, b| a.display.as_bytes().cmp(b.display.as_bytes()));
    // Files index and parse independently, so a policy of many files parses on every core,
    // while the digest is computed beside them. A file's id is its place in `texts`: the
    // number `SourceMap::add` gives it below, where files are added in that order.
    let (digest, loaded) = rayon::join(
        || digest(&texts),
        || texts.par_iter().enumerate().map(|(i, t)| load_text(FileId(i as u32), t)).collect::<Vec<_>>(),
    );
    let mut sources = SourceMap::default();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for (file, parsed) in loaded {
        sources.add(file);
        match parsed {
            Ok(f) => files.push(f),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        crate::diagnostic::sort_problems(&mut problems, &sources);
        return Err(PolicyError { problems, sources, skipped: Vec::new(), left_out: Vec::new() });
    }
    let checked = super::check::check(&files, sources.clone(), digest).map_err(|problems| PolicyError {
        problems,
        sources,
        skipped: Vec::new(),
        left_out: Vec::new(),
    });
    // A large policy's syntax tree takes a while to free; the other cores do it.
    files.into_par_iter().for_each(drop);
    checked
}

/// A policy file that is not UTF-8: the text as shown (each bad byte as `�`), and the problem,
/// at the first bad byte, for the file added under `id`.
pub(crate) fn not_utf8(id: FileId, display: &str, bytes: &[u8], e: std::str::Utf8Error) -> (SourceFile, Problem) {
    let file = SourceFile::new(display, String::from_utf8_lossy(bytes).into_owned());
    // Text saved as UTF-16 is named so, as a campaign file is (its snippet would be unreadable).
    let problem = match crate::campaign::yaml::wide_encoding_problem(&file) {
        Some(utf16) => Problem { code: Code::Io, ..utf16 },
        None => files::at_bad_byte(Code::Io, id, e.valid_up_to(), "policy file is not UTF-8 text"),
    };
    (file, problem)
}

/// The syntax errors of a policy file, or, for a file named `*.yaml`, `*.yml` or `*.json`
/// (a campaign given to `--policy`, as when the arguments are swapped), one error that says
/// so instead of the grammar's complaint about its first key.
fn campaign_given(id: FileId, t: &PolicyText, text: &str, problems: Vec<Problem>) -> Vec<Problem> {
    let name = t.display.to_ascii_lowercase();
    if ![".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) {
        return problems;
    }
    // The first line that is not a comment, which the grammar also skips.
    let Some((start, line)) = crate::source::first_content_line(text) else { return problems };
    let end = start + line.len();
    // Only what reads as YAML or JSON (`campaign: …`, `{`, `"campaign": …`) is called a
    // campaign; policy text with a slip in a `.json` file keeps the grammar's own messages.
    let first = line.trim_start();
    let key = first.split(':').next().unwrap_or("").trim_matches('"');
    let looks_like_data = first.starts_with(['{', '[', '-'])
        || (first.contains(':') && !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if !looks_like_data {
        return problems;
    }
    vec![Problem::at(
        Code::Syntax,
        Span { file: id, start, end },
        format!("`{}` is not policy text: it looks like a campaign file", t.display),
        "a policy file holds declarations",
    )
    .with_help(
        "`--policy` takes policy files (`*.policy`) or folders of them; campaign files follow the options: \
         `lagom check --policy POLICY campaigns/`",
    )]
}

/// One policy text as a source file (with the id it is added under) and its syntax tree.
fn load_text(id: FileId, t: &PolicyText) -> (SourceFile, Result<PolicyFile, Vec<Problem>>) {
    match std::str::from_utf8(&t.bytes) {
        Ok(text) => {
            let file = SourceFile::new(t.display.clone(), text);
            let parsed = crate::syntax::parse_file(id, text).map_err(|problems| campaign_given(id, t, text, problems));
            (file, parsed)
        }
        Err(e) => {
            let (file, problem) = not_utf8(id, &t.display, &t.bytes, e);
            (file, Err(vec![problem]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{load_texts, PolicyText};

    fn problems(name: &str, text: &str) -> Vec<(String, usize)> {
        let text = PolicyText { relative: name.into(), display: name.into(), bytes: text.as_bytes().to_vec() };
        let err = load_texts(vec![text]).unwrap_err();
        let line = |p: &crate::diagnostic::Problem| match p.place {
            crate::diagnostic::Place::Span(s) => err.sources.location(s).line,
            _ => 0,
        };
        err.problems.iter().map(|p| (p.message.clone(), line(p))).collect()
    }

    #[test]
    fn a_campaign_given_as_the_policy_is_called_one_at_its_first_key() {
        assert_eq!(
            problems("c.yaml", "# a campaign\n\ncampaign: c\npurpose: marketing\n"),
            [("`c.yaml` is not policy text: it looks like a campaign file".to_string(), 3)]
        );
        // A policy file keeps the grammar's own message, and so does policy text in a `.json` file.
        assert!(problems("p.policy", "campaign: c\n")[0].0.starts_with("expected"));
        assert!(problems("p.json", "rule x {\n")[0].0.starts_with("expected"));
        assert_eq!(
            problems("c.json", "{\"campaign\": \"c\"}\n")[0].0,
            "`c.json` is not policy text: it looks like a campaign file"
        );
    }

    /// A policy folder's misnamed file is told apart from other files, as a campaign
    /// folder's is, by one test of the name ([`files::named_like`]).
    #[test]
    fn files_named_like_a_policy_file_are_told_apart() {
        use super::{files, Path, POLICY_EXTENSIONS};
        let like = |name: &str| files::named_like(Path::new(name), &POLICY_EXTENSIONS);
        for name in [
            "10-deny.polcy",
            "20-rules.polciy",
            "main.policy.bak",
            "30-more.Policy.bak",
            "a.policy~",
            "a.POLICY",
            "z.pol",
            "z.polic",
            "t.policies",
        ] {
            assert!(like(name), "{name}");
        }
        for name in ["README.md", "policy.md", "notes.txt", "a.yaml", "a.po", "Makefile"] {
            assert!(!like(name), "{name}");
        }
        let campaign = |name: &str| files::named_like(Path::new(name), &["yaml", "yml"]);
        assert!(campaign("spring.yam") && campaign("spring.yml.bak") && campaign("spring.yaml.txt"));
        assert!(campaign("spring.yamls") && campaign("spring.ymls"));
        assert!(!campaign("notes.xml") && !campaign("a.policy"));
    }
}
