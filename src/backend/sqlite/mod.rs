//! PLACEHOLDER: the sqlite backend (to be implemented).
#![allow(unused_variables)]

use std::time::Duration;

use serde_json::{Map, Value};

use crate::backend::lock::LockGuard;
use crate::backend::traits::*;
use crate::error::Result;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, Namespace, StoredCheckpoint, TenantId, ThreadKey,
};

/// The sqlite backend.
pub struct SqliteBackend;

impl SqliteBackend {
    /// Opens the backend.
    pub async fn open(path: &std::path::Path) -> Result<Self> {
        todo!()
    }
}

impl CheckpointBackend for SqliteBackend {
    fn write_version(&self) -> EnvelopeVersion {
        todo!()
    }
    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<CheckpointId>,
    ) -> Result<()> {
        todo!()
    }
    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        todo!()
    }
    async fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> Result<Option<StoredCheckpoint>> {
        todo!()
    }
    async fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> Result<Vec<StoredCheckpoint>> {
        todo!()
    }
    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        todo!()
    }
}

impl StoreBackend for SqliteBackend {
    async fn store_put(
        &self,
        ns: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> Result<()> {
        todo!()
    }
    async fn store_get(&self, ns: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        todo!()
    }
    async fn store_delete(&self, ns: &Namespace, key: &str) -> Result<bool> {
        todo!()
    }
    async fn store_list_keys(&self, ns: &Namespace, prefix: &str) -> Result<Vec<String>> {
        todo!()
    }
    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        todo!()
    }
    async fn store_evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        todo!()
    }
}

impl SessionLogBackend for SqliteBackend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        todo!()
    }
    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        todo!()
    }
    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        todo!()
    }
    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        todo!()
    }
}

impl DistributedLock for SqliteBackend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        todo!()
    }
}

impl Admin for SqliteBackend {
    fn backend_name(&self) -> &'static str {
        "sqlite"
    }
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        todo!()
    }
    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        todo!()
    }
    async fn checkpoint_page(
        &self,
        thread: &ThreadKey,
        after: Option<(u64, CheckpointId)>,
        limit: usize,
    ) -> Result<Vec<StoredCheckpoint>> {
        todo!()
    }
    async fn write_checkpoint_verbatim(
        &self,
        cp: &Checkpoint<Value>,
        version: EnvelopeVersion,
        overwrite: bool,
    ) -> Result<()> {
        todo!()
    }
    async fn read_write_version(&self) -> Result<EnvelopeVersion> {
        todo!()
    }
    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        todo!()
    }
    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        todo!()
    }
    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        todo!()
    }
    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        todo!()
    }
    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        todo!()
    }
}
