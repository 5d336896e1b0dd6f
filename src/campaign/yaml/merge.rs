//! Merge keys (`<<: *base`, `<<: [*a, *b]`, `<<: {…}`): the entries a merge value brings to its
//! mapping, as serde-saphyr 2.2 collects them (`key_nodes.rs`). A merged mapping's own keys
//! must be distinct; its nested merges follow them; null merges nothing; anything else is an
//! error. Entries keep the place the merge is used at (the alias, or the merged mapping).
//!
//! Recursion follows the nesting of the merge value, bounded by the depth budget.

use super::error::{Error, ErrorKind, Loc};
use super::events::{next_some, peek_some, Ev, Events, Origin, Replay};
use super::keys::{capture, Captured, SeenKeys};
use super::scalar;

/// One entry of a merged mapping.
pub(super) struct Entry<'a> {
    pub(super) key: Captured<'a>,
    pub(super) value: Captured<'a>,
}

fn is_null_scalar<'a, E: Events<'a>>(ev: &mut E) -> Result<bool, Error> {
    Ok(matches!(ev.peek()?, Some(Ev::Scalar { text, tag, style, .. }) if scalar::is_null(*tag, text, *style)))
}

fn not_mergeable(at: Loc) -> Error {
    Error::new(ErrorKind::Unreadable("YAML merge value must be mapping or sequence of mappings"), at)
}

/// The entries a merge key's value brings, read from `ev`.
fn merged_live<'a, E: Events<'a>>(ev: &mut E) -> Result<Vec<Entry<'a>>, Error> {
    ev.peek()?;
    let used = ev.reference_location();
    if is_null_scalar(ev)? {
        ev.next()?;
        return Ok(Vec::new());
    }
    match peek_some(ev)? {
        Ev::RecursiveAlias { at, .. } => Err(Error::new(ErrorKind::RecursiveAlias, *at)),
        Ev::MapStart { .. } => {
            let value = capture(ev)?;
            let at = value.at();
            merged_captured(value.into_events(), at, used)
        }
        Ev::SeqStart { .. } => merged_sequence(ev),
        other => Err(not_mergeable(other.at())),
    }
}

/// The entries a captured merge value brings (a mapping, a sequence of them, or null).
fn merged_captured<'a>(events: Vec<(Ev<'a>, Origin)>, at: Loc, used: Loc) -> Result<Vec<Entry<'a>>, Error> {
    let mut replay = Replay::new(events, Some(used));
    if is_null_scalar(&mut replay)? {
        return Ok(Vec::new());
    }
    match replay.peek()? {
        Some(Ev::MapStart { .. }) => merged_mapping(&mut replay),
        Some(Ev::SeqStart { .. }) => merged_sequence(&mut replay),
        Some(other) => Err(not_mergeable(other.at())),
        None => Err(Error::new(ErrorKind::Unreadable("unexpected end of input"), at)),
    }
}

/// The entries of a sequence of merge values (each merged in turn), read from its start.
fn merged_sequence<'a, E: Events<'a>>(ev: &mut E) -> Result<Vec<Entry<'a>>, Error> {
    next_some(ev)?;
    let mut entries = Vec::new();
    while !matches!(peek_some(ev)?, Ev::SeqEnd { .. }) {
        let used = ev.reference_location();
        let element = capture(ev)?;
        let at = element.at();
        entries.extend(merged_captured(element.into_events(), at, used)?);
    }
    next_some(ev)?;
    Ok(entries)
}

/// The next key of a mapping whose start has been read, or `None` once its end is read; the
/// entries of the merge keys met on the way go to `merges`.
pub(super) fn next_key<'a, E: Events<'a>>(
    ev: &mut E,
    merges: &mut Vec<Vec<Entry<'a>>>,
) -> Result<Option<Captured<'a>>, Error> {
    loop {
        if matches!(peek_some(ev)?, Ev::MapEnd { .. }) {
            next_some(ev)?;
            return Ok(None);
        }
        let key = capture(ev)?;
        if !key.is_merge_key() {
            return Ok(Some(key));
        }
        merges.push(merged_live(ev)?);
    }
}

/// A merged mapping's entries: its own (no duplicates), then those of its merge keys.
fn merged_mapping<'a>(replay: &mut Replay<'a>) -> Result<Vec<Entry<'a>>, Error> {
    next_some(replay)?;
    let mut fields = Vec::new();
    let mut nested = Vec::new();
    while let Some(key) = next_key(replay, &mut nested)? {
        fields.push(Entry { key, value: capture(replay)? });
    }
    let mut keys = Vec::new();
    let mut seen = SeenKeys::new(&keys);
    for field in &fields {
        if !seen.insert(&mut keys, field.key.fingerprint().clone()) {
            return Err(field.key.duplicate());
        }
    }
    fields.extend(nested.into_iter().flatten());
    Ok(fields)
}
