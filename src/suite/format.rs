//! The policy test file format (YAML), read into located expectations. Shape only, with each
//! test under a name of its own in the file and expecting something: rule and category names
//! are checked against the policy when the suite is run.
//!
//! ```yaml
//! policy: ..                 # optional: the policy to test, relative to this file
//! tests:
//!   - name: a consent newsletter is allowed
//!     file: ../campaigns/newsletter.yaml   # a campaign file, relative to this file, or
//!     campaign: { … }                      # a campaign written inline
//!     expect:
//!       decision: allow                    # allow, block or invalid
//!       campaign_rules: []                 # campaign-level deny rules that apply, exactly
//!       campaign_warnings: [records_owner_review]
//!       uses:                              # by position in `data` (a number, no quotes),
//!                                          # or by category (text, quoted or not)
//!         0: { decision: allow, rules: [newsletter_data], warnings: [] }
//!         contact.email: { decision: allow }
//!       # errors: [lagom::unknown_key]     # an invalid campaign's problems' codes, exactly
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::campaign::yaml::{Node, Value};
use crate::campaign::Located;
use crate::diagnostic::{suggest, Code, Place, Problem};
use crate::source::Span;

/// One test file.
#[derive(Clone, Debug, Default)]
pub struct TestFile {
    /// `policy:`, resolved against the test file's folder.
    pub policy: Option<Located<PathBuf>>,
    /// The tests that can run, in file order.
    pub tests: Vec<TestCase>,
    /// Why the other tests cannot run (a key or value of the wrong shape). They are reported,
    /// and the file's other tests still run, as the other campaigns of a `lagom check` do.
    pub broken: Vec<Problem>,
    /// How many tests are broken.
    pub broken_tests: usize,
    /// The expectations of the broken tests as far as they could be read, so that the names
    /// in them are checked against the policy in the same run: a misspelt key and a misspelt
    /// category in one test are both reported at once, not one per run.
    pub broken_expects: Vec<Expect>,
}

/// One test: a campaign and what it must decide.
#[derive(Clone, Debug)]
pub struct TestCase {
    /// `name`.
    pub name: Located<String>,
    /// The campaign.
    pub campaign: CampaignRef,
    /// What is expected.
    pub expect: Expect,
}

/// Where a test's campaign is.
#[derive(Clone, Debug)]
pub enum CampaignRef {
    /// Written inline under `campaign:`.
    Inline(Node),
    /// A campaign file (`file:`), resolved against the test file's folder.
    File(Located<PathBuf>),
}

/// An expected decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// `allow`.
    Allow,
    /// `block`.
    Block,
    /// `invalid`: the campaign does not pass the policy's vocabulary or the campaign format.
    Invalid,
}

impl Expected {
    /// As written.
    pub fn as_str(self) -> &'static str {
        match self {
            Expected::Allow => "allow",
            Expected::Block => "block",
            Expected::Invalid => "invalid",
        }
    }
}

/// The expectations of a test; what is absent is not checked, and something is present.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// The campaign's decision.
    pub decision: Option<Located<Expected>>,
    /// Campaign-level deny rules that apply, exactly.
    pub campaign_rules: Option<Located<Vec<Located<String>>>>,
    /// Campaign-level warn rules that apply, exactly.
    pub campaign_warnings: Option<Located<Vec<Located<String>>>>,
    /// Per use.
    pub uses: Vec<UseExpect>,
    /// The codes of the problems that make the campaign invalid (`lagom::unknown_key`),
    /// exactly, each once: why it is invalid, not only that it is.
    pub errors: Option<Located<Vec<Located<String>>>>,
}

/// Which uses an expectation is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UseKey {
    /// The use at this position of `data` (from 0).
    Index(usize),
    /// Every use of this category.
    Category(String),
}

/// The expectations for one use (or every use of a category).
#[derive(Clone, Debug)]
pub struct UseExpect {
    /// Which uses.
    pub key: Located<UseKey>,
    /// Allow or block.
    pub decision: Option<Located<Expected>>,
    /// The deciding rules, exactly.
    pub rules: Option<Located<Vec<Located<String>>>>,
    /// The warn rules that apply, exactly.
    pub warnings: Option<Located<Vec<Located<String>>>>,
}

const TOP_KEYS: [&str; 2] = ["policy", "tests"];
const TEST_KEYS: [&str; 4] = ["name", "campaign", "file", "expect"];
const EXPECT_KEYS: [&str; 5] = ["decision", "campaign_rules", "campaign_warnings", "uses", "errors"];
const USE_KEYS: [&str; 3] = ["decision", "rules", "warnings"];

