//! The syntax tree of one policy file. Every node keeps its [`Span`].

use crate::source::Span;

/// A name with its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A dotted name (`contact.email`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    /// The full text, dots included.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

impl Path {
    /// The dot-separated segments.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.text.split('.')
    }
}

/// A string literal, escapes resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    /// The value.
    pub value: String,
    /// Where it is, quotes included.
    pub span: Span,
}

/// One parsed policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFile {
    /// Top-level items in source order.
    pub items: Vec<Item>,
}

/// A top-level declaration.
// Items are built once per file and never copied around, so their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `policy "name" version "v"`.
    Header(Header),
    /// `basis a, b "label"`.
    Basis(Vec<Entry>),
    /// `channel a, b`.
    Channel(Vec<Entry>),
    /// `set name = [...]`.
    Set(SetDecl),
    /// `category path …`.
    Category(TaxonDecl),
    /// `purpose path …`.
    Purpose(TaxonDecl),
    /// `rule name { … }`, boxed: a rule is three times the size of any other item, and a
    /// large policy's list of items was copied as it grew.
    Rule(Box<RuleDecl>),
}

/// The policy header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The policy's name.
    pub name: Str,
    /// Its version, if given.
    pub version: Option<Str>,
    /// The `policy` keyword.
    pub span: Span,
}

/// A basis or channel entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The declared name.
    pub name: Ident,
    /// An optional human label.
    pub label: Option<Str>,
}

/// `set name = [values]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetDecl {
    /// The set's name.
    pub name: Ident,
    /// Its members, as written.
    pub values: Vec<Value>,
    /// From `set` to the closing bracket.
    pub span: Span,
}

/// A category or purpose declaration with its nested children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxonDecl {
    /// The declared path (a single name when nested in braces).
    pub path: Path,
    /// An optional human label.
    pub label: Option<Str>,
    /// Extra parents.
    pub under: Vec<Path>,
    /// Children declared inside braces.
    pub children: Vec<TaxonDecl>,
    /// From the keyword to the closing brace (or the last token when there are no braces).
    pub span: Span,
}

/// A rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDecl {
    /// The rule's name.
    pub name: Ident,
    /// What it does and to which uses.
    pub effect: Effect,
    /// `when` / `unless`.
    pub condition: Option<Condition>,
    /// The reason shown to marketers.
    pub because: Option<Str>,
    /// The legal citation.
    pub cite: Option<Str>,
    /// From `rule` to the closing brace.
    pub span: Span,
}

/// What a rule does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EffectKind {
    /// `allow`.
    Allow,
    /// `deny`.
    Deny,
    /// `warn`.
    Warn,
    /// `retain … at most D`.
    Retain(DurationLit),
}

/// The effect line of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    /// The kind.
    pub kind: EffectKind,
    /// The span of the effect keyword.
    pub keyword: Span,
    /// Left of `for`.
    pub categories: Targets,
    /// Right of `for`.
    pub purposes: Targets,
}

/// One side of a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Targets {
    /// `*`.
    Any(Span),
    /// `campaign`.
    Campaign(Span),
    /// A list of taxonomy paths.
    Paths(Vec<Path>),
}

/// `when E` or `unless E`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// True for `unless`.
    pub negated: bool,
    /// From `when`/`unless` to the end of the expression.
    pub span: Span,
    /// The expression.
    pub expr: Expr,
}

/// A condition expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `a or b or …`.
    Or(Vec<Expr>),
    /// `a and b and …`.
    And(Vec<Expr>),
    /// `not e`.
    Not(Box<Expr>),
    /// `any L (e)` / `all L (e)`.
    Quant {
        /// The whole quantifier.
        span: Span,
        /// Any or all.
        kind: Quantifier,
        /// The list field.
        list: FieldRef,
        /// The body, over the element's fields.
        body: Box<Expr>,
    },
    /// A test of one field.
    Test {
        /// The whole test, field to value.
        span: Span,
        /// The field.
        field: FieldRef,
        /// What is tested.
        test: Test,
    },
}

/// `any` or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantifier {
    /// Some element satisfies the body.
    Any,
    /// Every element satisfies the body.
    All,
}

/// A field path on the left of a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRef {
    /// The text, dots included.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// The test applied to a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    /// A bare boolean field.
    Truthy,
    /// `is set` / `is not set`.
    IsSet {
        /// `is not set`.
        negated: bool,
    },
    /// `is empty` / `is not empty`.
    IsEmpty {
        /// `is not empty`.
        negated: bool,
    },
    /// `under PATH`.
    Under(Path),
    /// `op value`.
    Compare(Op, Span, Value),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `contains`
    Contains,
    /// `within`
    Within,
    /// `overlaps`
    Overlaps,
    /// `matches`: a text field against a regular expression.
    Matches,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Contains => "contains",
            Op::Within => "within",
            Op::Overlaps => "overlaps",
            Op::Matches => "matches",
        }
    }
}

/// A literal on the right of a test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `"text"`.
    Str(Str),
    /// An integer, as written: it may not fit the 64 bits of a campaign's numbers, which the
    /// checker refuses.
    Int(i128, Span),
    /// `true` / `false`.
    Bool(bool, Span),
    /// `24 months`.
    Duration(DurationLit),
    /// An unquoted word: a symbol, or the name of a set.
    Word(String, Span),
    /// `[a, b]`.
    List(Vec<Value>, Span),
}

impl Value {
    /// Where the value is.
    pub fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span,
            Value::Duration(d) => d.span,
            Value::Int(_, s) | Value::Bool(_, s) | Value::Word(_, s) | Value::List(_, s) => *s,
        }
    }
}

/// A duration as written; the unit is checked by `policy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationLit {
    /// The number.
    pub amount: u64,
    /// The unit word.
    pub unit: String,
    /// Where it is.
    pub span: Span,
}
