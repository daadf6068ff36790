//! Store items in bulk: pages of a tenant's live items in (namespace, key)
//! byte order, and batched writes in one transaction, each scoped to the
//! tenant so that row-level security applies.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{Connection, PgConnection, Row};

use crate::backend::bulk::{
    check_items, item_outcomes, BulkStore, ItemCursor, ItemPage, ItemRead, ListedItem,
    RecordOutcome, UnreadableItem, WriteMode,
};
use crate::backend::traits::StoreItem;
use crate::error::{Error, Result};
use crate::model::{Namespace, TenantId};

use super::errors::driver_error;
use super::index_key::check_key_bytes;
use super::json_column::json_column;
use super::{nul, PostgresBackend};

/// One `memory_items` row as an item, or why it cannot be read.
fn decode_item(row: &PgRow) -> ItemRead {
    let rendered: String = row.try_get("namespace").unwrap_or_default();
    let key: String = row.try_get("key").unwrap_or_default();
    let record = format!("memory item {key:?} of namespace {rendered} (postgres)");
    let unreadable = |error| {
        Box::new(UnreadableItem {
            location: record.clone(),
            error,
        })
    };
    let namespace = Namespace::parse(&rendered)
        .map_err(|e| unreadable(Error::corrupt(&record, e.to_string())))?;
    let value =
        json_column(row, "value").map_err(|reason| unreadable(Error::corrupt(&record, reason)))?;
    let expires_at: Option<DateTime<Utc>> = row
        .try_get("expires_at")
        .map_err(|e| unreadable(Error::corrupt(&record, format!("column `expires_at`: {e}"))))?;
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

/// Scopes the transaction to `tenant`.
pub(super) async fn scope(
    conn: &mut PgConnection,
    tenant: &str,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query("SELECT set_config('entelix.tenant_id', $1, true)")
        .bind(tenant)
        .execute(conn)
        .await
        .map(drop)
}

impl BulkStore for PostgresBackend {
    async fn item_page(
        &self,
        prefix: &Namespace,
        cursor: Option<&ItemCursor>,
        limit: usize,
    ) -> Result<ItemPage> {
        let limit = limit.max(1);
        let rendered = prefix.render();
        nul::check_text(&rendered, "namespace")?;
        let (after_ns, after_key) = match cursor {
            Some(c) => c
                .as_text()
                .split_once('\0')
                .map(|(n, k)| (Some(n.to_string()), Some(k.to_string())))
                .ok_or_else(|| Error::invalid("item cursor", "not made by the Postgres backend"))?,
            None => (None, None),
        };
        let context = format!("paging store items under {prefix}");
        let mut conn = self.pool.acquire().await.map_err(driver_error(&context))?;
        let result = async {
            let mut tx = conn.begin().await?;
            scope(&mut tx, prefix.tenant.as_str()).await?;
            let rows = sqlx::query(
                "SELECT namespace, key, value, expires_at FROM memory_items \
                 WHERE tenant_id = $1 \
                   AND (namespace = $2 OR left(namespace, length($2) + 1) = $2 || ':') \
                   AND (expires_at IS NULL OR expires_at > now()) \
                   AND ($3::text IS NULL OR (namespace COLLATE \"C\", key COLLATE \"C\") > ($3, $4)) \
                 ORDER BY namespace COLLATE \"C\", key COLLATE \"C\" LIMIT $5",
            )
            .bind(prefix.tenant.as_str())
            .bind(&rendered)
            .bind(after_ns)
            .bind(after_key)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(rows)
        }
        .await;
        let rows = conn.settle(result).map_err(driver_error(&context))?;
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
        nul::check_text(tenant.as_str(), "tenant id")?;
        let mut namespaces = Vec::with_capacity(items.len());
        for item in items {
            let rendered = item.namespace.render();
            nul::check_text(&rendered, "namespace")?;
            nul::check_text(&item.key, "store key")?;
            check_key_bytes(
                &[tenant.as_str(), &rendered, &item.key],
                "tenant, namespace and store key",
            )?;
            nul::check_json(
                &item.value,
                "store value",
                &format!("item {:?} of namespace {rendered}", item.key),
            )?;
            namespaces.push(rendered);
        }
        let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
        let context = format!("writing {} store items of tenant {tenant}", items.len());
        let mut conn = self.pool.acquire().await.map_err(driver_error(&context))?;
        let result = async {
            let mut tx = conn.begin().await?;
            scope(&mut tx, tenant.as_str()).await?;
            let rows = sqlx::query(
                "SELECT m.namespace, m.key, m.value, m.expires_at, now() AS now \
                 FROM memory_items m \
                 JOIN unnest($2::text[], $3::text[]) AS b(namespace, key) \
                   ON m.namespace = b.namespace AND m.key = b.key \
                 WHERE m.tenant_id = $1 FOR UPDATE OF m",
            )
            .bind(tenant.as_str())
            .bind(&namespaces)
            .bind(&keys)
            .fetch_all(&mut *tx)
            .await?;
            let now: DateTime<Utc> = match rows.first() {
                Some(row) => row.try_get("now")?,
                None => {
                    sqlx::query_scalar("SELECT now()")
                        .fetch_one(&mut *tx)
                        .await?
                }
            };
            let mut before: Vec<Option<StoreItem>> = vec![None; items.len()];
            for row in &rows {
                let Ok(listed) = decode_item(row) else {
                    continue;
                };
                let live = listed.item.expires_at.is_none_or(|at| at > now);
                if let Some(i) = items.iter().position(|it| {
                    it.namespace == listed.item.namespace && it.key == listed.item.key
                }) {
                    before[i] = live.then_some(listed.item);
                }
            }
            let outcomes = item_outcomes(items, &before, mode, now);
            let written: Vec<usize> = (0..items.len())
                .filter(|&i| outcomes[i] == RecordOutcome::Written)
                .collect();
            sqlx::query(
                "INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at) \
                 SELECT $1, b.namespace, b.key, b.value, now(), b.expires_at \
                 FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) \
                      AS b(namespace, key, value, expires_at) \
                 ON CONFLICT (tenant_id, namespace, key) DO UPDATE \
                 SET value = EXCLUDED.value, ts = EXCLUDED.ts, expires_at = EXCLUDED.expires_at",
            )
            .bind(tenant.as_str())
            .bind(
                written
                    .iter()
                    .map(|&i| namespaces[i].as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(written.iter().map(|&i| keys[i]).collect::<Vec<_>>())
            .bind(
                written
                    .iter()
                    .map(|&i| items[i].value.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(
                written
                    .iter()
                    .map(|&i| items[i].expires_at)
                    .collect::<Vec<_>>(),
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(outcomes)
        }
        .await;
        conn.settle(result).map_err(driver_error(&context))
    }
}
