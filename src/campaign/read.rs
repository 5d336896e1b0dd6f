//! YAML nodes to a [`Campaign`]: the format of spec 2.1, every error collected and located.

mod duration;
mod names;
mod retention;
mod values;

use std::collections::BTreeMap;

use self::names::Kind;
pub use self::retention::parse_duration;
use self::values::TextAt;
use super::model::*;
use super::yaml::{Node, Value};
use crate::chars::{describe, is_blank, is_misleading, is_unseen, is_unseen_in_reports};
use crate::diagnostic::{suggest, Code, Problem};
use crate::policy::{CategoryId, CheckedPolicy, PurposeId};
use crate::source::{SourceFile, Span};

const TOP_KEYS: [&str; 13] = [
    "campaign",
    "name",
    "owner",
    "purpose",
    "basis",
    "channels",
    "audience",
    "consent",
    "data",
    "processors",
    "security",
    "rights",
    "labels",
];
const AUDIENCE_KEYS: [&str; 4] = ["regions", "min_age", "subjects", "segments"];
const CONSENT_KEYS: [&str; 3] = ["source", "double_opt_in", "withdrawal"];
const DATA_KEYS: [&str; 5] = ["category", "retention", "purpose", "basis", "source"];
const PROCESSOR_KEYS: [&str; 4] = ["name", "region", "safeguard", "dpa"];
const SECURITY_KEYS: [&str; 3] = ["encryption", "access", "monitoring"];
const RIGHTS_KEYS: [&str; 5] = ["unsubscribe", "contact", "access", "erasure", "rectification"];
/// The keys of a campaign that hold keys of their own, with those keys: where a key written
/// at the top level belongs once it has lost its indentation (`rights:`, then `contact:` at
/// the start of the next line).
const SECTIONS: [(&str, &[&str]); 6] = [
    ("audience", &AUDIENCE_KEYS),
    ("consent", &CONSENT_KEYS),
    ("data", &DATA_KEYS),
    ("processors", &PROCESSOR_KEYS),
    ("security", &SECURITY_KEYS),
    ("rights", &RIGHTS_KEYS),
];

pub(super) struct Reader<'a> {
    pub source: &'a SourceFile,
    pub policy: &'a CheckedPolicy,
    pub problems: Vec<Problem>,
    /// The id to report for an invalid campaign whose `campaign` value is not text.
    pub reported_id: Option<Located<String>>,
}

/// The required keys of the mappings that have any, by their allowed keys.
const REQUIRED: [(&[&str], &[&str]); 3] =
    [(&TOP_KEYS, &["campaign", "purpose", "basis", "data"]), (&DATA_KEYS, &["category"]), (&PROCESSOR_KEYS, &["name"])];

/// The known keys of a mapping with their values.
#[derive(Default)]
struct Entries<'n> {
    keys: BTreeMap<&'n str, &'n Node>,
    /// Required keys the mapping lacks for which a misspelt key (`Purpose:`, `purpse:`) has been
    /// reported: the one mistake is told once, at the key, not again as a missing key.
    misspelt: Vec<&'static str>,
}

/// A key's value, unless it is absent or `null` (spec 2.1: null counts as absent).
fn present<'n>(map: &Entries<'n>, key: &str) -> Option<&'n Node> {
    map.keys.get(key).copied().filter(|n| n.value != Value::Null)
}

