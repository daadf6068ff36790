//! The session lock: a session-level two-int advisory lock held on a
//! dedicated connection (docs/format.md, "Session lock").
//!
//! The connection is a pooled one, taken out of the pool while the lock is
//! held (the lock lives on it) and given back when the lock is released:
//! one round trip to acquire, one to release, and no new server session
//! per lock. A connection whose release failed, or whose lock was gone, is
//! closed instead of reused.
//!
//! The TTL is honoured by the server: the holding connection runs with
//! `idle_session_timeout` set to the TTL, so a holder that stops extending
//! loses its connection and with it the lock. Locks this instance holds are
//! kept in a registry so appends to a locked thread can run on the holding
//! connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use sqlx::{Connection, PgConnection};
use tokio::sync::{Mutex as AsyncMutex, MutexGuard};

use crate::backend::lock::{new_token, HeldLock, LockGuard};
use crate::backend::traits::DistributedLock;
use crate::error::{Error, Result};
use crate::lock_key::{advisory_name, LockKey};
use crate::model::{BackendKind, ThreadKey};

use super::checkpoints::nul_check_thread;
use super::errors::{driver_error, is_connection_lost};
use super::pool::{Bound, IdleList};
use super::PostgresBackend;

/// The two-int advisory pair of a session lock.
pub(super) type Pair = (i32, i32);

/// One lock this instance holds: its token and its dedicated connection
/// (`None` once released or lost).
pub(super) struct Holder {
    token: String,
    conn: AsyncMutex<Option<PgConnection>>,
    /// The operation timeout for statements on `conn`.
    bound: Bound,
    /// `conn`'s own `idle_session_timeout` from before the lock armed the
    /// TTL there, restored on release.
    session_timeout: String,
    /// The pool `conn` goes back to once the lock is released.
    pool: IdleList,
    /// When the TTL last armed runs out, as far as this process knows.
    expires: Mutex<Instant>,
}

impl Holder {
    fn new(
        token: String,
        conn: PgConnection,
        ttl: Duration,
        bound: Bound,
        pool: IdleList,
        session_timeout: String,
    ) -> Self {
        Self {
            token,
            conn: AsyncMutex::new(Some(conn)),
            bound,
            session_timeout,
            pool,
            expires: Mutex::new(Instant::now() + ttl),
        }
    }

    fn expires(&self) -> std::sync::MutexGuard<'_, Instant> {
        // An `Instant` cannot be left half-written by a panic.
        self.expires
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// True once the TTL last armed has run out without an extend.
    pub(super) fn expired(&self) -> bool {
        Instant::now() >= *self.expires()
    }

    /// The holder's token.
    pub(super) fn token(&self) -> &str {
        &self.token
    }

    /// The operation timeout for statements on the holding connection.
    pub(super) fn bound(&self) -> &Bound {
        &self.bound
    }

    /// Exclusive use of the holding connection.
    pub(super) async fn connection(&self) -> MutexGuard<'_, Option<PgConnection>> {
        self.conn.lock().await
    }
}

/// The session locks held by one backend instance, by advisory pair.
#[derive(Default, Clone)]
pub(super) struct LockRegistry(Arc<Mutex<HashMap<Pair, Arc<Holder>>>>);

impl LockRegistry {
    /// The holder of `pair`, if this instance holds it.
    pub(super) fn holder(&self, pair: Pair) -> Option<Arc<Holder>> {
        self.map().get(&pair).cloned()
    }

    fn insert(&self, pair: Pair, holder: Arc<Holder>) {
        self.map().insert(pair, holder);
    }

