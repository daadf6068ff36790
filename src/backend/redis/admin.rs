//! Cross-thread work: enumerating tenants, threads and locks (SCAN in
//! batches), the write version, and lock administration.
//!
//! Tenant and thread are joined by `:` in keys, so a key with several `:`
//! has several readings; the pair is then taken from the stored records
//! themselves (HSCAN in batches).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::link::Conn;
use super::lock::{holder_fingerprint, release_token};
use super::scan::{FieldScan, KeyScan};
use super::{driver_error, keys, parse_write_version, RedisBackend};
use crate::backend::bulk::{SummarySink, ThreadCursor, ThreadListing, ThreadPage, ThreadSelection};
use crate::backend::lock::{bulk_label, LockGuard};
use crate::backend::traits::{
    BulkOperation, LockAdmin, LockInfo, ThreadSummary, WriteVersionAdmin,
};
use crate::error::{Error, Result};
use crate::lock_key::LockKey;
use crate::model::envelope::decode_document;
use crate::model::{CheckpointId, EnvelopeVersion, Namespace, TenantId, ThreadKey};

/// The `{tenant}:{thread}` part of a checkpoint `bystep` key.
pub(super) fn joined_of_bystep(key: &str) -> Option<&str> {
    key.strip_prefix(keys::CHECKPOINT_PREFIX)?
        .strip_suffix(keys::BYSTEP_SUFFIX)
}

/// Tenants whose store keys could start with `rest` (the text after
/// `entelix:store:`): `{tenant}:{escaped tenant}:…`.
fn store_tenants(rest: &str) -> Vec<TenantId> {
    rest.match_indices(':')
        .filter_map(|(i, _)| {
            let tenant = TenantId::new(&rest[..i]).ok()?;
            let escaped = Namespace::new(tenant.clone(), Vec::<String>::new()).render();
            rest[i + 1..]
                .strip_prefix(&escaped)?
                .starts_with(':')
                .then_some(tenant)
        })
        .collect()
}

/// Latest checkpoint (by step, then id) and count of one pair.
struct Tally {
    count: u64,
    latest: Option<(u64, CheckpointId, DateTime<Utc>)>,
}

impl RedisBackend {
    /// Summaries of pairs that own their keys alone, in the order given:
    /// one pipeline of ZCARD and ZREVRANGE for the counts and latest ids,
    /// one of HGET for the latest envelopes. A latest checkpoint that
    /// cannot be read is warned about and left out of its summary.
    async fn summarize_alone(&self, threads: Vec<ThreadKey>) -> Result<Vec<ThreadSummary>> {
        if threads.is_empty() {
            return Ok(Vec::new());
        }
        let context = || format!("summarizing {} threads", threads.len());
        let mut conn = self.conn();
        let mut heads = redis::pipe();
        for thread in &threads {
            let bystep = keys::bystep(thread);
            heads.cmd("ZCARD").arg(&bystep);
            heads.cmd("ZREVRANGE").arg(&bystep).arg(0).arg(0);
        }
        let replies: Vec<redis::Value> = heads
            .query_async(&mut conn)
            .await
            .map_err(driver_error(context()))?;
        let mut counts = Vec::with_capacity(threads.len());
        let mut reads = redis::pipe();
        let mut latest_ids = Vec::new();
        for (thread, pair) in threads.iter().zip(replies.chunks(2)) {
            let [count, newest] = pair else {
                return Err(Error::corrupt(context(), "a pipeline reply is missing"));
            };
            counts.push(redis::from_redis_value::<u64>(count).map_err(driver_error(context()))?);
            let ids: Vec<String> =
                redis::from_redis_value(newest).map_err(driver_error(context()))?;
            let id = ids.into_iter().next();
            if let Some(id) = &id {
                reads.cmd("HGET").arg(keys::byid(thread)).arg(id);
            }
            latest_ids.push(id);
        }
        let mut envelopes = if latest_ids.iter().any(Option::is_some) {
            let raw: Vec<Option<Vec<u8>>> = reads
                .query_async(&mut conn)
                .await
                .map_err(driver_error(context()))?;
            raw.into_iter()
        } else {
            Vec::new().into_iter()
        };
        let mut summaries = Vec::with_capacity(threads.len());
        for ((thread, count), id) in threads.into_iter().zip(counts).zip(latest_ids) {
            let latest = match id {
                Some(id) => match envelopes.next().flatten() {
                    Some(raw) => match Self::decode_owned(&thread, &id, &raw) {
                        Ok(latest) => latest,
                        Err(e @ (Error::Corrupt { .. } | Error::UnsupportedVersion { .. })) => {
                            tracing::warn!(thread = %thread, "cannot read the latest checkpoint: {e}");
                            None
                        }
                        Err(e) => return Err(e),
                    },
                    None => {
                        tracing::warn!(
                            thread = %thread,
                            "the latest checkpoint {id} is listed in {} but has no envelope",
                            keys::bystep(&thread)
                        );
                        None
                    }
                },
                None => None,
            };
            summaries.push(ThreadSummary {
                thread,
                checkpoints: count,
                latest_step: latest.as_ref().map(|l| l.checkpoint.step),
                last_write: latest.map(|l| l.checkpoint.timestamp),
            });
        }
        Ok(summaries)
    }

