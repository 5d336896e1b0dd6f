//! The grammar's success path, written out by hand: a recursive-descent parser that turns a
//! policy text into exactly the items the pest parser and its tree builder give, or declines.
//!
//! `grammar/lagom.pest` stays the language's definition, and pest parses every text this
//! parser declines, which includes every text with an error, so messages come from pest as
//! before. This parser exists for speed: pest spends about 40 instructions on every rule call
//! and literal test, and parsing was most of a small `lagom check` against a large policy
//! (BENCHMARKS.md). Each function below mirrors one grammar rule, in the grammar's order,
//! with pest's semantics: ordered choice without backtracking into a chosen alternative,
//! greedy repetition, and implicit whitespace between the elements of a non-atomic rule,
//! *including before an optional or repeated element that then matches nothing*, which is
//! why a span such as a category's or a bare test's runs on over the whitespace and comments
//! after it. The tests in `parser.rs` hold the two parsers equal (items, spans included) on
//! every policy in the repository, generated corpora, random policies and mutated texts.

pub(super) mod pieces;

use super::ast::*;
use super::{KEYWORDS, MAX_NESTING};
use crate::source::{FileId, Span};
use pieces::{parse_in_pieces, piece_starts, PIECE_BYTES};

/// The items of `text`, as the pest parser would build them, or `None` when the text does not
/// parse (or is of a shape this parser leaves to pest).
pub(super) fn parse(file: FileId, text: &str) -> Option<Vec<Item>> {
    let pieces = (text.len() / PIECE_BYTES).clamp(1, rayon::current_num_threads());
    parse_in_pieces(file, text, &piece_starts(text, pieces))
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    /// Brackets open around the position.
    depth: usize,
    /// `not`s in a row before the position, with only brackets between them.
    nots: usize,
    /// Set on passing the nesting limit: every parse step fails from then on.
    too_deep: bool,
}

/// The length of the longest keyword ("category", "campaign", "contains", "overlaps").
const LONGEST_KEYWORD: usize = 8;

/// For each letter `a` to `z`, bit `n` is set when a keyword of `n` bytes starts with it.
// Computed while compiling, where an index out of range stops the build instead of panicking.
#[allow(clippy::indexing_slicing)]
const KEYWORD_SHAPES: [u16; 26] = {
    let mut shapes = [0u16; 26];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let keyword = KEYWORDS[i].as_bytes();
        shapes[(keyword[0] - b'a') as usize] |= 1 << keyword.len();
        i += 1;
    }
    shapes
};

/// `word_char` in the grammar.
/// White space as the grammar's `dot` allows it around a path's dots.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

impl<'a> Parser<'a> {
    fn new(file: FileId, text: &'a str) -> Parser<'a> {
        Parser { text, bytes: text.as_bytes(), pos: 0, file, depth: 0, nots: 0, too_deep: false }
    }

    /// Runs `f`; when it fails, puts the position back (every choice, option and repetition
    /// of the grammar is tried through here).
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.too_deep {
            return None;
        }
        let (start, depth, nots) = (self.pos, self.depth, self.nots);
        let result = f(self);
        if result.is_none() {
            (self.pos, self.depth, self.nots) = (start, depth, nots);
        }
        result
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn span_from(&self, start: usize) -> Span {
        Span { file: self.file, start, end: self.pos }
    }

    fn slice(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// `WHITESPACE` and `COMMENT`, as pest skips them between tokens.
    fn skip(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.pos += 1,
                b'#' => {
                    let rest = self.bytes.get(self.pos..).unwrap_or_default();
                    self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
                }
                _ => return,
            }
        }
    }

    fn literal(&mut self, s: &str) -> Option<()> {
        let end = self.pos + s.len();
        (self.bytes.get(self.pos..end) == Some(s.as_bytes())).then(|| self.pos = end)
    }

