//! Stage 3: campaign YAML to a [`Campaign`] checked against the policy's vocabulary.

pub mod model;
mod read;
pub mod yaml;

pub use model::*;
pub use read::parse_duration;

use crate::diagnostic::{Code, Problem};
use crate::policy::CheckedPolicy;
use crate::source::{FileId, SourceFile, Span};

/// A campaign file that cannot be evaluated.
#[derive(Clone, Debug)]
pub struct InvalidCampaign {
    /// The id, when the file got far enough to say it.
    pub id: Option<String>,
    /// Where the id is written.
    pub id_span: Option<Span>,
    /// Every problem found: one about the file as a whole (a misleading character anywhere in
    /// it) first, then the others sorted by position.
    pub problems: Vec<Problem>,
}

/// `invalid campaign: <the first problem> (and N more problems)`; every problem, located, is
/// in [`InvalidCampaign::problems`].
impl std::fmt::Display for InvalidCampaign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => crate::diagnostic::first_of(f, &format!("invalid campaign `{id}`"), &self.problems),
            None => crate::diagnostic::first_of(f, "invalid campaign", &self.problems),
        }
    }
}

impl std::error::Error for InvalidCampaign {}

/// Reads one campaign from its text. `file` is the id `source` has, or will have, in the source
/// map that problems and findings are located in: `SourceMap::add` returns it (as below), and
/// `SourceMap::next_id` says which it will be; another id points reports at another file.
///
/// The campaign holds the ids of the policy's categories, purposes and names, so it may only be
/// decided by a [`CompiledPolicy`](crate::eval::CompiledPolicy) built from this `policy`: under
/// another policy (a reloaded one) the same numbers name other categories. Read the text again
/// for each policy. Nor is its size limited here: a service reading untrusted text should refuse
/// texts over [`yaml::MAX_CAMPAIGN_FILE_BYTES`] first, and ask
/// [`CompiledPolicy::too_large`](crate::eval::CompiledPolicy::too_large) before deciding, as
/// `lagom check` does.
///
/// ```
/// use lagom::source::{SourceFile, SourceMap};
/// let policy = lagom::policy::load_texts(vec![lagom::policy::PolicyText {
///     relative: "p.policy".into(),
///     display: "p.policy".into(),
///     bytes: b"basis consent\ncategory contact { category email }\npurpose marketing\n".to_vec(),
/// }]).unwrap();
/// let mut sources = policy.sources.clone();
/// let text = "campaign: c1\npurpose: marketing\nbasis: consent\ndata:\n  - category: contact.email\n";
/// let source = SourceFile::new("c.yaml", text);
/// let id = sources.add(source.clone());
/// let campaign = lagom::campaign::read(id, &source, &policy).unwrap();
/// assert_eq!(campaign.id_str(), "c1");
/// assert_eq!(campaign.data.len(), 1);
///
/// let typo = SourceFile::new("typo.yaml", text.replace("contact.email", "contact.emial"));
/// let invalid = lagom::campaign::read(sources.add(typo.clone()), &typo, &policy).unwrap_err();
/// assert_eq!(
///     invalid.to_string(),
///     "invalid campaign `c1`: unknown category `contact.emial`",
/// );
/// ```
pub fn read(file: FileId, source: &SourceFile, policy: &CheckedPolicy) -> Result<Campaign, InvalidCampaign> {
    let parsed = yaml::parse(file, source, yaml::Document::Campaign);
    if !matches!(&parsed, Ok(root) if matches!(root.value, yaml::Value::Map(_))) {
        if let Some(problem) = policy_given(file, source) {
            return Err(InvalidCampaign { id: None, id_span: None, problems: vec![problem] });
        }
    }
    let root = parsed.map_err(|p| InvalidCampaign { id: None, id_span: None, problems: vec![p] })?;
    if let Some(problem) = test_file_given(&root, source) {
        return Err(InvalidCampaign { id: None, id_span: None, problems: vec![problem] });
    }
    let campaign = read_node(source, &root, policy);
    let Some(problem) = misleading_character(file, source) else { return campaign };
    Err(match campaign {
        Ok(c) => InvalidCampaign {
            id_span: c.id.as_ref().map(|l| l.span),
            id: c.id.map(|l| l.value),
            problems: vec![problem],
        },
        Err(mut invalid) => {
            invalid.problems.insert(0, problem);
            invalid
        }
    })
}

/// A campaign file that holds policy text (`lagom check p.policy`, the policy given where
/// campaigns go), told so at its first line: it would get YAML's messages, or be told to write
/// `key: value` lines under a snippet of the whole policy.
fn policy_given(file: FileId, source: &SourceFile) -> Option<Problem> {
    let (start, first) = crate::source::first_content_line(&source.text)?;
    let line = first.trim_start();
    let at = start + (first.len() - line.len());
    let keyword = line.split_whitespace().next().unwrap_or("");
    if !crate::syntax::DECLARATION_KEYWORDS.contains(&keyword) || line.starts_with(&format!("{keyword}:")) {
        return None;
    }
    let message = format!("`{}` is not a campaign: it looks like a policy file", source.name);
    let help = "policy files are given with `--policy`, before the campaigns: `lagom check --policy POLICY campaigns/`";
    let span = Span { file, start: at, end: at + line.len() };
    Some(Problem::at(Code::Type, span, message, "a campaign file holds `key: value` lines").with_help(help))
}

