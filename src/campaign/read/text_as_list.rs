//! Text written where a list belongs: the items it names, cut at its separators, and the help
//! that writes them as a list (`channels: [email, sms]`) or one entry each (a `- name:` per
//! processor), with an item quoted where YAML would read it as another value.

use super::super::yaml::Value;

/// What the items of a list are, for how a text given in its place is cut into them.
pub(super) enum Items<'k> {
    /// Names of the policy (channels, categories), which hold no spaces: `known` tells them,
    /// and the words of a part are items when each of them is one (`email sms`).
    Names(&'k dyn Fn(&str) -> bool, &'static str),
    /// Names of companies, which hold spaces and joining words (`Procter & Gamble`).
    Companies,
    /// Texts of the campaign's own (segments, groups with access, subjects, regions), which
    /// hold spaces (`existing customers`, `R&D team`).
    Texts,
}

/// How to write `key` as a list, with the text given in its place when there is one: one
/// channel written as `channels: email` becomes `channels: [email]`, one category under
/// `data` a use. The key is written as it stands in its section (`regions`, not
/// `audience.regions`, which is no key of `audience`).
pub(super) fn list_help(key: &str, given: &Value, kind: &Items) -> String {
    let short = super::key_in_section(key);
    match given {
        // `processors: none` would otherwise be told to name a processor `none`, and
        // `access: none` to write `[none]`, which reads as one group with access.
        Value::Str(text) if means_none(text, short) => {
            format!("for none, write `{short}: []` (an empty list); `{text}` would be read as an item named `{text}`")
        }
        // Long or on several lines, a text is cut as a short one is: `[]` would drop what it names.
        Value::Str(text) => {
            // `encryption: "[at_rest, in_transit]"`: a list, quoted into one text.
            let flow = text.trim().strip_prefix('[').and_then(|t| t.strip_suffix(']'));
            if let Some(inner) = flow.filter(|_| !matches!(key, "data" | "processors")) {
                return format!(
                    "remove the quotes: `{short}: [{}]` is a list, the quoted text is one text",
                    inner.trim()
                );
            }
            let text = flow.unwrap_or(text);
            match kind {
                Items::Companies => processors_help(text),
                Items::Names(known, a) => {
                    let items = names_in(text, *known);
                    let unknown: Vec<String> = items
                        .iter()
                        .filter(|item| !known(item))
                        .map(|item| format!("`{item}` is not {a} of the policy"))
                        .collect();
                    match (key, unknown.is_empty()) {
                        ("data", false) => format!(
                            "write each use as `- category: …` under `data:`, one per category; {}",
                            unknown.join(", ")
                        ),
                        (_, false) => format!(
                            "write `{short}` as a list of the policy's names, one per item; {}",
                            unknown.join(", ")
                        ),
                        ("data", true) => {
                            let uses: Vec<String> =
                                items.iter().map(|c| format!("`  - category: {}`", plain_or_quoted(c))).collect();
                            format!(
                                "write each use as `- category: …` under `data:`, e.g. `data:` then {}",
                                uses.join(" and ")
                            )
                        }
                        (_, true) => list_of(short, &items, &[]),
                    }
                }
                Items::Texts => {
                    let items = texts_in(text);
                    // `R&D team` is one group; `visitor & customer` may be two.
                    let joined: Vec<&String> = items.iter().filter(|item| joiner_between(item)).collect();
                    list_of(short, &items, &joined)
                }
            }
        }
        // `-category: x`: without a space after it, `-` starts a key, not a list entry.
        Value::Map(entries) => match entries.iter().find_map(|(k, _)| match &k.value {
            Value::Str(k) => k.strip_prefix('-').filter(|rest| !rest.is_empty() && !rest.starts_with(' ')),
            _ => None,
        }) {
            Some(rest) if super::yaml_text(rest) == rest => {
                format!("put a space after `-`: `- {rest}: …` starts a list entry, `-{rest}:` is a key")
            }
            Some(_) => "put a space after `-` to start a list entry: `- KEY: …`".to_string(),
            // `data:` then `contact.email: 24 months`: each category a key, its retention the
            // value; `- ` before it would make `contact.email` an unknown key of a use.
            None if key == "data" && category_keys(entries, kind) => {
                let uses: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| match (&k.value, &v.value) {
                        (Value::Str(k), Value::Str(v)) => format!("`- category: {k}` with `retention: {v}` below it"),
                        (Value::Str(k), _) => format!("`- category: {k}` with its `retention:` below it"),
                        _ => "`- category: …`".to_string(),
                    })
                    .collect();
                format!("write each use as its own entry under `data:`: {}", uses.join(" and "))
            }
            // `data:` then `category: …` on the next line: the `- ` of its entry forgotten.
            None if matches!(key, "data" | "processors") => match entries.first().map(|(k, _)| &k.value) {
                Some(Value::Str(first)) => format!(
                    "put `- ` before the first key of each entry: `- {}: …` starts an entry of `{short}:`",
                    super::yaml_text(first)
                ),
                _ => format!("put `- ` before the first key of each entry of `{short}:`"),
            },
            None => format!("write each value as its own `- ` item under `{short}:`, not as `key: value` lines"),
        },
        _ => format!("write `{short}:` followed by one `- …` line per item"),
    }
}

