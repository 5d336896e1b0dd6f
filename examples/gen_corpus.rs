//! Writes a synthetic corpus for benchmarks: a policy of R rules and N campaign files.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --rules 1000 --campaigns 10000 --seed 1 --out target/corpus/r1000-n10000
//! lagom validate --policy target/corpus/r1000-n10000/policy
//! lagom check --policy target/corpus/r1000-n10000/policy target/corpus/r1000-n10000/campaigns
//! ```
//!
//! The same arguments always write the same bytes (see `lagom::synth`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Writes DIR/policy/*.policy and DIR/campaigns/team-NN/c-NNNNN.yaml.
#[derive(Parser, Debug)]
struct Args {
    /// Number of rules in the policy.
    #[arg(long, default_value_t = 1000)]
    rules: usize,
    /// Number of campaign files.
    #[arg(long, default_value_t = 1000)]
    campaigns: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory (created; existing files with the same names are overwritten).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let corpus = lagom::synth::Corpus::new(args.rules, args.seed);
    if let Err(e) = corpus.write(&args.out, args.campaigns) {
        eprintln!("error: cannot write `{}`: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "wrote {} rules ({} categories, {} purposes) and {} campaigns to {}",
        args.rules,
        corpus.category_count(),
        corpus.purpose_count(),
        args.campaigns,
        args.out.display()
    );
    ExitCode::SUCCESS
}
