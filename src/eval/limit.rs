//! A bound on the size of one campaign's decision. Every (use, rule) pair that puts a use in
//! the scope of a deny, warn or retain rule may become a finding that the decision holds and
//! every report writes, so a 560 KB campaign of 18,000 uses against 500 warn rules for `*`
//! held nine million findings: 4 GB of memory, and an abort when the system refused more. The
//! pairs are counted from the rule index before anything is decided, so the bound costs one
//! index lookup per use.

use super::CompiledPolicy;
use crate::campaign::Campaign;
use crate::source::Span;

/// The most (use, rule) pairs a campaign's uses may put in the scope of deny, warn and retain
/// rules. At this many, with every rule applying, `lagom check --format json` peaks at about
/// 190 MB and `explain --format json` at about 450 MB. A campaign lists tens of uses: a
/// thousand uses against the 10,000-rule benchmark policy (7.6 such rules per use) make 7,600.
pub const MAX_CAMPAIGN_PAIRS: usize = 100_000;

/// A campaign whose uses pass [`MAX_CAMPAIGN_PAIRS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The use at which the count passes the limit.
    pub at: Span,
    /// How many uses come before it.
    pub uses_before: usize,
}

impl CompiledPolicy {
    /// Where `campaign` passes [`MAX_CAMPAIGN_PAIRS`], if it does. A use without an effective
    /// purpose counts for nothing (the reader refuses such a campaign).
    pub fn too_large(&self, campaign: &Campaign) -> Option<TooLarge> {
        let mut pairs = 0usize;
        for (i, u) in campaign.data.iter().enumerate() {
            let Some(purpose) = u.purpose.as_ref().or(campaign.purpose.as_ref()) else { continue };
            let (checks, _, _) = self.index.candidates(u.category.value.0, purpose.value.0);
            pairs = pairs.saturating_add(checks.len());
            if pairs > MAX_CAMPAIGN_PAIRS {
                return Some(TooLarge { at: u.span, uses_before: i });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::MAX_CAMPAIGN_PAIRS;
    use crate::eval::CompiledPolicy;
    use crate::policy::{load_texts, PolicyText};
    use crate::source::{FileId, SourceFile};

    /// A policy of `warns` warn rules for every use.
    fn policy(warns: usize) -> CompiledPolicy {
        let mut text = String::from("basis consent\ncategory c\npurpose p\nrule ok { allow * for * }\n");
        for i in 0..warns {
            text.push_str(&format!("rule w{i} {{ warn * for * because \"b\" }}\n"));
        }
        let file = PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes: text.into_bytes() };
        CompiledPolicy::new(load_texts(vec![file]).unwrap())
    }

    fn campaign(policy: &CompiledPolicy, uses: usize) -> crate::campaign::Campaign {
        let yaml = format!("campaign: x\npurpose: p\nbasis: consent\ndata:\n{}", "  - category: c\n".repeat(uses));
        crate::campaign::read(FileId(1), &SourceFile::new("c.yaml", yaml), &policy.policy).unwrap()
    }

    #[test]
    fn a_campaign_is_too_large_at_the_use_that_passes_the_limit() {
        let policy = policy(100);
        let limit_uses = MAX_CAMPAIGN_PAIRS / 100;
        assert_eq!(policy.too_large(&campaign(&policy, limit_uses)), None);
        let large = campaign(&policy, limit_uses + 5);
        let found = policy.too_large(&large).unwrap();
        assert_eq!(found.uses_before, limit_uses);
        assert_eq!(found.at, large.data[limit_uses].span);
    }
}
