//! `lagom validate`.

use lagom::report;

use super::{output, style, Exit, SimpleFormat, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    policy: super::PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    format: SimpleFormat,
    /// Exit 1 when the policy has static warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// A path given without `--policy` (`lagom validate policies/`), refused with the
    /// command meant: `fmt` and `test` take their paths that way.
    #[arg(hide = true, value_name = "PATH")]
    stray: Vec<String>,
}

pub fn run(args: Args) -> Exit {
    if let Some(path) = args.stray.first() {
        output::err(format_args!(
            "error: unexpected argument '{path}' found\n\n  tip: a policy to validate is given with `--policy`: \
             `lagom validate --policy {path}`\n\nUsage: lagom validate [OPTIONS]\n\nFor more information, try '--help'.\n"
        ));
        return Exit::Invalid;
    }
    match args.policy.load() {
        Ok(p) => {
            let warnings = lagom::lint::lint(&p);
            match args.format {
                SimpleFormat::Json => output::out(report::json::policy_warnings(&warnings, &p.sources)),
                SimpleFormat::Human => {
                    output::err(report::human::problems(&warnings, &p.sources, style(Stream::Stderr)));
                    output::out(report::human::policy_summary(&p, warnings.len()));
                }
            }
            if args.deny_warnings && !warnings.is_empty() {
                Exit::Blocked
            } else {
                Exit::Allowed
            }
        }
        Err(e) => match args.format {
            SimpleFormat::Json => {
                output::out(report::json::validate_errors(&e));
                Exit::Invalid
            }
            SimpleFormat::Human => super::invalid_policy(args.format, &e),
        },
    }
}
