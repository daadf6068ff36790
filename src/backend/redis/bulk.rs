//! Bulk work: record pages with per-record results (`page.lua`), batched
//! writes in one script call (`write_batch.lua`), and version counts read
//! from the envelopes (Redis cannot count inside documents by itself).

use serde::Deserialize;
use serde_json::Value;

use super::checkpoints::{record_name, unexpected, MAX_EXACT_SCORE};
use super::scan::FieldScan;
use super::scripts::{Reply, CLAIM_STAGED, DELETE, PAGE, WRITE_BATCH};
use super::{driver_error, keys, RedisBackend};
use crate::backend::bulk::{
    check_batch, same_content, BulkCheckpoints, BulkDeletes, ConflictKind, RecordCursor,
    RecordFault, RecordOutcome, RecordPage, Repeats, ThreadDeletion, ThreadListing,
    ThreadSelection, UnreadableRecord, VersionCounts, WriteMode,
};
use crate::backend::schema::{SchemaAdmin, SchemaStatus};
use crate::error::{Error, Result};
use crate::model::envelope::{decode_document, encode_document};
use crate::model::{CheckpointId, EnvelopeVersion, StoredCheckpoint, ThreadKey};

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

/// What counting learns of one envelope.
#[derive(Debug, PartialEq, Eq)]
enum Probe {
    /// At a supported version; `metadata` when it has non-empty metadata.
    At { version: u32, metadata: bool },
    /// Missing, unsupported or unreadable version.
    Unversioned,
}

/// The end of a compact v2 document whose metadata is empty, as threadctl
/// writes it (`encode_document`): its body's last two members.
const EMPTY_METADATA_TAIL: &str = r#""metadata":{},"checksum":"sha256:"#;

/// Reads an envelope's version without decoding the whole document when
/// its compact shape shows it: threadctl writes `schema_version` first,
/// the reference (sorted keys) last; anything else is parsed.
fn probe(raw: &[u8]) -> Probe {
    let text = std::str::from_utf8(raw).unwrap_or_default();
    if let Some(rest) = text.strip_prefix(r#"{"schema_version":"#) {
        match rest.as_bytes().first() {
            Some(b'1') if rest[1..].starts_with(',') => {
                return Probe::At {
                    version: 1,
                    metadata: false,
                }
            }
            Some(b'2') if rest[1..].starts_with(',') => {
                // `"checksum":"sha256:` + 64 hex digits + `"}}` end it.
                let tail = text.len().checked_sub(EMPTY_METADATA_TAIL.len() + 64 + 3);
                if tail.is_some_and(|at| text[at..].starts_with(EMPTY_METADATA_TAIL)) {
                    return Probe::At {
                        version: 2,
                        metadata: false,
                    };
                }
            }
            _ => {}
        }
    } else if text.ends_with(r#"},"schema_version":1}"#) && text.starts_with(r#"{"body":{"#) {
        return Probe::At {
            version: 1,
            metadata: false,
        };
    }
    parsed_probe(raw, None).unwrap_or(Probe::Unversioned)
}

/// [`probe`] for keys two pairs may share: `None` for another pair's
/// record (the owner needs a full parse).
fn probe_owned(raw: &[u8], thread: &ThreadKey) -> Option<Probe> {
    parsed_probe(raw, Some(thread))
}

/// Decodes the probe fields of a document; with `owner`, `None` unless
/// the record names that pair.
fn parsed_probe(raw: &[u8], owner: Option<&ThreadKey>) -> Option<Probe> {
    let Ok(doc) = serde_json::from_slice::<VersionProbe>(raw) else {
        return Some(Probe::Unversioned);
    };
    if let Some(thread) = owner {
        let named = doc
            .body
            .as_ref()
            .map(|b| (b.tenant_id.as_deref(), b.thread_id.as_deref()));
        if named != Some((Some(thread.tenant.as_str()), Some(thread.thread.as_str()))) {
            return None;
        }
    }
    let version = doc
        .schema_version
        .as_ref()
        .and_then(Value::as_i64)
        .and_then(|n| EnvelopeVersion::from_number(n, "").ok());
    Some(match version {
        Some(v) => Probe::At {
            version: v.number(),
            metadata: doc
                .body
                .and_then(|b| b.metadata)
                .as_ref()
                .and_then(Value::as_object)
                .is_some_and(|m| !m.is_empty()),
        },
        None => Probe::Unversioned,
    })
}

