//! `audience: { regions: SE, US }`: inside braces a comma ends a value, so YAML reads `US` as
//! a key of `audience` without a value, where the writer meant a second region. Each such word
//! is told why it is a key, and kept with the value it followed, so that the list's own help
//! names every item (`regions: [SE, US]`; `[SE]` alone would narrow the audience).

use super::super::yaml::{Node, Value};
use super::mapping::Mapping;
use super::{yaml_text, Reader};
use crate::diagnostic::Code;
use crate::source::Span;

/// Words read as keys after a comma ended the value of `key` in a flow mapping.
pub(super) struct RunOn {
    /// Where the value they followed is written.
    pub value: Span,
    /// The words, in file order.
    pub words: Vec<String>,
}

impl Reader<'_> {
    /// Reports every word of `entries` that a comma cut from the value before it, and returns
    /// their positions in ascending order, which are not reported again as unknown keys.
    /// A bare word that is a key `mapping` takes (`{ contact: x, unsubscribe }`) is that key
    /// without a value, not part of `contact`; in `labels`, which takes any key, none is.
    pub(super) fn run_ons(&mut self, entries: &[(Node, Node)], mapping: Mapping) -> Vec<usize> {
        let mut cut = Vec::new();
        let mut rest = entries.iter().enumerate().peekable();
        while let Some((_, (key, value))) = rest.next() {
            let (Value::Str(key), Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_)) =
                (&key.value, &value.value)
            else {
                continue;
            };
            let mut words = Vec::new();
            let known = |(k, _): &(Node, Node)| matches!(&k.value, Value::Str(k) if mapping.takes(k));
            while let Some((i, entry)) = rest.next_if(|(_, entry)| self.is_bare_word(entry) && !known(entry)) {
                words.push(entry);
                cut.push(i);
            }
            if !words.is_empty() {
                self.report_run_on(key, value, &words, mapping);
            }
        }
        cut
    }

    /// A key written without a colon or value, before a comma or the closing brace.
    fn is_bare_word(&self, (key, value): &(Node, Node)) -> bool {
        let after = self.source.text.get(key.span.end..).unwrap_or("");
        matches!(key.value, Value::Str(_))
            && value.value == Value::Null
            && after.trim_start_matches([' ', '\t']).starts_with([',', '}'])
    }

    fn report_run_on(&mut self, key: &str, value: &Node, cut: &[&(Node, Node)], mapping: Mapping) {
        let what = mapping.described();
        let words: Vec<String> = cut.iter().map(|(k, _)| self.raw(k)).collect();
        let whole = with_words(self.raw(value), &words);
        let list = mapping.takes_list(key);
        for ((k, _), word) in cut.iter().zip(&words) {
            let (message, help) = if list {
                (
                    format!("`{word}` reads as a key of {what}, not as an item of `{key}`"),
                    format!(
                        "inside `{{ … }}` a comma ends a value, so `{word}` became a key: it is an item of `{key}`, \
                         written with the others as the error at `{key}` shows"
                    ),
                )
            } else {
                (
                    format!("`{word}` reads as a key of {what}, not as part of `{key}`"),
                    // Never "remove it": `retention: 1 year, 6 months` would keep a year.
                    format!(
                        "inside `{{ … }}` a comma ends a value, so `{word}` became a key: if it is part of the value, \
                         quote the whole value, `{key}: {}`; if it is a key of its own, give it a value, `{word}: …`",
                        yaml_text(&whole)
                    ),
                )
            };
            self.error(Code::UnknownKey, k.span, message, "a key without a value", help);
        }
        if list {
            self.run_ons.push(RunOn { value: value.span, words });
        }
    }

    /// The text of a list value written as text, with the words a comma cut from it.
    pub(super) fn with_run_ons(&self, node: &Node, text: &str) -> Option<String> {
        let run_on = self.run_ons.iter().find(|r| r.value == node.span)?;
        Some(with_words(text.to_string(), &run_on.words))
    }
}

/// A value's text with the words a comma cut from it, as it was written: `SE, US`.
fn with_words(text: String, words: &[String]) -> String {
    words.iter().fold(text, |whole, word| format!("{whole}, {word}"))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::HEAD;

    /// Every problem of a campaign read from `text`, as (message, help).
    fn problems(text: &str) -> Vec<(String, String)> {
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", text);
        let invalid = crate::campaign::read(crate::source::FileId(1), &file, &policy).unwrap_err();
        invalid.problems.iter().map(|p| (p.message.clone(), p.help.clone().unwrap_or_default())).collect()
    }

    /// `{ regions: SE, US }` was told `regions: [SE]` (and `US` an unknown key, to remove):
    /// followed, the help dropped a region the campaign targets.
    #[test]
    fn words_a_comma_cut_from_a_list_in_braces_stay_in_its_help() {
        let found = problems(&format!("{HEAD}data: []\naudience: {{ regions: SE, US, DK, min_age: 18 }}\n"));
        assert_eq!(found[0].1, "write `regions: [SE, US, DK]`, or `regions:` followed by `- …` lines");
        let keys: Vec<&str> = found[1..].iter().map(|(message, _)| message.as_str()).collect();
        assert_eq!(
            keys,
            [
                "`US` reads as a key of `audience`, not as an item of `regions`",
                "`DK` reads as a key of `audience`, not as an item of `regions`"
            ]
        );
        assert!(found[1].1.starts_with("inside `{ … }` a comma ends a value, so `US` became a key"), "{}", found[1].1);
        let found = problems(&format!("{HEAD}data: []\nsecurity: {{encryption: at_rest, in_transit}}\n"));
        assert_eq!(found[0].1, "write `encryption: [at_rest, in_transit]`, or `encryption:` followed by `- …` lines");
    }

    /// A text value cut by a comma is valid text, so the key error alone tells it, with the
    /// whole text quoted; a key with a colon is a key, and a list in brackets is not cut.
    #[test]
    fn a_text_cut_by_a_comma_is_told_and_real_keys_are_not() {
        let found = problems(&format!("{HEAD}data: []\nrights: {{ contact: privacy@example.com, DPO }}\n"));
        assert_eq!(
            found,
            [(
                "`DPO` reads as a key of `rights`, not as part of `contact`".to_string(),
                "inside `{ … }` a comma ends a value, so `DPO` became a key: if it is part of the value, quote the \
                 whole value, `contact: \"privacy@example.com, DPO\"`; if it is a key of its own, give it a value, \
                 `DPO: …`"
                    .to_string()
            )]
        );
        // A known key without a value is that key, not part of the value before it.
        let found = problems(&format!("{HEAD}data: []\nsecurity: {{ encryption: at_rest, in_transit, monitoring }}\n"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].1, "write `encryption: [at_rest, in_transit]`, or `encryption:` followed by `- …` lines");
        // Labels take any key, and a word after a label's value is cut from it all the same.
        let found = problems(&format!("{HEAD}data: []\nlabels: {{ lia: LIA-2026-04, SOI-2026-04 }}\n"));
        assert_eq!(found[0].0, "`SOI-2026-04` reads as a key of `labels`, not as part of `lia`");
        let found = problems(&format!("{HEAD}data: []\naudience: {{ regions: [SE, US], agegroup: 18 }}\n"));
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("unknown key `agegroup`"), "{:?}", found[0]);
    }
}