/// Reads a parsed test file; `dir` is its folder, for relative paths.
pub fn read(root: &Node, dir: &Path) -> Result<TestFile, Vec<Problem>> {
    let mut r = Reader::default();
    let mut file = TestFile::default();
    if let Some(top) = r.mapping(root, &TOP_KEYS, "a test file") {
        file.policy = r
            .get(&top, "policy")
            .and_then(|n| r.text(n, "policy"))
            .map(|p| Located { value: dir.join(p.value), span: p.span });
        match r.get(&top, "tests") {
            Some(tests) => {
                // A test file that tests nothing must not pass as one whose tests all pass.
                if matches!(&tests.value, Value::Seq(items) if items.is_empty()) {
                    r.problems.push(
                        Problem::at(Code::MissingKey, tests.span, "the test file has no tests", "empty").with_help(
                            "list the tests under `tests:`, each with `name`, `campaign` or `file`, and `expect`",
                        ),
                    );
                }
                // A test is known by its name in every report, so two in a file may not share one.
                let mut names: HashMap<&str, Span> = HashMap::new();
                for t in r.list(tests, "tests") {
                    let mut one = Reader::default();
                    let test = one.test(t, dir);
                    if let Some((name, span)) = name_of(t) {
                        match names.get(name) {
                            Some(first) => one.problems.push(duplicate_name(name, span, *first)),
                            None => {
                                names.insert(name, span);
                            }
                        }
                    }
                    match test {
                        Ok(test) if one.problems.is_empty() => file.tests.push(test),
                        broken => {
                            file.broken.append(&mut one.problems);
                            file.broken_tests += 1;
                            file.broken_expects.extend(match broken {
                                Ok(test) => Some(test.expect),
                                Err(expect) => expect,
                            });
                        }
                    }
                }
            }
            None if r.suggested.contains(&"tests") => {}
            None => r.problems.push(
                Problem::at(Code::MissingKey, root.span, "a test file needs `tests`", "no `tests` here")
                    .with_help("list the tests under `tests:`, each with `name`, `campaign` or `file`, and `expect`"),
            ),
        }
    }
    if r.problems.is_empty() {
        Ok(file)
    } else {
        // The file cannot run, and its tests' own mistakes are reported with it.
        r.problems.append(&mut file.broken);
        Err(r.problems)
    }
}

/// How many tests a test file declares, when it says: the items of its `tests` list. `None`
/// when the file is not a mapping, or its `tests` is missing, not a list or empty, so that a
/// file that cannot run is counted as one rather than as an invented number of tests.
pub fn declared(root: &Node) -> Option<usize> {
    let Value::Map(entries) = &root.value else { return None };
    entries.iter().find_map(|(k, v)| match (&k.value, &v.value) {
        (Value::Str(key), Value::Seq(items)) if key == "tests" && !items.is_empty() => Some(items.len()),
        _ => None,
    })
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    /// The keys suggested for unknown keys read so far: a key written misspelt is reported
    /// as that, not also as missing.
    suggested: Vec<&'static str>,
}

type Entries<'n> = Vec<(&'n str, &'n Node)>;

