//! The v2 state checksum: SHA-256 over the canonical JSON of the state
//! (object keys sorted, no insignificant whitespace).

use std::io::Write;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Prefix of every checksum string.
pub(crate) const CHECKSUM_PREFIX: &str = "sha256:";

/// Canonical JSON text of `value`: keys sorted at every depth, compact,
/// negative zero written as zero.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::new();
    write_canonical(value, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// Writes [`canonical_json`]'s text of `value` to `out` piece by piece,
/// building no string of its own (the checksum hashes it as it goes).
///
/// Written with an explicit stack rather than recursion, so that a state
/// nested any number of levels deep (a library caller can build one) is
/// hashed, or refused by the depth check, without exhausting the call stack.
fn write_canonical(value: &Value, out: &mut impl Write) -> std::io::Result<()> {
    let mut pending = vec![Pending::Value(value)];
    while let Some(next) = pending.pop() {
        match next {
            Pending::Text(text) => out.write_all(text.as_bytes())?,
            Pending::Key(key) => {
                serde_json::to_writer(&mut *out, key)?;
                out.write_all(b":")?;
            }
            Pending::Value(Value::Object(map)) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                out.write_all(b"{")?;
                pending.push(Pending::Text("}"));
                for (i, (key, item)) in entries.into_iter().enumerate().rev() {
                    pending.push(Pending::Value(item));
                    pending.push(Pending::Key(key));
                    if i > 0 {
                        pending.push(Pending::Text(","));
                    }
                }
            }
            Pending::Value(Value::Array(items)) => {
                out.write_all(b"[")?;
                pending.push(Pending::Text("]"));
                for (i, item) in items.iter().enumerate().rev() {
                    pending.push(Pending::Value(item));
                    if i > 0 {
                        pending.push(Pending::Text(","));
                    }
                }
            }
            Pending::Value(Value::Number(n)) if is_negative_zero(n) => out.write_all(b"0.0")?,
            Pending::Value(scalar) => serde_json::to_writer(&mut *out, scalar)?,
        }
    }
    Ok(())
}

/// What [`canonical_json`] has still to write, last pushed first.
enum Pending<'a> {
    /// A value, written whole.
    Value(&'a Value),
    /// An object key with its `:`.
    Key(&'a String),
    /// Punctuation.
    Text(&'static str),
}

/// Postgres' `jsonb` has no negative zero (it gives `-0.0` back as `0.0`),
/// so the canonical form writes `-0.0` as `0.0`: a checksum must not
/// depend on which backend kept the state.
fn is_negative_zero(n: &serde_json::Number) -> bool {
    n.is_f64() && n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative())
}

/// `"sha256:<64 lowercase hex>"` for `state`.
pub fn state_checksum(state: &Value) -> String {
    let mut hasher = Sha256::new();
    write_canonical(state, &mut hasher).expect("hashing cannot fail");
    let digest = hasher.finalize();
    format!("{CHECKSUM_PREFIX}{}", hex::encode(digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_sorts_keys_at_every_depth() {
        let v: Value = serde_json::from_str(r#"{"b": [ {"z":1, "a":"x"} ], "a": null}"#).unwrap();
        assert_eq!(canonical_json(&v), r#"{"a":null,"b":[{"a":"x","z":1}]}"#);
    }

    #[test]
    fn canonical_form_of_mixed_values_is_compact_and_sorted() {
        let v = json!({"z": [1, [], {}, "s\"q", null, {"b": -0.0, "a": [true, 2.5]}], "": {}});
        assert_eq!(
            canonical_json(&v),
            r#"{"":{},"z":[1,[],{},"s\"q",null,{"a":[true,2.5],"b":0.0}]}"#
        );
    }

    #[test]
    fn a_state_nested_ten_thousand_deep_hashes_without_recursion() {
        let mut deep = json!(0);
        for _ in 0..5_000 {
            let mut object = serde_json::Map::new();
            object.insert("k".into(), Value::Array(vec![deep]));
            deep = Value::Object(object);
        }
        let text = canonical_json(&deep);
        assert_eq!(text.len(), 5_000 * "{\"k\":[]}".len() + 1);
        assert!(text.starts_with("{\"k\":[{\"k\":["));
        assert!(state_checksum(&deep).starts_with(CHECKSUM_PREFIX));
        dismantle(deep);
    }

    /// Drops `value` level by level: serde_json's own drop recurses, and
    /// 10,000 levels exhaust a test thread's stack in a debug build.
    fn dismantle(value: Value) {
        let mut pending = vec![value];
        while let Some(value) = pending.pop() {
            match value {
                Value::Array(items) => pending.extend(items),
                Value::Object(map) => pending.extend(map.into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    #[test]
    fn negative_zero_hashes_like_zero() {
        let negative: Value = serde_json::from_str(r#"{"t": -0.0}"#).unwrap();
        let positive: Value = serde_json::from_str(r#"{"t": 0.0}"#).unwrap();
        assert_eq!(state_checksum(&negative), state_checksum(&positive));
        assert_ne!(
            state_checksum(&json!({"t": 1.0})),
            state_checksum(&positive)
        );
    }

    #[test]
    fn checksum_matches_an_independent_sha256() {
        // sha256 of the 7 bytes `{"a":1}` computed with coreutils' sha256sum.
        assert_eq!(
            state_checksum(&json!({"a": 1})),
            "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
        );
    }
}
