//! Wording shared by every format, so a finding reads the same in JSON, SARIF and a terminal.

use std::borrow::Cow;

use crate::batch::Tally;
use crate::campaign::Campaign;
use crate::eval::{
    Closeness, CompiledPolicy, Difference, Finding, FindingKind, MissingFact, Outcome, SpellingNote, Spelt, UseDecision,
};
use crate::policy::{CategoryId, CheckedRule, PurposeId, Retention};
use crate::source::Span;

/// A count and the noun for it: `1 campaign`, `2 campaigns`. Every report counts this way;
/// `one` and `many` may go on with a verb that agrees (`1 warning fails`, `2 warnings fail`).
pub(super) fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A retention as it was written, else in the largest unit that states it exactly.
pub fn retention_text(r: Retention) -> String {
    r.to_string()
}

/// The message of a finding: the rule's `because`, else a sentence saying what the rule does.
pub fn finding_message(policy: &CompiledPolicy, f: &Finding) -> String {
    let Some(rule) = policy.policy.rule(f.rule) else { return String::new() };
    let mut text = rule.because.clone().unwrap_or_else(|| match f.kind {
        FindingKind::Allow => format!("rule `{}` allows this use", rule.name),
        FindingKind::Deny => format!("rule `{}` denies this", rule.name),
        FindingKind::Warn => format!("rule `{}` warns about this", rule.name),
        FindingKind::Retain { limit, .. } => {
            format!("rule `{}` limits retention to {}", rule.name, retention_text(limit))
        }
    });
    if let FindingKind::Retain { limit, declared } = f.kind {
        let detail = match declared {
            Some(d) => format!(" (declared {}, at most {} allowed)", retention_text(d), retention_text(limit)),
            None => format!(" (no retention declared, at most {} allowed)", retention_text(limit)),
        };
        text.push_str(&detail);
    }
    text
}

/// What a finding's missing facts mean, when it has any: the rule applies because the
/// campaign left them out (spec 3.1 asks every explanation that relied on one to name it).
pub(super) fn unknown_note(f: &Finding) -> Option<String> {
    if f.unknown.is_empty() {
        return None;
    }
    Some(format!(
        "the campaign does not declare {}, so the rule applies (missing facts never let data through)",
        fields(f)
    ))
}

/// What a report says under a finding's reason: the values the campaign spells otherwise than
/// the policy and the missing facts it applied for, each a line. A respelling first: it is
/// often why a fact was asked for at all (`region: se` is not in the EEA, so a safeguard is),
/// and the fix is to spell it, not to supply the fact.
pub(super) fn finding_notes(f: &Finding) -> impl Iterator<Item = String> {
    [respelling_note(f), unknown_note(f)].into_iter().flatten()
}

/// What the campaign spells otherwise than the policy among the facts a finding rests on
/// (`region: se` where the policy names `SE`), when it does: values are compared exactly, so
/// such a value takes no part in the policy's lists.
pub(super) fn respelling_note(f: &Finding) -> Option<String> {
    if f.respellings.is_empty() {
        return None;
    }
    let pairs: Vec<String> = f
        .respellings
        .iter()
        .map(|r| match r.spelt {
            Spelt::Value => format!("`{}` where the policy writes `{}`", r.written, r.meant),
            Spelt::LabelName => format!("the label `{}` where the policy reads `labels.{}`", r.written, r.meant),
        })
        .collect();
    // The difference is named when every pair differs alike, as they mostly do (case).
    let mut kinds = f.respellings.iter().map(|r| difference(r.difference));
    let first = kinds.next();
    let alike = first.filter(|k| kinds.all(|other| other == *k)).map(|k| format!(" ({k})")).unwrap_or_default();
    let compared = match f.respellings.iter().all(|r| r.spelt == Spelt::LabelName) {
        true => "label names are compared exactly",
        false if f.respellings.iter().any(|r| r.spelt == Spelt::LabelName) => "names and values are compared exactly",
        false => "values are compared exactly",
    };
    Some(format!("the campaign writes {}: {compared}{alike}", pairs.join(", ")))
}

/// Most rules named beside a campaign text spelt otherwise than the policy: the first few say
/// where to look.
const RULES_NAMED: usize = 3;

