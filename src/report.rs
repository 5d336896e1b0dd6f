//! Stage 6: decisions and problems to text. The only code that formats for people or tools;
//! it never re-derives a decision. (For a use blocked by default the human report asks the
//! compiled policy which allow rules almost match it: a question about the policy, answered
//! by `eval`, not a decision.)

mod chunks;
pub mod diff;
pub mod explain;
mod format;
pub mod github;
pub mod human;
pub mod items;
pub mod json;
pub mod junit;
mod message;
mod pretty;
pub mod sarif;
pub mod schema;
mod snippet;
pub mod suite;

pub use crate::eval::Warnings;
pub use format::{policy_errors, write, Format};
pub use message::{finding_message, missing_fact, one_line, path_option, retention_text, shell_path, shell_word};

/// The segments of a file's path as a repository names the file: without the empty and `.`
/// steps a path typed as `c//a.yaml` or `./c/a.yaml` holds (SARIF and GitHub annotations name
/// files of the repository; `..` is kept, as the file it leads to depends on links).
fn path_segments(file: &str) -> impl Iterator<Item = &str> {
    file.split('/').filter(|s| !s.is_empty() && *s != ".")
}

/// A report written into memory, as text: for callers that want the whole report at once
/// (tests, fuzzing, embedding); `lagom check` streams it instead.
fn in_memory(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and every report is UTF-8.
    let _ = write(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
