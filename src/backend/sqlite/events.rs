//! The session log: `session_events` rows (seq = ordinal) and the
//! `threadctl_session_log` bounds row that keeps the watermark and the
//! highest ordinal the log had when it was last archived, so numbering
//! never restarts.

use serde_json::Value;
use sqlx::{Executor, Row, Sqlite};

use super::{driver_error, non_negative, to_sql_int, SqliteBackend, KIND};
use crate::backend::traits::{LogBounds, SessionEvent, SessionLogBackend};
use crate::error::{Error, Result};
use crate::model::envelope::format_timestamp;
use crate::model::stored_json::parse_stored;
use crate::model::{now_micros, ThreadKey};

/// Events per INSERT statement (one bound value each beside the thread and
/// the time; SQLite allows 32766).
const INSERT_CHUNK: usize = 1000;

fn bounds_record(thread: &ThreadKey) -> String {
    format!("{KIND} threadctl_session_log row of {thread}")
}

/// The thread's bounds, read inside the caller's transaction.
pub(super) async fn read_bounds<'e, E>(executor: E, thread: &ThreadKey) -> Result<LogBounds>
where
    E: Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query(
        "SELECT
           COALESCE((SELECT watermark FROM threadctl_session_log
                     WHERE tenant_id = ?1 AND thread_id = ?2), 0) AS watermark,
           MAX(COALESCE((SELECT last_seq FROM threadctl_session_log
                         WHERE tenant_id = ?1 AND thread_id = ?2), 0),
               COALESCE((SELECT MAX(seq) FROM session_events
                         WHERE tenant_id = ?1 AND thread_id = ?2), 0)) AS last",
    )
    .bind(thread.tenant.as_str())
    .bind(thread.thread.as_str())
    .fetch_one(executor)
    .await
    .map_err(driver_error(format!("reading the log bounds of {thread}")))?;
    let record = bounds_record(thread);
    let int = |col: &str| -> Result<u64> {
        let value: i64 = row
            .try_get(col)
            .map_err(|e| Error::corrupt(&record, format!("`{col}` is not an integer: {e}")))?;
        non_negative(value, &record, col)
    };
    let watermark = int("watermark")?;
    Ok(LogBounds {
        watermark,
        last: int("last")?.max(watermark),
    })
}

/// Stores the thread's bounds.
pub(super) async fn write_bounds<'e, E>(
    executor: E,
    thread: &ThreadKey,
    bounds: LogBounds,
) -> Result<()>
where
    E: Executor<'e, Database = Sqlite>,
{
    sqlx::query(
        "INSERT INTO threadctl_session_log (tenant_id, thread_id, watermark, last_seq)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, thread_id) DO UPDATE
         SET watermark = excluded.watermark, last_seq = excluded.last_seq",
    )
    .bind(thread.tenant.as_str())
    .bind(thread.thread.as_str())
    .bind(to_sql_int(bounds.watermark, "watermark")?)
    .bind(to_sql_int(bounds.last, "ordinal")?)
    .execute(executor)
    .await
    .map_err(driver_error(format!("storing the log bounds of {thread}")))?;
    Ok(())
}

