//! Node events, the tree builder's input: [`Ev`] and the [`Events`] source it reads them
//! from, either the text ([`super::live::Live`]) or events captured earlier and played back
//! ([`Replay`]: mapping keys and merged mappings).

use std::borrow::Cow;
use std::rc::Rc;

use granit_parser::ScalarStyle;

use super::budget::Seen;
use super::error::{Error, ErrorKind, Loc};
use super::tag::Tag;

/// One node event; a scalar's text is borrowed from the input unless the parser had to build it.
#[derive(Clone, Debug)]
pub(super) enum Ev<'a> {
    Scalar {
        text: Cow<'a, str>,
        tag: Tag,
        raw_tag: Option<Rc<str>>,
        style: ScalarStyle,
        at: Loc,
    },
    SeqStart {
        tag: Tag,
        raw_tag: Option<Rc<str>>,
        at: Loc,
    },
    SeqEnd {
        at: Loc,
    },
    MapStart {
        tag: Tag,
        raw_tag: Option<Rc<str>>,
        at: Loc,
    },
    MapEnd {
        at: Loc,
    },
    /// An alias inside the node its anchor names.
    RecursiveAlias {
        anchor: usize,
        at: Loc,
    },
}

impl Ev<'_> {
    pub(super) fn at(&self) -> Loc {
        match self {
            Ev::Scalar { at, .. }
            | Ev::SeqStart { at, .. }
            | Ev::SeqEnd { at }
            | Ev::MapStart { at, .. }
            | Ev::MapEnd { at }
            | Ev::RecursiveAlias { at, .. } => *at,
        }
    }

    /// Bytes of text this event owns (not borrowed from the input), charged when it is copied
    /// into an anchor's recording.
    pub(super) fn owned_bytes(&self) -> usize {
        let tag = |t: &Option<Rc<str>>| t.as_ref().map_or(0, |t| t.len());
        match self {
            Ev::Scalar { text, raw_tag, .. } => {
                let own = match text {
                    Cow::Owned(s) => s.len(),
                    Cow::Borrowed(_) => 0,
                };
                own.saturating_add(tag(raw_tag))
            }
            Ev::SeqStart { raw_tag, .. } | Ev::MapStart { raw_tag, .. } => tag(raw_tag),
            _ => 0,
        }
    }

    /// How the budget sees a replayed copy: no anchor, and a tag only if it is `!!merge`.
    pub(super) fn seen_as_copy(&self) -> Seen {
        match self {
            Ev::Scalar { text, tag, style, .. } => {
                let merge = *tag == Tag::Merge;
                Seen::Scalar {
                    len: text.len(),
                    tag_len: if merge { "tag:yaml.org,2002:merge".len() } else { 0 },
                    anchored: false,
                    merge_spelling: text == "<<" && (merge || *style == ScalarStyle::Plain),
                }
            }
            Ev::RecursiveAlias { .. } => Seen::Scalar { len: 0, tag_len: 0, anchored: false, merge_spelling: false },
            Ev::SeqStart { .. } => Seen::Start { mapping: false, tag_len: 0, anchored: false },
            Ev::MapStart { .. } => Seen::Start { mapping: true, tag_len: 0, anchored: false },
            Ev::SeqEnd { .. } => Seen::End { mapping: false },
            Ev::MapEnd { .. } => Seen::End { mapping: true },
        }
    }
}

/// Where the node at the cursor comes from, which decides the place its value is shown at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Origin {
    Direct,
    /// Replayed by the alias at this place.
    Alias(Loc),
    /// Part of a merged mapping referenced at this place.
    Merge(Loc),
}

impl Origin {
    /// The place a node is shown at: where its alias or merge uses it, else its own place.
    pub(super) fn place(self, own: Loc) -> Loc {
        match self {
            Origin::Alias(l) | Origin::Merge(l) => l,
            Origin::Direct => own,
        }
    }
}

