//! Finding and reading test files and the campaign files they name.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Problem};
use crate::files::{self, display, file_key, Advice, Unreadable};
use crate::source::{SourceFile, SourceMap};

/// A test file found on the command line or in a folder.
pub(super) struct Found {
    /// The path as found.
    pub path: PathBuf,
    /// The path as shown.
    pub file: String,
    /// Its text, or why it has none (with the file's text as far as it can be shown, to
    /// point at a byte that is not UTF-8).
    pub text: Result<String, (SourceMap, Problem)>,
    /// Whether it names a test file (or standard input) rather than a folder: a folder that
    /// cannot be listed or holds no test file has no test file to count as not run.
    pub is_file: bool,
}

/// A file is read whatever its name; a folder means every `*.test.yaml` / `*.test.yml` below it.
pub(super) fn discover(args: &[String], max: u64) -> Vec<Found> {
    let mut found = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg == "-" {
            // A test file on standard input names its campaigns relative to the current folder.
            let text = files::read_stdin_text(max).map_err(|e| unusable("-", e));
            found.push(Found { path: PathBuf::from("-"), file: "-".into(), text, is_file: true });
            continue;
        }
        if !path.is_dir() {
            found.push(found_file(path, max));
            continue;
        }
        let before = found.len();
        for entry in files::walk(path, is_test_file) {
            found.push(match entry {
                Ok(p) => found_file(&p, max),
                Err(e) => {
                    // A link named as a test file that leads nowhere is a test file not run.
                    let is_file = is_test_file(&e.path) && !e.path.is_dir();
                    Found { file: display(&e.path), path: e.path, text: Err(unplaced(e.problem)), is_file }
                }
            });
        }
        if found.len() == before {
            let problem = Problem::in_file(Code::Io, arg, format!("no test files in `{arg}`"))
                .with_help("test files end in `.test.yaml` or `.test.yml`");
            found.push(Found {
                path: path.to_path_buf(),
                file: arg.clone(),
                text: Err(unplaced(problem)),
                is_file: false,
            });
        }
    }
    // A file named twice, however it is spelt, is run once (as `check` reads a campaign once).
    found.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(file_key(&f.path)));
    found
}

fn is_test_file(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with(".test.yaml") || name.ends_with(".test.yml")
}

/// What to tell the user about a test file that cannot be used.
const ADVICE: Advice = Advice {
    too_large: "split the tests over several files, or raise the limit with `--max-file-size`",
    unreadable: Some("check the path; test files end in `.test.yaml` or `.test.yml`"),
};

/// A problem with no text to show.
fn unplaced(problem: Problem) -> (SourceMap, Problem) {
    (SourceMap::default(), problem)
}

/// Why a file has no text, located at its first bad byte when it is not UTF-8 (as `check`
/// locates a campaign file's).
fn unusable(file: &str, e: Unreadable) -> (SourceMap, Problem) {
    let problem = e.in_file(file, &ADVICE);
    match e {
        Unreadable::NotUtf8 { lossy, offset, .. } => {
            let mut sources = SourceMap::default();
            let id = sources.add(SourceFile::new(file.to_string(), lossy));
            let located = files::at_bad_byte(problem.code, id, offset, problem.message);
            (sources, located)
        }
        _ => unplaced(problem),
    }
}

fn found_file(path: &Path, max: u64) -> Found {
    let file = display(path);
    let text = files::read_text(path, max).map_err(|e| unusable(&file, e));
    Found { path: path.to_path_buf(), file, text, is_file: true }
}

/// `a/b/../c` as `a/c`, without touching the file system, so one policy has one name.
pub(super) fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_dots_lexically() {
        assert_eq!(tidy(Path::new("policies/pack/tests/..")), PathBuf::from("policies/pack"));
        assert_eq!(tidy(Path::new("./a/./b/../../..")), PathBuf::from(".."));
        assert_eq!(tidy(Path::new("tests/..")), PathBuf::from("."));
    }
}
