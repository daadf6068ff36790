//! Session logs in bulk: events written at their own ordinals with the
//! source's watermark, in one transaction under the thread's event lock
//! (the transaction-level advisory lock appends take).

use serde_json::Value;
use sqlx::types::Json;
use sqlx::{Connection, PgConnection, Row};

use crate::backend::bulk::{
    check_events, event_outcomes, keyset_page, orphan_logs, BulkEvents, EventWritePlan, Landing,
    LogPage, RecordOutcome, ThreadCursor, ThreadSelection, WriteMode,
};
use crate::backend::traits::{LogBounds, SessionEvent};
use crate::error::{Error, Result};
use crate::lock_key::LockKey;
use crate::model::ThreadKey;

use super::bulk_store::scope;
use super::checkpoints::nul_check_thread;
use super::errors::driver_error;
use super::json_column::json_column;
use super::listing::{decode_cursor, encode_cursor};
use super::{nul, PostgresBackend};

/// Session logs (events or a watermark) of threads without checkpoints,
/// keyset-paged by (tenant, thread). The threads holding events are found
/// by a skip scan of the primary key (one index probe per thread, not a
/// pass over every event), the watermarks read as they are.
const ORPHAN_LOGS: &str = "WITH RECURSIVE logged AS ( \
       (SELECT tenant_id, thread_id FROM session_events \
        WHERE ($1::text IS NULL OR tenant_id = $1) \
          AND ($2::text IS NULL OR (tenant_id, thread_id) > ($2, $3)) \
        ORDER BY tenant_id, thread_id LIMIT 1) \
     UNION ALL \
       SELECT n.tenant_id, n.thread_id FROM logged l, LATERAL ( \
         SELECT s.tenant_id, s.thread_id FROM session_events s \
         WHERE ($1::text IS NULL OR s.tenant_id = $1) \
           AND (s.tenant_id, s.thread_id) > (l.tenant_id, l.thread_id) \
         ORDER BY s.tenant_id, s.thread_id LIMIT 1) n) \
   SELECT tenant_id, thread_id FROM ( \
       SELECT tenant_id, thread_id FROM logged \
       UNION SELECT tenant_id, thread_id FROM threadctl_session_watermarks \
         WHERE ($1::text IS NULL OR tenant_id = $1) \
           AND ($2::text IS NULL OR (tenant_id, thread_id) > ($2, $3))) l \
   WHERE NOT EXISTS (SELECT 1 FROM checkpoints c \
                     WHERE c.tenant_id = l.tenant_id AND c.thread_id = l.thread_id) \
   ORDER BY tenant_id, thread_id LIMIT $4";

