//! Cross-thread work for the CLI and bulk operations.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::Row;

use crate::backend::traits::{Admin, LockInfo, ThreadSummary};
use crate::error::{Error, Result};
use crate::lock_key::{advisory_name, LockKey};
use crate::model::envelope::encode_state_column;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, StoredCheckpoint, TenantId, ThreadKey,
};

use super::checkpoints::{checked_step, decode_row, nul_check_checkpoint, nul_check_thread};
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

impl Admin for PostgresBackend {
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        self.require_bypass("listing tenants")?;
        let raw: Vec<String> = sqlx::query_scalar(
            "SELECT tenant_id FROM checkpoints UNION SELECT tenant_id FROM session_events \
             UNION SELECT tenant_id FROM memory_items \
             UNION SELECT tenant_id FROM threadctl_session_watermarks",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("listing tenants"))?;
        let mut tenants = raw
            .into_iter()
            .map(|t| {
                TenantId::new(t).map_err(|_| {
                    Error::corrupt(
                        "a data row with no tenant (postgres)",
                        "column `tenant_id` is empty",
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        tenants.sort();
        Ok(tenants)
    }

    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        let rows = match tenant {
            Some(tenant) => {
                super::nul::check_text(tenant.as_str(), "tenant id")?;
                sqlx::query(
                    "SELECT $1::text AS tenant_id, thread_id, checkpoints, latest_step, last_write \
                     FROM threadctl_threads($1)",
                )
                .bind(tenant.as_str())
                .fetch_all(&self.pool)
                .await
                .map_err(driver_error(format!("listing threads of tenant {tenant}")))?
            }
            None => {
                self.require_bypass("listing threads of every tenant")?;
                // One row per thread: its latest checkpoint (highest step,
                // then greatest id) gives the step and the last write.
                sqlx::query(
                    "SELECT DISTINCT ON (tenant_id, thread_id) tenant_id, thread_id, \
                            count(*) OVER (PARTITION BY tenant_id, thread_id) AS checkpoints, \
                            step AS latest_step, ts AS last_write \
                     FROM checkpoints ORDER BY tenant_id, thread_id, step DESC, id DESC",
                )
                .fetch_all(&self.pool)
                .await
                .map_err(driver_error("listing threads of every tenant"))?
            }
        };
        let mut threads = Vec::with_capacity(rows.len());
        for row in rows {
            let tenant: String = row.try_get("tenant_id").unwrap_or_default();
            let thread: String = row.try_get("thread_id").unwrap_or_default();
            let key = ThreadKey::new(tenant.clone(), thread.clone()).map_err(|_| {
                Error::corrupt(
                    format!("checkpoints of {tenant}/{thread} (postgres)"),
                    "empty tenant_id or thread_id",
                )
            })?;
            let count: i64 = row.get("checkpoints");
            let step: Option<i64> = row.get("latest_step");
            let last_write: Option<DateTime<Utc>> = row.get("last_write");
            threads.push(ThreadSummary {
                thread: key,
                checkpoints: u64::try_from(count).unwrap_or(0),
                latest_step: step.and_then(|s| u64::try_from(s).ok()),
                last_write,
            });
        }
        threads.sort_by(|a, b| a.thread.cmp(&b.thread));
        Ok(threads)
    }

    async fn checkpoint_page(
        &self,
        thread: &ThreadKey,
        after: Option<(u64, CheckpointId)>,
        limit: usize,
    ) -> Result<Vec<StoredCheckpoint>> {
        nul_check_thread(thread)?;
        let rows = sqlx::query("SELECT * FROM threadctl_cp_page($1, $2, $3, $4, $5)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(after.map(|(step, _)| i64::try_from(step).unwrap_or(i64::MAX)))
            .bind(after.map(|(_, id)| id.0))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(driver_error(format!("paging checkpoints of {thread}")))?;
        rows.iter().map(decode_row).collect()
    }

    async fn write_checkpoint_verbatim(
        &self,
        cp: &Checkpoint<Value>,
        version: EnvelopeVersion,
        overwrite: bool,
    ) -> Result<()> {
        let step = checked_step(cp)?;
        nul_check_checkpoint(cp)?;
        let column = encode_state_column(cp, version);
        let outcome: String =
            sqlx::query_scalar("SELECT threadctl_cp_write($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(cp.tenant_id.as_str())
                .bind(cp.thread_id.as_str())
                .bind(cp.id.0)
                .bind(cp.parent_id.map(|p| p.0))
                .bind(step)
                .bind(&column)
                .bind(cp.next_node.as_deref())
                .bind(cp.timestamp)
                .bind(overwrite)
                .fetch_one(&self.pool)
                .await
                .map_err(driver_error(format!(
                    "writing checkpoint {} of {}",
                    cp.id,
                    cp.thread_key()
                )))?;
        match outcome.as_str() {
            "ok" => Ok(()),
            "missing" => Err(Error::NotFound(format!(
                "checkpoint {} of {} (nothing to overwrite)",
                cp.id,
                cp.thread_key()
            ))),
            _ => Err(Error::Conflict(format!(
                "checkpoint {} already exists in thread {}",
                cp.id,
                cp.thread_key()
            ))),
        }
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
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!(
            "breaking the session lock of {thread}"
        )))?;
        Ok(terminated.into_iter().any(|t| t))
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
        .fetch_all(&self.pool)
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
