//! `lagom diff`.

use std::path::PathBuf;

use lagom::batch::Input;
use lagom::eval::CompiledPolicy;
use lagom::report;

use super::{output, style, Exit, SimpleFormat, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The policy before the change: a file or directory (repeatable).
    #[arg(long, required = true, value_name = "POLICY")]
    old: Vec<PathBuf>,
    /// The policy after the change: a file or directory (repeatable).
    #[arg(long, required = true, value_name = "POLICY")]
    new: Vec<PathBuf>,
    #[command(flatten)]
    limits: super::Limits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    format: SimpleFormat,
    /// Campaign files or directories; `-` reads one campaign from standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
}

pub fn run(args: Args) -> Exit {
    let load = |paths, option| {
        let loaded = lagom::policy::load_paths_with_limit(paths, args.limits.bytes());
        super::note_skipped(&loaded, option, super::Notes::Plain);
        loaded
    };
    let (old, new) = match (load(&args.old, "--old"), load(&args.new, "--new")) {
        (Ok(old), Ok(new)) => (CompiledPolicy::new(old), CompiledPolicy::new(new)),
        (old, new) => {
            let invalid: Vec<_> = [("old", old.err()), ("new", new.err())]
                .into_iter()
                .filter_map(|(which, e)| e.map(|e| (which, e)))
                .collect();
            match args.format {
                // One JSON document with the errors of both policies.
                SimpleFormat::Json => output::out(report::json::policies_errors(&invalid)),
                SimpleFormat::Human => {
                    for (which, e) in &invalid {
                        output::err(format_args!("the {which} policy is invalid:\n"));
                        output::err(report::human::problems(&e.problems, &e.sources, style(Stream::Stderr)));
                    }
                }
            }
            return Exit::Invalid;
        }
    };
    let (old, new) = (&old, &new);
    let inputs: Vec<Input> = args.paths.iter().map(|p| Input::from_arg(p)).collect();
    let impact = lagom::diff::compare_with_limit(old, new, &inputs, args.limits.bytes());
    match args.format {
        SimpleFormat::Json => output::out(report::diff::json(&old.policy, &new.policy, &impact)),
        SimpleFormat::Human => output::out(report::diff::human(&old.policy, &new.policy, &impact)),
    }
    // Located, with their snippets, beside the report: why a campaign is invalid on one side,
    // and which inputs could not be compared (those make the run exit 2).
    if args.format == SimpleFormat::Human {
        let problems = report::diff::human_problems(&impact, style(Stream::Stderr));
        if !problems.is_empty() {
            output::err(problems);
        }
    }
    if impact.not_compared.is_empty() {
        Exit::Allowed
    } else {
        Exit::Invalid
    }
}