/// A policy test file read as a campaign (`lagom check policies/`, whose `tests/` hold them):
/// told so once at its `tests:` key, not as a campaign without any of its keys.
fn test_file_given(root: &yaml::Node, source: &SourceFile) -> Option<Problem> {
    let yaml::Value::Map(entries) = &root.value else { return None };
    let key = |name: &str| entries.iter().find(|(k, _)| matches!(&k.value, yaml::Value::Str(k) if k == name));
    let (tests, _) = key("tests")?;
    if key("campaign").is_some() {
        return None;
    }
    let message = format!("`{}` is a policy test file, not a campaign", source.name);
    let help = "run it with `lagom test`; `lagom check` reads campaign files";
    Some(Problem::at(Code::Type, tests.span, message, "the tests of a policy").with_help(help))
}

/// The first character of a campaign file that makes it read differently to people and to
/// lagom: a line or paragraph separator or a next-line character (a line break to some editors
/// and YAML 1.1 tools, not to YAML 1.2, so `# note<U+2028>min_age: 12` hides a line in a
/// comment), or a bidirectional control (text shown in another order than it is stored).
fn misleading_character(file: FileId, source: &SourceFile) -> Option<Problem> {
    if !source.has_hidden() {
        return None;
    }
    let (at, c) = source.text.char_indices().find(|&(_, c)| crate::chars::is_misleading(c))?;
    let span = Span { file, start: at, end: at + c.len_utf8() };
    let message = format!("the file holds the invisible character U+{:04X}", u32::from(c));
    let help = "remove it: editors and other tools may show the text around it in another order or on other \
                lines than lagom reads it";
    Some(Problem::at(Code::Yaml, span, message, "here").with_help(help))
}

/// Reads one campaign from a YAML mapping already parsed from `source`, such as a campaign
/// written inline in a policy test file; locations point into `source`.
pub fn read_node(source: &SourceFile, root: &yaml::Node, policy: &CheckedPolicy) -> Result<Campaign, InvalidCampaign> {
    let mut reader = read::Reader::new(source, policy);
    let campaign = reader.campaign(root);
    if reader.problems.is_empty() {
        return Ok(campaign);
    }
    let mut problems = std::mem::take(&mut reader.problems);
    problems.sort_by_key(|p| match &p.place {
        crate::diagnostic::Place::Span(s) => s.start,
        crate::diagnostic::Place::File(_) => 0,
    });
    let id = campaign.id.or(reader.reported_id);
    Err(InvalidCampaign { id_span: id.as_ref().map(|l| l.span), id: id.map(|l| l.value), problems })
}

#[cfg(test)]
mod tests {
    use crate::source::{FileId, SourceFile};

    fn first_problem(name: &str, text: &str) -> (String, usize) {
        let policy = crate::policy::load_default().unwrap();
        let source = SourceFile::new(name, text);
        let invalid = super::read(FileId(1), &source, &policy).unwrap_err();
        let p = &invalid.problems[0];
        let crate::diagnostic::Place::Span(at) = p.place else { panic!("not placed") };
        (p.message.clone(), at.start)
    }

    /// A policy given where campaigns go is told so at its first declaration, whether YAML
    /// refuses the text or reads it as one text; a campaign with a slip is not called a policy.
    #[test]
    fn a_policy_file_given_as_a_campaign_is_told_so() {
        let told = "`p.policy` is not a campaign: it looks like a policy file".to_string();
        let vocabulary = "# The vocabulary\n\nbasis consent\npurpose marketing\n";
        assert_eq!(first_problem("p.policy", vocabulary), (told.clone(), vocabulary.find("basis").unwrap()));
        let rules = "rule r {\n  allow * for marketing\n  because \"x: y\"\n}\n";
        assert_eq!(first_problem("p.policy", rules), (told, 0));
        let slip = "campaign: c\npurpose: marketing.newsletter\nbasis consent\ndata: []\n";
        assert!(!first_problem("c.yaml", slip).0.contains("policy file"));
    }

    /// A policy test file is told to be run with `lagom test`, once, rather than get one
    /// error per campaign key it lacks.
    #[test]
    fn a_policy_test_file_given_as_a_campaign_is_told_so() {
        let suite = "policy: ..\ntests:\n  - name: t\n    campaign: {}\n    expect: allow\n";
        let policy = crate::policy::load_default().unwrap();
        let source = SourceFile::new("t.test.yaml", suite);
        let invalid = super::read(FileId(1), &source, &policy).unwrap_err();
        let messages: Vec<&str> = invalid.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages, ["`t.test.yaml` is a policy test file, not a campaign"]);
        assert_eq!(
            invalid.problems[0].help.as_deref(),
            Some("run it with `lagom test`; `lagom check` reads campaign files")
        );
    }
}
