//! Checkpoints: `entelix:cp:{tenant}:{thread}:bystep` (sorted set, score =
//! step) and `…:byid` (hash of envelopes), written and read by scripts.
//!
//! Owner rule: two (tenant, thread) pairs share keys only when an id holds
//! a `:` ([`keys::thread_keys_may_collide`]). For such pairs the scripts
//! decode stored envelopes to keep only the asked pair's records and to
//! refuse writes into keys holding another pair's. For every other pair
//! only that pair's records can legitimately be there, so the scripts skip
//! the decoding and a record naming another owner is reported as corrupt.

use serde_json::{Map, Value};

use super::scripts::{Reply, PUT, WALK};
use super::{driver_error, keys, RedisBackend, KIND};
use crate::backend::traits::CheckpointBackend;
use crate::error::{ConflictKind, Error, Result};
use crate::model::envelope::{decode_document, encode_document};
use crate::model::{
    now_micros, prepare_new_write, Checkpoint, CheckpointId, EnvelopeVersion, Origin,
    StoredCheckpoint, ThreadKey,
};

/// Sorted-set scores are doubles: steps above 2^53 would lose precision
/// and with it their order.
pub(super) const MAX_EXACT_SCORE: u64 = 1 << 53;

/// How often a fork re-reads a parent that changed under it.
const FORK_ATTEMPTS: usize = 3;

/// How a stored checkpoint is named in errors.
pub(super) fn record_name(thread: &ThreadKey, id: &str) -> String {
    format!(
        "checkpoint {id} of {thread} (redis hash {} field {id})",
        keys::byid(thread)
    )
}

/// A boolean script argument.
fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

impl RedisBackend {
    /// Decodes one stored envelope of `thread`; `None` when it belongs to
    /// another pair sharing the keys.
    pub(super) fn decode_owned(
        thread: &ThreadKey,
        field: &str,
        raw: &[u8],
    ) -> Result<Option<StoredCheckpoint>> {
        let record = record_name(thread, field);
        let text = std::str::from_utf8(raw)
            .map_err(|_| Error::corrupt(&record, "envelope is not valid UTF-8"))?;
        let stored = decode_document(text, &record)?;
        let cp = &stored.checkpoint;
        if cp.id.to_string() != field {
            return Err(Error::corrupt(
                &record,
                format!("the envelope under this field is checkpoint {}", cp.id),
            ));
        }
        if cp.tenant_id != thread.tenant || cp.thread_id != thread.thread {
            if keys::thread_keys_may_collide(thread) {
                return Ok(None);
            }
            return Err(Error::corrupt(
                &record,
                format!(
                    "stored under {thread} but names tenant {:?} thread {:?}",
                    cp.tenant_id.as_str(),
                    cp.thread_id.as_str()
                ),
            ));
        }
        Ok(Some(stored))
    }

