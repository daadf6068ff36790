//! Session logs in bulk: events written at their own ordinals with the
//! source's watermark, in one `BEGIN IMMEDIATE` transaction.

use sqlx::Row;

use super::events::{read_bounds, write_bounds};
use super::listing::{decode_cursor, encode_cursor, unnulled};
use super::{driver_error, to_sql_int, SqliteBackend, KIND};
use crate::backend::bulk::{
    check_events, event_outcomes, keyset_page, orphan_logs, BulkEvents, EventWritePlan, Landing,
    LogPage, RecordOutcome, ThreadCursor, ThreadSelection, WriteMode,
};
use crate::backend::traits::{LogBounds, SessionEvent};
use crate::error::{Error, Result};
use crate::model::envelope::format_timestamp;
use crate::model::stored_json::parse_stored;
use crate::model::{now_micros, ThreadKey};

impl BulkEvents for SqliteBackend {
    async fn log_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<LogPage> {
        let after = cursor.map(decode_cursor).transpose()?;
        let limit = limit.max(1);
        let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT tenant_id, thread_id FROM (
                 SELECT tenant_id, thread_id FROM session_events
                 UNION SELECT tenant_id, thread_id FROM threadctl_session_log) l
             WHERE (?1 IS NULL OR tenant_id = ?1)
               AND (?2 IS NULL OR (tenant_id, thread_id) > (?2, ?3))
               AND NOT EXISTS (SELECT 1 FROM checkpoints c
                               WHERE c.tenant_id = l.tenant_id AND c.thread_id = l.thread_id)
             ORDER BY tenant_id, thread_id LIMIT ?4",
        )
        .bind(selection.single_tenant())
        .bind(after.as_ref().map(|a| a.0.as_str()))
        .bind(after.as_ref().map(|a| a.1.as_str()))
        .bind(to_sql_int(limit as u64, "limit")?)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(
            "enumerating session logs of threads without checkpoints",
        ))?;
        let (threads, last) = keyset_page(unnulled(rows), selection, limit, "sqlite session log")?;
        Ok(orphan_logs(threads, last.as_ref().map(encode_cursor)))
    }

    async fn write_events(
        &self,
        thread: &ThreadKey,
        watermark: u64,
        events: &[SessionEvent],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_events(thread, events)?;
        let context = format!("writing {} events of {thread}", events.len());
        let mut tx = self.begin_immediate(&context).await?;
        let bounds = read_bounds(&mut *tx, thread).await?;
        let plan = EventWritePlan::new(bounds, watermark, events);
        let ts = format_timestamp(&now_micros());
        let mut existing = Vec::new();
        for (event, landing) in events.iter().zip(&plan.landings) {
            let seq = to_sql_int(event.ordinal, "ordinal")?;
            match landing {
                Landing::Existing => {
                    let row = sqlx::query(
                        "SELECT event FROM session_events
                         WHERE tenant_id = ? AND thread_id = ? AND seq = ?",
                    )
                    .bind(thread.tenant.as_str())
                    .bind(thread.thread.as_str())
                    .bind(seq)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(driver_error(&context))?;
                    let record = format!("{KIND} session_events row {seq} of {thread}");
                    let raw: String = match row {
                        Some(row) => row
                            .try_get("event")
                            .map_err(|e| Error::corrupt(&record, format!("column `event`: {e}")))?,
                        None => {
                            return Err(Error::corrupt(&record, "missing below the last ordinal"))
                        }
                    };
                    existing.push(
                        parse_stored(raw.as_bytes())
                            .map_err(|reason| Error::corrupt(&record, reason))?,
                    );
                    if mode == WriteMode::Replace {
                        sqlx::query(
                            "UPDATE session_events SET event = ?
                             WHERE tenant_id = ? AND thread_id = ? AND seq = ?",
                        )
                        .bind(event.event.to_string())
                        .bind(thread.tenant.as_str())
                        .bind(thread.thread.as_str())
                        .bind(seq)
                        .execute(&mut *tx)
                        .await
                        .map_err(driver_error(&context))?;
                    }
                }
                Landing::Append => {
                    sqlx::query(
                        "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts)
                         VALUES (?, ?, ?, ?, ?)",
                    )
                    .bind(thread.tenant.as_str())
                    .bind(thread.thread.as_str())
                    .bind(seq)
                    .bind(event.event.to_string())
                    .bind(&ts)
                    .execute(&mut *tx)
                    .await
                    .map_err(driver_error(&context))?;
                }
                Landing::Archived | Landing::Gap => {}
            }
        }
        sqlx::query(
            "DELETE FROM session_events WHERE tenant_id = ? AND thread_id = ? AND seq <= ?",
        )
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(to_sql_int(plan.watermark, "watermark")?)
        .execute(&mut *tx)
        .await
        .map_err(driver_error(&context))?;
        let after = LogBounds {
            watermark: plan.watermark,
            last: plan.last,
        };
        if after != bounds {
            write_bounds(&mut *tx, thread, after).await?;
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(event_outcomes(&plan.landings, events, &existing, mode))
    }
}
