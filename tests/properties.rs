//! Property tests: the order of rules and of policy files never changes a decision.

mod common;

use common::gen::{campaign, compile, decide, rule_body};
use proptest::prelude::*;

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
