//! Bulk work: record pages with per-record results, batched writes (one
//! `BEGIN IMMEDIATE` transaction per batch), version counts in SQL, and
//! the schema.

use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::checkpoints::{decode_row, insert, upsert, COLUMNS};
use super::{driver_error, schema, to_sql_int, SqliteBackend};
use crate::backend::bulk::{
    check_batch, same_content, BulkCheckpoints, BulkDeletes, ConflictKind, RecordCursor,
    RecordFault, RecordOutcome, RecordPage, RecordRead, ThreadDeletion, ThreadSelection,
    UnreadableRecord, VersionCounts, WriteMode,
};
use crate::backend::schema::{SchemaAdmin, SchemaStatus};
use crate::backend::traits::WriteVersionAdmin;
use crate::error::Result;
use crate::model::{CheckpointId, StoredCheckpoint, ThreadKey};

/// One row as a page entry: decoded, or why not.
fn read_row(thread: &ThreadKey, row: &SqliteRow) -> RecordRead {
    decode_row(row).map_err(|error| {
        Box::new(UnreadableRecord {
            thread: thread.clone(),
            id: row
                .try_get::<Option<String>, _>("id")
                .ok()
                .flatten()
                .unwrap_or_default(),
            fault: RecordFault::Undecodable,
            error,
        })
    })
}

impl BulkCheckpoints for SqliteBackend {
    async fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> Result<RecordPage> {
        let (step, id) = match after {
            Some(cursor) => (to_sql_int(cursor.step, "step")?, cursor.id.clone()),
            None => (-1, String::new()),
        };
        let limit = limit.max(1);
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
               AND (step > ? OR (step = ? AND id > ?))
             ORDER BY step, id LIMIT ?"
        ))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(step)
        .bind(step)
        .bind(id)
        .bind(to_sql_int(limit as u64, "limit")?)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error(format!(
            "reading a page of checkpoints of {thread}"
        )))?;
        let next = (rows.len() >= limit)
            .then(|| rows.last())
            .flatten()
            .map(|row| RecordCursor {
                step: row
                    .try_get::<i64, _>("step")
                    .ok()
                    .and_then(|s| u64::try_from(s).ok())
                    .unwrap_or(0),
                id: row.try_get::<String, _>("id").unwrap_or_default(),
            });
        Ok(RecordPage {
            records: rows.iter().map(|row| read_row(thread, row)).collect(),
            next,
        })
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
        let context = format!(
            "writing a batch of {} checkpoints of {thread}",
            records.len()
        );
        let mut tx = self.begin_immediate(&context).await?;
        let mut outcomes = Vec::with_capacity(records.len());
        for record in records {
            let cp = &record.checkpoint;
            if mode == WriteMode::Replace {
                upsert(&mut *tx, cp, record.schema_version).await?;
                outcomes.push(RecordOutcome::Written);
                continue;
            }
            if insert(&mut *tx, cp, record.schema_version).await? {
                outcomes.push(RecordOutcome::Written);
                continue;
            }
            let stored = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ? AND id = ?"
            ))
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(cp.id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(driver_error(&context))?;
            let identical = decode_row(&stored).is_ok_and(|s| same_content(&s, record));
            outcomes.push(if mode == WriteMode::SkipIdentical && identical {
                RecordOutcome::Unchanged
            } else {
                RecordOutcome::Conflict(ConflictKind::DuplicateId)
            });
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(outcomes)
    }

    async fn count_by_version(&self, selection: &ThreadSelection) -> Result<VersionCounts> {
        let rows = sqlx::query(
            "SELECT tenant_id, thread_id,
                    CASE WHEN json_valid(state)
                              AND json_type(state, '$.schema_version') = 'integer'
                         THEN json_extract(state, '$.schema_version') END AS version,
                    COUNT(*) AS records,
                    SUM(CASE WHEN json_valid(state)
                                  AND json_type(state, '$.metadata') = 'object'
                                  AND json_extract(state, '$.metadata') <> '{}'
                             THEN 1 ELSE 0 END) AS with_metadata
             FROM checkpoints WHERE ?1 IS NULL OR tenant_id = ?1
             GROUP BY tenant_id, thread_id, version",
        )
        .bind(selection.single_tenant())
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("counting records per envelope version"))?;
        let mut counts = VersionCounts::default();
        for row in rows {
            let tenant: Option<String> = row.try_get("tenant_id").unwrap_or_default();
            let thread: Option<String> = row.try_get("thread_id").unwrap_or_default();
            let selected = ThreadKey::new(tenant.unwrap_or_default(), thread.unwrap_or_default())
                .is_ok_and(|key| selection.matches(&key));
            if !selected {
                continue;
            }
            let records = u64::try_from(row.get::<i64, _>("records")).unwrap_or(0);
            match row.get::<Option<i64>, _>("version") {
                Some(v @ 1..=2) => *counts.by_version.entry(v as u32).or_default() += records,
                _ => counts.unversioned += records,
            }
            counts.with_metadata += u64::try_from(row.get::<i64, _>("with_metadata")).unwrap_or(0);
        }
        Ok(counts)
    }
}

impl BulkDeletes for SqliteBackend {
    async fn delete_checkpoints(&self, thread: &ThreadKey, ids: &[CheckpointId]) -> Result<u64> {
        let context = format!("deleting {} checkpoints of {thread}", ids.len());
        let mut tx = self.begin_immediate(&context).await?;
        let mut deleted = 0;
        for id in ids {
            deleted += sqlx::query(
                "DELETE FROM checkpoints WHERE tenant_id = ? AND thread_id = ? AND id = ?",
            )
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(driver_error(&context))?
            .rows_affected();
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(deleted)
    }

    async fn delete_thread(&self, thread: &ThreadKey) -> Result<ThreadDeletion> {
        let context = format!("deleting thread {thread}");
        let mut tx = self.begin_immediate(&context).await?;
        let mut removed = [0u64; 3];
        for (count, table) in
            removed
                .iter_mut()
                .zip(["checkpoints", "session_events", "threadctl_session_log"])
        {
            *count = sqlx::query(&format!(
                "DELETE FROM {table} WHERE tenant_id = ? AND thread_id = ?"
            ))
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .execute(&mut *tx)
            .await
            .map_err(driver_error(&context))?
            .rows_affected();
        }
        tx.commit().await.map_err(driver_error(&context))?;
        Ok(ThreadDeletion {
            checkpoints: removed[0],
            events: removed[1],
            shared_log_kept: false,
        })
    }
}

impl SchemaAdmin for SqliteBackend {
    async fn schema_status(&self) -> Result<SchemaStatus> {
        schema::status(&self.pool).await
    }

    async fn apply_schema(&self) -> Result<SchemaStatus> {
        schema::set_up(&self.pool, true).await?;
        self.refresh_write_version().await?;
        schema::status(&self.pool).await
    }
}
