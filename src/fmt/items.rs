//! The canonical layout of declarations and rules.

use super::expr::{condition, flat_value, value};
use super::writer::{Writer, WIDTH};
use crate::source::Span;
use crate::syntax::ast::*;

/// Writes a whole file.
pub(super) fn file(w: &mut Writer, f: &PolicyFile) {
    for (i, it) in f.items.iter().enumerate() {
        if i > 0 {
            w.newline(0);
        }
        w.boundary(item_start(it));
        item(w, it);
    }
}

fn item_start(it: &Item) -> usize {
    match it {
        Item::Header(h) => h.span.start,
        Item::Basis(e) | Item::Channel(e) => e.first().map_or(0, |e| e.name.span.start),
        Item::Set(s) => s.span.start,
        Item::Category(t) | Item::Purpose(t) => t.span.start,
        Item::Rule(r) => r.span.start,
    }
}

fn item(w: &mut Writer, it: &Item) {
    match it {
        Item::Header(h) => {
            w.token(keyword_at(h.span, "policy"), "policy");
            w.space();
            w.token(h.name.span, w.slice(h.name.span));
            if let Some(v) = &h.version {
                w.flush_before("version", v.span.start);
                w.space();
                w.keyword("version");
                w.space();
                w.token(v.span, w.slice(v.span));
            }
        }
        Item::Basis(entries) => vocabulary(w, "basis", entries),
        Item::Channel(entries) => vocabulary(w, "channel", entries),
        Item::Set(s) => {
            w.token(keyword_at(s.span, "set"), "set");
            w.space();
            w.token(s.name.span, &s.name.name);
            w.space();
            w.keyword("=");
            w.space();
            let close = Span { start: s.span.end.saturating_sub(1), ..s.span };
            list(w, &s.values, close, 0);
        }
        Item::Category(t) => taxon(w, "category", t, 0),
        Item::Purpose(t) => taxon(w, "purpose", t, 0),
        Item::Rule(r) => rule(w, r),
    }
}

/// The span of a keyword that starts at the start of `span`.
fn keyword_at(span: Span, word: &str) -> Span {
    Span { start: span.start, end: span.start + word.len(), ..span }
}

fn entry_text(w: &Writer, e: &Entry) -> String {
    match &e.label {
        Some(l) => format!("{} {}", e.name.name, w.slice(l.span)),
        None => e.name.name.clone(),
    }
}

/// `basis a, b "label"`: one line when it fits, else one entry per line.
fn vocabulary(w: &mut Writer, keyword: &str, entries: &[Entry]) {
    let texts: Vec<String> = entries.iter().map(|e| entry_text(w, e)).collect();
    let start = entries.first().map_or(0, |e| e.name.span.start);
    let end = entries.last().map_or(0, |e| e.label.as_ref().map_or(e.name.span.end, |l| l.span.end));
    let flat = keyword.len() + 1 + texts.iter().map(|t| t.len() + 2).sum::<usize>() - 2;
    let one_line = flat <= WIDTH && !w.has_comment(start, end);
    w.keyword(keyword);
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            w.keyword(",");
            if one_line {
                w.space();
            } else {
                w.flush(e.name.span.start);
                w.newline(keyword.len() + 1);
            }
        } else {
            w.space();
        }
        w.token(e.name.span, &e.name.name);
        if let Some(l) = &e.label {
            w.space();
            w.token(l.span, w.slice(l.span));
        }
    }
}

/// `[a, b, c]`, filled up to the width with continuation lines aligned after `[`. `reserve`
/// is the width of what follows on the same line.
pub(super) fn list(w: &mut Writer, values: &[Value], close: Span, reserve: usize) {
    w.keyword("[");
    let cont = w.col();
    w.set_cont(cont);
    for (i, v) in values.iter().enumerate() {
        let last = i + 1 == values.len();
        let piece = flat_value(w, v).len() + if last { 1 + reserve } else { 1 };
        if i > 0 {
            w.flush(v.span().start);
            if !w.is_fresh() {
                if w.col() + 1 + piece > WIDTH {
                    w.newline(cont);
                    w.set_cont(cont);
                } else {
                    w.space();
                }
            }
        }
        value(w, v, if last { 1 + reserve } else { 1 });
        if !last {
            w.keyword(",");
        }
    }
    w.token(close, "]");
}

fn taxon(w: &mut Writer, keyword: &str, t: &TaxonDecl, indent: usize) {
    w.token(keyword_at(t.span, keyword), keyword);
    w.space();
    w.token(t.path.span, &t.path.text);
    if let Some(l) = &t.label {
        w.space();
        w.token(l.span, w.slice(l.span));
    }
    for (i, p) in t.under.iter().enumerate() {
        // A comment after `under` or a `,` stays after it.
        w.flush_before(if i == 0 { "under" } else { "," }, p.span.start);
        if i == 0 {
            w.space();
            w.keyword("under");
        } else {
            w.keyword(",");
        }
        w.space();
        w.token(p.span, &p.text);
    }
    let braced = w.slice(t.span).ends_with('}');
    let head_end =
        t.under.last().map(|p| p.span.end).or(t.label.as_ref().map(|l| l.span.end)).unwrap_or(t.path.span.end);
    if t.children.is_empty() && !(braced && w.has_comment(head_end, t.span.end)) {
        return;
    }
    w.space();
    w.keyword("{");
    for child in &t.children {
        w.newline(indent + 2);
        w.boundary(child.span.start);
        taxon(w, keyword, child, indent + 2);
    }
    close_brace(w, t.span, indent);
}

