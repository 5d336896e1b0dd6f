//! Criterion benchmarks of the engine's stages on generated corpora (`lagom::synth`):
//! parse + check + compile a policy, read a campaign file, and decide loaded campaigns.
//!
//! `cargo bench --bench engine` runs them all; `cargo bench --bench engine -- decide/` one group.
//! See BENCHMARKS.md for the figures and scripts/bench-e2e.sh for the whole binary.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use lagom::campaign::Campaign;
use lagom::eval::{CampaignVerdict, CompiledPolicy, Decision, Facts, UseVerdict};
use lagom::source::{FileId, SourceFile};
use lagom::synth::Corpus;

const SEED: u64 = 1;
const RULES: [usize; 3] = [100, 1_000, 10_000];
/// Campaigns decided per iteration of the decision benchmarks.
const CAMPAIGNS: usize = 500;

fn compile(corpus: &Corpus) -> CompiledPolicy {
    match lagom::policy::load_texts(corpus.policy_texts()) {
        Ok(p) => CompiledPolicy::new(p),
        Err(e) => panic!("generated policy is invalid: {:?}", e.problems),
    }
}

fn read(policy: &CompiledPolicy, text: &str) -> Campaign {
    let file = SourceFile::new("c.yaml", text);
    match lagom::campaign::read(FileId(0), &file, &policy.policy) {
        Ok(c) => c,
        Err(e) => panic!("generated campaign is invalid: {:?}", e.problems),
    }
}

/// Parse, check and compile a policy of R rules from its texts.
fn policy_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("policy_load");
    g.sample_size(20);
    for r in RULES {
        let corpus = Corpus::new(r, SEED);
        let bytes: u64 = corpus.policy_files().iter().map(|(_, t)| t.len() as u64).sum();
        g.throughput(Throughput::Bytes(bytes));
        g.bench_with_input(BenchmarkId::from_parameter(r), &corpus, |b, corpus| {
            b.iter_batched(
                || corpus.policy_texts(),
                |texts| {
                    let p = lagom::policy::load_texts(texts).map(CompiledPolicy::new);
                    assert!(p.is_ok());
                    p
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// Read one campaign file (YAML parse, checks against the policy) from its text.
fn campaign_load(c: &mut Criterion) {
    let mut g = c.benchmark_group("campaign_load");
    let corpus = Corpus::new(1_000, SEED);
    let policy = compile(&corpus);
    let texts: Vec<String> = (0..100).map(|i| corpus.campaign(i)).collect();
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("r1000_x100", |b| {
        b.iter(|| {
            for t in &texts {
                let file = SourceFile::new("c.yaml", t.as_str());
                let c = lagom::campaign::read(FileId(0), &file, &policy.policy);
                assert!(c.is_ok());
            }
        })
    });
    g.finish();
}

/// The hot path: outcome and warnings of every use and the campaign-level rules of loaded
/// campaigns whose facts are interned, into reused buffers; one core. Each campaign's memoised
/// conditions are forgotten before it is decided, so every iteration does a first decision's
/// work.
fn verdict(c: &mut Criterion) {
    let mut g = c.benchmark_group("verdict");
    for r in RULES {
        let corpus = Corpus::new(r, SEED);
        let policy = compile(&corpus);
        let campaigns: Vec<Campaign> = (0..CAMPAIGNS).map(|i| read(&policy, &corpus.campaign(i))).collect();
        let facts: Vec<Facts> = campaigns.iter().map(|c| policy.facts(c)).collect();
        let uses: usize = campaigns.iter().map(|c| c.data.len()).sum();
        g.throughput(Throughput::Elements(uses as u64));
        g.bench_with_input(BenchmarkId::new("prepared", r), &facts, |b, facts| {
            let mut v = UseVerdict::default();
            let mut cv = CampaignVerdict::default();
            b.iter(|| {
                let mut blocked = 0usize;
                for f in facts {
                    f.forget_memo();
                    for i in 0..f.use_count() {
                        policy.decide_use(f, i, &mut v);
                        blocked += usize::from(v.decision() == Decision::Block);
                    }
                    policy.decide_campaign_rules(f, &mut cv);
                    blocked += usize::from(cv.blocked());
                }
                blocked
            })
        });
        g.bench_with_input(BenchmarkId::new("with_facts", r), &campaigns, |b, campaigns| {
            let mut v = UseVerdict::default();
            let mut cv = CampaignVerdict::default();
            b.iter(|| {
                let mut blocked = 0usize;
                for c in campaigns {
                    let f = policy.facts(c);
                    for i in 0..f.use_count() {
                        policy.decide_use(&f, i, &mut v);
                        blocked += usize::from(v.decision() == Decision::Block);
                    }
                    policy.decide_campaign_rules(&f, &mut cv);
                    blocked += usize::from(cv.blocked());
                }
                blocked
            })
        });
    }
    g.finish();
}

/// Full decisions (findings included) of loaded campaigns, one core.
fn decide(c: &mut Criterion) {
    let mut g = c.benchmark_group("decide");
    for r in RULES {
        let corpus = Corpus::new(r, SEED);
        let policy = compile(&corpus);
        let campaigns: Vec<Campaign> = (0..CAMPAIGNS).map(|i| read(&policy, &corpus.campaign(i))).collect();
        let uses: usize = campaigns.iter().map(|c| c.data.len()).sum();
        g.throughput(Throughput::Elements(uses as u64));
        g.bench_with_input(BenchmarkId::from_parameter(r), &campaigns, |b, campaigns| {
            b.iter(|| campaigns.iter().map(|c| policy.decide(c).uses.len()).sum::<usize>())
        });
    }
    g.finish();
}

criterion_group!(benches, policy_load, campaign_load, verdict, decide);
criterion_main!(benches);
