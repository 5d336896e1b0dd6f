//! Reading one value: text, a yes/no, a whole number, a list of texts; each refused with the
//! value as it is written and how to write it instead.

use super::super::model::*;
use super::super::yaml::{Node, Value};
use super::names::Kind;
use super::text_as_list::{list_help, Items};
use super::{key_in_section, one_region_per_entry, Reader};
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
        // The key as it stands in its section: `contact:`, not `rights.contact:`.
        let short = key_in_section(key);
        match self {
            TextAt::Field => (format!("`{key}`"), format!("`{short}: {quoted}`")),
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
                self.blank(node.span, key, at);
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
                    match (at, other) {
                        (TextAt::ItemOf, _) => "write one value per item: `[a, b]`".to_string(),
                        // `region: [SE, US]`: one entry holds one region, and the help must not
                        // leave the writer to drop the transfer to the other.
                        (TextAt::Processor, Value::Seq(_)) if key == "region" => one_region_per_entry("region"),
                        (TextAt::Field | TextAt::Processor, _) => {
                            format!("write a single value: `{}: …`", key_in_section(key))
                        }
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
    pub(super) fn blank(&mut self, span: Span, key: &str, at: TextAt) {
        let (message, help) = match (key, at) {
            // The item is blank, not the list: the others may be fine.
            (_, TextAt::ItemOf) => (
                format!("an item of `{key}` is blank"),
                format!("write the value, or take the item out of the list `{key}`"),
            ),
            ("campaign", _) => (
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

    /// A scalar's text as written (`07` stays `07`). A copy made by an alias is placed at the
    /// alias (`*y`), so its text is read at the anchor it copies (`&y 07`); when that cannot
    /// be found, the value itself is written out.
    pub(super) fn raw(&self, node: &Node) -> String {
        let text = self.source.text.get(node.span.start..node.span.end).unwrap_or("").trim();
        match text.strip_prefix('*') {
            Some(alias) => self.anchored(alias, node.span.start).unwrap_or_else(|| match &node.value {
                Value::Int(i) => i.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Str(s) => s.clone(),
                Value::Null | Value::Seq(_) | Value::Map(_) => text.to_string(),
            }),
            None => text.to_string(),
        }
    }

    /// The text of the plain scalar the anchor `&name` last set before `before` (`&y 2026`,
    /// `&y !!int 07`), or `None` when it holds anything else.
    fn anchored(&self, name: &str, before: usize) -> Option<String> {
        let source = self.source.text.get(..before)?;
        let anchor = format!("&{name}");
        let at = source
            .rmatch_indices(&anchor)
            .map(|(at, _)| at + anchor.len())
            .find(|&end| source.get(end..).and_then(|rest| rest.chars().next()).is_some_and(char::is_whitespace))?;
        let mut tokens = source.get(at..)?.split([' ', '\t']).filter(|t| !t.is_empty());
        let token = tokens.find(|t| !t.starts_with('!'))?;
        let scalar = token.split(['\n', '\r', ',', ']', '}']).next()?.trim();
        let plain = !scalar.is_empty() && !scalar.starts_with(['"', '\'', '[', '{', '#', '&', '*', '|', '>']);
        plain.then(|| scalar.to_string())
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
        let short = super::key_in_section(key);
        let help = match &node.value {
            Value::Str(text) => match text.trim().to_lowercase().as_str() {
                // `"true"`: quoted, the word is text.
                word @ ("true" | "false") => {
                    format!("remove the quotes: `{short}: {word}` is `{word}`, a quoted `\"{word}\"` is text")
                }
                "yes" | "y" | "on" => format!(
                    "YAML 1.2 reads only `true` and `false` as booleans: write `{short}: true` (`yes`, `on` are text)"
                ),
                "no" | "n" | "off" => format!(
                    "YAML 1.2 reads only `true` and `false` as booleans: write `{short}: false` (`no`, `off` are text)"
                ),
                _ => format!("write `{short}: true` if it is so, else `{short}: false`"),
            },
            _ => "YAML 1.2 reads only `true` and `false` as booleans (not `yes`, `no`, `on` or `off`)".into(),
        };
        self.error(
            Code::Type,
            node.span,
            format!("`{key}` must be `true` or `false`, found {}", node.value.describe()),
            "not a boolean",
            help,
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
                    whole_number_help(key, None),
                );
                return None;
            }
        }
        let lowest = self.lowest_number(node);
        self.error(
            Code::Type,
            node.span,
            format!("`{key}` must be a whole number, found {}", node.value.describe()),
            "not a whole number",
            whole_number_help(key, lowest),
        );
        None
    }

    /// The lowest number written in a value that is no whole number (`13+`, `13 or 16`,
    /// `13-17`, `[13, 18]`, `≥13`), cut down to a whole one; `None` when there is none, or when
    /// anything else is written beside the numbers: only words that make the numbers lower
    /// bounds, lists or ranges are read (see [`reads_as_lowest`]), since `under 18`, `at most
    /// 17` or `before 18` say nothing of the youngest, and a word not foreseen must not make an
    /// upper bound read as a lower one.
    fn lowest_number(&self, node: &Node) -> Option<i64> {
        let texts: Vec<String> = match &node.value {
            Value::Seq(items) => items.iter().map(|item| self.raw(item)).collect(),
            Value::Map(_) => return None,
            _ => vec![self.raw(node)],
        };
        let mut lowest: Option<i64> = None;
        for text in &texts {
            // `13-` may be "13 and under", `-13` no age at all.
            let bare = text.trim_matches(['"', '\'', ' ']);
            if bare.starts_with(['-', '–', '—']) || bare.ends_with(['-', '–', '—']) {
                return None;
            }
            let (numbers, words) = numbers_and_words(text);
            if !reads_as_lowest(&words) {
                return None;
            }
            for number in numbers {
                let whole = number.split('.').next().unwrap_or("");
                let value = whole.parse::<i64>().ok()?;
                lowest = Some(lowest.map_or(value, |l| l.min(value)));
            }
        }
        lowest
    }

    pub(super) fn items<'n>(&mut self, node: &'n Node, key: &str) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            other => {
                let policy = self.policy;
                let channel = |name: &str| Kind::Channel.knows(policy, name);
                let category = |name: &str| Kind::Category.knows(policy, name);
                let kind = match key {
                    "channels" if !policy.channels.is_empty() => Items::Names(&channel, Kind::Channel.a()),
                    "data" => Items::Names(&category, Kind::Category.a()),
                    "processors" => Items::Companies,
                    _ => Items::Texts,
                };
                let help = match other {
                    Value::Str(text) => match self.with_run_ons(node, text) {
                        Some(whole) => list_help(key, &Value::Str(whole), &kind),
                        None => list_help(key, other, &kind),
                    },
                    _ => list_help(key, other, &kind),
                };
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

/// The numbers of a text (`13`, `13.5`) and what stands between them: its words, lower-cased,
/// and its other signs one by one (`+`, `-`).
fn numbers_and_words(text: &str) -> (Vec<String>, Vec<String>) {
    let (mut numbers, mut words) = (Vec::new(), Vec::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = c.to_string();
            while let Some(&next) = chars.peek() {
                let decimal = next == '.' && !number.contains('.');
                if !(next.is_ascii_digit() || decimal) {
                    break;
                }
                number.push(next);
                chars.next();
            }
            numbers.push(number.trim_end_matches('.').to_string());
        } else if c.is_alphabetic() {
            let mut word = c.to_lowercase().to_string();
            while let Some(&next) = chars.peek().filter(|n| n.is_alphabetic()) {
                word.extend(next.to_lowercase());
                chars.next();
            }
            words.push(word);
        } else if !c.is_whitespace() {
            words.push(c.to_string());
        }
    }
    (numbers, words)
}

/// Whether the words beside an age's numbers make them lower bounds, a list or a range
/// (`13+`, `over 13`, `at least 13`, `13 and up`, `13 or older`, `aged 13 to 17`, `≥13`):
/// the lowest number is then the youngest person reached, or younger. Anything else (`under`,
/// `at most`, `before`, `no older than`, `~`) is refused rather than guessed.
fn reads_as_lowest(words: &[String]) -> bool {
    const LOWER_BOUND_WORDS: [&str; 24] = [
        "at", "least", "over", "above", "older", "from", "min", "minimum", "plus", "and", "or", "to", "than", "aged",
        "age", "ages", "years", "year", "yrs", "yr", "old", "y", "o", "+",
    ];
    // Quotes are read back from the source with the value (`"13+"`).
    const SIGNS: [&str; 11] = ["≥", ">", "=", "-", "–", "—", ",", "/", ".", "\"", "'"];
    words.iter().enumerate().all(|(i, word)| match word.as_str() {
        // `13 and up`, never `up to 17`.
        "up" => i.checked_sub(1).and_then(|before| words.get(before)).is_some_and(|w| w == "and"),
        // `at least`, never `at most`.
        "at" => words.get(i + 1).is_some_and(|next| next == "least"),
        w => LOWER_BOUND_WORDS.contains(&w) || SIGNS.contains(&w),
    })
}

/// How to write a whole number for `key`, as it stands in its section (`min_age:`, not
/// `audience.min_age:`): with the lowest number written, the youngest person reached, else in
/// words; never a number the campaign did not give.
fn whole_number_help(key: &str, lowest: Option<i64>) -> String {
    let short = key_in_section(key);
    match (short, lowest) {
        ("min_age", Some(n)) => {
            format!("write `min_age: {n}`, the lowest age written: the youngest person the campaign may reach")
        }
        ("min_age", None) => {
            "write `min_age:` with the age of the youngest person the campaign may reach, as a whole number".into()
        }
        (_, Some(n)) => format!("write `{short}: {n}`, the lowest number written"),
        (_, None) => format!("write `{short}:` as a whole number"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{first_problem, read_text, HEAD};

    /// A yes/no written otherwise than `true` / `false` is told the boolean it stands for,
    /// or, when it says neither, both (`dpa: signed` is no claim lagom can settle).
    #[test]
    fn a_boolean_written_as_text_is_told_its_boolean() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        assert_eq!(
            help("rights:\n  unsubscribe: \"true\"\n"),
            "remove the quotes: `unsubscribe: true` is `true`, a quoted `\"true\"` is text"
        );
        assert_eq!(
            help("rights:\n  unsubscribe: yes\n"),
            "YAML 1.2 reads only `true` and `false` as booleans: write `unsubscribe: true` (`yes`, `on` are text)"
        );
        assert_eq!(
            help("security:\n  monitoring: off\n"),
            "YAML 1.2 reads only `true` and `false` as booleans: write `monitoring: false` (`no`, `off` are text)"
        );
        assert_eq!(
            help("processors:\n  - name: X\n    region: SE\n    dpa: signed\n"),
            "write `dpa: true` if it is so, else `dpa: false`"
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

    /// A blank item of a list is the item's fault, not the list's: the message says so, and
    /// the label is on the item.
    #[test]
    fn a_blank_list_item_is_named_as_an_item() {
        let text = format!("{HEAD}audience: {{ regions: [SE, \"\"] }}\ndata: []\n");
        assert_eq!(read_text(&text).unwrap_err(), "an item of `audience.regions` is blank");
        let (_, help) = first_problem(&text);
        assert_eq!(help, "write the value, or take the item out of the list `audience.regions`");
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

    /// An age that is no whole number is told the lowest number written, the youngest person
    /// reached, with `min_age:` as it stands in `audience:`: it was told `audience.min_age: 18`,
    /// an unknown key there and an age nobody wrote, which let a campaign for 13-year-olds pass.
    #[test]
    fn an_age_that_is_no_whole_number_is_told_the_lowest_age_written() {
        let help = |value: &str| {
            super::super::test_support::first_problem(&format!("{HEAD}audience:\n  min_age: {value}\ndata: []\n")).1
        };
        let lowest = "write `min_age: 13`, the lowest age written: the youngest person the campaign may reach";
        for value in [
            "\"13+\"",
            "13 years",
            "13 or 16",
            "13-17",
            "[13, 18]",
            "[18, 13]",
            "\"13\"",
            "over 13",
            "≥13",
            "13.5",
            "at least 13",
            "13 and up",
            "13 or older",
            "aged 13 to 17",
            "min. 13",
        ] {
            assert_eq!(help(value), lowest, "{value}");
        }
        let words = "write `min_age:` with the age of the youngest person the campaign may reach, as a whole number";
        for value in [
            "teens",
            "under 18",
            "true",
            "{from: 13}",
            "99999999999999999999",
            "at most 17",
            "no older than 17",
            "17 or lower",
            "not over 17",
            "before 18",
            "up to 17",
            "18 and under",
            "~13",
            "13 (parents decide)",
            "13-",
            "\"-13\"",
        ] {
            assert_eq!(help(value), words, "{value}");
        }
    }

    /// A scalar copied by an alias is read as the anchor's text, not the alias: a label
    /// `consent_review: *y` was the text `*y`, which a rule's pattern would judge instead of
    /// `2026`, and `contact: *y` was told to quote `"*y"`.
    #[test]
    fn an_aliased_scalar_is_read_as_the_text_it_copies() {
        let yaml = format!(
            "{HEAD}labels: {{year: &y 2026, review: *y, tier: &t 07, t2: *t, on: &b true, b2: *b}}\ndata: []\n"
        );
        let c = super::super::test_support::read_text(&yaml).unwrap();
        let label = |k: &str| c.labels.get(k).map(|l| l.value.clone());
        assert_eq!(label("review").as_deref(), Some("2026"));
        assert_eq!(label("t2").as_deref(), Some("07"));
        assert_eq!(label("b2").as_deref(), Some("true"));
        let help = super::super::test_support::first_problem(&format!(
            "{HEAD}labels: {{n: &n 46}}\nrights:\n  contact: *n\ndata: []\n"
        ))
        .1;
        assert_eq!(help, "quote it: `contact: \"46\"`");
    }

    /// A value's help writes its key as it stands in its section: `rights.contact:` is no key
    /// of `rights`.
    #[test]
    fn a_value_help_writes_the_key_of_its_section() {
        let help = |yaml: &str| super::super::test_support::first_problem(&format!("{HEAD}{yaml}\ndata: []\n")).1;
        assert_eq!(help("rights:\n  contact: 46"), "quote it: `contact: \"46\"`");
        assert_eq!(help("rights:\n  contact: {a: b}"), "write a single value: `contact: …`");
    }

    /// A processor's regions as a list: one entry per region, not one region kept. `region:
    /// [SE, US]` was told "write a single value", and `region: SE` passed without the US transfer.
    #[test]
    fn a_processor_in_several_regions_is_told_one_entry_per_region() {
        let (message, help) = super::super::test_support::first_problem(&format!(
            "{HEAD}data: []\nprocessors:\n  - name: Acme\n    region: [SE, US]\n    dpa: true\n"
        ));
        assert_eq!(message, "a processor's `region` must be text, found a list");
        assert_eq!(
            help,
            "a processor entry has one region: list a processor in several regions once per region, each as its own \
             `- name:` entry with that `region:` and its own `safeguard:` and `dpa:`"
        );
    }
}
