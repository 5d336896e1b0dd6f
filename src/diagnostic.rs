//! The one error shape every stage produces: a located, labelled problem with a help line.
//! Renderers in `report` turn these into miette output, JSON, SARIF and so on.

use crate::source::{Location, SourceMap, Span};

/// Stable error codes; each doubles as the SARIF rule id and the anchor in the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The policy text does not follow the grammar.
    Syntax,
    /// A name is declared twice.
    Duplicate,
    /// A name is used that is not declared.
    UnknownName,
    /// `under` edges form a cycle.
    Cycle,
    /// A value or operator does not fit the field's type.
    Type,
    /// `campaign` used where it is not allowed.
    CampaignScope,
    /// A duration is malformed.
    Duration,
    /// An input exceeds a configured limit.
    Limit,
    /// A file could not be read.
    Io,
    /// A campaign file is not valid YAML.
    Yaml,
    /// A campaign file has a key that the format does not know.
    UnknownKey,
    /// A campaign file lacks a required key.
    MissingKey,
    /// Two campaign files share an id.
    DuplicateCampaign,
    /// Bad command-line usage.
    Usage,
    /// `lagom fmt` could not prove a new layout keeps the file's meaning and comments.
    Format,
    /// Warning: an allow rule that a deny rule without condition always overrides.
    ShadowedAllow,
    /// Warning: a rule whose condition its own scope makes impossible.
    NeverApplies,
    /// Warning: `==` or `in` with a category or purpose that has others under it, which
    /// matches it alone, never what is under it.
    ExactParent,
    /// Warning: a category or purpose that no rule reaches.
    Unreached,
    /// Warning: retain rules whose scopes overlap with different limits.
    RetentionOverlap,
    /// Warning: a set no rule uses.
    UnusedSet,
    /// Warning: a deny, warn or retain rule without a `because`, or with an empty one.
    MissingReason,
    /// Warning: a comparison with the word `null`, which is text, not a missing value.
    NullComparison,
    /// Warning: a field's dotted name where a value is due, which is text, not the field.
    FieldAsText,
    /// Warning: a set member whose case differs from the others', or one letter from a set's
    /// name.
    SetMember,
    /// Warning: a `within` test that an empty list passes, where passing lets data through.
    WithinEmpty,
    /// Warning: a test against an empty list (`owner in []`), whose answer no campaign changes.
    EmptyList,
    /// Warning: a `# lagom: ignore` comment that is misspelt, names an unknown code, or
    /// silences nothing.
    IgnoreComment,
    /// Warning: a file below a policy folder named like a policy file that is not one
    /// (`10-deny.polcy`, `main.policy.bak`), so not read.
    SkippedFile,
}