    /// Summaries of the pairs sharing one key, read from the records.
    pub(super) async fn summarize_shared(
        &self,
        bystep: &str,
        candidates: &[ThreadKey],
        tenant: Option<&TenantId>,
    ) -> Result<Vec<ThreadSummary>> {
        let Some(byid) = keys::byid_of_bystep(bystep) else {
            return Ok(Vec::new());
        };
        let mut tallies: BTreeMap<ThreadKey, Tally> = BTreeMap::new();
        let mut conn = self.conn();
        let mut scan = FieldScan::new(byid.clone());
        let doing = format!("scanning {byid}");
        while let Some(items) = scan.next_batch(&mut conn, &doing).await? {
            for (field, raw) in items {
                let field = String::from_utf8_lossy(&field);
                let record = format!("checkpoint {field} (redis hash {byid})");
                let decoded = std::str::from_utf8(&raw)
                    .map_err(|_| Error::corrupt(&record, "envelope is not valid UTF-8"))
                    .and_then(|text| decode_document(text, &record));
                let cp = match decoded {
                    Ok(stored) => stored.checkpoint,
                    Err(e) => {
                        tracing::warn!(
                            "skipping an unreadable checkpoint while listing threads: {e}"
                        );
                        continue;
                    }
                };
                let owner = cp.thread_key();
                if !candidates.contains(&owner) {
                    tracing::warn!(
                        "{record} names tenant {:?} thread {:?}, which cannot be stored there",
                        owner.tenant.as_str(),
                        owner.thread.as_str()
                    );
                    continue;
                }
                if tenant.is_some_and(|t| *t != owner.tenant) {
                    continue;
                }
                let tally = tallies.entry(owner).or_insert(Tally {
                    count: 0,
                    latest: None,
                });
                tally.count += 1;
                let candidate = (cp.step, cp.id, cp.timestamp);
                if tally
                    .latest
                    .is_none_or(|(step, id, _)| (cp.step, cp.id) > (step, id))
                {
                    tally.latest = Some(candidate);
                }
            }
        }
        Ok(tallies
            .into_iter()
            .map(|(thread, tally)| ThreadSummary {
                thread,
                checkpoints: tally.count,
                latest_step: tally.latest.map(|(step, _, _)| step),
                last_write: tally.latest.map(|(_, _, ts)| ts),
            })
            .collect())
    }

