//! What `prune` removed, so that `verify` does not take it for damage: per
//! thread, the kept checkpoints whose parent was pruned (the roots of the
//! kept windows). It is kept in the namespaced store, in the thread's
//! tenant under the scope `threadctl:pruned`, keyed by thread id — a
//! namespace services do not use — and `rm` deletes it with its thread.

use std::collections::HashSet;

use serde_json::Value;

use crate::backend::StoreBackend;
use crate::error::{Error, Result};
use crate::model::{CheckpointId, Namespace, ThreadKey};

/// The namespace holding the horizons of `thread`'s tenant.
fn namespace(thread: &ThreadKey) -> Namespace {
    Namespace::new(thread.tenant.clone(), ["threadctl", "pruned"])
}

/// The checkpoints of `thread` whose parent prune removed (none when it
/// was never pruned).
pub async fn load<B: StoreBackend>(
    backend: &B,
    thread: &ThreadKey,
) -> Result<HashSet<CheckpointId>> {
    let Some(item) = backend
        .store_get(&namespace(thread), thread.thread.as_str())
        .await?
    else {
        return Ok(HashSet::new());
    };
    let unreadable = || Error::Corrupt {
        record: format!("prune horizon of {thread}"),
        reason: "not a JSON array of checkpoint ids".into(),
    };
    let Value::Array(ids) = item.value else {
        return Err(unreadable());
    };
    ids.iter()
        .map(|id| {
            id.as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(unreadable)
        })
        .collect()
}

/// Records `roots` as `thread`'s horizon, replacing the previous one;
/// deletes it when empty.
pub async fn save<B: StoreBackend>(
    backend: &B,
    thread: &ThreadKey,
    roots: &HashSet<CheckpointId>,
) -> Result<()> {
    if roots.is_empty() {
        return forget(backend, thread).await;
    }
    let mut ids: Vec<String> = roots.iter().map(ToString::to_string).collect();
    ids.sort();
    backend
        .store_put(
            &namespace(thread),
            thread.thread.as_str(),
            &ids.into(),
            None,
        )
        .await
}

/// Deletes `thread`'s horizon, if any.
pub async fn forget<B: StoreBackend>(backend: &B, thread: &ThreadKey) -> Result<()> {
    backend
        .store_delete(&namespace(thread), thread.thread.as_str())
        .await
        .map(drop)
}
