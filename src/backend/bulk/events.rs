//! Session logs in bulk: a thread's log read with its bounds, and written
//! with its ordinals and archive watermark preserved, so that a copy's
//! next append continues the source's numbering.

use std::future::Future;

use serde_json::Value;

use super::{ConflictKind, RecordOutcome, ThreadCursor, ThreadSelection, WriteMode};
use crate::backend::traits::{LogBounds, SessionEvent, SessionLogBackend};
use crate::error::{Error, Result};
use crate::model::ThreadKey;

/// A run of a thread's unarchived events and the log's bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    /// The log's watermark and last ordinal, read before the events.
    pub bounds: LogBounds,
    /// Events after the ordinal asked for, oldest first.
    pub events: Vec<SessionEvent>,
    /// Where to continue (the last ordinal returned); `None` when the log
    /// has no more events.
    pub next: Option<u64>,
}

/// One (tenant, thread) pair a session log's keys can belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogReading {
    /// The pair.
    pub thread: ThreadKey,
    /// True when that pair has checkpoints.
    pub has_checkpoints: bool,
}

/// A session log (events, archive watermark or both) that no thread with
/// checkpoints owns alone, with every pair it can belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLog {
    /// One reading on Postgres and SQLite (the log of a thread without
    /// checkpoints); on Redis, where tenant and thread are joined by `:`
    /// unescaped, one per way its key splits.
    pub readings: Vec<LogReading>,
}

impl ListedLog {
    /// True when the log's keys split into more than one pair.
    pub fn is_ambiguous(&self) -> bool {
        self.readings.len() > 1
    }
}

/// One page of an enumeration of session logs.
#[derive(Debug, Clone, Default)]
pub struct LogPage {
    /// The logs found, in backend order. On Redis a log may appear in
    /// more than one page ([`super::ThreadListing::pages_may_repeat`]).
    pub logs: Vec<ListedLog>,
    /// Where to continue; `None` when the enumeration is complete.
    pub next: Option<ThreadCursor>,
}

/// A page of logs of threads without checkpoints, each readable one way
/// only (Postgres, SQLite: tenant and thread are columns of their own).
pub(crate) fn orphan_logs(threads: Vec<ThreadKey>, next: Option<ThreadCursor>) -> LogPage {
    LogPage {
        logs: threads
            .into_iter()
            .map(|thread| ListedLog {
                readings: vec![LogReading {
                    thread,
                    has_checkpoints: false,
                }],
            })
            .collect(),
        next,
    }
}

/// Where one event of a write lands on the target log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Landing {
    /// At or below the target's watermark: archived there already.
    Archived,
    /// On an ordinal the target still holds: compared (or replaced).
    Existing,
    /// Right after the target's last ordinal: appended.
    Append,
    /// Beyond the end of a target log that still holds events: refused
    /// ([`ConflictKind::OrdinalGap`]).
    Gap,
}

/// What a [`BulkEvents::write_events`] call does to a log, worked out from
/// the log's bounds alone; every backend applies it atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventWritePlan {
    /// The watermark to set before appending, when the target holds no
    /// unarchived events and the first event comes after its last ordinal
    /// (the source archived what lies between).
    pub base: Option<u64>,
    /// Where each event lands, in order.
    pub landings: Vec<Landing>,
    /// The watermark afterwards: the target's or the source's, whichever
    /// is higher. Events at or below it are removed, as archiving does.
    pub watermark: u64,
    /// The log's last ordinal afterwards.
    pub last: u64,
}

impl EventWritePlan {
    /// Plans writing `events` (contiguous ascending ordinals) with the
    /// source's `watermark` onto a log at `target`.
    pub fn new(target: LogBounds, watermark: u64, events: &[SessionEvent]) -> Self {
        let (mut wm, mut last, mut base) = (target.watermark, target.last, None);
        let landings = events
            .iter()
            .map(|e| {
                let o = e.ordinal;
                if o <= wm {
                    Landing::Archived
                } else if o <= last {
                    Landing::Existing
                } else if o == last + 1 {
                    last = o;
                    Landing::Append
                } else if last == wm {
                    base = Some(o - 1);
                    wm = o - 1;
                    last = o;
                    Landing::Append
                } else {
                    Landing::Gap
                }
            })
            .collect();
        let watermark = wm.max(watermark);
        Self {
            base,
            landings,
            watermark,
            last: last.max(watermark),
        }
    }
}

