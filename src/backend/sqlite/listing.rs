//! Enumerating tenants and threads across the store: summaries for
//! `threads`, and pages with a resumable cursor for bulk work.

use futures_util::TryStreamExt;
use sqlx::Row;

use super::{driver_error, non_negative, to_sql_int, SqliteBackend, KIND};
use crate::backend::bulk::{
    keyset_page, SummarySink, ThreadCursor, ThreadListing, ThreadPage, ThreadSelection,
};
use crate::backend::traits::ThreadSummary;
use crate::error::{Error, Result};
use crate::model::envelope::parse_timestamp;
use crate::model::{TenantId, ThreadKey};

/// Decodes one row of the `summary_pages` query.
fn summary(row: &sqlx::sqlite::SqliteRow) -> Result<ThreadSummary> {
    let tenant: String = row.try_get("tenant_id").unwrap_or_default();
    let thread: String = row.try_get("thread_id").unwrap_or_default();
    let record = format!("{KIND} checkpoints of tenant {tenant:?}, thread {thread:?}");
    let key = ThreadKey::new(tenant, thread)
        .map_err(|_| Error::corrupt(&record, "empty or non-text tenant_id or thread_id"))?;
    let count: i64 = row
        .try_get("checkpoints")
        .map_err(|e| Error::corrupt(&record, e.to_string()))?;
    let latest_step: Option<i64> = row
        .try_get("latest_step")
        .map_err(|e| Error::corrupt(&record, format!("`step`: {e}")))?;
    let last_write: Option<String> = row
        .try_get("last_write")
        .map_err(|e| Error::corrupt(&record, format!("`ts`: {e}")))?;
    Ok(ThreadSummary {
        checkpoints: non_negative(count, &record, "count")?,
        latest_step: latest_step
            .map(|s| non_negative(s, &record, "step"))
            .transpose()?,
        last_write: last_write
            .map(|raw| parse_timestamp(&raw, &record))
            .transpose()?,
        thread: key,
    })
}

/// The `summary_pages` query, with the tenant condition given: spelled
/// out for one tenant, so that the index is searched from it rather than
/// scanned whole.
///
/// One pass over the (tenant, thread, step, id) index, no lookup per
/// thread: `step` and `ts` are bare columns, which SQLite takes from the
/// row holding the group's one `MAX`. That maximum is of (step, id) as
/// one text, the step zero-padded so that it orders as `ORDER BY step
/// DESC, id DESC` names the latest checkpoint, and unique (the id is
/// unique in its thread), so no tie leaves the row to chance.
macro_rules! summaries {
    ($tenant:literal) => {
        concat!(
            "SELECT tenant_id, thread_id, COUNT(*) AS checkpoints,
                    MAX(printf('%019d', step) || id) AS latest,
                    step AS latest_step, ts AS last_write
             FROM checkpoints
             WHERE ",
            $tenant,
            " AND (?2 IS NULL OR (tenant_id, thread_id) > (?2, ?3))
             GROUP BY tenant_id, thread_id
             ORDER BY tenant_id, thread_id"
        )
    };
}

/// A thread cursor's text: the last pair returned, as a JSON array.
pub(super) fn encode_cursor(thread: &ThreadKey) -> ThreadCursor {
    ThreadCursor::from_text(
        serde_json::json!([thread.tenant.as_str(), thread.thread.as_str()]).to_string(),
    )
}

pub(super) fn decode_cursor(cursor: &ThreadCursor) -> Result<(String, String)> {
    serde_json::from_str(cursor.as_text()).map_err(|_| {
        Error::invalid(
            "thread cursor",
            format!("{:?} was not made by the SQLite backend", cursor.as_text()),
        )
    })
}

impl ThreadListing for SqliteBackend {
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        let raw: Vec<Option<String>> = sqlx::query_scalar(
            "SELECT tenant_id FROM checkpoints
             UNION SELECT tenant_id FROM session_events
             UNION SELECT tenant_id FROM threadctl_session_log
             UNION SELECT tenant_id FROM memory_items
             ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("listing tenants"))?;
        raw.into_iter()
            .map(|tenant| {
                tenant.and_then(|t| TenantId::new(t).ok()).ok_or_else(|| {
                    Error::corrupt(
                        format!("{KIND} rows"),
                        "a row has an empty or null tenant_id",
                    )
                })
            })
            .collect()
    }

    async fn summary_pages(
        &self,
        tenant: Option<&TenantId>,
        after: Option<&ThreadKey>,
        page_size: usize,
        sink: &mut SummarySink<'_>,
    ) -> Result<()> {
        let sql = match tenant {
            Some(_) => summaries!("tenant_id = ?1"),
            None => summaries!("?1 IS NULL"),
        };
        let mut rows = sqlx::query(sql)
            .bind(tenant.map(TenantId::as_str))
            .bind(after.map(|a| a.tenant.as_str()))
            .bind(after.map(|a| a.thread.as_str()))
            .fetch(&self.pool);
        let mut page = Vec::with_capacity(page_size.max(1));
        while let Some(row) = rows
            .try_next()
            .await
            .map_err(driver_error("listing threads"))?
        {
            page.push(summary(&row)?);
            if page.len() >= page_size.max(1) && sink(std::mem::take(&mut page))?.is_break() {
                return Ok(());
            }
        }
        if page.is_empty() {
            return Ok(());
        }
        sink(page).map(|_last_page_handed| ())
    }

    async fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<ThreadPage> {
        let after = cursor.map(decode_cursor).transpose()?;
        let limit = limit.max(1);
        let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT DISTINCT tenant_id, thread_id FROM checkpoints
             WHERE (?1 IS NULL OR tenant_id = ?1)
               AND (?2 IS NULL OR (tenant_id, thread_id) > (?2, ?3))
             ORDER BY tenant_id, thread_id LIMIT ?4",
        )
        .bind(selection.single_tenant())
        .bind(after.as_ref().map(|a| a.0.as_str()))
        .bind(after.as_ref().map(|a| a.1.as_str()))
        .bind(to_sql_int(limit as u64, "limit")?)
        .fetch_all(&self.pool)
        .await
        .map_err(driver_error("enumerating threads"))?;
        let (threads, last) = keyset_page(unnulled(rows), selection, limit, "sqlite checkpoints")?;
        Ok(ThreadPage {
            threads,
            next: last.as_ref().map(encode_cursor),
        })
    }
}

/// `(tenant, thread)` rows with NULLs read as empty ids (which
/// [`keyset_page`] reports as corrupt).
pub(super) fn unnulled(rows: Vec<(Option<String>, Option<String>)>) -> Vec<(String, String)> {
    rows.into_iter()
        .map(|(tenant, thread)| (tenant.unwrap_or_default(), thread.unwrap_or_default()))
        .collect()
}
