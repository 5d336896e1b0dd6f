//! A key a mapping does not take: where it belongs (a key of another section, a key that lost
//! its indentation, a label the policy reads) or the known key it most likely is, suggested
//! only when following the suggestion keeps its meaning (`max_age` is no `min_age`,
//! `dpa_pending` no `dpa`) and gives no key twice.

use super::super::yaml::{Node, Value};
use super::mapping::Mapping;
use super::{one_region_per_entry, yaml_text, Reader};
use crate::diagnostic::{suggest, Code};
use crate::source::Span;

impl Reader<'_> {
    /// Reports `key`, which is none of the keys `mapping` takes, in its `entries`;
    /// `previous` is the last known key before it. Returns the required key the mapping lacks
    /// that `key` was told to be, which is then not reported again as missing.
    pub(super) fn unknown_key(
        &mut self,
        key: &str,
        span: Span,
        mapping: Mapping,
        previous: Option<&str>,
        entries: &[(Node, Node)],
    ) -> Option<&'static str> {
        let (allowed, what) = (mapping.keys().unwrap_or_default(), mapping.described());
        let required = mapping.required();
        let mut misspelt = None;
        let misplaced = if mapping == Mapping::Campaign {
            section_of(key, previous, entries)
                .or_else(|| {
                    self.policy.reads_label(key).then(|| match has_key(entries, "labels") {
                        true => format!("`{key}` is a label the policy reads: indent it under `labels:`"),
                        false => format!("`{key}` is a label the policy reads: write `labels:` and indent it under it"),
                    })
                })
                .or_else(|| nested(key))
        } else if allowed.iter().any(|a| respelt(key, a)) {
            // `regions` in a processor is its own `region`, not `audience.regions`.
            None
        } else {
            // `unsubscribe` under `consent:`: a key of another section, moved there.
            let homes: Vec<&str> = Mapping::SECTIONS
                .into_iter()
                .filter(|section| section.takes(key) && section.entry().is_none())
                .map(held)
                .collect();
            match homes.as_slice() {
                [home] => Some(format!("`{key}` is a key of `{home}`, not of {what}: move it under `{home}:`")),
                // `tia:` in a processor: labels are the campaign's, in one place.
                _ if self.policy.reads_label(key) => Some(format!(
                    "`{key}` is a label the policy reads, not a key of {what}: move it under `labels:` at the top \
                     level of the campaign"
                )),
                _ => None,
            }
        };
        let lower = key.to_lowercase();
        // `PURPOSE` is nothing like `purpose` to a comparison of characters.
        let near = allowed
            .iter()
            .copied()
            .find(|a| *a == lower)
            .or_else(|| by_words(key, allowed, entries))
            .or_else(|| {
                // A close key only when it is the key respelt: `dpa_missing` is close
                // to `dpa`, and `campaign_owner` to `campaign`, which it is not.
                suggest(key, allowed.iter().copied())
                    .filter(|s| respelt(key, s) || !(is_section(s) || CLAIMS.contains(s)))
            })
            .filter(|s| !turns(key, s))
            // `dpa?:` says the writer is unsure: it is no claim that the DPA is signed.
            .filter(|s| !(key.contains('?') && CLAIMS.contains(s)))
            .filter(|s| !has_key(entries, s) || respelt(key, s));
        let mut message = format!("unknown key `{key}` in {what}");
        let mut label = "unknown key".to_string();
        let unsure = key.contains('?') && allowed.iter().any(|a| CLAIMS.contains(a) && respelt(key, a));
        let value = entries.iter().find(|(k, _)| k.span == span).map(|(_, v)| &v.value);
        let help = match (misplaced, near) {
            (Some(h), _) => h,
            // `regions: [SE, US]` in a processor: `region` takes one, and one would be dropped.
            (None, Some("region")) if matches!(value, Some(Value::Seq(items)) if items.len() > 1) => {
                one_region_per_entry("`region:`")
            }
            (None, None) if unsure => format!(
                "`?` leaves the claim open: once it is settled, write `{}: true` or `false`; until then leave it out, \
                 and it is unknown",
                key.trim_end_matches('?')
            ),
            // `channel:` or `Purpose:` beside `channels:` or `purpose:`: one key given
            // twice, not a key to rename (renamed, it would be a duplicate key).
            (None, Some(s)) if has_key(entries, s) => {
                let line = entries
                    .iter()
                    .find(|(k, _)| matches!(&k.value, Value::Str(k) if k == s))
                    .map_or(0, |(k, _)| self.source.line_col(k.span.start).0);
                if mapping.takes_list(s) {
                    format!("`{s}` is given on line {line}; merge the two into `{s}`")
                } else {
                    format!(
                        "`{s}` is given on line {line} and takes one value: keep the one meant and remove the other"
                    )
                }
            }
            (None, Some(s)) => {
                // A required key the mapping lacks: said here, once, rather than a
                // second error at the top of the mapping.
                let lacking = required.iter().copied().find(|r| *r == s).filter(|r| !has_key(entries, r));
                if let Some(r) = lacking {
                    message = format!("{message}: the required key `{r}` is missing");
                    label = format!("not read as `{r}`");
                    misspelt = Some(r);
                }
                if lower == s {
                    format!("keys are lower-case: write `{s}:`")
                } else if let Some(written) = unit_in_key(key, s, value) {
                    format!("the unit goes in the value: write `{s}: {written}`")
                } else if mapping.takes_list(s) && !matches!(value, Some(Value::Seq(_) | Value::Map(_)) | None) {
                    // `region: SE` in `audience`: the key renamed alone would still hold one text.
                    match value {
                        Some(Value::Str(one)) if one.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c)) => {
                            format!("did you mean `{s}`? It takes a list: `{s}: [{}]`", yaml_text(one))
                        }
                        _ => format!("did you mean `{s}`? It takes a list: `{s}: […]`"),
                    }
                } else {
                    format!("did you mean `{s}`?")
                }
            }
            (None, None) => format!("the keys of {what} are {}", crate::diagnostic::in_backticks(allowed)),
        };
        self.error(Code::UnknownKey, span, message, &label, help);
        misspelt
    }
}

