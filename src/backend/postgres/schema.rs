//! Schema setup: the reference's layout when absent, threadctl's additive
//! objects when missing or older, and the stored write version.

use sqlx::{Connection, Row};

use crate::error::{Error, Result};
use crate::model::EnvelopeVersion;

use super::errors::db;
use super::pool::ConnPool;

/// The reference's tables, RLS, policies and migration records.
const REFERENCE_LAYOUT: &str = include_str!("../../../migrations/postgres/reference_layout.sql");
/// threadctl's watermark table and `threadctl_*` functions.
const THREADCTL_OBJECTS: &str = include_str!("../../../migrations/postgres/threadctl_v1.sql");
/// Version of [`THREADCTL_OBJECTS`], kept as `schema_version` component `threadctl`.
const THREADCTL_VERSION: i64 = 1;
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
pub(super) async fn ensure(pool: &ConnPool) -> Result<RoleInfo> {
    let row = sqlx::query(
        "SELECT current_user::text AS name, \
                coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), false) AS bypass, \
                current_schema()::text AS schema, \
                to_regclass(format('%I.schema_version', current_schema())) IS NOT NULL AS has_versions",
    )
    .fetch_one(pool)
    .await
    .map_err(db("inspecting the connection's role and schema"))?;
    let role = RoleInfo {
        name: row.get("name"),
        bypasses_rls: row.get("bypass"),
    };
    let schema: Option<String> = row.get("schema");
    if schema.is_none() {
        return Err(Error::invalid(
            "Postgres URL",
            "the connection has no current schema (none of the search_path schemas exists)",
        ));
    }
    let has_versions: bool = row.get("has_versions");
    if !has_versions || threadctl_version(pool).await? < THREADCTL_VERSION {
        set_up(pool).await?;
    }
    Ok(role)
}

async fn threadctl_version(pool: &ConnPool) -> Result<i64> {
    let version: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'threadctl'")
            .fetch_optional(pool)
            .await
            .map_err(db("reading threadctl's schema version"))?;
    Ok(version.unwrap_or(0))
}

/// Creates what is missing, in one transaction serialized against other
/// processes doing the same.
async fn set_up(pool: &ConnPool) -> Result<()> {
    let context = "setting up the Postgres schema";
    let mut conn = pool.acquire().await.map_err(db(context))?;
    let result = set_up_on(&mut conn, context).await;
    // After a failed setup the connection may hold an aborted transaction.
    conn.finish(result.is_ok());
    result
}

async fn set_up_on(conn: &mut sqlx::PgConnection, context: &'static str) -> Result<()> {
    let mut tx = conn.begin().await.map_err(db(context))?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SETUP_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(db(context))?;
    let has_checkpoints: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.checkpoints', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(db(context))?;
    if !has_checkpoints {
        sqlx::raw_sql(REFERENCE_LAYOUT)
            .execute(&mut *tx)
            .await
            .map_err(db(
                "creating the reference's tables, policies and migration records",
            ))?;
    }
    let has_versions: bool = sqlx::query_scalar(
        "SELECT to_regclass(format('%I.schema_version', current_schema())) IS NOT NULL",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(db(context))?;
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
            .map_err(db(context))?;
    if current.unwrap_or(0) < THREADCTL_VERSION {
        sqlx::raw_sql(THREADCTL_OBJECTS)
            .execute(&mut *tx)
            .await
            .map_err(db("creating threadctl's functions and watermark table"))?;
    }
    tx.commit().await.map_err(db(context))
}

/// Reads the write version (`schema_version` component `envelope`; absent = 1).
pub(super) async fn read_write_version(pool: &ConnPool) -> Result<EnvelopeVersion> {
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM schema_version WHERE component = 'envelope'")
            .fetch_optional(pool)
            .await
            .map_err(db("reading the write version"))?;
    match stored {
        None => Ok(EnvelopeVersion::V1),
        Some(n) => EnvelopeVersion::from_number(n, "write version (schema_version `envelope`)"),
    }
}

/// Stores the write version.
pub(super) async fn store_write_version(pool: &ConnPool, version: EnvelopeVersion) -> Result<()> {
    sqlx::query(
        "INSERT INTO schema_version (component, version, applied_at) VALUES ('envelope', $1, now()) \
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()",
    )
    .bind(i64::from(version.number()))
    .execute(pool)
    .await
    .map_err(db("storing the write version"))?;
    Ok(())
}
