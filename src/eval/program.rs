//! Conditions compiled to a flat tree (an arena of nodes addressed by `u32`) over interned
//! symbols and field slots, evaluated in three-valued logic against [`Facts`].
//!
//! The semantics are those of the reference interpreter in `condition.rs` (spec 3.1), which
//! explanations and the oracle use; the property tests hold the two together. Unlike the
//! interpreter, `and`, `or`, `any` and `all` stop as soon as the result is settled, which a
//! pure evaluation allows.
//!
//! Equal subtrees are stored once (hash-consing), so rules that share a condition share its
//! root node; [`Program::reads`] tells which roots read only campaign-wide values, whose result
//! can be kept for the rest of a campaign (see `Facts::memo`).

use foldhash::HashMap;

use super::facts::{top_slot, Facts, Needs, ProcessorFacts, Slot, Symbols, UseFacts};
use super::truth::Truth;
use crate::policy::fields::{Field, ObjectKind};
use crate::policy::taxonomy::Taxonomy;
use crate::policy::{CategoryId, CheckedTest, Cond, Literal, Ordering, Pattern, PurposeId, Quantifier};

/// Where a field's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Src {
    Top(u8),
    Label(u32),
    Purpose,
    Basis,
    Category,
    Retention,
    Source,
    Data,
    Processors,
    ProcessorName,
    ProcessorRegion,
    ProcessorSafeguard,
    ProcessorDpa,
}

/// A literal with its text interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Lit {
    Sym(u32),
    Bool(bool),
    Int(i64),
    Duration(u64),
    Category(CategoryId),
    Purpose(PurposeId),
}

