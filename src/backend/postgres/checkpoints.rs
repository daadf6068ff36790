//! Checkpoints: the `checkpoints` table, one statement per operation (a
//! function call, or for a put with nothing to check the INSERT itself).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{Postgres, Row};
use uuid::Uuid;

use crate::backend::traits::CheckpointBackend;
use crate::error::{Error, Result};
use crate::model::envelope::{decode_state_column, encode_state_column};
use crate::model::{
    now_micros, prepare_new_write, Checkpoint, CheckpointId, EnvelopeVersion, Origin,
    StoredCheckpoint, TenantId, ThreadId, ThreadKey,
};

use super::errors::driver_error;
use super::index_key::check_key_bytes;
use super::json_column::json_column;
use super::{nul, PostgresBackend};

impl CheckpointBackend for PostgresBackend {
    fn write_version(&self) -> EnvelopeVersion {
        self.write_version.get()
    }

    async fn put_checkpoint(
        &self,
        cp: &Checkpoint<Value>,
        expect_latest: Option<Option<CheckpointId>>,
    ) -> Result<()> {
        let version = self.write_version.get();
        let cp = &prepare_new_write(cp, version)?;
        let step = checked_step(cp)?;
        let column = encode_state_column(cp, version);
        nul_check_checkpoint(cp)?;
        match expect_latest {
            None => add_checkpoint(self, cp, step, &column).await,
            Some(expected) => put_checked(self, cp, step, &column, expected).await,
        }
    }

