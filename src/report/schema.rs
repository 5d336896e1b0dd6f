//! `lagom schema`: a JSON Schema (draft-07, what the YAML language server reads) of the
//! campaign format, with the policy's vocabularies as enums when a policy is given.

use serde_json::{json, Value};

use crate::policy::CheckedPolicy;

/// A vocabulary's names with the labels the policy gives them (`""` where it gives none).
struct Named {
    names: Vec<String>,
    labels: Vec<String>,
}

fn named<'a>(it: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> Named {
    let (names, labels) = it.map(|(name, label)| (name.to_string(), label.unwrap_or("").to_string())).unzip();
    Named { names, labels }
}

fn taxonomy<Id: crate::policy::taxonomy::TaxonId>(t: &crate::policy::taxonomy::Taxonomy<Id>) -> Named {
    named(t.ids().filter_map(|id| t.node(id)).map(|n| (n.path.as_str(), n.label.as_deref())))
}

fn vocabulary_names(v: &crate::policy::Vocabulary) -> Named {
    named(v.entries.iter().map(|(name, (label, _))| (name.as_str(), label.as_deref())))
}

/// Text as the loader takes it: some character that is neither space nor invisible (blank text
/// is refused: an empty `consent.source` would otherwise count as given), and none that makes
/// tools show the file otherwise than lagom reads it. Both classes are built from the loader's
/// own tests ([`crate::chars`]), for the Basic Multilingual Plane: the invisible
/// characters beyond it (tags, U+E0000 on) are refused by `lagom check` only.
/// Built once: each class tests every character of the plane.
fn text_pattern() -> &'static str {
    use crate::chars::{bmp_class, is_blank_char, is_misleading};
    static PATTERN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let shown = bmp_class(|c| is_blank_char(c) || is_misleading(c));
        format!("^[^{m}]*[^{shown}][^{m}]*$", m = misleading_class())
    });
    &PATTERN
}

/// A campaign id as the loader takes it: text ([`text_pattern`]) that neither starts nor ends
/// with a space, and holds nowhere a character reports do not show, which would make it
/// another id that looks the same in every report.
fn id_pattern() -> &'static str {
    use crate::chars::{bmp_class, is_misleading, is_unseen_in_reports};
    static PATTERN: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let around = bmp_class(|c| c == ' ' || is_unseen_in_reports(c) || is_misleading(c));
        let inside = bmp_class(|c| is_unseen_in_reports(c) || is_misleading(c));
        format!("^[^{around}]([^{inside}]*[^{around}])?$")
    });
    &PATTERN
}

/// The class of the characters that make tools show a file otherwise than lagom reads it
/// ([`crate::chars::is_misleading`]), built once for both patterns.
fn misleading_class() -> &'static str {
    static CLASS: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::chars::bmp_class(crate::chars::is_misleading));
    &CLASS
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "pattern": text_pattern(), "description": description })
}

/// A name of the policy's: one of `values` when a policy is given, with each one's label as
/// its `enumDescriptions` entry (the VS Code keyword, which the YAML language server shows on
/// hover and in completions), else any text.
fn vocabulary(description: &str, values: Option<&Named>) -> Value {
    match values {
        Some(v) => json!({
            "type": "string",
            "description": description,
            "enum": v.names,
            "enumDescriptions": v.labels,
        }),
        None => text(description),
    }
}

/// `value`, or `null`: a key given as `~` counts as absent (spec 2), which every optional key
/// may be.
fn or_null(mut value: Value) -> Value {
    if let Some(t) = value.get_mut("type") {
        if t.is_string() {
            *t = json!([t.take(), "null"]);
        }
    }
    if let Some(values) = value.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    }
    // One description per value, `~` included.
    if let Some(labels) = value.get_mut("enumDescriptions").and_then(Value::as_array_mut) {
        labels.push(Value::from("Absent: as if the key were not written."));
    }
    value
}

fn list(items: Value, description: &str) -> Value {
    json!({ "type": ["array", "null"], "items": items, "description": description })
}

