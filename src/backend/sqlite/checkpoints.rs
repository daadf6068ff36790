//! Checkpoints: rows of the `checkpoints` table, decoding them with
//! precise corruption reports, and the [`CheckpointBackend`] operations.

use serde_json::{Map, Value};
use sqlx::sqlite::SqliteRow;
use sqlx::{Executor, Row, Sqlite};

use super::{driver_error, non_negative, to_sql_int, SqliteBackend, KIND};
use crate::backend::traits::CheckpointBackend;
use crate::error::{Error, Result};
use crate::model::envelope::{
    decode_state_column, encode_state_column, format_timestamp, parse_timestamp,
};
use crate::model::stored_json::parse_stored;
use crate::model::{
    prepare_new_write, Checkpoint, CheckpointId, EnvelopeVersion, Origin, StoredCheckpoint,
    TenantId, ThreadId, ThreadKey,
};

/// The columns every checkpoint query selects, in [`decode_row`]'s order.
pub(super) const COLUMNS: &str = "tenant_id, thread_id, id, parent_id, step, state, next_node, ts";

/// Names a checkpoint row for error messages.
fn record_name(row: &SqliteRow) -> String {
    let text = |col: &str| {
        row.try_get::<Option<String>, _>(col)
            .ok()
            .flatten()
            .unwrap_or_else(|| "?".into())
    };
    format!(
        "{KIND} checkpoints row (tenant_id {:?}, thread_id {:?}, id {:?})",
        text("tenant_id"),
        text("thread_id"),
        text("id")
    )
}

fn optional_text(row: &SqliteRow, column: &str, record: &str) -> Result<Option<String>> {
    row.try_get::<Option<String>, _>(column)
        .map_err(|e| Error::corrupt(record, format!("column `{column}` is not text: {e}")))
}

fn required_text(row: &SqliteRow, column: &str, record: &str) -> Result<String> {
    optional_text(row, column, record)?
        .ok_or_else(|| Error::corrupt(record, format!("column `{column}` is null")))
}

fn parse_id(raw: &str, column: &str, record: &str) -> Result<CheckpointId> {
    raw.parse()
        .map_err(|_| Error::corrupt(record, format!("column `{column}` {raw:?} is not a UUID")))
}

/// Decodes one row selected with [`COLUMNS`].
pub(super) fn decode_row(row: &SqliteRow) -> Result<StoredCheckpoint> {
    let record = record_name(row);
    let record = record.as_str();
    let tenant_id = TenantId::new(required_text(row, "tenant_id", record)?)
        .map_err(|_| Error::corrupt(record, "column `tenant_id` is empty"))?;
    let thread_id = ThreadId::new(required_text(row, "thread_id", record)?)
        .map_err(|_| Error::corrupt(record, "column `thread_id` is empty"))?;
    let id = parse_id(&required_text(row, "id", record)?, "id", record)?;
    let parent_id = optional_text(row, "parent_id", record)?
        .map(|raw| parse_id(&raw, "parent_id", record))
        .transpose()?;
    let step: i64 = row
        .try_get::<Option<i64>, _>("step")
        .map_err(|e| Error::corrupt(record, format!("column `step` is not an integer: {e}")))?
        .ok_or_else(|| Error::corrupt(record, "column `step` is null"))?;
    let step = non_negative(step, record, "step")?;
    let raw_state = required_text(row, "state", record)?;
    let column =
        parse_stored(raw_state.as_bytes()).map_err(|reason| Error::corrupt(record, reason))?;
    let decoded = decode_state_column(column, record)?;
    let next_node = optional_text(row, "next_node", record)?;
    let timestamp = parse_timestamp(&required_text(row, "ts", record)?, record)?;
    Ok(StoredCheckpoint {
        checkpoint: Checkpoint {
            id,
            tenant_id,
            thread_id,
            parent_id,
            step,
            state: decoded.state,
            next_node,
            timestamp,
            metadata: decoded.metadata,
        },
        schema_version: decoded.version,
    })
}

/// Inserts `cp` encoded at `version`; false when its id already exists in
/// the thread (nothing written then).
pub(super) async fn insert<'e, E>(
    executor: E,
    cp: &Checkpoint<Value>,
    version: EnvelopeVersion,
) -> Result<bool>
where
    E: Executor<'e, Database = Sqlite>,
{
    let done = sqlx::query(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, thread_id, id) DO NOTHING",
    )
    .bind(cp.tenant_id.as_str())
    .bind(cp.thread_id.as_str())
    .bind(cp.id.to_string())
    .bind(cp.parent_id.map(|p| p.to_string()))
    .bind(to_sql_int(cp.step, "step")?)
    .bind(encode_state_column(cp, version).to_string())
    .bind(cp.next_node.as_deref())
    .bind(format_timestamp(&cp.timestamp))
    .execute(executor)
    .await
    .map_err(driver_error(format!(
        "writing checkpoint {} of {}",
        cp.id,
        cp.thread_key()
    )))?;
    Ok(done.rows_affected() == 1)
}

