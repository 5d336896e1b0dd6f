//! The files a run names: how a path is shown, when two spellings are one file, walking a
//! directory, and reading at most a limit of bytes. `check`, `test`, `fmt` and the policy
//! loader all read through here, so that a file is refused for the same reasons in the same
//! words whichever command reads it; and writing over a file whole or not at all.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

mod whole;

pub use whole::write_whole;

use crate::diagnostic::{io_reason, walk_reason, Code, Problem};
use crate::source::{FileId, Span};

/// How a path is shown: `/`-separated on every platform, bytes that are not UTF-8 written as
/// `\xNN` and a backslash that is part of a name (on Unix) as `\\`, so that no two paths
/// are shown alike (`\xff.yaml` with the byte and with the text `\xff` would be) and
/// [`shown_bytes`] gives the path's bytes back. Files are still told apart by their key
/// ([`file_key`]), never by how they are shown.
pub(crate) fn display(path: &Path) -> String {
    let mut out = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        match std::path::MAIN_SEPARATOR {
            '\\' => out.push_str(&chunk.valid().replace('\\', "/")),
            _ => out.push_str(&chunk.valid().replace('\\', "\\\\")),
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The bytes of the path a name [`display`] gave stands for: `\\` is a backslash, `\xNN` the
/// byte NN. For what wants the name itself: a byte order of paths (spec 4.1), a URI.
pub(crate) fn shown_bytes(shown: &str) -> Vec<u8> {
    let bytes = shown.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1)) {
            (b'\\', Some(b'\\')) => Some((b'\\', 2)),
            (b'\\', Some(b'x')) => bytes
                .get(i + 2..i + 4)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .map(|byte| (byte, 4)),
            _ => None,
        };
        let (byte, len) = escaped.unwrap_or((b, 1));
        out.push(byte);
        i += len;
    }
    out
}

/// The path with `.` components and repeated separators left out: the same file however it is
/// spelt. `..` stays: through a symbolic link it need not lead back where it came from, and two
/// files taken for one would leave one unchecked. The key is the path's own bytes, not the
/// name it is shown under, which may be the same for two files (names that are not UTF-8).
pub(crate) fn same_file_key(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let separator = |b: &u8| *b == b'/' || (std::path::MAIN_SEPARATOR == '\\' && *b == b'\\');
    let parts: Vec<&[u8]> = bytes.split(separator).filter(|p| !p.is_empty() && *p != b".").collect();
    let mut key = Vec::with_capacity(bytes.len() + 1);
    if bytes.first().is_some_and(separator) {
        key.push(b'/');
    }
    key.extend_from_slice(&parts.join(&b'/'));
    key
}

/// What a file is, whatever path leads to it: its device and inode. Two paths that are not
/// spellings of one another (`a.yaml` and `/abs/a.yaml`, or a symbolic link and its target)
/// still name one file when these agree. Known on Unix only; elsewhere the path's key decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct FileIdentity(u64, u64);

impl FileIdentity {
    #[cfg(unix)]
    fn of(m: &std::fs::Metadata) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity(m.dev(), m.ino()))
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<FileIdentity> {
        None
    }
}

/// A key under which every path to one file is the same: the file's identity when the system
/// gives it, else [`same_file_key`]. One lookup per path: for the few files a command names,
/// not for every file of a large directory (see [`read_text_identified`]).
pub(crate) fn file_key(path: &Path) -> Vec<u8> {
    match identity(path) {
        Some(FileIdentity(dev, ino)) => [&[1u8][..], &dev.to_le_bytes(), &ino.to_le_bytes()].concat(),
        None => same_file_key(path),
    }
}

/// Whether writing `target` would change a file that a run over `roots` reads (a file named,
/// or a `wanted` file below a folder named), or put one where the next run would read it. By
/// path (the target need not exist yet, its folder does) and, when it exists, by identity:
/// a hard link to a file read, or a symbolic link inside a folder pointing at the target, are
/// other names for it. The identity check stats every `wanted` file below the folders: for a
/// policy's few files, not a campaign folder's thousands (whose identities are known when
/// they are read).
pub(crate) fn is_read_by(roots: &[&Path], wanted: fn(&Path) -> bool, target: &Path) -> bool {
    let same_file = |id: FileIdentity| {
        roots.iter().any(|root| match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => walk(root, wanted).flatten().any(|p| identity(&p) == Some(id)),
            Ok(_) => identity(root) == Some(id),
            Err(_) => false,
        })
    };
    named_or_below(roots, wanted, target) || identity(target).is_some_and(same_file)
}

