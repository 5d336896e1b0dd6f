//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One result per blocked
//! use, campaign-level rule, warning or input error; rule metadata carries the reason and the
//! legal citation.

use std::collections::{BTreeMap, BTreeSet};

use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::chunks::write_chunked;
use super::items::{campaign_items, error_item, Item, ItemRule, Level};
use super::json::PolicyInfo;
use super::pretty::nested;
use crate::batch::{CampaignResult, Results, Tally};
use crate::diagnostic::Code;
use crate::eval::{CompiledPolicy, Warnings};
use crate::files::shown_bytes;
use crate::policy::{PolicyError, RuleEffect};
use crate::source::Location;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// What a URI path segment keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A file as a SARIF `artifactLocation.uri` (a URI reference, SARIF 2.1.0 §3.4.3): a relative
/// path stays relative, without `.` steps; an absolute one becomes a `file://` URI; every
/// segment is percent-encoded (`with space.yaml` → `with%20space.yaml`, `a#b` → `a%23b`,
/// `c:d.yaml` → `c%3Ad.yaml`, which cannot read as a scheme), byte by byte of the name itself
/// (a byte that is not UTF-8, shown `\xff`, is `%FF`; a backslash, shown `\\`, is `%5C`). A folder with no segment left
/// (`.`, an error about the folder a run was pointed at) is `./`: GitHub refuses a whole log
/// with an empty `uri`.
fn artifact_uri(file: &str) -> String {
    let segments: Vec<String> =
        super::path_segments(file).map(|s| percent_encode(&shown_bytes(s), SEGMENT).to_string()).collect();
    let path = segments.join("/");
    match (file.starts_with('/'), path.is_empty()) {
        (true, _) => format!("file:///{path}"),
        (false, true) => "./".to_string(),
        (false, false) => path,
    }
}

fn physical_location(l: &Location) -> Value {
    json!({
        "artifactLocation": artifact_location(&l.file),
        "region": { "startLine": l.line, "startColumn": l.column }
    })
}

/// A file as a SARIF `artifactLocation`. Standard input is no file, but GitHub refuses a whole
/// log with a result that has no `artifactLocation.uri` (or an empty one), so it keeps the
/// `uri` `-` and says what it is in `description`; a file named `-` (`./-`) has none.
fn artifact_location(file: &str) -> Value {
    match file {
        "-" => json!({ "uri": "-", "description": { "text": "standard input" } }),
        _ => json!({ "uri": artifact_uri(file) }),
    }
}

/// A result's `locations`: one, also for standard input (GitHub's upload refuses a whole log
/// with a result that has none).
fn locations(l: &Location) -> Value {
    json!([{ "physicalLocation": physical_location(l) }])
}

/// A message object's text. Standard input is no file of the repository, so a result there,
/// at the location `-`, says where it is. A brace is doubled (SARIF 2.1.0 §3.11.5: `{0}` is a
/// placeholder, and a literal `{` SHALL be written `{{`), so that a consumer shows
/// `{ regions: [SE]}` or a campaign's `contact.{0}` as written, not as a missing argument.
fn message_text(l: &Location, message: &str) -> String {
    let text = match l.file.as_str() {
        "-" => format!("standard input, line {}, column {}: {message}", l.line, l.column),
        _ => message.to_string(),
    };
    braces_doubled(text)
}

/// A text with its braces doubled, for a SARIF message (§3.11.5).
fn braces_doubled(text: String) -> String {
    match text.contains(['{', '}']) {
        true => text.replace('{', "{{").replace('}', "}}"),
        false => text,
    }
}

/// A rule's readable name: its id in PascalCase (`opt_out_required` → `OptOutRequired`,
/// `lagom::default_deny` → `DefaultDeny`), as SARIF wants a name that is not the id (SARIF1001);
/// `None` when that would be the id itself but for case (`w1` → `W1`), which SARIF1001 also
/// reports.
fn readable_name(rule: &ItemRule) -> Option<String> {
    let name: String = rule
        .name()
        .split(['_', '-'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars.next().into_iter().flat_map(char::to_uppercase).chain(chars)
        })
        .collect();
    (!name.is_empty() && !name.eq_ignore_ascii_case(&rule.id())).then_some(name)
}

fn rule_descriptor(policy: Option<&CompiledPolicy>, rule: &ItemRule) -> Value {
    let mut descriptor = rule_metadata(policy, rule);
    if let (Some(fields), Some(name)) = (descriptor.as_object_mut(), readable_name(rule)) {
        fields.insert("name".into(), Value::String(name));
    }
    descriptor
}

