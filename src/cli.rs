//! The command line: clap definitions and one module per subcommand. No logic beyond calling
//! the library and choosing an exit code.

mod check;
mod diff;
mod fmt;
mod test;
mod validate;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use lagom::policy::{CheckedPolicy, PolicyError};
use lagom::report::human::Style;

/// lagom: only the personal data a purpose needs, kept only as long as it is needed.
#[derive(Parser, Debug)]
#[command(name = "lagom", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check campaigns against a policy; exit 1 when one is blocked, 2 when input is invalid.
    Check(check::Args),
    /// Check a policy for errors without evaluating campaigns.
    Validate(validate::Args),
    /// Lay out policy files canonically, keeping every comment; `--check` only lists them.
    Fmt(fmt::Args),
    /// Run policy tests (YAML); exit 1 when one fails, 2 when a test file is invalid.
    Test(test::Args),
    /// Show which campaigns and uses decide differently under a new policy.
    Diff(diff::Args),
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people.
    Human,
    /// The JSON document of the spec, section 4.1.
    Json,
}

/// Exit codes of spec section 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Test(args) => test::run(args),
        Command::Diff(args) => diff::run(args),
    }
}

/// Loads the policy given with `--policy`, or the built-in pack.
fn load_policy(paths: &[PathBuf]) -> Result<CheckedPolicy, PolicyError> {
    if paths.is_empty() {
        lagom::policy::load_default()
    } else {
        lagom::policy::load_paths(paths)
    }
}

/// Terminal style for human output: colour only on a terminal and without `NO_COLOR`.
fn style(quiet: bool, to_terminal: bool) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style { color: to_terminal && !no_color, width: 100, quiet }
}

fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