/// What a report says of a campaign text that the policy spells otherwise wherever it compares
/// that field (`` `Support` does not match `support`, which rule `x` compares `source` with ``).
pub(super) fn spelling_message(policy: &CompiledPolicy, u: &SpellingNote) -> String {
    let r = &u.respelling;
    let mut names: Vec<String> = u
        .rules
        .iter()
        .take(RULES_NAMED)
        .filter_map(|id| policy.policy.rule(*id).map(|rule| format!("`{}`", rule.name)))
        .collect();
    if u.rules.len() > RULES_NAMED {
        names.push(format!("{} more", u.rules.len() - RULES_NAMED));
    }
    let rules = match names.len() {
        1 => format!("rule {}", names.join("")),
        _ => format!("rules {}", names.join(", ")),
    };
    format!(
        "`{}` does not match `{}`, which {rules} {} `{}` with: values are compared exactly ({})",
        r.written,
        r.meant,
        if names.len() == 1 { "compares" } else { "compare" },
        u.field.campaign_key(),
        difference(r.difference)
    )
}

/// How two loosely equal texts differ, in words: what a reader looks for when the two look
/// alike on screen (a trailing space, an accent typed as a separate character).
pub(super) fn difference(d: Difference) -> &'static str {
    match d {
        Difference::Case => "they differ in case",
        Difference::Separators => "they differ in spaces, `_` or `-`",
        Difference::CaseAndSeparators => "they differ in case and in spaces, `_` or `-`",
        Difference::Plural => "the policy writes it in the singular",
        Difference::Characters => {
            "other characters for the same text: an accent typed apart, a dash or space of another kind"
        }
    }
}

/// What to do about a text spelt otherwise than the policy.
pub(super) fn spelling_help(u: &SpellingNote) -> String {
    format!(
        "write `{}` if that is what is meant: the rules that compare `{}` with `{}` read `{}` as another value",
        u.respelling.meant,
        u.field.campaign_key(),
        u.respelling.meant,
        u.respelling.written
    )
}

/// The fields a finding's condition missed: `` `a`, `b` ``.
pub(super) fn fields(f: &Finding) -> String {
    missing_facts(&f.unknown)
}

/// Missing facts in words: `` `audience.min_age`, `processors[1].dpa` ``.
pub(super) fn missing_facts(facts: &[MissingFact]) -> String {
    facts.iter().map(|m| format!("`{}`", missing_fact(m))).collect::<Vec<_>>().join(", ")
}

/// A missing fact as the campaign would write its path: `processors[1].dpa`, and
/// `processors[…].dpa` for the elements beyond those named.
pub fn missing_fact(m: &MissingFact) -> String {
    match m {
        MissingFact::Retention => "retention".into(),
        MissingFact::Field(field) => field.clone(),
        MissingFact::Element { list, index, field } => format!("{list}[{index}].{field}"),
        MissingFact::MoreElements { list, field } => format!("{list}[…].{field}"),
    }
}

/// A finding on one line, for the formats that give each finding a line of text (SARIF,
/// JUnit, GitHub): its message, the rule's citation, and the missing facts it rests on.
pub(super) fn finding_line(policy: &CompiledPolicy, f: &Finding) -> String {
    let message = finding_message(policy, f);
    let mut text = match policy.policy.rule(f.rule) {
        Some(rule) => cited(message, rule),
        None => message,
    };
    for note in finding_notes(f) {
        push_note(&mut text, &note);
    }
    text
}

/// Adds a note after a finding's text: after `; `, or as a sentence of its own after a text
/// that ends one (a `because` with a final period and no `cite`), not `Nordics.; the …`.
fn push_note(text: &mut String, note: &str) {
    if text.ends_with(['.', '!', '?']) {
        text.push(' ');
        let mut chars = note.chars();
        text.extend(chars.next().into_iter().flat_map(char::to_uppercase));
        text.push_str(chars.as_str());
    } else {
        text.push_str("; ");
        text.push_str(note);
    }
}

