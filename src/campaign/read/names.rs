//! What to say about a name the policy does not know (a category, purpose, lawful basis or
//! channel), for the marketers who write campaigns: they cannot declare a name, so the help
//! suggests or lists the policy's own names, names a character they cannot see, or says which
//! key takes a name of another kind (`purpose: contact.email`).

use crate::chars::{describe, is_unseen_in_reports};
use crate::diagnostic::{suggest, suggestion_fixed, Suggestion};
use crate::policy::taxonomy::Unknown;
use crate::policy::CheckedPolicy;

/// A list longer than this is shown by the first part of its names (`contact`, `identity`, …).
const MAX_LISTED: usize = 16;

/// The kinds of names a campaign takes from its policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `category` of a data use.
    Category,
    /// `purpose`, of the campaign or of a data use.
    Purpose,
    /// `basis`, of the campaign or of a data use.
    Basis,
    /// An entry of `channels`.
    Channel,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Category, Kind::Purpose, Kind::Basis, Kind::Channel];

    /// What the message of an unknown name calls it: `unknown category`.
    fn word(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Purpose => "purpose",
            Kind::Basis => "lawful basis",
            Kind::Channel => "channel",
        }
    }

    /// The kind with its article, to tell one kind from another: `a data category`.
    pub(super) fn a(self) -> &'static str {
        match self {
            Kind::Category => "a data category",
            Kind::Purpose => "a purpose",
            Kind::Basis => "a lawful basis",
            Kind::Channel => "a channel",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Category => "data categories",
            Kind::Purpose => "purposes",
            Kind::Basis => "lawful bases",
            Kind::Channel => "channels",
        }
    }

    /// The campaign key that takes a name of this kind.
    fn key(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Purpose => "purpose",
            Kind::Basis => "basis",
            Kind::Channel => "channels",
        }
    }

    /// Where a name of this kind is written in a campaign.
    fn place(self, name: &str) -> String {
        match self {
            Kind::Category => format!("list it under `data:` as `- category: {name}`"),
            Kind::Purpose => format!("give it as `purpose: {name}`"),
            Kind::Basis => format!("give it as `basis: {name}`"),
            Kind::Channel => format!("list it under `channels:`, e.g. `channels: [{name}]`"),
        }
    }

    fn names(self, policy: &CheckedPolicy) -> Vec<&str> {
        match self {
            Kind::Category => policy.categories.paths().collect(),
            Kind::Purpose => policy.purposes.paths().collect(),
            Kind::Basis => policy.bases.names().collect(),
            Kind::Channel => policy.channels.names().collect(),
        }
    }

    pub(super) fn knows(self, policy: &CheckedPolicy, name: &str) -> bool {
        match self {
            Kind::Category => policy.categories.lookup(name).is_some(),
            Kind::Purpose => policy.purposes.lookup(name).is_some(),
            Kind::Basis => policy.bases.contains(name),
            Kind::Channel => policy.channels.contains(name),
        }
    }
}

/// The message, label and help for `name` given where a name of `kind` is expected and the
/// policy knows no such name.
pub(super) fn unknown(policy: &CheckedPolicy, kind: Kind, name: &str) -> (String, &'static str, String) {
    unknown_among(policy, kind, name, &[])
}

