//! Node events straight from the text, as serde-saphyr 2.2's `LiveEvents` produces them:
//! granit-parser's stream and document markers are skipped, explicit tags are checked against
//! the node kind, anchored nodes are recorded and an alias replays its anchor's events (each
//! replayed event knows the alias it came from), and the budget counts everything.

use std::borrow::Cow;
use std::rc::Rc;

use granit_parser::{ErrorKind as ScanKind, Event, ScalarStyle, ScanError, StrInput};

use super::budget::{Budget, Seen};
use super::error::{Error, ErrorKind, Loc};
use super::events::{refuse_recursive, Ev, Events, Origin};
use super::tag::{Kind, Tag};
use super::MAX_ALIAS_REPLAY_EVENTS;

/// An alias being replayed.
struct Inject {
    anchor: usize,
    idx: usize,
    used_at: Loc,
}

/// The events of an anchored node still open.
struct Recording<'a> {
    anchor: usize,
    depth: usize,
    events: Vec<Ev<'a>>,
}

/// Events straight from the text.
pub(super) struct Live<'a> {
    parser: granit_parser::Parser<'a, StrInput<'a>>,
    /// Whether any node was produced: a stream without one reads as a single null.
    produced_any: bool,
    /// The event looked at and not yet read.
    look: Option<Ev<'a>>,
    /// See [`Events::defer_recursive_aliases`].
    defer: bool,
    /// The alias being replayed; kept until the next event is pulled so that the place of its
    /// last node is still known.
    inject: Vec<Inject>,
    /// The events of each anchor, by the parser's anchor id.
    anchors: Vec<Option<Rc<[Ev<'a>]>>>,
    recording: Vec<Recording<'a>>,
    budget: Budget,
    last_location: Loc,
    /// Events replayed from aliases so far, against [`MAX_ALIAS_REPLAY_EVENTS`].
    replayed: usize,
}

impl<'a> Live<'a> {
    pub(super) fn new(text: &'a str) -> Live<'a> {
        // serde-saphyr's parser options for the loader's budget: the library defaults, and no
        // comment events.
        let mut options = granit_parser::Options::default();
        options.emit_comments = false;
        Live {
            parser: granit_parser::Parser::new_from_str_with_options(text, options),
            produced_any: false,
            look: None,
            defer: false,
            inject: Vec::new(),
            anchors: Vec::new(),
            recording: Vec::new(),
            budget: Budget::default(),
            last_location: Loc::UNKNOWN,
            replayed: 0,
        }
    }

    /// The checks made once the document is read: nothing may follow it, and the budget's
    /// whole-input heuristics.
    pub(super) fn finish(&mut self) -> Result<(), Error> {
        if self.peek()?.is_some() {
            return Err(Error::new(ErrorKind::SecondDocument, self.last_location));
        }
        match self.budget.finish() {
            Some(breach) => Err(Error::new(ErrorKind::Breach(breach), self.last_location)),
            None => Ok(()),
        }
    }

    fn scan_error(e: &ScanError) -> Error {
        let at = Loc::of_marker(e.marker());
        match e.kind() {
            ScanKind::UnknownAnchor => Error::new(ErrorKind::UnknownAnchor, at),
            ScanKind::MultipleDocumentsUnsupported => Error::new(ErrorKind::SecondDocument, at),
            ScanKind::RecursionLimitExceeded => Error::new(ErrorKind::ParserNesting, at),
            ScanKind::InputIo { .. } | ScanKind::InputDecoding { .. } | ScanKind::InputByteLimitExceeded { .. } => {
                Error::new(ErrorKind::Unreadable("IO error"), Loc::UNKNOWN)
            }
            _ => Error::new(ErrorKind::Parser(e.info()), at),
        }
    }

    /// Copies `ev` into the recordings of the open anchored nodes, except the newest when it
    /// was just started with `ev`.
    fn record(&mut self, ev: &Ev<'a>, skip_newest: bool) -> Result<(), Error> {
        let n = self.recording.len() - usize::from(skip_newest && !self.recording.is_empty());
        let used_at = self.inject.last().map(|f| f.used_at);
        for i in 0..n {
            self.budget
                .observe_recorded(ev.owned_bytes())
                .map_err(|b| Error::new(ErrorKind::Breach(b), ev.at()).in_node(used_at, ev.at()))?;
            if let Some(r) = self.recording.get_mut(i) {
                r.events.push(ev.clone());
            }
        }
        Ok(())
    }

    fn start_recording(&mut self, anchor: usize, ev: &Ev<'a>) -> Result<(), Error> {
        for r in &mut self.recording {
            r.depth += 1;
        }
        if anchor != 0 {
            self.budget.observe_recorded(ev.owned_bytes()).map_err(|b| Error::new(ErrorKind::Breach(b), ev.at()))?;
            self.recording.push(Recording { anchor, depth: 1, events: vec![ev.clone()] });
        }
        self.record(ev, anchor != 0)
    }

    fn end_recording(&mut self, ev: &Ev<'a>) -> Result<(), Error> {
        self.record(ev, false)?;
        for r in &mut self.recording {
            r.depth = r
                .depth
                .checked_sub(1)
                .ok_or_else(|| Error::new(ErrorKind::Unreadable("internal depth underflow"), ev.at()))?;
        }
        while self.recording.last().is_some_and(|r| r.depth == 0) {
            if let Some(done) = self.recording.pop() {
                self.store_anchor(done.anchor, done.events);
            }
        }
        Ok(())
    }

    fn store_anchor(&mut self, anchor: usize, events: Vec<Ev<'a>>) {
        if anchor >= self.anchors.len() {
            self.anchors.resize(anchor + 8, None);
        }
        if let Some(slot) = self.anchors.get_mut(anchor) {
            *slot = Some(events.into());
        }
    }

    fn reset_document(&mut self) {
        self.inject.clear();
        self.recording.clear();
        self.anchors.fill(None);
        self.replayed = 0;
    }

    /// The next event from an alias being replayed, if any.
    fn replay_next(&mut self) -> Result<Option<Ev<'a>>, Error> {
        while let Some(frame) = self.inject.last_mut() {
            let (idx, used_at) = (frame.idx, frame.used_at);
            let buf = match self.anchors.get(frame.anchor).and_then(Option::as_ref) {
                Some(buf) => Rc::clone(buf),
                None => return Err(Error::new(ErrorKind::UnknownAnchor, self.last_location)),
            };
            let Some(ev) = buf.get(idx).cloned() else {
                self.inject.pop();
                continue;
            };
            frame.idx += 1;
            self.replayed += 1;
            if self.replayed > MAX_ALIAS_REPLAY_EVENTS {
                return Err(Error::new(ErrorKind::AliasReplay, ev.at()));
            }
            self.budget
                .observe(&ev.seen_as_copy())
                .map_err(|b| Error::new(ErrorKind::Breach(b), ev.at()).in_node(Some(used_at), ev.at()))?;
            self.record(&ev, false)?;
            self.last_location = ev.at();
            self.produced_any = true;
            return Ok(Some(ev));
        }
        Ok(None)
    }

