//! The traits every backend implements, on JSON values.
//!
//! Backends implement these once; [`crate::api`] layers the typed,
//! serde-generic `Checkpointer<S>`, `Store<V>` and `SessionLog<E>` on top.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::backend::lock::LockGuard;
use crate::error::{Error, Result};
use crate::model::json_depth::to_json_within_depth;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, Namespace, StoredCheckpoint, TenantId, ThreadKey,
};

/// Checkpoint persistence (docs/format.md, "Checkpoint record").
///
/// Ordering everywhere: highest `step` first, equal steps by greatest id.
pub trait CheckpointBackend: Send + Sync {
    /// The envelope version this store writes (cached; no round trip).
    fn write_version(&self) -> EnvelopeVersion;

    /// Writes a new checkpoint at the write version, metadata as given.
    ///
    /// With `expect_latest`, the write happens only if the thread's latest
    /// checkpoint is still the one given: `Some(Some(id))` when the writer
    /// read `id` as the latest, `Some(None)` when it found the thread empty
    /// (so of concurrent first writes exactly one lands); else
    /// [`crate::Error::Conflict`] of kind
    /// [`crate::ConflictKind::StaleLatest`]. `None` writes unconditionally.
    /// A duplicate id is a conflict, never an overwrite.
    fn put_checkpoint(
        &self,
        checkpoint: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The thread's latest checkpoint, if any.
    fn latest_checkpoint(
        &self,
        thread: &ThreadKey,
    ) -> impl Future<Output = Result<Option<StoredCheckpoint>>> + Send;

    /// One checkpoint of the thread by id.
    fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> impl Future<Output = Result<Option<StoredCheckpoint>>> + Send;

    /// Checkpoints newest first, at most `limit` (all when `None`; none for
    /// `Some(0)`), starting strictly after `before` in that order when given
    /// (`before` must belong to the thread, else [`crate::Error::NotFound`]).
    fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> impl Future<Output = Result<Vec<StoredCheckpoint>>> + Send;

    /// Atomically branches from `parent`: a new checkpoint in the same
    /// thread with `step = parent.step + 1`, the parent's `next_node`, a
    /// fresh v7 id and the current time; metadata stamped as a fork
    /// ([`crate::model::Origin::stamp`]). Not found if `parent` is not in
    /// the thread; nothing is written then.
    fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> impl Future<Output = Result<StoredCheckpoint>> + Send;
}

/// One live memory item.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StoreItem {
    /// Its namespace.
    pub namespace: Namespace,
    /// Its key within the namespace.
    pub key: String,
    /// The stored JSON value.
    pub value: Value,
    /// When it expires, if it has a TTL.
    pub expires_at: Option<DateTime<Utc>>,
}

impl StoreItem {
    /// An item as a transfer carries it: value and absolute expiry.
    pub fn new(
        namespace: Namespace,
        key: impl Into<String>,
        value: Value,
        expires_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            namespace,
            key: key.into(),
            value,
            expires_at,
        }
    }
}

/// The error for a stored item that is not of the caller's type.
pub(crate) fn store_type_error(
    namespace: &Namespace,
    key: &str,
    source: serde_json::Error,
) -> Error {
    Error::Serde {
        what: format!("store item {namespace}/{key}"),
        source,
    }
}

