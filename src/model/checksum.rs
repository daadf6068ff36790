//! The v2 state checksum: SHA-256 over the canonical JSON of the state
//! (object keys sorted, no insignificant whitespace).

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Prefix of every checksum string.
pub(crate) const CHECKSUM_PREFIX: &str = "sha256:";

/// Canonical JSON text of `value`: keys sorted at every depth, compact,
/// negative zero written as zero.
pub(crate) fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Number(n) if is_negative_zero(n) => out.push_str("0.0"),
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Postgres' `jsonb` has no negative zero (it gives `-0.0` back as `0.0`),
/// so the canonical form writes `-0.0` as `0.0`: a checksum must not
/// depend on which backend kept the state.
fn is_negative_zero(n: &serde_json::Number) -> bool {
    n.is_f64() && n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative())
}

/// `"sha256:<64 lowercase hex>"` for `state`.
pub fn state_checksum(state: &Value) -> String {
    let digest = Sha256::digest(canonical_json(state).as_bytes());
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