/// A value as a compiled test sees it. [`Facts`] keep categories and purposes as the raw
/// numbers the rule index is addressed by; reading a field wraps them into typed ids, which
/// costs nothing and keeps a category from being asked of the purpose taxonomy.
#[derive(Clone, Copy)]
enum V<'a> {
    Absent,
    Sym(u32),
    Bool(bool),
    Int(i64),
    Duration(u64),
    Category(CategoryId),
    Purpose(PurposeId),
    List(&'a [u32]),
    Processors(&'a [ProcessorFacts]),
    Data(&'a [UseFacts]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Test {
    IsSet {
        negated: bool,
    },
    Truthy,
    IsEmpty {
        negated: bool,
    },
    UnderCategory(CategoryId),
    UnderPurpose(PurposeId),
    Equals {
        lit: Lit,
        negated: bool,
    },
    Compare(Ordering, Lit),
    /// `len` literals from `start` in [`Program::lits`].
    In {
        start: u32,
        len: u32,
        negated: bool,
    },
    Contains(Lit),
    Within {
        start: u32,
        len: u32,
    },
    Overlaps {
        start: u32,
        len: u32,
    },
    /// Pattern `0` of [`Program::patterns`].
    Matches(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    /// `len` children from `start` in [`Program::kids`].
    And {
        start: u32,
        len: u32,
    },
    Or {
        start: u32,
        len: u32,
    },
    Not(u32),
    Quant {
        quantifier: Quantifier,
        list: ObjectKind,
        src: Src,
        body: u32,
    },
    Test {
        src: Src,
        test: Test,
    },
    /// A part of a condition that reads only campaign-wide values but costs more than a test
    /// of one value (a quantifier, a test over a list), inside a condition that reads a use's
    /// own fields: its value is kept in slot `slot` of the campaign's [`Facts`] once
    /// evaluated. Without it `any data (…) and category == c` ranged over every use for each
    /// use, quadratic in the campaign's size. See [`Program::keep_campaign_parts`].
    Kept {
        slot: u32,
        inner: u32,
    },
}

/// Where a compiled condition is evaluated.
#[derive(Clone, Copy)]
pub(super) enum Ctx<'a> {
    /// One use (or, inside `any data`, one element) of a campaign.
    Use(&'a Facts, &'a UseFacts),
    /// A campaign at one effective purpose.
    Campaign(&'a Facts, u32),
    /// One processor of a campaign, inside `any processors`.
    Processor(&'a Facts, &'a ProcessorFacts),
}

impl<'a> Ctx<'a> {
    /// The campaign's facts.
    fn facts(self) -> &'a Facts {
        match self {
            Ctx::Use(f, _) | Ctx::Campaign(f, _) | Ctx::Processor(f, _) => f,
        }
    }
}

/// Every condition of a policy, compiled.
#[derive(Clone, Debug, Default)]
pub(super) struct Program {
    nodes: Vec<Node>,
    kids: Vec<u32>,
    lits: Vec<Lit>,
    pub symbols: Symbols,
    pub needs: Needs,
    /// Label keys read by conditions, by label slot.
    pub label_keys: Vec<String>,
    /// The slot of each label key: a policy may read a hundred thousand of them.
    label_slots: HashMap<String, u32>,
    /// Each distinct node, child list and literal list, once: equal conditions get one root.
    consed_nodes: HashMap<Node, u32>,
    consed_kids: HashMap<Vec<u32>, (u32, u32)>,
    consed_lits: HashMap<Vec<Lit>, (u32, u32)>,
    /// The regular expressions of `matches`, each once.
    patterns: Vec<Pattern>,
    consed_patterns: HashMap<Pattern, u32>,
    /// The slot of each [`Node::Kept`] part, by the part's node.
    kept_slots: HashMap<u32, u32>,
}

impl Program {
    /// Compiles a condition; returns its root node.
    pub(super) fn compile(&mut self, cond: &Cond) -> u32 {
        let node = match cond {
            Cond::Or(parts) | Cond::And(parts) => {
                let kids: Vec<u32> = parts.iter().map(|p| self.compile(p)).collect();
                let (start, len) = cons_list(&mut self.consed_kids, &mut self.kids, kids);
                if matches!(cond, Cond::Or(_)) {
                    Node::Or { start, len }
                } else {
                    Node::And { start, len }
                }
            }
            Cond::Not(inner) => Node::Not(self.compile(inner)),
            Cond::Quant { quantifier, list, field, body, .. } => {
                let src = self.src(&field.field);
                let body = self.compile(body);
                Node::Quant { quantifier: *quantifier, list: *list, src, body }
            }
            Cond::Test { field, test, .. } => {
                let src = self.src(&field.field);
                let test = self.test(test);
                Node::Test { src, test }
            }
        };
        self.cons(node)
    }

    /// The node's id, stored the first time it is seen.
    fn cons(&mut self, node: Node) -> u32 {
        if let Some(&id) = self.consed_nodes.get(&node) {
            return id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(node);
        self.consed_nodes.insert(node, id);
        id
    }

    /// The condition at `root` with its costly campaign-wide parts kept for the campaign
    /// ([`Node::Kept`]), when it reads a use's own fields (a condition that reads only
    /// campaign-wide values is kept whole, in a memo slot of its rule's entry). Only parts
    /// joined by `and`, `or` and `not` are kept: inside `any` / `all` a field may be the
    /// element's, which differs from one element to the next.
    pub(super) fn keep_campaign_parts(&mut self, root: u32) -> u32 {
        match self.reads(root) {
            Reads::Campaign => root,
            Reads::CampaignAndBasis | Reads::Use => self.keep_parts(root),
        }
    }

    fn keep_parts(&mut self, node: u32) -> u32 {
        match self.nodes.get(node as usize).copied() {
            _ if self.reads(node) == Reads::Campaign => match self.costly(node) {
                true => {
                    let next = self.kept_slots.len() as u32;
                    let slot = *self.kept_slots.entry(node).or_insert(next);
                    self.cons(Node::Kept { slot, inner: node })
                }
                false => node,
            },
            Some(group @ (Node::And { start, len } | Node::Or { start, len })) => {
                let kids = self.kids_of(start, len).to_vec();
                let kept: Vec<u32> = kids.iter().map(|&k| self.keep_parts(k)).collect();
                if kept == kids {
                    return node;
                }
                let (start, len) = cons_list(&mut self.consed_kids, &mut self.kids, kept);
                match group {
                    Node::Or { .. } => self.cons(Node::Or { start, len }),
                    _ => self.cons(Node::And { start, len }),
                }
            }
            Some(Node::Not(inner)) => match self.keep_parts(inner) {
                kept if kept == inner => node,
                kept => self.cons(Node::Not(kept)),
            },
            _ => node,
        }
    }

    /// Whether evaluating the condition at `node` may cost more than a few tests of single
    /// values: it ranges over a list of the campaign's, or over a long literal list.
    fn costly(&self, node: u32) -> bool {
        match self.nodes.get(node as usize) {
            Some(Node::And { start, len } | Node::Or { start, len }) => {
                self.kids_of(*start, *len).iter().any(|&k| self.costly(k))
            }
            Some(Node::Not(inner)) => self.costly(*inner),
            Some(Node::Quant { .. } | Node::Kept { .. }) => true,
            Some(Node::Test { test, .. }) => match test {
                Test::Contains(_) | Test::Within { .. } | Test::Overlaps { .. } | Test::Matches(_) => true,
                Test::In { len, .. } => *len > 8,
                _ => false,
            },
            None => false,
        }
    }

    /// How many [`Node::Kept`] slots a campaign's [`Facts`] need.
    pub(super) fn kept_slots(&self) -> usize {
        self.kept_slots.len()
    }

    /// An equality between a campaign-wide text field and a literal that the condition at `node`
    /// needs (it is the condition, or one of its `and` terms), as in `labels.brand == b07 and
    /// ...`: when the campaign holds another value, the condition is false without evaluating
    /// it. (When the field is absent the equality is unknown, and the condition is evaluated.)
    pub(super) fn guard(&self, node: u32) -> Option<Guard> {
        match self.nodes.get(node as usize)? {
            Node::Test { src, test: Test::Equals { lit: Lit::Sym(sym), negated: false } } => {
                let field = match src {
                    Src::Top(i) => GuardField::Top(*i),
                    Src::Label(k) => GuardField::Label(*k),
                    _ => return None,
                };
                Some(Guard { field, sym: *sym })
            }
            Node::And { start, len } => self.kids_of(*start, *len).iter().find_map(|&k| self.guard(k)),
            _ => None,
        }
    }

    /// What a condition reads, which says for how long its value holds. `purpose`, `basis`,
    /// `category`, `retention` and `source` are the use's (or, for `purpose` at campaign
    /// level, the purpose being decided); everything inside `any` / `all` is read from the
    /// elements ranged over, which belong to the campaign.
    pub(super) fn reads(&self, node: u32) -> Reads {
        match self.nodes.get(node as usize) {
            Some(Node::And { start, len } | Node::Or { start, len }) => {
                self.kids_of(*start, *len).iter().map(|&k| self.reads(k)).max().unwrap_or(Reads::Campaign)
            }
            Some(Node::Not(inner)) => self.reads(*inner),
            Some(Node::Quant { .. } | Node::Kept { .. }) => Reads::Campaign,
            Some(Node::Test { src: Src::Basis, .. }) => Reads::CampaignAndBasis,
            Some(Node::Test { src: Src::Purpose | Src::Category | Src::Retention | Src::Source, .. }) | None => {
                Reads::Use
            }
            Some(Node::Test { .. }) => Reads::Campaign,
        }
    }

    fn src(&mut self, field: &Field) -> Src {
        if let Some(slot) = top_slot(field) {
            self.needs.top |= 1 << slot;
            return Src::Top(slot);
        }
        match field {
            Field::Purpose => Src::Purpose,
            Field::Basis => {
                self.needs.basis = true;
                Src::Basis
            }
            Field::Category => Src::Category,
            Field::Retention => Src::Retention,
            Field::Source => {
                self.needs.source = true;
                Src::Source
            }
            Field::Data => Src::Data,
            Field::Label(key) => {
                let next = self.label_keys.len() as u32;
                let slot = *self.label_slots.entry(key.clone()).or_insert(next);
                if slot == next {
                    self.label_keys.push(key.clone());
                }
                Src::Label(slot)
            }
            Field::ProcessorName => Src::ProcessorName,
            Field::ProcessorRegion => Src::ProcessorRegion,
            Field::ProcessorSafeguard => Src::ProcessorSafeguard,
            Field::ProcessorDpa => Src::ProcessorDpa,
            // `processors` and any field not handled above.
            _ => {
                self.needs.processors = true;
                Src::Processors
            }
        }
    }

    fn lit(&mut self, l: &Literal) -> Lit {
        match l {
            Literal::Text(t) => Lit::Sym(self.symbols.intern(t)),
            Literal::Bool(b) => Lit::Bool(*b),
            Literal::Int(i) => Lit::Int(*i),
            Literal::Duration(d) => Lit::Duration(d.twelfths_of_a_day),
            Literal::Category(c) => Lit::Category(*c),
            Literal::Purpose(p) => Lit::Purpose(*p),
        }
    }

    fn lits(&mut self, ls: &[Literal]) -> (u32, u32) {
        let compiled: Vec<Lit> = ls.iter().map(|l| self.lit(l)).collect();
        cons_list(&mut self.consed_lits, &mut self.lits, compiled)
    }

    fn test(&mut self, t: &CheckedTest) -> Test {
        match t {
            CheckedTest::Truthy => Test::Truthy,
            CheckedTest::IsSet { negated } => Test::IsSet { negated: *negated },
            CheckedTest::IsEmpty { negated } => Test::IsEmpty { negated: *negated },
            CheckedTest::UnderCategory(c) => Test::UnderCategory(*c),
            CheckedTest::UnderPurpose(p) => Test::UnderPurpose(*p),
            CheckedTest::Equals { value, negated } => Test::Equals { lit: self.lit(value), negated: *negated },
            CheckedTest::Compare(ord, value) => Test::Compare(*ord, self.lit(value)),
            CheckedTest::In { values, negated } => {
                let (start, len) = self.lits(values);
                Test::In { start, len, negated: *negated }
            }
            CheckedTest::Contains(l) => Test::Contains(self.lit(l)),
            CheckedTest::Within(ls) => {
                let (start, len) = self.lits(ls);
                Test::Within { start, len }
            }
            CheckedTest::Overlaps(ls) => {
                let (start, len) = self.lits(ls);
                Test::Overlaps { start, len }
            }
            CheckedTest::Matches(p) => {
                // Matching reads the campaign's own text, which interning alone would lose.
                self.needs.texts = true;
                let next = self.patterns.len() as u32;
                let id = *self.consed_patterns.entry(p.clone()).or_insert(next);
                if id == next {
                    self.patterns.push(p.clone());
                }
                Test::Matches(id)
            }
        }
    }

    /// Evaluates the condition rooted at `node`.
    pub(super) fn eval(&self, node: u32, ctx: Ctx<'_>, under: &Under<'_>) -> Truth {
        let Some(n) = self.nodes.get(node as usize) else { return Truth::Unknown };
        match *n {
            Node::And { start, len } => {
                let mut acc = Truth::True;
                for &k in self.kids_of(start, len) {
                    match self.eval(k, ctx, under) {
                        Truth::False => return Truth::False,
                        Truth::Unknown => acc = Truth::Unknown,
                        Truth::True => {}
                    }
                }
                acc
            }
            Node::Or { start, len } => {
                let mut acc = Truth::False;
                for &k in self.kids_of(start, len) {
                    match self.eval(k, ctx, under) {
                        Truth::True => return Truth::True,
                        Truth::Unknown => acc = Truth::Unknown,
                        Truth::False => {}
                    }
                }
                acc
            }
            Node::Not(inner) => self.eval(inner, ctx, under).negate(),
            Node::Quant { quantifier, list, src, body } => match (list, get(ctx, src)) {
                (ObjectKind::Processor, V::Processors(items)) => {
                    let f = ctx.facts();
                    quantify(quantifier, items.iter().map(|p| self.eval(body, Ctx::Processor(f, p), under)))
                }
                (ObjectKind::DataUse, V::Data(items)) => match ctx {
                    Ctx::Use(f, _) | Ctx::Campaign(f, _) => {
                        quantify(quantifier, items.iter().map(|u| self.eval(body, Ctx::Use(f, u), under)))
                    }
                    Ctx::Processor(..) => Truth::Unknown,
                },
                _ => Truth::Unknown,
            },
            Node::Test { src, test } => self.test_value(test, get(ctx, src), ctx.facts(), under),
            Node::Kept { slot, inner } => {
                let facts = ctx.facts();
                facts.kept(slot).unwrap_or_else(|| {
                    let truth = self.eval(inner, ctx, under);
                    facts.keep(slot, truth);
                    truth
                })
            }
        }
    }

    /// `matches`: the text behind a symbol, the policy's or the campaign's own, searched.
    fn matches(&self, pattern: u32, value: V<'_>, facts: &Facts) -> Truth {
        let text = match value {
            V::Sym(s) => self.symbols.text(s).or_else(|| facts.foreign_text(s)),
            _ => None,
        };
        match (text, self.patterns.get(pattern as usize)) {
            (Some(t), Some(p)) => p.is_match(t).map_or(Truth::Unknown, Truth::from_bool),
            _ => Truth::Unknown,
        }
    }

    fn kids_of(&self, start: u32, len: u32) -> &[u32] {
        self.kids.get(start as usize..(start + len) as usize).unwrap_or(&[])
    }

    fn lits_of(&self, start: u32, len: u32) -> &[Lit] {
        self.lits.get(start as usize..(start + len) as usize).unwrap_or(&[])
    }

    /// A test of `value`; `facts` are the campaign's, whose own texts `matches` searches.
    fn test_value(&self, test: Test, value: V<'_>, facts: &Facts, under: &Under<'_>) -> Truth {
        let absent = matches!(value, V::Absent);
        match test {
            Test::IsSet { negated } => Truth::from_bool(absent == negated),
            _ if absent => Truth::Unknown,
            Test::Truthy => Truth::from_bool(matches!(value, V::Bool(true))),
            Test::IsEmpty { negated } => {
                let empty = match value {
                    V::List(l) => l.is_empty(),
                    V::Processors(l) => l.is_empty(),
                    V::Data(l) => l.is_empty(),
                    _ => false,
                };
                Truth::from_bool(empty != negated)
            }
            Test::UnderCategory(b) => match value {
                V::Category(c) => Truth::from_bool(under.categories.is_under(c, b)),
                _ => Truth::Unknown,
            },
            Test::UnderPurpose(b) => match value {
                V::Purpose(p) => Truth::from_bool(under.purposes.is_under(p, b)),
                _ => Truth::Unknown,
            },
            Test::Equals { lit, negated } => Truth::from_bool(equals(value, lit) != negated),
            Test::Compare(ord, lit) => {
                let cmp = match (value, lit) {
                    (V::Int(a), Lit::Int(b)) => a.cmp(&b),
                    (V::Duration(a), Lit::Duration(b)) => a.cmp(&b),
                    _ => return Truth::Unknown,
                };
                Truth::from_bool(ord.holds(cmp))
            }
            Test::In { start, len, negated } => {
                let found = self.lits_of(start, len).iter().any(|l| equals(value, *l));
                Truth::from_bool(found != negated)
            }
            Test::Contains(lit) => match value {
                V::List(items) => Truth::from_bool(matches!(lit, Lit::Sym(s) if items.contains(&s))),
                _ => Truth::Unknown,
            },
            Test::Within { start, len } => match value {
                V::List(items) => {
                    let lits = self.lits_of(start, len);
                    Truth::from_bool(items.iter().all(|i| sym_in(*i, lits)))
                }
                _ => Truth::Unknown,
            },
            Test::Overlaps { start, len } => match value {
                V::List(items) => {
                    let lits = self.lits_of(start, len);
                    Truth::from_bool(items.iter().any(|i| sym_in(*i, lits)))
                }
                _ => Truth::Unknown,
            },
            Test::Matches(p) => self.matches(p, value, facts),
        }
    }
}

/// What a condition reads (see [`Program::reads`]), from the longest-lived to the shortest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reads {
    /// Only campaign-wide values: one value for every use of a campaign and for the campaign
    /// at every purpose.
    Campaign,
    /// Campaign-wide values and the basis: one value for the campaign and for every use on the
    /// campaign's basis.
    CampaignAndBasis,
    /// A use's own fields.
    Use,
}

/// `field == text` for a campaign-wide field; see [`Program::guard`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Guard {
    pub field: GuardField,
    pub sym: u32,
}

/// The field a [`Guard`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum GuardField {
    /// A slot of `Facts::top`.
    Top(u8),
    /// A slot of `Facts::labels`.
    Label(u32),
}

