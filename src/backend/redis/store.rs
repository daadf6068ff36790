//! Store items: `entelix:store:{tenant}:{rendered namespace}:{key}`, the
//! value's raw JSON, expiry via the key's own TTL (Redis evicts it).
//!
//! Tenant and item key are inserted verbatim, so a `:` in either can make
//! two items share a key; such writes log a warning. Listing a namespace's
//! keys takes everything after its prefix as the item key, so an item whose
//! key contains `:` is listed under every namespace it can belong to (the
//! ones `store_get` finds it in, as the services list it); listing
//! namespaces splits a key at its last unescaped `:`
//! ([`keys::split_item`]).

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::scan::KeyScan;
use super::{driver_error, keys, RedisBackend};
use crate::backend::traits::{store_type_error, StoreBackend, StoreItem};
use crate::error::{Error, Result};
use crate::model::stored_json::{decode_stored, parse_stored, Undecodable};
use crate::model::{Namespace, TenantId};

fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::invalid("store key", "must not be empty"));
    }
    Ok(())
}

impl RedisBackend {
    /// Warns (once per item) when the item's Redis key may be shared.
    fn warn_store_collision(&self, namespace: &Namespace, key: &str) {
        if keys::store_key_may_collide(&namespace.tenant, key) {
            self.warn_once(
                format!("store item {namespace} / {key}"),
                "this tenant id or store key contains ':', so its Redis key may be shared \
                 with another namespace's item (keys are inserted verbatim)",
            );
        }
    }
}

impl StoreBackend for RedisBackend {
    async fn store_put(
        &self,
        namespace: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> Result<()> {
        check_key(key)?;
        if ttl == Some(Duration::ZERO) {
            return Err(Error::invalid("ttl", "must be greater than zero"));
        }
        self.warn_store_collision(namespace, key);
        let redis_key = keys::store_item(namespace, key);
        let mut cmd = redis::cmd("SET");
        cmd.arg(&redis_key).arg(value.to_string());
        if let Some(ttl) = ttl {
            let millis = ttl.as_millis().clamp(1, i64::MAX as u128) as u64;
            cmd.arg("PX").arg(millis);
        }
        cmd.query_async::<()>(&mut self.conn())
            .await
            .map_err(driver_error(format!("writing store item {redis_key}")))
    }

    async fn store_get(&self, namespace: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        check_key(key)?;
        self.warn_store_collision(namespace, key);
        let redis_key = keys::store_item(namespace, key);
        let (raw, pttl): (Option<Vec<u8>>, i64) = redis::pipe()
            .atomic()
            .cmd("GET")
            .arg(&redis_key)
            .cmd("PTTL")
            .arg(&redis_key)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("reading store item {redis_key}")))?;
        let Some(raw) = raw else {
            return Ok(None);
        };
        let value = parse_stored(&raw).map_err(|reason| {
            Error::corrupt(
                format!("store item {namespace} / {key} (redis key {redis_key})"),
                reason,
            )
        })?;
        let expires_at = (pttl >= 0).then(|| Utc::now() + chrono::Duration::milliseconds(pttl));
        Ok(Some(StoreItem {
            namespace: namespace.clone(),
            key: key.to_string(),
            value,
            expires_at,
        }))
    }

    /// One plain `GET`: the typed read needs no expiry (an expired item is
    /// never returned), and the value is decoded once from its text.
    async fn store_get_as<V: DeserializeOwned + Send>(
        &self,
        namespace: &Namespace,
        key: &str,
    ) -> Result<Option<V>> {
        check_key(key)?;
        self.warn_store_collision(namespace, key);
        let redis_key = keys::store_item(namespace, key);
        let raw: Option<Vec<u8>> = redis::cmd("GET")
            .arg(&redis_key)
            .query_async(&mut self.conn())
            .await
            .map_err(|e| driver_error(format!("reading store item {redis_key}"))(e))?;
        let Some(raw) = raw else {
            return Ok(None);
        };
        match decode_stored(&raw) {
            Ok(value) => Ok(Some(value)),
            Err(Undecodable::Mismatch(source)) => Err(store_type_error(namespace, key, source)),
            Err(Undecodable::Unreadable(reason)) => Err(Error::corrupt(
                format!("store item {namespace} / {key} (redis key {redis_key})"),
                reason,
            )),
        }
    }

    async fn store_delete(&self, namespace: &Namespace, key: &str) -> Result<bool> {
        check_key(key)?;
        self.warn_store_collision(namespace, key);
        let redis_key = keys::store_item(namespace, key);
        let deleted: u64 = redis::cmd("DEL")
            .arg(&redis_key)
            .query_async(&mut self.conn())
            .await
            .map_err(driver_error(format!("deleting store item {redis_key}")))?;
        Ok(deleted > 0)
    }

    async fn store_list_keys(&self, namespace: &Namespace, prefix: &str) -> Result<Vec<String>> {
        let base = keys::store_namespace_prefix(namespace);
        let literal = format!("{base}{prefix}");
        let mut scan = KeyScan::new(keys::scan_prefix_pattern(&literal));
        let mut found = BTreeSet::new();
        let mut conn = self.conn();
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            for redis_key in batch {
                if redis_key.starts_with(&literal) && redis_key.len() > base.len() {
                    found.insert(redis_key[base.len()..].to_string());
                }
            }
        }
        Ok(found.into_iter().collect())
    }

    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        let base = keys::store_namespace_prefix(prefix);
        let mut scan = KeyScan::new(keys::scan_prefix_pattern(&base));
        let mut found = BTreeSet::new();
        let mut conn = self.conn();
        while let Some(batch) = scan.next_batch(&mut conn).await? {
            for redis_key in batch {
                let Some(rest) = redis_key.strip_prefix(&base) else {
                    continue;
                };
                if let Some((scope, _)) = keys::split_item(rest) {
                    let mut namespace = prefix.clone();
                    namespace.scope.extend(scope);
                    found.insert(namespace);
                }
            }
        }
        Ok(found.into_iter().collect())
    }

    async fn store_evict_expired(&self, _tenant: &TenantId) -> Result<u64> {
        // Redis deletes expired keys itself and never returns them.
        Ok(0)
    }
}