/// Whether the keys of a mapping given for `data` are categories of the policy.
fn category_keys(entries: &[(super::super::yaml::Node, super::super::yaml::Node)], kind: &Items) -> bool {
    let Items::Names(known, _) = kind else { return false };
    entries.iter().any(|(k, _)| matches!(&k.value, Value::Str(k) if known(k)))
}

/// `key: [a, b]` for the items, with what to do if an item joined by `&` or `and` names two.
fn list_of(key: &str, items: &[String], joined: &[&String]) -> String {
    if items.is_empty() {
        return format!("write `{key}:` followed by one `- …` line per item");
    }
    let shown: Vec<String> = items.iter().map(|item| plain_or_quoted(item)).collect();
    let help = format!("write `{key}: [{}]`, or `{key}:` followed by `- …` lines", shown.join(", "));
    match joined {
        [] => help,
        _ => format!("{help}; {}", if_joined(joined, "", "item")),
    }
}

/// What to do if a name joined by `&`, `+`, `/` or `and` names more than one thing: it is kept
/// whole, as `Procter & Gamble` and `R&D team` are one, and only its writer can tell.
fn if_joined(joined: &[&String], thing: &str, entry: &str) -> String {
    // A tab is shown as an escape (`"Acme\tBeta"`), which it looks like no space.
    let shown = |name: &str| match name.contains(char::is_control) {
        true => super::yaml_text(name),
        false => name.to_string(),
    };
    let names: Vec<String> = joined.iter().map(|name| format!("`{}`", shown(name))).collect();
    match names.as_slice() {
        [one] => format!("if {one} names more than one{thing}, give each its own {entry}: it is kept as one here"),
        _ => format!(
            "if one of {} names more than one{thing}, give each its own {entry}: each is kept as one here",
            names.join(", ")
        ),
    }
}

/// The help for processors written as one text: one `- name:` entry per company. Written as
/// one entry, `AdTechCo Inc, Google Ireland` would hide the first company behind the second
/// one's region and DPA.
fn processors_help(text: &str) -> String {
    let (names, vague) = companies_in(text);
    let entries: Vec<String> = names.iter().map(|n| format!("`  - name: {}`", plain_or_quoted(n))).collect();
    let help = match entries.as_slice() {
        [] => "write `processors:` followed by one `- name: …` line per processor".to_string(),
        [one] => format!(
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. {one}"
        ),
        _ => format!(
            "write one `- name:` entry per processor under `processors:`, each with its own `region:` and `dpa:` \
             below it, e.g. `processors:` then {}",
            entries.join(" and ")
        ),
    };
    with_company_notes(help, &names, &vague)
}

/// The help for one item of `processors` written as text (`- AdTechCo Inc, Google Ireland`)
/// when it names several companies or may (`- Acme Ltd and Beta GmbH`), or `None`.
pub(super) fn several_processors(text: &str) -> Option<String> {
    // A line break in one item is part of the name, shown as an escape: no line of a CI log.
    if text.contains(['\n', '\r']) {
        return None;
    }
    let (names, vague) = companies_in(text);
    if names.len() + vague.len() < 2 && !names.iter().any(|name| joins(name)) {
        return None;
    }
    Some(processors_help(text))
}