/// The taxonomy chains that put a use in a rule's scope where they are not exact (`a.b ⊑ a`),
/// categories first: how every report writes "matched via".
pub(super) fn matched_via(policy: &CompiledPolicy, categories: &[CategoryId], purposes: &[PurposeId]) -> Vec<String> {
    let p = &policy.policy;
    let mut via = Vec::new();
    if categories.len() > 1 {
        via.push(categories.iter().map(|c| p.category_path(*c)).collect::<Vec<_>>().join(" ⊑ "));
    }
    if purposes.len() > 1 {
        via.push(purposes.iter().map(|x| p.purpose_path(*x)).collect::<Vec<_>>().join(" ⊑ "));
    }
    via
}

/// The findings that block a use, as reports list them: deny rules in id order, then retain
/// rules from the strictest limit up, so that the limit a marketer must meet comes first (the
/// JSON keeps id order, spec 4).
pub(super) fn blockers_strictest_first(u: &UseDecision) -> Vec<&Finding> {
    let mut blockers: Vec<&Finding> = u.findings.iter().filter(|f| !matches!(f.kind, FindingKind::Warn)).collect();
    blockers.sort_by_key(|f| match f.kind {
        FindingKind::Retain { limit, .. } => Some(limit),
        FindingKind::Allow | FindingKind::Deny | FindingKind::Warn => None,
    });
    blockers
}

/// Where a use is pointed at: its declared retention when retain rules alone blocked it (the
/// value to change), else its category.
pub(super) fn use_span(c: &Campaign, u: &UseDecision) -> Option<Span> {
    let data = c.data.get(u.index)?;
    let only_retention = matches!(u.outcome, Outcome::BlockedBy(_))
        && u.findings.iter().all(|f| matches!(f.kind, FindingKind::Retain { .. } | FindingKind::Warn));
    match &data.retention {
        Some(r) if only_retention => Some(r.span),
        _ => Some(data.category.span),
    }
}

/// Where a warning about a use is shown, in every format: the use's category (a warning is
/// about the use, not the retention that a block by retain rules alone points at), as a
/// blocked use is; human output adds the facts the rule rests on beside it.
pub(super) fn warning_span(c: &Campaign, u: &UseDecision) -> Option<Span> {
    c.data.get(u.index).map(|d| d.category.span)
}

/// A rule's `because` and `cite` as one line, `Reason. (Cite)`, for the places that explain a
/// rule without a finding of it (spec 1: both appear in every explanation of the rule); `None`
/// when the rule gives neither.
pub(super) fn rule_reason(rule: &CheckedRule) -> Option<String> {
    match &rule.because {
        Some(b) => Some(cited(b.clone(), rule)),
        None => rule.cite.as_ref().map(|c| format!("({c})")),
    }
}

/// `text` followed by the rule's citation in brackets, when it has one: how every report
/// puts a reason or a rule's name beside the law it rests on.
pub(super) fn cited(mut text: String, rule: &CheckedRule) -> String {
    if let Some(c) = &rule.cite {
        text.push_str(&format!(" ({c})"));
    }
    text
}

/// The spelling notes of a run, in words, when there are any: notes decide nothing, so a
/// summary line names them only then.
pub(super) fn spelling_notes_text(tally: &Tally) -> Option<String> {
    match tally.spelling_notes {
        0 => None,
        n => Some(format!("{} spelt otherwise than the policy", counted(n, "value", "values"))),
    }
}

