//! Mapping keys: a key node is captured whole with a fingerprint, the identity duplicate keys
//! are found by, before it is turned into a node (serde-saphyr 2.2's `key_nodes.rs`).
//!
//! Two keys are the same when they are the same integer however written (`1`, `+1`, `0x1`),
//! the same text under the same kind of tag (`true` and `"true"` are both text), or
//! collections of the same keys; a mapping's entries in any order.

use std::borrow::Cow;
use std::collections::HashSet;
use std::rc::Rc;

use granit_parser::ScalarStyle;

use super::error::{Error, ErrorKind, Loc};
use super::events::{next_some, peek_some, Ev, Events, Origin};
use super::scalar;
use super::tag::Tag;

/// A tag as far as key identity goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum KeyTag {
    Semantic(Tag),
    Custom(Rc<str>),
}

/// The identity of a key node.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Fingerprint<'a> {
    RecursiveAlias { anchor: usize },
    Integer { negative: bool, magnitude: u128 },
    Scalar { value: Cow<'a, str>, tag: KeyTag },
    Sequence { tag: KeyTag, elements: Vec<Fingerprint<'a>> },
    Mapping { tag: KeyTag, entries: Vec<(Fingerprint<'a>, Fingerprint<'a>)> },
}

fn key_tag(tag: Tag, raw: Option<&Rc<str>>, implicit: Tag) -> KeyTag {
    if let Some(raw) = raw {
        if tag == Tag::Other || (implicit == Tag::Map && tag == Tag::Map && raw.as_ref() == "!map") {
            return KeyTag::Custom(Rc::clone(raw));
        }
    }
    KeyTag::Semantic(if matches!(tag, Tag::None | Tag::NonSpecific) {
        implicit
    } else if implicit == Tag::String && tag.can_parse_into_string() {
        Tag::String
    } else {
        tag
    })
}

/// The fingerprint of a one-event node (scalar or recursive alias); `None` for other events.
fn single_fingerprint<'a>(event: &Ev<'a>) -> Option<Fingerprint<'a>> {
    let (text, tag, raw, style) = match event {
        Ev::RecursiveAlias { anchor, .. } => return Some(Fingerprint::RecursiveAlias { anchor: *anchor }),
        Ev::Scalar { text, tag, raw_tag, style, .. } => (text, *tag, raw_tag.as_ref(), *style),
        _ => return None,
    };
    if tag == Tag::Int || (tag == Tag::None && style == ScalarStyle::Plain && scalar::may_be_integer(text)) {
        let t = scalar::trim(text);
        let integer = if t.starts_with('-') {
            scalar::signed(t).map(|v| (v < 0, v.unsigned_abs()))
        } else {
            scalar::unsigned(t).map(|v| (false, v))
        };
        if let Some((negative, magnitude)) = integer {
            return Some(Fingerprint::Integer { negative, magnitude });
        }
    }
    let tag = if tag == Tag::None && scalar::is_null(tag, text, style) { Tag::Null } else { tag };
    Some(Fingerprint::Scalar { value: text.clone(), tag: key_tag(tag, raw, Tag::String) })
}

/// A captured node: its events (each with where it came from) and its fingerprint.
pub(super) enum Captured<'a> {
    /// A scalar (or recursive alias), the common case, kept without a buffer.
    One(Ev<'a>, Origin, Fingerprint<'a>),
    Many(Vec<(Ev<'a>, Origin)>, Fingerprint<'a>),
}

impl<'a> Captured<'a> {
    fn first(&self) -> Option<&Ev<'a>> {
        match self {
            Captured::One(e, _, _) => Some(e),
            Captured::Many(events, _) => events.first().map(|(e, _)| e),
        }
    }

    /// The node's own place (not where an alias of it is used).
    pub(super) fn at(&self) -> Loc {
        self.first().map_or(Loc::UNKNOWN, Ev::at)
    }

    pub(super) fn fingerprint(&self) -> &Fingerprint<'a> {
        match self {
            Captured::One(_, _, f) | Captured::Many(_, f) => f,
        }
    }

    /// Whether this is a merge key: `<<` plain and untagged, or tagged `!!merge`.
    pub(super) fn is_merge_key(&self) -> bool {
        match self {
            Captured::One(Ev::Scalar { text, tag, style, .. }, _, _) => {
                text == "<<" && (*tag == Tag::Merge || (*tag == Tag::None && *style == ScalarStyle::Plain))
            }
            _ => false,
        }
    }

    /// The error for a key that is already in its mapping.
    pub(super) fn duplicate(&self) -> Error {
        let key = match self {
            Captured::One(Ev::Scalar { text, tag, .. }, _, _) if tag.can_parse_into_string() => Some(text.to_string()),
            _ => None,
        };
        Error::new(ErrorKind::Duplicate(key), self.at())
    }

    /// The events, to be played back.
    pub(super) fn into_events(self) -> Vec<(Ev<'a>, Origin)> {
        match self {
            Captured::One(e, o, _) => vec![(e, o)],
            Captured::Many(events, _) => events,
        }
    }
}