/// [`unknown`] for an item of a list that holds the names `listed` besides: a name among
/// several that is listed already is not told to be added again (`[email, email sms]`).
pub(super) fn unknown_among(
    policy: &CheckedPolicy,
    kind: Kind,
    name: &str,
    listed: &[&str],
) -> (String, &'static str, String) {
    // Several names first, whatever else is wrong with one of them: `a, b?` is told both.
    if let Some(names) = several(name) {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        return several_names(policy, kind, name, &names, listed);
    }
    // Before a tab is called an invisible character: `a<TAB>b` is two names, as `a b` is.
    if let Some(names) = several_by_space(policy, kind, name) {
        return several_names(policy, kind, &names.join(" "), &names, listed);
    }
    // `consent?`, `marketing.newsletter?`: the writer is unsure, and the tool must not settle it.
    if name.contains('?') {
        let help = format!(
            "`?` leaves it open: settle which {} applies and write it as a name of the policy, {}",
            kind.word(),
            choices(policy, kind, name)
        );
        return (format!("unknown {} `{name}`", kind.word()), "not settled", help);
    }
    if let Some(names) = several_inside(policy, kind, name) {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        return several_names(policy, kind, name, &names, listed);
    }
    if let Some((at, c)) = name.char_indices().find(|&(_, c)| is_unseen_in_reports(c)) {
        let visible = |text: &str| text.chars().filter(|&c| !is_unseen_in_reports(c)).collect::<String>();
        let before = visible(name.get(..at).unwrap_or(""));
        let cleaned = visible(name);
        let place = if before.is_empty() {
            "at its start".to_string()
        } else if before == cleaned {
            "at its end".to_string()
        } else {
            format!("after `{before}`")
        };
        let message = format!("the {} `{cleaned}` holds {} {place}", kind.word(), describe(c));
        let help = if kind.knows(policy, &cleaned) {
            format!("retype the name to remove it: without it, `{cleaned}` is {} the policy knows", kind.a())
        } else {
            match other_kind(policy, kind, &cleaned) {
                Some(other) => format!(
                    "retype the name to remove it; `{cleaned}` is {}, not {}: {}",
                    other.a(),
                    kind.a(),
                    other.place(&cleaned)
                ),
                None => format!("retype the name to remove it; then {}", not_known(policy, kind, &cleaned)),
            }
        };
        return (message, "a character you cannot see", help);
    }
    if let Some(other) = other_kind(policy, kind, name) {
        let message = format!("`{name}` is {}, not {}", other.a(), kind.a());
        let takes = match suggestion(policy, kind, name) {
            Some(s) => format!("did you mean the {} `{s}`?", kind.word()),
            None => format!("`{}` takes {}", kind.key(), choices(policy, kind, name)),
        };
        // A channel under `data:` stands for the data sent through it: the category is what
        // to write there, and moving the name to `channels:` alone would drop the data use.
        let help = match (kind, other) {
            (Kind::Category, Kind::Channel) => {
                let end = if takes.ends_with('?') { " " } else { ". " };
                format!("{takes}{end}The data use stays under `data:`; the channel itself is listed under `channels:`")
            }
            _ => format!("{}; {takes}", other.place(name)),
        };
        return (message, other.a(), help);
    }
    let label = match kind {
        Kind::Category => "not a category of the policy",
        Kind::Purpose => "not a purpose of the policy",
        Kind::Basis => "not a lawful basis of the policy",
        Kind::Channel => "not a channel of the policy",
    };
    (format!("unknown {} `{name}`", kind.word()), label, not_known(policy, kind, name))
}

/// The message, label and help for a list of several distinct names where one name of `kind`
/// belongs (`category: [contact.email, special.health?]`).
pub(super) fn several_listed(policy: &CheckedPolicy, kind: Kind, names: &[&str]) -> (String, &'static str, String) {
    several_names(policy, kind, &names.join(", "), names, &[])
}

/// The names in `name` when it lists several (`consent, legitimate_interests`,
/// `display and social`, `email，sms`), cut as a list written as text is, or `None`.
fn several(name: &str) -> Option<Vec<String>> {
    let names: Vec<String> =
        super::text_as_list::names_cut(name).into_iter().filter(|n| n.chars().any(char::is_alphanumeric)).collect();
    (names.len() > 1).then_some(names)
}