/// Each event's outcome from where it landed, given the target's event at
/// each [`Landing::Existing`] ordinal as it was before the write (in
/// order, one per such landing): the rule every
/// [`BulkEvents::write_events`] follows.
pub fn event_outcomes(
    landings: &[Landing],
    events: &[SessionEvent],
    existing: &[Value],
    mode: WriteMode,
) -> Vec<RecordOutcome> {
    let mut existing = existing.iter();
    landings
        .iter()
        .zip(events)
        .map(|(landing, event)| match landing {
            Landing::Archived => RecordOutcome::Unchanged,
            Landing::Append => RecordOutcome::Written,
            Landing::Gap => RecordOutcome::Conflict(ConflictKind::OrdinalGap),
            Landing::Existing => match (mode, existing.next()) {
                (WriteMode::Replace, _) => RecordOutcome::Written,
                (WriteMode::SkipIdentical, Some(before)) if *before == event.event => {
                    RecordOutcome::Unchanged
                }
                _ => RecordOutcome::Conflict(ConflictKind::DuplicateId),
            },
        })
        .collect()
}

/// Checks what every [`BulkEvents::write_events`] requires of its input:
/// ordinals from 1 up, contiguous and ascending.
pub fn check_events(thread: &ThreadKey, events: &[SessionEvent]) -> Result<()> {
    for pair in events.windows(2) {
        if pair[1].ordinal != pair[0].ordinal + 1 {
            return Err(Error::invalid(
                "events",
                format!(
                    "events of {thread} must have contiguous ordinals, but {} follows {}",
                    pair[1].ordinal, pair[0].ordinal
                ),
            ));
        }
    }
    if events.first().is_some_and(|e| e.ordinal == 0) {
        return Err(Error::invalid("events", "ordinals start at 1"));
    }
    Ok(())
}

/// The page of [`BulkEvents::read_events`] for a log with `bounds`: up to
/// `limit` events after `after`, loaded by `load` (given the limit) only
/// when the bounds say some lie there.
pub(crate) async fn event_page<F, Fut>(
    bounds: LogBounds,
    after: u64,
    limit: usize,
    load: F,
) -> Result<EventPage>
where
    F: FnOnce(usize) -> Fut,
    Fut: Future<Output = Result<Vec<SessionEvent>>>,
{
    let limit = limit.max(1);
    let events = if bounds.last > after {
        load(limit).await?
    } else {
        Vec::new()
    };
    let next = (events.len() >= limit)
        .then(|| events.last().map(|e| e.ordinal))
        .flatten();
    Ok(EventPage {
        bounds,
        events,
        next,
    })
}

/// Reading and writing whole session logs, ordinals and watermark
/// included.
pub trait BulkEvents: SessionLogBackend {
    /// Up to `limit` unarchived events after ordinal `after`, with the
    /// log's bounds. No events are loaded when the bounds say none lies
    /// after `after` (an empty log costs one round trip, not two).
    fn read_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: usize,
    ) -> impl Future<Output = Result<EventPage>> + Send {
        async move {
            let bounds = self.log_bounds(thread).await?;
            event_page(bounds, after, limit, |limit| {
                self.load_events(thread, after, Some(limit))
            })
            .await
        }
    }

    /// About `limit` session logs after `cursor` that no thread with
    /// checkpoints owns alone: the logs of threads without checkpoints,
    /// and on Redis logs whose keys split into several pairs of which none
    /// or more than one has checkpoints. A log is listed when any of its
    /// readings is selected, with all of them.
    fn log_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> impl Future<Output = Result<LogPage>> + Send;

    /// Every pair `thread`'s session-log keys can belong to, with whether
    /// each has checkpoints, when there is more than one (Redis, ids
    /// containing `:`); empty when the log can only be `thread`'s. When
    /// another reading than `thread` has checkpoints, or none has, the log
    /// is not `thread`'s alone and [`Self::log_page`] lists it.
    fn log_readings(
        &self,
        thread: &ThreadKey,
    ) -> impl Future<Output = Result<Vec<LogReading>>> + Send {
        let _ = thread;
        async { Ok(Vec::new()) }
    }

    /// The key `thread`'s log lands on when another pair's log can land
    /// on it too (Redis, ids containing `:`), so that a transfer can
    /// refuse to land two source logs there; `None` otherwise.
    fn shared_log_key(&self, thread: &ThreadKey) -> Option<String> {
        let _ = thread;
        None
    }

    /// Writes `events` of `thread` at their own ordinals, and the source's
    /// archive `watermark`, as [`EventWritePlan`] says, in one atomic step
    /// that takes the thread's event lock like an append. Idempotent:
    /// writing the same events again changes nothing. One outcome per
    /// event, in order; `events` must pass [`check_events`].
    fn write_events(
        &self,
        thread: &ThreadKey,
        watermark: u64,
        events: &[SessionEvent],
        mode: WriteMode,
    ) -> impl Future<Output = Result<Vec<RecordOutcome>>> + Send;
}
