//! Reading the JSON text that stores and dumps hold: one parser for every
//! stored document, which refuses numbers threadctl could not keep.
//!
//! serde_json reads an integer that neither `i64` nor `u64` holds as the
//! nearest double, and writes that double back in its shortest form:
//! `123456789012345678901234567890` would come back as
//! `1.2345678901234568e+29`, a different number. Another program (a Python
//! service, a `jsonb` column, a script) can store such integers, and a
//! copy, an export or a migration that rounded them would lose data
//! silently. So a stored record holding one is unreadable (a corrupt
//! record, exit 5), and CLI input holding one is a usage error (exit 2):
//! both through [`inexact_integer`]. Integers whose double writes back as the
//! same number (`100000000000000000000000`, as `jsonb` renders `1e23`) and
//! numbers with a fraction or an exponent (floats by intent) pass.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Parses the stored JSON `raw`. Invalid JSON, and JSON holding an integer
/// a double would change ([`inexact_integer`]), give the reason the record
/// is unreadable; the caller names the record (only on failure, so that
/// reading a page of records builds no names).
pub fn parse_stored(raw: &[u8]) -> Result<Value, String> {
    let value = serde_json::from_slice(raw).map_err(|e| format!("invalid JSON: {e}"))?;
    match inexact_integer(raw) {
        None => Ok(value),
        Some(inexact) => Err(inexact.describe()),
    }
}

/// Why stored JSON could not be decoded into a caller's type.
#[derive(Debug)]
pub enum Undecodable {
    /// The record itself is unreadable, as [`parse_stored`] says why.
    Unreadable(String),
    /// The record is sound JSON, but not of the caller's type.
    Mismatch(serde_json::Error),
}

/// Decodes the stored JSON `raw` straight into `T`, parsing it once (the
/// typed reads of every event of a log go through here), with the checks
/// and the outcome of [`parse_stored`] followed by `serde_json::from_value`.
/// Only a failed decode takes that second path, so that the error is the
/// one it gives (and JSON that only it accepts, a duplicated key, still
/// decodes).
pub fn decode_stored<T: DeserializeOwned>(raw: &[u8]) -> Result<T, Undecodable> {
    match serde_json::from_slice(raw) {
        Ok(decoded) => match inexact_integer(raw) {
            None => Ok(decoded),
            Some(inexact) => Err(Undecodable::Unreadable(inexact.describe())),
        },
        Err(_) => {
            let value = parse_stored(raw).map_err(Undecodable::Unreadable)?;
            serde_json::from_value(value).map_err(Undecodable::Mismatch)
        }
    }
}

/// An integer literal that threadctl would read as a double and write back
/// as a different number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InexactInteger {
    /// The literal as written.
    pub literal: String,
    /// What threadctl would write back in its place.
    pub rounded: String,
}

impl InexactInteger {
    /// Says what happens to the number and what to do about it.
    pub fn describe(&self) -> String {
        format!(
            "holds the integer {}, which does not fit in 64 bits and would be rounded to {}; \
             store it as a string to keep every digit",
            self.literal, self.rounded
        )
    }
}

/// The first integer literal of the (valid) JSON `text` that neither `i64`
/// nor `u64` holds and whose nearest double, written in its shortest form,
/// denotes another number. Digits inside strings are skipped.
pub fn inexact_integer(text: &[u8]) -> Option<InexactInteger> {
    // An integer beyond 64 bits has at least 19 digits; most documents
    // have no such run at all, and this check costs one pass over bytes.
    if !has_digit_run(text, 19) {
        return None;
    }
    integer_literals(text).find_map(|literal| {
        if literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok() {
            return None;
        }
        let rounded = literal.parse::<f64>().ok().filter(|f| f.is_finite())?;
        let rounded = Value::from(rounded).to_string();
        (!same_decimal(literal, &rounded)).then(|| InexactInteger {
            literal: literal.to_string(),
            rounded,
        })
    })
}

/// Whether `bytes` holds `len` ASCII digits in a row. Any `len` positions
/// in a row include one that is `len - 1` more than a multiple of `len`,
/// so only those are looked at, and the run around a digit found there
/// measured: about one byte in `len`, for text with few digits.
fn has_digit_run(bytes: &[u8], len: usize) -> bool {
    let mut probe = len - 1;
    while probe < bytes.len() {
        if bytes[probe].is_ascii_digit() {
            let before = bytes[..probe]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let after = bytes[probe..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if before + after >= len {
                return true;
            }
        }
        probe += len;
    }
    false
}

/// The integer literals (no fraction, no exponent) of the JSON `text`,
/// outside strings, in order.
fn integer_literals(bytes: &[u8]) -> impl Iterator<Item = &str> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < bytes.len()
                        && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    {
                        i += 1;
                    }
                    // Only ASCII was taken, so the slice is UTF-8.
                    let number = std::str::from_utf8(&bytes[start..i]).unwrap_or_default();
                    if !number.is_empty() && !number.contains(['.', 'e', 'E']) {
                        return Some(number);
                    }
                }
                _ => i += 1,
            }
        }
        None
    })
}

