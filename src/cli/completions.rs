//! `lagom completions SHELL` and `lagom man`: generated from the clap definition.

use clap::CommandFactory;

use super::{output, Cli, Exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Exit {
    let mut cmd = Cli::command();
    // Generated into memory: clap_complete panics when the writer fails (a closed pipe).
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "lagom", &mut out);
    output::out(String::from_utf8_lossy(&out));
    Exit::Allowed
}

pub fn man() -> Exit {
    let mut out = Vec::new();
    if clap_mangen::Man::new(Cli::command()).render(&mut out).is_err() {
        return Exit::Invalid;
    }
    output::out(String::from_utf8_lossy(&out));
    Exit::Allowed
}
