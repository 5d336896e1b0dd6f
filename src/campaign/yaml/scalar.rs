//! Which value a scalar resolves to, from its text, tag and style.
//!
//! This follows serde-saphyr 2.2 (`parse_scalars.rs` and `deserialize_any`) with the options the
//! loader uses: YAML 1.2 core schema with strict booleans (`true`/`false` only), numbers
//! with underscores read as text, non-finite floats passed through, no legacy octal. Quoted scalars are text unless a type tag says
//! otherwise; integers beyond `i64` (up to `u64`) become floats, as a serde visitor makes them.

use std::borrow::Cow;

use granit_parser::ScalarStyle;

use super::tag::Tag;
use super::Value;

/// Why a scalar has no value.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Invalid {
    Bool,
    /// Tagged `!!int`, and not a whole number in 64 bits.
    Int,
    /// Tagged as a number, and not one.
    Float,
    Base64,
    BinaryNotUtf8,
    TaggedNotString,
}

/// The value of a scalar with its tag and style.
pub(super) fn resolve(text: Cow<'_, str>, tag: Tag, style: ScalarStyle) -> Result<Value, Invalid> {
    match tag {
        Tag::Null => return Ok(Value::Null),
        Tag::Bool => return strict_bool(&text).map(Value::Bool).ok_or(Invalid::Bool),
        Tag::Int if trim(&text).starts_with('-') => {
            return signed(&text).and_then(|v| i64::try_from(v).ok()).map(Value::Int).ok_or(Invalid::Int)
        }
        Tag::Int => return unsigned(&text).and_then(|v| u64::try_from(v).ok()).map(from_u64).ok_or(Invalid::Int),
        Tag::Float => {
            return float_incl_overflow(&text, tag).map(Value::Float).ok_or(Invalid::Float);
        }
        Tag::Time | Tag::Degrees | Tag::Radians => return Err(Invalid::Float),
        _ => {}
    }
    let plain = style == ScalarStyle::Plain;
    if is_null(tag, &text, style) {
        return Ok(Value::Null);
    }
    if tag == Tag::Binary {
        let bytes = decode_base64(&text).ok_or(Invalid::Base64)?;
        return String::from_utf8(bytes).map(Value::Str).map_err(|_| Invalid::BinaryNotUtf8);
    }
    if !tag.can_parse_into_string() {
        return Err(Invalid::TaggedNotString);
    }
    if !plain || tag.forces_string() || !may_be_typed(&text) {
        return Ok(Value::Str(text.into_owned()));
    }
    if let Some(b) = strict_bool(&text) {
        return Ok(Value::Bool(b));
    }
    let t = trim(&text);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    // YAML 1.2 core has no `1_000` (a YAML 1.1 spelling): text, like an upper-case radix.
    if matches!(digits.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]) || is_signed_nan(t) || t.contains('_') {
        return Ok(Value::Str(text.into_owned()));
    }
    if t.starts_with('-') {
        if !leading_zero_decimal(t) {
            if let Some(v) = signed(t).and_then(|v| i64::try_from(v).ok()) {
                return Ok(Value::Int(v));
            }
        }
    } else if let Some(v) = unsigned(t).and_then(|v| u64::try_from(v).ok()) {
        return Ok(from_u64(v));
    }
    // `.nan` and `.inf` are floats of the core schema like any other; a field that wants text
    // or a whole number says so, and a label keeps the source text.
    match float_incl_overflow(&text, tag) {
        Some(v) => Ok(Value::Float(v)),
        None => Ok(Value::Str(text.into_owned())),
    }
}

/// Whether plain text could be read as a boolean or a number (or one of the spellings kept as
/// text before that): it starts with a sign, digit, point, white space, or the first letter of
/// `true`, `false`, `inf` or `nan`. Most text does not, and skips every other test.
fn may_be_typed(text: &str) -> bool {
    text.as_bytes().first().is_none_or(|b| {
        b.is_ascii_digit()
            || matches!(b, b'+' | b'-' | b'.' | b' ' | b'\t' | b'\r' | b'\n' | b't' | b'T' | b'f' | b'F')
            || matches!(b, b'i' | b'I' | b'n' | b'N')
    })
}

/// Whether text could be an integer: it starts with a sign, a digit or white space.
pub(super) fn may_be_integer(text: &str) -> bool {
    text.as_bytes()
        .first()
        .is_none_or(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b' ' | b'\t' | b'\r' | b'\n'))
}

/// What a visitor makes of an unsigned integer: beyond `i64`, a float.
fn from_u64(v: u64) -> Value {
    i64::try_from(v).map_or(Value::Float(v as f64), Value::Int)
}

/// Whether a scalar is null: tagged `!!null`, or a plain null spelling without a type tag.
pub(super) fn is_null(tag: Tag, text: &str, style: ScalarStyle) -> bool {
    tag == Tag::Null
        || (!tag.is_core()
            && !tag.forces_string()
            && !matches!(tag, Tag::Binary | Tag::TimeStamp)
            && !tag.is_robotics()
            && style == ScalarStyle::Plain
            && matches!(text, "" | "~" | "null" | "Null" | "NULL"))
}

