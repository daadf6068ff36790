//! `Backend`: one value for whichever store a URL names, implementing every
//! trait by delegating to the concrete backend.
//!
//! It is also the one place where calls are retried after a transient
//! connection failure (see `retry`): reads and writes that are safe to
//! repeat are tried again with backoff (reads, bulk writes that skip or
//! replace what is there); a write that is not (an append, a fork, a bulk
//! write of only new records) only when nothing was sent, and otherwise
//! fails saying that the server may have applied it.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::backend::bulk::*;
use crate::backend::diagnostics::{Check, Diagnostics, SizeEstimate};
use crate::backend::floor::{BenchFloor, FloorOp};
use crate::backend::lock::LockGuard;
use crate::backend::options::ConnectOptions;
use crate::backend::postgres::PostgresBackend;
use crate::backend::redis::RedisBackend;
use crate::backend::retry::{self, Failure};
use crate::backend::schema::{SchemaAdmin, SchemaStatus};
use crate::backend::sqlite::SqliteBackend;
use crate::backend::traits::*;
use crate::backend::url::StoreUrl;
use crate::error::{Error, Result};
use crate::model::json_depth::ensure_depth_fits;
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
    /// schema when it is new, with the default [`ConnectOptions`].
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, &ConnectOptions::default()).await
    }

    /// Opens the store `url` names as `options` say (schema setup, time
    /// limits, trusted CA).
    pub async fn open_with(url: &str, options: &ConnectOptions) -> Result<Self> {
        Self::open_parsed(&StoreUrl::parse(url)?, options).await
    }

    /// Which kind of store this is; its name is `kind().name()`.
    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Postgres(_) => BackendKind::Postgres,
            Backend::Redis(_) => BackendKind::Redis,
            Backend::Sqlite(_) => BackendKind::Sqlite,
        }
    }

    /// Opens an already parsed location as `options` say.
    pub async fn open_parsed(url: &StoreUrl, options: &ConnectOptions) -> Result<Self> {
        let setup = options.setup();
        Ok(match url {
            StoreUrl::Postgres(u) => {
                Backend::Postgres(PostgresBackend::connect_with(u, options).await?)
            }
            StoreUrl::Redis(u) => Backend::Redis(RedisBackend::connect_with(u, options).await?),
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

/// Forwards a call that is safe to repeat, retrying transient failures.
macro_rules! repeatable {
    ($self:ident, $b:ident => $call:expr) => {
        retry::repeatable(|| async move { dispatch!($self, $b => $call.await) }).await
    };
}

/// Forwards a write that must not be repeated blindly: retried only when
/// nothing was sent; a lost connection becomes [`Error::OutcomeUnknown`]
/// with `what` was written and how to `check` it.
macro_rules! once {
    ($self:ident, $b:ident => $call:expr, $what:expr, $check:expr) => {
        retry::once(|| async move { dispatch!($self, $b => $call.await) })
            .await
            .map_err(|e| retry::unknown_outcome(e, $what, $check))
    };
}

impl CheckpointBackend for Backend {
    fn write_version(&self) -> EnvelopeVersion {
        dispatch!(self, b => b.write_version())
    }

    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
    ) -> Result<()> {
        let first = retry::once(|| async move {
            dispatch!(self, b => b.put_checkpoint(cp, expect_latest).await)
        })
        .await;
        match first {
            Err(e) if retry::classify(&e) == Failure::Lost => {
                self.settle_lost_put(cp, expect_latest, e).await
            }
            outcome => outcome,
        }
    }

    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        repeatable!(self, b => b.latest_checkpoint(thread))
    }

    async fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> Result<Option<StoredCheckpoint>> {
        repeatable!(self, b => b.get_checkpoint(thread, id))
    }

    async fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> Result<Vec<StoredCheckpoint>> {
        repeatable!(self, b => b.checkpoint_history(thread, limit, before))
    }

    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        {
            let (state, metadata) = (&state, &metadata);
            once!(
                self, b => b.fork_checkpoint(thread, parent, state.clone(), metadata.clone()),
                format!("forking {thread} from checkpoint {parent}"),
                "look for the new checkpoint among the thread's newest before forking again"
                    .to_string()
            )
        }
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
        ensure_depth_fits(value, "store value")?;
        repeatable!(self, b => b.store_put(ns, key, value, ttl))
    }

    async fn store_get(&self, ns: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        repeatable!(self, b => b.store_get(ns, key))
    }

    async fn store_delete(&self, ns: &Namespace, key: &str) -> Result<bool> {
        repeatable!(self, b => b.store_delete(ns, key))
    }

    async fn store_list_keys(&self, ns: &Namespace, prefix: &str) -> Result<Vec<String>> {
        repeatable!(self, b => b.store_list_keys(ns, prefix))
    }

    async fn store_get_as<V: serde::de::DeserializeOwned + Send>(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> Result<Option<V>> {
        repeatable!(self, b => b.store_get_as(namespace, key))
    }

    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        repeatable!(self, b => b.store_list_namespaces(prefix))
    }

    async fn store_evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        repeatable!(self, b => b.store_evict_expired(tenant))
    }
}

