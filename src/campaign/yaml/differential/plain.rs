//! Random block documents in the shape campaign files have, the fast path's subset, with
//! steps just outside it: scalars that need the full parser (indicators, `: `, comments,
//! escapes), keys that are not identifiers or repeat, empty values, indentation of every
//! width, sequences at their key's column, comments and blank lines, tabs and stray spaces.

use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Block {
    Scalar(&'static str),
    Flow(Vec<&'static str>),
    Map(Vec<(&'static str, Block)>),
    Seq(Vec<Block>),
}

const KEYS: &[&str] = &[
    "campaign",
    "a",
    "name",
    "b",
    "owner",
    "k",
    "purpose",
    "basis",
    "channels",
    "audience",
    "regions",
    "data",
    "category",
    "retention",
    "source",
    "security",
    "min_age",
    "cost-centre",
    "a.b",
    "_k",
    "K1",
    "y",
    "on",
    "x-1",
];

/// Keys the fast path leaves to the full parser.
const ODD_KEYS: &[&str] = &["true", "null", "1", "-k", "key with space", "<<", "\"q\"", "k ", "k\t"];

const SCALARS: &[&str] = &[
    "c-001",
    "marketing.email",
    "consent",
    "18",
    "-1",
    "-x",
    "-.5",
    "1.5",
    "0x1F",
    "007",
    "1_000",
    ".inf",
    "true",
    "False",
    "~",
    "null",
    "yes",
    "\"IE\"",
    "'s'",
    "\"a # b\"",
    "\"\"",
    "''",
    "\"1\"",
    "a b  c",
    "a#b",
    "a:b",
    "x ",
    "a, b",
    "a [b] {c}",
    "a # comment",
    "privacy@x.example",
    "Fj\u{e4}llfot Club",
    "\u{65e5}\u{672c}",
    "\"\u{e5}\"",
    "a\u{a0}",
    "\u{1f600}",
];

/// Scalars the fast path leaves to the full parser, and some that are not YAML.
const ODD_SCALARS: &[&str] = &[
    "'it''s'",
    "\"a\\tb\"",
    "a: b",
    "a:",
    "- x",
    "? x",
    ": x",
    "-",
    "[",
    "]x",
    "&a x",
    "*a",
    "!t x",
    "|",
    ">",
    "@x",
    "`x",
    "%x",
    "#x",
    "a\u{202e}b",
    "a\u{2028}b",
    "\u{85}",
    "\u{feff}x",
    "a\tb",
    "\"open",
    "'q' x",
    "\"q\"#c",
    "",
];

const FLOW_ITEMS: &[&str] =
    &["a", "\"IE\"", "'s'", "1", "a b", "x ", "~", "true", "'a,b'", "\"a]\"", "-1", "", "[x]", "{x}", "a:b", "x #"];

fn key() -> impl Strategy<Value = &'static str> {
    prop_oneof![30 => prop::sample::select(KEYS), 1 => prop::sample::select(ODD_KEYS)]
}

fn block() -> impl Strategy<Value = Block> {
    let leaf = prop_oneof![
        40 => prop::sample::select(SCALARS).prop_map(Block::Scalar),
        1 => prop::sample::select(ODD_SCALARS).prop_map(Block::Scalar),
        8 => prop::collection::vec(prop::sample::select(FLOW_ITEMS), 0..4).prop_map(Block::Flow),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            3 => prop::collection::vec((key(), inner.clone()), 1..6).prop_map(Block::Map),
            2 => prop::collection::vec(inner, 1..4).prop_map(Block::Seq),
        ]
    })
}

/// How a document is laid out.
#[derive(Clone, Copy, Debug)]
struct Layout {
    width: usize,
    indentless: bool,
}

impl Block {
    fn inline(&self) -> Option<String> {
        match self {
            Block::Scalar(s) => Some(format!(" {s}")),
            Block::Flow(items) => Some(format!(" [{}]", items.join(", "))),
            _ => None,
        }
    }

    fn render(&self, indent: usize, layout: Layout, out: &mut String) {
        let pad = " ".repeat(indent);
        match self {
            Block::Map(entries) => {
                for (key, value) in entries {
                    out.push_str(&format!("{pad}{key}:"));
                    value.value(indent, layout, out);
                }
            }
            Block::Seq(items) => {
                for item in items {
                    out.push_str(&format!("{pad}-"));
                    match item {
                        // `- key: value`: the mapping continues at the key's column.
                        Block::Map(entries) if !entries.is_empty() => {
                            let column = indent + 2;
                            let mut first = String::new();
                            Block::Map(entries.clone()).render(column, layout, &mut first);
                            out.push(' ');
                            out.push_str(first.get(column..).unwrap_or(""));
                        }
                        other => other.value(indent, layout, out),
                    }
                }
            }
            leaf => {
                out.push_str(&format!("{pad}{}\n", leaf.inline().unwrap_or_default().trim_start()));
            }
        }
    }

    /// The value after `key:` or `-`, on the line or below it.
    fn value(&self, indent: usize, layout: Layout, out: &mut String) {
        match self.inline() {
            Some(text) => {
                out.push_str(&text);
                out.push('\n');
            }
            None => {
                out.push('\n');
                let inner = match self {
                    Block::Seq(_) if layout.indentless => indent,
                    _ => indent + layout.width,
                };
                self.render(inner, layout, out);
            }
        }
    }
}

/// A campaign-shaped document, with comment lines, trailing comments and blank lines put in
/// at random lines.
pub(super) fn campaign_like() -> impl Strategy<Value = String> {
    let root = prop::collection::vec((key(), block()), 1..8).prop_map(Block::Map);
    let extras = prop::collection::vec((0usize..64, 0usize..5), 0..4);
    (root, 1usize..5, any::<bool>(), extras).prop_map(|(root, width, indentless, extras)| {
        let mut text = String::new();
        root.render(0, Layout { width, indentless }, &mut text);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (at, kind) in extras {
            let at = at % (lines.len() + 1);
            match kind {
                0 => lines.insert(at, "# a comment, Fj\u{e4}llfot".into()),
                1 => lines.insert(at, "   # indented comment".into()),
                2 => lines.insert(at, String::new()),
                3 => {
                    if let Some(line) = lines.get_mut(at) {
                        line.push_str(" # trailing");
                    }
                }
                _ => {
                    if let Some(line) = lines.get_mut(at) {
                        line.insert(0, ' ');
                    }
                }
            }
        }
        lines.join("\n") + "\n"
    })
}
