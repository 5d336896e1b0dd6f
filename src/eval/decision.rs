//! Typed decisions with their reasons; renderers turn these into text and never re-derive them.

use crate::policy::{CategoryId, PurposeId, Retention, RuleId};
use crate::source::Span;

/// Allow or block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The use or campaign may proceed.
    Allow,
    /// It may not.
    Block,
}

impl Decision {
    /// `allow` / `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Block => "block",
        }
    }
}

/// Why a use was decided the way it was (spec 3.2 steps 1 to 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Step 1: deny or retain rules applied (sorted by name).
    BlockedBy(Vec<RuleId>),
    /// Step 2: allow rules applied (sorted by name).
    AllowedBy(Vec<RuleId>),
    /// Step 3: nothing allows the category for the purpose.
    NotAllowed,
}

impl Outcome {
    /// The decision this outcome means.
    pub fn decision(&self) -> Decision {
        match self {
            Outcome::AllowedBy(_) => Decision::Allow,
            Outcome::BlockedBy(_) | Outcome::NotAllowed => Decision::Block,
        }
    }

    /// The deciding rules (empty for a default block).
    pub fn rules(&self) -> &[RuleId] {
        match self {
            Outcome::BlockedBy(r) | Outcome::AllowedBy(r) => r,
            Outcome::NotAllowed => &[],
        }
    }
}

/// What a rule did to a use or campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// An allow rule let the use through.
    Allow,
    /// A deny rule blocked it.
    Deny,
    /// A warn rule applied.
    Warn,
    /// A retain rule blocked it: the declared retention (if any) is over the limit.
    Retain {
        /// The rule's maximum.
        limit: Retention,
        /// What the campaign declared; `None` when it declared nothing.
        declared: Option<Retention>,
    },
}

/// One rule's part in a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// What it did.
    pub kind: FindingKind,
    /// Facts the campaign does not state that made the rule apply (fail closed).
    pub unknown: Vec<MissingFact>,
    /// For a rule that applied on the campaign's facts (a campaign-level rule, or a deny, warn
    /// or retain rule of a use): where the campaign states them (a few, in source order), for
    /// reports to point at; else empty.
    pub evidence: Vec<Span>,
    /// Facts among those that the campaign spells otherwise than the value the policy
    /// compared them with (`se`, the policy's `SE`): values are compared exactly.
    pub respellings: Vec<Respelling>,
    /// How the use's category reached the rule's category (use first), empty for `*` and
    /// campaign rules.
    pub category_path: Vec<CategoryId>,
    /// How the purpose reached the rule's purpose (effective purpose first), empty for `*`.
    pub purpose_path: Vec<PurposeId>,
}

/// A fact a rule's condition needed and the campaign does not state. Fields are as the
/// condition names them (`audience.min_age`, `labels.brand`, `dpa` inside `processors`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MissingFact {
    /// The use's `retention`: a retain rule's limit needs it, and a report words a block for
    /// want of it apart from a condition that could not be decided.
    Retention,
    /// Another field of the campaign or of the use.
    Field(String),
    /// A field of one element of a list: `processors` element 1 has no `dpa`.
    Element {
        /// The list.
        list: String,
        /// The element's place in it, from 0.
        index: usize,
        /// The element's field.
        field: String,
    },
    /// The same field of further elements of the list, beyond the few named one by one: a
    /// finding is repeated on every use, and must not name thousands of places.
    MoreElements {
        /// The list.
        list: String,
        /// The elements' field.
        field: String,
    },
}

/// A campaign's text that equals a value of the policy but for case, spaces, `_` and `-`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Respelling {
    /// Where the campaign writes it.
    pub at: Span,
    /// As the campaign writes it.
    pub written: String,
    /// As the policy writes it.
    pub meant: String,
    /// How the two differ.
    pub difference: Difference,
    /// What is spelt: a value, or the name of a label.
    pub spelt: Spelt,
}

/// What a [`Respelling`] spells otherwise than the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelt {
    /// A value the policy compares a field with (`se` for `SE`).
    Value,
    /// The name of a label the policy reads (`TIA:` where rules read `labels.tia`).
    LabelName,
}

