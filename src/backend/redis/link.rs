//! The connection to Redis: one multiplexed connection shared by every
//! call, replaced by a fresh one after it is lost (server restart, network
//! drop), so a long-lived process such as a lock heartbeat recovers on its
//! next call instead of failing forever.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisError, RedisFuture, RedisResult, Value};

/// How long opening a connection keeps retrying refused or reset attempts.
const RETRY_FOR: Duration = Duration::from_secs(3);
/// Time allowed for one connection attempt.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

/// The client and its current connection (none after a loss).
struct Link {
    client: redis::Client,
    current: Mutex<Option<MultiplexedConnection>>,
}

/// A cheap handle on the shared connection; implements the driver's
/// [`ConnectionLike`], reconnecting first when the last one was lost.
#[derive(Clone)]
pub struct Conn {
    link: Arc<Link>,
}

impl Conn {
    /// Connects `client`, retrying refused or reset attempts briefly.
    pub async fn open(client: redis::Client) -> RedisResult<Self> {
        let first = open_connection(&client).await?;
        Ok(Self {
            link: Arc::new(Link {
                client,
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
        let fresh = open_connection(&self.link.client).await?;
        if let Ok(mut slot) = self.link.current.lock() {
            *slot = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// Forgets the connection when `result` shows it is gone.
    fn note<T>(&self, result: &RedisResult<T>) {
        if let Err(e) = result {
            if e.is_connection_dropped() || e.is_unrecoverable_error() {
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
            let result = self.connection().await?.req_packed_command(cmd).await;
            self.note(&result);
            result
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let result = self
                .connection()
                .await?
                .req_packed_commands(cmd, offset, count)
                .await;
            self.note(&result);
            result
        })
    }

    fn get_db(&self) -> i64 {
        self.link.client.get_connection_info().redis.db
    }
}

/// One multiplexed connection, retrying transient failures for a while.
async fn open_connection(client: &redis::Client) -> RedisResult<MultiplexedConnection> {
    let config = AsyncConnectionConfig::new().set_connection_timeout(ATTEMPT_TIMEOUT);
    let started = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match client
            .get_multiplexed_async_connection_with_config(&config)
            .await
        {
            Err(e) if is_transient(&e) && started.elapsed() + pause < RETRY_FOR => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
            }
            other => return other,
        }
    }
}

/// True for errors worth retrying while connecting.
fn is_transient(e: &RedisError) -> bool {
    e.is_connection_refusal()
        || e.is_connection_dropped()
        || e.kind() == redis::ErrorKind::BusyLoadingError
}
