//! `threadctl diff THREAD A B`: what changed in the state from A to B.

use anyhow::Result;
use clap::Args;
use serde_json::{json, Value};
use threadctl::backend::CheckpointBackend;
use threadctl::CheckpointId;

use crate::cli::exit::{not_found, CliError};
use crate::cli::ui::output::{new_table, summary, Format};
use crate::cli::Context;
use threadctl::model::json_ops::{diff, Change};

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Thread holding both checkpoints
    pub thread: String,
    /// The older checkpoint
    pub a: CheckpointId,
    /// The newer checkpoint
    pub b: CheckpointId,
    /// Exit with status 6 when the states differ
    #[arg(long)]
    pub exit_code: bool,
}

/// Prints one entry per JSON Pointer path that was added, removed or
/// changed (`""` is the whole state).
pub async fn run(ctx: &Context, args: DiffArgs) -> Result<()> {
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let mut states = Vec::with_capacity(2);
    for id in [args.a, args.b] {
        let stored = backend
            .get_checkpoint(&key, id)
            .await?
            .ok_or_else(|| not_found(format!("checkpoint {id} not found in thread {key}")))?;
        states.push(stored.checkpoint.state);
    }
    let changes = diff(&states[0], &states[1]);
    match ctx.out.format() {
        Format::Table => {
            if changes.is_empty() {
                ctx.note("no differences");
            } else {
                let mut table = new_table(["CHANGE", "PATH", "OLD", "NEW"]);
                for (path, change) in &changes {
                    let (kind, old, new) = columns(change);
                    let shown = if path.is_empty() { "(root)" } else { path };
                    table.add_row(vec![
                        kind.to_string(),
                        shown.to_string(),
                        old.map_or_else(String::new, |v| summary(v, 40)),
                        new.map_or_else(String::new, |v| summary(v, 40)),
                    ]);
                }
                ctx.out.table(&table)?;
            }
        }
        Format::Json | Format::Jsonl => {
            let mut list = ctx.out.list();
            for (path, change) in &changes {
                let (kind, old, new) = columns(change);
                let mut entry = json!({"path": path, "change": kind});
                if let Some(old) = old {
                    entry["old"] = old.clone();
                }
                if let Some(new) = new {
                    entry["new"] = new.clone();
                }
                list.item(&entry)?;
            }
            list.finish()?;
        }
    }
    if args.exit_code && !changes.is_empty() {
        return Err(CliError::Differences(String::new()).into());
    }
    Ok(())
}

fn columns(change: &Change) -> (&'static str, Option<&Value>, Option<&Value>) {
    match change {
        Change::Added(new) => ("added", None, Some(new)),
        Change::Removed(old) => ("removed", Some(old), None),
        Change::Changed(old, new) => ("changed", Some(old), Some(new)),
    }
}