/// Writes `cp` encoded at `version`, replacing the stored record of its id
/// if there is one.
pub(super) async fn upsert<'e, E>(
    executor: E,
    cp: &Checkpoint<Value>,
    version: EnvelopeVersion,
) -> Result<()>
where
    E: Executor<'e, Database = Sqlite>,
{
    sqlx::query(
        "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, thread_id, id) DO UPDATE
         SET parent_id = excluded.parent_id, step = excluded.step, state = excluded.state,
             next_node = excluded.next_node, ts = excluded.ts",
    )
    .bind(cp.tenant_id.as_str())
    .bind(cp.thread_id.as_str())
    .bind(cp.id.to_string())
    .bind(cp.parent_id.map(|p| p.to_string()))
    .bind(to_sql_int(cp.step, "step")?)
    .bind(encode_state_column(cp, version).to_string())
    .bind(cp.next_node.as_deref())
    .bind(format_timestamp(&cp.timestamp))
    .execute(executor)
    .await
    .map_err(driver_error(format!(
        "writing checkpoint {} of {}",
        cp.id,
        cp.thread_key()
    )))?;
    Ok(())
}

/// The id of the thread's latest checkpoint (highest step, greatest id).
async fn latest_id<'e, E>(executor: E, thread: &ThreadKey) -> Result<Option<String>>
where
    E: Executor<'e, Database = Sqlite>,
{
    sqlx::query_scalar(
        "SELECT id FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
         ORDER BY step DESC, id DESC LIMIT 1",
    )
    .bind(thread.tenant.as_str())
    .bind(thread.thread.as_str())
    .fetch_optional(executor)
    .await
    .map_err(driver_error(format!(
        "reading the latest checkpoint id of {thread}"
    )))
}

/// The stored `step` of one checkpoint, if it is in the thread.
async fn step_of<'e, E>(executor: E, thread: &ThreadKey, id: CheckpointId) -> Result<Option<i64>>
where
    E: Executor<'e, Database = Sqlite>,
{
    sqlx::query_scalar(
        "SELECT step FROM checkpoints WHERE tenant_id = ? AND thread_id = ? AND id = ?",
    )
    .bind(thread.tenant.as_str())
    .bind(thread.thread.as_str())
    .bind(id.to_string())
    .fetch_optional(executor)
    .await
    .map_err(driver_error(format!(
        "looking up checkpoint {id} of {thread}"
    )))
}

