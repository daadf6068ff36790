//! The namespaced key/value store: the `memory_items` table.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::Row;

use crate::backend::traits::{StoreBackend, StoreItem};
use crate::error::{Error, Result};
use crate::model::{Namespace, TenantId};

use super::errors::driver_error;
use super::index_key::check_key_bytes;
use super::json_column::json_column;
use super::{nul, PostgresBackend};

impl StoreBackend for PostgresBackend {
    async fn store_put(
        &self,
        ns: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> Result<()> {
        let rendered = checked_item(ns, key)?;
        let ttl_ms = ttl.map(ttl_millis).transpose()?;
        nul::check_json(
            value,
            "store value",
            &format!("item {key:?} of namespace {rendered}"),
        )?;
        sqlx::query("SELECT threadctl_store_put($1, $2, $3, $4, $5)")
            .bind(ns.tenant.as_str())
            .bind(&rendered)
            .bind(key)
            .bind(value)
            .bind(ttl_ms)
            .execute(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "writing item {key:?} of namespace {rendered}"
            )))?;
        Ok(())
    }

    async fn store_get(&self, ns: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        let rendered = checked_item(ns, key)?;
        let row = sqlx::query("SELECT value, expires_at FROM threadctl_store_get($1, $2, $3)")
            .bind(ns.tenant.as_str())
            .bind(&rendered)
            .bind(key)
            .fetch_optional(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "reading item {key:?} of namespace {rendered}"
            )))?;
        let Some(row) = row else { return Ok(None) };
        let record = format!("memory item {key:?} of namespace {rendered} (postgres)");
        let value = json_column(&row, "value").map_err(|reason| Error::corrupt(&record, reason))?;
        let expires_at: Option<DateTime<Utc>> = row
            .try_get("expires_at")
            .map_err(|e| Error::corrupt(&record, format!("column `expires_at`: {e}")))?;
        Ok(Some(StoreItem {
            namespace: ns.clone(),
            key: key.to_string(),
            value,
            expires_at,
        }))
    }

    async fn store_delete(&self, ns: &Namespace, key: &str) -> Result<bool> {
        let rendered = checked_item(ns, key)?;
        sqlx::query_scalar("SELECT threadctl_store_delete($1, $2, $3)")
            .bind(ns.tenant.as_str())
            .bind(&rendered)
            .bind(key)
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "deleting item {key:?} of namespace {rendered}"
            )))
    }

    async fn store_list_keys(&self, ns: &Namespace, prefix: &str) -> Result<Vec<String>> {
        let rendered = checked_namespace(ns)?;
        nul::check_text(prefix, "key prefix")?;
        let mut keys: Vec<String> =
            sqlx::query_scalar("SELECT * FROM threadctl_store_keys($1, $2, $3)")
                .bind(ns.tenant.as_str())
                .bind(&rendered)
                .bind(prefix)
                .fetch_all(&*self.pool)
                .await
                .map_err(driver_error(format!(
                    "listing keys of namespace {rendered}"
                )))?;
        keys.sort();
        Ok(keys)
    }

    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        let rendered = checked_namespace(prefix)?;
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT * FROM threadctl_store_namespaces($1, $2)")
                .bind(prefix.tenant.as_str())
                .bind(&rendered)
                .fetch_all(&*self.pool)
                .await
                .map_err(driver_error(format!("listing namespaces under {rendered}")))?;
        let mut namespaces = Vec::with_capacity(stored.len());
        for raw in stored {
            let ns = Namespace::parse(&raw).map_err(|e| {
                Error::corrupt(
                    format!(
                        "memory_items namespace {raw:?} of tenant {} (postgres)",
                        prefix.tenant
                    ),
                    e.to_string(),
                )
            })?;
            if ns.starts_with(prefix) {
                namespaces.push(ns);
            }
        }
        namespaces.sort();
        namespaces.dedup();
        Ok(namespaces)
    }

    async fn store_evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        nul::check_text(tenant.as_str(), "tenant id")?;
        let removed: i64 = sqlx::query_scalar("SELECT threadctl_store_evict($1)")
            .bind(tenant.as_str())
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "evicting expired items of tenant {tenant}"
            )))?;
        Ok(u64::try_from(removed).unwrap_or(0))
    }
}

/// Validates a namespace for Postgres and renders it.
fn checked_namespace(ns: &Namespace) -> Result<String> {
    let rendered = ns.render();
    nul::check_text(&rendered, "namespace")?;
    Ok(rendered)
}

/// Validates a namespace and key for Postgres (no NUL, short enough for
/// its index); returns the rendered namespace.
fn checked_item(ns: &Namespace, key: &str) -> Result<String> {
    if key.is_empty() {
        return Err(Error::invalid("store key", "a key must not be empty"));
    }
    nul::check_text(key, "store key")?;
    let rendered = checked_namespace(ns)?;
    check_key_bytes(
        &[ns.tenant.as_str(), &rendered, key],
        "tenant, namespace and store key",
    )?;
    Ok(rendered)
}

/// Longest TTL passed to Postgres (a thousand years), far below where
/// `interval` arithmetic overflows.
const MAX_TTL_MS: i64 = 1000 * 365 * 24 * 3600 * 1000;

/// A TTL as whole milliseconds (at least 1), refusing zero.
fn ttl_millis(ttl: Duration) -> Result<i64> {
    if ttl.is_zero() {
        return Err(Error::invalid("ttl", "a TTL must be longer than zero"));
    }
    Ok(i64::try_from(ttl.as_millis())
        .unwrap_or(MAX_TTL_MS)
        .clamp(1, MAX_TTL_MS))
}
