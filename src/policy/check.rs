//! Name resolution across all files of a policy: vocabularies, sets, taxonomies and rules.

use std::collections::HashMap;

use rayon::prelude::*;

mod taxonomies;

use taxonomies::{build_taxonomy, declared_paths};

use super::model::*;
use super::taxonomy::{TaxonId, Taxonomy};
use super::typecheck::{Site, TypeChecker};
use crate::diagnostic::{did_you_mean, Code, Place, Problem};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Item};

/// Most nodes in one taxonomy: the ancestor closure is quadratic in this number.
pub const MAX_TAXONOMY_NODES: usize = 20_000;

/// Which taxonomy a declaration or path belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Category,
    Purpose,
}

impl Kind {
    pub(super) fn word(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Purpose => "purpose",
        }
    }
    fn plural(self) -> &'static str {
        match self {
            Kind::Category => "categories",
            Kind::Purpose => "purposes",
        }
    }
    fn other(self) -> Kind {
        match self {
            Kind::Category => Kind::Purpose,
            Kind::Purpose => Kind::Category,
        }
    }
}

/// The declarations of a policy's files by kind, before names are resolved.
struct Declared<'a> {
    header: Option<&'a ast::Header>,
    bases: Vocabulary,
    channels: Vocabulary,
    sets: Vec<&'a ast::SetDecl>,
    categories: Vec<&'a ast::TaxonDecl>,
    purposes: Vec<&'a ast::TaxonDecl>,
    rules: Vec<&'a ast::RuleDecl>,
}

impl<'a> Declared<'a> {
    /// The items of all files by kind; a second header, and a lawful basis or channel declared
    /// twice, are reported.
    fn gather(files: &'a [ast::PolicyFile], problems: &mut Vec<Problem>) -> Self {
        let mut declared = Declared {
            header: None,
            bases: Vocabulary::default(),
            channels: Vocabulary::default(),
            sets: Vec::new(),
            categories: Vec::new(),
            purposes: Vec::new(),
            rules: Vec::new(),
        };
        for item in files.iter().flat_map(|f| &f.items) {
            match item {
                Item::Header(h) => {
                    match declared.header {
                        Some(first) => problems.push(duplicate("policy header", "", h.span, first.span).with_help(
                            "a policy has one `policy \"name\"` line, in one of its files: remove the other",
                        )),
                        None => declared.header = Some(h),
                    }
                }
                Item::Basis(entries) => declare_entries(&mut declared.bases, entries, "lawful basis", problems),
                Item::Channel(entries) => declare_entries(&mut declared.channels, entries, "channel", problems),
                Item::Set(s) => declared.sets.push(s),
                Item::Category(c) => declared.categories.push(c),
                Item::Purpose(p) => declared.purposes.push(p),
                Item::Rule(r) => declared.rules.push(r),
            }
        }
        declared
    }

    /// Where each rule, set, category and purpose is declared (nested ones too).
    fn spans(&self) -> Vec<Span> {
        let mut spans: Vec<Span> = self.rules.iter().map(|r| r.span).chain(self.sets.iter().map(|s| s.span)).collect();
        let mut taxa: Vec<&ast::TaxonDecl> = self.categories.iter().chain(&self.purposes).copied().collect();
        while let Some(t) = taxa.pop() {
            spans.push(t.span);
            taxa.extend(&t.children);
        }
        spans
    }
}