impl Reader<'_> {
    pub(super) fn campaign(&mut self, root: &Node) -> Campaign {
        let mut c = Campaign::default();
        // `---`, `~` or `null` alone: a document, but no campaign in it.
        if root.value == Value::Null {
            self.error(
                Code::Yaml,
                root.span,
                "campaign file is empty".into(),
                "a null document",
                "a campaign needs at least `campaign`, `purpose`, `basis` and `data`".into(),
            );
            return c;
        }
        let Some(top) = self.mapping(root, &TOP_KEYS, "a campaign") else {
            return c;
        };
        let id_node = self.required(&top, "campaign", root.span);
        c.id = id_node.and_then(|n| self.text(n, "campaign")).and_then(|id| self.untrimmed_id(id));
        if c.id.is_none() && self.reported_id.is_none() {
            // A wrongly typed id (`campaign: 2026`) still names the campaign in reports.
            self.reported_id = id_node
                .filter(|n| matches!(n.value, Value::Int(_) | Value::Float(_) | Value::Bool(_)))
                .map(|n| Located { value: self.raw(n), span: n.span });
        }
        c.name = present(&top, "name").and_then(|n| self.text(n, "name"));
        c.owner = present(&top, "owner").and_then(|n| self.text(n, "owner"));
        c.purpose = self.required(&top, "purpose", root.span).and_then(|n| self.purpose(n));
        c.basis = self.required(&top, "basis", root.span).and_then(|n| self.basis(n));
        c.channels = present(&top, "channels").and_then(|n| self.channels(n));
        if let Some(a) = present(&top, "audience").and_then(|n| self.mapping(n, &AUDIENCE_KEYS, "`audience`")) {
            c.regions = present(&a, "regions").and_then(|n| self.symbols(n, "audience.regions"));
            c.min_age = present(&a, "min_age").and_then(|n| self.int(n, "audience.min_age"));
            c.subjects = present(&a, "subjects").and_then(|n| self.symbols(n, "audience.subjects"));
            c.segments = present(&a, "segments").and_then(|n| self.symbols(n, "audience.segments"));
        }
        if let Some(a) = present(&top, "consent").and_then(|n| self.mapping(n, &CONSENT_KEYS, "`consent`")) {
            c.consent_source = present(&a, "source").and_then(|n| self.text(n, "consent.source"));
            c.double_opt_in = present(&a, "double_opt_in").and_then(|n| self.boolean(n, "consent.double_opt_in"));
            c.withdrawal = present(&a, "withdrawal").and_then(|n| self.text(n, "consent.withdrawal"));
        }
        if let Some(data) = self.required(&top, "data", root.span) {
            // Sized up front: a Vec grown by doubling keeps up to half its room unused, and a
            // run over ten thousand campaigns keeps every one of them.
            let items = self.items(data, "data");
            let mut uses = Vec::with_capacity(items.len());
            uses.extend(items.iter().filter_map(|n| self.data_use(n)));
            c.data = uses;
        }
        c.processors = present(&top, "processors").map(|n| {
            let items = self.items(n, "processors");
            let mut processors = Vec::with_capacity(items.len());
            processors.extend(items.iter().filter_map(|n| self.processor(n)));
            processors
        });
        if let Some(a) = present(&top, "security").and_then(|n| self.mapping(n, &SECURITY_KEYS, "`security`")) {
            c.encryption = present(&a, "encryption").and_then(|n| self.symbols(n, "security.encryption"));
            c.access = present(&a, "access").and_then(|n| self.symbols(n, "security.access"));
            c.monitoring = present(&a, "monitoring").and_then(|n| self.boolean(n, "security.monitoring"));
        }
        if let Some(a) = present(&top, "rights").and_then(|n| self.mapping(n, &RIGHTS_KEYS, "`rights`")) {
            c.unsubscribe = present(&a, "unsubscribe").and_then(|n| self.boolean(n, "rights.unsubscribe"));
            c.contact = present(&a, "contact").and_then(|n| self.text(n, "rights.contact"));
            c.rights_access = present(&a, "access").and_then(|n| self.text(n, "rights.access"));
            c.erasure = present(&a, "erasure").and_then(|n| self.text(n, "rights.erasure"));
            c.rectification = present(&a, "rectification").and_then(|n| self.text(n, "rights.rectification"));
        }
        if let Some(labels) = present(&top, "labels") {
            c.labels = self.labels(labels);
        }
        c
    }

    /// The id, unless white space (or a character that shows as nothing) starts or ends it:
    /// `good-newsletter ` is another id than `good-newsletter`, and looks the same in every
    /// report. Such an id still names the invalid campaign in reports. A line break or a
    /// control character is written as an escape in reports (`x\r`), where it does not look
    /// like the id without it.
    fn untrimmed_id(&mut self, id: Located<String>) -> Option<Located<String>> {
        let around = |c: char| c == ' ' || is_unseen_in_reports(c);
        let trimmed = id.value.trim_matches(around);
        if trimmed.len() == id.value.len() {
            return Some(id);
        }
        let first = id.value.chars().next().filter(|&c| around(c));
        let last = id.value.chars().next_back().filter(|&c| around(c));
        let what = |c: char| if c == ' ' { "a space".to_string() } else { describe(c) };
        let message = match (first, last) {
            (Some(a), Some(b)) if a == b => format!("the campaign id `{}` starts and ends with {}", id.value, what(a)),
            (Some(a), Some(b)) => {
                format!("the campaign id `{}` starts with {} and ends with {}", id.value, what(a), what(b))
            }
            (Some(a), None) => format!("the campaign id `{}` starts with {}", id.value, what(a)),
            (_, Some(b)) => format!("the campaign id `{}` ends with {}", id.value, what(b)),
            (None, None) => format!("the campaign id `{}` has white space around it", id.value),
        };
        // The id is not repeated as it is: help text is shown as written, and an id may hold a
        // line break that would start a line of a CI log.
        let help = format!(
            "remove it: `campaign: {}`; ids are compared as written, and in a report this id looks like the one \
             without it, which it is not",
            yaml_text(trimmed)
        );
        self.error(Code::Type, id.span, message, "white space around the id", help);
        self.reported_id = Some(id);
        None
    }

    fn error(&mut self, code: Code, span: Span, message: String, label: &str, help: String) {
        self.problems.push(Problem::at(code, span, message, label).with_help(help));
    }

    /// The entries of a mapping with string keys (`null` values included; see [`present`]).
    /// A null node is an error like any other non-mapping: optional sections reach here only
    /// through [`present`], so what is null here is a list item (`- ~`, a bare `-`).
    fn mapping<'n>(&mut self, node: &'n Node, allowed: &[&str], what: &str) -> Option<Entries<'n>> {
        let Value::Map(entries) = &node.value else {
            let help = match (&node.value, what) {
                (Value::Null, _) => format!("an empty list entry is not {what}: give it its keys or remove the `-`"),
                // `processors: [Klaviyo, Postnord]`: names where entries with keys belong.
                // `- AdTechCo Inc, Google Ireland`: one entry per company, as for `processors: A, B`.
                (Value::Str(name), "a processor") => values::several_processors(name).unwrap_or_else(|| {
                    format!(
                        "write each processor with its keys, e.g. `- name: {}` then `region: …` below it",
                        yaml_text(name)
                    )
                }),
                (Value::Str(name), "a data use") => format!(
                    "write each use with its keys, e.g. `- category: {}` then `retention: …` below it",
                    yaml_text(name)
                ),
                _ => "write `key: value` lines, indented under their parent".into(),
            };
            self.error(
                Code::Type,
                node.span,
                format!("expected {what} as a mapping of keys, found {}", node.value.describe()),
                "not a mapping",
                help,
            );
            return None;
        };
        let mut out = Entries::default();
        let required = REQUIRED.iter().find(|(keys, _)| *keys == allowed).map_or(&[][..], |(_, required)| *required);
        // The last known key before the one read: the section a stray key most likely left.
        let mut previous = None;
        for (k, v) in entries {
            let Value::Str(key) = &k.value else {
                self.error(
                    Code::UnknownKey,
                    k.span,
                    format!("keys must be names, found {}", k.value.describe()),
                    "not a key",
                    format!("the keys of {what} are {}", quoted(allowed)),
                );
                continue;
            };
            if !allowed.contains(&key.as_str()) {
                let misplaced = if allowed == TOP_KEYS {
                    section_of(key, previous)
                        .or_else(|| {
                            self.policy
                                .reads_label(key)
                                .then(|| format!("`{key}` is a label the policy reads: indent it under `labels:`"))
                        })
                        .or_else(|| nested(key))
                } else if allowed.iter().any(|a| respelt(key, a)) {
                    // `regions` in a processor is its own `region`, not `audience.regions`.
                    None
                } else {
                    // `unsubscribe` under `consent:`: a key of another section, moved there.
                    let homes: Vec<&str> = SECTIONS
                        .iter()
                        .filter(|(section, keys)| {
                            keys.contains(&key.as_str()) && !matches!(*section, "data" | "processors")
                        })
                        .map(|(section, _)| *section)
                        .collect();
                    match homes.as_slice() {
                        [home] => Some(format!("`{key}` is a key of `{home}`, not of {what}: move it under `{home}:`")),
                        _ => None,
                    }
                };
                let lower = key.to_lowercase();
                // `PURPOSE` is nothing like `purpose` to a comparison of characters.
                let near = allowed
                    .iter()
                    .copied()
                    .find(|a| *a == lower)
                    .or_else(|| by_words(key, allowed, entries))
                    .or_else(|| {
                        // A close key only when it is the key respelt: `dpa_missing` is close
                        // to `dpa`, and `campaign_owner` to `campaign`, which it is not.
                        suggest(key, allowed.iter().copied())
                            .filter(|s| respelt(key, s) || !(is_section(s) || CLAIMS.contains(s)))
                    })
                    .filter(|s| !turns(key, s))
                    .filter(|s| !has_key(entries, s) || respelt(key, s));
                let mut message = format!("unknown key `{key}` in {what}");
                let mut label = "unknown key".to_string();
                let help = match (misplaced, near) {
                    (Some(h), _) => h,
                    // `channel:` or `Purpose:` beside `channels:` or `purpose:`: one key given
                    // twice, not a key to rename (renamed, it would be a duplicate key).
                    (None, Some(s)) if has_key(entries, s) => {
                        let line = entries
                            .iter()
                            .find(|(k, _)| matches!(&k.value, Value::Str(k) if k == s))
                            .map_or(0, |(k, _)| self.source.line_col(k.span.start).0);
                        format!("`{s}` is given on line {line}; merge the two into `{s}`")
                    }
                    (None, Some(s)) => {
                        // A required key the mapping lacks: said here, once, rather than a
                        // second error at the top of the mapping.
                        let lacking = required.iter().copied().find(|r| *r == s).filter(|r| !has_key(entries, r));
                        if let Some(r) = lacking {
                            message = format!("{message}: the required key `{r}` is missing");
                            label = format!("not read as `{r}`");
                            out.misspelt.push(r);
                        }
                        if lower == s {
                            format!("keys are lower-case: write `{s}:`")
                        } else {
                            format!("did you mean `{s}`?")
                        }
                    }
                    (None, None) => format!("the keys of {what} are {}", quoted(allowed)),
                };
                self.error(Code::UnknownKey, k.span, message, &label, help);
                continue;
            }
            previous = Some(key.as_str());
            if out.keys.insert(key.as_str(), v).is_some() {
                self.duplicate_key(k.span, key);
            }
        }
        Some(out)
    }

    /// A key given twice in one mapping. The YAML loader refuses plain duplicates and lets a
    /// mapping's own keys win over merged ones (`<<:`); a copy that differs only by a tag
    /// (`!x category:`), written in the mapping or in a merged one, arrives here and must not
    /// silently replace the value a reader sees.
    fn duplicate_key(&mut self, span: Span, key: &str) {
        self.error(
            Code::Yaml,
            span,
            format!("duplicate key `{key}`"),
            "given again here",
            format!("give `{key}` once: a second, tagged copy would hide the first"),
        );
    }

    fn required<'n>(&mut self, map: &Entries<'n>, key: &str, at: Span) -> Option<&'n Node> {
        if let Some(null) = map.keys.get(key).filter(|n| n.value == Value::Null) {
            self.error(
                Code::MissingKey,
                null.span,
                format!("required key `{key}` has no value"),
                "null counts as absent",
                format!("give `{key}` a value"),
            );
            return None;
        }
        let found = present(map, key);
        if found.is_none() && !map.misspelt.contains(&key) {
            let help = match key {
                "data" => {
                    "list the personal data used, e.g. `data: [{ category: contact.email }]`, or `data: []`".to_string()
                }
                "campaign" => "give the campaign an id, e.g. `campaign: spring-newsletter-2026`".to_string(),
                _ => format!("add `{key}:`"),
            };
            self.error(
                Code::MissingKey,
                Span { end: at.start, ..at },
                format!("missing required key `{key}`"),
                "required key missing here",
                help,
            );
        }
        found
    }

    fn channels(&mut self, node: &Node) -> List<String> {
        let list = self.symbols(node, "channels")?;
        let declared = &self.policy.channels;
        if declared.is_empty() {
            return Some(list);
        }
        let mut ok = true;
        for ch in &list {
            if !declared.contains(&ch.value) {
                ok = false;
                self.unknown_name(Kind::Channel, ch);
            }
        }
        ok.then_some(list)
    }

    fn purpose(&mut self, node: &Node) -> Option<Located<PurposeId>> {
        let t = self.text(node, "purpose")?;
        match self.policy.purposes.lookup(&t.value) {
            Some(id) => Some(Located { value: id, span: t.span }),
            None => {
                self.unknown_name(Kind::Purpose, &t);
                None
            }
        }
    }

    fn category(&mut self, node: &Node) -> Option<Located<CategoryId>> {
        let t = self.text(node, "category")?;
        match self.policy.categories.lookup(&t.value) {
            Some(id) => Some(Located { value: id, span: t.span }),
            None => {
                self.unknown_name(Kind::Category, &t);
                None
            }
        }
    }

    fn basis(&mut self, node: &Node) -> Option<Located<String>> {
        let t = self.text(node, "basis")?;
        if self.policy.bases.contains(&t.value) {
            return Some(t);
        }
        self.unknown_name(Kind::Basis, &t);
        None
    }

    /// A name the policy does not know where a name of `kind` is expected.
    fn unknown_name(&mut self, kind: Kind, name: &Located<String>) {
        let (message, label, help) = names::unknown(self.policy, kind, &name.value);
        self.error(Code::UnknownName, name.span, message, label, help);
    }

    fn data_use(&mut self, node: &Node) -> Option<DataUse> {
        // `data: [contact.email, identity.name]`: categories listed without their key.
        if let Value::Str(text) = &node.value {
            let example = if self.policy.categories.lookup(text).is_some() { text.as_str() } else { "contact.email" };
            self.error(
                Code::Type,
                node.span,
                "expected a data use as a mapping of keys, found text".into(),
                "not a mapping",
                format!("write each use as `- category: {example}` (with its retention etc. below it)"),
            );
            return None;
        }
        let before = self.problems.len();
        let m = self.mapping(node, &DATA_KEYS, "a data use")?;
        let category = self.required(&m, "category", node.span).and_then(|n| self.category(n));
        let retention = present(&m, "retention").and_then(|n| self.duration(n));
        let purpose = present(&m, "purpose").and_then(|n| self.purpose(n));
        let basis = present(&m, "basis").and_then(|n| self.basis(n));
        let source = present(&m, "source").and_then(|n| self.text(n, "source"));
        if self.problems.len() > before {
            return None;
        }
        Some(DataUse { span: node.span, category: category?, retention, purpose, basis, source })
    }

    fn processor(&mut self, node: &Node) -> Option<Processor> {
        let before = self.problems.len();
        let m = self.mapping(node, &PROCESSOR_KEYS, "a processor")?;
        let name = self.required(&m, "name", node.span).and_then(|n| self.text_at(n, "name", TextAt::Processor));
        let region = present(&m, "region").and_then(|n| self.text_at(n, "region", TextAt::Processor));
        let safeguard = present(&m, "safeguard").and_then(|n| self.text_at(n, "safeguard", TextAt::Processor));
        let dpa = present(&m, "dpa").and_then(|n| self.boolean(n, "dpa"));
        if self.problems.len() > before {
            return None;
        }
        Some(Processor { span: node.span, name: name?, region, safeguard, dpa })
    }

    fn labels(&mut self, node: &Node) -> BTreeMap<String, Located<String>> {
        let mut out = BTreeMap::new();
        let Value::Map(entries) = &node.value else {
            self.error(
                Code::Type,
                node.span,
                format!("`labels` must be a mapping, found {}", node.value.describe()),
                "not a mapping",
                "write `labels:` followed by `key: value` lines".into(),
            );
            return out;
        };
        for (k, v) in entries {
            let key = match &k.value {
                Value::Str(s) => s.clone(),
                Value::Int(_) | Value::Bool(_) | Value::Float(_) => self.raw(k),
                other => {
                    self.error(
                        Code::Type,
                        k.span,
                        format!("label keys must be names, found {}", other.describe()),
                        "not a key",
                        "write `name: value`".into(),
                    );
                    continue;
                }
            };
            let value = match &v.value {
                Value::Null => continue,
                Value::Str(s) if is_blank(s) => {
                    self.blank(v.span, &format!("labels.{key}"));
                    continue;
                }
                Value::Str(s) if self.misleading(v.span, &format!("labels.{key}"), s) => continue,
                Value::Str(s) if self.too_long_to_search(v.span, &format!("labels.{key}"), s) => continue,
                Value::Str(s) => s.clone(),
                // Non-string scalars are read as their source text, so `tier: 07` stays `07`.
                Value::Int(_) | Value::Bool(_) | Value::Float(_) => self.raw(v),
                other => {
                    self.error(
                        Code::Type,
                        v.span,
                        format!("label `{key}` must be a single value, found {}", other.describe()),
                        "not a scalar",
                        "labels hold text, numbers or booleans".into(),
                    );
                    continue;
                }
            };
            if out.insert(key.clone(), Located { value, span: v.span }).is_some() {
                self.duplicate_key(k.span, &key);
            }
        }
        out
    }
}

