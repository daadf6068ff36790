//! Session locks as rows of `threadctl_locks`: key = the thread's Redis
//! lock key, the holder's token, and an expiry in Unix milliseconds. Each
//! operation is one statement, so it is atomic across processes.

use std::time::Duration;

use chrono::Utc;
use futures_util::future::BoxFuture;
use sqlx::SqlitePool;

use super::{driver_error, SqliteBackend};
use crate::backend::lock::{new_token, HeldLock, LockGuard};
use crate::backend::traits::{DistributedLock, LockInfo};
use crate::error::{Error, Result};
use crate::lock_key::LockKey;
use crate::model::{BackendKind, ThreadKey};

/// Milliseconds since the Unix epoch, the unit of `expires_at`.
pub(super) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The row key of `thread`'s lock.
pub(super) fn row_key(thread: &ThreadKey) -> String {
    LockKey::session(thread).redis_key()
}

/// A TTL in whole milliseconds; zero is refused (the lock would be free
/// the moment it is taken).
fn ttl_ms(ttl: Duration) -> Result<i64> {
    let ms =
        crate::backend::lock::ttl_millis(ttl, BackendKind::Sqlite.max_lock_ttl_ms(), "SQLite")?;
    Ok(ms as i64)
}

/// The remaining TTL of a row expiring at `expires_at`, if still held.
pub(super) fn remaining(expires_at: i64, now: i64) -> Option<Duration> {
    u64::try_from(expires_at - now)
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// Builds the [`LockInfo`] of a lock row.
pub(super) fn info(key: String, expires_at: Option<i64>) -> LockInfo {
    let ttl_remaining = expires_at.and_then(|at| remaining(at, now_ms()));
    LockInfo {
        key,
        held: ttl_remaining.is_some(),
        ttl_remaining,
        holder: None,
    }
}

/// Deletes the row if `token` still holds it; true when it did.
pub(super) async fn release_token(pool: &SqlitePool, key: &str, token: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM threadctl_locks WHERE key = ? AND token = ? AND expires_at > ?")
            .bind(key)
            .bind(token)
            .bind(now_ms())
            .execute(pool)
            .await
            .map_err(driver_error(format!("releasing lock {key}")))?;
    Ok(done.rows_affected() > 0)
}

/// Our handle on a lock row we hold.
struct SqliteHeldLock {
    pool: SqlitePool,
    key: String,
    token: String,
}

impl HeldLock for SqliteHeldLock {
    fn key(&self) -> &str {
        &self.key
    }

    fn token(&self) -> &str {
        &self.token
    }

    fn extend(&mut self, ttl: Duration) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let ttl = ttl_ms(ttl)?;
            let now = now_ms();
            let done = sqlx::query(
                "UPDATE threadctl_locks SET expires_at = ?
                 WHERE key = ? AND token = ? AND expires_at > ?",
            )
            .bind(now.saturating_add(ttl))
            .bind(&self.key)
            .bind(&self.token)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(driver_error(format!("extending lock {}", self.key)))?;
            if done.rows_affected() == 0 {
                return Err(Error::LockLost(format!(
                    "{} expired or was taken over before it could be extended",
                    self.key
                )));
            }
            Ok(())
        })
    }

    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            if release_token(&self.pool, &self.key, &self.token).await? {
                Ok(())
            } else {
                Err(Error::LockLost(format!(
                    "{} expired or was taken over before it was released",
                    self.key
                )))
            }
        })
    }
}

impl DistributedLock for SqliteBackend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        self.try_acquire_row(thread, row_key(thread), ttl).await
    }
}

impl SqliteBackend {
    /// Takes the lock row `key` for `owner` (a thread, or a bulk
    /// operation's label) if it is free or expired.
    pub(super) async fn try_acquire_row(
        &self,
        owner: &ThreadKey,
        key: String,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        let thread = owner;
        let ttl = ttl_ms(ttl)?;
        let token = new_token();
        let now = now_ms();
        // One statement: insert, or take over a row whose expiry has passed.
        let taken: Option<String> = sqlx::query_scalar(
            "INSERT INTO threadctl_locks (key, tenant_id, thread_id, token, expires_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE
             SET tenant_id = excluded.tenant_id, thread_id = excluded.thread_id,
                 token = excluded.token, expires_at = excluded.expires_at
             WHERE threadctl_locks.expires_at <= ?
             RETURNING token",
        )
        .bind(&key)
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(&token)
        .bind(now.saturating_add(ttl))
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(driver_error(format!(
            "acquiring the session lock of {thread}"
        )))?;
        Ok(taken.map(|_| {
            LockGuard::new(
                thread.clone(),
                Box::new(SqliteHeldLock {
                    pool: self.pool.clone(),
                    key,
                    token,
                }),
            )
        }))
    }
}
