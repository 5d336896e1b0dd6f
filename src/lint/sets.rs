//! Sets that no rule uses: no condition names them, directly or through the sets that
//! include them. And sets with a member whose case differs from all the others'
//! (`[SE, dk, FI]`), which a campaign's `DK` never equals.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostic::{Code, Problem};
use crate::policy::CheckedPolicy;
use crate::source::Span;

pub(super) fn check(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    // Sets cannot include each other in a circle (that is an error), so this terminates.
    let mut used: BTreeSet<&str> =
        policy.set_uses.iter().filter(|(_, u)| !u.rules.is_empty()).map(|(s, _)| s.as_str()).collect();
    loop {
        let more: Vec<&str> = policy
            .set_uses
            .iter()
            .filter(|(s, u)| !used.contains(s.as_str()) && u.sets.iter().any(|t| used.contains(t.as_str())))
            .map(|(s, _)| s.as_str())
            .collect();
        if more.is_empty() {
            break;
        }
        used.extend(more);
    }
    for (name, (_, span)) in &policy.sets {
        if used.contains(name.as_str()) {
            continue;
        }
        let includers: Vec<String> =
            policy.set_uses.get(name).map(|u| u.sets.iter().map(|s| format!("`{s}`")).collect()).unwrap_or_default();
        let message = if includers.is_empty() {
            format!("set `{name}` is never used")
        } else {
            format!("set `{name}` is only used by {}, which no rule uses", includers.join(", "))
        };
        out.push(Problem::at(Code::UnusedSet, *span, message, "not used by any rule").with_help(
            "use it in a rule's condition (e.g. `audience.regions overlaps NAME`, or `owner in NAME` for one \
                     value), or remove it",
        ));
    }
}

/// A member not in the case that all the others share (`dk` or `Dk` among upper-case codes):
/// values are compared exactly, so it matches no campaign that writes `DK`.
/// Only the members a set lists itself count, not those of the sets it includes.
pub(super) fn members(policy: &CheckedPolicy, out: &mut Vec<Problem>) {
    let letters = |m: &str| !m.is_empty() && m.chars().all(|c| c.is_ascii_alphabetic());
    let upper = |m: &str| letters(m) && m.chars().all(|c| c.is_ascii_uppercase());
    let lower = |m: &str| letters(m) && m.chars().all(|c| c.is_ascii_lowercase());
    // The members each set has through the sets it includes, gathered once: per set, a scan of
    // every other set made ten thousand sets take twenty seconds.
    let mut included: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (inner, uses) in &policy.set_uses {
        let Some((members, _)) = policy.sets.get(inner) else { continue };
        for outer in &uses.sets {
            included.entry(outer.as_str()).or_default().extend(members.iter().map(String::as_str));
        }
    }
    let near_names = NearNames::new(policy.sets.keys().map(String::as_str));
    let no_members = BTreeSet::new();
    for (name, (all, span)) in &policy.sets {
        let included = included.get(name.as_str()).unwrap_or(&no_members);
        let own: Vec<&str> = all.iter().map(String::as_str).filter(|m| !included.contains(m)).collect();
        // `set eu = [nordic, DE]` beside `set nordics`: a set inside a list is flattened into
        // it by its name, and one letter off it is a value no campaign writes.
        let near_set = |m: &str| {
            // Written as a set's name is (`nordic`, not `EE` beside a set `eu`), and long enough
            // that one letter is a slip rather than another short code.
            let like_a_name =
                m.len() >= 4 && m.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !like_a_name || policy.sets.contains_key(m) {
                return None;
            }
            near_names.one_letter_from(m).find(|s| *s != name.as_str())
        };
        for m in own.iter().copied() {
            let Some(set) = near_set(m) else { continue };
            out.push(
                Problem::at(
                    Code::SetMember,
                    member_span(policy, *span, m),
                    format!("`{m}` is one letter from the set `{set}`: a set inside a list is written by its name"),
                    format!("not the set `{set}`"),
                )
                .with_help(format!(
                    "write `{set}` to include that set's members; if `{m}` is a value campaigns write, keep it and \
                     silence this with `# lagom: ignore set_member`"
                )),
            );
        }
        let own: Vec<&str> = own.into_iter().filter(|m| near_set(m).is_none()).collect();
        // A member is odd when every other member is in the other case: counted once, not by
        // comparing each member with all the others (a set of 200,000 members never ended).
        let uppers = own.iter().filter(|m| upper(m)).count();
        let lowers = own.iter().filter(|m| lower(m)).count();
        let others = own.len().saturating_sub(1);
        let odd: Vec<String> = own
            .iter()
            // `Fi` among `SE, DK` is as odd as `fi`: not in the one case all the others share.
            .filter(|m| {
                others >= 2 && letters(m) && ((!upper(m) && uppers == others) || (!lower(m) && lowers == others))
            })
            .map(|m| format!("`{m}`"))
            .collect();
        if odd.is_empty() {
            continue;
        }
        out.push(
            Problem::at(
                Code::SetMember,
                *span,
                format!("set `{name}`: {} differs in case from the other members", odd.join(", ")),
                "check its members",
            )
            .with_help("values are compared exactly, in their case: write each as campaigns write it (`DK`, not `dk`)"),
        );
    }
}

