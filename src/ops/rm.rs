//! `rm`: deleting one thread — its checkpoints, session events and archive
//! watermark — under the thread's session lock, so that no service holding
//! the lock is writing to it meanwhile. Nothing of any other thread is
//! touched, Redis keys that two (tenant, thread) pairs share included
//! ([`BulkDeletes::delete_thread`]).

use std::time::Duration;

use crate::backend::{
    BulkDeletes, CheckpointBackend, DistributedLock, SessionLogBackend, StoreBackend,
    ThreadDeletion,
};
use crate::error::{Error, Result};
use crate::model::ThreadKey;
use crate::ops::horizon;

/// How `rm` takes the thread's session lock.
#[derive(Debug, Clone, Copy)]
pub struct RmOptions {
    /// How long the lock lives if the run dies while holding it.
    pub lock_ttl: Duration,
    /// How long to wait for another holder to let go (zero: not at all,
    /// [`crate::Error::LockBusy`] at once).
    pub lock_wait: Duration,
}

/// True when `thread` has a checkpoint or a session log (events, or a
/// watermark left by archived ones): something `rm` would delete. A
/// checkpoint that cannot be read (corrupt, of an unsupported version) is
/// still one, so that a thread another program damaged can be removed.
pub async fn thread_exists<B>(backend: &B, thread: &ThreadKey) -> Result<bool>
where
    B: CheckpointBackend + SessionLogBackend,
{
    match backend.latest_checkpoint(thread).await {
        Ok(Some(_)) | Err(Error::Corrupt { .. } | Error::UnsupportedVersion { .. }) => {
            return Ok(true)
        }
        Ok(None) => {}
        Err(e) => return Err(e),
    }
    let bounds = backend.log_bounds(thread).await?;
    Ok(bounds.last > 0 || bounds.watermark > 0)
}

/// Deletes `thread` (and what `prune` recorded of it, [`horizon`]) while
/// holding its session lock; the lock is released afterwards whatever the
/// outcome.
pub async fn remove_thread<B>(
    backend: &B,
    thread: &ThreadKey,
    options: &RmOptions,
) -> Result<ThreadDeletion>
where
    B: BulkDeletes + DistributedLock + StoreBackend,
{
    let guard = backend
        .acquire(thread, options.lock_ttl, options.lock_wait)
        .await?;
    let deleted = match backend.delete_thread(thread).await {
        Ok(deleted) => horizon::forget(backend, thread).await.map(|()| deleted),
        Err(e) => Err(e),
    };
    let released = guard.release().await;
    let deleted = deleted?;
    released?;
    Ok(deleted)
}
