//! `lagom diff` output: each changed campaign and use, old → new, and a summary; or JSON.

use serde::Serialize;

use super::human::Style;
use super::json::{errors, JsonError, PolicyInfo};
use super::message::{counted, one_line, printable};

use crate::diagnostic::Problem;
use crate::diff::{CampaignChange, CampaignSide, Impact, Ruling, Side};
use crate::policy::CheckedPolicy;

/// A side's ruling and its rules; `errors`, why a campaign is invalid (a use has none).
fn side(s: &Side, errors: &[Problem]) -> String {
    match (s.ruling, s.rules.is_empty(), errors.first()) {
        (Ruling::NotAllowed, _, _) => "block (no rule allows it)".into(),
        (Ruling::Invalid, _, Some(why)) => format!("invalid ({})", one_line(&why.message)),
        (r, true, _) => r.as_str().into(),
        (r, false, _) => format!("{} by {}", r.as_str(), s.rules.join(", ")),
    }
}

fn warnings(s: &Side) -> String {
    match (s.ruling, s.warnings.is_empty()) {
        (Ruling::Invalid, _) => "invalid".into(),
        (_, true) => "none".into(),
        (_, false) => s.warnings.join(", "),
    }
}

/// The lines of one campaign or use (`what` names it): its ruling when that changes, its
/// warnings when they do. Each side comes with why it is invalid, when it is a campaign's.
fn side_lines(
    out: &mut String,
    what: &str,
    (old, old_errors): (&Side, &[Problem]),
    (new, new_errors): (&Side, &[Problem]),
) {
    if old.decides_otherwise(new) {
        // Marks only between two lists of the same kind of rule (blocking, or allowing).
        let rule_marks = if old.ruling == new.ruling { marks(&old.rules, &new.rules) } else { String::new() };
        out.push_str(&format!("    {what}: {} → {}{rule_marks}\n", side(old, old_errors), side(new, new_errors)));
    }
    if old.warns_otherwise(new) {
        out.push_str(&format!(
            "    {what} warnings: {} → {}{}\n",
            warnings(old),
            warnings(new),
            marks(&old.warnings, &new.warnings)
        ));
    }
}

/// What a change of a list of rules adds and removes, ` (+b, -a)`: in two long lists the
/// difference is hard to see. Nothing when one side has none (`none → w` says it all).
fn marks(old: &[String], new: &[String]) -> String {
    if old.is_empty() || new.is_empty() {
        return String::new();
    }
    let added = new.iter().filter(|w| !old.contains(w)).map(|w| format!("+{w}"));
    let removed = old.iter().filter(|w| !new.contains(w)).map(|w| format!("-{w}"));
    let all: Vec<String> = added.chain(removed).collect();
    if all.is_empty() {
        String::new()
    } else {
        format!(" ({})", all.join(", "))
    }
}

fn policy_line(p: &CheckedPolicy) -> String {
    let name = p.name.as_deref().map_or_else(|| "(unnamed)".to_string(), |n| format!("`{}`", one_line(n)));
    let version = p.version.as_deref().map(|v| format!(" version {}", one_line(v))).unwrap_or_default();
    format!("{name}{version} ({})", p.digest)
}

/// A campaign's header: its id and file, on one line whatever they hold (see `one_line`).
fn campaign_name(id: Option<&str>, file: &str) -> String {
    match id {
        Some(id) => format!("{} ({})", one_line(id), one_line(file)),
        None => one_line(file).into_owned(),
    }
}

fn campaign_side(c: &CampaignSide) -> (&Side, &[Problem]) {
    (&c.side, &c.errors)
}

/// The human report.
pub fn human(old: &CheckedPolicy, new: &CheckedPolicy, impact: &Impact) -> String {
    let mut out = format!("old policy: {}\nnew policy: {}\n", policy_line(old), policy_line(new));
    for c in &impact.changes {
        out.push_str(&format!("~ {}\n", campaign_name(c.campaign.as_deref(), &c.file)));
        side_lines(&mut out, "campaign", campaign_side(&c.old), campaign_side(&c.new));
        for u in &c.uses {
            let what = format!("use {} {} for {}", u.index, u.category, u.purpose);
            side_lines(&mut out, &what, (&u.old, &[]), (&u.new, &[]));
        }
    }
    for n in &impact.not_compared {
        let name = campaign_name(n.campaign.as_deref(), &n.file);
        fn why(problems: &[Problem]) -> std::borrow::Cow<'_, str> {
            one_line(problems.first().map_or("", |p| p.message.as_str()))
        }
        out.push_str(&format!("! {name}\n    not compared: {}\n", why(&n.problems)));
        if !n.old_problems.is_empty() {
            out.push_str(&format!("    under the old policy: {}\n", why(&n.old_problems)));
        }
    }
    out.push_str(&format!(
        "{} of {} change: {}, {}, {}",
        impact.changes.len(),
        counted(impact.campaigns, "campaign", "campaigns"),
        counted(impact.decisions_changed(), "campaign decision", "campaign decisions"),
        uses(impact),
        counted(impact.warnings_changed(), "change of warnings", "changes of warnings"),
    ));
    match impact.not_compared.len() {
        0 => out.push('\n'),
        n => out.push_str(&format!("; {} not compared\n", counted(n, "input", "inputs"))),
    }
    // Campaign text is shown printable (see `printable`).
    printable(&out).into_owned()
}

