//! `lagom diff` output: each changed campaign and use, old → new, and a summary; or JSON.

use serde::Serialize;

use super::json::{errors, JsonError, PolicyInfo};
use super::message::{one_line, printable};

use crate::diff::{Impact, Side, Standing};
use crate::policy::CheckedPolicy;

fn side(s: &Side) -> String {
    match (s.decision, s.rules.is_empty()) {
        (Standing::NotAllowed, _) => "block (no rule allows it)".into(),
        (d, true) => d.as_str().into(),
        (d, false) => format!("{} by {}", d.as_str(), s.rules.join(", ")),
    }
}

fn policy_line(p: &CheckedPolicy) -> String {
    let name = p.name.as_deref().map_or_else(|| "(unnamed)".to_string(), |n| format!("`{n}`"));
    let version = p.version.as_deref().map(|v| format!(" version {v}")).unwrap_or_default();
    format!("{name}{version} ({})", p.digest)
}

/// The human report.
pub fn human(old: &CheckedPolicy, new: &CheckedPolicy, impact: &Impact) -> String {
    let mut out = format!("old policy: {}\nnew policy: {}\n", policy_line(old), policy_line(new));
    for c in &impact.changes {
        let name = c.campaign.as_deref().map_or_else(|| c.file.clone(), |id| format!("{id} ({})", c.file));
        out.push_str(&format!("~ {name}\n"));
        if c.old != c.new {
            out.push_str(&format!("    campaign: {} → {}\n", side(&c.old), side(&c.new)));
        }
        for u in &c.uses {
            out.push_str(&format!(
                "    use {} {} for {}: {} → {}\n",
                u.index,
                u.category,
                u.purpose,
                side(&u.old),
                side(&u.new)
            ));
        }
    }
    for n in &impact.not_compared {
        let name = n.campaign.as_deref().map_or_else(|| n.file.clone(), |id| format!("{id} ({})", n.file));
        let why = n.problems.first().map_or("", |p| p.message.as_str());
        out.push_str(&format!("! {name}\n    not compared: {}\n", one_line(why)));
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push_str(&format!(
        "{} of {} change: {}, {}",
        impact.changes.len(),
        plural(impact.campaigns, "campaign", "campaigns"),
        plural(impact.decisions_changed(), "campaign decision", "campaign decisions"),
        plural(impact.uses_changed(), "use", "uses"),
    ));
    match impact.not_compared.len() {
        0 => out.push('\n'),
        n => out.push_str(&format!("; {} not compared\n", plural(n, "input", "inputs"))),
    }
    // Campaign text is shown printable (see `printable`).
    printable(&out).into_owned()
}

#[derive(Serialize)]
struct JsonSide<'a> {
    decision: &'a str,
    rules: &'a [String],
}

#[derive(Serialize)]
struct JsonUse<'a> {
    index: usize,
    category: &'a str,
    purpose: &'a str,
    old: JsonSide<'a>,
    new: JsonSide<'a>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    file: &'a str,
    campaign: Option<&'a str>,
    old: JsonSide<'a>,
    new: JsonSide<'a>,
    uses: Vec<JsonUse<'a>>,
}

#[derive(Serialize)]
struct JsonNotCompared<'a> {
    file: &'a str,
    campaign: Option<&'a str>,
    errors: Vec<JsonError>,
}

#[derive(Serialize)]
struct JsonSummary {
    campaigns: usize,
    changed: usize,
    decisions_changed: usize,
    uses_changed: usize,
    not_compared: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    old: PolicyInfo<'a>,
    new: PolicyInfo<'a>,
    changes: Vec<JsonChange<'a>>,
    not_compared: Vec<JsonNotCompared<'a>>,
    summary: JsonSummary,
}

fn policy(p: &CheckedPolicy) -> PolicyInfo<'_> {
    PolicyInfo::of(p)
}

fn json_side(s: &Side) -> JsonSide<'_> {
    JsonSide { decision: s.decision.as_str(), rules: &s.rules }
}

/// The JSON report. In `changes`, a campaign's `rules` are its campaign-level deny rules and a
/// use's `rules` its deciding rules.
pub fn json(old: &CheckedPolicy, new: &CheckedPolicy, impact: &Impact) -> String {
    let doc = Document {
        version: 1,
        old: policy(old),
        new: policy(new),
        changes: impact
            .changes
            .iter()
            .map(|c| JsonChange {
                file: &c.file,
                campaign: c.campaign.as_deref(),
                old: json_side(&c.old),
                new: json_side(&c.new),
                uses: c
                    .uses
                    .iter()
                    .map(|u| JsonUse {
                        index: u.index,
                        category: &u.category,
                        purpose: &u.purpose,
                        old: json_side(&u.old),
                        new: json_side(&u.new),
                    })
                    .collect(),
            })
            .collect(),
        not_compared: impact
            .not_compared
            .iter()
            .map(|n| JsonNotCompared {
                file: &n.file,
                campaign: n.campaign.as_deref(),
                errors: errors(&n.problems, &impact.sources),
            })
            .collect(),
        summary: JsonSummary {
            campaigns: impact.campaigns,
            changed: impact.changes.len(),
            decisions_changed: impact.decisions_changed(),
            uses_changed: impact.uses_changed(),
            not_compared: impact.not_compared.len(),
        },
    };
    super::json::to_string(&doc)
}