/// Whether `target` is, by path, one of `roots` or a `wanted` file below one of them (once
/// written, for a target that does not exist yet).
pub(crate) fn named_or_below(roots: &[&Path], wanted: fn(&Path) -> bool, target: &Path) -> bool {
    // Writing through a symbolic link to a file that does not exist yet creates that file:
    // what is written is where the link leads, which `canonicalize` cannot say for it.
    let target = &link_target(target);
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Ok(folder), Some(name)) = (std::fs::canonicalize(folder), target.file_name()) else { return false };
    let joined = folder.join(name);
    let canonical = std::fs::canonicalize(&joined).unwrap_or(joined);
    roots.iter().any(|root| match std::fs::canonicalize(root) {
        Ok(dir) if dir.is_dir() => wanted(&canonical) && canonical.starts_with(&dir),
        Ok(file) => file == canonical,
        Err(_) => false,
    })
}

/// Where writing `path` creates or changes a file: the end of its chain of symbolic links
/// (whether or not that exists), else `path` itself. A chain longer than the system would
/// follow ends where it is cut; opening it would fail anyway.
fn link_target(path: &Path) -> PathBuf {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        let Ok(next) = std::fs::read_link(&at) else { break };
        at = match at.parent() {
            Some(folder) => folder.join(next),
            None => next,
        };
    }
    at
}

/// Whether a file has other names (hard links): writing a new file in its place would leave
/// them with the old text, and writing it changes files that may be read under those names.
#[cfg(unix)]
pub(crate) fn has_other_names(m: &std::fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(m) > 1
}

#[cfg(not(unix))]
pub(crate) fn has_other_names(_: &std::fs::Metadata) -> bool {
    false
}

/// A file's identity, where the system gives one and the file exists.
pub(crate) fn identity(path: &Path) -> Option<FileIdentity> {
    std::fs::metadata(path).ok().as_ref().and_then(FileIdentity::of)
}

/// The key of standard input, which no path has: a path cannot hold a NUL.
pub(crate) const STDIN_KEY: &[u8] = b"\0";

/// An entry below a walked directory that could not be read: where, and why.
pub(crate) struct WalkError {
    /// The entry, or the directory walked when the entry has no path.
    pub path: PathBuf,
    /// `cannot read …`, located in that file.
    pub problem: Problem,
}

/// Every file below `root` (following symbolic links, in file-name order) whose path `wanted`
/// accepts. Hidden files and files a `.gitignore` names are included: no dotfile may take a
/// file out of a gate. An entry that `wanted` accepts but that is no file (a FIFO, a socket, a
/// device) is an error, not passed over: its rules or campaign would go unchecked. A symbolic
/// link that leads nowhere is an error only when `wanted` accepts its name (a dangling
/// `README.md` link in a sparse checkout holds nothing to check). A symbolic link that leads
/// outside `root` is not followed but is an error (for a file, when `wanted` accepts its name):
/// anyone who can add a file to a checked folder can add a link, and what lagom reads it
/// shows in snippets and messages (`/proc/self/environ`, a credentials file); a file named
/// on the command line is read wherever it is.
pub(crate) fn walk<'a>(
    root: &'a Path,
    wanted: impl Fn(&Path) -> bool + 'a,
) -> impl Iterator<Item = Result<PathBuf, WalkError>> + 'a {
    let inside = std::fs::canonicalize(root).ok();
    let mut entries = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    // Folders walked, by identity: links that fan out (`d0/a` and `d0/b` both to `d1`, each
    // of whose two links lead to `d2`, …) would have a walk visit 2^n paths, so a folder
    // reached again is not walked again; its files keep the names the walk first found them
    // under (folders in name order, depth first: `a/l/c.yaml` before `a.b/c.yaml`, though
    // `.` sorts before `/`). Every link that leads outside is still reported.
    let mut folders = HashSet::new();
    std::iter::from_fn(move || loop {
        let entry = entries.next()?;
        if let Ok(e) = &entry {
            let leads = e.path_is_symlink() && e.depth() > 0;
            let outside = leads
                && inside.as_ref().is_some_and(|inside| {
                    std::fs::canonicalize(e.path()).is_ok_and(|target| !target.starts_with(inside))
                });
            if outside {
                if e.file_type().is_dir() {
                    entries.skip_current_dir();
                } else if !wanted(e.path()) {
                    continue;
                }
                return Some(Err(leads_outside(e.path(), root, e.file_type().is_dir())));
            }
            if e.file_type().is_dir() && identity(e.path()).is_some_and(|id| !folders.insert(id)) {
                entries.skip_current_dir();
                continue;
            }
        }
        if let Some(item) = walked(entry, root, &wanted) {
            return Some(item);
        }
    })
}

