//! JSON merge patch (RFC 7386) and a structural diff of two JSON values.

use serde_json::{Map, Value};

/// Applies `patch` to `target` as RFC 7386 describes: objects merge key by
/// key, `null` removes a key, anything else replaces the value.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// What happened at one path between two states.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Present only in the new state.
    Added(Value),
    /// Present only in the old state.
    Removed(Value),
    /// Present in both with different values.
    Changed(Value, Value),
}

/// Differences from `old` to `new` as (JSON Pointer, change), in document
/// order: objects key by key, arrays index by index.
pub fn diff(old: &Value, new: &Value) -> Vec<(String, Change)> {
    let mut changes = Vec::new();
    diff_at(String::new(), old, new, &mut changes);
    changes
}

fn diff_at(path: String, old: &Value, new: &Value, out: &mut Vec<(String, Change)>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, before) in a {
                let child = format!("{path}/{}", escape(key));
                match b.get(key) {
                    Some(after) => diff_at(child, before, after, out),
                    None => out.push((child, Change::Removed(before.clone()))),
                }
            }
            for (key, after) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push((
                    format!("{path}/{}", escape(key)),
                    Change::Added(after.clone()),
                ));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let child = format!("{path}/{i}");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => diff_at(child, x, y, out),
                    (Some(x), None) => out.push((child, Change::Removed(x.clone()))),
                    (None, Some(y)) => out.push((child, Change::Added(y.clone()))),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => out.push((path, Change::Changed(a.clone(), b.clone()))),
        _ => {}
    }
}

/// Escapes a key for a JSON Pointer (RFC 6901): `~` → `~0`, `/` → `~1`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386_examples() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"a": [{"b": "c"}]});
        merge_patch(&mut doc, &json!({"a": [1]}));
        assert_eq!(doc, json!({"a": [1]}));
        let mut doc = json!(["a"]);
        merge_patch(&mut doc, &json!({"a": {"bb": {"ccc": null}}}));
        assert_eq!(doc, json!({"a": {"bb": {}}}));
        let mut doc = json!({"e": null});
        merge_patch(&mut doc, &json!({"a": 1}));
        assert_eq!(doc, json!({"e": null, "a": 1}));
    }

    #[test]
    fn diff_reports_paths_added_removed_and_changed() {
        let old = json!({"n": 1, "gone": true, "list": [1, 2], "a/b": {"x": "y"}});
        let new = json!({"n": 2, "list": [1], "a/b": {"x": "y"}, "new": null});
        assert_eq!(
            diff(&old, &new),
            vec![
                ("/n".to_string(), Change::Changed(json!(1), json!(2))),
                ("/gone".to_string(), Change::Removed(json!(true))),
                ("/list/1".to_string(), Change::Removed(json!(2))),
                ("/new".to_string(), Change::Added(Value::Null)),
            ]
        );
        assert!(diff(&old, &old).is_empty());
        assert_eq!(diff(&json!(1), &json!("1")).len(), 1);
        assert_eq!(diff(&json!({"a~": 1}), &json!({}))[0].0, "/a~0");
    }
}
