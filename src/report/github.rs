//! `--format github`: GitHub Actions workflow commands, one annotation per item.

use super::items::{batch_items, error_item, Item, Level};
use super::message::Summary;
use crate::batch::Batch;
use crate::eval::CompiledPolicy;
use crate::policy::PolicyError;

/// Escapes a message (GitHub's rules for workflow command data).
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn line(item: &Item) -> String {
    let kind = match item.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let l = &item.location;
    format!(
        "::{kind} file={},line={},col={},title={}::{}\n",
        property(&l.file),
        l.line,
        l.column,
        property(&format!("lagom: {}", item.rule.id())),
        data(&item.message)
    )
}

/// The annotations for a batch, then a plain summary line.
pub fn render(policy: &CompiledPolicy, batch: &Batch) -> String {
    let mut out: String = batch_items(policy, batch).iter().map(|(_, it)| line(it)).collect();
    let s = Summary::of(batch);
    out.push_str(&format!(
        "lagom: {} allowed, {} blocked, {} invalid, {} warnings\n",
        s.allowed, s.blocked, s.invalid, s.warnings
    ));
    out
}

/// The annotations for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    err.problems.iter().map(|p| line(&error_item(p, &err.sources))).collect()
}
