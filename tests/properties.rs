//! Property tests: the order of rules and of policy files never changes a decision.

mod common;

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

fn targets(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
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

fn condition(campaign_level: bool) -> impl Strategy<Value = Option<String>> {
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

fn rule_body() -> impl Strategy<Value = String> {
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

fn campaign() -> impl Strategy<Value = String> {
    let data_use = (
        prop::sample::select(USE_CATEGORIES.to_vec()),
        prop::option::of(prop::sample::select(USE_PURPOSES.to_vec())),
        prop::option::of(1u64..30),
    )
        .prop_map(|(c, p, r)| {
            let mut s = format!("  - category: {c}\n");
            if let Some(p) = p {
                s.push_str(&format!("    purpose: {p}\n"));
            }
            if let Some(r) = r {
                s.push_str(&format!("    retention: {r} months\n"));
            }
            s
        });
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
            0..4,
        ),
    )
        .prop_map(|(purpose, basis, uses, extras)| {
            let mut seen = std::collections::BTreeSet::new();
            let extras: String =
                extras.into_iter().filter(|e| seen.insert(e.split(':').next().unwrap_or(""))).collect();
            format!(
                "campaign: c\npurpose: {purpose}\nbasis: {basis}\n{extras}data:\n{}",
                if uses.is_empty() { "  []\n".to_string() } else { uses.concat() }
            )
        })
        .prop_map(|s| s.replace("data:\n  []\n", "data: []\n"))
}

fn compile(files: &[(String, String)]) -> CompiledPolicy {
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
fn named(p: &CompiledPolicy, d: &CampaignDecision) -> String {
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

fn decide(p: &CompiledPolicy, yaml: &str) -> String {
    let mut sources = p.policy.sources.clone();
    let file = SourceFile::new("c.yaml", yaml);
    let id = sources.add(file.clone());
    let c = lagom::campaign::read(id, &file, &p.policy).unwrap_or_else(|e| panic!("{:?}\n{yaml}", e.problems));
    named(p, &p.decide(&c))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn rule_and_file_order_never_change_a_decision(
        bodies in prop::collection::vec(rule_body(), 1..10),
        campaigns in prop::collection::vec(campaign(), 1..4),
        perm in any::<prop::sample::Index>(),
        split in 1usize..4,
    ) {
        let rules: Vec<String> = bodies.iter().enumerate().map(|(i, b)| format!("rule r{i} {{\n  {b}\n}}\n")).collect();
        let one_file = vec![("p.policy".to_string(), format!("{}{}", common::BASE, rules.concat()))];
        // The same rules, rotated and reversed, spread over several files named so that
        // their sorted order differs from the original order.
        let mut shuffled = rules.clone();
        shuffled.rotate_left(perm.index(rules.len()));
        shuffled.reverse();
        let mut files = vec![("zz-vocab.policy".to_string(), common::BASE.to_string())];
        for (i, chunk) in shuffled.chunks(split).enumerate() {
            files.push((format!("{:02}-rules.policy", 99 - i), chunk.concat()));
        }
        let a = compile(&one_file);
        let b = compile(&files);
        for c in &campaigns {
            prop_assert_eq!(decide(&a, c), decide(&b, c));
        }
    }
}