/// Whether `key` names a section or `labels`, which hold keys, not the value given.
fn is_section(key: &str) -> bool {
    key == "labels" || SECTIONS.iter().any(|(s, _)| *s == key)
}

/// Whether `key` is `known` respelt rather than `known` with a word more or less: the same
/// letters once separators and case are set aside (`double_optin`), or as many words and at
/// most two letters apart (`channel`, `monitorng`, `regions` for `region`).
fn respelt(key: &str, known: &str) -> bool {
    let compact = |k: &str| k.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (compact(key), compact(known));
    a == b || (words(key).len() == words(known).len() && strsim::levenshtein(&a, &b) <= 2)
}

/// Yes/no claims, which a key with a word more or less does not make (`opt_in` is no
/// `double_opt_in`, `dpa_pending` no `dpa`): never suggested by words.
const CLAIMS: [&str; 4] = ["double_opt_in", "dpa", "monitoring", "unsubscribe"];

/// Words that make a key mean another thing than the known key it holds or resembles:
/// `max_age` is no `min_age`, `excluded_regions` no `regions`, `dpa_pending` no `dpa`.
const TURNING_WORDS: [&str; 46] = [
    "max",
    "min",
    "not",
    "no",
    "non",
    "none",
    "without",
    "exclude",
    "excluded",
    "excluding",
    "except",
    "blocked",
    "old",
    "former",
    // A claim not yet true: `dpa_pending: true` is no `dpa: true`.
    "missing",
    "pending",
    "planned",
    "plan",
    "disabled",
    "required",
    "requested",
    "needed",
    "status",
    "todo",
    "tbd",
    "false",
    "off",
    "lacking",
    "absent",
    "unsigned",
    "draft",
    "expired",
    "awaiting",
    "waiting",
    "future",
    "later",
    "soon",
    "proposed",
    "scheduled",
    "partial",
    "optional",
    "unknown",
    "maybe",
    "incomplete",
    "progress",
    "review",
];

/// The words of a key, lower-case and with `minimum` and `maximum` short: `legal_basis` is
/// `legal` and `basis`, `minimum_age` is `min` and `age`.
fn words(key: &str) -> Vec<String> {
    let short = |w: &str| match w {
        "minimum" => "min".to_string(),
        "maximum" => "max".to_string(),
        w => w.to_string(),
    };
    key.to_lowercase().split(['_', '-', ' ', '.']).filter(|w| !w.is_empty()).map(short).collect()
}

/// The one known key that `key` names with a word more (`legal_basis` for `basis`,
/// `campaign_name` for `name` when `campaign` is given) or a word less (`age` for `min_age`),
/// or `None`. A known key the mapping has already is not one: it would be given twice.
fn by_words<'k>(key: &str, allowed: &[&'k str], entries: &[(Node, Node)]) -> Option<&'k str> {
    let words = words(key);
    let mut found = allowed.iter().copied().filter(|known| {
        let known_words: Vec<String> = known.split('_').map(str::to_string).collect();
        let holds = words.windows(known_words.len()).any(|run| run == known_words.as_slice());
        let held = words.len() < known_words.len() && known_words.ends_with(&words);
        // A section holds keys, not the value given (`consent_review: CR-1` is no `consent:`).
        let section = *known == "labels" || SECTIONS.iter().any(|(s, _)| s == known);
        (holds || held) && !section && !CLAIMS.contains(known) && !has_key(entries, known)
    });
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Whether `key` holds a word that turns its meaning (`max`, `excluded`) which the known key
/// `suggested` does not: following such a suggestion would state the opposite of what was
/// meant (`max_age: 16` as `min_age: 16`).
fn turns(key: &str, suggested: &str) -> bool {
    let known = words(suggested);
    words(key).iter().any(|w| TURNING_WORDS.contains(&w.as_str()) && !known.contains(w))
}