    /// An opening bracket. The nesting limit is checked here rather than by a scan of the
    /// whole text first (which cost a tenth of parsing): past it, parsing stops and the text
    /// is left to `parser.rs`, which reports it. In valid text every bracket outside strings
    /// and comments passes through here, so the count is the scan's.
    fn open(&mut self, bracket: &str) -> Option<()> {
        self.literal(bracket)?;
        self.depth += 1;
        self.limit(self.depth)
    }

    fn close(&mut self, bracket: &str) -> Option<()> {
        self.literal(bracket)?;
        self.depth -= 1;
        Some(())
    }

    /// Stops parsing when `level` passes the nesting limit.
    fn limit(&mut self, level: usize) -> Option<()> {
        self.too_deep |= level > MAX_NESTING;
        (!self.too_deep).then_some(())
    }

    /// The keyword at `from`, if there is one: the grammar's `keyword` lookahead, a keyword not
    /// followed by a `word_char`, which is the run of word characters being a keyword. Only
    /// the first [`LONGEST_KEYWORD`] + 1 characters of the run are looked at: a path of many
    /// dotted segments asks at every segment, and scanning the rest of the run each time made
    /// it quadratic.
    fn keyword_at(&self, from: usize) -> Option<&'a str> {
        let rest = self.bytes.get(from..).unwrap_or_default();
        let run = rest.iter().take(LONGEST_KEYWORD + 1).take_while(|&&b| is_word_char(b)).count();
        // Most names share no first letter and length with any keyword, and are told from
        // one without comparing (this was a twentieth of a small run).
        let shapes = rest.first().and_then(|b| KEYWORD_SHAPES.get(usize::from(b.wrapping_sub(b'a'))))?;
        if run > LONGEST_KEYWORD || shapes & (1 << run) == 0 {
            return None;
        }
        let word = self.text.get(from..from + run)?;
        KEYWORDS.contains(&word).then_some(word)
    }

    /// `kw_*`: the word, not followed by a `word_char`.
    fn kw(&mut self, word: &str) -> Option<Span> {
        let start = self.pos;
        self.attempt(|p| {
            p.literal(word)?;
            (!p.peek().is_some_and(is_word_char)).then(|| p.span_from(start))
        })
    }

    fn eat_while(&mut self, pred: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn item(&mut self) -> Option<Item> {
        match self.peek()? {
            b'p' => self
                .attempt(|p| p.header().map(Item::Header))
                .or_else(|| self.attempt(|p| p.taxon("purpose").map(Item::Purpose))),
            b'b' => self.entries("basis").map(Item::Basis),
            b'c' => self
                .attempt(|p| p.entries("channel").map(Item::Channel))
                .or_else(|| self.attempt(|p| p.taxon("category").map(Item::Category))),
            b's' => self.set_decl().map(Item::Set),
            b'r' => self.rule_decl().map(|r| Item::Rule(Box::new(r))),
            _ => None,
        }
    }

    fn header(&mut self) -> Option<Header> {
        let start = self.pos;
        self.kw("policy")?;
        self.skip();
        let name = self.string()?;
        self.skip();
        let version = self.attempt(|p| {
            p.kw("version")?;
            p.skip();
            p.string()
        });
        Some(Header { name, version, span: self.span_from(start) })
    }

    /// `basis_decl` and `channel_decl`.
    fn entries(&mut self, keyword: &str) -> Option<Vec<Entry>> {
        self.kw(keyword)?;
        self.skip();
        self.comma_separated(Parser::entry)
    }

    fn entry(&mut self) -> Option<Entry> {
        let name = self.ident()?;
        self.skip();
        let label = self.attempt(Parser::string);
        Some(Entry { name, label })
    }

    /// A repetition `(x)*` after its first element: each further `x` is preceded by the
    /// implicit whitespace, which is given back when `x` fails.
    fn repeat<T>(&mut self, out: &mut Vec<T>, mut f: impl FnMut(&mut Self) -> Option<T>) {
        while let Some(x) = self.attempt(|p| {
            p.skip();
            f(p)
        }) {
            out.push(x);
        }
    }

    /// `x ~ (separator ~ x)*`: one or more, with pest's implicit whitespace around each
    /// separator.
    fn separated<T>(
        &mut self,
        mut separator: impl FnMut(&mut Self) -> Option<()>,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = vec![item(self)?];
        self.skip();
        self.repeat(&mut out, |p| {
            separator(p)?;
            p.skip();
            item(p)
        });
        Some(out)
    }

    /// `x ~ ("," ~ x)*`.
    fn comma_separated<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.separated(|p| p.literal(","), item)
    }

    /// `x ~ (x)*` and `(x ~ (x)*)?` alike: zero or more, each after the implicit whitespace
    /// but the first.
    fn zero_or_more<T>(&mut self, mut f: impl FnMut(&mut Self) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        if let Some(first) = self.attempt(&mut f) {
            out.push(first);
            self.repeat(&mut out, f);
        }
        out
    }

    fn set_decl(&mut self) -> Option<SetDecl> {
        let start = self.pos;
        self.kw("set")?;
        self.skip();
        let name = self.ident()?;
        self.skip();
        self.literal("=")?;
        self.skip();
        let Value::List(values, _) = self.list()? else { return None };
        Some(SetDecl { name, values, span: self.span_from(start) })
    }

    /// `category_decl` and `purpose_decl`; their bodies hold only their own kind.
    fn taxon(&mut self, keyword: &str) -> Option<TaxonDecl> {
        let start = self.pos;
        self.kw(keyword)?;
        self.skip();
        let path = self.path()?;
        self.skip();
        let label = self.attempt(Parser::string);
        self.skip();
        let under = self
            .attempt(|p| {
                p.kw("under")?;
                p.skip();
                p.comma_separated(Parser::path)
            })
            .unwrap_or_default();
        self.skip();
        let children = self
            .attempt(|p| {
                p.open("{")?;
                p.skip();
                let children = p.zero_or_more(|p| p.taxon(keyword));
                p.skip();
                p.close("}")?;
                Some(children)
            })
            .unwrap_or_default();
        Some(TaxonDecl { path, label, under, children, span: self.span_from(start) })
    }

    fn rule_decl(&mut self) -> Option<RuleDecl> {
        let start = self.pos;
        self.kw("rule")?;
        self.skip();
        let name = self.ident()?;
        self.skip();
        self.open("{")?;
        self.skip();
        let effect = self.effect()?;
        self.skip();
        let condition = self.attempt(Parser::condition);
        self.skip();
        let because = self.attempt(|p| {
            p.kw("because")?;
            p.skip();
            p.string()
        });
        self.skip();
        let cite = self.attempt(|p| {
            p.kw("cite")?;
            p.skip();
            p.string()
        });
        self.skip();
        self.close("}")?;
        Some(RuleDecl { name, effect, condition, because, cite, span: self.span_from(start) })
    }

    fn effect(&mut self) -> Option<Effect> {
        let plain = self.attempt(|p| {
            let (kind, keyword) = if let Some(k) = p.kw("allow") {
                (EffectKind::Allow, k)
            } else if let Some(k) = p.kw("deny") {
                (EffectKind::Deny, k)
            } else {
                (EffectKind::Warn, p.kw("warn")?)
            };
            p.skip();
            let (categories, purposes) = p.scope()?;
            Some(Effect { kind, keyword, categories, purposes })
        });
        plain.or_else(|| {
            self.attempt(|p| {
                let keyword = p.kw("retain")?;
                p.skip();
                let (categories, purposes) = p.scope()?;
                p.skip();
                p.kw("at")?;
                p.skip();
                p.kw("most")?;
                p.skip();
                let duration = p.duration()?;
                Some(Effect { kind: EffectKind::Retain(duration), keyword, categories, purposes })
            })
        })
    }

    fn scope(&mut self) -> Option<(Targets, Targets)> {
        let categories = self.targets()?;
        self.skip();
        self.kw("for")?;
        self.skip();
        Some((categories, self.targets()?))
    }

    fn targets(&mut self) -> Option<Targets> {
        let start = self.pos;
        if self.literal("*").is_some() {
            return Some(Targets::Any(self.span_from(start)));
        }
        if let Some(span) = self.kw("campaign") {
            return Some(Targets::Campaign(span));
        }
        self.comma_separated(Parser::path).map(Targets::Paths)
    }

    fn condition(&mut self) -> Option<Condition> {
        let start = self.pos;
        let negated = if self.kw("when").is_some() {
            false
        } else {
            self.kw("unless")?;
            true
        };
        self.nots = 0;
        self.skip();
        let expr = self.expr()?;
        Some(Condition { negated, span: self.span_from(start), expr })
    }

    fn expr(&mut self) -> Option<Expr> {
        self.joined("or", Parser::and_expr, Expr::Or)
    }

    fn and_expr(&mut self) -> Option<Expr> {
        self.joined("and", Parser::unary, Expr::And)
    }

    /// `expr` and `and_expr`: operands joined by a keyword; a single operand stands alone.
    fn joined(
        &mut self,
        keyword: &str,
        operand: fn(&mut Self) -> Option<Expr>,
        join: fn(Vec<Expr>) -> Expr,
    ) -> Option<Expr> {
        // After the first operand, a chain of `not`s starts again behind the keyword.
        let mut parts = self.separated(
            |p| {
                p.kw(keyword)?;
                p.nots = 0;
                Some(())
            },
            operand,
        )?;
        Some(if parts.len() == 1 { parts.pop()? } else { join(parts) })
    }

    fn unary(&mut self) -> Option<Expr> {
        if let Some(not) = self.attempt(|p| {
            p.kw("not")?;
            // The scan in `parser.rs` counts `not` words with no other word between them. In
            // valid text those are this chain, bracketed or not, plus at most one more: a
            // field ending in `.not` just before a quantifier's bracket. Counting that one
            // always keeps every text the scan would refuse away from this parser.
            p.nots += 1;
            p.limit(p.nots + 1)?;
            p.skip();
            p.unary()
        }) {
            return Some(Expr::Not(Box::new(not)));
        }
        if let Some(quant) = self.attempt(Parser::quant) {
            return Some(quant);
        }
        if let Some(inner) = self.attempt(|p| {
            p.open("(")?;
            p.skip();
            let inner = p.expr()?;
            p.skip();
            p.close(")")?;
            Some(inner)
        }) {
            return Some(inner);
        }
        self.test()
    }

    fn quant(&mut self) -> Option<Expr> {
        let start = self.pos;
        let kind = if self.kw("any").is_some() {
            Quantifier::Any
        } else {
            self.kw("all")?;
            Quantifier::All
        };
        self.nots = 0;
        self.skip();
        let list = self.field()?;
        self.skip();
        self.open("(")?;
        self.skip();
        let body = self.expr()?;
        self.skip();
        self.close(")")?;
        Some(Expr::Quant { span: self.span_from(start), kind, list, body: Box::new(body) })
    }

    fn test(&mut self) -> Option<Expr> {
        let start = self.pos;
        let field = self.field()?;
        self.skip();
        let test = self
            .attempt(Parser::is_test)
            .or_else(|| {
                self.attempt(|p| {
                    p.kw("under")?;
                    p.skip();
                    p.path().map(Test::Under)
                })
            })
            .or_else(|| self.attempt(Parser::compare))
            .unwrap_or(Test::Truthy);
        Some(Expr::Test { span: self.span_from(start), field, test })
    }

    fn is_test(&mut self) -> Option<Test> {
        self.kw("is")?;
        self.skip();
        let negated = self.kw("not").is_some();
        self.skip();
        if self.kw("set").is_some() {
            return Some(Test::IsSet { negated });
        }
        self.kw("empty")?;
        Some(Test::IsEmpty { negated })
    }

    fn compare(&mut self) -> Option<Test> {
        let start = self.pos;
        let op = self.op()?;
        let op_span = self.span_from(start);
        self.skip();
        Some(Test::Compare(op, op_span, self.value()?))
    }

    fn op(&mut self) -> Option<Op> {
        const SYMBOLS: [(&str, Op); 6] =
            [("==", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];
        if let Some(&(_, op)) = SYMBOLS.iter().find(|(s, _)| self.literal(s).is_some()) {
            return Some(op);
        }
        if self
            .attempt(|p| {
                p.kw("not")?;
                p.skip();
                p.kw("in")
            })
            .is_some()
        {
            return Some(Op::NotIn);
        }
        const WORDS: [(&str, Op); 5] = [
            ("in", Op::In),
            ("contains", Op::Contains),
            ("within", Op::Within),
            ("overlaps", Op::Overlaps),
            ("matches", Op::Matches),
        ];
        WORDS.iter().find(|(w, _)| self.kw(w).is_some()).map(|&(_, op)| op)
    }

    fn value(&mut self) -> Option<Value> {
        let start = self.pos;
        if let Some(s) = self.attempt(Parser::string) {
            return Some(Value::Str(s));
        }
        if let Some(d) = self.attempt(Parser::duration) {
            return Some(Value::Duration(d));
        }
        if let Some(n) = self.attempt(Parser::number) {
            return Some(Value::Int(n, self.span_from(start)));
        }
        if let Some(span) = self.kw("true") {
            return Some(Value::Bool(true, span));
        }
        if let Some(span) = self.kw("false") {
            return Some(Value::Bool(false, span));
        }
        if let Some(list) = self.attempt(Parser::list) {
            return Some(list);
        }
        self.word()
    }

    fn list(&mut self) -> Option<Value> {
        let start = self.pos;
        self.open("[")?;
        self.skip();
        let values = self.attempt(|p| p.comma_separated(Parser::value)).unwrap_or_default();
        self.skip();
        self.close("]")?;
        Some(Value::List(values, self.span_from(start)))
    }

    /// `ident`: lower-case, not a keyword, and not followed by an upper-case letter or `-`.
    fn ident(&mut self) -> Option<Ident> {
        let start = self.pos;
        self.skip_ident()?;
        Some(Ident { name: self.slice(start).to_string(), span: self.span_from(start) })
    }

    /// Moves over an `ident`, without making one (a path's segments are not kept).
    fn skip_ident(&mut self) -> Option<()> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_lowercase() || b == b'_') || self.keyword_at(start).is_some() {
            return None;
        }
        self.eat_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if self.peek().is_some_and(|b| b.is_ascii_uppercase() || b == b'-') {
            self.pos = start;
            return None;
        }
        Some(())
    }

    /// `path`: idents joined by dots, white space allowed around them.
    fn path(&mut self) -> Option<Path> {
        let start = self.pos;
        self.dotted(Parser::skip_ident)?;
        Some(Path { text: super::dotted_text(self.slice(start)), span: self.span_from(start) })
    }

    /// `x ~ (dot ~ x)*` in an atomic rule: segments joined by dots, with white space (but no
    /// comment) allowed around each dot.
    fn dotted(&mut self, segment: fn(&mut Self) -> Option<()>) -> Option<()> {
        segment(self)?;
        while self
            .attempt(|p| {
                p.eat_while(is_space);
                p.literal(".")?;
                p.eat_while(is_space);
                segment(p)
            })
            .is_some()
        {}
        Some(())
    }

    /// `field`: the four keywords that are also field names, or a segment whose word is not a
    /// keyword; then `.segment`s.
    fn field(&mut self) -> Option<FieldRef> {
        let start = self.pos;
        if self.keyword_at(start).is_some_and(|k| !matches!(k, "campaign" | "purpose" | "basis" | "category")) {
            return None;
        }
        self.dotted(Parser::field_segment)?;
        Some(FieldRef { text: super::dotted_text(self.slice(start)), span: self.span_from(start) })
    }

    fn field_segment(&mut self) -> Option<()> {
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
            return None;
        }
        self.eat_while(|b| b.is_ascii_alphanumeric() || b == b'_');
        Some(())
    }

    fn word(&mut self) -> Option<Value> {
        let start = self.pos;
        if !self.peek().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') {
            return None;
        }
        self.eat_while(is_word_char);
        Some(Value::Word(self.slice(start).to_string(), self.span_from(start)))
    }

    fn number(&mut self) -> Option<i128> {
        let start = self.pos;
        let _ = self.literal("-");
        if self.eat_while(|b| b.is_ascii_digit()) == 0 || self.peek().is_some_and(is_word_char) {
            return None;
        }
        let text = self.slice(start);
        // As in the tree builder: wider than any field, so that the checker can refuse what
        // does not fit one; beyond even this, the number saturates (and is refused all the same).
        Some(text.parse::<i128>().unwrap_or(if text.starts_with('-') { i128::MIN } else { i128::MAX }))
    }

    fn duration(&mut self) -> Option<DurationLit> {
        let start = self.pos;
        let digits = self.eat_while(|b| b.is_ascii_digit());
        if digits == 0 {
            return None;
        }
        self.eat_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        let unit_start = self.pos;
        if self.keyword_at(unit_start).is_some() || self.eat_while(|b| b.is_ascii_lowercase()) == 0 {
            return None;
        }
        if self.peek().is_some_and(is_word_char) {
            return None;
        }
        let amount = self.text.get(start..start + digits)?.parse().unwrap_or(u64::MAX);
        let unit = self.slice(unit_start).to_string();
        Some(DurationLit { amount, unit, span: self.span_from(start) })
    }

    /// `string`, unescaped as the tree builder does.
    fn string(&mut self) -> Option<Str> {
        let start = self.pos;
        self.literal("\"")?;
        let mut value = String::new();
        loop {
            let rest = self.bytes.get(self.pos..)?;
            let at = memchr::memchr2(b'"', b'\\', rest)?;
            value.push_str(self.text.get(self.pos..self.pos + at)?);
            self.pos += at + 1;
            if rest.get(at) == Some(&b'"') {
                return Some(Str { value: super::with_plain_line_breaks(value), span: self.span_from(start) });
            }
            let escaped = match self.peek()? {
                b'"' => '"',
                b'\\' => '\\',
                b'n' => '\n',
                b't' => '\t',
                _ => return None,
            };
            value.push(escaped);
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_keyword_is_the_longest_keyword() {
        assert_eq!(KEYWORDS.iter().map(|k| k.len()).max(), Some(LONGEST_KEYWORD));
    }

    fn keyword_in(text: &str) -> Option<&str> {
        Parser::new(FileId(0), text).keyword_at(0)
    }

    #[test]
    fn keyword_at_finds_exactly_the_keywords() {
        for keyword in KEYWORDS {
            for after in ["", " x", "(", "\n"] {
                assert_eq!(keyword_in(&format!("{keyword}{after}")), Some(keyword));
            }
            // A longer or shorter word, or one that runs on, is another word.
            let others = [
                format!("{keyword}s"),
                format!("{keyword}_"),
                format!("{keyword}.a"),
                format!("{keyword}-"),
                format!("x{keyword}"),
                keyword[1..].to_string(),
                keyword[..keyword.len() - 1].to_string(),
            ];
            for other in others {
                assert_eq!(keyword_in(&other), KEYWORDS.iter().copied().find(|k| *k == other), "{other}");
            }
        }
        for name in ["", "A", "Z", "{", "é", "not_", "campaigns", "overlapsx", "z", "ally", "email", "purposes"] {
            assert_eq!(keyword_in(name), None, "{name}");
        }
    }
}
