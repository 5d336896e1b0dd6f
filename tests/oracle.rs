//! The compiled evaluator against the plain one (`lagom::eval::oracle`): on random policies and
//! campaigns, and on generated corpora, both return exactly the same decision, findings included.

mod common;

use common::gen::targets;
use lagom::eval::{oracle, CompiledPolicy};
use lagom::policy::{load_texts, PolicyText};
use lagom::source::{FileId, SourceFile};
use proptest::prelude::*;

const CATEGORIES: [&str; 9] = [
    "*",
    "contact",
    "contact.email",
    "contact.phone",
    "behavior",
    "behavior.browsing",
    "behavior.purchase_history",
    "special",
    "special.health",
];
const PURPOSES: [&str; 6] =
    ["*", "marketing", "marketing.newsletter", "marketing.profiling", "analytics", "analytics.measurement"];
const USE_CATEGORIES: [&str; 7] = [
    "contact.email",
    "contact.phone",
    "behavior.purchase_history",
    "behavior.browsing",
    "special.health",
    "contact",
    "special",
];
const USE_PURPOSES: [&str; 5] =
    ["marketing.newsletter", "marketing.profiling", "analytics.measurement", "marketing", "analytics"];

/// Tests valid in every rule.
const ATOMS: [&str; 60] = [
    "basis == consent",
    "basis != contract",
    "basis in [consent, legitimate_interests]",
    "basis not in [contract]",
    "purpose == marketing.newsletter",
    "purpose under marketing",
    "purpose in [analytics.measurement, marketing]",
    "purpose is set",
    "audience.min_age >= 18",
    "audience.min_age < 16",
    "audience.min_age == 21",
    "audience.min_age is not set",
    "audience.regions within eea",
    "audience.regions overlaps [US]",
    "audience.regions contains SE",
    "audience.regions is empty",
    "audience.regions is not empty",
    "audience.subjects contains customer",
    "audience.segments contains \"vip\"",
    "channels contains email",
    "channels overlaps [email, sms]",
    "channels within [email]",
    "security.encryption contains at_rest",
    "security.access is set",
    "security.monitoring",
    "rights.unsubscribe",
    "rights.contact is set",
    "rights.erasure == \"privacy@x.example\"",
    "consent.source is not set",
    "consent.double_opt_in",
    "consent.withdrawal in [one-click-link, app-settings]",
    "owner == growth",
    "owner != \"growth\"",
    "name == \"Spring sale\"",
    "campaign == c",
    "labels.brand == acme",
    "labels.brand == zenith",
    "labels.brand == zenith and owner == growth",
    "owner == brand",
    "labels.tier is set",
    "labels.tier == \"07\"",
    "labels.tier in [\"07\", gold]",
    "any processors (dpa == true)",
    "all processors (region in eea or safeguard == scc)",
    "any processors (name == \"A\" and not dpa)",
    "all processors (safeguard is set)",
    "processors is empty",
    "any data (category under special)",
    "all data (retention <= 12 months)",
    "any data (purpose under analytics and basis == consent)",
    "data is empty",
    "any data (source is not set)",
    "all data (category == contact.email or retention > 1 year)",
    "any data (basis == contract and not (retention is set))",
    "not (any processors (region == US))",
    // Texts the policy has as literals (growth, 07) and texts it does not (dpo@x.example, B).
    "owner matches \"^gro\"",
    "labels.tier matches \"^[0-9]+$\"",
    "rights.contact matches \"^dpo@\"",
    "any processors (name matches \"^B$\")",
    "not consent.source matches \"(?i)FORM\"",
];
/// Tests of per-use fields.
const USE_ATOMS: [&str; 13] = [
    "category == contact.email",
    "category under special",
    "category not in [contact.phone, behavior]",
    "retention <= 12 months",
    "retention > 2 years",
    "retention == 365 days",
    "retention is set",
    "source == crm",
    "source is set",
    "source in [crm, \"web form\"]",
    "category under contact and retention < 6 months",
    "source matches \"^part\"",
    "source matches \" \"",
];

fn expr(campaign_level: bool) -> impl Strategy<Value = String> {
    let pool: Vec<&'static str> =
        if campaign_level { ATOMS.to_vec() } else { ATOMS.iter().chain(USE_ATOMS.iter()).copied().collect() };
    let atom = prop::sample::select(pool);
    let leaf = (atom, any::<bool>()).prop_map(|(a, neg)| if neg { format!("not ({a})") } else { a.to_string() });
    leaf.prop_recursive(3, 8, 3, |inner| {
        (prop::collection::vec(inner, 2..4), prop::sample::select(vec!["and", "or"]), any::<bool>()).prop_map(
            |(parts, op, neg)| {
                let joined = parts.iter().map(|p| format!("({p})")).collect::<Vec<_>>().join(&format!(" {op} "));
                if neg {
                    format!("not ({joined})")
                } else {
                    joined
                }
            },
        )
    })
}