/// What to add to the help for processors: that a name joined by `&` is kept whole, and that
/// `others` names no company.
fn with_company_notes(help: String, names: &[String], vague: &[String]) -> String {
    let joined: Vec<&String> = names.iter().filter(|name| joins(name)).collect();
    let mut help = help;
    if !joined.is_empty() {
        help = format!("{help}; {}", if_joined(&joined, " company", "`- name:` entry"));
    }
    if let Some(first) = vague.first() {
        help = format!("{help}; `{first}` names no company: give each of them its own `- name:` entry");
    }
    help
}

/// Separators between items: `,`, `;`, `|`, their full-width forms (`，`, `、`, `；`, `｜`) and
/// line breaks (a text written one item a line).
fn separates(c: char) -> bool {
    matches!(c, ',' | ';' | '|' | '，' | '、' | '；' | '｜' | '\n' | '\r')
}

/// The parts of a text between its separators outside brackets and quotes, trimmed, each
/// without the quotes around it (`SE, "NO"` is `SE` and `NO`) and without a leading `and`
/// or `or` (`Google, Meta, and TikTok`).
fn parts(text: &str) -> Vec<String> {
    // A quote or bracket that never closes (`'t Hooft BV, Mailchimp`, `'90s kids`) would hide
    // every separator after it and make one item of many: the text is then cut at each one.
    let pieces = pieces(text, true).unwrap_or_else(|| pieces(text, false).unwrap_or_default());
    pieces
        .iter()
        .map(|piece| {
            let piece = piece.trim();
            let quoted = ['"', '\'']
                .iter()
                .find_map(|&q| piece.strip_prefix(q).and_then(|p| p.strip_suffix(q)).filter(|p| !p.contains(q)));
            // The white space inside an item is kept as written: a tab between two names is
            // no space, and the help shows it. A quoted item is kept whole (`' and friends'`);
            // only a lower-case `and` or `or` before another word joins it to the list
            // (`AND` is Andorra, `And Co` a company).
            match quoted {
                Some(item) => item.to_string(),
                None => ["and ", "or "]
                    .iter()
                    .find_map(|j| piece.strip_prefix(j))
                    .map(str::trim_start)
                    .filter(|rest| !rest.is_empty())
                    .unwrap_or(piece)
                    .to_string(),
            }
        })
        // `SE, ~, DK`: an item without a letter is kept (quoted), not silently left out.
        .filter(|item| !item.is_empty())
        .collect()
}

/// `text` cut at its separators, those inside quotes and brackets kept when `nested`; `None`
/// when a quote or bracket is left open at the end.
fn pieces(text: &str, nested: bool) -> Option<Vec<String>> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (nested, quote, c) {
            (false, ..) => {}
            (_, Some(q), c) if c == q => quote = None,
            (_, Some(_), _) => {}
            (_, None, '"' | '\'') if current.trim().is_empty() => quote = Some(c),
            (_, None, '(' | '[' | '{') => depth += 1,
            (_, None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if quote.is_none() && depth == 0 && separates(c) {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    pieces.push(current);
    (quote.is_none() && depth == 0).then_some(pieces)
}

/// Joining words, which may stand between two names.
const JOINING_WORDS: [&str; 3] = ["and", "or", "plus"];

/// Joining signs, which may stand between two names or inside one (`R&D`).
const JOINING_SIGNS: [char; 3] = ['&', '+', '/'];

/// Whether a word standing alone joins what is on either side of it (`and`, `&`).
fn is_joiner(word: &str) -> bool {
    JOINING_WORDS.iter().any(|j| j.eq_ignore_ascii_case(word)) || word.len() == 1 && word.starts_with(JOINING_SIGNS)
}

/// Whether a name holds a joining sign (`&`, `+`, `/`, a tab) or word (`and`, `or`, `plus`): it may
/// name two things, which only its writer can tell.
fn joins(name: &str) -> bool {
    name.contains(JOINING_SIGNS) || name.contains('\t') || joiner_between(name)
}

/// Whether a joining word or sign stands alone between two words of `name` (`visitor &
/// customer`, `Marks and Spencer`): at either end it joins nothing (`AND` is Andorra, `And
/// Co` a company).
fn joiner_between(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.get(1..words.len().saturating_sub(1)).unwrap_or(&[]).iter().any(|w| is_joiner(w))
}

/// What follows a company's name after a comma (`AdTechCo, Inc.`): part of the name, not a
/// company of its own.
const COMPANY_SUFFIXES: [&str; 20] = [
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "plc",
    "corp",
    "co",
    "gmbh",
    "ag",
    "ab",
    "as",
    "aps",
    "oy",
    "bv",
    "nv",
    "sa",
    "sas",
    "srl",
];

/// Words that stand for companies not named (`and others`, `etc.`).
const VAGUE: [&str; 6] = ["others", "other", "etc", "more", "various", "misc"];

/// The companies a text names, cut only at separators (`Procter & Gamble`, `Marks and
/// Spencer` are one), with a company's suffix after a comma kept (`Acme, Inc.`); and the parts
/// that name no company (`others`).
fn companies_in(text: &str) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    let mut vague = Vec::new();
    for part in parts(text) {
        let first = part.split_whitespace().next().unwrap_or("").trim_end_matches('.').to_lowercase();
        if VAGUE.contains(&first.as_str()) || !part.chars().any(char::is_alphanumeric) {
            vague.push(part);
            continue;
        }
        let suffix = COMPANY_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(part.trim_end_matches('.')));
        match names.last_mut() {
            Some(last) if suffix => {
                last.push_str(", ");
                last.push_str(&part);
            }
            _ => names.push(part),
        }
    }
    (names, vague)
}