impl CheckpointBackend for SqliteBackend {
    fn write_version(&self) -> EnvelopeVersion {
        self.write_version.get()
    }

    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
    ) -> Result<()> {
        let version = self.write_version();
        let cp = &prepare_new_write(cp, version)?;
        let thread = cp.thread_key();
        let Some(expected) = expect_latest else {
            // One statement is its own transaction: no BEGIN/COMMIT hops.
            if !insert(&self.pool, cp, version).await? {
                return Err(Error::duplicate_id(cp.id, &thread));
            }
            return Ok(());
        };
        let context = format!("writing checkpoint {} of {thread}", cp.id);
        let mut tx = self.begin_immediate(&context).await?;
        let actual = latest_id(&mut *tx, &thread).await?;
        if actual != expected.map(|e| e.to_string()) {
            return Err(Error::stale_latest(expected, &thread, actual));
        }
        if !insert(&mut *tx, cp, version).await? {
            return Err(Error::duplicate_id(cp.id, &thread));
        }
        tx.commit().await.map_err(driver_error(context))
    }

    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
             ORDER BY step DESC, id DESC LIMIT 1"
        ))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(driver_error(format!(
            "reading the latest checkpoint of {thread}"
        )))?;
        row.as_ref().map(decode_row).transpose()
    }

    async fn get_checkpoint(
        &self,
        thread: &ThreadKey,
        id: CheckpointId,
    ) -> Result<Option<StoredCheckpoint>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ? AND id = ?"
        ))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(driver_error(format!("reading checkpoint {id} of {thread}")))?;
        row.as_ref().map(decode_row).transpose()
    }

    async fn checkpoint_history(
        &self,
        thread: &ThreadKey,
        limit: Option<usize>,
        before: Option<CheckpointId>,
    ) -> Result<Vec<StoredCheckpoint>> {
        let context = format!("reading the history of {thread}");
        if limit == Some(0) {
            if let Some(before) = before {
                if step_of(&self.pool, thread, before).await?.is_none() {
                    return Err(Error::NotFound(format!("checkpoint {before} in {thread}")));
                }
            }
            return Ok(Vec::new());
        }
        // SQLite reads "LIMIT -1" as no limit.
        let limit = limit.map_or(Ok(-1), |n| to_sql_int(n as u64, "limit"))?;
        let Some(before) = before else {
            // One statement reads one snapshot: no transaction needed.
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
                 ORDER BY step DESC, id DESC LIMIT ?"
            ))
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(driver_error(&context))?;
            return rows.iter().map(decode_row).collect();
        };
        let mut tx = self.pool.begin().await.map_err(driver_error(&context))?;
        let step = step_of(&mut *tx, thread, before)
            .await?
            .ok_or_else(|| Error::NotFound(format!("checkpoint {before} in {thread}")))?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM checkpoints WHERE tenant_id = ? AND thread_id = ?
               AND (step < ? OR (step = ? AND id < ?))
             ORDER BY step DESC, id DESC LIMIT ?"
        ))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(step)
        .bind(step)
        .bind(before.to_string())
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(driver_error(&context))?;
        tx.commit().await.map_err(driver_error(&context))?;
        rows.iter().map(decode_row).collect()
    }

    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        let version = self.write_version();
        let metadata = Origin::fork_metadata(thread, parent, metadata, version)?;
        let mut checkpoint = Checkpoint {
            metadata,
            ..Checkpoint::new(thread, Some(parent), 0, state, None)
        };
        let context = format!("forking {thread} from checkpoint {parent}");
        // One statement (its own transaction, holding the write lock from
        // its start): the child takes the parent's step + 1 and next node
        // from the parent row itself. A parent whose columns could not be
        // copied that way (absent, or corrupt) inserts nothing, and
        // `fork_refusal` says why.
        let inserted = sqlx::query(
            "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
             SELECT tenant_id, thread_id, ?, id, step + 1, ?, next_node, ? FROM checkpoints
             WHERE tenant_id = ? AND thread_id = ? AND id = ?
               AND typeof(step) = 'integer' AND step >= 0 AND step < 9223372036854775807
               AND typeof(next_node) IN ('text', 'null')
             ON CONFLICT (tenant_id, thread_id, id) DO NOTHING
             RETURNING step, next_node",
        )
        .bind(checkpoint.id.to_string())
        .bind(encode_state_column(&checkpoint, version).to_string())
        .bind(format_timestamp(&checkpoint.timestamp))
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(parent.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(driver_error(&context))?;
        let Some(row) = inserted else {
            return Err(self.fork_refusal(thread, parent, checkpoint.id).await);
        };
        let step: i64 = row.try_get("step").map_err(driver_error(&context))?;
        checkpoint.step = non_negative(step, &context, "step")?;
        checkpoint.next_node = row.try_get("next_node").map_err(driver_error(&context))?;
        Ok(StoredCheckpoint {
            checkpoint,
            schema_version: version,
        })
    }
}

impl SqliteBackend {
    /// Why a fork of `parent` inserted nothing: the parent is not in the
    /// thread, its step or next node is corrupt, or the new id `child`
    /// was taken (else the parent was written after the fork looked).
    async fn fork_refusal(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        child: CheckpointId,
    ) -> Error {
        let context = format!("forking {thread} from checkpoint {parent}");
        let row = sqlx::query(
            "SELECT tenant_id, thread_id, id, step, next_node FROM checkpoints
             WHERE tenant_id = ? AND thread_id = ? AND id = ?",
        )
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(parent.to_string())
        .fetch_optional(&self.pool)
        .await;
        let row = match row {
            Ok(Some(row)) => row,
            Ok(None) => return Error::NotFound(format!("checkpoint {parent} in {thread}")),
            Err(e) => return driver_error(context)(e),
        };
        let record = record_name(&row);
        let step = match row.try_get::<Option<i64>, _>("step") {
            Ok(Some(step)) => step,
            Ok(None) => return Error::corrupt(&record, "column `step` is null"),
            Err(e) => {
                return Error::corrupt(&record, format!("column `step` is not an integer: {e}"))
            }
        };
        if let Err(e) = non_negative(step, &record, "step") {
            return e;
        }
        if step == i64::MAX {
            return Error::corrupt(&record, "`step` cannot be incremented");
        }
        if let Err(e) = optional_text(&row, "next_node", &record) {
            return e;
        }
        match step_of(&self.pool, thread, child).await {
            Ok(Some(_)) => Error::duplicate_id(child, thread),
            Ok(None) => Error::NotFound(format!(
                "checkpoint {parent} in {thread} when the fork ran (it was written just after; \
                 fork again)"
            )),
            Err(e) => e,
        }
    }
}
