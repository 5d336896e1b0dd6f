//! `lagom diff`: the impact of a policy change. Campaigns are decided under the old and the new
//! policy, and every campaign and use whose decision, deciding rules or warnings change is
//! listed. This is what a legal team attaches to a policy change for review; warnings count
//! because CI that runs `check --deny-warnings` fails on them.

use crate::batch::{self, CampaignResult, Input, Verdict};
use crate::campaign::yaml::MAX_CAMPAIGN_FILE_BYTES;
use crate::diagnostic::{Code, Problem};
use crate::eval::{CompiledPolicy, Decision, Outcome, UseDecision};
use crate::source::{Location, SourceMap};

/// How a campaign or a use comes out on one side of the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ruling {
    /// Allowed or blocked: a use by the rules in [`Side::rules`], a campaign by those or by its
    /// uses.
    Decided(Decision),
    /// A use that no rule allows (spec 3.2, step 3): blocked, with no rule to name, which a
    /// reviewer is told apart from a block by rules.
    NotAllowed,
    /// A campaign that cannot be decided, or a use of one.
    Invalid,
}

impl Ruling {
    /// As in the JSON report: the decision (`allow`, `block`; a use no rule allows is blocked)
    /// or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ruling::Decided(d) => d.as_str(),
            Ruling::NotAllowed => Decision::Block.as_str(),
            Ruling::Invalid => "invalid",
        }
    }
}

/// A ruling and the rules behind it, on one side of the change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// How it comes out.
    pub ruling: Ruling,
    /// For a campaign, the campaign-level deny rules that applied; for a use, its deciding
    /// rules. Sorted.
    pub rules: Vec<String>,
    /// For a campaign, the campaign-level warn rules that applied; for a use, its warnings.
    /// Sorted.
    pub warnings: Vec<String>,
}

impl Side {
    /// A campaign that is invalid on this side, or a use of one: nothing is decided, so no
    /// rule applies and nothing warns.
    fn invalid() -> Side {
        Side { ruling: Ruling::Invalid, rules: Vec::new(), warnings: Vec::new() }
    }

    /// Whether the ruling or its deciding rules differ (warnings aside).
    pub fn decides_otherwise(&self, other: &Side) -> bool {
        self.ruling != other.ruling || self.rules != other.rules
    }

    /// Whether the warnings differ: a side that is invalid has none, so a campaign that becomes
    /// valid with warnings (or invalid after having some) changes them.
    pub fn warns_otherwise(&self, other: &Side) -> bool {
        self.warnings != other.warnings
    }
}

/// A campaign's side of the change: its ruling, and why it is invalid when it is (a use's
/// side has no reasons of its own: its campaign's tell them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignSide {
    /// The campaign's ruling, campaign-level deny rules and campaign-level warnings.
    pub side: Side,
    /// Why the campaign is invalid on this side, located in that side's sources
    /// ([`Impact::old_sources`] or [`Impact::sources`]); empty when it is decided.
    pub errors: Vec<Problem>,
}

/// A use whose decision, deciding rules or warnings change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseChange {
    /// Position in `data`.
    pub index: usize,
    /// The use's category.
    pub category: String,
    /// Its effective purpose.
    pub purpose: String,
    /// Under the old policy.
    pub old: Side,
    /// Under the new policy.
    pub new: Side,
}

/// A campaign that changes: its own decision, campaign rules or campaign warnings, or some of
/// its uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignChange {
    /// The campaign file.
    pub file: String,
    /// The campaign id, when known.
    pub campaign: Option<String>,
    /// Under the old policy.
    pub old: CampaignSide,
    /// Under the new policy.
    pub new: CampaignSide,
    /// The uses that change, in file order.
    pub uses: Vec<UseChange>,
}

/// An input that could not be compared: a path that cannot be read, a file that is not a
/// campaign, or a campaign invalid under both policies. Nothing is known of its impact, so a
/// run with one is not a clean comparison.
#[derive(Clone, Debug)]
pub struct NotCompared {
    /// The file (or path) as shown.
    pub file: String,
    /// The campaign id, when known.
    pub campaign: Option<String>,
    /// Why, under the new policy, located in [`Impact::sources`].
    pub problems: Vec<Problem>,
    /// Why under the old policy, located in [`Impact::old_sources`], when that is not the same
    /// (a category each policy lacks in its own way); empty when the reasons are the same.
    pub old_problems: Vec<Problem>,
}

