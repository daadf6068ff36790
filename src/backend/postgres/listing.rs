//! Enumerating tenants and threads across the store: summaries for
//! `threads`, and pages with a resumable cursor for bulk work.

use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::{Connection, Row};

use crate::backend::bulk::{
    keyset_page, SummarySink, ThreadCursor, ThreadListing, ThreadPage, ThreadSelection,
};
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

/// How a streamed listing ended, with what the sink or decoding said.
enum Ended {
    /// Every row was read and the transaction committed.
    Whole(Result<()>),
    /// Stopped before the last row: the sink broke or failed, or a row
    /// was corrupt.
    Early(Result<()>),
}

/// The listing in key order, served by the (tenant, thread, step, id)
/// index without a sort: each thread's latest checkpoint (highest step,
/// then greatest id) gives its step and last write. `$1` is the tenant
/// (NULL: every one), `$2, $3` the pair to start after, given by the
/// literal `$after` condition.
macro_rules! summaries_sql {
    ($after:literal) => {
        concat!(
            "SELECT tenant_id, thread_id, checkpoints, latest_step, last_write FROM ( \
               SELECT tenant_id, thread_id, step AS latest_step, ts AS last_write, \
                      row_number() OVER (PARTITION BY tenant_id, thread_id \
                                         ORDER BY step DESC, id DESC) AS newest, \
                      count(*) OVER (PARTITION BY tenant_id, thread_id) AS checkpoints \
               FROM checkpoints WHERE ($1::text IS NULL OR tenant_id = $1) ",
            $after,
            ") listed WHERE newest = 1 ORDER BY tenant_id, thread_id"
        )
    };
}

/// The listing from its first thread.
const SUMMARIES_FROM_START: &str = summaries_sql!("AND $2::text IS NULL AND $3::text IS NULL");

/// The listing after the pair `$2, $3`.
const SUMMARIES_AFTER: &str = summaries_sql!("AND (tenant_id, thread_id) > ($2::text, $3::text)");

/// Decodes one row of the listing.
fn summary_of(row: &PgRow) -> Result<ThreadSummary> {
    let tenant: String = row.try_get("tenant_id").unwrap_or_default();
    let thread: String = row.try_get("thread_id").unwrap_or_default();
    let count: i64 = row.try_get("checkpoints").unwrap_or_default();
    let step: Option<i64> = row.try_get("latest_step").unwrap_or_default();
    let last_write: Option<DateTime<Utc>> = row.try_get("last_write").unwrap_or_default();
    let key = ThreadKey::new(tenant, thread).map_err(|_| {
        Error::corrupt(
            "checkpoints of a thread (postgres)",
            "empty tenant_id or thread_id",
        )
    })?;
    Ok(ThreadSummary {
        thread: key,
        checkpoints: u64::try_from(count).unwrap_or(0),
        latest_step: step.and_then(|s| u64::try_from(s).ok()),
        last_write,
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

    async fn summary_pages(
        &self,
        tenant: Option<&TenantId>,
        after: Option<&ThreadKey>,
        page_size: usize,
        sink: &mut SummarySink<'_>,
    ) -> Result<()> {
        let context = match tenant {
            Some(tenant) => {
                super::nul::check_text(tenant.as_str(), "tenant id")?;
                format!("listing threads of tenant {tenant}")
            }
            None => {
                self.require_bypass("listing threads of every tenant")?;
                "listing threads of every tenant".to_string()
            }
        };
        let mut conn = self.pool.acquire().await.map_err(driver_error(&context))?;
        let outcome = async {
            let mut tx = conn.begin().await?;
            if let Some(tenant) = tenant {
                sqlx::query("SELECT set_config('entelix.tenant_id', $1, true)")
                    .bind(tenant.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            let summaries = if after.is_some() {
                SUMMARIES_AFTER
            } else {
                SUMMARIES_FROM_START
            };
            let mut rows = sqlx::query(summaries)
                .bind(tenant.map(TenantId::as_str))
                .bind(after.map(|a| a.tenant.as_str()))
                .bind(after.map(|a| a.thread.as_str()))
                .fetch(&mut *tx);
            let mut page = Vec::with_capacity(page_size.max(1));
            while let Some(row) = rows.try_next().await? {
                let handed = summary_of(&row).and_then(|summary| {
                    page.push(summary);
                    if page.len() < page_size.max(1) {
                        return Ok(ControlFlow::Continue(()));
                    }
                    sink(std::mem::take(&mut page))
                });
                match handed {
                    Ok(ControlFlow::Continue(())) => {}
                    stopped => return Ok(Ended::Early(stopped.map(|_| ()))),
                }
            }
            drop(rows);
            tx.commit().await?;
            Ok(Ended::Whole(if page.is_empty() {
                Ok(())
            } else {
                sink(page).map(|_| ())
            }))
        }
        .await;
        match outcome {
            Ok(Ended::Whole(result)) => {
                conn.finish(true);
                result
            }
            // The rest of the reply is still on the wire: the connection
            // is closed rather than drained.
            Ok(Ended::Early(result)) => {
                conn.finish(false);
                result
            }
            Err(e) => conn.settle(Err(e)).map_err(driver_error(&context)),
        }
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
        let (threads, last) = keyset_page(rows, selection, limit, "postgres checkpoints")?;
        Ok(ThreadPage {
            threads,
            next: last.as_ref().map(encode_cursor),
        })
    }
}
