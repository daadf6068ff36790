//! Postgres cannot store NUL characters in `text` or `jsonb`: find them
//! before sending, and say where (docs/format.md, "Reference shortfalls", 9).

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::json_depth::ensure_depth_fits;

/// Refuses `value` when any string or object key in it contains `\u0000`,
/// or when it nests deeper than threadctl stores (checked first, without
/// recursion, which also bounds the search's recursion); `what` names the
/// input, `owner` the record it belongs to.
pub(super) fn check_json(value: &Value, what: &'static str, owner: &str) -> Result<()> {
    ensure_depth_fits(value, what)?;
    match find(value, String::new()) {
        None => Ok(()),
        Some(path) => Err(refusal(
            what,
            format!("{owner} contains a NUL character (\\u0000) at JSON path {path:?}"),
        )),
    }
}

/// Refuses a text value (id, namespace, key) containing `\u0000`.
pub(super) fn check_text(text: &str, what: &'static str) -> Result<()> {
    if text.contains('\0') {
        Err(refusal(
            what,
            format!("{text:?} contains a NUL character (\\u0000)"),
        ))
    } else {
        Ok(())
    }
}

fn refusal(what: &'static str, detail: String) -> Error {
    Error::invalid(
        what,
        format!(
            "Postgres cannot store NUL characters in text or JSON; {detail}; nothing was written"
        ),
    )
}

/// The JSON pointer of the first string or key holding a NUL.
fn find(value: &Value, path: String) -> Option<String> {
    match value {
        Value::String(s) if s.contains('\0') => {
            Some(if path.is_empty() { "/".into() } else { path })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| find(item, format!("{path}/{i}"))),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let here = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
            if key.contains('\0') {
                Some(here)
            } else {
                find(item, here)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_nul_in_nested_strings_and_keys() {
        assert!(check_json(&json!({"a": [1, "ok"]}), "state", "x").is_ok());
        let err = check_json(&json!({"a": [1, "b\u{0}"]}), "state", "x").unwrap_err();
        assert!(err.to_string().contains("/a/1"), "{err}");
        let err = check_json(&json!({"k\u{0}": 1}), "state", "x").unwrap_err();
        assert!(err.to_string().contains("NUL"), "{err}");
        assert!(check_text("a\u{0}b", "key").is_err());
    }
}
