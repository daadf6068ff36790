//! `doctor`'s facts about a Postgres connection: the server's version (and
//! whether it is new enough for `client_connection_check_interval`),
//! whether this connection is encrypted, whether the role is a superuser,
//! has BYPASSRLS or is bound by row-level security, and the size of the
//! checkpoint table from the planner's statistics.

use sqlx::Row;

use crate::backend::diagnostics::{Check, Diagnostics, SizeEstimate};
use crate::error::Result;

use super::errors::driver_error;
use super::PostgresBackend;

/// This connection's row of `pg_stat_ssl` (one statement, so the backend
/// pid is the connection's own).
const OWN_SSL: &str = "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

/// The role's attributes that decide what it sees.
const ROLE_ATTRIBUTES: &str = "SELECT coalesce(rolsuper, false) AS superuser, \
     coalesce(rolbypassrls, false) AS bypass FROM pg_roles WHERE rolname = current_user";

/// The planner's figures for the checkpoint table of the connection's
/// schema: rows, bytes on disk, and distinct tenants and threads
/// (`n_distinct`: negative means a fraction of the rows).
const TABLE_STATISTICS: &str = "SELECT c.reltuples::float8 AS rows, \
     pg_relation_size(c.oid)::int8 AS bytes, \
     (SELECT s.n_distinct::float8 FROM pg_stats s WHERE s.schemaname = n.nspname \
        AND s.tablename = c.relname AND s.attname = 'tenant_id') AS tenants, \
     (SELECT s.n_distinct::float8 FROM pg_stats s WHERE s.schemaname = n.nspname \
        AND s.tablename = c.relname AND s.attname = 'thread_id') AS threads \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.oid = to_regclass('checkpoints')";

/// Bytes a checkpoint row takes, about, to estimate rows from the table's
/// size when it was never analyzed.
const BYTES_PER_ROW: i64 = 512;

/// First server version (`server_version_num`) with
/// `client_connection_check_interval`.
const CLIENT_CHECK_SINCE: i32 = 140_000;

/// The check of the server's version: a server before 14 cannot end the
/// statements of a client that vanished.
fn server_check(version: &str, version_num: i32) -> Check {
    if version_num < CLIENT_CHECK_SINCE {
        Check::warn(
            "server",
            format!("PostgreSQL {version}: too old for client_connection_check_interval (14+)"),
            "an append waiting for a session lock may still commit after its process died: upgrade to PostgreSQL 14 or later",
        )
    } else {
        Check::ok("server", format!("PostgreSQL {version}"))
    }
}

/// The check of what the role sees.
fn rls_check(role: &str, superuser: bool, bypass: bool) -> Check {
    match (superuser, bypass) {
        (true, _) => Check::ok(
            "row-level security",
            format!("role {role} is a superuser: it bypasses it and sees every tenant"),
        ),
        (false, true) => Check::ok(
            "row-level security",
            format!("role {role} has BYPASSRLS: it sees every tenant"),
        ),
        (false, false) => Check::warn(
            "row-level security",
            format!("role {role} is subject to it: it sees only the tenant it names (--tenant)"),
            "cross-tenant commands (threads across tenants, verify, prune, migrate run, copy) see only that tenant: use a role with BYPASSRLS for them",
        ),
    }
}

/// An `n_distinct` statistic as a count of `rows`.
fn distinct(n_distinct: Option<f64>, rows: u64) -> Option<u64> {
    n_distinct.map(|n| {
        if n < 0.0 {
            (-n * rows as f64).round() as u64
        } else {
            n.round() as u64
        }
    })
}

impl Diagnostics for PostgresBackend {
    async fn diagnostics(&self) -> Result<Vec<Check>> {
        let version: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&*self.pool)
            .await
            .map_err(driver_error("reading the server's version"))?;
        let version_num: i32 =
            sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
                .fetch_one(&*self.pool)
                .await
                .map_err(driver_error("reading the server's version number"))?;
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
        let attributes = sqlx::query(ROLE_ATTRIBUTES)
            .fetch_optional(&*self.pool)
            .await
            .map_err(driver_error("reading the role's attributes"))?;
        let (superuser, bypass) = match attributes {
            Some(row) => (row.get("superuser"), row.get("bypass")),
            None => (false, self.bypasses_rls()),
        };
        Ok(vec![
            Check::ok("connection", format!("{} as role {role}", self.target)),
            server_check(&version, version_num),
            tls,
            rls_check(role, superuser, bypass),
        ])
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&*self.pool)
            .await
            .map(drop)
            .map_err(driver_error("timing a round trip"))
    }

    async fn estimate_size(&self) -> Result<SizeEstimate> {
        let Some(row) = sqlx::query(TABLE_STATISTICS)
            .fetch_optional(&*self.pool)
            .await
            .map_err(driver_error("reading the checkpoint table's statistics"))?
        else {
            return Ok(SizeEstimate::default());
        };
        let analyzed: f64 = row.get("rows");
        let bytes: i64 = row.get("bytes");
        let rows = if analyzed >= 0.0 {
            analyzed.round() as u64
        } else {
            u64::try_from(bytes / BYTES_PER_ROW).unwrap_or(0)
        };
        Ok(SizeEstimate {
            checkpoints: rows,
            threads: distinct(row.get("threads"), rows),
            tenants: distinct(row.get("tenants"), rows),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::diagnostics::CheckLevel;

    #[test]
    fn servers_before_14_warn_about_client_connection_checks() {
        assert_eq!(server_check("13.14", 130_014).level, CheckLevel::Warn);
        assert!(server_check("13.14", 130_014)
            .detail
            .contains("client_connection_check_interval"));
        assert_eq!(server_check("14.0", 140_000).level, CheckLevel::Ok);
    }

    #[test]
    fn negative_n_distinct_is_a_fraction_of_the_rows() {
        assert_eq!(distinct(Some(-0.5), 1000), Some(500));
        assert_eq!(distinct(Some(42.0), 1000), Some(42));
        assert_eq!(distinct(None, 1000), None);
    }

    #[test]
    fn superuser_bypass_and_bound_roles_are_told_apart() {
        assert!(rls_check("r", true, false).detail.contains("superuser"));
        assert!(rls_check("r", false, true).detail.contains("BYPASSRLS"));
        let bound = rls_check("r", false, false);
        assert_eq!(bound.level, CheckLevel::Warn);
        assert!(bound.hint.unwrap().contains("see only that tenant"));
    }
}
