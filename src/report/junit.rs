//! `--format junit`: one test case per campaign; blocked campaigns fail with their reasons,
//! invalid ones are errors. GitLab and most CI servers read this.

use quick_xml::escape::escape;

use super::chunks::write_chunked;
use super::items::{campaign_items, error_item, Level};
use super::message::{printable, Summary};
use crate::batch::{Batch, CampaignResult, Verdict};
use crate::eval::{CompiledPolicy, Decision};
use crate::policy::PolicyError;

/// Text for an XML attribute or element: escaped, and printable (XML 1.0 has no way to write
/// most control characters).
fn xml(s: &str) -> String {
    escape(printable(s).as_ref()).into_owned()
}

/// One campaign's test case.
fn testcase(policy: &CompiledPolicy, batch: &Batch, r: &CampaignResult) -> String {
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
    let mut case = format!("    <testcase name=\"{}\" classname=\"{}\">\n", xml(&name), xml(&r.file));
    match &r.verdict {
        Verdict::Invalid(_) => case.push_str(&format!(
            "      <error message=\"campaign is invalid\" type=\"invalid\">{}</error>\n",
            xml(&describe(Level::Error))
        )),
        Verdict::Decided(_, d) if d.decision == Decision::Block => case.push_str(&format!(
            "      <failure message=\"campaign is blocked\" type=\"blocked\">{}</failure>\n",
            xml(&describe(Level::Error))
        )),
        Verdict::Decided(..) => {}
    }
    let warnings = describe(Level::Warning);
    if !warnings.is_empty() {
        case.push_str(&format!("      <system-out>{}</system-out>\n", xml(&warnings)));
    }
    case.push_str("    </testcase>\n");
    case
}

/// Writes the JUnit XML document for a batch, a chunk of campaigns at a time.
pub fn write(policy: &CompiledPolicy, batch: &Batch, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let n = batch.results.len();
    let s = Summary::of(batch);
    let (failures, errors) = (s.blocked, s.invalid);
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"lagom check\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n"
    )?;
    write_chunked(&batch.results, |r| testcase(policy, batch, r), |case| out.write_all(case.as_bytes()))?;
    out.write_all(b"  </testsuite>\n</testsuites>\n")
}

/// The JUnit XML document for a batch.
pub fn render(policy: &CompiledPolicy, batch: &Batch) -> String {
    super::in_memory(|w| write(policy, batch, w))
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
        xml(&text)
    )
}
