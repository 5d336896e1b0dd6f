//! The command outputs that the documentation shows are what `lagom` prints.
//!
//! Each checked excerpt in [`DOCS`] is a fenced block right after an HTML comment that says how
//! to reproduce it, so that adding a checked excerpt is editing the document, not this test:
//!
//! ```text
//! <!-- excerpt: lagom check --format github examples/campaigns -->
//! <!-- excerpt exit=2 in-order: lagom check --format github examples/campaigns -->
//! ```
//!
//! The command is run with [`common::lagom`] (the built `lagom`, `NO_COLOR` set, its output
//! width is fixed) from the repository's root, or, with the option `scratch`, from the
//! document's scratch folder (below). It is split at spaces (no quotes, no globs); a last
//! `< FILE` gives it FILE on standard input. Options, between `excerpt` and the colon:
//!
//! * `exit=N`: the exit code expected; without it, 0.
//! * `stderr`: compare standard error instead of standard output; `stderr+stdout`: standard
//!   error followed by standard output (as a terminal shows `lagom validate`, which writes its
//!   diagnostics to standard error and its summary line to standard output).
//! * `in-order`: the excerpt's lines appear in the output in that order, with any other lines
//!   between them (the mode for an excerpt that picks a few lines out of a long output).
//!   Without it (the `exact` mode), the excerpt is the whole output, line for line.
//! * `scratch`: run in the scratch folder.
//!
//! In both modes, and nowhere else, `…` is an elision: a line that holds only `…` (and
//! indentation) stands for any number of lines of output, and a `…` inside a line for any text
//! in it. The only other normalisation is that trailing white space on each line and blank
//! lines at the end are dropped, on both sides. Nothing else varies between machines: the
//! commands name relative paths, and the built-in pack is in the binary.
//!
//! A marker is for the fenced block that starts on one of the three lines after it (so that it
//! may stand above the block's caption). In a ```` ```console ```` block the first line is `$ `
//! and the command, which must be the marker's command; the rest is the output. Any other block
//! is all output.
//!
//! Each document has a scratch folder, filled in document order by:
//!
//! * `<!-- excerpt-file: PATH -->` before a fenced block: the block is written to PATH;
//! * `<!-- excerpt-file: PATH from SRC -->`: the repository's file or folder SRC is copied to
//!   PATH;
//! * ``<!-- excerpt-edit: PATH from SRC: `OLD` → `NEW` -->``: the scratch file SRC, with its
//!   one occurrence of OLD replaced by NEW, is written to PATH (`from SRC` left out: PATH is
//!   edited in place).
//!
//! The excerpts checked today, and their modes (the markers in the documents are the authority;
//! a failure names the document and line of its marker):
//!
//! * exact, whole output: README.md's short example (`check --policy newsletter.policy
//!   spring.yaml`), `fmt --check newsletter.policy`, `fmt - < newsletter.policy`, `test
//!   --coverage tests`, `diff --old newsletter.policy --new new.policy campaigns`, and the pack
//!   README's `diff --old pack-before/ --new your-pack/ examples/campaigns/` (digests elided);
//! * exact with elided lines: README.md's human excerpt of example 12, the JSON, SARIF and JUnit
//!   excerpts of `check examples/campaigns`, `explain … --category identity`, and `validate
//!   --policy newsletter.policy` (standard error, then standard output);
//! * in-order: the GitHub excerpt of `check examples/campaigns`, and `test --coverage
//!   policies/gdpr-marketing/tests` (its last lines).

mod common;

use std::path::{Path, PathBuf};

use common::{lagom, root};

/// The documents whose excerpts are checked.
const DOCS: &[&str] = &["README.md", "policies/gdpr-marketing/README.md", "SECURITY.md"];

const ELISION: &str = "…";

#[derive(Debug, Default, PartialEq)]
struct Options {
    exit: i32,
    in_order: bool,
    stream: Stream,
    scratch: bool,
}

#[derive(Debug, Default, PartialEq, Clone, Copy)]
enum Stream {
    #[default]
    Stdout,
    Stderr,
    StderrThenStdout,
}

/// One checked excerpt: where it is, how to run it, what it shows.
#[derive(Debug)]
struct Excerpt {
    line: usize,
    command: String,
    options: Options,
    expected: String,
}

/// What the document asks for, in its order.
#[derive(Debug)]
enum Step {
    Write { path: String, text: String },
    Copy { path: String, from: String },
    Edit { path: String, from: String, old: String, new: String },
    Check(Excerpt),
}