    /// Up to `limit` of the thread's checkpoints newest first, strictly
    /// after `before` in that order, in one script call.
    pub(super) async fn walk(
        &self,
        thread: &ThreadKey,
        before: Option<CheckpointId>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredCheckpoint>> {
        let (bystep, byid) = (keys::bystep(thread), keys::byid(thread));
        let limit_arg = limit.map_or("-1".to_string(), |n| n.min(i64::MAX as usize).to_string());
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let context = format!("reading checkpoints of {thread}");
        let value = WALK
            .run(
                &mut self.conn(),
                &[&bystep, &byid],
                &[
                    &limit_arg,
                    flag(keys::thread_keys_may_collide(thread)),
                    thread.tenant.as_str(),
                    thread.thread.as_str(),
                    &before,
                ],
            )
            .await
            .map_err(driver_error(&context))?;
        let reply = Reply::parse(value, &context)?;
        match reply.tag() {
            b"ok" => {}
            b"notfound" => {
                return Err(Error::NotFound(format!(
                    "checkpoint {before} in thread {thread}"
                )))
            }
            b"dangling" => {
                let member = reply.text(0);
                return Err(Error::corrupt(
                    format!("checkpoint {member} of {thread} (redis sorted set {bystep})"),
                    format!("listed in {bystep} but has no envelope in {byid}"),
                ));
            }
            _ => return Err(unexpected(&context, &reply)),
        }
        let mut out = Vec::new();
        for pair in reply.rest().chunks(2) {
            let [field, raw] = pair else {
                return Err(unexpected(&context, &reply));
            };
            let field = String::from_utf8_lossy(field);
            if let Some(stored) = Self::decode_owned(thread, &field, raw)? {
                out.push(stored);
            }
        }
        Ok(out)
    }

    /// The thread's newest `limit` checkpoints (all when `None`) read with
    /// plain commands, ZREVRANGE then HMGET, which cost the server a fifth
    /// of a script call (a script's fixed cost alone is about two plain
    /// commands'). `None` when that read cannot answer alone, for the
    /// atomic [`walk`](Self::walk) to settle: the keys may hold another
    /// pair's records (their owners need filtering), or a listed envelope
    /// was missing by the HMGET (deleted in between, or dangling).
    async fn newest(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
    ) -> Result<Option<Vec<StoredCheckpoint>>> {
        if keys::thread_keys_may_collide(thread) {
            return Ok(None);
        }
        let context = format!("reading checkpoints of {thread}");
        let last = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX) - 1);
        let mut conn = self.conn();
        let ids: Vec<String> = redis::cmd("ZREVRANGE")
            .arg(keys::bystep(thread))
            .arg(0)
            .arg(last)
            .query_async(&mut conn)
            .await
            .map_err(driver_error(&context))?;
        if ids.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let raws: Vec<Option<Vec<u8>>> = redis::cmd("HMGET")
            .arg(keys::byid(thread))
            .arg(&ids)
            .query_async(&mut conn)
            .await
            .map_err(driver_error(&context))?;
        let mut out = Vec::with_capacity(ids.len());
        for (id, raw) in ids.iter().zip(&raws) {
            let Some(raw) = raw else { return Ok(None) };
            // Keys that cannot collide hold only this pair's records.
            out.extend(Self::decode_owned(thread, id, raw)?);
        }
        Ok(Some(out))
    }

    /// Writes a new record that needs no check first (no expected latest,
    /// no parent to compare, keys no other pair can share) in one MULTI of
    /// HSETNX and ZADD NX: an id already there is refused with nothing
    /// changed, and the server runs two plain commands, not a script (whose
    /// fixed cost alone is that of several commands).
    async fn add(
        &self,
        thread: &ThreadKey,
        [bystep, byid]: [&str; 2],
        [id, step, envelope]: [&str; 3],
        context: &str,
    ) -> Result<()> {
        let (stored, listed): (bool, bool) = redis::pipe()
            .atomic()
            .cmd("HSETNX")
            .arg(byid)
            .arg(id)
            .arg(envelope)
            .cmd("ZADD")
            .arg(bystep)
            .arg("NX")
            .arg(step)
            .arg(id)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(context))?;
        let half = |what: String| Err(Error::corrupt(record_name(thread, id), what));
        match (stored, listed) {
            (true, true) => Ok(()),
            (false, false) => Err(Error::duplicate_id(id, thread)),
            (true, false) => half(format!(
                "it was listed in {bystep} without an envelope in {byid}; this put stored its \
                 envelope, at the step already listed"
            )),
            (false, true) => half(format!(
                "its envelope was in {byid} without being listed in {bystep}; this put listed \
                 it at step {step}, the envelope unchanged"
            )),
        }
    }

    /// Writes `cp` encoded at `version`. With `parent`, only while the
    /// parent's envelope is still the given one; `false` when it changed.
    pub(super) async fn write(
        &self,
        cp: &Checkpoint<Value>,
        version: EnvelopeVersion,
        expect_latest: Option<Option<CheckpointId>>,
        parent: Option<(CheckpointId, &str)>,
    ) -> Result<bool> {
        if cp.step > MAX_EXACT_SCORE {
            return Err(Error::invalid(
                "step",
                format!(
                    "{} is above {MAX_EXACT_SCORE}, the largest step a Redis sorted-set score keeps exactly",
                    cp.step
                ),
            ));
        }
        let thread = cp.thread_key();
        let (bystep, byid) = (keys::bystep(&thread), keys::byid(&thread));
        let id = cp.id.to_string();
        let envelope = encode_document(cp, version);
        let step = cp.step.to_string();
        let expect = expect_latest
            .flatten()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let (parent_id, parent_raw) = parent
            .map(|(p, raw)| (p.to_string(), raw))
            .unwrap_or_default();
        let context = format!("writing checkpoint {id} of {thread}");
        if expect_latest.is_none() && parent.is_none() && !keys::thread_keys_may_collide(&thread) {
            return self
                .add(&thread, [&bystep, &byid], [&id, &step, &envelope], &context)
                .await
                .map(|()| true);
        }
        let value = PUT
            .run(
                &mut self.conn(),
                &[&bystep, &byid],
                &[
                    &id,
                    &step,
                    &envelope,
                    thread.tenant.as_str(),
                    thread.thread.as_str(),
                    flag(keys::thread_keys_may_collide(&thread)),
                    flag(expect_latest.is_some()),
                    &expect,
                    &parent_id,
                    parent_raw,
                ],
            )
            .await
            .map_err(driver_error(&context))?;
        let reply = Reply::parse(value, &context)?;
        match reply.tag() {
            b"ok" => Ok(true),
            b"parent_changed" => Ok(false),
            b"duplicate" => Err(Error::duplicate_id(&id, &thread)),
            b"stale" => {
                let latest = reply.text(0);
                Err(Error::stale_latest(
                    expect_latest.flatten(),
                    &thread,
                    Some(latest).filter(|l| !l.is_empty()),
                ))
            }
            b"foreign" => Err(Error::conflict(
                ConflictKind::ForeignKeys,
                format!(
                "redis keys {bystep} and {byid} already hold checkpoint {} of tenant {:?} thread {:?}; \
                 refusing to mix another thread's records into them",
                reply.text(0),
                reply.text(1),
                reply.text(2)
            ),
            )),
            b"undecodable" => Err(Error::corrupt(
                record_name(&thread, &reply.text(0)),
                "its owner cannot be read, so nothing is written into the keys it may share",
            )),
            _ => Err(unexpected(&context, &reply)),
        }
    }
}

