//! The canonical layout of conditions: one line when it fits; otherwise one operand per line,
//! `and` / `or` leading. At the top of a condition the operators line up under the end of
//! `when` / `unless`; inside parentheses they line up under the first operand.

use super::items::{duration_text, list};
use super::writer::{Writer, WIDTH};
use crate::source::Span;
use crate::syntax::ast::*;

/// Text width in characters.
pub(super) fn width(s: &str) -> usize {
    s.chars().count()
}

/// `when E` / `unless E` at `indent`.
pub(super) fn condition(w: &mut Writer, c: &Condition, indent: usize) {
    let keyword = if c.negated { "unless" } else { "when" };
    // The rule's `{` is one level (hence `<`); the brackets that only show a grouping are left
    // out where they would take the condition past the limit the parser holds every file to,
    // so that `fmt` lays out every file `validate` accepts.
    w.clarify = true;
    w.clarify = depth(w, &c.expr) < crate::syntax::MAX_NESTING;
    // Comments before the keyword go before it; one after it stays after it.
    w.flush(c.span.start);
    w.token(Span { end: c.span.start + keyword.len(), ..c.span }, keyword);
    w.space();
    match &c.expr {
        Expr::Or(items) | Expr::And(items) if !fits(w, &c.expr, 0) => {
            let op = operator(&c.expr);
            chain(w, op, items, (indent + keyword.len()).saturating_sub(op.len()), 0);
        }
        e => expr(w, e, 0),
    }
}

fn operator(e: &Expr) -> &'static str {
    match e {
        Expr::Or(_) => "or",
        _ => "and",
    }
}

/// The first and last source offsets of an expression.
fn range(e: &Expr) -> (usize, usize) {
    match e {
        Expr::Or(items) | Expr::And(items) => {
            (items.first().map_or(0, |i| range(i).0), items.last().map_or(0, |i| range(i).1))
        }
        Expr::Not(inner) => range(inner),
        Expr::Quant { list, body, .. } => (list.span.start, range(body).1),
        Expr::Test { field, test, .. } => {
            let end = match test {
                Test::Under(p) => p.span.end,
                Test::Compare(_, _, v) => v.span().end,
                Test::Truthy | Test::IsSet { .. } | Test::IsEmpty { .. } => field.span.end,
            };
            (field.span.start, end)
        }
    }
}

fn fits(w: &Writer, e: &Expr, reserve: usize) -> bool {
    let (start, end) = range(e);
    w.col() + width(&flat(w, e)) + reserve <= WIDTH && !w.has_comment(start, end)
}

/// Parentheses keep the tree as written: a chain inside a chain of the same operator, and an
/// `or` inside an `and` or a `not`. An `and` inside an `or` gets them too, though `and` binds
/// tighter without them: readers take `a or b and c` as `(a or b) and c` often enough that an
/// allow rule read that way lets data through, so the layout shows the grouping (unless the
/// writer says otherwise, [`Writer::clarify`]).
fn needs_parens(w: &Writer, e: &Expr, parent: Option<&str>) -> bool {
    match (e, parent) {
        (Expr::Or(_), _) | (Expr::And(_), Some("and") | None) => true,
        (Expr::And(_), Some("or")) => w.clarify,
        _ => false,
    }
}

/// How many brackets deep the layout of `e` goes, as the parser counts them: parentheses,
/// a quantifier's and a list's.
fn depth(w: &Writer, e: &Expr) -> usize {
    let bracketed = |inner: &Expr, parent: Option<&str>| usize::from(needs_parens(w, inner, parent)) + depth(w, inner);
    match e {
        Expr::Or(items) | Expr::And(items) => items.iter().map(|i| bracketed(i, Some(operator(e)))).max().unwrap_or(0),
        Expr::Not(inner) => bracketed(inner, None),
        Expr::Quant { body, .. } => 1 + depth(w, body),
        Expr::Test { test: Test::Compare(_, _, v), .. } => value_depth(v),
        Expr::Test { .. } => 0,
    }
}

