//! Fail-closed monotonicity (issue 7): more deny rules never unblock, more allow rules never
//! block, a missing fact never unblocks (unless the policy asks `is set`), and the JSON output
//! always parses with the shape of spec 4.1.

mod common;

use common::gen::{campaign, campaign_parts, compile, decide_full, rule_body};
use common::BASE;
use lagom::eval::{CampaignDecision, Decision};
use proptest::prelude::*;

fn policy(bodies: &[String], extra: Option<&str>) -> Vec<(String, String)> {
    let mut text = BASE.to_string();
    for (i, b) in bodies.iter().enumerate() {
        text.push_str(&format!("rule r{i} {{\n  {b}\n}}\n"));
    }
    if let Some(e) = extra {
        text.push_str(&format!("rule added {{\n  {e}\n}}\n"));
    }
    vec![("p.policy".to_string(), text)]
}

/// Every use and the campaign blocked under `a` are blocked under `b`.
fn blocks_kept(a: &CampaignDecision, b: &CampaignDecision) -> Result<(), TestCaseError> {
    if a.decision == Decision::Block {
        prop_assert_eq!(b.decision, Decision::Block);
    }
    prop_assert_eq!(a.uses.len(), b.uses.len());
    for (ua, ub) in a.uses.iter().zip(&b.uses) {
        if ua.outcome.decision() == Decision::Block {
            prop_assert_eq!(ub.outcome.decision(), Decision::Block, "use {}", ua.index);
        }
    }
    Ok(())
}

fn blocking_rule() -> impl Strategy<Value = String> {
    rule_body().prop_filter("deny or retain", |b| b.starts_with("deny") || b.starts_with("retain"))
}

fn allow_rule() -> impl Strategy<Value = String> {
    rule_body().prop_filter("allow", |b| b.starts_with("allow"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn adding_a_deny_or_retain_rule_never_turns_a_block_into_an_allow(
        bodies in prop::collection::vec(rule_body(), 0..8),
        added in blocking_rule(),
        c in campaign(),
    ) {
        let before = compile(&policy(&bodies, None));
        let after = compile(&policy(&bodies, Some(&added)));
        blocks_kept(&decide_full(&before, &c), &decide_full(&after, &c))?;
    }

    #[test]
    fn adding_an_allow_rule_never_turns_an_allow_into_a_block(
        bodies in prop::collection::vec(rule_body(), 0..8),
        added in allow_rule(),
        c in campaign(),
    ) {
        let before = decide_full(&compile(&policy(&bodies, None)), &c);
        let after = decide_full(&compile(&policy(&bodies, Some(&added))), &c);
        if before.decision == Decision::Allow {
            prop_assert_eq!(after.decision, Decision::Allow);
        }
        for (ub, ua) in before.uses.iter().zip(&after.uses) {
            if ub.outcome.decision() == Decision::Allow {
                prop_assert_eq!(ua.outcome.decision(), Decision::Allow);
            }
        }
    }

    #[test]
    fn removing_an_optional_fact_never_turns_a_block_into_an_allow(
        bodies in prop::collection::vec(rule_body(), 0..8),
        parts in campaign_parts(),
        pick in any::<prop::sample::Index>(),
        from_retention in any::<bool>(),
    ) {
        // The one exception the issue names: a policy that asks whether a field is set.
        prop_assume!(!bodies.iter().any(|b| b.contains("is set") || b.contains("is not set")));
        let p = compile(&policy(&bodies, None));
        let full = parts.render(None, None);
        let reduced = if from_retention && !parts.uses.is_empty() {
            parts.render(None, Some(pick.index(parts.uses.len())))
        } else if !parts.extras.is_empty() {
            parts.render(Some(pick.index(parts.extras.len())), None)
        } else {
            full.clone()
        };
        blocks_kept(&decide_full(&p, &full), &decide_full(&p, &reduced))?;
    }

    #[test]
    fn json_output_always_parses_and_has_the_shape_of_spec_4_1(
        bodies in prop::collection::vec(rule_body(), 0..8),
        campaigns in prop::collection::vec(campaign(), 1..3),
    ) {
        let p = compile(&policy(&bodies, None));
        let dir = tempfile::tempdir().unwrap();
        let inputs: Vec<lagom::batch::Input> = campaigns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let path = dir.path().join(format!("c{i}.yaml"));
                std::fs::write(&path, c.replace("campaign: c\n", &format!("campaign: c{i}\n"))).unwrap();
                lagom::batch::Input::Path(path)
            })
            .collect();
        let batch = lagom::batch::check(&p, &inputs);
        let json: serde_json::Value = serde_json::from_str(&lagom::report::json::render(&p, &batch)).unwrap();
        prop_assert_eq!(&json["version"], 1);
        prop_assert!(json["policy"]["digest"].as_str().unwrap().starts_with("sha256:"));
        let listed = json["campaigns"].as_array().unwrap();
        prop_assert_eq!(listed.len(), campaigns.len());
        let mut counts = [0u64; 3];
        for c in listed {
            let d = c["decision"].as_str().unwrap();
            counts[["allow", "block", "invalid"].iter().position(|x| *x == d).unwrap()] += 1;
            for u in c["uses"].as_array().unwrap() {
                let rules: Vec<&str> = u["rules"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
                let mut sorted = rules.clone();
                sorted.sort();
                sorted.dedup();
                prop_assert_eq!(rules, sorted, "rule lists are sorted and name each rule once");
                prop_assert!(["allow", "block"].contains(&u["decision"].as_str().unwrap()));
            }
        }
        let s = &json["summary"];
        prop_assert_eq!([s["allowed"].as_u64().unwrap(), s["blocked"].as_u64().unwrap(), s["invalid"].as_u64().unwrap()], counts);
    }
}
