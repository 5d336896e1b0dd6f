//! `lagom schema`.

use std::path::PathBuf;

use lagom::report;

use super::{output, style, Exit, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Policy whose purposes, categories, bases and channels become enums (repeatable).
    #[arg(long, value_name = "PATH")]
    policy: Vec<PathBuf>,
    #[command(flatten)]
    limits: super::Limits,
}

pub fn run(args: Args) -> Exit {
    if args.policy.is_empty() {
        output::out(report::schema::campaign_schema(None));
        return Exit::Allowed;
    }
    match lagom::policy::load_paths_with_limit(&args.policy, args.limits.bytes()) {
        Ok(p) => {
            output::out(report::schema::campaign_schema(Some(&p)));
            Exit::Allowed
        }
        Err(e) => {
            output::err(report::human::problems(&e.problems, &e.sources, style(Stream::Stderr)));
            Exit::Invalid
        }
    }
}
