//! The `lagom` binary: parse the command line, run, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse()).into()
}