    /// The next node event: replayed, from the parser, or the null of an empty stream.
    fn pump(&mut self) -> Result<Option<Ev<'a>>, Error> {
        if let Some(ev) = self.replay_next()? {
            return Ok(Some(ev));
        }
        while let Some(item) = self.parser.next_event() {
            let (event, span) = item.map_err(|e| Self::scan_error(&e))?;
            let at = Loc::of_span(&span);
            if !matches!(event, Event::Alias(_)) {
                self.budget.observe(&seen(&event)).map_err(|b| Error::new(ErrorKind::Breach(b), at))?;
            }
            let (ev, anchor) = match event {
                Event::Scalar(text, style, anchor, tag) => {
                    let (tag, raw_tag) = check_tag(tag.as_deref(), Kind::Scalar, at)?;
                    let ev = Ev::Scalar { text, tag, raw_tag, style, at };
                    self.record(&ev, false)?;
                    if anchor != 0 {
                        self.budget
                            .observe_recorded(ev.owned_bytes())
                            .map_err(|b| Error::new(ErrorKind::Breach(b), at))?;
                        self.store_anchor(anchor, vec![ev.clone()]);
                    }
                    (ev, 0)
                }
                Event::SequenceStart(_, anchor, tag) => {
                    let (tag, raw_tag) = check_tag(tag.as_deref(), Kind::Sequence, at)?;
                    (Ev::SeqStart { tag, raw_tag, at }, anchor)
                }
                Event::MappingStart(_, anchor, tag) => {
                    let (tag, raw_tag) = check_tag(tag.as_deref(), Kind::Mapping, at)?;
                    (Ev::MapStart { tag, raw_tag, at }, anchor)
                }
                Event::SequenceEnd => {
                    let ev = Ev::SeqEnd { at };
                    self.end_recording(&ev)?;
                    (ev, 0)
                }
                Event::MappingEnd => {
                    let ev = Ev::MapEnd { at };
                    self.end_recording(&ev)?;
                    (ev, 0)
                }
                Event::Alias(anchor) => {
                    self.budget.observe_alias().map_err(|b| Error::new(ErrorKind::Breach(b), at))?;
                    if self.recording.iter().any(|r| r.anchor == anchor) {
                        let ev = Ev::RecursiveAlias { anchor, at };
                        self.record(&ev, false)?;
                        (ev, 0)
                    } else if self.anchors.get(anchor).is_some_and(Option::is_some) {
                        self.inject.push(Inject { anchor, idx: 0, used_at: at });
                        return self.pump();
                    } else {
                        return Err(Error::new(ErrorKind::UnknownAnchor, at));
                    }
                }
                Event::DocumentStart(..) | Event::DocumentEnd => {
                    self.reset_document();
                    self.last_location = at;
                    continue;
                }
                Event::StreamStart | Event::StreamEnd => {
                    self.last_location = at;
                    continue;
                }
                _ => return Err(Error::new(ErrorKind::Unreadable("unsupported event from granit-parser"), at)),
            };
            if matches!(ev, Ev::SeqStart { .. } | Ev::MapStart { .. }) {
                self.start_recording(anchor, &ev)?;
            }
            self.last_location = at;
            self.produced_any = true;
            return Ok(Some(ev));
        }
        if self.produced_any {
            return Ok(None);
        }
        // A stream without documents reads as one null.
        self.produced_any = true;
        let at = self.last_location;
        Ok(Some(Ev::Scalar { text: Cow::Borrowed(""), tag: Tag::Null, raw_tag: None, style: ScalarStyle::Plain, at }))
    }
}

