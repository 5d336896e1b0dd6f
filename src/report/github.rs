//! `--format github`: GitHub Actions workflow commands, one annotation per item.

use super::chunks::write_chunked;
use super::items::{campaign_items, error_item, Item, Level};
use super::message::{counted, one_line, spelling_notes_text};
use crate::batch::{CampaignResult, Results, Tally};
use crate::eval::{CompiledPolicy, Warnings};
use crate::files::shown_bytes;
use crate::policy::PolicyError;
use crate::source::Location;

/// Escapes a message or a file name (GitHub's rules for workflow command data), on one line
/// as in every other format: a line break in quoted campaign text is written `\n`.
fn data(s: &str) -> String {
    one_line(s).replace('%', "%25")
}

/// Escapes a property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes a file name as a property, or `None` for a name GitHub cannot be given exactly: one
/// that is not UTF-8 (shown `\xff`), which a workflow command (UTF-8 text) cannot hold, or one
/// with a control character other than a tab or line break (ESC), which GitHub has no escape
/// for and which, written raw, would reach the terminal or log that shows the report. A line
/// break is written as GitHub's `%0A` / `%0D`, which GitHub reads back; every other character
/// (a line separator, a bidirectional control) as it is: the annotation names the file that
/// exists, never a look-alike (`\u{2028}` or `\n` would name one that does not).
fn file_property(s: &str) -> Option<String> {
    // `c//a.yaml` or `./c/a.yaml` as typed would name no file of the repository.
    let tidy: Vec<&str> = super::path_segments(s).collect();
    let s = match s.starts_with('/') {
        true => format!("/{}", tidy.join("/")),
        false => tidy.join("/"),
    };
    let name = String::from_utf8(shown_bytes(&s)).ok()?;
    if name.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return None;
    }
    Some(name.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A").replace(':', "%3A").replace(',', "%2C"))
}

/// `lagom: RULE`, or for lagom's own codes `lagom: default_deny` rather than `lagom: lagom::…`.
fn title(item: &Item) -> String {
    format!("lagom: {}", item.rule.name())
}

fn line(item: &Item) -> String {
    annotation(item.level, &item.location, &title(item), &item.line_message())
}

/// The workflow command of a level.
fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// One workflow command: `::error` or `::warning` at a place in a file, with a title.
pub(super) fn annotation(level: Level, l: &Location, title: &str, message: &str) -> String {
    // Standard input is no file of the repository: an annotation at `file=-` points nowhere,
    // so it is left unplaced (GitHub shows it on the run) and the message says where.
    if l.file == "-" {
        return unplaced(level, title, &format!("standard input, line {}, column {}: {message}", l.line, l.column));
    }
    // `.` (the folder a run was pointed at, which holds no campaign) has no path of a file in
    // the repository: `file=` empty would be read as no file. The message names the folder.
    let file = match file_property(&l.file) {
        Some(file) if file.is_empty() => return unplaced(level, title, message),
        Some(file) => file,
        // A file GitHub cannot be told: the message names it as every other format shows it.
        None => {
            let at = format!("`{}`, line {}, column {}: {message}", l.file, l.line, l.column);
            return unplaced(level, title, &at);
        }
    };
    format!(
        "::{} file={},line={},col={},title={}::{}\n",
        command(level),
        file,
        l.line,
        l.column,
        property(title),
        data(message)
    )
}

/// An annotation with no place in a file (a fact about the whole run).
pub(super) fn unplaced(level: Level, title: &str, message: &str) -> String {
    format!("::{} title={}::{}\n", command(level), property(title), data(message))
}

/// How many annotations of one level (error, warning) GitHub shows for a step; it drops the
/// rest without a word.
const SHOWN_PER_STEP: usize = 10;

/// The annotations written, by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Written {
    errors: usize,
    warnings: usize,
}

impl Written {
    fn count(&mut self, level: Level) {
        match level {
            Level::Error => self.errors += 1,
            Level::Warning => self.warnings += 1,
            Level::Note => {}
        }
    }

    fn add(&mut self, other: Written) {
        self.errors += other.errors;
        self.warnings += other.warnings;
    }

    /// The closing notice when GitHub shows only some of them, saying where the rest are.
    fn notice(self) -> Option<String> {
        if self.errors <= SHOWN_PER_STEP && self.warnings <= SHOWN_PER_STEP {
            return None;
        }
        let text = format!(
            "lagom wrote {} and {}; GitHub shows {SHOWN_PER_STEP} of each kind per step: every one is in this \
             step's log, and in the SARIF log of --format sarif",
            counted(self.errors, "error", "errors"),
            counted(self.warnings, "warning", "warnings")
        );
        Some(unplaced(Level::Note, "lagom: more annotations", &text))
    }
}