/// The error for a symbolic link below `root` that leads outside it.
fn leads_outside(path: &Path, root: &Path, folder: bool) -> WalkError {
    let (shown, root) = (display(path), display(root));
    let what = if folder { "a folder" } else { "a file" };
    let problem = Problem::in_file(
        Code::Io,
        &shown,
        format!("`{shown}` is not read: it is a symbolic link to {what} outside `{root}`"),
    )
    .with_help(format!(
        "lagom reads only what is inside the folders it is given: put the {} itself in `{root}` in place of the link, \
         or remove the link and give its target on the command line",
        if folder { "folder" } else { "file" }
    ));
    WalkError { path: path.to_path_buf(), problem }
}

/// One entry of a walk as [`walk`] yields it, or `None` when it is passed over.
fn walked(
    entry: walkdir::Result<walkdir::DirEntry>,
    root: &Path,
    wanted: &impl Fn(&Path) -> bool,
) -> Option<Result<PathBuf, WalkError>> {
    match entry {
        Ok(e) if e.file_type().is_dir() || !wanted(e.path()) => None,
        Ok(e) if e.file_type().is_file() => Some(Ok(e.into_path())),
        Ok(e) => {
            let shown = display(e.path());
            let problem = Problem::in_file(
                Code::Io,
                &shown,
                format!("cannot read `{shown}`: it is not a regular file (a FIFO, a socket or a device)"),
            )
            .with_help("replace it with the file itself, or rename it if it is not one");
            Some(Err(WalkError { path: e.into_path(), problem }))
        }
        Err(err) if leads_nowhere(&err) && err.path().is_some_and(|p| !wanted(p)) => None,
        Err(err) => {
            let path = err.path().unwrap_or(root).to_path_buf();
            let shown = display(&path);
            let help = match (err.io_error(), err.loop_ancestor()) {
                (Some(io), _) => io_help(io),
                (None, _) => "remove the link: it leads back to a folder that holds it",
            };
            let problem = Problem::in_file(Code::Io, &shown, format!("cannot read `{shown}`: {}", walk_reason(&err)))
                .with_help(help);
            Some(Err(WalkError { path, problem }))
        }
    }
}

/// Whether a file's name reads like one of the `extensions` (lower case, without the dot):
/// ending in one, or in one saved under another extension (`spring.yaml.txt`,
/// `main.Policy.bak`, `spring.yml~`), or in one misspelt by a letter (`spring.yam`,
/// `deny.polcy`, `deny.polciy`; extensions of four letters or more), or cut short or run on
/// (`deny.pol`, `deny.policies`, `spring.yamls`; three letters or more). Files of the kind
/// itself are among them: a walk names the others ([`Entry::Skipped`]), so that a file meant
/// as an input is never passed over in silence.
pub(crate) fn named_like(path: &Path, extensions: &[&str]) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_lowercase()) else { return false };
    let name = name.trim_end_matches('~');
    let last = name.rsplit_once('.').map(|(_, x)| x);
    extensions.iter().any(|ext| {
        name.contains(&format!(".{ext}"))
            || last.is_some_and(|x| {
                let misspelt = ext.len() >= 4 && strsim::osa_distance(x, ext) <= 1;
                // `z.pol` is the extension cut short, `t.policies` and `s.yamls` run on.
                let cut_short = x.len() >= 3 && ext.starts_with(x);
                let run_on = x.len() > ext.len() && ext.get(..ext.len() - 1).is_some_and(|e| x.starts_with(e));
                misspelt || cut_short || run_on
            })
    })
}