/// The place of `items` in `arena`, stored there the first time these items are seen.
fn cons_list<T: Copy + Eq + std::hash::Hash>(
    seen: &mut HashMap<Vec<T>, (u32, u32)>,
    arena: &mut Vec<T>,
    items: Vec<T>,
) -> (u32, u32) {
    if let Some(&place) = seen.get(&items) {
        return place;
    }
    let place = (arena.len() as u32, items.len() as u32);
    arena.extend_from_slice(&items);
    seen.insert(items, place);
    place
}

/// The taxonomies' `⊑`, for `under` tests.
pub(super) struct Under<'a> {
    pub categories: &'a Taxonomy<CategoryId>,
    pub purposes: &'a Taxonomy<PurposeId>,
}

fn quantify(quantifier: Quantifier, items: impl Iterator<Item = Truth>) -> Truth {
    // An `all` is settled by the first false element, an `any` by the first true one.
    let (settled, mut acc) = match quantifier {
        Quantifier::All => (Truth::False, Truth::True),
        Quantifier::Any => (Truth::True, Truth::False),
    };
    for t in items {
        if t == settled {
            return settled;
        }
        if t == Truth::Unknown {
            acc = Truth::Unknown;
        }
    }
    acc
}

/// `==` between a present value and a literal; values of another type are never equal.
fn equals(value: V<'_>, lit: Lit) -> bool {
    match (value, lit) {
        (V::Sym(a), Lit::Sym(b)) => a == b,
        (V::Bool(a), Lit::Bool(b)) => a == b,
        (V::Int(a), Lit::Int(b)) => a == b,
        (V::Duration(a), Lit::Duration(b)) => a == b,
        (V::Category(a), Lit::Category(b)) => a == b,
        (V::Purpose(a), Lit::Purpose(b)) => a == b,
        _ => false,
    }
}