/// Text from a campaign or a policy as a terminal, a CI log or an XML 1.0 document can hold it:
/// the characters that [`crate::source::is_hidden`] (control characters, which XML 1.0 forbids
/// even as references, separators, bidirectional overrides) are written as Rust escapes
/// (`\u{1b}`), the form the YAML loader already uses in its messages. Tabs and line breaks
/// stay, except a line break before a line that starts with `::` (after white space): a
/// CI log reads such a line as a command to the CI system (GitHub's runner trims the indent
/// and runs `::set-output …`), so that break is written `\n` and the line goes on. JSON and
/// SARIF keep text as it is: their escaping is exact.
pub(super) fn printable(text: &str) -> Cow<'_, str> {
    let hidden = crate::source::is_hidden;
    if !crate::source::contains_hidden(text) && !breaks_before_command(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (at, c) in text.char_indices() {
        match c {
            '\n' | '\r' if starts_command(text.get(at + 1..).unwrap_or_default()) => out.extend(c.escape_default()),
            c if hidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether a line of `text` after its first starts with `::`, after white space.
fn breaks_before_command(text: &str) -> bool {
    text.match_indices(['\n', '\r']).any(|(at, _)| starts_command(text.get(at + 1..).unwrap_or_default()))
}

/// Whether a line that starts `rest` is read by a CI system as a command: `::` after white
/// space (GitHub's runner trims any, a no-break space or U+3000 as well as spaces and tabs).
fn starts_command(rest: &str) -> bool {
    rest.trim_start_matches(char::is_whitespace).starts_with("::")
}

/// Text as `printable` shows it, with line breaks written `\n` and `\r` too: for text that stays on its line (a
/// message, a label, a file name). A campaign's text must not start a line of its own in a CI
/// log, where a line such as `::warning::…` is a command to the CI system.
pub fn one_line(text: &str) -> Cow<'_, str> {
    match printable(text) {
        shown if shown.contains(['\n', '\r']) => Cow::Owned(shown.replace('\n', "\\n").replace('\r', "\\r")),
        shown => shown,
    }
}

/// `word` as one word of a POSIX shell command line: as it is when no character of it means
/// anything to the shell, else quoted, in `'…'`, or in `$'…'` with `\n`, `\t`, `\r` and `\xNN`
/// for what a reader would not see.
pub fn shell_word(word: &str) -> String {
    shell_bytes(word.as_bytes())
}

/// A path as lagom shows it (`\xNN` for a byte that is not UTF-8, `\\` for a backslash) as
/// one shell word that names the same file, for a command that names a campaign file; `None`
/// when the name is not UTF-8, which such an argument must be.
pub fn shell_path(shown: &str) -> Option<String> {
    let bytes = crate::files::shown_bytes(shown);
    std::str::from_utf8(&bytes).is_ok().then(|| shell_bytes(&bytes))
}

/// `word` as one word of a POSIX shell command line, read back by the shell as these bytes:
/// as it is when no character of it means anything to the shell, quoted in `'…'` when it is
/// text that shows as it is, and else in `$'…'` (bash, zsh, ksh, dash from 0.5.12), with
/// `\n`, `\t`, `\r` and `\xNN` for the line breaks, controls, characters a reader does not
/// see and bytes that are not UTF-8. Written as they are, those would start a line of the help
/// (which wrapping then indents), rewrite the terminal or be lost, and a name shown with
/// `\xff` in `'…'` is another file. A NUL cannot be given (paths and arguments never hold
/// one).
pub(super) fn shell_bytes(word: &[u8]) -> String {
    match std::str::from_utf8(word) {
        Ok(text) if !text.chars().any(escaped_in_shell) => {
            shlex::try_quote(text).map_or_else(|_| text.to_string(), Cow::into_owned)
        }
        _ => ansi_c_quoted(word),
    }
}

/// A character [`shell_bytes`] writes as an escape.
fn escaped_in_shell(c: char) -> bool {
    c.is_control() || crate::chars::is_misleading(c) || crate::chars::is_unseen_in_reports(c)
}

/// `word` quoted as `$'…'` ([`shell_bytes`]).
fn ansi_c_quoted(word: &[u8]) -> String {
    let mut out = String::with_capacity(word.len() + 3);
    out.push_str("$'");
    let hex = |out: &mut String, bytes: &[u8]| {
        for b in bytes {
            out.push_str(&format!("\\x{b:02x}"));
        }
    };
    // Some shells read more than two hex digits after `\x`, so a digit that follows an
    // escape is written as one too.
    let mut after_hex = false;
    for chunk in word.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if escaped_in_shell(c) || (after_hex && c.is_ascii_hexdigit()) => {
                    hex(&mut out, c.encode_utf8(&mut [0; 4]).as_bytes());
                    after_hex = true;
                    continue;
                }
                c => out.push(c),
            }
            after_hex = false;
        }
        hex(&mut out, chunk.invalid());
        after_hex = after_hex || !chunk.invalid().is_empty();
    }
    out.push('\'');
    out
}