/// Whether a file's name ends in `.EXT` for one of `extensions` (lower case, without the
/// dot), in any case. A name that is only a dot and an extension (`.yaml`, `.policy`) is one
/// too, though [`Path::extension`] gives it none: a file hidden so is still an input, and no
/// name may take a campaign out of the gate or a rule out of the policy.
pub(crate) fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let Some(name) = path.file_name().map(std::ffi::OsStr::as_encoded_bytes) else { return false };
    let Some(dot) = name.iter().rposition(|b| *b == b'.') else { return false };
    let extension = name.get(dot + 1..).unwrap_or_default();
    extensions.iter().any(|x| extension.eq_ignore_ascii_case(x.as_bytes()))
}

/// The files walks passed over for their names ([`Entry::Skipped`]) as a run names them in a
/// note: each once however many paths lead to it (`--policy p --policy ./p --policy link`),
/// under the first of its names in byte order, and none that the run reads after all because
/// it is one of the `roots` (a file named on the command line is read whatever its name): a
/// note must not call a file that was checked unchecked.
pub(crate) fn passed_over(paths: Vec<PathBuf>, roots: &[&Path]) -> Vec<String> {
    let named: HashSet<Vec<u8>> = roots.iter().filter(|root| !root.is_dir()).map(|root| file_key(root)).collect();
    let mut shown: Vec<(Vec<u8>, String)> = paths.iter().map(|p| (file_key(p), display(p))).collect();
    shown.sort_by_cached_key(|(_, name)| shown_bytes(name));
    let mut seen = HashSet::new();
    shown
        .into_iter()
        .filter(|(key, _)| !named.contains(key) && seen.insert(key.clone()))
        .map(|(_, name)| name)
        .collect()
}

/// One entry of [`walk_inputs`].
pub(crate) enum Entry {
    /// A file of the kind walked for.
    Input(PathBuf),
    /// A file named like one ([`named_like`]) that is not one: not read, but named.
    Skipped(PathBuf),
    /// An entry that cannot be read.
    Failed(WalkError),
}

/// [`walk`] for the files `is_input` accepts, with those only named like them
/// ([`named_like`] `extensions`) told apart: campaign folders and policy folders are walked
/// alike, and both name the files they pass over for their names.
pub(crate) fn walk_inputs<'a>(
    root: &'a Path,
    is_input: fn(&Path) -> bool,
    extensions: &'a [&'a str],
) -> impl Iterator<Item = Entry> + 'a {
    walk(root, move |p| named_like(p, extensions)).map(move |entry| match entry {
        Ok(path) if is_input(&path) => Entry::Input(path),
        Ok(path) => Entry::Skipped(path),
        // A link or pipe named `x.yaml.bak` is skipped as a file of that name is.
        Err(e) if named_like(&e.path, extensions) && !is_input(&e.path) => Entry::Skipped(e.path),
        Err(e) => Entry::Failed(e),
    })
}

/// Whether a walk error is a symbolic link whose target does not exist.
fn leads_nowhere(err: &walkdir::Error) -> bool {
    let missing = err.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
    missing && err.path().and_then(|p| p.symlink_metadata().ok()).is_some_and(|m| m.file_type().is_symlink())
}

/// Why a file's text cannot be used.
#[derive(Debug)]
pub(crate) enum Unreadable {
    /// The system refused (no such file, permission denied, …).
    Io(std::io::Error),
    /// A directory where a file was named.
    Directory,
    /// More bytes than the limit.
    TooLarge {
        /// The limit, in bytes.
        max: u64,
    },
    /// Not UTF-8; the line of the first bad byte.
    NotUtf8 {
        /// 1-based.
        line: usize,
        /// The text with every bad sequence replaced by U+FFFD, to show where.
        lossy: String,
        /// Byte offset of the first bad byte (the same in `lossy`).
        offset: usize,
    },
}

impl Unreadable {
    /// The diagnostic code: a limit is `lagom::limit`, text that is not UTF-8 a YAML error
    /// (the YAML loader would say the same), the rest `lagom::io`.
    pub(crate) fn code(&self) -> Code {
        match self {
            Unreadable::Io(_) | Unreadable::Directory => Code::Io,
            Unreadable::TooLarge { .. } => Code::Limit,
            Unreadable::NotUtf8 { .. } => Code::Yaml,
        }
    }

