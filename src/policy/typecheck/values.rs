//! The value on the right of a test, checked against the field's type: a literal, a list, a
//! set's members, or the pattern of `matches`.

use super::{refuse, type_error, Site, TypeChecker};
use crate::diagnostic::{did_you_mean, Code, Problem};
use crate::policy::check::Kind;
use crate::policy::fields::{self, Context, ScalarType};
use crate::policy::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, Value};

impl TypeChecker<'_> {
    /// The regular expression of `matches`: a quoted string that compiles.
    pub(super) fn pattern(&self, value: &Value, problems: &mut Vec<Problem>) -> Option<Pattern> {
        let Value::Str(s) = value else {
            problems.push(type_error(
                value.span(),
                "the pattern of `matches` is a quoted regular expression".into(),
                "not a string",
                "write it in quotes, e.g. `labels.lia matches \"^LIA-[0-9]+$\"`".into(),
            ));
            return None;
        };
        let compiled = {
            let mut patterns = self.patterns.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            patterns.entry(s.value.clone()).or_insert_with(|| Pattern::new(&s.value)).clone()
        };
        match compiled {
            Ok(p) => Some(p),
            Err(why) => {
                problems.push(type_error(
                    s.span,
                    format!("not a regular expression: {why}"),
                    "not a regular expression",
                    "patterns are regular expressions in Rust's (RE2's) syntax: `^` and `$` anchor, `[0-9]` is \
                     a digit, `(?i)` ignores case; a backslash is written `\\\\` in a policy string"
                        .into(),
                ));
                None
            }
        }
    }

    pub(super) fn set(&self, word: &str) -> Option<&(Vec<String>, Span)> {
        self.sets.get(word)
    }

    /// The help for a declared name of another kind where a set is due: `[consent]` tests
    /// the name itself, which is not what a writer who meant a set of that name wants, so the
    /// declared sets are named first.
    fn set_or_list_help(&self, word: &str) -> String {
        let sets: Vec<String> = self.sets.keys().take(4).map(|name| format!("`{name}`")).collect();
        match sets.as_slice() {
            [] => format!("a list is written in brackets: `[{word}]`"),
            _ => format!(
                "name a declared set ({}{}) for its members, or write a list in brackets, `[{word}]`, for `{word}` itself",
                sets.join(", "),
                if self.sets.len() > 4 { ", …" } else { "" }
            ),
        }
    }

    pub(super) fn list(&self, value: &Value, s: ScalarType, problems: &mut Vec<Problem>) -> Option<Vec<Literal>> {
        match value {
            Value::List(items, _) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match item {
                        Value::Word(w, span) if self.set(w).is_some() => {
                            match self.set_members(w, *span, s, problems) {
                                Some(v) => out.extend(v),
                                None => ok = false,
                            }
                        }
                        other => match self.literal(other, s, problems) {
                            Some(l) => out.push(l),
                            None => ok = false,
                        },
                    }
                }
                ok.then_some(out)
            }
            Value::Word(w, span) if self.set(w).is_some() => self.set_members(w, *span, s, problems),
            // Where a list is expected a lone name can only be a set, so a name that is none is
            // an unknown set (a misspelt `eea`), not a type error.
            Value::Word(w, span) => {
                problems.push(match self.declared_as(w) {
                    Some(other) => Problem::at(
                        Code::UnknownName,
                        *span,
                        format!("`{w}` is a {}, not a set", other.noun()),
                        format!("a {}, not a set", other.noun()),
                    )
                    .with_help(self.set_or_list_help(w)),
                    // `audience.regions within audience.subjects`: two fields are never compared.
                    None if w.contains('.') && fields::resolve(w, Context::Use).is_ok() => Problem::at(
                        Code::Type,
                        *span,
                        format!("`{w}` is a field, not a set"),
                        "a field where a list is due",
                    )
                    .with_help("a test compares a field with values (a list such as `[SE, DK]`, or a declared set), never with another field"),
                    None => Problem::at(Code::UnknownName, *span, format!("unknown set `{w}`"), "not a declared set")
                        .with_help(did_you_mean(w, "sets", self.sets.keys().map(String::as_str))),
                });
                None
            }
            other => {
                problems.push(type_error(
                    other.span(),
                    "expected a list or the name of a set".into(),
                    "not a list",
                    "write a list such as `[SE, DK]`, or a declared set".into(),
                ));
                None
            }
        }
    }

    pub(super) fn set_members(
        &self,
        set: &str,
        span: Span,
        s: ScalarType,
        problems: &mut Vec<Problem>,
    ) -> Option<Vec<Literal>> {
        let (members, _) = self.set(set)?;
        let mut out = Vec::with_capacity(members.len());
        // One problem for the set, at its name, however many members are wrong: they all point
        // at the same place, and one mistake (a set of countries tested against `basis`) would
        // otherwise read as one error per country.
        let mut first: Option<Problem> = None;
        let mut others = Vec::new();
        for m in members {
            let mut found = Vec::new();
            match self.literal(&Value::Word(m.clone(), span), s, &mut found) {
                Some(literal) => out.push(literal),
                None if first.is_none() => first = found.into_iter().next(),
                None => others.push(format!("`{m}`")),
            }
        }
        let Some(mut problem) = first else { return Some(out) };
        // At the member in the set's declaration, where its "did you mean" can be applied,
        // with the rule's use of the set beside it.
        let wrong = problem.message.split('`').nth(1).unwrap_or_default().to_string();
        if let Some(at) = members.contains(&wrong).then(|| self.member_span(set, &wrong)).flatten() {
            problem.place = crate::diagnostic::Place::Span(at);
            problem = problem.with_related(crate::diagnostic::Place::Span(span), format!("set `{set}` is used here"));
        }
        problem.message = match others.len() {
            0 => format!("in set `{set}`: {}", problem.message),
            1 => format!("in set `{set}`: {} (1 more member is wrong too: {})", problem.message, others.join(", ")),
            n => format!("in set `{set}`: {} ({n} more members are wrong too: {})", problem.message, others.join(", ")),
        };
        problems.push(problem);
        None
    }

    /// Where `member` is written in the list of `set` or of a set it includes, if it is.
    fn member_span(&self, set: &str, member: &str) -> Option<Span> {
        let in_list = |name: Span| {
            let after = self.sources.file(name.file)?.text.get(name.end..)?;
            let list = after.get(..after.find(']')?)?;
            let i = crate::chars::find_value(list, member)?;
            Some(Span { file: name.file, start: name.end + i, end: name.end + i + member.len() })
        };
        let (_, own) = self.set(set)?;
        in_list(*own).or_else(|| {
            self.sets.values().filter(|(m, _)| m.iter().any(|x| x == member)).find_map(|(_, s)| in_list(*s))
        })
    }

    /// A single value, checked against a field that holds `s`.
    pub(super) fn literal(&self, value: &Value, s: ScalarType, problems: &mut Vec<Problem>) -> Option<Literal> {
        if let Value::Word(w, span) = value {
            if let Some(problem) = self.word_that_is_no_value(w, *span, s) {
                return refuse(problems, problem);
            }
        }
        match (s, value, text_of(value)) {
            (ScalarType::Bool, Value::Bool(b, _), _) => Some(Literal::Bool(*b)),
            (ScalarType::Int, Value::Int(n, span), _) => whole_number(*n, *span, problems),
            (ScalarType::Duration, Value::Duration(d), _) => match self.duration(d) {
                Ok(r) => Some(Literal::Duration(r)),
                Err(p) => refuse(problems, p),
            },
            // A type error, as spec 1 lists it (`retention > 5`): a number where a duration is
            // compared, not a duration written wrong.
            (ScalarType::Duration, Value::Int(..), _) => refuse(
                problems,
                Problem::at(Code::Type, value.span(), "a duration needs a unit", "bare number")
                    .with_help("write e.g. `30 days`, `6 weeks`, `24 months` or `2 years`"),
            ),
            (ScalarType::Text, _, Some(t)) => Some(Literal::Text(t.to_string())),
            (ScalarType::Basis | ScalarType::Channel, _, Some(t)) => self.vocabulary_word(t, value.span(), s, problems),
            (ScalarType::Category | ScalarType::Purpose, _, Some(t)) => {
                self.taxonomy_name(t, value.span(), s, problems)
            }
            _ => refuse(problems, self.wrong_type(value, s)),
        }
    }

    /// A word that is no single value whatever the field: `null` (on a field that holds no
    /// text), or the name of a set.
    fn word_that_is_no_value(&self, w: &str, span: Span, s: ScalarType) -> Option<Problem> {
        // `audience.min_age == null`: on a field that holds no text, `null` is no value at all.
        if s != ScalarType::Text && fields::is_null_word(w) {
            return Some(type_error(
                span,
                format!("expected {}, found `{w}`: the language has no null", s.describe()),
                "not a value",
                "to test that the campaign does not give the field, write `FIELD is not set` (or `is set`)".into(),
            ));
        }
        self.set(w).is_some().then(|| {
            type_error(
                span,
                format!("`{w}` is a set, not a single value"),
                "a list",
                format!("to test a single value against a set, use `in` or `not in` (`FIELD in {w}`)"),
            )
        })
    }

    /// A value of another type than the field's `s`.
    fn wrong_type(&self, value: &Value, s: ScalarType) -> Problem {
        type_error(
            value.span(),
            format!("expected {}, found {}", s.describe(), describe_value(value)),
            "wrong type",
            self.wrong_type_help(value, s),
        )
    }

    /// What to write instead of a value of another type than the field's `s`.
    fn wrong_type_help(&self, value: &Value, s: ScalarType) -> String {
        match (s, value) {
            (ScalarType::Bool, _) => "write `true` or `false`".to_string(),
            (ScalarType::Int, _) => "write a whole number such as `18`".to_string(),
            (ScalarType::Duration, _) => "write a duration such as `24 months`".to_string(),
            // `labels.approved == true`: a label is text (`approved: true` in a campaign is the
            // text `true`), and unquoted, `true` is a boolean.
            (ScalarType::Text, Value::Bool(b, _)) => {
                format!("write `\"{b}\"` in double quotes: the field holds text, and unquoted `{b}` is a boolean")
            }
            // `labels.edition == 2nd`: a number joined to a word reads as a duration.
            (ScalarType::Text, Value::Duration(_)) => {
                "write the value in double quotes: the field holds text, and unquoted, a number followed by a \
                 word reads as a duration"
                    .to_string()
            }
            // `labels.tier == 07`: the digits as written, since a campaign's `tier: 07` is the
            // text `07` (spec 2.1), never `7`.
            (ScalarType::Text, Value::Int(n, span)) => {
                let n = self.sources.text(*span).map_or_else(|| n.to_string(), str::to_string);
                format!("write `\"{n}\"` in double quotes: the field holds text, and unquoted `{n}` is a number")
            }
            _ => "write a name or a quoted string".to_string(),
        }
    }

    /// A lawful basis or channel (`s`) named `t`: one the policy declares, or any channel
    /// while the policy declares none (channels are a free vocabulary until then).
    fn vocabulary_word(&self, t: &str, span: Span, s: ScalarType, problems: &mut Vec<Problem>) -> Option<Literal> {
        let (vocab, what, plural) = if s == ScalarType::Basis {
            (self.bases, "lawful basis", "lawful bases")
        } else {
            (self.channels, "channel", "channels")
        };
        if vocab.contains(t) || (s == ScalarType::Channel && vocab.is_empty()) {
            return Some(Literal::Text(t.to_string()));
        }
        let (message, label) = match self.declared_as(t) {
            Some(other) => {
                (format!("`{t}` is a {}, not a {what}", other.noun()), format!("a {}, not a {what}", other.noun()))
            }
            None => (format!("`{t}` is not a declared {what}"), format!("unknown {what}")),
        };
        problems.push(Problem::at(Code::Type, span, message, label).with_help(did_you_mean(t, plural, vocab.names())));
        None
    }

    /// A category or purpose (`s`) named `t` in a condition.
    fn taxonomy_name(&self, t: &str, span: Span, s: ScalarType, problems: &mut Vec<Problem>) -> Option<Literal> {
        let path = ast::Path { text: t.to_string(), span };
        if s == ScalarType::Category {
            self.taxon(Kind::Category, Site::Condition, self.categories, &path, problems).map(Literal::Category)
        } else {
            self.taxon(Kind::Purpose, Site::Condition, self.purposes, &path, problems).map(Literal::Purpose)
        }
    }
}

