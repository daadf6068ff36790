//! Store items in bulk: SCAN pages of a tenant's item keys under a
//! namespace prefix, each key with every (namespace, key) reading the
//! verbatim layout allows (FORMAT.md, "Redis layout"), and batched writes
//! in one script (`write_items.lua`) that keep each item's expiry.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::checkpoints::unexpected;
use super::scan::KeyScan;
use super::scripts::{Reply, WRITE_ITEMS};
use super::{driver_error, keys, RedisBackend};
use crate::backend::bulk::{
    check_items, expired, item_outcomes, BulkStore, ConflictKind, ItemCursor, ItemPage, ListedItem,
    RecordOutcome, SharedKey, UnreadableItem, WriteMode,
};
use crate::backend::traits::StoreItem;
use crate::error::{Error, Result};
use crate::model::stored_json::parse_stored;
use crate::model::{Namespace, TenantId};

/// An expiry `pttl` milliseconds from `now`; none for a key without TTL.
fn expiry(now: DateTime<Utc>, pttl: i64) -> Option<DateTime<Utc>> {
    (pttl >= 0).then(|| now + chrono::Duration::milliseconds(pttl))
}

/// PEXPIRETIME's reply for a key that does not exist.
const KEY_GONE: i64 = -2;

/// The expiry PEXPIRETIME reports (milliseconds since the epoch); none
/// for a key without TTL (-1).
fn absolute_expiry(expire_at: i64) -> Option<DateTime<Utc>> {
    (expire_at >= 0)
        .then(|| DateTime::from_timestamp_millis(expire_at))
        .flatten()
}

impl BulkStore for RedisBackend {
    async fn item_page(
        &self,
        prefix: &Namespace,
        cursor: Option<&ItemCursor>,
        _limit: usize,
    ) -> Result<ItemPage> {
        // `entelix:store:{tenant}:{rendered prefix}`, then `:` and the rest.
        let base = keys::store_namespace_prefix(prefix);
        let pattern = keys::scan_prefix_pattern(&base);
        let mut scan = match cursor {
            Some(c) => KeyScan::resume(
                pattern,
                c.as_text()
                    .parse()
                    .map_err(|_| Error::invalid("item cursor", "not made by the Redis backend"))?,
            ),
            None => KeyScan::new(pattern),
        };
        let mut conn = self.conn();
        let batch = scan.next_batch(&mut conn).await?.unwrap_or_default();
        let found: Vec<(String, &str)> = batch
            .iter()
            .filter_map(|k| Some((k.clone(), k.strip_prefix(&base)?)))
            .filter(|(_, rest)| !rest.is_empty())
            .collect();
        let mut page = ItemPage {
            items: Vec::with_capacity(found.len()),
            next: scan
                .position()
                .map(|p| ItemCursor::from_text(p.to_string())),
        };
        if found.is_empty() {
            return Ok(page);
        }
        // PEXPIRETIME (Redis 7.0, as the reference requires) is the expiry
        // the server holds, to the millisecond: reading it rather than
        // now + PTTL makes two reads of one item agree exactly, so a dump
        // exported, imported and exported again is byte for byte the same.
        let mut pipe = redis::pipe();
        for (key, _) in &found {
            pipe.cmd("GET").arg(key).cmd("PEXPIRETIME").arg(key);
        }
        let replies: Vec<(Option<Vec<u8>>, i64)> = pipe
            .query_async(&mut conn)
            .await
            .map_err(driver_error(format!("reading store items under {prefix}")))?;
        for ((redis_key, rest), (raw, expire_at)) in found.iter().zip(replies) {
            // Gone, or expired between GET and PEXPIRETIME (-2): an item
            // that expires during a copy is not resurrected without TTL.
            let Some(raw) = raw.filter(|_| expire_at != KEY_GONE) else {
                continue;
            };
            // The reading whose key holds no `:` (the deepest namespace)
            // is the one `store namespaces` lists it under.
            let mut readings = keys::item_readings(prefix, rest);
            let Some((namespace, key)) = readings.pop() else {
                continue;
            };
            match parse_stored(&raw) {
                Ok(value) => page.items.push(Ok(ListedItem {
                    item: StoreItem {
                        namespace,
                        key,
                        value,
                        expires_at: absolute_expiry(expire_at),
                    },
                    other_readings: readings,
                })),
                Err(reason) => page.items.push(Err(Box::new(UnreadableItem {
                    location: format!("redis key {redis_key}"),
                    error: Error::corrupt(
                        format!("store item {namespace} / {key} (redis key {redis_key})"),
                        reason,
                    ),
                }))),
            }
        }
        Ok(page)
    }

    fn shared_item_key(&self, namespace: &Namespace, key: &str) -> Option<SharedKey> {
        let remember = keys::store_key_may_collide(&namespace.tenant, key);
        (remember || !namespace.scope.is_empty()).then(|| SharedKey {
            key: keys::store_item(namespace, key),
            remember,
        })
    }

    async fn write_items(
        &self,
        tenant: &TenantId,
        items: &[StoreItem],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_items(tenant, items)?;
        let now = Utc::now();
        // Items bound for a key an earlier item of the batch takes are
        // refused: two records never land on one key.
        let mut taken = HashSet::with_capacity(items.len());
        let mut sent = Vec::with_capacity(items.len());
        let mut shared = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let redis_key = keys::store_item(&item.namespace, &item.key);
            if !taken.insert(redis_key.clone()) {
                shared.push(i);
            } else if !expired(item, now) {
                sent.push((i, redis_key));
            }
        }
        let mut before: Vec<Option<StoreItem>> = vec![None; items.len()];
        if !sent.is_empty() {
            let mut args = vec![if mode == WriteMode::Replace { "1" } else { "0" }.to_string()];
            for (i, _) in &sent {
                args.push(items[*i].value.to_string());
                args.push(
                    items[*i]
                        .expires_at
                        .map(|at| at.timestamp_millis().max(1).to_string())
                        .unwrap_or_default(),
                );
            }
            let key_refs: Vec<&str> = sent.iter().map(|(_, k)| k.as_str()).collect();
            let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let context = format!("writing {} store items of tenant {tenant}", sent.len());
            let value = WRITE_ITEMS
                .run(&mut self.conn(), &key_refs, &arg_refs)
                .await
                .map_err(driver_error(&context))?;
            let reply = Reply::parse(value, &context)?;
            if reply.tag() != b"ok" || reply.rest().len() != 2 * sent.len() {
                return Err(unexpected(&context, &reply));
            }
            for ((i, redis_key), entry) in sent.iter().zip(reply.rest().chunks(2)) {
                if entry[0].is_empty() {
                    continue;
                }
                let pttl: i64 = String::from_utf8_lossy(&entry[1]).parse().unwrap_or(-1);
                let value = parse_stored(&entry[0]).map_err(|reason| {
                    Error::corrupt(format!("store item at redis key {redis_key}"), reason)
                })?;
                before[*i] = Some(StoreItem {
                    namespace: items[*i].namespace.clone(),
                    key: items[*i].key.clone(),
                    value,
                    expires_at: expiry(now, pttl),
                });
            }
        }
        let mut outcomes = item_outcomes(items, &before, mode, now);
        for i in shared {
            outcomes[i] = RecordOutcome::Conflict(ConflictKind::ForeignKeys);
        }
        Ok(outcomes)
    }
}
