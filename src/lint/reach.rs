//! Categories and purposes that no rule reaches: no rule names them or anything above them,
//! and no rule says `*` on that side. Every use of such a category (or for such a purpose) is
//! blocked by default and explained by no rule. A policy with a catch-all rule (`* for *`)
//! reaches everything, so it never gets this warning.

use fixedbitset::FixedBitSet;

use super::{category_cover, purpose_cover};
use crate::diagnostic::{Code, Problem};
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::policy::{CheckedPolicy, RuleScope};

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    let mut cats = FixedBitSet::with_capacity(policy.categories.len());
    let mut purps = FixedBitSet::with_capacity(policy.purposes.len());
    for rule in &policy.rules {
        match &rule.scope {
            RuleScope::Uses { categories, purposes } => {
                cats.union_with(&category_cover(policy, categories));
                purps.union_with(&purpose_cover(policy, purposes));
            }
            RuleScope::Campaign { purposes } => purps.union_with(&purpose_cover(policy, purposes)),
        }
    }
    unreached(&policy.categories, &cats, ("category", "categories"), out);
    unreached(&policy.purposes, &purps, ("purpose", "purposes"), out);
}

/// One warning per unreached node; a node whose whole subtree is unreached speaks for it.
fn unreached<Id: TaxonId>(
    tax: &Taxonomy<Id>,
    reached: &FixedBitSet,
    (one, many): (&str, &str),
    out: &mut Vec<Problem>,
) {
    let mut said = FixedBitSet::with_capacity(tax.len());
    for id in tax.ids() {
        let bit = id.index() as usize;
        if reached.contains(bit) || said.contains(bit) {
            continue;
        }
        let Some(node) = tax.node(id) else { continue };
        let below = tax.descendant_bits(id);
        let whole = below.is_disjoint(reached);
        let under = if whole { below.count_ones(..) - 1 } else { 0 };
        if whole {
            said.union_with(&below);
        }
        let also = match under {
            0 => String::new(),
            1 => format!(" (nor the {one} under it)"),
            n => format!(" (nor the {n} {many} under it)"),
        };
        // A parent whose children rules reach: removing it would remove them.
        let help = if whole {
            format!(
                "every use of it is blocked by default and no rule explains why; name it (or a {one} above it) in a rule, or remove it if it is not needed"
            )
        } else {
            format!(
                "rules reach only the {many} under it: a use that names `{path}` itself is blocked by default and no \
                 rule explains why; name `{path}` in a rule if campaigns may use it as it is, or keep it as a group and \
                 add `# lagom: ignore unreached` above it (removing it would remove the {many} under it)",
                path = node.path
            )
        };
        out.push(
            Problem::at(
                Code::Unreached,
                node.span,
                format!("no rule reaches {one} `{}`{also}", node.path),
                "no rule names this or anything above it",
            )
            .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages;
    use crate::diagnostic::Code;

    #[test]
    fn nodes_no_rule_names_are_reported_once_per_subtree() {
        let m = messages(
            Code::Unreached,
            "rule a { allow contact.email for marketing }\nrule b { deny special for analytics }\n",
        );
        assert_eq!(
            m,
            [
                "no rule reaches category `contact`",
                "no rule reaches category `contact.phone`",
                "no rule reaches category `behaviour` (nor the category under it)",
            ]
        );
    }

    /// `contact` unreached while `contact.email` is allowed: removing `contact` would remove
    /// `contact.email`, so the help does not say to.
    #[test]
    fn a_parent_of_reached_nodes_is_not_told_to_be_removed() {
        let found = super::super::testing::warnings(Code::Unreached, "rule a { allow contact.email for * }\n");
        let contact = found.iter().find(|p| p.message == "no rule reaches category `contact`").unwrap();
        let help = contact.help.as_deref().unwrap_or("");
        assert!(help.starts_with("rules reach only the categories under it"), "{help}");
        assert!(help.contains("`# lagom: ignore unreached`") && !help.contains("if it is not needed"), "{help}");
        // A whole subtree no rule reaches may still be removed.
        let other = found.iter().find(|p| p.message.starts_with("no rule reaches category `behaviour`")).unwrap();
        assert!(other.help.as_deref().is_some_and(|h| h.ends_with("or remove it if it is not needed")));
    }

    #[test]
    fn campaign_rules_reach_purposes_and_star_reaches_everything() {
        assert!(messages(
            Code::Unreached,
            "rule a { allow * for marketing }\nrule b { warn campaign for analytics }\n"
        )
        .is_empty());
        let m = messages(Code::Unreached, "rule a { allow * for marketing.newsletter }\n");
        assert_eq!(
            m,
            [
                "no rule reaches purpose `marketing`",
                "no rule reaches purpose `marketing.profiling`",
                "no rule reaches purpose `analytics` (nor the purpose under it)",
            ]
        );
    }
}