fn rule_metadata(policy: Option<&CompiledPolicy>, rule: &ItemRule) -> Value {
    match rule {
        ItemRule::Policy(name) => {
            let r = policy.and_then(|p| p.policy.rule_named(name));
            let because = r.and_then(|r| r.because.clone()).unwrap_or_else(|| format!("policy rule `{name}`"));
            let cite = r.and_then(|r| r.cite.clone());
            let help = match &cite {
                Some(c) => format!("{because}\n\nLegal basis: {c}"),
                None => because.clone(),
            };
            let lvl = match r.map(|r| r.effect) {
                Some(RuleEffect::Warn) => "warning",
                _ => "error",
            };
            json!({
                "id": name,
                "shortDescription": { "text": format!("lagom rule {name}") },
                "fullDescription": { "text": because },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": lvl },
                "properties": { "cite": cite, "effect": r.map(|r| r.effect.as_str()), "tags": ["privacy", "gdpr"] }
            })
        }
        ItemRule::DefaultDeny => json!({
            "id": rule.id(),
            "shortDescription": { "text": "No rule allows this data use" },
            "fullDescription": { "text": "lagom blocks every use of personal data that no allow rule permits for its purpose (purpose limitation and data minimisation)." },
            "help": { "text": "Use only data the policy allows for this purpose, or ask the legal team to add an allow rule.\n\nLegal basis: GDPR Art. 5(1)(b)-(c)" },
            "defaultConfiguration": { "level": "error" },
            "properties": { "cite": "GDPR Art. 5(1)(b)-(c)", "tags": ["privacy", "gdpr"] }
        }),
        ItemRule::Error(code) => json!({
            "id": rule.id(),
            "shortDescription": { "text": format!("invalid input ({})", code.as_str()) },
            "fullDescription": { "text": "The file could not be evaluated; fix it so that lagom can check it." },
            "help": { "text": "See the message for the fix." },
            "defaultConfiguration": { "level": "error" }
        }),
        ItemRule::Respelling => json!({
            "id": rule.id(),
            "shortDescription": { "text": "A value spelt otherwise than the policy spells it" },
            "fullDescription": { "text": "The campaign writes a value that equals one the policy compares the field with but for case, spaces, `_`, dashes or how its characters are encoded (NFKC), and equals none exactly. Values are compared exactly, so the rules that compare the field with the policy's spelling read it as another value; the decision stands as written." },
            "help": { "text": "Write the value as the policy does if that is what is meant." },
            "defaultConfiguration": { "level": "note" }
        }),
    }
}

/// The rules results refer to, numbered as SARIF's `ruleIndex` wants: first each item's own
/// rule in the order items come, then the other deciding rules in the order they come.
#[derive(Default)]
struct RuleTable {
    index: BTreeMap<ItemRule, usize>,
    /// Deciding rules in order of first appearance; numbered after every item's own rule.
    also: Vec<String>,
    also_seen: BTreeSet<String>,
}

impl RuleTable {
    /// The index of an item's rule, numbered when first seen; notes its deciding rules.
    fn add(&mut self, item: &Item) -> usize {
        let next = self.index.len();
        let i = *self.index.entry(item.rule.clone()).or_insert(next);
        for (name, _) in &item.deciding {
            if self.also_seen.insert(name.clone()) {
                self.also.push(name.clone());
            }
        }
        i
    }

    /// Every rule in index order.
    fn ordered(mut self) -> Vec<ItemRule> {
        for name in std::mem::take(&mut self.also) {
            let next = self.index.len();
            self.index.entry(ItemRule::Policy(name)).or_insert(next);
        }
        let mut ordered: Vec<(ItemRule, usize)> = self.index.into_iter().collect();
        ordered.sort_by_key(|(_, i)| *i);
        ordered.into_iter().map(|(r, _)| r).collect()
    }
}

fn result(it: &Item, rule_index: usize, warnings: Warnings) -> Value {
    let rules = it.deciding.iter().map(|(name, loc)| (format!("rule `{name}`"), loc));
    let others = it.related.iter().map(|(label, loc)| (label.clone(), loc));
    let related: Vec<Value> = rules
        .chain(others)
        .enumerate()
        .map(|(i, (text, loc))| {
            json!({
                "id": i,
                "message": { "text": message_text(loc, &text) },
                "physicalLocation": physical_location(loc),
            })
        })
        .collect();
    json!({
        "ruleId": it.rule.id(),
        "ruleIndex": rule_index,
        "level": result_level(it.level, warnings),
        "message": { "text": message_text(&it.location, &it.message) },
        "locations": locations(&it.location),
        "relatedLocations": related,
    })
}

