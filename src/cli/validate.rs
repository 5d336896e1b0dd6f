//! `lagom validate`.

use std::path::PathBuf;

use lagom::report;

use super::{load_policy, style, Exit, SimpleFormat};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Policy file or directory (repeatable); the built-in GDPR marketing pack when absent.
    #[arg(long, value_name = "PATH")]
    policy: Vec<PathBuf>,
    #[command(flatten)]
    limits: super::Limits,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    format: SimpleFormat,
}

pub fn run(args: Args) -> Exit {
    match load_policy(&args.policy, args.limits) {
        Ok(p) => {
            match args.format {
                SimpleFormat::Json => println!("{{\n  \"version\": 1,\n  \"policy_errors\": []\n}}"),
                SimpleFormat::Human => println!(
                    "policy {} is valid: {} rules, {} categories, {} purposes ({})",
                    p.name.as_deref().map_or_else(|| "(unnamed)".to_string(), |n| format!("`{n}`")),
                    p.rules.len(),
                    p.categories.len(),
                    p.purposes.len(),
                    p.digest
                ),
            }
            Exit::Allowed
        }
        Err(e) => {
            match args.format {
                SimpleFormat::Json => print!("{}", report::json::policy_errors(&e)),
                SimpleFormat::Human => eprint!(
                    "{}",
                    report::human::problems(
                        &e.problems,
                        &e.sources,
                        style(false, std::io::IsTerminal::is_terminal(&std::io::stderr()))
                    )
                ),
            }
            Exit::Invalid
        }
    }
}