impl Code {
    /// The code as shown to users (`lagom::syntax`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "lagom::syntax",
            Code::Duplicate => "lagom::duplicate",
            Code::UnknownName => "lagom::unknown_name",
            Code::Cycle => "lagom::cycle",
            Code::Type => "lagom::type",
            Code::CampaignScope => "lagom::campaign_scope",
            Code::Duration => "lagom::duration",
            Code::Limit => "lagom::limit",
            Code::Io => "lagom::io",
            Code::Yaml => "lagom::yaml",
            Code::UnknownKey => "lagom::unknown_key",
            Code::MissingKey => "lagom::missing_key",
            Code::DuplicateCampaign => "lagom::duplicate_campaign",
            Code::Usage => "lagom::usage",
            Code::Format => "lagom::format",
            Code::ShadowedAllow => "lagom::shadowed_allow",
            Code::NeverApplies => "lagom::never_applies",
            Code::ExactParent => "lagom::exact_parent",
            Code::Unreached => "lagom::unreached",
            Code::RetentionOverlap => "lagom::retention_overlap",
            Code::UnusedSet => "lagom::unused_set",
            Code::MissingReason => "lagom::missing_reason",
            Code::NullComparison => "lagom::null_comparison",
            Code::FieldAsText => "lagom::field_as_text",
            Code::SetMember => "lagom::set_member",
            Code::WithinEmpty => "lagom::within_empty",
            Code::EmptyList => "lagom::empty_list",
            Code::IgnoreComment => "lagom::ignore_comment",
            Code::SkippedFile => "lagom::skipped_file",
        }
    }

    /// Every code, in declaration order: what a test's `errors:` may name.
    pub const ALL: [Code; 29] = [
        Code::Syntax,
        Code::Duplicate,
        Code::UnknownName,
        Code::Cycle,
        Code::Type,
        Code::CampaignScope,
        Code::Duration,
        Code::Limit,
        Code::Io,
        Code::Yaml,
        Code::UnknownKey,
        Code::MissingKey,
        Code::DuplicateCampaign,
        Code::Usage,
        Code::Format,
        Code::ShadowedAllow,
        Code::NeverApplies,
        Code::ExactParent,
        Code::Unreached,
        Code::RetentionOverlap,
        Code::UnusedSet,
        Code::MissingReason,
        Code::NullComparison,
        Code::FieldAsText,
        Code::SetMember,
        Code::WithinEmpty,
        Code::EmptyList,
        Code::IgnoreComment,
        Code::SkippedFile,
    ];

    /// The code without the `lagom::` prefix, as `# lagom: ignore` comments may write it.
    pub fn name(self) -> &'static str {
        self.as_str().trim_start_matches("lagom::")
    }

    /// The static warnings about a policy that a `# lagom: ignore` comment may silence.
    pub const LINTS: [Code; 12] = [
        Code::ShadowedAllow,
        Code::NeverApplies,
        Code::ExactParent,
        Code::Unreached,
        Code::RetentionOverlap,
        Code::UnusedSet,
        Code::MissingReason,
        Code::NullComparison,
        Code::FieldAsText,
        Code::SetMember,
        Code::WithinEmpty,
        Code::EmptyList,
    ];

    /// True for the static warnings of `lagom validate`: they never stop evaluation.
    pub fn is_warning(self) -> bool {
        Code::LINTS.contains(&self) || matches!(self, Code::IgnoreComment | Code::SkippedFile)
    }
}

/// Where a problem is: a span in a loaded file, or only a file name when the file could not
/// be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A range in a file of the run's [`SourceMap`].
    Span(Span),
    /// A file (or path) that has no text to point into.
    File(String),
}

/// A secondary place shown with a problem (the first declaration of a duplicate, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub place: Place,
    /// What is there.
    pub label: String,
}

/// One user-facing error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Stable code.
    pub code: Code,
    /// The message, lower-case, no final period.
    pub message: String,
    /// The primary location.
    pub place: Place,
    /// The label under the primary location.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that explain the problem.
    pub related: Vec<Related>,
}

