//! The connection to Redis: one multiplexed connection shared by every
//! call, replaced by a fresh one after it is lost (server restart, network
//! drop), so a long-lived process such as a lock heartbeat recovers on its
//! next call instead of failing forever.
//!
//! Every wait on the server is bounded: opening a connection by the
//! connect timeout, each command by the operation timeout. A command that
//! runs out drops the connection too, since a stalled one would stall the
//! calls queued behind it.

use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisError, RedisFuture, RedisResult, Value};

use crate::backend::deadline::{self, CONNECTING, WAITING_FOR_REPLY};

/// How long the link waits on the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For opening a connection, retries of refused attempts included.
    pub connect: Duration,
    /// For one command's reply.
    pub operation: Duration,
}

/// The client and its current connection (none after a loss).
struct Link {
    client: redis::Client,
    /// `host:port`, for errors.
    server: String,
    limits: Limits,
    current: Mutex<Option<MultiplexedConnection>>,
}

/// A cheap handle on the shared connection; implements the driver's
/// [`ConnectionLike`], reconnecting first when the last one was lost.
#[derive(Clone)]
pub struct Conn {
    link: Arc<Link>,
}

/// A handle on the shared connection that does not keep it open.
pub struct WeakConn(Weak<Link>);

impl WeakConn {
    /// A handle on the connection, unless its backend was dropped.
    pub fn upgrade(&self) -> Option<Conn> {
        self.0.upgrade().map(|link| Conn { link })
    }
}

impl Conn {
    /// A handle that does not keep the connection open (for background
    /// work that should end with the backend).
    pub fn downgrade(&self) -> WeakConn {
        WeakConn(Arc::downgrade(&self.link))
    }

    /// Connects `client` within `limits.connect`, retrying refused or
    /// reset attempts until then.
    pub async fn open(client: redis::Client, limits: Limits) -> RedisResult<Self> {
        let server = client.get_connection_info().addr.to_string();
        let first = open_connection(&client, &server, limits.connect).await?;
        Ok(Self {
            link: Arc::new(Link {
                client,
                server,
                limits,
                current: Mutex::new(Some(first)),
            }),
        })
    }

    /// The live connection, opening a new one if the last was lost.
    async fn connection(&self) -> RedisResult<MultiplexedConnection> {
        let current = self.link.current.lock().ok().and_then(|slot| slot.clone());
        if let Some(conn) = current {
            return Ok(conn);
        }
        let link = &self.link;
        let fresh = open_connection(&link.client, &link.server, link.limits.connect)
            .await
            .map_err(|e| never_sent(&link.server, e))?;
        if let Ok(mut slot) = self.link.current.lock() {
            *slot = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// Runs one command's `work` within the operation timeout, then
    /// forgets the connection when the outcome shows it is gone or stalled.
    async fn bounded<T>(&self, work: impl Future<Output = RedisResult<T>>) -> RedisResult<T> {
        let link = &self.link;
        let result =
            deadline::within(link.limits.operation, &link.server, WAITING_FOR_REPLY, work).await;
        self.note(&result);
        result
    }

    /// Forgets the connection when `result` shows it is gone or stalled.
    fn note<T>(&self, result: &RedisResult<T>) {
        if let Err(e) = result {
            if e.is_connection_dropped() || e.is_unrecoverable_error() || e.is_timeout() {
                if let Ok(mut slot) = self.link.current.lock() {
                    *slot = None;
                }
            }
        }
    }
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            self.bounded(conn.req_packed_command(cmd)).await
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let mut conn = self.connection().await?;
            self.bounded(conn.req_packed_commands(cmd, offset, count))
                .await
        })
    }

    fn get_db(&self) -> i64 {
        self.link.client.get_connection_info().redis.db
    }
}

/// One multiplexed connection to `server` within `limit`, retrying
/// transient failures until it runs out.
async fn open_connection(
    client: &redis::Client,
    server: &str,
    limit: Duration,
) -> RedisResult<MultiplexedConnection> {
    // The driver's own limit is a backstop a little past ours, so that a
    // stall ends in our error, which names the server and the flag.
    let config =
        AsyncConnectionConfig::new().set_connection_timeout(limit + Duration::from_secs(1));
    let started = Instant::now();
    let attempts = async {
        let mut pause = Duration::from_millis(50);
        loop {
            match client
                .get_multiplexed_async_connection_with_config(&config)
                .await
            {
                Err(e) if is_transient(&e) && started.elapsed() + pause < limit => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(500));
                }
                other => return other,
            }
        }
    };
    deadline::within(limit, server, CONNECTING, attempts).await
}

/// How a call's failure to open a connection begins, when nothing of the
/// call was sent (see [`never_sent`]).
pub(crate) const NOT_CONNECTED: &str = "cannot open a new connection";
/// How a call's connection attempt that ran out its time limit begins.
pub(crate) const CONNECT_STALLED: &str = "cannot open a new connection in time";

/// Marks a failure to open a new connection for a call (a client error
/// whose text begins with [`NOT_CONNECTED`] or [`CONNECT_STALLED`]):
/// nothing of the call reached the server, so that a retry is safe and a
/// write is known not to be applied (unless it stalled, whose wait already
/// took as long as allowed).
fn never_sent(server: &str, error: RedisError) -> RedisError {
    let what = if error.is_timeout() {
        CONNECT_STALLED
    } else {
        NOT_CONNECTED
    };
    RedisError::from((
        redis::ErrorKind::ClientError,
        what,
        format!("to {server}: {error}"),
    ))
}

/// True for errors worth retrying while connecting.
fn is_transient(e: &RedisError) -> bool {
    e.is_connection_refusal()
        || e.is_connection_dropped()
        || e.kind() == redis::ErrorKind::BusyLoadingError
}
