//! `fork --into`: start a new thread from a checkpoint of another, with
//! the checkpoint's ancestry copied (ids, timestamps, metadata kept) and
//! the fork on top, all in one atomic batch.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::backend::{BulkCheckpoints, CheckpointBackend, ConflictKind, RecordOutcome, WriteMode};
use crate::error::{Error, Result};
use crate::model::{ensure_metadata_fits, Checkpoint, Origin, StoredCheckpoint, ThreadKey};

/// Copies `parent` and its ancestors (parent links up to the root) into
/// the empty thread `target` at the store's write version, then forks
/// there with `state`; the fork's metadata names the original thread and
/// checkpoint. Every check runs before the one write: a missing ancestor
/// or a parent cycle is [`Error::Corrupt`], a target with checkpoints
/// [`Error::Conflict`], and nothing is written then.
pub async fn fork_into<B>(
    backend: &B,
    parent: &StoredCheckpoint,
    target: &ThreadKey,
    state: Value,
    metadata: Map<String, Value>,
) -> Result<StoredCheckpoint>
where
    B: CheckpointBackend + BulkCheckpoints,
{
    let source = parent.checkpoint.thread_key();
    if let Some(existing) = backend.latest_checkpoint(target).await? {
        return Err(Error::conflict(
            ConflictKind::ThreadNotEmpty,
            format!(
                "thread {target} already has checkpoints (latest {}); --into needs a new thread",
                existing.checkpoint.id
            ),
        ));
    }
    let version = backend.write_version();
    let metadata = Origin::fork_metadata(&source, parent.checkpoint.id, metadata, version)?;
    let mut batch = Vec::new();
    for stored in ancestors(backend, parent).await?.into_iter().rev() {
        let mut copy = stored.checkpoint;
        ensure_metadata_fits(&copy.metadata, version).map_err(|_| {
            Error::invalid(
                "fork --into",
                format!(
                    "checkpoint {} of {source} has metadata, which the store's write version {version} \
                     cannot keep; migrate the store to version 2 first (`threadctl migrate run --to 2`)",
                    copy.id
                ),
            )
        })?;
        copy.tenant_id = target.tenant.clone();
        copy.thread_id = target.thread.clone();
        batch.push(StoredCheckpoint {
            checkpoint: copy,
            schema_version: version,
        });
    }
    let mut fork = Checkpoint::new(
        target,
        Some(parent.checkpoint.id),
        parent.checkpoint.step + 1,
        state,
        parent.checkpoint.next_node.clone(),
    );
    fork.metadata = metadata;
    let fork = StoredCheckpoint {
        checkpoint: fork,
        schema_version: version,
    };
    batch.push(fork.clone());
    let outcomes = backend
        .write_batch(target, &batch, WriteMode::OnlyNew)
        .await?;
    if let Some((record, outcome)) = batch
        .iter()
        .zip(&outcomes)
        .find(|(_, o)| **o != RecordOutcome::Written)
    {
        let kind = match outcome {
            RecordOutcome::Conflict(kind) => *kind,
            _ => ConflictKind::ThreadNotEmpty,
        };
        return Err(Error::conflict(
            kind,
            format!(
                "thread {target} could not take checkpoint {} ({}); nothing of this fork was written",
                record.checkpoint.id,
                match kind {
                    ConflictKind::ForeignKeys => "its Redis keys hold another thread's records",
                    _ => "another writer was first",
                }
            ),
        ));
    }
    Ok(fork)
}

/// `start` and its ancestors, newest first.
async fn ancestors<B: CheckpointBackend>(
    backend: &B,
    start: &StoredCheckpoint,
) -> Result<Vec<StoredCheckpoint>> {
    let thread = start.checkpoint.thread_key();
    let mut seen = HashSet::from([start.checkpoint.id]);
    let mut chain = vec![start.clone()];
    while let Some(parent_id) = chain.last().and_then(|cp| cp.checkpoint.parent_id) {
        let child = chain.last().map(|cp| cp.checkpoint.id.to_string());
        if !seen.insert(parent_id) {
            return Err(Error::corrupt(
                format!("checkpoint {parent_id} of {thread}"),
                "it is its own ancestor (parent cycle); cannot copy the history",
            ));
        }
        let parent = backend
            .get_checkpoint(&thread, parent_id)
            .await?
            .ok_or_else(|| {
                Error::corrupt(
                    format!("checkpoint {} of {thread}", child.unwrap_or_default()),
                    format!("its parent {parent_id} is missing; cannot copy the history"),
                )
            })?;
        chain.push(parent);
    }
    Ok(chain)
}