/// An object whose keys other than `required` may be `~`. As an optional key's value it may
/// be `~` itself; as a list entry it may not (a `~` entry makes a campaign invalid).
fn object(properties: Value, required: &[&str], description: &str) -> Value {
    let mut properties = properties;
    if let Some(map) = properties.as_object_mut() {
        for (key, value) in map.iter_mut() {
            if !required.contains(&key.as_str()) {
                *value = or_null(value.take());
            }
        }
    }
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

const DURATION: &str = r"^[0-9]+ +(day|days|week|weeks|month|months|year|years)$";

/// The schema; `policy` adds its purposes, categories, bases and channels as enums.
pub fn campaign_schema(policy: Option<&CheckedPolicy>) -> String {
    let purposes = policy.map(|p| taxonomy(&p.purposes));
    let categories = policy.map(|p| taxonomy(&p.categories));
    let bases = policy.map(|p| vocabulary_names(&p.bases));
    let channels = policy.filter(|p| !p.channels.is_empty()).map(|p| vocabulary_names(&p.channels));
    let purpose = vocabulary("A purpose declared by the policy, e.g. `marketing.newsletter`.", purposes.as_ref());
    let basis = vocabulary("A lawful basis declared by the policy, e.g. `consent`.", bases.as_ref());
    let duration = json!({ "type": "string", "pattern": DURATION, "description": "How long the data is kept: `30 days`, `6 weeks`, `24 months`, `2 years`." });
    let data_use = object(
        json!({
            "category": vocabulary("A data category declared by the policy, e.g. `contact.email`.", categories.as_ref()),
            "retention": duration,
            "purpose": purpose,
            "basis": basis,
            "source": text("Where the data comes from."),
        }),
        &["category"],
        "One use of personal data.",
    );
    let processor = object(
        json!({
            "name": text("The processor's name."),
            "region": text("Where it processes the data (ISO country code)."),
            "safeguard": text("Transfer safeguard, e.g. `scc` or `bcr`."),
            "dpa": { "type": "boolean", "description": "A data processing agreement is signed." },
        }),
        &["name"],
        "A processor (vendor) that handles the data.",
    );
    let symbols = |d: &str| list(json!({ "type": "string", "pattern": text_pattern() }), d);
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://lagom.dev/schema/campaign-v1.json",
        "title": "lagom campaign",
        "description": policy.and_then(|p| p.name.clone()).map_or_else(
            || "A marketing campaign checked by lagom.".to_string(),
            |n| format!("A marketing campaign checked by lagom against the policy `{n}`.")
        ),
        "type": "object",
        "additionalProperties": false,
        "required": ["campaign", "purpose", "basis", "data"],
        "properties": {
            "campaign": {
                "type": "string",
                "allOf": [{ "pattern": text_pattern() }, { "pattern": id_pattern() }],
                "description": "Unique id of the campaign, compared as written: no space around it."
            },
            "name": or_null(text("Free text name.")),
            "owner": or_null(text("Team or person responsible.")),
            "purpose": purpose,
            "basis": basis,
            "channels": list(vocabulary("A marketing channel.", channels.as_ref()), "Channels the campaign uses."),
            "audience": or_null(object(json!({
                "regions": symbols("Country codes of the audience."),
                "min_age": {
                    "type": "integer",
                    "minimum": i64::MIN,
                    "maximum": i64::MAX,
                    "description": "Youngest person addressed (a whole number, not `18.0`)."
                },
                "subjects": symbols("Who is addressed: customer, prospect, …"),
                "segments": symbols("Segments by name."),
            }), &[], "Who receives the campaign.")),
            "consent": or_null(object(json!({
                "source": text("Where and how consent was given."),
                "double_opt_in": {
                    "type": "boolean",
                    "description": "Consent was confirmed a second time (e.g. by a link in a confirmation e-mail)."
                },
                "withdrawal": text("How consent is withdrawn."),
            }), &[], "Evidence of consent.")),
            "data": { "type": "array", "items": data_use, "description": "Every use of personal data; may be empty." },
            "processors": list(processor, "Processors; `[]` when none."),
            "security": or_null(object(json!({
                "encryption": symbols("e.g. `at_rest`, `in_transit`."),
                "access": symbols("Roles that may read the data."),
                "monitoring": { "type": "boolean", "description": "Access is logged and watched." },
            }), &[], "Security measures.")),
            "rights": or_null(object(json!({
                "unsubscribe": { "type": "boolean", "description": "Every message carries an opt-out." },
                "contact": text("Where people ask about their data."),
                "access": text("How a person gets a copy (Art. 15)."),
                "erasure": text("How a person has data erased (Art. 17)."),
                "rectification": text("How a person corrects data (Art. 16)."),
            }), &[], "Data subjects' rights.")),
            "labels": {
                "type": ["object", "null"],
                "additionalProperties": { "type": ["string", "number", "boolean", "null"], "pattern": text_pattern() },
                "propertyNames": { "pattern": text_pattern() },
                "description": "Free labels, read as text."
            }
        }
    });
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
