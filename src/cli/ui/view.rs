//! How library records look on stdout: the stable JSON field names and
//! the human tables.

use std::io;

use comfy_table::Table;
use serde_json::{Map, Value};
use threadctl::model::checksum::state_checksum;
use threadctl::model::StoredCheckpoint;
use threadctl::{CheckpointId, EnvelopeVersion};

use crate::cli::ui::output::{escape, new_table, pretty, summary, Format, Output};
use crate::cli::ui::time::{json_time, table_time};

/// A checkpoint as JSON: docs/format.md's record fields ("Checkpoint record"), `schema_version`, and
/// at envelope v2 `metadata` and `checksum`.
pub fn checkpoint_json(stored: &StoredCheckpoint) -> Value {
    let cp = &stored.checkpoint;
    let mut object = Map::new();
    object.insert("id".into(), cp.id.to_string().into());
    object.insert("tenant_id".into(), cp.tenant_id.as_str().into());
    object.insert("thread_id".into(), cp.thread_id.as_str().into());
    object.insert(
        "parent_id".into(),
        cp.parent_id.map(|p| p.to_string()).into(),
    );
    object.insert("step".into(), cp.step.into());
    object.insert("state".into(), cp.state.clone());
    object.insert("next_node".into(), cp.next_node.clone().into());
    object.insert("timestamp".into(), json_time(&cp.timestamp).into());
    object.insert(
        "schema_version".into(),
        stored.schema_version.number().into(),
    );
    if stored.schema_version == EnvelopeVersion::V2 {
        object.insert("metadata".into(), Value::Object(cp.metadata.clone()));
        object.insert("checksum".into(), state_checksum(&cp.state).into());
    }
    Value::Object(object)
}

/// One checkpoint as a two-column FIELD / VALUE table, state last.
pub fn checkpoint_table(stored: &StoredCheckpoint) -> Table {
    let cp = &stored.checkpoint;
    let mut table = new_table(["FIELD", "VALUE"]);
    table.add_row(vec!["id".to_string(), cp.id.to_string()]);
    table.add_row(vec!["tenant".to_string(), escape(cp.tenant_id.as_str())]);
    table.add_row(vec!["thread".to_string(), escape(cp.thread_id.as_str())]);
    table.add_row(vec!["parent".to_string(), optional_id(cp.parent_id)]);
    table.add_row(vec!["step".to_string(), cp.step.to_string()]);
    table.add_row(vec!["next_node".to_string(), next_node(&cp.next_node)]);
    table.add_row(vec!["timestamp".to_string(), table_time(&cp.timestamp)]);
    table.add_row(vec![
        "schema_version".to_string(),
        stored.schema_version.to_string(),
    ]);
    if stored.schema_version == EnvelopeVersion::V2 {
        table.add_row(vec![
            "metadata".to_string(),
            Value::Object(cp.metadata.clone()).to_string(),
        ]);
        table.add_row(vec!["checksum".to_string(), state_checksum(&cp.state)]);
    }
    table.add_row(vec!["state".to_string(), pretty(&cp.state)]);
    table
}

/// The header of a checkpoint list table.
fn checkpoint_list_table() -> Table {
    new_table(["ID", "PARENT", "STEP", "NEXT NODE", "TIMESTAMP", "STATE"])
}

/// A checkpoint list as a [`checkpoint_list_table`]: ids (parents
/// included) cut to the shortest prefix that tells the listed ones apart,
/// times as ages (whole with `-o wide`).
pub fn checkpoint_list(out: &Output, checkpoints: &[StoredCheckpoint]) -> Table {
    let id_len = out.id_len(checkpoints.iter().flat_map(|stored| {
        let cp = &stored.checkpoint;
        std::iter::once(&cp.id).chain(cp.parent_id.as_ref())
    }));
    let short = |id: &CheckpointId| id.to_string()[..id_len].to_string();
    let mut table = checkpoint_list_table();
    for stored in checkpoints {
        let cp = &stored.checkpoint;
        table.add_row(vec![
            short(&cp.id),
            cp.parent_id.as_ref().map_or_else(|| "-".to_string(), short),
            cp.step.to_string(),
            next_node(&cp.next_node),
            out.time_cell(&cp.timestamp),
            summary(&cp.state, 40),
        ]);
    }
    table
}

/// An optional id, `-` when absent.
pub fn optional_id(id: Option<threadctl::CheckpointId>) -> String {
    id.map_or_else(|| "-".to_string(), |id| id.to_string())
}

/// A next node for a table, `-` when the graph finished.
pub fn next_node(node: &Option<String>) -> String {
    node.as_deref().map_or_else(|| "-".to_string(), escape)
}

/// Prints one checkpoint in the chosen format; with `state_only`, just
/// its state as compact JSON on one line (ready for `put --state -`).
pub fn print_checkpoint(
    out: &Output,
    stored: &StoredCheckpoint,
    state_only: bool,
) -> io::Result<()> {
    if state_only {
        return out.compact(&stored.checkpoint.state);
    }
    match out.format() {
        Format::Table => out.table(&checkpoint_table(stored)),
        Format::Json | Format::Jsonl => out.document(&checkpoint_json(stored)),
    }
}

/// Prints a newly written checkpoint: its id alone for tables (so
/// `ID=$(threadctl put …)` works), the whole record for JSON.
pub fn print_written(out: &Output, stored: &StoredCheckpoint) -> io::Result<()> {
    match out.format() {
        Format::Table => out.line(&stored.checkpoint.id.to_string()),
        Format::Json | Format::Jsonl => out.document(&checkpoint_json(stored)),
    }
}