    /// The message, naming the file as shown (`-` is standard input).
    pub(crate) fn message(&self, shown: &str) -> String {
        let name = match shown {
            "-" => "standard input".to_string(),
            _ => format!("`{shown}`"),
        };
        match self {
            Unreadable::Io(e) => format!("cannot read {name}: {}", io_reason(e)),
            Unreadable::Directory => format!("{name} is a directory"),
            Unreadable::TooLarge { max } => format!("{name} is larger than {}", size_text(*max)),
            Unreadable::NotUtf8 { line, .. } => format!("{name} is not UTF-8 text (invalid byte on line {line})"),
        }
    }

    /// A problem located in the file itself, with the reader's `advice` for a file over the
    /// limit or one that cannot be read, and the common advice for text that is not UTF-8.
    pub(crate) fn in_file(&self, shown: &str, advice: &Advice) -> Problem {
        let problem = Problem::in_file(self.code(), shown, self.message(shown));
        let help = match self {
            Unreadable::TooLarge { .. } => advice.too_large,
            Unreadable::NotUtf8 { .. } => NOT_UTF8_HELP,
            Unreadable::Io(e) => advice.unreadable.unwrap_or_else(|| io_help(e)),
            Unreadable::Directory => advice.unreadable.unwrap_or("name a file here, not a directory"),
        };
        problem.with_help(help)
    }
}

/// What to do about text that is not UTF-8.
const NOT_UTF8_HELP: &str = "save the file as UTF-8";

/// A problem at the first bad byte (`offset`) of a text that is not UTF-8, in the file `id`
/// that shows the text with its bad bytes replaced.
pub(crate) fn at_bad_byte(code: Code, id: FileId, offset: usize, message: impl Into<String>) -> Problem {
    let span = Span { file: id, start: offset, end: offset + 1 };
    Problem::at(code, span, message, "invalid byte here").with_help(NOT_UTF8_HELP)
}

/// What to do about a file the system would not read, by the reason it gave.
fn io_help(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "check the path",
        std::io::ErrorKind::PermissionDenied => "give the user that runs lagom read access to it",
        // ENAMETOOLONG: a path or a name longer than the system takes (4,096 and 255 bytes on
        // Linux), deep folders with long names.
        std::io::ErrorKind::InvalidFilename => {
            "the path is longer than the system allows: check the files from a folder nearer to it, or shorten the \
             folder names"
        }
        _ => "check that the file can be read (a device, a broken disk or a special file cannot)",
    }
}

/// What a reader tells the user about a file it cannot use, beyond what went wrong: it
/// depends on what the file holds and where such files are found.
pub(crate) struct Advice {
    /// For a file over the size limit.
    pub too_large: &'static str,
    /// For a file that cannot be read at all, if there is anything to say.
    pub unreadable: Option<&'static str>,
}

/// A byte count as people read it.
pub(crate) fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads up to one byte more than `max`, so that the caller can tell a file of exactly `max`
/// bytes from a larger one without reading all of a huge one.
fn read_at_most(source: impl Read, max: u64) -> Result<Vec<u8>, Unreadable> {
    let mut bytes = Vec::new();
    source.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(Unreadable::Io)?;
    if bytes.len() as u64 > max {
        return Err(Unreadable::TooLarge { max });
    }
    Ok(bytes)
}

/// The bytes of a file of at most `max` bytes.
pub(crate) fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>, Unreadable> {
    read_identified(path, max).map(|(bytes, _)| bytes)
}

/// The bytes of a file of at most `max` bytes, and what file it is.
fn read_identified(path: &Path, max: u64) -> Result<(Vec<u8>, Option<FileIdentity>), Unreadable> {
    let file = std::fs::File::open(path).map_err(Unreadable::Io)?;
    // Asked of the open file, not the path again: one lookup per file in a large batch.
    let metadata = file.metadata();
    match &metadata {
        Ok(m) if m.is_dir() => return Err(Unreadable::Directory),
        Ok(m) if m.len() > max => return Err(Unreadable::TooLarge { max }),
        _ => {}
    }
    let identity = metadata.ok().as_ref().and_then(FileIdentity::of);
    Ok((read_at_most(file, max)?, identity))
}