/// How a campaign's text differs from the policy's text it loosely equals: what a reader
/// looks for when the two look alike on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    /// In case only (`Support`, `support`; `STRASSE`, `straße`).
    Case,
    /// In white space, `_` or dashes only (`mail_vendor`, `mail-vendor`).
    Separators,
    /// In both.
    CaseAndSeparators,
    /// In characters that look alike or mean the same: an accent typed as a character of its
    /// own, a compatibility form (`ｓｕｐｐｏｒｔ`).
    Characters,
    /// In a final `s`, and maybe case and separators too (`Customers`, `customer`).
    Plural,
}

/// A campaign's text that equals none of the texts the policy compares its field with and one
/// loosely (`source: Support`, the policy's `support`; see `loose` in `eval/spelling.rs`), for
/// rules whose scope reaches the campaign. The decision stands as written (spec 3 compares
/// exactly); a report says what was probably meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpellingNote {
    /// Where, as written, and the policy's spelling: the first rule's (in id order).
    pub respelling: Respelling,
    /// The field it is a value of.
    pub field: crate::policy::fields::Field,
    /// The rules (in id order) that compare the field with the policy's spelling as written.
    pub rules: Vec<RuleId>,
}

/// The decision for one entry of `data`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseDecision {
    /// Position in `data`.
    pub index: usize,
    /// The category.
    pub category: CategoryId,
    /// The effective purpose.
    pub purpose: PurposeId,
    /// The effective basis; none only for a campaign built without one (the reader refuses
    /// such a file).
    pub basis: Option<String>,
    /// Why.
    pub outcome: Outcome,
    /// Warn rules that applied (sorted by name).
    pub warnings: Vec<RuleId>,
    /// Deciding rules' and warnings' findings, deciding rules first.
    pub findings: Vec<Finding>,
    /// For a use blocked by default (step 3): the allow rules whose scope matches but whose
    /// condition is unknown, each naming the fields the campaign would have to declare (spec
    /// 3.1). Empty for every other outcome.
    pub unknown_allows: Vec<Finding>,
}

/// Whether warnings fail the run (`--deny-warnings`). Reports then show a warned campaign as
/// failing (a JUnit failure; kept in quiet human output), so that they agree with the exit
/// code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warnings {
    /// Warnings are shown but pass.
    Pass,
    /// A warned campaign fails.
    Fail,
}

/// The decision for a campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignDecision {
    /// Allow unless a use or a campaign-level deny blocks.
    pub decision: Decision,
    /// Per use, in file order.
    pub uses: Vec<UseDecision>,
    /// Campaign-level deny rules that applied (sorted, each once).
    pub campaign_rules: Vec<RuleId>,
    /// Campaign-level warn rules that applied (sorted, each once).
    pub campaign_warnings: Vec<RuleId>,
    /// Findings of the campaign-level rules, one per rule (for the first purpose it applied to).
    pub campaign_findings: Vec<Finding>,
    /// The campaign's texts spelt otherwise than what the policy compares them with, which no
    /// finding names already, in source order. They change nothing in the decision.
    pub spelling_notes: Vec<SpellingNote>,
}

impl CampaignDecision {
    /// The respellings that the findings (uses' and campaign-level) name.
    pub(super) fn named_respellings(&self) -> impl Iterator<Item = &Respelling> {
        let uses = self.uses.iter().flat_map(|u| &u.findings);
        uses.chain(&self.campaign_findings).flat_map(|f| &f.respellings)
    }

    /// Every warning finding (uses' and campaign-level).
    pub fn warning_count(&self) -> usize {
        self.uses.iter().map(|u| u.warnings.len()).sum::<usize>() + self.campaign_warnings.len()
    }

    /// Whether the campaign fails the run: it is blocked, or warned while warnings fail.
    pub fn fails(&self, warnings: Warnings) -> bool {
        self.standing().fails(warnings)
    }

    /// The decision and how many warnings apply.
    pub fn standing(&self) -> Standing {
        Standing { decision: self.decision, warnings: self.warning_count() }
    }
}

/// A campaign's decision and its number of warnings, without the findings: what a report needs
/// to count campaigns before it shows them. `CompiledPolicy::standing` finds it without
/// deciding in full, and agrees with [`CampaignDecision::standing`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Allow or block.
    pub decision: Decision,
    /// Warning findings, uses' and campaign-level.
    pub warnings: usize,
}

impl Standing {
    /// Whether the campaign fails the run: it is blocked, or warned while warnings fail.
    pub fn fails(self, warnings: Warnings) -> bool {
        self.decision == Decision::Block || (warnings == Warnings::Fail && self.warnings > 0)
    }
}