/// The names written inside `name` with no separator a list would be cut at, when there are
/// several: read as one misspelt name, it would be told whichever is closest. Either distinct
/// names of `kind` (`contact.email-identity.name`), found where no letter or digit stands right
/// before or after them, the longest at each place (`.` joins the parts of one name:
/// `marketing.analytics` is not `marketing` and `analytics`); or the parts around a joining
/// word between `_` or `-` when one of them is a name, or each is one or close to one
/// (`consnt_or_contract`, `consnt_or_contrct`, `email_or_name`).
fn several_inside(policy: &CheckedPolicy, kind: Kind, name: &str) -> Option<Vec<String>> {
    for joiner in ["_or_", "_and_", "-or-", "-and-"] {
        let parts: Vec<&str> = name.split(joiner).filter(|p| !p.is_empty()).collect();
        let named = |p: &&str| kind.knows(policy, p) || suggestion(policy, kind, p).is_some();
        if parts.len() > 1 && (parts.iter().any(|p| kind.knows(policy, p)) || parts.iter().all(named)) {
            return Some(parts.iter().map(|p| p.to_string()).collect());
        }
    }
    let names = kind.names(policy);
    let part_of_name = |c: char| c.is_alphanumeric() || c == '.';
    let mut found: Vec<String> = Vec::new();
    let mut at = 0;
    while let Some(here) = name.get(at..).filter(|h| !h.is_empty()) {
        let starts = name.get(..at).and_then(|b| b.chars().next_back()).is_none_or(|c| !part_of_name(c));
        let ends = |n: &str| here.get(n.len()..).and_then(|a| a.chars().next()).is_none_or(|c| !part_of_name(c));
        let longest = names.iter().filter(|n| starts && here.starts_with(**n) && ends(n)).max_by_key(|n| n.len());
        match longest {
            Some(n) => {
                if !found.iter().any(|f| f == n) {
                    found.push(n.to_string());
                }
                at += n.len();
            }
            None => at += here.chars().next().map_or(1, char::len_utf8),
        }
    }
    (found.len() > 1).then_some(found)
}

/// The names in `name` when white space alone separates them and each is a name of `kind` or
/// one respelt (`email automated_call`, `identity.name special.healht`), or `None`: read as
/// one misspelt name, all but one would be dropped. Words that make one name when joined
/// (`legitimate interests`, `contact email`) are that name, misspelt. A channel's words must
/// each be one (`postal mail` is no `postal` and `email`), and a word is no name it only
/// starts (`consent legitimate` names no `legitimate_interests`).
fn several_by_space<'n>(policy: &CheckedPolicy, kind: Kind, name: &'n str) -> Option<Vec<&'n str>> {
    let words: Vec<&str> = name.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 || joined(policy, kind, name).is_some() {
        return None;
    }
    let respelt =
        |w: &str| suggestion(policy, kind, w).is_some_and(|s| kind != Kind::Channel && strsim::levenshtein(w, &s) <= 2);
    words.iter().all(|w| kind.knows(policy, w) || respelt(w)).then_some(words)
}

/// The name of `kind` that the words of `name` make when joined by `_`, `.` or nothing
/// (`legitimate interests`, `marketing. newsletter`), or `None`.
fn joined(policy: &CheckedPolicy, kind: Kind, name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
    ["_", ".", ""].iter().map(|sep| words.join(sep)).find(|joined| kind.knows(policy, joined))
}

