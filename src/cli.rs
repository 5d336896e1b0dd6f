//! The command line: clap definitions and one module per subcommand. No logic beyond calling
//! the library, checking what only the command line knows (`explain` names one campaign and a
//! declared `--category`) and choosing an exit code.

mod check;
mod completions;
mod diff;
mod explain;
mod fmt;
mod output;
mod schema;
mod test;
mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use lagom::policy::{CheckedPolicy, PolicyError};
use lagom::report::human::{Colour, Style};

/// lagom: only the personal data a purpose needs, kept only as long as it is needed.
#[derive(Parser, Debug)]
#[command(name = "lagom", version, about, long_about = None, subcommand_value_name = "COMMAND")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check campaigns against a policy; exit 1 when one is blocked, 2 when input is invalid.
    // PATH is required (spec 4), but checked by `check::run` after the policy is loaded, so that
    // a run without campaigns still reports an invalid policy; the usage says it is required.
    #[command(override_usage = "lagom check [OPTIONS] <PATH>...", after_help = CHECK_AFTER_HELP)]
    Check(check::Args),
    /// Show the full decision trace of one campaign: every matching rule, every condition.
    Explain(explain::Args),
    /// Check a policy for errors without evaluating campaigns.
    Validate(validate::Args),
    /// Lay out policy files canonically, keeping every comment; `--check` only lists them.
    Fmt(fmt::Args),
    /// Run policy tests (YAML); exit 1 when one fails, 2 when a test file is invalid.
    Test(test::Args),
    /// Show which campaigns and uses decide differently under a new policy.
    Diff(diff::Args),
    /// Print a JSON Schema of the campaign format, for editors.
    Schema(schema::Args),
    /// Print shell completions.
    Completions(completions::Args),
    /// Print the manual (roff): one page with every subcommand and its options.
    Man,
}

/// What `lagom check --help` ends with: the exit codes (spec 4) and the environment it reads.
const CHECK_AFTER_HELP: &str = "\
Exit codes:
  0  every campaign allowed
  1  a campaign blocked (or, with --deny-warnings, warned)
  2  invalid policy or campaign, a path or output that cannot be read or written, or bad usage

Environment:
  NO_COLOR           no colour, whatever else is set
  CLICOLOR_FORCE     colour even where no terminal shows it (also FORCE_COLOR)
  CLICOLOR=0         no colour on a terminal (nor with TERM unset or dumb)
  RAYON_NUM_THREADS  threads that read and decide campaigns (default: one per core, at most 8 per core)";

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people.
    Human,
    /// The JSON document of the spec, section 4.1.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, one test case per campaign.
    Junit,
    /// GitHub Actions annotations (`::error file=…`).
    Github,
}

/// Output formats of the commands that do not report campaigns to CI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SimpleFormat {
    /// Text for people.
    Human,
    /// JSON.
    Json,
}

/// Exit codes of spec section 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything allowed.
    Allowed = 0,
    /// Something blocked (or warned, with `--deny-warnings`).
    Blocked = 1,
    /// Invalid policy, invalid campaign or bad usage.
    Invalid = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// The worker threads: as many as `RAYON_NUM_THREADS` asks (else one per core), but at most
/// eight per core. Thousands of threads on two cores spent their time waking one another: a
/// run of one campaign took 25 s with 5,000.
fn pool_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    threads_for(std::env::var("RAYON_NUM_THREADS").ok().as_deref(), cores)
}

/// [`pool_threads`] for a value of `RAYON_NUM_THREADS` (rayon reads 0 or no number as unset).
fn threads_for(asked: Option<&str>, cores: usize) -> usize {
    let asked = asked.and_then(|n| n.trim().parse::<usize>().ok()).filter(|&n| n > 0);
    asked.unwrap_or(cores).min(cores * 8)
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Exit {
    // The recursive parser runs on the worker threads too, and only the nesting limit bounds
    // its depth (pest's own stack probe is compiled out for speed): give them the main
    // thread's 8 MiB rather than the 2 MiB default, several times what the limit needs. The
    // pool is built once; an error means it already exists, which only happens in tests.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(8 << 20).num_threads(pool_threads()).build_global();
    written(run_command(cli))
}

/// What the command line gave instead of a command: help or version text (exit 0) or a usage
/// error (exit 2). clap's own `exit` drops a write that fails, so `lagom --help 1<file` exited
/// 0 with nothing written; help goes through [`output`] like every report.
pub fn not_run(e: clap::Error) -> Exit {
    if e.use_stderr() {
        let _ = e.print();
        return Exit::Invalid;
    }
    let text = e.render();
    match style(Stream::Stdout).colour {
        Colour::Ansi => output::out(text.ansi()),
        Colour::Plain => output::out(text),
    }
    written(Exit::Allowed)
}

/// The exit code of a run, or 2 with one line on standard error when standard output could
/// not be written: a pipeline that lost the report must not pass.
fn written(exit: Exit) -> Exit {
    match output::failure() {
        Some(e) => {
            output::err(format_args!("error: cannot write to standard output: {e}\n"));
            Exit::Invalid
        }
        None => exit,
    }
}

fn run_command(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Test(args) => test::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man => completions::man(),
    }
}

