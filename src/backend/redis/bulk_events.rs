//! Session logs in bulk: events written at their own ordinals with the
//! source's watermark in one script (`write_events.lua`), and the logs
//! no thread with checkpoints owns alone found by SCAN, each with every
//! (tenant, thread) reading of its key.

use std::collections::HashSet;

use super::checkpoints::unexpected;
use super::scan::KeyScan;
use super::scripts::WRITE_EVENTS;
use super::{driver_error, keys, RedisBackend};
use crate::backend::bulk::{
    check_events, event_outcomes, event_page, BulkEvents, EventPage, Landing, ListedLog, LogPage,
    LogReading, RecordOutcome, ThreadCursor, ThreadSelection, WriteMode,
};
use crate::backend::traits::SessionEvent;
use crate::error::{Error, Result};
use crate::model::stored_json::parse_stored;
use crate::model::ThreadKey;

/// The `{tenant}:{thread}` part of a session-log key.
fn joined_of_log(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(keys::SESSION_PREFIX)?;
    rest.strip_suffix(keys::EVENTS_SUFFIX)
        .or_else(|| rest.strip_suffix(keys::WATERMARK_SUFFIX))
}

impl RedisBackend {
    /// The pairs among `candidates` (the readings of one key several pairs
    /// share) that have checkpoints, read from the stored owners.
    async fn with_checkpoints(&self, candidates: &[ThreadKey]) -> Result<Vec<ThreadKey>> {
        let Some(first) = candidates.first() else {
            return Ok(Vec::new());
        };
        Ok(self
            .summarize_shared(&keys::bystep(first), candidates, None)
            .await?
            .into_iter()
            .map(|s| s.thread)
            .collect())
    }
}

impl BulkEvents for RedisBackend {
    /// Reads the log under `thread`'s keys even when they are also another
    /// pair's: transfers decide about such logs themselves.
    async fn read_events(&self, thread: &ThreadKey, after: u64, limit: usize) -> Result<EventPage> {
        let bounds = self.read_bounds(thread).await?;
        event_page(bounds, after, limit, |limit| {
            self.read_log(thread, after, Some(limit))
        })
        .await
    }

    async fn log_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<LogPage> {
        let literal = match selection.single_tenant() {
            Some(tenant) => format!("{}{tenant}:", keys::SESSION_PREFIX),
            None => keys::SESSION_PREFIX.to_string(),
        };
        let pattern = keys::scan_prefix_pattern(&literal);
        let mut scan = match cursor {
            Some(cursor) => KeyScan::resume(pattern, super::admin::decode_cursor(cursor)?),
            None => KeyScan::new(pattern),
        };
        let mut conn = self.conn();
        let mut page = LogPage::default();
        // A log's events and watermark keys often come in one batch.
        let mut joined_seen: HashSet<String> = HashSet::new();
        let mut scanned = 0;
        while scanned < limit.max(1) {
            let Some(batch) = scan.next_batch(&mut conn).await? else {
                break;
            };
            let mut found: Vec<Vec<ThreadKey>> = Vec::new();
            for key in batch {
                let Some(joined) = joined_of_log(&key) else {
                    continue;
                };
                if !joined_seen.insert(joined.to_string()) {
                    continue;
                }
                scanned += 1;
                let candidates = keys::thread_candidates(joined);
                if candidates.iter().any(|c| selection.matches(c)) {
                    found.push(candidates);
                }
            }
            // Keys with one reading: whether it has checkpoints, in one
            // round trip for the whole batch.
            let mut pipe = redis::pipe();
            for candidates in found.iter().filter(|c| c.len() == 1) {
                pipe.cmd("EXISTS").arg(keys::bystep(&candidates[0]));
            }
            let exists: Vec<bool> = pipe.query_async(&mut conn).await.map_err(driver_error(
                "checking which session logs' threads have checkpoints",
            ))?;
            let mut exists = exists.into_iter();
            for candidates in found {
                let owners = match candidates.as_slice() {
                    [only] if exists.next() == Some(true) => vec![only.clone()],
                    [_] => Vec::new(),
                    several => self.with_checkpoints(several).await?,
                };
                if candidates.len() > 1 && owners.len() == 1
                    || candidates.len() == 1 && !owners.is_empty()
                {
                    continue;
                }
                page.logs.push(ListedLog {
                    readings: candidates
                        .into_iter()
                        .map(|thread| LogReading {
                            has_checkpoints: owners.contains(&thread),
                            thread,
                        })
                        .collect(),
                });
            }
        }
        page.next = scan
            .position()
            .map(|c| ThreadCursor::from_text(c.to_string()));
        Ok(page)
    }

    async fn log_readings(&self, thread: &ThreadKey) -> Result<Vec<LogReading>> {
        if !keys::thread_keys_may_collide(thread) {
            return Ok(Vec::new());
        }
        let candidates = keys::thread_candidates(&format!("{}:{}", thread.tenant, thread.thread));
        let owners = self.with_checkpoints(&candidates).await?;
        Ok(candidates
            .into_iter()
            .map(|thread| LogReading {
                has_checkpoints: owners.contains(&thread),
                thread,
            })
            .collect())
    }

    fn shared_log_key(&self, thread: &ThreadKey) -> Option<String> {
        keys::thread_keys_may_collide(thread).then(|| keys::events(thread))
    }

    async fn write_events(
        &self,
        thread: &ThreadKey,
        watermark: u64,
        events: &[SessionEvent],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_events(thread, events)?;
        let first = events.first().map_or(1, |e| e.ordinal);
        let mut args = vec![
            if mode == WriteMode::Replace { "1" } else { "0" }.to_string(),
            watermark.to_string(),
            first.to_string(),
        ];
        args.extend(events.iter().map(|e| e.event.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let context = format!("writing {} events of {thread}", events.len());
        let reply = self
            .run_log_script(&WRITE_EVENTS, thread, &args, context.clone())
            .await?;
        let mut landings = Vec::with_capacity(events.len());
        let mut existing = Vec::new();
        for (i, entry) in reply.rest().chunks(2).enumerate() {
            let [code, raw] = entry else {
                return Err(unexpected(&context, &reply));
            };
            landings.push(match code.as_slice() {
                b"a" => Landing::Archived,
                b"p" => Landing::Append,
                b"g" => Landing::Gap,
                b"e" => {
                    let ordinal = first + i as u64;
                    existing.push(parse_stored(raw).map_err(|reason| {
                        Error::corrupt(format!("event {ordinal} of {thread} (redis)"), reason)
                    })?);
                    Landing::Existing
                }
                _ => return Err(unexpected(&context, &reply)),
            });
        }
        if landings.len() != events.len() {
            return Err(unexpected(&context, &reply));
        }
        Ok(event_outcomes(&landings, events, &existing, mode))
    }
}
