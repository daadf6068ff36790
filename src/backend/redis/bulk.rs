//! Bulk work: record pages with per-record results (`page.lua`), batched
//! writes in one script call (`write_batch.lua`), and version counts read
//! from the envelopes (Redis cannot count inside documents by itself).

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;

use super::checkpoints::{record_name, unexpected, MAX_EXACT_SCORE};
use super::scripts::{Reply, DELETE, PAGE, WRITE_BATCH};
use super::{driver, keys, RedisBackend};
use crate::backend::bulk::{
    check_batch, same_content, BulkCheckpoints, BulkDeletes, ConflictKind, RecordCursor,
    RecordOutcome, RecordPage, ThreadDeletion, ThreadListing, ThreadSelection, UnreadableRecord,
    VersionCounts, WriteMode,
};
use crate::backend::schema::{SchemaAdmin, SchemaStatus};
use crate::error::{Error, Result};
use crate::model::envelope::encode_document;
use crate::model::{CheckpointId, EnvelopeVersion, StoredCheckpoint, ThreadKey};

/// Hash fields per HSCAN call when counting versions.
const HSCAN_COUNT: usize = 500;

/// Threads per enumeration page when counting versions.
const THREADS_PER_PAGE: usize = 500;

/// A boolean script argument.
fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

/// One HSCAN reply: the next cursor and (field, value) pairs.
type HscanReply = (u64, Vec<(Vec<u8>, Vec<u8>)>);

/// Just what counting needs of an envelope document.
#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<Value>,
    body: Option<BodyProbe>,
}

#[derive(Deserialize)]
struct BodyProbe {
    tenant_id: Option<String>,
    thread_id: Option<String>,
    metadata: Option<Value>,
}

impl RedisBackend {
    /// Counts one thread's envelopes by version into `counts`.
    async fn count_thread(&self, thread: &ThreadKey, counts: &mut VersionCounts) -> Result<()> {
        let byid = keys::byid(thread);
        let check_owner = thread.may_collide_on_redis();
        let mut conn = self.conn();
        let mut cursor = 0u64;
        loop {
            let (next, items): HscanReply = redis::cmd("HSCAN")
                .arg(&byid)
                .arg(cursor)
                .arg("COUNT")
                .arg(HSCAN_COUNT)
                .query_async(&mut conn)
                .await
                .map_err(driver(format!("counting envelopes of {thread}")))?;
            for (_, raw) in items {
                let Ok(probe) = serde_json::from_slice::<VersionProbe>(&raw) else {
                    counts.unversioned += 1;
                    continue;
                };
                if check_owner {
                    let owner = probe
                        .body
                        .as_ref()
                        .map(|b| (b.tenant_id.as_deref(), b.thread_id.as_deref()));
                    if owner != Some((Some(thread.tenant.as_str()), Some(thread.thread.as_str()))) {
                        continue;
                    }
                }
                let version = probe
                    .schema_version
                    .as_ref()
                    .and_then(Value::as_i64)
                    .and_then(|n| EnvelopeVersion::from_number(n, "").ok());
                match version {
                    Some(v) => *counts.by_version.entry(v.number()).or_default() += 1,
                    None => counts.unversioned += 1,
                }
                let metadata = probe.body.and_then(|b| b.metadata);
                if metadata
                    .as_ref()
                    .and_then(Value::as_object)
                    .is_some_and(|m| !m.is_empty())
                {
                    counts.with_metadata += 1;
                }
            }
            cursor = next;
            if cursor == 0 {
                return Ok(());
            }
        }
    }
}

