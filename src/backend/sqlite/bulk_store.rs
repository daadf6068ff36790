//! Store items in bulk: pages of a tenant's live items in (namespace, key)
//! order, and batched writes in one `BEGIN IMMEDIATE` transaction.

use chrono::Utc;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::store::{item_record, now_text};
use super::{driver_error, expiry_text, to_sql_int, SqliteBackend};
use crate::backend::bulk::{
    check_items, expired, item_outcomes, BulkStore, ItemCursor, ItemPage, ItemRead, ListedItem,
    RecordOutcome, UnreadableItem, WriteMode,
};
use crate::backend::traits::StoreItem;
use crate::error::{Error, Result};
use crate::model::envelope::{format_timestamp, parse_timestamp};
use crate::model::stored_json::parse_stored;
use crate::model::{now_micros, Namespace, TenantId};

/// One `memory_items` row as an item, or why it cannot be read.
fn decode_item(row: &SqliteRow) -> ItemRead {
    let rendered: String = row.try_get("namespace").unwrap_or_default();
    let key: String = row.try_get("key").unwrap_or_default();
    let record = item_record(&rendered, &key);
    let unreadable = |error| {
        Box::new(UnreadableItem {
            location: record.clone(),
            error,
        })
    };
    let namespace = Namespace::parse(&rendered)
        .map_err(|e| unreadable(Error::corrupt(&record, e.to_string())))?;
    let raw: String = row
        .try_get("value")
        .map_err(|e| unreadable(Error::corrupt(&record, format!("column `value`: {e}"))))?;
    let value = parse_stored(raw.as_bytes())
        .map_err(|reason| unreadable(Error::corrupt(&record, reason)))?;
    let expires_at = row
        .try_get::<Option<String>, _>("expires_at")
        .map_err(|e| unreadable(Error::corrupt(&record, format!("column `expires_at`: {e}"))))?
        .map(|raw| parse_timestamp(&raw, &record))
        .transpose()
        .map_err(unreadable)?;
    Ok(ListedItem {
        item: StoreItem {
            namespace,
            key,
            value,
            expires_at,
        },
        other_readings: Vec::new(),
    })
}

/// A cursor's (namespace, key): the rendered namespace, a NUL, the key.
fn split_cursor(cursor: &ItemCursor) -> Result<(&str, &str)> {
    cursor
        .as_text()
        .split_once('\0')
        .ok_or_else(|| Error::invalid("item cursor", "not made by the SQLite backend"))
}

impl BulkStore for SqliteBackend {
    async fn item_page(
        &self,
        prefix: &Namespace,
        cursor: Option<&ItemCursor>,
        limit: usize,
    ) -> Result<ItemPage> {
        let limit = limit.max(1);
        let rendered = prefix.render();
        let below = format!("{rendered}:");
        let (after_ns, after_key) = cursor.map(split_cursor).transpose()?.unwrap_or(("", ""));
        let rows = sqlx::query(
            "SELECT namespace, key, value, expires_at FROM memory_items
             WHERE tenant_id = ?
               AND (namespace = ? OR substr(CAST(namespace AS BLOB), 1, ?) = CAST(? AS BLOB))
               AND (expires_at IS NULL OR expires_at > ?)
               AND (CAST(namespace AS BLOB) > CAST(? AS BLOB)
                    OR (namespace = ? AND CAST(key AS BLOB) > CAST(? AS BLOB)))
             ORDER BY CAST(namespace AS BLOB), CAST(key AS BLOB) LIMIT ?",
        )
        .bind(prefix.tenant.as_str())
        .bind(&rendered)
        .bind(below.len() as i64)
        .bind(below.as_bytes())
        .bind(now_text())
        .bind(after_ns)
        .bind(after_ns)
        .bind(after_key)
        .bind(to_sql_int(limit as u64, "limit")?)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!("paging store items under {prefix}")))?;
        let next = (rows.len() >= limit)
            .then(|| rows.last())
            .flatten()
            .map(|row| {
                let ns: String = row.try_get("namespace").unwrap_or_default();
                let key: String = row.try_get("key").unwrap_or_default();
                ItemCursor::from_text(format!("{ns}\0{key}"))
            });
        Ok(ItemPage {
            items: rows.iter().map(decode_item).collect(),
            next,
        })
    }

    async fn write_items(
        &self,
        tenant: &TenantId,
        items: &[StoreItem],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_items(tenant, items)?;
        let context = format!("writing {} store items of tenant {tenant}", items.len());
        let mut tx = self.begin_immediate(&context).await?;
        let now = Utc::now();
        let now_text = expiry_text(&now);
        let ts = format_timestamp(&now_micros());
        let mut before = Vec::with_capacity(items.len());
        for item in items {
            let row = sqlx::query(
                "SELECT namespace, key, value, expires_at FROM memory_items
                 WHERE tenant_id = ? AND namespace = ? AND key = ?
                   AND (expires_at IS NULL OR expires_at > ?)",
            )
            .bind(tenant.as_str())
            .bind(item.namespace.render())
            .bind(&item.key)
            .bind(&now_text)
            .fetch_optional(&mut *tx)
            .await
            .map_err(driver_error(&context))?;
            before.push(match row {
                Some(row) => Some(decode_item(&row).map_err(|u| u.error)?.item),
                None => None,
            });
        }
        let outcomes = item_outcomes(items, &before, mode, now);
        for (item, outcome) in items.iter().zip(&outcomes) {
            if *outcome != RecordOutcome::Written || expired(item, now) {
                continue;
            }
            sqlx::query(
                "INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at)
                 VALUES (?, ?, ?, ?, ?, ?)
                 ON CONFLICT (tenant_id, namespace, key) DO UPDATE
                 SET value = excluded.value, ts = excluded.ts, expires_at = excluded.expires_at",
            )
            .bind(tenant.as_str())
            .bind(item.namespace.render())
            .bind(&item.key)
            .bind(item.value.to_string())
            .bind(&ts)
            .bind(item.expires_at.as_ref().map(expiry_text))
            .execute(&mut *tx)
            .await
            .map_err(driver_error(&context))?;
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(outcomes)
    }
}
