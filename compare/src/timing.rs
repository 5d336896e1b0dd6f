//! Warm, single-threaded timing with `std::time::Instant`: medians of 5 runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Timed runs per measurement (the median is reported).
pub const RUNS: usize = 5;

/// What a decision timing found.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Median over the runs of nanoseconds per data use.
    pub ns_per_use: f64,
    /// Uses decided in the timed runs, all runs together.
    pub uses: usize,
}

/// Times `decide(campaign)`, which decides every use of one campaign and its campaign-level
/// rules, cycling over the campaigns: a warm-up run, then [`RUNS`] runs, each going on campaign
/// after campaign until `budget` has passed (at least one campaign). A run's figure is its
/// time divided by the uses it decided, so fast engines run many passes over the campaigns and
/// slow ones part of one.
pub fn decisions(uses_per_campaign: &[usize], budget: Duration, mut decide: impl FnMut(usize) -> usize) -> Timing {
    let n = uses_per_campaign.len().max(1);
    let mut next = 0usize;
    let mut run = |next: &mut usize| -> (Duration, usize) {
        let start = Instant::now();
        let mut uses = 0;
        let mut blocked = 0;
        loop {
            blocked += decide(*next);
            uses += uses_per_campaign.get(*next).copied().unwrap_or(0);
            *next = (*next + 1) % n;
            if start.elapsed() >= budget {
                break;
            }
        }
        black_box(blocked);
        (start.elapsed(), uses)
    };
    run(&mut next);
    let mut per_use = Vec::with_capacity(RUNS);
    let mut total = 0;
    for _ in 0..RUNS {
        let (elapsed, uses) = run(&mut next);
        total += uses;
        per_use.push(elapsed.as_nanos() as f64 / uses.max(1) as f64);
    }
    Timing { ns_per_use: median(&mut per_use), uses: total }
}

/// Median wall time in milliseconds of `load` over [`RUNS`] runs (fewer when one run takes
/// longer than `patience`: then the runs done so far), and the number of runs.
pub fn load<T, E>(patience: Duration, mut load: impl FnMut() -> Result<T, E>) -> Result<(f64, usize), E> {
    let mut ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let loaded = load()?;
        let elapsed = start.elapsed();
        drop(black_box(loaded));
        ms.push(elapsed.as_secs_f64() * 1e3);
        if elapsed > patience {
            break;
        }
    }
    let runs = ms.len();
    Ok((median(&mut ms), runs))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let at = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    if n % 2 == 1 {
        at(n / 2)
    } else {
        (at((n / 2).saturating_sub(1)) + at(n / 2)) / 2.0
    }
}
