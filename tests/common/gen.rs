//! Generators of random policies and campaigns over the test vocabulary, shared by the
//! property tests.

use lagom::eval::{CampaignDecision, CompiledPolicy};
use lagom::policy::{load_texts, PolicyText};
use lagom::source::SourceFile;
use proptest::prelude::*;

const CATEGORIES: [&str; 8] =
    ["*", "contact", "contact.email", "contact.phone", "behavior", "behavior.browsing", "special", "special.health"];
const PURPOSES: [&str; 6] =
    ["*", "marketing", "marketing.newsletter", "marketing.profiling", "analytics", "analytics.measurement"];
const USE_CATEGORIES: [&str; 6] =
    ["contact.email", "contact.phone", "behavior.purchase_history", "behavior.browsing", "special.health", "contact"];
const USE_PURPOSES: [&str; 4] = ["marketing.newsletter", "marketing.profiling", "analytics.measurement", "marketing"];
const CONDITIONS: [&str; 12] = [
    "basis == consent",
    "audience.min_age >= 18",
    "security.encryption contains at_rest",
    "rights.unsubscribe",
    "consent.source is set",
    "audience.regions within eea",
    "any processors (dpa == true)",
    "all processors (region in eea or safeguard == scc)",
    "channels overlaps [email, sms]",
    "purpose under marketing",
    "any data (category under special)",
    "audience.subjects is empty",
];
const USE_CONDITIONS: [&str; 3] = ["retention <= 12 months", "category under contact", "source == crm"];

pub fn targets(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pool), 1..3).prop_map(|v| {
        if v.contains(&"*") {
            "*".to_string()
        } else {
            let mut v: Vec<&str> = v;
            v.sort();
            v.dedup();
            v.join(", ")
        }
    })
}

pub fn condition(campaign_level: bool) -> impl Strategy<Value = Option<String>> {
    let pool: Vec<&'static str> = if campaign_level {
        CONDITIONS.to_vec()
    } else {
        CONDITIONS.iter().chain(USE_CONDITIONS.iter()).copied().collect()
    };
    let atom = prop::sample::select(pool);
    let expr = (atom.clone(), prop::option::of((prop::sample::select(vec!["and", "or"]), atom)), any::<bool>())
        .prop_map(|(a, rest, negate)| {
            let e = match rest {
                Some((op, b)) => format!("{a} {op} {b}"),
                None => a.to_string(),
            };
            if negate {
                format!("not ({e})")
            } else {
                e
            }
        });
    prop::option::of((prop::sample::select(vec!["when", "unless"]), expr).prop_map(|(k, e)| format!("{k} {e}")))
}

pub fn rule_body() -> impl Strategy<Value = String> {
    let effect = prop::sample::select(vec!["allow", "deny", "warn", "retain", "deny campaign", "warn campaign"]);
    effect.prop_flat_map(|effect| {
        let campaign = effect.ends_with("campaign");
        (targets(&CATEGORIES), targets(&PURPOSES), condition(campaign), 1u64..40).prop_map(
            move |(c, p, cond, months)| {
                let head = match effect {
                    "retain" => format!("retain {c} for {p} at most {months} months"),
                    e if campaign => format!("{e} for {p}"),
                    e => format!("{e} {c} for {p}"),
                };
                format!("{head}\n  {}", cond.unwrap_or_default())
            },
        )
    })
}

/// A campaign in parts, so that a test can render it with one fact removed.
#[derive(Clone, Debug)]
pub struct CampaignParts {
    /// The campaign purpose.
    pub purpose: &'static str,
    /// The campaign basis.
    pub basis: &'static str,
    /// Uses: category, purpose override, retention in months.
    pub uses: Vec<(&'static str, Option<&'static str>, Option<u64>)>,
    /// Optional top-level sections, each under a distinct key.
    pub extras: Vec<&'static str>,
}