/// Set names found by the words one deletion from them (a symmetric-delete index): a name one
/// edit from a word (a letter added, dropped, changed or two swapped) shares a deletion with
/// it, so a word is compared only with the few names that do, not with every set.
struct NearNames<'p> {
    by_deletion: HashMap<String, Vec<&'p str>>,
}

impl<'p> NearNames<'p> {
    /// Names longer than this are not indexed: the deletions of a name grow with its square.
    const LONGEST: usize = 100;

    fn new(names: impl Iterator<Item = &'p str>) -> Self {
        let mut by_deletion: HashMap<String, Vec<&'p str>> = HashMap::new();
        for name in names.filter(|n| n.len() <= Self::LONGEST) {
            for key in deletions(name) {
                by_deletion.entry(key).or_default().push(name);
            }
        }
        NearNames { by_deletion }
    }

    /// The names one edit from `word` (optimal string alignment distance 1), in name order.
    fn one_letter_from<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'p str> + 'a {
        let mut found: Vec<&'p str> = if word.len() > Self::LONGEST {
            Vec::new()
        } else {
            deletions(word).filter_map(|key| self.by_deletion.get(&key)).flatten().copied().collect()
        };
        found.sort_unstable();
        found.dedup();
        found.into_iter().filter(move |name| strsim::osa_distance(word, name) == 1)
    }
}

/// `word` itself and each text one character shorter than it.
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    let cut = word.char_indices().map(|(i, c)| {
        let (before, after) = (word.get(..i).unwrap_or_default(), word.get(i + c.len_utf8()..).unwrap_or_default());
        format!("{before}{after}")
    });
    std::iter::once(word.to_string()).chain(cut)
}

