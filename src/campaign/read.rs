//! YAML nodes to a [`Campaign`]: the format of spec 2.1, every error collected and located.

mod duration;
mod flow;
mod keys;
mod mapping;
mod names;
mod retention;
#[cfg(test)]
mod test_support;
mod text_as_list;
mod values;

use std::collections::BTreeMap;

use self::mapping::Mapping;
use self::names::Kind;
pub use self::retention::parse_duration;
use self::values::TextAt;
use super::model::*;
use super::yaml::{Node, Value};
use crate::chars::{describe, is_blank, is_misleading, is_unseen, is_unseen_in_reports};
use crate::diagnostic::{Code, Problem};
use crate::policy::{CategoryId, CheckedPolicy, PurposeId};
use crate::source::{SourceFile, Span};

pub(super) struct Reader<'a> {
    pub source: &'a SourceFile,
    pub policy: &'a CheckedPolicy,
    pub problems: Vec<Problem>,
    /// The id to report for an invalid campaign whose `campaign` value is not text.
    pub reported_id: Option<Located<String>>,
    /// Words a comma cut from a list value in braces, by the value ([`flow`]).
    run_ons: Vec<flow::RunOn>,
}

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

impl<'a> Reader<'a> {
    pub(super) fn new(source: &'a SourceFile, policy: &'a CheckedPolicy) -> Self {
        Reader { source, policy, problems: Vec::new(), reported_id: None, run_ons: Vec::new() }
    }
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
        let Some(top) = self.mapping(root, Mapping::Campaign) else {
            return c;
        };
        let id_node = self.required(&top, "campaign", root.span);
        c.id = id_node
            .and_then(|n| self.text(n, "campaign"))
            .and_then(|id| self.untrimmed_id(id))
            .and_then(|id| self.unseen_in_id(id));
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
        if let Some(a) = present(&top, "audience").and_then(|n| self.mapping(n, Mapping::Audience)) {
            c.regions = present(&a, "regions").and_then(|n| self.symbols(n, "audience.regions"));
            c.min_age = present(&a, "min_age").and_then(|n| self.int(n, "audience.min_age"));
            c.subjects = present(&a, "subjects").and_then(|n| self.symbols(n, "audience.subjects"));
            c.segments = present(&a, "segments").and_then(|n| self.symbols(n, "audience.segments"));
        }
        if let Some(a) = present(&top, "consent").and_then(|n| self.mapping(n, Mapping::Consent)) {
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
        if let Some(a) = present(&top, "security").and_then(|n| self.mapping(n, Mapping::Security)) {
            c.encryption = present(&a, "encryption").and_then(|n| self.symbols(n, "security.encryption"));
            c.access = present(&a, "access").and_then(|n| self.symbols(n, "security.access"));
            c.monitoring = present(&a, "monitoring").and_then(|n| self.boolean(n, "security.monitoring"));
        }
        if let Some(a) = present(&top, "rights").and_then(|n| self.mapping(n, Mapping::Rights)) {
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

    /// The id, unless a character that reports do not show stands inside it: `spr<U+200B>ing`
    /// is another id than `spring` and looks the same in every report, and `a<U+00A0>b` looks
    /// like `a b`. Such an id still names the invalid campaign in reports.
    fn unseen_in_id(&mut self, id: Located<String>) -> Option<Located<String>> {
        let Some((at, c)) = id.value.char_indices().find(|&(_, c)| is_unseen_in_reports(c)) else {
            return Some(id);
        };
        // White space reads as a plain space; what shows as nothing, as nothing.
        let shown = |text: &str| {
            text.chars().fold(String::new(), |mut out, c| {
                match (is_unseen_in_reports(c), c.is_whitespace()) {
                    (false, _) => out.push(c),
                    (true, true) => out.push(' '),
                    (true, false) => {}
                }
                out
            })
        };
        let before = shown(id.value.get(..at).unwrap_or(""));
        let message = format!("the campaign id `{}` holds {} after `{before}`", id.value, describe(c));
        let (fix, like) = match c.is_whitespace() {
            true => ("write a plain space for it", "the one with a plain space"),
            false => ("remove it", "the one without it"),
        };
        // As in [`Reader::untrimmed_id`], the id is not repeated as it is in the help.
        let help = format!(
            "{fix}: `campaign: {}`; ids are compared as written, and in a report this id looks like {like}, which it \
             is not",
            yaml_text(&shown(&id.value))
        );
        self.error(Code::Type, id.span, message, "a character you cannot see", help);
        self.reported_id = Some(id);
        None
    }

    fn error(&mut self, code: Code, span: Span, message: String, label: &str, help: String) {
        self.problems.push(Problem::at(code, span, message, label).with_help(help));
    }

    /// The entries of a mapping with string keys (`null` values included; see [`present`]).
    /// A null node is an error like any other non-mapping: optional sections reach here only
    /// through [`present`], so what is null here is a list item (`- ~`, a bare `-`).
    fn mapping<'n>(&mut self, node: &'n Node, mapping: Mapping) -> Option<Entries<'n>> {
        let (allowed, what) = (mapping.keys().unwrap_or_default(), mapping.described());
        let Value::Map(entries) = &node.value else {
            let help = match (&node.value, mapping) {
                (Value::Null, _) => format!("an empty list entry is not {what}: give it its keys or remove the `-`"),
                // `processors: [Klaviyo, Postnord]`: names where entries with keys belong.
                // `- AdTechCo Inc, Google Ireland`: one entry per company, as for `processors: A, B`.
                (Value::Str(name), Mapping::Processor) => text_as_list::several_processors(name).unwrap_or_else(|| {
                    format!(
                        "write each processor with its keys, e.g. `- name: {}` then `region: …` below it",
                        yaml_text(name)
                    )
                }),
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
        let cut = self.run_ons(entries, mapping);
        // The last known key before the one read: the section a stray key most likely left.
        let mut previous = None;
        for (i, (k, v)) in entries.iter().enumerate() {
            if cut.binary_search(&i).is_ok() {
                continue;
            }
            let Value::Str(key) = &k.value else {
                self.error(
                    Code::UnknownKey,
                    k.span,
                    format!("keys must be names, found {}", k.value.describe()),
                    "not a key",
                    format!("the keys of {what} are {}", crate::diagnostic::in_backticks(allowed)),
                );
                continue;
            };
            if !allowed.contains(&key.as_str()) {
                out.misspelt.extend(self.unknown_key(key, k.span, mapping, previous, entries));
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
        let listed: Vec<&str> = list.iter().map(|ch| ch.value.as_str()).collect();
        for ch in &list {
            if !declared.contains(&ch.value) {
                ok = false;
                let (message, label, help) = names::unknown_among(self.policy, Kind::Channel, &ch.value, &listed);
                self.error(Code::UnknownName, ch.span, message, label, help);
            }
        }
        ok.then_some(list)
    }

    fn purpose(&mut self, node: &Node) -> Option<Located<PurposeId>> {
        if self.several_in_a_list(node, Kind::Purpose) {
            return None;
        }
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
        if self.several_in_a_list(node, Kind::Category) {
            return None;
        }
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
        if self.several_in_a_list(node, Kind::Basis) {
            return None;
        }
        let t = self.text(node, "basis")?;
        if self.policy.bases.contains(&t.value) {
            return Some(t);
        }
        self.unknown_name(Kind::Basis, &t);
        None
    }

    /// Whether `node` is a list of several names where one name of `kind` belongs, reported as
    /// the text form `a, b` is: "write a single value" left the writer to drop all but one
    /// (`category: [identity.name, special.health]` became `identity.name`).
    fn several_in_a_list(&mut self, node: &Node, kind: Kind) -> bool {
        let Value::Seq(items) = &node.value else { return false };
        let mut names: Vec<&str> = Vec::with_capacity(items.len());
        for item in items {
            match &item.value {
                Value::Str(name) if names.contains(&name.as_str()) => {}
                Value::Str(name) => names.push(name),
                _ => return false,
            }
        }
        if names.len() < 2 {
            return false;
        }
        // Each item is a name as written: joined into one text, an item holding a comma
        // would count twice, and a `?` on one would be read as the whole value's.
        let (message, label, help) = names::several_listed(self.policy, kind, &names);
        self.error(Code::UnknownName, node.span, message, label, help);
        true
    }

    /// A name the policy does not know where a name of `kind` is expected.
    fn unknown_name(&mut self, kind: Kind, name: &Located<String>) {
        let (message, label, help) = names::unknown(self.policy, kind, &name.value);
        self.error(Code::UnknownName, name.span, message, label, help);
    }

    fn data_use(&mut self, node: &Node) -> Option<DataUse> {
        // `data: [contact.email, identity.name]`: categories listed without their key.
        if let Value::Str(text) = &node.value {
            // The category written, never an example one: `- category: contact.email` for
            // `health records` would declare e-mail addresses where health data is used.
            // `- "contact.email: 24 months"`: a use's category and retention as one text.
            let as_use = text.split_once(": ").filter(|(c, _)| self.policy.categories.lookup(c.trim()).is_some());
            let help = match (self.policy.categories.lookup(text), as_use) {
                (_, Some((category, retention))) => format!(
                    "write the use as `- category: {}` with `retention: {}` below it",
                    category.trim(),
                    retention.trim()
                ),
                (Some(_), None) => {
                    format!("write each use as `- category: {}` (with its retention etc. below it)", yaml_text(text))
                }
                (None, None) => format!(
                    "write each use as `- category: …` (with its retention etc. below it), naming a category of the \
                     policy; for `{text}`: {}",
                    names::unknown(self.policy, Kind::Category, text).2
                ),
            };
            self.error(
                Code::Type,
                node.span,
                "expected a data use as a mapping of keys, found text".into(),
                "not a mapping",
                help,
            );
            return None;
        }
        let before = self.problems.len();
        let m = self.mapping(node, Mapping::DataUse)?;
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
        let m = self.mapping(node, Mapping::Processor)?;
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
        let cut = self.run_ons(entries, Mapping::Labels);
        for (i, (k, v)) in entries.iter().enumerate() {
            if cut.binary_search(&i).is_ok() {
                continue;
            }
            let key = match &k.value {
                // A blank name no condition can write (`labels.` needs a name after it): its
                // value would be read and never tested.
                Value::Str(s) if is_blank(s) => {
                    self.error(
                        Code::Type,
                        k.span,
                        "a label's name is blank".to_string(),
                        "blank",
                        "write the label's name, e.g. `brand: spring`".into(),
                    );
                    continue;
                }
                Value::Str(s) if self.misleading(k.span, "labels", s) => continue,
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
                    self.blank(v.span, &format!("labels.{key}"), TextAt::Field);
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

/// `key` as it is written in its section: `regions` for `audience.regions`, which is no key
/// of `audience`.
fn key_in_section(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The help for a processor given several regions: a processor entry has one, and keeping
/// one would drop the transfer to the others. `region` is how the message names the key.
fn one_region_per_entry(region: &str) -> String {
    format!(
        "a processor entry has one {region}: list a processor in several regions once per region, each as its own \
         `- name:` entry with that `region:` and its own `safeguard:` and `dpa:`"
    )
}

/// `text` as a YAML value: as it is when it reads back the same plain, else double-quoted with
/// every character a reader cannot see written as an escape (`"x\ny"`).
pub(in crate::campaign) fn yaml_text(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::test_support::{first_problem, read_text, HEAD};
    use super::*;

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

    /// The sections' keys are the fields that conditions read (spec 2.2), and every dotted
    /// field is a key of a section: the two tables cannot drift apart.
    #[test]
    fn the_sections_hold_the_fields_of_conditions() {
        use crate::policy::fields::{resolve, Context, FieldError};
        for section in Mapping::SECTIONS {
            let name = section.held_by().unwrap();
            for key in section.keys().unwrap() {
                let found = match section {
                    Mapping::DataUse => resolve(key, Context::DataUse),
                    Mapping::Processor => resolve(key, Context::Processor),
                    _ => resolve(&format!("{name}.{key}"), Context::Use),
                };
                assert!(found.is_ok(), "{name}.{key}");
            }
        }
        let Err(FieldError::Unknown(fields)) = resolve("", Context::Use) else { panic!("no field list") };
        for (field, _) in fields.iter().filter(|(f, _)| f.contains('.')) {
            let (section, key) = field.split_once('.').unwrap();
            assert!(Mapping::held_in(section).is_some_and(|s| s.takes(key)), "{field}");
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
        assert_eq!(keys(&schema), sorted(Mapping::Campaign.keys().unwrap()));
        for section in Mapping::SECTIONS {
            let name = section.held_by().unwrap();
            let value = &schema["properties"][name];
            // A list's entries (`data`, `processors`) or the section's own mapping.
            let object = if value.get("items").is_some() { &value["items"] } else { value };
            assert_eq!(keys(object), sorted(section.keys().unwrap()), "{name}");
        }
    }

    /// Categories listed without their key get the shape of a data use.
    #[test]
    fn a_data_use_written_as_a_name_is_shown_its_shape() {
        let (message, help) = first_problem(&format!("{HEAD}data: [contact.email, identity.name]\n"));
        assert_eq!(message, "expected a data use as a mapping of keys, found text");
        assert_eq!(help, "write each use as `- category: contact.email` (with its retention etc. below it)");
        // A name the policy does not know is not replaced by an example category: `contact.email`
        // for `health records` would declare e-mail addresses where health data is used.
        let unknown = |name: &str, then: &str| {
            let (_, help) = first_problem(&format!("{HEAD}data:\n  - {name}\n"));
            let start = "write each use as `- category: …` (with its retention etc. below it), naming a category of \
                         the policy; for";
            assert_eq!(help, format!("{start} `{name}`: {then}"));
        };
        unknown("special.helth", "did you mean `special.health`?");
        // A category and its retention written as one text, or as a key and its value.
        let (_, help) = first_problem(&format!("{HEAD}data:\n  - \"contact.email: 24 months\"\n"));
        assert_eq!(help, "write the use as `- category: contact.email` with `retention: 24 months` below it");
        let (_, help) = first_problem(&format!("{HEAD}data:\n  contact.email: 24 months\n  identity.name: 1 year\n"));
        assert_eq!(
            help,
            "write each use as its own entry under `data:`: `- category: contact.email` with `retention: 24 months` \
             below it and `- category: identity.name` with `retention: 1 year` below it"
        );
        unknown(
            "health records",
            &names::unknown(&crate::policy::load_default().unwrap(), Kind::Category, "health records").2,
        );
        let (_, help) = first_problem(&format!("{HEAD}data:\n  - health records\n"));
        assert!(!help.contains("contact.email"), "{help}");
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

    /// A character reports do not show is refused inside an id as around it: `spr<U+200B>ing`
    /// was a campaign of its own beside `spring`, both shown as `spring`.
    #[test]
    fn a_campaign_id_with_an_unseen_character_inside_is_invalid() {
        let remove = "remove it: `campaign: spring`; ids are compared as written, and in a report this id looks \
                      like the one without it, which it is not";
        let space = "write a plain space for it: `campaign: \"spring news\"`; ids are compared as written, and in a \
                     report this id looks like the one with a plain space, which it is not";
        for (id, message, help) in [
            (
                "\"spr\\u200Bing\"",
                "the campaign id `spr\u{200b}ing` holds a zero-width space (U+200B) after `spr`",
                remove,
            ),
            ("\"spr\\u00ADing\"", "the campaign id `spr\u{ad}ing` holds a soft hyphen (U+00AD) after `spr`", remove),
            (
                "\"s\\u2060pr\\u200Bing\"",
                "the campaign id `s\u{2060}pr\u{200b}ing` holds a word joiner (U+2060) after `s`",
                remove,
            ),
            (
                "\"spring\\u00A0news\"",
                "the campaign id `spring\u{a0}news` holds a non-breaking space (U+00A0) after `spring`",
                space,
            ),
        ] {
            assert_eq!(
                first_problem(&format!("campaign: {id}\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n")),
                (message.to_string(), help.to_string()),
                "{id}"
            );
        }
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new(
            "c.yaml",
            "campaign: \"spr\u{200b}ing\"\npurpose: x\nbasis: consent\ndata: []\n",
        );
        let invalid = crate::campaign::read(crate::source::FileId(1), &file, &policy).unwrap_err();
        assert_eq!(invalid.id.as_deref(), Some("spr\u{200b}ing"));
        // A plain space, an accent and an escaped control character are seen.
        for id in ["spring news", "spr\u{ef}ng", "spri\u{308}ng", "spr\\ring"] {
            let text = format!("campaign: \"{id}\"\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n");
            assert!(read_text(&text).is_ok(), "{id}");
        }
    }

    /// Several names in a list where one belongs are said to be several, as `a, b` is: "write
    /// a single value" left all but one to be dropped (`special.health` unchecked).
    #[test]
    fn several_names_in_a_list_where_one_belongs_are_several() {
        let category = "a data use names one category: write one `- category:` entry per category under `data:`, \
                        each with its own `retention:`, e.g. `- category: identity.name` and `- category: \
                        special.health`";
        for list in ["[identity.name, special.health]", "\n      - identity.name\n      - special.health"] {
            let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: {list}\n"));
            assert_eq!(message, "`identity.name, special.health` names 2 data categories; `category` takes one");
            assert_eq!(help, category, "{list}");
        }
        let (message, help) = first_problem(
            "campaign: c\npurpose: [marketing.newsletter, marketing.profiling]\nbasis: consent\ndata: []\n",
        );
        assert_eq!(message, "`marketing.newsletter, marketing.profiling` names 2 purposes; `purpose` takes one");
        assert_eq!(
            help,
            "a campaign has one purpose: give the one it serves; a data use for another purpose states its own \
             `purpose:`"
        );
        let (message, _) =
            first_problem("campaign: c\npurpose: marketing.newsletter\nbasis: [consent, contract]\ndata: []\n");
        assert_eq!(message, "`consent, contract` names 2 lawful bases; `basis` takes one");
        // Each item as written: a `?` on one is that item's, and a name given twice is one.
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: [contact.email, special.health?]\n"));
        assert_eq!(message, "`contact.email, special.health?` names 2 data categories; `category` takes one");
        assert!(help.ends_with("; settle whether `special.health` applies (`?` leaves it open)"), "{help}");
        let (message, _) = first_problem(&format!("{HEAD}data:\n  - category: [contact.email, contact.email]\n"));
        assert!(!message.contains("names 2"), "{message}");
    }
}