/// The help for a top-level key that names a section and one of its keys (`consent.source`,
/// `consent_source`), or `None`: it is written under the section, not joined to it.
fn nested(key: &str) -> Option<String> {
    let lower = key.to_lowercase();
    SECTIONS.iter().find_map(|(section, keys)| {
        let rest = lower.strip_prefix(section)?.strip_prefix(['.', '_'])?;
        let known = keys.iter().find(|k| **k == rest)?;
        Some(key_of(section, known))
    })
}

/// The help for a top-level key that is a key of a section (`contact` of `rights`), or `None`.
/// Of several sections (`source`: `consent` and a data use), the one written just before it
/// is taken, as a key that lost its indentation follows its section.
fn section_of(key: &str, previous: Option<&str>) -> Option<String> {
    let homes: Vec<&str> =
        SECTIONS.iter().filter(|(_, keys)| keys.contains(&key)).map(|(section, _)| *section).collect();
    match homes.as_slice() {
        [] => None,
        [one] => Some(key_of(one, key)),
        _ => match previous.filter(|p| homes.contains(p)) {
            Some(p) => Some(key_of(p, key)),
            None => {
                let all: Vec<String> = homes.iter().map(|h| whose(h)).collect();
                Some(format!("`{key}` is a key of {}: indent it under the one it belongs to", all.join(" and of ")))
            }
        },
    }
}

/// What owns the keys of `section`: `` `rights` ``, `a use in `data``.
fn whose(section: &str) -> String {
    match section {
        "data" => "a use in `data`".to_string(),
        "processors" => "a processor in `processors`".to_string(),
        _ => format!("`{section}`"),
    }
}

/// The help for `key` of `section` written at the top level: where it goes.
fn key_of(section: &str, key: &str) -> String {
    let fix = match (section, key) {
        // The key that starts an entry cannot be lined up with itself.
        ("data", "category") => "write each use as `- category: …` under `data:`".to_string(),
        ("processors", "name") => "write each processor as `- name: …` under `processors:`".to_string(),
        ("data", _) => "indent it level with the `category:` of that use".to_string(),
        ("processors", _) => "indent it level with the `name:` of that processor".to_string(),
        _ => format!("indent it under `{section}:`"),
    };
    format!("`{key}` is a key of {}: {fix}", whose(section))
}

