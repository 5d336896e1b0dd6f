//! `lagom fmt`.

use lagom::diagnostic::Problem;
use lagom::report;
use lagom::report::one_line;

use super::{output, style, Exit, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// List the files that are not formatted and exit 1; change nothing.
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    limits: super::Limits,
    /// Policy files or directories (every `*.policy` below); `-` formats standard input to
    /// standard output.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<std::path::PathBuf>,
}

pub fn run(args: Args) -> Exit {
    let run = lagom::fmt::format_paths(&args.paths, args.limits.bytes());
    for name in &run.skipped {
        output::err(report::human::skipped_policy_note(name));
    }
    let mut problems: Vec<Problem> = Vec::new();
    let mut unformatted = false;
    for f in &run.files {
        let text = match &f.result {
            Ok(text) => text,
            Err(p) => {
                problems.extend(p.iter().cloned());
                continue;
            }
        };
        if args.check {
            if f.changed() {
                unformatted = true;
                output::out(format_args!("{}\n", one_line(&f.path)));
            }
        } else if f.input == lagom::batch::Input::Stdin {
            output::out(text);
        } else if f.changed() {
            match lagom::fmt::write_back(f) {
                Ok(()) => output::out(format_args!("formatted {}\n", one_line(&f.path))),
                Err(p) => problems.push(p),
            }
        }
    }
    if !problems.is_empty() {
        output::err(report::human::problems(&problems, &run.sources, style(Stream::Stderr)));
        return Exit::Invalid;
    }
    if unformatted {
        Exit::Blocked
    } else {
        Exit::Allowed
    }
}
