//! The checked policy: every name resolved, the taxonomies closed, every condition typed.

use std::collections::{BTreeMap, BTreeSet};

use super::fields::{Field, ObjectKind};
use super::taxonomy::{TaxonId, Taxonomy};
use crate::source::{SourceMap, Span};
pub use crate::syntax::ast::Quantifier;

/// A category, by index into the category taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct CategoryId(pub u32);

/// A purpose, by index into the purpose taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct PurposeId(pub u32);

/// Both kinds of id are a node's position in their own taxonomy.
macro_rules! taxon_id {
    ($id:ident) => {
        impl TaxonId for $id {
            #[inline]
            fn from_index(index: u32) -> Self {
                $id(index)
            }
            #[inline]
            fn index(self) -> u32 {
                self.0
            }
        }
    };
}
taxon_id!(CategoryId);
taxon_id!(PurposeId);

/// A rule, by index into [`CheckedPolicy::rules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u32);

/// A retention period, exact: a month is 365/12 days, so twelfths of a day count every unit
/// without rounding. Two retentions are equal when their lengths are (`24 months` is
/// `2 years`); the unit it was written in is kept only to show it as written, so that a
/// marketer finds the `24 months` of the campaign in the message about it.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// The length in twelfths of a day.
    pub twelfths_of_a_day: u64,
    /// The unit it was written in, if it was written.
    written: Option<DurationUnit>,
}

impl PartialEq for Retention {
    fn eq(&self, other: &Retention) -> bool {
        self.twelfths_of_a_day == other.twelfths_of_a_day
    }
}

impl Eq for Retention {}

impl std::hash::Hash for Retention {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.twelfths_of_a_day.hash(state);
    }
}

impl PartialOrd for Retention {
    fn partial_cmp(&self, other: &Retention) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Retention {
    fn cmp(&self, other: &Retention) -> std::cmp::Ordering {
        self.twelfths_of_a_day.cmp(&other.twelfths_of_a_day)
    }
}

/// A duration unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationUnit {
    /// 1 day.
    Day,
    /// 7 days.
    Week,
    /// 365/12 days.
    Month,
    /// 365 days.
    Year,
}

impl DurationUnit {
    /// Parses `day`, `days`, `week`, … .
    pub fn parse(word: &str) -> Option<DurationUnit> {
        Some(match word {
            "day" | "days" => DurationUnit::Day,
            "week" | "weeks" => DurationUnit::Week,
            "month" | "months" => DurationUnit::Month,
            "year" | "years" => DurationUnit::Year,
            _ => return None,
        })
    }

    /// All spellings, for suggestions.
    pub const SPELLINGS: [&'static str; 8] = crate::syntax::DURATION_UNITS;

    /// The unit a misspelt one (`monts`) is close to, spelt for `amount` (`2 months`), or `None`
    /// when none is close or two units are (`dys`: `days` or `years`?). A singular and a plural
    /// as close as each other are one unit, not two readings.
    pub fn suggest(word: &str, amount: Option<u64>) -> Option<&'static str> {
        let close = crate::diagnostic::suggestions(word, DurationUnit::SPELLINGS);
        let unit = DurationUnit::parse(close.first()?)?;
        if close.iter().any(|c| DurationUnit::parse(c) != Some(unit)) {
            return None;
        }
        match (amount, close.as_slice()) {
            (_, [only]) => Some(only),
            (Some(1), _) => Some(unit.word()),
            _ => DurationUnit::SPELLINGS
                .iter()
                .copied()
                .find(|s| DurationUnit::parse(s) == Some(unit) && s.ends_with('s')),
        }
    }

