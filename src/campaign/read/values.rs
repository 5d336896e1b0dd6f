//! Reading one value: text, a yes/no, a whole number, a list of texts; each refused with the
//! value as it is written and how to write it instead.

use super::super::model::*;
use super::super::yaml::{Node, Value};
use super::Reader;
use crate::chars::{is_blank, is_misleading};
use crate::diagnostic::Code;
use crate::source::Span;

/// Where a text value stands, for how a message names it.
#[derive(Clone, Copy)]
pub(super) enum TextAt {
    /// The value of a field: `owner`.
    Field,
    /// An item of a list field: `audience.regions: [SE, 46]`.
    ItemOf,
    /// A field of one processor, which the campaign's own `name` must not be taken for.
    Processor,
}

impl TextAt {
    /// What a message calls the value of `key`, and how it reads quoted (from its `raw` text).
    fn names(self, key: &str, raw: &str) -> (String, String) {
        // A value that a tag made a number (`!!int "3"`) is quoted already.
        let quoted = match raw.starts_with(['"', '\'']) {
            true => raw.to_string(),
            false => format!("\"{raw}\""),
        };
        match self {
            TextAt::Field => (format!("`{key}`"), format!("`{key}: {quoted}`")),
            TextAt::ItemOf => (format!("an item of `{key}`"), format!("`{quoted}` in the list")),
            TextAt::Processor => (format!("a processor's `{key}`"), format!("`{key}: {quoted}`")),
        }
    }
}

