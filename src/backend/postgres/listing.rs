//! Enumerating tenants and threads across the store: summaries for
//! `threads`, and pages with a resumable cursor for bulk work.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::backend::bulk::{ThreadCursor, ThreadListing, ThreadPage, ThreadSelection};
use crate::backend::traits::ThreadSummary;
use crate::error::{Error, Result};
use crate::model::{TenantId, ThreadKey};

use super::errors::driver_error;
use super::PostgresBackend;

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
            format!(
                "{:?} was not made by the Postgres backend",
                cursor.as_text()
            ),
        )
    })
}

impl ThreadListing for PostgresBackend {
    async fn list_tenants(&self) -> Result<Vec<TenantId>> {
        self.require_bypass("listing tenants")?;
        let raw: Vec<String> = sqlx::query_scalar(
            "SELECT tenant_id FROM checkpoints UNION SELECT tenant_id FROM session_events \
             UNION SELECT tenant_id FROM memory_items \
             UNION SELECT tenant_id FROM threadctl_session_watermarks",
        )
        .fetch_all(&*self.pool)
        .await
        .map_err(driver_error("listing tenants"))?;
        let mut tenants = raw
            .into_iter()
            .map(|t| {
                TenantId::new(t).map_err(|_| {
                    Error::corrupt(
                        "a data row with no tenant (postgres)",
                        "column `tenant_id` is empty",
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        tenants.sort();
        Ok(tenants)
    }

    async fn list_threads(&self, tenant: Option<&TenantId>) -> Result<Vec<ThreadSummary>> {
        let rows = match tenant {
            Some(tenant) => {
                super::nul::check_text(tenant.as_str(), "tenant id")?;
                sqlx::query(
                    "SELECT $1::text AS tenant_id, thread_id, checkpoints, latest_step, last_write \
                     FROM threadctl_threads($1)",
                )
                .bind(tenant.as_str())
                .fetch_all(&*self.pool)
                .await
                .map_err(driver_error(format!("listing threads of tenant {tenant}")))?
            }
            None => {
                self.require_bypass("listing threads of every tenant")?;
                // One row per thread: its latest checkpoint (highest step,
                // then greatest id) gives the step and the last write.
                sqlx::query(
                    "SELECT DISTINCT ON (tenant_id, thread_id) tenant_id, thread_id, \
                            count(*) OVER (PARTITION BY tenant_id, thread_id) AS checkpoints, \
                            step AS latest_step, ts AS last_write \
                     FROM checkpoints ORDER BY tenant_id, thread_id, step DESC, id DESC",
                )
                .fetch_all(&*self.pool)
                .await
                .map_err(driver_error("listing threads of every tenant"))?
            }
        };
        let mut threads = Vec::with_capacity(rows.len());
        for row in rows {
            let tenant: String = row.try_get("tenant_id").unwrap_or_default();
            let thread: String = row.try_get("thread_id").unwrap_or_default();
            let key = ThreadKey::new(tenant.clone(), thread.clone()).map_err(|_| {
                Error::corrupt(
                    format!("checkpoints of {tenant}/{thread} (postgres)"),
                    "empty tenant_id or thread_id",
                )
            })?;
            let count: i64 = row.get("checkpoints");
            let step: Option<i64> = row.get("latest_step");
            let last_write: Option<DateTime<Utc>> = row.get("last_write");
            threads.push(ThreadSummary {
                thread: key,
                checkpoints: u64::try_from(count).unwrap_or(0),
                latest_step: step.and_then(|s| u64::try_from(s).ok()),
                last_write,
            });
        }
        threads.sort_by(|a, b| a.thread.cmp(&b.thread));
        Ok(threads)
    }

    async fn thread_page(
        &self,
        selection: &ThreadSelection,
        cursor: Option<&ThreadCursor>,
        limit: usize,
    ) -> Result<ThreadPage> {
        let scope = self.scope_of(selection, "enumerating threads of every tenant")?;
        let after = cursor.map(decode_cursor).transpose()?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT tenant_id, thread_id FROM threadctl_thread_page($1, $2, $3, $4)",
        )
        .bind(scope)
        .bind(after.as_ref().map(|a| a.0.as_str()))
        .bind(after.as_ref().map(|a| a.1.as_str()))
        .bind(i64::try_from(limit.max(1)).unwrap_or(i64::MAX))
        .fetch_all(&*self.pool)
        .await
        .map_err(driver_error("enumerating threads"))?;
        let full = rows.len() >= limit.max(1);
        let mut page = ThreadPage::default();
        let mut last = None;
        for (tenant, thread) in rows {
            let key = ThreadKey::new(tenant.clone(), thread.clone()).map_err(|_| {
                Error::corrupt(
                    format!("checkpoints of {tenant:?}/{thread:?} (postgres)"),
                    "empty tenant_id or thread_id",
                )
            })?;
            if selection.matches(&key) {
                page.threads.push(key.clone());
            }
            last = Some(key);
        }
        page.next = last.filter(|_| full).as_ref().map(encode_cursor);
        Ok(page)
    }
}
