//! The raw floor of each benchmarked operation on SQLite: plain
//! statements on the tables through the same pool, rows decoded as
//! threadctl decodes them.

use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::checkpoints::{decode_row, insert, COLUMNS};
use super::lock::{now_ms, row_key};
use super::store::now_text;
use super::{driver_error, SqliteBackend};
use crate::backend::floor::{BenchFloor, FloorOp};
use crate::backend::lock::new_token;
use crate::backend::traits::CheckpointBackend;
use crate::error::{Error, Result};
use crate::model::envelope::{format_timestamp, parse_timestamp};
use crate::model::now_micros;

/// What the floor's statements are called in errors.
const FLOOR: &str = "running a raw floor statement of `threadctl bench`";

impl BenchFloor for SqliteBackend {
    async fn floor(&self, op: FloorOp<'_>) -> Result<usize> {
        let pool = &self.pool;
        let failed = || driver_error(FLOOR);
        match op {
            FloorOp::Put(cp) => {
                insert(pool, cp, self.write_version()).await?;
                Ok(0)
            }
            FloorOp::Latest(thread) => {
                let rows = sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
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
                    "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ? AND id = ?"
                ))
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(id.to_string())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                decode_all(&rows)
            }
            FloorOp::History(thread, n) => {
                let rows = sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
                     ORDER BY step DESC, id DESC LIMIT ?"
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
                let column = serde_json::json!({"schema_version": 1, "state": state});
                let done = sqlx::query(
                    "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
                     SELECT tenant_id, thread_id, ?, id, step + 1, ?, next_node, ? FROM checkpoints
                     WHERE tenant_id = ? AND thread_id = ? AND id = ?",
                )
                .bind(child.to_string())
                .bind(column.to_string())
                .bind(format_timestamp(&now_micros()))
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(parent.to_string())
                .execute(pool)
                .await
                .map_err(failed())?;
                Ok(usize::from(done.rows_affected() == 1))
            }
            FloorOp::StorePut(ns, key, value) => {
                sqlx::query(
                    "INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at)
                     VALUES (?, ?, ?, ?, ?, NULL)
                     ON CONFLICT (tenant_id, namespace, key) DO UPDATE
                     SET value = excluded.value, ts = excluded.ts, expires_at = NULL",
                )
                .bind(ns.tenant.as_str())
                .bind(ns.render())
                .bind(key)
                .bind(value.to_string())
                .bind(format_timestamp(&now_micros()))
                .execute(pool)
                .await
                .map_err(failed())?;
                Ok(0)
            }
            FloorOp::StoreGet(ns, key) => {
                let rows = sqlx::query(
                    "SELECT value, expires_at FROM memory_items
                     WHERE tenant_id = ? AND namespace = ? AND key = ?
                       AND (expires_at IS NULL OR expires_at > ?)",
                )
                .bind(ns.tenant.as_str())
                .bind(ns.render())
                .bind(key)
                .bind(now_text())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                json_column(&rows, "value")
            }
            FloorOp::Append(thread, first, events) => {
                let ts = format_timestamp(&now_micros());
                let mut insert = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts) ",
                );
                insert.push_values(events.iter().zip(first..), |mut row, (event, seq)| {
                    row.push_bind(thread.tenant.as_str())
                        .push_bind(thread.thread.as_str())
                        .push_bind(i64::try_from(seq).unwrap_or(i64::MAX))
                        .push_bind(event.to_string())
                        .push_bind(ts.clone());
                });
                insert.build().execute(pool).await.map_err(failed())?;
                Ok(0)
            }
            FloorOp::Load(thread) => {
                let rows = sqlx::query(
                    "SELECT seq, event FROM session_events
                     WHERE tenant_id = ? AND thread_id = ? ORDER BY seq",
                )
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                json_column(&rows, "event")
            }
            FloorOp::Lock(thread) => {
                let key = row_key(thread);
                let token = new_token();
                let now = now_ms();
                let taken = sqlx::query(
                    "INSERT INTO threadctl_locks (key, tenant_id, thread_id, token, expires_at)
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                )
                .bind(&key)
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(&token)
                .bind(now.saturating_add(30_000))
                .execute(pool)
                .await
                .map_err(failed())?;
                let released =
                    sqlx::query("DELETE FROM threadctl_locks WHERE key = ? AND token = ?")
                        .bind(&key)
                        .bind(&token)
                        .execute(pool)
                        .await
                        .map_err(failed())?;
                Ok(usize::from(
                    taken.rows_affected() == 1 && released.rows_affected() == 1,
                ))
            }
            FloorOp::Threads(tenant) => {
                // The listing's own result: each thread's count, and the
                // step and timestamp of its latest checkpoint by (step,
                // id), decoded. The cheapest query for it is the
                // listing's own (bare columns of the one `MAX` of (step,
                // id)); a `GROUP BY` with `max(ts)` is cheaper but reports
                // the newest timestamp, which is not the latest
                // checkpoint's when steps and clocks disagree.
                let rows = sqlx::query(
                    "SELECT thread_id, count(*) AS checkpoints,
                            max(printf('%019d', step) || id) AS latest,
                            step AS latest_step, ts AS last_write
                     FROM checkpoints WHERE tenant_id = ? GROUP BY thread_id",
                )
                .bind(tenant.as_str())
                .fetch_all(pool)
                .await
                .map_err(failed())?;
                for row in &rows {
                    let _: (String, i64, i64) = (
                        row.try_get("thread_id").map_err(failed())?,
                        row.try_get("checkpoints").map_err(failed())?,
                        row.try_get("latest_step").map_err(failed())?,
                    );
                    let last_write: &str = row.try_get("last_write").map_err(failed())?;
                    parse_timestamp(last_write, FLOOR)?;
                }
                Ok(rows.len())
            }
        }
    }
}

/// Decodes checkpoint rows as every read of threadctl's does.
fn decode_all(rows: &[SqliteRow]) -> Result<usize> {
    for row in rows {
        decode_row(row)?;
    }
    Ok(rows.len())
}

/// Decodes one JSON text column of each row into a value.
fn json_column(rows: &[SqliteRow], column: &str) -> Result<usize> {
    for row in rows {
        let raw: &str = row.try_get(column).map_err(driver_error(FLOOR))?;
        serde_json::from_str::<Value>(raw)
            .map_err(|e| Error::corrupt(FLOOR, format!("column `{column}` is not JSON: {e}")))?;
    }
    Ok(rows.len())
}
