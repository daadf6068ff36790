//! Bulk work: paged thread enumeration, record pages with per-record
//! results, batched writes (`threadctl_cp_write_batch`: one multi-row
//! statement per batch), server-side version counts, and the schema.

use sqlx::postgres::PgRow;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::backend::bulk::{
    check_batch, same_content, BulkCheckpoints, BulkDeletes, ConflictKind, RecordCursor,
    RecordFault, RecordOutcome, RecordPage, ThreadDeletion, ThreadSelection, UnreadableRecord,
    VersionCounts, WriteMode,
};
use crate::backend::schema::{SchemaAdmin, SchemaStatus};
use crate::backend::traits::WriteVersionAdmin;
use crate::backend::url::redact;
use crate::error::{Error, Result};
use crate::model::envelope::encode_state_column;
use crate::model::{CheckpointId, StoredCheckpoint, ThreadKey};

use super::checkpoints::{checked_step, decode_row, nul_check_checkpoint, nul_check_thread};
use super::errors::driver_error;
use super::{schema, PostgresBackend};

impl PostgresBackend {
    /// The tenant to scope a cross-thread query to: the selection's one
    /// tenant, or none for a role that sees every tenant.
    pub(super) fn scope_of<'s>(
        &self,
        selection: &'s ThreadSelection,
        operation: &'static str,
    ) -> Result<Option<&'s str>> {
        match selection.single_tenant() {
            Some(tenant) => {
                super::nul::check_text(tenant, "tenant id")?;
                Ok(Some(tenant))
            }
            None => self.require_bypass(operation).map(|()| None),
        }
    }

    /// Reads the unreadable-or-not record of one row.
    fn read_row(thread: &ThreadKey, row: &PgRow) -> crate::backend::bulk::RecordRead {
        decode_row(row).map_err(|error| {
            Box::new(UnreadableRecord {
                thread: thread.clone(),
                id: row
                    .try_get::<Uuid, _>("id")
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
                fault: RecordFault::Undecodable,
                error,
            })
        })
    }
}

impl BulkCheckpoints for PostgresBackend {
    fn keeps_nanoseconds(&self) -> bool {
        false
    }