/// The fenced block that a marker at `lines[at - 1]` is for: its info string and its text. It
/// starts on one of the next three lines (a marker may stand above a block's caption, such as
/// "`spring.yaml`:").
fn fence(doc: &str, lines: &[&str], at: usize) -> (String, String) {
    let Some(at) = (at..at + 3).find(|&i| lines.get(i).is_some_and(|l| l.starts_with("```"))) else {
        panic!("{doc}:{at}: a marker must be followed by a fenced block within three lines")
    };
    let info = &lines[at][3..];
    let body: Vec<&str> = lines[at + 1..].iter().take_while(|l| !l.starts_with("```")).copied().collect();
    assert!(at + 1 + body.len() < lines.len(), "{doc}:{}: the block is not closed", at + 1);
    (info.trim().to_string(), body.join("\n"))
}

/// The text between backticks at the start of `s`, and the rest.
fn backticked<'a>(doc: &str, line: usize, s: &'a str) -> (&'a str, &'a str) {
    let s = s.trim_start();
    let inner = s.strip_prefix('`').unwrap_or_else(|| panic!("{doc}:{line}: expected `…` in {s:?}"));
    let end = inner.find('`').unwrap_or_else(|| panic!("{doc}:{line}: unclosed ` in {s:?}"));
    (&inner[..end], &inner[end + 1..])
}

fn parse_options(doc: &str, line: usize, words: &str) -> Options {
    let mut o = Options::default();
    for w in words.split_whitespace() {
        match w {
            "in-order" => o.in_order = true,
            "scratch" => o.scratch = true,
            "stderr" => o.stream = Stream::Stderr,
            "stderr+stdout" => o.stream = Stream::StderrThenStdout,
            _ => match w.strip_prefix("exit=").and_then(|n| n.parse().ok()) {
                Some(n) => o.exit = n,
                None => panic!("{doc}:{line}: unknown excerpt option {w:?}"),
            },
        }
    }
    o
}

/// The steps of a document, from its markers.
fn steps(doc: &str, text: &str) -> Vec<Step> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = i + 1;
        let Some(inner) = raw.trim().strip_prefix("<!--").and_then(|s| s.strip_suffix("-->")) else { continue };
        let inner = inner.trim();
        if let Some(rest) = inner.strip_prefix("excerpt-file:") {
            let rest = rest.trim();
            match rest.split_once(" from ") {
                Some((path, from)) => out.push(Step::Copy { path: path.trim().into(), from: from.trim().into() }),
                None => {
                    let (_, body) = fence(doc, &lines, i + 1);
                    out.push(Step::Write { path: rest.into(), text: format!("{body}\n") });
                }
            }
        } else if let Some(rest) = inner.strip_prefix("excerpt-edit:") {
            let (target, change) = rest
                .split_once(':')
                .unwrap_or_else(|| panic!("{doc}:{line}: excerpt-edit needs `PATH: `OLD` → `NEW``"));
            let (path, from) = match target.split_once(" from ") {
                Some((p, f)) => (p.trim(), f.trim()),
                None => (target.trim(), target.trim()),
            };
            let (old, after) = backticked(doc, line, change);
            let after = after.trim_start().strip_prefix('→').unwrap_or_else(|| panic!("{doc}:{line}: expected →"));
            let (new, tail) = backticked(doc, line, after);
            assert!(tail.trim().is_empty(), "{doc}:{line}: text after the edit: {tail:?}");
            out.push(Step::Edit { path: path.into(), from: from.into(), old: old.into(), new: new.into() });
        } else if let Some(rest) = inner.strip_prefix("excerpt") {
            let (head, command) =
                rest.split_once(':').unwrap_or_else(|| panic!("{doc}:{line}: an excerpt marker needs `: COMMAND`"));
            let options = parse_options(doc, line, head);
            let command = command.trim().to_string();
            let (info, body) = fence(doc, &lines, i + 1);
            let expected = if info == "console" {
                let (first, rest) = body.split_once('\n').unwrap_or((&body, ""));
                assert_eq!(
                    first.strip_prefix("$ "),
                    Some(command.as_str()),
                    "{doc}:{line}: the console block shows another command than its marker runs"
                );
                rest.to_string()
            } else {
                body
            };
            out.push(Step::Check(Excerpt { line, command, options, expected }));
        }
    }
    out
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    }
}