/// The impact of a policy change on a set of campaigns.
#[derive(Clone, Debug, Default)]
pub struct Impact {
    /// Campaign files compared (those in `not_compared` are not counted).
    pub campaigns: usize,
    /// Campaigns that change, sorted by file.
    pub changes: Vec<CampaignChange>,
    /// Inputs that could not be compared, sorted by file.
    pub not_compared: Vec<NotCompared>,
    /// The new policy's files and the campaign files, where `not_compared` and the new side's
    /// errors are located.
    pub sources: SourceMap,
    /// The old policy's files and the campaign files, where the old side's errors are located.
    pub old_sources: SourceMap,
}

impl Impact {
    /// Campaigns whose own decision changes.
    pub fn decisions_changed(&self) -> usize {
        self.changes.iter().filter(|c| c.old.side.ruling != c.new.side.ruling).count()
    }

    /// Uses that change, over every campaign.
    pub fn uses_changed(&self) -> usize {
        self.changes.iter().map(|c| c.uses.len()).sum()
    }

    /// Uses whose ruling changes (allowed, blocked by rules, blocked because no rule allows
    /// it, or invalid, on one side and not the other), over every campaign: a use whose
    /// deciding rules change but not its ruling is among [`Impact::uses_changed`] only.
    pub fn use_decisions_changed(&self) -> usize {
        self.changes.iter().flat_map(|c| &c.uses).filter(|u| u.old.ruling != u.new.ruling).count()
    }

    /// Campaigns and uses whose warnings change, over every campaign.
    pub fn warnings_changed(&self) -> usize {
        let differ = |a: &Side, b: &Side| usize::from(a.warns_otherwise(b));
        self.changes
            .iter()
            .map(|c| differ(&c.old.side, &c.new.side) + c.uses.iter().map(|u| differ(&u.old, &u.new)).sum::<usize>())
            .sum()
    }
}

/// Decides the campaigns of `inputs` under both policies and lists what changes.
///
/// ```no_run
/// use lagom::{batch::Input, eval::CompiledPolicy, policy::load_paths};
/// let old = CompiledPolicy::new(load_paths(&["old".into()]).unwrap());
/// let new = CompiledPolicy::new(load_paths(&["new".into()]).unwrap());
/// let impact = lagom::diff::compare(&old, &new, &[Input::Path("campaigns".into())]);
/// println!("{} of {} campaigns change", impact.changes.len(), impact.campaigns);
/// ```
pub fn compare(old: &CompiledPolicy, new: &CompiledPolicy, inputs: &[Input]) -> Impact {
    compare_with_limit(old, new, inputs, MAX_CAMPAIGN_FILE_BYTES)
}

/// [`compare`] with another size limit for campaign files (in bytes).
///
/// The files are read once and checked against each policy; the two sides are then decided a
/// chunk at a time, so that only the changes are kept, never every decision of both.
pub fn compare_with_limit(old: &CompiledPolicy, new: &CompiledPolicy, inputs: &[Input], max_file_bytes: u64) -> Impact {
    let (texts, _) = batch::CampaignFiles::find(inputs, max_file_bytes).read();
    let (before, after) = rayon::join(|| batch::check_texts(old, &texts), || batch::check_texts(new, &texts));
    let mut impact =
        Impact { sources: after.sources.clone(), old_sources: before.sources.clone(), ..Impact::default() };
    for (a, b) in before.decided_chunks().zip(after.decided_chunks()) {
        for (a, b) in a.iter().zip(&b) {
            compare_one(old, new, a, b, &mut impact);
        }
    }
    impact
}

