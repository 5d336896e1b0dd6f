//! `lagom schema`.

use lagom::report;

use super::{output, style, Exit, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Whose purposes, categories, bases and channels become enums.
    #[command(flatten)]
    policy: super::PolicyArgs,
    /// The campaign format only, without any policy's names as enums.
    #[arg(long, conflicts_with = "policy")]
    no_policy: bool,
}

pub fn run(args: Args) -> Exit {
    if args.no_policy {
        output::out(report::schema::campaign_schema(None));
        return Exit::Allowed;
    }
    // The policy `check` would use: the built-in pack unless `--policy` names one.
    match args.policy.load() {
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