/// The message, label and help for several names written where one belongs. None of them is
/// suggested in place of the others: which basis or purpose applies is the writer's to say,
/// and a category left out is personal data used without being checked.
fn several_names(
    policy: &CheckedPolicy,
    kind: Kind,
    name: &str,
    names: &[&str],
    listed: &[&str],
) -> (String, &'static str, String) {
    let takes = match kind {
        Kind::Channel => "an item of `channels` names one".to_string(),
        _ => format!("`{}` takes one", kind.key()),
    };
    let message = format!("`{name}` names {} {}; {takes}", names.len(), kind.plural());
    let fix = match kind {
        Kind::Category => {
            // A name left open (`identity.name?`) is no example to copy: it is settled below.
            let settled: Vec<&&str> = names.iter().filter(|n| !n.contains('?')).collect();
            let uses: Vec<String> = settled.iter().map(|n| format!("`- category: {n}`")).collect();
            format!(
                "a data use names one category: write one `- category:` entry per category under `data:`, each with \
                 its own `retention:`, e.g. {}",
                uses.join(" and ")
            )
        }
        Kind::Purpose => "a campaign has one purpose: give the one it serves; a data use for another purpose states \
                          its own `purpose:`"
            .to_string(),
        Kind::Basis => "a campaign has one lawful basis: give the one the processing rests on; a data use that rests \
                        on another states its own `basis:`"
            .to_string(),
        Kind::Channel => {
            let mut items: Vec<String> = Vec::new();
            let mut already: Vec<String> = Vec::new();
            for n in names {
                let shown = format!("`{n}`");
                match listed.contains(n) {
                    true if !already.contains(&shown) => already.push(shown),
                    false if !items.contains(&shown) => items.push(shown),
                    _ => {}
                }
            }
            match (items.is_empty(), already.is_empty()) {
                (false, true) => format!("write each channel as its own item of `channels`: {}", items.join(", ")),
                (false, false) => format!(
                    "write each channel as its own item of `channels`: {} ({} is listed already)",
                    items.join(", "),
                    already.join(", ")
                ),
                (true, _) => format!("each is listed already ({}): remove this item", already.join(", ")),
            }
        }
    };
    // A name among them that the policy does not know is said, so that the fix is not
    // followed by another error.
    let unknown: Vec<String> = names
        .iter()
        .filter(|n| !kind.knows(policy, n))
        .map(|n| match n.strip_suffix('?').filter(|open| !open.contains('?')) {
            // `special.health?`: whether it applies is the writer's to settle, not a misspelling.
            Some(open) if kind.knows(policy, open) => format!("settle whether `{open}` applies (`?` leaves it open)"),
            _ => match suggestion(policy, kind, n).filter(|s| !n.starts_with(&format!("{s}.")) && !n.contains('?')) {
                Some(s) => format!("`{n}` is not {} of the policy (did you mean `{s}`?)", kind.a()),
                None => format!("`{n}` is not {} of the policy", kind.a()),
            },
        })
        .collect();
    let help = if unknown.is_empty() { fix } else { format!("{fix}; {}", unknown.join(", ")) };
    (message, "several names", help)
}

/// Another kind of name that the policy knows `name` as.
fn other_kind(policy: &CheckedPolicy, kind: Kind, name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|&k| k != kind && k.knows(policy, name))
}

/// A close name of the kind, or `None`: the one name whose last part is `name` (`pii.email`
/// for `email`), else the closest.
fn suggestion(policy: &CheckedPolicy, kind: Kind, name: &str) -> Option<String> {
    let names = kind.names(policy);
    let mut leaves = names.iter().filter(|n| n.rsplit('.').next().is_some_and(|leaf| leaf.eq_ignore_ascii_case(name)));
    if let (Some(only), None) = (leaves.next(), leaves.next()) {
        return Some(only.to_string());
    }
    suggest(name, names.iter().copied()).map(str::to_string)
}

/// The help for a name that is no name of the policy's: a close name, else the names to use.
fn not_known(policy: &CheckedPolicy, kind: Kind, name: &str) -> String {
    let names = kind.names(policy);
    if names.is_empty() {
        return format!("the policy has no {}: ask the policy owners to add it", kind.plural());
    }
    // Told as `explain --category` and a test file tell it, but for what follows.
    let unknown = match kind {
        Kind::Category => policy.categories.unknown(name, kind.plural()),
        Kind::Purpose => policy.purposes.unknown(name, kind.plural()),
        Kind::Basis | Kind::Channel => Unknown::NoSuch(suggestion_fixed(name, kind.plural(), names.iter().copied())),
    };
    // `behaviour.child_profile` for `child_profile under behaviour`: extra parents add no names.
    let suggestion = match unknown {
        Unknown::ThroughUnder(help) => return help,
        Unknown::NoSuch(suggestion) => suggestion,
    };
    // Words with spaces between them: a close name is one that keeps all of them, never one
    // word of several (`email text` is not `email`).
    if name.contains(char::is_whitespace) {
        if let Some(joined) = joined(policy, kind, name) {
            return format!("did you mean `{joined}`?");
        }
        return format!(
            "the policy does not know it: use {}, or ask the policy owners to add it",
            choices(policy, kind, name)
        );
    }
    // `contact` for `contact.whatsapp`: what is under `contact` says more than its top.
    let parent = suggest(name, names.iter().copied())
        .is_some_and(|close| name.strip_prefix(close).is_some_and(|rest| rest.starts_with('.')));
    match suggestion {
        Suggestion::Close(help) if !parent => return help,
        Suggestion::Close(_) | Suggestion::Listing(_) => {}
    }
    format!("the policy does not know it: use {}, or ask the policy owners to add it", choices(policy, kind, name))
}