/// A reply the scripts never give.
pub(super) fn unexpected(context: &str, reply: &Reply) -> Error {
    Error::backend(
        KIND.name(),
        context.to_string(),
        std::io::Error::other(format!(
            "unexpected script reply {:?}",
            String::from_utf8_lossy(reply.tag())
        )),
    )
}

impl CheckpointBackend for RedisBackend {
    fn write_version(&self) -> EnvelopeVersion {
        self.write_version.get()
    }

    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
    ) -> Result<()> {
        let version = self.write_version.get();
        let cp = &prepare_new_write(cp, version)?;
        self.write(cp, version, expect_latest, None).await.map(drop)
    }

    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        let newest = match self.newest(thread, Some(1)).await? {
            Some(newest) => newest,
            None => self.walk(thread, None, Some(1)).await?,
        };
        Ok(newest.into_iter().next())
    }

    async fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> Result<Option<StoredCheckpoint>> {
        let field = id.to_string();
        let raw: Option<Vec<u8>> = redis::cmd("HGET")
            .arg(keys::byid(thread))
            .arg(&field)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("reading checkpoint {id} of {thread}")))?;
        match raw {
            Some(raw) => Self::decode_owned(thread, &field, &raw),
            None => Ok(None),
        }
    }

    async fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> Result<Vec<StoredCheckpoint>> {
        if before.is_none() {
            if limit == Some(0) {
                return Ok(Vec::new());
            }
            if let Some(newest) = self.newest(thread, limit).await? {
                return Ok(newest);
            }
        }
        self.walk(thread, before, limit).await
    }

    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        let version = self.write_version.get();
        let metadata = Origin::fork_metadata(thread, parent, metadata, version)?;
        let field = parent.to_string();
        let not_found = || Error::NotFound(format!("checkpoint {parent} in thread {thread}"));
        // Each attempt fills in what it read of the parent; the state moves
        // from one attempt to the next instead of being copied for each.
        let mut cp = Checkpoint {
            metadata,
            ..Checkpoint::new(thread, Some(parent), 0, state, None)
        };
        for _ in 0..FORK_ATTEMPTS {
            let raw: Option<Vec<u8>> = redis::cmd("HGET")
                .arg(keys::byid(thread))
                .arg(&field)
                .query_async(&mut self.conn())
                .await
                .map_err(|e| {
                    driver_error(format!("reading fork parent {parent} of {thread}"))(e)
                })?;
            let raw = raw.ok_or_else(not_found)?;
            let from = Self::decode_owned(thread, &field, &raw)?.ok_or_else(not_found)?;
            cp.step = from.checkpoint.step.checked_add(1).ok_or_else(|| {
                Error::corrupt(record_name(thread, &field), "step is at its maximum")
            })?;
            cp.id = CheckpointId::new_v7();
            cp.next_node = from.checkpoint.next_node;
            cp.timestamp = now_micros();
            // decode_owned succeeded, so the envelope is UTF-8.
            let parent_raw = String::from_utf8_lossy(&raw);
            if self
                .write(&cp, version, None, Some((parent, &parent_raw)))
                .await?
            {
                return Ok(StoredCheckpoint {
                    checkpoint: cp,
                    schema_version: version,
                });
            }
        }
        Err(Error::conflict(
            ConflictKind::ParentChanged,
            format!(
                "checkpoint {parent} of {thread} kept changing while forking from it; try again"
            ),
        ))
    }
}
