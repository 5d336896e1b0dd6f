//! pest pairs to [`ast`](super::ast) nodes.

use std::ops::ControlFlow;

use pest::iterators::{Pair, Pairs};
use pest::Parser as _;
use pest_derive::Parser;

use super::ast::*;
use super::errors;
use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, Span};

#[derive(Parser)]
#[grammar = "../grammar/lagom.pest"]
pub(super) struct LagomParser;

/// Most syntax errors reported for one file: past these, later errors are mostly echoes of
/// the first ones, and a file of random bytes would list one per declaration-like line.
pub(super) const MAX_SYNTAX_ERRORS: usize = 20;

/// Parses one policy file. Returns every syntax error found (up to `MAX_SYNTAX_ERRORS`), or
/// the nesting-limit error found before pest parses.
///
/// A hand-written parser (`syntax/fast.rs`) reads a valid text; it declines every text with
/// an error, and pest, the grammar's own parser, reads those again for the messages.
pub fn parse_file(file: FileId, text: &str) -> Result<PolicyFile, Vec<Problem>> {
    let hidden_order = super::hidden::characters(file, text);
    if !hidden_order.is_empty() {
        return Err(hidden_order);
    }
    // The hand-written parser keeps to the nesting limit itself, and declines a text that
    // passes it; pest does not, so the text is scanned for that first.
    if let Some(items) = super::fast::parse(file, text) {
        return nested_names_checked(PolicyFile { items });
    }
    if let Some(problem) = check_nesting(file, text) {
        return Err(vec![problem]);
    }
    match LagomParser::parse(Rule::file, text) {
        Ok(pairs) => nested_names_checked(PolicyFile { items: Builder { file }.items(pairs) }),
        Err(_) => Err(detailed_errors(file, text)),
    }
}

/// The tree, unless a nested category or purpose has a dotted name (see `nested.rs`).
fn nested_names_checked(tree: PolicyFile) -> Result<PolicyFile, Vec<Problem>> {
    let problems = super::nested::dotted_children(&tree);
    if problems.is_empty() {
        Ok(tree)
    } else {
        Err(problems)
    }
}

/// Serialises the re-parses with error detail, which is a process-wide switch in pest.
static ERROR_DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The syntax errors of a text that failed to parse, with the expected tokens.
///
/// pest stops at the first error, so after each one the text is parsed again from the next
/// declaration (see [`resume_point`]), as compilers resynchronise at a statement: one typo
/// does not hide the next, and a declaration's own errors are not blamed on the one before.
///
/// Parsing without pest's error detail is about 2.5 times faster, so a file is parsed without
/// it and only a file that fails is parsed again with it: literal tokens (`}`, `,`, `(`) only
/// appear in pest's expectations with detail on. The switch is global: a parse that runs
/// meanwhile elsewhere merely records detail it does not need, and the lock keeps two
/// re-parses from turning it off under each other.
fn detailed_errors(file: FileId, text: &str) -> Vec<Problem> {
    let _guard = ERROR_DETAIL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let mut problems: Vec<Problem> = Vec::new();
    let mut start = 0;
    let mut last_error = None;
    while problems.len() < MAX_SYNTAX_ERRORS {
        let Some(rest) = text.get(start..) else { break };
        // The whole text passed the nesting scan, but a part that starts inside what was a
        // string may not: pest must never see it.
        if start > 0 && check_nesting(file, rest).is_some() {
            break;
        }
        let Err(e) = LagomParser::parse(Rule::file, rest) else { break };
        let at = start + errors::error_offset(&e);
        // Resuming at the declaration an error was found at can only find it again.
        if last_error != Some(at) {
            problems.push(errors::from_pest(file, text, start, &e));
        }
        last_error = Some(at);
        match resume_point(text, start, at) {
            Some(next) => start = next,
            None => {
                start = text.len();
                break;
            }
        }
    }
    // At the limit, say so where reading stopped, if the rest has errors too.
    let rest = text.get(start..).unwrap_or("");
    if problems.len() >= MAX_SYNTAX_ERRORS
        && check_nesting(file, rest).is_none()
        && LagomParser::parse(Rule::file, rest).is_err()
    {
        problems.push(
            Problem::at(
                Code::Syntax,
                Span { file, start, end: start + rest.chars().next().map_or(0, char::len_utf8) },
                format!("stopped after {MAX_SYNTAX_ERRORS} syntax errors in this file"),
                "not read from here on",
            )
            .with_help("fix the errors above and run lagom again to see the rest"),
        );
    }
    pest::set_error_detail(false);
    if problems.is_empty() {
        // Cannot happen: the same text failed a moment ago; say so rather than panic.
        problems.push(Problem::at(
            Code::Syntax,
            Span { file, start: 0, end: 0 },
            "the policy text could not be parsed",
            "here",
        ));
    }
    problems
}