/// The UTF-8 text of a file of at most `max` bytes, and what file it is (known from the open
/// file at no extra cost, so that a large batch can tell two paths to one file apart).
pub(crate) fn read_text_identified(path: &Path, max: u64) -> (Result<String, Unreadable>, Option<FileIdentity>) {
    match read_identified(path, max) {
        Ok((bytes, identity)) => (utf8(bytes), identity),
        Err(e) => (Err(e), None),
    }
}

/// The bytes of standard input, at most `max` of them.
pub(crate) fn read_stdin_bytes(max: u64) -> Result<Vec<u8>, Unreadable> {
    read_at_most(std::io::stdin().lock(), max)
}

/// The UTF-8 text of a file of at most `max` bytes.
pub(crate) fn read_text(path: &Path, max: u64) -> Result<String, Unreadable> {
    read_bytes(path, max).and_then(utf8)
}

/// The UTF-8 text of bytes held in memory (a service's request), at most `max` of them.
pub(crate) fn memory_text(bytes: &[u8], max: u64) -> Result<String, Unreadable> {
    read_at_most(bytes, max).and_then(utf8)
}

/// The UTF-8 text of standard input, at most `max` bytes of it.
pub(crate) fn read_stdin_text(max: u64) -> Result<String, Unreadable> {
    read_stdin_bytes(max).and_then(utf8)
}

