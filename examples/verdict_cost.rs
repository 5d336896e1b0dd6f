//! Nanoseconds per use of the decision hot path, split into the per-use rules and the
//! campaign-level rules, with the campaigns in cache (20) and not (500): the "Cost per use
//! by R" table of BENCHMARKS.md. Also a loop to run under `perf record`.
//!
//! ```sh
//! cargo run --release --example verdict_cost -- 100 1000 10000
//! # how cost grows with the number of campaigns decided in turn (the cache cliff)
//! cargo run --release --example verdict_cost -- --campaigns 20,100,200,300,500,2000 1000 10000
//! # with each campaign's memoised conditions kept from the previous pass (no first decisions)
//! cargo run --release --example verdict_cost -- --warm 100 10000
//! # 500 campaigns made of 20 distinct ones (each copy its own facts), in a shuffled order
//! cargo run --release --example verdict_cost -- --campaigns 500 --distinct 20 --shuffle 10000
//! ```

use std::time::Instant;

use lagom::eval::{CampaignVerdict, CompiledPolicy, Decision, Facts, UseVerdict};
use lagom::source::{FileId, SourceFile};
use lagom::synth::Corpus;

const SEED: u64 = 1;
/// Runs per figure; the best is reported, as the machine is shared and noisy.
const RUNS: usize = 7;
/// Uses decided per run, whatever the number of campaigns.
const USES_PER_RUN: usize = 300_000;

/// Nanoseconds per use of one pass over the campaigns, repeated to `USES_PER_RUN` uses.
fn per_use(policy: &CompiledPolicy, facts: &[Facts], campaign_rules: bool, warm: bool) -> f64 {
    let uses: usize = facts.iter().map(Facts::use_count).sum();
    let passes = USES_PER_RUN.div_ceil(uses.max(1));
    let (mut v, mut cv) = (UseVerdict::default(), CampaignVerdict::default());
    let mut blocked = 0usize;
    let start = Instant::now();
    for _ in 0..passes {
        for f in facts {
            // Unless asked otherwise, every pass does a first decision's work.
            if !warm {
                f.forget_memo();
            }
            for i in 0..f.use_count() {
                policy.decide_use(f, i, &mut v);
                blocked += usize::from(v.decision() == Decision::Block);
            }
            if campaign_rules {
                policy.decide_campaign_rules(f, &mut cv);
                blocked += usize::from(cv.blocked());
            }
        }
    }
    std::hint::black_box(blocked);
    start.elapsed().as_nanos() as f64 / (passes * uses) as f64
}

fn best(f: impl Fn() -> f64) -> f64 {
    (0..RUNS).map(|_| f()).fold(f64::INFINITY, f64::min)
}

/// Which generated campaign each of `count` is: the first `distinct` ones over and over (all
/// distinct by default), in order or in a fixed shuffled order (xorshift, so the order never
/// changes). Shuffled, a pass has no short repeating pattern for the branch predictor to learn.
fn order(count: usize, distinct: Option<usize>, shuffle: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).map(|i| i % distinct.unwrap_or(count).max(1)).collect();
    if shuffle {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in (1..order.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
    }
    order
}

/// Numbers separated by commas.
fn numbers(text: &str) -> Vec<usize> {
    text.split(',').filter_map(|n| n.trim().parse().ok()).collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut sizes, mut counts, mut warm) = (Vec::new(), vec![20, 500], false);
    let (mut distinct, mut shuffle) = (None, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--warm" => warm = true,
            "--shuffle" => shuffle = true,
            "--distinct" => distinct = args.next().and_then(|a| a.parse::<usize>().ok()).filter(|&n| n > 0),
            "--campaigns" => counts = args.next().map(|a| numbers(&a)).unwrap_or_default(),
            other => sizes.extend(numbers(other)),
        }
    }
    if sizes.is_empty() {
        sizes = vec![100, 1_000, 10_000];
    }
    println!("| R | campaigns | per-use rules | + campaign rules = total (ns per use) |");
    println!("|---|---|---|---|");
    for rules in sizes {
        let corpus = Corpus::new(rules, SEED);
        let policy = match lagom::policy::load_texts(corpus.policy_texts()) {
            Ok(p) => CompiledPolicy::new(p),
            Err(e) => return eprintln!("generated policy is invalid: {:?}", e.problems),
        };
        for &count in &counts {
            let facts: Vec<Facts> = order(count, distinct, shuffle)
                .into_iter()
                .filter_map(|i| {
                    let text = corpus.campaign(i);
                    let file = SourceFile::new("c.yaml", text.as_str());
                    lagom::campaign::read(FileId(0), &file, &policy.policy).ok().map(|c| policy.facts(&c))
                })
                .collect();
            let uses_only = best(|| per_use(&policy, &facts, false, warm));
            let total = best(|| per_use(&policy, &facts, true, warm));
            println!("| {rules} | {count} | {uses_only:.0} | {:.0} = {total:.0} |", total - uses_only);
        }
    }
}