    /// Forgets `holder` (and only it) as the holder of `pair`.
    pub(super) fn forget(&self, pair: Pair, holder: &Arc<Holder>) {
        let mut map = self.map();
        if map.get(&pair).is_some_and(|h| Arc::ptr_eq(h, holder)) {
            map.remove(&pair);
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Pair, Arc<Holder>>> {
        // A panic while holding this mutex cannot leave the map inconsistent.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `idle_session_timeout` for a TTL: whole milliseconds, at least 1 (0
/// would disable the timeout), at most what the setting accepts; other
/// TTLs are refused, not clamped.
fn timeout_setting(ttl: Duration) -> Result<String> {
    let ms = crate::backend::lock::ttl_millis(
        ttl,
        BackendKind::Postgres.max_lock_ttl_ms(),
        "Postgres' idle_session_timeout",
    )?;
    Ok(ms.to_string())
}

impl DistributedLock for PostgresBackend {
    async fn try_acquire(&self, thread: &ThreadKey, ttl: Duration) -> Result<Option<LockGuard>> {
        nul_check_thread(thread)?;
        let pair = LockKey::session(thread).pg_pair();
        self.try_acquire_pair(thread, pair, ttl).await
    }
}

impl PostgresBackend {
    /// Takes the two-int advisory lock `pair` on a dedicated connection,
    /// for `owner` (a thread, or a bulk operation's label).
    pub(super) async fn try_acquire_pair(
        &self,
        owner: &ThreadKey,
        pair: Pair,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        let thread = owner;
        let timeout = timeout_setting(ttl)?;
        if let Some(holder) = self.locks.holder(pair) {
            // Our own holder let its TTL run out: the lock is free by its
            // terms even if the server has not closed that connection yet.
            // An unexpired holder is still checked with the server below:
            // its lock may have been broken from outside.
            if holder.expired() {
                release_holder(&self.locks, pair, &holder).await?;
            }
        }
        let context = || format!("taking the session lock of {thread}");
        let mut conn = self.pool.acquire().await.map_err(driver_error(context()))?;
        // The materialized CTE reads the session's own timeout before the
        // outer row arms the TTL in its place.
        let query = sqlx::query_as::<_, (Option<bool>, String)>(
            "WITH own AS MATERIALIZED (SELECT current_setting('idle_session_timeout') AS timeout) \
             SELECT CASE WHEN pg_try_advisory_lock($1, $2) \
             THEN set_config('idle_session_timeout', $3, false) IS NOT NULL END, own.timeout \
             FROM own",
        )
        .bind(pair.0)
        .bind(pair.1)
        .bind(timeout);
        let armed = self
            .pool
            .bounded(Duration::ZERO, query.fetch_one(&mut *conn))
            .await;
        // Dropped before this point (cancelled or failed), the connection
        // closes, and with it any lock it might have taken.
        if armed.as_ref().is_ok_and(|(taken, _)| taken.is_none()) {
            conn.finish(true);
            return Ok(None);
        }
        let (_, session_timeout) = armed.map_err(driver_error(context()))?;
        let holder = Arc::new(Holder::new(
            new_token(),
            conn.detach(),
            ttl,
            self.pool.bound(),
            self.pool.idle_list(),
            session_timeout,
        ));
        self.locks.insert(pair, holder.clone());
        Ok(Some(LockGuard::new(
            thread.clone(),
            Box::new(PgHeldLock {
                key: advisory_name(pair),
                pair,
                holder,
                registry: self.locks.clone(),
            }),
        )))
    }
}

/// A held Postgres session lock.
struct PgHeldLock {
    key: String,
    pair: Pair,
    holder: Arc<Holder>,
    registry: LockRegistry,
}

impl HeldLock for PgHeldLock {
    fn key(&self) -> &str {
        &self.key
    }

    fn token(&self) -> &str {
        self.holder.token()
    }

    fn extend(&mut self, ttl: Duration) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            let lost =
                || Error::LockLost(format!("{} is no longer held by this process", self.key));
            let mut slot = self.holder.connection().await;
            let Some(conn) = slot.as_mut() else {
                return Err(lost());
            };
            let query = sqlx::query_scalar::<_, bool>(
                "SELECT set_config('idle_session_timeout', $3, false) IS NOT NULL AND EXISTS ( \
                   SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() \
                   AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                   AND classid = $1::int4::oid AND objid = $2::int4::oid AND objsubid = 2 \
                   AND mode = 'ExclusiveLock' AND granted)",
            )
            .bind(self.pair.0)
            .bind(self.pair.1)
            .bind(timeout_setting(ttl)?);
            // A stalled holding connection counts as gone, like a broken one.
            let bound = self.holder.bound();
            let still_held = bound.run(Duration::ZERO, query.fetch_one(&mut *conn)).await;
            match still_held {
                Ok(true) => {
                    *self.holder.expires() = Instant::now() + ttl;
                    Ok(())
                }
                Ok(false) => Err(lost()),
                Err(e) if is_connection_lost(&e) => {
                    *slot = None;
                    self.registry.forget(self.pair, &self.holder);
                    Err(Error::LockLost(format!(
                        "{}: the holding connection is gone (TTL expired or broken): {e}",
                        self.key
                    )))
                }
                Err(e) => Err(driver_error(format!(
                    "extending the session lock {}",
                    self.key
                ))(e)),
            }
        })
    }

    fn release(self: Box<Self>) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            if release_holder(&self.registry, self.pair, &self.holder).await? {
                Ok(())
            } else {
                Err(Error::LockLost(format!(
                    "{} was no longer held by this process when it was released \
                     (TTL expired or broken)",
                    self.key
                )))
            }
        })
    }
}

/// Unlocks a holder's connection, gives it back to the pool and forgets
/// the holder; true when the lock was still held on that connection and
/// this released it. A connection that is already gone (released before,
/// TTL expired, broken) took the lock with it: false, not an error.
///
/// The one statement also restores the session's own `idle_session_timeout`
/// as read when the lock was taken (the lock's TTL was armed there), so the
/// connection is pooled exactly as it was before the lock; one whose lock
/// was not there, or whose release failed, is closed.
pub(super) async fn release_holder(
    registry: &LockRegistry,
    pair: Pair,
    holder: &Arc<Holder>,
) -> Result<bool> {
    let mut slot = holder.connection().await;
    registry.forget(pair, holder);
    let Some(mut conn) = slot.take() else {
        return Ok(false);
    };
    let query = sqlx::query_scalar::<_, bool>(
        "SELECT pg_advisory_unlock($1, $2) \
         AND set_config('idle_session_timeout', $3, false) IS NOT NULL",
    )
    .bind(pair.0)
    .bind(pair.1)
    .bind(&holder.session_timeout);
    let unlocked = holder
        .bound()
        .run(Duration::ZERO, query.fetch_one(&mut conn))
        .await;
    match unlocked {
        Ok(true) => {
            holder.pool.give_back(conn);
            Ok(true)
        }
        Ok(false) => {
            // Not held on this session: its state is not what the pool
            // expects. Closing is a courtesy; a failure changes nothing.
            let _ = conn.close().await;
            Ok(false)
        }
        Err(e) if is_connection_lost(&e) => Ok(false),
        Err(e) => Err(driver_error(format!(
            "releasing the session lock {}",
            advisory_name(pair)
        ))(e)),
    }
}
