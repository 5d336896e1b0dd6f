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

/// Writes a report file whole or not at all ([`lagom::files::write_whole`]).
pub(super) fn write_file<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    lagom::files::write_whole(path, ".lagom-report-", write)
}