impl Reader {
    fn mapping<'n>(&mut self, node: &'n Node, keys: &[&'static str], what: &str) -> Option<Entries<'n>> {
        let Value::Map(entries) = &node.value else {
            self.wrong(node, &format!("{what} must be a mapping"), &format!("{what} is a mapping of keys to values"));
            return None;
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            let Value::Str(key) = &k.value else {
                self.wrong(k, "a key here must be a word", "keys here are words");
                continue;
            };
            if keys.contains(&key.as_str()) {
                out.push((key.as_str(), v));
            } else {
                let help = match suggest(key, keys.iter().copied()) {
                    Some(s) => {
                        self.suggested.push(s);
                        format!("did you mean `{s}`?")
                    }
                    None => format!("the keys of {what} are {}", crate::diagnostic::in_backticks(keys)),
                };
                self.problems.push(
                    Problem::at(Code::UnknownKey, k.span, format!("unknown key `{key}` in {what}"), "unknown key")
                        .with_help(help),
                );
            }
        }
        Some(out)
    }

    fn get<'n>(&self, entries: &Entries<'n>, key: &str) -> Option<&'n Node> {
        entries.iter().find(|(k, v)| *k == key && v.value != Value::Null).map(|(_, v)| *v)
    }

    /// A value of the wrong type: `expected` says what belongs there (`` `rules` must be a
    /// list ``), and the message adds what was found.
    fn wrong(&mut self, node: &Node, expected: &str, help: &str) {
        let message = format!("{expected}, found {}", node.value.describe());
        self.problems.push(Problem::at(Code::Type, node.span, message, "wrong type").with_help(help.to_string()));
    }

    fn text(&mut self, node: &Node, what: &str) -> Option<Located<String>> {
        match &node.value {
            // A blank name or path names nothing (a failure would read `FAIL t.test.yaml:3: : …`).
            Value::Str(s) if crate::chars::is_blank(s) => {
                self.problems.push(
                    Problem::at(Code::Type, node.span, format!("`{what}` is blank"), "nothing here")
                        .with_help(format!("give `{what}` some text")),
                );
                None
            }
            Value::Str(s) => Some(Located { value: s.clone(), span: node.span }),
            _ => {
                self.wrong(node, &format!("`{what}` must be text"), &format!("`{what}` is text; quote it if needed"));
                None
            }
        }
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            _ => {
                let help = format!("`{what}` is a list (`- …` lines or `[a, b]`)");
                self.wrong(node, &format!("`{what}` must be a list"), &help);
                &[]
            }
        }
    }

    /// A list of rule names, each once: the list is compared with the applied rules exactly,
    /// so a name written twice is a mistake, not a second expectation. The list keeps its
    /// place, so that a failure of `[]` is shown where it is written.
    fn names(&mut self, node: &Node, what: &str) -> Option<Located<Vec<Located<String>>>> {
        let items = self.list(node, what);
        let names: Vec<Located<String>> = items
            .iter()
            .filter_map(|n| match n.value {
                Value::Str(_) => self.text(n, what),
                _ => {
                    let help = "write the rules' names, e.g. `[no_minors, consent_needed]`";
                    self.wrong(n, &format!("each item of `{what}` must be a rule's name"), help);
                    None
                }
            })
            .collect();
        for (i, name) in names.iter().enumerate() {
            if let Some(first) = names.iter().take(i).find(|n| n.value == name.value) {
                self.problems.push(
                    Problem::at(
                        Code::Duplicate,
                        name.span,
                        format!("`{}` is listed twice in `{what}`", name.value),
                        "again",
                    )
                    .with_related(Place::Span(first.span), "first listed here")
                    .with_help("list each rule once"),
                );
            }
        }
        Some(Located { value: names, span: node.span })
    }

    /// The diagnostic codes of `errors`, written as reports show them (`lagom::unknown_key`).
    fn codes(&mut self, node: &Node) -> Option<Located<Vec<Located<String>>>> {
        let items = self.list(node, "errors");
        let help = "write the codes of the campaign's problems as reports show them, e.g. `[lagom::unknown_key]`";
        let codes = items
            .iter()
            .filter_map(|n| {
                let code = match n.value {
                    Value::Str(_) => self.text(n, "errors")?,
                    _ => {
                        self.wrong(n, "each item of `errors` must be a diagnostic code", help);
                        return None;
                    }
                };
                let name = code.value.strip_prefix("lagom::").unwrap_or("");
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    let message = format!("`{}` is not a diagnostic code", code.value);
                    let bare = !code.value.is_empty() && code.value.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                    let help = match bare {
                        true => format!("codes start with `lagom::`: write `lagom::{}`", code.value),
                        false => help.to_string(),
                    };
                    self.problems.push(Problem::at(Code::Type, n.span, message, "not a code").with_help(help));
                    return None;
                }
                if !Code::ALL.iter().any(|c| c.as_str() == code.value) {
                    // A misspelt code would fail the test against any campaign, showing the real
                    // codes; said here, it is the test file's own mistake.
                    let message = format!("unknown diagnostic code `{}`", code.value);
                    let near = crate::diagnostic::suggest(&code.value, Code::ALL.iter().map(|c| c.as_str()));
                    let help = match near {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "the codes are listed in the README's table of diagnostic codes".to_string(),
                    };
                    self.problems.push(Problem::at(Code::Type, n.span, message, "not a code").with_help(help));
                    return None;
                }
                Some(code)
            })
            .collect();
        Some(Located { value: codes, span: node.span })
    }

    /// A test, or what could be read of its expectation when the test is incomplete.
    fn test(&mut self, node: &Node, dir: &Path) -> Result<TestCase, Option<Expect>> {
        let entries = self.mapping(node, &TEST_KEYS, "a test").ok_or(None)?;
        let name = self.required(&entries, "name", node.span).and_then(|n| self.text(n, "name"));
        let campaign = match (self.get(&entries, "campaign"), self.get(&entries, "file")) {
            // `campaign: {file: x.yaml}`: the file's key written inside the inline campaign,
            // which would be an invalid campaign (no id, no purpose) and pass a test that
            // expects `invalid` for the wrong reason.
            (Some(c), None) if inline_file(c).is_some() => {
                let at = inline_file(c).map_or(c.span, |k| k.span);
                self.problems.push(
                    Problem::at(
                        Code::Type,
                        at,
                        "`file` is written inside the inline `campaign:`",
                        "inside `campaign:`",
                    )
                    .with_help("give the campaign's file beside `name:` as `file: …`, in place of `campaign:`"),
                );
                None
            }
            (Some(c), None) => Some(CampaignRef::Inline(c.clone())),
            (None, Some(f)) => {
                self.text(f, "file").map(|p| CampaignRef::File(Located { value: dir.join(p.value), span: p.span }))
            }
            (Some(c), Some(_)) => {
                self.problems.push(
                    Problem::at(Code::Type, c.span, "a test has `campaign` or `file`, not both", "second campaign")
                        .with_help("keep the inline `campaign:` or the `file:`, and remove the other"),
                );
                None
            }
            (None, None) if self.suggested.iter().any(|k| *k == "campaign" || *k == "file") => None,
            (None, None) => {
                self.problems.push(
                    Problem::at(Code::MissingKey, node.span, "a test needs either `campaign` or `file`", "here")
                        .with_help("write the campaign inline under `campaign:`, or give its file with `file:`"),
                );
                None
            }
        };
        let expect = self.required(&entries, "expect", node.span).and_then(|n| self.expect(n));
        match (name, campaign, expect) {
            (Some(name), Some(campaign), Some(expect)) => Ok(TestCase { name, campaign, expect }),
            (.., expect) => Err(expect),
        }
    }

    fn required<'n>(&mut self, entries: &Entries<'n>, key: &str, at: Span) -> Option<&'n Node> {
        let found = self.get(entries, key);
        if found.is_none() && !self.suggested.contains(&key) {
            self.problems.push(
                Problem::at(Code::MissingKey, at, format!("a test needs `{key}`"), format!("no `{key}` here"))
                    .with_help("each test has a `name`, a `campaign` (or `file`) and what to `expect`"),
            );
        }
        found
    }

    /// What a test expects. An expectation that checks nothing (`expect: {}`, `uses: {}`, a
    /// use's `{}`) is refused as a missing `expect` is: the test would pass on any valid
    /// campaign and count toward coverage without asserting anything.
    fn expect(&mut self, node: &Node) -> Option<Expect> {
        let before = self.problems.len();
        let entries = self.mapping(node, &EXPECT_KEYS, "`expect`")?;
        self.no_value(&entries);
        let mut e = Expect {
            decision: self.get(&entries, "decision").and_then(|n| self.decision(n, true)),
            campaign_rules: self.get(&entries, "campaign_rules").and_then(|n| self.names(n, "campaign_rules")),
            campaign_warnings: self.get(&entries, "campaign_warnings").and_then(|n| self.names(n, "campaign_warnings")),
            uses: Vec::new(),
            errors: self.get(&entries, "errors").and_then(|n| self.codes(n)),
        };
        self.contradictions(&e);
        match self.get(&entries, "uses") {
            Some(uses) => e.uses = self.uses(uses),
            None => {
                let nothing = e.decision.is_none()
                    && e.campaign_rules.is_none()
                    && e.campaign_warnings.is_none()
                    && e.errors.is_none();
                // After a misspelt key, the misspelling is what to report, not the emptiness it leaves.
                if nothing && self.problems.len() == before {
                    self.problems.push(
                        Problem::at(Code::MissingKey, node.span, "the test expects nothing", "nothing expected")
                            .with_help(
                                "add what the campaign must come to: its `decision` (allow, block or invalid), \
                                 `campaign_rules`, `campaign_warnings`, `uses` or `errors`",
                            ),
                    );
                }
            }
        }
        Some(e)
    }

    /// Expectation keys written without a value (`campaign_rules:` and nothing after it): YAML
    /// reads them as null, which would check nothing, so a test meant to say "none" (`[]`)
    /// would pass whatever applied.
    fn no_value(&mut self, entries: &Entries<'_>) {
        for (key, value) in entries.iter().filter(|(_, v)| v.value == Value::Null) {
            let help = match *key {
                "decision" => "write the decision expected (`allow`, `block` or `invalid`), or remove the key",
                "uses" => "name the uses with what each decides, or remove the key",
                "errors" => "list the codes expected (`[lagom::unknown_key]`), `[]` for none, or remove the key",
                _ => "write `[]` to expect that none applies, or list the rules; or remove the key",
            };
            self.problems.push(
                Problem::at(Code::Type, value.span, format!("`{key}` has no value"), "no value")
                    .with_help(format!("{help}: a key without a value checks nothing")),
            );
        }
    }

    /// Expectations that no campaign can meet together: `decision: invalid` with `errors: []`
    /// (no problems: a valid campaign), and problems' codes beside a decision or uses, which
    /// only a campaign read without problems has.
    fn contradictions(&mut self, e: &Expect) {
        let Some(errors) = &e.errors else { return };
        let invalid = errors.value.is_empty().then_some("`errors: []` expects a campaign without problems");
        let message = match (e.decision.as_ref().map(|d| (d.value, d.span)), invalid) {
            (Some((Expected::Invalid, span)), Some(valid)) => {
                Some((span, format!("{valid}, `decision: invalid` one with some")))
            }
            (Some((Expected::Allow | Expected::Block, span)), None) => {
                Some((span, "`errors` expects an invalid campaign, which is neither allowed nor blocked".to_string()))
            }
            _ => None,
        };
        if let Some((span, message)) = message {
            self.problems.push(
                Problem::at(
                    Code::Type,
                    span,
                    format!("{message}: no campaign passes this test"),
                    "contradicts `errors`",
                )
                .with_help(
                    "an invalid campaign has `decision: invalid` and the codes of its problems in `errors`; a valid \
                         one is allowed or blocked, with `errors: []` or no `errors`",
                ),
            );
        }
    }

    /// What an expectation's `uses` expects of each use it names.
    fn uses(&mut self, uses: &Node) -> Vec<UseExpect> {
        let Value::Map(items) = &uses.value else {
            let help = "`uses` maps a position in `data` (0, 1, …) or a category to what it decides";
            self.wrong(uses, "`uses` must be a mapping", help);
            return Vec::new();
        };
        if items.is_empty() {
            self.problems.push(Problem::at(Code::MissingKey, uses.span, "`uses` names no use", "no use").with_help(
                "name a use by its position in `data` (0, 1, …) or its category, with its `decision`, \
                     `rules` or `warnings`; or remove `uses`",
            ));
        }
        let mut expected = Vec::new();
        for (k, v) in items {
            let Some((key, refused)) = self.use_key(k) else { continue };
            let Some(one) = self.use_expect(Located { value: key, span: k.span }, v) else { continue };
            if !refused {
                expected.push(one);
            }
        }
        expected
    }

    /// How a use is named, and whether the name is refused: a position written as text is
    /// refused, and what is expected of it still read for mistakes of its own (but not kept,
    /// so that it is not also called an unknown category). `None`: no use is named.
    fn use_key(&mut self, k: &Node) -> Option<(UseKey, bool)> {
        match &k.value {
            Value::Int(i) if *i >= 0 => Some((UseKey::Index(*i as usize), false)),
            Value::Str(s) => {
                let position = position_in_text(s);
                if let Some(digits) = position {
                    self.problems.push(quoted_position(s, digits, k.span));
                }
                Some((UseKey::Category(s.clone()), position.is_some()))
            }
            _ => {
                let help = "a use is named by its position in `data` (0, 1, …) or by its category";
                self.wrong(k, "a use must be named by a position (0, 1, …) or a category", help);
                None
            }
        }
    }

    /// What is expected of one use; an expectation of nothing is refused.
    fn use_expect(&mut self, key: Located<UseKey>, v: &Node) -> Option<UseExpect> {
        let before = self.problems.len();
        let m = self.mapping(v, &USE_KEYS, "a use's expectation")?;
        self.no_value(&m);
        let expected = UseExpect {
            key,
            decision: self.get(&m, "decision").and_then(|n| self.decision(n, false)),
            rules: self.get(&m, "rules").and_then(|n| self.names(n, "rules")),
            warnings: self.get(&m, "warnings").and_then(|n| self.names(n, "warnings")),
        };
        let empty = expected.decision.is_none() && expected.rules.is_none() && expected.warnings.is_none();
        if empty && self.problems.len() == before {
            let which = match &expected.key.value {
                UseKey::Index(i) => format!("use {i}"),
                UseKey::Category(c) => format!("`{c}`"),
            };
            self.problems.push(
                Problem::at(Code::MissingKey, v.span, format!("nothing is expected of {which}"), "nothing expected")
                    .with_help("add the use's `decision` (allow or block), its deciding `rules` or its `warnings`"),
            );
        }
        Some(expected)
    }

    fn decision(&mut self, node: &Node, campaign: bool) -> Option<Located<Expected>> {
        let text = self.text(node, "decision")?;
        let value = match text.value.as_str() {
            "allow" => Expected::Allow,
            "block" => Expected::Block,
            "invalid" if campaign => Expected::Invalid,
            // Near `invalid` too: a misspelling of it is the same mistake.
            other if !campaign && suggest(&other.to_lowercase(), ["allow", "block", "invalid"]) == Some("invalid") => {
                let message = if other.eq_ignore_ascii_case("invalid") {
                    format!("`{other}` is not a decision of one use")
                } else {
                    format!("unknown decision `{other}`")
                };
                self.problems.push(Problem::at(Code::Type, node.span, message, "not a use's decision").with_help(
                    "`invalid` is a whole-campaign outcome: write `decision: invalid` directly under `expect:` \
                     (a campaign the policy cannot read decides none of its uses); a use's decision is \
                     `allow` or `block`",
                ));
                return None;
            }
            other => {
                let (allowed, choices): (_, &[&str]) = if campaign {
                    ("`allow`, `block` or `invalid`", &["allow", "block", "invalid"])
                } else {
                    ("`allow` or `block`", &["allow", "block"])
                };
                let help = match suggest(other, choices.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("a decision is {allowed}"),
                };
                self.problems.push(
                    Problem::at(Code::Type, node.span, format!("unknown decision `{other}`"), "not a decision")
                        .with_help(help),
                );
                return None;
            }
        };
        Some(Located { value, span: node.span })
    }
}

