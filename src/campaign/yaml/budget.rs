//! The budget against hostile input: counts of events, nodes, aliases, anchors and copies,
//! nesting depth, scalar bytes and documents, as serde-saphyr 2.2's `BudgetEnforcer` counts
//! them for one string input, with the loader's limits.

use super::{Document, MAX_ALIAS_REPLAY_EVENTS, MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_NODES};
use crate::diagnostic::{Code, Problem};
use crate::source::Span;

const MAX_EVENTS: usize = 1_000_000;
const MAX_ANCHORS: usize = 50_000;
const MAX_RECORDED_ANCHOR_EVENTS: usize = 1_000_000;
const MAX_RECORDED_ANCHOR_BYTES: usize = 64 * 1024 * 1024;
const MAX_DOCUMENTS: usize = 1;
const MAX_SCALAR_BYTES: usize = 64 * 1024 * 1024;
const MAX_MERGE_KEYS: usize = 10_000;
const ALIAS_ANCHOR_MIN_ALIASES: usize = 100;
const ALIAS_ANCHOR_RATIO: usize = 10;

/// The limit an input went over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Breach {
    Events,
    Aliases,
    Anchors,
    Depth,
    Documents,
    Nodes,
    ScalarBytes,
    MergeKeys,
    /// Many aliases of few anchors; the counts are told.
    AliasAnchorRatio {
        aliases: usize,
        anchors: usize,
    },
    SequenceUnbalanced,
    RecordedAnchorEvents,
    RecordedAnchorBytes,
}

/// The help for a file that repeats values through aliases beyond a limit.
const ALIASES: &str = "write the values out instead of repeating them through `&anchor` and `*alias`";

/// The help for a file nested beyond a limit.
fn flatten(document: Document) -> String {
    format!("{}s need only a few levels of nesting; write the value more simply", document.noun())
}

impl Breach {
    /// The problem at `at`, in words the author of a `document` understands.
    pub(super) fn problem(&self, at: Span, document: Document) -> Problem {
        let smaller = || document.smaller_help().to_string();
        let (message, help) = match self {
            // One document is a limit of the budget, but to the author a second one is not
            // too much of something.
            Breach::Documents => return super::error::second_document(at, document),
            Breach::Depth => {
                (format!("the file nests values more than {MAX_YAML_DEPTH} levels deep"), flatten(document))
            }
            Breach::Nodes => (format!("the file holds more than {} values", thousands(MAX_YAML_NODES)), smaller()),
            Breach::Events => (format!("the file holds more than {} YAML events", thousands(MAX_EVENTS)), smaller()),
            Breach::ScalarBytes => {
                (format!("the file's texts add up to more than {} MiB", MAX_SCALAR_BYTES >> 20), smaller())
            }
            Breach::Aliases => {
                (format!("the file uses more than {} aliases (`*name`)", thousands(MAX_YAML_ALIASES)), ALIASES.into())
            }
            Breach::Anchors => {
                (format!("the file defines more than {} anchors (`&name`)", thousands(MAX_ANCHORS)), ALIASES.into())
            }
            Breach::MergeKeys => {
                (format!("the file uses more than {} merge keys (`<<`)", thousands(MAX_MERGE_KEYS)), ALIASES.into())
            }
            Breach::AliasAnchorRatio { aliases, anchors } => (
                format!(
                    "the file uses {aliases} aliases for {}; more than {ALIAS_ANCHOR_RATIO} per anchor is how \
                     YAML bombs grow",
                    super::typo::plural(*anchors, "anchor")
                ),
                ALIASES.into(),
            ),
            Breach::RecordedAnchorEvents => (
                format!("aliases repeat more than {} YAML events", thousands(MAX_RECORDED_ANCHOR_EVENTS)),
                ALIASES.into(),
            ),
            Breach::RecordedAnchorBytes => {
                (format!("aliases repeat more than {} MiB of text", MAX_RECORDED_ANCHOR_BYTES >> 20), ALIASES.into())
            }
            Breach::SequenceUnbalanced => {
                ("the file's sequences and mappings do not close in order".to_string(), flatten(document))
            }
        };
        let label = if *self == Breach::Depth { "one level too deep" } else { LIMIT_REACHED };
        Problem::at(Code::Limit, at, message, label).with_help(help)
    }
}

