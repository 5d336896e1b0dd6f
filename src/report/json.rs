//! `--format json`: spec 4.1, version 1.

use serde::Serialize;

use super::chunks::write_chunked;
use super::message::finding_message;
use super::pretty::nested;
use crate::batch::{CampaignResult, Results, Tally, Verdict};
use crate::diagnostic::{place_location, Problem};
use crate::eval::{CampaignDecision, CompiledPolicy, Finding, FindingKind, Spelt};
use crate::policy::PolicyError;
use crate::source::{Location, SourceMap};

#[derive(Serialize)]
struct JsonLocation {
    file: String,
    line: usize,
    column: usize,
}

impl From<Location> for JsonLocation {
    fn from(l: Location) -> Self {
        JsonLocation { file: l.file, line: l.line, column: l.column }
    }
}

#[derive(Serialize)]
pub(super) struct JsonError {
    message: String,
    location: JsonLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<JsonLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    code: &'static str,
}

fn error(p: &Problem, sources: &SourceMap) -> JsonError {
    JsonError {
        message: p.message.clone(),
        location: p.location(sources).into(),
        related: p.related.first().map(|r| place_location(&r.place, sources).into()),
        help: p.help.clone(),
        code: p.code.as_str(),
    }
}

/// Each problem as `check`'s JSON gives it, located in `sources`.
pub(super) fn errors(problems: &[Problem], sources: &SourceMap) -> Vec<JsonError> {
    problems.iter().map(|p| error(p, sources)).collect()
}

#[derive(Serialize)]
struct PolicyErrors {
    version: u32,
    policy_errors: Vec<JsonError>,
}

/// The JSON document for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    to_string(&PolicyErrors { version: 1, policy_errors: errors(&err.problems, &err.sources) })
}

#[derive(Serialize)]
struct SidedError<'a> {
    /// Which of the policies compared (`old`, `new`).
    policy: &'a str,
    #[serde(flatten)]
    error: JsonError,
}

#[derive(Serialize)]
struct SidedPolicyErrors<'a> {
    version: u32,
    policy_errors: Vec<SidedError<'a>>,
}

/// The JSON document for several invalid policies (`lagom diff`'s old and new, each named by
/// its side): every error of each, in order, located in its own policy's files and saying
/// which policy it is about (the same files may be given as both).
pub fn policies_errors(errs: &[(&str, PolicyError)]) -> String {
    let policy_errors = errs
        .iter()
        .flat_map(|(side, e)| {
            errors(&e.problems, &e.sources).into_iter().map(|error| SidedError { policy: side, error })
        })
        .collect();
    to_string(&SidedPolicyErrors { version: 1, policy_errors })
}

#[derive(Serialize)]
struct InvalidCampaign<'a> {
    version: u32,
    file: &'a str,
    campaign: Option<&'a str>,
    decision: &'static str,
    uses: [(); 0],
    campaign_rules: [(); 0],
    errors: Vec<JsonError>,
}

/// The JSON document of `lagom explain` for a campaign that cannot be decided: the shape of an
/// explanation, with no uses, and the errors as `check` gives them.
pub fn invalid_campaign(file: &str, campaign: Option<&str>, problems: &[Problem], sources: &SourceMap) -> String {
    let doc = InvalidCampaign {
        version: 1,
        file,
        campaign,
        decision: "invalid",
        uses: [],
        campaign_rules: [],
        errors: errors(problems, sources),
    };
    to_string(&doc)
}

#[derive(Serialize)]
struct UsageErrors {
    version: u32,
    errors: Vec<JsonError>,
}

/// The JSON document for a command that could not start on its inputs (an unknown
/// `--category`, a directory where one file is expected): the errors, each as `check` gives them.
pub fn usage_errors(problems: &[Problem], sources: &SourceMap) -> String {
    to_string(&UsageErrors { version: 1, errors: errors(problems, sources) })
}

#[derive(Serialize)]
struct Validated {
    version: u32,
    policy_errors: Vec<JsonError>,
    policy_warnings: Vec<JsonError>,
}

/// The JSON document of `lagom validate` for a valid policy: no errors, and its static warnings.
pub fn policy_warnings(warnings: &[Problem], sources: &SourceMap) -> String {
    let doc = Validated { version: 1, policy_errors: Vec::new(), policy_warnings: errors(warnings, sources) };
    to_string(&doc)
}

