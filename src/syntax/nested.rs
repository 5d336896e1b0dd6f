//! The one rule of the grammar that both parsers leave to a walk over the tree (spec 1): a
//! category or purpose nested in braces is a single name. Checked here, in the syntax stage,
//! so that every command that reads policy text (`validate`, `check`, `fmt`) refuses the same
//! files: `lagom fmt` used to lay out a file that `validate` rejected.

use super::ast::{Item, PolicyFile, TaxonDecl};
use crate::diagnostic::{Code, Problem};

/// A problem for every dotted name inside braces.
pub(super) fn dotted_children(tree: &PolicyFile) -> Vec<Problem> {
    let mut problems = Vec::new();
    for item in &tree.items {
        let (word, decl) = match item {
            Item::Category(d) => ("category", d),
            Item::Purpose(d) => ("purpose", d),
            Item::Header(_) | Item::Basis(_) | Item::Channel(_) | Item::Set(_) | Item::Rule(_) => continue,
        };
        for child in &decl.children {
            visit(word, &decl.path.text, child, &mut problems);
        }
    }
    problems
}

fn visit(word: &str, parent: &str, decl: &TaxonDecl, problems: &mut Vec<Problem>) {
    let name = &decl.path.text;
    if name.contains('.') {
        // `category behaviour { category behaviour.browsing }` meant the full name: then the
        // part after the parent is what goes inside.
        let relative = name.strip_prefix(&format!("{parent}.")).unwrap_or(name);
        let full = format!("{parent}.{relative}");
        let help = match relative.rsplit_once('.') {
            // `b.c` inside `a`: nest `c` in a `b`, or declare `a.b.c` beside an `a.b`.
            Some((middle, last)) => {
                let opening: Vec<String> = middle.split('.').map(|m| format!("{word} {m} {{")).collect();
                let closing = " }".repeat(opening.len());
                format!(
                    "nest it, `{} {word} {last}{closing}`, inside `{parent}`; or declare `{word} {full}` at the \
                     top level, once `{parent}.{middle}` exists",
                    opening.join(" ")
                )
            }
            None => format!("write `{word} {relative}` inside `{parent}`"),
        };
        problems.push(
            Problem::at(
                Code::Syntax,
                decl.path.span,
                format!("a nested {word} is a single name, not `{name}`"),
                "dotted name inside braces",
            )
            .with_help(help),
        );
    }
    let path = format!("{parent}.{name}");
    for child in &decl.children {
        visit(word, &path, child, problems);
    }
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse_file;

    fn errors(text: &str) -> Vec<(String, Option<String>)> {
        parse_file(FileId(0), text).err().unwrap_or_default().into_iter().map(|p| (p.message, p.help)).collect()
    }

    #[test]
    fn a_dotted_name_inside_braces_is_a_syntax_error_at_every_depth() {
        let found = errors("category a { category b.c }\npurpose m { purpose n { purpose m.n.o } }\n");
        assert_eq!(
            found,
            [
                (
                    "a nested category is a single name, not `b.c`".to_string(),
                    Some(
                        "nest it, `category b { category c }`, inside `a`; or declare `category a.b.c` at the \
                         top level, once `a.b` exists"
                            .to_string()
                    )
                ),
                (
                    "a nested purpose is a single name, not `m.n.o`".to_string(),
                    Some("write `purpose o` inside `m.n`".to_string())
                ),
            ]
        );
    }

    #[test]
    fn dotted_names_at_the_top_level_and_single_names_inside_braces_parse() {
        assert!(errors("category a.b { category c { category d } }\npurpose m\n").is_empty());
    }
}