    async fn latest_checkpoint(&self, thread: &ThreadKey) -> Result<Option<StoredCheckpoint>> {
        nul_check_thread(thread)?;
        let row = sqlx::query("SELECT * FROM threadctl_cp_latest($1, $2)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .fetch_optional(&*self.pool)
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
        nul_check_thread(thread)?;
        let row = sqlx::query("SELECT * FROM threadctl_cp_get($1, $2, $3)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(id.0)
            .fetch_optional(&*self.pool)
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
        nul_check_thread(thread)?;
        let limit = limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows = sqlx::query("SELECT * FROM threadctl_cp_history($1, $2, $3, $4)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(limit)
            .bind(before.map(|b| b.0))
            .fetch_all(&*self.pool)
            .await
            .map_err(driver_error(format!("reading the history of {thread}")))?;
        rows.iter().map(decode_row).collect()
    }

    async fn fork_checkpoint(
        &self,
        thread: &ThreadKey,
        parent: CheckpointId,
        state: Value,
        metadata: Map<String, Value>,
    ) -> Result<StoredCheckpoint> {
        let version = self.write_version.get();
        let metadata = Origin::fork_metadata(thread, parent, metadata, version)?;
        let mut cp = Checkpoint::new(thread, Some(parent), 0, state, None);
        cp.timestamp = now_micros();
        cp.metadata = metadata;
        nul_check_checkpoint(&cp)?;
        let column = encode_state_column(&cp, version);
        let row =
            sqlx::query("SELECT step, next_node FROM threadctl_cp_fork($1, $2, $3, $4, $5, $6)")
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .bind(parent.0)
                .bind(cp.id.0)
                .bind(&column)
                .bind(cp.timestamp)
                .fetch_one(&*self.pool)
                .await
                .map_err(driver_error(format!(
                    "forking {thread} from checkpoint {parent}"
                )))?;
        let step: i64 = row.get("step");
        cp.step = u64::try_from(step).map_err(|_| {
            Error::corrupt(
                record_name(
                    &parent.to_string(),
                    thread.tenant.as_str(),
                    thread.thread.as_str(),
                ),
                "column `step` is negative",
            )
        })?;
        cp.next_node = row.get("next_node");
        Ok(StoredCheckpoint {
            checkpoint: cp,
            schema_version: version,
        })
    }
}

/// Adds a checkpoint with nothing to check: one INSERT whose FROM first
/// scopes the transaction to the tenant and takes the thread's writer lock
/// shared (migration 4), then inserts unless the id is taken. Volatile
/// calls in a FROM subquery are neither pulled up nor dropped by the
/// planner, so both run once, before the row they produce is checked by
/// row-level security and inserted. Sent straight rather than through a
/// PL/pgSQL function: the function call, its three statements and its
/// one-row result table cost the server about twice the INSERT's own time.
async fn add_checkpoint(
    backend: &PostgresBackend,
    cp: &Checkpoint<Value>,
    step: i64,
    column: &Value,
) -> Result<()> {
    let done = bind_row(
        sqlx::query(
            "INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             FROM (SELECT set_config('entelix.tenant_id', $1, true), \
                          pg_advisory_xact_lock_shared(threadctl_cp_lock_key($1, $2))) AS scoped \
             ON CONFLICT (tenant_id, thread_id, id) DO NOTHING",
        ),
        cp,
        step,
        column,
    )
    .execute(&*backend.pool)
    .await
    .map_err(|e| write_failed(cp, e))?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(Error::duplicate_id(cp.id, cp.thread_key()))
    }
}

/// Binds `cp`'s row in the table's column order as the next eight
/// parameters (tenant, thread, id, parent, step, state column, next node,
/// timestamp).
fn bind_row<'q>(
    query: Query<'q, Postgres, PgArguments>,
    cp: &'q Checkpoint<Value>,
    step: i64,
    column: &'q Value,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(cp.tenant_id.as_str())
        .bind(cp.thread_id.as_str())
        .bind(cp.id.0)
        .bind(cp.parent_id.map(|p| p.0))
        .bind(step)
        .bind(column)
        .bind(cp.next_node.as_deref())
        .bind(cp.timestamp)
}

/// Puts a checkpoint only when the thread's latest is `expected`: the
/// check and the insert hold the thread's writer lock exclusively.
async fn put_checked(
    backend: &PostgresBackend,
    cp: &Checkpoint<Value>,
    step: i64,
    column: &Value,
    expected: Option<CheckpointId>,
) -> Result<()> {
    let row = bind_row(
        sqlx::query(
            "SELECT outcome, latest FROM threadctl_cp_put($1, $2, $3, $4, $5, $6, $7, $8, true, $9)",
        ),
        cp,
        step,
        column,
    )
    .bind(expected.map(|e| e.0))
    .fetch_one(&*backend.pool)
    .await
    .map_err(|e| write_failed(cp, e))?;
    let outcome: String = row.get("outcome");
    match outcome.as_str() {
        "ok" => Ok(()),
        "duplicate" => Err(Error::duplicate_id(cp.id, cp.thread_key())),
        _ => {
            let actual: Option<Uuid> = row.get("latest");
            Err(Error::stale_latest(expected, cp.thread_key(), actual))
        }
    }
}

/// The error of a failed checkpoint write, naming the record (built only
/// on failure).
fn write_failed(cp: &Checkpoint<Value>, error: sqlx::Error) -> Error {
    driver_error(format!(
        "writing checkpoint {} of {}",
        cp.id,
        cp.thread_key()
    ))(error)
}

/// How a checkpoint row is named in errors.
pub(super) fn record_name(id: &str, tenant: &str, thread: &str) -> String {
    format!("checkpoint {id} of {tenant}/{thread} (postgres)")
}

/// The step as Postgres' bigint.
pub(super) fn checked_step(cp: &Checkpoint<Value>) -> Result<i64> {
    i64::try_from(cp.step).map_err(|_| {
        Error::invalid(
            "step",
            format!("{} does not fit Postgres' bigint column", cp.step),
        )
    })
}

/// Refuses a checkpoint Postgres could not store (NUL characters, ids
/// too long for its index).
pub(super) fn nul_check_checkpoint(cp: &Checkpoint<Value>) -> Result<()> {
    nul_check_thread(&cp.thread_key())?;
    let owner = format!("checkpoint {} of {}", cp.id, cp.thread_key());
    if let Some(next) = &cp.next_node {
        nul::check_text(next, "next node")?;
    }
    nul::check_json(&cp.state, "state", &owner)?;
    nul::check_json(&Value::Object(cp.metadata.clone()), "metadata", &owner)
}

/// Refuses a thread key Postgres could not store (NUL characters, ids too
/// long for its index).
pub(super) fn nul_check_thread(thread: &ThreadKey) -> Result<()> {
    nul::check_text(thread.tenant.as_str(), "tenant id")?;
    nul::check_text(thread.thread.as_str(), "thread id")?;
    check_key_bytes(
        &[thread.tenant.as_str(), thread.thread.as_str()],
        "tenant and thread id",
    )
}

/// Decodes one `checkpoints` row, reporting corruption by record.
pub(super) fn decode_row(row: &PgRow) -> Result<StoredCheckpoint> {
    let tenant: String = row.try_get("tenant_id").unwrap_or_default();
    let thread: String = row.try_get("thread_id").unwrap_or_default();
    let id_text = row
        .try_get::<Uuid, _>("id")
        .map(|u| u.to_string())
        .unwrap_or_else(|_| "<unreadable id>".into());
    let record = record_name(&id_text, &tenant, &thread);
    let field =
        |name: &str, e: sqlx::Error| Error::corrupt(&record, format!("column `{name}`: {e}"));

    let tenant_id = TenantId::new(tenant.clone())
        .map_err(|_| Error::corrupt(&record, "column `tenant_id` is empty"))?;
    let thread_id = ThreadId::new(thread.clone())
        .map_err(|_| Error::corrupt(&record, "column `thread_id` is empty"))?;
    let id: Uuid = row.try_get("id").map_err(|e| field("id", e))?;
    let parent_id: Option<Uuid> = row
        .try_get("parent_id")
        .map_err(|e| field("parent_id", e))?;
    let step: i64 = row.try_get("step").map_err(|e| field("step", e))?;
    let step = u64::try_from(step)
        .map_err(|_| Error::corrupt(&record, format!("column `step` is negative ({step})")))?;
    let column = json_column(row, "state").map_err(|reason| Error::corrupt(&record, reason))?;
    let next_node: Option<String> = row
        .try_get("next_node")
        .map_err(|e| field("next_node", e))?;
    let timestamp: DateTime<Utc> = row.try_get("ts").map_err(|e| field("ts", e))?;
    let decoded = decode_state_column(column, &record)?;
    Ok(StoredCheckpoint {
        checkpoint: Checkpoint {
            id: CheckpointId(id),
            tenant_id,
            thread_id,
            parent_id: parent_id.map(CheckpointId),
            step,
            state: decoded.state,
            next_node,
            timestamp,
            metadata: decoded.metadata,
        },
        schema_version: decoded.version,
    })
}