/// The JSON document of `lagom validate` for an invalid policy: its errors, and no warnings (a
/// policy is linted once it is valid), so that both keys are always there.
pub fn validate_errors(err: &PolicyError) -> String {
    let doc = Validated { version: 1, policy_errors: errors(&err.problems, &err.sources), policy_warnings: Vec::new() };
    to_string(&doc)
}

/// Pretty JSON with a final newline.
pub(crate) fn to_string<T: Serialize>(doc: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(doc).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
    s.push('\n');
    s
}

/// The `policy` object of spec 4.1: name, version and digest.
#[derive(Serialize)]
pub(super) struct PolicyInfo<'a> {
    name: Option<&'a str>,
    version: Option<&'a str>,
    digest: &'a str,
}

impl<'a> PolicyInfo<'a> {
    pub(super) fn of(p: &'a crate::policy::CheckedPolicy) -> PolicyInfo<'a> {
        PolicyInfo { name: p.name.as_deref(), version: p.version.as_deref(), digest: &p.digest }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    effect: &'static str,
    severity: &'static str,
    message: String,
    cite: Option<&'a str>,
    unknown: Vec<String>,
    location: JsonLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matched: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    respellings: Vec<JsonRespelling<'a>>,
    /// Where the campaign states the facts the finding rests on (`location` is the rule's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<JsonLocation>,
}

/// A value a finding's rule compared, spelt otherwise than the policy spells it.
#[derive(Serialize)]
struct JsonRespelling<'a> {
    written: &'a str,
    meant: &'a str,
    location: JsonLocation,
    /// Present, and true, for a label's name rather than a value.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    label_name: bool,
}

#[derive(Serialize)]
struct JsonUse<'a> {
    index: usize,
    category: &'a str,
    purpose: &'a str,
    basis: Option<&'a str>,
    decision: &'static str,
    rules: RuleNames<'a>,
    warnings: RuleNames<'a>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonCampaign<'a> {
    file: &'a str,
    campaign: Option<&'a str>,
    decision: &'static str,
    uses: Vec<JsonUse<'a>>,
    campaign_rules: RuleNames<'a>,
    campaign_warnings: RuleNames<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    campaign_findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    respellings: Vec<JsonSpellingNote<'a>>,
    errors: Vec<JsonError>,
}

/// A campaign text spelt otherwise than the policy spells it, wherever it compares the field.
#[derive(Serialize)]
pub(super) struct JsonSpellingNote<'a> {
    field: String,
    written: &'a str,
    meant: &'a str,
    rules: RuleNames<'a>,
    message: String,
    location: JsonLocation,
}

/// Rule ids serialised as their names, without collecting the names first.
struct RuleNames<'a> {
    policy: &'a crate::policy::CheckedPolicy,
    ids: &'a [crate::policy::RuleId],
}

impl Serialize for RuleNames<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids.iter().filter_map(|id| self.policy.rule(*id).map(|r| r.name.as_str())))
    }
}

#[derive(Serialize)]
struct JsonSummary {
    allowed: usize,
    blocked: usize,
    invalid: usize,
    warnings: usize,
}

fn finding<'a>(policy: &'a CompiledPolicy, sources: &SourceMap, f: &'a Finding) -> JsonFinding<'a> {
    let rule = policy.policy.rule(f.rule);
    let (effect, severity) = match f.kind {
        FindingKind::Allow => ("allow", "info"),
        FindingKind::Deny => ("deny", "error"),
        FindingKind::Warn => ("warn", "warning"),
        FindingKind::Retain { .. } => ("retain", "error"),
    };
    let matched = super::message::matched_via(policy, &f.category_path, &f.purpose_path);
    JsonFinding {
        rule: rule.map_or("", |r| r.name.as_str()),
        effect,
        severity,
        message: finding_message(policy, f),
        cite: rule.and_then(|r| r.cite.as_deref()),
        unknown: f.unknown.iter().map(super::message::missing_fact).collect(),
        location: rule
            .map_or(JsonLocation { file: String::new(), line: 1, column: 1 }, |r| sources.location(r.span).into()),
        matched,
        respellings: f
            .respellings
            .iter()
            .map(|r| JsonRespelling {
                written: &r.written,
                meant: &r.meant,
                location: sources.location(r.at).into(),
                label_name: r.spelt == Spelt::LabelName,
            })
            .collect(),
        evidence: f.evidence.iter().map(|s| sources.location(*s).into()).collect(),
    }
}

