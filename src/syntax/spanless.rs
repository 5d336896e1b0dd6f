//! Syntax trees without places: two files that say the same thing in different layouts have
//! equal span-free trees. `lagom fmt` uses this to prove it changed nothing but layout, and to
//! know where tokens start.

use super::ast::*;
use crate::source::{FileId, Span};

const NOWHERE: Span = Span { file: FileId(0), start: 0, end: 0 };

/// A copy of the tree with every span set to the same empty span.
pub fn without_spans(file: &PolicyFile) -> PolicyFile {
    let mut f = file.clone();
    visit_spans(&mut f, &mut |s| *s = NOWHERE);
    f
}

/// Calls `f` on every span of the tree.
pub fn visit_spans(file: &mut PolicyFile, f: &mut dyn FnMut(&mut Span)) {
    file.items.iter_mut().for_each(|i| item(i, f));
}

type Visit<'a> = &'a mut dyn FnMut(&mut Span);

fn item(i: &mut Item, f: Visit) {
    match i {
        Item::Header(h) => {
            f(&mut h.span);
            f(&mut h.name.span);
            h.version.iter_mut().for_each(|v| f(&mut v.span));
        }
        Item::Basis(entries) | Item::Channel(entries) => entries.iter_mut().for_each(|e| {
            f(&mut e.name.span);
            e.label.iter_mut().for_each(|l| f(&mut l.span));
        }),
        Item::Set(s) => {
            f(&mut s.span);
            f(&mut s.name.span);
            s.values.iter_mut().for_each(|v| value(v, f));
        }
        Item::Category(t) | Item::Purpose(t) => taxon(t, f),
        Item::Rule(r) => rule(r, f),
    }
}

fn taxon(t: &mut TaxonDecl, f: Visit) {
    f(&mut t.span);
    f(&mut t.path.span);
    t.label.iter_mut().for_each(|l| f(&mut l.span));
    t.under.iter_mut().for_each(|p| f(&mut p.span));
    t.children.iter_mut().for_each(|c| taxon(c, f));
}

fn rule(r: &mut RuleDecl, f: Visit) {
    f(&mut r.span);
    f(&mut r.name.span);
    f(&mut r.effect.keyword);
    targets(&mut r.effect.categories, f);
    targets(&mut r.effect.purposes, f);
    if let EffectKind::Retain(d) = &mut r.effect.kind {
        f(&mut d.span);
    }
    if let Some(c) = &mut r.condition {
        f(&mut c.span);
        expr(&mut c.expr, f);
    }
    r.because.iter_mut().for_each(|s| f(&mut s.span));
    r.cite.iter_mut().for_each(|s| f(&mut s.span));
}

fn targets(t: &mut Targets, f: Visit) {
    match t {
        Targets::Any(s) | Targets::Campaign(s) => f(s),
        Targets::Paths(paths) => paths.iter_mut().for_each(|p| f(&mut p.span)),
    }
}

fn expr(e: &mut Expr, f: Visit) {
    match e {
        Expr::Or(parts) | Expr::And(parts) => parts.iter_mut().for_each(|p| expr(p, f)),
        Expr::Not(inner) => expr(inner, f),
        Expr::Quant { span, list, body, .. } => {
            f(span);
            f(&mut list.span);
            expr(body, f);
        }
        Expr::Test { span, field, test } => {
            f(span);
            f(&mut field.span);
            match test {
                Test::Under(p) => f(&mut p.span),
                Test::Compare(_, op, v) => {
                    f(op);
                    value(v, f);
                }
                Test::Truthy | Test::IsSet { .. } | Test::IsEmpty { .. } => {}
            }
        }
    }
}

fn value(v: &mut Value, f: Visit) {
    match v {
        Value::Str(s) => f(&mut s.span),
        Value::Duration(d) => f(&mut d.span),
        Value::Int(_, s) | Value::Bool(_, s) | Value::Word(_, s) => f(s),
        Value::List(items, s) => {
            f(s);
            items.iter_mut().for_each(|i| value(i, f));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_file;

    #[test]
    fn layout_does_not_matter_but_content_does() {
        let a = parse_file(FileId(0), "rule r { allow a for b when x and y }").unwrap();
        let b = parse_file(FileId(1), "# c\nrule r {\n  allow a\n    for b\n  when x\n   and y\n}\n").unwrap();
        let c = parse_file(FileId(0), "rule r { allow a for b when x or y }").unwrap();
        assert_ne!(a, b);
        assert_eq!(without_spans(&a), without_spans(&b));
        assert_ne!(without_spans(&a), without_spans(&c));
    }
}
