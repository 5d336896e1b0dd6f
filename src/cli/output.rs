//! Standard output and error for the commands. `print!` panics when standard output is a
//! closed pipe (`lagom diff … | head -1` once the output outgrows the pipe's buffer), and a
//! command line tool never shows a backtrace: these write and remember the failure instead,
//! and [`super::run`] turns it into exit code 2 with one line on standard error, so a pipeline
//! that lost the report does not pass.
//!
//! Standard output is written through a [`std::fs::File`] on its descriptor, not through
//! [`std::io::Stdout`], which takes a write that fails with EBADF (descriptor 1 open only for
//! reading, `lagom check … 1<file`) for a success and drops the text: the report would be lost
//! with the run's own exit code.

use std::fmt::Display;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

/// Why standard output could not be written, once it could not.
static FAILURE: OnceLock<String> = OnceLock::new();

/// Writes to standard output (nothing more once a write has failed).
pub(super) fn out(text: impl Display) {
    if FAILURE.get().is_some() {
        return;
    }
    let written = stdout().and_then(|out| {
        let mut w = std::io::BufWriter::new(out);
        write!(w, "{text}").and_then(|()| w.flush())
    });
    if let Err(e) = written {
        let _ = FAILURE.set(lagom::diagnostic::io_reason(&e));
    }
}

/// Standard output as a writer that reports every failed write. The standard lock is held
/// while it is written, so that nothing else interleaves.
pub(super) fn stdout() -> std::io::Result<impl Write> {
    Ok(Stdout { _lock: std::io::stdout().lock(), out: stdout_handle()? })
}

/// Standard output held for writing: the standard lock, and the writer.
struct Stdout<W: Write> {
    _lock: std::io::StdoutLock<'static>,
    out: W,
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A file on a duplicate of standard output's descriptor: a file reports EBADF.
#[cfg(unix)]
fn stdout_handle() -> std::io::Result<File> {
    use std::os::fd::AsFd;
    std::io::stdout().as_fd().try_clone_to_owned().map(File::from)
}

/// Elsewhere standard output as the standard library writes it (a Windows console takes
/// UTF-16 text, which only `Stdout` converts to).
#[cfg(not(unix))]
fn stdout_handle() -> std::io::Result<std::io::Stdout> {
    Ok(std::io::stdout())
}

/// Writes to standard error, as well as it can: when that is gone too, nothing is left to say
/// it on.
pub(super) fn err(text: impl Display) {
    let _ = write!(std::io::stderr().lock(), "{text}");
}

/// Why standard output could not be written, if it could not.
pub(super) fn failure() -> Option<&'static str> {
    FAILURE.get().map(String::as_str)
}

/// Writes a report file whole or not at all: into a new file beside it, renamed over it once
/// complete, so that a run killed while writing leaves the earlier report (or none), never a
/// truncated one. A path that is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe)
/// is written as it is; a symbolic link to a file has that file replaced, and an existing
/// file's permissions are kept.
pub(super) fn write_file<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let existing = std::fs::metadata(path);
    if existing.as_ref().is_ok_and(|m| !m.is_file()) {
        let mut w = std::io::BufWriter::new(File::create(path)?);
        let written = write(&mut w)?;
        return w.flush().map(|()| written);
    }
    let target = match &existing {
        Ok(_) => std::fs::canonicalize(path)?,
        Err(_) => path.to_path_buf(),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A name no run reads as a campaign or policy file, should the process die before the
    // rename; the file is removed when writing fails.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".lagom-report-").suffix(".tmp");
    new_file_permissions(&mut builder);
    let temp = builder.tempfile_in(folder)?;
    if let Ok(m) = &existing {
        std::fs::set_permissions(temp.path(), m.permissions())?;
    }
    let mut w = std::io::BufWriter::new(temp);
    let written = write(&mut w)?;
    let temp = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(written)
}

/// A new report is readable as `File::create` makes one (0666 less the umask), not only by its
/// owner as a temporary file is made.
#[cfg(unix)]
fn new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn new_file_permissions(_: &mut tempfile::Builder<'_, '_>) {}