impl Problem {
    /// A problem at a span.
    pub fn at(code: Code, span: Span, message: impl Into<String>, label: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            place: Place::Span(span),
            label: label.into(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A problem about a whole file that has no text to point into.
    pub fn in_file(code: Code, file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            place: Place::File(file.into()),
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Adds a related place.
    #[must_use]
    pub fn with_related(mut self, place: Place, label: impl Into<String>) -> Problem {
        self.related.push(Related { place, label: label.into() });
        self
    }

    /// The text a problem's primary label underlines, in the one text it is about (for tests).
    #[cfg(test)]
    pub(crate) fn underlined<'a>(&self, text: &'a str) -> Option<&'a str> {
        match &self.place {
            Place::Span(s) => text.get(s.start..s.end),
            Place::File(_) => None,
        }
    }

    /// Where the problem starts, resolved against the files of the run.
    pub fn location(&self, sources: &SourceMap) -> Location {
        place_location(&self.place, sources)
    }

    /// A key that orders problems by file and position.
    pub(crate) fn sort_key(&self, sources: &SourceMap) -> (Location, String) {
        (self.location(sources), self.message.clone())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The message alone: where the problem is and how to fix it need the run's files, which
/// the renderers in `report` have (`report::human::problems` shows all of it).
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// The first of `problems` and how many more there are: the one-line form of an error that
/// holds several problems.
pub(crate) fn first_of(f: &mut std::fmt::Formatter<'_>, what: &str, problems: &[Problem]) -> std::fmt::Result {
    match problems {
        [] => write!(f, "{what}"),
        [only] => write!(f, "{what}: {only}"),
        [first, rest @ ..] => {
            let more = rest.len();
            write!(f, "{what}: {first} (and {more} more problem{})", if more == 1 { "" } else { "s" })
        }
    }
}

/// Why a file could not be read, in words (`no such file or directory`, `permission denied`).
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        std::io::ErrorKind::NotADirectory => "a part of the path is not a directory".into(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
        // Other reasons in the system's words, without Rust's `(os error N)`.
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            lowercase_first(text)
        }
    }
}

/// Why a directory walk could not read an entry, in words: an I/O error as [`io_reason`] says
/// it, or the symbolic link that loops back to a directory above it.
pub fn walk_reason(e: &walkdir::Error) -> String {
    match (e.io_error(), e.loop_ancestor()) {
        (Some(io), _) => io_reason(io),
        (None, Some(ancestor)) => format!("it is a link back to `{}`, which holds it", ancestor.display()),
        (None, None) => lowercase_first(&e.to_string()),
    }
}

/// Names written as code, separated by commas: `` `a`, `b`, `c` ``.
pub(crate) fn in_backticks(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Items joined for a sentence: `a`, `a or b`, `a, b or c` (with `and` for `conjunction` "and").
pub(crate) fn join_list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// The message with its first letter in lower case, unless it starts an acronym ("YAML").
pub(crate) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(f), Some(second)) if second.is_uppercase() => std::iter::once(f).chain(c).collect(),
        (Some(f), _) => f.to_lowercase().chain(c).collect(),
        (None, _) => String::new(),
    }
}

/// Resolves a place to a location; a file-only place points at its first character.
pub fn place_location(place: &Place, sources: &SourceMap) -> Location {
    match place {
        Place::Span(span) => sources.location(*span),
        Place::File(name) => Location { file: name.clone(), line: 1, column: 1 },
    }
}

/// Sorts problems by file and position and removes exact repeats.
pub fn sort_problems(problems: &mut Vec<Problem>, sources: &SourceMap) {
    problems.sort_by_cached_key(|p| p.sort_key(sources));
    problems.dedup();
}

/// "did you mean" for a misspelt name when one name is the answer: the closest candidate, if
/// close enough to be a typo and no other is as close (see [`suggestions`]); `None` when
/// several are, since picking one would choose between readings for the author.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    match suggestions(name, candidates).as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// Every candidate as close to a misspelt name as the closest one, closest first: those at the
/// fewest edits (`contact.phon` is one from both `contact.phone` and `contact.phony`), every
/// name the word starts (`contact.phone` for `contact.phone_home` and `contact.phone_work`),
/// and for a word of three letters or fewer, where one edit is much of it, every name within
/// two edits that holds its letters (`sm`: `sms` and `mms`). Empty when none is close.
pub fn suggestions<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    // Jaro-Winkler is quadratic in the length: nobody misspells a 100-character name.
    const MAX_LEN: usize = 100;
    if name.len() > MAX_LEN {
        return Vec::new();
    }
    // Compared without case, so that `SMS` and `CONSENT` (caps lock, or a habit from another
    // tool) are as close to `sms` and `consent` as `Sms` is; the case breaks ties.
    let lower = name.to_lowercase();
    let length = lower.chars().count();
    let short = length <= 3;
    // A typo, and a short word's letters, are at most this many edits away (below).
    let reach = (length / 4).max(2);
    let counts = Letters::of(&lower);
    let mut close: Vec<((usize, usize), bool, &str)> = Vec::new();
    for cand in candidates.into_iter().filter(|c| c.len() <= MAX_LEN) {
        let cand_lower = cand.to_lowercase();
        let prefix = !lower.is_empty() && cand_lower.starts_with(&lower) && cand_lower != lower;
        // An edit changes the length by one at most and the letters by two: a candidate
        // further off in either is no typo, and its distance (quadratic in the lengths: a
        // campaign of 30,000 long unknown names took half a minute) is not computed.
        let near = length.abs_diff(cand_lower.chars().count()) <= reach && counts.apart(&cand_lower) <= 2 * reach;
        if !prefix && !near {
            continue;
        }
        let distance = (strsim::osa_distance(&lower, &cand_lower), strsim::osa_distance(name, cand));
        let letters = short && (1..=2).contains(&distance.0) && lower.chars().all(|c| cand_lower.contains(c));
        // A shared start makes names look alike to Jaro-Winkler however much follows it
        // (`contact.whatsapp` and `contact.email`, seven edits apart): a typo is a few edits,
        // one in four letters at most.
        let typo = distance.0 <= reach && strsim::jaro_winkler(&lower, &cand_lower) >= 0.8;
        if prefix || letters || typo {
            close.push((distance, prefix || letters, cand));
        }
    }
    let Some(best) = close.iter().map(|(d, _, _)| *d).min() else {
        return Vec::new();
    };
    close.retain(|(d, also, _)| *d == best || *also);
    close.sort_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
    let mut out: Vec<&str> = close.into_iter().map(|(_, _, c)| c).collect();
    out.dedup();
    out
}