impl RedisBackend {
    /// Counts one thread's envelopes by version into `counts`.
    async fn count_thread(&self, thread: &ThreadKey, counts: &mut VersionCounts) -> Result<()> {
        let check_owner = keys::thread_keys_may_collide(thread);
        let mut conn = self.conn();
        let mut scan = FieldScan::new(keys::byid(thread));
        let doing = format!("counting envelopes of {thread}");
        while let Some(items) = scan.next_batch(&mut conn, &doing).await? {
            for (_, raw) in items {
                let seen = if check_owner {
                    probe_owned(&raw, thread)
                } else {
                    Some(probe(&raw))
                };
                match seen {
                    None => {}
                    Some(Probe::Unversioned) => counts.unversioned += 1,
                    Some(Probe::At { version, metadata }) => {
                        *counts.by_version.entry(version).or_default() += 1;
                        counts.with_metadata += u64::from(metadata);
                    }
                }
            }
        }
        Ok(())
    }
}

impl RedisBackend {
    /// Whether an envelope that failed to decode under `thread` does
    /// decode, but names another pair: misplaced rather than undecodable.
    fn fault_of(thread: &ThreadKey, raw: &[u8]) -> RecordFault {
        let named = std::str::from_utf8(raw)
            .ok()
            .and_then(|text| decode_document(text, "").ok())
            .map(|stored| stored.checkpoint.thread_key());
        match named {
            Some(owner) if owner != *thread => RecordFault::Misplaced,
            _ => RecordFault::Undecodable,
        }
    }

    /// The fields of `byid` among `fields` that `bystep` does not list,
    /// and whose envelope is `thread`'s own (or undecodable) when two
    /// pairs may share the keys.
    async fn unlisted(
        &self,
        thread: &ThreadKey,
        bystep: &str,
        items: Vec<(String, Vec<u8>)>,
    ) -> Result<Vec<String>> {
        let mut pipe = redis::pipe();
        for (field, _) in &items {
            pipe.cmd("ZSCORE").arg(bystep).arg(field);
        }
        let scores: Vec<Option<String>> = pipe
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("looking up the index of {thread}")))?;
        let check_owner = keys::thread_keys_may_collide(thread);
        Ok(items
            .into_iter()
            .zip(scores)
            .filter(|(_, score)| score.is_none())
            .filter(|((field, raw), _)| {
                !check_owner || !matches!(Self::decode_owned(thread, field, raw), Ok(None))
            })
            .map(|((field, _), _)| field)
            .collect())
    }
}