/// Whether one output line is what one excerpt line shows (`…` is any text).
fn line_matches(shown: &str, real: &str) -> bool {
    let pieces: Vec<&str> = shown.split(ELISION).collect();
    let (first, rest) = pieces.split_first().unwrap();
    let Some(mut left) = real.strip_prefix(first) else { return false };
    let Some((last, middle)) = rest.split_last() else { return left.is_empty() };
    for piece in middle {
        match left.find(piece) {
            Some(at) => left = &left[at + piece.len()..],
            None => return false,
        }
    }
    left.len() >= last.len() && left.ends_with(last)
}

fn is_gap(shown: &str) -> bool {
    shown.trim() == ELISION
}

/// Trailing white space and blank lines at the end dropped.
fn lines_of(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.lines().map(str::trim_end).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// Whether `real` is what `shown` shows: the whole output (exact mode, gaps aside) or its lines
/// in order (in-order mode). On a mismatch, the first excerpt line that could not be placed.
fn matches(shown: &str, real: &str, in_order: bool) -> Result<(), usize> {
    let shown = lines_of(shown);
    let real = lines_of(real);
    if in_order {
        let mut at = 0;
        for (i, s) in shown.iter().enumerate().filter(|(_, s)| !is_gap(s)) {
            match real[at..].iter().position(|r| line_matches(s, r)) {
                Some(p) => at += p + 1,
                None => return Err(i),
            }
        }
        return Ok(());
    }
    // ok[i][j]: shown[i..] matches real[j..].
    let (n, m) = (shown.len(), real.len());
    let mut ok = vec![vec![false; m + 1]; n + 1];
    ok[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            ok[i][j] = if is_gap(shown[i]) {
                ok[i + 1][j] || (j < m && ok[i][j + 1])
            } else {
                j < m && line_matches(shown[i], real[j]) && ok[i + 1][j + 1]
            };
        }
    }
    if ok[0][0] {
        return Ok(());
    }
    // The first line that no alignment of the lines before it can place.
    let mut reach = vec![false; m + 1];
    reach[0] = true;
    for (i, s) in shown.iter().enumerate() {
        let mut next = vec![false; m + 1];
        for j in 0..=m {
            if !reach[j] {
                continue;
            }
            if is_gap(s) {
                next[j..].iter_mut().for_each(|r| *r = true);
                break;
            }
            if j < m && line_matches(s, real[j]) {
                next[j + 1] = true;
            }
        }
        if !next.iter().any(|r| *r) {
            return Err(i);
        }
        reach = next;
    }
    Err(n)
}

fn run(excerpt: &Excerpt, dir: &Path) -> (i32, String) {
    let mut words: Vec<&str> = excerpt.command.split_whitespace().collect();
    assert_eq!(words.first(), Some(&"lagom"), "an excerpt runs lagom: {:?}", excerpt.command);
    let stdin = match words.as_slice() {
        [.., "<", file] => {
            let file = dir.join(file);
            words.truncate(words.len() - 2);
            Some(std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
        }
        _ => None,
    };
    for w in &words {
        assert!(
            !w.contains(['"', '\'', '*', '?', '|', '>', '<', '$']),
            "no shell in an excerpt: {:?}",
            excerpt.command
        );
    }
    let mut cmd = lagom();
    cmd.current_dir(dir).args(&words[1..]);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    let (o, e) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let text = match excerpt.options.stream {
        Stream::Stdout => o.into_owned(),
        Stream::Stderr => e.into_owned(),
        Stream::StderrThenStdout => format!("{e}{o}"),
    };
    (out.status.code().unwrap_or(-1), text)
}

/// An output as a failure shows it: its first 60 lines.
fn shortened(real: &str) -> String {
    let lines = lines_of(real);
    let mut shown = lines.iter().take(60).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > 60 {
        shown.push_str(&format!("\n[… {} more lines]", lines.len() - 60));
    }
    shown
}

/// Runs a document's steps; the failures, described.
fn check_doc(doc: &str) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(root().join(doc)).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let at = |p: &str| -> PathBuf { scratch.path().join(p) };
    let mut checked = 0;
    let mut failures = Vec::new();
    for step in steps(doc, &text) {
        match step {
            Step::Write { path, text } => {
                std::fs::create_dir_all(at(&path).parent().unwrap()).unwrap();
                std::fs::write(at(&path), text).unwrap();
            }
            Step::Copy { path, from } => copy_tree(&root().join(from), &at(&path)),
            Step::Edit { path, from, old, new } => {
                let text = std::fs::read_to_string(at(&from)).unwrap_or_else(|e| panic!("{doc}: {from}: {e}"));
                assert_eq!(text.matches(&old).count(), 1, "{doc}: {from} must hold {old:?} once");
                std::fs::write(at(&path), text.replacen(&old, &new, 1)).unwrap();
            }
            Step::Check(excerpt) => {
                checked += 1;
                let dir = if excerpt.options.scratch { scratch.path().to_path_buf() } else { root() };
                let (code, real) = run(&excerpt, &dir);
                let mut wrong = Vec::new();
                if code != excerpt.options.exit {
                    wrong.push(format!("exit code {code}, the marker says {}", excerpt.options.exit));
                }
                if let Err(i) = matches(&excerpt.expected, &real, excerpt.options.in_order) {
                    let line = lines_of(&excerpt.expected).get(i).map_or("(end of the excerpt)", |l| l).to_string();
                    let mode = if excerpt.options.in_order { "in order" } else { "exactly" };
                    wrong.push(format!(
                        "the output does not hold the excerpt {mode}; first excerpt line not found: {line:?}"
                    ));
                }
                if !wrong.is_empty() {
                    failures.push(format!(
                        "{doc}:{}: `{}`: {}\n--- the document shows:\n{}\n--- lagom printed:\n{}",
                        excerpt.line,
                        excerpt.command,
                        wrong.join("; "),
                        excerpt.expected,
                        shortened(&real)
                    ));
                }
            }
        }
    }
    (checked, failures)
}