const LIMIT_REACHED: &str = "the limit is reached here";

/// The parser's own guard against deep nesting, which deep flow collections can reach before
/// the budget.
pub(super) fn parser_nesting(at: Span, document: Document) -> Problem {
    Problem::at(Code::Limit, at, "the file nests values too deeply to read", "one level too deep")
        .with_help(flatten(document))
}

/// The loader's own guard against aliases that repeat aliases (a "billion laughs").
pub(super) fn alias_replay(at: Span) -> Problem {
    let message = format!("the file expands its aliases to more than {} values", thousands(MAX_ALIAS_REPLAY_EVENTS));
    Problem::at(Code::Limit, at, message, LIMIT_REACHED).with_help(ALIASES)
}

/// `1000000` as `1,000,000`.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// One event as the budget sees it.
pub(super) enum Seen {
    /// A scalar: its length, its tag's length, whether it defines an anchor, and whether it
    /// is spelled as a merge key (`<<` plain and untagged, or tagged `!!merge`).
    Scalar {
        len: usize,
        tag_len: usize,
        anchored: bool,
        merge_spelling: bool,
    },
    /// A sequence or mapping start.
    Start {
        mapping: bool,
        tag_len: usize,
        anchored: bool,
    },
    /// A sequence or mapping end.
    End {
        mapping: bool,
    },
    DocumentStart,
    /// Stream start or end, document end.
    Marker,
}

#[derive(Clone, Copy)]
struct Container {
    mapping: bool,
    expecting_key: bool,
    from_mapping_value: bool,
}

#[derive(Default)]
pub(super) struct Budget {
    breached: Option<Breach>,
    events: usize,
    aliases: usize,
    anchors: usize,
    recorded_events: usize,
    recorded_bytes: usize,
    documents: usize,
    nodes: usize,
    scalar_bytes: usize,
    merge_keys: usize,
    /// The collections open at the cursor, innermost last.
    containers: Vec<Container>,
}

/// Adds to a count; whether it is now over `max`.
fn over(count: &mut usize, add: usize, max: usize) -> bool {
    *count = count.saturating_add(add);
    *count > max
}

impl Budget {
    fn sticky(&mut self, result: Result<(), Breach>) -> Result<(), Breach> {
        if let Err(b) = &result {
            self.breached.get_or_insert_with(|| b.clone());
        }
        result
    }

    /// Counts one parser event (or replayed copy).
    pub(super) fn observe(&mut self, seen: &Seen) -> Result<(), Breach> {
        if let Some(b) = &self.breached {
            return Err(b.clone());
        }
        let result = self.observe_inner(seen);
        self.sticky(result)
    }

    fn observe_inner(&mut self, seen: &Seen) -> Result<(), Breach> {
        if over(&mut self.events, 1, MAX_EVENTS) {
            return Err(Breach::Events);
        }
        match *seen {
            Seen::Scalar { len, tag_len, anchored, merge_spelling } => {
                self.bump_nodes()?;
                if over(&mut self.scalar_bytes, len.saturating_add(tag_len), MAX_SCALAR_BYTES) {
                    return Err(Breach::ScalarBytes);
                }
                self.anchor(anchored)?;
                if let Some(c) = self.containers.last_mut().filter(|c| c.mapping) {
                    if c.expecting_key {
                        c.expecting_key = false;
                        if merge_spelling && over(&mut self.merge_keys, 1, MAX_MERGE_KEYS) {
                            return Err(Breach::MergeKeys);
                        }
                    } else {
                        c.expecting_key = true;
                    }
                }
            }
            Seen::Start { mapping, tag_len, anchored } => {
                self.bump_nodes()?;
                // The open containers are the nesting; this one makes it one deeper.
                if self.containers.len() + 1 > MAX_YAML_DEPTH {
                    return Err(Breach::Depth);
                }
                if over(&mut self.scalar_bytes, tag_len, MAX_SCALAR_BYTES) {
                    return Err(Breach::ScalarBytes);
                }
                let from_mapping_value = match self.containers.last_mut().filter(|c| c.mapping) {
                    Some(c) if c.expecting_key => {
                        c.expecting_key = false;
                        false
                    }
                    Some(_) => true,
                    None => false,
                };
                self.containers.push(Container { mapping, expecting_key: true, from_mapping_value });
                self.anchor(anchored)?;
            }
            Seen::End { mapping } => match self.containers.pop() {
                Some(c) if c.mapping == mapping => {
                    if c.from_mapping_value {
                        if let Some(p) = self.containers.last_mut().filter(|p| p.mapping) {
                            p.expecting_key = true;
                        }
                    }
                }
                _ => return Err(Breach::SequenceUnbalanced),
            },
            Seen::DocumentStart => {
                if over(&mut self.documents, 1, MAX_DOCUMENTS) {
                    return Err(Breach::Documents);
                }
            }
            Seen::Marker => {}
        }
        Ok(())
    }