/// Checks parsed files as one policy.
pub(super) fn check(
    files: &[ast::PolicyFile],
    sources: SourceMap,
    digest: String,
) -> Result<CheckedPolicy, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut declared = Declared::gather(files, &mut problems);
    // Each taxonomy knows the other's names, to say `under pii` names a category, not a purpose.
    let (category_paths, purpose_paths) = (declared_paths(&declared.categories), declared_paths(&declared.purposes));
    let categories: Taxonomy<CategoryId> =
        build_taxonomy(Kind::Category, &declared.categories, &purpose_paths, &mut problems);
    let purposes: Taxonomy<PurposeId> =
        build_taxonomy(Kind::Purpose, &declared.purposes, &category_paths, &mut problems);
    // A taxonomy over its limit is built empty, so every name in it would be told unknown
    // ("the policy declares no categories"), burying the one error that matters.
    if problems.iter().any(|p| p.code == Code::Limit) {
        crate::diagnostic::sort_problems(&mut problems, &sources);
        return Err(problems);
    }
    let (bases, channels) = (&declared.bases, &declared.channels);
    let sets = super::sets::resolve_sets(&declared.sets, bases, channels, &categories, &purposes, &mut problems);

    // Rules are checked in name order, which is the order they are kept in (spec 3.1); the
    // sort is stable, so the first of two rules with one name is the first in file order.
    declared.rules.sort_by(|a, b| a.name.name.cmp(&b.name.name));
    let rules = {
        let types = TypeChecker {
            bases,
            channels,
            categories: &categories,
            purposes: &purposes,
            sets: &sets,
            sources: &sources,
            patterns: Default::default(),
        };
        check_rules(&declared.rules, &types, &mut problems)
    };
    if problems.is_empty() {
        problems.extend(super::scope_size::too_wide(&rules, &categories, &purposes));
    }
    if !problems.is_empty() {
        crate::diagnostic::sort_problems(&mut problems, &sources);
        return Err(problems);
    }
    let set_uses = super::sets::set_uses(&declared.sets, &declared.rules, &sets);
    let declarations = declared.spans();
    let searches = |_: &FieldUse, test: &CheckedTest| matches!(test, CheckedTest::Matches(_));
    let searches_texts = rules.iter().filter_map(|r| r.condition.as_ref()).any(|c| c.any_test(&searches));
    let header = declared.header;
    Ok(CheckedPolicy {
        searches_texts,
        name: header.map(|h| h.name.value.clone()),
        version: header.and_then(|h| h.version.as_ref().map(|v| v.value.clone())),
        digest,
        bases: declared.bases,
        channels: declared.channels,
        categories,
        purposes,
        sets,
        set_uses,
        rules,
        sources,
        declarations,
        skipped: Vec::new(),
    })
}

/// Checks rules sorted by name. Of two rules with one name only the first is checked: the
/// other is reported as declared twice.
fn check_rules(sorted: &[&ast::RuleDecl], types: &TypeChecker, problems: &mut Vec<Problem>) -> Vec<CheckedRule> {
    let mut distinct: Vec<&ast::RuleDecl> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match distinct.last() {
            Some(first) if first.name.name == r.name.name => {
                problems.push(duplicate("rule", &r.name.name, r.name.span, first.name.span))
            }
            _ => distinct.push(r),
        }
    }
    // Rules check independently; a 10,000-rule policy spends most of its checking here.
    let checked: Vec<(Option<CheckedRule>, Vec<Problem>)> = distinct
        .par_iter()
        .map(|r| {
            let mut found = Vec::new();
            (check_rule(r, types, &mut found), found)
        })
        .collect();
    let mut rules = Vec::with_capacity(checked.len());
    for (rule, mut found) in checked {
        problems.append(&mut found);
        rules.extend(rule);
    }
    rules
}

pub(super) fn duplicate(what: &str, name: &str, later: Span, first: Span) -> Problem {
    let shown = if name.is_empty() { String::new() } else { format!(" `{name}`") };
    Problem::at(Code::Duplicate, later, format!("{what}{shown} is declared twice"), "declared again here")
        .with_related(Place::Span(first), "first declared here")
        .with_help("remove one of the two declarations or give one another name")
}

/// A name written twice in one list of names (`allow c, c for p`, `under s, s`; `list` says
/// which): the second adds nothing, and is most often a slip for another name.
pub(super) fn listed_twice(paths: &[ast::Path], list: &str, problems: &mut Vec<Problem>) {
    let mut first: HashMap<&str, Span> = HashMap::with_capacity(paths.len());
    for p in paths {
        match first.get(p.text.as_str()) {
            Some(&at) => problems.push(
                Problem::at(
                    Code::Duplicate,
                    p.span,
                    format!("`{}` is listed twice in {list}", p.text),
                    "listed again here",
                )
                .with_related(Place::Span(at), "first listed here")
                .with_help(format!("remove this `{}` and the comma before it: the first one already names it", p.text)),
            ),
            None => {
                first.insert(&p.text, p.span);
            }
        }
    }
}

fn declare_entries(vocab: &mut Vocabulary, entries: &[ast::Entry], what: &str, problems: &mut Vec<Problem>) {
    for e in entries {
        if let Some((_, first)) = vocab.entries.get(&e.name.name) {
            problems.push(duplicate(what, &e.name.name, e.name.span, *first));
            continue;
        }
        vocab.entries.insert(e.name.name.clone(), (e.label.as_ref().map(|l| l.value.clone()), e.name.span));
    }
}

pub(super) fn unknown_path(kind: Kind, path: &ast::Path, names: &[&str]) -> Problem {
    Problem::at(
        Code::UnknownName,
        path.span,
        format!("unknown {} `{}`", kind.word(), path.text),
        format!("not a declared {}", kind.word()),
    )
    .with_help(did_you_mean(&path.text, kind.plural(), names.iter().copied()))
}

