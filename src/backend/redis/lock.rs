//! The session lock: `SET entelix:lock:{hash} token NX PX ttl`; extend and
//! release are scripts that act only while the token still matches.
//! A failed acquire is a plain `None` and logs nothing.

use std::time::Duration;

use futures_util::future::BoxFuture;

use super::link::Conn;
use super::scripts::{EXTEND, RELEASE};
use super::{driver_error, keys, RedisBackend};
use crate::backend::lock::{new_token, HeldLock, LockGuard};
use crate::backend::traits::DistributedLock;
use crate::error::{Error, Result};
use crate::model::{BackendKind, ThreadKey};

/// A TTL in whole milliseconds, at least 1 (PX refuses 0).
pub(super) fn ttl_millis(ttl: Duration) -> Result<u64> {
    crate::backend::lock::ttl_millis(ttl, BackendKind::Redis.max_lock_ttl_ms(), "Redis")
}

/// How `lock status` names a holder: `token sha256:` and the first 8 hex
/// digits of the SHA-256 of its token. Enough to tell holders apart, not
/// to recover the token (a capability to release the lock).
pub(super) fn holder_fingerprint(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("token sha256:{hex}")
}

/// Deletes `key` if `token` holds it; true when released.
pub(super) async fn release_token(conn: &mut Conn, key: &str, token: &str) -> Result<bool> {
    let released: i64 = redis::from_redis_value(
        &RELEASE
            .run(conn, &[key], &[token])
            .await
            .map_err(driver_error(format!("releasing lock {key}")))?,
    )
    .map_err(driver_error(format!("releasing lock {key}")))?;
    Ok(released == 1)
}

/// A lock this process holds.
struct RedisHeldLock {
    conn: Conn,
    key: String,
    token: String,
}

impl HeldLock for RedisHeldLock {
    fn key(&self) -> &str {
        &self.key
    }

    fn token(&self) -> &str {
        &self.token
    }

    fn extend(&mut self, ttl: Duration) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let millis = ttl_millis(ttl)?.to_string();
            let context = format!("extending lock {}", self.key);
            let value = EXTEND
                .run(&mut self.conn, &[&self.key], &[&self.token, &millis])
                .await
                .map_err(driver_error(&context))?;
            let extended: i64 = redis::from_redis_value(&value).map_err(driver_error(&context))?;
            if extended == 1 {
                Ok(())
            } else {
                Err(Error::LockLost(format!(
                    "{} expired or was taken by another holder",
                    self.key
                )))
            }
        })
    }

    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            let mut conn = self.conn;
            if release_token(&mut conn, &self.key, &self.token).await? {
                Ok(())
            } else {
                Err(Error::LockLost(format!(
                    "{} expired or was taken by another holder before it was released",
                    self.key
                )))
            }
        })
    }
}

impl DistributedLock for RedisBackend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        self.try_acquire_key(thread, keys::lock(thread), ttl).await
    }
}

impl RedisBackend {
    /// Takes the lock at `key` for `owner` (a thread, or a bulk
    /// operation's label) if nobody holds it.
    pub(super) async fn try_acquire_key(
        &self,
        owner: &ThreadKey,
        key: String,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        let thread = owner;
        let token = new_token();
        let taken: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(ttl_millis(ttl)?)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("acquiring lock {key} of {thread}")))?;
        Ok(taken.map(|_| {
            LockGuard::new(
                thread.clone(),
                Box::new(RedisHeldLock {
                    conn: self.conn(),
                    key,
                    token,
                }),
            )
        }))
    }
}
