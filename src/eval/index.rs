//! The rule index: for each (category, purpose) cell, the per-use rules whose scope contains
//! it, laid out so that deciding a use reads one small, contiguous run of memory.
//!
//! A cell holds its deny, warn and retain rules, then its allow rules, each in id (= name)
//! order, so that a blocked use never evaluates an allow. Cells with the same rules share one
//! run of entries (in a generated 10,000-rule policy half of all entries are such repeats), and
//! an entry holds what it takes to see, without reading anything but the campaign's facts,
//! that its rule does not apply: the memo slot of its condition and its guard. When the cells
//! would be too many entries (wide scopes over big taxonomies) the index has one cell per
//! category instead, and each rule's purposes are checked as it is visited.

use std::collections::HashMap;

use super::facts::{Facts, Slot};
use super::program::{Guard, GuardField};

/// Most memo slots; conditions beyond them are evaluated every time.
pub(super) const MAX_MEMO_SLOTS: u16 = 0x7ffe;

/// How an entry's condition is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Memo {
    /// The rule has no condition.
    Always,
    /// Evaluated every time: it reads a use's own fields (or the slots ran out).
    Never,
    /// Kept in a memo slot for the campaign.
    Campaign(u16),
    /// Kept in a memo slot for the campaign and the uses on the campaign's basis; evaluated
    /// for a use with a basis of its own.
    AtCampaignBasis(u16),
}

impl Memo {
    const ALWAYS: u16 = u16::MAX;
    const NEVER: u16 = u16::MAX - 1;
    const AT_BASIS: u16 = 0x8000;

    fn encode(self) -> u16 {
        match self {
            Memo::Always => Memo::ALWAYS,
            Memo::Campaign(slot) if slot < MAX_MEMO_SLOTS => slot,
            Memo::AtCampaignBasis(slot) if slot < MAX_MEMO_SLOTS => slot | Memo::AT_BASIS,
            _ => Memo::NEVER,
        }
    }

    fn decode(bits: u16) -> Memo {
        match bits {
            Memo::ALWAYS => Memo::Always,
            Memo::NEVER => Memo::Never,
            b if b & Memo::AT_BASIS != 0 => Memo::AtCampaignBasis(b & !Memo::AT_BASIS),
            b => Memo::Campaign(b),
        }
    }
}

/// A rule as the index holds it: 8 bytes, with what it takes to see that the rule does not
/// apply without reading anything but the campaign's facts and two small tables (memo slots
/// and guards), so that a cell's entries usually fit in one cache line.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Entry {
    pub rule: u32,
    /// A [`Memo`], packed.
    memo: u16,
    /// The condition's guard in [`Guards`], or [`NO_GUARD`].
    guard: u16,
}

/// In [`Entry`]: no guard.
const NO_GUARD: u16 = u16::MAX;

impl Entry {
    pub(super) fn new(rule: u32, memo: Memo, guard: Option<u16>) -> Entry {
        Entry { rule, memo: memo.encode(), guard: guard.unwrap_or(NO_GUARD) }
    }

    /// How the condition is evaluated.
    pub(super) fn memo(&self) -> Memo {
        Memo::decode(self.memo)
    }
}

/// The distinct guards of a policy's conditions: campaign-wide `field == text` tests that a
/// condition needs (see `Program::guard`).
#[derive(Clone, Debug, Default)]
pub(super) struct Guards {
    tests: Vec<Guard>,
    ids: HashMap<Guard, u16>,
}

impl Guards {
    /// The id of a guard, added when new; `None` once ids run out.
    pub(super) fn add(&mut self, guard: Guard) -> Option<u16> {
        if let Some(&id) = self.ids.get(&guard) {
            return Some(id);
        }
        let id = u16::try_from(self.tests.len()).ok().filter(|&id| id != NO_GUARD)?;
        self.tests.push(guard);
        self.ids.insert(guard, id);
        Some(id)
    }