/// Reads one whole node into a buffer, keeping an alias met inside its own anchor as an
/// event (it is refused when the buffer is read).
pub(super) fn capture<'a, E: Events<'a>>(ev: &mut E) -> Result<Captured<'a>, Error> {
    let previous = ev.defer_recursive_aliases(true);
    let result = capture_node(ev);
    ev.defer_recursive_aliases(previous);
    result
}

fn capture_node<'a, E: Events<'a>>(ev: &mut E) -> Result<Captured<'a>, Error> {
    if matches!(ev.peek()?, Some(Ev::Scalar { .. } | Ev::RecursiveAlias { .. })) {
        let origin = ev.node_origin();
        let event = next_some(ev)?;
        return match single_fingerprint(&event) {
            Some(f) => Ok(Captured::One(event, origin, f)),
            None => Err(Error::new(ErrorKind::Unreadable("expected string scalar"), event.at())),
        };
    }
    let mut events = Vec::new();
    let fingerprint = capture_into(ev, &mut events)?;
    Ok(Captured::Many(events, fingerprint))
}

/// Recursion is bounded by the nesting depth the event source lets through.
fn capture_into<'a, E: Events<'a>>(ev: &mut E, out: &mut Vec<(Ev<'a>, Origin)>) -> Result<Fingerprint<'a>, Error> {
    ev.peek()?;
    let origin = ev.node_origin();
    let event = next_some(ev)?;
    let mut fingerprint = match &event {
        Ev::SeqStart { tag, raw_tag, .. } => {
            Fingerprint::Sequence { tag: key_tag(*tag, raw_tag.as_ref(), Tag::Seq), elements: Vec::new() }
        }
        Ev::MapStart { tag, raw_tag, .. } => {
            Fingerprint::Mapping { tag: key_tag(*tag, raw_tag.as_ref(), Tag::Map), entries: Vec::new() }
        }
        Ev::SeqEnd { at } | Ev::MapEnd { at } => {
            return Err(Error::new(ErrorKind::Unreadable("unexpected container end while reading key"), *at));
        }
        single => {
            let f = single_fingerprint(single);
            out.push((event, origin));
            return f.ok_or_else(|| Error::new(ErrorKind::Unreadable("expected string scalar"), Loc::UNKNOWN));
        }
    };
    out.push((event, origin));
    loop {
        if matches!(peek_some(ev)?, Ev::SeqEnd { .. } | Ev::MapEnd { .. }) {
            let origin = ev.node_origin();
            out.push((next_some(ev)?, origin));
            break;
        }
        match &mut fingerprint {
            Fingerprint::Sequence { elements, .. } => elements.push(capture_into(ev, out)?),
            Fingerprint::Mapping { entries, .. } => {
                let key = capture_into(ev, out)?;
                entries.push((key, capture_into(ev, out)?));
            }
            _ => {}
        }
    }
    if let Fingerprint::Mapping { entries, .. } = &mut fingerprint {
        entries.sort();
    }
    Ok(fingerprint)
}

/// The keys of one mapping so far: on a stack shared by the mappings being read (the
/// innermost last) and searched linearly while few, hashed beyond.
pub(super) struct SeenKeys<'a> {
    base: usize,
    many: HashSet<Fingerprint<'a>>,
}

const FEW_KEYS: usize = 16;

impl<'a> SeenKeys<'a> {
    /// The keys of a mapping whose keys go on `stack` from now on.
    pub(super) fn new(stack: &[Fingerprint<'a>]) -> SeenKeys<'a> {
        SeenKeys { base: stack.len(), many: HashSet::new() }
    }

    pub(super) fn contains(&self, stack: &[Fingerprint<'a>], f: &Fingerprint<'a>) -> bool {
        if self.many.is_empty() {
            stack.get(self.base..).is_some_and(|few| few.contains(f))
        } else {
            self.many.contains(f)
        }
    }

    /// Adds a key; `false` if it is already there.
    pub(super) fn insert(&mut self, stack: &mut Vec<Fingerprint<'a>>, f: Fingerprint<'a>) -> bool {
        if self.contains(stack, &f) {
            return false;
        }
        self.insert_new(stack, f);
        true
    }

    /// Adds a key known not to be there yet.
    pub(super) fn insert_new(&mut self, stack: &mut Vec<Fingerprint<'a>>, f: Fingerprint<'a>) {
        if !self.many.is_empty() {
            self.many.insert(f);
        } else if stack.len() - self.base < FEW_KEYS {
            stack.push(f);
        } else {
            self.many.extend(stack.drain(self.base..));
            self.many.insert(f);
        }
    }

    /// Takes this mapping's keys off the stack.
    pub(super) fn finish(self, stack: &mut Vec<Fingerprint<'a>>) {
        stack.truncate(self.base);
    }
}
