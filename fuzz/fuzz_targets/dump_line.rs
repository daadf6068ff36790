//! The dump line reader (export/import): any bytes decode to a line or a
//! line error, never a panic; a decoded line encodes to a line that decodes
//! to the same line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadctl::ops::dump::format::{decode_line, encode_line};

fuzz_target!(|data: &[u8]| {
    let Ok(line) = decode_line(data) else {
        return;
    };
    let encoded = encode_line(&line);
    assert!(!encoded.contains(&b'\n'));
    let again = decode_line(&encoded).expect("an encoded line decodes");
    assert_eq!(encode_line(&again), encoded);
});
