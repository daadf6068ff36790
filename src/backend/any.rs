//! `Backend`: one value for whichever store a URL names, implementing every
//! trait by delegating to the concrete backend.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::backend::bulk::*;
use crate::backend::lock::LockGuard;
use crate::backend::postgres::PostgresBackend;
use crate::backend::redis::RedisBackend;
use crate::backend::schema::{SchemaAdmin, SchemaSetup, SchemaStatus};
use crate::backend::sqlite::SqliteBackend;
use crate::backend::traits::*;
use crate::backend::url::StoreUrl;
use crate::error::Result;
use crate::model::{
    BackendKind, Checkpoint, CheckpointId, EnvelopeVersion, Namespace, StoredCheckpoint, TenantId,
    ThreadKey,
};

/// An open store of any kind.
pub enum Backend {
    /// A Postgres database.
    Postgres(PostgresBackend),
    /// A Redis server.
    Redis(RedisBackend),
    /// An embedded SQLite file.
    Sqlite(SqliteBackend),
}

impl Backend {
    /// Opens the store `url` names (see [`StoreUrl::parse`]), setting up its
    /// schema when it is new.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_parsed(&StoreUrl::parse(url)?).await
    }

    /// Declares that `thread`'s session lock, whose backend key is `key`,
    /// is held on this process's behalf by another process (`threadctl
    /// lock run` exports it to its command as `THREADCTL_LOCK_KEY`), so
    /// appends and archives of `thread` do not wait for it. Only Postgres
    /// appends take that lock (see
    /// [`PostgresBackend::trust_external_lock`]); the other backends have
    /// nothing to skip and return false. Returns whether it took effect.
    pub fn trust_external_lock(&self, thread: &ThreadKey, key: &str) -> bool {
        match self {
            Backend::Postgres(b) => b.trust_external_lock(thread, key),
            Backend::Redis(_) | Backend::Sqlite(_) => false,
        }
    }

    /// Which kind of store this is; its name is `kind().name()`.
    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Postgres(_) => BackendKind::Postgres,
            Backend::Redis(_) => BackendKind::Redis,
            Backend::Sqlite(_) => BackendKind::Sqlite,
        }
    }

    /// Bounds how long an append or archive waits for `thread`'s session
    /// lock held by another session before failing with
    /// [`crate::Error::LockBusy`]. Only Postgres appends wait for that lock
    /// (see [`PostgresBackend::set_lock_wait`]); the other backends have
    /// no wait to bound.
    pub fn set_lock_wait(&self, wait: Duration) {
        if let Backend::Postgres(b) = self {
            b.set_lock_wait(wait);
        }
    }

    /// Opens an already parsed location, setting up its schema when it
    /// is new.
    pub async fn open_parsed(url: &StoreUrl) -> Result<Self> {
        Self::open_parsed_with(url, SchemaSetup::Create).await
    }

    /// Opens an already parsed location, doing to its schema only what
    /// `setup` allows (readers never create tables; `migrate status`
    /// changes nothing).
    pub async fn open_parsed_with(url: &StoreUrl, setup: SchemaSetup) -> Result<Self> {
        Ok(match url {
            StoreUrl::Postgres(u) => {
                Backend::Postgres(PostgresBackend::connect_with_setup(u, setup).await?)
            }
            StoreUrl::Redis(u) => Backend::Redis(RedisBackend::connect(u).await?),
            StoreUrl::Sqlite(path) => {
                Backend::Sqlite(SqliteBackend::open_with_setup(path, setup).await?)
            }
        })
    }
}

macro_rules! dispatch {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            Backend::Postgres($b) => $call,
            Backend::Redis($b) => $call,
            Backend::Sqlite($b) => $call,
        }
    };
}

