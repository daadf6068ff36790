//! Naming the thread a listed lock belongs to. Lock keys are hashes of
//! the tenant and thread (docs/format.md, "Session lock"), so the key of
//! every thread the store knows is derived and matched; the services'
//! locks are named this way too. A lock of a thread without checkpoints
//! stays unknown.

use std::collections::HashMap;

use threadctl::backend::ThreadListing;
use threadctl::{Backend, LockKey, ThreadKey};

/// Every known thread of every tenant by its lock key, as the backend
/// names the key.
pub async fn by_lock_key(backend: &Backend) -> anyhow::Result<HashMap<String, ThreadKey>> {
    let kind = backend.kind();
    Ok(backend
        .list_threads(None)
        .await?
        .into_iter()
        .map(|summary| {
            (
                LockKey::session(&summary.thread).name_on(kind),
                summary.thread,
            )
        })
        .collect())
}