fn rule_body() -> impl Strategy<Value = String> {
    let effect = prop::sample::select(vec!["allow", "deny", "warn", "retain", "deny campaign", "warn campaign"]);
    effect.prop_flat_map(|effect| {
        let campaign = effect.ends_with("campaign");
        (
            targets(&CATEGORIES),
            targets(&PURPOSES),
            prop::option::of((prop::sample::select(vec!["when", "unless"]), expr(campaign))),
            1u64..40,
        )
            .prop_map(move |(c, p, cond, months)| {
                let head = match effect {
                    "retain" => format!("retain {c} for {p} at most {months} months"),
                    e if campaign => format!("{e} for {p}"),
                    e => format!("{e} {c} for {p}"),
                };
                let cond = cond.map(|(k, e)| format!("{k} {e}")).unwrap_or_default();
                format!("{head}\n  {cond}")
            })
    })
}

fn campaign() -> impl Strategy<Value = String> {
    let data_use = (
        prop::sample::select(USE_CATEGORIES.to_vec()),
        prop::option::of(prop::sample::select(USE_PURPOSES.to_vec())),
        prop::option::of(prop::sample::select(vec!["consent", "contract"])),
        prop::option::of(prop::sample::select(vec!["3 months", "12 months", "365 days", "2 years", "25 months"])),
        prop::option::of(prop::sample::select(vec!["crm", "web form", "partner"])),
    )
        .prop_map(|(c, p, b, r, s)| {
            let mut out = format!("  - category: {c}\n");
            for (key, v) in [("purpose", p), ("basis", b), ("retention", r), ("source", s)] {
                if let Some(v) = v {
                    out.push_str(&format!("    {key}: {v}\n"));
                }
            }
            out
        });
    let section = prop::sample::select(vec![
        "owner: growth\n",
        "owner: \"growth \"\n",
        "name: Spring sale\n",
        "channels: [email]\n",
        "channels: [email, display]\n",
        "channels: []\n",
        "audience:\n  min_age: 21\n  regions: [SE, DK]\n  segments: [vip]\n",
        "audience:\n  min_age: 15\n  regions: [SE, US]\n  subjects: [customer]\n",
        "audience:\n  regions: []\n  subjects: []\n",
        "consent:\n  source: form\n  double_opt_in: true\n  withdrawal: one-click-link\n",
        "consent:\n  double_opt_in: false\n  withdrawal: letter\n",
        "processors:\n  - name: A\n    region: US\n    dpa: false\n  - name: B\n    region: SE\n    safeguard: scc\n    dpa: true\n",
        "processors:\n  - name: A\n    region: SE\n",
        "processors: []\n",
        "security:\n  encryption: [at_rest]\n  access: [admin]\n  monitoring: true\n",
        "security:\n  monitoring: false\n",
        "rights:\n  unsubscribe: true\n  contact: dpo@x.example\n  erasure: privacy@x.example\n",
        "rights:\n  unsubscribe: false\n",
        "labels:\n  brand: acme\n  tier: 07\n",
        "labels:\n  tier: gold\n",
        "labels:\n  brand: zenith\n",
        "labels:\n  brand: other\n  tier: gold\n",
    ]);
    (
        prop::sample::select(USE_PURPOSES.to_vec()),
        prop::sample::select(vec!["consent", "legitimate_interests", "contract"]),
        prop::collection::vec(data_use, 0..5),
        prop::collection::vec(section, 0..7),
    )
        .prop_map(|(purpose, basis, uses, sections)| {
            let mut seen = std::collections::BTreeSet::new();
            let extras: String =
                sections.into_iter().filter(|s| seen.insert(s.split(':').next().unwrap_or(""))).collect();
            let data = if uses.is_empty() { "data: []\n".to_string() } else { format!("data:\n{}", uses.concat()) };
            format!("campaign: c\npurpose: {purpose}\nbasis: {basis}\n{extras}{data}")
        })
}

fn compile(texts: Vec<PolicyText>) -> [CompiledPolicy; 2] {
    both_layouts(CompiledPolicy::new(load_texts(texts).unwrap_or_else(|e| panic!("{:?}", e.problems))))
}