impl Reader<'_> {
    pub(super) fn text(&mut self, node: &Node, key: &str) -> Option<Located<String>> {
        self.text_at(node, key, TextAt::Field)
    }

    pub(super) fn text_at(&mut self, node: &Node, key: &str, at: TextAt) -> Option<Located<String>> {
        // What the message calls the value, and how the line reads once quoted.
        match &node.value {
            Value::Str(s) if is_blank(s) => {
                self.blank(node.span, key);
                None
            }
            Value::Str(s) if self.misleading(node.span, key, s) => None,
            Value::Str(s) if self.too_long_to_search(node.span, key, s) => None,
            Value::Str(s) => Some(Located { value: s.clone(), span: node.span }),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let (what, quoted) = at.names(key, &self.raw(node));
                let help = match self.tagged(node) {
                    true => {
                        format!("write it as text, without the tag that makes it {}: {quoted}", node.value.describe())
                    }
                    false => format!("quote it: {quoted}"),
                };
                self.error(
                    Code::Type,
                    node.span,
                    format!("{what} must be text, found {}", node.value.describe()),
                    "not text",
                    help,
                );
                None
            }
            other => {
                let (what, _) = at.names(key, "");
                self.error(
                    Code::Type,
                    node.span,
                    format!("{what} must be text, found {}", other.describe()),
                    "not text",
                    match at {
                        TextAt::ItemOf => "write one value per item: `[a, b]`".to_string(),
                        TextAt::Field | TextAt::Processor => format!("write a single value: `{key}: …`"),
                    },
                );
                None
            }
        }
    }

    /// Whether a text value is longer than a policy that searches texts (`matches`) reads,
    /// reported if so: unsearched, a test on it could be decided by neither evaluator, and a
    /// search of megabytes took seconds.
    pub(super) fn too_long_to_search(&mut self, span: Span, key: &str, text: &str) -> bool {
        let limit = crate::policy::Pattern::TEXT_LIMIT;
        if !self.policy.searches_texts || text.len() <= limit {
            return false;
        }
        self.error(
            Code::Limit,
            span,
            format!("`{key}` is {} bytes long; this policy searches texts, which may be at most {limit} bytes", text.len()),
            "too long",
            "shorten it: an id, a name, a source or a label is a few words; put long text in a document and give its id".into(),
        );
        true
    }

    /// Whether a text value holds a line separator or a bidirectional control, reported if so.
    /// The file's own text is checked for them before it is read; an escape in a quoted string
    /// (`"a\u202eb"`) puts one in a value all the same, where it reorders what a report shows.
    pub(super) fn misleading(&mut self, span: Span, key: &str, text: &str) -> bool {
        let Some(c) = text.chars().find(|&c| is_misleading(c)) else { return false };
        // Written as it is, the character is reported once for the whole file
        // (`campaign::misleading_character`), which makes the campaign invalid already.
        if self.source.text.get(span.start..span.end).is_some_and(|raw| raw.contains(c)) {
            return false;
        }
        self.error(
            Code::Type,
            span,
            format!("`{key}` holds the invisible character U+{:04X}", u32::from(c)),
            "invisible character",
            "remove it (here it is written as an escape): tools may show the text around it in another order or on \
             other lines"
                .into(),
        );
        true
    }

    /// A text value that says nothing. Read as given, `consent.source: " "` or
    /// `labels: {lia: ""}` would count as set and satisfy a rule that asks for the fact.
    pub(super) fn blank(&mut self, span: Span, key: &str) {
        let (message, help) = match key {
            "campaign" => (
                "the campaign id is blank".to_string(),
                "give the campaign an id, e.g. `campaign: spring-newsletter-2026`".to_string(),
            ),
            _ => (
                format!("`{key}` is blank"),
                format!("write the value, or leave `{key}` out: then it is unknown, and no rule takes it as given"),
            ),
        };
        self.error(Code::Type, span, message, "blank", help);
    }

    pub(super) fn raw(&self, node: &Node) -> String {
        self.source.text.get(node.span.start..node.span.end).unwrap_or("").trim().to_string()
    }

    /// Whether the scalar has a tag (`!!float 18`, `&a !!float 18`, `[!!float 18]`): its span
    /// holds only its text, so the properties are read back from the source before it.
    pub(super) fn tagged(&self, node: &Node) -> bool {
        let before = self.source.text.get(..node.span.start).unwrap_or("");
        before
            .rsplit([' ', '\t', '\n', '\r'])
            .map(|token| token.trim_start_matches(['[', '{', ',']))
            .filter(|token| !token.is_empty())
            .find(|token| !token.starts_with('&'))
            .is_some_and(|token| token.starts_with('!'))
    }

    pub(super) fn boolean(&mut self, node: &Node, key: &str) -> Option<Located<bool>> {
        if let Value::Bool(b) = node.value {
            return Some(Located { value: b, span: node.span });
        }
        self.error(
            Code::Type,
            node.span,
            format!("`{key}` must be `true` or `false`, found {}", node.value.describe()),
            "not a boolean",
            "YAML 1.2 reads only `true` and `false` as booleans (not `yes`, `no`, `on` or `off`)".into(),
        );
        None
    }

    pub(super) fn int(&mut self, node: &Node, key: &str) -> Option<Located<i64>> {
        if let Value::Int(i) = node.value {
            return Some(Located { value: i, span: node.span });
        }
        // The loader reads `018` as a float (no leading zeros in its integers) and integers
        // beyond 64 bits too; YAML 1.2 core reads any run of digits as an integer. `!!float 18`
        // is a float whatever its digits, like `18.0`.
        if matches!(node.value, Value::Float(_)) && !self.tagged(node) {
            let raw = self.raw(node);
            let digits = raw.strip_prefix(['-', '+']).unwrap_or(&raw);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(i) = raw.parse::<i64>() {
                    return Some(Located { value: i, span: node.span });
                }
                self.error(
                    Code::Type,
                    node.span,
                    format!("`{key}` is too large for a whole number"),
                    "too large",
                    format!("write e.g. `{key}: 18`"),
                );
                return None;
            }
        }
        self.error(
            Code::Type,
            node.span,
            format!("`{key}` must be a whole number, found {}", node.value.describe()),
            "not a whole number",
            format!("write e.g. `{key}: 18`"),
        );
        None
    }

    pub(super) fn items<'n>(&mut self, node: &'n Node, key: &str) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            other => {
                self.error(
                    Code::Type,
                    node.span,
                    format!("`{key}` must be a list, found {}", other.describe()),
                    "not a list",
                    list_help(key, other),
                );
                &[]
            }
        }
    }

    pub(super) fn symbols(&mut self, node: &Node, key: &str) -> List<String> {
        if !matches!(node.value, Value::Seq(_)) {
            self.items(node, key);
            return None;
        }
        let items = self.items(node, key);
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match self.text_at(item, key, TextAt::ItemOf) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// How to write `key` as a list, with the text given in its place when there is one: one
/// channel written as `channels: email` becomes `channels: [email]`, one category under
/// `data` a use.
fn list_help(key: &str, given: &Value) -> String {
    match given {
        // `processors: none` would otherwise be told to name a processor `none`, and
        // `access: none` to write `[none]`, which reads as one group with access.
        Value::Str(text) if means_none(text) => {
            format!("for none, write `{key}: []` (an empty list); `{text}` would be read as an item named `{text}`")
        }
        Value::Str(text) if !text.contains(['\n', '\r']) && text.chars().count() <= 60 => {
            // `encryption: "[at_rest, in_transit]"`: a list, quoted into one text.
            let flow = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']'));
            if let Some(inner) = flow.filter(|_| !matches!(key, "data" | "processors")) {
                return format!(
                    "remove the quotes: `{key}: [{}]` is a list, the quoted text is one text",
                    inner.trim()
                );
            }
            let text = flow.unwrap_or(text);
            match key {
                "data" => {
                    let items = list_items(text, Split::Words);
                    let uses: Vec<String> = items.iter().map(|c| format!("`  - category: {c}`")).collect();
                    format!("write each use as `- category: …` under `data:`, e.g. `data:` then {}", uses.join(" and "))
                }
                "processors" => processors_help(text),
                _ => match list_items(text, Split::Words).as_slice() {
                    [] => format!("write `{key}:` followed by `- …` lines, or `{key}: []`"),
                    items => format!("write `{key}: [{}]`, or `{key}:` followed by `- …` lines", items.join(", ")),
                },
            }
        }
        // `-category: x`: without a space after it, `-` starts a key, not a list entry.
        Value::Map(entries) => match entries.iter().find_map(|(k, _)| match &k.value {
            Value::Str(k) => k.strip_prefix('-').filter(|rest| !rest.is_empty() && !rest.starts_with(' ')),
            _ => None,
        }) {
            Some(rest) if super::yaml_text(rest) == rest => {
                format!("put a space after `-`: `- {rest}: …` starts a list entry, `-{rest}:` is a key")
            }
            Some(_) => "put a space after `-` to start a list entry: `- KEY: …`".to_string(),
            None => format!("write `{key}:` followed by `- …` lines, or `{key}: []`"),
        },
        _ => format!("write `{key}:` followed by `- …` lines, or `{key}: []`"),
    }
}

