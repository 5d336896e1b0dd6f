//! Type checking of conditions against the campaign fields of spec 2.2: fields and tests
//! here, the values they compare with in `values`, category and purpose names in `names`.

mod names;
mod values;

use std::collections::BTreeMap;

use super::check::Kind;
use super::fields::{self, Context, FieldError, FieldType, Need, ObjectKind, ScalarType};
use super::model::*;
use super::taxonomy::Taxonomy;
use crate::diagnostic::{Code, Problem};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Expr, Op, Test, Value};

/// Where a category or purpose is named, for help that fits the place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Site {
    /// One side of a rule's `CATEGORIES for PURPOSES`.
    Scope,
    /// A value in a condition (`category under …`, `purpose == …`).
    Condition,
}

pub(super) struct TypeChecker<'a> {
    pub bases: &'a Vocabulary,
    pub channels: &'a Vocabulary,
    pub categories: &'a Taxonomy<CategoryId>,
    pub purposes: &'a Taxonomy<PurposeId>,
    pub sets: &'a BTreeMap<String, (Vec<String>, Span)>,
    /// The policy's text, for a value as written (`07`, which the syntax tree holds as `7`).
    pub sources: &'a SourceMap,
    /// Each distinct pattern of `matches`, compiled once: a pack repeats one pattern in every
    /// sign-off test, and compiling it costs more than checking the rest of a rule.
    pub patterns: std::sync::Mutex<std::collections::HashMap<String, Result<Pattern, String>>>,
}

/// What a test needs of its field, so that an unknown field is told only fields that fit.
fn need_of(test: &Test) -> Need {
    match test {
        Test::Truthy => Need::Scalar(ScalarType::Bool),
        Test::IsSet { .. } => Need::Any,
        Test::IsEmpty { .. } => Need::AnyList,
        Test::Under(_) => Need::Taxonomy,
        Test::Compare(Op::Contains | Op::Within | Op::Overlaps, _, _) => Need::List,
        Test::Compare(Op::Matches, _, _) => Need::Scalar(ScalarType::Text),
        Test::Compare(_, _, Value::Bool(..)) => Need::Scalar(ScalarType::Bool),
        Test::Compare(_, _, Value::Int(..)) => Need::Scalar(ScalarType::Int),
        Test::Compare(_, _, Value::Duration(_)) => Need::Scalar(ScalarType::Duration),
        Test::Compare(..) => Need::Any,
    }
}

fn type_error(span: Span, message: String, label: &str, help: String) -> Problem {
    Problem::at(Code::Type, span, message, label).with_help(help)
}

