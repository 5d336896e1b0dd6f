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
                let policy = self.policy;
                let channel = |name: &str| policy.channels.contains(name);
                let category = |name: &str| policy.categories.lookup(name).is_some();
                let kind = match key {
                    "channels" if !policy.channels.is_empty() => Items::Names(&channel, "a channel"),
                    "data" => Items::Names(&category, "a data category"),
                    "processors" => Items::Companies,
                    _ => Items::Texts,
                };
                let help = list_help(key, other, &kind);
                self.error(
                    Code::Type,
                    node.span,
                    format!("`{key}` must be a list, found {}", other.describe()),
                    "not a list",
                    help,
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

/// What the items of a list are, for how a text given in its place is cut into them.
enum Items<'k> {
    /// Names of the policy (channels, categories), which hold no spaces: `known` tells them,
    /// and the words of a part are items when each of them is one (`email sms`).
    Names(&'k dyn Fn(&str) -> bool, &'static str),
    /// Names of companies, which hold spaces and joining words (`Procter & Gamble`).
    Companies,
    /// Texts of the campaign's own (segments, groups with access, subjects, regions), which
    /// hold spaces (`existing customers`, `R&D team`).
    Texts,
}

/// How to write `key` as a list, with the text given in its place when there is one: one
/// channel written as `channels: email` becomes `channels: [email]`, one category under
/// `data` a use. The key is written as it stands in its section (`regions`, not
/// `audience.regions`, which is no key of `audience`).
fn list_help(key: &str, given: &Value, kind: &Items) -> String {
    let short = key.rsplit('.').next().unwrap_or(key);
    match given {
        // `processors: none` would otherwise be told to name a processor `none`, and
        // `access: none` to write `[none]`, which reads as one group with access.
        Value::Str(text) if means_none(text) => {
            format!("for none, write `{short}: []` (an empty list); `{text}` would be read as an item named `{text}`")
        }
        Value::Str(text) if !text.contains(['\n', '\r']) && text.chars().count() <= 60 => {
            // `encryption: "[at_rest, in_transit]"`: a list, quoted into one text.
            let flow = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']'));
            if let Some(inner) = flow.filter(|_| !matches!(key, "data" | "processors")) {
                return format!(
                    "remove the quotes: `{short}: [{}]` is a list, the quoted text is one text",
                    inner.trim()
                );
            }
            let text = flow.unwrap_or(text);
            match kind {
                Items::Companies => processors_help(text),
                Items::Names(known, a) => {
                    let items = names_in(text, *known);
                    let unknown: Vec<String> = items
                        .iter()
                        .filter(|item| !known(item))
                        .map(|item| format!("`{item}` is not {a} of the policy"))
                        .collect();
                    match (key, unknown.is_empty()) {
                        ("data", false) => format!(
                            "write each use as `- category: …` under `data:`, one per category; {}",
                            unknown.join(", ")
                        ),
                        (_, false) => format!(
                            "write `{short}` as a list of the policy's names, one per item; {}",
                            unknown.join(", ")
                        ),
                        ("data", true) => {
                            let uses: Vec<String> =
                                items.iter().map(|c| format!("`  - category: {}`", plain_or_quoted(c))).collect();
                            format!(
                                "write each use as `- category: …` under `data:`, e.g. `data:` then {}",
                                uses.join(" and ")
                            )
                        }
                        (_, true) => list_of(short, &items, &[]),
                    }
                }
                Items::Texts => {
                    let items = texts_in(text);
                    // `R&D team` is one group; `visitor & customer` may be two.
                    let joined: Vec<&String> = items
                        .iter()
                        .filter(|item| {
                            item.split_whitespace()
                                .any(|w| ["&", "+", "/"].contains(&w) || joins(w) && !w.contains(['&', '+', '/']))
                        })
                        .collect();
                    list_of(short, &items, &joined)
                }
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
            None => format!("write `{short}:` followed by `- …` lines, or `{short}: []`"),
        },
        _ => format!("write `{short}:` followed by `- …` lines, or `{short}: []`"),
    }
}

