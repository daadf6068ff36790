//! A small connection pool that costs no round trip of its own.
//!
//! sqlx's pool pings every connection as it returns to the pool (one more
//! round trip per operation, the "connection check" the reference pays).
//! Here a connection goes back to the idle list only when its statement
//! completed (or failed in the database, which leaves it usable); one
//! dropped mid-call, or broken, is closed instead, so no caller ever gets a
//! connection in an unknown state and none needs testing.
//!
//! The pool also bounds waits on the server: a new connection gets the
//! connect timeout, every statement run through it the operation timeout
//! (see [`Limits`]), so a stalled server ends in an error naming it.

use std::fmt;
use std::future::Future;
use std::io;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use sqlx::postgres::{PgConnectOptions, PgQueryResult, PgRow, PgStatement, PgTypeInfo};
use sqlx::{Connection, Describe, Either, Execute, Executor, PgConnection, Postgres};
use tokio::sync::{Semaphore, SemaphorePermit};

use super::errors::is_connection_lost;
use crate::backend::deadline::{self, CONNECTING, WAITING_FOR_REPLY};
use crate::backend::retry::NeverSent;

/// How long the pool waits on the server.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// For opening one connection (TCP, TLS, startup).
    pub(super) connect: Duration,
    /// For one statement's answer.
    pub(super) operation: Duration,
}

/// The operation timeout on one server, for statements on any connection.
#[derive(Debug, Clone)]
pub(super) struct Bound {
    /// `host:port`, for errors.
    server: String,
    limit: Duration,
}

impl Bound {
    /// Runs one statement's `work` within the limit plus `extra` (a wait
    /// the statement makes on purpose), else a stall error naming the server.
    pub(super) async fn run<T>(
        &self,
        extra: Duration,
        work: impl Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, sqlx::Error> {
        let limit = self.limit.saturating_add(extra);
        deadline::within(limit, &self.server, WAITING_FOR_REPLY, work).await
    }
}

/// At most `size` connections, reused most-recently-returned first.
pub(super) struct ConnPool {
    /// Boxed: the options are large and only read when connecting.
    options: Box<PgConnectOptions>,
    /// `host:port`, for errors.
    server: String,
    limits: Limits,
    idle: IdleList,
    permits: Semaphore,
}

/// The pool's idle connections, shared with the held session locks whose
/// connections come back here when they are released.
#[derive(Clone)]
pub(super) struct IdleList {
    conns: Arc<Mutex<Vec<PgConnection>>>,
    /// At most this many connections are kept idle: twice the pool's size.
    /// A held session lock's connection is out of the pool's count, and
    /// the pool opens others in its place; keeping more idle than the pool
    /// can use at once lets the connections of locks released together be
    /// reused instead of closed and opened again (an open costs every
    /// caller on the runtime a TLS handshake's time).
    capacity: usize,
}

impl IdleList {
    fn conns(&self) -> std::sync::MutexGuard<'_, Vec<PgConnection>> {
        // A Vec push/pop cannot be left half-done by a panic.
        self.conns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps `conn` for reuse, a connection in a known, clean state; when
    /// the pool already keeps as many as it may, `conn` is closed instead.
    pub(super) fn give_back(&self, conn: PgConnection) {
        let mut conns = self.conns();
        if conns.len() < self.capacity {
            conns.push(conn);
        }
    }
}

impl ConnPool {
    /// A pool of at most `size` connections to `server` opened with
    /// `options`, starting with `first` idle.
    pub(super) fn with_first(
        options: PgConnectOptions,
        server: String,
        limits: Limits,
        size: usize,
        first: PgConnection,
    ) -> Self {
        Self {
            options: Box::new(options),
            server,
            limits,
            idle: IdleList {
                conns: Arc::new(Mutex::new(vec![first])),
                capacity: 2 * size,
            },
            permits: Semaphore::new(size),
        }
    }

    /// Runs one statement's `work`, failing with an error that names the
    /// server when no answer comes within the operation timeout plus
    /// `extra` (a wait the statement makes on purpose, for a lock).
    pub(super) async fn bounded<T>(
        &self,
        extra: Duration,
        work: impl Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, sqlx::Error> {
        self.bound().run(extra, work).await
    }

    /// The operation timeout, for a connection taken out of the pool while
    /// it holds a session lock.
    pub(super) fn bound(&self) -> Bound {
        Bound {
            server: self.server.clone(),
            limit: self.limits.operation,
        }
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<PgConnection>> {
        self.idle.conns()
    }

    /// Where a connection taken out for a held session lock goes back once
    /// the lock is released.
    pub(super) fn idle_list(&self) -> IdleList {
        self.idle.clone()
    }

    /// An idle connection, or a new one when none is idle.
    pub(super) async fn acquire(&self) -> Result<Pooled<'_>, sqlx::Error> {
        let permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle().pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let connect = PgConnection::connect_with(&self.options);
                deadline::within(self.limits.connect, &self.server, CONNECTING, connect)
                    .await
                    .map_err(|e| self.never_sent(e))?
            }
        };
        Ok(Pooled {
            conn: Some(conn),
            pool: self,
            _permit: permit,
        })
    }