/// A source of node events with one event of lookahead.
pub(super) trait Events<'a> {
    fn peek(&mut self) -> Result<Option<&Ev<'a>>, Error>;
    fn next(&mut self) -> Result<Option<Ev<'a>>, Error>;
    /// The place of the last event read or looked at.
    fn last_location(&self) -> Loc;
    /// Where the node at the cursor is used: the alias or merge it came from, else itself.
    fn reference_location(&self) -> Loc;
    fn node_origin(&self) -> Origin;
    /// Whether an alias met inside its own anchor is kept as an event (while capturing) rather
    /// than refused when read.
    fn defer_recursive_aliases(&mut self, defer: bool) -> bool;

    fn alias_reference(&self) -> Option<Loc> {
        match self.node_origin() {
            Origin::Alias(l) => Some(l),
            Origin::Direct | Origin::Merge(_) => None,
        }
    }

    /// The place of the next event, or of the last one at the end.
    fn peek_location(&mut self) -> Result<Loc, Error> {
        let last = self.last_location();
        Ok(self.peek()?.map_or(last, Ev::at))
    }
}

/// The loader supports no recursive structure: an alias inside its own anchor is an error.
pub(super) fn refuse_recursive(ev: Option<&Ev<'_>>) -> Result<(), Error> {
    match ev {
        Some(Ev::RecursiveAlias { at, .. }) => Err(Error::new(ErrorKind::RecursiveAlias, *at)),
        _ => Ok(()),
    }
}

fn eof(at: Loc) -> Error {
    Error::new(ErrorKind::Unreadable("unexpected end of input"), at)
}

/// Reads the next event or fails at the end of input.
pub(super) fn next_some<'a>(ev: &mut impl Events<'a>) -> Result<Ev<'a>, Error> {
    match ev.next()? {
        Some(e) => Ok(e),
        None => Err(eof(ev.last_location())),
    }
}

/// Looks at the next event or fails at the end of input.
pub(super) fn peek_some<'a, 'e, E: Events<'a>>(ev: &'e mut E) -> Result<&'e Ev<'a>, Error> {
    let last = ev.last_location();
    ev.peek()?.ok_or_else(|| eof(last))
}

/// Captured events played back; nodes inside a merged mapping take the place it is used at.
pub(super) struct Replay<'a> {
    events: Vec<(Ev<'a>, Origin)>,
    idx: usize,
    merged_at: Option<Loc>,
    defer: bool,
}

impl<'a> Replay<'a> {
    pub(super) fn new(events: Vec<(Ev<'a>, Origin)>, merged_at: Option<Loc>) -> Replay<'a> {
        Replay { events, idx: 0, merged_at, defer: false }
    }
}

impl<'a> Events<'a> for Replay<'a> {
    fn peek(&mut self) -> Result<Option<&Ev<'a>>, Error> {
        let ev = self.events.get(self.idx).map(|(e, _)| e);
        if !self.defer {
            refuse_recursive(ev)?;
        }
        Ok(ev)
    }

    fn next(&mut self) -> Result<Option<Ev<'a>>, Error> {
        let Some((ev, _)) = self.events.get_mut(self.idx) else { return Ok(None) };
        if !self.defer {
            refuse_recursive(Some(ev))?;
        }
        let placeholder = Ev::SeqEnd { at: ev.at() };
        let ev = std::mem::replace(ev, placeholder);
        self.idx += 1;
        Ok(Some(ev))
    }

    fn last_location(&self) -> Loc {
        self.events.get(self.idx.saturating_sub(1)).map_or(Loc::UNKNOWN, |(e, _)| e.at())
    }

    fn reference_location(&self) -> Loc {
        self.node_origin().place(self.events.get(self.idx).map_or_else(|| self.last_location(), |(e, _)| e.at()))
    }

    fn node_origin(&self) -> Origin {
        let origin = self.events.get(self.idx).map_or(Origin::Direct, |(_, o)| *o);
        match (origin, self.merged_at) {
            (Origin::Alias(_), _) | (_, None) => origin,
            (_, Some(at)) => Origin::Merge(at),
        }
    }

    fn defer_recursive_aliases(&mut self, defer: bool) -> bool {
        std::mem::replace(&mut self.defer, defer)
    }
}
