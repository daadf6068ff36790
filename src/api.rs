//! The typed library surface: `Checkpointer<S>`, `Store<V>` and
//! `SessionLog<E>`, generic over the caller's serde types and implemented
//! for every backend through the JSON-level traits.

use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Map;

use crate::backend::{CheckpointBackend, SessionEvent, SessionLogBackend, StoreBackend};
use crate::error::Result;
use crate::model::json_depth::to_json_within_depth;
use crate::model::{Checkpoint, CheckpointId, Namespace, Origin, TenantId, ThreadKey};

/// Types that can be stored as state, values or events.
pub trait Storable: Serialize + DeserializeOwned + Send + Sync {}
impl<T: Serialize + DeserializeOwned + Send + Sync> Storable for T {}

/// Checkpoint persistence for state type `S`.
pub trait Checkpointer<S: Storable>: Send + Sync {
    /// Writes a new checkpoint (metadata `source: put` at envelope v2).
    fn put(&self, checkpoint: &Checkpoint<S>) -> impl Future<Output = Result<()>> + Send;
    /// Writes only if `expected` is still the thread's latest checkpoint.
    fn put_if_latest(
        &self,
        checkpoint: &Checkpoint<S>,
        expected: CheckpointId,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The newest checkpoint (highest step, then greatest id).
    fn latest(
        &self,
        thread: &ThreadKey,
    ) -> impl Future<Output = Result<Option<Checkpoint<S>>>> + Send;
    /// One checkpoint by id.
    fn get(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> impl Future<Output = Result<Option<Checkpoint<S>>>> + Send;
    /// Newest first, at most `limit` (all when `None`).
    fn history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
    ) -> impl Future<Output = Result<Vec<Checkpoint<S>>>> + Send;
    /// Branches from `parent` with `state` (the reference's `update_state`).
    fn fork(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: &S,
    ) -> impl Future<Output = Result<Checkpoint<S>>> + Send;
}

async fn put_stamped<B: CheckpointBackend, S: Storable>(
    backend: &B,
    checkpoint: &Checkpoint<S>,
    expected: Option<Option<CheckpointId>>,
) -> Result<()> {
    let mut json = checkpoint.to_json_state()?;
    Origin::Put.stamp(&mut json.metadata, backend.write_version())?;
    backend.put_checkpoint(&json, expected).await
}

impl<B: CheckpointBackend, S: Storable> Checkpointer<S> for B {
    async fn put(&self, checkpoint: &Checkpoint<S>) -> Result<()> {
        put_stamped(self, checkpoint, None).await
    }

    async fn put_if_latest(
        &self,
        checkpoint: &Checkpoint<S>,
        expected: CheckpointId,
    ) -> Result<()> {
        put_stamped(self, checkpoint, Some(Some(expected))).await
    }

    async fn latest(&self, thread: &ThreadKey) -> Result<Option<Checkpoint<S>>> {
        self.latest_checkpoint(thread)
            .await?
            .map(|stored| stored.checkpoint.from_json_state())
            .transpose()
    }

    async fn get(&self, thread: &ThreadKey, id: CheckpointId) -> Result<Option<Checkpoint<S>>> {
        self.get_checkpoint(thread, id)
            .await?
            .map(|stored| stored.checkpoint.from_json_state())
            .transpose()
    }

    async fn history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
    ) -> Result<Vec<Checkpoint<S>>> {
        self.checkpoint_history(thread, limit, None)
            .await?
            .into_iter()
            .map(|stored| stored.checkpoint.from_json_state())
            .collect()
    }

    async fn fork(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: &S,
    ) -> Result<Checkpoint<S>> {
        let state = to_json_within_depth(state, "fork state")?;
        self.fork_checkpoint(thread, parent, state, Map::new())
            .await?
            .checkpoint
            .from_json_state()
    }
}

/// Namespaced key/value memory for value type `V`.
pub trait Store<V: Storable>: Send + Sync {
    /// Writes an item, expiring after `ttl` when given.
    fn put(
        &self,
        namespace: &Namespace,
        key: &str,
        value: &V,
        ttl: Option<Duration>,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Reads a live item.
    fn get(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> impl Future<Output = Result<Option<V>>> + Send;
    /// Deletes an item; true when one was deleted.
    fn delete(&self, namespace: &Namespace, key: &str)
        -> impl Future<Output = Result<bool>> + Send;
    /// Live keys of `namespace` starting with `prefix` (literally).
    fn list_keys(
        &self,
        namespace: &Namespace,
        prefix: &str,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// Namespaces at or below `prefix` holding live items.
    fn list_namespaces(
        &self,
        prefix: &Namespace,
    ) -> impl Future<Output = Result<Vec<Namespace>>> + Send;
    /// Removes the tenant's expired items.
    fn evict_expired(&self, tenant: &TenantId) -> impl Future<Output = Result<u64>> + Send;
}

impl<B: StoreBackend, V: Storable> Store<V> for B {
    async fn put(
        &self,
        namespace: &Namespace,
        key: &str,
        value: &V,
        ttl: Option<Duration>,
    ) -> Result<()> {
        let value = to_json_within_depth(value, "store value")?;
        self.store_put(namespace, key, &value, ttl).await
    }

    async fn get(&self, namespace: &Namespace, key: &str) -> Result<Option<V>> {
        self.store_get_as(namespace, key).await
    }

    async fn delete(&self, namespace: &Namespace, key: &str) -> Result<bool> {
        self.store_delete(namespace, key).await
    }

    async fn list_keys(&self, namespace: &Namespace, prefix: &str) -> Result<Vec<String>> {
        self.store_list_keys(namespace, prefix).await
    }

    async fn list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        self.store_list_namespaces(prefix).await
    }

    async fn evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        self.store_evict_expired(tenant).await
    }
}

/// Append-only session log for event type `E`.
pub trait SessionLog<E: Storable>: Send + Sync {
    /// Appends atomically; returns the last ordinal.
    fn append(&self, thread: &ThreadKey, events: &[E]) -> impl Future<Output = Result<u64>> + Send;
    /// Events with ordinal greater than `cursor`, oldest first.
    fn load_since(
        &self,
        thread: &ThreadKey,
        cursor: u64,
    ) -> impl Future<Output = Result<Vec<SessionEvent<E>>>> + Send;
    /// Archives events through `watermark`; returns the new watermark.
    fn archive(
        &self,
        thread: &ThreadKey,
        watermark: u64,
    ) -> impl Future<Output = Result<u64>> + Send;
}

impl<B: SessionLogBackend, E: Storable> SessionLog<E> for B {
    async fn append(&self, thread: &ThreadKey, events: &[E]) -> Result<u64> {
        self.append_events_as(thread, events).await
    }

    async fn load_since(&self, thread: &ThreadKey, cursor: u64) -> Result<Vec<SessionEvent<E>>> {
        self.load_events_as(thread, cursor, None).await
    }

    async fn archive(&self, thread: &ThreadKey, watermark: u64) -> Result<u64> {
        self.archive_events(thread, watermark).await
    }
}