    /// The guard of an entry's condition, if it has one.
    pub(super) fn get(&self, e: &Entry) -> Option<Guard> {
        self.tests.get(usize::from(e.guard)).copied()
    }

    /// What the campaign's value of a guard's field says about `field == text` tests.
    pub(super) fn value(field: GuardField, facts: &Facts) -> GuardValue {
        let slot = match field {
            GuardField::Top(i) => facts.top.get(usize::from(i)),
            GuardField::Label(k) => facts.labels.get(k as usize),
        };
        match slot {
            None | Some(Slot::Absent) => GuardValue::Unknown,
            Some(Slot::Sym(s)) => GuardValue::Text(*s),
            Some(_) => GuardValue::NoText,
        }
    }

    /// Whether the campaign's value of the entry's guard field makes its condition false.
    pub(super) fn refute(&self, e: &Entry, facts: &Facts) -> bool {
        let Some(guard) = self.tests.get(usize::from(e.guard)) else { return false };
        match Guards::value(guard.field, facts) {
            GuardValue::Unknown => false,
            GuardValue::Text(s) => s != guard.sym,
            GuardValue::NoText => true,
        }
    }
}

/// A campaign's value of a guard's field, as `field == text` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GuardValue {
    /// The field is absent: every such equality is unknown, not false.
    Unknown,
    /// This text (interned): only an equality with it can hold.
    Text(u32),
    /// A value of another type, which equals no text.
    NoText,
}

