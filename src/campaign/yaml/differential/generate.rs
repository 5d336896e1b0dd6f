//! Random YAML for the differential property tests: texts glued from fragments (mostly
//! broken), mappings of such texts, and rendered trees (mostly valid, with anchors, aliases,
//! tags and merge keys, in flow or block style).

use proptest::prelude::*;

/// Fragments random documents are made of: structure, scalars of every kind, tags, anchors,
/// aliases, merge keys, comments and the odd broken piece.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b",
        "k",
        "<<",
        "\"<<\"",
        "~",
        "null",
        "",
        "true",
        "True",
        "no",
        "1",
        "-1",
        "+1",
        "0x1",
        "01",
        "1.5",
        "1e3",
        ".inf",
        "-.nan",
        "1_0",
        "\"x\"",
        "'y'",
        "\"1\"",
        "!!str",
        "!!int",
        "!!float",
        "!!bool",
        "!!null",
        "!!binary",
        "!foo",
        "!",
        "&a",
        "&b",
        "*a",
        "*b",
        ": ",
        ":",
        "- ",
        "-",
        "? ",
        ",",
        "[",
        "]",
        "{",
        "}",
        "\n",
        "\n  ",
        "\n    ",
        "  ",
        " ",
        "\t",
        "#c",
        "\n---\n",
        "\n...\n",
        "|\n  t\n",
        ">\n  f\n",
        "\r\n",
        "é",
        "\"\\n\"",
        "'",
        "\"",
        "%YAML 1.2\n",
        "[*a, *a]",
        "{<<: *a}",
        "{a: 1}",
        "[1, 2]",
    ])
}

pub(super) fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 1..40).prop_map(|parts| parts.concat())
}

pub(super) fn mapping_document() -> impl Strategy<Value = String> {
    let line = (prop::sample::select(vec!["a", "b", "<<", "1", "~", "\"a\"", "? [x]", "&a k", "*a"]), document());
    prop::collection::vec(line, 1..8).prop_map(|lines| {
        lines.into_iter().map(|(k, v)| format!("{k}: {}\n", v.replace('\n', " "))).collect::<String>()
    })
}

/// A YAML node to render: scalars from a list of tricky spellings, collections, anchors,
/// aliases, tags and merge keys.
#[derive(Clone, Debug)]
enum Tree {
    Scalar(&'static str),
    Seq(Vec<Tree>),
    Map(Vec<(Tree, Tree)>),
    Anchored(u8, Box<Tree>),
    Alias(u8),
    /// A tag that suits the node, picked by number (the last one does not suit it).
    Tagged(u8, Box<Tree>),
}

const LEAVES: &[&str] = &[
    "a",
    "b",
    "c",
    "k",
    "~",
    "null",
    "true",
    "False",
    "yes",
    "1",
    "-1",
    "+2",
    "0x1F",
    "0o7",
    "007",
    "1_000",
    "1.5",
    "-0.0",
    "1e3",
    ".5",
    "\"q\"",
    "'s'",
    "\"1\"",
    "\"true\"",
    "\"\"",
    "a b",
    "é",
    "\"\\t\"",
    "18446744073709551615",
    "-9223372036854775809",
    "\"<<\"",
    "!!str 1",
    "!!int 2",
    "!!bool true",
    "!!null",
    "!!float 1",
    "! 5",
    "!foo y",
    "!!binary aGk=",
];

/// Leaves that make the document invalid.
const BAD_LEAVES: &[&str] = &[".inf", ".nan", "1e999", "!!int x", "!!bool 1", "!!seq x"];

fn leaf() -> impl Strategy<Value = Tree> {
    prop_oneof![
        30 => prop::sample::select(LEAVES).prop_map(Tree::Scalar),
        1 => prop::sample::select(BAD_LEAVES).prop_map(Tree::Scalar),
        5 => (0u8..3).prop_map(Tree::Alias),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    leaf().prop_recursive(5, 48, 5, |inner| {
        let key = prop_oneof![
            8 => prop::sample::select(LEAVES).prop_map(Tree::Scalar),
            1 => (0u8..3).prop_map(Tree::Alias),
            1 => prop::collection::vec(prop::sample::select(LEAVES).prop_map(Tree::Scalar), 0..3).prop_map(Tree::Seq),
        ];
        let mergeable = prop_oneof![
            3 => (0u8..3).prop_map(Tree::Alias),
            2 => prop::collection::vec((prop::sample::select(LEAVES).prop_map(Tree::Scalar), inner.clone()), 0..4)
                .prop_map(Tree::Map),
            1 => Just(Tree::Scalar("~")),
        ];
        let merge_value = prop_oneof![
            3 => mergeable.clone(),
            1 => prop::collection::vec(mergeable, 0..3).prop_map(Tree::Seq),
        ];
        let entry = prop_oneof![
            6 => (key, inner.clone()),
            1 => merge_value.prop_map(|v| (Tree::Scalar("<<"), v)),
        ];
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
            4 => prop::collection::vec(entry, 0..5).prop_map(Tree::Map),
            2 => (0u8..3, inner.clone()).prop_map(|(n, t)| Tree::Anchored(n, Box::new(t))),
            1 => (0u8..8, inner).prop_map(|(t, x)| Tree::Tagged(t, Box::new(x))),
        ]
    })
}

impl Tree {
    fn is_collection(&self) -> bool {
        match self {
            Tree::Seq(_) | Tree::Map(_) => true,
            Tree::Anchored(_, t) | Tree::Tagged(_, t) => t.is_collection(),
            _ => false,
        }
    }

