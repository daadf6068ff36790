//! Cross-thread work: enumerating tenants and threads, paging through a
//! thread's checkpoints, verbatim writes, the write version and lock
//! administration.

use serde_json::Value;
use sqlx::Row;

use super::checkpoints::{self, decode_row, COLUMNS};
use super::lock::{info, now_ms, release_token, row_key};
use super::{driver_error, non_negative, schema, to_sql_int, SqliteBackend, KIND};
use crate::backend::traits::{Admin, LockInfo, ThreadSummary};
use crate::error::{Error, Result};
use crate::model::envelope::parse_timestamp;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, StoredCheckpoint, TenantId, ThreadKey,
};

/// Decodes one row of the `list_threads` query.
fn summary(row: &sqlx::sqlite::SqliteRow) -> Result<ThreadSummary> {
    let tenant: String = row.try_get("tenant_id").unwrap_or_default();
    let thread: String = row.try_get("thread_id").unwrap_or_default();
    let record = format!("{KIND} checkpoints of tenant {tenant:?}, thread {thread:?}");
    let key = ThreadKey::new(tenant, thread)
        .map_err(|_| Error::corrupt(&record, "empty or non-text tenant_id or thread_id"))?;
    let count: i64 = row
        .try_get("checkpoints")
        .map_err(|e| Error::corrupt(&record, e.to_string()))?;
    let latest_step: Option<i64> = row
        .try_get("latest_step")
        .map_err(|e| Error::corrupt(&record, format!("`step`: {e}")))?;
    let last_write: Option<String> = row
        .try_get("last_write")
        .map_err(|e| Error::corrupt(&record, format!("`ts`: {e}")))?;
    Ok(ThreadSummary {
        checkpoints: non_negative(count, &record, "count")?,
        latest_step: latest_step
            .map(|s| non_negative(s, &record, "step"))
            .transpose()?,
        last_write: last_write
            .map(|raw| parse_timestamp(&raw, &record))
            .transpose()?,
        thread: key,
    })
}

impl Admin for SqliteBackend {
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        let raw: Vec<Option<String>> = sqlx::query_scalar(
            "SELECT tenant_id FROM checkpoints
             UNION SELECT tenant_id FROM session_events
             UNION SELECT tenant_id FROM threadctl_session_log
             UNION SELECT tenant_id FROM memory_items
             ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("listing tenants"))?;
        raw.into_iter()
            .map(|tenant| {
                tenant.and_then(|t| TenantId::new(t).ok()).ok_or_else(|| {
                    Error::corrupt(
                        format!("{KIND} rows"),
                        "a row has an empty or null tenant_id",
                    )
                })
            })
            .collect()
    }

    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        let rows = sqlx::query(
            "SELECT c.tenant_id, c.thread_id, COUNT(*) AS checkpoints,
                    MAX(c.step) AS latest_step,
                    (SELECT l.ts FROM checkpoints l
                     WHERE l.tenant_id = c.tenant_id AND l.thread_id = c.thread_id
                     ORDER BY l.step DESC, l.id DESC LIMIT 1) AS last_write
             FROM checkpoints c
             WHERE ?1 IS NULL OR c.tenant_id = ?1
             GROUP BY c.tenant_id, c.thread_id
             ORDER BY c.tenant_id, c.thread_id",
        )
        .bind(tenant.map(TenantId::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("listing threads"))?;
        rows.iter().map(summary).collect()
    }

    async fn checkpoint_page(
        &self,
        thread: &ThreadKey,
        after: Option<(u64, CheckpointId)>,
        limit: usize,
    ) -> Result<Vec<StoredCheckpoint>> {
        let (step, id) = match after {
            Some((step, id)) => (to_sql_int(step, "step")?, id.to_string()),
            None => (-1, String::new()),
        };
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
               AND (step > ? OR (step = ? AND id > ?))
             ORDER BY step, id LIMIT ?"
        ))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(step)
        .bind(step)
        .bind(id)
        .bind(to_sql_int(limit as u64, "limit")?)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!(
            "reading a page of checkpoints of {thread}"
        )))?;
        rows.iter().map(decode_row).collect()
    }

    async fn write_checkpoint_verbatim(
        &self,
        cp: &Checkpoint<Value>,
        version: EnvelopeVersion,
        overwrite: bool,
    ) -> Result<()> {
        let thread = cp.thread_key();
        if overwrite {
            if !checkpoints::overwrite(&self.pool, cp, version).await? {
                return Err(Error::NotFound(format!("checkpoint {} in {thread}", cp.id)));
            }
        } else if !checkpoints::insert(&self.pool, cp, version).await? {
            return Err(Error::Conflict(format!(
                "checkpoint {} already exists in {thread}",
                cp.id
            )));
        }
        Ok(())
    }

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