/// Lists in compressed-row form: list `i` is `items[offsets[i]..offsets[i + 1]]`. The
/// offsets are 32-bit: a checked policy covers at most `MAX_SCOPE_PAIRS` (rule, category)
/// pairs, and cells are built only within the entry budget.
#[derive(Clone, Debug, Default)]
pub(super) struct Lists<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T> Lists<T> {
    pub(super) fn get(&self, i: usize) -> &[T] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl<T: Copy + Default> Lists<T> {
    /// Builds `count` lists from (list, item) pairs, which `pairs` gives twice, in the same
    /// order each time: once to size the lists, once to fill them.
    pub(super) fn build(count: usize, pairs: impl Fn(&mut dyn FnMut(usize, T))) -> Lists<T> {
        let mut offsets = vec![0u32; count + 1];
        pairs(&mut |list, _| {
            if let Some(l) = offsets.get_mut(list + 1) {
                *l += 1;
            }
        });
        for i in 1..offsets.len() {
            let prev = offsets.get(i - 1).copied().unwrap_or(0);
            if let Some(l) = offsets.get_mut(i) {
                *l += prev;
            }
        }
        let total = offsets.last().copied().unwrap_or(0) as usize;
        let mut items = vec![T::default(); total];
        let mut next = offsets.clone();
        pairs(&mut |list, item| {
            if let Some(n) = next.get_mut(list) {
                if let Some(slot) = items.get_mut(*n as usize) {
                    *slot = item;
                }
                *n += 1;
            }
        });
        Lists { offsets, items }
    }
}

/// A per-use rule's scope while indexing.
pub(super) struct UseScope {
    pub is_allow: bool,
    /// Covered categories, sorted.
    pub categories: Vec<u32>,
    /// Covered purposes, sorted.
    pub purposes: Vec<u32>,
}

/// Where a cell's rules are in [`RuleIndex::entries`].
#[derive(Clone, Copy, Debug, Default)]
struct CellSpan {
    start: u32,
    checks: u32,
    allows: u32,
}

/// How cells are addressed.
#[derive(Clone, Copy, Debug)]
enum Layout {
    /// Cell `category * purposes + purpose`.
    Cells { purposes: usize },
    /// Cell `category`; a rule's purposes are checked as it is visited.
    ByCategory,
}

/// The per-use rule index.
#[derive(Clone, Debug)]
pub(super) struct RuleIndex {
    layout: Layout,
    cells: Vec<CellSpan>,
    entries: Vec<Entry>,
}

impl RuleIndex {
    /// Indexes the rules' scopes (by rule id; `None` for campaign-level rules), one cell per
    /// (category, purpose) pair unless that would take more than `budget` entries or more
    /// than a quarter as many cells (a cell and its share of the lists being built take 20
    /// bytes, an entry 8): two taxonomies of thousands of nodes make millions of cells even
    /// for a policy without rules.
    pub(super) fn build(
        scopes: &[Option<UseScope>],
        rule_entries: &[Entry],
        categories: usize,
        purposes: usize,
        budget: usize,
    ) -> RuleIndex {
        let wanted = scopes
            .iter()
            .flatten()
            .map(|s| s.categories.len().saturating_mul(s.purposes.len()))
            .fold(0, usize::saturating_add);
        let cells = categories.saturating_mul(purposes);
        let layout =
            if wanted <= budget && cells <= budget / 4 { Layout::Cells { purposes } } else { Layout::ByCategory };
        let count = match layout {
            Layout::Cells { .. } => categories * purposes,
            Layout::ByCategory => categories,
        };
        let lists = |allow: bool| {
            Lists::build(count, |emit| {
                for (id, s) in scopes.iter().enumerate() {
                    let Some(s) = s.as_ref().filter(|s| s.is_allow == allow) else { continue };
                    for &c in &s.categories {
                        match layout {
                            Layout::Cells { purposes } => {
                                s.purposes.iter().for_each(|&p| emit(c as usize * purposes + p as usize, id as u32))
                            }
                            Layout::ByCategory => emit(c as usize, id as u32),
                        }
                    }
                }
            })
        };
        let (checks, allows) = (lists(false), lists(true));
        let mut cells = Vec::with_capacity(count);
        let mut entries = Vec::new();
        // Tens of thousands of cells, most equal to another: a fast hash (foldhash; SipHash
        // was two thirds of compiling a 1,000-rule policy), and a cell equal to the one before
        // it (the next purpose of the same category, often) is not hashed at all.
        type CellRules<'a> = (&'a [u32], &'a [u32]);
        let mut seen: HashMap<CellRules, CellSpan, foldhash::fast::FixedState> = HashMap::default();
        let entry = |r: &u32| rule_entries.get(*r as usize).copied();
        let mut previous: Option<(CellRules, CellSpan)> = None;
        for cell in 0..count {
            let key = (checks.get(cell), allows.get(cell));
            let span = match previous {
                Some((before, span)) if before == key => span,
                _ => *seen.entry(key).or_insert_with(|| {
                    let span = CellSpan {
                        start: entries.len() as u32,
                        checks: key.0.len() as u32,
                        allows: key.1.len() as u32,
                    };
                    entries.extend(key.0.iter().chain(key.1).filter_map(entry));
                    span
                }),
            };
            previous = Some((key, span));
            cells.push(span);
        }
        RuleIndex { layout, cells, entries }
    }

    /// A use's candidate rules: deny, warn and retain rules, then allow rules, each in id
    /// order, and whether their purposes still need checking.
    pub(super) fn candidates(&self, category: u32, purpose: u32) -> (&[Entry], &[Entry], bool) {
        let (cell, filter) = match self.layout {
            Layout::Cells { purposes } if (purpose as usize) < purposes => {
                (category as usize * purposes + purpose as usize, false)
            }
            Layout::Cells { .. } => return (&[], &[], false),
            Layout::ByCategory => (category as usize, true),
        };
        let Some(span) = self.cells.get(cell) else { return (&[], &[], false) };
        let start = span.start as usize;
        let mid = start + span.checks as usize;
        let end = mid + span.allows as usize;
        (self.entries.get(start..mid).unwrap_or(&[]), self.entries.get(mid..end).unwrap_or(&[]), filter)
    }

    /// Whether there is one cell per (category, purpose) pair (else one per category).
    pub(super) fn has_cells(&self) -> bool {
        matches!(self.layout, Layout::Cells { .. })
    }

    /// Number of entries stored (cells with the same rules share theirs).
    pub(super) fn stored_entries(&self) -> usize {
        self.entries.len()
    }
}