    fn tag(n: u8, t: &Tree) -> &'static str {
        let tags: &[&str] = match t {
            Tree::Seq(_) => &["!!seq", "!foo", "!!map"],
            Tree::Map(_) => &["!!map", "!map", "!foo", "!!seq"],
            _ => &["!!str", "!foo", "!", "!!map"],
        };
        tags.get(usize::from(n)).copied().unwrap_or(tags[0])
    }

    /// A key: an alias needs a space before the colon (`*a:` would name the anchor `a:`).
    fn key(&self) -> String {
        match self {
            Tree::Alias(_) => format!("{} ", self.flow()),
            _ => self.flow(),
        }
    }

    /// The node under its properties, with the outermost anchor and tag (YAML allows one of
    /// each; an alias takes none, and a scalar spelled with a tag takes no other).
    fn props(&self) -> (String, &Tree) {
        let (mut anchor, mut tag, mut t) = (None, None, self);
        loop {
            match t {
                Tree::Anchored(n, inner) => {
                    anchor.get_or_insert(*n);
                    t = inner;
                }
                Tree::Tagged(n, inner) => {
                    tag.get_or_insert(Tree::tag(*n, inner));
                    t = inner;
                }
                _ => break,
            }
        }
        if matches!(t, Tree::Alias(_)) || matches!(t, Tree::Scalar(s) if s.starts_with('!')) {
            tag = None;
        }
        if matches!(t, Tree::Alias(_)) {
            anchor = None;
        }
        let mut p = String::new();
        if let Some(n) = anchor {
            p.push_str(&format!("&a{n} "));
        }
        if let Some(tag) = tag {
            p.push_str(tag);
            p.push(' ');
        }
        (p, t)
    }

    fn flow(&self) -> String {
        let (props, t) = self.props();
        let body = match t {
            Tree::Alias(n) => format!("*a{n}"),
            Tree::Seq(items) => format!("[{}]", items.iter().map(Tree::flow).collect::<Vec<_>>().join(", ")),
            Tree::Map(entries) => {
                let entries: Vec<String> = entries.iter().map(|(k, v)| format!("{}: {}", k.key(), v.flow())).collect();
                format!("{{{}}}", entries.join(", "))
            }
            Tree::Scalar(s) => s.to_string(),
            Tree::Anchored(..) | Tree::Tagged(..) => String::new(),
        };
        format!("{props}{body}")
    }