/// How many of each letter a word holds, letters folded into 64 buckets: the buckets of two
/// words differ by at most as much as their letters do, so half that difference is a lower
/// bound on their edit distance, found without allocating.
struct Letters([i16; 64]);

impl Letters {
    fn of(word: &str) -> Letters {
        let mut counts = [0i16; 64];
        for c in word.chars() {
            if let Some(n) = counts.get_mut(c as usize % 64) {
                *n = n.saturating_add(1);
            }
        }
        Letters(counts)
    }

    /// How many letters `word` holds more or fewer of than this word, in all.
    fn apart(&self, word: &str) -> usize {
        let mut counts = self.0;
        for c in word.chars() {
            if let Some(n) = counts.get_mut(c as usize % 64) {
                *n = n.saturating_sub(1);
            }
        }
        counts.iter().map(|n| n.unsigned_abs() as usize).sum()
    }
}

/// The candidates named in a help line, in backticks: `` `a` ``, `` `a` or `b` ``.
fn named(candidates: &[&str]) -> String {
    let quoted: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    join_list(&quoted, "or")
}

/// The help line for an unknown name: a suggestion when one is close, else what exists.
pub fn did_you_mean<'a>(name: &str, what: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    help_for_unknown(name, what, candidates, "declare it first, or use").into_help()
}

/// [`did_you_mean`] for a fixed vocabulary (campaign fields, warning codes), which the user
/// cannot extend: the help never says to declare the name.
pub fn did_you_mean_fixed<'a>(name: &str, what: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    suggestion_fixed(name, what, candidates).into_help()
}

/// The help of [`did_you_mean_fixed`], by what it offers: a caller with a listing of its own
/// keeps the close names and replaces the rest by matching on it, not on the help's words.
pub fn suggestion_fixed<'a>(name: &str, what: &str, candidates: impl IntoIterator<Item = &'a str>) -> Suggestion {
    help_for_unknown(name, what, candidates, "use")
}

/// The help for an unknown name, by what it offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    /// Names close to it ("did you mean `a` or `b`?"), perhaps with why they are.
    Close(String),
    /// No name is close: the names there are, how many, or that there are none.
    Listing(String),
}

impl Suggestion {
    /// The help line.
    pub fn into_help(self) -> String {
        match self {
            Suggestion::Close(help) | Suggestion::Listing(help) => help,
        }
    }
}