    /// The unit's singular, as durations are shown.
    fn word(self) -> &'static str {
        match self {
            DurationUnit::Day => "day",
            DurationUnit::Week => "week",
            DurationUnit::Month => "month",
            DurationUnit::Year => "year",
        }
    }

    /// The most of this unit a duration can be (`4211585404956518 years`): beyond it, the
    /// length in twelfths of a day does not fit 64 bits.
    pub fn most(self) -> u64 {
        u64::MAX / self.twelfths()
    }

    /// The unit's word, plural.
    pub fn plural(self) -> String {
        format!("{}s", self.word())
    }

    fn twelfths(self) -> u64 {
        match self {
            DurationUnit::Day => 12,
            DurationUnit::Week => 84,
            DurationUnit::Month => 365,
            DurationUnit::Year => 4380,
        }
    }
}

impl std::fmt::Display for Retention {
    /// In the unit it was written in (`24 months`, not `2 years`), else in the largest unit
    /// that states it exactly (`1 week`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.twelfths_of_a_day;
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let written = self.written.map(|u| (u.twelfths(), u.word()));
        let largest = [(4380, "year"), (365, "month"), (84, "week"), (12, "day")];
        for (size, unit) in written.into_iter().chain(largest) {
            if t % size == 0 {
                return write!(f, "{} {unit}{}", t / size, plural(t / size));
            }
        }
        write!(f, "{:.1} days", t as f64 / 12.0)
    }
}

impl Retention {
    /// The duration meant by `amount` and a unit written as an abbreviation or capitalised
    /// (`2 yrs`, `1 Mo`), for a "did you mean" ([`crate::syntax::unit_meant`]); `None` when
    /// the word stands for no unit.
    pub fn meant(amount: u64, word: &str) -> Option<Retention> {
        crate::syntax::unit_meant(word).and_then(DurationUnit::parse).and_then(|u| Retention::new(amount, u))
    }

    /// `amount` units, as written, or `None` on overflow.
    pub fn new(amount: u64, unit: DurationUnit) -> Option<Retention> {
        amount.checked_mul(unit.twelfths()).map(|t| Retention { twelfths_of_a_day: t, written: Some(unit) })
    }

    /// A length in twelfths of a day, shown in the largest unit that states it exactly.
    pub fn from_twelfths(twelfths_of_a_day: u64) -> Retention {
        Retention { twelfths_of_a_day, written: None }
    }
}

/// A flat vocabulary (bases, channels).
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Declared names with their labels and places.
    pub entries: BTreeMap<String, (Option<String>, Span)>,
}

impl Vocabulary {
    /// True when the name is declared.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// The declared names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// True when nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What a rule does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleEffect {
    /// Lets matching uses through.
    Allow,
    /// Blocks matching uses (or the campaign).
    Deny,
    /// Adds a warning.
    Warn,
    /// Caps the retention of matching uses.
    Retain(Retention),
}

impl RuleEffect {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleEffect::Allow => "allow",
            RuleEffect::Deny => "deny",
            RuleEffect::Warn => "warn",
            RuleEffect::Retain(_) => "retain",
        }
    }
}

/// One side of a rule's scope, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Targets<Id> {
    /// `*`.
    Any,
    /// The listed nodes and everything under them.
    Some(Vec<Id>),
}

impl<Id> Targets<Id> {
    /// The listed nodes, or `None` for `*`.
    pub fn ids(&self) -> Option<&[Id]> {
        match self {
            Targets::Any => None,
            Targets::Some(ids) => Some(ids),
        }
    }
}

impl<Id: TaxonId> Targets<Id> {
    /// Whether a node is in this side of a rule's scope: the side is `*` or the node is under
    /// one of its targets (spec 3.2, `⊑`).
    pub fn holds(&self, tax: &Taxonomy<Id>, id: Id) -> bool {
        match self {
            Targets::Any => true,
            Targets::Some(ts) => ts.iter().any(|&t| tax.is_under(id, t)),
        }
    }
}

/// What a rule is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleScope {
    /// Data uses of these categories for these purposes.
    Uses {
        /// Categories.
        categories: Targets<CategoryId>,
        /// Purposes.
        purposes: Targets<PurposeId>,
    },
    /// The campaign as a whole, once per effective purpose under these purposes.
    Campaign {
        /// Purposes.
        purposes: Targets<PurposeId>,
    },
}

