//! The Postgres/SQLite `state` column reader: any JSON value decodes to a
//! column or a corruption error, never a panic; what it accepts it keeps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use threadctl::model::envelope::decode_state_column;
use threadctl::model::json_depth::json_depth;

fuzz_target!(|data: &[u8]| {
    let Ok(column) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(decoded) = decode_state_column(column.clone(), "fuzz row") {
        assert_eq!(Some(&decoded.state), column.get("state"));
        assert!(json_depth(&decoded.state) < json_depth(&column));
    }
});
