//! The campaign-level rules by purpose, grouped so that a campaign visits one group per
//! distinct condition and, of the conditions guarded by `field == text`, only those whose text
//! is the campaign's value: the equality indexing OPA does for Rego rules.
//!
//! Large policies repeat a few campaign-level conditions across many rules (`unless
//! rights.unsubscribe` for every purpose) and vary the rest by brand or market
//! (`labels.brand == b07 and …`). Without grouping a campaign evaluated (or looked up) every
//! rule that covers one of its purposes: 81 per campaign in a generated 10,000-rule policy.

use foldhash::{HashMap, HashMapExt};

use super::facts::Facts;
use super::index::{Entry, GuardValue, Guards};
use super::program::Guard;

/// Rules with the same condition (and so the same memo slot and guard).
#[derive(Clone, Copy, Debug)]
pub(super) struct Group {
    /// The condition as an index entry holds it; its `rule` is the group's first rule.
    pub entry: Entry,
    /// The guard, for finding the groups whose guard holds.
    guard: Option<Guard>,
    /// Where the group's rules (in id order) are in [`CampaignIndex::rules`].
    start: u32,
    len: u32,
}

/// Where a purpose's groups are: unguarded ones, then guarded ones sorted by guard.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    start: u32,
    unguarded: u32,
    guarded: u32,
}

/// For each purpose, the campaign-level rules that cover it, grouped by condition.
#[derive(Clone, Debug, Default)]
pub(super) struct CampaignIndex {
    spans: Vec<Span>,
    groups: Vec<Group>,
    rules: Vec<u32>,
}

impl CampaignIndex {
    /// Groups each purpose's rules (given in id order, as index entries) by condition root
    /// (`None` for a rule without a condition). Purposes with the same rules share groups.
    pub(super) fn build(
        by_purpose: &[Vec<Entry>],
        root: impl Fn(u32) -> Option<u32>,
        guards: &Guards,
    ) -> CampaignIndex {
        let mut index = CampaignIndex::default();
        let mut seen: HashMap<Vec<u32>, Span> = HashMap::new();
        for entries in by_purpose {
            let key: Vec<u32> = entries.iter().map(|e| e.rule).collect();
            if let Some(&span) = seen.get(&key) {
                index.spans.push(span);
                continue;
            }
            // Rules with one condition root share its guard and memo slot, so they form one
            // group. Groups start in order of their first rule, so that output order never
            // depends on hashing; guarded ones are then sorted by guard for the binary search.
            let mut groups: Vec<(Option<Guard>, Entry, Vec<u32>)> = Vec::new();
            let mut of_root: HashMap<Option<u32>, usize> = HashMap::new();
            for e in entries {
                let k = *of_root.entry(root(e.rule)).or_insert_with(|| {
                    groups.push((guards.get(e), *e, Vec::new()));
                    groups.len() - 1
                });
                if let Some((_, _, rules)) = groups.get_mut(k) {
                    rules.push(e.rule);
                }
            }
            groups.sort_by_key(|(g, e, _)| (g.map(|g| (g.field, g.sym)), e.rule));
            let start = index.groups.len() as u32;
            let unguarded = groups.iter().filter(|(g, _, _)| g.is_none()).count() as u32;
            for (guard, entry, rules) in groups {
                index.groups.push(Group { entry, guard, start: index.rules.len() as u32, len: rules.len() as u32 });
                index.rules.extend(rules);
            }
            let span = Span { start, unguarded, guarded: index.groups.len() as u32 - start - unguarded };
            seen.insert(key, span);
            index.spans.push(span);
        }
        index
    }

    /// The rules of a group, in id order.
    pub(super) fn rules(&self, g: &Group) -> &[u32] {
        self.rules.get(g.start as usize..(g.start + g.len) as usize).unwrap_or(&[])
    }

    /// Calls `visit` with each group of a purpose that the campaign's values do not refute by
    /// its guard: every unguarded group, and a guarded one when the campaign's value of its
    /// field is absent (the condition is unknown, not false) or equals its text.
    pub(super) fn visit(&self, purpose: u32, facts: &Facts, mut visit: impl FnMut(&Group)) {
        let Some(span) = self.spans.get(purpose as usize) else { return };
        let start = span.start as usize;
        let mid = start + span.unguarded as usize;
        let end = mid + span.guarded as usize;
        self.groups.get(start..mid).unwrap_or(&[]).iter().for_each(&mut visit);
        let mut guarded = self.groups.get(mid..end).unwrap_or(&[]);
        // One run of groups per guard field, sorted by text within the run.
        while let Some(field) = guarded.first().and_then(|g| g.guard).map(|g| g.field) {
            let run = guarded.partition_point(|g| g.guard.is_some_and(|g| g.field == field));
            let (this, rest) = guarded.split_at(run.max(1));
            guarded = rest;
            match Guards::value(field, facts) {
                GuardValue::Unknown => this.iter().for_each(&mut visit),
                GuardValue::Text(s) => {
                    let from = this.partition_point(|g| g.guard.is_some_and(|g| g.sym < s));
                    let matching = this.get(from..).unwrap_or(&[]);
                    let to = matching.partition_point(|g| g.guard.is_some_and(|g| g.sym == s));
                    matching.get(..to).unwrap_or(&[]).iter().for_each(&mut visit);
                }
                GuardValue::NoText => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::CompiledPolicy;
    use crate::policy::{load_texts, PolicyText};
    use crate::source::{FileId, SourceFile};

    const POLICY: &str = "basis consent\npurpose marketing\ncategory contact\n\
        rule a { deny campaign for marketing unless rights.unsubscribe }\n\
        rule b { warn campaign for marketing unless rights.unsubscribe }\n\
        rule c { deny campaign for marketing when labels.brand == acme and not rights.unsubscribe }\n\
        rule d { deny campaign for marketing when labels.brand == zenith }\n\
        rule e { warn campaign for marketing when labels.brand == zenith and channels contains sms }\n";

    /// The rules of the groups a campaign with these labels visits for `marketing`.
    fn visited(labels: &str) -> Vec<Vec<u32>> {
        let text = PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes: POLICY.into() };
        let policy = match load_texts(vec![text]) {
            Ok(p) => CompiledPolicy::new(p),
            Err(e) => panic!("{:?}", e.problems),
        };
        let yaml = format!("campaign: c\npurpose: marketing\nbasis: consent\n{labels}data: []\n");
        let file = SourceFile::new("c.yaml", yaml.as_str());
        let campaign = match crate::campaign::read(FileId(0), &file, &policy.policy) {
            Ok(c) => c,
            Err(e) => panic!("{:?}", e.problems),
        };
        let facts = policy.facts(&campaign);
        let mut out = Vec::new();
        let index = &policy.campaign_index;
        index.visit(campaign.purpose.map_or(0, |p| p.value.0), &facts, |g| out.push(index.rules(g).to_vec()));
        out
    }

    #[test]
    fn rules_with_one_condition_are_one_group() {
        assert_eq!(visited("labels:\n  brand: other\n"), vec![vec![0, 1]]);
    }

    #[test]
    fn only_groups_guarded_by_the_campaigns_value_are_visited() {
        assert_eq!(visited("labels:\n  brand: zenith\n"), vec![vec![0, 1], vec![3], vec![4]]);
        assert_eq!(visited("labels:\n  brand: acme\n"), vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn an_absent_guard_field_visits_every_group() {
        assert_eq!(visited(""), vec![vec![0, 1], vec![2], vec![3], vec![4]]);
    }
}