/// A whole number, refused beyond 64 bits (the help cannot quote it: beyond 128 bits the
/// number held is not the one written).
fn whole_number(n: i128, span: Span, problems: &mut Vec<Problem>) -> Option<Literal> {
    if let Ok(n) = i64::try_from(n) {
        return Some(Literal::Int(n));
    }
    let (label, bound, beyond) = if n < 0 {
        ("too small", format!("at least {}", i64::MIN), "smaller")
    } else {
        ("too large", format!("at most {}", i64::MAX), "larger")
    };
    problems.push(type_error(
        span,
        format!("number {label}: whole numbers are {bound}"),
        label,
        format!("write a number a campaign can give: no campaign gives a {beyond} one"),
    ));
    None
}

/// The text of a quoted string or a name.
fn text_of(value: &Value) -> Option<&str> {
    match value {
        Value::Str(st) => Some(st.value.as_str()),
        Value::Word(w, _) => Some(w.as_str()),
        _ => None,
    }
}

fn describe_value(v: &Value) -> &'static str {
    match v {
        Value::Str(_) => "a string",
        Value::Int(..) => "a number",
        Value::Bool(..) => "`true`/`false`",
        Value::Duration(_) => "a duration",
        Value::Word(..) => "a name",
        Value::List(..) => "a list",
    }
}
