//! pest pairs to [`ast`](super::ast) nodes.

use std::ops::ControlFlow;

use pest::iterators::{Pair, Pairs};
use pest::Parser as _;
use pest_derive::Parser;
use rayon::prelude::*;

use super::ast::*;
use super::errors;
use crate::diagnostic::{Code, Problem};
use crate::source::{FileId, Span};

#[derive(Parser)]
#[grammar = "../grammar/lagom.pest"]
pub(super) struct LagomParser;

/// Parses one policy file. Returns every syntax error found (pest stops at the first one, so
/// this is at most one, plus nesting-limit errors found before parsing).
pub fn parse_file(file: FileId, text: &str) -> Result<PolicyFile, Vec<Problem>> {
    if let Some(problem) = check_nesting(file, text) {
        return Err(vec![problem]);
    }
    // Pieces of about MIN_PIECE, many more than cores: each thread's token queue is reused
    // piece after piece instead of growing to half the file in fresh memory, and the threads
    // run out of work together.
    let cuts = super::pieces::cuts(text, text.len() / super::pieces::MIN_PIECE);
    if let Some(items) = parse_pieces(file, text, &cuts) {
        return Ok(PolicyFile { items });
    }
    match LagomParser::parse(Rule::file, text) {
        Ok(pairs) => Ok(PolicyFile { items: Builder { file, offset: 0 }.items(pairs) }),
        Err(_) => Err(vec![detailed_error(file, text)]),
    }
}

/// The items of `text` parsed as pieces cut at `cuts`, in parallel, or `None` when there are
/// no cuts or a piece does not parse (see [`super::pieces`] for why the items are the same).
fn parse_pieces(file: FileId, text: &str, cuts: &[usize]) -> Option<Vec<Item>> {
    if cuts.is_empty() {
        return None;
    }
    let starts: Vec<usize> = std::iter::once(0).chain(cuts.iter().copied()).collect();
    let pieces: Vec<Option<Vec<Item>>> = starts
        .par_iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            let pairs = LagomParser::parse(Rule::file, text.get(start..end)?).ok()?;
            Some(Builder { file, offset: start }.items(pairs))
        })
        .collect();
    let pieces: Vec<Vec<Item>> = pieces.into_iter().collect::<Option<_>>()?;
    Some(pieces.into_iter().flatten().collect())
}

/// Serialises the re-parses with error detail, which is a process-wide switch in pest.
static ERROR_DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The syntax error of a text that failed to parse, with the expected tokens.
///
/// Parsing without pest's error detail is about 2.5 times faster, so a file is parsed without
/// it and only a file that fails is parsed again with it: literal tokens (`}`, `,`, `(`) only
/// appear in pest's expectations with detail on. The switch is global: a parse that runs
/// meanwhile elsewhere merely records detail it does not need, and the lock keeps two
/// re-parses from turning it off under each other.
fn detailed_error(file: FileId, text: &str) -> Problem {
    let _guard = ERROR_DETAIL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = LagomParser::parse(Rule::file, text).map(|_| ());
    pest::set_error_detail(false);
    match result {
        Err(e) => errors::from_pest(file, text, &e),
        // Cannot happen: the same text failed a moment ago; say so rather than panic.
        Ok(()) => {
            Problem::at(Code::Syntax, Span { file, start: 0, end: 0 }, "the policy text could not be parsed", "here")
        }
    }
}