impl BulkEvents for PostgresBackend {
    async fn log_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<LogPage> {
        let tenant = self.scope_of(selection, "enumerating session logs of every tenant")?;
        let after = cursor.map(decode_cursor).transpose()?;
        let limit = limit.max(1);
        let context = "enumerating session logs of threads without checkpoints";
        let mut conn = self.pool.acquire().await.map_err(driver_error(context))?;
        let result = async {
            let mut tx = conn.begin().await?;
            if let Some(tenant) = tenant {
                scope(&mut tx, tenant).await?;
            }
            let rows: Vec<(String, String)> = sqlx::query_as(ORPHAN_LOGS)
                .bind(tenant)
                .bind(after.as_ref().map(|a| a.0.as_str()))
                .bind(after.as_ref().map(|a| a.1.as_str()))
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .fetch_all(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(rows)
        }
        .await;
        let rows = conn.settle(result).map_err(driver_error(context))?;
        let (threads, last) = keyset_page(rows, selection, limit, "postgres session log")?;
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
        nul_check_thread(thread)?;
        for event in events {
            nul::check_json(
                &event.event,
                "event",
                &format!("event {} of {thread}", event.ordinal),
            )?;
        }
        let pair = LockKey::session(thread).pg_pair();
        let what = "writing events";
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(super::errors::driver_error(format!("{what} of {thread}")))?;
        let wait = self.lock_wait();
        let result = self
            .pool
            .bounded(
                wait,
                write_in_transaction(&mut conn, thread, pair, watermark, events, mode, wait),
            )
            .await;
        let (plan, existing) = conn
            .settle(result)
            .map_err(|e| self.write_error(thread, pair, what, e))??;
        Ok(event_outcomes(&plan.landings, events, &existing, mode))
    }
}

/// Reads the log's bounds and the events the write overlaps, then applies
/// the plan, all in one transaction under the thread's event lock.
async fn write_in_transaction(
    conn: &mut PgConnection,
    thread: &ThreadKey,
    (hi, lo): (i32, i32),
    watermark: u64,
    events: &[SessionEvent],
    mode: WriteMode,
    wait: std::time::Duration,
) -> std::result::Result<Result<(EventWritePlan, Vec<Value>)>, sqlx::Error> {
    let (tenant, id) = (thread.tenant.as_str(), thread.thread.as_str());
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT set_config('entelix.tenant_id', $1, true)")
        .bind(tenant)
        .execute(&mut *tx)
        .await?;
    sqlx::query("SELECT threadctl_events_lock($1, $2, $3, $4, $5)")
        .bind(tenant)
        .bind(id)
        .bind(hi)
        .bind(lo)
        .bind(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT watermark, last FROM threadctl_events_bounds($1, $2)")
        .bind(tenant)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let ordinal = |seq: i64| u64::try_from(seq).unwrap_or(0);
    let bounds = LogBounds {
        watermark: ordinal(row.get("watermark")),
        last: ordinal(row.get("last")),
    };
    let plan = EventWritePlan::new(bounds, watermark, events);
    let overlap: Vec<i64> = events
        .iter()
        .zip(&plan.landings)
        .filter(|(_, l)| **l == Landing::Existing)
        .map(|(e, _)| i64::try_from(e.ordinal).unwrap_or(i64::MAX))
        .collect();
    let rows = sqlx::query(
        "SELECT e.seq, e.event FROM session_events e \
         WHERE e.tenant_id = $1 AND e.thread_id = $2 AND e.seq = ANY ($3) ORDER BY e.seq",
    )
    .bind(tenant)
    .bind(id)
    .bind(&overlap)
    .fetch_all(&mut *tx)
    .await?;
    if rows.len() != overlap.len() {
        return Ok(Err(Error::corrupt(
            format!("session log of {thread} (postgres)"),
            "ordinals are missing below the log's last one",
        )));
    }
    let existing = rows.iter().map(|r| {
        let seq: i64 = r.get("seq");
        json_column(r, "event")
            .map_err(|reason| Error::corrupt(format!("event {seq} of {thread} (postgres)"), reason))
    });
    let existing = match existing.collect::<Result<Vec<Value>>>() {
        Ok(existing) => existing,
        Err(unreadable) => return Ok(Err(unreadable)),
    };
    let (seqs, values): (Vec<i64>, Vec<Value>) =
        pick(events, &plan, Landing::Append).into_iter().unzip();
    sqlx::query(
        "INSERT INTO session_events (tenant_id, thread_id, seq, event, ts) \
         SELECT $1, $2, x.seq, x.ev, now() FROM unnest($3::bigint[], $4::jsonb[]) AS x(seq, ev)",
    )
    .bind(tenant)
    .bind(id)
    .bind(&seqs)
    .bind(values.into_iter().map(Json).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    let replaces = match mode {
        WriteMode::Replace => pick(events, &plan, Landing::Existing),
        _ => Vec::new(),
    };
    for (seq, value) in replaces {
        sqlx::query(
            "UPDATE session_events SET event = $4 \
             WHERE tenant_id = $1 AND thread_id = $2 AND seq = $3",
        )
        .bind(tenant)
        .bind(id)
        .bind(seq)
        .bind(Json(value))
        .execute(&mut *tx)
        .await?;
    }
    if plan.watermark > bounds.watermark || plan.base.is_some() {
        let wm = i64::try_from(plan.watermark).unwrap_or(i64::MAX);
        sqlx::query(
            "DELETE FROM session_events WHERE tenant_id = $1 AND thread_id = $2 AND seq <= $3",
        )
        .bind(tenant)
        .bind(id)
        .bind(wm)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO threadctl_session_watermarks AS w (tenant_id, thread_id, watermark) \
             VALUES ($1, $2, $3) ON CONFLICT (tenant_id, thread_id) DO UPDATE \
             SET watermark = greatest(w.watermark, EXCLUDED.watermark)",
        )
        .bind(tenant)
        .bind(id)
        .bind(wm)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Ok((plan, existing)))
}

/// The events of `events` that land as `landing`, with their ordinals.
fn pick(events: &[SessionEvent], plan: &EventWritePlan, landing: Landing) -> Vec<(i64, Value)> {
    events
        .iter()
        .zip(&plan.landings)
        .filter(|(_, l)| **l == landing)
        .map(|(e, _)| {
            (
                i64::try_from(e.ordinal).unwrap_or(i64::MAX),
                e.event.clone(),
            )
        })
        .collect()
}