/// A result's level: a warning is an error when warnings fail the run (`--deny-warnings`), so
/// that code scanning shows it as what failed the job.
fn result_level(l: Level, warnings: Warnings) -> &'static str {
    match (l, warnings) {
        (Level::Warning, Warnings::Fail) => level(Level::Error),
        _ => level(l),
    }
}

/// The run's `invocations`: whether lagom could analyse the campaigns at all, and if not
/// (an invalid policy) why, as tool execution notifications. A consumer must not read the
/// results of a run that failed as a clean analysis, which would close every open alert.
/// The files skipped for their names are notifications of level `note` either way: a policy
/// file's rules are not enforced, and a log read only through SARIF would not say so.
fn invocation(failures: &[Item], skipped: &Skipped) -> Value {
    let failed = failures.iter().map(|it| {
        json!({
            "level": level(it.level),
            "message": { "text": message_text(&it.location, &it.message) },
            "locations": locations(&it.location),
            "descriptor": { "id": it.rule.id() },
        })
    });
    let noted = |text: String| json!({ "level": "note", "message": { "text": braces_doubled(text) }, "descriptor": { "id": Code::SkippedFile.as_str() } });
    let policy = skipped.policy.iter().map(|name| noted(super::human::skipped_policy_text(name)));
    let campaigns = skipped.campaigns.iter().map(|name| noted(super::human::skipped_text(name)));
    let notifications: Vec<Value> = failed.chain(policy).chain(campaigns).collect();
    match (failures.is_empty(), notifications.is_empty()) {
        (true, true) => json!([{ "executionSuccessful": true }]),
        (true, false) => json!([{ "executionSuccessful": true, "toolExecutionNotifications": notifications }]),
        (false, _) => json!([{ "executionSuccessful": false, "toolExecutionNotifications": notifications }]),
    }
}

/// The files of a run skipped for their names: below a policy folder (`10-deny.polcy`) and a
/// campaign folder (`spring.yaml.txt`).
#[derive(Default)]
struct Skipped<'a> {
    policy: &'a [String],
    campaigns: &'a [String],
}