/// `key: [a, b]` for the items, with what to do if an item joined by `&` or `and` names two.
fn list_of(key: &str, items: &[String], joined: &[&String]) -> String {
    if items.is_empty() {
        return format!("write `{key}:` followed by `- …` lines, or `{key}: []`");
    }
    let shown: Vec<String> = items.iter().map(|item| plain_or_quoted(item)).collect();
    let help = format!("write `{key}: [{}]`, or `{key}:` followed by `- …` lines", shown.join(", "));
    match joined {
        [] => help,
        _ => format!("{help}; {}", if_joined(joined, "", "item")),
    }
}

/// What to do if a name joined by `&`, `+`, `/` or `and` names more than one thing: it is kept
/// whole, as `Procter & Gamble` and `R&D team` are one, and only its writer can tell.
fn if_joined(joined: &[&String], thing: &str, entry: &str) -> String {
    let names: Vec<String> = joined.iter().map(|name| format!("`{name}`")).collect();
    match names.as_slice() {
        [one] => format!("if {one} names more than one{thing}, give each its own {entry}: it is kept as one here"),
        _ => format!(
            "if one of {} names more than one{thing}, give each its own {entry}: each is kept as one here",
            names.join(", ")
        ),
    }
}

/// The help for processors written as one text: one `- name:` entry per company. Written as
/// one entry, `AdTechCo Inc, Google Ireland` would hide the first company behind the second
/// one's region and DPA.
fn processors_help(text: &str) -> String {
    let (names, vague) = companies_in(text);
    let entries: Vec<String> = names.iter().map(|n| format!("`  - name: {}`", plain_or_quoted(n))).collect();
    let help = match entries.as_slice() {
        [] => "write `processors:` followed by `- name: …` lines, or `processors: []`".to_string(),
        [one] => format!(
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. {one}"
        ),
        _ => format!(
            "write one `- name:` entry per processor under `processors:`, each with its own `region:` and `dpa:` \
             below it, e.g. `processors:` then {}",
            entries.join(" and ")
        ),
    };
    with_company_notes(help, &names, &vague)
}

/// The help for one item of `processors` written as text (`- AdTechCo Inc, Google Ireland`)
/// when it names several companies, or `None`.
pub(super) fn several_processors(text: &str) -> Option<String> {
    let (names, vague) = companies_in(text);
    if names.len() + vague.len() < 2 {
        return None;
    }
    Some(processors_help(text))
}

/// What to add to the help for processors: that a name joined by `&` is kept whole, and that
/// `others` names no company.
fn with_company_notes(help: String, names: &[String], vague: &[String]) -> String {
    let joined: Vec<&String> = names.iter().filter(|name| joins(name)).collect();
    let mut help = help;
    if !joined.is_empty() {
        help = format!("{help}; {}", if_joined(&joined, " company", "`- name:` entry"));
    }
    if let Some(first) = vague.first() {
        help = format!("{help}; `{first}` names no company: give each of them its own `- name:` entry");
    }
    help
}

/// Separators between items: `,`, `;`, `|` and their full-width forms (`，`, `、`, `；`, `｜`).
fn separates(c: char) -> bool {
    matches!(c, ',' | ';' | '|' | '，' | '、' | '；' | '｜')
}

/// The parts of a text between its separators outside brackets and quotes, trimmed, each
/// without the quotes around it (`SE, "NO"` is `SE` and `NO`) and without a leading `and`
/// or `or` (`Google, Meta, and TikTok`).
fn parts(text: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if current.trim().is_empty() => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if quote.is_none() && depth == 0 && separates(c) {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    pieces.push(current);
    pieces
        .iter()
        .map(|piece| {
            let piece = piece.trim();
            let unquoted = ['"', '\'']
                .iter()
                .find_map(|&q| piece.strip_prefix(q).and_then(|p| p.strip_suffix(q)).filter(|p| !p.contains(q)))
                .unwrap_or(piece);
            let mut words = unquoted.split_whitespace().peekable();
            if words.peek().is_some_and(|w| ["and", "or"].iter().any(|j| j.eq_ignore_ascii_case(w))) {
                words.next();
            }
            words.collect::<Vec<_>>().join(" ")
        })
        .filter(|item| item.chars().any(char::is_alphanumeric))
        .collect()
}

/// Whether a name holds a joining sign (`&`, `+`, `/`) or word (`and`, `or`, `plus`): it may
/// name two things, which only its writer can tell.
fn joins(name: &str) -> bool {
    name.contains(['&', '+', '/'])
        || name.split_whitespace().any(|w| ["and", "or", "plus"].iter().any(|j| j.eq_ignore_ascii_case(w)))
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

/// Words that stand for companies not named (`and others`, `etc.`).
const VAGUE: [&str; 6] = ["others", "other", "etc", "more", "various", "misc"];

/// The companies a text names, cut only at separators (`Procter & Gamble`, `Marks and
/// Spencer` are one), with a company's suffix after a comma kept (`Acme, Inc.`); and the parts
/// that name no company (`others`).
fn companies_in(text: &str) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut vague = Vec::new();
    for part in parts(text) {
        let first = part.split_whitespace().next().unwrap_or("").trim_end_matches('.').to_lowercase();
        if VAGUE.contains(&first.as_str()) {
            vague.push(part);
            continue;
        }
        let suffix = COMPANY_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(part.trim_end_matches('.')));
        match names.last_mut() {
            Some(last) if suffix => {
                last.push_str(", ");
                last.push_str(&part);
            }
            _ => names.push(part),
        }
    }
    (names, vague)
}