/// A checked rule.
#[derive(Clone, Debug)]
pub struct CheckedRule {
    /// Unique name.
    pub name: String,
    /// Where the rule starts (`rule` keyword).
    pub span: Span,
    /// Effect.
    pub effect: RuleEffect,
    /// Scope.
    pub scope: RuleScope,
    /// Condition; `unless E` is stored as `not E`.
    pub condition: Option<Cond>,
    /// The condition as written.
    pub written: Option<WrittenCondition>,
    /// The reason for marketers.
    pub because: Option<String>,
    /// The legal citation.
    pub cite: Option<String>,
}

/// A rule's condition as its author wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrittenCondition {
    /// `when` or `unless`.
    pub keyword: ConditionKeyword,
    /// The text, the keyword included.
    pub span: Span,
}

/// How a condition is introduced. `unless X` is checked as `not X`; explanations show X's own
/// value, which is what a reader of the policy looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConditionKeyword {
    /// `when X`.
    When,
    /// `unless X`.
    Unless,
}

/// A typed literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// Text or symbol (bases and channels are symbols too).
    Text(String),
    /// Boolean.
    Bool(bool),
    /// Integer.
    Int(i64),
    /// Duration.
    Duration(Retention),
    /// A category.
    Category(CategoryId),
    /// A purpose.
    Purpose(PurposeId),
}

/// A numeric comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ordering {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Ordering {
    /// Whether a value that compares to the literal as `cmp` passes the test.
    pub fn holds(self, cmp: std::cmp::Ordering) -> bool {
        match self {
            Ordering::Lt => cmp.is_lt(),
            Ordering::Le => cmp.is_le(),
            Ordering::Gt => cmp.is_gt(),
            Ordering::Ge => cmp.is_ge(),
        }
    }

    /// The operator as written (`<`, `<=`, `>`, `>=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Ordering::Lt => "<",
            Ordering::Le => "<=",
            Ordering::Gt => ">",
            Ordering::Ge => ">=",
        }
    }
}

/// A typed test of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedTest {
    /// A boolean field is true.
    Truthy,
    /// The field is present (`negated`: absent).
    IsSet {
        /// `is not set`.
        negated: bool,
    },
    /// The list is empty (`negated`: non-empty).
    IsEmpty {
        /// `is not empty`.
        negated: bool,
    },
    /// A category field is under a category.
    UnderCategory(CategoryId),
    /// A purpose field is under a purpose.
    UnderPurpose(PurposeId),
    /// `==` (or `!=` when `negated`).
    Equals {
        /// The value.
        value: Literal,
        /// `!=`.
        negated: bool,
    },
    /// `<`, `<=`, `>`, `>=` on numbers or durations.
    Compare(Ordering, Literal),
    /// `in` (or `not in`) a list.
    In {
        /// The list, sets flattened.
        values: Vec<Literal>,
        /// `not in`.
        negated: bool,
    },
    /// A list field contains a value.
    Contains(Literal),
    /// Every element of a list field is in the list.
    Within(Vec<Literal>),
    /// Some element of a list field is in the list.
    Overlaps(Vec<Literal>),
    /// A text field holds a match of a regular expression (`matches`).
    Matches(Pattern),
}

/// A regular expression that a text field is searched with (`matches`), compiled once, when
/// the policy is checked. Two patterns are equal when they are written alike.
#[derive(Clone, Debug)]
pub struct Pattern {
    /// As written, between the quotes (escapes read).
    pub source: String,
    /// Compiled.
    pub regex: std::sync::Arc<regex_lite::Regex>,
}

impl Pattern {
    /// Most bytes a compiled pattern may take: `[a-z]{1000}{1000}` must be an error, not a
    /// gigabyte, and a search costs up to the pattern's size times the text's length.
    const SIZE_LIMIT: usize = 1 << 14;

