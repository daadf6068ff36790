//! Schema setup: the reference's layout when absent, threadctl's additive
//! objects when missing or older, and the stored write version.

use sqlx::{Connection, Row};

use crate::error::{Error, Result};
use crate::model::EnvelopeVersion;

use super::errors::driver_error;
use super::pool::ConnPool;

/// The reference's tables, RLS, policies and migration records.
const REFERENCE_LAYOUT: &str = include_str!("../../../migrations/postgres/reference_layout.sql");
/// threadctl's watermark table and `threadctl_*` functions.
const THREADCTL_OBJECTS: &str = include_str!("../../../migrations/postgres/threadctl.sql");
/// Version of [`THREADCTL_OBJECTS`], kept as `schema_version` component
/// `threadctl`; bump it whenever that file changes, so existing setups get
/// the new definitions. 2: fork takes the checkpoint lock, bounded waits
/// for the session lock, watermark grants, `threadctl_threads` last write.
const THREADCTL_VERSION: i64 = 2;
/// Advisory transaction lock serializing concurrent setups (single-int key,
/// so it never meets a session lock's two-int key).
const SETUP_LOCK: i64 = 0x7468_7264_6374_6c31;

/// The connected role and whether row-level security restricts it.
#[derive(Debug, Clone)]
pub(super) struct RoleInfo {
    /// `current_user`.
    pub name: String,
    /// Superuser or BYPASSRLS: sees every tenant's rows.
    pub bypasses_rls: bool,
}

/// Makes sure the schema is ready, setting it up if needed; returns the role.
///
/// `target` is the redacted URL, for errors.
pub(super) async fn ensure(pool: &ConnPool, target: &str) -> Result<RoleInfo> {
    // No format('%I', …) here: current_schema() is NULL when no schema of
    // the search_path exists, which is reported below.
    let row = sqlx::query(
        "SELECT current_user::text AS name, \
                coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), false) AS bypass, \
                current_schema()::text AS schema, \
                current_setting('search_path') AS search_path, \
                to_regclass(quote_ident(current_schema()) || '.schema_version') IS NOT NULL AS has_versions, \
                coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) AS can_create",
    )
    .fetch_one(pool)
    .await
    .map_err(driver_error("inspecting the connection's role and schema"))?;
    let role = RoleInfo {
        name: row.get("name"),
        bypasses_rls: row.get("bypass"),
    };
    let Some(schema) = row.get::<Option<String>, _>("schema") else {
        let search_path: String = row.get("search_path");
        return Err(Error::invalid(
            "Postgres URL",
            format!(
                "search_path `{search_path}` names no existing schema, so the connection has no \
                 current schema; create the schema or fix `options=-c search_path=…` in the URL"
            ),
        ));
    };
    let has_versions: bool = row.get("has_versions");
    if !has_versions || threadctl_version(pool).await? < THREADCTL_VERSION {
        let missing = MissingObjects {
            target,
            schema: &schema,
            role: &role.name,
        };
        if !row.get::<bool, _>("can_create") {
            return Err(missing.error());
        }
        set_up(pool, &missing).await?;
    }
    Ok(role)
}

/// What to tell a role that cannot set up the objects threadctl needs.
struct MissingObjects<'a> {
    /// Redacted URL.
    target: &'a str,
    /// `current_schema()`.
    schema: &'a str,
    /// `current_user`.
    role: &'a str,
}

impl MissingObjects<'_> {
    fn error(&self) -> Error {
        let Self {
            target,
            schema,
            role,
        } = self;
        Error::Connect {
            target: target.to_string(),
            reason: format!(
                "threadctl's objects (threadctl_* functions, table threadctl_session_watermarks; \
                 version {THREADCTL_VERSION}) are missing or outdated in schema \"{schema}\", and role \
                 \"{role}\" cannot create them (it lacks CREATE on the schema or does not own them); \
                 run threadctl once as the schema's owner or a role with CREATE on \"{schema}\", e.g. \
                 `threadctl --url postgres://OWNER@…?options=-c%20search_path%3D{schema} threads`, \
                 then retry as \"{role}\""
            ),
        }
    }
}

async fn threadctl_version(pool: &ConnPool) -> Result<i64> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'threadctl'")
            .fetch_optional(pool)
            .await
            .map_err(driver_error("reading threadctl's schema version"))?;
    Ok(version.unwrap_or(0))
}

/// Creates what is missing, in one transaction serialized against other
/// processes doing the same. A permission failure is reported as
/// `missing` explains it.
async fn set_up(pool: &ConnPool, missing: &MissingObjects<'_>) -> Result<()> {
    let context = "setting up the Postgres schema";
    let mut conn = pool.acquire().await.map_err(driver_error(context))?;
    let result = set_up_on(&mut conn, context).await;
    // After a failed setup the connection may hold an aborted transaction.
    conn.finish(result.is_ok());
    result.map_err(|e| {
        if is_permission_denied(&e) {
            missing.error()
        } else {
            e
        }
    })
}

/// SQLSTATE 42501 (insufficient_privilege) from the server.
fn is_permission_denied(error: &Error) -> bool {
    let Error::Backend { source, .. } = error else {
        return false;
    };
    source
        .downcast_ref::<sqlx::Error>()
        .and_then(|e| e.as_database_error())
        .and_then(|db| db.code())
        .is_some_and(|code| code == "42501")
}

async fn set_up_on(conn: &mut sqlx::PgConnection, context: &'static str) -> Result<()> {
    let mut tx = conn.begin().await.map_err(driver_error(context))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SETUP_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(driver_error(context))?;
    let has_checkpoints: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.checkpoints', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(driver_error(context))?;
    if !has_checkpoints {
        sqlx::raw_sql(REFERENCE_LAYOUT)
            .execute(&mut *tx)
            .await
            .map_err(driver_error(
                "creating the reference's tables, policies and migration records",
            ))?;
    }
    let has_versions: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.schema_version', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(driver_error(context))?;
    if !has_versions {
        return Err(Error::invalid(
            "Postgres schema",
            "table `checkpoints` exists but `schema_version` does not; this is not a layout threadctl knows",
        ));
    }
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'threadctl'")
            .fetch_optional(&mut *tx)
            .await
            .map_err(driver_error(context))?;
    if current.unwrap_or(0) < THREADCTL_VERSION {
        sqlx::raw_sql(THREADCTL_OBJECTS)
            .execute(&mut *tx)
            .await
            .map_err(driver_error(
                "creating threadctl's functions and watermark table",
            ))?;
        sqlx::query(
            "INSERT INTO schema_version (component, version) VALUES ('threadctl', $1) \
             ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
        )
        .bind(THREADCTL_VERSION)
        .execute(&mut *tx)
        .await
        .map_err(driver_error("recording threadctl's schema version"))?;
    }
    tx.commit().await.map_err(driver_error(context))
}

/// Loads the write version (`schema_version` component `envelope`; absent = 1).
pub(super) async fn load_write_version(pool: &ConnPool) -> Result<EnvelopeVersion> {
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'envelope'")
            .fetch_optional(pool)
            .await
            .map_err(driver_error("reading the write version"))?;
    match stored {
        None => Ok(EnvelopeVersion::V1),
        Some(n) => EnvelopeVersion::from_number(n, "write version (schema_version `envelope`)"),
    }
}

/// Saves the write version.
pub(super) async fn save_write_version(pool: &ConnPool, version: EnvelopeVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO schema_version (component, version, applied_at) VALUES ('envelope', $1, now()) \
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
    )
    .bind(i64::from(version.number()))
    .execute(pool)
    .await
    .map_err(driver_error("storing the write version"))?;
    Ok(())
}
