//! The event-based loader against the serde-saphyr one it replaced (`oracle.rs`): the same
//! tree (values and spans) for every input, or the same problem (code, message, place, help).

mod generate;
mod plain;

use std::path::Path;

use proptest::prelude::*;

use super::*;
use generate::{document, mapping_document, rendered};

/// Both loaders' results; the place a duplicate key was first written, which only the new
/// loader reports, is checked by `a_duplicate_key_points_at_its_first_place` instead.
fn load(text: &str) -> (Result<Node, Problem>, Result<Node, Problem>) {
    let source = SourceFile::new("c.yaml", text);
    let new = parse(FileId(0), &source, Document::Campaign).map_err(|mut p| {
        p.related.retain(|r| r.label != error::FIRST_WRITTEN);
        p
    });
    (new, oracle::parse(FileId(0), &source))
}

#[test]
fn a_duplicate_key_points_at_its_first_place() {
    let source = SourceFile::new("c.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n");
    let Err(p) = parse(FileId(0), &source, Document::Campaign) else { panic!("a duplicate key was accepted") };
    let first: Vec<(usize, &str)> = p
        .related
        .iter()
        .filter_map(|r| match r.place {
            crate::diagnostic::Place::Span(s) => Some((s.start, r.label.as_str())),
            crate::diagnostic::Place::File(_) => None,
        })
        .collect();
    // `c` of `  c: 2` starts at byte 10.
    assert_eq!(first, [(10, error::FIRST_WRITTEN)]);
}

/// Debug text compares floats exactly (`-0.0` is not `0.0`).
fn same(text: &str) -> Result<(), String> {
    let (new, old) = load(text);
    let (new, old) = (format!("{new:?}"), format!("{old:?}"));
    if new == old {
        Ok(())
    } else {
        Err(format!("input {text:?}\n new: {new}\n old: {old}"))
    }
}

fn assert_all_same<'t>(texts: impl IntoIterator<Item = &'t str>) -> usize {
    let mut count = 0;
    let failures: Vec<String> = texts.into_iter().inspect(|_| count += 1).filter_map(|t| same(t).err()).collect();
    assert!(failures.is_empty(), "{} of {count} differ:\n{}", failures.len(), failures.join("\n"));
    count
}

fn yaml_files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        }
    }
}

#[test]
fn files_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    yaml_files(&root.join("examples"), &mut texts);
    yaml_files(&root.join("tests/cases"), &mut texts);
    for policy in std::fs::read_dir(root.join("policies")).unwrap().flatten() {
        yaml_files(&policy.path().join("tests"), &mut texts);
    }
    let n = assert_all_same(texts.iter().map(String::as_str));
    assert!(n > 100, "only {n} files");
}

#[test]
fn generated_campaigns() {
    let mut texts = Vec::new();
    for (rules, seed) in [(100, 1), (1_000, 2), (10, 3)] {
        let corpus = crate::synth::Corpus::new(rules, seed);
        texts.extend((0..120).map(|i| corpus.campaign(i)));
    }
    assert_all_same(texts.iter().map(String::as_str));
}

