//! The budget against hostile input: counts of events, nodes, aliases, anchors and copies,
//! nesting depth, scalar bytes and documents, as serde-saphyr 2.2's `BudgetEnforcer` counts
//! them for one string input, with the loader's limits.

use super::{Document, MAX_ALIAS_REPLAY_EVENTS, MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_NODES};

const MAX_EVENTS: usize = 1_000_000;
const MAX_ANCHORS: usize = 50_000;
const MAX_RECORDED_ANCHOR_EVENTS: usize = 1_000_000;
const MAX_RECORDED_ANCHOR_BYTES: usize = 64 * 1024 * 1024;
const MAX_DOCUMENTS: usize = 1;
const MAX_SCALAR_BYTES: usize = 64 * 1024 * 1024;
const MAX_MERGE_KEYS: usize = 10_000;
const ALIAS_ANCHOR_MIN_ALIASES: usize = 100;
const ALIAS_ANCHOR_RATIO: usize = 10;

/// The limit an input went over. The `Debug` form is the reference loader's message text,
/// which is what the counts are kept for.
#[derive(Clone, Debug)]
#[allow(dead_code)]
pub(super) enum Breach {
    Events { events: usize },
    Aliases { aliases: usize },
    Anchors { anchors: usize },
    Depth { depth: usize },
    Documents { documents: usize },
    Nodes { nodes: usize },
    ScalarBytes { total_scalar_bytes: usize },
    MergeKeys { merge_keys: usize },
    AliasAnchorRatio { aliases: usize, anchors: usize },
    SequenceUnbalanced,
    RecordedAnchorEvents { recorded_anchor_events: usize },
    RecordedAnchorBytes { recorded_anchor_bytes: usize },
}

impl Breach {
    pub(super) fn message(&self) -> String {
        format!("{BREACH_PREFIX}{self:?}")
    }
}

/// How the reference loader's breach messages start; the rest is the breach's `Debug` form.
const BREACH_PREFIX: &str = "budget breached: ";