/// Writes the annotations for a batch, a chunk of campaigns at a time, then a plain summary
/// line.
///
/// With [`Warnings::Fail`] a run whose warnings fail it starts with an `::error` that says so:
/// otherwise the job fails with nothing but warning annotations. It comes first so that it is
/// among the annotations GitHub shows (ten of each kind per step); when more were written than GitHub
/// shows, a `::notice` before the summary line gives the counts and where the rest are.
pub fn write(
    policy: &CompiledPolicy,
    results: &dyn Results,
    warnings: Warnings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Tally> {
    let sources = results.sources();
    let mut written = Written::default();
    if warnings == Warnings::Fail {
        let warned: usize = results.standings().iter().flatten().map(|s| s.warnings).sum();
        if warned > 0 {
            let count = counted(warned, "warning fails", "warnings fail");
            let line = unplaced(Level::Error, "lagom: deny_warnings", &format!("{count} this run (--deny-warnings)"));
            out.write_all(line.as_bytes())?;
            written.count(Level::Error);
        }
    }
    let lines = |r: &CampaignResult| {
        let mut counts = Written::default();
        let text: String = campaign_items(policy, sources, r)
            .iter()
            .map(|item| {
                counts.count(item.level);
                line(item)
            })
            .collect();
        (text, counts)
    };
    let s = write_chunked(results, lines, |(text, counts)| {
        written.add(counts);
        out.write_all(text.as_bytes())
    })?;
    if let Some(notice) = written.notice() {
        out.write_all(notice.as_bytes())?;
    }
    writeln!(
        out,
        "lagom: {} allowed, {} blocked, {} invalid, {}{}",
        s.allowed,
        s.blocked,
        s.invalid,
        counted(s.warnings, "warning", "warnings"),
        spelling_notes_text(&s).map(|t| format!(", {t}")).unwrap_or_default()
    )?;
    Ok(s)
}

/// The annotations for a batch, then a plain summary line.
pub fn render(policy: &CompiledPolicy, results: &dyn Results, warnings: Warnings) -> String {
    super::in_memory(|w| write(policy, results, warnings, w).map(drop))
}

/// The notice for a file in a campaign folder named like a campaign file that is not one
/// (`spring.yaml.txt`), which was not read: the human `note: skipped …` as an annotation.
pub fn skipped_notice(name: &str) -> String {
    unplaced(Level::Note, "lagom: skipped_file", &super::human::skipped_text(name))
}

/// The notice for a file below a policy folder named like a policy file that is not one
/// (`10-deny.polcy`): its rules are not enforced, which a run shown only by its annotations
/// would otherwise not say.
pub fn skipped_policy_notice(name: &str) -> String {
    unplaced(Level::Note, "lagom: skipped_file", &super::human::skipped_policy_text(name))
}

/// The notice for a policy file named alone beside others when names were found unknown.
pub fn left_out_notice(left: &crate::policy::LeftOut, option: &str) -> String {
    unplaced(Level::Note, "lagom: left_out_file", &super::human::left_out_text(left, option))
}

/// The annotations for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    err.problems.iter().map(|p| line(&error_item(p, &err.sources))).collect()
}

#[cfg(test)]
mod tests {
    use super::{file_property, Written};

    #[test]
    fn a_skipped_file_is_a_notice() {
        assert_eq!(
            super::skipped_notice("c/a.yaml.txt"),
            "::notice title=lagom%3A skipped_file::skipped `c/a.yaml.txt`: only files ending in `.yaml` or `.yml` \
             are campaigns; rename it to have it checked\n"
        );
    }

    /// A misnamed policy file leaves its rules unenforced: on GitHub that must be an
    /// annotation, not only a line in the log.
    #[test]
    fn a_skipped_policy_file_is_a_notice() {
        assert_eq!(
            super::skipped_policy_notice("p/10-deny.polcy"),
            "::notice title=lagom%3A skipped_file::skipped `p/10-deny.polcy`: only files ending in `.policy` are \
             read as part of a policy; rename it if its rules belong to the policy\n"
        );
    }

    #[test]
    fn a_notice_follows_when_github_would_not_show_every_annotation() {
        assert_eq!(Written { errors: 10, warnings: 10 }.notice(), None);
        let notice = Written { errors: 3, warnings: 11 }.notice().unwrap();
        assert!(notice.starts_with("::notice title=lagom%3A more annotations::lagom wrote 3 errors and 11 warnings;"));
    }

    /// A backslash in a name (shown `\\`) is the one of the file; a name that is not UTF-8
    /// (shown `\xff`) cannot be given to GitHub.
    #[test]
    fn a_file_is_given_by_its_own_name_or_not_at_all() {
        assert_eq!(file_property("./d/bs\\\\x.yaml").as_deref(), Some("d/bs\\x.yaml"));
        assert_eq!(file_property("d/\\xffname.yaml"), None);
        assert_eq!(file_property("new\nline,a:b%.yaml").as_deref(), Some("new%0Aline%2Ca%3Ab%25.yaml"));
        assert_eq!(file_property(".").as_deref(), Some(""));
        // A line separator or bidirectional control is written as it is; ESC cannot be.
        assert_eq!(file_property("b\u{2028}c\u{202e}d.yaml").as_deref(), Some("b\u{2028}c\u{202e}d.yaml"));
        assert_eq!(file_property("a\u{1b}[31mred.yaml"), None);
    }
}
