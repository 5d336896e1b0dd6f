//! A campaign's values as the compiled evaluator reads them: every text value interned once
//! into the policy's symbol table, so that conditions compare integers, never strings.
//!
//! Only the policy's own literals get symbols. A campaign text that no condition mentions maps
//! to [`FOREIGN`], which equals no literal; that is all a comparison can ask of it, since
//! conditions only ever compare a campaign value with a policy literal. A policy that searches
//! texts (`matches`) needs the text itself: there each such campaign text gets a symbol of its
//! own from [`FOREIGN_BASE`] up, kept with the campaign's facts, and still equals no literal.

use std::cell::Cell;

use super::truth::Truth;

use crate::campaign::{Campaign, Located};
use crate::policy::fields::{Field, CAMPAIGN_VALUE_FIELDS};

/// The symbol of a campaign text that is not a policy literal.
pub(super) const FOREIGN: u32 = u32::MAX;

/// The first symbol of a campaign's own texts, where they are kept (see the module's text):
/// above any policy's literals, which a policy file's size limit keeps far below it.
const FOREIGN_BASE: u32 = 1 << 31;

/// The policy's text literals, interned.
#[derive(Clone, Debug, Default)]
pub(super) struct Symbols {
    /// foldhash: symbols are short and looked up for every campaign text, where SipHash
    /// costs more than the lookup; seeded per process, so which texts collide is not fixed.
    ids: foldhash::HashMap<Box<str>, u32>,
    /// Each symbol's text, by symbol: kept only for a policy that searches texts
    /// ([`Symbols::keep_texts`]).
    texts: Vec<Box<str>>,
}

impl Symbols {
    /// The symbol of a policy literal, added when new.
    pub(super) fn intern(&mut self, text: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(text.into()).or_insert(next)
    }

    /// Keeps each symbol's text, for `matches`; once every literal is interned.
    pub(super) fn keep_texts(&mut self) {
        let mut texts: Vec<Box<str>> = vec![Box::from(""); self.ids.len()];
        for (text, &id) in &self.ids {
            if let Some(t) = texts.get_mut(id as usize) {
                t.clone_from(text);
            }
        }
        self.texts = texts;
    }

    /// The symbol of a campaign text: [`FOREIGN`] when no literal has this text.
    pub(super) fn get(&self, text: &str) -> u32 {
        self.ids.get(text).copied().unwrap_or(FOREIGN)
    }

    /// The text of a policy literal's symbol.
    pub(super) fn text(&self, sym: u32) -> Option<&str> {
        self.texts.get(sym as usize).map(|t| &**t)
    }
}

/// Campaign texts to symbols, keeping those that are no policy literal when `keep`.
struct Interner<'a> {
    symbols: &'a Symbols,
    keep: bool,
    foreign: Vec<Box<str>>,
}

impl Interner<'_> {
    fn get(&mut self, text: &str) -> u32 {
        match self.symbols.get(text) {
            FOREIGN if self.keep => {
                self.foreign.push(text.into());
                FOREIGN_BASE + (self.foreign.len() as u32 - 1)
            }
            sym => sym,
        }
    }
}

/// The campaign-wide fields held in [`Facts::top`], by slot.
pub(super) const TOP_FIELDS: [Field; CAMPAIGN_VALUE_FIELDS.len()] = CAMPAIGN_VALUE_FIELDS;

/// The slot of a campaign-wide field in [`Facts::top`].
pub(super) fn top_slot(field: &Field) -> Option<u8> {
    TOP_FIELDS.iter().position(|f| f == field).map(|i| i as u8)
}

/// One stored value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    /// Not declared.
    Absent,
    /// Text, interned.
    Sym(u32),
    /// Boolean.
    Bool(bool),
    /// Integer.
    Int(i64),
    /// A list of texts: `len` symbols from `start` in [`Facts::pool`].
    List { start: u32, len: u32 },
}