/// Checks one rule; `None` when it has errors (pushed to `problems`).
fn check_rule(r: &ast::RuleDecl, types: &TypeChecker, problems: &mut Vec<Problem>) -> Option<CheckedRule> {
    let before = problems.len();
    let effect = rule_effect(&r.effect.kind, types, problems);
    let scope = rule_scope(&r.effect, &effect, types, problems);
    let ctx = match scope {
        RuleScope::Campaign { .. } => super::fields::Context::Campaign,
        RuleScope::Uses { .. } => super::fields::Context::Use,
    };
    let condition = r.condition.as_ref().and_then(|c| {
        let e = types.expr(&c.expr, ctx, problems)?;
        Some(if c.negated { Cond::Not(Box::new(e)) } else { e })
    });
    if problems.len() > before {
        return None;
    }
    Some(CheckedRule {
        name: r.name.name.clone(),
        span: r.name.span,
        effect,
        scope,
        condition,
        written: r.condition.as_ref().map(|c| WrittenCondition {
            keyword: if c.negated { ConditionKeyword::Unless } else { ConditionKeyword::When },
            span: c.span,
        }),
        because: r.because.as_ref().map(|s| s.value.clone()),
        cite: r.cite.as_ref().map(|s| s.value.clone()),
    })
}

/// A rule's effect. A retention whose duration is wrong is reported and read as `deny`, so
/// that the rest of the rule is still checked.
fn rule_effect(kind: &ast::EffectKind, types: &TypeChecker, problems: &mut Vec<Problem>) -> RuleEffect {
    match kind {
        ast::EffectKind::Allow => RuleEffect::Allow,
        ast::EffectKind::Deny => RuleEffect::Deny,
        ast::EffectKind::Warn => RuleEffect::Warn,
        ast::EffectKind::Retain(d) => match types.duration(d) {
            Ok(ret) => RuleEffect::Retain(ret),
            Err(p) => {
                problems.push(p);
                RuleEffect::Deny
            }
        },
    }
}

/// A rule's `CATEGORIES for PURPOSES`, where `campaign` may stand only for the categories,
/// and only in a rule that denies or warns.
fn rule_scope(
    written: &ast::Effect,
    effect: &RuleEffect,
    types: &TypeChecker,
    problems: &mut Vec<Problem>,
) -> RuleScope {
    if let ast::Targets::Campaign(span) = written.purposes {
        problems.push(
            Problem::at(Code::CampaignScope, span, "`campaign` can only stand left of `for`", "not a purpose")
                .with_help("write `deny campaign for PURPOSES`"),
        );
    }
    let purposes = resolve_targets(Kind::Purpose, &written.purposes, types, types.purposes, problems);
    match &written.categories {
        ast::Targets::Campaign(span) => {
            if matches!(effect, RuleEffect::Allow | RuleEffect::Retain(_)) {
                problems.push(campaign_scope_refused(effect, *span));
            }
            RuleScope::Campaign { purposes: to_targets(purposes) }
        }
        other => {
            let cats = resolve_targets(Kind::Category, other, types, types.categories, problems);
            RuleScope::Uses { categories: to_targets(cats), purposes: to_targets(purposes) }
        }
    }
}

/// `allow campaign for …` or `retain campaign for …`: only `deny` and `warn` take `campaign`.
fn campaign_scope_refused(effect: &RuleEffect, span: Span) -> Problem {
    Problem::at(
        Code::CampaignScope,
        span,
        format!("`{}` cannot apply to the whole campaign", effect.as_str()),
        "only `deny` and `warn` take `campaign`",
    )
    .with_help(match effect {
        RuleEffect::Retain(_) => {
            "name the categories whose retention is capped, e.g. `retain contact for marketing at most 24 months`"
        }
        _ => "name the categories instead, e.g. `allow contact.email for marketing`",
    })
}

fn to_targets<Id>(v: Option<Vec<Id>>) -> Targets<Id> {
    match v {
        None => Targets::Any,
        Some(ids) => Targets::Some(ids),
    }
}