/// An option and its path (`--policy PATH`, `--old PATH`) as words of a POSIX shell command
/// line, the path given as its bytes: `--policy=PATH` when the path starts with `-`, which
/// `--policy -p` would read as an option.
pub fn path_option(option: &str, path: &[u8]) -> String {
    if path.starts_with(b"-") {
        shell_bytes(&[option.as_bytes(), b"=", path].concat())
    } else {
        format!("{option} {}", shell_bytes(path))
    }
}

/// Most columns of a name written by a user (a campaign id, a quoted name in a message) shown
/// in human output.
const NAME: usize = 60;

/// A name cut to its first [`NAME`] columns and `…` when it is wider: a 70,000-character
/// category name is one mistake, which the snippet below the message already points at. It is
/// cut between grapheme clusters (what a reader sees as one character: a letter and its
/// accents, a flag, an emoji joined of several), and a wide character (CJK) takes two columns.
pub(super) fn cut(name: &str) -> Cow<'_, str> {
    use unicode_width::UnicodeWidthStr;
    // No character is wider than its UTF-8 bytes.
    if name.len() <= NAME {
        return Cow::Borrowed(name);
    }
    let (mut end, mut columns) = (0, 0);
    let breaks = icu_segmenter::GraphemeClusterSegmenter::new().segment_str(name);
    for next in breaks.skip(1) {
        columns += name.get(end..next).map_or(0, UnicodeWidthStr::width);
        if columns > NAME {
            return Cow::Owned(format!("{}…", name.get(..end).unwrap_or(name)));
        }
        end = next;
    }
    Cow::Borrowed(name)
}

/// A message with each quoted name (`` `…` ``) [`cut`] short.
pub(super) fn shorten_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are between backticks.
        out.push_str(&if i % 2 == 1 { cut(part) } else { Cow::Borrowed(part) });
    }
    out
}

/// A side of a rule's scope as written: `*`, or the paths joined by `, `.
pub(crate) fn targets_text<T: Copy>(targets: &crate::policy::Targets<T>, path: impl Fn(T) -> String) -> String {
    match targets {
        crate::policy::Targets::Some(v) if !v.is_empty() => v.iter().map(|x| path(*x)).collect::<Vec<_>>().join(", "),
        _ => "*".to_string(),
    }
}

/// Why a use blocked by default was not allowed: the allow rules that matched but could not
/// be decided for missing facts (spec 3.1), then the rules that almost match.
pub(super) fn not_allowed_help(policy: &CompiledPolicy, u: &UseDecision, category: &str, purpose: &str) -> String {
    let mut lines: Vec<String> = u
        .unknown_allows
        .iter()
        .filter_map(|f| {
            let rule = policy.policy.rule(f.rule)?;
            let reason = rule_reason(rule).map(|r| format!("; `{}`: {r}", rule.name)).unwrap_or_default();
            Some(format!(
                "`{}` would allow it, but the campaign does not declare {} (missing facts never let data through){reason}",
                rule.name,
                fields(f)
            ))
        })
        .collect();
    let near = near_misses(policy, u);
    if !near.is_empty() {
        lines.push(format!("rules that almost match: {}", near.join("; ")));
    }
    if lines.is_empty() {
        lines.push(format!(
            "use data the policy allows for `{purpose}`, or ask your legal team whether `{category}` may be used for it"
        ));
    }
    lines.join("\n")
}