    /// Longest text searched, in bytes. With the limit on a pattern's size it bounds a search: a 3 MB
    /// label took 10 s against `[a-z]{300}[0-9]`, and a finding searches again to explain
    /// itself. Ids, names, sources and labels are far shorter.
    pub const TEXT_LIMIT: usize = 4096;

    /// Compiles `source`; the error says in a few words why it is no regular expression.
    pub fn new(source: &str) -> Result<Pattern, String> {
        match regex_lite::RegexBuilder::new(source).size_limit(Self::SIZE_LIMIT).build() {
            Ok(regex) => Ok(Pattern { source: source.to_string(), regex: std::sync::Arc::new(regex) }),
            // The error has no kind to match, only its text.
            Err(e) if e.to_string().contains("size limit") => {
                Err(format!("it compiles to more than {} KiB", Self::SIZE_LIMIT / 1024))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Whether `text` holds a match: a search, as OPA's `regex.match`; `^` and `$` anchor.
    /// `None` for a text longer than [`Self::TEXT_LIMIT`], which is not searched: the test is
    /// then unknown, so it never lets data through.
    pub fn is_match(&self, text: &str) -> Option<bool> {
        (text.len() <= Self::TEXT_LIMIT).then(|| self.regex.is_match(text))
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl std::hash::Hash for Pattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.source.hash(state);
    }
}

/// A field reference with its source text and place, kept for explanations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldUse {
    /// The field.
    pub field: Field,
    /// As written (`audience.min_age`).
    pub text: String,
    /// Where.
    pub span: Span,
}

/// A typed condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// Kleene or.
    Or(Vec<Cond>),
    /// Kleene and.
    And(Vec<Cond>),
    /// Kleene not.
    Not(Box<Cond>),
    /// `any` / `all` over a list of objects.
    Quant {
        /// The whole quantifier as written.
        span: Span,
        /// `any` or `all`.
        quantifier: Quantifier,
        /// Which list.
        list: ObjectKind,
        /// The list field as written.
        field: FieldUse,
        /// The body, over the element's fields.
        body: Box<Cond>,
    },
    /// A test of one field.
    Test {
        /// The whole test as written.
        span: Span,
        /// The field.
        field: FieldUse,
        /// The test.
        test: CheckedTest,
    },
}

impl Cond {
    /// Whether some test of the condition, inside quantifiers too, satisfies `holds`.
    pub fn any_test(&self, holds: &impl Fn(&FieldUse, &CheckedTest) -> bool) -> bool {
        match self {
            Cond::Or(parts) | Cond::And(parts) => parts.iter().any(|c| c.any_test(holds)),
            Cond::Not(inner) | Cond::Quant { body: inner, .. } => inner.any_test(holds),
            Cond::Test { field, test, .. } => holds(field, test),
        }
    }
}

/// Who names a set: rule conditions and other sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetUses {
    /// Rules whose conditions name the set.
    pub rules: BTreeSet<String>,
    /// Sets that include it.
    pub sets: BTreeSet<String>,
}

