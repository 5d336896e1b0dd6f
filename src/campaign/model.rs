//! A campaign as read from YAML and checked against the policy's vocabulary.

use std::collections::BTreeMap;

use crate::policy::{CategoryId, PurposeId, Retention};
use crate::source::Span;

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is in the campaign file.
    pub span: Span,
}

/// A list field: absent (unknown) is different from empty.
pub type List<T> = Option<Vec<Located<T>>>;

/// One campaign.
#[derive(Clone, Debug, Default)]
pub struct Campaign {
    /// `campaign`: the id.
    pub id: Option<Located<String>>,
    /// `name`.
    pub name: Option<Located<String>>,
    /// `owner`.
    pub owner: Option<Located<String>>,
    /// `purpose`.
    pub purpose: Option<Located<PurposeId>>,
    /// `basis`.
    pub basis: Option<Located<String>>,
    /// `channels`.
    pub channels: List<String>,
    /// `audience.regions`.
    pub regions: List<String>,
    /// `audience.min_age`.
    pub min_age: Option<Located<i64>>,
    /// `audience.subjects`.
    pub subjects: List<String>,
    /// `audience.segments`.
    pub segments: List<String>,
    /// `consent.source`.
    pub consent_source: Option<Located<String>>,
    /// `consent.double_opt_in`.
    pub double_opt_in: Option<Located<bool>>,
    /// `consent.withdrawal`.
    pub withdrawal: Option<Located<String>>,
    /// `data`.
    pub data: Vec<DataUse>,
    /// `processors`.
    pub processors: Option<Vec<Processor>>,
    /// `security.encryption`.
    pub encryption: List<String>,
    /// `security.access`.
    pub access: List<String>,
    /// `security.monitoring`.
    pub monitoring: Option<Located<bool>>,
    /// `rights.unsubscribe`.
    pub unsubscribe: Option<Located<bool>>,
    /// `rights.contact`.
    pub contact: Option<Located<String>>,
    /// `rights.access`.
    pub rights_access: Option<Located<String>>,
    /// `rights.erasure`.
    pub erasure: Option<Located<String>>,
    /// `rights.rectification`.
    pub rectification: Option<Located<String>>,
    /// `labels`, values as text.
    pub labels: BTreeMap<String, Located<String>>,
}

/// One entry of `data`.
#[derive(Clone, Debug)]
pub struct DataUse {
    /// The `- ` entry as a whole.
    pub span: Span,
    /// `category`.
    pub category: Located<CategoryId>,
    /// `retention`.
    pub retention: Option<Located<Retention>>,
    /// `purpose` (overrides the campaign's).
    pub purpose: Option<Located<PurposeId>>,
    /// `basis` (overrides the campaign's).
    pub basis: Option<Located<String>>,
    /// `source`.
    pub source: Option<Located<String>>,
}

/// One entry of `processors`.
#[derive(Clone, Debug)]
pub struct Processor {
    /// The entry as a whole.
    pub span: Span,
    /// `name`.
    pub name: Located<String>,
    /// `region`.
    pub region: Option<Located<String>>,
    /// `safeguard`.
    pub safeguard: Option<Located<String>>,
    /// `dpa`.
    pub dpa: Option<Located<bool>>,
}

impl Campaign {
    /// The id, or an empty string for a campaign whose id could not be read.
    pub fn id_str(&self) -> &str {
        self.id.as_ref().map_or("", |l| l.value.as_str())
    }
}
