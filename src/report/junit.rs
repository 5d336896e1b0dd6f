//! `--format junit`: one test case per campaign; blocked campaigns fail with their reasons,
//! invalid ones are errors. GitLab and most CI servers read this.

use quick_xml::escape::escape;

use super::chunks::write_chunked;
use super::items::{campaign_items, error_item, Level};
use super::message::{one_line, printable};
use crate::batch::{CampaignResult, Results, Tally, Verdict};
use crate::eval::Warnings;
use crate::eval::{CompiledPolicy, Decision};
use crate::policy::{CheckedPolicy, PolicyError};
use crate::source::SourceMap;

/// Text for an XML attribute or element: escaped, and printable (XML 1.0 has no way to write
/// most control characters).
/// A raw CR would be read back as LF, so it is written as a character reference.
pub(super) fn xml(s: &str) -> String {
    escape(printable(s).as_ref()).replace('\r', "&#13;")
}

/// Text for an XML attribute: as [`xml`], and tabs and line breaks as character references,
/// which a parser would otherwise turn into spaces (XML 1.0 §3.3.3).
pub(super) fn attr(s: &str) -> String {
    xml(s).replace('\t', "&#9;").replace('\n', "&#10;")
}

/// Text shown in an attribute as every line of the report shows text (README, "one rule per
/// format"): a line break as `\n`, a control character, line separator or bidirectional
/// control as its escape. `lagom check` and `lagom test` write every name with it.
pub(super) fn line_attr(s: &str) -> String {
    attr(&one_line(s))
}

/// The `<properties>` of a test suite: the policy's identity (spec 4.1's name, version and
/// digest), so that a run's results can be traced to the policy they were decided under.
pub(super) fn policy_properties(p: &CheckedPolicy) -> String {
    let property =
        |name: &str, value: &str| format!("      <property name=\"{name}\" value=\"{}\"/>\n", line_attr(value));
    let mut out = String::from("    <properties>\n");
    if let Some(name) = &p.name {
        out.push_str(&property("policy.name", name));
    }
    if let Some(version) = &p.version {
        out.push_str(&property("policy.version", version));
    }
    out.push_str(&property("policy.digest", &p.digest));
    out.push_str("    </properties>\n");
    out
}

/// The class of every test case of `lagom check`: without a file's name, which Jenkins would
/// split at its last `.` (every case under `yaml`); the file is in the `file` attribute.
const CLASSNAME: &str = "lagom.check";

/// A file as a test case's `file` and its lines name it: standard input (`-`) as `standard
/// input`, which no file is shown as (a file named `-` is `./-`).
fn shown_file(file: &str) -> std::borrow::Cow<'_, str> {
    match file {
        "-" => "standard input".into(),
        _ => one_line(file),
    }
}

/// Whether a campaign's test case fails.
fn fails(r: &CampaignResult, warnings: Warnings) -> bool {
    match &r.verdict {
        Verdict::Invalid(_) => false,
        Verdict::Decided(_, d) => d.fails(warnings),
    }
}

/// One campaign's test case.
fn testcase(policy: &CompiledPolicy, sources: &SourceMap, r: &CampaignResult, warnings_mode: Warnings) -> String {
    let name = r.id.as_deref().map_or_else(|| shown_file(&r.file), std::borrow::Cow::from);
    let items = campaign_items(policy, sources, r);
    let describe = |level: Level| -> String {
        items
            .iter()
            .filter(|i| i.level == level)
            .map(|i| {
                format!(
                    "{}:{}:{}: [{}] {}\n",
                    shown_file(&i.location.file),
                    i.location.line,
                    i.location.column,
                    i.rule.id(),
                    one_line(&i.line_message())
                )
            })
            .collect()
    };
    let mut case = format!(
        "    <testcase name=\"{}\" classname=\"{CLASSNAME}\" file=\"{}\">\n",
        line_attr(&name),
        line_attr(&shown_file(&r.file))
    );
    match &r.verdict {
        Verdict::Invalid(_) => case.push_str(&format!(
            "      <error message=\"campaign is invalid\" type=\"invalid\">{}</error>\n",
            xml(&describe(Level::Error))
        )),
        Verdict::Decided(_, d) if d.decision == Decision::Block => case.push_str(&format!(
            "      <failure message=\"campaign is blocked\" type=\"blocked\">{}</failure>\n",
            xml(&describe(Level::Error))
        )),
        Verdict::Decided(..) if fails(r, warnings_mode) => case.push_str(&format!(
            "      <failure message=\"campaign has warnings\" type=\"warning\">{}</failure>\n",
            xml(&describe(Level::Warning))
        )),
        Verdict::Decided(..) => {}
    }
    // Warnings, then notes, which change no decision.
    let warnings = describe(Level::Warning) + &describe(Level::Note);
    if !warnings.is_empty() {
        case.push_str(&format!("      <system-out>{}</system-out>\n", xml(&warnings)));
    }
    case.push_str("    </testcase>\n");
    case
}

/// Writes the JUnit XML document for a batch, a chunk of campaigns at a time. The document
/// opens with the counts, which come from the results' standings (decisions without findings).
pub fn write(
    policy: &CompiledPolicy,
    results: &dyn Results,
    warnings: Warnings,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Tally> {
    let n = results.len();
    let standings = results.standings();
    let failures = standings.iter().flatten().filter(|s| s.fails(warnings)).count();
    let errors = standings.iter().filter(|s| s.is_none()).count();
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"lagom check\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n{}",
        policy_properties(&policy.policy)
    )?;
    let sources = results.sources();
    let s = write_chunked(results, |r| testcase(policy, sources, r, warnings), |case| out.write_all(case.as_bytes()))?;
    out.write_all(b"  </testsuite>\n</testsuites>\n")?;
    Ok(s)
}

/// The JUnit XML document for a batch.
pub fn render(policy: &CompiledPolicy, results: &dyn Results, warnings: Warnings) -> String {
    super::in_memory(|w| write(policy, results, warnings, w).map(drop))
}

/// A JUnit document with one erroring test case for an invalid policy.
pub fn policy_errors(err: &PolicyError) -> String {
    let text: String = err
        .problems
        .iter()
        .map(|p| {
            let i = error_item(p, &err.sources);
            let message = i.line_message();
            let (file, message) = (one_line(&i.location.file), one_line(&message));
            format!("{file}:{}:{}: [{}] {message}\n", i.location.line, i.location.column, i.rule.id())
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lagom\" tests=\"1\" failures=\"0\" errors=\"1\">\n  <testsuite name=\"lagom check\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"policy\" classname=\"{CLASSNAME}\">\n      <error message=\"policy is invalid\" type=\"invalid\">{}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        xml(&text)
    )
}

#[cfg(test)]
mod tests {
    use super::{attr, xml};

    #[test]
    fn tabs_and_line_breaks_survive_a_parser() {
        assert_eq!(attr("a\tb\r\nc<"), "a&#9;b&#13;&#10;c&lt;");
        assert_eq!(xml("a\tb\r\nc"), "a\tb&#13;\nc");
    }
}