/// `--max-file-size` when it is not given.
const DEFAULT_MAX_FILE_MIB: u64 = 4;

/// Input limits shared by the commands that read files.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file read (policy, campaign or test file), in MiB; larger files are errors (exit 2).
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_FILE_MIB, value_parser = clap::value_parser!(u64).range(1..))]
    max_file_size: u64,
}

impl Limits {
    fn bytes(self) -> u64 {
        self.max_file_size.saturating_mul(1024 * 1024)
    }
}

/// `--policy` and the input limits, shared by the commands that decide campaigns.
#[derive(clap::Args, Debug)]
pub struct PolicyArgs {
    /// Policy file or directory (repeatable); the built-in GDPR marketing pack when absent.
    #[arg(long, value_name = "PATH")]
    policy: Vec<PathBuf>,
    #[command(flatten)]
    limits: Limits,
}

impl PolicyArgs {
    /// Loads the policy, and notes on standard error the files below its folders skipped for
    /// their names (`10-deny.polcy`), whose rules are not enforced.
    fn load(&self) -> Result<CheckedPolicy, PolicyError> {
        self.load_noting(Notes::Plain)
    }

    /// [`PolicyArgs::load`] with the notes written as `notes` asks.
    fn load_noting(&self, notes: Notes) -> Result<CheckedPolicy, PolicyError> {
        let loaded = self.load_without_notes();
        note_skipped(&loaded, "--policy", notes);
        loaded
    }

    /// [`PolicyArgs::load`] without the notes: `validate` warns about skipped files instead.
    fn load_without_notes(&self) -> Result<CheckedPolicy, PolicyError> {
        load_policy(&self.policy, self.limits)
    }

    /// Whether the policy is the built-in pack (no `--policy`).
    fn is_built_in(&self) -> bool {
        self.policy.is_empty()
    }

    /// The size limit for campaign files, in bytes.
    fn max_file_bytes(&self) -> u64 {
        self.limits.bytes()
    }
}

/// Loads the policy given with `--policy`, or the built-in pack.
fn load_policy(paths: &[PathBuf], limits: Limits) -> Result<CheckedPolicy, PolicyError> {
    if paths.is_empty() {
        lagom::policy::load_default()
    } else {
        lagom::policy::load_paths_with_limit(paths, limits.bytes())
    }
}

/// How notes about the files of a policy are written on standard error.
#[derive(Clone, Copy, Debug)]
enum Notes {
    /// `note: …` lines.
    Plain,
    /// GitHub `::notice` annotations (`--format github`): a plain line in the log is seen by
    /// no one who reads the run by its annotations.
    Github,
}

/// Notes on standard error each file below a policy folder named like a policy file that is
/// not one, whether the policy loaded or not: its declarations may be the ones found missing;
/// and, when a name is unknown, each file named alone beside other policy files.
fn note_skipped(loaded: &Result<CheckedPolicy, PolicyError>, option: &str, notes: Notes) {
    use lagom::report::{github, human};
    let skipped = match loaded {
        Ok(p) => &p.skipped,
        Err(e) => &e.skipped,
    };
    for name in skipped {
        output::err(match notes {
            Notes::Plain => human::skipped_policy_note(name),
            Notes::Github => github::skipped_policy_notice(name),
        });
    }
    if let Err(e) = loaded {
        for left in &e.left_out {
            output::err(match notes {
                Notes::Plain => human::left_out_note(left, option),
                Notes::Github => github::left_out_notice(left, option),
            });
        }
    }
}

