//! What a transfer covers: threads by tenant and thread glob and by the
//! time of their last write, whether their session logs go along, and
//! which of the tenants' store items.

use chrono::{DateTime, Utc};

use crate::backend::{ThreadListing, ThreadSelection};
use crate::error::Result;
use crate::model::{Namespace, TenantId};

/// The selection `copy`, `export`, `import` and `verify --against` share.
#[derive(Debug, Clone)]
pub struct TransferSelection {
    /// Tenants and threads (`--tenants`, `--thread`).
    pub threads: ThreadSelection,
    /// Store items only in namespaces equal to or below these scope
    /// segments (`--namespace`; empty = every namespace).
    pub namespace: Vec<String>,
    /// Only threads whose latest checkpoint was written at or after this.
    pub since: Option<DateTime<Utc>>,
    /// Only threads whose latest checkpoint was written before this.
    pub until: Option<DateTime<Utc>>,
    /// Session events and watermarks go along (not `--no-events`).
    pub events: bool,
    /// The selected tenants' store items go along (not `--no-store`).
    pub store: bool,
}

impl Default for TransferSelection {
    fn default() -> Self {
        Self {
            threads: ThreadSelection::everything(),
            namespace: Vec::new(),
            since: None,
            until: None,
            events: true,
            store: true,
        }
    }
}

impl TransferSelection {
    /// True when a thread whose latest checkpoint was written at
    /// `last_write` is within `--since`/`--until`.
    pub fn covers_last_write(&self, last_write: Option<DateTime<Utc>>) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        last_write.is_some_and(|at| {
            self.since.is_none_or(|since| at >= since) && self.until.is_none_or(|until| at < until)
        })
    }

    /// True when threads must be read to know whether they are selected.
    pub fn filters_by_time(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// The namespace prefix of `tenant`'s selected store items.
    pub fn namespace_of(&self, tenant: &TenantId) -> Namespace {
        Namespace::new(tenant.clone(), self.namespace.iter().cloned())
    }

    /// True when `namespace` is within the selection's prefix.
    pub fn covers_namespace(&self, namespace: &Namespace) -> bool {
        namespace.scope.starts_with(&self.namespace)
            && self
                .threads
                .tenants
                .as_ref()
                .is_none_or(|g| g.matches(namespace.tenant.as_str()))
    }

    /// The tenants whose store items the selection covers: the one named,
    /// or every tenant of `source` matching the glob.
    pub async fn tenants<S: ThreadListing>(&self, source: &S) -> Result<Vec<TenantId>> {
        if let Some(tenant) = self.threads.single_tenant() {
            return Ok(vec![TenantId::new(tenant)?]);
        }
        let globs = &self.threads.tenants;
        Ok(source
            .list_tenants()
            .await?
            .into_iter()
            .filter(|t| globs.as_ref().is_none_or(|g| g.matches(t.as_str())))
            .collect())
    }
}