    /// Marks a failure to open a connection as one where the call never
    /// reached the server, so that it may be retried (unless it stalled)
    /// and a write is known not to be applied.
    fn never_sent(&self, error: sqlx::Error) -> sqlx::Error {
        sqlx::Error::Io(io::Error::other(NeverSent {
            server: self.server.clone(),
            source: Box::new(error),
        }))
    }

    /// Closes the idle connections (those in use close when dropped).
    pub(super) async fn close(&self) {
        let idle: Vec<PgConnection> = std::mem::take(&mut *self.idle());
        for conn in idle {
            // Closing is a courtesy to the server; a failure changes nothing.
            let _ = conn.close().await;
        }
    }
}

/// A connection taken from the pool; closed on drop unless settled.
pub(super) struct Pooled<'p> {
    conn: Option<PgConnection>,
    pool: &'p ConnPool,
    _permit: SemaphorePermit<'p>,
}

impl Pooled<'_> {
    /// Passes `result` through, returning the connection to the pool when
    /// the call left it usable: success, or an error raised by the database.
    pub(super) fn settle<T>(self, result: Result<T, sqlx::Error>) -> Result<T, sqlx::Error> {
        self.finish_after(result.as_ref().err());
        result
    }

    /// Settles after a call that failed with `error` (or succeeded,
    /// `None`). A lost connection also empties the idle list: what killed
    /// it (a restart, a network drop, sessions terminated) has most likely
    /// killed the idle ones too, and a retry should not meet them.
    fn finish_after(self, error: Option<&sqlx::Error>) {
        if error.is_some_and(is_connection_lost) {
            self.pool.idle().clear();
        }
        self.finish(leaves_usable(error));
    }

    /// Returns the connection to the pool when `usable`, else closes it.
    pub(super) fn finish(mut self, usable: bool) {
        if usable {
            if let Some(conn) = self.conn.take() {
                self.pool.idle.give_back(conn);
            }
        }
    }

    /// Takes the connection out of the pool's count (a held session lock,
    /// which gives it back through [`IdleList::give_back`] on release).
    pub(super) fn detach(mut self) -> PgConnection {
        self.conn
            .take()
            .expect("a pooled connection is present until settled")
    }
}

impl Deref for Pooled<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until settled")
    }
}

impl DerefMut for Pooled<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn
            .as_mut()
            .expect("a pooled connection is present until settled")
    }
}

/// Whether a connection is still fit for reuse after a call that failed
/// with `error` (or succeeded, `None`).
fn leaves_usable(error: Option<&sqlx::Error>) -> bool {
    match error {
        None => true,
        // A statement's error leaves the session usable, unless the server
        // is ending it (terminated, idle timeout, connection failure).
        Some(e @ sqlx::Error::Database(_)) => !is_connection_lost(e),
        Some(_) => false,
    }
}

impl fmt::Debug for ConnPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnPool")
            .field("idle", &self.idle().len())
            .field("available", &self.permits.available_permits())
            .finish()
    }
}

/// Statements run on `&ConnPool` the way they run on sqlx's pool: each on a
/// connection taken for that one call.
impl<'p> Executor<'p> for &'p ConnPool {
    type Database = Postgres;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<PgQueryResult, PgRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Postgres>,
    {
        // Results are gathered before the connection goes back: every
        // statement threadctl runs returns a bounded result.
        let gathered = async move {
            let mut conn = match self.acquire().await {
                Ok(conn) => conn,
                Err(e) => return vec![Err(e)],
            };
            let gather = async { Ok((&mut *conn).fetch_many(query).collect::<Vec<_>>().await) };
            let results = match self.bounded(Duration::ZERO, gather).await {
                Ok(results) => results,
                Err(stalled) => vec![Err(stalled)],
            };
            let error = results.iter().find_map(|r| r.as_ref().err());
            conn.finish_after(error);
            results
        };
        Box::pin(stream::once(gathered).flat_map(stream::iter))
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<PgRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Postgres>,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            let result = self
                .bounded(Duration::ZERO, (&mut *conn).fetch_optional(query))
                .await;
            conn.settle(result)
        })
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [PgTypeInfo],
    ) -> BoxFuture<'e, Result<PgStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            let result = self
                .bounded(Duration::ZERO, (&mut *conn).prepare_with(sql, parameters))
                .await;
            conn.settle(result)
        })
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> BoxFuture<'e, Result<Describe<Postgres>, sqlx::Error>>
    where
        'p: 'e,
    {
        Box::pin(async move {
            let mut conn = self.acquire().await?;
            let result = self
                .bounded(Duration::ZERO, (&mut *conn).describe(sql))
                .await;
            conn.settle(result)
        })
    }
}
