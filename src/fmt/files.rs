//! `lagom fmt` over files: which files, reading them, and writing the results back.

use std::io::Read;
use std::path::Path;

use crate::batch::display;
use crate::diagnostic::{io_reason, walk_reason, Code, Problem};
use crate::source::{SourceFile, SourceMap};

/// One file of a run.
#[derive(Clone, Debug)]
pub struct Formatted {
    /// The path as found (`-` for standard input).
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
}

/// Formats policy files: a file is read whatever its extension, a directory means every
/// `*.policy` below it, `-` is standard input. Files larger than `max_file_bytes` are errors.
pub fn format_paths(args: &[String], max_file_bytes: u64) -> Run {
    let mut found: Vec<(String, Result<String, Problem>)> = Vec::new();
    for arg in args {
        if arg == "-" {
            found.push(("-".into(), read_stdin(max_file_bytes)));
        } else {
            discover(Path::new(arg), max_file_bytes, &mut found);
        }
    }
    found.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    found.dedup_by(|a, b| a.0 == b.0);
    let mut run = Run::default();
    for (path, text) in found {
        let formatted = match text {
            Err(p) => Formatted { path, original: String::new(), result: Err(vec![p]) },
            Ok(text) => {
                let id = run.sources.add(SourceFile::new(path.clone(), text.clone()));
                Formatted { result: super::format_text(id, &text), path, original: text }
            }
        };
        run.files.push(formatted);
    }
    run
}

/// Writes a changed file back in place.
pub fn write_back(f: &Formatted) -> Result<(), Problem> {
    match &f.result {
        Ok(text) if f.changed() => std::fs::write(&f.path, text)
            .map_err(|e| Problem::in_file(Code::Io, &f.path, format!("cannot write `{}`: {e}", f.path))),
        _ => Ok(()),
    }
}

fn discover(path: &Path, max: u64, found: &mut Vec<(String, Result<String, Problem>)>) {
    let shown = display(path);
    if !path.is_dir() {
        found.push((shown.clone(), read(path, &shown, max)));
        return;
    }
    let mut any = false;
    for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "policy") => {
                any = true;
                let shown = display(e.path());
                found.push((shown.clone(), read(e.path(), &shown, max)));
            }
            Ok(_) => {}
            Err(e) => {
                let p = e.path().map_or_else(|| shown.clone(), |p| p.to_string_lossy().into_owned());
                let reason = walk_reason(&e);
                found.push((p.clone(), Err(Problem::in_file(Code::Io, &p, format!("cannot read `{p}`: {reason}")))));
            }
        }
    }
    if !any {
        let p = Problem::in_file(Code::Io, &shown, format!("no `.policy` files in `{shown}`"))
            .with_help("give policy files, or directories that hold `.policy` files");
        found.push((shown, Err(p)));
    }
}

fn read(path: &Path, shown: &str, max: u64) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(max + 1).read_to_end(&mut bytes)).map_err(|e| {
        Problem::in_file(Code::Io, shown, format!("cannot read `{shown}`: {}", io_reason(&e)))
            .with_help("check the path; `lagom fmt` takes `.policy` files and directories of them")
    })?;
    decode(shown, bytes, max)
}

fn read_stdin(max: u64) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::in_file(Code::Io, "-", format!("cannot read standard input: {}", io_reason(&e))))?;
    decode("-", bytes, max)
}

fn decode(shown: &str, bytes: Vec<u8>, max: u64) -> Result<String, Problem> {
    if bytes.len() as u64 > max {
        return Err(Problem::in_file(
            Code::Limit,
            shown,
            format!("policy file is larger than {}", crate::batch::size_text(max)),
        )
        .with_help("split the policy into several files, or raise `--max-file-size`"));
    }
    String::from_utf8(bytes).map_err(|_| {
        Problem::in_file(Code::Io, shown, "policy file is not UTF-8 text").with_help("save the file as UTF-8")
    })
}
