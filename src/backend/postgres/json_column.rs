//! Reading `jsonb` columns through the one stored-JSON parser
//! ([`crate::model::stored_json`]), so that Postgres records holding
//! integers a double would change are refused like those of the other
//! backends: the driver hands over the column's text, not a value it
//! already rounded.

use serde_json::value::RawValue;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::Row;

use crate::model::stored_json::parse_stored;

/// The JSON in column `column` of `row`, or why it cannot be read (the
/// caller names the record).
pub(super) fn json_column(row: &PgRow, column: &str) -> Result<Value, String> {
    let Json(raw): Json<Box<RawValue>> = row
        .try_get(column)
        .map_err(|e| format!("column `{column}`: {e}"))?;
    parse_stored(raw.get().as_bytes())
}