    /// Tenants of session logs and store items (checkpoint tenants come
    /// from `known`, used to settle ambiguous session keys).
    async fn other_tenants(&self, known: &BTreeSet<ThreadKey>) -> Result<BTreeSet<TenantId>> {
        let mut tenants = BTreeSet::new();
        let mut conn = self.conn();
        let mut scan = KeyScan::new(format!("{}*", keys::SESSION_PREFIX));
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            for key in batch {
                let Some(joined) = key.strip_prefix(keys::SESSION_PREFIX).and_then(|k| {
                    k.strip_suffix(keys::EVENTS_SUFFIX)
                        .or_else(|| k.strip_suffix(keys::WATERMARK_SUFFIX))
                }) else {
                    continue;
                };
                let candidates = keys::thread_candidates(joined);
                match candidates.as_slice() {
                    [only] => {
                        tenants.insert(only.tenant.clone());
                    }
                    several => {
                        let settled: Vec<_> =
                            several.iter().filter(|c| known.contains(*c)).collect();
                        if settled.is_empty() {
                            tracing::warn!(
                                key = %key,
                                "cannot tell which tenant owns this event log (ids contain ':')"
                            );
                        }
                        tenants.extend(settled.into_iter().map(|c| c.tenant.clone()));
                    }
                }
            }
        }
        let mut scan = KeyScan::new(format!("{}*", keys::STORE_PREFIX));
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            for key in batch {
                if let Some(rest) = key.strip_prefix(keys::STORE_PREFIX) {
                    tenants.extend(store_tenants(rest));
                }
            }
        }
        Ok(tenants)
    }

    /// Holder and remaining TTL of each lock key, in one round trip. The
    /// holder is shown by a fingerprint of its token, never the token
    /// itself, which would let anyone reading it release the lock.
    async fn lock_infos(&self, lock_keys: Vec<String>) -> Result<Vec<LockInfo>> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for key in &lock_keys {
            pipe.cmd("GET").arg(key).cmd("PTTL").arg(key);
        }
        let replies: Vec<(Option<String>, i64)> = pipe
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error("reading session locks"))?;
        Ok(lock_keys
            .into_iter()
            .zip(replies)
            .map(|(key, (token, pttl))| LockInfo {
                key,
                held: token.is_some(),
                ttl_remaining: (token.is_some() && pttl >= 0)
                    .then(|| Duration::from_millis(pttl as u64)),
                holder: token.as_deref().map(holder_fingerprint),
            })
            .collect())
    }

    /// The pairs holding checkpoints, of one tenant or all, in batches:
    /// a key with one reading gives its pair; keys with several are read
    /// record by record and summarized on the way.
    async fn discover_threads(&self, tenant: Option<&TenantId>) -> Result<Discovered> {
        let literal = match tenant {
            Some(t) => format!("{}{t}:", keys::CHECKPOINT_PREFIX),
            None => keys::CHECKPOINT_PREFIX.to_string(),
        };
        let mut scan = KeyScan::new(keys::scan_prefix_pattern(&literal));
        let mut found = Discovered {
            alone: Vec::new(),
            shared: Vec::new(),
        };
        let mut conn = self.conn();
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            for key in batch {
                let Some(joined) = joined_of_bystep(&key) else {
                    continue;
                };
                match keys::thread_candidates(joined).as_slice() {
                    [] => {}
                    [only] => {
                        if tenant.is_none_or(|t| *t == only.tenant) {
                            found.alone.push(only.clone());
                        }
                    }
                    several => found
                        .shared
                        .extend(self.summarize_shared(&key, several, tenant).await?),
                }
            }
        }
        Ok(found)
    }
}

/// One thread of a listing: to summarize, or summarized on discovery.
enum Listed {
    /// A pair owning its keys alone.
    Alone(ThreadKey),
    /// A pair sharing its keys, summarized from its records.
    Summarized(ThreadSummary),
}

impl Listed {
    fn thread(&self) -> &ThreadKey {
        match self {
            Self::Alone(thread) => thread,
            Self::Summarized(summary) => &summary.thread,
        }
    }
}

/// What [`RedisBackend::discover_threads`] found.
struct Discovered {
    /// Pairs whose keys no other pair can share.
    alone: Vec<ThreadKey>,
    /// Summaries of pairs found in keys with several readings.
    shared: Vec<ThreadSummary>,
}

impl ThreadListing for RedisBackend {
    fn pages_may_repeat(&self) -> bool {
        true
    }

    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        let found = self.discover_threads(None).await?;
        let threads: BTreeSet<ThreadKey> = found
            .alone
            .into_iter()
            .chain(found.shared.into_iter().map(|s| s.thread))
            .collect();
        let mut tenants = self.other_tenants(&threads).await?;
        tenants.extend(threads.into_iter().map(|t| t.tenant));
        Ok(tenants.into_iter().collect())
    }

    async fn summary_pages(
        &self,
        tenant: Option<&TenantId>,
        after: Option<&ThreadKey>,
        page_size: usize,
        sink: &mut SummarySink<'_>,
    ) -> Result<()> {
        let found = self.discover_threads(tenant).await?;
        let mut listing: Vec<Listed> = found
            .alone
            .into_iter()
            .map(Listed::Alone)
            .chain(found.shared.into_iter().map(Listed::Summarized))
            .filter(|listed| after.is_none_or(|a| listed.thread() > a))
            .collect();
        // SCAN may return a key twice.
        listing.sort_by(|a, b| a.thread().cmp(b.thread()));
        listing.dedup_by(|a, b| a.thread() == b.thread());
        let mut rest = listing.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<Listed> = rest.by_ref().take(page_size.max(1)).collect();
            let alone: Vec<ThreadKey> = chunk
                .iter()
                .filter_map(|listed| match listed {
                    Listed::Alone(thread) => Some(thread.clone()),
                    Listed::Summarized(_) => None,
                })
                .collect();
            let mut summarized = self.summarize_alone(alone).await?.into_iter();
            let page = chunk
                .into_iter()
                .filter_map(|listed| match listed {
                    Listed::Alone(_) => summarized.next(),
                    Listed::Summarized(summary) => Some(summary),
                })
                .collect();
            if sink(page)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    async fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<ThreadPage> {
        let literal = match selection.single_tenant() {
            Some(tenant) => format!("{}{tenant}:", keys::CHECKPOINT_PREFIX),
            None => keys::CHECKPOINT_PREFIX.to_string(),
        };
        let pattern = keys::scan_prefix_pattern(&literal);
        let mut scan = match cursor {
            Some(cursor) => KeyScan::resume(pattern, decode_cursor(cursor)?),
            None => KeyScan::new(pattern),
        };
        let mut conn = self.conn();
        let mut threads = Vec::new();
        while threads.len() < limit.max(1) {
            let Some(batch) = scan.next_batch(&mut conn).await? else {
                break;
            };
            for key in batch {
                let Some(joined) = joined_of_bystep(&key) else {
                    continue;
                };
                match keys::thread_candidates(joined).as_slice() {
                    [] => {}
                    [only] => threads.push(only.clone()),
                    several => threads.extend(
                        self.summarize_shared(&key, several, None)
                            .await?
                            .into_iter()
                            .map(|s| s.thread),
                    ),
                }
            }
        }
        threads.retain(|t| selection.matches(t));
        Ok(ThreadPage {
            threads,
            next: scan
                .position()
                .map(|c| ThreadCursor::from_text(c.to_string())),
        })
    }
}

