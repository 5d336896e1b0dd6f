//! Category and purpose names in rules and conditions: found in their taxonomy, or told
//! what else they are (a purpose where a category is due, the usual slip being a rule's two
//! sides swapped).

use super::{Site, TypeChecker};
use crate::diagnostic::{Code, Problem};
use crate::policy::check::{unknown_path, Kind};
use crate::policy::taxonomy::{TaxonId, Taxonomy};
use crate::syntax::ast;

impl TypeChecker<'_> {
    /// The node a path names in `tax`, else a problem naming `kind`.
    pub(in crate::policy) fn taxon<Id: TaxonId>(
        &self,
        kind: Kind,
        site: Site,
        tax: &Taxonomy<Id>,
        path: &ast::Path,
        problems: &mut Vec<Problem>,
    ) -> Option<Id> {
        let found = tax.lookup(&path.text);
        if found.is_none() {
            problems.push(self.unknown(kind, site, tax, path));
        }
        found
    }

    /// A path that `tax` does not hold: declared as something else (a purpose where a
    /// category is due, the usual slip being a rule's two sides swapped), or unknown.
    fn unknown<Id: TaxonId>(&self, kind: Kind, site: Site, tax: &Taxonomy<Id>, path: &ast::Path) -> Problem {
        let Some(other) = self.declared_as(&path.text) else {
            let problem = unknown_path(kind, path, &tax.paths().collect::<Vec<_>>());
            return match tax.child_through_under_help(&path.text) {
                Some(help) => problem.with_help(help),
                None => problem,
            };
        };
        let help = match (site, kind) {
            (Site::Scope, Kind::Category) => {
                "a rule's scope is `CATEGORIES for PURPOSES`: data categories stand left of `for`".to_string()
            }
            (Site::Scope, Kind::Purpose) => {
                "a rule's scope is `CATEGORIES for PURPOSES`: purposes stand right of `for`".to_string()
            }
            (Site::Condition, _) => match other.field() {
                // `under` first where the name has others under it: `==` there would draw
                // the `exact_parent` warning.
                Some(field) if self.has_others_under(&path.text) => format!(
                    "to test the {}, name `{field}`: `{field} under {p}` (or `{field} == {p}` for `{p}` alone, not \
                     what is under it)",
                    other.noun(),
                    p = path.text
                ),
                Some(field) => format!("to test the {}, name `{field}`: `{field} == {p}`", other.noun(), p = path.text),
                None => format!("this field holds a {}; name a declared {}", kind.word(), kind.word()),
            },
        };
        let wanted = match kind {
            Kind::Category => Declared::Category,
            Kind::Purpose => Declared::Purpose,
        };
        Problem::at(
            Code::UnknownName,
            path.span,
            format!("`{}` is a {}, not a {}", path.text, other.noun(), wanted.noun()),
            format!("a {}, not a {}", other.noun(), wanted.noun()),
        )
        .with_help(help)
    }

    /// Whether a category or purpose of that name has others under it.
    fn has_others_under(&self, name: &str) -> bool {
        let categories = self.categories.lookup(name).map(|id| self.categories.has_children(id));
        let purposes = self.purposes.lookup(name).map(|id| self.purposes.has_children(id));
        categories.or(purposes).unwrap_or(false)
    }

    /// What a name is declared as, when it is declared at all.
    pub(super) fn declared_as(&self, name: &str) -> Option<Declared> {
        if self.categories.lookup(name).is_some() {
            Some(Declared::Category)
        } else if self.purposes.lookup(name).is_some() {
            Some(Declared::Purpose)
        } else if self.bases.contains(name) {
            Some(Declared::Basis)
        } else if self.channels.contains(name) {
            Some(Declared::Channel)
        } else if self.sets.contains_key(name) {
            Some(Declared::Set)
        } else {
            None
        }
    }
}

/// The kinds of declared names, to say what a name of the wrong kind is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Declared {
    Category,
    Purpose,
    Basis,
    Channel,
    Set,
}

impl Declared {
    /// In words, as messages name it.
    pub(super) fn noun(self) -> &'static str {
        match self {
            Declared::Category => "data category",
            Declared::Purpose => "purpose",
            Declared::Basis => "lawful basis",
            Declared::Channel => "channel",
            Declared::Set => "set",
        }
    }

    /// A test that names `name`, for a help line.
    pub(super) fn example_test(self, name: &str) -> String {
        match self {
            Declared::Category => format!("`category under {name}`"),
            Declared::Purpose => format!("`purpose under {name}`"),
            Declared::Basis => format!("`basis == {name}`"),
            Declared::Channel => format!("`channels contains {name}`"),
            Declared::Set => format!("`channels overlaps {name}` or `basis in {name}`"),
        }
    }

    /// The use field that holds names of this kind, for the two taxonomies.
    pub(super) fn field(self) -> Option<&'static str> {
        match self {
            Declared::Category => Some("category"),
            Declared::Purpose => Some("purpose"),
            Declared::Basis | Declared::Channel | Declared::Set => None,
        }
    }
}
