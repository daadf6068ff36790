//! The Redis `byid` document reader: any bytes decode to a checkpoint or a
//! corruption error, never a panic; a decoded checkpoint encodes back to a
//! document that decodes to the same checkpoint at the same version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadctl::model::envelope::{decode_document, encode_document};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(stored) = decode_document(text, "fuzz field") else {
        return;
    };
    let again = encode_document(&stored.checkpoint, stored.schema_version);
    let reread = decode_document(&again, "re-encoded").expect("an encoded document decodes");
    assert_eq!(reread.checkpoint, stored.checkpoint);
    assert_eq!(reread.schema_version, stored.schema_version);
});