/// Whether a word reads as a code or symbol rather than a word of a phrase: `at_rest`,
/// `crm-admin`, `SE`, `EEA`.
fn code_like(word: &str) -> bool {
    let inner = word.trim_matches(|c: char| !c.is_alphanumeric());
    let marked = inner.contains(['_', '-', '.']) && inner.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    let code = (2..=3).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_uppercase());
    !inner.is_empty() && inner.len() == word.len() && (marked || code)
}

/// The items of a list of the campaign's own texts: cut at separators; the words of a part are
/// items only when each reads as a code (`at_rest in_transit`, `SE DK`), as `existing
/// customers` is one subject.
fn texts_in(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for part in parts(text) {
        // `SE DK "NO"`: a code quoted among plain ones (Norway's, which YAML 1.1 reads as
        // false) is a code like the others.
        let words: Vec<&str> = part
            .split_whitespace()
            .map(|w| w.strip_prefix('"').and_then(|w| w.strip_suffix('"')).filter(|w| !w.is_empty()).unwrap_or(w))
            .collect();
        // `SE AND DK` is no list of three codes: `AND` joins them, or is Andorra's alpha-3
        // code among alpha-2 ones; kept whole, with a note to split it.
        if words.len() > 1 && words.iter().all(|w| code_like(w) && !is_joiner(w)) {
            items.extend(words.iter().map(|w| w.to_string()));
        } else {
            items.push(part);
        }
    }
    items
}

/// The items of a list of the policy's names: cut at separators, at joining signs and words
/// (`display and social`, `display/social`), and at white space when each word is a name
/// `known` (`email sms`).
fn names_in(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut items = Vec::new();
    for joined in names_cut(text) {
        let words: Vec<&str> = joined.split_whitespace().collect();
        if !known(&joined) && words.len() > 1 && words.iter().all(|w| known(w)) {
            items.extend(words.iter().map(|w| w.to_string()));
        } else {
            items.push(joined);
        }
    }
    // `email, email sms`: a name given twice is listed once.
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
    items
}

/// The names a text holds when cut at separators and at joining signs and words (`consent,
/// contract`, `display and social`, `email，sms`), without the white space rule of
/// [`names_in`]: one cut for a list of names and for several names where one belongs.
pub(super) fn names_cut(text: &str) -> Vec<String> {
    parts(text).iter().flat_map(|part| cut_joins(part)).filter(|name| !name.is_empty()).collect()
}

/// `text` cut at joining words standing alone (`and`, `or`, `plus`) and at joining signs with
/// a name on each side (`display/social`, but not the sign of `+1`).
fn cut_joins(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut part: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if is_joiner(word) {
            out.push(part.join(" "));
            part.clear();
            continue;
        }
        let pieces: Vec<&str> = word.split(JOINING_SIGNS).collect();
        if pieces.len() > 1 && pieces.iter().all(|p| !p.is_empty()) {
            let (last, before) = pieces.split_last().unwrap_or((&"", &[]));
            for piece in before {
                part.push(piece.to_string());
                out.push(part.join(" "));
                part.clear();
            }
            part.push(last.to_string());
        } else {
            part.push(word.to_string());
        }
    }
    out.push(part.join(" "));
    out.retain(|p| !p.is_empty());
    out
}