fn help_for_unknown<'a>(
    name: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    advice: &str,
) -> Suggestion {
    let all: Vec<&str> = candidates.into_iter().collect();
    // A dotted name whose last part the policy declares under another parent (a category
    // moved in a new version of the policy: `behaviour.email_engagement` is now
    // `device.email_engagement`): suggest the names with that last part.
    if let Some((parent, leaf)) = name.rsplit_once('.') {
        let moved: Vec<&str> =
            all.iter().copied().filter(|c| c.rsplit_once('.').is_some_and(|(_, l)| l == leaf)).take(3).collect();
        if !moved.is_empty() {
            // A name one edit from it under the same parent (`parent.mail` for `parent.email`)
            // is as likely meant as the moved one, and is named first.
            let lower = name.to_lowercase();
            let mut near: Vec<&str> = all
                .iter()
                .copied()
                .filter(|c| {
                    c.rsplit_once('.').is_some_and(|(p, _)| p == parent)
                        && strsim::osa_distance(&lower, &c.to_lowercase()) <= 1
                })
                .collect();
            if near.is_empty() {
                return Suggestion::Close(format!(
                    "did you mean {}? `{leaf}` is declared under another name",
                    named(&moved)
                ));
            }
            near.extend(moved);
            return Suggestion::Close(format!("did you mean {}?", named(&near)));
        }
    }
    let close = suggestions(name, all.iter().copied());
    if !close.is_empty() {
        return Suggestion::Close(format!("did you mean {}?", named(&close)));
    }
    // A dotted name given by its last part only (`email` for `contact.email`, `region` for
    // `audience.regions`): suggest the full names whose last part is close.
    if !name.contains('.') {
        let last = |c: &'a str| c.rsplit('.').next().unwrap_or(c);
        let parts: Vec<&str> = all.iter().filter(|c| c.contains('.')).map(|c| last(c)).collect();
        let close = suggestions(name, parts.iter().copied());
        if !close.is_empty() {
            let full: Vec<&str> =
                all.iter().copied().filter(|c| c.contains('.') && close.contains(&last(c))).take(3).collect();
            return Suggestion::Close(format!(
                "did you mean {}? A name is written with the names above it",
                named(&full)
            ));
        }
    }
    let listing = match all.len() {
        // Said without a suggestion to declare for a vocabulary the user cannot extend.
        0 if advice == "use" => format!("the policy declares no {what}"),
        // Only a name that can be declared is named: text in quotes may hold anything.
        0 if name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-')) => {
            format!("the policy declares no {what}: declare `{name}` first")
        }
        0 => format!("the policy declares no {what}"),
        1..=8 => {
            // A name may be very long; the help line shows its start.
            let shown = |c: &str| match c.char_indices().nth(60) {
                Some((i, _)) => format!("`{}…`", c.get(..i).unwrap_or(c)),
                None => format!("`{c}`"),
            };
            let list: Vec<String> = all.iter().map(|c| shown(c)).collect();
            format!(
                "{}: {}",
                if advice == "use" { format!("the {what} are") } else { format!("declared {what}") },
                list.join(", ")
            )
        }
        n => format!("{advice} one of the {n} {what}"),
    };
    Suggestion::Listing(listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_of_several_problems_reads_as_its_first_and_a_count() {
        struct Several(Vec<Problem>);
        impl std::fmt::Display for Several {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                first_of(f, "invalid policy", &self.0)
            }
        }
        let p = |m: &str| Problem::in_file(Code::Syntax, "p.policy", m);
        assert_eq!(Several(vec![]).to_string(), "invalid policy");
        assert_eq!(Several(vec![p("a")]).to_string(), "invalid policy: a");
        assert_eq!(Several(vec![p("a"), p("b")]).to_string(), "invalid policy: a (and 1 more problem)");
        assert_eq!(Several(vec![p("a"), p("b"), p("c")]).to_string(), "invalid policy: a (and 2 more problems)");
        assert_eq!(Code::UnknownName.to_string(), "lagom::unknown_name");
    }

    /// Two names as close as each other are both named: picking one would choose between
    /// readings for the author. A caller that needs one name gets none.
    #[test]
    fn names_as_close_as_the_best_are_all_named() {
        assert_eq!(suggestions("sm", ["sms", "mms", "email"]), ["sms", "mms"]);
        assert_eq!(did_you_mean("sm", "channels", ["sms", "mms", "email"]), "did you mean `sms` or `mms`?");
        assert_eq!(suggest("sm", ["sms", "mms"]), None);
        assert_eq!(
            did_you_mean("contact.phon", "categories", ["contact", "contact.phone", "contact.phony"]),
            "did you mean `contact.phone` or `contact.phony`?"
        );
        assert_eq!(
            suggestions("marketing.offer", ["marketing", "marketing.offers", "marketing.offer2"]),
            ["marketing.offer2", "marketing.offers"]
        );
        assert_eq!(
            suggestions("contact.phone", ["contact", "contact.phone_home", "contact.phone_work"]),
            ["contact.phone_home", "contact.phone_work"]
        );
        assert_eq!(
            did_you_mean("parent.email", "categories", ["parent", "parent.mail", "child", "child.email"]),
            "did you mean `parent.mail` or `child.email`?"
        );
        assert_eq!(suggest("contactt", ["contact", "behavior"]), Some("contact"));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("contactt", ["contact", "behavior"]), Some("contact"));
        assert_eq!(suggest("zzz", ["contact", "behavior"]), None);
        // Case is no distance: `SMS` is `sms`; between two spellings, the same case wins.
        assert_eq!(suggest("SMS", ["sms", "social"]), Some("sms"));
        assert_eq!(
            suggest("MARKETING.NEWSLETTER", ["marketing.newsletter", "marketing"]),
            Some("marketing.newsletter")
        );
        assert_eq!(suggest("SE", ["se", "SE"]), Some("SE"));
        assert!(did_you_mean("emial", "bases", ["email", "sms"]).contains("`email`"));
        // A shared start is no typo: `contact.whatsapp` is seven edits from `contact.email`,
        // which following the suggestion would declare instead.
        assert_eq!(suggestions("contact.whatsapp", ["contact", "contact.email", "contact.phone"]), Vec::<&str>::new());
        assert_eq!(suggestions("contact.fax", ["contact", "contact.email"]), Vec::<&str>::new());
        assert_eq!(suggest("marketing.newsleter", ["marketing", "marketing.newsletter"]), Some("marketing.newsletter"));
    }

    /// A name given by its last part (`email` for `contact.email`) is completed: declaring it
    /// anew, as the general help would say, makes a rule that no campaign ever matches.
    #[test]
    fn a_name_given_by_its_last_part_is_completed() {
        let categories = ["contact", "contact.email", "contact.phone", "special.health"];
        assert!(did_you_mean("email", "categories", categories).starts_with("did you mean `contact.email`?"));
        assert!(did_you_mean("health", "categories", categories).starts_with("did you mean `special.health`?"));
        let fields = ["basis", "audience.regions", "audience.min_age", "consent.source"];
        assert!(did_you_mean_fixed("region", "fields", fields).starts_with("did you mean `audience.regions`?"));
    }

    /// A name whose last part is declared under another parent (a category moved in a new
    /// version of the policy) gets the name it has now.
    #[test]
    fn a_name_moved_to_another_parent_is_found_by_its_last_part() {
        let categories = ["behaviour", "behaviour.browsing", "device", "device.email_engagement"];
        assert_eq!(
            did_you_mean("behaviour.email_engagement", "categories", categories),
            "did you mean `device.email_engagement`? `email_engagement` is declared under another name"
        );
    }

    /// Fields and warning codes cannot be declared, so their help never says to.
    #[test]
    fn a_fixed_vocabulary_is_never_to_be_declared() {
        let many: Vec<String> = (0..20).map(|i| format!("field{i:02}")).collect();
        let help = did_you_mean_fixed("zzz", "fields", many.iter().map(String::as_str));
        assert_eq!(help, "use one of the 20 fields");
        assert_eq!(did_you_mean_fixed("zzz", "fields", ["basis", "owner"]), "the fields are: `basis`, `owner`");
        // Typed as what it offers, for callers that list the names their own way.
        assert_eq!(
            suggestion_fixed("zzz", "fields", ["basis", "owner"]),
            Suggestion::Listing("the fields are: `basis`, `owner`".into())
        );
        assert_eq!(
            suggestion_fixed("bassis", "fields", ["basis", "owner"]),
            Suggestion::Close("did you mean `basis`?".into())
        );
        assert!(did_you_mean("zzz", "categories", many.iter().map(String::as_str)).starts_with("declare it first"));
        // With nothing declared, the help says what to do, not only what is missing.
        assert_eq!(
            did_you_mean("contact", "categories", []),
            "the policy declares no categories: declare `contact` first"
        );
        assert_eq!(did_you_mean_fixed("zzz", "fields", []), "the policy declares no fields");
        // A quoted text holding a line break is not written into the help: it could start a
        // line of a CI log.
        assert_eq!(did_you_mean("x\n::error::y", "lawful bases", []), "the policy declares no lawful bases");
    }

    #[test]
    fn a_list_of_declared_names_shows_the_start_of_a_long_one() {
        let long = "c".repeat(50_000);
        let help = did_you_mean("zzz", "categories", [long.as_str(), "sms"]);
        assert_eq!(help, format!("declared categories: `{}…`, `sms`", "c".repeat(60)));
    }

    #[test]
    fn io_reasons_read_as_words_without_the_os_error_number() {
        use std::io::{Error, ErrorKind};
        assert_eq!(io_reason(&Error::from(ErrorKind::IsADirectory)), "it is a directory");
        assert_eq!(io_reason(&Error::from_raw_os_error(5)), "input/output error");
        assert_eq!(lowercase_first("YAML error"), "YAML error");
    }

    #[test]
    fn lists_read_as_a_sentence() {
        let items = |n: usize| -> Vec<String> { ["`a`", "`b`", "`c`"].iter().take(n).map(|s| s.to_string()).collect() };
        assert_eq!(join_list(&items(1), "or"), "`a`");
        assert_eq!(join_list(&items(2), "and"), "`a` and `b`");
        assert_eq!(join_list(&items(3), "or"), "`a`, `b` or `c`");
    }
}

