//! The write version, and administering locks: inspecting and breaking
//! session locks, and the store-wide bulk lock.

use std::time::Duration;

use super::lock::{info, now_ms, release_token, row_key};
use super::{driver_error, schema, SqliteBackend};
use crate::backend::lock::{bulk_label, LockGuard};
use crate::backend::traits::{BulkOperation, LockAdmin, LockInfo, WriteVersionAdmin};
use crate::error::Result;
use crate::lock_key::LockKey;
use crate::model::{EnvelopeVersion, ThreadKey};

impl WriteVersionAdmin for SqliteBackend {
    async fn refresh_write_version(&self) -> Result<EnvelopeVersion> {
        let version = schema::load_write_version(&self.pool).await?;
        self.write_version.set(version);
        Ok(version)
    }

    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        schema::save_write_version(&self.pool, version).await?;
        self.write_version.set(version);
        Ok(())
    }
}

impl LockAdmin for SqliteBackend {
    async fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        let key = LockKey::bulk(operation.name(), "").redis_key();
        self.try_acquire_row(&bulk_label(operation), key, ttl).await
    }

    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        let key = row_key(thread);
        let expires_at: Option<i64> =
            sqlx::query_scalar("SELECT expires_at FROM threadctl_locks WHERE key = ?")
                .bind(&key)
                .fetch_optional(&self.pool)
                .await
                .map_err(driver_error(format!(
                    "reading the session lock of {thread}"
                )))?;
        Ok(info(key, expires_at))
    }

    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT key, expires_at FROM threadctl_locks WHERE expires_at > ? ORDER BY key",
        )
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("listing session locks"))?;
        Ok(rows
            .into_iter()
            .map(|(key, expires_at)| info(key, Some(expires_at)))
            .filter(|lock| lock.held)
            .collect())
    }

    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        let key = row_key(thread);
        let expired: Option<i64> =
            sqlx::query_scalar("DELETE FROM threadctl_locks WHERE key = ? RETURNING expires_at")
                .bind(&key)
                .fetch_optional(&self.pool)
                .await
                .map_err(driver_error(format!(
                    "breaking the session lock of {thread}"
                )))?;
        Ok(info(key, expired).held)
    }

    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        release_token(&self.pool, &row_key(thread), token).await
    }
}
