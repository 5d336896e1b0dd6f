//! Runs lagom, Cedar and regorus side by side on lagom's synthetic benchmark workload: the same
//! policy (translated), the same campaigns, the same per-use decisions, checked to agree before
//! anything is timed. See README.md.
//!
//! ```sh
//! CARGO_TARGET_DIR=/work/compare-target cargo run --release --manifest-path compare/Cargo.toml -- \
//!     --rules 100,1000,10000 --campaigns 200 --seed 1
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

mod agree;
mod cedar;
mod fields;
mod logic;
mod rego;
mod timing;
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use lagom::eval::{CampaignVerdict, CompiledPolicy, UseVerdict};

use crate::agree::{Agreement, Engines};
use crate::timing::Timing;
use crate::workload::Workload;

const USAGE: &str =
    "usage: compare [--rules 100,1000,10000] [--campaigns 200] [--seed 1] [--budget-ms 1000] [--dump DIR]";

/// Command-line options.
struct Args {
    rules: Vec<usize>,
    campaigns: usize,
    seed: u64,
    budget: Duration,
    dump: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a =
        Args { rules: vec![100, 1_000, 10_000], campaigns: 200, seed: 1, budget: Duration::from_secs(1), dump: None };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        let number = |s: &str| s.trim().replace('_', "").parse::<u64>().map_err(|e| format!("{flag} {s}: {e}"));
        match flag.as_str() {
            "--rules" => {
                a.rules = value()?.split(',').map(|s| number(s).map(|n| n as usize)).collect::<Result<_, _>>()?;
            }
            "--campaigns" => a.campaigns = number(&value()?)? as usize,
            "--seed" => a.seed = number(&value()?)?,
            "--budget-ms" => a.budget = Duration::from_millis(number(&value()?)?),
            "--dump" => a.dump = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if a.rules.is_empty() || a.campaigns == 0 {
        return Err(format!("need at least one rule count and one campaign\n{USAGE}"));
    }
    Ok(a)
}

/// One line of the results table.
struct Row {
    engine: &'static str,
    rules: usize,
    timing: Timing,
    load_ms: f64,
    load_runs: usize,
}

/// Everything measured at one policy size.
struct Size {
    rows: Vec<Row>,
    agreement: Agreement,
    uses: usize,
    notes: Vec<String>,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut sizes = Vec::new();
    for &r in &args.rules {
        match measure(r, &args) {
            Ok(s) => sizes.push(s),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print_report(&args, &sizes);
    ExitCode::SUCCESS
}

fn step(what: &str) {
    eprintln!("  {what}");
}

/// Builds, checks and times every engine at one policy size.
fn measure(r: usize, args: &Args) -> Result<Size, String> {
    eprintln!("R = {r}: generating {} campaigns (seed {})", args.campaigns, args.seed);
    let w = Workload::new(r, args.campaigns, args.seed)?;
    let rules = logic::translate(&w.policy.policy)?;
    let cedar_text = cedar::policy_text(&rules)?;
    let rego_modules = rego::policy_modules(&rules)?;
    if let Some(dir) = &args.dump {
        let dir = dir.join(format!("r{r}"));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let cedar_file = ("policy.cedar".to_string(), cedar_text.clone());
        for (name, text) in std::iter::once(&cedar_file).chain(&rego_modules) {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut notes = Vec::new();

    step("building Cedar entities and requests, regorus inputs");
    let cedar = cedar::Cedar::new(&cedar_text, &w.policy.policy, &w.campaigns)?;
    let inputs = rego::inputs(&w.policy.policy, &w.campaigns)?;
    let mut interpreter = rego::Interpreter::new(&rego_modules, inputs.clone())?;
    let mut vm = match rego::load_rvm(&rego_modules) {
        Ok(program) => Some(rego::Vm::new(program, inputs)?),
        Err(e) => {
            notes.push(format!("R = {r}: regorus RVM not measured: it does not compile the policy: {e}"));
            None
        }
    };

    step("checking that every engine decides every use as lagom does");
    let agreement = agree::check(&w, &mut Engines { cedar: &cedar, interpreter: &mut interpreter, vm: vm.as_mut() })?;
    eprintln!(
        "  agreed on {} uses ({} allowed) and {} campaign-level requests ({} campaigns blocked)",
        agreement.uses, agreement.allowed, agreement.campaign_requests, agreement.campaigns_blocked
    );

    let per_campaign = w.uses_per_campaign();
    let patience = Duration::from_secs(10);
    let mut rows = Vec::new();
    let texts_bytes: usize = w.corpus.policy_files().iter().map(|(_, t)| t.len()).sum();
    notes.push(format!(
        "R = {r}: policy text {} KiB lagom, {} KiB Cedar, {} KiB Rego; {} of {} rules translated (warn rules left out)",
        texts_bytes / 1024,
        cedar_text.len() / 1024,
        rego_modules.iter().map(|(_, t)| t.len()).sum::<usize>() / 1024,
        rules.len(),
        w.policy.policy.rules.len()
    ));

    for (engine, policy) in [("lagom", &w.policy), ("lagom, no warn rules", &w.lean)] {
        step(&format!("timing {engine}"));
        let lean = policy.policy.rules.len() != w.policy.policy.rules.len();
        let timing = time_lagom(policy, &w, args.budget);
        let (load_ms, load_runs) = timing::load(patience, || {
            workload::load(&w.corpus)
                .map(|p| if lean { workload::without_warnings(p) } else { p })
                .map(CompiledPolicy::new)
        })?;
        rows.push(Row { engine, rules: r, timing, load_ms, load_runs });
    }

    step("timing Cedar");
    let timing = timing::decisions(&per_campaign, args.budget, |i| cedar.decide(i));
    let policy = &w.policy.policy;
    let (load_ms, load_runs) =
        timing::load(patience, || cedar::taxonomy_entities(policy).and_then(|t| cedar::load(&cedar_text, t)))?;
    rows.push(Row { engine: "Cedar", rules: r, timing, load_ms, load_runs });

    step("timing regorus (interpreter)");
    let timing = timing::decisions(&per_campaign, args.budget, |i| interpreter.decide(i));
    let (load_ms, load_runs) = timing::load(patience, || rego::load_interpreter(&rego_modules))?;
    rows.push(Row { engine: "regorus interpreter", rules: r, timing, load_ms, load_runs });

    if let Some(vm) = vm.as_mut() {
        step("timing regorus (RVM)");
        let timing = timing::decisions(&per_campaign, args.budget, |i| vm.decide(i));
        let (load_ms, load_runs) = timing::load(patience, || rego::load_rvm(&rego_modules))?;
        rows.push(Row { engine: "regorus RVM", rules: r, timing, load_ms, load_runs });
    }
    Ok(Size { rows, agreement, uses: w.use_count(), notes })
}

/// lagom's `verdict/prepared` loop: facts interned once per campaign, outside the timing.
fn time_lagom(policy: &CompiledPolicy, w: &Workload, budget: Duration) -> Timing {
    let facts: Vec<_> = w.campaigns.iter().map(|c| policy.facts(c)).collect();
    let mut v = UseVerdict::default();
    let mut cv = CampaignVerdict::default();
    timing::decisions(&w.uses_per_campaign(), budget, |i| match facts.get(i) {
        Some(f) => workload::lagom_decide(policy, f, &mut v, &mut cv),
        None => 0,
    })
}

fn print_report(args: &Args, sizes: &[Size]) {
    println!(
        "Workload: lagom::synth::Corpus::new(R, {}), {} campaigns; one thread, warm; median of {} runs of at least \
         {} ms each.\n",
        args.seed,
        args.campaigns,
        timing::RUNS,
        args.budget.as_millis()
    );
    println!("| engine | R | uses decided | ns/use | decisions/s | policy load ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    for row in sizes.iter().flat_map(|s| &s.rows) {
        let runs = if row.load_runs < timing::RUNS { format!(" ({} run)", row.load_runs) } else { String::new() };
        println!(
            "| {} | {} | {} | {} | {} | {:.1}{runs} |",
            row.engine,
            thousands(row.rules as u64),
            thousands(row.timing.uses as u64),
            thousands(row.timing.ns_per_use.round() as u64),
            thousands((1e9 / row.timing.ns_per_use).round() as u64),
            row.load_ms
        );
    }
    println!();
    for s in sizes {
        let a = s.agreement;
        if let Some(r) = s.rows.first().map(|row| row.rules) {
            println!(
                "R = {}: all engines agree with lagom on {} of {} uses ({} allowed, {} blocked) and on {} \
                 campaign-level requests ({} campaigns blocked by a campaign rule).",
                thousands(r as u64),
                a.uses,
                s.uses,
                a.allowed,
                a.uses - a.allowed,
                a.campaign_requests,
                a.campaigns_blocked
            );
        }
    }
    for note in sizes.iter().flat_map(|s| &s.notes) {
        println!("{note}");
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