impl BulkCheckpoints for RedisBackend {
    async fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> Result<RecordPage> {
        let limit = limit.max(1);
        let (bystep, byid) = (keys::bystep(thread), keys::byid(thread));
        let (after_step, after_id) = after
            .map(|c| (c.step.to_string(), c.id.clone()))
            .unwrap_or_default();
        let context = format!("reading a page of checkpoints of {thread}");
        let value = PAGE
            .run(
                &mut self.conn(),
                &[&bystep, &byid],
                &[
                    &limit.to_string(),
                    flag(thread.may_collide_on_redis()),
                    thread.tenant.as_str(),
                    thread.thread.as_str(),
                    &after_step,
                    &after_id,
                ],
            )
            .await
            .map_err(driver(&context))?;
        let reply = Reply::parse(value, &context)?;
        if reply.tag() != b"ok" {
            return Err(unexpected(&context, &reply));
        }
        let mut page = RecordPage::default();
        let mut last = None;
        for entry in reply.rest().chunks(4) {
            let [member, score, present, raw] = entry else {
                return Err(unexpected(&context, &reply));
            };
            let id = String::from_utf8_lossy(member).into_owned();
            let step = String::from_utf8_lossy(score)
                .parse::<f64>()
                .ok()
                .filter(|s| *s >= 0.0)
                .map(|s| s as u64);
            last = Some(RecordCursor {
                step: step.unwrap_or(0),
                id: id.clone(),
            });
            let unreadable = |error| {
                Box::new(UnreadableRecord {
                    thread: thread.clone(),
                    id: id.clone(),
                    error,
                })
            };
            let read = if present.as_slice() == b"0" {
                Err(unreadable(Error::corrupt(
                    format!("checkpoint {id} of {thread} (redis sorted set {bystep})"),
                    format!("listed in {bystep} but has no envelope in {byid}"),
                )))
            } else {
                match Self::decode_owned(thread, &id, raw) {
                    Ok(Some(stored)) if Some(stored.checkpoint.step) == step => Ok(stored),
                    Ok(Some(stored)) => Err(unreadable(Error::corrupt(
                        record_name(thread, &id),
                        format!(
                            "its envelope says step {} but {bystep} scores it {}",
                            stored.checkpoint.step,
                            String::from_utf8_lossy(score)
                        ),
                    ))),
                    Ok(None) => continue,
                    Err(error) => Err(unreadable(error)),
                }
            };
            page.records.push(read);
        }
        let returned = reply.rest().len() / 4;
        page.next = last.filter(|_| returned >= limit);
        Ok(page)
    }

    async fn write_batch(
        &self,
        thread: &ThreadKey,
        records: &[StoredCheckpoint],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_batch(thread, records)?;
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<String> = vec![
            if mode == WriteMode::Replace {
                "replace"
            } else {
                "new"
            }
            .to_string(),
            flag(thread.may_collide_on_redis()).to_string(),
            thread.tenant.as_str().to_string(),
            thread.thread.as_str().to_string(),
        ];
        for record in records {
            let cp = &record.checkpoint;
            if cp.step > MAX_EXACT_SCORE {
                return Err(Error::invalid(
                    "step",
                    format!(
                        "{} is above {MAX_EXACT_SCORE}, the largest step a Redis sorted-set score keeps exactly",
                        cp.step
                    ),
                ));
            }
            args.push(cp.id.to_string());
            args.push(cp.step.to_string());
            args.push(encode_document(cp, record.schema_version));
        }
        let (bystep, byid) = (keys::bystep(thread), keys::byid(thread));
        let context = format!(
            "writing a batch of {} checkpoints of {thread}",
            records.len()
        );
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let value = WRITE_BATCH
            .run(&mut self.conn(), &[&bystep, &byid], &arg_refs)
            .await
            .map_err(driver(&context))?;
        let reply = Reply::parse(value, &context)?;
        match reply.tag() {
            b"ok" => {}
            b"foreign" => {
                tracing::warn!(
                    "redis keys {bystep} and {byid} hold checkpoint {} of tenant {:?} thread {:?}; \
                     nothing of {thread} is written into them",
                    reply.text(0),
                    reply.text(1),
                    reply.text(2)
                );
                return Ok(vec![
                    RecordOutcome::Conflict(ConflictKind::ForeignKeys);
                    records.len()
                ]);
            }
            b"undecodable" => {
                return Err(Error::corrupt(
                    record_name(thread, &reply.text(0)),
                    "its owner cannot be read, so nothing is written into the keys it may share",
                ))
            }
            _ => return Err(unexpected(&context, &reply)),
        }
        let entries = reply.rest().chunks(2);
        if entries.len() != records.len() {
            return Err(unexpected(&context, &reply));
        }
        Ok(records
            .iter()
            .zip(entries)
            .map(|(record, entry)| match entry {
                [outcome, _] if outcome.as_slice() == b"w" => RecordOutcome::Written,
                [_, stored] => {
                    let id = record.checkpoint.id.to_string();
                    let identical = mode == WriteMode::SkipIdentical
                        && Self::decode_owned(thread, &id, stored)
                            .ok()
                            .flatten()
                            .is_some_and(|s| same_content(&s, record));
                    if identical {
                        RecordOutcome::Unchanged
                    } else {
                        RecordOutcome::Conflict(ConflictKind::DuplicateId)
                    }
                }
                _ => RecordOutcome::Conflict(ConflictKind::DuplicateId),
            })
            .collect())
    }