    /// Block style where the node is a collection (with its properties on the line before).
    fn block(&self, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        let (props, t) = self.props();
        if !props.is_empty() && t.is_collection() {
            out.push_str(&format!("{pad}{}\n", props.trim_end()));
        }
        match t {
            Tree::Seq(items) if !items.is_empty() => {
                for item in items {
                    if item.is_collection() {
                        out.push_str(&format!("{pad}-\n"));
                        item.block(indent + 2, out);
                    } else {
                        out.push_str(&format!("{pad}- {}\n", item.flow()));
                    }
                }
            }
            Tree::Map(entries) if !entries.is_empty() => {
                for (k, v) in entries {
                    let key = if k.is_collection() { format!("? {}\n{pad}", k.flow()) } else { k.key() };
                    if v.is_collection() {
                        out.push_str(&format!("{pad}{key}:\n"));
                        v.block(indent + 2, out);
                    } else {
                        out.push_str(&format!("{pad}{key}: {}\n", v.flow()));
                    }
                }
            }
            _ if t.is_collection() => out.push_str(&format!("{pad}{}\n", t.flow())),
            _ => out.push_str(&format!("{pad}{}\n", self.flow())),
        }
    }
}

/// Anchors as the parser sees them while reading in order: the latest definition of each name
/// and the definitions still open.
#[derive(Default)]
struct Anchors {
    latest: [Option<usize>; 3],
    open: Vec<usize>,
    count: usize,
}

impl Tree {
    /// Replaces aliases of anchors not defined yet, or still open, by a scalar.
    fn fix_aliases(&mut self, anchors: &mut Anchors) {
        let anchor = {
            let (props, _) = self.props();
            props.strip_prefix("&a").and_then(|p| p.chars().next()).and_then(|c| c.to_digit(10))
        };
        let mut t = &mut *self;
        while let Tree::Anchored(_, inner) | Tree::Tagged(_, inner) = t {
            t = inner;
        }
        if let Tree::Alias(n) = t {
            let ok = anchors.latest[usize::from(*n)].is_some_and(|id| !anchors.open.contains(&id));
            if !ok {
                *t = Tree::Scalar("~");
            }
            return;
        }
        if let Some(n) = anchor {
            anchors.count += 1;
            anchors.latest[n as usize] = Some(anchors.count);
            anchors.open.push(anchors.count);
        }
        match t {
            Tree::Seq(items) => items.iter_mut().for_each(|i| i.fix_aliases(anchors)),
            Tree::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.fix_aliases(anchors);
                v.fix_aliases(anchors);
            }),
            _ => {}
        }
        if anchor.is_some() {
            anchors.open.pop();
        }
    }
}

fn render(t: &Tree, block: bool) -> String {
    if block {
        let mut out = String::new();
        t.block(0, &mut out);
        out
    } else {
        format!("{}\n", t.flow())
    }
}

/// A rendered tree, half of the time after a mapping that defines the anchors it may use.
/// A rendered tree, half of the time after a mapping that defines the anchors it may use; one
/// time in ten with aliases of undefined or open anchors left in.
pub(super) fn rendered() -> impl Strategy<Value = String> {
    (prop::collection::vec(tree(), 3), tree(), any::<bool>(), any::<bool>(), 0..10).prop_map(
        |(defs, t, block, define, keep_bad)| {
            let mut t = if define {
                let mut entries: Vec<(Tree, Tree)> = defs
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| (Tree::Scalar(["d0", "d1", "d2"][i % 3]), Tree::Anchored(i as u8, Box::new(d))))
                    .collect();
                entries.push((Tree::Scalar("doc"), t));
                Tree::Map(entries)
            } else {
                t
            };
            if keep_bad != 0 {
                t.fix_aliases(&mut Anchors::default());
            }
            render(&t, block)
        },
    )
}