/// `s` without YAML white space (space, tab, CR, LF) at either end.
pub(super) fn trim(s: &str) -> &str {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|b| !ws(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    // The bytes trimmed are ASCII, so both ends are character boundaries.
    s.get(start..end).unwrap_or(s)
}

fn strict_bool(s: &str) -> Option<bool> {
    match trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn is_signed_nan(t: &str) -> bool {
    t.strip_prefix(['+', '-']).is_some_and(|u| matches!(u, ".nan" | ".NaN" | ".NAN"))
}

fn leading_zero_decimal(t: &str) -> bool {
    let s = trim(t);
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Digits with single underscores between them, in a radix; `None` if empty or malformed.
fn digits(s: &str, radix: u32) -> Option<u128> {
    let bytes = s.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let prev_ok = i > 0 && bytes.get(i - 1) != Some(&b'_');
            let next_ok = bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !prev_ok || !next_ok {
                return None;
            }
            continue;
        }
        let d = char::from(b).to_digit(16).filter(|&d| d < radix && (radix > 10 || b.is_ascii_digit()))?;
        val = val.checked_mul(u128::from(radix))?.checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

fn radix_and_digits(rest: &str) -> (u32, &str) {
    let prefixed = |lower: &str, upper: &str| rest.strip_prefix(lower).or_else(|| rest.strip_prefix(upper));
    if let Some(r) = prefixed("0x", "0X") {
        (16, r)
    } else if let Some(r) = prefixed("0o", "0O") {
        (8, r)
    } else if let Some(r) = prefixed("0b", "0B") {
        (2, r)
    } else {
        (10, rest)
    }
}

/// An integer with an optional sign, in decimal (no leading zero) or `0x`/`0o`/`0b` form.
pub(super) fn signed(s: &str) -> Option<i128> {
    let t = trim(s);
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => t.strip_prefix('-').map_or((false, t), |r| (true, r)),
    };
    let (radix, ds) = radix_and_digits(rest);
    if radix == 10 && ds.starts_with('0') && ds != "0" {
        return None;
    }
    let mag = digits(ds, radix)?;
    if !neg {
        return i128::try_from(mag).ok();
    }
    if mag == i128::MAX.unsigned_abs() + 1 {
        return Some(i128::MIN);
    }
    i128::try_from(mag).ok().and_then(i128::checked_neg)
}

/// A non-negative integer with an optional `+`, in decimal (no leading zero) or prefixed form.
pub(super) fn unsigned(s: &str) -> Option<u128> {
    let t = trim(s);
    if t.starts_with('-') {
        return None;
    }
    let (radix, ds) = radix_and_digits(t.strip_prefix('+').unwrap_or(t));
    if radix == 10 && ds.starts_with('0') && ds != "0" {
        return None;
    }
    digits(ds, radix)
}

/// A YAML 1.2 float (`.inf`, `.nan` spellings and Rust's decimal syntax), or an integer-looking
/// literal too large for `f64` (which is infinite).
fn float_incl_overflow(s: &str, tag: Tag) -> Option<f64> {
    let t = trim(s);
    if tag == Tag::Float && is_signed_nan(t) {
        return Some(if t.starts_with('-') { -f64::NAN } else { f64::NAN });
    }
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    // Rust's float syntax starts (after a sign) with a digit, a point, `inf` or `nan`.
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | 'i' | 'I' | 'n' | 'N')) {
        return None;
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v)
            if v.is_infinite() && t.strip_prefix(['+', '-']).unwrap_or(t).starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some(v)
        }
        _ => None,
    }
}

/// `!!binary` text: base64 with whitespace ignored and padding only at the end.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(b: u8) -> Option<u32> {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
    let cleaned: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if cleaned.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(cleaned.len() / 4 * 3);
    let total = cleaned.len() / 4;
    for (idx, chunk) in cleaned.chunks_exact(4).enumerate() {
        let &[c0, c1, c2, c3] = chunk else { return None };
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 0 && idx + 1 != total {
            return None;
        }
        let (a, b) = (val(c0)?, val(c1)?);
        let c = if c2 == b'=' { (pad >= 2).then_some(0)? } else { val(c2)? };
        let d = if c3 == b'=' { (pad != 0).then_some(0)? } else { val(c3)? };
        if (pad == 2 && b & 0x0F != 0) || (pad == 1 && c & 0x03 != 0) {
            return None;
        }
        let triple = (a << 18) | (b << 12) | (c << 6) | d;
        let [_, x, y, z] = triple.to_be_bytes();
        out.push(x);
        if pad < 2 {
            out.push(y);
        }
        if pad == 0 {
            out.push(z);
        }
    }
    Some(out)
}