#[cfg(test)]
mod all_codes {
    use super::Code;

    /// `Code::ALL` holds every variant once, in place: a new variant fails to compile here
    /// until it is listed.
    #[test]
    fn every_code_is_listed_once() {
        let position = |c: Code| match c {
            Code::Syntax => 0,
            Code::Duplicate => 1,
            Code::UnknownName => 2,
            Code::Cycle => 3,
            Code::Type => 4,
            Code::CampaignScope => 5,
            Code::Duration => 6,
            Code::Limit => 7,
            Code::Io => 8,
            Code::Yaml => 9,
            Code::UnknownKey => 10,
            Code::MissingKey => 11,
            Code::DuplicateCampaign => 12,
            Code::Usage => 13,
            Code::Format => 14,
            Code::ShadowedAllow => 15,
            Code::NeverApplies => 16,
            Code::ExactParent => 17,
            Code::Unreached => 18,
            Code::RetentionOverlap => 19,
            Code::UnusedSet => 20,
            Code::MissingReason => 21,
            Code::NullComparison => 22,
            Code::FieldAsText => 23,
            Code::SetMember => 24,
            Code::WithinEmpty => 25,
            Code::EmptyList => 26,
            Code::IgnoreComment => 27,
            Code::SkippedFile => 28,
        };
        for (i, c) in Code::ALL.iter().enumerate() {
            assert_eq!(position(*c), i, "{}", c.as_str());
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

        /// The bounds `suggestions` skips candidates by are lower bounds of the distance it
        /// would compute: a few letters, so that words are often near.
        #[test]
        fn skipped_candidates_are_further_than_the_distance_compared(a in "[abcé_.]{0,12}", b in "[abcé_.]{0,12}") {
            let distance = strsim::osa_distance(&a, &b);
            proptest::prop_assert!(a.chars().count().abs_diff(b.chars().count()) <= distance);
            proptest::prop_assert!(crate::diagnostic::Letters::of(&a).apart(&b) <= 2 * distance);
        }
    }
}