/// Whether a word reads as a code or symbol rather than a word of a phrase: `at_rest`,
/// `crm-admin`, `SE`, `EEA`.
fn code_like(word: &str) -> bool {
    let inner = word.trim_matches(|c: char| !c.is_alphanumeric());
    let marked = inner.contains(['_', '-', '.']) && inner.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    let code = (2..=3).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_uppercase());
    !inner.is_empty() && inner.len() == word.len() && (marked || code)
}

/// The items of a list of the campaign's own texts: cut at separators; the words of a part are
/// items only when each reads as a code (`at_rest in_transit`, `SE DK`), as `existing
/// customers` is one subject.
fn texts_in(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for part in parts(text) {
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() > 1 && words.iter().all(|w| code_like(w)) {
            items.extend(words.iter().map(|w| w.to_string()));
        } else {
            items.push(part);
        }
    }
    items
}

/// The items of a list of the policy's names: cut at separators, at joining signs and words
/// (`display and social`, `display/social`), and at white space when each word is a name
/// `known` (`email sms`).
fn names_in(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut items = Vec::new();
    for part in parts(text) {
        for joined in cut_joins(&part) {
            let words: Vec<&str> = joined.split_whitespace().collect();
            if !known(&joined) && words.len() > 1 && words.iter().all(|w| known(w)) {
                items.extend(words.iter().map(|w| w.to_string()));
            } else {
                items.push(joined);
            }
        }
    }
    items.retain(|item| item.chars().any(char::is_alphanumeric));
    items
}

/// `text` cut at joining words standing alone (`and`, `or`, `plus`) and at joining signs with
/// a name on each side (`display/social`, but not the sign of `+1`).
fn cut_joins(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut part: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if ["and", "or", "plus", "&", "+", "/"].iter().any(|j| j.eq_ignore_ascii_case(word)) {
            out.push(part.join(" "));
            part.clear();
            continue;
        }
        let pieces: Vec<&str> = word.split(['&', '+', '/']).collect();
        if pieces.len() > 1 && pieces.iter().all(|p| !p.is_empty()) {
            let (last, before) = pieces.split_last().unwrap_or((&"", &[]));
            for piece in before {
                part.push(piece.to_string());
                out.push(part.join(" "));
                part.clear();
            }
            part.push(last.to_string());
        } else {
            part.push(word.to_string());
        }
    }
    out.push(part.join(" "));
    out.retain(|p| !p.is_empty());
    out
}

/// `text` as a YAML value in a list or after `name:`: plain when it reads back as the same
/// text (`Google Ireland`, `AdTechCo Inc (US)`), else quoted. A single word that starts like a
/// number (`12`, `0x1F`, `0o17`, `+1`, `.5`) is quoted whether or not it is one: YAML reads
/// such words as numbers in more forms than are worth telling apart here.
fn plain_or_quoted(text: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '(' | ')' | '&' | '+' | '\'');
    let numeric =
        !text.contains(' ') && text.trim_start_matches(['+', '-', '.']).starts_with(|c: char| c.is_ascii_digit());
    let plain = text.split(' ').all(|word| !word.is_empty() && word.chars().all(safe))
        && text.starts_with(char::is_alphanumeric)
        && !numeric
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