/// The number a use key of text spells (`"0"`, `"12"`), trimmed. No category is named so (a
/// name starts with a letter or `_`), so such a key is a position written in quotes.
fn position_in_text(key: &str) -> Option<&str> {
    let t = key.trim();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then_some(t)
}

/// A position in `data` written as text: the format reads text as a category, and guessing
/// would give one key two meanings, so it is refused with the spelling that works.
fn quoted_position(key: &str, digits: &str, span: Span) -> Problem {
    let number = digits.parse::<u64>().map_or_else(|_| digits.to_string(), |n| n.to_string());
    Problem::at(
        Code::Type,
        span,
        format!("the use key `\"{key}\"` is quoted, so it names a category, not a position in `data`"),
        "quoted number",
    )
    .with_help(format!(
        "write `{number}` without quotes for the use at position {number} of `data`; \
         a key in quotes, or any other text, names a category (`contact.email`)"
    ))
}

/// A test's `name` as written, when it is text, to find two tests of one name.
fn name_of(test: &Node) -> Option<(&str, Span)> {
    let Value::Map(entries) = &test.value else { return None };
    entries.iter().find_map(|(k, v)| match (&k.value, &v.value) {
        (Value::Str(key), Value::Str(name)) if key == "name" => Some((name.as_str(), v.span)),
        _ => None,
    })
}

