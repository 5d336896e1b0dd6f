//! The formats of `lagom check`'s report, and the one place that picks a renderer for each.

use super::human::Style;
use super::{github, human, json, junit, sarif, Warnings};
use crate::batch::{Results, Tally};
use crate::eval::CompiledPolicy;
use crate::policy::PolicyError;

/// The format a report of checked campaigns is written in.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// Diagnostics for people, in this style (its `warnings` are set by [`write()`]).
    Human(Style),
    /// The JSON document of the spec, section 4.1.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML, one test case per campaign.
    Junit,
    /// GitHub Actions annotations.
    Github,
}

/// Writes the report of a checked batch in `format`, as it is rendered, and returns the results'
/// tally of every campaign written. `warnings`: whether warnings fail the run.
pub fn write(
    policy: &CompiledPolicy,
    results: &dyn Results,
    format: Format,
    warnings: Warnings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Tally> {
    match format {
        Format::Human(style) => human::write_batch(policy, results, Style { warnings, ..style }, out),
        Format::Json => json::write(policy, results, out),
        Format::Sarif => sarif::write(policy, results, warnings, out),
        Format::Junit => junit::write(policy, results, warnings, out),
        Format::Github => github::write(policy, results, warnings, out),
    }
}

/// The report of an invalid policy in `format`.
pub fn policy_errors(err: &PolicyError, format: Format) -> String {
    match format {
        Format::Human(style) => human::problems(&err.problems, &err.sources, style),
        Format::Json => json::policy_errors(err),
        Format::Sarif => sarif::policy_errors(err),
        Format::Junit => junit::policy_errors(err),
        Format::Github => github::policy_errors(err),
    }
}