/// How the budget sees a parser event.
fn seen(event: &Event<'_>) -> Seen {
    let tag_len = |t: Option<&granit_parser::Tag>| t.map_or(0, |t| t.handle().len().saturating_add(t.suffix().len()));
    match event {
        Event::Scalar(text, style, anchor, tag) => {
            let tag = tag.as_deref();
            let merge_tag =
                tag.is_some_and(|t| t.suffix_in_namespace("tag:yaml.org,2002:").is_some_and(|s| s == "merge"));
            Seen::Scalar {
                len: text.len(),
                tag_len: tag_len(tag),
                anchored: *anchor != 0,
                merge_spelling: text == "<<" && (merge_tag || (tag.is_none() && *style == ScalarStyle::Plain)),
            }
        }
        Event::SequenceStart(_, anchor, tag) => {
            Seen::Start { mapping: false, tag_len: tag_len(tag.as_deref()), anchored: *anchor != 0 }
        }
        Event::MappingStart(_, anchor, tag) => {
            Seen::Start { mapping: true, tag_len: tag_len(tag.as_deref()), anchored: *anchor != 0 }
        }
        Event::SequenceEnd => Seen::End { mapping: false },
        Event::MappingEnd => Seen::End { mapping: true },
        Event::DocumentStart(..) => Seen::DocumentStart,
        _ => Seen::Marker,
    }
}

/// The meaning of a node's tag, refused when it names another kind of node.
fn check_tag(tag: Option<&granit_parser::Tag>, kind: Kind, at: Loc) -> Result<(Tag, Option<Rc<str>>), Error> {
    let meaning = Tag::of(tag);
    if meaning.requires().is_some_and(|k| k != kind) {
        return Err(if meaning == Tag::Include {
            Error::new(ErrorKind::IncludeNotScalar, at)
        } else {
            Error::new(ErrorKind::UnsupportedTag(tag.map_or_else(String::new, granit_parser::Tag::original)), at)
        });
    }
    Ok((meaning, tag.map(|t| Rc::from(t.to_string()))))
}

impl<'a> Events<'a> for Live<'a> {
    fn peek(&mut self) -> Result<Option<&Ev<'a>>, Error> {
        if self.look.is_none() {
            self.look = self.pump()?;
        }
        if !self.defer {
            refuse_recursive(self.look.as_ref())?;
        }
        if let Some(ev) = &self.look {
            self.last_location = ev.at();
        }
        Ok(self.look.as_ref())
    }

    fn next(&mut self) -> Result<Option<Ev<'a>>, Error> {
        let ev = match self.look.take() {
            Some(ev) => {
                self.last_location = ev.at();
                Some(ev)
            }
            None => self.pump()?,
        };
        if !self.defer {
            refuse_recursive(ev.as_ref())?;
        }
        Ok(ev)
    }

    fn last_location(&self) -> Loc {
        self.last_location
    }

    fn reference_location(&self) -> Loc {
        match self.inject.last() {
            Some(f) => f.used_at,
            None => self.look.as_ref().map_or(self.last_location, Ev::at),
        }
    }

    fn node_origin(&self) -> Origin {
        self.inject.last().map_or(Origin::Direct, |f| Origin::Alias(f.used_at))
    }

    fn defer_recursive_aliases(&mut self, defer: bool) -> bool {
        std::mem::replace(&mut self.defer, defer)
    }
}
