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
            "error: unexpected argument '{}' found\n\n  tip: {}\n\nUsage: lagom validate [OPTIONS]\n\n\
             For more information, try '--help'.\n",
            report::one_line(path),
            report::one_line(&stray_tip(&args.stray))
        ));
        return Exit::Invalid;
    }
    // Skipped files are warnings of a valid policy, notes beside an invalid one's errors.
    let loaded = args.policy.load_without_notes();
    if loaded.is_err() {
        super::note_skipped(&loaded, "--policy", super::Notes::Plain);
    }
    match loaded {
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

/// The command meant by `lagom validate PATH…`: each path after `--policy`, or `lagom check`
/// for campaign files.
fn stray_tip(paths: &[String]) -> String {
    let campaign = |p: &String| lagom::batch::is_campaign_file(std::path::Path::new(p));
    if paths.iter().any(campaign) {
        return "`validate` checks a policy; campaigns are checked with `lagom check`".to_string();
    }
    let given: Vec<String> = paths.iter().map(|p| report::path_option("--policy", p.as_bytes())).collect();
    format!("a policy to validate is given with `--policy`: `lagom validate {}`", given.join(" "))
}