fn sym_in(sym: u32, lits: &[Lit]) -> bool {
    lits.iter().any(|l| matches!(l, Lit::Sym(s) if *s == sym))
}

fn slot<'a>(f: &'a Facts, s: Slot) -> V<'a> {
    match s {
        Slot::Absent => V::Absent,
        Slot::Sym(x) => V::Sym(x),
        Slot::Bool(b) => V::Bool(b),
        Slot::Int(i) => V::Int(i),
        Slot::List { start, len } => V::List(f.pool.get(start as usize..(start + len) as usize).unwrap_or(&[])),
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> V<'static>) -> V<'static> {
    v.map_or(V::Absent, f)
}

/// A campaign-wide field.
fn campaign_value(f: &Facts, src: Src) -> V<'_> {
    match src {
        Src::Top(i) => f.top.get(i as usize).map_or(V::Absent, |s| slot(f, *s)),
        Src::Label(i) => f.labels.get(i as usize).map_or(V::Absent, |s| slot(f, *s)),
        Src::Purpose => opt(f.purpose.map(PurposeId), V::Purpose),
        Src::Basis => opt(f.basis, V::Sym),
        Src::Data => V::Data(&f.uses),
        Src::Processors => f.processors.as_deref().map_or(V::Absent, V::Processors),
        _ => V::Absent,
    }
}

