//! The session-lock guard shared by all backends, and acquire-with-wait.

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use crate::backend::traits::{BulkOperation, DistributedLock};
use crate::error::{Error, Result};
use crate::model::ThreadKey;

/// A backend's handle on a lock it holds.
pub trait HeldLock: Send + Sync {
    /// The backend lock key (Redis/SQLite key or `advisory(hi,lo)`).
    fn key(&self) -> &str;
    /// The holder's token.
    fn token(&self) -> &str;
    /// Pushes the expiry to `ttl` from now; [`Error::LockLost`] if the lock
    /// is no longer ours.
    fn extend(&mut self, ttl: Duration) -> BoxFuture<'_, Result<()>>;
    /// Releases the lock if it is still ours; [`Error::LockLost`] if it no
    /// longer was (expired, broken or taken over), so that a holder learns
    /// that its critical section ran unprotected. Nothing is released then.
    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>>;
}

/// A held session lock. Release it explicitly; dropping it unreleased
/// leaves the lock to expire (or to its connection closing) and logs a
/// warning, because that is almost always a bug in the caller.
pub struct LockGuard {
    thread: ThreadKey,
    held: Option<Box<dyn HeldLock>>,
}

impl LockGuard {
    /// Wraps a backend handle for `thread`.
    pub fn new(thread: ThreadKey, held: Box<dyn HeldLock>) -> Self {
        Self {
            thread,
            held: Some(held),
        }
    }

    /// The locked thread.
    pub fn thread(&self) -> &ThreadKey {
        &self.thread
    }

    /// The backend lock key.
    pub fn key(&self) -> &str {
        self.handle().key()
    }

    /// The holder's token (what `lock release --token` needs).
    pub fn token(&self) -> &str {
        self.handle().token()
    }

    /// Extends the lock to `ttl` from now.
    pub async fn extend(&mut self, ttl: Duration) -> Result<()> {
        self.held
            .as_mut()
            .expect("a guard holds its lock until released")
            .extend(ttl)
            .await
    }

    /// Releases the lock. [`Error::LockLost`] when it was no longer ours
    /// (it expired, was broken or was taken over) and so was not released:
    /// the work done under it may have overlapped another holder's.
    pub async fn release(mut self) -> Result<()> {
        let held = self
            .held
            .take()
            .expect("a guard holds its lock until released");
        held.release().await
    }

    /// Hands the lock to an external holder: returns the token and drops
    /// this handle without releasing and without the unreleased-drop
    /// warning. The lock then lives until its TTL expires or someone
    /// releases it by token ([`crate::Admin::release_lock_token`]). Only
    /// useful where the lock outlives its connection (Redis, SQLite); on
    /// Postgres the lock ends with the handle's connection.
    pub fn detach(mut self) -> String {
        let held = self
            .held
            .take()
            .expect("a guard holds its lock until released");
        held.token().to_string()
    }

    fn handle(&self) -> &dyn HeldLock {
        self.held
            .as_deref()
            .expect("a guard holds its lock until released")
    }
}

impl std::fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockGuard")
            .field("thread", &self.thread)
            .field("key", &self.held.as_ref().map(|h| h.key().to_string()))
            .finish()
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(held) = &self.held {
            tracing::warn!(
                thread = %self.thread,
                key = held.key(),
                "session lock dropped without release; it stays held until its TTL expires or its connection closes"
            );
        }
    }
}

/// A lock TTL in whole milliseconds, refusing what the backend could not
/// honour exactly: less than one millisecond, or more than `max_ms` (the
/// most `backend` keeps), rather than rounding or clamping it silently.
pub fn ttl_millis(ttl: Duration, max_ms: u64, backend: &str) -> Result<u64> {
    let ms = ttl.as_millis();
    if ms == 0 {
        return Err(Error::invalid("lock ttl", "must be at least 1ms"));
    }
    u64::try_from(ms)
        .ok()
        .filter(|ms| *ms <= max_ms)
        .ok_or_else(|| {
            Error::invalid(
                "lock ttl",
                format!("{ms}ms is more than {backend} keeps ({max_ms}ms at most)"),
            )
        })
}

/// The name a bulk operation's store-wide lock goes by where a lock guard
/// names its thread (messages, the SQLite lock table): tenant `threadctl`,
/// thread `bulk:OPERATION`. Its key is [`crate::LockKey::bulk`], not this
/// pair's session key.
pub fn bulk_label(operation: BulkOperation) -> ThreadKey {
    ThreadKey::new("threadctl", format!("bulk:{}", operation.name()))
        .expect("both parts are non-empty")
}

/// A fresh random holder token.
pub fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Retries `try_acquire` with capped exponential backoff until `wait` has
/// passed, then reports [`Error::LockBusy`].
pub async fn acquire_with_retry<L: DistributedLock + ?Sized>(
    backend: &L,
    thread: &ThreadKey,
    ttl: Duration,
    wait: Duration,
) -> Result<LockGuard> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        if let Some(guard) = backend.try_acquire(thread, ttl).await? {
            return Ok(guard);
        }
        let elapsed = started.elapsed();
        if elapsed >= wait {
            return Err(Error::LockBusy {
                key: format!("session lock of {thread}"),
                waited: Some(elapsed),
            });
        }
        tokio::time::sleep(pause.min(wait - elapsed)).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}