/// How many brackets deep a value is (a list in a list in …).
fn value_depth(v: &Value) -> usize {
    match v {
        Value::List(items, _) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// An expression at the current column, broken over lines when it does not fit.
fn expr(w: &mut Writer, e: &Expr, reserve: usize) {
    if fits(w, e, reserve) {
        return write_flat(w, e);
    }
    match e {
        Expr::Or(items) | Expr::And(items) => {
            let col = w.col();
            chain(w, operator(e), items, col, reserve);
        }
        Expr::Not(inner) => {
            w.flush(range(inner).0);
            w.keyword("not");
            w.space();
            operand(w, inner, None, reserve);
        }
        Expr::Quant { kind, list, body, span } => {
            w.token(Span { end: span.start + 3, ..*span }, quantifier(*kind));
            w.space();
            w.token(list.span, &list.text);
            w.flush(range(body).0);
            w.space();
            w.keyword("(");
            expr(w, body, reserve + 1);
            w.token(Span { start: span.end.saturating_sub(1), ..*span }, ")");
        }
        Expr::Test { field, test, .. } => write_test(w, field, test, reserve),
    }
}

fn operand(w: &mut Writer, e: &Expr, parent: Option<&str>, reserve: usize) {
    if needs_parens(w, e, parent) {
        w.keyword("(");
        expr(w, e, reserve + 1);
        w.keyword(")");
    } else {
        expr(w, e, reserve);
    }
}

/// Operands one per line, the operator leading at `op_col`.
fn chain(w: &mut Writer, op: &'static str, items: &[Expr], op_col: usize, reserve: usize) {
    for (i, item) in items.iter().enumerate() {
        let last = if i + 1 == items.len() { reserve } else { 0 };
        if i > 0 {
            w.flush_before(op, range(item).0);
            w.newline(op_col);
            w.keyword(op);
            w.space();
        }
        w.set_cont(op_col + op.len() + 1);
        operand(w, item, Some(op), last);
    }
}

fn quantifier(q: Quantifier) -> &'static str {
    match q {
        Quantifier::Any => "any",
        Quantifier::All => "all",
    }
}

/// Writes an expression on one line (no comment lies inside it).
fn write_flat(w: &mut Writer, e: &Expr) {
    match e {
        Expr::Or(items) | Expr::And(items) => {
            let op = operator(e);
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    w.space();
                    w.keyword(op);
                    w.space();
                }
                let parens = needs_parens(w, item, Some(op));
                if parens {
                    w.keyword("(");
                }
                write_flat(w, item);
                if parens {
                    w.keyword(")");
                }
            }
        }
        Expr::Not(inner) => {
            w.keyword("not");
            w.space();
            let parens = needs_parens(w, inner, None);
            if parens {
                w.keyword("(");
            }
            write_flat(w, inner);
            if parens {
                w.keyword(")");
            }
        }
        Expr::Quant { kind, list, body, span } => {
            w.token(Span { end: span.start + 3, ..*span }, quantifier(*kind));
            w.space();
            w.token(list.span, &list.text);
            w.space();
            w.keyword("(");
            write_flat(w, body);
            w.token(Span { start: span.end.saturating_sub(1), ..*span }, ")");
        }
        Expr::Test { field, test, .. } => write_test(w, field, test, 0),
    }
}

fn write_test(w: &mut Writer, field: &FieldRef, test: &Test, reserve: usize) {
    w.token(field.span, &field.text);
    match test {
        Test::Truthy => {}
        Test::IsSet { negated } | Test::IsEmpty { negated } => {
            w.space();
            w.keyword("is");
            if *negated {
                w.space();
                w.keyword("not");
            }
            w.space();
            w.keyword(if matches!(test, Test::IsSet { .. }) { "set" } else { "empty" });
        }
        Test::Under(p) => {
            w.flush_before("under", p.span.start);
            w.space();
            w.keyword("under");
            w.space();
            w.token(p.span, &p.text);
        }
        Test::Compare(op, _, v) => {
            w.flush_before(op.as_str(), v.span().start);
            w.space();
            w.keyword(op.as_str());
            w.space();
            value(w, v, reserve);
        }
    }
}

/// A value at the current column; a list fills lines.
pub(super) fn value(w: &mut Writer, v: &Value, reserve: usize) {
    match v {
        Value::List(items, span) => {
            let close = Span { start: span.end.saturating_sub(1), ..*span };
            w.flush(span.start);
            list(w, items, close, reserve);
        }
        other => {
            let text = flat_value(w, other);
            w.token(other.span(), &text);
        }
    }
}

/// A value on one line.
pub(super) fn flat_value(w: &Writer, v: &Value) -> String {
    match v {
        Value::Str(s) => w.slice(s.span).to_string(),
        Value::Duration(d) => duration_text(w, d),
        Value::Int(_, s) | Value::Bool(_, s) | Value::Word(_, s) => w.slice(*s).to_string(),
        Value::List(items, _) => {
            format!("[{}]", items.iter().map(|i| flat_value(w, i)).collect::<Vec<_>>().join(", "))
        }
    }
}

/// An expression on one line, as text.
fn flat(w: &Writer, e: &Expr) -> String {
    match e {
        Expr::Or(items) | Expr::And(items) => {
            let op = operator(e);
            let parts: Vec<String> = items
                .iter()
                .map(|i| if needs_parens(w, i, Some(op)) { format!("({})", flat(w, i)) } else { flat(w, i) })
                .collect();
            parts.join(&format!(" {op} "))
        }
        Expr::Not(inner) if needs_parens(w, inner, None) => format!("not ({})", flat(w, inner)),
        Expr::Not(inner) => format!("not {}", flat(w, inner)),
        Expr::Quant { kind, list, body, .. } => format!("{} {} ({})", quantifier(*kind), list.text, flat(w, body)),
        Expr::Test { field, test, .. } => match test {
            Test::Truthy => field.text.clone(),
            Test::IsSet { negated } => format!("{} is {}set", field.text, if *negated { "not " } else { "" }),
            Test::IsEmpty { negated } => format!("{} is {}empty", field.text, if *negated { "not " } else { "" }),
            Test::Under(p) => format!("{} under {}", field.text, p.text),
            Test::Compare(op, _, v) => format!("{} {} {}", field.text, op.as_str(), flat_value(w, v)),
        },
    }
}