/// The `}` that ends `span`, after the comments before it (indented as the block's body).
fn close_brace(w: &mut Writer, span: Span, indent: usize) {
    let close = Span { start: span.end.saturating_sub(1), ..span };
    w.newline(indent + 2);
    w.flush(close.start);
    w.newline(indent);
    w.token(close, "}");
}

fn rule(w: &mut Writer, r: &RuleDecl) {
    w.token(keyword_at(r.span, "rule"), "rule");
    w.space();
    w.token(r.name.span, &r.name.name);
    w.space();
    w.keyword("{");
    w.newline(2);
    effect(w, &r.effect);
    if let Some(c) = &r.condition {
        w.newline(2);
        condition(w, c, 2);
    }
    for (keyword, s) in [("because", &r.because), ("cite", &r.cite)] {
        if let Some(s) = s {
            w.newline(2);
            // A comment between the keyword and its text stays after the keyword.
            w.flush_before(keyword, s.span.start);
            w.keyword(keyword);
            w.space();
            w.token(s.span, w.slice(s.span));
        }
    }
    close_brace(w, r.span, 0);
}

fn targets_text(t: &Targets) -> String {
    match t {
        Targets::Any(_) => "*".into(),
        Targets::Campaign(_) => "campaign".into(),
        Targets::Paths(p) => p.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(", "),
    }
}

fn effect_word(e: &Effect) -> &'static str {
    match e.kind {
        EffectKind::Allow => "allow",
        EffectKind::Deny => "deny",
        EffectKind::Warn => "warn",
        EffectKind::Retain(_) => "retain",
    }
}

fn targets_start(t: &Targets) -> usize {
    match t {
        Targets::Any(s) | Targets::Campaign(s) => s.start,
        Targets::Paths(p) => p.first().map_or(0, |p| p.span.start),
    }
}

/// `allow CATEGORIES for PURPOSES`: one line when it fits, else the purposes on a second line.
fn effect(w: &mut Writer, e: &Effect) {
    let word = effect_word(e);
    let tail = match &e.kind {
        EffectKind::Retain(d) => format!(" at most {}", duration_text(w, d)),
        _ => String::new(),
    };
    let end = match &e.kind {
        EffectKind::Retain(d) => d.span.end,
        _ => targets_end(&e.purposes),
    };
    let flat = format!("{word} {} for {}{tail}", targets_text(&e.categories), targets_text(&e.purposes));
    let one_line = w.col() + flat.len() <= WIDTH && !w.has_comment(e.keyword.start, end);
    w.token(e.keyword, word);
    w.space();
    fill_targets(w, &e.categories, 2 + word.len() + 1);
    w.flush_before("for", targets_start(&e.purposes));
    if one_line {
        w.space();
    } else {
        w.newline(4);
    }
    w.keyword("for");
    w.space();
    fill_targets(w, &e.purposes, w.col());
    if let EffectKind::Retain(d) = &e.kind {
        w.flush_before("at", d.span.start);
        if !w.is_fresh() && w.col() + tail.len() > WIDTH {
            w.newline(4);
        }
        w.space();
        w.keyword("at most");
        w.space();
        w.token(d.span, &duration_text(w, d));
    }
}

fn targets_end(t: &Targets) -> usize {
    match t {
        Targets::Any(s) | Targets::Campaign(s) => s.end,
        Targets::Paths(p) => p.last().map_or(0, |p| p.span.end),
    }
}

/// A duration with one space between number and unit (`24months` and `24\n months` are
/// `24 months`), the number as written.
pub(super) fn duration_text(w: &Writer, d: &DurationLit) -> String {
    let text = w.slice(d.span);
    let unit = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let number = text.get(..text.len() - unit.len()).unwrap_or(text);
    format!("{number} {}", unit.trim_start())
}

fn fill_targets(w: &mut Writer, t: &Targets, cont: usize) {
    let paths = match t {
        Targets::Any(s) => return w.token(*s, "*"),
        Targets::Campaign(s) => return w.token(*s, "campaign"),
        Targets::Paths(p) => p,
    };
    w.set_cont(cont);
    for (i, p) in paths.iter().enumerate() {
        let comma = usize::from(i + 1 < paths.len());
        if i > 0 {
            w.flush(p.span.start);
            if !w.is_fresh() {
                if w.col() + 1 + p.text.len() + comma > WIDTH {
                    w.newline(cont);
                    w.set_cont(cont);
                } else {
                    w.space();
                }
            }
        }
        w.token(p.span, &p.text);
        if comma == 1 {
            w.keyword(",");
        }
    }
}