impl BulkCheckpoints for RedisBackend {
    async fn unindexed_records(&self, thread: &ThreadKey) -> Result<Vec<String>> {
        let bystep = keys::bystep(thread);
        let mut conn = self.conn();
        let mut scan = FieldScan::new(keys::byid(thread));
        let doing = format!("scanning the envelopes of {thread}");
        let mut unlisted = Vec::new();
        while let Some(items) = scan.next_batch(&mut conn, &doing).await? {
            if !items.is_empty() {
                let items = items
                    .into_iter()
                    .map(|(field, raw)| (String::from_utf8_lossy(&field).into_owned(), raw))
                    .collect();
                unlisted.extend(self.unlisted(thread, &bystep, items).await?);
            }
        }
        // HSCAN may return a field twice.
        unlisted.sort_unstable();
        unlisted.dedup();
        Ok(unlisted)
    }

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
                    flag(keys::thread_keys_may_collide(thread)),
                    thread.tenant.as_str(),
                    thread.thread.as_str(),
                    &after_step,
                    &after_id,
                ],
            )
            .await
            .map_err(driver_error(&context))?;
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
            let unreadable = |fault, error| {
                Box::new(UnreadableRecord {
                    thread: thread.clone(),
                    id: id.clone(),
                    fault,
                    error,
                })
            };
            let read = if present.as_slice() == b"0" {
                Err(unreadable(
                    RecordFault::NoEnvelope,
                    Error::corrupt(
                        format!("checkpoint {id} of {thread} (redis sorted set {bystep})"),
                        format!("listed in {bystep} but has no envelope in {byid}"),
                    ),
                ))
            } else {
                match Self::decode_owned(thread, &id, raw) {
                    Ok(Some(stored)) if Some(stored.checkpoint.step) == step => Ok(stored),
                    Ok(Some(stored)) => Err(unreadable(
                        RecordFault::Undecodable,
                        Error::corrupt(
                            record_name(thread, &id),
                            format!(
                                "its envelope says step {} but {bystep} scores it {}",
                                stored.checkpoint.step,
                                String::from_utf8_lossy(score)
                            ),
                        ),
                    )),
                    Ok(None) => continue,
                    Err(error) => Err(unreadable(Self::fault_of(thread, raw), error)),
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
            flag(keys::thread_keys_may_collide(thread)).to_string(),
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
        let triples = args[4..].chunks_exact(3);
        if mode == WriteMode::Replace && !keys::thread_keys_may_collide(thread) {
            // Nothing to check: one MULTI of two native commands, which
            // costs the server far less than a script handling the bytes.
            let mut pipe = redis::pipe();
            pipe.atomic();
            add_batch(&mut pipe, &byid, &bystep, triples);
            pipe.query_async::<()>(&mut self.conn())
                .await
                .map_err(driver_error(&context))?;
            return Ok(vec![RecordOutcome::Written; records.len()]);
        }
        if self.holds_none(&byid, &bystep, &context).await?
            && self.write_staged(&byid, &bystep, triples, &context).await?
        {
            return Ok(vec![RecordOutcome::Written; records.len()]);
        }
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let value = WRITE_BATCH
            .run(&mut self.conn(), &[&bystep, &byid], &arg_refs)
            .await
            .map_err(driver_error(&context))?;
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
        // SCAN may return a key twice: count each thread once.
        let mut seen = Repeats::new(self.pages_may_repeat());
        let mut cursor = None;
        loop {
            let page = self
                .thread_page(selection, cursor.as_ref(), THREADS_PER_PAGE)
                .await?;
            for thread in &page.threads {
                if seen.first_time(thread) {
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

/// Adds to `pipe` the native writes of a batch of `(id, step, envelope)`
/// triples: one `HSET` of the envelopes into `byid`, one `ZADD` of the
/// steps into `bystep`.
fn add_batch<'a>(
    pipe: &mut redis::Pipeline,
    byid: &str,
    bystep: &str,
    triples: impl Iterator<Item = &'a [String]> + Clone,
) {
    let hset = pipe.cmd("HSET").arg(byid);
    for triple in triples.clone() {
        hset.arg(&triple[0]).arg(&triple[2]);
    }
    hset.ignore();
    let zadd = pipe.cmd("ZADD").arg(bystep);
    for triple in triples {
        zadd.arg(&triple[1]).arg(&triple[0]);
    }
    zadd.ignore();
}

/// How long staged keys outlive a claim that failed halfway (they are
/// renamed or deleted in the transaction that made them otherwise).
const STAGING_TTL_MS: u64 = 60_000;

impl RedisBackend {
    /// True when the thread keys `byid` and `bystep` do not exist: the
    /// thread is new to this store, so far.
    async fn holds_none(&self, byid: &str, bystep: &str, context: &str) -> Result<bool> {
        let present: u64 = redis::cmd("EXISTS")
            .arg(byid)
            .arg(bystep)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(context))?;
        Ok(present == 0)
    }

    /// Writes a batch into a thread the store does not hold, with native
    /// commands rather than a script handling every byte: the batch is
    /// staged under keys of its own and, in the same `MULTI`,
    /// `claim_staged.lua` renames them into the thread's keys, if these
    /// still do not exist. False when they do (another writer came first):
    /// nothing was written, and the caller writes through the checks of
    /// `write_batch.lua`.
    async fn write_staged<'a>(
        &self,
        byid: &str,
        bystep: &str,
        triples: impl Iterator<Item = &'a [String]> + Clone,
        context: &str,
    ) -> Result<bool> {
        let (staged_byid, staged_bystep) = keys::staging();
        let mut pipe = redis::pipe();
        pipe.atomic();
        add_batch(&mut pipe, &staged_byid, &staged_bystep, triples);
        for staged in [&staged_byid, &staged_bystep] {
            pipe.cmd("PEXPIRE").arg(staged).arg(STAGING_TTL_MS).ignore();
        }
        CLAIM_STAGED.eval_in(
            &mut pipe,
            &[&staged_byid, &staged_bystep, byid, bystep],
            &[],
        );
        let (value,): (redis::Value,) = pipe
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(context))?;
        let reply = Reply::parse(value, context)?;
        match reply.tag() {
            b"claimed" => Ok(true),
            b"taken" => Ok(false),
            _ => Err(unexpected(context, &reply)),
        }
    }

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
            flag(keys::thread_keys_may_collide(thread)).to_string(),
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
            .map_err(driver_error(&context))?;
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::Checkpoint;

    #[test]
    fn the_fast_probe_agrees_with_a_full_parse() {
        let thread = ThreadKey::new("acme", "t1").unwrap();
        let mut cp = Checkpoint::new(
            &thread,
            None,
            3,
            json!({"schema_version": 9, "x": "}}"}),
            None,
        );
        let plain_v2 = encode_document(&cp, EnvelopeVersion::V2);
        cp.metadata.insert("source".into(), json!("put"));
        let cases = [
            encode_document(&cp, EnvelopeVersion::V1),
            plain_v2,
            encode_document(&cp, EnvelopeVersion::V2),
            r#"{"body":{"id":"x","state":{"schema_version":2}},"schema_version":1}"#.to_string(),
            r#"{"body":{"metadata":{"a":1}},"schema_version":2}"#.to_string(),
            r#"{"schema_version": 2, "body": {"metadata": {}}}"#.to_string(),
            r#"{"schema_version":7,"body":{}}"#.to_string(),
            "not json".to_string(),
        ];
        for raw in cases {
            assert_eq!(
                probe(raw.as_bytes()),
                parsed_probe(raw.as_bytes(), None).unwrap(),
                "{raw}"
            );
        }
    }
}