/// One entry of `data`, interned.
#[derive(Clone, Copy, Debug)]
pub(super) struct UseFacts {
    /// Category id.
    pub category: u32,
    /// Effective purpose (the use's own, else the campaign's).
    pub purpose: Option<u32>,
    /// Effective basis (the use's own, else the campaign's).
    pub basis: Option<u32>,
    /// Retention in twelfths of a day.
    pub retention: Option<u64>,
    /// `source`.
    pub source: Option<u32>,
}

/// One entry of `processors`, interned.
#[derive(Clone, Copy, Debug)]
pub(super) struct ProcessorFacts {
    pub name: u32,
    pub region: Option<u32>,
    pub safeguard: Option<u32>,
    pub dpa: Option<bool>,
}

/// Which fields the policy's conditions read, so that facts skip the rest.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Needs {
    /// Bit `i`: top slot `i`.
    pub top: u32,
    pub basis: bool,
    pub source: bool,
    pub processors: bool,
    /// A condition searches text (`matches`): campaign texts are kept.
    pub texts: bool,
}

/// A campaign ready for the compiled evaluator: built once per campaign, read by every
/// decision of its uses.
#[derive(Clone, Debug)]
pub struct Facts {
    pub(super) top: [Slot; TOP_FIELDS.len()],
    pub(super) labels: Vec<Slot>,
    pub(super) pool: Vec<u32>,
    pub(super) purpose: Option<u32>,
    pub(super) basis: Option<u32>,
    pub(super) uses: Vec<UseFacts>,
    pub(super) processors: Option<Vec<ProcessorFacts>>,
    /// The campaign's texts that are no policy literal, by symbol from [`FOREIGN_BASE`], when
    /// a condition searches texts.
    foreign: Vec<Box<str>>,
    /// The value of each campaign-wide condition, by memo slot, once evaluated: such a
    /// condition has one value for the whole campaign, and large policies repeat the same few
    /// conditions across many rules. `None` until first needed.
    memo: Vec<Cell<Option<Truth>>>,
    /// The value of each campaign-wide part of a condition, by slot, once evaluated (see
    /// `Node::Kept` in `program.rs`).
    kept: Vec<Cell<Option<Truth>>>,
}

impl Facts {
    /// Number of entries of `data`.
    pub fn use_count(&self) -> usize {
        self.uses.len()
    }

    /// Forgets the memoised condition values; they are recomputed when next needed. Deciding a
    /// campaign again does not need this (its values cannot change); a benchmark that wants to
    /// count the work of a first decision does.
    pub fn forget_memo(&self) {
        self.memo.iter().chain(&self.kept).for_each(|m| m.set(None));
    }

    /// The text of a symbol this campaign gave one of its own texts.
    pub(super) fn foreign_text(&self, sym: u32) -> Option<&str> {
        let i = sym.checked_sub(FOREIGN_BASE)?;
        self.foreign.get(i as usize).map(|t| &**t)
    }

    /// A campaign-wide condition's value, when already evaluated for this campaign.
    pub(super) fn memo(&self, slot: u16) -> Option<Truth> {
        self.memo.get(slot as usize).and_then(Cell::get)
    }

    /// A campaign-wide part of a condition's value, when already evaluated for this campaign.
    pub(super) fn kept(&self, slot: u32) -> Option<Truth> {
        self.kept.get(slot as usize).and_then(Cell::get)
    }

    /// Keeps a campaign-wide part of a condition's value for the rest of the campaign.
    pub(super) fn keep(&self, slot: u32, truth: Truth) {
        if let Some(m) = self.kept.get(slot as usize) {
            m.set(Some(truth));
        }
    }

    /// Keeps a campaign-wide condition's value for the rest of the campaign.
    pub(super) fn remember(&self, slot: u16, truth: Truth) {
        if let Some(m) = self.memo.get(slot as usize) {
            m.set(Some(truth));
        }
    }

