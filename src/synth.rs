//! Synthetic corpora for benchmarks and tests: a deterministic, seeded generator of a policy
//! of R rules and of any number of campaign files against it.
//!
//! The policy models how a real policy grows. A legal team writes a bounded core of
//! *principles* (broad deny, warn and retain rules such as "marketing needs consent or
//! legitimate interests", "special categories need explicit consent", "transfers need
//! safeguards"; at most [`MAX_CORE_RULES`]); everything else is *specific*: allow, deny, warn,
//! retain and campaign-level rules about particular data for particular purposes, brands and
//! markets. The taxonomy has a few hundred categories (depth 3 to 4, some with an extra parent
//! through `under`) and tens of purposes. Campaigns have 5 to 20 uses, mostly of data that some
//! allow rule covers, so that a realistic share of them is allowed.
//!
//! Everything is derived from the seed with a small built-in PRNG (SplitMix64), so a corpus is
//! byte-identical on every machine and with every crate version; campaign `i` does not depend
//! on how many campaigns are written.
//!
//! ```
//! let corpus = lagom::synth::Corpus::new(100, 7);
//! let policy = lagom::policy::load_texts(corpus.policy_texts()).unwrap();
//! assert_eq!(policy.rules.len(), 100);
//! assert!(corpus.campaign(0).starts_with("campaign: "));
//! ```

mod campaign;
pub(crate) mod rng;
mod rules;
mod taxonomy;
mod words;

use std::path::Path;

use crate::policy::PolicyText;
use rng::Rng;
use rules::vocabulary;
use taxonomy::{category_taxonomy, purpose_taxonomy, taxonomy_text, Taxon};

/// The most principle (broad) rules a generated policy has; the rest are specific.
pub const MAX_CORE_RULES: usize = 48;

/// Rules per generated rule file.
const RULES_PER_FILE: usize = 1_000;

/// A rule's scope, kept so that campaigns can use data that some allow rule covers.
#[derive(Clone, Debug)]
struct Allow {
    categories: Vec<usize>,
}

/// A generated policy, and the campaigns that go with it.
#[derive(Clone, Debug)]
pub struct Corpus {
    seed: u64,
    categories: Vec<Taxon>,
    purposes: Vec<Taxon>,
    /// For each purpose, the allow rules whose purposes cover it.
    allows_by_purpose: Vec<Vec<Allow>>,
    files: Vec<(String, String)>,
}

impl Corpus {
    /// Generates a policy of `rules` rules from `seed`.
    pub fn new(rules: usize, seed: u64) -> Corpus {
        let mut rng = Rng::new(seed, 0);
        let categories = category_taxonomy(&mut rng);
        let purposes = purpose_taxonomy(&mut rng);
        let mut corpus = Corpus {
            seed,
            allows_by_purpose: vec![Vec::new(); purposes.len()],
            categories,
            purposes,
            files: Vec::new(),
        };
        corpus.files.push(("00-vocabulary.policy".into(), vocabulary()));
        corpus.files.push(("10-categories.policy".into(), taxonomy_text("category", &corpus.categories)));
        corpus.files.push(("20-purposes.policy".into(), taxonomy_text("purpose", &corpus.purposes)));
        let core = (rules / 4).min(MAX_CORE_RULES);
        let mut text = String::from("# Principles: broad rules that hold for every brand and market.\n\n");
        for i in 0..core {
            text.push_str(&corpus.core_rule(i));
        }
        corpus.files.push(("30-principles.policy".into(), text));
        let mut text = String::new();
        for i in 0..rules.saturating_sub(core) {
            let rule = corpus.specific_rule(&mut rng, i);
            text.push_str(&rule);
            if (i + 1) % RULES_PER_FILE == 0 {
                let n = i / RULES_PER_FILE;
                corpus.files.push((format!("40-rules-{n:03}.policy"), std::mem::take(&mut text)));
            }
        }
        if !text.is_empty() {
            let n = rules.saturating_sub(core) / RULES_PER_FILE;
            corpus.files.push((format!("40-rules-{n:03}.policy"), text));
        }
        corpus
    }

    /// The policy files: (file name, text).
    pub fn policy_files(&self) -> &[(String, String)] {
        &self.files
    }

    /// The policy files as loader input.
    pub fn policy_texts(&self) -> Vec<PolicyText> {
        self.files
            .iter()
            .map(|(name, text)| PolicyText {
                relative: name.clone(),
                display: format!("policy/{name}"),
                bytes: text.clone().into_bytes(),
            })
            .collect()
    }

    /// Where campaign `index` is written, relative to the campaigns directory.
    pub fn campaign_path(index: usize) -> String {
        format!("team-{:02}/c-{index:05}.yaml", index % 16)
    }

    /// Number of categories in the taxonomy.
    pub fn category_count(&self) -> usize {
        self.categories.len()
    }

    /// Number of purposes in the taxonomy.
    pub fn purpose_count(&self) -> usize {
        self.purposes.len()
    }

    /// Writes `DIR/policy/*.policy` and `DIR/campaigns/team-NN/c-NNNNN.yaml` for `campaigns`
    /// campaigns.
    pub fn write(&self, dir: &Path, campaigns: usize) -> std::io::Result<()> {
        let policy = dir.join("policy");
        std::fs::create_dir_all(&policy)?;
        for (name, text) in &self.files {
            std::fs::write(policy.join(name), text)?;
        }
        let root = dir.join("campaigns");
        for i in 0..campaigns {
            let path = root.join(Corpus::campaign_path(i));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, self.campaign(i))?;
        }
        Ok(())
    }

    fn category(&self, i: usize) -> &str {
        self.categories.get(i).map_or("identity", |t| t.path.as_str())
    }

    fn purpose(&self, i: usize) -> &str {
        self.purposes.get(i).map_or("marketing", |t| t.path.as_str())
    }

    fn root_purpose(&self, name: &str) -> usize {
        self.purposes.iter().position(|t| t.path == name).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn a_corpus_is_valid_and_deterministic() {
        let corpus = Corpus::new(300, 42);
        let again = Corpus::new(300, 42);
        assert_eq!(corpus.policy_files(), again.policy_files());
        assert_eq!(corpus.campaign(17), again.campaign(17));
        assert_ne!(corpus.campaign(17), Corpus::new(300, 43).campaign(17));
        let policy = match crate::policy::load_texts(corpus.policy_texts()) {
            Ok(p) => p,
            Err(e) => panic!("{:?}", e.problems),
        };
        assert_eq!(policy.rules.len(), 300);
        assert!((200..=500).contains(&policy.categories.len()), "{} categories", policy.categories.len());
        assert!((20..=99).contains(&policy.purposes.len()), "{} purposes", policy.purposes.len());
        let compiled = crate::eval::CompiledPolicy::new(policy);
        let mut allowed = 0;
        for i in 0..100 {
            let text = corpus.campaign(i);
            let file = SourceFile::new("c.yaml", text.as_str());
            let campaign = match crate::campaign::read(crate::source::FileId(0), &file, &compiled.policy) {
                Ok(c) => c,
                Err(e) => panic!("{:?}\n{text}", e.problems),
            };
            assert!((5..=20).contains(&campaign.data.len()));
            if compiled.decide(&campaign).decision == crate::eval::Decision::Allow {
                allowed += 1;
            }
        }
        assert!(allowed > 0, "no generated campaign is allowed");
    }
}