/// Documents that exercise every rule: scalar forms, tags, collections, anchors and merges,
/// document markers, duplicates, budgets and syntax errors.
const TRICKY: &[&str] = &[
    // Scalars: null, booleans, integers, floats, strings.
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\ng: \"\"\nh: ''\n",
    "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: yes\nh: no\ni: on\nj: off\nk: tRUE\nl: y\n",
    "a: 0\nb: -0\nc: +0\nd: 00\ne: 007\nf: -007\ng: +007\nh: 0x1F\ni: -0x1F\nj: +0x1f\nk: 0X1F\nl: 0o17\nm: 0O17\nn: 0b101\no: 0B101\n",
    "a: 1_000\nb: 1__0\nc: _1\nd: 1_\ne: 0x_1\nf: 0x\ng: 0o8\nh: 0b2\ni: 0xG\nj: 12:30\nk: 1,000\n",
    "a: 9223372036854775807\nb: 9223372036854775808\nc: 18446744073709551615\nd: 18446744073709551616\n",
    "a: -9223372036854775808\nb: -9223372036854775809\nc: 340282366920938463463374607431768211456\nd: 0xFFFFFFFFFFFFFFFF\ne: 0x10000000000000000\nf: -0x8000000000000000\n",
    "a: 1.5\nb: -1.5\nc: +1.5\nd: .5\ne: 5.\nf: 1e3\ng: 1E3\nh: 1e-3\ni: 1.0e+3\nj: 1e-999\nk: -0.0\nl: 0.0\nm: 1_0.5\nn: .\no: -.\np: e5\n",
    "a: 1e999\n",
    "a: -1e999\n",
    "a: .inf\n",
    "a: -.Inf\n",
    "a: +.INF\n",
    "a: .nan\n",
    "a: .NaN\n",
    "a: [-.nan, +.nan, inf, -inf, nan, NaN, infinity, .infinity]\n",
    "a: 3.14159265358979323846264338327950288419716939937510\nb: 1.7976931348623157e308\nc: 2.2250738585072014e-308\nd: 4.9e-324\n",
    "a: \"123\"\nb: '123'\nc: \"true\"\nd: 'null'\ne: \"~\"\nf: \"1.5\"\ng: \"\\x41\\u00e5\\n\"\nh: 'it''s'\n",
    "a: hello world\nb: multi\n  line\n  plain\nc: \"multi\n  line\n  double\"\nd: 'multi\n\n  single'\n",
    "a: |\n  literal\n  text\n\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: |+\n  keep\n\ne: >2\n   indented\n",
    "a: |\n  x\nb: >-\n\n  y\n",
    // Tags.
    "a: !!str 123\nb: !!str true\nc: !!str\nd: !!str ~\ne: !!int \"42\"\nf: !!int -7\ng: !!float 1\nh: !!float \"2.5\"\ni: !!bool \"true\"\nj: !!null x\nk: !!null\n",
    "a: !!int 0x1F\nb: !!int \" 5 \"\nc: !!int +5\nd: !!int 18446744073709551615\ne: !!int -9223372036854775808\n",
    "a: !!int x\n",
    "a: !!int 1.5\n",
    "a: !!int -9223372036854775809\n",
    "a: !!int 18446744073709551616\n",
    "a: !!int 007\n",
    "a: !!bool yes\n",
    "a: !!float x\n",
    "a: !!float .nan\n",
    "a: !!float -.nan\n",
    "a: !!float 1e999\n",
    "a: ! 123\nb: ! true\nc: !\nd: !foo 5\ne: !foo ~\nf: !foo\ng: !foo true\nh: !foo \"q\"\n",
    "a: !int 5\nb: !str 5\nc: !null x\nd: !bool true\ne: !float 2\n",
    "a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=\nc: !binary aGk=\nd: !!binary \"\"\n",
    "a: !!binary aGVsbG8\n",
    "a: !!binary //79\n",
    "a: !!binary a===\n",
    "a: !!binary aG=v\n",
    "a: !!timestamp 2001-12-14\n",
    "a: !time 5\n",
    "a: !degrees 5\n",
    "a: !!merge x\nb: !!value y\nc: !include f.yaml\nd: !include#a x\n",
    "a: !!str [x]\n",
    "a: !!seq x\n",
    "a: !!map [x]\n",
    "a: !!seq {x: 1}\n",
    "a: !!int [1]\n",
    "a: !include [x]\n",
    "a: !!merge {x: 1}\n",
    "a: !!seq [x]\nb: !!map {x: 1}\nc: !foo [x]\nd: !foo {x: 1}\ne: !map {x: 1}\n",
    "a: !<tag:yaml.org,2002:int> 5\nb: !<tag:example.com,2000:x> y\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\nb: !e!foo x\n",
    "%TAG !m! tag:yaml.org,2002:i\n---\na: !m!nt 5\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n---\na: yes\n",
    // Collections, flow and block, and keys that are not text.
    "a: [1, [2, [3]], {b: c}]\nd: {e: [f, g], h: {i: j}}\nk: []\nl: {}\n",
    "- a\n- - b\n  - c\n- d: e\n  f: g\n-\n- ~\n",
    "a:\n- 1\n- 2\nb:\n  - 3\n",
    "1: a\n2: b\n-3: c\n0x10: d\n1.5: e\ntrue: f\n~: g\n\"1\": h\n",
    "? [a, b]\n: c\n? {d: e}\n: f\n? - g\n  - h\n: i\n",
    "? a\n? b\nc:\n",
    "{a: 1, b, c: }\n",
    "[a, b: c, {d: e}: f]\n",
    "[?: x]\n",
    "{? a : b}\n",
    "a: {x: [1, {y: [2, {z: 3}]}]}\n",
    // Duplicate keys.
    "a: 1\na: 2\n",
    "1: a\n0x1: b\n",
    "1: a\n+1: b\n",
    "-1: a\n-0x1: b\n",
    "0: a\n-0: b\n",
    "1: a\n\"1\": b\n",
    "true: a\n\"true\": b\n",
    "true: a\n!!bool true: b\n",
    "~: a\nnull: b\n",
    "~: a\n~: b\n",
    ": a\n: b\n",
    "\"\": a\n: b\n",
    "!!str 1: a\n\"1\": b\n",
    "!!int 1: a\n1: b\n",
    "!foo a: 1\na: 2\n",
    "!foo a: 1\n!foo a: 2\n",
    "[a, b]: 1\n[a, b]: 2\n",
    "{a: 1, b: 2}: x\n{b: 2, a: 1}: y\n",
    "{a: 1}: x\n!!map {a: 1}: y\n",
    "{a: 1}: x\n!map {a: 1}: y\n",
    "a: {x: 1, x: 2}\n",
    "a:\n  b: 1\n  c: 2\n  b: 3\n",
    "documents: 1\ndocuments: 2\n",
    "\"a\\tb\": 1\n\"a\\tb\": 2\n",
    "\"a at line b\": 1\n\"a at line b\": 2\n",
    "1: a\n2: b\n3: c\n4: d\n5: e\n6: f\n7: g\n8: h\n9: i\n10: j\n11: k\n12: l\n13: m\n14: n\n15: o\n16: p\n17: q\n18: r\n0x11: s\n",
    // Anchors, aliases and merge keys.
    "a: &x 1\nb: *x\nc: &y [1, 2]\nd: *y\ne: &z {k: v}\nf: *z\n",
    "- &a [1, {b: &c 2}]\n- *a\n- *c\n- [*a, *c]\n",
    "a: &x 1\na2: &x 2\nb: *x\n",
    "&k key: v\n*k : w\n",
    "a: &k key\n*k : v\nkey: w\n",
    "a: *nope\n",
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    "a: &a {*a: 1}\n",
    "a: &a {[*a, x]: 1}\n",
    "a: &a {<<: *a}\n",
    "a: &a {<<: [*a]}\n",
    "a: &a {<<: {k: *a}}\n",
    "a: &a {<<: {k: *a}, k: 1}\n",
    "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
    "base: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n",
    "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm: {<<: [*a, *b], z: 3}\n",
    "m: {<<: {x: 1}, z: 2}\n",
    "m: {<<: [{x: 1}, {x: 2, w: 3}], z: 2}\n",
    "m: {<<: [[{x: 1}], {y: 2}]}\n",
    "m: {<<: ~}\nn: {<<: }\no: {<<: !!null x}\n",
    "m: {<<: [~, {x: 1}]}\n",
    "m: {<<: 1}\n",
    "m: {<<: \"\"}\n",
    "m: {<<: [1]}\n",
    "m: {<<: [[1]]}\n",
    "m: {<<: {x: 1, x: 2}}\n",
    "m: {<<: {x: 1}, <<: {x: 2, y: 3}}\n",
    "m: {\"<<\": {x: 1}}\n",
    "m: {!!merge <<: {x: 1}}\n",
    "m: {!!str <<: {x: 1}}\n",
    "m: {<<: {<<: {x: 1}, y: 2}}\n",
    "a: &a {p: 1}\nb: &b {<<: *a, q: 2}\nc: {<<: *b}\n",
    "m: {<<: {x: !!int q}, y: 1}\n",
    "m: {<<: {x: !!int q}, x: 1}\n",
    "m: {<<: {x: !!int q}, y: !!bool q}\n",
    "m: {<<: {[a]: 1}, [a]: 2}\n",
    "m: {<<: {k: [1, {z: *u}]}}\nu: 1\n",
    "a: &u 1\nm: {<<: {k: [1, {z: *u}]}}\n",
    "a: &x {k: 1}\nm: {<<: {j: *x}}\n",
    "a: &x [{k: 1}]\nm: {<<: *x}\n",
    "a: &s str\nm: {<<: *s}\n",
    "a: &n ~\nm: {<<: *n}\n",
    "a: &x {k: !!int 5}\nm: {<<: *x, j: *x}\n",
    "a: &m <<\nb: {*m : {x: 1}}\n",
    "a: &q {x: {y: 1}}\nb: [*q, *q]\n",
    // Document markers, BOM, line endings, tabs, unicode, comments.
    "---\na: 1\n",
    "---\na: 1\n...\n",
    "a: 1\n...\n",
    "a: 1\n...\n# trailing\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\n",
    "---\n---\na: 1\n",
    "---\n",
    "...\n",
    "--- 5\n",
    "--- |\n  text\n",
    "\u{feff}a: 1\n",
    "\u{feff}",
    "\u{feff}# only a comment\n",
    "a: 1\r\nb: [x,\r\n  y]\r\nc: |\r\n  l1\r\n  l2\r\n",
    "a: 1\rb: 2\n",
    "a:\t1\nb: [\t1]\n",
    "a:\n\t- 1\n",
    "\ta: 1\n",
    "å: ö\nключ: значение\n日本: 語\nemoji: \"\u{1F600}\"\n\"\\U0001F600\": x\n",
    "a: 1 # comment\n# full line\nb: [1, # c\n  2]\n",
    "# head\na: 1\n",
    "plain scalar root\n",
    "\"quoted root\"\n",
    "- just\n- a list\n",
    "[]\n",
    "{}\n",
    "~\n",
    "!!str\n",
    "&a b\n",
    // Syntax errors.
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: ]\n",
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "- a\nb: c\n",
    "a: 'unterminated\n",
    "a: \"bad \\q escape\"\n",
    "a: &\n",
    "a: *\n",
    "a: @b\n",
    "a: `b\n",
    "%FOO bar\n---\na: 1\n",
    "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
    "a: |\n text\n  more\n",
    "{a: 1}}\n",
    "[a] b\n",
    "a: 1\n]\n",
    "a: 1\n...\n]\n",
    "a: 1\n---\n]\n",
    "key with a very long plain scalar that goes on and on: 1\n",
    "<<: \n \ttrue\n",
    "<<: \r \ttrue\n",
    "a: \r \ttrue\n",
    "a: \n \ttrue\n",
];