/// A breach message (`budget breached: Depth { depth: 33 }`, the reference loader's wording,
/// which both loaders produce) in words the author of a `document` understands, with the label
/// of the place the limit was reached and the help line; `None` for any other message.
pub(super) fn explain(message: &str, document: Document) -> Option<(String, &'static str, String)> {
    let flatten = &format!("{}s need only a few levels of nesting; write the value more simply", document.noun());
    // The parser's own guard, which deep flow collections can reach before the budget.
    if message == "recursion limit exceeded" {
        return Some(("the file nests values too deeply to read".into(), "one level too deep", flatten.clone()));
    }
    const ALIASES: &str = "write the values out instead of repeating them through `&anchor` and `*alias`";
    // The loader's own guard against aliases that repeat aliases (a "billion laughs").
    if message.starts_with("alias replay limit exceeded") {
        let message =
            format!("the file expands its aliases to more than {} values", thousands(MAX_ALIAS_REPLAY_EVENTS));
        return Some((message, "the limit is reached here", ALIASES.to_string()));
    }
    let breach = message.strip_prefix(BREACH_PREFIX)?;
    let (kind, fields) = breach.split_once(" {").unwrap_or((breach, ""));
    let field = |name: &str| {
        fields.trim_end_matches('}').split(',').find_map(|f| {
            let (key, value) = f.split_once(':')?;
            (key.trim() == name).then(|| value.trim().to_string())
        })
    };
    let smaller = document.smaller_help();
    let (message, help): (String, &str) = match kind {
        "Depth" => (format!("the file nests values more than {MAX_YAML_DEPTH} levels deep"), flatten),
        "Nodes" => (format!("the file holds more than {} values", thousands(MAX_YAML_NODES)), smaller),
        "Events" => (format!("the file holds more than {} YAML events", thousands(MAX_EVENTS)), smaller),
        "ScalarBytes" => (format!("the file's texts add up to more than {} MiB", MAX_SCALAR_BYTES >> 20), smaller),
        "Aliases" => (format!("the file uses more than {} aliases (`*name`)", thousands(MAX_YAML_ALIASES)), ALIASES),
        "Anchors" => (format!("the file defines more than {} anchors (`&name`)", thousands(MAX_ANCHORS)), ALIASES),
        "MergeKeys" => (format!("the file uses more than {} merge keys (`<<`)", thousands(MAX_MERGE_KEYS)), ALIASES),
        "AliasAnchorRatio" => (
            format!(
                "the file uses {} aliases for {} anchors; more than {ALIAS_ANCHOR_RATIO} per anchor is how YAML \
                 bombs grow",
                field("aliases")?,
                field("anchors")?
            ),
            ALIASES,
        ),
        "RecordedAnchorEvents" => {
            (format!("aliases repeat more than {} YAML events", thousands(MAX_RECORDED_ANCHOR_EVENTS)), ALIASES)
        }
        "RecordedAnchorBytes" => {
            (format!("aliases repeat more than {} MiB of text", MAX_RECORDED_ANCHOR_BYTES >> 20), ALIASES)
        }
        "SequenceUnbalanced" => ("the file's sequences and mappings do not close in order".to_string(), flatten),
        _ => return None,
    };
    let label = if kind == "Depth" { "one level too deep" } else { "the limit is reached here" };
    Some((message, label, help.to_string()))
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

fn over(count: &mut usize, add: usize, max: usize) -> Option<usize> {
    *count = count.saturating_add(add);
    (*count > max).then_some(*count)
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
        if let Some(events) = over(&mut self.events, 1, MAX_EVENTS) {
            return Err(Breach::Events { events });
        }
        match *seen {
            Seen::Scalar { len, tag_len, anchored, merge_spelling } => {
                self.bump_nodes()?;
                if let Some(total_scalar_bytes) =
                    over(&mut self.scalar_bytes, len.saturating_add(tag_len), MAX_SCALAR_BYTES)
                {
                    return Err(Breach::ScalarBytes { total_scalar_bytes });
                }
                self.anchor(anchored)?;
                if let Some(c) = self.containers.last_mut().filter(|c| c.mapping) {
                    if c.expecting_key {
                        c.expecting_key = false;
                        if merge_spelling {
                            if let Some(merge_keys) = over(&mut self.merge_keys, 1, MAX_MERGE_KEYS) {
                                return Err(Breach::MergeKeys { merge_keys });
                            }
                        }
                    } else {
                        c.expecting_key = true;
                    }
                }
            }
            Seen::Start { mapping, tag_len, anchored } => {
                self.bump_nodes()?;
                // The open containers are the nesting; this one makes it one deeper.
                let depth = self.containers.len() + 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(Breach::Depth { depth });
                }
                if let Some(total_scalar_bytes) = over(&mut self.scalar_bytes, tag_len, MAX_SCALAR_BYTES) {
                    return Err(Breach::ScalarBytes { total_scalar_bytes });
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
                if let Some(documents) = over(&mut self.documents, 1, MAX_DOCUMENTS) {
                    return Err(Breach::Documents { documents });
                }
            }
            Seen::Marker => {}
        }
        Ok(())
    }

    fn bump_nodes(&mut self) -> Result<(), Breach> {
        match over(&mut self.nodes, 1, MAX_YAML_NODES) {
            Some(nodes) => Err(Breach::Nodes { nodes }),
            None => Ok(()),
        }
    }

    /// Anchor ids are distinct per definition, so a count is the number of distinct anchors.
    fn anchor(&mut self, anchored: bool) -> Result<(), Breach> {
        if anchored {
            if let Some(anchors) = over(&mut self.anchors, 1, MAX_ANCHORS) {
                return Err(Breach::Anchors { anchors });
            }
        }
        Ok(())
    }

    /// Counts an alias read from the text (its replayed events are counted one by one).
    pub(super) fn observe_alias(&mut self) -> Result<(), Breach> {
        if let Some(b) = &self.breached {
            return Err(b.clone());
        }
        let result = match (over(&mut self.events, 1, MAX_EVENTS), over(&mut self.aliases, 1, MAX_YAML_ALIASES)) {
            (Some(events), _) => Err(Breach::Events { events }),
            (None, Some(aliases)) => Err(Breach::Aliases { aliases }),
            (None, None) => Ok(()),
        };
        self.sticky(result)
    }

    /// Counts one event copied into an anchor's recording, with its owned text bytes.
    pub(super) fn observe_recorded(&mut self, owned_bytes: usize) -> Result<(), Breach> {
        if let Some(b) = &self.breached {
            return Err(b.clone());
        }
        let result =
            if let Some(recorded_anchor_events) = over(&mut self.recorded_events, 1, MAX_RECORDED_ANCHOR_EVENTS) {
                Err(Breach::RecordedAnchorEvents { recorded_anchor_events })
            } else if let Some(recorded_anchor_bytes) =
                over(&mut self.recorded_bytes, owned_bytes, MAX_RECORDED_ANCHOR_BYTES)
            {
                Err(Breach::RecordedAnchorBytes { recorded_anchor_bytes })
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