/// The help for processors written as one text: one `- name:` entry per company. Written as
/// one entry, `AdTechCo Inc, Google Ireland` would hide the first company behind the second
/// one's region and DPA.
fn processors_help(text: &str) -> String {
    let names = list_items(text, Split::Names);
    let entries: Vec<String> = names.iter().map(|n| format!("`  - name: {n}`")).collect();
    match entries.as_slice() {
        [] => "write `processors:` followed by `- name: …` lines, or `processors: []`".to_string(),
        [one] => format!("write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, e.g. {one}"),
        _ => format!(
            "write one `- name:` entry per processor under `processors:`, each with its own `region:` and `dpa:` \
             below it, e.g. `processors:` then {}",
            entries.join(" and ")
        ),
    }
}

/// How a text given where a list belongs is cut into the items it meant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Split {
    /// Symbols and categories, which hold no spaces: every space separates (`email sms`).
    Words,
    /// Names of companies, which hold spaces (`Google Ireland`) and parentheses
    /// (`AdTechCo Inc (US, SCCs)`): only separators outside parentheses do.
    Names,
}

/// What follows a company's name after a comma (`AdTechCo, Inc.`): part of the name, not a
/// company of its own.
const COMPANY_SUFFIXES: [&str; 20] = [
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "plc",
    "corp",
    "co",
    "gmbh",
    "ag",
    "ab",
    "as",
    "aps",
    "oy",
    "bv",
    "nv",
    "sa",
    "sas",
    "srl",
];

