//! Session event logs: `session_events` plus threadctl's watermark table.
//!
//! Append and archive take the thread's transaction-level advisory lock,
//! like the reference, so they cooperate with session-lock holders; when
//! this instance holds that session lock they run on the holding connection
//! (advisory locks are re-entrant within a session), so a holder appending
//! to its own thread never waits on itself. Another session's hold is
//! waited for at most [`PostgresBackend::lock_wait`], then
//! [`Error::LockBusy`]; a hold declared with
//! [`PostgresBackend::trust_external_lock`] is not waited for at all.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};

use crate::backend::traits::{event_type_error, LogBounds, SessionEvent, SessionLogBackend};
use crate::error::{Error, Result};
use crate::lock_key::{advisory_name, LockKey};
use crate::model::stored_json::{decode_stored, Undecodable};
use crate::model::ThreadKey;

use super::checkpoints::nul_check_thread;
use super::errors::{driver_error, is_broken, is_connection_lost, is_stall};
use super::json_column::{json_column, json_text};
use super::lock::{release_holder, Pair};
use super::{nul, PostgresBackend};

/// SQLSTATE of a lock wait that ran out (`lock_timeout`).
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// A write that takes the thread's advisory lock.
enum LockedWrite<'a> {
    /// Append these events.
    Append(&'a [Value]),
    /// Archive through this ordinal.
    Archive(i64),
}

impl SessionLogBackend for PostgresBackend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        nul_check_thread(thread)?;
        if events.is_empty() {
            return Ok(self.log_bounds(thread).await?.last);
        }
        for (i, event) in events.iter().enumerate() {
            nul::check_json(
                event,
                "event",
                &format!("event #{} of the append to {thread}", i + 1),
            )?;
        }
        let last = self
            .locked_write(thread, LockedWrite::Append(events), "appending events")
            .await?;
        Ok(ordinal(last))
    }

    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        let rows = self.load_rows(thread, after, limit).await?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.get("seq");
                let event = json_column(row, "event")
                    .map_err(|reason| Error::corrupt(event_name(seq, thread), reason))?;
                Ok(SessionEvent {
                    ordinal: ordinal(seq),
                    event,
                })
            })
            .collect()
    }

    async fn load_events_as<E: DeserializeOwned + Send>(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent<E>>> {
        let rows = self.load_rows(thread, after, limit).await?;
        rows.iter()
            .map(|row| {
                let seq: i64 = row.get("seq");
                let corrupt = |reason| Error::corrupt(event_name(seq, thread), reason);
                let text = json_text(row, "event").map_err(corrupt)?;
                match decode_stored(text) {
                    Ok(event) => Ok(SessionEvent {
                        ordinal: ordinal(seq),
                        event,
                    }),
                    Err(Undecodable::Mismatch(source)) => {
                        Err(event_type_error(ordinal(seq), thread, source))
                    }
                    Err(Undecodable::Unreadable(reason)) => Err(corrupt(reason)),
                }
            })
            .collect()
    }

    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        nul_check_thread(thread)?;
        let through = i64::try_from(through).unwrap_or(i64::MAX);
        let watermark = self
            .locked_write(thread, LockedWrite::Archive(through), "archiving events")
            .await?;
        Ok(ordinal(watermark))
    }

    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        nul_check_thread(thread)?;
        let row = sqlx::query("SELECT watermark, last FROM threadctl_events_bounds($1, $2)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error(format!("reading the log bounds of {thread}")))?;
        Ok(LogBounds {
            watermark: ordinal(row.get("watermark")),
            last: ordinal(row.get("last")),
        })
    }
}

impl PostgresBackend {
    /// The rows of `thread`'s unarchived events after ordinal `after` (at
    /// most `limit`), as `seq` and `event`, for the two decodings of
    /// [`SessionLogBackend::load_events`] and `load_events_as`.
    async fn load_rows(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<PgRow>> {
        nul_check_thread(thread)?;
        sqlx::query("SELECT seq, event FROM threadctl_events_load($1, $2, $3, $4)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(i64::try_from(after).unwrap_or(i64::MAX))
            .bind(limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)))
            .fetch_all(&*self.pool)
            .await
            .map_err(driver_error(format!("loading events of {thread}")))
    }

