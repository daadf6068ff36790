//! `doctor`'s facts about a Postgres connection: the server's version,
//! whether this connection is encrypted, and whether the role is bound by
//! row-level security.

use sqlx::Row;

use crate::backend::diagnostics::{Check, Diagnostics};
use crate::error::Result;

use super::errors::driver_error;
use super::PostgresBackend;

/// This connection's row of `pg_stat_ssl` (one statement, so the backend
/// pid is the connection's own).
const OWN_SSL: &str = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

impl Diagnostics for PostgresBackend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        let version: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error("reading the server's version"))?;
        let ssl = sqlx::query(OWN_SSL)
            .fetch_optional(&*self.pool)
            .await
            .map_err(driver_error("reading the connection's TLS state"))?;
        let tls = match ssl {
            Some(row) if row.try_get::<bool, _>("ssl").unwrap_or(false) => {
                let protocol: Option<String> = row.try_get("version").unwrap_or(None);
                Check::ok(
                    "tls",
                    format!("encrypted ({})", protocol.as_deref().unwrap_or("TLS")),
                )
            }
            _ => Check::warn(
                "tls",
                "not encrypted",
                "add sslmode=require (or verify-full) to the URL if the network is not trusted",
            ),
        };
        let role = self.role_name();
        let rls = if self.bypasses_rls() {
            Check::ok(
                "row-level security",
                format!(
                    "role {role} bypasses it (superuser or BYPASSRLS): every tenant is visible"
                ),
            )
        } else {
            Check::warn(
                "row-level security",
                format!("role {role} is subject to it: it sees only the tenant it names (--tenant)"),
                "cross-tenant commands (threads across tenants, verify, prune, migrate run) need a role with BYPASSRLS",
            )
        };
        Ok(vec![
            Check::ok("connection", format!("{} as role {role}", self.target)),
            Check::ok("server", format!("PostgreSQL {version}")),
            tls,
            rls,
        ])
    }
}