impl TypeChecker<'_> {
    pub(super) fn duration(&self, d: &ast::DurationLit) -> Result<Retention, Problem> {
        let Some(unit) = DurationUnit::parse(&d.unit) else {
            let meant = Retention::meant(d.amount, &d.unit);
            let help = match (meant, DurationUnit::suggest(&d.unit, Some(d.amount))) {
                (Some(r), _) => format!("did you mean `{r}`?"),
                (None, Some(s)) => format!("did you mean `{} {s}`?", d.amount),
                (None, None) => "a duration unit is `day(s)`, `week(s)`, `month(s)` or `year(s)`".to_string(),
            };
            return Err(Problem::at(
                Code::Duration,
                d.span,
                format!("unknown duration unit `{}`", d.unit),
                "not a unit",
            )
            .with_help(help));
        };
        Retention::new(d.amount, unit).ok_or_else(|| {
            let most = format!("{} {}", unit.most(), unit.plural());
            Problem::at(Code::Duration, d.span, format!("duration is too long: the longest is `{most}`"), "too long")
                .with_help(format!("write a length of at most `{most}`"))
        })
    }

    /// Type checks an expression; `None` when it has errors (already pushed).
    pub(super) fn expr(&self, e: &Expr, ctx: Context, problems: &mut Vec<Problem>) -> Option<Cond> {
        match e {
            Expr::Or(parts) => self.all(parts, ctx, problems).map(Cond::Or),
            Expr::And(parts) => self.all(parts, ctx, problems).map(Cond::And),
            Expr::Not(inner) => self.expr(inner, ctx, problems).map(|c| Cond::Not(Box::new(c))),
            Expr::Quant { span, kind, list, body } => {
                let (field, ty) = self.field(list, ctx, Need::Objects, problems)?;
                let FieldType::Objects(obj) = ty else {
                    problems.push(type_error(
                        list.span,
                        format!("`{}` is {}, not a list of objects", list.text, ty.describe()),
                        "cannot use `any`/`all` here",
                        "`any` and `all` range over `processors` or `data`; for a list of values use `contains`, `within` or `overlaps`".into(),
                    ));
                    return None;
                };
                let inner_ctx = match obj {
                    ObjectKind::Processor => Context::Processor,
                    ObjectKind::DataUse => Context::DataUse,
                };
                let body = self.expr(body, inner_ctx, problems)?;
                Some(Cond::Quant {
                    span: *span,
                    quantifier: *kind,
                    list: obj,
                    field: FieldUse { field, text: list.text.clone(), span: list.span },
                    body: Box::new(body),
                })
            }
            Expr::Test { span, field, test } => {
                let (f, ty) = self.field(field, ctx, need_of(test), problems)?;
                let test = self.test(field, ty, test, problems)?;
                Some(Cond::Test {
                    span: *span,
                    field: FieldUse { field: f, text: field.text.clone(), span: field.span },
                    test,
                })
            }
        }
    }

    fn all(&self, parts: &[Expr], ctx: Context, problems: &mut Vec<Problem>) -> Option<Vec<Cond>> {
        let checked: Vec<Option<Cond>> = parts.iter().map(|p| self.expr(p, ctx, problems)).collect();
        checked.into_iter().collect()
    }

    fn field(
        &self,
        f: &ast::FieldRef,
        ctx: Context,
        need: Need,
        problems: &mut Vec<Problem>,
    ) -> Option<(fields::Field, FieldType)> {
        match fields::resolve(&f.text, ctx) {
            Ok(r) => Some(r),
            Err(FieldError::UseOnly) => {
                problems.push(type_error(
                    f.span,
                    format!("`{}` describes a single data use and cannot be tested in a `campaign` rule", f.text),
                    "per-use field",
                    format!("test it in a per-use rule, or over all uses with `any data ({} …)`", f.text),
                ));
                None
            }
            Err(FieldError::Unknown(names)) => {
                let inside = match ctx {
                    Context::Processor => " of a processor",
                    Context::DataUse => " of a data use",
                    _ => "",
                };
                problems.push(
                    Problem::at(
                        Code::UnknownName,
                        f.span,
                        format!("unknown field{inside} `{}`", f.text),
                        "not a campaign field",
                    )
                    .with_help(match self.declared_as(&f.text) {
                        // `email in channels`: the sides swapped, or a value written alone.
                        Some(kind) => format!(
                            "`{}` is a {}, not a field: a test starts with a field, e.g. {}",
                            f.text,
                            kind.noun(),
                            kind.example_test(&f.text)
                        ),
                        None => self
                            .not_a_field_help(&f.text, ctx)
                            .unwrap_or_else(|| fields::unknown_help(&f.text, need, &names)),
                    }),
                );
                None
            }
        }
    }

    /// Help for an unknown field that is something else the author could have meant: a field
    /// of each processor or data use written as a path (`processors.dpa`), which is tested
    /// inside `any` / `all`, or a value of a set written where the field goes (`SE in eea`).
    fn not_a_field_help(&self, text: &str, ctx: Context) -> Option<String> {
        // `labels is set`, `labels.a.b == x`: labels are read one key at a time.
        if text == "labels" || text.strip_prefix("labels.").is_some_and(|key| key.contains('.')) {
            return Some(
                "labels are read one key at a time: `labels.KEY`, e.g. `labels.lia is set` or `labels.brand == acme` \
                 (a key has no dots)"
                    .to_string(),
            );
        }
        let element = match text.split_once('.') {
            // `processor.dpa` too: "did you mean `processors`?" led to the next error.
            Some(("processors" | "processor", inner)) => Some(("processors", inner, Context::Processor, "processor")),
            Some(("data", inner)) => Some(("data", inner, Context::DataUse, "data use")),
            _ => None,
        };
        if let Some((list, inner, element_ctx, one)) = element {
            if matches!(ctx, Context::Use | Context::Campaign) && fields::resolve(inner, element_ctx).is_ok() {
                return Some(format!(
                    "`{inner}` is a field of each {one}: test it inside `any {list} ({inner} …)` (some {one}) or \
                     `all {list} ({inner} …)` (every one)"
                ));
            }
        }
        let set = self.sets.iter().find(|(_, (members, _))| members.iter().any(|m| m == text)).map(|(name, _)| name)?;
        Some(format!(
            "`{text}` is a value (in set `{set}`), not a field: a test starts with the field that holds it, \
             e.g. `audience.regions contains {text}` for a list field, `FIELD == {text}` for a single value"
        ))
    }

    fn test(&self, f: &ast::FieldRef, ty: FieldType, test: &Test, problems: &mut Vec<Problem>) -> Option<CheckedTest> {
        let name = &f.text;
        match test {
            Test::Truthy => {
                if ty == FieldType::Scalar(ScalarType::Bool) {
                    return Some(CheckedTest::Truthy);
                }
                // Each kind of field is told a test it takes: `processors == …` is an error too.
                let help = match ty {
                    FieldType::List(_) => {
                        format!("test it, e.g. `{name} is not empty`, `{name} contains …` or `{name} overlaps […]`")
                    }
                    FieldType::Objects(_) => {
                        format!("test its elements, e.g. `any {name} (…)`, or `{name} is not empty`")
                    }
                    FieldType::Scalar(_) => format!("compare it, e.g. `{name} is set` or `{name} == …`"),
                };
                problems.push(type_error(
                    f.span,
                    format!("`{name}` is {}, not true or false", ty.describe()),
                    "not a condition on its own",
                    help,
                ));
                None
            }
            Test::IsSet { negated } => Some(CheckedTest::IsSet { negated: *negated }),
            Test::IsEmpty { negated } => {
                if matches!(ty, FieldType::List(_) | FieldType::Objects(_)) {
                    return Some(CheckedTest::IsEmpty { negated: *negated });
                }
                problems.push(type_error(
                    f.span,
                    format!("`{name}` is {}, so it cannot be empty", ty.describe()),
                    "not a list",
                    format!("use `{name} is set` / `is not set` to test whether it is given"),
                ));
                None
            }
            Test::Under(path) => match ty {
                FieldType::Scalar(ScalarType::Category) => self
                    .taxon(Kind::Category, Site::Condition, self.categories, path, problems)
                    .map(CheckedTest::UnderCategory),
                FieldType::Scalar(ScalarType::Purpose) => self
                    .taxon(Kind::Purpose, Site::Condition, self.purposes, path, problems)
                    .map(CheckedTest::UnderPurpose),
                _ => {
                    problems.push(type_error(
                        f.span,
                        format!("`under` follows a taxonomy, but `{name}` is {}", ty.describe()),
                        "not a category or purpose",
                        "use `under` with `category` or `purpose`".into(),
                    ));
                    None
                }
            },
            Test::Compare(op, op_span, value) => self.compare(f, ty, *op, *op_span, value, problems),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare(
        &self,
        f: &ast::FieldRef,
        ty: FieldType,
        op: Op,
        op_span: Span,
        value: &Value,
        problems: &mut Vec<Problem>,
    ) -> Option<CheckedTest> {
        let name = &f.text;
        let mismatch = |problems: &mut Vec<Problem>, help: String| {
            let message = format!("`{name}` is {}, so `{}` cannot be used on it", ty.describe(), op.as_str());
            refuse(problems, type_error(op_span.to(value.span()), message, "type mismatch", help))
        };
        match (op, ty, value) {
            // `owner != [a, b]`: "write a name" would keep one value and change the rule.
            (Op::Eq | Op::Ne, FieldType::Scalar(s), Value::List(_, span)) => {
                let list = self.sources.text(*span).unwrap_or("[…]");
                let test = if op == Op::Eq { "in" } else { "not in" };
                refuse(
                    problems,
                    type_error(
                        *span,
                        format!("expected {}, found a list", s.describe()),
                        "a list",
                        format!(
                            "to test `{name}` against each value of the list, write `{name} {test} {list}` \
                             (`{}` compares one value)",
                            op.as_str()
                        ),
                    ),
                )
            }
            (Op::Eq | Op::Ne, FieldType::Scalar(s), _) => {
                let value = self.literal(value, s, problems)?;
                Some(CheckedTest::Equals { value, negated: op == Op::Ne })
            }
            (Op::Lt | Op::Le | Op::Gt | Op::Ge, FieldType::Scalar(s @ (ScalarType::Int | ScalarType::Duration)), _) => {
                let value = self.literal(value, s, problems)?;
                let ord = match op {
                    Op::Lt => Ordering::Lt,
                    Op::Le => Ordering::Le,
                    Op::Gt => Ordering::Gt,
                    _ => Ordering::Ge,
                };
                Some(CheckedTest::Compare(ord, value))
            }
            (Op::In | Op::NotIn, FieldType::Scalar(s), _) => {
                let values = self.list(value, s, problems)?;
                Some(CheckedTest::In { values, negated: op == Op::NotIn })
            }
            (Op::Contains, FieldType::List(_), Value::Word(set, span)) if self.set(set).is_some() => {
                refuse(problems, contains_set(name, set, *span))
            }
            (Op::Contains, FieldType::List(_), Value::List(items, span)) => {
                refuse(problems, self.contains_list(name, items, *span))
            }
            (Op::Contains, FieldType::List(s), _) => self.literal(value, s, problems).map(CheckedTest::Contains),
            (Op::Within, FieldType::List(s), _) => self.list(value, s, problems).map(CheckedTest::Within),
            (Op::Overlaps, FieldType::List(s), _) => self.list(value, s, problems).map(CheckedTest::Overlaps),
            (Op::Matches, FieldType::Scalar(ScalarType::Text), _) => {
                self.pattern(value, problems).map(CheckedTest::Matches)
            }
            (Op::Matches, FieldType::List(_) | FieldType::Objects(_), _) => {
                mismatch(problems, format!("`matches` searches one text; `{name}` is a list"))
            }
            (Op::Matches, FieldType::Scalar(_), _) => mismatch(
                problems,
                "`matches` searches free text (an owner, a source, a contact, a label) with a regular expression; \
                 compare names, numbers and durations with `==`, `in`, `<` …"
                    .into(),
            ),
            (Op::Lt | Op::Le | Op::Gt | Op::Ge, _, _) => {
                mismatch(problems, "`<`, `<=`, `>` and `>=` compare numbers and durations".into())
            }
            (Op::Contains | Op::Within | Op::Overlaps, FieldType::Scalar(_), _) => {
                mismatch(problems, format!("`{}` tests a list; for a single value use `==` or `in`", op.as_str()))
            }
            (_, FieldType::List(_), _) => {
                mismatch(problems, format!("`{name}` is a list: use `contains`, `within`, `overlaps` or `is empty`"))
            }
            (_, FieldType::Objects(_), _) => {
                mismatch(problems, format!("test the elements with `any {name} (…)` or `all {name} (…)`"))
            }
        }
    }

    /// `channels contains [email, sms]` (the list at `span`): "write a name" would drop all but
    /// one of them; "any of them" and "all of them" are both readings, so both are told.
    fn contains_list(&self, name: &str, items: &[Value], span: Span) -> Problem {
        let written: Vec<&str> = items.iter().filter_map(|v| self.sources.text(v.span())).collect();
        let each: Vec<String> = written.iter().map(|v| format!("{name} contains {v}")).collect();
        let list = self.sources.text(span).unwrap_or("[…]");
        let all = match each.len() {
            0 | 1 => format!("`{name} contains VALUE`"),
            // In brackets, so that it can stand where the test stood: after `not`, unbracketed
            // it would read `(not a) and b`.
            _ => format!("`({})`", each.join(" and ")),
        };
        type_error(
            span,
            "`contains` tests one value, found a list".to_string(),
            "a list",
            format!("for any of them write `{name} overlaps {list}`; for all of them, one `contains` each: {all}"),
        )
    }
}

/// `channels contains eea`: a set (named at `span`) where `contains` tests one value.
fn contains_set(name: &str, set: &str, span: Span) -> Problem {
    type_error(
        span,
        format!("`{set}` is a set, not a single value"),
        "a list",
        format!(
            "to test `{name}` against a set, write `{name} overlaps {set}` (an item in common) or `{name} within {set}` (every item in the set)"
        ),
    )
}

/// Records `problem` for a test or value that is refused.
fn refuse<T>(problems: &mut Vec<Problem>, problem: Problem) -> Option<T> {
    problems.push(problem);
    None
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::policy::{load_texts, PolicyText};

    const BASE: &str = "basis consent\nchannel email\ncategory c { category d }\npurpose m\nset eea = [SE]\n";

    fn errors(condition: &str, campaign_level: bool) -> Vec<(Code, String)> {
        let scope = if campaign_level { "campaign" } else { "c" };
        let text = format!("{BASE}rule r {{ deny {scope} for m when {condition} }}\n");
        match load_texts(vec![PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() }]) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.into_iter().map(|p| (p.code, p.message)).collect(),
        }
    }

    /// An unknown member of a set is shown in the set, where its "did you mean" applies, with
    /// the rule's use of the set as a related place.
    #[test]
    fn an_unknown_set_member_is_shown_in_the_set() {
        let text = "basis consent\nchannel email, sms, post\ncategory c\npurpose m\n\
                    set chans = [email,\n  smss,\n  post]\n\
                    rule r { deny c for m when channels overlaps chans because \"x\" }\n";
        let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.as_bytes().to_vec() };
        let Err(e) = load_texts(vec![policy]) else { panic!("accepted") };
        let [p] = e.problems.as_slice() else { panic!("{:?}", e.problems) };
        let crate::diagnostic::Place::Span(at) = p.place else { panic!("not placed") };
        assert_eq!(&text[at.start..at.end], "smss");
        assert_eq!(p.help.as_deref(), Some("did you mean `sms`?"));
        let [related] = p.related.as_slice() else { panic!("no related place") };
        let crate::diagnostic::Place::Span(used) = related.place else { panic!("not placed") };
        assert_eq!(&text[used.start..used.end], "chans");
        assert!(used.start > text.find("rule").expect("rule"));
    }

    /// The help lines of the problems of a condition that must be refused.
    fn help(condition: &str) -> Vec<String> {
        let text = format!("{BASE}rule r {{ deny c for m when {condition} }}\n");
        let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() };
        match load_texts(vec![policy]) {
            Ok(_) => panic!("{condition} was accepted"),
            Err(e) => e.problems.into_iter().filter_map(|p| p.help).collect(),
        }
    }

    #[test]
    fn well_typed_conditions_pass() {
        for ok in [
            "basis == consent",
            "owner == intern and owner == \"intern\"",
            "channels contains email and audience.regions within eea and audience.regions overlaps [SE, eea]",
            "audience.min_age >= 18 or retention <= 24 months",
            "category under c and purpose == m and category in [c.d, c]",
            "any processors (region not in eea and dpa != true) and all data (category under c.d)",
            "rights.unsubscribe and not consent.source is set and security.access is not empty",
            "labels.lia is set",
            "labels.lia matches \"^LIA-[0-9]+$\" and not owner matches \"(?i)intern\"",
            "any processors (name matches \"Inc\\\\.$\") and source matches \"\"",
        ] {
            assert_eq!(errors(ok, false), [], "{ok}");
        }
    }

    /// A pattern that is no regular expression says why in a few words, not the regex crate's
    /// three-line picture; one that would compile to a huge program is refused.
    #[test]
    fn a_pattern_that_does_not_compile_says_why() {
        let got = errors("owner matches \"([a-z\"", false);
        assert_eq!(got, [(Code::Type, "not a regular expression: found unclosed character class".to_string())]);
        let got = errors("owner matches \"[a-z]{1000}{1000}\"", false);
        assert_eq!(got, [(Code::Type, "not a regular expression: it compiles to more than 16 KiB".to_string())]);
        // `matches` is an operator only after a field: a name `matches` is still a name.
        let named = "basis consent\ncategory matches\npurpose m\nrule matches { deny matches for m when owner matches \"x\" }\n";
        let texts = vec![PolicyText {
            relative: "p.policy".into(),
            display: "p.policy".into(),
            bytes: named.as_bytes().to_vec(),
        }];
        assert!(load_texts(texts).is_ok());
    }

    #[test]
    fn type_errors_are_reported() {
        for (bad, code) in [
            ("audience.min_age contains x", Code::Type),
            ("retention > 5", Code::Type),
            ("basis == emial", Code::Type),
            ("channels contains faxx", Code::Type),
            ("owner == eea", Code::Type),
            ("owner", Code::Type),
            ("owner is empty", Code::Type),
            ("channels == email", Code::Type),
            ("processors contains x", Code::Type),
            ("any channels (owner == x)", Code::Type),
            ("category under m", Code::UnknownName),
            ("audience.min_ag > 1", Code::UnknownName),
            ("any processors (owner == x)", Code::UnknownName),
            ("retention <= 2 yeers", Code::Duration),
            ("audience.regions within eae", Code::UnknownName),
            ("owner not in staff", Code::UnknownName),
            ("basis matches \"consent\"", Code::Type),
            ("channels matches \"email\"", Code::Type),
            ("audience.min_age matches \"1\"", Code::Type),
            ("owner matches intern", Code::Type),
            ("owner matches [\"a\"]", Code::Type),
            ("owner matches \"([a-z\"", Code::Type),
            ("owner matches \"a{1000}{1000}\"", Code::Type),
        ] {
            let got = errors(bad, false);
            assert_eq!(got.first().map(|e| e.0), Some(code), "{bad}: {got:?}");
        }
    }

    /// A number no campaign can give is refused, not clamped: clamped, `== 99999999999999999999`
    /// was true for a campaign's largest number.
    #[test]
    fn a_number_beyond_64_bits_is_refused() {
        let large = "number too large: whole numbers are at most 9223372036854775807";
        assert_eq!(errors("audience.min_age == 99999999999999999999", false), [(Code::Type, large.to_string())]);
        assert_eq!(
            errors("audience.min_age in [1, -9223372036854775809]", false),
            [(Code::Type, "number too small: whole numbers are at least -9223372036854775808".to_string())]
        );
        // Beyond 128 bits too; the bounds themselves are numbers.
        assert_eq!(
            errors(&format!("audience.min_age > 1{}", "0".repeat(60)), false),
            [(Code::Type, large.to_string())]
        );
        assert_eq!(
            errors("audience.min_age >= 9223372036854775807 or audience.min_age > -9223372036854775808", false),
            []
        );
    }

    /// An unknown field that is a field of each processor or data use, or a set's value, is
    /// told what it is and how to test it.
    #[test]
    fn a_path_into_a_list_or_a_value_where_a_field_goes_is_explained() {
        assert_eq!(
            help("processors.dpa == true"),
            ["`dpa` is a field of each processor: test it inside `any processors (dpa …)` (some processor) or `all processors (dpa …)` (every one)"]
        );
        assert!(help("data.retention > 1 year")[0].starts_with("`retention` is a field of each data use"));
        assert!(help("SE in eea")[0].starts_with("`SE` is a value (in set `eea`), not a field"));
        for labels in ["labels is set", "labels.a.b == x"] {
            assert!(help(labels)[0].starts_with("labels are read one key at a time: `labels.KEY`"), "{labels}");
        }
    }

    /// A list or a list of objects used as a condition is told a test it takes: the help said
    /// `processors == …`, itself an error.
    #[test]
    fn a_list_used_as_a_condition_is_told_a_test_it_takes() {
        assert_eq!(help("processors"), ["test its elements, e.g. `any processors (…)`, or `processors is not empty`"]);
        assert_eq!(
            help("processor.dpa"),
            ["`dpa` is a field of each processor: test it inside `any processors (dpa …)` (some processor) or `all processors (dpa …)` (every one)"]
        );
        assert!(help("channels")[0].starts_with("test it, e.g. `channels is not empty`, `channels contains …`"));
        assert_eq!(help("owner"), ["compare it, e.g. `owner is set` or `owner == …`"]);
    }

    /// A boolean or number where a text field is compared is told to be quoted: a campaign's
    /// `approved: true` label is the text `true`.
    #[test]
    fn a_boolean_or_number_compared_with_text_is_told_to_be_quoted() {
        assert_eq!(
            help("labels.approved == true"),
            ["write `\"true\"` in double quotes: the field holds text, and unquoted `true` is a boolean"]
        );
        assert_eq!(
            help("owner == 7"),
            ["write `\"7\"` in double quotes: the field holds text, and unquoted `7` is a number"]
        );
    }

    /// `labels.tier == 07` was told `"7"`; a campaign's `tier: 07` is the text `07`
    /// (spec 2.1), so the quoted value keeps the digits as written.
    #[test]
    fn a_number_compared_with_text_is_quoted_as_written() {
        for (written, quoted) in [("07", "\"07\""), ("00", "\"00\""), ("-05", "\"-05\"")] {
            let help = help(&format!("labels.tier == {written}"));
            assert_eq!(
                help,
                [format!(
                    "write `{quoted}` in double quotes: the field holds text, and unquoted `{written}` is a number"
                )]
            );
        }
    }

    #[test]
    fn a_number_and_word_compared_with_text_is_told_to_be_quoted() {
        assert_eq!(
            help("labels.edition == 2nd"),
            ["write the value in double quotes: the field holds text, and unquoted, a number followed by a word reads as a duration"]
        );
    }

    /// An abbreviated unit (`yrs`, `mo`) is refused with the duration it stands for.
    #[test]
    fn an_abbreviated_unit_gets_the_duration_meant() {
        assert_eq!(help("retention > 2 yrs"), ["did you mean `2 years`?"]);
        assert_eq!(help("retention > 1 mo"), ["did you mean `1 month`?"]);
        assert_eq!(help("retention > 2 yeers"), ["did you mean `2 years`?"]);
        assert_eq!(help("retention > 2yrs"), ["did you mean `2 years`?"]);
        assert_eq!(help("retention > 1mo"), ["did you mean `1 month`?"]);
    }

    /// A set whose members are all wrong for the field is one mistake (a set of countries
    /// tested against `basis`), so one problem that names every wrong member.
    #[test]
    fn a_set_of_the_wrong_kind_is_one_problem() {
        let text =
            "basis consent\ncategory c\npurpose m\nset eea = [SE, DK, FI]\nrule r { deny c for m when basis in eea }\n";
        let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into() };
        let problems = match load_texts(vec![policy]) {
            Ok(_) => panic!("a set of countries was accepted as bases"),
            Err(e) => e.problems,
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].message,
            "in set `eea`: `SE` is not a declared lawful basis (2 more members are wrong too: `DK`, `FI`)"
        );
    }

    /// `behaviour.child_profile` in a scope or a condition, for a category whose extra parent
    /// (`under`) is `behaviour`, is told the name it has.
    #[test]
    fn a_category_named_through_an_extra_parent_is_told_its_own_name() {
        let taxonomy =
            "basis consent\ncategory behaviour { category purchases }\ncategory special { category health }\n\
                        category child_profile under behaviour, special\npurpose m\n";
        for rule in [
            "rule a { allow behaviour.child_profile for m }\n",
            "rule a { allow behaviour for m when category == special.child_profile }\n",
        ] {
            let text = format!("{taxonomy}{rule}");
            let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() };
            let problems = match load_texts(vec![policy]) {
                Ok(_) => panic!("{rule} was accepted"),
                Err(e) => e.problems,
            };
            assert_eq!(
                problems[0].help.as_deref(),
                Some(
                    "did you mean `child_profile`? It is declared at the top level, and its extra parents (`under \
                     behaviour, special`) give it no other name"
                ),
                "{rule}"
            );
        }
    }

    /// The message named "a few thousand years" while far longer durations were taken: it
    /// now names the longest there is, and that one is taken.
    #[test]
    fn a_duration_too_long_is_told_the_longest() {
        let most = u64::MAX / 4380;
        assert_eq!(
            help(&format!("retention > {} years", most + 1)),
            [format!("write a length of at most `{most} years`")]
        );
        assert_eq!(
            errors(&format!("retention > {} years", most + 1), false)[0].1,
            format!("duration is too long: the longest is `{most} years`")
        );
        assert!(errors(&format!("retention > {most} years"), false).is_empty());
    }

    /// `owner != [a, b]` was told to write one name, which drops the other values.
    #[test]
    fn a_list_compared_with_equals_gets_in_or_not_in() {
        assert_eq!(
            help("owner != [a, b]"),
            ["to test `owner` against each value of the list, write `owner not in [a, b]` (`!=` compares one value)"]
        );
        assert_eq!(
            help("basis == [consent]"),
            ["to test `basis` against each value of the list, write `basis in [consent]` (`==` compares one value)"]
        );
        assert!(errors("owner not in [a, b] and basis in [consent]", false).is_empty());
    }

    /// The help for a set where one value is due names what works for that field: `in` for a
    /// single value, `overlaps` / `within` for a list (where `in` is itself an error).
    #[test]
    fn a_set_where_a_value_is_due_gets_help_for_its_field() {
        assert_eq!(
            help("owner == eea"),
            ["to test a single value against a set, use `in` or `not in` (`FIELD in eea`)"]
        );
        assert_eq!(
            help("audience.regions contains eea"),
            [
                "to test `audience.regions` against a set, write `audience.regions overlaps eea` (an item in common) or `audience.regions within eea` (every item in the set)"
            ]
        );
    }

    #[test]
    fn an_unknown_set_is_named_with_the_closest_declared_set() {
        let text = format!("{BASE}rule r {{ deny c for m when audience.regions overlaps eeaa }}\n");
        let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() };
        let problems = match load_texts(vec![policy]) {
            Ok(_) => panic!("an unknown set was accepted"),
            Err(e) => e.problems,
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "unknown set `eeaa`");
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `eea`?"));
    }

    #[test]
    fn a_name_of_another_kind_is_called_what_it_is() {
        for (condition, message) in [
            ("category under m", "`m` is a purpose, not a data category"),
            ("purpose == c.d", "`c.d` is a data category, not a purpose"),
            ("purpose in [m, c]", "`c` is a data category, not a purpose"),
            ("basis == email", "`email` is a channel, not a lawful basis"),
            ("audience.regions within consent", "`consent` is a lawful basis, not a set"),
            ("category == eea", "`eea` is a set, not a single value"),
            ("audience.regions within audience.subjects", "`audience.subjects` is a field, not a set"),
        ] {
            let got = errors(condition, false);
            assert_eq!(got.iter().map(|e| e.1.as_str()).collect::<Vec<_>>(), [message], "{condition}");
        }
        // A name declared nowhere is still just unknown.
        assert_eq!(errors("category under q", false)[0].1, "unknown category `q`");
        // `[consent]` would test the word itself: a writer who meant a set is shown the sets.
        assert_eq!(
            help("audience.regions within consent"),
            ["name a declared set (`eea`) for its members, or write a list in brackets, `[consent]`, for `consent` \
              itself"]
        );
    }

    #[test]
    fn null_on_a_field_without_text_is_told_to_test_is_not_set() {
        for condition in ["audience.min_age == null", "rights.unsubscribe != NULL", "basis == nil"] {
            let got = errors(condition, false);
            assert_eq!(got.len(), 1, "{condition}: {got:?}");
            assert!(got[0].1.ends_with("the language has no null"), "{condition}: {got:?}");
        }
    }

    #[test]
    fn a_declared_name_where_a_field_is_due_is_shown_the_test_that_names_it() {
        let help = |condition: &str| {
            let text = format!("{BASE}rule r {{ deny c for m when {condition} }}\n");
            let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() };
            load_texts(vec![policy]).err().and_then(|e| e.problems.into_iter().next()).and_then(|p| p.help)
        };
        assert_eq!(
            help("email in channels").as_deref(),
            Some("`email` is a channel, not a field: a test starts with a field, e.g. `channels contains email`")
        );
        assert_eq!(
            help("consent").as_deref(),
            Some("`consent` is a lawful basis, not a field: a test starts with a field, e.g. `basis == consent`")
        );
        // An unknown field that is no declared name gets the closest field.
        assert_eq!(help("owners == x").as_deref(), Some("did you mean `owner`?"));
    }

    #[test]
    fn swapped_sides_of_a_scope_say_which_side_is_which() {
        let text = format!("{BASE}rule r {{ allow m for c.d }}\n");
        let policy = PolicyText { relative: "p".into(), display: "p".into(), bytes: text.into_bytes() };
        let problems = match load_texts(vec![policy]) {
            Ok(_) => panic!("a scope with swapped sides was accepted"),
            Err(e) => e.problems,
        };
        let shown: Vec<(&str, Option<&str>)> =
            problems.iter().map(|p| (p.message.as_str(), p.help.as_deref())).collect();
        assert_eq!(
            shown,
            [
                (
                    "`m` is a purpose, not a data category",
                    Some("a rule's scope is `CATEGORIES for PURPOSES`: data categories stand left of `for`")
                ),
                (
                    "`c.d` is a data category, not a purpose",
                    Some("a rule's scope is `CATEGORIES for PURPOSES`: purposes stand right of `for`")
                ),
            ]
        );
    }

    #[test]
    fn per_use_fields_are_refused_in_campaign_rules() {
        for field in ["category under c", "retention > 1 day", "source == crm"] {
            assert_eq!(errors(field, true).first().map(|e| e.0), Some(Code::Type), "{field}");
        }
        assert_eq!(errors("any data (retention > 1 day)", true), []);
    }

    /// A purpose named where a category is tested is sent to `purpose`, with `under` first for
    /// a purpose with others under it (`==` there draws the `exact_parent` warning); the data
    /// category `c` has `d` under it, and `c` is tested with `category under c`.
    #[test]
    fn a_name_of_the_other_taxonomy_is_sent_to_its_field() {
        assert_eq!(help("purpose under c.d"), ["to test the data category, name `category`: `category == c.d`"]);
        assert_eq!(
            help("purpose == c"),
            ["to test the data category, name `category`: `category under c` (or `category == c` for `c` alone, not \
              what is under it)"]
        );
    }

    /// `channels contains [email, sms]` was told "write a name or a quoted string", which
    /// drops `sms`: both readings are told, each keeping every value, the `and` in brackets
    /// so that it keeps its meaning after a `not`.
    #[test]
    fn contains_with_a_list_is_told_any_or_all_of_it() {
        assert_eq!(
            help("audience.regions contains [SE, \"DK\"]"),
            ["for any of them write `audience.regions overlaps [SE, \"DK\"]`; for all of them, one `contains` each: \
              `(audience.regions contains SE and audience.regions contains \"DK\")`"]
        );
    }
}