/// A policy that passed every check.
#[derive(Clone, Debug)]
pub struct CheckedPolicy {
    /// From the header.
    pub name: Option<String>,
    /// From the header.
    pub version: Option<String>,
    /// `sha256:…` of the policy files.
    pub digest: String,
    /// Lawful bases.
    pub bases: Vocabulary,
    /// Channels.
    pub channels: Vocabulary,
    /// Category taxonomy.
    pub categories: Taxonomy<CategoryId>,
    /// Purpose taxonomy.
    pub purposes: Taxonomy<PurposeId>,
    /// Named sets, flattened.
    pub sets: BTreeMap<String, (Vec<String>, Span)>,
    /// Who names each set (sets nobody names are absent).
    pub set_uses: BTreeMap<String, SetUses>,
    /// Rules, sorted by name so that ids do not depend on file or rule order.
    pub rules: Vec<CheckedRule>,
    /// The policy's files, for locations.
    pub sources: SourceMap,
    /// Where each declaration is written (rules, sets, categories and purposes, nested ones
    /// too), from its keyword to its end: a `# lagom: ignore` comment applies to the
    /// declaration it stands in, however the lines of that declaration are laid out.
    pub declarations: Vec<Span>,
    /// Whether a condition searches a text (`matches`): a campaign's text values are then at
    /// most [`Pattern::TEXT_LIMIT`] bytes.
    pub searches_texts: bool,
    /// Files below a policy folder named like a policy file that are not one
    /// (`10-deny.polcy`, `main.policy.bak`): not read; `validate` warns about each
    /// (`lagom::skipped_file`) and the other commands note them, since rules left in such a
    /// file are not enforced.
    pub skipped: Vec<String>,
}

impl CheckedPolicy {
    /// Whether a rule's condition reads `labels.KEY`: for telling a campaign that wrote such a
    /// label outside `labels:` where it goes.
    pub fn reads_label(&self, key: &str) -> bool {
        let reads = |field: &FieldUse, _: &CheckedTest| matches!(&field.field, Field::Label(k) if k == key);
        self.rules.iter().filter_map(|r| r.condition.as_ref()).any(|c| c.any_test(&reads))
    }

    /// The rule with this id.
    pub fn rule(&self, id: RuleId) -> Option<&CheckedRule> {
        self.rules.get(id.0 as usize)
    }

    /// The rule with this name: rules are sorted by name, so a binary search finds it.
    pub fn rule_named(&self, name: &str) -> Option<&CheckedRule> {
        let i = self.rules.binary_search_by(|r| r.name.as_str().cmp(name)).ok()?;
        self.rules.get(i)
    }

    /// The names of rules, in the order given.
    pub fn rule_names(&self, ids: &[RuleId]) -> Vec<String> {
        ids.iter().filter_map(|id| self.rule(*id).map(|r| r.name.clone())).collect()
    }

    /// The path of a category.
    pub fn category_path(&self, id: CategoryId) -> &str {
        self.categories.path(id)
    }

    /// The path of a purpose.
    pub fn purpose_path(&self, id: PurposeId) -> &str {
        self.purposes.path(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_unit_is_one_unit_spelt_for_its_number() {
        assert_eq!(DurationUnit::suggest("monts", Some(2)), Some("months"));
        assert_eq!(DurationUnit::suggest("monts", Some(1)), Some("month"));
        assert_eq!(DurationUnit::suggest("zzz", Some(1)), None);
    }

    #[test]
    fn durations_compare_exactly() {
        let d = |n, u| Retention::new(n, u).unwrap();
        assert_eq!(d(24, DurationUnit::Month), d(730, DurationUnit::Day));
        assert_eq!(d(2, DurationUnit::Year), d(730, DurationUnit::Day));
        assert!(d(52, DurationUnit::Week) < d(1, DurationUnit::Year));
        assert!(d(105, DurationUnit::Week) > d(2, DurationUnit::Year));
        assert_eq!(Retention::new(u64::MAX, DurationUnit::Week), None);
    }

    #[test]
    fn a_duration_is_shown_as_written_and_compared_by_length() {
        let months = Retention::new(24, DurationUnit::Month).unwrap();
        let years = Retention::new(2, DurationUnit::Year).unwrap();
        assert_eq!((months.to_string(), years.to_string()), ("24 months".to_string(), "2 years".to_string()));
        assert_eq!(months, years);
        let hash = |r: &Retention| {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(r)
        };
        assert_eq!(hash(&months), hash(&years));
        assert_eq!(Retention::from_twelfths(4380 * 2).to_string(), "2 years");
        // An effect stays as small as it was: the unit takes a byte the enum's tag shares.
        assert_eq!(std::mem::size_of::<RuleEffect>(), 16);
    }
}
