//! Finding and reading test files and the campaign files they name.

use std::path::{Component, Path, PathBuf};

use crate::batch::{is_campaign_file, Input};
use crate::diagnostic::{Code, Problem};
use crate::files::{self, display, file_key, Advice, Unreadable, STDIN_KEY};
use crate::source::{SourceFile, SourceMap};

/// A test file found on the command line or in a folder.
pub(super) struct Found {
    /// The folder its campaign paths are relative to: the file's own, or the current folder
    /// (empty) for standard input.
    pub dir: PathBuf,
    /// The path as shown.
    pub file: String,
    /// Its text, or why it has none (with the file's text as far as it can be shown, to
    /// point at a byte that is not UTF-8).
    pub text: Result<String, (SourceMap, Problem)>,
    /// Whether it names a test file (or standard input) rather than a folder: a folder that
    /// cannot be listed or holds no test file has no test file to count as not run.
    pub is_file: bool,
    /// What it is, however it is named: [`STDIN_KEY`] for standard input, else its
    /// [`file_key`], so that standard input and a file named `-` (`./-`) are two files.
    key: Vec<u8>,
}

/// A file is read whatever its name; a folder means every `*.test.yaml` / `*.test.yml` below it.
/// Also the files below a folder named like test files that are not ones ([`named_like_test`]),
/// which are not read: their tests would otherwise go unrun without a word.
pub(super) fn discover(args: &[String], max: u64) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for arg in args {
        let path = match Input::from_arg(arg) {
            Input::Path(path) => path,
            Input::Stdin => {
                // A test file on standard input names its campaigns relative to the current folder.
                let text = files::read_stdin_text(max).map_err(|e| unusable("-", e));
                let key = STDIN_KEY.to_vec();
                found.push(Found { dir: PathBuf::new(), file: "-".into(), text, is_file: true, key });
                continue;
            }
        };
        if !path.is_dir() {
            found.push(found_file(&path, max));
            continue;
        }
        let before = found.len();
        for entry in files::walk(&path, |p| is_test_file(p) || named_like_test(p)) {
            found.push(match entry {
                Ok(p) if !is_test_file(&p) => {
                    skipped.push(p);
                    continue;
                }
                Ok(p) => found_file(&p, max),
                Err(e) if named_like_test(&e.path) => {
                    skipped.push(e.path);
                    continue;
                }
                Err(e) => {
                    // A link named as a test file that leads nowhere is a test file not run.
                    let is_file = is_test_file(&e.path) && !e.path.is_dir();
                    let text = Err(unplaced(e.problem));
                    Found { file: display(&e.path), dir: parent(&e.path), key: file_key(&e.path), text, is_file }
                }
            });
        }
        if found.len() == before {
            let problem = Problem::in_file(Code::Io, arg, format!("no test files in `{arg}`"))
                .with_help("test files end in `.test.yaml` or `.test.yml`");
            let key = file_key(&path);
            found.push(Found { dir: path, file: arg.clone(), text: Err(unplaced(problem)), is_file: false, key });
        }
    }
    // A file named twice, however it is spelt, is run once (as `check` reads a campaign once).
    found.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.key.clone()));
    let roots: Vec<&Path> = args.iter().map(Path::new).collect();
    (found, files::passed_over(skipped, &roots))
}

/// Whether a file found in a folder is a test file: `*.test.yaml` or `*.test.yml`, in any case
/// as campaign files are (`X.TEST.YAML` too): a test file skipped for the case of its name
/// would be tests silently not run.
fn is_test_file(p: &Path) -> bool {
    is_campaign_file(p) && p.file_stem().is_some_and(|s| s.to_string_lossy().to_ascii_lowercase().ends_with(".test"))
}

/// Whether a file that is not a test file is named like one: a part after its first that is
/// `test` or one edit from it (`x.tests.yaml`, `x.tset.yaml`, `x.test_.yaml`), followed by a
/// campaign extension or one named like it (`x.test.yam`, `x.test.yaml.bak`). A campaign file
/// beside the tests (`spring.yaml`, `test.yaml`) is not one.
fn named_like_test(p: &Path) -> bool {
    if is_test_file(p) {
        return false;
    }
    let Some(name) = p.file_name().map(|n| n.to_string_lossy().to_lowercase()) else { return false };
    let parts: Vec<&str> = name.split('.').collect();
    parts.iter().enumerate().skip(1).any(|(i, part)| {
        let rest = parts.get(i + 1..).unwrap_or_default();
        !rest.is_empty()
            && strsim::osa_distance(part, "test") <= 1
            && files::named_like(Path::new(&format!("x.{}", rest.join("."))), &["yaml", "yml"])
    })
}

/// The folder a file is in (empty for a bare name: the current folder).
fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
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
    Found { dir: parent(path), file, text, is_file: true, key: file_key(path) }
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

    #[test]
    fn test_files_are_named_in_any_case() {
        for name in ["a.test.yaml", "t/b.test.yml", "X.TEST.YAML", "x.test.YML", "x.Test.Yaml", ".test.yaml"] {
            assert!(is_test_file(Path::new(name)), "{name}");
        }
        for name in ["a.yaml", "a.test.yaml.bak", "a.test", "atest.yaml", "a.test.policy"] {
            assert!(!is_test_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn files_named_like_test_files_are_told_apart() {
        let like = ["x.test.yaml.bak", "x.test.yam", "x.tests.yaml", "x.tset.yaml", "x.test_.yaml", "X.TESTS.YML"];
        for name in like {
            assert!(named_like_test(Path::new(name)), "{name}");
        }
        let unlike = [
            "x.test.yaml",
            "spring.yaml",
            "test.yaml",
            "tests.yaml",
            "x.test.policy",
            "a.test",
            "notes.txt",
            "x.yaml.bak",
        ];
        for name in unlike {
            assert!(!named_like_test(Path::new(name)), "{name}");
        }
    }
}
