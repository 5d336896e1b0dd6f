//! Standard output and error for the commands. `print!` panics when standard output is a
//! closed pipe (`lagom diff … | head -1` once the output outgrows the pipe's buffer), and a
//! command line tool never shows a backtrace: these write and remember the failure instead,
//! and [`super::run`] turns it into exit code 2 with one line on standard error, so a pipeline
//! that lost the report does not pass.

use std::fmt::Display;
use std::io::Write;
use std::sync::OnceLock;

/// Why standard output could not be written, once it could not.
static FAILURE: OnceLock<String> = OnceLock::new();

/// Writes to standard output (nothing more once a write has failed).
pub(super) fn out(text: impl Display) {
    if FAILURE.get().is_some() {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = write!(stdout, "{text}").and_then(|()| stdout.flush()) {
        let _ = FAILURE.set(lagom::diagnostic::io_reason(&e));
    }
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