/// `text` as a YAML value in a list or after `name:`: plain when it reads back as the same
/// text (`Google Ireland`, `AdTechCo Inc (US)`), else quoted. A single word that starts like a
/// number (`12`, `0x1F`, `0o17`, `+1`, `.5`) is quoted whether or not it is one: YAML reads
/// such words as numbers in more forms than are worth telling apart here.
fn plain_or_quoted(text: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '(' | ')' | '&' | '+' | '\'');
    let numeric =
        !text.contains(' ') && text.trim_start_matches(['+', '-', '.']).starts_with(|c: char| c.is_ascii_digit());
    let plain = text.split(' ').all(|word| !word.is_empty() && word.chars().all(safe))
        && text.starts_with(char::is_alphanumeric)
        && !numeric
        && text.parse::<f64>().is_err()
        && !matches!(text.to_lowercase().as_str(), "true" | "false" | "null");
    if plain {
        text.to_string()
    } else {
        super::yaml_text(text)
    }
}

/// Whether a text given where a list belongs says "none" rather than naming one item (`none`,
/// `N/A`, `None yet`, `no one`).
/// The whole text must say it: `No Limit Media AB` and `None of the above, prospect` name
/// items, and in `regions` `NO` is Norway and `NA` Namibia.
fn means_none(text: &str, key: &str) -> bool {
    const NONE: [&str; 14] = [
        "none",
        "no",
        "n/a",
        "na",
        "nothing",
        "nobody",
        "nil",
        "empty",
        "-",
        "--",
        "none yet",
        "no one",
        "not applicable",
        "none at all",
    ];
    let text = text.trim().trim_end_matches(['.', ',', ';', ':', '!']).trim();
    let code = text.len() == 2 && text.chars().all(|c| c.is_ascii_uppercase());
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    !(key == "regions" && code) && NONE.iter().any(|n| n.eq_ignore_ascii_case(&words))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{first_problem, HEAD};

    #[test]
    fn text_where_a_list_is_due_is_shown_as_a_list() {
        let found = |yaml: &str| {
            let file = crate::source::SourceFile::new("c.yaml", yaml);
            let policy = crate::policy::load_default().unwrap();
            let problems = crate::campaign::read(crate::source::FileId(1), &file, &policy).unwrap_err();
            problems.problems.iter().filter_map(|p| p.help.clone()).collect::<Vec<_>>()
        };
        let base = "campaign: c\npurpose: marketing.newsletter\nbasis: consent\n";
        assert!(found(&format!("{base}channels: email\ndata: []\n"))
            .contains(&"write `channels: [email]`, or `channels:` followed by `- …` lines".to_string()));
        assert!(found(&format!("{base}channels: email sms\ndata: []\n"))
            .contains(&"write `channels: [email, sms]`, or `channels:` followed by `- …` lines".to_string()));
        assert!(found(&format!("{base}data: contact.email, contact.phone_number\n")).contains(
            &"write each use as `- category: …` under `data:`, e.g. `data:` then `  - category: contact.email` and \
              `  - category: contact.phone_number`"
                .to_string()
        ));
        assert!(found(&format!("{base}data: contact.email\n")).contains(
            &"write each use as `- category: …` under `data:`, e.g. `data:` then `  - category: contact.email`"
                .to_string()
        ));
    }

    /// Processors written as one text are shown one `- name:` entry per company: written as
    /// one entry, as the help said, `AdTechCo Inc, Google Ireland` hid the US vendor behind the
    /// Irish entry's region and DPA, and the campaign passed.
    #[test]
    fn processors_written_as_one_text_get_one_entry_per_company() {
        let help = |processors: &str| first_problem(&format!("{HEAD}data: []\nprocessors: {processors}\n")).1;
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("AdTechCo Inc, Google Ireland"),
            format!("{per} `  - name: AdTechCo Inc` and `  - name: Google Ireland`")
        );
        assert_eq!(
            help("\"AdTechCo Inc (US), Google Ireland (IE)\""),
            format!("{per} `  - name: AdTechCo Inc (US)` and `  - name: Google Ireland (IE)`")
        );
        // A comma inside parentheses or before a company's suffix is part of the name; a
        // company with `&` in its name is one company.
        assert_eq!(
            help("\"AdTechCo (US, SCCs), Acme, Inc.; Johnson & Johnson | Meta\""),
            format!(
                "{per} `  - name: \"AdTechCo (US, SCCs)\"` and `  - name: \"Acme, Inc.\"` and `  - name: Johnson & Johnson` \
                 and `  - name: Meta`; if `Johnson & Johnson` names more than one company, give each its own `- name:` \
                 entry: it is kept as one here"
            )
        );
        assert_eq!(
            help("Klaviyo"),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: Klaviyo`"
        );
        // A quote that never closes hides no company: `'t Hooft BV, Mailchimp` was one entry.
        assert_eq!(
            help("\"'t Hooft BV, Mailchimp\""),
            format!("{per} `  - name: \"'t Hooft BV\"` and `  - name: Mailchimp`")
        );
        // Only a lower-case `and` before another word joins a company to the list: `And Co`
        // is a company, and was merged into `Acme, Co`.
        assert_eq!(
            help("Acme, And Co, and Beta"),
            format!("{per} `  - name: Acme` and `  - name: And Co` and `  - name: Beta`")
        );
    }

    /// Text where a list belongs is cut at its separators, which are no items: `display and
    /// social` was told `[display, and, social]` (an unknown channel `and`), `visitor &
    /// customer` `[visitor, &, customer]` (a YAML error), and a quoted list was put in a list.
    #[test]
    fn text_where_a_list_is_due_is_cut_at_separators_not_into_them() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let channels = "write `channels: [display, social]`, or `channels:` followed by `- …` lines";
        for given in ["display and social", "display/social", "display & social", "display + social; "] {
            assert_eq!(help(&format!("channels: {given}")), channels, "{given}");
        }
        // A text of the campaign's own is cut at separators only: `visitor & customer` may be
        // one group or two, which the help says rather than picks.
        assert_eq!(
            help("audience:\n  subjects: visitor & customer"),
            "write `subjects: [visitor & customer]`, or `subjects:` followed by `- …` lines; if `visitor & customer` \
             names more than one, give each its own item: it is kept as one here"
        );
        // Between spaces, `AND` may join or be a code: the item is kept whole, with the note.
        assert_eq!(
            help("audience:\n  regions: SE AND DK"),
            "write `regions: [SE AND DK]`, or `regions:` followed by `- …` lines; if `SE AND DK` names more than one, \
             give each its own item: it is kept as one here"
        );
        // A code quoted among plain ones is one of them.
        assert_eq!(
            help("audience:\n  regions: SE DK \"NO\""),
            "write `regions: [SE, DK, NO]`, or `regions:` followed by `- …` lines"
        );
        // `AND` is Andorra, not a joining word; a quoted item is kept as written.
        assert_eq!(
            help("audience:\n  regions: SE, AND, DK"),
            "write `regions: [SE, AND, DK]`, or `regions:` followed by `- …` lines"
        );
        assert_eq!(
            help("audience:\n  subjects: \"customers, ' and friends'\""),
            "write `subjects: [customers, \" and friends\"]`, or `subjects:` followed by `- …` lines"
        );
        assert_eq!(
            help("audience:\n  segments: \"'90s kids, parents\""),
            "write `segments: [\"'90s kids\", parents]`, or `segments:` followed by `- …` lines"
        );
        assert_eq!(
            help("security:\n  encryption: \"[at_rest, in_transit]\""),
            "remove the quotes: `encryption: [at_rest, in_transit]` is a list, the quoted text is one text"
        );
        // An item that YAML would read as something else is quoted.
        assert_eq!(
            help("security:\n  access: admin, *ops, true"),
            "write `access: [admin, \"*ops\", \"true\"]`, or `access:` followed by `- …` lines"
        );
    }

    /// `none` where a list belongs is told to be `[]`: the help told `processors: none` to
    /// name a processor `none`, and `security.access: none` to write `[none]`, which names a
    /// group with access and silences the pack's warning about unrestricted access.
    #[test]
    fn none_written_where_a_list_belongs_is_told_to_be_empty() {
        for (yaml, key) in [("data: []\nprocessors: none\n", "processors"), ("data: N/A\n", "data")] {
            let (_, help) = first_problem(&format!("{HEAD}{yaml}"));
            assert!(help.starts_with(&format!("for none, write `{key}: []`")), "{yaml}: {help}");
        }
        for none in ["None", "None yet", "no one"] {
            let (_, help) = first_problem(&format!("{HEAD}data: []\nsecurity:\n  access: {none}\n"));
            assert!(help.starts_with("for none, write `access: []`"), "{none}: {help}");
        }
        // A name is still taken for one item.
        let (_, help) = first_problem(&format!("{HEAD}data: []\nsecurity:\n  access: crm\n"));
        assert!(help.contains("[crm]"), "{help}");
    }

    /// Processors written as text are cut only at `,`, `;` and `|`: `Procter & Gamble` and
    /// `Marks and Spencer` are one company each, and `and others` names none.
    #[test]
    fn processors_are_cut_at_separators_only() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("processors:\n  - AdTechCo Inc, Google Ireland"),
            format!("{per} `  - name: AdTechCo Inc` and `  - name: Google Ireland`")
        );
        assert_eq!(
            help("processors: Procter & Gamble, Google Ireland, and others"),
            format!(
                "{per} `  - name: Procter & Gamble` and `  - name: Google Ireland`; if `Procter & Gamble` names more \
                 than one company, give each its own `- name:` entry: it is kept as one here; `others` names no \
                 company: give each of them its own `- name:` entry"
            )
        );
        assert_eq!(
            help("processors: Ernst & Young; Marks and Spencer"),
            format!(
                "{per} `  - name: Ernst & Young` and `  - name: Marks and Spencer`; if one of `Ernst & Young`, `Marks \
                 and Spencer` names more than one company, give each its own `- name:` entry: each is kept as one here"
            )
        );
        assert_eq!(
            help("processors: Google/Meta"),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: Google/Meta`; if `Google/Meta` names more than one company, give each its own `- name:` \
             entry: it is kept as one here"
        );
        assert_eq!(
            help("processors: Google，Meta、TikTok"),
            format!("{per} `  - name: Google` and `  - name: Meta` and `  - name: TikTok`")
        );
    }

    /// A list in a section is written with the key as it stands there (`regions`): the help
    /// wrote `audience.regions: […]`, an unknown key of `audience`. Texts of the campaign's own
    /// keep their words; items are unquoted, and quoted when YAML would read a number.
    #[test]
    fn a_list_in_a_section_is_written_with_its_own_key_and_its_items_as_written() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let list = |key: &str, items: &str| format!("write `{key}: [{items}]`, or `{key}:` followed by `- …` lines");
        assert_eq!(help("audience:\n  regions: SE, DK, FI, NO"), list("regions", "SE, DK, FI, NO"));
        assert_eq!(help("audience:\n  regions: SE,DK,FI,\"NO\""), list("regions", "SE, DK, FI, NO"));
        assert_eq!(help("audience:\n  subjects: existing customers"), list("subjects", "existing customers"));
        assert_eq!(help("security:\n  access: R&D team"), list("access", "R&D team"));
        assert_eq!(help("security:\n  access: crm admin, email marketer"), list("access", "crm admin, email marketer"));
        assert_eq!(
            help("audience:\n  segments: bought bedding last 12 months, 18+ members"),
            list("segments", "bought bedding last 12 months, 18+ members")
        );
        assert_eq!(
            help("audience:\n  segments: loyal, 0x1F, 0o17, 0b101, +1"),
            list("segments", "loyal, \"0x1F\", \"0o17\", \"0b101\", \"+1\"")
        );
        assert_eq!(
            first_problem(&format!("{HEAD}data: contact.email, contact.fax\n")).1,
            "write each use as `- category: …` under `data:`, one per category; `contact.fax` is not a data category \
             of the policy"
        );
        // A channel that is none is not written into a list.
        assert_eq!(
            help("channels: email, 0x1F"),
            "write `channels` as a list of the policy's names, one per item; `0x1F` is not a channel of the policy"
        );
        assert_eq!(
            help("channels: \"email, sms: 1\""),
            "write `channels` as a list of the policy's names, one per item; `sms: 1` is not a channel of the policy"
        );
    }

    /// "None" is read only from a text that says nothing else: `No Limit Media AB, SendFast
    /// Inc.` was told `processors: []`, which passed with both processors gone, and `regions:
    /// NO` (Norway) was told `regions: []`.
    #[test]
    fn none_is_read_only_from_a_whole_text_that_says_it() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("processors: No Limit Media AB, SendFast Inc."),
            format!("{per} `  - name: No Limit Media AB` and `  - name: SendFast Inc.`")
        );
        assert_eq!(
            help("processors: \"N/A Corp, SendFast\""),
            format!(
                "{per} `  - name: N/A Corp` and `  - name: SendFast`; if `N/A Corp` names more than one company, give \
                 each its own `- name:` entry: it is kept as one here"
            )
        );
        let list = |key: &str, items: &str| format!("write `{key}: [{items}]`, or `{key}:` followed by `- …` lines");
        assert_eq!(help("audience:\n  regions: \"NO\""), list("regions", "NO"));
        assert_eq!(help("audience:\n  regions: NA"), list("regions", "NA"));
        assert_eq!(help("audience:\n  regions: \"NO, SE, DK\""), list("regions", "NO, SE, DK"));
        assert_eq!(help("audience:\n  regions: NO SE DK"), list("regions", "NO, SE, DK"));
        assert_eq!(
            help("audience:\n  subjects: \"None of the above, prospect\""),
            list("subjects", "None of the above, prospect")
        );
        assert!(help("audience:\n  subjects: \"none.\"").starts_with("for none, write `subjects: []`"));
    }

    /// `KEY: []` is offered only for a text that says "none": it was offered for a long text,
    /// a text on several lines and a mapping with its `- ` forgotten, and followed it dropped
    /// what they named (`data:` then `category: special.health` passed as no data).
    #[test]
    fn an_empty_list_is_never_offered_for_something_written() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}{yaml}\n")).1;
        assert_eq!(
            help("data:\n  category: special.health\n  retention: 30 days"),
            "put `- ` before the first key of each entry: `- category: …` starts an entry of `data:`"
        );
        assert_eq!(
            help("data: []\nprocessors:\n  name: Acme\n  region: US"),
            "put `- ` before the first key of each entry: `- name: …` starts an entry of `processors:`"
        );
        assert_eq!(
            help("data: []\nsecurity:\n  access:\n    crm: admin"),
            "write each value as its own `- ` item under `access:`, not as `key: value` lines"
        );
        let per = "write one `- name:` entry per processor under `processors:`, each with its own `region:` and \
                   `dpa:` below it, e.g. `processors:` then";
        assert_eq!(
            help("data: []\nprocessors: Some Very Long Company Name Incorporated Worldwide, Another Company Name Ltd"),
            format!(
                "{per} `  - name: Some Very Long Company Name Incorporated Worldwide` and `  - name: Another Company \
                 Name Ltd`"
            )
        );
        assert_eq!(
            help("data: []\naudience:\n  subjects: |\n    existing customers\n    newsletter subscribers"),
            "write `subjects: [existing customers, newsletter subscribers]`, or `subjects:` followed by `- …` lines"
        );
        assert_eq!(
            help("data: []\naudience:\n  subjects: >\n    existing customers,\n    newsletter subscribers"),
            "write `subjects: [existing customers, newsletter subscribers]`, or `subjects:` followed by `- …` lines"
        );
        assert_eq!(help("data: []\naudience:\n  regions: 46"), "write `regions:` followed by one `- …` line per item");
    }

    /// Nothing written is left out or changed silently: `SE, ~, DK` was `[SE, DK]`, a tab
    /// between two names a space, and `- Acme Ltd and Beta GmbH` got no word that it may
    /// name two companies.
    #[test]
    fn items_are_kept_as_written() {
        let help = |yaml: &str| first_problem(&format!("{HEAD}data: []\n{yaml}\n")).1;
        assert_eq!(
            help("audience:\n  regions: SE, ~, DK"),
            "write `regions: [SE, \"~\", DK]`, or `regions:` followed by `- …` lines"
        );
        assert_eq!(
            help("security:\n  access: \"crm\\tops\""),
            "write `access: [\"crm\\tops\"]`, or `access:` followed by `- …` lines"
        );
        assert_eq!(
            help("channels: email, email sms"),
            "write `channels: [email, sms]`, or `channels:` followed by `- …` lines"
        );
        assert_eq!(
            help("processors: \"Acme\\tBeta\""),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: \"Acme\\tBeta\"`; if `\"Acme\\tBeta\"` names more than one company, give each its own \
             `- name:` entry: it is kept as one here"
        );
        assert_eq!(
            help("processors:\n  - Acme Ltd and Beta GmbH"),
            "write each processor as `- name: …` under `processors:`, with its own `region:` and `dpa:` below it, \
             e.g. `  - name: Acme Ltd and Beta GmbH`; if `Acme Ltd and Beta GmbH` names more than one company, give \
             each its own `- name:` entry: it is kept as one here"
        );
    }
}