impl SessionLogBackend for Backend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        for event in events {
            ensure_depth_fits(event, "session event")?;
        }
        once!(
            self, b => b.append_events(thread, events),
            format!("appending {} event(s) to the log of {thread}", events.len()),
            "read the log's newest events before appending again, or they may be stored twice"
                .to_string()
        )
    }

    async fn append_events_as<E: serde::Serialize + Sync>(
        &self,
        thread: &ThreadKey,
        events: &[E],
    ) -> Result<u64> {
        once!(
            self, b => b.append_events_as(thread, events),
            format!("appending {} event(s) to the log of {thread}", events.len()),
            "read the log's newest events before appending again, or they may be stored twice"
                .to_string()
        )
    }

    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        repeatable!(self, b => b.load_events(thread, after, limit))
    }

    async fn load_events_as<E: serde::de::DeserializeOwned + Send>(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent<E>>> {
        repeatable!(self, b => b.load_events_as(thread, after, limit))
    }

    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        repeatable!(self, b => b.archive_events(thread, through))
    }

    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        repeatable!(self, b => b.log_bounds(thread))
    }
}

impl DistributedLock for Backend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        once!(
            self, b => b.try_acquire(thread, ttl),
            format!("taking the session lock of {thread}"),
            "if it was taken, it is free again once its TTL has passed".to_string()
        )
    }
}

impl ThreadListing for Backend {
    fn pages_may_repeat(&self) -> bool {
        dispatch!(self, b => b.pages_may_repeat())
    }

    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        repeatable!(self, b => b.list_tenants())
    }

    /// A retry resumes after the last thread already handed to `sink`, so
    /// that no summary reaches it twice.
    async fn summary_pages(
        &self,
        tenant: Option<&TenantId>,
        after: Option<&ThreadKey>,
        page_size: usize,
        sink: &mut SummarySink<'_>,
    ) -> Result<()> {
        let resume = Mutex::new(after.cloned());
        let sink = Mutex::new(sink);
        retry::repeatable(|| async {
            let after = locked(&resume).clone();
            let mut tracked = |page: Vec<ThreadSummary>| {
                if let Some(last) = page.last() {
                    *locked(&resume) = Some(last.thread.clone());
                }
                (locked(&sink))(page)
            };
            dispatch!(self, b => b.summary_pages(tenant, after.as_ref(), page_size, &mut tracked).await)
        })
        .await
    }

    async fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<ThreadPage> {
        repeatable!(self, b => b.thread_page(selection, cursor, limit))
    }
}

/// `mutex` locked, even if a panic poisoned it (the data stays usable).
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The raw floors are measured as they are: no retries.
impl BenchFloor for Backend {
    async fn floor(&self, op: FloorOp<'_>) -> Result<usize> {
        dispatch!(self, b => b.floor(op).await)
    }
}

impl BulkCheckpoints for Backend {
    fn keeps_nanoseconds(&self) -> bool {
        dispatch!(self, b => b.keeps_nanoseconds())
    }

    async fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> Result<RecordPage> {
        repeatable!(self, b => b.read_page(thread, after, limit))
    }

    async fn write_batch(
        &self,
        thread: &ThreadKey,
        records: &[StoredCheckpoint],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        // Like events and items: writing the same records again changes
        // nothing (an identical one is skipped, a replaced one replaced
        // with itself), unless the mode refuses what is already there. So
        // a copy or migration rides out a server restart.
        if mode == WriteMode::OnlyNew {
            once!(
                self, b => b.write_batch(thread, records, mode),
                format!("writing {} checkpoint(s) of {thread}", records.len()),
                "check which of them are stored before writing them again".to_string()
            )
        } else {
            repeatable!(self, b => b.write_batch(thread, records, mode))
        }
    }

    async fn unindexed_records(&self, thread: &ThreadKey) -> Result<Vec<String>> {
        repeatable!(self, b => b.unindexed_records(thread))
    }

    async fn count_by_version(&self, selection: &ThreadSelection) -> Result<VersionCounts> {
        repeatable!(self, b => b.count_by_version(selection))
    }
}

impl BulkEvents for Backend {
    async fn read_events(&self, thread: &ThreadKey, after: u64, limit: usize) -> Result<EventPage> {
        repeatable!(self, b => b.read_events(thread, after, limit))
    }

    async fn log_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<LogPage> {
        repeatable!(self, b => b.log_page(selection, cursor, limit))
    }

    async fn log_readings(&self, thread: &ThreadKey) -> Result<Vec<LogReading>> {
        repeatable!(self, b => b.log_readings(thread))
    }

    fn shared_log_key(&self, thread: &ThreadKey) -> Option<String> {
        dispatch!(self, b => b.shared_log_key(thread))
    }