/// The items a text given where a list belongs meant, each written as it reads back in YAML:
/// separators (`,`, `;`, `&`, `+`, `/`, `and`, `or`) are no items, and an item that would
/// read as something else (`&x`, `true`) is quoted.
fn list_items(text: &str, split: Split) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let cuts = depth == 0
            && match split {
                Split::Words => matches!(c, ',' | ';' | '|' | '&' | '+' | '/') || c.is_whitespace(),
                Split::Names => matches!(c, ',' | ';' | '|'),
            };
        if cuts {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    pieces.push(current);
    let mut items: Vec<String> = Vec::new();
    for piece in pieces {
        // A name is cut again at a joining word standing alone (`AdTechCo and Google`), but
        // not inside parentheses; `AT&T` has no word of its own to cut at, and `Johnson &
        // Johnson` is one company.
        let mut parts: Vec<String> = Vec::new();
        for part in cut_at(&piece, &["and", "or", "plus"]) {
            let signs = cut_at(&part, &["&", "+", "/"]);
            let repeated = signs.iter().enumerate().any(|(i, p)| signs.iter().take(i).any(|q| q == p));
            if split == Split::Names && repeated {
                parts.push(part);
            } else {
                parts.extend(signs);
            }
        }
        let Some(name) = parts.pop() else { continue };
        // `Inc.` after a comma ends the name before it.
        let suffix = parts.is_empty()
            && split == Split::Names
            && COMPANY_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(name.trim_end_matches('.')));
        items.extend(parts);
        match items.last_mut() {
            Some(last) if suffix && !last.is_empty() => {
                last.push_str(", ");
                last.push_str(&name);
            }
            _ => items.push(name),
        }
    }
    items.retain(|item| item.chars().any(char::is_alphanumeric));
    items.iter().map(|item| plain_or_quoted(item)).collect()
}

/// `text` cut at the words `joining` standing alone outside parentheses, each part with its
/// words joined by one space.
fn cut_at(text: &str, joining: &[&str]) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part: Vec<&str> = Vec::new();
    let mut open = 0usize;
    for word in text.split_whitespace() {
        let joins = open == 0 && joining.iter().any(|j| j.eq_ignore_ascii_case(word));
        open = (open + word.matches('(').count()).saturating_sub(word.matches(')').count());
        if joins {
            parts.push(part.join(" "));
            part.clear();
        } else {
            part.push(word);
        }
    }
    parts.push(part.join(" "));
    parts
}

/// `text` as a YAML value in a list or after `name:`: plain when it reads back as the same
/// text (`Google Ireland`, `AdTechCo Inc (US)`), else quoted.
fn plain_or_quoted(text: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '(' | ')' | '&' | '+' | '\'');
    let plain = text.split(' ').all(|word| !word.is_empty() && word.chars().all(safe))
        && text.starts_with(char::is_alphanumeric)
        // Read back as a number or a boolean otherwise (`2026`, `0x1F`, `true`).
        && (text.contains(' ') || !text.starts_with(|c: char| c.is_ascii_digit()))
        && text.parse::<f64>().is_err()
        && !matches!(text.to_lowercase().as_str(), "true" | "false" | "null");
    if plain {
        text.to_string()
    } else {
        super::yaml_text(text)
    }
}

/// Whether a text given where a list belongs says "none" rather than naming one item (`none`,
/// `N/A`, `None yet`, `no one`).
fn means_none(text: &str) -> bool {
    const NONE: [&str; 10] = ["none", "no", "n/a", "na", "nothing", "nobody", "nil", "empty", "-", "--"];
    let first = text.split_whitespace().next().unwrap_or("").trim_end_matches(['.', ',', ';', ':']);
    NONE.iter().any(|n| n.eq_ignore_ascii_case(first))
}
