//! `Backend`: one value for whichever store a URL names, implementing every
//! trait by delegating to the concrete backend.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::backend::lock::LockGuard;
use crate::backend::options::ConnectOptions;
use crate::backend::postgres::PostgresBackend;
use crate::backend::redis::RedisBackend;
use crate::backend::sqlite::SqliteBackend;
use crate::backend::traits::*;
use crate::backend::url::StoreUrl;
use crate::error::Result;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, Namespace, StoredCheckpoint, TenantId, ThreadKey,
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
    /// schema when it is new, with the default [`ConnectOptions`].
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, &ConnectOptions::default()).await
    }

    /// Opens the store `url` names with the time limits and trusted CA of
    /// `options` (servers only; SQLite ignores them).
    pub async fn open_with(url: &str, options: &ConnectOptions) -> Result<Self> {
        Self::open_parsed_with(&StoreUrl::parse(url)?, options).await
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

    /// Opens an already parsed location with the default [`ConnectOptions`].
    pub async fn open_parsed(url: &StoreUrl) -> Result<Self> {
        Self::open_parsed_with(url, &ConnectOptions::default()).await
    }

    /// Opens an already parsed location with `options`.
    pub async fn open_parsed_with(url: &StoreUrl, options: &ConnectOptions) -> Result<Self> {
        Ok(match url {
            StoreUrl::Postgres(u) => {
                Backend::Postgres(PostgresBackend::connect_with(u, options).await?)
            }
            StoreUrl::Redis(u) => Backend::Redis(RedisBackend::connect_with(u, options).await?),
            StoreUrl::Sqlite(path) => Backend::Sqlite(SqliteBackend::open(path).await?),
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

impl Admin for Backend {
    fn backend_name(&self) -> &'static str {
        dispatch!(self, b => b.backend_name())
    }

    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        dispatch!(self, b => b.list_tenants().await)
    }

    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        dispatch!(self, b => b.list_threads(tenant).await)
    }

    async fn checkpoint_page(
        &self,
        thread: &ThreadKey,
        after: Option<(u64, CheckpointId)>,
        limit: usize,
    ) -> Result<Vec<StoredCheckpoint>> {
        dispatch!(self, b => b.checkpoint_page(thread, after, limit).await)
    }

    async fn write_checkpoint_verbatim(
        &self,
        cp: &Checkpoint<Value>,
        version: EnvelopeVersion,
        overwrite: bool,
    ) -> Result<()> {
        dispatch!(self, b => b.write_checkpoint_verbatim(cp, version, overwrite).await)
    }

    async fn read_write_version(&self) -> Result<EnvelopeVersion> {
        dispatch!(self, b => b.read_write_version().await)
    }

    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        dispatch!(self, b => b.set_write_version(version).await)
    }

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
}
