//! The portable dump format (docs/dump-format.md): a versioned JSON Lines
//! stream of a selection's records, which `export` writes and `import`
//! reads.
//!
//! It lives in `ops` rather than `model` because its records are the bulk
//! layer's values (store items and session events are backend types), and
//! it stays free of backend I/O: [`format`] converts single lines,
//! [`reader`] and [`writer`] frame them on any byte stream.

pub mod format;
pub mod reader;
pub mod writer;

pub use format::{
    decode_line, encode_line, encode_record, DumpCounts, DumpHeader, DumpLine, DumpVersion,
    LineError, FORMAT_NAME,
};
pub use reader::{DumpReader, DEFAULT_MAX_LINE_BYTES};
pub use writer::DumpWriter;