/// Where parsing resumes after an error at `error_at`, reading the part of `text` from
/// `start` as pest read it: the first line after the error (or the error's own place) that
/// starts with a declaration keyword outside strings and comments, and is not inside a block
/// the part left open. A `category` or `purpose` line inside an open block may be a child
/// written without indentation; another declaration keyword at the first column ends the
/// block, whose `}` is then missing (the error says so). An error at a declaration in a
/// block that is closed after it resumes after that block.
fn resume_point(text: &str, start: usize, error_at: usize) -> Option<usize> {
    let chunk = text.get(start..)?;
    let from = error_at.max(start + 1);
    let mut depth = 0usize;
    let mut line_begins = true;
    let mut found = None;
    super::code::scan_code(chunk, |i, c| {
        let at = start + i;
        match c {
            '\n' | '\r' => {
                line_begins = true;
                return ControlFlow::Continue(());
            }
            ' ' | '\t' if line_begins => return ControlFlow::Continue(()),
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if std::mem::take(&mut line_begins) && at >= from {
            let keyword = errors::DECLARATION_KEYWORDS.iter().copied().find(|k| {
                text.get(at..)
                    .and_then(|rest| rest.strip_prefix(k))
                    .is_some_and(|after| after.starts_with([' ', '\t', '"', '\n', '\r']))
            });
            let first_column = at == 0 || matches!(text.as_bytes().get(at - 1), Some(b'\n' | b'\r'));
            let accepted = match keyword {
                None => false,
                Some(_) if depth == 0 => true,
                // A declaration in a block that is closed after it is misplaced there (the
                // error says so): read on from it, and the block's `}` would close nothing.
                Some(_) if at == error_at => !super::braces::closed_after(text, at),
                Some("category" | "purpose") => false,
                Some(_) => first_column,
            };
            if accepted {
                found = Some(at);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    found
}

/// Rejects nesting deeper than [`super::MAX_NESTING`] (brackets, or `not` chains) before pest
/// sees it, so hostile input cannot overflow the stack (the hand-written parser stops at the
/// same limit by itself).
fn check_nesting(file: FileId, text: &str) -> Option<Problem> {
    let mut depth = 0usize;
    let mut nots = 0usize;
    // The word being read: its first offset and first character, for the message's span.
    let mut word: Option<(usize, char)> = None;
    let mut too_deep = None;
    let span = |i: usize, c: char| Some(Span { file, start: i, end: i + c.len_utf8() });
    // Nesting only grows at an opening bracket and a `not` chain only at the end of a word, so
    // only those are checked.
    super::code::scan_code(text, |i, c| {
        if c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && c.is_alphanumeric()) {
            word.get_or_insert((i, c));
            return ControlFlow::Continue(());
        }
        if let Some((start, first)) = word.take() {
            nots = if text.get(start..i) == Some("not") { nots + 1 } else { 0 };
            if nots > super::MAX_NESTING {
                too_deep = span(start, first);
                return ControlFlow::Break(());
            }
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => return ControlFlow::Continue(()),
        }
        if depth > super::MAX_NESTING {
            too_deep = span(i, c);
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    if let Some((start, first)) = word {
        if text.get(start..) == Some("not") && nots + 1 > super::MAX_NESTING {
            too_deep = span(start, first);
        }
    }
    too_deep.map(|span| {
        Problem::at(
            Code::Limit,
            span,
            format!("nesting deeper than {} levels", super::MAX_NESTING),
            "too deeply nested",
        )
        .with_help("split the condition into several rules or flatten the taxonomy")
    })
}

struct Builder {
    file: FileId,
}

impl Builder {
    fn items(&self, mut pairs: Pairs<Rule>) -> Vec<Item> {
        let Some(root) = pairs.next() else { return Vec::new() };
        root.into_inner().filter(|p| p.as_rule() != Rule::EOI).map(|p| self.item(p)).collect()
    }

    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span { file: self.file, start: s.start(), end: s.end() }
    }

    fn item(&self, p: Pair<Rule>) -> Item {
        match p.as_rule() {
            Rule::header => {
                let span = self.span(&p);
                let mut strings = p.into_inner().filter(|p| p.as_rule() == Rule::string);
                let name = strings.next().map(|s| self.string(s));
                let version = strings.next().map(|s| self.string(s));
                Item::Header(Header { name: name.unwrap_or(Str { value: String::new(), span }), version, span })
            }
            Rule::basis_decl => Item::Basis(self.entries(p)),
            Rule::channel_decl => Item::Channel(self.entries(p)),
            Rule::set_decl => {
                let span = self.span(&p);
                let mut name = None;
                let mut values = Vec::new();
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = Some(self.ident(&c)),
                        Rule::list => values = self.list_values(c),
                        _ => {}
                    }
                }
                Item::Set(SetDecl { name: name.unwrap_or_else(|| self.missing_ident()), values, span })
            }
            Rule::category_decl => Item::Category(self.taxon(p)),
            Rule::purpose_decl => Item::Purpose(self.taxon(p)),
            _ => Item::Rule(Box::new(self.rule(p))),
        }
    }

    fn missing_ident(&self) -> Ident {
        Ident { name: String::new(), span: Span { file: self.file, start: 0, end: 0 } }
    }

    fn ident(&self, p: &Pair<Rule>) -> Ident {
        Ident { name: p.as_str().to_string(), span: self.span(p) }
    }

    fn path(&self, p: &Pair<Rule>) -> Path {
        Path { text: super::dotted_text(p.as_str()), span: self.span(p) }
    }

    fn string(&self, p: Pair<Rule>) -> Str {
        let raw = p.as_str();
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let mut value = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(other) => value.push(other),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        Str { value: super::with_plain_line_breaks(value), span: self.span(&p) }
    }

    fn entries(&self, p: Pair<Rule>) -> Vec<Entry> {
        p.into_inner()
            .filter(|e| e.as_rule() == Rule::entry)
            .map(|e| {
                let mut name = None;
                let mut label = None;
                for c in e.into_inner() {
                    match c.as_rule() {
                        Rule::ident => name = Some(self.ident(&c)),
                        Rule::string => label = Some(self.string(c)),
                        _ => {}
                    }
                }
                Entry { name: name.unwrap_or_else(|| self.missing_ident()), label }
            })
            .collect()
    }

    fn taxon(&self, p: Pair<Rule>) -> TaxonDecl {
        let span = self.span(&p);
        let mut path = None;
        let mut label = None;
        let mut under = Vec::new();
        let mut children = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::path => path = Some(self.path(&c)),
                Rule::string => label = Some(self.string(c)),
                Rule::under_clause => {
                    under = c.into_inner().filter(|u| u.as_rule() == Rule::path).map(|u| self.path(&u)).collect();
                }
                Rule::category_body | Rule::purpose_body => {
                    children = c.into_inner().map(|d| self.taxon(d)).collect();
                }
                _ => {}
            }
        }
        let path = path.unwrap_or_else(|| Path { text: String::new(), span: self.missing_ident().span });
        TaxonDecl { path, label, under, children, span }
    }

    fn rule(&self, p: Pair<Rule>) -> RuleDecl {
        let span = self.span(&p);
        let mut name = None;
        let mut effect = None;
        let mut condition = None;
        let mut because = None;
        let mut cite = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::ident => name = Some(self.ident(&c)),
                Rule::effect => effect = Some(self.effect(c)),
                Rule::condition => condition = Some(self.condition(c)),
                Rule::because => because = c.into_inner().find(|s| s.as_rule() == Rule::string).map(|s| self.string(s)),
                Rule::cite => cite = c.into_inner().find(|s| s.as_rule() == Rule::string).map(|s| self.string(s)),
                _ => {}
            }
        }
        let effect = effect.unwrap_or(Effect {
            kind: EffectKind::Deny,
            keyword: span,
            categories: Targets::Any(span),
            purposes: Targets::Any(span),
        });
        RuleDecl { name: name.unwrap_or_else(|| self.missing_ident()), effect, condition, because, cite, span }
    }

    /// A list's values, without its closing bracket.
    fn list_values(&self, list: Pair<Rule>) -> Vec<Value> {
        list.into_inner().filter(|v| v.as_rule() != Rule::close_bracket).map(|v| self.value(v)).collect()
    }

    fn effect(&self, p: Pair<Rule>) -> Effect {
        let mut kind = EffectKind::Deny;
        let mut keyword = self.span(&p);
        let mut scope = None;
        let mut retain = false;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_allow => (kind, keyword) = (EffectKind::Allow, self.span(&c)),
                Rule::kw_deny => (kind, keyword) = (EffectKind::Deny, self.span(&c)),
                Rule::kw_warn => (kind, keyword) = (EffectKind::Warn, self.span(&c)),
                Rule::kw_retain => (retain, keyword) = (true, self.span(&c)),
                Rule::scope => scope = Some(c),
                Rule::duration if retain => kind = EffectKind::Retain(self.duration(&c)),
                _ => {}
            }
        }
        let mut sides = scope.into_iter().flat_map(|s| s.into_inner()).filter(|t| t.as_rule() == Rule::targets);
        let categories = sides.next().map_or(Targets::Any(keyword), |t| self.targets(t));
        let purposes = sides.next().map_or(Targets::Any(keyword), |t| self.targets(t));
        Effect { kind, keyword, categories, purposes }
    }

    fn targets(&self, p: Pair<Rule>) -> Targets {
        let span = self.span(&p);
        let mut paths = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::star => return Targets::Any(self.span(&c)),
                Rule::kw_campaign => return Targets::Campaign(self.span(&c)),
                Rule::path => paths.push(self.path(&c)),
                _ => {}
            }
        }
        if paths.is_empty() {
            return Targets::Any(span);
        }
        Targets::Paths(paths)
    }

    fn duration(&self, p: &Pair<Rule>) -> DurationLit {
        let text = p.as_str();
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let unit = text.get(digits.len()..).unwrap_or("").trim().to_string();
        // More digits than fit are kept as u64::MAX; the checker reports the overflow.
        let amount = digits.parse().unwrap_or(u64::MAX);
        DurationLit { amount, unit, span: self.span(p) }
    }

    fn condition(&self, p: Pair<Rule>) -> Condition {
        let span = self.span(&p);
        let mut negated = false;
        let mut expr = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::kw_unless => negated = true,
                Rule::expr => expr = Some(self.expr(c)),
                _ => {}
            }
        }
        Condition { negated, span, expr: expr.unwrap_or(Expr::And(Vec::new())) }
    }

    fn expr(&self, p: Pair<Rule>) -> Expr {
        match p.as_rule() {
            Rule::expr => {
                let mut parts: Vec<Expr> =
                    p.into_inner().filter(|c| c.as_rule() == Rule::and_expr).map(|c| self.expr(c)).collect();
                if parts.len() == 1 {
                    parts.pop().unwrap_or(Expr::Or(Vec::new()))
                } else {
                    Expr::Or(parts)
                }
            }
            Rule::and_expr => {
                let mut parts: Vec<Expr> =
                    p.into_inner().filter(|c| c.as_rule() != Rule::kw_and).map(|c| self.expr(c)).collect();
                if parts.len() == 1 {
                    parts.pop().unwrap_or(Expr::And(Vec::new()))
                } else {
                    Expr::And(parts)
                }
            }
            Rule::not_expr => {
                let inner = p.into_inner().find(|c| c.as_rule() != Rule::kw_not).map(|c| self.expr(c));
                Expr::Not(Box::new(inner.unwrap_or(Expr::And(Vec::new()))))
            }
            Rule::paren => p.into_inner().next().map_or(Expr::And(Vec::new()), |c| self.expr(c)),
            Rule::quant => {
                let quant_span = self.span(&p);
                let mut kind = Quantifier::Any;
                let mut list = None;
                let mut body = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::kw_all => kind = Quantifier::All,
                        Rule::field => list = Some(self.field(&c)),
                        Rule::expr => body = Some(self.expr(c)),
                        _ => {}
                    }
                }
                let span = self.missing_ident().span;
                Expr::Quant {
                    span: quant_span,
                    kind,
                    list: list.unwrap_or(FieldRef { text: String::new(), span }),
                    body: Box::new(body.unwrap_or(Expr::And(Vec::new()))),
                }
            }
            _ => self.test(p),
        }
    }

    fn field(&self, p: &Pair<Rule>) -> FieldRef {
        FieldRef { text: super::dotted_text(p.as_str()), span: self.span(p) }
    }

    fn test(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut field = FieldRef { text: String::new(), span: self.span(&p) };
        let mut test = Test::Truthy;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::field => field = self.field(&c),
                Rule::is_test => {
                    let mut negated = false;
                    let mut empty = false;
                    for k in c.into_inner() {
                        match k.as_rule() {
                            Rule::kw_not => negated = true,
                            Rule::kw_empty => empty = true,
                            _ => {}
                        }
                    }
                    test = if empty { Test::IsEmpty { negated } } else { Test::IsSet { negated } };
                }
                Rule::under_test => {
                    if let Some(path) = c.into_inner().find(|k| k.as_rule() == Rule::path) {
                        test = Test::Under(self.path(&path));
                    }
                }
                Rule::compare => {
                    let mut inner = c.into_inner();
                    let (op, op_span) = match inner.next() {
                        Some(op) => (self.op(&op), self.span(&op)),
                        None => (Op::Eq, field.span),
                    };
                    if let Some(v) = inner.next() {
                        test = Test::Compare(op, op_span, self.value(v));
                    }
                }
                _ => {}
            }
        }
        Expr::Test { span, field, test }
    }

    fn op(&self, p: &Pair<Rule>) -> Op {
        match p.clone().into_inner().next().map(|c| c.as_rule()) {
            Some(Rule::ne) => Op::Ne,
            Some(Rule::lt) => Op::Lt,
            Some(Rule::le) => Op::Le,
            Some(Rule::gt) => Op::Gt,
            Some(Rule::ge) => Op::Ge,
            Some(Rule::kw_in) => Op::In,
            Some(Rule::not_in) => Op::NotIn,
            Some(Rule::kw_contains) => Op::Contains,
            Some(Rule::kw_within) => Op::Within,
            Some(Rule::kw_overlaps) => Op::Overlaps,
            Some(Rule::kw_matches) => Op::Matches,
            _ => Op::Eq,
        }
    }

    fn value(&self, p: Pair<Rule>) -> Value {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::string => Value::Str(self.string(p)),
            Rule::duration => Value::Duration(self.duration(&p)),
            // Read wider than any field holds, so that the checker refuses what does not fit
            // (clamped, `== 99999999999999999999` would equal the largest number a campaign
            // can give); beyond even this, the number saturates and is refused all the same.
            Rule::number => {
                let n = p.as_str().parse::<i128>().unwrap_or(if p.as_str().starts_with('-') {
                    i128::MIN
                } else {
                    i128::MAX
                });
                Value::Int(n, span)
            }
            Rule::kw_true => Value::Bool(true, span),
            Rule::kw_false => Value::Bool(false, span),
            Rule::list => Value::List(self.list_values(p), span),
            _ => Value::Word(p.as_str().to_string(), span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::rng::Rng;

    fn whole(text: &str) -> Option<Vec<Item>> {
        LagomParser::parse(Rule::file, text).ok().map(|pairs| Builder { file: FileId(3) }.items(pairs))
    }

    /// Every policy text kept in the repository: the pack, the fuzzing seeds, the formatter's
    /// test data and the test cases, some of them broken on purpose.
    fn repository_policies() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in ["policies", "fuzz/seeds", "src/fmt/testdata", "tests/cases"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let path = entry.unwrap().into_path();
                if path.extension().is_some_and(|e| e == "policy") {
                    texts.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        assert!(texts.len() > 50, "the repository's policies were not found");
        texts
    }

    fn assert_fast_agrees(text: &str) {
        let fast = crate::syntax::fast::parse(FileId(3), text);
        assert!(fast == whole(text), "the two parsers differ on:\n{text}");
        // It parses only what the nesting scan would let through.
        assert!(fast.is_none() || check_nesting(FileId(3), text).is_none(), "nested too deeply:\n{text}");
    }

    /// A line break inside a string is a `\n` to both parsers, however the file ends its lines,
    /// so that a policy checked out with Windows line endings gives the same messages.
    #[test]
    fn line_breaks_inside_strings_are_newlines() {
        let reason = |items: Option<Vec<Item>>| match items.as_deref() {
            Some([Item::Rule(r)]) => r.because.as_ref().map(|s| s.value.clone()),
            _ => None,
        };
        for text in [
            "rule r {\r\n  deny c for p\r\n  because \"one\r\ntwo\rthree\"\r\n}\r\n",
            "rule r {\n  deny c for p\n  because \"one\ntwo\nthree\"\n}\n",
        ] {
            assert_eq!(reason(crate::syntax::fast::parse(FileId(3), text)).as_deref(), Some("one\ntwo\nthree"));
            assert_eq!(reason(whole(text)).as_deref(), Some("one\ntwo\nthree"));
        }
    }

    /// What `parse_file` gave when the nesting scan ran before either parser: the fast
    /// parser's own limit must keep every answer the same.
    fn scan_first(text: &str) -> Result<PolicyFile, Vec<Problem>> {
        if let Some(problem) = check_nesting(FileId(3), text) {
            return Err(vec![problem]);
        }
        whole(text).map(|items| PolicyFile { items }).ok_or_else(|| detailed_errors(FileId(3), text))
    }

    #[test]
    fn the_fast_parsers_nesting_limit_refuses_what_the_scan_refuses() {
        let nested =
            |n: usize, wrap: &dyn Fn(String) -> String, inner: &str| (0..n).fold(inner.to_string(), |c, _| wrap(c));
        let rule = |condition: String| format!("rule r {{ deny * for * when {condition} }}\n");
        let limit = super::super::MAX_NESTING;
        let mut texts = Vec::new();
        for n in limit - 3..=limit + 2 {
            texts.extend([
                rule(nested(n, &|c| format!("({c})"), "a")),
                rule(nested(n, &|c| format!("not {c}"), "a")),
                rule(nested(n, &|c| format!("not ({c})"), "a")),
                rule(nested(n, &|c| format!("not (not {c})"), "a")),
                rule(nested(n, &|c| format!("any d ({c})"), "a")),
                rule(format!("any d.not ({})", nested(n, &|c| format!("not {c}"), "a"))),
                rule(format!("any d.not ({})", nested(n, &|c| format!("not ({c})"), "a"))),
                rule(format!("a and {}", nested(n, &|c| format!("not {c}"), "b"))),
                rule(format!("a in {}", nested(n, &|c| format!("[{c}]"), "b"))),
                rule(format!("a in {}", nested(n, &|c| format!("[x, {c}, y]"), "b"))),
                nested(n, &|c| format!("category a {{ {c} }}"), "category b"),
                // A chain broken by other words is no chain.
                rule(nested(n, &|c| format!("not a is not set and not ({c})"), "a")),
                rule(nested(n, &|c| format!("not x not in [y] or not {c}"), "a")),
                format!(
                    "{}{}",
                    rule(nested(limit - 2, &|c| format!("not {c}"), "a")),
                    rule(nested(n, &|c| format!("not {c}"), "a"))
                ),
            ]);
        }
        let (mut fast, mut refused) = (0, 0);
        for text in &texts {
            let got = parse_file(FileId(3), text);
            let want = scan_first(text);
            assert!(got == want, "{text}");
            fast += usize::from(crate::syntax::fast::parse(FileId(3), text).is_some());
            refused += usize::from(want.is_err());
        }
        // Chains of `not` broken by another word are not held against the limit: these stay
        // on the fast path.
        let many = 2 * limit;
        for broken in [
            rule(nested(many, &|c| format!("not a and {c}"), "b")),
            rule(nested(limit - 3, &|c| format!("not (a or not not {c})"), "b")),
            rule(nested(limit / 2, &|c| format!("not any d (not {c})"), "b")),
            rule(nested(limit - 2, &|c| format!("not {c}"), "a")).repeat(3),
        ] {
            assert!(crate::syntax::fast::parse(FileId(3), &broken).is_some(), "{broken}");
        }
        // Both sides of the limit are reached, and the fast parser takes the texts below it.
        assert!(
            refused > texts.len() / 4 && fast > texts.len() / 3,
            "{refused} refused, {fast} fast of {}",
            texts.len()
        );
    }

    /// Spec 1: white space is insignificant outside strings, and a path is `IDENT { "." IDENT }`,
    /// so spaces and line breaks around a path's dots are read, by both parsers, as the path
    /// without them. A value (`WORD`) is one token and takes none.
    #[test]
    fn spaces_around_a_paths_dots_are_read_as_the_path() {
        use crate::syntax::spanless::without_spans;
        let read = |text: &str| {
            assert_fast_agrees(text);
            assert!(crate::syntax::fast::parse(FileId(3), text).is_some(), "the fast parser takes it: {text}");
            without_spans(&parse_file(FileId(3), text).unwrap_or_else(|e| panic!("{text}: {e:?}")))
        };
        for (spaced, plain) in [
            ("rule a { allow contact . email for p }", "rule a { allow contact.email for p }"),
            ("rule a { allow c for p when rights. unsubscribe }", "rule a { allow c for p when rights.unsubscribe }"),
            (
                "rule a { allow c, contact\n  .email for m .news when category under contact\t.\r\nemail }",
                "rule a { allow c, contact.email for m.news when category under contact.email }",
            ),
            ("category contact . whatsapp under special .health", "category contact.whatsapp under special.health"),
            (
                "rule a { deny c for p when any processors (region == x) and not audience .regions overlaps eea }",
                "rule a { deny c for p when any processors (region == x) and not audience.regions overlaps eea }",
            ),
            ("rule a { deny c for p when purpose . x }", "rule a { deny c for p when purpose.x }"),
        ] {
            assert_eq!(read(spaced), read(plain), "{spaced}");
        }
        let value = "rule a { deny c for p when purpose == marketing . news }";
        let problem = parse_file(FileId(3), value).unwrap_err().remove(0);
        assert_eq!(
            problem.help.as_deref(),
            Some("a value is one word, without spaces around its dots: write `marketing.news`")
        );
        // A comment is no white space inside a path: the path is one name.
        assert!(parse_file(FileId(3), "rule a { allow contact # x\n.email for p }").is_err());
    }

    #[test]
    fn fast_parser_gives_pests_items_on_every_policy_in_the_repository_and_generated_ones() {
        let mut texts = repository_policies();
        for (rules, seed) in [(100, 1), (100, 2), (1000, 7)] {
            let corpus = crate::synth::Corpus::new(rules, seed);
            texts.extend(corpus.policy_files().iter().map(|(_, t)| t.clone()));
        }
        let mut parsed = 0;
        for text in &texts {
            assert_fast_agrees(text);
            parsed += usize::from(whole(text).is_some());
        }
        // Most of them parse: the fast path is taken, not merely declined in agreement.
        assert!(parsed * 10 > texts.len() * 9, "{parsed} of {}", texts.len());
    }

    /// Parsing in pieces gives what parsing in one go gives, wherever the pieces are cut: at
    /// item boundaries (where the pieces are used), at lines that open a rule (the guesses
    /// `parse` makes), and anywhere at all (inside strings, comments, tokens and brackets).
    #[test]
    fn parsing_in_pieces_gives_the_items_of_parsing_whole() {
        use crate::syntax::fast::pieces::{parse_in_pieces, Piece, PieceEnd};
        let mut texts = repository_policies();
        for (rules, seed) in [(300, 1), (1000, 7)] {
            texts.extend(crate::synth::Corpus::new(rules, seed).policy_files().iter().map(|(_, t)| t.clone()));
        }
        let mut rng = Rng::new(0x91ec, 0);
        texts.extend((0..300).map(|_| random_policy(&mut rng)));
        let (mut used, mut cut) = (0, 0);
        for text in &texts {
            let whole = parse_in_pieces(FileId(3), text, &[]);
            let mut tries: Vec<Vec<usize>> = Vec::new();
            if let Some(items) = &whole {
                // Every item boundary after the first item: piece 0 must stop there.
                let start = |item: &Item| match item {
                    Item::Header(h) => Some(h.span.start),
                    Item::Set(s) => Some(s.span.start),
                    Item::Category(t) | Item::Purpose(t) => Some(t.span.start),
                    Item::Rule(r) => Some(r.span.start),
                    // Their spans are the entries'; the keyword before them is not kept.
                    Item::Basis(_) | Item::Channel(_) => None,
                };
                let bounds: Vec<usize> = items.iter().skip(1).filter_map(start).collect();
                for &b in bounds.iter().step_by(bounds.len() / 8 + 1) {
                    assert_eq!(Piece::parse(FileId(3), text, 0, &[b]).end, PieceEnd::At(1), "{b} in:\n{text}");
                    used += 1;
                }
                tries.push(bounds);
            }
            tries.push(text.match_indices("\nrule ").map(|(i, _)| i + 1).collect());
            for _ in 0..4 {
                let mut at: Vec<usize> = (0..1 + rng.below(4))
                    .map(|_| rng.below(text.len() + 1))
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                at.sort_unstable();
                at.dedup();
                tries.push(at);
            }
            for starts in tries {
                cut += 1;
                assert!(parse_in_pieces(FileId(3), text, &starts) == whole, "cut at {starts:?}:\n{text}");
            }
        }
        assert!(used > 500 && cut > 2000, "{used} boundaries used, {cut} ways cut");
    }

    /// A random policy text that uses every construct of the grammar, with names that start
    /// like keywords, every escape, durations across lines, and whitespace and comments of
    /// every kind between tokens. Names are not resolved here, so what fails to parse fails on
    /// a keyword used as a name.
    fn random_policy(rng: &mut Rng) -> String {
        // Now and then a keyword stands where a name, field or word goes: not allowed there,
        // so those texts must fail in both parsers. Rare enough that most texts stay valid.
        const NAMES: [&str; 11] =
            ["a", "b_2", "format", "notice", "ally", "x9", "_u", "inx", "campaigns", "isle", "matches"];
        const FIELDS: [&str; 9] =
            ["basis", "campaign.x", "purpose", "category", "labels.brand", "for_x", "data", "a.B_c", "andy"];
        // Words spelt like keywords (`at`, `is`) are values too: spec 1 reserves keywords for names.
        const WORDS: [&str; 11] =
            ["SE", "at_rest", "crm-admin", "m.n", "_x", "truex", "consent", "matches", "at", "is", "because"];
        const KEYWORDS_THERE: [&str; 5] = ["for.x", "in", "and.x", "set", "or"];
        fn one_of<'a>(rng: &mut Rng, valid: &[&'a str]) -> &'a str {
            if rng.below(40) == 0 {
                rng.word(&KEYWORDS_THERE)
            } else {
                rng.word(valid)
            }
        }
        const GAPS: [&str; 9] =
            [" ", "  ", "\n", "\t", " # note\n", "\r\n", "\n  # c ( [ \" {\n  ", "\r", " # old Mac\r"];
        fn path(rng: &mut Rng) -> String {
            (0..1 + rng.below(3)).map(|_| one_of(rng, &NAMES)).collect::<Vec<_>>().join(".")
        }
        fn string(rng: &mut Rng) -> String {
            let body = [
                "plain",
                "é ü 6(1)(a)",
                "q\\\"x",
                "back\\\\slash",
                "n\\nt\\t",
                "",
                "multi\nline",
                "crlf\r\nline",
                "lone\rcr",
                "# not",
            ];
            format!("\"{}\"", rng.word(&body))
        }
        fn value(rng: &mut Rng, depth: usize) -> String {
            match rng.below(if depth > 2 { 6 } else { 7 }) {
                0 => string(rng),
                1 => format!(
                    "{}{}{}",
                    rng.below(100),
                    rng.word(&[" ", "\n", " \t", ""]),
                    rng.word(&["days", "months", "years", "weeks"])
                ),
                2 => rng.word(&["0", "-3", "18", "99999999999999999999", "-99999999999999999999"]).to_string(),
                3 => rng.word(&["true", "false"]).to_string(),
                4 | 5 => one_of(rng, &WORDS).to_string(),
                _ => {
                    let items: Vec<String> = (0..rng.below(4)).map(|_| value(rng, depth + 1)).collect();
                    format!("[{}]", items.join(rng.word(&[", ", " ,", ",\n"])))
                }
            }
        }
        fn expr(rng: &mut Rng, depth: usize) -> String {
            let gap = |rng: &mut Rng| rng.word(&GAPS).to_string();
            match rng.below(if depth > 3 { 3 } else { 8 }) {
                0 => format!(
                    "{}{}{}",
                    one_of(rng, &FIELDS),
                    gap(rng),
                    rng.word(&["is set", "is not set", "is empty", "is  not\nempty"])
                ),
                1 => format!("{} under {}", one_of(rng, &FIELDS), path(rng)),
                2 => {
                    let op = rng.word(&[
                        "==", "!=", "<", "<=", ">", ">=", "in", "not in", "not\nin", "contains", "within", "overlaps",
                        "matches", "matchesx",
                    ]);
                    format!("{}{}{op}{}{}", one_of(rng, &FIELDS), gap(rng), gap(rng), value(rng, 0))
                }
                3 => format!("not{}{}", gap(rng), expr(rng, depth + 1)),
                4 => format!("({}{})", expr(rng, depth + 1), gap(rng)),
                5 => format!("{} {} ({})", rng.word(&["any", "all"]), one_of(rng, &FIELDS), expr(rng, depth + 1)),
                6 => format!("{}{}and{}{}", expr(rng, depth + 1), gap(rng), gap(rng), expr(rng, depth + 1)),
                _ => format!("{}{}or{}{}", expr(rng, depth + 1), gap(rng), gap(rng), expr(rng, depth + 1)),
            }
        }
        fn targets(rng: &mut Rng) -> String {
            match rng.below(4) {
                0 => "*".to_string(),
                1 => "campaign".to_string(),
                _ => (0..1 + rng.below(3)).map(|_| path(rng)).collect::<Vec<_>>().join(rng.word(&[", ", " ,\n "])),
            }
        }
        fn taxon(rng: &mut Rng, keyword: &str, depth: usize) -> String {
            let mut t = format!("{keyword} {}", path(rng));
            if rng.below(2) == 0 {
                t += &format!(" {}", string(rng));
            }
            if rng.below(3) == 0 {
                t += &format!(" under {}", (0..1 + rng.below(2)).map(|_| path(rng)).collect::<Vec<_>>().join(", "));
            }
            if depth < 2 && rng.below(3) == 0 {
                let children: Vec<String> = (0..rng.below(3)).map(|_| taxon(rng, keyword, depth + 1)).collect();
                t += &format!(" {{{}}}", children.join(rng.word(&GAPS)));
            }
            t
        }
        let mut items = Vec::new();
        for _ in 0..1 + rng.below(8) {
            let item = match rng.below(7) {
                0 => format!(
                    "policy {}{}",
                    string(rng),
                    if rng.below(2) == 0 { format!(" version {}", string(rng)) } else { String::new() }
                ),
                1 | 2 => {
                    let keyword = rng.word(&["basis", "channel"]);
                    let entries: Vec<String> = (0..1 + rng.below(3))
                        .map(|_| {
                            format!(
                                "{}{}",
                                one_of(rng, &NAMES),
                                if rng.below(2) == 0 { format!(" {}", string(rng)) } else { String::new() }
                            )
                        })
                        .collect();
                    format!("{keyword} {}", entries.join(", "))
                }
                3 => {
                    let items: Vec<String> = (0..rng.below(4)).map(|_| value(rng, 1)).collect();
                    format!("set {} = [{}]", one_of(rng, &NAMES), items.join(", "))
                }
                4 => {
                    let keyword = rng.word(&["category", "purpose"]);
                    taxon(rng, keyword, 0)
                }
                _ => {
                    let effect = match rng.below(4) {
                        0 => format!("retain {} for {} at most {}", targets(rng), targets(rng), value(rng, 9)),
                        k => format!("{} {} for {}", ["allow", "deny", "warn"][k - 1], targets(rng), targets(rng)),
                    };
                    let mut r = format!("rule {} {{{}{effect}", one_of(rng, &NAMES), rng.word(&GAPS));
                    if rng.below(3) > 0 {
                        r += &format!("{}{} {}", rng.word(&GAPS), rng.word(&["when", "unless"]), expr(rng, 0));
                    }
                    if rng.below(2) == 0 {
                        r += &format!("{}because {}", rng.word(&GAPS), string(rng));
                    }
                    if rng.below(2) == 0 {
                        r += &format!("{}cite {}", rng.word(&GAPS), string(rng));
                    }
                    r + rng.word(&GAPS) + "}"
                }
            };
            items.push(item);
        }
        let gap = rng.word(&GAPS);
        format!("{}{}{gap}", rng.word(&["", "\u{feff}", " # lead\n"]), items.join(gap))
    }

    #[test]
    fn fast_parser_agrees_with_pest_on_random_policies_using_every_construct() {
        let cases: usize = std::env::var("LAGOM_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
        let mut rng = Rng::new(0x1a60, 0);
        let mut accepted = 0;
        for _ in 0..cases {
            let text = random_policy(&mut rng);
            assert_fast_agrees(&text);
            accepted += usize::from(whole(&text).is_some());
        }
        // Both outcomes are exercised: most are valid syntax (a keyword used as a name makes
        // the others fail).
        assert!(accepted > cases / 2 && accepted < cases, "{accepted} of {cases} parse");
    }

    /// Small edits of real policies, most of which break them somewhere: the fast parser gives
    /// the same items as pest or, like pest, none. The edits insert the grammar's tokens, the
    /// characters its rules turn on (case, `-`, `.`, digits, quotes, escapes, non-ASCII),
    /// whitespace and comments, or delete a few bytes.
    #[test]
    fn fast_parser_agrees_with_pest_on_mutated_policies() {
        const PIECES: [&str; 42] = [
            " ", "\n", "\t", "\r\n", "# c\n", "\r", "# c\r", "\"", "\\", "\\q", "\"x\"", ",", ".", "-", "_", "*", "(",
            ")", "[", "]", "{", "}", "=", "==", "!=", "<", "<=", ">", "0", "12 ", "-3", "A", "é", "\u{feff}", "not ",
            "in ", "and ", "or ", "for ", "campaign", "is set", "under ",
        ];
        let cases: usize = std::env::var("LAGOM_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
        let mut bases: Vec<String> =
            repository_policies().into_iter().filter(|t| t.len() < 6000 && whole(t).is_some()).collect();
        bases.extend(crate::synth::Corpus::new(40, 3).policy_files().iter().map(|(_, t)| t.clone()));
        let mut rng = Rng::new(0x3e3e, 0);
        bases.extend((0..200).map(|_| random_policy(&mut rng)));
        let mut rng = Rng::new(0x5eed, 0);
        let mut next = |n: usize| rng.below(n);
        let mut accepted = 0;
        for _ in 0..cases {
            let mut text = bases[next(bases.len())].clone();
            for _ in 0..1 + next(3) {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(3) == 0 {
                    let mut end = (at + 1 + next(5)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                } else {
                    text.insert_str(at, PIECES[next(PIECES.len())]);
                }
            }
            assert_fast_agrees(&text);
            accepted += usize::from(whole(&text).is_some());
        }
        // Both outcomes are exercised.
        assert!(accepted > cases / 20 && accepted < cases * 19 / 20, "{accepted} of {cases} parse");
    }

    #[test]
    fn every_broken_declaration_is_reported_in_file_order() {
        let text = "category c\npurpose m\nrule a { deny c for m when basis = consent }\nrule b { allow c for m }\n\
                    rule d { deny c fr m }\nrule e {\n  deny c for m\nrule f { allow c for m }\n";
        let problems = parse_file(FileId(0), text).unwrap_err();
        let at: Vec<(&str, &str)> =
            problems.iter().map(|p| (p.underlined(text).unwrap_or(""), p.message.as_str())).collect();
        assert_eq!(
            at,
            [
                ("=", "expected `and`, `because`, `cite`, `is`, `or`, `under`, `}` or an operator (`==`, `!=`, `<`, `in`, `contains`, …), found `=`"),
                ("fr", "expected `,` or `for`, found `fr`"),
                ("rule", "expected `,`, `because`, `cite`, `unless`, `when` or `}`, found `rule`"),
            ]
        );
    }

    #[test]
    fn at_most_max_syntax_errors_are_reported_for_a_file() {
        let text: String = (0..MAX_SYNTAX_ERRORS + 5).map(|i| format!("rule r{i} {{ deny c fr m }}\n")).collect();
        let problems = parse_file(FileId(0), &text).unwrap_err();
        assert_eq!(problems.len(), MAX_SYNTAX_ERRORS + 1);
        let last = problems.last().map(|p| p.message.as_str());
        assert_eq!(last, Some(format!("stopped after {MAX_SYNTAX_ERRORS} syntax errors in this file").as_str()));
        // Exactly at the limit, nothing was left unread: no such note.
        let text: String = (0..MAX_SYNTAX_ERRORS).map(|i| format!("rule r{i} {{ deny c fr m }}\n")).collect();
        assert_eq!(parse_file(FileId(0), &text).unwrap_err().len(), MAX_SYNTAX_ERRORS);
    }

    fn messages(text: &str) -> Vec<String> {
        parse_file(FileId(0), text).unwrap_err().into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn parsing_never_resumes_inside_a_string_or_a_taxonomy_block() {
        // Wrapped prose with `purpose` and `rule` at the start of its lines.
        let prose = "rule r {\n  allow c fro m\n  because \"Only the address. The\npurpose of it is news; any\nrule of thumb: ask.\"\n}\n";
        assert_eq!(messages(prose), ["expected `,` or `for`, found `fro`"]);
        // Children written without indentation inside a block.
        let block = "category c {\ncategory e undr s\ncategory p\n}\nrule r { deny c fr m }\n";
        assert_eq!(
            messages(block),
            [
                "expected `category`, `under`, `{`, `}` or a quoted string, found `undr`",
                "expected `,` or `for`, found `fr`"
            ]
        );
    }

    #[test]
    fn an_indented_declaration_after_the_error_is_read_again() {
        let text = "  rule a { deny c fr m }\n  rule b { deny c for m whn x }\n";
        assert_eq!(messages(text).len(), 2, "{:?}", messages(text));
    }

    #[test]
    fn resuming_inside_a_string_never_hands_pest_deep_nesting() {
        // After the error in `b`, parsing resumes at `rule c`, which is inside `b`'s string:
        // its brackets passed the nesting scan as text, and must not reach pest as code.
        let deep = "(".repeat(200_000);
        let text = format!("rule b {{ deny c fr m because \"\nrule c {{ deny c for m when {deep}\n\" }}\n");
        let problems = parse_file(FileId(0), &text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "expected `,` or `for`, found `fr`");
    }
}
