//! Compact JSON exactly as `serde_json` writes it, written and measured
//! faster: bulk work encodes and counts every state it moves, and
//! `serde_json` looks at each byte of a string on its own to escape it,
//! where most strings need no escape at all (a test over whole runs of
//! bytes, which the compiler vectorizes, finds that out first).

use std::fmt::Write;

use serde_json::{Map, Value};

/// Appends `value` to `out` as compact JSON, the same bytes as
/// `serde_json::to_writer` (object members in their map's order).
pub fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            // Writing to memory cannot fail.
            let _ = write!(Bytes(out), "{number}");
        }
        Value::String(text) => write_str(text, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(members) => write_object(members, out),
    }
}

/// Appends the object `members` to `out` as compact JSON (see
/// [`write_value`]).
pub fn write_object(members: &Map<String, Value>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (key, member)) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(key, out);
        out.push(b':');
        write_value(member, out);
    }
    out.push(b'}');
}

/// Appends `text` to `out` as a JSON string, escaped as `serde_json`
/// escapes it.
pub fn write_str(text: &str, out: &mut Vec<u8>) {
    if needs_no_escape(text.as_bytes()) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

/// The length of `value` as [`write_value`] writes it.
pub fn compact_json_len(value: &Value) -> u64 {
    match value {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(number) => {
            let mut counter = Counter(0);
            // Writing to a counter cannot fail.
            let _ = write!(counter, "{number}");
            counter.0
        }
        Value::String(text) => string_len(text),
        Value::Array(items) => {
            let separators = items.len().saturating_sub(1) as u64;
            2 + separators + items.iter().map(compact_json_len).sum::<u64>()
        }
        Value::Object(members) => {
            let separators = members.len().saturating_sub(1) as u64;
            let members: u64 = members
                .iter()
                .map(|(key, value)| string_len(key) + 1 + compact_json_len(value))
                .sum();
            2 + separators + members
        }
    }
}

/// The length of `text` as a JSON string: quotes, and the escapes
/// `serde_json` writes (`\"`, `\\`, the five short control escapes, and
/// `\u00XX` for the other control characters).
fn string_len(text: &str) -> u64 {
    let bytes = text.as_bytes();
    if needs_no_escape(bytes) {
        return 2 + bytes.len() as u64;
    }
    let extra: u64 = bytes
        .iter()
        .map(|&byte| match byte {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
            0x00..=0x1f => 5,
            _ => 0,
        })
        .sum();
    2 + bytes.len() as u64 + extra
}

/// True when no byte of `bytes` is escaped in a JSON string: a
/// branch-free test the compiler vectorizes (byte-wide counts, over runs
/// short enough not to overflow them).
fn needs_no_escape(bytes: &[u8]) -> bool {
    bytes.chunks(255).all(|run| {
        run.iter()
            .map(|&byte| u8::from(byte < 0x20 || byte == b'"' || byte == b'\\'))
            .fold(0u8, u8::wrapping_add)
            == 0
    })
}

/// Text written to a byte buffer.
struct Bytes<'a>(&'a mut Vec<u8>);

impl Write for Bytes<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// Counts the bytes written to it and keeps none.
struct Counter(u64);

impl Write for Counter {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0 += text.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn writes_and_counts_what_serde_json_writes() {
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-12345678901234_i64),
            json!(u64::MAX),
            json!(1.5),
            json!(-0.000001),
            json!(1e300),
            json!(""),
            json!("plain"),
            json!("quote \" backslash \\ slash /"),
            json!("\u{0}\u{1}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}"),
            json!("ünïcödé 日本語 🚀"),
            json!([]),
            json!({}),
            json!([1, "two", [3, {"four": 4}], null]),
            json!({"a": {"b": [true, false, {"c\n": "d\t"}]}, "": 0, "ключ": "значение"}),
        ];
        for value in values {
            let expected = serde_json::to_string(&value).unwrap();
            let mut written = Vec::new();
            write_value(&value, &mut written);
            assert_eq!(String::from_utf8(written).unwrap(), expected);
            assert_eq!(compact_json_len(&value), expected.len() as u64, "{value}");
        }
    }
}
