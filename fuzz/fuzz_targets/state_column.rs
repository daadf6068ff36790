//! The Postgres/SQLite `state` column reader, as the backends run it: the
//! stored text through the stored-JSON parser, then the column decoder.
//! Any bytes give a column or a corruption reason, never a panic; what it
//! accepts it keeps, and it never accepts an integer a double would round.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadctl::model::envelope::decode_state_column;
use threadctl::model::json_depth::json_depth;
use threadctl::model::stored_json::{inexact_integer, parse_stored};

fuzz_target!(|data: &[u8]| {
    let Ok(column) = parse_stored(data) else {
        return;
    };
    assert!(inexact_integer(data).is_none());
    if let Ok(decoded) = decode_state_column(column.clone(), "fuzz row") {
        assert_eq!(Some(&decoded.state), column.get("state"));
        assert!(json_depth(&decoded.state) < json_depth(&column));
    }
});