/// `None` for `*`.
fn resolve_targets<Id: TaxonId>(
    kind: Kind,
    t: &ast::Targets,
    types: &TypeChecker,
    tax: &Taxonomy<Id>,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Id>> {
    match t {
        ast::Targets::Any(_) | ast::Targets::Campaign(_) => None,
        ast::Targets::Paths(paths) => {
            listed_twice(paths, &format!("the rule's {}", kind.plural()), problems);
            let mut ids = Vec::new();
            ids.extend(paths.iter().filter_map(|p| types.taxon(kind, Site::Scope, tax, p, problems)));
            ids.sort_unstable();
            ids.dedup();
            Some(ids)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Code, Place};
    use crate::policy::{load_texts, CheckedPolicy, PolicyError, PolicyText, RuleScope, Targets};

    fn load(text: &str) -> Result<CheckedPolicy, PolicyError> {
        load_texts(vec![PolicyText {
            relative: "p.policy".into(),
            display: "p.policy".into(),
            bytes: text.as_bytes().to_vec(),
        }])
    }

    fn codes(text: &str) -> Vec<Code> {
        load(text).err().map(|e| e.problems.iter().map(|p| p.code).collect()).unwrap_or_default()
    }

    #[test]
    fn a_rule_declared_again_points_at_its_first_declaration_in_file_order() {
        let base = "category contact\npurpose marketing\n";
        let file = |name: &str, text: &str| PolicyText {
            relative: name.into(),
            display: name.into(),
            bytes: text.as_bytes().to_vec(),
        };
        let rule = "{ allow contact for marketing }\n";
        let texts = vec![
            file("b.policy", &format!("rule z {rule}rule a {rule}rule a {rule}")),
            file("a.policy", &format!("{base}rule m {rule}rule a {rule}")),
        ];
        let err = load_texts(texts).err().unwrap();
        let at = |p: &Place| match p {
            Place::Span(s) => {
                let l = err.sources.location(*s);
                (l.file, l.line)
            }
            Place::File(f) => (f.clone(), 0),
        };
        let found: Vec<_> = err.problems.iter().map(|p| (p.code, at(&p.place), at(&p.related[0].place))).collect();
        // a.policy is read first, so its `a` (line 4) is the first declaration.
        let first = ("a.policy".to_string(), 4);
        assert_eq!(
            found,
            [
                (Code::Duplicate, ("b.policy".to_string(), 2), first.clone()),
                (Code::Duplicate, ("b.policy".to_string(), 3), first)
            ]
        );
    }

    #[test]
    fn nested_and_dotted_declarations_build_one_taxonomy() {
        let p =
            load("category contact.whatsapp\ncategory contact { category email }\ncategory x under contact.email\n")
                .unwrap();
        let t = &p.categories;
        let (email, whatsapp, x) =
            (t.lookup("contact.email").unwrap(), t.lookup("contact.whatsapp").unwrap(), t.lookup("x").unwrap());
        let contact = t.lookup("contact").unwrap();
        assert!(t.is_under(email, contact) && t.is_under(whatsapp, contact) && t.is_under(x, email));
    }

    /// `purpose q under pii` where `pii` is a category: said so, not "unknown purpose".
    #[test]
    fn a_parent_of_the_other_kind_is_named_as_such() {
        let Err(e) = load("category pii { category email }\npurpose m\npurpose q under pii.email\n") else {
            panic!("accepted")
        };
        assert_eq!(e.problems[0].message, "`pii.email` is a category, not a purpose");
        assert_eq!(
            e.problems[0].help.as_deref(),
            Some("`under` adds parents of the same kind: a purpose is under other purposes")
        );
    }

    #[test]
    fn a_dotted_child_needs_its_parent_and_nested_children_are_single_names() {
        assert_eq!(codes("category a.b\n"), [Code::UnknownName]);
        assert_eq!(codes("category a { category b.c }\n"), [Code::Syntax]);
    }

    #[test]
    fn a_duration_may_break_between_its_number_and_unit_or_join_them() {
        // Spec 1: white space and newlines are insignificant outside strings.
        let whole = load("category c\npurpose p\nrule r { retain c for p at most 24 months }\n").unwrap();
        for written in ["24\n    months", "24months", "24\tmonths"] {
            let other =
                load(&format!("category c\npurpose p\nrule r {{ retain c for p at most {written} }}\n")).unwrap();
            assert_eq!(format!("{:?}", other.rules[0].effect), format!("{:?}", whole.rules[0].effect), "{written}");
        }
    }

    /// Spec 1 reserves keywords for names; a value (`WORD`) may be spelt like one, as the
    /// country codes `at`, `is` and `in` are. `true` and `false` stay booleans.
    #[test]
    fn a_value_may_be_spelt_like_a_keyword() {
        let policy = load(
            "category c\npurpose p\nset regions = [at, is, in, set]\n\
             rule r { deny c for p when owner == all or labels.x in [not, and, because] or audience.regions overlaps regions }\n",
        )
        .unwrap();
        let text = format!("{:?}", policy.rules[0].condition);
        for word in ["\"all\"", "\"not\"", "\"and\"", "\"because\""] {
            assert!(text.contains(word), "{word} in {text}");
        }
        assert_eq!(policy.sets.len(), 1);
        assert!(load("category c\npurpose p\nrule r { deny c for p when labels.x == true }\n").is_err());
    }

    /// README: `lagom::duplicate` is a name declared or listed twice; a scope or `under`
    /// list that names one twice validated silently.
    #[test]
    fn a_name_listed_twice_in_a_scope_or_under_is_a_duplicate() {
        let text = "basis consent\ncategory s\ncategory c under s, s\npurpose p\nrule a { allow c, s, c for p, p }\n";
        let problems = match load(text) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.problems,
        };
        let found: Vec<(Code, &str, &str)> = problems
            .iter()
            .map(|p| {
                let at = match p.place {
                    Place::Span(s) => text.get(s.start..s.end).unwrap_or(""),
                    _ => "",
                };
                (p.code, p.message.as_str(), at)
            })
            .collect();
        assert_eq!(
            found,
            [
                (Code::Duplicate, "`s` is listed twice in `under`", "s"),
                (Code::Duplicate, "`c` is listed twice in the rule's categories", "c"),
                (Code::Duplicate, "`p` is listed twice in the rule's purposes", "p"),
            ]
        );
        // The second of each is underlined, the first shown beside it.
        let spans: Vec<usize> = problems
            .iter()
            .map(|p| match p.place {
                Place::Span(s) => s.start,
                _ => 0,
            })
            .collect();
        assert_eq!(spans, [text.find("s, s").unwrap() + 3, text.rfind("c for").unwrap(), text.rfind('p').unwrap()]);
        assert_eq!(
            problems[0].help.as_deref(),
            Some("remove this `s` and the comma before it: the first one already names it")
        );
        // Followed, the help leaves a valid policy.
        assert!(load("basis consent\ncategory s\ncategory c under s\npurpose p\nrule a { allow c, s for p }\n").is_ok());
    }

    #[test]
    fn a_missing_parent_is_never_answered_with_a_path_under_it() {
        let help = |text: &str| match load(text) {
            Ok(_) => panic!("{text} was accepted"),
            Err(e) => e.problems.first().and_then(|p| p.help.clone()).unwrap_or_default(),
        };
        assert_eq!(
            help("category later.sub\ncategory c\n"),
            "declare `category later` first, with or without children"
        );
        assert_eq!(help("category latter\ncategory later.sub\n"), "did you mean `latter`?");
        // A node is never offered as its own extra parent (`under` itself is a cycle).
        assert_eq!(help("purpose other\npurpose abcd under abce\n"), "declared purposes: `other`");
    }

    #[test]
    fn sets_flatten_through_other_sets_declared_later() {
        let p = load("set nordic = [SE, more]\nset more = [DK, \"NO\"]\n").unwrap();
        assert_eq!(p.sets["nordic"].0, ["SE", "DK", "NO"]);
        assert_eq!(codes("set a = [b]\nset b = [a]\n"), [Code::Cycle, Code::Cycle]);
        assert_eq!(codes("basis consent\nset consent = [x]\n"), [Code::Duplicate]);
    }

    #[test]
    fn rules_resolve_their_scope_and_are_ordered_by_name() {
        let p =
            load("category c { category d }\npurpose m\nrule z { allow c.d for * }\nrule a { deny campaign for m }\n")
                .unwrap();
        let names: Vec<&str> = p.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "z"]);
        assert!(matches!(p.rules[0].scope, RuleScope::Campaign { .. }));
        assert!(matches!(&p.rules[1].scope, RuleScope::Uses { purposes: Targets::Any, .. }));
        assert_eq!(p.rule_named("z").map(|r| r.name.as_str()), Some("z"));
        assert_eq!(p.rule_named("a").map(|r| r.name.as_str()), Some("a"));
        assert!(p.rule_named("m").is_none());
    }

    #[test]
    fn campaign_is_only_for_deny_and_warn_and_only_left_of_for() {
        assert_eq!(codes("purpose m\nrule a { allow campaign for m }\n"), [Code::CampaignScope]);
        assert_eq!(codes("purpose m\nrule a { retain campaign for m at most 1 day }\n"), [Code::CampaignScope]);
        assert_eq!(codes("category c\nrule a { deny c for campaign }\n"), [Code::CampaignScope]);
    }

    #[test]
    fn one_header_per_policy() {
        assert_eq!(codes("policy \"a\"\npolicy \"b\"\n"), [Code::Duplicate]);
    }
}
