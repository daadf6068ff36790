//! JSON merge patch (RFC 7386): the input is two JSON values, a target and
//! a patch. Applying never panics, removes every key the patch nulls, and
//! applying the same patch again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use threadctl::model::json_ops::merge_patch;

fuzz_target!(|data: &[u8]| {
    let mut values = serde_json::Deserializer::from_slice(data).into_iter::<Value>();
    let (Some(Ok(mut target)), Some(Ok(patch))) = (values.next(), values.next()) else {
        return;
    };
    merge_patch(&mut target, &patch);
    if let (Value::Object(patched), Value::Object(patch)) = (&target, &patch) {
        for (key, value) in patch {
            assert_eq!(value.is_null(), !patched.contains_key(key), "key {key:?}");
        }
    }
    let once = target.clone();
    merge_patch(&mut target, &patch);
    assert_eq!(target, once);
});