/// Writes the SARIF log of items, given a campaign's worth at a time (`each` calls its
/// argument for every such part, in order); `failures` are what stopped the analysis, if
/// anything did. Keys are in serde_json's (sorted) order, so `results` comes before the rule
/// metadata: results are written as they are made and the rules they named are described at
/// the end.
fn write_items(
    policy: Option<&CompiledPolicy>,
    warnings: Warnings,
    failures: &[Item],
    skipped: &Skipped,
    each: impl FnOnce(&mut dyn FnMut(Vec<Item>) -> std::io::Result<()>) -> std::io::Result<()>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Columns count characters, as everywhere in lagom (SARIF's default is UTF-16 units).
    write!(
        out,
        "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"unicodeCodePoints\",\n      \"invocations\": "
    )?;
    out.write_all(&nested(&invocation(failures, skipped), 3)?)?;
    // The policy's identity (spec 4.1's name, version and digest), so that an approval of the
    // log can be traced to the policy it was made under.
    if let Some(p) = policy {
        let properties = json!({ "policy": PolicyInfo::of(&p.policy) });
        out.write_all(b",\n      \"properties\": ")?;
        out.write_all(&nested(&properties, 3)?)?;
    }
    out.write_all(b",\n      \"results\": ")?;
    let mut rules = RuleTable::default();
    let mut first = true;
    each(&mut |items| {
        for it in &items {
            let index = rules.add(it);
            out.write_all(if first { b"[\n        " } else { b",\n        " })?;
            out.write_all(&nested(&result(it, index, warnings), 4)?)?;
            first = false;
        }
        Ok(())
    })?;
    out.write_all(if first { b"[]" } else { b"\n      ]" })?;
    let descriptors: Vec<Value> = rules.ordered().iter().map(|r| rule_descriptor(policy, r)).collect();
    let tool = json!({ "driver": {
        "name": "lagom",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": descriptors
    }});
    out.write_all(b",\n      \"tool\": ")?;
    out.write_all(&nested(&tool, 3)?)?;
    out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
}

/// Writes the SARIF log for a batch, a chunk of campaigns at a time, so that the whole log is
/// never held in memory. With [`Warnings::Fail`] warnings are results of level `error`.
pub fn write(
    policy: &CompiledPolicy,
    results: &dyn Results,
    warnings: Warnings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Tally> {
    let items = |r: &CampaignResult| campaign_items(policy, results.sources(), r);
    let mut tally = Tally::default();
    let skipped = Skipped { policy: &policy.policy.skipped, campaigns: results.skipped() };
    write_items(
        Some(policy),
        warnings,
        &[],
        &skipped,
        |each| {
            tally = write_chunked(results, items, each)?;
            Ok(())
        },
        out,
    )?;
    Ok(tally)
}

/// The SARIF log for a batch, warnings as warnings.
pub fn render(policy: &CompiledPolicy, results: &dyn Results) -> String {
    super::in_memory(|w| write(policy, results, Warnings::Pass, w).map(drop))
}

/// The SARIF log for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    let items: Vec<Item> = err.problems.iter().map(|p| error_item(p, &err.sources)).collect();
    let skipped = Skipped { policy: &err.skipped, campaigns: &[] };
    super::in_memory(|w| write_items(None, Warnings::Pass, &items.clone(), &skipped, |each| each(items), w))
}

#[cfg(test)]
mod tests {
    use super::{artifact_uri, message_text, readable_name};
    use crate::diagnostic::Code;
    use crate::report::items::ItemRule;

    /// SARIF1001: a rule's name is not its id.
    #[test]
    fn rule_names_are_the_ids_in_pascal_case() {
        assert_eq!(readable_name(&ItemRule::Policy("opt_out_required".into())).as_deref(), Some("OptOutRequired"));
        assert_eq!(readable_name(&ItemRule::DefaultDeny).as_deref(), Some("DefaultDeny"));
        assert_eq!(readable_name(&ItemRule::Error(Code::UnknownName)).as_deref(), Some("UnknownName"));
        assert_eq!(readable_name(&ItemRule::Policy("Already".into())), None);
        // Equal but for case is the id to SARIF1001 too.
        assert_eq!(readable_name(&ItemRule::Policy("w1".into())), None);
        assert_eq!(readable_name(&ItemRule::Policy("consent".into())), None);
    }

    /// SARIF 2.1.0 §3.11.5: `{n}` is a placeholder, a literal brace is doubled.
    #[test]
    fn braces_in_messages_are_doubled() {
        let at = |file: &str| crate::source::Location { file: file.into(), line: 2, column: 3 };
        assert_eq!(message_text(&at("a.yaml"), "unknown category `contact.{0}`"), "unknown category `contact.{{0}}`");
        assert_eq!(message_text(&at("-"), "`{}`"), "standard input, line 2, column 3: `{{}}`");
        assert_eq!(message_text(&at("a.yaml"), "no braces"), "no braces");
    }

    #[test]
    fn files_become_uri_references() {
        assert_eq!(artifact_uri("./c/with space.yaml"), "c/with%20space.yaml");
        assert_eq!(artifact_uri(".//a#b.yaml"), "a%23b.yaml");
        assert_eq!(artifact_uri("q?x%.yaml"), "q%3Fx%25.yaml");
        assert_eq!(artifact_uri("c:d.yaml"), "c%3Ad.yaml");
        assert_eq!(artifact_uri("å.yaml"), "%C3%A5.yaml");
        assert_eq!(artifact_uri("/tmp/p q/x.yaml"), "file:///tmp/p%20q/x.yaml");
    }

    /// A name is encoded byte by byte: the byte 0xFF (shown `\xff`) and the text `\xff` (shown
    /// `\\xff`) are two files.
    #[test]
    fn names_that_are_not_utf8_are_encoded_as_their_bytes() {
        assert_eq!(artifact_uri("d/\\xffname.yaml"), "d/%FFname.yaml");
        assert_eq!(artifact_uri("d/\\\\xffname.yaml"), "d/%5Cxffname.yaml");
        assert_eq!(artifact_uri("\\xc3\\xa5.yaml"), "%C3%A5.yaml");
    }

    #[test]
    fn the_current_folder_is_a_uri_that_names_it() {
        assert_eq!(artifact_uri("."), "./");
        assert_eq!(artifact_uri(".//./"), "./");
        assert_eq!(artifact_uri("/"), "file:///");
    }
}
