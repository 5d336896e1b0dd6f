//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. One result per blocked
//! use, campaign-level rule, warning or input error; rule metadata carries the reason and the
//! legal citation.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::items::{batch_items, error_item, Item, ItemRule, Level};
use crate::batch::Batch;
use crate::eval::CompiledPolicy;
use crate::policy::{PolicyError, RuleEffect};
use crate::source::Location;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI: &str = "https://github.com/lagom-policy/lagom";

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

fn physical_location(l: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": l.file.trim_start_matches("./") },
        "region": { "startLine": l.line, "startColumn": l.column }
    })
}

fn physical(l: &Location) -> Value {
    json!({ "physicalLocation": physical_location(l) })
}

fn rule_descriptor(policy: Option<&CompiledPolicy>, rule: &ItemRule) -> Value {
    match rule {
        ItemRule::Policy(name) => {
            let r = policy.and_then(|p| p.policy.rules.iter().find(|r| &r.name == name));
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
                "name": name,
                "shortDescription": { "text": format!("lagom rule {name}") },
                "fullDescription": { "text": because },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": lvl },
                "properties": { "cite": cite, "effect": r.map(|r| r.effect.as_str()), "tags": ["privacy", "gdpr"] }
            })
        }
        ItemRule::DefaultDeny => json!({
            "id": rule.id(),
            "name": "default_deny",
            "shortDescription": { "text": "No rule allows this data use" },
            "fullDescription": { "text": "lagom blocks every use of personal data that no allow rule permits for its purpose (purpose limitation and data minimisation)." },
            "help": { "text": "Use only data the policy allows for this purpose, or ask the legal team to add an allow rule.\n\nLegal basis: GDPR Art. 5(1)(b)-(c)" },
            "defaultConfiguration": { "level": "error" },
            "properties": { "cite": "GDPR Art. 5(1)(b)-(c)", "tags": ["privacy", "gdpr"] }
        }),
        ItemRule::Error(code) => json!({
            "id": code,
            "name": code.trim_start_matches("lagom::"),
            "shortDescription": { "text": format!("invalid input ({code})") },
            "fullDescription": { "text": "The file could not be evaluated; fix it so that lagom can check it." },
            "help": { "text": "See the message for the fix." },
            "defaultConfiguration": { "level": "error" }
        }),
    }
}

fn document(policy: Option<&CompiledPolicy>, items: &[Item]) -> String {
    let mut rules: BTreeMap<ItemRule, usize> = BTreeMap::new();
    let also = items.iter().flat_map(|it| it.deciding.iter().map(|(n, _)| ItemRule::Policy(n.clone())));
    for rule in items.iter().map(|it| it.rule.clone()).chain(also) {
        let next = rules.len();
        rules.entry(rule).or_insert(next);
    }
    let mut ordered: Vec<(&ItemRule, &usize)> = rules.iter().collect();
    ordered.sort_by_key(|(_, i)| **i);
    let descriptors: Vec<Value> = ordered.iter().map(|(r, _)| rule_descriptor(policy, r)).collect();
    let results: Vec<Value> = items
        .iter()
        .map(|it| {
            let related: Vec<Value> = it
                .deciding
                .iter()
                .enumerate()
                .map(|(i, (name, loc))| {
                    json!({
                        "id": i,
                        "message": { "text": format!("rule `{name}`") },
                        "physicalLocation": physical_location(loc),
                    })
                })
                .collect();
            json!({
                "ruleId": it.rule.id(),
                "ruleIndex": rules.get(&it.rule).copied().unwrap_or(0),
                "level": level(it.level),
                "message": { "text": it.message },
                "locations": [physical(&it.location)],
                "relatedLocations": related,
            })
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "lagom",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFO_URI,
                "rules": descriptors
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The SARIF log for a batch.
pub fn render(policy: &CompiledPolicy, batch: &Batch) -> String {
    let items: Vec<Item> = batch_items(policy, batch).into_iter().map(|(_, it)| it).collect();
    document(Some(policy), &items)
}

/// The SARIF log for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    let items: Vec<Item> = err.problems.iter().map(|p| error_item(p, &err.sources)).collect();
    document(None, &items)
}