/// `text` as a YAML value: as it is when it reads back the same plain, else double-quoted with
/// every character a reader cannot see written as an escape (`"x\ny"`).
pub(super) fn yaml_text(text: &str) -> String {
    let plain = text.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && text.starts_with(|c: char| c.is_alphanumeric())
        // Read back as a number or a boolean otherwise (`2026`, `1e5`, `0x1F`, `0o17`, `true`):
        // whatever starts with a digit is quoted, number or not.
        && !text.starts_with(|c: char| c.is_ascii_digit())
        && text.parse::<f64>().is_err()
        && !matches!(text.to_lowercase().as_str(), "true" | "false" | "null");
    if plain {
        return text.to_string();
    }
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => quoted.extend(['\\', c]),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() || (c != ' ' && is_unseen(c)) || is_misleading(c) => {
                quoted.push_str(&match u32::from(c) {
                    n @ 0..=0xFFFF => format!("\\u{n:04X}"),
                    n => format!("\\U{n:08X}"),
                });
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether a mapping's entries hold `key` as it is written (a key written otherwise is not it).
fn has_key(entries: &[(Node, Node)], key: &str) -> bool {
    entries.iter().any(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
}

fn quoted(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_where_a_list_is_due_is_shown_as_a_list() {
        let found = |yaml: &str| {
            let file = crate::source::SourceFile::new("c.yaml", yaml);
            let policy = crate::policy::load_default().unwrap();
            let problems = crate::campaign::read(crate::source::FileId(1), &file, &policy).unwrap_err();
            problems.problems.iter().filter_map(|p| p.help.clone()).collect::<Vec<_>>()
        };
        let base = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n";
        assert!(found(&format!("{base}channels: email\ndata: []\n"))
            .contains(&"write `channels: [email]`, or `channels:` followed by `- …` lines".to_string()));
        assert!(found(&format!("{base}channels: email sms\ndata: []\n"))
            .contains(&"write `channels: [email, sms]`, or `channels:` followed by `- …` lines".to_string()));
        assert!(found(&format!("{base}data: contact.email, contact.phone_number\n")).contains(
            &"write each use as `- category: …` under `data:`, e.g. `data:` then `  - category: contact.email` and \
              `  - category: contact.phone_number`"
                .to_string()
        ));
        assert!(found(&format!("{base}data: contact.email\n")).contains(
            &"write each use as `- category: …` under `data:`, e.g. `data:` then `  - category: contact.email`"
                .to_string()
        ));
    }

    /// Processors written as one text are shown one `- name:` entry per company: written as
    /// one entry, as the help said, `AdTechCo Inc, Google Ireland` hid the US vendor behind the
    /// Irish entry's region and DPA, and the campaign passed.
    #[test]
    fn processors_written_as_one_text_get_one_entry_per_company() {
        let help = |processors: &str| first_problem(&format!("{HEAD}data: []\nprocessors: {processors}\n")).1;
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("AdTechCo Inc, Google Ireland"),
            format!("{per} `  - name: AdTechCo Inc` and `  - name: Google Ireland`")
        );
        assert_eq!(
            help("\"AdTechCo Inc (US), Google Ireland (IE)\""),
            format!("{per} `  - name: AdTechCo Inc (US)` and `  - name: Google Ireland (IE)`")
        );
        // A comma inside parentheses or before a company's suffix is part of the name; a
        // company with `&` in its name is one company.
        assert_eq!(
            help("\"AdTechCo (US, SCCs), Acme, Inc.; Johnson & Johnson | Meta\""),
            format!(
                "{per} `  - name: \"AdTechCo (US, SCCs)\"` and `  - name: \"Acme, Inc.\"` and `  - name: Johnson & Johnson` \
                 and `  - name: Meta`; if `Johnson & Johnson` names more than one company, give each its own `- name:` \
                 entry: it is kept as one here"
            )
        );
        assert_eq!(
            help("Klaviyo"),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: Klaviyo`"
        );
    }

    /// Text where a list belongs is cut at its separators, which are no items: `display and
    /// social` was told `[display, and, social]` (an unknown channel `and`), `visitor &
    /// customer` `[visitor, &, customer]` (a YAML error), and a quoted list was put in a list.
    #[test]
    fn text_where_a_list_is_due_is_cut_at_separators_not_into_them() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let channels = "write `channels: [display, social]`, or `channels:` followed by `- …` lines";
        for given in ["display and social", "display/social", "display & social", "display + social; "] {
            assert_eq!(help(&format!("channels: {given}")), channels, "{given}");
        }
        // A text of the campaign's own is cut at separators only: `visitor & customer` may be
        // one group or two, which the help says rather than picks.
        assert_eq!(
            help("audience:\n  subjects: visitor & customer"),
            "write `subjects: [visitor & customer]`, or `subjects:` followed by `- …` lines; if `visitor & customer` \
             names more than one, give each its own item: it is kept as one here"
        );
        assert_eq!(
            help("security:\n  encryption: \"[at_rest, in_transit]\""),
            "remove the quotes: `encryption: [at_rest, in_transit]` is a list, the quoted text is one text"
        );
        // An item that YAML would read as something else is quoted.
        assert_eq!(
            help("security:\n  access: admin, *ops, true"),
            "write `access: [admin, \"*ops\", \"true\"]`, or `access:` followed by `- …` lines"
        );
    }

    /// Several categories, purposes or bases in one value: none is picked for the writer. A
    /// category was "did you mean `device.advertising_id`?", which dropped the cookie id, and
    /// `consent, legitimate_interests` was "did you mean `consent`?", a lawful basis chosen by
    /// the tool.
    #[test]
    fn several_names_where_one_belongs_are_not_narrowed_to_one() {
        assert_eq!(
            first_problem(&format!("{HEAD}data:\n  - category: device.cookie_id, device.advertising_id\n")),
            (
                "`device.cookie_id, device.advertising_id` names 2 data categories; `category` takes one".to_string(),
                "a data use names one category: write one `- category:` entry per category under `data:`, each with \
                 its own `retention:`, e.g. `- category: device.cookie_id` and `- category: device.advertising_id`"
                    .to_string()
            )
        );
        let basis = "a campaign has one lawful basis: give the one the processing rests on; a data use that rests on \
                     another states its own `basis:`";
        for given in ["consent, legitimate_interests", "consent / legitimate_interests", "consent and contract"] {
            let (message, help) =
                first_problem(&format!("campaign: c\npurpose: marketing.newsletter\nbasis: {given}\ndata: []\n"));
            assert_eq!(message, format!("`{given}` names 2 lawful bases; `basis` takes one"));
            assert_eq!(help, basis, "{given}");
        }
        // A name the policy does not know is said, not left for the next run.
        let (_, help) = first_problem(&format!("{HEAD}data:\n  - category: contact.email; contact.fax\n"));
        assert!(help.ends_with("; `contact.fax` is not a data category of the policy"), "{help}");
        let (message, help) = first_problem(&format!("{HEAD}channels: [email, display and social]\ndata: []\n"));
        assert_eq!(message, "`display and social` names 2 channels; an item of `channels` names one");
        assert_eq!(help, "write each channel as its own item of `channels`: `display`, `social`");
    }

    /// A key that is a known key with a word more or less is suggested that key: `legal_basis`
    /// was unknown, with every key listed, and `basis` missing besides. A word that turns the
    /// meaning, a section or a yes/no claim is not suggested.
    #[test]
    fn a_key_with_a_word_more_or_less_is_suggested_the_known_key() {
        assert_eq!(
            problems("campaign: c\npurpose: marketing.newsletter\nlegal_basis: consent\ndata: []\n"),
            [(
                "unknown key `legal_basis` in a campaign: the required key `basis` is missing".to_string(),
                "not read as `basis`".to_string()
            )]
        );
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        assert_eq!(help("legal_basis: consent\ndata: []\n"), "the keys of a campaign are `campaign`, `name`, `owner`, `purpose`, `basis`, `channels`, `audience`, `consent`, `data`, `processors`, `security`, `rights`, `labels`");
        assert_eq!(help("data: []\naudience:\n  age: 8-12\n"), "did you mean `min_age`?");
        assert_eq!(help("data: []\naudience:\n  minimum_age: 16\n"), "did you mean `min_age`?");
        assert_eq!(help("data: []\naudience:\n  target_regions: [SE]\n"), "did you mean `regions`?");
        assert_eq!(help("data: []\ncampaign_name: Spring\n"), "did you mean `name`?");
        assert_eq!(help("data:\n  - category: contact.email\n    lawful_basis: consent\n"), "did you mean `basis`?");
        let keys = "the keys of `audience` are `regions`, `min_age`, `subjects`, `segments`";
        // `max_age: 16` as `min_age: 16` would say the opposite; excluded regions are no regions.
        assert_eq!(help("data: []\naudience:\n  max_age: 16\n"), keys);
        assert_eq!(help("data: []\naudience:\n  excluded_regions: [US]\n"), keys);
        // A single opt-in is no double opt-in.
        assert_eq!(
            help("data: []\nconsent:\n  opt_in: true\n"),
            "the keys of `consent` are `source`, `double_opt_in`, `withdrawal`"
        );
        // A section's key joined to the section goes under it (`consent:` would take no text).
        assert_eq!(
            help("data: []\nconsent.source: form\n"),
            "`source` is a key of `consent`: indent it under `consent:`"
        );
        assert_eq!(
            help("data: []\naudience_min_age: 18\n"),
            "`min_age` is a key of `audience`: indent it under `audience:`"
        );
    }

    fn min_age(yaml_value: &str) -> Result<Option<i64>, String> {
        let policy = crate::policy::load_default().unwrap();
        let text = format!(
            "campaign: c\npurpose: marketing.newsletter\nbasis: consent\naudience:\n  min_age: {yaml_value}\n\
             data:\n  - category: contact.email\n"
        );
        let file = crate::source::SourceFile::new("c.yaml", text);
        match crate::campaign::read(crate::source::FileId(1), &file, &policy) {
            Ok(c) => Ok(c.min_age.map(|a| a.value)),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The first problem of a campaign read from `text`, or `Ok` with the campaign.
    fn read_text(text: &str) -> Result<Campaign, String> {
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", text);
        crate::campaign::read(crate::source::FileId(1), &file, &policy).map_err(|e| e.problems[0].message.clone())
    }

    const HEAD: &str = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n";

    /// The message and help of the first problem of a campaign read from `text`.
    fn first_problem(text: &str) -> (String, String) {
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", text);
        let Err(invalid) = crate::campaign::read(crate::source::FileId(1), &file, &policy) else { panic!("{text}") };
        let p = &invalid.problems[0];
        (p.message.clone(), p.help.clone().unwrap_or_default())
    }

    /// A space that is not one (pasted from a word processor) is named: the message showed
    /// `24 months` and spoke of tabs.
    #[test]
    fn a_look_alike_space_in_a_retention_is_named() {
        let nbsp = "it holds a non-breaking space (U+00A0) between the number and the unit: retype it as a plain space";
        assert_eq!(parse_duration("24\u{a0}months").unwrap_err(), nbsp);
        assert_eq!(parse_duration("24 \u{a0}months").unwrap_err(), nbsp);
        assert_eq!(
            parse_duration("24\u{200b}months").unwrap_err(),
            "it holds a zero-width space (U+200B) between the number and the unit: retype it as a plain space"
        );
        assert_eq!(parse_duration("1\tday").unwrap_err(), "separate the number and the unit with spaces, not tabs");
        assert_eq!(
            parse_duration("24 months\u{a0}").unwrap_err(),
            "it holds a non-breaking space (U+00A0) after the unit: remove it"
        );
        assert_eq!(
            parse_duration("24 mon\u{ad}ths").unwrap_err(),
            "it holds a soft hyphen (U+00AD) in the unit: remove it"
        );
        assert_eq!(
            parse_duration("\u{feff}24 months").unwrap_err(),
            "it starts with a byte order mark (U+FEFF): remove it"
        );
        let (message, _) =
            first_problem(&format!("{HEAD}data:\n  - category: contact.email\n    retention: 24\u{a0}months\n"));
        assert_eq!(message, format!("malformed duration `24\u{a0}months`: {nbsp}"));
    }

    /// A bare number gets the units to choose from, months first: what marketers mean most.
    #[test]
    fn a_retention_without_a_unit_is_given_the_units() {
        for (value, message) in
            [("24", "retention `24` has no unit"), ("\"24\"", "malformed duration `24`: the unit is missing")]
        {
            let text = format!("{HEAD}data:\n  - category: contact.email\n    retention: {value}\n");
            assert_eq!(
                first_problem(&text),
                (message.to_string(), "add a unit: `24 months`, `24 days`, `24 weeks` or `24 years`".to_string())
            );
        }
    }

    /// A name with a character nobody sees is not shown as if it differed from the right one.
    #[test]
    fn an_invisible_character_in_a_category_is_named() {
        let text = format!("{HEAD}data:\n  - category: contact.email\u{200b}\n");
        assert_eq!(
            first_problem(&text),
            (
                "the category `contact.email` holds a zero-width space (U+200B) at its end".to_string(),
                "retype the name to remove it: without it, `contact.email` is a data category the policy knows"
                    .to_string()
            )
        );
    }

    /// A category as the purpose, of the campaign or of a use, and a purpose as a category.
    #[test]
    fn a_category_given_as_a_purpose_is_said_to_be_one() {
        let campaign = "campaign: c\npurpose: contact.email\nbasis: consent\ndata: []\n";
        let (message, help) = first_problem(campaign);
        assert_eq!(message, "`contact.email` is a data category, not a purpose");
        assert!(
            help.starts_with("list it under `data:` as `- category: contact.email`; `purpose` takes one of"),
            "{help}"
        );
        let of_a_use = format!("{HEAD}data:\n  - category: contact.email\n    purpose: identity.name\n");
        assert_eq!(first_problem(&of_a_use).0, "`identity.name` is a data category, not a purpose");
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: marketing.newsletter\n"));
        assert_eq!(message, "`marketing.newsletter` is a purpose, not a data category");
        assert!(help.starts_with("give it as `purpose: marketing.newsletter`; `category` takes one of"), "{help}");
        // A channel's name as a category: the category of that name is the likelier meaning.
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: email\n"));
        assert_eq!(message, "`email` is a channel, not a data category");
        assert_eq!(
            help,
            "list it under `channels:`, e.g. `channels: [email]`; did you mean the category `contact.email`?"
        );
    }

    /// Processors given by name only, and `-category:` without the space after `-`: told the
    /// shape meant, not "write `key: value` lines" or "must be a list".
    #[test]
    fn list_entries_written_as_names_or_without_a_space_get_the_shape_meant() {
        let (_, help) = first_problem(&format!("{HEAD}data: []\nprocessors: [Klaviyo, Postnord]\n"));
        assert_eq!(help, "write each processor with its keys, e.g. `- name: Klaviyo` then `region: …` below it");
        let (message, help) = first_problem(&format!("{HEAD}data:\n  -category: contact.email\n"));
        assert_eq!(message, "`data` must be a list, found a mapping");
        assert_eq!(help, "put a space after `-`: `- category: …` starts a list entry, `-category:` is a key");
        // Written as YAML, so that a line break in the name cannot start a line of a CI log.
        let (_, help) = first_problem(&format!("{HEAD}data: []\nprocessors: [\"x\\n::warning::y\", \"a: b\"]\n"));
        assert!(help.contains("`- name: \"x\\n::warning::y\"`"), "{help}");
    }

    /// A key of one section written under another is sent to its own: the help listed the
    /// keys of the section it stood in.
    #[test]
    fn a_key_under_another_section_is_sent_to_its_own() {
        let (message, help) = first_problem(&format!("{HEAD}data: []\nconsent:\n  unsubscribe: true\n"));
        assert_eq!(message, "unknown key `unsubscribe` in `consent`");
        assert_eq!(help, "`unsubscribe` is a key of `rights`, not of `consent`: move it under `rights:`");
        let (_, help) = first_problem(&format!("{HEAD}data: []\nrights:\n  min_age: 18\n"));
        assert_eq!(help, "`min_age` is a key of `audience`, not of `rights`: move it under `audience:`");
    }

    /// `rights:`, then its keys at the start of the line: the help sends them back under it
    /// rather than suggesting a top-level key that looks alike (`contact` → `consent`).
    #[test]
    fn a_key_that_lost_its_indentation_is_sent_back_under_its_section() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        let (message, contact) = first_problem(&format!("{HEAD}data: []\nrights:\ncontact: a@b.c\n"));
        assert_eq!(message, "unknown key `contact` in a campaign");
        assert_eq!(contact, "`contact` is a key of `rights`: indent it under `rights:`");
        assert_eq!(
            help("data: []\naudience:\nmin_age: 18\n"),
            "`min_age` is a key of `audience`: indent it under `audience:`"
        );
        assert_eq!(
            help("data:\n  - category: contact.email\nretention: 24 months\n"),
            "`retention` is a key of a use in `data`: indent it level with the `category:` of that use"
        );
        assert_eq!(
            help("data: []\nprocessors:\n  - name: Mailer\ndpa: true\n"),
            "`dpa` is a key of a processor in `processors`: indent it level with the `name:` of that processor"
        );
        // A key of several sections goes back under the one just before it.
        assert_eq!(
            help("data: []\nsecurity:\naccess: [admin]\n"),
            "`access` is a key of `security`: indent it under `security:`"
        );
        assert_eq!(
            help("data: []\nrights:\naccess: portal\n"),
            "`access` is a key of `rights`: indent it under `rights:`"
        );
        assert_eq!(
            help("source: crm\ndata: []\n"),
            "`source` is a key of `consent` and of a use in `data`: indent it under the one it belongs to"
        );
        // A key of no section still gets its suggestion.
        assert_eq!(help("data: []\nowner_team: growth\n"), "did you mean `owner`?");
    }

    /// The sections' keys are the fields that conditions read (spec 2.2), and every dotted
    /// field is a key of a section: the two tables cannot drift apart.
    #[test]
    fn the_sections_hold_the_fields_of_conditions() {
        use crate::policy::fields::{resolve, Context, FieldError};
        for (section, keys) in SECTIONS {
            for key in keys {
                let found = match section {
                    "data" => resolve(key, Context::DataUse),
                    "processors" => resolve(key, Context::Processor),
                    _ => resolve(&format!("{section}.{key}"), Context::Use),
                };
                assert!(found.is_ok(), "{section}.{key}");
            }
        }
        let Err(FieldError::Unknown(fields)) = resolve("", Context::Use) else { panic!("no field list") };
        for field in fields.iter().filter(|f| f.contains('.')) {
            let (section, key) = field.split_once('.').unwrap();
            assert!(SECTIONS.iter().any(|(s, keys)| *s == section && keys.contains(&key)), "{field}");
        }
    }

    /// The JSON Schema `lagom schema` prints has exactly the keys the reader takes, at the top
    /// and in every section: an editor must neither refuse a key lagom reads nor offer one it
    /// refuses.
    #[test]
    fn the_schema_has_exactly_the_keys_the_reader_takes() {
        let schema: serde_json::Value = serde_json::from_str(&crate::report::schema::campaign_schema(None)).unwrap();
        let keys = |object: &serde_json::Value| -> Vec<String> {
            let mut keys: Vec<String> = object["properties"].as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        let sorted = |keys: &[&str]| -> Vec<String> {
            let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(&schema), sorted(&TOP_KEYS));
        for (section, section_keys) in SECTIONS {
            let value = &schema["properties"][section];
            // A list's entries (`data`, `processors`) or the section's own mapping.
            let object = if value.get("items").is_some() { &value["items"] } else { value };
            assert_eq!(keys(object), sorted(section_keys), "{section}");
        }
    }

    /// `none` where a list belongs is told to be `[]`: the help told `processors: none` to
    /// name a processor `none`, and `security.access: none` to write `[none]`, which names a
    /// group with access and silences the pack's warning about unrestricted access.
    #[test]
    fn none_written_where_a_list_belongs_is_told_to_be_empty() {
        for (yaml, key) in [("data: []\nprocessors: none\n", "processors"), ("data: N/A\n", "data")] {
            let (_, help) = first_problem(&format!("{HEAD}{yaml}"));
            assert!(help.starts_with(&format!("for none, write `{key}: []`")), "{yaml}: {help}");
        }
        for none in ["None", "None yet", "no one"] {
            let (_, help) = first_problem(&format!("{HEAD}data: []\nsecurity:\n  access: {none}\n"));
            assert!(help.starts_with("for none, write `access: []`"), "{none}: {help}");
        }
        // A name is still taken for one item.
        let (_, help) = first_problem(&format!("{HEAD}data: []\nsecurity:\n  access: crm\n"));
        assert!(help.contains("[crm]"), "{help}");
    }

    /// Categories listed without their key get the shape of a data use.
    #[test]
    fn a_data_use_written_as_a_name_is_shown_its_shape() {
        let (message, help) = first_problem(&format!("{HEAD}data: [contact.email, identity.name]\n"));
        assert_eq!(message, "expected a data use as a mapping of keys, found text");
        assert_eq!(help, "write each use as `- category: contact.email` (with its retention etc. below it)");
        let (_, help) = first_problem(&format!("{HEAD}data:\n  - emails\n"));
        assert_eq!(help, "write each use as `- category: contact.email` (with its retention etc. below it)");
    }

    /// A key that differs from another only by a tag, in the mapping or in a merged one, is a
    /// duplicate: before, the value read last silently won (`special.health` replaced by
    /// `contact.email`, `min_age: 12` by a merged, tagged `18`).
    #[test]
    fn a_tagged_or_merged_copy_of_a_key_is_a_duplicate() {
        for data in [
            "data:\n  - category: special.health\n    !x category: contact.email\n",
            "data:\n  - category: special.health\n    !!binary Y2F0ZWdvcnk=: contact.email\n",
            "audience:\n  min_age: 12\n  <<: {!x min_age: 18}\ndata: []\n",
            "labels: {lia: LIA-1, !x lia: LIA-2}\ndata: []\n",
        ] {
            let err = read_text(&format!("{HEAD}{data}")).unwrap_err();
            assert!(err.starts_with("duplicate key"), "{data}: {err}");
        }
        // An untagged merge adds what the mapping lacks, and its own keys win, as YAML says.
        let merged =
            read_text(&format!("{HEAD}audience:\n  min_age: 12\n  <<: {{min_age: 18, regions: [SE]}}\ndata: []\n"));
        let c = merged.unwrap();
        assert_eq!(c.min_age.map(|a| a.value), Some(12));
        assert_eq!(c.regions.map(|r| r.len()), Some(1));
    }

    /// Text that says nothing (empty, spaces, invisible characters) is not a value: read as
    /// one, `consent.source: " "` or `labels: {lia: ""}` would satisfy a rule that asks for it.
    #[test]
    fn blank_text_values_are_invalid() {
        for (field, value) in [
            ("consent:\n  source", "\" \""),
            ("consent:\n  source", "\"\\t\""),
            ("rights:\n  contact", "\"\\u200B\""),
            ("rights:\n  contact", "\"\""),
            ("labels:\n  lia", "\"\""),
            ("owner", "\"\\u00A0\""),
            ("owner", "\"\\u3164\""),
            ("owner", "\"\\u00AD\\u034F\\uFE0F\""),
            ("owner", "\"\\u2800\""),
            ("owner", "\"\\u200E\\uFFF9\\U000E0020\""),
        ] {
            let err = read_text(&format!("{HEAD}{field}: {value}\ndata: []\n")).unwrap_err();
            assert!(err.ends_with("is blank"), "{field}: {value}: {err}");
        }
        assert!(read_text(&format!("{HEAD}consent:\n  source: \" form v2 \"\ndata: []\n")).is_ok());
    }

    /// Characters that make a file read differently to people and to lagom make it invalid;
    /// a left-to-right or right-to-left mark (needed in mixed scripts) does not.
    #[test]
    fn line_separators_and_bidirectional_controls_are_refused() {
        for hidden in ['\u{2028}', '\u{2029}', '\u{85}', '\u{202e}', '\u{2066}'] {
            let text =
                format!("{HEAD}audience: {{min_age: 18}} # checked{hidden}audience: {{min_age: 12}}\ndata: []\n");
            let err = read_text(&text).unwrap_err();
            assert!(err.starts_with("the file holds the invisible character U+"), "{hidden:?}: {err}");
        }
        assert!(read_text(&format!("{HEAD}name: \"\u{200f}שלום\"\ndata: []\n")).is_ok());
        // Written as an escape, the character is in the value though not in the file's text.
        for (field, escape) in [("name", "\\u202e"), ("consent: {source", "\\u2028"), ("labels: {lia", "\\x85")] {
            let close = if field.contains('{') { "}" } else { "" };
            let err = read_text(&format!("{HEAD}{field}: \"a{escape}b\"{close}\ndata: []\n")).unwrap_err();
            assert!(err.contains("` holds the invisible character U+"), "{field}: {err}");
        }
        // Written as it is, inside a value, it is one problem: the file's.
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", format!("{HEAD}name: \"a\u{202e}b\"\ndata: []\n"));
        let Err(invalid) = crate::campaign::read(crate::source::FileId(1), &file, &policy) else { panic!("read") };
        let messages: Vec<&str> = invalid.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["the file holds the invisible character U+202E"]);
    }

    /// `1 year 6 months` was "did you mean `year`?": a suggestion of the first unit alone
    /// declares less than meant. What follows a unit is never cut off in silence.
    #[test]
    fn a_retention_is_not_cut_to_its_first_unit() {
        assert_eq!(
            parse_duration("1 year 6 months").unwrap_err(),
            "a retention is one number and one unit; write `18 months`, the same length as one number and one unit"
        );
        let one = "a retention is one whole number and one unit: the longest time the data is kept, e.g. `30 months` \
                   for two and a half years";
        assert_eq!(parse_duration("1 year 6").unwrap_err(), one);
        // What follows may say the time is longer (`or more`): it is not told to be removed.
        assert_eq!(parse_duration("24 months (approx)").unwrap_err(), one);
        assert_eq!(
            first_problem(&format!("{HEAD}data:\n  - category: contact.email\n    retention: 1y 6m\n")),
            (
                "malformed duration `1y 6m`: a retention is one number and one unit".to_string(),
                "write `18 months`, the same length as one number and one unit".to_string()
            )
        );
    }

    /// The problems of a campaign read from `text`: (message, label).
    fn problems(text: &str) -> Vec<(String, String)> {
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", text);
        let Err(invalid) = crate::campaign::read(crate::source::FileId(1), &file, &policy) else { panic!("{text}") };
        invalid.problems.iter().map(|p| (p.message.clone(), p.label.clone())).collect()
    }

    /// A misspelt required key is one problem, at the key: not also a missing key at line 1.
    #[test]
    fn a_misspelt_required_key_is_not_also_a_missing_key() {
        for (text, key, missing) in [
            ("campaign: c\nPurpose: marketing.newsletter\nbasis: consent\ndata: []\n", "Purpose", "purpose"),
            ("campaign: c\npurpse: marketing.newsletter\nbasis: consent\ndata: []\n", "purpse", "purpose"),
            ("CAMPAIGN: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n", "CAMPAIGN", "campaign"),
            (&format!("{HEAD}data:\n  - categry: contact.email\n"), "categry", "category"),
            (&format!("{HEAD}data: []\nprocessors:\n  - Name: Mailer\n"), "Name", "name"),
        ] {
            let what = match missing {
                "category" => "a data use",
                "name" => "a processor",
                _ => "a campaign",
            };
            assert_eq!(
                problems(text),
                [(
                    format!("unknown key `{key}` in {what}: the required key `{missing}` is missing"),
                    format!("not read as `{missing}`")
                )],
                "{text}"
            );
        }
        // A key that is there already is not missing; a key nothing stands for is.
        let both = problems("campaign: c\npurpose: marketing.newsletter\nPurpose: x\nbasis: consent\ndata: []\n");
        assert_eq!(both, [("unknown key `Purpose` in a campaign".to_string(), "unknown key".to_string())]);
        let missing = problems("campaign: c\nbasis: consent\ndata: []\n");
        assert_eq!(missing[0].0, "missing required key `purpose`");
    }

    /// An id with white space (or a character that shows as nothing) around it looks like
    /// another id; it is refused, and still names the campaign in reports.
    #[test]
    fn a_campaign_id_with_white_space_around_it_is_invalid() {
        for (id, message) in [
            ("\"spring \"", "the campaign id `spring ` ends with a space"),
            ("\" spring\"", "the campaign id ` spring` starts with a space"),
            ("\" spring \"", "the campaign id ` spring ` starts and ends with a space"),
            ("\"spring\\u200B\"", "the campaign id `spring\u{200b}` ends with a zero-width space (U+200B)"),
        ] {
            assert_eq!(
                first_problem(&format!("campaign: {id}\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n")),
                (
                    message.to_string(),
                    "remove it: `campaign: spring`; ids are compared as written, and in a report this id looks \
                     like the one without it, which it is not"
                        .to_string()
                ),
                "{id}"
            );
        }
        let policy = crate::policy::load_default().unwrap();
        let file =
            crate::source::SourceFile::new("c.yaml", "campaign: \"spring \"\npurpose: x\nbasis: consent\ndata: []\n");
        let invalid = crate::campaign::read(crate::source::FileId(1), &file, &policy).unwrap_err();
        assert_eq!(invalid.id.as_deref(), Some("spring "));
        // A line break at an end is shown as an escape (`x\r`): no look-alike of `x`.
        assert!(read_text("campaign: \"x\\r\"\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n").is_ok());
        // The help quotes an id that would read back as another value.
        assert_eq!(yaml_text("2026"), "\"2026\"");
        assert_eq!(yaml_text("a: b"), "\"a: b\"");
        assert_eq!(yaml_text("spring-2026"), "spring-2026");
        assert_eq!(yaml_text("x\n::error::id"), "\"x\\n::error::id\"");
        assert_eq!(yaml_text("a\u{200b}\"b"), "\"a\\u200B\\\"b\"");
    }

    #[test]
    fn a_blank_campaign_id_is_invalid() {
        for id in ["\"\"", "\"   \"", "\"\\t\""] {
            let err = read_text(&format!("campaign: {id}\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n"));
            assert_eq!(err.unwrap_err(), "the campaign id is blank", "{id}");
        }
    }

    #[test]
    fn a_whole_number_is_any_run_of_digits_but_not_a_tagged_float() {
        assert_eq!(min_age("18"), Ok(Some(18)));
        assert_eq!(min_age("018"), Ok(Some(18)));
        assert_eq!(min_age("!!int 18"), Ok(Some(18)));
        assert_eq!(min_age("&a 18"), Ok(Some(18)));
        assert!(min_age("[18]").unwrap_err().contains("must be a whole number"));
        for float in ["18.0", "!!float 18", "&a !!float 18", "!!float\n    18", "!<tag:yaml.org,2002:float> 18"] {
            let err = min_age(float).unwrap_err();
            assert!(
                err.contains("`audience.min_age` must be a whole number, found a decimal number"),
                "{float}: {err}"
            );
        }
    }

    /// A key that says a yes/no claim is missing or planned is not pointed at the claim:
    /// `dpa_pending: true` was "did you mean `dpa`?", and following it turned a blocked
    /// campaign into an allowed one.
    #[test]
    fn a_key_that_says_a_claim_is_not_yet_true_is_not_told_the_claim() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        let processor = "the keys of a processor are `name`, `region`, `safeguard`, `dpa`";
        for key in ["dpa_missing", "dpa_pending", "dpa_planned", "dpa_status", "dpa_todo", "dpa_requested", "no_dpa"] {
            assert_eq!(help(&format!("processors:\n  - name: X\n    {key}: true\n")), processor, "{key}");
        }
        let rights = "the keys of `rights` are `unsubscribe`, `contact`, `access`, `erasure`, `rectification`";
        for key in ["unsubscribe_missing", "unsubscribe_planned", "unsubscribe_needed"] {
            assert_eq!(help(&format!("rights:\n  {key}: true\n")), rights, "{key}");
        }
        let consent = "the keys of `consent` are `source`, `double_opt_in`, `withdrawal`";
        for key in ["double_opt_in_disabled", "double_opt_in_planned", "double_opt_in_off"] {
            assert_eq!(help(&format!("consent:\n  {key}: true\n")), consent, "{key}");
        }
        let security = "the keys of `security` are `encryption`, `access`, `monitoring`";
        assert_eq!(help("security:\n  monitoring_planned: true\n"), security);
        // The claim respelt is still the claim.
        assert_eq!(help("consent:\n  double_optin: true\n"), "did you mean `double_opt_in`?");
        assert_eq!(help("security:\n  monitorng: true\n"), "did you mean `monitoring`?");
    }

    /// A key is not told to become a key given already, nor a section: `campaign_name` beside
    /// `campaign:` and `name:` was "did you mean `campaign`?", a duplicate key. A respelling
    /// of a key given already is told where it is.
    #[test]
    fn a_key_is_not_told_to_become_a_key_given_already_or_a_section() {
        let keys = "the keys of a campaign are `campaign`, `name`, `owner`, `purpose`, `basis`, `channels`, \
                    `audience`, `consent`, `data`, `processors`, `security`, `rights`, `labels`";
        for key in [
            "campaign_name",
            "campaign_id",
            "consent_withdrawal_missing",
            "rights_unsubscribe_missing",
            "security_monitoring_planned",
        ] {
            let text = format!("{HEAD}name: x\nconsent: {{}}\nrights: {{}}\nsecurity: {{}}\n{key}: x\ndata: []\n");
            assert_eq!(first_problem(&text).1, keys, "{key}");
        }
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        assert_eq!(
            help("channels: [email]\nchannel: [sms]\ndata: []\n"),
            "`channels` is given on line 4; merge the two into `channels`"
        );
        assert_eq!(help("purposes: [x]\ndata: []\n"), "`purpose` is given on line 2; merge the two into `purpose`");
        assert_eq!(
            help("data: []\nprocessors: []\nprocessor: []\n"),
            "`processors` is given on line 5; merge the two into `processors`"
        );
        // A processor's `regions` is its own `region`, not `audience.regions`.
        assert_eq!(help("data: []\nprocessors:\n  - name: X\n    regions: SE\n"), "did you mean `region`?");
    }

    /// Names with only white space between them are several names, as `a, b` is: `email
    /// automated_call` was "did you mean `email`?", which dropped the automated calls.
    #[test]
    fn names_separated_by_white_space_are_several() {
        let (message, help) = first_problem(&format!("{HEAD}channels: [email automated_call]\ndata: []\n"));
        assert_eq!(message, "`email automated_call` names 2 channels; an item of `channels` names one");
        assert_eq!(help, "write each channel as its own item of `channels`: `email`, `automated_call`");
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: identity.name special.healht\n"));
        assert_eq!(message, "`identity.name special.healht` names 2 data categories; `category` takes one");
        assert_eq!(
            help,
            "a data use names one category: write one `- category:` entry per category under `data:`, each with its \
             own `retention:`, e.g. `- category: identity.name` and `- category: special.healht`; `special.healht` is \
             not a data category of the policy (did you mean `special.health`?)"
        );
        let basis = first_problem(
            "campaign: c\npurpose: marketing.newsletter\nbasis: legitimate_interests consent\ndata: []\n",
        );
        assert_eq!(basis.0, "`legitimate_interests consent` names 2 lawful bases; `basis` takes one");
        let purpose = "a campaign has one purpose: give the one it serves; a data use for another purpose states its \
                       own `purpose:`";
        for written in ["marketing.newsletter marketing.profiling", "\"marketing.newsletter\\tmarketing.profiling\""] {
            let (message, help) =
                first_problem(&format!("campaign: c\npurpose: {written}\nbasis: consent\ndata: []\n"));
            assert_eq!(message, "`marketing.newsletter marketing.profiling` names 2 purposes; `purpose` takes one");
            assert_eq!(help, purpose);
        }
        // Words that make one name are that name; a suggestion never keeps one word of several.
        let one = first_problem("campaign: c\npurpose: marketing.newsletter\nbasis: legitimate interests\ndata: []\n");
        assert_eq!(one.1, "did you mean `legitimate_interests`?");
        let (_, help) = first_problem(&format!("{HEAD}channels: [email text message]\ndata: []\n"));
        assert!(help.starts_with("the policy does not know it: use one of the policy's 11 channels"), "{help}");
    }

    /// Processors written as text are cut only at `,`, `;` and `|`: `Procter & Gamble` and
    /// `Marks and Spencer` are one company each, and `and others` names none.
    #[test]
    fn processors_are_cut_at_separators_only() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("processors:\n  - AdTechCo Inc, Google Ireland"),
            format!("{per} `  - name: AdTechCo Inc` and `  - name: Google Ireland`")
        );
        assert_eq!(
            help("processors: Procter & Gamble, Google Ireland, and others"),
            format!(
                "{per} `  - name: Procter & Gamble` and `  - name: Google Ireland`; if `Procter & Gamble` names more \
                 than one company, give each its own `- name:` entry: it is kept as one here; `others` names no \
                 company: give each of them its own `- name:` entry"
            )
        );
        assert_eq!(
            help("processors: Ernst & Young; Marks and Spencer"),
            format!(
                "{per} `  - name: Ernst & Young` and `  - name: Marks and Spencer`; if one of `Ernst & Young`, `Marks \
                 and Spencer` names more than one company, give each its own `- name:` entry: each is kept as one here"
            )
        );
        assert_eq!(
            help("processors: Google/Meta"),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: Google/Meta`; if `Google/Meta` names more than one company, give each its own `- name:` \
             entry: it is kept as one here"
        );
        assert_eq!(
            help("processors: Google，Meta、TikTok"),
            format!("{per} `  - name: Google` and `  - name: Meta` and `  - name: TikTok`")
        );
    }

    /// A list in a section is written with the key as it stands there (`regions`): the help
    /// wrote `audience.regions: […]`, an unknown key of `audience`. Texts of the campaign's own
    /// keep their words; items are unquoted, and quoted when YAML would read a number.
    #[test]
    fn a_list_in_a_section_is_written_with_its_own_key_and_its_items_as_written() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let list = |key: &str, items: &str| format!("write `{key}: [{items}]`, or `{key}:` followed by `- …` lines");
        assert_eq!(help("audience:\n  regions: SE, DK, FI, NO"), list("regions", "SE, DK, FI, NO"));
        assert_eq!(help("audience:\n  regions: SE,DK,FI,\"NO\""), list("regions", "SE, DK, FI, NO"));
        assert_eq!(help("audience:\n  subjects: existing customers"), list("subjects", "existing customers"));
        assert_eq!(help("security:\n  access: R&D team"), list("access", "R&D team"));
        assert_eq!(help("security:\n  access: crm admin, email marketer"), list("access", "crm admin, email marketer"));
        assert_eq!(
            help("audience:\n  segments: bought bedding last 12 months, 18+ members"),
            list("segments", "bought bedding last 12 months, 18+ members")
        );
        assert_eq!(
            help("audience:\n  segments: loyal, 0x1F, 0o17, 0b101, +1"),
            list("segments", "loyal, \"0x1F\", \"0o17\", \"0b101\", \"+1\"")
        );
        assert_eq!(
            first_problem(&format!("{HEAD}data: contact.email, contact.fax\n")).1,
            "write each use as `- category: …` under `data:`, one per category; `contact.fax` is not a data category \
             of the policy"
        );
        // A channel that is none is not written into a list.
        assert_eq!(
            help("channels: email, 0x1F"),
            "write `channels` as a list of the policy's names, one per item; `0x1F` is not a channel of the policy"
        );
        assert_eq!(
            help("channels: \"email, sms: 1\""),
            "write `channels` as a list of the policy's names, one per item; `sms: 1` is not a channel of the policy"
        );
    }
}