/// `retention_days: 30` read as `retention: 30 days`: a duration key whose name holds the
/// unit its number is counted in, which `retention: 30` would lose (a number alone has no unit).
fn unit_in_key(key: &str, known: &str, value: Option<&Value>) -> Option<String> {
    if known != "retention" {
        return None;
    }
    // A whole number of at least one: `1.5 years` and `-5 days` are errors of their own.
    let number = match value? {
        Value::Int(n) if *n > 0 => *n,
        Value::Str(text) => text.trim().parse::<i64>().ok().filter(|n| *n > 0)?,
        _ => return None,
    };
    let lower = key.to_lowercase();
    let words = lower.split(|c: char| !c.is_alphanumeric());
    let unit = words
        .filter_map(|w| ["hour", "day", "week", "month", "year"].into_iter().find(|u| w == *u || w == format!("{u}s")))
        .next()?;
    Some(match unit {
        // Retention is counted in days at the least: hours round up to whole days.
        "hour" => format!("{} days", (number + 23) / 24),
        unit => format!("{number} {unit}s"),
    })
}

/// Whether `key` names a section or `labels`, which hold keys, not the value given.
fn is_section(key: &str) -> bool {
    Mapping::held_in(key).is_some()
}

/// Whether `key` is `known` respelt rather than `known` with a word more or less: the same
/// letters once separators and case are set aside (`double_optin`), or as many words and a
/// letter or two apart (`channel`, `regions` for `region`, `monitorng`). A claim is respelt
/// only by one letter of a long word: `dpia`, `dpo` and `dpf` are other things than a signed
/// `dpa`, and `subscribe` is the opposite of `unsubscribe`, though each is two letters away.
fn respelt(key: &str, known: &str) -> bool {
    let compact = |k: &str| k.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let (a, b) = (compact(key), compact(known));
    let most = match (CLAIMS.contains(&known), b.chars().count()) {
        (true, n) if n >= 8 => 1,
        (true, _) => 0,
        (false, n) if n >= 6 => 2,
        (false, _) => 1,
    };
    a == b || (words(key).len() == words(known).len() && strsim::levenshtein(&a, &b) <= most)
}