/// Inserts `events` (at most [`INSERT_CHUNK`]) with the ordinals that follow
/// the thread's last, as [`read_bounds`] reckons it, in one statement: a
/// write statement holds the write lock from its start, so the bounds it
/// reads stay true until it ends, and an append of one chunk is one call
/// to the database with no transaction around it. The bounds row is left
/// as it is: rows above `last_seq` count towards the last ordinal, and
/// archiving (the only removal that keeps numbering) records it before
/// deleting. Returns the new last ordinal.
async fn insert_after_last<'e, E>(
    executor: E,
    thread: &ThreadKey,
    ts: &str,
    events: &[Value],
    context: &str,
) -> Result<u64>
where
    E: Executor<'e, Database = Sqlite>,
{
    // Numbered parameters throughout: ?1 to ?3 are the thread and the
    // time, ?4 on the events, each row's offset a literal.
    let rows: Vec<String> = (1..=events.len())
        .map(|offset| format!("({offset}, ?{})", offset + 3))
        .collect();
    let sql = format!(
        "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts)
         SELECT ?1, ?2, last.seq + added.column1, added.column2, ?3
         FROM (SELECT MAX(
                 COALESCE((SELECT watermark FROM threadctl_session_log
                           WHERE tenant_id = ?1 AND thread_id = ?2), 0),
                 COALESCE((SELECT last_seq FROM threadctl_session_log
                           WHERE tenant_id = ?1 AND thread_id = ?2), 0),
                 COALESCE((SELECT MAX(seq) FROM session_events
                           WHERE tenant_id = ?1 AND thread_id = ?2), 0)) AS seq) AS last,
              (VALUES {}) AS added
         RETURNING seq",
        rows.join(", ")
    );
    let mut insert = sqlx::query_scalar::<_, i64>(&sql)
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(ts);
    for event in events {
        insert = insert.bind(event.to_string());
    }
    let seqs = insert
        .fetch_all(executor)
        .await
        .map_err(driver_error(context))?;
    let record = bounds_record(thread);
    let last = seqs.into_iter().max().unwrap_or(0);
    non_negative(last, &record, "seq")
}

impl SessionLogBackend for SqliteBackend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        if events.is_empty() {
            return Ok(self.log_bounds(thread).await?.last);
        }
        let context = format!("appending {} events to {thread}", events.len());
        let ts = format_timestamp(&now_micros());
        if events.len() <= INSERT_CHUNK {
            return insert_after_last(&self.pool, thread, &ts, events, &context).await;
        }
        let mut tx = self.begin_immediate(&context).await?;
        let mut last = 0;
        for chunk in events.chunks(INSERT_CHUNK) {
            last = insert_after_last(&mut *tx, thread, &ts, chunk, &context).await?;
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(last)
    }

    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        if limit == Some(0) {
            return Ok(Vec::new());
        }
        let limit = limit.map_or(Ok(-1), |n| to_sql_int(n as u64, "limit"))?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let rows = sqlx::query(
            "SELECT seq, event FROM session_events
             WHERE tenant_id = ? AND thread_id = ? AND seq > ?
             ORDER BY seq LIMIT ?",
        )
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!("loading events of {thread}")))?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get("seq").map_err(|e| {
                    Error::corrupt(
                        format!("{KIND} session_events row of {thread}"),
                        format!("`seq` is not an integer: {e}"),
                    )
                })?;
                // Named only when something is wrong with the row.
                let record = || format!("{KIND} session_events row {seq} of {thread}");
                let raw: &str = row
                    .try_get("event")
                    .map_err(|e| Error::corrupt(record(), format!("column `event`: {e}")))?;
                let event = parse_stored(raw.as_bytes())
                    .map_err(|reason| Error::corrupt(record(), reason))?;
                let ordinal =
                    u64::try_from(seq).or_else(|_| non_negative(seq, &record(), "seq"))?;
                Ok(SessionEvent { ordinal, event })
            })
            .collect()
    }

    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        let context = format!("archiving events of {thread} through {through}");
        let mut tx = self.begin_immediate(&context).await?;
        let mut bounds = read_bounds(&mut *tx, thread).await?;
        let target = through.min(bounds.last);
        if target <= bounds.watermark {
            return Ok(bounds.watermark);
        }
        sqlx::query(
            "DELETE FROM session_events WHERE tenant_id = ? AND thread_id = ? AND seq <= ?",
        )
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(to_sql_int(target, "watermark")?)
        .execute(&mut *tx)
        .await
        .map_err(driver_error(&context))?;
        bounds.watermark = target;
        write_bounds(&mut *tx, thread, bounds).await?;
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(target)
    }

    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        read_bounds(&self.pool, thread).await
    }
}