/// Where a set's member is written: the first time the word stands alone after the set's name
/// in the set's declaration, else the set's name.
fn member_span(policy: &CheckedPolicy, name: Span, member: &str) -> Span {
    let declaration = policy
        .declarations
        .iter()
        .filter(|d| d.file == name.file && d.start <= name.start && name.end <= d.end)
        .min_by_key(|d| d.end - d.start);
    let text = declaration.and_then(|d| policy.sources.file(d.file)?.text.get(name.end..d.end));
    let found = text.and_then(|t| crate::chars::find_value(t, member));
    match found {
        Some(i) => Span { file: name.file, start: name.end + i, end: name.end + i + member.len() },
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::messages;
    use crate::diagnostic::Code;

    /// The example was `audience.regions within NAME`, which lets `regions: []` through
    /// (`lagom::within_empty`).
    #[test]
    fn the_unused_set_help_suggests_no_test_that_an_empty_list_passes() {
        let found = super::super::testing::warnings(Code::UnusedSet, "set eea = [SE]\nrule r { deny * for * }\n");
        let help = found.first().and_then(|p| p.help.as_deref()).unwrap_or("");
        assert_eq!(
            help,
            "use it in a rule's condition (e.g. `audience.regions overlaps NAME`, or `owner in NAME` for one value), \
             or remove it"
        );
    }

    #[test]
    fn sets_no_rule_uses_are_reported() {
        let rules = "set eea = [SE, DK]\nset nordic = [eea, NO]\nset spare = [x]\n\
                     rule r { deny * for * when audience.regions within [FR] }\n";
        assert_eq!(
            messages(Code::UnusedSet, rules),
            [
                "set `eea` is only used by `nordic`, which no rule uses",
                "set `nordic` is never used",
                "set `spare` is never used"
            ]
        );
    }

    #[test]
    fn a_member_in_another_case_than_the_others_is_reported() {
        let rules = "set eea = [SE, dk, FI]\nset mixed = [SE, Dk, FI]\nset words = [gold, Silver, bronze]\nset twice = [SE, DK, SE]\nset nordic = [eea, NO, DK]\nset bases = [consent, contract]\n\
                     rule r { deny * for * when audience.regions within eea and audience.regions within twice \
                     and audience.regions within nordic and labels.b in bases and audience.regions within mixed \
                     and labels.tier in words }\n";
        let found = messages(Code::SetMember, rules);
        assert_eq!(
            found,
            [
                "set `eea`: `dk` differs in case from the other members",
                "set `mixed`: `Dk` differs in case from the other members",
                "set `words`: `Silver` differs in case from the other members"
            ]
        );
    }

    /// `nordic` in a list beside the set `nordics` is a value, not the set: it is said so at the
    /// member, and not told to change its case.
    #[test]
    fn a_member_one_letter_from_a_set_name_is_reported_at_the_member() {
        let rules = "set nordics = [SE, DK, FI]\nset eu = [nordic, DE, FR]\nset ee = [EU, EE, ES]\n\
                     rule r { deny * for * when audience.regions within eu and audience.regions within ee }\n";
        let found = super::super::testing::warnings(Code::SetMember, rules);
        let messages: Vec<&str> = found.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            ["`nordic` is one letter from the set `nordics`: a set inside a list is written by its name"]
        );
        let crate::diagnostic::Place::Span(span) = found[0].place else { panic!("not placed") };
        let policy = super::super::testing::policy(rules);
        assert_eq!(&policy.sources.file(span.file).expect("file").text[span.start..span.end], "nordic");
    }

    /// The index finds exactly the names one edit away that a comparison with every name finds.
    #[test]
    fn near_names_are_those_one_edit_away() {
        let names = ["nordics", "nordic", "eea", "efta", "nrodics", "nordicss", "ordics", "baltics", "s1", "s12"];
        let index = super::NearNames::new(names.iter().copied());
        for word in ["nordics", "nordic", "nordiks", "nrodics", "eeaa", "efa", "s1", "s123", "x", "baltic"] {
            let found: Vec<&str> = index.one_letter_from(word).collect();
            let mut all: Vec<&str> = names.iter().copied().filter(|n| strsim::osa_distance(word, n) == 1).collect();
            all.sort_unstable();
            assert_eq!(found, all, "{word}");
        }
    }

    #[test]
    fn sets_used_directly_or_through_a_used_set_are_not_reported() {
        let rules = "set eea = [SE, DK]\nset nordic = [eea, NO]\nset tiers = [gold]\n\
                     rule r { deny * for * when audience.regions within nordic and labels.tier in [tiers, x] }\n";
        assert!(messages(Code::UnusedSet, rules).is_empty());
    }
}
