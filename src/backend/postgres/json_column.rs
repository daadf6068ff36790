//! Reading `jsonb` columns through the one stored-JSON parser
//! ([`crate::model::stored_json`]), so that Postgres records holding
//! integers a double would change are refused like those of the other
//! backends: the column's text goes straight from the driver's buffer to
//! the parser, neither rounded nor parsed and copied first.

use serde_json::Value;
use sqlx::postgres::{PgRow, PgValueFormat};
use sqlx::{Row, TypeInfo, ValueRef};

use crate::model::stored_json::parse_stored;

/// The version byte that starts a `jsonb` value in binary format.
const JSONB_BINARY_VERSION: u8 = 1;

/// The JSON in column `column` of `row`, or why it cannot be read (the
/// caller names the record).
pub(super) fn json_column(row: &PgRow, column: &str) -> Result<Value, String> {
    parse_stored(json_text(row, column)?)
}

/// The JSON text of column `column` of `row` as the driver holds it, for
/// the stored-JSON parser ([`json_column`], or a typed decode).
pub(super) fn json_text<'r>(row: &'r PgRow, column: &str) -> Result<&'r [u8], String> {
    let value = row
        .try_get_raw(column)
        .map_err(|e| format!("column `{column}`: {e}"))?;
    if value.is_null() {
        return Err(format!("column `{column}` is null"));
    }
    let type_info = value.type_info();
    let binary = value.format() == PgValueFormat::Binary;
    let bytes = value
        .as_bytes()
        .map_err(|e| format!("column `{column}`: {e}"))?;
    match (type_info.name(), binary) {
        ("JSONB", true) => match bytes.split_first() {
            Some((&JSONB_BINARY_VERSION, text)) => Ok(text),
            Some((version, _)) => Err(format!(
                "column `{column}` is in jsonb binary format version {version}, which \
                 this release does not read"
            )),
            None => Err(format!("column `{column}` is empty")),
        },
        ("JSONB" | "JSON", _) => Ok(bytes),
        (other, _) => Err(format!(
            "column `{column}` is of type {other}, not json or jsonb"
        )),
    }
}
