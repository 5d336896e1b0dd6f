//! Brackets and quotes up to a parser error: which `[` or `{` is still open there, and which
//! quoted value was read last. A rough pass over the text (comments, quotes, flow brackets and
//! block scalars), enough to point at the bracket or quote a parser error comes from.

/// What is open or was read last at the place of an error.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Scan {
    /// Byte offsets of the `[` and `{` not yet closed, outermost first.
    pub(super) open: Vec<usize>,
    /// The last quoted value begun before the place: its opening quote, and its closing quote
    /// if it has one before the place.
    pub(super) quote: Option<(usize, Option<usize>)>,
}

/// Scans `text` up to byte `end`.
pub(super) fn scan(text: &str, end: usize) -> Scan {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut out = Scan::default();
    let mut i = 0;
    // At the start of a value, where `[`, `{`, a quote or a block scalar may begin.
    let mut token_start = true;
    // Inside a block scalar (`|`, `>`): the indentation of the line that began it.
    let mut block_scalar: Option<usize> = None;
    let mut line_start = true;
    let mut line_indent = 0;
    while i < end {
        if line_start {
            line_start = false;
            let indent = bytes.get(i..end).map_or(0, |b| b.iter().take_while(|&&c| c == b' ').count());
            let rest = bytes.get(i + indent..).unwrap_or_default();
            let blank = matches!(rest.first(), None | Some(b'\n' | b'\r'));
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    i = next_line(bytes, i);
                    line_start = true;
                    continue;
                }
                block_scalar = None;
            }
            line_indent = indent;
            i += indent;
            if out.open.is_empty() {
                token_start = true;
            }
            continue;
        }
        let Some(&c) = bytes.get(i) else { break };
        let after_space = i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t' | b'\n' | b'\r'));
        let next = bytes.get(i + 1).copied();
        let ends_token = |n: Option<u8>| matches!(n, None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if after_space => {
                i = next_line(bytes, i);
                line_start = true;
                continue;
            }
            b'"' | b'\'' if token_start => {
                let close = closing_quote(bytes, i, end);
                out.quote = Some((i, close));
                match close {
                    Some(c) => i = c,
                    None => return out,
                }
                token_start = false;
            }
            b'[' | b'{' if token_start => out.open.push(i),
            b']' | b'}' if !out.open.is_empty() => {
                out.open.pop();
                token_start = false;
            }
            b',' if !out.open.is_empty() => token_start = true,
            b':' if ends_token(next)
                || !out.open.is_empty() && matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}')) =>
            {
                token_start = true;
            }
            b'-' | b'?' if token_start && ends_token(next) => {}
            b'!' | b'&' if token_start => {
                // A tag or an anchor comes before the value it marks.
                while i < end && !ends_token(bytes.get(i + 1).copied()) {
                    i += 1;
                }
            }
            b'|' | b'>' if token_start && out.open.is_empty() => {
                block_scalar = Some(line_indent);
                i = next_line(bytes, i);
                line_start = true;
                continue;
            }
            _ => token_start = false,
        }
        i += 1;
    }
    out
}

/// The start of the next line after byte `i`.
fn next_line(bytes: &[u8], i: usize) -> usize {
    bytes.get(i..).and_then(|b| b.iter().position(|&c| c == b'\n')).map_or(bytes.len(), |n| i + n + 1)
}

/// The closing quote of the quoted value opened at `open`, if it is before `end`.
fn closing_quote(bytes: &[u8], open: usize, end: usize) -> Option<usize> {
    let quote = *bytes.get(open)?;
    let mut i = open + 1;
    while i < end {
        match (bytes.get(i).copied()?, bytes.get(i + 1).copied()) {
            (b'\\', _) if quote == b'"' => i += 1,
            (b'\'', Some(b'\'')) if quote == b'\'' => i += 1,
            (c, _) if c == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> Scan {
        scan(text, text.find(marker).unwrap())
    }

    #[test]
    fn a_bracket_left_open_is_found() {
        let text = "channels: [email\naudience:\n";
        assert_eq!(at(text, "audience").open, [10]);
        assert!(at("channels: [email]\naudience:\n", "audience").open.is_empty());
        // Not brackets: in a plain value, in quotes, in a comment, in a block scalar.
        let text = "a: x[y\nb: \"[\"\nc: '{'  # [\nd: |\n  [x\ne: 1\n";
        assert_eq!(
            at(text, "e:"),
            Scan { open: vec![], quote: Some((text.find("'{'").unwrap(), Some(text.find("'{'").unwrap() + 2))) }
        );
        assert_eq!(at("a: !!seq [x\nb: 1\n", "b:").open, [9]);
    }

    #[test]
    fn the_last_quote_is_found_with_its_end() {
        let text = "name: \"Nordhem\nowner: x\nregions: [\"NO\"]\n";
        let open = text.find('"').unwrap();
        let close = text.find("\"NO").unwrap();
        assert_eq!(scan(text, close + 1).quote, Some((open, Some(close))));
        assert_eq!(scan(text, close).quote, Some((open, None)));
        // An apostrophe in a plain value opens nothing; an escaped quote closes nothing.
        assert_eq!(at("a: Nordhem's\nb: 1\n", "b:").quote, None);
        let text = "a: \"x\\\"y\" z\n";
        assert_eq!(at(text, "z").quote, Some((3, Some(8))));
        let text = "a: 'it''s' z\n";
        assert_eq!(at(text, "z").quote, Some((3, Some(9))));
    }
}
