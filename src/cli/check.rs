//! `lagom check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use lagom::batch::{self, CampaignFiles, Input};
use lagom::diagnostic::io_reason;
use lagom::eval::CompiledPolicy;
use lagom::policy::{CheckedPolicy, PolicyError};
use lagom::report::human::{Shown, Style};
use lagom::report::{self, Warnings};

use super::{output, style, Exit, Format, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    policy: super::PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when any warning applies.
    #[arg(long)]
    deny_warnings: bool,
    /// Human output: show only the campaigns that fail the run (blocked, invalid, warned with
    /// --deny-warnings) and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Write the report to a file instead of standard output (`-`: standard output).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Campaign files or directories (at least one); `-` reads one campaign from standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
}

pub fn run(mut args: Args) -> Exit {
    // `--output -` is standard output, as `-` is standard input among the paths.
    if args.output.as_deref().is_some_and(|o| o.as_os_str() == "-") {
        args.output = None;
    }
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    // Before anything is written, the report of an invalid policy included.
    if let Some(report) = args.output.as_ref().filter(|o| read_by_run(&args, &inputs, o)) {
        return refuse_output(report);
    }
    let notes = match args.format {
        Format::Github => super::Notes::Github,
        Format::Human | Format::Json | Format::Sarif | Format::Junit => super::Notes::Plain,
    };
    let checked = match args.policy.load_noting(notes) {
        Ok(p) => p,
        Err(e) => return invalid_policy(&args, &inputs, &e),
    };
    if args.paths.is_empty() {
        return missing_paths();
    }
    check(&args, &inputs, checked)
}

impl Args {
    /// Whether warnings fail the run.
    fn warnings(&self) -> Warnings {
        if self.deny_warnings {
            Warnings::Fail
        } else {
            Warnings::Pass
        }
    }

    /// The report's format, human output styled for `to`.
    fn report_format(&self, to: Stream) -> report::Format {
        match self.format {
            Format::Human => {
                let shown = if self.quiet { Shown::Failures } else { Shown::All };
                report::Format::Human(Style { shown, ..style(to) })
            }
            Format::Json => report::Format::Json,
            Format::Sarif => report::Format::Sarif,
            Format::Junit => report::Format::Junit,
            Format::Github => report::Format::Github,
        }
    }
}

/// Whether the report file is one the run reads, or would be read as one by the next run.
fn read_by_run(args: &Args, inputs: &[Input], report: &Path) -> bool {
    batch::report_clobbers(inputs, &args.policy.policy, report)
}

/// Reports an invalid policy in the format asked for; exits 2.
fn invalid_policy(args: &Args, inputs: &[Input], e: &PolicyError) -> Exit {
    // No campaign will be read: the report's other names are looked for among them now.
    if let Some(report) = args.output.as_ref().filter(|o| batch::reads_by_any_name(inputs, o)) {
        return refuse_output(report);
    }
    let human = args.format == Format::Human;
    // Human output goes to the terminal as always, and to the report file too: a report left
    // from an earlier run must not stand for this one.
    if !human || args.output.is_some() {
        emit(&args.output, &report::policy_errors(e, args.report_format(Stream::File)));
    }
    if human {
        output::err(report::policy_errors(e, args.report_format(Stream::Stderr)));
    }
    if args.paths.is_empty() {
        missing_paths();
    }
    Exit::Invalid
}

/// Decides the campaigns and writes the report; the exit code follows from the tally the
/// results kept as they were handed to the report.
fn check(args: &Args, inputs: &[Input], checked: CheckedPolicy) -> Exit {
    let files = CampaignFiles::find(inputs, args.policy.max_file_bytes());
    for name in files.skipped() {
        match args.format {
            Format::Github => output::err(report::github::skipped_notice(name)),
            Format::Human | Format::Json | Format::Sarif | Format::Junit => {
                output::err(report::human::skipped_note(name))
            }
        }
    }
    let policy = CompiledPolicy::for_campaigns(checked, files.len());
    // Campaigns are decided a chunk at a time as the report is written, and every format is
    // written as it is rendered: neither a large batch's decisions nor its report are held whole.
    let batch = batch::read_files(&policy, files);
    // Other names for a campaign file are known once the files are read, still before writing.
    if let Some(report) = args.output.as_ref().filter(|o| batch.reads(o)) {
        return refuse_output(report);
    }
    let built_in = args.policy.is_built_in().then(|| report::human::built_in_note(&policy.policy));
    let format = args.report_format(if args.output.is_some() { Stream::File } else { Stream::Stdout });
    let tally = emit_with(&args.output, |w| report::write(&policy, &batch, format, args.warnings(), w));
    // The process ends next: freeing every campaign, decision and source text one by one would
    // only delay the exit (a few percent of a large run), so the memory goes back to the
    // system with the process.
    std::mem::forget(batch);
    std::mem::forget(policy);
    let Some(s) = tally else { return Exit::Invalid };
    // A campaign written for another policy names what the built-in pack does not know, and the
    // help then suggests the pack's names: say which policy that was.
    if let (Some(note), true, Format::Human) = (built_in, s.invalid > 0, args.format) {
        output::err(note);
    }
    exit_code(&s, args.warnings())
}

/// Spec 4's exit code for a run's tally.
fn exit_code(s: &batch::Tally, warnings: Warnings) -> Exit {
    if s.invalid > 0 {
        Exit::Invalid
    } else if s.fails(warnings) {
        Exit::Blocked
    } else {
        Exit::Allowed
    }
}

/// Writes a report through a writer and returns what the writer returned; `None` (and a
/// message) when it cannot be written.
fn emit_with<T>(output: &Option<PathBuf>, write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>) -> Option<T> {
    let result = match output {
        Some(path) => {
            output::write_file(path, write).map_err(|e| format!("cannot write `{}`: {}", path.display(), io_reason(&e)))
        }
        None => output::stdout()
            .and_then(|out| {
                let mut w = std::io::BufWriter::new(out);
                write(&mut w).and_then(|written| w.flush().map(|()| written))
            })
            .map_err(|e| format!("cannot write the report: {}", io_reason(&e))),
    };
    result.map_err(|message| output::err(format_args!("error: {message}\n"))).ok()
}

/// Writes the report, or says why it cannot (the run exits 2 all the same: it only writes a
/// report of errors).
fn emit(output: &Option<PathBuf>, text: &str) {
    let _ = emit_with(output, |w| w.write_all(text.as_bytes()));
}

/// `check` without a PATH: a usage error (spec 4), worded as clap words its own. It is
/// said after the policy is loaded, so that an invalid policy is reported too, in the format
/// asked for (a JSON reader still gets the `policy_errors` document).
fn missing_paths() -> Exit {
    output::err(
        "error: the following required arguments were not provided:\n  <PATH>...\n\n\
         Usage: lagom check [OPTIONS] <PATH>...\n\nFor more information, try '--help'.\n",
    );
    Exit::Invalid
}

/// A report file that would replace an input or be read as one.
fn refuse_output(report: &Path) -> Exit {
    output::err(report::human::refused_output(&report.display().to_string()));
    Exit::Invalid
}
