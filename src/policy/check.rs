//! Name resolution across all files of a policy: vocabularies, sets, taxonomies and rules.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::model::*;
use super::taxonomy::{TaxonId, TaxonNode, Taxonomy};
use super::typecheck::{Site, TypeChecker};
use crate::diagnostic::{did_you_mean, suggest, Code, Place, Problem};
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

/// Help for a dotted path whose parent is not declared: a close name, but not one under the
/// missing parent itself (`later.sub` is no answer for `later`), else how to declare it.
fn missing_parent_help(kind: Kind, parent: &str, names: &[&str]) -> String {
    let under = format!("{parent}.");
    match suggest(parent, names.iter().copied().filter(|n| !n.starts_with(&under))) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("declare `{kind} {parent}` first, with or without children", kind = kind.word()),
    }
}

/// Checks parsed files as one policy.
pub(super) fn check(
    files: &[ast::PolicyFile],
    sources: SourceMap,
    digest: String,
) -> Result<CheckedPolicy, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut header: Option<&ast::Header> = None;
    let mut bases = Vocabulary::default();
    let mut channels = Vocabulary::default();
    let mut set_decls: Vec<&ast::SetDecl> = Vec::new();
    let mut category_decls: Vec<&ast::TaxonDecl> = Vec::new();
    let mut purpose_decls: Vec<&ast::TaxonDecl> = Vec::new();
    let mut rule_decls: Vec<&ast::RuleDecl> = Vec::new();

    for item in files.iter().flat_map(|f| &f.items) {
        match item {
            Item::Header(h) => match header {
                Some(first) => problems.push(
                    duplicate("policy header", "", h.span, first.span)
                        .with_help("a policy has one `policy \"name\"` line, in one of its files: remove the other"),
                ),
                None => header = Some(h),
            },
            Item::Basis(entries) => declare_entries(&mut bases, entries, "lawful basis", &mut problems),
            Item::Channel(entries) => declare_entries(&mut channels, entries, "channel", &mut problems),
            Item::Set(s) => set_decls.push(s),
            Item::Category(c) => category_decls.push(c),
            Item::Purpose(p) => purpose_decls.push(p),
            Item::Rule(r) => rule_decls.push(r),
        }
    }

    // Each taxonomy knows the other's names, to say `under pii` names a category, not a purpose.
    let (category_paths, purpose_paths) = (declared_paths(&category_decls), declared_paths(&purpose_decls));
    let categories: Taxonomy<CategoryId> =
        build_taxonomy(Kind::Category, &category_decls, &purpose_paths, &sources, &mut problems);
    let purposes: Taxonomy<PurposeId> =
        build_taxonomy(Kind::Purpose, &purpose_decls, &category_paths, &sources, &mut problems);
    let sets = super::sets::resolve_sets(&set_decls, &bases, &channels, &categories, &purposes, &mut problems);

    // Rules are checked in name order, which is the order they are kept in (spec 3.1); the
    // sort is stable, so the first of two rules with one name is the first in file order.
    rule_decls.sort_by(|a, b| a.name.name.cmp(&b.name.name));
    let mut rules = Vec::with_capacity(rule_decls.len());
    {
        let types = TypeChecker {
            bases: &bases,
            channels: &channels,
            categories: &categories,
            purposes: &purposes,
            sets: &sets,
            sources: &sources,
            patterns: Default::default(),
        };
        let mut distinct: Vec<&ast::RuleDecl> = Vec::with_capacity(rule_decls.len());
        for r in &rule_decls {
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
                (check_rule(r, &types, &mut found), found)
            })
            .collect();
        for (rule, mut found) in checked {
            problems.append(&mut found);
            rules.extend(rule);
        }
    }
    if problems.is_empty() {
        problems.extend(super::scope_size::too_wide(&rules, &categories, &purposes));
    }
    if !problems.is_empty() {
        crate::diagnostic::sort_problems(&mut problems, &sources);
        return Err(problems);
    }
    let set_uses = super::sets::set_uses(&set_decls, &rule_decls, &sets);
    let mut declarations: Vec<Span> =
        rule_decls.iter().map(|r| r.span).chain(set_decls.iter().map(|s| s.span)).collect();
    let mut taxa: Vec<&ast::TaxonDecl> = category_decls.iter().chain(&purpose_decls).copied().collect();
    while let Some(t) = taxa.pop() {
        declarations.push(t.span);
        taxa.extend(&t.children);
    }
    let searches = |_: &FieldUse, test: &CheckedTest| matches!(test, CheckedTest::Matches(_));
    let searches_texts = rules.iter().filter_map(|r| r.condition.as_ref()).any(|c| c.any_test(&searches));
    Ok(CheckedPolicy {
        searches_texts,
        name: header.map(|h| h.name.value.clone()),
        version: header.and_then(|h| h.version.as_ref().map(|v| v.value.clone())),
        digest,
        bases,
        channels,
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

pub(super) fn duplicate(what: &str, name: &str, later: Span, first: Span) -> Problem {
    let shown = if name.is_empty() { String::new() } else { format!(" `{name}`") };
    Problem::at(Code::Duplicate, later, format!("{what}{shown} is declared twice"), "declared again here")
        .with_related(Place::Span(first), "first declared here")
        .with_help("remove one of the two declarations or give one another name")
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

/// Declarations flattened to full paths, before parents are resolved.
struct Flat<'a> {
    path: String,
    decl: &'a ast::TaxonDecl,
    /// The enclosing declaration's path, for nested children.
    nested_parent: Option<String>,
}

fn flatten<'a>(decl: &'a ast::TaxonDecl, prefix: Option<&str>, out: &mut Vec<Flat<'a>>) {
    let path = match prefix {
        // A dotted name inside braces is a syntax error (`syntax/nested.rs`).
        Some(p) => format!("{p}.{}", decl.path.text),
        None => decl.path.text.clone(),
    };
    for child in &decl.children {
        flatten(child, Some(&path), out);
    }
    out.push(Flat { path, decl, nested_parent: prefix.map(str::to_string) });
}

/// Every path the declarations declare, nested ones included.
fn declared_paths(decls: &[&ast::TaxonDecl]) -> std::collections::HashSet<String> {
    let mut flat = Vec::new();
    for d in decls {
        flatten(d, None, &mut flat);
    }
    flat.into_iter().map(|f| f.path).collect()
}

fn build_taxonomy<Id: TaxonId>(
    kind: Kind,
    decls: &[&ast::TaxonDecl],
    other_kind: &std::collections::HashSet<String>,
    sources: &SourceMap,
    problems: &mut Vec<Problem>,
) -> Taxonomy<Id> {
    let mut flat = Vec::new();
    for d in decls {
        flatten(d, None, &mut flat);
    }
    // Declaration order is made canonical (by path) so ids never depend on file order.
    flat.sort_by(|a, b| a.path.cmp(&b.path).then(a.decl.path.span.cmp(&b.decl.path.span)));
    // A node's id is its place among the unique paths, which is its place in the taxonomy.
    let mut index: BTreeMap<String, Id> = BTreeMap::new();
    let mut unique: Vec<&Flat> = Vec::new();
    for f in &flat {
        if let Some(&first) = index.get(&f.path) {
            let first_span = unique.get(first.index() as usize).map_or(f.decl.path.span, |u| u.decl.path.span);
            problems.push(duplicate(kind.word(), &f.path, f.decl.path.span, first_span));
            continue;
        }
        index.insert(f.path.clone(), Id::from_index(unique.len() as u32));
        unique.push(f);
    }
    if unique.len() > MAX_TAXONOMY_NODES {
        let span =
            unique.get(MAX_TAXONOMY_NODES).map_or(decls.first().map(|d| d.path.span), |f| Some(f.decl.path.span));
        if let Some(span) = span {
            problems.push(
                Problem::at(
                    Code::Limit,
                    span,
                    format!("more than {MAX_TAXONOMY_NODES} {}", kind.plural()),
                    "limit reached",
                )
                .with_help("a taxonomy this large is not reviewable; group the entries under fewer nodes"),
            );
        }
        return Taxonomy::default();
    }
    let names: Vec<&str> = index.keys().map(String::as_str).collect();
    let mut nodes = Vec::with_capacity(unique.len());
    for f in &unique {
        let mut parents = Vec::new();
        let dotted_parent = f.nested_parent.clone().or_else(|| f.path.rsplit_once('.').map(|(p, _)| p.to_string()));
        if let Some(parent) = dotted_parent {
            match index.get(&parent) {
                Some(&p) => parents.push(p),
                None => problems.push(
                    Problem::at(
                        Code::UnknownName,
                        f.decl.path.span,
                        format!("the parent {} `{parent}` of `{}` is not declared", kind.word(), f.path),
                        format!("`{parent}` is not declared"),
                    )
                    .with_help(missing_parent_help(kind, &parent, &names)),
                ),
            }
        }
        for u in &f.decl.under {
            match index.get(&u.text) {
                Some(&p) if !parents.contains(&p) => parents.push(p),
                Some(_) => {}
                None if other_kind.contains(&u.text) => problems.push(
                    Problem::at(
                        Code::UnknownName,
                        u.span,
                        format!("`{}` is a {}, not a {}", u.text, kind.other().word(), kind.word()),
                        format!("a {}, not a {}", kind.other().word(), kind.word()),
                    )
                    .with_help(format!(
                        "`under` adds parents of the same kind: a {} is under other {}",
                        kind.word(),
                        kind.plural()
                    )),
                ),
                None => {
                    // Itself is no suggestion: `under` it would be a cycle.
                    let others: Vec<&str> = names.iter().copied().filter(|n| *n != f.path).collect();
                    problems.push(unknown_path(kind, u, &others));
                }
            }
        }
        nodes.push(TaxonNode {
            path: f.path.clone(),
            label: f.decl.label.as_ref().map(|l| l.value.clone()),
            span: f.decl.path.span,
            parents,
        });
    }
    match Taxonomy::build(nodes.clone()) {
        Ok(t) => t,
        Err(cycles) => {
            let node = |id: Id| nodes.get(id.index() as usize);
            for cycle in &cycles {
                let shown: Vec<String> =
                    cycle.iter().map(|&i| format!("`{}`", node(i).map_or("", |n| n.path.as_str()))).collect();
                let Some(first) = cycle.first().and_then(|&i| node(i)) else { continue };
                let mut p = Problem::at(
                    Code::Cycle,
                    first.span,
                    format!("the {} taxonomy has a cycle: {}", kind.word(), shown.join(" → ")),
                    "this cycle starts here",
                )
                .with_help("a taxonomy must not lead back to itself: remove one `under` of the cycle");
                for &i in cycle.iter().skip(1).take(cycle.len().saturating_sub(2)) {
                    if let Some(n) = node(i) {
                        p = p.with_related(Place::Span(n.span), format!("`{}` is part of the cycle", n.path));
                    }
                }
                problems.push(p);
            }
            let _ = sources;
            // Keep the names resolvable so that rules naming them get no second, false error:
            // the nodes of a cycle simply lose their parents.
            let in_cycle: Vec<bool> =
                (0..nodes.len()).map(|i| cycles.iter().any(|c| c.contains(&Id::from_index(i as u32)))).collect();
            let acyclic: Vec<TaxonNode<Id>> = nodes
                .into_iter()
                .zip(in_cycle)
                .map(|(mut n, cyclic)| {
                    if cyclic {
                        n.parents.clear();
                    }
                    n
                })
                .collect();
            Taxonomy::build(acyclic).unwrap_or_default()
        }
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

fn check_rule(r: &ast::RuleDecl, types: &TypeChecker, problems: &mut Vec<Problem>) -> Option<CheckedRule> {
    let before = problems.len();
    let effect = match &r.effect.kind {
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
    };
    if let ast::Targets::Campaign(span) = r.effect.purposes {
        problems.push(
            Problem::at(Code::CampaignScope, span, "`campaign` can only stand left of `for`", "not a purpose")
                .with_help("write `deny campaign for PURPOSES`"),
        );
    }
    let purposes = resolve_targets(Kind::Purpose, &r.effect.purposes, types, types.purposes, problems);
    let scope = match &r.effect.categories {
        ast::Targets::Campaign(span) => {
            if matches!(effect, RuleEffect::Allow | RuleEffect::Retain(_)) {
                problems.push(
                    Problem::at(
                        Code::CampaignScope,
                        *span,
                        format!("`{}` cannot apply to the whole campaign", effect.as_str()),
                        "only `deny` and `warn` take `campaign`",
                    )
                    .with_help(match effect {
                        RuleEffect::Retain(_) => "name the categories whose retention is capped, e.g. `retain contact for marketing at most 24 months`",
                        _ => "name the categories instead, e.g. `allow contact.email for marketing`",
                    }),
                );
            }
            RuleScope::Campaign { purposes: to_targets(purposes) }
        }
        other => {
            let cats = resolve_targets(Kind::Category, other, types, types.categories, problems);
            RuleScope::Uses { categories: to_targets(cats), purposes: to_targets(purposes) }
        }
    };
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
