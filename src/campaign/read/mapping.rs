//! The mappings of a campaign file (spec 2.1) and the keys each takes: one table that the
//! reader, the unknown-key help and the run-on check all ask, so none of them tells a mapping
//! by its display name or its list of keys.

/// A mapping of a campaign file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mapping {
    /// The top level.
    Campaign,
    Audience,
    Consent,
    /// An entry of `data`.
    DataUse,
    /// An entry of `processors`.
    Processor,
    Security,
    Rights,
    /// `labels`, whose keys are the campaign's own.
    Labels,
}

impl Mapping {
    /// The mappings below the top level that have keys of their own: where a key written at
    /// the top level belongs once it has lost its indentation (`rights:`, then `contact:` at
    /// the start of the next line).
    pub(super) const SECTIONS: [Mapping; 6] =
        [Mapping::Audience, Mapping::Consent, Mapping::DataUse, Mapping::Processor, Mapping::Security, Mapping::Rights];

    /// The keys it takes; `None` for `labels`, which takes any.
    pub(super) fn keys(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Mapping::Campaign => &[
                "campaign",
                "name",
                "owner",
                "purpose",
                "basis",
                "channels",
                "audience",
                "consent",
                "data",
                "processors",
                "security",
                "rights",
                "labels",
            ],
            Mapping::Audience => &["regions", "min_age", "subjects", "segments"],
            Mapping::Consent => &["source", "double_opt_in", "withdrawal"],
            Mapping::DataUse => &["category", "retention", "purpose", "basis", "source"],
            Mapping::Processor => &["name", "region", "safeguard", "dpa"],
            Mapping::Security => &["encryption", "access", "monitoring"],
            Mapping::Rights => &["unsubscribe", "contact", "access", "erasure", "rectification"],
            Mapping::Labels => return None,
        })
    }

    /// Whether it takes `key`.
    pub(super) fn takes(self, key: &str) -> bool {
        self.keys().is_some_and(|keys| keys.contains(&key))
    }

    /// The keys it must have.
    pub(super) fn required(self) -> &'static [&'static str] {
        match self {
            Mapping::Campaign => &["campaign", "purpose", "basis", "data"],
            Mapping::DataUse => &["category"],
            Mapping::Processor => &["name"],
            Mapping::Audience | Mapping::Consent | Mapping::Security | Mapping::Rights | Mapping::Labels => &[],
        }
    }

    /// The top-level key that holds it (`data` for a data use); `None` for the top level.
    pub(super) fn held_by(self) -> Option<&'static str> {
        match self {
            Mapping::Campaign => None,
            Mapping::Audience => Some("audience"),
            Mapping::Consent => Some("consent"),
            Mapping::DataUse => Some("data"),
            Mapping::Processor => Some("processors"),
            Mapping::Security => Some("security"),
            Mapping::Rights => Some("rights"),
            Mapping::Labels => Some("labels"),
        }
    }

    /// The section or `labels` a top-level key holds, if it holds keys rather than a value.
    pub(super) fn held_in(key: &str) -> Option<Mapping> {
        Mapping::SECTIONS.into_iter().chain([Mapping::Labels]).find(|m| m.held_by() == Some(key))
    }

    /// What it is called in a message: `a campaign`, `` `audience` ``, `a data use`.
    pub(super) fn described(self) -> &'static str {
        match self {
            Mapping::Campaign => "a campaign",
            Mapping::Audience => "`audience`",
            Mapping::Consent => "`consent`",
            Mapping::DataUse => "a data use",
            Mapping::Processor => "a processor",
            Mapping::Security => "`security`",
            Mapping::Rights => "`rights`",
            Mapping::Labels => "`labels`",
        }
    }

    /// What an entry of its list is called and the key that starts one: a use of `data`
    /// starts `- category:`, a processor `- name:`; `None` for a mapping that is no list entry.
    pub(super) fn entry(self) -> Option<(&'static str, &'static str)> {
        match self {
            Mapping::DataUse => Some(("use", "category")),
            Mapping::Processor => Some(("processor", "name")),
            _ => None,
        }
    }

    /// Whether `key` takes a list: a value written as text there is a list written wrongly.
    /// A list key of another mapping counts too, as a key written in the wrong mapping still
    /// meant a list; only `access` differs between mappings (`rights.access` is text, where
    /// to ask; `security.access` a list of groups).
    pub(super) fn takes_list(self, key: &str) -> bool {
        match key {
            "channels" | "data" | "processors" | "regions" | "subjects" | "segments" | "encryption" => true,
            "access" => self == Mapping::Security,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mapping;

    /// Each section is held by a top-level key, and a top-level key that holds keys names its
    /// section back.
    #[test]
    fn sections_and_their_top_level_keys_agree() {
        let top = Mapping::Campaign.keys().unwrap();
        for section in Mapping::SECTIONS.into_iter().chain([Mapping::Labels]) {
            let key = section.held_by().unwrap();
            assert!(top.contains(&key), "{key}");
            assert_eq!(Mapping::held_in(key), Some(section));
        }
        assert_eq!(Mapping::held_in("purpose"), None);
        for section in Mapping::SECTIONS {
            assert!(section.required().iter().all(|r| section.takes(r)), "{section:?}");
        }
    }
}