/// Yes/no claims, which a key with a word more or less does not make (`opt_in` is no
/// `double_opt_in`, `dpa_pending` no `dpa`): never suggested by words.
const CLAIMS: [&str; 4] = ["double_opt_in", "dpa", "monitoring", "unsubscribe"];

/// Words that make a key mean another thing than the known key it holds or resembles:
/// `max_age` is no `min_age`, `excluded_regions` no `regions`, `dpa_pending` no `dpa`.
const TURNING_WORDS: [&str; 46] = [
    "max",
    "min",
    "not",
    "no",
    "non",
    "none",
    "without",
    "exclude",
    "excluded",
    "excluding",
    "except",
    "blocked",
    "old",
    "former",
    // A claim not yet true: `dpa_pending: true` is no `dpa: true`.
    "missing",
    "pending",
    "planned",
    "plan",
    "disabled",
    "required",
    "requested",
    "needed",
    "status",
    "todo",
    "tbd",
    "false",
    "off",
    "lacking",
    "absent",
    "unsigned",
    "draft",
    "expired",
    "awaiting",
    "waiting",
    "future",
    "later",
    "soon",
    "proposed",
    "scheduled",
    "partial",
    "optional",
    "unknown",
    "maybe",
    "incomplete",
    "progress",
    "review",
];

/// The words of a key, lower-case and with `minimum` and `maximum` short: `legal_basis` is
/// `legal` and `basis`, `minimum_age` is `min` and `age`.
fn words(key: &str) -> Vec<String> {
    let short = |w: &str| match w {
        "minimum" => "min".to_string(),
        "maximum" => "max".to_string(),
        w => w.to_string(),
    };
    key.to_lowercase().split(['_', '-', ' ', '.']).filter(|w| !w.is_empty()).map(short).collect()
}

/// The one known key that `key` names with a word more (`legal_basis` for `basis`,
/// `campaign_name` for `name` when `campaign` is given) or a word less (`age` for `min_age`),
/// or `None`. A known key the mapping has already is not one: it would be given twice.
fn by_words<'k>(key: &str, allowed: &[&'k str], entries: &[(Node, Node)]) -> Option<&'k str> {
    let words = words(key);
    let mut found = allowed.iter().copied().filter(|known| {
        let known_words: Vec<String> = known.split('_').map(str::to_string).collect();
        let holds = words.windows(known_words.len()).any(|run| run == known_words.as_slice());
        let held = words.len() < known_words.len() && known_words.ends_with(&words);
        // A section holds keys, not the value given (`consent_review: CR-1` is no `consent:`).
        (holds || held) && !is_section(known) && !CLAIMS.contains(known) && !has_key(entries, known)
    });
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Whether `key` holds a word that turns its meaning (`max`, `excluded`) which the known key
/// `suggested` does not: following such a suggestion would state the opposite of what was
/// meant (`max_age: 16` as `min_age: 16`).
fn turns(key: &str, suggested: &str) -> bool {
    let known = words(suggested);
    words(key).iter().any(|w| TURNING_WORDS.contains(&w.as_str()) && !known.contains(w))
}

/// The help for a top-level key that names a section and one of its keys (`consent.source`,
/// `consent_source`), or `None`: it is written under the section, not joined to it.
fn nested(key: &str) -> Option<String> {
    let lower = key.to_lowercase();
    Mapping::SECTIONS.into_iter().find_map(|section| {
        let rest = lower.strip_prefix(held(section))?.strip_prefix(['.', '_'])?;
        section.takes(rest).then(|| key_of(section, rest))
    })
}

