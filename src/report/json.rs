//! `--format json`: spec 4.1, version 1.

use rayon::prelude::*;
use serde::Serialize;

use super::message::{finding_message, Summary};
use crate::batch::{Batch, CampaignResult, Verdict};
use crate::diagnostic::{place_location, Problem};
use crate::eval::{CompiledPolicy, Finding, FindingKind};
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
struct JsonError {
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

#[derive(Serialize)]
struct PolicyErrors {
    version: u32,
    policy_errors: Vec<JsonError>,
}

/// The JSON document for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    let doc = PolicyErrors { version: 1, policy_errors: err.problems.iter().map(|p| error(p, &err.sources)).collect() };
    to_string(&doc)
}

#[derive(Serialize)]
struct Validated {
    version: u32,
    policy_errors: Vec<JsonError>,
    policy_warnings: Vec<JsonError>,
}

/// The JSON document of `lagom validate` for a valid policy: no errors, and its static warnings.
pub fn policy_warnings(warnings: &[Problem], sources: &SourceMap) -> String {
    let doc = Validated {
        version: 1,
        policy_errors: Vec::new(),
        policy_warnings: warnings.iter().map(|p| error(p, sources)).collect(),
    };
    to_string(&doc)
}

/// Pretty JSON with a final newline.
pub(crate) fn to_string<T: Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
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
struct JsonFinding {
    rule: String,
    effect: &'static str,
    severity: &'static str,
    message: String,
    cite: Option<String>,
    unknown: Vec<String>,
    location: JsonLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    matched: Vec<String>,
}

#[derive(Serialize)]
struct JsonUse {
    index: usize,
    category: String,
    purpose: String,
    basis: String,
    decision: &'static str,
    rules: Vec<String>,
    warnings: Vec<String>,
    findings: Vec<JsonFinding>,
}

#[derive(Serialize)]
struct JsonCampaign {
    file: String,
    campaign: Option<String>,
    decision: &'static str,
    uses: Vec<JsonUse>,
    campaign_rules: Vec<String>,
    campaign_warnings: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    campaign_findings: Vec<JsonFinding>,
    errors: Vec<JsonError>,
}

#[derive(Serialize)]
struct JsonSummary {
    allowed: usize,
    blocked: usize,
    invalid: usize,
    warnings: usize,
}

fn finding(policy: &CompiledPolicy, sources: &SourceMap, f: &Finding) -> JsonFinding {
    let rule = policy.policy.rule(f.rule);
    let (effect, severity) = match f.kind {
        FindingKind::Allow => ("allow", "info"),
        FindingKind::Deny => ("deny", "error"),
        FindingKind::Warn => ("warn", "warning"),
        FindingKind::Retain { .. } => ("retain", "error"),
    };
    let mut matched: Vec<String> = Vec::new();
    if f.category_path.len() > 1 {
        matched.push(f.category_path.iter().map(|c| policy.policy.category_path(*c)).collect::<Vec<_>>().join(" ⊑ "));
    }
    if f.purpose_path.len() > 1 {
        matched.push(f.purpose_path.iter().map(|p| policy.policy.purpose_path(*p)).collect::<Vec<_>>().join(" ⊑ "));
    }
    JsonFinding {
        rule: rule.map(|r| r.name.clone()).unwrap_or_default(),
        effect,
        severity,
        message: finding_message(policy, f),
        cite: rule.and_then(|r| r.cite.clone()),
        unknown: f.unknown.clone(),
        location: rule
            .map_or(JsonLocation { file: String::new(), line: 1, column: 1 }, |r| sources.location(r.span).into()),
        matched,
    }
}

/// One campaign's entry in the document.
fn campaign(policy: &CompiledPolicy, batch: &Batch, r: &CampaignResult) -> JsonCampaign {
    let p = &policy.policy;
    match &r.verdict {
        Verdict::Invalid(problems) => JsonCampaign {
            file: r.file.clone(),
            campaign: r.id.clone(),
            decision: "invalid",
            uses: Vec::new(),
            campaign_rules: Vec::new(),
            campaign_warnings: Vec::new(),
            campaign_findings: Vec::new(),
            errors: problems.iter().map(|e| error(e, &batch.sources)).collect(),
        },
        Verdict::Decided(_, d) => JsonCampaign {
            file: r.file.clone(),
            campaign: r.id.clone(),
            decision: d.decision.as_str(),
            uses: d
                .uses
                .iter()
                .map(|u| JsonUse {
                    index: u.index,
                    category: p.category_path(u.category).to_string(),
                    purpose: p.purpose_path(u.purpose).to_string(),
                    basis: u.basis.clone(),
                    decision: u.outcome.decision().as_str(),
                    rules: policy.policy.rule_names(u.outcome.rules()),
                    warnings: policy.policy.rule_names(&u.warnings),
                    findings: u.findings.iter().map(|f| finding(policy, &batch.sources, f)).collect(),
                })
                .collect(),
            campaign_rules: policy.policy.rule_names(&d.campaign_rules),
            campaign_warnings: policy.policy.rule_names(&d.campaign_warnings),
            campaign_findings: d.campaign_findings.iter().map(|f| finding(policy, &batch.sources, f)).collect(),
            errors: Vec::new(),
        },
    }
}

/// Campaigns serialised at once by [`write`]: enough for every core, few enough to keep memory
/// flat however many campaigns a run has.
const CAMPAIGNS_PER_CHUNK: usize = 256;

/// `value` as pretty JSON nested `depth` levels deep: serde_json indents by two spaces per
/// level, and no JSON string holds a raw line break, so indenting every line after the first
/// gives exactly what serialising the whole document at once gives.
fn nested<T: Serialize>(value: &T, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// Writes the JSON document for a checked batch, a chunk of campaigns at a time (each chunk
/// serialised in parallel), so that the whole document is never held in memory.
pub fn write(policy: &CompiledPolicy, batch: &Batch, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let p = &policy.policy;
    let info = PolicyInfo::of(p);
    write!(out, "{{\n  \"version\": 1,\n  \"policy\": {},\n  \"campaigns\": ", nested(&info, 1))?;
    if batch.results.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[\n")?;
        for (c, chunk) in batch.results.chunks(CAMPAIGNS_PER_CHUNK).enumerate() {
            let parts: Vec<String> = chunk.par_iter().map(|r| nested(&campaign(policy, batch, r), 2)).collect();
            for (i, part) in parts.iter().enumerate() {
                if c > 0 || i > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(b"    ")?;
                out.write_all(part.as_bytes())?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    let s = Summary::of(batch);
    let summary = JsonSummary { allowed: s.allowed, blocked: s.blocked, invalid: s.invalid, warnings: s.warnings };
    write!(out, ",\n  \"summary\": {}\n}}\n", nested(&summary, 1))
}

/// The JSON document for a checked batch.
pub fn render(policy: &CompiledPolicy, batch: &Batch) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = write(policy, batch, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
