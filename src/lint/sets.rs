//! Sets that no rule uses: no condition names them, directly or through the sets that
//! include them.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Problem};
use crate::policy::CheckedPolicy;

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    // Sets cannot include each other in a circle (that is an error), so this terminates.
    let mut used: BTreeSet<&str> =
        policy.set_uses.iter().filter(|(_, u)| !u.rules.is_empty()).map(|(s, _)| s.as_str()).collect();
    loop {
        let more: Vec<&str> = policy
            .set_uses
            .iter()
            .filter(|(s, u)| !used.contains(s.as_str()) && u.sets.iter().any(|t| used.contains(t.as_str())))
            .map(|(s, _)| s.as_str())
            .collect();
        if more.is_empty() {
            break;
        }
        used.extend(more);
    }
    for (name, (_, span)) in &policy.sets {
        if used.contains(name.as_str()) {
            continue;
        }
        let includers: Vec<String> =
            policy.set_uses.get(name).map(|u| u.sets.iter().map(|s| format!("`{s}`")).collect()).unwrap_or_default();
        let message = if includers.is_empty() {
            format!("set `{name}` is never used")
        } else {
            format!("set `{name}` is only used by {}, which no rule uses", includers.join(", "))
        };
        out.push(
            Problem::at(Code::UnusedSet, *span, message, "not used by any rule")
                .with_help("use it in a rule's condition (e.g. `audience.regions within NAME`), or remove it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::warnings;
    use crate::diagnostic::Code;

    fn messages(rules: &str) -> Vec<String> {
        warnings(Code::UnusedSet, rules).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn sets_no_rule_uses_are_reported() {
        let rules = "set eea = [SE, DK]\nset nordic = [eea, NO]\nset spare = [x]\n\
                     rule r { deny * for * when audience.regions within [FR] }\n";
        assert_eq!(
            messages(rules),
            [
                "set `eea` is only used by `nordic`, which no rule uses",
                "set `nordic` is never used",
                "set `spare` is never used"
            ]
        );
    }

    #[test]
    fn sets_used_directly_or_through_a_used_set_are_not_reported() {
        let rules = "set eea = [SE, DK]\nset nordic = [eea, NO]\nset tiers = [gold]\n\
                     rule r { deny * for * when audience.regions within nordic and labels.tier in [tiers, x] }\n";
        assert!(messages(rules).is_empty());
    }
}
