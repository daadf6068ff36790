//! The raw floor of each benchmarked operation on Postgres: plain
//! statements on the reference's tables through the same pool, rows
//! decoded as threadctl decodes them. They skip what threadctl's functions
//! add (tenant scoping, the writer and log locks, the log bounds), so they
//! need a role that row-level security does not restrict.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::types::Json;
use sqlx::Row;

use super::checkpoints::decode_row;
use super::errors::driver_error;
use super::PostgresBackend;
use crate::backend::floor::{BenchFloor, FloorOp};
use crate::backend::traits::CheckpointBackend;
use crate::error::{Error, Result};
use crate::lock_key::LockKey;
use crate::model::envelope::encode_state_column;
use crate::model::Checkpoint;

/// Columns of a checkpoint row, in the order `decode_row` reads them.
const ROW: &str = "tenant_id, thread_id, id, parent_id, step, state, next_node, ts";

impl BenchFloor for PostgresBackend {
    async fn floor(&self, op: FloorOp<'_>) -> Result<usize> {
        self.require_bypass("the raw floor of `threadctl bench`")?;
        let failed = || driver_error("running a raw floor statement of `threadctl bench`");
        let pool = &*self.pool;
        match op {
            FloorOp::Put(cp) => {
                insert(self, cp).await?;
                Ok(0)
            }
            FloorOp::Latest(thread) => {
                let rows = sqlx::query(&format!(
                    "SELECT {ROW} FROM checkpoints WHERE tenant_id = $1 AND thread_id = $2 \
                     ORDER BY step DESC, id DESC LIMIT 1"
                ))
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                decode_all(&rows)
            }
            FloorOp::Show(thread, id) => {
                let rows = sqlx::query(&format!(
                    "SELECT {ROW} FROM checkpoints WHERE tenant_id = $1 AND thread_id = $2 AND id = $3"
                ))
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(id.uuid())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                decode_all(&rows)
            }
            FloorOp::History(thread, n) => {
                let rows = sqlx::query(&format!(
                    "SELECT {ROW} FROM checkpoints WHERE tenant_id = $1 AND thread_id = $2 \
                     ORDER BY step DESC, id DESC LIMIT $3"
                ))
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(i64::try_from(n).unwrap_or(i64::MAX))
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                decode_all(&rows)
            }
            FloorOp::Fork(thread, parent, child, state) => {
                let column = Json(serde_json::json!({"schema_version": 1, "state": state}));
                let done = sqlx::query(
                    "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts) \
                     SELECT tenant_id, thread_id, $4, id, step + 1, $5, next_node, now() FROM checkpoints \
                     WHERE tenant_id = $1 AND thread_id = $2 AND id = $3",
                )
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(parent.uuid())
                .bind(child.uuid())
                .bind(column)
                .execute(pool)
                .await
                .map_err(failed())?;
                Ok(usize::from(done.rows_affected() == 1))
            }
            FloorOp::StorePut(ns, key, value) => {
                sqlx::query(
                    "INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at) \
                     VALUES ($1, $2, $3, $4, now(), NULL) ON CONFLICT (tenant_id, namespace, key) \
                     DO UPDATE SET value = EXCLUDED.value, ts = EXCLUDED.ts, expires_at = NULL",
                )
                .bind(ns.tenant.as_str())
                .bind(ns.render())
                .bind(key)
                .bind(Json(value))
                .execute(pool)
                .await
                .map_err(failed())?;
                Ok(0)
            }
            FloorOp::StoreGet(ns, key) => {
                let rows = sqlx::query(
                    "SELECT value, expires_at FROM memory_items WHERE tenant_id = $1 \
                     AND namespace = $2 AND key = $3 AND (expires_at IS NULL OR expires_at > now())",
                )
                .bind(ns.tenant.as_str())
                .bind(ns.render())
                .bind(key)
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                json_column(&rows, "value")
            }
            FloorOp::Append(thread, first, events) => {
                let first = i64::try_from(first).unwrap_or(i64::MAX);
                sqlx::query(
                    "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts) \
                     SELECT $1, $2, $3 + e.n - 1, e.event, now() \
                     FROM unnest($4::jsonb[]) WITH ORDINALITY AS e (event, n)",
                )
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(first)
                .bind(events.iter().map(Json).collect::<Vec<_>>())
                .execute(pool)
                .await
                .map_err(failed())?;
                Ok(0)
            }
            FloorOp::Load(thread) => {
                let rows = sqlx::query(
                    "SELECT seq, event FROM session_events WHERE tenant_id = $1 AND thread_id = $2 \
                     ORDER BY seq",
                )
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                json_column(&rows, "event")
            }
            FloorOp::Lock(thread) => {
                let (hi, lo) = LockKey::session(thread).pg_pair();
                let mut conn = pool.acquire().await.map_err(failed())?;
                let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
                    .bind(hi)
                    .bind(lo)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(failed())?;
                let released: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1, $2)")
                    .bind(hi)
                    .bind(lo)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(failed())?;
                conn.finish(released || !taken);
                Ok(usize::from(taken && released))
            }
            FloorOp::Threads(tenant) => {
                // The listing's own result: each thread's count, and the
                // step and timestamp of its latest checkpoint by (step,
                // id), in key order. (A GROUP BY with max(ts) is cheaper
                // but reports the newest timestamp, which is not the
                // latest checkpoint's when steps and clocks disagree.)
                let rows = sqlx::query(
                    "SELECT DISTINCT ON (thread_id) thread_id, \
                            count(*) OVER (PARTITION BY thread_id) AS checkpoints, \
                            step AS latest_step, ts AS last_write \
                     FROM checkpoints WHERE tenant_id = $1 \
                     ORDER BY thread_id, step DESC, id DESC",
                )
                .bind(tenant.as_str())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                for row in &rows {
                    let _: (String, i64, i64, DateTime<Utc>) = (
                        row.try_get("thread_id").map_err(failed())?,
                        row.try_get("checkpoints").map_err(failed())?,
                        row.try_get("latest_step").map_err(failed())?,
                        row.try_get("last_write").map_err(failed())?,
                    );
                }
                Ok(rows.len())
            }
        }
    }
}

/// The plain INSERT of a new checkpoint's row at the store's write version.
async fn insert(backend: &PostgresBackend, cp: &Checkpoint<Value>) -> Result<()> {
    let column = encode_state_column(cp, backend.write_version());
    sqlx::query(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(cp.tenant_id.as_str())
    .bind(cp.thread_id.as_str())
    .bind(cp.id.uuid())
    .bind(cp.parent_id.map(|p| p.uuid()))
    .bind(i64::try_from(cp.step).map_err(|_| Error::invalid("step", "too large for Postgres"))?)
    .bind(&column)
    .bind(cp.next_node.as_deref())
    .bind(cp.timestamp)
    .execute(&*backend.pool)
    .await
    .map_err(driver_error("running a raw floor INSERT of `threadctl bench`"))?;
    Ok(())
}

/// Decodes checkpoint rows as every read of threadctl's does.
fn decode_all(rows: &[sqlx::postgres::PgRow]) -> Result<usize> {
    for row in rows {
        decode_row(row)?;
    }
    Ok(rows.len())
}

/// Decodes one JSON column of each row into a value.
fn json_column(rows: &[sqlx::postgres::PgRow], column: &str) -> Result<usize> {
    for row in rows {
        let _: Value = row.try_get(column).map_err(driver_error(
            "decoding a raw floor row of `threadctl bench`",
        ))?;
    }
    Ok(rows.len())
}