    fn bump_nodes(&mut self) -> Result<(), Breach> {
        if over(&mut self.nodes, 1, MAX_YAML_NODES) {
            return Err(Breach::Nodes);
        }
        Ok(())
    }

    /// Anchor ids are distinct per definition, so a count is the number of distinct anchors.
    fn anchor(&mut self, anchored: bool) -> Result<(), Breach> {
        if anchored && over(&mut self.anchors, 1, MAX_ANCHORS) {
            return Err(Breach::Anchors);
        }
        Ok(())
    }

    /// Counts an alias read from the text (its replayed events are counted one by one).
    pub(super) fn observe_alias(&mut self) -> Result<(), Breach> {
        if let Some(b) = &self.breached {
            return Err(b.clone());
        }
        let result = match (over(&mut self.events, 1, MAX_EVENTS), over(&mut self.aliases, 1, MAX_YAML_ALIASES)) {
            (true, _) => Err(Breach::Events),
            (false, true) => Err(Breach::Aliases),
            (false, false) => Ok(()),
        };
        self.sticky(result)
    }

    /// Counts one event copied into an anchor's recording, with its owned text bytes.
    pub(super) fn observe_recorded(&mut self, owned_bytes: usize) -> Result<(), Breach> {
        if let Some(b) = &self.breached {
            return Err(b.clone());
        }
        let result = if over(&mut self.recorded_events, 1, MAX_RECORDED_ANCHOR_EVENTS) {
            Err(Breach::RecordedAnchorEvents)
        } else if over(&mut self.recorded_bytes, owned_bytes, MAX_RECORDED_ANCHOR_BYTES) {
            Err(Breach::RecordedAnchorBytes)
        } else {
            Ok(())
        };
        self.sticky(result)
    }

    /// The check made once the whole input is read: many aliases of few anchors.
    pub(super) fn finish(&self) -> Option<Breach> {
        if let Some(b) = &self.breached {
            return Some(b.clone());
        }
        (self.aliases >= ALIAS_ANCHOR_MIN_ALIASES
            && (self.anchors == 0 || self.aliases > ALIAS_ANCHOR_RATIO.saturating_mul(self.anchors)))
        .then_some(Breach::AliasAnchorRatio { aliases: self.aliases, anchors: self.anchors })
    }
}

#[cfg(test)]
mod tests {
    use super::Breach;
    use crate::campaign::yaml::Document;
    use crate::source::{FileId, Span};

    #[test]
    fn the_alias_ratio_message_counts_anchors_in_words() {
        let at = Span { file: FileId(0), start: 0, end: 0 };
        let message =
            |anchors| Breach::AliasAnchorRatio { aliases: 100, anchors }.problem(at, Document::Campaign).message;
        assert_eq!(
            message(1),
            "the file uses 100 aliases for 1 anchor; more than 10 per anchor is how YAML bombs grow"
        );
        assert_eq!(
            message(0),
            "the file uses 100 aliases for 0 anchors; more than 10 per anchor is how YAML bombs grow"
        );
    }
}