    async fn read_page(
        &self,
        thread: &ThreadKey,
        after: Option<&RecordCursor>,
        limit: usize,
    ) -> Result<RecordPage> {
        nul_check_thread(thread)?;
        let after = after
            .map(|c| {
                let id = Uuid::parse_str(&c.id).map_err(|_| {
                    Error::invalid("record cursor", format!("{:?} is not a UUID", c.id))
                })?;
                Ok::<_, Error>((i64::try_from(c.step).unwrap_or(i64::MAX), id))
            })
            .transpose()?;
        let limit = limit.max(1);
        // A role bound by row-level security reads through the function
        // that names its tenant first. One that bypasses it reads the
        // table directly: the function hands its rows over through a
        // tuplestore, which costs the server a tenth to a quarter of a
        // page's time, and the cursor is then an index condition.
        let (tenant, thread_id) = (thread.tenant.as_str(), thread.thread.as_str());
        let limit_bind = i64::try_from(limit).unwrap_or(i64::MAX);
        let query = match (self.bypasses_rls(), after) {
            (false, _) => sqlx::query("SELECT * FROM threadctl_cp_page($1, $2, $3, $4, $5)")
                .bind(tenant)
                .bind(thread_id)
                .bind(after.map(|a| a.0))
                .bind(after.map(|a| a.1))
                .bind(limit_bind),
            (true, None) => sqlx::query(
                "SELECT * FROM checkpoints WHERE tenant_id = $1 AND thread_id = $2 \
                 ORDER BY step, id LIMIT $3",
            )
            .bind(tenant)
            .bind(thread_id)
            .bind(limit_bind),
            (true, Some((step, id))) => sqlx::query(
                "SELECT * FROM checkpoints WHERE tenant_id = $1 AND thread_id = $2 \
                 AND (step, id) > ($3, $4) ORDER BY step, id LIMIT $5",
            )
            .bind(tenant)
            .bind(thread_id)
            .bind(step)
            .bind(id)
            .bind(limit_bind),
        };
        let rows = query
            .fetch_all(&*self.pool)
            .await
            .map_err(driver_error(format!("paging checkpoints of {thread}")))?;
        let next = (rows.len() >= limit)
            .then(|| rows.last())
            .flatten()
            .map(|row| {
                let step: i64 = row.try_get("step").unwrap_or(i64::MAX);
                let id: Uuid = row.try_get("id").unwrap_or_default();
                RecordCursor {
                    step: u64::try_from(step).unwrap_or(0),
                    id: id.to_string(),
                }
            });
        Ok(RecordPage {
            records: rows.iter().map(|row| Self::read_row(thread, row)).collect(),
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
        nul_check_thread(thread)?;
        let mut ids = Vec::with_capacity(records.len());
        let mut parents = Vec::with_capacity(records.len());
        let mut steps = Vec::with_capacity(records.len());
        let mut states = Vec::with_capacity(records.len());
        let mut nexts = Vec::with_capacity(records.len());
        let mut stamps = Vec::with_capacity(records.len());
        for record in records {
            let cp = &record.checkpoint;
            nul_check_checkpoint(cp)?;
            ids.push(cp.id.0);
            parents.push(cp.parent_id.map(|p| p.0));
            steps.push(checked_step(cp)?);
            states.push(encode_state_column(cp, record.schema_version));
            nexts.push(cp.next_node.clone());
            stamps.push(cp.timestamp);
        }
        let existing = sqlx::query(
            "SELECT $1::text AS tenant_id, $2::text AS thread_id, * \
             FROM threadctl_cp_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(thread.tenant.as_str())
        .bind(thread.thread.as_str())
        .bind(mode == WriteMode::Replace)
        .bind(&ids)
        .bind(&parents)
        .bind(&steps)
        .bind(&states)
        .bind(&nexts)
        .bind(&stamps)
        .fetch_all(&*self.pool)
        .await
        .map_err(driver_error(format!(
            "writing a batch of {} checkpoints of {thread}",
            records.len()
        )))?;
        Ok(outcomes(records, mode, |id| {
            existing
                .iter()
                .find(|row| row.try_get::<Uuid, _>("id").is_ok_and(|u| u == id.0))
                .map(decode_row)
        }))
    }

    async fn count_by_version(&self, selection: &ThreadSelection) -> Result<VersionCounts> {
        let scope = self.scope_of(selection, "counting records of every tenant")?;
        let per_thread = selection.threads.is_some()
            || (selection.tenants.is_some() && selection.single_tenant().is_none());
        // Plain SQL, not a threadctl function: `migrate status` counts on
        // schemas threadctl has not set up.
        let context = "counting records per envelope version";
        let mut conn = self.pool.acquire().await.map_err(driver_error(context))?;
        let result = async {
            let mut tx = conn.begin().await?;
            if let Some(tenant) = scope {
                sqlx::query("SELECT set_config('entelix.tenant_id', $1, true)")
                    .bind(tenant)
                    .execute(&mut *tx)
                    .await?;
            }
            let rows = sqlx::query(&format!(
                "SELECT {group} \
                        CASE WHEN jsonb_typeof(state -> 'schema_version') = 'number' \
                             THEN state ->> 'schema_version' END AS version, \
                        count(*) AS records, \
                        count(*) FILTER (WHERE jsonb_typeof(state -> 'metadata') = 'object' \
                                           AND state -> 'metadata' <> '{{}}'::jsonb) AS with_metadata \
                 FROM checkpoints WHERE $1::text IS NULL OR tenant_id = $1 \
                 GROUP BY {group} version",
                group = if per_thread { "tenant_id, thread_id," } else { "" }
            ))
            .bind(scope)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(rows)
        }
        .await;
        let rows = conn.settle(result).map_err(driver_error(context))?;
        let mut counts = VersionCounts::default();
        for row in rows {
            if per_thread {
                let tenant: String = row.get("tenant_id");
                let thread: String = row.get("thread_id");
                let selected = ThreadKey::new(tenant, thread)
                    .map(|key| selection.matches(&key))
                    .unwrap_or(false);
                if !selected {
                    continue;
                }
            }
            let version: Option<String> = row.get("version");
            let records: i64 = row.get("records");
            let with_metadata: i64 = row.get("with_metadata");
            let records = u64::try_from(records).unwrap_or(0);
            match version.as_deref().and_then(supported_version) {
                Some(v) => *counts.by_version.entry(v).or_default() += records,
                None => counts.unversioned += records,
            }
            counts.with_metadata += u64::try_from(with_metadata).unwrap_or(0);
        }
        Ok(counts)
    }
}

/// A stored `schema_version` number this build reads, from its JSON text.
fn supported_version(text: &str) -> Option<u32> {
    match text {
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}

/// Each record's outcome, given what the thread held before the batch
/// under each id that was already taken.
fn outcomes(
    records: &[StoredCheckpoint],
    mode: WriteMode,
    before: impl Fn(CheckpointId) -> Option<Result<StoredCheckpoint>>,
) -> Vec<RecordOutcome> {
    records
        .iter()
        .map(|record| match (mode, before(record.checkpoint.id)) {
            (WriteMode::Replace, _) | (_, None) => RecordOutcome::Written,
            (WriteMode::SkipIdentical, Some(Ok(stored))) if same_content(&stored, record) => {
                RecordOutcome::Unchanged
            }
            (_, Some(_)) => RecordOutcome::Conflict(ConflictKind::DuplicateId),
        })
        .collect()
}

impl BulkDeletes for PostgresBackend {
    async fn delete_checkpoints(&self, thread: &ThreadKey, ids: &[CheckpointId]) -> Result<u64> {
        nul_check_thread(thread)?;
        let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
        let deleted: i64 = sqlx::query_scalar("SELECT threadctl_cp_delete($1, $2, $3)")
            .bind(thread.tenant.as_str())
            .bind(thread.thread.as_str())
            .bind(&ids)
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error(format!(
                "deleting {} checkpoints of {thread}",
                ids.len()
            )))?;
        Ok(u64::try_from(deleted).unwrap_or(0))
    }

    async fn delete_thread(&self, thread: &ThreadKey) -> Result<ThreadDeletion> {
        nul_check_thread(thread)?;
        let (checkpoints, events): (i64, i64) =
            sqlx::query_as("SELECT checkpoints, events FROM threadctl_thread_delete($1, $2)")
                .bind(thread.tenant.as_str())
                .bind(thread.thread.as_str())
                .fetch_one(&*self.pool)
                .await
                .map_err(driver_error(format!("deleting thread {thread}")))?;
        Ok(ThreadDeletion {
            checkpoints: u64::try_from(checkpoints).unwrap_or(0),
            events: u64::try_from(events).unwrap_or(0),
            shared_log_kept: false,
        })
    }
}

impl SchemaAdmin for PostgresBackend {
    async fn schema_status(&self) -> Result<SchemaStatus> {
        schema::status(&self.pool).await
    }

    async fn apply_schema(&self) -> Result<SchemaStatus> {
        let status = schema::apply(&self.pool, &redact(&self.target), true).await?;
        self.refresh_write_version().await?;
        Ok(status)
    }
}
