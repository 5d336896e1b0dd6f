//! Reading a campaign from text, for the tests of every part of the reader.

use super::super::model::Campaign;

/// The first problem of a campaign read from `text`, or `Ok` with the campaign.
pub(super) fn read_text(text: &str) -> Result<Campaign, String> {
    let policy = crate::policy::load_default().unwrap();
    let file = crate::source::SourceFile::new("c.yaml", text);
    crate::campaign::read(crate::source::FileId(1), &file, &policy).map_err(|e| e.problems[0].message.clone())
}

/// The keys every test campaign starts with: its id, purpose and basis.
pub(super) const HEAD: &str = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n";

/// The message and help of the first problem of a campaign read from `text`.
pub(super) fn first_problem(text: &str) -> (String, String) {
    let policy = crate::policy::load_default().unwrap();
    let file = crate::source::SourceFile::new("c.yaml", text);
    let Err(invalid) = crate::campaign::read(crate::source::FileId(1), &file, &policy) else { panic!("{text}") };
    let p = &invalid.problems[0];
    (p.message.clone(), p.help.clone().unwrap_or_default())
}