impl CampaignParts {
    /// The YAML text, without the extra section `skip_extra` and without the retention of
    /// use `skip_retention`.
    pub fn render(&self, skip_extra: Option<usize>, skip_retention: Option<usize>) -> String {
        let extras: String =
            self.extras.iter().enumerate().filter(|(i, _)| Some(*i) != skip_extra).map(|(_, e)| *e).collect();
        let mut uses = String::new();
        for (i, (c, p, r)) in self.uses.iter().enumerate() {
            uses.push_str(&format!("  - category: {c}\n"));
            if let Some(p) = p {
                uses.push_str(&format!("    purpose: {p}\n"));
            }
            if let Some(r) = r.filter(|_| Some(i) != skip_retention) {
                uses.push_str(&format!("    retention: {r} months\n"));
            }
        }
        let data = if uses.is_empty() { "data: []\n".to_string() } else { format!("data:\n{uses}") };
        format!("campaign: c\npurpose: {}\nbasis: {}\n{extras}{data}", self.purpose, self.basis)
    }
}

/// Campaigns in parts.
pub fn campaign_parts() -> impl Strategy<Value = CampaignParts> {
    let data_use = (
        prop::sample::select(USE_CATEGORIES.to_vec()),
        prop::option::of(prop::sample::select(USE_PURPOSES.to_vec())),
        prop::option::of(1u64..30),
    );
    (
        prop::sample::select(USE_PURPOSES.to_vec()),
        prop::sample::select(vec!["consent", "legitimate_interests", "contract"]),
        prop::collection::vec(data_use, 0..4),
        prop::collection::vec(
            prop::sample::select(vec![
                "audience:\n  min_age: 21\n  regions: [SE, DK]\n",
                "audience:\n  min_age: 15\n  regions: [SE, US]\n  subjects: []\n",
                "security:\n  encryption: [at_rest]\n",
                "rights:\n  unsubscribe: true\n",
                "consent:\n  source: form\n",
                "processors:\n  - name: A\n    region: US\n    dpa: true\n",
                "processors: []\n",
                "channels: [email]\n",
            ]),
            0..5,
        ),
    )
        .prop_map(|(purpose, basis, uses, extras)| {
            let mut seen = std::collections::BTreeSet::new();
            let extras = extras.into_iter().filter(|e| seen.insert(e.split(':').next().unwrap_or(""))).collect();
            CampaignParts { purpose, basis, uses, extras }
        })
}

/// Campaign YAML texts.
pub fn campaign() -> impl Strategy<Value = String> {
    campaign_parts().prop_map(|c| c.render(None, None))
}

pub fn compile(files: &[(String, String)]) -> CompiledPolicy {
    let texts = files
        .iter()
        .map(|(name, text)| PolicyText {
            relative: name.clone(),
            display: name.clone(),
            bytes: text.clone().into_bytes(),
        })
        .collect();
    CompiledPolicy::new(load_texts(texts).unwrap_or_else(|e| panic!("{:?}\n{files:?}", e.problems)))
}

/// A decision with rule ids replaced by names, so decisions of different compilations compare.
pub fn named(p: &CompiledPolicy, d: &CampaignDecision) -> String {
    let name = |id: &lagom::policy::RuleId| p.policy.rule(*id).map(|r| r.name.clone()).unwrap_or_default();
    let uses: Vec<String> = d
        .uses
        .iter()
        .map(|u| {
            format!(
                "{}:{:?}:{:?}:{:?}",
                u.index,
                u.outcome.decision(),
                u.outcome.rules().iter().map(name).collect::<Vec<_>>(),
                u.warnings.iter().map(name).collect::<Vec<_>>()
            )
        })
        .collect();
    format!(
        "{:?} {uses:?} {:?} {:?}",
        d.decision,
        d.campaign_rules.iter().map(name).collect::<Vec<_>>(),
        d.campaign_warnings.iter().map(name).collect::<Vec<_>>()
    )
}

/// The typed decision of a campaign text.
pub fn decide_full(p: &CompiledPolicy, yaml: &str) -> CampaignDecision {
    let mut sources = p.policy.sources.clone();
    let file = SourceFile::new("c.yaml", yaml);
    let id = sources.add(file.clone());
    let c = lagom::campaign::read(id, &file, &p.policy).unwrap_or_else(|e| panic!("{:?}\n{yaml}", e.problems));
    p.decide(&c)
}

pub fn decide(p: &CompiledPolicy, yaml: &str) -> String {
    let mut sources = p.policy.sources.clone();
    let file = SourceFile::new("c.yaml", yaml);
    let id = sources.add(file.clone());
    let c = lagom::campaign::read(id, &file, &p.policy).unwrap_or_else(|e| panic!("{:?}\n{yaml}", e.problems));
    named(p, &p.decide(&c))
}