/// The help for a top-level key that is a key of a section (`contact` of `rights`), or `None`.
/// Of several sections (`source`: `consent` and a data use), the one written just before it
/// is taken, as a key that lost its indentation follows its section.
fn section_of(key: &str, previous: Option<&str>, entries: &[(Node, Node)]) -> Option<String> {
    let homes: Vec<Mapping> = Mapping::SECTIONS.into_iter().filter(|section| section.takes(key)).collect();
    match homes.as_slice() {
        [] => None,
        // No section to indent it under: the campaign never wrote one.
        [one] if !has_key(entries, held(*one)) => Some(key_without_section(*one, key)),
        // Indented under it, the key would be given twice there.
        [one] if section_holds(entries, *one, key) => {
            let name = held(*one);
            Some(match one.takes_list(key) {
                true => format!(
                    "`{key}` is a key of `{name}`, which has `{key}` already: put these items into that list and \
                     remove this one"
                ),
                false => format!(
                    "`{key}` is a key of `{name}`, which has `{key}` already: keep the one meant and remove the other"
                ),
            })
        }
        [one] => Some(match one.entry() {
            Some(entry) if entries_in(entries, *one) > 1 => key_of_each(*one, key, entry),
            _ => key_of(*one, key),
        }),
        _ => match homes.iter().find(|h| previous == Some(held(**h))) {
            Some(p) => Some(key_of(*p, key)),
            None => {
                let all: Vec<String> = homes.iter().map(|h| whose(*h)).collect();
                Some(format!("`{key}` is a key of {}: indent it under the one it belongs to", all.join(" and of ")))
            }
        },
    }
}

/// The top-level key that holds `section` (`data` for a data use).
fn held(section: Mapping) -> &'static str {
    section.held_by().unwrap_or_default()
}

/// What owns the keys of `section`: `` `rights` ``, `a use in `data``.
fn whose(section: Mapping) -> String {
    let name = held(section);
    match section.entry() {
        Some((entry, _)) => format!("a {entry} in `{name}`"),
        None => format!("`{name}`"),
    }
}

/// The help for `key` of `section` written at the top level: where it goes.
fn key_of(section: Mapping, key: &str) -> String {
    let name = held(section);
    let fix = match section.entry() {
        // The key that starts an entry cannot be lined up with itself.
        Some((entry, first)) if key == first => format!("write each {entry} as `- {first}: …` under `{name}:`"),
        Some((entry, first)) => format!("indent it level with the `{first}:` of that {entry}"),
        None => format!("indent it under `{name}:`"),
    };
    format!("`{key}` is a key of {}: {fix}", whose(section))
}

/// `dpa: true` at the top level of a campaign with several processors: which one it was meant
/// for is not known, and each needs its own.
fn key_of_each(section: Mapping, key: &str, (entry, first): (&str, &str)) -> String {
    format!("`{key}` is a key of {}: give each {entry} its own `{key}:`, level with its `{first}:`", whose(section))
}

/// How many entries the campaign's `section` (a list) has.
fn entries_in(entries: &[(Node, Node)], section: Mapping) -> usize {
    entries
        .iter()
        .find_map(|(k, v)| match (&k.value, &v.value) {
            (Value::Str(k), Value::Seq(items)) if k == held(section) => Some(items.len()),
            _ => None,
        })
        .unwrap_or(0)
}

/// Whether the campaign's `section` (a mapping) holds `key`.
fn section_holds(entries: &[(Node, Node)], section: Mapping, key: &str) -> bool {
    entries.iter().any(|(k, v)| match (&k.value, &v.value) {
        (Value::Str(k), Value::Map(inner)) => k == held(section) && has_key(inner, key),
        _ => false,
    })
}

/// The help for `key` of `section` written at the top level of a campaign without that
/// section.
fn key_without_section(section: Mapping, key: &str) -> String {
    let name = held(section);
    match (section, key) {
        // A processor's country, where the campaign most likely meant its audience's.
        (Mapping::Processor, "region") => "`region` is a key of a processor in `processors`, and this campaign lists \
                                          no processors; the countries of the campaign's audience are `regions` \
                                          under `audience:` (a list: `regions: […]`)"
            .to_string(),
        _ => match section.entry() {
            Some((entry, first)) => format!(
                "`{key}` is a key of {}: write it below the `{first}:` of its {entry}, in an entry `- {first}: …` \
                 under `{name}:`",
                whose(section)
            ),
            None => format!("`{key}` is a key of `{name}`: write `{name}:` and indent it under it"),
        },
    }
}