/// Namespaced key/value memory with optional TTLs.
pub trait StoreBackend: Send + Sync {
    /// Writes (or overwrites) an item; `ttl` sets its expiry.
    fn store_put(
        &self,
        namespace: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> impl Future<Output = Result<()>> + Send;

    /// A live item, if present.
    fn store_get(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> impl Future<Output = Result<Option<StoreItem>>> + Send;

    /// A live item's value decoded into `V`, without its expiry: what the
    /// typed `Store` reads. A backend that holds values as JSON text
    /// overrides it to decode once, straight from the text, and to skip
    /// reading the expiry.
    fn store_get_as<V: DeserializeOwned + Send>(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> impl Future<Output = Result<Option<V>>> + Send {
        async move {
            match self.store_get(namespace, key).await? {
                Some(item) => serde_json::from_value(item.value)
                    .map(Some)
                    .map_err(|source| store_type_error(namespace, key, source)),
                None => Ok(None),
            }
        }
    }

    /// Deletes an item; true when something was deleted.
    fn store_delete(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Live keys of exactly `namespace` that start with `prefix` (taken
    /// literally: no wildcard meaning for any character), sorted.
    fn store_list_keys(
        &self,
        namespace: &Namespace,
        prefix: &str,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// Namespaces equal to or below `prefix` that hold live items, sorted.
    fn store_list_namespaces(
        &self,
        prefix: &Namespace,
    ) -> impl Future<Output = Result<Vec<Namespace>>> + Send;

    /// Deletes the tenant's expired items; returns how many were removed.
    fn store_evict_expired(&self, tenant: &TenantId) -> impl Future<Output = Result<u64>> + Send;
}

/// One event of a session log with its ordinal (1-based, gapless).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvent<E = Value> {
    /// Position in the log, counting archived events.
    pub ordinal: u64,
    /// The event.
    pub event: E,
}

impl SessionEvent {
    /// Converts the event to the caller's type `E`; a mismatch names the
    /// event and its thread.
    pub fn decode<E: DeserializeOwned>(self, thread: &ThreadKey) -> Result<SessionEvent<E>> {
        Ok(SessionEvent {
            ordinal: self.ordinal,
            event: serde_json::from_value(self.event)
                .map_err(|source| event_type_error(self.ordinal, thread, source))?,
        })
    }
}

/// The error for a stored event that is not of the caller's type.
pub(crate) fn event_type_error(
    ordinal: u64,
    thread: &ThreadKey,
    source: serde_json::Error,
) -> Error {
    Error::Serde {
        what: format!("event {ordinal} of {thread}"),
        source,
    }
}

/// Where a session log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogBounds {
    /// Highest archived ordinal (0 when nothing was archived).
    pub watermark: u64,
    /// Highest ordinal ever appended (0 for an empty log).
    pub last: u64,
}

/// Append-only per-thread event log with archiving.
pub trait SessionLogBackend: Send + Sync {
    /// Appends `events` atomically (one statement or command); returns the
    /// last ordinal. An empty slice writes nothing and returns the current one.
    fn append_events(
        &self,
        thread: &ThreadKey,
        events: &[Value],
    ) -> impl Future<Output = Result<u64>> + Send;

    /// [`append_events`](Self::append_events) of a caller's events: what
    /// the typed `SessionLog` writes. A backend that stores events as JSON
    /// text overrides it to write each straight to text, in one pass,
    /// instead of through a `Value`.
    fn append_events_as<E: Serialize + Sync>(
        &self,
        thread: &ThreadKey,
        events: &[E],
    ) -> impl Future<Output = Result<u64>> + Send {
        async move {
            let events = events
                .iter()
                .map(|e| to_json_within_depth(e, "session event"))
                .collect::<Result<Vec<_>>>()?;
            self.append_events(thread, &events).await
        }
    }

    /// Unarchived events with ordinal greater than `after`, oldest first,
    /// at most `limit` when given.
    fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> impl Future<Output = Result<Vec<SessionEvent>>> + Send;

    /// [`load_events`](Self::load_events), each event decoded into `E`:
    /// what the typed `SessionLog` reads. A backend that holds events as
    /// JSON text overrides it to decode each once, straight from the text,
    /// instead of to a `Value` and then again to `E`.
    fn load_events_as<E: DeserializeOwned + Send>(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> impl Future<Output = Result<Vec<SessionEvent<E>>>> + Send {
        async move {
            self.load_events(thread, after, limit)
                .await?
                .into_iter()
                .map(|e| e.decode(thread))
                .collect()
        }
    }

    /// Archives events up to and including `through` (clamped to the last
    /// ordinal); the watermark never moves back. Returns the new watermark.
    fn archive_events(
        &self,
        thread: &ThreadKey,
        through: u64,
    ) -> impl Future<Output = Result<u64>> + Send;

    /// The log's watermark and last ordinal.
    fn log_bounds(&self, thread: &ThreadKey) -> impl Future<Output = Result<LogBounds>> + Send;
}

/// The per-thread distributed session lock (docs/format.md, "Session lock").
pub trait DistributedLock: Send + Sync {
    /// Takes the lock if free; `None` when someone else holds it.
    fn try_acquire(
        &self,
        thread: &ThreadKey,
        ttl: Duration,
    ) -> impl Future<Output = Result<Option<LockGuard>>> + Send;

    /// Takes the lock, retrying until `wait` has passed; then
    /// [`crate::Error::LockBusy`].
    fn acquire(
        &self,
        thread: &ThreadKey,
        ttl: Duration,
        wait: Duration,
    ) -> impl Future<Output = Result<LockGuard>> + Send {
        crate::backend::lock::acquire_with_retry(self, thread, ttl, wait)
    }
}

/// What a backend can tell about one session lock.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LockInfo {
    /// Backend lock key: the Redis/SQLite key or `advisory(hi,lo)`.
    pub key: String,
    /// Whether someone holds it now.
    pub held: bool,
    /// Remaining TTL (Redis, SQLite).
    pub ttl_remaining: Option<Duration>,
    /// Who holds it, as far as the backend knows (Postgres: pid and client
    /// address of the holding backend).
    pub holder: Option<String>,
}

/// Summary of one thread, for `threads`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ThreadSummary {
    /// The thread.
    pub thread: ThreadKey,
    /// How many checkpoints it has.
    pub checkpoints: u64,
    /// Step of its latest checkpoint.
    pub latest_step: Option<u64>,
    /// Timestamp of its newest checkpoint.
    pub last_write: Option<DateTime<Utc>>,
}

/// The store's envelope write version (docs/format.md, "Write version").
pub trait WriteVersionAdmin: Send + Sync {
    /// Reads the stored write version (absent means 1) and refreshes the
    /// cached one [`CheckpointBackend::write_version`] returns.
    fn refresh_write_version(&self) -> impl Future<Output = Result<EnvelopeVersion>> + Send;

    /// Saves the store's write version and caches it.
    fn set_write_version(
        &self,
        version: EnvelopeVersion,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Inspecting and breaking session locks, and the store-wide bulk lock.
pub trait LockAdmin: Send + Sync {
    /// The state of `thread`'s session lock.
    fn lock_status(&self, thread: &ThreadKey) -> impl Future<Output = Result<LockInfo>> + Send;

    /// Every session lock currently held that the backend can enumerate.
    fn list_locks(&self) -> impl Future<Output = Result<Vec<LockInfo>>> + Send;

    /// Force-releases `thread`'s lock (Postgres: terminates the holding
    /// backend). True when a held lock was broken.
    fn break_lock(&self, thread: &ThreadKey) -> impl Future<Output = Result<bool>> + Send;

    /// Releases `thread`'s lock if `token` still holds it (for a holder in
    /// another process). True when released.
    fn release_lock_token(
        &self,
        thread: &ThreadKey,
        token: &str,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Takes the store-wide lock of one bulk operation, so that two runs of
    /// it never interleave; `None` when another run holds it. Its key is
    /// [`crate::LockKey::bulk`], which no thread's session lock can have.
    /// On Postgres it ends with its connection, so a killed run frees it at
    /// once; elsewhere it expires after `ttl` unless extended.
    fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> impl Future<Output = Result<Option<LockGuard>>> + Send;
}

/// The bulk operations that hold a store-wide lock while they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BulkOperation {
    /// `migrate run`: rewriting envelopes.
    Migrate,
}

impl BulkOperation {
    /// The operation's name, as in its lock key and in messages.
    pub fn name(self) -> &'static str {
        match self {
            BulkOperation::Migrate => "migrate",
        }
    }
}