    /// Runs an append or archive on the connection holding the thread's
    /// session lock when this instance holds it, else on a pooled one.
    async fn locked_write(
        &self,
        thread: &ThreadKey,
        write: LockedWrite<'_>,
        what: &str,
    ) -> Result<i64> {
        let pair = LockKey::session(thread).pg_pair();
        if let Some(holder) = self.locks.holder(pair) {
            if holder.expired() {
                // Its TTL ran out: let the lock go rather than keep the
                // holding connection busy (and the lock alive) with this write.
                release_holder(&self.locks, pair, &holder).await?;
                return self.locked_write_pooled(thread, pair, &write, what).await;
            }
            let mut slot = holder.connection().await;
            if let Some(conn) = slot.as_mut() {
                // Re-entrant on the holding connection: never waits.
                let wait = Some(self.lock_wait());
                let write_here = run_locked(conn, thread, pair, &write, wait);
                match holder.bound().run(Duration::ZERO, write_here).await {
                    Ok(value) => return Ok(value),
                    Err(e) if is_stall(&e) || is_broken(&e) => {
                        // A write that stalled, or whose connection broke
                        // after it was sent, may still be applied: report
                        // it rather than repeat it on another connection.
                        *slot = None;
                        self.locks.forget(pair, &holder);
                        return Err(self.write_error(thread, pair, what, e));
                    }
                    Err(e) if is_connection_lost(&e) => {
                        // The server ended the holding session (its TTL ran
                        // out, it was terminated) before running the write,
                        // and the lock went with it.
                        *slot = None;
                        self.locks.forget(pair, &holder);
                    }
                    Err(e) => return Err(self.write_error(thread, pair, what, e)),
                }
            }
        }
        self.locked_write_pooled(thread, pair, &write, what).await
    }

    async fn locked_write_pooled(
        &self,
        thread: &ThreadKey,
        pair: Pair,
        write: &LockedWrite<'_>,
        what: &str,
    ) -> Result<i64> {
        let wait = (!self.lock_is_trusted(pair)).then(|| self.lock_wait());
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(driver_error(format!("{what} of {thread}")))?;
        let result = self
            .pool
            .bounded(
                wait.unwrap_or_default(),
                run_locked(&mut conn, thread, pair, write, wait),
            )
            .await;
        conn.settle(result)
            .map_err(|e| self.write_error(thread, pair, what, e))
    }

    /// Maps a failed append or archive: a wait for the session lock that
    /// ran out is [`Error::LockBusy`] naming the thread.
    pub(super) fn write_error(
        &self,
        thread: &ThreadKey,
        pair: Pair,
        what: &str,
        error: sqlx::Error,
    ) -> Error {
        let timed_out = error
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| code == LOCK_NOT_AVAILABLE);
        if timed_out {
            Error::LockBusy {
                key: format!("{} (the session lock of {thread})", advisory_name(pair)),
                waited: Some(self.lock_wait()),
            }
        } else {
            driver_error(format!("{what} of {thread}"))(error)
        }
    }
}

async fn run_locked(
    conn: &mut PgConnection,
    thread: &ThreadKey,
    (hi, lo): Pair,
    write: &LockedWrite<'_>,
    wait: Option<Duration>,
) -> std::result::Result<i64, sqlx::Error> {
    // NULL: covered by a hold made on our behalf, do not wait for it.
    let wait_ms = wait.map(|w| i64::try_from(w.as_millis()).unwrap_or(i64::MAX));
    let tenant = thread.tenant.as_str();
    let id = thread.thread.as_str();
    match write {
        LockedWrite::Append(events) => {
            sqlx::query_scalar("SELECT threadctl_events_append($1, $2, $3, $4, $5, $6)")
                .bind(tenant)
                .bind(id)
                .bind(hi)
                .bind(lo)
                .bind(Json(events))
                .bind(wait_ms)
                .fetch_one(conn)
                .await
        }
        LockedWrite::Archive(through) => {
            sqlx::query_scalar("SELECT threadctl_events_archive($1, $2, $3, $4, $5, $6)")
                .bind(tenant)
                .bind(id)
                .bind(hi)
                .bind(lo)
                .bind(*through)
                .bind(wait_ms)
                .fetch_one(conn)
                .await
        }
    }
}

/// An ordinal read back from Postgres (never negative for rows threadctl
/// or the reference write).
/// How an event is named in errors.
fn event_name(seq: i64, thread: &ThreadKey) -> String {
    format!("event {seq} of {thread} (postgres)")
}

fn ordinal(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}
