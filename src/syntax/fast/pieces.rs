//! A large policy text parsed in pieces, one per core, with exactly the items of parsing it in
//! one go.

use super::Parser;
use crate::source::FileId;
use crate::syntax::ast::Item;

/// Texts this long or longer are parsed in pieces on every core: a large rule file was most of
/// a one-campaign run, parsed on one core while the other waited.
pub(super) const PIECE_BYTES: usize = 32 * 1024;

/// Where the pieces after the first start: the first line that opens a rule at or after each of
/// `pieces - 1` evenly spaced offsets. These are guesses (such a line may be inside a string);
/// [`parse_in_pieces`] uses a piece only where the piece before it ends exactly at its start.
pub(super) fn piece_starts(text: &str, pieces: usize) -> Vec<usize> {
    let rule_line = memchr::memmem::Finder::new(b"\nrule ");
    let mut starts: Vec<usize> = Vec::new();
    for i in 1..pieces {
        let from = (text.len() * i / pieces).max(starts.last().map_or(0, |&s| s + 1));
        if let Some(at) = text.as_bytes().get(from..).and_then(|rest| rule_line.find(rest)) {
            starts.push(from + at + 1);
        }
    }
    starts
}

/// The items of `text` parsed in pieces, in parallel: one from the start, one from each of the
/// increasing offsets `starts`. A piece stops where the next item would start at one of the
/// later offsets, and the text's items are the first piece's followed by those of the piece
/// it stopped at, and so on. That is exactly what parsing the whole text in one go gives: an
/// item boundary is outside every bracket, and the parser's only other state, the count of
/// `not`s, is reset by every condition before it is read, so parsing on from a boundary is
/// the same as parsing afresh from there. A guessed offset that is no item boundary is never
/// stopped at, and its piece is not used.
pub(in crate::syntax) fn parse_in_pieces(file: FileId, text: &str, starts: &[usize]) -> Option<Vec<Item>> {
    let piece = |first: usize| Piece::parse(file, text, first, starts);
    let mut pieces: Vec<Option<Piece>> = if starts.is_empty() {
        vec![Some(piece(0))]
    } else {
        use rayon::prelude::*;
        (0..=starts.len()).into_par_iter().map(|first| Some(piece(first))).collect()
    };
    let mut items = Vec::new();
    let mut next = 0;
    loop {
        let piece = pieces.get_mut(next)?.take()?;
        items.extend(piece.items);
        match piece.end {
            PieceEnd::Text => return Some(items),
            PieceEnd::Fails => return None,
            PieceEnd::At(piece) => next = piece,
        }
    }
}

/// The items of a text from one offset on.
pub(in crate::syntax) struct Piece {
    items: Vec<Item>,
    pub(in crate::syntax) end: PieceEnd,
}

/// Where a piece ends.
#[derive(Debug, PartialEq, Eq)]
pub(in crate::syntax) enum PieceEnd {
    /// At the end of the text, which parsed.
    Text,
    /// Where the text fails to parse (or is left to pest).
    Fails,
    /// Where piece `n` starts.
    At(usize),
}

impl Piece {
    /// Piece `n`: from the start of the text for 0, else from `starts[n - 1]`; the grammar's
    /// `file` rule, stopping at a later piece's start.
    pub(in crate::syntax) fn parse(file: FileId, text: &str, n: usize, starts: &[usize]) -> Piece {
        let mut p = Parser::new(file, text);
        match n.checked_sub(1) {
            None => {
                p.skip();
                p.attempt(|p| p.literal("\u{feff}"));
                p.skip();
            }
            Some(start) => p.pos = starts.get(start).copied().unwrap_or(text.len()),
        }
        // `item*`, as `zero_or_more` reads it, looking for a later piece's start before each item.
        let mut items = Vec::new();
        loop {
            let before = p.pos;
            if !items.is_empty() {
                p.skip();
            }
            // Here, between items, every bracket is closed and the nesting limit was not passed
            // (an item past it fails): the state a piece starts from.
            if let Ok(start) = starts.binary_search(&p.pos) {
                if start + 1 > n {
                    return Piece { items, end: PieceEnd::At(start + 1) };
                }
            }
            match p.attempt(Parser::item) {
                Some(item) => items.push(item),
                None => {
                    p.pos = before;
                    break;
                }
            }
        }
        p.skip();
        let end = if p.pos == text.len() && !p.too_deep { PieceEnd::Text } else { PieceEnd::Fails };
        Piece { items, end }
    }
}
