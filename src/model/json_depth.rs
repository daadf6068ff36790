//! The nesting limit of the JSON threadctl stores (states, metadata, store
//! values, events), measured without recursion.
//!
//! Every reader of stored JSON (serde_json in Redis documents, in the
//! Postgres driver's `jsonb` decoding, in SQLite columns and in dump lines)
//! refuses text nested 128 levels or deeper, and the envelopes wrap a value
//! in up to two more levels. A value nested deeper than [`MAX_JSON_DEPTH`]
//! would be written but could never be read back, so writes refuse it.

use std::{fmt, io};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::stored_json::inexact_integer;

/// The deepest nesting of arrays and objects a stored value may have
/// (a scalar has depth 0, `[]` and `{}` depth 1).
pub const MAX_JSON_DEPTH: usize = 100;

/// How deeply `value` nests arrays and objects, counted with an explicit
/// stack so that no input can exhaust the call stack.
pub fn json_depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        deepest = deepest.max(depth + 1);
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    deepest
}

/// Refuses `value` (named `what` in the error) when it nests deeper than
/// [`MAX_JSON_DEPTH`].
pub fn ensure_depth_fits(value: &Value, what: &'static str) -> Result<()> {
    let depth = json_depth(value);
    if depth > MAX_JSON_DEPTH {
        return Err(Error::invalid(what, too_deep(&depth.to_string())));
    }
    Ok(())
}

/// Converts a caller's value to JSON, refusing it when it nests deeper
/// than [`MAX_JSON_DEPTH`] before converting (`what` names it, formatted
/// only for an error): serde's conversion recurses
/// once per level, so a value 10,000 levels deep would exhaust the stack.
/// A first pass serializes into nothing and stops at the limit.
pub fn to_json_within_depth<T: Serialize + ?Sized>(
    value: &T,
    what: impl fmt::Display,
) -> Result<Value> {
    let mut probe = serde_json::Serializer::with_formatter(io::sink(), DepthProbe { depth: 0 });
    if let Err(source) = value.serialize(&mut probe) {
        return Err(refused(source, &what));
    }
    serde_json::to_value(value).map_err(|source| Error::Serde {
        what: what.to_string(),
        source,
    })
}

/// Writes a caller's value as compact JSON text (what `to_string` of its
/// [`to_json_within_depth`] value gives), refused as that refuses it, in
/// one pass: for writers that store text. Text holding an integer that
/// does not fit in 64 bits (a `u128` field) is refused too, as
/// `to_json_within_depth` refuses it: read back, it would be a corrupt
/// record ([`crate::model::stored_json`]).
pub fn to_json_text_within_depth<T: Serialize + ?Sized>(
    value: &T,
    what: impl fmt::Display,
) -> Result<String> {
    let mut text = Vec::with_capacity(128);
    let mut writer = serde_json::Serializer::with_formatter(&mut text, DepthProbe { depth: 0 });
    if let Err(source) = value.serialize(&mut writer) {
        return Err(refused(source, &what));
    }
    if let Some(inexact) = inexact_integer(&text) {
        return Err(Error::invalid(
            "value",
            format!("{what} {}", inexact.describe()),
        ));
    }
    String::from_utf8(text)
        .map_err(|e| Error::invalid("value", format!("{what} is not UTF-8 JSON text: {e}")))
}

/// The error for a value the depth probe's serialization failed on: too
/// deep (the probe's I/O error), or not serializable as JSON at all.
fn refused(source: serde_json::Error, what: &impl fmt::Display) -> Error {
    if source.is_io() {
        let reason = too_deep(&format!("more than {MAX_JSON_DEPTH}"));
        return Error::invalid("value", format!("{what} {reason}"));
    }
    Error::Serde {
        what: what.to_string(),
        source,
    }
}

/// Why a value `depth` levels deep is refused, and what to do.
fn too_deep(depth: &str) -> String {
    format!(
        "nests arrays and objects {depth} levels deep; threadctl stores at most {MAX_JSON_DEPTH} levels (readers of stored JSON refuse deeper documents): flatten the value"
    )
}

/// A JSON formatter that writes compactly and fails (with an I/O error,
/// the only kind a formatter can return) once arrays and objects nest
/// deeper than [`MAX_JSON_DEPTH`].
struct DepthProbe {
    depth: usize,
}

impl DepthProbe {
    fn enter(&mut self) -> io::Result<()> {
        self.depth += 1;
        if self.depth > MAX_JSON_DEPTH {
            return Err(io::Error::other("nested too deep"));
        }
        Ok(())
    }
}

impl Formatter for DepthProbe {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.enter()?;
        CompactFormatter.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        CompactFormatter.end_array(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.enter()?;
        CompactFormatter.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        CompactFormatter.end_object(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `levels` nested arrays, built without recursion.
    fn nested(levels: usize) -> Value {
        let mut value = json!(1);
        for _ in 0..levels {
            value = Value::Array(vec![value]);
        }
        value
    }

    #[test]
    fn depth_counts_arrays_and_objects() {
        assert_eq!(json_depth(&json!("x")), 0);
        assert_eq!(json_depth(&json!([])), 1);
        assert_eq!(json_depth(&json!({"a": [1, {"b": {}}], "c": 2})), 4);
        assert_eq!(json_depth(&nested(10_000)), 10_000);
    }

    #[test]
    fn conversion_refuses_deep_values_before_recursing() {
        assert_eq!(
            to_json_within_depth(&nested(MAX_JSON_DEPTH), "state").unwrap(),
            nested(MAX_JSON_DEPTH)
        );
        let err = to_json_within_depth(&nested(10_000), "state of checkpoint x").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("state of checkpoint x"), "{err}");
        let map = std::collections::HashMap::from([(vec![1u8], 1)]);
        assert!(matches!(
            to_json_within_depth(&map, "state"),
            Err(Error::Serde { .. })
        ));
    }

    #[test]
    fn text_is_what_the_value_writes_and_refused_alike() {
        let value = json!({"b": [1, 2.5, "x\"y"], "a": {"n": null}});
        assert_eq!(
            to_json_text_within_depth(&value, "event").unwrap(),
            value.to_string()
        );
        assert_eq!(
            to_json_text_within_depth(&nested(MAX_JSON_DEPTH), "event").unwrap(),
            nested(MAX_JSON_DEPTH).to_string()
        );
        let err = to_json_text_within_depth(&nested(10_000), "event 3").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("event 3"), "{err}");
        let map = std::collections::HashMap::from([(vec![1u8], 1)]);
        assert!(matches!(
            to_json_text_within_depth(&map, "event"),
            Err(Error::Serde { .. })
        ));
        let err = to_json_text_within_depth(&[u128::MAX], "event").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(to_json_within_depth(&[u128::MAX], "event").is_err());
    }

    #[test]
    fn the_limit_leaves_room_for_the_envelopes_under_serde_jsons_limit() {
        assert!(ensure_depth_fits(&nested(MAX_JSON_DEPTH), "state").is_ok());
        let err = ensure_depth_fits(&nested(MAX_JSON_DEPTH + 1), "state").unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }));
        assert!(err.to_string().contains("101 levels"), "{err}");
        // The deepest allowed value, wrapped in a Redis document's two
        // levels, still parses with serde_json's default recursion limit.
        let document = json!({"body": {"state": nested(MAX_JSON_DEPTH)}}).to_string();
        assert!(serde_json::from_str::<Value>(&document).is_ok());
        let too_deep = "[".repeat(128) + &"]".repeat(128);
        assert!(serde_json::from_str::<Value>(&too_deep).is_err());
    }
}
