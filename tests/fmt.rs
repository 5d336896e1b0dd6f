//! `lagom fmt`: the formatter changes layout only. On generated policies, with whitespace and
//! comments between any two tokens, and on the shipped pack: the result parses to the same tree
//! (spans aside), keeps every comment in order, and formatting it again changes nothing.

mod common;

use common::{lagom, path, root, stdout, temp_files};
use lagom::fmt::format_text;
use lagom::source::FileId;
use lagom::syntax::{comments, parse_file, spanless::without_spans};
use proptest::prelude::*;

/// Splits at spaces outside double quotes.
fn toks(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        match c {
            ' ' if !quoted => out.push(String::new()),
            c => {
                quoted ^= c == '"';
                out.last_mut().unwrap().push(c);
            }
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

fn atom() -> impl Strategy<Value = Vec<String>> {
    prop::sample::select(vec![
        "basis == consent",
        "audience.min_age >= 18",
        "rights.unsubscribe",
        "consent.source is not set",
        "audience.regions within eea",
        "channels overlaps [ email , sms , display ]",
        "purpose under marketing.newsletter",
        "owner == \"a_#_b\"",
        "retention <= 12\tmonths",
        "audience.subjects is empty",
        "labels.tier not in [ 1 , -2 , gold ]",
        "security.encryption contains at_rest",
        "basis in [ contract , legal_obligation , vital_interests , public_task , legitimate_interests ]",
    ])
    .prop_map(toks)
}

fn expr() -> impl Strategy<Value = Vec<String>> {
    atom().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 2..4), prop::sample::select(vec!["and", "or"]))
                .prop_map(|(parts, op)| parts.join(op)),
            inner.clone().prop_map(|e| [vec!["not".to_string(), "(".into()], e, vec![")".into()]].concat()),
            inner.clone().prop_map(|e| [vec!["(".to_string()], e, vec![")".into()]].concat()),
            inner.prop_map(|e| [toks("any processors ("), e, vec![")".into()]].concat()),
        ]
    })
}

const PATHS: [&str; 8] = [
    "contact",
    "contact.email",
    "behaviour.purchase_history",
    "device.advertising_id",
    "marketing.newsletter",
    "analytics.measurement",
    "location.precise",
    "identity.customer_id",
];

fn targets() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        1 => Just(vec!["*".to_string()]),
        4 => prop::collection::vec(prop::sample::select(PATHS.to_vec()), 1..7).prop_map(|v| v.into_iter().map(|p| vec![p.to_string()]).collect::<Vec<_>>().join(",")),
    ]
}

fn rule(i: usize) -> impl Strategy<Value = Vec<String>> {
    let effect = prop::sample::select(vec!["allow", "deny", "warn", "retain"]);
    (effect, targets(), targets(), prop::option::of((any::<bool>(), expr())), any::<bool>(), any::<bool>()).prop_map(
        move |(effect, cats, purps, cond, because, cite)| {
            let mut t = toks(&format!("rule r{i} {{ {effect}"));
            t.extend(cats);
            t.push("for".into());
            t.extend(purps);
            if effect == "retain" {
                t.extend(["at".into(), "most".into(), "24 months".into()]);
            }
            if let Some((unless, e)) = cond {
                t.push(if unless { "unless" } else { "when" }.into());
                t.extend(e);
            }
            if because {
                t.extend(["because".into(), "\"Because #1: \\\"quoted\\\"\nand a second line\"".into()]);
            }
            if cite {
                t.extend(["cite".into(), "\"GDPR Art. 6(1)\"".into()]);
            }
            t.push("}".into());
            t
        },
    )
}

trait JoinWith {
    fn join(self, sep: &str) -> Vec<String>;
}

impl JoinWith for Vec<Vec<String>> {
    fn join(self, sep: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, part) in self.into_iter().enumerate() {
            if i > 0 {
                out.push(sep.to_string());
            }
            out.extend(part);
        }
        out
    }
}

fn declarations() -> impl Strategy<Value = Vec<String>> {
    (prop::collection::vec(prop::sample::select(vec!["SE", "DK", "FI", "DE", "\"NO\"", "FR"]), 0..40)).prop_map(
        |members| {
            let mut t = toks("policy \"Demo # policy\" version \"1\" basis consent \"Consent (Art. 6(1)(a))\" , contract channel email , sms");
            t.extend(toks("set eea = ["));
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    t.push(",".into());
                }
                t.push((*m).into());
            }
            t.push("]".into());
            t.extend(toks("category contact \"Contact\" { category email category phone under special { } } category special { category health }"));
            t.extend(toks("purpose marketing { purpose newsletter } purpose analytics.measurement under marketing"));
            t
        },
    )
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => Just("\n\n\t ".to_string()),
        1 => "[a-z #\"]{0,6}".prop_map(|t| format!(" #{t}\n")),
        1 => "[a-z ]{0,6}".prop_map(|t| format!("\n\n# {t}\n")),
    ]
}

