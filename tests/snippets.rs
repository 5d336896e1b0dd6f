//! Human diagnostics over hostile source text: any span in text with very long lines, CRLF
//! or lone CR line ends, multi-byte characters and control characters renders without a panic, and no
//! rendered line is longer than a window of the source.

use lagom::diagnostic::{Code, Place, Problem};
use lagom::report::human::{problems, Style};
use lagom::source::{SourceFile, SourceMap, Span};
use proptest::prelude::*;

/// A line: short or long, of ASCII, multi-byte or control characters.
fn line() -> impl Strategy<Value = String> {
    let unit = prop_oneof![Just("x"), Just("é"), Just("✓"), Just("\t"), Just("\u{1b}"), Just(" "), Just("[")];
    (prop_oneof![0usize..40, 900usize..2_500], unit).prop_map(|(n, u)| u.repeat(n))
}

fn text() -> impl Strategy<Value = String> {
    let line_break = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    (prop::collection::vec(line(), 1..6), line_break).prop_map(|(lines, line_break)| lines.join(line_break))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_span_renders_with_bounded_lines(text in text(), a in 0.0f64..=1.0, b in 0.0f64..=1.0, c in 0.0f64..=1.0) {
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("c.yaml", text.as_str()));
        // Offsets on character boundaries, as every span the loaders make is.
        let at = |f: f64| {
            let mut i = (f * text.len() as f64) as usize;
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (start, end) = (at(a.min(b)), at(a.max(b)));
        let other = at(c);
        let problem = Problem::at(Code::Yaml, Span { file, start, end }, "a problem", "here")
            .with_help("help")
            .with_related(Place::Span(Span { file, start: other, end: other }), "related");
        let out = problems(&[problem], &sources, Style::plain());
        prop_assert!(out.contains("a problem"));
        let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        // A line up to 1,000 columns is shown whole; a longer one as a window of 60 bytes either
        // side of a label of at most 60 (a tab shows as 4 columns).
        prop_assert!(longest <= 1_020, "a line of {} characters:\n{}", longest, out);
        prop_assert!(!out.contains(char::from(0x1b)), "raw escape in:\n{}", out);
    }
}
