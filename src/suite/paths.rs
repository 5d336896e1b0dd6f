//! Finding and reading test files and the campaign files they name.

use std::path::{Component, Path, PathBuf};

use crate::batch::{display, same_file_key};
use crate::diagnostic::{io_reason, walk_reason, Code, Problem};

/// A test file found on the command line or in a folder.
pub(super) struct Found {
    /// The path as found.
    pub path: PathBuf,
    /// The path as shown.
    pub file: String,
    /// Its text.
    pub text: Result<String, Problem>,
}

/// A file is read whatever its name; a folder means every `*.test.yaml` / `*.test.yml` below it.
pub(super) fn discover(args: &[String], max: u64) -> Vec<Found> {
    let mut found = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if !path.is_dir() {
            found.push(found_file(path, max));
            continue;
        }
        let before = found.len();
        for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() && is_test_file(e.path()) => found.push(found_file(e.path(), max)),
                Ok(_) => {}
                Err(e) => {
                    let shown = e.path().map_or_else(|| arg.clone(), |p| p.display().to_string());
                    let reason = walk_reason(&e);
                    let problem = Problem::in_file(Code::Io, &shown, format!("cannot read `{shown}`: {reason}"));
                    found.push(Found { path: PathBuf::from(&shown), file: shown, text: Err(problem) });
                }
            }
        }
        if found.len() == before {
            let problem = Problem::in_file(Code::Io, arg, format!("no test files in `{arg}`"))
                .with_help("test files end in `.test.yaml` or `.test.yml`");
            found.push(Found { path: path.to_path_buf(), file: arg.clone(), text: Err(problem) });
        }
    }
    // A file named twice, however it is spelt, is run once (as `check` reads a campaign once).
    found.sort_by(|a, b| a.file.as_bytes().cmp(b.file.as_bytes()));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(same_file_key(&f.path)));
    found
}

fn is_test_file(p: &Path) -> bool {
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name.ends_with(".test.yaml") || name.ends_with(".test.yml")
}

fn found_file(path: &Path, max: u64) -> Found {
    let file = display(path);
    let text = read_campaign(path, max).map_err(|(code, m)| {
        let p = Problem::in_file(code, &file, m);
        match code {
            Code::Io => p.with_help("check the path; test files end in `.test.yaml` or `.test.yml`"),
            _ => p,
        }
    });
    Found { path: path.to_path_buf(), file, text }
}

/// Reads a YAML file (a test file or a campaign) of at most `max` bytes; or the code and
/// message of why it cannot be used (`lagom::io`, `lagom::limit`, or `lagom::yaml` for text
/// that is not UTF-8, as `check` says of a campaign file).
pub(super) fn read_campaign(path: &Path, max: u64) -> Result<String, (Code, String)> {
    let shown = display(path);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| crate::batch::read_at_most(f, max, &mut bytes))
        .map_err(|e| (Code::Io, format!("cannot read `{shown}`: {}", io_reason(&e))))?;
    if bytes.len() as u64 > max {
        return Err((Code::Limit, format!("`{shown}` is larger than {}", crate::batch::size_text(max))));
    }
    String::from_utf8(bytes).map_err(|_| (Code::Yaml, format!("`{shown}` is not UTF-8 text")))
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