    pub(super) fn new(
        c: &Campaign,
        symbols: &Symbols,
        needs: Needs,
        label_keys: &[String],
        memo_slots: usize,
        kept_slots: usize,
    ) -> Facts {
        let mut texts = Interner { symbols, keep: needs.texts, foreign: Vec::new() };
        let sym = |v: &Option<Located<String>>, texts: &mut Interner| v.as_ref().map(|l| texts.get(&l.value));
        let basis = if needs.basis { sym(&c.basis, &mut texts) } else { None };
        let labels = label_keys
            .iter()
            .map(|k| c.labels.get(k).map_or(Slot::Absent, |l| Slot::Sym(texts.get(&l.value))))
            .collect();
        let uses = c
            .data
            .iter()
            .map(|u| UseFacts {
                category: u.category.value.0,
                purpose: u.purpose.as_ref().or(c.purpose.as_ref()).map(|p| p.value.0),
                basis: if needs.basis { sym(&u.basis, &mut texts).or(basis) } else { None },
                retention: u.retention.as_ref().map(|r| r.value.twelfths_of_a_day),
                source: if needs.source { sym(&u.source, &mut texts) } else { None },
            })
            .collect();
        let processors = match needs.processors {
            true => c.processors.as_ref().map(|ps| {
                ps.iter()
                    .map(|p| ProcessorFacts {
                        name: texts.get(&p.name.value),
                        region: sym(&p.region, &mut texts),
                        safeguard: sym(&p.safeguard, &mut texts),
                        dpa: p.dpa.as_ref().map(|d| d.value),
                    })
                    .collect()
            }),
            false => None,
        };
        let mut facts = Facts {
            top: [Slot::Absent; TOP_FIELDS.len()],
            labels,
            pool: Vec::new(),
            purpose: c.purpose.as_ref().map(|p| p.value.0),
            basis,
            uses,
            processors,
            foreign: Vec::new(),
            memo: vec![Cell::new(None); memo_slots],
            kept: vec![Cell::new(None); kept_slots],
        };
        for (i, field) in TOP_FIELDS.iter().enumerate() {
            if needs.top & (1 << i) == 0 {
                continue;
            }
            let slot = facts.read(c, field, &mut texts);
            if let Some(s) = facts.top.get_mut(i) {
                *s = slot;
            }
        }
        facts.foreign = texts.foreign;
        facts
    }

    fn read(&mut self, c: &Campaign, field: &Field, texts: &mut Interner) -> Slot {
        let boolean = |v: &Option<Located<bool>>| v.as_ref().map_or(Slot::Absent, |l| Slot::Bool(l.value));
        let mut text =
            |v: &Option<Located<String>>| v.as_ref().map_or(Slot::Absent, |l| Slot::Sym(texts.get(&l.value)));
        let list = match field {
            Field::Campaign => return text(&c.id),
            Field::Name => return text(&c.name),
            Field::Owner => return text(&c.owner),
            Field::MinAge => return c.min_age.as_ref().map_or(Slot::Absent, |l| Slot::Int(l.value)),
            Field::ConsentSource => return text(&c.consent_source),
            Field::DoubleOptIn => return boolean(&c.double_opt_in),
            Field::Withdrawal => return text(&c.withdrawal),
            Field::Monitoring => return boolean(&c.monitoring),
            Field::Unsubscribe => return boolean(&c.unsubscribe),
            Field::Contact => return text(&c.contact),
            Field::RightsAccess => return text(&c.rights_access),
            Field::Erasure => return text(&c.erasure),
            Field::Rectification => return text(&c.rectification),
            Field::Channels => &c.channels,
            Field::Regions => &c.regions,
            Field::Subjects => &c.subjects,
            Field::Segments => &c.segments,
            Field::Encryption => &c.encryption,
            Field::Access => &c.access,
            _ => return Slot::Absent,
        };
        let Some(items) = list else { return Slot::Absent };
        let start = self.pool.len() as u32;
        self.pool.extend(items.iter().map(|l| texts.get(&l.value)));
        Slot::List { start, len: items.len() as u32 }
    }
}
