//! `threadctl put THREAD --state …`: write a new checkpoint.

use anyhow::Result;
use clap::Args;
use threadctl::backend::CheckpointBackend;
use threadctl::model::{Origin, StoredCheckpoint};
use threadctl::{Checkpoint, CheckpointId, Error};

use crate::cli::exit::not_found;
use crate::cli::input::{at_most_one_stdin, read_json, read_object};
use crate::cli::view::print_written;
use crate::cli::Context;

/// Arguments of `put`.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// Thread to write to (created by its first checkpoint)
    pub thread: String,
    /// The new state: JSON literal, @FILE, or - for stdin
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub state: String,
    /// Node to run next [default: the parent's]
    #[arg(long, value_name = "NODE", conflicts_with = "finished")]
    pub next_node: Option<String>,
    /// Record that the graph finished (next_node null)
    #[arg(long)]
    pub finished: bool,
    /// Extra metadata (a JSON object; needs envelope version 2)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub metadata: Option<String>,
    /// Parent checkpoint [default: the thread's latest]
    #[arg(long, value_name = "ID")]
    pub parent: Option<CheckpointId>,
    /// Step number [default: the parent's step + 1, 0 without a parent]
    #[arg(long)]
    pub step: Option<u64>,
    /// Write only if ID is still the thread's latest checkpoint
    #[arg(long, value_name = "ID")]
    pub if_latest: Option<CheckpointId>,
}

/// Writes the checkpoint and prints its id (or the record with `-o json`).
///
/// The parent defaults to the latest checkpoint, and then the write is
/// conditional on it still being the latest, so two concurrent `put`s
/// never both build on the same parent. Everything is validated before
/// anything is written.
pub async fn run(ctx: &Context, args: PutArgs) -> Result<()> {
    at_most_one_stdin(&[
        ("--state", Some(args.state.as_str())),
        ("--metadata", args.metadata.as_deref()),
    ])?;
    let state = read_json("--state", &args.state)?;
    let mut metadata = match &args.metadata {
        Some(raw) => read_object("--metadata", raw)?,
        None => Default::default(),
    };
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.backend().await?;
    let version = backend.write_version();
    Origin::Put.stamp(&mut metadata, version)?;

    let latest = backend.latest_checkpoint(&key).await?;
    let latest_id = latest.as_ref().map(|s| s.checkpoint.id);
    if let Some(expected) = args.if_latest {
        if latest_id != Some(expected) {
            let actual = latest_id.map_or_else(
                || "the thread is empty".to_string(),
                |id| format!("the latest is {id}"),
            );
            return Err(Error::Conflict(format!(
                "--if-latest {expected} is no longer the latest checkpoint of {key} ({actual}); nothing was written"
            ))
            .into());
        }
    }
    let (parent, expect_latest) = match args.parent {
        Some(id) => {
            let parent = backend.get_checkpoint(&key, id).await?.ok_or_else(|| {
                not_found(format!("parent checkpoint {id} not found in thread {key}"))
            })?;
            (Some(parent), args.if_latest)
        }
        None => (latest, args.if_latest.or(latest_id)),
    };
    let parent = parent.map(|p| p.checkpoint);
    let step = args
        .step
        .unwrap_or_else(|| parent.as_ref().map_or(0, |p| p.step + 1));
    let next_node = match (args.next_node, args.finished) {
        (Some(node), _) => Some(node),
        (None, true) => None,
        (None, false) => parent.as_ref().and_then(|p| p.next_node.clone()),
    };
    let mut checkpoint = Checkpoint::new(&key, parent.map(|p| p.id), step, state, next_node);
    checkpoint.metadata = metadata;
    backend.put_checkpoint(&checkpoint, expect_latest).await?;
    let written = StoredCheckpoint {
        checkpoint,
        schema_version: version,
    };
    Ok(print_written(&ctx.out, &written)?)
}