    async fn write_events(
        &self,
        thread: &ThreadKey,
        watermark: u64,
        events: &[SessionEvent],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        // Writing the same events at the same ordinals again changes
        // nothing, unless the mode refuses what is already there.
        if mode == WriteMode::OnlyNew {
            once!(
                self, b => b.write_events(thread, watermark, events, mode),
                format!("writing {} event(s) of {thread}", events.len()),
                "write them again in a mode that skips identical events".to_string()
            )
        } else {
            repeatable!(self, b => b.write_events(thread, watermark, events, mode))
        }
    }
}

impl BulkStore for Backend {
    fn shared_item_key(&self, namespace: &Namespace, key: &str) -> Option<SharedKey> {
        dispatch!(self, b => b.shared_item_key(namespace, key))
    }

    async fn item_page(
        &self,
        prefix: &Namespace,
        cursor: Option<&ItemCursor>,
        limit: usize,
    ) -> Result<ItemPage> {
        repeatable!(self, b => b.item_page(prefix, cursor, limit))
    }

    async fn write_items(
        &self,
        tenant: &TenantId,
        items: &[StoreItem],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        // Like events: idempotent unless the mode refuses what is there.
        if mode == WriteMode::OnlyNew {
            once!(
                self, b => b.write_items(tenant, items, mode),
                format!("writing {} store item(s) of tenant {tenant}", items.len()),
                "write them again in a mode that skips identical items".to_string()
            )
        } else {
            repeatable!(self, b => b.write_items(tenant, items, mode))
        }
    }
}

impl BulkDeletes for Backend {
    async fn delete_checkpoints(&self, thread: &ThreadKey, ids: &[CheckpointId]) -> Result<u64> {
        once!(
            self, b => b.delete_checkpoints(thread, ids),
            format!("deleting {} checkpoint(s) of {thread}", ids.len()),
            "check which of them are still stored".to_string()
        )
    }

    async fn delete_thread(&self, thread: &ThreadKey) -> Result<ThreadDeletion> {
        once!(
            self, b => b.delete_thread(thread),
            format!("deleting the thread {thread}"),
            "check whether it still has checkpoints".to_string()
        )
    }
}

impl Vacuum for Backend {
    async fn storage_size(&self, tables: &[DataTable]) -> Result<Option<u64>> {
        repeatable!(self, b => b.storage_size(tables))
    }

    async fn vacuum(&self, tables: &[DataTable]) -> Result<bool> {
        repeatable!(self, b => b.vacuum(tables))
    }
}

impl Diagnostics for Backend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        repeatable!(self, b => b.diagnostics())
    }

    async fn ping(&self) -> Result<()> {
        dispatch!(self, b => b.ping().await)
    }

    async fn estimate_size(&self) -> Result<SizeEstimate> {
        repeatable!(self, b => b.estimate_size())
    }
}

impl SchemaAdmin for Backend {
    async fn schema_status(&self) -> Result<SchemaStatus> {
        repeatable!(self, b => b.schema_status())
    }

    async fn apply_schema(&self) -> Result<SchemaStatus> {
        once!(
            self, b => b.apply_schema(),
            "applying the schema".to_string(),
            "check the schema's status before applying it again".to_string()
        )
    }
}

impl WriteVersionAdmin for Backend {
    async fn refresh_write_version(&self) -> Result<EnvelopeVersion> {
        repeatable!(self, b => b.refresh_write_version())
    }

    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        repeatable!(self, b => b.set_write_version(version))
    }
}

impl LockAdmin for Backend {
    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        repeatable!(self, b => b.lock_status(thread))
    }

    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        repeatable!(self, b => b.list_locks())
    }

    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        repeatable!(self, b => b.break_lock(thread))
    }

    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        once!(
            self, b => b.release_lock_token(thread, token),
            format!("releasing the session lock of {thread}"),
            "check the lock's status; an unreleased lock is free once its TTL has passed"
                .to_string()
        )
    }

    async fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        once!(
            self, b => b.try_bulk_lock(operation, ttl),
            "taking the bulk lock".to_string(),
            "if it was taken, it is free again once its TTL has passed".to_string()
        )
    }
}

impl Backend {
    /// After `put`'s connection broke before its reply: a checkpoint is
    /// written under its own id, so the put was applied exactly when that
    /// id is now stored. Success when it is; when it is not, one more try
    /// (it cannot be applied twice: the id is unique); when that cannot be
    /// found out, [`Error::OutcomeUnknown`] naming the id.
    async fn settle_lost_put(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
        lost: Error,
    ) -> Result<()> {
        let thread = cp.thread_key();
        let unknown = |e: Error| Error::OutcomeUnknown {
            what: format!("writing checkpoint {} of {thread}", cp.id),
            check: format!(
                "check whether checkpoint {} exists before writing again",
                cp.id
            ),
            source: Box::new(e),
        };
        match self.get_checkpoint(&thread, cp.id).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => {
                dispatch!(self, b => b.put_checkpoint(cp, expect_latest).await).map_err(|e| {
                    if retry::classify(&e) == Failure::Lost {
                        unknown(e)
                    } else {
                        e
                    }
                })
            }
            Err(_) => Err(unknown(lost)),
        }
    }
}
