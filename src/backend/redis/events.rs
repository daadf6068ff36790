//! Session logs: `entelix:session:{tenant}:{thread}:events` (list, oldest
//! first) and `…:watermark` (decimal string). The n-th element still in
//! the list has ordinal `watermark + n`. Append, load and archive are each
//! one script, so each is atomic and one round trip.
//!
//! Events carry no owner. A pair whose keys are also another pair's (a
//! `:` in an id) that has checkpoints is refused: the log may be that
//! thread's, and reading or writing it here would cross threads. Other
//! pairs whose keys may be shared get a warning (once per pair and
//! process). Bulk transfers read such logs on purpose, under their own
//! ambiguity policy ([`crate::ops::transfer::AmbiguityPolicy`]), through
//! [`RedisBackend::read_log`] and [`RedisBackend::read_bounds`].

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::checkpoints::unexpected;
use super::scripts::{Reply, APPEND, ARCHIVE, BOUNDS, LOAD};
use super::{driver_error, keys, RedisBackend};
use crate::backend::traits::{event_type_error, LogBounds, SessionEvent, SessionLogBackend};
use crate::error::{ConflictKind, Error, Result};
use crate::model::json_depth::to_json_text_within_depth;
use crate::model::stored_json::{decode_stored, Undecodable};
use crate::model::ThreadKey;

impl RedisBackend {
    /// Runs an event script and checks its status.
    pub(super) async fn run_log_script(
        &self,
        script: &super::scripts::LuaScript,
        thread: &ThreadKey,
        args: &[&str],
        context: String,
    ) -> Result<Reply> {
        let (events, watermark) = (keys::events(thread), keys::watermark(thread));
        let value = script
            .run(&mut self.conn(), &[&events, &watermark], args)
            .await
            .map_err(driver_error(&context))?;
        let reply = Reply::parse(value, &context)?;
        match reply.tag() {
            b"ok" => Ok(reply),
            b"badwm" => Err(Error::corrupt(
                format!("archive watermark of {thread} (redis key {watermark})"),
                format!("{:?} is not a decimal integer", reply.text(0)),
            )),
            _ => Err(unexpected(&context, &reply)),
        }
    }

    /// Refuses `thread`'s log when its keys are also those of another pair
    /// that has checkpoints (the log may be that thread's); warns when they
    /// may be shared with a pair that has none.
    async fn ensure_log_is_own(&self, thread: &ThreadKey) -> Result<()> {
        if !keys::thread_keys_may_collide(thread) {
            return Ok(());
        }
        let owners = self.other_log_owners(thread).await?;
        if !owners.is_empty() {
            let owners: Vec<String> = owners.iter().map(ToString::to_string).collect();
            return Err(Error::conflict(
                ConflictKind::ForeignKeys,
                format!(
                    "the Redis event log {} of {thread} is also the log of {}, which has \
                     checkpoints: events record no owner, so reading or writing it here would \
                     mix two threads' events. Move that log with `copy --ambiguous both`, or \
                     use ids without ':'",
                    keys::events(thread),
                    owners.join(" and ")
                ),
            ));
        }
        self.warn_once(
            format!("events of {thread}"),
            "this tenant or thread id contains ':', so its Redis event keys may be shared \
             with another tenant/thread pair, and events record no owner",
        );
        Ok(())
    }

    /// The other tenant/thread pairs whose session-log keys are `thread`'s
    /// (the joined ids split at another `:`) and that have checkpoints of
    /// their own (envelopes naming them, which the checkpoint keys, shared
    /// too, hold beside `thread`'s): the threads a log under these keys may
    /// belong to instead.
    async fn other_log_owners(&self, thread: &ThreadKey) -> Result<Vec<ThreadKey>> {
        let joined = format!("{}:{}", thread.tenant.as_str(), thread.thread.as_str());
        let mut owners = Vec::new();
        for other in keys::thread_candidates(&joined) {
            if other != *thread && !self.walk(&other, None, Some(1)).await?.is_empty() {
                owners.push(other);
            }
        }
        Ok(owners)
    }

