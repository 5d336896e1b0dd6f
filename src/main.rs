//! The `lagom` binary: parse the command line, run, exit.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// `print!` and `eprint!` panic on a closed pipe; `cli::output` writes and remembers instead.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

// A batch allocates many small values (YAML nodes, names, findings) from two threads at once;
// mimalloc does that with less contention and fragmentation than glibc's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(cli) => cli::run(cli),
        Err(e) => cli::not_run(e),
    }
    .into()
}
