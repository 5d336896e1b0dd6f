//! `lagom fmt` over files: which files, reading them, and writing the results back.

use std::path::{Path, PathBuf};

use crate::batch::Input;
use crate::diagnostic::{io_reason, Code, Problem};
use crate::files::{self, display, file_key, same_file_key, Advice, Entry};
use crate::policy::{is_policy_file, POLICY_EXTENSIONS, POLICY_FILE};
use crate::source::{SourceFile, SourceMap};

/// One file of a run.
#[derive(Clone, Debug)]
pub struct Formatted {
    /// Where the text came from: standard input, or the file's real path (which `path` only
    /// shows: a name that is not UTF-8 is shown with `\xNN` escapes). A changed file is
    /// written back there.
    pub input: Input,
    /// The path as shown (`-` for standard input).
    pub path: String,
    /// The text as read.
    pub original: String,
    /// The canonical text, or why there is none.
    pub result: Result<String, Vec<Problem>>,
}

impl Formatted {
    /// True when the file is not in the canonical layout.
    pub fn changed(&self) -> bool {
        self.result.as_ref().is_ok_and(|t| *t != self.original)
    }
}

/// Every file of a run, sorted by path, with the texts problems point into.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Files read.
    pub sources: SourceMap,
    /// One entry per file.
    pub files: Vec<Formatted>,
    /// Files below a folder named like a policy file that are not one (`10-deny.polcy`,
    /// `main.policy.bak`): not formatted, but named, as `check` and `validate` name them.
    pub skipped: Vec<String>,
}

/// Formats policy files: a file is read whatever its extension, a directory means every
/// `*.policy` below it, `-` is standard input. Files larger than `max_file_bytes` are errors.
/// Nothing is written: each [`Formatted`] holds the text as read and the canonical one.
///
/// ```
/// let run = lagom::fmt::format_paths(&["policies/gdpr-marketing".into()], 4 << 20);
/// assert_eq!(run.files.len(), 10);
/// // The shipped pack is laid out canonically.
/// assert!(run.files.iter().all(|f| f.result.is_ok() && !f.changed()));
/// ```
pub fn format_paths(args: &[PathBuf], max_file_bytes: u64) -> Run {
    let mut found: Vec<Found> = Vec::new();
    let mut skipped = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            found.push(Found { input: Input::Stdin, shown: "-".into(), bytes: read_stdin(max_file_bytes) });
        } else {
            discover(arg, max_file_bytes, &mut found, &mut skipped);
        }
    }
    let roots: Vec<&std::path::Path> = args.iter().map(PathBuf::as_path).collect();
    let skipped = files::passed_over(skipped, &roots);
    // Sorted by the path's bytes (two names may look alike once escaped), and each file kept
    // once however many paths lead to it.
    let key = |f: &Found, key: fn(&std::path::Path) -> Vec<u8>| match &f.input {
        Input::Stdin => files::STDIN_KEY.to_vec(),
        Input::Path(p) => key(p),
    };
    found.sort_by_cached_key(|f| (f.shown.clone(), key(f, same_file_key)));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(key(f, file_key)));
    let mut run = Run { skipped, ..Run::default() };
    for Found { input, shown: path, bytes } in found {
        let formatted = match bytes.map(String::from_utf8) {
            Err(p) => Formatted { input, path, original: String::new(), result: Err(vec![p]) },
            Ok(Err(e)) => {
                let id = run.sources.next_id();
                let (file, problem) = crate::policy::not_utf8(id, &path, e.as_bytes(), e.utf8_error());
                run.sources.add(file);
                Formatted { input, path, original: String::new(), result: Err(vec![problem]) }
            }
            Ok(Ok(text)) => {
                let id = run.sources.add(SourceFile::new(path.clone(), text.clone()));
                Formatted { input, result: super::format_text(id, &text), path, original: text }
            }
        };
        run.files.push(formatted);
    }
    run
}

/// Writes a changed file back, whole or not at all ([`files::write_whole`]); standard input is
/// never written back.
pub fn write_back(f: &Formatted) -> Result<(), Problem> {
    match (&f.input, &f.result) {
        (Input::Path(real), Ok(text)) if f.changed() => files::write_whole(real, ".lagom-fmt-", |w| {
            w.write_all(text.as_bytes())
        })
        .map_err(|e| Problem::in_file(Code::Io, &f.path, format!("cannot write `{}`: {}", f.path, io_reason(&e)))),
        _ => Ok(()),
    }
}

/// A file found, before it is formatted.
struct Found {
    input: Input,
    shown: String,
    bytes: Result<Vec<u8>, Problem>,
}

fn discover(path: &Path, max: u64, found: &mut Vec<Found>, skipped: &mut Vec<PathBuf>) {
    let shown = display(path);
    let file = |p: &Path, shown: String, bytes| Found { input: Input::Path(p.to_path_buf()), shown, bytes };
    if !path.is_dir() {
        found.push(file(path, shown.clone(), read(path, &shown, max)));
        return;
    }
    let mut any = false;
    for entry in files::walk_inputs(path, is_policy_file, &POLICY_EXTENSIONS) {
        match entry {
            Entry::Input(p) => {
                any = true;
                let shown = display(&p);
                found.push(file(&p, shown.clone(), read(&p, &shown, max)));
            }
            Entry::Skipped(p) => skipped.push(p),
            Entry::Failed(e) => found.push(file(&e.path, display(&e.path), Err(e.problem))),
        }
    }
    if !any {
        let p = Problem::in_file(Code::Io, &shown, format!("no `.policy` files in `{shown}`"))
            .with_help("give policy files, or directories that hold `.policy` files");
        found.push(file(path, shown, Err(p)));
    }
}

fn read(path: &Path, shown: &str, max: u64) -> Result<Vec<u8>, Problem> {
    let advice = Advice {
        unreadable: Some("check the path; `lagom fmt` takes `.policy` files and directories of them"),
        ..POLICY_FILE
    };
    files::read_bytes(path, max).map_err(|e| e.in_file(shown, &advice))
}

fn read_stdin(max: u64) -> Result<Vec<u8>, Problem> {
    files::read_stdin_bytes(max).map_err(|e| e.in_file("-", &POLICY_FILE))
}