/// Adds one campaign file, decided under both policies, to the impact.
fn compare_one(
    old: &CompiledPolicy,
    new: &CompiledPolicy,
    a: &CampaignResult,
    b: &CampaignResult,
    impact: &mut Impact,
) {
    if let (Verdict::Invalid(old_problems), Verdict::Invalid(problems)) = (&a.verdict, &b.verdict) {
        // The same reasons (a file that is not YAML) are told once.
        let shown = |list: &[Problem], sources: &SourceMap| -> Vec<(Code, String, Location)> {
            list.iter().map(|p| (p.code, p.message.clone(), p.location(sources))).collect()
        };
        let same = shown(old_problems, &impact.old_sources) == shown(problems, &impact.sources);
        impact.not_compared.push(NotCompared {
            file: b.file.clone(),
            campaign: b.id.clone().or_else(|| a.id.clone()),
            problems: problems.clone(),
            old_problems: if same { Vec::new() } else { old_problems.clone() },
        });
        return;
    }
    impact.campaigns += 1;
    let (old_side, new_side) = (campaign_side(old, a), campaign_side(new, b));
    let uses = match (&a.verdict, &b.verdict) {
        (Verdict::Decided(_, x), Verdict::Decided(_, y)) => use_changes(old, new, &x.uses, &y.uses),
        // A campaign that becomes valid (a category or purpose is added) or invalid: every use
        // of the side that decides is a change, so that a reviewer sees what now allows or
        // blocks it, not only the campaign's new decision.
        (Verdict::Invalid(_), Verdict::Decided(_, y)) => {
            y.uses.iter().map(|u| use_change(new, u, Side::invalid(), use_side(new, u))).collect()
        }
        (Verdict::Decided(_, x), Verdict::Invalid(_)) => {
            x.uses.iter().map(|u| use_change(old, u, use_side(old, u), Side::invalid())).collect()
        }
        (Verdict::Invalid(_), Verdict::Invalid(_)) => Vec::new(),
    };
    if old_side != new_side || !uses.is_empty() {
        impact.changes.push(CampaignChange {
            file: b.file.clone(),
            campaign: b.id.clone().or_else(|| a.id.clone()),
            old: old_side,
            new: new_side,
            uses,
        });
    }
}

fn campaign_side(policy: &CompiledPolicy, r: &CampaignResult) -> CampaignSide {
    match &r.verdict {
        Verdict::Invalid(problems) => CampaignSide { side: Side::invalid(), errors: problems.clone() },
        Verdict::Decided(_, d) => CampaignSide {
            side: Side {
                ruling: Ruling::Decided(d.decision),
                rules: policy.policy.rule_names(&d.campaign_rules),
                warnings: policy.policy.rule_names(&d.campaign_warnings),
            },
            errors: Vec::new(),
        },
    }
}

fn use_side(policy: &CompiledPolicy, u: &UseDecision) -> Side {
    let ruling = match u.outcome {
        Outcome::AllowedBy(_) => Ruling::Decided(Decision::Allow),
        Outcome::BlockedBy(_) => Ruling::Decided(Decision::Block),
        Outcome::NotAllowed => Ruling::NotAllowed,
    };
    Side { ruling, rules: policy.policy.rule_names(u.outcome.rules()), warnings: policy.policy.rule_names(&u.warnings) }
}

fn use_changes(old: &CompiledPolicy, new: &CompiledPolicy, a: &[UseDecision], b: &[UseDecision]) -> Vec<UseChange> {
    let mut out = Vec::new();
    // Both in `data` order (decisions list uses by index): a binary search, not a scan, so that a
    // campaign of thousands of uses is not quadratic.
    for y in b {
        let Some(x) = a.binary_search_by_key(&y.index, |x| x.index).ok().and_then(|i| a.get(i)) else { continue };
        let (before, after) = (use_side(old, x), use_side(new, y));
        if before != after {
            out.push(use_change(new, y, before, after));
        }
    }
    out
}

/// A use's change, named by its category and purpose under `policy`.
fn use_change(policy: &CompiledPolicy, u: &UseDecision, old: Side, new: Side) -> UseChange {
    UseChange {
        index: u.index,
        category: policy.policy.category_path(u.category).to_string(),
        purpose: policy.policy.purpose_path(u.purpose).to_string(),
        old,
        new,
    }
}
