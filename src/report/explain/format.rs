//! The formats of `lagom explain`, and the one place that picks a renderer for each of its
//! outcomes: a trace, a campaign that cannot be decided, a mistake in the command's inputs.

use super::super::human::{self, Style};
use super::super::json;
use super::TraceView;
use crate::diagnostic::Problem;
use crate::source::SourceMap;

/// The format `lagom explain` writes in.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    /// The trace for people on standard output; problems on standard error, in this style.
    Human(Style),
    /// One JSON document on standard output, whatever the outcome (a tool reading it gets a
    /// document, not an empty stream).
    Json,
}

/// What `lagom explain` writes: the text for standard output and for standard error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// For standard output.
    pub out: String,
    /// For standard error.
    pub err: String,
}

impl Written {
    fn out(out: String) -> Written {
        Written { out, err: String::new() }
    }

    fn err(err: String) -> Written {
        Written { out: String::new(), err }
    }
}

impl Format {
    /// A decided campaign's trace.
    pub fn trace(self, view: &TraceView<'_>) -> Written {
        match self {
            Format::Human(_) => Written::out(super::human(view)),
            Format::Json => Written::out(super::json(view)),
        }
    }

    /// A campaign that cannot be decided: its `problems`, and for people a trace that says so
    /// (a reader of standard output alone sees that it is invalid, not an empty trace).
    pub fn invalid_campaign(self, file: &str, id: Option<&str>, problems: &[Problem], sources: &SourceMap) -> Written {
        match self {
            Format::Human(style) => Written {
                out: super::invalid_human(file, id, problems.len()),
                err: human::problems(problems, sources, style),
            },
            Format::Json => Written::out(json::invalid_campaign(file, id, problems, sources)),
        }
    }

    /// Mistakes in the command's inputs (an unknown `--category`, a folder of several
    /// campaigns).
    pub fn usage_errors(self, problems: &[Problem], sources: &SourceMap) -> Written {
        match self {
            Format::Human(style) => Written::err(human::problems(problems, sources, style)),
            Format::Json => Written::out(json::usage_errors(problems, sources)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn people_get_problems_on_standard_error_and_tools_one_document_on_standard_output() {
        let p = [Problem::in_file(Code::Usage, "c", "`explain` shows one campaign")];
        let sources = SourceMap::default();
        let human = Format::Human(Style::plain()).usage_errors(&p, &sources);
        assert!(human.out.is_empty() && human.err.contains("`explain` shows one campaign"), "{human:?}");
        let json = Format::Json.usage_errors(&p, &sources);
        assert!(json.err.is_empty() && json.out.contains("\"lagom::usage\""), "{json:?}");
        let human = Format::Human(Style::plain()).invalid_campaign("c.yaml", Some("c"), &p, &sources);
        assert!(human.out.contains("decision: invalid (1 error") && human.err.contains("× "), "{human:?}");
        let json = Format::Json.invalid_campaign("c.yaml", Some("c"), &p, &sources);
        assert!(json.err.is_empty() && json.out.contains("\"invalid\""), "{json:?}");
    }
}