fn utf8(bytes: Vec<u8>) -> Result<String, Unreadable> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = e.as_bytes().get(..offset).unwrap_or_default();
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        Unreadable::NotUtf8 { line, lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(), offset }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: &str) -> Vec<u8> {
        same_file_key(Path::new(p))
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.yaml");
        std::fs::write(&path, "abcd").unwrap();
        assert_eq!(read_text(&path, 4).unwrap(), "abcd");
        let err = read_text(&path, 3).unwrap_err();
        assert!(matches!(err, Unreadable::TooLarge { max: 3 }), "{err:?}");
        assert_eq!(err.code(), Code::Limit);
        assert_eq!(err.message("c.yaml"), "`c.yaml` is larger than 3 bytes");
    }

    #[test]
    fn text_that_is_not_utf8_names_the_line_of_its_first_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.yaml");
        std::fs::write(&path, b"a: 1\nb: \xff\nc: \xfe\n").unwrap();
        let err = read_text(&path, 100).unwrap_err();
        assert!(matches!(err, Unreadable::NotUtf8 { line: 2, offset: 8, .. }), "{err:?}");
        assert_eq!(err.message("-"), "standard input is not UTF-8 text (invalid byte on line 2)");
    }

    #[test]
    fn a_directory_or_a_missing_file_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_text(dir.path(), 100), Err(Unreadable::Directory)));
        let missing = read_text(&dir.path().join("gone.yaml"), 100).unwrap_err();
        assert_eq!(missing.code(), Code::Io);
        assert_eq!(missing.message("gone.yaml"), "cannot read `gone.yaml`: no such file or directory");
    }

    #[test]
    fn every_unreadable_file_gets_a_help_line() {
        let advice = Advice { too_large: "split it", unreadable: None };
        let kinds = [std::io::ErrorKind::NotFound, std::io::ErrorKind::PermissionDenied, std::io::ErrorKind::Other];
        let helps: Vec<String> = kinds
            .into_iter()
            .map(|k| Unreadable::Io(std::io::Error::from(k)).in_file("c.yaml", &advice).help.unwrap_or_default())
            .collect();
        assert_eq!(helps[0], "check the path");
        assert!(helps[1].contains("read access") && helps[2].contains("can be read"), "{helps:?}");
        assert!(Unreadable::Directory.in_file("c", &advice).help.is_some());
        // A path too long for the system is no device or broken disk.
        let long = Unreadable::Io(std::io::Error::from_raw_os_error(36)).in_file("c.yaml", &advice).help;
        #[cfg(target_os = "linux")]
        assert!(long.unwrap_or_default().starts_with("the path is longer than the system allows"));
    }

    /// Symbolic links and FIFOs are made with Unix calls.
    #[cfg(unix)]
    #[test]
    fn a_link_that_loops_gets_a_help_line() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let looped: Vec<Problem> = walk(dir.path(), |_| true).filter_map(|r| r.err().map(|e| e.problem)).collect();
        assert_eq!(looped.len(), 1);
        assert!(looped[0].help.as_deref().is_some_and(|h| h.contains("remove the link")), "{looped:?}");
    }

    /// A FIFO named like a wanted file is an error (its rules or campaign would go unchecked);
    /// a link that leads nowhere is one only under a wanted name.
    /// A symbolic link below a walked folder that leads outside it is not followed but named:
    /// a link to a credentials file or `/proc/self/environ` was read and its text shown in
    /// the report's snippets. Links inside the folder are followed.
    #[cfg(unix)]
    #[test]
    fn a_link_leading_outside_the_walked_folder_is_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("creds.yaml"), "token: secret").unwrap();
        std::fs::write(outside.path().join("c.yaml"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("ok.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("creds.yaml"), root.join("a.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("creds.yaml"), root.join("a.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("b")).unwrap();
        // A second link to the same folder outside is named too, not taken for a folder walked.
        std::os::unix::fs::symlink(outside.path(), root.join("b2")).unwrap();
        std::os::unix::fs::symlink(root.join("ok.yaml"), root.join("sub/inner.yaml")).unwrap();
        let found: Vec<String> = walk(&root, |p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|r| r.map_or_else(|e| e.problem.message, |p| display(p.strip_prefix(&root).unwrap())))
            .map(|m| m.replace(&display(&root), "R"))
            .collect();
        assert_eq!(
            found,
            [
                "`R/a.yaml` is not read: it is a symbolic link to a file outside `R`",
                "`R/b` is not read: it is a symbolic link to a folder outside `R`",
                "`R/b2` is not read: it is a symbolic link to a folder outside `R`",
                "ok.yaml",
                "sub/inner.yaml",
            ]
        );
    }

    /// Folders whose two links each lead to the next (no loop, nothing outside) had a walk
    /// visit 2^n paths to the one file at the end: a folder reached again is not walked again.
    #[cfg(unix)]
    #[test]
    fn a_folder_reached_by_several_links_is_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let levels = 8;
        for i in 0..=levels {
            std::fs::create_dir(dir.path().join(format!("d{i}"))).unwrap();
        }
        for i in 0..levels {
            for link in ["a", "b"] {
                std::os::unix::fs::symlink(format!("../d{}", i + 1), dir.path().join(format!("d{i}/{link}"))).unwrap();
            }
        }
        std::fs::write(dir.path().join(format!("d{levels}/c.yaml")), "x").unwrap();
        let found: Vec<String> = walk(dir.path(), |_| true)
            .map(|r| r.map_or_else(|e| e.problem.message, |p| display(p.strip_prefix(dir.path()).unwrap())))
            .collect();
        assert_eq!(found, ["d0/a/a/a/a/a/a/a/a/c.yaml"]);
    }

    #[test]
    fn a_name_that_is_only_an_extension_has_it() {
        for (name, extensions, has) in [
            (".yaml", &["yaml", "yml"][..], true),
            ("c/.YML", &["yaml", "yml"], true),
            (".policy", &["policy"], true),
            ("a.Policy", &["policy"], true),
            ("yaml", &["yaml"], false),
            ("a.yaml.txt", &["yaml"], false),
            ("a.yamll", &["yaml"], false),
            ("a.", &["yaml"], false),
        ] {
            assert_eq!(has_extension(Path::new(name), extensions), has, "{name}");
        }
    }

    /// A file a folder's walk passes over for its name but that is also named on the command
    /// line is read: no note calls it unchecked. One passed over under several names is named once.
    #[cfg(unix)]
    #[test]
    fn files_passed_over_are_named_once_and_never_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("c")).unwrap();
        std::fs::write(d.join("c/a.yaml.txt"), "x").unwrap();
        std::fs::write(d.join("c/b.yml.bak"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("c"), d.join("link")).unwrap();
        let passed =
            vec![d.join("link/b.yml.bak"), d.join("c/b.yml.bak"), d.join("c/a.yaml.txt"), d.join("c/./b.yml.bak")];
        let shown = |roots: &[&Path]| -> Vec<String> {
            passed_over(passed.clone(), roots).iter().map(|s| s.replace(&display(d), "D")).collect()
        };
        assert_eq!(shown(&[&d.join("c")]), ["D/c/./b.yml.bak", "D/c/a.yaml.txt"]);
        assert_eq!(shown(&[&d.join("c"), &d.join("link/a.yaml.txt")]), ["D/c/./b.yml.bak"]);
    }

    #[cfg(unix)]
    #[test]
    fn odd_entries_are_errors_only_under_wanted_names() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["pipe.yaml", "pipe.txt"] {
            let made = std::process::Command::new("mkfifo").arg(dir.path().join(name)).status().unwrap();
            assert!(made.success());
        }
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("README.md")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("gone.yaml")).unwrap();
        std::fs::write(dir.path().join("ok.yaml"), "x").unwrap();
        let found: Vec<String> = walk(dir.path(), |p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|r| r.map_or_else(|e| e.problem.message, |p| display(p.strip_prefix(dir.path()).unwrap())))
            .map(|m| m.replace(&display(dir.path()), "D"))
            .collect();
        assert_eq!(
            found,
            [
                "cannot read `D/gone.yaml`: no such file or directory",
                "ok.yaml",
                "cannot read `D/pipe.yaml`: it is not a regular file (a FIFO, a socket or a device)",
            ]
        );
    }

    #[test]
    fn walking_yields_the_wanted_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.yaml", "a.yaml", "c.txt", ".hidden.yaml"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/d.yaml"), "x").unwrap();
        let names: Vec<String> = walk(dir.path(), |p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|r| r.map_or_else(|e| e.problem.message, |p| display(p.strip_prefix(dir.path()).unwrap())))
            .collect();
        assert_eq!(names, [".hidden.yaml", "a.yaml", "b.yaml", "sub/d.yaml"]);
    }

    #[test]
    fn spellings_of_one_path_share_a_key_and_parent_steps_are_kept() {
        assert_eq!(key("c/a.yaml"), key("./c//./a.yaml"));
        assert_eq!(key("/x/./c/a.yaml"), b"/x/c/a.yaml");
        assert_ne!(key("/c/a.yaml"), key("c/a.yaml"));
        assert_ne!(key("d/../c/a.yaml"), key("c/a.yaml"));
        assert_ne!(key("./-"), STDIN_KEY);
    }

    #[cfg(unix)]
    #[test]
    fn different_files_never_share_a_key_or_a_name() {
        use std::os::unix::ffi::OsStrExt;
        // On Unix a backslash is part of a name, not a separator.
        assert_ne!(key("a\\b.yaml"), key("a/b.yaml"));
        assert_eq!(display(Path::new("a\\b.yaml")), "a\\\\b.yaml");
        let (fe, ff) = (
            Path::new(std::ffi::OsStr::from_bytes(b"\xfe.yaml")),
            Path::new(std::ffi::OsStr::from_bytes(b"\xff.yaml")),
        );
        assert_ne!(same_file_key(fe), same_file_key(ff));
        assert_eq!((display(fe), display(ff)), ("\\xfe.yaml".to_string(), "\\xff.yaml".to_string()));
    }

    /// A name that holds the text `\xff` is not shown as one with the byte 0xFF, and the bytes
    /// of every name come back from how it is shown.
    #[cfg(unix)]
    #[test]
    fn names_are_shown_unambiguously_and_read_back() {
        use std::os::unix::ffi::OsStrExt;
        let names: [&[u8]; 6] = [b"\xffname.yaml", b"\\xffname.yaml", b"\xff\\", b"a\\\\b", b"\\", b"\\x4"];
        let shown: Vec<String> = names.iter().map(|n| display(Path::new(std::ffi::OsStr::from_bytes(n)))).collect();
        assert_eq!(shown[0], "\\xffname.yaml");
        assert_eq!(shown[1], "\\\\xffname.yaml");
        assert_eq!(shown[3], "a\\\\\\\\b");
        for (name, shown) in names.iter().zip(&shown) {
            assert_eq!(shown_bytes(shown), *name, "{shown}");
        }
        let unique: HashSet<&String> = shown.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}