/// Reports an invalid policy for `explain` and `validate`: one JSON document on standard
/// output when JSON was asked for, else diagnostics on standard error.
fn invalid_policy(format: SimpleFormat, e: &PolicyError) -> Exit {
    match format {
        SimpleFormat::Json => output::out(lagom::report::json::policy_errors(e)),
        SimpleFormat::Human => {
            output::err(lagom::report::human::problems(&e.problems, &e.sources, style(Stream::Stderr)))
        }
    }
    Exit::Invalid
}

/// Where human output goes, which decides whether it is coloured.
#[derive(Clone, Copy, Debug)]
enum Stream {
    Stdout,
    Stderr,
    /// `--output`.
    File,
}

/// The style of human output written to `to`: coloured as [`colour_wanted`] decides, a report
/// file (`--output`) never.
fn style(to: Stream) -> Style {
    let terminal = match to {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
        Stream::File => return Style::plain(),
    };
    let colour = if colour_wanted(terminal, &ColourEnv::read()) { Colour::Ansi } else { Colour::Plain };
    Style { colour, ..Style::plain() }
}

/// What the environment says about colour, read as the common conventions read it
/// (<https://no-color.org>, <https://bixense.com/clicolors/>, `FORCE_COLOR`).
#[derive(Clone, Copy, Debug, Default)]
struct ColourEnv {
    /// `NO_COLOR` set and not empty.
    no_color: bool,
    /// `CLICOLOR_FORCE` set and not empty or `0`, or `FORCE_COLOR` set and not empty, `0` or
    /// `false`.
    force: bool,
    /// `CLICOLOR`: `Some(false)` for `0`, `Some(true)` for any other value.
    clicolor: Option<bool>,
    /// `TERM` set and not `dumb`.
    term_supports_color: bool,
}

impl ColourEnv {
    fn read() -> ColourEnv {
        let force_color = std::env::var_os("FORCE_COLOR").is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
        let clicolor_force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        ColourEnv {
            no_color: anstyle_query::no_color(),
            force: clicolor_force || force_color,
            clicolor: anstyle_query::clicolor(),
            term_supports_color: anstyle_query::term_supports_color(),
        }
    }
}

/// Whether output to a terminal (or not) is coloured: never with `NO_COLOR`; always when
/// forced, terminal or not; otherwise only on a terminal, and there not with `CLICOLOR=0` nor
/// with `TERM` unset or `dumb` (unless `CLICOLOR` is set to something else than `0`).
fn colour_wanted(terminal: bool, env: &ColourEnv) -> bool {
    if env.no_color {
        false
    } else if env.force {
        true
    } else if env.clicolor == Some(false) {
        false
    } else {
        terminal && (env.term_supports_color || env.clicolor == Some(true))
    }
}

#[cfg(test)]
mod tests {
    use super::{colour_wanted, threads_for, ColourEnv};

    const TERM: ColourEnv = ColourEnv { no_color: false, force: false, clicolor: None, term_supports_color: true };

    #[test]
    fn colour_is_for_terminals_that_can_show_it() {
        assert!(colour_wanted(true, &TERM));
        assert!(!colour_wanted(false, &TERM));
        assert!(!colour_wanted(true, &ColourEnv { term_supports_color: false, ..TERM }));
        assert!(colour_wanted(true, &ColourEnv { term_supports_color: false, clicolor: Some(true), ..TERM }));
        assert!(!colour_wanted(true, &ColourEnv { clicolor: Some(false), ..TERM }));
    }

    #[test]
    fn forced_colour_is_for_any_output_and_no_color_wins() {
        let forced = ColourEnv { force: true, ..ColourEnv::default() };
        assert!(colour_wanted(false, &forced));
        assert!(colour_wanted(true, &ColourEnv { clicolor: Some(false), ..forced }));
        assert!(!colour_wanted(true, &ColourEnv { no_color: true, ..forced }));
        assert!(!colour_wanted(true, &ColourEnv { no_color: true, ..TERM }));
    }

    #[test]
    fn the_thread_count_is_the_one_asked_for_up_to_eight_per_core() {
        assert_eq!(threads_for(None, 2), 2);
        assert_eq!(threads_for(Some("3"), 2), 3);
        assert_eq!(threads_for(Some("16"), 2), 16);
        assert_eq!(threads_for(Some("5000"), 2), 16);
        assert_eq!(threads_for(Some("0"), 4), 4);
        assert_eq!(threads_for(Some("many"), 4), 4);
    }
}