/// Rejects nesting deeper than [`super::MAX_NESTING`] (brackets, or `not` chains) before the
/// recursive parser sees it, so hostile input cannot overflow the stack.
fn check_nesting(file: FileId, text: &str) -> Option<Problem> {
    let mut depth = 0usize;
    let mut nots = 0usize;
    // The word being read: its first offset and first character, for the message's span.
    let mut word: Option<(usize, char)> = None;
    let mut too_deep = None;
    let mut at = |i: usize, c: char, depth: usize, nots: usize| {
        if depth > super::MAX_NESTING || nots > super::MAX_NESTING {
            too_deep = Some(Span { file, start: i, end: i + c.len_utf8() });
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    };
    super::code::scan_code(text, |i, c| {
        if c.is_alphanumeric() || c == '_' {
            word.get_or_insert((i, c));
            return ControlFlow::Continue(());
        }
        if let Some((start, first)) = word.take() {
            nots = if text.get(start..i) == Some("not") { nots + 1 } else { 0 };
            at(start, first, depth, nots)?;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at(i, c, depth, nots)
    });
    if let Some((start, first)) = word {
        nots = if text.get(start..) == Some("not") { nots + 1 } else { 0 };
        let _ = at(start, first, depth, nots);
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
    /// Where the parsed text starts in the file: not 0 for a piece of a large file.
    offset: usize,
}

impl Builder {
    fn items(&self, mut pairs: Pairs<Rule>) -> Vec<Item> {
        let Some(root) = pairs.next() else { return Vec::new() };
        root.into_inner().filter(|p| p.as_rule() != Rule::EOI).map(|p| self.item(p)).collect()
    }

    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span { file: self.file, start: self.offset + s.start(), end: self.offset + s.end() }
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
                        Rule::list => values = c.into_inner().map(|v| self.value(v)).collect(),
                        _ => {}
                    }
                }
                Item::Set(SetDecl { name: name.unwrap_or_else(|| self.missing_ident()), values, span })
            }
            Rule::category_decl => Item::Category(self.taxon(p)),
            Rule::purpose_decl => Item::Purpose(self.taxon(p)),
            _ => Item::Rule(self.rule(p)),
        }
    }

    fn missing_ident(&self) -> Ident {
        Ident { name: String::new(), span: Span { file: self.file, start: 0, end: 0 } }
    }

    fn ident(&self, p: &Pair<Rule>) -> Ident {
        Ident { name: p.as_str().to_string(), span: self.span(p) }
    }

    fn path(&self, p: &Pair<Rule>) -> Path {
        Path { text: p.as_str().to_string(), span: self.span(p) }
    }

    fn string(&self, p: Pair<Rule>) -> Str {
        let raw = p.as_str();
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
            return Str { value: inner.to_string(), span: self.span(&p) };
        }
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
        Str { value, span: self.span(&p) }
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
        let unit = text[digits.len()..].trim().to_string();
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
        FieldRef { text: p.as_str().to_string(), span: self.span(p) }
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
            _ => Op::Eq,
        }
    }

    fn value(&self, p: Pair<Rule>) -> Value {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::string => Value::Str(self.string(p)),
            Rule::duration => Value::Duration(self.duration(&p)),
            // Integers beyond i64 saturate; no field can hold them, so the comparison is still
            // decided correctly against any real campaign value.
            Rule::number => {
                let n =
                    p.as_str().parse::<i64>().unwrap_or(if p.as_str().starts_with('-') { i64::MIN } else { i64::MAX });
                Value::Int(n, span)
            }
            Rule::kw_true => Value::Bool(true, span),
            Rule::kw_false => Value::Bool(false, span),
            Rule::list => Value::List(p.into_inner().map(|v| self.value(v)).collect(), span),
            _ => Value::Word(p.as_str().to_string(), span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::pieces::cuts;

    fn whole(text: &str) -> Option<Vec<Item>> {
        LagomParser::parse(Rule::file, text).ok().map(|pairs| Builder { file: FileId(3), offset: 0 }.items(pairs))
    }

    /// Every policy text below, cut into 2 to 4 pieces, gives the whole text's items, spans
    /// included, or (when the text has an error) no items at all.
    fn assert_pieces_agree(text: &str) {
        let expected = whole(text);
        for count in 2..=4 {
            let cuts = cuts(text, count);
            assert!(!cuts.is_empty(), "a {} byte text was not cut", text.len());
            assert_eq!(parse_pieces(FileId(3), text, &cuts).is_some(), expected.is_some(), "{count} pieces");
            if let (Some(items), Some(expected)) = (parse_pieces(FileId(3), text, &cuts), &expected) {
                assert!(items == *expected, "{count} pieces give other items than the whole text");
            }
        }
    }

    #[test]
    fn generated_policy_parses_the_same_in_pieces() {
        let corpus = crate::synth::Corpus::new(1000, 7);
        let text: String = corpus.policy_files().iter().map(|(_, t)| t.as_str()).collect();
        assert_pieces_agree(&text);
    }

    #[test]
    fn shipped_pack_repeated_parses_the_same_in_pieces() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/gdpr-marketing");
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.retain(|p| p.extension().is_some_and(|e| e == "policy"));
        names.sort();
        let pack: String = names.iter().map(|p| std::fs::read_to_string(p).unwrap() + "\n").collect();
        assert_pieces_agree(&pack.repeat(1 + MIN_TEXT / pack.len()));
    }

    #[test]
    fn a_piece_with_an_error_fails_like_the_whole_text() {
        let rule = "rule r {\n  allow a for b\n  because \"x\"\n}\n";
        let mut text = rule.repeat(MIN_TEXT / rule.len());
        text.push_str("rule broken {\n  allow a for\n}\n");
        text.push_str(&rule.repeat(MIN_TEXT / rule.len()));
        assert_pieces_agree(&text);
        // An item keyword inside a string or comment at a line start is not a cut.
        let tricky = "rule s {\n  allow a for b\n  because \"\nrule fake { allow x for y }\n\"\n}\n# rule\n";
        let tricky = tricky.repeat(1 + MIN_TEXT / tricky.len());
        assert!(whole(&tricky).is_some());
        assert_pieces_agree(&tricky);
    }

    const MIN_TEXT: usize = crate::syntax::pieces::MIN_PIECE * 4;
}