fn get<'a>(ctx: Ctx<'a>, src: Src) -> V<'a> {
    match ctx {
        Ctx::Use(f, u) => {
            // An element without an effective purpose has no fields at all.
            let Some(purpose) = u.purpose else { return V::Absent };
            match src {
                Src::Category => V::Category(CategoryId(u.category)),
                Src::Retention => opt(u.retention, V::Duration),
                Src::Source => opt(u.source, V::Sym),
                Src::Purpose => V::Purpose(PurposeId(purpose)),
                Src::Basis => opt(u.basis, V::Sym),
                other => campaign_value(f, other),
            }
        }
        Ctx::Campaign(f, purpose) => match src {
            Src::Purpose => V::Purpose(PurposeId(purpose)),
            other => campaign_value(f, other),
        },
        Ctx::Processor(_, p) => match src {
            Src::ProcessorName => V::Sym(p.name),
            Src::ProcessorRegion => opt(p.region, V::Sym),
            Src::ProcessorSafeguard => opt(p.safeguard, V::Sym),
            Src::ProcessorDpa => opt(p.dpa, V::Bool),
            _ => V::Absent,
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::CompiledPolicy;
    use crate::policy::{load_texts, PolicyText};
    use crate::source::{FileId, SourceFile};

    const BASE: &str = "basis consent\nchannel email, sms\nset eea = [SE, DK]\npurpose marketing\n\
                        category contact { category email }\n";

    fn compiled(rules: &str) -> CompiledPolicy {
        let bytes = format!("{BASE}{rules}").into_bytes();
        let text = PolicyText { relative: "p.policy".into(), display: "p.policy".into(), bytes };
        match load_texts(vec![text]) {
            Ok(p) => CompiledPolicy::new(p),
            Err(e) => panic!("{:?}", e.problems),
        }
    }

    /// A per-use condition's costly campaign-wide parts get a slot each, shared by the rules
    /// that hold the same part; a wholly campaign-wide condition has its rule's memo slot
    /// instead; a cheap part is tested again; and inside `any data (…)` a field is the
    /// element's, so nothing there is kept.
    #[test]
    fn costly_campaign_wide_parts_of_a_use_condition_are_kept() {
        for (conditions, kept) in [
            (&["any data (source == s) and category == contact.email"][..], 1),
            (
                &[
                    "any data (source == s) and category == contact.email",
                    "category == contact or any data (source == s)",
                ],
                1,
            ),
            (&["(channels contains sms or category == contact) and basis == consent"], 1),
            (&["not (audience.regions overlaps eea) or category == contact"], 1),
            (&["any data (source == s)", "channels contains sms and owner == o"], 0),
            (&["owner == o and category == contact"], 0),
            (&["any data (category == contact and source == s)"], 0),
        ] {
            let rules: String = conditions
                .iter()
                .enumerate()
                .map(|(i, c)| format!("rule r{i} {{ deny contact for marketing when {c} }}\n"))
                .collect();
            assert_eq!(compiled(&rules).program.kept_slots(), kept, "{conditions:?}");
        }
    }

    /// A kept part is evaluated once per campaign: after one use is decided, its value is in
    /// the campaign's facts for the others.
    #[test]
    fn a_kept_part_is_remembered_for_the_campaign() {
        let policy = compiled(
            "rule r { deny contact for marketing when any data (source == s) and category == contact.email }\n",
        );
        let yaml = "campaign: c\npurpose: marketing\nbasis: consent\ndata:\n  - { category: contact.email, source: s }\n  - { category: contact, source: t }\n";
        let file = SourceFile::new("c.yaml", yaml);
        let campaign = match crate::campaign::read(FileId(0), &file, &policy.policy) {
            Ok(c) => c,
            Err(e) => panic!("{:?}", e.problems),
        };
        let facts = policy.facts(&campaign);
        assert_eq!(facts.kept(0), None);
        let mut verdict = crate::eval::UseVerdict::default();
        assert!(policy.decide_use(&facts, 0, &mut verdict));
        assert_eq!(verdict.decision(), crate::eval::Decision::Block);
        assert_eq!(facts.kept(0), Some(crate::eval::truth::Truth::True));
        // The other use is of another category: the rule's own test decides it.
        assert!(policy.decide_use(&facts, 1, &mut verdict));
        assert_eq!(facts.kept(0), Some(crate::eval::truth::Truth::True));
    }
}