#[test]
fn every_marked_excerpt_is_what_lagom_prints() {
    let mut failures = Vec::new();
    let mut total = 0;
    for doc in DOCS {
        let (checked, mut f) = check_doc(doc);
        total += checked;
        failures.append(&mut f);
    }
    assert!(
        failures.is_empty(),
        "{} excerpt(s) differ from lagom's output:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // A marker this test no longer recognised would check nothing silently.
    assert!(total >= 14, "only {total} excerpts found: are the markers still `<!-- excerpt…: … -->`?");
}

#[test]
fn the_matcher_tells_drift() {
    let real = "a line\nthe middle 12\nb line\n";
    assert_eq!(matches("a line\nthe middle 12\nb line", real, false), Ok(()));
    assert_eq!(matches("a line\n…\nb line", real, false), Ok(()));
    assert_eq!(matches("a line\nthe … 12\nb line\n\n", real, false), Ok(()));
    assert_eq!(matches("a line\nthe middle 13\nb line", real, false), Err(1));
    assert_eq!(matches("a line\nb line", real, false), Err(1));
    assert_eq!(matches("a line\nthe middle 12", real, false), Err(2));
    assert_eq!(matches("a line\nb line", real, true), Ok(()));
    assert_eq!(matches("b line\na line", real, true), Err(1));
    assert_eq!(matches("…\nb line", real, false), Ok(()));
    assert!(line_matches("x … y …", "x 1 y 2"));
    assert!(!line_matches("x … y", "x 1 y 2"));
    assert!(!line_matches("ab…ba", "aba"));
}

#[test]
fn markers_are_read_as_documented() {
    let doc = "<!-- excerpt-file: a.policy -->\n```\np\n```\n\
               <!-- excerpt-file: pack from policies/gdpr-marketing -->\n\
               <!-- excerpt-edit: b.policy from a.policy: `p` → `q` -->\n\
               <!-- excerpt exit=2 in-order scratch stderr+stdout: lagom validate --policy b.policy -->\n\
               ```console\n$ lagom validate --policy b.policy\nout\n```\n";
    let s = steps("t", doc);
    assert!(matches!(&s[0], Step::Write { path, text } if path == "a.policy" && text == "p\n"));
    assert!(matches!(&s[1], Step::Copy { path, from } if path == "pack" && from == "policies/gdpr-marketing"));
    assert!(
        matches!(&s[2], Step::Edit { path, from, old, new } if path == "b.policy" && from == "a.policy" && old == "p" && new == "q")
    );
    let Step::Check(e) = &s[3] else { panic!("{s:?}") };
    assert_eq!(e.options, Options { exit: 2, in_order: true, stream: Stream::StderrThenStdout, scratch: true });
    assert_eq!((e.command.as_str(), e.expected.as_str()), ("lagom validate --policy b.policy", "out"));
}
