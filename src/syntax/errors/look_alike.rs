//! Characters that look like ones the grammar knows, or show as nothing: what text copied from
//! a document or a chat brings along, named so the author can find them.

use super::strings::is_typographic_quote;

/// The invisible character at `pos`, or just after a `.` there, and its offset: a name's part
/// after a dot cannot start with one, so pest ends the name and stops at the dot.
pub(super) fn invisible_at(text: &str, pos: usize) -> Option<(usize, char)> {
    let at = if text.get(pos..)?.starts_with('.') { pos + 1 } else { pos };
    text.get(at..)?.chars().next().filter(|c| invisible(*c)).map(|c| (at, c))
}

/// A character that looks like one the grammar knows.
pub(super) struct LookAlike {
    /// What it is, in words.
    pub(super) name: &'static str,
    /// What to write instead.
    pub(super) instead: &'static str,
}

/// Typographic quotes and spaces, which text copied from a document or a chat brings along.
pub(super) fn look_alike(c: char) -> Option<LookAlike> {
    let (name, instead) = match c {
        c if is_typographic_quote(c) || matches!(c, '\u{201e}' | '\u{00ab}' | '\u{00bb}' | '\u{ff02}') => {
            ("a typographic quotation mark", "the straight double quote `\"`")
        }
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\'' | '`' => {
            ("a single quotation mark", "the straight double quote `\"` (strings take double quotes)")
        }
        '\u{00a0}' | '\u{202f}' => ("a no-break space", "an ordinary space"),
        '\u{2000}'..='\u{200a}' | '\u{205f}' | '\u{3000}' => ("a typographic space", "an ordinary space"),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => ("a typographic dash", "`_` in a name, or `-` before a number"),
        '\u{ff01}'..='\u{ff5e}' => ("a full-width character", "its ordinary (half-width) form"),
        _ => return None,
    };
    Some(LookAlike { name, instead })
}

/// A character that shows as nothing in an editor: a control character other than layout, or
/// one of [`crate::chars::is_blank_char`]'s that is not white space (white space is either
/// layout or a [`look_alike`]). The same definition the campaign loader uses.
fn invisible(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && (c.is_control() || (crate::chars::is_blank_char(c) && !c.is_whitespace()))
}