fn policy() -> impl Strategy<Value = String> {
    (declarations(), prop::collection::vec(any::<prop::sample::Index>(), 1..5))
        .prop_flat_map(|(decls, rules)| {
            let rules: Vec<_> = (0..rules.len()).map(rule).collect();
            (Just(decls), rules)
        })
        .prop_flat_map(|(decls, rules)| {
            let tokens: Vec<String> = decls.into_iter().chain(rules.into_iter().flatten()).collect();
            let n = tokens.len();
            (Just(tokens), prop::collection::vec(separator(), n))
        })
        .prop_map(|(tokens, seps)| tokens.iter().zip(seps).map(|(t, s)| format!("{t}{s}")).collect())
}

fn comment_texts(text: &str) -> Vec<String> {
    comments::scan(text).into_iter().map(|c| c.text).collect()
}

/// The three properties of a formatter, for one text.
fn assert_layout_only(text: &str) -> String {
    let before = parse_file(FileId(0), text).unwrap_or_else(|e| panic!("generated text does not parse: {e:?}\n{text}"));
    let out = format_text(FileId(0), text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let after = parse_file(FileId(0), &out).unwrap_or_else(|e| panic!("{e:?}\n{out}"));
    assert_eq!(without_spans(&after), without_spans(&before), "meaning changed:\n{text}\n---\n{out}");
    assert_eq!(comment_texts(&out), comment_texts(text), "comments changed:\n{text}\n---\n{out}");
    assert_eq!(format_text(FileId(0), &out).unwrap(), out, "not idempotent:\n{text}\n---\n{out}");
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn formatting_changes_layout_only(text in policy()) {
        assert_layout_only(&text);
    }
}

fn pack_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("policies/gdpr-marketing"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "policy"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_pack_is_formatted_and_formatting_it_changes_nothing() {
    for file in pack_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let out = assert_layout_only(&text);
        assert_eq!(out, text, "{} is not formatted: run `lagom fmt policies/`", file.display());
    }
    lagom().args(["fmt", "--check", "policies"]).assert().code(0);
}

#[test]
fn check_lists_unformatted_files_and_changes_nothing() {
    let messy = "rule r {allow a for b}\n";
    let d = temp_files(&[("p/a.policy", messy), ("p/b.policy", "rule r {\n  allow a for b\n}\n"), ("p/c.txt", "x")]);
    let out = lagom().args(["fmt", "--check", &path(&d.path().join("p"))]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("{}\n", path(&d.path().join("p/a.policy"))));
    assert_eq!(std::fs::read_to_string(d.path().join("p/a.policy")).unwrap(), messy);
}

#[test]
fn without_check_files_are_rewritten_in_place() {
    let d = temp_files(&[("a.policy", "# keep me\nrule r {allow a for b} # and me\n")]);
    let file = path(&d.path().join("a.policy"));
    lagom().args(["fmt", &file]).assert().code(0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text, "# keep me\nrule r {\n  allow a for b\n} # and me\n");
    lagom().args(["fmt", "--check", &file]).assert().code(0);
}

#[test]
fn standard_input_goes_to_standard_output() {
    let out = lagom().args(["fmt", "-"]).write_stdin("basis a,b").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "basis a, b\n");
}

#[test]
fn syntax_errors_are_located_and_the_file_is_left_alone() {
    let d = temp_files(&[("bad.policy", "rule r { allow a fo b }\n"), ("good.policy", "basis a,b\n")]);
    let out = lagom().args(["fmt", &path(d.path())]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.policy:1:18"), "{err}");
    assert_eq!(std::fs::read_to_string(d.path().join("bad.policy")).unwrap(), "rule r { allow a fo b }\n");
    assert_eq!(std::fs::read_to_string(d.path().join("good.policy")).unwrap(), "basis a, b\n");
}

/// The formatted text goes back to the file that was read, not to a file named like the
/// escaped name shown for it.
#[cfg(unix)]
#[test]
fn a_file_whose_name_is_not_utf8_is_rewritten_in_place() {
    use std::os::unix::ffi::OsStrExt;
    let d = temp_files(&[]);
    let file = d.path().join(std::ffi::OsStr::from_bytes(b"a\xfe.policy"));
    std::fs::write(&file, "basis a,b\n").unwrap();
    let out = lagom().arg("fmt").arg(d.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("a\\xfe.policy"), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "basis a, b\n");
    let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// A policy file that is not UTF-8 is located at its first bad byte, as `validate` locates it,
/// and left alone.
#[test]
fn a_file_that_is_not_utf8_is_located_at_the_bad_byte() {
    let d = temp_files(&[]);
    let file = d.path().join("p.policy");
    std::fs::write(&file, b"basis consent\n# caf\xe9\n").unwrap();
    let out = lagom().arg("fmt").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("p.policy:2:6") && err.contains("invalid byte here"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"basis consent\n# caf\xe9\n");
}

#[test]
fn fmt_needs_a_path() {
    lagom().arg("fmt").assert().code(2);
}
