//! The namespaced memory store: `memory_items` rows, live while
//! `expires_at` is null or in the future.

use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use sqlx::Row;

use super::{driver_error, expiry_text, SqliteBackend, KIND};
use crate::backend::traits::{StoreBackend, StoreItem};
use crate::error::{Error, Result};
use crate::model::envelope::{format_timestamp, parse_timestamp};
use crate::model::stored_json::parse_stored;
use crate::model::{now_micros, Namespace, TenantId};

/// Refuses what no backend can store.
fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::invalid("store key", "must not be empty"));
    }
    Ok(())
}

/// "Now" in the canonical expiry text, for comparisons in SQL.
pub(super) fn now_text() -> String {
    expiry_text(&Utc::now())
}

pub(super) fn item_record(namespace: &str, key: &str) -> String {
    format!("{KIND} memory_items row (namespace {namespace:?}, key {key:?})")
}

impl StoreBackend for SqliteBackend {
    async fn store_put(
        &self,
        ns: &Namespace,
        key: &str,
        value: &Value,
        ttl: Option<Duration>,
    ) -> Result<()> {
        check_key(key)?;
        let now = now_micros();
        let expires_at = match ttl {
            Some(ttl) if ttl.is_zero() => {
                return Err(Error::invalid("ttl", "must be greater than zero"))
            }
            Some(ttl) => {
                let ttl = chrono::Duration::from_std(ttl)
                    .map_err(|_| Error::invalid("ttl", "is too large"))?;
                let at = now
                    .checked_add_signed(ttl)
                    .ok_or_else(|| Error::invalid("ttl", "is too large"))?;
                Some(expiry_text(&at))
            }
            None => None,
        };
        sqlx::query(
            "INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (tenant_id, namespace, key) DO UPDATE
             SET value = excluded.value, ts = excluded.ts, expires_at = excluded.expires_at",
        )
        .bind(ns.tenant.as_str())
        .bind(ns.render())
        .bind(key)
        .bind(value.to_string())
        .bind(format_timestamp(&now))
        .bind(expires_at)
        .execute(&self.pool)
        .await
        .map_err(driver_error(format!("writing store item {ns} / {key:?}")))?;
        Ok(())
    }

    async fn store_get(&self, ns: &Namespace, key: &str) -> Result<Option<StoreItem>> {
        check_key(key)?;
        let rendered = ns.render();
        let row = sqlx::query(
            "SELECT value, expires_at FROM memory_items
             WHERE tenant_id = ? AND namespace = ? AND key = ?
               AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(ns.tenant.as_str())
        .bind(&rendered)
        .bind(key)
        .bind(now_text())
        .fetch_optional(&self.pool)
        .await
        .map_err(driver_error(format!("reading store item {ns} / {key:?}")))?;
        let Some(row) = row else { return Ok(None) };
        let record = item_record(&rendered, key);
        let raw: String = row
            .try_get("value")
            .map_err(|e| Error::corrupt(&record, format!("column `value`: {e}")))?;
        let value =
            parse_stored(raw.as_bytes()).map_err(|reason| Error::corrupt(&record, reason))?;
        let expires_at = row
            .try_get::<Option<String>, _>("expires_at")
            .map_err(|e| Error::corrupt(&record, format!("column `expires_at`: {e}")))?
            .map(|raw| parse_timestamp(&raw, &record))
            .transpose()?;
        Ok(Some(StoreItem {
            namespace: ns.clone(),
            key: key.to_string(),
            value,
            expires_at,
        }))
    }

    async fn store_delete(&self, ns: &Namespace, key: &str) -> Result<bool> {
        check_key(key)?;
        let done = sqlx::query(
            "DELETE FROM memory_items WHERE tenant_id = ? AND namespace = ? AND key = ?
               AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(ns.tenant.as_str())
        .bind(ns.render())
        .bind(key)
        .bind(now_text())
        .execute(&self.pool)
        .await
        .map_err(driver_error(format!("deleting store item {ns} / {key:?}")))?;
        Ok(done.rows_affected() > 0)
    }

    async fn store_list_keys(&self, ns: &Namespace, prefix: &str) -> Result<Vec<String>> {
        // Compared as bytes: literal (no wildcards) and NUL-safe.
        sqlx::query_scalar(
            "SELECT key FROM memory_items
             WHERE tenant_id = ? AND namespace = ?
               AND substr(CAST(key AS BLOB), 1, ?) = CAST(? AS BLOB)
               AND (expires_at IS NULL OR expires_at > ?)
             ORDER BY CAST(key AS BLOB)",
        )
        .bind(ns.tenant.as_str())
        .bind(ns.render())
        .bind(prefix.len() as i64)
        .bind(prefix.as_bytes())
        .bind(now_text())
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!(
            "listing keys of {ns} starting with {prefix:?}"
        )))
    }

    async fn store_list_namespaces(&self, prefix: &Namespace) -> Result<Vec<Namespace>> {
        let rendered = prefix.render();
        // A namespace below `prefix` renders as the prefix, an unescaped
        // `:`, then more segments; the prefix's own escapes end on a
        // segment boundary, so that `:` is always a separator.
        let below = format!("{rendered}:");
        let found: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT namespace FROM memory_items
             WHERE tenant_id = ?
               AND (namespace = ? OR substr(CAST(namespace AS BLOB), 1, ?) = CAST(? AS BLOB))
               AND (expires_at IS NULL OR expires_at > ?)",
        )
        .bind(prefix.tenant.as_str())
        .bind(&rendered)
        .bind(below.len() as i64)
        .bind(below.as_bytes())
        .bind(now_text())
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!("listing namespaces under {prefix}")))?;
        let mut namespaces = Vec::with_capacity(found.len());
        for raw in found {
            let ns = Namespace::parse(&raw).map_err(|e| {
                Error::corrupt(
                    format!("{KIND} memory_items namespace {raw:?}"),
                    e.to_string(),
                )
            })?;
            if !ns.starts_with(prefix) {
                return Err(Error::corrupt(
                    format!("{KIND} memory_items namespace {raw:?}"),
                    format!("stored under tenant {:?}", prefix.tenant.as_str()),
                ));
            }
            namespaces.push(ns);
        }
        namespaces.sort();
        Ok(namespaces)
    }

    async fn store_evict_expired(&self, tenant: &TenantId) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM memory_items
             WHERE tenant_id = ? AND expires_at IS NOT NULL AND expires_at <= ?",
        )
        .bind(tenant.as_str())
        .bind(now_text())
        .execute(&self.pool)
        .await
        .map_err(driver_error(format!(
            "evicting expired store items of tenant {tenant}"
        )))?;
        Ok(done.rows_affected())
    }
}