/// The policy compiled with (category, purpose) cells, as for a batch, and with the
/// per-category index, as for a few campaigns (unless it has no per-use rule to index).
fn both_layouts(cells: CompiledPolicy) -> [CompiledPolicy; 2] {
    let by_category = CompiledPolicy::for_campaigns(cells.policy.clone(), 1);
    assert!(cells.indexes_cells());
    assert!(!by_category.indexes_cells() || by_category.index_entries() == 0);
    [cells, by_category]
}

/// Reads a campaign and checks that the compiled evaluator, on either index, agrees with the
/// plain one, and that its standing (decision and warnings without findings) agrees with its
/// decision.
fn agree(layouts: &[CompiledPolicy; 2], yaml: &str) -> Result<(), TestCaseError> {
    for p in layouts {
        let file = SourceFile::new("c.yaml", yaml);
        let c =
            lagom::campaign::read(FileId(99), &file, &p.policy).unwrap_or_else(|e| panic!("{:?}\n{yaml}", e.problems));
        let fast = p.decide(&c);
        prop_assert_eq!(p.standing(&c), fast.standing(), "standing of campaign:\n{}", yaml);
        // The hot path names the campaign-level rules the decision gives, deny and warn alike.
        let mut verdict = lagom::eval::CampaignVerdict::default();
        p.decide_campaign_rules(&p.facts(&c), &mut verdict);
        let mut applied: Vec<_> = verdict.applied().map(|(rule, _)| rule).collect();
        applied.sort_unstable();
        let mut decided: Vec<_> = fast.campaign_rules.iter().chain(&fast.campaign_warnings).copied().collect();
        decided.sort_unstable();
        prop_assert_eq!(applied, decided, "campaign-level rules of campaign:\n{}", yaml);
        let slow = oracle::decide(&p.policy, &c);
        prop_assert_eq!(fast, slow, "campaign:\n{}", yaml);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn compiled_and_plain_evaluators_agree(
        bodies in prop::collection::vec(rule_body(), 1..14),
        campaigns in prop::collection::vec(campaign(), 1..5),
    ) {
        let rules: String = bodies.iter().enumerate().map(|(i, b)| format!("rule r{i} {{\n  {b}\n}}\n")).collect();
        let p = both_layouts(common::gen::compile(&[("p.policy".to_string(), format!("{}{rules}", common::BASE))]));
        for c in &campaigns {
            agree(&p, c)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn evaluators_agree_on_generated_corpora(seed in any::<u64>(), rules in 1usize..400) {
        let corpus = lagom::synth::Corpus::new(rules, seed);
        let p = compile(corpus.policy_texts());
        for i in 0..16 {
            agree(&p, &corpus.campaign(i))?;
        }
    }
}

#[test]
fn evaluators_agree_on_a_thousand_rule_corpus() {
    let corpus = lagom::synth::Corpus::new(1000, 1);
    let p = compile(corpus.policy_texts());
    for i in 0..40 {
        agree(&p, &corpus.campaign(i)).unwrap();
    }
}

/// `matches` on every kind of text the compiled evaluator holds: a policy literal (`growth`,
/// which `owner == growth` interns), a campaign's own text, a label, a use's source and a
/// processor's name, each matching and not. Random policies rarely pair a pattern with the
/// literal it matches, so the plain evaluator checks these on purpose.
#[test]
fn evaluators_agree_on_matches_over_literals_and_campaign_texts() {
    let rules = "rule lit { warn campaign for * when owner == growth }\n\
                 rule own { allow contact for marketing when owner matches \"^gro\" }\n\
                 rule label { warn campaign for * when not labels.tier matches \"^[0-9]+$\" }\n\
                 rule src { deny contact for * when source matches \"(?i)^PART\" }\n\
                 rule proc { deny campaign for * when any processors (name matches \"^B$\") }\n";
    let p = both_layouts(common::gen::compile(&[("p.policy".to_string(), format!("{}{rules}", common::BASE))]));
    for owner in ["growth", "grocer", "crm"] {
        for tier in ["07", "gold"] {
            for (source, name) in [("partner", "B"), ("crm", "A")] {
                let yaml = format!(
                    "campaign: c\npurpose: marketing.newsletter\nbasis: consent\nowner: {owner}\nlabels:\n  tier: \"{tier}\"\n\
                     processors:\n  - name: {name}\ndata:\n  - category: contact.email\n    source: {source}\n"
                );
                agree(&p, &yaml).unwrap();
            }
        }
    }
}