/// Whether a mapping's entries hold `key` as it is written (a key written otherwise is not it).
fn has_key(entries: &[(Node, Node)], key: &str) -> bool {
    entries.iter().any(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{first_problem, HEAD};

    /// The problems of a campaign read from `text`: (message, label).
    fn problems(text: &str) -> Vec<(String, String)> {
        let policy = crate::policy::load_default().unwrap();
        let file = crate::source::SourceFile::new("c.yaml", text);
        let Err(invalid) = crate::campaign::read(crate::source::FileId(1), &file, &policy) else { panic!("{text}") };
        invalid.problems.iter().map(|p| (p.message.clone(), p.label.clone())).collect()
    }

    /// A key that is a known key with a word more or less is suggested that key: `legal_basis`
    /// was unknown, with every key listed, and `basis` missing besides. A word that turns the
    /// meaning, a section or a yes/no claim is not suggested.
    #[test]
    fn a_key_with_a_word_more_or_less_is_suggested_the_known_key() {
        assert_eq!(
            problems("campaign: c\npurpose: marketing.newsletter\nlegal_basis: consent\ndata: []\n"),
            [(
                "unknown key `legal_basis` in a campaign: the required key `basis` is missing".to_string(),
                "not read as `basis`".to_string()
            )]
        );
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        assert_eq!(help("legal_basis: consent\ndata: []\n"), "the keys of a campaign are `campaign`, `name`, `owner`, `purpose`, `basis`, `channels`, `audience`, `consent`, `data`, `processors`, `security`, `rights`, `labels`");
        assert_eq!(help("data: []\naudience:\n  age: 8-12\n"), "did you mean `min_age`?");
        assert_eq!(help("data: []\naudience:\n  minimum_age: 16\n"), "did you mean `min_age`?");
        assert_eq!(help("data: []\naudience:\n  target_regions: [SE]\n"), "did you mean `regions`?");
        // One value under a list's key respelt: the help writes the list.
        assert_eq!(
            help("data: []\naudience:\n  region: SE\n"),
            "did you mean `regions`? It takes a list: `regions: [SE]`"
        );
        assert_eq!(
            help("data: []\naudience:\n  region: SE and DK\n"),
            "did you mean `regions`? It takes a list: `regions: […]`"
        );
        assert_eq!(help("data: []\ncampaign_name: Spring\n"), "did you mean `name`?");
        assert_eq!(help("data:\n  - category: contact.email\n    lawful_basis: consent\n"), "did you mean `basis`?");
        let keys = "the keys of `audience` are `regions`, `min_age`, `subjects`, `segments`";
        // `max_age: 16` as `min_age: 16` would say the opposite; excluded regions are no regions.
        assert_eq!(help("data: []\naudience:\n  max_age: 16\n"), keys);
        assert_eq!(help("data: []\naudience:\n  excluded_regions: [US]\n"), keys);
        // A single opt-in is no double opt-in.
        assert_eq!(
            help("data: []\nconsent:\n  opt_in: true\n"),
            "the keys of `consent` are `source`, `double_opt_in`, `withdrawal`"
        );
        // A section's key joined to the section goes under it (`consent:` would take no text).
        assert_eq!(
            help("data: []\nconsent.source: form\n"),
            "`source` is a key of `consent`: indent it under `consent:`"
        );
        assert_eq!(
            help("data: []\naudience_min_age: 18\n"),
            "`min_age` is a key of `audience`: indent it under `audience:`"
        );
    }

    /// A key of a processor at the top level of a campaign with two: each is told to get its
    /// own, not "that processor".
    #[test]
    fn a_key_of_several_entries_is_given_to_each() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        assert_eq!(
            help("processors:\n  - name: A\n    region: SE\n  - name: B\n    region: DK\ndpa: true\n"),
            "`dpa` is a key of a processor in `processors`: give each processor its own `dpa:`, level with its `name:`"
        );
    }

    /// A section's key at the top level, where the section has that key already, is told to
    /// be merged, not indented under it (it would be given twice there).
    #[test]
    fn a_key_its_section_has_already_is_told_to_merge() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        assert_eq!(
            help("audience:\n  regions: [SE]\nregions: [DK]\n"),
            "`regions` is a key of `audience`, which has `regions` already: put these items into that list and remove \
             this one"
        );
        assert_eq!(
            help("audience:\n  min_age: 18\nmin_age: 16\n"),
            "`min_age` is a key of `audience`, which has `min_age` already: keep the one meant and remove the other"
        );
    }

    /// A label the policy reads written outside `labels:` is sent there, and `labels:` is not
    /// taken to exist when the campaign has none.
    #[test]
    fn a_label_outside_labels_is_sent_there() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        assert_eq!(
            help("lia: LIA-2026-04\n"),
            "`lia` is a label the policy reads: write `labels:` and indent it under it"
        );
        assert_eq!(
            help("labels: {}\nlia: LIA-2026-04\n"),
            "`lia` is a label the policy reads: indent it under `labels:`"
        );
        assert_eq!(
            help("processors:\n  - name: X\n    region: US\n    dpa: true\n    tia: TIA-2026-04\n"),
            "`tia` is a label the policy reads, not a key of a processor: move it under `labels:` at the top level of \
             the campaign"
        );
    }

    /// `retention_days: 30` was told `retention`, and then that `30` has no unit.
    #[test]
    fn a_unit_in_a_duration_key_is_moved_into_the_value() {
        let help =
            |use_line: &str| first_problem(&format!("{HEAD}data:\n  - category: contact.email\n    {use_line}\n")).1;
        assert_eq!(help("retention_days: 30"), "the unit goes in the value: write `retention: 30 days`");
        assert_eq!(help("retention-months: 6"), "the unit goes in the value: write `retention: 6 months`");
        assert_eq!(help("retention_days: 30 days"), "did you mean `retention`?");
        assert_eq!(help("retention_days: \"30\""), "the unit goes in the value: write `retention: 30 days`");
        assert_eq!(help("retention_hours: 48"), "the unit goes in the value: write `retention: 2 days`");
        // What would be an error of its own keeps the plain suggestion.
        assert_eq!(help("retention_years: 1.5"), "did you mean `retention`?");
        assert_eq!(help("retention_days: -5"), "did you mean `retention`?");
    }

    /// A key of one section written under another is sent to its own: the help listed the
    /// keys of the section it stood in.
    #[test]
    fn a_key_under_another_section_is_sent_to_its_own() {
        let (message, help) = first_problem(&format!("{HEAD}data: []\nconsent:\n  unsubscribe: true\n"));
        assert_eq!(message, "unknown key `unsubscribe` in `consent`");
        assert_eq!(help, "`unsubscribe` is a key of `rights`, not of `consent`: move it under `rights:`");
        let (_, help) = first_problem(&format!("{HEAD}data: []\nrights:\n  min_age: 18\n"));
        assert_eq!(help, "`min_age` is a key of `audience`, not of `rights`: move it under `audience:`");
    }

    /// A section's key at the top level of a campaign without that section is not told to
    /// be indented under a section that is not there; `region:` with no processors is most
    /// likely the audience's.
    #[test]
    fn a_key_of_a_section_the_campaign_lacks_is_told_to_write_the_section() {
        let help = |yaml: &str| {
            first_problem(&format!(
                "{HEAD}data: []
{yaml}"
            ))
            .1
        };
        assert_eq!(
            help(
                "region: SE
"
            ),
            "`region` is a key of a processor in `processors`, and this campaign lists no processors; the countries \
             of the campaign's audience are `regions` under `audience:` (a list: `regions: […]`)"
        );
        assert_eq!(
            help(
                "contact: a@b.c
"
            ),
            "`contact` is a key of `rights`: write `rights:` and indent it under it"
        );
        assert_eq!(
            help(
                "dpa: true
"
            ),
            "`dpa` is a key of a processor in `processors`: write it below the `name:` of its processor, in an entry \
             `- name: …` under `processors:`"
        );
    }

    /// `rights:`, then its keys at the start of the line: the help sends them back under it
    /// rather than suggesting a top-level key that looks alike (`contact` → `consent`).
    #[test]
    fn a_key_that_lost_its_indentation_is_sent_back_under_its_section() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        let (message, contact) = first_problem(&format!("{HEAD}data: []\nrights:\ncontact: a@b.c\n"));
        assert_eq!(message, "unknown key `contact` in a campaign");
        assert_eq!(contact, "`contact` is a key of `rights`: indent it under `rights:`");
        assert_eq!(
            help("data: []\naudience:\nmin_age: 18\n"),
            "`min_age` is a key of `audience`: indent it under `audience:`"
        );
        assert_eq!(
            help("data:\n  - category: contact.email\nretention: 24 months\n"),
            "`retention` is a key of a use in `data`: indent it level with the `category:` of that use"
        );
        assert_eq!(
            help("data: []\nprocessors:\n  - name: Mailer\ndpa: true\n"),
            "`dpa` is a key of a processor in `processors`: indent it level with the `name:` of that processor"
        );
        // A key of several sections goes back under the one just before it.
        assert_eq!(
            help("data: []\nsecurity:\naccess: [admin]\n"),
            "`access` is a key of `security`: indent it under `security:`"
        );
        assert_eq!(
            help("data: []\nrights:\naccess: portal\n"),
            "`access` is a key of `rights`: indent it under `rights:`"
        );
        assert_eq!(
            help("source: crm\ndata: []\n"),
            "`source` is a key of `consent` and of a use in `data`: indent it under the one it belongs to"
        );
        // A key of no section still gets its suggestion.
        assert_eq!(help("data: []\nowner_team: growth\n"), "did you mean `owner`?");
    }

    /// A misspelt required key is one problem, at the key: not also a missing key at line 1.
    #[test]
    fn a_misspelt_required_key_is_not_also_a_missing_key() {
        for (text, key, missing) in [
            ("campaign: c\nPurpose: marketing.newsletter\nbasis: consent\ndata: []\n", "Purpose", "purpose"),
            ("campaign: c\npurpse: marketing.newsletter\nbasis: consent\ndata: []\n", "purpse", "purpose"),
            ("CAMPAIGN: c\npurpose: marketing.newsletter\nbasis: consent\ndata: []\n", "CAMPAIGN", "campaign"),
            (&format!("{HEAD}data:\n  - categry: contact.email\n"), "categry", "category"),
            (&format!("{HEAD}data: []\nprocessors:\n  - Name: Mailer\n"), "Name", "name"),
        ] {
            let what = match missing {
                "category" => "a data use",
                "name" => "a processor",
                _ => "a campaign",
            };
            assert_eq!(
                problems(text),
                [(
                    format!("unknown key `{key}` in {what}: the required key `{missing}` is missing"),
                    format!("not read as `{missing}`")
                )],
                "{text}"
            );
        }
        // A key that is there already is not missing; a key nothing stands for is.
        let both = problems("campaign: c\npurpose: marketing.newsletter\nPurpose: x\nbasis: consent\ndata: []\n");
        assert_eq!(both, [("unknown key `Purpose` in a campaign".to_string(), "unknown key".to_string())]);
        let missing = problems("campaign: c\nbasis: consent\ndata: []\n");
        assert_eq!(missing[0].0, "missing required key `purpose`");
    }

    /// A key that says a yes/no claim is missing or planned is not pointed at the claim:
    /// `dpa_pending: true` was "did you mean `dpa`?", and following it turned a blocked
    /// campaign into an allowed one.
    #[test]
    fn a_key_that_says_a_claim_is_not_yet_true_is_not_told_the_claim() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}")).1;
        let processor = "the keys of a processor are `name`, `region`, `safeguard`, `dpa`";
        for key in ["dpa_missing", "dpa_pending", "dpa_planned", "dpa_status", "dpa_todo", "dpa_requested", "no_dpa"] {
            assert_eq!(help(&format!("processors:\n  - name: X\n    {key}: true\n")), processor, "{key}");
        }
        let rights = "the keys of `rights` are `unsubscribe`, `contact`, `access`, `erasure`, `rectification`";
        for key in ["unsubscribe_missing", "unsubscribe_planned", "unsubscribe_needed"] {
            assert_eq!(help(&format!("rights:\n  {key}: true\n")), rights, "{key}");
        }
        let consent = "the keys of `consent` are `source`, `double_opt_in`, `withdrawal`";
        for key in ["double_opt_in_disabled", "double_opt_in_planned", "double_opt_in_off"] {
            assert_eq!(help(&format!("consent:\n  {key}: true\n")), consent, "{key}");
        }
        let security = "the keys of `security` are `encryption`, `access`, `monitoring`";
        assert_eq!(help("security:\n  monitoring_planned: true\n"), security);
        // Other short words a letter or two from a claim are other things: a DPIA, a DPO or
        // a DPF certification is no signed DPA, and `subscribe` is no `unsubscribe`.
        for key in ["dpo", "dpf", "dpas", "DPIA"] {
            assert_eq!(help(&format!("processors:\n  - name: X\n    {key}: true\n")), processor, "{key}");
        }
        // `dpia` is a label the pack reads: sent to `labels:`, still not told `dpa`.
        assert_eq!(
            help("processors:\n  - name: X\n    dpia: true\n"),
            "`dpia` is a label the policy reads, not a key of a processor: move it under `labels:` at the top level \
             of the campaign"
        );
        assert_eq!(help("rights:\n  subscribe: true\n"), rights);
        // The claim respelt is still the claim.
        assert_eq!(help("processors:\n  - name: X\n    DPA: true\n"), "keys are lower-case: write `dpa:`");
        assert_eq!(help("consent:\n  double_optin: true\n"), "did you mean `double_opt_in`?");
        assert_eq!(help("security:\n  monitorng: true\n"), "did you mean `monitoring`?");
    }

    /// A key is not told to become a key given already, nor a section: `campaign_name` beside
    /// `campaign:` and `name:` was "did you mean `campaign`?", a duplicate key. A respelling
    /// of a key given already is told where it is.
    #[test]
    fn a_key_is_not_told_to_become_a_key_given_already_or_a_section() {
        let keys = "the keys of a campaign are `campaign`, `name`, `owner`, `purpose`, `basis`, `channels`, \
                    `audience`, `consent`, `data`, `processors`, `security`, `rights`, `labels`";
        for key in [
            "campaign_name",
            "campaign_id",
            "consent_withdrawal_missing",
            "rights_unsubscribe_missing",
            "security_monitoring_planned",
        ] {
            let text = format!("{HEAD}name: x\nconsent: {{}}\nrights: {{}}\nsecurity: {{}}\n{key}: x\ndata: []\n");
            assert_eq!(first_problem(&text).1, keys, "{key}");
        }
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        assert_eq!(
            help("channels: [email]\nchannel: [sms]\ndata: []\n"),
            "`channels` is given on line 4; merge the two into `channels`"
        );
        // A key of one value cannot hold both: one of the two goes.
        assert_eq!(
            help("purposes: [x]\ndata: []\n"),
            "`purpose` is given on line 2 and takes one value: keep the one meant and remove the other"
        );
        assert_eq!(
            help("data: []\nprocessors: []\nprocessor: []\n"),
            "`processors` is given on line 5; merge the two into `processors`"
        );
        // A processor's `regions` is its own `region`, not `audience.regions`.
        assert_eq!(help("data: []\nprocessors:\n  - name: X\n    regions: SE\n"), "did you mean `region`?");
    }

    /// `dpa?:` was "did you mean `dpa`?": the `?` says the writer is unsure, and the claim
    /// that a DPA is signed must not be made for them. `regions: [SE, US]` in a processor was
    /// told `region`, which takes one region: one entry per region keeps the US transfer.
    #[test]
    fn a_claim_key_with_a_question_mark_is_not_told_the_claim() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}")).1;
        assert_eq!(
            help("data: []\nprocessors:\n  - name: X\n    dpa?: true\n"),
            "`?` leaves the claim open: once it is settled, write `dpa: true` or `false`; until then leave it out, \
             and it is unknown"
        );
        assert_eq!(
            help("data: []\nprocessors:\n  - name: X\n    regions: [SE, US]\n"),
            "a processor entry has one `region:`: list a processor in several regions once per region, each as its \
             own `- name:` entry with that `region:` and its own `safeguard:` and `dpa:`"
        );
        assert_eq!(
            help("data: []\nrights:\n  unsubscribe?: true\n"),
            "`?` leaves the claim open: once it is settled, write `unsubscribe: true` or `false`; until then leave it \
             out, and it is unknown"
        );
    }
}