/// Whether the integer literal `integer` and the number `written` (as
/// serde_json writes a double: digits, an optional fraction, an optional
/// exponent) denote the same value.
fn same_decimal(integer: &str, written: &str) -> bool {
    decimal_parts(integer) == decimal_parts(written)
}

/// A JSON number as (negative, significant digits without leading or
/// trailing zeros, the power of ten of the last of them); zero is
/// (false, "", 0) whatever its sign.
fn decimal_parts(number: &str) -> (bool, String, i64) {
    let (negative, unsigned) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let mut power = exponent - fraction.len() as i64;
    let trimmed = digits.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0');
    power += (trimmed.len() - significant.len()) as i64;
    if significant.is_empty() {
        return (false, String::new(), 0);
    }
    (negative, significant.to_string(), power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_a_double_would_change_are_found() {
        for (text, literal, rounded) in [
            (
                r#"{"n": 123456789012345678901234567890}"#,
                "123456789012345678901234567890",
                "1.2345678901234568e+29",
            ),
            (
                r#"[1, "\"", -9223372036854775809]"#,
                "-9223372036854775809",
                "-9.223372036854776e+18",
            ),
            (
                r#"{"n": 18446744073709551616}"#,
                "18446744073709551616",
                "1.8446744073709552e+19",
            ),
        ] {
            let found = inexact_integer(text.as_bytes()).expect(text);
            assert_eq!(
                (found.literal.as_str(), found.rounded.as_str()),
                (literal, rounded)
            );
        }
    }

    #[test]
    fn numbers_kept_exactly_pass() {
        for text in [
            r#"{"u": 18446744073709551615, "i": -9223372036854775808}"#,
            r#"[1e300, 123456789012345678901234.5, 0.1, -0]"#,
            r#"{"s": "123456789012345678901234567890", "e\\\"": 1}"#,
            // How jsonb renders the double 1e23: it writes back as 1e23.
            r#"{"n": 100000000000000000000000}"#,
            r#"{"n": -100000000000000000000}"#,
        ] {
            assert_eq!(inexact_integer(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn stored_json_holding_them_is_unreadable_and_says_why() {
        let reason = parse_stored(br#"{"n": 123456789012345678901234567890}"#).unwrap_err();
        assert!(reason.contains("1.2345678901234568e+29"), "{reason}");
        let reason = parse_stored(b"{\"k\": \"caf\xe9\"}").unwrap_err();
        assert!(reason.starts_with("invalid JSON"), "{reason}");
        assert_eq!(
            parse_stored(br#"{"n": [1, 2.5]}"#).unwrap(),
            serde_json::json!({"n": [1, 2.5]})
        );
    }

    #[test]
    fn typed_decoding_keeps_the_checks_and_tells_a_type_mismatch_apart() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Event {
            n: u64,
        }
        let decoded: Event = decode_stored(br#"{"n": 7}"#).unwrap();
        assert_eq!(decoded, Event { n: 7 });
        let duplicated: Event = decode_stored(br#"{"n": 1, "n": 2}"#).unwrap();
        assert_eq!(duplicated, Event { n: 2 });
        for raw in [
            &br#"{"n": 123456789012345678901234567890}"#[..],
            br#"{"n": 1, "x": [123456789012345678901234567890]}"#,
            br#"{"n": "#,
        ] {
            match decode_stored::<Event>(raw) {
                Err(Undecodable::Unreadable(reason)) => {
                    assert_eq!(Err(reason), parse_stored(raw).map(drop))
                }
                other => panic!("{other:?} for {}", String::from_utf8_lossy(raw)),
            }
        }
        match decode_stored::<Event>(br#"{"n": "seven"}"#) {
            Err(Undecodable::Mismatch(e)) => assert!(e.to_string().contains("invalid type"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn digit_runs_are_found_wherever_they_lie() {
        for at in 0..40 {
            for run in [18, 19, 25] {
                let text = format!(
                    "{}{}{}",
                    "a".repeat(at),
                    "7".repeat(run),
                    "b".repeat(at % 7)
                );
                assert_eq!(has_digit_run(text.as_bytes(), 19), run >= 19, "{at} {run}");
            }
        }
        assert!(!has_digit_run(b"123", 19));
    }

    #[test]
    fn decimal_parts_normalise_every_spelling() {
        assert_eq!(decimal_parts("1200"), (false, "12".into(), 2));
        assert_eq!(decimal_parts("1.2e3"), (false, "12".into(), 2));
        assert_eq!(decimal_parts("-0.0012"), (true, "12".into(), -4));
        assert_eq!(decimal_parts("-0"), decimal_parts("0.0"));
    }
}
