//! `--format junit`: one test case per campaign; blocked campaigns fail with their reasons,
//! invalid ones are errors. GitLab and most CI servers read this.

use quick_xml::escape::escape;

use super::items::{campaign_items, error_item, Level};
use crate::batch::{Batch, Verdict};
use crate::eval::{CompiledPolicy, Decision};
use crate::policy::PolicyError;

fn attr(s: &str) -> String {
    escape(s).into_owned()
}

/// The JUnit XML document for a batch.
pub fn render(policy: &CompiledPolicy, batch: &Batch) -> String {
    let mut cases = String::new();
    let (mut failures, mut errors) = (0, 0);
    for r in &batch.results {
        let name = r.id.clone().unwrap_or_else(|| r.file.clone());
        let items = campaign_items(policy, &batch.sources, r);
        let describe = |level: Level| -> String {
            items
                .iter()
                .filter(|i| i.level == level)
                .map(|i| {
                    format!(
                        "{}:{}:{}: [{}] {}\n",
                        i.location.file,
                        i.location.line,
                        i.location.column,
                        i.rule.id(),
                        i.message
                    )
                })
                .collect()
        };
        cases.push_str(&format!("    <testcase name=\"{}\" classname=\"{}\">\n", attr(&name), attr(&r.file)));
        match &r.verdict {
            Verdict::Invalid(_) => {
                errors += 1;
                cases.push_str(&format!(
                    "      <error message=\"campaign is invalid\" type=\"invalid\">{}</error>\n",
                    escape(describe(Level::Error).as_str())
                ));
            }
            Verdict::Decided(_, d) if d.decision == Decision::Block => {
                failures += 1;
                cases.push_str(&format!(
                    "      <failure message=\"campaign is blocked\" type=\"blocked\">{}</failure>\n",
                    escape(describe(Level::Error).as_str())
                ));
            }
            Verdict::Decided(..) => {}
        }
        let warnings = describe(Level::Warning);
        if !warnings.is_empty() {
            cases.push_str(&format!("      <system-out>{}</system-out>\n", escape(warnings.as_str())));
        }
        cases.push_str("    </testcase>\n");
    }
    let n = batch.results.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"lagom check\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}

/// A JUnit document with one erroring test case for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    let text: String = err
        .problems
        .iter()
        .map(|p| {
            let i = error_item(p, &err.sources);
            format!("{}:{}:{}: {}\n", i.location.file, i.location.line, i.location.column, i.message)
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom\" tests=\"1\" failures=\"0\" errors=\"1\">\n  <testsuite name=\"lagom check\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"policy\" classname=\"policy\">\n      <error message=\"policy is invalid\" type=\"invalid\">{}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        escape(text.as_str())
    )
}
