//! `threadctl fork THREAD --from ID`: branch from a checkpoint with a new
//! state or a JSON merge patch, in the same thread or `--into` a new one.

use std::collections::HashSet;

use anyhow::Result;
use clap::{ArgGroup, Args};
use serde_json::{Map, Value};
use threadctl::backend::{Admin, CheckpointBackend};
use threadctl::model::{Origin, StoredCheckpoint};
use threadctl::{Backend, Checkpoint, CheckpointId, Error, ThreadKey};

use crate::cli::exit::{not_found, usage, CliError};
use crate::cli::ui::input::{at_most_one_stdin, read_json, read_object};
use crate::cli::ui::json_ops::merge_patch;
use crate::cli::ui::progress;
use crate::cli::ui::view::print_written;
use crate::cli::Context;

/// Arguments of `fork`: exactly one of `--state` and `--patch`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("new_state").required(true).args(["state", "patch"])))]
pub struct ForkArgs {
    /// Thread holding the parent checkpoint
    pub thread: String,
    /// The parent checkpoint to branch from
    #[arg(long, value_name = "ID")]
    pub from: CheckpointId,
    /// The new state: JSON literal, @FILE, or - for stdin
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub state: Option<String>,
    /// A JSON merge patch (RFC 7386) applied to the parent's state
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub patch: Option<String>,
    /// Extra metadata (a JSON object; needs envelope version 2)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub metadata: Option<String>,
    /// Copy the history up to ID into this new thread and fork there
    #[arg(long, value_name = "THREAD")]
    pub into: Option<String>,
}

/// Writes the fork and prints its id (or the record with `-o json`).
pub async fn run(ctx: &Context, args: ForkArgs) -> Result<()> {
    at_most_one_stdin(&[
        ("--state", args.state.as_deref()),
        ("--patch", args.patch.as_deref()),
        ("--metadata", args.metadata.as_deref()),
    ])?;
    let new_state = args
        .state
        .as_deref()
        .map(|raw| read_json("--state", raw))
        .transpose()?;
    let patch = args
        .patch
        .as_deref()
        .map(|raw| read_json("--patch", raw))
        .transpose()?;
    let metadata = match &args.metadata {
        Some(raw) => read_object("--metadata", raw)?,
        None => Map::new(),
    };
    let source = ctx.thread(&args.thread)?;
    let target = args.into.as_deref().map(|t| ctx.thread(t)).transpose()?;
    if target.as_ref() == Some(&source) {
        return Err(usage(
            "--into must name another thread than the one forked from",
        ));
    }
    let backend = ctx.backend().await?;
    let parent = backend
        .get_checkpoint(&source, args.from)
        .await?
        .ok_or_else(|| {
            not_found(format!(
                "checkpoint {} not found in thread {source}",
                args.from
            ))
        })?;
    let state = match (new_state, patch) {
        (Some(state), _) => state,
        (None, Some(patch)) => {
            let mut state = parent.checkpoint.state.clone();
            merge_patch(&mut state, &patch);
            state
        }
        (None, None) => return Err(usage("give the new state with --state or --patch")),
    };
    let written = match target {
        None => {
            backend
                .fork_checkpoint(&source, args.from, state, metadata)
                .await?
        }
        Some(target) => fork_into(ctx, &backend, &parent, &target, state, metadata).await?,
    };
    Ok(print_written(&ctx.out, &written)?)
}

/// Copies the chain of ancestors of `parent` (parent links up to the root)
/// into the empty thread `target`, keeping ids, timestamps and metadata,
/// then writes the fork there. The fork's metadata names the original
/// thread and checkpoint. Every check runs before the first write.
async fn fork_into(
    ctx: &Context,
    backend: &Backend,
    parent: &StoredCheckpoint,
    target: &ThreadKey,
    state: Value,
    metadata: Map<String, Value>,
) -> Result<StoredCheckpoint> {
    let source = parent.checkpoint.thread_key();
    if let Some(existing) = backend.latest_checkpoint(target).await? {
        return Err(Error::Conflict(format!(
            "thread {target} already has checkpoints (latest {}); --into needs a new thread",
            existing.checkpoint.id
        ))
        .into());
    }
    let version = backend.write_version();
    let metadata = Origin::fork_metadata(&source, parent.checkpoint.id, metadata, version)?;
    let chain = ancestors(backend, parent).await?;
    let progress = progress::bar(
        ctx,
        chain.len() as u64,
        &format!("copying history into {target}"),
    );
    for stored in chain.iter().rev() {
        let mut copy = stored.checkpoint.clone();
        copy.tenant_id = target.tenant.clone();
        copy.thread_id = target.thread.clone();
        backend
            .write_checkpoint_verbatim(&copy, version, false)
            .await?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    let mut fork = Checkpoint::new(
        target,
        Some(parent.checkpoint.id),
        parent.checkpoint.step + 1,
        state,
        parent.checkpoint.next_node.clone(),
    );
    fork.metadata = metadata;
    backend
        .put_checkpoint(&fork, Some(parent.checkpoint.id))
        .await?;
    Ok(StoredCheckpoint {
        checkpoint: fork,
        schema_version: version,
    })
}

/// `start` and its ancestors, newest first. A missing ancestor or a
/// parent cycle is a data problem naming the record (exit 5).
async fn ancestors(backend: &Backend, start: &StoredCheckpoint) -> Result<Vec<StoredCheckpoint>> {
    let thread = start.checkpoint.thread_key();
    let mut seen = HashSet::from([start.checkpoint.id]);
    let mut chain = vec![start.clone()];
    while let Some(parent_id) = chain.last().and_then(|cp| cp.checkpoint.parent_id) {
        let child = chain.last().map(|cp| cp.checkpoint.id);
        if !seen.insert(parent_id) {
            return Err(CliError::Data(format!(
                "checkpoint {parent_id} of thread {thread} is its own ancestor (parent cycle); cannot copy the history"
            ))
            .into());
        }
        let parent = backend.get_checkpoint(&thread, parent_id).await?.ok_or_else(|| {
            CliError::Data(format!(
                "checkpoint {parent_id}, parent of {} in thread {thread}, is missing; cannot copy the history",
                child.map_or_else(String::new, |id| id.to_string())
            ))
        })?;
        chain.push(parent);
    }
    Ok(chain)
}