    async fn count_by_version(&self, selection: &ThreadSelection) -> Result<VersionCounts> {
        let mut counts = VersionCounts::default();
        // SCAN may return a key twice: count each thread once. Hashes keep
        // this to 8 bytes a thread.
        let mut seen: HashSet<u64> = HashSet::new();
        let mut cursor = None;
        loop {
            let page = self
                .thread_page(selection, cursor.as_ref(), THREADS_PER_PAGE)
                .await?;
            for thread in &page.threads {
                if seen.insert(crate::lock_key::LockKey::session(thread).hash()) {
                    self.count_thread(thread, &mut counts).await?;
                }
            }
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(counts),
            }
        }
    }
}

impl RedisBackend {
    /// Runs `delete.lua` for `thread` (`what`: `ids` or `thread`).
    async fn delete(
        &self,
        thread: &ThreadKey,
        what: &str,
        ids: &[CheckpointId],
    ) -> Result<ThreadDeletion> {
        let keys = [
            keys::bystep(thread),
            keys::byid(thread),
            keys::events(thread),
            keys::watermark(thread),
        ];
        let mut args = vec![
            what.to_string(),
            flag(thread.may_collide_on_redis()).to_string(),
            thread.tenant.as_str().to_string(),
            thread.thread.as_str().to_string(),
        ];
        args.extend(ids.iter().map(CheckpointId::to_string));
        let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let context = format!("deleting checkpoints of {thread}");
        let value = DELETE
            .run(&mut self.conn(), &key_refs, &arg_refs)
            .await
            .map_err(driver(&context))?;
        let reply = Reply::parse(value, &context)?;
        if reply.tag() != b"ok" {
            return Err(unexpected(&context, &reply));
        }
        Ok(ThreadDeletion {
            checkpoints: reply.number(0, &context)?,
            events: reply.number(1, &context)?,
            shared_log_kept: reply.text(2) == "1",
        })
    }
}

impl BulkDeletes for RedisBackend {
    async fn delete_checkpoints(&self, thread: &ThreadKey, ids: &[CheckpointId]) -> Result<u64> {
        if ids.is_empty() {
            return Ok(0);
        }
        Ok(self.delete(thread, "ids", ids).await?.checkpoints)
    }

    async fn delete_thread(&self, thread: &ThreadKey) -> Result<ThreadDeletion> {
        let deletion = self.delete(thread, "thread", &[]).await?;
        if deletion.shared_log_kept {
            tracing::warn!(
                "the session log keys of {thread} may also be another thread's (ids contain ':'), \
                 whose checkpoints remain there: the log was kept"
            );
        }
        Ok(deletion)
    }
}

impl SchemaAdmin for RedisBackend {
    /// Redis has no schema: nothing to report.
    async fn schema_status(&self) -> Result<SchemaStatus> {
        Ok(SchemaStatus::default())
    }

    /// Redis has no schema: nothing to create.
    async fn apply_schema(&self) -> Result<SchemaStatus> {
        Ok(SchemaStatus::default())
    }
}
