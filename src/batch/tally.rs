//! The counts over a run's campaigns, kept by the results as they hand decisions out: `lagom
//! check`'s exit code follows from them, and a report only prints them.

use super::{Batch, CampaignResult, Verdict};
use crate::eval::{Decision, Warnings};

/// Counts over the campaigns of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Campaigns allowed.
    pub allowed: usize,
    /// Campaigns blocked.
    pub blocked: usize,
    /// Campaigns that could not be evaluated.
    pub invalid: usize,
    /// Warning findings, uses' and campaign-level.
    pub warnings: usize,
    /// Campaign texts spelt otherwise than the policy spells them (notes; they decide nothing).
    pub spelling_notes: usize,
    /// Campaigns that fail the run, as [`crate::eval::Standing::fails`] says, under each
    /// setting of warnings: the setting is the caller's, and the tally is kept before it is
    /// known.
    failing: Failing,
}

/// How many campaigns fail the run when warnings pass, and when they fail it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Failing {
    warnings_pass: usize,
    warnings_fail: usize,
}

impl Tally {
    /// Counts a batch.
    pub fn of(batch: &Batch) -> Tally {
        let mut t = Tally::default();
        t.add_all(&batch.results);
        t
    }

    /// Counts more campaigns.
    pub fn add_all(&mut self, results: &[CampaignResult]) {
        results.iter().for_each(|r| self.add(r));
    }

    /// Counts one more campaign.
    pub fn add(&mut self, r: &CampaignResult) {
        match &r.verdict {
            Verdict::Invalid(_) => self.invalid += 1,
            Verdict::Decided(_, d) => {
                self.warnings += d.warning_count();
                self.spelling_notes += d.spelling_notes.len();
                match d.decision {
                    Decision::Allow => self.allowed += 1,
                    Decision::Block => self.blocked += 1,
                }
                let standing = d.standing();
                self.failing.warnings_pass += usize::from(standing.fails(Warnings::Pass));
                self.failing.warnings_fail += usize::from(standing.fails(Warnings::Fail));
            }
        }
    }

    /// How many decided campaigns fail the run (spec 4's exit code 1) when `warnings` says
    /// whether warnings fail it. Invalid input (exit 2) is counted apart.
    pub fn failing(&self, warnings: Warnings) -> usize {
        match warnings {
            Warnings::Pass => self.failing.warnings_pass,
            Warnings::Fail => self.failing.warnings_fail,
        }
    }

    /// Whether any decided campaign fails the run.
    pub fn fails(&self, warnings: Warnings) -> bool {
        self.failing(warnings) > 0
    }
}