impl CheckpointBackend for Backend {
    fn write_version(&self) -> EnvelopeVersion {
        dispatch!(self, b => b.write_version())
    }

    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<CheckpointId>,
    ) -> Result<()> {
        dispatch!(self, b => b.put_checkpoint(cp, expect_latest).await)
    }

    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        dispatch!(self, b => b.latest_checkpoint(thread).await)
    }

    async fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> Result<Option<StoredCheckpoint>> {
        dispatch!(self, b => b.get_checkpoint(thread, id).await)
    }

    async fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> Result<Vec<StoredCheckpoint>> {
        dispatch!(self, b => b.checkpoint_history(thread, limit, before).await)
    }

    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        dispatch!(self, b => b.fork_checkpoint(thread, parent, state, metadata).await)
    }
}

impl StoreBackend for Backend {
    async fn store_put(
        &self,
        ns: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> Result<()> {
        dispatch!(self, b => b.store_put(ns, key, value, ttl).await)
    }

    async fn store_get(&self, ns: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        dispatch!(self, b => b.store_get(ns, key).await)
    }

    async fn store_delete(&self, ns: &Namespace, key: &str) -> Result<bool> {
        dispatch!(self, b => b.store_delete(ns, key).await)
    }

    async fn store_list_keys(&self, ns: &Namespace, prefix: &str) -> Result<Vec<String>> {
        dispatch!(self, b => b.store_list_keys(ns, prefix).await)
    }

    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        dispatch!(self, b => b.store_list_namespaces(prefix).await)
    }

    async fn store_evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        dispatch!(self, b => b.store_evict_expired(tenant).await)
    }
}

impl SessionLogBackend for Backend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        dispatch!(self, b => b.append_events(thread, events).await)
    }

    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        dispatch!(self, b => b.load_events(thread, after, limit).await)
    }

    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        dispatch!(self, b => b.archive_events(thread, through).await)
    }

    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        dispatch!(self, b => b.log_bounds(thread).await)
    }
}

impl DistributedLock for Backend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        dispatch!(self, b => b.try_acquire(thread, ttl).await)
    }
}

impl ThreadListing for Backend {
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        dispatch!(self, b => b.list_tenants().await)
    }

    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        dispatch!(self, b => b.list_threads(tenant).await)
    }

    async fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<ThreadPage> {
        dispatch!(self, b => b.thread_page(selection, cursor, limit).await)
    }
}

impl BulkCheckpoints for Backend {
    async fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> Result<RecordPage> {
        dispatch!(self, b => b.read_page(thread, after, limit).await)
    }

    async fn write_batch(
        &self,
        thread: &ThreadKey,
        records: &[StoredCheckpoint],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        dispatch!(self, b => b.write_batch(thread, records, mode).await)
    }

    async fn count_by_version(&self, selection: &ThreadSelection) -> Result<VersionCounts> {
        dispatch!(self, b => b.count_by_version(selection).await)
    }
}

impl BulkDeletes for Backend {
    async fn delete_checkpoints(&self, thread: &ThreadKey, ids: &[CheckpointId]) -> Result<u64> {
        dispatch!(self, b => b.delete_checkpoints(thread, ids).await)
    }

    async fn delete_thread(&self, thread: &ThreadKey) -> Result<ThreadDeletion> {
        dispatch!(self, b => b.delete_thread(thread).await)
    }
}

impl SchemaAdmin for Backend {
    async fn schema_status(&self) -> Result<SchemaStatus> {
        dispatch!(self, b => b.schema_status().await)
    }

    async fn apply_schema(&self) -> Result<SchemaStatus> {
        dispatch!(self, b => b.apply_schema().await)
    }
}

impl WriteVersionAdmin for Backend {
    async fn refresh_write_version(&self) -> Result<EnvelopeVersion> {
        dispatch!(self, b => b.refresh_write_version().await)
    }

    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        dispatch!(self, b => b.set_write_version(version).await)
    }
}

impl LockAdmin for Backend {
    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        dispatch!(self, b => b.lock_status(thread).await)
    }

    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        dispatch!(self, b => b.list_locks().await)
    }

    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        dispatch!(self, b => b.break_lock(thread).await)
    }

    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        dispatch!(self, b => b.release_lock_token(thread, token).await)
    }

    async fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        dispatch!(self, b => b.try_bulk_lock(operation, ttl).await)
    }
}