    /// Up to `limit` events after `after` under `thread`'s log keys,
    /// whoever else they may belong to, each decoded into `E` straight
    /// from its stored text.
    ///
    /// A read from the start needs no ordinal arithmetic on the server:
    /// it is one `MULTI` of `GET` (watermark) and `LRANGE`, which Redis
    /// serves without the script's copy of every event through Lua.
    pub(super) async fn read_log<E: DeserializeOwned>(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent<E>>> {
        let context = || format!("loading events of {thread}");
        let (watermark, events) = if after == 0 {
            self.read_log_from_start(thread, limit, context).await?
        } else {
            let context = context();
            let after_arg = after.to_string();
            let limit_arg =
                limit.map_or("-1".to_string(), |n| n.min(i64::MAX as usize).to_string());
            let reply = self
                .run_log_script(&LOAD, thread, &[&after_arg, &limit_arg], context.clone())
                .await?;
            (reply.number(0, &context)?, reply.into_list())
        };
        let first = after.max(watermark).saturating_add(1);
        events
            .iter()
            .zip(first..)
            .map(|(raw, ordinal)| match decode_stored(raw) {
                Ok(event) => Ok(SessionEvent { ordinal, event }),
                Err(Undecodable::Mismatch(source)) => {
                    Err(event_type_error(ordinal, thread, source))
                }
                Err(Undecodable::Unreadable(reason)) => Err(Error::corrupt(
                    format!(
                        "event {ordinal} of {thread} (redis list {})",
                        keys::events(thread)
                    ),
                    reason,
                )),
            })
            .collect()
    }

    /// The watermark and the first `limit` (all without one) events still
    /// in `thread`'s log, read together in one `MULTI`.
    async fn read_log_from_start(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        context: impl FnOnce() -> String,
    ) -> Result<(u64, Vec<Vec<u8>>)> {
        let watermark_key = keys::watermark(thread);
        let stop = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX) - 1);
        if stop < 0 && limit.is_some() {
            return Ok((0, Vec::new()));
        }
        let (raw, events): (Option<String>, Vec<Vec<u8>>) = redis::pipe()
            .atomic()
            .cmd("GET")
            .arg(&watermark_key)
            .cmd("LRANGE")
            .arg(keys::events(thread))
            .arg(0)
            .arg(stop)
            .query_async(&mut self.conn())
            .await
            .map_err(|e| driver_error(context())(e))?;
        let watermark = match raw {
            None => 0,
            Some(raw) => parse_watermark(&raw).ok_or_else(|| {
                Error::corrupt(
                    format!("archive watermark of {thread} (redis key {watermark_key})"),
                    format!("{raw:?} is not a decimal integer"),
                )
            })?,
        };
        Ok((watermark, events))
    }

    /// The bounds of the log under `thread`'s keys, whoever else they may
    /// belong to.
    pub(super) async fn read_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        let context = format!("reading the event log bounds of {thread}");
        let reply = self
            .run_log_script(&BOUNDS, thread, &[], context.clone())
            .await?;
        Ok(LogBounds {
            watermark: reply.number(0, &context)?,
            last: reply.number(1, &context)?,
        })
    }
}

/// A stored watermark as the scripts read one (`read_watermark` in
/// `prelude.lua`): decimal digits only, at most 15 of them (exact in Lua's
/// doubles).
fn parse_watermark(raw: &str) -> Option<u64> {
    let digits = !raw.is_empty() && raw.len() <= 15 && raw.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| raw.parse().ok()).flatten()
}

impl SessionLogBackend for RedisBackend {
    async fn append_events(&self, thread: &ThreadKey, events: &[Value]) -> Result<u64> {
        self.append_events_as(thread, events).await
    }

    /// Each event is written straight to its stored text, its depth
    /// checked on the way.
    async fn append_events_as<E: Serialize + Sync>(
        &self,
        thread: &ThreadKey,
        events: &[E],
    ) -> Result<u64> {
        self.ensure_log_is_own(thread).await?;
        if events.is_empty() {
            return Ok(self.read_bounds(thread).await?.last);
        }
        let encoded = events
            .iter()
            .map(|e| to_json_text_within_depth(e, "session event"))
            .collect::<Result<Vec<_>>>()?;
        let args: Vec<&str> = encoded.iter().map(String::as_str).collect();
        let context = format!("appending {} events to {thread}", events.len());
        self.run_log_script(&APPEND, thread, &args, context.clone())
            .await?
            .number(0, &context)
    }

    async fn load_events(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent>> {
        self.ensure_log_is_own(thread).await?;
        self.read_log(thread, after, limit).await
    }

    async fn load_events_as<E: DeserializeOwned + Send>(
        &self,
        thread: &ThreadKey,
        after: u64,
        limit: Option<usize>,
    ) -> Result<Vec<SessionEvent<E>>> {
        self.ensure_log_is_own(thread).await?;
        self.read_log(thread, after, limit).await
    }

    async fn archive_events(&self, thread: &ThreadKey, through: u64) -> Result<u64> {
        self.ensure_log_is_own(thread).await?;
        let through_arg = through.to_string();
        let context = format!("archiving events of {thread} through {through}");
        self.run_log_script(&ARCHIVE, thread, &[&through_arg], context.clone())
            .await?
            .number(0, &context)
    }

    async fn log_bounds(&self, thread: &ThreadKey) -> Result<LogBounds> {
        self.ensure_log_is_own(thread).await?;
        self.read_bounds(thread).await
    }
}