#[test]
fn tricky_documents() {
    assert_all_same(TRICKY.iter().copied());
}

fn long_key() -> String {
    format!("{}: 1\n", "k".repeat(2000))
}

fn deep(n: usize) -> String {
    format!("a: {}{}\n", "[".repeat(n), "]".repeat(n))
}

fn deep_block(n: usize) -> String {
    let mut s = String::from("top:\n");
    for i in 0..n {
        s.push_str(&format!("{}k{i}:\n", "  ".repeat(i + 1)));
    }
    s
}

fn bomb(width: usize, levels: usize) -> String {
    let mut s = format!("a0: &a0 [{}]\n", vec!["x"; width].join(", "));
    for i in 1..levels {
        s.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); width].join(", ")));
    }
    s
}

fn many(n: usize, item: &str) -> String {
    format!("a: [{}]\n", vec![item; n].join(", "))
}

#[test]
fn budgets() {
    let mut texts = vec![
        long_key(),
        deep(31),
        deep(32),
        deep(33),
        deep(10_000),
        deep_block(30),
        deep_block(31),
        deep_block(200),
        bomb(10, 3),
        bomb(10, 5),
        bomb(10, 12),
        bomb(2, 20),
        many(99_990, "x"),
        many(100_001, "x"),
        many(50_000, "{}"),
        format!("a: &a [{}]\nb: [{}]\n", vec!["x"; 100].join(", "), vec!["*a"; 99].join(", ")),
        format!("a: &a x\nb: [{}]\n", vec!["*a"; 99].join(", ")),
        format!("a: &a x\nb: [{}]\n", vec!["*a"; 100].join(", ")),
        format!("a: &a x\nb: &b y\nc: [{}]\n", vec!["*a"; 1001].join(", ")),
        format!("a: [{}]\n", (0..50_001).map(|i| format!("&a{i} x")).collect::<Vec<_>>().join(", ")),
        format!("a: {{{}}}\n", (0..10_001).map(|i| format!("<<: {{k{i}: 1}}")).collect::<Vec<_>>().join(", ")),
        format!("a: &a [{}]\nb: [*a, *a, *a]\nc: {}\n", vec!["x"; 3000].join(", "), deep(31).trim_start_matches("a: ")),
        format!("a: &a {}\nb: {}*a{}\n", deep(20).trim_start_matches("a: ").trim(), "[".repeat(20), "]".repeat(20)),
        format!("a: &a {}\nb: {}*a{}\n", deep(10).trim_start_matches("a: ").trim(), "[".repeat(10), "]".repeat(10)),
        format!("a: &a \"{}\"\nb: [{}]\n", "\\x41".repeat(1 << 20), vec!["*a"; 70].join(", ")),
        format!("a: &a {{k: &b \"{}\"}}\n", "\\x41".repeat(1 << 20)),
    ];
    // Nested anchors: every event is copied into each open recording.
    let mut nested = String::new();
    for i in 0..30 {
        nested.push_str(&format!("&n{i} ["));
    }
    nested.push_str(&vec!["x"; 40_000].join(", "));
    nested.push_str(&"]".repeat(30));
    texts.push(format!("a: {nested}\n"));
    // Owned text (a folded quoted scalar) copied into each open recording.
    let mut nested = String::new();
    for i in 0..30 {
        nested.push_str(&format!("{}- &n{i}\n", "  ".repeat(i)));
    }
    nested.push_str(&format!("{}- \"{}\n  y\"\n", "  ".repeat(30), "x".repeat(2_500_000)));
    texts.push(nested);
    // The replay budget reached exactly at the first event of an alias's copy (100 events a
    // copy), as a value, as a key and as a merge value; and inside a copy.
    let hundred = format!("a: &a [{}]\n", vec!["x"; 98].join(", "));
    texts.push(format!("{hundred}b: [{}]\n", vec!["*a"; 101].join(", ")));
    texts.push(format!("{hundred}b: [{}]\nc: {{*a : 1}}\n", vec!["*a"; 100].join(", ")));
    texts.push(format!("{hundred}b: [{}]\nc: {{<<: *a}}\n", vec!["*a"; 100].join(", ")));
    texts.push(format!("{hundred}b: [{}]\nc: [[*a]]\n", vec!["*a"; 100].join(", ")));
    texts.push(format!("{hundred}b: [{}]\nc: {{k: [*a]}}\n", vec!["*a"; 99].join(", ")));
    // The node budget reached inside an alias's copy.
    texts.push(format!("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [{}]\nc: [*a]\n", vec!["x"; 99_985].join(", ")));
    texts.push(format!("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [{}]\nc: [*a]\n", vec!["x"; 99_975].join(", ")));
    assert_all_same(texts.iter().map(String::as_str));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_load_the_same(text in document()) {
        prop_assert!(same(&text).is_ok(), "{}", same(&text).unwrap_err());
    }

    #[test]
    fn random_trees_load_the_same(text in rendered()) {
        prop_assert!(same(&text).is_ok(), "{}", same(&text).unwrap_err());
    }

    #[test]
    fn random_mappings_load_the_same(text in mapping_document()) {
        prop_assert!(same(&text).is_ok(), "{}", same(&text).unwrap_err());
    }

    #[test]
    fn campaign_shaped_documents_load_the_same(text in plain::campaign_like()) {
        prop_assert!(same(&text).is_ok(), "{}", same(&text).unwrap_err());
    }

    /// Generated campaigns with a few bytes cut out or put in: the edges of the fast path's
    /// subset (indentation, comments, quotes, keys) met in every place of a real file.
    #[test]
    fn edited_campaigns_load_the_same(
        index in 0usize..40,
        edits in prop::collection::vec((0.0f64..1.0, 0usize..3, prop::sample::select(EDIT_TEXTS)), 1..4),
    ) {
        let mut text = crate::synth::Corpus::new(100, 5).campaign(index);
        for (at, kind, insert) in edits {
            let mut at = (at * text.len() as f64) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match kind {
                0 => text.insert_str(at, insert),
                1 => drop(text.drain(at..(at + 2).min(text.len()))),
                _ => {
                    let piece = text.get(at..(at + 8).min(text.len())).unwrap_or("").replace('\n', "");
                    text.insert_str(at, &piece);
                }
            }
        }
        prop_assert!(same(&text).is_ok(), "{}", same(&text).unwrap_err());
    }
}

/// What `edited_campaigns_load_the_same` puts into a campaign.
const EDIT_TEXTS: &[&str] = &[
    " ", "  ", "\n", "\n  ", "- ", ":", ": ", " #", "#", "'", "\"", "[", "]", ",", "&a ", "*a", "!", "\t", "x",
    "k: v\n",
];

/// The property tests only test the fast path on what it takes: a good part of the
/// campaign-shaped documents that load at all (one in two or three holds a spelling it leaves
/// to the full parser), so that `campaign_shaped_documents_load_the_same` holds hundreds of
/// them to the reference loader.
#[test]
fn the_fast_path_takes_most_campaign_shaped_documents() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = plain::campaign_like();
    let (mut loaded, mut fast) = (0, 0);
    for _ in 0..2000 {
        let text = strategy.new_tree(&mut runner).unwrap_or_else(|e| panic!("{e}")).current();
        let source = SourceFile::new("c.yaml", text.as_str());
        if build::document(FileId(0), &source).is_ok() {
            loaded += 1;
            fast += usize::from(fast::parse(FileId(0), &source).is_some());
        }
    }
    assert!(loaded > 400 && fast * 3 > loaded, "{fast} of {loaded} loadable documents taken by the fast path");
}
