//! The write version, and administering locks: inspecting and breaking
//! session locks, and the store-wide bulk lock.

use std::time::Duration;

use sqlx::Row;

use crate::backend::lock::{bulk_label, LockGuard};
use crate::backend::traits::{BulkOperation, LockAdmin, LockInfo, WriteVersionAdmin};
use crate::error::{Error, Result};
use crate::lock_key::{advisory_name, LockKey};
use crate::model::{EnvelopeVersion, ThreadKey};

use super::errors::driver_error;
use super::lock::{release_holder, Pair};
use super::{schema, PostgresBackend};

/// Granted exclusive two-int advisory locks in this database, with the
/// holding backend's pid and client address.
const ADVISORY_LOCKS: &str = "SELECT l.classid::int8 AS hi, l.objid::int8 AS lo, l.pid, \
       a.client_addr::text AS addr \
     FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
     WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted \
       AND l.mode = 'ExclusiveLock' \
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

/// How long `break_lock` waits for a terminated holder to let go.
const BREAK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

impl WriteVersionAdmin for PostgresBackend {
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

impl LockAdmin for PostgresBackend {
    async fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        // Advisory locks are per database: the schema names the store.
        let schema: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error("reading the connection's schema"))?;
        let pair = LockKey::bulk(operation.name(), schema.as_deref().unwrap_or_default()).pg_pair();
        self.try_acquire_pair(&bulk_label(operation), pair, ttl)
            .await
    }

    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        let pair = LockKey::session(thread).pg_pair();
        let holders = self
            .advisory_locks(Some(pair), &format!("reading the session lock of {thread}"))
            .await?;
        Ok(holders.into_iter().next().unwrap_or(LockInfo {
            key: advisory_name(pair),
            held: false,
            ttl_remaining: None,
            holder: None,
        }))
    }

    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        self.advisory_locks(None, "listing session locks").await
    }

    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        let (hi, lo) = LockKey::session(thread).pg_pair();
        let terminated: Vec<bool> = sqlx::query_scalar(&format!(
            "SELECT pg_terminate_backend(pid) FROM ({ADVISORY_LOCKS}) held \
             WHERE hi = ($1::int4::oid)::int8 AND lo = ($2::int4::oid)::int8 \
               AND pid <> pg_backend_pid()"
        ))
        .bind(hi)
        .bind(lo)
        .fetch_all(&*self.pool)
        .await
        .map_err(driver_error(format!(
            "breaking the session lock of {thread}"
        )))?;
        let broken = terminated.into_iter().any(|t| t);
        // A terminated backend lets go of its locks as it exits, a moment
        // after the signal: wait for that, so the lock is free on return.
        let started = std::time::Instant::now();
        while broken && started.elapsed() < BREAK_PATIENCE && self.lock_status(thread).await?.held {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Ok(broken)
    }

    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        let pair = LockKey::session(thread).pg_pair();
        if let Some(holder) = self.locks.holder(pair) {
            if holder.token() != token {
                return Ok(false);
            }
            return release_holder(&self.locks, pair, &holder).await;
        }
        if !self.lock_status(thread).await?.held {
            return Ok(false);
        }
        Err(Error::invalid(
            "lock token",
            format!(
                "the session lock of {thread} ({}) is held by another connection; a Postgres \
                 session lock lives only as long as its holder's connection and cannot be \
                 released from another one: use `lock break` to terminate the holder",
                advisory_name(pair)
            ),
        ))
    }
}

impl PostgresBackend {
    /// Held session locks, all or only `pair`'s.
    async fn advisory_locks(&self, pair: Option<Pair>, context: &str) -> Result<Vec<LockInfo>> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM ({ADVISORY_LOCKS}) held \
             WHERE $1::int4 IS NULL OR (hi = ($1::int4::oid)::int8 AND lo = ($2::int4::oid)::int8) \
             ORDER BY hi, lo, pid"
        ))
        .bind(pair.map(|p| p.0))
        .bind(pair.map(|p| p.1))
        .fetch_all(&*self.pool)
        .await
        .map_err(driver_error(context))?;
        Ok(rows
            .iter()
            .map(|row| {
                let hi: i64 = row.get("hi");
                let lo: i64 = row.get("lo");
                // No pid: held by a prepared transaction.
                let pid: Option<i32> = row.get("pid");
                let addr: Option<String> = row.get("addr");
                LockInfo {
                    key: advisory_name((hi as u32 as i32, lo as u32 as i32)),
                    held: true,
                    ttl_remaining: None,
                    holder: Some(match pid {
                        Some(pid) => format!(
                            "pid {pid} from {}",
                            addr.unwrap_or_else(|| "a local socket".into())
                        ),
                        None => "a prepared transaction".into(),
                    }),
                }
            })
            .collect())
    }
}
