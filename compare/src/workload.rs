//! lagom's standard benchmark workload (as in `benches/engine.rs`): a generated policy of R
//! rules, N generated campaigns read against it, and lagom's own decisions for them.

use lagom::campaign::Campaign;
use lagom::eval::{CampaignVerdict, CompiledPolicy, Decision, Facts, UseVerdict};
use lagom::policy::{CheckedPolicy, RuleEffect};
use lagom::source::{FileId, SourceFile};
use lagom::synth::Corpus;

/// What lagom decided for one campaign: the reference the other engines must match.
#[derive(Clone, Debug)]
pub struct Expected {
    /// Per use, in file order: allow or block, and the deciding rules' names.
    pub uses: Vec<(Decision, Vec<String>)>,
    /// Names of the campaign-level deny rules that applied.
    pub campaign_rules: Vec<String>,
}

impl Expected {
    /// True when a campaign-level deny rule applied.
    pub fn campaign_blocked(&self) -> bool {
        !self.campaign_rules.is_empty()
    }
}

/// A generated policy and campaigns, loaded into lagom.
pub struct Workload {
    /// Rules in the policy.
    pub rules: usize,
    /// The generator.
    pub corpus: Corpus,
    /// The compiled policy, warn rules included (what `lagom check` runs).
    pub policy: CompiledPolicy,
    /// The same policy without its warn rules: the rule set Cedar and Rego get.
    pub lean: CompiledPolicy,
    /// The campaigns, read and checked.
    pub campaigns: Vec<Campaign>,
    /// lagom's decisions (full policy), per campaign.
    pub expected: Vec<Expected>,
}

impl Workload {
    /// Generates and loads a policy of `rules` rules and `campaigns` campaigns.
    pub fn new(rules: usize, campaigns: usize, seed: u64) -> Result<Workload, String> {
        let corpus = Corpus::new(rules, seed);
        let checked = load(&corpus)?;
        let lean = CompiledPolicy::new(without_warnings(checked.clone()));
        let policy = CompiledPolicy::new(checked);
        let mut read = Vec::with_capacity(campaigns);
        for i in 0..campaigns {
            let text = corpus.campaign(i);
            let file = SourceFile::new("c.yaml", text.as_str());
            let c = lagom::campaign::read(FileId(0), &file, &policy.policy)
                .map_err(|e| format!("generated campaign {i} is invalid: {:?}", e.problems))?;
            read.push(c);
        }
        let expected = read.iter().map(|c| expected(&policy, c)).collect();
        Ok(Workload { rules, corpus, policy, lean, campaigns: read, expected })
    }

    /// Uses in all campaigns.
    pub fn use_count(&self) -> usize {
        self.campaigns.iter().map(|c| c.data.len()).sum()
    }

    /// Uses per campaign.
    pub fn uses_per_campaign(&self) -> Vec<usize> {
        self.campaigns.iter().map(|c| c.data.len()).collect()
    }
}

/// Parses, checks and compiles the corpus's policy (what lagom's policy load does).
pub fn load(corpus: &Corpus) -> Result<CheckedPolicy, String> {
    lagom::policy::load_texts(corpus.policy_texts())
        .map_err(|e| format!("generated policy is invalid: {:?}", e.problems))
}

/// The policy with its warn rules removed. Rules stay sorted by name, so rule ids stay dense.
pub fn without_warnings(mut policy: CheckedPolicy) -> CheckedPolicy {
    policy.rules.retain(|r| r.effect != RuleEffect::Warn);
    policy
}

fn expected(policy: &CompiledPolicy, c: &Campaign) -> Expected {
    let d = policy.decide(c);
    let names = |ids: &[lagom::policy::RuleId]| policy.policy.rule_names(ids);
    Expected {
        uses: d.uses.iter().map(|u| (u.outcome.decision(), names(u.outcome.rules()))).collect(),
        campaign_rules: names(&d.campaign_rules),
    }
}

/// lagom's hot path for one campaign, as in the `verdict/prepared` benchmark: the campaign's
/// memoised conditions are forgotten, then every use is decided into a reused buffer, then the
/// campaign-level rules. Returns the number of blocked uses plus 1 if a campaign rule blocked.
pub fn lagom_decide(policy: &CompiledPolicy, facts: &Facts, v: &mut UseVerdict, cv: &mut CampaignVerdict) -> usize {
    facts.forget_memo();
    let mut blocked = 0;
    for i in 0..facts.use_count() {
        policy.decide_use(facts, i, v);
        blocked += usize::from(v.decision() == Decision::Block);
    }
    policy.decide_campaign_rules(facts, cv);
    blocked + usize::from(cv.blocked())
}

/// lagom's per-use decisions and campaign-level block through the hot path (to check that the
/// lean policy decides like the full one).
pub fn lagom_decisions(policy: &CompiledPolicy, c: &Campaign) -> (Vec<Decision>, bool) {
    let facts = policy.facts(c);
    let mut v = UseVerdict::default();
    let mut out = Vec::with_capacity(facts.use_count());
    for i in 0..facts.use_count() {
        policy.decide_use(&facts, i, &mut v);
        out.push(v.decision());
    }
    let mut cv = CampaignVerdict::default();
    policy.decide_campaign_rules(&facts, &mut cv);
    (out, cv.blocked())
}
