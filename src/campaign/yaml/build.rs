//! Events to a tree of located nodes, the way serde-saphyr 2.2 deserialises `Spanned<Raw>`:
//! each node is placed where it is used (an alias's copy at the alias, a merged entry at the
//! merge), mapping keys are checked for duplicates before they are read, and merged entries
//! ([`super::merge`]) follow the mapping's own entries, the first occurrence of a key winning.
//!
//! Recursion follows the nesting of the text and is bounded by the depth budget: the event
//! source refuses a collection deeper than [`MAX_YAML_DEPTH`], and so does [`enter`].

use std::borrow::Cow;

use granit_parser::ScalarStyle;

use super::budget::Breach;
use super::error::{Error, ErrorKind, Loc};
use super::events::{next_some, peek_some, Ev, Events, Replay};
use super::keys::{Captured, Fingerprint, SeenKeys};
use super::live::Live;
use super::merge::{next_key, Entry};
use super::tag::Tag;
use super::{scalar, Node, Value, MAX_YAML_DEPTH};
use crate::source::{FileId, SourceFile};

/// Where spans point, and the keys of the mappings being read.
struct Cx<'s, 'a> {
    file: FileId,
    source: &'s SourceFile,
    keys: Vec<Fingerprint<'a>>,
}

/// The document's root node; nothing may follow it.
pub(super) fn document(file: FileId, source: &SourceFile) -> Result<Node, Error> {
    let mut events = Live::new(&source.text);
    let mut cx = Cx { file, source, keys: Vec::new() };
    let root = node(&mut events, &mut cx, 0)?;
    events.finish()?;
    Ok(root)
}

/// One more level of nesting, refused beyond the depth budget.
fn enter(depth: usize, at: Loc) -> Result<usize, Error> {
    let depth = depth + 1;
    if depth > MAX_YAML_DEPTH {
        return Err(Error::new(ErrorKind::Breach(Breach::Depth), at));
    }
    Ok(depth)
}

/// The node at the cursor, placed where it is used.
fn node<'a, E: Events<'a>>(ev: &mut E, cx: &mut Cx<'_, 'a>, depth: usize) -> Result<Node, Error> {
    ev.peek()?;
    let used = ev.reference_location();
    let value = match ev.peek()? {
        None => Value::Null,
        Some(Ev::Scalar { .. }) => match next_some(ev)? {
            Ev::Scalar { text, tag, style, at, .. } => scalar_value(text, tag, style, at)?,
            other => return Err(Error::new(ErrorKind::Unreadable("expected string scalar"), other.at())),
        },
        Some(Ev::SeqStart { .. }) => sequence(ev, cx, depth)?,
        Some(Ev::MapStart { .. }) => mapping(ev, cx, depth)?,
        Some(Ev::RecursiveAlias { at, .. }) => return Err(Error::new(ErrorKind::RecursiveAlias, *at)),
        Some(Ev::SeqEnd { at }) => return Err(Error::new(ErrorKind::Unreadable("unexpected sequence end"), *at)),
        Some(Ev::MapEnd { at }) => return Err(Error::new(ErrorKind::Unreadable("unexpected mapping end"), *at)),
    };
    Ok(Node { value, span: used.span(cx.file, cx.source) })
}

/// What a scalar means, or an error at the scalar.
fn scalar_value(text: Cow<'_, str>, tag: Tag, style: ScalarStyle, at: Loc) -> Result<Value, Error> {
    scalar::resolve(text, tag, style).map_err(|invalid| Error::new(ErrorKind::Scalar(invalid), at))
}

/// A node inside a collection: an error in it also names the alias it came from.
fn item<'a, E: Events<'a>>(ev: &mut E, cx: &mut Cx<'_, 'a>, depth: usize) -> Result<Node, Error> {
    let defined = ev.peek_location()?;
    let alias = ev.alias_reference();
    node(ev, cx, depth).map_err(|e| e.in_node(alias, defined))
}

fn sequence<'a, E: Events<'a>>(ev: &mut E, cx: &mut Cx<'_, 'a>, depth: usize) -> Result<Value, Error> {
    let depth = enter(depth, ev.peek_location()?)?;
    next_some(ev)?;
    let mut items = Vec::new();
    while !matches!(peek_some(ev)?, Ev::SeqEnd { .. }) {
        items.push(item(ev, cx, depth)?);
    }
    next_some(ev)?;
    Ok(Value::Seq(items))
}

fn mapping<'a, E: Events<'a>>(ev: &mut E, cx: &mut Cx<'_, 'a>, depth: usize) -> Result<Value, Error> {
    let depth = enter(depth, ev.peek_location()?)?;
    next_some(ev)?;
    let mut entries = Vec::new();
    let mut seen = SeenKeys::new(&cx.keys);
    let mut merges = Vec::new();
    while let Some(key) = next_key(ev, &mut merges)? {
        if seen.contains(&cx.keys, key.fingerprint()) {
            let error = key.duplicate();
            // Where the key was first written, when it is a plain value (nearly always).
            let (again, _) = key_node(key, cx, depth)?;
            let first = entries.iter().find(|(k, _): &&(Node, Node)| k.value == again.value).map(|(k, _)| k.span);
            return Err(error.first_written_at(first));
        }
        let (key, fingerprint) = key_node(key, cx, depth)?;
        seen.insert_new(&mut cx.keys, fingerprint);
        entries.push((key, item(ev, cx, depth)?));
    }
    for Entry { key, value } in merges.into_iter().flatten() {
        if seen.contains(&cx.keys, key.fingerprint()) {
            continue;
        }
        let (key, fingerprint) = key_node(key, cx, depth)?;
        seen.insert_new(&mut cx.keys, fingerprint);
        let mut replay = Replay::new(value.into_events(), None);
        entries.push((key, item(&mut replay, cx, depth)?));
    }
    seen.finish(&mut cx.keys);
    Ok(Value::Map(entries))
}

/// A captured key as a node, with its fingerprint.
fn key_node<'a>(key: Captured<'a>, cx: &mut Cx<'_, 'a>, depth: usize) -> Result<(Node, Fingerprint<'a>), Error> {
    match key {
        Captured::One(Ev::Scalar { text, tag, style, at, .. }, origin, fingerprint) => {
            let value = scalar_value(text, tag, style, at)?;
            Ok((Node { value, span: origin.place(at).span(cx.file, cx.source) }, fingerprint))
        }
        Captured::One(Ev::RecursiveAlias { at, .. }, ..) => Err(Error::new(ErrorKind::RecursiveAlias, at)),
        other => {
            let fingerprint = other.fingerprint().clone();
            let mut replay = Replay::new(other.into_events(), None);
            let used = replay.reference_location();
            let key = node(&mut replay, cx, depth).map_err(|e| e.or_at(used))?;
            Ok((key, fingerprint))
        }
    }
}