#[derive(Serialize)]
struct JsonSide<'a> {
    decision: &'a str,
    rules: &'a [String],
    warnings: &'a [String],
}

/// A campaign's side: a use's, and why the campaign is invalid when it is.
#[derive(Serialize)]
struct JsonCampaignSide<'a> {
    #[serde(flatten)]
    side: JsonSide<'a>,
    errors: Vec<JsonError>,
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
    old: JsonCampaignSide<'a>,
    new: JsonCampaignSide<'a>,
    uses: Vec<JsonUse<'a>>,
}

#[derive(Serialize)]
struct JsonNotCompared<'a> {
    file: &'a str,
    campaign: Option<&'a str>,
    errors: Vec<JsonError>,
    /// Why under the old policy, when that is not why under the new one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    old_errors: Vec<JsonError>,
}

/// The problems beside the human report, located with their snippets (for standard error):
/// why a campaign is invalid on one side, and the inputs that could not be compared. An input
/// both policies refuse alike (not YAML) needs no side and comes first; the others are headed
/// by their side once both sides have some.
pub fn human_problems(impact: &Impact, style: Style) -> String {
    let sided = |pick: fn(&CampaignChange) -> &[Problem]| -> Vec<Problem> {
        impact.changes.iter().flat_map(|c| pick(c).iter().cloned()).collect()
    };
    let (alike, apart): (Vec<_>, Vec<_>) = impact.not_compared.iter().partition(|n| n.old_problems.is_empty());
    let both: Vec<Problem> = alike.iter().flat_map(|n| n.problems.iter().cloned()).collect();
    let mut old_errors = sided(|c| &c.old.errors);
    old_errors.extend(apart.iter().flat_map(|n| n.old_problems.iter().cloned()));
    let mut new_errors = sided(|c| &c.new.errors);
    new_errors.extend(apart.iter().flat_map(|n| n.problems.iter().cloned()));
    let mut out = String::new();
    if !both.is_empty() {
        out.push_str(&super::human::problems(&both, &impact.sources, style));
    }
    if !old_errors.is_empty() {
        out.push_str("under the old policy:\n");
        out.push_str(&super::human::problems(&old_errors, &impact.old_sources, style));
    }
    if !new_errors.is_empty() {
        if !old_errors.is_empty() {
            out.push_str("under the new policy:\n");
        }
        out.push_str(&super::human::problems(&new_errors, &impact.sources, style));
    }
    out
}

/// The uses that change, and how many of them change decision when not all do (a renamed
/// rule changes every use it decides, and no decision).
fn uses(impact: &Impact) -> String {
    let (all, decisions) = (impact.uses_changed(), impact.use_decisions_changed());
    let uses = counted(all, "use", "uses");
    match decisions {
        d if d == all => uses,
        0 => format!("{uses} (no decision changes)"),
        d => format!("{uses} ({})", counted(d, "decides otherwise", "decide otherwise")),
    }
}

#[derive(Serialize)]
struct JsonSummary {
    campaigns: usize,
    changed: usize,
    decisions_changed: usize,
    uses_changed: usize,
    use_decisions_changed: usize,
    warnings_changed: usize,
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
    JsonSide { decision: s.ruling.as_str(), rules: &s.rules, warnings: &s.warnings }
}

/// The JSON report. In `changes`, a campaign's `rules` are its campaign-level deny rules, its
/// `warnings` its campaign-level warnings and its `errors` why it is invalid on that side; a
/// use's `rules` are its deciding rules and its `warnings` its warnings.
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
                old: JsonCampaignSide {
                    side: json_side(&c.old.side),
                    errors: errors(&c.old.errors, &impact.old_sources),
                },
                new: JsonCampaignSide { side: json_side(&c.new.side), errors: errors(&c.new.errors, &impact.sources) },
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
                old_errors: errors(&n.old_problems, &impact.old_sources),
            })
            .collect(),
        summary: JsonSummary {
            campaigns: impact.campaigns,
            changed: impact.changes.len(),
            decisions_changed: impact.decisions_changed(),
            uses_changed: impact.uses_changed(),
            use_decisions_changed: impact.use_decisions_changed(),
            warnings_changed: impact.warnings_changed(),
            not_compared: impact.not_compared.len(),
        },
    };
    super::json::to_string(&doc)
}

#[cfg(test)]
mod tests {
    use super::marks;

    fn names(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_change_of_a_list_marks_what_it_adds_and_removes() {
        assert_eq!(marks(&names(&["a", "b"]), &names(&["b", "c"])), " (+c, -a)");
        // `none → w` and `w → none` need no marks.
        assert_eq!(marks(&names(&[]), &names(&["w"])), "");
        assert_eq!(marks(&names(&["w"]), &names(&[])), "");
    }
}