/// The SCAN cursor a thread (or log) cursor holds.
pub(super) fn decode_cursor(cursor: &ThreadCursor) -> Result<u64> {
    cursor.as_text().parse().map_err(|_| {
        Error::invalid(
            "thread cursor",
            format!("{:?} was not made by the Redis backend", cursor.as_text()),
        )
    })
}

/// The stored write version (absent = 1).
pub(super) async fn load_write_version(mut conn: Conn) -> Result<EnvelopeVersion> {
    let raw: Option<String> = redis::cmd("GET")
        .arg(keys::WRITE_VERSION_KEY)
        .query_async(&mut conn)
        .await
        .map_err(driver_error("reading the envelope write version"))?;
    parse_write_version(raw.as_deref())
}

impl WriteVersionAdmin for RedisBackend {
    async fn refresh_write_version(&self) -> Result<EnvelopeVersion> {
        let version = load_write_version(self.conn()).await?;
        self.write_version.set(version);
        Ok(version)
    }

    async fn set_write_version(&self, version: EnvelopeVersion) -> Result<()> {
        redis::cmd("SET")
            .arg(keys::WRITE_VERSION_KEY)
            .arg(version.number())
            .query_async::<()>(&mut self.conn())
            .await
            .map_err(driver_error("setting the envelope write version"))?;
        self.write_version.set(version);
        Ok(())
    }
}

impl LockAdmin for RedisBackend {
    async fn try_bulk_lock(
        &self,
        operation: BulkOperation,
        ttl: Duration,
    ) -> Result<Option<LockGuard>> {
        let key = LockKey::bulk(operation.name(), "").redis_key();
        self.try_acquire_key(&bulk_label(operation), key, ttl).await
    }

    async fn lock_status(&self, thread: &ThreadKey) -> Result<LockInfo> {
        let key = keys::lock(thread);
        Ok(self.lock_infos(vec![key]).await?.remove(0))
    }

    async fn list_locks(&self) -> Result<Vec<LockInfo>> {
        let mut scan = KeyScan::new(format!("{}*", keys::LOCK_PREFIX));
        let mut locks = Vec::new();
        let mut conn = self.conn();
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            let batch: Vec<String> = batch.into_iter().filter(|k| keys::is_lock_key(k)).collect();
            if !batch.is_empty() {
                locks.extend(self.lock_infos(batch).await?.into_iter().filter(|l| l.held));
            }
        }
        locks.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(locks)
    }

    async fn break_lock(&self, thread: &ThreadKey) -> Result<bool> {
        let key = keys::lock(thread);
        let deleted: u64 = redis::cmd("DEL")
            .arg(&key)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("breaking lock {key} of {thread}")))?;
        Ok(deleted > 0)
    }

    async fn release_lock_token(&self, thread: &ThreadKey, token: &str) -> Result<bool> {
        release_token(&mut self.conn(), &keys::lock(thread), token).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_keys_name_their_tenant() {
        assert_eq!(
            store_tenants("acme:acme:notes:k"),
            vec![TenantId::new("acme").unwrap()]
        );
        assert_eq!(
            store_tenants("a:b:a\\:b:k"),
            vec![TenantId::new("a:b").unwrap()]
        );
        assert!(store_tenants("x:y:k").is_empty());
    }
}