/// The second test of a name: it is not run, since a report could not tell the two apart.
fn duplicate_name(name: &str, later: Span, first: Span) -> Problem {
    Problem::at(
        Code::Duplicate,
        later,
        format!("the test name `{name}` is used twice in this file"),
        "named again here",
    )
    .with_related(Place::Span(first), "first named here")
    .with_help("give each test of a file its own name: failures and reports name a test by it")
}

/// The `file` key of an inline campaign that holds only it (and perhaps keys that are no
/// campaign's): a file named where a campaign is written.
fn inline_file(campaign: &Node) -> Option<&Node> {
    let Value::Map(entries) = &campaign.value else { return None };
    let is = |k: &Node, key: &str| matches!(&k.value, Value::Str(s) if s == key);
    let names_a_campaign = entries.iter().any(|(k, _)| is(k, "campaign") || is(k, "purpose") || is(k, "data"));
    entries.iter().map(|(k, _)| k).find(|k| is(k, "file")).filter(|_| !names_a_campaign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::yaml::Document;
    use crate::source::{FileId, SourceFile};

    fn read_text(text: &str) -> Result<TestFile, Vec<Problem>> {
        let root =
            crate::campaign::yaml::parse(FileId(0), &SourceFile::new("t.test.yaml", text), Document::TestFile).unwrap();
        read(&root, Path::new("dir"))
    }

    /// The problems of the file, or else of its tests.
    fn messages(text: &str) -> Vec<String> {
        read_text(text)
            .map_or_else(|file_problems| file_problems, |f| f.broken)
            .into_iter()
            .map(|p| format!("{} | {}", p.message, p.help.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn reads_inline_and_file_campaigns_with_expectations() {
        let f = read_text(
            "policy: ../pack\ntests:\n  - name: a\n    file: c.yaml\n    expect: { decision: invalid }\n\
             \x20 - name: b\n    campaign: { campaign: x }\n    expect:\n      campaign_rules: [r]\n      uses:\n\
             \x20       0: { decision: allow, rules: [] }\n        contact.email: { warnings: [w] }\n",
        )
        .unwrap();
        assert_eq!(f.policy.unwrap().value, Path::new("dir/../pack"));
        assert!(matches!(&f.tests[0].campaign, CampaignRef::File(p) if p.value == Path::new("dir/c.yaml")));
        assert_eq!(f.tests[0].expect.decision.as_ref().unwrap().value, Expected::Invalid);
        let uses = &f.tests[1].expect.uses;
        assert_eq!(uses[0].key.value, UseKey::Index(0));
        assert_eq!(uses[1].key.value, UseKey::Category("contact.email".into()));
        assert_eq!(uses[1].warnings.as_ref().unwrap().value[0].value, "w");
    }

    #[test]
    fn shape_errors_are_located_with_help() {
        // Misspelt, so not also missing.
        assert_eq!(messages("test: []\n"), ["unknown key `test` in a test file | did you mean `tests`?"]);
        let both =
            messages("tests:\n  - name: a\n    file: c.yaml\n    campaign: {}\n    expect: { decision: allow }\n");
        assert_eq!(both.len(), 1);
        assert!(both[0].starts_with("a test has `campaign` or `file`, not both"), "{both:?}");
        // The file's key inside an inline campaign: told where it goes, not read as an invalid
        // campaign that a test expecting `invalid` would pass on.
        assert_eq!(
            messages("tests:\n  - name: a\n    campaign: { file: c.yaml }\n    expect: { decision: invalid }\n"),
            [
                "`file` is written inside the inline `campaign:` | give the campaign's file beside `name:` as `file: …`, \
                 in place of `campaign:`"
            ]
        );
        let neither = messages("tests:\n  - name: a\n    expect: { decision: allow }\n");
        assert!(neither[0].starts_with("a test needs either `campaign` or `file`"), "{neither:?}");
        let bad =
            messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { decision: allowed, campain_rules: [] }\n");
        assert!(
            bad[0].starts_with("unknown key `campain_rules` in `expect` | did you mean `campaign_rules`?"),
            "{bad:?}"
        );
        assert_eq!(bad[1], "unknown decision `allowed` | did you mean `allow`?");
        let typo = messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { decision: alow }\n");
        assert_eq!(typo, ["unknown decision `alow` | did you mean `allow`?"]);
        let use_typo =
            messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { uses: { 0: { decision: blok } } }\n");
        assert_eq!(use_typo, ["unknown decision `blok` | did you mean `block`?"]);
        let far = messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { decision: pass }\n");
        assert_eq!(far, ["unknown decision `pass` | a decision is `allow`, `block` or `invalid`"]);
        let number = messages("tests:\n  - name: 1.5\n    file: c.yaml\n    expect: { decision: allow }\n");
        assert_eq!(number, ["`name` must be text, found a decimal number | `name` is text; quote it if needed"]);
        let rules = messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { campaign_rules: no_kids }\n");
        assert_eq!(
            rules,
            ["`campaign_rules` must be a list, found text | `campaign_rules` is a list (`- …` lines or `[a, b]`)"]
        );
        let items = messages("tests:\n  - name: a\n    file: c.yaml\n    expect: { campaign_rules: [1] }\n");
        assert_eq!(
            items,
            ["each item of `campaign_rules` must be a rule's name, found a number | write the rules' names, e.g. `[no_minors, consent_needed]`"]
        );
    }

    /// `campaign_rules:` with nothing after it is null: read as absent, the test would pass
    /// whatever rules applied, where `[]` was meant.
    #[test]
    fn an_expectation_key_without_a_value_is_an_error() {
        let test = |expect: &str| messages(&format!("tests:\n  - name: a\n    file: c.yaml\n    expect:\n{expect}"));
        assert_eq!(
            test("      decision: block\n      campaign_rules:\n"),
            ["`campaign_rules` has no value | write `[]` to expect that none applies, or list the rules; or remove \
              the key: a key without a value checks nothing"]
        );
        let found = test("      decision: ~\n      uses:\n        0:\n          rules:\n          warnings: []\n");
        let messages: Vec<&str> = found.iter().map(|m| m.split(" | ").next().unwrap_or("")).collect();
        assert_eq!(messages, ["`decision` has no value", "`rules` has no value"]);
        assert!(test("      uses:\n      errors:\n")[0].starts_with("`uses` has no value | "));
    }

    /// `decision: invalid` with `errors: []`, or a decision beside problems' codes: no campaign
    /// can pass, which is the test file's mistake, not a failure of the policy.
    #[test]
    fn expectations_no_campaign_can_meet_are_errors() {
        let test = |expect: &str| messages(&format!("tests:\n  - name: a\n    file: c.yaml\n    expect: {expect}\n"));
        assert_eq!(
            test("{ decision: invalid, errors: [] }"),
            ["`errors: []` expects a campaign without problems, `decision: invalid` one with some: no campaign passes \
              this test | an invalid campaign has `decision: invalid` and the codes of its problems in `errors`; a \
              valid one is allowed or blocked, with `errors: []` or no `errors`"]
        );
        assert!(test("{ decision: allow, errors: [lagom::unknown_name] }")[0]
            .starts_with("`errors` expects an invalid campaign, which is neither allowed nor blocked: no campaign "));
        assert!(test("{ decision: invalid, errors: [lagom::unknown_name] }").is_empty());
    }

    #[test]
    fn an_expectation_checks_something_and_a_name_is_used_once() {
        let test = |expect: &str| messages(&format!("tests:\n  - name: a\n    file: c.yaml\n    expect: {expect}\n"));
        assert!(test("{}")[0].starts_with("the test expects nothing | add what the campaign must come to"));
        assert!(test("{ decision: allow, errors: [] }").is_empty());
        assert!(test("{ uses: {} }")[0].starts_with("`uses` names no use | "));
        assert!(test("{ decision: allow, uses: { 0: {} } }")[0].starts_with("nothing is expected of use 0 | "));
        // A misspelt key is what to report, not the emptiness it leaves.
        assert_eq!(test("{ decison: allow }"), ["unknown key `decison` in `expect` | did you mean `decision`?"]);
        assert_eq!(
            test("{ uses: { 0: { rule: [] } } }"),
            ["unknown key `rule` in a use's expectation | did you mean `rules`?"]
        );
        // An empty list is an expectation: no campaign-level deny rule applies.
        assert!(test("{ campaign_rules: [] }").is_empty());
        let f = read_text(
            "tests:\n  - name: a\n    file: c.yaml\n    expect: { decision: allow }\n\
             \x20 - name: a\n    file: c.yaml\n    expect: { decision: block }\n",
        )
        .unwrap();
        assert_eq!((f.tests.len(), f.broken_tests), (1, 1));
        assert_eq!(f.broken[0].message, "the test name `a` is used twice in this file");
    }

    #[test]
    fn a_blank_name_or_file_is_refused() {
        assert_eq!(
            messages("tests:\n  - name: \"\"\n    file: \" \"\n    expect: { decision: allow }\n"),
            ["`name` is blank | give `name` some text", "`file` is blank | give `file` some text"]
        );
    }

    #[test]
    fn invalid_for_a_use_is_told_to_go_under_expect() {
        let use_decision = |d: &str| {
            messages(&format!(
                "tests:\n  - name: a\n    file: c.yaml\n    expect: {{ uses: {{ 0: {{ decision: {d} }} }} }}\n"
            ))
        };
        let help = "`invalid` is a whole-campaign outcome: write `decision: invalid` directly under `expect:`";
        let exact = use_decision("invalid");
        assert!(exact[0].starts_with(&format!("`invalid` is not a decision of one use | {help}")), "{exact:?}");
        // Misspelt or in capitals, it is the same mistake.
        let typo = use_decision("invalud");
        assert!(typo[0].starts_with(&format!("unknown decision `invalud` | {help}")), "{typo:?}");
        let capitals = use_decision("INVALID");
        assert!(capitals[0].starts_with(&format!("`INVALID` is not a decision of one use | {help}")), "{capitals:?}");
        // Other words keep the use's choices.
        assert_eq!(use_decision("pass"), ["unknown decision `pass` | a decision is `allow` or `block`"]);
        assert_eq!(use_decision("blok"), ["unknown decision `blok` | did you mean `block`?"]);
    }

    #[test]
    fn a_position_is_a_number_and_text_is_a_category() {
        let key = |k: &str| {
            let text = format!(
                "tests:\n  - name: a\n    file: c.yaml\n    expect: {{ uses: {{ {k}: {{ decision: allow }} }} }}\n"
            );
            read_text(&text).map_or_else(|p| p, |f| f.broken)
        };
        assert!(key("0").is_empty() && key("'contact.email'").is_empty() && key("\"x\"").is_empty());
        for quoted in ["\"0\"", "'0'", "\" 12\"", "!!str 3"] {
            let problems = key(quoted);
            assert_eq!(problems.len(), 1, "{quoted}: {problems:?}");
            assert!(problems[0].message.contains("is quoted, so it names a category, not a position"), "{quoted}");
            assert!(problems[0].help.as_ref().unwrap().starts_with("write `"), "{quoted}");
        }
        let leading_zero = key("\"007\"");
        assert!(leading_zero[0].help.as_ref().unwrap().starts_with("write `7` without quotes"), "{leading_zero:?}");
    }

    #[test]
    fn a_file_that_cannot_run_tells_its_test_count_when_it_has_one() {
        let root = |t: &str| {
            crate::campaign::yaml::parse(FileId(0), &SourceFile::new("t.test.yaml", t), Document::TestFile).unwrap()
        };
        assert_eq!(declared(&root("polcy: x\ntests: [a, b]\n")), Some(2));
        assert_eq!(declared(&root("tests: []\n")), None);
        assert_eq!(declared(&root("tests: { a: 1 }\n")), None);
        assert_eq!(declared(&root("- tests\n")), None);
        // A test's own mistake is reported with the file's.
        let both = messages("polcy: x\ntests:\n  - name: a\n    file: c.yaml\n    expect: { decison: allow }\n");
        assert_eq!(both.len(), 2, "{both:?}");
        assert!(both[1].starts_with("unknown key `decison` in `expect`"), "{both:?}");
    }

    #[test]
    fn a_broken_test_leaves_the_others_to_run() {
        let f = read_text(
            "tests:\n  - name: good\n    file: a.yaml\n    expect: { decision: allow }\n\
             \x20 - name: typo\n    file: b.yaml\n    expect: { decison: allow }\n\
             \x20 - name: also good\n    file: c.yaml\n    expect: { decision: allow }\n",
        )
        .unwrap();
        let names: Vec<&str> = f.tests.iter().map(|t| t.name.value.as_str()).collect();
        assert_eq!(names, ["good", "also good"]);
        assert_eq!(f.broken.len(), 1);
        assert_eq!(f.broken[0].message, "unknown key `decison` in `expect`");
    }
}