/// The names of a kind, in a few words: all of them when they are few, else those under the
/// first part of `name` when the policy knows it (`contact` for `contact.whatsapp_handle`), else the first
/// parts of all of them.
fn choices(policy: &CheckedPolicy, kind: Kind, name: &str) -> String {
    let names = kind.names(policy);
    let listed = |shown: &[&str], more: bool| {
        let mut list: Vec<String> = shown.iter().map(|n| format!("`{n}`")).collect();
        if more {
            list.push("…".into());
        }
        list.join(", ")
    };
    let (n, plural) = (names.len(), kind.plural());
    if n == 1 {
        return format!("the policy's only {}, {}", kind.word(), listed(&names, false));
    }
    if n <= MAX_LISTED {
        return format!("one of the policy's {n} {plural} ({})", listed(&names, false));
    }
    let root = name.split('.').next().unwrap_or(name);
    if root != name && kind.knows(policy, root) {
        let prefix = format!("{root}.");
        let under: Vec<&str> = names.iter().copied().filter(|n| *n == root || n.starts_with(&prefix)).collect();
        let shown = under.get(..MAX_LISTED).unwrap_or(&under);
        return format!("one of the policy's {plural} under `{root}` ({})", listed(shown, shown.len() < under.len()));
    }
    let roots: Vec<&str> = names.iter().copied().filter(|n| !n.contains('.')).collect();
    let shown = roots.get(..MAX_LISTED).unwrap_or(&roots);
    format!("one of the policy's {n} {plural}, under {}", listed(shown, shown.len() < roots.len()))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{first_problem, HEAD};
    use super::*;

    fn help(kind: Kind, name: &str) -> (String, String) {
        let policy = crate::policy::load_default().unwrap();
        let (message, _, help) = unknown(&policy, kind, name);
        (message, help)
    }

    const PURPOSES: &str = "14 purposes (`analytics`, `analytics.attribution`, `analytics.measurement`, \
                            `customer_service`, `customer_service.feedback`, `customer_service.support`, \
                            `customer_service.transactional`, `marketing`, `marketing.lookalike`, \
                            `marketing.newsletter`, `marketing.offers`, `marketing.personalised`, \
                            `marketing.profiling`, `marketing.retargeting`)";

    /// A category named through its extra parent (`under`) is told the one name it has.
    #[test]
    fn a_category_named_through_an_extra_parent_is_told_its_own_name() {
        let (_, help) = help(Kind::Category, "special.health.health_products");
        assert_eq!(
            help,
            "did you mean `behaviour.purchase_history.health_products`? It is declared under \
             `behaviour.purchase_history`, and its extra parent (`under special.health`) gives it no other name"
        );
    }

    /// A name that looks right but holds a character nobody sees: the message names it, and
    /// does not show the same name twice as if they differed.
    #[test]
    fn an_invisible_character_in_a_name_is_named() {
        assert_eq!(
            help(Kind::Category, "contact.email\u{200b}"),
            (
                "the category `contact.email` holds a zero-width space (U+200B) at its end".to_string(),
                "retype the name to remove it: without it, `contact.email` is a data category the policy knows"
                    .to_string()
            )
        );
        assert_eq!(
            help(Kind::Purpose, "marketing.\u{a0}newsletter").0,
            "the purpose `marketing.newsletter` holds a non-breaking space (U+00A0) after `marketing.`"
        );
        assert_eq!(
            help(Kind::Basis, "\u{feff}consent").0,
            "the lawful basis `consent` holds a byte order mark (U+FEFF) at its start"
        );
        assert_eq!(
            help(Kind::Purpose, "contact.email\u{200b}").1,
            "retype the name to remove it; `contact.email` is a data category, not a purpose: list it under `data:` \
             as `- category: contact.email`"
        );
    }

    /// A category where a purpose goes, or a purpose where a category goes, is said to be one.
    #[test]
    fn a_name_of_another_kind_is_said_to_be_one() {
        assert_eq!(
            help(Kind::Purpose, "contact.email"),
            (
                "`contact.email` is a data category, not a purpose".to_string(),
                format!("list it under `data:` as `- category: contact.email`; `purpose` takes one of the policy's {PURPOSES}")
            )
        );
        assert_eq!(
            help(Kind::Category, "marketing.newsletter"),
            (
                "`marketing.newsletter` is a purpose, not a data category".to_string(),
                "give it as `purpose: marketing.newsletter`; `category` takes one of the policy's 54 data categories, \
                 under `behaviour`, `contact`, `content`, `criminal`, `demographic`, `device`, `financial`, `identity`, \
                 `inferred`, `location`, `special`"
                    .to_string()
            )
        );
        assert_eq!(
            help(Kind::Basis, "email").1,
            "list it under `channels:`, e.g. `channels: [email]`; `basis` takes one of the policy's 6 lawful bases \
             (`consent`, `contract`, `legal_obligation`, `legitimate_interests`, `public_task`, `vital_interests`)"
        );
    }

    /// A marketer cannot declare a name: the help suggests or lists the policy's own.
    #[test]
    fn an_unknown_name_is_given_the_policys_names_not_told_to_declare_it() {
        assert_eq!(
            help(Kind::Purpose, "sales"),
            (
                "unknown purpose `sales`".to_string(),
                format!("the policy does not know it: use one of the policy's {PURPOSES}, or ask the policy owners to add it")
            )
        );
        assert_eq!(help(Kind::Category, "contact.emial").1, "did you mean `contact.email`?");
        assert_eq!(
            help(Kind::Category, "contact.whatsapp_handle").1,
            "the policy does not know it: use one of the policy's data categories under `contact` (`contact`, \
             `contact.address`, `contact.email`, `contact.phone_number`), or ask the policy owners to add it"
        );
        assert_eq!(
            help(Kind::Channel, "carrier_pigeon").1,
            "the policy does not know it: use one of the policy's 11 channels (`automated_call`, `display`, `email`, `fax`, \
             `in_app`, `inbox_ad`, `phone`, `postal`, `push`, `sms`, `social`), or ask the policy owners to add it"
        );
        // The help does not repeat the name, which the message shows (cut short if long).
        let long = "é".repeat(70_000);
        assert!(help(Kind::Category, &long).1.len() < 300);
    }

    /// A control character or a line break is written as an escape in every report (`\u{7}`),
    /// so a reader sees it: the name is unknown, as it looks.
    #[test]
    fn a_character_reports_escape_is_not_called_invisible() {
        assert_eq!(
            help(Kind::Basis, "consent\u{7}"),
            ("unknown lawful basis `consent\u{7}`".to_string(), "did you mean `consent`?".to_string())
        );
        assert_eq!(help(Kind::Category, "contact\u{1b}[31mx").0, "unknown category `contact\u{1b}[31mx`");
    }

    /// Several categories, purposes or bases in one value: none is picked for the writer. A
    /// category was "did you mean `device.advertising_id`?", which dropped the cookie id, and
    /// `consent, legitimate_interests` was "did you mean `consent`?", a lawful basis chosen by
    /// the tool.
    #[test]
    fn several_names_where_one_belongs_are_not_narrowed_to_one() {
        assert_eq!(
            first_problem(&format!("{HEAD}data:\n  - category: device.cookie_id, device.advertising_id\n")),
            (
                "`device.cookie_id, device.advertising_id` names 2 data categories; `category` takes one".to_string(),
                "a data use names one category: write one `- category:` entry per category under `data:`, each with \
                 its own `retention:`, e.g. `- category: device.cookie_id` and `- category: device.advertising_id`"
                    .to_string()
            )
        );
        let basis = "a campaign has one lawful basis: give the one the processing rests on; a data use that rests on \
                     another states its own `basis:`";
        for given in ["consent, legitimate_interests", "consent / legitimate_interests", "consent and contract"] {
            let (message, help) =
                first_problem(&format!("campaign: c\npurpose: marketing.newsletter\nbasis: {given}\ndata: []\n"));
            assert_eq!(message, format!("`{given}` names 2 lawful bases; `basis` takes one"));
            assert_eq!(help, basis, "{given}");
        }
        // A name the policy does not know is said, not left for the next run.
        let (_, help) = first_problem(&format!("{HEAD}data:\n  - category: contact.email; contact.fax\n"));
        assert!(help.ends_with("; `contact.fax` is not a data category of the policy"), "{help}");
        let (message, help) = first_problem(&format!("{HEAD}channels: [email, display and social]\ndata: []\n"));
        assert_eq!(message, "`display and social` names 2 channels; an item of `channels` names one");
        assert_eq!(help, "write each channel as its own item of `channels`: `display`, `social`");
        // Cut as a list written as text is: full-width separators too. Each was told the
        // last name alone (`did you mean `special.health`?`).
        for given in ["consent；legitimate_interests", "consent，contract", "consent、contract"] {
            assert!(self::help(Kind::Basis, given).0.ends_with("names 2 lawful bases; `basis` takes one"), "{given}");
        }
        // Names joined by no separator, or by a joining word inside a name, are several too.
        for given in ["contact.email-identity.name", "contact.email_identity.name", "contact.email\\identity.name"] {
            let (message, help) = self::help(Kind::Category, given);
            assert_eq!(message, format!("`{given}` names 2 data categories; `category` takes one"));
            assert!(help.ends_with("`- category: contact.email` and `- category: identity.name`"), "{help}");
        }
        // Each part a name or close to one: told as several, each part's misspelling named.
        for (kind, given) in [
            (Kind::Basis, "consnt_or_contrct"),
            (Kind::Category, "contact.emial_or_identity.nme"),
            (Kind::Category, "email_or_name"),
        ] {
            assert!(self::help(kind, given).0.starts_with(&format!("`{given}` names 2 ")), "{given}");
        }
        let (message, help) = self::help(Kind::Basis, "consnt_or_contract");
        assert_eq!(message, "`consnt_or_contract` names 2 lawful bases; `basis` takes one");
        assert!(help.ends_with("; `consnt` is not a lawful basis of the policy (did you mean `consent`?)"), "{help}");
        // The parts of one name are not names of their own: `marketing.newsletter.weekly`
        // holds `marketing.newsletter`, and `contact.emial` `contact`.
        assert!(self::help(Kind::Purpose, "marketing.newsletter.weekly").0.starts_with("unknown purpose"));
        assert_eq!(self::help(Kind::Category, "contact.emial").1, "did you mean `contact.email`?");
    }

    /// A name with a character nobody sees is not shown as if it differed from the right one.
    #[test]
    fn an_invisible_character_in_a_category_is_named() {
        let text = format!("{HEAD}data:\n  - category: contact.email\u{200b}\n");
        assert_eq!(
            first_problem(&text),
            (
                "the category `contact.email` holds a zero-width space (U+200B) at its end".to_string(),
                "retype the name to remove it: without it, `contact.email` is a data category the policy knows"
                    .to_string()
            )
        );
    }

    /// A category as the purpose, of the campaign or of a use, and a purpose as a category.
    #[test]
    fn a_category_given_as_a_purpose_is_said_to_be_one() {
        let campaign = "campaign: c\npurpose: contact.email\nbasis: consent\ndata: []\n";
        let (message, help) = first_problem(campaign);
        assert_eq!(message, "`contact.email` is a data category, not a purpose");
        assert!(
            help.starts_with("list it under `data:` as `- category: contact.email`; `purpose` takes one of"),
            "{help}"
        );
        let of_a_use = format!("{HEAD}data:\n  - category: contact.email\n    purpose: identity.name\n");
        assert_eq!(first_problem(&of_a_use).0, "`identity.name` is a data category, not a purpose");
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: marketing.newsletter\n"));
        assert_eq!(message, "`marketing.newsletter` is a purpose, not a data category");
        assert!(help.starts_with("give it as `purpose: marketing.newsletter`; `category` takes one of"), "{help}");
        // A channel's name as a category: the category of that name is the likelier meaning.
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: email\n"));
        assert_eq!(message, "`email` is a channel, not a data category");
        assert_eq!(
            help,
            "did you mean the category `contact.email`? The data use stays under `data:`; the channel itself is \
             listed under `channels:`"
        );
    }

    /// Names with only white space between them are several names, as `a, b` is: `email
    /// automated_call` was "did you mean `email`?", which dropped the automated calls.
    #[test]
    fn names_separated_by_white_space_are_several() {
        let (message, help) = first_problem(&format!("{HEAD}channels: [email automated_call]\ndata: []\n"));
        assert_eq!(message, "`email automated_call` names 2 channels; an item of `channels` names one");
        assert_eq!(help, "write each channel as its own item of `channels`: `email`, `automated_call`");
        let (message, help) = first_problem(&format!("{HEAD}data:\n  - category: identity.name special.healht\n"));
        assert_eq!(message, "`identity.name special.healht` names 2 data categories; `category` takes one");
        assert_eq!(
            help,
            "a data use names one category: write one `- category:` entry per category under `data:`, each with its \
             own `retention:`, e.g. `- category: identity.name` and `- category: special.healht`; `special.healht` is \
             not a data category of the policy (did you mean `special.health`?)"
        );
        let basis = first_problem(
            "campaign: c\npurpose: marketing.newsletter\nbasis: legitimate_interests consent\ndata: []\n",
        );
        assert_eq!(basis.0, "`legitimate_interests consent` names 2 lawful bases; `basis` takes one");
        let purpose = "a campaign has one purpose: give the one it serves; a data use for another purpose states its \
                       own `purpose:`";
        for written in ["marketing.newsletter marketing.profiling", "\"marketing.newsletter\\tmarketing.profiling\""] {
            let (message, help) =
                first_problem(&format!("campaign: c\npurpose: {written}\nbasis: consent\ndata: []\n"));
            assert_eq!(message, "`marketing.newsletter marketing.profiling` names 2 purposes; `purpose` takes one");
            assert_eq!(help, purpose);
        }
        // Words that make one name are that name; a suggestion never keeps one word of several.
        let one = first_problem("campaign: c\npurpose: marketing.newsletter\nbasis: legitimate interests\ndata: []\n");
        assert_eq!(one.1, "did you mean `legitimate_interests`?");
        let (_, help) = first_problem(&format!("{HEAD}channels: [email text message]\ndata: []\n"));
        assert!(help.starts_with("the policy does not know it: use one of the policy's 11 channels"), "{help}");
    }

    /// A channel item is cut at spaces only when each word is a channel: `postal mail` was
    /// `postal` and `mail` ("did you mean `email`?"), a channel nobody named. A name listed
    /// already is not told again, and a word that only starts a name is none.
    #[test]
    fn words_are_several_names_only_when_each_is_one() {
        let (message, help) = first_problem(&format!("{HEAD}channels: [postal mail]\ndata: []\n"));
        assert_eq!(message, "unknown channel `postal mail`");
        assert!(help.starts_with("the policy does not know it: use one of the policy's 11 channels"), "{help}");
        let (_, help) = first_problem(&format!("{HEAD}channels: [email, email sms]\ndata: []\n"));
        assert_eq!(help, "write each channel as its own item of `channels`: `sms` (`email` is listed already)");
        let (message, help) =
            first_problem("campaign: c\npurpose: marketing.newsletter\nbasis: consent legitimate\ndata: []\n");
        assert_eq!(message, "unknown lawful basis `consent legitimate`");
        assert!(help.starts_with("the policy does not know it: use one of the policy's 6 lawful bases"), "{help}");
    }

    /// `consent?` is not told `consent`: the `?` says the writer is unsure, and the tool must
    /// not settle the basis for them.
    #[test]
    fn a_name_with_a_question_mark_is_not_settled() {
        let (message, help) = first_problem("campaign: c\npurpose: marketing.newsletter\nbasis: consent?\ndata: []\n");
        assert_eq!(message, "unknown lawful basis `consent?`");
        assert_eq!(
            help,
            "`?` leaves it open: settle which lawful basis applies and write it as a name of the policy, one of the \
             policy's 6 lawful bases (`consent`, `contract`, `legal_obligation`, `legitimate_interests`, \
             `public_task`, `vital_interests`)"
        );
    }
}