/// A decision's campaign texts spelt otherwise than the policy, as `check` and `explain` give
/// them.
pub(super) fn spelling_notes<'a>(
    policy: &'a CompiledPolicy,
    sources: &SourceMap,
    d: &'a CampaignDecision,
) -> Vec<JsonSpellingNote<'a>> {
    d.spelling_notes
        .iter()
        .map(|u| JsonSpellingNote {
            field: u.field.campaign_key(),
            written: &u.respelling.written,
            meant: &u.respelling.meant,
            rules: RuleNames { policy: &policy.policy, ids: &u.rules },
            message: super::message::spelling_message(policy, u),
            location: sources.location(u.respelling.at).into(),
        })
        .collect()
}

/// One campaign's entry in the document.
fn campaign<'a>(policy: &'a CompiledPolicy, sources: &'a SourceMap, r: &'a CampaignResult) -> JsonCampaign<'a> {
    let p = &policy.policy;
    let names = |ids| RuleNames { policy: p, ids };
    match &r.verdict {
        Verdict::Invalid(problems) => JsonCampaign {
            file: &r.file,
            campaign: r.id.as_deref(),
            decision: "invalid",
            uses: Vec::new(),
            campaign_rules: names(&[]),
            campaign_warnings: names(&[]),
            campaign_findings: Vec::new(),
            respellings: Vec::new(),
            errors: errors(problems, sources),
        },
        Verdict::Decided(_, d) => JsonCampaign {
            file: &r.file,
            campaign: r.id.as_deref(),
            decision: d.decision.as_str(),
            uses: d
                .uses
                .iter()
                .map(|u| JsonUse {
                    index: u.index,
                    category: p.category_path(u.category),
                    purpose: p.purpose_path(u.purpose),
                    basis: u.basis.as_deref(),
                    decision: u.outcome.decision().as_str(),
                    rules: names(u.outcome.rules()),
                    warnings: names(&u.warnings),
                    findings: u.findings.iter().map(|f| finding(policy, sources, f)).collect(),
                })
                .collect(),
            campaign_rules: names(&d.campaign_rules),
            campaign_warnings: names(&d.campaign_warnings),
            campaign_findings: d.campaign_findings.iter().map(|f| finding(policy, sources, f)).collect(),
            respellings: spelling_notes(policy, sources, d),
            errors: Vec::new(),
        },
    }
}

/// Writes the JSON document for a checked batch, a chunk of campaigns at a time (each chunk
/// serialised in parallel), so that the whole document is never held in memory.
pub fn write(policy: &CompiledPolicy, results: &dyn Results, out: &mut dyn std::io::Write) -> std::io::Result<Tally> {
    let p = &policy.policy;
    let info = PolicyInfo::of(p);
    out.write_all(b"{\n  \"version\": 1,\n  \"policy\": ")?;
    out.write_all(&nested(&info, 1)?)?;
    out.write_all(b",\n  \"campaigns\": ")?;
    let mut first = true;
    let s = write_chunked(
        results,
        |r| nested(&campaign(policy, results.sources(), r), 2),
        |part| {
            let part = part?;
            out.write_all(if first { b"[\n    " } else { b",\n    " })?;
            first = false;
            out.write_all(&part)
        },
    )?;
    out.write_all(if first { b"[]" } else { b"\n  ]" })?;
    let summary = JsonSummary { allowed: s.allowed, blocked: s.blocked, invalid: s.invalid, warnings: s.warnings };
    out.write_all(b",\n  \"summary\": ")?;
    out.write_all(&nested(&summary, 1)?)?;
    out.write_all(b"\n}\n")?;
    Ok(s)
}

/// The JSON document for a checked batch.
pub fn render(policy: &CompiledPolicy, results: &dyn Results) -> String {
    super::in_memory(|w| write(policy, results, w).map(drop))
}