/// The allow rules that come close to a use no rule allows, in words.
fn near_misses(policy: &CompiledPolicy, u: &UseDecision) -> Vec<String> {
    use crate::policy::RuleScope;
    let p = &policy.policy;
    let mut out = Vec::new();
    for miss in policy.near_misses(u, 3) {
        let Some(rule) = p.rule(miss.rule) else { continue };
        let RuleScope::Uses { categories, purposes } = &rule.scope else { continue };
        let cats = targets_text(categories, |c| p.category_path(c).to_string());
        let purs = targets_text(purposes, |x| p.purpose_path(x).to_string());
        out.push(match miss.closeness {
            Closeness::Condition => {
                format!("`{}` allows {cats} for {purs} but its condition does not hold", rule.name)
            }
            Closeness::Purpose | Closeness::RelatedPurpose | Closeness::OtherPurpose => {
                format!("`{}` allows {cats} for {purs}", rule.name)
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    /// Plain words stay as they are; any other word is quoted so that a shell reads it back
    /// as the one word it was.
    #[test]
    fn a_shell_word_is_quoted_only_when_the_shell_would_read_it_otherwise() {
        assert_eq!(shell_word("c/a.yaml"), "c/a.yaml");
        assert_eq!(shell_word("./p-1_2.policy"), "./p-1_2.policy");
        assert_eq!(shell_word("my campaigns/a.yaml"), "'my campaigns/a.yaml'");
        for special in
            ["it's.yaml", "", "$HOME", "a*b", "~/a", "a;b", "a\"b", "a\\b", "a#b", "(a)", "a`b`", "a!b", "a b'c\"d"]
        {
            let quoted = shell_word(special);
            assert_ne!(quoted, special);
            assert_eq!(shlex::split(&quoted), Some(vec![special.to_string()]), "{special} as {quoted}");
        }
    }

    /// A word with a line break, a control, a character a reader does not see or a byte that
    /// is not UTF-8 is quoted as `$'…'` with escapes, and a shell reads back its very bytes:
    /// the help had given `"n3/bad\\xffname.yaml"` (another file) and raw line breaks.
    #[cfg(unix)]
    #[test]
    fn a_word_a_shell_would_not_read_back_in_quotes_is_written_with_escapes() {
        use std::os::unix::ffi::OsStrExt;
        assert_eq!(super::shell_bytes(b"n3/bad\xffname.yaml"), r"$'n3/bad\xffname.yaml'");
        assert_eq!(shell_word("a\nb"), r"$'a\nb'");
        assert_eq!(super::shell_path("n3/a\nb.yaml").as_deref(), Some(r"$'n3/a\nb.yaml'"));
        assert_eq!(super::shell_path(r"a\\xff.yaml").as_deref(), Some(r#""a\\xff.yaml""#));
        // A campaign path given as an argument is UTF-8: no command names such a file.
        assert_eq!(super::shell_path(r"n3/bad\xffname.yaml"), None);
        assert_eq!(super::path_option("--policy", b"-\xff"), r"$'--policy=-\xff'");
        let words: [&[u8]; 12] = [
            b"n3/bad\xffname.yaml",
            b"a\nb.yaml",
            b"a\r\n\tb",
            b"\x1b[31mred",
            b"it's \xff\\x41 \\ done",
            // A hex digit after an escape is not read as part of it.
            b"\xffab\xfe1",
            b"caf\xc3\xa9\n",
            "spr\u{200b}ing\u{202e}".as_bytes(),
            "a\u{a0}b".as_bytes(),
            b"$HOME `x` \"y\" !z\x01",
            b"\x7f\xc3",
            b"-",
        ];
        for word in words {
            let quoted = super::shell_bytes(word);
            assert!(!quoted.chars().any(|c| c.is_control()), "{quoted}");
            let out = std::process::Command::new("bash").args(["-c", &format!("printf %s {quoted}")]).output();
            let out = out.expect("bash runs");
            assert_eq!(
                std::ffi::OsStr::from_bytes(&out.stdout),
                std::ffi::OsStr::from_bytes(word),
                "{quoted}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    #[test]
    fn a_policy_path_starting_with_a_dash_is_given_as_one_word() {
        assert_eq!(super::path_option("--policy", b"rules"), "--policy rules");
        assert_eq!(super::path_option("--old", b"my rules"), "--old 'my rules'");
        assert_eq!(super::path_option("--policy", b"-p"), "'--policy=-p'");
    }

    #[test]
    fn a_note_follows_a_finished_sentence_as_a_sentence() {
        let joined = |text: &str| {
            let mut t = text.to_string();
            super::push_note(&mut t, "the campaign does not declare `x`");
            t
        };
        assert_eq!(
            joined("We only market in the Nordics."),
            "We only market in the Nordics. The campaign does not declare `x`"
        );
        assert_eq!(joined("Adults only (GDPR Art. 8)"), "Adults only (GDPR Art. 8); the campaign does not declare `x`");
    }

    use super::*;

    #[test]
    fn retention_uses_the_exact_unit() {
        let r = Retention::from_twelfths;
        assert_eq!(retention_text(r(4380 * 2)), "2 years");
        assert_eq!(retention_text(r(365 * 25)), "25 months");
        assert_eq!(retention_text(r(84)), "1 week");
        assert_eq!(retention_text(r(12 * 731)), "731 days");
    }

    #[test]
    fn control_and_direction_characters_are_written_as_escapes() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("a\u{1}b\u{1b}[31mc\u{7f}"), "a\\u{1}b\\u{1b}[31mc\\u{7f}");
        assert_eq!(printable("x\u{202e}y\u{2028}z\u{ffff}"), "x\\u{202e}y\\u{2028}z\\u{ffff}");
        assert_eq!(printable("é ✓"), "é ✓");
        assert_eq!(one_line("key\n::warning::x\r%0A\u{1b}"), "key\\n::warning::x\\r%0A\\u{1b}");
        assert_eq!(one_line("plain"), "plain");
    }

    #[test]
    fn a_line_break_before_a_ci_command_is_written_as_an_escape() {
        // Every other line break stays, so a reason written over several lines still reads so.
        assert_eq!(printable("Do not.\n  Ask legal: x::y"), "Do not.\n  Ask legal: x::y");
        assert_eq!(printable("Do not.\n::error::x\nok"), "Do not.\\n::error::x\nok");
        assert_eq!(printable("a\n \t::set-output name=x::y"), "a\\n \t::set-output name=x::y");
        assert_eq!(printable("a\r::x"), "a\\r::x");
        // A runner splits at `\r` as well as `\n`, and trims line breaks with the white space.
        assert_eq!(printable("a\r\n::x"), "a\\r\\n::x");
        assert_eq!(printable("a\n:b\n:"), "a\n:b\n:");
        assert_eq!(printable("a\n\u{a0}\u{3000}::x"), "a\\n\u{a0}\u{3000}::x");
    }

    #[test]
    fn long_quoted_names_are_cut_short() {
        let name = "x".repeat(500);
        let cut = shorten_quoted(&format!("unknown category `{name}`; did you mean `contact`?"));
        assert_eq!(cut, format!("unknown category `{}…`; did you mean `contact`?", "x".repeat(NAME)));
        let exact = "é".repeat(NAME);
        assert_eq!(shorten_quoted(&format!("`{exact}` and {name}")), format!("`{exact}` and {name}"));
    }

    /// A name is cut between the characters a reader sees, by the columns they take: it was cut
    /// at 60 code points, which changed an emoji joined of several into another, left half a
    /// flag or an accent off its letter, and let 70 CJK characters take 120 columns.
    #[test]
    fn a_long_name_is_cut_between_grapheme_clusters_by_width() {
        use super::cut;
        let a = |n: usize| "a".repeat(n);
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}";
        assert_eq!(cut(&format!("{}{family}", a(57))), format!("{}{family}", a(57)));
        assert_eq!(cut(&format!("{}{family}", a(59))), format!("{}…", a(59)));
        assert_eq!(cut(&format!("{}{family}b", a(58))), format!("{}{family}…", a(58)));
        let flag = "\u{1f1f8}\u{1f1ea}";
        assert_eq!(cut(&format!("{}{flag}", a(59))), format!("{}…", a(59)));
        assert_eq!(cut(&format!("{}{flag}{flag}", a(56))), format!("{}{flag}{flag}", a(56)));
        let accented = "e\u{301}\u{302}";
        assert_eq!(cut(&format!("{}{accented}bc", a(58))), format!("{}{accented}b…", a(58)));
        let cjk = "\u{6f22}".repeat(70);
        assert_eq!(cut(&cjk), format!("{}…", "\u{6f22}".repeat(30)));
        assert_eq!(cut(&"\u{6f22}".repeat(30)), "\u{6f22}".repeat(30));
        // Plain text is cut at 60 characters, as before.
        assert_eq!(cut(&a(61)), format!("{}…", a(60)));
        assert_eq!(cut(&a(60)), a(60));
    }
}
